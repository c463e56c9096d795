"""The page in a real browser, on the example pair: the three kinds, rows in step, Previous/Next,
keyboard, clicking and hovering highlights, the kind filter, the list, the density chart, the
URL, uploads (good and bad), downloads and options. Screenshots go to tests/browser/screenshots/.

Every test opens its own page and waits on conditions (the counter, ``aria-current``, the
script state Streamlit puts on ``.stApp``), never on fixed sleeps.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser import pages
from tests.browser.pages import WAIT_MS, cell_texts, upload, wait_idle
from viewer.align import align

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL = ROOT / "seeds" / "000_a77c86db7b5a1f59.txt"
CORRUPTED = ROOT / "seeds" / "001_39dbf1e82cca5920.txt"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N")




# --- helpers ------------------------------------------------------------------------------------




def open_app(page, app_url: str, query: str = "") -> None:
    pages.open_app(page, app_url, query)
    page.wait_for_selector(".cv-counter[data-hunk]")


def wait_selected(page, hunk: int, timeout: float = WAIT_MS) -> None:
    """The counter and every ``aria-current`` element in the view name difference ``hunk``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        _wait_selected(page, hunk, timeout)
    except PlaywrightTimeout:
        raise AssertionError(f"difference {hunk} not selected after {timeout / 1000:.0f} s: "
                             f"{selection(page)} at {page.url}") from None


def _wait_selected(page, hunk: int, timeout: float) -> None:
    page.wait_for_function(
        """(h) => {
            const c = document.querySelector('.cv-counter');
            const cur = [...document.querySelectorAll('.cv-root [aria-current="true"]')];
            return c && c.dataset.hunk === String(h) && cur.length > 0
                && cur.every(e => e.dataset.hunk === String(h));
        }""", arg=hunk, timeout=timeout)


def selection(page) -> dict:
    """What the page says is selected: counter attributes and the aria-current elements."""
    return page.evaluate("""() => {
        const c = document.querySelector('.cv-counter');
        const cur = [...document.querySelectorAll('.cv-root [aria-current="true"]')];
        return {hunk: c.dataset.hunk, k: c.dataset.k, n: c.dataset.n, text: c.innerText,
                current: cur.map(e => [e.closest('.cv-cell').dataset.side, +e.dataset.hunk])};
    }""")


def diff_param(page) -> str | None:
    m = re.search(r"[?&]diff=(\d+)", page.url)
    return m.group(1) if m else None


def kind_counts(page) -> dict:
    return {k: page.locator(f'.cv-root .cv-view [data-kind="{k}"]').count()
            for k in ("missing", "substituted", "inserted")}






def wait_pair(page, name_a: str, name_b: str) -> None:
    """The header names this pair, and the view shows it."""
    page.wait_for_function(
        """([a, b]) => {
            const bs = [...document.querySelectorAll('.cv-title .cv-sub b')]
                .map(e => e.textContent);
            return bs[0] === a && bs[1] === b;
        }""", arg=[name_a, name_b], timeout=WAIT_MS)
    page.wait_for_function(
        """(b) => [...document.querySelectorAll('.cv-root .cv-head > div')]
                    .some(e => e.textContent.endsWith(b))""", arg=name_b, timeout=WAIT_MS)
    wait_idle(page)


def hunk_el(page, hunk: int, side: str):
    return page.locator(f'.cv-root .cv-cell[data-side="{side}"] [data-hunk="{hunk}"]').first


def plot_box(chart) -> dict:
    """The plotting area of a Vega-Lite chart (its frame's background rectangle)."""
    return chart.evaluate("""(el) => {
        const r = el.querySelector('svg .role-frame.root path.background').getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};
    }""")


def position_of_selection(page) -> float:
    """How far into the original the selection is, from the detail panel ("(41% into the text)")."""
    text = page.locator(".cv-pos").inner_text()
    return int(re.search(r"\((\d+)% into the text\)", text).group(1)) / 100


# --- the view -----------------------------------------------------------------------------------


