"""Corpus mode of the page, driven by Streamlit's AppTest: the mode switch (Pair stays the
default and keeps its uploads contract), corpus uploads in every format, the table with its error
rows, filters and sort, a bad corpus that keeps what was shown, opening a pair side by side and
coming back to the table as it was.

AppTest cannot click a dataframe row or a chart bar, so ``select_row`` and ``pick_bar`` send the
widget state the browser would send (the browser test clicks for real)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import html_bodies, metric, step, view_data

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SEEDS = ROOT / "seeds"
A_TEXT = (SEEDS / "000_a77c86db7b5a1f59.txt").read_text(encoding="utf-8")
B_TEXT = (SEEDS / "001_39dbf1e82cca5920.txt").read_text(encoding="utf-8")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def corpus_zip() -> bytes:
    """Three good pairs of different corruption, and three bad ones."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("original/clean.txt", "one two three four five six seven eight")
        z.writestr("corrupted/clean.txt", "one two three four five six seven eight")
        z.writestr("original/light.txt", "one two three four five six seven eight")
        z.writestr("corrupted/light.txt", "one two THREE four five six seven eight")
        z.writestr("original/seed.txt", A_TEXT)
        z.writestr("corrupted/seed.txt", B_TEXT)
        z.writestr("original/picture.txt", "a fine original")
        z.writestr("corrupted/picture.txt", PNG)
        z.writestr("original/empty.txt", "some text")
        z.writestr("corrupted/empty.txt", "")
        z.writestr("original/alone.txt", "no partner")
    return buf.getvalue()


def start() -> AppTest:
    # a wait for the script run, not a speed bound: a busy machine is slow, not broken
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    at.run()  # the first run draws the view alone (see tests/test_app.py's start)
    assert not at.exception, at.exception
    return at


def to_corpus(at: AppTest) -> AppTest:
    at.segmented_control(key="mode").set_value("Corpus").run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    (uploader,) = [u for u in at.file_uploader if u.key == "corpus_upload"]
    uploader.set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest) -> pd.DataFrame:
    (df,) = [d for d in at.dataframe if d.key == "corpus_table"]
    return df.value


def _send(at: AppTest, key: str, value: dict) -> AppTest:
    """Run with one element's widget state as the browser would send it.

    AppTest has no public way to make a selection on a dataframe or a chart: writing the
    selection to ``at.session_state`` sets the state but runs no ``on_select`` callback (the
    browser's event is what runs it). So this one helper sends the widget state through
    AppTest's private ``_tree``/``_run``; everything else reads the public API."""
    (el,) = [el for el in at.get("dataframe") + at.get("vega_lite_chart")
             if el.key == key]
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = el.id
    state.string_value = json.dumps(value)
    at._run(states)
    assert not at.exception, at.exception
    return at


def select_row(at: AppTest, row: int | None, cell: bool = True) -> AppTest:
    """A click on a cell of ``row`` (or on its box), or ``None``: the selected box clicked off."""
    selection = {"rows": [], "columns": [], "cells": []}
    if row is not None and cell:
        selection["cells"] = [[row, "id"]]
    elif row is not None:
        selection["rows"] = [row]
    return _send(at, "corpus_table", {"selection": selection})


def pick_bar(at: AppTest, start: float | None, end: float | None = None) -> AppTest:
    """A click on the bar from ``start`` to ``end``; ``None``: a double-click letting it go."""
    picked = [] if start is None else [{"start": start, "end": end}]
    key = f"corpus_hist_{at.session_state.get('_hist_round', 0)}"
    return _send(at, key, {"selection": {"rate": picked}})


def plain(message: str) -> str:
    """A message as shown: messages are Markdown-escaped so that file names show literally."""
    return re.sub(r"\\(.)", r"\1", message)


# --- the mode switch ----------------------------------------------------------------------------


