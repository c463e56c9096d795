"""The page's memory budget (``viewer.memory``): a byte-bounded LRU store shared by sessions,
its size estimates, waiting for room, and the page under a tiny budget (an alignment the store
evicted is freed while the page that showed it stays open)."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer import memory as memory_module
from viewer import tokens
from viewer.align import Alignment, align
from viewer.memory import (
    MemoryBusy,
    MemoryStore,
    MemoryTooSmall,
    alignment_nbytes,
    budget_bytes,
    nbytes,
)

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


class Anchor:
    """A weak-referenceable stand-in for an alignment."""


def store(budget: int, **kw) -> MemoryStore:
    # every value's size is given by a ``size`` attribute or ``len`` (bytes-like)
    return MemoryStore(budget, size_of=lambda v: getattr(v, "size", None) or len(v), **kw)


def sized(n: int) -> Anchor:
    a = Anchor()
    a.size = n
    return a


# --- the budget ---------------------------------------------------------------------------------


def test_budget_reads_megabytes_from_the_environment():
    assert budget_bytes({"VIEWER_MEMORY_MB": "512"}) == 512 * 1024 * 1024
    assert budget_bytes({"VIEWER_MEMORY_MB": "0.5"}) == 512 * 1024


def test_default_budget_is_a_gibibyte_at_most():
    assert 0 < budget_bytes({}) <= 1024 * 1024 * 1024


@pytest.mark.parametrize("value", ["0", "-3", "lots"])
def test_a_budget_that_is_not_a_positive_number_is_refused(value):
    with pytest.raises(ValueError):
        budget_bytes({"VIEWER_MEMORY_MB": value})


# --- eviction -----------------------------------------------------------------------------------


def test_least_recently_used_group_goes_first():
    s = store(300)
    s.put("a", "x", b"1" * 100)
    s.put("b", "x", b"2" * 100)
    s.put("c", "x", b"3" * 100)
    s.get("a", "x")  # "a" is now the most recent: "b" is the oldest
    s.put("d", "x", b"4" * 100)
    assert s.keys() == ["c", "a", "d"]
    assert s.used == 300


def test_a_group_is_evicted_whole_with_everything_derived_from_it():
    s = store(250)
    s.put("a", "alignment", b"1" * 100)
    s.put("a", "view", b"1" * 50)
    s.put("b", "alignment", b"2" * 100)  # 250: fits
    s.put("b", "view", b"2" * 50)  # 300: "a" (alignment and view) goes
    assert s.keys() == ["b"]
    assert s.get("a", "view") is None and s.get("a", "alignment") is None
    assert s.used == 150


def test_the_group_just_written_is_kept_even_alone_over_budget():
    s = store(100)
    s.put("a", "x", b"1" * 60)
    s.put("b", "x", b"2" * 150)
    assert s.keys() == ["b"]
    assert s.used == 150


def test_an_evicted_alignment_still_held_elsewhere_still_counts_until_it_is_freed():
    s = store(200)
    held = sized(150)
    s.put("a", "alignment", held, anchor=True)
    s.put("b", "alignment", sized(100), anchor=True)  # "a" evicted from the store...
    assert s.keys() == ["b"]
    assert s.used == 250  # ...but a session still draws with it: nothing was really freed
    del held
    gc.collect()
    assert s.used == 100


def test_get_or_compute_computes_once_and_then_shares_the_value():
    s = store(1000)
    calls = []
    first = s.get_or_compute("a", "x", lambda: calls.append(1) or b"v" * 10)
    again = s.get_or_compute("a", "x", lambda: calls.append(1) or b"w" * 10)
    assert first is again and calls == [1]


# --- waiting for room ---------------------------------------------------------------------------


def test_a_computation_larger_than_the_budget_is_refused_at_once():
    s = store(100)
    with pytest.raises(MemoryTooSmall):
        s.get_or_compute("a", "x", lambda: b"v", reserve=101)
    assert s.used == 0


def test_reservations_under_way_make_a_new_one_wait_then_give_up():
    s = store(100, wait_seconds=0.3, poll_seconds=0.05)
    s.reserve(80)  # another session's alignment being computed
    told = []
    with pytest.raises(MemoryBusy):
        s.reserve(40, on_wait=lambda: told.append(True))
    assert told == [True]  # the page said it is waiting, once
    assert s.used == 80


def test_a_waiting_computation_proceeds_when_another_one_finishes():
    s = store(100, wait_seconds=30, poll_seconds=0.05)
    s.reserve(80)
    waiting = threading.Event()
    result = []

    def second_session():
        result.append(s.get_or_compute("b", "x", lambda: b"v" * 30, reserve=40,
                                       on_wait=waiting.set))

    t = threading.Thread(target=second_session)
    t.start()
    assert waiting.wait(10)
    s.release_reservation(80)
    t.join(10)
    assert result == [b"v" * 30]
    assert s.used == 30  # the reservation is gone, the stored value counts


def test_waiting_goes_on_while_other_computations_keep_finishing():
    # the timeout is for a budget where nothing moves: here one finishes every 0.15 s for
    # ~1 s (longer than the 0.4 s timeout) before enough is free
    s = store(100, wait_seconds=0.4, poll_seconds=0.02)
    s.reserve(95)

    def others():
        for _ in range(7):
            time.sleep(0.15)
            s.reserve(1)
            s.release_reservation(1)
        s.release_reservation(95)

    t = threading.Thread(target=others)
    t.start()
    s.reserve(60)
    t.join(10)
    assert s.used == 60


def test_stored_groups_are_evicted_before_anyone_waits():
    s = store(100, wait_seconds=0.2)
    s.put("old", "x", b"1" * 90)
    value = s.get_or_compute("new", "x", lambda: b"2" * 50, reserve=60,
                             on_wait=lambda: pytest.fail("waited although eviction was enough"))
    assert value == b"2" * 50 and s.keys() == ["new"]


def test_a_failed_computation_returns_its_reservation():
    s = store(100)
    with pytest.raises(ZeroDivisionError):
        s.get_or_compute("a", "x", lambda: 1 / 0, reserve=90)
    assert s.used == 0 and s.keys() == []


def test_derived_parts_are_made_in_the_turn_with_the_reservation_held_and_stored_with_it():
    # the page's view data peaks higher than the alignment it is made from: made after the
    # reservation was returned, it came on top of the next session's
    s = store(100)
    used_while_deriving = []

    def derive(value):
        used_while_deriving.append(s.used)
        return {"view": b"12345"}

    value = sized(10)
    assert s.get_or_compute("a", "x", lambda: value, reserve=60, anchor=True,
                            derive=derive) is value
    assert used_while_deriving == [60]  # the reservation, nothing stored yet
    assert s.get("a", "view") == b"12345"
    assert s.used == 15  # the value and its derived part, the reservation returned


def test_the_heap_is_trimmed_between_the_computation_and_its_derived_parts(monkeypatch):
    # the view data's peak would ride on what aligning freed into the thread's heap
    events = []
    monkeypatch.setattr(memory_module, "return_free_memory", lambda: events.append("trim"))
    s = store(100)
    s.get_or_compute("a", "x", lambda: events.append("compute") or sized(10), reserve=60,
                     derive=lambda v: events.append("derive") or {})
    assert events[events.index("compute"):events.index("derive") + 1] == [
        "compute", "trim", "derive"]


def test_a_failed_derivation_returns_its_reservation_and_stores_nothing():
    s = store(100)
    with pytest.raises(ZeroDivisionError):
        s.get_or_compute("a", "x", lambda: sized(10), reserve=60, derive=lambda v: 1 / 0)
    assert s.used == 0 and s.keys() == []


# --- threads ------------------------------------------------------------------------------------


def test_many_threads_never_leave_the_books_unbalanced():
    s = store(1000, wait_seconds=30, poll_seconds=0.01)
    computed = []

    def session(n: int):
        for i in range(40):
            key = (n + i) % 12
            s.get_or_compute(key, "x", lambda key=key: computed.append(key) or b"v" * 100,
                             reserve=150)
            assert s.get(key, "x") in (None, b"v" * 100)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert s.used == 100 * len(s.keys()) <= 1000
    assert s.evictions > 0  # 12 keys of 100 bytes never fit in 1000


def test_one_key_asked_by_many_sessions_at_once_is_computed_once():
    s = store(1000)
    gate = threading.Event()
    calls = []

    def slow():
        calls.append(1)
        gate.wait(10)
        return b"v" * 10

    threads = [threading.Thread(target=s.get_or_compute, args=("k", "x", slow))
               for _ in range(5)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(10)
    assert calls == [1]


# --- one reserving computation at a time --------------------------------------------------------


class Superseded(BaseException):
    """Stands in for Streamlit's StopException (a BaseException) in a replaced script run."""


