"""The first run's stand-ins for the metrics and filters (viewer.first_paint): the same words
in the same rows, invisible, every word escaped."""

from __future__ import annotations

import re

from viewer import first_paint
from viewer.align import align
from viewer.page_data import pair_metrics, view_data

HOSTILE = '<img src=x onerror=alert(1)>&"'


def words(html: str, cls: str) -> list[str]:
    """The texts of the elements of class ``cls`` (without the icon's empty ``<i>``)."""
    return [re.sub(r"<i></i>", "", m) for m in
            re.findall(rf'<div class="{cls}">(.*?)</div>', html)]


def test_the_metrics_stand_in_holds_each_label_and_value_with_a_place_for_its_help_icon():
    html = first_paint.metrics_placeholder([("WER", "18.7%", "why"), ("Missing", "20", None)])
    assert words(html, "cv-hold-label") == ["WER", "Missing"]
    assert words(html, "cv-hold-value") == ["18.7%", "20"]
    assert html.count("<i></i>") == 1  # only WER has a help icon
    assert 'class="cv-hold" aria-hidden="true"' in html and "visibility:hidden" in html


def test_the_filters_stand_in_has_a_row_of_pills_per_filter_then_the_selection_line():
    line = '<div class="cv-sel-line">line 1</div>'
    html = first_paint.filters_placeholder([["Missing 2", "Inserted 1"], ["Case 0"]], line)
    rows = re.findall(r'<div class="cv-hold-pills">(.*?)</div>', html)
    assert rows == ["<span>Missing 2</span><span>Inserted 1</span>", "<span>Case 0</span>"]
    assert html.index(rows[1]) < html.index(line) < html.index('class="cv-hold-toggle"')
    assert "cv-sel-line" not in first_paint.filters_placeholder([["Case 0"]], None)


def test_every_word_is_escaped():
    html = (first_paint.metrics_placeholder([(HOSTILE, HOSTILE, None)], HOSTILE)
            + first_paint.filters_placeholder([[HOSTILE]], None))
    assert "<img" not in html and html.count("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;") == 4


def test_the_pair_page_stand_ins_hold_its_metrics_and_its_filters():
    al = align("one two three\nfour", "one 2 three\nfour five")
    data = view_data(al)
    html = first_paint.pair_metrics_placeholder(data, "cer")
    assert words(html, "cv-hold-label") == [label for label, _, _ in
                                            pair_metrics(data["stats"], data["rates"], "cer")]
    assert words(html, "cv-hold-label")[:2] == ["CER", "WER"]
    pills = re.findall(r"<span>(.*?)</span>",
                       first_paint.pair_filters_placeholder(data, None))
    assert pills[:3] == ["Missing 0", "Substituted 1", "Inserted 1"] and len(pills) == 11


def test_the_option_hint_has_its_box_and_button_under_the_metrics():
    html = first_paint.metrics_placeholder([("Missing", "2", None)], "36 of 36 <are> case")
    assert '<div class="cv-hold-info"><i></i><div>36 of 36 &lt;are&gt; case</div></div>' in html
    assert (html.index('class="cv-hold-metrics"') < html.index('class="cv-hold-info"')
            < html.index('class="cv-hold-button"'))
    assert 'class="cv-hold-info"' not in first_paint.metrics_placeholder([("Missing", "2", None)])
