"""The side-by-side HTML: highlights and their attributes, rows kept in step, windowing,
escaping, and the property that each pane's text content is exactly its source text."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.align import INSERTED, KINDS, MISSING, SUBSTITUTED, align
from viewer.kinds import QUIET_TYPES, TYPES
from viewer.layout import WINDOW_ROWS, layout_rows, window
from viewer.page_data import source_marks, source_places
from viewer.render import (
    page,
    render_char_diff,
    render_legend,
    render_notebook,
    render_report,
    render_rows,
    render_source_place,
    shorten,
)
from viewer.render.letters import changed_letters

HOSTILE = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> </style><style>*{}</style> '
    "<b onmouseover='alert(2)'>bold</b> \" ' &amp; &lt; <svg onload=alert(3)> "
    '<a href="javascript:alert(4)">link</a> ]]> <!-- c -->'
)




class Page(HTMLParser):
    """The parts of rendered HTML the tests look at: every element (tag, attributes), the text
    of each pane cell in order, and the text of each highlighted element."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.cells: list[tuple[str, str]] = []  # (side, text)
        self.highlights: list[dict] = []  # attrs + "text"
        self._stack: list[tuple[str, dict]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag in ("br", "img", "meta"):
            return
        if "data-side" in attrs:
            self.cells.append((attrs["data-side"], ""))
        if "data-hunk" in attrs:
            self.highlights.append({**attrs, "text": ""})
            attrs = {**attrs, "_highlight": len(self.highlights) - 1}
        self._stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if any("data-side" in attrs for _, attrs in self._stack):
            side, text = self.cells[-1]
            self.cells[-1] = (side, text + data)
        for _, attrs in self._stack:
            if "_highlight" in attrs:
                self.highlights[attrs["_highlight"]]["text"] += data

    def pane(self, side: str) -> str:
        return "".join(text for s, text in self.cells if s == side)


def rows_of(al, **kwargs) -> Page:
    return Page(render_rows(al, **kwargs))


# --- highlights ---------------------------------------------------------------------------------


def test_every_highlight_carries_kind_and_hunk(example):
    page = rows_of(example)
    assert page.highlights
    seen = set()
    for el in page.highlights:
        hid = int(el["data-hunk"])
        assert el["data-kind"] in KINDS
        assert el["data-kind"] == example.hunks[hid].kind
        seen.add(hid)
    assert seen == {h.id for h in example.hunks}
    # nothing else in the view claims to be a difference
    assert all(("data-kind" in attrs) == ("data-hunk" in attrs)
               for tag, attrs in page.elements if tag == "span")


def test_each_kind_is_marked_on_its_sides(example):
    page = rows_of(example)
    by_hunk: dict[int, list[dict]] = {}
    for el in page.highlights:
        by_hunk.setdefault(int(el["data-hunk"]), []).append(el)
    for h in example.hunks:
        classes = [el["class"] for el in by_hunk[h.id]]
        a_txt, b_txt = example.hunk_texts(h)
        texts = [el["text"] for el in by_hunk[h.id]]
        if h.kind == SUBSTITUTED:
            assert texts == [a_txt, b_txt] and classes == ["cv-h", "cv-h"]
        elif h.kind == MISSING:
            assert texts[0] == a_txt and classes[0] == "cv-h"
            # the gap marker on the right: the run of spaces itself, or an empty element
            gap = example.b_text[h.gap[0]:h.gap[1]] if h.gap else ""
            assert texts[1] == gap and classes[1] == ("cv-gap" if h.gap else "cv-pt")
        else:
            assert texts == ["", b_txt] and classes == ["cv-pt", "cv-h"]


def test_removed_compound_uses_its_run_of_spaces_as_the_marker(example):
    h = next(h for h in example.hunks if example.hunk_texts(h)[0] == "Russian-Turkish")
    assert h.kind == MISSING and h.gap
    page = rows_of(example)
    marks = [el for el in page.highlights if el["data-hunk"] == str(h.id)]
    assert marks[1]["class"] == "cv-gap"
    assert marks[1]["text"].strip() == "" and len(marks[1]["text"]) >= 3


def test_only_the_selected_difference_is_current(example):
    page = rows_of(example)
    assert not [el for el in page.highlights if "aria-current" in el]
    h = next(h for h in example.hunks if h.kind == SUBSTITUTED)
    page = rows_of(example, selected=h.id)
    current = [el for el in page.highlights if "aria-current" in el]
    assert {el["data-hunk"] for el in current} == {str(h.id)}
    assert all(el["aria-current"] == "true" for el in current)
    assert len(current) == 2  # outlined on both sides
    # nothing outside highlights is current either
    assert sum("aria-current" in attrs for _, attrs in page.elements) == 2


def test_typography_only_differences_are_not_highlighted():
    al = align("Turkey’s “budding” partner—ship.", 'Turkey \'s "budding" partner-ship .')
    assert not al.hunks
    page = rows_of(al)
    assert not page.highlights
    assert page.pane("a") == al.a_text and page.pane("b") == al.b_text


def test_legend_names_every_kind_without_claiming_a_hunk():
    legend = render_legend({MISSING: 2, SUBSTITUTED: 3, INSERTED: 4})
    for kind in KINDS:
        assert f'data-kind="{kind}"' in legend
    assert "data-hunk" not in legend
    assert "(3)" in legend


# --- rows in step -------------------------------------------------------------------------------


def test_rows_keep_paragraphs_in_step(example):
    layout = layout_rows(example)
    page = rows_of(example)
    assert page.pane("a") == example.a_text
    assert page.pane("b") == example.b_text
    a_cells = [t for s, t in page.cells if s == "a"]
    b_cells = [t for s, t in page.cells if s == "b"]
    assert len(a_cells) == len(b_cells) == len(layout)
    # each original paragraph starts a row, and its corrupted counterpart starts with it
    a_lines = example.a_text.split("\n")
    starts = [t for t in a_cells if t]
    assert [t.split("\n")[0] for t in starts[:-1]] == a_lines[:-1]
    # the last paragraph's first word went missing together with the full stop before it
    # (".\nThe"): that difference stays whole in the row where it starts
    assert starts[-2].endswith(".\nThe ") and a_lines[-1] == "The " + starts[-1]
    pairs = dict(zip(a_cells, b_cells, strict=True))
    assert pairs[a_lines[1] + "\n"].startswith("The air missions , which took place")
    assert pairs[a_lines[2] + "\n"].startswith("The Russian bombing is a remarkable")
    assert pairs[starts[-1]].startswith("Russians notified")


def test_inserted_paragraph_gets_its_own_row_with_a_gap_on_the_left(example):
    h = next(h for h in example.hunks
             if h.kind == INSERTED and "rapprochement" in example.hunk_texts(h)[1])
    layout = layout_rows(example)
    k = layout.row_of_hunk(h.id)
    assert layout.a[k] == layout.a[k + 1]  # nothing on the left
    assert example.b_text[layout.b[k]:layout.b[k + 1]].strip() == example.hunk_texts(h)[1]
    page = Page(render_rows(example, layout, k, k + 1))
    (a_tag, a_attrs), = [(t, a) for t, a in page.elements if a.get("data-side") == "a"]
    assert "cv-gaprow" in a_attrs["class"]
    marks = [el for el in page.highlights if el["data-hunk"] == str(h.id)]
    assert [m["class"] for m in marks] == ["cv-pt", "cv-h"] and marks[0]["text"] == ""
    # the rows around it are the paragraphs before and after
    assert example.a_text[layout.a[k - 1]:layout.a[k]].startswith("Some analysts say")
    assert example.a_text[layout.a[k + 1]:].startswith("President-elect Donald J. Trump")


def test_a_difference_spanning_a_line_break_stays_in_one_row():
    al = align("one two three.\nFour five six.\nSeven eight.",
               "one two three Four five six . Seven eight .")
    al2 = align("alpha beta gamma.\nDelta epsilon zeta.", "alpha beta gamma X epsilon zeta.")
    for a in (al, al2):
        layout = layout_rows(a)
        for h in a.hunks:
            assert layout.hunk_first[h.id] == layout.hunk_last[h.id]
        page = rows_of(a)
        assert page.pane("a") == a.a_text and page.pane("b") == a.b_text


def test_corrupted_side_is_shown_as_it_is(example):
    page = rows_of(example)
    b = page.pane("b")
    assert b == example.b_text
    assert "Turkey ’s offensive" in b and "budding    partnership" in b
    assert "Y. P. G." in b


# --- windows and large texts --------------------------------------------------------------------


def _book(paragraphs: int = 3000, words: int = 40):
    import random

    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(5000)]
    a_pars, b_pars = [], []
    for _ in range(paragraphs):
        ws = [f"p{len(a_pars)}"] + [rng.choice(vocab) for _ in range(words)]
        a_pars.append(" ".join(ws) + ".")
        bs = list(ws)
        for _ in range(2):
            bs[rng.randrange(1, len(bs))] = "CHANGED"
        del bs[rng.randrange(1, len(bs))]
        b_pars.append(" ".join(bs) + ".")
    return "\n".join(a_pars), " ".join(b_pars)


