"""Parquet corpora: text or binary columns, read in record batches."""

from __future__ import annotations

import io
from collections.abc import Iterator

from ...loading import InputError
from ..schema import Columns, Corpus, PairInput
from .tabular import check_columns, record_pair


def open_parquet(data: bytes | None, path: str | None, name: str, columns: Columns,
                 limit: int | None = None) -> Corpus:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(io.BytesIO(data) if data is not None else path)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as err:  # damaged metadata too
        raise InputError(f"{name} is not a readable Parquet file ({err}).") from err
    have = file.schema_arrow.names
    try:
        id_column = check_columns(name, have, columns, "column")
    except InputError:
        file.close()
        raise
    read = [c for c in (columns.original, columns.corrupted, id_column) if c]
    total = file.metadata.num_rows
    if total == 0:
        file.close()
        raise InputError(f"{name} holds no rows.")

    def iterate() -> Iterator[PairInput]:
        pair = 0
        try:
            for batch in file.iter_batches(batch_size=256, columns=read):
                values = {c: _cells(batch.column(c)) for c in read}
                for k in range(batch.num_rows):
                    record = {c: values[c][k] for c in read}
                    bad = [c for c in read if isinstance(record[c], _NotUtf8)]
                    if bad:  # a damaged text cell is its row's error, not the whole file's
                        yield PairInput(pair, str(pair + 1), None, None,
                                        error=f"row {pair + 1}: {bad[0]} is not valid UTF-8 "
                                              "(a damaged Parquet file?).")
                    else:
                        yield record_pair(record, pair, f"row {pair + 1}", columns, id_column,
                                          "utf-8", pair + 1, limit)
                    pair += 1
        except (pa.ArrowException, OSError, UnicodeDecodeError) as err:  # damaged metadata too
            raise InputError(f"{name} is damaged after row {pair} ({err}).") from err

    return Corpus("parquet", name, iterate, total, close=file.close)


class _NotUtf8(bytes):
    """A Parquet string cell whose bytes are not UTF-8 (only a damaged file has one)."""


def _cells(column) -> list:
    """A column's values; in a string column with invalid UTF-8, each such cell a ``_NotUtf8``
    (pyarrow would refuse the whole column)."""
    import pyarrow as pa

    try:
        return column.to_pylist()
    except UnicodeDecodeError:
        cells = []
        for raw in column.cast(pa.binary()).to_pylist():
            try:
                cells.append(raw if raw is None else raw.decode("utf-8"))
            except UnicodeDecodeError:
                cells.append(_NotUtf8(raw))
        return cells
