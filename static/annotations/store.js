// The annotation page's state: labels, spans, relations, selection, status and tags.
//
// Owns what the page knows, never how it is shown or saved: edits.js changes it and saves,
// textview.js, panel.js, editor.js and docpanel.js draw it. Offsets are code points, as the
// server stores them; `start16` and `end16` are the same positions in UTF-16 (offsets.js).
//
// Pure module, no DOM: tested by `node --test tests/js/`.

import { createOffsetIndex } from "./offsets.js";
import { compareSpans, insertionIndex, safeColour } from "./textmodel.js";

/**
 * Return the page state for `data`, the page data of annotations/views.py.
 *
 * @param {object} data
 */
export function createStore(data) {
  const text = data.text;
  const offsets = createOffsetIndex(text);
  const labels = new Map();
  const shortcuts = new Map();
  for (const label of data.labels) {
    labels.set(label.key, { ...label, colour: safeColour(label.colour) });
    if (label.shortcut) shortcuts.set(label.shortcut, label.key);
  }
  // Quality flags with a range inside the text, and their ranges in UTF-16 as `marks`.
  const flags = (data.quality_flags ?? []).filter(
    (flag) =>
      Number.isInteger(flag.start) &&
      Number.isInteger(flag.end) &&
      flag.start >= 0 &&
      flag.start < flag.end &&
      flag.end <= offsets.codePointLength,
  );

  const store = {
    text,
    offsets,
    labels,
    /** Keyboard shortcut -> label key. */
    shortcuts,
    universalAttributes: data.universal_attributes ?? { comment: "string" },
    /** {source, targets}: the label of quotes and those of who may speak them. */
    speaker: data.speaker,
    flags,
    marks: flags.map((flag, id) => ({
      id,
      start: offsets.toUtf16(flag.start),
      end: offsets.toUtf16(flag.end),
    })),
    /** uid -> {uid, label, start, end, start16, end16, text, attributes, version, annotator} */
    spans: new Map(),
    /** Spans in reading order, for next/previous. */
    order: [],
    /** Relation objects {id, type, source, target} (span uids), and an index by span uid. */
    relations: new Set(),
    relationsBySpan: new Map(),
    status: data.status,
    tags: [...data.tags],
    selectedUid: null,
    /** Spans linked to the selected one (its speaker, or the quotes it speaks). */
    linkedToSelection: new Set(),
    /** Spans with changes not saved yet (after a failed save). */
    unsaved: new Set(),

    makeSpan(record) {
      return {
        uid: record.uid,
        label: record.label,
        start: record.start,
        end: record.end,
        start16: offsets.toUtf16(record.start),
        end16: offsets.toUtf16(record.end),
        text: record.text,
        attributes: { ...(record.attributes ?? {}) },
        version: record.version ?? 0,
        annotator: record.annotator ?? null,
        gold: record.gold ?? false,
        // Label or attribute changes queued and not yet answered: until none is left, the
        // server's answers are older than what the page shows.
        edits: 0,
        // The attributes this analyst was saving when a 409 brought another analyst's
        // version: {attributes}, shown beside theirs in the editor until saved again.
        conflict: null,
      };
    },

    /** Return what an undo needs to create `span` again. */
    snapshot(span) {
      const { uid, label, start, end } = span;
      return { uid, label, start, end, text: span.text, attributes: { ...span.attributes } };
    },

    labelOf(span) {
      return labels.get(span.label) ?? { key: span.label, name: span.label, colour: safeColour() };
    },

    /** Return the attributes a span of label `key` may have, with their types. */
    attributeSpec(key) {
      return { ...labels.get(key)?.attribute_spec, ...store.universalAttributes };
    },

    /** Return the span of label `key` over exactly [start, end), if there is one. */
    findSpan(start, end, key) {
      return store.order.find((s) => s.start === start && s.end === end && s.label === key);
    },

    /** Return the uid of the span after the selected one (`direction` 1) or before (-1). */
    neighbour(direction) {
      const { order } = store;
      if (order.length === 0) return null;
      const at = order.findIndex((span) => span.uid === store.selectedUid);
      if (at === -1) return order.at(direction > 0 ? 0 : -1).uid;
      return order[(at + direction + order.length) % order.length].uid;
    },

    insertSpan(span) {
      store.spans.set(span.uid, span);
      store.order.splice(insertionIndex(store.order, span, compareSpans), 0, span);
    },

    /** Move `span` to `range` ({start, end, text} in code points), keeping its uid and links. */
    moveSpan(span, range) {
      const at = store.order.indexOf(span);
      if (at !== -1) store.order.splice(at, 1);
      Object.assign(span, {
        start: range.start,
        end: range.end,
        start16: offsets.toUtf16(range.start),
        end16: offsets.toUtf16(range.end),
        text: range.text,
      });
      store.order.splice(insertionIndex(store.order, span, compareSpans), 0, span);
    },

    /** Forget `span` and its relations; return the relations it had. */
    deleteSpan(span) {
      const links = store.linksOf(span.uid);
      for (const relation of links) store.removeRelation(relation);
      store.spans.delete(span.uid);
      const at = store.order.indexOf(span);
      if (at !== -1) store.order.splice(at, 1);
      return links;
    },

    linksOf(uid) {
      return [...(store.relationsBySpan.get(uid) ?? [])];
    },

    speakerOf(uid) {
      return store.linksOf(uid).find((r) => r.type === "speaker" && r.source === uid) ?? null;
    },

    isAllowedLink(type, source, target) {
      if (!source || !target || source.uid === target.uid) return false;
      if (type !== "speaker") return true;
      return source.label === store.speaker.source && store.speaker.targets.includes(target.label);
    },

    addRelation(relation) {
      store.relations.add(relation);
      indexRelation(relation, true);
    },

    removeRelation(relation) {
      store.relations.delete(relation);
      indexRelation(relation, false);
    },

    /** Point `relation` at another target span. */
    retarget(relation, target) {
      indexRelation(relation, false);
      relation.target = target;
      indexRelation(relation, true);
    },

    /**
     * Select span `uid` (or none, or none if it is gone); return the uids whose look
     * changes: the span selected before, the new one (unless `drawn`, already drawn
     * selected) and the spans linked to either.
     */
    select(uid, { drawn = false } = {}) {
      const touched = [store.selectedUid, drawn ? null : uid, ...store.linkedToSelection];
      store.selectedUid = uid && store.spans.has(uid) ? uid : null;
      const selected = store.selectedUid;
      store.linkedToSelection = new Set(
        selected
          ? store.linksOf(selected).map((r) => (r.source === selected ? r.target : r.source))
          : [],
      );
      return [...new Set([...touched, ...store.linkedToSelection])].filter(Boolean);
    },

    /** Replace the state with a document's spans, relations, status and tags. */
    load(documentData) {
      store.spans.clear();
      store.relations.clear();
      store.relationsBySpan.clear();
      for (const record of documentData.spans) store.spans.set(record.uid, store.makeSpan(record));
      store.order = [...store.spans.values()].sort(compareSpans);
      for (const relation of documentData.relations) {
        if (store.spans.has(relation.source) && store.spans.has(relation.target))
          store.addRelation({ ...relation });
      }
      store.tags = [...documentData.tags];
      store.status = documentData.status;
      store.selectedUid = null;
      store.linkedToSelection = new Set();
    },
  };

  function indexRelation(relation, add) {
    for (const uid of [relation.source, relation.target]) {
      if (!store.relationsBySpan.has(uid)) store.relationsBySpan.set(uid, new Set());
      const set = store.relationsBySpan.get(uid);
      if (add) set.add(relation);
      else set.delete(relation);
    }
  }

  return store;
}
