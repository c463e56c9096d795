"""Rows in step (viewer/layout.py), the parts the renderer and the page build on: which
differences a window draws, and where a window moves when the reader asks for more rows.
(The rows themselves are tested through the HTML in test_render.py.)"""

from __future__ import annotations

from viewer.align import align
from viewer.layout import grown_window_anchor, hunks_in_rows, layout_rows, window


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
