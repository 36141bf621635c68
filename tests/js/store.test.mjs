// Unit tests for static/annotations/store.js.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createStore } from "../../static/annotations/store.js";
import { pageData, QUOTE_TEXT, rangeOf, spanRecord, TEXT } from "./fakes.mjs";

function loadedStore() {
  const store = createStore(pageData());
  store.load({
    status: "in_progress",
    tags: ["defence"],
    spans: [
      spanRecord("quote", "QUOTE", QUOTE_TEXT),
      spanRecord("carney", "ACTOR", "Mark Carney"),
      spanRecord("figure", "FIGURE", "$163 billion", { attributes: { value: 163e9 } }),
    ],
    relations: [
      { id: 7, type: "speaker", source: "quote", target: "carney" },
      { id: 8, type: "speaker", source: "quote", target: "gone" }, // a span not shown
    ],
  });
  return store;
}

describe("createStore", () => {
  test("keeps labels with safe colours and their shortcuts", () => {
    const data = pageData();
    data.labels[0].colour = "red; background: url(x)";
    const store = createStore(data);
    assert.equal(store.labels.get("ACTOR").colour, "#9e9e9e");
    assert.equal(store.labels.get("QUOTE").colour, "#ff7f0e");
    assert.equal(store.shortcuts.get("f"), "FIGURE");
    assert.equal(store.labelOf({ label: "UNKNOWN" }).name, "UNKNOWN");
  });

  test("keeps quality flags inside the text, with their UTF-16 ranges as marks", () => {
    const monday = rangeOf("Monday");
    const store = createStore(
      pageData({
        quality_flags: [
          { kind: "mojibake", ...monday },
          { kind: "outside", start: 10, end: 1000 },
          { kind: "empty", start: 4, end: 4 },
          { kind: "not a number", start: "1", end: 3 },
        ],
      }),
    );
    assert.deepEqual(
      store.flags.map((flag) => flag.kind),
      ["mojibake"],
    );
    const [mark] = store.marks;
    assert.equal(TEXT.slice(mark.start, mark.end), "Monday");
    assert.equal(mark.start, monday.start + 1); // The emoji is two UTF-16 units.
  });

  test("makes spans with their UTF-16 offsets, no pending edit and version 0 if new", () => {
    const store = createStore(pageData());
    const span = store.makeSpan({ uid: "u", label: "ACTOR", ...rangeOf("Mark Carney") });
    assert.equal(TEXT.slice(span.start16, span.end16), "Mark Carney");
    assert.deepEqual([span.start, span.start16, span.version, span.edits], [2, 3, 0, 0]);
    assert.deepEqual(span.attributes, {});
  });
});

describe("load", () => {
  test("orders spans by position and drops relations to spans it does not have", () => {
    const store = loadedStore();
    assert.deepEqual(
      store.order.map((span) => span.uid),
      ["carney", "quote", "figure"],
    );
    assert.equal(store.relations.size, 1);
    assert.equal(store.speakerOf("quote").target, "carney");
    assert.deepEqual(
      store.linksOf("carney").map((r) => r.id),
      [7],
    );
    assert.deepEqual([store.status, store.tags], ["in_progress", ["defence"]]);
  });

  test("replaces what was there and clears the selection", () => {
    const store = loadedStore();
    store.select("quote");
    store.load({ status: "done", tags: [], spans: [], relations: [] });
    assert.deepEqual([store.spans.size, store.order.length, store.relations.size], [0, 0, 0]);
    assert.equal(store.selectedUid, null);
    assert.equal(store.linkedToSelection.size, 0);
    assert.equal(store.speakerOf("quote"), null);
  });
});

describe("spans and relations", () => {
  test("inserting keeps reading order; deleting forgets the span and its links", () => {
    const store = loadedStore();
    const said = store.makeSpan({ uid: "said", label: "ACTOR", ...rangeOf("said") });
    store.insertSpan(said);
    assert.deepEqual(
      store.order.map((span) => span.uid),
      ["carney", "said", "quote", "figure"],
    );
    const links = store.deleteSpan(store.spans.get("carney"));
    assert.deepEqual(
      links.map((r) => r.id),
      [7],
    );
    assert.equal(store.spans.has("carney"), false);
    assert.equal(store.speakerOf("quote"), null);
    assert.equal(store.relations.size, 0);
  });

  test("finds a span by its range and label", () => {
    const store = loadedStore();
    const { start, end } = rangeOf("Mark Carney");
    assert.equal(store.findSpan(start, end, "ACTOR").uid, "carney");
    assert.equal(store.findSpan(start, end, "QUOTE"), undefined);
  });

  test("a speaker link goes from a quote to a span of a speaker label, never to itself", () => {
    const store = loadedStore();
    const [quote, carney, figure] = ["quote", "carney", "figure"].map((uid) =>
      store.spans.get(uid),
    );
    assert.equal(store.isAllowedLink("speaker", quote, carney), true);
    assert.equal(store.isAllowedLink("speaker", quote, figure), false);
    assert.equal(store.isAllowedLink("speaker", carney, quote), false);
    assert.equal(store.isAllowedLink("other", carney, carney), false);
    assert.equal(store.isAllowedLink("speaker", quote, undefined), false);
  });

  test("retargeting a relation moves it in the index", () => {
    const store = loadedStore();
    store.insertSpan(store.makeSpan({ uid: "said", label: "ACTOR", ...rangeOf("said") }));
    store.retarget(store.speakerOf("quote"), "said");
    assert.deepEqual(store.linksOf("carney"), []);
    assert.equal(store.linksOf("said")[0].id, 7);
  });

  test("the attributes a label allows include the universal ones", () => {
    const store = loadedStore();
    assert.deepEqual(store.attributeSpec("FIGURE"), {
      value: "number",
      unit: "string",
      comment: "string",
    });
    assert.deepEqual(store.attributeSpec("UNKNOWN"), { comment: "string" });
  });

  test("snapshots copy the attributes", () => {
    const store = loadedStore();
    const figure = store.spans.get("figure");
    const copy = store.snapshot(figure);
    figure.attributes.value = 1;
    assert.deepEqual(copy, {
      ...rangeOf("$163 billion"),
      uid: "figure",
      label: "FIGURE",
      attributes: { value: 163e9 },
    });
  });
});

describe("selection", () => {
  test("selecting returns what to redraw: the old and new span and their linked spans", () => {
    const store = loadedStore();
    assert.deepEqual(store.select("quote").sort(), ["carney", "quote"]);
    assert.deepEqual([...store.linkedToSelection], ["carney"]);
    assert.deepEqual(store.select("figure").sort(), ["carney", "figure", "quote"]);
    assert.equal(store.linkedToSelection.size, 0);
    assert.deepEqual(store.select(null), ["figure"]);
    assert.equal(store.selectedUid, null);
  });

  test("a span already drawn selected is not redrawn; a gone span selects none", () => {
    const store = loadedStore();
    assert.deepEqual(store.select("figure", { drawn: true }), []);
    assert.deepEqual(store.select("gone"), ["figure", "gone"]);
    assert.equal(store.selectedUid, null);
  });

  test("the next and previous spans wrap around, starting at either end", () => {
    const store = loadedStore();
    assert.equal(store.neighbour(1), "carney");
    assert.equal(store.neighbour(-1), "figure");
    store.select("figure");
    assert.equal(store.neighbour(1), "carney");
    assert.equal(store.neighbour(-1), "quote");
    store.load({ status: "new", tags: [], spans: [], relations: [] });
    assert.equal(store.neighbour(1), null);
  });
});
