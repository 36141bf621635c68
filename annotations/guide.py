"""The annotation guide (docs/annotation-guide.md), rendered for the guidelines panel.

Rendered with markdown-it-py in its CommonMark preset with raw HTML off: any HTML in the
file is shown as text, and links with a script scheme are refused, so the guide cannot
run a script on the annotation page whatever it holds.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

GUIDE_PATH = Path(settings.BASE_DIR) / "docs" / "annotation-guide.md"


def render_guide(markdown: str) -> SafeString:
    """Return `markdown` as HTML that holds no HTML of its own (raw HTML is escaped)."""
    html = MarkdownIt("commonmark", {"html": False}).render(markdown)
    return mark_safe(html)  # noqa: S308  (markdown-it escaped every raw HTML in the source)


@lru_cache(maxsize=4)
def rendered_guide(path: Path = GUIDE_PATH, modified: float | None = None) -> SafeString:
    """Return the guide at `path` rendered; `modified` (its mtime) renews the cache."""
    if not path.exists():
        return mark_safe("")
    return render_guide(path.read_text(encoding="utf-8"))


def annotation_guide() -> SafeString:
    """Return the project's annotation guide as HTML, read again when the file changes."""
    modified = GUIDE_PATH.stat().st_mtime if GUIDE_PATH.exists() else None
    return rendered_guide(GUIDE_PATH, modified)
