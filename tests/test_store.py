"""The store of pairs and corpora (viewer.store): kept by content hash, bounded in bytes with the
least recently used entries going first, safe for many threads and a killed process, off on
request, and a clear message (never a crash) when its database cannot be read."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from viewer import store
from viewer.loading import Document, decode_bytes
from viewer.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent


def doc(text: str, name: str = "a.txt") -> Document:
    return decode_bytes(text.encode(), name)


def texts(n: int, size: int = 1000) -> tuple[Document, Document]:
    """Pair number ``n``: two documents of ``size`` bytes each, different for every ``n``."""
    body = (f"pair {n} " * size)[:size]
    return doc(body, f"a{n}.txt"), doc(body.upper(), f"b{n}.txt")


def pair_bytes(n: int, size: int = 1000) -> int:
    """What pair ``n`` counts against the cap: both texts and both names."""
    return 2 * size + len(f"a{n}.txt") + len(f"b{n}.txt")


# --- put and get --------------------------------------------------------------------------------


def test_a_pair_comes_back_as_it_was_put(tmp_path):
    s = Store(tmp_path, 10**6)
    a = decode_bytes("café “quoted”\r\nline".encode("cp1252"), "<b>odd</b> name.txt")
    b = decode_bytes("\ufeffcafe quoted\nline".encode("utf-8"), "b.txt")
    pid = s.put_pair(a, b)
    assert store.looks_like_id(pid) and pid == store.pair_id(a, b)
    assert s.get_pair(pid) == (a, b)  # text, encoding, name and size


def test_the_id_is_the_content():
    a, b = doc("one two"), doc("one 2", "b.txt")
    assert store.pair_id(a, b) == store.pair_id(doc("one two"), doc("one 2", "b.txt"))
    assert store.pair_id(a, b) != store.pair_id(b, a)  # the sides count
    assert store.pair_id(a, b) != store.pair_id(doc("one two", "other.txt"), b)  # the names
    # each field is length-prefixed: moving a character between the texts changes the id
    assert store.pair_id(doc("ab"), doc("c")) != store.pair_id(doc("a"), doc("bc"))


@pytest.mark.parametrize("chunk", [1, 2, 3, 1 << 20])
def test_texts_are_hashed_and_stored_a_piece_at_a_time(tmp_path, monkeypatch, chunk):
    # a text is encoded TEXT_CHUNK characters at a time: a piece lost, doubled or encoded
    # differently (a lone surrogate, a character of four bytes cut between pieces) changes the
    # id from the hash of the whole, or what comes back
    monkeypatch.setattr(store, "TEXT_CHUNK", chunk)
    a = Document("café 😀 \ud800 ſ end", "utf-8", "a é.txt", 21)
    b = Document("plain ascii", "utf-8", "b.txt", 11)
    whole = hashlib.blake2b(store.PAIR.encode(), digest_size=store.ID_LENGTH // 2)
    for field in (a.text.encode("utf-8", "surrogatepass"), "a é.txt".encode(), b"utf-8",
                  b"21", b"plain ascii", b"b.txt", b"utf-8", b"11"):
        whole.update(len(field).to_bytes(8, "little"))
        whole.update(field)
    s = Store(tmp_path, 10**6)
    assert s.put_pair(a, b) == whole.hexdigest()
    assert s.get_pair(whole.hexdigest()) == (a, b)
    # the cap counts the UTF-8 bytes: the original's text is 21 (café 5, 😀 4, the surrogate
    # 3, ſ 2, end 3, four spaces)
    assert s.total_bytes() == 21 + 11 + len("a é.txt".encode()) + len("b.txt")


def test_the_same_pair_twice_is_one_entry(tmp_path):
    s = Store(tmp_path, 10**6)
    assert s.put_pair(*texts(1)) == s.put_pair(*texts(1))
    assert len(s.recent()) == 1 and s.total_bytes() == pair_bytes(1)


@pytest.mark.parametrize("junk", ["", "nope", "0" * 31, "' OR 1=1 --", "A" * 32, None])
def test_an_unknown_or_malformed_id_is_none(tmp_path, junk):
    s = Store(tmp_path, 10**6)
    s.put_pair(*texts(1))
    assert s.get_pair(junk) is None
    assert s.get_pair("0" * 32) is None


def test_a_corpus_comes_back(tmp_path):
    s = Store(tmp_path, 10**6)
    data = b'{"original": "a", "corrupted": "b"}\n'
    cid = s.put_corpus(data, "pairs.jsonl")
    assert s.get_corpus(cid) == (data, "pairs.jsonl")
    assert s.get_pair(cid) is None  # a corpus id does not open as a pair
    assert s.recent(store.PAIR) == [] and [e.id for e in s.recent(store.CORPUS)] == [cid]


# --- the cap and eviction -----------------------------------------------------------------------


def test_the_least_recently_used_pair_goes_first(tmp_path):
    s = Store(tmp_path, 3 * pair_bytes(1))  # room for three pairs, not four
    ids = [s.put_pair(*texts(n)) for n in (1, 2, 3)]
    assert s.get_pair(ids[0]) is not None  # opening pair 1 makes pair 2 the oldest
    ids.append(s.put_pair(*texts(4)))
    assert s.get_pair(ids[1]) is None
    assert all(s.get_pair(i) is not None for i in (ids[0], ids[2], ids[3]))
    s.put_pair(*texts(5))  # pair 1 was opened before 3 and 4 were: it goes now
    assert s.get_pair(ids[0]) is None


def test_recent_is_newest_first(tmp_path):
    s = Store(tmp_path, 10**6)
    ids = [s.put_pair(*texts(n)) for n in (1, 2, 3)]
    s.get_pair(ids[0])
    assert [e.id for e in s.recent()] == [ids[0], ids[2], ids[1]]
    assert [e.id for e in s.recent(limit=2)] == [ids[0], ids[2]]
    assert s.recent()[0].names == ("a1.txt", "b1.txt")


def test_the_cap_holds_across_many_pairs(tmp_path):
    cap = 5 * pair_bytes(10) + 100
    s = Store(tmp_path, cap)
    for n in range(10, 40):
        s.put_pair(*texts(n))
        assert s.total_bytes() <= cap
    assert [e.names[0] for e in s.recent()] == [f"a{n}.txt" for n in range(39, 34, -1)]


def test_a_pair_larger_than_the_cap_is_refused_and_nothing_else_goes(tmp_path):
    s = Store(tmp_path, 3000)
    kept = s.put_pair(*texts(1))
    with pytest.raises(StoreError, match="larger than the pair store's limit"):
        s.put_pair(*texts(2, size=2000))
    assert s.get_pair(kept) is not None and len(s.recent()) == 1


# --- lasting: restart, threads, a killed process, a broken file ---------------------------------


def test_a_new_store_on_the_same_folder_has_the_pairs(tmp_path):
    first = Store(tmp_path, 10**6)
    pid = first.put_pair(*texts(1))
    first.close()
    assert Store(tmp_path, 10**6).get_pair(pid) == texts(1)


def test_concurrent_writers_lose_nothing(tmp_path):
    s = Store(tmp_path, 10**7)
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def write(worker: int) -> None:
        try:
            start.wait()
            for k in range(6):
                n = worker * 100 + k
                assert s.get_pair(s.put_pair(*texts(n, 300))) == texts(n, 300)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)
        finally:
            s.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(s.recent(limit=100)) == 48
    assert s.total_bytes() == sum(pair_bytes(w * 100 + k, 300) for w in range(8) for k in range(6))


WRITER = """
import sys
from pathlib import Path
from tests.test_store import texts
from viewer.store import Store
s = Store(Path(sys.argv[1]), 10**8)
n = 0
while True:
    s.put_pair(*texts(n, 5000))
    print(n, flush=True)
    n += 1
