"""The page's memory budget: one byte-bounded, least-recently-used store shared by all sessions.

Streamlit's ``st.cache_data(max_entries=n)`` bounds a cache by its number of entries, and a
million-token pair's entry is a thousand times larger than the example pair's. ``MemoryStore``
bounds what it holds in bytes (``VIEWER_MEMORY_MB``, see ``budget_bytes``), groups what belongs
to one alignment (the alignment, its view data, its chart frames) and evicts whole groups, least
recently used first.

What eviction really frees: the store drops its references. The group's bytes stay counted
until its alignment object is garbage (a ``weakref.finalize``): a session still drawing its page
with that alignment, or anything else holding it, keeps it alive, and a budget that ignored
that would be a budget only on paper. The page therefore keeps only the pair's key in a
session, never the alignment (``app.py``), and its download buttons, which Streamlit keeps for
as long as the page is open, only a weak reference (``page_data.pair_downloads``). What the
budget does not count: the two documents' texts a session shows (``st.session_state.pair``,
about one to four bytes a character) and Streamlit's buffer of an uploaded file, both held for
as long as the session lives, and the server's own baseline.

A new alignment first reserves its estimated peak (``alignment_peak_bytes``), in its turn: one
alignment is computed at a time, first come first served (they share one interpreter lock:
side by side they only all finish later, with their peaks added up). The page's view data is
made in the same turn and reservation (``get_or_compute``'s ``derive``): made from the
alignment, its peak is the higher one, and made after the turn it came on top of the next
session's reservation. Before and after the computation the heap's free pages go back to the
system (``return_free_memory``): what the server's RSS shows is what counts. When the budget cannot
hold it even after evicting everything evictable, the computation waits (polling) for other
sessions' alignments to finish or be freed, and gives up with ``MemoryBusy`` after
``WAIT_SECONDS`` in which nothing finished or was freed; a pair larger than the whole budget is
refused at once (``MemoryTooSmall``). A page's script run that a newer run of the same page
replaced (Streamlit starts the new run at once and stops the old one only at its next
element) gives up its turn before aligning (``still_wanted``): uploading an original and then
its corrupted file would otherwise align the new original against the old corrupted text first.

Sizes are estimates (``nbytes``): a str's ``sys.getsizeof``, arrays' buffers, token id lists at
a pointer an item (their ints are shared with the vocabulary), hunks at the deep size of a
sample times their number, DataFrames' ``memory_usage(deep=True)``, NumPy arrays' ``nbytes``,
containers and objects the sum of what they hold (a sample of a long one), a few levels deep.
Nothing is pickled to be measured: that would copy the value at the worst moment. Checked
against tracemalloc on a million-token pair: 54 B/token estimated for the alignment (texts
included) against 55.7 traced; view data 5.4 against 5.5.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
import weakref
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from typing import Any

DEFAULT_MEMORY_MB = 1024
# The alignment alone at its peak, in bytes per character of both texts (see below): a pair
# whose alignment alone does not fit the budget is refused (``MemoryTooSmall``).
ALIGNMENT_BYTES_PER_CHAR = 14
# An alignment's peak while it is computed with its view data (``get_or_compute``'s
# ``derive``), in bytes per character of both texts (ASCII prose), as the server's RSS sees it:
# for benchmarks/memory.py's generated pair of 1.2M + 1.2M tokens and 12.4M characters, the
# alignment alone peaks at +174 MB (14 B/char), and the view data, made from it, at +268 MB
# (21.6 B/char: the error rates' word windows and the provenance index, on top of the
# alignment); the texts themselves are the session's, not counted here.
PEAK_BYTES_PER_CHAR = 22
POLL_SECONDS = 0.2
# A waiter runs the garbage collector at most this often (see ``MemoryStore._wait_for_room``).
COLLECT_SECONDS = 10.0
# Ten minutes in which no other computation finished and nothing was freed: something is
# stuck (a million-token alignment takes seconds alone, about a minute on a busy 2-core machine).
WAIT_SECONDS = 600.0


class MemoryBusy(RuntimeError):
    """Waited ``WAIT_SECONDS`` and the budget still could not hold the new alignment."""


class MemoryTooSmall(RuntimeError):
    """The alignment alone is larger than the whole budget."""


def budget_bytes(environ: dict | None = None) -> int:
    """``VIEWER_MEMORY_MB`` megabytes (MiB), or the default: 1024 MiB, or a quarter of the
    machine's memory when that is less (a 2 GB container keeps room for the server's ~250 MB
    baseline, the sessions' documents and upload buffers, and the peak of one alignment being
    computed outside the budget's estimate)."""
    environ = os.environ if environ is None else environ
    value = environ.get("VIEWER_MEMORY_MB", "").strip()
    if value:
        mb = float(value)
        if mb <= 0:
            raise ValueError(f"VIEWER_MEMORY_MB must be positive, not {value!r}")
        return int(mb * 1024 * 1024)
    default = DEFAULT_MEMORY_MB * 1024 * 1024
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return default
    return min(default, total // 4)


# --- size estimates -----------------------------------------------------------------------------


def nbytes(value: Any, depth: int = 4) -> int:
    """An estimate of the memory ``value`` holds (see the module docstring). An alignment or
    tokens met inside another value (view data keeps the alignment it was made from) count
    nothing there: they are the alignment's part of the group."""
    from .align import Alignment
    from .tokens import Tokens

    top = depth == 4
    if isinstance(value, Alignment):
        return alignment_nbytes(value) if top else 0
    if isinstance(value, Tokens):
        return tokens_nbytes(value) + vocabulary_nbytes(value.vocab) if top else 0
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return sys.getsizeof(value)
    if isinstance(value, array):
        return value.buffer_info()[1] * value.itemsize
    if hasattr(value, "memory_usage") and hasattr(value, "columns"):  # a DataFrame
        return int(value.memory_usage(deep=True, index=True).sum())
    if hasattr(value, "nbytes") and hasattr(value, "dtype"):  # a NumPy array
        return int(value.nbytes)
    if not depth:
        return sys.getsizeof(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(nbytes(v, depth - 1) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        if len(items) > 64:  # a sample's average, times the length
            sample = items[:: len(items) // 32]
            return sys.getsizeof(value) + int(
                sum(nbytes(v, depth - 1) for v in sample) / len(sample) * len(items))
        return sys.getsizeof(value) + sum(nbytes(v, depth - 1) for v in items)
    fields = getattr(value, "__dict__", None)
    if fields is None and hasattr(type(value), "__slots__"):
        fields = {k: getattr(value, k, None) for k in type(value).__slots__}
    if fields is not None:
        return sys.getsizeof(value) + nbytes(dict(fields), depth - 1)
    return sys.getsizeof(value)


def tokens_nbytes(tokens) -> int:
    """A side's tokens without the text and the shared vocabulary: offset columns and ids."""
    return sum(_column_nbytes(c) for c in (tokens.starts, tokens.ends, tokens.ids))


def _column_nbytes(column) -> int:
    if isinstance(column, array):
        return column.buffer_info()[1] * column.itemsize
    if hasattr(column, "nbytes"):
        return int(column.nbytes)
    return sys.getsizeof(column)  # a list: a pointer an item, its ints shared with the vocabulary


def vocabulary_nbytes(vocab) -> int:
    """The interned keys and their two lookup dicts (keys and texts are small strings)."""
    n_keys, n_texts = len(vocab.keys), len(vocab._id_by_text)
    return (sys.getsizeof(vocab.keys) + sys.getsizeof(vocab._id_by_key)
            + sys.getsizeof(vocab._id_by_text) + (n_keys + n_texts) * _SMALL_STR + n_keys * _INT)


_SMALL_STR = 56  # a short ASCII str object
_INT = 32  # an int object above the cached small ones


def alignment_nbytes(al) -> int:
    """Both texts, both token columns, the vocabulary once, the hunks, and the provenance and
    types once computed (cached properties)."""
    total = (sys.getsizeof(al.a.text) + sys.getsizeof(al.b.text) + tokens_nbytes(al.a)
             + tokens_nbytes(al.b) + vocabulary_nbytes(al.a.vocab) + _hunks_nbytes(al.hunks))
    if "types" in al.__dict__:
        total += sys.getsizeof(al.types)
    if "provenance" in al.__dict__:
        total += _PROVENANCE_BYTES_PER_HUNK * len(al.hunks)
    return total


# provenance's per-hunk verdicts, sources and index: 7.9 MB for the 47,384 hunks of the
# generated million-token pair (tracemalloc)
_PROVENANCE_BYTES_PER_HUNK = 170


def _hunks_nbytes(hunks) -> int:
    if not hunks:
        return sys.getsizeof(hunks)
    sample = hunks[:: max(1, len(hunks) // 32)]
    per_hunk = sum(_deep_size(h) for h in sample) / len(sample)
    return sys.getsizeof(hunks) + int(per_hunk * len(hunks))


def _deep_size(obj, depth: int = 3) -> int:
    """An object, its ``__dict__`` and the tuples in it (ints are counted as their own)."""
    size = sys.getsizeof(obj)
    if depth and hasattr(obj, "__dict__"):
        size += sys.getsizeof(obj.__dict__)
        size += sum(_deep_size(v, depth - 1) for v in obj.__dict__.values()
                    if isinstance(v, tuple))
    elif depth and isinstance(obj, tuple):
        size += sum(_deep_size(v, depth - 1) for v in obj if isinstance(v, tuple | int))
    return size


def alignment_peak_bytes(a_text: str, b_text: str, budget: int | None = None) -> int:
    """What aligning these texts and preparing their view is expected to need at its peak; at
    most the whole ``budget`` when the alignment alone fits in it. The view's share is
    measured on prose with changes all along (its word windows and provenance grow with the
    differences): a long text against a short one needs little for its view, and a pair the
    budget can align is not refused for its view's estimate."""
    chars = len(a_text) + len(b_text)
    peak = PEAK_BYTES_PER_CHAR * chars
    if budget is not None and ALIGNMENT_BYTES_PER_CHAR * chars <= budget:
        return min(peak, budget)
    return peak


def return_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc ``malloc_trim``): an alignment's
    temporary lists and strings are freed into the heap, where the server's RSS would keep
    them. A no-op elsewhere."""
    global _malloc_trim
    if _malloc_trim is None:
        try:
            import ctypes

            _malloc_trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _malloc_trim = False
    if _malloc_trim:
        _malloc_trim(0)


_malloc_trim = None


# --- the store ----------------------------------------------------------------------------------


class _Group:
    __slots__ = ("parts", "nbytes", "anchor", "evicted")

    def __init__(self):
        self.parts: dict[str, Any] = {}
        self.nbytes = 0
        self.anchor: weakref.ref | None = None  # the value whose death frees the group
        self.evicted = False


class MemoryStore:
    """Groups of values (one alignment and what is derived from it) within ``budget`` bytes,
    least recently used first out. Thread-safe: Streamlit runs each session's script in its
    own thread. Values are shared, not copied: callers must not change them."""

    def __init__(self, budget: int, *, wait_seconds: float | None = None,
                 poll_seconds: float = POLL_SECONDS, size_of: Callable[[Any], int] = nbytes,
                 collect_seconds: float = COLLECT_SECONDS,
                 collect: Callable[[], Any] = gc.collect):
        self.budget = budget
        self.wait_seconds = WAIT_SECONDS if wait_seconds is None else wait_seconds
        self.poll_seconds = poll_seconds
        self.size_of = size_of
        self.collect_seconds = collect_seconds
        self.collect = collect
        self._last_collect = -float("inf")
        self._line: deque[object] = deque()  # reserving computations waiting for their turn
        self._turn_taken = False  # a reserving computation is under way
        self._groups: OrderedDict[Hashable, _Group] = OrderedDict()  # oldest first
        self._held = 0  # bytes of the groups in the store
        self._released = 0  # bytes of evicted groups whose alignment is still alive somewhere
        self._reserved = 0  # bytes promised to computations under way
        self._lock = threading.Condition()
        self._computing: dict[tuple, threading.Event] = {}
        self._anchored: dict[int, _Group] = {}  # groups with a live anchor, by id
        self._progress = 0  # counts reservations returned and evicted groups really freed
        self.evictions = 0

    # what the budget holds now
    @property
    def used(self) -> int:
        with self._lock:
            return self._held + self._released + self._reserved

    def keys(self) -> list:
        """Group keys, least recently used first."""
        with self._lock:
            return list(self._groups)

    def get(self, group: Hashable, part: str, default=None):
        """A value already in the store (and its group made the most recent), else ``default``."""
        with self._lock:
            g = self._groups.get(group)
            if g is None or part not in g.parts:
                return default
            self._groups.move_to_end(group)
            return g.parts[part]

    def get_or_compute(self, group: Hashable, part: str, compute: Callable[[], Any], *,
                       reserve: int = 0, on_wait: Callable[[], None] | None = None,
                       still_wanted: Callable[[], None] | None = None, anchor: bool = False,
                       derive: Callable[[Any], dict[str, Any]] | None = None):
        """The value stored for ``(group, part)``, else ``compute()`` stored there. ``reserve``:
        bytes to set aside before computing; a computation that reserves waits for its turn
        (one at a time, first come first served) and then for the bytes (see ``reserve``).
        ``still_wanted()`` is called once the turn and the bytes are there, just before
        computing: it raises to give them up (a page's script run that a newer run replaced
        while it waited). ``anchor``: this value is the one whose life decides when the
        group's memory is really freed (the alignment; it must be weak-referenceable).
        ``derive(value)``: more parts of the group (``{part: value}``), computed in the same
        turn and reservation (the page's view data: its peak, on top of the alignment it is
        made from, is higher than the alignment's own; computed outside the turn, it came on
        top of the next session's reservation). One computation per key at a time: a second
        caller waits for the first one's value.

        Why one reserving computation at a time: every session's script runs in one process,
        so alignments under way share one interpreter lock. Two at once do not finish sooner
        than one after the other; both finish late, and their peaks add up. In turn, the first
        page shows its pair after one alignment's time, not after all of them."""
        key = (group, part)
        while True:
            with self._lock:
                g = self._groups.get(group)
                if g is not None and part in g.parts:
                    self._groups.move_to_end(group)
                    return g.parts[part]
                running = self._computing.get(key)
                if running is None:
                    running = self._computing[key] = threading.Event()
                    break
            running.wait()  # another session computes it; then take its value (or try again)
        try:
            if reserve:
                self.reserve(reserve, on_wait, turn=True)
                # the alignments evicted for it were freed into the heap (another thread's
                # arena, often, which this computation cannot reuse): give them back first
                return_free_memory()
            try:
                if still_wanted is not None:
                    still_wanted()
                value = compute()
                if derive is not None:
                    if reserve:
                        # what the computation freed goes back before the derived parts'
                        # peak rides on it (aligning a 60 MB original leaves ~0.1 GB free in
                        # the heap of the page's thread)
                        return_free_memory()
                    derived = derive(value)
                else:
                    derived = {}
            except BaseException:
                if reserve:
                    self.release_reservation(reserve, turn=True)
                raise
            with self._lock:  # the reservation becomes the values: no waiter comes between
                if reserve:
                    self.release_reservation(reserve, turn=True)
                self.put(group, part, value, anchor=anchor)
                for name, extra in derived.items():
                    self.put(group, name, extra)
            del derived
            if reserve:
                return_free_memory()
            return value
        finally:
            with self._lock:
                self._computing.pop(key, None)
            running.set()

    def put(self, group: Hashable, part: str, value, *, anchor: bool = False) -> None:
        size = self.size_of(value)
        with self._lock:
            g = self._groups.get(group)
            if g is None:
                g = self._groups[group] = _Group()
            g.parts[part] = value
            g.nbytes += size
            self._held += size
            self._progress += 1
            self._groups.move_to_end(group)
            if anchor:
                # after eviction, the group's bytes count until the anchor really is garbage
                g.anchor = weakref.ref(value)
                # the finalizer holds neither the store nor the group (whose parts hold the
                # anchor): a store let go of without ``clear`` frees its alignments too
                self._anchored[id(g)] = g
                weakref.finalize(value, _on_anchor_freed, weakref.ref(self), id(g))
            self._evict_down_to(self.budget, keep=group)

    def reserve(self, size: int, on_wait: Callable[[], None] | None = None, *,
                turn: bool = False) -> None:
        """Set ``size`` bytes aside, evicting least recently used groups for them; when even
        that is not enough, wait for other computations and sessions to free memory, calling
        ``on_wait()`` once. ``turn``: first wait until no other reserving computation is under
        way and those that came earlier have had theirs (give it back with
        ``release_reservation(size, turn=True)``). Raises ``MemoryTooSmall`` at once when
        ``size`` exceeds the budget, ``MemoryBusy`` after ``wait_seconds`` in which nothing
        finished or was freed."""
        if size > self.budget:
            raise MemoryTooSmall(size)
        deadline = time.monotonic() + self.wait_seconds
        ticket = object()
        with self._lock:
            if turn:
                self._line.append(ticket)
            try:
                self._wait_for_room(size, ticket if turn else None, on_wait, deadline)
            finally:
                if turn:
                    self._line.remove(ticket)
                    self._lock.notify_all()  # the next in line may go (or try again)

    def _wait_for_room(self, size: int, ticket, on_wait, deadline: float) -> None:
        """``reserve``'s wait, under the lock; with a ``ticket``, the turn is taken too."""
        told = False
        progress = self._progress
        while True:
            if ticket is None or (self._line[0] is ticket and not self._turn_taken):
                self._evict_down_to(self.budget - size)
                if self._held + self._released + self._reserved + size <= self.budget:
                    self._reserved += size
                    if ticket is not None:
                        self._turn_taken = True
                    return
            if self._progress != progress:  # others finish or free: keep waiting
                progress = self._progress
                deadline = time.monotonic() + self.wait_seconds
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise MemoryBusy(size)
            if not told and on_wait is not None:
                told = True
                self._lock.release()  # the callback draws on the page: never under the lock
                try:
                    on_wait()
                finally:
                    self._lock.acquire()
            if self._released and time.monotonic() - self._last_collect >= self.collect_seconds:
                # an evicted alignment caught in a reference cycle (a traceback's frames) is
                # freed only by the collector; not at every poll: a full collection walks every
                # list of the alignments still held (a third of a second for one
                # million-token pair), and a waiter collecting five times a second kept the
                # interpreter lock from the alignments it waited for (benchmarks/memory.py)
                self._last_collect = time.monotonic()
                self._lock.release()
                try:
                    self.collect()
                finally:
                    self._lock.acquire()
            self._lock.wait(min(self.poll_seconds, max(remaining, 0.0)))

    def release_reservation(self, size: int, *, turn: bool = False) -> None:
        """Give back ``reserve``'s bytes (and, with ``turn``, the turn)."""
        with self._lock:
            self._reserved -= size
            if turn:
                self._turn_taken = False
            self._progress += 1
            self._lock.notify_all()

    def clear(self) -> None:
        with self._lock:
            self._evict_down_to(-1)

    def _evict_down_to(self, limit: int, keep: Hashable = None) -> None:
        """Evict least recently used groups (never ``keep``) while the budget's use exceeds
        ``limit``. Called under the lock."""
        for group in list(self._groups):
            if self._held + self._released + self._reserved <= limit:
                return
            if group == keep:
                continue
            g = self._groups.pop(group)
            self._held -= g.nbytes
            self.evictions += 1
            g.evicted = True
            if g.anchor is not None and g.anchor() is not None:
                self._released += g.nbytes  # until the anchor's finalizer subtracts them
            else:
                g.nbytes = 0
            g.parts = {}  # the store's references go (this may run the finalizer at once)

    def _anchor_freed(self, token: int) -> None:
        with self._lock:
            g = self._anchored.pop(token, None)
            if g is not None and g.evicted and g.nbytes:
                self._released -= g.nbytes
                g.nbytes = 0
                self._progress += 1
                self._lock.notify_all()


def _on_anchor_freed(store: weakref.ref, token: int) -> None:
    """An anchor is garbage: its store (if it still lives) stops counting its group."""
    alive = store()
    if alive is not None:
        alive._anchor_freed(token)


WAITING_MESSAGE = ("The server is busy with other large documents; waiting for memory…")


def refusal_message(err: Exception) -> str:
    """What the page says when the budget refused a pair (the previous pair stays shown)."""
    if isinstance(err, MemoryTooSmall):
        return ("This pair is too large for the server's memory budget (VIEWER_MEMORY_MB); "
                "the previous pair is shown.")
    return ("The server stayed busy with other large documents and had no memory for this "
            "pair; the previous pair is shown. Try again in a while.")
