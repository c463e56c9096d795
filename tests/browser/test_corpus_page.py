"""Corpus mode in a real browser: upload a zip built here, see the table and both charts, open a
pair by clicking its row, see its highlights, go back and find the table as it was (filter and
the selected row), a bad upload that leaves the table alone, and Pair mode's file inputs intact.

The table is a canvas (glide-data-grid): rows are clicked by position (35 px rows under a 35 px
header) and read from the grid's accessible table (``tr[aria-rowindex]``, ``aria-selected``).
Screenshots: ``corpus-main`` (the corpus at 1400 px), ``corpus-pair`` (a pair opened from it).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.pages import WAIT_MS

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
ROW = 35

pytestmark = pytest.mark.browser


def corpus_zip() -> bytes:
    """The example pair, five small pairs of growing corruption, one pair without a partner."""
    original = (SEEDS / "000_a77c86db7b5a1f59.txt").read_bytes()
    corrupted = (SEEDS / "001_39dbf1e82cca5920.txt").read_bytes()
    words = "the quick brown fox jumps over the lazy dog and runs far away".split()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("sample/original/article.txt", original)
        z.writestr("sample/corrupted/article.txt", corrupted)
        for k in range(5):
            changed = [w.upper() if i % (5 - k) == 0 else w for i, w in enumerate(words)]
            z.writestr(f"sample/original/fox-{k}.txt", " ".join(words))
            z.writestr(f"sample/corrupted/fox-{k}.txt", " ".join(changed[: len(words) - k]))
        z.writestr("sample/original/orphan.txt", "an original without its corrupted version")
    return buf.getvalue()


def grid(page):
    return page.locator(".st-key-corpus_table [data-testid=stDataFrame]")


def row_texts(page, n: int) -> list[str]:
    """The texts of the table's ``n`` rows, once it shows that many."""
    rows = grid(page).locator("tr[aria-rowindex]")
    expect(rows).to_have_count(n + 1)  # the first is the header
    return [r.inner_text() for r in rows.all()[1:]]


def click_row(page, row: int) -> None:
    """A click on the Id cell of ``row``. The pointer rests on the cell first, as a hand would
    put it there: the grid takes a click that arrives with no hover before it as no click."""
    grid(page).scroll_into_view_if_needed()
    box = grid(page).bounding_box()
    x, y = box["x"] + 220, box["y"] + ROW + ROW * row + ROW // 2
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


def wait_for_charts(page) -> None:
    charts = page.locator("[data-testid=stMain] [data-testid=stVegaLiteChart]")
    charts.nth(1).wait_for()
    for k in range(2):
        charts.nth(k).locator("svg .mark-rect path").first.wait_for(state="attached")


