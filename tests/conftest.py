"""Shared fixtures: the example pair from seeds/ (never ../shared: a user's checkout has none)."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.align import align

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXAMPLE_ORIGINAL = SEEDS / "000_a77c86db7b5a1f59.txt"
EXAMPLE_CORRUPTED = SEEDS / "001_39dbf1e82cca5920.txt"


@pytest.fixture(scope="session")
def example():
    """The example pair, aligned."""
    return align(EXAMPLE_ORIGINAL.read_text(encoding="utf-8"),
                 EXAMPLE_CORRUPTED.read_text(encoding="utf-8"))
