// What the annotation page draws, computed without the DOM.
//
// The text is shown as blocks, one per line (each keeps its trailing "\n", so the DOM holds
// the text exactly); a change re-renders only the blocks it touches, and the browser lays
// out only those lines again. Inside a block the text is cut into pieces at every span
// boundary (from layout.js), block boundary and marked range (quality flags), so that each
// piece is covered by one fixed set of spans and marks.
//
// Offsets here are UTF-16 code units, the DOM's unit; `resolveSelection` converts a DOM
// selection into the code-point span the server stores, through offsets.js.
//
// Pure functions, no DOM: tested by `node --test tests/js/`.

import { layoutSpans } from "./layout.js";
import { sliceCodePoints, toCodePointRange, trimWhitespace } from "./offsets.js";

/**
 * @typedef {object} Piece
 * @property {number} start - UTF-16 offset, inclusive.
 * @property {number} end - UTF-16 offset, exclusive.
 * @property {Array<string | number>} spanIds - Covering spans, by level ascending.
 * @property {Array<string | number>} marks - Ids of the covering marked ranges.
 */

/** @typedef {{id: string | number, start: number, end: number}} Mark */
/** @typedef {{id: string | number, start: number, end: number, label: string}} LayoutSpan */
/** @typedef {{cuts?: number[], marks?: Mark[]}} CutOptions */

/**
 * Return the [start, end) ranges of the lines of `text`, each with its trailing "\n".
 *
 * @param {string} text
 * @returns {Array<{start: number, end: number}>}
 */
export function lineRanges(text) {
  const ranges = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline + 1;
    ranges.push({ start, end });
    start = end;
  }
  return ranges;
}

/**
 * Return the pieces of `segments` (which tile [0, length) in order, as layout.js makes
 * them) cut further at each offset of `cuts` and at the ends of each mark, with the ids
 * of the marks covering each piece.
 *
 * @param {Array<{start: number, end: number, spanIds: Array<string | number>}>} segments
 * @param {CutOptions} [options]
 * @returns {Piece[]}
 */
export function cutPieces(segments, { cuts = [], marks = [] } = {}) {
  const points = new Set(cuts);
  for (const mark of marks) {
    points.add(mark.start);
    points.add(mark.end);
  }
  const boundaries = [...points].sort((a, b) => a - b);
  const pieces = [];
  let next = 0;
  for (const segment of segments) {
    while (next < boundaries.length && boundaries[next] <= segment.start) next++;
    let start = segment.start;
    while (next < boundaries.length && boundaries[next] < segment.end) {
      pieces.push(makePiece(start, boundaries[next], segment.spanIds, marks));
      start = boundaries[next++];
    }
    pieces.push(makePiece(start, segment.end, segment.spanIds, marks));
  }
  return pieces;
}

function makePiece(start, end, spanIds, marks) {
  const covering = [];
  for (const mark of marks) {
    if (mark.start <= start && end <= mark.end) covering.push(mark.id);
  }
  return { start, end, spanIds, marks: covering };
}

/**
 * Return the index of the first item whose `end` is after `offset` (items sorted and
 * tiling a range, like pieces or lines); `items.length` if there is none.
 *
 * @param {Array<{end: number}>} items
 * @param {number} offset
 * @returns {number}
 */
