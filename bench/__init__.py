"""Benchmarks and their runners, each run from the repository root as `python -m bench.<name>`.

Shared helpers live in `bench.benchlib` (paths, scratch databases, child processes, tables)
and `bench.apiserver` (gunicorn on a free port).
"""
