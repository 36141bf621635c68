import assert from "node:assert/strict";
import { test } from "node:test";

import { findMatches, matchCount, stepMatch } from "../../static/annotations/find.js";

const TEXT = "Canada’s leader met Canada's allies.\nThe CANADA\n\ntalks (in Canada) ended. 🇨🇦 Canada";

test("matches ignore case and count UTF-16 units, past emoji", () => {
  const matches = findMatches(TEXT, "canada");
  assert.equal(matches.length, 5);
  for (const [start, end] of matches) assert.equal(TEXT.slice(start, end).toLowerCase(), "canada");
  const last = matches.at(-1);
  assert.equal(last[0], TEXT.lastIndexOf("Canada"));
});

test("a phrase is found across a line break, and special characters are literal", () => {
  assert.deepEqual(
    findMatches("the most\nEuropean", "most european").map(([s, e]) => [s, e]),
    [[4, 17]],
  );
  assert.deepEqual(findMatches("a (in b) c", "(in b)"), [[2, 8]]);
  assert.deepEqual(findMatches("a.b axb", "a.b"), [[0, 3]]);
  assert.deepEqual(findMatches("anything", "   "), []);
});

test("stepping wraps both ways and starts from the caret", () => {
  const matches = [
    [0, 1],
    [10, 11],
    [20, 21],
  ];
  assert.equal(stepMatch(matches, -1, 1, 5), 1);
  assert.equal(stepMatch(matches, -1, -1, 5), 0);
  assert.equal(stepMatch(matches, -1, 1, 25), 0);
  assert.equal(stepMatch(matches, 2, 1), 0);
  assert.equal(stepMatch(matches, 0, -1), 2);
  assert.equal(stepMatch([], -1, 1), -1);
});

test("the count says where the reader is", () => {
  assert.equal(matchCount([[0, 1]], 0, "x"), "1 of 1");
  assert.equal(matchCount([], -1, "x"), "No match");
  assert.equal(matchCount([], -1, " "), "");
});

test("a limit bounds the work on a huge text", () => {
  assert.equal(findMatches("a ".repeat(50000), "a", { limit: 100 }).length, 100);
});
