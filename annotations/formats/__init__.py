"""One module per file format, each with a reader and a writer, and the registry naming them.

A format module `formats/<module>.py` has
- `read_<module>(path) -> Iterable[DocumentRecord]`, raising ImportProblem with the path, line
  and field it knows, and
- `write_<module>(lines, out) -> ExportSummary`, writing Byline lines (`byline.document_line`)
  to a binary stream as they come, so memory stays flat;
- a folder format also has `write_<module>_folder(lines, folder) -> ExportSummary`;
- a format may take options its writer needs before the first line (`options`, from the
  export's `ExportFacts`), and write a companion file beside the export (`companion`).
A format that is only read (HTML pages) has no writer: it is in `IMPORT_FORMATS`, not in
`FORMATS`, which the exports list.

The commands, the admin and the docs list formats from `FORMATS`, which holds each module's
functions themselves (so that "find usages" finds them). spaCy takes a second to import, so
`formats/spacy.py` imports it in the functions that use it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from annotations.interchange.records import DocumentRecord

from . import brat, byline, conll, doccano, html, label_studio, prodigy, spacy, webanno
from .shared import ExportFacts, ExportSummary

Reader = Callable[[Path], Iterable[DocumentRecord]]
Writer = Callable[[Iterable[dict[str, Any]], BinaryIO], ExportSummary]
FolderWriter = Callable[[Iterable[dict[str, Any]], Path], ExportSummary]
Options = Callable[[ExportFacts], dict[str, Any]]
# The name and content of a file written beside the export (Label Studio's labeling config).
Companion = Callable[[ExportFacts], tuple[str, bytes]]


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    # The suffix of the file the format is written to, and read from when a folder is given.
    suffix: str
    # Yield the documents in a path (a file, or a folder or .zip for folder formats) as they
    # are read, so memory stays flat.
    read: Reader
    # Write the documents (Byline lines) to a binary stream; None for a format only read.
    write: Writer | None = None
    # Write the documents as files into an existing, empty folder (folder formats only).
    write_folder: FolderWriter | None = None
    # A binary format cannot be written to a terminal.
    binary: bool = False
    # Other suffixes of files in the format, looked for in folders besides `suffix`.
    other_suffixes: tuple[str, ...] = ()
    # The keyword arguments the writer takes from facts about the whole export.
    options: Options | None = None
    # A file the format's tool needs beside the export, written with it.
    companion: Companion | None = None

    @property
    def suffixes(self) -> set[str]:
        """Every suffix of files in the format."""
        return {self.suffix, *self.other_suffixes}

    @property
    def folder(self) -> bool:
        """Whether the format is written to a folder, or to a .zip file; it is read from either."""
        return self.write_folder is not None


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format(
            "byline",
            "Byline JSONL: everything, one document per line (default)",
            ".jsonl",
            read=byline.read_byline,
            write=byline.write_byline,
        ),
        Format(
            "doccano",
            "doccano JSONL: entities and relations (sequence labelling where no link can be made)",
            ".jsonl",
            read=doccano.read_doccano,
            write=doccano.write_doccano,
            options=lambda facts: {"relation_shape": facts.may_link},
        ),
        Format(
            "label-studio",
            "Label Studio JSON tasks with labels and relation results, and label_config.xml",
            ".json",
            read=label_studio.read_label_studio,
            write=label_studio.write_label_studio,
            companion=label_studio.label_config_file,
        ),
        Format(
            "spacy",
            "spaCy DocBin: doc.spans['sc'] for all spans, doc.ents where they do not overlap",
            ".spacy",
            read=spacy.read_spacy,
            write=spacy.write_spacy,
            binary=True,
        ),
        Format(
            "prodigy",
            "Prodigy JSONL: text, spans and meta",
            ".jsonl",
            read=prodigy.read_prodigy,
            write=prodigy.write_prodigy,
        ),
        Format(
            "brat",
            "brat standoff: a .txt and an .ann per document, in a folder or a .zip",
            ".zip",
            read=brat.read_brat,
            write=brat.write_brat,
            write_folder=brat.write_brat_folder,
            binary=True,
        ),
        Format(
            "webanno",
            "W3C Web Annotation JSON-LD: one AnnotationPage per document and line",
            ".jsonl",
            read=webanno.read_webanno,
            write=webanno.write_webanno,
        ),
        Format(
            "conll",
            "CoNLL IOB2 token tags for the spans that do not overlap",
            ".conll",
            read=conll.read_conll,
            write=conll.write_conll,
        ),
    )
}


# The formats an import reads: every exported one, and those only read.
IMPORT_FORMATS: dict[str, Format] = {
    **FORMATS,
    "html": Format(
        "html",
        "HTML article: a saved web page; trafilatura extracts its text, title, author, date, "
        "site and canonical URL (nothing is fetched)",
        ".html",
        read=html.read_html,
        other_suffixes=(".htm",),
    ),
}


def get_format(name: str) -> Format:
    """Return the format called `name`, or raise LookupError naming the ones there are."""
    try:
        return IMPORT_FORMATS[name]
    except KeyError:
        raise LookupError(
            f"no format called {name!r} (there are {', '.join(IMPORT_FORMATS)})"
        ) from None


def get_export_format(name: str) -> Format:
    """Return the format called `name` if it is written (not read only), else raise LookupError
    naming the ones there are."""
    fmt = FORMATS.get(name)
    if fmt is None:
        raise LookupError(f"no export format called {name!r} (there are {', '.join(FORMATS)})")
    return fmt


def format_for_suffix(name: str) -> str | None:
    """Return the import format a file called `name` is in by its suffix, or None if unsure.

    Plain-text articles (.txt) need no format (None); a .jsonl file is Byline's unless said
    otherwise, since several formats write JSON Lines.
    """
    suffix = Path(name).suffix.lower()
    if suffix in (".txt", ".jsonl", ""):
        return "byline" if suffix == ".jsonl" else None
    matches = [fmt.name for fmt in IMPORT_FORMATS.values() if suffix in fmt.suffixes]
    return matches[0] if len(matches) == 1 else None