def test_window_is_bounded_and_contains_the_selection():
    a, b = _book()
    al = align(a, b)
    layout = layout_rows(al)
    assert len(layout) >= 3000
    h = al.hunks[len(al.hunks) // 2]
    start, stop = window(layout, layout.row_of_hunk(h.id))
    assert stop - start <= WINDOW_ROWS
    assert start <= layout.row_of_hunk(h.id) < stop
    markup = render_rows(al, layout, start, stop, selected=h.id)
    assert len(markup) < 400_000  # not the whole 1.1 MB text
    page = Page(markup)
    assert page.pane("a") == al.a_text[layout.a[start]:layout.a[stop]]
    assert page.pane("b") == al.b_text[layout.b[start]:layout.b[stop]]
    assert any(el.get("aria-current") == "true" for el in page.highlights)
    assert 'class="cv-more" data-dir="-1"' in markup and 'data-dir="1"' in markup


def test_a_long_line_without_breaks_is_cut_into_rows():
    words = " ".join(f"word{i % 97}" + ("." if i % 13 == 12 else "") for i in range(40_000))
    al = align(words, words.replace("word5 ", "WORD5 "))
    layout = layout_rows(al)
    assert len(layout) > 100
    sizes = [layout.a[k + 1] - layout.a[k] for k in range(len(layout))]
    assert max(sizes) <= 2_000
    page = rows_of(al, layout=layout)
    assert page.pane("a") == al.a_text and page.pane("b") == al.b_text


def test_unrelated_texts_become_rows_of_one_huge_difference():
    a = " ".join(f"alpha{i}" for i in range(3000))
    b = " ".join(f"beta{i}" for i in range(3000))
    al = align(a, b)
    layout = layout_rows(al)
    assert len(al.hunks) == 1 and len(layout) > 5
    page = rows_of(al, layout=layout)
    assert page.pane("a") == a and page.pane("b") == b
    assert {el["data-hunk"] for el in page.highlights} == {"0"}


def test_both_texts_empty_and_whitespace_only():
    for a, b in (("", ""), ("  \n ", " "), ("", "only here"), ("only here", "")):
        al = align(a, b)
        page = rows_of(al)
        assert page.pane("a") == a and page.pane("b") == b


# --- escaping -----------------------------------------------------------------------------------

ALLOWED_TAGS = {"div", "span", "br"}
ALLOWED_ATTRS = {"class", "data-kind", "data-hunk", "aria-current", "title", "data-side",
                 "data-span", "dir", "data-row", "data-line", "data-note", "data-cc", "id",
                 "data-rows", "data-start", "data-stop", "data-dir", "data-type",
                 "data-source-of", "data-source"}


def test_hostile_text_and_names_come_out_escaped():
    a = f"Intro {HOSTILE} outro\nsecond <i>line</i>"
    b = f"Intro {HOSTILE.replace('bold', 'BOLD')} outro <p>added</p> second <i>line</i>"
    al = align(a, b)
    assert al.hunks
    markup = render_rows(al, names=(HOSTILE, "x\"><script>alert(5)</script>"),
                         selected=0)
    for bad in ("<script", "<img", "<svg", "<style", "</style", "<b ", "<a ", "<p>", "<i>",
                "<!--"):
        assert bad not in markup.lower()
    page = Page(markup)
    assert {tag for tag, _ in page.elements} <= ALLOWED_TAGS
    assert {k for _, attrs in page.elements for k in attrs} <= ALLOWED_ATTRS
    assert page.pane("a") == a and page.pane("b") == b
    # attribute-breaking quotes never open an attribute of their own
    assert not re.search(r"<[^>]*\son\w+=", markup)


def test_report_and_detail_escape_text():
    a = f"Start {HOSTILE} the Turks here.\nThe Turks again."
    b = f"Start {HOSTILE} the Turks here.\nthe Turks the Turks again."
    al = align(a, b)
    report = render_report(al, {"path": "<img src=x onerror=alert(1)>.txt", "encoding": "utf-8"},
                           {"path": "b\"'.txt", "encoding": "utf-8"})
    body = report.split("</style>", 1)[1]
    assert "<script" not in body.lower() and "<img" not in body.lower()
    assert "<svg" not in body.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in body
    for h in al.hunks:
        assert "<script" not in render_char_diff(al, h).lower()
        for place in source_places(al, layout_rows(al), h.id):
            assert "<script" not in render_source_place(place).lower()
    evil = align("q plain words z", "q </style><img src=x onerror=alert(1)> z")
    diff = "".join(render_char_diff(evil, h) for h in evil.hunks)
    assert "<script" not in diff and "<img" not in diff and "</style" not in diff
    assert "&lt;" in diff


def test_invisible_and_reordering_characters_are_made_visible():
    a = "abc \u202egnirts\u202c def \u200b ghi \ue000 \U0001F468\u200d\U0001F469 x\r\ny\rz"
    al = align(a, a + " tail")
    markup = render_rows(al)
    assert 'data-cc="RLO"' in markup and 'data-cc="PDF"' in markup
    assert 'data-cc="ZWSP"' in markup and 'data-cc="U+E000"' in markup
    assert 'data-cc="ZWJ"' not in markup  # inside an emoji sequence it is left alone
    assert "\r" not in markup and "&#13;" in markup
    page = Page(markup)
    assert page.pane("a") == a


# --- the property -------------------------------------------------------------------------------

PIECES = st.sampled_from([
    "the", "The", "Turks", "cease-fire", "Turkey’s", "’s", "“", '"', ".", ",", " ", "   ",
    "\n", "\r\n", "\r", "\t", "<", ">", "&", "&amp;", "'", "</style>", "<script>", "\u202e",
    "\u200b", "\u200d", "\ue000", "e\u0301", "\U0001F468\u200d\U0001F469", "عربي", "שלום",
    "\u00ad", "ﬁ", "x" * 30,
])
TEXTS = st.one_of(
    st.lists(PIECES, max_size=40).map("".join),
    st.text(max_size=60),
)


@settings(max_examples=250, deadline=None)
@given(TEXTS, TEXTS)
def test_pane_text_content_equals_source_text(a, b):
    al = align(a, b)
    layout = layout_rows(al)
    page = rows_of(al, layout=layout, selected=0 if al.hunks else None)
    assert page.pane("a") == a
    assert page.pane("b") == b
    assert {tag for tag, _ in page.elements} <= ALLOWED_TAGS
    # rows tile both texts and every difference is drawn in rows that exist
    n = len(layout)
    assert list(layout.a)[0] == 0 and layout.a[n] == len(a) and layout.b[n] == len(b)
    assert all(layout.a[k] <= layout.a[k + 1] and layout.b[k] <= layout.b[k + 1]
               for k in range(n))
    for h in al.hunks:
        assert 0 <= layout.hunk_first[h.id] <= layout.hunk_last[h.id] < n


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=60).map("".join),
       st.lists(PIECES, min_size=1, max_size=60).map("".join), st.integers(0, 50), st.booleans())
