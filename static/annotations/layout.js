// Layout of overlapping and nested spans for rendering.
//
// Spans may overlap, nest, or share a range under different labels. Rendering needs two
// things: the text cut into segments at every span boundary, each knowing which spans
// cover it, and a level (a row, like a lane of underlines) per span so that overlapping
// spans never draw on top of each other and a span drawn inside another sits above it.
//
// Offsets may be in any single unit (code points or UTF-16) as long as all of them agree.
// Pure functions, no DOM: tested by `node --test tests/js/`.

/**
 * @typedef {object} Span
 * @property {string | number} id - Unique among the spans laid out together.
 * @property {number} start - Inclusive offset.
 * @property {number} end - Exclusive offset, greater than `start`.
 * @property {string} label
 */

/**
 * @typedef {object} Segment
 * @property {number} start
 * @property {number} end
 * @property {Array<string | number>} spanIds - Ids of the covering spans, by level ascending.
 */

/**
 * Return whether two end-exclusive ranges share at least one position. Spans that only
 * touch (`a.end === b.start`) do not overlap. This is the project's one overlap rule.
 *
 * @param {{start: number, end: number}} a
 * @param {{start: number, end: number}} b
 * @returns {boolean}
 */
export function spansOverlap(a, b) {
  return a.start < b.end && b.start < a.end;
}

/**
 * Return the level of each span: overlapping spans get different levels, and a span
 * nested inside another gets a higher level than it. Each span takes the lowest level
 * that is free and above every span containing it; ties are broken by start ascending,
 * end descending, label, then id, so the result does not depend on input order.
 *
 * Runs in O(s log s + s * d) for s spans nested or overlapping at most d deep.
 *
 * @param {Span[]} spans
 * @returns {Map<string | number, number>}
 */
export function assignLevels(spans) {
  checkSpans(spans, Infinity);
  return levelSpans(spans);
}

/** Return the levels of spans already checked; see `assignLevels`. */
function levelSpans(spans) {
  const ordered = [...spans].sort(compareOutermostFirst);
  const levels = new Map();
  // levelEnds[level] is the end of the last span placed on that level. Spans arrive by
  // start, so a level is free once that end is <= the new span's start.
  const levelEnds = [];
  for (const span of ordered) {
    // Floor: a level whose last span ends at or after this span's end holds a span that
    // started no later, so it contains this one, which must sit above it. A containing
    // span is always the last on its level: nothing placed after it starts before it ends.
    let level = levelEnds.length;
    while (level > 0 && levelEnds[level - 1] < span.end) level--;
    // Lowest free level at or above that floor, possibly a new one on top.
    while (level < levelEnds.length && levelEnds[level] > span.start) level++;
    levelEnds[level] = span.end;
    levels.set(span.id, level);
  }
  return levels;
}

/**
 * Return the segments of [0, length) cut at every span boundary, each with the ids of
 * the spans covering it in level order.
 *
 * @param {number} length - Length of the text, in the spans' unit.
 * @param {Span[]} spans
 * @returns {Segment[]}
 */
export function segmentText(length, spans) {
  return layoutSpans(length, spans).segments;
}

/**
 * Return the segments, the level of every span and the highest level used (-1 when there
 * are no spans, so that `maxLevel + 1` is the number of rows to draw).
 *
 * Runs in O(s log s + output) for s spans; the text length only bounds the offsets.
 *
 * @param {number} length - Length of the text, in the spans' unit.
 * @param {Span[]} spans
 * @returns {{segments: Segment[], levels: Map<string | number, number>, maxLevel: number}}
 */
export function layoutSpans(length, spans) {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`length must be a non-negative integer, not ${length}`);
  }
  checkSpans(spans, length);
  const levels = levelSpans(spans);
  let maxLevel = -1;
  for (const level of levels.values()) maxLevel = Math.max(maxLevel, level);
  return { segments: cutSegments(length, spans, levels), levels, maxLevel };
}

/** Return the segments for spans already checked and levelled. */
function cutSegments(length, spans, levels) {
  const byStart = [...spans].sort((a, b) => a.start - b.start);
  const byEnd = [...spans].sort((a, b) => a.end - b.end);
  // Spans covering the current position, kept sorted by level. Spans covering the same
  // position all overlap one another, so their levels are distinct.
  const active = [];
  const segments = [];
  let nextStart = 0;
  let nextEnd = 0;
  let position = 0;
  while (position < length) {
    while (nextEnd < byEnd.length && byEnd[nextEnd].end <= position) {
      const level = levels.get(byEnd[nextEnd++].id);
      active.splice(indexOfLevel(active, level), 1);
    }
    while (nextStart < byStart.length && byStart[nextStart].start <= position) {
      const span = byStart[nextStart++];
      const level = levels.get(span.id);
      active.splice(indexOfLevel(active, level), 0, { level, id: span.id });
    }
    // Both pending boundaries lie beyond `position`, so no segment is ever empty.
    const end = Math.min(
      length,
      nextStart < byStart.length ? byStart[nextStart].start : length,
      nextEnd < byEnd.length ? byEnd[nextEnd].end : length,
    );
    segments.push({ start: position, end, spanIds: active.map((entry) => entry.id) });
    position = end;
  }
  return segments;
}

/** Return where `level` is, or would be inserted, in entries sorted by level. */
function indexOfLevel(entries, level) {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle].level < level) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Order spans so that every span comes after the spans that contain it. */
function compareOutermostFirst(a, b) {
  return (
    a.start - b.start ||
    b.end - a.end ||
    compareValues(a.label, b.label) ||
    compareValues(a.id, b.id)
  );
}

/** Compare by code unit, not locale, so the order is the same in every browser. */
function compareValues(a, b) {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Throw unless every span is a non-empty integer range within [0, length) with a unique id. */
function checkSpans(spans, length) {
  const ids = new Set();
  for (const span of spans) {
    const { id, start, end } = span;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start >= end) {
      throw new RangeError(`span ${id} has an invalid range [${start}, ${end})`);
    }
    if (end > length) {
      throw new RangeError(`span ${id} [${start}, ${end}) ends after the text's length ${length}`);
    }
    if (ids.has(id)) {
      throw new Error(`span id ${id} appears more than once`);
    }
    ids.add(id);
  }
}
