"""Speed as a person sees it, measured inside the browser (``performance.now()``): the first
highlighted token after opening the page, the new selection after ``Next`` (and after a key, a
click on a token), and a 300,000-token pair uploaded through the file inputs, which must stay
windowed and answer each interaction in bounded time.

The numbers are printed (``pytest -s`` shows them; each line starts with ``SPEED``) for
benchmarks/RESULTS.md. The issue's targets are 3 s to the first highlight and 0.5 s after
``Next``; the asserted bounds are looser so a busy 2-core machine does not fail the suite.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import pytest

from tests.browser import pages
from tests.browser.pages import upload

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL = ROOT / "seeds" / "000_a77c86db7b5a1f59.txt"

FIRST_HIGHLIGHT_BOUND = 10.0  # target 3 s
NEXT_BOUND = 3.0  # target 0.5 s
BIG_INTERACTION_BOUND = 8.0  # target 3 s
BIG_TOKENS = 300_000

# Stamps, in page time (ms since navigation start): when the first highlight is on screen,
# the last click or key, and when a watched selection became visible.
TIMING_SCRIPT = """
(() => {
  window.__cvT = {first: null, input: null, seen: null};
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0; };
  const firstPoll = () => {
    const el = document.querySelector('.cv-root [data-hunk]');
    if (el && visible(el)) {
      requestAnimationFrame(() => { window.__cvT.first = performance.now(); });
      return;
    }
    requestAnimationFrame(firstPoll);
  };
  requestAnimationFrame(firstPoll);
  for (const type of ['click', 'keydown']) {
    document.addEventListener(type, () => { window.__cvT.input = performance.now(); }, true);
  }
  // watch for difference `hid` to be selected in the view (outlined, on screen) and counted
  window.__cvWatch = (hid) => {
    window.__cvT.seen = null;
    const done = () => {
      const cur = [...document.querySelectorAll('.cv-root [aria-current="true"]')];
      const c = document.querySelector('.cv-counter');
      return cur.length > 0 && cur.every(e => e.dataset.hunk === String(hid)) && visible(cur[0])
        && c && c.dataset.hunk === String(hid);
    };
    const obs = new MutationObserver(() => {
      if (window.__cvT.seen === null && done()) {
        const at = performance.now();
        window.__cvT.seen = at;
        obs.disconnect();
      }
    });
    obs.observe(document.body, {subtree: true, childList: true, attributes: true,
                                characterData: true});
  };
})();
"""


# --- helpers (each browser test module stands alone) --------------------------------------------


def report(what: str, seconds: float) -> None:
    print(f"SPEED {what}: {seconds:.3f} s")


def wait_idle(page, timeout: float = 60_000) -> None:
    pages.wait_idle(page, timeout)


def open_timed(page, url: str) -> float:
    """Open the page; seconds from navigation start to the first highlight on screen."""
    page.add_init_script(TIMING_SCRIPT)
    page.goto(url)
    page.wait_for_function("() => window.__cvT && window.__cvT.first !== null", timeout=60_000)
    first = page.evaluate("() => window.__cvT.first") / 1000
    page.wait_for_selector(".cv-counter[data-hunk]")
    wait_idle(page)
    return first


def timed(page, hid: int, action, timeout: float = 60_000) -> float:
    """Seconds from the click or key ``action`` performs to difference ``hid`` being selected
    and visible in the view."""
    page.evaluate("(h) => window.__cvWatch(h)", hid)
    action()
    page.wait_for_function("() => window.__cvT.seen !== null", timeout=timeout)
    t = page.evaluate("() => (window.__cvT.seen - window.__cvT.input) / 1000")
    wait_idle(page, timeout)
    return t


def counter(page) -> dict:
    return page.evaluate("""() => {
        const c = document.querySelector('.cv-counter');
        return {hunk: +c.dataset.hunk, n: +c.dataset.n};
    }""")


def big_pair(tokens: int = BIG_TOKENS) -> tuple[str, str]:
    """The example original repeated with numbered paragraphs (so no paragraph repeats word
    for word), and a deterministic corruption: every 37th word dropped, every 53rd replaced,
    a short insertion after every 400th."""
    from viewer.tokens import tokenize

    paras = [p for p in ORIGINAL.read_text(encoding="utf-8").splitlines() if p.strip()]
    per_copy = len(tokenize("\n".join(paras)))
    lines = [f"§{r + 1}.{j + 1} {p}" for r in range(-(-tokens // per_copy))
             for j, p in enumerate(paras)]
    a = "\n".join(lines) + "\n"
    out = []
    for i, m in enumerate(re.finditer(r"\S+|\s+", a)):
        w = m.group()
        if not w.isspace():
            k = i // 2
            if k % 37 == 5:
                continue
            if k % 53 == 7:
                w = "XQZ" + w[::-1]
            if k % 400 == 11:
                w += " inserted words here"
        out.append(w)
    return a, "".join(out)




def no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert not any("error" in t.lower() or "exceed" in t.lower() for t in alerts), alerts


# --- the example pair ---------------------------------------------------------------------------


def test_first_highlight_and_next_on_the_example(browser, app_url, shot):
    firsts, nexts, keys, clicks = [], [], [], []
    for _ in range(3):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        try:
            firsts.append(open_timed(page, app_url))
            nxt = page.get_by_role("button", name="Next", exact=True)
            for hid in (1, 2, 3):
                nexts.append(timed(page, hid, nxt.click))
            page.locator(".cv-title h1").click()
            page.evaluate("() => { window.__cvT.input = null; }")
            keys.append(timed(page, 4, lambda p=page: p.keyboard.press("j")))
            target = page.locator('.cv-root .cv-cell[data-side="b"] [data-hunk="9"]').first
            clicks.append(timed(page, 9, target.click))
        finally:
            context.close()
    report("example: first highlight after opening (median of 3)", statistics.median(firsts))
    report("example: first highlight after opening (max of 3)", max(firsts))
    report("example: Next -> new selection visible (median of 9)", statistics.median(nexts))
    report("example: Next -> new selection visible (max of 9)", max(nexts))
    report("example: key j -> new selection visible (median of 3)", statistics.median(keys))
    report("example: click a token -> selection confirmed (median of 3)",
           statistics.median(clicks))
    assert max(firsts) < FIRST_HIGHLIGHT_BOUND
    assert statistics.median(nexts) < NEXT_BOUND and max(nexts) < 2 * NEXT_BOUND
    assert max(keys) < 2 * NEXT_BOUND


# --- a 300,000-token pair -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def big():
    a, b = big_pair()
    return a, b, a.encode("utf-8"), b.encode("utf-8")


def test_a_300k_token_pair_stays_windowed_and_responsive(page, app_url, shot, big):
    a, b, a_bytes, b_bytes = big
    page.add_init_script(TIMING_SCRIPT)
    page.goto(app_url)
    page.wait_for_selector(".cv-root .cv-view [data-hunk]", timeout=60_000)
    wait_idle(page)

    t0 = time.monotonic()
    upload(page, 0, "big-original.txt", a_bytes)
    page.wait_for_function(
        "() => document.querySelector('.cv-title .cv-sub b')?.textContent === 'big-original.txt'",
        timeout=120_000)
    wait_idle(page, 120_000)
    report(f"300k: upload original ({len(a_bytes) / 1e6:.1f} MB) -> view shown",
           time.monotonic() - t0)
    t0 = time.monotonic()
    upload(page, 1, "big-corrupted.txt", b_bytes)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.cv-root .cv-head > div')]
                   .some(e => e.textContent.endsWith('big-corrupted.txt'))""", timeout=120_000)
    shown = time.monotonic() - t0
    wait_idle(page, 120_000)
    report("300k: upload corrupted -> aligned pair's view shown", shown)
    report("300k: upload corrupted -> page finished (charts, list)", time.monotonic() - t0)
    no_errors(page)
    tokens = int(page.locator('[data-testid="stMetric"]').filter(has_text="Original tokens")
                 .locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))
    assert tokens >= BIG_TOKENS
    n = counter(page)["n"]
    assert n > 5_000

    def windowed() -> dict:
        return page.evaluate("""() => {
            const v = document.querySelector('.cv-root .cv-view');
            return {start: +v.dataset.start, stop: +v.dataset.stop, total: +v.dataset.rows,
                    rows: document.querySelectorAll('.cv-root .cv-row').length,
                    cells: document.querySelectorAll('.cv-root .cv-cell').length,
                    highlights: document.querySelectorAll('.cv-root [data-hunk]').length,
                    nodes: document.querySelectorAll('*').length};
        }""")

    w = windowed()
    print(f"SPEED 300k: window {w}")
    assert w["total"] > 2_000
    assert w["rows"] == w["stop"] - w["start"] <= 300
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
    shot(page, "speed-300k")

    timings = {}
    nxt = page.get_by_role("button", name="Next", exact=True)
    for hid in (1, 2, 3):
        timings.setdefault("Next", []).append(timed(page, hid, nxt.click))
    page.locator(".cv-title h1").click()
    timings["key j"] = [timed(page, 4, lambda: page.keyboard.press("j"))]
    el = page.locator('.cv-root .cv-cell[data-side="a"] [data-hunk="20"]').first
    timings["click a token"] = [timed(page, 20, el.click)]

    # far into the document through the density chart: the window moves with the selection
    chart = page.locator('[data-testid="stVegaLiteChart"]').nth(0)
    chart.scroll_into_view_if_needed()
    # (a chart with many bins is drawn on a canvas: aim by the chart's own box, y axis aside)
    box = chart.bounding_box()
    page.evaluate("() => { window.__cvT.input = null; }")
    t0 = time.monotonic()
    page.mouse.click(box["x"] + 0.9 * box["width"], box["y"] + 0.5 * box["height"])
    page.wait_for_function("() => +document.querySelector('.cv-counter').dataset.hunk > 1000",
                           timeout=60_000)
    hid = counter(page)["hunk"]
    page.wait_for_function(
        f"""() => {{
            const cur = document.querySelectorAll('.cv-root [aria-current="true"]');
            return cur.length > 0 && [...cur].every(e => e.dataset.hunk === '{hid}');
        }}""", timeout=60_000)
    timings["density chart at 90%"] = [time.monotonic() - t0]
    wait_idle(page)
    w2 = windowed()
    assert w2["start"] > w["stop"] and w2["rows"] <= 300
    assert hid / n > 0.7
    no_errors(page)

    # Next from there, and the "later rows" bar of the window
    timings["Next (far)"] = [timed(page, hid + 1, nxt.click)]
    more = page.locator('.cv-root .cv-more[data-dir="1"]')
    if more.count():
        before = windowed()["start"]
        t0 = time.monotonic()
        more.click()
        page.wait_for_function(
            f"() => +document.querySelector('.cv-root .cv-view').dataset.start > {before}",
            timeout=60_000)
        timings["later rows"] = [time.monotonic() - t0]
        wait_idle(page)
        assert windowed()["rows"] <= 300
    no_errors(page)
    shot(page, "speed-300k-far")
    for what, ts in timings.items():
        report(f"300k: {what} (max of {len(ts)})", max(ts))
    for what, ts in timings.items():
        assert max(ts) < BIG_INTERACTION_BOUND, (what, ts)
