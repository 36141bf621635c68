// Unit tests for static/annotations/keys.js.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { commandFor } from "../../static/annotations/keys.js";

const shortcuts = new Map([
  ["a", "ACTOR"],
  ["Q", "QUOTE"],
]);
const run = (event, where = {}) => commandFor(event, { shortcuts, ...where })?.command ?? null;

describe("commandFor", () => {
  test("label shortcuts match case-insensitively unless Shift makes the difference", () => {
    assert.deepEqual(commandFor({ key: "a" }, { shortcuts }), {
      command: "label",
      label: "ACTOR",
      preventDefault: true,
    });
    assert.equal(commandFor({ key: "A" }, { shortcuts }).label, "ACTOR");
    assert.equal(commandFor({ key: "Q", shiftKey: true }, { shortcuts }).label, "QUOTE");
    assert.equal(run({ key: "A", shiftKey: true }), null);
  });

  test("page keys map to their commands", () => {
    assert.deepEqual(
      ["]", "[", "?", ">", "Delete", "Backspace", "Escape", "Enter", "t", "/"].map((key) =>
        run({ key }),
      ),
      [
        "next-span",
        "previous-span",
        "help",
        "next-document",
        "delete",
        "delete",
        "deselect",
        "edit-span",
        "focus-text",
        "find",
      ],
    );
  });

  test("Ctrl or Cmd undoes, redoes and toggles done", () => {
    assert.equal(run({ key: "z", ctrlKey: true }), "undo");
    assert.equal(run({ key: "Z", ctrlKey: true, shiftKey: true }), "redo");
    assert.equal(run({ key: "y", metaKey: true }), "redo");
    assert.equal(run({ key: "Enter", ctrlKey: true }), "toggle-done");
    assert.equal(run({ key: "a", ctrlKey: true }), null);
    assert.equal(run({ key: "z", ctrlKey: true, altKey: true }), null);
    assert.equal(run({ key: "a", altKey: true }), null); // no event.code: no label
  });

  test("Alt + a label's key labels the exact selection, read from the physical key", () => {
    assert.deepEqual(commandFor({ key: "å", code: "KeyA", altKey: true }, { shortcuts }), {
      command: "label",
      label: "ACTOR",
      exact: true,
      preventDefault: true,
    });
    assert.equal(run({ key: "x", code: "KeyX", altKey: true }), null);
  });

  test("with a span selected, Shift+arrows move its end and Alt+arrows its start", () => {
    const nudge = (event) => commandFor(event, { shortcuts, canNudge: true });
    assert.deepEqual(nudge({ key: "ArrowRight", shiftKey: true }), {
      command: "nudge",
      edge: "end",
      direction: 1,
      preventDefault: true,
    });
    const start = nudge({ key: "ArrowLeft", altKey: true });
    assert.deepEqual([start.edge, start.direction], ["start", -1]);
    // Without a selected span, Shift+arrows select text as usual.
    assert.equal(run({ key: "ArrowRight", shiftKey: true }), null);
    assert.equal(nudge({ key: "ArrowRight", shiftKey: true, altKey: true }), null);
  });

  test("in a field only Escape counts, and it leaves the key to the field", () => {
    assert.equal(run({ key: "a" }, { inField: true }), null);
    assert.equal(run({ key: "z", ctrlKey: true }, { inField: true }), null);
    assert.deepEqual(commandFor({ key: "Escape" }, { shortcuts, inField: true }), {
      command: "leave-field",
      preventDefault: false,
    });
  });

  test("with the help open only ? counts, and closes it", () => {
    assert.equal(run({ key: "?" }, { helpOpen: true }), "close-help");
    assert.equal(run({ key: "a" }, { helpOpen: true }), null);
  });

  test("Enter and space on a button are the button's; other keys in the text do nothing", () => {
    assert.equal(run({ key: "Enter" }, { onControl: true }), null);
    assert.equal(run({ key: " " }, { onControl: true }), null);
    assert.equal(run({ key: "x" }, { onText: true }), "ignore");
    assert.equal(run({ key: "x" }), null);
    assert.equal(run({ key: "ArrowLeft" }, { onText: true }), null);
  });

  test("y, n and * review suggestions, unless a label has the key", () => {
    assert.deepEqual(
      ["y", "n", "*"].map((key) => run({ key })),
      ["accept-suggestion", "reject-suggestion", "tag-occurrences"],
    );
    assert.equal(run({ key: "*", shiftKey: true }), "tag-occurrences");
    assert.equal(run({ key: "y" }, { onText: true }), "accept-suggestion");
    assert.equal(run({ key: "y" }, { inField: true }), null);
    const own = new Map([["y", "ACTOR"]]);
    assert.equal(commandFor({ key: "y" }, { shortcuts: own }).command, "label");
  });

  test("Tab steps through suggestions only while some are left, and not on a control", () => {
    assert.deepEqual(commandFor({ key: "Tab" }, { shortcuts, reviewing: true }), {
      command: "next-suggestion",
      preventDefault: true,
    });
    assert.equal(run({ key: "Tab", shiftKey: true }, { reviewing: true }), "previous-suggestion");
    assert.equal(run({ key: "Tab" }, { reviewing: true, onText: true }), "next-suggestion");
    assert.equal(run({ key: "Tab" }), null);
    assert.equal(run({ key: "Tab" }, { reviewing: true, onControl: true }), null);
    assert.equal(run({ key: "Tab" }, { reviewing: true, inField: true }), null);
    assert.equal(run({ key: "Tab", ctrlKey: true }, { reviewing: true }), null);
    assert.equal(run({ key: "Tab" }, { reviewing: true, helpOpen: true }), null);
  });

  test("events already handled or composing are left alone", () => {
    assert.equal(run({ key: "a", defaultPrevented: true }), null);
    assert.equal(run({ key: "a", isComposing: true }), null);
  });
});
