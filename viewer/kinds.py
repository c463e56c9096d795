"""The kinds of difference: one table of their names, labels, colours, marks and legend text.

Everything that shows a kind takes it from here: the view's CSS variables, the badges, the
charts' colour scale, the legend and the terminal report (spaCy's displacy keeps its label
colours in one place the same way).

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


def css_variables() -> str:
    """The CSS custom properties every stylesheet of the product uses for the kinds:
    ``--cv-<kind>`` (colour), ``--cv-<kind>-ink`` and ``--cv-<kind>-bg``."""
    return "".join(
        f"--cv-{k.name}:{k.colour};--cv-{k.name}-ink:{k.ink};--cv-{k.name}-bg:{k.background};"
        for k in KIND_TABLE.values()
    )
