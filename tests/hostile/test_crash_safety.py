"""SIGKILL an import mid-file and an export mid-write: nothing partial may remain."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = 20_000


@pytest.fixture
def scratch_database(tmp_path):
    """Return the DATABASE_URL of an empty database of the kind the suite runs on."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    name = f"byline_crash_{uuid.uuid4().hex[:8]}"
    server = f"host={database['HOST']} port={database['PORT'] or 5432} user={database['USER']}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}/{name}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url: str, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def run(database_url: str, *args: str) -> str:
    process = manage(database_url, *args)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out


def counts(database_url: str) -> tuple[int, int]:
    out = run(
        database_url,
        "shell",
        "--no-imports",
        "-c",
        "from annotations.models import Annotation; from corpus.models import Document; "
        "print(Document.objects.count(), Annotation.objects.count())",
    )
    documents, spans = out.split()
    return int(documents), int(spans)


def write_corpus(path: Path) -> None:
    with path.open("w") as handle:
        for i in range(DOCUMENTS):
            text = f"Story {i}: Mark Carney said “we are ready” as {i} officials listened."
            quote_start = text.index("we are ready")
            handle.write(
                json.dumps(
                    {
                        "id": f"d{i:05}",
                        "text": text,
                        "spans": [
                            {"id": "a", "start": 10, "end": 21, "label": "ACTOR"},
                            {
                                "id": "q",
                                "start": quote_start,
                                "end": quote_start + 12,
                                "label": "QUOTE",
                            },
                        ],
                        "relations": [{"type": "speaker", "from": "q", "to": "a"}],
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )


def wait_for_line(process: subprocess.Popen, marker: str) -> None:
    for line in process.stdout:
        if marker in line:
            return
    raise AssertionError(f"{marker!r} never printed: {process.stderr.read()}")


def open_output_offset(pid: int, folder: Path) -> int:
    """Return how far the process has written into a file in `folder` (0 if none is open)."""
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder)):
            info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
            return int(info.split("pos:")[1].split()[0])
    return 0


def test_killed_import_leaves_nothing_and_killed_export_leaves_no_file(scratch_database, tmp_path):
    run(scratch_database, "migrate", "--no-input")
    source = tmp_path / "big.jsonl"
    write_corpus(source)

    importer = manage(
        scratch_database, "import_documents", "--corpus", "Crash", "-v", "2", str(source)
    )
    # Killed once its first chunk is written, while the file's transaction is still open.
    wait_for_line(importer, "documents so far")
    assert importer.poll() is None, "the import finished before it could be killed"
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=30)
    assert counts(scratch_database) == (0, 0)

    out = run(scratch_database, "import_documents", "--corpus", "Crash", str(source))
    assert "created 20000 documents (40000 spans, 20000 relations)" in out
    assert counts(scratch_database) == (DOCUMENTS, 2 * DOCUMENTS)

    exports = tmp_path / "exports"
    exports.mkdir()
    target = exports / "crash.jsonl"
    exporter = manage(
        scratch_database, "export_annotations", "--corpus", "Crash", "-o", str(target)
    )
    deadline = time.monotonic() + 120
    while open_output_offset(exporter.pid, exports) == 0:
        assert exporter.poll() is None, exporter.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    exporter.send_signal(signal.SIGKILL)
    exporter.wait(timeout=30)
    assert list(exports.iterdir()) == []

    run(scratch_database, "export_annotations", "--corpus", "Crash", "-o", str(target))
    assert [path.name for path in exports.iterdir()] == ["crash.jsonl"]
    assert len(target.read_text().splitlines()) == DOCUMENTS
