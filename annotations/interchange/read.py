"""Read the files an import is given: find them, decode plain-text articles, hand each
file to its format's reader, and yield `DocumentRecord`s, a file at a time.

Nothing here touches the database; `validate` checks what is read and `write` saves it.
"""

import codecs
import glob
import itertools
import re
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

import charset_normalizer

from annotations.formats import get_format
from corpus.news_metadata import extract_news_metadata
from corpus.text_quality import detect_mojibake

from .records import DocumentRecord, ImportProblem
from .symlinks import refuse_symlinks

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl"}
HTML_SUFFIXES = {".html", ".htm"}
IMPORTABLE_SUFFIXES = TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES
GLOB_MAGIC = re.compile(r"[*?[]")
# charset-normalizer's "chaos" is the share of the decoded text that looks like noise.
MAX_GUESSED_ENCODING_CHAOS = 0.05


def expand_paths(arguments: Iterable[str], *, format_name: str | None = None) -> list[Path]:
    """Return the importable files named by `arguments`: files, folders (recursive), globs.

    Without a format, folders are searched for .txt, .jsonl and .html files; with one, for
    files with its suffixes. A folder format (brat) takes each folder or .zip as one input.
    """
    fmt = get_format(format_name) if format_name else None
    suffixes = fmt.suffixes if fmt else IMPORTABLE_SUFFIXES
    whole_folders = fmt is not None and fmt.folder
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir() and whole_folders:
            found.append(path)
        elif path.is_dir():
            entries = sorted(path.rglob("*"))
            refuse_symlinks(entries, below=path)
            found.extend(p for p in entries if p.is_file() and is_importable(p, suffixes))
        elif path.is_file():
            found.append(path)
        else:
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True))
            if not matches:
                raise ImportProblem("no such file, folder or glob match", path=argument)
            refuse_symlinks(matches, below=glob_root(argument))
            found.extend(
                p
                for p in matches
                if (p.is_file() and is_importable(p, suffixes)) or (whole_folders and p.is_dir())
            )
    return list(dict.fromkeys(found))


def glob_root(pattern: str) -> Path:
    """Return the folder a glob pattern searches: its path up to the first wildcard."""
    fixed = itertools.takewhile(lambda part: not GLOB_MAGIC.search(part), Path(pattern).parts)
    return Path(*fixed)


def is_importable(path: Path, suffixes: Collection[str] = IMPORTABLE_SUFFIXES) -> bool:
    return path.suffix.lower() in suffixes and not path.name.startswith(".")


def decode_article(data: bytes) -> tuple[str, dict[str, object], list[dict[str, object]]]:
    """Return the text of an article file, what decoding it took, and encoding flags.

    UTF-8 is taken as it is (a BOM is dropped and CRLF becomes LF, both recorded). Anything
    else is decoded only when charset-normalizer is confident, and flagged.
    """
    if not data.strip():
        raise ImportProblem("file is empty")
    decoding: dict[str, object] = {"encoding": "utf-8"}
    flags: list[dict[str, object]] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        decoding["bom"] = True
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        text, decoding["encoding"] = guess_decoding(data, error)
        flags.append(
            {
                "start": 0,
                "end": len(text),
                "kind": "encoding_guessed",
                "note": (
                    f"file is not valid UTF-8 (byte {error.start}); decoded as "
                    f"{decoding['encoding']} by charset-normalizer"
                ),
                "suggestion": None,
            }
        )
    if "\x00" in text:
        raise ImportProblem("file looks binary: it contains NUL characters")
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
        decoding["newline"] = "crlf"
    if not text.strip():
        raise ImportProblem("file has no text")
    return text, decoding, flags


def guess_decoding(data: bytes, error: UnicodeDecodeError) -> tuple[str, str]:
    """Return `data` decoded by charset-normalizer and the encoding, or raise if unsure.

    Unsure means noisy, or several encodings fit equally well but read the bytes differently
    (French cp1252 also fits cp1250, which turns "prêts" into "pręts").
    """
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportProblem("file looks binary: it contains NUL bytes")
    matches = list(charset_normalizer.from_bytes(data))
    best = matches[0] if matches else None
    if best is None or best.chaos > MAX_GUESSED_ENCODING_CHAOS:
        raise ImportProblem(
            f"not valid UTF-8 ({error.reason} at byte {error.start}) and no other encoding "
            "fits; convert the file to UTF-8"
        )
    rivals = {
        match.encoding: str(match)
        for match in matches
        if match.chaos <= best.chaos + 0.01 and match.coherence >= best.coherence - 0.05
    }
    if len(set(rivals.values())) > 1:
        raise ImportProblem(
            f"not valid UTF-8 ({error.reason} at byte {error.start}) and it reads differently "
            f"as {', '.join(sorted(rivals))}; convert the file to UTF-8"
        )
    return str(best).removeprefix("\ufeff"), best.encoding


def read_text_article(path: Path) -> DocumentRecord:
    """Return the document in a plain-text article file, with news metadata and quality flags."""
    text, decoding, flags = decode_article(path.read_bytes())
    news = extract_news_metadata(text)
    metadata: dict[str, object] = {"import": {"file": path.name, **decoding}}
    if news.copyright_year:
        metadata["copyright_year"] = news.copyright_year
    if news.notes:
        metadata["extraction_notes"] = dict(news.notes)
    return DocumentRecord(
        external_id=path.stem,
        text=text,
        title=news.title,
        source=news.source or "",
        published=news.published,
        dateline=news.dateline or "",
        metadata=metadata,
        quality_flags=flags + [flag.as_dict() for flag in detect_mojibake(text)],
    )


def read_records(path: Path, *, format_name: str | None = None) -> list[DocumentRecord]:
    """Return every document in the file (or brat folder) at `path`, or raise ImportProblem."""
    records = list(iter_records(path, format_name=format_name))
    if not records:
        raise ImportProblem("file has no documents")
    return records


def iter_records(path: Path, *, format_name: str | None = None) -> Iterator[DocumentRecord]:
    """Yield the documents in the file (or brat folder) at `path` as they are read.

    Without a format the suffix decides: .txt is one plain-text article, .jsonl Byline JSONL,
    .html (or .htm) a web page.
    Any other format is read by its module in `annotations.formats`. A file the reader
    cannot open or parse raises ImportProblem when that point is reached.
    """
    suffix = path.suffix.lower()
    if format_name is None:
        if suffix in TEXT_SUFFIXES:
            format_name = "text"
        elif suffix in JSONL_SUFFIXES:
            format_name = "byline"
        elif suffix in HTML_SUFFIXES:
            format_name = "html"
        else:
            raise ImportProblem(
                f"unsupported file type {suffix or '(none)'}; use "
                f"{', '.join(sorted(IMPORTABLE_SUFFIXES))} or choose a format"
            )
    try:
        if format_name == "text":
            yield read_text_article(path)
        else:
            yield from get_format(format_name).read(path)
    except OSError as error:
        raise ImportProblem(f"cannot read file: {error.strerror}") from None
    except LookupError as error:
        raise ImportProblem(str(error)) from None
