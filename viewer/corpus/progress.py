"""A corpus summary computed in a helper thread while the calling thread shows its progress.

The page cannot draw from inside the cached summary (Streamlit records what a cached function
draws in order to replay it, and a progress bar made outside it cannot be replayed:
CacheReplayClosureError on the next cache hit). So the summary only writes numbers (``done``,
``total``) into a dict shared by every run and session of the process, ``under_way``, and the
calling thread reads them back at least twice a second, which is also where Streamlit stops the
script thread for a rerun (a click elsewhere): the helper then finishes on its own and fills the
cache for the next run. A run that finds the summary it wants already under way (by an
interrupted run's helper, or another session) waits on the cache's lock and shows its progress.
No Streamlit here: the caller hands over the bar to draw on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, MutableMapping
from typing import Protocol

# How often the progress is shown (seconds): often enough to look alive, and the longest a
# rerun waits for the script thread to notice it was stopped.
POLL_SECONDS = 0.5

Report = Callable[[int, int | None], None]


class Bar(Protocol):
    """Where the progress is drawn (Streamlit's ``st.progress`` element is one)."""

    def progress(self, value: float, text: str) -> object: ...

    def empty(self) -> object: ...


def progress_text(name: str, done: int, total: int | None, seconds: float) -> tuple[float, str]:
    """The bar's fill (0..1) and text: reading the file (``total`` unknown) or aligning its
    pairs (``done`` of ``total``). ``name`` is shown as given (Markdown-escape it first)."""
    if total:
        return (min(done / total, 1.0),
                f"Aligning the pairs of {name}: {done:,} of {total:,} · {seconds:.0f} s")
    return 0.0, f"Reading {name}… {seconds:.0f} s"


def compute_with_progress(key: Hashable, compute: Callable[[Report], object],
                          under_way: MutableMapping, name: str, bar: Bar,
                          poll: float = POLL_SECONDS, clock: Callable[[], float] = time.monotonic):
    """``compute(report)`` in a helper thread; meanwhile ``bar.progress(fill, text=…)`` (see
    ``progress_text``) after every ``poll`` seconds from the ``[done, total]`` the computation
    reported under ``key`` in ``under_way``; then ``bar.empty()``, and the result returned (or
    the computation's exception raised here)."""
    outcome: dict = {}

    def report(done: int, total: int | None) -> None:
        under_way[key] = [done, total]

    def work() -> None:
        try:
            outcome["value"] = compute(report)
        except BaseException as err:  # re-raised in the calling thread
            outcome["error"] = err
        finally:
            under_way.pop(key, None)

    worker = threading.Thread(target=work, name="corpus-summary", daemon=True)
    started = clock()
    worker.start()
    while worker.is_alive():
        worker.join(poll)
        done, total = under_way.get(key) or (0, None)
        fill, text = progress_text(name, done, total, clock() - started)
        bar.progress(fill, text=text)
    bar.empty()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
