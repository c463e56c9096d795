"""The corruption viewer page: ``streamlit run app.py``.

Pair mode: an original and its corrupted version side by side (the example pair first), every
difference clickable, with a list, charts, a detail panel and downloads. Corpus mode: a table of
a corpus's pairs with charts; a pair chosen there opens in the same side-by-side view.

Widgets, caches and layout: the only file that imports streamlit. What an event means is
decided by ``viewer.session`` and ``viewer.corpus.session`` over ``st.session_state``;
everything shown is computed by ``viewer/``.

Document text is data, never markup: it reaches the page only as escaped HTML (``st.html`` and
the view component) or dataframe cells, never through ``st.markdown``.
"""

from __future__ import annotations

import time
from functools import partial

import numpy as np
import streamlit as st
import streamlit.logger

if __name__ == "__mp_main__":
    # A corpus worker process (multiprocessing's forkserver) imports this module again before it
    # unpickles its work; nothing is shown there, so Streamlit's bare-mode warnings are noise.
    streamlit.logger.set_log_level("error")

from viewer import first_paint, memory, page_data, render, session, store
from viewer.align import Alignment
from viewer.corpus import session as corpus_state
from viewer.corpus import table as pairs_table
from viewer.corpus.progress import compute_with_progress
from viewer.loading import Document
from viewer.page_data import HELP, TableColumn
from viewer.render import page as pieces
from viewer.render.text import markdown_literal
from viewer.session import CORPUS, PAIR, Pair

state = st.session_state  # read and changed by viewer.session's functions


# --- how elements are drawn -------------------------------------------------------------------


def on(action, *args):
    """A widget's callback: ``action(st.session_state, *args)``."""
    return partial(action, st.session_state, *args)


def wide_button(label: str, key: str, action, *args, where=st, **options) -> None:
    """A button across its column; a click calls ``action(st.session_state, *args)``."""
    where.button(label, key=key, on_click=on(action, *args), width="stretch", **options)


def metrics(items: list[tuple[str, str, str | None]]) -> None:
    """A row of metrics, ``(label, value, help)``."""
    with st.container(horizontal=True, key="metrics"):  # wraps when narrow, never "1…"
        for label, value, help_text in items:
            st.metric(label, value, help=help_text, width="content")


def column_config(columns: dict[str, TableColumn]) -> dict:
    """Streamlit's column configuration from ``viewer``'s ``TableColumn`` descriptions."""
    make = {"number": st.column_config.NumberColumn, "text": st.column_config.TextColumn,
            "share": partial(st.column_config.ProgressColumn, min_value=0.0, max_value=1.0)}
    return {name: make[c.kind](c.label, width=c.width, help=c.help,
                               **({"format": c.format} if c.format else {}))
            for name, c in columns.items()}


def chart(altair_chart, key: str, caption: str, on_pick=None,
          picks: list[str] | None = None) -> None:
    """A chart across its column with its caption; ``on_pick(st.session_state)`` when one of
    its selections (``picks``) is made."""
    st.altair_chart(altair_chart, key=key, width="stretch", **(
        {"on_select": on(on_pick), "selection_mode": picks} if on_pick else {}))
    st.caption(caption)


def say(how, message: str | None, icon: str = "⚠️") -> None:
    """``message`` (plain text, which may hold a name: not Markdown) with ``how``
    (``st.error``, ``st.warning``), when there is one."""
    if message:
        how(markdown_literal(message), icon=icon)


def error(message: str | None) -> None:
    say(st.error, message)


# --- the panels under the view ----------------------------------------------------------------


