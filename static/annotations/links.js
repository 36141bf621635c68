// Links between spans (a quote and its speaker) as the analyst's edits change them: drop
// the links a new label no longer allows, remember them in the edit, restore them on undo
// or redo, and set a quote's speaker.
//
// No DOM: the store, the API, `save` (the save queue's enqueue) and the view's callbacks
// (edits.js lists them) are passed in, so `node --test tests/js/` tests it with edits.js.

/**
 * Return the link functions that edits.js uses.
 *
 * @param {{store: object, api: object, urls: {relations: string},
 *          save: (operation: object) => void, view: object}} options
 */
export function createLinks({ store, api, urls, save, view }) {
  /** Remove, locally, the links of `span` its label no longer allows (the server does too). */
  function dropInvalidLinks(span) {
    const dropped = [];
    for (const relation of store.linksOf(span.uid)) {
      const { type, source, target } = relation;
      if (!store.isAllowedLink(type, store.spans.get(source), store.spans.get(target))) {
        store.removeRelation(relation);
        dropped.push(relation);
      }
    }
    for (const relation of dropped)
      view.spanChanged(relation.source === span.uid ? relation.target : relation.source);
    return dropped;
  }

  function rememberLink(edit, relation) {
    if (!edit) return;
    const { type, source, target } = relation;
    const known = edit.relations.some(
      (r) => r.type === type && r.source === source && r.target === target,
    );
    if (!known) edit.relations.push({ type, source, target });
  }

  /** Link again what an undone or redone edit had linked, where still allowed and free. */
  function restoreLinks(edit) {
    if (!edit) return;
    for (const link of edit.relations) {
      const source = store.spans.get(link.source);
      const target = store.spans.get(link.target);
      if (!store.isAllowedLink(link.type, source, target)) continue;
      if (link.type === "speaker" && store.speakerOf(source.uid)) continue;
      createLink(link.type, source, target);
    }
  }

  function createLink(type, source, target) {
    const relation = { id: null, type, source: source.uid, target: target.uid };
    store.addRelation(relation);
    view.spanChanged(source.uid);
    save({
      what: "link the speaker",
      uids: [source.uid],
      run: async () => {
        const answer = await api.post(urls.relations, {
          type,
          source: relation.source,
          target: relation.target,
        });
        relation.id = answer.id;
      },
    });
    return relation;
  }

  /** Make `speaker` (a span, or null for none) the speaker of `quote`. */
  function setSpeaker(quote, speaker) {
    const current = store.speakerOf(quote.uid);
    if (current && speaker && current.target === speaker.uid) return;
    if (current && !speaker) {
      store.removeRelation(current);
      save({
        what: "unlink the speaker",
        uids: [quote.uid],
        run: async () => {
          try {
            await api.delete(`${urls.relations}${current.id}/`);
          } catch (error) {
            if (error.status !== 404) throw error;
          }
        },
      });
    } else if (current) {
      store.retarget(current, speaker.uid);
      save({
        what: "change the speaker",
        uids: [quote.uid],
        run: () => api.patch(`${urls.relations}${current.id}/`, { target: current.target }),
      });
    } else if (speaker) {
      createLink("speaker", quote, speaker);
    }
    view.spanChanged(quote.uid);
    view.select(quote.uid);
  }

  return { dropInvalidLinks, rememberLink, restoreLinks, setSpeaker };
}
