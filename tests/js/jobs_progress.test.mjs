// Unit tests for static/jobs/progress.js: what the job page shows for a status.json.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import {
  describeCount,
  needsReload,
  nextPollDelay,
  progressValue,
} from "../../static/jobs/progress.js";

const running = { finished: false, items_done: 900, items_total: 10000, percent: 9 };
const done = { finished: true, items_done: 10000, items_total: 10000, percent: 100 };

describe("job progress", () => {
  test("polls quickly at first, then once a second, and stops when the job ends", () => {
    assert.equal(nextPollDelay(running, 0), 400);
    assert.equal(nextPollDelay(running, 10), 1000);
    assert.equal(nextPollDelay(done, 0), null);
  });

  test("counts with the total when it is known", () => {
    assert.equal(describeCount(running), "900 of 10000");
    assert.equal(describeCount({ items_done: 3, items_total: null }), "3");
  });

  test("an unknown total gives an indeterminate bar, a known one is clamped", () => {
    assert.equal(progressValue({ percent: null }), null);
    assert.equal(progressValue({ percent: 140 }), 100);
    assert.equal(progressValue(running), 9);
  });

  test("reloads once, when a job seen running has ended", () => {
    assert.equal(needsReload(running, done), true);
    assert.equal(needsReload(done, done), false);
    assert.equal(needsReload(running, running), false);
  });
});
