"""Memory benchmark of the page: the server's whole process tree under real browser sessions.

    python benchmarks/memory.py [--sessions 4] [--tokens 1000000] [--budget-mb 512]
                                [--upload-mb 60] [--only sessions|upload|steps|upload-steps]

(a) ``streamlit run app.py`` with ``VIEWER_MEMORY_MB=--budget-mb`` on a free localhost port;
    ``--sessions`` Chromium pages each upload a different generated pair of ``--tokens`` tokens
    a side (``benchmarks/speed.py``'s ``make_pair``, seeds 1, 2, …), original then corrupted,
    all at once. Target: the tree's RSS under 1.2 GB at every moment (issue 13).
(b) A fresh server with the default budget; one page uploads a ``--upload-mb`` MB original
    (generated prose), then the example's corrupted file as its corrupted side (over the
    example, one side alone waits for the other: the page aligns once both are there). Target:
    peak under 1.5 GB.

(c) ``--only steps``: no server; one generated pair of ``--tokens`` tokens made in this
    process step by step as the page makes it (decode, align, view data, chart frames, free),
    the RSS after each step and its peak during it: what a session's peak is made of.
    ``--only upload-steps``: the same with (b)'s pair.

The RSS of the server and all its children is summed every 0.2 s (psutil); the figures printed
are the baseline (the server with one page open on the example pair), the peak and the RSS once
every page has its pair. Debian's Chromium through Playwright (``tests/browser/serve.py``).

Progress is printed as it goes: every page's state (``running``, ``waiting for memory``: the
store's message, ``shown``, ``refused: …``) and the tree's RSS, whenever a state changes and at
least every 10 s. The run works when every page shows its pair (its title names its corrupted
file and its script has finished), all of them at the same moment at the end; when the budget
cannot hold every alignment at once, a page waits with the store's message until another
alignment is done or freed, and the least recently used alignment is evicted (its page still
shows its pair, and aligns it again on its next rerun). A page refused for memory is a failure
(printed as such). When each page was first shown is printed too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from speed import make_pair  # noqa: E402

from tests.browser.pages import open_app, upload  # noqa: E402
from tests.browser.serve import launch_chromium, streamlit_server  # noqa: E402
from viewer.example import EXAMPLE_CORRUPTED  # noqa: E402
from viewer.memory import WAITING_MESSAGE  # noqa: E402

GB = 1e9
WAIT_MS = 30 * 60 * 1000  # a wait, not a bound: four million-token pairs on a busy 2-core box


class TreeSampler:
    """The summed RSS of a process and its descendants, every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.last = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        total = 0
        for p in [self.root, *self.root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a child that just ended
                total += p.memory_info().rss
        return total

    def _run(self):
        while not self._stop.is_set():
            self.last = self.rss()
            self.peak = max(self.peak, self.last)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def server_pid() -> int:
    """The ``streamlit run`` process this script started (through ``streamlit_server``)."""
    for p in psutil.Process().children(recursive=True):
        try:
            cmd = p.cmdline()
        except psutil.Error:
            continue
        if "streamlit" in cmd and "run" in cmd:
            return p.pid
    raise RuntimeError("no streamlit server among this process's children")


PAGE_STATE_JS = """(name) => {
    const main = document.querySelector('[data-testid="stMain"]');
    const script = document.querySelector('.stApp')?.getAttribute('data-test-script-state');
    const text = main ? main.innerText : '';
    const title = main && main.querySelector('.cv-title, h1, h2, h3');
    const shown = !!title && text.includes('against') && text.includes(name);
    const alerts = main ? [...main.querySelectorAll('[data-testid="stAlert"]')]
        .map(a => a.innerText.trim()) : [];
    return {script, shown, alerts};
}"""


def page_state(page, name: str) -> str:
    """One word or two for where a page is: ``shown`` (its title names ``name`` and its script
    has finished: the pair is aligned and drawn), ``waiting for memory`` (the store's message),
    ``refused: …`` (a refusal alert, script finished), else the script's state."""
    s = page.evaluate(PAGE_STATE_JS, name)
    # an alert's text may begin with its icon
    waiting = any(WAITING_MESSAGE[:30] in a for a in s["alerts"])
    refusals = [a for a in s["alerts"] if "memory" in a and WAITING_MESSAGE[:30] not in a]
    if s["script"] == "notRunning":
        if s["shown"] and not refusals:
            return "shown"
        if refusals:
            return "refused: " + refusals[0][:80]
        return "idle"
    return "waiting for memory" if waiting else f"{s['script'] or 'loading'}"


def watch(pages, names: list[str], sampler, started: float, every: float = 10.0) -> dict:
    """Poll every page once a second until each has been ``shown`` and is idle (or refused);
    print a line of every page's state and the tree's RSS whenever a state changes, else every
    ``every`` seconds. Returns when each page was first shown (seconds since ``started``)."""
    first_shown: dict[int, float] = {}
    last_states: list[str] = []
    last_print = 0.0
    while True:
        states = [page_state(page, name) for page, name in zip(pages, names, strict=True)]
        now = time.monotonic() - started
        for i, st in enumerate(states):
            if st == "shown":
                first_shown.setdefault(i, now)
        if states != last_states or now - last_print >= every:
            print(f"  {now:6.0f} s  rss {sampler.last / GB:.2f} GB (peak {sampler.peak / GB:.2f})  "
                  + "  ".join(f"{i + 1}: {st}" for i, st in enumerate(states)), flush=True)
            last_states, last_print = states, now
        if all(st == "shown" or st.startswith("refused") for st in states):
            return first_shown
        if now * 1000 > WAIT_MS:
            raise TimeoutError(f"pages not done after {now:.0f} s: {states}")
        time.sleep(1.0)


def upload_file(page, nth: int, name: str, data: bytes) -> None:
    """``pages.upload``, through a file for data over Playwright's 50 MB buffer limit."""
    if len(data) < 50_000_000:
        upload(page, nth, name, data)
        return
    path = Path(tempfile.mkdtemp(prefix="viewer-memory-")) / name  # read by the browser later
    path.write_bytes(data)
    page.locator("input[type=file]").nth(nth).set_input_files(str(path))


def pages_upload(url: str, pairs: list[tuple[bytes, bytes]], sampler_factory) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        pages = [browser.new_context().new_page() for _ in pairs]
        for page in pages:
            open_app(page, url)
        with sampler_factory() as sampler:
            baseline = sampler.rss()
            started = time.monotonic()
            for i, (page, (a, _)) in enumerate(zip(pages, pairs, strict=True)):
                upload_file(page, 0, f"original_{i + 1}.txt", a)
            for i, (page, (_, b)) in enumerate(zip(pages, pairs, strict=True)):
                if b is not None:
                    upload(page, 1, f"corrupted_{i + 1}.txt", b)
            names = [f"corrupted_{i + 1}.txt" if b is not None else f"original_{i + 1}.txt"
                     for i, (_, b) in enumerate(pairs)]
            first_shown = watch(pages, names, sampler, started)
            seconds = time.monotonic() - started
            time.sleep(2)  # the page's last reruns settle
            settled = sampler.rss()
        errors = [page.locator("[data-testid=stAlert]").all_inner_texts() for page in pages]
        browser.close()
    return {"baseline": baseline, "peak": sampler.peak, "settled": settled,
            "seconds": seconds, "alerts": errors, "first_shown": first_shown}


def run(budget_mb: str | None, pairs) -> dict:
    if budget_mb is None:
        os.environ.pop("VIEWER_MEMORY_MB", None)
    else:
        os.environ["VIEWER_MEMORY_MB"] = budget_mb
    with streamlit_server() as url:
        pid = server_pid()
        return pages_upload(url, pairs, lambda: TreeSampler(pid))


def report(title: str, target_gb: float, r: dict) -> None:
    verdict = "met" if r["peak"] < target_gb * GB else (
        f"MISSED by {(r['peak'] - target_gb * GB) / 1e6:,.0f} MB")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"{title}: baseline {r['baseline'] / GB:.2f} GB, peak {r['peak'] / GB:.2f} GB, "
          f"settled {r['settled'] / GB:.2f} GB, {r['seconds']:.0f} s "
          f"(target < {target_gb} GB: {verdict})")
    print("  first shown: " + ", ".join(
        f"page {i + 1} at {t:.0f} s" for i, t in sorted(r["first_shown"].items())))
    for i, alerts in enumerate(r["alerts"]):
        if alerts:
            print(f"  page {i + 1} says: {' | '.join(a.strip() for a in alerts)}")


