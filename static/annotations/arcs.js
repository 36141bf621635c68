// The arcs between quotes and their speakers, drawn in an SVG overlay over the text: the
// selected quote's link always, every link when the analyst asks (View > Speaker links).
// The overlay takes no pointer events, and arcs run above lines or through the left
// gutter (linking.js's arcPath), never over the words in between.
//
// Nothing runs on import: annotator.js calls createArcs().

import { arcPath } from "./linking.js";

const SVG = "http://www.w3.org/2000/svg";

export function createArcs({ doc, container, store, textView }) {
  const host = container.parentElement;
  const svg = doc.createElementNS(SVG, "svg");
  svg.setAttribute("class", "arcs");
  svg.setAttribute("aria-hidden", "true");
  host.append(svg);
  const showAll = doc.getElementById("view-links");
  let frame = 0;

  function box(span) {
    const rects = textView.domRange(span.start16, span.end16).getClientRects();
    return rects.length ? rects[0] : null;
  }

  function linksToDraw() {
    const speaker = (r) => r.type === "speaker";
    if (showAll?.checked) return [...store.relations].filter(speaker);
    const selected = store.selectedUid;
    if (!selected) return [];
    return store.linksOf(selected).filter(speaker);
  }

  function draw() {
    frame = 0;
    const origin = host.getBoundingClientRect();
    const gutter = container.getBoundingClientRect().left - origin.left - 10;
    const paths = [];
    for (const relation of linksToDraw()) {
      const quote = store.spans.get(relation.source);
      const speaker = store.spans.get(relation.target);
      const from = quote && box(quote);
      const to = speaker && box(speaker);
      if (!from || !to) continue;
      const local = (rect) => ({
        left: rect.left - origin.left,
        top: rect.top - origin.top,
        width: rect.width,
        height: rect.height,
      });
      const path = doc.createElementNS(SVG, "path");
      path.setAttribute("d", arcPath(local(from), local(to), { gutter }));
      path.setAttribute("class", "arc");
      path.dataset.quote = relation.source;
      path.dataset.speaker = relation.target;
      path.style.stroke = store.labelOf(speaker).colour;
      paths.push(path);
    }
    svg.setAttribute("width", String(host.scrollWidth));
    svg.setAttribute("height", String(host.scrollHeight));
    svg.replaceChildren(...paths);
  }

  /** Draw the arcs again at the next frame (several changes in a row draw once). */
  function schedule() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  showAll?.addEventListener("change", schedule);
  window.addEventListener("resize", schedule);
  return { schedule, draw };
}
