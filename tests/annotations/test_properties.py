"""Property tests: whatever documents and spans, export -> import -> export is the identity."""

import html
import io
import json
import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.highlight import render_highlighted_text
from annotations.interchange.export import documents_for_export, write_jsonl
from annotations.interchange.imports import get_or_create_corpus, import_paths

LABELS = ["ACTOR", "FIGURE", "QUOTE", "ANON_SOURCE"]
# Characters that break naive offset arithmetic or rendering: astral emoji, skin tones, ZWJ,
# combining accents, CJK (BMP and astral), RTL, quotes, markup, line breaks.
TRICKY = "😀👍🏽‍👩e\u0301中文𠀀שלום“”‘’<>&\"'\n\r\t\u00a0Â´ºÉ"
text_characters = st.one_of(
    st.sampled_from(TRICKY),
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
)


@st.composite
def documents(draw):
    text = draw(st.text(text_characters, min_size=1, max_size=120))
    ranges = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(text) - 1), st.integers(1, len(text)), st.sampled_from(LABELS)
            ).filter(lambda r: r[0] < r[1]),
            max_size=12,
            unique=True,
        )
    )
    spans = [
        {
            "id": f"s{index}",
            "start": start,
            "end": end,
            "label": label,
            "text": text[start:end],
            "annotator": draw(st.sampled_from([None, "ana", "ben"])),
            "attributes": (
                {"value": draw(st.integers(-(10**12), 10**12)), "approximate": True}
                if label == "FIGURE"
                else {"comment": draw(st.text(text_characters, max_size=10))}
            ),
        }
        for index, (start, end, label) in enumerate(ranges)
    ]
    # Same label and range twice is allowed only for different annotators.
    seen, unique_spans = set(), []
    for span in spans:
        key = (span["label"], span["start"], span["end"], span["annotator"])
        if key not in seen:
            seen.add(key)
            unique_spans.append(span)
    # A quote's speaker is in the quote's own layer (the same annotator's).
    relations = []
    for quote in (s for s in unique_spans if s["label"] == "QUOTE"):
        speakers = [
            s["id"]
            for s in unique_spans
            if s["label"] in ("ACTOR", "ANON_SOURCE") and s["annotator"] == quote["annotator"]
        ]
        if speakers and draw(st.booleans()):
            relations.append(
                {"type": "speaker", "from": quote["id"], "to": draw(st.sampled_from(speakers))}
            )
    return {
        "text": text,
        "title": draw(st.text(text_characters, max_size=30)),
        "tags": draw(st.lists(st.sampled_from(["defence", "canada", "eu"]), unique=True)),
        "spans": unique_spans,
        "relations": relations,
    }


def export_corpus(corpus) -> str:
    out = io.BytesIO()
    write_jsonl(documents_for_export(corpus.documents.all()), out)
    return out.getvalue().decode()


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(documents(), min_size=1, max_size=3, unique_by=lambda d: d["text"]))
def test_export_then_import_is_the_identity(tmp_path, batch):
    source = tmp_path / f"{uuid.uuid4().hex}.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": f"doc{index}", **document}) + "\n"
            for index, document in enumerate(batch)
        )
    )
    first = get_or_create_corpus(f"first {uuid.uuid4().hex}")
    report = import_paths([source], corpus=first)
    assert not report.failures, report.failures[0].problem
    exported = export_corpus(first)
    for line, document in zip(exported.splitlines(), batch, strict=True):
        record = json.loads(line)
        assert record["text"] == document["text"]
        assert {(s["start"], s["end"], s["label"], s["id"]) for s in record["spans"]} == {
            (s["start"], s["end"], s["label"], s["id"]) for s in document["spans"]
        }
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
        assert len(record["relations"]) == len(document["relations"])

    again = tmp_path / f"{uuid.uuid4().hex}.jsonl"
    again.write_text(exported)
    second = get_or_create_corpus(f"second {uuid.uuid4().hex}")
    assert not import_paths([again], corpus=second).failures
    assert export_corpus(second).replace(second.name, first.name) == exported


@given(
    st.text(text_characters, min_size=1, max_size=80).flatmap(
        lambda text: st.tuples(
            st.just(text),
            st.lists(
                st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))).filter(
                    lambda r: r[0] < r[1]
                ),
                max_size=8,
            ),
        )
    )
)
def test_highlighted_text_keeps_every_character_and_marks_every_span(case):
    text, ranges = case
    spans = [(start, end, "ACTOR", "#123456") for start, end in ranges]
    rendered = str(render_highlighted_text(text, spans, []))
    visible = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert visible == text
    for start, end in ranges:
        assert f"ACTOR [{start}, {end})" in rendered
