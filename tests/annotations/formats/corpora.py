"""The corpora the format tests export and import: the annotated seeds and a synthetic one."""

import io
import json

from django.contrib.auth import get_user_model

from annotations.interchange.export import documents_for_export, write_jsonl
from annotations.interchange.imports import get_or_create_corpus, import_paths
from corpus.models import Corpus, sha256_hex
from tests.factories import SEED_PATHS, make_annotation, make_speaker_relation

NYT, CP = (path.stem for path in SEED_PATHS)


def annotate_seeds(corpus: Corpus) -> Corpus:
    """Import both seed articles into `corpus` and annotate them as an analyst would.

    22 spans by two analysts and nobody, one of them in the gold layer: actors (one nested in
    an anonymous source, one whose name runs into the next word), quotes with speakers,
    figures with values and anonymous sources with attributes.
    """
    import_paths(SEED_PATHS, corpus=corpus)
    # No password: hashing one takes most of a second.
    ana, _ = get_user_model().objects.get_or_create(username="ana")
    ben, _ = get_user_model().objects.get_or_create(username="ben")
    nyt = corpus.documents.get(external_id=NYT)
    nyt.tags.add("defence", "EU")
    make_annotation(nyt, "ACTOR", "Canada", annotator=ana)
    make_annotation(nyt, "ACTOR", "European Union", annotator=ana)
    carney = make_annotation(nyt, "ACTOR", "Prime Minister Mark Carney", annotator=ana)
    quote = make_annotation(
        nyt, "QUOTE", "the most European of non-European countries.", annotator=ana
    )
    make_speaker_relation(quote, carney)
    make_annotation(
        nyt,
        "ANON_SOURCE",
        "Two officials, one from the European Union and one from Canada, with direct "
        "knowledge of the discussions",
        annotator=ana,
        attributes={
            "count": 2,
            "affiliation": "EU and Canada",
            "reason_given": "not authorized to brief the press",
        },
    )
    # Nested in the anonymous source above.
    make_annotation(nyt, "ACTOR", "European Union", occurrence=3, annotator=ben)
    figures = [
        ("150 billion-euro", {"value": 150e9, "unit": "EUR", "approximate": False}),
        ("$163 billion", {"value": 163e9, "unit": "USD", "approximate": False}),
        ("65%", {"value": 65, "unit": "%", "approximate": False}),
        ("about 1.3%", {"value": 1.3, "unit": "%", "approximate": True}),
    ]
    for covered, attributes in figures:
        make_annotation(nyt, "FIGURE", covered, annotator=ana, attributes=attributes)
    make_annotation(
        nyt,
        "QUOTE",
        "Our cooperation with Canada has intensified and should be further enhanced, also to "
        "strengthen trans-Atlantic security",
        attributes={"comment": "speaker is a document: no ACTOR to link"},
    )
    make_annotation(nyt, "ANON_SOURCE", "the two officials", annotator=ben, attributes={"count": 2})
    make_annotation(nyt, "ACTOR", "Ursula von der Leyen", annotator=ben)
    # Adjudicated: the gold layer holds Carney too, as ben decided.
    make_annotation(nyt, "ACTOR", "Prime Minister Mark Carney", annotator=ben, is_gold=True)

    cp = corpus.documents.get(external_id=CP)
    cp.tags.add("defence")
    joly = make_annotation(cp, "ACTOR", "Foreign Affairs Minister Mélanie Joly", annotator=ana)
    for covered in (
        "Our goal is to make sure ultimately that we're closer to Europe than ever",
        "I think we need to be able to have options.",
    ):
        make_speaker_relation(make_annotation(cp, "QUOTE", covered, annotator=ana), joly)
    carney = make_annotation(cp, "ACTOR", "Prime Minister Mark Carney", annotator=ben)
    make_speaker_relation(
        make_annotation(cp, "QUOTE", "We are actively exploring", annotator=ben), carney
    )
    kallas = make_annotation(cp, "ACTOR", "Kaja Kallas", annotator=ben)
    make_speaker_relation(
        make_annotation(cp, "QUOTE", "peace brings prosperity and stability.", annotator=ben),
        kallas,
    )
    # The damaged publisher name runs into "that": no tokenizer ends a token there.
    make_annotation(
        cp,
        "ACTOR",
        "´ºÉ«Ö±²¥",
        occurrence=2,
        attributes={"comment": "The Canadian Press, GBK shown as Latin-1"},
    )
    return corpus


EMOJI = (
    "Fans 😀👍🏽 of e\u0301 and 中文 𠀀 cheered as Mark Carney spoke: “We are ready.\n"
    "We always were.”  Two officials\u00a0agreed that 👨\u200d👩\u200d👧 families got "
    "1.5 million 💶 — “Ça va,” dit Zoe\u0308.\n"
)
CHINESE = "北京市长表示：“我们准备好了。”据两名官员称，预算为３０亿元。"
JAPANESE = "東京で首相が「準備はできている」と語った。"


