"""The example pair shown when nothing else is loaded (``seeds/``: a news article and its
corrupted version; see ``seeds/README.md`` for what it shows), and the page itself (``app.py``).

Both live at the top of the repository; an installed wheel carries them inside the package as
``viewer.seeds`` and ``viewer.page`` (pyproject's ``package-dir``), so each is looked up there
first and in the checkout second."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def shipped(package: str, checkout: Path, name: str) -> Path:
    """The file ``name`` of ``package`` in an installed wheel, else in the folder ``checkout``
    (running from a clone, where ``viewer.seeds`` and ``viewer.page`` are not packages)."""
    try:
        return Path(resources.files(package).joinpath(name))
    except ModuleNotFoundError:
        return checkout / name


EXAMPLE_ORIGINAL = shipped("viewer.seeds", CHECKOUT / "seeds", "000_a77c86db7b5a1f59.txt")
EXAMPLE_CORRUPTED = shipped("viewer.seeds", CHECKOUT / "seeds", "001_39dbf1e82cca5920.txt")
SEEDS = EXAMPLE_ORIGINAL.parent
# the Streamlit page and its settings, for `corruption-viewer app`
APP = shipped("viewer.page", CHECKOUT, "app.py")
APP_CONFIG = APP.parent / ".streamlit" / "config.toml"