def test_opens_on_the_example_with_all_three_kinds(page, app_url, shot, example):
    open_app(page, app_url)
    counts = kind_counts(page)
    assert all(n > 0 for n in counts.values()), counts
    # every highlight carries both contract attributes, with known words and valid hunk ids
    bad = page.evaluate("""(total) => [...document.querySelectorAll('.cv-root [data-hunk]')]
        .filter(e => !['missing', 'substituted', 'inserted'].includes(e.dataset.kind)
                     || !(+e.dataset.hunk >= 0 && +e.dataset.hunk < total))
        .map(e => e.outerHTML.slice(0, 120))""", len(example.hunks))
    assert bad == []
    # kinds as the alignment says
    kinds = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '.cv-root [data-hunk]')].map(e => [e.dataset.hunk, e.dataset.kind]))""")
    assert {int(h): k for h, k in kinds.items()} == {
        h.id: h.kind for h in example.hunks if str(h.id) in kinds}
    sel = selection(page)
    assert sel["text"].replace("\n", " ").strip() == f"Difference 1 of {len(example.hunks)}"
    assert sel["hunk"] == "0" and {h for _, h in sel["current"]} == {0}
    # the original in its own surface form: the a cells, in order, are the original's text
    view = page.locator(".cv-root .cv-view")
    start, stop, rows = (int(view.get_attribute(f"data-{k}")) for k in ("start", "stop", "rows"))
    assert 0 <= start < stop <= rows
    for side, text in (("a", example.a_text), ("b", example.b_text)):
        cells = cell_texts(page, side)
        assert len(cells) == stop - start
        for s, e, content in cells:
            assert content == text[s:e]
        if start == 0 and stop == rows:
            assert "".join(c for _, _, c in cells) == text
    # metrics and legend
    assert page.get_by_text("only in the original").first.is_visible()
    assert page.get_by_text("only in the corrupted text").first.is_visible()
    shot(page, "viewer-main")
    # the same page, read further (each open of the page costs seconds)
    typography_alone_is_not_a_difference(page)
    the_inserted_quoted_paragraph_has_its_own_row(page, shot, example)
    hover_highlights_the_partner(page, shot, example)


def typography_alone_is_not_a_difference(page):
    # "Turkey’s" (original) vs "Turkey ’s" (corrupted) in row 1: never highlighted
    texts = page.evaluate("""() => [...document.querySelectorAll('.cv-root .cv-h')]
        .map(e => e.textContent)""")
    assert texts, "no highlighted text"
    assert not any(t.strip() in {"’s", "'s", "“", "”", '"', "’"} for t in texts), texts


def the_inserted_quoted_paragraph_has_its_own_row(page, shot, example):
    row = page.locator(".cv-root .cv-row").filter(
        has=page.locator('.cv-cell[data-side="b"]', has_text="rapprochement"))
    assert row.count() == 1
    left = row.locator('.cv-cell[data-side="a"]')
    right = row.locator('.cv-cell[data-side="b"]')
    # nothing of the original on the left, only a gap (and the insertion's marker)
    assert left.text_content() == ""
    assert "cv-gaprow" in left.get_attribute("class")
    s, e = map(int, left.get_attribute("data-span").split("-"))
    assert s == e
    marker = left.locator('[data-kind="inserted"]')
    assert marker.count() == 1
    hid = int(marker.get_attribute("data-hunk"))
    assert example.hunks[hid].kind == "inserted"
    # the whole paragraph is the one inserted highlight on the right
    ins = right.locator(f'[data-hunk="{hid}"][data-kind="inserted"]')
    assert "rapprochement is largely tactical" in ins.text_content()
    assert ins.text_content() == example.hunk_texts(example.hunks[hid])[1]
    # it lines up: the row before and after hold original text on both sides
    k = int(row.get_attribute("data-row"))
    for other in (k - 1, k + 1):
        cells = page.locator(f'.cv-root .cv-row[data-row="{other}"] .cv-cell')
        assert cells.nth(0).text_content().strip() and cells.nth(1).text_content().strip()
    # the gap row is as tall as the paragraph beside it (the panes stay in step)
    lb, rb = left.bounding_box(), right.bounding_box()
    assert abs(lb["y"] - rb["y"]) < 1 and abs(lb["height"] - rb["height"]) < 1
    row.scroll_into_view_if_needed()
    shot(page, "viewer-inserted-row")


# --- navigation ---------------------------------------------------------------------------------


def test_clicking_a_highlight_selects_its_difference_on_both_sides(page, app_url, shot,
                                                                   example):
    open_app(page, app_url)
    # "might" -> "the Kremlin’s": click the corrupted side
    hid = next(h.id for h in example.hunks if example.hunk_texts(h) == ("might", "the Kremlin’s"))
    hunk_el(page, hid, "b").click()
    wait_selected(page, hid)
    sel = selection(page)
    assert {side for side, h in sel["current"]} == {"a", "b"}
    assert f"Difference {hid + 1} of" in sel["text"]
    page.wait_for_function(f"() => /[?&]diff={hid + 1}(&|$)/.test(location.search)")
    # the detail panel describes it
    expect_text = page.locator(".cv-sel-line")
    assert "might" in expect_text.inner_text() and "Kremlin" in expect_text.inner_text()
    wait_idle(page)
    shot(page, "viewer-click")
    # a missing compound: click the run of spaces it left in the corrupted text
    gap = page.locator('.cv-root .cv-cell[data-side="b"] .cv-gap[data-kind="missing"]').nth(1)
    gid = int(gap.get_attribute("data-hunk"))
    gap.click()
    wait_selected(page, gid)
    sel = selection(page)
    assert {side for side, _ in sel["current"]} == {"a", "b"}
    assert example.hunks[gid].kind == "missing"
    # an insertion: click its marker on the original side
    pt = page.locator('.cv-root .cv-cell[data-side="a"] .cv-pt[data-kind="inserted"]').first
    pid = int(pt.get_attribute("data-hunk"))
    pt.click()
    wait_selected(page, pid)
    assert {side for side, _ in selection(page)["current"]} == {"a", "b"}


def hover_highlights_the_partner(page, shot, example):
    hid = next(h.id for h in example.hunks if example.hunk_texts(h) == ("against", "the Turks"))
    left, right = hunk_el(page, hid, "a"), hunk_el(page, hid, "b")
    assert "cv-hover" not in (right.get_attribute("class") or "")
    left.hover()
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('.cv-root [data-hunk="{hid}"]')]
                   .every(e => e.classList.contains('cv-hover'))""")
    # the partner is visibly outlined (dashed), the rest is not
    style = right.evaluate("e => getComputedStyle(e).outlineStyle")
    assert style == "dashed"
    assert page.locator(".cv-root .cv-hover").evaluate_all(
        f"els => els.every(e => e.dataset.hunk === '{hid}')")
    shot(page, "viewer-hover")
    # hover the other side's partner the other way round, then leave
    right.hover()
    assert "cv-hover" in left.get_attribute("class")
    page.locator(".cv-title h1").hover()
    page.wait_for_function("() => !document.querySelector('.cv-root .cv-hover')")


