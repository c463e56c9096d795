"""Speed of the page as a person sees it, measured inside the browser (``performance.now()``).

    python benchmarks/browser_speed.py [--runs 5] [--tokens 300000]

Playwright drives Debian's Chromium (never ``playwright install``) against ``streamlit run
app.py``, served the same way as in the browser tests (``tests/browser/serve.py``):

1. A hello-world Streamlit page (one ``st.write``), served the same way: the floor every
   Streamlit page pays (server round trip, the frontend's bundle, one script run).
2. The example pair: the first highlighted token on screen after opening the page (target 3 s;
   printed with its ratio to the hello-world page), and the new selection visible after
   ``Next`` (target 0.5 s), after the key ``j``, after a click on a token.
3. A pair of ``--tokens`` tokens a side uploaded through the file inputs: upload -> view shown,
   then ``Next``, ``j``, a click on a token, a click far into the density chart, ``Next`` from
   there and the "later rows" bar (target 3 s each), and how much of the pair is in the page.

The first open after a server starts pays for imports and caches: it is reported apart
("cold"); the medians are over the warm runs. Machines are shared and noisy: compare the ratios,
measured in the same run. The lines are printed for benchmarks/RESULTS.md. What the page does
(windowing, navigation) is asserted in the tests (``tests/browser/test_large_pair.py``); here
nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.pages import big_pair, counter, upload, wait_idle, window  # noqa: E402
from tests.browser.serve import chromium_path, launch_chromium, streamlit_server  # noqa: E402

VIEWPORT = {"width": 1400, "height": 1000}
# generous waits: a slow run is a measurement, not a failure
WAIT_MS = 180_000
HELLO_WORLD = 'import streamlit as st\n\nst.write("Hello, world")\n'
HELLO_SELECTOR = '[data-testid="stMarkdownContainer"] p'
HIGHLIGHT_SELECTOR = ".cv-root [data-hunk]"

# Stamps, in page time (ms since navigation start): when the first element matching FIRST is on
# screen, the last click or key, and when a watched selection became visible.
TIMING_SCRIPT = """
(() => {
  const FIRST = %s;
  window.__cvT = {first: null, input: null, seen: null};
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0; };
  const firstPoll = () => {
    const el = document.querySelector(FIRST);
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
        window.__cvT.seen = performance.now();
        obs.disconnect();
      }
    });
    obs.observe(document.body, {subtree: true, childList: true, attributes: true,
                                characterData: true});
  };
})();
"""


def new_page(browser, first_selector: str):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.add_init_script(TIMING_SCRIPT % repr(first_selector))
    return context, page


def open_timed(page, url: str) -> float:
    """Open the page; seconds from navigation start to the first watched element on screen."""
    page.goto(url)
    page.wait_for_function("() => window.__cvT && window.__cvT.first !== null")
    first = page.evaluate("() => window.__cvT.first") / 1000
    wait_idle(page, WAIT_MS)
    return first


def timed(page, hid: int, action) -> float:
    """Seconds from the click or key ``action`` performs to difference ``hid`` being selected and
    visible in the view."""
    page.evaluate("(h) => window.__cvWatch(h)", hid)
    action()
    page.wait_for_function("() => window.__cvT.seen !== null")
    seconds = page.evaluate("() => (window.__cvT.seen - window.__cvT.input) / 1000")
    wait_idle(page, WAIT_MS)
    return seconds


def hello_world_opens(browser, runs: int) -> list[float]:
    """Seconds to the hello-world text on screen, first open (cold) then ``runs`` warm ones."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "hello.py"
        script.write_text(HELLO_WORLD, encoding="utf-8")
        with streamlit_server(script) as url:
            opens = []
            for _ in range(runs + 1):
                context, page = new_page(browser, HELLO_SELECTOR)
                try:
                    opens.append(open_timed(page, url))
                finally:
                    context.close()
    return opens


def example_runs(browser, url: str, runs: int) -> dict[str, list[float]]:
    """The example pair: a cold open, then ``runs`` warm opens each followed by Next x3, j and
    a click on a token."""
    times: dict[str, list[float]] = {}
    for run in range(runs + 1):
        context, page = new_page(browser, HIGHLIGHT_SELECTOR)
        try:
            first = open_timed(page, url)
            if run == 0:
                times["cold"] = [first]
                continue
            times.setdefault("first", []).append(first)
            page.wait_for_selector(".cv-counter[data-hunk]")
            nxt = page.get_by_role("button", name="Next", exact=True)
            for hid in (1, 2, 3):
                times.setdefault("Next", []).append(timed(page, hid, nxt.click))
            page.locator(".cv-title h1").click()
            page.evaluate("() => { window.__cvT.input = null; }")
            times.setdefault("key j", []).append(
                timed(page, 4, lambda p=page: p.keyboard.press("j")))
            target = page.locator('.cv-root .cv-cell[data-side="b"] [data-hunk="9"]').first
            times.setdefault("click a token", []).append(timed(page, 9, target.click))
        finally:
            context.close()
    return times


