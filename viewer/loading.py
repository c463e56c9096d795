"""Bytes to text: find the encoding, refuse what is not text, and say why in one sentence.

Everything downstream (tokens, alignment, rendering) works on ``Document.text`` with offsets
into it, so the decoded text is the byte content with only a byte-order mark removed: no newline
or Unicode normalisation, a CRLF stays two characters.

``Document.encoding`` is always a name ``codecs.lookup`` accepts, so the bytes can be decoded
again with it (after dropping the BOM):

* ``"utf-8"`` for plain UTF-8 (and ASCII); ``"utf-8-sig"`` when the file starts with a UTF-8
  byte-order mark. The BOM is recorded for UTF-8 only because it is the unusual case there.
* ``"utf-16-le"``, ``"utf-16-be"``, ``"utf-32-le"``, ``"utf-32-be"``: named by byte order, with
  or without a BOM (a BOM is how they are usually recognised; BOM-less files whose NUL bytes
  fall on one side of each code unit are recognised too).
* ``"latin-1"`` for Western single-byte text that uses no byte in 0x80-0x9F, ``"cp1252"`` when
  it does (curly quotes, dashes, the euro sign live there). The narrowest standard name wins.
* Whatever charset-normalizer reports for other legacy encodings, with ``_`` spelled ``-``
  (``"cp1251"``, ``"shift-jis"``, ``"gb18030"``...).
* ``"text"`` for pasted text, which never was bytes.

Every refusal is an ``InputError`` whose message is one sentence naming the input.
"""

from __future__ import annotations

import codecs
import errno
import functools
import itertools
import os
import re
import stat
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_BYTES_ENV = "VIEWER_MAX_BYTES"

_MIB = 1024 * 1024

# Longest first where one mark is a prefix of another: the UTF-32-LE BOM (FF FE 00 00) starts
# with the UTF-16-LE BOM (FF FE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Signatures of common binary formats. Checked before the NUL test and UTF-8 because a small
# file can be NUL-free, and a PDF can even be valid ASCII.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt document)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (b"\x7fELF", "an ELF executable"),
)
# bzip2 and Windows executables start with printable bytes ("BZh", "MZ") that a text file could
# start with too, so they need a longer look.
_BZIP2_RE = re.compile(rb"BZh[1-9]1AY&SY")
_PE_HEADER_OFFSET = 0x3C

# Control characters that do not belong in text: C0 and C1 except tab, LF, CR and form feed.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Decoded text with more control characters than this share is binary data in disguise; for
# comparison, uniformly random NUL-free bytes read as Latin-1 give about 24 %.
_BINARY_CONTROL_SHARE = 0.10

# Where cp1252 and Latin-1 differ: cp1252 puts curly quotes, dashes and the euro sign here.
_C1_BYTES = bytes(range(0x80, 0xA0))
_ASCII_LETTER_BYTES = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_CP1252_HIGH_LETTER_BYTES = bytes(
    byte for byte in range(0x80, 0x100) if bytes([byte]).decode("cp1252", "replace").isalpha()
)
# French or German read as cp1252 has a few accented letters among many ASCII ones; Cyrillic or
# Greek single-byte text read as cp1252 is nearly all "accented" letters.
_WESTERN_MAX_HIGH_LETTER_SHARE = 0.3
# enough text to count case flips in (see _decode_legacy) without decoding a large file once
# per candidate encoding
_CASE_SAMPLE_BYTES = 16 * 1024


class InputError(ValueError):
    """Input the viewer cannot show; ``str(err)`` is one user-facing sentence naming the input."""


@dataclass(frozen=True)
class Document:
    """Decoded text and where it came from; ``name`` is for display and is never opened."""

    text: str
    encoding: str
    name: str
    size: int

    def __post_init__(self) -> None:
        if self.size < 0:
            raise ValueError(f"size must not be negative, got {self.size}")
        if not self.encoding:
            raise ValueError("encoding must be named")


def max_bytes() -> int:
    """The size limit in force: VIEWER_MAX_BYTES when it is a positive integer, else 64 MiB.

    Read on every call (not at import) so a changed environment takes effect; an unusable value
    is ignored rather than breaking every load.
    """
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_MAX_BYTES
    return value if value > 0 else DEFAULT_MAX_BYTES


