// Find in the document: where a query occurs, and which match is next. Pure, node-tested.
//
// Offsets are UTF-16 code units, like the text view's: the browser draws and selects in them.

// Characters with a meaning in a regular expression, escaped to be matched as themselves.
const SPECIAL = /[.*+?^${}()|[\]\\]/g;

/**
 * Return [start16, end16] of each match of `query` in `text`, in order, at most `limit`.
 *
 * Case is ignored, and a run of spaces in the query matches any run of white space (a line
 * break included), so a phrase is found across the text's line breaks.
 */
export function findMatches(text, query, { limit = 10000 } = {}) {
  const words = query.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const pattern = new RegExp(words.map((w) => w.replace(SPECIAL, "\\$&")).join("\\s+"), "giu");
  const matches = [];
  for (const match of text.matchAll(pattern)) {
    matches.push([match.index, match.index + match[0].length]);
    if (matches.length >= limit) break;
  }
  return matches;
}

/**
 * Return the index of the match to show after `current` going `direction` (1 or -1),
 * wrapping around; with no current match, the first one at or after `from16`.
 */
export function stepMatch(matches, current, direction, from16 = 0) {
  if (matches.length === 0) return -1;
  if (current < 0 || current >= matches.length) {
    const after = matches.findIndex(([start]) => start >= from16);
    if (direction > 0) return after < 0 ? 0 : after;
    return after <= 0 ? matches.length - 1 : after - 1;
  }
  return (current + direction + matches.length) % matches.length;
}

/** Return the find bar's count: "3 of 12", "No match", or "" for an empty query. */
export function matchCount(matches, current, query) {
  if (!query.trim()) return "";
  if (matches.length === 0) return "No match";
  return `${current + 1} of ${matches.length}`;
}
