// The analyst's edits: create, delete and relabel spans, set their attributes (and, through
// links.js, speakers), undo and redo them, mark the document done and tag it.
//
// Each edit changes the store at once, tells the view what changed, and queues its request
// (savequeue.js), so the page never waits for the server. When the server answers 409, the
// span changed meanwhile: the page adopts the version sent with the answer and says so.
//
// No DOM: the API (api.js's functions), the save queue and the view's callbacks are passed
// in, so `node --test tests/js/` tests the edits with a fake API.
//
// `view` is {spanInserted(span), spanRemoved(span), spanRelabelled(span, oldLabel),
// spanMoved(span, from16), spanChanged(uid), select(uid, options), message(text, kind),
// statusChanged(), tagsChanged()}.

import { createHistory, invert } from "./history.js";
import { createLinks } from "./links.js";
import { shorten } from "./textmodel.js";
import { withArticle } from "./words.js";

/**
 * Return the page's edit functions.
 *
 * @param {object} options
 * @param {object} options.store - From store.js's createStore.
 * @param {object} options.api - From api.js's createApi, or a fake with the same functions.
 * @param {{spans: string, relations: string, status: string, tags: string}} options.urls
 * @param {object} options.queue - From savequeue.js's createSaveQueue.
 * @param {object} options.view - The callbacks listed above.
 * @param {string} [options.newSpanLayer] - "own", or "gold" for a reviewer adjudicating.
 * @param {() => string} [options.newUid]
 */
