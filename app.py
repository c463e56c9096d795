"""The corruption viewer page: ``streamlit run app.py``.

An original text and its corrupted version side by side, every difference highlighted and
clickable, with a list, charts, a detail panel and downloads. It opens on the example pair in
``seeds/``. In Corpus mode (the switch at the top of the sidebar) it summarises a whole corpus
(zip, JSONL, CSV or Parquet): a filterable table of pairs, the distribution of corruption rates
and where in the documents the corruption is; a pair chosen in the table opens in the same
side-by-side view. This is the only module that imports streamlit; everything it shows is
computed by ``viewer/`` (align once, cached; render, charts and exports read that one Alignment).

Document text is data, never markup: it reaches the page only as escaped HTML (``st.html`` and
the view component) or dataframe cells, never through ``st.markdown``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import streamlit as st
import streamlit.logger

if __name__ == "__mp_main__":
    # A corpus worker process (multiprocessing's forkserver) imports this module again before it
    # unpickles its work; nothing is shown there, so Streamlit's bare-mode warnings are noise.
    streamlit.logger.set_log_level("error")

import viewer
from viewer import navigation, render
from viewer.align import KINDS, Alignment, align
from viewer.corpus.table import (
    SHOW_ALIGNED,
    SHOW_ALL,
    SHOW_ERRORS,
    SORTS,
    example_corpus,
    filter_pairs,
    neighbour_pair,
    table_frame,
)
from viewer.example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL
from viewer.export import frame_csv, to_csv, to_json
from viewer.kinds import KIND_TABLE, SUBSTITUTED
from viewer.layout import grown_window_anchor, layout_rows
from viewer.layout import window as rows_around
from viewer.loading import Document, InputError, decode_bytes, load_text
from viewer.render import page as pieces
from viewer.render.text import markdown_literal
from viewer.stats import density_frame, hunks_frame, line_starts, paragraph_starts, summary

COMPONENT_JS = (Path(viewer.__file__).parent / "component" / "viewer.js").read_text(
    encoding="utf-8")
# The list of differences shows at most this many rows (around the selection): a dataframe is
# sent whole on every rerun (lazy loading cannot be combined with row selection). Chosen by
# hand, not measured: 5,000 rows quoting at most 160 characters a side (render.shorten) are
# under 2 MB a rerun.
TABLE_ROWS = 5_000
# Texts longer than this are cut in the detail panel (the view shows them whole): about a
# screenful in the panel's half of the page; chosen by hand.
DETAIL_CHARS = 4_000

PAIR, CORPUS = "Pair", "Corpus"
# A corpus file smaller than this is summarised in this process: starting worker processes
# (forkserver: each one imports this module again) costs more than it saves on a few pairs.
# benchmarks/RESULTS.md ("Corpora"): the pool is 1.69x faster on 2,000 example-sized pairs
# (30 MB); 4 MiB (about 270 such pairs, under a second in one process) is a hand-set
# threshold below which its start-up is not worth paying.
POOL_MIN_BYTES = 4 * 1024 * 1024
# The corpus table shows at most this many rows (a dataframe is sent whole on every rerun);
# 20,000 rows of a dozen short cells, chosen by hand.
CORPUS_ROWS = 20_000
# The corpus table's filter and sort, kept in session state while a pair is open
CORPUS_FILTERS = {"corpus_search": "", "corpus_show": SHOW_ALL, "corpus_rate": (0, 100),
                  "corpus_sort": "Corruption rate", "corpus_desc": True}
CORPUS_COLUMNS = {"corpus_col_original": "original", "corpus_col_corrupted": "corrupted",
                  "corpus_col_id": ""}

# --- the pair of documents ----------------------------------------------------------------------


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


@st.cache_data(show_spinner=False)
def example_documents() -> tuple[Document, Document]:
    return tuple(decode_bytes(path.read_bytes(), path.name)
                 for path in (EXAMPLE_ORIGINAL, EXAMPLE_CORRUPTED))


def example_pair() -> Pair:
    return make_pair(*example_documents())


@st.cache_data(max_entries=6, show_spinner="Aligning the two texts…")
def aligned(a_text: str, b_text: str, ignore_case: bool, strict_typography: bool) -> Alignment:
    return align(a_text, b_text, ignore_case=ignore_case, strict_typography=strict_typography)


@st.cache_data(max_entries=6, show_spinner="Preparing the view…")
def prepared(key: tuple, _al: Alignment) -> dict:
    """What the view, the metrics and navigation read off one alignment (no pandas, so the
    view reaches the browser before the charts are built)."""
    hunks = _al.hunks
    a0 = np.fromiter((h.a[0] for h in hunks), dtype=np.int64, count=len(hunks))
    b0 = np.fromiter((h.b[0] for h in hunks), dtype=np.int64, count=len(hunks))
    return {
        "layout": layout_rows(_al),
        "stats": summary(_al),
        "kinds": navigation.kind_codes(h.kind for h in hunks),
        "ta0": np.fromiter((h.ta[0] for h in hunks), dtype=np.int64, count=len(hunks)),
        "a_line": np.searchsorted(line_starts(_al.a_text), a0, side="right"),
        "a_paragraph": np.searchsorted(paragraph_starts(_al.a_text), a0, side="right"),
        "b_line": np.searchsorted(line_starts(_al.b_text), b0, side="right"),
        "fold": render.FoldIndex(_al),
    }


@st.cache_data(max_entries=6, show_spinner=False)
def frames(key: tuple, _al: Alignment, _layout) -> dict:
    """The tidy frames behind the charts and the list."""
    from viewer import charts

    frame = hunks_frame(_al)
    return {
        # about 30 tokens per bin: a readable curve for an article, 2,000 bins for a book
        "density": density_frame(_al, "original",
                                 max_bins=max(30, min(2000, len(_al.a) // 30))),
        "paragraphs": charts.paragraph_frame(_al, _layout),
        "table": frame.assign(
            a_text=frame["a_text"].map(render.shorten), b_text=frame["b_text"].map(render.shorten)
        )[["id", "kind", "a_line", "a_text", "b_text"]],
    }


# --- session state and the actions that change it ----------------------------------------------


def init_state() -> None:
    ss = st.session_state
    ss.setdefault("pair", None)
    if ss.pair is None:
        ss.pair = example_pair()
    ss.setdefault("ignore_case", False)
    ss.setdefault("strict_typography", False)
    ss.setdefault("kinds", list(KINDS))
    ss.setdefault("selected", navigation.selection_from_query(st.query_params.get("diff")))
    ss.setdefault("load_error", None)
    ss.setdefault("reveal", 0)
    ss.setdefault("window_anchor", None)
    ss.setdefault("paste_a", "")
    ss.setdefault("paste_b", "")
    ss.setdefault("mode", PAIR)
    ss.setdefault("_selected_by_mode", {})  # each mode's selected difference, while the other shows
    ss.setdefault("corpus", None)           # the CorpusRun shown
    ss.setdefault("corpus_pending", None)   # (bytes, name, digest) to summarise next
    ss.setdefault("corpus_error", None)
    ss.setdefault("corpus_open", None)      # the pair number shown side by side, or None
    ss.setdefault("corpus_pair", None)      # ... and its Pair
    ss.setdefault("corpus_picked", None)    # the pair last chosen: its table row stays selected
    for key, value in {**CORPUS_FILTERS, **CORPUS_COLUMNS}.items():
        ss.setdefault(key, value)


def set_pair(a: Document | None = None, b: Document | None = None) -> None:
    """Replace one or both sides; the previous pair stays when nothing valid arrives."""
    ss = st.session_state
    ss.pair = make_pair(a or ss.pair.a, b or ss.pair.b)
    ss.selected = 0
    ss.window_anchor = None
    ss.load_error = None
    ss.pop("diff_table", None)


def on_upload(side: str) -> None:
    upload = st.session_state.get(f"upload_{side}")
    if upload is None:  # the file was removed from the uploader: keep what is shown
        return
    try:
        doc = decode_bytes(upload.getvalue(), upload.name)
    except InputError as err:
        st.session_state.load_error = str(err)
        return
    set_pair(**{side: doc})


def on_paste() -> None:
    ss = st.session_state
    texts = {"a": ss.paste_a, "b": ss.paste_b}
    if not any(texts.values()):
        ss.load_error = "Paste an original, a corrupted text, or both, then compare."
        return
    try:
        docs = {side: load_text(text, f"pasted {'original' if side == 'a' else 'corrupted'}")
                for side, text in texts.items() if text}
    except InputError as err:
        ss.load_error = str(err)
        return
    set_pair(**docs)


def on_swap() -> None:
    pair = st.session_state.pair
    set_pair(pair.b, pair.a)


def on_example() -> None:
    example = example_pair()
    set_pair(example.a, example.b)


def on_options() -> None:
    st.session_state.selected = 0
    st.session_state.window_anchor = None
    st.session_state.pop("diff_table", None)


def select(hunk_id: int | None, reveal: bool = False) -> None:
    ss = st.session_state
    if hunk_id is None:
        return
    ss.selected = int(hunk_id)
    ss.window_anchor = None
    if reveal:
        ss.reveal += 1


def step(direction: int) -> None:
    """Next (+1) or previous (-1) difference among the kinds shown."""
    shown = st.session_state.get("_nav")
    if shown:
        select(navigation.step(shown["ids"], st.session_state.selected, direction))


def on_filter() -> None:
    """Keep the selection on a shown kind: the next shown difference (or the last one)."""
    shown = st.session_state.get("_nav")
    if shown:
        ids = navigation.shown_ids(shown["kinds"], st.session_state.kinds)
        target = navigation.keep_shown(ids, shown["kinds"], st.session_state.selected,
                                       st.session_state.kinds)
        if target != st.session_state.selected:
            select(target)


def _event(key: str, name: str):
    value = st.session_state.get(key)
    if value is None:
        return None
    try:
        return value[name]
    except (KeyError, TypeError):
        return getattr(value, name, None)


def _fresh(event) -> bool:
    """Each component event is applied once: a rerun interrupted by the next event runs the
    callbacks again with the same event."""
    if not isinstance(event, dict) or not isinstance(event.get("nonce"), int | float):
        return False
    if event["nonce"] <= st.session_state.get("_last_event", 0):
        return False
    st.session_state._last_event = event["nonce"]
    return True


def on_view_select() -> None:
    event = _event("viewer", "select")
    if _fresh(event) and isinstance(event.get("id"), int):
        shown = st.session_state.get("_nav")
        if shown and 0 <= event["id"] < shown["total"]:
            select(event["id"])


def on_view_nav() -> None:
    event = _event("viewer", "nav")
    if _fresh(event) and event.get("step") in (-1, 1):
        step(event["step"])


def on_view_more() -> None:
    event = _event("viewer", "more")
    window = st.session_state.get("_window")
    if not window or not _fresh(event):
        return
    _, start, stop, n_rows = window
    st.session_state.window_anchor = grown_window_anchor(start, stop, n_rows,
                                                         event.get("dir", 0))


def on_table() -> None:
    rows = _event("diff_table", "selection")
    rows = rows.get("rows") if rows is not None else None
    ids = st.session_state.get("_table_ids")
    if rows and ids is not None and 0 <= rows[0] < len(ids):
        select(int(ids[rows[0]]), reveal=True)


def on_density() -> None:
    from viewer import charts

    sel = _event("density", "selection") or {}
    shown = st.session_state.get("_nav")
    if not shown:
        return
    span = navigation.density_range(sel.get(charts.DENSITY_PICK), sel.get(charts.DENSITY_BRUSH),
                                    shown["n_a"])
    if span is not None:
        select(navigation.in_range_or_nearest(shown["ids"], shown["ta0"], *span), reveal=True)


def on_paragraphs() -> None:
    from viewer import charts

    picked = (_event("paragraphs", "selection") or {}).get(charts.PARAGRAPH_PICK) or []
    shown = st.session_state.get("_nav")
    if picked and shown:
        lo, hi = picked[0].get("paragraph_start", 0), picked[0].get("paragraph_end", 0)
        select(navigation.in_range_or_nearest(shown["ids"], shown["a_paragraph"], lo, hi,
                                              inclusive=True), reveal=True)


def on_mode() -> None:
    """Each mode keeps its own selected difference while the other is shown."""
    ss = st.session_state
    previous = CORPUS if ss.mode == PAIR else PAIR
    ss._selected_by_mode[previous] = ss.selected
    ss.selected = ss._selected_by_mode.get(ss.mode, 0)
    ss.window_anchor = None
    ss.pop("diff_table", None)


# --- a corpus: many pairs ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CorpusRun:
    """A summarised corpus: its bytes (to open a pair later), what it was read with, and the
    summary (``viewer.corpus.COLUMNS``, one row per pair)."""

    data: bytes
    name: str
    digest: str
    columns: tuple[str, str, str | None]
    options: tuple[bool, bool]
    frame: object  # pandas.DataFrame

    @property
    def key(self) -> tuple:
        return (self.digest, self.name, self.columns, self.options)


@st.cache_data(max_entries=4, show_spinner=False)
def corpus_summary(digest: str, name: str, columns: tuple, options: tuple, _data: bytes,
                   _progress=None):
    """The summary of a corpus, cached on its digest, name, column names and options. Draws
    nothing (see ``summarize_with_progress``)."""
    from viewer.corpus import Columns, PairOptions, summarize_corpus

    return summarize_corpus(_data, name, columns=Columns(*columns),
                            options=PairOptions(*options),
                            workers=1 if len(_data) < POOL_MIN_BYTES else None,
                            progress=_progress)


@st.cache_data(max_entries=16, show_spinner=False)
def corpus_documents(digest: str, name: str, pair: int, columns: tuple,
                     _data: bytes) -> tuple[Document, Document]:
    from viewer.corpus import Columns, load_pair

    return load_pair(_data, name, pair, columns=Columns(*columns))


@st.cache_resource
def summaries_under_way() -> dict[tuple, list]:
    """``[done, total]`` of the corpus summaries being computed in this process, by cache key
    (one dict for every run and session: module globals start afresh on every rerun). A run
    that finds the summary it wants already being computed (by an interrupted run's helper
    thread, or another session) waits on Streamlit's compute lock and shows its progress."""
    return {}