def detail(al: Alignment, d: dict, selected: int | None) -> None:
    st.subheader("Selected difference")
    if selected is None:
        st.info(HELP["identical"])
        return
    panel = page_data.detail_panel(al, d, selected)
    for line in panel.lines:
        st.html(line)
    for (label, block, cut), where in zip(panel.boxes, st.columns(2) if len(panel.boxes) == 2
                                          else [st], strict=True):
        where.markdown(f"**{label}**")
        where.html(block)
        if cut:
            where.caption(cut)
    if panel.absent:
        st.caption(panel.absent)
    if panel.chars is not None:
        st.markdown("**Character by character**")
        st.html(panel.chars)
    # where its text came from: its sources in the original (a copy), or its partner (a move)
    for k, (place, row) in enumerate(panel.sources):
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.html(place)
        wide_button("Show", f"source_{k}", session.show_source, k, row, where=button,
                    help="Scroll the view to this place")
    if state.focus is not None:
        st.button("Back to the difference", key="source_back",
                  on_click=on(session.select, selected, True))
    if panel.partner is not None:
        st.html(panel.partner_line)
        st.button(f"Go to #{panel.partner + 1}", key="move_partner", help=HELP["move"],
                  on_click=on(session.select, panel.partner, True))


def chart_panel(al: Alignment, d: dict, f: dict, selected: int | None) -> None:
    from viewer import charts  # altair and pandas load after the view is on its way
    st.subheader("Where the corruption is")
    if not al.hunks:
        st.caption("Nothing to chart: no differences.")
        return
    marker, paragraph = page_data.chart_markers(al, d, selected)
    by = st.segmented_control("Colour by", ["kind", "type"], key="colour_by", required=True)
    density, paragraphs = page_data.chart_frames_by(f, by)
    chart(charts.density_chart(density, marker), "density", HELP["density"],
          session.density_picked, [charts.DENSITY_PICK, charts.DENSITY_BRUSH])
    if len(paragraphs):
        chart(charts.paragraph_chart(paragraphs, paragraph), "paragraphs", HELP["paragraphs"],
              session.paragraph_picked, [charts.PARAGRAPH_PICK])


def difference_list(f: dict, ids: np.ndarray, selected: int | None) -> None:
    st.subheader("All differences")
    shown = session.list_rows(state, ids, selected, page_data.LIST_ROWS)
    if len(shown) < len(ids):
        st.caption(f"Showing {len(shown):,} of {len(ids):,} differences around the selection.")
    table = f["table"].iloc[shown]
    st.dataframe(table.assign(id=table["id"] + 1), key="diff_table", width="stretch",
                 on_select=on(session.list_picked), hide_index=True,
                 selection_mode=["single-row", "single-cell"],
                 height=page_data.table_height(len(table), 420),
                 column_config=column_config(page_data.LIST_COLUMNS))
    # the dataframe does not scroll to its selected row by itself
    LIST_SCROLL(key="diff_table_scroll",
                data=page_data.list_scroll_data("diff_table", shown, selected))


def confusion_column(column):
    """A confusion table's column: a count, or words held to a width that leaves the count in
    sight in a table CONFUSION_TABLE_PX wide (a long word ends in an ellipsis)."""
    if column.dtype.kind in "iuf":
        return st.column_config.NumberColumn(width=CONFUSION_COUNT_PX)
    return st.column_config.TextColumn(width=CONFUSION_WORDS_PX)


def confusion_panel(frames: dict) -> None:
    """A pair's or a corpus's most frequent confusions, one small table per part."""
    st.subheader("Confusions")
    with st.container(horizontal=True, key="confusions", gap="medium"):
        for title, frame in frames.items():
            with st.container(width=CONFUSION_TABLE_PX):
                st.caption(title)
                st.dataframe(frame, hide_index=True, width="stretch",
                             height=page_data.table_height(len(frame), 400),
                             column_config={name: confusion_column(frame[name])
                                            for name in frame.columns})


# --- caches -------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def example_pair() -> Pair:
    return session.load_example()


@st.cache_resource(show_spinner=False)
def pair_store(settings: store.Settings) -> tuple[store.Store | None, str | None]:
    """The store of pairs and corpora every session of this server shares (``viewer.store``:
    ``store.settings()`` reads ``VIEWER_STORE``, ``VIEWER_DATA_DIR``, ``VIEWER_STORE_MB``), and
    why there is none when its database cannot be used (None when it is off, or fine)."""
    return store.open_store(settings)


@st.cache_resource
def memory_store() -> memory.MemoryStore:
    """The alignments and what is derived from them, for every session, within the memory
    budget (``VIEWER_MEMORY_MB``, see ``viewer.memory``); sessions keep keys, not values."""
    return memory.MemoryStore(memory.budget_bytes())


