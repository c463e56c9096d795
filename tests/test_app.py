"""The page logic, driven by Streamlit's AppTest: default pair, navigation and the URL, the kind
filter, uploads (good, bad, hostile), paste, swap and options."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from viewer import navigation
from viewer.align import INSERTED, align

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SEEDS = ROOT / "seeds"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
HOSTILE = ('Intro <script>alert("x")</script> <img src=x onerror=alert(1)> '
           "<b onmouseover='alert(2)'>bold</b> </style> **not bold** [link](javascript:alert(3))")


@pytest.fixture(scope="module")
def example():
    a = (SEEDS / "000_a77c86db7b5a1f59.txt").read_text(encoding="utf-8")
    b = (SEEDS / "001_39dbf1e82cca5920.txt").read_text(encoding="utf-8")
    return align(a, b)


def start(**query) -> AppTest:
    # a wait for the script run, not a speed bound: a busy machine is slow, not broken
    at = AppTest.from_file(APP, default_timeout=600)
    at.query_params.update(query)
    at.run()
    # the first run draws the view alone; in a browser its ready event brings the rest, here
    # the next run does
    at.run()
    assert not at.exception, at.exception
    return at


def view_data(at: AppTest) -> dict:
    """The data the page sends to the view component (public AppTest API: ``at.get`` by the
    element's type, its proto fields read as attributes), with the rows it holds: the page sends
    them only when they change, so when this run did not, the page is asked for them again (what
    the component does when it is mounted anew)."""
    data = json.loads(view_element(at).json)
    if data["html"] is None:
        at.session_state["_view_sent"] = None
        at.run()
        data = json.loads(view_element(at).json)
    return data


def view_element(at: AppTest):
    """The view component (the page has one more: the one that scrolls the list)."""
    (el,) = [el for el in at.get("bidi_component") if el.component_name == "corruption_viewer"]
    return el


def shown_ids(at: AppTest) -> np.ndarray:
    """The differences the view moves among (all, or those the filters show)."""
    data = view_data(at)
    return np.array(data["ids"] if data["ids"] is not None else range(data["total"]), dtype=int)


def can_step(at: AppTest, direction: int) -> bool:
    """Whether the view's Next (+1) or Previous (-1) is enabled."""
    return navigation.step(shown_ids(at), view_data(at)["selected"], direction) is not None


def step(at: AppTest, direction: int) -> AppTest:
    """The view's Next (+1) or Previous (-1): the component picks the target among the shown
    differences and tells the page (``session.view_selected``, tested over plain dicts in
    tests/test_session.py); here the target is set as the page's selection."""
    target = navigation.step(shown_ids(at), view_data(at)["selected"], direction)
    assert target is not None
    at.session_state["selected"] = target
    at.run()
    assert not at.exception, at.exception
    return at


def html_bodies(at: AppTest) -> list[str]:
    return [el.value for el in at.html]


def text_blocks(at: AppTest) -> list[str]:
    """The detail panel's texts, as shown (tags stripped, entities unescaped)."""
    import html as html_module

    return [html_module.unescape(re.sub(r"<[^>]+>", "", m))
            for body in html_bodies(at)
            for m in re.findall(r'<div class="cv-textblock">(.*?)</div>', body, re.S)]


def counter(at: AppTest) -> tuple[int, int]:
    """The view's counter: the selection's place among the shown differences, and how many."""
    data = view_data(at)
    return navigation.position(shown_ids(at), data["selected"]), len(shown_ids(at))


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def upload(at: AppTest, index: int, name: str, data: bytes) -> AppTest:
    at.file_uploader[index].set_value((name, data, "text/plain"))
    at.run()
    assert not at.exception, at.exception
    return at


# --- the default page ---------------------------------------------------------------------------


def test_opens_on_the_example_pair_with_metrics(example):
    at = start()
    assert not at.error
    assert metric(at, "Original tokens") == f"{len(example.a):,}"
    assert metric(at, "Corrupted tokens") == f"{len(example.b):,}"
    assert metric(at, "Inserted") == str(sum(h.kind == INSERTED for h in example.hunks))
    assert {m.label for m in at.metric} >= {"Matched", "Missing", "Substituted",
                                            "Corruption rate"}
    assert counter(at) == (1, len(example.hunks))
    data = view_data(at)
    assert data["selected"] == 0
    assert data["selected"] == 0
    assert at.query_params["diff"] == ["1"] or at.query_params["diff"] == "1"
    # the first two file inputs are the original and the corrupted upload
    assert [u.label for u in at.file_uploader] == ["Original", "Corrupted"]
    assert [b.label for b in at.get("download_button")] == [
        "Differences (CSV)", "Differences (JSON)", "Side-by-side report (HTML)"]
    # encodings and names of both documents are shown
    docs = [b for b in html_bodies(at) if 'class="cv-doc"' in b]
    assert "000_a77c86db7b5a1f59.txt" in docs[0] and "utf-8" in docs[0]


def _param(at: AppTest, name: str):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_next_and_previous_move_the_selection_and_the_url(example):
    at = start()
    assert not can_step(at, -1)
    step(at, 1)
    assert at.session_state.selected == 1
    assert _param(at, "diff") == "2"
    assert counter(at)[0] == 2
    assert view_data(at)["selected"] == 1
    step(at, 1)
    step(at, -1)
    assert at.session_state.selected == 1 and _param(at, "diff") == "2"
    # the detail panel follows
    a_txt, b_txt = example.hunk_texts(example.hunks[1])
    assert text_blocks(at) == [t for t in (a_txt, b_txt) if t]


def test_a_link_reopens_the_same_difference(example):
    at = start(diff="5")
    assert at.session_state.selected == 4
    assert counter(at)[0] == 5
    assert view_data(at)["selected"] == 4
    for bad in ("0", "-3", "abc", "99999"):
        at = start(diff=bad)
        assert 0 <= at.session_state.selected < len(example.hunks)


def test_last_difference_disables_next(example):
    n = len(example.hunks)
    at = start(diff=str(n))
    assert at.session_state.selected == n - 1
    assert not can_step(at, 1) and can_step(at, -1)


def test_filter_by_kind(example):
    inserted = [h.id for h in example.hunks if h.kind == INSERTED]
    at = start()
    at.pills[0].set_value([INSERTED]).run()
    assert not at.exception
    assert at.session_state.selected == inserted[0]
    assert counter(at) == (1, len(inserted))
    step(at, 1)
    assert at.session_state.selected == inserted[1]
    assert counter(at) == (2, len(inserted))
    html = view_data(at)["html"]
    assert "cv-dim-missing" in html and "cv-dim-substituted" in html
    assert "cv-dim-inserted" not in html
    assert [h for h in at.dataframe[0].value["kind"]] == [INSERTED] * len(inserted)


# --- new pairs ----------------------------------------------------------------------------------


def test_upload_both_sides_then_swap():
    at = start()
    upload(at, 0, "orig.txt", b"alpha beta gamma delta epsilon")
    assert not at.metric  # over the example, the original waits for its corrupted text
    upload(at, 1, "corr.txt", b"alpha BETA gamma epsilon zeta eta")
    assert metric(at, "Original tokens") == "5" and metric(at, "Corrupted tokens") == "6"
    assert not at.error
    assert counter(at) == (1, 3)
    assert at.session_state.selected == 0 and _param(at, "diff") == "1"
    docs = [b for b in html_bodies(at) if 'class="cv-doc"' in b]
    assert "orig.txt" in docs[0] and "corr.txt" in docs[1]
    at.button(key="swap").click().run()
    assert metric(at, "Original tokens") == "6" and metric(at, "Corrupted tokens") == "5"
    docs = [b for b in html_bodies(at) if 'class="cv-doc"' in b]
    assert "corr.txt" in docs[0] and "orig.txt" in docs[1]
    at.button(key="example").click().run()
    assert metric(at, "Original tokens") != "6"


def test_detected_encodings_are_shown():
    at = start()
    upload(at, 0, "latin.txt", "café naïve déjà vu".encode("latin-1"))
    upload(at, 1, "utf16.txt", codecs.BOM_UTF16_LE + "café naïve deja vu".encode("utf-16-le"))
    docs = [b for b in html_bodies(at) if 'class="cv-doc"' in b]
    assert "latin-1" in docs[0] and "utf-16-le" in docs[1]
    assert not at.error
    assert counter(at)[1] == 1  # déjà -> deja


@pytest.mark.parametrize("name,data,words", [
    ("picture.png", PNG, "binary"),
    ("empty.txt", b"", "empty"),
    ("nul.bin", b"\x00\x01\x02\x03" * 50, "binary"),
])
def test_a_bad_upload_shows_an_error_and_keeps_the_pair(example, name, data, words):
    at = start()
    step(at, 1)
    before = [m.value for m in at.metric]
    upload(at, 0, name, data)
    assert len(at.error) == 1
    message = at.error[0].value
    assert words in message and name.split(".")[0] in message
    assert "Traceback" not in message
    assert [m.value for m in at.metric] == before
    assert at.session_state.selected == 1  # nothing moved
    # a good upload afterwards clears the error
    upload(at, 0, "fine.txt", b"some fine text")
    assert not at.error


def test_hostile_text_is_shown_escaped_and_never_as_markdown():
    at = start()
    name = "<img src=x onerror=alert(1)>.txt"
    upload(at, 0, name, HOSTILE.encode())
    upload(at, 1, "b.txt", (HOSTILE + " <svg onload=alert(4)> tail").encode())
    html = view_data(at)["html"]
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    for body in html_bodies(at):
        assert "<script" not in body.lower() and "<img" not in body.lower()
        assert "<svg" not in body.lower()
    # document text never goes through markdown
    for md in list(at.markdown) + list(at.caption) + list(at.error) + list(at.info):
        assert "alert" not in md.value and "onerror" not in md.value
    # the exact text is still shown, escaped
    assert any("<svg onload=alert(4)>" in t for t in text_blocks(at))


def test_hostile_file_name_in_an_error_is_literal():
    at = start()
    upload(at, 0, "**bold** [x](javascript:alert(1)) <b>.png", PNG)
    (error,) = at.error
    assert "\\*\\*bold\\*\\*" in error.value and "\\[x\\]" in error.value


def test_paste_text_instead():
    at = start()
    at.text_area(key="paste_a").input("one two three four").run()
    at.text_area(key="paste_b").input("one 2 three four five").run()
    at.button(key="use_paste").click().run()
    assert not at.exception and not at.error
    assert metric(at, "Original tokens") == "4" and metric(at, "Corrupted tokens") == "5"
    docs = [b for b in html_bodies(at) if 'class="cv-doc"' in b]
    assert "pasted original" in docs[0] and "text" in docs[0]


def test_paste_nothing_is_an_error():
    at = start()
    at.button(key="use_paste").click().run()
    assert len(at.error) == 1 and metric(at, "Original tokens") != "0"


def test_ignore_case_and_the_no_differences_state():
    at = start()
    upload(at, 0, "a.txt", b"Hello World again")
    upload(at, 1, "b.txt", b"hello world again")
    k, n = counter(at)
    assert k == 1 and n >= 1
    at.checkbox(key="ignore_case").check().run()
    assert not at.exception
    assert counter(at) == (0, 0)
    assert at.session_state.selected is None
    assert "diff" not in at.query_params
    assert any("No differences" in i.value for i in at.info)
    assert not can_step(at, 1) and not can_step(at, -1)
    at.checkbox(key="ignore_case").uncheck().run()
    assert counter(at) == (1, n)


def test_strict_typography_counts_quote_style():
    at = start()
    upload(at, 0, "a.txt", "He said “yes” and it’s fine".encode())
    upload(at, 1, "b.txt", b"He said \"yes\" and it's fine")
    assert counter(at)[1] == 0
    at.checkbox(key="strict_typography").check().run()
    assert counter(at)[1] >= 2


def test_reruns_do_no_alignment_work(monkeypatch):
    at = start()
    import importlib

    # the module, not ``viewer.align`` (the package attribute is the API function)
    align_module = importlib.import_module("viewer.align")

    def fail(*args, **kwargs):
        raise AssertionError("aligned again on a rerun")

    monkeypatch.setattr(align_module, "align", fail)
    monkeypatch.setattr(align_module, "align_tokens", fail)
    step(at, 1)
    at.pills[0].set_value(["missing"]).run()
    step(at, 1)
    assert not at.exception
    assert at.session_state.selected > 1


@pytest.mark.parametrize("a,b", [
    (b"   \n\t  ", b" "),  # whitespace only
    (b"one two three\r\nfour five six\r\n", b"one two 3\nfour five six\n"),  # CRLF vs LF
    (b"x" * 200_000 + b" tail", b"y" * 200_000 + b" tail"),  # one 200,000-character token
    (" ".join(f"alpha{i}" for i in range(5000)).encode(),
     " ".join(f"beta{i}" for i in range(5000)).encode()),  # nothing in common
])
def test_unusual_pairs_render_without_errors(a, b):
    at = start()
    upload(at, 0, "a.txt", a)
    upload(at, 1, "b.txt", b)
    assert not at.error
    data = view_data(at)
    assert 'class="cv-view' in data["html"]
    assert len(data["html"]) < 600_000  # a window, not everything


def test_whitespace_runs_and_crlf_reach_the_view_exactly():
    at = start()
    upload(at, 0, "a.txt", b"line one\r\nline two")
    upload(at, 1, "b.txt", b"line   one\r\nline 2")
    html = view_data(at)["html"]
    assert "&#13;" in html and "\r" not in html
    assert "line   one" in html


@pytest.mark.parametrize("data,encoding", [
    (codecs.BOM_UTF8 + "café “naïve” déjà vu".encode(), "utf-8-sig"),
    ("café “naïve” déjà vu".encode("utf-32"), "utf-32-le"),
    (codecs.BOM_UTF16_BE + "café “naïve” déjà vu".encode("utf-16-be"), "utf-16-be"),
    ("café “naïve” déjà vu — 5 €".encode("cp1252"), "cp1252"),
])
def test_every_supported_encoding_in_the_page(data, encoding):
    at = start()
    upload(at, 0, "a.txt", "café \"naïve\" déjà vu".encode())
    upload(at, 1, "b.txt", data)
    assert not at.error
    docs = [b for b in html_bodies(at) if 'class="cv-doc"' in b]
    assert encoding in docs[1]


def test_a_pair_too_long_for_one_window_stays_windowed_and_navigable():
    # 3,000 lines of 8 words (about 170,000 characters a side): more rows than a window holds
    # (viewer.layout.WINDOW_ROWS) and more text than it carries (WINDOW_CHARS); one word
    # changed every 30 lines. What the million-token pair showed, at a fraction of the cost:
    # the page sends a window of rows, and the window follows the selection.
    from viewer.layout import WINDOW_ROWS

    lines = [" ".join(f"w{i}x{j}" for j in range(8)) for i in range(3000)]
    changed = [line.replace("x3 ", "X3 ") if i % 30 == 0 else line
               for i, line in enumerate(lines)]
    at = start()
    upload(at, 0, "big-a.txt", "\n".join(lines).encode())
    upload(at, 1, "big-b.txt", "\n".join(changed).encode())
    assert not at.error
    assert counter(at)[1] == 100

    def shown_rows(html: str) -> tuple[int, int, int]:
        m = re.search(r'data-rows="(\d+)" data-start="(\d+)" data-stop="(\d+)"', html)
        return tuple(int(x) for x in m.groups())

    html = view_data(at)["html"]
    n_rows, first, stop = shown_rows(html)
    assert n_rows == 3000 and first == 0 and stop - first <= WINDOW_ROWS
    assert html.count('class="cv-row"') == stop - first
    assert 'data-dir="1"' in html  # the "later rows" bar
    step(at, 1)
    assert not at.exception and at.session_state.selected == 1
    # the last difference (line 2,971): the window moves there
    at.session_state.selected = 99
    at.run()
    html = view_data(at)["html"]
    n_rows, first, stop = shown_rows(html)
    assert first <= 2970 < stop and stop - first <= WINDOW_ROWS
    assert view_data(at)["selected"] == 99
    assert not can_step(at, 1)


# --- types, presets, measures and provenance ----------------------------------------------------


def test_types_show_in_the_view_the_list_and_the_detail_panel(example):
    at = start()
    html = view_data(at)["html"]
    assert f'data-type="{example.types[0]}" data-hunk="0"' in html
    assert list(at.dataframe[0].value["type"]) == list(example.types)
    assert any('class="cv-type"' in b for b in html_bodies(at))
    legend = next(b for b in html_bodies(at) if "cv-legend-types" in b)
    assert "text copied from elsewhere in the original" in legend


def test_filter_by_type_moves_and_navigates_among_the_shown_types(example):
    words = [h.id for h in example.hunks if example.types[h.id] == "word"]
    at = start()
    at.pills(key="types").set_value(["word"]).run()
    assert not at.exception
    assert at.session_state.selected == words[0]
    assert counter(at) == (1, len(words))
    step(at, 1)
    assert at.session_state.selected == words[1]
    html = view_data(at)["html"]
    assert "cv-dimt-copy" in html and "cv-dimt-word" not in html
    assert list(at.dataframe[0].value["type"]) == ["word"] * len(words)
    # both filters together
    at.pills(key="kinds").set_value(["inserted"]).run()
    both = [h for h in words if example.hunks[h].kind == INSERTED]
    assert counter(at)[1] == len(both)


def test_metrics_show_wer_and_cer_and_the_presets_order_them():
    at = start()
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["WER", "CER"]
    at.button_group(key="preset").set_value("OCR").run()
    assert not at.exception
    assert [m.label for m in at.metric][:2] == ["CER", "WER"]
    assert at.checkbox(key="strict_typography").value is True
    at.button_group(key="preset").set_value("ASR").run()
    assert at.checkbox(key="ignore_case").value is True
    assert at.checkbox(key="mark_letters").value is False
    assert "cv-ch" not in view_data(at)["html"]


def test_mostly_case_differences_are_pointed_out_with_the_option_offered():
    at = start()
    # three case-only differences and one word
    upload(at, 0, "a.txt", b"a FUND grew and the BANK said it SO today")
    upload(at, 1, "b.txt", b"a fund grew and the bank said it so tomorrow")
    assert any("only in case" in i.value for i in at.info)
    at.button(key="offer_options").click().run()
    assert at.session_state.ignore_case is True
    assert counter(at)[1] == 1  # today -> tomorrow is all that is left
    assert not any("only in case" in i.value for i in at.info)


def test_a_copy_shows_where_it_came_from_and_the_view_goes_there():
    at = start()
    upload(at, 0, "a.txt", b"Officials in the Kremlin said so.\nThe army will help.")
    upload(at, 1, "b.txt", b"Officials in the Kremlin said so.\nThe army the Kremlin will help.")
    assert at.session_state.selected == 0
    # the view outlines the copy's source (the component draws it over the rows it holds)
    start_at = "Officials in the Kremlin".index("the Kremlin")
    assert view_data(at)["sources"] == [[start_at, start_at + len("the Kremlin")]]
    places = [b for b in html_bodies(at) if 'class="cv-src"' in b]
    assert len(places) == 1 and "Copied from" in places[0] and "line 1" in places[0]
    at.button(key="source_0").click().run()
    assert at.session_state.selected == 0  # the selection stays
    assert view_data(at)["focus"]["source"] == 0
    at.button(key="source_back").click().run()
    assert view_data(at)["focus"] is None and at.session_state.selected == 0


def test_a_move_links_to_its_other_half():
    moved = b"Nobody in the capital expected the vote to pass at all today."
    at = start()
    upload(at, 0, "a.txt", moved + b" The army will help. The navy stays home.")
    upload(at, 1, "b.txt", b"The army will help. The navy stays home. " + moved)
    assert at.session_state.selected == 0
    assert any("Moved" in b for b in html_bodies(at))
    at.button(key="move_partner").click().run()
    assert at.session_state.selected == 1
    at.button(key="move_partner").click().run()
    assert at.session_state.selected == 0