def big_original(megabytes: float, tokens: int) -> bytes:
    """Generated prose of ``megabytes`` MB: one ``make_pair`` original of ``tokens`` tokens,
    copied with each copy's paragraphs numbered (generating ten originals takes minutes)."""
    size = int(megabytes * 1_000_000)
    original, _ = make_pair(tokens, seed=100)
    paragraphs = original.encode().split(b"\n")
    out, total, copy = [], 0, 0
    while total < size:
        copy += 1
        for k, p in enumerate(paragraphs):
            line = b"%d.%d " % (copy, k) + p + b"\n"
            out.append(line)
            total += len(line)
    return b"".join(out)[:size].rsplit(b" ", 1)[0]


def steps(a: bytes, b: bytes) -> None:
    """(c): the RSS after each step of one pair and its peak during it (sampled every 10 ms)."""
    from viewer import page_data
    from viewer.loading import decode_bytes
    from viewer.memory import alignment_nbytes, nbytes, return_free_memory
    from viewer.session import OPTION_KEYS, align_pair
    from viewer.session import make_pair as session_pair

    me = psutil.Process()
    peak = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], me.memory_info().rss)
            stop.wait(0.01)

    def step(label: str, counted: int | None = None) -> None:
        time.sleep(0.05)
        now = me.memory_info().rss
        extra = f", the store counts {counted / 1e6:.1f} MB" if counted is not None else ""
        print(f"  {label:28s} rss {now / 1e6:7.1f} MB, peak {peak[0] / 1e6:7.1f} MB{extra}",
              flush=True)
        peak[0] = now

    threading.Thread(target=sample, daemon=True).start()
    import altair  # noqa: F401  (loaded in the server anyway)

    step("bytes")
    pair = session_pair(decode_bytes(a, "a.txt"), decode_bytes(b, "b.txt"))
    print(f"  {len(pair.a.text) + len(pair.b.text):,} characters")
    step("decoded")
    al = align_pair(pair, (False,) * len(OPTION_KEYS))
    step("aligned", alignment_nbytes(al))
    return_free_memory()
    step("trimmed")
    al.provenance  # noqa: B018  (cached: made here to be measured alone)
    step("provenance")
    al.types  # noqa: B018  (cached, as the provenance)
    step("types")
    view = page_data.view_data(al)
    step("view data", nbytes(view))
    frames = page_data.chart_frames(al, view["layout"])
    step("chart frames", nbytes(frames))
    return_free_memory()
    step("trimmed", alignment_nbytes(al) + nbytes(view) + nbytes(frames))
    del al, view, frames
    step("freed")
    return_free_memory()
    step("trimmed")
    stop.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--budget-mb", default="512")
    parser.add_argument("--upload-mb", type=float, default=60)
    parser.add_argument("--only", choices=["sessions", "upload", "steps", "upload-steps"])
    args = parser.parse_args()
    print("python benchmarks/memory.py " + " ".join(sys.argv[1:]))
    print(time.strftime("%Y-%m-%d %H:%M") + f", load average {os.getloadavg()[0]:.1f}")
    if args.only == "steps":
        steps(*(t.encode() for t in make_pair(args.tokens, seed=1)))
        return
    if args.only == "upload-steps":
        steps(big_original(args.upload_mb, 1_000_000), EXAMPLE_CORRUPTED.read_bytes())
        return
    if args.only != "upload":
        pairs = [tuple(t.encode() for t in make_pair(args.tokens, seed=s))
                 for s in range(1, args.sessions + 1)]
        r = run(args.budget_mb, pairs)
        report(f"(a) {args.sessions} sessions, {args.tokens:,}-token pairs, "
               f"VIEWER_MEMORY_MB={args.budget_mb}", 1.2, r)
        del pairs
    if args.only != "sessions":
        data = big_original(args.upload_mb, 1_000_000)
        r = run(None, [(data, EXAMPLE_CORRUPTED.read_bytes())])
        report(f"(b) one {len(data) / 1e6:.1f} MB upload, default budget", 1.5, r)


if __name__ == "__main__":
    main()