def aligned(pair: Pair, options: tuple[bool, ...]) -> Alignment:
    """The pair's alignment; waits, saying so, while the budget is full of other sessions'
    alignments (``MemoryBusy`` after a while; ``MemoryTooSmall`` at once for a pair larger
    than the whole budget)."""
    notice = st.empty()
    try:
        with st.spinner("Aligning the two texts…"):
            return memory_store().get_or_compute(
                (pair.key, *options), "alignment",
                partial(session.align_pair, pair, options),
                reserve=memory.alignment_peak_bytes(pair.a.text, pair.b.text,
                                                     memory_store().budget), anchor=True,
                derive=lambda al: {"view": page_data.view_data(al)},  # its peak in the turn
                on_wait=lambda: notice.info(memory.WAITING_MESSAGE, icon="⏳"),
                still_wanted=notice.empty)  # a replaced run stops at its next element
    finally:
        notice.empty()


def derived(key: tuple, name: str, compute):
    """What the page derives from an alignment (``view``, ``frames``), kept with it."""
    return memory_store().get_or_compute(key, name, compute)


def view_data(key: tuple, al: Alignment) -> dict:
    """``page_data.view_data`` of ``al``, kept with it (made in ``aligned``'s turn)."""
    return derived(key, "view", lambda: page_data.view_data(al))


@st.cache_data(max_entries=4, show_spinner=False)
def corpus_summary(digest: str, name: str, columns: tuple, options: tuple, _data: bytes,
                   _progress=None):
    """The summary of a corpus, cached on its digest, name, column names and options. Draws
    nothing (see ``viewer.corpus.progress``)."""
    return pairs_table.summarize_for_page(_data, name, columns, options, _progress)


@st.cache_data(max_entries=16, show_spinner=False)
def corpus_documents(digest: str, name: str, pair: int, columns: tuple,
                     _data: bytes) -> tuple[Document, Document]:
    return pairs_table.pair_documents(_data, name, pair, columns)


@st.cache_resource
def summaries_under_way() -> dict[tuple, list]:
    """``[done, total]`` of the corpus summaries being computed in this process, by cache key
    (one dict for every run and session: module globals start afresh on every rerun)."""
    return {}


def summarize_with_progress(key: tuple, data: bytes):
    """``corpus_summary`` with a progress bar while it runs (see ``viewer.corpus.progress``)."""
    name = render.text.markdown_literal(key[1])  # the bar's text is Markdown
    bar = st.progress(0.0, text=f"Reading {name}…")
    return compute_with_progress(
        key, lambda report: corpus_summary(*key, _data=data, _progress=report),
        summaries_under_way(), name, bar)


def corpus_pair_documents(run: corpus_state.CorpusRun, pair: int) -> tuple[Document, Document]:
    return corpus_documents(run.digest, run.name, pair, run.columns, _data=run.data)


# --- the sidebar --------------------------------------------------------------------------------


def mode_switch() -> None:
    with st.sidebar:
        st.segmented_control("Mode", [PAIR, CORPUS], key="mode", required=True, width="stretch",
                             on_change=on(session.switch_mode), label_visibility="collapsed",
                             help=HELP["mode"])


def sidebar(pair: Pair | None = None, al: Alignment | None = None, in_corpus=False) -> None:
    """Where the texts come from (two documents, or a corpus), the options and the downloads;
    ``pair`` None: no pair shown (a half upload, a link's missing pair, the corpus table)."""
    run: corpus_state.CorpusRun | None = state.corpus if in_corpus else None
    with st.sidebar:
        if in_corpus:
            corpus_inputs(run)
        else:
            pair_inputs(pair)
        _options(page_data.sidebar_downloads(al, pair, run and run.frame, in_corpus))


