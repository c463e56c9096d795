"""Types, letters, presets and provenance in a real browser, on the example pair: the type
filter with Previous/Next and the keys, quieter case differences, the letters that differ, the
"Ignore case" offer, a copy's sources outlined and shown, and a move's partner.
Screenshots go to tests/browser/screenshots/."""

from __future__ import annotations

import re

from tests.browser.pages import cell_texts, upload, wait_idle
from tests.browser.test_viewer import hunk_el, open_app, selection, wait_pair, wait_selected


def shown_count(page, n: int) -> None:
    page.wait_for_function(f"() => document.querySelector('.cv-counter')?.dataset.n === '{n}'")
    wait_idle(page)


def test_type_filter_with_next_and_the_keys(page, app_url, shot, example):
    n = len(example.hunks)
    copies = sum(t == "copy" for t in example.types)
    open_app(page, app_url)
    pill = page.get_by_role("button", name=f"Copy {copies}", exact=True)
    pill.click()  # hide the copies
    shown_count(page, n - copies)
    view = page.locator(".cv-root .cv-view")
    assert "cv-dimt-copy" in view.get_attribute("class")
    first_copy = next(h.id for h in example.hunks if example.types[h.id] == "copy")
    assert float(hunk_el(page, first_copy, "a").evaluate(
        "e => getComputedStyle(e).opacity")) < 0.6
    # every highlight says its type, on hover too
    el = hunk_el(page, first_copy, "b")
    assert el.get_attribute("data-type") == "copy"
    assert "Copy: text copied from elsewhere" in el.get_attribute("title")
    shown = [h.id for h in example.hunks if example.types[h.id] != "copy"]
    wait_selected(page, shown[0])
    page.get_by_role("button", name="Next", exact=True).click()
    wait_selected(page, shown[1])
    wait_idle(page)
    page.locator(".cv-title h1").click()
    page.keyboard.press("j")  # the component skips the hidden type as well
    wait_selected(page, shown[2])
    page.keyboard.press("k")
    wait_selected(page, shown[1])
    wait_idle(page)
    shot(page, "types-filter", full_page=True)
    # the charts split by type on request
    page.locator(".st-key-colour_by button", has_text="type").first.click()
    page.wait_for_function("""() => [...document.querySelectorAll('.stVegaLiteChart text')]
                                   .some(t => t.textContent === 'Copy')""")
    wait_idle(page)
    page.locator(".st-key-colour_by").scroll_into_view_if_needed()
    shot(page, "types-charts")


def test_case_differences_are_quieter_and_the_page_offers_ignore_case(page, app_url, shot):
    open_app(page, app_url)
    upload(page, 0, "caps.txt", b"a FUND grew and the BANK said it SO today")
    page.get_by_text("Now add the corrupted text").wait_for()  # the original waits for it
    upload(page, 1, "lower.txt", b"a fund grew and the bank said it so tomorrow")
    wait_pair(page, "caps.txt", "lower.txt")
    wait_selected(page, 0)
    # quieter: a thinner outline than a word change (neither is the selected one, #1)
    case, word = hunk_el(page, 1, "a"), hunk_el(page, 3, "a")  # BANK, today
    assert (case.get_attribute("data-type"), word.get_attribute("data-type")) == ("case", "word")
    def look(el):
        return el.evaluate("""e => { const s = getComputedStyle(e);
            return [s.backgroundImage.startsWith('linear-gradient'), s.outlineColor]; }""")

    # a white wash over the background, a grey outline instead of the kind's ink
    assert look(case)[0] and not look(word)[0]
    assert look(case)[1] != look(word)[1]
    assert "only in case" in page.locator(".stAlert").first.inner_text()
    shot(page, "types-case-offer")
    page.get_by_role("button", name="Ignore case", exact=True).click()
    shown_count(page, 1)
    assert page.get_by_role("checkbox", name="Ignore case").is_checked()


