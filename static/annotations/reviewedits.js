// The analyst's review of suggestions: load them, step through them, accept and reject
// them, accept all of a label or a batch, and propose a span's label at its other
// occurrences (`*`), through the suggestions API.
//
// An accepted suggestion becomes a span the server makes in the analyst's own layer;
// edits.adopt shows it as any other span (store, view, undo). Requests run through the
// page's save queue, so they follow the edits queued before them (a span made just before
// `*` is saved before its occurrences are sought). The list and its order are
// suggestions.js's.
//
// No DOM: the API, the queue, the edits and the view's callbacks are passed in, so
// `node --test tests/js/` tests it with a fake API. `view` is {changed({reveal,
// currentOnly, removed}), message(text, kind), stateChanged(state, error)}: `reveal` asks
// to scroll to the current suggestion; `currentOnly` says nothing else changed, `removed`
// (ids) that only those suggestions left (the outlines of the others stay where they are);
// state is "loading", "ready" or "error".

import { ApiError } from "./api.js";
import { shorten } from "./textmodel.js";

// How long to wait before asking again while another request makes the suggestions.
export const MAKING_RETRY_MS = 2000;

/**
 * Return the review functions.
 *
 * @param {object} options
 * @param {object} options.store - From store.js's createStore.
 * @param {object} options.suggestions - From suggestions.js's createSuggestions.
 * @param {object} options.edits - From edits.js's createEdits (its `adopt`).
 * @param {object} options.api - From api.js's createApi, or a fake with the same functions.
 * @param {object} options.queue - From savequeue.js's createSaveQueue.
 * @param {object} options.urls - From suggestions.js's suggestionUrls.
 * @param {object} options.view - The callbacks listed above.
 * @param {function} [options.later] - Runs a callback after MAKING_RETRY_MS (setTimeout).
 */
