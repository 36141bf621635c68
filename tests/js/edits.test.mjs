// Unit tests for static/annotations/edits.js (and links.js), against a fake API: each
// request waits until the test answers it, as the server would, or fails it.
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";

import { createEdits } from "../../static/annotations/edits.js";
import { createSaveQueue } from "../../static/annotations/savequeue.js";
import { createStore } from "../../static/annotations/store.js";
import {
  conflictBody,
  fakeApi,
  fakeView,
  pageData,
  QUOTE_TEXT,
  rangeOf,
  spanRecord,
} from "./fakes.mjs";

const SPANS = "/api/documents/1/spans/";
const RELATIONS = "/api/documents/1/relations/";

let store;
let api;
let queue;
let view;
let edits;

/** Set up a page showing `spans` and `relations`, as annotator.js does. */
function openPage({ spans = [], relations = [], status = "new", ...data } = {}) {
  const page = pageData(data);
  store = createStore(page);
  store.load({ spans, relations, status, tags: page.tags });
  api = fakeApi();
  queue = createSaveQueue();
  view = fakeView(store);
  let uids = 0;
  edits = createEdits({
    store,
    api,
    urls: page.api,
    queue,
    view,
    newSpanLayer: page.new_span_layer,
    newUid: () => `new${++uids}`,
  });
}

/** Return the request number `index` (from the end if negative), checking its method. */
function request(method, index = -1) {
  const call = api.calls.at(index);
  assert.ok(call, `no request ${index}`);
  assert.equal(call.method, method, `request ${index}: ${call.method} ${call.url}`);
  return call;
}

const labelsOf = () => store.order.map((span) => `${span.label}:${span.text}`);

describe("create", () => {
  beforeEach(() => openPage());

  test("shows the span at once, selects it and saves it in the analyst's layer", async () => {
    const span = edits.create(rangeOf("Mark Carney"), "ACTOR");
    assert.deepEqual(labelsOf(), ["ACTOR:Mark Carney"]);
    assert.equal(store.selectedUid, span.uid);
    assert.deepEqual(view.log.slice(0, 3), [
      ["spanInserted", "new1"],
      ["statusChanged"],
      ["select", "new1"],
    ]);
    assert.equal(store.status, "in_progress");
    const post = request("POST");
    assert.equal(post.url, SPANS);
    assert.deepEqual(post.body, {
      uid: "new1",
      label: "ACTOR",
      ...rangeOf("Mark Carney"),
      attributes: {},
      layer: "own",
    });
    assert.equal(queue.state().pending, 1);
    await post.answer({ ...post.body, version: 1, annotator: "ann" });
    assert.deepEqual([span.version, span.annotator], [1, "ann"]);
    assert.equal(queue.state().pending, 0);
  });

  test("on the gold layer, new spans are saved to gold", () => {
    openPage({ new_span_layer: "gold" });
    edits.create(rangeOf("Mark Carney"), "ACTOR");
    assert.equal(request("POST").body.layer, "gold");
  });

  test("undo deletes it at the version the server gave; redo creates it again", async () => {
    edits.create(rangeOf("Mark Carney"), "ACTOR");
    await request("POST").answer({ version: 1, annotator: "ann" });
    edits.undo();
    assert.deepEqual(labelsOf(), []);
    assert.equal(store.selectedUid, null);
    assert.equal(request("DELETE").url, `${SPANS}new1/?version=1`);
    assert.deepEqual(view.messages.at(-1), ["info", "Undone: create ACTOR “Mark Carney”."]);
    await request("DELETE").answer();

    edits.redo();
    assert.deepEqual(labelsOf(), ["ACTOR:Mark Carney"]);
    assert.equal(store.selectedUid, "new1");
    assert.equal(request("POST").body.uid, "new1");
    assert.deepEqual(view.messages.at(-1), ["info", "Redone: create ACTOR “Mark Carney”."]);
    edits.redo();
    assert.deepEqual(view.messages.at(-1), ["info", "Nothing to redo."]);
  });
});