def _in_thread(fn, *args, **kw) -> tuple[threading.Thread, list]:
    out: list = []

    def run():
        try:
            out.append(fn(*args, **kw))
        except BaseException as err:  # noqa: BLE001 - the test looks at what was raised
            out.append(err)

    t = threading.Thread(target=run)
    t.start()
    return t, out


def _blocked_computation(s: MemoryStore, key: str, log: list, reserve: int = 10):
    """A computation with a reservation, under way until its returned gate is set."""
    started, gate = threading.Event(), threading.Event()

    def compute():
        log.append(f"{key} starts")
        started.set()
        gate.wait(10)
        log.append(f"{key} ends")
        return b"v" * 5

    t, out = _in_thread(s.get_or_compute, key, "alignment", compute, reserve=reserve)
    assert started.wait(10)
    return t, out, gate


def test_computations_that_reserve_take_turns_even_when_both_would_fit():
    # a broken store that let both run at once (both fit in 1000) logs "b starts" early
    s = store(1000, poll_seconds=0.01)
    log: list = []
    t_a, _, gate = _blocked_computation(s, "a", log)
    b_waits = threading.Event()
    t_b, out_b = _in_thread(s.get_or_compute, "b", "alignment",
                            lambda: log.append("b starts") or b"w" * 5, reserve=10,
                            on_wait=b_waits.set)
    assert b_waits.wait(10)  # b was told it waits, and has not started
    assert log == ["a starts"]
    gate.set()
    t_a.join(10)
    t_b.join(10)
    assert log == ["a starts", "a ends", "b starts"]
    assert out_b == [b"w" * 5]
    assert s.used == 10  # both stored, no reservation left


