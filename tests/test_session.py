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


def uploaded(state: dict, side: str, name: str, data: bytes) -> None:
    """A file put in side ``side``'s uploader, as Streamlit leaves it, and its callback."""
    state[session.uploader_key(state, side)] = SimpleNamespace(name=name, getvalue=lambda: data)
    session.take_upload(state, side)


def test_an_upload_replaces_its_side_of_a_pair_of_ones_own():
    state = started()
    session.set_pair(state, load_text("mine", "m.txt"), load_text("yours", "y.txt"))
    state["selected"] = 3
    uploaded(state, "b", "new.txt", b"fresh text")
    assert state["pair"].b.text == "fresh text" and state["pair"].b.name == "new.txt"
    assert state["pair"].a.text == "mine" and state["selected"] == 0


def test_over_the_example_one_side_waits_for_the_other():
    state = started(selected=3)
    example = state["pair"]
    uploaded(state, "a", "orig.txt", b"alpha beta")
    # never compared with the example's corrupted text: the example stays, the original waits
    assert state["pair"] is example and state["selected"] == 3
    assert session.waiting_for(state) == "b" and state["half_upload"]["a"].text == "alpha beta"
    assert "add the corrupted text" in session.WAITING_FOR[session.waiting_for(state)]
    uploaded(state, "b", "corr.txt", b"alpha gamma")
    assert (state["pair"].a.text, state["pair"].b.text) == ("alpha beta", "alpha gamma")
    assert session.waiting_for(state) is None and not state["example_shown"]


def test_a_half_upload_removed_from_its_uploader_is_forgotten():
    state = started()
    uploaded(state, "b", "corr.txt", b"alpha gamma")
    assert session.waiting_for(state) == "a"
    state[session.uploader_key(state, "b")] = None  # the uploader's file was removed
    session.take_upload(state, "b")
    assert session.waiting_for(state) is None and state["half_upload"] == {}


def test_a_bad_upload_keeps_the_pair_says_why_and_empties_its_uploader():
    state = started(selected=3)
    before = state["pair"]
    key = session.uploader_key(state, "a")
    uploaded(state, "a", "empty.txt", b"")
    assert state["pair"] is before and state["selected"] == 3
    assert "empty.txt is empty" in state["load_error"]
    # the refused file is not left listed: the uploader has a new key, and nothing under it
    assert session.uploader_key(state, "a") != key and key not in state
    assert session.uploader_key(state, "b") == "upload_b_0"  # the other side keeps its file


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
    session.take_paste(state)  # over the example, one side waits for the other
    assert state["pair"].b.text == "one 2 two" and session.waiting_for(state) == "a"
    state.update(paste_a="pasted original")
    session.take_paste(state)
    assert state["pair"].a.text == "pasted original" and state["pair"].b.text == "pasted words"
    assert state["pair"].b.name == "pasted corrupted" and state["load_error"] is None
    state.update(paste_a="", paste_b="other words")  # over one's own pair, one side replaces
    session.take_paste(state)
    assert state["pair"].a.text == "pasted original" and state["pair"].b.text == "other words"


def test_an_uploaded_side_completes_a_pasted_half():
    state = started(paste_a="pasted original")
    session.take_paste(state)
    uploaded(state, "b", "corr.txt", b"uploaded corrupted")
    assert state["pair"].a.text == "pasted original" and state["pair"].b.name == "corr.txt"


def test_swap():
    state = started()
    a, b = state["pair"].a, state["pair"].b
    session.swap(state)
    assert (state["pair"].a, state["pair"].b) == (b, a)


def test_the_example_pair():
    state = started(selected=4)
    session.set_pair(state, load_text("mine", "m.txt"), load_text("yours", "y.txt"))
    state[session.uploader_key(state, "a")] = "a listed file"
    session.show_example(state, pair)
    assert state["pair"].a.text == "one two" and state["selected"] == 0
    assert state["example_shown"] and state["pair_kept"] is None
    assert "a listed file" not in state.values()  # the uploaders no longer list that pair


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
            "ta0": np.array([2, 8]), "spans": np.array([[2, 5, 2, 2], [9, 9, 6, 10]]),
            "a_paragraph": np.array([1, 3])}
    state = started()
    session.set_navigation(state, data, np.array([1]), 40)
    nav = state["_nav"]
    assert nav["ids"].tolist() == [1] and nav["n_a"] == 40 and nav["total"] == 2
    assert nav["ta0"] is data["ta0"] and nav["a_paragraph"] is data["a_paragraph"]
    assert nav["spans"] is data["spans"]


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
        key in ("ignore_case", "ignore_punctuation") for key in session.OPTION_KEYS)


