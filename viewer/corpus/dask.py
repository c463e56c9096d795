"""``summarize_pair`` over a JSONL or Parquet corpus on a Dask cluster: the file is read in
partitions on the workers (``dask.bag.read_text``, ``dask.dataframe.read_parquet``; a local path
or any fsspec URL: ``s3://``, ``gs://``, ``file://``...). Each partition's rows come back to the
client as an Arrow table (workers on other machines need not share the client's disk) and are
written as ``part.NNNNN.parquet`` into the checkpoint folder beside the output
(``.NAME.checkpoint``); when every partition is there they are renamed into the output folder
(``pandas.read_parquet(out_dir)`` reads them back in order). A killed run is continued by
``resume``: the partitions already written are not computed again. An output given as a URL is
written by the workers in place (object stores have no atomic rename) and cannot be resumed.
Workers need this project importable, and must reach the input (the same path on a shared
filesystem, or a URL)."""

from __future__ import annotations

import codecs
import contextlib
import os
import posixpath
from dataclasses import dataclass

from ..loading import InputError, max_bytes
from .outputs import (
    Checkpoint,
    check_output,
    discard,
    is_url,
    publish,
    run_fingerprint,
    temporary_beside,
)
from .readers import detect_format, open_corpus
from .readers.jsonl import jsonl_pairs, jsonl_record
from .readers.tabular import check_columns, id_column, record_pair
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
             partitions: int | None = None, overwrite: bool = False,
             resume: bool = False) -> RunStats:
    """Summarise ``source`` (a path or an fsspec URL) into the Parquet folder ``out_dir`` on
    Dask. Connects to ``scheduler`` (``tcp://host:8786``), uses ``client``, or starts a
    ``LocalCluster`` of ``workers`` processes. ``out_dir`` must not exist unless ``overwrite``,
    and must not be or hold the input; ``resume`` continues an interrupted run from its
    checkpoint. A URL output (``s3://``...) is written in place, without those checks."""
    fmt, total = _check_input(source, columns)
    check_output(out_dir, [source], overwrite=overwrite)
    if is_url(out_dir) and resume:
        raise InputError("--resume needs a local --out: a URL output is written in place.")
    with _engine_errors(), _client(client, scheduler, workers) as active:
        if is_url(out_dir):
            wanted = partitions or 4 * max(1, len(active.scheduler_info().get("workers", {})))
            tasks = _tasks(fmt, active, source, out_dir, columns, options, wanted, total)
            return _gather(active, tasks, total, progress, None)
        checkpoint = Checkpoint(out_dir, run_fingerprint(source, engine="dask", columns=columns,
                                                         options=options),
                                resume=resume, overwrite=overwrite)
        # the same partitions on resume, whatever the number of workers now
        wanted = checkpoint.remember("partitions", partitions or 4 * max(
            1, len(active.scheduler_info().get("workers", {}))))
        tasks = _tasks(fmt, active, source, None, columns, options, wanted, total)
        stats = _gather(active, tasks, total, progress, checkpoint.path)
        target = temporary_beside(out_dir, folder=True)
        try:
            for k in range(len(tasks)):
                os.replace(os.path.join(checkpoint.path, _part_name(k)),
                           os.path.join(target, _part_name(k)))
            publish(target, out_dir, overwrite=overwrite)
        except BaseException:
            discard(target)
            raise
        checkpoint.remove()
        return stats


def _tasks(fmt: str, client, source: str, out_url: str | None, columns: Columns,
           options: PairOptions, wanted: int, total: int | None) -> list:
    if fmt == "jsonl":
        return _jsonl_tasks(client, source, out_url, columns, options, wanted)
    return _parquet_tasks(client, source, out_url, columns, options, wanted, total)


def _open_binary(source: str):
    """A local path or an fsspec URL, opened for reading bytes."""
    if is_url(source):
        import fsspec

        return fsspec.open(source, "rb").open()
    return open(source, "rb")  # noqa: SIM115 (the caller closes it)


def _check_input(source: str, columns: Columns) -> tuple[str, int | None]:
    """The corpus format and size; refuses what Dask does not read (columns checked here)."""
    name = os.fsdecode(source)
    if is_url(source):
        return _check_url_input(source, columns)
    with open_corpus(source, name, columns=columns) as corpus:
        fmt, total = corpus.format, corpus.total
    if fmt not in ("jsonl", "parquet"):
        raise InputError(f"--engine dask reads JSONL or Parquet; {name} is {fmt}: "
                         "use --engine local, or convert it.")
    return fmt, total


def _check_url_input(source: str, columns: Columns) -> tuple[str, int | None]:
    """``_check_input`` for a URL: the head, the first record or the Parquet schema only."""
    import pyarrow.parquet as pq

    try:
        with _open_binary(source) as file:
            fmt = detect_format(file.read(4096), source)
            if fmt == "parquet":
                file.seek(0)
                parquet = pq.ParquetFile(file)
                check_columns(source, parquet.schema_arrow.names, columns, "column")
                return fmt, parquet.metadata.num_rows
    except OSError as err:
        raise InputError(f"cannot read {source} ({err}).") from err
    if fmt != "jsonl":
        raise InputError(f"--engine dask reads JSONL or Parquet; {source} is {fmt}: "
                         "use --engine local, or convert it.")
    first = _first_record(source)
    if first is None:
        raise InputError(f"{source} holds no JSONL records.")
    check_columns(source, first, columns, "field")
    return fmt, None


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


