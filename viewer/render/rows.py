"""The side-by-side rows as escaped HTML (a window of a ``Layout``), and the legend.

Every highlight and gap marker carries ``data-kind`` and ``data-hunk``; gap markers are empty
elements drawn by CSS, so the text content of each pane is exactly its source text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..align import Alignment
from ..kinds import KIND_TABLE, KINDS, SUBSTITUTED
from ..layout import Layout, hunks_in_rows, layout_rows
from .escape import escape_text


def _span(kind: str, hid: int, body: str, *, cls: str, selected: bool, total: int,
          anchor: bool = False) -> str:
    sel = ' aria-current="true"' if selected else ""
    ident = f' id="d{hid + 1}"' if anchor else ""
    title = f"{KIND_TABLE[kind].label} · difference {hid + 1} of {total}"
    return (f'<span class="{cls}" data-kind="{kind}" data-hunk="{hid}"{sel}{ident} '
            f'title="{title}">{body}</span>')


def _cell(text: str, c0: int, c1: int, items: list, selected: int | None, total: int,
          anchors: set[int] | None) -> str:
    """One side of one row: text ``[c0, c1)`` with highlights. ``items``: ``(start, end, kind,
    hunk id, class)``; a point marker has ``start == end``."""
    out = []
    pos = c0
    for start, end, kind, hid, cls in sorted(items, key=lambda it: (it[0], it[1] > it[0])):
        start = max(start, pos)
        if start > pos:
            out.append(escape_text(text[pos:start]))
        anchor = anchors is not None and hid in anchors
        if anchor:
            anchors.discard(hid)
        if end <= start:
            out.append(_span(kind, hid, "", cls="cv-pt", selected=hid == selected, total=total,
                             anchor=anchor))
            pos = start
        else:
            out.append(_span(kind, hid, escape_text(text[start:end]), cls=cls,
                             selected=hid == selected, total=total, anchor=anchor))
            pos = end
    if c1 > pos:
        out.append(escape_text(text[pos:c1]))
    return "".join(out)




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
                dim_kinds: Sequence[str] = (), anchors: bool = False) -> str:
    """The side-by-side view of rows ``[start, stop)`` (all rows by default), escaped HTML.

    Every highlight and gap marker carries ``data-kind`` and ``data-hunk``; the elements of the
    ``selected`` hunk carry ``aria-current="true"``. Cells are ``.cv-cell[data-side=a|b]`` with
    ``data-span="start-end"`` (character offsets), so the text content of the ``a`` cells in
    order is exactly ``al.a_text[start:end]`` of the window. ``dim_kinds`` are drawn faded (a
    kind filter); ``anchors`` gives each difference's first element an ``id="d<k>"``."""
    layout = layout or layout_rows(al)
    n = len(layout)
    stop = n if stop is None else min(stop, n)
    start = max(0, min(start, stop))
    total = len(al.hunks)
    classes = " ".join(["cv-view", *(f"cv-dim-{k}" for k in dim_kinds if k in KINDS)])
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
    for k in range(start, stop):
        # hunks drawn in row k: those whose rows [first, last] contain k
        while hi < hids.stop and layout.hunk_first[hi] <= k:
            pending.append(hi)
            hi += 1
        pending = [h for h in pending if layout.hunk_last[h] >= k]
        left, right = _row_items(al, layout, k, pending)
        a0, a1, b0, b1 = layout.a[k], layout.a[k + 1], layout.b[k], layout.b[k + 1]
        gap_a = layout.is_gap_row(k, "a") and a0 == a1
        gap_b = layout.is_gap_row(k, "b") and b0 == b1
        line = layout.line[k]
        label = "+" if gap_a else (str(line) if line != prev_line else "")
        if not gap_a:
            prev_line = line
        cell_a = _cell(al.a_text, a0, a1, left, selected, total, anchor_set)
        cell_b = _cell(al.b_text, b0, b1, right, selected, total, anchor_set)
        cls_a = ' cv-gaprow" data-note="nothing in the original' if gap_a else ""
        cls_b = ' cv-gaprow" data-note="nothing in the corrupted text' if gap_b else ""
        parts.append(
            f'<div class="cv-row" data-row="{k}" data-line="{label}">'
            f'<div class="cv-cell{cls_a}" data-side="a" data-span="{a0}-{a1}" dir="auto">'
            f'{cell_a}</div>'
            f'<div class="cv-cell{cls_b}" data-side="b" data-span="{b0}-{b1}" dir="auto">'
            f'{cell_b}</div></div>')
    if stop < n:
        parts.append(f'<div class="cv-more" data-dir="1" data-note="▼ {n - stop:,} later rows '
                     f'— click to show them"></div>')
    parts.append("</div></div>")
    return "".join(parts)


def render_legend(counts: dict[str, int] | None = None) -> str:
    """The key to the colours and marks (HTML, no document text): each kind's label and legend
    text from ``viewer.kinds``; a kind absent from one side shows its gap marker."""
    keys = []
    for kind in KIND_TABLE.values():
        n = f" ({counts[kind.name]:,})" if counts and kind.name in counts else ""
        # the point marker on the side that does not have the text (none for a substitution)
        marker = ("" if kind.name == SUBSTITUTED
                  else f'<span class="cv-pt" data-kind="{kind.name}"></span>')
        keys.append(f'<span class="cv-key"><span class="cv-h" data-kind="{kind.name}">'
                    f"{kind.name}</span>{marker}{kind.legend}{n}</span>")
    keys.append('<span class="cv-key cv-note">hatched mark = where the other side has the '
                "text; spacing and quote style are not differences</span>")
    return f'<div class="cv-legend-wrap"><div class="cv-legend">{"".join(keys)}</div></div>'
