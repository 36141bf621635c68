// DOM glue of the annotation page (templates/annotations/annotate.html).
//
// Renders the document text with its spans, turns selections and keys into edits, and
// saves each edit at once through the JSON API, one request at a time (savequeue.js). The
// pure parts live in their own modules: offsets.js (UTF-16 <-> code points), layout.js
// (span levels), textmodel.js (pieces and styles), history.js (undo), api.js (requests).
//
// Every text from the server reaches the DOM through textContent or a text node, never as
// HTML. Offsets in the page state are code points, as the server stores them; `start16`
// and `end16` are the same positions in the DOM's UTF-16.

import { createApi } from "./api.js";
import { createHistory, invert } from "./history.js";
import { layoutSpans } from "./layout.js";
import { createOffsetIndex } from "./offsets.js";
import { createSaveQueue } from "./savequeue.js";
import {
  affectedCluster,
  compareSpans,
  cutPieces,
  indexAt,
  insertionIndex,
  lineRanges,
  pieceBackground,
  relayoutRange,
  resolveSelection,
  safeColour,
} from "./textmodel.js";

performance.mark("byline:script-start");

const data = JSON.parse(document.getElementById("annotator-data").textContent);
const text = data.text;
const offsets = createOffsetIndex(text);
const api = createApi({
  csrfToken: document.querySelector("input[name=csrfmiddlewaretoken]").value,
  fetch: window.fetch.bind(window),
});

const $ = (id) => document.getElementById(id);
const container = $("doc-text");
const editor = $("span-editor");
const messageBox = $("message");
const helpDialog = $("help");

// ---------------------------------------------------------------- state

const labels = new Map();
const shortcuts = new Map();
for (const label of data.labels) {
  labels.set(label.key, { ...label, colour: safeColour(label.colour) });
  if (label.shortcut) shortcuts.set(label.shortcut, label.key);
}
const universalAttributes = data.universal_attributes ?? { comment: "string" };

/** uid -> {uid, label, start, end, start16, end16, text, attributes, version, annotator} */
const spans = new Map();
/** Spans in reading order, for next/previous. */
let order = [];
/** Relation objects {id, type, source, target} (span uids), and an index by span uid. */
const relations = new Set();
const relationsBySpan = new Map();
let status = data.status;
let tags = [...data.tags];
let selectedUid = null;
/** Spans linked to the selected one (its speaker, or the quotes it speaks). */
let linkedToSelection = new Set();
let unsaved = new Set();

const history = createHistory();
const queue = createSaveQueue({ onChange: showSaveState });

function makeSpan(record) {
  return {
    uid: record.uid,
    label: record.label,
    start: record.start,
    end: record.end,
    start16: offsets.toUtf16(record.start),
    end16: offsets.toUtf16(record.end),
    text: record.text,
    attributes: { ...(record.attributes ?? {}) },
    version: record.version ?? 0,
    annotator: record.annotator ?? null,
    // Label or attribute changes queued and not yet answered: until none is left, the
    // server's answers are older than what the page shows.
    edits: 0,
  };
}

function snapshot(span) {
  const { uid, label, start, end } = span;
  return { uid, label, start, end, text: span.text, attributes: { ...span.attributes } };
}

function labelOf(span) {
  return labels.get(span.label) ?? { key: span.label, name: span.label, colour: safeColour() };
}

function spanUrl(uid) {
  return `${data.api.spans}${encodeURIComponent(uid)}/`;
}

function linksOf(uid) {
  return [...(relationsBySpan.get(uid) ?? [])];
}

function speakerOf(uid) {
  return linksOf(uid).find((r) => r.type === "speaker" && r.source === uid) ?? null;
}

function isAllowedLink(type, source, target) {
  if (!source || !target || source.uid === target.uid) return false;
  if (type !== "speaker") return true;
  return source.label === data.speaker.source && data.speaker.targets.includes(target.label);
}

function indexRelation(relation, add) {
  for (const uid of [relation.source, relation.target]) {
    if (!relationsBySpan.has(uid)) relationsBySpan.set(uid, new Set());
    const set = relationsBySpan.get(uid);
    if (add) set.add(relation);
    else set.delete(relation);
  }
}

function addRelationLocal(relation) {
  relations.add(relation);
  indexRelation(relation, true);
}

function removeRelationLocal(relation) {
  relations.delete(relation);
  indexRelation(relation, false);
}

// ---------------------------------------------------------------- text rendering

const lines = lineRanges(text).map((range) => ({ ...range, element: null }));
const lineStarts = lines.map((line) => line.start);
const flags = (data.quality_flags ?? []).filter(
  (flag) =>
    Number.isInteger(flag.start) &&
    Number.isInteger(flag.end) &&
    flag.start >= 0 &&
    flag.start < flag.end &&
    flag.end <= offsets.codePointLength,
);
const marks = flags.map((flag, id) => ({
  id,
  start: offsets.toUtf16(flag.start),
  end: offsets.toUtf16(flag.end),
}));
let levels = new Map();
let pieces = [];
const textStart = new WeakMap();
const pieceOf = new WeakMap();

/** What layout.js needs of each span, in UTF-16 offsets, by uid. */
const layoutEntries = new Map();

/** Lay out every span again (when the page loads its data). */
function relayout() {
  layoutEntries.clear();
  for (const span of spans.values()) {
    layoutEntries.set(span.uid, {
      id: span.uid,
      start: span.start16,
      end: span.end16,
      label: span.label,
    });
  }
  const layout = layoutSpans(text.length, [...layoutEntries.values()]);
  levels = layout.levels;
  pieces = cutPieces(layout.segments, { cuts: lineStarts, marks });
}

/** Lay out again only the spans a change over [start16, end16) may move, and draw them. */
function relayoutAround(start16, end16) {
  const cluster = affectedCluster(layoutEntries.values(), start16, end16);
  pieces = relayoutRange(pieces, levels, cluster.members, cluster.start, cluster.end, {
    cuts: lineStarts,
    marks,
  });
  redraw([[cluster.start, cluster.end]]);
}

