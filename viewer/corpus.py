"""Many pairs: corpus readers, a pure per-pair summary, and parallel or distributed runs.

A corpus is one of (detected from the content first, the file name second):

* a zip file or a folder holding ``original/NAME`` and ``corrupted/NAME`` (matching names, at
  any depth, e.g. ``corpus/original/a.txt``), or ``NAME.orig.txt`` and ``NAME.corr.txt``;
* JSONL, CSV (or TSV) or Parquet with two text columns (``original`` and ``corrupted`` unless
  told otherwise, see ``Columns``) and an optional ``id`` column.

``open_corpus`` checks what would stop a whole run (unknown format, missing columns, a zip
over its limits) and raises ``InputError``; everything wrong with one pair (binary, empty,
undecodable, missing partner, a record that is not an object) travels with the pair as its
``error`` and becomes a row, so a bad pair never stops a run.

Zip files are read in memory: member names are only ever strings (never joined to a
directory, nothing is extracted), and the declared sizes are checked before anything is
decompressed (``CorpusLimits``); ``zipfile`` itself stops at the declared size and fails the
CRC check if a member lies about it.

The work per pair is ``summarize_pair``, a pure top-level function (picklable: process pools
and Dask ship it by reference): a ``PairInput`` in, one flat row out (``COLUMNS``), built from
``viewer.align.align`` and ``viewer.stats.summary``. ``summarize_batches`` runs it over a
corpus in a process pool; ``run_dask`` over partitions of a JSONL or Parquet corpus on a Dask
cluster. For the page: ``summarize_corpus`` (bytes and a file name in, DataFrame out, with a
progress callback), ``density_summary`` (aggregate density by kind) and ``load_pair`` (one
pair's two Documents, to open in the side-by-side view).
"""

from __future__ import annotations

import codecs
import concurrent.futures
import csv
import io
import json
import math
import os
import posixpath
import signal
import sys
import threading
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from .align import DEFAULT_TIME_BUDGET, INSERTED, KINDS, MISSING, SUBSTITUTED, align
from .loading import Document, InputError, decode_bytes, max_bytes
from .stats import summary

FORMATS = ("zip", "folder", "jsonl", "csv", "parquet")
OUTPUT_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
                  ".pq": "parquet"}

# Density along the relative position in the original (0-100 %), in this many bins per kind.
DENSITY_BINS = 20
DENSITY_COLUMNS = [f"density_{kind}_{i:02d}" for kind in KINDS for i in range(DENSITY_BINS)]

# One row per pair, in this order. None (empty in CSV, null in JSONL and Parquet) where a value
# is unknown: everything after ``error`` on a bad pair, a density bin holding no token.
COLUMNS = [
    "pair",                  # position in the corpus, 0-based: unique, unlike ``id``
    "id",                    # the id column, the zip/folder NAME, or the line/row number
    "error",                 # why the pair could not be aligned; None when it was
    "encoding_original", "encoding_corrupted",
    "chars_original", "chars_corrupted",
    "tokens_original", "tokens_corrupted",
    "matched_tokens",
    "corruption_rate",       # unmatched tokens, both sides, per token (viewer.stats.summary)
    "hunks_total", "hunks_missing", "hunks_substituted", "hunks_inserted",
    "tokens_missing",                                         # original side
    "tokens_substituted_original", "tokens_substituted_corrupted",
    "tokens_inserted",                                        # corrupted side
    "bounded_regions",
    *DENSITY_COLUMNS,        # share of the bin's original tokens corrupted, by kind
]
_STRING_COLUMNS = {"id", "error", "encoding_original", "encoding_corrupted"}
_FLOAT_COLUMNS = {"corruption_rate", *DENSITY_COLUMNS}
_INT_COLUMNS = [c for c in COLUMNS if c not in _STRING_COLUMNS and c not in _FLOAT_COLUMNS]

# A batch sent to a worker process holds about this many characters (or this many pairs):
# enough work (~0.1 s) that pickling and IPC stay small beside it.
BATCH_CHARS = 400_000
BATCH_PAIRS = 64

_KIB, _MIB, _GIB = 1024, 1024 * 1024, 1024 * 1024 * 1024
# Zip members that are operating-system debris, not data.
_DEBRIS_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_ORIG_SUFFIX, _CORR_SUFFIX = ".orig.txt", ".corr.txt"


@dataclass(frozen=True)
class Columns:
    """Column (or JSON field) names of a tabular corpus. ``id=None``: use an ``id`` column when
    there is one, else the line (JSONL) or row (CSV, Parquet) number; a name given here must
    exist."""

    original: str = "original"
    corrupted: str = "corrupted"
    id: str | None = None

    def __post_init__(self):
        if not self.original or not self.corrupted or self.id == "":
            raise ValueError("column names must not be empty")
        if self.original == self.corrupted:
            raise ValueError("the original and corrupted columns must differ")


@dataclass(frozen=True)
class CorpusLimits:
    """What a zip file may hold before it is refused as a whole (a zip bomb, or simply more
    than one run should take on); ``max_total_bytes`` also bounds a CSV file, which is read
    whole. Each document is further limited by ``PairOptions.max_bytes``."""

    max_members: int = 100_000
    max_total_bytes: int = 2 * _GIB
    # Prose deflates 3-5 times; a zip bomb a thousand times. Small members are let through
    # whatever their ratio (a page of spaces is harmless).
    max_ratio: float = 100.0
    ratio_min_bytes: int = 64 * _KIB
    # each zip member or folder file; None: VIEWER_MAX_BYTES or 64 MiB, as for one document
    max_document_bytes: int | None = None

    def __post_init__(self):
        if self.max_members < 1 or self.max_total_bytes < 1 or self.max_ratio < 1:
            raise ValueError("corpus limits must be positive")

    def document_bytes(self) -> int:
        return max_bytes() if self.max_document_bytes is None else self.max_document_bytes


