"""The corruption viewer page: ``streamlit run app.py``.

An original text and its corrupted version side by side, every difference highlighted and
clickable, with a list, charts, a detail panel and downloads. It opens on the example pair in
``seeds/``. This is the only module that imports streamlit; everything it shows is computed by
``viewer/`` (align once, cached; render, charts and exports read that one Alignment).

Document text is data, never markup: it reaches the page only as escaped HTML (``st.html`` and
the view component), ``st.code`` or dataframe cells, never through ``st.markdown``.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import streamlit as st

from viewer import render
from viewer.align import INSERTED, KINDS, MISSING, SUBSTITUTED, Alignment, align
from viewer.export import to_csv, to_json
from viewer.loading import Document, InputError, decode_bytes, load_text
from viewer.stats import density_frame, hunks_frame, summary

ROOT = Path(__file__).resolve().parent
EXAMPLE = (ROOT / "seeds" / "000_a77c86db7b5a1f59.txt",
           ROOT / "seeds" / "001_39dbf1e82cca5920.txt")
COMPONENT_JS = (ROOT / "viewer" / "component" / "viewer.js").read_text(encoding="utf-8")
# The list of differences shows at most this many rows (around the selection): a dataframe is
# sent whole on every rerun (lazy loading cannot be combined with row selection).
TABLE_ROWS = 5_000
# Texts longer than this are cut in the detail panel (the view shows them whole).
DETAIL_CHARS = 4_000

PAGE_CSS = """
<style>
.block-container{padding-top:3.4rem;padding-bottom:3rem}
.cv-title{display:flex;align-items:baseline;gap:.9rem;flex-wrap:wrap;margin:0 0 .2rem}
.cv-title h1{font-size:1.55rem;font-weight:700;margin:0;padding:0}
.cv-title .cv-sub{color:rgba(110,110,120,.95);font-size:.92rem}
.cv-title .cv-sub b{color:var(--st-text-color,#1f2328);font-weight:600}
.cv-counter{font-size:1rem;line-height:2.4rem;white-space:nowrap}
.cv-counter .cv-of{color:rgba(110,110,120,.95);font-size:.85rem;margin-left:.35rem}
.cv-sel-line{font-size:.9rem;line-height:1.5;color:rgba(110,110,120,.95);overflow:hidden;
  text-overflow:ellipsis;white-space:nowrap}
.cv-sel-line q{color:var(--st-text-color,#1f2328);quotes:"“" "”"}
.cv-badge{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.78rem;
  font-weight:600;color:#fff;line-height:1.45rem;margin-right:.4rem;vertical-align:1px}
.cv-badge.missing{background:#B34E00}.cv-badge.substituted{background:#9C4A77}
.cv-badge.inserted{background:#0072B2}
.cv-doc{font-size:.8rem;color:rgba(110,110,120,.95);margin:-.4rem 0 .6rem;overflow-wrap:anywhere}
.cv-doc b{color:var(--st-text-color,#1f2328);font-weight:600}
.cv-pos{font-size:.88rem;color:rgba(110,110,120,.95);margin:.1rem 0 .4rem}
</style>
"""


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
    return tuple(decode_bytes(path.read_bytes(), path.name) for path in EXAMPLE)


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
        "layout": render.layout_rows(_al),
        "stats": summary(_al),
        "kinds": np.fromiter((KINDS.index(h.kind) for h in hunks), dtype=np.int8,
                             count=len(hunks)),
        "ta0": np.fromiter((h.ta[0] for h in hunks), dtype=np.int64, count=len(hunks)),
        "a_line": np.searchsorted(_line_starts(_al.a_text), a0, side="right"),
        "a_paragraph": np.searchsorted(_paragraph_starts(_al.a_text), a0, side="right"),
        "b_line": np.searchsorted(_line_starts(_al.b_text), b0, side="right"),
        "fold": render.FoldIndex(_al),
    }


@st.cache_data(max_entries=6, show_spinner=False)
def frames(key: tuple, _al: Alignment, _layout: render.Layout) -> dict:
    """The tidy frames behind the charts and the list."""
    from viewer import charts

    frame = hunks_frame(_al)
    return {
        # about 30 tokens per bin: a readable curve for an article, 2,000 bins for a book
        "density": density_frame(_al, "original",
                                 max_bins=max(30, min(2000, len(_al.a) // 30))),
        "paragraphs": charts.paragraph_frame(_al, _layout),
        "table": frame.assign(
            a_text=frame["a_text"].map(_one_line), b_text=frame["b_text"].map(_one_line)
        )[["id", "kind", "a_line", "a_text", "b_text"]],
    }


def _line_starts(text: str) -> np.ndarray:
    return np.array([0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)], dtype=np.int64)


def _paragraph_starts(text: str) -> np.ndarray:
    """Paragraphs are separated by blank lines; a text without blank lines has one per line."""
    if not re.search(r"\n[^\S\n]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        return _line_starts(text)
    breaks = re.finditer(r"(?:(?:\r\n|\r|\n)[^\S\r\n]*){2,}", text)
    return np.array([0] + [m.end() for m in breaks], dtype=np.int64)


def _one_line(text: str, limit: int = 160) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ⏎ ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- session state and the actions that change it ----------------------------------------------


def init_state() -> None:
    ss = st.session_state
    ss.setdefault("pair", None)
    if ss.pair is None:
        ss.pair = example_pair()
    ss.setdefault("ignore_case", False)
    ss.setdefault("strict_typography", False)
    ss.setdefault("kinds", list(KINDS))
    ss.setdefault("selected", _selection_from_url())
    ss.setdefault("load_error", None)
    ss.setdefault("reveal", 0)
    ss.setdefault("window_anchor", None)
    ss.setdefault("paste_a", "")
    ss.setdefault("paste_b", "")


def _selection_from_url() -> int:
    raw = st.query_params.get("diff", "")
    try:
        k = int(raw)
    except ValueError:
        return 0
    return k - 1 if k >= 1 else 0


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
    nav = st.session_state.get("_nav")
    if not nav or not len(nav["ids"]):
        return
    ids, current = nav["ids"], st.session_state.selected
    if current is None:
        target = ids[0] if direction > 0 else ids[-1]
    elif direction > 0:
        k = int(np.searchsorted(ids, current, side="right"))
        target = ids[k] if k < len(ids) else None
    else:
        k = int(np.searchsorted(ids, current, side="left")) - 1
        target = ids[k] if k >= 0 else None
    select(target)


def on_filter() -> None:
    """Keep the selection on a shown kind: the next shown difference (or the last one)."""
    nav = st.session_state.get("_nav")
    if not nav:
        return
    shown = [KINDS.index(k) for k in st.session_state.kinds]
    ids = np.flatnonzero(np.isin(nav["kinds"], shown))
    current = st.session_state.selected
    if not len(ids) or current is None or nav["kinds"][current] in shown:
        return
    k = int(np.searchsorted(ids, current))
    select(int(ids[min(k, len(ids) - 1)]))


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
        nav = st.session_state.get("_nav")
        if nav and 0 <= event["id"] < nav["total"]:
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
    if event.get("dir", 0) > 0:
        st.session_state.window_anchor = min(n_rows - 1, stop + (stop - start) // 3)
    else:
        st.session_state.window_anchor = max(0, start - (stop - start) * 2 // 3)


def on_table() -> None:
    rows = _event("diff_table", "selection")
    rows = rows.get("rows") if rows is not None else None
    ids = st.session_state.get("_table_ids")
    if rows and ids is not None and 0 <= rows[0] < len(ids):
        select(int(ids[rows[0]]), reveal=True)


def on_density() -> None:
    from viewer import charts

    sel = _event("density", "selection") or {}
    nav = st.session_state.get("_nav")
    if not nav or not len(nav["ids"]):
        return
    brush = sel.get(charts.DENSITY_BRUSH) or {}
    picked = sel.get(charts.DENSITY_PICK) or []
    ids, ta0, n_a = nav["ids"], nav["ta0"], max(nav["n_a"], 1)
    if brush.get("start"):
        lo, hi = sorted(brush["start"])[:2]
        lo, hi = lo * n_a, hi * n_a
    elif picked:
        lo, hi = picked[0].get("token_start", 0), picked[0].get("token_end", 0)
    else:
        return
    inside = ids[(ta0[ids] >= lo) & (ta0[ids] < hi)]
    target = inside[0] if len(inside) else _nearest(ids, ta0[ids], (lo + hi) / 2)
    select(int(target), reveal=True)


def on_paragraphs() -> None:
    from viewer import charts

    picked = (_event("paragraphs", "selection") or {}).get(charts.PARAGRAPH_PICK) or []
    nav = st.session_state.get("_nav")
    if not picked or not nav or not len(nav["ids"]):
        return
    lo, hi = picked[0].get("line_start", 0), picked[0].get("line_end", 0)
    ids, lines = nav["ids"], nav["a_line"]
    inside = ids[(lines[ids] >= lo) & (lines[ids] <= hi)]
    target = inside[0] if len(inside) else _nearest(ids, lines[ids], (lo + hi) / 2)
    select(int(target), reveal=True)


def _nearest(ids: np.ndarray, positions: np.ndarray, at: float) -> int:
    return int(ids[int(np.argmin(np.abs(positions - at)))])


def _md_literal(text: str) -> str:
    """Backslash-escape Markdown punctuation so a message naming a file shows literally."""
    return "".join("\\" + c if c in "\\`*_{}[]()<>#+-.!|~:$=\"'&" else c for c in text)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


# --- page parts ---------------------------------------------------------------------------------


VIEWER = st.components.v2.component(
    "corruption_viewer",
    html='<div class="cv-root"></div>',
    css=render.CSS,
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

        st.subheader("Options")
        st.checkbox("Ignore case", key="ignore_case", on_change=on_options,
                    help="Differences in letter case are not corruption.")
        st.checkbox("Strict typography", key="strict_typography", on_change=on_options,
                    help="Curly vs straight quotes, dashes and compatibility forms count as "
                         "differences.")

        st.subheader("Downloads")
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


def _doc_info(doc: Document) -> None:
    st.html(f'<div class="cv-doc"><b>{_esc(doc.name)}</b> · {_esc(doc.encoding)} · '
            f'{doc.size:,} bytes · {len(doc.text):,} characters</div>')


def header(pair: Pair) -> None:
    st.html(PAGE_CSS + '<div class="cv-title"><h1>Corruption viewer</h1>'
            f'<span class="cv-sub"><b>{_esc(pair.a.name)}</b> against '
            f'<b>{_esc(pair.b.name)}</b></span></div>')
    if st.session_state.load_error:
        st.error(_md_literal(st.session_state.load_error), icon="⚠️")


def metrics(stats: dict) -> None:
    cols = st.columns(7)
    cols[0].metric("Original tokens", f"{stats['tokens']['original']:,}")
    cols[1].metric("Corrupted tokens", f"{stats['tokens']['corrupted']:,}")
    cols[2].metric("Matched", f"{stats['matched_share']:.1%}",
                   help="Share of the original's tokens found unchanged in the corrupted text.")
    cols[3].metric("Missing", f"{stats['hunks'][MISSING]:,}")
    cols[4].metric("Substituted", f"{stats['hunks'][SUBSTITUTED]:,}")
    cols[5].metric("Inserted", f"{stats['hunks'][INSERTED]:,}")
    cols[6].metric("Corruption rate", f"{stats['corruption_rate']:.1%}",
                   help="Unmatched tokens, both sides counted, per token.")


def navigation(al: Alignment, ids: np.ndarray, selected: int | None, d: dict) -> None:
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
        st.html(_counter(ids, selected, total))
    with c_filter:
        counts = stats["hunks"]
        st.pills("Show", list(KINDS), selection_mode="multi", key="kinds", on_change=on_filter,
                 format_func=lambda k: f"{render.KIND_LABELS[k]} {counts[k]:,}",
                 label_visibility="collapsed")
    if selected is not None:
        st.html(_selection_line(al, selected, line))


def _selection_line(al: Alignment, selected: int, line: int) -> str:
    """One line under the buttons: what the selected difference is, in a few words."""
    h = al.hunks[selected]
    a_txt, b_txt = (_esc(_one_line(t, 70)) for t in al.hunk_texts(h))
    if h.kind == MISSING:
        what = f"<q>{a_txt}</q> is missing"
    elif h.kind == INSERTED:
        what = f"<q>{b_txt}</q> was inserted"
    else:
        what = f"<q>{a_txt}</q> → <q>{b_txt}</q>"
    return (f'<div class="cv-sel-line"><span class="cv-badge {h.kind}">'
            f"{render.KIND_LABELS[h.kind]}</span>line {line:,} · {what}</div>")


def _counter(ids: np.ndarray, selected: int | None, total: int) -> str:
    n = len(ids)
    if total == 0:
        return '<div class="cv-counter" data-k="0" data-n="0">No differences</div>'
    k = int(np.searchsorted(ids, selected)) + 1 if selected is not None else 0
    in_filter = selected is not None and k <= n and ids[k - 1] == selected
    shown = f"{k:,}" if in_filter else "–"
    note = "" if n == total else (f'<span class="cv-of">#{selected + 1:,} of all {total:,}</span>'
                                  if selected is not None else "")
    return (f'<div class="cv-counter" data-k="{k if in_filter else 0}" data-n="{n}" '
            f'data-hunk="{selected if selected is not None else ""}">Difference '
            f"<b>{shown}</b> of <b>{n:,}</b>{note}</div>")


def view(al: Alignment, d: dict, pair: Pair, selected: int | None, wkey: str) -> None:
    ss = st.session_state
    layout = d["layout"]
    n_rows = len(layout)
    sel_row = layout.row_of_hunk(selected) if selected is not None else 0
    window = ss.get("_window")
    if ss.window_anchor is not None:
        start, stop = render.window(layout, ss.window_anchor)
    elif window and window[0] == wkey and window[1] <= sel_row < window[2]:
        start, stop = window[1], window[2]
    else:
        start, stop = render.window(layout, sel_row)
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
    where = h.ta[0] / max(len(al.a), 1)
    st.html(
        f'<div class="cv-pos"><span class="cv-badge {h.kind}">'
        f"{render.KIND_LABELS[h.kind]}</span>#{selected + 1:,} · original: paragraph "
        f"{int(d['a_paragraph'][selected]):,}, line {int(d['a_line'][selected]):,}, "
        f"characters {h.a[0]:,}–{h.a[1]:,} ({where:.0%} into the text) · corrupted: line "
        f"{int(d['b_line'][selected]):,}, characters {h.b[0]:,}–{h.b[1]:,}</div>")
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
        st.html(f"<style>{render.DETAIL_CSS}</style>{render.render_char_diff(al, h)}")
    if b_txt.strip():
        st.markdown("**Where the corrupted text occurs in the original**")
        sources, total = render.find_sources(al, h, d["fold"])
        st.html(f"<style>{render.DETAIL_CSS}</style>"
                f"{render.render_sources(sources, total, h.ta[0])}")


def _text_box(text: str) -> None:
    shown = text if len(text) <= DETAIL_CHARS else text[:DETAIL_CHARS] + "…"
    st.code(shown, language=None, wrap_lines=True)
    if len(text) > DETAIL_CHARS:
        st.caption(f"{len(text):,} characters; the first {DETAIL_CHARS:,} are shown.")


def chart_panel(al: Alignment, d: dict, f: dict, selected: int | None) -> None:
    from viewer import charts  # altair and pandas load after the view is on its way

    st.subheader("Where the corruption is")
    if not al.hunks:
        st.caption("Nothing to chart: no differences.")
        return
    marker = None
    line = None
    if selected is not None:
        marker = al.hunks[selected].ta[0] / max(len(al.a), 1)
        line = int(d["a_line"][selected])
    st.altair_chart(charts.density_chart(f["density"], marker), key="density",
                    on_select=on_density, selection_mode=[charts.DENSITY_PICK,
                                                          charts.DENSITY_BRUSH],
                    width="stretch")
    st.caption("Density along the original. Click a spot or drag across a stretch to jump "
               "to the nearest difference there.")
    if len(f["paragraphs"]):
        st.altair_chart(charts.paragraph_chart(f["paragraphs"], line), key="paragraphs",
                        on_select=on_paragraphs, selection_mode=[charts.PARAGRAPH_PICK],
                        width="stretch")
        st.caption("Corruption rate per paragraph. Click a bar to jump to its first "
                   "difference.")


def difference_list(f: dict, ids: np.ndarray, selected: int | None) -> None:
    st.subheader("All differences")
    shown = ids
    if len(ids) > TABLE_ROWS:
        k = int(np.searchsorted(ids, selected or 0))
        lo = max(0, min(k - TABLE_ROWS // 2, len(ids) - TABLE_ROWS))
        shown = ids[lo : lo + TABLE_ROWS]
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
                                                    help="Line (paragraph) of the original"),
            "a_text": st.column_config.TextColumn("Original", width="large"),
            "b_text": st.column_config.TextColumn("Corrupted", width="large"),
        })


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
    ss = st.session_state
    pair: Pair = ss.pair
    options = (bool(ss.ignore_case), bool(ss.strict_typography))
    wkey = f"{pair.key}:{options}"
    # the alignment this session already holds; st.cache_data (shared by all sessions) is asked
    # only when the pair or the options change, which spares unpickling it on every click
    al = _held("_alignment", wkey, lambda: aligned(pair.a.text, pair.b.text, *options))
    d = _held("_prepared", wkey, lambda: prepared((pair.key, *options), al))

    shown = [KINDS.index(k) for k in ss.kinds]
    ids = np.flatnonzero(np.isin(d["kinds"], shown))
    total = len(al.hunks)
    if total == 0:
        ss.selected = None
    elif ss.selected is None or not 0 <= ss.selected < total:
        ss.selected = min(max(ss.selected or 0, 0), total - 1)
    selected = ss.selected
    ss._nav = {"ids": ids, "kinds": d["kinds"], "ta0": d["ta0"], "a_line": d["a_line"],
               "n_a": len(al.a), "total": total}

    sidebar(pair, al)
    header(pair)
    metrics(d["stats"])
    navigation(al, ids, selected, d)
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


main()
