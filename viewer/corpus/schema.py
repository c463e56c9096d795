"""What every part of a corpus run shares: the summary row (``COLUMNS`` and their types), the
options (``Columns``, ``CorpusLimits``, ``PairOptions``), one pair as read (``PairInput``) and an
opened corpus (``Corpus``)."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..align import DEFAULT_TIME_BUDGET, KINDS
from ..kinds import TYPES
from ..loading import max_bytes

# Density along the relative position in the original (0-100 %), in this many bins per kind.
DENSITY_BINS = 20
TYPE_COLUMNS = [f"type_{t}" for t in TYPES]
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
    "wer", "cer",            # word / character error rate over the original (stats.type_summary)
    *TYPE_COLUMNS,           # differences by type (case, punctuation, …, word)
    "copy_share", "move_share",  # share of the differences typed copy / move
    *DENSITY_COLUMNS,        # share of the bin's original tokens corrupted, by kind
    "confusions",            # with --confusions: the pair's whole confusion table, as JSON
]
STRING_COLUMNS = {"id", "error", "encoding_original", "encoding_corrupted", "confusions"}
FLOAT_COLUMNS = {"corruption_rate", "wer", "cer", "copy_share", "move_share", *DENSITY_COLUMNS}
INT_COLUMNS = [c for c in COLUMNS if c not in STRING_COLUMNS and c not in FLOAT_COLUMNS]

_KIB, _MIB, _GIB = 1024, 1024 * 1024, 1024 * 1024 * 1024

# ``progress(done, total)``: pairs summarised so far, and the corpus size when known
Progress = Callable[[int, int | None], None]


def arrow_schema():
    import pyarrow as pa

    def kind(column):
        if column in STRING_COLUMNS:
            return pa.string()
        return pa.float64() if column in FLOAT_COLUMNS else pa.int64()

    return pa.schema([(c, kind(c)) for c in COLUMNS])


def rows_frame(rows: list[dict]):
    """Rows as a DataFrame with stable dtypes (nullable integers; unknown values are NA)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=COLUMNS)
    dtypes = {c: "Int64" for c in INT_COLUMNS}
    dtypes.update({c: "float64" for c in FLOAT_COLUMNS})
    dtypes.update({c: "string" for c in STRING_COLUMNS})
    return frame.astype(dtypes)


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


# How to allow a bigger document of a corpus (the refusal's last words).
ALLOW_BIGGER_DOCUMENT = "to allow more, set VIEWER_MAX_BYTES or --max-bytes"


@dataclass(frozen=True)
class PairOptions:
    """How each pair is aligned. ``max_bytes``: per document (None: VIEWER_MAX_BYTES or 64 MiB,
    read where the pair is summarised)."""

    ignore_case: bool = False
    strict_typography: bool = False
    max_bytes: int | None = None
    time_budget: float = DEFAULT_TIME_BUDGET
    ignore_punctuation: bool = False
    fold_historical: bool = False
    # each row's ``confusions``: its whole confusion table (``measures.confusions(al,
    # top=None)``) as JSON, so that a corpus's sum (``summary.corpus_confusions``) is exact
    confusions: bool = False


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


class Corpus:
    """An opened corpus: iterate it for ``PairInput`` records (again and again), in order.

    ``format`` is ``zip``, ``folder``, ``jsonl``, ``csv`` or ``parquet``; ``total`` the number
    of pairs when known before reading them (zip, folder, CSV, Parquet; JSONL: its non-blank
    lines); ``skipped`` the zip or folder members that are neither side of a pair. Use as a
    context manager or call ``close``.
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


class EngineError(RuntimeError):
    """The run failed in a worker or the scheduler, not because of the input: one sentence."""


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def extension(name: str) -> str:
    """A file name's extension, lower case, whichever slash separates its folders."""
    return posixpath.splitext(name.replace("\\", "/").lower())[1]
