"""What the pair page reads off one alignment, computed once per pair and options (the page
caches these): ``view_data`` for the view, the metrics and navigation (numpy only, so the
view reaches the browser before pandas and Altair are loaded), ``chart_frames`` for the charts
and the list of differences."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import numpy as np

from . import navigation
from .align import Alignment
from .export import frame_csv, to_csv, to_json
from .kinds import KIND_TABLE
from .layout import Layout, layout_rows
from .loading import Document
from .render.report import render_report
from .render.sources import FoldIndex
from .render.text import shorten
from .stats import density_frame, hunks_frame, line_starts, paragraph_starts, summary

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
    ``kinds`` (codes, see ``navigation.kind_codes``), ``ta0`` (first original token),
    ``a_line``/``a_paragraph``/``b_line`` (1-based); ``fold`` (the index the detail panel
    searches for where a corrupted text occurs in the original)."""
    hunks = al.hunks

    def column(values) -> np.ndarray:
        return np.fromiter(values, dtype=np.int64, count=len(hunks))

    a0, b0 = column(h.a[0] for h in hunks), column(h.b[0] for h in hunks)
    return {
        "layout": layout_rows(al),
        "stats": summary(al),
        "kinds": navigation.kind_codes(h.kind for h in hunks),
        "ta0": column(h.ta[0] for h in hunks),
        "a_line": np.searchsorted(line_starts(al.a_text), a0, side="right"),
        "a_paragraph": np.searchsorted(paragraph_starts(al.a_text), a0, side="right"),
        "b_line": np.searchsorted(line_starts(al.b_text), b0, side="right"),
        "fold": FoldIndex(al),
    }


def chart_frames(al: Alignment, layout: Layout) -> dict:
    """The tidy frames behind the charts (``density``, ``paragraphs``) and the list of
    differences (``table``: id, kind, line, both texts shortened)."""
    from . import charts  # altair loads after the view is on its way

    frame = hunks_frame(al)
    bins = max(30, min(2000, len(al.a) // TOKENS_PER_BIN))
    return {
        "density": density_frame(al, "original", max_bins=bins),
        "paragraphs": charts.paragraph_frame(al, layout),
        "table": frame.assign(a_text=frame["a_text"].map(shorten),
                              b_text=frame["b_text"].map(shorten)
                              )[["id", "kind", "a_line", "a_text", "b_text"]],
    }


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
    return [
        Download("Differences (CSV)", partial(to_csv, al), "differences.csv", "text/csv",
                 "dl_csv"),
        Download("Differences (JSON)", partial(to_json, al, *sides), "differences.json",
                 "application/json", "dl_json"),
        Download("Side-by-side report (HTML)", partial(render_report, al, *sides),
                 "corruption-report.html", "text/html", "dl_html"),
    ]


def pair_metrics(stats: dict) -> list[tuple[str, str, str | None]]:
    """The row of metrics over the view: ``(label, value, help)`` from ``stats.summary``."""
    return [
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
    "a_line": TableColumn("number", "Line", 60, "%d", "Line of the original"),
    "a_text": TableColumn("text", "Original", "large"),
    "b_text": TableColumn("text", "Corrupted", "large"),
}