@dataclass(frozen=True)
class PairOptions:
    """How each pair is aligned. ``max_bytes``: per document (None: VIEWER_MAX_BYTES or 64 MiB,
    read where the pair is summarised)."""

    ignore_case: bool = False
    strict_typography: bool = False
    max_bytes: int | None = None
    time_budget: float = DEFAULT_TIME_BUDGET


@dataclass(frozen=True)
class PairInput:
    """One pair as read, not yet decoded. A side is bytes (a file, a zip member, a Parquet
    binary cell: decoded with the loading rules), str (a JSON, CSV or Parquet text cell,
    checked by the same rules) or None (absent: ``error`` says why). ``*_name`` names the side
    in messages; ``encoding`` is the container's encoding for str sides."""

    pair: int
    id: str
    original: bytes | str | None
    corrupted: bytes | str | None
    original_name: str = "original"
    corrupted_name: str = "corrupted"
    encoding: str = "utf-8"
    error: str | None = None

    @property
    def size(self) -> int:
        return sum(len(side) for side in (self.original, self.corrupted) if side is not None)


# --- the work per pair --------------------------------------------------------------------


def summarize_pair(pair: PairInput, options: PairOptions = PairOptions()) -> dict:
    """One row (``COLUMNS``) for one pair; never raises for a bad pair, it fills ``error``."""
    row = dict.fromkeys(COLUMNS)
    row["pair"], row["id"] = pair.pair, pair.id
    row["id"] = _printable_utf8(pair.id)
    if pair.error:
        row["error"] = _printable_utf8(pair.error)
        return row
    limit = max_bytes() if options.max_bytes is None else options.max_bytes
    docs, errors = [], []
    for side, value, name in (("original", pair.original, pair.original_name),
                              ("corrupted", pair.corrupted, pair.corrupted_name)):
        try:
            doc = _document(value, name, pair.encoding, limit)
        except InputError as err:
            errors.append(str(err))
            continue
        docs.append(doc)
        row[f"encoding_{side}"] = doc.encoding
        row[f"chars_{side}"] = len(doc.text)
    if errors:
        row["error"] = _printable_utf8(" ".join(errors))
        return row
    try:
        al = align(docs[0].text, docs[1].text, ignore_case=options.ignore_case,
                   strict_typography=options.strict_typography, time_budget=options.time_budget)
        s = summary(al)
        density = density_vector(al)
    except Exception as err:  # a bug on one odd pair must not stop a million-pair run
        row["error"] = f"could not align {pair.id}: {type(err).__name__}: {err}"
        return row
    by_kind = s["tokens_by_kind"]
    row.update({
        "tokens_original": s["tokens"]["original"],
        "tokens_corrupted": s["tokens"]["corrupted"],
        "matched_tokens": s["matched_tokens"],
        "corruption_rate": s["corruption_rate"],
        "hunks_total": s["hunks_total"],
        **{f"hunks_{kind}": s["hunks"][kind] for kind in KINDS},
        "tokens_missing": by_kind["original"][MISSING],
        "tokens_substituted_original": by_kind["original"][SUBSTITUTED],
        "tokens_substituted_corrupted": by_kind["corrupted"][SUBSTITUTED],
        "tokens_inserted": by_kind["corrupted"][INSERTED],
        "bounded_regions": s["bounded_regions"],
    })
    row.update(density)
    return row