describe("delete", () => {
  beforeEach(() =>
    openPage({
      status: "in_progress",
      spans: [
        spanRecord("quote", "QUOTE", QUOTE_TEXT),
        spanRecord("carney", "ACTOR", "Mark Carney", { version: 3 }),
      ],
      relations: [{ id: 7, type: "speaker", source: "quote", target: "carney" }],
    }),
  );

  test("removes the span and its links at once and deletes it at its version", async () => {
    edits.remove(store.spans.get("carney"));
    assert.deepEqual(labelsOf(), ["QUOTE:“We will not be rushed”"]);
    assert.equal(store.speakerOf("quote"), null);
    assert.equal(request("DELETE").url, `${SPANS}carney/?version=3`);
    assert.deepEqual(view.messages.at(-1), [
      "info",
      "Deleted the Actor span. 1 quote lost its speaker. Ctrl+Z undoes it.",
    ]);
    await request("DELETE").answer();
    assert.equal(queue.state().pending, 0);
  });

  test("undo creates it again with its uid and attributes, and links it again", async () => {
    const carney = store.spans.get("carney");
    carney.attributes = { comment: "the prime minister" };
    edits.remove(carney);
    await request("DELETE").answer();
    edits.undo();
    assert.deepEqual(labelsOf(), ["ACTOR:Mark Carney", "QUOTE:“We will not be rushed”"]);
    const post = request("POST");
    assert.deepEqual(
      [post.body.uid, post.body.label, post.body.attributes],
      ["carney", "ACTOR", { comment: "the prime minister" }],
    );
    assert.equal(store.speakerOf("quote").target, "carney");
    await post.answer({ version: 1 });
    const link = request("POST");
    assert.equal(link.url, RELATIONS);
    assert.deepEqual(link.body, { type: "speaker", source: "quote", target: "carney" });
    await link.answer({ id: 9 });
    assert.equal(store.speakerOf("quote").id, 9);

    edits.redo();
    assert.deepEqual(labelsOf(), ["QUOTE:“We will not be rushed”"]);
    assert.equal(request("DELETE").url, `${SPANS}carney/?version=1`);
  });

  test("a span already deleted on the server counts as deleted", async () => {
    edits.remove(store.spans.get("carney"));
    await request("DELETE").fail(404, { detail: "Not found." });
    assert.equal(queue.state().failure, null);
    assert.equal(queue.state().pending, 0);
  });

  test("a 409 brings back the span as the server has it, with its links", async () => {
    edits.remove(store.spans.get("carney"));
    const current = spanRecord("carney", "ACTOR", "Mark Carney", {
      version: 4,
      attributes: { comment: "changed by Bea" },
      annotator: "bea",
    });
    await request("DELETE").fail(409, conflictBody(current));
    const carney = store.spans.get("carney");
    assert.deepEqual([carney.version, carney.annotator], [4, "bea"]);
    assert.deepEqual(carney.attributes, { comment: "changed by Bea" });
    assert.equal(store.speakerOf("quote").target, "carney");
    assert.deepEqual(view.log.at(-1), ["spanInserted", "carney"]);
    assert.deepEqual(view.messages.at(-1), [
      "error",
      "Not deleted: someone else changed this span meanwhile; you now see their version.",
    ]);
    assert.equal(queue.state().failure, null);
  });

  test("a failure without the current span stops the queue with the change kept", async () => {
    edits.remove(store.spans.get("carney"));
    await request("DELETE").fail(500, null);
    assert.equal(queue.state().failure.operation.what, "delete ACTOR span");
    assert.deepEqual([...queue.unsavedUids()], ["carney"]);
  });
});

