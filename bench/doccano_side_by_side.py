"""Byline and doccano 1.8 side by side: the same doccano file imported and exported by both.

Optional and slow; never part of `make test`. It installs doccano 1.8.x into its own venv,
bench/out/doccano-venv (pins from PEERS.md: "marshmallow<4", "numpy<2"), outside the
project's requirements, keeps doccano's home (SQLite database, media) in
bench/out/doccano-home, and runs doccano's web app under gunicorn bound to 127.0.0.1 plus its
Celery worker (`doccano task`), which does imports and exports.

doccano: upload bench/out/doccano-<N>.jsonl through its REST API with token auth
(filepond upload, then /v1/projects/<id>/upload, polling the Celery task), then export JSONL
(/v1/projects/<id>/download, polling, then fetching the zip). Times run from the first request
to the last byte. Peak RSS is the largest VmHWM among the Celery worker's processes.

Byline: the same file through `import_paths(..., format_name="doccano")` and the export
through `export_jsonl`, each in a fresh process, on SQLite like doccano.

    .venv/bin/python -m bench.doccano_side_by_side --size 10000
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import orjson

from bench.apiserver import HOST, free_port, multipart_body, stop_process_groups
from bench.benchlib import (
    OUT_DIR,
    ScratchDatabase,
    format_table,
    print_header,
    run_child,
)
from bench.generate import corpus_paths, ensure_corpus

DOCCANO_SPEC = ["doccano>=1.8,<1.9", "marshmallow<4", "numpy<2"]
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)
# Task-status polls answered 5xx that are retried before the run is called failed.
MAX_FAILED_POLLS = 100


def filepond_upload(path: Path) -> tuple[bytes, str]:
    """Return the body and content type with which doccano's web page uploads `path`
    (its filepond widget, before the import task is started)."""
    return multipart_body({}, [("filepond", path.name, path.read_bytes())])


class Doccano:
    """A doccano installation and home under bench/out, and its running processes."""

    def __init__(self, out: Path) -> None:
        self.venv = out / "doccano-venv"
        self.home = out / "doccano-home"
        self.processes: list[subprocess.Popen] = []
        self.password = secrets.token_urlsafe(16)
        self.port = 0
        self.token = ""
        self.failed_polls = 0

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    @property
    def backend(self) -> Path:
        found = list(self.venv.glob("lib/python*/site-packages/backend"))
        if not found:
            raise RuntimeError(f"no doccano backend in {self.venv}")
        return found[0]

    @property
    def env(self) -> dict[str, str]:
        # What `doccano webserver` and `doccano task` set up (backend/cli.py), with a home of
        # our own and a non-default secret key.
        return {
            **os.environ,
            "DOCCANO_HOME": str(self.home),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "STANDALONE": "True",
            "DATABASE_URL": f"sqlite:///{self.home}/db.sqlite3",
            "MEDIA_ROOT": str(self.home / "media"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "False",
        }

    def install(self) -> str:
        """Create the venv and install doccano unless it is there; return its version."""
        if not (self.bin / "doccano").exists():
            subprocess.run([BASE_PYTHON, "-m", "venv", str(self.venv)], check=True)
            subprocess.run(
                [str(self.bin / "pip"), "install", "--quiet", *DOCCANO_SPEC],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        version = subprocess.run(
            [
                str(self.bin / "python"),
                "-c",
                "import importlib.metadata as m; print(m.version('doccano'))",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return version.stdout.strip()

    def init(self) -> None:
        """Start from an empty home: migrate, create roles and the admin user."""
        shutil.rmtree(self.home, ignore_errors=True)
        self.home.mkdir(parents=True)
        doccano = str(self.bin / "doccano")
        # Run from doccano's own folder: its Django project is also called `config`.
        where = {"env": self.env, "cwd": self.backend, "check": True}
        subprocess.run([doccano, "init"], stdout=subprocess.DEVNULL, **where)
        subprocess.run(
            [doccano, "createuser", "--username", "bench", "--password", self.password],
            stdout=subprocess.DEVNULL,
            **where,
        )

    def start(self, *, workers: int) -> None:
        """Start the web app (gunicorn on 127.0.0.1) and the Celery worker."""
        self.port = free_port()
        log = (OUT_DIR / "doccano-web.log").open("w")
        web = [str(self.bin / "gunicorn"), "--chdir", str(self.backend), "config.wsgi"]
        web += ["--bind", f"{HOST}:{self.port}", "--workers", str(workers), "--timeout", "600"]
        self.processes.append(
            subprocess.Popen(
                web,
                env=self.env,
                cwd=self.backend,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        log = (OUT_DIR / "doccano-task.log").open("w")
        self.processes.append(
            subprocess.Popen(
                [str(self.bin / "doccano"), "task"],
                env=self.env,
                cwd=self.backend,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, _ = self.request("GET", "/v1/health/", auth=False)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("doccano did not answer within 120 s; see bench/out/doccano-web.log")

    def stop(self) -> None:
        stop_process_groups(self.processes)
        self.processes.clear()

    def worker_peak_rss_mib(self) -> float:
        """Return the largest VmHWM among the Celery worker process and its children."""
        worker = self.processes[1].pid
        peak = 0
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
                )
                if int(fields["Pid"]) == worker or int(fields.get("PPid", 0)) == worker:
                    peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]))
            except (OSError, ValueError, KeyError):
                continue
        return peak / 1024

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        auth: bool = True,
        raw: bytes | None = None,
        content_type: str = "application/json",
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=600)
        headers = {"Content-Type": content_type}
        if auth:
            headers["Authorization"] = f"Token {self.token}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, data

    def api(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        status, data = self.request(method, path, body)
        if status != expect:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]!r}")
        return json.loads(data) if data else None

    def login(self) -> None:
        status, data = self.request(
            "POST",
            "/v1/auth/login/",
            {"username": "bench", "password": self.password},
            auth=False,
        )
        if status != 200:
            raise RuntimeError(f"login failed: {status} {data[:300]!r}")
        self.token = json.loads(data)["key"]

    def create_project(self) -> int:
        project = self.api(
            "POST",
            "/v1/projects",
            {
                "name": "bench",
                "description": "Byline benchmark",
                "guideline": "",
                "project_type": "SequenceLabeling",
                "resourcetype": "SequenceLabelingProject",
                # ACTOR spans nest inside QUOTE spans.
                "allow_overlapping": True,
                "grapheme_mode": False,
                "use_relation": False,
                "random_order": False,
                "collaborative_annotation": False,
                "tags": [],
            },
            expect=201,
        )
        return project["id"]

    def wait_for(self, task_id: str, *, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, data = self.request("GET", f"/v1/tasks/status/{task_id}")
            if status >= 500 and self.failed_polls < MAX_FAILED_POLLS:
                # doccano's web app and its Celery worker share one SQLite file: a poll
                # while the worker writes can fail with "database is locked"; the task
                # itself goes on, so the poll is repeated (and counted in the output).
                self.failed_polls += 1
                time.sleep(0.5)
                continue
            if status != 200:
                raise RuntimeError(f"GET /v1/tasks/status/{task_id}: {status} {data[:300]!r}")
            state = json.loads(data)
            if state["ready"]:
                if state["error"]:
                    raise RuntimeError(f"doccano task failed: {state['error']}")
                return state["result"]
            time.sleep(0.2)
        raise RuntimeError(f"doccano task {task_id} not done after {timeout:.0f} s")

    def upload(self, path: Path) -> str:
        raw, content_type = filepond_upload(path)
        status, data = self.request("POST", "/v1/fp/process/", raw=raw, content_type=content_type)
        if status != 200:
            raise RuntimeError(f"upload failed: {status} {data[:300]!r}")
        return data.decode().strip()

    def import_file(self, project: int, path: Path) -> dict[str, Any]:
        started = time.perf_counter()
        upload_id = self.upload(path)
        task = self.api(
            "POST",
            f"/v1/projects/{project}/upload",
            {
                "format": "JSONL",
                "task": "SequenceLabeling",
                "uploadIds": [upload_id],
                "column_data": "text",
                "column_label": "label",
                "delimiter": ",",
                "encoding": "utf_8",
            },
        )
        result = self.wait_for(task["task_id"], timeout=7200)
        seconds = time.perf_counter() - started
        if result and result.get("error"):
            raise RuntimeError(f"doccano import reported errors: {result['error'][:3]}")
        examples = self.api("GET", f"/v1/projects/{project}/examples?limit=1")["count"]
        return {"seconds": seconds, "documents": examples}

    def export(self, project: int, out: Path) -> dict[str, Any]:
        started = time.perf_counter()
        task = self.api(
            "POST", f"/v1/projects/{project}/download", {"format": "JSONL", "exportApproved": False}
        )
        self.wait_for(task["task_id"], timeout=7200)
        status, data = self.request(
            "GET", f"/v1/projects/{project}/download?taskId={task['task_id']}"
        )
        seconds = time.perf_counter() - started
        if status != 200:
            raise RuntimeError(f"download failed: {status} {data[:300]!r}")
        out.write_bytes(data)
        documents = spans = 0
        with zipfile.ZipFile(out) as archive:
            for name in archive.namelist():
                for line in archive.read(name).splitlines():
                    if line.strip():
                        documents += 1
                        spans += len(orjson.loads(line).get("label", []))
        return {"seconds": seconds, "documents": documents, "spans": spans}


def run_byline(path: Path, size: int) -> dict[str, dict]:
    """Import the doccano file into a fresh SQLite database and export it, as Byline does."""
    db = ScratchDatabase("sqlite", "byline_bench_doccano")
    db.create()
    try:
        db.migrate()
        base = ["--db-kind", "sqlite", "--db-name", db.name]
        imported = run_child(
            "bench.import_export",
            [*base, "--child", "ours-import", "--file", str(path), "--format", "doccano"],
            env=db.env,
        )
        exported = run_child(
            "bench.import_export",
            [
                *base,
                "--child",
                "ours-export",
                "--file",
                str(OUT_DIR / f"export-doccano-side-{size}.jsonl"),
            ],
            env=db.env,
        )
    finally:
        db.drop()
    return {"import": imported, "export": exported}


COLUMNS = [
    ("system", "system", ""),
    ("import_s", "import s", ".1f"),
    ("import_docs", "import docs/s", ",.1f"),
    ("import_spans", "import spans/s", ",.1f"),
    ("export_s", "export s", ".1f"),
    ("export_docs", "export docs/s", ",.1f"),
    ("export_spans", "export spans/s", ",.1f"),
    ("rss", "peak RSS MiB", ",.2f"),
]
RATIOS = ("import_docs", "import_spans", "export_docs", "export_spans")


def table_row(system: str, imported: dict, exported: dict, *, spans: int, rss: float) -> dict:
    """Return one system's row: seconds and rates of its import (of `spans`) and export."""
    return {
        "system": system,
        "import_s": imported["seconds"],
        "import_docs": imported["documents"] / imported["seconds"],
        "import_spans": spans / imported["seconds"],
        "export_s": exported["seconds"],
        "export_docs": exported["documents"] / exported["seconds"],
        "export_spans": exported["spans"] / exported["seconds"],
        "rss": rss,
    }