def decode_bytes(data: bytes, name: str = "text", *, limit: int | None = None) -> Document:
    """Decode uploaded or read bytes into a Document, or raise InputError saying why not."""
    data = bytes(data)
    limit = max_bytes() if limit is None else limit
    if len(data) > limit:
        raise too_large(name, len(data), limit)
    if not data:
        raise InputError(f"{name} is empty.")
    text, encoding = _decode(data, name)
    if not text:
        raise InputError(f"{name} is empty (it holds only a byte-order mark).")
    # "\x00" survives only where a BOM or the UTF-16 guess vouched for the bytes; still not text
    if "\x00" in text:
        raise _binary(name, "it contains NUL characters")
    # one stray control character (an old DOS file's final ^Z) never makes a file binary
    controls = _control_count(text)
    if controls > max(1, _BINARY_CONTROL_SHARE * len(text)):
        raise _binary(name, f"{controls / len(text):.0%} of its characters are control characters")
    return Document(text=text, encoding=encoding, name=name, size=len(data))


def load_path(path: str | os.PathLike, *, limit: int | None = None) -> Document:
    """Read and decode a file, checking its size before reading it (``read_up_to``)."""
    name = os.fsdecode(path)
    limit = max_bytes() if limit is None else limit
    return decode_bytes(read_up_to(path, name, limit), name, limit=limit)


def read_up_to(path: str | os.PathLike, name: str, limit: int, *,
               allow: str | None = None) -> bytes:
    """A file's bytes, refused (``InputError``) when over ``limit`` or unreadable. The one
    "read a file up to a limit": the size is checked before reading, and at most ``limit + 1``
    bytes are read, so a file that grows after the check, or a pipe such as ``<(zcat a.gz)``
    whose size is unknown, still cannot exceed the limit. ``allow``: how to allow more (see
    ``too_large``)."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise too_large(name, info.st_size, limit, allow=allow)
        with open(path, "rb") as file:
            data = file.read(limit + 1)
    except OSError as err:
        raise InputError(f"cannot read {name}: {os_reason(err)}.") from err
    if len(data) > limit:
        raise too_large(name, None, limit, allow=allow)
    return data


def load_text(text: str, name: str = "pasted text") -> Document:
    """Wrap pasted text as a Document: nothing to decode, but empty input is refused the same way.

    ``size`` is the UTF-8 byte count, the size the text would have as a file.
    """
    if not text:
        raise InputError(f"{name} is empty.")
    size = len(text.encode("utf-8", "surrogatepass"))
    return Document(text=text, encoding="text", name=name, size=size)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """The encoding cascade for non-empty bytes: first rule that fits wins."""
    # EF BB BF "hi": a byte-order mark settles the encoding
    with_bom = _decode_with_bom(data, name)
    if with_bom is not None:
        return with_bom
    # 89 "PNG" 0D 0A 1A 0A ...: a known binary format, even if it happens to hold no NUL
    kind = _binary_signature(data)
    if kind is not None:
        raise _binary(name, f"it starts like {kind}")
    if b"\x00" in data:
        # "h\0i\0": UTF-16 or UTF-32 without a BOM
        unicode_text = _decode_bomless_unicode(data)
        if unicode_text is not None:
            return unicode_text
        # "\x05\0\0\0\x07\0\0\0": NULs in anything else mean binary data
        raise _binary(name, "it contains NUL bytes")
    # "caf" C3 A9: UTF-8, the common case, without running any detector
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # "caf" E9, CF F0 E8 E2 E5 F2 ("Привет" in cp1251): a legacy single- or multi-byte encoding
    return _decode_legacy(data)


def _decode_with_bom(data: bytes, name: str) -> tuple[str, str] | None:
    """Decode strictly under a leading BOM, with the BOM removed; None when there is none."""
    # FF FE 00 00 could also be UTF-16-LE starting with U+0000, but that would be refused anyway
    for bom, encoding, family in _BOMS:
        if not data.startswith(bom):
            continue
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        try:
            return data[len(bom) :].decode(codec), encoding
        except UnicodeDecodeError as err:
            position = err.start + len(bom)
            raise InputError(
                f"{name} starts with a {family} byte-order mark but is not valid {family} "
                f"({err.reason} at byte {position})."
            ) from err
    return None


def _binary_signature(data: bytes) -> str | None:
    """What binary format the bytes start like, or None."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if _BZIP2_RE.match(data):
        return "a bzip2 archive"
    if data.startswith(b"MZ") and len(data) >= _PE_HEADER_OFFSET + 4:
        pe_offset = int.from_bytes(data[_PE_HEADER_OFFSET : _PE_HEADER_OFFSET + 4], "little")
        if data[pe_offset : pe_offset + 4] == b"PE\x00\x00":
            return "a Windows executable"
    return None