def big_pair_run(browser, url: str, tokens: int) -> tuple[dict[str, float], dict]:
    """One upload of a ``tokens``-token pair and the interactions on it; seconds per step and
    the view's window afterwards."""
    a, b = big_pair(tokens)
    a_bytes, b_bytes = a.encode("utf-8"), b.encode("utf-8")
    times: dict[str, float] = {}
    context, page = new_page(browser, HIGHLIGHT_SELECTOR)
    try:
        open_timed(page, url)
        t0 = time.monotonic()
        upload(page, 0, "big-original.txt", a_bytes)
        page.wait_for_function(
            "() => document.querySelector('.cv-title .cv-sub b')?.textContent"
            " === 'big-original.txt'")
        wait_idle(page, WAIT_MS)
        times[f"upload original ({len(a_bytes) / 1e6:.1f} MB) -> view shown"] = (
            time.monotonic() - t0)
        t0 = time.monotonic()
        upload(page, 1, "big-corrupted.txt", b_bytes)
        page.wait_for_function(
            """() => [...document.querySelectorAll('.cv-root .cv-head > div')]
                       .some(e => e.textContent.endsWith('big-corrupted.txt'))""")
        times["upload corrupted -> aligned pair's view shown"] = time.monotonic() - t0
        wait_idle(page, WAIT_MS)
        times["upload corrupted -> page finished (charts, list)"] = time.monotonic() - t0
        shown = window(page)

        nxt = page.get_by_role("button", name="Next", exact=True)
        times["Next"] = statistics.median(timed(page, hid, nxt.click) for hid in (1, 2, 3))
        page.locator(".cv-title h1").click()
        times["key j"] = timed(page, 4, lambda: page.keyboard.press("j"))
        token = page.locator('.cv-root .cv-cell[data-side="a"] [data-hunk="20"]').first
        times["click a token"] = timed(page, 20, token.click)

        chart = page.locator('[data-testid="stVegaLiteChart"]').nth(0)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        t0 = time.monotonic()
        page.mouse.click(box["x"] + 0.9 * box["width"], box["y"] + 0.5 * box["height"])
        page.wait_for_function(
            "() => +document.querySelector('.cv-counter').dataset.hunk > 1000")
        hid = counter(page)["hunk"]
        page.wait_for_function(
            """(h) => {
                const cur = document.querySelectorAll('.cv-root [aria-current="true"]');
                return cur.length > 0 && [...cur].every(e => e.dataset.hunk === String(h));
            }""", arg=hid)
        times["density chart at 90 %"] = time.monotonic() - t0
        wait_idle(page, WAIT_MS)
        times["Next (far)"] = timed(page, hid + 1, nxt.click)
        more = page.locator('.cv-root .cv-more[data-dir="1"]')
        if more.count():
            before = window(page)["start"]
            t0 = time.monotonic()
            more.click()
            page.wait_for_function(
                "(s) => +document.querySelector('.cv-root .cv-view').dataset.start > s",
                arg=before)
            times["later rows"] = time.monotonic() - t0
            wait_idle(page, WAIT_MS)
    finally:
        context.close()
    return times, shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per measurement")
    parser.add_argument("--tokens", type=int, default=300_000, help="tokens a side, big pair")
    args = parser.parse_args(argv)
    if chromium_path() is None:
        print("error: Debian's chromium is not installed (apt-get install chromium)",
              file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            hello = hello_world_opens(browser, args.runs)
            with streamlit_server() as url:
                example = example_runs(browser, url, args.runs)
                big, shown = big_pair_run(browser, url, args.tokens)
        finally:
            browser.close()

    def median(values: list[float]) -> str:
        return (f"median {statistics.median(values):.2f} s "
                f"(max {max(values):.2f} s, n={len(values)})")

    hello_median = statistics.median(hello[1:])
    first_median = statistics.median(example["first"])
    print(f"hello-world page: text on screen, cold {hello[0]:.2f} s; warm {median(hello[1:])}")
    print(f"example pair: first highlight, cold {example['cold'][0]:.2f} s; warm "
          f"{median(example['first'])}; {first_median / hello_median:.2f}x the hello-world page "
          f"(cold: {example['cold'][0] / hello[0]:.2f}x) (target 3 s)")
    print(f"example pair: Next -> new selection visible: {median(example['Next'])} "
          "(target 0.5 s)")
    print(f"example pair: key j -> new selection visible: {median(example['key j'])}")
    print(f"example pair: click a token -> selection confirmed: "
          f"{median(example['click a token'])}")
    for what, seconds in big.items():
        print(f"{args.tokens:,} tokens: {what}: {seconds:.2f} s")
    print(f"{args.tokens:,} tokens: rows in the page {shown['rows']} of {shown['total']}, "
          f"{shown['nodes']:,} elements in the whole page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