function rangesOf(uids) {
  const ranges = [];
  for (const uid of uids) {
    const span = spans.get(uid);
    if (span) ranges.push([span.start16, span.end16]);
  }
  return ranges;
}

/** Draw again the lines that touch `ranges` ([start16, end16] pairs), keeping the selection. */
function redraw(ranges) {
  const dirty = new Set();
  for (const [start, end] of ranges) {
    for (
      let i = indexAt(lines, start);
      i < lines.length && lines[i].start < Math.max(end, start + 1);
      i++
    ) {
      dirty.add(i);
    }
  }
  if (dirty.size === 0) return;
  // A selection inside a redrawn line would be lost with its text nodes: note it, and put
  // it back (which also focuses the text, so only when the text has the focus).
  const selection = window.getSelection();
  const kept =
    document.activeElement === container &&
    selection.rangeCount > 0 &&
    [...dirty].some(
      (i) =>
        lines[i].element.contains(selection.anchorNode) ||
        lines[i].element.contains(selection.focusNode),
    )
      ? readSelection()
      : null;
  for (const i of dirty) if (lines[i].drawn) renderLine(lines[i]);
  if (kept) restoreSelection(kept);
}

// Lines are grouped in chunks of a few thousand characters that the browser skips laying
// out and painting while they are off screen (content-visibility); a few dozen chunks, not
// one per line, keep the cost of tracking their visibility small. In a long document a
// chunk first holds its lines as plain text and gets its spans drawn when it comes near
// the screen, so opening costs the same whatever the length.
const CHUNK_CHARACTERS = 3000;
const DRAW_AT_ONCE = 2; // chunks drawn before the first paint, the top of the document
const chunkObserver = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      chunkObserver.unobserve(entry.target);
      for (const line of chunkLines.get(entry.target)) drawLine(line);
    }
  },
  { rootMargin: "1500px 0px" },
);
const chunkLines = new WeakMap();

function renderAll() {
  chunkObserver.disconnect();
  const fragment = document.createDocumentFragment();
  const chunks = [];
  let chunkStart = 0;
  for (const line of lines) {
    if (chunks.length === 0 || line.start - chunkStart >= CHUNK_CHARACTERS) {
      const chunk = document.createElement("div");
      chunk.className = "chunk";
      chunkLines.set(chunk, []);
      chunks.push(chunk);
      chunkStart = line.start;
      fragment.append(chunk);
    }
    const chunk = chunks.at(-1);
    line.element = document.createElement("div");
    line.element.className =
      line.end - line.start === 1 && text[line.start] === "\n" ? "line blank" : "line";
    line.drawn = false;
    const plain = document.createTextNode(text.slice(line.start, line.end));
    textStart.set(plain, line.start);
    line.element.append(plain);
    chunk.append(line.element);
    chunkLines.get(chunk).push(line);
    // Until it is first drawn, a chunk is assumed as tall as its text in lines of ~70
    // characters.
    chunk.style.containIntrinsicSize = `auto ${Math.ceil((line.end - chunkStart) / 70) * 40}px`;
  }
  chunks.forEach((chunk, i) => {
    if (i < DRAW_AT_ONCE) for (const line of chunkLines.get(chunk)) drawLine(line);
    else chunkObserver.observe(chunk);
  });
  container.replaceChildren(fragment);
}

/** Draw a line's spans for the first time. */
function drawLine(line) {
  if (line.drawn) return;
  line.drawn = true;
  renderLine(line);
}

function renderLine(line) {
  const fragment = document.createDocumentFragment();
  for (let i = indexAt(pieces, line.start); i < pieces.length && pieces[i].start < line.end; i++) {
    fragment.append(renderPiece(pieces[i]));
  }
  line.element.replaceChildren(fragment);
}

function renderPiece(piece) {
  const node = document.createTextNode(text.slice(piece.start, piece.end));
  textStart.set(node, piece.start);
  if (piece.spanIds.length === 0 && piece.marks.length === 0) return node;
  const element = document.createElement("span");
  pieceOf.set(element, piece);
  element.append(node);
  let classes = "seg";
  if (piece.spanIds.length > 0) {
    const covering = piece.spanIds.map((uid) => spans.get(uid));
    const selected = covering.find((span) => span.uid === selectedUid);
    classes += ` ${pieceClass(
      covering.map((span) => ({ level: levels.get(span.uid), colour: labelOf(span).colour })),
      selected
        ? { tint: labelOf(selected).colour, tintAlpha: 0.3 }
        : { tintAlpha: Math.min(0.1 + 0.05 * (covering.length - 1), 0.25) },
    )}`;
    if (selected) classes += " is-selected";
    if (covering.some((span) => linkedToSelection.has(span.uid))) classes += " is-linked";
    if (covering.some((span) => unsaved.has(span.uid))) classes += " is-unsaved";
    const starting = covering.filter((span) => span.start16 === piece.start);
    if (starting.length > 0) {
      element.dataset.tag = starting.map((span) => span.label).join(" · ");
      classes += ` ${tagClass(starting[0])}`;
    }
  }
  if (piece.marks.length > 0) classes += " is-flagged";
  element.className = classes;
  return element;
}

// Pieces share a few hundred looks at most: each becomes one generated CSS class, which the
// browser styles far faster than thousands of inline gradients.
const pieceSheet = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, pieceSheet];
const pieceClasses = new Map();

function pieceClass(covering, options) {
  const spans = covering.map((c) => `${c.level}${c.colour}`).join(" ");
  const key = `${spans} ${options.tint} ${options.tintAlpha}`;
  let name = pieceClasses.get(key);
  if (name === undefined) {
    name = `look-${pieceClasses.size}`;
    const look = pieceBackground(covering, options);
    pieceSheet.insertRule(
      `.${name} { background-image: ${look.backgroundImage}; ` +
        `background-size: ${look.backgroundSize}; ` +
        `background-position: ${look.backgroundPosition}; ` +
        `padding-bottom: ${look.paddingBottom || 0}; }`,
    );
    pieceClasses.set(key, name);
  }
  return name;
}

