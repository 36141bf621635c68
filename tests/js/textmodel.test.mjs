// Unit tests for static/annotations/textmodel.js.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { layoutSpans } from "../../static/annotations/layout.js";
import { createOffsetIndex } from "../../static/annotations/offsets.js";
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
  shorten,
  withAlpha,
} from "../../static/annotations/textmodel.js";

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

const LABELS = ["ACTOR", "FIGURE", "QUOTE", "ANON_SOURCE"];

function fullLayout(length, spans, options) {
  const layout = layoutSpans(length, spans);
  return { pieces: cutPieces(layout.segments, options), levels: layout.levels };
}

describe("lineRanges", () => {
  test("each line keeps its newline and blank lines are lines", () => {
    assert.deepEqual(lineRanges("ab\n\ncd"), [
      { start: 0, end: 3 },
      { start: 3, end: 4 },
      { start: 4, end: 6 },
    ]);
  });

  test("a final newline ends the last line without adding an empty one", () => {
    assert.deepEqual(lineRanges("ab\n"), [{ start: 0, end: 3 }]);
    assert.deepEqual(lineRanges(""), []);
  });
});

describe("cutPieces", () => {
  test("cuts segments at line starts and marks, and lists the covering marks", () => {
    const segments = [
      { start: 0, end: 4, spanIds: [] },
      { start: 4, end: 10, spanIds: ["a"] },
    ];
    const pieces = cutPieces(segments, { cuts: [6], marks: [{ id: 0, start: 2, end: 5 }] });
    assert.deepEqual(pieces, [
      { start: 0, end: 2, spanIds: [], marks: [] },
      { start: 2, end: 4, spanIds: [], marks: [0] },
      { start: 4, end: 5, spanIds: ["a"], marks: [0] },
      { start: 5, end: 6, spanIds: ["a"], marks: [] },
      { start: 6, end: 10, spanIds: ["a"], marks: [] },
    ]);
  });

  test("cuts at the text's ends or a segment's ends add nothing", () => {
    const segments = [{ start: 0, end: 5, spanIds: [] }];
    assert.deepEqual(cutPieces(segments, { cuts: [0, 5] }), [
      { start: 0, end: 5, spanIds: [], marks: [] },
    ]);
  });
});

describe("indexAt", () => {
  test("finds the item containing an offset", () => {
    const items = lineRanges("ab\ncd\nef");
    assert.equal(indexAt(items, 0), 0);
    assert.equal(indexAt(items, 2), 0);
    assert.equal(indexAt(items, 3), 1);
    assert.equal(indexAt(items, 7), 2);
    assert.equal(indexAt(items, 8), 3);
  });
});

describe("incremental layout", () => {
  test("an added span that wraps existing ones lifts them a level", () => {
    const spans = [{ id: "a", start: 2, end: 4, label: "ACTOR" }];
    let { pieces, levels } = fullLayout(10, spans, {});
    const quote = { id: "q", start: 0, end: 8, label: "QUOTE" };
    spans.push(quote);
    const cluster = affectedCluster(spans, quote.start, quote.end);
    assert.deepEqual(
      cluster.members.map((span) => span.id),
      ["a", "q"],
    );
    pieces = relayoutRange(pieces, levels, cluster.members, cluster.start, cluster.end, {});
    assert.equal(levels.get("q"), 0);
    assert.equal(levels.get("a"), 1);
    assert.deepEqual(pieces, fullLayout(10, spans, {}).pieces);
  });

  test("the cluster reaches spans that overlap only through others", () => {
    const spans = [
      { id: "a", start: 0, end: 5, label: "ACTOR" },
      { id: "b", start: 4, end: 9, label: "ACTOR" },
      { id: "c", start: 8, end: 12, label: "ACTOR" },
      { id: "d", start: 12, end: 14, label: "ACTOR" },
    ];
    const cluster = affectedCluster(spans, 0, 1);
    assert.deepEqual(
      cluster.members.map((span) => span.id),
      ["a", "b", "c"],
    );
    assert.deepEqual([cluster.start, cluster.end], [0, 12]);
  });

  test("random edits laid out locally match laying out the whole text", () => {
    const random = makeRandom(2025);
    const length = 400;
    const cuts = [0, 57, 58, 130, 250, 251, 399];
    const marks = [
      { id: 0, start: 40, end: 70 },
      { id: 1, start: 300, end: 301 },
    ];
    const options = { cuts, marks };
    const spans = new Map();
    let { pieces, levels } = fullLayout(length, [], options);
    for (let step = 0; step < 600; step++) {
      const ids = [...spans.keys()];
      const action = ids.length === 0 ? 0 : Math.floor(random() * 3);
      let changed;
      if (action === 0) {
        const start = Math.floor(random() * (length - 1));
        const end = Math.min(length, start + 1 + Math.floor(random() * 40));
        changed = {
          id: `s${step}`,
          start,
          end,
          label: LABELS[Math.floor(random() * LABELS.length)],
        };
        spans.set(changed.id, changed);
      } else if (action === 1) {
        changed = spans.get(ids[Math.floor(random() * ids.length)]);
        spans.delete(changed.id);
        levels.delete(changed.id);
      } else {
        changed = spans.get(ids[Math.floor(random() * ids.length)]);
        changed.label = LABELS[Math.floor(random() * LABELS.length)];
      }
      const cluster = affectedCluster(spans.values(), changed.start, changed.end);
      pieces = relayoutRange(pieces, levels, cluster.members, cluster.start, cluster.end, options);
      const expected = fullLayout(length, [...spans.values()], options);
      assert.deepEqual(pieces, expected.pieces, `pieces differ after step ${step}`);
      assert.deepEqual(levels, expected.levels, `levels differ after step ${step}`);
    }
  });
});

