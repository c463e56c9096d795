"""Real-browser tests: Playwright for Python driving Debian's Chromium against the app served
by ``streamlit run app.py`` on a free local port.

Where Chromium is missing the tests are skipped with the reason; in CI (``VIEWER_REQUIRE_BROWSER``
set by ``.ci/run``) a missing browser is an error instead, so the suite cannot pass silently.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from tests.browser.pages import WAIT_MS
from tests.browser.serve import ROOT, chromium_path, launch_chromium, streamlit_server

SHOTS = ROOT / "tests" / "browser" / "screenshots"


@functools.cache
def _unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if chromium_path() is None:
        return "Debian's chromium is not installed (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python) is not installed (pip install -r requirements-dev.txt)"
    return None


def _required() -> bool:
    return bool(os.environ.get("VIEWER_REQUIRE_BROWSER"))


def pytest_collection_modifyitems(config, items):
    reason = _unavailable()
    if reason is None or _required():
        return
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_runtest_setup(item):
    # a failure per test rather than a UsageError at collection: under pytest-xdist a worker's
    # UsageError is lost in an INTERNALERROR, and the reason with it
    reason = _unavailable()
    if reason is not None and _required():
        pytest.fail(f"browser tests required (VIEWER_REQUIRE_BROWSER) but cannot run: {reason}",
                    pytrace=False)


@pytest.fixture(scope="session")
def app_url():
    """The app, served by one real Streamlit server per test process (per xdist worker): every
    page is its own Streamlit session, so the tests share the server, not state."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process; each test gets a fresh context (``page``)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)  # expect()'s own default is 5 s
    with sync_playwright() as pw:
        b = launch_chromium(pw)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(WAIT_MS)
    yield pg
    context.close()


@pytest.fixture
def shot():
    """Save a screenshot under tests/browser/screenshots/ (look at them: what a person sees)."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full_page: bool = False) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
