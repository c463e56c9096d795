"""Shared fixtures: the example pair from seeds/ (never ../shared: a user's checkout has none).

Hypothesis runs without its per-example deadline and its too-slow health check: both are
wall-clock limits, and a busy machine (or the parallel suite) would fail them for no fault of
the code. What an example must produce is asserted by each test; how fast, by benchmarks/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from viewer.align import align

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXAMPLE_ORIGINAL = SEEDS / "000_a77c86db7b5a1f59.txt"
EXAMPLE_CORRUPTED = SEEDS / "001_39dbf1e82cca5920.txt"

settings.register_profile(
    "no-clock", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("no-clock")

@pytest.fixture(autouse=True, scope="session")
def _a_data_folder_of_our_own(tmp_path_factory):
    """The page keeps uploaded pairs in ``VIEWER_DATA_DIR`` (``viewer.store``): the tests' pages
    keep theirs in a temporary folder, never in the user's data folder."""
    before = os.environ.get("VIEWER_DATA_DIR")
    os.environ["VIEWER_DATA_DIR"] = str(tmp_path_factory.mktemp("viewer-data"))
    yield
    if before is None:
        os.environ.pop("VIEWER_DATA_DIR", None)
    else:
        os.environ["VIEWER_DATA_DIR"] = before


# pytest-xdist's ``-n auto`` (pyproject.toml) starts one worker per core, and every worker that
# runs browser tests starts its own Streamlit server and Chromium: past a few workers that costs
# more than it saves
MAX_AUTO_WORKERS = 4


def pytest_xdist_auto_num_workers(config):
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # the user's own choice: xdist reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_AUTO_WORKERS, cores or 1))


# A zip archive built at import time holds the time it was built, so a parameter id spelled
# from its bytes differs between two xdist workers, which then refuse to run ("different tests
# were collected"). Long bytes parameters are named by their first bytes and their length.
_LONG_BYTES_ID = 24


def pytest_make_parametrize_id(config, val, argname):
    if isinstance(val, bytes) and len(val) > _LONG_BYTES_ID:
        return f"{repr(val[:8])[2:-1]}...{len(val)}B"
    return None


def pytest_report_header(config):
    """The versions behind a result: CI installs whatever the requirements resolve to today."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("charset-normalizer", "rapidfuzz", "streamlit", "pandas", "playwright",
                    "hypothesis", "pytest-xdist"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} missing")
    return "packages: " + ", ".join(found)


@pytest.fixture(scope="session")
def example():
    """The example pair, aligned."""
    return align(EXAMPLE_ORIGINAL.read_text(encoding="utf-8"),
                 EXAMPLE_CORRUPTED.read_text(encoding="utf-8"))