describe("resolveSelection", () => {
  const text =
    "Fans \u{1F600}\u{1F44D}\u{1F3FD} of e\u0301 and \u4E2D\u6587 \u{20000} said Mark Carney.";
  const index = createOffsetIndex(text);

  test("returns code points after characters outside the BMP", () => {
    const start16 = text.indexOf("Mark");
    const resolved = resolveSelection(text, index, start16 - 1, start16 + "Mark Carney".length);
    // Python: text.index("Mark Carney") == 29 for this string.
    assert.deepEqual(resolved, { start: 29, end: 40, text: "Mark Carney" });
    assert.equal([...text].slice(29, 40).join(""), "Mark Carney");
  });

  test("keeps combining accents and astral CJK whole", () => {
    const start16 = text.indexOf("e\u0301");
    const end16 = text.indexOf("\u{20000}") + 2;
    const resolved = resolveSelection(text, index, start16, end16);
    assert.equal(resolved.text, "e\u0301 and \u4E2D\u6587 \u{20000}");
    assert.equal(resolved.end - resolved.start, [...resolved.text].length);
  });

  test("a backward selection gives the same span", () => {
    const start16 = text.indexOf("Mark");
    assert.deepEqual(
      resolveSelection(text, index, start16 + 4, start16),
      resolveSelection(text, index, start16, start16 + 4),
    );
  });

  test("refuses empty and whitespace-only selections with a message", () => {
    assert.match(resolveSelection(text, index, 3, 3).error, /Select some text/);
    assert.match(resolveSelection(text, index, 4, 5).error, /only spaces/);
  });
});

describe("ordering", () => {
  test("spans sort by start, longer first, then label and uid", () => {
    const spans = [
      { start: 5, end: 9, label: "ACTOR", uid: "b" },
      { start: 5, end: 12, label: "QUOTE", uid: "a" },
      { start: 5, end: 9, label: "ACTOR", uid: "a" },
      { start: 1, end: 2, label: "FIGURE", uid: "z" },
    ];
    assert.deepEqual(
      [...spans].sort(compareSpans).map((span) => `${span.start}-${span.end}${span.uid}`),
      ["1-2z", "5-12a", "5-9a", "5-9b"],
    );
    const sorted = [...spans].sort(compareSpans);
    assert.equal(
      insertionIndex(sorted, { start: 5, end: 10, label: "A", uid: "x" }, compareSpans),
      2,
    );
  });
});

describe("styles", () => {
  test("only #rrggbb colours reach a style", () => {
    assert.equal(safeColour("#1F77b4"), "#1F77b4");
    assert.equal(safeColour("red; background: url(x)"), "#9e9e9e");
    assert.equal(safeColour(undefined), "#9e9e9e");
    assert.equal(withAlpha("#ff0080", 0.5), "rgba(255, 0, 128, 0.5)");
  });

  test("each covering span gets its own underline lane and the innermost tints", () => {
    const look = pieceBackground([
      { level: 0, colour: "#d62728" },
      { level: 2, colour: "#1f77b4" },
    ]);
    assert.equal(look.backgroundImage.split("linear-gradient").length - 1, 3);
    assert.match(look.backgroundPosition, /^0 calc\(100% \+ 4px\), 0 calc\(100% \+ 12px\), 0 0$/);
    assert.match(look.backgroundImage, /rgba\(31, 119, 180, 0\.14\)\)$/);
    assert.equal(look.paddingBottom, "12px");
  });

  test("an uncovered piece draws nothing", () => {
    assert.deepEqual(pieceBackground([]), {
      backgroundImage: "",
      backgroundSize: "",
      backgroundPosition: "",
      paddingBottom: "",
    });
  });
});

describe("shorten", () => {
  test("puts the text on one line and cuts it with an ellipsis", () => {
    assert.equal(shorten("  two\n  lines ", 40), "two lines");
    assert.equal(shorten("abcdef", 6), "abcdef");
    assert.equal(shorten("abcdefg", 6), "abcde…");
  });
});