def test_presets_leave_historical_typography_as_the_user_set_it():
    state = started()
    assert state["fold_historical"] is False  # off on a fresh page
    state["fold_historical"] = True
    for name in ("OCR", "ASR", "Text"):
        state["preset"] = name
        session.apply_preset(state)
        assert state["fold_historical"] is True, name


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
    plain = session.align_pair(pair, (False, False, False, False))
    assert [pair.a.text[h.a[0]:h.a[1]] for h in plain.hunks] == ["FUND", ","]
    # OPTION_KEYS order: ignore case, ignore punctuation, strict typography, historical
    assert session.OPTION_KEYS == ("ignore_case", "ignore_punctuation", "strict_typography",
                                   "fold_historical")
    assert session.align_pair(pair, (True, True, False, False)).hunks == ()
    old = session.make_pair(load_text("Na\uf502 dem ſturm"), load_text("Nach dem sturm"))
    assert len(session.align_pair(old, (False, False, False, False)).hunks) == 1
    assert session.align_pair(old, (False, False, False, True)).hunks == ()


def test_the_example_pair_is_the_seeds_decoded():
    pair = session.load_example()
    assert (pair.a.name, pair.b.name) == ("000_a77c86db7b5a1f59.txt", "001_39dbf1e82cca5920.txt")
    assert pair.a.encoding == "utf-8" and pair.a.text.startswith("WASHINGTON")


# --- options and Swap keep the place ------------------------------------------------------------


def drawn(state: dict, al) -> dict:
    """What a page run leaves for the callbacks after drawing ``al`` (with ``settle_place``
    first, as the page does)."""
    from viewer.page_data import view_data

    data = view_data(al)
    session.settle_place(state, data)
    session.set_navigation(state, data, session.shown_ids(state, data), len(al.a))
    return data


def selected_texts(state: dict, al) -> tuple[str, str]:
    return al.hunk_texts(al.hunks[state["selected"]])


def test_ticking_ignore_case_keeps_the_selected_words():
    a, b = "The cat sat on the mat", "the cat sit on the mat"
    state = started(pair=pair(a, b))
    before = align(a, b)
    drawn(state, before)
    session.select(state, 1)
    assert selected_texts(state, before) == ("sat", "sit")  # 0 is the case-only The/the
    state["ignore_case"] = True
    session.keep_place(state)  # the checkbox's callback
    after = align(a, b, ignore_case=True)
    drawn(state, after)
    assert state["selected"] == 0 and selected_texts(state, after) == ("sat", "sit")


def test_the_example_keeps_its_selection_through_strict_typography(example_pair):
    state = started(pair=example_pair)
    default = session.align_pair(example_pair, (False, False, False, False))
    drawn(state, default)
    session.select(state, 30)
    assert selected_texts(state, default) == ("American-led", "")
    session.tick_options(state, ("strict_typography",))  # as the checkbox or a preset would
    strict = session.align_pair(example_pair, (False, False, True, False))
    drawn(state, strict)
    # two quote differences now come first: the same words are difference 32
    assert state["selected"] == 32 and selected_texts(state, strict) == ("American-led", "")


def test_a_difference_the_option_hides_gives_way_to_the_next_one():
    a, b = "one Two three four five", "one two three FOUR 5"
    state = started(pair=pair(a, b))
    before = align(a, b)
    drawn(state, before)
    assert [before.hunk_texts(h) for h in before.hunks] == [
        ("Two", "two"), ("four", "FOUR"), ("five", "5")]
    session.select(state, 1)
    session.tick_options(state, ("ignore_case",))
    after = align(a, b, ignore_case=True)
    drawn(state, after)
    assert selected_texts(state, after) == ("five", "5")  # FOUR is no difference any more


def test_a_preset_keeps_the_place_and_a_new_pair_starts_over():
    a, b = "The cat sat on the mat", "the cat sit on the mat"
    state = started(pair=pair(a, b))
    drawn(state, align(a, b))
    session.select(state, 1)
    state["preset"] = "ASR"
    session.apply_preset(state)
    asr = align(a, b, ignore_case=True, ignore_punctuation=True)
    drawn(state, asr)
    assert selected_texts(state, asr) == ("sat", "sit")
    session.set_pair(state, b=load_text("other words", "c.txt"))
    assert "_place" not in state and state["selected"] == 0


def test_swap_keeps_the_selected_words_on_the_other_side():
    a, b = "a b c d e", "a x c d y"
    state = started(pair=pair(a, b))
    drawn(state, align(a, b))
    session.select(state, 1)
    session.swap(state)
    swapped = align(b, a)
    drawn(state, swapped)
    assert state["pair"].a.text == b
    assert selected_texts(state, swapped) == ("y", "e")


