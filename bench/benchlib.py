"""What the benchmark runners share: paths, scratch databases, child processes and tables.

Every measurement runs in a fresh child process (`python -m bench.<runner> --child ...`) that
prints one JSON object on its last line of stdout, so peak RSS is the child's own and no
import cache or warm connection carries over from one measurement to the next.
"""

import datetime
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# BYLINE_BENCH_OUT lets a snapshot of the code (`git archive`) write where the checkout does.
OUT_DIR = Path(os.environ.get("BYLINE_BENCH_OUT") or BENCH_DIR / "out").resolve()
PYTHON = sys.executable
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/byline_bench"
# Scratch databases are dropped and re-created; refuse any name that is not obviously ours.
SCRATCH_PREFIX = "byline_bench"
BENCH_CORPUS = "Bench"


def setup_django() -> None:
    """Configure Django from the environment (DATABASE_URL) for a child process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def peak_rss_mib() -> float:
    """Return this process's peak resident set size so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(result: dict[str, Any]) -> None:
    """Print a child's result as the last line of its stdout."""
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    sys.stdout.flush()


def run_child(
    module: str, args: Sequence[str], *, env: dict[str, str], timeout: float = 3600
) -> dict:
    """Run `python -m module args` and return the JSON object on the last line of its stdout."""
    completed = subprocess.run(
        [PYTHON, "-m", module, *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"child {module} {' '.join(args)} failed ({completed.returncode}):\n"
            f"{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}"
        )
    return orjson.loads(completed.stdout.strip().splitlines()[-1])


def manage(*args: str, env: dict[str, str]) -> None:
    """Run `manage.py args` against the database in `env`, failing loudly."""
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )


@dataclass
class ScratchDatabase:
    """A benchmark database that is created empty and dropped afterwards.

    `kind` is "sqlite" (a file under bench/out/) or "postgres" (a database named
    byline_bench... on the server of `pg_url`; no other database is ever created or dropped).
    """

    kind: str
    name: str
    pg_url: str = DEFAULT_PG_URL

    def __post_init__(self) -> None:
        if self.kind not in {"sqlite", "postgres"}:
            raise ValueError(f"unknown database kind {self.kind!r}")
        if not self.name.startswith(SCRATCH_PREFIX) or not self.name.replace("_", "").isalnum():
            raise ValueError(f"scratch database names start with {SCRATCH_PREFIX}: {self.name!r}")

    @property
    def path(self) -> Path:
        return OUT_DIR / f"{self.name}.sqlite3"

    @property
    def url(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.path}"
        parts = urlsplit(self.pg_url)
        return urlunsplit(parts._replace(path=f"/{self.name}"))

    @property
    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.url, "DEBUG": "0"}

    def maintenance_connection(self):
        """Return an autocommit connection to the server's `postgres` database."""
        import psycopg

        parts = urlsplit(self.pg_url)
        return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)

    def drop(self) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return
        from psycopg import sql

        with self.maintenance_connection() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    def create(self, *, template: "ScratchDatabase | None" = None) -> None:
        """Create the database empty, or as a copy of `template` (same kind, not in use)."""
        self.drop()
        if self.kind == "sqlite":
            OUT_DIR.mkdir(parents=True, exist_ok=True)
            if template is not None:
                shutil.copyfile(template.path, self.path)
            return
        from psycopg import sql

        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name))
        if template is not None:
            query += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template.name))
        with self.maintenance_connection() as connection:
            connection.execute(query)

    def migrate(self) -> None:
        manage("migrate", "--no-input", env=self.env)

    def connect_raw(self):
        """Return a plain driver connection (sqlite3 or psycopg) to this database."""
        if self.kind == "sqlite":
            import sqlite3

            connection = sqlite3.connect(self.path, isolation_level=None)
            # The same pragmas as config/settings.py gives Django's connections.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            return connection
        import psycopg

        # Autocommit, so that `connection.transaction()` is a real transaction, not a
        # savepoint in an implicit one that close() would roll back.
        return psycopg.connect(self.url, autocommit=True)


def code_revision() -> str:
    """Return the commit the measured code is at (+ "-dirty" for uncommitted changes)."""
    revision_file = REPO_ROOT / "REVISION"
    if revision_file.exists():
        return revision_file.read_text().strip()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}-dirty" if dirty else commit


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[float], share: float) -> float:
    """Return the nearest-rank percentile `share` (0.95 for p95) of `values`, NaN if none."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def format_table(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> str:
    """Return `rows` as a Markdown table; `columns` are (key, heading, format spec)."""
    header = "| " + " | ".join(heading for _, heading, _ in columns) + " |"
    rule = "|" + "|".join("---:" if spec else "---" for _, _, spec in columns) + "|"
    lines = [header, rule]
    for row in rows:
        cells = []
        for key, _, spec in columns:
            value = row.get(key)
            cells.append("" if value is None else format(value, spec) if spec else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def print_header(title: str, module: str) -> datetime.datetime:
    """Print the lines a result starts with (what, when, machine, code, command); return when."""
    started = datetime.datetime.now(datetime.UTC)
    print(f"# {title}, {started:%Y-%m-%d %H:%M} UTC")
    print(f"# machine: {machine_summary()}")
    print(f"# code: {code_revision()}")
    print(f"# command: .venv/bin/python -m {module} {' '.join(sys.argv[1:])}")
    return started


def machine_summary() -> str:
    """Return nproc, memory, CPU model and load, for result files."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kib = int(line.split()[1])
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {memory_kib / 1024 / 1024:.1f} GiB RAM, "
        f"load average {load}"
    )
