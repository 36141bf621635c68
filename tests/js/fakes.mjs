// Fakes shared by the tests of store.js and edits.js: page data, an API whose requests the
// test answers one by one, and a view that records what it was told.
import { ApiError } from "../../static/annotations/api.js";

export const QUOTE_TEXT = "“We will not be rushed”";
// "😀" is two UTF-16 units and one code point: offsets after it differ by one.
export const TEXT = `😀 Mark Carney said ${QUOTE_TEXT} on Monday.\nIt cost $163 billion.`;

/** Return [start, end) in code points of the `occurrence`-th `covered` in TEXT. */
export function rangeOf(covered, occurrence = 0) {
  const points = [...TEXT];
  const wanted = [...covered];
  let seen = 0;
  for (let i = 0; i + wanted.length <= points.length; i++) {
    if (points.slice(i, i + wanted.length).join("") !== covered) continue;
    if (seen++ === occurrence) return { start: i, end: i + wanted.length, text: covered };
  }
  throw new Error(`${covered} is not in the text`);
}

/** Return page data as annotations/views.py sends it, with `overrides`. */
export function pageData(overrides = {}) {
  return {
    text: TEXT,
    status: "new",
    tags: [],
    labels: [
      { key: "ACTOR", name: "Actor", colour: "#1f77b4", shortcut: "a", attribute_spec: {} },
      { key: "QUOTE", name: "Quote", colour: "#ff7f0e", shortcut: "q", attribute_spec: {} },
      {
        key: "FIGURE",
        name: "Figure",
        colour: "#2ca02c",
        shortcut: "f",
        attribute_spec: { value: "number", unit: "string" },
      },
    ],
    universal_attributes: { comment: "string" },
    speaker: { source: "QUOTE", targets: ["ACTOR"] },
    spans: [],
    relations: [],
    quality_flags: [],
    api: {
      spans: "/api/documents/1/spans/",
      relations: "/api/documents/1/relations/",
      status: "/api/documents/1/status/",
      tags: "/api/documents/1/tags/",
      document: "/api/documents/1/",
    },
    new_span_layer: "own",
    ...overrides,
  };
}

/** Return a span record as the API sends it. */
export function spanRecord(uid, label, covered, extra = {}) {
  const record = { uid, label, ...rangeOf(covered), attributes: {}, version: 1 };
  return { ...record, annotator: "ann", ...extra };
}

/**
 * Return an API whose every request waits until the test settles it:
 * `calls` holds {method, url, body, answer(value), fail(status, body)} in order.
 */
export function fakeApi() {
  const calls = [];
  const request = (method) => (url, body) =>
    new Promise((resolve, reject) => {
      calls.push({
        method,
        url,
        body,
        answer: (value = null) => settle(() => resolve(value)),
        fail: (status, answer = null) => settle(() => reject(new ApiError(status, answer))),
      });
    });
  return {
    calls,
    get: request("GET"),
    post: request("POST"),
    put: request("PUT"),
    patch: request("PATCH"),
    delete: request("DELETE"),
  };
}

/** Run `settle`, then let every promise it unblocked (and the save queue) run on. */
async function settle(action) {
  action();
  await new Promise((resolve) => setImmediate(resolve));
}

/** The body of the API's 409 answer: the span as the server has it now. */
export function conflictBody(current) {
  return {
    detail: `span ${current.uid} was changed meanwhile (now version ${current.version})`,
    current,
  };
}

/** Return a view that records each call in `log` and selects in `store` as the page does. */
export function fakeView(store) {
  const log = [];
  const messages = [];
  const record =
    (name) =>
    (...args) =>
      log.push([name, ...args.map((arg) => (arg && arg.uid ? arg.uid : arg))]);
  return {
    log,
    messages,
    spanInserted: record("spanInserted"),
    spanRemoved: record("spanRemoved"),
    spanRelabelled: record("spanRelabelled"),
    spanMoved: record("spanMoved"),
    spanChanged: record("spanChanged"),
    statusChanged: record("statusChanged"),
    tagsChanged: record("tagsChanged"),
    select(uid, options) {
      log.push(["select", uid]);
      store.select(uid, options);
    },
    message(text, kind = "info") {
      messages.push([kind, text]);
    },
  };
}
