"""The standalone HTML report: summary, legend, the whole side-by-side view and the list of
differences. Inline CSS, no scripts, no external resources."""

from __future__ import annotations

from ..align import Alignment
from ..kinds import KIND_TABLE
from ..layout import layout_rows
from ..stats import summary
from .css import REPORT_CSS, VIEW_CSS
from .escape import escape_text
from .rows import render_legend, render_rows
from .text import shorten

# The list of differences quotes each text up to this many characters (the view shows it whole).
REPORT_QUOTE = 300


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
    rows = render_rows(al, layout, names=(f"Original · {name_a}", f"Corrupted · {name_b}"),
                       anchors=True)
    lines = []
    for h in al.hunks:
        a_txt, b_txt = (escape_text(shorten(t, REPORT_QUOTE, line_breaks=None))
                        for t in al.hunk_texts(h))
        lines.append(
            f'<tr><td class="n"><a href="#d{h.id + 1}">{h.id + 1}</a></td>'
            f"<td>{KIND_TABLE[h.kind].label}</td>"
            f'<td class="n">{layout.line[layout.hunk_first[h.id]]:,}</td>'
            f"<td>{a_txt}</td><td>{b_txt}</td></tr>")
    table = ('<table class="cv-list"><thead><tr><th>#</th><th>Kind</th><th>Line</th>'
             '<th>Original</th><th>Corrupted</th></tr></thead><tbody>'
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
        f"{render_legend(s['hunks'])}{rows}"
        f"<h2>Differences ({len(al.hunks):,})</h2>{table}</body></html>\n")
