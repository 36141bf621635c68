// Unit tests for static/annotations/suggestions.js: the review order, covering by the
// analyst's spans, what becomes current after an accept or a reject, labels, speakers,
// batches, offsets and the outline's line boxes.
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import { createOffsetIndex } from "../../static/annotations/offsets.js";
import {
  createSuggestions,
  lineBoxes,
  suggestionUrls,
} from "../../static/annotations/suggestions.js";
import { QUOTE_TEXT, rangeOf, TEXT } from "./fakes.mjs";

const QUOTED = QUOTE_TEXT.slice(1, -1); // "We will not be rushed", without its marks

/** Return a suggestion record as the API sends it, over the first `covered` in TEXT. */
function record(id, label, covered, extra = {}) {
  return {
    id,
    label,
    ...rangeOf(covered),
    attributes: {},
    suggester: "rules",
    score: 0.9,
    speaker: null,
    ...extra,
  };
}

const CARNEY = record(1, "ACTOR", "Mark Carney");
const QUOTE = record(2, "QUOTE", QUOTED, { speaker: 1 });
const MONDAY = record(3, "FIGURE", "Monday");
const BILLION = record(4, "FIGURE", "$163 billion", { attributes: { value: 163e9, unit: "USD" } });

let list;

function open(records = [CARNEY, QUOTE, MONDAY, BILLION]) {
  list = createSuggestions({
    text: TEXT,
    offsets: createOffsetIndex(TEXT),
    labels: ["ACTOR", "QUOTE", "FIGURE", "ANON_SOURCE"],
  });
  return list.load(records);
}

const ids = (suggestions) => suggestions.map((s) => s.id);

