"""Moving through the differences: pure functions over hunk arrays (numpy), no Streamlit.

The page keeps, per alignment, the hunks' kinds and types as codes (``kind_codes``: index into
``viewer.kinds.KINDS``, ``type_codes``: into ``TYPES``) and positions (first original token,
line, paragraph); ``ids`` is the sorted array of hunk ids the kind and type filters show.
Hunk ids are in document order, so "next" is "the next larger id"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from .kinds import KINDS, TYPES


def kind_codes(kinds: Iterable[str]) -> np.ndarray:
    """Each hunk's kind as its index in ``KINDS`` (int8)."""
    return np.fromiter((KINDS.index(k) for k in kinds), dtype=np.int8)


def type_codes(types: Iterable[str]) -> np.ndarray:
    """Each hunk's type as its index in ``TYPES`` (int8)."""
    return np.fromiter((TYPES.index(t) for t in types), dtype=np.int8)


def shown_ids(codes: np.ndarray, shown: Iterable[str], types: np.ndarray | None = None,
              shown_types: Iterable[str] | None = None) -> np.ndarray:
    """The ids of the hunks whose kind is among ``shown`` and, when ``types`` (codes) and
    ``shown_types`` are given, whose type is among ``shown_types``, in order."""
    mask = np.isin(codes, [KINDS.index(k) for k in shown])
    if types is not None and shown_types is not None:
        mask &= np.isin(types, [TYPES.index(t) for t in shown_types])
    return np.flatnonzero(mask)


def clamp_selection(selected: int | None, total: int) -> int | None:
    """A selection that exists among ``total`` hunks: None when there are none, else the
    nearest end for one out of range (a link to difference 9999 of 80 opens the last)."""
    if total == 0:
        return None
    return min(max(selected or 0, 0), total - 1)


def selection_from_query(raw: str | None) -> int:
    """The hunk a ``?diff=k`` link names (k is 1-based); 0 for anything that is not a
    positive whole number."""
    try:
        k = int(raw or "")
    except ValueError:
        return 0
    return k - 1 if k >= 1 else 0


def step(ids: np.ndarray, current: int | None, direction: int) -> int | None:
    """The shown difference after (``direction`` > 0) or before ``current``; from no
    selection, the first or the last; None past either end."""
    if not len(ids):
        return None
    if current is None:
        return int(ids[0] if direction > 0 else ids[-1])
    if direction > 0:
        k = int(np.searchsorted(ids, current, side="right"))
        return int(ids[k]) if k < len(ids) else None
    k = int(np.searchsorted(ids, current, side="left")) - 1
    return int(ids[k]) if k >= 0 else None


def keep_shown(ids: np.ndarray, current: int | None) -> int | None:
    """After a filter changed (the shown ``ids``): the selection itself when it is still
    shown, else the next shown difference (or the last one); None when nothing is shown or
    selected."""
    if not len(ids) or current is None:
        return None
    k = int(np.searchsorted(ids, current))
    return int(ids[min(k, len(ids) - 1)])


def follow_place(spans: np.ndarray, ids: np.ndarray,
                 place: Sequence[int]) -> int | None:
    """The shown difference (of ``ids``) at the text a difference covered before the alignment
    changed (``place``: its ``(a_start, a_end, b_start, b_end)`` characters; ``spans``: the new
    hunks' four columns, indexed by hunk id): the first that overlaps it on either side, else
    the first that touches it where one of the two is empty (an insertion point), else the
    first that starts at or after it in the original, else the last. None when none is shown."""
    if not len(ids):
        return None
    s = spans[ids]
    a0, a1, b0, b1 = place

    def overlap(lo, hi, c0, c1, touching):
        if not touching:
            return (s[:, c0] < hi) & (lo < s[:, c1])
        # an empty span is a point: it meets what ends or starts there
        return (s[:, c0] <= hi) & (lo <= s[:, c1]) & ((lo == hi) | (s[:, c0] == s[:, c1]))

    for touching in (False, True):
        hit = overlap(a0, a1, 0, 1, touching) | overlap(b0, b1, 2, 3, touching)
        if hit.any():
            return int(ids[int(np.argmax(hit))])
    k = int(np.searchsorted(s[:, 0], a0))  # ids are in document order: starts do not decrease
    return int(ids[min(k, len(ids) - 1)])


def position(ids: np.ndarray, selected: int | None) -> int:
    """The 1-based place of ``selected`` among the shown ``ids``; 0 when it is not shown."""
    if selected is None:
        return 0
    k = int(np.searchsorted(ids, selected))
    return k + 1 if k < len(ids) and ids[k] == selected else 0


def nearest(ids: np.ndarray, positions: np.ndarray, at: float) -> int | None:
    """The id (of ``ids``) whose position (``positions``, aligned with ``ids``) is nearest to
    ``at``; the first of equally near ones."""
    if not len(ids):
        return None
    return int(ids[int(np.argmin(np.abs(np.asarray(positions, dtype=float) - at)))])


def in_range_or_nearest(ids: np.ndarray, positions: np.ndarray, lo: float, hi: float,
                        *, inclusive: bool = False) -> int | None:
    """The first shown difference whose position lies in ``[lo, hi)`` (``[lo, hi]`` when
    ``inclusive``), else the one nearest to the middle of the range. ``positions`` is indexed
    by hunk id (all hunks)."""
    if not len(ids):
        return None
    at = positions[ids]
    inside = ids[(at >= lo) & ((at <= hi) if inclusive else (at < hi))]
    if len(inside):
        return int(inside[0])
    return nearest(ids, at, (lo + hi) / 2)


def density_range(pick: Sequence[dict] | None, brush: dict | None,
                  n_tokens: int) -> tuple[float, float] | None:
    """The token range a density-chart selection names: a drag (``brush``: relative
    ``start`` positions, 0..1) or a click on a bin (``pick``: its ``token_start``/
    ``token_end``); None when neither is set."""
    n = max(n_tokens, 1)
    if brush and brush.get("start"):
        lo, hi = sorted(brush["start"])[:2]
        return lo * n, hi * n
    if pick:
        return pick[0].get("token_start", 0), pick[0].get("token_end", 0)
    return None


def table_rows(ids: np.ndarray, selected: int | None, max_rows: int) -> np.ndarray:
    """The ids the difference list shows: all of them, or ``max_rows`` around the selection
    (a dataframe is sent whole on every rerun)."""
    if len(ids) <= max_rows:
        return ids
    k = int(np.searchsorted(ids, selected or 0))
    lo = max(0, min(k - max_rows // 2, len(ids) - max_rows))
    return ids[lo : lo + max_rows]


# The view's window of rows moves ahead when the selection comes within this share of its rows
# of an edge (not the document's): a 200-row window moves 50 rows early, so a reader stepping
# with Next meets rows already sent, not a wait for the server. Chosen by hand.
WINDOW_EDGE_SHARE = 0.25


def near_window_edge(start: int, stop: int, n_rows: int, row: int) -> bool:
    """Whether ``row`` is outside the window ``[start, stop)`` of ``n_rows`` rows or within
    ``WINDOW_EDGE_SHARE`` of its rows from an edge that is not the document's own."""
    if not start <= row < stop:
        return True
    margin = max(1, int((stop - start) * WINDOW_EDGE_SHARE))
    return (start > 0 and row - start < margin) or (stop < n_rows and stop - row <= margin)


def ids_for_view(ids: np.ndarray, total: int) -> list[int] | None:
    """The shown ids as the view component takes them: None when every one of the ``total``
    differences is shown (the common case, nothing to send), else the list."""
    return None if len(ids) == total else [int(i) for i in ids]