def summarize_with_progress(key: tuple, data: bytes):
    """``corpus_summary`` in a helper thread while this thread draws the progress bar.

    Streamlit records what a cached function draws in order to replay it, and a progress bar
    created outside the function cannot be replayed (CacheReplayClosureError on the next cache
    hit), so the cached function draws nothing: its progress callback only writes numbers this
    thread reads. The bar is redrawn at least twice a second, which is also where Streamlit
    stops this thread for a rerun (a click elsewhere): the helper then finishes on its own and
    fills the cache for the next run."""
    outcome: dict = {}
    under_way = summaries_under_way()

    def report(done: int, total: int | None) -> None:
        under_way[key] = [done, total]

    def work() -> None:
        try:
            outcome["frame"] = corpus_summary(*key, _data=data, _progress=report)
        except BaseException as err:  # re-raised in the script thread
            outcome["error"] = err
        finally:
            under_way.pop(key, None)

    name = markdown_literal(key[1])  # the bar's text is Markdown
    bar = st.progress(0.0, text=f"Reading {name}…")
    worker = threading.Thread(target=work, name="corpus-summary", daemon=True)
    started = time.monotonic()
    worker.start()
    while worker.is_alive():
        worker.join(0.5)
        done, total = under_way.get(key) or (0, None)
        seconds = f"{time.monotonic() - started:.0f} s"
        if total:
            bar.progress(min(done / total, 1.0),
                         text=f"Aligning the pairs of {name}: {done:,} of {total:,} · {seconds}")
        else:
            bar.progress(0.0, text=f"Reading {name}… {seconds}")
    bar.empty()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["frame"]


