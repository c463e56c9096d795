"""What the corpus page's events mean: which corpus is shown and read with what, which pair is
open, the table's filter. Pure functions over the page's session state (any
``MutableMapping``; the page passes ``st.session_state``), like ``viewer.session``.

The keys: ``corpus`` (the ``CorpusRun`` shown), ``corpus_pending`` (``(bytes, name, digest)``
to summarise next), ``corpus_error``, ``corpus_open`` (the pair number shown side by side, or
None) and ``corpus_pair`` (its ``Pair``), ``corpus_picked`` (the pair last chosen: its table row
stays selected), the filter widgets' ``CORPUS_FILTERS`` and the column names'
``CORPUS_COLUMNS``; ``_corpus_order`` (the pair numbers of the table's rows as last drawn),
``_corpus_failed`` (settings that failed, never tried twice) and ``_hist_round``; for links
(``viewer.store``): ``corpus_kept`` (``(id, digest, name)`` of the uploaded corpus the store
keeps), ``_corpus_open_wanted`` (the pair a link asks to open once its corpus is read) and
``_corpus_link_read``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..loading import Document, InputError
from ..session import CORPUS, State, event, make_pair, option_values, reset_view
from ..store import StoreError, looks_like_id
from .table import SHOW_ALL, SHOW_ERRORS, TABLE_ROWS, example_corpus, filter_pairs, neighbour_pair

# The corpus table's filter and sort, kept while a pair is open
CORPUS_FILTERS = {"corpus_search": "", "corpus_show": SHOW_ALL, "corpus_rate": (0, 100),
                  "corpus_sort": "Corruption rate", "corpus_desc": True}
CORPUS_COLUMNS = {"corpus_col_original": "original", "corpus_col_corrupted": "corrupted",
                  "corpus_col_id": ""}


@dataclass(frozen=True, eq=False)
class CorpusRun:
    """A summarised corpus: its bytes (to open a pair later), what it was read with, and the
    summary (``viewer.corpus.COLUMNS``, one row per pair)."""

    data: bytes
    name: str
    digest: str
    columns: tuple[str, str, str | None]
    options: tuple[tuple[str, bool], ...]  # ``settings``' (name, value) pairs
    frame: object  # pandas.DataFrame

    @property
    def key(self) -> tuple:
        return (self.digest, self.name, self.columns, self.options)


def init(state: State) -> None:
    for key, value in {"corpus": None, "corpus_pending": None, "corpus_error": None,
                       "corpus_open": None, "corpus_pair": None, "corpus_picked": None,
                       "corpus_kept": None, "_corpus_open_wanted": None,
                       **CORPUS_FILTERS, **CORPUS_COLUMNS}.items():
        state.setdefault(key, value)


# --- which corpus, read how ---------------------------------------------------------------------


def settings(state: State) -> tuple[tuple[str, str, str | None], tuple[tuple[str, bool], ...]]:
    """The column names (blank: the defaults) and the alignment options a corpus is read with,
    every option the page offers as ``(name, value)`` (``PairOptions``' field names)."""
    columns = (state["corpus_col_original"].strip() or "original",
               state["corpus_col_corrupted"].strip() or "corrupted",
               state["corpus_col_id"].strip() or None)
    return columns, tuple(option_values(state).items())


def stage(state: State, data: bytes, name: str) -> None:
    """A corpus to summarise on the next run; its table shows, not a pair of the old one."""
    state["corpus_pending"] = (data, name, hashlib.blake2b(data, digest_size=16).hexdigest())
    state["corpus_open"] = None
    state["corpus_error"] = None


def stage_example(state: State) -> None:
    stage(state, example_corpus(), "example-corpus.zip")
    state["corpus_kept"] = None  # the example needs no link


def take_upload(state: State) -> None:
    """A corpus file was uploaded: read it next, and keep it in the store (``corpus_kept``)
    so that the address (``?corpus=<id>``) reopens it."""
    upload = state.get("corpus_upload")
    if upload is None:  # the file was removed from the uploader; keep the corpus
        return
    data = upload.getvalue()
    stage(state, data, upload.name)
    state["corpus_kept"] = None
    store = state.get("_store")
    if store is not None:
        try:
            state["corpus_kept"] = (store.put_corpus(data, upload.name),
                                    state["corpus_pending"][2], upload.name)
        except StoreError as err:
            state["store_note"] = str(err)


def open_link(state: State, corpus_query: str | None, open_query: str | None) -> None:
    """Once per session, before ``init``: the corpus a link names (``?corpus=<id>``, and
    ``&open=k``, its k-th pair, 1-based, opened once the corpus is read) in Corpus mode; an id
    the store does not have is said, never replaced by another corpus."""
    if state.get("_corpus_link_read"):
        return
    state["_corpus_link_read"] = True
    if not corpus_query:
        return
    init(state)
    state["mode"] = CORPUS
    store = state.get("_store")
    try:
        found = store.get_corpus(corpus_query) if store is not None else None
    except StoreError as err:
        state["store_note"] = str(err)
        found = None
    if found is None:
        named = f" {corpus_query}" if looks_like_id(corpus_query) else ""
        state["corpus_error"] = (
            f"No corpus with the id{named} is stored on this server: it was never stored here, "
            "it was removed to make room, or this server keeps uploads in their session only. "
            "Upload it again, or try the example corpus.")
        return
    data, name = found
    stage(state, data, name)
    state["corpus_kept"] = (corpus_query, state["corpus_pending"][2], name)
    try:
        state["_corpus_open_wanted"] = int(open_query) - 1 if open_query else None
    except ValueError:
        state["_corpus_open_wanted"] = None


def open_wanted(state: State, documents: Documents) -> bool:
    """Open the pair a link asked for, once its corpus is read; whether it was opened."""
    wanted = state.get("_corpus_open_wanted")
    run: CorpusRun | None = state["corpus"]
    if wanted is None or run is None or state["corpus_pending"] is not None:
        return False
    state["_corpus_open_wanted"] = None
    if 0 <= wanted < len(run.frame):
        selected = state.get("selected")
        open_pair(state, wanted, documents)
        if showing_pair(state) and selected is not None:
            state["selected"] = selected  # the link's ?diff=k
        return showing_pair(state)
    return False


def link_corpus(params, state: State) -> None:
    """In Corpus mode the page's query parameters name the corpus shown when the store keeps
    it (``?corpus=<id>``) and the pair open (``&open=k``); in Pair mode, neither. Written only
    when they change."""
    run: CorpusRun | None = state.get("corpus")
    kept = state.get("corpus_kept")
    linked = (state.get("mode") == CORPUS and run is not None and kept is not None
              and (run.digest, run.name) == kept[1:])
    want = {"corpus": kept[0] if linked else None,
            "open": str(state["corpus_open"] + 1) if linked and showing_pair(state) else None}
    for key, value in want.items():
        if value is None:
            params.pop(key, None)
        elif params.get(key) != value:
            params[key] = value


def refresh(state: State, summarise: Callable[[tuple, bytes], object]) -> CorpusRun | None:
    """The corpus to show: a new upload summarised, or the corpus shown summarised again when
    its column names or the options changed (``summarise(key, data)``: the summary frame, key
    ``(digest, name, columns, options)``). An upload that fails stays pending, so that naming
    its columns can mend it; the corpus shown before stays, and no failing combination is tried
    twice."""
    columns, options = settings(state)
    failed: set = state.setdefault("_corpus_failed", set())
    pending = state["corpus_pending"]
    if pending is not None:
        data, name, digest = pending
        key = (digest, name, columns, options)
        if key not in failed and _summarise(state, summarise, key, data):
            state["corpus_pending"] = None
            state["corpus_picked"] = None  # another corpus: nothing of the old one is chosen
            state["corpus_open"] = None
            return state["corpus"]
    current: CorpusRun | None = state["corpus"]
    if current is None:
        return None
    key = (current.digest, current.name, columns, options)
    if key != current.key and key not in failed:
        _summarise(state, summarise, key, current.data, quiet=pending is not None)
    return state["corpus"]


def _summarise(state: State, summarise, key: tuple, data: bytes, quiet: bool = False) -> bool:
    """``corpus`` from ``data`` read with ``key``'s settings; False (and the error shown) when
    it cannot be read. ``quiet``: leave the error shown as it is on success."""
    from . import Columns, EngineError

    current: CorpusRun | None = state["corpus"]
    try:
        Columns(*key[2])
        frame = summarise(key, data)
    except (InputError, ValueError, EngineError) as err:
        kept = f" Still showing {current.name}." if current is not None else ""
        state["corpus_error"] = f"{err}{kept}"
        state["_corpus_failed"].add(key)
        return False
    state["corpus"] = CorpusRun(data, key[1], key[0], key[2], key[3], frame)
    if not quiet:
        state["corpus_error"] = None
    return True


# --- the open pair ------------------------------------------------------------------------------


def pair_id(run: CorpusRun, pair: int) -> str:
    """How the table names pair number ``pair``."""
    ids = run.frame["id"]
    return str(ids.iat[pair]) if 0 <= pair < len(ids) else str(pair + 1)


def open_pair(state: State, pair: int | None,
              documents: Callable[[CorpusRun, int], tuple[Document, Document]]) -> None:
    """Show pair number ``pair`` side by side (``documents``: its two documents, or
    ``InputError``); a bad pair stays in the table with its error. None: nothing to open."""
    run: CorpusRun | None = state["corpus"]
    if run is None or pair is None:
        return
    state["corpus_picked"] = pair
    try:
        a, b = documents(run, pair)
    except InputError as err:
        state["corpus_error"] = f"Pair {pair_id(run, pair)} cannot be opened: {err}"
        return
    state["corpus_pair"] = make_pair(a, b)
    state["corpus_open"] = pair
    state["corpus_error"] = None
    reset_view(state)


def showing_pair(state: State) -> bool:
    return (state["corpus"] is not None and state["corpus_open"] is not None
            and state["corpus_pair"] is not None)


def table_clicked(state: State) -> int | None:
    """The pair a click on the table opens: a click on a cell or on a row's box. Between clicks
    the table holds at most the row of the pair last chosen (``corpus_table``), so whichever of
    the two is set now is the click; clicking that row off forgets the choice (None)."""
    selection = event(state, "corpus_table", "selection")
    rows = list(selection.get("rows") or []) if selection is not None else []
    cells = list(selection.get("cells") or []) if selection is not None else []
    order = state.get("_corpus_order")
    row = cells[0][0] if cells else rows[0] if rows else None
    if row is None:
        state["corpus_picked"] = None
    elif order is not None and isinstance(row, int) and 0 <= row < len(order):
        return int(order[row])
    return None


Documents = Callable[[CorpusRun, int], tuple[Document, Document]]


def open_clicked(state: State, documents: Documents) -> None:
    """Open the pair a click on the table chose (see ``table_clicked``)."""
    open_pair(state, table_clicked(state), documents)


def open_neighbour(state: State, direction: int, documents: Documents) -> None:
    """Open the pair above (-1) or below (+1) the open one (see ``step_target``)."""
    open_pair(state, step_target(state, direction), documents)


def back(state: State) -> None:
    state["corpus_open"] = None
    state["corpus_error"] = None


def step_target(state: State, direction: int) -> int | None:
    """The pair above (-1) or below (+1) the open one in the table as it was last shown."""
    order, run = state.get("_corpus_order"), state["corpus"]
    if order is None or run is None or state["corpus_open"] is None:
        return None
    return neighbour_pair(order, run.frame["error"].isna().to_numpy(), state["corpus_open"],
                          direction)


def table_place(state: State) -> tuple[int, int] | None:
    """The open pair's row (1-based) and the number of rows in the table as last shown."""
    order = state.get("_corpus_order")
    where = np.flatnonzero(order == state["corpus_open"]) if order is not None else ()
    return (int(where[0]) + 1, len(order)) if len(where) else None


def picked_rows(state: State) -> list[int]:
    """The table row of the pair last opened, wherever the filter and sort put it."""
    order, picked = state.get("_corpus_order"), state["corpus_picked"]
    where = np.flatnonzero(order == picked) if picked is not None and order is not None else ()
    return [int(where[0])] if len(where) else []


# --- the table's filter -------------------------------------------------------------------------


def shown_pairs(state: State, frame):
    """The rows of the corpus summary ``frame`` the table lists, in its order, by the filter
    and sort widgets (``CORPUS_FILTERS``)."""
    return filter_pairs(frame, state["corpus_search"], state["corpus_show"],
                        tuple(state["corpus_rate"]), state["corpus_sort"], state["corpus_desc"])


def listed(state: State, shown):
    """The first ``TABLE_ROWS`` of the pairs shown: the table's rows, whose pair numbers are
    kept for the next run's clicks (``_corpus_order``)."""
    shown = shown.iloc[:TABLE_ROWS]
    state["_corpus_order"] = shown["pair"].to_numpy(dtype=np.int64)
    return shown


def hist_key(state: State) -> str:
    """The histogram's widget key: a new one lets go of the bar picked (see ``rate_typed``)."""
    return f"corpus_hist_{state.get('_hist_round', 0)}"


def rate_picked(state: State) -> None:
    """A click on a histogram bar lists only the pairs of that bar; a double-click (the bar let
    go) lists every rate again."""
    from ..charts import RATE_PICK  # altair: loaded by then, the chart was drawn

    picked = (event(state, hist_key(state), "selection") or {}).get(RATE_PICK) or []
    lo, hi = (picked[0].get("start"), picked[0].get("end")) if picked else (0.0, 1.0)
    if isinstance(lo, int | float) and isinstance(hi, int | float):
        state["corpus_rate"] = (int(round(lo * 100)), int(round(hi * 100)))
        if picked and state["corpus_show"] == SHOW_ERRORS:
            state["corpus_show"] = SHOW_ALL


def rate_typed(state: State) -> None:
    """The range was set by hand: the histogram lets go of its bar (a new chart, so that a
    click on that bar counts again)."""
    state["_hist_round"] = state.get("_hist_round", 0) + 1


def reset_filters(state: State) -> None:
    state.update(CORPUS_FILTERS)
    rate_typed(state)


def filters_at_default(state: State) -> bool:
    return all((tuple(state[k]) if isinstance(v, tuple) else state[k]) == v
               for k, v in CORPUS_FILTERS.items())
