"""The production server for runners that drive the API: gunicorn on a scratch database.

As `make serve` runs it (`config.wsgi`, DEBUG off), but on a free port of 127.0.0.1 over plain
HTTP (BYLINE_HTTPS=0) with a random SECRET_KEY unless the environment sets one.
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterable
from http.cookies import SimpleCookie
from pathlib import Path

from bench.benchlib import PYTHON, REPO_ROOT

HOST = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port of HOST that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(
    database_url: str,
    port: int,
    *,
    workers: int,
    log_path: Path,
    worker_class: str = "sync",
    threads: int = 1,
    env: dict[str, str] | None = None,
) -> subprocess.Popen:
    """Start gunicorn on `database_url` (with `env` added to the environment, MEDIA_ROOT say)
    and return it once it answers; its output goes to `log_path`."""
    env = {
        **os.environ,
        **(env or {}),
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "BYLINE_HTTPS": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
    }
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")
    command = [str(Path(PYTHON).with_name("gunicorn")), "config.wsgi", "--bind", f"{HOST}:{port}"]
    command += ["--workers", str(workers), "--worker-class", worker_class]
    command += ["--threads", str(threads), "--log-level", "warning"]
    # One control socket per user by default: leave it to a real server.
    command += ["--no-control-socket"]
    server = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}); see {log_path}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/api/schema/")
            connection.getresponse().read()
            connection.close()
            return server
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(server)
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log_path}")


def stop_process_groups(processes: Iterable[subprocess.Popen]) -> None:
    """Stop each process and its children (each started in its own process group): SIGTERM to
    all first, so they wind down together, then SIGKILL to any still there after 30 s."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def stop_gunicorn(server: subprocess.Popen) -> None:
    """Stop gunicorn and its workers (its own process group)."""
    stop_process_groups([server])


def token_header(user) -> dict[str, str]:
    """Return the Authorization header of `user`'s API token (made if missing)."""
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}"}


def multipart_body(
    fields: dict[str, str], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    """Return a multipart/form-data body and its content type, as a browser posts a form:
    `fields` by name, then `files` as (field name, file name, content)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        parts.append(content)
        parts.append(b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class BrowserSession:
    """A browser's session with a server on HOST:`port`: it keeps cookies, logs in through
    the login page, and sends the CSRF token with its posts, as a person's browser does."""

    def __init__(self, port: int, *, timeout: float = 600) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    @property
    def csrf_token(self) -> str:
        return self.cookies["csrftoken"]

    def request(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; return its status, headers (lower-case names) and body."""
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def login(self, username: str, password: str) -> None:
        """Log in through /accounts/login/ (which sets the CSRF cookie, then rotates it)."""
        self.request("GET", "/accounts/login/")
        fields = {"csrfmiddlewaretoken": self.csrf_token, "username": username}
        body, content_type = multipart_body({**fields, "password": password}, [])
        status, _, data = self.request("POST", "/accounts/login/", body, content_type)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: {status} {data[:300]!r}")
