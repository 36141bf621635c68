"""spaCy DocBin (`.spacy`): `doc.spans["sc"]` holds every span, `doc.ents` those that fit in
one non-overlapping layer (longest first, as spaCy's `filter_spans`).

Texts are tokenised by a blank pipeline for the document's language (`spacy.blank`, no model
to download; English when the language is unknown, spaCy's multi-language tokenizer when
spaCy's tokenizer for it needs a package Byline does not install). A span whose ends are not
token boundaries cannot be a spaCy span: it is listed in a warning and kept in
`doc.user_data["byline"]`, which records the whole document as Byline JSON (keys, span ids,
annotators, attributes, relations) so that spaCy -> Byline gives back exactly what was
exported. DocBin keeps its token arrays in memory until the file is written.

Reading, `doc.spans["sc"]` (or `doc.ents` when there is no "sc" group) is the truth:
recorded spans still there keep their id, annotator and attributes, spans added in spaCy
come in unattributed, and spans removed in spaCy stay removed.
"""

import functools
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

from annotations.interchange.records import DocumentRecord, ImportProblem

from . import byline
from .shared import ExportSummary, check_spans, inflate, non_overlapping

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# spaCy (and numpy, srsly) are imported in the functions that use them: importing spaCy takes
# a second and 80 MB, and the format registry imports this module in every process.

USER_DATA_KEY = "byline"
SPAN_GROUP = "sc"
DEFAULT_LANGUAGE = "en"
FALLBACK_LANGUAGE = "xx"
# A DocBin is zlib-compressed msgpack, and spaCy inflates it whole: a file that inflates to
# more is refused, so that a small file cannot fill memory (a zip bomb). spaCy itself takes
# about 110 MB; this keeps a reader under 200 MB. Larger corpora go in several files.
MAX_DOCBIN_BYTES = 32 * 2**20


