"""Tests for viewer.loading: every input rule as a literal case, then properties over any text."""

from __future__ import annotations

import codecs
import dataclasses
import errno
import os
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from viewer import loading
from viewer.loading import (
    DEFAULT_MAX_BYTES,
    Document,
    InputError,
    decode_bytes,
    load_path,
    load_text,
    max_bytes,
)

NEWS = "Turkey’s “budding” partnership with the Kremlin — a cease-fire, they said.\r\nNext line\n"
BINARY = "looks like a binary file, not text"


def assert_one_sentence(message: str, name: str) -> None:
    """User-facing messages name the input and are one line, one sentence, no traceback."""
    assert name in message
    assert "\n" not in message
    assert "Traceback" not in message
    assert message.endswith(".")


def refusal(data: bytes, name: str = "input.txt", **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        decode_bytes(data, name, **kwargs)
    message = str(caught.value)
    assert_one_sentence(message, name)
    return message


@pytest.fixture(autouse=True)
def _no_limit_from_environment(monkeypatch):
    """The tests choose their limits; an exported VIEWER_MAX_BYTES must not change them."""
    monkeypatch.delenv(loading.MAX_BYTES_ENV, raising=False)


# --- UTF-8 and byte-order marks ---------------------------------------------------------------


def test_utf8_without_bom():
    doc = decode_bytes(NEWS.encode("utf-8"), "news.txt")
    assert doc == Document(text=NEWS, encoding="utf-8", name="news.txt", size=len(NEWS.encode()))


def test_ascii_reports_utf8():
    assert decode_bytes(b"plain ascii").encoding == "utf-8"


def test_utf8_never_consults_the_detector(monkeypatch):
    def detector_must_not_run(data):
        raise AssertionError("charset-normalizer ran on valid UTF-8")

    import charset_normalizer

    monkeypatch.setattr(charset_normalizer, "from_bytes", detector_must_not_run)
    assert decode_bytes("naïve café".encode()).text == "naïve café"


def test_utf8_with_bom_drops_the_bom():
    data = codecs.BOM_UTF8 + NEWS.encode("utf-8")
    doc = decode_bytes(data)
    assert doc.text == NEWS
    assert doc.encoding == "utf-8-sig"
    assert doc.size == len(data)


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(bom, codec):
    text = NEWS + "astral 😀 and CJK 一\r"
    doc = decode_bytes(bom + text.encode(codec))
    assert doc.text == text
    assert doc.encoding == codec


def test_utf32_le_bom_is_not_taken_for_utf16_le():
    # FF FE 00 00 starts with the UTF-16-LE mark FF FE; read as UTF-16 this would be "\x00hi"
    assert decode_bytes(codecs.BOM_UTF32_LE + "hi".encode("utf-32-le")).text == "hi"


def test_only_the_first_bom_is_removed():
    doc = decode_bytes(codecs.BOM_UTF8 + "\ufeffhi".encode())
    assert doc.text == "\ufeffhi"


@pytest.mark.parametrize(
    ("data", "family"),
    [
        (codecs.BOM_UTF8 + b"caf\xe9", "UTF-8"),
        (codecs.BOM_UTF16_LE + b"h\x00i", "UTF-16"),  # odd length
        (codecs.BOM_UTF16_BE + b"\xd8\x00\x00a", "UTF-16"),  # lone surrogate
        (codecs.BOM_UTF32_BE + b"\x00\x11\x00\x00", "UTF-32"),  # beyond U+10FFFF
    ],
)
def test_invalid_bytes_after_a_bom_are_refused(data, family):
    message = refusal(data, "marked.txt")
    assert f"{family} byte-order mark" in message
    assert f"not valid {family}" in message


def test_bom_without_text_is_empty():
    message = refusal(codecs.BOM_UTF16_LE, "bom.txt")
    assert "is empty" in message


# --- UTF-16 and UTF-32 without a BOM --------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_bomless_utf16_and_utf32_are_recognised(codec):
    text = "Plain words, line one.\r\nCafé 一 line two.\n"
    doc = decode_bytes(text.encode(codec))
    assert doc.text == text
    assert doc.encoding == codec


# --- legacy encodings ---------------------------------------------------------------------------


def test_cp1252_with_curly_quotes_and_accents():
    text = "“Café” — it’s naïve, isn’t it? Price: 5 €.\r\n"
    doc = decode_bytes(text.encode("cp1252"), "old.txt")
    assert doc.text == text  # charset-normalizer alone would say cp1250 and give "naďve"
    assert doc.encoding == "cp1252"
    assert doc.size == len(text)


def test_latin1_text_is_decoded_and_named_latin1():
    text = "Ça va? Très bien, merci. Où est la gare?"
    doc = decode_bytes(text.encode("latin-1"))
    assert doc.text == text  # too short for the detector, which would guess Big5
    assert doc.encoding == "latin-1"  # no byte in 0x80-0x9F, so the narrower name


def test_short_latin1_word():
    assert decode_bytes(b"caf\xe9").text == "café"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Привет, как дела? Это тестовый текст на русском языке.", "cp1251"),
        ("Αυτό είναι ένα ελληνικό κείμενο για δοκιμή.", "cp1253"),
        ("これは日本語のテキストです。よろしくお願いします。", "shift_jis"),
        ("Türkiye’nin başkenti Ankara’dır; İstanbul ise en büyük şehridir.", "cp1254"),
    ],
)
def test_other_legacy_encodings_come_from_the_detector(text, codec):
    doc = decode_bytes(text.encode(codec))
    assert doc.text == text
    assert codecs.lookup(doc.encoding)  # a name Python knows, e.g. "cp932" for Shift-JIS