def test_turns_go_in_the_order_of_arrival():
    s = store(1000, poll_seconds=0.01)
    log: list = []
    t_a, _, gate = _blocked_computation(s, "a", log)
    waiting = []
    for key in ("b", "c", "d"):
        told = threading.Event()
        waiting.append(_in_thread(s.get_or_compute, key, "alignment",
                                  lambda key=key: log.append(key) or b"v", reserve=10,
                                  on_wait=told.set))
        assert told.wait(10)  # in line before the next one comes
    gate.set()
    for t, _ in [(t_a, None), *waiting]:
        t.join(10)
    assert log == ["a starts", "a ends", "b", "c", "d"]


def test_a_superseded_run_gives_up_its_turn_without_computing():
    s = store(1000, poll_seconds=0.01)
    log: list = []
    t_a, _, gate = _blocked_computation(s, "a", log)
    told = threading.Event()
    superseded = threading.Event()  # set while b waits: its page started a newer run

    def still_wanted():
        if superseded.is_set():
            raise Superseded

    t_b, out_b = _in_thread(s.get_or_compute, "b", "alignment",
                            lambda: log.append("b") or b"v", reserve=10, on_wait=told.set,
                            still_wanted=still_wanted)
    assert told.wait(10)
    superseded.set()
    gate.set()
    t_a.join(10)
    t_b.join(10)
    assert isinstance(out_b[0], Superseded) and "b" not in log
    assert s.keys() == ["a"] and s.used == 5  # no reservation left behind
    assert s.get_or_compute("c", "alignment", lambda: b"c", reserve=10) == b"c"  # turn free


def test_a_run_stopped_while_in_line_leaves_the_line():
    # Streamlit raises its StopException from the page's waiting message (``on_wait``)
    s = store(1000, poll_seconds=0.01)
    log: list = []
    t_a, _, gate = _blocked_computation(s, "a", log)

    def stopped():
        raise Superseded

    t_b, out_b = _in_thread(s.get_or_compute, "b", "alignment", lambda: log.append("b"),
                            reserve=10, on_wait=stopped)
    t_b.join(10)
    assert isinstance(out_b[0], Superseded)
    c_waits = threading.Event()
    t_c, out_c = _in_thread(s.get_or_compute, "c", "alignment", lambda: b"c", reserve=10,
                            on_wait=c_waits.set)
    assert c_waits.wait(10)
    gate.set()
    t_a.join(10)
    t_c.join(10)  # b's ticket left the line: c is not stuck behind it
    assert out_c == [b"c"] and "b" not in log


def test_a_computation_without_a_reservation_does_not_wait_for_a_turn():
    # the page's view data and charts of a pair already aligned need no turn
    s = store(1000, poll_seconds=0.01)
    log: list = []
    t_a, _, gate = _blocked_computation(s, "a", log)
    assert s.get_or_compute("a2", "view", lambda: b"view") == b"view"
    gate.set()
    t_a.join(10)