export function createReviewEdits({
  store,
  suggestions,
  edits,
  api,
  queue,
  urls,
  view,
  later = (callback) => setTimeout(callback, MAKING_RETRY_MS),
}) {
  const { message } = view;
  const labelName = (key) => store.labelOf({ label: key }).name;

  /** Fetch the document's suggestions (the server makes them if it has none). */
  async function load() {
    view.stateChanged("loading");
    try {
      const answer = await api.get(urls.list);
      if (answer?.making) {
        // Another request (another tab, another analyst) is making them: ask again.
        later(load);
        return;
      }
      suggestions.cover(store.spans.values());
      const errors = suggestions.load(answer?.suggestions ?? []);
      if (errors.length > 0)
        message(`${errors.length} suggestions could not be shown: ${errors[0]}`, "error");
      view.stateChanged("ready");
    } catch (error) {
      view.stateChanged("error", error.message);
    }
    view.changed();
  }

  /**
   * The analyst's spans changed: the suggestions they now cover go, those they no longer
   * cover come back. A span that covers no suggestion changes nothing here, so nothing is
   * drawn again: on a long document, redrawing the outlines after every span added cost
   * more than the span itself (bench/annotation_page.py). Spans never move the text, so
   * the outlines drawn stay where they belong.
   */
  function spansChanged() {
    const before = suggestions.current();
    const { changed, covered, freed } = suggestions.cover(store.spans.values());
    if (!changed && suggestions.current() === before) return;
    if (freed.length > 0) view.changed();
    else view.changed({ removed: covered });
  }

  function step(direction) {
    if (!suggestions.step(direction)) return message("No suggestion is left to review.");
    view.changed({ reveal: true, currentOnly: true });
  }

  function setCurrent(id) {
    if (suggestions.setCurrent(id)) view.changed({ reveal: true, currentOnly: true });
  }

  /** Return the current suggestion, or null after saying how to get one. */
  function currentOrSay(verb) {
    const current = suggestions.current();
    if (current) return current;
    message(
      suggestions.open().length > 0
        ? `No suggestion is current: press Tab to go to one, then ${verb}.`
        : "No suggestion is left to review.",
      "error",
    );
    return null;
  }

  /** Accept the current suggestion (or suggestion `id`) into the analyst's layer. */
  function accept(id = null) {
    const suggestion = id === null ? currentOrSay("press y") : suggestions.get(id);
    if (!suggestion || !suggestions.isOpen(suggestion.id)) return;
    suggestions.take(suggestion.id, { accepted: true });
    view.changed({ reveal: id === null, removed: [suggestion.id] });
    queue.enqueue({
      what: `accept the suggested ${labelName(suggestion.label)}`,
      run: async () => {
        let answer;
        try {
          answer = await api.post(urls.accept(suggestion.id));
        } catch (error) {
          refused(error, [suggestion.id], "Not accepted");
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
    const suggestion = currentOrSay("press n");
    if (!suggestion) return;
    suggestions.take(suggestion.id);
    view.changed({ reveal: true, removed: [suggestion.id] });
    queue.enqueue({
      what: `reject the suggested ${labelName(suggestion.label)}`,
      run: async () => {
        try {
          await api.post(urls.reject(suggestion.id));
        } catch (error) {
          refused(error, [suggestion.id], "Not rejected");
        }
      },
    });
  }

  /** Accept every open suggestion of label `key` in one request (quotes bring speakers). */
  function acceptLabel(key) {
    const taken = suggestions.takeLabel(key);
    if (taken.length === 0) return message(`No suggested ${labelName(key)} is left.`);
    const ids = taken.map((s) => s.id);
    view.changed();
    queue.enqueue({
      what: `accept every suggested ${labelName(key)}`,
      run: async () => {
        let answer;
        try {
          answer = await api.post(urls.acceptAll, { label: key });
        } catch (error) {
          refused(error, ids, "Not accepted");
          return;
        }
        const added = edits.adopt(answer?.spans ?? [], answer?.relations ?? []);
        suggestions.restore(ids);
        suggestions.cover(store.spans.values());
        // Speakers the server did not bring along are offered next, to accept together.
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
        view.changed();
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

  /**
   * Accept every open suggestion of the batch offered last (the occurrences `*` proposed,
   * say) in one request: the server takes all or none of them.
   */
  function acceptBatch() {
    const batch = suggestions.batch();
    if (!batch) return message("Nothing is offered together any more.");
    const taken = suggestions.takeAll(batch.suggestions.map((s) => s.id));
    const ids = taken.map((s) => s.id);
    suggestions.dropBatch();
    view.changed({ removed: ids });
    queue.enqueue({
      what: `accept ${ids.length} suggestion${ids.length === 1 ? "" : "s"}`,
      run: async () => {
        let answer;
        try {
          answer = await api.post(urls.acceptChosen, { suggestions: ids });
        } catch (error) {
          refused(error, ids, "Not accepted", "the document is gone");
          return;
        }
        const added = edits.adopt(answer?.spans ?? [], answer?.relations ?? []);
        suggestions.restore(ids);
        spansChanged();
        message(
          `Accepted ${describeCounts(added)}.` + (added.length > 1 ? " Ctrl+Z undoes them all." : ""),
        );
      },
    });
  }

  function dropBatch() {
    suggestions.dropBatch();
    view.changed();
  }

  /** Propose the selected span's label at every other occurrence of its text (`*`). */
  function tagOccurrences() {
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
        view.changed({ reveal: open.length > 0 });
      },
    });
  }

  /**
   * Deal with a refused request. A 404 means the suggestion (or span) is gone: said, and it
   * stays hidden. Another 4xx answer is said and its suggestions are shown again. Anything
   * else (server unreachable or failing) shows them again and is thrown, for the save queue
   * to keep the request and offer Retry.
   */
  function refused(error, ids, what, gone = "this suggestion is gone (taken or turned down)") {
    if (error instanceof ApiError && error.status === 404) {
      message(`${what}: ${gone}.`, "error");
      return;
    }
    suggestions.restore(ids);
    view.changed();
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
      message(`${what}: ${error.message}`, "error");
      return;
    }
    throw error;
  }

  return {
    load,
    spansChanged,
    step,
    setCurrent,
    accept,
    reject,
    acceptLabel,
    acceptBatch,
    dropBatch,
    tagOccurrences,
  };
}
