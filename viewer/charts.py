"""Altair chart builders: tidy DataFrame in, ``alt.Chart`` out (no streamlit import).

Data is aggregated before it gets here (at most 2,000 density bins, a few hundred paragraph
bars), because a chart sends every row to the browser. Both charts carry named selections the
page maps to the nearest difference: ``pick`` (click a bin) and ``brush`` (drag along the
document) on the density chart, ``para`` (click a paragraph bar) on the paragraph chart.

For a corpus (many pairs): ``rate_histogram`` (pairs by corruption rate, from
``rate_histogram_frame``; ``rate`` selects a bar) and ``corpus_density_chart`` (mean density
along the relative position, from ``viewer.corpus.density_summary``).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .align import Alignment
from .kinds import KIND_TABLE, KINDS, TYPE_TABLE, TYPES
from .layout import Layout
from .stats import hunk_groups, paragraph_starts

# Bars drawn at most on the paragraph chart; more paragraphs are grouped into ranges. Chosen
# by hand: on the page's half-width chart (about 600 px) a bar stays 2 px wide and clickable.
MAX_PARAGRAPH_BARS = 300

DENSITY_PICK = "pick"
DENSITY_BRUSH = "brush"
PARAGRAPH_PICK = "para"
RATE_PICK = "rate"

# Widths (as shares) a corruption-rate histogram bar may have; the narrowest that keeps the
# histogram within RATE_MAX_BARS bars is used (chosen by hand: round percentages, and bars
# wide enough to click on the half-width chart).
RATE_STEPS = (0.01, 0.02, 0.05, 0.1)
RATE_MAX_BARS = 25
_ALL_PAIRS_COLOUR = "#D0D5DD"
_SHOWN_PAIRS_COLOUR = "#3B5B8C"

# the kinds' colours and labels, from viewer.kinds like every other place that shows a kind
_KIND_SCALE = alt.Scale(domain=list(KINDS), range=[KIND_TABLE[k].colour for k in KINDS])
_KIND_LEGEND = alt.Legend(title=None, orient="top", labelExpr="".join(
    f"datum.label == '{k.name}' ? '{k.label}' : " for k in KIND_TABLE.values()) + "datum.label")
# the same for the types (a chart "coloured by type": its frame has a ``type`` column)
_TYPE_SCALE = alt.Scale(domain=list(TYPES), range=[TYPE_TABLE[t].colour for t in TYPES])
_TYPE_LEGEND = alt.Legend(title=None, orient="top", columns=4, labelExpr="".join(
    f"datum.label == '{t.name}' ? '{t.label}' : " for t in TYPE_TABLE.values()) + "datum.label")


def _split(frame: pd.DataFrame) -> tuple[str, list[str], alt.Scale, alt.Legend]:
    """What a chart's frame is split by (``kind`` or ``type`` column), its groups, colour scale
    and legend."""
    if "type" in frame.columns:
        return "type", list(TYPES), _TYPE_SCALE, _TYPE_LEGEND
    return "kind", list(KINDS), _KIND_SCALE, _KIND_LEGEND
_MARKER_COLOUR = "#1f2328"


# The density chart's y axis ends at the first of these shares that holds the densest bin: round
# numbers a reader takes in at a glance (2.6 % corruption fills half of a 5 % axis).
DENSITY_AXIS_TOPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)


def density_axis_top(densest: float) -> float:
    """Where the density chart's y axis ends for a densest bin of ``densest`` (a share): the
    first of ``DENSITY_AXIS_TOPS`` that holds it; 100 % at most (denser bins are clamped)."""
    return next((top for top in DENSITY_AXIS_TOPS if densest <= top), 1.0)


def density_chart(frame: pd.DataFrame, marker: float | None = None,
                  height: int = 190) -> alt.LayerChart:
    """Share of corrupted tokens along the original, stacked by kind (or type: ``_split``).

    ``frame``: ``stats.density_frame`` (bin, start, end, token_start, token_end, kind, share).
    ``marker``: relative position (0..1) of the selected difference, drawn as a rule. Clicking
    a bin selects it (``pick``: its token_start/token_end); dragging selects a range
    (``brush``: start). One row per bin goes to the browser (the kinds are folded there)."""
    by, groups, scale, legend = _split(frame)
    wide = (frame.pivot_table(index=["bin", "start", "end", "token_start", "token_end"],
                              columns=by, values="share", aggfunc="sum", fill_value=0.0)
            .reindex(columns=groups, fill_value=0.0).reset_index())
    wide.columns.name = None
    wide["total"] = wide[groups].sum(axis=1)
    top = density_axis_top(float(wide["total"].max()) if len(wide) else 0.0)
    # step-after draws each bin from its start to the next point: a closing point at the last
    # bin's end gives the last bin (the only one, for a short text) its width
    closing = wide.iloc[[-1]].assign(start=wide["end"].iloc[-1]) if len(wide) else wide
    base = alt.Chart(pd.concat([wide, closing], ignore_index=True))
    x = alt.X("start:Q", title="Position in the original",
              scale=alt.Scale(domain=[0, 1], nice=False),
              axis=alt.Axis(format="%", tickCount=10, grid=False))
    area = base.transform_fold(groups, as_=[by, "share"]).transform_calculate(
        kind_order=f"indexof({groups!r}, datum.{by})",
    ).mark_area(interpolate="step-after", opacity=0.85).encode(
        x=x,
        # the axis fits the densest bin, so sparse corruption is still drawn (its scale in the
        # title); an inserted passage weighs many tokens at one spot: above 100 % is clamped
        y=alt.Y("share:Q", stack="zero", title=f"Corrupted share (axis to {top:.0%})",
                scale=alt.Scale(domain=[0, top], clamp=True, nice=False),
                axis=alt.Axis(format="%", tickCount=4, labelFlush=False)),
        color=alt.Color(f"{by}:N", scale=scale, legend=legend),
        order=alt.Order("kind_order:Q"),
    )
    pick = alt.selection_point(name=DENSITY_PICK, fields=["token_start", "token_end"],
                               on="click", empty=False, clear="dblclick")
    brush = alt.selection_interval(name=DENSITY_BRUSH, encodings=["x"], empty=False)
    # one transparent column per bin catches clicks anywhere above it
    hit = base.mark_rect(opacity=0.001, color="#000").encode(
        x="start:Q", x2="end:Q",
        tooltip=[alt.Tooltip("start:Q", title="from", format=".1%"),
                 alt.Tooltip("end:Q", title="to", format=".1%"),
                 alt.Tooltip("total:Q", title="corrupted share", format=".1%")],
    ).add_params(pick, brush)
    layers = [area, hit]
    if marker is not None:
        layers.append(_rule("start", marker))
    return alt.layer(*layers).properties(height=height)


def paragraph_frame(al: Alignment, layout: Layout,
                    max_bars: int = MAX_PARAGRAPH_BARS, by: str = "kind") -> pd.DataFrame:
    """Corruption rate per paragraph of the original (``stats.paragraph_starts``), by kind
    (``by="type"``: by type, in a ``type`` column instead of ``kind``).

    Columns: ``paragraph_start``/``paragraph_end`` (1-based paragraphs, inclusive, several when
    there are more than ``max_bars``), ``kind``, ``tokens`` (unmatched tokens of that kind,
    both sides), ``total`` (tokens of the paragraph, both sides), ``rate`` (tokens / total). The
    corrupted side of a paragraph is the text aligned to it (the rows of the side-by-side
    view); an inserted passage counts with the paragraph it precedes."""
    n_rows = len(layout)
    columns = ["paragraph_start", "paragraph_end", by, "tokens", "total", "rate"]
    groups, group_of = hunk_groups(al, by)
    if n_rows == 0:
        return pd.DataFrame(columns=columns)
    # a row lies in the paragraph where it starts: rows are cut at every line start (outside a
    # difference), and every paragraph starts at a line start
    starts = np.asarray(paragraph_starts(al.a_text), dtype=np.int64)
    row_start = np.frombuffer(layout.a, dtype=np.int64)[:-1]
    paragraph = np.searchsorted(starts, row_start, side="right")
    ta = np.frombuffer(layout.ta, dtype=np.int64)
    tb = np.frombuffer(layout.tb, dtype=np.int64)
    row_total = np.diff(ta) + np.diff(tb)
    n_paragraphs = int(paragraph.max())
    per_bar = max(1, -(-n_paragraphs // max_bars))
    bar_of_row = (paragraph - 1) // per_bar
    n_bars = int(bar_of_row.max()) + 1
    total = np.bincount(bar_of_row, weights=row_total, minlength=n_bars)
    by_group = {g: np.zeros(n_bars) for g in groups}
    first = np.frombuffer(layout.hunk_first, dtype=np.int64)
    for h, group, row in zip(al.hunks, group_of, first, strict=True):
        by_group[group][bar_of_row[row]] += (h.ta[1] - h.ta[0]) + (h.tb[1] - h.tb[0])
    bars = np.arange(n_bars)
    frames = []
    for group in groups:
        frames.append(pd.DataFrame({
            "paragraph_start": bars * per_bar + 1,
            "paragraph_end": np.minimum((bars + 1) * per_bar, n_paragraphs),
            by: group,
            "tokens": by_group[group].astype(np.int64),
            "total": total.astype(np.int64),
            "rate": np.divide(by_group[group], total, out=np.zeros(n_bars), where=total > 0),
        }))
    return pd.concat(frames, ignore_index=True)[columns]


def paragraph_chart(frame: pd.DataFrame, marker: int | None = None,
                    height: int = 190) -> alt.LayerChart:
    """Corruption rate per paragraph, stacked by kind (or type: ``_split``); clicking anywhere
    above a paragraph selects it (``para``: its paragraph_start/paragraph_end). ``marker``: the
    selected difference's paragraph, drawn as a rule."""
    by, groups, scale, legend = _split(frame)
    frame = frame.assign(paragraph_stop=frame["paragraph_end"] + 1)
    pick = alt.selection_point(name=PARAGRAPH_PICK, fields=["paragraph_start", "paragraph_end"],
                               on="click", empty=False, clear="dblclick")
    n_paragraphs = int(frame["paragraph_end"].max()) if len(frame) else 1
    # x/x2 are bar edges ("binned"), so the bars stand upright and stack by kind
    x = alt.X("paragraph_start:Q", bin="binned", title="Paragraph of the original",
              scale=alt.Scale(domain=[1, n_paragraphs + 1], nice=False),
              axis=alt.Axis(tickMinStep=1, format="d", grid=False))
    bars = alt.Chart(frame).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=x,
        x2="paragraph_stop:Q",
        y=alt.Y("rate:Q", stack="zero", title="Corruption rate",
                axis=alt.Axis(format="%", tickCount=4, labelFlush=False)),
        color=alt.Color(f"{by}:N", scale=scale, legend=legend),
        order=alt.Order("kind_order:Q"),
    ).transform_calculate(kind_order=f"indexof({groups!r}, datum.{by})")
    totals = (frame.groupby(["paragraph_start", "paragraph_end", "paragraph_stop"], as_index=False)
              .agg(tokens=("tokens", "sum"), rate=("rate", "sum")))
    # one transparent column per paragraph catches clicks above short bars too
    hit = alt.Chart(totals).mark_rect(opacity=0.001, color="#000").encode(
        x=x, x2="paragraph_stop:Q",
        tooltip=[alt.Tooltip("paragraph_start:Q", title="from paragraph"),
                 alt.Tooltip("paragraph_end:Q", title="to paragraph"),
                 alt.Tooltip("tokens:Q", title="unmatched tokens"),
                 alt.Tooltip("rate:Q", title="corruption rate", format=".1%")],
    ).add_params(pick)
    layers = [bars, hit]
    if marker is not None:
        layers.append(_rule("paragraph_start", marker + 0.5))
    return alt.layer(*layers).properties(height=height)


