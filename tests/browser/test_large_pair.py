"""A 300,000-token pair uploaded through the file inputs: the page stays windowed (a couple of
hundred of its 4,000-odd rows in the browser, the cells still the texts' own slices) and every
way of moving the selection works there, far into the document too.

How fast that is, and the example pair's first highlight and ``Next``, are measured by
``benchmarks/browser_speed.py``: timing is a benchmark's job, not the test command's. The waits
here are generous so a busy machine is slow, not failing.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.pages import big_pair, counter, upload, wait_idle, window

BIG_TOKENS = 300_000
WAIT_MS = 180_000
# the view's window: a couple of hundred rows around the selection, whatever the pair's size
MAX_WINDOW_ROWS = 300


def no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert not any("error" in t.lower() or "exceed" in t.lower() for t in alerts), alerts


def wait_selected(page, hid: int) -> None:
    """Difference ``hid`` is counted and is the only one outlined in the view, on screen."""
    page.wait_for_function(
        """(h) => {
            const cur = [...document.querySelectorAll('.cv-root [aria-current="true"]')];
            const c = document.querySelector('.cv-counter');
            return cur.length > 0 && cur.every(e => e.dataset.hunk === String(h))
                && cur[0].getBoundingClientRect().width > 0 && c && c.dataset.hunk === String(h);
        }""", arg=hid, timeout=WAIT_MS)
    wait_idle(page, WAIT_MS)


@pytest.fixture(scope="module")
def big():
    a, b = big_pair(BIG_TOKENS)
    return a, b, a.encode("utf-8"), b.encode("utf-8")


def test_a_300k_token_pair_stays_windowed_and_navigable(page, app_url, shot, big):
    a, b, a_bytes, b_bytes = big
    page.set_default_timeout(WAIT_MS)
    page.goto(app_url)
    page.wait_for_selector(".cv-root .cv-view [data-hunk]")
    wait_idle(page, WAIT_MS)

    upload(page, 0, "big-original.txt", a_bytes)
    page.wait_for_function(
        "() => document.querySelector('.cv-title .cv-sub b')?.textContent === 'big-original.txt'")
    wait_idle(page, WAIT_MS)
    upload(page, 1, "big-corrupted.txt", b_bytes)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.cv-root .cv-head > div')]
                   .some(e => e.textContent.endsWith('big-corrupted.txt'))""")
    wait_idle(page, WAIT_MS)
    no_errors(page)
    tokens = int(page.locator('[data-testid="stMetric"]').filter(has_text="Original tokens")
                 .locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))
    assert tokens >= BIG_TOKENS
    n = counter(page)["n"]
    assert n > 5_000

    w = window(page)
    assert w["total"] > 2_000
    assert w["rows"] == w["stop"] - w["start"] <= MAX_WINDOW_ROWS
    assert w["cells"] == 2 * w["rows"]
    assert w["nodes"] < 60_000
    # the cells are still the texts' own slices
    for side, text in (("a", a), ("b", b)):
        spans = page.evaluate("""(side) => [...document.querySelectorAll(
            `.cv-root .cv-cell[data-side="${side}"]`)].map(c => [c.dataset.span, c.textContent])
            .slice(0, 40)""", side)
        for span, content in spans:
            s, e = map(int, span.split("-"))
            assert content == text[s:e]
    shot(page, "large-pair")

    nxt = page.get_by_role("button", name="Next", exact=True)
    for hid in (1, 2, 3):
        nxt.click()
        wait_selected(page, hid)
    page.locator(".cv-title h1").click()
    page.keyboard.press("j")
    wait_selected(page, 4)
    page.locator('.cv-root .cv-cell[data-side="a"] [data-hunk="20"]').first.click()
    wait_selected(page, 20)
    wait_idle(page, WAIT_MS)  # the selection's rerun redraws the chart: click the new one

    # far into the document through the density chart: the window moves with the selection
    chart = page.locator('[data-testid="stVegaLiteChart"]').nth(0)
    # (a chart with many bins is drawn on a canvas: aim by the chart's own box, y axis aside;
    # on a loaded machine the page may still move under the pointer, elements whose code is
    # loading standing as skeletons, so a click that selected nothing is aimed again)
    far = "() => +document.querySelector('.cv-counter').dataset.hunk > 1000"
    for attempt in range(3):
        chart.scroll_into_view_if_needed()
        wait_idle(page, WAIT_MS)
        box = chart.bounding_box()
        page.mouse.click(box["x"] + 0.9 * box["width"], box["y"] + 0.5 * box["height"])
        try:
            page.wait_for_function(far, timeout=20_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    hid = counter(page)["hunk"]
    wait_selected(page, hid)
    w2 = window(page)
    assert w2["start"] > w["stop"] and w2["rows"] <= MAX_WINDOW_ROWS
    assert hid / n > 0.7
    no_errors(page)

    # Next from there, and the "later rows" bar of the window
    nxt.click()
    wait_selected(page, hid + 1)
    more = page.locator('.cv-root .cv-more[data-dir="1"]')
    if more.count():
        before = window(page)["start"]
        more.click()
        page.wait_for_function(
            "(s) => +document.querySelector('.cv-root .cv-view').dataset.start > s", arg=before)
        wait_idle(page, WAIT_MS)
        assert window(page)["rows"] <= MAX_WINDOW_ROWS
    no_errors(page)
    shot(page, "large-pair-far")
