// Where a span's edges go: a selection snapped to whole words with its edge punctuation and
// quotation marks trimmed, and an edge moved by one word. Pure, node-tested.
//
// Offsets are UTF-16 code units into the text (what the browser selects); resolveSelection
// (textmodel.js) turns them into code points afterwards.

const WORD = /[\p{L}\p{N}\p{M}]/u;
// Quotation marks of every kind, and apostrophes, which never start or end a span.
const QUOTE_MARKS = new Set([..."\"'“”‘’«»‹›„‟‚‛`"]);
const OPENERS = new Map([["(", ")"], ["[", "]"], ["{", "}"]]);
const CLOSERS = new Map([[")", "("], ["]", "["], ["}", "{"]]);
// Punctuation that ends a clause, not a name or a figure ("Mark Carney," -> "Mark Carney").
const TRAILING = new Set([",", ";", ":", "!", "?", "—", "–"]);
const LEADING = new Set([",", ";", ":", "—", "–", "-", "•", "·"]);
// A final period that belongs to the word: "U.S.", "Inc.", "Jr.".
const SHORT_WORDS = "Inc|Corp|Co|Ltd|Jr|Sr|St|Mt|Gov|Sen|Rep|Gen|Dr|Mr|Mrs|Ms|No|vs|etc";
const ABBREVIATION = new RegExp(String.raw`(?:\b\p{Lu}\.)+$|\b(?:${SHORT_WORDS})\.$`, "u");
// Labels whose span may end with the sentence's own punctuation: a quote keeps its words whole.
const KEEPS_PUNCTUATION = new Set(["QUOTE"]);

/** Return the character (a whole code point) that ends just before UTF-16 offset `i`. */
function before(text, i) {
  if (i <= 0) return "";
  const low = text.charCodeAt(i - 1);
  return i >= 2 && low >= 0xdc00 && low <= 0xdfff ? text.slice(i - 2, i) : text[i - 1];
}

/** Return the character (a whole code point) that starts at UTF-16 offset `i`. */
function at(text, i) {
  if (i >= text.length) return "";
  return String.fromCodePoint(text.codePointAt(i));
}

const isWord = (character) => character !== "" && WORD.test(character);
const isSpace = (character) => character !== "" && /\s/u.test(character);

/** Return [start, end] widened so that neither edge falls inside a word. */
export function snapToWords(text, start, end) {
  while (start > 0 && isWord(before(text, start)) && isWord(at(text, start))) {
    start -= before(text, start).length;
  }
  while (end < text.length && isWord(at(text, end)) && isWord(before(text, end))) {
    end += at(text, end).length;
  }
  return [start, end];
}

/**
 * Return [start, end] without the white space, quotation marks, unmatched brackets and edge
 * punctuation around the words; a QUOTE keeps its own final punctuation. Null if nothing is
 * left. `edges` "start" or "end" trims that edge only (a dragged edge; the other stays put).
 */
export function trimEdges(text, start, end, label = "", { edges = "both" } = {}) {
  const keepsPunctuation = KEEPS_PUNCTUATION.has(label);
  const trimsStart = edges !== "end";
  const trimsEnd = edges !== "start";
  let changed = true;
  while (changed && start < end) {
    changed = false;
    const first = at(text, start);
    const last = before(text, end);
    const inside = text.slice(start, end);
    if (trimsStart && trimsEnd && OPENERS.get(first) === last && end - start > 2) {
      // Brackets around the whole span: "($163 billion)".
      start += 1;
      end -= 1;
      changed = true;
      continue;
    }
    if (!trimsStart) {
      // The start stays where it is.
    } else if (isSpace(first) || QUOTE_MARKS.has(first) || LEADING.has(first)) {
      start += first.length;
      changed = true;
    } else if (OPENERS.has(first) && !inside.includes(OPENERS.get(first))) {
      start += first.length;
      changed = true;
    }
    if (start >= end) break;
    if (!trimsEnd) {
      // The end stays where it is.
    } else if (isSpace(last) || QUOTE_MARKS.has(last)) {
      end -= last.length;
      changed = true;
    } else if (CLOSERS.has(last) && !text.slice(start, end - 1).includes(CLOSERS.get(last))) {
      end -= last.length;
      changed = true;
    } else if (!keepsPunctuation && TRAILING.has(last)) {
      end -= last.length;
      changed = true;
    } else if (!keepsPunctuation && last === "." && !ABBREVIATION.test(text.slice(start, end))) {
      end -= 1;
      changed = true;
    }
  }
  return start < end ? [start, end] : null;
}

/**
 * Return the selection [start16, end16] as a span of `label` takes it: snapped to whole
 * words, then trimmed (see trimEdges). `exact` keeps the characters as selected.
 */
export function tidySelection(text, start16, end16, { label = "", exact = false } = {}) {
  const [low, high] = start16 <= end16 ? [start16, end16] : [end16, start16];
  if (exact || low === high) return [low, high];
  const [start, end] = snapToWords(text, low, high);
  return trimEdges(text, start, end, label) ?? [low, high];
}

/**
 * Return [start16, end16] with one edge moved by a word: `edge` "start" or "end",
 * `direction` 1 (right) or -1 (left). Null if the edge cannot move (the span would be empty,
 * or the text ends).
 */
export function nudgeEdge(text, start, end, edge, direction) {
  let offset = edge === "start" ? start : end;
  const step = (inWord) => {
    if (direction > 0) {
      while (offset < text.length && isWord(at(text, offset)) === inWord) {
        offset += at(text, offset).length;
      }
    } else {
      while (offset > 0 && isWord(before(text, offset)) === inWord) {
        offset -= before(text, offset).length;
      }
    }
  };
  // The end moves to the end of a word, the start to the start of one.
  if ((edge === "end") === direction > 0) {
    step(false);
    step(true);
  } else {
    step(true);
    step(false);
  }
  const moved = edge === "start" ? [offset, end] : [start, offset];
  if (moved[0] >= moved[1] || (moved[0] === start && moved[1] === end)) return null;
  return moved;
}
