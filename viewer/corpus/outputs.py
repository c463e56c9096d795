"""Output files that never destroy anything: an output that is an input (the same file, a link
to it, a path inside an input folder, a folder holding an input) is refused, an existing one
too unless the caller says ``overwrite``; and every output appears only complete: it is written
under a hidden temporary name beside the target (``.NAME.XXXX.part``) and renamed at the end,
so a killed run leaves nothing that reads as a finished result."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterable, Iterator

from ..export import spreadsheet_safe
from ..loading import InputError, os_reason
from .schema import COLUMNS, arrow_schema, extension

OUTPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
                  ".pq": "parquet"}
# Parquet row groups of a useful size, not one per batch
_PARQUET_ROWS = 20_000


def output_format(path: str) -> str:
    fmt = OUTPUT_FORMATS.get(extension(path))
    if fmt is None:
        raise InputError(f"cannot tell the output format of {path}: name it .csv, .jsonl or "
                         ".parquet.")
    return fmt


def is_url(path: str) -> bool:
    return "://" in path


def check_output(out: str, inputs: Iterable[str], *, overwrite: bool = False) -> None:
    """Refuse (``InputError``) an output that would destroy an input, or an existing output
    unless ``overwrite``. URLs (``s3://``...) are not checked: no local file is at stake."""
    if is_url(out):
        return
    for source in inputs:
        if not is_url(source) and _overlaps(out, source):
            raise InputError(f"--out {out} would overwrite the input {source}: choose an output "
                             "outside the input.")
    if os.path.lexists(out) and not overwrite:
        raise InputError(f"{out} exists: give --overwrite to replace it, or choose another --out.")


def _overlaps(out: str, source: str) -> bool:
    """The same file (also by a hard or symbolic link), the output inside an input folder, or an
    input inside the output (a folder replaced as a whole)."""
    real_out, real_source = os.path.realpath(out), os.path.realpath(source)
    if real_out == real_source:
        return True
    try:
        if os.path.samefile(out, source):
            return True
    except OSError:  # one of them does not exist (yet)
        pass
    return (real_out.startswith(os.path.join(real_source, "")) or
            real_source.startswith(os.path.join(real_out, "")))


def temporary_beside(path: str, *, folder: bool = False) -> str:
    """A new, hidden, uniquely named file (or folder) in ``path``'s folder to write ``path``
    under until it is complete."""
    parent, base = os.path.split(os.path.abspath(path))
    try:
        if folder:
            tmp = tempfile.mkdtemp(prefix=f".{base}.", suffix=".part", dir=parent)
        else:
            handle, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=".part", dir=parent)
            os.close(handle)
        # tempfile keeps them private (0600/0700); the result gets the usual permissions
        os.chmod(tmp, (0o777 if folder else 0o666) & ~_umask())
        return tmp
    except OSError as err:
        raise InputError(f"cannot write {path}: {os_reason(err)}.") from err


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def publish(tmp: str, path: str, *, overwrite: bool) -> None:
    """Rename the complete ``tmp`` (file or folder) to ``path``: atomic for a file; a folder
    replaced under ``overwrite`` is first moved aside, then removed. Without ``overwrite`` an
    output that appeared while the run went on is kept, and this refuses."""
    if os.path.lexists(path):
        if not overwrite:
            raise InputError(f"{path} appeared during the run: the result is left in {tmp}.")
        if os.path.isdir(path) and not os.path.islink(path):
            aside = temporary_beside(path, folder=True)
            os.replace(path, os.path.join(aside, "old"))
            os.replace(tmp, path)
            shutil.rmtree(aside, ignore_errors=True)
            return
    os.replace(tmp, path)


def discard(tmp: str) -> None:
    if os.path.isdir(tmp):
        shutil.rmtree(tmp, ignore_errors=True)
    elif os.path.lexists(tmp):
        os.unlink(tmp)


CONFUSION_FORMATS = (".csv", ".json")