def pair_inputs(pair: Pair | None) -> None:
    st.header("Documents")
    for (side, label), doc in zip((("a", "Original"), ("b", "Corrupted")),
                                  session.documents_shown(state), strict=True):
        st.file_uploader(label, key=session.uploader_key(state, side),
                         on_change=on(session.take_upload, side),
                         help=HELP["upload"] if side == "a" else None)
        if doc is not None:
            st.html(pieces.document_line(doc))
    with st.expander("Paste text instead"):
        st.text_area("Original text", key="paste_a", height=120)
        st.text_area("Corrupted text", key="paste_b", height=120)
        wide_button("Compare pasted text", "use_paste", session.take_paste)
    left, right = st.columns(2)
    wide_button("Swap", "swap", session.swap, where=left, disabled=pair is None)
    wide_button("Example pair", "example", session.show_example, example_pair, where=right)
    recent_pairs()


def recent_pairs() -> None:
    """The pairs this server keeps, newest first (one click opens one); with the store off,
    this session's."""
    kept, problem = pair_store(store.settings())
    entries = session.recent_pairs(state)
    with st.expander(f"Recent pairs ({len(entries)})", expanded=False):
        say(st.warning, problem)
        if not problem and kept is None:
            st.caption("Pairs are kept in this session only (VIEWER_STORE=off): this list is "
                       "yours alone, and a link cannot reopen a pair.")
        if not entries:
            st.caption("None yet: the pairs you upload or paste are listed here.")
        shown = state.pair_kept if session.pair_shown(state) else None
        for label, pair_id, disabled in page_data.recent_buttons(entries, time.time(), shown):
            wide_button(label, f"recent_{pair_id}", session.open_recent, pair_id,
                        disabled=disabled)


def corpus_inputs(run: corpus_state.CorpusRun | None) -> None:
    st.header("Corpus")
    st.file_uploader("Corpus file", key="corpus_upload", on_change=on(corpus_state.take_upload),
                     help=HELP["corpus_upload"])
    if run is not None:
        st.html(pieces.corpus_line(run.name, len(run.frame),
                                   int(run.frame["error"].notna().sum()), len(run.data)))
    wide_button("Example corpus", "corpus_example", corpus_state.stage_example,
                help="20 pairs made from the example pair")
    with st.expander("Column names"):
        st.caption("For JSONL, CSV and Parquet corpora.")
        st.text_input("Original column", key="corpus_col_original", persist_state="page")
        st.text_input("Corrupted column", key="corpus_col_corrupted", persist_state="page")
        st.text_input("Id column", key="corpus_col_id", persist_state="page",
                      placeholder="id, when there is one",
                      help="Without one, pairs are named by line (JSONL) or row number.")


def _options(downloads: list[page_data.Download] | None) -> None:
    """The options, then the downloads (None: nothing to download, no heading)."""
    st.subheader("Options")
    st.segmented_control("Preset", list(session.PRESETS), key="preset", width="stretch",
                         on_change=on(session.apply_preset), help=HELP["preset"])
    for key in (*session.OPTION_KEYS, "mark_letters"):
        label, help_text = page_data.OPTION_WIDGETS[key]
        st.checkbox(label, key=key, help=help_text,
                    on_change=on(session.keep_place) if key != "mark_letters" else None)
    if downloads is not None:
        st.subheader("Downloads")
        for dl in downloads:
            st.download_button(dl.label, data=dl.data, file_name=dl.file_name, mime=dl.mime,
                               key=dl.key, help=dl.help, on_click="ignore", width="stretch")


# --- pair page parts ----------------------------------------------------------------------------


def header(pair: Pair | None = None) -> None:
    """The title (``pair`` None: the half given so far), the error of the last upload and why
    a pair was not kept."""
    st.html(pieces.pair_title(*((pair.a, pair.b) if pair else session.documents_shown(state))))
    error(state.load_error)
    say(st.warning, state.store_note, "💾")


def pair_wanted() -> None:
    """No pair to show: a link named one the store does not have (the example is offered,
    never swapped in), or one side waits for the other."""
    sidebar(None)
    header()
    message, missing = session.wanted_notice(
        state, store_off=pair_store(store.settings()) == (None, None))
    if missing:
        say(st.warning, message, "🔗")
        st.button("Open the example pair", key="missing_example", type="primary",
                  on_click=on(session.show_example, example_pair))
    else:
        st.info(message, icon="⏳")


