"""doccano 1.8.4 and Label Studio 1.23.2, run for the peer round trips (tests/peers) and the
side-by-side benchmark (bench/doccano_side_by_side.py): each from its cached venv
(bench/install_peers.sh), on 127.0.0.1 and a free port, with a data folder of the caller's,
driven through its own REST API with token auth.

Nothing here is part of Byline: the tools are only what Byline is checked and measured against.
"""

import http.client
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import time
import uuid
import zipfile
from pathlib import Path
from typing import Any

from bench.apiserver import HOST, free_port, multipart_body, stop_process_groups

CACHE = Path(os.environ.get("BYLINE_PEERS_CACHE", Path.home() / ".cache" / "byline-peers"))
DOCCANO_VERSION = "1.8.4"
DOCCANO_VENV = CACHE / f"doccano-{DOCCANO_VERSION}"
LABEL_STUDIO_VENV = CACHE / "label-studio-1.23.2"
INSTALL_SCRIPT = Path(__file__).with_name("install_peers.sh")
START_TIMEOUT = 900
# Task-status polls answered 5xx that are retried before a doccano task is called failed.
MAX_FAILED_POLLS = 100


def filepond_upload(path: Path) -> tuple[bytes, str]:
    """Return the body and content type with which doccano's web page uploads `path`
    (its filepond widget, before the import task is started)."""
    return multipart_body({}, [("filepond", path.name, path.read_bytes())])


def snapshot(database: Path, template: Path, credentials: dict[str, str]) -> None:
    """Keep a copy of a freshly set-up tool's SQLite database, and the credentials in it, as
    the template later runs start from: migrating takes minutes on a busy machine. The
    backup API copies a consistent state even while the tool runs."""
    template.parent.mkdir(parents=True, exist_ok=True)
    partial = template.with_name(template.name + ".partial")
    with sqlite3.connect(database) as source, sqlite3.connect(partial) as copy:
        source.backup(copy)
    partial.replace(template)
    template.with_suffix(".json").write_text(json.dumps(credentials))


def from_template(template: Path, database: Path) -> dict[str, str] | None:
    """Copy the template database to `database`; return its credentials, or None if there
    is no template yet."""
    if not (template.exists() and template.with_suffix(".json").exists()):
        return None
    database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, database)
    return json.loads(template.with_suffix(".json").read_text())


# Byline's own settings, which the tools (Django projects too) would otherwise read.
BYLINE_VARIABLES = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DEBUG")


def tool_environment(**variables: str) -> dict[str, str]:
    """Return this process's environment without Byline's settings, plus `variables`."""
    env = {key: value for key, value in os.environ.items() if key not in BYLINE_VARIABLES}
    return env | variables


