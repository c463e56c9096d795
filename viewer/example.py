"""The example pair shown when nothing else is loaded (``seeds/``: a news article and its
corrupted version; see ``seeds/README.md`` for what it shows)."""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXAMPLE_ORIGINAL = SEEDS / "000_a77c86db7b5a1f59.txt"
EXAMPLE_CORRUPTED = SEEDS / "001_39dbf1e82cca5920.txt"
