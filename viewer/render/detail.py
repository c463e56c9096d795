"""The detail panel's HTML: a difference's texts, its character-level comparison and the places
in the original its corrupted text occurs (``sources.find_sources``)."""

from __future__ import annotations

import regex

from ..align import Alignment, Hunk
from .escape import escape_text
from .sources import Source

# Character-level differences are computed for hunks up to this long on each side: Levenshtein
# opcodes cost length x length, and 3,000 characters (a long paragraph) still answer within a
# click; a longer text is a passage, not a misspelling.
CHAR_DIFF_MAX = 3_000


def render_text_block(text: str) -> str:
    """A piece of document text as a block of its own (the detail panel's texts)."""
    return f'<div class="cv-textblock">{escape_text(text)}</div>'


_CLUSTER_RE = regex.compile(r"\X", regex.DOTALL)


def _cluster_opcodes(al: Alignment, h: Hunk, a_txt: str, b_txt: str):
    """Character-level edit operations that never cut a grapheme cluster: ``👨‍👩‍👧`` against
    ``👨‍👩‍👦`` is one changed emoji (not a changed last code point after an equal ``👨‍👩‍``),
    ``é`` written as ``e`` + U+0301 stays one letter. Plain text takes the aligner's own
    ``char_opcodes``; text with multi-code-point clusters is compared cluster by cluster."""
    ca = _CLUSTER_RE.findall(a_txt)
    cb = _CLUSTER_RE.findall(b_txt)
    if len(ca) == len(a_txt) and len(cb) == len(b_txt):
        return al.char_opcodes(h)
    from rapidfuzz.distance import Levenshtein

    oa, ob = [0], [0]
    for clusters, offsets in ((ca, oa), (cb, ob)):
        for c in clusters:
            offsets.append(offsets[-1] + len(c))
    return [(tag, oa[i0], oa[i1], ob[j0], ob[j1])
            for tag, i0, i1, j0, j1 in Levenshtein.opcodes(ca, cb)]


def render_char_diff(al: Alignment, h: Hunk) -> str:
    """Both texts of a hunk with the characters that differ marked (``<del>`` in the original,
    ``<ins>`` in the corrupted text)."""
    a_txt, b_txt = al.hunk_texts(h)
    if len(a_txt) > CHAR_DIFF_MAX or len(b_txt) > CHAR_DIFF_MAX:
        return ('<div class="cv-src-note">Too long for a character-level comparison '
                f'({len(a_txt):,} and {len(b_txt):,} characters).</div>')
    a_runs: list[list] = []  # [changed?, text], neighbours of the same kind merged
    b_runs: list[list] = []
    for tag, i0, i1, j0, j1 in _cluster_opcodes(al, h, a_txt, b_txt):
        for runs, piece in ((a_runs, a_txt[i0:i1]), (b_runs, b_txt[j0:j1])):
            if not piece:
                continue
            changed = tag != "equal"
            if runs and runs[-1][0] == changed:
                runs[-1][1] += piece
            else:
                runs.append([changed, piece])
    a_out = [f"<del>{escape_text(t)}</del>" if c else escape_text(t) for c, t in a_runs]
    b_out = [f"<ins>{escape_text(t)}</ins>" if c else escape_text(t) for c, t in b_runs]

    def text(parts, empty):
        body = "".join(parts)
        if not body:
            return f'<span class="cv-cd-text cv-cd-none">{empty}</span>'
        return f'<span class="cv-cd-text">{body}</span>'

    return ('<div class="cv-cd">'
            '<span class="cv-cd-label">Original</span>'
            f'{text(a_out, "nothing")}'
            '<span class="cv-cd-label">Corrupted</span>'
            f'{text(b_out, "nothing")}'
            '</div>')




def render_sources(sources: list[Source], total: int, here_token: int | None = None) -> str:
    if not sources:
        return ('<div class="cv-src-note">The corrupted text of this difference does not occur '
                'in the original.</div>')
    nearest = min(sources, key=lambda s: abs(s.token - here_token)) if here_token is not None \
        else None
    items = []
    for s in sources:
        mark = ('<span class="cv-src-here">nearest</span>'
                if nearest is s and len(sources) > 1 else "")
        items.append(f'<li><span class="cv-src-line">line {s.line:,}</span>'
                     f'…{escape_text(s.before)}<mark>{escape_text(s.match)}</mark>{escape_text(s.after)}…{mark}</li>')
    more = (f'<div class="cv-src-note">{len(sources)} of {total:,} places shown, nearest '
            'first.</div>' if total > len(sources) else "")
    return f'<ul class="cv-src">{"".join(items)}</ul>{more}'
