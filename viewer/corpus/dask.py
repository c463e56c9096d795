"""``summarize_pair`` over a JSONL or Parquet corpus on a Dask cluster: the file is read in
partitions on the workers (``dask.bag.read_text``, ``dask.dataframe.read_parquet``) and every
partition is written as ``part.NNNNN.parquet`` into a temporary folder beside the output,
renamed to the output when every partition is written (``pandas.read_parquet(out_dir)`` reads
them back in order). Workers need this project importable, and the input and output paths must
be reachable from the client and every worker (the same path on a shared filesystem)."""

from __future__ import annotations

import codecs
import contextlib
import os
import posixpath
from dataclasses import dataclass

from ..loading import InputError
from .outputs import check_output, discard, is_url, publish, temporary_beside
from .readers import open_corpus
from .readers.jsonl import jsonl_pairs, jsonl_record
from .readers.tabular import id_column, record_pair
from .schema import (
    Columns,
    EngineError,
    PairOptions,
    Progress,
    arrow_schema,
    default_workers,
)
from .summary import summarize_pair

_KIB, _MIB = 1024, 1024 * 1024


@dataclass(frozen=True)
class RunStats:
    pairs: int
    errors: int
    partitions: int


def run_dask(source: str, out_dir: str, *, columns: Columns = Columns(),
             options: PairOptions = PairOptions(), scheduler: str | None = None,
             workers: int | None = None, client=None, progress: Progress | None = None,
             partitions: int | None = None, overwrite: bool = False) -> RunStats:
    """Summarise ``source`` into the Parquet folder ``out_dir`` on Dask. Connects to
    ``scheduler`` (``tcp://host:8786``), uses ``client``, or starts a ``LocalCluster`` of
    ``workers`` processes. ``out_dir`` must not exist unless ``overwrite``, and must not be or
    hold the input; a URL (``s3://``...) is written in place, without those checks."""
    fmt, total = _check_input(source, columns)
    check_output(out_dir, [source], overwrite=overwrite)
    with _engine_errors(), _client(client, scheduler, workers) as active:
        target = out_dir if is_url(out_dir) else temporary_beside(out_dir, folder=True)
        try:
            wanted = partitions or 4 * max(1, len(active.scheduler_info().get("workers", {})))
            if fmt == "jsonl":
                tasks = _jsonl_tasks(active, source, target, columns, options, wanted)
            else:
                tasks = _parquet_tasks(active, source, target, columns, options, wanted, total)
            stats = _gather(active, tasks, total, progress)
        except BaseException:
            if target != out_dir:
                discard(target)
            raise
        if target != out_dir:
            publish(target, out_dir, overwrite=overwrite)
        return stats


def _check_input(source: str, columns: Columns) -> tuple[str, int | None]:
    """The corpus format and size; refuses what Dask does not read (columns checked here)."""
    name = os.fsdecode(source)
    with open_corpus(source, name, columns=columns) as corpus:
        fmt, total = corpus.format, corpus.total
    if fmt not in ("jsonl", "parquet"):
        raise InputError(f"--engine dask reads JSONL or Parquet; {name} is {fmt}: "
                         "use --engine local, or convert it.")
    return fmt, total


@contextlib.contextmanager
def _engine_errors():
    """What fails in the cluster becomes one ``EngineError`` sentence; input errors and Ctrl-C
    pass unchanged."""
    try:
        yield
    except (InputError, KeyboardInterrupt):
        raise
    except Exception as err:
        first = (str(err).strip().splitlines() or [""])[0]
        raise EngineError(
            f"the Dask run failed ({type(err).__name__}: {first}); the scheduler and every "
            "worker need this project importable (PYTHONPATH) and the same packages as here."
        ) from err


@contextlib.contextmanager
def _client(client, scheduler: str | None, workers: int | None):
    """The given client, one connected to ``scheduler``, or one on a new ``LocalCluster``;
    closes what it started."""
    import distributed

    if client is not None:
        yield client
        return
    if scheduler:
        try:
            own = distributed.Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as err:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({err}).") from err
        with contextlib.closing(own):
            yield own
        return
    cluster = distributed.LocalCluster(n_workers=workers or default_workers(),
                                       threads_per_worker=1, processes=True,
                                       dashboard_address=":0")
    with contextlib.closing(cluster), contextlib.closing(distributed.Client(cluster)) as own:
        yield own