def test_pair_mode_is_the_default_and_keeps_its_contract():
    at = start()
    assert at.segmented_control(key="mode").value == "Pair"
    assert [u.label for u in at.file_uploader] == ["Original", "Corrupted"]
    step(at, 1)
    assert at.session_state.selected == 1

    to_corpus(at)
    # corpus mode: its own uploader only, and an invitation to try the example corpus
    assert [u.label for u in at.file_uploader] == ["Corpus file"]
    assert at.button(key="corpus_example_main").label == "Try an example corpus"
    assert "diff" not in at.query_params
    assert not at.dataframe

    at.segmented_control(key="mode").set_value("Pair").run()
    assert not at.exception
    assert [u.label for u in at.file_uploader] == ["Original", "Corrupted"]
    assert at.session_state.selected == 1  # the pair's selection came back with it
    assert view_data(at)["selected"] == 1


def test_the_example_corpus():
    at = to_corpus(start())
    at.button(key="corpus_example_main").click().run()
    assert not at.exception and not at.error
    assert metric(at, "Pairs") == "20"
    assert metric(at, "With errors") == "1"
    rows = table(at)
    assert len(rows) == 20
    # sorted by corruption rate, highest first, the pair without a rate last
    rates = rows["rate"].dropna().tolist()
    assert rates == sorted(rates, reverse=True) and rates[0] > 0.3
    assert rows["error"].iloc[-1] and "has no corrupted version" in rows["error"].iloc[-1]
    assert rows["rate"].min() == 0.0  # the re-tokenized passage: not corruption
    assert len(at.get("vega_lite_chart")) == 2  # rate histogram, density by position


# --- uploads ------------------------------------------------------------------------------------


