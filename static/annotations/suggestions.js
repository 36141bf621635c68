// The suggestions an analyst reviews on the annotation page: which are still to review,
// which one is current, the order Tab steps through, and what becomes current after an
// accept or a reject.
//
// A suggestion is a span the machine proposes (assist/, the "suggestions" layer). It stays
// to review until the analyst accepts or rejects it, or until the analyst's own layer holds
// a span of the same label over the same place ("covered"). Offsets are code points, as the
// server sends them; `start16` and `end16` are the same places in UTF-16 (offsets.js).
//
// Pure module, no DOM: tested by `node --test tests/js/`.

import { sliceCodePoints } from "./offsets.js";

const QUOTE = "QUOTE";

const placeOf = (span) => `${span.label} ${span.start} ${span.end}`;

/**
 * Return the addresses of the suggestions API for the document at `documentUrl`, the
 * spans API's `/api/documents/<id>/` (a `?layer=` query is dropped: suggestions are
 * reviewed into the viewer's own layer).
 *
 * @param {string} documentUrl
 */
export function suggestionUrls(documentUrl) {
  const path = documentUrl.split("?")[0];
  const match = /^(.*\/)documents\/([^/]+)\/$/.exec(path);
  if (!match) throw new Error(`${documentUrl} is not a document's API address`);
  const [, root] = match;
  return {
    list: `${path}suggestions/`,
    acceptAll: `${path}suggestions/accept-all/`,
    acceptChosen: `${path}suggestions/accept-chosen/`,
    occurrences: `${path}occurrences/`,
    accept: (id) => `${root}suggestions/${encodeURIComponent(id)}/accept/`,
    reject: (id) => `${root}suggestions/${encodeURIComponent(id)}/reject/`,
  };
}

/**
 * Order suggestions as they appear: by start, longer first, then label and id.
 *
 * @param {{start: number, end: number, label: string, id: number | string}} a
 * @param {{start: number, end: number, label: string, id: number | string}} b
 */
export function compareSuggestions(a, b) {
  return (
    a.start - b.start ||
    b.end - a.end ||
    (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) ||
    (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0)
  );
}

/**
 * Return the suggestion list over `text`.
 *
 * `labels` are the corpus's label keys in the order the page shows them.
 *
 * @param {{text: string, offsets: import("./offsets.js").OffsetIndex, labels: string[]}} options
 */
