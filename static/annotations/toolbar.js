// The annotation page's toolbar and message line: the label buttons, the save state (with
// Retry and Discard after a failed save), the document's status badge and its buttons, and
// short messages to the analyst.
//
// Nothing runs on import: createToolbar() is called by annotator.js once the page is there.

/**
 * Return the toolbar of the page `doc`; `store` (store.js) gives the labels and the status.
 *
 * `actions` is {label(key, {exact}), toggleDone(), help(), retry(), discard()}, run by its
 * buttons.
 *
 * @param {{doc: Document, store: object, actions: object}} options
 */
export function createToolbar({ doc, store, actions }) {
  const $ = (id) => doc.getElementById(id);
  const messageBox = $("message");
  const messageText = $("message-text");
  let messageTimer = null;
  // What the message on show is about, so that it goes once that is fixed (see clearMessage).
  let messageTopic = null;
  $("message-close").addEventListener("click", () => hideMessage());

  for (const button of doc.querySelectorAll(".label-button")) {
    const label = store.labels.get(button.dataset.label);
    button.querySelector(".swatch").style.background = label.colour;
    button.style.setProperty("--label-colour", label.colour);
    // Keep the text selection when the button is pressed.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    // Alt on the button keeps the exact characters selected, as Alt + the label's key does.
    button.addEventListener("click", (event) => actions.label(label.key, { exact: event.altKey }));
  }
  $("done-button").addEventListener("click", () => actions.toggleDone());
  $("help-button").addEventListener("click", () => actions.help());
  $("retry-button").addEventListener("click", () => actions.retry());
  $("discard-button").addEventListener("click", () => actions.discard());

  function hideMessage() {
    clearTimeout(messageTimer);
    messageBox.hidden = true;
    messageTopic = null;
  }

  /**
   * Show `text` until it is closed or it expires: an error lasts longer than news. A `sticky`
   * message stands for a state that is still there (a failed save) and goes only with it.
   * `topic` names what the message is about, for clearMessage.
   */
  function message(text, kind = "info", { topic = null, sticky = false } = {}) {
    messageText.textContent = text;
    messageBox.dataset.kind = kind;
    messageBox.hidden = false;
    messageTopic = topic;
    clearTimeout(messageTimer);
    if (!sticky) messageTimer = setTimeout(hideMessage, kind === "error" ? 15000 : 6000);
  }

  /** Hide the message on show if it is about `topic`: what it reported is fixed. */
  function clearMessage(topic) {
    if (!messageBox.hidden && messageTopic === topic) hideMessage();
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
        { topic: "save", sticky: true },
      );
    } else if (!state.failure) clearMessage("save");
  }

  function renderStatus() {
    const status = store.status;
    const badge = $("status-badge");
    badge.className = `status status-${status}`;
    badge.textContent = { new: "New", in_progress: "In progress", done: "Done" }[status] ?? status;
    $("done-button").textContent = status === "done" ? "Reopen" : "Mark done";
    $("next-link").classList.toggle("button-primary", status === "done");
  }

  return { message, clearMessage, showSaveState, renderStatus };
}
