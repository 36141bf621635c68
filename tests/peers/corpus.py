"""The corpus the peer tests send through doccano and Label Studio, and what they compare.

The seeds (read byte for byte from corpus/fixtures/seed) annotated by two analysts, plus the
synthetic emoji, CJK and combining-mark documents; a reviewer's gold layer with its own
speaker link, and one span that both analysts marked.
"""

import io
import json
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.models import Annotation, Relation
from corpus.models import Corpus, Membership
from tests.annotations.formats.corpora import NYT, annotate_seeds, synthetic_lines
from tests.factories import make_annotation, make_speaker_relation

REVIEWER_EMAIL = "reviewer@byline.test"
# The document both tools' tests edit: emoji, combining marks and CJK before the spans.
EMOJI_ID = "emoji and combining"


def build_corpus(tmp_path: Path, name: str = "Peers") -> Corpus:
    """Return the annotated corpus; `chief` manages it, `rita` reviews it."""
    corpus = get_or_create_corpus(name)
    annotate_seeds(corpus)
    synthetic = tmp_path / "synthetic.jsonl"
    synthetic.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in synthetic_lines()),
        encoding="utf-8",
    )
    report = import_paths([synthetic], corpus=corpus)
    assert not report.failures, report.failures[0].problem
    User = get_user_model()
    rita = User.objects.create(username="rita", email=REVIEWER_EMAIL)
    chief = User.objects.create(username="chief")
    ana, ben = User.objects.get(username="ana"), User.objects.get(username="ben")
    for user, role in (
        (chief, "manager"),
        (rita, "reviewer"),
        (ana, "annotator"),
        (ben, "annotator"),
    ):
        Membership.objects.create(corpus=corpus, user=user, role=role)
    nyt = corpus.documents.get(external_id=NYT)
    # Both analysts marked "Canada": Label Studio once made such a file fail.
    make_annotation(nyt, "ACTOR", "Canada", annotator=ben)
    # The reviewer's gold: a quote linked to the gold Carney.
    gold_carney = nyt.annotations.get(is_gold=True, text="Prime Minister Mark Carney")
    quote = make_annotation(
        nyt,
        "QUOTE",
        "the most European of non-European countries.",
        annotator=rita,
        is_gold=True,
    )
    make_speaker_relation(quote, gold_carney)
    return corpus


def export(corpus: Corpus, path: Path, format_name: str) -> str:
    """Export `corpus` with the command, as a person would; return what it printed."""
    err = io.StringIO()
    call_command(
        "export_annotations", corpus=corpus.name, format=format_name, output=str(path), stderr=err
    )
    return err.getvalue()


def import_back(path: Path, corpus_name: str, format_name: str, **options) -> str:
    """Import `path` with the command; return what it printed."""
    out = io.StringIO()
    call_command(
        "import_documents", str(path), corpus=corpus_name, format=format_name, stdout=out, **options
    )
    return out.getvalue()


def spans_of(corpus: Corpus) -> dict[tuple[str, str], tuple]:
    """Return every span of `corpus` by (document id, span id): label, range, text, analyst,
    gold, attributes."""
    return {
        (span.document.external_id, span.uid): (
            span.label.key,
            span.start,
            span.end,
            span.text,
            span.annotator.username if span.annotator else None,
            span.is_gold,
            json.dumps(span.attributes, sort_keys=True),
        )
        for span in Annotation.objects.filter(document__corpus=corpus).select_related(
            "label", "annotator", "document"
        )
    }


def links_of(corpus: Corpus) -> set[tuple[str, str, str, str]]:
    """Return every link of `corpus`: (document id, source span id, type, target span id)."""
    return {
        (link.document.external_id, link.source.uid, link.type, link.target.uid)
        for link in Relation.objects.filter(document__corpus=corpus).select_related(
            "document", "source", "target"
        )
    }


def ranges_of(corpus: Corpus) -> dict[str, Counter]:
    """Return, by document id, how often each (start, end, label, covered text) occurs."""
    ranges: dict[str, Counter] = {}
    for (document, _), (label, start, end, text, *_) in spans_of(corpus).items():
        ranges.setdefault(document, Counter())[(start, end, label, text)] += 1
    return ranges


def linked_ranges_of(corpus: Corpus) -> dict[str, Counter]:
    """Return, by document id, each link as (source range and label, type, target's)."""
    spans = spans_of(corpus)
    linked: dict[str, Counter] = {}
    for document, source, link_type, target in links_of(corpus):
        ends = [spans[document, uid] for uid in (source, target)]
        key = tuple((end[1], end[2], end[0]) for end in ends)
        linked.setdefault(document, Counter())[(key[0], link_type, key[1])] += 1
    return linked


def check_edits_came_back(
    path: Path,
    corpus: Corpus,
    format_name: str,
    *,
    original: dict,
    original_links: set,
    added: tuple[str, int, str],
    **options,
) -> None:
    """Assert that the edits both tools' tests make in the document EMOJI_ID come back from
    `path`: reported, not applied, by a plain import; applied by `--update` (with `options`);
    a no-op when applied again.

    The edits: "Mark" deleted, "Fans" relabelled ANON_SOURCE, the officials' count set to 3,
    the speaker link of "Ça va," deleted, and an ACTOR added over "中文"; `added` is that
    span's (uid, start, analyst).
    """
    summary = (
        "1 spans added, 1 removed, 1 relabelled, 1 with other attributes, 0 links added, 1 removed"
    )
    printed = import_back(path, corpus.name, format_name)
    assert f"unchanged 4, changed 1: {summary}" in printed
    assert spans_of(corpus) == original
    printed = import_back(path, corpus.name, format_name, update=True, **options)
    assert f"updated 1 documents: {summary}" in printed

    expected = dict(original)
    del expected[EMOJI_ID, "mark"]
    expected[EMOJI_ID, "fans"] = ("ANON_SOURCE", *original[EMOJI_ID, "fans"][1:])
    *kept, _ = original[EMOJI_ID, "officials"]
    expected[EMOJI_ID, "officials"] = (
        *kept,
        '{"affiliation": null, "count": 3, "reason_given": ""}',
    )
    uid, start, analyst = added
    expected[EMOJI_ID, uid] = ("ACTOR", start, start + 2, "中文", analyst, False, "{}")
    assert spans_of(corpus) == expected
    assert links_of(corpus) == original_links - {(EMOJI_ID, "cava", "speaker", "zoe")}
    printed = import_back(path, corpus.name, format_name, update=True, **options)
    assert "unchanged 5, failed files 0 of 1" in printed
