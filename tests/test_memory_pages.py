"""The page under a small memory budget (AppTest): an alignment the memory store evicted is freed
while a page that showed it is still open.

The budget counts an evicted alignment until it is really garbage (``viewer.memory``): anything
a page keeps that holds it (a download button's data function, an ``st.fragment``'s arguments,
which Streamlit keeps for the fragment's reruns) keeps its memory taken, and a new pair waits
for memory that never frees (benchmarks/memory.py's fourth session waited for ever)."""

from __future__ import annotations

import gc
import weakref

import pytest

from tests.test_app import counter, start, upload
from viewer.align import Alignment
from viewer.session import load_example


@pytest.fixture
def budget(monkeypatch):
    """Sets ``VIEWER_MEMORY_MB`` for a fresh store (``st.cache_resource`` lives as long as the
    process), and leaves a fresh one behind. A page that would wait for memory gives up after
    a second with nothing freed (not ten minutes): when an evicted alignment is kept alive, the
    test fails at once instead of hanging; when it is freed, nobody waits at all."""
    import streamlit as st

    from viewer import memory

    def set_budget(mb: str):
        monkeypatch.setenv("VIEWER_MEMORY_MB", mb)
        monkeypatch.setattr(memory, "WAIT_SECONDS", 1.0)
        st.cache_resource.clear()

    yield set_budget
    st.cache_resource.clear()


def alignments_of(original: str) -> list[weakref.ref]:
    """Weak references to every live alignment of ``original`` (whoever holds them)."""
    gc.collect()
    return [weakref.ref(o) for o in gc.get_objects()
            if isinstance(o, Alignment) and o.a.text == original]


def words(n: int, replace: dict[int, str] | None = None) -> bytes:
    replace = replace or {}
    return " ".join(replace.get(i, f"word{i}") for i in range(n)).encode()


def test_an_evicted_alignment_is_freed_while_the_page_that_showed_it_stays_open(budget):
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
