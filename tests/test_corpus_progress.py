"""A computation in a helper thread with its progress shown by the calling thread
(viewer.corpus.progress). A fake clock and callbacks that record: no wall-clock assertions."""

from __future__ import annotations

import itertools
import threading

import pytest

from viewer.corpus.progress import compute_with_progress, progress_text


class Bar:
    """Records what is drawn; ``on_fill`` is called with each fill shown."""

    def __init__(self, on_fill=lambda fill: None):
        self.shown, self.cleared, self.on_fill = [], 0, on_fill

    def progress(self, value, text):
        self.shown.append((value, text))
        self.on_fill(value)

    def empty(self):
        self.cleared += 1


# the seconds are given numbers, never read from a clock: progress_text only formats them
@pytest.mark.parametrize(("done", "total", "seconds", "expected"), [
    (0, None, 1.4, (0.0, "Reading c.zip… 1 s")),
    (0, 0, 0, (0.0, "Reading c.zip… 0 s")),
    (5, 20, 3.6, (0.25, "Aligning the pairs of c.zip: 5 of 20 · 4 s")),
    (2_000, 1_000, 61, (1.0, "Aligning the pairs of c.zip: 2,000 of 1,000 · 61 s")),
])
def test_progress_text(done, total, seconds, expected):
    assert progress_text("c.zip", done, total, seconds) == expected


def test_the_progress_reported_is_shown_and_the_result_returned():
    under_way: dict = {}
    reported = threading.Event()

    def compute(report):
        report(1, 4)
        reported.wait(5)  # until the calling thread has shown that progress
        return "summary"

    bar = Bar(lambda fill: fill == 0.25 and reported.set())
    result = compute_with_progress("k", compute, under_way, "c.zip", bar, poll=0.01,
                                   clock=itertools.count().__next__)
    assert result == "summary" and bar.cleared == 1 and under_way == {}
    assert any(t.startswith("Aligning the pairs of c.zip: 1 of 4 · ") for _, t in bar.shown)


def test_an_error_in_the_computation_is_raised_in_the_caller():
    under_way: dict = {}
    bar = Bar()

    def compute(report):
        report(0, None)
        raise ValueError("no such column")

    with pytest.raises(ValueError, match="no such column"):
        compute_with_progress("k", compute, under_way, "c", bar, poll=0.01)
    assert bar.cleared == 1 and under_way == {}


def test_another_computation_under_the_same_key_is_shown():
    """A run that finds its summary under way elsewhere waits for it and shows its progress."""
    under_way = {"k": [3, 6]}
    release = threading.Event()

    def compute(report):  # waits, as on the cache's lock, and reports nothing itself
        release.wait(5)
        return 1

    bar = Bar(lambda fill: release.set())
    assert compute_with_progress("k", compute, under_way, "c", bar, poll=0.01) == 1
    assert bar.shown[0] == (0.5, "Aligning the pairs of c: 3 of 6 · 0 s")
