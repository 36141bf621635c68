// The annotation page's toolbar and message line: the label buttons, the save state (with
// Retry and Discard after a failed save), the document's status badge and its buttons, and
// short messages to the analyst.
//
// Nothing runs on import: createToolbar() is called by annotator.js once the page is there.

/**
 * Return the toolbar of the page `doc`; `store` (store.js) gives the labels and the status.
 *
 * `actions` is {label(key), toggleDone(), help(), retry(), discard()}, run by its buttons.
 *
 * @param {{doc: Document, store: object, actions: object}} options
 */
export function createToolbar({ doc, store, actions }) {
  const $ = (id) => doc.getElementById(id);
  const messageBox = $("message");
  let messageTimer = null;

  for (const button of doc.querySelectorAll(".label-button")) {
    const label = store.labels.get(button.dataset.label);
    button.querySelector(".swatch").style.background = label.colour;
    button.style.setProperty("--label-colour", label.colour);
    // Keep the text selection when the button is pressed.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => actions.label(label.key));
  }
  $("done-button").addEventListener("click", () => actions.toggleDone());
  $("help-button").addEventListener("click", () => actions.help());
  $("retry-button").addEventListener("click", () => actions.retry());
  $("discard-button").addEventListener("click", () => actions.discard());

  /** Show `message`; one that is not an error goes away after a few seconds. */
  function message(text, kind = "info") {
    messageBox.textContent = text;
    messageBox.dataset.kind = kind;
    messageBox.hidden = false;
    clearTimeout(messageTimer);
    if (kind !== "error") messageTimer = setTimeout(() => (messageBox.hidden = true), 6000);
  }

  /** Show the save queue's `state` (savequeue.js). */
  function showSaveState(state) {
    const element = $("save-state");
    if (state.failure) {
      element.dataset.state = "unsaved";
      element.textContent = `${state.pending} unsaved change${state.pending === 1 ? "" : "s"}`;
    } else {
      element.dataset.state = state.pending > 0 ? "saving" : "saved";
      element.textContent = state.pending > 0 ? "Saving…" : "All changes saved";
    }
    $("retry-button").hidden = !state.failure;
    $("discard-button").hidden = !state.failure;
    if (state.failure && !state.saving) {
      const { operation, error } = state.failure;
      message(
        `Could not save (${operation.what ?? "change"}): ${error.message} ` +
          "Your change is kept here, unsaved: retry, or discard what is unsaved.",
        "error",
      );
    }
  }

  function renderStatus() {
    const status = store.status;
    const badge = $("status-badge");
    badge.className = `status status-${status}`;
    badge.textContent = { new: "New", in_progress: "In progress", done: "Done" }[status] ?? status;
    $("done-button").textContent = status === "done" ? "Reopen" : "Mark done";
    $("next-link").classList.toggle("button-primary", status === "done");
  }

  return { message, showSaveState, renderStatus };
}
