"""Confusion tables summed over a corpus (rows, the command line, the page) and shown in the
page: literal corpora whose confusions are counted by hand."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import start
from viewer import page_data
from viewer.align import align
from viewer.cli import main
from viewer.corpus import PairInput, PairOptions, corpus_confusions, summarize_pair
from viewer.example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL
from viewer.measures import confusion_rows, confusions

APP = str(Path(__file__).resolve().parent.parent / "app.py")

# Misread by an OCR: th-e read tb-e (h -> b) and rn read m, counted by hand below.
CORPUS = [
    # the -> tbe, modern -> modem, barn -> bam, there -> tbere; letters: h -> b twice (the,
    # there), rn -> m twice (modern, barn)
    ("a", "the modern barn is there", "tbe modem bam is tbere"),
    # the -> tbe, barn -> bam, "a" missing, "x" inserted; letters h -> b, rn -> m
    ("b", "the barn and a cow", "tbe bam and cow x"),
    # an empty original is an error row: it adds nothing
    ("c", "", "x"),
]
SUMMED = {
    "substitutions": [["barn", "bam", 2], ["the", "tbe", 2], ["modern", "modem", 1],
                      ["there", "tbere", 1]],
    "deletions": [["a", 1]],
    "insertions": [["x", 1]],
    "characters": [["h", "b", 3], ["rn", "m", 3]],
}


def rows(options: PairOptions) -> list[dict]:
    return [summarize_pair(PairInput(k, name, a, b), options)
            for k, (name, a, b) in enumerate(CORPUS)]


def test_rows_carry_their_whole_table_only_when_asked():
    asked = rows(PairOptions(confusions=True))
    assert json.loads(asked[1]["confusions"]) == {
        "substitutions": [["barn", "bam", 1], ["the", "tbe", 1]], "deletions": [["a", 1]],
        "insertions": [["x", 1]], "characters": [["h", "b", 1], ["rn", "m", 1]]}
    assert asked[2]["error"] and asked[2]["confusions"] is None
    assert all(row["confusions"] is None for row in rows(PairOptions()))


def test_corpus_sum_is_the_hand_counted_table():
    cells = [row["confusions"] for row in rows(PairOptions(confusions=True))]
    assert corpus_confusions(cells, top=None) == SUMMED
    # top cuts each part after the sort (ties by text): barn before the
    assert corpus_confusions(cells, top=1) == {
        "substitutions": [["barn", "bam", 2]], "deletions": [["a", 1]],
        "insertions": [["x", 1]], "characters": [["h", "b", 3]]}
    # a pair's table read back from its cell equals the pair's own
    assert json.loads(cells[0]) == confusions(align(CORPUS[0][1], CORPUS[0][2]), top=None)
    assert corpus_confusions([None, pd.NA], top=None) == {
        "substitutions": [], "deletions": [], "insertions": [], "characters": []}


def test_confusion_rows_are_tidy():
    assert confusion_rows(SUMMED) == [
        {"table": "substitutions", "original": "barn", "corrupted": "bam", "count": 2},
        {"table": "substitutions", "original": "the", "corrupted": "tbe", "count": 2},
        {"table": "substitutions", "original": "modern", "corrupted": "modem", "count": 1},
        {"table": "substitutions", "original": "there", "corrupted": "tbere", "count": 1},
        {"table": "deletions", "original": "a", "corrupted": "", "count": 1},
        {"table": "insertions", "original": "", "corrupted": "x", "count": 1},
        {"table": "characters", "original": "h", "corrupted": "b", "count": 3},
        {"table": "characters", "original": "rn", "corrupted": "m", "count": 3},
    ]


@pytest.fixture
def corpus_file(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps({"id": name, "original": a, "corrupted": b}) + "\n"
                            for name, a, b in CORPUS), encoding="utf-8")
    return path


def test_cli_prints_the_top_and_writes_the_whole_summed_table(corpus_file, tmp_path, capsys):
    out, table_csv = tmp_path / "rows.csv", tmp_path / "confusions.csv"
    assert main(["corpus", str(corpus_file), "--out", str(out), "--workers", "1",
                 "--confusions", "--confusions-out", str(table_csv)]) == 0
    printed = capsys.readouterr().out
    assert "barn→bam ×2, the→tbe ×2" in printed and "h→b ×3, rn→m ×3" in printed
    with table_csv.open(encoding="utf-8", newline="") as file:
        written = list(csv.reader(file))
    assert written[0] == ["table", "original", "corrupted", "count"]
    assert written[1:] == [[r["table"], r["original"], r["corrupted"], str(r["count"])]
                           for r in confusion_rows(SUMMED)]
    frame = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert corpus_confusions(frame["confusions"], top=None) == SUMMED
    # JSON, and --confusions-out alone: nothing printed, the rows still carry their tables
    table_json = tmp_path / "confusions.json"
    assert main(["corpus", str(corpus_file), "--out", str(tmp_path / "rows.jsonl"),
                 "--workers", "1", "--confusions-out", str(table_json)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(table_json.read_text(encoding="utf-8")) == SUMMED


def test_cli_without_confusions_leaves_the_column_empty(corpus_file, tmp_path, capsys):
    out = tmp_path / "rows.csv"
    assert main(["corpus", str(corpus_file), "--out", str(out), "--workers", "1"]) == 0
    assert capsys.readouterr().out == ""
    assert pd.read_csv(out)["confusions"].isna().all()


@pytest.mark.parametrize(("name", "existing", "needle"), [
    ("confusions.txt", False, "name it .csv or .json"),
    ("rows.csv", False, "must differ from --out"),
    ("confusions.csv", True, "exists"),
])
def test_cli_refuses_a_confusions_out_before_the_run(corpus_file, tmp_path, capsys, name,
                                                     existing, needle):
    target = tmp_path / name
    if existing:
        target.write_text("keep me", encoding="utf-8")
    assert main(["corpus", str(corpus_file), "--out", str(tmp_path / "rows.csv"),
                 "--confusions-out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and needle in err and err.count("\n") == 1
    assert not (tmp_path / "rows.csv").exists()
    if existing:
        assert target.read_text(encoding="utf-8") == "keep me"


# --- the page's frames --------------------------------------------------------------------------


def test_confusion_frames_one_per_part_with_nothing_shown():
    frames = page_data.confusion_frames({
        "substitutions": [["barn", "bam", 2]], "deletions": [], "insertions": [["x", 1]],
        "characters": [["e", "", 4]]})
    assert list(frames) == ["Words substituted", "Words missing", "Words inserted",
                            "Letters confused"]
    assert frames["Words substituted"].to_dict("records") == [
        {"Original": "barn", "Corrupted": "bam", "Count": 2}]
    assert frames["Words missing"].empty
    assert list(frames["Words missing"].columns) == ["Original", "Count"]
    assert frames["Words inserted"].to_dict("records") == [{"Corrupted": "x", "Count": 1}]
    # a dropped letter: confused with nothing, shown as ∅ rather than an empty cell
    assert frames["Letters confused"].to_dict("records") == [
        {"Original": "e", "Corrupted": page_data.NOTHING, "Count": 4}]


def test_corpus_confusion_frames_sum_the_summary_rows():
    summary = pd.DataFrame(rows(PairOptions(confusions=True)))
    frames = page_data.corpus_confusion_frames(summary)
    assert frames["Words substituted"].values.tolist() == SUMMED["substitutions"]
    assert frames["Letters confused"].values.tolist() == SUMMED["characters"]
    # a summary made without confusions: empty tables, no error
    empty = page_data.corpus_confusion_frames(pd.DataFrame({"id": ["a"]}))
    assert all(frame.empty for frame in empty.values())


def test_the_page_shows_the_example_pairs_confusions():
    at = start()  # the example pair, the whole page (its second run: see tests/test_app.py)
    assert "Confusions" in [s.value for s in at.subheader]
    al = align(EXAMPLE_ORIGINAL.read_text(encoding="utf-8"),
               EXAMPLE_CORRUPTED.read_text(encoding="utf-8"))
    expected = page_data.pair_confusion_frames(al)
    shown = [el.value for el in at.dataframe]
    for frame in expected.values():
        assert any(list(s.columns) == list(frame.columns) and s.values.tolist()
                   == frame.values.tolist() for s in shown)
    substituted = expected["Words substituted"]
    assert 0 < len(substituted) <= page_data.CONFUSION_ROWS
    assert substituted["Count"].is_monotonic_decreasing


def test_the_corpus_page_shows_the_summed_table():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, a, b in CORPUS[:2]:
            z.writestr(f"original/{name}.txt", a)
            z.writestr(f"corrupted/{name}.txt", b)
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    at.run()  # the first run draws the view alone (no mode switch); the view's ready asks for this
    at.segmented_control(key="mode").set_value("Corpus").run()
    (uploader,) = [u for u in at.file_uploader if u.key == "corpus_upload"]
    uploader.set_value(("ocr.zip", buf.getvalue(), "application/zip"))
    at.run()
    assert not at.exception, at.exception
    assert "Confusions" in [s.value for s in at.subheader]
    shown = [el.value.values.tolist() for el in at.dataframe]
    assert SUMMED["substitutions"] in shown and SUMMED["characters"] in shown