def test_the_letters_that_differ_are_darker_and_the_text_is_intact(page, app_url, example):
    open_app(page, app_url)
    marks = page.locator(".cv-root .cv-h .cv-ch")
    assert marks.count() > 0
    box = marks.first.evaluate("e => getComputedStyle(e).boxShadow")
    assert box and box != "none"
    # the panes are still exactly their texts
    a_cells = cell_texts(page, "a")
    assert all(example.a_text[s:e] == text for s, e, text in a_cells)
    b_cells = cell_texts(page, "b")
    assert all(example.b_text[s:e] == text for s, e, text in b_cells)
    # the OCR preset keeps them, ASR turns them off
    page.locator(".st-key-preset button", has_text="ASR").first.click()
    page.wait_for_function("() => !document.querySelector('.cv-root .cv-ch')")
    wait_idle(page)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    assert [t.strip() for t in labels[:2]] == ["WER", "CER"]
    page.locator(".st-key-preset button", has_text="OCR").first.click()
    page.wait_for_selector(".cv-root .cv-ch")
    wait_idle(page)
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    assert [t.strip() for t in labels[:2]] == ["CER", "WER"]


def test_a_copy_outlines_its_sources_and_shows_each(page, app_url, shot, example):
    hid = next(h.id for h in example.hunks if example.hunk_texts(h) == ("against", "the Turks"))
    sources = example.provenance[hid].sources
    assert len(sources) >= 3
    open_app(page, app_url, f"?diff={hid + 1}")
    wait_selected(page, hid)
    outlined = page.locator(f'.cv-root .cv-cell[data-side="a"] [data-source-of="{hid}"]')
    assert outlined.count() == len(sources)
    assert outlined.first.evaluate("e => getComputedStyle(e).outlineStyle") == "dotted"
    assert [outlined.nth(k).inner_text() for k in range(len(sources))] == [
        example.a_text[s:e] for s, e in sorted(sources)]
    places = page.locator(".cv-src")
    assert places.count() == len(sources)
    assert "Copied from" in page.locator(".cv-src-head").inner_text()
    # Show the farthest source: the view scrolls to it, the selection stays
    far = max(range(len(sources)), key=lambda k: abs(sources[k][0] - example.hunks[hid].a[0]))
    page.locator(f".st-key-source_{far} button").first.click()
    target = page.locator(f'.cv-root [data-source-of="{hid}"][data-source="{far}"]')
    page.wait_for_function(
        """([h, k]) => {
            const el = document.querySelector(
                `.cv-root [data-source-of="${h}"][data-source="${k}"]`);
            const rows = document.querySelector('.cv-root .cv-rows');
            if (!el || !rows) return false;
            const r = el.getBoundingClientRect(), box = rows.getBoundingClientRect();
            return r.top >= box.top && r.bottom <= box.bottom;
        }""", arg=[hid, far])
    wait_idle(page)
    assert selection(page)["hunk"] == str(hid)
    assert target.is_visible()
    shot(page, "types-copy-sources", full_page=True)
    page.get_by_role("button", name="Back to the difference", exact=True).click()
    wait_selected(page, hid)
    page.wait_for_function(
        """() => {
            const el = document.querySelector('.cv-root [aria-current="true"]');
            const box = document.querySelector('.cv-root .cv-rows').getBoundingClientRect();
            const r = el.getBoundingClientRect();
            return r.top >= box.top && r.bottom <= box.bottom;
        }""")


def test_a_move_selects_its_partner(page, app_url):
    moved = b"Nobody in the capital expected the vote to pass at all today."
    open_app(page, app_url)
    upload(page, 0, "a.txt", moved + b" The army will help. The navy stays home.")
    page.get_by_text("Now add the corrupted text").wait_for()  # the original waits for it
    upload(page, 1, "b.txt", b"The army will help. The navy stays home. " + moved)
    wait_pair(page, "a.txt", "b.txt")
    assert re.search(r"Moved: .* #2", page.locator(".cv-note", has_text="Moved").inner_text())
    page.get_by_role("button", name="Go to #2", exact=True).click()
    wait_selected(page, 1)
    page.get_by_role("button", name="Go to #1", exact=True).click()
    wait_selected(page, 0)
