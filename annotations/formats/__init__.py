"""One module per file format, each with a reader and a writer, and the registry naming them.

A format module `formats/<module>.py` has
- `read_<module>(path) -> Iterable[DocumentRecord]`, raising ImportProblem with the path, line
  and field it knows, and
- `write_<module>(lines, out) -> ExportSummary`, writing Byline lines (`byline.document_line`)
  to a binary stream as they come, so memory stays flat;
- a folder format also has `write_<module>_folder(lines, folder) -> ExportSummary`.

The commands, the admin and the docs list formats from `FORMATS`. Modules are imported when
first used: spaCy takes a second to import, and most processes never need it.
"""

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

from annotations.interchange.records import DocumentRecord

from .shared import ExportSummary


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    # The suffix of the file the format is written to, and read from when a folder is given.
    suffix: str
    # A folder format is written to a folder, or to a .zip file; it is read from either.
    folder: bool = False
    # A binary format cannot be written to a terminal.
    binary: bool = False

    @property
    def module_name(self) -> str:
        return self.name.replace("-", "_")

    def module(self) -> ModuleType:
        return importlib.import_module(f"{__name__}.{self.module_name}")

    def read(self, path: Path) -> list[DocumentRecord]:
        """Return every document in `path` (a file, or a folder or .zip for folder formats)."""
        return list(self.iter_read(path))

    def iter_read(self, path: Path) -> Iterator[DocumentRecord]:
        """Yield the documents in `path` as the reader produces them, so memory stays flat."""
        return iter(getattr(self.module(), f"read_{self.module_name}")(path))

    def write(self, lines: Iterable[dict[str, Any]], out: BinaryIO) -> ExportSummary:
        """Write the documents (Byline lines) to `out`."""
        return getattr(self.module(), f"write_{self.module_name}")(lines, out)

    def write_folder(self, lines: Iterable[dict[str, Any]], folder: Path) -> ExportSummary:
        """Write the documents (Byline lines) as files into the existing, empty `folder`."""
        return getattr(self.module(), f"write_{self.module_name}_folder")(lines, folder)


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("byline", "Byline JSONL: everything, one document per line (default)", ".jsonl"),
        Format(
            "doccano",
            "doccano JSONL: sequence labelling, or entities and relations where there are some",
            ".jsonl",
        ),
        Format("label-studio", "Label Studio JSON tasks with labels and relation results", ".json"),
        Format(
            "spacy",
            "spaCy DocBin: doc.spans['sc'] for all spans, doc.ents where they do not overlap",
            ".spacy",
            binary=True,
        ),
        Format("prodigy", "Prodigy JSONL: text, spans and meta", ".jsonl"),
        Format(
            "brat",
            "brat standoff: a .txt and an .ann per document, in a folder or a .zip",
            ".zip",
            folder=True,
            binary=True,
        ),
        Format(
            "webanno",
            "W3C Web Annotation JSON-LD: one AnnotationPage per document and line",
            ".jsonl",
        ),
        Format("conll", "CoNLL IOB2 token tags for the spans that do not overlap", ".conll"),
    )
}


def get_format(name: str) -> Format:
    """Return the format called `name`, or raise LookupError naming the ones there are."""
    try:
        return FORMATS[name]
    except KeyError:
        raise LookupError(f"no format called {name!r} (there are {', '.join(FORMATS)})") from None
