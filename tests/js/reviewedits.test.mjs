// Unit tests for static/annotations/reviewedits.js, against a fake API: each request waits
// until the test answers it, as the server would, or fails it. The store, the edits, the
// save queue and the suggestion list are the real ones.
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import { createEdits } from "../../static/annotations/edits.js";
import { createReviewEdits } from "../../static/annotations/reviewedits.js";
import { createSaveQueue } from "../../static/annotations/savequeue.js";
import { createStore } from "../../static/annotations/store.js";
import { createSuggestions, suggestionUrls } from "../../static/annotations/suggestions.js";
import { fakeApi, fakeView, pageData, QUOTE_TEXT, rangeOf, spanRecord } from "./fakes.mjs";

const QUOTED = QUOTE_TEXT.slice(1, -1);

function suggestion(id, label, covered, extra = {}) {
  return {
    id,
    label,
    ...rangeOf(covered),
    attributes: {},
    suggester: "rules",
    score: 0.8,
    speaker: null,
    ...extra,
  };
}

const CARNEY = suggestion(1, "ACTOR", "Mark Carney");
const QUOTE = suggestion(2, "QUOTE", QUOTED, { speaker: 1 });
const BILLION = suggestion(3, "FIGURE", "$163 billion", {
  attributes: { value: 163e9, unit: "USD" },
});

let store;
let edits;
let api;
let queue;
let list;
let review;
let changes;
let messages;
let states;

/** Open a page with `spans` whose suggestions are `records`, loaded. */
async function openPage({ spans = [], records = [CARNEY, QUOTE, BILLION] } = {}) {
  const page = pageData();
  store = createStore(page);
  store.load({ spans, relations: [], status: "new", tags: [] });
  api = fakeApi();
  queue = createSaveQueue();
  const editView = fakeView(store);
  edits = createEdits({ store, api, urls: page.api, queue, view: editView });
  list = createSuggestions({
    text: store.text,
    offsets: store.offsets,
    labels: [...store.labels.keys()],
  });
  changes = [];
  messages = editView.messages;
  states = [];
  const view = {
    changed: (options = {}) => changes.push(options),
    message: editView.message,
    stateChanged: (state, error) => states.push(error ? [state, error] : [state]),
  };
  // The page tells the review when the analyst's spans change.
  for (const name of ["spanInserted", "spanRemoved", "spanRelabelled"]) {
    const record = editView[name];
    editView[name] = (...args) => {
      record(...args);
      review.spansChanged();
    };
  }
  review = createReviewEdits({
    store,
    suggestions: list,
    edits,
    api,
    queue,
    urls: suggestionUrls(page.api.document),
    view,
  });
  const loading = review.load();
  await request("GET", "/api/documents/1/suggestions/").answer({
    suggestions: records,
    generated: true,
  });
  await loading;
}

function request(method, url, index = -1) {
  const call = api.calls.at(index);
  assert.ok(call, `no request ${index}`);
  assert.equal(`${call.method} ${call.url}`, `${method} ${url}`);
  return call;
}

const openIds = () => list.open().map((s) => s.id);
const labelsOf = () => store.order.map((span) => `${span.label}:${span.text}`);

describe("load", () => {
  test("shows what the server sent, less what the analyst's spans cover", async () => {
    await openPage({ spans: [spanRecord("mine", "ACTOR", "Mark Carney")] });
    assert.deepEqual(states, [["loading"], ["ready"]]);
    assert.deepEqual(openIds(), [2, 3]);
  });

  test("a failed load is said, with the reason", async () => {
    store = createStore(pageData());
    api = fakeApi();
    states = [];
    review = createReviewEdits({
      store,
      suggestions: createSuggestions({ text: store.text, offsets: store.offsets, labels: [] }),
      edits: null,
      api,
      queue: createSaveQueue(),
      urls: suggestionUrls("/api/documents/1/"),
      view: {
        changed() {},
        message() {},
        stateChanged: (state, error) => states.push([state, error]),
      },
    });
    const loading = review.load();
    await api.calls[0].fail(500);
    await loading;
    assert.deepEqual(states.at(-1), ["error", "The server answered 500."]);
  });

  test("while another request makes them, it asks again later", async () => {
    store = createStore(pageData());
    api = fakeApi();
    states = [];
    list = createSuggestions({ text: store.text, offsets: store.offsets, labels: ["ACTOR"] });
    const waiting = [];
    review = createReviewEdits({
      store,
      suggestions: list,
      edits: null,
      api,
      queue: createSaveQueue(),
      urls: suggestionUrls("/api/documents/1/"),
      view: { changed() {}, message() {}, stateChanged: (state) => states.push(state) },
      later: (callback) => waiting.push(callback),
    });
    const loading = review.load();
    await request("GET", "/api/documents/1/suggestions/").answer({
      suggestions: [],
      generated: false,
      making: true,
    });
    await loading;
    assert.deepEqual(states, ["loading"]);
    assert.equal(waiting.length, 1);
    const again = waiting[0]();
    await request("GET", "/api/documents/1/suggestions/").answer({
      suggestions: [CARNEY],
      generated: false,
      making: false,
    });
    await again;
    assert.deepEqual(states, ["loading", "loading", "ready"]);
    assert.equal(api.calls.length, 2);
    assert.deepEqual(openIds(), [1]);
  });

  test("records that do not fit the text are left out and said", async () => {
    await openPage({ records: [CARNEY, { ...BILLION, end: 9999 }] });
    assert.deepEqual(openIds(), [1]);
    assert.match(messages.at(-1)[1], /1 suggestions could not be shown: suggestion 3/);
  });
});