def corpus_settings() -> tuple[tuple[str, str, str | None], tuple[bool, bool]]:
    ss = st.session_state
    columns = (ss.corpus_col_original.strip() or "original",
               ss.corpus_col_corrupted.strip() or "corrupted",
               ss.corpus_col_id.strip() or None)
    return columns, (bool(ss.ignore_case), bool(ss.strict_typography))


def refresh_corpus() -> CorpusRun | None:
    """Summarise a new upload, or the corpus shown again when its column names or the options
    changed. An upload that fails stays pending, so that naming its columns can mend it; the
    corpus shown before stays, and no failing combination is tried twice."""
    ss = st.session_state
    columns, options = corpus_settings()
    failed: set = ss.setdefault("_corpus_failed", set())
    pending = ss.corpus_pending
    if pending is not None:
        data, name, digest = pending
        key = (digest, name, columns, options)
        if key not in failed and _summarise(key, data):
            ss.corpus_pending = None
            ss.corpus_picked = None  # another corpus: nothing of the old one is chosen
            ss.corpus_open = None
            return ss.corpus
    current: CorpusRun | None = ss.corpus
    if current is None:
        return None
    key = (current.digest, current.name, columns, options)
    if key != current.key and key not in failed:
        _summarise(key, current.data, quiet=pending is not None)
    return ss.corpus


def _summarise(key: tuple, data: bytes, quiet: bool = False) -> bool:
    """``ss.corpus`` from ``data`` read with ``key``'s settings; False (and the error shown)
    when it cannot be read. ``quiet``: leave the error shown as it is on success."""
    from viewer.corpus import Columns, EngineError

    ss = st.session_state
    current: CorpusRun | None = ss.corpus
    try:
        Columns(*key[2])
        frame = summarize_with_progress(key, data)
    except (InputError, ValueError, EngineError) as err:
        kept = f" Still showing {current.name}." if current is not None else ""
        ss.corpus_error = f"{err}{kept}"
        ss._corpus_failed.add(key)
        return False
    ss.corpus = CorpusRun(data, key[1], key[0], key[2], key[3], frame)
    if not quiet:
        ss.corpus_error = None
    return True


