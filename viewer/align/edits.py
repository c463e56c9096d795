"""The two shapes a difference takes inside the aligner.

An ``Edit`` is one row of the working edit list: an equal or a non-equal stretch of token
ranges. The rows of one list tile both token lists in order; each stage of the pipeline takes
the list, moves row boundaries in place and returns it normalised. A ``Hunk`` is what the last
stage (``classify``) makes of a non-equal row: its kind and character spans, frozen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..kinds import INSERTED, MISSING, SUBSTITUTED


@dataclass(slots=True)
class Edit:
    """Tokens ``i0..i1`` of the original against ``j0..j1`` of the corrupted text, ``equal``
    when their keys are the same. Mutable: the clean-up stages slide and merge rows in place
    (a slotted object, not a dict, because a million-token pair has ~100k of them)."""

    equal: bool
    i0: int
    i1: int
    j0: int
    j1: int
    # a non-equal row whose tokens differ only in case (``split_case``): one word each, never
    # merged with a neighbour, so that case alone never hides or joins a real change
    case: bool = False
    # an equal row matched on case-folded keys (``rematch_folded``, ``refine``), whose exact
    # keys ``split_case`` still has to compare; rows of the exact diff are exactly equal
    folded: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class Hunk:
    """One difference. Spans are character offsets (end exclusive) into each side's text;
    ``ta``/``tb`` the token index ranges. A missing hunk has an empty ``b`` span at the spot
    where the text went missing, an inserted one an empty ``a`` span. ``gap`` is the run of
    spaces in the corrupted text that stands in for deleted material, when there is one."""

    id: int
    kind: str
    a: tuple[int, int]
    b: tuple[int, int]
    ta: tuple[int, int]
    tb: tuple[int, int]
    gap: tuple[int, int] | None = None

    def __post_init__(self):
        # a token is never empty, so a side's span is empty exactly when its token range is;
        # written out branch by branch because a million-token pair makes ~50k hunks
        (a0, a1), (b0, b1), (ta0, ta1), (tb0, tb1) = self.a, self.b, self.ta, self.tb
        if ta0 == ta1:
            ok = self.kind == INSERTED and a0 == a1 and tb0 < tb1 and b0 < b1
        elif tb0 == tb1:
            ok = self.kind == MISSING and b0 == b1 and a0 < a1
        else:
            ok = self.kind == SUBSTITUTED and a0 < a1 and b0 < b1
        if not ok:
            raise ValueError(
                f"a hunk of kind {self.kind!r} with spans {self.a} / {self.b} and tokens "
                f"{self.ta} / {self.tb}: missing has only an original side, inserted only a "
                f"corrupted side, substituted both")


def edits_from_blocks(blocks, n_a: int, n_b: int) -> list[Edit]:
    """The edit list of equal runs ``(i, j, n)`` and the stretches between them."""
    rows = []
    i = j = 0
    for bi, bj, n in blocks:
        if bi > i or bj > j:
            rows.append(Edit(False, i, bi, j, bj))
        rows.append(Edit(True, bi, bi + n, bj, bj + n))
        i, j = bi + n, bj + n
    if i < n_a or j < n_b:
        rows.append(Edit(False, i, n_a, j, n_b))
    return rows


def normalize_edits(rows: list[Edit]) -> list[Edit]:
    """Drop empty rows and merge neighbours of the same kind (rows are reused, not copied:
    each step of the pipeline owns the list it is given)."""
    out = []
    append = out.append
    last = None
    for row in rows:
        if row.i0 == row.i1 and row.j0 == row.j1:
            continue
        if last is not None and last.equal == row.equal and not (last.case or row.case):
            last.i1 = row.i1
            last.j1 = row.j1
            last.folded = last.folded or row.folded
        else:
            last = row
            append(row)
    return out


def mirror_edits(rows: list[Edit]) -> list[Edit]:
    """The same rows with the two sides exchanged (in place)."""
    for r in rows:
        r.i0, r.i1, r.j0, r.j1 = r.j0, r.j1, r.i0, r.i1
    return rows
