"""Say a recorded change as a sentence a person reads: label names, the spans a link joins,
gold marked as gold. The history page shows these; `history.describe` stays the terse form
that revert messages use.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotations.models import Annotation, Label
from corpus.models import Document

# How much of a span's text a sentence quotes before an ellipsis.
QUOTED_CHARACTERS = 40
VERBS = {"created": "Added", "changed": "Changed", "deleted": "Deleted"}
LINK_VERBS = {"created": "Linked", "changed": "Relinked", "deleted": "Unlinked"}


def quoted(text: str) -> str:
    """Return `text` in single quotation marks, cut to QUOTED_CHARACTERS with an ellipsis."""
    text = " ".join(text.split())
    if len(text) > QUOTED_CHARACTERS:
        text = text[: QUOTED_CHARACTERS - 1].rstrip() + "…"
    return f"‘{text}’"


def with_article(word: str) -> str:
    """Return `word` after "a" or "an", by how it is read: "an ACTOR span", "a QUOTE span"."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


@dataclass(frozen=True)
class Wording:
    """What sentences about one document's changes need: label keys and span texts by id."""

    label_keys: Mapping[int, str]
    span_texts: Mapping[int, str]

    def label(self, label_id: object) -> str:
        return self.label_keys.get(label_id, "an unknown label") if label_id else "no label"

    def span(self, span_id: object) -> str:
        text = self.span_texts.get(span_id)
        return quoted(text) if text is not None else f"a span no longer recorded (#{span_id})"

    def headline(self, kind: str, action: str, record) -> str:
        """Return the sentence that says what `record` (a history row) did."""
        if kind == "span":
            gold = "gold " if record.is_gold else ""
            span = f"{gold}{self.label(record.label_id)} span"
            return f"{VERBS[action]} {with_article(span)} {quoted(record.text)}"
        if kind == "relation":
            return (
                f"{LINK_VERBS[action]} the speaker of {self.span(record.source_id)}: "
                f"{self.span(record.target_id)}"
            )
        return f"{VERBS[action]} the document"

    def change_line(self, kind: str, record, field: str, before: object, after: object) -> str:
        """Return one changed field of `record` as a line: "label: ANON_SOURCE → ACTOR"."""
        if field == "label":
            return f"label: {self.label(before)} → {self.label(after)}"
        if kind == "relation" and field == "target":
            return (
                f"speaker of {self.span(record.source_id)}: "
                f"{self.span(before)} → {self.span(after)}"
            )
        if kind == "relation" and field == "source":
            return f"quote: {self.span(before)} → {self.span(after)}"
        if field == "is_gold":
            return "moved to gold" if after else "moved out of gold"
        return f"{field.replace('_', ' ')}: {display(before)} → {display(after)}"


def display(value: object) -> str:
    """Return a field's value as a person reads it: an empty value as a dash."""
    if value in (None, "", {}, []):
        return "—"
    return str(value)


def wording_for(document: Document, span_records: Iterable) -> Wording:
    """Return the wording of `document`'s history: every label of its corpus, and the text of
    every span it has or had (history rows first, then the spans as they stand, since imported
    spans have no history rows)."""
    label_keys = dict(Label.objects.filter(corpus_id=document.corpus_id).values_list("id", "key"))
    span_texts = {record.id: record.text for record in span_records}
    span_texts.update(
        Annotation.objects.filter(document_id=document.pk)
        .exclude(id__in=span_texts)
        .values_list("id", "text")
    )
    return Wording(label_keys=label_keys, span_texts=span_texts)
