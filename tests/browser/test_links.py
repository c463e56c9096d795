"""Links and reloads that keep your pair, in Chromium: an uploaded pair's address
(``?pair=<id>&diff=k``) reopens it at the same difference after a reload, in a fresh browser
context, and after the server restarts on the same data folder; an unknown id is said, with the
example offered; one upload over the example waits for the other; the recent list reopens a
pair. Each server keeps its pairs in a temporary data folder of its own."""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import WAIT_MS, counter, open_app, upload, wait_idle
from tests.browser.serve import streamlit_server

ORIGINAL = b"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu"
CORRUPTED = b"alpha BETA gamma epsilon zeta ETA theta iota kappa nu lambda mu xi"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("links-data")


@pytest.fixture(scope="module")
def links_url(data_dir):
    """A server of this module's own, keeping pairs in ``data_dir``."""
    with streamlit_server(data_dir=data_dir) as url:
        yield url


def fresh_page(browser):
    """A page in a new browser context: no cookies, no storage, a new Streamlit session."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return page


def names(page) -> list[str]:
    return page.locator(".cv-title .cv-sub b").all_inner_texts()


def wait_pair(page, name_a: str, name_b: str) -> None:
    """The title names this pair and the view shows its differences."""
    page.wait_for_function(
        """([a, b]) => {
            const bs = [...document.querySelectorAll('.cv-title .cv-sub b')]
                .map(e => e.textContent);
            return bs[0] === a && bs[1] === b
                && document.querySelector('.cv-root .cv-view [data-hunk]') !== null;
        }""", arg=[name_a, name_b], timeout=WAIT_MS)
    wait_idle(page)


def wait_param(page, name: str, value: str | None = None) -> str:
    """The address's ``name`` parameter, once it is there (and equals ``value``, if given)."""
    page.wait_for_function(
        """([n, v]) => {
            const got = new URLSearchParams(location.search).get(n);
            return got !== null && (v === null || got === v);
        }""", arg=[name, value], timeout=WAIT_MS)
    return re.search(rf"[?&]{name}=([^&]+)", page.url).group(1)


def upload_pair(page, url: str, name_a: str = "orig.txt", name_b: str = "corr.txt") -> None:
    open_app(page, url)
    upload(page, 0, name_a, ORIGINAL)
    page.get_by_text("Now add the corrupted text").wait_for()
    wait_idle(page)
    upload(page, 1, name_b, CORRUPTED)
    wait_pair(page, name_a, name_b)


def go_to(page, hunk: int) -> None:
    """Press Next until difference ``hunk`` (0-based) is selected."""
    while (now := counter(page)["hunk"]) != hunk:
        page.get_by_role("button", name="Next").click()
        page.wait_for_function(
            "(k) => +document.querySelector('.cv-counter')?.dataset.hunk > k", arg=now,
            timeout=WAIT_MS)
        wait_idle(page)
    wait_param(page, "diff", str(hunk + 1))
    wait_idle(page)


def test_a_reload_and_a_fresh_context_reopen_the_pair_at_its_difference(page, browser,
                                                                           links_url, shot):
    upload_pair(page, links_url)
    go_to(page, 2)
    pair_id = wait_param(page, "pair")
    assert re.fullmatch(r"[0-9a-f]{32}", pair_id)
    link = page.url
    n = counter(page)["n"]

    page.reload()
    wait_pair(page, "orig.txt", "corr.txt")
    assert counter(page) == {"hunk": 2, "n": n}
    assert page.locator('.cv-root [aria-current="true"]').count() >= 1

    other = fresh_page(browser)
    try:
        other.goto(link)
        wait_pair(other, "orig.txt", "corr.txt")
        assert counter(other) == {"hunk": 2, "n": n}
        assert wait_param(other, "pair") == pair_id
        shot(other, "links-fresh-context")
    finally:
        other.context.close()


def test_an_unknown_pair_says_so_and_offers_the_example(page, links_url, shot):
    page.goto(f"{links_url}/?pair={'0' * 32}&diff=3")
    message = page.get_by_text("No pair with the id")
    message.wait_for()
    wait_idle(page)
    assert "0" * 32 in message.inner_text()
    assert page.locator(".cv-root .cv-view").count() == 0  # nothing shown in its place
    offer = page.get_by_role("button", name="Open the example pair")
    offer.wait_for()
    shot(page, "links-unknown-pair")
    offer.click()
    wait_pair(page, "000_a77c86db7b5a1f59.txt", "001_39dbf1e82cca5920.txt")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('pair')")


def test_one_upload_over_the_example_waits_for_the_other(page, links_url, shot):
    open_app(page, links_url)
    upload(page, 0, "only-original.txt", ORIGINAL)
    page.get_by_text("Now add the corrupted text").wait_for()
    wait_idle(page)
    # never compared with the example's corrupted text: no view, the title names the half
    assert page.locator(".cv-root .cv-view").count() == 0
    assert names(page) == ["only-original.txt"]
    shot(page, "links-half-upload")
    upload(page, 1, "then-corrupted.txt", CORRUPTED)
    wait_pair(page, "only-original.txt", "then-corrupted.txt")


def test_the_recent_list_reopens_a_pair(page, links_url):
    upload_pair(page, links_url, "recent-a.txt", "recent-b.txt")
    page.get_by_role("button", name="Example pair").click()
    wait_pair(page, "000_a77c86db7b5a1f59.txt", "001_39dbf1e82cca5920.txt")
    page.get_by_text(re.compile(r"^Recent pairs")).click()
    page.get_by_role("button", name=re.compile(r"recent-a\.txt ↔ recent-b\.txt")).click()
    wait_pair(page, "recent-a.txt", "recent-b.txt")
    wait_param(page, "pair")


def test_the_store_survives_a_server_restart(browser, tmp_path):
    page = fresh_page(browser)
    try:
        with streamlit_server(data_dir=tmp_path) as first:
            upload_pair(page, first, "kept-a.txt", "kept-b.txt")
            go_to(page, 1)
            query = "?" + page.url.split("?", 1)[1]
            n = counter(page)["n"]
        with streamlit_server(data_dir=tmp_path) as second:  # a new process, another port
            page.goto(f"{second}/{query}")
            wait_pair(page, "kept-a.txt", "kept-b.txt")
            assert counter(page) == {"hunk": 1, "n": n}
    finally:
        page.context.close()
