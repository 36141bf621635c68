// Where the span editor goes on a phone: right below the selected span, or right above it
// when there is more room there, always inside the viewport; and how far to scroll first
// when neither side has room (the span near the screen's edge, or off screen).
//
// Pure module, no DOM: rectangles and sizes in, numbers out; tested by `node --test tests/js/`.
// Coordinates are the viewport's (getBoundingClientRect), in CSS pixels.

import { lineBoxes } from "./suggestions.js";

/** The gap between the span and the editor, and between the editor and the screen's edges. */
export const GAP = 6;
export const MARGIN = 8;
/** An editor shorter than this is cramped: scroll to give it room rather than shrink it. */
export const MIN_HEIGHT = 160;

/**
 * Return where to put an editor of `size` next to the span drawn in `rects` (its
 * `Range.getClientRects()`), within a `viewport` whose top `inset` pixels are covered by a
 * sticky toolbar.
 *
 * The answer is {side: "below" | "above", top, left, width, maxHeight, scroll}: `top` and
 * `left` in viewport coordinates once the page is scrolled down by `scroll` pixels (0 when it
 * need not be). In order of preference: the side where the whole editor fits, below first;
 * else the roomier side if it has MIN_HEIGHT, the editor scrolling inside; else (or when the
 * span is off screen) scroll the span up to just under the toolbar and go below it. Without
 * `scrolling`, the roomier side, however small. A span taller than half the screen is
 * anchored by its last line, where the analyst's selection ended. Null when the span has no
 * box (not drawn).
 *
 * @param {Iterable<{left: number, top: number, right: number, bottom: number}>} rects
 * @param {{width: number, height: number}} size - The editor's natural size.
 * @param {{width: number, height: number, inset?: number}} viewport
 * @param {{scrolling?: boolean}} [options]
 */
export function placeEditor(rects, size, viewport, { scrolling = true } = {}) {
  const boxes = lineBoxes(rects);
  if (boxes.length === 0) return null;
  const topLimit = (viewport.inset ?? 0) + MARGIN;
  const bottomLimit = viewport.height - MARGIN;
  let anchor = union(boxes);
  if (anchor.bottom - anchor.top > (bottomLimit - topLimit) / 2) anchor = boxes.at(-1);
  const width = Math.min(size.width, viewport.width - 2 * MARGIN);
  const left = clamp(anchor.left, MARGIN, viewport.width - MARGIN - width);
  const at = (side, room, shift = 0) => {
    const height = Math.min(size.height, room);
    const top =
      side === "below" ? anchor.bottom - shift + GAP : anchor.top - shift - GAP - height;
    return { side, top, left, width, maxHeight: Math.max(room, 0), scroll: shift };
  };

  const visible = anchor.top >= topLimit && anchor.bottom <= bottomLimit;
  const below = bottomLimit - (anchor.bottom + GAP);
  const above = anchor.top - GAP - topLimit;
  if (visible || !scrolling) {
    if (below >= size.height) return at("below", below);
    if (above >= size.height) return at("above", above);
    const roomier = below >= above ? at("below", below) : at("above", above);
    if (!scrolling || Math.max(below, above) >= MIN_HEIGHT) return roomier;
  }
  const shift = anchor.top - topLimit;
  return at("below", bottomLimit - (anchor.bottom - shift + GAP), shift);
}

function union(boxes) {
  return {
    left: Math.min(...boxes.map((b) => b.left)),
    top: Math.min(...boxes.map((b) => b.top)),
    right: Math.max(...boxes.map((b) => b.right)),
    bottom: Math.max(...boxes.map((b) => b.bottom)),
  };
}

function clamp(value, low, high) {
  return Math.max(low, Math.min(value, high));
}
