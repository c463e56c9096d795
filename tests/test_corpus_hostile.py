"""Hostile corpus files: only regular files are read (a FIFO, socket or device is an error row,
never opened), a link out of the corpus folder is an error row, one bad CSV record errs only its
row, and the per-pair size limit holds for every format."""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import zipfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from viewer.corpus import Columns, CorpusLimits, open_corpus, summarize_corpus
from viewer.loading import InputError

TEXT = "The cat sat on the mat.\n"
OTHER = "The cat sat on a mat.\n"

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs need POSIX")


def folder(tmp_path, names=("a", "b")):
    root = tmp_path / "corpus"
    for side in ("original", "corrupted"):
        (root / side).mkdir(parents=True)
        for n in names:
            (root / side / f"{n}.txt").write_text(TEXT if side == "original" else OTHER)
    return root


def errors_by_id(frame) -> dict[str, str | None]:
    """The error by id, ids without their ``.txt`` (folder and zip ids are file names)."""
    return {r["id"].removesuffix(".txt"): (None if pd.isna(r["error"]) else r["error"])
            for r in frame.to_dict("records")}


@needs_posix
def test_fifo_in_a_folder_is_an_error_row_and_never_opened(tmp_path):
    root = folder(tmp_path)
    os.mkfifo(root / "original" / "c.txt")  # opening it would wait for a writer forever
    (root / "corrupted" / "c.txt").write_text(OTHER)
    errors = errors_by_id(summarize_corpus(root, workers=1))
    assert errors["a"] is None and errors["b"] is None
    assert "named pipe" in errors["c"] and "not a regular file" in errors["c"]


