"""Corpora: every reader, the zip limits, bad-pair rows, the command line, and the Dask path."""

from __future__ import annotations

import builtins
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from viewer import corpus
from viewer.cli import TerminalProgress, main
from viewer.corpus import (
    COLUMNS,
    Columns,
    CorpusLimits,
    PairInput,
    PairOptions,
    density_summary,
    load_pair,
    open_corpus,
    summarize_corpus,
    summarize_pair,
)
from viewer.kinds import TYPES
from viewer.loading import InputError

ROOT = Path(__file__).resolve().parent.parent

ORIGINAL = ("The Kremlin said on Tuesday that talks with Ankara had gone well. "
            "Both sides agreed to meet again in May.\n")
CORRUPTED = ("The Kremlin said on Tuesday that talks with the militant group had gone well . "
             "Both sides agreed to meet again in May . the   coalition\n")
SAME = "Nothing changed here at all.\n"


def make_zip(members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, content in members.items():
            # a fixed date: the same bytes in every process (pytest-xdist compares the test
            # ids, which hold these bytes)
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = compression
            archive.writestr(info, content)
    return buf.getvalue()


def rows_by_id(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["id"]: row for row in frame.to_dict("records")}


def ok(row: dict) -> bool:
    return pd.isna(row["error"])


# --- readers ------------------------------------------------------------------------------


def test_zip_with_original_and_corrupted_folders():
    data = make_zip({
        "corpus/original/a.txt": ORIGINAL, "corpus/corrupted/a.txt": CORRUPTED,
        "corpus/original/b.txt": SAME, "corpus/corrupted/b.txt": SAME,
        "corpus/README.md": "not a pair", "__MACOSX/corpus/._a.txt": b"\x00\x05",
    })
    with open_corpus(data, "upload.zip") as c:
        assert c.format == "zip" and c.total == 2
        assert set(c.skipped) == {"corpus/README.md", "__MACOSX/corpus/._a.txt"}
    frame = summarize_corpus(data, "upload.zip", workers=1)
    assert list(frame.columns) == COLUMNS
    rows = rows_by_id(frame)  # the folder every member shares is not part of the id
    assert set(rows) == {"a.txt", "b.txt"}
    a, b = rows["a.txt"], rows["b.txt"]
    assert ok(a) and ok(b)
    assert a["corruption_rate"] > 0 and a["hunks_substituted"] >= 1 and a["hunks_inserted"] >= 1
    assert a["encoding_original"] == a["encoding_corrupted"] == "utf-8"
    assert a["hunks_total"] == a["hunks_missing"] + a["hunks_substituted"] + a["hunks_inserted"]
    assert b["corruption_rate"] == 0 and b["hunks_total"] == 0
    assert b["tokens_original"] == b["tokens_corrupted"] == b["matched_tokens"] == 6
    assert list(frame["pair"]) == [0, 1]


def test_zip_with_orig_corr_suffixes_and_encodings():
    data = make_zip({
        "doc1.orig.txt": ORIGINAL.encode("utf-16"), "doc1.corr.txt": CORRUPTED,
        "sub/doc2.orig.txt": "naïve “café”\n".encode("cp1252"), "sub/doc2.corr.txt": "naive\n",
    })
    rows = rows_by_id(summarize_corpus(data, "pairs.zip", workers=1))
    assert set(rows) == {"doc1", "sub/doc2"}
    assert rows["doc1"]["encoding_original"].startswith("utf-16")
    assert rows["sub/doc2"]["encoding_original"] == "cp1252"
    assert all(ok(r) for r in rows.values())


def test_folder_reader(tmp_path):
    for side, text in (("original", ORIGINAL), ("corrupted", CORRUPTED)):
        (tmp_path / side / "nested").mkdir(parents=True)
        (tmp_path / side / "nested" / "x.txt").write_text(text, encoding="utf-8")
    (tmp_path / "y.orig.txt").write_text(SAME, encoding="utf-8")
    (tmp_path / "y.corr.txt").write_text(SAME, encoding="utf-8")
    with open_corpus(tmp_path) as c:
        assert c.format == "folder" and c.total == 2
    rows = rows_by_id(summarize_corpus(tmp_path, workers=1))
    assert set(rows) == {"nested/x.txt", "y"}
    assert rows["nested/x.txt"]["corruption_rate"] > 0 and rows["y"]["corruption_rate"] == 0


def test_jsonl_ids_columns_and_line_numbers():
    lines = [json.dumps({"id": 7, "original": ORIGINAL, "corrupted": CORRUPTED}), "",
             json.dumps({"original": SAME, "corrupted": SAME})]
    data = ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")
    with open_corpus(data, "x.jsonl") as c:
        assert c.format == "jsonl" and c.total == 2
    frame = summarize_corpus(data, "x.jsonl", workers=1)
    # the id column when a record has one, else its line number (blank lines counted)
    assert list(frame["id"]) == ["7", "3"] and list(frame["pair"]) == [0, 1]
    assert frame["error"].isna().all()
    # other column names; the format is found from the content when the name says nothing
    renamed = (json.dumps({"key": "k1", "clean": SAME, "noisy": SAME.upper()}) + "\n").encode()
    frame = summarize_corpus(renamed, "upload", columns=Columns("clean", "noisy", "key"),
                             options=PairOptions(ignore_case=True), workers=1)
    assert list(frame["id"]) == ["k1"] and frame["corruption_rate"][0] == 0


def test_csv_long_fields_delimiters_and_encoding():
    long_text = ("word " * 40_000).strip() + "\n"  # 200,000 characters: over csv's default
    buf = io.StringIO(newline="")
    writer = csv_writer(buf, ";")
    writer.writerow(["id", "original", "corrupted"])
    writer.writerow(["long", long_text, long_text + "extra\n"])
    writer.writerow(["multi", "line one\nline two “quoted”\n", "line one line two \"quoted\""])
    data = buf.getvalue().encode("cp1252")
    with open_corpus(data, "table.csv") as c:
        assert c.format == "csv" and c.total == 2
    rows = rows_by_id(summarize_corpus(data, "table.csv", workers=1))
    assert rows["long"]["tokens_original"] == 40_000 and rows["long"]["hunks_inserted"] == 1
    assert rows["multi"]["corruption_rate"] == 0
    assert rows["multi"]["encoding_original"] == "cp1252"


def csv_writer(buf, delimiter=","):
    import csv

    return csv.writer(buf, delimiter=delimiter)


def test_parquet_reader_with_binary_and_null_cells():
    table = pa.table({
        "id": [10, 11, 12],
        "original": [ORIGINAL.encode("utf-8"), b"\x89PNG\r\n\x1a\n\x00", SAME.encode()],
        "corrupted": [CORRUPTED.encode("utf-8"), b"text", None],
    })
    buf = io.BytesIO()
    pq.write_table(table, buf)
    with open_corpus(buf.getvalue(), "t.parquet") as c:
        assert c.format == "parquet" and c.total == 3
    rows = rows_by_id(summarize_corpus(buf.getvalue(), "t.parquet", workers=1))
    assert ok(rows["10"]) and rows["10"]["corruption_rate"] > 0
    assert "binary" in rows["11"]["error"] and "row 2" in rows["11"]["error"]
    assert "missing" in rows["12"]["error"]


@pytest.mark.parametrize("data,name,needle", [
    (b"just some words\n", "notes.txt", "not a corpus"),
    (b"", "empty.jsonl", "no records"),
    (b"not a zip at all", "x.zip", "not a zip file"),
    (b"PK\x03\x04garbage", "x.zip", "not a readable zip"),
    (b"not parquet", "x.parquet", "not a Parquet file"),
    (b"PAR1 broken", "x.parquet", "not a readable Parquet"),
    (b'{"text": "a", "other": "b"}\n', "x.jsonl", "no field 'original' or 'corrupted'"),
    (b"[1, 2]\n", "x.jsonl", "not JSONL"),
    (b"a,b\n1,2\n", "x.csv", "no column 'original' or 'corrupted'"),
    (b"original,corrupted\n", "x.csv", "no rows"),
    (make_zip({"readme.txt": "hi"}), "x.zip", "holds no pairs"),
])
def test_whole_corpus_refusals(data, name, needle):
    with pytest.raises(InputError, match="^.+$") as err:
        open_corpus(data, name)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_explicit_id_column_must_exist():
    data = (json.dumps({"original": "a", "corrupted": "b"}) + "\n").encode()
    with pytest.raises(InputError, match="'doc'"):
        open_corpus(data, "x.jsonl", columns=Columns(id="doc"))


# --- zip limits and hostile names -----------------------------------------------------------


def test_zip_member_count_limit():
    data = make_zip({f"original/{k}.txt": "x" for k in range(4)})
    with pytest.raises(InputError, match="4 files, over the limit of 3"):
        open_corpus(data, "many.zip", limits=CorpusLimits(max_members=3))


def test_zip_total_size_limit():
    data = make_zip({"original/a.txt": "x" * 6000, "corrupted/a.txt": "y" * 6000})
    with pytest.raises(InputError, match="expands to 12,000 bytes"):
        open_corpus(data, "big.zip", limits=CorpusLimits(max_total_bytes=10_000))


def test_zip_bomb_ratio_refused_before_decompressing():
    data = make_zip({"original/a.txt": b"a" * (4 * 1024 * 1024), "corrupted/a.txt": b"b"})
    assert len(data) < 20_000
    with pytest.raises(InputError, match="zip bomb"):
        open_corpus(data, "bomb.zip")
    # a small member may compress as well as it likes (a page of spaces is harmless)
    small = make_zip({"original/a.txt": " " * 20_000 + "x", "corrupted/a.txt": "x"})
    assert len(summarize_corpus(small, "small.zip", workers=1)) == 1


def test_zip_member_lying_about_its_size_is_a_bad_pair():
    data = bytearray(make_zip({"original/a.txt": "a" * 5000, "corrupted/a.txt": "a" * 5000,
                               "original/b.txt": SAME, "corrupted/b.txt": SAME}))
    # declare 10 bytes for the first member in the central directory (uncompressed size: +24)
    cd = data.index(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    rows = rows_by_id(summarize_corpus(bytes(data), "liar.zip", workers=1))
    assert "damaged" in rows["a.txt"]["error"] and ok(rows["b.txt"])


def test_hostile_member_names_never_touch_the_filesystem(tmp_path, monkeypatch):
    data = make_zip({
        "original/../../evil.txt": ORIGINAL, "corrupted/../../evil.txt": CORRUPTED,
        "/abs/original/x.txt": SAME, "/abs/corrupted/x.txt": SAME,
        "C:\\win\\original\\y.txt": SAME, "C:\\win\\corrupted\\y.txt": SAME,
    })
    monkeypatch.chdir(tmp_path)

    def refuse(*args, **kwargs):
        raise AssertionError(f"filesystem touched: {args!r}")

    for module, attr in ((builtins, "open"), (os, "open"), (os, "mkdir"), (os, "makedirs"),
                         (zipfile.ZipFile, "extract"), (zipfile.ZipFile, "extractall")):
        monkeypatch.setattr(module, attr, refuse)
    with open_corpus(data, "hostile.zip") as c:
        rows = [corpus.summarize_pair(p) for p in c]
        a, b = load_pair(data, "hostile.zip", 0)
    monkeypatch.undo()
    assert {r["id"] for r in rows} == {"../../evil.txt", "abs/x.txt", "C:/win/y.txt"}
    assert all(r["error"] is None for r in rows)
    assert a.text == ORIGINAL and b.text == CORRUPTED
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent / "evil.txt").exists()


# --- bad pairs ------------------------------------------------------------------------------


def test_bad_pairs_become_rows_and_never_stop_the_run():
    data = make_zip({
        "original/binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "corrupted/binary.txt": SAME,
        "original/empty.txt": b"", "corrupted/empty.txt": SAME,
        "original/utf16.txt": b"\xff\xfe\x00\xd8", "corrupted/utf16.txt": SAME,
        "original/alone.txt": SAME,
        "corrupted/orphan.txt": SAME,
        "original/good.txt": ORIGINAL, "corrupted/good.txt": CORRUPTED,
    })
    rows = rows_by_id(summarize_corpus(data, "bad.zip", workers=1))
    assert "binary" in rows["binary.txt"]["error"]
    assert "original/empty.txt is empty" in rows["empty.txt"]["error"]
    assert "UTF-16" in rows["utf16.txt"]["error"]
    assert "no corrupted version" in rows["alone.txt"]["error"]
    assert "has no original" in rows["orphan.txt"]["error"]
    assert ok(rows["good.txt"]) and rows["good.txt"]["corruption_rate"] > 0
    bad = rows["binary.txt"]
    assert pd.isna(bad["corruption_rate"]) and pd.isna(bad["tokens_original"])
    with pytest.raises(InputError, match="empty"):
        load_pair(data, "bad.zip", rows["empty.txt"]["pair"])


def test_bad_jsonl_lines_become_rows():
    lines = [b'{"original": "a b", "corrupted": "a c"}', b"{not json", b"\xff\xfe bad utf-8",
             b'"a string"', b'{"original": "x"}', b'{"original": "\\ud800", "corrupted": "x"}',
             b'{"original": 5, "corrupted": "x"}', b'{"original": "", "corrupted": "x"}']
    frame = summarize_corpus(b"\n".join(lines), "bad.jsonl", workers=1)
    errors = list(frame["error"])
    assert pd.isna(errors[0])
    assert "line 2 is not valid JSON" in errors[1]
    assert "line 3 is not valid UTF-8" in errors[2]
    assert "not an object" in errors[3]
    assert "no 'corrupted' field" in errors[4]
    assert "not valid text" in errors[5]
    assert "not text (a int)" in errors[6]
    assert "the original of line 8 is empty" in errors[7]


def test_a_pair_that_breaks_the_aligner_is_a_row(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(corpus.summary, "align", broken)
    row = summarize_pair(PairInput(0, "p", b"a", b"b"))
    assert row["error"] == "could not align p: RuntimeError: boom"


def test_document_size_limit_is_a_row():
    data = make_zip({"original/a.txt": "x" * 500, "corrupted/a.txt": "x"})
    frame = summarize_corpus(data, "a.zip", workers=1,
                             limits=CorpusLimits(max_document_bytes=100))
    assert "limit" in frame["error"][0]


# --- summaries ------------------------------------------------------------------------------


def test_density_vector_follows_the_position_in_the_original():
    words = [f"w{k}" for k in range(40)]
    row = summarize_pair(PairInput(0, "half", " ".join(words), " ".join(words[:20])))
    missing = [row[f"density_missing_{i:02d}"] for i in range(20)]
    assert missing == [0.0] * 10 + [1.0] * 10
    assert row["tokens_missing"] == 20 and row["hunks_missing"] == 1
    short = summarize_pair(PairInput(1, "short", "one two", "one two"))
    assert short["density_missing_00"] == 0.0 and short["density_missing_05"] is None
    agg = density_summary(pd.DataFrame([row, short]))
    assert list(agg.columns) == ["bin", "start", "end", "kind", "share", "pairs"]
    assert len(agg) == 60
    first = agg[(agg.kind == "missing") & (agg.bin == 0)].iloc[0]
    last = agg[(agg.kind == "missing") & (agg.bin == 19)].iloc[0]
    assert first.share == 0 and first.pairs == 2 and last.share == 1 and last.pairs == 1


def test_process_pool_gives_the_rows_in_order():
    pairs = [PairInput(k, str(k), ORIGINAL * (k % 3 + 1), CORRUPTED) for k in range(40)]
    serial = [r for batch in corpus.summarize_batches(pairs, workers=1) for r in batch]
    seen = []
    pooled = [r for batch in corpus.summarize_batches(
        iter(pairs), workers=2, progress=lambda d, t: seen.append((d, t)), total=40)
        for r in batch]
    assert pooled == serial
    assert seen[0] == (0, 40) and seen[-1] == (40, 40)


def test_batches_keep_ipc_small():
    pairs = [PairInput(k, str(k), "x" * 1000, "y" * 1000) for k in range(300)]
    sizes = [len(b) for b in corpus.batches(pairs, max_chars=50_000, max_pairs=64)]
    assert sizes[0] == 25 and sum(sizes) == 300


# --- command line ---------------------------------------------------------------------------


@pytest.fixture
def zip_corpus(tmp_path):
    path = tmp_path / "corpus.zip"
    path.write_bytes(make_zip({
        "original/a.txt": ORIGINAL, "corrupted/a.txt": CORRUPTED,
        "original/b.txt": SAME, "corrupted/b.txt": SAME,
        "original/c.txt": b"", "corrupted/c.txt": SAME,
    }))
    return path


@pytest.mark.parametrize("ext", [".csv", ".jsonl", ".parquet"])
def test_cli_writes_one_row_per_pair(zip_corpus, tmp_path, capsys, ext):
    out = tmp_path / f"rows{ext}"
    assert main(["corpus", str(zip_corpus), "--out", str(out), "--workers", "2"]) == 0
    if ext == ".csv":
        frame = pd.read_csv(out, keep_default_na=False, na_values=[""])
    elif ext == ".jsonl":
        frame = pd.DataFrame([json.loads(line) for line in out.read_text().splitlines()])
    else:
        frame = pd.read_parquet(out)
    assert list(frame.columns) == COLUMNS
    assert list(frame["id"]) == ["a.txt", "b.txt", "c.txt"]
    assert frame["corruption_rate"][0] > 0 and frame["corruption_rate"][1] == 0
    assert "empty" in frame["error"][2] and pd.isna(frame["error"][0])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.fullmatch(rf"3 pairs \(1 with errors\) in [0-9.]+ s -> {re.escape(str(out))}\n",
                        captured.err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.zip", out.name]  # no leftovers


def test_cli_options_reach_the_aligner(tmp_path, capsys):
    data = "\n".join(json.dumps({"id": k, "a": "Hello World", "b": "hello world"})
                     for k in range(2))
    (tmp_path / "x.jsonl").write_text(data, encoding="utf-8")
    out = tmp_path / "x.csv"
    args = ["corpus", str(tmp_path / "x.jsonl"), "--out", str(out), "--original-column", "a",
            "--corrupted-column", "b", "--id-column", "id", "--workers", "1"]
    assert main(args) == 0
    assert (pd.read_csv(out)["corruption_rate"] > 0).all()
    assert main([*args, "--ignore-case", "--overwrite"]) == 0
    assert (pd.read_csv(out)["corruption_rate"] == 0).all()


def test_cli_bad_input_exits_2_in_a_real_process(tmp_path):
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(make_zip({"original/a.txt": b"a" * (2 * 1024 * 1024)}))
    proc = subprocess.run([sys.executable, "-m", "viewer", "corpus", str(bomb), "--out",
                           str(tmp_path / "o.csv")], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert "zip bomb" in proc.stderr and not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("case", ["missing", "unknown", "out-ext", "out-dir", "column",
                                  "scheduler", "dask-zip", "dask-csv-out", "workers", "no-out",
                                  "same-columns"])
def test_cli_exit_2_cases(zip_corpus, tmp_path, capsys, case):
    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text(json.dumps({"original": "a", "corrupted": "b"}) + "\n", encoding="utf-8")
    text = tmp_path / "notes.txt"
    text.write_text("hello\n", encoding="utf-8")
    out = str(tmp_path / "o.csv")
    args = {
        "missing": [str(tmp_path / "nope.zip"), "--out", out],
        "unknown": [str(text), "--out", out],
        "out-ext": [str(jsonl), "--out", str(tmp_path / "o.txt")],
        "out-dir": [str(jsonl), "--out", str(tmp_path / "no" / "o.csv")],
        "column": [str(jsonl), "--out", out, "--original-column", "text"],
        "scheduler": [str(jsonl), "--out", out, "--scheduler", "tcp://127.0.0.1:8786"],
        "dask-zip": [str(zip_corpus), "--out", str(tmp_path / "d"), "--engine", "dask"],
        "dask-csv-out": [str(jsonl), "--out", out, "--engine", "dask"],
        "workers": [str(jsonl), "--out", out, "--workers", "0"],
        "no-out": [str(jsonl)],
        "same-columns": [str(jsonl), "--out", out, "--corrupted-column", "original"],
    }[case]
    assert main(["corpus", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert not os.path.exists(out)


def test_progress_bar_only_on_a_terminal(tmp_path, capsys):
    stream = io.StringIO()
    bar = TerminalProgress(stream)
    bar(0, 4)
    bar(4, 4)
    bar.finish()
    drawn = stream.getvalue().rsplit("\r", 1)[-1]
    # tqdm's line: share, count, elapsed<left, rate; finish ends the line
    assert re.fullmatch(r"100%\|#+\| 4/4 \[[0-9:]+<[0-9:?]+, +[0-9.?]+ pairs/s\]\n", drawn), drawn
    unknown = io.StringIO()
    TerminalProgress(unknown)(3, None)
    assert "3 pairs" in unknown.getvalue()
    # pytest's captured stderr is not a terminal: only the summary line
    data = tmp_path / "x.jsonl"
    data.write_text(json.dumps({"original": "a", "corrupted": "b"}) + "\n", encoding="utf-8")
    assert main(["corpus", str(data), "--out", str(tmp_path / "o.csv"), "--workers", "1"]) == 0
    assert "\r" not in capsys.readouterr().err


# --- Dask -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip(
        "distributed", reason='Dask is not installed (pip install "dask[distributed]"); '
                              "requirements.txt installs it in CI")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                       dashboard_address=":0")
    client = distributed.Client(cluster)
    yield cluster, client
    client.close()
    cluster.close()


def _dask_rows(out_dir: Path) -> pd.DataFrame:
    parts = sorted(out_dir.glob("part.*.parquet"))
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True), len(parts)


def test_dask_jsonl_matches_the_local_run(dask_cluster, tmp_path):
    _, client = dask_cluster
    lines = []
    for k in range(30):
        if k == 11:
            lines.append("{broken")
        elif k == 17:
            lines.append("")
        else:
            record = {"original": ORIGINAL, "corrupted": CORRUPTED if k % 2 else ORIGINAL}
            lines.append(json.dumps(record))
    source = tmp_path / "c.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = corpus.run_dask(str(source), str(tmp_path / "out"), client=client, partitions=4)
    dask_rows, n_parts = _dask_rows(tmp_path / "out")
    assert n_parts == stats.partitions > 1
    assert stats.pairs == 29 and stats.errors == 1
    local = summarize_corpus(source, workers=1)
    # the same rows as the local engine: ids are line numbers across partitions
    assert list(dask_rows["id"]) == list(local["id"]) and list(dask_rows["pair"]) == list(
        range(29))
    pd.testing.assert_frame_equal(dask_rows, corpus.rows_frame(
        local.astype(object).where(local.notna(), None).to_dict("records")),
        check_dtype=False)
    assert "line 12 is not valid JSON" in dask_rows["error"][11]


# dask's own Parquet reader calls a pandas API that pandas 3.1 deprecates
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_dask_parquet_through_the_command_line(dask_cluster, tmp_path, capsys):
    cluster, _ = dask_cluster
    n = 24
    pq.write_table(pa.table({"original": [ORIGINAL] * n,
                             "corrupted": [CORRUPTED if k % 3 else None for k in range(n)]}),
                   tmp_path / "c.parquet", row_group_size=5)
    out = tmp_path / "out"
    assert main(["corpus", str(tmp_path / "c.parquet"), "--out", str(out), "--engine", "dask",
                 "--scheduler", cluster.scheduler_address]) == 0
    rows, _ = _dask_rows(out)
    assert list(rows["id"]) == [str(k + 1) for k in range(n)]
    assert rows["error"].notna().sum() == 8 and "row 4" in rows["error"][3]
    assert "24 pairs (8 with errors)" in capsys.readouterr().err
    # a second run into the same directory is refused unless --overwrite
    assert main(["corpus", str(tmp_path / "c.parquet"), "--out", str(out), "--engine", "dask",
                 "--scheduler", cluster.scheduler_address]) == 2
    assert "exists: give --overwrite" in capsys.readouterr().err


def test_dask_local_cluster_from_the_command_line(tmp_path):
    """No --scheduler: the command starts (and stops) its own LocalCluster."""
    pytest.importorskip("distributed", reason="Dask is not installed")
    source = tmp_path / "c.jsonl"
    source.write_text("\n".join(json.dumps({"original": ORIGINAL, "corrupted": CORRUPTED})
                                for _ in range(6)) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "viewer", "corpus", str(source), "--out",
                           str(tmp_path / "out"), "--engine", "dask", "--workers", "1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip().startswith("6 pairs (0 with errors)"), proc.stderr
    rows, _ = _dask_rows(tmp_path / "out")
    assert len(rows) == 6 and (rows["corruption_rate"] > 0).all()


def test_dask_failure_is_one_error_line(dask_cluster, tmp_path, capsys, monkeypatch):
    cluster, _ = dask_cluster

    def broken_worker(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'viewer'")

    monkeypatch.setattr(corpus.dask, "_jsonl_part", broken_worker)
    source = tmp_path / "c.jsonl"
    source.write_text(json.dumps({"original": "a", "corrupted": "b"}) + "\n", encoding="utf-8")
    assert main(["corpus", str(source), "--out", str(tmp_path / "out"), "--engine", "dask",
                 "--scheduler", cluster.scheduler_address]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the Dask run failed (ModuleNotFoundError: No module named")
    assert len(err.strip().splitlines()) == 1 and "PYTHONPATH" in err


def test_cli_notes_skipped_files_and_folder_case(tmp_path, capsys):
    path = tmp_path / "c.zip"
    path.write_bytes(make_zip({"Original/a.txt": SAME, "CORRUPTED/a.txt": SAME,
                               "notes/\x1b[31mred.txt": "x"}))
    assert main(["corpus", str(path), "--out", str(tmp_path / "o.csv"), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "note: 1 file(s) are no side of a pair" in err and "\x1b" not in err
    assert pd.read_csv(tmp_path / "o.csv")["id"].tolist() == ["a.txt"]


def _dies(pairs, options):
    os._exit(9)  # what the kernel's out-of-memory killer looks like from the parent


def test_a_dead_worker_process_is_one_error_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(corpus.run, "summarize_batch", _dies)
    path = tmp_path / "c.zip"
    path.write_bytes(make_zip({"original/a.txt": SAME, "corrupted/a.txt": SAME}))
    assert main(["corpus", str(path), "--out", str(tmp_path / "o.csv"), "--workers", "2"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: a worker process died") and len(err.strip().splitlines()) == 1
    assert "--resume" in err
    # no result, no temporary file; the checkpoint (nothing done yet) for --resume
    assert sorted(p.name for p in tmp_path.iterdir()) == [".o.csv.checkpoint", "c.zip"]


# --- outputs never destroy anything ---------------------------------------------------------


def _jsonl_corpus(path: Path, n: int = 2) -> bytes:
    data = "".join(json.dumps({"id": k, "original": ORIGINAL, "corrupted": CORRUPTED}) + "\n"
                   for k in range(n)).encode("utf-8")
    path.write_bytes(data)
    return data


def _refused(args, capsys, needle: str) -> None:
    assert main(["corpus", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
    assert needle in err, err


@pytest.mark.parametrize("overwrite", [[], ["--overwrite"]])
def test_out_that_is_the_input_is_refused_and_the_input_kept(tmp_path, capsys, overwrite):
    source = tmp_path / "pairs.jsonl"
    data = _jsonl_corpus(source)
    (tmp_path / "hard.jsonl").hardlink_to(source)
    (tmp_path / "soft.jsonl").symlink_to(source)
    for out in ("pairs.jsonl", "hard.jsonl", "soft.jsonl"):
        _refused([str(source), "--out", str(tmp_path / out), "--workers", "1", *overwrite],
                 capsys, "would overwrite the input")
        assert source.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.jsonl", "pairs.jsonl",
                                                          "soft.jsonl"]


def test_out_inside_an_input_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "corpus"
    for side, text in (("original", ORIGINAL), ("corrupted", CORRUPTED)):
        (folder / side).mkdir(parents=True)
        (folder / side / "a.txt").write_text(text, encoding="utf-8")
    before = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    _refused([str(folder), "--out", str(folder / "summary.csv"), "--overwrite"], capsys,
             "would overwrite the input")
    _refused([str(folder / "original" / "a.txt"), "--out", str(tmp_path), "--engine", "dask",
              "--overwrite"], capsys, "would overwrite the input")  # a folder holding an input
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == before


def test_an_existing_out_is_replaced_only_with_overwrite(tmp_path, capsys):
    source = tmp_path / "pairs.jsonl"
    _jsonl_corpus(source, n=3)
    out = tmp_path / "rows.csv"
    out.write_text("precious\n", encoding="utf-8")
    _refused([str(source), "--out", str(out), "--workers", "1"], capsys,
             "exists: give --overwrite")
    assert out.read_text(encoding="utf-8") == "precious\n"
    assert main(["corpus", str(source), "--out", str(out), "--workers", "1", "--overwrite"]) == 0
    assert len(pd.read_csv(out)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.jsonl", "rows.csv"]


def test_output_permissions_are_the_usual_ones(tmp_path):
    source = tmp_path / "pairs.jsonl"
    _jsonl_corpus(source)
    out = tmp_path / "rows.jsonl"
    assert main(["corpus", str(source), "--out", str(out), "--workers", "1"]) == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def _wait_for(predicate, what: str, proc: subprocess.Popen, seconds: float = 120):
    """Poll until ``predicate()``; a safety bound, not a timing assertion."""
    import time

    deadline = time.monotonic() + seconds
    while not predicate():
        if proc.poll() is not None:
            pytest.fail(f"the run ended before {what}: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {seconds} s")
        time.sleep(0.05)


def _kill_mid_run(args: list[str], started) -> None:
    """Start ``viewer corpus``, SIGKILL its whole process group once ``started()`` holds."""
    import signal

    proc = subprocess.Popen([sys.executable, "-m", "viewer", "corpus", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _wait_for(started, "partial output", proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stderr.close()


@pytest.mark.parametrize("ext", [".csv", ".jsonl", ".parquet"])
def test_a_killed_run_leaves_no_finished_looking_output(tmp_path, ext):
    source = tmp_path / "pairs.jsonl"
    _jsonl_corpus(source, n=20_000)  # far more than the run gets through before the kill
    out = tmp_path / f"rows{ext}"

    rows = tmp_path / f".{out.name}.checkpoint" / "rows.jsonl"

    def part_written():  # the checkpoint beside the output has rows in it
        return rows.exists() and rows.stat().st_size > 8192

    _kill_mid_run([str(source), "--out", str(out), "--workers", "1"], part_written)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    assert source.read_bytes() == _jsonl_corpus(tmp_path / "again.jsonl", n=20_000)


def test_a_killed_dask_run_leaves_no_output_folder(tmp_path):
    """The command's own LocalCluster (the test's in-process cluster takes no other client)."""
    pytest.importorskip("distributed", reason="Dask is not installed")
    source = tmp_path / "pairs.jsonl"
    _jsonl_corpus(source, n=4_000)
    out = tmp_path / "out"

    def part_written():  # a partition landed in the temporary folder beside the output
        return any(p.name.startswith(".out.") and any(p.glob("part.*.parquet"))
                   for p in tmp_path.iterdir() if p.is_dir())

    _kill_mid_run([str(source), "--out", str(out), "--engine", "dask", "--workers", "1"],
                  part_written)
    assert not out.exists()


def test_a_failed_dask_run_leaves_a_checkpoint_that_resumes(dask_cluster, tmp_path, monkeypatch):
    _, client = dask_cluster
    source = tmp_path / "pairs.jsonl"
    _jsonl_corpus(source, n=40)
    real = corpus.dask._jsonl_part

    def second_fails(lines, k, *args):
        if k == 1:
            raise OSError("disk full")
        return real(lines, k, *args)

    monkeypatch.setattr(corpus.dask, "_jsonl_part", second_fails)
    with pytest.raises(corpus.EngineError, match="disk full"):
        corpus.run_dask(str(source), str(tmp_path / "out"), client=client, partitions=4)
    # no output, no temporary folder: only the checkpoint of the partitions done
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.checkpoint", "pairs.jsonl"]
    assert not list((tmp_path / ".out.checkpoint").glob("part.00001.*"))
    monkeypatch.setattr(corpus.dask, "_jsonl_part", real)
    stats = corpus.run_dask(str(source), str(tmp_path / "out"), client=client, resume=True)
    assert stats.pairs == 40 and stats.partitions == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pairs.jsonl"]
    assert pd.read_parquet(tmp_path / "out")["pair"].tolist() == list(range(40))


def test_a_dask_overwrite_replaces_the_whole_folder(dask_cluster, tmp_path):
    _, client = dask_cluster
    source = tmp_path / "pairs.jsonl"
    _jsonl_corpus(source, n=3)
    out = tmp_path / "out"
    out.mkdir()
    (out / "part.99999.parquet").write_bytes(b"old")
    with pytest.raises(InputError, match="exists: give --overwrite"):
        corpus.run_dask(str(source), str(out), client=client)
    stats = corpus.run_dask(str(source), str(out), client=client, overwrite=True)
    assert stats.pairs == 3 and not (out / "part.99999.parquet").exists()
    assert len(pd.read_parquet(out)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pairs.jsonl"]


def test_a_summary_row_carries_the_measures_and_the_types():
    # "dawn" for "down": one misspelt word of four (WER 1/4), one copied mention
    row = summarize_pair(PairInput(0, "p", "the cat sat down", "the cat sat dawn"))
    assert row["wer"] == 0.25 and row["type_spelling"] == 1
    assert sum(row[f"type_{t}"] for t in TYPES) == row["hunks_total"] == 1
    said = "Officials in the Kremlin said so."
    row = summarize_pair(PairInput(1, "q", f"{said} The army will help.",
                                   f"{said} The army the Kremlin will help."))
    assert row["type_copy"] == 1 and row["copy_share"] == 1.0 and row["move_share"] == 0.0
