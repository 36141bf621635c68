import assert from "node:assert/strict";
import { test } from "node:test";

import {
  nudgeEdge,
  snapToWords,
  tidySelection,
  trimEdges,
} from "../../static/annotations/boundaries.js";

const cut = (text, range) => (range ? text.slice(...range) : null);
const tidy = (text, needle, options) => {
  const start = text.indexOf(needle);
  return cut(text, tidySelection(text, start, start + needle.length, options));
};

test("a drag from the middle of words takes the whole words", () => {
  const text = "Canada is in the talks";
  assert.equal(tidy(text, "anada is in th"), "Canada is in the");
  assert.deepEqual(snapToWords(text, 1, 3), [0, 6]);
});

test("edge punctuation goes, and a quote never holds its marks", () => {
  const text = "said Prime Minister Mark Carney, who";
  const actor = tidy(text, " Prime Minister Mark Carney, ", { label: "ACTOR" });
  assert.equal(actor, "Prime Minister Mark Carney");
  const quoted = "“the most European of non-European countries,” he said";
  assert.equal(
    tidy(quoted, quoted.slice(0, quoted.indexOf("”") + 1), { label: "QUOTE" }),
    "the most European of non-European countries,",
  );
  assert.equal(tidy("the (“advanced”) stages", "(“advanced”)", { label: "QUOTE" }), "advanced");
});

test("figures lose their parentheses and full stops; abbreviations keep them", () => {
  const figure = tidy("a deal ($163 billion).", "($163 billion).", { label: "FIGURE" });
  assert.equal(figure, "$163 billion");
  assert.equal(tidy("from the U.S. today", "the U.S.", { label: "ACTOR" }), "the U.S.");
  assert.equal(tidy("Acme Inc. said", "Acme Inc.", { label: "ACTOR" }), "Acme Inc.");
  assert.equal(tidy("to Canada.", "Canada.", { label: "ACTOR" }), "Canada");
});

test("balanced brackets inside a span stay", () => {
  const company = tidy("Lockheed Martin (LMT) rose", "Lockheed Martin (LMT)");
  assert.equal(company, "Lockheed Martin (LMT)");
});

test("possessives and apostrophes are not words to widen into", () => {
  assert.equal(tidy("Canada’s leader", "Canad"), "Canada");
  assert.equal(tidy("the nations’ leaders", "the nations’"), "the nations");
});

test("exact keeps the selected characters", () => {
  assert.equal(tidy("Canada is", "anada i", { exact: true }), "anada i");
});

test("a selection of only marks or spaces keeps what was selected", () => {
  assert.deepEqual(tidySelection("a “ ” b", 2, 5), [2, 5]);
  assert.equal(trimEdges("a “ ” b", 2, 5), null);
});

test("emoji and astral characters are whole characters at the edges", () => {
  const text = "😀 𠀀中文 team";
  const start = text.indexOf("中");
  assert.equal(cut(text, snapToWords(text, start, start + 1)), "𠀀中文");
});

test("edges move by a word, never past each other", () => {
  const text = "said Prime Minister Mark Carney, who";
  const start = text.indexOf("Mark");
  const end = start + "Mark Carney".length;
  assert.equal(cut(text, nudgeEdge(text, start, end, "start", -1)), "Minister Mark Carney");
  assert.equal(cut(text, nudgeEdge(text, start, end, "end", 1)), "Mark Carney, who");
  assert.equal(cut(text, nudgeEdge(text, start, end, "end", -1)), "Mark");
  assert.equal(cut(text, nudgeEdge(text, start, end, "start", 1)), "Carney");
  const word = text.indexOf("Carney");
  assert.equal(nudgeEdge(text, word, word + 6, "start", 1), null);
  assert.equal(nudgeEdge(text, word, word + 6, "end", -1), null);
  assert.equal(nudgeEdge("abc", 0, 3, "end", 1), null);
});
