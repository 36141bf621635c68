"""Uploads for an import: receive the files a browser sends, stage them on disk, and hand them
to the importer, as a background job or, for "Check only", as a dry run in the request.

Receiving, within the limits, is `upload_handlers`' part: files reach staging as temporary
files in MEDIA_ROOT/uploads/incoming/ (small requests: in memory).

Staging: each file goes into a fresh folder from `background.new_staging_folder()` under a
name reduced to its last part (a browser sends folder uploads as `folder/sub/a.txt`, and a
hostile one could send `../../etc/x`); two files of the same name go into numbered
subfolders, so each keeps its name, which is its document id. A .zip is unpacked beside it
with the checks the CLI's readers make (`formats.shared`): entry names that climb out (zip
slip), overlapping entries, and entries that inflate past BYLINE_ZIP_ENTRY_MAX_BYTES or more
than BYLINE_ZIP_MAX_RATIO times their compressed size (zip bombs) are refused, and so is an
archive that unpacks to more than UNZIPPED_PER_UPLOADED times the upload limit in all. Entries
stream to disk a chunk at a time, never whole into memory. The request checks the archive's
directory at once (names, overlaps, declared sizes and ratios), so a bad one is refused on the
page; for an import, the unpacking itself is the job's first step (`unpack_staged_zips`), so
the request takes no longer for a large archive.
"""

import os
import shutil
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.move import file_move_safe
from django.core.files.uploadedfile import UploadedFile

from corpus.access import member_usernames
from corpus.models import Corpus
from jobs.models import Job

from .background import new_staging_folder, start_import
from .formats import IMPORT_FORMATS, format_for_suffix
from .formats.shared import (
    check_entry_name,
    check_zip_entries,
    check_zip_entry_size,
    copy_zip_entry,
)
from .interchange.imports import ImportReport, run_import
from .interchange.records import ImportProblem
from .upload_handlers import IncomingUploadedFile, describe_bytes, upload_limit

MAX_ZIP_ENTRIES = 100_000
# An uploaded .zip may unpack to at most this many times the upload limit (2 GB by default).
UNZIPPED_PER_UPLOADED = 4
# Longest file name kept (most file systems allow 255 bytes).
MAX_NAME_CHARS = 150


class UploadRefused(Exception):
    """A reason an upload is not staged, for the person who sent it."""


@dataclass
class StagedUpload:
    """Files waiting in a staging folder for their import."""

    folder: Path
    # Paths relative to the folder, as the import will name them.
    names: list[str] = field(default_factory=list)
    # The files the import will read: `names`, with each .zip's files in place of it (its
    # stem, a slash, the entry's name), whether or not it is unpacked yet.
    contents: list[str] = field(default_factory=list)
    size: int = 0

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def stage_upload(files: Iterable[UploadedFile], *, unpack: bool = True) -> StagedUpload:
    """Move the uploaded files into a new staging folder, checking each .zip.

    A .zip's central directory is checked at once (names, overlaps, declared sizes); with
    `unpack` it is also unpacked there, else it waits for the job (`unpack_staged_zips`), so a
    request stages a large archive in the time of a rename. Raise UploadRefused naming the
    file at fault; nothing is left behind then.
    """
    staged = StagedUpload(folder=new_staging_folder())
    taken: set[str] = set()
    # Plain strings, not Paths, per file: a folder upload of thousands of files is staged
    # in the request, and pathlib's parsing was most of that time (bench.upload_request).
    root = str(staged.folder)
    try:
        for upload in files:
            name = free_name(safe_name(upload.name), taken)
            destination = os.path.join(root, name)
            if "/" in name:
                os.makedirs(os.path.dirname(destination), exist_ok=True)
            keep_upload(upload, destination)
            staged.size += upload.size or 0
            if name_suffix(name).lower() != ".zip":
                staged.names.append(name)
                staged.contents.append(name)
            elif unpack:
                destination = Path(destination)
                unpacked = unpack_zip(destination, staged.folder, taken)
                staged.names += unpacked
                staged.contents += unpacked
            else:
                staged.names.append(name)
                stem = Path(destination).stem
                staged.contents += [f"{stem}/{entry}" for entry in check_zip(Path(destination))]
        if not staged.contents:
            raise UploadRefused("no files were uploaded")
    except BaseException:
        staged.discard()
        raise
    return staged


def unpack_staged_zips(folder: Path) -> None:
    """Unpack each .zip staged in `folder` beside it and remove it (an import job's first step).

    Raise UploadRefused naming the archive that cannot be unpacked.
    """
    taken = {path.name for path in folder.iterdir()}
    for path in sorted(folder.glob("*.zip")) + sorted(folder.glob("*/*.zip")):
        if path.is_file() and not path.is_symlink():
            unpack_zip(path, folder, taken)


