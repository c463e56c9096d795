"""Alignment -> escaped HTML: the side-by-side rows (a window of ``viewer.layout``'s rows), the
legend, the detail panel's pieces, the page's small pieces, the standalone report and the
notebook display. Pure functions returning strings; nothing here imports streamlit.

Every piece of document text goes through ``escape.escape_text``; styling is CSS classes
(``css``), the kinds' colours CSS variables from ``viewer.kinds``.
"""

from __future__ import annotations

from . import page
from .css import DETAIL_CSS, PAGE_CSS, REPORT_CSS, VIEW_CSS
from .detail import CHAR_DIFF_MAX, render_char_diff, render_source_place, render_text_block
from .escape import escape_text
from .notebook import render_notebook
from .report import render_report
from .rows import render_legend, render_rows
from .text import shorten

__all__ = [
    "CHAR_DIFF_MAX", "DETAIL_CSS", "PAGE_CSS", "REPORT_CSS", "VIEW_CSS", "escape_text", "page",
    "render_char_diff", "render_legend", "render_notebook", "render_report", "render_rows",
    "render_source_place", "render_text_block",
    "shorten",
]
