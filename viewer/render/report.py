"""The standalone HTML report: summary, legend, the whole side-by-side view and the list of
differences, each with its type and where its text came from (links to the places in the
original a copy came from, ``id="s<offset>"``, and to a move's other half). Inline CSS, no
scripts, no external resources."""

from __future__ import annotations

import bisect

from ..align import Alignment
from ..kinds import COPY, KIND_TABLE, TYPE_TABLE
from ..layout import layout_rows
from ..stats import line_starts, summary
from .css import REPORT_CSS, VIEW_CSS
from .escape import escape_text
from .rows import render_legend, render_rows
from .text import shorten

# The list of differences quotes each text up to this many characters (the view shows it whole).
REPORT_QUOTE = 300
# Links to where a copy came from: at most this many places a difference (the nearest).
REPORT_SOURCES = 3


def source_anchors(al: Alignment) -> tuple[list, dict]:
    """Every place in the original a copy came from, as marks for ``render_rows`` (overlapping
    places merged, each union an anchor ``s<start>``), and the anchor of each place."""
    spans = sorted({span for h in al.hunks if al.types[h.id] == COPY
                    for span in al.provenance[h.id].sources[:REPORT_SOURCES]})
    unions: list[list[int]] = []
    anchor: dict[tuple[int, int], str] = {}
    for s, e in spans:
        if unions and s < unions[-1][1]:
            unions[-1][1] = max(unions[-1][1], e)
        else:
            unions.append([s, e])
        anchor[(s, e)] = f"s{unions[-1][0]}"
    return [(s, e, f'<span class="cv-source" id="s{s}">') for s, e in unions], anchor


def _origin(al: Alignment, hid: int, anchor: dict, a_lines: list[int]) -> str:
    """The list's "came from" cell: links to a copy's places, or to a move's other half."""
    pv = al.provenance[hid]
    if al.types[hid] == COPY:
        return " ".join(f'<a href="#{anchor[span]}">line '
                        f"{bisect.bisect_right(a_lines, span[0]):,}</a>"
                        for span in pv.sources[:REPORT_SOURCES] if span in anchor)
    if pv.moved_to is not None:
        return f'moved to <a href="#d{pv.moved_to + 1}">#{pv.moved_to + 1}</a>'
    if pv.moved_from is not None:
        return f'moved from <a href="#d{pv.moved_from + 1}">#{pv.moved_from + 1}</a>'
    return ""


def render_report(al: Alignment, original: dict | None = None, corrupted: dict | None = None,
                  title: str = "Corruption report") -> str:
    """A standalone HTML page: summary, legend, the whole side-by-side view and the list of
    differences (each linking to its place). Inline CSS, no scripts, no external resources."""
    original = original or {}
    corrupted = corrupted or {}
    s = summary(al)
    layout = layout_rows(al)
    name_a = original.get("path") or original.get("name") or "Original"
    name_b = corrupted.get("path") or corrupted.get("name") or "Corrupted"
    enc_a = original.get("encoding", "")
    enc_b = corrupted.get("encoding", "")
    stats = [
        ("Original tokens", f"{s['tokens']['original']:,}"),
        ("Corrupted tokens", f"{s['tokens']['corrupted']:,}"),
        ("Matched", f"{s['matched_share']:.1%}"),
        *((kind.label, f"{s['hunks'][kind.name]:,}") for kind in KIND_TABLE.values()),
        ("Corruption rate", f"{s['corruption_rate']:.1%}"),
    ]
    stats_html = "".join(f"<div><b>{v}</b>{escape_text(k)}</div>" for k, v in stats)
    marks, anchor = source_anchors(al)
    rows = render_rows(al, layout, names=(f"Original · {name_a}", f"Corrupted · {name_b}"),
                       anchors=True, sources=marks)
    a_lines = line_starts(al.a_text)
    lines = []
    for h in al.hunks:
        a_txt, b_txt = (escape_text(shorten(t, REPORT_QUOTE, line_breaks=None))
                        for t in al.hunk_texts(h))
        lines.append(
            f'<tr><td class="n"><a href="#d{h.id + 1}">{h.id + 1}</a></td>'
            f"<td>{KIND_TABLE[h.kind].label}</td><td>{TYPE_TABLE[al.types[h.id]].label}</td>"
            f'<td class="n">{layout.line[layout.hunk_first[h.id]]:,}</td>'
            f"<td>{a_txt}</td><td>{b_txt}</td>"
            f'<td class="n">{_origin(al, h.id, anchor, a_lines)}</td></tr>')
    table = ('<table class="cv-list"><thead><tr><th>#</th><th>Kind</th><th>Type</th>'
             '<th>Line</th><th>Original</th><th>Corrupted</th><th>Came from</th></tr></thead>'
             '<tbody>'
             f'{"".join(lines)}</tbody></table>') if lines else "<p>No differences.</p>"
    meta = " · ".join(
        f"{side}: {escape_text(name)} ({escape_text(enc)}, {len(text):,} characters)"
        for side, name, enc, text in (("Original", name_a, enc_a, al.a_text),
                                      ("Corrupted", name_b, enc_b, al.b_text)))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{escape_text(title)}</title><style>{VIEW_CSS}{REPORT_CSS}</style></head><body>"
        f"<h1>{escape_text(title)}</h1><div class=\"cv-meta\">{meta}</div>"
        f'<div class="cv-stats">{stats_html}</div>'
        f"{render_legend(s['hunks'], {t: al.types.count(t) for t in TYPE_TABLE})}{rows}"
        f"<h2>Differences ({len(al.hunks):,})</h2>{table}</body></html>\n")
