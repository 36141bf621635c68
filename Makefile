# Byline: `make run` to try it, `make test` to check it. Both set up .venv themselves.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
SEED_CORPUS := Seed articles

.PHONY: run test serve lint format migrations-check pytest jstest browser-test clean \
	test-concurrency test-rq test-peers bench bench-corpus bench-api bench-doccano bench-page \
	evaluate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps make re-runs instant until a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# `make run PORT=8010` serves on another port.
PORT ?= 8000

run: $(VENV)/.runtime
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) import_documents --corpus "$(SEED_CORPUS)" corpus/fixtures/seed
	DEBUG=1 $(MANAGE) ensure_local_admin --url "http://127.0.0.1:$(PORT)/"
	@# One job worker (imports, exports) beside the web server. A background process of a
	@# script ignores Ctrl+C, so the trap stops it when runserver ends: it finishes the job
	@# it is on (a second Ctrl+C in its log stops that too; the job is then marked failed).
	DEBUG=1 $(MANAGE) work --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

# Production server: gunicorn (2 x cores + 1 sync workers) on PostgreSQL, static files through
# WhiteNoise. SECRET_KEY and a PostgreSQL DATABASE_URL are required, e.g.
#   make serve DATABASE_URL=postgres://byline@db.internal:5432/byline SECRET_KEY=... \
#     ALLOWED_HOSTS=byline.example.org BIND=0.0.0.0:8000 BYLINE_BEHIND_PROXY=1
# (behind a TLS-terminating proxy, the only client that can reach BIND).
# The deploy check fails on any warning; BYLINE_HTTPS=0 (plain HTTP, e.g. on 127.0.0.1)
# silences only the four warnings about HTTPS settings (SILENCED_SYSTEM_CHECKS in settings).
WORKERS ?= $(shell echo $$((2 * $$(nproc) + 1)))
BIND ?= 127.0.0.1:8000

serve: $(VENV)/.runtime
	@test -n "$$SECRET_KEY" || { echo "make serve: set SECRET_KEY in the environment" >&2; exit 2; }
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; *) \
	  echo "make serve: set DATABASE_URL=postgres://USER@HOST:5432/DB" >&2; exit 2;; esac
	STATIC_MANIFEST=1 DEBUG=0 $(MANAGE) collectstatic --no-input
	STATIC_MANIFEST=1 DEBUG=0 $(MANAGE) check --deploy --fail-level WARNING
	DEBUG=0 $(MANAGE) migrate --no-input
	STATIC_MANIFEST=1 DEBUG=0 exec $(BIN)/gunicorn config.wsgi --workers $(WORKERS) \
	  --bind $(BIND) --access-logfile - --timeout 120 --max-requests 2000 \
	  --max-requests-jitter 200

test: $(VENV)/.dev lint migrations-check pytest jstest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.dev
	$(MANAGE) makemigrations --check --dry-run

pytest: $(VENV)/.dev
	$(BIN)/python -m pytest

jstest:
	node --test tests/js/

# Not part of `make test`: 16 reviewers write the same spans through gunicorn on PostgreSQL for
# 30 s; fails on a lost write, a stale write accepted or a 5xx (tests/concurrency/).
# (A target-specific `DATABASE_URL ?=` would stop make passing DATABASE_URL to every other
# recipe, so the default is the shell's.)
test-concurrency: $(VENV)/.dev
	DATABASE_URL="$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/byline}" \
	  $(BIN)/python -m pytest -m concurrency -rP tests/concurrency

# Not part of `make test`: an import and an export enqueued through RQ and run by a real
# `rqworker` (tests/jobs/test_rq.py). Needs Redis; REDIS_URL names its database (default 1).
test-rq: $(VENV)/.dev
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/1}" $(BIN)/python -m pytest -m rq -rP tests/jobs

# Not part of `make test`: round trips through the real doccano 1.8.4 and Label Studio 1.23.2
# (tests/peers/), each installed once into its own venv outside the project, cached under
# $$BYLINE_PEERS_CACHE (default ~/.cache/byline-peers) by bench/install_peers.sh.
test-peers: $(VENV)/.dev
	PYTHON="$(PYTHON)" bash bench/install_peers.sh
	$(BIN)/python -m pytest -m peers -rA tests/peers

# Benchmarks, each printing a table (see bench/RESULTS.md); none is part of `make test`.
BENCH_SIZES ?= 1000 10000
BENCH_DBS ?= sqlite postgres

bench-corpus: $(VENV)/.runtime
	$(BIN)/python -m bench.generate --sizes $(BENCH_SIZES)

bench: $(VENV)/.runtime
	$(BIN)/python -m bench.import_export --sizes $(BENCH_SIZES) --db $(BENCH_DBS)

bench-api: $(VENV)/.runtime
	$(BIN)/python -m bench.api_latency --size 10000 --clients 16 --seconds 30

bench-doccano: $(VENV)/.runtime
	$(BIN)/python -m bench.doccano_side_by_side --size 10000

# Needs Chromium (/usr/bin/chromium) and Playwright, which `make test` installs.
bench-page: $(VENV)/.dev
	$(BIN)/python -m bench.annotation_page

# The suggestions' evaluation (docs/assist-evaluation.md): in a throwaway SQLite database, the
# evaluation sets imported as gold, `suggest` run over them, `evaluate` printing each table;
# then the propagation measure: a first-mentions analyst layer, `suggest --propagate-from` it,
# and ACTOR scored on the remaining mentions only. `make evaluate CANDIDATE=gold` runs the
# same pipeline without `suggest` (gold against gold: every figure 1.000). `make evaluate
# SETS="holdout27 holdout28"` scores only those sets (a new blind set, once).
CANDIDATE ?= suggestions
SETS ?= $$($(BIN)/python -c 'from assist.evaluation.build import SETS; print(*SETS)')

evaluate: $(VENV)/.runtime
	@set -e; dir=$$(mktemp -d /tmp/byline-evaluate.XXXXXX); trap 'rm -rf "$$dir"' EXIT; \
	export DATABASE_URL="sqlite:///$$dir/db.sqlite3"; \
	$(MANAGE) migrate --no-input -v 0; \
	for set in $(SETS); do \
	  corpus="Evaluation $$set"; \
	  $(BIN)/python -m assist.evaluation.propagation assist/evaluation/$$set.jsonl \
	    --corpus "$$corpus propagation" > "$$dir/$$set-propagation.jsonl"; \
	  $(MANAGE) import_documents --corpus "$$corpus" assist/evaluation/$$set.jsonl; \
	  $(MANAGE) import_documents --corpus "$$corpus propagation" "$$dir/$$set-propagation.jsonl"; \
	  if [ "$(CANDIDATE)" = suggestions ]; then \
	    $(MANAGE) suggest --corpus "$$corpus"; \
	    $(MANAGE) suggest --corpus "$$corpus propagation" --label ACTOR \
	      --propagate-from first-mentions; \
	  fi; \
	  echo; $(MANAGE) evaluate --corpus "$$corpus" --reference gold --candidate $(CANDIDATE); \
	  echo; $(MANAGE) evaluate --corpus "$$corpus propagation" --reference gold \
	    --candidate $(CANDIDATE) --label ACTOR --exclude first-mentions; \
	done

clean:
	rm -rf $(VENV) staticfiles tests/artifacts .pytest_cache .ruff_cache