def _stage_corpus(data: bytes, name: str) -> None:
    ss = st.session_state
    ss.corpus_pending = (data, name, hashlib.blake2b(data, digest_size=16).hexdigest())
    ss.corpus_open = None  # a new corpus shows its table
    ss.corpus_error = None


def on_corpus_upload() -> None:
    upload = st.session_state.get("corpus_upload")
    if upload is not None:  # None: the file was removed from the uploader; keep the corpus
        _stage_corpus(upload.getvalue(), upload.name)


def on_example_corpus() -> None:
    _stage_corpus(example_corpus(), "example-corpus.zip")


def _pair_id(run: CorpusRun, pair: int) -> str:
    ids = run.frame["id"]
    return str(ids.iat[pair]) if 0 <= pair < len(ids) else str(pair + 1)


def open_corpus_pair(pair: int) -> None:
    """Show a pair of the corpus side by side; a bad pair stays in the table with its error."""
    ss = st.session_state
    run: CorpusRun | None = ss.corpus
    if run is None:
        return
    ss.corpus_picked = pair
    try:
        a, b = corpus_documents(run.digest, run.name, pair, run.columns, _data=run.data)
    except InputError as err:
        ss.corpus_error = f"Pair {_pair_id(run, pair)} cannot be opened: {err}"
        return
    ss.corpus_pair = make_pair(a, b)
    ss.corpus_open = pair
    ss.corpus_error = None
    ss.selected = 0
    ss.window_anchor = None
    ss.pop("diff_table", None)


def on_corpus_table() -> None:
    """A click on a cell, or on a row's box, opens that row's pair. Between clicks the table
    holds at most the row of the pair last chosen (``corpus_table``), so whichever of the two
    is set now is the click."""
    selection = _event("corpus_table", "selection")
    rows = list(selection.get("rows") or []) if selection is not None else []
    cells = list(selection.get("cells") or []) if selection is not None else []
    order = st.session_state.get("_corpus_order")
    row = cells[0][0] if cells else rows[0] if rows else None
    if row is None:
        st.session_state.corpus_picked = None  # the selected row was clicked off
    elif order is not None and isinstance(row, int) and 0 <= row < len(order):
        open_corpus_pair(int(order[row]))


def on_corpus_back() -> None:
    st.session_state.corpus_open = None
    st.session_state.corpus_error = None


def _step_target(direction: int) -> int | None:
    """The pair above (-1) or below (+1) the open one in the table as it was last shown."""
    ss = st.session_state
    order, run = ss.get("_corpus_order"), ss.corpus
    if order is None or run is None or ss.corpus_open is None:
        return None
    return neighbour_pair(order, run.frame["error"].isna().to_numpy(), ss.corpus_open,
                          direction)


def on_corpus_step(direction: int) -> None:
    target = _step_target(direction)
    if target is not None:
        open_corpus_pair(target)


def _hist_key() -> str:
    return f"corpus_hist_{st.session_state.get('_hist_round', 0)}"


def on_rate_pick() -> None:
    """A click on a histogram bar lists only the pairs of that bar; a double-click (the bar let
    go) lists every rate again."""
    from viewer import charts

    ss = st.session_state
    picked = (_event(_hist_key(), "selection") or {}).get(charts.RATE_PICK) or []
    lo, hi = (picked[0].get("start"), picked[0].get("end")) if picked else (0.0, 1.0)
    if isinstance(lo, int | float) and isinstance(hi, int | float):
        ss.corpus_rate = (int(round(lo * 100)), int(round(hi * 100)))
        if picked and ss.corpus_show == SHOW_ERRORS:
            ss.corpus_show = SHOW_ALL


def on_rate_slider() -> None:
    """The range was set by hand: the histogram lets go of its bar (a new chart, so that a click
    on that bar counts again)."""
    st.session_state._hist_round = st.session_state.get("_hist_round", 0) + 1


def on_reset_filters() -> None:
    for key, value in CORPUS_FILTERS.items():
        st.session_state[key] = value
    on_rate_slider()


def _filters_at_default() -> bool:
    ss = st.session_state
    return all((tuple(ss[k]) if isinstance(v, tuple) else ss[k]) == v
               for k, v in CORPUS_FILTERS.items())


# --- page parts ---------------------------------------------------------------------------------


VIEWER = st.components.v2.component(
    "corruption_viewer",
    html='<div class="cv-root"></div>',
    css=render.VIEW_CSS,
    js=COMPONENT_JS,
    isolate_styles=False,
)


def sidebar(pair: Pair, al: Alignment) -> None:
    with st.sidebar:
        st.header("Documents")
        st.file_uploader("Original", key="upload_a", on_change=on_upload, args=("a",),
                         help="Any text file: UTF-8/16/32 with or without BOM, Latin-1, "
                              "cp1252 and other legacy encodings are detected.")
        _doc_info(pair.a)
        st.file_uploader("Corrupted", key="upload_b", on_change=on_upload, args=("b",))
        _doc_info(pair.b)
        with st.expander("Paste text instead"):
            st.text_area("Original text", key="paste_a", height=120)
            st.text_area("Corrupted text", key="paste_b", height=120)
            st.button("Compare pasted text", key="use_paste", on_click=on_paste,
                      width="stretch")
        left, right = st.columns(2)
        left.button("Swap", key="swap", on_click=on_swap, width="stretch",
                    help="Swap original and corrupted")
        right.button("Example pair", key="example", on_click=on_example, width="stretch")
        _options()
        st.subheader("Downloads")
        _pair_downloads(pair, al)