def test_a_waiter_collects_garbage_once_per_collect_seconds_not_at_every_poll():
    collections = []
    s = store(100, poll_seconds=0.001, collect_seconds=3600,
              collect=lambda: collections.append(1))
    held = sized(80)
    s.put("a", "alignment", held, anchor=True)
    s.clear()  # evicted, still alive: counted until freed
    told = threading.Event()
    t, out = _in_thread(s.reserve, 50, on_wait=told.set)
    assert told.wait(10)
    threading.Event().wait(0.1)  # let it poll (about a hundred times)
    del held  # the session lets go: freed
    t.join(10)
    assert out == [None] and s.used == 50
    assert collections == [1]


# --- size estimates -----------------------------------------------------------------------------


def test_an_alignments_size_grows_with_its_text():
    small = align("one two three four " * 100, "one two tree four " * 100)
    large = align("one two three four " * 10_000, "one two tree four " * 10_000)
    assert alignment_nbytes(large) > 50 * alignment_nbytes(small)
    # at least both texts, and the two offset columns of 8 bytes a token
    assert alignment_nbytes(large) > len(large.a_text) + len(large.b_text) + 16 * len(large.a)


def test_size_estimates_of_the_derived_values():
    import numpy as np
    import pandas as pd

    assert nbytes(np.zeros(1000, dtype=np.int64)) == 8000
    frame = pd.DataFrame({"text": ["x" * 1000] * 100})
    assert nbytes(frame) > 100_000
    assert nbytes({"a": np.zeros(10, dtype=np.int64), "b": frame}) > 100_080


# --- the page under a budget --------------------------------------------------------------------


@pytest.fixture
def budget(monkeypatch):
    """Sets ``VIEWER_MEMORY_MB`` for a fresh store (``st.cache_resource`` lives as long as the
    process), and leaves a fresh one behind. A page that would wait for memory gives up after
    a second with nothing freed (not ten minutes): when an evicted alignment is kept alive, a
    test fails at once instead of hanging; when it is freed, nobody waits at all."""
    import streamlit as st

    from viewer import memory

    def set_budget(mb: str):
        monkeypatch.setenv("VIEWER_MEMORY_MB", mb)
        monkeypatch.setattr(memory, "WAIT_SECONDS", 1.0)
        st.cache_resource.clear()

    yield set_budget
    st.cache_resource.clear()


def test_the_page_shows_the_example_pair_with_a_tiny_budget(budget):
    from tests.test_app import counter, start, view_data

    budget("1")  # 1 MiB: the example pair (~10k characters) fits
    at = start()
    assert counter(at)[1] > 0
    assert 'data-hunk="0"' in view_data(at)["html"]


def test_a_pair_too_large_for_the_budget_keeps_the_previous_pair(budget):
    from tests.test_app import counter, start, upload

    budget("1")
    at = start()
    shown = counter(at)
    big = " ".join(f"word{i}" for i in range(60_000)).encode()  # ~600k characters a side
    upload(at, 0, "big.txt", big)
    upload(at, 1, "big2.txt", big.replace(b"word1", b"w1"))
    assert not at.exception
    assert any("too large for the server" in e.value for e in at.error)
    assert counter(at) == shown  # the example pair still shown


def alignments_of(original: str) -> list[weakref.ref]:
    """Weak references to every live alignment of ``original`` (whoever holds them)."""
    gc.collect()
    return [weakref.ref(o) for o in gc.get_objects()
            if isinstance(o, Alignment) and o.a.text == original]


def words(n: int, replace: dict[int, str] | None = None) -> bytes:
    replace = replace or {}
    return " ".join(replace.get(i, f"word{i}") for i in range(n)).encode()


def test_an_evicted_alignment_is_freed_while_the_page_that_showed_it_stays_open(budget):
    from tests.test_app import counter, start, upload
    from viewer.session import load_example

    # 1 MiB: the example pair (about 15k characters) fits; a pair of 2 x 15k characters
    # reserves 22 bytes a character (``alignment_peak_bytes``: 0.65 MB), so the store must
    # evict the example pair's group to align it
    budget("1")
    example = load_example().a.text
    earlier = {id(r()) for r in alignments_of(example)}  # other tests' (their stores')
    first = start()  # page 1 shows the example pair, and stays open
    shown = counter(first)
    held = [r for r in alignments_of(example) if id(r()) not in earlier]
    assert len(held) == 1  # precondition: the store holds the example pair's alignment

    second = start()  # page 2 opens another pair
    upload(second, 0, "original.txt", words(2500))
    upload(second, 1, "corrupted.txt", words(2500, {7: "wrod7", 900: "w0rd900"}))

    # page 1 is still open (its session state, its widgets, its fragment); its alignment
    # is out of the store, and nothing of the page may keep it alive
    gc.collect()
    assert held[0]() is None, "page 1 keeps its evicted alignment alive"
    assert counter(second) == (1, 2)  # page 2 shows its pair (two substitutions), unrefused

    first.run()  # page 1's next run aligns its pair again and shows the same place
    assert not first.exception, first.exception
    assert counter(first) == shown


