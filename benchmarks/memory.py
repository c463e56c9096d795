"""Memory benchmark of the page: the server's whole process tree under real browser sessions.

    python benchmarks/memory.py [--sessions 4] [--tokens 1000000] [--budget-mb 512]
                                [--upload-mb 60] [--only sessions|upload|steps|upload-steps]
                                [--only-original]

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
least every 10 s.

The run is a result only when every page shows its pair: its script has finished and its title
names both files it was given (``original_N.txt against corrupted_N.txt``), all of them at the
same moment at the end; when the budget cannot hold every alignment at once, a page waits with
the store's message until another alignment is done or freed, and the least recently used
alignment is evicted (its page still shows its pair, and aligns it again on its next rerun). A
page refused for memory, or left waiting for one side ("Now add the original…") or on the
example, is a failure: the run prints ``NOT A RESULT: …`` instead of a verdict and exits with
status 1 (its memory figures are not those of the pairs it was to hold). ``--only-original``
gives only the original side, to see that check refuse. When each page was first shown is
printed too.
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
from viewer.example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL  # noqa: E402
from viewer.memory import WAITING_MESSAGE  # noqa: E402
from viewer.session import WAITING_FOR  # noqa: E402

GB = 1e9
WAIT_MS = 30 * 60 * 1000  # a wait, not a bound: four million-token pairs on a busy 2-core box
# how long a page may sit, its script finished, on something other than its pair before the run
# calls it stuck: its uploads reach the server seconds after they are given (a busy server
# reads a 60 MB upload while it aligns other pairs), so a page waits a while on the example or
# for its second side before its next run
STUCK_S = 60.0


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


PAGE_STATE_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const script = document.querySelector('.stApp')?.getAttribute('data-test-script-state');
    const sub = main && main.querySelector('.cv-title .cv-sub');
    const alerts = main ? [...main.querySelectorAll('[data-testid="stAlert"]')]
        .map(a => a.innerText.trim()) : [];
    return {script, subtitle: sub ? sub.textContent.trim() : null, alerts};
}"""

SHOWN = "shown"
# the start of what a page says while one side waits for the other (``WAITING_FOR``)
WAITING_FOR_SIDE = {side: message.split(" (")[0] for side, message in WAITING_FOR.items()}
EXAMPLE_SUBTITLE = f"{EXAMPLE_ORIGINAL.name} against {EXAMPLE_CORRUPTED.name}"


def page_state(s: dict, a_name: str, b_name: str) -> str:
    """Where a page is, from what ``PAGE_STATE_JS`` read of it: ``shown`` (its script has
    finished and its title is exactly ``a_name against b_name``, as ``pieces.pair_title``
    writes a pair: both files given are aligned and drawn), ``refused: …`` (a memory refusal,
    script finished), ``waiting for memory`` (the store's message, script running), else what
    it shows instead: ``waiting for the original``/``…corrupted text`` (one side alone), ``on the
    example``, ``showing …``; or the script's state while it runs."""
    if s["script"] != "notRunning":
        # an alert's text may begin with its icon
        waiting = any(WAITING_MESSAGE[:30] in a for a in s["alerts"])
        return "waiting for memory" if waiting else f"{s['script'] or 'loading'}"
    refusals = [a for a in s["alerts"] if "memory" in a and WAITING_MESSAGE[:30] not in a]
    if refusals:
        return "refused: " + refusals[0][:80]
    if s["subtitle"] == f"{a_name} against {b_name}":
        return SHOWN
    for side, what in (("a", "the original"), ("b", "the corrupted text")):
        if any(WAITING_FOR_SIDE[side] in a for a in s["alerts"]):
            return f"waiting for {what}"
    if s["subtitle"] == EXAMPLE_SUBTITLE:
        return "on the example"
    return f"showing {s['subtitle']!r}"


def finished(state: str) -> bool:
    """A page's script has finished on what it will show until it is given something else."""
    return state == SHOWN or state.startswith("refused")


def not_results(states: list[str]) -> list[str]:
    """Why a run is not a result: every page that does not show its pair, with what it shows."""
    return [f"page {i + 1} {st}" for i, st in enumerate(states) if st != SHOWN]


def read_state(page, a_name: str, b_name: str) -> str:
    return page_state(page.evaluate(PAGE_STATE_JS), a_name, b_name)