class _Match:
    """A stand-in for a charset-normalizer match, to put the detector's candidates in a given
    order: each release ranks them differently (3.5 puts mac_roman first for Turkish, 3.3 puts
    KOI8-T first for Russian) and CI installs only the newest."""

    def __init__(self, data: bytes, encoding: str, chaos: float, coherence: float):
        self.encoding, self.chaos, self.coherence = encoding, chaos, coherence
        self.could_be_from_charset = [encoding]
        self._text = data.decode(encoding)

    def __str__(self) -> str:
        return self._text


def _detector_ranks(monkeypatch, *ranked: tuple[str, float, float]) -> None:
    import charset_normalizer

    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data: [
        _Match(data, encoding, chaos, coherence) for encoding, chaos, coherence in ranked])


def test_windows_punctuation_picks_the_best_windows_sibling_not_cp1252(monkeypatch):
    # charset-normalizer 3.5.3's ranking: mac_roman reads ’ as í, so the Windows code pages
    # (which read it as ’) are the candidates, and cp1254 scored above cp1252
    text = "Türkiye’nin başkenti Ankara’dır; İstanbul ise en büyük şehridir."
    _detector_ranks(monkeypatch, ("mac_roman", 0.0, 0.667), ("cp1254", 0.0, 0.556),
                    ("cp1250", 0.0, 0.529), ("cp1252", 0.0, 0.529))
    doc = decode_bytes(text.encode("cp1254"))
    assert (doc.text, doc.encoding) == (text, "cp1254")


def test_windows_punctuation_with_a_tie_is_cp1252(monkeypatch):
    text = "L’été dernier — “naïve” façade."
    _detector_ranks(monkeypatch, ("cp775", 0.0, 0.3), ("cp1250", 0.0, 0.2),
                    ("cp1252", 0.0, 0.2))
    doc = decode_bytes(text.encode("cp1252"))
    assert (doc.text, doc.encoding) == (text, "cp1252")  # not cp1250's "naďve"


def test_a_reading_that_flips_case_inside_words_is_not_believed(monkeypatch):
    # charset-normalizer 3.3's ranking: KOI8-T first, reading cp1251 "Привет" as "оПХБЕР"
    text = "«Привет» — как дела? Это тестовый текст, достаточно длинный."
    _detector_ranks(monkeypatch, ("koi8_t", 0.0, 0.41), ("cp1251", 0.0, 0.35))
    doc = decode_bytes(text.encode("cp1251"))
    assert (doc.text, doc.encoding) == (text, "cp1251")