def _printable_utf8(text: str) -> str:
    """Ids and messages can carry lone surrogates (undecodable file names, a "\\ud800" JSON
    escape) that no UTF-8 output accepts: those become backslash escapes."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def summarize_batch(pairs: list[PairInput], options: PairOptions = PairOptions()) -> list[dict]:
    """``summarize_pair`` over a batch: the unit of work sent to a worker process."""
    return [summarize_pair(p, options) for p in pairs]


def density_vector(al, bins: int = DENSITY_BINS) -> dict:
    """Share of corrupted original tokens by kind in ``bins`` equal stretches of the original
    (``density_<kind>_<bin>``), as ``viewer.stats.density_frame`` counts them: text absent from
    the original (inserted) weighs at the spot where it belongs, so a share can exceed 1. A bin
    holding no token (fewer tokens than bins) is None."""
    import numpy as np

    n = len(al.a)
    if n == 0:
        return dict.fromkeys(DENSITY_COLUMNS)
    per_bin = np.bincount(np.arange(n) * bins // n, minlength=bins)
    out = {}
    for kind in KINDS:
        where, weight = [], []
        for h in al.hunks:
            if h.kind != kind:
                continue
            lo, hi = h.ta
            if hi > lo:
                where.append(np.arange(lo, hi))
                weight.append(np.ones(hi - lo))
            else:
                where.append(np.array([min(lo, n - 1)]))
                weight.append(np.array([float(h.tb[1] - h.tb[0])]))
        counts = (np.bincount(np.concatenate(where) * bins // n, np.concatenate(weight),
                              minlength=bins) if where else np.zeros(bins))
        for i in range(bins):
            out[f"density_{kind}_{i:02d}"] = (
                round(float(counts[i] / per_bin[i]), 4) if per_bin[i] else None)
    return out


def _document(value: bytes | str | None, name: str, encoding: str, limit: int) -> Document:
    """A side through the loading rules; a text cell is checked as its UTF-8 bytes would be."""
    if value is None:
        raise InputError(f"{name} is missing.")
    if isinstance(value, bytes):
        return decode_bytes(value, name, limit=limit)
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate: a "\ud800" escape, or invalid UTF-8
        raise InputError(f"{name} is not valid text ({err.reason} at character {err.start}).") \
            from err
    doc = decode_bytes(data, name, limit=limit)
    return replace(doc, encoding=encoding)


# --- readers ------------------------------------------------------------------------------


class Corpus:
    """An opened corpus: iterate it for ``PairInput`` records (again and again), in order.

    ``format`` is one of ``FORMATS``; ``total`` the number of pairs when known before reading
    them (zip, folder, CSV, Parquet; JSONL: its non-blank lines); ``skipped`` the zip or folder
    members that are neither side of a pair. Use as a context manager or call ``close``.
    """

    def __init__(self, fmt: str, name: str, iterate: Callable[[], Iterator[PairInput]],
                 total: int | None, skipped: tuple[str, ...] = (), close=None):
        self.format, self.name, self.total, self.skipped = fmt, name, total, skipped
        self._iterate, self._close = iterate, close

    def __iter__(self) -> Iterator[PairInput]:
        return self._iterate()

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_corpus(source: bytes | str | os.PathLike, name: str | None = None, *,
                columns: Columns = Columns(), limits: CorpusLimits = CorpusLimits()) -> Corpus:
    """Open a corpus given as bytes (an upload: ``name`` is its file name, used only to guess
    the format) or as a path (file or folder). Raises ``InputError`` for anything that stops
    the whole run."""
    if isinstance(source, bytes | bytearray | memoryview):
        data: bytes | None = bytes(source)
        path = None
        name = name or "upload"
    else:
        data = None
        path = os.fspath(source)
        name = name or os.fsdecode(path)
        if os.path.isdir(path):
            return _open_folder(path, name, limits)
    fmt = detect_format(data if data is not None else _head(path, name), name)
    if fmt == "zip":
        return _open_zip(data, path, name, limits)
    if fmt == "jsonl":
        return _open_jsonl(data, path, name, columns)
    if fmt == "csv":
        if data is None:
            data = _read_limited(path, name, limits.max_total_bytes)
        return _open_csv(data, name, columns, limits)
    return _open_parquet(data, path, name, columns)


def detect_format(head: bytes, name: str) -> str:
    """``zip``, ``parquet``, ``jsonl`` or ``csv`` from the first bytes and the file name."""
    ext = _extension(name)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"PAR1"):
        return "parquet"
    if ext in (".zip", ".parquet", ".pq"):
        kind = "zip" if ext == ".zip" else "Parquet"
        raise InputError(f"{name} is not a {kind} file (it does not start like one).")
    if ext in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if ext in (".csv", ".tsv"):
        return "csv"
    if head.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{"):
        return "jsonl"
    raise InputError(
        f"{name} is not a corpus the viewer reads: expected a zip file or folder of "
        "original/NAME and corrupted/NAME (or NAME.orig.txt and NAME.corr.txt) files, or JSONL, "
        "CSV or Parquet with original and corrupted columns.")


def load_pair(source: bytes | str | os.PathLike, name: str | None, pair: int, *,
              columns: Columns = Columns(), limits: CorpusLimits = CorpusLimits(),
              options: PairOptions = PairOptions()) -> tuple[Document, Document]:
    """The two Documents of the pair at position ``pair`` (the ``pair`` column), to open in the
    side-by-side view; ``InputError`` if it is a bad pair or there is no such pair."""
    limit = max_bytes() if options.max_bytes is None else options.max_bytes
    with open_corpus(source, name, columns=columns, limits=limits) as corpus:
        for record in corpus:
            if record.pair != pair:
                continue
            if record.error:
                raise InputError(record.error)
            return (_document(record.original, record.original_name, record.encoding, limit),
                    _document(record.corrupted, record.corrupted_name, record.encoding, limit))
    raise InputError(f"{corpus.name} has no pair number {pair}.")


def _extension(name: str) -> str:
    return posixpath.splitext(name.replace("\\", "/").lower())[1]


def _head(path: str, name: str, n: int = 4096) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read(n)
    except OSError as err:
        raise InputError(f"cannot read {name}: {_reason(err)}.") from err


def _read_limited(path: str, name: str, limit: int) -> bytes:
    try:
        with open(path, "rb") as file:
            data = file.read(limit + 1)
    except OSError as err:
        raise InputError(f"cannot read {name}: {_reason(err)}.") from err
    if len(data) > limit:
        raise InputError(f"{name} is larger than the {limit:,}-byte limit for a corpus file.")
    return data


def _reason(err: OSError) -> str:
    return err.strerror or str(err) or type(err).__name__


# zip and folder: pair the names

@dataclass
class _Slot:
    id: str
    original: str | None = None
    corrupted: str | None = None
    duplicates: list[str] = field(default_factory=list)


def _member_parts(name: str) -> list[str]:
    """A member name as path parts, only for matching: ``\\`` and ``/`` both separate, empty
    and ``.`` parts go. ``..`` stays a literal part; nothing here ever reaches the filesystem."""
    return [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]


def _side_of(parts: list[str]) -> tuple[str, str] | None:
    """``(side, key)`` for a member that is one side of a pair, else None:
    ``x/original/a.txt`` -> ``("original", "x/a.txt")``,
    ``x/a.orig.txt`` -> ``("original", "x/a")``."""
    for i, part in enumerate(parts[:-1]):
        if part.lower() in ("original", "corrupted"):
            return part.lower(), "/".join(parts[:i] + parts[i + 1 :])
    base = parts[-1].lower() if parts else ""
    for suffix, side in ((_ORIG_SUFFIX, "original"), (_CORR_SUFFIX, "corrupted")):
        if base.endswith(suffix) and len(base) > len(suffix):
            return side, "/".join(parts[:-1] + [parts[-1][: -len(suffix)]])
    return None


def _is_debris(parts: list[str]) -> bool:
    return (not parts or parts[0] == "__MACOSX" or parts[-1] in _DEBRIS_NAMES
            or parts[-1].startswith("._"))


def _pair_names(names: Iterable[str]) -> tuple[list[_Slot], tuple[str, ...]]:
    """Group member names into pairs, sorted by id; the names that are no side of a pair."""
    slots: dict[str, _Slot] = {}
    skipped = []
    for name in names:
        parts = _member_parts(name)
        found = None if _is_debris(parts) else _side_of(parts)
        if found is None:
            skipped.append(name)
            continue
        side, key = found
        slot = slots.setdefault(key, _Slot(key))
        if getattr(slot, side) is None:
            setattr(slot, side, name)
        else:
            slot.duplicates.append(name)
    ordered = [slots[k] for k in sorted(slots)]
    # a zipped folder ("corpus/original/a.txt"): ids without the folder every member shares
    firsts = {s.id.split("/", 1)[0] for s in ordered}
    if len(firsts) == 1 and all("/" in s.id for s in ordered):
        for s in ordered:
            s.id = s.id.split("/", 1)[1]
    return ordered, tuple(skipped)


def _too_large(member: str, limit: int) -> str:
    return (f"{member} is larger than the {limit:,}-byte limit for one document (set "
            "VIEWER_MAX_BYTES or --max-bytes to allow more).")


def _slot_error(slot: _Slot) -> str | None:
    if slot.duplicates:
        return (f"pair {slot.id} is ambiguous: {', '.join(slot.duplicates)} gives a side that "
                "another file gives too.")
    if slot.original is None:
        return f"{slot.corrupted} has no original (original/NAME or NAME{_ORIG_SUFFIX})."
    if slot.corrupted is None:
        return f"{slot.original} has no corrupted version (corrupted/NAME or NAME{_CORR_SUFFIX})."
    return None


def _no_pairs(name: str) -> InputError:
    return InputError(
        f"{name} holds no pairs: expected original/NAME and corrupted/NAME, or NAME{_ORIG_SUFFIX}"
        f" and NAME{_CORR_SUFFIX}.")


def _open_zip(data: bytes | None, path: str | None, name: str, limits: CorpusLimits) -> Corpus:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        why = _reason(err) if isinstance(err, OSError) else str(err)
        raise InputError(f"{name} is not a readable zip file ({why}).") from err
    try:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        _check_zip_limits(infos, name, limits)
    except InputError:
        archive.close()
        raise
    by_name: dict[str, zipfile.ZipInfo] = {}
    duplicate_members = []
    for info in infos:
        if info.filename in by_name:  # a zip may hold one name twice: the pair is ambiguous
            duplicate_members.append(info.filename)
        by_name.setdefault(info.filename, info)
    slots, skipped = _pair_names([*by_name, *duplicate_members])
    if not slots:
        archive.close()
        raise _no_pairs(name)

    def read(member: str) -> bytes | str:
        """The member's bytes, or a str saying why it cannot be read."""
        info = by_name[member]
        limit = limits.document_bytes()
        if info.file_size > limit:
            return _too_large(member, limit)
        try:
            with archive.open(info) as file:
                return file.read(limit + 1)
        except RuntimeError as err:  # encrypted
            return f"{member} cannot be read ({err})."
        except NotImplementedError as err:
            return f"{member} uses a compression method that cannot be read ({err})."
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
            return f"{member} is damaged ({err})."

    def iterate() -> Iterator[PairInput]:
        for k, slot in enumerate(slots):
            yield _slot_pair(k, slot, read)

    return Corpus("zip", name, iterate, len(slots), skipped, close=archive.close)


