"""The space the session's first run keeps for what comes above the view with the next run.

The first run draws the title and the view only (``session.first_paint_bare``: the browser
would load the code of metrics, pills and toggles first), and the run after it puts the metrics
and the filters between them. Without a placeholder the view would jump down by their height
(about 200 px at 1280 px wide) just as one starts to read it. The placeholder holds the same
words in boxes of the sizes Streamlit gives them, invisible, so it wraps where they will wrap at
any window width; ``st.html`` elements, whose code the title has loaded already. The metrics'
stand-in takes the metrics' place and the filters' the filters': the next run replaces each
where it is (the filters come first), so the view does not jump while one has come and the
other not (only Streamlit's skeletons, drawn for a moment while an element's code loads, move
it a little). ``tests/browser/test_layout.py`` checks that the view stays put: it is what
tells when a new Streamlit changes the sizes below.
"""

from __future__ import annotations

from .page_data import filter_label, filter_rows, pair_metrics
from .render.escape import escape_text

# Streamlit's own sizes (1.67, read off the page in Chromium) and the page's stylesheet's
# (``render.css.PAGE_CSS``: metric label .8rem, value 1.35rem, the metrics' gap .2rem 1.4rem,
# the pills' min-height 1.8rem, the main column's gap .4rem), for the elements the placeholder
# stands for: a metric is a 24 px label row (a 16 px help icon) over its value; a pill is a
# 32 px high box, 12 px of padding a side, 4 px apart; the toggle's row is 24 px high; an
# ``st.info`` box has 16 px of padding, a 20 px icon 8 px before 24 px lines; a button is 40 px.
PLACEHOLDER_CSS = """
.cv-hold{visibility:hidden;display:flex;flex-direction:column;gap:.4rem;margin:0}
.cv-hold-metrics{display:flex;flex-wrap:wrap;gap:.2rem 1.4rem}
.cv-hold-metrics>div{flex:1 1 auto}
.cv-hold-label{display:flex;align-items:center;gap:6px;height:24px;font-size:.8rem;
  white-space:nowrap}
.cv-hold-label i{display:inline-block;width:16px;height:16px}
.cv-hold-value{font-size:1.35rem;line-height:1.25;padding-bottom:4px;white-space:nowrap}
.cv-hold-pills{display:flex;flex-wrap:wrap;gap:4px}
.cv-hold-pills span{box-sizing:border-box;height:32px;padding:0 12px;border:1px solid;
  font-size:14px;line-height:30px;white-space:nowrap}
.cv-hold-toggle{height:24px}
.cv-hold-info{display:flex;gap:8px;padding:16px;font-size:16px;line-height:24px}
.cv-hold-info i{flex:none;width:20px;height:27px}
.cv-hold-info div{flex:1 1 auto;min-width:0}
.cv-hold-button{height:40px}
"""


def metrics_placeholder(metrics: list[tuple[str, str, str | None]],
                        hint: str | None = None) -> str:
    """The invisible stand-in for the row of metrics (``page_data.pair_metrics``' rows) and the
    option hint under them (its message, in a box, over its button; None: no hint)."""
    cells = "".join(
        f'<div><div class="cv-hold-label">{escape_text(label)}{"<i></i>" if help_text else ""}'
        f'</div><div class="cv-hold-value">{escape_text(value)}</div></div>'
        for label, value, help_text in metrics)
    offer = (f'<div class="cv-hold-info"><i></i><div>{escape_text(hint)}</div></div>'
             '<div class="cv-hold-button"></div>') if hint else ""
    return _held(f'<div class="cv-hold-metrics">{cells}</div>{offer}')


def filters_placeholder(pill_rows: list[list[str]], selection_line: str | None) -> str:
    """The invisible stand-in for the filter pills (their labels, a list a row), the selection
    line (its HTML, None without a selection) and the toggle under them."""
    pills = "".join('<div class="cv-hold-pills">'
                    + "".join(f"<span>{escape_text(label)}</span>" for label in row) + "</div>"
                    for row in pill_rows)
    return _held(f'{pills}{selection_line or ""}<div class="cv-hold-toggle"></div>')


def _held(inner: str) -> str:
    # each piece brings the stylesheet: either may reach the browser first
    return f'<style>{PLACEHOLDER_CSS}</style><div class="cv-hold" aria-hidden="true">{inner}</div>'


def pair_metrics_placeholder(data: dict, first_measure: str, hint: str | None = None) -> str:
    """``metrics_placeholder`` of the pair page (``data``: ``page_data.view_data``; the
    metrics led by ``first_measure``; ``hint``: the option hint's message, when it shows)."""
    return metrics_placeholder(pair_metrics(data["stats"], data["rates"], first_measure), hint)


def pair_filters_placeholder(data: dict, selection_line: str | None) -> str:
    """``filters_placeholder`` of the pair page: the kind and type pills, the selection line."""
    return filters_placeholder([[filter_label(counts, name) for name in names]
                                for _, _, names, counts in filter_rows(data)], selection_line)
