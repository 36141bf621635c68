// Dragging an edge of the selected span by its handle: where the handles sit, where the
// pointer aims, and which span the dragged edge gives. Pure, node-tested; handles.js draws
// the handles and follows the pointer.
//
// Offsets are UTF-16 code units while dragging (the DOM's unit); the result also carries
// the code points the server stores, converted by resolveSelection (textmodel.js, through
// offsets.js).

import { snapToWords, trimEdges } from "./boundaries.js";
import { resolveSelection } from "./textmodel.js";

export const CROSSING =
  "An edge cannot cross the other one: a span keeps at least one character.";

const isHigh = (unit) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * Return UTF-16 offset `hit16` inside [0, text.length], never between the two halves of a
 * surrogate pair: a start moves before the pair, an end after it.
 */
export function clampOffset(text, hit16, edge) {
  const offset = Math.min(Math.max(Math.round(hit16), 0), text.length);
  const splitsPair =
    offset > 0 && isHigh(text.charCodeAt(offset - 1)) && isLow(text.charCodeAt(offset));
  if (!splitsPair) return offset;
  return edge === "start" ? offset - 1 : offset + 1;
}

/**
 * Return the span that dragging `edge` ("start" or "end") of `span` ({start16, end16}) to
 * UTF-16 offset `hit16` gives: {start16, end16, start, end, text}, with `start` and `end`
 * in code points; or {error} when the edge would cross the other one or leave nothing.
 *
 * The dragged edge snaps to a word boundary and sheds the white space and punctuation that
 * boundaries.js trims (a QUOTE keeps its final punctuation), unless `exact` (Alt); the other
 * edge stays exactly where it is. `index` is the text's offset index (offsets.js).
 */
export function dragEdge(text, index, span, edge, hit16, { label = "", exact = false } = {}) {
  const offset = clampOffset(text, hit16, edge);
  let start = edge === "start" ? offset : span.start16;
  let end = edge === "start" ? span.end16 : offset;
  if (start >= end) return { error: CROSSING };
  if (!exact) {
    const [wordStart, wordEnd] = snapToWords(text, start, end);
    if (edge === "start") start = wordStart;
    else end = wordEnd;
    const trimmed = trimEdges(text, start, end, label, { edges: edge });
    if (trimmed === null) return { error: CROSSING };
    [start, end] = trimmed;
  }
  const resolved = resolveSelection(text, index, start, end);
  if (resolved.error) return { error: CROSSING };
  return {
    ...resolved,
    start16: index.toUtf16(resolved.start),
    end16: index.toUtf16(resolved.end),
  };
}

/**
 * Return where the handle of `edge` sits, in the overlay's coordinates: {left, top, height}
 * of the edge's line box, from the span's client `rects` (getClientRects of its range) and
 * the overlay's `origin` ({left, top}). Null if the span draws no box.
 */
export function handlePlace(rects, edge, origin) {
  const boxes = [...rects].filter((rect) => rect.width > 0 || rect.height > 0);
  if (boxes.length === 0) return null;
  const box = edge === "start" ? boxes[0] : boxes.at(-1);
  return {
    left: (edge === "start" ? box.left : box.right) - origin.left,
    top: box.top - origin.top,
    height: box.height,
  };
}

/**
 * Return the point a drag aims at: the pointer, less where on the handle it was grabbed
 * (`grab`, the pointer's offset from the edge's middle at pointerdown), so that a handle
 * grabbed below the line still aims at the line.
 */
export function aimPoint(pointer, grab) {
  return { x: pointer.x - grab.x, y: pointer.y - grab.y };
}
