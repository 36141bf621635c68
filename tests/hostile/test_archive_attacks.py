"""Archives and folders built to attack the importer: decompression bombs, overlapping zip
entries and symbolic links are refused with a clear error, and a bomb costs little memory."""

import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotations.interchange.read import expand_paths, read_records
from annotations.interchange.records import ImportProblem
from corpus.models import Document

ROOT = Path(__file__).resolve().parents[2]
BOMB_BYTES = 500 * 2**20
# The whole reading process, Python, Django and spaCy included, stays under this.
MAX_PEAK_RSS_BYTES = 200 * 2**20
# Read one file in a fresh process; print its ImportProblem and the process's peak memory.
# The peak is VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over exec from the
# forked test process, whose memory is not the reader's.
READ_IN_CHILD = """
import json, sys
import django
django.setup()
from annotations.interchange.read import read_records
from annotations.interchange.records import ImportProblem
try:
    read_records(__import__("pathlib").Path(sys.argv[1]), format_name=sys.argv[2])
    problem = None
except ImportProblem as refused:
    problem = str(refused)
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
print(json.dumps({"problem": problem, "peak": peak}))
"""


def read_in_child(path: Path, format_name: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    completed = subprocess.run(
        [sys.executable, "-c", READ_IN_CHILD, str(path), format_name],
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def write_zeros(write, total: int = BOMB_BYTES) -> None:
    chunk = bytes(2**20)
    for _ in range(total // len(chunk)):
        write(chunk)


def test_a_brat_zip_bomb_is_refused_before_it_fills_memory(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.ann", "")
        with archive.open("doc.txt", "w") as entry:
            write_zeros(entry.write)
    assert path.stat().st_size < 1_000_000
    result = read_in_child(path, "brat")
    assert re.fullmatch(
        rf"{re.escape(str(path / 'doc.txt'))}: zip entry 'doc.txt' looks like a zip bomb: its "
        r"[\d,]+ compressed bytes inflate to 524,288,000 \([\d,]+ times; at most 100 times is "
        r"allowed\)",
        result["problem"],
    )
    assert result["peak"] < MAX_PEAK_RSS_BYTES


def test_a_spacy_bomb_is_refused_before_it_fills_memory(tmp_path):
    path = tmp_path / "bomb.spacy"
    deflate = zlib.compressobj(9)
    with path.open("wb") as out:
        write_zeros(lambda chunk: out.write(deflate.compress(chunk)))
        out.write(deflate.flush())
    assert path.stat().st_size < 1_000_000
    result = read_in_child(path, "spacy")
    assert result["problem"] == f"{path}: decompresses to more than the 32 MiB allowed"
    assert result["peak"] < MAX_PEAK_RSS_BYTES


def local_entry(name: str, data: bytes) -> bytes:
    """Return a stored (uncompressed) entry: its local header, name and data."""
    size, raw = len(data), name.encode()
    header = struct.pack(
        "<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, zlib.crc32(data), size, size, len(raw), 0
    )
    return header + raw + data


def stored_zip(body: bytes, directory: list[tuple[str, bytes, int]]) -> bytes:
    """Return `body` (local entries) with a central directory listing `directory`:
    (name, data, offset of the local header it points at)."""
    central = b""
    for name, data, offset in directory:
        size, raw = len(data), name.encode()
        central += struct.pack(
            "<4s6H3L5H2L",
            *(b"PK\x01\x02", 20, 20, 0, 0, 0, 0, zlib.crc32(data), size, size, len(raw)),
            *(0, 0, 0, 0, 0, offset),
        )
        central += raw
    count = len(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(body), 0)
    return body + central + end


TEXT, ANN = b"Mark Carney spoke.", b"T1\tACTOR 0 11\tMark Carney\n"


def test_zip_entries_that_share_a_local_header_are_refused(tmp_path):
    path = tmp_path / "overlap.zip"
    text = local_entry("doc.txt", TEXT)
    body = text + local_entry("doc.ann", ANN)
    # Two directory entries for one stored text: Python 3.11's zipfile reads both.
    directory = [("doc.txt", TEXT, 0), ("doc.ann", ANN, len(text)), ("doc.txt", TEXT, 0)]
    path.write_bytes(stored_zip(body, directory))
    with pytest.raises(
        ImportProblem, match="zip entries 'doc.txt' and 'doc.txt' overlap"
    ) as refused:
        read_records(path, format_name="brat")
    assert refused.value.path == path


def test_a_zip_entry_quoted_inside_another_is_refused(tmp_path):
    path = tmp_path / "quoted.zip"
    quoted = local_entry("doc.ann", ANN)
    # The text's stored bytes are the .ann entry, which the directory also lists on its own.
    directory = [("doc.txt", quoted, 0), ("doc.ann", ANN, 30 + len("doc.txt"))]
    path.write_bytes(stored_zip(local_entry("doc.txt", quoted), directory))
    with zipfile.ZipFile(path) as archive:
        assert archive.read("doc.ann") == ANN  # Python 3.11's zipfile reads both
    with pytest.raises(ImportProblem, match="zip entries 'doc.txt' and 'doc.ann' overlap"):
        read_records(path, format_name="brat")


@pytest.fixture
def outside(tmp_path):
    secret = tmp_path / "outside" / "passwd.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    return secret


def test_a_brat_folder_with_a_symlink_to_a_file_outside_is_refused(tmp_path, outside):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "doc.txt").write_text("Mark Carney spoke.")
    (folder / "passwd.txt").symlink_to(outside)
    with pytest.raises(ImportProblem, match="refusing a symbolic link") as refused:
        read_records(folder, format_name="brat")
    assert refused.value.path == folder / "passwd.txt"


def test_a_folder_import_refuses_a_symlink_to_a_file_outside(tmp_path, outside):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article.txt").write_text("Mark Carney spoke.")
    (folder / "passwd.txt").symlink_to(outside)
    with pytest.raises(ImportProblem, match="refusing a symbolic link") as refused:
        expand_paths([str(folder)])
    assert refused.value.path == folder / "passwd.txt"


def test_a_glob_refuses_a_symlinked_folder_it_would_walk_into(tmp_path, outside):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article.txt").write_text("Mark Carney spoke.")
    (folder / "elsewhere").symlink_to(outside.parent, target_is_directory=True)
    with pytest.raises(ImportProblem, match="refusing a symbolic link") as refused:
        expand_paths([f"{folder}/**/*.txt"])
    assert refused.value.path == folder / "elsewhere"


def test_a_folder_without_links_still_imports(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article.txt").write_text("Mark Carney spoke.")
    assert expand_paths([str(folder)]) == [folder / "article.txt"]
    assert expand_paths([f"{folder}/**/*.txt"]) == [folder / "article.txt"]


def brat_zip(path: Path, text: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("wire-1.txt", text)
        archive.writestr("wire-1.ann", "")
    return path


@pytest.mark.django_db
def test_the_cli_refuses_a_brat_zip_bomb_naming_the_entry_and_its_ratio(tmp_path):
    path = brat_zip(tmp_path / "bomb.zip", b"0" * 30 * 10**6)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command(
            "import_documents",
            str(path),
            corpus="Wire",
            format="brat",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert re.fullmatch(
        rf"error: {re.escape(str(path / 'wire-1.txt'))}: zip entry 'wire-1.txt' looks like a zip "
        r"bomb: its [\d,]+ compressed bytes inflate to 30,000,000 \([\d,]+ times; at most 100 "
        r"times is allowed\)\n",
        err.getvalue(),
    )
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_the_cli_imports_a_large_brat_entry_that_deflates_like_text(tmp_path):
    # Past the 1 MiB below which any ratio passes; random words deflate about twice.
    letters = os.urandom(3 * 10**6).hex()
    text = " ".join(letters[i : i + 9] for i in range(0, len(letters), 9))
    path = brat_zip(tmp_path / "large.zip", text.encode())
    call_command("import_documents", str(path), corpus="Wire", format="brat", stdout=io.StringIO())
    assert Document.objects.get().text == text