def test_any_window_shows_exactly_its_slice(a, b, row, folds):
    al = align(a, b)
    layout = layout_rows(al)
    start, stop = window(layout, row, max_rows=4)
    out = render_rows(al, layout, start, stop, folds=folds)
    page = Page(out)
    assert page.pane("a") == a[layout.a[start]:layout.a[stop]]
    assert page.pane("b") == b[layout.b[start]:layout.b[stop]]
    assert {tag for tag, _ in page.elements} <= ALLOWED_TAGS | {"details", "summary"}
    # folded: exactly the rows in which no difference is drawn (the slow way: every hunk)
    folded = {r for _, rows in _folds(out) for r in rows}
    drawn = {k for h in al.hunks
             for k in range(layout.hunk_first[h.id], layout.hunk_last[h.id] + 1)}
    assert folded == (set(range(start, stop)) - drawn if folds else set())


# --- detail panel pieces ------------------------------------------------------------------------


def test_char_diff_marks_the_changed_letters():
    al = align("one tbe two", "one the two")
    (h,) = al.hunks
    out = render_char_diff(al, h)
    assert "<del>b</del>" in out and "<ins>h</ins>" in out
    al = align("q script z", "q /style z")
    out = render_char_diff(al, al.hunks[0])
    assert "</del><del>" not in out and "</ins><ins>" not in out  # neighbours merged