def test_an_option_before_anything_was_drawn_starts_at_the_first_difference():
    state = started(selected=3)
    session.keep_place(state)
    assert state["selected"] == 0 and "_place" not in state


@pytest.fixture(scope="module")
def example_pair():
    return session.load_example()

# --- pairs that last: the store, the link, the recent list --------------------------------------


def session_with(store) -> dict:
    """A new session of a page whose store is ``store`` (None: off)."""
    state: dict = {}
    session.use_store(state, store)
    return state


def opened(store, query: dict) -> dict:
    """A new session opened on a link with ``query`` (``pair``, ``diff``)."""
    state = session_with(store)
    session.open_link(state, query.get("pair"))
    session.init(state, pair, query.get("diff"))
    return state


def test_an_uploaded_pair_is_kept_and_its_link_reopens_it(tmp_path):
    from viewer.store import Store

    state = opened(Store(tmp_path, 10**6), {})
    uploaded(state, "a", "orig.txt", b"alpha beta gamma")
    uploaded(state, "b", "corr.txt", b"alpha BETA gamma delta")
    params: dict = {"diff": "2"}
    session.link_pair(params, state)
    assert params == {"diff": "2", "pair": state["pair"].id} and state["pair_kept"]
    # a reload, another browser, or a restarted server: a new session (and a new Store object)
    again = opened(Store(tmp_path, 10**6), params)
    assert again["pair"] == state["pair"] and again["selected"] == 1
    assert not again["example_shown"] and again["pair_missing"] is None


def test_an_unknown_id_is_said_never_swapped_for_the_example(tmp_path):
    from viewer.store import Store

    unknown = "0123456789abcdef" * 2
    state = opened(Store(tmp_path, 10**6), {"pair": unknown, "diff": "4"})
    assert state["pair_missing"] == unknown
    message = session.missing_message(state, store_off=False)
    assert unknown in message and "example pair" in message
    params = {"pair": unknown, "diff": "4"}
    session.link_pair(params, state)
    assert params["pair"] == unknown  # a reload says the same
    session.show_example(state, pair)  # the offer taken
    assert session.missing_message(state, store_off=False) is None
    session.link_pair(params, state)
    assert "pair" not in params  # the example needs no id


def test_a_hostile_id_is_not_repeated_in_the_message(tmp_path):
    from viewer.store import Store

    state = opened(Store(tmp_path, 10**6), {"pair": "<script>x</script>"})
    message = session.missing_message(state, store_off=False)
    assert message.startswith("No pair with the id is stored") and "script" not in message


def test_without_a_store_pairs_stay_in_the_session(tmp_path):
    state = opened(None, {})
    for n in range(session.SESSION_PAIRS + 2):
        session.set_pair(state, load_text(f"text {n}", f"a{n}.txt"), load_text("b", "b.txt"))
    params: dict = {}
    session.link_pair(params, state)
    assert params == {}  # no link: a new session could not open it
    recent = session.recent_pairs(state)
    assert [r.names[0] for r in recent] == [f"a{n}.txt" for n in range(6, 1, -1)]
    session.open_recent(state, recent[-1].id)
    assert state["pair"].a.name == "a2.txt" and state["pair_kept"] is None
    fresh = opened(None, {"pair": recent[0].id})
    assert fresh["pair_missing"] == recent[0].id
    assert "VIEWER_STORE=off" in session.missing_message(fresh, store_off=True)
    assert session.recent_pairs(fresh) == []


def test_a_pair_the_store_refuses_is_shown_with_a_note_and_no_link(tmp_path):
    from viewer.store import Store

    state = opened(Store(tmp_path, 50), {})
    session.set_pair(state, load_text("a" * 40, "a.txt"), load_text("b" * 40, "b.txt"))
    assert state["pair"].a.text == "a" * 40 and state["pair_kept"] is None
    assert "larger than the pair store's limit" in state["store_note"]
    params = {"pair": "stale"}
    session.link_pair(params, state)
    assert "pair" not in params


def test_the_link_follows_the_pair_shown(tmp_path):
    from viewer.store import Store

    state = opened(Store(tmp_path, 10**6), {})
    session.set_pair(state, load_text("one two", "a.txt"), load_text("one 2", "b.txt"))
    first = state["pair"].id
    session.swap(state)  # a new pair, kept too
    params: dict = {}
    session.link_pair(params, state)
    assert params["pair"] == state["pair"].id != first
    state["pair"] = pair("x", "y")  # shown by another path (the memory fallback): not linked
    session.link_pair(params, state)
    assert "pair" not in params


