"""Fuzz every format's reader with mutations of a small valid file of that format.

Whatever a file holds, a reader either yields documents or raises ImportProblem located at
the file: no other exception may escape, since the importer would abort the remaining files.
Mutations replace values with other JSON (or msgpack) types, huge numbers and odd strings,
or delete keys; text formats have fields replaced, dropped and lines duplicated. The runs are
derandomized, so CI sees the same examples every time.
"""

import functools
import io
import json
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
import srsly
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.formats import get_format
from annotations.interchange.records import ImportProblem
from tests.annotations.formats.corpora import complete, synthetic_lines

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
DELETE = object()
# Values a mutation puts where another was: every JSON type, numbers past 64 bits, and
# strings that look like numbers or carry the characters parsers split on.
ODD_STRINGS = ["", "²", "-1", "99999999999999999999", "\x00", "\t", ";", " ", "#", "T1", "a:b"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**63, 2**64, 10**30, 1.5, -0.0, 1e308]),
    st.sampled_from(ODD_STRINGS),
    st.text(max_size=4),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=2),
    st.dictionaries(st.sampled_from(["id", "type", "value", "start"]), SCALARS, max_size=2),
    st.just(DELETE),
)
# msgpack holds integers of at most 64 bits, and bytes as well.
MSGPACK_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.sampled_from([0, -1, 2**63 - 1, 1.5]),
    st.sampled_from(ODD_STRINGS),
    st.binary(max_size=17),
)
MSGPACK_VALUES = st.one_of(
    MSGPACK_SCALARS,
    st.lists(MSGPACK_SCALARS, max_size=2),
    st.dictionaries(st.sampled_from(["id", "spans", "text"]), MSGPACK_SCALARS, max_size=2),
    st.just(DELETE),
)
TEXT_FIELDS = st.one_of(st.sampled_from(ODD_STRINGS), st.text(max_size=5))


def lines(count: int = 2) -> list[dict[str, Any]]:
    return [complete(line) for line in synthetic_lines()[:count]]


@functools.cache
def written(format_name: str) -> bytes:
    out = io.BytesIO()
    get_format(format_name).write(lines(), out)
    return out.getvalue()


def places(value: Any) -> list[tuple[Any, Any]]:
    """Return (container, key) for every value inside `value`, depth first."""
    found = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, inner in list(items):
        found.append((value, key))
        if isinstance(inner, dict | list) and inner:
            found.extend(places(inner))
    return found


def mutate_tree(data: st.DataObject, tree: Any, values: st.SearchStrategy) -> Any:
    """Apply one to three replacements or deletions somewhere inside `tree`, in place."""
    for _ in range(data.draw(st.integers(1, 3))):
        spots = places(tree)
        if not spots:
            break
        container, key = data.draw(st.sampled_from(spots))
        value = data.draw(values)
        if value is DELETE:
            del container[key]
        else:
            container[key] = value
    return tree


def mutate_text_lines(data: st.DataObject, text: str, separators: str) -> str:
    """Replace or drop a field, or repeat or drop a line, one to three times."""
    rows = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(rows) - 1))
        action = data.draw(st.sampled_from(["replace", "drop field", "repeat", "drop line"]))
        if action == "repeat":
            rows.insert(index, rows[index])
        elif action == "drop line" and len(rows) > 1:
            del rows[index]
        else:
            separator = data.draw(st.sampled_from(separators))
            fields = rows[index].split(separator)
            at = data.draw(st.integers(0, len(fields) - 1))
            if action == "replace":
                fields[at] = data.draw(TEXT_FIELDS)
            elif len(fields) > 1:
                del fields[at]
            rows[index] = separator.join(fields)
    return "\n".join(rows)


def problem_reading(format_name: str, path: Path) -> ImportProblem | None:
    """Read `path`; return the ImportProblem it raised, if any (any other exception escapes)."""
    try:
        list(get_format(format_name).read(path))
    except ImportProblem as problem:
        return problem
    return None


def read_mutated(format_name: str, content: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        problem = problem_reading(format_name, path)
    assert problem is None or (problem.path is not None and problem.message), problem


def json_lines_bytes(values: list[Any]) -> bytes:
    # json, not orjson: it writes integers past 64 bits.
    return "".join(json.dumps(value) + "\n" for value in values).encode()


@pytest.mark.parametrize("format_name", ["byline", "doccano", "prodigy", "webanno"])
@FUZZ
@given(data=st.data())
def test_a_mutated_json_lines_file_is_read_or_refused_with_an_import_problem(format_name, data):
    values = [json.loads(line) for line in written(format_name).splitlines()]
    mutated = mutate_tree(data, values, VALUES)
    read_mutated(format_name, json_lines_bytes(mutated), "mutated.jsonl")


@FUZZ
@given(data=st.data())
def test_a_mutated_label_studio_file_is_read_or_refused_with_an_import_problem(data):
    tasks = json.loads(written("label-studio"))
    mutated = mutate_tree(data, tasks, VALUES)
    read_mutated("label-studio", json.dumps(mutated).encode(), "mutated.json")


@FUZZ
@given(data=st.data())
def test_a_mutated_conll_file_is_read_or_refused_with_an_import_problem(data):
    text = written("conll").decode()
    read_mutated("conll", mutate_text_lines(data, text, " \t").encode(), "mutated.conll")


@FUZZ
@given(data=st.data())
def test_a_mutated_brat_zip_is_read_or_refused_with_an_import_problem(data):
    source = zipfile.ZipFile(io.BytesIO(written("brat")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name.endswith(".ann"):
                content = mutate_text_lines(data, content.decode(), "\t ;:").encode()
            archive.writestr(name, content)
    read_mutated("brat", out.getvalue(), "mutated.zip")


@FUZZ
@given(data=st.data())
def test_a_mutated_spacy_docbin_is_read_or_refused_with_an_import_problem(data):
    message = srsly.msgpack_loads(zlib.decompress(written("spacy")))
    if data.draw(st.booleans()):
        packed = srsly.msgpack_dumps(mutate_tree(data, message, MSGPACK_VALUES))
    else:
        packed = bytearray(srsly.msgpack_dumps(message))
        for _ in range(data.draw(st.integers(1, 4))):
            packed[data.draw(st.integers(0, len(packed) - 1))] = data.draw(st.integers(0, 255))
    read_mutated("spacy", zlib.compress(bytes(packed)), "mutated.spacy")