# --- types, letters and sources in the rows ------------------------------------------------------


def test_every_highlight_carries_its_type_and_says_it_on_hover(example):
    page_ = rows_of(example)
    for el in page_.highlights:
        hid = int(el["data-hunk"])
        assert el["data-type"] == example.types[hid] in TYPES
        assert f"difference {hid + 1} of" in el["title"]
    al = align("the FUND grew.", "the fund grew")
    el = rows_of(al).highlights[0]
    assert el["data-type"] == "case" and el["title"].startswith("Substituted · Case: same letters")


def test_quiet_types_are_drawn_quieter_and_filtered_types_fade():
    from viewer.render import VIEW_CSS

    for t in QUIET_TYPES:
        assert f'.cv-h[data-type="{t}"]{{background-image:' in VIEW_CSS
    assert '.cv-h[data-type="word"]{' not in VIEW_CSS
    assert '.cv-dimt-case [data-type="case"]{opacity:.38}' in VIEW_CSS
    al = align("the FUND grew.", "the fund grew")
    out = render_rows(al, dim_types=["case", "nonsense"])
    assert 'class="cv-view cv-dimt-case"' in out


def test_the_letters_that_differ_are_marked_inside_the_box():
    al = align("one tbe two", "one the two")
    out = render_rows(al)
    assert '>t<span class="cv-ch">b</span>e</span>' in out
    assert '>t<span class="cv-ch">h</span>e</span>' in out
    assert "cv-ch" not in render_rows(al, letters=False)
    page_ = rows_of(al)
    assert [el["text"] for el in page_.highlights] == ["tbe", "the"]  # still one box each