function tagClass(span) {
  const colour = labelOf(span).colour;
  const key = `tag ${colour}`;
  let name = pieceClasses.get(key);
  if (name === undefined) {
    name = `tag-${pieceClasses.size}`;
    pieceSheet.insertRule(`.seg.${name}::before { color: ${colour}; }`);
    pieceClasses.set(key, name);
  }
  return name;
}

/** Return what hovering a piece shows: its spans' labels and quality flags. */
function pieceTitle(piece) {
  const titles = [];
  if (piece.spanIds.length > 0) {
    titles.push(piece.spanIds.map((uid) => labelOf(spans.get(uid)).name).join(" › "));
  }
  for (const id of piece.marks) {
    const flag = flags[id];
    titles.push(`Quality flag: ${flag.kind}${flag.note ? ` (${flag.note})` : ""}`);
  }
  return titles.join("\n");
}

// ---------------------------------------------------------------- DOM positions

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
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  let found = walker.nextNode();
  if (edge === "last") {
    for (let next = found; next; next = walker.nextNode()) found = next;
  }
  if (!found) return node === container && edge === "last" ? text.length : null;
  return edgeOffset(found, edge);
}

/** Return the text node and offset at UTF-16 offset `offset16`. */
function domPosition(offset16) {
  const line = lines[Math.min(indexAt(lines, offset16), lines.length - 1)];
  const walker = document.createTreeWalker(line.element, NodeFilter.SHOW_TEXT);
  let last = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const start = textStart.get(node);
    if (offset16 <= start + node.length) return { node, offset: Math.max(0, offset16 - start) };
    last = node;
  }
  return { node: last, offset: last.length };
}

function readSelection() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0) return null;
  const anchor = boundaryOffset(selection.anchorNode, selection.anchorOffset);
  const focus = boundaryOffset(selection.focusNode, selection.focusOffset);
  return anchor === null || focus === null ? null : { anchor, focus };
}

function restoreSelection({ anchor, focus }) {
  const a = domPosition(anchor);
  const f = domPosition(focus);
  window.getSelection().setBaseAndExtent(a.node, a.offset, f.node, f.offset);
}

function collapseSelectionAt(offset16) {
  if (document.activeElement !== container) return;
  const { node, offset } = domPosition(offset16);
  window.getSelection().setBaseAndExtent(node, offset, node, offset);
}

function elementAt(offset16) {
  const { node } = domPosition(offset16);
  return node.parentElement;
}

function scrollToRange(start16, { block = "center" } = {}) {
  elementAt(start16)?.scrollIntoView({ block, inline: "nearest" });
}

// ---------------------------------------------------------------- messages and state

let messageTimer = null;

function showMessage(message, kind = "info") {
  messageBox.textContent = message;
  messageBox.dataset.kind = kind;
  messageBox.hidden = false;
  clearTimeout(messageTimer);
  if (kind !== "error") messageTimer = setTimeout(() => (messageBox.hidden = true), 6000);
}

function showSaveState(state) {
  const element = $("save-state");
  const before = unsaved;
  if (state.failure) {
    element.dataset.state = "unsaved";
    element.textContent = `${state.pending} unsaved change${state.pending === 1 ? "" : "s"}`;
    unsaved = queue.unsavedUids();
  } else {
    element.dataset.state = state.pending > 0 ? "saving" : "saved";
    element.textContent = state.pending > 0 ? "Saving…" : "All changes saved";
    unsaved = new Set();
  }
  $("retry-button").hidden = !state.failure;
  $("discard-button").hidden = !state.failure;
  if (state.failure && !state.saving) {
    const { operation, error } = state.failure;
    showMessage(
      `Could not save (${operation.what ?? "change"}): ${error.message} ` +
        "Your change is kept here, unsaved: retry, or discard what is unsaved.",
      "error",
    );
  }
  const changed = [...before, ...unsaved].filter((uid) => before.has(uid) !== unsaved.has(uid));
  if (changed.length > 0) redraw(rangesOf(changed));
}

function save(operation) {
  queue.enqueue(operation);
}

// ---------------------------------------------------------------- span edits

/** Return the span the server sent in a 409 answer, adopted into the page. */
function adoptConflict(error, what) {
  const current = error.body?.current;
  if (!current) return false;
  const span = spans.get(current.uid);
  if (span) {
    applyServerSpan(span, current, { force: true });
  } else {
    insertSpan(makeSpan(current));
  }
  showMessage(
    `${what}: someone else changed this span meanwhile; you now see their version.`,
    "error",
  );
  return true;
}

function applyServerSpan(span, answer, { force = false } = {}) {
  const relabelled = span.label !== answer.label;
  const changed =
    relabelled || JSON.stringify(span.attributes) !== JSON.stringify(answer.attributes);
  const oldLabel = span.label;
  span.version = answer.version;
  span.annotator = answer.annotator;
  if (!changed || (span.edits > 0 && !force)) return;
  span.attributes = { ...answer.attributes };
  if (relabelled) {
    span.label = answer.label;
    layoutEntries.get(span.uid).label = span.label;
    dropInvalidLinks(span);
    moveInPanel(span, oldLabel);
    relayoutAround(span.start16, span.end16);
  }
  refreshItem(span.uid);
  if (span.uid === selectedUid) select(span.uid);
}

function insertSpan(span) {
  spans.set(span.uid, span);
  order.splice(insertionIndex(order, span, compareSpans), 0, span);
  layoutEntries.set(span.uid, {
    id: span.uid,
    start: span.start16,
    end: span.end16,
    label: span.label,
  });
  relayoutAround(span.start16, span.end16);
  addToPanel(span);
}

function removeSpan(span) {
  for (const relation of linksOf(span.uid)) removeRelationLocal(relation);
  if (selectedUid === span.uid) select(null);
  spans.delete(span.uid);
  const at = order.indexOf(span);
  if (at !== -1) order.splice(at, 1);
  layoutEntries.delete(span.uid);
  levels.delete(span.uid);
  relayoutAround(span.start16, span.end16);
  removeFromPanel(span);
}

