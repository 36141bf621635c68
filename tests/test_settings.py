import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from config.settings import LOCAL_HOSTS, load_secret_key

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "production-only-secret-key-of-enough-length-and-variety-7Qp",
        ALLOWED_HOSTS="byline.example.org",
        DEBUG="0",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "production-only-secret-key-of-enough-length-and-variety-7Qp",
    "DEBUG": "0",
    "BYLINE_HTTPS": "1",
}


def status_with_forged_proto(**env: str) -> str:
    """Return the status a production server answers to plain HTTP that claims to be HTTPS."""
    code = (
        "from django.test import Client; "
        "print(Client().get('/accounts/login/', headers={'x-forwarded-proto': 'https'})"
        ".status_code)"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, ALLOWED_HOSTS="testserver", **PRODUCTION, **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_client_cannot_claim_https_with_x_forwarded_proto_when_no_proxy_is_declared():
    # Believed, the header would skip the HTTPS redirect and mark plain HTTP as secure.
    assert status_with_forged_proto() == "301"


def test_x_forwarded_proto_is_believed_when_a_proxy_is_declared():
    assert status_with_forged_proto(BYLINE_BEHIND_PROXY="1") == "200"


def run_make_serve_deploy_check(**env: str) -> subprocess.CompletedProcess:
    """Run the deploy check exactly as `make serve` runs it with `env`, and nothing else."""
    plan = subprocess.run(
        ["make", "-n", "serve"],
        cwd=ROOT,
        env={**os.environ, **env, "DATABASE_URL": "postgres://byline@db.invalid:5432/byline"},
        capture_output=True,
        text=True,
        check=True,
    )
    [command] = [line for line in plan.stdout.splitlines() if "check --deploy" in line]
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        ["sh", "-c", command],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_serve_over_plain_http_refuses_a_weak_secret_key():
    result = run_make_serve_deploy_check(BYLINE_HTTPS="0", SECRET_KEY="changeme")
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_make_serve_over_plain_http_passes_with_only_the_https_warnings_silenced():
    result = run_make_serve_deploy_check(BYLINE_HTTPS="0", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode == 0, result.stderr
    assert "(4 silenced)" in result.stdout


def test_production_cookies_are_secure_and_out_of_reach_of_scripts():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    )
    result = run_manage(
        "shell", "--no-imports", "-c", code, ALLOWED_HOSTS="byline.example.org", **PRODUCTION
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


def test_public_server_without_a_secret_key_refuses_to_start():
    result = run_manage("check", ALLOWED_HOSTS="byline.example.org", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_local_use_generates_a_private_secret_key_file(tmp_path):
    key_file = tmp_path / "key"
    result = run_manage("check", BYLINE_SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr
    assert len(key_file.read_text()) >= 50
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_secret_key_file_is_git_ignored():
    assert "/.secret_key" in (ROOT / ".gitignore").read_text().splitlines()


def test_no_open_signup_route_exists(client):
    assert client.get("/accounts/signup/").status_code == 404
    assert client.get("/signup/").status_code == 404


@pytest.mark.django_db
def test_local_admin_is_made_once_with_a_private_random_password(tmp_path, client):
    password_file = tmp_path / "password"
    out = io.StringIO()
    call_command("ensure_local_admin", password_file=str(password_file), stdout=out)
    password = password_file.read_text().strip()
    assert f"as admin / {password}" in out.getvalue()
    assert password_file.stat().st_mode & 0o777 == 0o600
    again = io.StringIO()
    call_command(
        "ensure_local_admin",
        password_file=str(password_file),
        url="http://127.0.0.1:8010/",
        stdout=again,
    )
    assert password_file.read_text().strip() == password
    # `make run PORT=8010` prints the address it serves on.
    assert f"log in at http://127.0.0.1:8010/ as admin / {password}" in again.getvalue()
    login = client.post("/accounts/login/", {"username": "admin", "password": password})
    assert login.status_code == 302


class Killed(BaseException):
    """The process dying (SIGKILL, power cut) at the point a test chooses."""


@pytest.fixture
def dies_at_chmod(monkeypatch):
    """Open files as a permissive umask allows, and die if the code then chmods a file."""
    previous = os.umask(0)

    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(Path, "chmod", die)
    monkeypatch.setattr(os, "chmod", die)
    yield
    os.umask(previous)


def test_the_secret_key_file_is_private_from_the_moment_it_is_made(
    tmp_path, monkeypatch, dies_at_chmod
):
    # Written first and chmod-ed after, a key would be readable by everyone until the chmod,
    # and for good if the process died in between.
    key_file = tmp_path / "key"
    monkeypatch.setenv("BYLINE_SECRET_KEY_FILE", str(key_file))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with contextlib.suppress(Killed):
        load_secret_key(allowed_hosts=LOCAL_HOSTS, debug=False)
    assert key_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_the_local_admin_password_file_is_private_from_the_moment_it_is_made(
    tmp_path, dies_at_chmod
):
    password_file = tmp_path / "password"
    with contextlib.suppress(Killed):
        call_command("ensure_local_admin", password_file=str(password_file), stdout=io.StringIO())
    assert password_file.stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_a_password_file_left_from_an_earlier_database_is_replaced(tmp_path):
    password_file = tmp_path / "password"
    password_file.write_text("stale\n")
    call_command("ensure_local_admin", password_file=str(password_file), stdout=io.StringIO())
    assert password_file.read_text().strip() != "stale"
    assert password_file.stat().st_mode & 0o777 == 0o600


def test_the_suite_runs_on_the_database_ci_names():
    """.ci/run names the database vendor of each pass (BYLINE_EXPECTED_DB_VENDOR).

    A Makefile that stopped passing DATABASE_URL to pytest once made the PostgreSQL pass run
    on SQLite, green and unnoticed.
    """
    from django.db import connection

    expected = os.environ.get("BYLINE_EXPECTED_DB_VENDOR")
    assert expected in (None, connection.vendor)