def test_corpus_upload_table_charts_open_a_pair_and_back(app_url, page, shot):
    page.goto(app_url)
    page.get_by_role("button", name="Next", exact=True).wait_for()
    # Pair mode: Original, Corrupted (the sidebar comes once the view is painted)
    expect(page.locator("input[type=file]")).to_have_count(2)

    page.get_by_role("radio", name="Corpus").click()
    uploader = page.locator(".st-key-corpus_upload input[type=file]")
    uploader.wait_for(state="attached")
    expect(page.locator("input[type=file]")).to_have_count(1)  # Pair mode's are gone
    uploader.set_input_files(files=[{"name": "audit-sample.zip", "mimeType": "application/zip",
                                     "buffer": corpus_zip()}])
    page.get_by_text("Showing 7 of 7 pairs").wait_for(timeout=WAIT_MS)
    title = page.locator(".cv-title").inner_text()
    assert "audit-sample.zip" in title and "7 pairs" in title
    metrics = page.locator("[data-testid=stMetric]")
    assert "7" in metrics.nth(0).inner_text() and "1" in metrics.nth(2).inner_text()

    # the table: highest corruption first, the pair without a rate last, with its error
    texts = row_texts(page, 7)
    assert "orphan.txt" in texts[-1] and "no corrupted version" in texts[-1]
    assert "fox-4.txt" in texts[0]
    wait_for_charts(page)
    page.mouse.move(5, 5)  # no hover toolbar in the picture
    shot(page, "corpus-main")

    # a filter, then a click on a row opens that pair side by side
    page.locator(".st-key-corpus_search input").fill("fox")
    page.locator(".st-key-corpus_search input").press("Enter")
    page.get_by_text("Showing 5 of 7 pairs").wait_for()
    opened = row_texts(page, 5)[1]
    assert "fox-3.txt" in opened
    click_row(page, 1)
    back = page.get_by_role("button", name="Back to corpus")
    back.wait_for()
    assert "fox-3.txt" in page.locator(".cv-title").inner_text()
    page.locator("[data-kind]").first.wait_for()
    assert page.locator('[data-kind][aria-current="true"]').count() >= 1
    assert page.locator("[data-hunk]").count() >= 1
    assert page.get_by_role("button", name="Previous", exact=True).count() == 1
    assert page.get_by_role("button", name="Next", exact=True).count() == 1
    page.get_by_role("button", name="Next", exact=True).click()
    page.locator('.cv-counter[data-k="2"]').wait_for()
    page.mouse.move(5, 5)
    shot(page, "corpus-pair")

    # back: the same filter, the pair opened is the selected row
    back.click()
    page.get_by_text("Showing 5 of 7 pairs").wait_for()
    assert page.locator(".st-key-corpus_search input").input_value() == "fox"
    grid(page).locator("tr[aria-selected=true]").wait_for(state="attached")
    selected = grid(page).locator("tr[aria-selected=true]")
    assert selected.count() == 1 and "fox-3.txt" in selected.inner_text()
    wait_for_charts(page)

    # a bad upload: an error, and the corpus stays
    uploader.set_input_files(files=[{"name": "notes.txt", "mimeType": "text/plain",
                                     "buffer": b"some notes, not a corpus"}])
    alert = page.locator("[data-testid=stAlert]")
    alert.wait_for()
    assert "not a corpus" in alert.inner_text() and "audit-sample.zip" in alert.inner_text()
    assert "Showing 5 of 7 pairs" in page.locator("[data-testid=stMain]").inner_text()

    # Pair mode again: the example pair and its two file inputs, first
    page.get_by_role("radio", name="Pair").click()
    page.get_by_role("button", name="Next", exact=True).wait_for()
    expect(page.locator("input[type=file]")).to_have_count(2)
    labels = page.locator("[data-testid=stFileUploader] [data-testid=stWidgetLabel]")
    assert [labels.nth(i).inner_text() for i in range(2)] == ["Original", "Corrupted"]


def test_a_corpus_large_enough_for_worker_processes(app_url, page):
    """Over ``POOL_MIN_BYTES`` the pairs are summarised by a process pool. Under a live
    ``streamlit run`` other threads are running, so the pool starts its workers from a
    forkserver, and each worker imports app.py again (as ``__mp_main__``: the page is not run
    there). This checks that path end to end: every pair summarised, none failed. (How fast
    corpora go: benchmarks/corpus_speed.py.)"""
    from viewer.corpus.table import POOL_MIN_BYTES

    original = (SEEDS / "000_a77c86db7b5a1f59.txt").read_bytes()
    corrupted = (SEEDS / "001_39dbf1e82cca5920.txt").read_bytes()
    n = POOL_MIN_BYTES // (len(original) + len(corrupted)) + 20
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:  # stored: over the threshold
        for k in range(n):
            z.writestr(f"original/{k:04d}.txt", original)
            z.writestr(f"corrupted/{k:04d}.txt", corrupted if k % 2 else original + b" tail")
    data = buf.getvalue()
    assert len(data) > POOL_MIN_BYTES

    page.goto(app_url)
    page.get_by_role("button", name="Next", exact=True).wait_for()
    page.get_by_role("radio", name="Corpus").click()
    uploader = page.locator(".st-key-corpus_upload input[type=file]")
    uploader.wait_for(state="attached")
    uploader.set_input_files(files=[{"name": "big.zip", "mimeType": "application/zip",
                                     "buffer": data}])
    page.get_by_text(f"Showing {n:,} of {n:,} pairs").wait_for(timeout=120_000)
    assert page.locator("[data-testid=stAlert]").count() == 0
    metrics = page.locator("[data-testid=stMetric]")
    assert metrics.nth(2).inner_text().split()[-1] == "0"  # with errors