describe("the analyst's own spans", () => {
  test("a span over no suggestion's place draws nothing again", async () => {
    await openPage();
    changes.length = 0;
    edits.create(rangeOf("Carney"), "ACTOR");
    assert.deepEqual(changes, []);
    assert.deepEqual(openIds(), [1, 2, 3]);
  });

  test("a span over a suggestion's place takes away that outline only", async () => {
    await openPage();
    changes.length = 0;
    edits.create(rangeOf("Mark Carney"), "ACTOR");
    assert.deepEqual(changes, [{ removed: [1] }]);
    assert.deepEqual(openIds(), [2, 3]);
  });

  test("deleting that span brings the suggestion back, drawn again", async () => {
    await openPage();
    const span = edits.create(rangeOf("Mark Carney"), "ACTOR");
    changes.length = 0;
    edits.remove(span);
    assert.deepEqual(changes, [{}]);
    assert.deepEqual(openIds(), [1, 2, 3]);
  });
});

describe("accept", () => {
  beforeEach(() => openPage());

  test("y makes the suggestion a span of the analyst's layer, with attributes", async () => {
    review.step(1);
    review.step(1);
    review.step(1); // $163 billion
    review.accept();
    assert.deepEqual(openIds(), [1, 2]); // Gone at once, before the answer.
    await request("POST", "/api/suggestions/3/accept/").answer({
      span: spanRecord("fig", "FIGURE", "$163 billion", {
        attributes: { value: 163e9, unit: "USD" },
      }),
      relations: [],
    });
    assert.deepEqual(labelsOf(), ["FIGURE:$163 billion"]);
    assert.deepEqual(store.spans.get("fig").attributes, { value: 163e9, unit: "USD" });
    assert.deepEqual(openIds(), [1, 2]);
    assert.equal(queue.state().pending, 0);
  });

  test("a quote accepted after its speaker comes with the speaker link", async () => {
    review.step(1); // Mark Carney
    review.accept();
    assert.equal(list.current().id, 2);
    review.accept();
    await request("POST", "/api/suggestions/1/accept/", -1).answer({
      span: spanRecord("carney", "ACTOR", "Mark Carney"),
      relations: [],
    });
    await request("POST", "/api/suggestions/2/accept/").answer({
      span: spanRecord("quote", "QUOTE", QUOTED),
      relations: [{ id: 5, type: "speaker", source: "quote", target: "carney" }],
    });
    assert.equal(store.speakerOf("quote").target, "carney");
  });

  test("after accepting a quote its suggested speaker is current", () => {
    review.setCurrent(2);
    review.accept();
    assert.equal(list.current().id, 1);
  });

  test("undo deletes the accepted span, and the suggestion is proposed again", async () => {
    review.setCurrent(1);
    review.accept();
    await api.calls.at(-1).answer({ span: spanRecord("carney", "ACTOR", "Mark Carney") });
    assert.deepEqual(openIds(), [2, 3]);
    edits.undo();
    assert.deepEqual(labelsOf(), []);
    assert.deepEqual(openIds(), [1, 2, 3]);
    await request("DELETE", "/api/documents/1/spans/carney/?version=1").answer();
  });

  test("a 404 (taken meanwhile) is said and the suggestion stays hidden", async () => {
    review.setCurrent(1);
    review.accept();
    await api.calls.at(-1).fail(404, { detail: "Not found." });
    assert.deepEqual(openIds(), [2, 3]);
    assert.match(messages.at(-1)[1], /Not accepted: this suggestion is gone/);
    assert.equal(queue.state().pending, 0);
  });

  test("another refusal is said and the suggestion comes back", async () => {
    review.setCurrent(1);
    review.accept();
    await api.calls.at(-1).fail(400, { detail: "overlaps a span" });
    assert.deepEqual(openIds(), [1, 2, 3]);
    assert.deepEqual(messages.at(-1), ["error", "Not accepted: overlaps a span"]);
  });

  test("a server that cannot be reached keeps the request for Retry", async () => {
    review.setCurrent(1);
    review.accept();
    await api.calls.at(-1).fail(0);
    assert.equal(queue.state().failure.operation.what, "accept the suggested Actor");
    assert.deepEqual(openIds(), [1, 2, 3]);
    queue.retry();
    await request("POST", "/api/suggestions/1/accept/").answer({
      span: spanRecord("carney", "ACTOR", "Mark Carney"),
      relations: [],
    });
    assert.deepEqual(openIds(), [2, 3]);
    assert.equal(queue.state().pending, 0);
  });

  test("with nothing current, y says how to get a suggestion", () => {
    review.accept();
    assert.equal(api.calls.length, 1);
    assert.deepEqual(messages.at(-1), [
      "error",
      "No suggestion is current: press Tab to go to one, then press y.",
    ]);
  });
});

