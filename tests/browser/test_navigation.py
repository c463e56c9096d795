"""Moving through the differences in a real browser, on the example pair: the view component's
own Previous / Next buttons and counter, fast clicks that lose nothing and that no late answer of
the server undoes, the keys, a click on a token, and a click on any cell of a row of "All
differences".

Behaviour only: how fast a move is outlined is measured by ``benchmarks/browser_speed.py``.
"""

from __future__ import annotations

import re

from tests.browser.pages import SELECTED_ROW_IN_SIGHT, counter, open_app, wait_idle
from tests.browser.test_viewer import selection, wait_selected

FAST_CLICKS = 10
GAP_MS = 100  # between clicks: faster than a rerun of the page on this machine


def outlined(page) -> set[int]:
    return set(page.evaluate("""() => [...document.querySelectorAll(
        '.cv-root [aria-current="true"]')].map(e => +e.dataset.hunk)"""))


def url_diff(page) -> str | None:
    m = re.search(r"[?&]diff=(\d+)", page.url)
    return m.group(1) if m else None


def buttons(page):
    return (page.get_by_role("button", name="Previous", exact=True),
            page.get_by_role("button", name="Next", exact=True))


def test_buttons_and_counter_are_in_the_view(page, app_url, shot, example):
    open_app(page, app_url)
    prev, nxt = buttons(page)
    # one of each, inside the view component, next to the counter
    assert prev.count() == 1 and nxt.count() == 1
    assert page.locator(".cv-nav").get_by_role("button", name="Next", exact=True).count() == 1
    wait_selected(page, 0)
    c = page.locator(".cv-nav .cv-counter")
    n = counter(page)["n"]
    assert n == len(example.hunks)
    assert c.inner_text().replace("\n", " ").startswith(f"Difference 1 of {n}")
    assert prev.is_disabled() and not nxt.is_disabled()
    nxt.click()
    wait_selected(page, 1)
    assert c.get_attribute("data-k") == "2" and c.get_attribute("data-hunk") == "1"
    assert not prev.is_disabled()
    # the second difference is a substitution: outlined on both sides
    assert {side for side, _ in selection(page)["current"]} == {"a", "b"}
    page.wait_for_function("() => /[?&]diff=2(&|$)/.test(location.search)")
    wait_idle(page)
    page.locator(".cv-title h1").hover()
    shot(page, "viewer-next")
    prev.click()
    wait_selected(page, 0)
    assert prev.is_disabled()
    page.wait_for_function("() => /[?&]diff=1(&|$)/.test(location.search)")


def test_ten_fast_clicks_move_exactly_ten_and_nothing_undoes_them(page, app_url):
    open_app(page, app_url)
    prev, nxt = buttons(page)
    wait_selected(page, 0)
    for _ in range(FAST_CLICKS):
        nxt.click()
        page.wait_for_timeout(GAP_MS)
    wait_selected(page, FAST_CLICKS)
    # the server's runs that started before the last click end without moving it back
    wait_idle(page)
    page.wait_for_timeout(500)
    wait_idle(page)
    assert counter(page)["hunk"] == FAST_CLICKS and outlined(page) == {FAST_CLICKS}
    page.wait_for_function(f"() => /[?&]diff={FAST_CLICKS + 1}(&|$)/.test(location.search)")
    # the panels below follow the last move, and the list shows its row (below its first rows)
    assert page.locator(".cv-pos").inner_text().find(f"#{FAST_CLICKS + 1}") >= 0
    page.wait_for_function(SELECTED_ROW_IN_SIGHT, arg=["diff_table", FAST_CLICKS])
    for _ in range(FAST_CLICKS):
        prev.click()
        page.wait_for_timeout(GAP_MS)
    wait_selected(page, 0)
    wait_idle(page)
    page.wait_for_timeout(500)
    wait_idle(page)
    assert counter(page)["hunk"] == 0 and outlined(page) == {0}
    assert prev.is_disabled()
    page.wait_for_function("() => /[?&]diff=1(&|$)/.test(location.search)")
    page.wait_for_function(SELECTED_ROW_IN_SIGHT, arg=["diff_table", 0])  # back up the list


def test_keys_move_at_once_and_a_burst_loses_nothing(page, app_url):
    open_app(page, app_url)
    page.locator(".cv-title h1").click()  # focus on the page, not on a widget
    for _ in range(5):
        page.keyboard.press("j")
    wait_selected(page, 5)
    for key in ("k", "p", "ArrowLeft"):
        page.keyboard.press(key)
    wait_selected(page, 2)
    for key in ("n", "ArrowRight"):
        page.keyboard.press(key)
    wait_selected(page, 4)
    # the page's own record (the address) ends on the last key too: a selection whose run was
    # cut short by the next key's is sent again until the page acknowledges it (viewer.js,
    # RESEND_MS), so the wait is for that, not a fixed pause a loaded machine can outlast
    page.wait_for_function("() => /[?&]diff=5(&|$)/.test(location.search)")
    wait_idle(page)
    assert counter(page)["hunk"] == 4 and url_diff(page) == "5"
    # while typing, the keys are text, not navigation
    page.get_by_text("Paste text instead").click()
    box = page.get_by_label("Original text")
    box.click()
    box.press_sequentially("jjnk")
    assert box.input_value() == "jjnk"
    wait_idle(page)
    assert counter(page)["hunk"] == 4


def test_a_click_on_a_token_selects_its_difference(page, app_url):
    open_app(page, app_url)
    token = page.locator('.cv-root .cv-cell[data-side="b"] [data-hunk="9"]').first
    token.click()
    wait_selected(page, 9)
    assert page.locator(".cv-counter").get_attribute("data-k") == "10"
    page.wait_for_function("() => /[?&]diff=10(&|$)/.test(location.search)")
    wait_idle(page)
    assert page.locator(".cv-pos").inner_text().find("#10") >= 0
    # Next goes on from the clicked difference
    buttons(page)[1].click()
    wait_selected(page, 10)


def test_a_click_on_any_cell_of_a_list_row_selects_that_difference(page, app_url, shot,
                                                                    example):
    open_app(page, app_url)
    grid = page.locator('.st-key-diff_table [data-testid="stDataFrame"]')
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # the row's selection box (rows are 35 px under a 35 px header): the view scrolls to the
    # fifth difference and the detail panel describes it
    row = 4
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 35 * row + 17)
    wait_selected(page, row)
    page.wait_for_function(f"() => /[?&]diff={row + 1}(&|$)/.test(location.search)")
    wait_idle(page)
    assert page.locator(f'.cv-root .cv-cell[data-side="a"] [data-hunk="{row}"]').first \
        .is_visible()
    assert example.hunk_texts(example.hunks[row])[0] in page.locator(".cv-sel-line").inner_text()
    # a text cell well right of the selection box
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    row = 6
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + 35 + 35 * row + 17)
    wait_selected(page, row)
    page.wait_for_function(f"() => /[?&]diff={row + 1}(&|$)/.test(location.search)")
    wait_idle(page)
    assert page.locator(".cv-pos").inner_text().find(f"#{row + 1}") >= 0
    # then another row's cell (the pick scrolled the page up to the view: find the list again)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + 35 + 35 * 2 + 17)
    wait_selected(page, 2)
    wait_idle(page)
    shot(page, "navigation-list-cell")
