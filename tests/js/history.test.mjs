// Unit tests for static/annotations/history.js.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createHistory, invert } from "../../static/annotations/history.js";

const SPAN = { uid: "a1", label: "ACTOR", start: 3, end: 14, text: "Mark Carney", attributes: {} };

describe("invert", () => {
  test("creating and deleting are each other's inverse", () => {
    const create = { type: "create", span: SPAN, relations: [] };
    assert.deepEqual(invert(create), { type: "delete", span: SPAN, relations: [] });
    assert.deepEqual(invert(invert(create)), create);
  });

  test("a relabel inverts to the opposite relabel", () => {
    const relabel = {
      type: "relabel",
      uid: "a1",
      from: { label: "ACTOR", attributes: {} },
      to: { label: "QUOTE", attributes: { comment: "x" } },
      relations: [],
    };
    const inverse = invert(relabel);
    assert.deepEqual([inverse.from.label, inverse.to.label], ["QUOTE", "ACTOR"]);
    assert.deepEqual(invert(inverse), relabel);
  });

  test("an edit and its inverse share the links they remember", () => {
    const edit = { type: "delete", span: SPAN, relations: [] };
    invert(edit).relations.push({ type: "speaker", source: "q", target: "a1" });
    assert.equal(edit.relations.length, 1);
  });

  test("a batch inverts to its parts' inverses in reverse order, and back", () => {
    const other = { ...SPAN, uid: "a2", start: 20, end: 24, text: "Joly" };
    const batch = {
      type: "batch",
      what: "2 accepted suggestions",
      edits: [
        { type: "create", span: SPAN, relations: [] },
        { type: "create", span: other, relations: [] },
      ],
    };
    const inverse = invert(batch);
    assert.deepEqual(
      inverse.edits.map((edit) => [edit.type, edit.span.uid]),
      [
        ["delete", "a2"],
        ["delete", "a1"],
      ],
    );
    assert.equal(inverse.what, "2 accepted suggestions");
    assert.deepEqual(invert(inverse), batch);
    // Each part still shares the links it remembers with its inverse.
    inverse.edits[1].relations.push({ type: "speaker", source: "q", target: "a1" });
    assert.equal(batch.edits[0].relations.length, 1);
  });

  test("an unknown edit cannot be inverted", () => {
    assert.throws(() => invert({ type: "rename" }), /cannot invert/);
  });
});

describe("createHistory", () => {
  test("undo returns the inverse of the last edit, redo the edit itself", () => {
    const history = createHistory();
    const first = { type: "create", span: SPAN, relations: [] };
    const second = { type: "delete", span: SPAN, relations: [] };
    history.record(first);
    history.record(second);
    assert.equal(history.undo().type, "create"); // undoes the delete
    assert.equal(history.undo().type, "delete"); // undoes the create
    assert.equal(history.undo(), null);
    assert.equal(history.redo(), first);
    assert.equal(history.redo(), second);
    assert.equal(history.redo(), null);
  });

  test("a new edit forgets what could be redone", () => {
    const history = createHistory();
    history.record({ type: "create", span: SPAN, relations: [] });
    history.undo();
    assert.equal(history.canRedo, true);
    history.record({ type: "create", span: { ...SPAN, uid: "b2" }, relations: [] });
    assert.equal(history.canRedo, false);
    assert.equal(history.redo(), null);
  });

  test("keeps only the last `limit` edits", () => {
    const history = createHistory({ limit: 2 });
    for (const uid of ["a", "b", "c"]) {
      history.record({ type: "create", span: { ...SPAN, uid }, relations: [] });
    }
    assert.equal(history.undo().span.uid, "c");
    assert.equal(history.undo().span.uid, "b");
    assert.equal(history.undo(), null);
  });

  test("refuses an edit it could not undo, and a bad limit", () => {
    const history = createHistory();
    assert.throws(() => history.record({ type: "merge" }), /cannot invert/);
    assert.equal(history.canUndo, false);
    assert.throws(() => createHistory({ limit: 0 }), RangeError);
  });

  test("clear forgets everything", () => {
    const history = createHistory();
    history.record({ type: "create", span: SPAN, relations: [] });
    history.clear();
    assert.equal(history.canUndo, false);
    assert.equal(history.undo(), null);
  });
});