describe("relabel", () => {
  beforeEach(() =>
    openPage({
      status: "in_progress",
      spans: [
        spanRecord("quote", "QUOTE", QUOTE_TEXT),
        spanRecord("carney", "ACTOR", "Mark Carney"),
        spanRecord("figure", "FIGURE", "$163 billion", {
          attributes: { value: 163e9, unit: "USD", comment: "rounded" },
        }),
      ],
      relations: [{ id: 7, type: "speaker", source: "quote", target: "carney" }],
    }),
  );

  test("keeps the attributes the new label allows, patched at the span's version", async () => {
    const figure = store.spans.get("figure");
    edits.relabel(figure, "ACTOR");
    assert.equal(figure.label, "ACTOR");
    assert.deepEqual(figure.attributes, { comment: "rounded" });
    assert.deepEqual(view.log.at(0), ["spanRelabelled", "figure", "FIGURE"]);
    const patch = request("PATCH");
    assert.equal(patch.url, `${SPANS}figure/`);
    const saved = { label: "ACTOR", attributes: { comment: "rounded" } };
    assert.deepEqual(patch.body, { version: 1, ...saved });
    await patch.answer({ ...spanRecord("figure", "ACTOR", "$163 billion"), ...saved, version: 2 });
    assert.equal(figure.version, 2);
    assert.equal(figure.edits, 0);
  });

  test("undo gives back the old label and attributes; redo relabels again", async () => {
    const figure = store.spans.get("figure");
    edits.relabel(figure, "ACTOR");
    await request("PATCH").answer({ ...request("PATCH").body, version: 2 });
    edits.undo();
    assert.equal(figure.label, "FIGURE");
    assert.deepEqual(figure.attributes, { value: 163e9, unit: "USD", comment: "rounded" });
    assert.deepEqual(request("PATCH").body, {
      version: 2,
      label: "FIGURE",
      attributes: { value: 163e9, unit: "USD", comment: "rounded" },
    });
    assert.deepEqual(view.messages.at(-1), ["info", "Undone: relabel as ACTOR."]);
    await request("PATCH").answer({ ...request("PATCH").body, version: 3 });
    edits.redo();
    assert.equal(figure.label, "ACTOR");
    assert.deepEqual(request("PATCH").body.version, 3);
  });

  test("a relabel drops the speaker link it no longer allows; undo links it again", async () => {
    const carney = store.spans.get("carney");
    edits.relabel(carney, "FIGURE");
    assert.equal(store.speakerOf("quote"), null);
    assert.ok(view.log.some(([name, uid]) => name === "spanChanged" && uid === "quote"));
    await request("PATCH").answer({ ...request("PATCH").body, version: 2 });
    edits.undo();
    assert.equal(carney.label, "ACTOR");
    assert.equal(store.speakerOf("quote").target, "carney");
    await request("PATCH").answer({ ...request("PATCH").body, version: 3 });
    assert.deepEqual(request("POST").body, { type: "speaker", source: "quote", target: "carney" });
  });

  test("a 409 adopts the other analyst's label and attributes", async () => {
    const figure = store.spans.get("figure");
    store.select("figure");
    edits.relabel(figure, "QUOTE");
    const current = spanRecord("figure", "ACTOR", "$163 billion", {
      version: 2,
      attributes: { comment: "theirs" },
      annotator: "bea",
    });
    view.log.length = 0;
    await request("PATCH").fail(409, conflictBody(current));
    assert.deepEqual([figure.label, figure.version, figure.annotator], ["ACTOR", 2, "bea"]);
    assert.deepEqual(figure.attributes, { comment: "theirs" });
    assert.deepEqual(view.log, [
      ["spanRelabelled", "figure", "QUOTE"],
      ["spanChanged", "figure"],
      ["select", "figure"],
    ]);
    assert.deepEqual(view.messages.at(-1), [
      "error",
      "relabel as QUOTE: someone else changed this span meanwhile; you now see their version.",
    ]);
    assert.equal(queue.state().pending, 0);
    assert.equal(queue.state().failure, null);
    // What is undone next is the analyst's own relabel, from the adopted version.
    edits.undo();
    assert.deepEqual(request("PATCH").body, {
      version: 2,
      label: "FIGURE",
      attributes: { value: 163e9, unit: "USD", comment: "rounded" },
    });
  });

  test("an answer to an earlier change does not undo a later one still queued", async () => {
    const figure = store.spans.get("figure");
    edits.relabel(figure, "ACTOR");
    edits.relabel(figure, "QUOTE");
    const first = request("PATCH");
    await first.answer({ ...spanRecord("figure", "ACTOR", "$163 billion"), version: 2 });
    assert.deepEqual([figure.label, figure.version], ["QUOTE", 2]);
    const second = request("PATCH");
    const kept = { comment: "rounded" };
    assert.deepEqual(second.body, { version: 2, label: "QUOTE", attributes: kept });
    await second.answer({ ...spanRecord("figure", "QUOTE", "$163 billion"), version: 3 });
    assert.deepEqual([figure.label, figure.version, figure.edits], ["QUOTE", 3, 0]);
  });

  test("a span deleted by someone else goes away, with a message", async () => {
    store.select("figure");
    edits.relabel(store.spans.get("figure"), "ACTOR");
    await request("PATCH").fail(404, { detail: "Not found." });
    assert.equal(store.spans.has("figure"), false);
    assert.equal(store.selectedUid, null);
    assert.deepEqual(view.messages.at(-1), [
      "error",
      "relabel as ACTOR: the span was deleted by someone else.",
    ]);
    edits.undo();
    assert.deepEqual(view.messages.at(-1), ["error", "Cannot undo: that span is gone."]);
  });
});