def _grapheme_bounds(text: str) -> set[int]:
    import regex

    return {0, *(m.end() for m in regex.finditer(r"\X", text, flags=regex.DOTALL))}


@pytest.mark.parametrize(("a", "b"), [
    ("a cafe\u0301 b", "a cafe b"),  # e + combining acute: one cluster
    ("x \U0001F1EB\U0001F1F7 y", "x \U0001F1EB\U0001F1EA y"),  # flags: two code points each
    ("x \U0001F469\u200d\U0001F4BB y", "x \U0001F469\u200d\U0001F52C y"),  # ZWJ sequences
    ("x \u0915\u094d\u0937 y", "x \u0915\u094d\u0937\u093e y"),  # Devanagari conjunct
])
def test_letter_marks_never_cut_a_grapheme_cluster(a, b):
    al = align(a, b)
    (h,) = [h for h in al.hunks if h.kind == SUBSTITUTED]
    a_ranges, b_ranges = changed_letters(al, h)
    assert a_ranges or b_ranges
    for text, ranges in ((a, a_ranges), (b, b_ranges)):
        bounds = _grapheme_bounds(text)
        assert all(s in bounds and e in bounds and s < e for s, e in ranges)
    page_ = rows_of(al)
    assert page_.pane("a") == a and page_.pane("b") == b


