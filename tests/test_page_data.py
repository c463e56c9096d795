"""What the pair page reads off one alignment (viewer.page_data), on a tiny literal pair."""

from __future__ import annotations

from viewer.align import align
from viewer.page_data import chart_frames, view_data

# two insertions: "4" on line 2 (paragraph 1), "six" on line 4 (paragraph 2, after a blank line)
A = "one two\nthree four\n\nfive"
B = "one two\nthree 4 four\n\nfive six"


def test_view_data_places_each_difference():
    d = view_data(align(A, B))
    assert d["kinds"].tolist() == [2, 2]  # inserted, inserted (index in KINDS)
    assert d["ta0"].tolist() == [3, 5]    # before "four", after "five"
    assert d["a_line"].tolist() == [2, 4]
    assert d["b_line"].tolist() == [2, 4]
    assert d["a_paragraph"].tolist() == [1, 2]
    assert d["stats"]["hunks"] == {"missing": 0, "substituted": 0, "inserted": 2}
    assert len(d["layout"]) >= 1


def test_view_data_of_a_pair_without_differences():
    d = view_data(align("same text", "same text"))
    assert len(d["kinds"]) == len(d["a_line"]) == 0


def test_chart_frames_list_each_difference_once():
    al = align(A, B)
    f = chart_frames(al, view_data(al)["layout"])
    assert f["table"].to_dict("records") == [
        {"id": 0, "kind": "inserted", "a_line": 2, "a_text": "", "b_text": "4"},
        {"id": 1, "kind": "inserted", "a_line": 4, "a_text": "", "b_text": "six"}]
    assert f["density"]["token_end"].max() == len(al.a)