def safe_name(name: str | None) -> str:
    """Return the last part of a browser-given file name, fit to be one file's name."""
    last = last_part(name or "")
    if not last.isprintable():
        last = "".join(char for char in last if char.isprintable())
    last = last.strip()
    if last in ("", ".", "..") or last.startswith("."):
        raise UploadRefused(f"refusing the file name {name!r}")
    suffix = name_suffix(last)
    return last[: len(last) - len(suffix)][: MAX_NAME_CHARS - len(suffix)] + suffix


def last_part(name: str) -> str:
    """Return the last part of a path with / or \\ between parts, as PurePosixPath's name
    (empty and "." parts skipped), without pathlib's cost."""
    for part in reversed(name.replace("\\", "/").split("/")):
        if part not in ("", "."):
            return part
    return ""


def name_suffix(name: str) -> str:
    """Return the suffix of a file name or path ("a/b.txt": ".txt"), as PurePath's suffix."""
    last = last_part(name)
    dot = last.rfind(".")
    return last[dot:] if 0 < dot < len(last) - 1 else ""


def free_name(name: str, taken: set[str]) -> str:
    """Return `name`, or `<n>/name` if that is taken: the name is kept, since it is the
    document's id. `taken` holds the names used so far and is updated."""
    relative, number = name, 1
    while relative in taken:
        number += 1
        relative = f"{number}/{name}"
    taken.add(relative)
    return relative


def free_destination(folder: Path, name: str, taken: set[str]) -> Path:
    """Return `folder/name`, or `folder/<n>/name` if that is taken (`free_name`), its folder
    made."""
    relative = free_name(name, taken)
    destination = folder / relative
    if relative != name:
        destination.parent.mkdir(exist_ok=True)
    return destination


def keep_upload(upload: UploadedFile, destination: Path | str) -> None:
    """Put the uploaded file at `destination`: a rename for a file streamed to disk (the
    incoming folder is on the staging folders' file system), else its chunks written out."""
    if isinstance(upload, IncomingUploadedFile):
        upload.move_to(destination)
        return
    if hasattr(upload, "temporary_file_path"):
        upload.file.flush()
        try:
            os.rename(upload.temporary_file_path(), destination)
        except OSError:  # MEDIA_ROOT/uploads/ spans file systems: copy instead
            file_move_safe(upload.temporary_file_path(), str(destination))
        upload.close()  # the temporary file is gone; TemporaryUploadedFile.close allows that
        return
    with open(destination, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)


def zip_entries(archive: zipfile.ZipFile, path: Path) -> list[zipfile.ZipInfo]:
    """Return the files of `archive` once its central directory passes the CLI's checks and
    the limits here (entries, declared total); raise ImportProblem or UploadRefused."""
    entries = [info for info in archive.infolist() if not info.is_dir()]
    if len(entries) > MAX_ZIP_ENTRIES:
        raise UploadRefused(f"{path.name}: more than {MAX_ZIP_ENTRIES} entries")
    check_zip_entries(archive)
    for info in entries:
        check_entry_name(info.filename, path)
        if not is_hidden(info):
            check_zip_entry_size(info, info.file_size, max_bytes=entry_limit())
    declared = sum(info.file_size for info in entries)
    budget = upload_limit() * UNZIPPED_PER_UPLOADED
    if declared > budget:
        raise UploadRefused(
            f"{path.name} unpacks to {describe_bytes(declared)}, more than the "
            f"{describe_bytes(budget)} allowed"
        )
    return entries


def check_zip(path: Path) -> list[str]:
    """Return the names of the files the .zip at `path` holds that an unpacking keeps; raise
    UploadRefused unless it may be unpacked (`zip_entries`)."""
    with open_zip(path) as archive:
        return [info.filename for info in zip_entries(archive, path) if not is_hidden(info)]


def is_hidden(info: zipfile.ZipInfo) -> bool:
    """Whether a zip entry is a hidden file or a macOS resource fork: never an article."""
    parts = info.filename.replace("\\", "/").split("/")
    return any((part.startswith(".") and part != ".") or part == "__MACOSX" for part in parts)


