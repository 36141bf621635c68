// The review bar in the annotation page's side panel: how many suggestions are left per
// label (with "Accept all"), the current one (label, text, suggester, score, attributes,
// suggested speaker) with Accept / Reject / Previous / Next, and the batch offered last
// (the occurrences `*` proposed) with "Accept these". A live region that stays tells
// screen readers which suggestion is current.
//
// Nothing runs on import: createReviewBar() is called by review.js.

import { element, swatch } from "./dom.js";
import { shorten } from "./textmodel.js";

/**
 * Return the bar drawn into `bar` from `suggestions` (suggestions.js).
 *
 * `actions` is {accept(), reject(), step(direction), setCurrent(id), acceptLabel(key),
 * acceptBatch(), dropBatch(), reload()}, run by its buttons.
 *
 * @param {{bar: HTMLElement, store: object, suggestions: object, enabled: boolean,
 *          actions: object}} options
 */
export function createReviewBar({ bar, store, suggestions, enabled, actions }) {
  const doc = bar.ownerDocument;
  // The content is drawn again on each change; the announcer stays, as a live region must
  // for screen readers to hear its changes.
  const content = element("div", { class: "review-content" });
  const announcer = element("p", { class: "visually-hidden", "aria-live": "polite" });
  bar.replaceChildren(content, announcer);
  let state = "loading";
  let loadError = "";

  const labelName = (key) => store.labelOf({ label: key }).name;

  /** Say the suggestions are "loading", "ready" or in "error" (with the reason). */
  function setState(next, error = "") {
    state = next;
    loadError = error;
    bar.dataset.state = next;
    render();
  }

  /** Draw the bar again, from the list as it is now. */
  function render() {
    if (!enabled) {
      bar.hidden = true;
      return;
    }
    const focused = bar.contains(doc.activeElement) ? doc.activeElement.dataset.key : null;
    const open = suggestions.open();
    const parts = [
      element("h2", {}, [
        "Suggestions ",
        element("span", { class: "count", id: "suggestion-total" }, String(open.length)),
      ]),
      element("p", { class: "legend small muted" }, [
        element("span", { class: "legend-suggested", "aria-hidden": "true" }),
        " suggested, not yours until accepted · ",
        element("span", { class: "legend-own", "aria-hidden": "true" }),
        " your spans",
      ]),
    ];
    if (state === "loading") parts.push(element("p", { class: "small muted" }, "Loading…"));
    else if (state === "error") {
      parts.push(
        element("p", { class: "small error-text" }, `Could not load suggestions: ${loadError}`),
        button("Try again", { action: "reload" }),
      );
    } else {
      parts.push(currentPart(open.length));
      const batch = suggestions.batch();
      if (batch) parts.push(batchPart(batch));
      parts.push(labelsPart());
    }
    content.replaceChildren(...parts);
    bar.hidden = false;
    if (focused) bar.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
    announce(state === "ready" ? suggestions.current() : null, open.length);
  }

  /** Tell screen readers which suggestion is current, once each time it changes. */
  function announce(current, openCount) {
    const said = current
      ? `Suggested ${store.labelOf(current).name}: ${shorten(current.text, 80)}`
      : state === "ready" && openCount === 0
        ? "No suggestion is left to review."
        : "";
    if (announcer.textContent !== said) announcer.textContent = said;
  }

  function button(text, { action, label = "", kbd = "", primary = false, title = "" }) {
    const attributes = {
      type: "button",
      class: `button button-small${primary ? " button-primary" : ""}`,
      "data-action": action,
      "data-key": `${action} ${label}`,
    };
    if (label) attributes["data-label"] = label;
    if (title) attributes.title = title;
    return element("button", attributes, [text, kbd ? element("kbd", {}, kbd) : ""]);
  }

  function currentPart(openCount) {
    const current = suggestions.current();
    const box = element("div", { class: "review-current" });
    if (!current) {
      box.append(
        element(
          "p",
          { class: "small muted" },
          openCount > 0
            ? "Press Tab (or Next) to review them one by one."
            : "No suggestion is left to review.",
        ),
      );
      if (openCount > 0) box.append(element("div", { class: "review-actions" }, navButtons()));
      return box;
    }
    const label = store.labelOf(current);
    const details = [`by ${current.suggester || "a suggester"}`];
    if (current.score !== null) details.push(`score ${current.score.toFixed(2)}`);
    const attributes = Object.entries(current.attributes)
      .filter(([, value]) => value !== null && value !== "")
      .map(([name, value]) => `${name}: ${value}`);
    const speaker = suggestions.speakerOf(current.id);
    box.append(
      element("p", { class: "review-label" }, [
        swatch(label),
        element("strong", { id: "suggestion-label" }, label.name),
        element("span", { class: "small muted" }, ` ${details.join(" · ")}`),
      ]),
      element(
        "blockquote",
        { class: "covered", id: "suggestion-text" },
        shorten(current.text, 200),
      ),
    );
    if (attributes.length > 0)
      box.append(element("p", { class: "small" }, attributes.join(" · ")));
    if (speaker)
      box.append(
        element("p", { class: "small" }, [
          "Suggested speaker: ",
          element(
            "button",
            {
              type: "button",
              class: "link-button",
              "data-action": "go",
              "data-id": String(speaker.id),
              "data-key": `go ${speaker.id}`,
            },
            shorten(speaker.text, 50),
          ),
          " (accept it too, to link it)",
        ]),
      );
    box.append(
      element("div", { class: "review-actions" }, [
        button("Accept ", { action: "accept", kbd: "y", primary: true }),
        button("Reject ", { action: "reject", kbd: "n" }),
        ...navButtons(),
      ]),
    );
    return box;
  }

  function navButtons() {
    return [
      button("Previous", { action: "previous", title: "Previous suggestion (Shift+Tab)" }),
      button("Next", { action: "next", title: "Next suggestion (Tab)" }),
    ];
  }

  function batchPart(batch) {
    const count = batch.suggestions.length;
    return element("div", { class: "review-batch" }, [
      element("p", { class: "small" }, [
        batch.title,
        " ",
        element("span", { class: "count" }, String(count)),
      ]),
      button(`Accept these ${count}`, { action: "accept-batch", primary: true }),
      button("Dismiss", { action: "drop-batch", title: "Keep them as suggestions" }),
    ]);
  }

  function labelsPart() {
    return element(
      "ul",
      { class: "review-labels", "aria-label": "Suggestions left, per label" },
      suggestions.counts().map(({ label, count }) => {
        const name = labelName(label);
        return element("li", { "data-label": label }, [
          swatch(store.labelOf({ label })),
          element("span", { class: "group-name" }, name),
          element("span", { class: "count" }, String(count)),
          button(`Accept all ${name}`, {
            action: "accept-label",
            label,
            title: `Accept every suggested ${name} (${count})`,
          }),
        ]);
      }),
    );
  }

  bar.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-action]");
    if (!target) return;
    const action = target.dataset.action;
    if (action === "accept") actions.accept();
    else if (action === "reject") actions.reject();
    else if (action === "next") actions.step(1);
    else if (action === "previous") actions.step(-1);
    else if (action === "accept-label") actions.acceptLabel(target.dataset.label);
    else if (action === "accept-batch") actions.acceptBatch();
    else if (action === "drop-batch") actions.dropBatch();
    else if (action === "go") actions.setCurrent(findId(target.dataset.id));
    else if (action === "reload") actions.reload();
  });

  /** Return the suggestion id that `text` (a data attribute) names: ids may be numbers. */
  function findId(text) {
    const number = Number(text);
    return suggestions.get(number) ? number : text;
  }

  return { render, setState };
}
