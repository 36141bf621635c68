// Unit tests for static/annotations/offsets.js. Expected code-point values were computed
// with python3 (`len(s)`, `s[i:j]`, `len(s[:i].encode("utf-16-le")) // 2`), because the
// server slices text the way Python does.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  createOffsetIndex,
  sliceCodePoints,
  toCodePointRange,
  trimWhitespace,
} from "../../static/annotations/offsets.js";

// "Hi 😀 👍🏽 👨‍👩‍👧 café 中文 𠀀!" with the accent as a combining U+0301.
const MIXED =
  "Hi \u{1F600} \u{1F44D}\u{1F3FD} \u{1F468}\u200D\u{1F469}\u200D\u{1F467} cafe\u0301 " +
  "\u4E2D\u6587 \u{20000}!";
// Python: [len(s[:i].encode("utf-16-le")) // 2 for i in range(len(s) + 1)]
const MIXED_CODE_POINT_TO_UTF16 = [
  0, 1, 2, 3, 5, 6, 8, 10, 11, 13, 14, 16, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31,
  32,
];
// Python: (s.index(sub), s.index(sub) + len(sub)) and the slice between them.
const MIXED_PYTHON_SLICES = [
  [0, 2, "Hi"],
  [3, 4, "\u{1F600}"],
  [5, 7, "\u{1F44D}\u{1F3FD}"],
  [8, 13, "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}"],
  [14, 19, "cafe\u0301"],
  [20, 22, "\u4E2D\u6587"],
  [23, 24, "\u{20000}"],
  [24, 25, "!"],
];

/** Return the UTF-16 offsets that split a surrogate pair in `text`. */
function splitOffsets(text) {
  const offsets = [];
  for (let i = 1; i < text.length; i++) {
    const high = text.charCodeAt(i - 1);
    const low = text.charCodeAt(i);
    if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) offsets.push(i);
  }
  return offsets;
}

/** Return code point -> UTF-16 offsets computed the slow, obvious way, as a reference. */
function naiveCodePointToUtf16(text) {
  const offsets = [0];
  let utf16 = 0;
  for (const character of text) {
    utf16 += character.length;
    offsets.push(utf16);
  }
  return offsets;
}