describe("reject", () => {
  beforeEach(() => openPage());

  test("n hides the suggestion at once and tells the server", async () => {
    review.step(1);
    review.reject();
    assert.deepEqual(openIds(), [2, 3]);
    assert.equal(list.current().id, 2);
    await request("POST", "/api/suggestions/1/reject/").answer(null);
    assert.equal(queue.state().pending, 0);
    assert.deepEqual(store.order, []);
  });

  test("a refused reject shows the suggestion again", async () => {
    review.step(1);
    review.reject();
    await api.calls.at(-1).fail(403, { detail: "You may not." });
    assert.deepEqual(openIds(), [1, 2, 3]);
    assert.deepEqual(messages.at(-1), ["error", "Not rejected: You may not."]);
  });
});

describe("accept all", () => {
  beforeEach(() => openPage());

  test("one request accepts a label; quotes bring speakers, and the links show", async () => {
    review.acceptLabel("QUOTE");
    assert.deepEqual(openIds(), [1, 3]);
    assert.deepEqual(request("POST", "/api/documents/1/suggestions/accept-all/").body, {
      label: "QUOTE",
    });
    await api.calls.at(-1).answer({
      spans: [spanRecord("quote", "QUOTE", QUOTED), spanRecord("carney", "ACTOR", "Mark Carney")],
      relations: [{ id: 5, type: "speaker", source: "quote", target: "carney" }],
    });
    assert.deepEqual(openIds(), [3]);
    assert.equal(store.speakerOf("quote").target, "carney");
    assert.deepEqual(messages.at(-1), ["info", "Accepted 1 Quote and 1 Actor spans."]);
    assert.equal(list.batch(), null);
  });

  test("speakers the server left out are offered, and accepted together", async () => {
    review.acceptLabel("QUOTE");
    await api.calls.at(-1).answer({ spans: [spanRecord("quote", "QUOTE", QUOTED)], relations: [] });
    assert.deepEqual(
      list.batch().suggestions.map((s) => s.id),
      [1],
    );
    assert.match(messages.at(-1)[1], /1 suggested speakers are offered/);
    review.acceptBatch();
    assert.equal(list.batch(), null);
    assert.deepEqual(request("POST", "/api/documents/1/suggestions/accept-chosen/").body, {
      suggestions: [1],
    });
    await api.calls.at(-1).answer({
      spans: [spanRecord("carney", "ACTOR", "Mark Carney")],
      relations: [{ id: 6, type: "speaker", source: "quote", target: "carney" }],
    });
    assert.equal(store.speakerOf("quote").target, "carney");
  });

  test("a refused accept-all shows the label's suggestions again", async () => {
    review.acceptLabel("FIGURE");
    await api.calls.at(-1).fail(400, { label: ["Unknown label."] });
    assert.deepEqual(openIds(), [1, 2, 3]);
    assert.deepEqual(messages.at(-1), ["error", "Not accepted: label: Unknown label."]);
  });

  test("a label with nothing left sends nothing", () => {
    review.acceptLabel("ANON_SOURCE");
    assert.equal(api.calls.length, 1);
  });
});

