// Linking a quote to its speaker: which spans may speak it, nearest first, each with the
// words around it; and the shape of the arc drawn between a quote and its speaker.
// Pure, node-tested; links.js saves links, annotator.js runs the link mode.

import { shorten } from "./textmodel.js";

/**
 * Return the spans that may be `quote`'s speaker, nearest first: spans of a speaker label
 * (`store.speaker.targets`) of the quote's own layer, by the characters between them and
 * the quote (a span before it wins a tie: news names the speaker first more often).
 */
export function speakerCandidates(store, quote) {
  const gap = (span) =>
    span.end <= quote.start
      ? quote.start - span.end
      : span.start >= quote.end
        ? span.start - quote.end
        : 0;
  return store.order
    .filter(
      (span) =>
        span.uid !== quote.uid &&
        store.speaker.targets.includes(span.label) &&
        sameLayer(span, quote),
    )
    .map((span) => ({ span, gap: gap(span), before: span.end <= quote.start }))
    .sort(
      (a, b) =>
        a.gap - b.gap || Number(b.before) - Number(a.before) || a.span.start - b.span.start,
    )
    .map(({ span }) => span);
}

/**
 * Return whether two spans of the page are of one layer. A span not yet saved has no
 * annotator yet: it is the viewer's own, like every span the page lets them edit.
 */
function sameLayer(a, b) {
  return a.annotator === null || b.annotator === null || a.annotator === b.annotator;
}

/**
 * Return the words around `span` in `text` (UTF-16 offsets): {before, words, after}, each
 * side cut to about `width` characters at a word boundary, with an ellipsis.
 */
export function spanContext(text, span, width = 24) {
  const left = text.slice(Math.max(0, span.start16 - width * 2), span.start16);
  const right = text.slice(span.end16, span.end16 + width * 2);
  const cutLeft =
    left.length > width ? left.slice(left.indexOf(" ", left.length - width) + 1) : left;
  const cutRight = right.length > width ? right.slice(0, right.lastIndexOf(" ", width)) : right;
  const moreBefore = cutLeft.length < left.length || span.start16 > left.length;
  const moreAfter = cutRight.length < right.length;
  return {
    before: `${moreBefore ? "…" : ""}${cutLeft.replace(/\s+/g, " ")}`,
    words: shorten(span.text, 40),
    after: `${cutRight.replace(/\s+/g, " ")}${moreAfter ? "…" : ""}`,
  };
}

/**
 * Return the SVG path of the arc from rectangle `from` (a quote's first line box) to `to`
 * (its speaker's), in the overlay's coordinates. It runs only through the space above a
 * line's words and through the left gutter at `gutter`, so it never crosses a word: on one
 * line it rises above it; across lines it leaves above the quote, turns down (or up) the
 * gutter, and comes in above the speaker.
 */
export function arcPath(from, to, { gutter = -10, rise = 12, lift = 6 } = {}) {
  const x1 = from.left + Math.min(from.width / 2, 12);
  const x2 = to.left + Math.min(to.width / 2, 12);
  const sameLine = Math.abs(from.top - to.top) < Math.min(from.height, to.height) / 2;
  if (sameLine) {
    const y = Math.min(from.top, to.top);
    return `M ${x1} ${y} C ${x1} ${y - rise}, ${x2} ${y - rise}, ${x2} ${y}`;
  }
  const y1 = from.top - lift;
  const y2 = to.top - lift;
  return `M ${x1} ${from.top} V ${y1} H ${gutter} V ${y2} H ${x2} V ${to.top}`;
}
