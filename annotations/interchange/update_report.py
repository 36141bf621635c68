"""What an update changes, counted for the import's report and listed for a dry run."""

from collections.abc import Iterable
from dataclasses import dataclass

from .update import DocumentDiff


@dataclass
class Changes:
    """How many changes of each kind some diffs hold."""

    added: int = 0
    removed: int = 0
    relabelled: int = 0
    edited: int = 0
    links_added: int = 0
    links_removed: int = 0

    @classmethod
    def of(cls, diffs: Iterable[DocumentDiff]) -> "Changes":
        changes = cls()
        for diff in diffs:
            changes.add(diff)
        return changes

    def add(self, other: "DocumentDiff | Changes") -> None:
        for name in ("added", "removed", "relabelled", "edited", "links_added", "links_removed"):
            value = getattr(other, name)
            setattr(self, name, getattr(self, name) + (value if type(value) is int else len(value)))

    def __str__(self) -> str:
        parts = [
            f"{self.added} spans added",
            f"{self.removed} removed",
            f"{self.relabelled} relabelled",
        ]
        if self.edited:
            parts.append(f"{self.edited} with other attributes")
        if self.links_added or self.links_removed:
            parts.append(f"{self.links_added} links added, {self.links_removed} removed")
        return ", ".join(parts)


def describe(diff: DocumentDiff) -> list[str]:
    """Return one line per change of `diff`, for a dry run."""

    def span_text(label: str, start: int, end: int, annotator: str | None, gold: bool) -> str:
        who = "gold" if gold else (annotator or "unattributed")
        return f"{label} [{start}, {end}) {diff.text[start:end]!r} ({who})"

    lines = []
    for span in diff.added:
        lines.append("+ " + span_text(span.label, span.start, span.end, span.annotator, span.gold))
    for stored in diff.removed:
        lines.append(
            "- "
            + span_text(stored.label, stored.start, stored.end, stored.annotator, stored.is_gold)
        )
    for stored, record in diff.relabelled:
        lines.append(
            f"~ {stored.label} -> {record.label} "
            + span_text(record.label, stored.start, stored.end, stored.annotator, stored.is_gold)
        )
    for stored, record in diff.edited:
        lines.append(
            f"~ attributes {stored.attributes} -> {record.attributes} "
            + span_text(stored.label, stored.start, stored.end, stored.annotator, stored.is_gold)
        )
    lines += [f"+ link {link_type}" for link_type, *_ in diff.links_added]
    lines += [f"- link {link.type}" for link in diff.links_removed]
    return lines