def test_bytes_undefined_in_cp1252_still_decode():
    # 0x81 has no cp1252 character; the result must still be text, whatever the label
    doc = decode_bytes(b"abc \x81 def")
    assert doc.text.startswith("abc ")
    assert doc.text.endswith(" def")


# --- nothing but the BOM is changed -------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_crlf_and_lone_cr_are_kept(codec):
    text = "one\r\ntwo\rthree\nfour “quoted”\r\n\r\n"
    doc = decode_bytes(text.encode(codec))
    assert doc.text == text
    assert doc.text.count("\r") == 4


def test_unicode_is_not_normalised():
    decomposed = "cafe\u0301 \ufb01 \uff21"  # NFD é, the fi ligature, full-width A
    assert decode_bytes(decomposed.encode()).text == decomposed


@pytest.mark.parametrize("data", [b" ", b"\n", b" \t\r\n\f  \r\n", "\u3000\u00a0".encode()])
def test_whitespace_only_is_valid(data):
    assert decode_bytes(data).text == data.decode()


def test_tabs_and_form_feeds_are_text():
    text = "col1\tcol2\f\n" * 10
    assert decode_bytes(text.encode()).text == text


def test_one_stray_control_character_is_tolerated():
    # an old DOS file ends with ^Z
    assert decode_bytes(b"hello\x1a").text == "hello\x1a"


# --- refusals: empty and binary -----------------------------------------------------------------


def test_empty_bytes_are_refused():
    assert refusal(b"", "blank.txt") == "blank.txt is empty."


def test_empty_uses_the_default_name():
    with pytest.raises(InputError, match=r"^text is empty\.$"):
        decode_bytes(b"")


@pytest.mark.parametrize(
    "data",
    [
        b"abc\x00def",
        b"\x05\x00\x00\x00\x07\x00\x00\x00" * 16,  # little-endian int32 array
        bytes(range(256)) * 4,
        b"SQLite format 3\x00" + bytes(100),
    ],
)
def test_nul_bytes_mean_binary(data):
    assert BINARY in refusal(data, "blob.bin")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\nIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0JFIF", "JPEG"),
        (b"GIF89a\x01\x01", "GIF"),
        (b"%PDF-1.7\n1 obj << /Type /Catalog >> endobj\n", "PDF"),  # valid ASCII, still a PDF
        (b"PK\x03\x04\x14word/document.xml", "ZIP"),
        (b"\x1f\x8b\x08\x08", "gzip"),
        (b"\x7fELF\x02\x01\x01", "ELF"),
        (b"BZh91AY&SY\x12", "bzip2"),
        (b"MZ\x90" + b"\xff" * 57 + b"\x40\x00\x00\x00" + b"PE\x00\x00", "Windows"),
    ],
)
def test_binary_signatures_are_refused_without_nul(data, kind):
    message = refusal(data, "picture.dat")
    assert BINARY in message
    assert kind in message


def test_text_that_merely_starts_with_mz_is_text():
    assert decode_bytes(b"MZ is a postcode prefix; so is BZh.").encoding == "utf-8"


@pytest.mark.parametrize(
    "data", [bytes(range(1, 32)) * 3, b"\x1b\x07\x08" * 50 + b"text", bytes(range(1, 256))]
)
def test_mostly_control_characters_mean_binary(data):
    assert BINARY in refusal(data, "ctrl.bin")


# --- size limit ---------------------------------------------------------------------------------


def test_default_limit_is_64_mib():
    assert DEFAULT_MAX_BYTES == 64 * 1024 * 1024
    assert max_bytes() == DEFAULT_MAX_BYTES


def test_bytes_over_the_limit_are_refused():
    message = refusal(b"x" * 11, "big.txt", limit=10)
    assert "MB" in message
    assert "11 bytes" in message
    assert "10 bytes" in message
    assert "VIEWER_MAX_BYTES" in message


def test_bytes_at_the_limit_are_accepted():
    assert decode_bytes(b"x" * 10, limit=10).size == 10


