"""Pairs and corpora kept by content hash, so a link (``?pair=<id>``) reopens them after a
reload, in another browser, or after the server restarts.

An embedded SQLite database (``pairs.sqlite3``) in the data folder, ``VIEWER_DATA_DIR`` (default:
``$XDG_DATA_HOME/corruption-viewer``, i.e. ``~/.local/share/corruption-viewer``). An entry's id
is a hash of everything it holds (both texts, names, encodings), so the same pair uploaded twice
is one entry and an id names exactly one content. The texts stored are bounded in bytes,
``VIEWER_STORE_MB`` (default ``DEFAULT_CAP_MB``); past the cap the entries least recently
stored or opened go first. ``VIEWER_STORE=off`` turns the store off: nothing is written to
disk, the page keeps pairs in the session only.

Safe for the threads of one server (every Streamlit session runs in its own thread): one
connection per thread, write-ahead logging, each change one transaction (a killed process
loses at most the change under way, never the database). No Streamlit here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .loading import Document

DATA_DIR_ENV = "VIEWER_DATA_DIR"
STORE_ENV = "VIEWER_STORE"
CAP_ENV = "VIEWER_STORE_MB"
# 1 GiB: eight pairs at the page's largest upload (two 64 MiB documents) or some ten thousand
# article-sized pairs (two 50 KB texts), while staying small beside a laptop's free disk
DEFAULT_CAP_MB = 1024
FILE_NAME = "pairs.sqlite3"
PAIR, CORPUS = "pair", "corpus"
ID_LENGTH = 32  # hex digits: a 128-bit BLAKE2b digest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,           -- 'pair' or 'corpus'
    name_a TEXT NOT NULL,         -- a pair's original name, a corpus's file name
    name_b TEXT NOT NULL,         -- a pair's corrupted name ('' for a corpus)
    encoding_a TEXT NOT NULL,
    encoding_b TEXT NOT NULL,
    size_a INTEGER NOT NULL,      -- the documents' sizes as uploaded (Document.size)
    size_b INTEGER NOT NULL,
    bytes INTEGER NOT NULL,       -- what the entry counts against the cap
    used REAL NOT NULL,           -- when last stored or opened (seconds since the epoch)
    seq INTEGER NOT NULL,         -- the order of use: the lowest goes first
    -- last: reading the columns above never walks through the texts' overflow pages
    body_a BLOB NOT NULL,         -- a pair's texts in UTF-8, a corpus's bytes
    body_b BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_seq ON entries (seq);
"""


class StoreError(Exception):
    """The store cannot do what was asked; the message is one sentence for the page."""


@dataclass(frozen=True)
class Entry:
    """What the list of recent pairs shows of a stored entry."""

    id: str
    kind: str
    names: tuple[str, str]
    bytes: int
    used: float


@dataclass(frozen=True)
class Settings:
    """Where the store is and how large it may grow; ``folder`` None: the store is off."""

    folder: Path | None
    cap_bytes: int


def settings(env: Mapping[str, str] = os.environ) -> Settings:
    """The store's settings from the environment (read when the page starts a store)."""
    if env.get(STORE_ENV, "").strip().lower() in {"off", "0", "false", "no"}:
        return Settings(None, 0)
    raw = env.get(CAP_ENV, "").strip()
    try:
        cap_mb = float(raw) if raw else DEFAULT_CAP_MB
    except ValueError:
        cap_mb = DEFAULT_CAP_MB
    if not cap_mb > 0:
        cap_mb = DEFAULT_CAP_MB
    return Settings(data_dir(env), int(cap_mb * 1024 * 1024))


def data_dir(env: Mapping[str, str] = os.environ) -> Path:
    """``VIEWER_DATA_DIR``, else the per-user data folder (XDG's on Linux and macOS,
    ``%LOCALAPPDATA%`` on Windows)."""
    if env.get(DATA_DIR_ENV, "").strip():
        return Path(env[DATA_DIR_ENV]).expanduser()
    if os.name == "nt" and env.get("LOCALAPPDATA"):
        return Path(env["LOCALAPPDATA"]) / "corruption-viewer"
    base = env.get("XDG_DATA_HOME", "").strip() or str(Path.home() / ".local" / "share")
    return Path(base) / "corruption-viewer"


