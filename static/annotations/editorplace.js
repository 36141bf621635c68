// On a phone the span editor opens next to the selected span, as a card over the text,
// instead of at the bottom of the page where the side panel goes (placement.js says where).
// On a wider screen it stays in the side panel, untouched.
//
// Nothing runs on import: createEditorPlacement() is called by annotator.js.

import { placeEditor } from "./placement.js";

/** The widths at which the editor is anchored to its span; the CSS's phone rules match it. */
export const PHONE_QUERY = "(max-width: 640px)";

/**
 * Return {place()} for the editor `root`, kept next to the store's selected span drawn by
 * `rangeOf(start16, end16)` (textview.js), below the sticky `toolbar`.
 *
 * @param {{root: HTMLElement, toolbar: HTMLElement, store: object,
 *          rangeOf: (start16: number, end16: number) => Range}} options
 */
export function createEditorPlacement({ root, toolbar, store, rangeOf }) {
  const doc = root.ownerDocument;
  const view = doc.defaultView;
  const phone = view.matchMedia(PHONE_QUERY);
  /** The span the editor was last placed for: a new one may scroll the page, a redraw not. */
  let placedUid = null;

  function release() {
    placedUid = null;
    if (!root.classList.contains("is-anchored")) return;
    root.classList.remove("is-anchored");
    delete root.dataset.side;
    for (const property of ["top", "left", "width", "maxHeight"]) root.style[property] = "";
  }

  function viewport() {
    return {
      width: doc.documentElement.clientWidth,
      height: view.innerHeight,
      // The sticky toolbar covers the page above its bottom edge.
      inset: Math.max(0, toolbar.getBoundingClientRect().bottom),
    };
  }

  /** Put the editor next to the selected span (on a phone), scrolling for a new span. */
  function place() {
    const span = store.spans.get(store.selectedUid);
    if (!phone.matches || !span || root.hidden) return release();
    const fresh = span.uid !== placedUid;
    placedUid = span.uid;
    root.classList.add("is-anchored");
    root.style.maxHeight = "";
    const size = { width: root.offsetWidth, height: root.scrollHeight };
    const rects = () => rangeOf(span.start16, span.end16).getClientRects();
    let where = placeEditor(rects(), size, viewport(), { scrolling: fresh });
    if (!where) return;
    if (where.scroll) {
      view.scrollBy({ top: where.scroll, behavior: "instant" });
      // The page may not scroll that far, and the toolbar may have moved: measure again.
      where = placeEditor(rects(), size, viewport(), { scrolling: false });
    }
    const parent = root.offsetParent ?? doc.body;
    const origin = parent.getBoundingClientRect();
    root.dataset.side = where.side;
    root.style.top = `${where.top - origin.top - parent.clientTop}px`;
    root.style.left = `${where.left - origin.left - parent.clientLeft}px`;
    root.style.width = `${where.width}px`;
    root.style.maxHeight = `${where.maxHeight}px`;
  }

  // A field that grows (the speaker's candidates) or a turned phone: place it again, in the
  // next frame, since placing it resizes it (within one callback that would be a loop).
  let queued = false;
  new ResizeObserver(() => {
    if (queued || !root.classList.contains("is-anchored")) return;
    queued = true;
    view.requestAnimationFrame(() => {
      queued = false;
      place();
    });
  }).observe(root);
  view.addEventListener("resize", () => place());
  phone.addEventListener("change", () => place());

  return { place };
}
