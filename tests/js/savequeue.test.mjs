// Unit tests for static/annotations/savequeue.js.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createSaveQueue } from "../../static/annotations/savequeue.js";

/** Return a promise and the functions that settle it. */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

describe("createSaveQueue", () => {
  test("runs operations one at a time, in order", async () => {
    const queue = createSaveQueue();
    const log = [];
    const first = deferred();
    queue.enqueue({
      run: async () => {
        log.push("first starts");
        await first.promise;
        log.push("first ends");
      },
    });
    queue.enqueue({
      run: async () => {
        log.push("second");
      },
    });
    await Promise.resolve();
    assert.deepEqual(log, ["first starts"]);
    first.resolve();
    await queue.idle();
    assert.deepEqual(log, ["first starts", "first ends", "second"]);
    assert.deepEqual(queue.state(), { pending: 0, saving: false, failure: null });
  });

  test("a failure stops the queue and keeps the failed operation and those after it", async () => {
    const states = [];
    const queue = createSaveQueue({ onChange: (state) => states.push(state) });
    let attempts = 0;
    const ran = [];
    queue.enqueue({
      uids: ["a"],
      what: "create span",
      run: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error("offline");
        ran.push("create");
      },
    });
    queue.enqueue({ uids: ["b"], run: async () => ran.push("relabel") });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const state = queue.state();
    assert.equal(state.pending, 2);
    assert.equal(state.saving, false);
    assert.equal(state.failure.error.message, "offline");
    assert.equal(state.failure.operation.what, "create span");
    assert.deepEqual([...queue.unsavedUids()].sort(), ["a", "b"]);
    assert.deepEqual(ran, []);
    assert.ok(states.some((s) => s.failure !== null));

    queue.retry();
    await queue.idle();
    assert.deepEqual(ran, ["create", "relabel"]);
    assert.equal(queue.state().failure, null);
    assert.equal(queue.unsavedUids().size, 0);
  });

  test("discard gives up what failed and resolves waiters", async () => {
    const queue = createSaveQueue();
    queue.enqueue({
      run: async () => {
        throw new Error("500");
      },
    });
    queue.enqueue({ run: async () => {} });
    const idle = queue.idle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    queue.discard();
    await idle;
    assert.deepEqual(queue.state(), { pending: 0, saving: false, failure: null });
  });

  test("operations queued while failed wait for the retry", async () => {
    const queue = createSaveQueue();
    let fail = true;
    const ran = [];
    queue.enqueue({
      run: async () => {
        if (fail) throw new Error("down");
        ran.push(1);
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    queue.enqueue({ run: async () => ran.push(2) });
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(ran, []);
    fail = false;
    queue.retry();
    await queue.idle();
    assert.deepEqual(ran, [1, 2]);
  });

  test("refuses an operation without run()", () => {
    assert.throws(() => createSaveQueue().enqueue({}), TypeError);
  });
});
