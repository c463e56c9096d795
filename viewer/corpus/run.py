"""Running the per-pair summary over a corpus here: batches worth sending to another process,
a process pool that keeps the rows in corpus order, and the page's one-call
``summarize_corpus``."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator

from .readers import open_corpus
from .schema import (
    Columns,
    CorpusLimits,
    EngineError,
    PairInput,
    PairOptions,
    Progress,
    default_workers,
    rows_frame,
)
from .summary import summarize_batch

# A batch sent to a worker process holds about this many characters (or this many pairs):
# enough work (~0.1 s) that pickling and IPC stay small beside it.
BATCH_CHARS = 400_000
BATCH_PAIRS = 64


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
    if workers == 1:
        results = (summarize_batch(group, options) for group in batches(pairs))
    else:
        results = _pooled(batches(pairs), options, workers)
    try:
        with contextlib.closing(results):  # a consumer that stops early shuts the pool down now
            for rows in results:
                done += len(rows)
                if progress:
                    progress(done, total)
                yield rows
    except concurrent.futures.process.BrokenProcessPool as err:
        raise EngineError(f"a worker process died after {done:,} pairs (out of memory?); "
                          "try fewer --workers or a lower --max-bytes.") from err


def _pooled(groups: Iterator[list[PairInput]], options: PairOptions,
            workers: int) -> Iterator[list[dict]]:
    """``summarize_batch`` over ``groups`` in a process pool, results in order, at most three
    batches per worker in flight."""
    with _signals_deferred() as interrupted:
        pool = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=_mp_context(), initializer=_worker_start)
        finished = False
        try:
            pending: deque = deque()
            for group in groups:
                interrupted()
                pending.append(pool.submit(summarize_batch, group, options))
                while len(pending) >= 3 * workers:
                    yield _result(pending.popleft(), interrupted)
            while pending:
                yield _result(pending.popleft(), interrupted)
            finished = True
        finally:
            if not finished:  # Ctrl-C, SIGTERM, an error, a consumer that stopped: stop them now
                _terminate_workers(pool)
            pool.shutdown(wait=True, cancel_futures=True)


# How often the pool's results are waited for between looks at a deferred Ctrl-C or SIGTERM.
SIGNAL_POLL_SECONDS = 0.1


def _result(future: concurrent.futures.Future, interrupted) -> list[dict]:
    while True:
        interrupted()
        try:
            return future.result(timeout=SIGNAL_POLL_SECONDS)
        except concurrent.futures.TimeoutError:
            continue


@contextlib.contextmanager
def _signals_deferred():
    """While the pool runs, Ctrl-C and SIGTERM are held and acted on only where the loop looks
    (``interrupted()``), never inside the executor's own code: a KeyboardInterrupt raised there,
    between a lock taken and the ``with`` that releases it, can leave ``shutdown`` waiting
    forever for that lock. Acted on, a held signal is raised again, once, with the handlers
    restored, so it meets the handler it would have met (the command line's raises
    KeyboardInterrupt; a default one ends the process); one still held when the pool is done
    (it came with the last rows, or during the shutdown) is raised then. Off the main thread
    (the page's server), signals are not this code's to handle, nor a handler that was not
    set from Python (it could not be put back)."""
    kinds = [s for s in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(s) is not None]
    if threading.current_thread() is not threading.main_thread() or not kinds:
        yield lambda: None
        return
    held: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: held.append(signum)) for s in kinds}
    restored = False

    def restore_and_raise() -> None:
        nonlocal restored
        if restored:
            return
        restored = True
        for s, handler in previous.items():
            signal.signal(s, handler)
        if held:
            signal.raise_signal(held[0])

    def interrupted() -> None:
        if held:
            restore_and_raise()

    try:
        yield interrupted
    finally:
        restore_and_raise()


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


def _mp_context():
    """Fork is fastest and safe from the single-threaded command line; from a threaded program
    (a web server) start workers from a clean server process instead."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _terminate_workers(pool) -> None:
    """End the pool's workers without waiting for their batches (their rows are not wanted)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.terminate()


# How often a worker checks that its parent is alive (where the kernel cannot tell it).
PARENT_POLL_SECONDS = 0.5


def _worker_start() -> None:
    """A worker's set-up. Ctrl-C goes to the whole process group: the parent handles it and
    ends the workers. And a worker dies with its parent: killed by SIGKILL, the parent cannot
    end them, so Linux is asked to (PR_SET_PDEATHSIG), and everywhere a thread checks every
    ``PARENT_POLL_SECONDS`` that the parent is still the one that started it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    _ask_kernel_to_end_with_parent()
    if os.getppid() != parent or parent == 1:  # the parent died before this ran
        os._exit(1)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True,
                     name="exit-with-parent").start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _ask_kernel_to_end_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no libc to ask: the polling thread does it
        pass