/** Create a span locally and save it; `edit` is the history entry it belongs to. */
function createSpan(record, edit) {
  const span = makeSpan(record);
  insertSpan(span);
  if (status === "new") showStatus("in_progress");
  save({
    what: `create ${span.label} span`,
    uids: [span.uid],
    run: async () => {
      const answer = await api.post(data.api.spans, {
        uid: span.uid,
        label: span.label,
        start: span.start,
        end: span.end,
        text: span.text,
        attributes: span.attributes,
        layer: data.new_span_layer || "own",
      });
      span.version = answer.version;
      span.annotator = answer.annotator;
    },
  });
  restoreLinks(edit);
  return span;
}

function deleteSpan(span, edit) {
  for (const relation of linksOf(span.uid)) rememberLink(edit, relation);
  const links = linksOf(span.uid);
  removeSpan(span);
  save({
    what: `delete ${span.label} span`,
    uids: [span.uid],
    run: async () => {
      try {
        await api.delete(`${spanUrl(span.uid)}?version=${span.version}`);
      } catch (error) {
        if (error.status === 404) return;
        if (error.status === 409 && adoptConflict(error, "Not deleted")) {
          for (const relation of links) addRelationLocal(relation);
          return;
        }
        throw error;
      }
    },
  });
}

function relabelSpan(span, to, edit) {
  const oldLabel = span.label;
  span.label = to.label;
  span.attributes = { ...to.attributes };
  layoutEntries.get(span.uid).label = span.label;
  for (const relation of dropInvalidLinks(span)) rememberLink(edit, relation);
  moveInPanel(span, oldLabel);
  relayoutAround(span.start16, span.end16);
  if (span.uid === selectedUid) select(span.uid);
  saveSpanChange(span, { label: to.label, attributes: to.attributes }, `relabel as ${to.label}`);
  restoreLinks(edit);
}

/** Queue a change of `span`'s label or attributes. */
function saveSpanChange(span, changes, what) {
  span.edits += 1;
  save({
    what,
    uids: [span.uid],
    run: async () => {
      await patchSpan(span, changes, what);
      span.edits -= 1;
    },
  });
}

async function patchSpan(span, changes, what) {
  try {
    const answer = await api.patch(spanUrl(span.uid), { version: span.version, ...changes });
    applyServerSpan(span, answer, { force: span.edits === 1 });
  } catch (error) {
    if (error.status === 409 && adoptConflict(error, what)) return;
    if (error.status === 404) {
      if (spans.get(span.uid) === span) removeSpan(span);
      showMessage(`${what}: the span was deleted by someone else.`, "error");
      return;
    }
    throw error;
  }
}

/** Remove, locally, the links of `span` its label no longer allows (the server does too). */
function dropInvalidLinks(span) {
  const dropped = [];
  for (const relation of linksOf(span.uid)) {
    if (!isAllowedLink(relation.type, spans.get(relation.source), spans.get(relation.target))) {
      removeRelationLocal(relation);
      dropped.push(relation);
    }
  }
  for (const relation of dropped)
    refreshItem(relation.source === span.uid ? relation.target : relation.source);
  return dropped;
}

function rememberLink(edit, relation) {
  if (!edit) return;
  const known = edit.relations.some(
    (r) => r.type === relation.type && r.source === relation.source && r.target === relation.target,
  );
  if (!known)
    edit.relations.push({ type: relation.type, source: relation.source, target: relation.target });
}

/** Link again what an undone or redone edit had linked, where still allowed and free. */
function restoreLinks(edit) {
  if (!edit) return;
  for (const link of edit.relations) {
    const source = spans.get(link.source);
    const target = spans.get(link.target);
    if (!isAllowedLink(link.type, source, target)) continue;
    if (link.type === "speaker" && speakerOf(source.uid)) continue;
    createLink(link.type, source, target);
  }
}

function createLink(type, source, target) {
  const relation = { id: null, type, source: source.uid, target: target.uid };
  addRelationLocal(relation);
  refreshItem(source.uid);
  save({
    what: "link the speaker",
    uids: [source.uid],
    run: async () => {
      const answer = await api.post(data.api.relations, {
        type,
        source: relation.source,
        target: relation.target,
      });
      relation.id = answer.id;
    },
  });
  return relation;
}

function setSpeaker(quote, speaker) {
  const current = speakerOf(quote.uid);
  if (current && speaker && current.target === speaker.uid) return;
  if (current && !speaker) {
    removeRelationLocal(current);
    save({
      what: "unlink the speaker",
      uids: [quote.uid],
      run: async () => {
        try {
          await api.delete(`${data.api.relations}${current.id}/`);
        } catch (error) {
          if (error.status !== 404) throw error;
        }
      },
    });
  } else if (current) {
    indexRelation(current, false);
    current.target = speaker.uid;
    indexRelation(current, true);
    save({
      what: "change the speaker",
      uids: [quote.uid],
      run: () => api.patch(`${data.api.relations}${current.id}/`, { target: current.target }),
    });
  } else if (speaker) {
    createLink("speaker", quote, speaker);
  }
  refreshItem(quote.uid);
  select(quote.uid);
}

function setAttributes(span, attributes) {
  span.attributes = attributes;
  refreshItem(span.uid);
  saveSpanChange(span, { attributes }, "save attributes");
}

// ---------------------------------------------------------------- analyst actions

function applyLabel(key) {
  const label = labels.get(key);
  const selection = window.getSelection();
  if (selection && selection.rangeCount > 0 && !selection.isCollapsed) {
    const range = selection.getRangeAt(0);
    const start16 = boundaryOffset(range.startContainer, range.startOffset);
    const end16 = boundaryOffset(range.endContainer, range.endOffset);
    if (start16 === null || end16 === null) {
      showMessage("Select text inside the document: this selection runs outside it.", "error");
      return;
    }
    const resolved = resolveSelection(text, offsets, start16, end16);
    if (resolved.error) {
      showMessage(resolved.error, "error");
      return;
    }
    const twin = order.find(
      (s) => s.start === resolved.start && s.end === resolved.end && s.label === key,
    );
    if (twin) {
      showMessage(`This text already has a ${label.name} span.`, "error");
      select(twin.uid);
      return;
    }
    const record = { ...resolved, uid: newUid(), label: key, attributes: {} };
    const edit = { type: "create", span: record, relations: [] };
    selection.removeAllRanges(); // The caret goes after the new span below.
    const previous = selectedUid;
    selectedUid = record.uid; // Drawn selected right away, not drawn twice.
    const span = createSpan(record, edit);
    history.record(edit);
    selectedUid = previous;
    select(span.uid, { drawn: true });
    collapseSelectionAt(span.end16);
    return;
  }
  const span = spans.get(selectedUid);
  if (span) {
    if (span.label === key) return;
    relabel(span, key);
    return;
  }
  showMessage("Select some text first, then press a label.", "error");
}

