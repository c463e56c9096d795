"""What the page's events mean: the pair shown, the selected difference, the window of rows.

Pure functions over the page's session state, any ``MutableMapping`` (the page passes
``st.session_state``; tests pass a dict), and the event values Streamlit's widgets leave in it
(plain dicts). ``app.py``'s callbacks are one line each calling these; no Streamlit here.

The keys (besides the widgets' own: ``kinds``, ``types``, ``preset``, ``ignore_case``,
``mark_letters``, ``colour_by``, ``paste_a``…):
``pair`` (the ``Pair`` of Pair mode), ``selected`` (hunk id or None), ``window_anchor`` (a row
the view was asked to grow around), ``reveal`` (bumped to scroll the view to the selection),
``focus`` (a source of the selected copy the view was asked to scroll to, or None),
``_view_ack`` (the last selection made in the view that was applied), ``_view_sent`` (the rows
the view holds), ``_view_painted`` (the page has been drawn whole once),
``load_error``, ``mode`` and ``_selected_by_mode``; and what the last run drew, for the next
run's callbacks: ``_nav`` (the arrays navigation reads), ``_window``, ``_table_ids``.
The corpus page's keys are in ``viewer.corpus.session``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from . import navigation
from .align import Alignment, AlignOptions, align
from .kinds import KINDS, TYPES
from .layout import Layout, grown_window_anchor
from .layout import window as rows_around
from .loading import Document, InputError, decode_bytes, load_text

State = MutableMapping[str, Any]
PAIR, CORPUS = "Pair", "Corpus"

# The alignment options the page offers, in the order ``align_options`` gives them: those
# ``AlignOptions`` has (Ignore punctuation arrives with the aligner that supports it).
OPTION_KEYS = tuple(name for name in ("ignore_case", "ignore_punctuation", "strict_typography")
                    if name in {f.name for f in fields(AlignOptions)})


@dataclass(frozen=True)
class Preset:
    """A one-click setting of the options for one kind of text: what the alignment ignores,
    whether letters are marked inside substitutions, and which error rate comes first."""

    ignore_case: bool
    ignore_punctuation: bool
    strict_typography: bool
    mark_letters: bool
    first_measure: str  # "wer" or "cer"
    help: str


TEXT, OCR, ASR = "Text", "OCR", "ASR"
PRESETS = {
    TEXT: Preset(False, False, False, True, "wer", "Any text: the default options."),
    OCR: Preset(False, False, True, True, "cer", "OCR output: strict typography, the letters "
                "that differ marked, character error rate first."),
    ASR: Preset(True, True, False, False, "wer", "Speech transcripts: case and punctuation "
                "ignored, word error rate first."),
}


@dataclass(frozen=True)
class Pair:
    a: Document
    b: Document
    key: str  # digest of both texts, computed once


def make_pair(a: Document, b: Document) -> Pair:
    digest = hashlib.blake2b(digest_size=16)
    for doc in (a, b):
        digest.update(doc.text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return Pair(a, b, digest.hexdigest())


def load_example() -> Pair:
    """The example pair (``seeds/``), decoded like an upload."""
    from .example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL

    return make_pair(*(decode_bytes(path.read_bytes(), path.name)
                       for path in (EXAMPLE_ORIGINAL, EXAMPLE_CORRUPTED)))


def init(state: State, example: Callable[[], Pair], diff_query: str | None) -> None:
    """Every key the page reads, set once per session (``example``: the pair shown first;
    ``diff_query``: the ``?diff=k`` of the link the session was opened with)."""
    if state.get("pair") is None:
        state["pair"] = example()
    for key, value in {**preset_values(PRESETS[TEXT]), "preset": TEXT, "kinds": list(KINDS),
                       "types": list(TYPES), "colour_by": "kind", "focus": None,
                       "selected": navigation.selection_from_query(diff_query),
                       "load_error": None, "reveal": 0, "window_anchor": None, "paste_a": "",
                       "paste_b": "", "mode": PAIR, "_selected_by_mode": {}}.items():
        state.setdefault(key, value)


# --- options and presets -----------------------------------------------------------------------


def preset_values(preset: Preset) -> dict[str, bool]:
    """The widget values a preset sets: the options the page offers, and letter marks."""
    return {**{key: getattr(preset, key) for key in OPTION_KEYS},
            "mark_letters": preset.mark_letters}


def apply_preset(state: State) -> None:
    """The preset just picked sets the options (and the alignment shown changes with them)."""
    preset = PRESETS.get(state.get("preset"))
    if preset is not None:
        state.update(preset_values(preset))
        reset_view(state)


def option_values(state: State) -> dict[str, bool]:
    """The alignment options the page offers, with their values."""
    return {key: bool(state.get(key)) for key in OPTION_KEYS}


def align_options(state: State) -> tuple[bool, ...]:
    """The alignment options the state holds, in ``OPTION_KEYS`` order (hashable: a cache key)."""
    return tuple(bool(state.get(key)) for key in OPTION_KEYS)


def align_pair(pair: Pair, options: tuple[bool, ...]) -> Alignment:
    """The alignment of ``pair`` under ``options`` (``align_options``' tuple, ``OPTION_KEYS``
    order): the one place the page aligns."""
    return align(pair.a.text, pair.b.text, **dict(zip(OPTION_KEYS, options, strict=True)))


def first_measure(state: State) -> str:
    """The error rate the metrics show first (the preset's; ``wer`` without one)."""
    preset = PRESETS.get(state.get("preset"))
    return preset.first_measure if preset else "wer"


def tick_options(state: State, keys: tuple[str, ...]) -> None:
    """Turn on the options named (the page's offer when most differences are case or
    punctuation only)."""
    state.update({key: True for key in keys if key in OPTION_KEYS})
    reset_view(state)


# --- the pair shown -----------------------------------------------------------------------------


def reset_view(state: State) -> None:
    """Another alignment is shown: its first difference, the window around it, no list row."""
    state["selected"] = 0
    state["window_anchor"] = None
    state["focus"] = None
    state.pop("diff_table", None)


def set_pair(state: State, a: Document | None = None, b: Document | None = None) -> None:
    """Replace one or both sides; the side not given stays."""
    state["pair"] = make_pair(a or state["pair"].a, b or state["pair"].b)
    reset_view(state)
    state["load_error"] = None


def take_upload(state: State, side: str) -> None:
    """The file just put in side ``a``'s or ``b``'s uploader (an object with ``name`` and
    ``getvalue()``); one that cannot be read leaves the pair as it is and says why."""
    upload = state.get(f"upload_{side}")
    if upload is None:  # the file was removed from the uploader: keep what is shown
        return
    try:
        doc = decode_bytes(upload.getvalue(), upload.name)
    except InputError as err:
        state["load_error"] = str(err)
        return
    set_pair(state, **{side: doc})


def take_paste(state: State) -> None:
    """The pasted texts replace the sides they were pasted for."""
    texts = {"a": state.get("paste_a", ""), "b": state.get("paste_b", "")}
    if not any(texts.values()):
        state["load_error"] = "Paste an original, a corrupted text, or both, then compare."
        return
    try:
        docs = {side: load_text(text, f"pasted {'original' if side == 'a' else 'corrupted'}")
                for side, text in texts.items() if text}
    except InputError as err:
        state["load_error"] = str(err)
        return
    set_pair(state, **docs)


def show_example(state: State, example: Callable[[], Pair]) -> None:
    pair = example()
    set_pair(state, pair.a, pair.b)


def swap(state: State) -> None:
    set_pair(state, state["pair"].b, state["pair"].a)


def switch_mode(state: State) -> None:
    """``mode`` just changed: each mode keeps its own selected difference while the other is
    shown."""
    previous = CORPUS if state["mode"] == PAIR else PAIR
    state["_selected_by_mode"][previous] = state["selected"]
    reset_view(state)
    state["selected"] = state["_selected_by_mode"].get(state["mode"], 0)


# --- the selection ------------------------------------------------------------------------------


def select(state: State, hunk_id: int | None, reveal: bool = False) -> None:
    """Select a difference (None: nothing to select, nothing changes); ``reveal`` scrolls the
    view to it (a pick in a chart or the list, away from the view)."""
    if hunk_id is None:
        return
    state["selected"] = int(hunk_id)
    state["window_anchor"] = None
    state["focus"] = None
    if reveal:
        state["reveal"] = state.get("reveal", 0) + 1


def show_source(state: State, k: int, row: int) -> None:
    """Scroll the view to place ``k`` of the selected copy's sources (in row ``row``), keeping
    the selection."""
    state["window_anchor"] = row
    state["reveal"] = state.get("reveal", 0) + 1
    state["focus"] = {"source": int(k), "nonce": state["reveal"]}


def current_selection(state: State, total: int) -> int | None:
    """The selection, brought within the ``total`` differences of the alignment shown."""
    if state["selected"] is None or not 0 <= state["selected"] < total:
        state["selected"] = navigation.clamp_selection(state["selected"], total)
    return state["selected"]


def set_navigation(state: State, data: dict, ids: np.ndarray, n_tokens: int) -> None:
    """What the callbacks of the next run navigate over: the shown ``ids``, and from
    ``page_data.view_data`` (``data``) the hunks' kinds and positions; ``n_tokens``: the
    original's."""
    state["_nav"] = {"ids": ids, "kinds": data["kinds"], "types": data["types"],
                     "ta0": data["ta0"],
                     "a_paragraph": data["a_paragraph"], "n_a": n_tokens,
                     "total": len(data["kinds"])}


def shown_ids(state: State, data: dict) -> np.ndarray:
    """The ids of the differences the kind and type filters show (``data``: the hunks' kind
    and type codes, ``page_data.view_data`` or ``_nav``)."""
    return navigation.shown_ids(data["kinds"], state["kinds"], data["types"], state["types"])


def keep_on_shown(state: State) -> None:
    """The kind or type filter changed: keep the selection on a shown difference (the next
    one, or the last one)."""
    shown = state.get("_nav")
    if shown:
        target = navigation.keep_shown(shown_ids(state, shown), state["selected"])
        if target is not None and target != state["selected"]:
            select(state, target)


def link_selection(params: MutableMapping[str, str], selected: int | None) -> None:
    """The page's query parameters name the selected difference, ``?diff=k`` (1-based), so the
    address is a link to it; without a selection there is no ``diff``. Written only when it
    changes."""
    if selected is None:
        params.pop("diff", None)
    elif params.get("diff") != str(selected + 1):
        params["diff"] = str(selected + 1)


# --- events of the view, the list and the charts ------------------------------------------------


def event(state: State, key: str, name: str):
    """Field ``name`` of the event widget ``key`` left in the state (a dict, or an object with
    attributes); None when there is none."""
    value = state.get(key)
    if value is None:
        return None
    try:
        return value[name]
    except (KeyError, TypeError):
        return getattr(value, name, None)


def fresh(state: State, value) -> bool:
    """Whether a view-component event is new. Each is applied once: a rerun interrupted by the
    next event runs the callbacks again with the same event (same ``nonce``)."""
    if not isinstance(value, dict) or not isinstance(value.get("nonce"), int | float):
        return False
    if value["nonce"] <= state.get("_last_event", 0):
        return False
    state["_last_event"] = value["nonce"]
    return True


def view_selected(state: State) -> None:
    """A selection made in the view (Next/Previous, a key, a click on a token): ``{id, seq}``.
    Each ``seq`` is applied once and in order (an older one arriving late changes nothing), and
    is echoed back (``view_ack``) so the view knows which of its selections the page has seen."""
    value = event(state, "viewer", "select")
    if not isinstance(value, dict) or not isinstance(value.get("seq"), int | float):
        return
    if value["seq"] <= state.get("_view_ack", 0):
        return
    state["_view_ack"] = value["seq"]
    shown = state.get("_nav")
    hunk_id = value.get("id")
    if shown and isinstance(hunk_id, int) and 0 <= hunk_id < shown["total"]:
        select(state, hunk_id)


def view_ack(state: State) -> int | float:
    """The ``seq`` of the last selection made in the view that the page has applied."""
    return state.get("_view_ack", 0)


def view_lost(state: State) -> None:
    """The view was mounted anew without its rows: send them with the next run."""
    state["_view_sent"] = None


def view_alone(state: State) -> bool:
    """True on the session's first drawing of a pair, then never again: that run draws the view
    alone, so the first highlighted token is on screen before the sidebar, the charts, the list
    and the detail panel; the view's ``ready`` event, sent once it is painted, brings them (any
    later run draws everything)."""
    if state.get("_view_painted"):
        return False
    state["_view_painted"] = True
    return True


def view_ready(state: State) -> None:
    """The view drew the session's first run (``view_alone``) and asks for the rest."""
    state["_view_ready"] = True


def view_ready_seen(state: State) -> bool:
    """Whether the view's ``ready`` event came since this was last asked."""
    return bool(state.pop("_view_ready", False))


def rows_to_send(state: State, drawn: tuple, render: Callable[[], str]) -> tuple[str, str | None]:
    """The name of the view's rows and their HTML, or None in place of the HTML when the view
    was sent these rows already (``drawn``: what they depend on; ``render`` makes them)."""
    rev = hashlib.blake2b(repr(drawn).encode("utf-8"), digest_size=8).hexdigest()
    if state.get("_view_sent") == rev:
        return rev, None
    state["_view_sent"] = rev
    return rev, render()


def view_wants_more(state: State) -> None:
    """The view was scrolled to an end of its window of rows: grow it that way."""
    value = event(state, "viewer", "more")
    window = state.get("_window")
    if not window or not fresh(state, value):
        return
    _, start, stop, n_rows = window
    state["window_anchor"] = grown_window_anchor(start, stop, n_rows, value.get("dir", 0))


def view_window(state: State, key: str, layout: Layout, selected: int | None) -> tuple[int, int]:
    """The rows the view shows (``key``: the pair and options shown): around the row it was
    asked to grow around, else the window already shown while it holds the selection away from
    its edges, else around the selection. The window moves before the selection reaches its
    edge, so the view can step on through rows it already holds while the next ones come."""
    sel_row = layout.row_of_hunk(selected) if selected is not None else 0
    window = state.get("_window")
    if state.get("window_anchor") is not None:
        start, stop = rows_around(layout, state["window_anchor"])
    elif window and window[0] == key and not navigation.near_window_edge(
            window[1], window[2], len(layout), sel_row):
        start, stop = window[1], window[2]
    else:
        start, stop = rows_around(layout, sel_row)
    state["_window"] = (key, start, stop, len(layout))
    return start, stop


def list_picked(state: State) -> None:
    """A row of the list of differences was chosen, by a click on any of its cells or on its
    box (``_table_ids``: the ids of its rows). Between clicks the list holds at most the row of
    the selection (``list_rows``), so a cell, when there is one, is the click."""
    selection = event(state, "diff_table", "selection")
    cells = list(selection.get("cells") or []) if selection is not None else []
    rows = list(selection.get("rows") or []) if selection is not None else []
    row = cells[0][0] if cells else rows[0] if rows else None
    ids = state.get("_table_ids")
    if isinstance(row, int) and ids is not None and 0 <= row < len(ids):
        select(state, int(ids[row]), reveal=True)


def density_picked(state: State) -> None:
    """A click or drag on the density chart: the first shown difference there, else the
    nearest one."""
    from .charts import DENSITY_BRUSH, DENSITY_PICK  # altair: loaded, the chart was drawn

    value = event(state, "density", "selection") or {}
    shown = state.get("_nav")
    if not shown:
        return
    span = navigation.density_range(value.get(DENSITY_PICK), value.get(DENSITY_BRUSH),
                                    shown["n_a"])
    if span is not None:
        select(state, navigation.in_range_or_nearest(shown["ids"], shown["ta0"], *span),
               reveal=True)


def paragraph_picked(state: State) -> None:
    """A bar of the paragraph chart was clicked: its first shown difference."""
    from .charts import PARAGRAPH_PICK

    picked = (event(state, "paragraphs", "selection") or {}).get(PARAGRAPH_PICK) or []
    shown = state.get("_nav")
    if picked and shown:
        lo, hi = picked[0].get("paragraph_start", 0), picked[0].get("paragraph_end", 0)
        select(state, navigation.in_range_or_nearest(shown["ids"], shown["a_paragraph"], lo, hi,
                                                     inclusive=True), reveal=True)


def keep_table_selection(state: State, key: str, rows: list[int]) -> None:
    """Make the dataframe ``key`` show ``rows`` selected (what the page chose, e.g. the
    selected difference), touching its state only when it shows something else."""
    want = {"rows": rows, "columns": [], "cells": []}
    current = state.get(key)
    have = ({k: list(current["selection"].get(k, [])) for k in want} if current is not None
            else {k: [] for k in want})
    if have != want:
        state[key] = {"selection": want}


def list_rows(state: State, ids: np.ndarray, selected: int | None, max_rows: int) -> np.ndarray:
    """The ids the list of differences shows (all shown ``ids``, or ``max_rows`` around the
    selection), kept for ``list_picked``; the list's selected row follows the selection."""
    rows = navigation.table_rows(ids, selected, max_rows)
    state["_table_ids"] = rows
    keep_table_selection(state, "diff_table", list_rows_selected(rows, selected))
    return rows


def list_rows_selected(ids: np.ndarray, selected: int | None) -> list[int]:
    """The row of the list (showing ``ids``) that holds the selected difference, if any."""
    pos = int(np.searchsorted(ids, selected)) if selected is not None else -1
    return [pos] if 0 <= pos < len(ids) and ids[pos] == selected else []


def fall_back(state: State, refused: Pair, message: str, in_corpus: bool,
              back_to_corpus: Callable[[State], None]) -> bool:
    """The memory budget could not hold the ``refused`` pair: go back to the pair shown before
    (or to the corpus table) with ``message`` as its error. False when there is nothing else to
    show (the page then shows only the message)."""
    previous = state.get("_shown_pair")
    if in_corpus:
        back_to_corpus(state)
        state["corpus_error"] = message
    elif previous is not None and previous.key != refused.key:
        state["pair"] = previous
        state["load_error"] = message
    else:
        return False
    return True