describe("attributes and speakers", () => {
  beforeEach(() =>
    openPage({
      status: "in_progress",
      spans: [
        spanRecord("quote", "QUOTE", QUOTE_TEXT),
        spanRecord("carney", "ACTOR", "Mark Carney"),
        spanRecord("said", "ACTOR", "said"),
        spanRecord("figure", "FIGURE", "$163 billion"),
      ],
    }),
  );

  test("attributes show at once and are patched at the span's version", async () => {
    const figure = store.spans.get("figure");
    edits.setAttributes(figure, { value: 163e9, unit: "USD" });
    assert.deepEqual(figure.attributes, { value: 163e9, unit: "USD" });
    assert.deepEqual(view.log, [["spanChanged", "figure"]]);
    const attributes = { value: 163e9, unit: "USD" };
    assert.deepEqual(request("PATCH").body, { version: 1, attributes });
    const answer = spanRecord("figure", "FIGURE", "$163 billion", { attributes, version: 2 });
    await request("PATCH").answer(answer);
    assert.equal(figure.version, 2);
  });

  test("an attribute change that meets a 409 shows the other analyst's attributes", async () => {
    const figure = store.spans.get("figure");
    edits.setAttributes(figure, { value: 1 });
    const current = spanRecord("figure", "FIGURE", "$163 billion", {
      version: 5,
      attributes: { value: 2 },
    });
    await request("PATCH").fail(409, conflictBody(current));
    assert.deepEqual([figure.attributes, figure.version], [{ value: 2 }, 5]);
    assert.match(view.messages.at(-1)[1], /^save attributes: someone else changed/);
  });

  test("a speaker is linked, changed and unlinked through the relations API", async () => {
    const [quote, carney, said] = ["quote", "carney", "said"].map((uid) => store.spans.get(uid));
    edits.setSpeaker(quote, carney);
    assert.equal(store.speakerOf("quote").target, "carney");
    assert.equal(store.selectedUid, "quote");
    assert.deepEqual(store.linkedToSelection, new Set(["carney"]));
    await request("POST").answer({ id: 9, type: "speaker", source: "quote", target: "carney" });

    edits.setSpeaker(quote, carney); // The same speaker: nothing to save.
    assert.equal(api.calls.length, 1);

    edits.setSpeaker(quote, said);
    assert.equal(store.speakerOf("quote").target, "said");
    assert.deepEqual(store.linksOf("carney"), []);
    assert.equal(request("PATCH").url, `${RELATIONS}9/`);
    assert.deepEqual(request("PATCH").body, { target: "said" });
    await request("PATCH").answer({ id: 9 });

    edits.setSpeaker(quote, null);
    assert.equal(store.speakerOf("quote"), null);
    assert.equal(request("DELETE").url, `${RELATIONS}9/`);
    await request("DELETE").fail(404, { detail: "Not found." }); // Gone already: fine.
    assert.equal(queue.state().failure, null);
  });

  test("deleting a speaker, then undoing it, links it to its quote again", async () => {
    const [quote, carney] = ["quote", "carney"].map((uid) => store.spans.get(uid));
    edits.setSpeaker(quote, carney);
    await request("POST").answer({ id: 9 });
    edits.remove(carney);
    assert.equal(store.speakerOf("quote"), null);
    await request("DELETE").answer();
    edits.undo();
    assert.equal(store.speakerOf("quote").target, "carney");
    assert.equal(store.speakerOf("quote").id, null); // Until the server answers.
  });
});

describe("undo history", () => {
  test("nothing to undo is said, and undoing in order goes back edit by edit", async () => {
    openPage();
    edits.undo();
    assert.deepEqual(view.messages.at(-1), ["info", "Nothing to undo."]);
    const span = edits.create(rangeOf("Mark Carney"), "ACTOR");
    edits.relabel(span, "QUOTE");
    edits.undo();
    assert.equal(span.label, "ACTOR");
    edits.undo();
    assert.deepEqual(labelsOf(), []);
    edits.redo();
    edits.redo();
    assert.deepEqual(labelsOf(), ["QUOTE:Mark Carney"]);
  });
});

