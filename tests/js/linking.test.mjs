import assert from "node:assert/strict";
import { test } from "node:test";

import { arcPath, spanContext, speakerCandidates } from "../../static/annotations/linking.js";
import { createStore } from "../../static/annotations/store.js";
import { pageData, spanRecord, TEXT } from "./fakes.mjs";

function storeWith(spans) {
  const store = createStore(pageData());
  store.load({ spans, relations: [], status: "new", tags: [] });
  return store;
}

test("candidates are the speaker labels of the quote's layer, nearest first", () => {
  const store = storeWith([
    spanRecord("quote", "QUOTE", "“We will not be rushed”"),
    spanRecord("carney", "ACTOR", "Mark Carney"),
    spanRecord("mark", "ACTOR", "Mark"),
    spanRecord("monday", "ACTOR", "Monday"),
    spanRecord("figure", "FIGURE", "$163 billion"),
    spanRecord("theirs", "ACTOR", "Carney", { annotator: "ben" }),
  ]);
  const quote = store.spans.get("quote");
  const uids = speakerCandidates(store, quote).map((span) => span.uid);
  assert.deepEqual(uids, ["monday", "carney", "mark"]);
  // A quote not saved yet has no annotator: nothing to tell layers apart by, so no span of a
  // speaker label is left out (a page edits one layer).
  quote.annotator = null;
  assert.equal(speakerCandidates(store, quote).length, 4);
});

test("a candidate's context is the words around it, cut with an ellipsis", () => {
  const store = storeWith([spanRecord("carney", "ACTOR", "Carney")]);
  const context = spanContext(TEXT, store.spans.get("carney"), 8);
  assert.equal(context.words, "Carney");
  assert.equal(context.before, "😀 Mark "); // the text starts there: nothing cut
  assert.equal(context.after, " said…");
});

test("an arc on one line rises above it; across lines it runs through the gutter", () => {
  const a = { left: 10, top: 100, width: 40, height: 20 };
  const b = { left: 200, top: 102, width: 60, height: 20 };
  assert.equal(arcPath(a, b), "M 22 100 C 22 88, 212 88, 212 100");
  const c = { left: 50, top: 300, width: 40, height: 20 };
  // Up above the quote's words, along to the gutter, down it, and in above the speaker's.
  assert.equal(arcPath(a, c, { gutter: -8 }), "M 22 100 V 94 H -8 V 294 H 62 V 300");
});