def _check_zip_limits(infos: list[zipfile.ZipInfo], name: str, limits: CorpusLimits) -> None:
    """Refuse the archive on its declared sizes, before decompressing anything."""
    if len(infos) > limits.max_members:
        raise InputError(f"{name} holds {len(infos):,} files, over the limit of "
                         f"{limits.max_members:,}.")
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        raise InputError(f"{name} expands to {total:,} bytes, over the limit of "
                         f"{limits.max_total_bytes:,}.")
    for info in infos:
        if (info.file_size >= limits.ratio_min_bytes
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)):
            ratio = info.file_size / max(info.compress_size, 1)
            raise InputError(f"{name} looks like a zip bomb: {info.filename!r} expands "
                             f"{ratio:,.0f} times (the limit is {limits.max_ratio:,.0f}).")


def _slot_pair(k: int, slot: _Slot, read: Callable[[str], bytes | str]) -> PairInput:
    error = _slot_error(slot)
    if error:
        return PairInput(k, slot.id, None, None, error=error)
    sides = []
    for member in (slot.original, slot.corrupted):
        content = read(member)
        if isinstance(content, str):
            return PairInput(k, slot.id, None, None, error=content)
        sides.append(content)
    return PairInput(k, slot.id, sides[0], sides[1], slot.original, slot.corrupted)


