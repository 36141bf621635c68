import io
import sys

import pytest
from django.core.management import call_command

from tests.factories import SEED_PATHS


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as a person's shell is."""

    def isatty(self) -> bool:
        return True


def run_command(stdout, stderr):
    call_command(
        "import_documents", *map(str, SEED_PATHS), corpus="Wire", stdout=stdout, stderr=stderr
    )
    return stdout.getvalue(), stderr.getvalue()


def expected_report() -> str:
    return "Wire: created 2 documents (0 spans, 0 relations), unchanged 0, failed files 0 of 2\n"


@pytest.mark.django_db
def test_output_to_a_pipe_is_the_report_alone_without_a_progress_bar(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    stdout, stderr = run_command(io.StringIO(), io.StringIO())
    assert stdout == expected_report()
    assert stderr == ""
    assert sys.stderr.getvalue() == ""


@pytest.mark.django_db
def test_a_terminal_sees_a_progress_bar_of_files_on_stderr_and_the_same_report(monkeypatch):
    monkeypatch.setattr(sys, "stderr", Terminal())
    stdout, _ = run_command(Terminal(), Terminal())
    assert stdout == expected_report()
    drawn = sys.stderr.getvalue()
    assert "0/2" in drawn
    assert "file" in drawn
