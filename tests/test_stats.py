"""Counts, corruption rate and the density series."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.align import align
from viewer.stats import (
    MAX_BINS,
    density_bins,
    density_frame,
    hunk_groups,
    line_starts,
    paragraph_starts,
    summary,
)


def test_summary_counts_each_kind_on_each_side():
    al = align("one two three four five six", "one 2 three five six seven eight")
    s = summary(al)
    assert s["hunks"] == {"missing": 1, "substituted": 1, "inserted": 1}
    assert s["tokens_by_kind"] == {"original": {"missing": 1, "substituted": 1},
                                   "corrupted": {"substituted": 1, "inserted": 2}}
    assert s["tokens"] == {"original": 6, "corrupted": 7}
    assert s["matched_tokens"] == 4
    assert s["corruption_rate"] == round(5 / 13, 6)


def test_identical_texts_have_zero_rate():
    s = summary(align("same words here", "same  words\nhere"))
    assert s["hunks_total"] == 0 and s["corruption_rate"] == 0 and s["matched_share"] == 1


def test_density_bins_are_bounded_and_tidy():
    words = [f"w{i}" for i in range(50_000)]
    b = list(words)
    b[10_000:10_100] = ["x"] * 100  # one dense substituted stretch
    al = align(" ".join(words), " ".join(b))
    df = density_frame(al)
    assert set(df.columns) >= {"bin", "start", "end", "kind", "share"}
    assert df["bin"].nunique() <= MAX_BINS
    assert set(df["kind"]) == {"missing", "substituted", "inserted"}
    sub = df[df.kind == "substituted"]
    peak = sub.loc[sub.share.idxmax()]
    assert 0.19 <= peak.start <= 0.21 and peak.share > 0.5
    assert df[df.kind == "missing"].share.sum() == 0
    # shares integrate back to the token counts
    widths = (sub.token_end - sub.token_start)
    assert round((sub.share * widths).sum()) == 100


def test_density_along_the_corrupted_side_counts_missing_at_the_spot():
    al = align("a b c d e f g h i j k l", "a b c d e f g h i j")
    df = density_frame(al, side="corrupted")
    miss = df[df.kind == "missing"]
    assert (miss.share * (miss.token_end - miss.token_start)).sum() == 2


def test_empty_texts():
    al = align("", "")
    assert summary(al)["corruption_rate"] == 0
    assert len(density_frame(al)) == 3


def test_line_starts_count_every_kind_of_line_end():
    assert line_starts("a\nb\r\nc\rd") == [0, 2, 5, 7]
    assert line_starts("") == [0]


def test_paragraphs_are_separated_by_blank_lines():
    # "a b", then "c" (same paragraph), a blank line with spaces, then "d"
    assert paragraph_starts("a b\nc\n  \n  d") == [0, 11]  # at "d", after its indentation
    assert paragraph_starts("p1\r\n\r\np2\n\n\np3") == [0, 6, 11]


def test_a_text_without_blank_lines_has_one_paragraph_per_line():
    # the example pair's original: one paragraph per line
    assert paragraph_starts("one\ntwo\r\nthree") == line_starts("one\ntwo\r\nthree")
    assert paragraph_starts("") == [0]


def _density_per_token(al, side, bins, by):
    """The binning done the slow, obvious way: a weight per token, summed per bin."""
    on_a = side == "original"
    span = max(len(al.a) if on_a else len(al.b), 1)
    groups, group_of = hunk_groups(al, by)
    weights = {g: [0] * span for g in groups}
    for h, g in zip(al.hunks, group_of, strict=True):
        lo, hi = h.ta if on_a else h.tb
        other = h.tb if on_a else h.ta
        for i in range(lo, hi):
            weights[g][i] += 1
        if hi == lo:
            weights[g][min(lo, span - 1)] += other[1] - other[0]
    edges = [-(-k * span // bins) for k in range(bins + 1)]
    return edges, {g: [sum(w[edges[k]:edges[k + 1]]) for k in range(bins)]
                   for g, w in weights.items()}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "The", "the", ",", "cat"]), max_size=25),
       st.lists(st.sampled_from(["a", "b", "The", "the", ",", "dog"]), max_size=25),
       st.sampled_from(["original", "corrupted"]), st.integers(1, 40),
       st.sampled_from(["kind", "type"]))
def test_density_bins_equal_a_weight_per_token(a, b, side, bins, by):
    # the bins are counted from the hunks' ranges: a range cut at a bin edge, a spot at the
    # end of a side or an empty side counted wrong shows against the per-token sums
    al = align(" ".join(a), " ".join(b))
    edges, per_bin = density_bins(al, side, bins, by)
    want_edges, want = _density_per_token(al, side, bins, by)
    assert edges.tolist() == want_edges
    assert {g: v.tolist() for g, v in per_bin.items()} == want