function relabel(span, key) {
  const allowed = { ...labels.get(key).attribute_spec, ...universalAttributes };
  const attributes = Object.fromEntries(
    Object.entries(span.attributes).filter(([name]) => name in allowed),
  );
  const edit = {
    type: "relabel",
    uid: span.uid,
    from: { label: span.label, attributes: { ...span.attributes } },
    to: { label: key, attributes },
    relations: [],
  };
  relabelSpan(span, edit.to, edit);
  history.record(edit);
}

function deleteSelected() {
  const span = spans.get(selectedUid);
  if (!span) {
    showMessage("Select a span first: click it, or press ] to go to the next one.", "error");
    return;
  }
  const edit = { type: "delete", span: snapshot(span), relations: [] };
  deleteSpan(span, edit);
  history.record(edit);
  showMessage(`Deleted the ${labelOf(span).name} span. Ctrl+Z undoes it.`);
}

/** Apply an edit from the history (an undo or a redo). */
function apply(edit) {
  if (edit.type === "create") {
    if (spans.has(edit.span.uid)) return true;
    const span = createSpan(edit.span, edit);
    select(span.uid, { scroll: true });
    return true;
  }
  const span = spans.get(edit.type === "delete" ? edit.span.uid : edit.uid);
  if (!span) return false;
  if (edit.type === "delete") deleteSpan(span, edit);
  else relabelSpan(span, edit.to, edit);
  if (edit.type === "relabel") select(span.uid, { scroll: true });
  return true;
}

function undo() {
  const edit = history.undo();
  if (!edit) return showMessage("Nothing to undo.");
  if (!apply(edit)) return showMessage("Cannot undo: that span is gone.", "error");
  showMessage(`Undone: ${describeEdit(invert(edit))}.`);
}

function redo() {
  const edit = history.redo();
  if (!edit) return showMessage("Nothing to redo.");
  if (!apply(edit)) return showMessage("Cannot redo: that span is gone.", "error");
  showMessage(`Redone: ${describeEdit(edit)}.`);
}

function describeEdit(edit) {
  if (edit.type === "relabel") return `relabel as ${edit.to.label}`;
  return `${edit.type} ${edit.span.label} “${shorten(edit.span.text, 40)}”`;
}

function newUid() {
  return crypto.randomUUID().replaceAll("-", "");
}

function showStatus(next) {
  status = next;
  const badge = $("status-badge");
  badge.className = `status status-${status}`;
  badge.textContent = { new: "New", in_progress: "In progress", done: "Done" }[status] ?? status;
  $("done-button").textContent = status === "done" ? "Reopen" : "Mark done";
  $("next-link").classList.toggle("button-primary", status === "done");
}

function toggleDone() {
  const next = status === "done" ? "in_progress" : "done";
  showStatus(next);
  save({
    what: next === "done" ? "mark done" : "reopen",
    run: async () => {
      await api.put(data.api.status, { status: next });
    },
  });
  showMessage(
    next === "done" ? "Marked done. Press > for the next document." : "Reopened for annotation.",
  );
}

/** Select span `uid` (or none); `drawn` says its text is already drawn selected. */
function select(uid, { scroll = false, drawn = false } = {}) {
  const before = selectedUid;
  const touched = [before, drawn ? null : uid, ...linkedToSelection];
  selectedUid = uid && spans.has(uid) ? uid : null;
  linkedToSelection = new Set(
    selectedUid
      ? linksOf(selectedUid).map((r) => (r.source === selectedUid ? r.target : r.source))
      : [],
  );
  redraw(rangesOf([...new Set([...touched, ...linkedToSelection])].filter(Boolean)));
  for (const uid of [before, selectedUid]) {
    panelItems
      .get(uid)
      ?.querySelector("button")
      ?.setAttribute("aria-current", String(uid === selectedUid));
  }
  renderEditor();
  if (selectedUid) revealInPanel(panelItems.get(selectedUid));
  if (scroll && selectedUid) scrollToRange(spans.get(selectedUid).start16);
}

/** Scroll the side panel, and only it, so that `item` shows. */
function revealInPanel(item) {
  const body = $("panel-body");
  if (!item || body.scrollHeight <= body.clientHeight) return;
  const top = item.getBoundingClientRect().top - body.getBoundingClientRect().top + body.scrollTop;
  const bottom = top + item.offsetHeight;
  if (top < body.scrollTop) body.scrollTop = top - 40;
  else if (bottom > body.scrollTop + body.clientHeight)
    body.scrollTop = bottom - body.clientHeight + 12;
}

function step(direction) {
  if (order.length === 0) return showMessage("This document has no span yet.");
  const at = order.findIndex((span) => span.uid === selectedUid);
  const next =
    at === -1
      ? direction > 0
        ? 0
        : order.length - 1
      : (at + direction + order.length) % order.length;
  select(order[next].uid, { scroll: true });
}

// ---------------------------------------------------------------- side panel: spans

const panelGroups = new Map();
const panelItems = new Map();
// A long document's groups start closed and get their items when first opened, so that
// thousands of spans cost nothing until someone looks at them.
const OPEN_GROUPS_UP_TO = 400;