describe("tag all occurrences (*)", () => {
  beforeEach(() => openPage({ records: [CARNEY] }));

  test("needs a selected span", () => {
    review.tagOccurrences();
    assert.equal(api.calls.length, 1);
    assert.match(messages.at(-1)[1], /Select a span first/);
  });

  test("asks after the span's own save, and offers the proposals as a batch", async () => {
    const range = rangeOf("Monday");
    store.insertSpan(store.makeSpan({ uid: "mon", label: "ACTOR", ...range }));
    store.select("mon");
    queue.enqueue({ what: "create", run: () => api.post("/api/documents/1/spans/", {}) });
    review.tagOccurrences();
    assert.equal(api.calls.length, 2); // Waits for the span's save.
    await request("POST", "/api/documents/1/spans/").answer({});
    assert.deepEqual(request("POST", "/api/documents/1/occurrences/").body, { span: "mon" });
    await api.calls.at(-1).answer({
      suggestions: [suggestion(8, "ACTOR", "It"), suggestion(9, "ACTOR", "cost")],
    });
    const batch = list.batch();
    assert.equal(batch.title, "Other occurrences of “Monday” as Actor");
    assert.deepEqual(
      batch.suggestions.map((s) => s.id),
      [8, 9],
    );
    assert.equal(list.current().id, 8);
    assert.deepEqual(changes.at(-1), { reveal: true });
    const before = api.calls.length;
    review.acceptBatch();
    // One request for the whole batch, and the batch is gone at once.
    assert.equal(api.calls.length, before + 1);
    assert.deepEqual(request("POST", "/api/documents/1/suggestions/accept-chosen/").body, {
      suggestions: [8, 9],
    });
    assert.deepEqual(openIds(), [1]);
    assert.equal(list.batch(), null);
    await api.calls.at(-1).answer({
      spans: [spanRecord("it", "ACTOR", "It"), spanRecord("cost", "ACTOR", "cost")],
      relations: [],
    });
    assert.deepEqual(labelsOf(), ["ACTOR:Monday", "ACTOR:It", "ACTOR:cost"]);
    assert.deepEqual(openIds(), [1]);
    assert.equal(queue.state().pending, 0);
    assert.deepEqual(messages.at(-1), [
      "info",
      "Accepted 2 Actor spans. Ctrl+Z undoes them all.",
    ]);
    // One undo takes the whole batch back: each span is deleted on the server.
    edits.undo();
    assert.deepEqual(labelsOf(), ["ACTOR:Monday"]);
    assert.deepEqual(messages.at(-1), ["info", "Undone: 2 accepted suggestions."]);
    const deletes = () => api.calls.filter((c) => c.method === "DELETE").map((c) => c.url);
    await request("DELETE", "/api/documents/1/spans/cost/?version=1").answer();
    await request("DELETE", "/api/documents/1/spans/it/?version=1").answer();
    assert.equal(deletes().length, 2);
    // The suggestions come back to review; redo makes both spans again.
    assert.deepEqual(openIds(), [1, 8, 9]);
    edits.redo();
    assert.deepEqual(labelsOf(), ["ACTOR:Monday", "ACTOR:It", "ACTOR:cost"]);
  });

  test("a refused batch is said and every suggestion of it comes back", async () => {
    list.propose([suggestion(8, "ACTOR", "It"), suggestion(9, "ACTOR", "cost")], {
      title: "Occurrences",
      label: "ACTOR",
    });
    review.acceptBatch();
    assert.deepEqual(openIds(), [1]);
    await request("POST", "/api/documents/1/suggestions/accept-chosen/").fail(400, {
      suggestions: ["already accepted, covered or rejected: 9"],
    });
    assert.deepEqual(openIds(), [1, 8, 9]);
    assert.deepEqual(messages.at(-1), [
      "error",
      "Not accepted: suggestions: already accepted, covered or rejected: 9",
    ]);
    assert.deepEqual(labelsOf(), []);
  });

  test("no proposal is said", async () => {
    store.insertSpan(store.makeSpan({ uid: "c", label: "ACTOR", ...rangeOf("Mark Carney") }));
    store.select("c");
    review.tagOccurrences();
    await api.calls.at(-1).answer({ suggestions: [] });
    assert.deepEqual(messages.at(-1), [
      "info",
      "No other occurrence of “Mark Carney” is left to tag.",
    ]);
  });

  test("a span the server does not know (not in the analyst's layer) is said", async () => {
    store.insertSpan(store.makeSpan({ uid: "c", label: "ACTOR", ...rangeOf("Mark Carney") }));
    store.select("c");
    review.tagOccurrences();
    await api.calls.at(-1).fail(404);
    assert.deepEqual(messages.at(-1), [
      "error",
      "No occurrences proposed: the span is not in your layer.",
    ]);
    assert.equal(queue.state().pending, 0);
  });
});
