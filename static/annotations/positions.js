// Positions in the drawn document text: DOM boundary points <-> UTF-16 offsets, and the
// selection and caret set from offsets. Used by textview.js, which draws the lines.
//
// Each text node the view draws is registered in `textStart` with its UTF-16 offset;
// `lines` are the view's lines ({start, end, element}). Converting UTF-16 offsets to the
// server's code points is offsets.js's business, not this module's.

import { indexAt } from "./textmodel.js";

/**
 * Return the position functions of the text drawn into `container`.
 *
 * @param {{container: HTMLElement, lines: Array<{start: number, element: HTMLElement}>,
 *          textStart: WeakMap<Text, number>, length: number}} options
 */
export function createPositions({ container, lines, textStart, length }) {
  const doc = container.ownerDocument;

  /** Return the UTF-16 offset of a DOM boundary point, or null outside the text. */
  function boundaryOffset(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const start = textStart.get(node);
      return start === undefined ? null : start + offset;
    }
    if (node !== container && !container.contains(node)) return null;
    const child = node.childNodes[offset];
    return child ? edgeOffset(child, "first") : edgeOffset(node, "last");
  }

  function edgeOffset(node, edge) {
    if (node.nodeType === Node.TEXT_NODE) {
      const start = textStart.get(node);
      if (start === undefined) return null;
      return edge === "first" ? start : start + node.length;
    }
    const walker = doc.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    let found = walker.nextNode();
    if (edge === "last") {
      for (let next = found; next; next = walker.nextNode()) found = next;
    }
    if (!found) return node === container && edge === "last" ? length : null;
    return edgeOffset(found, edge);
  }

  /** Return the text node and offset at UTF-16 offset `offset16`. */
  function domPosition(offset16) {
    const line = lines[Math.min(indexAt(lines, offset16), lines.length - 1)];
    const walker = doc.createTreeWalker(line.element, NodeFilter.SHOW_TEXT);
    let last = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const start = textStart.get(node);
      if (offset16 <= start + node.length) return { node, offset: Math.max(0, offset16 - start) };
      last = node;
    }
    return { node: last, offset: last.length };
  }

  /** Return the selection as {anchor, focus} UTF-16 offsets, or null outside the text. */
  function readSelection() {
    const selection = doc.getSelection();
    if (!selection || selection.rangeCount === 0) return null;
    const anchor = boundaryOffset(selection.anchorNode, selection.anchorOffset);
    const focus = boundaryOffset(selection.focusNode, selection.focusOffset);
    return anchor === null || focus === null ? null : { anchor, focus };
  }

  /** Select the text from UTF-16 offset `anchor` to `focus`. */
  function selectRange(anchor, focus) {
    const a = domPosition(anchor);
    const f = domPosition(focus);
    doc.getSelection().setBaseAndExtent(a.node, a.offset, f.node, f.offset);
  }

  /** Put the caret at `offset16`, if the text has the focus. */
  function collapseSelectionAt(offset16) {
    if (doc.activeElement !== container) return;
    selectRange(offset16, offset16);
  }

  /** Return a DOM Range over UTF-16 offsets [start16, end16) (e.g. to highlight it). */
  function domRange(start16, end16) {
    const start = domPosition(start16);
    const end = domPosition(end16);
    const range = doc.createRange();
    range.setStart(start.node, start.offset);
    range.setEnd(end.node, end.offset);
    return range;
  }

  /** Return the UTF-16 offset of the caret (the selection's focus), or 0 outside the text. */
  function caretOffset() {
    return readSelection()?.focus ?? 0;
  }

  function scrollToRange(start16, { block = "center" } = {}) {
    domPosition(start16).node.parentElement?.scrollIntoView({ block, inline: "nearest" });
  }

  return {
    boundaryOffset,
    domPosition,
    readSelection,
    selectRange,
    collapseSelectionAt,
    scrollToRange,
    domRange,
    caretOffset,
  };
}
