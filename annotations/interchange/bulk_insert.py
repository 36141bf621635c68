"""Insert many rows through the database driver's bulk path, without the ORM's per-row work.

`bulk_create` builds a model instance for every row and prepares every field of every row in
Python, which cost the importer three quarters of its time (bench/RESULTS.md). The importer
writes rows it has already validated, so it hands plain tuples to psycopg's binary COPY on
PostgreSQL and to INSERTs of many rows each on SQLite instead. Like `bulk_create`, this sends
no signals and writes no history rows; database triggers do fire (the span table's keep the
counts of tagged strings).
"""

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

import orjson
from django.db import DataError, connection
from django.db.models import Field, Model

# Values per `IN (...)` lookup: SQLite takes at most 999 parameters per query.
LOOKUP_CHUNK = 900
# Rows per INSERT on SQLite (within its limit of parameters per statement).
SQLITE_ROWS_PER_INSERT = 250
# Fields whose values the drivers take as they come (ints, strings, booleans, primary keys).
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "BooleanField",
        "CharField",
        "TextField",
        "SlugField",
        "ForeignKey",
        "OneToOneField",
    }
)

Adapter = Callable[[Any], Any]


def insert_rows(model: type[Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (one value per field in `names`) into `model`'s table; return the count.

    Values are what the model's fields hold: foreign keys as primary keys, dates and times as
    Python objects, JSON as Python values. Every other concrete field takes its default,
    prepared once for all rows, so a field that needs a new value per row (a callable default
    such as a generated id, `auto_now`, `auto_now_add`) must be in `names`. A constraint
    violation raises `django.db.IntegrityError`, as the ORM would.
    """
    fields = [model._meta.get_field(name) for name in names]
    defaulted = defaulted_fields(model, names)
    constants = [field.get_db_prep_save(field.get_default(), connection) for field in defaulted]
    adapt = row_adapter(fields, constants)
    columns = [field.column for field in fields + defaulted]
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    written = 0
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            types = column_types(cursor, table)
            sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN (FORMAT BINARY)"
            with cursor.copy(sql) as copy:
                copy.set_types([types[column] for column in columns])
                for row in rows:
                    copy.write_row(adapt(row))
                    written += 1
            return written
        # Many rows per INSERT, not one per `executemany` row: a statement that fires triggers
        # keeps a statement journal, and one per row made the span table's triggers cost four
        # times the insert itself (bench/RESULTS.md, "Issue 14: known strings").
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per_insert = max(1, min(SQLITE_ROWS_PER_INSERT, limit // len(columns)))
        insert = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES "
        row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        one_row = insert + row_marks
        many_rows = insert + ", ".join([row_marks] * per_insert)
        for batch in batched(map(adapt, rows), per_insert):
            if len(batch) == per_insert:
                cursor.execute(many_rows, [value for row in batch for value in row])
            else:
                # The rest one by one: an INSERT of every other length would be one more large
                # statement in the connection's cache of prepared statements (tens of MiB).
                cursor.executemany(one_row, batch)
            written += len(batch)
    return written


def defaulted_fields(model: type[Model], names: Sequence[str]) -> list[Field]:
    """Return the concrete fields of `model` that `insert_rows` fills with their default.

    Raise ValueError for one whose value must differ per row: the same prepared value would
    go into every row (the same "unique" id, the same timestamp taken once).
    """
    defaulted = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in names or field.generated:
            continue
        if field.has_db_default() and not field.has_default():
            continue  # the database fills it in
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            reason = "auto_now" if getattr(field, "auto_now", False) else "auto_now_add"
        elif field.has_default() and callable(field.default):
            reason = f"a callable default ({getattr(field.default, '__name__', field.default)})"
        else:
            defaulted.append(field)
            continue
        raise ValueError(
            f"{model._meta.label}.{field.name} has {reason}, so it needs a value per row; "
            "pass it in `names`"
        )
    return defaulted


def row_adapter(fields: Sequence[Field], constants: Sequence[Any]) -> Callable[[Sequence], list]:
    """Return a function turning a row of field values into the driver's values, defaults added."""
    adapters = [
        (index, adapter)
        for index, field in enumerate(fields)
        if (adapter := value_adapter(field)) is not None
    ]
    width = len(fields)

    def adapt(row: Sequence[Any]) -> list[Any]:
        if len(row) != width:
            raise ValueError(f"a row has {len(row)} values for {width} fields")
        values = [*row, *constants]
        for index, adapter in adapters:
            values[index] = adapter(values[index])
        return values

    return adapt


def value_adapter(field: Field) -> Adapter | None:
    """Return how to prepare `field`'s values for the driver, or None if it takes them as is."""
    kind = field.get_internal_type()
    if kind in PLAIN_TYPES:
        return None
    if kind == "JSONField":
        return json_adapter(field)
    return reusing_last(lambda value: field.get_db_prep_save(value, connection))


def json_adapter(field: Field) -> Adapter:
    """Return a function encoding `field`'s values for its column (None stays SQL NULL).

    On SQLite the text is exactly what the ORM writes (`json.dumps` with the field's encoder):
    SQLite compares JSON as text in exact lookups (`metadata={...}`), so imported rows must
    read the same as rows saved by the ORM. PostgreSQL's jsonb normalises whatever it gets,
    so orjson encodes there, with `json` for what orjson refuses (integers past 64 bits).
    """
    encoder = getattr(field, "encoder", None)

    def dumps(value: Any) -> str:
        try:
            return json.dumps(value, cls=encoder)
        except (TypeError, ValueError) as error:
            raise DataError(f"{field.name} cannot be stored as JSON: {error}") from None

    if connection.vendor != "postgresql":
        return lambda value: None if value is None else dumps(value)

    from psycopg.types.json import Jsonb

    def adapt(value: Any) -> Any:
        if value is None:
            return None
        if encoder is None:
            try:
                return Jsonb(orjson.dumps(value), dumps=already_encoded)
            except orjson.JSONEncodeError:
                pass
        return Jsonb(dumps(value).encode(), dumps=already_encoded)

    return adapt


def already_encoded(data: bytes) -> bytes:
    return data


def reusing_last(adapt: Adapter) -> Adapter:
    """Wrap `adapt` to reuse its last result for the same object (one timestamp, many rows)."""
    last: list[Any] = [object(), None]

    def cached(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return cached


def column_types(cursor: Any, table: str) -> dict[str, str]:
    """Return the PostgreSQL type name of each column of `table`, as COPY's set_types takes."""
    cursor.execute(
        "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [table],
    )
    return dict(cursor.fetchall())


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of up to `size` items."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def analyze_tables(models: Iterable[type[Model]]) -> None:
    """Refresh PostgreSQL's planner statistics for the tables of `models`.

    Right after a bulk import the planner still believes the tables are small and picks
    sequential scans for per-document lookups until autovacuum gets round to them.
    """
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
