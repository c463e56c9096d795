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
Pairs that last (``viewer.store``): ``_store`` (the page's ``Store``, None when off or broken),
``store_note`` (why a pair was not kept), ``example_shown``, ``pair_kept`` (the store id of the
pair shown, None when it is not stored), ``pair_missing`` (the id a link named that the store
does not have), ``half_upload`` (one side's ``Document`` waiting for the other),
``_upload_round`` (bumped to empty an uploader), ``_session_pairs`` (with no store, this
session's pairs for the recent list) and ``_link_read``.
The corpus page's keys are in ``viewer.corpus.session``.
"""

from __future__ import annotations

import hashlib
import time
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
from .store import Store, StoreError, looks_like_id, pair_id, update_with_text

State = MutableMapping[str, Any]
PAIR, CORPUS = "Pair", "Corpus"

# The alignment options the page offers, in the order ``align_options`` gives them: those
# ``AlignOptions`` has (Ignore punctuation arrives with the aligner that supports it).
OPTION_KEYS = tuple(name for name in ("ignore_case", "ignore_punctuation", "strict_typography",
                                      "fold_historical")
                    if name in {f.name for f in fields(AlignOptions)})


@dataclass(frozen=True)
class Preset:
    """A one-click setting of the options for one kind of text: what the alignment ignores,
    whether letters are marked inside substitutions, and which error rate comes first. Historical
    typography is no preset's: it depends on when the text was printed, not on whether it is OCR
    output (the OCR preset serves modern scans too), so a preset leaves it as it is."""

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
    key: str  # digest of both texts, computed once (the caches' key)
    id: str  # the store's id: a digest of both documents, texts and names (a link's ?pair)


def make_pair(a: Document, b: Document) -> Pair:
    digest = hashlib.blake2b(digest_size=16)
    for doc in (a, b):
        update_with_text(digest, doc.text)
        digest.update(b"\x00")
    return Pair(a, b, digest.hexdigest(), pair_id(a, b))


def load_example() -> Pair:
    """The example pair (``seeds/``), decoded like an upload."""
    from .example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL

    return make_pair(*(decode_bytes(path.read_bytes(), path.name)
                       for path in (EXAMPLE_ORIGINAL, EXAMPLE_CORRUPTED)))


def init(state: State, example: Callable[[], Pair], diff_query: str | None) -> None:
    """Every key the page reads, set once per session (``example``: the pair shown first,
    unless ``open_link`` opened the link's; ``diff_query``: the ``?diff=k`` of the link the
    session was opened with)."""
    if state.get("pair") is None:
        state["pair"] = example()
        state["example_shown"] = True
    for key, value in {**dict.fromkeys(OPTION_KEYS, False), **preset_values(PRESETS[TEXT]),
                       "preset": TEXT, "kinds": list(KINDS),
                       "types": list(TYPES), "colour_by": "kind", "focus": None,
                       "selected": navigation.selection_from_query(diff_query),
                       "load_error": None, "reveal": 0, "window_anchor": None, "paste_a": "",
                       "paste_b": "", "mode": PAIR, "_selected_by_mode": {},
                       "store_note": None, "example_shown": False, "pair_kept": None,
                       "pair_missing": None, "half_upload": {}, "_upload_round": {"a": 0, "b": 0},
                       "_session_pairs": {}}.items():
        state.setdefault(key, value)


# --- options and presets -----------------------------------------------------------------------


def preset_values(preset: Preset) -> dict[str, bool]:
    """The widget values a preset sets: the options the page offers that it names, and letter
    marks."""
    return {**{key: getattr(preset, key) for key in OPTION_KEYS if hasattr(preset, key)},
            "mark_letters": preset.mark_letters}


def apply_preset(state: State) -> None:
    """The preset just picked sets the options (and the alignment shown changes with them,
    keeping the selection's place: ``keep_place``)."""
    preset = PRESETS.get(state.get("preset"))
    if preset is not None:
        keep_place(state)
        state.update(preset_values(preset))


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
    punctuation only), keeping the selection's place."""
    keep_place(state)
    state.update({key: True for key in keys if key in OPTION_KEYS})


# --- the pair shown -----------------------------------------------------------------------------


def reset_view(state: State) -> None:
    """Another pair is shown: its first difference, the window around it, no list row."""
    state["selected"] = 0
    state["window_anchor"] = None
    state["focus"] = None
    state.pop("diff_table", None)
    state.pop("_place", None)


def keep_place(state: State) -> None:
    """The same pair is about to be aligned again (an option, a preset): remember the text the
    selected difference covers (``_place``) for ``settle_place`` to find in the new alignment."""
    place = _selected_place(state)
    reset_view(state)
    if place is not None:
        state["_place"] = place


def _selected_place(state: State, swapped: bool = False) -> tuple[int, ...] | None:
    """The characters the selected difference covers on each side, ``(a_start, a_end,
    b_start, b_end)`` (sides exchanged when ``swapped``), as the last run drew it; None when
    nothing is selected or nothing was drawn yet."""
    shown = state.get("_nav")
    selected = state.get("selected")
    if not shown or "spans" not in shown or selected is None or not (
            0 <= selected < shown["total"]):
        return None
    a0, a1, b0, b1 = (int(v) for v in shown["spans"][selected])
    return (b0, b1, a0, a1) if swapped else (a0, a1, b0, b1)


def settle_place(state: State, data: dict) -> None:
    """After ``keep_place``, once the new alignment is drawn (``data``:
    ``page_data.view_data``): select the shown difference at the remembered text, or the next
    one after it (``navigation.follow_place``)."""
    place = state.pop("_place", None)
    if place is not None:
        target = navigation.follow_place(data["spans"], shown_ids(state, data), place)
        state["selected"] = 0 if target is None else target


def set_pair(state: State, a: Document | None = None, b: Document | None = None) -> None:
    """Replace one or both sides; the side not given stays. The new pair is kept in the store
    (``keep_pair``), so that the page's address links to it."""
    pair = make_pair(a or state["pair"].a, b or state["pair"].b)
    state["pair"] = pair
    reset_view(state)
    state["load_error"] = None
    state["example_shown"] = False
    state["pair_missing"] = None
    state["half_upload"] = {}
    keep_pair(state, pair)


def uploader_key(state: State, side: str) -> str:
    """The widget key of side ``a``'s or ``b``'s uploader; a new key empties it."""
    return f"upload_{side}_{state['_upload_round'][side]}"


def clear_uploaders(state: State, *sides: str) -> None:
    """Empty the uploaders of ``sides`` (by giving them new keys): what they list is what the
    page compares, never a file it refused or a pair it no longer shows."""
    for side in sides:
        state.pop(uploader_key(state, side), None)
        state["_upload_round"] = {**state["_upload_round"], side: state["_upload_round"][side] + 1}


def take_upload(state: State, side: str) -> None:
    """The file just put in side ``a``'s or ``b``'s uploader (an object with ``name`` and
    ``getvalue()``); one that cannot be read leaves the pair as it is, says why and leaves the
    uploader empty. Over the example, one side waits for the other (``take_sides``)."""
    upload = state.get(uploader_key(state, side))
    if upload is None:  # the file was removed from the uploader: keep what is shown
        state["half_upload"] = {k: v for k, v in state["half_upload"].items() if k != side}
        return
    try:
        doc = decode_bytes(upload.getvalue(), upload.name)
    except InputError as err:
        state["load_error"] = str(err)
        clear_uploaders(state, side)
        return
    take_sides(state, {side: doc})


def take_paste(state: State) -> None:
    """The pasted texts replace the sides they were pasted for (over the example, one side
    waits for the other, ``take_sides``)."""
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
    take_sides(state, docs)


def take_sides(state: State, docs: dict[str, Document]) -> None:
    """New documents for sides ``a`` and/or ``b``. While the example (or a link's missing pair)
    is shown, one side alone is never compared with the example's other side: it waits in
    ``half_upload`` until the other one arrives. Over a pair of the user's own, one side
    replaces that side."""
    if state.get("example_shown") or state.get("pair_missing"):
        docs = {**state["half_upload"], **docs}
        if len(docs) < 2:
            state["half_upload"] = docs
            state["load_error"] = None
            return
    set_pair(state, **docs)


# what the page says while it waits for side a or b
WAITING_FOR = {side: f"Now add the {what} in the sidebar (upload it, or paste it under \"Paste "
               f"text instead\") to compare the two." for side, what in
               (("a", "original"), ("b", "corrupted text"))}


def waiting_for(state: State) -> str | None:
    """The side a half-given pair waits for (``a`` or ``b``), or None."""
    half = state.get("half_upload") or {}
    return ("b" if "a" in half else "a") if len(half) == 1 else None


def documents_shown(state: State) -> tuple[Document | None, Document | None]:
    """The original and corrupted document the page shows: the pair's, or while no pair is
    shown the half given so far (None for a side not given)."""
    if pair_shown(state):
        return state["pair"].a, state["pair"].b
    half = state.get("half_upload") or {}
    return half.get("a"), half.get("b")


def pair_shown(state: State) -> bool:
    """Whether the page shows ``pair``: not while one side waits for the other, nor when a
    link named a pair the store does not have."""
    return not (waiting_for(state) or state.get("pair_missing"))


def show_example(state: State, example: Callable[[], Pair]) -> None:
    """The example pair, which needs no link (the address names no pair)."""
    state["pair"] = example()
    reset_view(state)
    state.update(load_error=None, example_shown=True, pair_missing=None, pair_kept=None,
                 half_upload={})
    clear_uploaders(state, "a", "b")


# --- pairs that last (viewer.store) -------------------------------------------------------------

# Without a store, the recent list holds this session's last pairs (their texts stay in memory)
SESSION_PAIRS = 5


def start_run(state: State, params: MutableMapping[str, str], store: Store | None,
              example: Callable[[], Pair]) -> None:
    """What every run of the page does first, in this order: the store it keeps pairs in
    (None: off, or unusable); once per session, the pair and the corpus the link names
    (``params``: the page's query parameters); every key set once; the address naming the
    pair shown."""
    from .corpus import session as corpus_state  # it imports this module

    use_store(state, store)
    open_link(state, params.get("pair"))
    corpus_state.open_link(state, params.get("corpus"), params.get("open"))
    init(state, example, params.get("diff"))
    corpus_state.init(state)
    link_pair(params, state)


def use_store(state: State, store: Store | None) -> None:
    """The store this run keeps pairs in (None: off, or its database cannot be used)."""
    state["_store"] = store


def keep_pair(state: State, pair: Pair) -> None:
    """Keep ``pair`` in the store, so a link reopens it (``pair_kept``); without a store, in
    this session's recent list. A pair the store refuses is shown all the same, with a note."""
    store = state.get("_store")
    state["pair_kept"] = None
    state["store_note"] = None
    if store is None:
        pairs = {k: v for k, v in state["_session_pairs"].items() if k != pair.id}
        pairs[pair.id] = (pair, time.time())
        state["_session_pairs"] = dict(list(pairs.items())[-SESSION_PAIRS:])
        return
    try:
        state["pair_kept"] = store.put_pair(pair.a, pair.b)
    except StoreError as err:
        state["store_note"] = str(err)


def open_link(state: State, pair_query: str | None) -> None:
    """Once per session, before ``init``: open the pair the link names (``?pair=<id>``). An id
    the store does not have is remembered in ``pair_missing``: the page says so and offers the
    example, never shows something else in its place."""
    if state.get("_link_read"):
        return
    state["_link_read"] = True
    if not pair_query:
        return
    found = _stored_pair(state, pair_query)
    if found is None:
        state["pair_missing"] = pair_query
        return
    state["pair"] = found
    state["pair_kept"] = found.id
    state["example_shown"] = False


def _stored_pair(state: State, wanted: str) -> Pair | None:
    """The pair the store (or, without one, this session) holds under id ``wanted``."""
    store = state.get("_store")
    if store is None:
        kept = state.get("_session_pairs", {}).get(wanted)
        return kept[0] if kept else None
    try:
        docs = store.get_pair(wanted)
    except StoreError as err:
        state["store_note"] = str(err)
        return None
    return make_pair(*docs) if docs is not None else None


def open_recent(state: State, wanted: str) -> None:
    """A pair of the recent list was clicked: show it (from its first difference)."""
    found = _stored_pair(state, wanted)
    if found is None:
        state["load_error"] = ("That pair is no longer stored: the store removed it to make "
                               "room for newer pairs.")
        return
    state["pair"] = found
    reset_view(state)
    state.update(load_error=None, example_shown=False, pair_missing=None, half_upload={},
                 pair_kept=found.id if state.get("_store") is not None else None)
    clear_uploaders(state, "a", "b")


def missing_message(state: State, store_off: bool) -> str | None:
    """What the page says when the link's pair cannot be opened (``store_off``: the server
    keeps pairs in their session only), or None."""
    wanted = state.get("pair_missing")
    if not wanted:
        return None
    if store_off:
        return ("This link names a pair, but this server keeps pairs only in the session that "
                "opened them (VIEWER_STORE=off), so a link cannot reopen one. Upload the pair "
                "again, or open the example pair.")
    named = f" {wanted}" if looks_like_id(wanted) else ""
    return (f"No pair with the id{named} is stored on this server: it was never stored here, "
            "or it was removed to make room for newer pairs. Upload the pair again, or open "
            "the example pair.")


def wanted_notice(state: State, store_off: bool) -> tuple[str, bool]:
    """What the page says while it shows no pair, and whether it is about a link's missing pair
    (the example is then offered, never swapped in) rather than a side waiting for the other."""
    missing = missing_message(state, store_off)
    return (missing, True) if missing else (WAITING_FOR[waiting_for(state)], False)


@dataclass(frozen=True)
class RecentPair:
    id: str
    names: tuple[str, str]
    used: float  # when it was last stored or opened (seconds since the epoch)


def recent_pairs(state: State, limit: int = 8) -> list[RecentPair]:
    """The pairs the recent list shows, newest first: the store's (every session's), or
    without a store this session's."""
    store = state.get("_store")
    if store is None:
        kept = list(state.get("_session_pairs", {}).items())[::-1][:limit]
        return [RecentPair(k, (p.a.name, p.b.name), used) for k, (p, used) in kept]
    try:
        return [RecentPair(e.id, e.names, e.used) for e in store.recent(limit=limit)]
    except StoreError as err:
        state["store_note"] = str(err)
        return []


def when_label(used: float, now: float) -> str:
    """How long ago ``used`` was, in words for the recent list."""
    ago = max(0.0, now - used)
    for unit, seconds in (("day", 86400), ("h", 3600), ("min", 60)):
        if ago >= seconds:
            n = int(ago // seconds)
            return f"{n} {unit}{'s' if unit == 'day' and n > 1 else ''} ago"
    return "just now"


def link_pair(params: MutableMapping[str, str], state: State) -> None:
    """The page's query parameters name the pair shown, ``?pair=<id>``, when the store keeps
    it (with ``?diff=k``, ``link_selection``: a link to the pair and the difference); the
    example and pairs not kept have none. A link's missing id stays, so a reload says the same.
    Written only when it changes."""
    pair: Pair = state["pair"]
    kept = state.get("pair_kept")
    wanted = state.get("pair_missing") or (kept if kept and kept == pair.id else None)
    if state.get("mode") == CORPUS:  # the corpus has its own link (corpus.session.link_corpus)
        wanted = None
    if wanted is None:
        params.pop("pair", None)
    elif params.get("pair") != wanted:
        params["pair"] = wanted


def swap(state: State) -> None:
    """The two sides exchange; the selection stays on the same text (now on the other side)."""
    place = _selected_place(state, swapped=True)
    set_pair(state, state["pair"].b, state["pair"].a)
    if place is not None:
        state["_place"] = place


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
                     "ta0": data["ta0"], "spans": data["spans"],
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


def first_paint_bare(state: State) -> bool:
    """True on the session's first run when it draws Pair mode's pair, then never again: that
    run draws nothing the first highlighted token does not need (no mode switch, filters or
    metrics, whose code the browser would load first); they come with the rerun the view's
    ``ready`` event asks for, into places kept for them (``viewer.first_paint``) beside an
    empty sidebar, so the view does not move. A later first drawing of a pair (after a half
    upload, a link's missing pair) keeps them: they are on screen already."""
    first_run = not state.get("_page_drawn")
    state["_page_drawn"] = True
    return first_run and state.get("mode") == PAIR and pair_shown(state)


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
