"""The kinds and the types of difference: one table each of their names, labels, colours and
legend text (and for kinds their marks and terminal codes).

Everything that shows a kind or a type takes it from here: the view's CSS variables, the badges,
the charts' colour scales, the legend and the terminal report (spaCy's displacy keeps its label
colours in one place the same way). A hunk's kind says *where* text differs (which side has
it); its type says *what happened* (``hunk_types.py`` decides it).

Colours are Okabe–Ito (safe for colour-blind readers); ``ink`` is the same hue darkened until
white text on it and it on white reach WCAG AA contrast (4.5:1), for badges, outlines and text.
"""

from __future__ import annotations

from dataclasses import dataclass

MISSING = "missing"
SUBSTITUTED = "substituted"
INSERTED = "inserted"


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    colour: str  # chart marks, strike-through and underline lines
    ink: str  # badges, outlines, text: AA contrast against white
    background: str  # token highlight behind the text
    terminal: str  # SGR colour code for the terminal report
    mark: str  # one-character sign in plain-text reports
    legend: str  # a few words for the legend


KIND_TABLE: dict[str, Kind] = {
    MISSING: Kind(MISSING, "Missing", "#D55E00", "#B34E00", "rgba(213,94,0,.16)",
                  "38;5;166", "-", "only in the original"),
    SUBSTITUTED: Kind(SUBSTITUTED, "Substituted", "#CC79A7", "#9C4A77", "rgba(204,121,167,.24)",
                      "38;5;136", "~", "changed on both sides"),
    INSERTED: Kind(INSERTED, "Inserted", "#0072B2", "#0072B2", "rgba(0,114,178,.14)",
                   "38;5;32", "+", "only in the corrupted text"),
}

KINDS: tuple[str, ...] = tuple(KIND_TABLE)
KIND_LABELS = {k.name: k.label for k in KIND_TABLE.values()}
KIND_COLOURS = {k.name: k.colour for k in KIND_TABLE.values()}


# --- types --------------------------------------------------------------------------------------

CASE = "case"
PUNCTUATION = "punctuation"
TYPOGRAPHY = "typography"
COPY = "copy"
MOVE = "move"
SPELLING = "spelling"
PASSAGE = "passage"
WORD = "word"


@dataclass(frozen=True)
class HunkType:
    name: str
    label: str
    legend: str  # a few words for the legend
    quiet: bool  # drawn quieter than word changes: a reader skimming for damage looks past them
    colour: str  # the charts' "colour by type" scale


# In the order of the cascade that decides them (``hunk_types.hunk_type``). Colours: greys for
# the quiet types, Okabe–Ito hues for the others.
TYPE_TABLE: dict[str, HunkType] = {
    CASE: HunkType(CASE, "Case", "same letters, other case", True, "#A3A3A3"),
    PUNCTUATION: HunkType(PUNCTUATION, "Punctuation", "only punctuation or symbols differ", True,
                          "#C9C9C9"),
    TYPOGRAPHY: HunkType(TYPOGRAPHY, "Typography", "quotes, dashes, ligatures (strict)", True,
                         "#7A7A7A"),
    COPY: HunkType(COPY, "Copy", "text copied from elsewhere in the original", False, "#009E73"),
    MOVE: HunkType(MOVE, "Move", "text moved to another place", False, "#56B4E9"),
    SPELLING: HunkType(SPELLING, "Spelling", "a few letters of a word changed", False,
                       "#E69F00"),
    PASSAGE: HunkType(PASSAGE, "Passage", "a dozen words or more added or dropped", False,
                      "#0072B2"),
    WORD: HunkType(WORD, "Word", "words replaced, dropped or added", False, "#CC79A7"),
}

TYPES: tuple[str, ...] = tuple(TYPE_TABLE)
TYPE_LABELS = {t.name: t.label for t in TYPE_TABLE.values()}
TYPE_COLOURS = {t.name: t.colour for t in TYPE_TABLE.values()}
QUIET_TYPES = frozenset(t.name for t in TYPE_TABLE.values() if t.quiet)


def css_variables() -> str:
    """The CSS custom properties every stylesheet of the product uses for the kinds and types:
    ``--cv-<kind>`` (colour), ``--cv-<kind>-ink``, ``--cv-<kind>-bg`` and
    ``--cv-type-<type>``."""
    return "".join(
        f"--cv-{k.name}:{k.colour};--cv-{k.name}-ink:{k.ink};--cv-{k.name}-bg:{k.background};"
        for k in KIND_TABLE.values()
    ) + "".join(f"--cv-type-{t.name}:{t.colour};" for t in TYPE_TABLE.values())
