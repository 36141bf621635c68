// Reviewing suggestions on the annotation page: the machine's proposals (assist/) drawn as
// dashed outlines over the text, the current one highlighted, and the review bar in the
// side panel (counts per label, the current suggestion, Accept / Reject / Previous / Next,
// "Accept all" per label and for a batch such as the occurrences `*` proposed).
//
// The list and its order are suggestions.js's. An accepted suggestion becomes a span the
// server makes in the analyst's own layer; edits.adopt shows it as any other span (store,
// view, undo). Requests run through the page's save queue, after the edits before them.
// The outlines are a layer over the text that takes no clicks: a suggestion is never a span
// until accepted. Nothing runs on import: createReview() is called by annotator.js.

import { ApiError } from "./api.js";
import { element, swatch } from "./dom.js";
import { createSuggestions, lineBoxes, suggestionUrls } from "./suggestions.js";
import { shorten } from "./textmodel.js";

// How far an outline stands off the text it surrounds, in pixels.
const PAD = 1;
// The sticky toolbar's height, which a suggestion scrolled to must clear.
const TOP_MARGIN = 90;

/**
 * Return the review of suggestions on the page.
 *
 * `actions` is {message(text, kind), rangeOf(start16, end16), boundaryOffset(node, offset)}
 * (textview.js's rangeOf and boundaryOffset).
 *
 * @param {{container: HTMLElement, bar: HTMLElement, store: object, edits: object,
 *          api: object, queue: object, documentUrl: string, enabled: boolean,
 *          actions: object}} options
 */