def test_kind_filter(page, app_url, shot, example):
    n_sub = sum(h.kind == "substituted" for h in example.hunks)
    n = len(example.hunks)
    open_app(page, app_url)
    pill = page.get_by_role("button", name=re.compile(r"^Substituted \d+$"))
    assert pill.inner_text().strip() == f"Substituted {n_sub}"
    for kind in ("Missing", "Inserted"):
        count = sum(h.kind == kind.lower() for h in example.hunks)
        assert page.get_by_role("button", name=f"{kind} {count}", exact=True).count() == 1
    pill.click()
    page.wait_for_function(f"() => document.querySelector('.cv-counter')?.dataset.n === "
                           f"'{n - n_sub}'")
    wait_idle(page)
    # substitutions drawn faded, and Next skips them
    assert "cv-dim-substituted" in page.locator(".cv-root .cv-view").get_attribute("class")
    opacity = hunk_el(page, 1, "a").evaluate("e => getComputedStyle(e).opacity")
    assert float(opacity) < 0.6
    assert example.hunks[0].kind == "missing" and example.hunks[1].kind == "substituted"
    page.get_by_role("button", name="Next", exact=True).click()
    want = next(h.id for h in example.hunks[1:] if h.kind != "substituted")
    wait_selected(page, want)
    assert f"Difference 2 of {n - n_sub}" in selection(page)["text"].replace("\n", " ")
    wait_idle(page)
    # the keys skip them too
    page.locator(".cv-title h1").click()
    page.keyboard.press("j")
    after = next(h.id for h in example.hunks[want + 1:] if h.kind != "substituted")
    wait_selected(page, after)
    page.keyboard.press("k")
    wait_selected(page, want)
    wait_idle(page)
    shot(page, "viewer-filter")
    # only substitutions: the selection moves onto one
    page.get_by_role("button", name=re.compile(r"^Missing \d+$")).click()
    page.wait_for_function("() => document.querySelector('.cv-counter')?.dataset.n === "
                           f"'{n - n_sub - sum(h.kind == 'missing' for h in example.hunks)}'")
    wait_idle(page)
    page.get_by_role("button", name=re.compile(r"^Inserted \d+$")).click()
    page.get_by_role("button", name=re.compile(r"^Substituted \d+$")).click()
    page.wait_for_function(f"() => document.querySelector('.cv-counter')?.dataset.n === "
                           f"'{n_sub}'")
    wait_idle(page)
    hunk = int(selection(page)["hunk"])
    assert example.hunks[hunk].kind == "substituted"