def test_limit_message_in_megabytes():
    message = refusal(b"x" * (3 * 1024 * 1024), "big.txt", limit=2 * 1024 * 1024)
    assert "3.0 MB" in message
    assert "2.0 MB" in message


def test_env_var_sets_the_limit(monkeypatch):
    monkeypatch.setenv("VIEWER_MAX_BYTES", "5")
    assert max_bytes() == 5
    assert "VIEWER_MAX_BYTES" in refusal(b"123456", "env.txt")
    assert decode_bytes(b"12345").text == "12345"


def test_explicit_limit_beats_the_env_var(monkeypatch):
    monkeypatch.setenv("VIEWER_MAX_BYTES", "5")
    assert decode_bytes(b"123456", limit=100).text == "123456"


@pytest.mark.parametrize("raw", ["", "abc", "0", "-3", "1.5", "64MB"])
def test_unusable_env_var_falls_back_to_default(monkeypatch, raw):
    monkeypatch.setenv("VIEWER_MAX_BYTES", raw)
    assert max_bytes() == DEFAULT_MAX_BYTES


# --- paths --------------------------------------------------------------------------------------


def test_load_path_reads_bytes_untouched(tmp_path):
    path = tmp_path / "news.txt"
    path.write_bytes(NEWS.encode("utf-8"))
    doc = load_path(path)
    assert doc.text == NEWS  # no universal-newline translation
    assert doc.name == str(path)
    assert doc.size == path.stat().st_size


def test_load_path_accepts_str_and_names_it_as_given(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_bytes("“hi”".encode("cp1252"))
    monkeypatch.chdir(tmp_path)
    doc = load_path("a.txt")
    assert doc.name == "a.txt"
    assert doc.text == "“hi”"


def test_load_path_over_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 100)

    def open_must_not_run(*args, **kwargs):
        raise AssertionError("the file was opened although stat showed it too big")

    monkeypatch.setattr(loading, "open", open_must_not_run, raising=False)
    with pytest.raises(InputError) as caught:
        load_path(path, limit=50)
    message = str(caught.value)
    assert_one_sentence(message, str(path))
    assert "VIEWER_MAX_BYTES" in message
    assert "100 bytes" in message


def test_load_path_uses_the_env_var_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 100)
    monkeypatch.setenv("VIEWER_MAX_BYTES", "99")
    with pytest.raises(InputError, match="VIEWER_MAX_BYTES"):
        load_path(path)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_non_regular_file_stops_at_the_limit():
    with pytest.raises(InputError, match=r"^/dev/zero is larger than .*VIEWER_MAX_BYTES"):
        load_path("/dev/zero", limit=1000)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt is empty\."):
        load_path(path)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match=BINARY):
        load_path(path)


def test_missing_path(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as caught:
        load_path(path)
    assert str(caught.value) == f"cannot read {path}: {os.strerror(errno.ENOENT)}."


def test_directory_path(tmp_path):
    with pytest.raises(InputError) as caught:
        load_path(tmp_path)
    assert str(caught.value) == f"cannot read {tmp_path}: {os.strerror(errno.EISDIR)}."


def test_permission_denied_reports_the_os_reason(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_bytes(b"secret")

    def denied(file, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(file))

    monkeypatch.setattr(loading, "open", denied, raising=False)
    with pytest.raises(InputError) as caught:
        load_path(path)
    assert str(caught.value) == f"cannot read {path}: {os.strerror(errno.EACCES)}."


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_bytes(b"locked")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match=r"^cannot read .*locked\.txt: Permission denied\.$"):
            load_path(path)
    finally:
        path.chmod(0o600)


# --- pasted text --------------------------------------------------------------------------------


def test_load_text_keeps_text_as_is():
    doc = load_text("a\r\nb “c”")
    assert doc == Document(text="a\r\nb “c”", encoding="text", name="pasted text", size=12)


def test_load_text_whitespace_is_valid():
    assert load_text("  \n").text == "  \n"


def test_load_text_empty_is_refused():
    with pytest.raises(InputError, match=r"^pasted text is empty\.$"):
        load_text("")
    with pytest.raises(InputError, match=r"^corrupted is empty\.$"):
        load_text("", "corrupted")


# --- Document and InputError --------------------------------------------------------------------


def test_document_is_frozen():
    doc = decode_bytes(b"hi")
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.text = "changed"


def test_document_validates_size():
    with pytest.raises(ValueError):
        Document(text="x", encoding="utf-8", name="x", size=-1)


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)