def navigation_bar(al: Alignment, selected: int | None, d: dict) -> None:
    """The kind and type filters and the selection in a few words (Previous, Next and the
    counter are in the view component: they move the selection without waiting for a run)."""
    for label, key, names, counts in page_data.filter_rows(d):
        st.pills(label, list(names), selection_mode="multi", key=key, persist_state="page",
                 on_change=on(session.keep_on_shown), label_visibility="collapsed",
                 format_func=partial(page_data.filter_label, counts))
    line = page_data.selection_line(al, d, selected)
    if line is not None:
        st.html(line)


VIEWER = st.components.v2.component("corruption_viewer", html=pieces.VIEW_HTML,
                                     css=render.VIEW_CSS + pieces.NAV_CSS, js=pieces.VIEW_JS,
                                     isolate_styles=False)
LIST_SCROLL = st.components.v2.component("list_scroll", js=pieces.LIST_SCROLL_JS)
# A confusion table's width and its columns': the tables wrap onto a new line rather than
# narrow (four across cut off the Count of "Words substituted" at a 1400 px window)
CONFUSION_TABLE_PX = 340
CONFUSION_WORDS_PX = 130
CONFUSION_COUNT_PX = 60


def view(al: Alignment, d: dict, pair: Pair, selected: int | None, ids: np.ndarray,
         wkey: str, alone: bool = False) -> None:
    """The view component (``alone``: the rest of the page waits for its ``ready`` event)."""
    # (the pair's key is its texts': the names go with the rows)
    VIEWER(key="viewer", data=page_data.view_payload(state, al, d, (pair.a.name, pair.b.name),
                                                     selected, ids, wkey, alone),
           on_select_change=on(session.view_selected), on_lost_change=on(session.view_lost),
           on_more_change=on(session.view_wants_more), on_ready_change=on(session.view_ready))
    st.html(render.render_legend(type_counts=d["type_counts"]))  # under the view: it starts higher
    if al.bounded:
        st.caption(f"{len(al.bounded):,} {HELP['bounded']}")


# --- corpus page parts --------------------------------------------------------------------------


def corpus_header(run: corpus_state.CorpusRun | None) -> None:
    st.html(pieces.corpus_title(run and run.name, run and len(run.frame)))
    error(state.corpus_error)


def corpus_pair_header(pair: Pair) -> None:
    run: corpus_state.CorpusRun = state.corpus
    st.html(pieces.corpus_pair_title(corpus_state.pair_id(run, state.corpus_open), run.name,
                                     corpus_state.table_place(state)))
    back, above, below, _ = st.columns([1.3, 1.05, 1.05, 6], vertical_alignment="center")
    wide_button("Back to corpus", "corpus_back", corpus_state.back, where=back, type="primary",
                help=HELP["corpus_back"])
    for column, direction, label, key in ((above, -1, "Pair above", "corpus_above"),
                                          (below, 1, "Pair below", "corpus_below")):
        wide_button(label, key, corpus_state.open_neighbour, direction, corpus_pair_documents,
                    where=column, help=HELP[key],
                    disabled=corpus_state.step_target(state, direction) is None)
    error(state.corpus_error)
    st.html(pieces.pair_documents_note(pair.a, pair.b))


def corpus_intro() -> None:
    st.html(pieces.CORPUS_INTRO)
    st.button("Try an example corpus", key="corpus_example_main", type="primary",
              on_click=on(corpus_state.stage_example), help="20 pairs made from the example pair")


def corpus_overview(run: corpus_state.CorpusRun) -> None:
    from viewer import charts
    frame = run.frame
    shown = corpus_state.shown_pairs(state, frame)
    metrics(pairs_table.corpus_metrics(frame))
    hist, density, aligned_shown = page_data.corpus_chart_frames(frame, shown)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Corruption rate per pair")
        if hist is not None:
            chart(charts.rate_histogram(hist), corpus_state.hist_key(state), HELP["rates"],
                  corpus_state.rate_picked, [charts.RATE_PICK])
        else:
            st.caption("No pair could be aligned.")
    with right:
        st.subheader("Where in the documents")
        if density is not None:
            chart(charts.corpus_density_chart(density), "corpus_density",
                  HELP["corpus_density"].format(n=aligned_shown))
        else:
            st.caption("No aligned pair in the table.")
    corpus_table(frame, shown)
    confusion_panel(page_data.corpus_confusion_frames(shown))


