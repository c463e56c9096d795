"""The types of corruption: one table of their names, labels, legend text and loudness.

A hunk's kind says *where* text differs (which side has it); its type says *what happened*
(``hunk_types.py`` decides it). Everything that shows a type takes it from here, the way
``kinds.py`` serves the kinds. ``quiet`` types (case, punctuation, typography) are drawn
quieter than real word changes: a reader skimming for damage looks past them first.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    quiet: bool  # drawn quieter than word changes


# In the order of the cascade that decides them (``hunk_types.hunk_type``).
TYPE_TABLE: dict[str, HunkType] = {
    CASE: HunkType(CASE, "Case", "same letters, other case", True),
    PUNCTUATION: HunkType(PUNCTUATION, "Punctuation", "only punctuation or symbols differ", True),
    TYPOGRAPHY: HunkType(TYPOGRAPHY, "Typography", "quotes, dashes, ligatures (strict)", True),
    COPY: HunkType(COPY, "Copy", "text copied from elsewhere in the original", False),
    MOVE: HunkType(MOVE, "Move", "text moved to another place", False),
    SPELLING: HunkType(SPELLING, "Spelling", "a few letters of a word changed", False),
    PASSAGE: HunkType(PASSAGE, "Passage", "a dozen words or more added or dropped", False),
    WORD: HunkType(WORD, "Word", "words replaced, dropped or added", False),
}

TYPES: tuple[str, ...] = tuple(TYPE_TABLE)
TYPE_LABELS = {t.name: t.label for t in TYPE_TABLE.values()}
QUIET_TYPES = frozenset(t.name for t in TYPE_TABLE.values() if t.quiet)