def test_clicking_the_density_chart_selects_a_difference_near_there(page, app_url, shot,
                                                                     example):
    open_app(page, app_url)
    chart = page.locator('[data-testid="stVegaLiteChart"]').nth(0)
    chart.wait_for()
    chart.scroll_into_view_if_needed()
    box = plot_box(chart)
    at = 0.6
    page.mouse.click(box["x"] + at * box["width"], box["y"] + box["height"] * 0.5)
    page.wait_for_function("() => document.querySelector('.cv-counter')?.dataset.hunk !== '0'")
    wait_idle(page)
    hid = int(selection(page)["hunk"])
    wait_selected(page, hid)
    # near the spot clicked: within a few bins of it
    assert abs(position_of_selection(page) - at) < 0.08
    assert abs(example.hunks[hid].ta[0] / len(example.a) - at) < 0.08
    shot(page, "viewer-density")
    # the paragraph chart: click above paragraph 10, land in that paragraph's first difference
    para = page.locator('[data-testid="stVegaLiteChart"]').nth(1)
    para.scroll_into_view_if_needed()
    pbox = plot_box(para)
    lines = example.a_text.count("\n") + (not example.a_text.endswith("\n"))
    x = pbox["x"] + (10 - 1 + 0.5) / lines * pbox["width"]
    page.mouse.click(x, pbox["y"] + 0.3 * pbox["height"])
    page.wait_for_function(f"() => document.querySelector('.cv-counter')?.dataset.hunk !== "
                           f"'{hid}'")
    wait_idle(page)
    assert re.search(r"line 10\b", page.locator(".cv-sel-line").inner_text())


def test_diff_in_the_url_opens_that_difference(page, app_url, shot, example):
    # the twelfth: below the list's first rows (it showed rows 1-11 with 12 selected under them)
    open_app(page, app_url, "?diff=12")
    wait_selected(page, 11)
    sel = selection(page)
    assert "Difference 12 of" in sel["text"]
    assert diff_param(page) == "12"
    a_txt, b_txt = example.hunk_texts(example.hunks[11])
    assert not a_txt and b_txt[:20] in page.locator(".cv-sel-line").inner_text()  # inserted
    # the list scrolls its selected row into sight
    page.wait_for_function(pages.SELECTED_ROW_IN_SIGHT, arg=["diff_table", 11])
    # every Confusions table shows all its columns at 1400 px (four across cut off the Count
    # of "Words substituted")
    assert page.locator('.st-key-confusions [data-testid="stDataFrame"]').count() == 4
    assert pages.overflowing_tables(page, ".st-key-confusions") == []
    # the selected element is on screen in the view
    el = page.locator('.cv-root [aria-current="true"]').first
    rows = page.locator(".cv-root .cv-rows").bounding_box()
    eb = el.bounding_box()
    assert rows["y"] <= eb["y"] and eb["y"] + eb["height"] <= rows["y"] + rows["height"]


# --- new pairs ----------------------------------------------------------------------------------


