"""Counts, corruption rate and density series, read off one Alignment.

``summary`` is plain Python (the command line prints it without importing pandas);
``density_frame`` returns a tidy pandas DataFrame for the charts.
"""

from __future__ import annotations

import re
from collections import Counter

from .align import INSERTED, KINDS, MISSING, SUBSTITUTED, Alignment

MAX_BINS = 2000
# Below this many tokens per bin a density curve is mostly noise.
MIN_TOKENS_PER_BIN = 10


def summary(al: Alignment) -> dict:
    """Counts by kind (hunks, and tokens on each side) and the corruption rate.

    The corruption rate is the share of all tokens, both sides counted, that are not matched:
    0 for identical texts, 1 for texts with nothing in common.
    """
    hunks = Counter(h.kind for h in al.hunks)
    tok_a: Counter[str] = Counter()
    tok_b: Counter[str] = Counter()
    for h in al.hunks:
        tok_a[h.kind] += h.ta[1] - h.ta[0]
        tok_b[h.kind] += h.tb[1] - h.tb[0]
    n_a, n_b = len(al.a), len(al.b)
    unmatched_a = sum(tok_a.values())
    unmatched_b = sum(tok_b.values())
    total = n_a + n_b
    return {
        "tokens": {"original": n_a, "corrupted": n_b},
        "matched_tokens": n_a - unmatched_a,
        "matched_share": round((n_a - unmatched_a) / n_a, 6) if n_a else 1.0,
        "hunks": {k: hunks.get(k, 0) for k in KINDS},
        "hunks_total": len(al.hunks),
        "tokens_by_kind": {
            "original": {k: tok_a.get(k, 0) for k in (MISSING, SUBSTITUTED)},
            "corrupted": {k: tok_b.get(k, 0) for k in (SUBSTITUTED, INSERTED)},
        },
        "corruption_rate": round((unmatched_a + unmatched_b) / total, 6) if total else 0.0,
        "bounded_regions": len(al.bounded),
    }


def type_summary(al: Alignment) -> dict:
    """What happened, beside where: the measures OCR and ASR people use and the differences by
    type (the JSON's ``stats`` carries these next to ``summary``; the corpus summary too).

    ``wer``/``cer``: word and character edit distance over the original's words and non-space
    characters, read off the alignment (``viewer.measures``), so re-tokenization and what the
    options ignore never count. ``copy_share``/``move_share``: the share of the differences
    typed ``copy`` (text found elsewhere in the original) and ``move``."""
    from .measures import counts_by_type, error_rates  # the page's first paint needs neither

    rates = error_rates(al)
    counts = counts_by_type(al, al.types)
    n = len(al.hunks)
    by_type = counts["hunks"]
    return {
        "wer": rates["wer"], "cer": rates["cer"],
        "words": rates["words"], "characters": rates["characters"],
        "hunks_by_type": by_type, "tokens_by_type": counts["tokens"],
        "copy_share": round(by_type.get("copy", 0) / n, 6) if n else 0.0,
        "move_share": round(by_type.get("move", 0) / n, 6) if n else 0.0,
    }


