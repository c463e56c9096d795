"""What the pair page reads off one alignment (viewer.page_data), on a tiny literal pair."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer import page_data
from viewer.align import align
from viewer.loading import load_text
from viewer.page_data import (
    chart_frames,
    chart_frames_by,
    move_partner,
    option_hint,
    option_offer_label,
    pair_metrics,
    source_marks,
    source_places,
    view_data,
)
from viewer.render.page import DETAIL_CHARS
from viewer.render.text import shorten

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
        {"id": 0, "kind": "inserted", "type": "word", "a_line": 2, "a_text": "", "b_text": "4"},
        {"id": 1, "kind": "inserted", "type": "word", "a_line": 4, "a_text": "",
         "b_text": "six"}]
    assert f["density"]["token_end"].max() == len(al.a)


def test_the_list_quotes_a_long_difference_shortened():
    # a whole paragraph missing: the list shows its first 159 characters and "…", line breaks
    # as ⏎, as shorten() shows the whole text
    paragraph = "\r\n".join(f"line {k} of the paragraph that went missing" for k in range(40))
    al = align(f"start\n{paragraph}\nend", "start\nend")
    row = chart_frames(al, view_data(al)["layout"])["table"].iloc[0]
    assert row["a_text"] == shorten(al.hunk_texts(al.hunks[0])[0])
    assert len(row["a_text"]) == 160 and row["a_text"].endswith("…")
    assert row["a_text"].startswith("line 0 of the paragraph that went missing ⏎ line 1")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab \r\n"), max_size=400), st.data())
def test_a_quote_read_from_a_prefix_is_the_whole_text_shortened(text, data):
    # the list reads at most QUOTE_CHARS + 1 characters of a difference: a cut one too soon,
    # or a CRLF split at the edge counted as two breaks, shows here
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert page_data._quote(text, start, end) == shorten(text[start:end])


def test_view_data_carries_types_and_error_rates():
    # "FUND" -> "fund" is case only; "alpha" -> "omega" a word
    d = view_data(align("the FUND grew alpha", "the fund grew omega"))
    assert d["types"].tolist() == [0, 7]  # case, word (index in TYPES)
    assert d["type_counts"]["case"] == 1 and d["type_counts"]["word"] == 1
    assert d["rates"]["wer"] == 0.5  # 2 of 4 words


def test_chart_frames_split_by_type():
    al = align("the FUND grew alpha", "the fund grew omega")
    f = chart_frames(al, view_data(al)["layout"])
    density, paragraphs = chart_frames_by(f, "type")
    assert set(density["type"]) >= {"case", "word"} and "kind" not in density
    assert paragraphs.groupby("type")["tokens"].sum()[["case", "word"]].tolist() == [2, 2]
    assert chart_frames_by(f, "kind")[0] is f["density"]


def test_metrics_lead_with_the_error_rate_the_preset_puts_first():
    d = view_data(align("one two three four", "one two three five"))
    labels = [m[0] for m in pair_metrics(d["stats"], d["rates"], "cer")]
    assert labels[:2] == ["CER", "WER"]
    wer = pair_metrics(d["stats"], d["rates"], "wer")
    assert wer[0][:2] == ("WER", "25.0%") and wer[1][0] == "CER"
    assert [m[0] for m in pair_metrics(d["stats"])][0] == "Original tokens"  # without rates


@pytest.mark.parametrize(("counts", "options", "keys"), [
    ({"case": 6, "punctuation": 0, "word": 4}, {"ignore_case": False}, ("ignore_case",)),
    ({"case": 3, "punctuation": 3, "word": 4},
     {"ignore_case": False, "ignore_punctuation": False}, ("ignore_case", "ignore_punctuation")),
    # punctuation alone, but the aligner has no such option: nothing to offer
    ({"case": 0, "punctuation": 9, "word": 1}, {"ignore_case": False}, ()),
    ({"case": 5, "punctuation": 0, "word": 5}, {"ignore_case": False}, ()),  # not most
    ({"case": 8, "punctuation": 0, "word": 1}, {"ignore_case": True}, ()),  # already on
    ({}, {"ignore_case": False}, ()),
])
def test_the_page_offers_to_ignore_case_or_punctuation_when_most_differences_are(
        counts, options, keys):
    message, offered = option_hint(counts, options)
    assert offered == keys
    assert bool(message) == bool(keys)
    if keys:
        n = counts["case"] + counts["punctuation"]
        assert message.startswith(f"{n} of the {sum(counts.values())} differences are only in "
                                  "case or punctuation (")


def test_offer_label():
    assert option_offer_label(("ignore_case",)) == "Ignore case"
    assert option_offer_label(("ignore_case", "ignore_punctuation")) == (
        "Ignore case and punctuation")


def test_a_copy_has_its_sources_with_lines_rows_and_context():
    a = "Officials in the Kremlin said so.\nThe army will help."
    al = align(a, "Officials in the Kremlin said so.\nThe army the Kremlin will help.")
    (h,) = al.hunks
    assert al.types[h.id] == "copy"
    layout = view_data(al)["layout"]
    (place,) = source_places(al, layout, h.id)
    assert a[place.start:place.end] == place.match == "the Kremlin"
    assert place.line == 1 and place.row == 0
    assert place.before == "Officials in " and place.after == " said so."  # its own line only
    assert [m[:2] for m in source_marks(al, h.id)] == [(place.start, place.end)]
    assert 'data-source-of="0" data-source="0"' in source_marks(al, h.id)[0][2]
    assert source_places(al, layout, None) == [] and source_marks(al, None) == []


def test_a_move_names_its_partner():
    moved = "Nobody in the capital expected the vote to pass at all today."
    al = align(f"{moved} The army will help. The navy stays home.",
               f"The army will help. The navy stays home. {moved}")
    first, second = al.hunks
    assert move_partner(al, first.id)[0] == second.id
    assert move_partner(al, second.id)[0] == first.id
    assert f"#{second.id + 1}" in move_partner(al, first.id)[1]
    # a move is not a copy: no sources outlined
    assert source_marks(al, first.id) == []


def test_table_height_fits_short_tables_and_caps_long_ones():
    # a header of 38 px and 35 px a row; an empty table keeps room for one row
    assert page_data.table_height(0, 420) == 73 and page_data.table_height(2, 420) == 108
    assert page_data.table_height(10_000, 420) == 420


def test_view_payload_sends_the_rows_once_and_the_selection_every_time():
    from viewer import session
    from viewer.loading import load_text

    pair = session.make_pair(load_text("one two three", "a.txt"),
                             load_text("one 2 three four", "b.txt"))
    state: dict = {}
    session.init(state, lambda: pair, None)
    al = align(pair.a.text, pair.b.text)
    data = page_data.view_data(al)
    ids = np.arange(len(al.hunks))
    first = page_data.view_payload(state, al, data, ("a.txt", "b.txt"), 0, ids, "k", alone=True)
    assert first["html"] and 'data-hunk="0"' in first["html"] and 'data-hunk="1"' in first["html"]
    assert (first["selected"], first["total"], first["complete"]) == (0, 2, False)
    # the next difference, same window: the component has the rows, only the selection moves
    again = page_data.view_payload(state, al, data, ("a.txt", "b.txt"), 1, ids, "k")
    assert again["html"] is None and again["rev"] == first["rev"]
    assert (again["selected"], again["complete"]) == (1, True)
    # another pair or options (another window key): the rows again
    other = page_data.view_payload(state, al, data, ("a.txt", "b.txt"), 1, ids, "k2")
    assert other["html"] and other["rev"] != first["rev"]


def test_recent_buttons_escape_the_names_and_disable_the_pair_shown():
    from viewer.session import RecentPair

    entries = [RecentPair("id1", ("*a*.txt", "b.txt"), 1000.0),
               RecentPair("id2", ("c.txt", "d.txt"), 1000.0 - 7200)]
    buttons = page_data.recent_buttons(entries, 1000.0, shown="id2")
    # Markdown's marks escaped: the name shows as typed, never as emphasis
    assert buttons == [(r"\*a\*\.txt ↔ b\.txt · just now", "id1", False),
                       (r"c\.txt ↔ d\.txt · 2 h ago", "id2", True)]
    assert [disabled for *_, disabled in page_data.recent_buttons(entries, 1000.0, None)] == [
        False, False]


def test_corpus_chart_frames_leave_out_what_has_nothing_to_chart():
    import pandas as pd

    # no pair aligned: neither chart, none counted
    failed = pd.DataFrame({"corruption_rate": [float("nan")] * 2, "error": ["bad", "worse"]})
    assert page_data.corpus_chart_frames(failed, failed) == (None, None, 0)
    # rates of two pairs, the filter shows the one that failed: its bars count all and none shown
    frame = pd.DataFrame({"corruption_rate": [0.1, float("nan")], "error": [None, "bad"]})
    hist, density, aligned = page_data.corpus_chart_frames(frame, frame.iloc[[1]])
    assert (hist["pairs"].sum(), hist["shown"].sum()) == (1, 0)
    assert density is None and aligned == 0


def test_filter_labels_name_the_kind_or_type_and_count_its_differences():
    assert page_data.filter_label({"missing": 1234}, "missing") == "Missing 1,234"
    assert page_data.filter_label({"copy": 0, "case": 3}, "copy") == "Copy 0"


def test_the_detail_panel_of_a_substitution_a_copy_and_a_move():
    al = align("one two three", "one 2 three")
    (h,) = al.hunks
    panel = page_data.detail_panel(al, view_data(al), h.id)
    assert "#1" in panel.lines[0] and 'data-type="' in panel.lines[1]
    assert [(label, cut) for label, _, cut in panel.boxes] == [("Original", None),
                                                               ("Corrupted", None)]
    assert "two" in panel.boxes[0][1] and "2" in panel.boxes[1][1] and panel.absent is None
    assert panel.chars is not None and panel.sources == [] and panel.partner is None
    # a copy: one side only, no character comparison, the place it was copied from
    a = "Officials in the Kremlin said so.\nThe army will help."
    al = align(a, "Officials in the Kremlin said so.\nThe army the Kremlin will help.")
    panel = page_data.detail_panel(al, view_data(al), 0)
    assert [label for label, _, _ in panel.boxes] == ["Corrupted"] and panel.absent
    assert panel.chars is None
    ((html, row),) = panel.sources
    assert row == 0 and "Copied from" in html and "<mark>the Kremlin</mark>" in html
    # a move: its partner and the line about it
    moved = "Nobody in the capital expected the vote to pass at all today."
    al = align(f"{moved} The army will help. The navy stays home.",
               f"The army will help. The navy stays home. {moved}")
    panel = page_data.detail_panel(al, view_data(al), 0)
    assert panel.partner == 1 and "#2" in panel.partner_line


def test_a_long_text_in_the_detail_panel_is_cut_and_says_so():
    long = " ".join(f"w{i}" for i in range(2000))
    al = align("start end", f"start {long} end")
    ((label, block, cut),) = page_data.detail_panel(al, view_data(al), 0).boxes
    text = al.hunk_texts(al.hunks[0])[1]
    assert len(text) > DETAIL_CHARS and "w1999" in text
    assert label == "Corrupted" and "w1999" not in block
    assert cut == f"{len(text):,} characters; the first {DETAIL_CHARS:,} are shown."


def test_the_sidebar_offers_downloads_once_there_is_something_to_download():
    al = align(A, B)
    docs = SimpleNamespace(a=load_text(A, "a.txt"), b=load_text(B, "b.txt"))
    keys = ["dl_csv", "dl_json", "dl_html"]
    assert page_data.sidebar_downloads(None, None) is None  # no heading either
    assert [d.key for d in page_data.sidebar_downloads(al, docs)] == keys
    # the corpus mode: a heading always, the summary's download when there is one
    assert page_data.sidebar_downloads(None, None, None, in_corpus=True) == []
    summary = object()
    assert [d.key for d in page_data.sidebar_downloads(al, docs, summary, in_corpus=True)] == [
        "dl_corpus_csv", *keys]


def test_the_filter_rows_and_the_selection_line():
    al = align(A, B)
    data = view_data(al)
    (kinds, types) = page_data.filter_rows(data)
    assert kinds[:2] == ("Show", "kinds") and kinds[3]["inserted"] == 2
    assert types[:2] == ("Types", "types") and sum(types[3].values()) == 2
    assert page_data.selection_line(al, data, None) is None
    assert "line 4" in page_data.selection_line(al, data, 1)  # "six", inserted on line 4


def test_the_list_scroller_is_given_the_selected_row_among_those_shown():
    # catches the selected difference's id sent as its row, or a row sent when it is not listed
    shown = np.array([4, 5, 9, 12])
    data = page_data.list_scroll_data("diff_table", shown, 9)
    assert (data["table"], data["row"], data["rows"]) == (".st-key-diff_table", 2, 4)
    assert page_data.list_scroll_data("diff_table", shown, 7)["row"] is None
    assert page_data.list_scroll_data("diff_table", shown, None)["row"] is None
    # the key follows the rows, not the selection
    assert data["key"] == page_data.list_scroll_data("diff_table", shown, 12)["key"]
    assert data["key"] != page_data.list_scroll_data("diff_table", shown[1:], 9)["key"]