function buildPanel() {
  const root = $("span-groups");
  const fragment = document.createDocumentFragment();
  panelGroups.clear();
  panelItems.clear();
  for (const label of labels.values()) {
    const members = order.filter((span) => span.label === label.key);
    const list = element("ol", { class: "span-list" });
    const count = element("span", { class: "count" }, String(members.length));
    const details = element("details", { class: "span-group", "data-label": label.key }, [
      element("summary", {}, [
        swatch(label),
        element("span", { class: "group-name" }, label.name),
        count,
      ]),
      list,
    ]);
    const group = { members, list, count, details, built: false };
    details.addEventListener("toggle", () => {
      if (details.open && !group.built) buildGroup(group);
    });
    details.open = spans.size <= OPEN_GROUPS_UP_TO;
    if (details.open) buildGroup(group);
    panelGroups.set(label.key, group);
    fragment.append(details);
  }
  root.replaceChildren(fragment);
  $("span-total").textContent = String(spans.size);
  $("span-hint").hidden = spans.size > 0;
}

function buildGroup(group) {
  const fragment = document.createDocumentFragment();
  for (const span of group.members) fragment.append(panelItem(span));
  group.list.replaceChildren(fragment);
  group.built = true;
  panelItems.get(selectedUid)?.querySelector("button")?.setAttribute("aria-current", "true");
}

function panelItem(span) {
  const item = element("li", {}, [
    element(
      "button",
      { type: "button", class: "span-item", "data-uid": span.uid },
      itemContent(span),
    ),
  ]);
  panelItems.set(span.uid, item);
  return item;
}

function itemContent(span) {
  const parts = [element("span", { class: "span-text" }, shorten(span.text, 140))];
  const note = itemNote(span);
  if (note) parts.push(element("span", { class: "span-note" }, note));
  return parts;
}

function itemNote(span) {
  const speaker = speakerOf(span.uid);
  const notes = [];
  if (speaker && spans.has(speaker.target))
    notes.push(`said by ${shorten(spans.get(speaker.target).text, 40)}`);
  for (const [name, value] of Object.entries(span.attributes)) {
    if (value === null || value === "") continue;
    notes.push(`${name}: ${typeof value === "number" ? value.toLocaleString("en") : value}`);
  }
  return notes.join(" · ");
}

function refreshItem(uid) {
  const span = spans.get(uid);
  const button = panelItems.get(uid)?.querySelector("button");
  if (span && button) button.replaceChildren(...itemContent(span));
}

function addToPanel(span) {
  const group = panelGroups.get(span.label);
  if (!group) return;
  const at = insertionIndex(group.members, span, compareSpans);
  group.members.splice(at, 0, span);
  if (group.built) group.list.insertBefore(panelItem(span), group.list.children[at] ?? null);
  group.count.textContent = String(group.members.length);
  $("span-total").textContent = String(spans.size);
  $("span-hint").hidden = true;
}

function removeFromPanel(span, label = span.label) {
  const group = panelGroups.get(label);
  const at = group ? group.members.indexOf(span) : -1;
  if (at !== -1) {
    group.members.splice(at, 1);
    group.count.textContent = String(group.members.length);
  }
  panelItems.get(span.uid)?.remove();
  panelItems.delete(span.uid);
  $("span-total").textContent = String(spans.size);
  $("span-hint").hidden = spans.size > 0;
}

function moveInPanel(span, oldLabel) {
  if (oldLabel === span.label) return;
  removeFromPanel(span, oldLabel);
  addToPanel(span);
  if (span.uid === selectedUid) {
    panelItems.get(span.uid)?.querySelector("button")?.setAttribute("aria-current", "true");
  }
}

// ---------------------------------------------------------------- side panel: selected span

function renderEditor() {
  const span = spans.get(selectedUid);
  const focused = editor.contains(document.activeElement) ? document.activeElement.id : "";
  if (!span) {
    editor.hidden = true;
    editor.replaceChildren();
    return;
  }
  const label = labelOf(span);
  const parts = [
    element("div", { class: "editor-head" }, [
      swatch(label),
      element("h2", {}, label.name),
      element(
        "button",
        { type: "button", class: "close", "aria-label": "Close (Esc)", "data-action": "deselect" },
        "×",
      ),
    ]),
    element("blockquote", { class: "covered" }, span.text),
    element(
      "p",
      { class: "small muted" },
      `Characters ${span.start}–${span.end}${span.annotator ? ` · by ${span.annotator}` : ""}`,
    ),
    element(
      "div",
      { class: "relabel", role: "group", "aria-label": "Label" },
      [...labels.values()].map((l) =>
        element(
          "button",
          {
            type: "button",
            class: "chip",
            "data-relabel": l.key,
            "aria-pressed": String(l.key === span.label),
            style: `--chip: ${l.colour}`,
          },
          l.name,
        ),
      ),
    ),
    attributeForm(span, label),
  ];
  if (span.label === data.speaker.source) parts.push(speakerPicker(span));
  if (data.speaker.targets.includes(span.label)) {
    const quotes = linksOf(span.uid).filter((r) => r.type === "speaker" && r.target === span.uid);
    if (quotes.length > 0) {
      parts.push(
        element("div", { class: "field" }, [
          element("span", { class: "field-label" }, "Speaks"),
          element(
            "ul",
            { class: "links" },
            quotes.map((r) =>
              element("li", {}, [
                element(
                  "button",
                  { type: "button", class: "link-button", "data-select": r.source },
                  shorten(spans.get(r.source)?.text ?? "", 80),
                ),
              ]),
            ),
          ),
        ]),
      );
    }
  }
  parts.push(
    element("div", { class: "editor-actions" }, [
      element(
        "button",
        { type: "button", class: "button button-danger", "data-action": "delete" },
        "Delete span",
      ),
      element("kbd", {}, "Del"),
    ]),
  );
  editor.replaceChildren(...parts);
  editor.hidden = false;
  if (focused) $(focused)?.focus();
}