def _open_folder(path: str, name: str, limits: CorpusLimits) -> Corpus:
    names = []
    for top, dirs, files in os.walk(path, onerror=None):
        dirs.sort()
        rel = os.path.relpath(top, path)
        for file in sorted(files):
            names.append(file if rel == "." else posixpath.join(*rel.split(os.sep), file))
            if len(names) > limits.max_members:
                raise InputError(f"{name} holds over {limits.max_members:,} files, the limit.")
    slots, skipped = _pair_names(names)
    if not slots:
        raise _no_pairs(name)

    def read(member: str) -> bytes | str:
        limit = limits.document_bytes()
        try:
            with open(os.path.join(path, *member.split("/")), "rb") as file:
                data = file.read(limit + 1)
        except OSError as err:
            return f"cannot read {member}: {_reason(err)}."
        if len(data) > limit:
            return _too_large(member, limit)
        return data

    def iterate() -> Iterator[PairInput]:
        for k, slot in enumerate(slots):
            yield _slot_pair(k, slot, read)

    return Corpus("folder", name, iterate, len(slots), skipped)


# tabular: JSONL, CSV, Parquet

def _missing_columns(name: str, have: Iterable[str], columns: Columns, what: str) -> InputError:
    have = list(have)
    wanted = [c for c in (columns.original, columns.corrupted, columns.id) if c]
    missing = [c for c in wanted if c not in have]
    shown = ", ".join(repr(h) for h in have[:20]) + (", …" if len(have) > 20 else "")
    return InputError(
        f"{name} has no {what} {' or '.join(repr(m) for m in missing)} (it has {shown or 'none'});"
        " choose them with --original-column, --corrupted-column and --id-column.")


def _id_column(have: Iterable[str], columns: Columns) -> str | None:
    if columns.id is not None:
        return columns.id
    return "id" if "id" in have else None


def record_pair(record: dict, pair: int, where: str, columns: Columns, id_column: str | None,
                encoding: str = "utf-8", number: int | None = None) -> PairInput:
    """A PairInput from one record (a JSON object, a CSV row, a Parquet row as a dict);
    ``where`` names it in messages ("line 7", "row 3"), ``number`` is the fallback id."""
    ident = record.get(id_column) if id_column else None
    ident = str(number if number is not None else pair) if _is_null(ident) else str(ident)
    sides = []
    for column in (columns.original, columns.corrupted):
        if column not in record:
            return PairInput(pair, ident, None, None, error=f"{where} has no {column!r} field.")
        value = record[column]
        if _is_null(value):
            return PairInput(pair, ident, None, None, error=f"{where}: {column} is missing "
                                                             "(null).")
        if not isinstance(value, str | bytes):
            return PairInput(pair, ident, None, None,
                             error=f"{where}: {column} is not text (a {type(value).__name__}).")
        sides.append(value)
    return PairInput(pair, ident, sides[0], sides[1], f"the {columns.original} of {where}",
                     f"the {columns.corrupted} of {where}", encoding)


def _is_null(value) -> bool:
    """None, NaN, or pandas' NA (Dask hands Parquet partitions over as DataFrames)."""
    return (value is None or (isinstance(value, float) and math.isnan(value))
            or type(value).__name__ == "NAType")


def _jsonl_record(line: bytes | str, line_no: int) -> dict | str:
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
                first_line: int = 1, first_pair: int = 0) -> Iterator[PairInput]:
    """PairInputs from JSONL lines (blank lines skipped but counted: ids and messages give the
    line number in the file). Shared by the local reader and the Dask partitions."""
    pair = first_pair
    for line_no, line in enumerate(lines, first_line):
        if line_no == 1:
            line = line.removeprefix(codecs.BOM_UTF8 if isinstance(line, bytes) else "\ufeff")
        if not line.strip():
            continue
        record = _jsonl_record(line, line_no)
        if isinstance(record, str):
            yield PairInput(pair, str(line_no), None, None, error=record)
        else:
            yield record_pair(record, pair, f"line {line_no}", columns, id_column, "utf-8",
                              line_no)
        pair += 1


def _jsonl_lines(data: bytes | None, path: str | None, name: str) -> Iterator[bytes]:
    if data is not None:
        yield from io.BytesIO(data)
        return
    try:
        with open(path, "rb") as file:
            yield from file
    except OSError as err:
        raise InputError(f"cannot read {name}: {_reason(err)}.") from err


def _open_jsonl(data: bytes | None, path: str | None, name: str, columns: Columns) -> Corpus:
    # the first record decides whether the columns are there at all (a wrong --original-column
    # is a mistake for the whole file, not one bad row per line)
    records = 0
    first = None
    for line_no, line in enumerate(_jsonl_lines(data, path, name), 1):
        if not line.strip() or (line_no == 1 and not line.removeprefix(codecs.BOM_UTF8).strip()):
            continue
        records += 1
        if first is None:
            first = _jsonl_record(line.removeprefix(codecs.BOM_UTF8), line_no)
            if isinstance(first, str):
                raise InputError(f"{name} is not JSONL: {first}")
    if first is None:
        raise InputError(f"{name} holds no records.")
    wanted = [c for c in (columns.original, columns.corrupted, columns.id) if c]
    if any(c not in first for c in wanted):
        raise _missing_columns(name, first, columns, "field")
    id_column = _id_column(first, columns)

    def iterate() -> Iterator[PairInput]:
        yield from jsonl_pairs(_jsonl_lines(data, path, name), columns, id_column)

    return Corpus("jsonl", name, iterate, records)