def watch(pages, names: list[tuple[str, str]], sampler, started: float,
          every: float = 10.0) -> tuple[dict, list[str]]:
    """Poll every page once a second until each has been ``shown`` and is idle (or refused), or
    has sat STUCK_S seconds, its script finished, on something else (waiting for a side, on the
    example: its upload went astray); print a line of every page's state and the tree's RSS
    whenever a state changes, else every ``every`` seconds. Returns when each page was first
    shown (seconds since ``started``) and the last states."""
    first_shown: dict[int, float] = {}
    stuck_since: dict[int, float] = {}
    last_states: list[str] = []
    last_print = 0.0
    while True:
        states = [read_state(page, *pair) for page, pair in zip(pages, names, strict=True)]
        now = time.monotonic() - started
        for i, st in enumerate(states):
            if st == SHOWN:
                first_shown.setdefault(i, now)
            # the script's state names a run (running, loading …), never "waiting for"/"on"/…
            if finished(st) or st in ("running", "loading", "waiting for memory"):
                stuck_since.pop(i, None)
            else:
                stuck_since.setdefault(i, now)
        if states != last_states or now - last_print >= every:
            print(f"  {now:6.0f} s  rss {sampler.last / GB:.2f} GB (peak {sampler.peak / GB:.2f})  "
                  + "  ".join(f"{i + 1}: {st}" for i, st in enumerate(states)), flush=True)
            last_states, last_print = states, now
        if all(finished(st) or now - stuck_since.get(i, now) >= STUCK_S
               for i, st in enumerate(states)):
            return first_shown, states
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
            names = [(f"original_{i + 1}.txt", f"corrupted_{i + 1}.txt")
                     for i in range(len(pairs))]
            first_shown, _ = watch(pages, names, sampler, started)
            seconds = time.monotonic() - started
            time.sleep(2)  # the page's last reruns settle
            settled = sampler.rss()
        # a result only if every page shows its pair at the same moment, at the end
        states = [read_state(page, *pair) for page, pair in zip(pages, names, strict=True)]
        errors = [page.locator("[data-testid=stAlert]").all_inner_texts() for page in pages]
        browser.close()
    return {"baseline": baseline, "peak": sampler.peak, "settled": settled,
            "seconds": seconds, "alerts": errors, "first_shown": first_shown, "states": states}


def run(budget_mb: str | None, pairs) -> dict:
    if budget_mb is None:
        os.environ.pop("VIEWER_MEMORY_MB", None)
    else:
        os.environ["VIEWER_MEMORY_MB"] = budget_mb
    with streamlit_server() as url:
        pid = server_pid()
        return pages_upload(url, pairs, lambda: TreeSampler(pid))


def report(title: str, target_gb: float, r: dict) -> bool:
    """Print the run's figures and verdict; False when it is not a result (a page does not
    show its pair: its memory figures are not those of the pairs the run was to hold)."""
    failed = not_results(r["states"])
    if failed:
        verdict = "NOT A RESULT: " + "; ".join(failed)
    elif r["peak"] < target_gb * GB:
        verdict = "met"
    else:
        verdict = f"MISSED by {(r['peak'] - target_gb * GB) / 1e6:,.0f} MB"
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"{title}: baseline {r['baseline'] / GB:.2f} GB, peak {r['peak'] / GB:.2f} GB, "
          f"settled {r['settled'] / GB:.2f} GB, {r['seconds']:.0f} s "
          f"(target < {target_gb} GB: {verdict})")
    print("  first shown: " + (", ".join(
        f"page {i + 1} at {t:.0f} s" for i, t in sorted(r["first_shown"].items())) or "never"))
    for i, alerts in enumerate(r["alerts"]):
        if alerts:
            print(f"  page {i + 1} says: {' | '.join(a.strip() for a in alerts)}")
    if failed:
        print("NOT A RESULT: " + "; ".join(failed), file=sys.stderr)
    return not failed


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
    parser.add_argument("--only-original", action="store_true",
                        help="upload only the original side: a run that must end NOT A RESULT "
                             "(every page waits for its corrupted text), to check the check")
    args = parser.parse_args()
    print("python benchmarks/memory.py " + " ".join(sys.argv[1:]))
    print(time.strftime("%Y-%m-%d %H:%M") + f", load average {os.getloadavg()[0]:.1f}")
    if args.only == "steps":
        steps(*(t.encode() for t in make_pair(args.tokens, seed=1)))
        return
    if args.only == "upload-steps":
        steps(big_original(args.upload_mb, 1_000_000), EXAMPLE_CORRUPTED.read_bytes())
        return
    results = []
    if args.only != "upload":
        pairs = [tuple(t.encode() for t in make_pair(args.tokens, seed=s))
                 for s in range(1, args.sessions + 1)]
        if args.only_original:
            pairs = [(a, None) for a, _ in pairs]
        r = run(args.budget_mb, pairs)
        results.append(report(f"(a) {args.sessions} sessions, {args.tokens:,}-token pairs, "
                              f"VIEWER_MEMORY_MB={args.budget_mb}", 1.2, r))
        del pairs
    if args.only != "sessions":
        data = big_original(args.upload_mb, 1_000_000)
        b = None if args.only_original else EXAMPLE_CORRUPTED.read_bytes()
        r = run(None, [(data, b)])
        results.append(report(f"(b) one {len(data) / 1e6:.1f} MB upload, default budget", 1.5, r))
    if not all(results):
        sys.exit(1)


if __name__ == "__main__":
    main()
