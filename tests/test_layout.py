"""Rows in step (viewer/layout.py), the parts the renderer and the page build on: which
differences a window draws, and where a window moves when the reader asks for more rows.
(The rows themselves are tested through the HTML in test_render.py.)"""

from __future__ import annotations

from array import array

from viewer.align import align
from viewer.layout import (
    Layout,
    grown_window_anchor,
    hunks_in_rows,
    layout_rows,
    unchanged_runs,
    window,
)


def test_hunks_in_rows_are_those_drawn_there():
    a = "\n".join(f"line {i} here" for i in range(10))
    b = a.replace("line 2 ", "LINE 2 ").replace("line 7 ", "LINE 7 ")
    al = align(a, b)
    layout = layout_rows(al)
    assert len(layout) == 10 and len(al.hunks) == 2
    assert list(hunks_in_rows(layout, 0, 2)) == []
    assert list(hunks_in_rows(layout, 2, 3)) == [0]
    assert list(hunks_in_rows(layout, 0, 10)) == [0, 1]
    assert list(hunks_in_rows(layout, 3, 7)) == []
    assert list(hunks_in_rows(layout, 7, 8)) == [1]


def test_hunks_in_rows_matches_the_layouts_own_rows():
    a = "\n".join(f"w{i} " * 5 for i in range(40))
    b = a.replace("w3 ", "x ").replace("w17 w17", "w17").replace("w30 ", "w30 extra ")
    al = align(a, b)
    layout = layout_rows(al)
    for start in range(len(layout)):
        for stop in range(start, len(layout) + 1):
            want = [h.id for h in al.hunks
                    if layout.hunk_first[h.id] < stop and layout.hunk_last[h.id] >= start]
            assert list(hunks_in_rows(layout, start, stop)) == want


def test_more_rows_moves_the_window_by_about_a_third():
    # window [100, 160) of 1,000 rows: later rows centre on 180, earlier rows on 60
    assert grown_window_anchor(100, 160, 1000, +1) == 180
    assert grown_window_anchor(100, 160, 1000, -1) == 60
    assert grown_window_anchor(950, 1000, 1000, +1) == 999  # not past the last row
    assert grown_window_anchor(10, 70, 1000, -1) == 0


def test_a_window_around_the_anchor_holds_it():
    a = "\n".join(f"line {i} here" for i in range(1000))
    al = align(a, a.replace("line 500 ", "LINE 500 "))
    layout = layout_rows(al)
    start, stop = window(layout, 180, max_rows=60)
    assert start <= 180 < stop and stop - start == 60


def test_unchanged_runs_are_the_rows_without_a_difference():
    # ten one-line rows, differences on lines 3 and 8 (rows 2 and 7)
    a = "\n".join(f"line {i} here" for i in range(10))
    al = align(a, a.replace("line 2 ", "LINE 2 ").replace("line 7 ", "LINE 7 "))
    layout = layout_rows(al)
    assert unchanged_runs(layout, 0, 10) == [(0, 2), (3, 7), (8, 10)]
    assert unchanged_runs(layout, 1, 9) == [(1, 2), (3, 7), (8, 9)]  # within the window only
    assert unchanged_runs(layout, 2, 3) == []
    # a row asked to stay open (e.g. it holds a copy's source) splits its run
    assert unchanged_runs(layout, 0, 10, keep=[4]) == [(0, 2), (3, 4), (5, 7), (8, 10)]


def test_a_difference_drawn_over_several_rows_keeps_all_of_them():
    # eight rows; difference 0 drawn in rows 2-4 (a huge region cut across rows), 1 in row 6
    rows = array("q", range(9))
    layout = Layout(rows, rows, rows, rows, array("q", range(1, 9)), array("q", [2, 6]),
                    array("q", [4, 6]))
    assert unchanged_runs(layout, 0, 8) == [(0, 2), (5, 6), (7, 8)]
    assert unchanged_runs(layout, 3, 8) == [(5, 6), (7, 8)]  # its later rows stay too
