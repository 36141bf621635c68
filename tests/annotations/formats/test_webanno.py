import io
import json

import pytest

from annotations.formats.webanno import write_webanno
from annotations.interchange.imports import get_or_create_corpus, import_paths
from annotations.interchange.read import read_records
from tests.annotations.formats.corpora import EMOJI, complete, synthetic_lines


def pages(*lines):
    out = io.BytesIO()
    write_webanno([complete(line) for line in lines], out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def write(tmp_path, *objects):
    path = tmp_path / "pages.jsonl"
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), "utf-8")
    return path


def test_a_span_is_an_annotation_with_position_and_quote_selectors():
    emoji, *_ = synthetic_lines()
    [page] = pages(emoji)
    assert page["type"] == "AnnotationPage"
    assert page["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert page["id"] == "urn:byline:synthetic:emoji%20and%20combining"
    assert page["document"]["text"] == EMOJI
    carney = next(item for item in page["items"] if item["id"].endswith("#carney"))
    position, quote = carney["target"]["selector"]
    start = EMOJI.index("Mark Carney")
    # Code points, as the Web Annotation Data Model requires: the emoji before count once.
    assert position == {"type": "TextPositionSelector", "start": start, "end": start + 11}
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "Mark Carney",
        "prefix": EMOJI[start - 32 : start],
        "suffix": EMOJI[start + 11 : start + 43],
    }
    assert len(quote["prefix"]) == 32
    assert carney["creator"] == {"type": "Person", "nickname": "ana"}
    assert carney["body"] == [{"type": "TextualBody", "purpose": "tagging", "value": "ACTOR"}]
    fans = next(item for item in page["items"] if item["id"].endswith("#fans"))
    assert fans["body"][1] == {
        "type": "TextualBody",
        "purpose": "commenting",
        "value": "crowd, not an actor?",
    }
    assert fans["target"]["selector"][1]["prefix"] == ""
    link = next(item for item in page["items"] if item["motivation"] == "linking")
    assert link["target"] == f"{page['id']}#ready"
    assert link["body"] == [
        {"type": "TextualBody", "purpose": "tagging", "value": "speaker"},
        f"{page['id']}#carney",
    ]


def test_spans_are_anchored_again_by_their_quote_when_the_text_changed(tmp_path):
    emoji, *_ = synthetic_lines()
    [page] = pages(emoji)
    # Text inserted before every span, and "Mark Carney" now also appears earlier.
    page["document"]["text"] = "Mark Carney 🎉 " + EMOJI
    page["document"].pop("text_sha256")
    [record] = read_records(write(tmp_path, page), format_name="webanno")
    by_uid = {span.uid: span for span in record.spans}
    carney = by_uid["carney"]
    moved = len("Mark Carney 🎉 ") + EMOJI.index("Mark Carney")
    assert (carney.start, carney.end) == (moved, moved + 11)
    assert record.text[carney.start : carney.end] == "Mark Carney"
    assert record.text[by_uid["fans"].start : by_uid["fans"].end] == "Fans"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "message"),
    [
        ({"type": "AnnotationPage", "items": []}, ":1: document: is required"),
        (
            {
                "document": {"id": "d", "text": "Short text."},
                "items": [
                    {
                        "id": "x#a",
                        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "ACTOR"}],
                        "target": {"selector": {"type": "TextQuoteSelector", "exact": "Long"}},
                    }
                ],
            },
            ":1: items[0].target: the quoted text 'Long' is not in the document",
        ),
        (
            {
                "document": {"id": "d", "text": "Short text."},
                "items": [{"id": "x#a", "body": [], "target": {}}],
            },
            ":1: items[0].body: needs one tagging body, the label",
        ),
    ],
)
def test_a_broken_page_fails_the_file_with_its_line_and_field(tmp_path, page, message):
    path = write(tmp_path, page)
    report = import_paths([path], corpus=get_or_create_corpus("w3c"), format_name="webanno")
    [failure] = report.failures
    assert str(failure.problem).startswith(f"{path}{message}")
