"""CSV and TSV corpora (spreadsheet exports: comma, semicolon, tab or bar, whichever makes
the header hold the columns). A UTF-8 file is streamed; any other is read whole and decoded by
the loading rules. A malformed record is a row with its error."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import sys
from collections.abc import Callable, Iterable, Iterator

from ...loading import InputError, decode_bytes, os_reason, read_up_to
from ..schema import Columns, Corpus, CorpusLimits, PairInput, extension
from .tabular import check_columns, record_pair

_ALLOW_BIGGER_CSV = ("a CSV corpus that is not UTF-8 is read whole: convert it to UTF-8, "
                     "split it, or convert it to JSONL or Parquet")


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
    """A CSV (or TSV) corpus. A UTF-8 file is streamed (one record in memory at a time, so a
    file of any size and a huge cell cost little); anything else (an upload, another encoding)
    is decoded whole by the loading rules, up to ``limits.max_total_bytes``."""
    _allow_long_csv_fields()
    if data is None:
        try:
            return _csv_corpus(name, lambda: _utf8_lines(path, name), "utf-8", columns, limits)
        except UnicodeDecodeError:  # not UTF-8: decoded whole, with encoding detection
            data = read_up_to(path, name, limits.max_total_bytes, allow=_ALLOW_BIGGER_CSV)
    text, encoding = _decode_csv(data, name, limits.max_total_bytes)
    del data  # the text is what the rows are read from; the bytes need not stay
    return _csv_corpus(name, lambda: iter(io.StringIO(text, newline="")), encoding, columns,
                       limits)


def _utf8_lines(path: str, name: str) -> Iterator[str]:
    """The file's lines as UTF-8 (a BOM dropped, line ends kept for the csv module)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            yield from file
    except OSError as err:
        raise InputError(f"cannot read {name}: {os_reason(err)}.") from err


def _csv_corpus(name: str, lines: Callable[[], Iterator[str]], encoding: str, columns: Columns,
                limits: CorpusLimits) -> Corpus:
    """The corpus read from ``lines()`` (called once to check and count, once per pass)."""
    with contextlib.closing(lines()) as first:
        header_line = next(first, "").rstrip("\r\n")
    # the delimiter that makes the header hold the columns (",", or ";" / tab as spreadsheets
    # export them), comma when none does
    delimiter = "\t" if extension(name) == ".tsv" else ","
    for candidate in (",", ";", "\t", "|"):
        header = next(_csv_rows([header_line], candidate), [])
        if columns.original in header and columns.corrupted in header:
            delimiter = candidate
            break
    with contextlib.closing(lines()) as source:
        rows = _csv_rows(source, delimiter)
        header = next(rows, None)
        if not isinstance(header, list) or not header:
            raise InputError(f"{name} has no header row.")
        id_column = check_columns(name, header, columns, "column")
        total = sum(1 for _ in rows)
    if total == 0:
        raise InputError(f"{name} holds no rows below its header.")

    def iterate() -> Iterator[PairInput]:
        with contextlib.closing(lines()) as source:
            rows = _csv_rows(source, delimiter)
            next(rows)
            try:
                for pair, row in enumerate(rows):
                    number = pair + 1
                    if isinstance(row, csv.Error):  # one malformed record: a row with its error
                        yield PairInput(pair, str(number), None, None,
                                        error=f"row {number} is not valid CSV ({row}).")
                        continue
                    record = dict(zip(header, row, strict=False))
                    yield record_pair(record, pair, f"row {number}", columns, id_column,
                                      encoding, number, limits.document_bytes())
            except UnicodeDecodeError as err:
                raise InputError(f"{name} changed while it was read ({err}).") from err

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


def _csv_rows(lines: Iterable[str], delimiter: str) -> Iterator[list[str] | csv.Error]:
    """Non-empty CSV records, or the csv.Error of a malformed one (reading goes on after it)."""
    reader = csv.reader(lines, delimiter=delimiter)
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