describe("createOffsetIndex", () => {
  test("ASCII offsets are the same in both units", () => {
    const index = createOffsetIndex("Hello, world");
    assert.equal(index.codePointLength, 12);
    assert.equal(index.utf16Length, 12);
    for (let i = 0; i <= 12; i++) {
      assert.equal(index.toCodePoint(i), i);
      assert.equal(index.toUtf16(i), i);
    }
  });

  test("empty text has the single offset 0", () => {
    const index = createOffsetIndex("");
    assert.equal(index.codePointLength, 0);
    assert.equal(index.toCodePoint(0), 0);
    assert.equal(index.toUtf16(0), 0);
    assert.throws(() => index.toCodePoint(1), RangeError);
  });

  test("lengths match Python len() on emoji, ZWJ, combining accents and CJK", () => {
    const index = createOffsetIndex(MIXED);
    assert.equal(index.codePointLength, 25); // Python: len(s) == 25
    assert.equal(index.utf16Length, 32);
    // Python: len() of each piece on its own.
    assert.equal(createOffsetIndex("\u{1F600}").codePointLength, 1);
    assert.equal(createOffsetIndex("\u{1F44D}\u{1F3FD}").codePointLength, 2);
    assert.equal(createOffsetIndex("\u{1F468}\u200D\u{1F469}\u200D\u{1F467}").codePointLength, 5);
    assert.equal(createOffsetIndex("e\u0301").codePointLength, 2);
    assert.equal(createOffsetIndex("\u4E2D\u6587").codePointLength, 2);
    assert.equal(createOffsetIndex("\u{20000}").codePointLength, 1);
  });

  test("every code-point offset converts as Python computes it", () => {
    const index = createOffsetIndex(MIXED);
    MIXED_CODE_POINT_TO_UTF16.forEach((utf16, codePoint) => {
      assert.equal(index.toUtf16(codePoint), utf16, `toUtf16(${codePoint})`);
      assert.equal(index.toCodePoint(utf16), codePoint, `toCodePoint(${utf16})`);
    });
  });

  test("offsets around a surrogate pair", () => {
    // "a😀b": the emoji occupies UTF-16 units 1 and 2.
    const index = createOffsetIndex("a\u{1F600}b");
    assert.equal(index.toCodePoint(1), 1); // before the pair
    assert.equal(index.toCodePoint(2), 1); // inside, snapped backward by default
    assert.equal(index.toCodePoint(2, { bias: "backward" }), 1);
    assert.equal(index.toCodePoint(2, { bias: "forward" }), 2);
    assert.equal(index.toCodePoint(3), 2); // after the pair
    assert.equal(index.toCodePoint(3, { bias: "forward" }), 2); // bias only matters inside
    assert.equal(index.toCodePoint(4), 3);
    assert.deepEqual([0, 1, 2, 3].map(index.toUtf16), [0, 1, 3, 4]);
  });

  test("adjacent pairs and pairs at both ends of the text", () => {
    // 👍🏽 is two astral code points back to back: units 0-1 and 2-3.
    const index = createOffsetIndex("\u{1F44D}\u{1F3FD}");
    assert.deepEqual([0, 1, 2, 3, 4].map((u) => index.toCodePoint(u)), [0, 0, 1, 1, 2]);
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((u) => index.toCodePoint(u, { bias: "forward" })),
      [0, 1, 1, 2, 2],
    );
    assert.deepEqual([0, 1, 2].map(index.toUtf16), [0, 2, 4]);
  });

  test("every offset splitting a pair snaps to the pair's edges", () => {
    const index = createOffsetIndex(MIXED);
    const splits = splitOffsets(MIXED);
    assert.deepEqual(splits, [4, 7, 9, 12, 15, 18, 30]);
    for (const split of splits) {
      const before = index.toCodePoint(split, { bias: "backward" });
      const after = index.toCodePoint(split, { bias: "forward" });
      assert.equal(index.toUtf16(before), split - 1);
      assert.equal(index.toUtf16(after), split + 1);
    }
  });

  test("round trip holds for every boundary in both directions", () => {
    const index = createOffsetIndex(MIXED);
    const splits = new Set(splitOffsets(MIXED));
    for (let utf16 = 0; utf16 <= MIXED.length; utf16++) {
      if (splits.has(utf16)) continue;
      assert.equal(index.toUtf16(index.toCodePoint(utf16)), utf16);
    }
    for (let codePoint = 0; codePoint <= index.codePointLength; codePoint++) {
      assert.equal(index.toCodePoint(index.toUtf16(codePoint)), codePoint);
    }
  });

  test("lone surrogates count as one code point, as in Python", () => {
    // Python: len("a\ud800b\udc00") == 4; the halves are in the wrong order, so no pair.
    const index = createOffsetIndex("a\uD800b\uDC00\uDC00\uD800");
    assert.equal(index.codePointLength, 6);
    for (let i = 0; i <= 6; i++) assert.equal(index.toUtf16(i), i);
  });

  test("a 200,000-unit text full of emoji converts like the reference", () => {
    const pattern =
      "word \u{1F600} \u4E2D\u6587 \u{20000} e\u0301 " +
      "\u{1F468}\u200D\u{1F469}\u200D\u{1F467} \u00A0\n";
    const text = pattern.repeat(7143);
    const index = createOffsetIndex(text);
    // Python: len(t) and len(t.encode("utf-16-le")) // 2.
    assert.equal(index.codePointLength, 164289);
    assert.equal(index.utf16Length, 200004);
    // Python: len(t[:cp].encode("utf-16-le")) // 2.
    const pythonUtf16 = {
      0: 0, 1: 1, 5: 5, 6: 7, 7: 8, 100000: 121739, 150016: 182627, 150017: 182629,
      164288: 200003, 164289: 200004,
    };
    for (const [codePoint, utf16] of Object.entries(pythonUtf16)) {
      assert.equal(index.toUtf16(Number(codePoint)), utf16);
      assert.equal(index.toCodePoint(utf16), Number(codePoint));
    }
    // Python: t[123456:123470]
    assert.equal(
      sliceCodePoints(text, 123456, 123470, index),
      "\u{1F468}\u200D\u{1F469}\u200D\u{1F467} \u00A0\nword \u{1F600}",
    );

    const reference = naiveCodePointToUtf16(text);
    const referenceCodePoint = new Map(reference.map((utf16, codePoint) => [utf16, codePoint]));
    let seed = 12345;
    const next = (limit) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % limit;
    };
    for (let i = 0; i < 10000; i++) {
      const codePoint = next(index.codePointLength + 1);
      assert.equal(index.toUtf16(codePoint), reference[codePoint]);
      const utf16 = next(index.utf16Length + 1);
      const expected = referenceCodePoint.get(utf16) ?? referenceCodePoint.get(utf16 - 1);
      assert.equal(index.toCodePoint(utf16), expected);
    }
  });

  test("out-of-range and non-integer offsets throw RangeError", () => {
    const index = createOffsetIndex("a\u{1F600}b"); // 4 units, 3 code points
    for (const bad of [-1, 5, 1.5, NaN, Infinity, "1", null, undefined]) {
      assert.throws(() => index.toCodePoint(bad), RangeError, `toCodePoint(${String(bad)})`);
    }
    for (const bad of [-1, 4, 0.5, NaN, "0"]) {
      assert.throws(() => index.toUtf16(bad), RangeError, `toUtf16(${String(bad)})`);
    }
    assert.throws(() => index.toCodePoint(4.5), /UTF-16 offset 4.5 is outside a text of 4/);
    assert.throws(() => index.toUtf16(4), /code-point offset 4 is outside a text of 3/);
    assert.throws(() => index.toCodePoint(2, { bias: "nearest" }), RangeError);
    assert.throws(() => createOffsetIndex(42), TypeError);
  });
});