def mode_switch() -> None:
    with st.sidebar:
        st.segmented_control("Mode", [PAIR, CORPUS], key="mode", required=True,
                             on_change=on_mode, label_visibility="collapsed", width="stretch",
                             help="Pair: one original against its corrupted version. Corpus: "
                                  "many pairs at once (zip, JSONL, CSV or Parquet).")


def _options() -> None:
    st.subheader("Options")
    st.checkbox("Ignore case", key="ignore_case", on_change=on_options,
                help="Differences in letter case are not corruption.")
    st.checkbox("Strict typography", key="strict_typography", on_change=on_options,
                help="Curly vs straight quotes, dashes and compatibility forms count as "
                     "differences.")


def _pair_downloads(pair: Pair, al: Alignment) -> None:
    sides = ({"path": pair.a.name, "encoding": pair.a.encoding},
             {"path": pair.b.name, "encoding": pair.b.encoding})
    st.download_button("Differences (CSV)", data=partial(to_csv, al),
                       file_name="differences.csv", mime="text/csv", key="dl_csv",
                       on_click="ignore", width="stretch")
    st.download_button("Differences (JSON)", data=partial(to_json, al, *sides),
                       file_name="differences.json", mime="application/json",
                       key="dl_json", on_click="ignore", width="stretch")
    st.download_button("Side-by-side report (HTML)",
                       data=partial(render.render_report, al, *sides),
                       file_name="corruption-report.html", mime="text/html",
                       key="dl_html", on_click="ignore", width="stretch")


def corpus_sidebar(pair: Pair | None = None, al: Alignment | None = None) -> None:
    ss = st.session_state
    run: CorpusRun | None = ss.corpus
    with st.sidebar:
        st.header("Corpus")
        st.file_uploader("Corpus file", key="corpus_upload", on_change=on_corpus_upload,
                         help="A zip of original/NAME and corrupted/NAME files (or NAME.orig.txt "
                              "and NAME.corr.txt), or JSONL, CSV or Parquet with an original "
                              "and a corrupted column.")
        if run is not None:
            failed = int(run.frame["error"].notna().sum())
            errors = [f"{failed:,} with errors"] if failed else []
            st.html(pieces.doc_line(run.name, f"{len(run.frame):,} pairs", *errors,
                                    f"{len(run.data):,} bytes"))
        st.button("Example corpus", key="corpus_example", on_click=on_example_corpus,
                  width="stretch", help="20 pairs made from the example pair")
        with st.expander("Column names"):
            st.caption("For JSONL, CSV and Parquet corpora.")
            st.text_input("Original column", key="corpus_col_original", persist_state="page")
            st.text_input("Corrupted column", key="corpus_col_corrupted", persist_state="page")
            st.text_input("Id column", key="corpus_col_id", persist_state="page",
                          placeholder="id, when there is one",
                          help="Without one, pairs are named by line (JSONL) or row number.")
        _options()
        st.subheader("Downloads")
        if run is not None:
            st.download_button("Corpus summary (CSV)",
                               data=partial(frame_csv, run.frame),
                               file_name="corpus-summary.csv", mime="text/csv",
                               key="dl_corpus_csv", on_click="ignore", width="stretch",
                               help="One row per pair, the columns of `python -m viewer "
                                    "corpus`.")
        if pair is not None and al is not None:
            _pair_downloads(pair, al)


def _doc_info(doc: Document) -> None:
    st.html(pieces.doc_line(doc.name, doc.encoding, f"{doc.size:,} bytes",
                            f"{len(doc.text):,} characters"))


def header(pair: Pair) -> None:
    st.html(pieces.title(f"{pieces.bold(pair.a.name)} against {pieces.bold(pair.b.name)}"))
    if st.session_state.load_error:
        st.error(markdown_literal(st.session_state.load_error), icon="⚠️")


def metrics(stats: dict) -> None:
    cols = st.columns(7)
    cols[0].metric("Original tokens", f"{stats['tokens']['original']:,}")
    cols[1].metric("Corrupted tokens", f"{stats['tokens']['corrupted']:,}")
    cols[2].metric("Matched", f"{stats['matched_share']:.1%}",
                   help="Share of the original's tokens found unchanged in the corrupted text.")
    for col, kind in zip(cols[3:6], KIND_TABLE.values(), strict=True):
        col.metric(kind.label, f"{stats['hunks'][kind.name]:,}")
    cols[6].metric("Corruption rate", f"{stats['corruption_rate']:.1%}",
                   help="Unmatched tokens, both sides counted, per token.")


def navigation_bar(al: Alignment, ids: np.ndarray, selected: int | None, d: dict) -> None:
    stats = d["stats"]
    line = int(d["a_line"][selected]) if selected is not None else 0
    total = len(al.hunks)
    first = int(ids[0]) if len(ids) else None
    last = int(ids[-1]) if len(ids) else None
    c_prev, c_next, c_count, c_filter = st.columns([1, 1, 3.2, 4.6], vertical_alignment="center")
    c_prev.button("Previous", key="prev", on_click=step, args=(-1,), width="stretch",
                  disabled=selected is None or first is None or selected <= first,
                  help="Previous difference (k, p or ←)")
    c_next.button("Next", key="next", on_click=step, args=(1,), width="stretch",
                  disabled=last is None or (selected is not None and selected >= last),
                  help="Next difference (j, n or →)")
    with c_count:
        st.html(pieces.counter(navigation.position(ids, selected), len(ids), selected, total))
    with c_filter:
        counts = stats["hunks"]
        st.pills("Show", list(KINDS), selection_mode="multi", key="kinds", on_change=on_filter,
                 format_func=lambda k: f"{KIND_TABLE[k].label} {counts[k]:,}",
                 label_visibility="collapsed", persist_state="page")
    if selected is not None:
        st.html(pieces.selection_line(al, selected, line))