def corpus_table(frame, shown) -> None:
    st.subheader("Pairs")
    search, show, rate = st.columns([2.3, 2.1, 3], vertical_alignment="bottom", gap="medium")
    search.text_input("Search", key="corpus_search", persist_state="page",
                      placeholder="id or error text")
    show.segmented_control("Show", list(pairs_table.SHOW_CHOICES), key="corpus_show",
                           required=True, persist_state="page", width="stretch")
    rate.slider("Corruption rate (%)", 0, 100, key="corpus_rate", persist_state="page",
                on_change=on(corpus_state.rate_typed), help=HELP["rate"])
    total, shown = len(shown), corpus_state.listed(state, shown)
    note, sort, descending, reset = st.columns([4.2, 2.1, 1.35, 1.35], vertical_alignment="center")
    note.html(pieces.pairs_shown_note(total, len(frame), pairs_table.TABLE_ROWS))
    sort.selectbox("Sort by", list(pairs_table.SORTS), key="corpus_sort", persist_state="page",
                   format_func=lambda name: f"Sort by {name.lower()}",
                   label_visibility="collapsed")
    descending.toggle("Descending", key="corpus_desc", persist_state="page")
    wide_button("Reset filters", "corpus_reset", corpus_state.reset_filters, where=reset,
                disabled=corpus_state.filters_at_default(state))
    # the pair last opened stays the selected row, wherever the filter and sort put it
    session.keep_table_selection(state, "corpus_table", corpus_state.picked_rows(state))
    columns = pairs_table.table_columns(state.corpus_show == pairs_table.SHOW_ERRORS)
    st.dataframe(pairs_table.table_frame(shown), key="corpus_table", width="stretch",
                 on_select=on(corpus_state.open_clicked, corpus_pair_documents),
                 selection_mode=["single-row", "single-cell"], hide_index=True,
                 height=page_data.table_height(len(shown), 560),
                 column_config=column_config(columns), column_order=list(columns))


# --- the page -----------------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="Corruption viewer", page_icon="🧾", layout="wide",
                       initial_sidebar_state="expanded")
    session.start_run(state, st.query_params, pair_store(store.settings())[0], example_pair)
    st.html(f"<style>{render.PAGE_CSS}</style>")  # once: every piece of the page uses it
    bare = session.first_paint_bare(state)
    if bare:  # the sidebar is there (its widgets come later): the view does not move sideways
        st.sidebar.empty()
    else:
        mode_switch()
    if state.mode == CORPUS:
        corpus_page()
        if corpus_state.open_wanted(state, corpus_pair_documents):  # a link's pair, now read
            st.rerun()
    elif session.pair_shown(state):
        pair_page(state.pair, bare=bare)
    else:
        pair_wanted()
    corpus_state.link_corpus(st.query_params, state)


