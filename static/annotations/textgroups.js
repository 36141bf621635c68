// Identical span texts, grouped for the side panel: "Two officials" tagged forty times as an
// Anonymous source is one row, "×40", that opens onto its forty places (paragraph and the
// words around each). panel.js draws the rows; this module only groups and describes.
// Pure, node-tested.
//
// Offsets are UTF-16 code units (the page's `start16`, `end16`).

import { spanContext } from "./linking.js";
import { lineRanges } from "./textmodel.js";

/**
 * Return `spans` (of one label, in reading order) grouped by identical text: [{text,
 * spans}], each group where its text first appears, its spans in the order given.
 *
 * @template {{text: string}} S
 * @param {S[]} spans
 * @returns {Array<{text: string, spans: S[]}>}
 */
export function groupByText(spans) {
  const groups = new Map();
  for (const span of spans) {
    const group = groups.get(span.text);
    if (group) group.spans.push(span);
    else groups.set(span.text, { text: span.text, spans: [span] });
  }
  return [...groups.values()];
}

/**
 * Return a function that gives the paragraph (1-based) holding UTF-16 offset `offset16`
 * of `text`. Each line that holds more than white space counts as one, as the page draws
 * it: wire copy's single lines are paragraphs too.
 *
 * @param {string} text
 * @returns {(offset16: number) => number}
 */
export function createParagraphIndex(text) {
  const starts = lineRanges(text)
    .filter(({ start, end }) => text.slice(start, end).trim() !== "")
    .map(({ start }) => start);
  return (offset16) => {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (starts[middle] <= offset16) low = middle + 1;
      else high = middle;
    }
    return Math.max(low, 1);
  };
}

/**
 * Return where one of several identical spans is: {where: "¶ 3", before, words, after},
 * with the words around it (linking.js's spanContext), so that forty identical rows can
 * be told apart.
 *
 * @param {string} text
 * @param {(offset16: number) => number} paragraphOf - From createParagraphIndex(text).
 * @param {{start16: number, end16: number, text: string}} span
 */
export function occurrencePlace(text, paragraphOf, span) {
  return { where: `¶ ${paragraphOf(span.start16)}`, ...spanContext(text, span, 18) };
}