def _decode_bomless_unicode(data: bytes) -> tuple[str, str] | None:
    """UTF-32 or UTF-16 without a BOM, told apart from binary data by where the NULs are.

    In UTF-16 text the NULs are the high bytes of ASCII characters, so nearly all of them sit on
    one side of each two-byte unit; binary data has them on both. A candidate must also decode
    strictly and give text with few control characters.
    """
    candidates = []
    if _is_utf8(data) and data.count(0) < 0.3 * (len(data) // 2):
        # valid UTF-8 with a few NULs ("abc\0"): binary, not UTF-16 text, whose ASCII
        # characters put a NUL in every other byte
        return None
    if len(data) % 4 == 0:
        if _zero_share(data[3::4]) == 1.0 and _zero_share(data[2::4]) >= 0.9:
            candidates.append("utf-32-le")
        if _zero_share(data[0::4]) == 1.0 and _zero_share(data[1::4]) >= 0.9:
            candidates.append("utf-32-be")
    if len(data) % 2 == 0:
        even_nuls = data[0::2].count(0)
        odd_nuls = data[1::2].count(0)
        if odd_nuls >= 0.9 * (even_nuls + odd_nuls):
            candidates.append("utf-16-le")
        if even_nuls >= 0.9 * (even_nuls + odd_nuls):
            candidates.append("utf-16-be")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _has_few_controls(text):
            return text, encoding
    return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# € … ‘ ’ “ ” • – — in cp1252: the typographic punctuation word processors write
_CP1252_PUNCTUATION_BYTES = tuple(bytes([b]) for b in (0x80, 0x85, *range(0x91, 0x98)))


def _same_punctuation(encoding: str, punctuation: list[bytes]) -> bool:
    try:
        return all(b.decode(encoding) == b.decode("cp1252") for b in punctuation)
    except (UnicodeDecodeError, LookupError):
        return False


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """Pick a legacy encoding for bytes that are neither UTF nor binary.

    charset-normalizer (3.4) needs help at both ends. On Western text it scores cp1252 and cp1250
    alike and lists cp1250 first, turning "naïve" into "naďve", so cp1252 wins every tie. On a
    short line it has no language evidence (coherence 0) and may rank Big5 first, reading
    "Ça va" as "ド va", so without evidence a cp1252 reading that looks like Western text is
    preferred. Guesses that are UTF or not ASCII-compatible (EBCDIC) are never believed: UTF-8
    has failed already, and without a BOM or NULs a UTF-16 guess is two Latin-1 letters read as
    one CJK character.
    """
    from charset_normalizer import from_bytes  # only for files that are not UTF: load it then

    matches = [match for match in from_bytes(data) if _is_plausible_codec(match.encoding)]
    # "«Привет»" in cp1251 read as KOI8 is "«оПХБЕР»": the Cyrillic code pages put the other
    # case at each other's bytes, and charset-normalizer 3.3-3.4 may rank such a reading first
    # (KOI8-T). A reading whose words switch from lower to upper case inside a word goes behind
    # those that do not (the sort is stable: the detector's order otherwise)
    sample = data[:_CASE_SAMPLE_BYTES]
    matches.sort(key=lambda match: _case_flips(sample.decode(match.encoding, "ignore")))
    best = matches[0] if matches else None
    cp1252_text = _decode_or_none(data, "cp1252")
    # "naïve" scored the same as cp1250 "naďve": take cp1252
    if best is not None and cp1252_text is not None and _cp1252_ties(best, matches):
        return cp1252_text, _western_label(data)
    # "50 € — “quoted”": Windows punctuation bytes (80 85 91-97) in plainly Western text are
    # never letters, so a code page reading them as letters (cp775: "Ć Ś ōquotedö", or
    # mac_roman, which 3.5 ranks first for Turkish) is wrong. The code pages that read them as
    # cp1252 does are its Windows siblings (cp1254 Turkish, cp1250...): the detector's best
    # ranked of them wins, cp1252 on a tie
    punctuation = [b for b in _CP1252_PUNCTUATION_BYTES if b in data]
    if (cp1252_text is not None and punctuation and _looks_western(data, cp1252_text)
            and best is not None and not _same_punctuation(best.encoding, punctuation)):
        sibling = next((m for m in matches if _same_punctuation(m.encoding, punctuation)), None)
        if (sibling is None or _cp1252_ties(sibling, matches)
                or not _has_few_controls(str(sibling))):
            return cp1252_text, _western_label(data)
        return str(sibling), _codec_label(sibling.encoding)
    # "Привет, как дела? Это тестовый текст": the detector recognised a language
    if best is not None and best.coherence > 0 and _has_few_controls(str(best)):
        return str(best), _codec_label(best.encoding)
    # "Ça va? Très bien": too short for the detector, plainly Western
    if cp1252_text is not None and _looks_western(data, cp1252_text):
        return cp1252_text, _western_label(data)
    # "これは日本語" in Shift-JIS: no language evidence, but the detector's reading is clean
    if best is not None and _has_few_controls(str(best)):
        return str(best), _codec_label(best.encoding)
    # anything else: cp1252 if it fits, else Latin-1, which decodes every byte
    if cp1252_text is not None:
        return cp1252_text, _western_label(data)
    return data.decode("latin-1"), "latin-1"


def _case_flips(text: str) -> int:
    """How often a lower-case letter is directly followed by an upper-case one ("оПХБЕР": 1)."""
    pairs = itertools.pairwise(text)
    return sum(1 for left, right in pairs if left.islower() and right.isupper())


def _cp1252_ties(leader, matches) -> bool:
    """Whether some match that reads the bytes as cp1252 scores at least as well as ``leader``.

    charset-normalizer scores cp1252 and its Windows siblings alike on most Western text and
    then lists whichever it tried first.
    """
    return any(
        match.chaos <= leader.chaos and match.coherence >= leader.coherence
        and "cp1252" in (match.encoding, *match.could_be_from_charset)
        for match in matches
    )


def _looks_western(data: bytes, cp1252_text: str) -> bool:
    """Read as cp1252, mostly ASCII letters with a few accented ones, and few controls.

    Cyrillic, Greek or CJK bytes read as cp1252 come out as nearly all "accented" letters and
    symbols, so the share of non-ASCII letters separates them from French or German.
    """
    if not _has_few_controls(cp1252_text):
        return False
    ascii_letters = _count_bytes(data, _ASCII_LETTER_BYTES)
    high_letters = _count_bytes(data, _CP1252_HIGH_LETTER_BYTES)
    return high_letters <= _WESTERN_MAX_HIGH_LETTER_SHARE * (ascii_letters + high_letters)


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _codec_label(detector_name: str) -> str:
    """charset-normalizer's codec name as we spell labels: "shift_jis" -> "shift-jis"."""
    return detector_name.replace("_", "-")


@functools.cache
def _is_plausible_codec(encoding: str) -> bool:
    """Not UTF, and decodes ASCII as ASCII (EBCDIC code pages do not)."""
    if encoding.startswith("utf"):
        return False
    try:
        return bytes(range(128)).decode(encoding) == "".join(map(chr, range(128)))
    except (UnicodeDecodeError, LookupError):
        return False


def _western_label(data: bytes) -> str:
    """cp1252 if a byte in 0x80-0x9F is used (where it differs from Latin-1), else latin-1."""
    return "cp1252" if _count_bytes(data, _C1_BYTES) else "latin-1"


def _count_bytes(data: bytes, members: bytes) -> int:
    """How many bytes of ``data`` are in ``members`` (bytes.translate runs in C)."""
    return len(data) - len(data.translate(None, members))


def _zero_share(chunk: bytes) -> float:
    return chunk.count(0) / len(chunk) if chunk else 0.0


def _control_count(text: str) -> int:
    return len(_CONTROL_RE.findall(text))


def _has_few_controls(text: str) -> bool:
    """At most one stray control character per thousand (plus one: an old DOS file's final ^Z)."""
    return _control_count(text) <= 1 + len(text) // 1000


def _describe_size(size: int) -> str:
    return f"{size / _MIB:,.1f} MB ({size:,} bytes)"


def too_large(name: str, size: int | None, limit: int, *, allow: str | None = None
              ) -> InputError:
    """The over-limit refusal; ``size`` is None when only "more than the limit" is known;
    ``allow`` says how to allow more (default: the environment variable)."""
    how_big = "is larger than" if size is None else f"is {_describe_size(size)}, over"
    allow = allow or (f"to allow bigger files, set the environment variable {MAX_BYTES_ENV} "
                      "to a larger number of bytes")
    return InputError(f"{name} {how_big} the {_describe_size(limit)} limit; {allow}.")


def _binary(name: str, why: str) -> InputError:
    return InputError(f"{name} looks like a binary file, not text ({why}).")


def os_reason(err: OSError) -> str:
    """The OS's own words for the failure ("No such file or directory"), never a traceback."""
    return err.strerror or str(err) or type(err).__name__
