"""Ids and names sent in query strings and forms, checked once for every page.

`int()` alone lets through what a database cannot look up: "²" passes `str.isdigit()` and
then fails `int()`, 5,000 digits exceed Python's conversion limit, and 2**63 overflows
SQLite's integers. PostgreSQL refuses any string holding NUL. Such a value is a bad request
(400), never a server error. (The JSON API checks its parameters with DRF's fields.)
"""

from django.core.exceptions import BadRequest

# The largest id a bigint primary key (PostgreSQL) or an INTEGER (SQLite) can hold.
MAX_ID = 2**63 - 1


def parse_id(value: str, *, name: str) -> int:
    """Return `value` as a row id, or raise BadRequest unless it is ASCII digits up to MAX_ID.

    `name` names the parameter in the error.
    """
    if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))):
        raise BadRequest(f"{name} must be a row id: digits only")
    number = int(value)
    if number > MAX_ID:
        raise BadRequest(f"{name} must be at most {MAX_ID}")
    return number


def parse_text(value: str, *, name: str) -> str:
    """Return `value`, or raise BadRequest if it holds NUL, which no stored text can."""
    if "\x00" in value:
        raise BadRequest(f"{name} must not contain NUL characters")
    return value