def test_corpus_mode_has_no_pair_link(tmp_path):
    from viewer.store import Store

    state = opened(Store(tmp_path, 10**6), {})
    session.set_pair(state, load_text("one two", "a.txt"), load_text("one 2", "b.txt"))
    state["mode"] = "Corpus"
    params = {"pair": state["pair"].id}
    session.link_pair(params, state)
    assert params == {}  # the corpus has a link of its own (?corpus=)


def test_recent_pairs_from_the_store_and_one_evicted(tmp_path):
    from viewer.store import Store

    store = Store(tmp_path, 10**6)
    other = opened(store, {})  # another session of the same server
    session.set_pair(other, load_text("theirs", "t.txt"), load_text("their", "u.txt"))
    state = opened(store, {})
    session.set_pair(state, load_text("mine", "m.txt"), load_text("my", "n.txt"))
    recent = session.recent_pairs(state)
    assert [r.names for r in recent] == [("m.txt", "n.txt"), ("t.txt", "u.txt")]
    session.open_recent(state, recent[1].id)
    assert state["pair"].a.text == "theirs" and state["pair_kept"] == recent[1].id
    session.open_recent(state, "f" * 32)
    assert "no longer stored" in state["load_error"] and state["pair"].a.text == "theirs"


def test_the_store_off_writes_nothing(tmp_path):
    from viewer import store

    found, problem = store.open_store({store.STORE_ENV: "off", store.DATA_DIR_ENV: str(tmp_path)})
    state = opened(found, {})
    uploaded(state, "a", "orig.txt", b"alpha beta")
    uploaded(state, "b", "corr.txt", b"alpha gamma")
    assert state["pair"].b.text == "alpha gamma" and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("ago", "label"), [
    (0, "just now"), (59, "just now"), (60, "1 min ago"), (3599, "59 min ago"),
    (3600, "1 h ago"), (86399, "23 h ago"), (86400, "1 day ago"), (3 * 86400, "3 days ago"),
    (-5, "just now"),  # another machine's clock a little ahead
])
def test_when_label(ago, label):
    assert session.when_label(1_000_000.0 - ago, 1_000_000.0) == label


def test_only_the_sessions_first_run_of_a_pair_is_bare():
    # bare only once: a second run (the view's ready rerun) draws the mode switch and filters
    state = started()
    assert session.first_paint_bare(state) is True
    assert session.first_paint_bare(state) is False
    # a first run in corpus mode (a link) draws its page whole
    corpus_first = started(mode=session.CORPUS)
    assert session.first_paint_bare(corpus_first) is False
    # a first run waiting for the other half draws the sidebar; the pair that then comes is not
    # bare either (the mode switch on screen does not vanish and come back)
    waiting = started()
    uploaded(waiting, "a", "orig.txt", b"alpha beta")
    assert session.first_paint_bare(waiting) is False
    uploaded(waiting, "b", "corr.txt", b"alpha gamma")
    assert session.pair_shown(waiting) and session.first_paint_bare(waiting) is False


def test_the_notice_without_a_pair_says_missing_link_or_waiting(tmp_path):
    from viewer.store import Store

    state = opened(Store(tmp_path, 10**6), {"pair": "0123456789abcdef" * 2})
    message, missing = session.wanted_notice(state, store_off=False)
    assert missing and message == session.missing_message(state, store_off=False)
    waiting = started()
    uploaded(waiting, "a", "orig.txt", b"alpha beta")
    assert session.wanted_notice(waiting, store_off=False) == (session.WAITING_FOR["b"], False)


def test_a_run_starts_on_the_link_pair_or_says_it_is_missing():
    # the session's own pairs stand for the store (off): a link to one reopens it, at its diff
    kept = pair("alpha beta", "alpha gamma")
    state: dict = {"_session_pairs": {kept.id: (kept, 0.0)}}
    params = {"pair": kept.id, "diff": "1"}
    session.start_run(state, params, None, pair)
    assert state["pair"] is kept and state["pair_kept"] == kept.id and state["mode"] == "Pair"
    assert state["corpus"] is None and params == {"pair": kept.id, "diff": "1"}
    # an id nobody keeps: no pair shown, the id stays in the address, the example is not swapped in
    state, params = {}, {"pair": "0" * 16}
    session.start_run(state, params, None, pair)
    assert state["pair_missing"] == "0" * 16 and not session.pair_shown(state)
    assert params == {"pair": "0" * 16}
    # no link: the example, and an address without a pair
    state, params = {}, {"pair": ""}
    session.start_run(state, params, None, pair)
    assert session.pair_shown(state) and state["pair"].a.name == "a.txt" and params == {}
