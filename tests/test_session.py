"""What the page's events mean (viewer.session), driven over a plain dict as the session state
and plain event dicts as Streamlit leaves them: no Streamlit here."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from viewer import session
from viewer.align import align
from viewer.layout import layout_rows
from viewer.layout import window as rows_around
from viewer.loading import load_text
from viewer.navigation import kind_codes, type_codes


def pair(a: str = "one two", b: str = "one 2 two") -> session.Pair:
    return session.make_pair(load_text(a, "a.txt"), load_text(b, "b.txt"))


def started(**extra) -> dict:
    state: dict = {}
    session.init(state, pair, None)
    state.update(extra)
    return state


def with_nav(state: dict, kinds: list[str], shown: list[str] | None = None, **arrays) -> dict:
    """``_nav`` as the page leaves it for hunks of these kinds, ``shown`` kinds listed."""
    codes = kind_codes(kinds)
    ids = np.flatnonzero(np.isin(kinds, shown or ["missing", "substituted", "inserted"]))
    state["_nav"] = {"ids": ids, "kinds": codes, "total": len(kinds), "n_a": 100,
                     "types": type_codes(["word"] * len(kinds)),
                     "ta0": np.arange(len(kinds)) * 10, "a_paragraph": np.arange(len(kinds)) + 1,
                     **arrays}
    return state


# --- start and the pair shown -------------------------------------------------------------------


@pytest.mark.parametrize(("query", "selected"), [(None, 0), ("3", 2), ("0", 0), ("x", 0)])
def test_init_reads_the_diff_of_the_link(query, selected):
    state: dict = {}
    session.init(state, pair, query)
    assert state["selected"] == selected and state["mode"] == "Pair"
    assert state["pair"].a.text == "one two" and state["kinds"] == [
        "missing", "substituted", "inserted"]


def test_init_keeps_what_the_session_holds():
    mine = pair("mine", "yours")
    state = {"pair": mine, "selected": 7, "kinds": ["missing"]}
    session.init(state, lambda: pytest.fail("the example is not read again"), "2")
    assert state["pair"] is mine and state["selected"] == 7 and state["kinds"] == ["missing"]


def test_set_pair_replaces_one_side_and_starts_over():
    state = started(selected=4, window_anchor=9, load_error="old", diff_table={"x": 1})
    old = state["pair"]
    session.set_pair(state, b=load_text("other", "c.txt"))
    assert state["pair"].a is old.a and state["pair"].b.text == "other"
    assert state["pair"].key != old.key
    assert (state["selected"], state["window_anchor"], state["load_error"]) == (0, None, None)
    assert "diff_table" not in state


def test_the_pair_key_tells_the_sides_apart():
    assert pair("ab", "c").key != pair("a", "bc").key  # not the digest of the concatenation
    assert pair("x", "y").key == pair("x", "y").key


def test_an_upload_replaces_its_side():
    state = started(selected=3)
    state["upload_b"] = SimpleNamespace(name="new.txt", getvalue=lambda: b"fresh text")
    session.take_upload(state, "b")
    assert state["pair"].b.text == "fresh text" and state["pair"].b.name == "new.txt"
    assert state["pair"].a.text == "one two" and state["selected"] == 0


def test_a_bad_upload_keeps_the_pair_and_says_why():
    state = started(selected=3)
    before = state["pair"]
    state["upload_a"] = SimpleNamespace(name="empty.txt", getvalue=lambda: b"")
    session.take_upload(state, "a")
    assert state["pair"] is before and state["selected"] == 3
    assert "empty.txt is empty" in state["load_error"]


def test_a_removed_upload_changes_nothing():
    state = started(selected=3)
    before = dict(state)
    session.take_upload(state, "a")
    assert state == before


def test_paste():
    state = started()
    session.take_paste(state)
    assert state["load_error"].startswith("Paste an original")
    state.update(paste_a="", paste_b="pasted words")
    session.take_paste(state)
    assert state["pair"].a.text == "one two" and state["pair"].b.text == "pasted words"
    assert state["pair"].b.name == "pasted corrupted" and state["load_error"] is None


def test_swap():
    state = started()
    a, b = state["pair"].a, state["pair"].b
    session.swap(state)
    assert (state["pair"].a, state["pair"].b) == (b, a)


def test_the_example_pair():
    state = started(selected=4)
    session.swap(state)
    session.show_example(state, pair)
    assert state["pair"].a.text == "one two" and state["selected"] == 0


def test_each_mode_keeps_its_selection():
    state = started(selected=5)
    state["mode"] = "Corpus"
    session.switch_mode(state)
    assert state["selected"] == 0  # the corpus has shown nothing yet
    state["selected"] = 2
    state["mode"] = "Pair"
    session.switch_mode(state)
    assert state["selected"] == 5
    state["mode"] = "Corpus"
    session.switch_mode(state)
    assert state["selected"] == 2


# --- the selection ------------------------------------------------------------------------------


def test_select_and_reveal():
    state = started(window_anchor=4)
    session.select(state, None, reveal=True)
    assert state["selected"] == 0 and state["reveal"] == 0 and state["window_anchor"] == 4
    session.select(state, np.int64(3))
    assert state["selected"] == 3 and type(state["selected"]) is int
    assert state["window_anchor"] is None and state["reveal"] == 0
    session.select(state, 1, reveal=True)
    assert state["reveal"] == 1


@pytest.mark.parametrize(("selected", "total", "expected"),
                         [(2, 5, 2), (9, 5, 4), (-1, 5, 0), (None, 5, 0), (3, 0, None)])
def test_current_selection_lies_within_the_alignment(selected, total, expected):
    state = started(selected=selected)
    assert session.current_selection(state, total) == expected == state["selected"]


def test_set_navigation_keeps_what_the_callbacks_read():
    data = {"kinds": kind_codes(["missing", "inserted"]), "types": type_codes(["word", "copy"]),
            "ta0": np.array([2, 8]),
            "a_paragraph": np.array([1, 3])}
    state = started()
    session.set_navigation(state, data, np.array([1]), 40)
    nav = state["_nav"]
    assert nav["ids"].tolist() == [1] and nav["n_a"] == 40 and nav["total"] == 2
    assert nav["ta0"] is data["ta0"] and nav["a_paragraph"] is data["a_paragraph"]


def test_hiding_the_selected_kind_moves_to_the_next_shown():
    kinds = ["missing", "inserted", "missing", "substituted"]
    state = with_nav(started(selected=1), kinds)
    state["kinds"] = ["missing", "substituted"]
    session.keep_on_shown(state)
    assert state["selected"] == 2
    state["kinds"] = ["missing", "inserted"]
    session.keep_on_shown(state)  # still shown: stays
    assert state["selected"] == 2
    state["selected"] = 3
    state["kinds"] = ["missing"]
    session.keep_on_shown(state)  # none after it: the last shown
    assert state["selected"] == 2


def test_hiding_the_selected_type_moves_to_the_next_shown():
    kinds = ["missing", "inserted", "missing", "substituted"]
    state = with_nav(started(selected=1), kinds,
                     types=type_codes(["word", "case", "punctuation", "word"]))
    state["types"] = ["word", "copy"]
    session.keep_on_shown(state)
    assert state["selected"] == 3
    state["_nav"]["ids"] = session.shown_ids(state, state["_nav"])  # as the next run leaves it
    assert state["_nav"]["ids"].tolist() == [0, 3]  # what the view steps among
    state["kinds"] = ["inserted"]  # both filters together: nothing shown, nothing moves
    session.keep_on_shown(state)
    assert state["selected"] == 3


def test_presets_set_the_options_and_the_first_measure():
    state = started(selected=5)
    assert state["preset"] == "Text" and state["ignore_case"] is False
    assert state["mark_letters"] is True and session.first_measure(state) == "wer"
    state["preset"] = "OCR"
    session.apply_preset(state)
    assert state["strict_typography"] is True and state["ignore_case"] is False
    assert session.first_measure(state) == "cer" and state["selected"] == 0
    state["preset"] = "ASR"
    session.apply_preset(state)
    assert state["ignore_case"] is True and state["strict_typography"] is False
    assert state["mark_letters"] is False and session.first_measure(state) == "wer"
    # Ignore punctuation only where the aligner has the option
    assert state.get("ignore_punctuation") is ({True} if "ignore_punctuation" in
                                               session.OPTION_KEYS else {None}).pop()
    assert session.align_options(state) == tuple(
        key != "strict_typography" for key in session.OPTION_KEYS)


def test_tick_options_turns_on_only_options_the_page_offers():
    state = started(selected=3)
    session.tick_options(state, ("ignore_case", "no_such_option"))
    assert state["ignore_case"] is True and "no_such_option" not in state
    assert state["selected"] == 0


def test_the_address_names_the_selection_one_based():
    params = {"other": "x"}
    session.link_selection(params, 0)
    assert params == {"other": "x", "diff": "1"}
    session.link_selection(params, 79)
    assert params["diff"] == "80"
    session.link_selection(params, None)
    assert params == {"other": "x"}
    session.link_selection(params, None)  # nothing to take away


# --- events -------------------------------------------------------------------------------------


def test_event_reads_dicts_and_attributes():
    state = {"a": {"select": 1}, "b": SimpleNamespace(select=2), "c": {"other": 3}}
    assert [session.event(state, k, "select") for k in "abcd"] == [1, 2, None, None]


def test_each_view_event_is_applied_once():
    state = started()
    assert session.fresh(state, {"nonce": 5})
    assert not session.fresh(state, {"nonce": 5})  # the same event, in a rerun
    assert not session.fresh(state, {"nonce": 4})
    assert not session.fresh(state, {"id": 1}) and not session.fresh(state, None)
    assert session.fresh(state, {"nonce": 5.5})


def test_a_selection_made_in_the_view_selects_an_existing_difference():
    state = with_nav(started(), ["missing"] * 5)
    state["viewer"] = {"select": {"id": 3, "seq": 1}}
    session.view_selected(state)
    assert state["selected"] == 3 and state["reveal"] == 0  # made in the view: in sight
    state["viewer"] = {"select": {"id": 9, "seq": 2}}  # no such difference
    session.view_selected(state)
    assert state["selected"] == 3
    state["viewer"] = {"select": {"id": "2", "seq": 3}}
    session.view_selected(state)
    assert state["selected"] == 3
    # each is acknowledged, applied or not: the view stops waiting for it
    assert session.view_ack(state) == 3


def test_a_selection_from_the_view_is_applied_once_and_never_after_a_newer_one():
    state = with_nav(started(), ["missing"] * 5)
    assert session.view_ack(state) == 0
    state["viewer"] = {"select": {"id": 4, "seq": 20}}
    session.view_selected(state)
    assert state["selected"] == 4 and session.view_ack(state) == 20
    session.select(state, 1, reveal=True)  # then a pick in the list
    session.view_selected(state)  # a rerun sees the same event again: nothing changes
    assert state["selected"] == 1
    state["viewer"] = {"select": {"id": 2, "seq": 19}}  # an older move, arriving late
    session.view_selected(state)
    assert state["selected"] == 1 and session.view_ack(state) == 20
    state["viewer"] = {"select": {"id": 2}}  # no seq: not an event of the view
    session.view_selected(state)
    assert state["selected"] == 1


def test_the_rows_are_sent_once_until_the_view_loses_them():
    state = started()
    made = []

    def render():
        made.append(1)
        return "<rows>"

    rev, html = session.rows_to_send(state, ("pair", 0, 200), render)
    assert html == "<rows>"
    assert session.rows_to_send(state, ("pair", 0, 200), render) == (rev, None)
    other, html = session.rows_to_send(state, ("pair", 50, 250), render)
    assert other != rev and html == "<rows>"
    session.view_lost(state)  # mounted anew, without them
    assert session.rows_to_send(state, ("pair", 50, 250), render) == (other, "<rows>")
    assert len(made) == 3


def test_the_view_window_follows_the_selection_and_grows_on_request():
    # 1,000 lines, one row each, a difference on every tenth: hunk k is on row 10 k
    al = align("".join(f"line {i} words here\n" for i in range(1000)),
               "".join(f"line {i} {'changed' if i % 10 == 0 else 'words'} here\n"
                       for i in range(1000)))
    layout = layout_rows(al)
    state = started(selected=0)
    first = session.view_window(state, "k", layout, 0)
    assert first == rows_around(layout, 0) == (0, 200)
    assert state["_window"] == ("k", 0, 200, 1000)
    assert session.view_window(state, "k", layout, 14) == first  # row 140: well inside
    # row 160: within a quarter of the window from its end, the window moves ahead of it
    assert session.view_window(state, "k", layout, 16) == rows_around(layout, 160)
    assert session.view_window(state, "k", layout, 99) == rows_around(layout, 990)
    session.view_window(state, "k", layout, 0)
    assert session.view_window(state, "other", layout, 0) == first  # another pair: around it
    state["viewer"] = {"more": {"dir": 1, "nonce": 1}}
    session.view_wants_more(state)  # scrolled to the bottom of rows 0..200
    assert session.view_window(state, "other", layout, 0) == (200, 400)
    session.select(state, 1)  # a new selection lets go of the anchor
    assert state["window_anchor"] is None
    assert session.view_window(state, "other", layout, 1) == (0, 200)


def test_a_row_of_the_list_selects_its_difference_and_reveals_it():
    state = started(_table_ids=np.array([5, 6, 9]))
    state["diff_table"] = {"selection": {"rows": [2]}}
    session.list_picked(state)
    assert state["selected"] == 9 and state["reveal"] == 1
    state["diff_table"] = {"selection": {"rows": [3]}}
    session.list_picked(state)
    assert state["selected"] == 9


def test_a_click_on_any_cell_of_the_list_selects_its_row():
    state = started(_table_ids=np.array([5, 6, 9]))
    # the selection's row stays marked; the cell clicked is the new choice
    state["diff_table"] = {"selection": {"rows": [2], "cells": [[1, "a_text"]]}}
    session.list_picked(state)
    assert state["selected"] == 6 and state["reveal"] == 1
    state["diff_table"] = {"selection": {"rows": [], "cells": [[0, "kind"]]}}
    session.list_picked(state)
    assert state["selected"] == 5
    state["diff_table"] = {"selection": {"rows": [], "cells": [[7, "kind"]]}}  # not a row
    session.list_picked(state)
    assert state["selected"] == 5


def test_the_density_chart_jumps_into_the_range_or_to_the_nearest():
    # hunks at original tokens 0, 10, 20, 30 of 100
    state = with_nav(started(), ["missing"] * 4)
    state["density"] = {"selection": {"brush": {"start": [0.25, 0.15]}}}
    session.density_picked(state)  # tokens 15..25: the one at 20
    assert state["selected"] == 2 and state["reveal"] == 1
    state["density"] = {"selection": {"pick": [{"token_start": 50, "token_end": 60}]}}
    session.density_picked(state)  # nothing there: the nearest to 55
    assert state["selected"] == 3
    state["density"] = {"selection": {}}
    session.density_picked(state)
    assert state["selected"] == 3 and state["reveal"] == 2


def test_a_paragraph_bar_selects_its_first_shown_difference():
    state = with_nav(started(), ["missing", "inserted", "inserted"], shown=["inserted"],
                     a_paragraph=np.array([2, 2, 3]))
    state["paragraphs"] = {"selection": {"para": [{"paragraph_start": 2, "paragraph_end": 2}]}}
    session.paragraph_picked(state)
    assert state["selected"] == 1


def test_keep_table_selection_writes_only_a_change():
    state = {"t": {"selection": {"rows": [1], "columns": [], "cells": []}}}
    kept = state["t"]
    session.keep_table_selection(state, "t", [1])
    assert state["t"] is kept
    session.keep_table_selection(state, "t", [])
    assert state["t"] == {"selection": {"rows": [], "columns": [], "cells": []}}
    session.keep_table_selection(state, "u", [])
    assert "u" not in state


def test_list_rows_follow_the_selection():
    state = started()
    ids = np.arange(0, 100, 2)  # 50 shown differences
    rows = session.list_rows(state, ids, 60, max_rows=10)
    assert rows.tolist() == list(range(50, 70, 2)) and state["_table_ids"] is rows
    assert state["diff_table"]["selection"]["rows"] == [5]  # difference 60 is the sixth row
    state["diff_table"] = {"selection": {"rows": [9]}}
    session.list_picked(state)
    assert state["selected"] == 68
    assert session.list_rows(state, ids, 61, max_rows=100).tolist() == ids.tolist()
    assert state["diff_table"]["selection"]["rows"] == []  # 61 is not shown: no row


@pytest.mark.parametrize(("selected", "rows"), [(6, [1]), (7, []), (None, []), (99, [])])
def test_list_rows_selected(selected, rows):
    assert session.list_rows_selected(np.array([5, 6, 9]), selected) == rows


def test_a_pair_the_budget_refuses_falls_back_to_the_pair_shown_before():
    shown, big = object.__new__(session.Pair), object.__new__(session.Pair)
    object.__setattr__(shown, "key", "shown")
    object.__setattr__(big, "key", "big")
    state = {"_shown_pair": shown, "pair": big}
    assert session.fall_back(state, big, "too big", False, lambda s: None)
    assert state["pair"] is shown and state["load_error"] == "too big"
    # nothing shown before (or only the refused pair itself): nothing to fall back to
    assert not session.fall_back({"_shown_pair": big}, big, "too big", False, lambda s: None)
    assert not session.fall_back({}, big, "too big", False, lambda s: None)
    # from the corpus: back to the table, with the message there
    went_back = []
    state = {}
    assert session.fall_back(state, big, "too big", True, went_back.append)
    assert went_back == [state] and state["corpus_error"] == "too big"


def test_align_pair_passes_the_options_by_name():
    pair = session.make_pair(load_text("The FUND grew, fast."), load_text("The fund grew fast."))
    plain = session.align_pair(pair, (False, False, False))
    assert [pair.a.text[h.a[0]:h.a[1]] for h in plain.hunks] == ["FUND", ","]
    # OPTION_KEYS order: ignore case, ignore punctuation, strict typography
    assert session.OPTION_KEYS == ("ignore_case", "ignore_punctuation", "strict_typography")
    assert session.align_pair(pair, (True, True, False)).hunks == ()


def test_the_example_pair_is_the_seeds_decoded():
    pair = session.load_example()
    assert (pair.a.name, pair.b.name) == ("000_a77c86db7b5a1f59.txt", "001_39dbf1e82cca5920.txt")
    assert pair.a.encoding == "utf-8" and pair.a.text.startswith("WASHINGTON")
