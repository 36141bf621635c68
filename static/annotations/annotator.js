// The annotation page's entry module (templates/annotations/annotate.html): wires the
// state, the edits and the views together and to the page's events. Nothing else.
//
// store.js holds the state; edits.js changes it and saves each edit through the JSON API
// (api.js), one request at a time (savequeue.js); textview.js draws the text, panel.js the
// span list, editor.js the selected span, docpanel.js the document's tags, metadata and
// flags, toolbar.js the save state, status and messages; review.js the suggestions to
// review; keys.js maps keys to commands. On a phone, editorplace.js puts the editor next to
// its span and collapsible.js folds the toolbar behind its menu button.
// Page data comes from the "annotator-data" JSON script; every text from the server
// reaches the DOM as text, never as HTML.

import { createApi } from "./api.js";
import { createArcs } from "./arcs.js";
import { nudgeEdge, tidySelection } from "./boundaries.js";
import { createCollapsible } from "./collapsible.js";
import { createDocPanel } from "./docpanel.js";
import { createEditor } from "./editor.js";
import { createEditorPlacement } from "./editorplace.js";
import { createEdits } from "./edits.js";
import { createEdgeHandles } from "./handles.js";
import { commandFor } from "./keys.js";
import { speakerCandidates } from "./linking.js";
import { createPanel } from "./panel.js";
import { createFindBar, createViewOptions } from "./reading.js";
import { createReview } from "./review.js";
import { createSaveQueue } from "./savequeue.js";
import { createStore } from "./store.js";
import { resolveSelection } from "./textmodel.js";
import { createTextView } from "./textview.js";
import { createToolbar } from "./toolbar.js";
import { withArticle } from "./words.js";

performance.mark("byline:script-start");

const $ = (id) => document.getElementById(id);
const data = JSON.parse($("annotator-data").textContent);
const container = $("doc-text");
const helpDialog = $("help");
const store = createStore(data);
// Another analyst's layer, or all layers, are read here, never edited in place.
const readOnly = !data.editable;
const EDITING_COMMANDS = new Set(["label", "delete", "undo", "redo", "link-speaker", "nudge"]);
store.showLayerNames = data.show_layer_names;
store.readOnly = readOnly;
const toolbar = createToolbar({
  doc: document,
  store,
  actions: {
    label: (key, { exact = false } = {}) => applyLabel(key, { exact }),
    toggleDone: () => edits.toggleDone(),
    help: () => helpDialog.showModal(),
    retry: () => queue.retry(),
    discard: () => discardUnsaved(),
  },
});
const showMessage = toolbar.message;
const api = createApi({
  csrfToken: document.querySelector("input[name=csrfmiddlewaretoken]").value,
  fetch: window.fetch.bind(window),
});
const queue = createSaveQueue({ onChange: showSaveState });
const textView = createTextView({ container, store });
const findBar = createFindBar({ doc: document, container, store, textView });
const arcs = createArcs({ doc: document, container, store, textView });
const handles = createEdgeHandles({
  doc: document,
  container,
  store,
  textView,
  onMove: (span, range) => moveEdges(span, range),
  message: (text, kind) => showMessage(text, kind),
});
createViewOptions({
  doc: document,
  container,
  store,
  redraw: () => {
    textView.renderAll();
    handles.schedule();
  },
});
const panel = createPanel({
  root: $("span-groups"),
  body: $("panel-body"),
  total: $("span-total"),
  hint: $("span-hint"),
  store,
  onPick: (uid) => select(uid, { scroll: true }),
});
const edits = createEdits({
  store,
  api,
  urls: data.api,
  queue,
  newSpanLayer: data.new_span_layer,
  view: {
    spanInserted(span) {
      textView.addSpan(span);
      panel.add(span);
      review.spansChanged();
    },
    spanRemoved(span) {
      textView.removeSpan(span);
      panel.remove(span);
      review.spansChanged();
    },
    spanRelabelled(span, oldLabel) {
      panel.move(span, oldLabel);
      textView.relabelSpan(span);
      review.spansChanged();
    },
    spanMoved(span, from16) {
      textView.removeSpan({ uid: span.uid, ...from16 });
      textView.addSpan(span);
      panel.remove(span);
      panel.add(span);
      panel.markCurrent(store.selectedUid);
      review.spansChanged();
      handles.schedule();
    },
    spanChanged: (uid) => {
      panel.refresh(uid);
      arcs.schedule();
    },
    select,
    message: showMessage,
    statusChanged: () => toolbar.renderStatus(),
    tagsChanged: () => docPanel.renderTags(),
  },
});
const editor = createEditor({
  root: $("span-editor"),
  store,
  edits,
  actions: {
    select,
    deleteSelected,
    message: showMessage,
    clearMessage: toolbar.clearMessage,
    link: () => startLinking(),
    linkTo: (uid) => finishLinking(uid),
  },
});
// On a phone: the editor opens next to the selected span, and the toolbar folds behind a menu.
const editorPlacement = createEditorPlacement({
  root: $("span-editor"),
  toolbar: $("toolbar"),
  store,
  rangeOf: textView.rangeOf,
});
createCollapsible({ button: $("toolbar-toggle"), root: $("toolbar") });
// Suggestions are reviewed into the analyst's own layer, not on gold or another's.
const review = createReview({
  container,
  bar: $("review-bar"),
  store,
  edits,
  api,
  queue,
  documentUrl: data.api.document,
  enabled: !data.layer,
  actions: {
    message: showMessage,
    rangeOf: textView.rangeOf,
    boundaryOffset: textView.boundaryOffset,
  },
});
const docPanel = createDocPanel({
  doc: document,
  store,
  edits,
  corpusTags: data.corpus_tags,
  metadata: data.metadata,
  onFlag(mark) {
    container.focus();
    textView.selectRange(mark.start, mark.end);
    textView.scrollToRange(mark.start);
  },
});

