"""Alignment -> escaped HTML: the side-by-side rows (windowed), a standalone report, and the small
pieces of the detail panel (character-level differences, where a swapped mention came from).

Pure functions returning strings; nothing here imports streamlit. Every piece of document text
goes through ``_esc`` (``html.escape`` plus visible markers for invisible characters), styling is
CSS classes (``CSS`` below), and gap markers are empty elements drawn by CSS, so the text content
of each pane is exactly its source text.

Rows keep the two texts in step. Row boundaries are the original's line starts (one paragraph
per line in the example), mapped through the alignment to the corrupted text; a difference that
spans a boundary moves the boundary to its end, so it stays in one row; a long insertion gets a
row of its own with a gap on the left; very long lines are cut at sentence ends. A ``Layout``
holds the cuts, so a window of rows around the selection can be rendered without touching the
rest of a million-token document.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from .align import INSERTED, KINDS, MISSING, SUBSTITUTED, Alignment, Hunk
from .stats import line_starts

# An insertion this many tokens long (the quoted paragraph of the example) gets its own row.
LONG_INSERT = 12
# A difference this many tokens long (a region too large to align, two unrelated files) may be cut
# across rows; shorter ones always stay in one row.
HUGE_HUNK = 300
# Long lines are cut into rows near ROW_TARGET characters, at a sentence end when there is one,
# and rows run past ROW_MAX characters only when a single token (or difference) is longer.
ROW_TARGET = 700
ROW_MAX = 1600
# A window sent to the browser: at most this many rows and (about) this many characters.
WINDOW_ROWS = 200
WINDOW_CHARS = 150_000
# Character-level differences are computed for hunks up to this long on each side.
CHAR_DIFF_MAX = 3_000

KIND_LABELS = {MISSING: "Missing", SUBSTITUTED: "Substituted", INSERTED: "Inserted"}
# Okabe-Ito: vermillion, reddish purple, blue (safe for the common colour-vision deficiencies).
KIND_COLOURS = {MISSING: "#D55E00", SUBSTITUTED: "#CC79A7", INSERTED: "#0072B2"}

_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
_SENTENCE_END = frozenset(".!?…;:")

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


# --- escaping ---------------------------------------------------------------------------------


def _special(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    label = _SPECIAL_NAMES.get(ch, code)
    name = unicodedata.name(ch, "")
    title = f"{code} {name}".strip()
    # the character itself stays (text content = source text); CSS draws the label
    return (f'<span class="cv-cc" data-cc="{html.escape(label)}" '
            f'title="{html.escape(title)}">{ch}</span>')


def _esc_plain(s: str) -> str:
    out = html.escape(s)
    if "\r" in out:
        # a raw CR would be folded into LF by the HTML parser; a lone CR (old Mac line ends) also
        # gets a <br>, which has no text content, so it still breaks the line on screen
        out = out.replace("\r\n", "&#13;\n")
        out = re.sub("\r(?!\n)", "&#13;<br>", out)
        out = out.replace("\r", "&#13;")
    return out


def escape_text(s: str) -> str:
    """Escape document text for HTML text content, with invisible and direction-changing
    characters labelled and isolated (``SPECIAL_CSS``)."""
    return _esc(s)


def render_text_block(text: str) -> str:
    """A piece of document text as a block of its own (the detail panel's texts)."""
    return f'<div class="cv-textblock">{_esc(text)}</div>'


def _esc(s: str) -> str:
    """Escape one piece of document text for HTML text content."""
    if not _SPECIAL_RE.search(s):
        return _esc_plain(s)
    parts = []
    pos = 0
    for m in _SPECIAL_RE.finditer(s):
        parts.append(_esc_plain(s[pos : m.start()]))
        parts.append(_special(m.group()))
        pos = m.end()
    parts.append(_esc_plain(s[pos:]))
    return "".join(parts)


def _attr(s: object) -> str:
    return html.escape(str(s), quote=True)


# --- layout -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Layout:
    """Row cuts of one Alignment. Row ``k`` covers tokens ``ta[k]:ta[k+1]`` and characters
    ``a[k]:a[k+1]`` of the original, ``tb``/``b`` likewise of the corrupted text; the rows tile
    both texts. ``line[k]`` is the original's (1-based) line where row ``k`` starts;
    ``hunk_first[h]``/``hunk_last[h]`` the rows difference ``h`` is drawn in."""

    ta: array
    tb: array
    a: array
    b: array
    line: array
    hunk_first: array
    hunk_last: array

    def __len__(self) -> int:
        return len(self.a) - 1

    def row_of_hunk(self, hunk_id: int) -> int:
        return self.hunk_first[hunk_id]

    def is_gap_row(self, k: int, side: str) -> bool:
        """Row ``k`` has nothing on this side (a long insertion, or a removed paragraph)."""
        cuts = self.ta if side == "a" else self.tb
        return cuts[k] == cuts[k + 1]


class _Locator:
    """Where a token boundary of the original falls in the alignment."""

    def __init__(self, al: Alignment):
        hs = al.hunks
        self.hunks = hs
        self.ta0 = [h.ta[0] for h in hs]
        self.ta1 = [h.ta[1] for h in hs]
        self.tb0 = [h.tb[0] for h in hs]
        self.tb1 = [h.tb[1] for h in hs]

    def locate(self, i: int) -> tuple[int | None, int, int | None]:
        """``(hunk inside which i falls, or None; j of the corrupted side where i maps; the
        insertion sitting exactly at i, or None)``."""
        k = bisect.bisect_left(self.ta0, i)
        if k > 0 and self.ta1[k - 1] > i:
            return k - 1, -1, None
        j = i + (self.tb1[k - 1] - self.ta1[k - 1]) if k > 0 else i
        ins = None
        if k < len(self.ta0) and self.ta0[k] == i and self.ta1[k] == i:
            ins = k
        return None, j, ins


def _is_huge(h: Hunk) -> bool:
    return max(h.ta[1] - h.ta[0], h.tb[1] - h.tb[0]) >= HUGE_HUNK


def _proportional(h: Hunk, i: int) -> int:
    """The corrupted-side token matching original token ``i`` inside a huge hunk."""
    (a0, a1), (b0, b1) = h.ta, h.tb
    return b0 + round((i - a0) * (b1 - b0) / (a1 - a0))


def _break_before(text: str, tok, j: int) -> bool:
    """Is there a line break in the whitespace before token ``j``?"""
    start = tok.ends[j - 1] if j > 0 else 0
    end = tok.starts[j] if j < len(tok) else len(text)
    return "\n" in text[start:end] or "\r" in text[start:end]


def _line_start_tokens(al: Alignment) -> list[int]:
    """Token indices of the original that start a line (not the first or last position)."""
    text, starts, n = al.a_text, al.a.starts, len(al.a)
    out = []
    last = 0
    for m in _LINE_BREAK_RE.finditer(text):
        i = bisect.bisect_left(starts, m.end())
        if 0 < i < n and i != last:
            out.append(i)
            last = i
    return out


def layout_rows(al: Alignment) -> Layout:
    """Cut both texts into rows kept in step (see the module docstring)."""
    A, B = al.a, al.b
    na, nb = len(A), len(B)
    loc = _Locator(al)
    hunks = al.hunks
    points: list[tuple[int, int]] = []

    for i in _line_start_tokens(al):
        inside, j, ins = loc.locate(i)
        if inside is not None:
            h = hunks[inside]
            if _is_huge(h):
                points.append((i, _proportional(h, i)))
            else:  # the difference stays whole, in the row where it starts
                points.append((h.ta[1], h.tb[1]))
        elif ins is not None:
            h = hunks[ins]
            if h.tb[1] - h.tb[0] >= LONG_INSERT:
                points += [(i, h.tb[0]), (i, h.tb[1])]
            elif _break_before(al.b_text, B, h.tb[0]):
                points.append((i, h.tb[0]))  # it starts the corrupted text's next line
            else:
                points.append((i, h.tb[1]))  # debris at the end of the paragraph
        else:
            points.append((i, j))
    for h in hunks:
        if h.kind == INSERTED and h.tb[1] - h.tb[0] >= LONG_INSERT:
            points += [(h.ta[0], h.tb[0]), (h.ta[0], h.tb[1])]

    cuts = [(0, 0)]
    for p in sorted(set(points)):
        if p[0] >= cuts[-1][0] and p[1] >= cuts[-1][1] and p != cuts[-1] and p != (na, nb):
            cuts.append(p)
    cuts.append((na, nb))
    if cuts[-1] == cuts[-2] and not (al.a_text or al.b_text):
        cuts.pop()  # nothing at all: no rows
    elif cuts[-1] == cuts[-2] and len(cuts) > 2:
        cuts.pop()

    cuts = _subdivide(al, loc, cuts)

    a_len, b_len = len(al.a_text), len(al.b_text)

    def a_char(i: int) -> int:
        return 0 if i == 0 else (A.starts[i] if i < na else a_len)

    def b_char(i: int, j: int) -> int:
        if j == 0:
            return 0
        if j >= nb:
            return b_len
        # a removed compound at the start of this row: its run of spaces starts the row
        k = bisect.bisect_left(loc.ta0, i)
        if k < len(hunks):
            h = hunks[k]
            if h.ta[0] == i and h.kind == MISSING and h.tb[0] == j and h.gap:
                return h.gap[0]
        return B.starts[j]

    ta = array("q", (c[0] for c in cuts))
    tb = array("q", (c[1] for c in cuts))
    a = array("q", (a_char(i) for i, _ in cuts))
    b = array("q", (b_char(i, j) for i, j in cuts))
    a[-1], b[-1] = a_len, b_len

    starts = line_starts(al.a_text)
    line = array("q", (bisect.bisect_right(starts, c) for c in a[:-1]))

    first = array("q")
    last = array("q")
    for h in hunks:
        if h.ta[1] > h.ta[0]:
            first.append(bisect.bisect_right(ta, h.ta[0]) - 1)
            last.append(bisect.bisect_right(ta, h.ta[1] - 1) - 1)
        else:
            first.append(bisect.bisect_right(tb, h.tb[0]) - 1)
            last.append(bisect.bisect_right(tb, h.tb[1] - 1) - 1)
    n_rows = len(cuts) - 1
    for idx in range(len(first)):
        first[idx] = min(max(first[idx], 0), n_rows - 1)
        last[idx] = min(max(last[idx], first[idx]), n_rows - 1)
    return Layout(ta, tb, a, b, line, first, last)


def _subdivide(al: Alignment, loc: _Locator, cuts: list[tuple[int, int]]):
    """Cut rows longer than ROW_MAX characters on either side, at sentence ends if possible."""
    A, B = al.a, al.b
    na, nb = len(A), len(B)
    a_len, b_len = len(al.a_text), len(al.b_text)

    def a_char(i):
        return 0 if i == 0 else (A.starts[i] if i < na else a_len)

    def b_char(j):
        return 0 if j == 0 else (B.starts[j] if j < nb else b_len)

    def sentence_end(tok, k):
        return k > 0 and tok.text[tok.ends[k - 1] - 1] in _SENTENCE_END

    out = [cuts[0]]
    for (i0, j0), (i1, j1) in zip(cuts, cuts[1:], strict=False):
        if max(a_char(i1) - a_char(i0), b_char(j1) - b_char(j0)) <= ROW_MAX:
            out.append((i1, j1))
            continue
        if i1 > i0:
            cands = ((i, *_map(loc, i), sentence_end(A, i)) for i in range(i0 + 1, i1))
            cands = ((i, j, s) for i, j, ok, s in cands if ok and j0 <= j <= j1)
        else:  # a row with nothing on the left: cut the corrupted side alone
            cands = ((i0, j, sentence_end(B, j)) for j in range(j0 + 1, j1))
        start = (i0, j0)
        ok = best = None
        for i, j, is_sentence in cands:
            la = a_char(i) - a_char(start[0])
            lb = b_char(j) - b_char(start[1])
            if max(la, lb) > ROW_MAX:
                cut = best or ok
                if cut is None or cut == start:
                    cut = (i, j)
                out.append(cut)
                start = cut
                ok = best = None
                la = a_char(i) - a_char(start[0])
                lb = b_char(j) - b_char(start[1])
                if (i, j) == start:
                    continue
            ok = (i, j)
            if is_sentence:
                if max(la, lb) >= ROW_TARGET:
                    out.append((i, j))
                    start = (i, j)
                    ok = best = None
                elif max(la, lb) >= ROW_TARGET // 3:
                    best = (i, j)
        out.append((i1, j1))
    return out


def _map(loc: _Locator, i: int) -> tuple[int, bool]:
    """``(j, usable)``: where original token boundary ``i`` maps, and whether a row may be cut
    there (not inside a difference, unless it is a huge one)."""
    inside, j, _ = loc.locate(i)
    if inside is None:
        return j, True
    h = loc.hunks[inside]
    if _is_huge(h):
        return _proportional(h, i), True
    return -1, False


def window(layout: Layout, row: int, max_rows: int = WINDOW_ROWS,
           max_chars: int = WINDOW_CHARS) -> tuple[int, int]:
    """Rows ``[start, stop)`` around ``row``: at most ``max_rows`` rows, and about
    ``max_chars`` characters of text (always at least the row itself)."""
    n = len(layout)
    if n == 0:
        return 0, 0
    row = min(max(row, 0), n - 1)

    def size(k):
        return (layout.a[k + 1] - layout.a[k]) + (layout.b[k + 1] - layout.b[k])

    start, stop = row, row + 1
    used = size(row)
    # a little more context after the selection than before it
    while stop - start < max_rows:
        grew = False
        for side in (1, 1, -1):
            if stop - start >= max_rows:
                break
            k = stop if side > 0 else start - 1
            if 0 <= k < n and used + size(k) <= max_chars:
                used += size(k)
                if side > 0:
                    stop += 1
                else:
                    start -= 1
                grew = True
        if not grew:
            break
    return start, stop


# --- the side-by-side view --------------------------------------------------------------------

# Invisible and direction-changing characters: the character stays (isolated, so an override
# reaches no further than itself) and CSS draws its name.
SPECIAL_CSS = """
.cv-cc{unicode-bidi:isolate;font-size:0}
.cv-cc::before{content:attr(data-cc);font-size:10px;line-height:1;font-family:ui-monospace,
  monospace;padding:0 2px;margin:0 1px;border:1px solid currentColor;border-radius:2px;
  color:var(--cv-muted,rgba(110,110,120,.95));vertical-align:1px}
"""

CSS = """
.cv-view,.cv-legend-wrap{--cv-missing:#D55E00;--cv-substituted:#A8507F;--cv-inserted:#0072B2;
  --cv-missing-bg:rgba(213,94,0,.16);--cv-substituted-bg:rgba(204,121,167,.24);
  --cv-inserted-bg:rgba(0,114,178,.14);--cv-rule:rgba(128,128,128,.22);
  --cv-muted:rgba(110,110,120,.95);--cv-ink:var(--st-text-color,#1f2328)}
.cv-view{color:var(--cv-ink);font-size:15px;line-height:1.65;
  font-family:var(--st-font,"Source Sans Pro",system-ui,sans-serif);
  border:1px solid var(--cv-rule);border-radius:.5rem;overflow:hidden;
  background:var(--st-background-color,#fff)}
.cv-head,.cv-row{display:grid;grid-template-columns:3.3rem minmax(0,1fr) minmax(0,1fr)}
.cv-head{font-size:.8rem;font-weight:600;letter-spacing:.02em;color:var(--cv-muted);
  background:var(--st-secondary-background-color,#f4f5f7);border-bottom:1px solid var(--cv-rule)}
.cv-head>div{padding:.4rem .75rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.cv-head>div+div+div{border-left:1px solid var(--cv-rule)}
.cv-rows{max-height:var(--cv-height,62vh);overflow-y:auto;overscroll-behavior:contain}
.cv-row{border-top:1px solid var(--cv-rule)}
.cv-row:first-child{border-top:0}
.cv-row::before{content:attr(data-line);color:var(--cv-muted);font-size:.72rem;
  text-align:right;padding:.45rem .5rem 0 0;font-variant-numeric:tabular-nums;user-select:none}
.cv-cell{padding:.3rem .75rem .35rem;white-space:pre-wrap;overflow-wrap:anywhere;
  word-break:normal;tab-size:4;min-width:0}
.cv-cell[data-side="b"]{border-left:1px solid var(--cv-rule)}
.cv-gaprow{background:repeating-linear-gradient(135deg,transparent 0 6px,
  rgba(128,128,128,.10) 6px 12px)}
.cv-gaprow::after{content:attr(data-note);display:block;font-size:.75rem;font-style:italic;
  color:var(--cv-muted)}
.cv-h{border-radius:3px;padding:0 1px;cursor:pointer;
  -webkit-box-decoration-break:clone;box-decoration-break:clone}
.cv-h[data-kind="missing"]{background:var(--cv-missing-bg);text-decoration:line-through;
  text-decoration-color:var(--cv-missing);text-decoration-thickness:2px}
.cv-h[data-kind="inserted"]{background:var(--cv-inserted-bg);text-decoration:underline;
  text-decoration-color:var(--cv-inserted);text-decoration-thickness:2px;
  text-underline-offset:3px}
.cv-h[data-kind="substituted"]{background:var(--cv-substituted-bg);
  outline:1.5px dotted var(--cv-substituted);outline-offset:-1px}
.cv-gap,.cv-pt{cursor:pointer;border-radius:2px}
.cv-gap{background:repeating-linear-gradient(135deg,var(--cv-gap-c) 0 2px,transparent 2px 5px);
  box-shadow:inset 0 -2px 0 var(--cv-gap-c)}
.cv-pt{display:inline-block;width:.7em;height:1.05em;vertical-align:-.15em;margin:0 1px;
  border-left:2px solid var(--cv-gap-c);
  background:repeating-linear-gradient(135deg,var(--cv-gap-c) 0 2px,transparent 2px 5px)}
.cv-gap[data-kind="missing"],.cv-pt[data-kind="missing"]{--cv-gap-c:var(--cv-missing)}
.cv-gap[data-kind="inserted"],.cv-pt[data-kind="inserted"]{--cv-gap-c:var(--cv-inserted)}
.cv-gap[data-kind="substituted"],.cv-pt[data-kind="substituted"]{--cv-gap-c:var(--cv-substituted)}
.cv-view [data-hunk]:hover:not([aria-current]),.cv-view .cv-hover:not([aria-current]){
  outline:2px dashed var(--cv-ink);outline-offset:1px}
.cv-view [aria-current="true"]{outline:2.5px solid var(--cv-ink);outline-offset:1px;
  box-shadow:0 0 0 5px rgba(240,228,66,.55)}
.cv-dim-missing [data-kind="missing"],.cv-dim-substituted [data-kind="substituted"],
.cv-dim-inserted [data-kind="inserted"]{opacity:.38}
""" + SPECIAL_CSS + """
.cv-more{padding:.35rem .75rem;font-size:.8rem;color:var(--cv-muted);text-align:center;
  background:var(--st-secondary-background-color,#f4f5f7);cursor:pointer;
  border-top:1px solid var(--cv-rule)}
.cv-more::before{content:attr(data-note)}
.cv-more:hover{text-decoration:underline}
.cv-empty-doc{padding:1rem;color:var(--cv-muted)}
.cv-legend{display:flex;flex-wrap:wrap;gap:.35rem 1.1rem;align-items:center;font-size:.85rem;
  line-height:1.7;color:var(--st-text-color,#1f2328)}
.cv-legend .cv-key{display:inline-flex;align-items:center;gap:.4rem}
.cv-legend .cv-h,.cv-legend .cv-pt,.cv-legend .cv-gap{cursor:default}
.cv-legend .cv-note{color:rgba(110,110,120,.95)}
"""


def _span(kind: str, hid: int, body: str, *, cls: str, selected: bool, total: int,
          anchor: bool = False) -> str:
    sel = ' aria-current="true"' if selected else ""
    ident = f' id="d{hid + 1}"' if anchor else ""
    title = f"{KIND_LABELS[kind]} · difference {hid + 1} of {total}"
    return (f'<span class="{cls}" data-kind="{kind}" data-hunk="{hid}"{sel}{ident} '
            f'title="{title}">{body}</span>')


def _cell(text: str, c0: int, c1: int, items: list, selected: int | None, total: int,
          anchors: set[int] | None) -> str:
    """One side of one row: text ``[c0, c1)`` with highlights. ``items``: ``(start, end, kind,
    hunk id, class)``; a point marker has ``start == end``."""
    out = []
    pos = c0
    for start, end, kind, hid, cls in sorted(items, key=lambda it: (it[0], it[1] > it[0])):
        start = max(start, pos)
        if start > pos:
            out.append(_esc(text[pos:start]))
        anchor = anchors is not None and hid in anchors
        if anchor:
            anchors.discard(hid)
        if end <= start:
            out.append(_span(kind, hid, "", cls="cv-pt", selected=hid == selected, total=total,
                             anchor=anchor))
            pos = start
        else:
            out.append(_span(kind, hid, _esc(text[start:end]), cls=cls,
                             selected=hid == selected, total=total, anchor=anchor))
            pos = end
    if c1 > pos:
        out.append(_esc(text[pos:c1]))
    return "".join(out)


def _clamp(x: int, lo: int, hi: int) -> int:
    return lo if x < lo else hi if x > hi else x


def _row_items(al: Alignment, layout: Layout, k: int, hunk_ids: Iterable[int]):
    a0, a1, b0, b1 = layout.a[k], layout.a[k + 1], layout.b[k], layout.b[k + 1]
    A = al.a
    left, right = [], []
    for hid in hunk_ids:
        h = al.hunks[hid]
        home = layout.hunk_first[hid] == k
        if h.a[1] > h.a[0]:
            s, e = max(h.a[0], a0), min(h.a[1], a1)
            if s < e:
                left.append((s, e, h.kind, hid, "cv-h"))
        elif home:  # inserted: a marker right after the token it follows
            p = A.ends[h.ta[0] - 1] if h.ta[0] > 0 else 0
            p = _clamp(p, a0, a1)
            left.append((p, p, h.kind, hid, "cv-pt"))
        if h.b[1] > h.b[0]:
            s, e = max(h.b[0], b0), min(h.b[1], b1)
            if s < e:
                right.append((s, e, h.kind, hid, "cv-h"))
        elif h.gap and h.gap[0] < b1 and h.gap[1] > b0:
            # the run of spaces the deletion left behind is the marker
            right.append((max(h.gap[0], b0), min(h.gap[1], b1), h.kind, hid, "cv-gap"))
        elif home:
            p = _clamp(h.b[0], b0, b1)
            right.append((p, p, h.kind, hid, "cv-pt"))
    return left, right


def _hunks_in_rows(layout: Layout, start: int, stop: int) -> range:
    lo = bisect.bisect_left(layout.hunk_last, start)
    hi = bisect.bisect_left(layout.hunk_first, stop)
    return range(lo, max(lo, hi))


def render_rows(al: Alignment, layout: Layout | None = None, start: int = 0,
                stop: int | None = None, *, selected: int | None = None,
                names: tuple[str, str] = ("Original", "Corrupted"),
                dim_kinds: Sequence[str] = (), anchors: bool = False) -> str:
    """The side-by-side view of rows ``[start, stop)`` (all rows by default), escaped HTML.

    Every highlight and gap marker carries ``data-kind`` and ``data-hunk``; the elements of the
    ``selected`` hunk carry ``aria-current="true"``. Cells are ``.cv-cell[data-side=a|b]`` with
    ``data-span="start-end"`` (character offsets), so the text content of the ``a`` cells in
    order is exactly ``al.a_text[start:end]`` of the window. ``dim_kinds`` are drawn faded (a
    kind filter); ``anchors`` gives each difference's first element an ``id="d<k>"``."""
    layout = layout or layout_rows(al)
    n = len(layout)
    stop = n if stop is None else min(stop, n)
    start = max(0, min(start, stop))
    total = len(al.hunks)
    classes = " ".join(["cv-view", *(f"cv-dim-{k}" for k in dim_kinds if k in KINDS)])
    head = (f'<div class="cv-head"><div></div><div>{_esc(names[0])}</div>'
            f'<div>{_esc(names[1])}</div></div>')
    parts = [f'<div class="{classes}" data-rows="{n}" data-start="{start}" data-stop="{stop}">',
             head, '<div class="cv-rows">']
    if start > 0:
        parts.append(f'<div class="cv-more" data-dir="-1" data-note="▲ {start:,} earlier rows '
                     f'— click to show them"></div>')
    if not al.a_text and not al.b_text:
        parts.append('<div class="cv-empty-doc">Both texts are empty.</div>')
    hids = _hunks_in_rows(layout, start, stop)
    hi = hids.start
    pending: list[int] = []
    anchor_set = set(hids) if anchors else None
    prev_line = layout.line[start - 1] if start > 0 else 0
    for k in range(start, stop):
        # hunks drawn in row k: those whose rows [first, last] contain k
        while hi < hids.stop and layout.hunk_first[hi] <= k:
            pending.append(hi)
            hi += 1
        pending = [h for h in pending if layout.hunk_last[h] >= k]
        left, right = _row_items(al, layout, k, pending)
        a0, a1, b0, b1 = layout.a[k], layout.a[k + 1], layout.b[k], layout.b[k + 1]
        gap_a = layout.is_gap_row(k, "a") and a0 == a1
        gap_b = layout.is_gap_row(k, "b") and b0 == b1
        line = layout.line[k]
        label = "+" if gap_a else (str(line) if line != prev_line else "")
        if not gap_a:
            prev_line = line
        cell_a = _cell(al.a_text, a0, a1, left, selected, total, anchor_set)
        cell_b = _cell(al.b_text, b0, b1, right, selected, total, anchor_set)
        cls_a = ' cv-gaprow" data-note="nothing in the original' if gap_a else ""
        cls_b = ' cv-gaprow" data-note="nothing in the corrupted text' if gap_b else ""
        parts.append(
            f'<div class="cv-row" data-row="{k}" data-line="{label}">'
            f'<div class="cv-cell{cls_a}" data-side="a" data-span="{a0}-{a1}" dir="auto">'
            f'{cell_a}</div>'
            f'<div class="cv-cell{cls_b}" data-side="b" data-span="{b0}-{b1}" dir="auto">'
            f'{cell_b}</div></div>')
    if stop < n:
        parts.append(f'<div class="cv-more" data-dir="1" data-note="▼ {n - stop:,} later rows '
                     f'— click to show them"></div>')
    parts.append("</div></div>")
    return "".join(parts)


def render_legend(counts: dict[str, int] | None = None) -> str:
    """The key to the colours and marks (HTML, no document text)."""
    def n(kind):
        return f" ({counts[kind]:,})" if counts and kind in counts else ""

    keys = [
        f'<span class="cv-key"><span class="cv-h" data-kind="missing">missing</span>'
        f'<span class="cv-pt" data-kind="missing"></span>only in the original{n(MISSING)}'
        f'</span>',
        f'<span class="cv-key"><span class="cv-h" data-kind="substituted">substituted</span>'
        f'changed on both sides{n(SUBSTITUTED)}</span>',
        f'<span class="cv-key"><span class="cv-h" data-kind="inserted">inserted</span>'
        f'<span class="cv-pt" data-kind="inserted"></span>only in the corrupted text'
        f'{n(INSERTED)}</span>',
        '<span class="cv-key cv-note">hatched mark = where the other side has the text; '
        'spacing and quote style are not differences</span>',
    ]
    return f'<div class="cv-legend-wrap"><div class="cv-legend">{"".join(keys)}</div></div>'


# --- detail panel -------------------------------------------------------------------------------

DETAIL_CSS = """
.cv-cd{font-size:.95rem;line-height:1.7;display:grid;grid-template-columns:auto minmax(0,1fr);
  gap:.15rem .8rem}
.cv-cd .cv-cd-label{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;
  color:rgba(110,110,120,.95);padding-top:.2rem}
.cv-cd .cv-cd-text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-monospace,
  SFMono-Regular,Menlo,monospace;font-size:.88rem;background:rgba(128,128,128,.08);
  border-radius:4px;padding:.1rem .4rem}
.cv-cd del{background:rgba(213,94,0,.22);text-decoration:line-through;
  text-decoration-color:#D55E00;text-decoration-thickness:2px}
.cv-cd ins{background:rgba(0,114,178,.18);text-decoration:underline;
  text-decoration-color:#0072B2;text-decoration-thickness:2px}
.cv-cd .cv-cd-none{color:rgba(110,110,120,.95);font-style:italic;font-family:inherit}
.cv-src{font-size:.9rem;line-height:1.55;margin:0;padding:0;list-style:none}
.cv-src li{padding:.25rem 0;border-top:1px solid rgba(128,128,128,.18);white-space:pre-wrap;
  overflow-wrap:anywhere}
.cv-src .cv-src-line{display:inline-block;min-width:4.2rem;color:rgba(110,110,120,.95);
  font-size:.78rem;font-variant-numeric:tabular-nums}
.cv-src mark{background:rgba(204,121,167,.35);border-radius:2px;padding:0 1px;color:inherit}
.cv-src .cv-src-here{font-size:.72rem;color:#A8507F;margin-left:.4rem}
.cv-src-note{font-size:.85rem;color:rgba(110,110,120,.95)}
.cv-textblock{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:isolate;
  font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88rem;line-height:1.55;
  background:rgba(128,128,128,.08);border-radius:6px;padding:.6rem .8rem;margin:0 0 .6rem}
""" + SPECIAL_CSS


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
    a_out = [f"<del>{_esc(t)}</del>" if c else _esc(t) for c, t in a_runs]
    b_out = [f"<ins>{_esc(t)}</ins>" if c else _esc(t) for c, t in b_runs]

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


@dataclass(frozen=True)
class Source:
    """One place in the original where a hunk's corrupted text occurs."""

    start: int
    end: int
    line: int
    before: str
    match: str
    after: str
    token: int


class FoldIndex:
    """The original's tokens as case- and typography-folded key ids, for ``find_sources``.
    Built once per alignment (about a second for a million tokens)."""

    def __init__(self, al: Alignment):
        import numpy as np

        from .tokens import KeyOptions, make_key_function

        fold = make_key_function(KeyOptions(ignore_case=True, strict_typography=False))
        ids: dict[str, int] = {}
        self.id_map = np.fromiter(
            (ids.setdefault(fold(k), len(ids)) for k in al.a.vocab.keys), dtype=np.int64)
        self.a_ids = self.id_map[np.asarray(al.a.ids, dtype=np.int64)] if len(al.a) else \
            np.zeros(0, dtype=np.int64)
        self.line_starts = line_starts(al.a_text)


def find_sources(al: Alignment, h: Hunk, index: FoldIndex | None = None, limit: int = 12,
                 context: int = 50) -> tuple[list[Source], int]:
    """Where the hunk's corrupted text occurs in the original, compared token by token ignoring
    case, typography and spacing (``the Turks`` swapped in from another sentence). Returns up
    to ``limit`` places, nearest to the hunk first, and how many there are in all."""
    import numpy as np

    tb0, tb1 = h.tb
    if tb1 <= tb0 or tb1 - tb0 > 200:
        return [], 0
    index = index or FoldIndex(al)
    b_ids = al.b.ids
    target = index.id_map[np.asarray(b_ids[tb0:tb1], dtype=np.int64)]
    a_ids = index.a_ids
    m = len(target)
    if m == 0 or len(a_ids) < m:
        return [], 0
    cands = np.flatnonzero(a_ids[: len(a_ids) - m + 1] == target[0])
    for o in range(1, m):
        if not len(cands):
            break
        cands = cands[a_ids[cands + o] == target[o]]
    total = len(cands)
    if not total:
        return [], 0
    here = h.ta[0]
    order = np.argsort(np.abs(cands - here), kind="stable")[:limit]
    out = []
    A, text = al.a, al.a_text
    for c in sorted(int(x) for x in cands[order]):
        s, e = A.starts[c], A.ends[c + m - 1]
        b = max(0, s - context)
        f = min(len(text), e + context)
        # keep the context on the match's own line
        nl = max(text.rfind("\n", b, s), text.rfind("\r", b, s))
        if nl >= 0:
            b = nl + 1
        for ch in "\r\n":
            k = text.find(ch, e, f)
            if k >= 0:
                f = k
        line = bisect.bisect_right(index.line_starts, s)
        out.append(Source(s, e, line, text[b:s], text[s:e], text[e:f], c))
    return out, total


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
                     f'…{_esc(s.before)}<mark>{_esc(s.match)}</mark>{_esc(s.after)}…{mark}</li>')
    more = (f'<div class="cv-src-note">{len(sources)} of {total:,} places shown, nearest '
            'first.</div>' if total > len(sources) else "")
    return f'<ul class="cv-src">{"".join(items)}</ul>{more}'