def test_a_zip_corpus_with_bad_pairs():
    at = to_corpus(start())
    upload(at, "pairs.zip", corpus_zip())
    assert not at.error
    assert not at.progress  # the progress bar is gone when the table is there
    assert metric(at, "Pairs") == "6"
    assert metric(at, "Aligned") == "3"
    assert metric(at, "With errors") == "3"
    rows = table(at)
    assert list(rows.columns) == ["n", "id", "rate", "hunks", "missing", "substituted",
                                  "inserted", "tokens_a", "tokens_b", "encoding", "error"]
    by_id = rows.set_index("id")
    assert by_id.loc["clean.txt", "rate"] == 0 and by_id.loc["clean.txt", "hunks"] == 0
    assert by_id.loc["light.txt", "substituted"] == 1
    assert by_id.loc["seed.txt", "tokens_a"] > 1000
    assert "binary" in by_id.loc["picture.txt", "error"]
    assert "empty" in by_id.loc["empty.txt", "error"]
    assert "no corrupted version" in by_id.loc["alone.txt", "error"]
    assert pd.isna(by_id.loc["alone.txt", "rate"])
    # errors only: the error text moves next to the id
    at.segmented_control(key="corpus_show").set_value("Errors").run()
    assert sorted(table(at)["id"]) == ["alone.txt", "empty.txt", "picture.txt"]
    (df,) = [d for d in at.dataframe if d.key == "corpus_table"]
    assert list(df.column_order) == ["n", "id", "error", "encoding"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_tabular_corpora_with_their_own_column_names(fmt):
    records = [{"doc": "a", "clean": "alpha beta gamma delta", "noisy": "alpha beta gamma"},
               {"doc": "b", "clean": A_TEXT, "noisy": B_TEXT},
               {"doc": "c", "clean": "same words here", "noisy": "same words here"}]
    frame = pd.DataFrame.from_records(records)
    if fmt == "jsonl":
        data = "".join(json.dumps(r) + "\n" for r in records).encode()
    elif fmt == "csv":
        data = frame.to_csv(index=False).encode()
    else:
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        data = buf.getvalue()
    at = to_corpus(start())
    upload(at, f"pairs.{fmt}", data)
    # the default column names are not there: one error naming the columns it has
    (error,) = at.error
    assert "original" in error.value and "clean" in error.value
    assert not at.dataframe
    at.text_input(key="corpus_col_original").input("clean").run()
    at.text_input(key="corpus_col_corrupted").input("noisy").run()
    at.text_input(key="corpus_col_id").input("doc").run()
    assert not at.exception and not at.error
    rows = table(at)
    assert sorted(rows["id"]) == ["a", "b", "c"]
    assert rows.set_index("id").loc["a", "missing"] == 1


def test_a_bad_corpus_shows_an_error_and_keeps_the_corpus():
    at = to_corpus(start())
    upload(at, "pairs.zip", corpus_zip())
    at.text_input(key="corpus_search").input("t").run()
    before = table(at)
    metrics_before = [m.value for m in at.metric]
    for name, data, words in [("notes.txt", b"just some notes, not a corpus", "not a corpus"),
                              ("broken.zip", b"PK\x03\x04 not really a zip", "zip"),
                              ("nothing.zip", _zip({"readme.md": b"hello"}), "holds no pairs")]:
        upload(at, name, data)
        (error,) = at.error
        assert words in plain(error.value) and "Traceback" not in error.value
        assert "Still showing pairs.zip" in plain(error.value)
        assert [m.value for m in at.metric] == metrics_before
        pd.testing.assert_frame_equal(table(at), before)
        assert at.session_state.corpus_search == "t"
    # a good corpus afterwards clears the error
    at.button(key="corpus_example").click().run()
    assert not at.error and metric(at, "Pairs") == "20"


def test_hostile_names_stay_data():
    hostile = '<img src=x onerror=alert(1)> **bold** [x](javascript:alert(2))'
    at = to_corpus(start())
    upload(at, f"{hostile}.zip", _zip({f"original/{hostile}.txt": b"one two three",
                                      f"corrupted/{hostile}.txt": b"one 2 three"}))
    assert not at.error
    assert table(at)["id"].iloc[0] == f"{hostile}.txt"  # a dataframe cell: shown as text
    for body in html_bodies(at):
        assert "<img" not in body
    assert any("&lt;img src=x onerror=alert(1)&gt;" in body for body in html_bodies(at))
    for md in list(at.markdown) + list(at.caption):
        assert "onerror" not in md.value
    upload(at, f"{hostile}.txt", b"not a corpus")
    (error,) = at.error
    assert "\\*\\*bold\\*\\*" in error.value and "\\[x\\]" in error.value


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# --- the table: filter, sort, histogram ---------------------------------------------------------


def test_filter_and_sort():
    at = to_corpus(start())
    at.button(key="corpus_example_main").click().run()
    at.text_input(key="corpus_search").input("sample-1").run()
    assert sorted(table(at)["id"]) == [f"sample-{k}.txt" for k in range(10, 20)]
    at.selectbox(key="corpus_sort").set_value("Id").run()
    at.toggle(key="corpus_desc").set_value(False).run()
    assert list(table(at)["id"]) == [f"sample-{k}.txt" for k in range(10, 20)]
    at.text_input(key="corpus_search").input("").run()
    at.slider(key="corpus_rate").set_value((0, 0)).run()  # equal ends: exactly 0 %
    assert list(table(at)["id"]) == ["sample-02.txt"]
    at.slider(key="corpus_rate").set_value((10, 20)).run()
    rates = table(at)["rate"]
    assert len(rates) and rates.between(0.10, 0.20, inclusive="left").all()
    at.segmented_control(key="corpus_show").set_value("Errors").run()
    assert table(at).empty  # errors have no rate: only the full range lists them
    at.button(key="corpus_reset").click().run()
    assert len(table(at)) == 20 and at.session_state.corpus_show == "All"
    assert at.button(key="corpus_reset").disabled


def test_a_histogram_bar_filters_the_table():
    at = to_corpus(start())
    at.button(key="corpus_example_main").click().run()
    pick_bar(at, 0.3, 0.32)
    assert tuple(at.session_state.corpus_rate) == (30, 32)
    rates = table(at)["rate"]
    assert len(rates) and rates.between(0.30, 0.32, inclusive="left").all()
    pick_bar(at, None)  # let go
    assert tuple(at.session_state.corpus_rate) == (0, 100) and len(table(at)) == 20
    pick_bar(at, 0.3, 0.32)
    at.button(key="corpus_reset").click().run()  # the reset lets go of the bar too
    assert len(table(at)) == 20
    pick_bar(at, 0.3, 0.32)  # ... so the same bar counts again
    assert tuple(at.session_state.corpus_rate) == (30, 32)


# --- a pair of the corpus, side by side ---------------------------------------------------------


def test_open_a_pair_and_come_back_to_the_table_as_it_was():
    at = to_corpus(start())
    at.button(key="corpus_example_main").click().run()
    at.text_input(key="corpus_search").input("sample-1").run()
    at.selectbox(key="corpus_sort").set_value("Differences").run()
    order = list(table(at)["id"])
    select_row(at, 2)
    # the pair view: the same view, metrics and navigation as Pair mode
    assert at.session_state.corpus_open is not None
    assert not at.dataframe or all(d.key != "corpus_table" for d in at.dataframe)
    assert at.button(key="corpus_back").label == "Back to corpus"
    html = view_data(at)["html"]
    assert 'data-kind="' in html and view_data(at)["selected"] == 0
    assert f"original/{order[2]}" in html
    assert [b.label for b in at.button][:3] == ["Back to corpus", "Pair above", "Pair below"]
    assert not at.button(key="corpus_above").disabled
    assert any(f"<b>{order[2]}</b>" in body and "row <b>3</b> of 10" in body
               for body in html_bodies(at))
    assert at.query_params.get("diff") in ("1", ["1"])
    step(at, 1)
    assert at.session_state.selected == 1
    at.button(key="corpus_below").click().run()  # the next pair in the table's order
    assert f"original/{order[3]}" in view_data(at)["html"]

    at.button(key="corpus_back").click().run()
    assert not at.exception
    assert "diff" not in at.query_params
    # filter and sort as they were; the pair last opened is the selected row
    assert at.session_state.corpus_search == "sample-1"
    assert at.text_input(key="corpus_search").value == "sample-1"
    assert at.selectbox(key="corpus_sort").value == "Differences"
    assert list(table(at)["id"]) == order
    assert at.session_state.corpus_table["selection"]["rows"] == [3]
    # the box of the selected row clicked off: nothing selected, nothing opened
    select_row(at, None)
    assert at.session_state.corpus_open is None and at.session_state.corpus_picked is None
    # a click on the box of a row opens it too
    select_row(at, 0, cell=False)
    assert f"original/{order[0]}" in view_data(at)["html"]
    assert at.button(key="corpus_above").disabled


def test_a_bad_pair_does_not_open():
    at = to_corpus(start())
    at.button(key="corpus_example_main").click().run()
    rows = table(at)
    bad = int(rows.index[rows["error"] != ""][0])
    select_row(at, bad)
    assert at.session_state.corpus_open is None
    (error,) = at.error
    assert "sample-20.txt cannot be opened" in plain(error.value)
    assert len(table(at)) == 20


def test_switching_modes_keeps_the_open_pair_and_the_pair_of_pair_mode():
    at = start()
    pair_key = at.session_state.pair.key
    to_corpus(at)
    at.button(key="corpus_example_main").click().run()
    select_row(at, 0)
    assert at.session_state.corpus_open is not None
    at.segmented_control(key="mode").set_value("Pair").run()
    assert at.session_state.pair.key == pair_key  # the example pair, untouched
    assert [u.label for u in at.file_uploader] == ["Original", "Corrupted"]
    to_corpus(at)
    assert at.button(key="corpus_back")  # the open pair is still open


def test_options_apply_to_the_corpus():
    at = to_corpus(start())
    upload(at, "pairs.zip", corpus_zip())
    assert table(at).set_index("id").loc["light.txt", "substituted"] == 1
    at.checkbox(key="ignore_case").check().run()
    assert not at.exception
    assert table(at).set_index("id").loc["light.txt", "substituted"] == 0


def test_an_upload_that_needs_its_columns_named_over_a_shown_corpus():
    at = to_corpus(start())
    at.button(key="corpus_example_main").click().run()
    upload(at, "other.csv", b"doc,clean,noisy\nx,one two three,one 2 three\n")
    (error,) = at.error
    assert "Still showing example-corpus.zip" in plain(error.value)
    assert metric(at, "Pairs") == "20"
    at.text_input(key="corpus_col_original").input("clean").run()
    assert len(at.error) == 1  # the corrupted column is still not named
    at.text_input(key="corpus_col_corrupted").input("noisy").run()
    assert not at.error
    assert metric(at, "Pairs") == "1" and table(at)["id"].tolist() == ["1"]


# --- the chart builders -------------------------------------------------------------------------


def test_rate_histogram_frame_and_chart():
    from viewer.charts import RATE_PICK, corpus_density_chart, rate_histogram, rate_histogram_frame
    from viewer.corpus import density_summary, summarize_corpus

    rates = pd.Series([0.0, 0.013, 0.05, 0.2, None, 0.2])
    bars = rate_histogram_frame(rates, rates.iloc[:3])
    assert bars["start"].iloc[1] == 0.01 and bars["end"].iloc[-1] == 0.21  # 1 % bars to 20 %
    assert bars["pairs"].sum() == 5 and bars["shown"].sum() == 3  # no rate: not counted
    assert bars.loc[bars["start"] == 0.2, "pairs"].item() == 2
    wide = rate_histogram_frame(pd.Series([0.0, 0.5, 1.0]))
    assert len(wide) == 20 and wide["end"].iloc[-1] == 1.0 and wide["pairs"].iloc[-1] == 1
    assert rate_histogram_frame(pd.Series([], dtype=float))["pairs"].sum() == 0

    spec = rate_histogram(bars).to_dict()
    (param,) = spec["params"]
    assert param["name"] == RATE_PICK and param["select"]["fields"] == ["start", "end"]

    frame = summarize_corpus(corpus_zip(), "pairs.zip", workers=1)
    density = density_summary(frame[frame["error"].isna()])
    spec = corpus_density_chart(density).to_dict()
    assert spec["encoding"]["x"]["field"] == "start" and spec["encoding"]["x2"]["field"] == "end"
    assert len(next(iter(spec["datasets"].values()))) == len(density) == 60


def test_ids_sort_in_their_natural_order():
    lines = [json.dumps({"original": f"word {k} here", "corrupted": f"word {k} there"})
             for k in range(12)]
    at = to_corpus(start())
    upload(at, "lines.jsonl", ("\n".join(lines) + "\n").encode())
    at.selectbox(key="corpus_sort").set_value("Id").run()
    at.toggle(key="corpus_desc").set_value(False).run()
    assert table(at)["id"].tolist() == [str(k) for k in range(1, 13)]  # line numbers


def test_pair_below_passes_over_pairs_with_errors():
    at = to_corpus(start())
    at.button(key="corpus_example_main").click().run()
    at.selectbox(key="corpus_sort").set_value("Corpus order").run()
    at.toggle(key="corpus_desc").set_value(False).run()
    select_row(at, 17)  # sample-18; below it sample-19, then sample-20 (no corrupted version)
    at.button(key="corpus_below").click().run()
    assert at.session_state.corpus_open == 18 and not at.error
    assert at.button(key="corpus_below").disabled  # only the bad pair is left below
    at.button(key="corpus_above").click().run()
    assert at.session_state.corpus_open == 17