@functools.cache
def blank_pipeline(language: str, *, sentences: bool = False) -> tuple["Language", str]:
    """Return a blank spaCy pipeline for a BCP 47 tag, and the spaCy language it is for.

    A language whose spaCy tokenizer needs another package (Japanese, Korean, Thai, ...) or
    that spaCy does not know gets the multi-language tokenizer.
    """
    import spacy

    code = (language or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()
    try:
        nlp = spacy.blank(code)
    except ImportError:
        code, nlp = FALLBACK_LANGUAGE, spacy.blank(FALLBACK_LANGUAGE)
    if sentences:
        nlp.add_pipe("sentencizer")
    return nlp, code


def tokenizer_for(language: str | None, summary: ExportSummary) -> "Language":
    """Return the blank pipeline for `language`, warning once when it falls back."""
    nlp, code = blank_pipeline(language or "")
    if code == FALLBACK_LANGUAGE and language:
        warning = (
            f"language {language!r}: spaCy's tokenizer for it needs a package Byline does not "
            "install (or spaCy has none); tokenised with the multi-language tokenizer"
        )
        if warning not in summary.warnings:
            summary.warnings.append(warning)
    return nlp


def describe(span: dict[str, Any]) -> str:
    return f"{span['label']} [{span['start']}, {span['end']}) {span['text']!r}"


def spacy_doc(line: dict[str, Any], nlp: "Language") -> tuple["Doc", list[dict[str, Any]]]:
    """Return the spaCy Doc for one Byline line, and the spans not aligned to its tokens."""
    doc = nlp.make_doc(line["text"])
    aligned, misaligned = [], []
    for span in line["spans"]:
        spacy_span = doc.char_span(
            span["start"], span["end"], label=span["label"], alignment_mode="strict"
        )
        if spacy_span is None:
            misaligned.append(span)
        else:
            aligned.append(spacy_span)
    doc.spans[SPAN_GROUP] = aligned
    doc.ents = non_overlapping(aligned, start="start_char", end="end_char")
    payload = {key: value for key, value in line.items() if key != "text"}
    doc.user_data[USER_DATA_KEY] = orjson.dumps(payload).decode()
    return doc, misaligned


def write_spacy(lines: Iterable[dict[str, Any]], out: BinaryIO) -> ExportSummary:
    """Write a DocBin of every document, with its spans and Byline record."""
    from spacy.tokens import DocBin

    summary = ExportSummary()
    doc_bin = DocBin(store_user_data=True)
    for line in lines:
        doc, misaligned = spacy_doc(line, tokenizer_for(line["language"], summary))
        if misaligned:
            summary.warnings.append(
                f"{line['id']}: {len(misaligned)} span(s) do not align to spaCy tokens, so they "
                "are only in doc.user_data['byline']: " + "; ".join(map(describe, misaligned))
            )
        doc_bin.add(doc)
        summary.documents += 1
    out.write(doc_bin.to_bytes())
    return summary


def read_spacy(path: Path) -> Iterator[DocumentRecord]:
    """Yield the documents of a DocBin file; a Doc without a Byline record gets `<stem>-<n>`."""
    import srsly
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    data = path.read_bytes()
    # Inflated once within the limit to be checked, then again by spaCy, which takes only
    # the compressed bytes; neither copy can pass the limit.
    try:
        check_docbin(srsly.msgpack_loads(inflate(data, limit=MAX_DOCBIN_BYTES)))
    except ImportProblem as problem:
        raise problem.located(path=path) from None
    except (zlib.error, ValueError, TypeError) as error:
        raise ImportProblem(f"not a spaCy DocBin file ({error})", path=path) from None
    try:
        doc_bin = DocBin(store_user_data=True).from_bytes(data)
        docs = list(doc_bin.get_docs(Vocab()))
        layers = [spacy_spans(doc) for doc in docs]
    # check_docbin settles the arrays' shapes; spaCy checks their values as it builds each
    # Doc and its spans, and these are what it raises for values no spaCy wrote.
    except (ValueError, KeyError, TypeError, IndexError, OverflowError) as error:
        raise ImportProblem(f"not a spaCy DocBin file ({error})", path=path) from None
    for index, (doc, layer) in enumerate(zip(docs, layers, strict=True)):
        try:
            record = parse_doc(doc, layer, default_id=f"{path.stem}-{index + 1}")
        except ImportProblem as problem:
            field = f"docs[{index}]" + (f".{problem.field}" if problem.field else "")
            raise ImportProblem(problem.message, path=path, field=field) from None
        yield record


def check_docbin(message: Any) -> None:
    """Raise ImportProblem unless `message` has the keys, types and array sizes of a DocBin.

    spaCy's `DocBin.from_bytes` trusts them: no attributes divides by zero, and a token array
    that does not match the lengths fails deep inside numpy.
    """
    fields = {
        "attrs": (list,),
        "tokens": (bytes,),
        "spaces": (bytes,),
        "lengths": (bytes,),
        "strings": (list,),
        "cats": (list,),
        "flags": (list,),
        "span_groups": (list,),
        "user_data": (list,),
    }
    required = ("attrs", "tokens", "spaces", "lengths", "strings", "cats")
    import numpy
    from spacy.attrs import IDS, ORTH

    message = byline.check_object(message, fields, where="", required=required)
    attrs = message["attrs"]
    attribute_ids = set(IDS.values())
    if ORTH not in attrs or any(attr not in attribute_ids for attr in attrs):
        raise ImportProblem("must be spaCy attribute ids, ORTH among them", field="attrs")
    if len(message["lengths"]) % 4:
        raise ImportProblem("must be 32-bit integers", field="lengths")
    lengths = numpy.frombuffer(message["lengths"], dtype="int32")
    if (lengths < 0).any():
        raise ImportProblem("must not be negative", field="lengths")
    tokens = int(lengths.sum(dtype="int64"))
    if len(message["tokens"]) != tokens * len(attrs) * 8:
        raise ImportProblem(f"must hold {len(attrs)} attributes of {tokens} tokens", field="tokens")
    if len(message["spaces"]) != tokens:
        raise ImportProblem(f"must hold {tokens} booleans", field="spaces")
    for key, kind in (("cats", dict), ("flags", dict), ("span_groups", bytes)):
        values = message.get(key, [kind()] * len(lengths))
        if len(values) != len(lengths) or not all(isinstance(v, kind) for v in values):
            raise ImportProblem(f"must hold one {kind.__name__} per Doc", field=key)
    user_data = message.get("user_data", [None] * len(lengths))
    if len(user_data) != len(lengths) or not all(v is None or type(v) is bytes for v in user_data):
        raise ImportProblem("must hold one msgpack map (or null) per Doc", field="user_data")


def spacy_spans(doc: "Doc") -> list[tuple[int, int, str]]:
    """Return (start, end, label) of the spans in `doc.spans["sc"]`, or else `doc.ents`."""
    return [
        (span.start_char, span.end_char, span.label_)
        for span in doc.spans.get(SPAN_GROUP, doc.ents)
    ]


def parse_doc(doc: "Doc", layer: list[tuple[int, int, str]], *, default_id: str) -> DocumentRecord:
    """Return the document a spaCy Doc holds, preferring its spans (`layer`, as
    `spacy_spans` gives them) to its Byline record."""
    recorded: dict[str, Any] = {"id": default_id, "spans": [], "relations": []}
    if USER_DATA_KEY in doc.user_data:
        try:
            recorded = orjson.loads(doc.user_data[USER_DATA_KEY])
        except (orjson.JSONDecodeError, TypeError):
            raise ImportProblem(
                "is not Byline JSON", field=f"user_data[{USER_DATA_KEY!r}]"
            ) from None
        if not isinstance(recorded, dict):
            raise ImportProblem("is not an object", field=f"user_data[{USER_DATA_KEY!r}]")
    in_doc = Counter(layer)
    spans = []
    for span in recorded.get("spans") or []:
        try:
            key = (span["start"], span["end"], span["label"])
            misaligned = doc.char_span(span["start"], span["end"], alignment_mode="strict") is None
        except (KeyError, TypeError):
            misaligned, key = True, None
        if in_doc[key] > 0:
            in_doc[key] -= 1
            spans.append(span)
        elif misaligned:
            # It could never be a spaCy span, so spaCy cannot have removed it.
            spans.append(span)
    for key in layer:
        if in_doc[key] > 0:
            in_doc[key] -= 1
            spans.append({"start": key[0], "end": key[1], "label": key[2]})
    kept = {span.get("id") for span in spans if isinstance(span, dict)}
    relations = [
        relation
        for relation in recorded.get("relations") or []
        if not isinstance(relation, dict)
        or (relation.get("from") in kept and relation.get("to") in kept)
    ]
    record = byline.parse_object(
        {**recorded, "text": doc.text, "spans": spans, "relations": relations}
    )
    check_spans(record)
    return record
