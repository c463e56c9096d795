"""What the browser tests do to the page, in one place: wait for Streamlit, open the app,
upload a file, read the panes' cells."""

from __future__ import annotations


def wait_idle(page, timeout: float = 30_000) -> None:
    """Streamlit has finished the current script run."""
    page.wait_for_function(
        "() => document.querySelector('.stApp')?.getAttribute('data-test-script-state')"
        " === 'notRunning'", timeout=timeout)


def open_app(page, app_url: str, query: str = "") -> None:
    """Open the page (``query``: e.g. ``?diff=10``) and wait for the first highlight."""
    page.goto(f"{app_url}/{query}")
    page.wait_for_selector(".cv-root .cv-view [data-hunk]", timeout=30_000)
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
