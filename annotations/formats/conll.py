"""CoNLL IOB2 token tags, one token per line, for the spans that fit in one layer.

    # newdoc id = 000_9ef51539471ca535
    # meta = {"title": "...", "language": null, ...}
    OTTAWA<TAB>SpaceAfter=No<TAB>B-ACTOR
    ,<TAB>_<TAB>I-ACTOR

The first column is the token, the last the IOB2 tag (as CoNLL-2003 readers expect), the
middle one the whitespace after the token in CoNLL-U's MISC notation: `_` for one space,
`SpaceAfter=No`, or `SpacesAfter=` with `\\s` (space), `\\t`, `\\n`, `\\r`, `\\\\` and `\\uXXXX`
for other whitespace; the first token may also record `SpacesBefore=`. So the text comes
back exactly. Tokens come from spaCy's blank tokenizer for the document's language, and
sentences (separated by a blank line) from its rule-based sentencizer, never inside a span.
`# newdoc id` and `# meta` (the document keys as JSON) are CoNLL-U comment lines.

What CoNLL cannot express is left out and counted in a warning: spans that overlap a longer
(or, of equal length, earlier) span, spans whose ends are not token boundaries, relations,
span ids, annotators, layers and attributes.

Reading also takes plain CoNLL-2003-like files (token first, tag last, space or tab
separated, `-DOCSTART-` between documents): their text is the tokens joined by single spaces
and sentences by newlines.
"""

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

from annotations.interchange.records import DocumentRecord, ImportProblem

from . import byline
from .shared import ExportSummary, check_spans, document_fields, non_overlapping
from .spacy import blank_pipeline, tokenizer_for

if TYPE_CHECKING:
    from spacy.tokens import Doc

