// The document text on the annotation page: draws the text with its spans and quality
// flags into the container, and converts between DOM positions and UTF-16 offsets.
//
// Layout and pieces come from layout.js and textmodel.js; this module only keeps their
// result and the DOM in step. Text reaches the DOM as text nodes, never as HTML. Nothing
// runs on import: createTextView() is called by annotator.js once the page is there.

import { layoutSpans } from "./layout.js";
import { createLooks } from "./looks.js";
import { createPositions } from "./positions.js";
import { affectedCluster, cutPieces, indexAt, lineRanges, relayoutRange } from "./textmodel.js";

// Lines are grouped in chunks of a few thousand characters that the browser skips laying
// out and painting while they are off screen (content-visibility); a few dozen chunks, not
// one per line, keep the cost of tracking their visibility small. In a long document a
// chunk first holds its lines as plain text and gets its spans drawn when it comes near
// the screen, so opening costs the same whatever the length.
const CHUNK_CHARACTERS = 3000;
const DRAW_AT_ONCE = 2; // chunks drawn before the first paint, the top of the document

/**
 * Return the text view of `store` (store.js), drawn into `container`.
 *
 * @param {{container: HTMLElement, store: object}} options
 */
export function createTextView({ container, store }) {
  const { text, spans, marks } = store;
  const doc = container.ownerDocument;
  const lines = lineRanges(text).map((range) => ({ ...range, element: null }));
  const lineStarts = lines.map((line) => line.start);
  let levels = new Map();
  let pieces = [];
  const textStart = new WeakMap();
  const pieceOf = new WeakMap();
  /** What layout.js needs of each span, in UTF-16 offsets, by uid. */
  const layoutEntries = new Map();
  const chunkLines = new WeakMap();
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
  const looks = createLooks(doc);
  const positions = createPositions({ container, lines, textStart, length: text.length });
  const { readSelection, selectRange } = positions;

  const entryOf = (span) => ({
    id: span.uid,
    start: span.start16,
    end: span.end16,
    label: span.label,
  });

  /** Lay out every span again (when the page loads its data). */
  function relayout() {
    layoutEntries.clear();
    for (const span of spans.values()) layoutEntries.set(span.uid, entryOf(span));
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

  function addSpan(span) {
    layoutEntries.set(span.uid, entryOf(span));
    relayoutAround(span.start16, span.end16);
  }

  function removeSpan(span) {
    layoutEntries.delete(span.uid);
    levels.delete(span.uid);
    relayoutAround(span.start16, span.end16);
  }

  function relabelSpan(span) {
    layoutEntries.get(span.uid).label = span.label;
    relayoutAround(span.start16, span.end16);
  }

  /** Draw again the spans `uids`, where they still are. */
  function redrawSpans(uids) {
    const ranges = [];
    for (const uid of uids) {
      const span = spans.get(uid);
      if (span) ranges.push([span.start16, span.end16]);
    }
    redraw(ranges);
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
    const selection = doc.getSelection();
    const kept =
      doc.activeElement === container &&
      selection.rangeCount > 0 &&
      [...dirty].some(
        (i) =>
          lines[i].element.contains(selection.anchorNode) ||
          lines[i].element.contains(selection.focusNode),
      )
        ? readSelection()
        : null;
    for (const i of dirty) if (lines[i].drawn) renderLine(lines[i]);
    if (kept) selectRange(kept.anchor, kept.focus);
  }

  function renderAll() {
    chunkObserver.disconnect();
    const fragment = doc.createDocumentFragment();
    const chunks = [];
    let chunkStart = 0;
    for (const [index, line] of lines.entries()) {
      if (chunks.length === 0 || line.start - chunkStart >= CHUNK_CHARACTERS) {
        const chunk = doc.createElement("div");
        chunk.className = "chunk";
        chunkLines.set(chunk, []);
        chunks.push(chunk);
        chunkStart = line.start;
        fragment.append(chunk);
      }
      const chunk = chunks.at(-1);
      line.element = doc.createElement("div");
      line.element.className = lineClass(index);
      line.drawn = false;
      const plain = doc.createTextNode(text.slice(line.start, line.end));
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

  /**
   * Return a line's class: "blank" between paragraphs, "para" for a line that ends a
   * paragraph of wire copy whose paragraphs are single lines (no blank line follows it).
   */
  function lineClass(index) {
    const isBlank = (line) => line.end - line.start === 1 && text[line.start] === "\n";
    if (isBlank(lines[index])) return "line blank";
    const next = lines[index + 1];
    return next && !isBlank(next) ? "line para" : "line";
  }

  /** Draw a line's spans for the first time. */
  function drawLine(line) {
    if (line.drawn) return;
    line.drawn = true;
    renderLine(line);
  }

  function renderLine(line) {
    const fragment = doc.createDocumentFragment();
    const last = pieces.length;
    for (let i = indexAt(pieces, line.start); i < last && pieces[i].start < line.end; i++) {
      fragment.append(renderPiece(pieces[i]));
    }
    line.element.replaceChildren(fragment);
  }

  function renderPiece(piece) {
    const node = doc.createTextNode(text.slice(piece.start, piece.end));
    textStart.set(node, piece.start);
    // Spans of a label the analyst chose not to show are not drawn (reading.js).
    const covering = piece.spanIds
      .map((uid) => spans.get(uid))
      .filter((span) => !store.hiddenLabels?.has(span.label));
    if (covering.length === 0 && piece.marks.length === 0) return node;
    const element = doc.createElement("span");
    pieceOf.set(element, piece);
    element.append(node);
    let classes = "seg";
    if (covering.length > 0) {
      const selected = covering.find((span) => span.uid === store.selectedUid);
      classes += ` ${looks.pieceClass(
        covering.map((span) => ({
          level: levels.get(span.uid),
          colour: store.labelOf(span).colour,
        })),
        selected
          ? { tint: store.labelOf(selected).colour, tintAlpha: 0.3 }
          : { tintAlpha: Math.min(0.1 + 0.05 * (covering.length - 1), 0.25) },
      )}`;
      if (selected) classes += " is-selected";
      if (covering.some((span) => store.linkedToSelection.has(span.uid))) classes += " is-linked";
      if (covering.some((span) => store.unsaved.has(span.uid))) classes += " is-unsaved";
      const starting = covering.filter((span) => span.start16 === piece.start);
      if (starting.length > 0) {
        // Where several layers are shown at once, each tag names its span's layer.
        const layerOf = (span) => (span.gold ? "gold" : (span.annotator ?? "imported"));
        const tag = (span) => (store.showLayerNames ? `${span.label} · ${layerOf(span)}` : span.label);
        element.dataset.tag = starting.map(tag).join(" · ");
        classes += ` ${looks.tagClass(store.labelOf(starting[0]).colour)}`;
      }
    }
    if (piece.marks.length > 0) classes += " is-flagged";
    element.className = classes;
    return element;
  }

  /** Return a DOM Range over [start16, end16) of the drawn text (review.js outlines it). */
  function rangeOf(start16, end16) {
    const range = doc.createRange();
    const start = positions.domPosition(start16);
    const end = positions.domPosition(end16);
    range.setStart(start.node, start.offset);
    range.setEnd(end.node, end.offset);
    return range;
  }

  /** Return the piece drawn by `element` (a `.seg`), or undefined. */
  function pieceAt(element) {
    return pieceOf.get(element);
  }

  /** Return what hovering a piece shows: its spans' labels and quality flags. */
  function pieceTitle(piece) {
    const titles = [];
    if (piece.spanIds.length > 0) {
      titles.push(piece.spanIds.map((uid) => store.labelOf(spans.get(uid)).name).join(" › "));
    }
    for (const id of piece.marks) {
      const flag = store.flags[id];
      titles.push(`Quality flag: ${flag.kind}${flag.note ? ` (${flag.note})` : ""}`);
    }
    return titles.join("\n");
  }

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

  return {
    relayout,
    renderAll,
    addSpan,
    removeSpan,
    relabelSpan,
    redrawSpans,
    pieceAt,
    rangeOf,
    boundaryOffset: positions.boundaryOffset,
    selectRange,
    collapseSelectionAt: positions.collapseSelectionAt,
    scrollToRange: positions.scrollToRange,
    domRange: positions.domRange,
    caretOffset: positions.caretOffset,
  };
}