def test_upload_a_pair_with_legacy_and_utf16_encodings(page, app_url, shot):
    original = ORIGINAL.read_text(encoding="utf-8")
    # a cp1252 original (curly quotes and dashes as single bytes) and a UTF-16 corrupted text
    a = original.replace("\n", "\r\n")
    b = (original.replace("Russian warplanes", "Russian jets")
         .replace("the strategically important town", "the town")
         .replace("ultimate fate.", "ultimate fate. Nobody knows."))
    open_app(page, app_url)
    upload(page, 0, "article-cp1252.txt", a.encode("cp1252"))
    page.get_by_text("Now add the corrupted text").wait_for()  # the original waits for it
    upload(page, 1, "article-utf16.txt", b.encode("utf-16"))
    wait_pair(page, "article-cp1252.txt", "article-utf16.txt")
    info = page.locator(".cv-doc").all_inner_texts()
    assert any("article-cp1252.txt" in t and "cp1252" in t for t in info), info
    assert any("article-utf16.txt" in t and "utf-16" in t for t in info), info
    counts = kind_counts(page)
    assert counts["substituted"] > 0 and counts["missing"] > 0 and counts["inserted"] > 0
    texts = page.evaluate("""() => [...document.querySelectorAll('.cv-root .cv-h')]
        .map(e => e.textContent)""")
    assert "jets" in texts and "Nobody knows." in texts
    assert "warplanes" in texts
    n = int(selection(page)["n"])
    al = align(a, b)
    assert n == len(al.hunks)
    # the CRLF original decoded right: its a cells are the CRLF text
    for s, e, content in cell_texts(page, "a"):
        assert content == a[s:e]
    shot(page, "viewer-upload")


def test_a_bad_upload_shows_an_error_and_keeps_the_pair(page, app_url, shot, example):
    open_app(page, app_url, "?diff=5")
    wait_selected(page, 4)
    before = page.locator(".cv-root .cv-view").inner_html()
    # one after the other in one page: the second refusal keeps the pair the first one kept
    for name, data, message in (("picture.png", PNG, "binary"), ("empty.txt", b"", "empty")):
        upload(page, 0, name, data, "image/png" if name.endswith(".png") else "text/plain")
        alert = page.locator('[data-testid="stAlert"]').filter(has_text=name)
        alert.wait_for(timeout=WAIT_MS)
        wait_idle(page)
        text = alert.inner_text()
        assert message in text.lower(), text
        assert "Traceback" not in page.content()
        # the previous pair stays, with its selection
        assert page.locator(".cv-title .cv-sub b").first.inner_text() == "000_a77c86db7b5a1f59.txt"
        assert selection(page)["hunk"] == "4"
        assert page.locator(".cv-root .cv-view").inner_html() == before
        assert int(selection(page)["n"]) == len(example.hunks)
        if name.endswith(".png"):
            shot(page, "viewer-error")
    # a good pair afterwards clears the error (one side alone waits for the other)
    upload(page, 0, "fine.txt", b"Russian warplanes carried out airstrikes.\n")
    page.get_by_text("Now add the corrupted text").wait_for()  # the original waits for it
    upload(page, 1, "short.txt", b"Russian warplanes have carried out airstrikes.\n")
    wait_pair(page, "fine.txt", "short.txt")
    assert page.locator('[data-testid="stAlert"]').count() == 0