def _rule(field: str, value: float) -> alt.Chart:
    return alt.Chart(pd.DataFrame({field: [value]})).mark_rule(
        color=_MARKER_COLOUR, strokeWidth=2, strokeDash=[4, 2]).encode(
        x=alt.X(f"{field}:Q"))


# --- corpora --------------------------------------------------------------------------------


def rate_histogram_frame(rates: pd.Series, shown: pd.Series | None = None,
                         steps: tuple[float, ...] = RATE_STEPS,
                         max_bars: int = RATE_MAX_BARS) -> pd.DataFrame:
    """Pairs per corruption-rate bar: columns ``start``, ``end`` (shares, a bar holds
    ``start <= rate < end``; the last bar holds its ``end`` too), ``pairs`` (all ``rates``) and
    ``shown`` (of ``shown``, a subset, e.g. the pairs a filter leaves; all when None). Missing
    rates (pairs that could not be aligned) are not counted. Bars run from 0 up to the highest
    rate, as narrow as ``steps`` allow within ``max_bars``."""
    rates = pd.to_numeric(rates, errors="coerce").dropna().astype(float)
    shown = rates if shown is None else pd.to_numeric(shown, errors="coerce").dropna()
    top = float(rates.max()) if len(rates) else 0.0
    step = next((s for s in steps if top / s < max_bars), steps[-1])
    n = max(1, int(np.floor(top / step + 1e-9)) + 1)
    n = min(n, int(round(1 / step)))  # a rate of 100 % goes in the last bar, not a new one
    edges = np.arange(n + 1) * step

    def count(values: pd.Series) -> np.ndarray:
        k = np.clip(np.floor(values.to_numpy(dtype=float) / step + 1e-9).astype(np.int64),
                    0, n - 1)
        return np.bincount(k, minlength=n)

    return pd.DataFrame({"start": edges[:-1].round(6), "end": edges[1:].round(6),
                         "pairs": count(rates), "shown": count(shown.astype(float))})


