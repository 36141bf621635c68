// Unit tests for static/annotations/layout.js.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  assignLevels,
  layoutSpans,
  segmentText,
  spansOverlap,
} from "../../static/annotations/layout.js";

const LABELS = ["ACTOR", "FIGURE", "QUOTE", "ANON_SOURCE"];

/** Return a deterministic pseudo-random generator of floats in [0, 1) (mulberry32). */
function makeRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Return a random integer in [low, high). */
function randomInt(random, low, high) {
  return low + Math.floor(random() * (high - low));
}

/** Return random spans over a text of `length`, some with repeated ranges. */
function randomSpans(random, length) {
  const spans = [];
  const count = randomInt(random, 0, 16);
  for (let id = 1; id <= count; id++) {
    const label = LABELS[randomInt(random, 0, LABELS.length)];
    if (spans.length > 0 && random() < 0.15) {
      const { start, end } = spans[randomInt(random, 0, spans.length)];
      spans.push({ id, start, end, label });
      continue;
    }
    const start = randomInt(random, 0, length);
    const end = randomInt(random, start + 1, Math.min(length, start + 1 + length / 2) + 1);
    spans.push({ id, start, end, label });
  }
  return spans;
}

/** Return a shuffled copy of `items`. */
function shuffled(random, items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, 0, i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function contains(outer, inner) {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function sameRange(a, b) {
  return a.start === b.start && a.end === b.end;
}

/** Assert every layout invariant, comparing against brute force over each position. */
function assertValidLayout(length, spans, { segments, levels, maxLevel }) {
  // Segments tile [0, length) exactly, in order, none empty.
  let position = 0;
  for (const segment of segments) {
    assert.equal(segment.start, position);
    assert.ok(segment.end > segment.start, "empty segment");
    position = segment.end;
  }
  assert.equal(position, length);

  // Each segment lists exactly the spans covering it, by level ascending.
  for (const segment of segments) {
    const expected = spans.filter((span) => spansOverlap(span, segment)).map((span) => span.id);
    assert.deepEqual([...segment.spanIds].sort(), [...expected].sort());
    for (const span of spans) {
      if (spansOverlap(span, segment)) assert.ok(contains(span, segment), "segment not cut");
    }
    const segmentLevels = segment.spanIds.map((id) => levels.get(id));
    for (let i = 1; i < segmentLevels.length; i++) {
      assert.ok(segmentLevels[i - 1] < segmentLevels[i], "spanIds not in level order");
    }
  }

  // Every span's coverage equals the union of the segments listing it.
  for (const span of spans) {
    const listing = segments.filter((segment) => segment.spanIds.includes(span.id));
    const covered = listing.reduce((total, segment) => total + segment.end - segment.start, 0);
    assert.equal(covered, span.end - span.start);
    assert.ok(listing.every((segment) => contains(span, segment)));
  }

  assert.equal(levels.size, spans.length);
  const used = [...levels.values()];
  assert.equal(maxLevel, used.length ? Math.max(...used) : -1);
  for (const a of spans) {
    const level = levels.get(a.id);
    assert.ok(Number.isInteger(level) && level >= 0);
    for (const b of spans) {
      if (a === b) continue;
      if (spansOverlap(a, b)) assert.notEqual(level, levels.get(b.id), "overlap shares level");
      if (contains(a, b) && !sameRange(a, b)) {
        assert.ok(levels.get(b.id) > level, `span ${b.id} nested in ${a.id} is not above it`);
      }
    }
    // No needless gaps: each lower level is taken by an overlapping span or lies under a
    // span that contains this one.
    for (let lower = 0; lower < level; lower++) {
      const taken = spans.some(
        (other) => other !== a && spansOverlap(a, other) && levels.get(other.id) === lower,
      );
      const underContainer = spans.some(
        (other) => other !== a && contains(other, a) && levels.get(other.id) >= lower,
      );
      assert.ok(taken || underContainer, `span ${a.id} skipped level ${lower}`);
    }
  }
}

describe("spansOverlap", () => {
  test("is true only when the ranges share a position", () => {
    assert.equal(spansOverlap({ start: 0, end: 3 }, { start: 2, end: 5 }), true);
    assert.equal(spansOverlap({ start: 2, end: 5 }, { start: 0, end: 3 }), true);
    assert.equal(spansOverlap({ start: 0, end: 10 }, { start: 4, end: 5 }), true);
    assert.equal(spansOverlap({ start: 1, end: 4 }, { start: 1, end: 4 }), true);
    assert.equal(spansOverlap({ start: 0, end: 3 }, { start: 3, end: 5 }), false);
    assert.equal(spansOverlap({ start: 3, end: 5 }, { start: 0, end: 3 }), false);
    assert.equal(spansOverlap({ start: 0, end: 1 }, { start: 7, end: 9 }), false);
  });
});

describe("layoutSpans", () => {
  test("no spans give one segment and no levels", () => {
    const layout = layoutSpans(10, []);
    assert.deepEqual(layout.segments, [{ start: 0, end: 10, spanIds: [] }]);
    assert.equal(layout.levels.size, 0);
    assert.equal(layout.maxLevel, -1);
  });

  test("an empty text has no segments", () => {
    assert.deepEqual(segmentText(0, []), []);
  });

  test("touching spans do not overlap and share a level", () => {
    const spans = [
      { id: "a", start: 0, end: 3, label: "ACTOR" },
      { id: "b", start: 3, end: 6, label: "QUOTE" },
    ];
    const layout = layoutSpans(8, spans);
    assert.deepEqual(layout.segments, [
      { start: 0, end: 3, spanIds: ["a"] },
      { start: 3, end: 6, spanIds: ["b"] },
      { start: 6, end: 8, spanIds: [] },
    ]);
    assert.deepEqual([...layout.levels], [["a", 0], ["b", 0]]);
    assert.equal(layout.maxLevel, 0);
  });

  test("an ACTOR nested in a QUOTE sits above it, whatever the input order", () => {
    const actor = { id: 2, start: 5, end: 9, label: "ACTOR" };
    const quote = { id: 1, start: 0, end: 20, label: "QUOTE" };
    const layout = layoutSpans(20, [actor, quote]);
    assert.equal(layout.levels.get(1), 0);
    assert.equal(layout.levels.get(2), 1);
    assert.deepEqual(layout.segments, [
      { start: 0, end: 5, spanIds: [1] },
      { start: 5, end: 9, spanIds: [1, 2] },
      { start: 9, end: 20, spanIds: [1] },
    ]);
  });

  test("a nested span sharing the outer span's start still sits above it", () => {
    const levels = assignLevels([
      { id: "actor", start: 0, end: 4, label: "ACTOR" },
      { id: "quote", start: 0, end: 12, label: "QUOTE" },
      { id: "source", start: 6, end: 12, label: "ANON_SOURCE" },
    ]);
    assert.deepEqual(Object.fromEntries(levels), { quote: 0, actor: 1, source: 1 });
  });

  test("a chain of partial overlaps alternates levels", () => {
    const spans = [
      { id: 1, start: 0, end: 4, label: "ACTOR" },
      { id: 2, start: 2, end: 6, label: "FIGURE" },
      { id: 3, start: 5, end: 9, label: "ACTOR" },
      { id: 4, start: 8, end: 12, label: "FIGURE" },
    ];
    const layout = layoutSpans(12, spans);
    assert.deepEqual(Object.fromEntries(layout.levels), { 1: 0, 2: 1, 3: 0, 4: 1 });
    assert.deepEqual(
      layout.segments.map((segment) => [segment.start, segment.end, segment.spanIds]),
      [
        [0, 2, [1]],
        [2, 4, [1, 2]],
        [4, 5, [2]],
        [5, 6, [3, 2]],
        [6, 8, [3]],
        [8, 9, [3, 4]],
        [9, 12, [4]],
      ],
    );
  });

  test("identical ranges with two labels get distinct levels ordered by label", () => {
    const spans = [
      { id: 2, start: 3, end: 7, label: "FIGURE" },
      { id: 9, start: 3, end: 7, label: "ACTOR" },
    ];
    const layout = layoutSpans(10, spans);
    assert.deepEqual(Object.fromEntries(layout.levels), { 9: 0, 2: 1 });
    assert.deepEqual(layout.segments[1], { start: 3, end: 7, spanIds: [9, 2] });
  });

  test("a nested span goes above its container even when a lower level is free", () => {
    // Plain lowest-free-level would put "inner" on level 0, freed when "left" ended,
    // drawing it below the span that contains it.
    const levels = assignLevels([
      { id: "left", start: 0, end: 5, label: "QUOTE" },
      { id: "outer", start: 3, end: 10, label: "QUOTE" },
      { id: "inner", start: 6, end: 8, label: "ACTOR" },
    ]);
    assert.deepEqual(Object.fromEntries(levels), { left: 0, outer: 1, inner: 2 });
  });

  test("invalid spans are refused", () => {
    const span = (start, end, id = 1) => ({ id, start, end, label: "ACTOR" });
    assert.throws(() => layoutSpans(10, [span(4, 4)]), RangeError);
    assert.throws(() => layoutSpans(10, [span(5, 4)]), RangeError);
    assert.throws(() => layoutSpans(10, [span(-1, 4)]), RangeError);
    assert.throws(() => layoutSpans(10, [span(0, 1.5)]), RangeError);
    assert.throws(() => layoutSpans(10, [span(8, 11)]), /ends after the text's length 10/);
    assert.throws(() => layoutSpans(-1, []), RangeError);
    assert.throws(() => assignLevels([span(0, 2), span(3, 4)]), /appears more than once/);
  });

  test("invariants hold over 500 seeded random cases", () => {
    const random = makeRandom(20240601);
    for (let run = 0; run < 500; run++) {
      const length = randomInt(random, 1, 60);
      const spans = randomSpans(random, length);
      const layout = layoutSpans(length, spans);
      assertValidLayout(length, spans, layout);
      assert.deepEqual(segmentText(length, spans), layout.segments);
      // Input order must not change the result.
      const reordered = shuffled(random, spans);
      assert.deepEqual(assignLevels(reordered), layout.levels);
      assert.deepEqual(layoutSpans(length, reordered).segments, layout.segments);
    }
  });

  test("a 200,000-character text with 5,000 spans tiles correctly", () => {
    const random = makeRandom(7);
    const length = 200000;
    const spans = [];
    for (let id = 0; id < 5000; id++) {
      const start = randomInt(random, 0, length - 1);
      const end = Math.min(length, start + randomInt(random, 1, 400));
      spans.push({ id, start, end, label: LABELS[id % LABELS.length] });
    }
    const { segments, levels } = layoutSpans(length, spans);
    let position = 0;
    const covered = new Map(spans.map((span) => [span.id, 0]));
    for (const segment of segments) {
      assert.equal(segment.start, position);
      assert.ok(segment.end > segment.start);
      for (const id of segment.spanIds) {
        covered.set(id, covered.get(id) + segment.end - segment.start);
      }
      position = segment.end;
    }
    assert.equal(position, length);
    for (const span of spans) assert.equal(covered.get(span.id), span.end - span.start);
    assert.equal(levels.size, 5000);
  });
});
