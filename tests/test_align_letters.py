"""The letters that differ inside a substituted hunk (``a_changed``/``b_changed``, issue 10)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.align import LETTERS_CHARS, align
from viewer.export import hunk_records


def test_one_wrong_letter_is_one_letter_on_each_side():
    al = align("see tbe cat", "see the cat")
    (h,) = al.hunks
    assert al.changed_letters(h) == ([[5, 6]], [[5, 6]])  # the `b` and the `h`


def test_a_dropped_letter_has_nothing_on_the_other_side():
    al = align("x Offce y", "x Office y")
    (h,) = al.hunks
    assert al.changed_letters(h) == ([], [[5, 6]])  # the second `i`, offsets into the text


def test_json_records_carry_letters_only_for_substitutions():
    al = align("a tbe b c d e", "a the b d e f")
    recs = hunk_records(al)
    assert [r["kind"] for r in recs] == ["substituted", "missing", "inserted"]
    assert recs[0]["a_changed"] == [[3, 4]] and recs[0]["b_changed"] == [[3, 4]]
    assert all("a_changed" not in r and "b_changed" not in r for r in recs[1:])


def test_a_substitution_longer_than_the_cap_has_no_letters():
    a = "start " + "x" * (LETTERS_CHARS + 1) + " end"
    al = align(a, "start y end")
    (h,) = al.hunks
    assert al.changed_letters(h) is None
    assert "a_changed" not in hunk_records(al)[0]


def _without(text, ranges, offset):
    keep = list(text)
    for s, e in ranges:
        for k in range(s - offset, e - offset):
            keep[k] = ""
    return "".join(keep)


WORDS = st.lists(st.sampled_from(["tbe", "the", "cat", "cot", "Offce", "Office", "a", "b",
                                  "ran", "rain", ",", "."]), max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(WORDS, WORDS)
def test_changed_letters_lie_inside_the_hunk_and_what_is_left_is_the_same(a, b):
    # a broken range (off by one, relative instead of absolute offsets, an equal letter marked
    # or a changed one left out) makes the letters left outside the ranges differ
    al = align(a, b)
    for h in al.hunks:
        letters = al.changed_letters(h)
        if h.kind != "substituted":
            assert letters is None
            continue
        a_ranges, b_ranges = letters
        for ranges, (s, e) in ((a_ranges, h.a), (b_ranges, h.b)):
            assert all(s <= r0 < r1 <= e for r0, r1 in ranges)
            assert all(p[1] < q[0] for p, q in zip(ranges, ranges[1:], strict=False))
        a_txt, b_txt = al.hunk_texts(h)
        assert a_ranges or b_ranges
        assert _without(a_txt, a_ranges, h.a[0]) == _without(b_txt, b_ranges, h.b[0])


@settings(max_examples=300, deadline=None)
@given(st.text("abc\r\n é", max_size=12), st.text("abc\r\n é", max_size=12))
def test_changed_ranges_fast_path_agrees_with_the_opcodes(a, b):
    # the ASCII shortcut (edit operations) must give what the cluster-aware opcodes give
    from viewer.align.chars import changed_ranges, char_opcodes

    a_ranges, b_ranges = changed_ranges(a, b)
    kept_a = "".join(a[s:e] for tag, s, e, _, _ in char_opcodes(a, b) if tag == "equal")
    assert _without(a, a_ranges, 0) == kept_a == _without(b, b_ranges, 0)


def changed_ranges_one_edit_at_a_time(a: str, b: str):
    """The changed letters from rapidfuzz's edit operations, one character per edit, joined
    into runs (what ``chars.changed_ranges`` did before it read the opcodes as tuples)."""
    from rapidfuzz.distance import Levenshtein

    a_pos, b_pos = [], []
    for op in Levenshtein.editops(a, b):
        if op.tag != "insert":
            a_pos.append(op.src_pos)
        if op.tag != "delete":
            b_pos.append(op.dest_pos)

    def runs(positions):
        out = []
        for p in positions:
            if out and out[-1][1] == p:
                out[-1][1] = p + 1
            else:
                out.append([p, p + 1])
        return out

    return runs(a_pos), runs(b_pos)


@settings(max_examples=500, deadline=None)
@given(st.text("abcde -,", max_size=30), st.text("abcde -,", max_size=30),
       st.integers(0, 50), st.integers(0, 50))
def test_changed_ranges_equal_the_edit_by_edit_reference(a, b, a_offset, b_offset):
    from viewer.align.chars import changed_ranges

    a_ref, b_ref = changed_ranges_one_edit_at_a_time(a, b)
    assert changed_ranges(a, b, a_offset, b_offset) == (
        [[s + a_offset, e + a_offset] for s, e in a_ref],
        [[s + b_offset, e + b_offset] for s, e in b_ref])
