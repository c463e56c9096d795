"""Real-browser tests: Playwright for Python driving Debian's Chromium against the app served
by ``streamlit run app.py`` on a free local port.

Where Chromium is missing the tests are skipped with the reason; in CI (``VIEWER_REQUIRE_BROWSER``
set by ``.ci/run``) a missing browser is an error instead, so the suite cannot pass silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.pages import WAIT_MS
from tests.browser.serve import ROOT, chromium_path, launch_chromium, streamlit_server

SHOTS = ROOT / "tests" / "browser" / "screenshots"


def pytest_collection_modifyitems(config, items):
    reason = None
    if chromium_path() is None:
        reason = "Debian's chromium is not installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright (Python) is not installed (pip install -r requirements-dev.txt)"
    browser_items = [i for i in items
                     if "tests/browser" in str(i.fspath).replace(os.sep, "/")]
    if reason is None or not browser_items:
        return
    if os.environ.get("VIEWER_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"browser tests required but cannot run: {reason}")
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))


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
