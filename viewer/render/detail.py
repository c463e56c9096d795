"""The detail panel's HTML: a difference's texts, its character-level comparison and the places
in the original a copied text came from (``page_data.source_places``, from the provenance)."""

from __future__ import annotations

from ..align import Alignment, Hunk
from .escape import escape_text

# Character-level differences are computed for hunks up to this long on each side: Levenshtein
# opcodes cost length x length, and 3,000 characters (a long paragraph) still answer within a
# click; a longer text is a passage, not a misspelling.
CHAR_DIFF_MAX = 3_000


def render_text_block(text: str) -> str:
    """A piece of document text as a block of its own (the detail panel's texts)."""
    return f'<div class="cv-textblock">{escape_text(text)}</div>'


def render_char_diff(al: Alignment, h: Hunk) -> str:
    """Both texts of a hunk with the characters that differ marked (``<del>`` in the original,
    ``<ins>`` in the corrupted text)."""
    a_txt, b_txt = al.hunk_texts(h)
    if len(a_txt) > CHAR_DIFF_MAX or len(b_txt) > CHAR_DIFF_MAX:
        return ('<div class="cv-src-note">Too long for a character-level comparison '
                f'({len(a_txt):,} and {len(b_txt):,} characters).</div>')
    a_runs: list[list] = []  # [changed?, text], neighbours of the same kind merged
    b_runs: list[list] = []
    for tag, i0, i1, j0, j1 in al.char_opcodes(h):
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


def render_source_place(place, first: bool = False) -> str:
    """One place a copied text came from (a ``page_data.SourcePlace``): its line, and its text
    marked inside a little context from its line; the ``first`` says "Copied from"."""
    head = '<div class="cv-src-head">Copied from</div>' if first else ""
    return (f'{head}<div class="cv-src"><span class="cv-src-line">line {place.line:,}</span>'
            f"…{escape_text(place.before)}<mark>{escape_text(place.match)}</mark>"
            f"{escape_text(place.after)}…</div>")