def test_letters_are_marked_only_where_a_few_differ():
    from viewer.render.letters import marked_letters

    al = align("one tbe two declined three", "one the two Islamic three")
    spelling, swap = al.hunks
    assert marked_letters(al, spelling) == changed_letters(al, spelling) == ([(5, 6)], [(5, 6)])
    assert changed_letters(al, swap) and marked_letters(al, swap) is None  # a word swap
    assert render_rows(al).count('class="cv-ch"') == 2


def test_letters_only_in_substitutions():
    missing = align("one two three", "one three")
    assert changed_letters(missing, missing.hunks[0]) is None


def test_letter_marks_use_the_alignments_own_ranges_when_it_has_them():
    al = align("one tbe two", "one the two")
    (h,) = al.hunks

    class WithLetters:
        def __getattr__(self, name):
            return getattr(al, name)

        def changed_letters(self, hunk):
            return [[4, 5]], [[4, 7]]  # "t" and "the": the aligner's word, not ours

    assert changed_letters(WithLetters(), h) == ([(4, 5)], [(4, 7)])


def test_the_selected_copys_sources_are_outlined_in_the_original():
    a = "Officials in the Kremlin said so. The army will help."
    al = align(a, "Officials in the Kremlin said so. The army the Kremlin will help.")
    (h,) = al.hunks
    out = render_rows(al, selected=h.id, sources=source_marks(al, h.id))
    page_ = Page(out)
    outlined = [attrs for tag, attrs in page_.elements if "data-source-of" in attrs]
    assert outlined == [{"class": "cv-source", "data-source-of": "0", "data-source": "0"}]
    assert '<span class="cv-source" data-source-of="0" data-source="0">the Kremlin</span>' in out
    assert page_.pane("a") == a and page_.pane("b") == al.b_text


@settings(max_examples=150, deadline=None)
@given(TEXTS, TEXTS)
def test_letters_and_sources_keep_each_pane_exactly_its_text(a, b):
    al = align(a, b)
    marks = [m for h in al.hunks for m in source_marks(al, h.id)]
    page_ = rows_of(al, selected=0 if al.hunks else None, sources=marks)
    assert page_.pane("a") == a and page_.pane("b") == b
    assert {tag for tag, _ in page_.elements} <= ALLOWED_TAGS


def test_new_renderers_escape_text():
    al = align(f"x {HOSTILE} Kremlin says. end", f"x {HOSTILE} Kremlin says. Kremlin says end")
    out = render_rows(al, sources=[m for h in al.hunks for m in source_marks(al, h.id)])
    assert "<script" not in out.lower() and "<img" not in out.lower()
    hostile = align("a <b>x</b> c", "a <i>y</i> c")  # letters marked inside markup-like text
    page_ = rows_of(hostile)
    assert {tag for tag, _ in page_.elements} <= ALLOWED_TAGS
    assert page_.pane("b") == "a <i>y</i> c" and "&lt;" in render_rows(hostile)
    layout = layout_rows(al)
    for h in al.hunks:
        for place in source_places(al, layout, h.id):
            assert "<script" not in render_source_place(place).lower()
    from viewer.page_data import SourcePlace

    place = SourcePlace(0, 5, 1, 0, "<b>", "<script>", "</div>")
    out = render_source_place(place, first=True)
    assert "<script>" not in out and "&lt;script&gt;" in out and "Copied from" in out
    assert page.type_line("case") == ('<div class="cv-type" data-type="case"><b>Case</b> · '
                                      "same letters, other case</div>")


def test_the_legend_explains_each_type():
    legend = render_legend(type_counts={"case": 2, "copy": 5})
    assert 'data-type="case"' in legend and "same letters, other case (2)" in legend
    assert "text copied from elsewhere in the original (5)" in legend
    assert 'data-type="word"' not in legend  # absent types are left out
    assert all(f'data-type="{t}"' in render_legend() for t in TYPES)
    assert "data-hunk" not in legend


