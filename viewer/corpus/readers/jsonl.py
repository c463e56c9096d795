"""JSONL corpora: one JSON object a line; a bad line (not UTF-8, not JSON, not an object) is a
row with its error. ``jsonl_pairs`` is shared by the local reader and the Dask partitions."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterable, Iterator

from ...loading import InputError, os_reason
from ..schema import Columns, Corpus, PairInput
from .tabular import check_columns, record_pair


def jsonl_record(line: bytes | str, line_no: int) -> dict | str:
    """One JSONL line as a dict, or a str saying why it is not one."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as err:
            return f"line {line_no} is not valid UTF-8 ({err.reason} at byte {err.start})."
    try:
        record = json.loads(line)
    except ValueError as err:
        return f"line {line_no} is not valid JSON ({err})."
    if not isinstance(record, dict):
        return f"line {line_no} is a JSON {type(record).__name__}, not an object."
    return record


def jsonl_pairs(lines: Iterable[bytes | str], columns: Columns, id_column: str | None,
                first_line: int = 1, first_pair: int = 0,
                limit: int | None = None) -> Iterator[PairInput]:
    """PairInputs from JSONL lines (blank lines skipped but counted: ids and messages give the
    line number in the file). Shared by the local reader and the Dask partitions."""
    pair = first_pair
    for line_no, line in enumerate(lines, first_line):
        if line_no == 1:
            line = line.removeprefix(codecs.BOM_UTF8 if isinstance(line, bytes) else "\ufeff")
        if not line.strip():
            continue
        record = jsonl_record(line, line_no)
        if isinstance(record, str):
            yield PairInput(pair, str(line_no), None, None, error=record)
        else:
            yield record_pair(record, pair, f"line {line_no}", columns, id_column, "utf-8",
                              line_no, limit)
        pair += 1


def _jsonl_lines(data: bytes | None, path: str | None, name: str) -> Iterator[bytes]:
    if data is not None:
        yield from io.BytesIO(data)
        return
    try:
        with open(path, "rb") as file:
            yield from file
    except OSError as err:
        raise InputError(f"cannot read {name}: {os_reason(err)}.") from err


def open_jsonl(data: bytes | None, path: str | None, name: str, columns: Columns,
               limit: int | None = None) -> Corpus:
    # the first record decides whether the columns are there at all (a wrong --original-column
    # is a mistake for the whole file, not one bad row per line)
    records = 0
    first = None
    for line_no, line in enumerate(_jsonl_lines(data, path, name), 1):
        if not line.strip() or (line_no == 1 and not line.removeprefix(codecs.BOM_UTF8).strip()):
            continue
        records += 1
        if first is None:
            first = jsonl_record(line.removeprefix(codecs.BOM_UTF8), line_no)
            if isinstance(first, str):
                raise InputError(f"{name} is not JSONL: {first}")
    if first is None:
        raise InputError(f"{name} holds no records.")
    id_column = check_columns(name, first, columns, "field")

    def iterate() -> Iterator[PairInput]:
        yield from jsonl_pairs(_jsonl_lines(data, path, name), columns, id_column, limit=limit)

    return Corpus("jsonl", name, iterate, records)