class Tool:
    """A peer tool's processes, its port and its API token."""

    name = "tool"

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = 0
        self.token = ""
        self.processes: list[subprocess.Popen] = []
        self.auth_scheme = "Token"

    def spawn(self, command: list[str], *, env: dict[str, str], cwd: Path, log: str) -> None:
        with (self.home / log).open("w") as out:
            self.processes.append(
                subprocess.Popen(
                    command,
                    env=env,
                    cwd=cwd,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )

    def stop(self) -> None:
        """Stop the processes this object started (each its own process group)."""
        stop_process_groups(self.processes)
        self.processes.clear()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.home.glob("*.log"))
        )

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        content_type: str = "application/json",
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=300)
        headers = {"Content-Type": content_type}
        if self.token:
            headers["Authorization"] = f"{self.auth_scheme} {self.token}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, data

    def api(self, method: str, path: str, body: Any = None, *, expect: int = 200) -> Any:
        status, data = self.request(method, path, body)
        if status != expect:
            raise RuntimeError(f"{self.name} {method} {path}: {status} {data[:500]!r}")
        return json.loads(data) if data else None

    def wait_for_log(self, log: str, text: str) -> None:
        """Wait until `text` appears in the log `log` of this tool's processes."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.processes):
                raise RuntimeError(f"{self.name} exited while starting:\n{self.logs()}")
            if text in (self.home / log).read_text(errors="replace"):
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not log {text!r} in {START_TIMEOUT} s:\n{self.logs()}")

    def wait_until_up(self, path: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.processes):
                raise RuntimeError(f"{self.name} exited while starting:\n{self.logs()}")
            try:
                status, _ = self.request("GET", path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer within {START_TIMEOUT} s:\n{self.logs()}")


class Doccano(Tool):
    """doccano 1.8.4: its web app under the venv's gunicorn on 127.0.0.1 (`doccano
    webserver` binds 0.0.0.0) and its Celery worker (`doccano task`), which runs imports and
    exports. A session cookie would need CSRF on every POST, so the API uses a token."""

    name = "doccano"

    def __init__(self, home: Path, *, task_timeout: float = 300) -> None:
        super().__init__(home)
        self.password = secrets.token_urlsafe(16)
        self.task_timeout = task_timeout
        self.failed_polls = 0
        self.worker: subprocess.Popen | None = None
        self.bin = DOCCANO_VENV / "bin"
        self.backend = next(DOCCANO_VENV.glob("lib/python*/site-packages/backend"))

    @property
    def env(self) -> dict[str, str]:
        # What `doccano webserver` and `doccano task` set up (backend/cli.py), in our home.
        return tool_environment(
            DOCCANO_HOME=str(self.home),
            DJANGO_SETTINGS_MODULE="config.settings.production",
            STANDALONE="True",
            DATABASE_URL=f"sqlite:///{self.home}/db.sqlite3",
            MEDIA_ROOT=str(self.home / "media"),
            SECRET_KEY=secrets.token_urlsafe(50),
            DEBUG="False",
        )

    def start(self, *, workers: int = 1) -> None:
        """Start the Celery worker, then the web app with `workers` gunicorn workers, from a
        copy of the template database (made on the first start: migrated, with our user);
        log in."""
        env = {**self.env}
        template = DOCCANO_VENV / "template" / "db.sqlite3"
        credentials = from_template(template, self.home / "db.sqlite3")
        if credentials:
            self.password = credentials["password"]
        else:
            # Run from doccano's own folder: its Django project is also called `config`.
            for command in (
                ["init"],
                ["createuser", "--username", "peer", "--password", self.password],
            ):
                subprocess.run(
                    [str(self.bin / "doccano"), *command],
                    env=env,
                    cwd=self.backend,
                    check=True,
                    capture_output=True,
                )
            snapshot(self.home / "db.sqlite3", template, {"password": self.password})
        # Both processes below create the upload store on start (django-drf-filepond's
        # ready(): "if not exists: makedirs"), and the slower one died of FileExistsError when
        # the first made it meanwhile. `doccano init` makes it; a copied template does not.
        (self.home / "media").mkdir(exist_ok=True)
        # The worker first, and the web app only once it is ready: both declare Celery's queue
        # in the SQLite broker (the worker on start, the web app when its health check sends a
        # task), and the one that inserted second died of "UNIQUE constraint failed:
        # kombu_queue.name".
        self.spawn(
            [str(self.bin / "doccano"), "task", "--concurrency", "1"],
            env=env,
            cwd=self.backend,
            log="task.log",
        )
        self.worker = self.processes[-1]
        self.wait_for_log("task.log", " ready.")
        self.port = free_port()
        self.spawn(
            [
                str(self.bin / "gunicorn"),
                "--chdir",
                str(self.backend),
                "config.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "600",
            ],
            env=env,
            cwd=self.backend,
            log="web.log",
        )
        self.wait_until_up("/v1/health/")
        login = self.api("POST", "/v1/auth/login/", {"username": "peer", "password": self.password})
        self.token = login["key"]

    def create_project(self, *, allow_overlapping: bool, use_relation: bool) -> int:
        project = self.api(
            "POST",
            "/v1/projects",
            {
                "name": f"byline-{uuid.uuid4().hex[:8]}",
                "description": "Byline peer test",
                "guideline": "",
                "project_type": "SequenceLabeling",
                "resourcetype": "SequenceLabelingProject",
                "allow_overlapping": allow_overlapping,
                "grapheme_mode": False,
                "use_relation": use_relation,
                "random_order": False,
                "collaborative_annotation": False,
                "tags": [],
            },
            expect=201,
        )
        return project["id"]

    def examples(self, project: int) -> list[dict[str, Any]]:
        """Return every example of `project` (a few hundred at most here)."""
        return self.api("GET", f"/v1/projects/{project}/examples?limit=1000")["results"]

    def example_count(self, project: int) -> int:
        return self.api("GET", f"/v1/projects/{project}/examples?limit=1")["count"]

    def worker_peak_rss_mib(self) -> float:
        """Return the largest VmHWM among the Celery worker's process and its children."""
        assert self.worker is not None, "doccano is not started"
        peak = 0
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
                )
                if self.worker.pid in (int(fields["Pid"]), int(fields.get("PPid", 0))):
                    peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]))
            except (OSError, ValueError, KeyError):
                continue
        return peak / 1024

    def wait_for(self, task_id: str) -> Any:
        """Poll the Celery task `task_id` until it is done; return its result."""
        deadline = time.monotonic() + self.task_timeout
        while time.monotonic() < deadline:
            status, data = self.request("GET", f"/v1/tasks/status/{task_id}")
            if status >= 500 and self.failed_polls < MAX_FAILED_POLLS:
                # The web app and the worker share one SQLite file: a poll while the worker
                # writes can fail with "database is locked"; the task itself goes on, so the
                # poll is repeated (and counted: the benchmark prints how many).
                self.failed_polls += 1
                time.sleep(0.5)
                continue
            if status != 200:
                raise RuntimeError(f"doccano task {task_id}: {status} {data[:300]!r}")
            state = json.loads(data)
            if state["ready"]:
                if state["error"]:
                    raise RuntimeError(f"doccano task failed: {state['error']}")
                return state["result"]
            time.sleep(0.2)
        raise RuntimeError(
            f"doccano task {task_id} not done after {self.task_timeout:.0f} s:\n{self.logs()}"
        )

    def import_jsonl(self, project: int, path: Path, *, relations: bool = True) -> Any:
        """Upload `path` as doccano's web page does, as "JSONL(Relation)" (or, without
        `relations`, "JSONL"); return the task's result (its `error` lists what doccano
        refused)."""
        raw, content_type = filepond_upload(path)
        status, data = self.request("POST", "/v1/fp/process/", raw=raw, content_type=content_type)
        if status != 200:
            raise RuntimeError(f"doccano upload: {status} {data[:300]!r}")
        task = self.api(
            "POST",
            f"/v1/projects/{project}/upload",
            {
                "format": "JSONL",
                # The page's "JSONL(Relation)" option is this task; "JSONL" is the other.
                "task": "RelationExtraction" if relations else "SequenceLabeling",
                "uploadIds": [data.decode().strip()],
                "column_data": "text",
                "column_label": "label",
                "delimiter": ",",
                "encoding": "utf_8",
            },
        )
        return self.wait_for(task["task_id"])

    def export_jsonl(self, project: int, out: Path) -> list[dict[str, Any]]:
        """Export the project as JSONL (all examples); write the file to `out` and return
        its lines."""
        task = self.api(
            "POST", f"/v1/projects/{project}/download", {"format": "JSONL", "exportApproved": False}
        )
        self.wait_for(task["task_id"])
        status, data = self.request(
            "GET", f"/v1/projects/{project}/download?taskId={task['task_id']}"
        )
        if status != 200:
            raise RuntimeError(f"doccano download: {status} {data[:300]!r}")
        zipped = out.with_suffix(".zip")
        zipped.write_bytes(data)
        with zipfile.ZipFile(zipped) as archive:
            content = b"".join(archive.read(name) for name in sorted(archive.namelist()))
        out.write_bytes(content)
        return [json.loads(line) for line in content.splitlines() if line.strip()]


class LabelStudio(Tool):
    """Label Studio 1.23.2 (`label-studio start`) on 127.0.0.1, telemetry off."""

    name = "label-studio"
    email = "reviewer@byline.test"

    def __init__(self, home: Path) -> None:
        super().__init__(home)
        self.password = secrets.token_urlsafe(16)
        self.bin = LABEL_STUDIO_VENV / "bin"

    def start(self) -> None:
        self.port = free_port()
        self.token = secrets.token_hex(20)
        template = LABEL_STUDIO_VENV / "template" / "label_studio.sqlite3"
        credentials = from_template(template, self.home / "label_studio.sqlite3")
        if credentials:
            self.password, self.token = credentials["password"], credentials["token"]
        env = tool_environment(
            # Label Studio sends usage events and error reports unless told not to.
            COLLECT_ANALYTICS="false",
            SENTRY_DSN="",
            FRONTEND_SENTRY_DSN="",
            LATEST_VERSION_CHECK="false",
            LABEL_STUDIO_BASE_DATA_DIR=str(self.home),
            DJANGO_DB="sqlite",
        )
        self.spawn(
            [
                str(self.bin / "label-studio"),
                "start",
                "--no-browser",
                "--internal-host",
                HOST,
                "--port",
                str(self.port),
                "--data-dir",
                str(self.home / "data"),
                "--username",
                self.email,
                "--password",
                self.password,
                "--user-token",
                self.token,
                "--enable-legacy-api-token",
            ],
            env=env,
            cwd=self.home,
            log="label-studio.log",
        )
        self.wait_until_up("/health")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            # The user and its token are made after the server answers /health.
            status, _ = self.request("GET", "/api/current-user/whoami")
            if status == 200:
                if not credentials:
                    snapshot(
                        self.home / "label_studio.sqlite3",
                        template,
                        {"password": self.password, "token": self.token},
                    )
                return
            time.sleep(0.5)
        raise RuntimeError(f"Label Studio refused its token:\n{self.logs()}")

    def create_project(self, label_config: str) -> int:
        project = self.api(
            "POST",
            "/api/projects",
            {"title": f"byline-{uuid.uuid4().hex[:8]}", "label_config": label_config},
            expect=201,
        )
        return project["id"]

    def import_tasks(self, project: int, path: Path) -> Any:
        return self.api(
            "POST", f"/api/projects/{project}/import", json.loads(path.read_bytes()), expect=201
        )

    def export_json(self, project: int, out: Path, *, users: bool = False) -> list[dict[str, Any]]:
        """Export every task of `project` as JSON to `out` and return it. With `users`,
        through an export snapshot that gives each annotation's `completed_by` as the user
        (with their e-mail) rather than Label Studio's id for them."""
        if not users:
            path = f"/api/projects/{project}/export?exportType=JSON&download_all_tasks=true"
        else:
            snapshot = self.api(
                "POST",
                f"/api/projects/{project}/exports",
                {"serialization_options": {"annotations__completed_by": {"only_id": False}}},
                expect=201,
            )
            deadline = time.monotonic() + 120
            while (
                self.api("GET", f"/api/projects/{project}/exports/{snapshot['id']}")["status"]
                != "completed"
            ):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Label Studio export {snapshot['id']} not done in 120 s")
                time.sleep(0.3)
            path = f"/api/projects/{project}/exports/{snapshot['id']}/download?exportType=JSON"
        status, data = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"Label Studio export: {status} {data[:300]!r}")
        out.write_bytes(data)
        return json.loads(data)
