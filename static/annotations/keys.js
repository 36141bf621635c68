// The annotation page's keyboard map, as data: which key runs which command.
//
// annotator.js runs the command `commandFor` names; templates/annotations/annotate.html
// lists the same keys in its help dialog. Pure module, no DOM: tested by `node --test`.

/** Keys without a modifier, outside fields: key -> command. */
export const KEY_COMMANDS = {
  "?": "help",
  "]": "next-span",
  "[": "previous-span",
  ">": "next-document",
  Delete: "delete",
  Backspace: "delete",
  Escape: "deselect",
  Enter: "edit-span",
  t: "focus-text",
  "/": "find",
  l: "link-speaker",
  // Reviewing suggestions (review.js).
  y: "accept-suggestion",
  n: "reject-suggestion",
  "*": "tag-occurrences",
};

/** Keys with Ctrl (or Cmd on a Mac): key -> command; Shift turns undo into redo. */
export const COMMAND_KEYS = {
  z: "undo",
  y: "redo",
  Enter: "toggle-done",
};

/**
 * Return what a keydown does: {command, label?, preventDefault}, or null for nothing.
 *
 * `where` says what the page knows of the event's target: `helpOpen` (the help dialog is
 * open), `inField` (an input, textarea or select), `onControl` (a button, link or
 * summary), `onText` (the document text), `canNudge` (a span is selected and no text is),
 * `reviewing` (suggestions are left to review);
 * `shortcuts` maps a label's key to its label.
 *
 * @param {{key: string, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean,
 *          shiftKey?: boolean, isComposing?: boolean, defaultPrevented?: boolean}} event
 * @param {{shortcuts: Map<string, string>, helpOpen?: boolean, inField?: boolean,
 *          onControl?: boolean, onText?: boolean, canNudge?: boolean,
 *          reviewing?: boolean}} where
 */
export function commandFor(
  event,
  { shortcuts, helpOpen, inField, onControl, onText, canNudge = false, reviewing },
) {
  if (event.defaultPrevented || event.isComposing) return null;
  if (helpOpen) {
    return event.key === "?" ? { command: "close-help", preventDefault: true } : null;
  }
  if (inField) {
    return event.key === "Escape" ? { command: "leave-field", preventDefault: false } : null;
  }
  if ((event.ctrlKey || event.metaKey) && !event.altKey) {
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    let command = COMMAND_KEYS[key];
    if (command === "undo" && event.shiftKey) command = "redo";
    return command ? { command, preventDefault: true } : null;
  }
  if (canNudge && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
    // With a span selected (and no text selection), Shift moves its end, Alt its start.
    if (event.shiftKey !== event.altKey) {
      const edge = event.altKey ? "start" : "end";
      const direction = event.key === "ArrowRight" ? 1 : -1;
      return { command: "nudge", edge, direction, preventDefault: true };
    }
  }
  if (event.altKey) {
    // Alt + a label's key keeps the exact characters selected (no snapping to words).
    // event.code, since Alt changes event.key on some keyboards (Alt+a is "å" on a Mac).
    const key = /^Key[A-Z]$/.test(event.code ?? "") ? event.code.slice(3).toLowerCase() : null;
    const label = key && shortcuts.get(key);
    return label ? { command: "label", label, exact: true, preventDefault: true } : null;
  }
  // Tab steps through suggestions; on a button or link it moves the focus, as it always does.
  if (event.key === "Tab") {
    if (!reviewing || onControl) return null;
    const command = event.shiftKey ? "previous-suggestion" : "next-suggestion";
    return { command, preventDefault: true };
  }
  if (onControl && (event.key === "Enter" || event.key === " ")) return null;
  const label =
    shortcuts.get(event.key) ??
    (event.shiftKey ? undefined : shortcuts.get(event.key.toLowerCase()));
  if (label) return { command: "label", label, preventDefault: true };
  const command = KEY_COMMANDS[event.key];
  if (command) return { command, preventDefault: true };
  // The text is read-only; keys that are not commands do nothing there.
  if (onText && event.key.length === 1) return { command: "ignore", preventDefault: true };
  return null;
}