function showSaveState(state) {
  const before = store.unsaved;
  const after = state.failure ? queue.unsavedUids() : new Set();
  store.unsaved = after;
  toolbar.showSaveState(state);
  const changed = [...before, ...after].filter((uid) => before.has(uid) !== after.has(uid));
  if (changed.length > 0) textView.redrawSpans(changed);
}

/** Select span `uid` (or none); `drawn` says its text is already drawn selected. */
function select(uid, { scroll = false, drawn = false } = {}) {
  const before = store.selectedUid;
  textView.redrawSpans(store.select(uid, { drawn }));
  panel.markCurrent(before);
  panel.markCurrent(store.selectedUid);
  editor.render();
  const span = store.spans.get(store.selectedUid);
  if (span) panel.reveal(span.uid);
  if (span && scroll) textView.scrollToRange(span.start16);
  editorPlacement.place();
  if (store.linking && store.linking.quote !== store.selectedUid) stopLinking();
  arcs.schedule();
  handles.schedule();
}

/**
 * Link mode, for the selected quote: `l` starts it (or steps to the next candidate), a click
 * on a candidate in the text or the list, or Enter, links it; Esc stops.
 */
function startLinking() {
  const quote = store.spans.get(store.selectedUid);
  if (!quote || quote.label !== store.speaker.source) {
    return showMessage("Select a quote first, then press l to link its speaker.", "error");
  }
  if (store.linking?.quote === quote.uid) {
    const { candidates, index } = store.linking;
    store.linking.index = (index + 1) % candidates.length;
  } else {
    const candidates = speakerCandidates(store, quote).map((span) => span.uid);
    if (candidates.length === 0) {
      return showMessage("Tag the speaker first: an Actor or Anonymous source span.", "error");
    }
    store.linking = { quote: quote.uid, candidates, index: 0 };
  }
  showLinking();
}

