"""Moving through the differences (viewer/navigation.py): literal cases over small hunk arrays,
and properties against slow, obviously correct references."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from viewer import navigation as nav

# six hunks: kinds by code (0 missing, 1 substituted, 2 inserted)
KINDS_OF = ["missing", "inserted", "substituted", "inserted", "missing", "inserted"]
CODES = nav.kind_codes(KINDS_OF)


def test_kind_codes_and_the_filter():
    assert CODES.tolist() == [0, 2, 1, 2, 0, 2]
    assert nav.shown_ids(CODES, ["inserted"]).tolist() == [1, 3, 5]
    assert nav.shown_ids(CODES, ["missing", "substituted"]).tolist() == [0, 2, 4]
    assert nav.shown_ids(CODES, []).tolist() == []


def test_the_type_filter_narrows_the_kind_filter():
    types = nav.type_codes(["word", "case", "copy", "punctuation", "word", "move"])
    assert types.tolist() == [7, 0, 3, 1, 7, 4]  # index in TYPES
    # both filters hold: inserted (1, 3, 5) and word or copy (0, 2, 4): none
    assert nav.shown_ids(CODES, ["inserted"], types, ["word", "copy"]).tolist() == []
    assert nav.shown_ids(CODES, ["inserted", "missing"], types, ["word", "move"]).tolist() == [
        0, 4, 5]
    # without type codes the type filter is not applied
    assert nav.shown_ids(CODES, ["inserted"], None, []).tolist() == [1, 3, 5]


def test_step_moves_among_the_shown_differences_and_stops_at_the_ends():
    ids = np.array([1, 3, 5])
    assert nav.step(ids, 1, +1) == 3 and nav.step(ids, 3, -1) == 1
    assert nav.step(ids, 5, +1) is None and nav.step(ids, 1, -1) is None
    # from a hidden difference: the shown one after or before it
    assert nav.step(ids, 2, +1) == 3 and nav.step(ids, 2, -1) == 1
    # from no selection: the first or the last
    assert nav.step(ids, None, +1) == 1 and nav.step(ids, None, -1) == 5
    assert nav.step(np.array([], dtype=int), 0, +1) is None


def test_keep_shown_after_a_filter_change():
    inserted = nav.shown_ids(CODES, ["inserted"])
    assert nav.keep_shown(inserted, 3) == 3  # still shown: stays
    assert nav.keep_shown(inserted, 2) == 3  # hidden: the next shown
    assert nav.keep_shown(inserted, 4) == 5
    only_missing = nav.shown_ids(CODES, ["missing"])
    assert nav.keep_shown(only_missing, 5) == 4  # past the end: the last
    assert nav.keep_shown(np.array([], dtype=int), 2) is None
    assert nav.keep_shown(inserted, None) is None


def test_position_in_the_filter():
    ids = np.array([1, 3, 5])
    assert [nav.position(ids, k) for k in (1, 3, 5)] == [1, 2, 3]
    assert nav.position(ids, 2) == 0 and nav.position(ids, 6) == 0
    assert nav.position(ids, None) == 0


def test_links_and_out_of_range_selections():
    assert nav.selection_from_query("5") == 4
    for bad in ("0", "-3", "abc", "", None, "2.5"):
        assert nav.selection_from_query(bad) == 0
    assert nav.clamp_selection(9999, 80) == 79 and nav.clamp_selection(-2, 80) == 0
    assert nav.clamp_selection(None, 80) == 0 and nav.clamp_selection(3, 0) is None


def test_a_density_click_or_drag_names_a_token_range():
    pick = [{"token_start": 40, "token_end": 50}]
    assert nav.density_range(pick, None, 1000) == (40, 50)
    # a drag gives relative positions; it wins over a click
    assert nav.density_range(pick, {"start": [0.5, 0.25]}, 1000) == (250, 500)
    assert nav.density_range(None, {}, 1000) is None and nav.density_range([], None, 10) is None


def test_a_range_picks_its_first_shown_difference_or_the_nearest():
    ta0 = np.array([5, 20, 21, 60, 90, 95])  # first original token of each hunk, by id
    ids = np.array([0, 2, 4])  # 1, 3, 5 hidden
    assert nav.in_range_or_nearest(ids, ta0, 15, 30) == 2  # 20 is hidden, 21 shown
    assert nav.in_range_or_nearest(ids, ta0, 40, 41) == 2  # nothing inside: nearest (21)
    assert nav.in_range_or_nearest(ids, ta0, 60, 61) == 4  # 60 is hidden; nearest shown: 90
    assert nav.in_range_or_nearest(ids, ta0, 80, 90) == 4  # nearest to 85: 90
    assert nav.in_range_or_nearest(ids, ta0, 90, 90, inclusive=True) == 4
    assert nav.in_range_or_nearest(np.array([], dtype=int), ta0, 0, 9) is None


def test_the_difference_list_shows_a_window_around_the_selection():
    ids = np.arange(0, 100, 2)  # 50 shown
    assert nav.table_rows(ids, 0, 100) is ids
    rows = nav.table_rows(ids, 50, 10)
    assert rows.tolist() == list(range(40, 60, 2))
    assert nav.table_rows(ids, 0, 10).tolist() == list(range(0, 20, 2))
    assert nav.table_rows(ids, 98, 10).tolist() == list(range(80, 100, 2))


@given(st.lists(st.sampled_from(["missing", "substituted", "inserted"]), max_size=40),
       st.sets(st.sampled_from(["missing", "substituted", "inserted"])),
       st.integers(-2, 45), st.sampled_from([-1, 1]))
def test_step_matches_a_slow_reference(kinds, shown, current, direction):
    codes = nav.kind_codes(kinds)
    types = ["word" if i % 3 else "case" for i in range(len(kinds))]
    ids = nav.shown_ids(codes, shown, nav.type_codes(types), ["word"])
    assert ids.tolist() == [i for i, k in enumerate(kinds) if k in shown and types[i] == "word"]
    after = [i for i in ids if i > current]
    before = [i for i in ids if i < current]
    want = (after[0] if after else None) if direction > 0 else (before[-1] if before else None)
    assert nav.step(ids, current, direction) == want


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=30), st.floats(-10, 1100))
def test_nearest_matches_a_slow_reference(positions, at):
    ids = np.arange(len(positions))
    got = nav.nearest(ids, np.array(positions), at)
    best = min(abs(p - at) for p in positions)
    assert abs(positions[got] - at) == best
    assert got == min(i for i, p in enumerate(positions) if abs(p - at) == best)


def test_follow_place_finds_the_text_again():
    # hunks as (a_start, a_end, b_start, b_end): a substitution, an insertion, a deletion
    spans = np.array([[0, 3, 0, 3], [10, 10, 10, 14], [20, 25, 24, 24]])
    ids = np.arange(3)
    assert nav.follow_place(spans, ids, (1, 2, 1, 2)) == 0  # overlaps the substitution
    assert nav.follow_place(spans, ids, (9, 9, 11, 12)) == 1  # inside the inserted text
    assert nav.follow_place(spans, ids, (10, 10, 10, 10)) == 1  # the insertion point itself
    assert nav.follow_place(spans, ids, (12, 14, 16, 18)) == 2  # gone: the next one after it
    assert nav.follow_place(spans, ids, (30, 31, 30, 31)) == 2  # after the last: the last
    assert nav.follow_place(spans, np.array([0, 2]), (9, 9, 11, 12)) == 2  # hidden: the next shown
    assert nav.follow_place(spans, np.array([], dtype=int), (0, 1, 0, 1)) is None


def test_the_window_moves_before_the_selection_reaches_its_edge():
    # rows [100, 300) of 1,000: a quarter of 200 rows is 50
    assert not nav.near_window_edge(100, 300, 1000, 200)
    assert not nav.near_window_edge(100, 300, 1000, 150)
    assert nav.near_window_edge(100, 300, 1000, 149)  # 49 rows from the top
    assert not nav.near_window_edge(100, 300, 1000, 249)  # 51 rows from the end
    assert nav.near_window_edge(100, 300, 1000, 250)
    assert nav.near_window_edge(100, 300, 1000, 99) and nav.near_window_edge(100, 300, 1000, 300)
    # the document's own ends are no edge to move from
    assert not nav.near_window_edge(0, 200, 1000, 0)
    assert not nav.near_window_edge(800, 1000, 1000, 999)
    assert not nav.near_window_edge(0, 3, 3, 1)


def test_the_view_is_sent_the_shown_ids_only_when_a_filter_hides_some():
    assert nav.ids_for_view(np.arange(5), 5) is None
    assert nav.ids_for_view(np.array([1, 3]), 5) == [1, 3]
    assert nav.ids_for_view(np.array([], dtype=np.int64), 0) is None
    assert nav.ids_for_view(np.array([], dtype=np.int64), 4) == []


@given(st.integers(0, 50), st.integers(1, 60), st.integers(0, 120), st.integers(-5, 130))
def test_near_window_edge_matches_a_slow_reference(start, size, extra, row):
    stop, n_rows = start + size, start + size + extra
    margin = max(1, int(size * nav.WINDOW_EDGE_SHARE))
    inside = set(range(start, stop))
    # rows the reader can step to before the window must move: not within `margin` of an
    # edge that has more rows behind it
    early = set(range(start, start + margin)) if start > 0 else set()
    late = set(range(stop - margin, stop)) if stop < n_rows else set()
    safe = inside - early - late
    assert nav.near_window_edge(start, stop, n_rows, row) == (row not in safe)
