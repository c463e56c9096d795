"""The page's small HTML pieces (viewer.render.page): literal text, every name escaped."""

from __future__ import annotations

from viewer.align import align
from viewer.loading import load_text
from viewer.render import page as pieces

HOSTILE = '<img src=x onerror=alert(1)>&"'
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;&amp;&quot;"


def test_names_in_titles_and_notes_are_escaped():
    a, b = load_text("one", HOSTILE), load_text("two", "b.txt")
    for out in (pieces.pair_title(a, b), pieces.pair_documents_note(a, b),
                pieces.document_line(a), pieces.corpus_title(HOSTILE, 3),
                pieces.corpus_pair_title(HOSTILE, HOSTILE, None),
                pieces.corpus_line(HOSTILE, 2, 0, 10)):
        assert "<img" not in out and ESCAPED in out


def test_titles_and_lines_say_what_is_shown():
    assert "Corpus mode: many pairs at once" in pieces.corpus_title(None, 0)
    assert "<b>c.zip</b> · 1,200 pairs" in pieces.corpus_title("c.zip", 1200)
    assert pieces.corpus_pair_title("p7", "c.zip", (3, 1200)).endswith(
        "pair <b>p7</b> of <b>c.zip</b> · row <b>3</b> of 1,200 in the table</span></div>")
    assert "in the table" not in pieces.corpus_pair_title("p7", "c.zip", None)
    assert pieces.corpus_line("c.zip", 20, 0, 2048) == (
        '<div class="cv-doc"><b>c.zip</b> · 20 pairs · 2,048 bytes</div>')
    assert "· 1 with errors ·" in pieces.corpus_line("c.zip", 20, 1, 2048)
    doc = load_text("héllo", "a.txt")
    assert pieces.document_line(doc).endswith(f"· {doc.size:,} bytes · 5 characters</div>")


def test_pairs_shown_note():
    assert "Showing <b>12</b> of 20 pairs. Click a row" in pieces.pairs_shown_note(12, 20, 100)
    assert "(the first 100 are listed)" in pieces.pairs_shown_note(150, 200, 100)


def test_text_excerpt_cuts_long_text_and_escapes_it():
    block, cut = pieces.text_excerpt("a <b> c")
    assert block == '<div class="cv-textblock">a &lt;b&gt; c</div>' and cut is None
    block, cut = pieces.text_excerpt("x" * 12, limit=5)
    assert "xxxxx…</div>" in block and cut == "12 characters; the first 5 are shown."


def test_the_absent_side_of_a_difference():
    removed = align("a b c", "a c").hunks[0]
    inserted = align("a c", "a b c").hunks[0]
    # a removed compound leaves a run of four spaces (from character 9 to 13)
    (gapped,) = align("a budding Russian-Turkish partnership", "a budding    partnership").hunks
    assert pieces.absent_side(removed) == "Corrupted: nothing — removed without a trace."
    assert pieces.absent_side(inserted).startswith("Original: nothing")
    assert pieces.absent_side(gapped) == (
        "Corrupted: nothing — a run of 4 spaces was left where the text was removed.")


def test_a_half_given_pair_names_the_side_still_wanted():
    a = load_text("x", "<b>orig</b>.txt")
    title = pieces.pair_title(a, None)
    assert "&lt;b&gt;orig&lt;/b&gt;.txt</b> against the corrupted text" in title
    assert "the original text against <b>" in pieces.pair_title(None, a)
    assert "no pair open" in pieces.pair_title(None, None)


def test_text_boxes_show_both_sides_of_a_substitution_and_say_which_side_is_empty():
    from viewer.align import align
    from viewer.render.page import absent_side, text_boxes

    al = align("one two three", "one 2 three four")
    by_kind = {h.kind: h for h in al.hunks}
    assert text_boxes(al, by_kind["substituted"]) == (
        [("Original", "two"), ("Corrupted", "2")], None)
    inserted = by_kind["inserted"]
    assert text_boxes(al, inserted) == ([("Corrupted", "four")], absent_side(inserted))
    assert text_boxes(al, inserted)[1].startswith("Original: nothing")