def bin_count(n_tokens: int, max_bins: int = MAX_BINS) -> int:
    """About ``MIN_TOKENS_PER_BIN`` tokens a bin, at most ``max_bins``; a short text still gets
    up to 10 bins (of fewer tokens) so its chart shows where the corruption is."""
    return max(1, min(max_bins, max(n_tokens // MIN_TOKENS_PER_BIN, min(n_tokens, 10))))


def hunk_groups(al: Alignment, by: str) -> tuple[tuple[str, ...], list[str]]:
    """The groups a density splits into (``by``: ``kind`` or ``type``, from ``viewer.kinds``)
    and each hunk's group."""
    from .kinds import TYPES

    if by == "kind":
        return KINDS, [h.kind for h in al.hunks]
    if by == "type":
        return TYPES, list(al.types)
    raise ValueError("by is 'kind' or 'type'")


def density_bins(al: Alignment, side: str, bins: int, by: str = "kind"):
    """The one density binning, for the page's chart and the corpus summary: token ``i`` of
    ``side`` (of ``n``) lies in bin ``i * bins // n``, so bin ``k`` covers tokens
    ``edges[k]:edges[k + 1]`` (empty when there are fewer tokens than bins). Returns ``edges``
    and, per kind (per type with ``by="type"``), the corrupted-token count of each bin;
    material absent from this side
    (inserted text on the original, missing text on the corrupted) counts its other side's
    tokens at the spot where it belongs."""
    import numpy as np

    if side not in ("original", "corrupted"):
        raise ValueError("side is 'original' or 'corrupted'")
    on_a = side == "original"
    span = max(len(al.a) if on_a else len(al.b), 1)  # an empty side: its one spot is 0
    edges = -(-np.arange(bins + 1, dtype=np.int64) * span // bins)  # ceil(k * span / bins)
    groups, group_of = hunk_groups(al, by)
    # each group's corrupted tokens before each edge, from its hunks' ranges (no array as long
    # as the text: a ten-million-token side times eight types was 0.6 GB): ranges of this side,
    # and spots where material absent from it weighs its other side's tokens
    ranges = {group: ([], []) for group in groups}
    spots = {group: ([], []) for group in groups}
    for h, group in zip(al.hunks, group_of, strict=True):
        lo, hi = h.ta if on_a else h.tb
        if hi > lo:
            ranges[group][0].append(lo)
            ranges[group][1].append(hi)
        else:
            other = h.tb if on_a else h.ta
            spots[group][0].append(min(lo, span - 1))
            spots[group][1].append(other[1] - other[0])
    per_bin = {group: np.diff(_ranges_before(edges, *ranges[group])
                              + _weights_before(edges, *spots[group])).astype(np.float64)
               for group in groups}
    return edges, per_bin


def _ranges_before(x, lo: list[int], hi: list[int]):
    """For each ``x``, how many tokens of the ranges ``[lo, hi)`` (disjoint, ascending: a
    side's hunks) lie before it."""
    import numpy as np

    lo, hi = np.asarray(lo, dtype=np.int64), np.asarray(hi, dtype=np.int64)
    done = np.concatenate(([0], np.cumsum(hi - lo)))
    k = np.searchsorted(lo, x, side="left")  # ranges starting before x
    last = np.maximum(k - 1, 0)
    over = np.where(k > 0, np.maximum(hi[last] - x, 0) if len(hi) else 0, 0)  # its part after x
    return done[k] - over


def _weights_before(x, spot: list[int], weight: list[int]):
    """For each ``x``, the sum of the ``weight`` of the spots before it."""
    import numpy as np

    spot = np.asarray(spot, dtype=np.int64)
    order = np.argsort(spot, kind="stable")
    total = np.concatenate(([0], np.cumsum(np.asarray(weight, dtype=np.int64)[order])))
    return total[np.searchsorted(spot[order], x, side="left")]


def density_frame(al: Alignment, side: str = "original", max_bins: int = MAX_BINS,
                  by: str = "kind"):
    """Share of corrupted tokens along one side, by kind (``by="type"``: by type, in a ``type``
    column instead of ``kind``), in at most ``max_bins`` bins (``density_bins``).

    Columns: ``bin``, ``start``/``end`` (relative position 0..1), ``token_start``/``token_end``,
    ``kind``, ``share`` (corrupted tokens of that kind per token of the bin; material absent from
    this side is counted at the spot where it belongs, so its share can exceed 1).
    """
    import numpy as np
    import pandas as pd

    n = len(al.a) if side == "original" else len(al.b)
    bins = bin_count(n, max_bins)
    edges, per_bin = density_bins(al, side, bins, by)
    widths = np.maximum(np.diff(edges), 1)
    span = max(n, 1)
    return pd.concat([pd.DataFrame({
        "bin": np.arange(bins),
        "start": edges[:-1] / span,
        "end": edges[1:] / span,
        "token_start": edges[:-1],
        "token_end": edges[1:],
        by: group,
        "share": share / widths,
    }) for group, share in per_bin.items()], ignore_index=True)


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts (line k, 1-based, starts at ``result[k - 1]``); CRLF,
    CR and LF each end a line. ``bisect_right(line_starts, offset)`` is an offset's line."""
    return [0] + [m.end() for m in _LINE_BREAK_RE.finditer(text)]


# One line break: CRLF, or a CR or LF alone (a CRLF is never two breaks).
_BREAK = r"(?:\r\n|\r(?!\n)|\n)"
# A blank line: a line break, then only spaces or tabs up to the next line break.
_BLANK_LINE_RE = re.compile(_BREAK + r"[^\S\r\n]*" + _BREAK)
# A run of line breaks holding at least one blank line, with the next paragraph's indentation.
_PARAGRAPH_BREAK_RE = re.compile(r"(?:" + _BREAK + r"[^\S\r\n]*){2,}")


def paragraph_starts(text: str) -> list[int]:
    """Offsets where each paragraph starts, like ``line_starts`` (``bisect_right`` gives an
    offset's 1-based paragraph). Paragraphs are separated by blank lines; a text without any
    blank line (the example: one paragraph per line) has one paragraph per line. The page's
    detail panel and its paragraph chart both count paragraphs this way."""
    if not _BLANK_LINE_RE.search(text):
        return line_starts(text)
    return [0] + [m.end() for m in _PARAGRAPH_BREAK_RE.finditer(text)]
