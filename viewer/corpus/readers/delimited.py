"""CSV and TSV corpora (spreadsheet exports: comma, semicolon, tab or bar, whichever makes
the header hold the columns). The file is read whole and decoded by the loading rules; a
malformed record is a row with its error."""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections.abc import Iterator

from ...loading import InputError, decode_bytes, read_up_to
from ..schema import Columns, Corpus, CorpusLimits, PairInput, extension
from .tabular import check_columns, record_pair

_ALLOW_BIGGER_CSV = "a CSV corpus is read whole: split it, or convert it to JSONL or Parquet"


def _allow_long_csv_fields() -> None:
    """CSV fields of any length: the csv module refuses fields over 128 KiB by default."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is 32 bits on some platforms
            limit //= 2


def open_csv(data: bytes | None, path: str | None, name: str, columns: Columns,
             limits: CorpusLimits) -> Corpus:
    """A CSV (or TSV) corpus, read whole (``limits.max_total_bytes``)."""
    if data is None:
        data = read_up_to(path, name, limits.max_total_bytes, allow=_ALLOW_BIGGER_CSV)
    _allow_long_csv_fields()
    text, encoding = _decode_csv(data, name, limits.max_total_bytes)
    del data  # the text is what the rows are read from; the bytes need not stay
    header_line = text.splitlines()[0] if text else ""  # "\r" ends a line too
    # the delimiter that makes the header hold the columns (",", or ";" / tab as spreadsheets
    # export them), comma when none does
    delimiter = "\t" if extension(name) == ".tsv" else ","
    for candidate in (",", ";", "\t", "|"):
        header = next(_csv_rows(header_line, candidate), [])
        if columns.original in header and columns.corrupted in header:
            delimiter = candidate
            break
    rows = _csv_rows(text, delimiter)
    header = next(rows, None)
    if not isinstance(header, list) or not header:
        raise InputError(f"{name} has no header row.")
    id_column = check_columns(name, header, columns, "column")
    total = sum(1 for _ in rows)
    if total == 0:
        raise InputError(f"{name} holds no rows below its header.")

    def iterate() -> Iterator[PairInput]:
        rows = _csv_rows(text, delimiter)
        next(rows)
        for pair, row in enumerate(rows):
            number = pair + 1
            if isinstance(row, csv.Error):  # one malformed record: a row with its error
                yield PairInput(pair, str(number), None, None,
                                error=f"row {number} is not valid CSV ({row}).")
                continue
            record = dict(zip(header, row, strict=False))
            yield record_pair(record, pair, f"row {number}", columns, id_column, encoding,
                              number, limits.document_bytes())

    return Corpus("csv", name, iterate, total)


def _decode_csv(data: bytes, name: str, limit: int) -> tuple[str, str]:
    """The file's text and encoding by the loading rules; but a NUL byte in one cell of a UTF-8
    file errs only that cell's row (the cell is checked like a document when its pair is
    summarised), not the whole corpus."""
    try:
        doc = decode_bytes(data, name, limit=limit)
    except InputError:
        if b"\x00" not in data:
            raise
        try:
            return data.removeprefix(codecs.BOM_UTF8).decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            raise InputError(f"{name} contains NUL bytes and is not UTF-8 text.") from None
    return doc.text, doc.encoding


def _csv_rows(text: str, delimiter: str) -> Iterator[list[str] | csv.Error]:
    """Non-empty CSV records, or the csv.Error of a malformed one (reading goes on after it)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    failures = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            failures += 1
            if failures > 1000:  # a reader stuck on one spot: stop rather than loop
                return
            yield err
            continue
        if row:
            yield row
