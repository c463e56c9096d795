"""Chart builders: tidy frames in, Altair charts out, with the named selections the page uses."""

from __future__ import annotations

import altair as alt
import pytest

from viewer.align import INSERTED, KINDS, align
from viewer.charts import (
    DENSITY_BRUSH,
    DENSITY_PICK,
    PARAGRAPH_PICK,
    density_axis_top,
    density_chart,
    paragraph_chart,
    paragraph_frame,
)
from viewer.layout import layout_rows
from viewer.stats import MAX_BINS, density_frame, summary


def _params(spec: dict) -> dict:
    out = {}
    for layer in spec.get("layer", []):
        for p in layer.get("params", []):
            out[p["name"]] = p
    for p in spec.get("params", []):
        out[p["name"]] = p
    return out


def _rules(spec: dict) -> list[dict]:
    return [layer for layer in spec["layer"]
            if (layer.get("mark") == "rule" or
                (isinstance(layer.get("mark"), dict) and layer["mark"].get("type") == "rule"))]


def test_density_chart_has_click_and_brush_selections(example):
    chart = density_chart(density_frame(example), marker=0.25)
    assert isinstance(chart, alt.LayerChart)
    spec = chart.to_dict()
    params = _params(spec)
    assert params[DENSITY_PICK]["select"]["type"] == "point"
    assert params[DENSITY_PICK]["select"]["fields"] == ["token_start", "token_end"]
    assert params[DENSITY_BRUSH]["select"]["type"] == "interval"
    rules = _rules(spec)
    assert len(rules) == 1
    rule_data = spec["datasets"][rules[0]["data"]["name"]]
    assert rule_data == [{"start": 0.25}]


def test_density_chart_without_selection_has_no_rule(example):
    spec = density_chart(density_frame(example)).to_dict()
    assert not _rules(spec)


def test_density_colours_are_the_okabe_ito_kinds(example):
    spec = density_chart(density_frame(example)).to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert spec["layer"][0]["transform"][0]["fold"] == list(KINDS)
    assert colour["scale"]["domain"] == list(KINDS)
    # Okabe-Ito vermillion, reddish purple, blue: the colours of viewer/kinds.py
    assert colour["scale"]["range"] == ["#D55E00", "#CC79A7", "#0072B2"]
    assert "Substituted" in spec["layer"][0]["encoding"]["color"]["legend"]["labelExpr"]


def test_density_chart_stays_aggregated_for_a_long_text():
    words = [f"w{i}" for i in range(60_000)]
    b = list(words)
    b[30_000:30_050] = ["x"] * 50
    al = align(" ".join(words), " ".join(b))
    spec = density_chart(density_frame(al)).to_dict()
    rows = sum(len(v) for v in spec["datasets"].values())
    # one row per bin (kinds folded in the browser), the last bin's closing point, one rule
    assert rows <= MAX_BINS + 2


def test_paragraph_frame_counts_every_unmatched_token(example):
    layout = layout_rows(example)
    frame = paragraph_frame(example, layout)
    assert set(frame["kind"]) == set(KINDS)
    # one paragraph per line in the example (no blank lines)
    n_lines = example.a_text.count("\n") + 1
    assert frame["paragraph_start"].min() == 1 and frame["paragraph_end"].max() == n_lines
    s = summary(example)
    unmatched = sum(s["tokens_by_kind"]["original"].values()) + sum(
        s["tokens_by_kind"]["corrupted"].values())
    assert frame["tokens"].sum() == unmatched
    per_bar = frame.drop_duplicates("paragraph_start")["total"].sum()
    assert per_bar == len(example.a) + len(example.b)
    assert ((frame["rate"] >= 0) & (frame["rate"] <= 1)).all()
    # the inserted quoted paragraph weighs on the paragraph it precedes (the 6th)
    inserted = frame[(frame["kind"] == INSERTED)].set_index("paragraph_start")["tokens"]
    assert inserted.idxmax() == 6


def test_paragraph_frame_counts_blank_line_paragraphs_not_lines():
    # three lines, two paragraphs (a blank line between); one word changed in the second
    a = "one two\nthree four\n\nfive six"
    b = "one two\nthree four\n\nfive SEVEN"
    al = align(a, b)
    frame = paragraph_frame(al, layout_rows(al))
    assert sorted(set(frame["paragraph_start"])) == [1, 2]
    tokens = frame.groupby("paragraph_start")["tokens"].sum()
    assert tokens.to_dict() == {1: 0, 2: 2}  # "six" and "SEVEN"


def test_paragraph_frame_groups_many_lines_into_few_bars():
    a = "\n".join(f"line {i} text here." for i in range(2_000))
    b = a.replace("line 7 ", "LINE 7 ").replace("line 1999 ", "")
    al = align(a, b)
    frame = paragraph_frame(al, layout_rows(al), max_bars=100)
    assert frame["paragraph_start"].nunique() <= 100
    assert frame["paragraph_end"].max() == 2_000
    assert frame["tokens"].sum() > 0


def test_paragraph_chart_selection_and_marker(example):
    frame = paragraph_frame(example, layout_rows(example))
    spec = paragraph_chart(frame, marker=4).to_dict()
    params = _params(spec)
    assert params[PARAGRAPH_PICK]["select"]["fields"] == ["paragraph_start", "paragraph_end"]
    assert len(_rules(spec)) == 1
    assert not _rules(paragraph_chart(frame).to_dict())


def test_charts_build_for_texts_without_differences_or_tokens():
    for a, b in (("same text", "same text"), ("", ""), ("   ", "\n")):
        al = align(a, b)
        density_chart(density_frame(al)).to_dict()
        frame = paragraph_frame(al, layout_rows(al))
        if len(frame):
            paragraph_chart(frame).to_dict()
            assert frame["tokens"].sum() == 0


@pytest.mark.parametrize(("densest", "top"), [(0.0, 0.01), (0.004, 0.01), (0.026, 0.05),
                                              (0.05, 0.05), (0.051, 0.1), (0.3, 0.5),
                                              (0.7, 1.0), (3.0, 1.0)])
def test_the_density_axis_ends_at_a_round_share_above_the_densest_bin(densest, top):
    assert density_axis_top(densest) == top


def test_sparse_corruption_fills_the_density_chart_and_the_title_says_the_scale():
    # one word in 40 changed: 2.5 % of the tokens; the densest bin of 30 is 1 of 4 tokens
    words = [f"w{i}" for i in range(40)]
    changed = ["X" if i == 20 else w for i, w in enumerate(words)]
    frame = density_frame(align(" ".join(words), " ".join(changed)))
    densest = frame.groupby("bin")["share"].sum().max()
    y = density_chart(frame).to_dict()["layer"][0]["encoding"]["y"]
    top = density_axis_top(densest)
    assert densest <= top < 1.0  # not the fixed 0-100 % any more
    assert y["scale"]["domain"] == [0, top]
    assert y["title"] == f"Corrupted share (axis to {top:.0%})"


def test_the_example_density_axis_is_scaled_to_its_densest_bin(example):
    frame = density_frame(example)
    y = density_chart(frame).to_dict()["layer"][0]["encoding"]["y"]
    densest = frame.groupby("bin")["share"].sum().max()
    assert y["scale"]["domain"][1] == density_axis_top(densest)
