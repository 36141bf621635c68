// Undo and redo of the analyst's own edits on the annotation page.
//
// An edit is plain data:
//   {type: "create", span, relations}  - span: {uid, label, start, end, text, attributes}
//   {type: "delete", span, relations}
//   {type: "relabel", uid, from: {label, attributes}, to: {label, attributes}, relations}
//   {type: "attributes", uid, from: {...attributes}, to: {...attributes}}
//   {type: "speaker", quote, from: speakerUid | null, to: speakerUid | null}
//   {type: "move", uid, from: {start, end, text}, to: {start, end, text}} (code points)
//   {type: "batch", what, edits} - edits made together (the spans of one accept request),
//     undone and redone as one step; `what` says what they were ("3 accepted suggestions")
// `relations` ({type, source, target} by span uid) are the links the span had or lost;
// the page restores those still allowed after applying an edit, and adds the links an edit
// removes to the same array, which an edit and its inverse share.
//
// Pure functions, no DOM: tested by `node --test tests/js/`.

/**
 * Return the edit that reverts `edit`.
 *
 * @param {object} edit
 * @returns {object}
 */
export function invert(edit) {
  switch (edit.type) {
    case "create":
      return { ...edit, type: "delete" };
    case "delete":
      return { ...edit, type: "create" };
    case "batch":
      return { ...edit, edits: edit.edits.map(invert).reverse() };
    case "relabel":
    case "attributes":
    case "speaker":
    case "move":
      return { ...edit, from: edit.to, to: edit.from };
    default:
      throw new Error(`cannot invert an edit of type ${JSON.stringify(edit.type)}`);
  }
}

/**
 * Return an undo/redo history holding at most `limit` edits.
 *
 * `undo()` returns the edit to apply to revert the last recorded one (or null), `redo()`
 * the edit to apply again (or null). Recording a new edit forgets what could be redone.
 *
 * @param {{limit?: number}} [options]
 */
export function createHistory({ limit = 500 } = {}) {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, not ${limit}`);
  }
  const done = [];
  const undone = [];
  return {
    /** Remember `edit`, just applied by the analyst. */
    record(edit) {
      invert(edit); // Refuse what could not be undone, now rather than later.
      done.push(edit);
      if (done.length > limit) done.shift();
      undone.length = 0;
    },
    /** Return the edit that undoes the last one, or null when there is none. */
    undo() {
      const edit = done.pop();
      if (edit === undefined) return null;
      undone.push(edit);
      return invert(edit);
    },
    /** Return the last undone edit, to apply again, or null when there is none. */
    redo() {
      const edit = undone.pop();
      if (edit === undefined) return null;
      done.push(edit);
      return edit;
    },
    get canUndo() {
      return done.length > 0;
    },
    get canRedo() {
      return undone.length > 0;
    },
    /** Forget everything (after the page reloads its state from the server). */
    clear() {
      done.length = 0;
      undone.length = 0;
    },
  };
}
