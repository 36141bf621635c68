// What the side panel shows of the document itself: its tags (and their editor), its extra
// metadata and its quality flags.
//
// Nothing runs on import: createDocPanel() is called by annotator.js once the page is there.

import { element } from "./dom.js";
import { shorten } from "./textmodel.js";

/**
 * Return the document panel of `store` (store.js), drawn into the page `doc`.
 *
 * `corpusTags` are the corpus's known tags (suggested while typing), `metadata` the
 * document's; `onFlag(mark)` runs when a quality flag is clicked.
 *
 * @param {{doc: Document, store: object, edits: object, corpusTags: string[],
 *          metadata: object, onFlag: (mark: object) => void}} options
 */
export function createDocPanel({ doc, store, edits, corpusTags, metadata, onFlag }) {
  const $ = (id) => doc.getElementById(id);

  function renderTags() {
    $("tag-list").replaceChildren(
      ...store.tags.map((tag) =>
        element("li", { class: "tag" }, [
          element("span", {}, tag),
          element(
            "button",
            {
              type: "button",
              class: "tag-remove",
              "data-tag": tag,
              "aria-label": `Remove tag ${tag}`,
            },
            "×",
          ),
        ]),
      ),
    );
  }

  /** Draw what does not change while the page is open: suggestions, metadata, flags. */
  function renderDocument() {
    $("tag-suggestions").replaceChildren(
      ...corpusTags.map((tag) => element("option", { value: tag })),
    );
    const extra = $("extra-metadata");
    for (const [key, value] of flattenMetadata(metadata ?? {})) {
      extra.append(element("dt", {}, key), element("dd", { class: "break" }, value));
    }
    $("more-metadata").hidden = extra.childElementCount === 0;
    $("flag-list")?.replaceChildren(...store.flags.map(flagItem));
  }

  function flagItem(flag, id) {
    const mark = store.marks[id];
    return element("li", {}, [
      element("button", { type: "button", class: "flag-item", "data-flag": String(id) }, [
        element("span", { class: "flag-kind" }, flag.kind),
        element(
          "span",
          { class: "flag-text" },
          `“${shorten(store.text.slice(mark.start, mark.end), 60)}”`,
        ),
        flag.suggestion
          ? element("span", { class: "flag-suggestion" }, `likely “${flag.suggestion}”`)
          : "",
        flag.note ? element("span", { class: "flag-note" }, flag.note) : "",
      ]),
    ]);
  }

  $("tag-input").addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== ",") return;
    event.preventDefault();
    const name = event.target.value.trim();
    event.target.value = "";
    if (!name || store.tags.some((tag) => tag.toLowerCase() === name.toLowerCase())) return;
    edits.saveTags([...store.tags, name]);
  });
  $("tag-list").addEventListener("click", (event) => {
    const button = event.target.closest(".tag-remove");
    if (button) edits.saveTags(store.tags.filter((tag) => tag !== button.dataset.tag));
  });
  $("flag-list")?.addEventListener("click", (event) => {
    const button = event.target.closest(".flag-item");
    if (button) onFlag(store.marks[Number(button.dataset.flag)]);
  });

  return { renderTags, renderDocument };
}

/** Return [name, text] pairs of a metadata object, nested objects one level deep. */
function flattenMetadata(metadata) {
  const pairs = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [inner, innerValue] of Object.entries(value)) {
        pairs.push([
          `${key} › ${inner}`,
          typeof innerValue === "string" ? innerValue : JSON.stringify(innerValue),
        ]);
      }
    } else {
      pairs.push([key, typeof value === "string" ? value : JSON.stringify(value)]);
    }
  }
  return pairs;
}
