"""Receive an upload within its limits: the upload handlers of FILE_UPLOAD_HANDLERS.

`LimitedUploadHandler` (first in the list) counts every byte and file of a request as it
arrives and stops reading past BYLINE_UPLOAD_MAX_BYTES or MAX_UPLOAD_FILES; the rest of the
body is read and dropped, never stored, and the page says why (`upload_refusal`). Bodies larger
than FILE_UPLOAD_MAX_MEMORY_SIZE stream into temporary files in MEDIA_ROOT/uploads/incoming/
(`MediaTemporaryFileUploadHandler`), so staging them (`uploads`) is a rename on the same file
system, not a copy, and no upload is ever held whole in memory.
"""

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from django.conf import settings
from django.core.files.move import file_move_safe
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.core.files.uploadhandler import (
    FileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)

from .background import uploads_root

# A folder upload of more files than this is refused: one request, one reasonable batch.
MAX_UPLOAD_FILES = 10_000
INCOMING = "incoming"


def upload_limit() -> int:
    return settings.BYLINE_UPLOAD_MAX_BYTES


def describe_bytes(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size} bytes"


class LimitedUploadHandler(FileUploadHandler):
    """Count the files and bytes of an upload as they arrive; stop past the limits.

    Stopping reads the rest of the request and drops it, so the page can answer with the
    reason (kept on the request for `upload_refusal`) instead of a reset connection.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.files = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files += 1
        if self.files > MAX_UPLOAD_FILES:
            self.refuse(f"more than {MAX_UPLOAD_FILES} files in one upload; send a .zip")

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > upload_limit():
            self.refuse(
                f"the upload is larger than the {describe_bytes(upload_limit())} allowed "
                "(BYLINE_UPLOAD_MAX_BYTES)"
            )
        return raw_data

    def file_complete(self, file_size):
        return None

    def refuse(self, reason: str):
        if self.request is not None:
            self.request.upload_refusal = reason
        raise StopUpload(connection_reset=False)


class MediaTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Stream each uploaded file into MEDIA_ROOT/uploads/incoming/, where staging renames it."""

    def new_file(self, *args, **kwargs):
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = IncomingUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )


class IncomingUploadedFile(TemporaryUploadedFile):
    """A temporary upload file kept beside the staging folders (the same file system).

    Staging moves it with `move_to`; closing it then deletes nothing. (Python's
    NamedTemporaryFile would try to delete the moved file on close and fail, once per file:
    a folder upload of thousands of files paid for it in the request.)
    """

    def __init__(self, name, content_type, size, charset, content_type_extra=None):
        incoming = uploads_root() / INCOMING
        incoming.mkdir(parents=True, exist_ok=True)
        descriptor, self.path = tempfile.mkstemp(suffix=".upload" + Path(name).suffix, dir=incoming)
        self.moved = False
        file = open(descriptor, "w+b")  # noqa: SIM115 (closed by close(), as Django's files are)
        UploadedFile.__init__(self, file, name, content_type, size, charset, content_type_extra)

    def temporary_file_path(self) -> str:
        return self.path

    def move_to(self, destination: Path | str) -> None:
        """Move the received file to `destination`: a rename, or a copy across file systems."""
        self.file.flush()
        try:
            os.rename(self.path, destination)
        except OSError:  # MEDIA_ROOT/uploads/ spans file systems
            file_move_safe(self.path, str(destination))
        self.moved = True
        self.file.close()

    def close(self) -> None:
        self.file.close()
        if not self.moved:
            with suppress(FileNotFoundError):
                os.unlink(self.path)


def upload_refusal(request) -> str | None:
    """Return why the request's upload was stopped while it arrived, or None."""
    return getattr(request, "upload_refusal", None)