describe("adopt (spans the server made from accepted suggestions)", () => {
  beforeEach(() => openPage());

  test("shows them with their links, marks the document begun, and sends nothing", () => {
    const quote = spanRecord("quote", "QUOTE", QUOTE_TEXT);
    const carney = spanRecord("carney", "ACTOR", "Mark Carney");
    const added = edits.adopt(
      [carney, quote],
      [{ id: 7, type: "speaker", source: "quote", target: "carney" }],
    );
    assert.deepEqual(
      added.map((span) => span.uid),
      ["carney", "quote"],
    );
    assert.deepEqual(labelsOf(), ["ACTOR:Mark Carney", "QUOTE:“We will not be rushed”"]);
    assert.equal(store.speakerOf("quote").id, 7);
    assert.equal(store.status, "in_progress");
    assert.equal(api.calls.length, 0);
    assert.ok(view.log.some(([name, uid]) => name === "spanInserted" && uid === "quote"));
  });

  test("spans and links the page has already are not added twice", () => {
    const carney = spanRecord("carney", "ACTOR", "Mark Carney");
    const quote = spanRecord("quote", "QUOTE", QUOTE_TEXT);
    const link = { id: 7, type: "speaker", source: "quote", target: "carney" };
    edits.adopt([carney, quote], [link]);
    assert.deepEqual(edits.adopt([carney], [link, { ...link, id: 8 }]), []);
    assert.equal(store.order.length, 2);
    assert.equal(store.linksOf("quote").length, 1);
  });

  test("a link to a span the page does not have is left out", () => {
    edits.adopt(
      [spanRecord("quote", "QUOTE", QUOTE_TEXT)],
      [{ id: 7, type: "speaker", source: "quote", target: "elsewhere" }],
    );
    assert.equal(store.speakerOf("quote"), null);
  });

  test("undo deletes an adopted span at its version, and redo makes it again", async () => {
    edits.adopt([spanRecord("carney", "ACTOR", "Mark Carney", { version: 2 })]);
    edits.undo();
    assert.deepEqual(labelsOf(), []);
    assert.equal(request("DELETE").url, `${SPANS}carney/?version=2`);
    await request("DELETE").answer();
    edits.redo();
    assert.deepEqual(labelsOf(), ["ACTOR:Mark Carney"]);
    assert.equal(request("POST").body.uid, "carney");
  });
});

describe("document edits", () => {
  test("marking done and reopening are saved in order", async () => {
    openPage({ status: "in_progress" });
    edits.toggleDone();
    assert.equal(store.status, "done");
    assert.deepEqual(request("PUT").body, { status: "done" });
    edits.toggleDone();
    assert.equal(store.status, "in_progress");
    assert.equal(api.calls.length, 1); // The reopening waits for the first answer.
    await request("PUT").answer({ status: "done" });
    assert.deepEqual(request("PUT").body, { status: "in_progress" });
  });

  test("tags show at once and take the server's spelling once saved", async () => {
    openPage();
    edits.saveTags(["defence"]);
    assert.deepEqual(store.tags, ["defence"]);
    assert.deepEqual(view.log, [["tagsChanged"]]);
    await request("PUT").answer({ tags: ["Defence"] });
    assert.deepEqual(store.tags, ["Defence"]);
  });
});

describe("undo of attributes and speakers", () => {
  beforeEach(() =>
    openPage({
      status: "in_progress",
      spans: [
        spanRecord("quote", "QUOTE", QUOTE_TEXT),
        spanRecord("carney", "ACTOR", "Mark Carney"),
        spanRecord("said", "ACTOR", "said"),
        spanRecord("figure", "FIGURE", "$163 billion", { attributes: { unit: "EUR" } }),
      ],
    }),
  );

  test("undo gives back the attributes before, redo the ones after, each saved", async () => {
    const figure = store.spans.get("figure");
    edits.setAttributes(figure, { unit: "USD", value: 5 });
    await request("PATCH").answer({ ...spanRecord("figure", "FIGURE", "$163 billion"), version: 2 });
    edits.undo();
    assert.deepEqual(figure.attributes, { unit: "EUR" });
    assert.deepEqual(request("PATCH").body, { version: 2, attributes: { unit: "EUR" } });
    assert.deepEqual(view.messages.at(-1), ["info", "Undone: change of attributes."]);
    await request("PATCH").answer({ ...spanRecord("figure", "FIGURE", "$163 billion"), version: 3 });
    edits.redo();
    assert.deepEqual(figure.attributes, { unit: "USD", value: 5 });
  });

  test("undo of a speaker change links the speaker before; undo of a link unlinks", async () => {
    const [quote, carney, said] = ["quote", "carney", "said"].map((uid) => store.spans.get(uid));
    edits.setSpeaker(quote, carney);
    await request("POST").answer({ id: 9, type: "speaker", source: "quote", target: "carney" });
    edits.setSpeaker(quote, said);
    await request("PATCH").answer({ id: 9 });
    edits.undo();
    assert.equal(store.speakerOf("quote").target, "carney");
    assert.deepEqual(request("PATCH").body, { target: "carney" });
    await request("PATCH").answer({ id: 9 });
    edits.undo();
    assert.equal(store.speakerOf("quote"), null);
    assert.equal(request("DELETE").url, `${RELATIONS}9/`);
    edits.redo();
    assert.equal(store.speakerOf("quote").target, "carney");
  });

  test("a 409 on attributes keeps the analyst's values beside theirs until saved", async () => {
    const figure = store.spans.get("figure");
    edits.setAttributes(figure, { unit: "USD" });
    const current = spanRecord("figure", "FIGURE", "$163 billion", {
      version: 5,
      attributes: { unit: "GBP" },
    });
    await request("PATCH").fail(409, conflictBody(current));
    assert.deepEqual(figure.attributes, { unit: "GBP" });
    assert.deepEqual(figure.conflict, { attributes: { unit: "USD" } });
    assert.match(view.messages.at(-1)[1], /Your values are kept beside theirs/);
    edits.setAttributes(figure, { unit: "USD" });
    assert.equal(figure.conflict, null);
  });
});

