// The side panel's list of spans, grouped by label: builds it, keeps it in step with the
// store's spans, marks the selected one and scrolls to it. Within a label, spans of
// identical text share one row, "×40", that opens onto their places (textgroups.js).
//
// Nothing runs on import: createPanel() is called by annotator.js with the page's elements.

import { element, swatch } from "./dom.js";
import { createParagraphIndex, groupByText, occurrencePlace } from "./textgroups.js";
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
  /** uid -> the list item holding the span's button. */
  const items = new Map();
  /** uid -> {group, row}: the row of identical texts that draws the span, once drawn. */
  const rowOf = new Map();
  let paragraphOf = null;

  function build() {
    const fragment = root.ownerDocument.createDocumentFragment();
    groups.clear();
    items.clear();
    rowOf.clear();
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
      const group = { members, list, count, details, built: false, rows: new Map() };
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
    group.rows.clear();
    for (const row of groupByText(group.members)) {
      group.rows.set(row.text, row);
      fragment.append(renderRow(group, row));
    }
    group.list.replaceChildren(fragment);
    group.built = true;
    markCurrent(store.selectedUid);
  }

  /**
   * Return the list item of `row` ({text, spans}): the span's own item when it is alone,
   * else one row with the count that opens onto each span's place.
   */
  function renderRow(group, row) {
    for (const span of row.spans) rowOf.set(span.uid, { group, row });
    if (row.spans.length === 1) {
      row.details = null;
      row.li = item(row.spans[0]);
      return row.li;
    }
    const wasOpen = row.details?.open ?? false;
    const times = row.spans.length;
    row.details = element("details", { class: "text-group" }, [
      element("summary", { class: "text-group-head" }, [
        element("span", { class: "span-text" }, shorten(row.text, 140)),
        element("span", { class: "text-count", title: `Tagged ${times} times` }, `×${times}`),
      ]),
      element("ol", { class: "occurrences" }, row.spans.map(occurrence)),
    ]);
    row.details.open = wasOpen;
    row.li = element("li", { class: "text-group-row" }, [row.details]);
    return row.li;
  }

  /** Draw `row` again in place (its spans or their count changed). */
  function redrawRow(group, row) {
    const old = row.li;
    const li = renderRow(group, row);
    if (old !== li) old?.replaceWith(li);
    if (row.spans.some((span) => span.uid === store.selectedUid)) markCurrent(store.selectedUid);
  }

  /** Put `row`'s item where its first span comes in reading order among the other rows. */
  function placeRow(group, row) {
    const first = row.spans[0];
    let next = null;
    for (const other of group.rows.values()) {
      if (other === row || compareSpans(other.spans[0], first) < 0) continue;
      if (!next || compareSpans(other.spans[0], next.spans[0]) < 0) next = other;
    }
    const before = next?.li ?? null;
    if (row.li.parentNode !== group.list || row.li.nextSibling !== before) {
      group.list.insertBefore(row.li, before);
    }
  }

  function occurrence(span) {
    const button = element(
      "button",
      { type: "button", class: "span-item occurrence", "data-uid": span.uid },
      occurrenceContent(span),
    );
    const li = element("li", {}, [button]);
    items.set(span.uid, li);
    return li;
  }

  function occurrenceContent(span) {
    paragraphOf ??= createParagraphIndex(store.text);
    const place = occurrencePlace(store.text, paragraphOf, span);
    const parts = [
      element("span", { class: "occurrence-place" }, [
        element("span", { class: "occurrence-where" }, place.where),
        ` ${place.before}`,
        element("b", {}, place.words),
        place.after,
      ]),
    ];
    const note = itemNote(span);
    if (note) parts.push(element("span", { class: "span-note" }, note));
    return parts;
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
    if (!span || !button) return;
    const content = button.classList.contains("occurrence")
      ? occurrenceContent(span)
      : itemContent(span);
    button.replaceChildren(...content);
  }

  function add(span) {
    const group = groups.get(span.label);
    if (!group) return;
    const at = insertionIndex(group.members, span, compareSpans);
    group.members.splice(at, 0, span);
    if (group.built) {
      let row = group.rows.get(span.text);
      if (row) {
        row.spans.splice(insertionIndex(row.spans, span, compareSpans), 0, span);
        redrawRow(group, row);
      } else {
        row = { text: span.text, spans: [span] };
        group.rows.set(row.text, row);
        renderRow(group, row);
      }
      placeRow(group, row);
    }
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
    // Found by uid, not by text: a moved span has its new text already.
    const drawn = rowOf.get(span.uid);
    rowOf.delete(span.uid);
    if (drawn) {
      const { row } = drawn;
      row.spans.splice(row.spans.indexOf(span), 1);
      if (row.spans.length === 0) {
        row.li.remove();
        drawn.group.rows.delete(row.text);
      } else {
        redrawRow(drawn.group, row);
        placeRow(drawn.group, row);
      }
    }
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
    const current = uid === store.selectedUid;
    items.get(uid)?.querySelector("button")?.setAttribute("aria-current", String(current));
    rowOf.get(uid)?.row.details?.classList.toggle("has-current", current);
  }

  /** Scroll the side panel, and only it, so that the item of `uid` shows. */
  function reveal(uid) {
    const li = items.get(uid);
    // A span among identical ones shows once its row is open.
    const row = rowOf.get(uid)?.row;
    if (row?.details && !row.details.open) row.details.open = true;
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
