"""Streamlit's elements as the page draws them: a callback over the session state, a button
across its column, the row of metrics, a chart with its caption, a table's columns, a message
that may hold a name. How things are drawn, so that ``app.py`` says only what is drawn where.

``app.py``, this module and ``viewer.panels`` are the page's, the only ones that import
streamlit: ``viewer`` itself never imports them (the command line and the Python API run
without Streamlit).
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from .page_data import TableColumn
from .render.text import markdown_literal


def on(action, *args):
    """A widget's callback: ``action(st.session_state, *args)``."""
    return partial(action, st.session_state, *args)


def wide_button(label: str, key: str, action, *args, where=st, **options) -> None:
    """A button across its column; a click calls ``action(st.session_state, *args)``."""
    where.button(label, key=key, on_click=on(action, *args), width="stretch", **options)


def metrics(items: list[tuple[str, str, str | None]]) -> None:
    """A row of metrics, ``(label, value, help)``."""
    with st.container(horizontal=True, key="metrics"):  # wraps when narrow, never "1…"
        for label, value, help_text in items:
            st.metric(label, value, help=help_text, width="content")


def column_config(columns: dict[str, TableColumn]) -> dict:
    """Streamlit's column configuration from ``viewer``'s ``TableColumn`` descriptions."""
    make = {"number": st.column_config.NumberColumn, "text": st.column_config.TextColumn,
            "share": partial(st.column_config.ProgressColumn, min_value=0.0, max_value=1.0)}
    return {name: make[c.kind](c.label, width=c.width, help=c.help,
                               **({"format": c.format} if c.format else {}))
            for name, c in columns.items()}


def chart(altair_chart, key: str, caption: str, on_pick=None,
          picks: list[str] | None = None) -> None:
    """A chart across its column with its caption; ``on_pick(st.session_state)`` when one of
    its selections (``picks``) is made."""
    st.altair_chart(altair_chart, key=key, width="stretch", **(
        {"on_select": on(on_pick), "selection_mode": picks} if on_pick else {}))
    st.caption(caption)


def say(how, message: str | None, icon: str = "⚠️") -> None:
    """``message`` (plain text, which may hold a name: not Markdown) with ``how``
    (``st.error``, ``st.warning``), when there is one."""
    if message:
        how(markdown_literal(message), icon=icon)


def error(message: str | None) -> None:
    say(st.error, message)
