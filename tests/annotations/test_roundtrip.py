"""Every format, both ways: import -> export -> import -> export gives the same bytes, and what
comes back is exactly what the format can express."""

import pytest

from annotations.formats import FORMATS
from annotations.formats.spacy import blank_pipeline
from annotations.interchange.export import documents_for_export, export_to_path
from annotations.interchange.imports import get_or_create_corpus, import_paths
from tests.annotations.formats.corpora import annotate_seeds, byline_lines, make_synthetic_corpus

DOCUMENT_KEYS = (
    "title",
    "source",
    "published",
    "dateline",
    "url",
    "language",
    "tags",
    "metadata",
    "quality_flags",
    "text_sha256",
)
# What each format cannot carry (docs/export-format.md says the same).
LOST = {
    "byline": set(),
    "doccano": set(),
    "label-studio": set(),
    "spacy": set(),
    "prodigy": set(),
    "webanno": set(),
    "brat": {"document keys", "span ids"},
    "conll": {"span ids", "annotators", "attributes", "relations", "overlapping spans"},
}


def export_file(corpus, format_name, path):
    export_to_path(documents_for_export(corpus.documents.all()), path, format_name=format_name)
    return path.read_bytes()


def reimport(path, format_name, name):
    corpus = get_or_create_corpus(name)
    report = import_paths([path], corpus=corpus, format_name=format_name, create_labels=True)
    assert not report.failures, report.failures[0].problem
    return corpus


def delete_corpus(corpus):
    corpus.documents.all().delete()
    corpus.delete()


def expressible(line, lost):
    """Return what of a Byline line a format with losses `lost` can carry, comparably."""
    position = {span["id"]: index for index, span in enumerate(line["spans"])}
    kept = {"id": line["id"], "text": line["text"]}
    if "document keys" not in lost:
        kept |= {key: line[key] for key in DOCUMENT_KEYS}
    kept["spans"] = []
    for span in line["spans"]:
        entry = {key: span[key] for key in ("start", "end", "label", "text")}
        if "span ids" not in lost:
            entry["id"] = span["id"]
        if "annotators" not in lost:
            entry["annotator"] = span["annotator"]
            entry["gold"] = span.get("gold", False)
        if "attributes" not in lost:
            entry["attributes"] = span["attributes"]
        kept["spans"].append(entry)
    if "relations" not in lost:
        kept["relations"] = sorted(
            (relation["type"], position[relation["from"]], position[relation["to"]])
            for relation in line["relations"]
        )
    return kept


def assert_conll_kept_what_it_can(original, imported):
    """CoNLL keeps one layer: spans that overlap no longer span and start and end on tokens."""
    for before, after in zip(original, imported, strict=True):
        nlp, _ = blank_pipeline(before["language"] or "")
        doc = nlp.make_doc(before["text"])
        kept = [(s["start"], s["end"], s["label"]) for s in after["spans"]]
        assert set(kept) <= {(s["start"], s["end"], s["label"]) for s in before["spans"]}
        for index, (start, end, _) in enumerate(kept):
            assert all(end <= other[0] or start >= other[1] for other in kept[index + 1 :])
        for span in before["spans"]:
            key = (span["start"], span["end"], span["label"])
            if key in kept:
                continue
            length = span["end"] - span["start"]
            overlaps_longer = any(
                start < span["end"] and span["start"] < end and end - start >= length
                for start, end, _ in kept
            )
            aligned = doc.char_span(span["start"], span["end"], alignment_mode="strict")
            assert overlaps_longer or aligned is None, span


def first_of_each(spans, kept):
    """Return the first span of `spans` at each (start, end, label) that `kept` has."""
    wanted = {(span["start"], span["end"], span["label"]) for span in kept}
    found = {}
    for span in spans:
        found.setdefault((span["start"], span["end"], span["label"]), span)
    return [span for key, span in found.items() if key in wanted]


@pytest.fixture(params=["seed", "synthetic"])
def source(request, corpus, tmp_path):
    if request.param == "seed":
        return annotate_seeds(corpus)
    return make_synthetic_corpus(tmp_path)


@pytest.mark.django_db
@pytest.mark.parametrize("format_name", list(FORMATS))
def test_import_export_import_export_is_byte_stable_and_keeps_what_the_format_can(
    source, format_name, tmp_path
):
    fmt = FORMATS[format_name]
    suffix = ".zip" if fmt.folder else fmt.suffix
    name = source.name
    original = byline_lines(source)
    first = export_file(source, format_name, tmp_path / f"first{suffix}")
    delete_corpus(source)

    imported = reimport(tmp_path / f"first{suffix}", format_name, name)
    second = export_file(imported, format_name, tmp_path / f"second{suffix}")
    assert second == first
    back = byline_lines(imported)
    delete_corpus(imported)

    again = reimport(tmp_path / f"second{suffix}", format_name, name)
    assert export_file(again, format_name, tmp_path / f"third{suffix}") == second

    lost = LOST[format_name]
    if "overlapping spans" in lost:
        assert_conll_kept_what_it_can(original, back)
        original = [
            line | {"spans": first_of_each(line["spans"], kept["spans"])}
            for line, kept in zip(original, back, strict=True)
        ]
    assert [expressible(line, lost) for line in back] == [
        expressible(line, lost) for line in original
    ]
