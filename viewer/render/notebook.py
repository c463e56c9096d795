"""An alignment as a self-contained HTML fragment for Jupyter (``Alignment._repr_html_``): the
legend and the side-by-side rows with the page's colours and CSS, every text escaped. A long
alignment shows its first window of rows and says so."""

from __future__ import annotations

from ..align import Alignment
from ..layout import WINDOW_CHARS, WINDOW_ROWS, layout_rows, window
from ..stats import summary
from .css import VIEW_CSS
from .rows import render_legend, render_rows

# A notebook cell is a page of its own: the rows grow with the output instead of scrolling
# inside a box, and the window's "later rows" bar (a click for the page's component) gives way
# to a note saying how to see more.
_NOTEBOOK_CSS = (".cv-nb .cv-view .cv-rows{max-height:none;overflow:visible}"
                 ".cv-nb .cv-more{display:none}")


def render_notebook(al: Alignment, max_rows: int = WINDOW_ROWS,
                    max_chars: int = WINDOW_CHARS) -> str:
    """The legend and rows of ``al`` (at most ``max_rows`` rows and about ``max_chars``
    characters: the first window) in one ``<div class="cv-nb">`` with its own ``<style>``."""
    layout = layout_rows(al)
    _, stop = window(layout, 0, max_rows, max_chars)  # around row 0: it starts there
    rows = render_rows(al, layout, 0, stop)
    n = len(layout)
    more = ("" if stop >= n else
            f'<div class="cv-window-note">Rows 1–{stop:,} of {n:,} are shown: '
            "<code>render_notebook(al, max_rows=…)</code> shows more, the HTML report "
            "(<code>render_report</code>) and the page show them all.</div>")
    counts = summary(al)["hunks"]
    return (f'<div class="cv-nb"><style>{VIEW_CSS}{_NOTEBOOK_CSS}</style>'
            f"{render_legend(counts)}{rows}{more}</div>")
