"""The whole pipeline on arbitrary input: bytes -> decode -> align -> render, and the exports.

Whatever the text (any Unicode, bidi controls, zero-width and private-use characters, combining
marks, emoji sequences, markup) and whatever the encoding it arrives in: nothing raises, the
hunks tile both texts, and the rendered panes' text content is exactly the decoded text.
"""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_render import ALLOWED_TAGS, Page
from viewer.align import align
from viewer.export import to_csv, to_json
from viewer.layout import layout_rows
from viewer.loading import InputError, decode_bytes
from viewer.render import render_report, render_rows

SPECIAL = st.sampled_from([
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u200b", "\u200c", "\u200d", "\ufeff",
    "\ue000", "\U000f0000", "e\u0301", "\u0628\u064e", "\U0001F469\u200d\U0001F4BB", "🇫🇷",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</style>", '"', "'", "&amp;",
    "\r\n", "\r", "\n", "   ", "\t", "שלום", "مرحبا", "ſ", "ﬁ", "’", "“", "—",
])
TEXT = st.lists(st.one_of(SPECIAL, st.text(min_size=1, max_size=8)), max_size=30).map("".join)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"])


def decode(text: str, encoding: str):
    data = text.encode(encoding)
    try:
        return decode_bytes(data, "x.txt").text
    except InputError:
        # refused only when there is nothing to show or it really is not text
        assert text.strip("\ufeff") == "" or "\x00" in text or _mostly_control(text)
        return None


def _mostly_control(text: str) -> bool:
    """Any control character: the loader refuses text that is more than 10 % control
    characters (such text is binary), and these short texts often are."""
    return any(unicodedata.category(c) == "Cc" and c not in "\t\r\n\f" for c in text)


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT, ENCODINGS, ENCODINGS)
def test_bytes_to_page_never_raises_and_shows_the_text_exactly(a, b, enc_a, enc_b):
    a_text, b_text = decode(a, enc_a), decode(b, enc_b)
    if a_text is None or b_text is None:
        return
    assert a_text in (a, a.removeprefix("\ufeff"))
    al = align(a_text, b_text)
    i = j = 0
    for h in al.hunks:  # tiled, in order
        assert h.ta[0] >= i and h.tb[0] >= j
        i, j = h.ta[1], h.tb[1]
    layout = layout_rows(al)
    page = Page(render_rows(al, layout=layout, selected=0 if al.hunks else None))
    assert page.pane("a") == a_text and page.pane("b") == b_text
    assert {tag for tag, _ in page.elements} <= ALLOWED_TAGS
    sides = {"path": "a", "encoding": enc_a}, {"path": "b", "encoding": enc_b}
    doc = json.loads(to_json(al, *sides))
    for rec in doc["hunks"]:
        assert a_text[rec["a"][0]:rec["a"][1]] == rec["a_text"]
        assert b_text[rec["b"][0]:rec["b"][1]] == rec["b_text"]
    to_csv(al)
    report = render_report(al)
    assert "<script" not in report.lower().replace("&lt;script", "")


def test_crlf_and_lf_versions_give_the_same_page_text():
    a = "first line\r\nsecond <b>line</b>\r\nthird"
    b = "first  line\nsecond <b>lane</b>\rthird"
    al = align(a, b)
    assert [al.hunk_texts(h) for h in al.hunks] == [("line", "lane")]
    page = Page(render_rows(al, layout=layout_rows(al)))
    assert page.pane("a") == a and page.pane("b") == b
