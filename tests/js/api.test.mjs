// Unit tests for static/annotations/api.js, with a fake fetch.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { ApiError, createApi, describeError } from "../../static/annotations/api.js";

function fakeFetch(status, body, calls = []) {
  return async (url, options) => {
    calls.push({ url, options });
    return {
      status,
      ok: status >= 200 && status < 300,
      json: async () => {
        if (body === undefined) throw new SyntaxError("no body");
        return body;
      },
    };
  };
}

describe("createApi", () => {
  test("sends JSON with the CSRF token and returns the answer", async () => {
    const calls = [];
    const api = createApi({ csrfToken: "tok", fetch: fakeFetch(201, { uid: "a" }, calls) });
    assert.deepEqual(await api.post("/api/x/", { start: 1 }), { uid: "a" });
    const [{ url, options }] = calls;
    assert.equal(url, "/api/x/");
    assert.equal(options.method, "POST");
    assert.equal(options.headers["X-CSRFToken"], "tok");
    assert.equal(options.headers["Content-Type"], "application/json");
    assert.equal(options.body, '{"start":1}');
    assert.equal(options.credentials, "same-origin");
  });

  test("a 204 answers null without reading a body", async () => {
    const api = createApi({ csrfToken: "t", fetch: fakeFetch(204, undefined) });
    assert.equal(await api.delete("/api/x/"), null);
  });

  test("a refused request rejects with the status, body and a readable message", async () => {
    const body = { current: { uid: "a", version: 3 }, detail: "span a was changed meanwhile" };
    const api = createApi({ csrfToken: "t", fetch: fakeFetch(409, body) });
    await assert.rejects(api.patch("/api/x/", {}), (error) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 409);
      assert.deepEqual(error.body, body);
      assert.equal(error.message, "span a was changed meanwhile");
      return true;
    });
  });

  test("an unreachable server rejects with status 0", async () => {
    const api = createApi({
      csrfToken: "t",
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await assert.rejects(api.get("/api/x/"), (error) => error.status === 0);
  });
});

describe("describeError", () => {
  test("joins DRF field messages, without the non-field key", () => {
    const body = {
      text: ["span [0, 4) covers 'Fans', not 'Fan'"],
      non_field_errors: ["a speaker relation links a QUOTE to an ACTOR"],
    };
    assert.equal(
      describeError(400, body),
      "text: span [0, 4) covers 'Fans', not 'Fan'; a speaker relation links a QUOTE to an ACTOR",
    );
  });

  test("falls back on the status", () => {
    assert.equal(describeError(0, null), "The server could not be reached.");
    assert.equal(describeError(403, null), "You are not logged in any more.");
    assert.equal(describeError(500, "<html>"), "The server answered 500.");
  });
});
