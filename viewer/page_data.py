"""What the pair page reads off one alignment, computed once per pair and options (the page
caches these): ``view_data`` for the view, the metrics and navigation (numpy only, so the
view reaches the browser before pandas and Altair are loaded), ``chart_frames`` for the charts
and the list of differences."""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import numpy as np

from . import navigation, session
from .align import Alignment, align
from .export import frame_csv, to_csv, to_json
from .kinds import CASE, KIND_TABLE, KINDS, PUNCTUATION, SUBSTITUTED, TYPE_TABLE, TYPES
from .layout import Layout, layout_rows
from .loading import Document
from .measures import error_rates
from .render import page as pieces
from .render.detail import render_char_diff, render_source_place
from .render.page import move_line
from .render.report import render_report
from .render.rows import Mark, render_rows, source_tag
from .render.text import markdown_literal, shorten
from .session import PRESETS
from .stats import density_frame, line_starts, paragraph_starts, summary

# The list of differences shows at most this many rows (around the selection): a dataframe is
# sent whole on every rerun (lazy loading cannot be combined with row selection). Chosen by
# hand, not measured: 5,000 rows quoting at most 160 characters a side (render.shorten) are
# under 2 MB a rerun.
LIST_ROWS = 5_000
# The density curve has about this many tokens a bin (a readable curve for an article), and
# 30 to 2,000 bins (a book); chosen by hand.
TOKENS_PER_BIN = 30


def view_data(al: Alignment) -> dict:
    """``layout`` (rows), ``stats`` (``stats.summary``), per hunk (arrays indexed by hunk id):
    ``kinds`` and ``types`` (codes, see ``navigation.kind_codes``/``type_codes``),
    ``type_counts`` (hunks by type), ``rates`` (``measures.error_rates``), ``ta0`` (first
    original token),
    ``a_line``/``a_paragraph``/``b_line`` (1-based), ``spans`` (characters ``a_start, a_end,
    b_start, b_end``: how ``session.keep_place`` finds the selection again)."""
    hunks = al.hunks

    def column(values) -> np.ndarray:
        return np.fromiter(values, dtype=np.int64, count=len(hunks))

    a0, b0 = column(h.a[0] for h in hunks), column(h.b[0] for h in hunks)
    return {
        "layout": layout_rows(al),
        "stats": summary(al),
        "kinds": navigation.kind_codes(h.kind for h in hunks),
        "types": navigation.type_codes(al.types),
        "type_counts": {t: al.types.count(t) for t in TYPE_TABLE},
        "rates": error_rates(al),
        "ta0": column(h.ta[0] for h in hunks),
        "a_line": np.searchsorted(line_starts(al.a_text), a0, side="right"),
        "a_paragraph": np.searchsorted(paragraph_starts(al.a_text), a0, side="right"),
        "b_line": np.searchsorted(line_starts(al.b_text), b0, side="right"),
        "spans": np.array([(*h.a, *h.b) for h in hunks], dtype=np.int64).reshape(-1, 4),
    }