def test_report_links_copies_to_their_sources_and_moves_to_their_partner():
    a = "Officials in the Kremlin said so. The army will help."
    al = align(a, "Officials in the Kremlin said so. The army the Kremlin will help.")
    out = render_report(al)
    (s, e), = al.provenance[0].sources
    assert f'<span class="cv-source" id="s{s}">the Kremlin</span>' in out
    assert f'<a href="#s{s}">line 1</a>' in out and "<th>Type</th>" in out
    moved = "Nobody in the capital expected the vote to pass at all today."
    al = align(f"{moved} The army will help. The navy stays home.",
               f"The army will help. The navy stays home. {moved}")
    out = render_report(al)
    # the shorter text is the one that moved: the missing "The army…" (#2) went to #1
    assert al.provenance[1].moved_to == 0
    assert 'moved to <a href="#d1">#1</a>' in out and 'moved from <a href="#d2">#2</a>' in out
    assert 'id="d1"' in out and 'id="d2"' in out


def test_report_is_standalone(example):
    report = render_report(example, {"path": "a.txt", "encoding": "utf-8"},
                           {"path": "b.txt", "encoding": "utf-8"})
    assert report.startswith("<!DOCTYPE html>")
    assert "<script" not in report and "<link" not in report
    assert not re.search(r"(src|href)=\"(?!#)", report)
    assert "@import" not in report and "url(" not in report
    for h in example.hunks:
        assert f'id="d{h.id + 1}"' in report and f'href="#d{h.id + 1}"' in report
    body = report.split("<body>", 1)[1]
    page = Page(body)
    assert page.pane("a") == example.a_text and page.pane("b") == example.b_text
    assert html.unescape("a.txt") in body


# --- colours: one home (viewer/kinds.py) --------------------------------------------------------


def test_every_stylesheet_takes_the_kinds_colours_from_one_table():
    from viewer.render import DETAIL_CSS, PAGE_CSS, REPORT_CSS, VIEW_CSS

    # the literal colours of viewer/kinds.py, reaching every stylesheet as variables
    for css in (VIEW_CSS, DETAIL_CSS, PAGE_CSS):
        assert "--cv-missing:#D55E00" in css and "--cv-substituted-ink:#9C4A77" in css
        assert "--cv-inserted-bg:rgba(0,114,178,.14)" in css
    assert ".cv-badge.substituted{background:var(--cv-substituted-ink)}" in PAGE_CSS
    assert '.cv-h[data-kind="missing"]{background:var(--cv-missing-bg)}' in VIEW_CSS
    # no kind colour written out anywhere else in a rule
    for css in (VIEW_CSS, DETAIL_CSS, PAGE_CSS, REPORT_CSS):
        rules = re.sub(r"--cv-[a-z-]+:[^;}]+[;}]", "", css)
        for colour in ("#D55E00", "#CC79A7", "#0072B2", "#9C4A77", "#B34E00", "#A8507F",
                       "213,94,0", "204,121,167", "0,114,178"):
            assert colour.lower() not in rules.lower()


def test_legend_text_comes_from_the_kinds_table():
    legend = render_legend()
    for words in ("only in the original", "changed on both sides", "only in the corrupted text"):
        assert words in legend


# --- the notebook display ------------------------------------------------------------------------


def test_notebook_display_is_escaped_coloured_and_complete_for_a_short_pair():
    a = 'keep <script>alert("a")</script> this & that'
    b = 'keep <script>alert("b")</script> these & that'
    out = render_notebook(align(a, b))
    assert "<script" not in out.replace("&lt;script", "")
    assert "&lt;script&gt;" in out
    assert "--cv-substituted:#CC79A7" in out and "<style>" in out
    page = Page(out)
    assert page.pane("a") == a and page.pane("b") == b
    assert sum(1 for tag, attrs in page.elements if attrs.get("class") == "cv-row") == 1
    assert "are shown" not in out  # nothing left out, no note


def test_jupyter_shows_an_alignment_as_the_notebook_display():
    al = align("a <b>bold</b> claim", "a <i>weak</i> claim")
    assert al._repr_html_() == render_notebook(al)


def test_notebook_display_of_a_long_pair_is_a_window_with_a_note():
    a = "\n".join(f"line {i} stays." for i in range(600))
    b = a.replace("line 5 ", "LINE 5 ")
    out = render_notebook(align(a, b), max_rows=50)
    rows = sum(1 for tag, attrs in Page(out).elements if attrs.get("class") == "cv-row")
    assert rows == 50
    assert "Rows 1–50 of 600 are shown" in out


