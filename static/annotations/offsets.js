// Conversion between the browser's UTF-16 offsets and the server's code-point offsets.
//
// The server stores span offsets as Unicode code points, end-exclusive, exactly like
// Python's `text[start:end]`. DOM Selection and Range count UTF-16 code units, in which
// every character outside the Basic Multilingual Plane (most emoji, rare CJK) takes two
// units: a surrogate pair. This module is the only place in the project that knows that;
// everything else speaks code points.
//
// A lone surrogate (malformed text) counts as one unit and one code point on both sides,
// which is also how Python counts it, so only well-formed pairs shift offsets.
//
// Pure functions, no DOM: tested by `node --test tests/js/`.

const BIASES = new Set(["backward", "forward"]);

/** @typedef {"backward" | "forward"} Bias */

/**
 * @typedef {object} OffsetIndex
 * @property {number} utf16Length - Length of the text in UTF-16 code units (`text.length`).
 * @property {number} codePointLength - Length of the text in code points (Python `len()`).
 * @property {(utf16Offset: number, options?: {bias?: Bias}) => number} toCodePoint
 *   Return the code-point offset of a UTF-16 offset.
 * @property {(codePointOffset: number) => number} toUtf16
 *   Return the UTF-16 offset of a code-point offset.
 */

/**
 * Return an index that converts offsets over `text` between UTF-16 and code points.
 *
 * Building the index scans the text once; each conversion is then a binary search over
 * the surrogate pairs only, so ten thousand conversions over a long text stay cheap.
 *
 * @param {string} text
 * @returns {OffsetIndex}
 */
export function createOffsetIndex(text) {
  if (typeof text !== "string") {
    throw new TypeError(`text must be a string, not ${typeof text}`);
  }
  // pairStarts[k] is the UTF-16 offset of the k-th surrogate pair; pairCodePoints[k] is
  // the code-point offset of the same character. Both are strictly increasing.
  const starts = [];
  for (let i = 0; i < text.length - 1; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) {
      starts.push(i);
      i++; // The low half is not the start of another pair.
    }
  }
  const pairStarts = Int32Array.from(starts);
  const pairCodePoints = pairStarts.map((start, k) => start - k);
  const utf16Length = text.length;
  const codePointLength = utf16Length - pairStarts.length;

  /**
   * Return the code-point offset of a UTF-16 offset. An offset between the two halves of
   * a surrogate pair snaps to the pair's start ("backward", the default) or past its end
   * ("forward").
   *
   * @param {number} utf16Offset
   * @param {{bias?: Bias}} [options]
   * @returns {number}
   */
  function toCodePoint(utf16Offset, { bias = "backward" } = {}) {
    checkOffset(utf16Offset, utf16Length, "UTF-16 offset", "UTF-16 code units");
    if (!BIASES.has(bias)) {
      throw new RangeError(`bias must be "backward" or "forward", not ${JSON.stringify(bias)}`);
    }
    // Pairs starting before the offset; each one that ends by the offset saved a unit.
    const before = countLessThan(pairStarts, utf16Offset);
    const splitsPair = before > 0 && pairStarts[before - 1] === utf16Offset - 1;
    // Inside a pair, `before` counts the split pair too, which is exactly the snap
    // backward; snapping forward moves one code point further.
    return utf16Offset - before + (splitsPair && bias === "forward" ? 1 : 0);
  }

  /**
   * Return the UTF-16 offset of a code-point offset.
   *
   * @param {number} codePointOffset
   * @returns {number}
   */
  function toUtf16(codePointOffset) {
    checkOffset(codePointOffset, codePointLength, "code-point offset", "code points");
    return codePointOffset + countLessThan(pairCodePoints, codePointOffset);
  }

  return Object.freeze({ toCodePoint, toUtf16, codePointLength, utf16Length });
}

/**
 * Return the code-point range of a UTF-16 range, widened so that it never splits a
 * character: the start snaps backward and the end forward. A range that lies inside one
 * surrogate pair therefore widens to that whole character.
 *
 * @param {OffsetIndex} index - From `createOffsetIndex` over the same text.
 * @param {number} start16
 * @param {number} end16
 * @returns {{start: number, end: number}}
 */
export function toCodePointRange(index, start16, end16) {
  if (start16 > end16) {
    throw new RangeError(`range [${start16}, ${end16}) ends before it starts`);
  }
  return {
    start: index.toCodePoint(start16, { bias: "backward" }),
    end: index.toCodePoint(end16, { bias: "forward" }),
  };
}

/**
 * Return the UTF-16 range with leading and trailing whitespace removed, or null when
 * nothing but whitespace remains. Whitespace is JavaScript's `\s`, which includes
 * newlines and no-break spaces.
 *
 * @param {string} text
 * @param {number} start16
 * @param {number} end16
 * @returns {{start: number, end: number} | null}
 */
export function trimWhitespace(text, start16, end16) {
  checkRange(start16, end16, text.length, "UTF-16", "UTF-16 code units");
  // Every `\s` character is in the BMP and no surrogate is whitespace, so testing one
  // code unit at a time can never stop in the middle of a pair.
  let start = start16;
  let end = end16;
  while (start < end && WHITESPACE.test(text[start])) start++;
  while (end > start && WHITESPACE.test(text[end - 1])) end--;
  return start < end ? { start, end } : null;
}

/**
 * Return the substring of `text` between two code-point offsets, like Python's
 * `text[start:end]` for a valid range. Pass an index built over `text` when slicing many
 * times; otherwise one is built per call.
 *
 * @param {string} text
 * @param {number} start - Code-point offset, inclusive.
 * @param {number} end - Code-point offset, exclusive.
 * @param {OffsetIndex} [index] - From `createOffsetIndex(text)`.
 * @returns {string}
 */
export function sliceCodePoints(text, start, end, index = createOffsetIndex(text)) {
  if (index.utf16Length !== text.length) {
    throw new RangeError("index was built over a different text");
  }
  // Strict, unlike Python slicing: a span outside its text is a bug to report, not clamp.
  checkRange(start, end, index.codePointLength, "code-point", "code points");
  return text.slice(index.toUtf16(start), index.toUtf16(end));
}

const WHITESPACE = /\s/;

function isHighSurrogate(unit) {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit) {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Return how many values of the sorted array are less than `value` (a lower bound). */
function countLessThan(sorted, value) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function checkOffset(offset, length, what, unit) {
  if (!Number.isInteger(offset) || offset < 0 || offset > length) {
    throw new RangeError(
      `${what} ${describe(offset)} is outside a text of ${length} ${unit} (valid: 0 to ${length})`,
    );
  }
}

function checkRange(start, end, length, what, unit) {
  checkOffset(start, length, `${what} start`, unit);
  checkOffset(end, length, `${what} end`, unit);
  if (start > end) {
    throw new RangeError(`${what} range [${start}, ${end}) ends before it starts`);
  }
}

function describe(value) {
  return typeof value === "number" ? String(value) : `${JSON.stringify(value)} (${typeof value})`;
}