def chart_frames(al: Alignment, layout: Layout) -> dict:
    """The tidy frames behind the charts (``density``, ``paragraphs``; split by type:
    ``density_type``, ``paragraphs_type``) and the list of differences (``table``: id, kind,
    type, line, both texts shortened)."""
    from . import charts  # altair loads after the view is on its way

    bins = max(30, min(2000, len(al.a) // TOKENS_PER_BIN))
    return {
        "density": density_frame(al, "original", max_bins=bins),
        "paragraphs": charts.paragraph_frame(al, layout),
        "density_type": density_frame(al, "original", max_bins=bins, by="type"),
        "paragraphs_type": charts.paragraph_frame(al, layout, by="type"),
        "table": difference_table(al),
    }


def difference_table(al: Alignment):
    """The list of differences: id, kind, type, line of the original, both texts shortened
    (``render.shorten``), quoted from the texts' spans without copying a hunk's whole text
    (a missing original of 60 MB is one hunk)."""
    import pandas as pd

    hunks = al.hunks
    columns = ["id", "kind", "type", "a_line", "a_text", "b_text"]
    if not hunks:
        return pd.DataFrame([], columns=columns)
    a0 = np.fromiter((h.a[0] for h in hunks), dtype=np.int64, count=len(hunks))
    return pd.DataFrame({
        "id": np.fromiter((h.id for h in hunks), dtype=np.int64, count=len(hunks)),
        "kind": [h.kind for h in hunks],
        "type": list(al.types),
        "a_line": np.searchsorted(line_starts(al.a_text), a0, side="right"),
        "a_text": [_quote(al.a_text, *h.a) for h in hunks],
        "b_text": [_quote(al.b_text, *h.b) for h in hunks],
    }, columns=columns)


# What ``shorten`` keeps of a text by default, with the "…" that ends a cut one
QUOTE_CHARS = 160


def _quote(text: str, start: int, end: int) -> str:
    """``shorten(text[start:end])`` from at most ``QUOTE_CHARS + 1`` characters of it: a line
    break becomes three characters, never fewer, so a longer text is cut inside them, and
    what ``shorten`` keeps of them is what it keeps of the whole."""
    return shorten(text[start : min(end, start + QUOTE_CHARS + 1)], QUOTE_CHARS)


def chart_frames_by(frames: dict, by: str) -> tuple:
    """The density and paragraph frames of ``chart_frames`` split by ``kind`` or ``type``."""
    tail = "_type" if by == "type" else ""
    return frames[f"density{tail}"], frames[f"paragraphs{tail}"]


def chart_markers(al: Alignment, data: dict, selected: int | None) -> tuple:
    """Where the charts mark the selection: its place along the original (0..1) on the density
    curve, its paragraph on the paragraph chart; None for both without a selection."""
    if selected is None:
        return None, None
    return (al.hunks[selected].ta[0] / max(len(al.a), 1), int(data["a_paragraph"][selected]))


class Download(NamedTuple):
    label: str
    data: Callable[[], str]  # made only when the button is clicked
    file_name: str
    mime: str
    key: str  # the button's widget key
    help: str | None = None


def corpus_downloads(summary) -> list[Download]:
    """What the corpus page offers to download: the summary (one row per pair)."""
    return [Download("Corpus summary (CSV)", partial(frame_csv, summary), "corpus-summary.csv",
                     "text/csv", "dl_corpus_csv",
                     "One row per pair, the columns of `python -m viewer corpus`.")]


def pair_downloads(al: Alignment, a: Document, b: Document) -> list[Download]:
    """What the page offers to download for a pair: the differences (CSV, the JSON of the
    command line) and the standalone side-by-side report."""
    sides = ({"path": a.name, "encoding": a.encoding}, {"path": b.name, "encoding": b.encoding})
    alignment = _while_alive(al, a, b)
    return [
        Download("Differences (CSV)", lambda: to_csv(alignment()), "differences.csv",
                 "text/csv", "dl_csv"),
        Download("Differences (JSON)", lambda: to_json(alignment(), *sides), "differences.json",
                 "application/json", "dl_json"),
        Download("Side-by-side report (HTML)", lambda: render_report(alignment(), *sides),
                 "corruption-report.html", "text/html", "dl_html"),
    ]


def sidebar_downloads(al: Alignment | None, pair, summary=None,
                      in_corpus: bool = False) -> list[Download] | None:
    """What the sidebar offers to download: a pair's differences and report once it is aligned
    (``al``); in the corpus mode the corpus summary's too (``summary``, when there is one).
    None: nothing, and no heading (Pair mode without an alignment)."""
    pair_part = pair_downloads(al, pair.a, pair.b) if al is not None else None
    if not in_corpus:
        return pair_part
    return [*(corpus_downloads(summary) if summary is not None else []), *(pair_part or [])]


def _while_alive(al: Alignment, a: Document, b: Document) -> Callable[[], Alignment]:
    """``al`` while something else keeps it, else the same pair aligned again. Streamlit keeps
    a download button's data function for as long as its page is open: one holding the
    alignment would keep a million-token alignment alive after the memory budget let it go
    (``viewer.memory``), and other sessions would wait for memory that never frees."""
    ref = weakref.ref(al)
    options = dataclasses.asdict(al.options)

    def alignment() -> Alignment:
        alive = ref()
        return alive if alive is not None else align(a.text, b.text, **options)

    return alignment


MEASURES = {
    "wer": ("WER", "Word error rate: word substitutions, deletions and insertions per word of "
                   "the original (what the options ignore never counts)."),
    "cer": ("CER", "Character error rate: character edits per character of the original, "
                   "spaces aside (what the options ignore never counts)."),
}


def pair_metrics(stats: dict, rates: dict | None = None,
                 first: str = "wer") -> list[tuple[str, str, str | None]]:
    """The row of metrics over the view: ``(label, value, help)`` from ``stats.summary``, led
    by the error rates (``measures.error_rates``; ``first``: ``wer`` or ``cer``)."""
    measures = []
    for name in sorted(MEASURES, key=lambda m: m != first) if rates else ():
        label, help_text = MEASURES[name]
        value = "–" if rates[name] is None else f"{rates[name]:.1%}"
        measures.append((label, value, help_text))
    return [*measures,
        ("Original tokens", f"{stats['tokens']['original']:,}", None),
        ("Corrupted tokens", f"{stats['tokens']['corrupted']:,}", None),
        ("Matched", f"{stats['matched_share']:.1%}",
         "Share of the original's tokens found unchanged in the corrupted text."),
        *((kind.label, f"{stats['hunks'][kind.name]:,}", None) for kind in KIND_TABLE.values()),
        ("Corruption rate", f"{stats['corruption_rate']:.1%}",
         "Unmatched tokens, both sides counted, per token."),
    ]


class TableColumn(NamedTuple):
    """How a table of the page shows one column: ``kind`` is ``number``, ``text`` or ``share``
    (0..1, drawn as a bar); ``format`` a printf format or a Streamlit format name."""

    kind: str
    label: str
    width: int | str
    format: str | None = None
    help: str | None = None


# The list of differences (``chart_frames``' table)
LIST_COLUMNS = {
    "id": TableColumn("number", "#", 60, "%d"),
    "kind": TableColumn("text", "Kind", 100),
    "type": TableColumn("text", "Type", 100, help="What kind of corruption: case, "
                        "punctuation, typography, copy, move, spelling, passage or word"),
    "a_line": TableColumn("number", "Line", 60, "%d", "Line of the original"),
    "a_text": TableColumn("text", "Original", "large"),
    "b_text": TableColumn("text", "Corrupted", "large"),
}


def option_hint(type_counts: dict[str, int], options: dict[str, bool]) -> tuple[str, tuple]:
    """When most differences are case or punctuation only: what the page says, and the options
    (of ``options``, the ones offered with their values) that would hide them and are off;
    ``("", ())`` otherwise."""
    total = sum(type_counts.values())
    case, punctuation = type_counts.get(CASE, 0), type_counts.get(PUNCTUATION, 0)
    if not total or (case + punctuation) * 2 <= total:
        return "", ()
    keys = tuple(key for key, n in (("ignore_case", case), ("ignore_punctuation", punctuation))
                 if n and options.get(key) is False)
    if not keys:
        return "", ()
    what = " and ".join(f"{n:,} {word}" for n, word in ((case, "case"),
                                                        (punctuation, "punctuation")) if n)
    return (f"{case + punctuation:,} of the {total:,} differences are only in case or "
            f"punctuation ({what}): this pair may read better with them ignored.", keys)


def option_offer_label(keys: tuple[str, ...]) -> str:
    """The offer's button: ``Ignore case``, ``Ignore case and punctuation``."""
    return "Ignore " + " and ".join(key.removeprefix("ignore_") for key in keys)


# A dataframe's row and its header, in pixels, as Streamlit draws them.
DATAFRAME_ROW_PX = 35
DATAFRAME_HEADER_PX = 38


def table_height(rows: int, cap: int) -> int:
    """Pixels for a dataframe of ``rows`` rows (its header and a row's height each, one row at
    least), at most ``cap``: short tables without empty space, long ones scrolling."""
    return min(cap, DATAFRAME_HEADER_PX + DATAFRAME_ROW_PX * max(rows, 1))


def list_scroll_data(table_key: str, shown: np.ndarray, selected: int | None) -> dict:
    """What the list's scroller (``component/list_scroll.js``) is given: the dataframe, the
    row of the selected difference among the ``shown`` ids (None when it is not listed), how
    many rows, their height, and a key that changes with the rows (their scroll restarts)."""
    row = session.list_rows_selected(shown, selected)
    return {"table": f".st-key-{table_key}", "row": row[0] if row else None,
            "rows": len(shown), "row_px": DATAFRAME_ROW_PX,
            "key": f"{hash(shown.tobytes()):x}"}


# Longer help texts of the page's widgets, by widget
HELP = {
    "rates": "Pairs by the share of their tokens corrupted. Click a bar to list only its pairs; "
             "double-click to let go.",
    "corpus_density": "Share of each original's tokens corrupted along the document (0–100 %), "
                      "mean over the {n:,} aligned pairs in the table.",
    "preset": " ".join(f"**{name}**: {p.help}" for name, p in PRESETS.items()),
    "move": "Select the other half of this move",
    "folds": "Fold each run of paragraphs without a difference into one line (click it to "
             "open it), for long documents with sparse corruption.",
    "identical": "No differences: the two texts match token for token (spacing, line breaks "
                 "and quote style aside).",
    "bounded": "region(s) too large to align token by token are shown as one substitution "
               "each.",
    "density": "Density along the original. Click a spot or drag across a stretch to jump to "
               "the nearest difference there.",
    "paragraphs": "Corruption rate per paragraph. Click a bar to jump to its first difference.",
    "corpus_back": "The corpus table, with its filter, sort and selection",
    "corpus_above": "Open the pair above this one in the corpus table",
    "corpus_below": "Open the pair below this one in the corpus table (pairs with errors are "
                    "passed over)",
    "mode": "Pair: one original against its corrupted version. Corpus: many pairs at once "
            "(zip, JSONL, CSV or Parquet).",
    "upload": "Any text file: UTF-8/16/32 with or without BOM, Latin-1, cp1252 and other "
              "legacy encodings are detected.",
    "corpus_upload": "A zip of original/NAME and corrupted/NAME files (or NAME.orig.txt and "
                     "NAME.corr.txt), or JSONL, CSV or Parquet with an original and a "
                     "corrupted column.",
    "rate": "From the lower rate up to, not including, the upper one (100 includes 100 %); "
            "equal ends: exactly that rate. Pairs with errors have no rate and are left out "
            "unless the range is 0–100.",
}

# The options' checkboxes: label and help, by session key (those the aligner offers are shown)
OPTION_WIDGETS = {
    "ignore_case": ("Ignore case", "Differences in letter case are not corruption."),
    "ignore_punctuation": ("Ignore punctuation", "Punctuation and symbols are not compared "
                                                 "(speech transcripts have none)."),
    "strict_typography": ("Strict typography", "Curly vs straight quotes, dashes and "
                                               "compatibility forms count as differences."),
    "fold_historical": ("Historical typography", "For OCR ground truth of old prints: long s "
                        "is s, ligatures (also MUFI private-use ones) are their letters. "
                        "From the MUFI recommendation and OCR-D's transcription levels."),
    "mark_letters": ("Mark changed letters", "Inside a substitution, the letters that differ "
                                             "are drawn darker."),
}


# --- provenance -------------------------------------------------------------------------------

# A source's quotation in the detail panel: this many characters on each side of it, on its line.
SOURCE_CONTEXT = 50


class SourcePlace(NamedTuple):
    """One place in the original a copied difference's text occurs: its span, line and row of
    the view, and its text with a little context from its own line."""

    start: int
    end: int
    line: int
    row: int
    before: str
    match: str
    after: str


def copy_sources(al: Alignment, selected: int | None) -> tuple[tuple[int, int], ...]:
    """The sources of the selected difference when it is a copy (none otherwise)."""
    if selected is None or al.types[selected] != "copy":
        return ()
    return al.provenance[selected].sources


def source_marks(al: Alignment, selected: int | None) -> list[Mark]:
    """The view's outlines of the selected copy's sources in the original."""
    return [(s, e, source_tag(selected, k))
            for k, (s, e) in enumerate(copy_sources(al, selected))]


def source_places(al: Alignment, layout: Layout, selected: int | None,
                  context: int = SOURCE_CONTEXT) -> list[SourcePlace]:
    """The selected copy's sources (``al.provenance``), best first, with their lines, rows
    and context."""
    text, starts = al.a_text, line_starts(al.a_text)
    row_starts = np.frombuffer(layout.a, dtype=np.int64)[:-1]
    out = []
    for s, e in copy_sources(al, selected):
        b, f = max(0, s - context), min(len(text), e + context)
        # the context stays on the source's own line
        b = max(b, text.rfind("\n", b, s) + 1, text.rfind("\r", b, s) + 1)
        f = min([f, *(k for k in (text.find("\n", e, f), text.find("\r", e, f)) if k >= 0)])
        row = max(0, int(np.searchsorted(row_starts, s, side="right")) - 1)
        out.append(SourcePlace(s, e, int(np.searchsorted(starts, s, side="right")),
                               min(row, len(layout) - 1), text[b:s], text[s:e], text[e:f]))
    return out


class DetailPanel(NamedTuple):
    """The detail panel of the selected difference: its lines (where, what type: HTML); its
    text boxes ``(label, block HTML, note when cut)``, side by side when there are two; what to
    say of the side without text; the character comparison (HTML, substitutions only); the
    places its text was copied from, each ``(HTML, row of the view)``; the other half of a move
    and the line about it."""

    lines: tuple[str, str]
    boxes: list[tuple[str, str, str | None]]
    absent: str | None
    chars: str | None
    sources: list[tuple[str, int]]
    partner: int | None
    partner_line: str


def detail_panel(al: Alignment, data: dict, selected: int) -> DetailPanel:
    """What the detail panel shows of difference ``selected`` (``data``: ``view_data``)."""
    h = al.hunks[selected]
    boxes, absent = pieces.text_boxes(al, h)
    partner, partner_line = move_partner(al, selected)
    return DetailPanel(
        (pieces.position_line(al, selected, int(data["a_paragraph"][selected]),
                              int(data["a_line"][selected]), int(data["b_line"][selected])),
         pieces.type_line(al.types[selected])),
        [(label, *pieces.text_excerpt(text)) for label, text in boxes], absent,
        render_char_diff(al, h) if h.kind == SUBSTITUTED else None,
        [(render_source_place(place, first=k == 0), place.row)
         for k, place in enumerate(source_places(al, data["layout"], selected))],
        partner, partner_line)


def move_partner(al: Alignment, selected: int) -> tuple[int | None, str]:
    """The other half of the selected move (None when it is not one) and the detail panel's
    line about it."""
    pv = al.provenance[selected]
    partner = pv.moved_to if pv.moved_to is not None else pv.moved_from
    return partner, move_line(pv) if partner is not None else ""


def view_payload(state, al: Alignment, data: dict, names: tuple[str, str],
                 selected: int | None, ids: np.ndarray, window_key: str,
                 alone: bool = False) -> dict:
    """What the page sends the view component (``state``: the session's, read and kept by
    ``viewer.session``): the window of rows around the selection, sent again only when they
    change (they do not depend on the selection: the component marks it and the copy's
    sources), the selection and what the component needs to move it alone; ``alone``: the
    session's first run, whose ``complete`` false makes the component ask for the rest."""
    start, stop = session.view_window(state, window_key, data["layout"], selected)
    kinds, types = tuple(state["kinds"]), tuple(state["types"])
    letters = bool(state["mark_letters"])
    rev, rows = session.rows_to_send(
        state, (window_key, names, start, stop, kinds, types, letters),
        lambda: view_rows(al, data["layout"], start, stop, None, kinds, types, letters, names))
    return {"html": rows, "rev": rev, "selected": selected, "ack": session.view_ack(state),
            "total": len(al.hunks), "ids": navigation.ids_for_view(ids, len(al.hunks)),
            "sources": copy_sources(al, selected), "reveal": True,
            "nonce": state["reveal"], "focus": state["focus"], "complete": not alone}


def view_rows(al: Alignment, layout: Layout, start: int, stop: int, selected: int | None,
              kinds, types, letters: bool, names: tuple[str, str]) -> str:
    """The view's rows ``[start, stop)`` as the page shows them: the kinds and types not among
    ``kinds``/``types`` faded, letters marked or not, the selected copy's sources outlined,
    unchanged rows in folds (closed while "Changed paragraphs only" is on: ``css.FOLD_CSS``)."""
    return render_rows(al, layout, start, stop, selected=selected,
                       dim_kinds=[k for k in KINDS if k not in kinds],
                       dim_types=[t for t in TYPES if t not in types], letters=letters,
                       sources=source_marks(al, selected), folds=True,
                       names=(f"Original · {names[0]}", f"Corrupted · {names[1]}"))


# --- confusions -----------------------------------------------------------------------------------

# Each of the page's confusion tables lists this many entries, most frequent first (chosen by
# hand: ten rows fit beside each other without scrolling).
CONFUSION_ROWS = 10
# The four tables, by part of ``measures.confusions``: title and columns.
CONFUSION_TABLES = {
    "substitutions": ("Words substituted", ("Original", "Corrupted", "Count")),
    "deletions": ("Words missing", ("Original", "Count")),
    "insertions": ("Words inserted", ("Corrupted", "Count")),
    "characters": ("Letters confused", ("Original", "Corrupted", "Count")),
}
# A letter dropped or added is a confusion with nothing: shown as this (as the command line does)
NOTHING = "∅"


def confusion_frames(table: dict) -> dict:
    """A confusion table (``measures.confusions``, ``corpus.corpus_confusions``) as one small
    DataFrame per part, by title, in the order of ``CONFUSION_TABLES``; an empty side is
    ``NOTHING``. Texts stay data (the page shows them in dataframes, never as Markdown)."""
    import pandas as pd

    frames = {}
    for part, (title, columns) in CONFUSION_TABLES.items():
        rows = [[NOTHING if cell == "" else cell for cell in entry] for entry in table[part]]
        frames[title] = pd.DataFrame(rows, columns=list(columns))
    return frames


def filter_rows(data: dict) -> list[tuple[str, str, tuple[str, ...], dict[str, int]]]:
    """The filter pills over the view, a row each: its label, widget key, names (kinds, then
    types) and the count of differences of each (``data``: ``view_data``)."""
    return [("Show", "kinds", KINDS, data["stats"]["hunks"]),
            ("Types", "types", TYPES, data["type_counts"])]


def selection_line(al: Alignment, data: dict, selected: int | None) -> str | None:
    """The line over the view saying what the selected difference is (None without one)."""
    if selected is None:
        return None
    return pieces.selection_line(al, selected, int(data["a_line"][selected]))


def filter_label(counts: dict[str, int], name: str) -> str:
    """A kind's or type's filter pill: its label and how many differences it has."""
    table = KIND_TABLE if name in KIND_TABLE else TYPE_TABLE
    return f"{table[name].label} {counts[name]:,}"


def corpus_chart_frames(frame, shown) -> tuple:
    """The corpus overview's two chart frames: pairs per corruption-rate bar (all pairs and
    ``shown``, those the table's filters leave), None when no pair could be aligned; the mean
    density along the documents of the shown pairs that were aligned, None when there are none;
    and how many those are."""
    from .charts import rate_histogram_frame
    from .corpus import density_summary

    rates = frame["corruption_rate"]
    hist = rate_histogram_frame(rates, shown["corruption_rate"]) if rates.notna().any() else None
    aligned = shown[shown["error"].isna()]
    return hist, density_summary(aligned) if len(aligned) else None, len(aligned)


def recent_buttons(entries, now: float, shown: str | None) -> list[tuple[str, str, bool]]:
    """The recent list's buttons (``entries``: ``session.recent_pairs``): each one's label (the
    names, Markdown-escaped, and how long ago), its pair's id, and whether it is disabled
    (``shown``: the id of the pair on screen, None when none is)."""
    return [(" ↔ ".join(markdown_literal(n) for n in e.names) + " · "
             + session.when_label(e.used, now), e.id, e.id == shown) for e in entries]


def pair_confusion_frames(al: Alignment) -> dict:
    """The pair's most frequent confusions (``CONFUSION_ROWS`` of each part) as frames."""
    from .measures import confusions

    return confusion_frames(confusions(al, top=CONFUSION_ROWS))


def corpus_confusion_frames(summary) -> dict:
    """The most frequent confusions summed over the pairs of a corpus summary frame (its
    ``confusions`` column; pairs without one add nothing) as frames."""
    from .corpus.summary import corpus_confusions

    cells = summary.get("confusions", ())
    return confusion_frames(corpus_confusions(cells, top=CONFUSION_ROWS))