def rate_histogram(frame: pd.DataFrame, height: int = 270) -> alt.Chart:
    """Pairs by corruption rate (``rate_histogram_frame``): every pair as a pale bar, the pairs
    shown (filtered) over it in colour. Clicking a bar selects it (``rate``: its start/end)."""
    pick = alt.selection_point(name=RATE_PICK, fields=["start", "end"], on="click",
                               empty=False, clear="dblclick")
    series = alt.Scale(domain=["pairs", "shown"], range=[_ALL_PAIRS_COLOUR, _SHOWN_PAIRS_COLOUR])
    legend = alt.Legend(title=None, orient="top", labelExpr=(
        "datum.label == 'pairs' ? 'All pairs' : 'In the table'"))
    # folded, each bar is drawn twice in place: all pairs (pale), then those shown over them
    return alt.Chart(frame).transform_fold(["pairs", "shown"], as_=["series", "count"]).mark_bar(
        stroke="white", strokeWidth=1).encode(
        x=alt.X("start:Q", bin="binned", title="Corruption rate",
                scale=alt.Scale(domain=[0, float(frame["end"].max()) if len(frame) else 1],
                                nice=False),
                axis=alt.Axis(format="%", grid=False, labelFlush=False)),
        x2="end:Q",
        y=alt.Y("count:Q", stack=None, title="Pairs", axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("series:N", scale=series, legend=legend),
        tooltip=[alt.Tooltip("start:Q", title="from", format=".0%"),
                 alt.Tooltip("end:Q", title="to", format=".0%"),
                 alt.Tooltip("pairs:Q", title="pairs"),
                 alt.Tooltip("shown:Q", title="in the table")],
    ).add_params(pick).properties(height=height)


def corpus_density_chart(frame: pd.DataFrame, height: int = 270) -> alt.Chart:
    """Mean share of corrupted tokens along the relative position in the documents, stacked by
    kind: ``viewer.corpus.density_summary`` (bin, start, end, kind, share, pairs)."""
    frame = frame.assign(kind_order=frame["kind"].map({k: i for i, k in enumerate(KINDS)}))
    top = frame.groupby("bin")["share"].sum().max() if len(frame) else 0.0
    return alt.Chart(frame).mark_bar(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("start:Q", bin="binned", title="Position in the original",
                scale=alt.Scale(domain=[0, 1], nice=False),
                axis=alt.Axis(format="%", tickCount=10, grid=False)),
        x2="end:Q",
        y=alt.Y("share:Q", stack="zero", title="Corrupted share",
                scale=alt.Scale(domain=[0, max(float(top), 0.05)], nice=True),
                axis=alt.Axis(format="%", tickCount=4, labelFlush=False)),
        color=alt.Color("kind:N", scale=_KIND_SCALE, legend=_KIND_LEGEND),
        order=alt.Order("kind_order:Q"),
        tooltip=[alt.Tooltip("start:Q", title="from", format=".0%"),
                 alt.Tooltip("end:Q", title="to", format=".0%"),
                 alt.Tooltip("kind:N", title="kind"),
                 alt.Tooltip("share:Q", title="mean share", format=".1%"),
                 alt.Tooltip("pairs:Q", title="pairs")],
    ).properties(height=height)