def view(al: Alignment, d: dict, pair: Pair, selected: int | None, wkey: str) -> None:
    ss = st.session_state
    layout = d["layout"]
    n_rows = len(layout)
    sel_row = layout.row_of_hunk(selected) if selected is not None else 0
    window = ss.get("_window")
    if ss.window_anchor is not None:
        start, stop = rows_around(layout, ss.window_anchor)
    elif window and window[0] == wkey and window[1] <= sel_row < window[2]:
        start, stop = window[1], window[2]
    else:
        start, stop = rows_around(layout, sel_row)
    ss._window = (wkey, start, stop, n_rows)
    hidden = [k for k in KINDS if k not in ss.kinds]
    rows = render.render_rows(al, layout, start, stop, selected=selected, dim_kinds=hidden,
                              names=(f"Original · {pair.a.name}",
                                     f"Corrupted · {pair.b.name}"))
    st.html(render.render_legend())
    VIEWER(key="viewer",
           data={"html": rows, "selected": selected, "reveal": True, "nonce": ss.reveal},
           on_select_change=on_view_select, on_nav_change=on_view_nav,
           on_more_change=on_view_more)
    if al.bounded:
        st.caption(f"{len(al.bounded):,} region(s) too large to align token by token are shown "
                   "as one substitution each.")


def detail(al: Alignment, d: dict, selected: int | None) -> None:
    st.subheader("Selected difference")
    if selected is None:
        st.info("No differences: the two texts match token for token (spacing, line breaks "
                "and quote style aside).")
        return
    h = al.hunks[selected]
    a_txt, b_txt = al.hunk_texts(h)
    st.html(pieces.position_line(al, selected, int(d["a_paragraph"][selected]),
                                 int(d["a_line"][selected]), int(d["b_line"][selected])))
    if a_txt and b_txt:
        left, right = st.columns(2)
        with left:
            st.markdown("**Original**")
            _text_box(a_txt)
        with right:
            st.markdown("**Corrupted**")
            _text_box(b_txt)
    elif a_txt:
        st.markdown("**Original**")
        _text_box(a_txt)
        st.caption(f"Corrupted: nothing — a run of {h.gap[1] - h.gap[0]} spaces was left where "
                   "the text was removed." if h.gap else "Corrupted: nothing — removed without "
                   "a trace.")
    else:
        st.markdown("**Corrupted**")
        _text_box(b_txt)
        st.caption("Original: nothing — this text is only in the corrupted version.")
    if h.kind == SUBSTITUTED:
        st.markdown("**Character by character**")
        st.html(render.render_char_diff(al, h))
    if b_txt.strip():
        st.markdown("**Where the corrupted text occurs in the original**")
        sources, total = render.find_sources(al, h, d["fold"])
        st.html(render.render_sources(sources, total, h.ta[0]))


def _text_box(text: str) -> None:
    shown = text if len(text) <= DETAIL_CHARS else text[:DETAIL_CHARS] + "…"
    st.html(render.render_text_block(shown))
    if len(text) > DETAIL_CHARS:
        st.caption(f"{len(text):,} characters; the first {DETAIL_CHARS:,} are shown.")


def chart_panel(al: Alignment, d: dict, f: dict, selected: int | None) -> None:
    from viewer import charts  # altair and pandas load after the view is on its way

    st.subheader("Where the corruption is")
    if not al.hunks:
        st.caption("Nothing to chart: no differences.")
        return
    marker = paragraph = None
    if selected is not None:
        marker = al.hunks[selected].ta[0] / max(len(al.a), 1)
        paragraph = int(d["a_paragraph"][selected])
    st.altair_chart(charts.density_chart(f["density"], marker), key="density",
                    on_select=on_density, selection_mode=[charts.DENSITY_PICK,
                                                          charts.DENSITY_BRUSH],
                    width="stretch")
    st.caption("Density along the original. Click a spot or drag across a stretch to jump "
               "to the nearest difference there.")
    if len(f["paragraphs"]):
        st.altair_chart(charts.paragraph_chart(f["paragraphs"], paragraph), key="paragraphs",
                        on_select=on_paragraphs, selection_mode=[charts.PARAGRAPH_PICK],
                        width="stretch")
        st.caption("Corruption rate per paragraph. Click a bar to jump to its first "
                   "difference.")


def difference_list(f: dict, ids: np.ndarray, selected: int | None) -> None:
    st.subheader("All differences")
    shown = navigation.table_rows(ids, selected, TABLE_ROWS)
    if len(shown) < len(ids):
        st.caption(f"Showing {TABLE_ROWS:,} of {len(ids):,} differences around the selection.")
    table = f["table"].iloc[shown]
    table = table.assign(id=table["id"] + 1)
    st.session_state._table_ids = shown
    # keep the list's selected row on the selected difference
    pos = int(np.searchsorted(shown, selected)) if selected is not None else -1
    want = [pos] if 0 <= pos < len(shown) and shown[pos] == selected else []
    current = st.session_state.get("diff_table")
    have = list(current["selection"]["rows"]) if current is not None else []
    if have != want:
        st.session_state.diff_table = {"selection": {"rows": want, "columns": [], "cells": []}}
    st.dataframe(
        table, key="diff_table", on_select=on_table, selection_mode="single-row",
        hide_index=True, height=min(420, 38 + 35 * max(len(table), 1)), width="stretch",
        column_config={
            "id": st.column_config.NumberColumn("#", width=60, format="%d"),
            "kind": st.column_config.TextColumn("Kind", width=100),
            "a_line": st.column_config.NumberColumn("Line", width=60, format="%d",
                                                    help="Line of the original"),
            "a_text": st.column_config.TextColumn("Original", width="large"),
            "b_text": st.column_config.TextColumn("Corrupted", width="large"),
        })


# --- corpus page parts --------------------------------------------------------------------------


def corpus_header(run: CorpusRun | None) -> None:
    st.html(pieces.title("Corpus mode: many pairs at once" if run is None else
                         f"corpus {pieces.bold(run.name)} · {len(run.frame):,} pairs"))
    if st.session_state.corpus_error:
        st.error(markdown_literal(st.session_state.corpus_error), icon="⚠️")