def span(text: str, uid: str, label: str, covered: str, occurrence: int = 0, **extra) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(covered, start + 1)
    return {
        "id": uid,
        "start": start,
        "end": start + len(covered),
        "label": label,
        "text": covered,
        "annotator": extra.get("annotator"),
        "attributes": extra.get("attributes", {}),
    }


def synthetic_lines() -> list[dict]:
    """Return Byline lines with nested and overlapping spans, relations, attributes, emoji,
    CJK and combining characters, in three languages (one that spaCy cannot tokenise without
    a package Byline does not install)."""
    emoji = {
        "id": "emoji and combining",
        "title": "Fans cheered",
        "source": "Synthetic Wire",
        "published": "2025-03-19",
        "dateline": "OTTAWA",
        "url": "https://example.com/fans",
        "language": "en",
        "tags": ["sport", "Emoji"],
        "metadata": {"import": {"file": "synthetic.jsonl"}, "nested": {"list": [1, 2.5, None]}},
        "quality_flags": [
            {"start": 5, "end": 7, "kind": "emoji", "note": "two emoji", "suggestion": None}
        ],
        "text": EMOJI,
        "spans": [
            span(EMOJI, "fans", "ACTOR", "Fans", attributes={"comment": "crowd, not an actor?"}),
            span(EMOJI, "carney", "ACTOR", "Mark Carney", annotator="ana"),
            # The same span in the adjudicated layer, by the same analyst.
            span(EMOJI, "carney-gold", "ACTOR", "Mark Carney", annotator="ana") | {"gold": True},
            span(EMOJI, "mark", "ACTOR", "Mark", annotator="ben"),
            span(EMOJI, "ready", "QUOTE", "We are ready.\nWe always were.", annotator="ana"),
            span(
                EMOJI,
                "officials",
                "ANON_SOURCE",
                "Two officials",
                attributes={"count": 2, "affiliation": None, "reason_given": ""},
            ),
            span(EMOJI, "family", "ACTOR", "👨\u200d👩\u200d👧 families"),
            span(EMOJI, "families", "ANON_SOURCE", "families got", annotator="ben"),
            span(
                EMOJI,
                "money",
                "FIGURE",
                "1.5 million 💶",
                attributes={"value": 1.5e6, "unit": "EUR", "approximate": True},
            ),
            span(EMOJI, "zoe", "ACTOR", "Zoe\u0308", annotator="ana"),
            span(EMOJI, "cava", "QUOTE", "Ça va,", annotator="ana"),
            span(EMOJI, "thumbs", "FIGURE", "😀👍🏽", attributes={"value": 2.0}),
        ],
        "relations": [
            {"type": "speaker", "from": "ready", "to": "carney"},
            {"type": "speaker", "from": "cava", "to": "zoe"},
        ],
    }
    chinese = {
        "id": "中文/北京",
        "language": "zh",
        "text": CHINESE,
        "spans": [
            span(CHINESE, "mayor", "ACTOR", "北京市长"),
            span(CHINESE, "quote", "QUOTE", "我们准备好了。"),
            span(CHINESE, "two", "ANON_SOURCE", "两名官员", attributes={"count": 2}),
            span(CHINESE, "budget", "FIGURE", "３０亿元", attributes={"value": 3e9, "unit": "CNY"}),
        ],
        "relations": [{"type": "speaker", "from": "quote", "to": "mayor"}],
    }
    japanese = {
        "id": "japanese",
        "language": "ja",
        "text": JAPANESE,
        "spans": [
            span(JAPANESE, "pm", "ACTOR", "首相"),
            span(JAPANESE, "ready", "QUOTE", "準備はできている"),
        ],
        "relations": [{"type": "speaker", "from": "ready", "to": "pm"}],
    }
    for line in (emoji, chinese, japanese):
        line["text_sha256"] = sha256_hex(line["text"])
    return [emoji, chinese, japanese]


def make_synthetic_corpus(tmp_path, name: str = "Synthetic") -> Corpus:
    """Import the synthetic lines (as Byline JSONL) into a new corpus."""
    path = tmp_path / "synthetic.jsonl"
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in synthetic_lines()),
        encoding="utf-8",
    )
    corpus = get_or_create_corpus(name)
    report = import_paths([path], corpus=corpus)
    assert not report.failures, report.failures[0].problem
    return corpus


def byline_lines(corpus: Corpus) -> list[dict]:
    """Return the corpus as exported Byline lines."""
    out = io.BytesIO()
    write_jsonl(documents_for_export(corpus.documents.all()), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def complete(partial: dict, corpus: str = "Synthetic") -> dict:
    """Return a partial Byline line with every key an export has, spans in export order."""
    line = {
        "schema_version": 1,
        "id": partial["id"],
        "corpus": corpus,
        "title": "",
        "source": "",
        "published": None,
        "dateline": None,
        "url": None,
        "language": None,
        "tags": [],
        "metadata": {},
        "quality_flags": [],
        "text": partial["text"],
        "text_sha256": sha256_hex(partial["text"]),
        "spans": [],
        "relations": [],
    }
    line.update(partial)
    line["spans"] = sorted(line["spans"], key=lambda s: (s["start"], s["end"], s["label"], s["id"]))
    return line