def _jsonl_tasks(client, source: str, out_url: str | None, columns: Columns,
                 options: PairOptions, wanted: int) -> list:
    """One task per block of lines; each knows its first line and pair number (counted on the
    workers first) so ids and messages match a local run."""
    import dask
    import dask.bag

    size = _size(source)
    blocksize = min(64 * _MIB, max(_KIB, size // wanted))  # dask cuts size // blocksize blocks
    parts = dask.bag.read_text(source, blocksize=blocksize, encoding="utf-8",
                               errors="surrogateescape").to_delayed()
    counts = client.compute([dask.delayed(_count_lines)(p) for p in parts], sync=True)
    first_id = id_column(_first_record(source) or {}, columns)
    tasks, line, pair = [], 1, 0
    for k, (part, (lines, records)) in enumerate(zip(parts, counts, strict=True)):
        tasks.append((k, dask.delayed(_jsonl_part)(part, k, line, pair, out_url, columns,
                                                   first_id, options)))
        line, pair = line + lines, pair + records
    return tasks


def _size(source: str) -> int:
    if is_url(source):
        import fsspec

        fs, path = fsspec.core.url_to_fs(source)
        return fs.size(path) or 64 * _MIB
    return os.path.getsize(source) if os.path.exists(source) else 64 * _MIB


def _parquet_tasks(client, source: str, out_url: str | None, columns: Columns,
                   options: PairOptions, wanted: int, total: int | None) -> list:
    """One task per partition of the Parquet file, repartitioned when it has too few."""
    import dask
    import dask.dataframe
    import pyarrow.parquet as pq

    with _open_binary(source) as file:
        ids = id_column(pq.ParquetFile(file).schema_arrow.names, columns)
    read = [c for c in (columns.original, columns.corrupted, ids) if c]
    frame = dask.dataframe.read_parquet(source, columns=read)
    if frame.npartitions < wanted and (total or 0) >= 2 * wanted:
        frame = frame.repartition(npartitions=wanted)
    parts = frame.to_delayed()
    lengths = client.compute([dask.delayed(len)(p) for p in parts], sync=True)
    tasks, pair = [], 0
    for k, (part, length) in enumerate(zip(parts, lengths, strict=True)):
        tasks.append((k, dask.delayed(_frame_part)(part, k, pair, out_url, columns, ids,
                                                   options)))
        pair += length
    return tasks


def _part_name(k: int) -> str:
    return f"part.{k:05d}.parquet"


def _gather(client, tasks: list, total: int | None, progress: Progress | None,
            folder: str | None) -> RunStats:
    """Run the tasks not yet done; each result (an Arrow table, or for a URL output the row
    and error counts) is written by the client as ``folder/part.NNNNN.parquet``, complete
    (written under a temporary name, then renamed) or not at all. Partitions already in
    ``folder`` (a resumed run) are counted, not computed again."""
    import distributed
    import pyarrow.parquet as pq

    done = errors = 0
    todo = []
    for k, task in tasks:
        path = os.path.join(folder, _part_name(k)) if folder else None
        if path and os.path.exists(path):
            table = pq.read_table(path, columns=["error"])
            done += table.num_rows
            errors += table.num_rows - table.column("error").null_count
        else:
            todo.append((k, task))
    if progress:
        progress(done, total)
    futures = client.compute([task for _, task in todo])
    number = {future.key: k for future, (k, _) in zip(futures, todo, strict=True)}
    for future in distributed.as_completed(futures):
        result = future.result()
        if folder is None:
            rows, bad = result
        else:
            path = os.path.join(folder, _part_name(number[future.key]))
            tmp = path + ".part"
            pq.write_table(result, tmp)
            os.replace(tmp, path)
            rows, bad = result.num_rows, result.num_rows - result.column("error").null_count
        done, errors = done + rows, errors + bad
        future.release()  # the rows are on disk: the cluster need not keep them
        if progress:
            progress(done, total)
    return RunStats(done, errors, len(tasks))


def _first_record(source: str) -> dict | None:
    try:
        with _open_binary(source) as file:
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


def _finish_part(rows: list[dict], out_url: str | None, k: int):
    """The partition's rows as an Arrow table for the client to write; or, for a URL output,
    written there by the worker (the row and error counts returned)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, arrow_schema())
    if out_url is None:
        return table
    pq.write_table(table, posixpath.join(out_url, _part_name(k)))
    return len(rows), sum(1 for row in rows if row["error"])


def _limit(options: PairOptions) -> int:
    return max_bytes() if options.max_bytes is None else options.max_bytes


def _jsonl_part(lines: list[str], k: int, first_line: int, first_pair: int,
                out_url: str | None, columns: Columns, ids: str | None, options: PairOptions):
    """One partition of JSONL lines (as ``read_text`` gives them) summarised."""
    pairs = jsonl_pairs(lines, columns, ids, first_line, first_pair, _limit(options))
    return _finish_part([summarize_pair(p, options) for p in pairs], out_url, k)


def _frame_part(frame, k: int, first_pair: int, out_url: str | None, columns: Columns,
                ids: str | None, options: PairOptions):
    """One partition of a Parquet corpus (a pandas DataFrame) summarised."""
    read = [c for c in (columns.original, columns.corrupted, ids) if c]
    values = {c: frame[c].tolist() for c in read}
    rows = []
    for i in range(len(frame)):
        pair = first_pair + i
        record = {c: values[c][i] for c in read}
        rows.append(summarize_pair(record_pair(record, pair, f"row {pair + 1}", columns, ids,
                                               "utf-8", pair + 1, _limit(options)), options))
    return _finish_part(rows, out_url, k)