# --- plain-text quotes ----------------------------------------------------------------------------


def test_shorten_keeps_short_text_and_cuts_long_text_to_the_limit():
    assert shorten("two\r\nlines\rand\nmore") == "two ⏎ lines ⏎ and ⏎ more"
    assert shorten("abcdef", 4) == "abc…" and len(shorten("x" * 500, 160)) == 160
    assert shorten("a\nb", 10, line_breaks=None) == "a\nb"
    assert shorten("bell\x07 rlo\u202e", controls=True) == "bell\\u0007 rlo\\u202e"


# --- changed paragraphs only: unchanged rows folded ---------------------------------------------


class Folds(HTMLParser):
    """Each fold's line and the rows inside it (``data-row``), from the nesting of the HTML."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.folds: list[tuple[str, list[int]]] = []
        self._depth, self._fold_depth, self._in_summary = 0, None, False
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            self._depth += 1
            if attrs.get("class") == "cv-fold":
                self._fold_depth = self._depth
                self.folds.append(("", []))
            elif "data-row" in attrs and self._fold_depth is not None:
                self.folds[-1][1].append(int(attrs["data-row"]))
        self._in_summary = tag == "summary"

    def handle_endtag(self, tag):
        if tag == "div":
            if self._depth == self._fold_depth:
                self._fold_depth = None
            self._depth -= 1
        if tag == "summary":
            self._in_summary = False

    def handle_data(self, data):
        if self._in_summary:
            self.folds[-1] = (self.folds[-1][0] + data, self.folds[-1][1])


def _folds(markup: str) -> list[tuple[str, list[int]]]:
    return Folds(markup).folds


def test_unchanged_rows_fold_into_one_line_each_run_and_differences_never():
    a = "\n".join(f"line {i} here" for i in range(1, 11))
    b = a.replace("line 3 ", "LINE 3 ").replace("line 8 here", "line 8 there")
    al = align(a, b)
    out = render_rows(al, folds=True)
    assert _folds(out) == [("⋯ 2 unchanged rows · lines 1–2", [0, 1]),
                           ("⋯ 4 unchanged rows · lines 4–7", [3, 4, 5, 6]),
                           ("⋯ 2 unchanged rows · lines 9–10", [8, 9])]
    page_ = Page(out)
    # nothing is lost: both panes are still exactly their texts, every row has both cells
    assert page_.pane("a") == a and page_.pane("b") == b
    assert [s for s, _ in page_.cells] == ["a", "b"] * 10
    assert {h["data-hunk"] for h in page_.highlights} == {"0", "1"}
    # without folds the rows are as before
    assert "cv-fold" not in render_rows(al) and render_rows(al).count('class="cv-row"') == 10


def test_a_single_unchanged_row_is_one_row_and_a_window_folds_only_its_own_rows():
    a = "\n".join(f"line {i} here" for i in range(1, 7))
    al = align(a, a.replace("line 2 ", "LINE 2 ").replace("line 4 ", "LINE 4 "))
    layout = layout_rows(al)
    out = render_rows(al, layout, 2, 6, folds=True)
    assert 'data-start="2" data-stop="6"' in out
    assert _folds(out) == [("⋯ 1 unchanged row · line 3", [2]),
                           ("⋯ 2 unchanged rows · lines 5–6", [4, 5])]


def test_a_row_holding_the_selected_copys_source_stays_open():
    a = "\n".join(["Paris is nice.", "Nothing here.", "We met in London."])
    b = "\n".join(["Paris is nice.", "Nothing here.", "We met in Paris."])
    al = align(a, b)
    marks = source_marks(al, 0)
    assert marks and marks[0][0] == 0  # the copy came from row 0
    out = render_rows(al, folds=True, selected=0, sources=marks)
    assert [rows for _, rows in _folds(out)] == [[1]]


def test_fold_lines_say_only_numbers():
    al = align(HOSTILE + "\nsame\nsame", HOSTILE + "\nsame\nother")
    out = render_rows(al, folds=True, names=(HOSTILE, HOSTILE))
    (line, _), = _folds(out)
    assert line == "⋯ 2 unchanged rows · lines 1–2"
    assert "<script>" not in out