def corpus_pair_header(pair: Pair) -> None:
    ss = st.session_state
    run: CorpusRun = ss.corpus
    order = ss.get("_corpus_order")
    where = np.flatnonzero(order == ss.corpus_open) if order is not None else np.zeros(0)
    place = (f" · row {pieces.bold(f'{int(where[0]) + 1:,}')} of {len(order):,} in the table"
             if len(where) else "")
    st.html(pieces.title(f"pair {pieces.bold(_pair_id(run, ss.corpus_open))} of "
                         f"{pieces.bold(run.name)}{place}"))
    back, above, below, _ = st.columns([1.3, 1.05, 1.05, 6], vertical_alignment="center")
    back.button("Back to corpus", key="corpus_back", on_click=on_corpus_back, type="primary",
                width="stretch", help="The corpus table, with its filter, sort and selection")
    above.button("Pair above", key="corpus_above", on_click=on_corpus_step, args=(-1,),
                 width="stretch", disabled=_step_target(-1) is None,
                 help="Open the pair above this one in the corpus table")
    below.button("Pair below", key="corpus_below", on_click=on_corpus_step, args=(1,),
                 width="stretch", disabled=_step_target(1) is None,
                 help="Open the pair below this one in the corpus table (pairs with errors "
                      "are passed over)")
    if ss.corpus_error:
        st.error(markdown_literal(ss.corpus_error), icon="⚠️")
    st.html(pieces.note(
        f"Original: {pieces.bold(pair.a.name)} · {render.escape_text(pair.a.encoding)} — "
        f"corrupted: {pieces.bold(pair.b.name)} · {render.escape_text(pair.b.encoding)}"))


def corpus_intro() -> None:
    st.html(pieces.CORPUS_INTRO)
    st.button("Try an example corpus", key="corpus_example_main", type="primary",
              on_click=on_example_corpus, help="20 pairs made from the example pair")


def corpus_overview(run: CorpusRun) -> None:
    from viewer import charts
    from viewer.corpus import density_summary

    ss = st.session_state
    frame = run.frame
    shown = filter_pairs(frame, ss.corpus_search, ss.corpus_show, ss.corpus_rate,
                         ss.corpus_sort, ss.corpus_desc)
    corpus_metrics(frame)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Corruption rate per pair")
        if frame["corruption_rate"].notna().any():
            hist = charts.rate_histogram_frame(frame["corruption_rate"],
                                               shown["corruption_rate"])
            st.altair_chart(charts.rate_histogram(hist), key=_hist_key(),
                            on_select=on_rate_pick, selection_mode=[charts.RATE_PICK],
                            width="stretch")
            st.caption("Pairs by the share of their tokens corrupted. Click a bar to list "
                       "only its pairs; double-click to let go.")
        else:
            st.caption("No pair could be aligned.")
    with right:
        st.subheader("Where in the documents")
        aligned_shown = shown[shown["error"].isna()]
        if len(aligned_shown):
            st.altair_chart(charts.corpus_density_chart(density_summary(aligned_shown)),
                            key="corpus_density", width="stretch")
            st.caption(f"Share of each original's tokens corrupted along the document "
                       f"(0–100 %), mean over the {len(aligned_shown):,} aligned pairs in the "
                       "table.")
        else:
            st.caption("No aligned pair in the table.")
    corpus_table(frame, shown)


def corpus_metrics(frame) -> None:
    rates = frame["corruption_rate"].dropna()
    failed = int(frame["error"].notna().sum())
    cols = st.columns(6)
    cols[0].metric("Pairs", f"{len(frame):,}")
    cols[1].metric("Aligned", f"{len(frame) - failed:,}")
    cols[2].metric("With errors", f"{failed:,}",
                   help="Pairs that could not be aligned (binary, empty, undecodable, a "
                        "missing partner…): filter the table to Errors to see why.")
    cols[3].metric("Mean rate", f"{rates.mean():.1%}" if len(rates) else "–",
                   help="Corruption rate (unmatched tokens, both sides counted, per token), "
                        "mean over the aligned pairs.")
    cols[4].metric("Median rate", f"{rates.median():.1%}" if len(rates) else "–",
                   help="Corruption rate, median over the aligned pairs.")
    cols[5].metric("Differences", f"{int(frame['hunks_total'].sum()):,}")


