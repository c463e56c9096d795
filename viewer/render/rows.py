"""The side-by-side rows as escaped HTML (a window of a ``Layout``), and the legend.

Every highlight and gap marker carries ``data-kind``, ``data-type`` and ``data-hunk``; gap
markers are empty elements drawn by CSS, so the text content of each pane is exactly its source
text. Inside a highlight, the letters that differ (``letters.marked_letters``) are wrapped in
``.cv-ch``; the places in the original a copied text came from in ``.cv-source`` elements with
``data-source-of`` (the hunk id) and ``data-source`` (its place in the hunk's sources). Neither
has ``data-hunk``: they are marks, not differences.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from functools import partial

from ..align import Alignment
from ..kinds import KIND_TABLE, KINDS, SUBSTITUTED, TYPE_TABLE, TYPES
from ..layout import Layout, hunks_in_rows, layout_rows, unchanged_runs
from .escape import escape_text
from .letters import marked_letters

# A mark inside a cell: ``(start, end, opening tag)``, closed by ``</span>``.
Mark = tuple[int, int, str]
LETTER_TAG = '<span class="cv-ch">'


def source_tag(hid: int, k: int, anchor: str | None = None) -> str:
    """The opening tag around place ``k`` of hunk ``hid``'s sources in the original;
    ``anchor``: an ``id`` for links to it (the report)."""
    ident = f' id="{anchor}"' if anchor else ""
    return f'<span class="cv-source" data-source-of="{hid}" data-source="{k}"{ident}>'


def _marked(text: str, s: int, e: int, layers: Sequence[Sequence[Mark]]) -> str:
    """Escaped ``text[s:e]`` with the marks of each layer wrapped around their part of it (the
    first layer outermost); a layer's marks are sorted and an overlap is clipped off the later
    one, so the text content is ``text[s:e]`` exactly."""
    if not layers:
        return escape_text(text[s:e])
    marks, inner = layers[0], layers[1:]
    out = []
    pos = s
    for ms, me, tag in marks:
        ms, me = max(ms, pos), min(me, e)
        if me <= ms:
            continue
        if ms > pos:
            out.append(_marked(text, pos, ms, inner))
        out.append(f"{tag}{_marked(text, ms, me, inner)}</span>")
        pos = me
    if e > pos:
        out.append(_marked(text, pos, e, inner))
    return "".join(out)


def _span(kind: str, hid: int, body: str, *, cls: str, selected: bool, total: int,
          hunk_type: str, anchor: bool = False) -> str:
    sel = ' aria-current="true"' if selected else ""
    ident = f' id="d{hid + 1}"' if anchor else ""
    title = (f"{KIND_TABLE[kind].label} · {TYPE_TABLE[hunk_type].label}: "
             f"{TYPE_TABLE[hunk_type].legend} · difference {hid + 1} of {total}")
    return (f'<span class="{cls}" data-kind="{kind}" data-type="{hunk_type}" data-hunk="{hid}"'
            f'{sel}{ident} title="{title}">{body}</span>')


def _cell(text: str, c0: int, c1: int, items: list, selected: int | None, total: int,
          anchors: set[int] | None, types: Sequence[str], sources: Sequence[Mark] = (),
          letters: dict[int, list[Mark]] | None = None) -> str:
    """One side of one row: text ``[c0, c1)`` with highlights. ``items``: ``(start, end, kind,
    hunk id, class)``; a point marker has ``start == end``. ``sources``: source marks (sorted)
    over the text and the highlights; ``letters``: letter marks by hunk id."""
    out = []
    pos = c0
    letters = letters or {}
    for start, end, kind, hid, cls in sorted(items, key=lambda it: (it[0], it[1] > it[0])):
        start = max(start, pos)
        if start > pos:
            out.append(_marked(text, pos, start, [sources]))
        anchor = anchors is not None and hid in anchors
        if anchor:
            anchors.discard(hid)
        span = partial(_span, kind, hid, selected=hid == selected, total=total,
                       hunk_type=types[hid], anchor=anchor)
        if end <= start:
            out.append(span("", cls="cv-pt"))
            pos = start
        else:
            out.append(span(_marked(text, start, end, [sources, letters.get(hid, ())]),
                            cls=cls))
            pos = end
    if c1 > pos:
        out.append(_marked(text, pos, c1, [sources]))
    return "".join(out)


def _letter_marks(al: Alignment, hunk_ids: Iterable[int],
                  known: dict[int, tuple[list[Mark], list[Mark]] | None]) -> tuple[dict, dict]:
    """Letter marks of the substituted hunks among ``hunk_ids``, by hunk id, on each side
    (``known``: those already found for earlier rows, a hunk can span several)."""
    a_marks: dict[int, list[Mark]] = {}
    b_marks: dict[int, list[Mark]] = {}
    for hid in hunk_ids:
        if hid not in known:
            h = al.hunks[hid]
            found = marked_letters(al, h) if h.kind == SUBSTITUTED else None
            known[hid] = found and ([(s, e, LETTER_TAG) for s, e in found[0]],
                                    [(s, e, LETTER_TAG) for s, e in found[1]])
        if known[hid]:
            a_marks[hid], b_marks[hid] = known[hid]
    return a_marks, b_marks




def _row_items(al: Alignment, layout: Layout, k: int, hunk_ids: Iterable[int]):
    a0, a1, b0, b1 = layout.a[k], layout.a[k + 1], layout.b[k], layout.b[k + 1]
    A = al.a
    left, right = [], []
    for hid in hunk_ids:
        h = al.hunks[hid]
        home = layout.hunk_first[hid] == k
        if h.a[1] > h.a[0]:
            s, e = max(h.a[0], a0), min(h.a[1], a1)
            if s < e:
                left.append((s, e, h.kind, hid, "cv-h"))
        elif home:  # inserted: a marker right after the token it follows
            p = A.ends[h.ta[0] - 1] if h.ta[0] > 0 else 0
            p = min(max(p, a0), a1)
            left.append((p, p, h.kind, hid, "cv-pt"))
        if h.b[1] > h.b[0]:
            s, e = max(h.b[0], b0), min(h.b[1], b1)
            if s < e:
                right.append((s, e, h.kind, hid, "cv-h"))
        elif h.gap and h.gap[0] < b1 and h.gap[1] > b0:
            # the run of spaces the deletion left behind is the marker
            right.append((max(h.gap[0], b0), min(h.gap[1], b1), h.kind, hid, "cv-gap"))
        elif home:
            p = min(max(h.b[0], b0), b1)
            right.append((p, p, h.kind, hid, "cv-pt"))
    return left, right



def render_rows(al: Alignment, layout: Layout | None = None, start: int = 0,
                stop: int | None = None, *, selected: int | None = None,
                names: tuple[str, str] = ("Original", "Corrupted"),
                dim_kinds: Sequence[str] = (), dim_types: Sequence[str] = (),
                anchors: bool = False, letters: bool = True,
                sources: Sequence[Mark] = (), folds: bool = False) -> str:
    """The side-by-side view of rows ``[start, stop)`` (all rows by default), escaped HTML.

    Every highlight and gap marker carries ``data-kind`` and ``data-hunk``; the elements of the
    ``selected`` hunk carry ``aria-current="true"``. Cells are ``.cv-cell[data-side=a|b]`` with
    ``data-span="start-end"`` (character offsets), so the text content of the ``a`` cells in
    order is exactly ``al.a_text[start:end]`` of the window. ``dim_kinds`` and ``dim_types``
    are drawn faded (the filters); ``anchors`` gives each difference's first element an
    ``id="d<k>"``; ``letters`` marks the letters that differ inside substitutions;
    ``sources``: marks over the original (``source_tag``), e.g. the selected copy's sources.
    ``folds``: each run of rows without a difference (``layout.unchanged_runs``; a row holding
    a source stays out) is wrapped in a ``.cv-fold``: a closed ``<details>`` line saying what
    it holds, then its rows, which the page's CSS hides while that line is closed and the
    "changed paragraphs only" toggle is on (``css.FOLD_CSS``)."""
    layout = layout or layout_rows(al)
    n = len(layout)
    stop = n if stop is None else min(stop, n)
    start = max(0, min(start, stop))
    total = len(al.hunks)
    classes = " ".join(["cv-view", *(f"cv-dim-{k}" for k in dim_kinds if k in KINDS),
                        *(f"cv-dimt-{t}" for t in dim_types if t in TYPES)])
    types = al.types
    sources = sorted(sources)
    known_letters: dict = {}
    head = (f'<div class="cv-head"><div></div><div>{escape_text(names[0])}</div>'
            f'<div>{escape_text(names[1])}</div></div>')
    parts = [f'<div class="{classes}" data-rows="{n}" data-start="{start}" data-stop="{stop}">',
             head, '<div class="cv-rows">']
    if start > 0:
        parts.append(f'<div class="cv-more" data-dir="-1" data-note="▲ {start:,} earlier rows '
                     f'— click to show them"></div>')
    if not al.a_text and not al.b_text:
        parts.append('<div class="cv-empty-doc">Both texts are empty.</div>')
    hids = hunks_in_rows(layout, start, stop)
    hi = hids.start
    pending: list[int] = []
    anchor_set = set(hids) if anchors else None
    prev_line = layout.line[start - 1] if start > 0 else 0
    fold_at = ({first: last for first, last in unchanged_runs(
        layout, start, stop, _source_rows(layout, sources))} if folds else {})
    fold_end = None
    for k in range(start, stop):
        if k == fold_end:
            parts.append("</div></div>")
            fold_end = None
        if k in fold_at:
            fold_end = fold_at[k]
            parts.append(_fold_line(layout, k, fold_end))
        # hunks drawn in row k: those whose rows [first, last] contain k
        while hi < hids.stop and layout.hunk_first[hi] <= k:
            pending.append(hi)
            hi += 1
        pending = [h for h in pending if layout.hunk_last[h] >= k]
        left, right = _row_items(al, layout, k, pending)
        a_letters, b_letters = _letter_marks(al, pending, known_letters) if letters else ({}, {})
        a0, a1, b0, b1 = layout.a[k], layout.a[k + 1], layout.b[k], layout.b[k + 1]
        gap_a = layout.is_gap_row(k, "a") and a0 == a1
        gap_b = layout.is_gap_row(k, "b") and b0 == b1
        line = layout.line[k]
        label = "+" if gap_a else (str(line) if line != prev_line else "")
        if not gap_a:
            prev_line = line
        cell_a = _cell(al.a_text, a0, a1, left, selected, total, anchor_set, types,
                       _within(sources, a0, a1), a_letters)
        cell_b = _cell(al.b_text, b0, b1, right, selected, total, anchor_set, types,
                       letters=b_letters)
        cls_a = ' cv-gaprow" data-note="nothing in the original' if gap_a else ""
        cls_b = ' cv-gaprow" data-note="nothing in the corrupted text' if gap_b else ""
        parts.append(
            f'<div class="cv-row" data-row="{k}" data-line="{label}">'
            f'<div class="cv-cell{cls_a}" data-side="a" data-span="{a0}-{a1}" dir="auto">'
            f'{cell_a}</div>'
            f'<div class="cv-cell{cls_b}" data-side="b" data-span="{b0}-{b1}" dir="auto">'
            f'{cell_b}</div></div>')
    if fold_end is not None:
        parts.append("</div></div>")
    if stop < n:
        parts.append(f'<div class="cv-more" data-dir="1" data-note="▼ {n - stop:,} later rows '
                     f'— click to show them"></div>')
    parts.append("</div></div>")
    return "".join(parts)


def _fold_line(layout: Layout, first: int, last: int) -> str:
    """The opening of a fold of rows ``[first, last)``: its one line (how many rows, which
    lines of the original), then the box its rows go in (closed by two ``</div>``)."""
    rows = last - first
    lines = layout.line[first], layout.line[last - 1]
    where = f"line {lines[0]:,}" if lines[0] == lines[1] else f"lines {lines[0]:,}–{lines[1]:,}"
    return (f'<div class="cv-fold" data-rows="{rows}"><details class="cv-fold-line"><summary>'
            f"⋯ {rows:,} unchanged row{'s' if rows != 1 else ''} · {where}</summary></details>"
            '<div class="cv-fold-rows">')


def _source_rows(layout: Layout, marks: Sequence[Mark]) -> set[int]:
    """The rows the marks (over the original) reach into."""
    starts = layout.a[:-1]
    return {k for s, e, _ in marks
            for k in range(max(bisect.bisect_right(starts, s) - 1, 0),
                           bisect.bisect_left(starts, e))}


def _within(marks: Sequence[Mark], lo: int, hi: int) -> list[Mark]:
    """The marks that reach into ``[lo, hi)``."""
    return [m for m in marks if m[0] < hi and m[1] > lo]


def render_legend(counts: dict[str, int] | None = None,
                  type_counts: dict[str, int] | None = None) -> str:
    """The key to the colours and marks (HTML, no document text): each kind's label and legend
    text from ``viewer.kinds``, a kind absent from one side shows its gap marker; then each
    type's (with ``type_counts``: only the types present, with their counts), quiet types drawn
    quieter as in the view."""
    keys = []
    for kind in KIND_TABLE.values():
        n = f" ({counts[kind.name]:,})" if counts and kind.name in counts else ""
        # the point marker on the side that does not have the text (none for a substitution)
        marker = ("" if kind.name == SUBSTITUTED
                  else f'<span class="cv-pt" data-kind="{kind.name}"></span>')
        keys.append(f'<span class="cv-key"><span class="cv-h" data-kind="{kind.name}">'
                    f"{kind.name}</span>{marker}{kind.legend}{n}</span>")
    keys.append('<span class="cv-key cv-note">hatched = where the other side has the text · '
                "darker letters = the letters that differ · spacing and quote style never "
                "count</span>")
    type_keys = []
    for t in TYPE_TABLE.values():
        if type_counts is not None and not type_counts.get(t.name):
            continue
        n = f" ({type_counts[t.name]:,})" if type_counts else ""
        type_keys.append(f'<span class="cv-key"><span class="cv-h cv-type-key" '
                         f'data-kind="{SUBSTITUTED}" data-type="{t.name}">{t.label}</span>'
                         f"{t.legend}{n}</span>")
    types = (f'<div class="cv-legend cv-legend-types">{"".join(type_keys)}</div>'
             if type_keys else "")
    return (f'<div class="cv-legend-wrap"><div class="cv-legend">{"".join(keys)}</div>'
            f"{types}</div>")
