"""Fuzzing: random bytes and random Unicode into the loader, the aligner and every corpus
reader; nothing may crash or hang except with the documented errors.

    python benchmarks/fuzz.py [--examples 2000] [--seconds 10] [--target NAME ...]

Targets (hypothesis strategies; each input under a ``signal.alarm`` time limit of
``--seconds``):

* ``decode_bytes``: ``viewer.loading.decode_bytes`` on random bytes (and on random Unicode in
  UTF-8, UTF-16 and Latin-1): a ``Document`` or ``InputError``.
* ``align``: ``viewer.align.align`` on two random Unicode texts (with a vocabulary of common
  words mixed in, so that there is something to match): an ``Alignment`` whose token indices
  cover both texts.
* ``zip``, ``folder``, ``jsonl``, ``csv``, ``parquet``: ``viewer.corpus.open_corpus`` on random
  bytes, and on a valid corpus of random texts with random bytes flipped; every record through
  ``summarize_pair``. ``open_corpus`` may raise ``InputError``; iterating a corpus may raise
  ``InputError`` (a Parquet file damaged after its header); ``summarize_pair`` never raises.

Anything else (another exception, a time-out, a broken result) is a finding: printed with the
input's repr (shortened), and the exit status is 1. The number of inputs tried per target is
printed at the end (for RESULTS.md).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from viewer.align import align  # noqa: E402
from viewer.corpus import CorpusLimits, open_corpus, summarize_pair  # noqa: E402
from viewer.loading import InputError, decode_bytes  # noqa: E402

TRIED: Counter = Counter()
FOUND: list[str] = []
SECONDS = 10

WORDS = ["the", "cat", "sat", "on", "mat", ".", ",", "Ankara", "l'été", "naïve", "日本",
         "\u0301", "👩‍👩‍👧", "\u200b", "\t", "\n", " ", "-", "—", "'", '"', "«", "1,000"]
texts = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=60).map(
    " ".join)
LIMITS = CorpusLimits(max_members=200, max_total_bytes=4 * 1024 * 1024,
                      max_document_bytes=256 * 1024)


class TimeLimit(Exception):
    pass


def _alarm(signum, frame):
    raise TimeLimit(f"over {SECONDS} s")


def trial(target: str, value, work) -> None:
    """Run ``work()`` for one input; record anything but the documented errors."""
    TRIED[target] += 1
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS)
    try:
        work()
    except InputError:
        pass
    except Exception as err:  # a finding: report it, keep fuzzing
        shown = repr(value)
        shown = shown if len(shown) < 300 else shown[:300] + "…"
        FOUND.append(f"{target}: {type(err).__name__}: {err}\n  input: {shown}\n"
                     + "".join(traceback.format_exception(err)[-3:]))
    finally:
        signal.alarm(0)


def flip(data: bytes, positions: list[int], values: list[int]) -> bytes:
    """``data`` with some bytes replaced (a damaged file that still starts like one)."""
    out = bytearray(data)
    for p, v in zip(positions, values, strict=False):
        if out:
            out[p % len(out)] = v
    return bytes(out)


def drain(source, name: str | None = None) -> None:
    """Open a corpus and summarise every record; check what a row promises."""
    with open_corpus(source, name, limits=LIMITS) as corpus:
        for k, record in enumerate(corpus):
            row = summarize_pair(record)
            assert row["pair"] == record.pair == k, (row["pair"], record.pair, k)
            assert (row["error"] is None) == (row["tokens_original"] is not None), row["error"]


# --- valid corpora of random texts, to damage ------------------------------------------------

def make_zip(pairs: list[tuple[str, str]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for k, (a, b) in enumerate(pairs):
            archive.writestr(f"original/{k}.txt", a.encode("utf-8", "surrogatepass"))
            archive.writestr(f"corrupted/{k}.txt", b.encode("utf-8", "surrogatepass"))
    return buf.getvalue()


def make_jsonl(pairs) -> bytes:
    return "".join(json.dumps({"original": a, "corrupted": b}) + "\n"
                   for a, b in pairs).encode("utf-8", "surrogatepass")


def make_csv(pairs) -> bytes:
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "original", "corrupted"])
    writer.writerows([k, a, b] for k, (a, b) in enumerate(pairs))
    return buf.getvalue().encode("utf-8", "surrogatepass")


def make_parquet(pairs) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    safe = [(a.encode("utf-8", "replace").decode(), b.encode("utf-8", "replace").decode())
            for a, b in pairs]
    pq.write_table(pa.table({"original": [a for a, _ in safe],
                             "corrupted": [b for _, b in safe]}), buf)
    return buf.getvalue()


MAKERS = {"zip": (make_zip, "c.zip"), "jsonl": (make_jsonl, "c.jsonl"),
          "csv": (make_csv, "c.csv"), "parquet": (make_parquet, "c.parquet")}
pairs_st = st.lists(st.tuples(texts, texts), min_size=1, max_size=4)
damage = st.tuples(st.lists(st.integers(0, 10**6), max_size=6),
                   st.lists(st.integers(0, 255), max_size=6))


def run(examples: int, targets: list[str]) -> None:
    config = settings(max_examples=examples, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))

    if "decode_bytes" in targets:
        @config
        @given(st.one_of(st.binary(max_size=4096),
                         st.tuples(st.text(max_size=500),
                                   st.sampled_from(["utf-8", "utf-16", "utf-16-le",
                                                    "latin-1", "utf-32"])).map(
                             lambda t: t[0].encode(t[1], "surrogatepass")
                             if t[1].startswith("utf") else t[0].encode(t[1], "replace"))))
        def fuzz_decode(data):
            def work():
                doc = decode_bytes(data, "fuzz", limit=1 << 20)
                assert doc.text and doc.size == len(data)
            trial("decode_bytes", data, work)
        fuzz_decode()

    if "align" in targets:
        @config
        @given(texts, texts, st.booleans())
        def fuzz_align(a, b, ignore_case):
            def work():
                al = align(a, b, ignore_case=ignore_case, time_budget=5.0)
                assert al is not None
            trial("align", (a, b), work)
        fuzz_align()

    for fmt, (make, name) in MAKERS.items():
        if fmt in targets:
            reader_fuzzer(config, fmt, make, name)()

    if "folder" in targets:
        @config
        @given(st.lists(st.tuples(st.sampled_from(["original/", "corrupted/", "", "x/original/",
                                                   "sub/corrupted/"]),
                                  st.sampled_from(["a.txt", "b.txt", "a.orig.txt",
                                                   "a.corr.txt", ".DS_Store", "c"]),
                                  st.binary(max_size=300)), max_size=8))
        def fuzz_folder(files):
            with tempfile.TemporaryDirectory() as root:
                for folder, name, data in files:
                    os.makedirs(os.path.join(root, folder), exist_ok=True)
                    Path(root, folder, name).write_bytes(data)
                trial("folder", files, lambda: drain(root))
        fuzz_folder()


def reader_fuzzer(config, fmt: str, make, name: str):
    """A hypothesis test for one corpus format: random bytes, or a valid corpus damaged."""
    @config
    @given(st.one_of(st.binary(max_size=2048).map(lambda d: ("bytes", d)),
                     st.tuples(pairs_st, damage).map(lambda t: ("damaged", t))))
    def fuzz_reader(case):
        kind, value = case
        if kind == "bytes":
            data = value
        else:
            pairs, (positions, values) = value
            data = flip(make(pairs), positions, values)
        trial(fmt, data, lambda: drain(data, name))
    return fuzz_reader


ALL = ["decode_bytes", "align", "zip", "folder", "jsonl", "csv", "parquet"]


def main() -> int:
    global SECONDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per target")
    parser.add_argument("--seconds", type=int, default=10, help="time limit per input")
    parser.add_argument("--target", action="append", choices=ALL, help="default: all")
    args = parser.parse_args()
    SECONDS = args.seconds
    random.seed(0)
    started = time.perf_counter()
    run(args.examples, args.target or ALL)
    print(f"fuzz: {sum(TRIED.values()):,} inputs in {time.perf_counter() - started:.0f} s "
          f"(--examples {args.examples}, --seconds {args.seconds})")
    for target in args.target or ALL:
        print(f"  {target:13} {TRIED[target]:>7,} inputs")
    print(f"findings: {len(FOUND)}")
    for finding in FOUND[:50]:
        print(finding)
    return 1 if FOUND else 0


if __name__ == "__main__":
    sys.exit(main())