def nearest_hunk(al: Alignment, token: float, ids: Sequence[int] | None = None) -> int | None:
    """The hunk (among ``ids``, all by default) whose original-side position is nearest to
    token position ``token``."""
    ids = list(range(len(al.hunks))) if ids is None else list(ids)
    if not ids:
        return None
    pos = [al.hunks[i].ta[0] for i in ids]
    k = bisect.bisect_left(pos, token)
    best = None
    for c in (k - 1, k):
        if 0 <= c < len(ids) and (best is None or abs(pos[c] - token) < abs(pos[best] - token)):
            best = c
    return ids[best]


# --- standalone report ----------------------------------------------------------------------

REPORT_CSS = """
body{margin:0;padding:1.5rem 2rem 3rem;font-family:system-ui,"Segoe UI",Roboto,sans-serif;
  color:#1f2328;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}
.cv-meta{color:#59636e;font-size:.9rem;margin-bottom:.8rem}
.cv-stats{display:flex;flex-wrap:wrap;gap:.5rem 1.6rem;margin:.6rem 0 1rem;font-size:.9rem}
.cv-stats b{font-size:1.15rem;display:block}
.cv-view .cv-rows{max-height:none;overflow:visible}
.cv-view [id]:target{outline:3px solid #1f2328;outline-offset:2px}
.cv-legend{margin:.4rem 0 .8rem}
table.cv-list{border-collapse:collapse;width:100%;font-size:.85rem;margin-top:.6rem}
table.cv-list th,table.cv-list td{border-top:1px solid #d0d7de;padding:.25rem .5rem;
  text-align:left;vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere}
table.cv-list td.n{white-space:nowrap;font-variant-numeric:tabular-nums}
h2{font-size:1.1rem;margin:1.6rem 0 .4rem}
"""


