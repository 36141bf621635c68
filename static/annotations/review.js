// Reviewing suggestions on the annotation page, drawn: the machine's proposals (assist/)
// as dashed outlines over the text, the current one highlighted, and the review bar in the
// side panel (counts per label, the current suggestion, Accept / Reject / Previous / Next,
// "Accept all" per label and for a batch such as the occurrences `*` proposed).
//
// The list and its order are suggestions.js's, the requests reviewedits.js's, the bar
// reviewbar.js's. The outlines
// are a layer over the text that takes no clicks: a suggestion is never a span until
// accepted. Nothing runs on import: createReview() is called by annotator.js.

import { element } from "./dom.js";
import { createReviewBar } from "./reviewbar.js";
import { createReviewEdits } from "./reviewedits.js";
import { createSuggestions, lineBoxes, suggestionUrls } from "./suggestions.js";

// How far an outline stands off the text it surrounds, in pixels.
const PAD = 1;
// The sticky toolbar's height, which a suggestion scrolled to must clear.
const TOP_MARGIN = 90;
// How much text around the screen gets its outlines drawn, in UTF-16 units (a few screens).
const MARGIN = 6000;

/**
 * Return the review of suggestions on the page.
 *
 * `actions` is {message(text, kind), rangeOf(start16, end16), boundaryOffset(node, offset)}
 * (textview.js's rangeOf and boundaryOffset).
 *
 * @param {{container: HTMLElement, bar: HTMLElement, store: object, edits: object,
 *          api: object, queue: object, documentUrl: string, enabled: boolean,
 *          actions: object}} options
 */