function attributeForm(span, label) {
  const spec = { ...label.attribute_spec, ...universalAttributes };
  const form = element("form", { class: "attributes", "data-uid": span.uid });
  for (const [name, type] of Object.entries(spec)) {
    const id = `attr-${name}`;
    const value = span.attributes[name];
    let control;
    if (type === "boolean") {
      control = element("select", { id, name, "data-type": type }, [
        element("option", { value: "" }, "—"),
        element("option", { value: "true" }, "Yes"),
        element("option", { value: "false" }, "No"),
      ]);
      control.value = value === true ? "true" : value === false ? "false" : "";
    } else if (name === "comment") {
      control = element("textarea", { id, name, rows: "2", "data-type": type });
      control.value = value ?? "";
    } else {
      const numeric = type === "number" || type === "integer";
      control = element("input", {
        id,
        name,
        type: "text",
        inputmode: numeric ? (type === "integer" ? "numeric" : "decimal") : "text",
        autocomplete: "off",
        "data-type": type,
      });
      control.value = value ?? "";
    }
    form.append(
      element("div", { class: "field" }, [
        element(
          "label",
          { for: id, class: "field-label" },
          `${name}${type === "string" ? "" : ` (${type})`}`,
        ),
        control,
      ]),
    );
  }
  return form;
}

/** Return the attributes in `form`, or null (with a message) if one is not of its type. */
function readAttributes(form) {
  const attributes = {};
  for (const control of form.elements) {
    if (!control.name) continue;
    control.removeAttribute("aria-invalid");
    const raw = control.value.trim();
    if (raw === "") continue;
    const type = control.dataset.type;
    if (type === "boolean") attributes[control.name] = raw === "true";
    else if (type === "number" || type === "integer") {
      const number = Number(raw.replaceAll(",", ""));
      if (!Number.isFinite(number) || (type === "integer" && !Number.isInteger(number))) {
        control.setAttribute("aria-invalid", "true");
        showMessage(
          `${control.name} must be ${type === "integer" ? "a whole number" : "a number"}.`,
          "error",
        );
        return null;
      }
      attributes[control.name] = number;
    } else attributes[control.name] = control.name === "comment" ? control.value : raw;
  }
  return attributes;
}

function commitAttributes(form) {
  const span = spans.get(form.dataset.uid);
  const attributes = span && readAttributes(form);
  if (!attributes) return;
  if (JSON.stringify(attributes) === JSON.stringify(span.attributes)) return;
  setAttributes(span, attributes);
}

function speakerPicker(quote) {
  const candidates = order.filter((span) => data.speaker.targets.includes(span.label));
  const current = speakerOf(quote.uid);
  const select = element(
    "select",
    { id: "speaker-select", name: "speaker", "data-uid": quote.uid },
    [
      element(
        "option",
        { value: "" },
        candidates.length ? "— no speaker —" : "— tag an actor or source first —",
      ),
      ...candidates.map((span) =>
        element("option", { value: span.uid }, `${shorten(span.text, 50)} (${labelOf(span).name})`),
      ),
    ],
  );
  select.value = current?.target ?? "";
  return element("div", { class: "field" }, [
    element("label", { for: "speaker-select", class: "field-label" }, "Speaker"),
    select,
  ]);
}

// ------------------------------------------------------- side panel: tags, metadata, flags

function renderTags() {
  const list = $("tag-list");
  list.replaceChildren(
    ...tags.map((tag) =>
      element("li", { class: "tag" }, [
        element("span", {}, tag),
        element(
          "button",
          {
            type: "button",
            class: "tag-remove",
            "data-tag": tag,
            "aria-label": `Remove tag ${tag}`,
          },
          "×",
        ),
      ]),
    ),
  );
}

function saveTags(next) {
  tags = next;
  renderTags();
  save({
    what: "save tags",
    run: async () => {
      const answer = await api.put(data.api.tags, { tags: next });
      if (tags === next) {
        tags = answer.tags;
        renderTags();
      }
    },
  });
}

function renderDocumentPanel() {
  $("tag-suggestions").replaceChildren(
    ...data.corpus_tags.map((tag) => element("option", { value: tag })),
  );
  const extra = $("extra-metadata");
  for (const [key, value] of flattenMetadata(data.metadata ?? {})) {
    extra.append(element("dt", {}, key), element("dd", { class: "break" }, value));
  }
  $("more-metadata").hidden = extra.childElementCount === 0;
  const flagList = $("flag-list");
  if (flagList) {
    flagList.replaceChildren(
      ...flags.map((flag, id) =>
        element("li", {}, [
          element("button", { type: "button", class: "flag-item", "data-flag": String(id) }, [
            element("span", { class: "flag-kind" }, flag.kind),
            element(
              "span",
              { class: "flag-text" },
              `“${shorten(text.slice(marks[id].start, marks[id].end), 60)}”`,
            ),
            flag.suggestion
              ? element("span", { class: "flag-suggestion" }, `likely “${flag.suggestion}”`)
              : "",
            flag.note ? element("span", { class: "flag-note" }, flag.note) : "",
          ]),
        ]),
      ),
    );
  }
}

// ---------------------------------------------------------------- helpers

/** Return a new element; string children become text nodes, never HTML. */
function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of [children].flat()) {
    if (child === "" || child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** Return [name, text] pairs of a metadata object, nested objects one level deep. */
function flattenMetadata(metadata) {
  const pairs = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        pairs.push([
          `${key} › ${inner}`,
          typeof innerValue === "string" ? innerValue : JSON.stringify(innerValue),
        ]);
      }
    } else {
      pairs.push([key, typeof value === "string" ? value : JSON.stringify(value)]);
    }
  }
  return pairs;
}

function swatch(label) {
  return element("span", {
    class: "swatch",
    style: `background: ${safeColour(label.colour)}`,
    "aria-hidden": "true",
  });
}