export function createSuggestions({ text, offsets, labels }) {
  /** id -> suggestion, every one the page was sent. */
  const items = new Map();
  /** Every suggestion, in reading order. */
  let order = [];
  /** Ids covered by the analyst's own spans (same label, same place), and those places. */
  let covered = new Set();
  let places = new Set();
  /** Ids accepted or rejected here (answered or not yet). */
  const taken = new Set();
  let currentId = null;
  /** The last set proposed together (occurrences, speakers): {title, label, ids}. */
  let batch = null;

  /** Return the suggestion of `record`, or throw an Error that says what is wrong with it. */
  function makeSuggestion(record) {
    const { id, label, start, end } = record ?? {};
    const name = `suggestion ${JSON.stringify(id)}`;
    if ((typeof id !== "number" && typeof id !== "string") || id === "")
      throw new Error(`a suggestion has no id: ${JSON.stringify(record)}`);
    if (typeof label !== "string" || !label) throw new Error(`${name} has no label`);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start >= end)
      throw new Error(`${name} has an invalid range [${start}, ${end})`);
    if (end > offsets.codePointLength)
      throw new Error(
        `${name} [${start}, ${end}) ends after the text's ${offsets.codePointLength} characters`,
      );
    const covers = sliceCodePoints(text, start, end, offsets);
    if (typeof record.text === "string" && record.text !== covers)
      throw new Error(`${name} [${start}, ${end}) covers ${JSON.stringify(covers)}, not its text`);
    return {
      id,
      label,
      start,
      end,
      start16: offsets.toUtf16(start),
      end16: offsets.toUtf16(end),
      text: covers,
      attributes: { ...(record.attributes ?? {}) },
      suggester: typeof record.suggester === "string" ? record.suggester : "",
      score: typeof record.score === "number" ? record.score : null,
      speaker: record.speaker ?? null,
    };
  }

  /** Add `records` not known yet; return [added suggestions, errors (one line each)]. */
  function merge(records) {
    const added = [];
    const errors = [];
    for (const record of records ?? []) {
      let suggestion;
      try {
        suggestion = makeSuggestion(record);
      } catch (error) {
        errors.push(error.message);
        continue;
      }
      if (items.has(suggestion.id)) continue;
      items.set(suggestion.id, suggestion);
      if (places.has(placeOf(suggestion))) covered.add(suggestion.id);
      added.push(suggestion);
    }
    if (added.length > 0) order = [...items.values()].sort(compareSuggestions);
    return [added, errors];
  }

  const isOpen = (suggestion) =>
    Boolean(suggestion) && !covered.has(suggestion.id) && !taken.has(suggestion.id);

  /** Return the open suggestion after (`direction` 1) or before (-1) `from`, wrapping. */
  function neighbourOf(from, direction) {
    const open = order.filter((s) => isOpen(s) || s === from);
    if (open.length === 0) return null;
    const n = open.length;
    const at = open.indexOf(from);
    const next = open[(((at + direction) % n) + n) % n];
    return isOpen(next) ? next : null;
  }

  /** After `gone` left the open list, make the one after it current (or none if none is). */
  function moveOn(gone, preferred = null) {
    if (currentId !== gone.id && isOpen(items.get(currentId))) return;
    currentId = isOpen(preferred) ? preferred.id : (neighbourOf(gone, 1)?.id ?? null);
  }

  const list = {
    /** Replace the list with `records` (the API's); return the records refused, as errors. */
    load(records) {
      items.clear();
      order = [];
      covered = new Set();
      taken.clear();
      currentId = null;
      batch = null;
      return merge(records)[1];
    },

    /**
     * Recompute which suggestions the analyst's `spans` cover (same label, same place);
     * return what changed: `covered` and `freed` list the ids newly covered and no longer
     * covered, `changed` says whether either has any. The current one, once covered, gives
     * way to the next.
     *
     * @param {Iterable<{label: string, start: number, end: number}>} spans
     * @returns {{changed: boolean, covered: Array, freed: Array}}
     */
    cover(spans) {
      places = new Set();
      for (const span of spans) places.add(placeOf(span));
      const next = new Set();
      for (const s of order) if (places.has(placeOf(s))) next.add(s.id);
      const newlyCovered = [...next].filter((id) => !covered.has(id));
      const freed = [...covered].filter((id) => !next.has(id));
      const current = items.get(currentId);
      covered = next;
      if (current && !isOpen(current) && !taken.has(current.id)) moveOn(current);
      return {
        changed: newlyCovered.length > 0 || freed.length > 0,
        covered: newlyCovered,
        freed,
      };
    },

    /** Return the suggestions still to review, in reading order. */
    open() {
      return order.filter(isOpen);
    },

    get(id) {
      return items.get(id) ?? null;
    },

    isOpen(id) {
      return isOpen(items.get(id));
    },

    /** Return the current suggestion, or null. */
    current() {
      const current = items.get(currentId);
      return isOpen(current) ? current : null;
    },

    /** Make suggestion `id` current (none if it is not open); return it. */
    setCurrent(id) {
      currentId = isOpen(items.get(id)) ? id : null;
      return list.current();
    },

    /**
     * Make the next open suggestion (`direction` 1) or the previous (-1) current, wrapping
     * round; with none current, the first or the last. Return it, or null when none is open.
     */
    step(direction) {
      const current = list.current();
      const next = current
        ? neighbourOf(current, direction)
        : (list.open().at(direction > 0 ? 0 : -1) ?? null);
      currentId = next?.id ?? null;
      return next;
    },

    /**
     * Mark suggestion `id` accepted or rejected (its request may still be on its way);
     * return the one now current. After accepting a quote whose suggested speaker is still
     * open, the speaker is current, so that `y y` takes both; otherwise the next one in
     * reading order.
     *
     * @param {number | string} id
     * @param {{accepted?: boolean}} [options]
     */
    take(id, { accepted = false } = {}) {
      const gone = items.get(id);
      if (!gone) return list.current();
      taken.add(id);
      const speaker = accepted && gone.label === QUOTE ? list.speakerOf(id) : null;
      moveOn(gone, speaker);
      return list.current();
    },

    /** Take every open suggestion of label `key`; return them. */
    takeLabel(key) {
      const gone = list.open().filter((s) => s.label === key);
      for (const s of gone) taken.add(s.id);
      const current = items.get(currentId);
      if (current && gone.includes(current)) moveOn(current);
      return gone;
    },

    /** Take those of suggestions `ids` that are open; return them, in reading order. */
    takeAll(ids) {
      const wanted = new Set(ids);
      const gone = list.open().filter((s) => wanted.has(s.id));
      for (const s of gone) taken.add(s.id);
      const current = items.get(currentId);
      if (current && gone.includes(current)) moveOn(current);
      return gone;
    },

    /** Put back suggestions taken whose request failed. */
    restore(ids) {
      for (const id of ids) taken.delete(id);
    },

    /** Return the innermost open suggestion over UTF-16 offset `offset16`, or null. */
    at(offset16) {
      let found = null;
      for (const s of order) {
        if (s.start16 > offset16) break;
        const inner = !found || s.end16 - s.start16 <= found.end16 - found.start16;
        if (offset16 < s.end16 && isOpen(s) && inner) found = s;
      }
      return found;
    },

    /** Return the open suggestions per label: [{label, count}] in the page's label order. */
    counts() {
      const counts = new Map(labels.map((key) => [key, 0]));
      for (const s of list.open()) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
      return [...counts]
        .filter(([, count]) => count > 0)
        .map(([label, count]) => ({ label, count }));
    },

    /** Return the suggested speaker of quote suggestion `id`, if it is still open. */
    speakerOf(id) {
      const speakerId = items.get(id)?.speaker;
      if (speakerId === null || speakerId === undefined) return null;
      const speaker = items.get(speakerId);
      return isOpen(speaker) ? speaker : null;
    },

    /** Return the suggestion that names `id` as its speaker, whatever became of them. */
    quotesSpokenBy(id) {
      return order.filter((s) => s.speaker !== null && s.speaker === id);
    },

    /**
     * Add proposals made together (the occurrences of a span, say) and offer them as a
     * batch titled `title`. The first open one from `after` (a code-point offset) on,
     * wrapping round, becomes current. Return [the batch's open suggestions, errors].
     *
     * @param {object[]} records
     * @param {{title: string, label?: string, after?: number}} options
     */
    propose(records, { title, label = null, after = 0 }) {
      const errors = merge(records)[1];
      const ids = [];
      for (const record of records ?? []) if (items.has(record?.id)) ids.push(record.id);
      list.offer(ids, { title, label });
      const open = list.batch()?.suggestions ?? [];
      const first = open.find((s) => s.start >= after) ?? open[0];
      if (first) currentId = first.id;
      return [open, errors];
    },

    /** Offer open suggestions `ids` as a batch titled `title` (none when none is open). */
    offer(ids, { title, label = null }) {
      const wanted = new Set(ids);
      const open = order.filter((s) => wanted.has(s.id) && isOpen(s));
      batch = open.length > 0 ? { title, label, ids: open.map((s) => s.id) } : null;
    },

    /** Return the batch offered last with its open suggestions, or null when none is left. */
    batch() {
      if (!batch) return null;
      const suggestions = batch.ids.map((id) => items.get(id)).filter(isOpen);
      if (suggestions.length === 0) return null;
      return { title: batch.title, label: batch.label, suggestions };
    },

    /** Forget the batch. */
    dropBatch() {
      batch = null;
    },
  };
  return list;
}

/**
 * Return the boxes that outline a passage, one per line, from the rectangles the browser
 * gives for its range (`Range.getClientRects()`: one per line fragment and per element
 * box, overlapping): rectangles that share a line merge into one.
 *
 * @param {Iterable<{left: number, top: number, right: number, bottom: number}>} rects
 * @returns {Array<{left: number, top: number, right: number, bottom: number}>}
 */
export function lineBoxes(rects) {
  const sorted = [...rects]
    .filter((r) => r.right > r.left && r.bottom > r.top)
    .sort((a, b) => a.top - b.top || a.left - b.left);
  const boxes = [];
  for (const rect of sorted) {
    // On the same line when the two overlap vertically by more than half the smaller one.
    const box = boxes.find((b) => {
      const shared = Math.min(b.bottom, rect.bottom) - Math.max(b.top, rect.top);
      return shared > Math.min(b.bottom - b.top, rect.bottom - rect.top) / 2;
    });
    if (box) {
      box.left = Math.min(box.left, rect.left);
      box.right = Math.max(box.right, rect.right);
      box.top = Math.min(box.top, rect.top);
      box.bottom = Math.max(box.bottom, rect.bottom);
    } else boxes.push({ left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom });
  }
  return boxes;
}
