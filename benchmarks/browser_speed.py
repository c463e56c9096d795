"""Speed of the page as a person sees it, measured inside the browser (``performance.now()``).

    python benchmarks/browser_speed.py [--runs 5] [--tokens 300000] [--steps 120]
    python benchmarks/browser_speed.py --only first-paint [--baseline DIR]  # first paints only

Playwright drives Debian's Chromium (never ``playwright install``) against ``streamlit run
app.py``, served the same way as in the browser tests (``tests/browser/serve.py``):

1. A hello-world Streamlit page (one ``st.write``), served the same way: the floor every
   Streamlit page pays (server round trip, the frontend's bundle, one script run).
2. The example pair: the first highlighted token on screen after opening the page, and its
   ratio to the hello-world page (target 1.3x), the two pages opened in turn from two servers
   running side by side, so both see the same load; then each move -> the new selection outlined in
   the view and counted (a MutationObserver stamps the change of ``aria-current``): ``Next``,
   ``Previous``, the keys ``j``/``k``, a click on a token (targets: median 0.1 s, worst 0.2 s);
   and 10 clicks on ``Next`` 0.1 s apart, then 10 on ``Previous``: how far each burst moved.
3. A pair of ``--tokens`` tokens a side uploaded through the file inputs: upload -> view shown,
   then ``--steps`` moves with ``Next`` and ``j`` (far enough to cross the edge of the window of
   rows the page sends), ``Previous``, token clicks, the density chart far in, ``Next`` from
   there, the "later rows" bar, 10 fast clicks; and how much of the pair is in the page.

Each move is timed from the click or key event to the new selection outlined, both stamped in
page time; the server is not waited for between moves beyond its finishing the previous run.
The first open after a server starts pays for imports and caches: it is reported apart
("cold"); the medians are over the warm runs. Machines are shared and noisy: compare the ratios,
measured in the same run. The lines are printed for benchmarks/RESULTS.md. What the page does
(windowing, navigation) is asserted in the tests (``tests/browser/test_navigation.py``,
``test_large_pair.py``); here nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
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
# the page has finished: the metrics come with the run after the first paint
PAGE_DONE_SELECTOR = '[data-testid="stMetric"]'

# Stamps, in page time (ms since navigation start): when the first element matching FIRST is on
# screen (and where, in page coordinates: how far it moves later is the layout shift), the last
# click or key, and when a watched selection became visible.
TIMING_SCRIPT = """
(() => {
  const FIRST = %s;
  window.__cvT = {first: null, input: null, seen: null, top: null};
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0; };
  const firstPoll = () => {
    const el = document.querySelector(FIRST);
    if (el && visible(el)) {
      window.__cvT.top = el.getBoundingClientRect().top + window.scrollY;
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


def open_timed(page, url: str, selector: str = HIGHLIGHT_SELECTOR,
               done: str = PAGE_DONE_SELECTOR) -> tuple[float, float]:
    """Open the page; seconds from navigation start to the first watched element (``selector``)
    on screen, and how far it has moved (px, down) once the page has finished (``done`` on
    the page, no run under way)."""
    page.goto(url)
    page.wait_for_function("() => window.__cvT && window.__cvT.first !== null")
    first = page.evaluate("() => window.__cvT.first") / 1000
    page.wait_for_selector(done)
    wait_idle(page, WAIT_MS)
    # the elements whose code is still loading stand as skeletons of their own height
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
    moved = page.evaluate("""(sel) => document.querySelector(sel).getBoundingClientRect().top
        + window.scrollY - window.__cvT.top""", selector)
    return first, moved


def timed(page, hid: int, action, settle: bool = True) -> float:
    """Seconds from the click or key ``action`` performs to difference ``hid`` being selected and
    visible in the view (``settle``: then wait for the server's run to end)."""
    page.evaluate("(h) => window.__cvWatch(h)", hid)
    action()
    page.wait_for_function("() => window.__cvT.seen !== null")
    seconds = page.evaluate("() => (window.__cvT.seen - window.__cvT.input) / 1000")
    if settle:
        wait_idle(page, WAIT_MS)
    return seconds


@contextlib.contextmanager
def hello_world_server():
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "hello.py"
        script.write_text(HELLO_WORLD, encoding="utf-8")
        with streamlit_server(script) as url:
            yield url


def first_paints(browser, hello_url: str, url: str, runs: int,
                 baseline_url: str | None = None) -> tuple[dict[str, list[float]], dict]:
    """Seconds to the hello-world text and to the example pair's first highlighted token on
    screen, the pages opened in turn (so all see the same load on a shared machine): a first
    (cold) open of each, then ``runs`` warm ones; and how far (px) that token moved by the time
    each page finished. ``baseline_url``: another version of the page (``--baseline``), opened
    in the same turns, for a before/after measured in one run."""
    pages = [("hello", hello_url, HELLO_SELECTOR, HELLO_SELECTOR),
             ("first", url, HIGHLIGHT_SELECTOR, PAGE_DONE_SELECTOR)]
    if baseline_url:
        pages.append(("baseline", baseline_url, HIGHLIGHT_SELECTOR, PAGE_DONE_SELECTOR))
    opens: dict[str, list[float]] = {name: [] for name, *_ in pages}
    moves: dict[str, list[float]] = {name: [] for name, *_ in pages}
    for _ in range(runs + 1):
        for name, where, selector, done in pages:
            context, page = new_page(browser, selector)
            try:
                seconds, moved = open_timed(page, where, selector, done)
            finally:
                context.close()
            opens[name].append(seconds)
            moves[name].append(moved)
    return opens, moves


def fast_clicks(page, label: str, clicks: int = 10, gap_ms: int = 100) -> int:
    """Click ``label`` ``clicks`` times ``gap_ms`` apart; how far the selection moved once the
    page has settled."""
    button = page.get_by_role("button", name=label, exact=True)
    before = counter(page)["hunk"]
    for _ in range(clicks):
        button.click()
        page.wait_for_timeout(gap_ms)
    wait_idle(page, WAIT_MS)
    page.wait_for_timeout(1000)  # anything the server still had to say has been said
    wait_idle(page, WAIT_MS)
    return counter(page)["hunk"] - before


def moves(page, times: dict[str, list[float]], hid: int, count: int, prefix: str = "") -> int:
    """``count`` rounds of Next, Previous, Next, ``j``, ``k``, ``j`` from difference ``hid``,
    each timed; the difference selected at the end."""
    nxt = page.get_by_role("button", name="Next", exact=True)
    prev = page.get_by_role("button", name="Previous", exact=True)
    for _ in range(count):
        for name, action, d in (("Next", nxt.click, 1), ("Previous", prev.click, -1),
                                ("Next", nxt.click, 1)):
            hid += d
            times.setdefault(prefix + name, []).append(timed(page, hid, action))
        page.locator(".cv-title h1").click()
        for key, d in (("j", 1), ("k", -1), ("j", 1)):
            hid += d
            times.setdefault(prefix + f"key {key}", []).append(
                timed(page, hid, lambda k=key: page.keyboard.press(k)))
    return hid


def example_runs(browser, url: str, runs: int) -> dict[str, list[float]]:
    """The example pair: ``runs`` opens each followed by the moves, clicks on tokens and the
    fast clicks."""
    times: dict[str, list[float]] = {}
    for _ in range(runs):
        context, page = new_page(browser, HIGHLIGHT_SELECTOR)
        try:
            open_timed(page, url)
            page.wait_for_selector(".cv-counter[data-hunk]")
            moves(page, times, 0, 2)
            for target in (9, 30, 12):
                token = page.locator(
                    f'.cv-root .cv-cell[data-side="b"] [data-hunk="{target}"]').first
                token.scroll_into_view_if_needed()
                times.setdefault("click a token", []).append(timed(page, target, token.click))
            times.setdefault("10 fast Next", []).append(fast_clicks(page, "Next"))
            times.setdefault("10 fast Previous", []).append(fast_clicks(page, "Previous"))
        finally:
            context.close()
    return times


def big_pair_run(browser, url: str, tokens: int, steps: int) -> tuple[dict, dict]:
    """One upload of a ``tokens``-token pair and the moves on it: seconds per step (lists for
    the moves) and the view's window after the upload."""
    a, b = big_pair(tokens)
    a_bytes, b_bytes = a.encode("utf-8"), b.encode("utf-8")
    times: dict = {}
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
        # from a token 60 differences before the end of the rows first sent: Next, the server
        # idle before each click, then every 0.15 s without waiting for it, far past that end
        last = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
            '.cv-root [data-hunk]')].map(e => +e.dataset.hunk))""")
        hid = last - 60
        token = page.locator(f'.cv-root [data-hunk="{hid}"]').first
        token.scroll_into_view_if_needed()
        times["click a token"] = [timed(page, hid, token.click)]
        for _ in range(steps // 2):
            hid += 1
            times.setdefault("Next", []).append(timed(page, hid, nxt.click))
        for _ in range(steps - steps // 2):
            hid += 1
            times.setdefault("Next every 0.15 s (server busy)", []).append(
                timed(page, hid, nxt.click, settle=False))
            page.wait_for_timeout(150)
        wait_idle(page, WAIT_MS)
        times["window before the Next run"] = shown
        times["window after the Next run"] = window(page)
        hid = moves(page, times, hid, 5)
        for target in (hid - 20, hid - 5, hid + 7):
            token = page.locator(f'.cv-root [data-hunk="{target}"]').first
            token.scroll_into_view_if_needed()
            times["click a token"].append(timed(page, target, token.click))

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
        times["density chart at 90 % (server round trip)"] = time.monotonic() - t0
        wait_idle(page, WAIT_MS)
        for _ in range(10):
            hid += 1
            times.setdefault("Next (far in)", []).append(timed(page, hid, nxt.click))
        times["10 fast Next"] = fast_clicks(page, "Next")
        times["10 fast Previous"] = fast_clicks(page, "Previous")
        more = page.locator('.cv-root .cv-more[data-dir="1"]')
        if more.count():
            before = window(page)["start"]
            t0 = time.monotonic()
            more.click()
            page.wait_for_function(
                "(s) => +document.querySelector('.cv-root .cv-view').dataset.start > s",
                arg=before)
            times["later rows (server round trip)"] = time.monotonic() - t0
            wait_idle(page, WAIT_MS)
    finally:
        context.close()
    return times, shown


def spread(values: list[float]) -> str:
    return (f"median {statistics.median(values):.3f} s, worst {max(values):.3f} s "
            f"(n={len(values)})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per measurement")
    parser.add_argument("--tokens", type=int, default=300_000, help="tokens a side, big pair")
    parser.add_argument("--steps", type=int, default=120, help="Next presses on the big pair")
    parser.add_argument("--no-big", action="store_true", help="the example pair only")
    parser.add_argument("--only", choices=["first-paint"],
                        help="only this measure (first-paint: hello-world and the example pair)")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="a checkout of another version (e.g. `git archive` of main): its "
                             "app.py's first paint is measured in the same turns, before/after")
    args = parser.parse_args(argv)
    if chromium_path() is None:
        print("error: Debian's chromium is not installed (apt-get install chromium)",
              file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            with contextlib.ExitStack() as servers:
                hello_url = servers.enter_context(hello_world_server())
                url = servers.enter_context(streamlit_server())
                baseline_url = args.baseline and servers.enter_context(
                    streamlit_server(args.baseline.resolve() / "app.py"))
                opens, moves = first_paints(browser, hello_url, url, args.runs, baseline_url)
                example, big, shown = {}, {}, None
                if args.only != "first-paint":
                    example = example_runs(browser, url, args.runs)
                    big, shown = ({}, None) if args.no_big else big_pair_run(
                        browser, url, args.tokens, args.steps)
        finally:
            browser.close()

    hello, first = opens["hello"], opens["first"]
    ratios = [f / h for f, h in zip(first[1:], hello[1:], strict=True)]
    print(f"hello-world page: text on screen, cold {hello[0]:.2f} s; warm {spread(hello[1:])}")
    print(f"example pair: first highlight, cold {first[0]:.2f} s; warm {spread(first[1:])}")
    print(f"example pair / hello-world, opened in turn: median of the warm medians "
          f"{statistics.median(first[1:]) / statistics.median(hello[1:]):.2f}x, per pair of "
          f"opens median {statistics.median(ratios):.2f}x (worst {max(ratios):.2f}x); cold "
          f"{first[0] / hello[0]:.2f}x (target 1.3x)")
    print(f"example pair: first highlighted token moved by the time the page finished: "
          f"{min(moves['first']):.0f} to {max(moves['first']):.0f} px")
    if "baseline" in opens:
        base = opens["baseline"]
        base_ratios = [b / h for b, h in zip(base[1:], hello[1:], strict=True)]
        print(f"baseline ({args.baseline}): first highlight, cold {base[0]:.2f} s; warm "
              f"{spread(base[1:])}; / hello-world per pair of opens median "
              f"{statistics.median(base_ratios):.2f}x (worst {max(base_ratios):.2f}x); the "
              f"token moved {min(moves['baseline']):.0f} to {max(moves['baseline']):.0f} px")
    for what in ("Next", "Previous", "key j", "key k", "click a token") if example else ():
        print(f"example pair: {what} -> new selection outlined: {spread(example[what])} "
              "(target: median 0.1 s, worst 0.2 s)")
    for what in ("10 fast Next", "10 fast Previous") if example else ():
        print(f"example pair: {what} (0.1 s apart) moved {example[what]}")
    for what, value in big.items():
        if isinstance(value, list):
            print(f"{args.tokens:,} tokens: {what} -> new selection outlined: {spread(value)}")
        elif isinstance(value, dict):
            print(f"{args.tokens:,} tokens: {what}: rows {value['start']}-{value['stop']}")
        elif what.startswith("10 fast"):
            print(f"{args.tokens:,} tokens: {what} (0.1 s apart) moved {value}")
        else:
            print(f"{args.tokens:,} tokens: {what}: {value:.2f} s")
    if shown:
        print(f"{args.tokens:,} tokens: rows in the page {shown['rows']} of {shown['total']}, "
              f"{shown['nodes']:,} elements in the whole page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