function showLinking() {
  const { candidates, index } = store.linking;
  const current = store.spans.get(candidates[index]);
  if (globalThis.CSS?.highlights) {
    const ranges = candidates.map((uid) => store.spans.get(uid));
    CSS.highlights.set(
      "byline-candidate",
      new Highlight(...ranges.map((span) => textView.domRange(span.start16, span.end16))),
    );
    CSS.highlights.set(
      "byline-candidate-current",
      new Highlight(textView.domRange(current.start16, current.end16)),
    );
  }
  textView.scrollToRange(current.start16);
  editor.render();
}

function stopLinking() {
  store.linking = null;
  globalThis.CSS?.highlights?.delete("byline-candidate");
  globalThis.CSS?.highlights?.delete("byline-candidate-current");
  editor.render();
}

function finishLinking(uid) {
  const quote = store.spans.get(store.linking?.quote);
  const speaker = store.spans.get(uid);
  if (!quote || !speaker || !store.linking.candidates.includes(uid)) return;
  stopLinking();
  edits.setSpeaker(quote, speaker);
  arcs.schedule();
}

function step(direction) {
  const uid = store.neighbour(direction);
  if (uid) select(uid, { scroll: true });
  else showMessage("This document has no span yet.");
}

/**
 * Label the selected text as `key`, or relabel the selected span. The selection snaps to
 * whole words without its edge punctuation and quotation marks, unless `exact` (Alt).
 */
function applyLabel(key, { exact = false } = {}) {
  const selection = window.getSelection();
  if (selection && selection.rangeCount > 0 && !selection.isCollapsed) {
    const range = selection.getRangeAt(0);
    let start16 = textView.boundaryOffset(range.startContainer, range.startOffset);
    let end16 = textView.boundaryOffset(range.endContainer, range.endOffset);
    if (start16 !== null && end16 !== null) {
      [start16, end16] = tidySelection(store.text, start16, end16, { label: key, exact });
    }
    if (start16 === null || end16 === null) {
      showMessage("Select text inside the document: this selection runs outside it.", "error", {
        topic: "selection",
      });
      return;
    }
    const resolved = resolveSelection(store.text, store.offsets, start16, end16);
    if (resolved.error) return showMessage(resolved.error, "error", { topic: "selection" });
    const twin = store.findSpan(resolved.start, resolved.end, key);
    if (twin) {
      const kind = withArticle(`${store.labels.get(key).name} span`);
      showMessage(`This text already has ${kind}.`, "error");
      return select(twin.uid);
    }
    selection.removeAllRanges(); // The caret goes after the new span below.
    toolbar.clearMessage("selection");
    const span = edits.create(resolved, key);
    textView.collapseSelectionAt(span.end16);
    return;
  }
  const span = store.spans.get(store.selectedUid);
  if (!span) {
    showMessage("Select some text first, then press a label.", "error", { topic: "selection" });
  }
  else if (span.label !== key) edits.relabel(span, key);
}

/** Move an edge of the selected span by a word (`edge` "start" or "end", `direction` ±1). */
function nudge({ edge, direction }) {
  const span = store.spans.get(store.selectedUid);
  if (!span) return;
  const moved = nudgeEdge(store.text, span.start16, span.end16, edge, direction);
  if (!moved) return showMessage("That edge cannot move further that way.");
  const range = resolveSelection(store.text, store.offsets, ...moved);
  if (range.error) return showMessage(range.error, "error");
  moveEdges(span, range);
}

/**
 * Move `span`'s edges to `range` ({start, end, text} in code points), from the keys or a
 * drag handle: one update of the span, one undo step; edits.move refuses a double.
 */
function moveEdges(span, range) {
  if (edits.move(span, range)) select(span.uid);
}

function deleteSelected() {
  const span = store.spans.get(store.selectedUid);
  if (span) return edits.remove(span);
  showMessage("Select a span first: click it, or press ] to go to the next one.", "error");
}

