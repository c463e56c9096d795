"""Document text -> HTML text content: ``html.escape`` plus visible labels for invisible and
direction-changing characters. Every renderer sends every piece of document text (and every
file name) through ``escape_text``; nothing else puts text into HTML."""

from __future__ import annotations

import html
import re
import unicodedata

# Characters that would be invisible or would reorder their neighbours: shown as a small label
# (CSS generated content, so the text content is unchanged) inside a bidi-isolated span. ZWJ and
# ZWNJ only where they stand alone: inside a word or an emoji sequence they are part of a
# grapheme cluster and must not be split from it.
_SPECIAL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\ufff9-\ufffb\ue000-\uf8ff"
    "\U000f0000-\U0010ffff]"
    "|(?<!\\S)[\u200c\u200d]|[\u200c\u200d](?!\\S)"
)
_SPECIAL_NAMES = {
    "\u00ad": "SHY", "\u061c": "ALM", "\u180e": "MVS", "\u200b": "ZWSP", "\u200c": "ZWNJ",
    "\u200d": "ZWJ", "\u200e": "LRM", "\u200f": "RLM", "\u202a": "LRE", "\u202b": "RLE",
    "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO", "\u2060": "WJ", "\u2066": "LRI",
    "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI", "\ufeff": "BOM", "\x0b": "VT",
    "\x0c": "FF", "\x85": "NEL", "\x1b": "ESC", "\x7f": "DEL",
}


def _special(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    label = _SPECIAL_NAMES.get(ch, code)
    name = unicodedata.name(ch, "")
    title = f"{code} {name}".strip()
    # the character itself stays (text content = source text); CSS draws the label
    return (f'<span class="cv-cc" data-cc="{html.escape(label)}" '
            f'title="{html.escape(title)}">{ch}</span>')


def _escape_plain(s: str) -> str:
    out = html.escape(s)
    if "\r" in out:
        # a raw CR would be folded into LF by the HTML parser; a lone CR (old Mac line ends) also
        # gets a <br>, which has no text content, so it still breaks the line on screen
        out = out.replace("\r\n", "&#13;\n")
        out = re.sub("\r(?!\n)", "&#13;<br>", out)
        out = out.replace("\r", "&#13;")
    return out


def escape_text(s: object) -> str:
    """Escape document text (or a name, a number) for HTML text content, with invisible and
    direction-changing characters labelled and isolated (``css.SPECIAL_CSS``)."""
    s = str(s)
    if not _SPECIAL_RE.search(s):
        return _escape_plain(s)
    parts = []
    pos = 0
    for m in _SPECIAL_RE.finditer(s):
        parts.append(_escape_plain(s[pos : m.start()]))
        parts.append(_special(m.group()))
        pos = m.end()
    parts.append(_escape_plain(s[pos:]))
    return "".join(parts)