def _jsonl_tasks(client, source: str, target: str, columns: Columns, options: PairOptions,
                 wanted: int) -> list:
    """One task per block of lines; each knows its first line and pair number (counted on the
    workers first) so ids and messages match a local run."""
    import dask
    import dask.bag

    size = os.path.getsize(source) if os.path.exists(source) else 64 * _MIB
    blocksize = min(64 * _MIB, max(_KIB, size // wanted))  # dask cuts size // blocksize blocks
    parts = dask.bag.read_text(source, blocksize=blocksize, encoding="utf-8",
                               errors="surrogateescape").to_delayed()
    counts = client.compute([dask.delayed(_count_lines)(p) for p in parts], sync=True)
    first_id = id_column(_first_record(source) or {}, columns)
    tasks, line, pair = [], 1, 0
    for k, (part, (lines, records)) in enumerate(zip(parts, counts, strict=True)):
        tasks.append(dask.delayed(_jsonl_part)(part, k, line, pair, target, columns, first_id,
                                               options))
        line, pair = line + lines, pair + records
    return tasks


def _parquet_tasks(client, source: str, target: str, columns: Columns, options: PairOptions,
                   wanted: int, total: int | None) -> list:
    """One task per partition of the Parquet file, repartitioned when it has too few."""
    import dask
    import dask.dataframe
    import pyarrow.parquet as pq

    ids = id_column(pq.ParquetFile(source).schema_arrow.names, columns)
    read = [c for c in (columns.original, columns.corrupted, ids) if c]
    frame = dask.dataframe.read_parquet(source, columns=read)
    if frame.npartitions < wanted and (total or 0) >= 2 * wanted:
        frame = frame.repartition(npartitions=wanted)
    parts = frame.to_delayed()
    lengths = client.compute([dask.delayed(len)(p) for p in parts], sync=True)
    tasks, pair = [], 0
    for k, (part, length) in enumerate(zip(parts, lengths, strict=True)):
        tasks.append(dask.delayed(_frame_part)(part, k, pair, target, columns, ids, options))
        pair += length
    return tasks


def _gather(client, tasks: list, total: int | None, progress: Progress | None) -> RunStats:
    import distributed

    done = errors = 0
    if progress:
        progress(0, total)
    for future in distributed.as_completed(client.compute(tasks)):
        rows, bad = future.result()
        done, errors = done + rows, errors + bad
        if progress:
            progress(done, total)
    return RunStats(done, errors, len(tasks))


def _first_record(source: str) -> dict | None:
    try:
        with open(source, "rb") as file:
            for line_no, line in enumerate(file, 1):
                if line.strip():
                    record = jsonl_record(line.removeprefix(codecs.BOM_UTF8), line_no)
                    return record if isinstance(record, dict) else None
    except OSError:
        return None
    return None


def _count_lines(lines: list[str]) -> tuple[int, int]:
    """Lines and non-blank lines (records) in one partition of a JSONL file."""
    return len(lines), sum(1 for line in lines if line.strip())


def _write_part(rows: list[dict], out_dir: str, k: int) -> tuple[int, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not is_url(out_dir):
        os.makedirs(out_dir, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, arrow_schema()),
                   posixpath.join(out_dir, f"part.{k:05d}.parquet"))
    return len(rows), sum(1 for row in rows if row["error"])


def _jsonl_part(lines: list[str], k: int, first_line: int, first_pair: int, out_dir: str,
                columns: Columns, ids: str | None, options: PairOptions) -> tuple[int, int]:
    """One partition of JSONL lines (as ``read_text`` gives them) summarised and written."""
    pairs = jsonl_pairs(lines, columns, ids, first_line, first_pair)
    return _write_part([summarize_pair(p, options) for p in pairs], out_dir, k)


def _frame_part(frame, k: int, first_pair: int, out_dir: str, columns: Columns,
                ids: str | None, options: PairOptions) -> tuple[int, int]:
    """One partition of a Parquet corpus (a pandas DataFrame) summarised and written."""
    read = [c for c in (columns.original, columns.corrupted, ids) if c]
    values = {c: frame[c].tolist() for c in read}
    rows = []
    for i in range(len(frame)):
        pair = first_pair + i
        record = {c: values[c][i] for c in read}
        rows.append(summarize_pair(record_pair(record, pair, f"row {pair + 1}", columns, ids,
                                               "utf-8", pair + 1), options))
    return _write_part(rows, out_dir, k)