def pair_page(pair: Pair, in_corpus: bool = False, bare: bool = False) -> None:
    """The side-by-side page for one pair: the pair of Pair mode, or a pair opened from the
    corpus table (``in_corpus``: corpus sidebar, a way back to the table); ``bare``: the
    session's first run, the view and the title only (``session.first_paint_bare``)."""
    options = session.align_options(state)
    # the session keeps no alignment of its own: the memory store holds it for every session
    # and frees it when the budget needs room (``viewer.memory``)
    try:
        al = aligned(pair, options)
    except (memory.MemoryBusy, memory.MemoryTooSmall) as err:
        message = memory.refusal_message(err)
        if not session.fall_back(state, pair, message, in_corpus, corpus_state.back):
            if bare:  # no view will ask for the rest: the way to the corpus mode stays
                mode_switch()
            error(message)
            st.stop()
        st.rerun()
    state["_shown_pair"] = pair
    key = (pair.key, *options)
    d = view_data(key, al)
    session.settle_place(state, d)  # an option or Swap just changed: the same text stays selected

    # The browser draws the page's elements in the order they arrive, each at some cost: the
    # view is sent first, the title, metrics and sidebar after it, into the place kept for them.
    # The session's first run (``bare``) sends the title and the places kept for the metrics
    # first: the view, arriving after them, is painted where it stays.
    alone = session.view_alone(state)
    top = st.container()
    if not bare:
        selection_part(pair, options, alone, bare)
    with top:
        if in_corpus:
            corpus_pair_header(pair)
        else:
            header(pair)
        message, keys = page_data.option_hint(d["type_counts"], session.option_values(state))
        if bare:  # the metrics and the option hint come with the ready rerun, into their place
            st.html(first_paint.pair_metrics_placeholder(d, session.first_measure(state),
                                                         message if keys else None))
    if bare:
        selection_part(pair, options, alone, bare)
        return
    with top:
        metrics(page_data.pair_metrics(d["stats"], d["rates"], session.first_measure(state)))
        if keys:  # most differences are case or punctuation only: say so, offer the option
            st.info(message, icon=":material/lightbulb:")  # plain words and numbers only
            st.button(page_data.option_offer_label(keys), key="offer_options",
                      on_click=on(session.tick_options, keys))
    if alone:  # the sidebar comes with the rest of the page, once the view is painted
        return
    sidebar(pair, al, in_corpus)
    confusion_panel(derived(key, "confusions", lambda: page_data.pair_confusion_frames(al)))


@st.fragment
def selection_part(pair: Pair, options: tuple[bool, ...], alone: bool = False,
                   bare: bool = False) -> None:
    """What depends on the selection: the filters, the view, the detail panel, the charts, the
    list and the URL. A new selection (from the view, the list or a chart) reruns this alone,
    with the alignment of the last full run; the view comes first, the rest after it.
    ``alone``: the session's first run, the view only (the rest of the page, sidebar included,
    comes with the whole page's rerun its ``ready`` event asks for); ``bare``: not even the
    filters (``session.first_paint_bare``)."""
    if alone and session.view_ready_seen(state):
        st.rerun()  # the whole page, not this fragment: the sidebar is outside it
    # Streamlit keeps a fragment's arguments for its reruns: the alignment is looked up here,
    # never passed in, so the memory store can free it
    key = (pair.key, *options)
    al = memory_store().get(key, "alignment")
    if al is None:
        st.rerun()  # evicted: the whole page aligns again (and waits for memory, saying so)
    d = view_data(key, al)
    ids = session.shown_ids(state, d)
    selected = session.current_selection(state, len(al.hunks))
    session.set_navigation(state, d, ids, len(al.a))
    bar = st.container()  # the filters above the view, sent after it (see pair_page)
    if bare:  # the filters' place is kept before the view is sent (see pair_page)
        with bar:
            st.html(first_paint.pair_filters_placeholder(
                d, page_data.selection_line(al, d, selected)))
    view(al, d, pair, selected, ids, f"{pair.key}:{options}", alone)
    if not bare:
        with bar:
            navigation_bar(al, selected, d)
            st.toggle("Changed paragraphs only", key=render.css.FOLD_TOGGLE_KEY,
                      help=HELP["folds"])
    session.link_selection(st.query_params, selected)
    if alone:  # the first highlighted token first
        return
    f = derived(key, "frames", lambda: page_data.chart_frames(al, d["layout"]))
    left, right = st.columns([1.05, 1], gap="large")
    with left:
        detail(al, d, selected)
    with right:
        chart_panel(al, d, f, selected)
    difference_list(f, ids, selected)


def corpus_page() -> None:
    if corpus_state.showing_pair(state):
        pair_page(state.corpus_pair, in_corpus=True)
        return
    top = st.container()  # the title goes above the progress bar of a corpus being read
    run = corpus_state.refresh(state, summarize_with_progress)
    sidebar(in_corpus=True)
    with top:
        corpus_header(run)
    session.link_selection(st.query_params, None)
    if run is None:
        corpus_intro()
    else:
        corpus_overview(run)


if __name__ == "__main__":  # not when a worker process (forkserver) imports this module again
    main()
