"""Plain text for quoting a difference in a short space (a list cell, a report line, a
terminal line). No HTML here: an HTML caller escapes the result like any other text."""

from __future__ import annotations

import re

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def shorten(text: str, limit: int = 160, *, line_breaks: str | None = " ⏎ ",
            controls: bool = False) -> str:
    """``text`` cut to at most ``limit`` characters (the last one ``…`` when cut).

    ``line_breaks``: what each line break (CRLF, CR, LF) becomes, so the quote stays on one
    line; ``None`` keeps them (a cell that wraps). ``controls``: other non-printable characters
    shown as ``\\uXXXX`` (for a terminal, where they would act instead of show)."""
    if line_breaks is not None:
        text = _LINE_BREAK_RE.sub(line_breaks, text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if controls:
        text = "".join(c if c.isprintable() or c in " \r\n" else f"\\u{ord(c):04x}"
                       for c in text)
    return text


def markdown_literal(text: str) -> str:
    """``text`` with Markdown punctuation backslash-escaped, for the few places that render
    Markdown (Streamlit's error boxes, progress text): a message naming a file shows
    literally."""
    return "".join("\\" + c if c in "\\`*_{}[]()<>#+-.!|~:$=\"'&" else c for c in text)
