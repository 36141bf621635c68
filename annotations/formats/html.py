"""HTML articles: a saved web page, read with trafilatura into its main text and metadata.

Read only (Byline never writes HTML). The text trafilatura extracts (paragraphs joined by
newlines, navigation, scripts and boilerplate left out) is what the document stores and what
every offset points into; the HTML itself is not kept, but its SHA-256 and file name are, so
the document can be traced back to the file it came from.

Nothing is ever fetched: the file's bytes are parsed here into a tree, and trafilatura only
reads that tree (a string that looks like a URL is never downloaded, as htmldate would do
with one). Byline takes files only, so a URL in an upload cannot make the server request
anything (server-side request forgery).
"""

import codecs
import datetime
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import trafilatura
from trafilatura.utils import load_html

from annotations.interchange.records import DocumentRecord, ImportProblem
from corpus.text_quality import detect_mojibake

# trafilatura's own default limit on a page (its MAX_FILE_SIZE); a news page is far smaller.
MAX_HTML_BYTES = 20 * 10**6
# A charset declared in the head: <meta charset="..."> or the http-equiv Content-Type.
DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
# Where browsers look for the declaration (the HTML standard's prescan reads 1024 bytes).
CHARSET_PRESCAN_BYTES = 1024
# Browsers read pages declared Latin-1 or ASCII as windows-1252 (the WHATWG Encoding standard).
BROWSER_CHARSETS = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}
# The column limits of the fields filled from the page (corpus.models.Document).
MAX_TITLE = 500
MAX_SOURCE = 255
MAX_URL = 2000
MAX_LANGUAGE = 35
# Metadata trafilatura finds that has no column of its own.
EXTRA_METADATA = ("author", "description", "hostname", "categories", "tags", "pagetype")


def read_html(path: Path) -> Iterator[DocumentRecord]:
    """Yield the one article of an HTML file, or raise ImportProblem naming the file."""
    try:
        yield html_record(path.read_bytes(), name=path.name, external_id=path.stem)
    except ImportProblem as problem:
        raise problem.located(path=path) from None


def html_record(data: bytes, *, name: str, external_id: str) -> DocumentRecord:
    """Return the article in the HTML `data` of the file called `name`."""
    if len(data) > MAX_HTML_BYTES:
        raise ImportProblem(f"HTML file is larger than the {MAX_HTML_BYTES // 10**6} MB allowed")
    markup, encoding = decode_html(data)
    tree = load_html(markup) if markup.strip() else None
    if tree is None:
        raise ImportProblem("not an HTML document")
    found = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=True
    )
    text = (found.text or "").strip() if found is not None else ""
    if not text:
        raise ImportProblem("no article text found in the HTML (trafilatura extracted nothing)")
    metadata: dict[str, object] = {
        "import": {
            "file": name,
            "format": "html",
            "encoding": encoding,
            "html_sha256": hashlib.sha256(data).hexdigest(),
        }
    }
    for key in EXTRA_METADATA:
        if value := getattr(found, key, None):
            metadata[key] = value
    url = found.url or ""
    if url and not (url.lower().startswith(("http://", "https://")) and len(url) <= MAX_URL):
        # Kept where a person can read it, out of the column that must hold a web address.
        metadata["canonical_url"], url = url, ""
    title = found.title or ""
    if len(title) > MAX_TITLE:
        metadata["full_title"], title = title, title[: MAX_TITLE - 1] + "…"
    language = (tree.get("lang") or "").strip()
    return DocumentRecord(
        external_id=external_id,
        text=text,
        title=title,
        source=(found.sitename or "")[:MAX_SOURCE],
        published=parse_date(found.date),
        url=url,
        language=language if len(language) <= MAX_LANGUAGE else "",
        metadata=metadata,
        quality_flags=[flag.as_dict() for flag in detect_mojibake(text)],
    )


def decode_html(data: bytes) -> tuple[str, str]:
    """Return the page's markup as text and the encoding it was read in.

    A byte-order mark decides first, then a charset the page declares, then UTF-8; anything
    else is decoded only when charset-normalizer is sure, as for plain-text articles.
    """
    # Imported here: the reader module imports this package to find the formats.
    from annotations.interchange.read import guess_decoding

    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8"
    if declared := DECLARED_CHARSET.search(data[:CHARSET_PRESCAN_BYTES]):
        label = declared.group(1).decode("ascii")
        try:
            codec = codecs.lookup(label).name
        except LookupError:
            codec = None
        if codec is not None:
            codec = BROWSER_CHARSETS.get(codec.replace("-", "_"), codec)
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as error:
                raise ImportProblem(
                    f"the page declares charset {label!r} but byte {error.start} is not "
                    f"{codec}; convert the file to UTF-8"
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        return guess_decoding(data, error)


def parse_date(value: str | None) -> datetime.date | None:
    """Return the date trafilatura found (YYYY-MM-DD), or None."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None
