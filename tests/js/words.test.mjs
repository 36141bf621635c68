import assert from "node:assert/strict";
import { test } from "node:test";

import { fieldCaption, USUAL_UNITS, withArticle } from "../../static/annotations/words.js";

test("attribute names become words", () => {
  assert.equal(fieldCaption("approximate"), "Approximate");
  assert.equal(fieldCaption("reason_given"), "Reason given");
  assert.equal(fieldCaption("unit"), "Unit");
  assert.equal(fieldCaption("affiliation"), "Affiliation");
  assert.equal(fieldCaption("count"), "How many");
});

test("the article follows the sound of the first letter", () => {
  assert.equal(withArticle("Actor span"), "an Actor span");
  assert.equal(withArticle("Anonymous source span"), "an Anonymous source span");
  assert.equal(withArticle("Quote span"), "a Quote span");
  assert.equal(withArticle("Figure span"), "a Figure span");
});

test("the usual units start with percent and currency codes", () => {
  assert.equal(USUAL_UNITS[0], "percent");
  assert.ok(USUAL_UNITS.includes("EUR") && USUAL_UNITS.includes("USD"));
});
