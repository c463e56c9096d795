"""The Historical typography option (``fold_historical``): long s, ligatures and MUFI
private-use characters compared as their letters, off by default; the texts shown stay exact."""

from __future__ import annotations

import json
import unicodedata
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import viewer
from viewer import tokens
from viewer.align import align
from viewer.cli import main
from viewer.corpus import PairOptions, summarize_corpus
from viewer.historical import HISTORICAL
from viewer.hunk_types import hunk_types
from viewer.kinds import SPELLING, TYPOGRAPHY

LONG_S, CH = "\u017f", "\uf502"  # ſ; the ch ligature OCR ground truth sets in the PUA


def texts(al) -> list[tuple[str, str]]:
    return [al.hunk_texts(h) for h in al.hunks]


# --- the table --------------------------------------------------------------------------------


@pytest.mark.parametrize("char, letters", [
    (LONG_S, "s"),          # OCR-D level 1
    ("\uf1bb", "ch"),       # MUFI's LATIN SMALL LIGATURE CH
    (CH, "ch"),             # not MUFI: dinglehopper's table
    ("\ueec4", "ck"),       # MUFI's LATIN SMALL LIGATURE CK
    ("\ueba6", "ss"),       # MUFI's long s long s: the long s folded too (ſſ), not left
    ("\ufb05", "st"),       # ﬅ, OCR-D level 2 ſt, then s
    ("\ue4c8", "e\u0307\u0301"),  # MUFI's PUA e with dot above and acute: accents kept
])
def test_the_table_spells_characters_as_ocr_ground_truth_does(char, letters):
    assert HISTORICAL[ord(char)] == unicodedata.normalize("NFC", letters)


@pytest.mark.parametrize("char", [
    "\ua75b",  # ꝛ r rotunda: OCR-D keeps it at every level (Fraktur's ꝛc. is etc.)
    "\ua751",  # ꝑ per: an abbreviation, not typography
    "\u204a",  # ⁊ et
    "\ua76f",  # ꝯ con
    "\u00e6", "\u0153", "\u00fe",  # æ œ þ: letters in their own right
    "\u00e9", "\u00df",  # é ß: what an ASCII transliteration (mufidecode) would lose
])
def test_the_table_leaves_abbreviations_and_letters_alone(char):
    assert ord(char) not in HISTORICAL


def test_every_row_folds_to_standard_letters_in_one_pass():
    for cp, folded in HISTORICAL.items():
        assert folded and folded == unicodedata.normalize("NFC", folded), hex(cp)
        # the keys look the table up in decomposed text: each row must be found there
        assert unicodedata.normalize("NFD", chr(cp)) == chr(cp), hex(cp)
        # no private-use character or long s left: one ``str.translate`` is enough
        assert not any(0xE000 <= ord(c) < 0xF900 or c == LONG_S for c in folded), hex(cp)
        assert all(unicodedata.category(c)[0] in "LM" for c in folded), hex(cp)


# --- the option in the aligner ----------------------------------------------------------------


def test_long_s_is_a_difference_with_strict_typography_and_none_with_the_option():
    # the default folding (NFKC) already reads ſ as s; Strict typography keeps it apart
    assert texts(align("the ſtate", "the state")) == []
    assert texts(align("the ſtate", "the state", strict_typography=True)) == [("ſtate", "state")]
    assert texts(align("the ſtate", "the state", strict_typography=True,
                       fold_historical=True)) == []


def test_a_private_use_ligature_equals_its_letters_only_with_the_option():
    a, b = f"Na{CH} dem Sturm", "Nach dem Sturm"
    assert texts(align(a, b)) == [(f"Na{CH}", "Nach")]
    assert texts(align(a, b, fold_historical=True)) == []
    assert texts(align(a, b, strict_typography=True, fold_historical=True)) == []


def test_folded_characters_never_hide_a_real_difference():
    # ſ read as f by the OCR is corruption with or without the option
    al = align("ein ſchöner Tag", "ein fchöner Tag", fold_historical=True)
    assert texts(al) == [("ſchöner", "fchöner")] and al.types == (SPELLING,)
    # and an accent the PUA character carries is kept
    assert texts(align("\ue4c8", "e", fold_historical=True)) == [("\ue4c8", "e")]


def test_the_texts_shown_stay_exact():
    a, b = f"Der ſtarke Ma{CH}t-Spruch", "Der starke Macht-Spruch!"
    al = align(a, b, strict_typography=True, fold_historical=True)
    assert (al.a_text, al.b_text) == (a, b)
    assert texts(al) == [("", "!")]  # only the real difference, in the texts as given
    a_spans = [a[al.a.starts[i]:al.a.ends[i]] for i in range(len(al.a))]
    assert a_spans[:3] == ["Der", "ſtarke", f"Ma{CH}t"]


def test_strict_typography_types_historical_differences_by_the_option():
    # option off: the default folding hides ſ vs s, so Strict typography calls it typography
    off = align("the ſtate", "the state", strict_typography=True)
    assert hunk_types(off) == [TYPOGRAPHY]
    # option on: no difference at all; a curly quote beside it is still typography
    on = align("“the ſtate”", "\"the state\"", strict_typography=True, fold_historical=True)
    assert texts(on) == [("“", "\""), ("”", "\"")] and set(on.types) == {TYPOGRAPHY}
    # the PUA ligature is no default folding: with the option off it is a spelling difference
    assert align(f"Na{CH}", "Nach", strict_typography=True).types == (SPELLING,)