"""


def test_a_killed_writer_leaves_a_sound_store(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        done = [int(proc.stdout.readline()) for _ in range(20)]
    finally:
        proc.send_signal(signal.SIGKILL)  # mid-write: it never stops writing by itself
        proc.wait()
    with sqlite3.connect(tmp_path / store.FILE_NAME) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    s = Store(tmp_path, 10**8)
    for n in done:  # every pair reported stored is there, whole
        assert s.get_pair(store.pair_id(*texts(n, 5000))) == texts(n, 5000)


def test_a_file_that_is_not_a_database_gives_a_message_and_stays(tmp_path):
    path = tmp_path / store.FILE_NAME
    path.write_bytes(b"this is not a database, and it is long enough to fail its header" * 20)
    before = path.read_bytes()
    found, problem = store.open_store({store.DATA_DIR_ENV: str(tmp_path)})
    assert found is None
    assert str(path) in problem and "not a database" in problem
    assert "this session only" in problem and store.DATA_DIR_ENV in problem
    assert path.read_bytes() == before  # never overwritten: someone may want it back


def test_a_folder_that_cannot_be_made_gives_a_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    found, problem = store.open_store({store.DATA_DIR_ENV: str(blocker / "sub")})
    assert found is None and "cannot be used" in problem


# --- settings -----------------------------------------------------------------------------------


def test_off_means_no_store_and_no_file(tmp_path):
    env = {store.STORE_ENV: "off", store.DATA_DIR_ENV: str(tmp_path / "data")}
    assert store.open_store(env) == (None, None)
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(("raw", "cap"), [
    (None, store.DEFAULT_CAP_MB * 2**20), ("2", 2 * 2**20), ("0.5", 2**19),
    ("lots", store.DEFAULT_CAP_MB * 2**20), ("-3", store.DEFAULT_CAP_MB * 2**20),
])
def test_the_cap_setting(tmp_path, raw, cap):
    env = {store.DATA_DIR_ENV: str(tmp_path)} | ({store.CAP_ENV: raw} if raw else {})
    assert store.settings(env) == store.Settings(tmp_path, cap)


def test_the_default_folder_is_the_users_data_folder(tmp_path):
    assert store.data_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "corruption-viewer"
    assert store.data_dir({store.DATA_DIR_ENV: str(tmp_path / "x")}) == tmp_path / "x"
