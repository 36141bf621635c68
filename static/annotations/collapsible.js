// A toolbar that folds behind a menu button on a phone (the annotation page's toolbar, the
// review page's views and links): the button says whether it is open (aria-expanded), opens
// and closes it, and Esc closes it, giving the focus back to the button.
//
// Which controls fold, and at which width, is the pages' CSS (`.is-open` on `root`): on a
// wide screen the button is not shown and everything is. Nothing runs on import.

/**
 * Make `button` open and close `root`'s folded controls; return {open(), close(), isOpen()}.
 *
 * @param {{button: HTMLElement, root: HTMLElement}} options
 */
export function createCollapsible({ button, root }) {
  const view = root.ownerDocument.defaultView;

  function set(open) {
    root.classList.toggle("is-open", open);
    button.setAttribute("aria-expanded", String(open));
  }

  const isOpen = () => root.classList.contains("is-open");

  set(false);
  // Keep a text selection in the page when the button is pressed, as the label buttons do.
  button.addEventListener("mousedown", (event) => event.preventDefault());
  button.addEventListener("click", () => set(!isOpen()));
  // Before the page's own keys: Esc folds the menu, and does nothing else this time.
  view.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Escape" || !isOpen()) return;
      event.preventDefault();
      event.stopPropagation();
      set(false);
      button.focus();
    },
    { capture: true },
  );

  return { open: () => set(true), close: () => set(false), isOpen };
}