export function createReview({
  container,
  bar,
  store,
  edits,
  api,
  queue,
  documentUrl,
  enabled,
  actions,
}) {
  const doc = container.ownerDocument;
  const urls = suggestionUrls(documentUrl);
  const suggestions = createSuggestions({
    text: store.text,
    offsets: store.offsets,
    labels: [...store.labels.keys()],
  });
  const layer = element("div", { class: "suggestion-layer" });
  container.after(layer);
  let drawQueued = false;
  /** The UTF-16 range whose outlines are drawn. */
  let drawn = null;
  const { message } = actions;

  const review = createReviewEdits({
    store,
    suggestions,
    edits,
    api,
    queue,
    urls,
    view: {
      changed({ reveal = false, currentOnly = false, removed = null } = {}) {
        for (const id of removed ?? []) outlineOf(id)?.remove();
        if (currentOnly || removed) markCurrent();
        else scheduleDraw();
        reviewBar.render();
        if (reveal) revealCurrent();
      },
      message,
      stateChanged: (state, error) => reviewBar.setState(state, error),
    },
  });
  const reviewBar = createReviewBar({
    bar,
    store,
    suggestions,
    enabled,
    actions: {
      accept: () => review.accept(),
      reject: review.reject,
      step: review.step,
      setCurrent: review.setCurrent,
      acceptLabel: review.acceptLabel,
      acceptBatch: review.acceptBatch,
      dropBatch: review.dropBatch,
      reload: review.load,
    },
  });

  /** Return `command`, or one that says why there is nothing to review here. */
  const onOwnLayer =
    (command) =>
    (...args) =>
      enabled ? command(...args) : message("Suggestions are reviewed on your own layer.", "error");

  // Drawing the outlines.

  function scheduleDraw() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(draw);
  }

  /**
   * Return the UTF-16 range of the text on screen, widened by MARGIN on both sides, or null
   * when the browser cannot say. The outlines are drawn over this range only: a long
   * document's thousands would take seconds to place, on every change.
   */
  function visibleWindow() {
    const view = doc.defaultView;
    const box = container.getBoundingClientRect();
    const top = Math.max(box.top, TOP_MARGIN);
    const bottom = Math.min(box.bottom, view.innerHeight);
    if (bottom <= top) return { from: 0, to: 0 };
    const from = offsetAtPoint(box.left + 1, top + 1);
    if (from === null) return null;
    const to = offsetAtPoint(box.right - 1, bottom - 1) ?? from + MARGIN;
    return { from: Math.max(0, from - MARGIN), to: to + MARGIN };
  }

  function offsetAtPoint(x, y) {
    const range = doc.caretRangeFromPoint?.(x, y);
    return range ? actions.boundaryOffset(range.startContainer, range.startOffset) : null;
  }

  /** Draw again if the text on screen has moved out of the range drawn. */
  function onScroll() {
    if (drawQueued || !drawn) return;
    const shown = visibleWindow();
    const slack = MARGIN / 2;
    if (!shown || shown.from + slack < drawn.from || shown.to - slack > drawn.to) scheduleDraw();
  }

  /** Draw the outlines of the open suggestions near the screen, where the text is now. */
  function draw() {
    drawQueued = false;
    const began = performance.now();
    const origin = layer.getBoundingClientRect();
    const current = suggestions.current();
    const fragment = doc.createDocumentFragment();
    drawn = visibleWindow() ?? { from: 0, to: Number.POSITIVE_INFINITY };
    for (const suggestion of suggestions.open()) {
      if (suggestion.end16 <= drawn.from || suggestion.start16 >= drawn.to) continue;
      const boxes = lineBoxes(
        actions.rangeOf(suggestion.start16, suggestion.end16).getClientRects(),
      );
      if (boxes.length === 0) continue;
      const left = Math.min(...boxes.map((b) => b.left)) - PAD;
      const top = Math.min(...boxes.map((b) => b.top)) - PAD;
      const right = Math.max(...boxes.map((b) => b.right)) + PAD;
      const bottom = Math.max(...boxes.map((b) => b.bottom)) + PAD;
      const group = element("div", {
        class: suggestion === current ? "suggestion is-current" : "suggestion",
        role: "img",
        "aria-label": `suggested ${suggestion.label}`,
        "data-id": String(suggestion.id),
        "data-label": suggestion.label,
      });
      group.style.setProperty("--suggestion-colour", store.labelOf(suggestion).colour);
      place(group, left - origin.left, top - origin.top, right - left, bottom - top);
      for (const box of boxes) {
        const outline = element("div", { class: "suggestion-box" });
        place(
          outline,
          box.left - PAD - left,
          box.top - PAD - top,
          box.right - box.left + 2 * PAD,
          box.bottom - box.top + 2 * PAD,
        );
        group.append(outline);
      }
      fragment.append(group);
    }
    layer.replaceChildren(fragment);
    // bench/review_page.py reads how long drawing the outlines takes.
    performance.measure("byline:suggestions-draw", { start: began });
  }

  function outlineOf(id) {
    return layer.querySelector(`.suggestion[data-id="${CSS.escape(String(id))}"]`);
  }

  /** Mark the current suggestion's outline, and only it, as current. */
  function markCurrent() {
    const id = suggestions.current()?.id;
    for (const group of layer.querySelectorAll(".suggestion.is-current"))
      group.classList.remove("is-current");
    if (id === undefined) return;
    const group = outlineOf(id);
    if (group) group.classList.add("is-current");
    else scheduleDraw(); // Not drawn: too far from the screen, or drawn before it came.
  }

  function place(node, left, top, width, height) {
    node.style.left = `${left}px`;
    node.style.top = `${top}px`;
    node.style.width = `${width}px`;
    node.style.height = `${height}px`;
  }

  /** Scroll the current suggestion into view, unless it shows already. */
  function revealCurrent() {
    const current = suggestions.current();
    if (!current) return;
    const rects = actions.rangeOf(current.start16, current.end16).getClientRects();
    const rect = rects[0];
    if (!rect) return;
    const view = doc.defaultView;
    if (rect.top < TOP_MARGIN || rect.bottom > view.innerHeight - 20) {
      const top = rect.top + view.scrollY - Math.max(TOP_MARGIN, view.innerHeight / 3);
      view.scrollTo({ top, behavior: "instant" });
    }
  }

  // A click in the text makes the suggestion under it current (a span there is selected too).
  container.addEventListener("click", () => {
    const selection = doc.getSelection();
    if (!enabled || !selection?.isCollapsed || !selection.focusNode) return;
    const offset16 = actions.boundaryOffset(selection.focusNode, selection.focusOffset);
    const under = offset16 === null ? null : suggestions.at(offset16);
    if (under && under !== suggestions.current()) review.setCurrent(under.id);
  });

  new ResizeObserver(() => scheduleDraw()).observe(container);
  reviewBar.render();
  let scrollQueued = false;
  doc.defaultView.addEventListener(
    "scroll",
    () => {
      if (scrollQueued) return;
      scrollQueued = true;
      requestAnimationFrame(() => {
        scrollQueued = false;
        onScroll();
      });
    },
    { passive: true },
  );
  doc.fonts?.ready.then(() => scheduleDraw());

  return {
    load: () => (enabled ? review.load() : undefined),
    spansChanged: () => (enabled ? review.spansChanged() : undefined),
    step: onOwnLayer(review.step),
    accept: onOwnLayer(() => review.accept()),
    reject: onOwnLayer(review.reject),
    tagOccurrences: onOwnLayer(review.tagOccurrences),
    /** Return whether suggestions are left to review (Tab steps through them). */
    reviewing: () => enabled && suggestions.open().length > 0,
  };
}