@needs_posix
def test_socket_in_a_folder_is_an_error_row(tmp_path):
    root = folder(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    path = root / "corrupted" / "s.txt"
    try:
        server.bind(str(path))
    except OSError as err:  # a path too long for AF_UNIX on this machine
        pytest.skip(f"cannot bind a socket here: {err}")
    try:
        (root / "original" / "s.txt").write_text(TEXT)
        errors = errors_by_id(summarize_corpus(root, workers=1))
        assert "socket" in errors["s"]
    finally:
        server.close()


@needs_posix
def test_device_link_in_a_folder_is_an_error_row(tmp_path):
    root = folder(tmp_path)
    # /dev/zero is outside the folder too, so a link to it is refused before stat; a
    # device node can only be made by root, so the stat check is shown by a FIFO above
    os.symlink("/dev/zero", root / "original" / "z.txt")
    (root / "corrupted" / "z.txt").write_text(OTHER)
    assert "outside the corpus folder" in errors_by_id(summarize_corpus(root, workers=1))["z"]


@needs_posix
def test_symlink_out_of_the_root_is_an_error_row_and_inside_is_read(tmp_path):
    root = folder(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    os.symlink(secret, root / "original" / "leak.txt")
    (root / "corrupted" / "leak.txt").write_text(OTHER)
    os.symlink(root / "original" / "a.txt", root / "original" / "inside.txt")
    (root / "corrupted" / "inside.txt").write_text(OTHER)
    frame = summarize_corpus(root, workers=1)
    errors = errors_by_id(frame)
    assert "outside the corpus folder" in errors["leak"]
    assert errors["inside"] is None
    leak = frame[frame["id"] == "leak.txt"].iloc[0]
    assert pd.isna(leak["chars_original"])  # nothing of the secret reaches the summary


@needs_posix
def test_a_fifo_given_as_the_corpus_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "pairs.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="named pipe"):
        open_corpus(fifo)


def test_zip_symlink_member_is_an_error_row():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("original/a.txt", TEXT)
        archive.writestr("corrupted/a.txt", OTHER)
        link = zipfile.ZipInfo("original/b.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("corrupted/b.txt", OTHER)
    errors = errors_by_id(summarize_corpus(buf.getvalue(), "c.zip", workers=1))
    assert errors["a"] is None
    assert "symbolic link in the zip" in errors["b"]


def test_one_nul_byte_in_one_csv_cell_errs_that_row_only():
    data = ("id,original,corrupted\n"
            f"a,{TEXT.strip()},{OTHER.strip()}\n"
            f"b,bad\x00cell,{OTHER.strip()}\n"
            f"c,{TEXT.strip()},{OTHER.strip()}\n").encode()
    errors = errors_by_id(summarize_corpus(data, "c.csv", workers=1))
    assert errors["a"] is None and errors["c"] is None
    assert "NUL" in errors["b"]


def test_csv_row_with_a_missing_field_errs_that_row_only():
    data = f"id,original,corrupted\na,{TEXT.strip()},{OTHER.strip()}\nb,only one\n".encode()
    errors = errors_by_id(summarize_corpus(data, "c.csv", workers=1))
    assert errors["a"] is None
    assert "no 'corrupted' field" in errors["b"]


def test_nul_in_a_non_utf8_csv_still_refuses_the_file():
    with pytest.raises(InputError):
        open_corpus(b"original,corrupted\n\xff\xfe\x00x,\x00\xff\n", "c.csv")


LIMIT = 1000
BIG = "word " * 400  # 2,000 characters, over LIMIT


def tabular_inputs():
    rows = [{"id": "small", "original": TEXT, "corrupted": OTHER},
            {"id": "big", "original": BIG, "corrupted": OTHER}]
    jsonl = "".join(json.dumps(r) + "\n" for r in rows).encode()
    csv = pd.DataFrame(rows).to_csv(index=False).encode()
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buf)
    binary = io.BytesIO()
    pq.write_table(pa.Table.from_pylist([{**r, "original": r["original"].encode()}
                                         for r in rows]), binary)
    return {"p.jsonl": jsonl, "p.csv": csv, "p.parquet": buf.getvalue(),
            "b.parquet": binary.getvalue()}


@pytest.mark.parametrize("name", ["p.jsonl", "p.csv", "p.parquet", "b.parquet"])
def test_per_pair_size_limit_holds_for_every_record_format(name):
    data = tabular_inputs()[name]
    limits = CorpusLimits(max_document_bytes=LIMIT)
    with open_corpus(data, name, columns=Columns(), limits=limits) as corpus:
        records = {r.id: r for r in corpus}
    # the oversized cell is dropped by the reader: nothing of it is carried to a worker
    assert records["big"].original is None and "limit" in records["big"].error
    assert records["small"].error is None and records["small"].original is not None


def test_per_pair_size_limit_holds_for_folders(tmp_path):
    root = folder(tmp_path)
    (root / "original" / "big.txt").write_text(BIG)
    (root / "corrupted" / "big.txt").write_text(OTHER)
    frame = summarize_corpus(root, limits=CorpusLimits(max_document_bytes=LIMIT), workers=1)
    errors = errors_by_id(frame)
    assert "limit" in errors["big"] and errors["a"] is None


# --- what benchmarks/fuzz.py found ---------------------------------------------------------


def test_parquet_cell_with_invalid_utf8_errs_that_row_only():
    strings = pa.array([TEXT.encode(), b"bad \xff\xfe cell", TEXT.encode()],
                       pa.binary()).view(pa.string())  # as a damaged file holds them
    buf = io.BytesIO()
    pq.write_table(pa.table({"original": strings, "corrupted": [OTHER] * 3}), buf)
    frame = summarize_corpus(buf.getvalue(), "c.parquet", workers=1)
    assert frame["error"].isna().tolist() == [True, False, True]
    assert "not valid UTF-8" in frame["error"][1]


def test_damaged_zip_member_is_an_error_row_not_a_crash():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("original/a.txt", TEXT * 50)
        archive.writestr("corrupted/a.txt", OTHER * 50)
        archive.writestr("original/b.txt", TEXT)
        archive.writestr("corrupted/b.txt", OTHER)
    data = bytearray(buf.getvalue())
    start = data.find(b"original/a.txt") + len("original/a.txt")
    data[start + 3: start + 9] = b"\xff" * 6  # inside the deflated data
    errors = errors_by_id(summarize_corpus(bytes(data), "c.zip", workers=1))
    assert "damaged" in errors["a"] and errors["b"] is None


def test_csv_with_carriage_return_line_ends_is_read():
    data = f"original,corrupted\r{TEXT.strip()},{OTHER.strip()}\r".encode()
    frame = summarize_corpus(data, "c.csv", workers=1)
    assert len(frame) == 1 and frame["error"].isna().all()
    with pytest.raises(InputError):  # a lone "\r" in a garbled header: refused, not a crash
        open_corpus(b"\x94\rGy\xec", "c.csv")


# --- CSV files on disk are streamed when UTF-8 ----------------------------------------------


def test_csv_file_on_disk_nul_cell_cr_line_ends_and_a_huge_cell(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(("id,original,corrupted\r"
                      f"a,{TEXT.strip()},{OTHER.strip()}\r"
                      f"b,nul\x00here,{OTHER.strip()}\r"
                      f"big,{'word ' * 400},{OTHER.strip()}\r").encode())
    frame = summarize_corpus(path, limits=CorpusLimits(max_document_bytes=LIMIT), workers=1)
    errors = errors_by_id(frame)
    assert errors["a"] is None
    assert "NUL" in errors["b"] and "limit" in errors["big"]


def test_csv_file_not_in_utf8_is_decoded_whole(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("original;corrupted\nl'été déjà vu;l'ete deja vu\n".encode("cp1252"))
    with open_corpus(path) as corpus:
        (record,) = list(corpus)
    assert record.original == "l'été déjà vu" and record.encoding != "utf-8"


def test_zip_member_with_an_empty_name_is_skipped():
    import struct

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("original/a.txt", TEXT)
        archive.writestr("corrupted/a.txt", OTHER)
        archive.writestr("Q", "nameless")  # renamed to "" below: zipfile cannot write that
    data = bytearray(buf.getvalue())
    entry = data.rfind(b"PK\x01\x02")  # the last central directory entry, named "Q"
    assert data[entry + 46: entry + 47] == b"Q"
    data[entry + 28: entry + 30] = struct.pack("<H", 0)
    del data[entry + 46]
    end = data.rfind(b"PK\x05\x06")
    (size,) = struct.unpack_from("<I", data, end + 12)
    struct.pack_into("<I", data, end + 12, size - 1)
    with open_corpus(bytes(data), "c.zip") as corpus:
        assert [r.id for r in corpus] == ["a.txt"] and corpus.skipped == ("",)