def render_report(al: Alignment, original: dict | None = None, corrupted: dict | None = None,
                  title: str = "Corruption report") -> str:
    """A standalone HTML page: summary, legend, the whole side-by-side view and the list of
    differences (each linking to its place). Inline CSS, no scripts, no external resources."""
    from .stats import summary

    original = original or {}
    corrupted = corrupted or {}
    s = summary(al)
    layout = layout_rows(al)
    name_a = original.get("path") or original.get("name") or "Original"
    name_b = corrupted.get("path") or corrupted.get("name") or "Corrupted"
    enc_a = original.get("encoding", "")
    enc_b = corrupted.get("encoding", "")
    stats = [
        ("Original tokens", f"{s['tokens']['original']:,}"),
        ("Corrupted tokens", f"{s['tokens']['corrupted']:,}"),
        ("Matched", f"{s['matched_share']:.1%}"),
        ("Missing", f"{s['hunks'][MISSING]:,}"),
        ("Substituted", f"{s['hunks'][SUBSTITUTED]:,}"),
        ("Inserted", f"{s['hunks'][INSERTED]:,}"),
        ("Corruption rate", f"{s['corruption_rate']:.1%}"),
    ]
    stats_html = "".join(f"<div><b>{v}</b>{_esc(k)}</div>" for k, v in stats)
    rows = render_rows(al, layout, names=(f"Original · {name_a}", f"Corrupted · {name_b}"),
                       anchors=True)
    lines = []
    for h in al.hunks:
        a_txt, b_txt = al.hunk_texts(h)
        lines.append(
            f'<tr><td class="n"><a href="#d{h.id + 1}">{h.id + 1}</a></td>'
            f"<td>{KIND_LABELS[h.kind]}</td>"
            f'<td class="n">{layout.line[layout.hunk_first[h.id]]:,}</td>'
            f"<td>{_esc(_shorten(a_txt))}</td><td>{_esc(_shorten(b_txt))}</td></tr>")
    table = ('<table class="cv-list"><thead><tr><th>#</th><th>Kind</th><th>Line</th>'
             '<th>Original</th><th>Corrupted</th></tr></thead><tbody>'
             f'{"".join(lines)}</tbody></table>') if lines else "<p>No differences.</p>"
    meta = (f"Original: {_esc(name_a)} ({_esc(enc_a)}, {len(al.a_text):,} characters) · "
            f"Corrupted: {_esc(name_b)} ({_esc(enc_b)}, {len(al.b_text):,} characters)")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{_esc(title)}</title><style>{CSS}{REPORT_CSS}</style></head><body>"
        f"<h1>{_esc(title)}</h1><div class=\"cv-meta\">{meta}</div>"
        f'<div class="cv-stats">{stats_html}</div>'
        f"{render_legend(s['hunks'])}{rows}"
        f"<h2>Differences ({len(al.hunks):,})</h2>{table}</body></html>\n")


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