const COMMANDS = {
  label: ({ label, exact }) => applyLabel(label, { exact }),
  "link-speaker": () => startLinking(),
  nudge,
  help: () => helpDialog.showModal(),
  "close-help": () => helpDialog.close(),
  "leave-field": (_, event) => event.target.blur(),
  "next-span": () => step(1),
  "previous-span": () => step(-1),
  "next-document": () => window.location.assign(data.next_url),
  delete: deleteSelected,
  deselect: () => {
    // A fresh page, or focus on a panel button, has no selection range to collapse.
    const selection = window.getSelection();
    if (selection?.rangeCount) selection.collapseToEnd();
    select(null);
  },
  "edit-span": () => editor.focusField(),
  "focus-text": () => {
    container.focus();
    const offset = store.spans.get(store.selectedUid)?.start16 ?? 0;
    textView.selectRange(offset, offset);
  },
  find: () => findBar.open(),
  undo: () => edits.undo(),
  redo: () => edits.redo(),
  "toggle-done": () => edits.toggleDone(),
  "next-suggestion": () => review.step(1),
  "previous-suggestion": () => review.step(-1),
  "accept-suggestion": () => review.accept(),
  "reject-suggestion": () => review.reject(),
  "tag-occurrences": () => review.tagOccurrences(),
  ignore: () => {},
};

function onKeyDown(event) {
  const target = event.target instanceof HTMLElement ? event.target : null;
  const found = commandFor(event, {
    shortcuts: store.shortcuts,
    helpOpen: helpDialog.open,
    inField: Boolean(target?.matches("input, textarea, select")),
    onControl: Boolean(target?.matches("button, a, summary")),
    onText: event.target === container,
    canNudge: Boolean(store.selectedUid) && Boolean(window.getSelection()?.isCollapsed ?? true),
    reviewing: review.reviewing(),
  });
  // In link mode Enter links the current candidate, even from a focused panel button.
  if (store.linking && event.key === "Enter" && !target?.matches("input, textarea, select")) {
    event.preventDefault();
    return finishLinking(store.linking.candidates[store.linking.index]);
  }
  if (!found) return;
  if (found.preventDefault) event.preventDefault();
  if (readOnly && EDITING_COMMANDS.has(found.command)) {
    return showMessage(`${data.layer_title} is read-only here: switch to your layer to edit.`);
  }
  if (store.linking && found.command === "deselect") return stopLinking();
  COMMANDS[found.command](found, event);
}

/** Select the span clicked in the text; clicking again selects the one under it. */
function onTextClick(event) {
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed) return;
  const piece = textView.pieceAt(event.target.closest?.(".seg"));
  if (store.linking) {
    const uid = piece?.spanIds.find((id) => store.linking.candidates.includes(id));
    if (uid) return finishLinking(uid);
    return showMessage("Click a highlighted span: an Actor or Anonymous source of this layer.");
  }
  if (!piece || piece.spanIds.length === 0) return select(null);
  const ids = piece.spanIds;
  const at = ids.indexOf(store.selectedUid);
  select(at > 0 ? ids[at - 1] : ids.at(-1));
}

/** Give up unsaved changes and show the document as the server has it. */
async function discardUnsaved() {
  queue.discard();
  try {
    load(await api.get(data.api.document));
    showMessage("Unsaved changes discarded; this is the document as saved.");
  } catch (error) {
    showMessage(`Could not reload the document: ${error.message}`, "error");
  }
}

/** Replace the page state with a document's spans, relations, status and tags. */
function load(documentData) {
  store.load(documentData);
  edits.history.clear();
  performance.mark("byline:layout-start");
  textView.relayout();
  performance.mark("byline:text-start");
  textView.renderAll();
  performance.mark("byline:panel-start");
  panel.build();
  performance.mark("byline:panel-end");
  editor.render();
  docPanel.renderTags();
  toolbar.renderStatus();
  review.spansChanged();
}

load(data);
docPanel.renderDocument();
if (readOnly) {
  document.body.classList.add("read-only");
  for (const button of document.querySelectorAll(".label-button")) button.disabled = true;
}
document.addEventListener("keydown", onKeyDown);
container.addEventListener("click", onTextClick);
window.addEventListener("beforeunload", (event) => {
  if (queue.state().pending > 0) event.preventDefault();
});
performance.mark("byline:ready");
document.body.dataset.ready = "true";
review.load();
