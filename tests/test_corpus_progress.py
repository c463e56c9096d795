"""A computation in a helper thread with its progress shown by the calling thread
(viewer.corpus.progress). A fake clock and callbacks that record: no wall-clock assertions."""

from __future__ import annotations

import itertools
import threading

import pytest

from viewer.corpus.progress import compute_with_progress, progress_text


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
    shown, cleared = [], []

    def compute(report):
        report(1, 4)
        reported.wait(5)  # until the calling thread has shown that progress
        return "summary"

    def show(fill, text):
        shown.append((fill, text))
        if fill == 0.25:
            reported.set()

    result = compute_with_progress("k", compute, under_way, "c.zip", show,
                                   lambda: cleared.append(1), poll=0.01,
                                   clock=itertools.count().__next__)
    assert result == "summary" and cleared == [1] and under_way == {}
    assert any(t.startswith("Aligning the pairs of c.zip: 1 of 4 · ") for _, t in shown)


def test_an_error_in_the_computation_is_raised_in_the_caller():
    under_way: dict = {}
    cleared = []

    def compute(report):
        report(0, None)
        raise ValueError("no such column")

    with pytest.raises(ValueError, match="no such column"):
        compute_with_progress("k", compute, under_way, "c", lambda *_: None,
                              lambda: cleared.append(1), poll=0.01)
    assert cleared == [1] and under_way == {}


def test_another_computation_under_the_same_key_is_shown():
    """A run that finds its summary under way elsewhere waits for it and shows its progress."""
    under_way = {"k": [3, 6]}
    release = threading.Event()
    shown = []

    def compute(report):  # waits, as on the cache's lock, and reports nothing itself
        release.wait(5)
        return 1

    def show(fill, text):
        shown.append(fill)
        release.set()

    assert compute_with_progress("k", compute, under_way, "c", show, lambda: None,
                                 poll=0.01) == 1
    assert shown[0] == 0.5
