"""The panels under the pair page's view: the selected difference in detail, where the
corruption is (charts), the list of every difference, and the most frequent confusions (also
under the corpus table). Each reads what ``viewer.page_data`` computed and what the session
selected, and sends its clicks to ``viewer.session``. The page's, like ``viewer.widgets``:
streamlit is imported here, never by the rest of ``viewer``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from . import page_data, session
from .align import Alignment
from .page_data import HELP
from .widgets import chart, column_config, on, wide_button

state = st.session_state  # read and changed by viewer.session's functions


def detail(al: Alignment, d: dict, selected: int | None) -> None:
    st.subheader("Selected difference")
    if selected is None:
        st.info(HELP["identical"])
        return
    panel = page_data.detail_panel(al, d, selected)
    for line in panel.lines:
        st.html(line)
    for (label, block, cut), where in zip(panel.boxes, st.columns(2) if len(panel.boxes) == 2
                                          else [st], strict=True):
        where.markdown(f"**{label}**")
        where.html(block)
        if cut:
            where.caption(cut)
    if panel.absent:
        st.caption(panel.absent)
    if panel.chars is not None:
        st.markdown("**Character by character**")
        st.html(panel.chars)
    # where its text came from: its sources in the original (a copy), or its partner (a move)
    for k, (place, row) in enumerate(panel.sources):
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.html(place)
        wide_button("Show", f"source_{k}", session.show_source, k, row, where=button,
                    help="Scroll the view to this place")
    if state.focus is not None:
        st.button("Back to the difference", key="source_back",
                  on_click=on(session.select, selected, True))
    if panel.partner is not None:
        st.html(panel.partner_line)
        st.button(f"Go to #{panel.partner + 1}", key="move_partner", help=HELP["move"],
                  on_click=on(session.select, panel.partner, True))


def chart_panel(al: Alignment, d: dict, f: dict, selected: int | None) -> None:
    from . import charts  # altair and pandas load after the view is on its way
    st.subheader("Where the corruption is")
    if not al.hunks:
        st.caption("Nothing to chart: no differences.")
        return
    marker, paragraph = page_data.chart_markers(al, d, selected)
    by = st.segmented_control("Colour by", ["kind", "type"], key="colour_by", required=True)
    density, paragraphs = page_data.chart_frames_by(f, by)
    chart(charts.density_chart(density, marker), "density", HELP["density"],
          session.density_picked, [charts.DENSITY_PICK, charts.DENSITY_BRUSH])
    if len(paragraphs):
        chart(charts.paragraph_chart(paragraphs, paragraph), "paragraphs", HELP["paragraphs"],
              session.paragraph_picked, [charts.PARAGRAPH_PICK])


def difference_list(f: dict, ids: np.ndarray, selected: int | None) -> None:
    st.subheader("All differences")
    shown = session.list_rows(state, ids, selected, page_data.LIST_ROWS)
    if len(shown) < len(ids):
        st.caption(f"Showing {len(shown):,} of {len(ids):,} differences around the selection.")
    table = f["table"].iloc[shown]
    st.dataframe(table.assign(id=table["id"] + 1), key="diff_table", width="stretch",
                 on_select=on(session.list_picked), hide_index=True,
                 selection_mode=["single-row", "single-cell"],
                 height=page_data.table_height(len(table), 420),
                 column_config=column_config(page_data.LIST_COLUMNS))


def confusion_panel(frames: dict) -> None:
    """A pair's or a corpus's most frequent confusions, one small table per part."""
    st.subheader("Confusions")
    for column, (title, frame) in zip(st.columns(len(frames)), frames.items(), strict=True):
        column.caption(title)
        column.dataframe(frame, hide_index=True, width="stretch",
                         height=page_data.table_height(len(frame), 400))
