"""The command line: ``corruption-viewer`` (or ``python -m viewer``) with ``align``,
``corpus`` and ``app`` subcommands, and ``--version``.

Bad input never shows a traceback: exit status 2 and one ``error: …`` line on stderr; a failed
worker or cluster (not the input) exits 1 the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .example import APP, APP_CONFIG, EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL
from .kinds import KIND_TABLE

DISTRIBUTION = "corruption-viewer"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like every other bad input
        raise UsageError(message)


# beside the package in a clone; absent from an installed wheel
CHECKOUT_PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def package_version(pyproject: Path = CHECKOUT_PYPROJECT) -> str:
    """This code's version: the checkout's pyproject.toml when running from a clone (what runs
    is the clone, whatever else is installed), else the installed package's metadata."""
    import tomllib
    from importlib import metadata

    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == DISTRIBUTION and project.get("version"):
            return project["version"]
    except (OSError, ValueError):
        pass
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def _comparison_options(parser: argparse.ArgumentParser) -> None:
    """What counts as a difference: the same options for one pair and for a corpus."""
    parser.add_argument("--ignore-case", action="store_true",
                        help="case differences are not corruption")
    parser.add_argument("--ignore-punctuation", action="store_true",
                        help="differences in punctuation alone are not corruption")
    parser.add_argument("--strict-typography", action="store_true",
                        help="curly vs straight quotes, dashes and compatibility forms count")
    parser.add_argument("--fold-historical", action="store_true",
                        help="historical typography is not corruption: long s is s, ligatures "
                             "(also MUFI private-use ones) are their letters")