export function createReview({
  container,
  bar,
  store,
  edits,
  api,
  queue,
  documentUrl,
  enabled,
  actions,
}) {
  const doc = container.ownerDocument;
  const urls = suggestionUrls(documentUrl);
  const suggestions = createSuggestions({
    text: store.text,
    offsets: store.offsets,
    labels: [...store.labels.keys()],
  });
  const layer = element("div", { class: "suggestion-layer" });
  container.after(layer);
  const groups = new Map();
  let state = "loading";
  let loadError = "";
  let drawQueued = false;
  const { message } = actions;

  const labelName = (key) => store.labelOf({ label: key }).name;

  async function load() {
    if (!enabled) return;
    setState("loading");
    try {
      const answer = await api.get(urls.list);
      suggestions.cover(store.spans.values());
      const errors = suggestions.load(answer?.suggestions ?? []);
      if (errors.length > 0)
        message(`${errors.length} suggestions could not be shown: ${errors[0]}`, "error");
      setState("ready");
    } catch (error) {
      loadError = error.message;
      setState("error");
    }
    scheduleDraw();
  }

  function setState(next) {
    state = next;
    bar.dataset.state = next;
    renderBar();
  }

  /** The analyst's spans changed: suggestions they cover go, their outlines move. */
  function spansChanged() {
    if (!enabled) return;
    suggestions.cover(store.spans.values());
    scheduleDraw();
    renderBar();
  }

  function changed({ reveal = false } = {}) {
    scheduleDraw();
    renderBar();
    if (reveal) revealCurrent();
  }

  function step(direction) {
    if (!suggestions.step(direction)) return message("No suggestion is left to review.");
    changed({ reveal: true });
  }

  function setCurrent(id) {
    suggestions.setCurrent(id);
    changed({ reveal: true });
  }

  /** Return the current suggestion, or null after saying how to get one. */
  function currentOrSay(verb) {
    const current = suggestions.current();
    if (current) return current;
    const open = suggestions.open().length;
    message(
      open > 0
        ? `No suggestion is current: press Tab to go to one, then ${verb}.`
        : "No suggestion is left to review.",
      "error",
    );
    return null;
  }

  /** Accept the current suggestion (or `id`) into the analyst's layer. */
  function accept(id = null) {
    if (!enabled) return message("Suggestions are reviewed on your own layer.", "error");
    const suggestion = id === null ? currentOrSay("press y") : suggestions.get(id);
    if (!suggestion || !suggestions.isOpen(suggestion.id)) return;
    suggestions.take(suggestion.id, { accepted: true });
    changed({ reveal: id === null });
    queue.enqueue({
      what: `accept the suggested ${labelName(suggestion.label)}`,
      run: async () => {
        let answer;
        try {
          answer = await api.post(urls.accept(suggestion.id));
        } catch (error) {
          refused(error, [suggestion.id], "Not accepted");
          changed();
          return;
        }
        edits.adopt(answer?.span ? [answer.span] : [], answer?.relations ?? []);
        // Its span hides it now; should that span be deleted (undo), it is proposed again.
        suggestions.restore([suggestion.id]);
        spansChanged();
      },
    });
  }

  /** Reject the current suggestion: hidden for this analyst, never proposed to them again. */
  function reject() {
    if (!enabled) return message("Suggestions are reviewed on your own layer.", "error");
    const suggestion = currentOrSay("press n");
    if (!suggestion) return;
    suggestions.take(suggestion.id);
    changed({ reveal: true });
    queue.enqueue({
      what: `reject the suggested ${labelName(suggestion.label)}`,
      run: async () => {
        try {
          await api.post(urls.reject(suggestion.id));
        } catch (error) {
          refused(error, [suggestion.id], "Not rejected");
          changed();
        }
      },
    });
  }

  /** Accept every open suggestion of label `key` in one request. */
  function acceptLabel(key) {
    const taken = suggestions.takeLabel(key);
    if (taken.length === 0) return message(`No suggested ${labelName(key)} is left.`);
    changed();
    queue.enqueue({
      what: `accept every suggested ${labelName(key)}`,
      run: async () => {
        let answer;
        try {
          answer = await api.post(urls.acceptAll, { label: key });
        } catch (error) {
          refused(error, taken.map((s) => s.id), "Not accepted");
          changed();
          return;
        }
        const added = edits.adopt(answer?.spans ?? [], answer?.relations ?? []);
        suggestions.restore(taken.map((s) => s.id));
        suggestions.cover(store.spans.values());
        // Quotes accepted without their speakers: offer the speakers next.
        const speakers = taken.map((s) => suggestions.speakerOf(s.id)).filter(Boolean);
        suggestions.offer(
          speakers.map((s) => s.id),
          { title: "Suggested speakers of the accepted quotes" },
        );
        const offered = suggestions.batch()?.suggestions.length ?? 0;
        message(
          `Accepted ${describeCounts(added)}.` +
            (offered > 0 ? ` ${offered} suggested speakers are offered in the panel.` : ""),
        );
        changed();
      },
    });
  }

  /** Return "3 Quote and 2 Actor spans": how many of `spans` there are per label. */
  function describeCounts(spans) {
    const counts = new Map();
    for (const span of spans) counts.set(span.label, (counts.get(span.label) ?? 0) + 1);
    const parts = [...counts].map(([label, count]) => `${count} ${labelName(label)}`);
    if (parts.length === 0) return "no new span";
    const last = parts.pop();
    const list = parts.length > 0 ? `${parts.join(", ")} and ${last}` : last;
    return `${list} span${spans.length === 1 ? "" : "s"}`;
  }

  /** Accept, one request each, every open suggestion of the batch offered last. */
  function acceptBatch() {
    const batch = suggestions.batch();
    if (!batch) return message("Nothing is offered together any more.");
    for (const suggestion of batch.suggestions) accept(suggestion.id);
    suggestions.dropBatch();
    changed();
  }

  /** Propose the selected span's label at every other occurrence of its text (`*`). */
  function tagOccurrences() {
    if (!enabled) return message("Suggestions are reviewed on your own layer.", "error");
    const span = store.spans.get(store.selectedUid);
    if (!span) {
      message(
        "Select a span first (click it, or press ]), then press * to propose its label " +
          "at every other occurrence of its text.",
        "error",
      );
      return;
    }
    const what = `“${shorten(span.text, 40)}”`;
    queue.enqueue({
      what: `find the other occurrences of ${what}`,
      run: async () => {
        let answer;
        try {
          // After the span's own save: the queue runs in order.
          answer = await api.post(urls.occurrences, { span: span.uid });
        } catch (error) {
          refused(error, [], "No occurrences proposed", "the span is not in your layer");
          return;
        }
        const [open, errors] = suggestions.propose(answer?.suggestions ?? [], {
          title: `Other occurrences of ${what} as ${labelName(span.label)}`,
          label: span.label,
          after: span.end,
        });
        if (errors.length > 0)
          message(`${errors.length} proposals could not be shown: ${errors[0]}`, "error");
        else if (open.length === 0) message(`No other occurrence of ${what} is left to tag.`);
        else
          message(
            `${open.length} other occurrence${open.length === 1 ? "" : "s"} of ${what} ` +
              "proposed: y accepts the current one; “Accept these” accepts them all.",
          );
        changed({ reveal: open.length > 0 });
      },
    });
  }

  /**
   * Deal with a refused request: a 4xx answer is said and its suggestions shown again
   * (a 404 means the suggestion is gone: accepted or rejected elsewhere); anything else
   * (server unreachable or failing) is thrown, for the save queue to offer Retry.
   */
  function refused(error, ids, what, gone = "this suggestion is gone (taken or turned down)") {
    if (error instanceof ApiError && error.status === 404) {
      message(`${what}: ${gone}.`, "error");
      return;
    }
    suggestions.restore(ids);
    changed();
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
      message(`${what}: ${error.message}`, "error");
      return;
    }
    throw error;
  }

  // Drawing the outlines.

  function scheduleDraw() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(draw);
  }

  /** Draw every open suggestion's outline, where the text is laid out now. */
  function draw() {
    drawQueued = false;
    const origin = layer.getBoundingClientRect();
    const current = suggestions.current();
    const fragment = doc.createDocumentFragment();
    groups.clear();
    for (const suggestion of suggestions.open()) {
      const boxes = lineBoxes(
        actions.rangeOf(suggestion.start16, suggestion.end16).getClientRects(),
      );
      if (boxes.length === 0) continue;
      const left = Math.min(...boxes.map((b) => b.left)) - PAD;
      const top = Math.min(...boxes.map((b) => b.top)) - PAD;
      const right = Math.max(...boxes.map((b) => b.right)) + PAD;
      const bottom = Math.max(...boxes.map((b) => b.bottom)) + PAD;
      const group = element("div", {
        class: suggestion === current ? "suggestion is-current" : "suggestion",
        role: "img",
        "aria-label": `suggested ${suggestion.label}`,
        "data-id": String(suggestion.id),
        "data-label": suggestion.label,
      });
      group.style.setProperty("--suggestion-colour", store.labelOf(suggestion).colour);
      place(group, left - origin.left, top - origin.top, right - left, bottom - top);
      for (const box of boxes) {
        const outline = element("div", { class: "suggestion-box" });
        place(
          outline,
          box.left - PAD - left,
          box.top - PAD - top,
          box.right - box.left + 2 * PAD,
          box.bottom - box.top + 2 * PAD,
        );
        group.append(outline);
      }
      groups.set(suggestion.id, group);
      fragment.append(group);
    }
    layer.replaceChildren(fragment);
  }

  function place(node, left, top, width, height) {
    node.style.left = `${left}px`;
    node.style.top = `${top}px`;
    node.style.width = `${width}px`;
    node.style.height = `${height}px`;
  }

  /** Scroll the current suggestion into view, unless it shows already. */
  function revealCurrent() {
    const current = suggestions.current();
    if (!current) return;
    const rects = actions.rangeOf(current.start16, current.end16).getClientRects();
    const rect = rects[0];
    if (!rect) return;
    const view = doc.defaultView;
    if (rect.top < TOP_MARGIN || rect.bottom > view.innerHeight - 20) {
      const top = rect.top + view.scrollY - Math.max(TOP_MARGIN, view.innerHeight / 3);
      view.scrollTo({ top, behavior: "instant" });
    }
  }

  // The review bar.

  function renderBar() {
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
    bar.replaceChildren(...parts);
    bar.hidden = false;
    if (focused) bar.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
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
    const box = element("div", { class: "review-current", "aria-live": "polite" });
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
    if (action === "accept") accept();
    else if (action === "reject") reject();
    else if (action === "next") step(1);
    else if (action === "previous") step(-1);
    else if (action === "accept-label") acceptLabel(target.dataset.label);
    else if (action === "accept-batch") acceptBatch();
    else if (action === "drop-batch") {
      suggestions.dropBatch();
      changed();
    } else if (action === "go") setCurrent(suggestions.get(findId(target.dataset.id))?.id);
    else if (action === "reload") load();
  });

  /** Return the suggestion id that `text` (a data attribute) names: ids may be numbers. */
  function findId(text) {
    const number = Number(text);
    return suggestions.get(number) ? number : text;
  }

  // A click in the text makes the suggestion under it current (a span there is selected too).
  container.addEventListener("click", () => {
    const selection = doc.getSelection();
    if (!enabled || !selection?.isCollapsed || !selection.focusNode) return;
    const offset16 = actions.boundaryOffset(selection.focusNode, selection.focusOffset);
    const under = offset16 === null ? null : suggestions.at(offset16);
    if (under && under !== suggestions.current()) setCurrent(under.id);
  });

  new ResizeObserver(() => scheduleDraw()).observe(container);
  doc.fonts?.ready.then(() => scheduleDraw());
  renderBar();

  return {
    load,
    spansChanged,
    step,
    accept: () => accept(),
    reject,
    acceptLabel,
    tagOccurrences,
    /** Return whether suggestions are left to review (Tab steps through them). */
    reviewing: () => enabled && suggestions.open().length > 0,
  };
}
