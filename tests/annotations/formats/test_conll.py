import io

import pytest

from annotations.formats.conll import write_conll
from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.interchange.read import read_records
from tests.annotations.formats.corpora import complete

TEXT = "\n Carney  said: “Ready. Now.”\u00a0Two officials agreed.\n"


def span(uid, label, covered, **extra):
    start = TEXT.index(covered)
    return {
        "id": uid,
        "start": start,
        "end": start + len(covered),
        "label": label,
        "text": covered,
        "annotator": None,
        "attributes": {},
    } | extra


LINE = {
    "id": "tiny",
    "title": "Tiny",
    "text": TEXT,
    "spans": [
        span("carney", "ACTOR", "Carney"),
        span("quote", "QUOTE", "Ready. Now."),
        span("two", "ANON_SOURCE", "Two officials", attributes={"count": 2}),
        span("officials", "ACTOR", "officials"),
        span("half", "ACTOR", "Carn"),
    ],
    "relations": [{"type": "speaker", "from": "quote", "to": "carney"}],
}


def conll(*lines):
    out = io.BytesIO()
    summary = write_conll([complete(line) for line in lines], out)
    return out.getvalue().decode(), summary


def test_tokens_carry_their_whitespace_and_iob2_tags():
    text, summary = conll(LINE)
    lines = text.splitlines()
    assert lines[0] == "# newdoc id = tiny"
    assert lines[1].startswith('# meta = {"id":"tiny","title":"Tiny",')
    assert lines[2:] == [
        "Carney\tSpacesBefore=\\n\\s|SpacesAfter=\\s\\s\tB-ACTOR",
        "said\tSpaceAfter=No\tO",
        ":\t_\tO",
        "“\tSpaceAfter=No\tO",
        "Ready\tSpaceAfter=No\tB-QUOTE",
        # The sentencizer would end the sentence here; a span is never cut.
        ".\t_\tI-QUOTE",
        "Now\tSpaceAfter=No\tI-QUOTE",
        ".\tSpaceAfter=No\tI-QUOTE",
        "”\tSpacesAfter=\\u00a0\tO",
        "",
        "Two\t_\tB-ANON_SOURCE",
        "officials\t_\tI-ANON_SOURCE",
        "agreed\tSpaceAfter=No\tO",
        ".\tSpacesAfter=\\n\tO",
        "",
    ]
    assert summary.warnings == [
        "1 span(s) overlapping a longer span were left out",
        "1 span(s) not aligned to tokens were left out",
        "1 relation(s) cannot be expressed in CoNLL and were left out",
    ]


def test_reading_it_back_gives_the_text_exactly_and_the_spans_it_kept(tmp_path):
    path = tmp_path / "tiny.conll"
    path.write_text(conll(LINE)[0], encoding="utf-8")
    [record] = read_records(path, format_name="conll")
    assert record.text == TEXT
    assert (record.external_id, record.title) == ("tiny", "Tiny")
    assert [(TEXT[s.start : s.end], s.label, s.uid, s.attributes) for s in record.spans] == [
        ("Carney", "ACTOR", None, {}),
        ("Ready. Now.", "QUOTE", None, {}),
        ("Two officials", "ANON_SOURCE", None, {}),
    ]
    assert record.relations == []


def test_sentences_are_separated_by_a_blank_line():
    text = "Carney spoke. Joly agreed."
    written, _ = conll({"id": "s", "text": text, "spans": []})
    assert "spoke\tSpaceAfter=No\tO\n.\t_\tO\n\nJoly\t_\tO\n" in written


def test_a_conll_2003_file_reads_as_tokens_joined_by_spaces(tmp_path):
    path = tmp_path / "eng.train"
    path.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n\n"
        "Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n"
        "-DOCSTART- -X- -X- O\n\nBRUSSELS NNP B-NP B-LOC\n",
        encoding="utf-8",
    )
    first, second = read_records(path, format_name="conll")
    assert first.text == "EU rejects German call\nPeter Blackburn"
    assert [(first.text[s.start : s.end], s.label) for s in first.spans] == [
        ("EU", "ORG"),
        ("German", "MISC"),
        ("Peter Blackburn", "PER"),
    ]
    assert (second.external_id, second.text) == ("eng-2", "BRUSSELS")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Carney\t_\tB-\n", ":1: tag 'B-' is not O, B-LABEL or I-LABEL"),
        ("Carney\t_\tS-ACTOR\n", ":1: tag 'S-ACTOR' is not O, B-LABEL or I-LABEL"),
        ("# newdoc id = d\n# meta = [1]\nx\t_\tO\n", ":2: meta: expected an object, got array"),
        ("# newdoc id = d\n# meta = {oops\n", ":2: invalid JSON"),
        ("Carney\tSpacesAfter=\\q\tO\n", ":1: SpacesAfter: bad escape in '\\\\q'"),
        ("Carney\n", ":1: expected a token and a tag"),
    ],
)
def test_a_broken_conll_file_fails_with_its_line(tmp_path, content, message):
    path = tmp_path / "bad.conll"
    path.write_text(content, encoding="utf-8")
    report = import_paths([path], corpus=get_or_create_corpus("c"), format_name="conll")
    [failure] = report.failures
    assert str(failure.problem).startswith(f"{path}{message}")
