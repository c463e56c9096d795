"""What JSONL, CSV and Parquet share: a record (a dict) becomes a ``PairInput``; the id column
and the refusal when the named columns are not there."""

from __future__ import annotations

import math
from collections.abc import Iterable

from ...loading import InputError, too_large
from ..schema import ALLOW_BIGGER_DOCUMENT, Columns, PairInput


def check_columns(name: str, have: Iterable[str], columns: Columns, what: str) -> str | None:
    """Refuse the whole corpus when a named column is missing; the id column to read (the one
    named, else ``id`` when there is one, else None)."""
    have = list(have)
    if any(c not in have for c in (columns.original, columns.corrupted, columns.id) if c):
        raise missing_columns(name, have, columns, what)
    return id_column(have, columns)


def missing_columns(name: str, have: Iterable[str], columns: Columns, what: str) -> InputError:
    have = list(have)
    wanted = [c for c in (columns.original, columns.corrupted, columns.id) if c]
    missing = [c for c in wanted if c not in have]
    shown = ", ".join(repr(h) for h in have[:20]) + (", …" if len(have) > 20 else "")
    return InputError(
        f"{name} has no {what} {' or '.join(repr(m) for m in missing)} (it has {shown or 'none'});"
        " choose them with --original-column, --corrupted-column and --id-column.")


def id_column(have: Iterable[str], columns: Columns) -> str | None:
    if columns.id is not None:
        return columns.id
    return "id" if "id" in have else None


def record_pair(record: dict, pair: int, where: str, columns: Columns, id_column: str | None,
                encoding: str = "utf-8", number: int | None = None,
                limit: int | None = None) -> PairInput:
    """A PairInput from one record (a JSON object, a CSV row, a Parquet row as a dict);
    ``where`` names it in messages ("line 7", "row 3"), ``number`` is the fallback id.
    ``limit``: a cell longer than this many bytes (a text cell: characters, each at least one
    byte) is an error row at once, so the oversized text is not carried on to a worker."""
    ident = record.get(id_column) if id_column else None
    ident = str(number if number is not None else pair) if is_null(ident) else str(ident)
    sides = []
    for column in (columns.original, columns.corrupted):
        if column not in record:
            return PairInput(pair, ident, None, None, error=f"{where} has no {column!r} field.")
        value = record[column]
        if is_null(value):
            return PairInput(pair, ident, None, None, error=f"{where}: {column} is missing "
                                                             "(null).")
        if not isinstance(value, str | bytes):
            return PairInput(pair, ident, None, None,
                             error=f"{where}: {column} is not text (a {type(value).__name__}).")
        if limit is not None and len(value) > limit:
            name = f"the {column} of {where}"
            return PairInput(pair, ident, None, None, error=str(too_large(
                name, len(value) if isinstance(value, bytes) else None, limit,
                allow=ALLOW_BIGGER_DOCUMENT)))
        sides.append(value)
    return PairInput(pair, ident, sides[0], sides[1], f"the {columns.original} of {where}",
                     f"the {columns.corrupted} of {where}", encoding)


def is_null(value) -> bool:
    """None, NaN, or pandas' NA (Dask hands Parquet partitions over as DataFrames)."""
    return (value is None or (isinstance(value, float) and math.isnan(value))
            or type(value).__name__ == "NAType")
