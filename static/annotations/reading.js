// Reading aids on the annotation page: find in the document (/), the view options (which
// labels are drawn, compact lines). DOM only; what to find and where to step is find.js.
//
// Nothing runs on import: annotator.js calls createFindBar() and createViewOptions().

import { findMatches, matchCount, stepMatch } from "./find.js";

const VIEW_KEY = "byline:view";

/**
 * Return the find bar of the page `doc` over the text view `textView` (textview.js).
 *
 * Matches are all highlighted (CSS custom highlights, which leave the text's DOM alone);
 * the current one is the text selection, so a label key tags it once the bar is closed.
 */
export function createFindBar({ doc, container, store, textView }) {
  const $ = (id) => doc.getElementById(id);
  const bar = $("find-bar");
  const input = $("find-input");
  const count = $("find-count");
  let matches = [];
  let current = -1;

  function highlight() {
    if (!globalThis.CSS?.highlights) return;
    const ranges = matches.map(([start, end]) => textView.domRange(start, end));
    CSS.highlights.set("byline-find", new Highlight(...ranges));
  }

  function show() {
    count.textContent = matchCount(matches, current, input.value);
    bar.dataset.empty = String(matches.length === 0);
    if (current < 0) return;
    const [start, end] = matches[current];
    textView.scrollToRange(start);
    if (globalThis.CSS?.highlights) {
      CSS.highlights.set("byline-find-current", new Highlight(textView.domRange(start, end)));
    }
  }

  function search() {
    matches = findMatches(store.text, input.value);
    current = stepMatch(matches, -1, 1, textView.caretOffset());
    highlight();
    show();
  }

  function step(direction) {
    current = stepMatch(matches, current, direction, textView.caretOffset());
    show();
  }

  function open() {
    bar.hidden = false;
    input.focus();
    input.select();
    if (input.value) search();
  }

  /** Close the bar; the current match becomes the text selection, ready for a label key. */
  function close() {
    bar.hidden = true;
    globalThis.CSS?.highlights?.delete("byline-find");
    globalThis.CSS?.highlights?.delete("byline-find-current");
    container.focus();
    if (current >= 0) textView.selectRange(...matches[current]);
  }

  input.addEventListener("input", search);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      step(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  $("find-next").addEventListener("click", () => step(1));
  $("find-prev").addEventListener("click", () => step(-1));
  $("find-close").addEventListener("click", close);
  return { open, close };
}

/**
 * Return the view options of the page: a checkbox per label (drawn or not) and compact
 * lines, remembered in this browser. `redraw()` draws the text again after a change.
 */
export function createViewOptions({
  doc,
  container,
  store,
  redraw,
  storage = globalThis.localStorage,
}) {
  const saved = readSaved(storage);
  store.hiddenLabels = new Set(saved.hidden?.filter((key) => store.labels.has(key)) ?? []);
  const compact = doc.getElementById("view-compact");
  compact.checked = Boolean(saved.compact);
  container.classList.toggle("compact", compact.checked);
  for (const box of doc.querySelectorAll("input[data-show-label]")) {
    box.checked = !store.hiddenLabels.has(box.dataset.showLabel);
    box.addEventListener("change", () => {
      if (box.checked) store.hiddenLabels.delete(box.dataset.showLabel);
      else store.hiddenLabels.add(box.dataset.showLabel);
      save();
      redraw();
    });
  }
  compact.addEventListener("change", () => {
    container.classList.toggle("compact", compact.checked);
    save();
  });

  function save() {
    const value = { hidden: [...store.hiddenLabels], compact: compact.checked };
    try {
      storage?.setItem(VIEW_KEY, JSON.stringify(value));
    } catch {
      // Private windows may refuse storage: the options then last as long as the page.
    }
  }
}

function readSaved(storage) {
  try {
    return JSON.parse(storage?.getItem(VIEW_KEY) ?? "{}") ?? {};
  } catch {
    return {};
  }
}