def unpack_zip(path: Path, folder: Path, taken: set[str]) -> list[str]:
    """Unpack the .zip at `path` into `folder/<its stem>/` with the CLI's checks, remove it,
    and return the unpacked files' paths relative to `folder`.

    The central directory is checked whole before anything is written (`zip_entries`). Each
    entry then streams to its file through `copy_zip_entry`, a chunk at a time, which stops
    at BYLINE_ZIP_ENTRY_MAX_BYTES or the compression ratio allowed whatever the entry
    declares; the total is counted against the same budget.
    """
    target = free_destination(folder, path.stem, taken)
    names: list[str] = []
    with open_zip(path) as archive:
        entries = zip_entries(archive, path)
        budget = upload_limit() * UNZIPPED_PER_UPLOADED
        made: set[Path] = set()
        unpacked = 0
        for info in entries:
            if is_hidden(info):
                continue
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            # check_entry_name refused absolute names and "..": these stay below target.
            destination = target.joinpath(*parts)
            if destination.parent not in made:
                destination.parent.mkdir(parents=True, exist_ok=True)
                made.add(destination.parent)
            try:
                with destination.open("wb") as out:
                    unpacked += copy_zip_entry(archive, info, out, max_bytes=entry_limit())
            except ImportProblem as problem:
                raise UploadRefused(f"{path.name}: {problem.message}") from None
            if unpacked > budget:
                raise UploadRefused(f"{path.name} unpacks to more than it declares")
            names.append(destination.relative_to(folder).as_posix())
    path.unlink()
    return names


def entry_limit() -> int:
    """Return how large one file of an uploaded .zip may be once unpacked."""
    return settings.BYLINE_ZIP_ENTRY_MAX_BYTES


@contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """Open the .zip at `path`; turn its problems into UploadRefused naming it."""
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive
    except ImportProblem as problem:
        raise UploadRefused(f"{path.name}: {problem.message}") from None
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise UploadRefused(f"{path.name} is not a readable .zip ({error})") from None


def detect_format(names: Sequence[str]) -> str | None:
    """Return the format the staged files are in, by their suffixes, or None for "by suffix".

    brat comes as .txt and .ann pairs; .txt, .jsonl and .html files are read by suffix
    (None); otherwise the one format all the other files' suffix names, if there is one.
    """
    # One name per suffix: a folder upload has thousands of names and a few suffixes.
    by_suffix = {name_suffix(name).lower(): name for name in names}
    if ".ann" in by_suffix:
        return "brat"
    found = {format_for_suffix(name) for name in by_suffix.values()} - {None, "byline", "html"}
    return found.pop() if len(found) == 1 else None


def format_choices() -> list[tuple[str, str]]:
    """Return the format picker's choices: by suffix (Byline's own, the default), then each."""
    return [
        ("", "byline (default): .txt articles, Byline .jsonl and .html pages, by file suffix"),
        *((fmt.name, f"{fmt.name}: {fmt.description}") for fmt in IMPORT_FORMATS.values()),
    ]


@dataclass
class UploadOutcome:
    """What an upload led to: a queued import job, or the report of a check."""

    job: Job | None = None
    report: ImportReport | None = None
    staged: StagedUpload | None = None
    format_name: str | None = None


def receive_import(
    *,
    files: Sequence[UploadedFile],
    corpus: Corpus,
    user: AbstractBaseUser,
    format_name: str | None,
    create_labels: bool = False,
    check_only: bool = False,
) -> UploadOutcome:
    """Stage `files` and import them into `corpus` for `user`, a manager of it.

    An import is queued as a job (`background.start_import`), which owns the staging folder
    from then on; the request does no more than stage and enqueue. "Check only" runs the
    importer's dry run here and removes the folder. `format_name` None detects the format from
    the file names. Raise UploadRefused for an upload that cannot be staged.
    """
    staged = stage_upload(files, unpack=check_only)
    chosen = format_name or detect_format(staged.contents)
    if not check_only:
        job = start_import(
            corpus=corpus,
            started_by=user,
            directory=staged.folder,
            format_name=chosen,
            create_labels=create_labels,
        )
        return UploadOutcome(job=job, staged=staged, format_name=chosen)
    try:
        report = run_import(
            [staged.folder],
            corpus=corpus,
            format_name=chosen,
            create_labels=create_labels,
            dry_run=True,
            attributable_to=member_usernames(corpus),
        )
    except ImportProblem as problem:
        raise UploadRefused(problem.message) from None
    finally:
        staged.discard()
    return UploadOutcome(report=report, staged=staged, format_name=chosen)


def shown_name(path: Path | str | None, staged: StagedUpload) -> str:
    """Return `path` as the uploader knows it: relative to the staging folder."""
    if path is None:
        return ""
    try:
        return Path(path).relative_to(staged.folder).as_posix()
    except ValueError:
        return Path(path).name