def _allow_long_csv_fields() -> None:
    """CSV fields of any length: the csv module refuses fields over 128 KiB by default."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:  # a C long is 32 bits on some platforms
            limit //= 2


def _open_csv(data: bytes, name: str, columns: Columns, limits: CorpusLimits) -> Corpus:
    _allow_long_csv_fields()
    doc = decode_bytes(data, name, limit=limits.max_total_bytes)
    text, encoding = doc.text, doc.encoding
    header_line = text[: text.find("\n")] if "\n" in text else text
    # the delimiter that makes the header hold the columns (",", or ";" / tab as spreadsheets
    # export them), comma when none does
    delimiter = "\t" if _extension(name) == ".tsv" else ","
    for candidate in (",", ";", "\t", "|"):
        header = next(csv.reader([header_line], delimiter=candidate), [])
        if columns.original in header and columns.corrupted in header:
            delimiter = candidate
            break
    rows = _csv_rows(text, delimiter)
    header = next(rows, None)
    if not isinstance(header, list) or not header:
        raise InputError(f"{name} has no header row.")
    wanted = [c for c in (columns.original, columns.corrupted, columns.id) if c]
    if any(c not in header for c in wanted):
        raise _missing_columns(name, header, columns, "column")
    id_column = _id_column(header, columns)
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
                              number)

    return Corpus("csv", name, iterate, total)


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


def _open_parquet(data: bytes | None, path: str | None, name: str, columns: Columns) -> Corpus:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(io.BytesIO(data) if data is not None else path)
    except (pa.ArrowException, OSError) as err:
        raise InputError(f"{name} is not a readable Parquet file ({err}).") from err
    have = file.schema_arrow.names
    wanted = [c for c in (columns.original, columns.corrupted, columns.id) if c]
    if any(c not in have for c in wanted):
        file.close()
        raise _missing_columns(name, have, columns, "column")
    id_column = _id_column(have, columns)
    read = [c for c in (columns.original, columns.corrupted, id_column) if c]
    total = file.metadata.num_rows
    if total == 0:
        file.close()
        raise InputError(f"{name} holds no rows.")

    def iterate() -> Iterator[PairInput]:
        pair = 0
        try:
            for batch in file.iter_batches(batch_size=256, columns=read):
                values = {c: batch.column(c).to_pylist() for c in read}
                for k in range(batch.num_rows):
                    record = {c: values[c][k] for c in read}
                    yield record_pair(record, pair, f"row {pair + 1}", columns, id_column,
                                      "utf-8", pair + 1)
                    pair += 1
        except (pa.ArrowException, OSError) as err:
            raise InputError(f"{name} is damaged after row {pair} ({err}).") from err

    return Corpus("parquet", name, iterate, total, close=file.close)


# --- running over a corpus ------------------------------------------------------------------

Progress = Callable[[int, int | None], None]


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def batches(pairs: Iterable[PairInput], max_chars: int = BATCH_CHARS,
            max_pairs: int = BATCH_PAIRS) -> Iterator[list[PairInput]]:
    """Consecutive pairs grouped so each batch is worth sending to another process."""
    batch: list[PairInput] = []
    chars = 0
    for pair in pairs:
        batch.append(pair)
        chars += pair.size
        if chars >= max_chars or len(batch) >= max_pairs:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def summarize_batches(pairs: Iterable[PairInput], options: PairOptions = PairOptions(), *,
                      workers: int | None = None, progress: Progress | None = None,
                      total: int | None = None) -> Iterator[list[dict]]:
    """Rows for ``pairs``, batch by batch, in input order. ``workers`` processes (default: every
    core; 1 runs here, in this process); ``progress(done, total)`` after every batch. Reading
    stays lazy: only a few batches per worker are in flight, so memory does not grow with the
    corpus."""
    workers = default_workers() if workers is None else max(1, workers)
    done = 0
    if progress:
        progress(0, total)
    groups = batches(pairs)
    if workers == 1:
        for group in groups:
            rows = summarize_batch(group, options)
            done += len(rows)
            if progress:
                progress(done, total)
            yield rows
        return
    pool = concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=_mp_context(), initializer=_ignore_interrupts)
    try:
        pending: deque = deque()
        for group in groups:
            pending.append(pool.submit(summarize_batch, group, options))
            while len(pending) >= 3 * workers:
                rows = pending.popleft().result()
                done += len(rows)
                if progress:
                    progress(done, total)
                yield rows
        while pending:
            rows = pending.popleft().result()
            done += len(rows)
            if progress:
                progress(done, total)
            yield rows
    except concurrent.futures.process.BrokenProcessPool as err:
        raise EngineError(f"a worker process died after {done:,} pairs (out of memory?); "
                          "try fewer --workers or a lower --max-bytes.") from err
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def summarize_corpus(source: bytes | str | os.PathLike, name: str | None = None, *,
                     columns: Columns = Columns(), options: PairOptions = PairOptions(),
                     limits: CorpusLimits = CorpusLimits(), workers: int | None = None,
                     progress: Progress | None = None):
    """The page's entry point: an uploaded corpus (bytes and its file name) or a path in, a
    DataFrame of ``COLUMNS`` out, one row per pair in corpus order (bad pairs included, with
    ``error`` set). Raises ``InputError`` when the corpus as a whole cannot be read."""
    with open_corpus(source, name, columns=columns, limits=limits) as corpus:
        rows = [row for group in summarize_batches(corpus, options, workers=workers,
                                                   progress=progress, total=corpus.total)
                for row in group]
    return rows_frame(rows)


def rows_frame(rows: list[dict]):
    """Rows as a DataFrame with stable dtypes (nullable integers; unknown values are NA)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=COLUMNS)
    dtypes = {c: "Int64" for c in _INT_COLUMNS}
    dtypes.update({c: "float64" for c in _FLOAT_COLUMNS})
    dtypes.update({c: "string" for c in _STRING_COLUMNS})
    return frame.astype(dtypes)