def build_parser(prog: str = DISTRIBUTION) -> argparse.ArgumentParser:
    p = _Parser(prog=prog, description="See how a document was corrupted.")
    p.add_argument("--version", action="version", version=f"%(prog)s {package_version()}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    a = sub.add_parser("align", help="align an original and a corrupted text")
    a.add_argument("original", nargs="?", help="original text file (default: the example pair)")
    a.add_argument("corrupted", nargs="?", help="corrupted text file")
    a.add_argument("--json", action="store_true", help="print the JSON contract")
    _comparison_options(a)
    a.add_argument("--max-bytes", type=int, default=None,
                   help="refuse files larger than this (default: VIEWER_MAX_BYTES or 64 MiB)")
    a.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    a.add_argument("--confusions", action="store_true",
                   help="add the most frequent word and character confusions (sclite-style)")

    c = sub.add_parser("corpus", help="summarise every pair of a corpus, one row per pair")
    c.add_argument("input", help="zip file or folder (original/NAME + corrupted/NAME, or "
                                 "NAME.orig.txt + NAME.corr.txt), JSONL, CSV or Parquet")
    c.add_argument("--out", required=True,
                   help="output file: .csv, .jsonl or .parquet (--engine dask: a directory of "
                        "Parquet partitions); written complete or not at all, never an input")
    c.add_argument("--overwrite", action="store_true",
                   help="replace an existing --out (and start again over an interrupted run's "
                        "checkpoint)")
    c.add_argument("--resume", action="store_true",
                   help="continue an interrupted run (killed, Ctrl-C, SIGTERM) from its "
                        "checkpoint .OUT.checkpoint beside --out: same input and options")
    c.add_argument("--original-column", default="original", metavar="NAME")
    c.add_argument("--corrupted-column", default="corrupted", metavar="NAME")
    c.add_argument("--id-column", default=None, metavar="NAME",
                   help="default: 'id' when present, else the line or row number")
    c.add_argument("--workers", type=_positive_int, default=None,
                   help="processes (default: every core)")
    _comparison_options(c)
    c.add_argument("--max-bytes", type=_positive_int, default=None,
                   help="refuse documents larger than this (default: VIEWER_MAX_BYTES or 64 MiB)")
    c.add_argument("--confusions", action="store_true",
                   help="each row gets the pair's whole confusion table (a JSON column), and "
                        "the corpus's most frequent confusions are printed at the end")
    c.add_argument("--confusions-out", metavar="FILE",
                   help="write the corpus's whole summed confusion table: .csv (table, "
                        "original, corrupted, count) or .json; implies --confusions")
    c.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local: a process pool here; dask: a Dask cluster (JSONL or Parquet)")
    c.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster)")

    sub.add_parser("app", help="start the page in a browser (streamlit run); any further "
                               "arguments go to Streamlit, e.g. --server.port 8502",
                   add_help=False)
    return p


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def main(argv: list[str] | None = None, prog: str = DISTRIBUTION) -> int:
    from .loading import InputError

    try:
        # unknown arguments are Streamlit's for `app`, a mistake for the others
        args, extra = build_parser(prog).parse_known_args(argv)
        if args.command == "app":
            return run_app(extra)
        if extra:
            raise UsageError(f"unrecognized arguments: {' '.join(extra)}")
        if args.command == "align":
            return _align(args)
        if args.command == "corpus":
            return _corpus(args)
    except (UsageError, InputError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `corruption-viewer align … | head`
        sys.stderr.close()
        return 0
    return 0


# --- app ------------------------------------------------------------------------------------


def app_command(extra: list[str]) -> list[str]:
    """``streamlit run`` on the page with the project's settings (``.streamlit/config.toml``,
    shipped beside the page) as flags, so they hold from any folder; ``extra`` comes last and
    wins."""
    return [sys.executable, "-m", "streamlit", "run", str(APP), *config_flags(APP_CONFIG),
            *extra]


def config_flags(path: Path) -> list[str]:
    """``--section.key=value`` for every setting of a Streamlit config file."""
    import tomllib

    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    flags = []
    for section, settings in config.items():
        for key, value in settings.items():
            shown = str(value).lower() if isinstance(value, bool) else value
            flags.append(f"--{section}.{key}={shown}")
    return flags


def run_app(extra: list[str]) -> int:
    return subprocess.call(app_command(extra))


# --- align ----------------------------------------------------------------------------------


def _align(args) -> int:
    from .align import collector_paused
    from .tokens import id_arrays_kept

    # A run of the command line builds one alignment and its records, all acyclic, and exits:
    # the cyclic collector would only re-scan them (tokenizing included), so it stays off; and
    # the stages that read the token ids in arrays share one copy.
    with collector_paused(), id_arrays_kept():
        return _align_paused(args)


def _align_paused(args) -> int:
    from .align import align
    from .loading import load_path

    if (args.original is None) != (args.corrupted is None):
        raise UsageError("give both ORIGINAL and CORRUPTED, or neither for the example pair")
    orig_path = args.original or str(EXAMPLE_ORIGINAL)
    corr_path = args.corrupted or str(EXAMPLE_CORRUPTED)
    doc_a = load_path(orig_path, limit=args.max_bytes)
    doc_b = load_path(corr_path, limit=args.max_bytes)
    al = align(doc_a.text, doc_b.text, ignore_case=args.ignore_case,
               strict_typography=args.strict_typography,
               ignore_punctuation=args.ignore_punctuation,
               fold_historical=args.fold_historical)
    sides = ({"path": orig_path, "encoding": doc_a.encoding},
             {"path": corr_path, "encoding": doc_b.encoding})
    out = sys.stdout
    if args.json:
        from .export import to_json_bytes

        data = to_json_bytes(al, *sides, confusions=args.confusions) + b"\n"
        if hasattr(out, "buffer"):  # 11 MB for a million tokens: no decoding round trip
            out.flush()
            out.buffer.write(data)
        else:  # a text-only stream (contextlib.redirect_stdout to a StringIO)
            out.write(data.decode("utf-8"))
        return 0
    colour = args.color == "always" or (
        args.color == "auto" and out.isatty() and "NO_COLOR" not in os.environ)
    out.write(format_report(al, *sides, colour=colour))
    if args.confusions:
        from .measures import confusions

        out.write(format_confusions(confusions(al)))
    return 0


def format_report(al, original: dict, corrupted: dict, colour: bool = False) -> str:
    """A readable summary and every difference, one per line (``-`` missing, ``~`` substituted,
    ``+`` inserted), with the original's line number."""
    import bisect

    from .render.text import shorten
    from .stats import line_starts, summary, type_summary

    s = {**summary(al), **type_summary(al)}
    lines = [
        f"original:  {original['path']} ({original['encoding']}, {len(al.a_text):,} chars, "
        f"{s['tokens']['original']:,} tokens)",
        f"corrupted: {corrupted['path']} ({corrupted['encoding']}, {len(al.b_text):,} chars, "
        f"{s['tokens']['corrupted']:,} tokens)",
        f"differences: {s['hunks_total']:,} — " + ", ".join(
            f"{n:,} {k}" for k, n in s["hunks"].items()),
        f"matched: {s['matched_share']:.1%} of original tokens; "
        f"corruption rate {s['corruption_rate']:.1%}; WER {_rate(s['wer'])}, "
        f"CER {_rate(s['cer'])}",
        "types: " + ", ".join(f"{n:,} {t}" for t, n in s["hunks_by_type"].items() if n),
    ]
    if s["bounded_regions"]:
        lines.append(f"note: {s['bounded_regions']} region(s) too large to align token by token "
                     "are shown as one substitution each")
    if not al.hunks:
        lines.append("no differences")
    lines.append("")
    starts = line_starts(al.a_text)  # no pandas for a report
    for h in al.hunks:
        a_txt, b_txt = (f"“{shorten(t, 120, controls=True)}”" for t in al.hunk_texts(h))
        if h.kind == "missing":
            body = f"{a_txt}"
        elif h.kind == "inserted":
            body = f"{b_txt}"
        else:
            body = f"{a_txt} → {b_txt}"
        tag = f"{KIND_TABLE[h.kind].mark} {h.kind:<11} {al.types[h.id]:<11}"
        if colour:
            tag = f"\x1b[{KIND_TABLE[h.kind].terminal}m{tag}\x1b[0m"
        line = bisect.bisect_right(starts, h.a[0])
        lines.append(f"#{h.id:<5} L{line:<5} {tag} {body}")
    return "\n".join(lines) + "\n"


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def format_confusions(table: dict) -> str:
    """The confusion table (``measures.confusions``) as text: most frequent first."""
    def quote(text: str) -> str:
        return repr(text)[1:-1] if text else "∅"

    lines = ["", "confusions (most frequent first):"]
    for title, rows in (("substitutions", table["substitutions"]),
                        ("characters", table["characters"])):
        lines.append(f"  {title}: " + (", ".join(
            f"{quote(a)}→{quote(b)} ×{n}" for a, b, n in rows) or "none"))
    for title, rows in (("deletions", table["deletions"]),
                        ("insertions", table["insertions"])):
        lines.append(f"  {title}: " + (", ".join(
            f"{quote(w)} ×{n}" for w, n in rows) or "none"))
    return "\n".join(lines) + "\n"



# --- corpus ---------------------------------------------------------------------------------


def _corpus(args) -> int:
    from .corpus import EngineError  # here, so that `align` does not load the corpus code

    with _sigterm_interrupts() as received:
        try:
            return _run_corpus(args)
        except EngineError as err:  # the cluster or a worker failed, not the input
            print(f"error: {err}{_resume_hint(args.out)}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print(f"error: interrupted{_resume_hint(args.out)}", file=sys.stderr)
            return 128 + (received[0] if received else signal.SIGINT)


def _resume_hint(out: str) -> str:
    from .corpus.outputs import checkpoint_path

    path = checkpoint_path(out)
    if not os.path.isdir(path):
        return ""
    return (f"; the pairs done so far are kept in {path}: run the same command with --resume "
            "to continue")


@contextlib.contextmanager
def _sigterm_interrupts():
    """SIGTERM (a service manager, ``kill``) stops a run the way Ctrl-C does: the workers end
    and the checkpoint stays for ``--resume``. Yields the list of signals received."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def interrupt(signum, frame):
        received.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run_corpus(args) -> int:
    from .corpus import Columns, PairOptions, check_output

    try:
        columns = Columns(args.original_column, args.corrupted_column, args.id_column)
    except ValueError as err:
        raise UsageError(str(err)) from err
    options = PairOptions(args.ignore_case, args.strict_typography, max_bytes=args.max_bytes,
                          ignore_punctuation=args.ignore_punctuation,
                          fold_historical=args.fold_historical,
                          confusions=args.confusions or bool(args.confusions_out))
    check_output(args.out, [args.input], overwrite=args.overwrite)
    if args.confusions_out:
        _check_confusions_out(args)
    progress = TerminalProgress(sys.stderr) if sys.stderr.isatty() else None
    started = time.perf_counter()
    counts = None
    if options.confusions:
        from .measures import ConfusionCounts

        counts = ConfusionCounts()
    try:
        if args.engine == "dask":
            pairs, errors = _run_dask(args, columns, options, progress, counts)
        else:
            pairs, errors = _run_local(args, columns, options, progress, counts)
    finally:
        if progress:
            progress.finish()
    seconds = time.perf_counter() - started
    print(f"{pairs:,} pairs ({errors:,} with errors) in {seconds:.1f} s -> {args.out}",
          file=sys.stderr)
    if counts is not None:
        _report_confusions(args, counts)
    return 0


def _check_confusions_out(args) -> None:
    """``--confusions-out`` is refused before the run, like ``--out``: a wrong extension, an
    input, ``--out`` itself, or an existing file without ``--overwrite``."""
    from .corpus.outputs import CONFUSION_FORMATS, check_output
    from .corpus.schema import extension

    if extension(args.confusions_out) not in CONFUSION_FORMATS:
        raise UsageError(f"--confusions-out {args.confusions_out}: name it .csv or .json")
    if os.path.abspath(args.confusions_out) == os.path.abspath(args.out):
        raise UsageError("--confusions-out must differ from --out")
    check_output(args.confusions_out, [args.input], overwrite=args.overwrite)


def _report_confusions(args, counts) -> None:
    """The corpus's most frequent confusions on stdout (``--confusions``) and the whole table
    in ``--confusions-out``."""
    if args.confusions:
        sys.stdout.write(format_confusions(counts.table()))
    if args.confusions_out:
        from .corpus.outputs import write_confusions

        write_confusions(args.confusions_out, counts.table(top=None), overwrite=args.overwrite)
        print(f"confusions -> {args.confusions_out}", file=sys.stderr)


def _run_local(args, columns, options, progress, counts=None) -> tuple[int, int]:
    """Rows go to the checkpoint batch by batch (so a killed run can resume), then to --out
    in one pass when every pair is done; ``counts`` (``measures.ConfusionCounts``) sums their
    confusions meanwhile."""
    from .corpus import CorpusLimits, RowWriter, open_corpus, output_format, summarize_batches
    from .corpus.outputs import Checkpoint, discard, run_fingerprint, stale_parts
    from .corpus.summary import add_confusions

    if args.scheduler:
        raise UsageError("--scheduler needs --engine dask")
    output_format(args.out)  # a wrong extension is found before the run, not after
    limits = CorpusLimits(max_document_bytes=args.max_bytes)
    with open_corpus(args.input, columns=columns, limits=limits) as corpus:
        fingerprint = run_fingerprint(args.input, engine="local", columns=columns,
                                      options=options, limits=limits)
        if corpus.skipped:
            print(f"note: {len(corpus.skipped):,} file(s) are no side of a pair and were "
                  f"skipped, e.g. {corpus.skipped[0]!r}", file=sys.stderr)
        checkpoint = Checkpoint(args.out, fingerprint, resume=args.resume,
                                overwrite=args.overwrite)
        if checkpoint.resumed:
            for part in stale_parts(args.out):  # a run killed while writing --out
                discard(part)
        # rows are checkpointed in corpus order, so the pairs done are the first ones
        done = {row["pair"] for row in checkpoint.done_rows()}
        pending = (pair for pair in corpus if pair.pair not in done)

        def shifted(count: int, total: int | None) -> None:
            progress(len(done) + count, total)

        try:
            for rows in summarize_batches(pending, options, workers=args.workers,
                                          progress=shifted if progress else None,
                                          total=corpus.total):
                checkpoint.append(rows)
        finally:
            checkpoint.close()
    pairs = errors = 0
    with RowWriter(args.out, overwrite=args.overwrite) as writer:
        for rows in _chunks(checkpoint.done_rows(), 1000):
            writer.write(rows)
            pairs += len(rows)
            errors += sum(1 for row in rows if row["error"])
            if counts is not None:
                add_confusions(counts, (row.get("confusions") for row in rows))
    checkpoint.remove()
    return pairs, errors


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run_dask(args, columns, options, progress, counts=None) -> tuple[int, int]:
    """``counts``: the rows' confusions are summed from the written partitions."""
    from .corpus import run_dask

    if os.path.splitext(args.out)[1].lower() in (".csv", ".jsonl", ".ndjson"):
        raise UsageError("--engine dask writes a directory of Parquet partitions: give "
                         "--out a directory name")
    try:
        import distributed  # noqa: F401
    except ImportError as err:
        raise UsageError('--engine dask needs Dask: pip install "dask[distributed]"') from err
    _quiet_dask_logs()
    stats = run_dask(args.input, args.out, columns=columns, options=options,
                     scheduler=args.scheduler, workers=args.workers, progress=progress,
                     overwrite=args.overwrite, resume=args.resume)
    if counts is not None:
        import pandas as pd

        from .corpus.summary import add_confusions

        add_confusions(counts, pd.read_parquet(args.out, columns=["confusions"])["confusions"])
    return stats.pairs, stats.errors


def _quiet_dask_logs() -> None:
    """Dask logs every worker start and stop; the command line shows only problems."""
    import logging

    for name in ("distributed", "dask"):
        logging.getLogger(name).setLevel(logging.ERROR)


class TerminalProgress:
    """``progress(done, total)`` drawn by tqdm on a terminal: pairs done, share, rate and time
    left (redrawn at most ten times a second); ``finish`` ends the line."""

    def __init__(self, stream):
        from tqdm import tqdm

        self._bar = tqdm(file=stream, unit=" pairs", mininterval=0.1, dynamic_ncols=True)

    def __call__(self, done: int, total: int | None) -> None:
        if total != self._bar.total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def finish(self) -> None:
        self._bar.close()