def test_downloads(page, app_url, example, tmp_path):
    open_app(page, app_url)
    for label in ("Differences (CSV)", "Differences (JSON)", "Side-by-side report (HTML)"):
        # (waits: an element's code may still be loading, a skeleton in its place)
        expect(page.get_by_role("button", name=label)).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Differences (JSON)").click()
    download = info.value
    assert download.suggested_filename == "differences.json"
    doc = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert {"original", "corrupted", "stats", "hunks"} <= doc.keys()
    for side in ("original", "corrupted"):
        assert {"path", "encoding", "chars", "tokens"} <= doc[side].keys()
    assert doc["original"]["path"] == "000_a77c86db7b5a1f59.txt"
    assert len(doc["hunks"]) == len(example.hunks)
    for h, want in zip(doc["hunks"], example.hunks, strict=True):
        assert set(h) >= {"id", "kind", "a", "b", "a_text", "b_text"}
        assert h["id"] == want.id and h["kind"] == want.kind
        assert h["a_text"] == example.a_text[h["a"][0]:h["a"][1]]
        assert h["b_text"] == example.b_text[h["b"][0]:h["b"][1]]
    with page.expect_download() as info:
        page.get_by_role("button", name="Differences (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(
        Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(example.hunks)
    with page.expect_download() as info:
        page.get_by_role("button", name="Side-by-side report (HTML)").click()
    report = Path(info.value.path()).read_text(encoding="utf-8")
    assert report.startswith("<!DOCTYPE html>") and "<script" not in report.lower()
    assert "rapprochement" in report and 'data-hunk="0"' in report
    # the report opens offline: no request leaves the file, every difference is drawn
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".html"
    page.goto(saved.as_uri())
    assert all(u.startswith("file:") for u in requests), requests
    drawn = page.evaluate("""() => new Set([...document.querySelectorAll('.cv-view [data-hunk]')]
        .map(e => e.dataset.hunk)).size""")
    assert drawn == len(example.hunks)
    a_text = "".join(page.locator('.cv-cell[data-side="a"]').all_text_contents())
    assert a_text == example.a_text


def test_options_change_the_counts(page, app_url, shot):
    a = ORIGINAL.read_text(encoding="utf-8")
    b = CORRUPTED.read_text(encoding="utf-8")
    want = {opts: len(align(a, b, ignore_case=opts[0], strict_typography=opts[1]).hunks)
            for opts in ((False, False), (True, False), (True, True), (False, True))}
    assert len(set(want.values())) > 1
    open_app(page, app_url, "?diff=7")
    wait_selected(page, 6)

    def counted() -> int:
        return int(page.locator(".cv-counter").get_attribute("data-n"))

    assert counted() == want[(False, False)]
    for label, opts in (("Ignore case", (True, False)), ("Strict typography", (True, True)),
                        ("Ignore case", (False, True))):
        page.get_by_text(label, exact=True).click()
        page.wait_for_function(f"() => document.querySelector('.cv-counter')?.dataset.n === "
                               f"'{want[opts]}'")
        wait_idle(page)
        assert counted() == want[opts]
        # the metrics agree with the counter
        total = sum(int(page.locator('[data-testid="stMetric"]').filter(has_text=k)
                        .locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))
                    for k in ("Missing", "Substituted", "Inserted"))
        assert total == want[opts]
    # strict typography: curly vs straight quotes now show
    texts = page.evaluate("""() => [...document.querySelectorAll('.cv-root .cv-h')]
        .map(e => e.textContent)""")
    assert any(any(q in t for q in "’“”\"") for t in texts)
    shot(page, "viewer-strict")


def test_identical_texts_and_swap(page, app_url, shot, example):
    open_app(page, app_url)
    # swap: what was missing is now inserted, and the other way round
    page.get_by_role("button", name="Swap", exact=True).click()
    wait_pair(page, "001_39dbf1e82cca5920.txt", "000_a77c86db7b5a1f59.txt")
    swapped = align(example.b_text, example.a_text)
    for kind in ("Missing", "Substituted", "Inserted"):
        count = sum(h.kind == kind.lower() for h in swapped.hunks)
        page.get_by_role("button", name=f"{kind} {count}", exact=True).wait_for()
    # mostly the example's missing compounds, now inserted
    assert sum(h.kind == "inserted" for h in swapped.hunks) > sum(
        h.kind == "inserted" for h in example.hunks)
    # the same file on both sides: a clear "no differences" state
    same = ORIGINAL.read_bytes()
    upload(page, 0, "same-a.txt", same)
    wait_pair(page, "same-a.txt", "000_a77c86db7b5a1f59.txt")  # over a pair of one's own
    upload(page, 1, "same-b.txt", same)
    wait_pair(page, "same-a.txt", "same-b.txt")
    c = page.locator(".cv-counter")
    assert c.get_attribute("data-n") == "0" and "No differences" in c.inner_text()
    assert page.locator(".cv-root [data-hunk]").count() == 0
    assert page.locator(".cv-root [aria-current]").count() == 0
    assert page.get_by_role("button", name="Next", exact=True).is_disabled()
    assert page.get_by_role("button", name="Previous", exact=True).is_disabled()
    assert page.get_by_text("No differences: the two texts match").is_visible()
    assert "".join(c for _, _, c in cell_texts(page, "a")) == same.decode("utf-8")
    assert diff_param(page) is None
    page.keyboard.press("j")  # nothing to go to: nothing breaks
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.locator(".cv-title h1").hover()
    shot(page, "viewer-identical")