export function createEdits({ store, api, urls, queue, view, newSpanLayer = "own", newUid }) {
  const history = createHistory();
  const save = (operation) => queue.enqueue(operation);
  const spanUrl = (uid) => `${urls.spans}${encodeURIComponent(uid)}/`;
  newUid ??= () => crypto.randomUUID().replaceAll("-", "");
  const { dropInvalidLinks, rememberLink, restoreLinks, setSpeaker: linkSpeaker } = createLinks({
    store,
    api,
    urls,
    save,
    view,
  });

  /**
   * Adopt the span the server sent in a 409 answer; return whether there was one.
   *
   * `mine` are the attributes the analyst was saving: kept on the span as `conflict` so the
   * editor shows them beside the other analyst's, never silently replaced.
   */
  function adoptConflict(error, what, mine = null) {
    const current = error.body?.current;
    if (!current) return false;
    const span = store.spans.get(current.uid);
    if (span) {
      if (mine) span.conflict = { attributes: { ...mine } };
      applyServerSpan(span, current, { force: true });
    } else insertSpan(store.makeSpan(current));
    const kept = mine ? " Your values are kept beside theirs in the editor." : "";
    view.message(
      `${what}: someone else changed this span meanwhile; you now see their version.${kept}`,
      "error",
    );
    return true;
  }

  function applyServerSpan(span, answer, { force = false } = {}) {
    const relabelled = span.label !== answer.label;
    const moved =
      answer.start !== undefined && (answer.start !== span.start || answer.end !== span.end);
    const changed =
      relabelled || moved || JSON.stringify(span.attributes) !== JSON.stringify(answer.attributes);
    const oldLabel = span.label;
    span.version = answer.version;
    span.annotator = answer.annotator;
    if (!changed || (span.edits > 0 && !force)) {
      if (span.conflict) view.spanChanged(span.uid);
      return;
    }
    span.attributes = { ...answer.attributes };
    if (moved) {
      const from16 = { start16: span.start16, end16: span.end16 };
      store.moveSpan(span, answer);
      view.spanMoved(span, from16);
    }
    if (relabelled) {
      span.label = answer.label;
      dropInvalidLinks(span);
      view.spanRelabelled(span, oldLabel);
    }
    view.spanChanged(span.uid);
    if (span.uid === store.selectedUid) view.select(span.uid);
  }

  function insertSpan(span) {
    store.insertSpan(span);
    view.spanInserted(span);
  }

  /** Remove `span` and its links; return the quotes it was the speaker of. */
  function removeSpan(span) {
    const quotes = [];
    for (const relation of store.linksOf(span.uid)) {
      store.removeRelation(relation);
      if (relation.type === "speaker" && relation.target === span.uid) quotes.push(relation.source);
    }
    if (store.selectedUid === span.uid) view.select(null);
    store.deleteSpan(span);
    view.spanRemoved(span);
    // Their "said by" is gone too: redraw them now, not at the next reload.
    for (const uid of quotes) if (store.spans.has(uid)) view.spanChanged(uid);
    return quotes;
  }

  function setStatus(status) {
    store.status = status;
    view.statusChanged();
  }

  /** Create a span locally and save it; `edit` is the history entry it belongs to. */
  function createSpan(record, edit) {
    const span = store.makeSpan(record);
    insertSpan(span);
    if (store.status === "new") setStatus("in_progress");
    save({
      what: `create ${span.label} span`,
      uids: [span.uid],
      run: async () => {
        const answer = await api.post(urls.spans, {
          uid: span.uid,
          label: span.label,
          start: span.start,
          end: span.end,
          text: span.text,
          attributes: span.attributes,
          layer: newSpanLayer || "own",
        });
        span.version = answer.version;
        span.annotator = answer.annotator;
      },
    });
    restoreLinks(edit);
    return span;
  }

  function deleteSpan(span, edit) {
    for (const relation of store.linksOf(span.uid)) rememberLink(edit, relation);
    const links = store.linksOf(span.uid);
    const silenced = removeSpan(span);
    save({
      what: `delete ${span.label} span`,
      uids: [span.uid],
      run: async () => {
        try {
          await api.delete(`${spanUrl(span.uid)}?version=${span.version}`);
        } catch (error) {
          if (error.status === 404) return;
          if (error.status === 409 && adoptConflict(error, "Not deleted")) {
            for (const relation of links) store.addRelation(relation);
            return;
          }
          throw error;
        }
      },
    });
    return silenced;
  }

  function relabelSpan(span, to, edit) {
    const oldLabel = span.label;
    span.label = to.label;
    span.attributes = { ...to.attributes };
    for (const relation of dropInvalidLinks(span)) rememberLink(edit, relation);
    view.spanRelabelled(span, oldLabel);
    if (span.uid === store.selectedUid) view.select(span.uid);
    saveSpanChange(span, { label: to.label, attributes: to.attributes }, `relabel as ${to.label}`);
    restoreLinks(edit);
  }

  /** Queue a change of `span`'s label or attributes. */
  function saveSpanChange(span, changes, what) {
    span.edits += 1;
    save({
      what,
      uids: [span.uid],
      run: async () => {
        await patchSpan(span, changes, what);
        span.edits -= 1;
      },
    });
  }

  async function patchSpan(span, changes, what) {
    try {
      const answer = await api.patch(spanUrl(span.uid), { version: span.version, ...changes });
      applyServerSpan(span, answer, { force: span.edits === 1 });
    } catch (error) {
      const mine = "attributes" in changes && !("label" in changes) ? changes.attributes : null;
      if (error.status === 409 && adoptConflict(error, what, mine)) return;
      if (error.status === 404) {
        if (store.spans.get(span.uid) === span) removeSpan(span);
        view.message(`${what}: the span was deleted by someone else.`, "error");
        return;
      }
      throw error;
    }
  }

  function applyAttributes(span, attributes) {
    span.attributes = { ...attributes };
    span.conflict = null; // Saving settles a conflict shown in the editor.
    view.spanChanged(span.uid);
    saveSpanChange(span, { attributes: span.attributes }, "save attributes");
  }

  function applyMove(span, to) {
    const from16 = { start16: span.start16, end16: span.end16 };
    store.moveSpan(span, to);
    view.spanMoved(span, from16);
    saveSpanChange(span, { start: to.start, end: to.end }, "move an edge");
  }

  /**
   * Move `span`'s edges to `to` ({start, end, text} in code points): one update of the span
   * (its uid, links and history kept), one undo step. Refused, with a message, where the
   * layer already has a span of its label.
   */
  function move(span, to) {
    if (to.start === span.start && to.end === span.end) return false;
    const twin = store.findSpan(to.start, to.end, span.label);
    if (twin && twin !== span) {
      const kind = withArticle(`${store.labelOf(span).name} span`);
      view.message(`There is already ${kind} over “${shorten(to.text, 40)}”.`, "error");
      return false;
    }
    const from = { start: span.start, end: span.end, text: span.text };
    applyMove(span, to);
    history.record({ type: "move", uid: span.uid, from, to: { ...to } });
    return true;
  }

  /** Set `span`'s attributes, as one undoable edit. */
  function setAttributes(span, attributes) {
    const from = { ...span.attributes };
    const edit = { type: "attributes", uid: span.uid, from, to: { ...attributes } };
    applyAttributes(span, attributes);
    history.record(edit);
  }

  /** Link `quote` to `speaker` (a span, or null to unlink), as one undoable edit. */
  function setSpeaker(quote, speaker) {
    const from = store.speakerOf(quote.uid)?.target ?? null;
    const to = speaker?.uid ?? null;
    if (from === to) return;
    linkSpeaker(quote, speaker);
    history.record({ type: "speaker", quote: quote.uid, from, to });
  }

  /** Create a span of label `key` over `range` (from resolveSelection) and select it. */
  function create(range, key) {
    const record = { ...range, uid: newUid(), label: key, attributes: {} };
    const edit = { type: "create", span: record, relations: [] };
    const previous = store.selectedUid;
    store.selectedUid = record.uid; // Drawn selected right away, not drawn twice.
    const span = createSpan(record, edit);
    history.record(edit);
    store.selectedUid = previous;
    view.select(span.uid, { drawn: true });
    return span;
  }

  /**
   * Show spans the server made for the analyst (accepted suggestions, review.js) as if made
   * here: in the store, the view and the history, one step for all (a batch when several),
   * so that one undo deletes them; and the links the server made between spans the page
   * has. Return the spans added.
   *
   * @param {object[]} records - Spans as the spans API returns them.
   * @param {object[]} [relations] - Links as the relations API returns them.
   */
  function adopt(records, relations = []) {
    const added = [];
    const made = [];
    for (const record of records) {
      if (store.spans.has(record.uid)) continue;
      const span = store.makeSpan(record);
      insertSpan(span);
      made.push({ type: "create", span: store.snapshot(span), relations: [] });
      added.push(span);
    }
    // What one request accepted is one step to undo.
    if (made.length === 1) history.record(made[0]);
    else if (made.length > 1)
      history.record({ type: "batch", what: `${made.length} accepted suggestions`, edits: made });
    for (const { id, type, source, target } of relations) {
      if (!store.spans.has(source) || !store.spans.has(target)) continue;
      const known = store
        .linksOf(source)
        .some((r) => r.id === id || (r.type === type && r.target === target));
      if (known) continue;
      store.addRelation({ id, type, source, target });
      view.spanChanged(source);
      view.spanChanged(target);
    }
    if (added.length > 0 && store.status === "new") setStatus("in_progress");
    return added;
  }

  /** Give `span` label `key`, keeping the attributes that label allows. */
  function relabel(span, key) {
    const allowed = store.attributeSpec(key);
    const attributes = Object.fromEntries(
      Object.entries(span.attributes).filter(([name]) => name in allowed),
    );
    const edit = {
      type: "relabel",
      uid: span.uid,
      from: { label: span.label, attributes: { ...span.attributes } },
      to: { label: key, attributes },
      relations: [],
    };
    relabelSpan(span, edit.to, edit);
    history.record(edit);
  }

  function remove(span) {
    const edit = { type: "delete", span: store.snapshot(span), relations: [] };
    const silenced = deleteSpan(span, edit).length;
    history.record(edit);
    const quotes = silenced === 1 ? "1 quote lost its" : `${silenced} quotes lost their`;
    const lost = silenced ? ` ${quotes} speaker.` : "";
    view.message(`Deleted the ${store.labelOf(span).name} span.${lost} Ctrl+Z undoes it.`);
  }

  /** Apply an edit from the history (an undo or a redo); return false if its span is gone. */
  function apply(edit) {
    if (edit.type === "batch") {
      // Each part that can still be applied is: one span gone does not hold back the rest.
      return edit.edits.map(apply).some(Boolean);
    }
    if (edit.type === "create") {
      if (store.spans.has(edit.span.uid)) return true;
      const span = createSpan(edit.span, edit);
      view.select(span.uid, { scroll: true });
      return true;
    }
    if (edit.type === "speaker") {
      const quote = store.spans.get(edit.quote);
      const speaker = edit.to === null ? null : store.spans.get(edit.to);
      if (!quote || speaker === undefined) return false;
      linkSpeaker(quote, speaker);
      return true;
    }
    const span = store.spans.get(edit.type === "delete" ? edit.span.uid : edit.uid);
    if (!span) return false;
    if (edit.type === "attributes") {
      applyAttributes(span, edit.to);
      view.select(span.uid, { scroll: true });
      return true;
    }
    if (edit.type === "move") {
      applyMove(span, edit.to);
      view.select(span.uid, { scroll: true });
      return true;
    }
    if (edit.type === "delete") deleteSpan(span, edit);
    else relabelSpan(span, edit.to, edit);
    if (edit.type === "relabel") view.select(span.uid, { scroll: true });
    return true;
  }

  function undo() {
    const edit = history.undo();
    if (!edit) return view.message("Nothing to undo.");
    if (!apply(edit)) return view.message("Cannot undo: that span is gone.", "error");
    view.message(`Undone: ${describeEdit(invert(edit))}.`);
  }

  function redo() {
    const edit = history.redo();
    if (!edit) return view.message("Nothing to redo.");
    if (!apply(edit)) return view.message("Cannot redo: that span is gone.", "error");
    view.message(`Redone: ${describeEdit(edit)}.`);
  }

  function toggleDone() {
    const next = store.status === "done" ? "in_progress" : "done";
    setStatus(next);
    save({
      what: next === "done" ? "mark done" : "reopen",
      run: async () => {
        await api.put(urls.status, { status: next });
      },
    });
    view.message(
      next === "done" ? "Marked done. Press > for the next document." : "Reopened for annotation.",
    );
  }

  function saveTags(next) {
    store.tags = next;
    view.tagsChanged();
    save({
      what: "save tags",
      run: async () => {
        const answer = await api.put(urls.tags, { tags: next });
        if (store.tags === next) {
          store.tags = answer.tags;
          view.tagsChanged();
        }
      },
    });
  }

  return {
    history,
    create,
    adopt,
    relabel,
    remove,
    undo,
    redo,
    setSpeaker,
    setAttributes,
    move,
    toggleDone,
    saveTags,
  };
}

function describeEdit(edit) {
  if (edit.type === "batch") return edit.what;
  if (edit.type === "relabel") return `relabel as ${edit.to.label}`;
  if (edit.type === "attributes") return "change of attributes";
  if (edit.type === "move") return `edges moved to “${shorten(edit.to.text, 40)}”`;
  if (edit.type === "speaker") return edit.to === null ? "unlink the speaker" : "set the speaker";
  return `${edit.type} ${edit.span.label} “${shorten(edit.span.text, 40)}”`;
}