def write_confusions(path: str, table: dict, *, overwrite: bool = False) -> None:
    """A corpus's confusion table (``summary.corpus_confusions``) to ``path``, complete or not
    at all: ``.json`` the table itself, ``.csv`` its tidy rows (``measures.confusion_rows``:
    ``table,original,corrupted,count``, text cells ``spreadsheet_safe``)."""
    from ..measures import confusion_rows

    fmt = extension(path)
    if fmt not in CONFUSION_FORMATS:
        raise InputError(f"cannot tell the format of {path}: name it .csv or .json.")
    tmp = temporary_beside(path)
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as file:
            if fmt == ".json":
                json.dump(table, file, ensure_ascii=False)
            else:
                writer = csv.writer(file)
                writer.writerow(["table", "original", "corrupted", "count"])
                writer.writerows([row["table"], spreadsheet_safe(row["original"]),
                                  spreadsheet_safe(row["corrupted"]), row["count"]]
                                 for row in confusion_rows(table))
        publish(tmp, path, overwrite=overwrite)
    except OSError as err:
        raise InputError(f"cannot write {path}: {os_reason(err)}.") from err
    finally:
        discard(tmp)  # gone already when published


class RowWriter:
    """Rows to a CSV, JSONL or Parquet file (by extension), streamed under a temporary name
    beside the target and renamed when closed after success; a failed run removes it. CSV text
    cells are ``spreadsheet_safe``; JSONL and Parquet keep the exact text."""

    def __init__(self, path: str, *, overwrite: bool = False):
        self.path, self.overwrite = path, overwrite
        self.format = output_format(path)
        self.rows = 0
        self._tmp = temporary_beside(path)
        binary = self.format == "parquet"
        try:  # open across write calls, closed in close()
            self._file = open(  # noqa: SIM115
                self._tmp, "wb" if binary else "w", encoding=None if binary else "utf-8",
                newline=None if binary else "")
        except OSError as err:
            discard(self._tmp)
            raise InputError(f"cannot write {path}: {os_reason(err)}.") from err
        self._pending: list[dict] = []
        if self.format == "csv":
            self._csv = csv.writer(self._file)
            self._csv.writerow(COLUMNS)
        elif self.format == "parquet":
            import pyarrow.parquet as pq

            self._parquet = pq.ParquetWriter(self._file, arrow_schema())

    def write(self, rows: list[dict]) -> None:
        self.rows += len(rows)
        if self.format == "csv":
            self._csv.writerows([["" if row[c] is None else spreadsheet_safe(row[c])
                                  for c in COLUMNS] for row in rows])
        elif self.format == "jsonl":
            self._file.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        else:
            self._pending.extend(rows)
            if len(self._pending) >= _PARQUET_ROWS:
                self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._pending:
            self._parquet.write_table(pa.Table.from_pylist(self._pending, arrow_schema()))
            self._pending = []

    def close(self, ok: bool = True) -> None:
        try:
            if self.format == "parquet":
                if ok:
                    self._flush()
                self._parquet.close()
            self._file.close()
            if ok:
                publish(self._tmp, self.path, overwrite=self.overwrite)
        finally:
            if not ok:
                discard(self._tmp)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        self.close(ok=exc_type is None)


# --- checkpoints: what an interrupted run has done, for --resume -----------------------------

_FINGERPRINT = "fingerprint.json"
_ROWS = "rows.jsonl"


def checkpoint_path(out: str) -> str:
    """Where a run's checkpoint lives: the hidden folder ``.NAME.checkpoint`` beside ``out``
    (for a URL output, beside it at that URL)."""
    parent, base = posixpath.split(out.rstrip("/")) if is_url(out) else os.path.split(
        os.path.abspath(out))
    return (posixpath.join if is_url(out) else os.path.join)(parent, f".{base}.checkpoint")