# --- the tokenizer, a chunk at a time -----------------------------------------------------------

PIECES = st.sampled_from(["a", "Zb9", " ", "  ", "\n", "\r\n", "\u00a0", "’s", "-", "\u0600",
                          "e\u0301", "👍🏽", "\t", "x_y", "ß", "٣", ".", "\u200d"])


def tokenize_in_chunks_of(chars: int, text: str):
    saved = tokens.CHUNK_CHARS
    try:
        tokens.CHUNK_CHARS = chars
        return tokens.tokenize(text)
    finally:
        tokens.CHUNK_CHARS = saved


@given(st.lists(PIECES, max_size=60))
@settings(max_examples=300, deadline=None)
def test_tokens_read_in_chunks_are_those_of_the_whole_text(parts):
    # a chunk size of a few characters forces a chunk end at every possible place
    text = "".join(parts)
    whole = tokens.tokenize(text)
    chunked = tokenize_in_chunks_of(3, text)
    assert list(chunked.starts) == list(whole.starts)
    assert list(chunked.ends) == list(whole.ends)
    assert chunked.keys() == whole.keys()


def test_a_chunk_never_ends_inside_a_word():
    tok = tokenize_in_chunks_of(4, "alpha beta gamma delta " * 5)
    assert [tok.token_text(i) for i in range(4)] == ["alpha", "beta", "gamma", "delta"]


def test_view_data_does_not_count_the_alignment_it_refers_to_again():
    import numpy as np

    al = align("one two three four " * 2000, "one two tree four " * 2000)
    view = {"alignment": al, "column": np.zeros(1000, dtype=np.int64)}
    assert 8000 <= nbytes(view) < 8000 + 1000


# --- what the page keeps between runs ------------------------------------------------------------


def test_download_buttons_do_not_keep_an_evicted_alignment_alive():
    # Streamlit keeps a download button's data function while the page is open: one holding
    # the alignment kept four million-token pages' alignments alive past eviction, and a
    # fifth waited for memory that never freed (benchmarks/memory.py)
    from viewer.page_data import pair_downloads
    from viewer.session import load_example

    pair = load_example()
    al = align(pair.a.text, pair.b.text)
    expected = [dl.data() for dl in pair_downloads(al, pair.a, pair.b)]
    downloads = pair_downloads(al, pair.a, pair.b)
    freed = weakref.ref(al)
    del al
    assert freed() is None  # refcounting alone frees it: nothing in the downloads holds it
    assert [dl.data() for dl in downloads] == expected  # aligned again when asked


def test_a_store_let_go_of_without_clear_frees_its_alignments():
    # the finalizer that stops counting an evicted alignment held the store's group, whose
    # parts held the alignment: a store dropped (``st.cache_resource.clear``) kept them for ever
    s = MemoryStore(10**9)
    al = align("one two three", "one too three")
    s.put("pair", "alignment", al, anchor=True)
    freed = weakref.ref(al)
    del al, s
    gc.collect()
    assert freed() is None


def test_a_pair_whose_alignment_fits_but_not_its_view_estimate_reserves_the_whole_budget():
    from viewer.memory import ALIGNMENT_BYTES_PER_CHAR, PEAK_BYTES_PER_CHAR, alignment_peak_bytes

    a, b = "x" * 60, "y" * 40  # 100 characters
    assert alignment_peak_bytes(a, b) == 100 * PEAK_BYTES_PER_CHAR
    assert alignment_peak_bytes(a, b, budget=10**6) == 100 * PEAK_BYTES_PER_CHAR
    # the alignment alone fits a budget the estimate with the view exceeds: all of it
    just_enough = 100 * ALIGNMENT_BYTES_PER_CHAR
    assert alignment_peak_bytes(a, b, budget=just_enough) == just_enough
    # the alignment alone does not fit: the whole estimate, which the store refuses
    assert alignment_peak_bytes(a, b, budget=just_enough - 1) == 100 * PEAK_BYTES_PER_CHAR
