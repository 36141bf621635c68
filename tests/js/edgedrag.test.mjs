// Unit tests for static/annotations/edgedrag.js: dragging a span's edge by its handle.
import assert from "node:assert/strict";
import { test } from "node:test";

import { trimEdges } from "../../static/annotations/boundaries.js";
import {
  aimPoint,
  CROSSING,
  clampOffset,
  dragEdge,
  handlePlace,
} from "../../static/annotations/edgedrag.js";
import { createOffsetIndex } from "../../static/annotations/offsets.js";

/** Return the span over the first `needle` of `text`, in UTF-16 offsets. */
const spanOver = (text, needle) => {
  const start16 = text.indexOf(needle);
  return { start16, end16: start16 + needle.length };
};
const drag = (text, needle, edge, hit16, options) =>
  dragEdge(text, createOffsetIndex(text), spanOver(text, needle), edge, hit16, options);

test("the end dragged into a later word snaps to that word's end", () => {
  const text = "said Prime Minister Mark Carney, who spoke";
  const into = text.indexOf("Carney") + 2; // "Ca|rney"
  const moved = drag(text, "Minister", "end", into);
  assert.equal(moved.text, "Minister Mark Carney");
  assert.deepEqual([moved.start16, moved.end16], [11, 31]);
  assert.deepEqual([moved.start, moved.end], [11, 31]);
});

test("the end dropped after a comma or in a space gives the word before it", () => {
  const text = "said Prime Minister Mark Carney, who spoke";
  const comma = text.indexOf(",") + 1;
  assert.equal(drag(text, "Mark", "end", comma).text, "Mark Carney");
  assert.equal(drag(text, "Mark", "end", comma + 1).text, "Mark Carney");
});

test("a quote's end keeps its own final punctuation, never the quotation mark", () => {
  const text = "“We are ready.” he said";
  const moved = drag(text, "We", "end", text.indexOf(" he"), { label: "QUOTE" });
  assert.equal(moved.text, "We are ready.");
});

test("the start dragged left into a word snaps to the word's start; the end stays put", () => {
  const text = "said Prime Minister Mark Carney, who spoke";
  const moved = drag(text, "Mark Carney", "start", text.indexOf("Prime") + 3);
  assert.equal(moved.text, "Prime Minister Mark Carney");
  // An exact end (made with Alt) is not snapped by a drag of the start.
  const exactEnd = dragEdge(text, createOffsetIndex(text), { start16: 20, end16: 27 }, "start", 12);
  assert.equal(exactEnd.text, "Minister Mark Ca");
});

test("the start dropped in a space or on an opening mark moves to the next word", () => {
  const text = "he said “We are ready.”";
  const moved = drag(text, "ready", "start", text.indexOf("“"), { label: "QUOTE" });
  assert.equal(moved.text, "We are ready");
});

test("Alt (exact) keeps the exact characters at the dragged edge", () => {
  const text = "said Prime Minister Mark Carney, who spoke";
  const moved = drag(text, "Mark", "end", text.indexOf(",") + 1, { exact: true });
  assert.equal(moved.text, "Mark Carney,");
  const inWord = text.indexOf("Carney") + 2;
  assert.equal(drag(text, "Mark", "end", inWord, { exact: true }).text, "Mark Ca");
});

test("an edge never crosses the other: a span keeps at least one character", () => {
  const text = "said Prime Minister Mark Carney";
  const mark = text.indexOf("Mark");
  assert.deepEqual(drag(text, "Mark Carney", "end", mark - 3), { error: CROSSING });
  assert.deepEqual(drag(text, "Mark Carney", "end", mark), { error: CROSSING });
  assert.deepEqual(drag(text, "Mark", "start", text.length), { error: CROSSING });
  // Into the span's last word, the start snaps back to that word's start.
  assert.equal(drag(text, "Mark Carney", "start", text.length - 1).text, "Carney");
  // With Alt, one character is the least.
  assert.equal(drag(text, "Mark", "end", mark + 1, { exact: true }).text, "M");
  // Dropped where only white space and marks would be left: refused.
  const marks = "“  b";
  const exactSpan = { start16: 0, end16: 4 };
  const left = dragEdge(marks, createOffsetIndex(marks), exactSpan, "end", 2);
  assert.deepEqual(left, { error: CROSSING });
});

test("a hit outside the text is clamped to its ends", () => {
  const text = "Mark Carney spoke";
  assert.equal(drag(text, "Carney", "end", 999).text, "Carney spoke");
  assert.equal(drag(text, "Carney", "start", -40).text, "Mark Carney");
  assert.equal(clampOffset(text, 3.6, "end"), 4);
});

test("offsets stay code points after emoji and other non-BMP characters", () => {
  const text = "Fans 😀👍🏽 of 𠀀 cheered as Mark Carney spoke";
  const index = createOffsetIndex(text);
  const moved = dragEdge(text, index, spanOver(text, "Mark"), "end", text.indexOf("spoke") + 2);
  assert.equal(moved.text, "Mark Carney spoke");
  const points = [...text];
  assert.equal(points.slice(moved.start, moved.end).join(""), "Mark Carney spoke");
  assert.equal(moved.start, moved.start16 - 4); // four surrogate pairs before the span
  assert.equal(moved.end16, text.length);
});

test("an edge never splits a surrogate pair, even with Alt", () => {
  const text = "ab 😀 cd";
  const inside = text.indexOf("😀") + 1;
  assert.equal(clampOffset(text, inside, "end"), inside + 1);
  assert.equal(clampOffset(text, inside, "start"), inside - 1);
  const index = createOffsetIndex(text);
  const moved = dragEdge(text, index, spanOver(text, "ab"), "end", inside, { exact: true });
  assert.equal(moved.text, "ab 😀");
  assert.deepEqual([moved.start, moved.end], [0, 4]);
});

test("trimEdges trims only the edge asked for", () => {
  const text = "“(Mark Carney),”";
  // One edge alone keeps a bracket whose match is inside; both edges drop the pair.
  assert.deepEqual(trimEdges(text, 0, text.length, "", { edges: "end" }), [0, 14]);
  assert.deepEqual(trimEdges(text, 0, text.length, "", { edges: "start" }), [1, 16]);
  assert.deepEqual(trimEdges(text, 0, text.length), [2, 13]);
});

test("a handle sits at its edge's line box, in the overlay's coordinates", () => {
  const rects = [
    { left: 300, right: 500, top: 100, width: 200, height: 40 },
    { left: 60, right: 0, top: 140, width: 0, height: 0 },
    { left: 60, right: 180, top: 140, width: 120, height: 40 },
  ];
  const origin = { left: 50, top: 20 };
  assert.deepEqual(handlePlace(rects, "start", origin), { left: 250, top: 80, height: 40 });
  assert.deepEqual(handlePlace(rects, "end", origin), { left: 130, top: 120, height: 40 });
  assert.equal(handlePlace([], "end", origin), null);
});

test("a drag aims where the handle was grabbed from, not at the pointer", () => {
  assert.deepEqual(aimPoint({ x: 400, y: 230 }, { x: 3, y: 18 }), { x: 397, y: 212 });
});