describe("deleting a speaker", () => {
  test("redraws the quotes it spoke at once and says they lost their speaker", async () => {
    openPage({
      status: "in_progress",
      spans: [
        spanRecord("quote", "QUOTE", QUOTE_TEXT),
        spanRecord("carney", "ACTOR", "Mark Carney"),
      ],
      relations: [{ id: 9, type: "speaker", source: "quote", target: "carney" }],
    });
    edits.remove(store.spans.get("carney"));
    assert.ok(view.log.some(([what, uid]) => what === "spanChanged" && uid === "quote"));
    assert.equal(store.speakerOf("quote"), null);
    assert.deepEqual(view.messages.at(-1), [
      "info",
      "Deleted the Actor span. 1 quote lost its speaker. Ctrl+Z undoes it.",
    ]);
  });
});

describe("moving a span's edges", () => {
  beforeEach(() =>
    openPage({
      status: "in_progress",
      spans: [
        spanRecord("quote", "QUOTE", QUOTE_TEXT),
        spanRecord("carney", "ACTOR", "Carney"),
      ],
      relations: [{ id: 7, type: "speaker", source: "quote", target: "carney" }],
    }),
  );

  test("is one PATCH of start and end, keeping the uid and the links; undo moves back", async () => {
    const carney = store.spans.get("carney");
    const wider = rangeOf("Mark Carney");
    assert.equal(edits.move(carney, wider), true);
    assert.deepEqual([carney.start, carney.end], [wider.start, wider.end]);
    assert.equal(carney.text, "Mark Carney");
    assert.equal(carney.start16, wider.start + 1); // after the emoji's two UTF-16 units
    assert.equal(store.speakerOf("quote").target, "carney");
    assert.deepEqual(view.log.at(-1)[0], "spanMoved");
    assert.deepEqual(request("PATCH").body, { version: 1, start: wider.start, end: wider.end });
    await request("PATCH").answer(spanRecord("carney", "ACTOR", "Mark Carney", { version: 2 }));
    edits.undo();
    assert.equal(carney.text, "Carney");
    const { start, end } = rangeOf("Carney");
    assert.deepEqual(request("PATCH").body, { version: 2, start, end });
  });

  test("onto another span of its label is refused with a message", () => {
    openPage({
      spans: [spanRecord("a", "ACTOR", "Carney"), spanRecord("b", "ACTOR", "Mark Carney")],
    });
    assert.equal(edits.move(store.spans.get("a"), rangeOf("Mark Carney")), false);
    assert.match(view.messages.at(-1)[1], /^There is already an Actor span over/);
    assert.equal(api.calls.length, 0);
  });

  test("that meets a 409 shows the span where the other analyst put it", async () => {
    // A drag handle's drop and the edge keys both move through edits.move.
    const carney = store.spans.get("carney");
    edits.move(carney, rangeOf("Mark Carney"));
    const theirs = spanRecord("carney", "ACTOR", "Carney said", { version: 2, annotator: "bea" });
    view.log.length = 0;
    await request("PATCH").fail(409, conflictBody(theirs));
    assert.deepEqual([carney.text, carney.version], ["Carney said", 2]);
    assert.equal(carney.start16, store.text.indexOf("Carney said"));
    assert.deepEqual(view.log[0].slice(0, 2), ["spanMoved", "carney"]);
    assert.match(view.messages.at(-1)[1], /^move an edge: someone else changed this span/);
    assert.equal(queue.state().failure, null);
  });
});
