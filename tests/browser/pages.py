"""What the browser tests do to the page, in one place: wait for Streamlit, open the app,
upload a file, read the panes' cells."""

from __future__ import annotations

# How long a test waits for the page before calling it broken. Generous on purpose: a busy
# 2-core machine running the suite in parallel is slow, not broken; how fast the page is, is
# measured by benchmarks/browser_speed.py.
WAIT_MS = 60_000


def wait_idle(page, timeout: float = WAIT_MS) -> None:
    """Streamlit has finished the current script run."""
    page.wait_for_function(
        "() => document.querySelector('.stApp')?.getAttribute('data-test-script-state')"
        " === 'notRunning'", timeout=timeout)


def open_app(page, app_url: str, query: str = "") -> None:
    """Open the page (``query``: e.g. ``?diff=10``) and wait for the first highlight, then for
    the rest of the page (the first run draws the view alone; the sidebar's uploads come with
    the rest)."""
    page.goto(f"{app_url}/{query}")
    page.wait_for_selector(".cv-root .cv-view [data-hunk]", timeout=WAIT_MS)
    page.wait_for_selector("input[type=file]", state="attached", timeout=WAIT_MS)
    wait_idle(page)


def upload(page, nth: int, name: str, data: bytes, mime: str = "text/plain") -> None:
    """Give file input ``nth`` (0: Original, 1: Corrupted) a file."""
    page.locator("input[type=file]").nth(nth).set_input_files(
        {"name": name, "mimeType": mime, "buffer": data})


def cell_texts(page, side: str) -> list[tuple[int, int, str]]:
    """``(start, end, text content)`` of each cell of one pane (``a`` or ``b``)."""
    return page.evaluate("""(side) => [...document.querySelectorAll(
            `.cv-root .cv-cell[data-side="${side}"]`)].map(c => {
            const [s, e] = c.dataset.span.split('-').map(Number);
            return [s, e, c.textContent];
        })""", side)


def big_pair(tokens: int) -> tuple[str, str]:
    """A pair of at least ``tokens`` tokens a side: the example original repeated with numbered
    paragraphs (so no paragraph repeats word for word), and a deterministic corruption: every
    37th word dropped, every 53rd replaced, a short insertion after every 400th."""
    import re

    from viewer.example import EXAMPLE_ORIGINAL
    from viewer.tokens import tokenize

    paras = [p for p in EXAMPLE_ORIGINAL.read_text(encoding="utf-8").splitlines() if p.strip()]
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


def counter(page) -> dict:
    """The selection counter: the selected difference's id and how many there are."""
    return page.evaluate("""() => {
        const c = document.querySelector('.cv-counter');
        return {hunk: +c.dataset.hunk, n: +c.dataset.n};
    }""")


def window(page) -> dict:
    """What the view holds: its row window (start, stop, total rows) and what is in the page."""
    return page.evaluate("""() => {
        const v = document.querySelector('.cv-root .cv-view');
        return {start: +v.dataset.start, stop: +v.dataset.stop, total: +v.dataset.rows,
                rows: document.querySelectorAll('.cv-root .cv-row').length,
                cells: document.querySelectorAll('.cv-root .cv-cell').length,
                highlights: document.querySelectorAll('.cv-root [data-hunk]').length,
                nodes: document.querySelectorAll('*').length};
    }""")


# Whether a dataframe's selected row (its only one) is within the rows it shows: the grid is
# drawn on a canvas, so this reads its accessibility rows (the selected one carries
# aria-selected; data rows' aria-rowindex starts at 2) and where its scroller stands. Argument:
# [element key, the row (0-based) that should be selected].
SELECTED_ROW_IN_SIGHT = """([key, want]) => {
    const grid = document.querySelector(`.st-key-${key} [data-testid="stDataFrame"]`);
    const scroller = grid && grid.querySelector('.dvn-scroller');
    const sel = grid && grid.querySelector('[aria-rowindex][aria-selected="true"]');
    if (!scroller || !sel) return false;
    const row = +sel.getAttribute('aria-rowindex') - 2, px = 35;  // a row, and the header
    const top = px + row * px;  // in the scroller's content
    return row === want && top >= scroller.scrollTop + px
        && top + px <= scroller.scrollTop + scroller.clientHeight;
}"""


def overflowing_tables(page, selector: str) -> list[dict]:
    """The dataframes under ``selector`` whose columns do not fit their box (the grid scrolls
    sideways and cuts its last columns off), with their widths."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(
            `${selector} [data-testid="stDataFrame"] .dvn-scroller`)]
        .filter(s => s.scrollWidth > s.clientWidth + 1)
        .map(s => ({inner: s.scrollWidth, box: s.clientWidth}))""", selector)