function shorten(value, length) {
  const flat = value.replace(/\s+/g, " ").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

// ---------------------------------------------------------------- events

function onKeyDown(event) {
  if (event.defaultPrevented || event.isComposing) return;
  if (helpDialog.open) {
    if (event.key === "?") {
      event.preventDefault();
      helpDialog.close();
    }
    return;
  }
  const inField =
    event.target instanceof HTMLElement && event.target.matches("input, textarea, select");
  if (inField) {
    if (event.key === "Escape") event.target.blur();
    return;
  }
  const command = event.ctrlKey || event.metaKey;
  if (command && !event.altKey) {
    const key = event.key.toLowerCase();
    if (key === "z" || key === "y") {
      event.preventDefault();
      if (key === "y" || event.shiftKey) redo();
      else undo();
    } else if (event.key === "Enter") {
      event.preventDefault();
      toggleDone();
    }
    return;
  }
  if (event.altKey) return;
  const onControl =
    event.target instanceof HTMLElement && event.target.matches("button, a, summary");
  if (onControl && (event.key === "Enter" || event.key === " ")) return;
  const labelKey =
    shortcuts.get(event.key) ??
    (event.shiftKey ? undefined : shortcuts.get(event.key.toLowerCase()));
  if (labelKey) {
    event.preventDefault();
    applyLabel(labelKey);
    return;
  }
  const handled = {
    "?": () => helpDialog.showModal(),
    "]": () => step(1),
    "[": () => step(-1),
    ">": () => window.location.assign(data.next_url),
    Delete: deleteSelected,
    Backspace: deleteSelected,
    Escape: () => {
      window.getSelection()?.collapseToEnd();
      select(null);
    },
    Enter: () => editor.querySelector("input, select, textarea")?.focus(),
    t: () => {
      container.focus();
      const span = spans.get(selectedUid);
      const { node, offset } = domPosition(span ? span.start16 : 0);
      window.getSelection().setBaseAndExtent(node, offset, node, offset);
    },
  }[event.key];
  if (handled) {
    event.preventDefault();
    handled();
  } else if (event.target === container && event.key.length === 1) {
    event.preventDefault(); // The text is read-only; keys that are not commands do nothing.
  }
}

function wireEvents() {
  document.addEventListener("keydown", onKeyDown);
  // The text is contenteditable only for the caret and keyboard selection: no edit lands.
  for (const type of ["beforeinput", "paste", "cut", "drop", "dragstart"]) {
    container.addEventListener(type, (event) => event.preventDefault());
  }
  container.addEventListener("input", () => {
    relayout();
    renderAll();
  });
  container.addEventListener("mouseover", (event) => {
    const piece = pieceOf.get(event.target);
    if (piece && !event.target.title) event.target.title = pieceTitle(piece);
  });
  container.addEventListener("click", (event) => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    const piece = pieceOf.get(event.target.closest?.(".seg"));
    if (!piece || piece.spanIds.length === 0) {
      select(null);
      return;
    }
    const ids = piece.spanIds;
    const at = ids.indexOf(selectedUid);
    select(at > 0 ? ids[at - 1] : ids.at(-1));
  });
  for (const button of document.querySelectorAll(".label-button")) {
    const label = labels.get(button.dataset.label);
    button.querySelector(".swatch").style.background = label.colour;
    button.style.setProperty("--label-colour", label.colour);
    // Keep the text selection when the button is pressed.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => applyLabel(label.key));
  }
  $("span-groups").addEventListener("click", (event) => {
    const button = event.target.closest(".span-item");
    if (button) select(button.dataset.uid, { scroll: true });
  });
  editor.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    const span = spans.get(selectedUid);
    if (target.dataset.relabel && span && span.label !== target.dataset.relabel)
      relabel(span, target.dataset.relabel);
    else if (target.dataset.action === "delete") deleteSelected();
    else if (target.dataset.action === "deselect") select(null);
    else if (target.dataset.select) select(target.dataset.select, { scroll: true });
  });
  editor.addEventListener("change", (event) => {
    if (event.target.id === "speaker-select") {
      const quote = spans.get(event.target.dataset.uid);
      if (quote) setSpeaker(quote, spans.get(event.target.value) ?? null);
    } else if (event.target.form?.classList.contains("attributes")) {
      commitAttributes(event.target.form);
    }
  });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches(".attributes input")) {
      event.preventDefault();
      commitAttributes(event.target.form);
    }
  });
  editor.addEventListener("submit", (event) => {
    event.preventDefault();
    commitAttributes(event.target);
  });
  $("tag-input").addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== ",") return;
    event.preventDefault();
    const name = event.target.value.trim();
    event.target.value = "";
    if (!name || tags.some((tag) => tag.toLowerCase() === name.toLowerCase())) return;
    saveTags([...tags, name]);
  });
  $("tag-list").addEventListener("click", (event) => {
    const button = event.target.closest(".tag-remove");
    if (button) saveTags(tags.filter((tag) => tag !== button.dataset.tag));
  });
  $("flag-list")?.addEventListener("click", (event) => {
    const button = event.target.closest(".flag-item");
    if (!button) return;
    const mark = marks[Number(button.dataset.flag)];
    container.focus();
    const a = domPosition(mark.start);
    const b = domPosition(mark.end);
    window.getSelection().setBaseAndExtent(a.node, a.offset, b.node, b.offset);
    scrollToRange(mark.start);
  });
  $("done-button").addEventListener("click", toggleDone);
  $("help-button").addEventListener("click", () => helpDialog.showModal());
  $("retry-button").addEventListener("click", () => queue.retry());
  $("discard-button").addEventListener("click", discardUnsaved);
  window.addEventListener("beforeunload", (event) => {
    if (queue.state().pending > 0) event.preventDefault();
  });
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
  spans.clear();
  relations.clear();
  relationsBySpan.clear();
  for (const record of documentData.spans) spans.set(record.uid, makeSpan(record));
  order = [...spans.values()].sort(compareSpans);
  for (const relation of documentData.relations) {
    if (spans.has(relation.source) && spans.has(relation.target)) addRelationLocal({ ...relation });
  }
  tags = [...documentData.tags];
  selectedUid = null;
  linkedToSelection = new Set();
  history.clear();
  levels = new Map();
  performance.mark("byline:layout-start");
  relayout();
  performance.mark("byline:text-start");
  renderAll();
  performance.mark("byline:panel-start");
  buildPanel();
  performance.mark("byline:panel-end");
  renderEditor();
  renderTags();
  showStatus(documentData.status);
}

load(data);
renderDocumentPanel();
wireEvents();
performance.mark("byline:ready");
document.body.dataset.ready = "true";