def input_fingerprint(source: str) -> dict:
    """What identifies an input for ``--resume``: its real path, and its size and modification
    time (a folder: every file's). A changed input makes a checkpoint useless."""
    if is_url(source):
        import fsspec

        fs, path = fsspec.core.url_to_fs(source)
        info = fs.info(path)
        return {"url": source, **{k: str(info[k]) for k in
                                  ("size", "mtime", "LastModified", "ETag", "md5", "created")
                                  if k in info}}
    real = os.path.realpath(source)
    if not os.path.isdir(real):
        info = os.stat(real)
        return {"path": real, "size": info.st_size, "mtime_ns": info.st_mtime_ns}
    digest = hashlib.sha256()
    for top, dirs, files in os.walk(real):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(top, name)
            try:
                info = os.stat(full)
                digest.update(f"{os.path.relpath(full, real)}\0{info.st_size}\0"
                              f"{info.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
            except OSError:  # a dangling link: its absence is part of the input too
                digest.update(f"{os.path.relpath(full, real)}\0-\n".encode(
                    "utf-8", "surrogateescape"))
    return {"path": real, "files": digest.hexdigest()}


def run_fingerprint(source: str, **settings) -> dict:
    """The input's fingerprint and every setting that changes a row (dataclasses as dicts)."""
    return json.loads(json.dumps({"input": input_fingerprint(source), **{
        k: dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v
        for k, v in settings.items()}}, sort_keys=True, default=str))


class Checkpoint:
    """The hidden folder ``.NAME.checkpoint`` beside an output: ``fingerprint.json`` (the input
    and the settings, ``run_fingerprint``) and the rows done so far (``rows.jsonl``, appended
    batch by batch in corpus order; or, for Dask, one Parquet file per partition). It survives
    a kill; ``--resume`` continues from it when the fingerprint matches and refuses otherwise;
    a successful run removes it. Without ``--resume`` an existing checkpoint is refused (it is
    someone's unfinished work) unless ``overwrite`` starts again."""

    def __init__(self, out: str, fingerprint: dict, *, resume: bool, overwrite: bool):
        self.out, self.path = out, checkpoint_path(out)
        self.resumed = False
        if os.path.isdir(self.path):
            try:
                with open(os.path.join(self.path, _FINGERPRINT), encoding="utf-8") as file:
                    found = json.load(file)
            except (OSError, ValueError):
                found = None
            if resume and found is not None and found != fingerprint:
                raise InputError(
                    f"{self.path} was left by a run of another input or other options: run the "
                    "same command as before with --resume, or give --overwrite to start again.")
            if resume and found is not None:
                self.resumed = True
            elif overwrite or (resume and found is None):
                shutil.rmtree(self.path)
            else:
                raise InputError(f"an interrupted run left {self.path}: give --resume to "
                                 "continue it, or --overwrite to start again.")
        if not self.resumed:
            try:
                os.mkdir(self.path)
                tmp = os.path.join(self.path, f".{_FINGERPRINT}.part")
                with open(tmp, "w", encoding="utf-8") as file:
                    json.dump(fingerprint, file, sort_keys=True)
                os.replace(tmp, os.path.join(self.path, _FINGERPRINT))
            except OSError as err:
                raise InputError(f"cannot write {self.path}: {os_reason(err)}.") from err
        self._rows_file = None

    def remember(self, name: str, value):
        """``value`` kept under ``name`` on the first run; a resumed run gets the kept one (e.g.
        the partitioning, which must not change with the number of workers)."""
        path = os.path.join(self.path, f"{name}.json")
        try:
            with open(path, encoding="utf-8") as file:
                return json.load(file)
        except (OSError, ValueError):
            with open(path + ".part", "w", encoding="utf-8") as file:
                json.dump(value, file)
            os.replace(path + ".part", path)
            return value

    # local runs: rows in corpus order
    def done_rows(self) -> Iterator[dict]:
        """The rows completed so far, in the order written. A line cut short by a kill is
        dropped, and cut from the file, so that appending goes on after the last whole row."""
        path = os.path.join(self.path, _ROWS)
        if not os.path.exists(path):
            return
        with open(path, "rb+") as file:
            whole = sum(len(line) for line in file if line.endswith(b"\n"))
            file.truncate(whole)
        with open(path, encoding="utf-8") as file:
            for line in file:
                yield json.loads(line)

    def append(self, rows: list[dict]) -> None:
        if self._rows_file is None:
            self._rows_file = open(  # noqa: SIM115 (open across calls, closed in close())
                os.path.join(self.path, _ROWS), "a", encoding="utf-8")
        self._rows_file.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        self._rows_file.flush()  # in the kernel's hands: a killed process loses nothing

    def close(self) -> None:
        if self._rows_file is not None:
            self._rows_file.close()
            self._rows_file = None

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)


def stale_parts(out: str) -> list[str]:
    """Temporary outputs (``.NAME.XXXX.part``) that killed runs left beside ``out``."""
    parent, base = os.path.split(os.path.abspath(out))
    try:
        return [os.path.join(parent, n) for n in os.listdir(parent)
                if n.startswith(f".{base}.") and n.endswith(".part")]
    except OSError:
        return []