def test_the_python_api_takes_the_option():
    assert viewer.align(f"Na{CH}", "Nach", fold_historical=True).hunks == ()
    assert viewer.align(f"Na{CH}", "Nach").options.fold_historical is False


# --- off by default: nothing changes ----------------------------------------------------------

HISTORICAL_TEXT = st.text(alphabet=st.sampled_from(["a", "c", "h", "s", "t", " ", ",", LONG_S,
                                                    CH, "\ufb05", "\ueec4", "k"]),
                          max_size=40)


@settings(max_examples=150, deadline=None)
@given(HISTORICAL_TEXT, HISTORICAL_TEXT, st.booleans())
def test_off_the_table_is_never_read(a, b, strict):
    """With the option off, the key function never consults the table (reading it fails
    here), so every result is what it was before the option existed."""
    def refuse():
        raise AssertionError("the historical table was read with the option off")

    with mock.patch.object(tokens, "_historical_table", refuse):
        default = align(a, b, strict_typography=strict)
        off = align(a, b, strict_typography=strict, fold_historical=False)
    assert [(h.kind, h.a, h.b) for h in default.hunks] == [(h.kind, h.a, h.b) for h in off.hunks]


def _fold_text(text: str) -> str:
    """The slow obvious reference: the characters replaced in the text itself."""
    return "".join(HISTORICAL.get(ord(c), c) for c in text)


@settings(max_examples=200, deadline=None)
@given(HISTORICAL_TEXT, HISTORICAL_TEXT)
def test_on_it_aligns_like_texts_with_the_letters_written_out(a, b):
    """Folding in the keys is the same as writing the letters in both texts first: the same
    hunks, token for token (the replacements are letters inside words, so tokens stay)."""
    folded = align(a, b, strict_typography=True, fold_historical=True)
    written = align(_fold_text(a), _fold_text(b), strict_typography=True)
    assert ([(h.kind, h.ta, h.tb) for h in folded.hunks]
            == [(h.kind, h.ta, h.tb) for h in written.hunks])


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcs ,.’'\"“-—", max_size=40), st.text(alphabet="abcs ,.’'\"“-—",
                                                                    max_size=40), st.booleans())
def test_on_it_changes_nothing_in_texts_without_historical_characters(a, b, strict):
    on = align(a, b, strict_typography=strict, fold_historical=True)
    off = align(a, b, strict_typography=strict)
    assert [(h.kind, h.a, h.b) for h in on.hunks] == [(h.kind, h.a, h.b) for h in off.hunks]


# --- the command line and the corpus ----------------------------------------------------------


def test_the_align_command_takes_fold_historical(tmp_path, capsys):
    (tmp_path / "gt.txt").write_text(f"Der ſtarke Ma{CH}t", encoding="utf-8")
    (tmp_path / "ocr.txt").write_text("Der starke Macht", encoding="utf-8")
    args = ["align", str(tmp_path / "gt.txt"), str(tmp_path / "ocr.txt"), "--json"]
    assert main(args) == 0
    assert [h["a_text"] for h in json.loads(capsys.readouterr().out)["hunks"]] == [f"Ma{CH}t"]
    assert main([*args, "--fold-historical"]) == 0
    assert json.loads(capsys.readouterr().out)["hunks"] == []


def test_the_corpus_takes_the_option(tmp_path, capsys):
    line = json.dumps({"id": "p", "original": f"Na{CH} ſtarker", "corrupted": "Nach starker"})
    data = (line + "\n").encode("utf-8")
    rates = [summarize_corpus(data, "c.jsonl", options=PairOptions(fold_historical=on),
                              workers=1)["corruption_rate"][0] for on in (False, True)]
    assert rates[0] > 0 and rates[1] == 0
    (tmp_path / "c.jsonl").write_bytes(data)
    assert main(["corpus", str(tmp_path / "c.jsonl"), "--out", str(tmp_path / "s.csv"),
                 "--workers", "1", "--fold-historical"]) == 0
    import pandas as pd

    assert pd.read_csv(tmp_path / "s.csv")["corruption_rate"][0] == 0


# --- the page ---------------------------------------------------------------------------------


def test_the_page_offers_the_option_off_and_presets_leave_it():
    from tests.test_app import counter, start, upload

    at = start()
    assert at.checkbox(key="fold_historical").value is False
    assert at.checkbox(key="fold_historical").label == "Historical typography"
    upload(at, 0, "gt.txt", f"Der ſtarke Ma{CH}t, ſo".encode())
    upload(at, 1, "ocr.txt", b"Der starke Macht, so")
    assert counter(at)[1] == 1  # the PUA ligature
    at.checkbox(key="fold_historical").check().run()
    assert not at.exception and counter(at) == (0, 0)
    at.segmented_control(key="preset").set_value("OCR").run()  # strict typography on
    assert at.checkbox(key="fold_historical").value is True and counter(at) == (0, 0)