# --- the detector only where it is needed -------------------------------------------------------


def test_utf8_never_runs_the_detector(monkeypatch):
    # charset-normalizer reads every candidate code page: on megabytes of UTF-8, the common
    # case, that would cost seconds. Five megabytes of UTF-8 decode without calling it.
    import charset_normalizer

    def detector(*args, **kwargs):
        raise AssertionError("charset-normalizer ran on UTF-8 input")

    monkeypatch.setattr(charset_normalizer, "from_bytes", detector)
    data = (NEWS * (5_000_000 // len(NEWS.encode()) + 1)).encode()
    assert len(data) >= 5_000_000
    doc = decode_bytes(data)
    assert doc.size == len(data) and doc.encoding == "utf-8"
    assert doc.text == data.decode("utf-8")
    with pytest.raises(AssertionError, match="ran on UTF-8"):  # the patch is what runs
        decode_bytes("café".encode("cp1252"))


# --- properties ---------------------------------------------------------------------------------

# Text as a person would write it: no surrogates (not encodable) and no control characters
# other than tab, newline, carriage return and form feed (those are refused as binary).
TEXT_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r\f")
TEXTS = st.text(TEXT_CHARACTERS, min_size=1)
SIGNATURE_LOOKALIKES = re.compile(r"%PDF-|GIF8[79]a|BZh[1-9]1AY&SY")
# "utf-8-sig" removes its own BOM when decoding; these codecs keep it as U+FEFF
BOM_BY_ENCODING = {
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


@given(TEXTS)
def test_any_utf8_text_round_trips(text):
    assume(not text.startswith("\ufeff"))  # that is a BOM, and BOMs are removed
    assume(not SIGNATURE_LOOKALIKES.match(text))  # refused as binary on purpose
    doc = decode_bytes(text.encode("utf-8"))
    assert doc.text == text
    assert doc.encoding == "utf-8"


@given(TEXTS)
def test_any_utf8_text_with_bom_round_trips(text):
    assert decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8")).text == text


@given(TEXTS, st.sampled_from(["utf-16", "utf-16-be-with-bom", "utf-32"]))
def test_any_utf16_or_utf32_text_with_bom_round_trips(text, codec):
    if codec == "utf-16-be-with-bom":
        data = codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(codec)  # native byte order, with a BOM
    assert decode_bytes(data).text == text


@given(st.binary(min_size=1, max_size=300))
def test_any_bytes_give_a_document_or_an_input_error(data):
    try:
        doc = decode_bytes(data, "fuzz.bin")
    except InputError as err:
        assert_one_sentence(str(err), "fuzz.bin")
        return
    assert doc.text
    assert doc.size == len(data)
    # the reported encoding decodes the bytes (less any BOM) to exactly the text
    bom = BOM_BY_ENCODING.get(doc.encoding, b"")
    payload = data[len(bom) :] if data.startswith(bom) else data
    assert payload.decode(doc.encoding) == doc.text


def test_utf8_with_a_stray_nul_is_binary_not_utf16():
    data = ("\u202e" * 7 + "00\x00").encode("utf-8")
    with pytest.raises(InputError, match="binary"):
        decode_bytes(data, "x.txt")


def test_short_western_text_with_windows_punctuation_is_cp1252():
    text = "Café au lait — “quoted” naïve façade, 50 € only."
    doc = decode_bytes(text.encode("cp1252"), "x.txt")
    assert doc.text == text and doc.encoding == "cp1252"
    russian = "«Привет» — “как дела”? Это тестовый текст, достаточно длинный."
    assert decode_bytes(russian.encode("cp1251"), "r.txt").text == russian
