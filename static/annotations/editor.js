// The side panel's editor of the selected span: its label, attributes, speaker and the
// quotes it speaks; reads the analyst's changes and hands them to edits.js.
//
// Nothing runs on import: createEditor() is called by annotator.js with the page's elements.

import { element, swatch } from "./dom.js";
import { shorten } from "./textmodel.js";
import { spanContext, speakerCandidates } from "./linking.js";
import { fieldCaption, USUAL_UNITS } from "./words.js";

/**
 * Return the editor of the selected span, drawn into `root`.
 *
 * `actions` is {select(uid, options), deleteSelected(), message(text, kind, options),
 * clearMessage(topic), link(), linkTo(uid)}.
 *
 * @param {{root: HTMLElement, store: object, edits: object, actions: object}} options
 */
export function createEditor({ root, store, edits, actions }) {
  const doc = root.ownerDocument;

  // Replacing a focused field makes the browser fire its "change": while the editor is
  // redrawn (e.g. with another analyst's version after a 409), that is not the analyst's edit.
  let redrawing = false;

  function render() {
    redrawing = true;
    try {
      draw();
    } finally {
      redrawing = false;
    }
  }

  function draw() {
    const span = store.spans.get(store.selectedUid);
    const focused = root.contains(doc.activeElement) ? doc.activeElement.id : "";
    if (!span) {
      root.hidden = true;
      root.replaceChildren();
      return;
    }
    const label = store.labelOf(span);
    const parts = [
      element("div", { class: "editor-head" }, [
        swatch(label),
        element("h2", {}, label.name),
        element(
          "button",
          {
            type: "button",
            class: "close",
            "aria-label": "Close (Esc)",
            "data-action": "deselect",
          },
          "×",
        ),
      ]),
      element("blockquote", { class: "covered" }, span.text),
      element(
        "p",
        { class: "small muted" },
        `Characters ${span.start}–${span.end}${span.annotator ? ` · by ${span.annotator}` : ""}`,
      ),
      element(
        "div",
        { class: "relabel", role: "group", "aria-label": "Label" },
        [...store.labels.values()].map((l) =>
          element(
            "button",
            {
              type: "button",
              class: "chip",
              "data-relabel": l.key,
              "aria-pressed": String(l.key === span.label),
              style: `--chip: ${l.colour}`,
            },
            l.name,
          ),
        ),
      ),
      attributeForm(span),
    ];
    if (span.label === store.speaker.source) parts.push(speakerPicker(span));
    if (store.speaker.targets.includes(span.label)) {
      const quotes = store
        .linksOf(span.uid)
        .filter((r) => r.type === "speaker" && r.target === span.uid);
      if (quotes.length > 0) parts.push(spokenQuotes(quotes));
    }
    parts.push(
      element("div", { class: "editor-actions" }, [
        element(
          "button",
          { type: "button", class: "button button-danger", "data-action": "delete" },
          "Delete span",
        ),
        element("kbd", {}, "Del"),
      ]),
    );
    root.replaceChildren(...parts);
    root.hidden = false;
    if (store.readOnly) {
      for (const control of root.querySelectorAll("input, select, textarea, button")) {
        if (!control.classList.contains("close")) control.disabled = true;
      }
    }
    if (focused) doc.getElementById(focused)?.focus();
  }

  function attributeForm(span) {
    const form = element("form", { class: "attributes", "data-uid": span.uid });
    for (const [name, type] of Object.entries(store.attributeSpec(span.label))) {
      const id = `attr-${name}`;
      const value = span.attributes[name];
      let control;
      if (type === "boolean") {
        control = element("select", { id, name, "data-type": type }, [
          element("option", { value: "" }, "—"),
          element("option", { value: "true" }, "Yes"),
          element("option", { value: "false" }, "No"),
        ]);
        control.value = value === true ? "true" : value === false ? "false" : "";
      } else if (name === "comment") {
        control = element("textarea", { id, name, rows: "2", "data-type": type });
        control.value = value ?? "";
      } else {
        const numeric = type === "number" || type === "integer";
        control = element("input", {
          id,
          name,
          type: "text",
          inputmode: numeric ? (type === "integer" ? "numeric" : "decimal") : "text",
          autocomplete: "off",
          "data-type": type,
        });
        control.value = value ?? "";
      }
      const caption = element("label", { for: id, class: "field-label" }, fieldCaption(name));
      const parts = [caption, control];
      const mine = span.conflict?.attributes?.[name];
      if (span.conflict && JSON.stringify(mine) !== JSON.stringify(value)) {
        // A 409 brought their value; yours stays in sight, to copy back or drop.
        parts.push(
          element("p", { class: "field-conflict", "data-field": name }, [
            "Yours: ",
            element("span", { class: "mine" }, mine === undefined ? "—" : String(mine)),
          ]),
        );
      }
      if (name === "unit") {
        // Offer the usual units while any other text stays allowed.
        control.setAttribute("list", "usual-units");
        const options = USUAL_UNITS.map((unit) => element("option", { value: unit }));
        parts.push(element("datalist", { id: "usual-units" }, options));
      }
      form.append(element("div", { class: "field" }, parts));
    }
    return form;
  }

  function speakerPicker(quote) {
    const candidates = speakerCandidates(store, quote);
    const repeated = new Set();
    const seen = new Set();
    for (const span of candidates) (seen.has(span.text) ? repeated : seen).add(span.text);
    const current = store.speakerOf(quote.uid);
    // Nearest first; a text found more than once ("Canada" ×5) names its context.
    const optionText = (span) => {
      const name = `${shorten(span.text, 50)} (${store.labelOf(span).name})`;
      if (!repeated.has(span.text)) return name;
      const { before, words, after } = spanContext(store.text, span);
      return `${name} · ${before}${words}${after}`;
    };
    const select = element(
      "select",
      { id: "speaker-select", name: "speaker", "data-uid": quote.uid },
      [
        element(
          "option",
          { value: "" },
          candidates.length ? "— no speaker —" : "— tag an actor or source first —",
        ),
        ...candidates.map((span) => element("option", { value: span.uid }, optionText(span))),
      ],
    );
    select.value = current?.target ?? "";
    const parts = [
      element("label", { for: "speaker-select", class: "field-label" }, "Speaker"),
      select,
      element("button", { type: "button", class: "button button-small", "data-action": "link" }, [
        "Link speaker ",
        element("kbd", {}, "l"),
      ]),
    ];
    if (store.linking?.quote === quote.uid) parts.push(linkingList(store.linking));
    return element("div", { class: "field speaker-field" }, parts);
  }

  /** The link mode's candidates, nearest first, each in its words, the current one marked. */
  function linkingList(linking) {
    const items = linking.candidates.map((uid, index) => {
      const span = store.spans.get(uid);
      const { before, words, after } = spanContext(store.text, span);
      return element("li", {}, [
        element(
          "button",
          {
            type: "button",
            class: "link-candidate",
            "data-link": uid,
            "aria-current": String(index === linking.index),
          },
          [before, element("strong", {}, words), after],
        ),
      ]);
    });
    return element("div", { class: "linking", role: "group", "aria-label": "Speaker candidates" }, [
      element(
        "p",
        { class: "small muted" },
        "Click the speaker in the text or here; l for the next, Enter to link, Esc to stop.",
      ),
      element("ol", { class: "link-candidates" }, items),
    ]);
  }

  function spokenQuotes(quotes) {
    return element("div", { class: "field" }, [
      element("span", { class: "field-label" }, "Speaks"),
      element(
        "ul",
        { class: "links" },
        quotes.map((r) =>
          element("li", {}, [
            element(
              "button",
              { type: "button", class: "link-button", "data-select": r.source },
              shorten(store.spans.get(r.source)?.text ?? "", 80),
            ),
          ]),
        ),
      ),
    ]);
  }

  /** Return the attributes in `form`, or null (with a message) if one is not of its type. */
  function readAttributes(form) {
    const attributes = {};
    for (const control of form.elements) {
      if (!control.name) continue;
      control.removeAttribute("aria-invalid");
      const raw = control.value.trim();
      if (raw === "") continue;
      const type = control.dataset.type;
      if (type === "boolean") attributes[control.name] = raw === "true";
      else if (type === "number" || type === "integer") {
        const number = Number(raw.replaceAll(",", ""));
        if (!Number.isFinite(number) || (type === "integer" && !Number.isInteger(number))) {
          control.setAttribute("aria-invalid", "true");
          actions.message(
            `${fieldCaption(control.name)} must be ${type === "integer" ? "a whole" : "a"} number.`,
            "error",
            { topic: "attributes" },
          );
          return null;
        }
        attributes[control.name] = number;
      } else attributes[control.name] = control.name === "comment" ? control.value : raw;
    }
    actions.clearMessage?.("attributes");
    return attributes;
  }

  function commitAttributes(form) {
    const span = store.spans.get(form.dataset.uid);
    const attributes = span && readAttributes(form);
    if (!attributes) return;
    if (JSON.stringify(attributes) === JSON.stringify(span.attributes)) return;
    edits.setAttributes(span, attributes);
  }

  /** Put the focus in the editor's first field. */
  function focusField() {
    root.querySelector("input, select, textarea")?.focus();
  }

  root.addEventListener("click", (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    const span = store.spans.get(store.selectedUid);
    if (target.dataset.relabel && span && span.label !== target.dataset.relabel)
      edits.relabel(span, target.dataset.relabel);
    else if (target.dataset.action === "delete") actions.deleteSelected();
    else if (target.dataset.action === "link") actions.link();
    else if (target.dataset.link) actions.linkTo(target.dataset.link);
    else if (target.dataset.action === "deselect") actions.select(null);
    else if (target.dataset.select) actions.select(target.dataset.select, { scroll: true });
  });
  root.addEventListener("change", (event) => {
    if (redrawing) return;
    if (event.target.id === "speaker-select") {
      const quote = store.spans.get(event.target.dataset.uid);
      if (quote) edits.setSpeaker(quote, store.spans.get(event.target.value) ?? null);
    } else if (event.target.form?.classList.contains("attributes")) {
      commitAttributes(event.target.form);
    }
  });
  root.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches(".attributes input")) {
      event.preventDefault();
      commitAttributes(event.target.form);
    }
  });
  root.addEventListener("submit", (event) => {
    event.preventDefault();
    commitAttributes(event.target);
  });

  return { render, focusField };
}
