"""Render a document's text with its spans and flagged ranges marked, as safe HTML."""

from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def segment_boundaries(length: int, ranges: Iterable[tuple[int, int]]) -> list[int]:
    """Return the sorted offsets where any range starts or ends, plus 0 and `length`."""
    points = {0, length}
    for start, end in ranges:
        points.update((start, end))
    return sorted(point for point in points if 0 <= point <= length)


def render_highlighted_text(
    text: str, spans: list[tuple[int, int, str, str]], flags: list[dict]
) -> SafeString:
    """Return `text` as HTML with spans (start, end, label key, colour) and flags marked.

    Overlapping and nested spans become stacked underlines, so each stays visible; every
    piece of text is escaped.
    """
    ranges = [(s, e) for s, e, _, _ in spans] + [(f["start"], f["end"]) for f in flags]
    points = segment_boundaries(len(text), ranges)
    pieces = []
    for start, end in zip(points, points[1:], strict=False):
        covering = [span for span in spans if span[0] <= start and end <= span[1]]
        flagged = [f for f in flags if f["start"] <= start and end <= f["end"]]
        chunk = escape(text[start:end])
        if not covering and not flagged:
            pieces.append(chunk)
            continue
        shadows = ", ".join(
            f"inset 0 -{3 * (level + 1)}px 0 {colour}"
            for level, (_, _, _, colour) in enumerate(covering)
        )
        title = "; ".join(
            [f"{key} [{s}, {e})" for s, e, key, _ in covering]
            + [f"quality flag: {f['kind']}" for f in flagged]
        )
        style = f"box-shadow: {shadows};" if shadows else ""
        if flagged:
            style += " outline: 1px dashed #c00;"
        pieces.append(
            format_html(
                '<span style="{}; padding-bottom: {}px" title="{}">{}</span>',
                style,
                3 * len(covering),
                title,
                chunk,
            )
        )
    return format_html(
        '<div style="white-space: pre-wrap; line-height: 2; max-width: 60em">{}</div>',
        mark_safe("".join(pieces)),  # each piece was escaped above
    )
