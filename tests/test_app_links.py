"""Pairs that last, driven by Streamlit's AppTest: an upload is kept and the address names it
(``?pair=<id>&diff=k``); a new session opened on that address shows it again; an unknown id is
said, with the example offered; one side over the example waits for the other; a refused upload
leaves its uploader empty; with ``VIEWER_STORE=off`` nothing reaches the disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import counter, metric, start, step, upload
from viewer import store

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data folder of this test's own (the page's store is cached by its settings)."""
    monkeypatch.setenv(store.DATA_DIR_ENV, str(tmp_path))
    return tmp_path


def _param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def uploaded_pair(at: AppTest) -> AppTest:
    upload(at, 0, "orig.txt", b"alpha beta gamma delta epsilon")
    upload(at, 1, "corr.txt", b"alpha BETA gamma epsilon zeta eta")
    return at


def test_an_uploaded_pair_reopens_from_its_address(data_dir):
    at = uploaded_pair(start())
    step(at, 1)
    pair_id, diff = _param(at, "pair"), _param(at, "diff")
    assert store.looks_like_id(pair_id) and diff == "2"
    assert (data_dir / store.FILE_NAME).exists()
    again = start(pair=pair_id, diff=diff)  # a new session: a reload, or another browser
    assert metric(again, "Original tokens") == "5" and metric(again, "Corrupted tokens") == "6"
    assert counter(again) == (2, 3)
    assert [b.label for b in again.button if b.key.startswith("recent_")] == [
        "orig\\.txt ↔ corr\\.txt · just now"]


def test_an_unknown_pair_is_said_and_the_example_offered(data_dir):
    at = start(pair="0" * 32, diff="3")
    (warning,) = [w for w in at.warning if "No pair with the id" in w.value]
    assert not at.metric  # nothing else shown in its place
    assert _param(at, "pair") == "0" * 32  # a reload says the same
    at.button(key="missing_example").click().run()
    assert not [w for w in at.warning if "No pair" in w.value]
    assert metric(at, "Original tokens") != "0" and _param(at, "pair") is None


def test_one_upload_over_the_example_waits_for_the_other(data_dir):
    at = start()
    upload(at, 0, "orig.txt", b"alpha beta gamma delta epsilon")
    assert not at.metric  # never compared with the example's corrupted text
    assert any("add the corrupted text" in i.value for i in at.info)
    upload(at, 1, "corr.txt", b"alpha BETA gamma epsilon zeta eta")
    assert metric(at, "Original tokens") == "5" and counter(at) == (1, 3)


def test_a_refused_upload_leaves_its_uploader_empty(data_dir):
    at = uploaded_pair(start())
    upload(at, 0, "picture.png", PNG)
    assert "binary" in at.error[0].value
    assert at.file_uploader[0].value is None and at.file_uploader[1].value is not None
    assert metric(at, "Original tokens") == "5"  # the pair shown stays


def test_with_the_store_off_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATA_DIR_ENV, str(tmp_path))
    monkeypatch.setenv(store.STORE_ENV, "off")
    at = uploaded_pair(start())
    assert metric(at, "Original tokens") == "5" and _param(at, "pair") is None
    assert list(tmp_path.iterdir()) == []
    assert any("this session only" in c.value for c in at.caption)


def test_a_broken_store_is_said_and_the_page_works(tmp_path, monkeypatch):
    (tmp_path / store.FILE_NAME).write_bytes(b"not a database at all " * 50)
    monkeypatch.setenv(store.DATA_DIR_ENV, str(tmp_path))
    at = start()
    assert any("cannot be used" in w.value for w in at.warning)
    assert metric(at, "Original tokens") != "0"  # the example, as ever
    uploaded_pair(at)
    assert metric(at, "Original tokens") == "5"


def test_an_uploaded_corpus_and_its_open_pair_reopen_from_the_address(data_dir):
    from tests import test_app_corpus as corpus_app

    at = corpus_app.upload(corpus_app.to_corpus(start()), "c.zip", corpus_app.corpus_zip())
    corpus_id = _param(at, "corpus")
    assert store.looks_like_id(corpus_id) and _param(at, "pair") is None
    row = list(corpus_app.table(at)["id"]).index("light.txt")
    corpus_app.select_row(at, row)
    assert _param(at, "open") is not None
    again = start(corpus=corpus_id, open=_param(at, "open"))  # a new session on that address
    assert again.session_state.mode == "Corpus"
    assert again.session_state.corpus.name == "c.zip"
    assert again.session_state.corpus_pair.b.text == "one two THREE four five six seven eight"
    assert counter(again) == (1, 1)


def test_an_unknown_corpus_is_said(data_dir):
    at = start(corpus="e" * 32)
    assert at.session_state.mode == "Corpus"
    assert any("No corpus with the id" in e.value for e in at.error)