export function indexAt(items, offset) {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (items[middle].end <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Return the spans whose level may change when a span over [start, end) is added, removed
 * or relabelled: those overlapping the range, those overlapping them, and so on; with the
 * range they and the span cover together.
 *
 * A span's level depends only on the spans it overlaps (see layout.js), so laying out these
 * spans alone over that range gives the same result as laying out the whole text again.
 *
 * @param {Iterable<LayoutSpan>} spans
 * @param {number} start
 * @param {number} end
 * @returns {{members: LayoutSpan[], start: number, end: number}}
 */
export function affectedCluster(spans, start, end) {
  const all = [...spans];
  let low = start;
  let high = end;
  for (;;) {
    const members = all.filter((span) => span.start < high && low < span.end);
    let nextLow = low;
    let nextHigh = high;
    for (const span of members) {
      if (span.start < nextLow) nextLow = span.start;
      if (span.end > nextHigh) nextHigh = span.end;
    }
    if (nextLow === low && nextHigh === high) return { members, start: low, end: high };
    low = nextLow;
    high = nextHigh;
  }
}

/**
 * Lay out [start, end) again from `members` (every span overlapping it, as
 * `affectedCluster` returns them): update `levels` in place and return `pieces` with that
 * range replaced.
 *
 * @param {Piece[]} pieces - The current pieces of the whole text, in order.
 * @param {Map<string | number, number>} levels - Updated in place.
 * @param {LayoutSpan[]} members
 * @param {number} start
 * @param {number} end
 * @param {CutOptions} [options]
 * @returns {Piece[]}
 */
export function relayoutRange(pieces, levels, members, start, end, options = {}) {
  const layout = layoutSpans(
    end - start,
    members.map((span) => ({ ...span, start: span.start - start, end: span.end - start })),
  );
  for (const [id, level] of layout.levels) levels.set(id, level);
  const segments = layout.segments.map((segment) => ({
    start: segment.start + start,
    end: segment.end + start,
    spanIds: segment.spanIds,
  }));
  const inner = cutPieces(segments, options);
  const first = indexAt(pieces, start);
  let last = first;
  while (last < pieces.length && pieces[last].start < end) last++;
  // A piece running over either end of the range is covered by no span there (a span
  // covering it would overlap the range and belong to it): keep its outer part as it is.
  const outer = [];
  if (first < last && pieces[first].start < start) {
    outer.push({ ...pieces[first], end: start });
  }
  const tail = [];
  if (first < last && pieces[last - 1].end > end) {
    tail.push({ ...pieces[last - 1], start: end });
  }
  const result = [...pieces.slice(0, first), ...outer, ...inner, ...tail, ...pieces.slice(last)];
  // Where a span was removed, the new pieces may continue their neighbours unchanged: join
  // them, so that pieces stay exactly those a whole layout would make.
  const seams = new Set([...(options.cuts ?? [])]);
  for (const mark of options.marks ?? []) seams.add(mark.start).add(mark.end);
  const lastInner = first + outer.length + inner.length + tail.length - 1;
  mergeAt(result, lastInner, seams);
  mergeAt(result, first - 1, seams);
  return result;
}

/** Join pieces[i] and pieces[i + 1] if nothing tells them apart and no cut separates them. */
function mergeAt(pieces, i, seams) {
  const left = pieces[i];
  const right = pieces[i + 1];
  if (!left || !right || seams.has(right.start)) return;
  if (!sameIds(left.spanIds, right.spanIds) || !sameIds(left.marks, right.marks)) return;
  pieces.splice(i, 2, { ...left, end: right.end });
}

function sameIds(a, b) {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/**
 * Return the code-point span for a selection of `text` between two UTF-16 offsets, with
 * surrounding whitespace trimmed, or `{error}` saying why it cannot be a span.
 *
 * @param {string} text
 * @param {import("./offsets.js").OffsetIndex} index - From `createOffsetIndex(text)`.
 * @param {number} start16
 * @param {number} end16
 * @returns {{start: number, end: number, text: string} | {error: string}}
 */
export function resolveSelection(text, index, start16, end16) {
  const [low, high] = start16 <= end16 ? [start16, end16] : [end16, start16];
  if (low === high) return { error: "Select some text first, then press a label." };
  const trimmed = trimWhitespace(text, low, high);
  if (trimmed === null) return { error: "The selection holds only spaces or line breaks." };
  const { start, end } = toCodePointRange(index, trimmed.start, trimmed.end);
  return { start, end, text: sliceCodePoints(text, start, end, index) };
}

/**
 * Order spans as they appear: by start, longer first, then label and id.
 *
 * @param {{start: number, end: number, label: string, uid: string}} a
 * @param {{start: number, end: number, label: string, uid: string}} b
 * @returns {number}
 */
export function compareSpans(a, b) {
  return (
    a.start - b.start ||
    b.end - a.end ||
    (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) ||
    (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0)
  );
}

/**
 * Return where `item` belongs in `sorted` (ascending by `compare`).
 *
 * @template T
 * @param {T[]} sorted
 * @param {T} item
 * @param {(a: T, b: T) => number} compare
 * @returns {number}
 */
export function insertionIndex(sorted, item, compare) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(sorted[middle], item) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
export const FALLBACK_COLOUR = "#9e9e9e";

/**
 * Return `colour` if it is a #rrggbb colour, else a neutral grey: label colours reach
 * inline styles, so nothing else may pass.
 *
 * @param {unknown} colour
 * @returns {string}
 */
export function safeColour(colour) {
  return typeof colour === "string" && HEX_COLOUR.test(colour) ? colour : FALLBACK_COLOUR;
}

/**
 * Return `rgba(...)` for a #rrggbb colour and an opacity.
 *
 * @param {string} colour
 * @param {number} alpha
 * @returns {string}
 */
export function withAlpha(colour, alpha) {
  const hex = safeColour(colour);
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

// Underlines are LANE px apart below the text, outermost span (level 0) nearest to it.
export const LANE = 4;
export const STRIPE = 2;

/**
 * Return the background layers that draw a piece: one underline per covering span in
 * its level's lane, and a tint of the innermost span (stronger when selected).
 *
 * Lanes are placed from the text's content box, so a span's underline stays at the same
 * height across pieces whatever else covers them.
 *
 * @param {Array<{level: number, colour: string}>} covering - By level ascending.
 * @param {{tint?: string | null, tintAlpha?: number}} [options]
 * @returns {{backgroundImage: string, backgroundSize: string, backgroundPosition: string,
 *   paddingBottom: string}}
 */
export function pieceBackground(covering, { tint = null, tintAlpha = 0.14 } = {}) {
  const images = [];
  const sizes = [];
  const positions = [];
  let deepest = -1;
  for (const { level, colour } of covering) {
    const solid = safeColour(colour);
    images.push(`linear-gradient(${solid}, ${solid})`);
    sizes.push(`100% ${STRIPE}px`);
    positions.push(`0 calc(100% + ${2 + STRIPE + level * LANE}px)`);
    deepest = Math.max(deepest, level);
  }
  const tintColour = tint ?? covering.at(-1)?.colour;
  if (tintColour) {
    const wash = withAlpha(tintColour, tintAlpha);
    images.push(`linear-gradient(${wash}, ${wash})`);
    sizes.push("100% 100%");
    positions.push("0 0");
  }
  return {
    backgroundImage: images.join(", "),
    backgroundSize: sizes.join(", "),
    backgroundPosition: positions.join(", "),
    paddingBottom: deepest < 0 ? "" : `${2 + STRIPE + deepest * LANE}px`,
  };
}

/**
 * Return `value` on one line, cut to `length` characters with an ellipsis if longer.
 *
 * @param {string} value
 * @param {number} length
 * @returns {string}
 */
export function shorten(value, length) {
  const flat = value.replace(/\s+/g, " ").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}