def _digest(kind: str, *fields: bytes | str) -> str:
    """A hash of the fields (a ``str`` as UTF-8, see ``_utf8``), each prefixed with its length,
    so that no two different field lists give the same input."""
    h = hashlib.blake2b(kind.encode(), digest_size=ID_LENGTH // 2)
    for f in fields:
        h.update(_size(f).to_bytes(8, "little"))
        for piece in _pieces(f):
            h.update(piece)
    return h.hexdigest()


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # as session.make_pair hashes it


# Characters encoded at once when a text is hashed or stored: a 60 MB text is not copied whole
# (surrogatepass encodes each code point alone, so the pieces joined are the whole's bytes).
TEXT_CHUNK = 1 << 20


def _pieces(data: bytes | str):
    """``data``'s bytes (a ``str`` as UTF-8, see ``_utf8``), ``TEXT_CHUNK`` characters at a
    time."""
    if isinstance(data, bytes):
        yield data
        return
    for k in range(0, len(data), TEXT_CHUNK):
        yield _utf8(data[k : k + TEXT_CHUNK])


def _size(data: bytes | str) -> int:
    """How many bytes ``_pieces`` gives (an ASCII text's length: no encoding needed)."""
    if isinstance(data, bytes) or data.isascii():
        return len(data)
    return sum(map(len, _pieces(data)))


def update_with_text(digest, text: str) -> None:
    """``digest.update(_utf8(text))`` a piece at a time."""
    for piece in _pieces(text):
        digest.update(piece)


def pair_id(a: Document, b: Document) -> str:
    """The id of a pair: a hash of both documents (texts, names, encodings, sizes)."""
    return _digest(PAIR, *(f for doc in (a, b) for f in (
        doc.text, _utf8(doc.name), doc.encoding.encode(), str(doc.size).encode())))


def corpus_id(data: bytes, name: str) -> str:
    return _digest(CORPUS, data, _utf8(name))


def looks_like_id(text: str | None) -> bool:
    """Whether ``text`` has the form of an id (a link's parameter is checked before use)."""
    return (isinstance(text, str) and len(text) == ID_LENGTH
            and all(c in "0123456789abcdef" for c in text))


class Store:
    """The SQLite store in ``folder`` (created when missing), holding at most ``cap_bytes`` of
    texts. Raises ``StoreError`` when the database cannot be opened or used."""

    def __init__(self, folder: Path, cap_bytes: int) -> None:
        self.path = Path(folder) / FILE_NAME
        self.cap_bytes = cap_bytes
        self._local = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise self._error(err) from err
        with self._guard():
            conn = self._conn()
            # a file that is not one of ours is refused, never changed
            conn.execute("PRAGMA schema_version").fetchone()
            conn.executescript(_SCHEMA)

    # --- plumbing ---

    def _error(self, err: Exception) -> StoreError:
        return StoreError(
            f"The pair store {self.path} cannot be used ({err}); pairs are kept for this session "
            f"only. Move that file away, or set {DATA_DIR_ENV} to another folder, to start a "
            f"new store.")

    @contextlib.contextmanager
    def _guard(self):
        """SQLite's and the disk's errors, as one sentence for the page."""
        try:
            yield
        except (sqlite3.Error, OSError) as err:
            raise self._error(err) from err

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (a connection is never shared between threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            try:
                # on a new file, before any table: lets freed pages go back to the disk
                conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable to the last commit
                # a large pair makes a large log: give the disk back once it is checkpointed
                conn.execute(f"PRAGMA journal_size_limit = {64 * 2**20}")
            except sqlite3.Error:
                conn.close()
                raise
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _put(self, entry_id: str, kind: str, names: tuple[str, str], encodings: tuple[str, str],
             sizes: tuple[int, int], bodies: tuple[bytes | str, bytes | str]) -> str:
        """Keep an entry (``bodies``: bytes, or texts kept as UTF-8, written a piece at a time
        into blobs made to measure, never encoded whole); its id."""
        body_sizes = tuple(map(_size, bodies))
        size = sum(body_sizes) + len(_utf8(names[0])) + len(_utf8(names[1]))
        if size > self.cap_bytes:
            raise StoreError(
                f"This {kind} ({size:,} bytes) is larger than the pair store's limit "
                f"({self.cap_bytes:,} bytes, {CAP_ENV}); it is kept for this session only.")
        with self._guard():
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                seq = self._next_seq(conn)
                if conn.execute("UPDATE entries SET used = ?, seq = ? WHERE id = ?",
                                (time.time(), seq, entry_id)).rowcount == 0:
                    row = conn.execute(
                        "INSERT INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?,zeroblob(?),"
                        "zeroblob(?))",
                        (entry_id, kind, *names, *encodings, *sizes, size, time.time(), seq,
                         *body_sizes)).lastrowid
                    for column, body in zip(("body_a", "body_b"), bodies, strict=True):
                        with conn.blobopen("entries", column, row) as blob:
                            for piece in _pieces(body):
                                blob.write(piece)
                    evicted = self._evict(conn)
                else:
                    evicted = 0
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if evicted:
                conn.execute("PRAGMA incremental_vacuum")
        return entry_id

    @staticmethod
    def _next_seq(conn: sqlite3.Connection) -> int:
        return conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM entries").fetchone()[0]

    def _evict(self, conn: sqlite3.Connection) -> int:
        """Delete the least recently used entries until the total is within the cap."""
        total = conn.execute("SELECT COALESCE(SUM(bytes), 0) FROM entries").fetchone()[0]
        evicted = 0
        for entry_id, size in conn.execute("SELECT id, bytes FROM entries ORDER BY seq").fetchall():
            if total <= self.cap_bytes:
                break
            conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
            total -= size
            evicted += 1
        return evicted

    def _get(self, entry_id: str, kind: str) -> tuple | None:
        """The entry's row, marked as just used; None when there is none."""
        if not looks_like_id(entry_id):
            return None
        with self._guard():
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT name_a, name_b, encoding_a, encoding_b, size_a, size_b, body_a, body_b"
                    " FROM entries WHERE id = ? AND kind = ?", (entry_id, kind)).fetchone()
                if row is not None:
                    conn.execute("UPDATE entries SET used = ?, seq = ? WHERE id = ?",
                                 (time.time(), self._next_seq(conn), entry_id))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return row

    # --- pairs and corpora ---

    def put_pair(self, a: Document, b: Document) -> str:
        """Keep the pair; its id. Storing a pair again only marks it as just used."""
        return self._put(pair_id(a, b), PAIR, (a.name, b.name), (a.encoding, b.encoding),
                         (a.size, b.size), (a.text, b.text))

    def get_pair(self, entry_id: str) -> tuple[Document, Document] | None:
        """The pair stored under ``entry_id``, or None (never stored, or evicted)."""
        row = self._get(entry_id, PAIR)
        if row is None:
            return None
        name_a, name_b, enc_a, enc_b, size_a, size_b, body_a, body_b = row
        return (Document(body_a.decode("utf-8", "surrogatepass"), enc_a, name_a, size_a),
                Document(body_b.decode("utf-8", "surrogatepass"), enc_b, name_b, size_b))

    def put_corpus(self, data: bytes, name: str) -> str:
        """Keep an uploaded corpus file (its bytes, as uploaded); its id."""
        return self._put(corpus_id(data, name), CORPUS, (name, ""), ("", ""), (len(data), 0),
                         (data, b""))

    def get_corpus(self, entry_id: str) -> tuple[bytes, str] | None:
        """The corpus file stored under ``entry_id`` (bytes, name), or None."""
        row = self._get(entry_id, CORPUS)
        return (bytes(row[6]), row[0]) if row is not None else None

    def recent(self, kind: str = PAIR, limit: int = 10) -> list[Entry]:
        """The entries of ``kind`` most recently stored or opened, newest first."""
        with self._guard():
            rows = self._conn().execute(
                "SELECT id, kind, name_a, name_b, bytes, used FROM entries WHERE kind = ?"
                " ORDER BY seq DESC LIMIT ?", (kind, limit)).fetchall()
        return [Entry(r[0], r[1], (r[2], r[3]), r[4], r[5]) for r in rows]

    def total_bytes(self) -> int:
        with self._guard():
            return self._conn().execute(
                "SELECT COALESCE(SUM(bytes), 0) FROM entries").fetchone()[0]


def open_store(s: Settings | Mapping[str, str] = os.environ) -> tuple[Store | None, str | None]:
    """The store of these settings (or of the environment's), and why there is none when it
    cannot be opened: ``(None, None)`` when it is off, ``(None, message)`` when its database
    cannot be used."""
    s = s if isinstance(s, Settings) else settings(s)
    if s.folder is None:
        return None, None
    try:
        return Store(s.folder, s.cap_bytes), None
    except StoreError as err:
        return None, str(err)
