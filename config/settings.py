"""Byline settings, driven by the environment.

Local use needs no configuration: SQLite in the project folder, a secret key generated on first
run into a git-ignored file. Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and keeps
DEBUG off; `manage.py check --deploy` is clean with those.
"""

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from config.security import write_private_file

BASE_DIR = Path(__file__).resolve().parent.parent

LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def read_bool(name: str, default: bool) -> bool:
    """Return the boolean value of environment variable `name`."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false)")


def read_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated list in environment variable `name`."""
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


def load_secret_key(*, allowed_hosts: list[str], debug: bool) -> str:
    """Return SECRET_KEY from the environment, or a local key kept in a git-ignored file.

    A committed default key lets anyone forge sessions, so there is none: a server reachable
    under a non-local host name must be given SECRET_KEY explicitly.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    if not debug and any(host not in LOCAL_HOSTS for host in allowed_hosts):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DEBUG is off and ALLOWED_HOSTS "
            "names a non-local host."
        )
    key_file = Path(os.environ.get("BYLINE_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
    # Usually made by an earlier run; a process starting at the same moment may make it too.
    with contextlib.suppress(FileExistsError):
        write_private_file(key_file, secrets.token_urlsafe(50))
    return key_file.read_text().strip()


DEBUG = read_bool("DEBUG", False)
ALLOWED_HOSTS = read_list("ALLOWED_HOSTS", LOCAL_HOSTS)
SECRET_KEY = load_secret_key(allowed_hosts=ALLOWED_HOSTS, debug=DEBUG)
CSRF_TRUSTED_ORIGINS = read_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "taggit",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "corpus",
    "jobs",
    "annotations",
    "teams",
    "assist",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Sends the Content-Security-Policy header (below) on every response passing through.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the span, relation and status history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several analysts (and the test server) write at once: WAL lets readers proceed during a
    # write and the busy timeout queues writers instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The lockout backend comes first: it refuses a locked-out login before any password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# WhiteNoise warns on every start while the folder is missing, before any collectstatic.
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed static files only where the server says so (`make serve` after its
# `collectstatic`). Guessing from a leftover manifest would break `make test` and `make run`
# in a checkout that once served: a file added since is missing from the old manifest.
STATIC_MANIFEST = read_bool("STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "config.storage.ManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Production hardening, on whenever DEBUG is off unless the deployment terminates TLS elsewhere
# and says so (BYLINE_HTTPS=0 for a plain-HTTP server on localhost).
HTTPS = read_bool("BYLINE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The deploy check (`make serve`) fails on any warning. A plain-HTTP server (BYLINE_HTTPS=0)
# silences exactly the warnings about the HTTPS settings it turned off on purpose.
HTTPS_CHECKS = [
    "security.W004",  # SECURE_HSTS_SECONDS
    "security.W008",  # SECURE_SSL_REDIRECT
    "security.W012",  # SESSION_COOKIE_SECURE
    "security.W016",  # CSRF_COOKIE_SECURE
]
SILENCED_SYSTEM_CHECKS = [] if HTTPS else HTTPS_CHECKS

# --- Reverse proxy -------------------------------------------------------------------------
# Headers that say how a client connected are believed only when the deployer says a proxy
# in front sets them (BYLINE_BEHIND_PROXY=1); a server reached directly (BIND=0.0.0.0) would
# otherwise let any client claim HTTPS with X-Forwarded-Proto, or any address with
# X-Forwarded-For. With the switch on, the app must be reachable only through the proxy.
BEHIND_PROXY = read_bool("BYLINE_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None

# --- Login lockout (django-axes) -----------------------------------------------------------
# A username and address pair is locked after 10 failed logins, on every view that calls
# authenticate() with the request: /accounts/login/, /admin/login/ and any token endpoint.
# The same happens for a username that does not exist, so the lockout reveals nothing.
# Unlock early with `manage.py axes_reset_username USERNAME` (or `axes_reset` for everyone).
AXES_FAILURE_LIMIT = 10
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BYLINE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address: the connection's own, or the one the proxy appended to X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip_behind_proxy" if BEHIND_PROXY else None

# --- Content-Security-Policy (django-csp) --------------------------------------------------
# No inline script anywhere, the admin's included: pages hand data to scripts with
# json_script (type="application/json", which is never run). Style attributes are allowed,
# <style> elements are not: a few templates set per-row values in style="" (a label's
# colour, progress proportions, a column count), and a style attribute can neither load
# anything from elsewhere (default-src 'self') nor read the page, as an injected
# stylesheet's attribute selectors could. Styles that scripts set (element.style, the
# annotation page's constructed stylesheet) are not governed by style-src at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # data: for the empty favicon of base.html
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.DepthSafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Byline API",
    "DESCRIPTION": (
        "Span annotation of news corpora. Offsets are Unicode code points, end-exclusive."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every endpoint and field: only those who may call the API read it.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

TAGGIT_CASE_INSENSITIVE = True
# Reverts go through the actions on /documents/<id>/history/; the admin's form would bypass them.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Background jobs (django-tasks) --------------------------------------------------------
# Imports and exports run as jobs (jobs/, annotations/tasks.py). By default the queue is a
# table in this database, worked by `manage.py work` (django-tasks-db's db_worker, after
# marking the jobs of dead workers failed). TASKS_BACKEND=rq with REDIS_URL hands them to RQ
# instead: any number of `manage.py rqworker --job-class django_tasks_rq.Job` on any machine
# that shares the database and MEDIA_ROOT (README, "Scaling out").
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    # Runs each task in the process that enqueues it: for tests and one-off scripts.
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {', '.join(TASK_BACKENDS)}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    # A job may run for as long as its corpus is large: no RQ timeout cuts it short.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": -1}}
    # Marks the jobs of dead workers failed when it starts (jobs/rq_worker.py).
    RQ = {"WORKER_CLASS": "jobs.rq_worker.Worker"}

# Uploaded files waiting for their import job, and finished exports; never served as URLs
# (the job page's download checks who asks). Workers on several machines share this folder.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
BYLINE_UPLOAD_MAX_BYTES = int(os.environ.get("BYLINE_UPLOAD_MAX_BYTES", 500 * 1024 * 1024))
# One file of an uploaded .zip may unpack to at most this (default: the upload limit; a
# 10k-document JSONL file is tens of MB). Entries stream to disk, never whole into memory.
BYLINE_ZIP_ENTRY_MAX_BYTES = int(
    os.environ.get("BYLINE_ZIP_ENTRY_MAX_BYTES", BYLINE_UPLOAD_MAX_BYTES)
)
# A zip entry inflating to more than this many times its compressed size is refused as a zip
# bomb (past its first MiB). Text compresses 3 to 10 times; a bomb, thousands of times.
BYLINE_ZIP_MAX_RATIO = int(os.environ.get("BYLINE_ZIP_MAX_RATIO", "100"))
# `manage.py clean_exports` removes export files (and staged uploads) older than this.
BYLINE_EXPORT_MAX_AGE_HOURS = int(os.environ.get("BYLINE_EXPORT_MAX_AGE_HOURS", "72"))
# A running job beats with every chunk it reports; one silent for longer than this whose
# worker process is not alive on the machine checking lost its worker, and the next worker
# start fails it (jobs.actions.mark_stale_jobs_failed). On SQLite a file being imported beats
# inside its own transaction, so the page sees its progress only when it commits; a live
# worker's job is never failed for that (see docs/jobs.md, "Heartbeats and stale jobs").
BYLINE_JOB_STALE_SECONDS = int(os.environ.get("BYLINE_JOB_STALE_SECONDS", "120"))

# --- Uploads for imports (annotations/upload_handlers.py and uploads.py) -------------------
# The first handler counts bytes and files as they arrive and stops past the limits, telling
# the page why; a request body over FILE_UPLOAD_MAX_MEMORY_SIZE streams to temporary files in
# MEDIA_ROOT/uploads/incoming/ (the staging folders' file system, so staging is a rename).
FILE_UPLOAD_HANDLERS = [
    "annotations.upload_handlers.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "annotations.upload_handlers.MediaTemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, stated: above it, to disk
# Files per request are counted by LimitedUploadHandler (MAX_UPLOAD_FILES), which says so on
# the page; Django's own limit (100) would answer a folder upload with a bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = None