describe("toCodePointRange", () => {
  const index = createOffsetIndex(MIXED);

  test("a range on whole characters converts exactly", () => {
    assert.deepEqual(toCodePointRange(index, 3, 5), { start: 3, end: 4 }); // 😀
    assert.deepEqual(toCodePointRange(index, 11, 19), { start: 8, end: 13 }); // family
    assert.deepEqual(toCodePointRange(index, 0, 32), { start: 0, end: 25 });
  });

  test("a range that splits characters widens to whole characters", () => {
    // Start inside 😀 (units 3-4), end inside 👍 (units 6-7).
    assert.deepEqual(toCodePointRange(index, 4, 7), { start: 3, end: 6 });
    assert.equal(sliceCodePoints(MIXED, 3, 6), "\u{1F600} \u{1F44D}");
    // Both ends inside the same pair: the whole character.
    assert.deepEqual(toCodePointRange(index, 30, 30), { start: 23, end: 24 });
  });

  test("a reversed or out-of-range range throws RangeError", () => {
    assert.throws(() => toCodePointRange(index, 5, 3), RangeError);
    assert.throws(() => toCodePointRange(index, 0, 33), RangeError);
  });
});

describe("trimWhitespace", () => {
  test("removes spaces, tabs, newlines and no-break spaces at both ends", () => {
    const text = "x \u00A0\t\n said \u{1F600}\n\u00A0 y";
    const trimmed = trimWhitespace(text, 1, text.length - 1);
    assert.equal(text.slice(trimmed.start, trimmed.end), "said \u{1F600}");
    assert.deepEqual(trimmed, { start: 6, end: 13 });
  });

  test("leaves an already trimmed range unchanged", () => {
    assert.deepEqual(trimWhitespace("a b", 0, 3), { start: 0, end: 3 });
  });

  test("returns null for empty and all-whitespace ranges", () => {
    assert.equal(trimWhitespace("a  \n\u00A0 b", 1, 6), null);
    assert.equal(trimWhitespace("abc", 1, 1), null);
    assert.equal(trimWhitespace("", 0, 0), null);
  });

  test("rejects out-of-range and reversed ranges", () => {
    assert.throws(() => trimWhitespace("abc", 0, 4), RangeError);
    assert.throws(() => trimWhitespace("abc", 2, 1), RangeError);
    assert.throws(() => trimWhitespace("abc", -1, 2), RangeError);
  });
});

describe("sliceCodePoints", () => {
  test("matches Python slicing on emoji, ZWJ, combining accents and CJK", () => {
    for (const [start, end, expected] of MIXED_PYTHON_SLICES) {
      assert.equal(sliceCodePoints(MIXED, start, end), expected, `s[${start}:${end}]`);
    }
    assert.equal(sliceCodePoints(MIXED, 0, 25), MIXED);
    assert.equal(sliceCodePoints(MIXED, 4, 4), "");
  });

  test("accepts a prebuilt index and refuses one for another text", () => {
    const index = createOffsetIndex(MIXED);
    assert.equal(sliceCodePoints(MIXED, 23, 24, index), "\u{20000}");
    assert.throws(() => sliceCodePoints("short", 0, 1, index), RangeError);
  });

  test("rejects ranges Python would silently clamp", () => {
    assert.throws(() => sliceCodePoints(MIXED, 0, 26), RangeError);
    assert.throws(() => sliceCodePoints(MIXED, -1, 2), RangeError);
    assert.throws(() => sliceCodePoints(MIXED, 3, 2), RangeError);
  });
});
