// The drag handles on the selected span's edges: two small grips in an overlay over the
// text (like the arcs of arcs.js), so they never cover or shift a character. Dragging one
// moves that edge; on release the edge snaps to a word (Alt keeps the exact character) and
// `onMove` updates the span, the same path as the keyboard's edge moves (one PATCH, one
// undo step). The keys already move edges, so the handles take no focus.
//
// Where an edge goes is edgedrag.js's business (pure, node-tested); this module only reads
// the pointer and places the handles. Nothing runs on import: annotator.js calls
// createEdgeHandles().

import { aimPoint, dragEdge, handlePlace } from "./edgedrag.js";

const TITLES = {
  start: "Drag to move the span's start (Alt: exact characters)",
  end: "Drag to move the span's end (Alt: exact characters)",
};

/**
 * Return the edge handles of the selected span of `store`, drawn over `container`.
 * `onMove(span, range)` applies a dragged range ({start, end, text} in code points);
 * `message(text, kind)` says why a drop was refused.
 */
export function createEdgeHandles({ doc, container, store, textView, onMove, message }) {
  const host = container.parentElement;
  const layer = doc.createElement("div");
  layer.className = "edge-handles";
  const handles = {};
  for (const edge of ["start", "end"]) {
    const handle = doc.createElement("div");
    handle.className = `edge-handle edge-handle-${edge}`;
    handle.dataset.edge = edge;
    handle.title = TITLES[edge];
    handle.setAttribute("aria-label", TITLES[edge]);
    handle.hidden = true;
    // The bar marks the edge and takes no pointer; the knob below the line is the grip.
    const knob = doc.createElement("div");
    knob.className = "edge-knob";
    handle.append(knob);
    handle.addEventListener("pointerdown", (event) => startDrag(event, edge));
    handles[edge] = handle;
    layer.append(handle);
  }
  host.append(layer);
  let frame = 0;
  let drag = null;

  /** Return the selected span if its edges may be dragged, else null. */
  function draggable() {
    const span = store.spans.get(store.selectedUid);
    if (!span || store.readOnly || store.hiddenLabels?.has(span.label)) return null;
    return span;
  }

  function place(edge, start16, end16) {
    const handle = handles[edge];
    const rects = textView.domRange(start16, end16).getClientRects();
    const at = handlePlace(rects, edge, host.getBoundingClientRect());
    handle.hidden = at === null;
    if (!at) return;
    handle.style.left = `${at.left}px`;
    handle.style.top = `${at.top}px`;
    handle.style.height = `${at.height}px`;
  }

  function draw() {
    frame = 0;
    if (drag) return;
    const span = draggable();
    for (const edge of ["start", "end"]) {
      if (span) place(edge, span.start16, span.end16);
      else handles[edge].hidden = true;
    }
  }

  /** Place the handles again at the next frame (several changes in a row place once). */
  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  function startDrag(event, edge) {
    const span = draggable();
    if (!span || event.button > 0) return;
    // No text selection starts under the handle, and a touch does not scroll the page.
    event.preventDefault();
    const box = handles[edge].getBoundingClientRect();
    const grab = {
      x: event.clientX - (box.left + box.width / 2),
      y: event.clientY - (box.top + box.height / 2),
    };
    drag = { span, edge, grab, pointer: event.pointerId, found: null };
    handles[edge].setPointerCapture?.(event.pointerId);
    layer.classList.add("is-dragging");
    doc.addEventListener("pointermove", onPointerMove);
    doc.addEventListener("pointerup", onPointerUp);
    doc.addEventListener("pointercancel", endDrag);
  }

  /** Return where the pointer of `event` drops the dragged edge: a range, or {error}. */
  function dropAt(event) {
    const aim = aimPoint({ x: event.clientX, y: event.clientY }, drag.grab);
    const hit16 = offsetAt(aim.x, aim.y);
    if (hit16 === null) return drag.found;
    const { span, edge } = drag;
    return dragEdge(store.text, store.offsets, span, edge, hit16, {
      label: span.label,
      exact: event.altKey,
    });
  }

  /** Return the UTF-16 offset of the text at viewport point (x, y), or null off the text. */
  function offsetAt(x, y) {
    const caret = doc.caretPositionFromPoint
      ? doc.caretPositionFromPoint(x, y)
      : doc.caretRangeFromPoint?.(x, y);
    if (!caret) return null;
    const node = caret.offsetNode ?? caret.startContainer;
    const offset = caret.offset ?? caret.startOffset;
    if (!node || !container.contains(node)) return null;
    return textView.boundaryOffset(node, offset);
  }

  function onPointerMove(event) {
    if (event.pointerId !== drag.pointer) return;
    const found = dropAt(event);
    if (!found || found.error) return;
    drag.found = found;
    preview(found);
  }

  function onPointerUp(event) {
    if (event.pointerId !== drag.pointer) return;
    const found = dropAt(event);
    const { span } = drag;
    endDrag();
    if (found?.error) return message(found.error, "error");
    if (found && store.spans.get(span.uid) === span) onMove(span, found);
    schedule();
  }

  /** Show where the span would go: its new range highlighted, the handle at its edge. */
  function preview(found) {
    place(drag.edge, found.start16, found.end16);
    if (globalThis.CSS?.highlights) {
      const range = textView.domRange(found.start16, found.end16);
      CSS.highlights.set("byline-edge-drag", new Highlight(range));
    }
  }

  function endDrag() {
    doc.removeEventListener("pointermove", onPointerMove);
    doc.removeEventListener("pointerup", onPointerUp);
    doc.removeEventListener("pointercancel", endDrag);
    globalThis.CSS?.highlights?.delete("byline-edge-drag");
    layer.classList.remove("is-dragging");
    drag = null;
    schedule();
  }

  // Lines wrap again when the text's width changes (window, compact mode, fonts).
  new ResizeObserver(schedule).observe(container);
  window.addEventListener("resize", schedule);
  return { schedule };
}
