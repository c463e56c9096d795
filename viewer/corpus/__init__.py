"""Many pairs: corpus readers, a pure per-pair summary, and parallel or distributed runs.

A corpus is one of (detected from the content first, the file name second):

* a zip file or a folder holding ``original/NAME`` and ``corrupted/NAME`` (matching names, at
  any depth, e.g. ``corpus/original/a.txt``), or ``NAME.orig.txt`` and ``NAME.corr.txt``;
* JSONL, CSV (or TSV) or Parquet with two text columns (``original`` and ``corrupted`` unless
  told otherwise, see ``Columns``) and an optional ``id`` column.

``open_corpus`` checks what would stop a whole run and raises ``InputError``; everything wrong
with one pair travels with the pair as its ``error`` and becomes a row, so a bad pair never
stops a run.

The files name the jobs: ``schema`` (the row, the options, one pair as read), ``readers/`` (one
file per format family), ``summary`` (the work per pair), ``run`` (batches and the process
pool), ``outputs`` (output files that never destroy anything), ``dask`` (a Dask cluster).
"""

from __future__ import annotations

from .dask import RunStats, run_dask
from .outputs import OUTPUT_FORMATS, RowWriter, check_output, output_format, write_confusions
from .readers import detect_format, load_pair, open_corpus
from .readers.jsonl import jsonl_pairs
from .readers.tabular import record_pair
from .run import BATCH_CHARS, BATCH_PAIRS, batches, summarize_batches, summarize_corpus
from .schema import (
    COLUMNS,
    DENSITY_BINS,
    DENSITY_COLUMNS,
    Columns,
    Corpus,
    CorpusLimits,
    EngineError,
    PairInput,
    PairOptions,
    Progress,
    arrow_schema,
    default_workers,
    rows_frame,
)
from .summary import (
    corpus_confusions,
    density_summary,
    density_vector,
    summarize_batch,
    summarize_pair,
)

__all__ = [
    "BATCH_CHARS", "BATCH_PAIRS", "COLUMNS", "DENSITY_BINS", "DENSITY_COLUMNS", "OUTPUT_FORMATS",
    "Columns", "Corpus", "CorpusLimits", "EngineError", "PairInput", "PairOptions", "Progress",
    "RowWriter", "RunStats", "arrow_schema", "batches", "check_output", "corpus_confusions",
    "default_workers", "density_summary", "density_vector", "detect_format", "jsonl_pairs",
    "load_pair", "open_corpus", "output_format", "record_pair", "rows_frame", "run_dask",
    "summarize_batch", "summarize_batches", "summarize_corpus", "summarize_pair",
    "write_confusions",
]