def corpus_table(frame, shown) -> None:
    ss = st.session_state
    st.subheader("Pairs")
    search, show, rate = st.columns([2.3, 2.1, 3], vertical_alignment="bottom", gap="medium")
    search.text_input("Search", key="corpus_search", persist_state="page",
                      placeholder="id or error text")
    show.segmented_control("Show", [SHOW_ALL, SHOW_ALIGNED, SHOW_ERRORS], key="corpus_show",
                           required=True, persist_state="page", width="stretch")
    rate.slider("Corruption rate (%)", 0, 100, key="corpus_rate", persist_state="page",
                on_change=on_rate_slider,
                help="From the lower rate up to, not including, the upper one (100 includes "
                     "100 %); equal ends: exactly that rate. Pairs with errors have no rate "
                     "and are left out unless the range is 0–100.")

    total = len(shown)
    if total > CORPUS_ROWS:
        shown = shown.iloc[:CORPUS_ROWS]
    order = shown["pair"].to_numpy(dtype=np.int64)
    ss._corpus_order = order
    note, sort, descending, reset = st.columns([4.2, 2.1, 1.35, 1.35],
                                               vertical_alignment="center")
    with note:
        more = (f" (the first {CORPUS_ROWS:,} are listed)" if total > CORPUS_ROWS else "")
        st.html(pieces.note(f"Showing {pieces.bold(f'{total:,}')} of {len(frame):,} pairs"
                            f"{more}. Click a row to open the pair side by side."))
    sort.selectbox("Sort by", list(SORTS), key="corpus_sort", persist_state="page",
                   format_func=lambda name: f"Sort by {name.lower()}",
                   label_visibility="collapsed")
    descending.toggle("Descending", key="corpus_desc", persist_state="page")
    reset.button("Reset filters", key="corpus_reset", on_click=on_reset_filters,
                 disabled=_filters_at_default(), width="stretch")

    table = table_frame(shown)
    # the pair last opened stays the selected row, wherever the filter and sort put it
    picked = ss.corpus_picked
    where = np.flatnonzero(order == picked) if picked is not None else np.zeros(0)
    want = {"rows": [int(where[0])] if len(where) else [], "columns": [], "cells": []}
    current = ss.get("corpus_table")
    have = ({k: list(current["selection"][k]) for k in want} if current is not None
            else {k: [] for k in want})
    if have != want:
        ss.corpus_table = {"selection": want}
    only_errors = ss.corpus_show == SHOW_ERRORS
    st.dataframe(
        table, key="corpus_table", on_select=on_corpus_table,
        selection_mode=["single-row", "single-cell"],
        hide_index=True, height=min(560, 38 + 35 * max(len(table), 1)), width="stretch",
        column_config={
            "n": st.column_config.NumberColumn("#", width=44, format="%d",
                                               help="Position in the corpus"),
            "id": st.column_config.TextColumn("Id", width=150),
            "rate": st.column_config.ProgressColumn("Corruption rate", format="percent",
                                                    min_value=0.0, max_value=1.0, width=128),
            "missing": st.column_config.NumberColumn("Missing", width=70, format="%d"),
            "substituted": st.column_config.NumberColumn("Substituted", width=92,
                                                         format="%d"),
            "inserted": st.column_config.NumberColumn("Inserted", width=70, format="%d"),
            "hunks": st.column_config.NumberColumn("Total", width=58, format="%d",
                                                   help="Differences of every kind"),
            "tokens_a": st.column_config.NumberColumn("Tokens", width=68, format="localized",
                                                      help="Tokens of the original"),
            "tokens_b": st.column_config.NumberColumn("Corr. tokens", width=92,
                                                      format="localized",
                                                      help="Tokens of the corrupted version"),
            "encoding": st.column_config.TextColumn("Encoding", width=84),
            "error": st.column_config.TextColumn("Error", width=580 if only_errors else "large"),
        },
        # errors first when only errors are listed
        column_order=(["n", "id", "error", "encoding"] if only_errors
                      else ["n", "id", "rate", "missing", "substituted", "inserted", "hunks",
                            "tokens_a", "tokens_b", "encoding", "error"]))


# --- the page -----------------------------------------------------------------------------------


def _held(name: str, key: str, compute):
    """A value this session already holds for this pair and options, else ``compute()`` (a
    cached function: st.cache_data is shared by sessions, but unpickles on every call)."""
    held = st.session_state.get(name)
    if held is not None and held[0] == key:
        return held[1]
    value = compute()
    st.session_state[name] = (key, value)
    return value


def main() -> None:
    st.set_page_config(page_title="Corruption viewer", page_icon="🧾", layout="wide",
                       initial_sidebar_state="expanded")
    init_state()
    st.html(f"<style>{render.PAGE_CSS}</style>")  # once: every piece of the page uses it
    mode_switch()
    if st.session_state.mode == CORPUS:
        corpus_page()
    else:
        pair_page(st.session_state.pair)


def pair_page(pair: Pair, in_corpus: bool = False) -> None:
    """The side-by-side page for one pair: the pair of Pair mode, or a pair opened from the
    corpus table (``in_corpus``: corpus sidebar, a way back to the table)."""
    ss = st.session_state
    options = (bool(ss.ignore_case), bool(ss.strict_typography))
    wkey = f"{pair.key}:{options}"
    # the alignment this session already holds; st.cache_data (shared by all sessions) is asked
    # only when the pair or the options change, which spares unpickling it on every click
    al = _held("_alignment", wkey, lambda: aligned(pair.a.text, pair.b.text, *options))
    d = _held("_prepared", wkey, lambda: prepared((pair.key, *options), al))

    ids = navigation.shown_ids(d["kinds"], ss.kinds)
    total = len(al.hunks)
    if ss.selected is None or not 0 <= ss.selected < total:
        ss.selected = navigation.clamp_selection(ss.selected, total)
    selected = ss.selected
    # what the callbacks of the next run navigate over
    ss._nav = {"ids": ids, "kinds": d["kinds"], "ta0": d["ta0"],
               "a_paragraph": d["a_paragraph"], "n_a": len(al.a), "total": total}

    if in_corpus:
        corpus_sidebar(pair, al)
        corpus_pair_header(pair)
    else:
        sidebar(pair, al)
        header(pair)
    metrics(d["stats"])
    navigation_bar(al, ids, selected, d)
    view(al, d, pair, selected, wkey)
    f = _held("_frames", wkey, lambda: frames((pair.key, *options), al, d["layout"]))
    left, right = st.columns([1.05, 1], gap="large")
    with left:
        detail(al, d, selected)
    with right:
        chart_panel(al, d, f, selected)
    difference_list(f, ids, selected)

    want = str(selected + 1) if selected is not None else None
    if want is None:
        if "diff" in st.query_params:
            del st.query_params["diff"]
    elif st.query_params.get("diff") != want:
        st.query_params["diff"] = want


def corpus_page() -> None:
    ss = st.session_state
    if ss.corpus is not None and ss.corpus_open is not None and ss.corpus_pair is not None:
        pair_page(ss.corpus_pair, in_corpus=True)
        return
    top = st.container()
    run = refresh_corpus()  # the progress bar, while a corpus is being read, goes here
    corpus_sidebar()
    with top:
        corpus_header(run)
    if "diff" in st.query_params:
        del st.query_params["diff"]
    if run is None:
        corpus_intro()
    else:
        corpus_overview(run)


if __name__ == "__main__":  # not when a worker process (forkserver) imports this module again
    main()