ESCAPES = {" ": "\\s", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\"}
UNESCAPES = {value[1]: key for key, value in ESCAPES.items()}
WHITESPACE_KEYS = {"SpacesBefore", "SpacesAfter", "SpaceAfter"}


def escape(whitespace: str) -> str:
    """Return `whitespace` in MISC notation, with no whitespace character left in it."""
    return "".join(
        ESCAPES.get(
            char, char if char.isprintable() and not char.isspace() else f"\\u{ord(char):04x}"
        )
        for char in whitespace
    )


def unescape(value: str, *, field: str) -> str:
    """Return the whitespace that `escape` wrote as `value`."""
    out, index = [], 0
    while index < len(value):
        char = value[index]
        if char != "\\":
            out.append(char)
            index += 1
        elif value[index + 1 : index + 2] in UNESCAPES:
            out.append(UNESCAPES[value[index + 1]])
            index += 2
        elif value[index + 1 : index + 2] == "u" and re.fullmatch(
            r"[0-9a-f]{4}", value[index + 2 : index + 6]
        ):
            out.append(chr(int(value[index + 2 : index + 6], 16)))
            index += 6
        else:
            raise ImportProblem(f"bad escape in {value!r}", field=field)
    return "".join(out)


def whitespace_column(before: str, after: str) -> str:
    """Return the MISC value recording the whitespace around one token."""
    parts = [f"SpacesBefore={escape(before)}"] if before else []
    if after != " " or parts:
        parts.append("SpaceAfter=No" if after == "" else f"SpacesAfter={escape(after)}")
    return "|".join(parts) or "_"


def token_tags(doc: "Doc", spans: list[Any]) -> dict[int, str]:
    """Return the IOB2 tag of each token index that a span covers."""
    tags = {}
    for span in spans:
        words = [token.i for token in span if not token.is_space]
        for position, index in enumerate(words):
            tags[index] = ("B-" if position == 0 else "I-") + span.label_
    return tags


def kept_spans(doc: "Doc", line: dict[str, Any]) -> tuple[list[Any], int, int]:
    """Return the spaCy spans CoNLL can hold, how many overlapped, and how many misaligned."""
    aligned, misaligned = [], 0
    for span in line["spans"]:
        spacy_span = doc.char_span(
            span["start"], span["end"], label=span["label"], alignment_mode="strict"
        )
        if spacy_span is None or spacy_span[0].is_space or spacy_span[-1].is_space:
            misaligned += 1
        else:
            aligned.append(spacy_span)
    kept = non_overlapping(aligned, start="start_char", end="end_char")
    return kept, len(aligned) - len(kept), misaligned


def conll_lines(line: dict[str, Any], doc: "Doc", spans: list[Any]) -> Iterator[str]:
    """Yield the lines (without newlines) of one document."""
    yield f"# newdoc id = {' '.join(line['id'].splitlines())}"
    yield f"# meta = {orjson.dumps({'id': line['id'], **document_fields(line)}).decode()}"
    tags = token_tags(doc, spans)
    words = [token for token in doc if not token.is_space]
    before = doc.text[: words[0].idx]
    previous = None
    for number, word in enumerate(words):
        following = words[number + 1].idx if number + 1 < len(words) else len(doc.text)
        after = doc.text[word.idx + len(word.text) : following]
        tag = tags.get(word.i, "O")
        if (
            previous is not None
            and not tag.startswith("I-")
            and any(doc[index].is_sent_start for index in range(previous.i + 1, word.i + 1))
        ):
            yield ""
        yield f"{word.text}\t{whitespace_column(before if number == 0 else '', after)}\t{tag}"
        previous = word
    yield ""


def write_conll(lines: Iterable[dict[str, Any]], out: BinaryIO) -> ExportSummary:
    """Write the documents' tokens and IOB2 tags; warn about what CoNLL cannot hold."""
    summary = ExportSummary()
    overlapped = misaligned = relations = empty = 0
    for line in lines:
        nlp, _ = blank_pipeline(tokenizer_for(line["language"], summary).lang, sentences=True)
        doc = nlp(line["text"])
        if all(token.is_space for token in doc):
            empty += 1
            continue
        spans, left_over, left_misaligned = kept_spans(doc, line)
        overlapped += left_over
        misaligned += left_misaligned
        relations += len(line["relations"])
        out.write("".join(text + "\n" for text in conll_lines(line, doc, spans)).encode())
        summary.documents += 1
    notes = [
        (overlapped, "span(s) overlapping a longer span were left out"),
        (misaligned, "span(s) not aligned to tokens were left out"),
        (relations, "relation(s) cannot be expressed in CoNLL and were left out"),
        (empty, "document(s) with only whitespace have no tokens and were left out"),
    ]
    summary.warnings += [f"{count} {what}" for count, what in notes if count]
    return summary


class DocumentBuilder:
    """Rebuild one document's text and spans from its token lines."""

    def __init__(self, *, external_id: str, line: int) -> None:
        self.external_id = external_id
        self.line = line
        self.meta: dict[str, Any] = {}
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[dict[str, Any]] = []
        self.open: dict[str, Any] | None = None
        # Whether the last token's whitespace is implied (plain CoNLL) rather than recorded.
        self.implied = False
        self.sentence_ended = False

    def append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def add_token(self, columns: list[str], *, line: int) -> None:
        token, tag = columns[0], columns[-1]
        before, after = "", None
        if len(columns) == 3 and is_whitespace_column(columns[1]):
            before, after = parse_whitespace(columns[1], line=line)
        if self.implied:
            self.append("\n" if self.sentence_ended else " ")
        self.sentence_ended = False
        self.append(before)
        start = self.length
        self.append(token)
        self.add_tag(tag, start, line=line)
        self.implied = after is None
        if after is not None:
            self.append(after)

    def add_tag(self, tag: str, start: int, *, line: int) -> None:
        end = self.length
        if tag == "O":
            self.open = None
        elif tag.startswith("I-") and self.open and self.open["label"] == tag[2:]:
            self.open["end"] = end
        elif tag[:2] in ("B-", "I-") and len(tag) > 2:
            self.open = {"id": None, "start": start, "end": end, "label": tag[2:]}
            self.spans.append(self.open)
        else:
            raise ImportProblem(f"tag {tag!r} is not O, B-LABEL or I-LABEL", line=line)

    def end_sentence(self) -> None:
        self.sentence_ended = True

    def record(self) -> DocumentRecord:
        fields = {key: value for key, value in self.meta.items() if key != "id"}
        record = byline.parse_object(
            {
                **fields,
                "id": self.meta.get("id", self.external_id),
                "text": "".join(self.parts),
                "spans": self.spans,
                "relations": [],
            }
        )
        record.line = self.line
        check_spans(record)
        return record


def is_whitespace_column(value: str) -> bool:
    return value == "_" or all(
        part.partition("=")[0] in WHITESPACE_KEYS and "=" in part for part in value.split("|")
    )


def parse_whitespace(value: str, *, line: int) -> tuple[str, str]:
    """Return the whitespace before and after a token that a MISC value records."""
    before, after = "", " "
    for part in value.split("|") if value != "_" else []:
        key, _, escaped = part.partition("=")
        if key == "SpacesBefore":
            before = unescape(escaped, field="SpacesBefore")
        elif key == "SpacesAfter":
            after = unescape(escaped, field="SpacesAfter")
        elif escaped == "No":
            after = ""
        else:
            raise ImportProblem(f"SpaceAfter={escaped} is not SpaceAfter=No", line=line)
    return before, after


def read_conll(path: Path) -> Iterator[DocumentRecord]:
    """Yield the documents of a CoNLL file; one without `# newdoc id` gets `<stem>-<n>`."""
    count = 0
    builder = DocumentBuilder(external_id=f"{path.stem}-1", line=1)
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                text = raw.decode("utf-8").rstrip("\n").rstrip("\r")
                if text.startswith("# newdoc") or text.startswith("-DOCSTART-"):
                    if builder.parts:
                        count += 1
                        yield builder.record()
                    _, _, named = text.partition("# newdoc id = ")
                    builder = DocumentBuilder(
                        external_id=named or f"{path.stem}-{count + 1}", line=number
                    )
                elif text.startswith("# meta = ") and "\t" not in text:
                    builder.meta = byline.check_object(
                        orjson.loads(text.removeprefix("# meta = ")), {}, where="meta", required=()
                    )
                elif text.startswith("#") and "\t" not in text:
                    continue
                elif not text.strip():
                    builder.end_sentence()
                else:
                    columns = text.split("\t") if "\t" in text else text.split()
                    if len(columns) < 2:
                        raise ImportProblem("expected a token and a tag")
                    builder.add_token(columns, line=number)
            except UnicodeDecodeError as error:
                raise ImportProblem(f"not UTF-8: {error.reason}", path=path, line=number) from None
            except orjson.JSONDecodeError as error:
                raise ImportProblem(f"invalid JSON: {error}", path=path, line=number) from None
            except ImportProblem as problem:
                raise problem.located(path=path, line=number) from None
    if builder.parts:
        try:
            yield builder.record()
        except ImportProblem as problem:
            raise problem.located(path=path, line=builder.line) from None
