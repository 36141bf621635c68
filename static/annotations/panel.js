// The side panel's list of spans, grouped by label: builds it, keeps it in step with the
// store's spans, marks the selected one and scrolls to it.
//
// Nothing runs on import: createPanel() is called by annotator.js with the page's elements.

import { element, swatch } from "./dom.js";
import { compareSpans, insertionIndex, shorten } from "./textmodel.js";

// A long document's groups start closed and get their items when first opened, so that
// thousands of spans cost nothing until someone looks at them.
const OPEN_GROUPS_UP_TO = 400;

/**
 * Return the span list of `store` (store.js); `onPick(uid)` runs when an item is clicked.
 *
 * @param {{root: HTMLElement, body: HTMLElement, total: HTMLElement, hint: HTMLElement,
 *          store: object, onPick: (uid: string) => void}} options
 */
export function createPanel({ root, body, total, hint, store, onPick }) {
  const { spans } = store;
  const groups = new Map();
  const items = new Map();

  function build() {
    const fragment = root.ownerDocument.createDocumentFragment();
    groups.clear();
    items.clear();
    for (const label of store.labels.values()) {
      const members = store.order.filter((span) => span.label === label.key);
      const list = element("ol", { class: "span-list" });
      const count = element("span", { class: "count" }, String(members.length));
      const details = element("details", { class: "span-group", "data-label": label.key }, [
        element("summary", {}, [
          swatch(label),
          element("span", { class: "group-name" }, label.name),
          count,
        ]),
        list,
      ]);
      const group = { members, list, count, details, built: false };
      details.addEventListener("toggle", () => {
        if (details.open && !group.built) buildGroup(group);
      });
      details.open = spans.size <= OPEN_GROUPS_UP_TO;
      if (details.open) buildGroup(group);
      groups.set(label.key, group);
      fragment.append(details);
    }
    root.replaceChildren(fragment);
    showTotal();
  }

  function buildGroup(group) {
    const fragment = root.ownerDocument.createDocumentFragment();
    for (const span of group.members) fragment.append(item(span));
    group.list.replaceChildren(fragment);
    group.built = true;
    markCurrent(store.selectedUid);
  }

  function item(span) {
    const button = element(
      "button",
      { type: "button", class: "span-item", "data-uid": span.uid },
      itemContent(span),
    );
    const li = element("li", {}, [button]);
    items.set(span.uid, li);
    return li;
  }

  function itemContent(span) {
    const parts = [element("span", { class: "span-text" }, shorten(span.text, 140))];
    const note = itemNote(span);
    if (note) parts.push(element("span", { class: "span-note" }, note));
    return parts;
  }

  function itemNote(span) {
    const speaker = store.speakerOf(span.uid);
    const notes = [];
    if (speaker && spans.has(speaker.target))
      notes.push(`said by ${shorten(spans.get(speaker.target).text, 40)}`);
    for (const [name, value] of Object.entries(span.attributes)) {
      if (value === null || value === "") continue;
      notes.push(`${name}: ${typeof value === "number" ? value.toLocaleString("en") : value}`);
    }
    return notes.join(" · ");
  }

  function showTotal() {
    total.textContent = String(spans.size);
    hint.hidden = spans.size > 0;
  }

  /** Draw again the item of span `uid` (its text, speaker and attributes). */
  function refresh(uid) {
    const span = spans.get(uid);
    const button = items.get(uid)?.querySelector("button");
    if (span && button) button.replaceChildren(...itemContent(span));
  }

  function add(span) {
    const group = groups.get(span.label);
    if (!group) return;
    const at = insertionIndex(group.members, span, compareSpans);
    group.members.splice(at, 0, span);
    if (group.built) group.list.insertBefore(item(span), group.list.children[at] ?? null);
    group.count.textContent = String(group.members.length);
    showTotal();
  }

  function remove(span, label = span.label) {
    const group = groups.get(label);
    const at = group ? group.members.indexOf(span) : -1;
    if (at !== -1) {
      group.members.splice(at, 1);
      group.count.textContent = String(group.members.length);
    }
    items.get(span.uid)?.remove();
    items.delete(span.uid);
    showTotal();
  }

  /** Move `span`'s item from the group of `oldLabel` to that of its label. */
  function move(span, oldLabel) {
    if (oldLabel === span.label) return;
    remove(span, oldLabel);
    add(span);
    if (span.uid === store.selectedUid) markCurrent(span.uid);
  }

  /** Mark the item of `uid` as the selected one (or not, if another is selected). */
  function markCurrent(uid) {
    items
      .get(uid)
      ?.querySelector("button")
      ?.setAttribute("aria-current", String(uid === store.selectedUid));
  }

  /** Scroll the side panel, and only it, so that the item of `uid` shows. */
  function reveal(uid) {
    const li = items.get(uid);
    if (!li || body.scrollHeight <= body.clientHeight) return;
    const top = li.getBoundingClientRect().top - body.getBoundingClientRect().top + body.scrollTop;
    const bottom = top + li.offsetHeight;
    if (top < body.scrollTop) body.scrollTop = top - 40;
    else if (bottom > body.scrollTop + body.clientHeight)
      body.scrollTop = bottom - body.clientHeight + 12;
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest(".span-item");
    if (button) onPick(button.dataset.uid);
  });

  return { build, refresh, add, remove, move, markCurrent, reveal };
}
