"""The peer tools, started once for the `peers` pass (`make test-peers`), stopped at its end."""

import pytest

from bench.peers import DOCCANO_VENV, LABEL_STUDIO_VENV, Doccano, LabelStudio, Tool


def started(tool: Tool, venv) -> Tool:
    if not (venv / ".installed").exists():
        pytest.fail(f"{tool.name} is not installed in {venv}: run bench/install_peers.sh")
    try:
        tool.start()
    except BaseException:
        tool.stop()
        raise
    return tool


@pytest.fixture(scope="session")
def doccano(tmp_path_factory):
    tool = started(Doccano(tmp_path_factory.mktemp("doccano")), DOCCANO_VENV)
    yield tool
    tool.stop()


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory):
    tool = started(LabelStudio(tmp_path_factory.mktemp("label-studio")), LABEL_STUDIO_VENV)
    yield tool
    tool.stop()
