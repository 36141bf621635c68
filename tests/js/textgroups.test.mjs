// Unit tests for static/annotations/textgroups.js: identical span texts as one panel row.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  createParagraphIndex,
  groupByText,
  occurrencePlace,
} from "../../static/annotations/textgroups.js";

/** Return the spans over every occurrence of each needle in `text`, in reading order. */
const spansOver = (text, needles) =>
  needles
    .flatMap((needle) =>
      [...text.matchAll(new RegExp(needle, "g"))].map((match) => ({
        uid: `${needle}@${match.index}`,
        text: needle,
        start16: match.index,
        end16: match.index + needle.length,
      })),
    )
    .sort((a, b) => a.start16 - b.start16);

test("spans of identical text form one group, in order of first appearance", () => {
  const text = "Two officials said. Joly spoke. Two officials added. Two officials left.";
  const groups = groupByText(spansOver(text, ["Two officials", "Joly"]));
  assert.deepEqual(
    groups.map((group) => [group.text, group.spans.length]),
    [
      ["Two officials", 3],
      ["Joly", 1],
    ],
  );
  assert.deepEqual(
    groups[0].spans.map((span) => span.start16),
    [0, 32, 53],
  );
});

test("forty identical spans are one group of forty", () => {
  const text = Array.from({ length: 40 }, (_, i) => `Line ${i}: Two officials said so.`).join("\n");
  const [group, ...others] = groupByText(spansOver(text, ["Two officials"]));
  assert.equal(others.length, 0);
  assert.equal(group.spans.length, 40);
});

test("texts that differ by case or a character stay apart", () => {
  const spans = [{ text: "Canada" }, { text: "canada" }, { text: "Canada." }, { text: "Canada" }];
  assert.deepEqual(
    groupByText(spans).map((group) => [group.text, group.spans.length]),
    [
      ["Canada", 2],
      ["canada", 1],
      ["Canada.", 1],
    ],
  );
  assert.deepEqual(groupByText([]), []);
});

test("paragraphs count the lines that hold words, as the page draws them", () => {
  const text = "First para.\n\nSecond para.\nThird, wire copy.\n   \nFourth.";
  const paragraphOf = createParagraphIndex(text);
  assert.equal(paragraphOf(0), 1);
  assert.equal(paragraphOf(text.indexOf("Second")), 2);
  assert.equal(paragraphOf(text.indexOf("wire")), 3);
  assert.equal(paragraphOf(text.indexOf("Fourth")), 4);
  assert.equal(createParagraphIndex("\n\nLate start")(5), 1);
});

test("each place names its paragraph and the words around it", () => {
  const text = "Intro.\n\nOttawa said that Two officials, speaking privately, disagreed with it.";
  const [span] = spansOver(text, ["Two officials"]);
  const place = occurrencePlace(text, createParagraphIndex(text), span);
  assert.equal(place.where, "¶ 2");
  assert.equal(place.words, "Two officials");
  assert.ok(place.before.endsWith("said that "), place.before);
  assert.ok(place.after.startsWith(", speaking"), place.after);
});

test("places after emoji are found by UTF-16 offsets, like the page's", () => {
  const text = "😀👍🏽 cheered.\nThen Two officials spoke.";
  const [span] = spansOver(text, ["Two officials"]);
  const place = occurrencePlace(text, createParagraphIndex(text), span);
  assert.equal(place.where, "¶ 2");
  assert.equal(place.words, "Two officials");
});
