"""Byline -> doccano 1.8.4 -> Byline, as docs/export-format.md tells a person to do it."""

from collections import Counter

import pytest

from corpus.models import Corpus
from tests.peers.corpus import (
    EMOJI_ID,
    build_corpus,
    check_edits_came_back,
    export,
    import_back,
    linked_ranges_of,
    links_of,
    ranges_of,
    spans_of,
)

pytestmark = [pytest.mark.peers, pytest.mark.django_db]


def doccano_view(doccano, project: int) -> tuple[dict, dict]:
    """Return what doccano holds, by document id: (start, end, label, covered text) counts,
    and links as (source range and label, type, target's) counts."""
    span_types = {
        t["id"]: t["text"] for t in doccano.api("GET", f"/v1/projects/{project}/span-types")
    }
    relation_types = {
        t["id"]: t["text"] for t in doccano.api("GET", f"/v1/projects/{project}/relation-types")
    }
    ranges, linked = {}, {}
    for example in doccano.examples(project):
        document = example["meta"]["id"]
        base = f"/v1/projects/{project}/examples/{example['id']}"
        spans = {s["id"]: s for s in doccano.api("GET", f"{base}/spans")}
        ranges[document] = Counter(
            (
                s["start_offset"],
                s["end_offset"],
                span_types[s["label"]],
                example["text"][s["start_offset"] : s["end_offset"]],
            )
            for s in spans.values()
        )
        ends = {
            pk: (s["start_offset"], s["end_offset"], span_types[s["label"]])
            for pk, s in spans.items()
        }
        relations = doccano.api("GET", f"{base}/relations")
        if relations:
            linked[document] = Counter(
                (ends[r["from_id"]], relation_types[r["type"]], ends[r["to_id"]]) for r in relations
            )
    return ranges, linked


def test_doccano_takes_our_file_and_gives_back_edits_exactly(doccano, tmp_path):
    corpus = build_corpus(tmp_path)
    original, original_links = spans_of(corpus), links_of(corpus)
    written = tmp_path / "byline-doccano.jsonl"
    printed = export(corpus, written, "doccano")
    # Two analysts' copies of one span overlap: doccano needs its setting for them.
    assert "Allow overlapping entity" in printed

    # The project settings and import option of docs/export-format.md.
    project = doccano.create_project(allow_overlapping=True, use_relation=True)
    assert doccano.import_jsonl(project, written) == {"error": []}
    ranges, linked = doccano_view(doccano, project)
    assert ranges == ranges_of(corpus)
    assert linked == linked_ranges_of(corpus)

    # doccano's export, unedited, comes back whole into a new corpus ...
    unedited = tmp_path / "doccano-unedited.jsonl"
    doccano.export_jsonl(project, unedited)
    import_back(unedited, "From doccano", "doccano")
    copy = Corpus.objects.get(name="From doccano")
    assert spans_of(copy) == original
    assert links_of(copy) == original_links
    # ... and changes nothing in the original.
    printed = import_back(unedited, corpus.name, "doccano")
    assert "unchanged 5, failed files 0 of 1" in printed

    # Edits in doccano, through its API: add, delete, relabel, change an attribute, unlink.
    [example] = [e for e in doccano.examples(project) if e["meta"]["id"] == EMOJI_ID]
    base = f"/v1/projects/{project}/examples/{example['id']}"
    types = {t["text"]: t["id"] for t in doccano.api("GET", f"/v1/projects/{project}/span-types")}
    text = example["text"]
    spans = doccano.api("GET", f"{base}/spans")

    def span_at(start, end, label):
        [span] = [
            s
            for s in spans
            if (s["start_offset"], s["end_offset"], s["label"]) == (start, end, types[label])
        ]
        return span

    cjk = text.index("中文")
    added = doccano.api(
        "POST",
        f"{base}/spans",
        {"label": types["ACTOR"], "start_offset": cjk, "end_offset": cjk + 2},
        expect=201,
    )
    mark = text.index("Mark")
    doccano.api("DELETE", f"{base}/spans/{span_at(mark, mark + 4, 'ACTOR')['id']}", expect=204)
    fans = span_at(0, 4, "ACTOR")
    doccano.api("PATCH", f"{base}/spans/{fans['id']}", {"label": types["ANON_SOURCE"]})
    meta = example["meta"]
    [officials] = [entry for entry in meta["byline_spans"] if entry["id"] == "officials"]
    officials["attributes"]["count"] = 3
    doccano.api("PATCH", base, {"meta": meta})
    cava = text.index("Ça va,")
    quote = span_at(cava, cava + 6, "QUOTE")
    [link] = [r for r in doccano.api("GET", f"{base}/relations") if r["from_id"] == quote["id"]]
    doccano.api("DELETE", f"{base}/relations/{link['id']}", expect=204)

    edited = tmp_path / "doccano-edited.jsonl"
    doccano.export_jsonl(project, edited)
    # Added in doccano: attributed to the user the import acts for.
    check_edits_came_back(
        edited,
        corpus,
        "doccano",
        original=original,
        original_links=original_links,
        added=(f"doccano-{added['id']}", cjk, "chief"),
        as_user="chief",
    )