def measure_byline(path: Path, size: int) -> dict:
    clock = time.perf_counter()
    ours = run_byline(path, size)
    print(f"# Byline measured in {time.perf_counter() - clock:.0f} s", flush=True)
    rss = max(ours["import"]["peak_rss_mib"], ours["export"]["peak_rss_mib"])
    return table_row(
        "Byline", ours["import"], ours["export"], spans=ours["import"]["spans"], rss=rss
    )


def measure_doccano(path: Path, *, size: int, spans: int, workers: int) -> dict:
    """Install doccano if needed, import `path` into it and export it; return its row."""
    doccano = Doccano(OUT_DIR)
    clock = time.perf_counter()
    version = doccano.install()
    print(f"# doccano {version} ready in {time.perf_counter() - clock:.0f} s", flush=True)
    doccano.init()
    try:
        doccano.start(workers=workers)
        doccano.login()
        project = doccano.create_project()
        imported = doccano.import_file(project, path)
        print(f"# doccano import: {imported['seconds']:.0f} s", flush=True)
        exported = doccano.export(project, OUT_DIR / f"doccano-export-{size}.zip")
        rss = doccano.worker_peak_rss_mib()
    finally:
        doccano.stop()
    if doccano.failed_polls:
        print(f"# doccano answered {doccano.failed_polls} task-status polls with 5xx (retried)")
    if imported["documents"] != size or exported["spans"] != spans:
        print(
            f"# note: doccano holds {imported['documents']:,} documents and exported "
            f"{exported['spans']:,} spans (the file has {size:,} and {spans:,})"
        )
    return table_row(f"doccano {version}", imported, exported, spans=spans, rss=rss)


def ratio_row(ours: dict, theirs: dict) -> dict:
    return {
        "system": f"ratio {ours['system']} / doccano",
        **{key: ours[key] / theirs[key] for key in RATIOS},
        "rss": ours["rss"] / theirs["rss"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--skip-doccano", action="store_true", help="Only measure Byline.")
    args = parser.parse_args(argv)
    started = print_header("doccano side by side", "bench.doccano_side_by_side")
    manifest = ensure_corpus(args.size)
    path = corpus_paths(args.size)["doccano"]
    rows = [measure_byline(path, args.size)]
    if not args.skip_doccano:
        theirs = measure_doccano(
            path, size=args.size, spans=manifest["spans"], workers=args.workers
        )
        rows += [theirs, ratio_row(rows[0], theirs)]
    print()
    print(format_table(rows, COLUMNS))
    (OUT_DIR / f"doccano_side_by_side-{started:%Y%m%dT%H%M%S}.json").write_bytes(
        orjson.dumps({"started": started.isoformat(), "rows": rows}, option=orjson.OPT_INDENT_2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