def density_summary(frame):
    """Aggregate density along the relative position in the original, by kind: the mean over
    pairs of each pair's density (a short document weighs as much as a long one). Tidy columns
    ``bin``, ``start``, ``end`` (0..1), ``kind``, ``share``, ``pairs`` (how many pairs have
    tokens in that bin), the shape of ``viewer.stats.density_frame``."""
    import pandas as pd

    records = []
    for kind in KINDS:
        for i in range(DENSITY_BINS):
            column = frame[f"density_{kind}_{i:02d}"] if len(frame) else pd.Series(dtype=float)
            records.append({"bin": i, "start": i / DENSITY_BINS, "end": (i + 1) / DENSITY_BINS,
                            "kind": kind, "share": float(column.mean()) if column.notna().any()
                            else 0.0, "pairs": int(column.notna().sum())})
    return pd.DataFrame.from_records(records)


def _mp_context():
    """Fork is fastest and safe from the single-threaded command line; from a threaded program
    (a web server) start workers from a clean server process instead."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _ignore_interrupts() -> None:
    """Ctrl-C goes to the whole process group: the parent handles it, workers finish quietly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --- output files -------------------------------------------------------------------------


def output_format(path: str) -> str:
    fmt = OUTPUT_FORMATS.get(_extension(path))
    if fmt is None:
        raise InputError(f"cannot tell the output format of {path}: name it .csv, .jsonl or "
                         ".parquet.")
    return fmt


def arrow_schema():
    import pyarrow as pa

    def kind(column):
        if column in _STRING_COLUMNS:
            return pa.string()
        return pa.float64() if column in _FLOAT_COLUMNS else pa.int64()

    return pa.schema([(c, kind(c)) for c in COLUMNS])


class RowWriter:
    """Rows to a CSV, JSONL or Parquet file (by extension), streamed. Written to a temporary
    file next to the target and renamed on success, so a failed run leaves no half file."""

    def __init__(self, path: str):
        self.path = path
        self.format = output_format(path)
        self.rows = 0
        self._tmp = f"{path}.part"
        binary = self.format == "parquet"
        try:  # open across write calls, closed in close()
            self._file = open(  # noqa: SIM115
                self._tmp, "wb" if binary else "w", encoding=None if binary else "utf-8",
                newline=None if binary else "")
        except OSError as err:
            raise InputError(f"cannot write {path}: {_reason(err)}.") from err
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
            self._csv.writerows([["" if row[c] is None else row[c] for c in COLUMNS]
                                 for row in rows])
        elif self.format == "jsonl":
            self._file.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        else:  # Parquet row groups of a useful size, not one per batch
            self._pending.extend(rows)
            if len(self._pending) >= 20_000:
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
                os.replace(self._tmp, self.path)
        finally:
            if not ok and os.path.exists(self._tmp):
                os.unlink(self._tmp)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        self.close(ok=exc_type is None)


# --- Dask ---------------------------------------------------------------------------------


class EngineError(RuntimeError):
    """The distributed run failed (a worker or the scheduler, not the input): one sentence."""


@dataclass(frozen=True)
class RunStats:
    pairs: int
    errors: int
    partitions: int