describe("suggestionUrls", () => {
  test("derive every address from the document's API address, without its layer", () => {
    const urls = suggestionUrls("/api/documents/7/?layer=gold");
    assert.equal(urls.list, "/api/documents/7/suggestions/");
    assert.equal(urls.acceptAll, "/api/documents/7/suggestions/accept-all/");
    assert.equal(urls.occurrences, "/api/documents/7/occurrences/");
    assert.equal(urls.accept(12), "/api/suggestions/12/accept/");
    assert.equal(urls.reject(12), "/api/suggestions/12/reject/");
  });

  test("refuse an address that is not a document's", () => {
    assert.throws(() => suggestionUrls("/api/spans/"), /not a document's API address/);
  });
});

describe("load", () => {
  beforeEach(() => open());

  test("keep suggestions in reading order, outer before inner", () => {
    const outer = record(9, "QUOTE", QUOTE_TEXT);
    open([MONDAY, QUOTE, outer, BILLION, CARNEY]);
    assert.deepEqual(ids(list.open()), [1, 9, 2, 3, 4]);
  });

  test("convert code points to UTF-16 past the emoji", () => {
    const carney = list.get(1);
    assert.equal(carney.start, 2);
    assert.equal(carney.start16, 3);
    assert.equal(TEXT.slice(carney.start16, carney.end16), "Mark Carney");
    assert.deepEqual(list.get(4).attributes, { value: 163e9, unit: "USD" });
  });

  test("refuse records whose range or text is wrong, saying why, and keep the rest", () => {
    const errors = open([
      CARNEY,
      { ...MONDAY, id: 5, end: 10_000 },
      { ...MONDAY, id: 6, start: 4, end: 4 },
      { ...MONDAY, id: 7, text: "Tuesday" },
      { label: "ACTOR", start: 0, end: 1 },
    ]);
    assert.deepEqual(ids(list.open()), [1]);
    assert.equal(errors.length, 4);
    assert.match(errors[0], /suggestion 5 \[\d+, 10000\) ends after the text's \d+ characters/);
    assert.match(errors[1], /suggestion 6 has an invalid range \[4, 4\)/);
    assert.match(errors[2], /suggestion 7 .* covers "Monday", not its text/);
    assert.match(errors[3], /a suggestion has no id/);
  });

  test("count open suggestions per label in the page's label order", () => {
    assert.deepEqual(list.counts(), [
      { label: "ACTOR", count: 1 },
      { label: "QUOTE", count: 1 },
      { label: "FIGURE", count: 2 },
    ]);
  });
});

describe("stepping", () => {
  beforeEach(() => open());

  test("Tab starts at the first, Shift+Tab at the last", () => {
    assert.equal(list.current(), null);
    assert.equal(list.step(1).id, 1);
    open();
    assert.equal(list.step(-1).id, 4);
  });

  test("steps wrap round in both directions", () => {
    assert.deepEqual(
      [1, 1, 1, 1, 1].map(() => list.step(1).id),
      [1, 2, 3, 4, 1],
    );
    assert.deepEqual(
      [-1, -1].map((d) => list.step(d).id),
      [4, 3],
    );
  });

  test("steps skip what is taken or covered", () => {
    list.take(2);
    list.cover([{ label: "FIGURE", ...rangeOf("Monday") }]);
    assert.deepEqual(
      [1, 1, 1].map(() => list.step(1).id),
      [1, 4, 1],
    );
  });

  test("with nothing open there is nothing to step to", () => {
    list.takeLabel("ACTOR");
    list.takeLabel("QUOTE");
    list.takeLabel("FIGURE");
    assert.equal(list.step(1), null);
    assert.equal(list.current(), null);
  });
});

describe("at", () => {
  test("the innermost open suggestion over an offset, in UTF-16", () => {
    const outer = record(9, "QUOTE", `said ${QUOTE_TEXT}`);
    open([CARNEY, QUOTE, outer, MONDAY]);
    const inQuote = TEXT.indexOf("rushed");
    assert.equal(list.at(inQuote).id, 2);
    assert.equal(list.at(TEXT.indexOf("said")).id, 9);
    assert.equal(list.at(TEXT.indexOf("Mark")).id, 1);
    assert.equal(list.at(TEXT.indexOf("Mark") - 1), null);
    assert.equal(list.at(TEXT.indexOf("It cost")), null);
    list.take(2);
    assert.equal(list.at(inQuote).id, 9);
  });
});

describe("accept and reject", () => {
  beforeEach(() => open());

  test("after a reject the next one in reading order is current, wrapping round", () => {
    list.setCurrent(3);
    assert.equal(list.take(3).id, 4);
    assert.equal(list.take(4).id, 1);
    assert.deepEqual(ids(list.open()), [1, 2]);
  });

  test("after accepting a quote, its open suggested speaker is current", () => {
    list.setCurrent(2);
    assert.equal(list.take(2, { accepted: true }).id, 1);
  });

  test("after rejecting a quote, or accepting one whose speaker is gone, reading order", () => {
    list.setCurrent(2);
    assert.equal(list.take(2).id, 3);
    open();
    list.take(1, { accepted: true });
    list.setCurrent(2);
    assert.equal(list.take(2, { accepted: true }).id, 3);
  });

  test("taking another suggestion leaves the current one current", () => {
    list.setCurrent(1);
    assert.equal(list.take(4).id, 1);
  });

  test("the last one taken leaves none current", () => {
    open([CARNEY]);
    list.setCurrent(1);
    assert.equal(list.take(1), null);
  });

  test("a failed request puts its suggestions back", () => {
    list.take(1);
    list.takeLabel("FIGURE");
    list.restore([1, 3, 4]);
    assert.deepEqual(ids(list.open()), [1, 2, 3, 4]);
  });

  test("taking a label takes only its open suggestions and moves the current on", () => {
    list.setCurrent(3);
    assert.deepEqual(ids(list.takeLabel("FIGURE")), [3, 4]);
    assert.equal(list.current().id, 1);
    assert.deepEqual(list.counts(), [
      { label: "ACTOR", count: 1 },
      { label: "QUOTE", count: 1 },
    ]);
  });

  test("taking chosen ones takes those still open, in reading order, and moves the current on", () => {
    list.take(1);
    list.setCurrent(3);
    assert.deepEqual(ids(list.takeAll([4, 3, 1, 99])), [3, 4]);
    assert.deepEqual(ids(list.open()), [2]);
    assert.equal(list.current().id, 2);
    list.restore([3, 4]);
    assert.deepEqual(ids(list.open()), [2, 3, 4]);
  });
});

describe("covering by the analyst's spans", () => {
  beforeEach(() => open());

  test("a span of the same label over the same place covers a suggestion", () => {
    const change = list.cover([{ label: "ACTOR", ...rangeOf("Mark Carney") }]);
    assert.deepEqual(change, { changed: true, covered: [1], freed: [] });
    assert.deepEqual(ids(list.open()), [2, 3, 4]);
  });

  test("another label or another place does not", () => {
    const carney = rangeOf("Mark Carney");
    const changed = list.cover([
      { label: "QUOTE", ...carney },
      { label: "ACTOR", start: carney.start, end: carney.end - 1 },
    ]);
    assert.deepEqual(changed, { changed: false, covered: [], freed: [] });
    assert.equal(list.open().length, 4);
  });

  test("a span deleted again uncovers its suggestion", () => {
    list.cover([{ label: "FIGURE", ...rangeOf("Monday") }]);
    assert.deepEqual(list.cover([]), { changed: true, covered: [], freed: [3] });
    assert.deepEqual(ids(list.open()), [1, 2, 3, 4]);
  });

  test("suggestions that arrive later are covered by the spans known before", () => {
    list.cover([{ label: "ACTOR", ...rangeOf("Mark Carney") }]);
    list.load([CARNEY, MONDAY]);
    assert.deepEqual(ids(list.open()), [3]);
    const [proposed] = list.propose([{ ...CARNEY, id: 21 }, { ...MONDAY, id: 22 }], {
      title: "Occurrences",
    });
    assert.deepEqual(ids(proposed), [22]);
  });

  test("an accepted suggestion put back shows again once its span goes (undo)", () => {
    list.take(1, { accepted: true });
    list.cover([{ label: "ACTOR", ...rangeOf("Mark Carney") }]);
    list.restore([1]);
    assert.deepEqual(ids(list.open()), [2, 3, 4]);
    list.cover([]);
    assert.deepEqual(ids(list.open()), [1, 2, 3, 4]);
  });

  test("the current suggestion, once covered, gives way to the next", () => {
    list.setCurrent(3);
    list.cover([{ label: "FIGURE", ...rangeOf("Monday") }]);
    assert.equal(list.current().id, 4);
  });
});

describe("speakers", () => {
  beforeEach(() => open());

  test("a quote's suggested speaker, while it is open", () => {
    assert.equal(list.speakerOf(2).id, 1);
    assert.deepEqual(ids(list.quotesSpokenBy(1)), [2]);
    list.take(1);
    assert.equal(list.speakerOf(2), null);
    assert.equal(list.speakerOf(3), null);
  });
});

describe("batches", () => {
  beforeEach(() => open([CARNEY, QUOTE]));

  test("proposals join the list and the first after the span is current", () => {
    const more = [
      { ...record(11, "ACTOR", "It") },
      { ...record(12, "ACTOR", "on") },
      { ...record(13, "ACTOR", "Monday") },
    ];
    const after = rangeOf("Monday").start;
    const [proposed, errors] = list.propose(more, { title: "Occurrences", label: "ACTOR", after });
    assert.deepEqual(errors, []);
    assert.deepEqual(ids(proposed), [12, 13, 11]);
    assert.equal(list.current().id, 13);
    assert.deepEqual(list.batch().title, "Occurrences");
    assert.deepEqual(ids(list.open()), [1, 2, 12, 13, 11]);
  });

  test("a batch shrinks as its suggestions are taken and ends with the last", () => {
    list.propose([record(11, "ACTOR", "It"), record(12, "ACTOR", "on")], { title: "Occ" });
    list.take(11);
    assert.deepEqual(ids(list.batch().suggestions), [12]);
    list.take(12);
    assert.equal(list.batch(), null);
  });

  test("proposals already known are not doubled, and offering nothing open offers nothing", () => {
    list.propose([CARNEY], { title: "Again" });
    assert.deepEqual(ids(list.open()), [1, 2]);
    list.take(1);
    list.offer([1], { title: "Gone" });
    assert.equal(list.batch(), null);
  });

  test("loading again forgets the batch and what was taken", () => {
    list.propose([record(11, "ACTOR", "It")], { title: "Occ" });
    list.take(1);
    list.load([CARNEY]);
    assert.equal(list.batch(), null);
    assert.deepEqual(ids(list.open()), [1]);
  });
});

describe("lineBoxes", () => {
  test("merge the rectangles of one line and keep lines apart", () => {
    const boxes = lineBoxes([
      { left: 10, top: 0, right: 50, bottom: 20 },
      { left: 40, top: 2, right: 90, bottom: 24 }, // an element box on the same line
      { left: 0, top: 40, right: 30, bottom: 60 },
      { left: 5, top: 0, right: 5, bottom: 20 }, // empty: dropped
    ]);
    assert.deepEqual(boxes, [
      { left: 10, top: 0, right: 90, bottom: 24 },
      { left: 0, top: 40, right: 30, bottom: 60 },
    ]);
  });
});
