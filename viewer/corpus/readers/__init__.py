"""Corpus readers, one file per format family: ``archive`` (zip and folder), ``jsonl``,
``delimited`` (CSV, TSV), ``parquet``; ``tabular`` holds what the three record formats share.

``open_corpus`` detects the format (the content first, the file name second) and checks what
would stop a whole run (unknown format, missing columns, a zip over its limits), raising
``InputError``; everything wrong with one pair travels with the pair as its ``error``.
"""

from __future__ import annotations

import codecs
import os

from ...loading import Document, InputError, max_bytes, os_reason
from ..schema import Columns, Corpus, CorpusLimits, PairOptions, extension
from ..summary import side_document
from .archive import hostile_file, open_folder, open_zip
from .delimited import open_csv
from .jsonl import open_jsonl
from .parquet import open_parquet


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
            return open_folder(path, name, limits)
        why = hostile_file(path, name, None)
        if why:  # a FIFO given as the corpus would hang the first read
            raise InputError(why)
    fmt = detect_format(data if data is not None else _head(path, name), name)
    if fmt == "zip":
        return open_zip(data, path, name, limits)
    if fmt == "jsonl":
        return open_jsonl(data, path, name, columns, limits.document_bytes())
    if fmt == "csv":
        return open_csv(data, path, name, columns, limits)
    return open_parquet(data, path, name, columns, limits.document_bytes())


def detect_format(head: bytes, name: str) -> str:
    """``zip``, ``parquet``, ``jsonl`` or ``csv`` from the first bytes and the file name."""
    ext = extension(name)
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
            return (side_document(record.original, record.original_name, record.encoding, limit),
                    side_document(record.corrupted, record.corrupted_name, record.encoding,
                                  limit))
    raise InputError(f"{corpus.name} has no pair number {pair}.")


def _head(path: str, name: str, n: int = 4096) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read(n)
    except OSError as err:
        raise InputError(f"cannot read {name}: {os_reason(err)}.") from err