def run_dask(source: str, out_dir: str, *, columns: Columns = Columns(),
             options: PairOptions = PairOptions(), scheduler: str | None = None,
             workers: int | None = None, client=None, progress: Progress | None = None,
             partitions: int | None = None) -> RunStats:
    """``summarize_pair`` over a JSONL or Parquet corpus on Dask: the file is read in partitions
    on the workers (``dask.bag.read_text``, ``dask.dataframe.read_parquet``) and every
    partition is written as ``out_dir/part.NNNNN.parquet`` (``pandas.read_parquet(out_dir)``
    reads them back in order). Connects to ``scheduler`` (``tcp://host:8786``), uses ``client``,
    or starts a ``LocalCluster`` of ``workers`` processes. Workers need this project importable,
    and the input and ``out_dir`` paths must be reachable from the client and every worker
    (the same path on a shared filesystem)."""
    import dask
    import distributed

    name = os.fsdecode(source)
    with open_corpus(source, name, columns=columns) as corpus:  # columns checked here, once
        fmt, total = corpus.format, corpus.total
    if fmt not in ("jsonl", "parquet"):
        raise InputError(f"--engine dask reads JSONL or Parquet; {name} is {fmt}: "
                         "use --engine local, or convert it.")
    if "://" not in out_dir and os.path.exists(out_dir) and (
            not os.path.isdir(out_dir) or os.listdir(out_dir)):
        raise InputError(f"{out_dir} exists and is not an empty directory: --engine dask "
                         "writes Parquet partitions into a new directory.")
    own_cluster = None
    if client is None:
        if scheduler:
            try:
                client = distributed.Client(scheduler, timeout="10s")
            except (OSError, TimeoutError) as err:
                raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({err}).") \
                    from err
        else:
            own_cluster = distributed.LocalCluster(
                n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                dashboard_address=":0")
            client = distributed.Client(own_cluster)
        own_client = client
    else:
        own_client = None
    try:
        _prepare_out_dir(out_dir)
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        wanted = partitions or 4 * n_workers
        if fmt == "jsonl":
            import dask.bag

            size = os.path.getsize(source) if os.path.exists(source) else 64 * _MIB
            # dask cuts size // blocksize blocks
            blocksize = min(64 * _MIB, max(_KIB, size // wanted))
            parts = dask.bag.read_text(source, blocksize=blocksize, encoding="utf-8",
                                       errors="surrogateescape").to_delayed()
            counts = client.compute([dask.delayed(_count_lines)(p) for p in parts], sync=True)
            first_id = _id_column(_first_record(source) or {}, columns)
            tasks, line, pair = [], 1, 0
            for k, (part, (lines, records)) in enumerate(zip(parts, counts, strict=True)):
                tasks.append(dask.delayed(_dask_jsonl_part)(
                    part, k, line, pair, out_dir, columns, first_id, options))
                line, pair = line + lines, pair + records
        else:
            import dask.dataframe

            id_column = _id_column(_parquet_names(source), columns)
            read = [c for c in (columns.original, columns.corrupted, id_column) if c]
            frame = dask.dataframe.read_parquet(source, columns=read)
            if frame.npartitions < wanted and (total or 0) >= 2 * wanted:
                frame = frame.repartition(npartitions=wanted)
            parts = frame.to_delayed()
            lengths = client.compute([dask.delayed(len)(p) for p in parts], sync=True)
            tasks, pair = [], 0
            for k, (part, length) in enumerate(zip(parts, lengths, strict=True)):
                tasks.append(dask.delayed(_dask_frame_part)(
                    part, k, pair, out_dir, columns, id_column, options))
                pair += length
        futures = client.compute(tasks)
        done = errors = 0
        if progress:
            progress(0, total)
        for future in distributed.as_completed(futures):
            rows, bad = future.result()
            done, errors = done + rows, errors + bad
            if progress:
                progress(done, total)
        return RunStats(done, errors, len(tasks))
    except (InputError, KeyboardInterrupt):
        raise
    except Exception as err:
        first = (str(err).strip().splitlines() or [""])[0]
        raise EngineError(
            f"the Dask run failed ({type(err).__name__}: {first}); the scheduler and every "
            "worker need this project importable (PYTHONPATH) and the same packages as here."
        ) from err
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


def _prepare_out_dir(out_dir: str) -> None:
    if "://" in out_dir:
        return
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as err:
        raise InputError(f"cannot create {out_dir}: {_reason(err)}.") from err


def _first_record(source: str) -> dict | None:
    try:
        with open(source, "rb") as file:
            for line_no, line in enumerate(file, 1):
                if line.strip():
                    record = _jsonl_record(line.removeprefix(codecs.BOM_UTF8), line_no)
                    return record if isinstance(record, dict) else None
    except OSError:
        return None
    return None


def _parquet_names(source: str) -> list[str]:
    import pyarrow.parquet as pq

    return pq.ParquetFile(source).schema_arrow.names


def _count_lines(lines: list[str]) -> tuple[int, int]:
    """Lines and non-blank lines (records) in one partition of a JSONL file."""
    return len(lines), sum(1 for line in lines if line.strip())


def _write_part(rows: list[dict], out_dir: str, k: int) -> tuple[int, int]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if "://" not in out_dir:
        os.makedirs(out_dir, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, arrow_schema()),
                   posixpath.join(out_dir, f"part.{k:05d}.parquet"))
    return len(rows), sum(1 for row in rows if row["error"])


def _dask_jsonl_part(lines: list[str], k: int, first_line: int, first_pair: int, out_dir: str,
                     columns: Columns, id_column: str | None,
                     options: PairOptions) -> tuple[int, int]:
    """One partition of JSONL lines (as ``read_text`` gives them) summarised and written."""
    pairs = jsonl_pairs(lines, columns, id_column, first_line, first_pair)
    return _write_part([summarize_pair(p, options) for p in pairs], out_dir, k)


def _dask_frame_part(frame, k: int, first_pair: int, out_dir: str, columns: Columns,
                     id_column: str | None, options: PairOptions) -> tuple[int, int]:
    """One partition of a Parquet corpus (a pandas DataFrame) summarised and written."""
    read = [c for c in (columns.original, columns.corrupted, id_column) if c]
    values = {c: frame[c].tolist() for c in read}
    rows = []
    for i in range(len(frame)):
        pair = first_pair + i
        record = {c: values[c][i] for c in read}
        rows.append(summarize_pair(record_pair(record, pair, f"row {pair + 1}", columns,
                                               id_column, "utf-8", pair + 1), options))
    return _write_part(rows, out_dir, k)
