"""Hostile text in a real browser: markup in uploaded files (inside differences and inside equal
text, in file names and in pasted text) is shown literally and runs nothing, however it is
hovered or clicked; bidi controls, zero-width and Private Use Area characters are visible,
contained, and leave the text content equal to the source."""

from __future__ import annotations

from tests.browser.pages import WAIT_MS, cell_texts, open_app, upload, wait_idle

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "<img src=x onerror=alert(1)>",
    '<svg onload="window.__pwned=1">',
    '<svg><script>window.__pwned=1</script></svg>',
    '<a href="javascript:window.__pwned=1">x</a>',
    "</style><style>*{display:none}</style>",
    '"><b onmouseover="window.__pwned=1">hover me</b>',
    "' onmouseover='window.__pwned=1' x='",
    '" autofocus onfocus="window.__pwned=1" x="',
    "<iframe src=\"javascript:window.__pwned=1\"></iframe>",
    "</div></div></div><script>window.__pwned=1</script>",
    "&lt;script&gt; &amp; &#60;b&#62; {{7*7}} ${window.__pwned=1}",
]
# (a browser sends '"' in a file name as %22, so the names break attributes with ' only)
NAME_A = "<img src=x onerror=window.__pwned=1>.txt"
NAME_B = "'><svg onload=alert(1)><b onmouseover='window.__pwned=1'>.txt"


def hostile_pair() -> tuple[str, str]:
    """Four lines per payload: in equal text and (corrupted side) in a substitution, in a
    deletion, in an insertion, and (original side) in a substitution."""
    a_lines, b_lines = [], []
    for i, p in enumerate(PAYLOADS):
        a_lines += [f"Paragraph {i} keeps {p} as equal text, then says plain words here.",
                    f"Second {i} has {p} removed.",
                    f"Third {i} ends.",
                    f"Fourth {i} says {p} then."]
        b_lines += [f"Paragraph {i} keeps {p} as equal text, then says {p} here.",
                    f"Second {i} has removed.",
                    f"Third {i} ends. Added {p} too.",
                    f"Fourth {i} says nothing then."]
    return "\n".join(a_lines) + "\n", "\n".join(b_lines) + "\n"


# --- helpers (each browser test module stands alone) --------------------------------------------


def wait_view_of(page, corrupted_name: str) -> None:
    page.wait_for_function(
        """(b) => [...document.querySelectorAll('.cv-root .cv-head > div')]
                    .some(e => e.textContent === 'Corrupted · ' + b)""", arg=corrupted_name,
        timeout=WAIT_MS)
    wait_idle(page)


def open_pair(page, app_url: str, name_a: str, data_a: bytes, name_b: str, data_b: bytes):
    """Open the app and upload an original, then a corrupted file; wait for their view."""
    open_app(page, app_url)
    upload(page, 0, name_a, data_a)
    page.wait_for_function(
        "(a) => document.querySelector('.cv-title .cv-sub b')?.textContent === a", arg=name_a)
    wait_idle(page)
    upload(page, 1, name_b, data_b)
    wait_view_of(page, name_b)


def watch(page) -> list:
    """Record every dialog (alert/confirm/prompt) the page opens, and dismiss it."""
    dialogs: list = []

    def on_dialog(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def assert_nothing_ran(page, dialogs: list) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert dialogs == []
    found = page.evaluate("""() => {
        const out = [];
        // the view holds only the elements viewer/render/ makes (a fold's line is a details)
        for (const el of document.querySelectorAll('.cv-root *')) {
            const made = ['DIV', 'SPAN', 'BR', 'DETAILS', 'SUMMARY'];
            if (!made.includes(el.tagName)) out.push('tag ' + el.tagName);
        }
        for (const el of document.querySelectorAll('*')) {
            for (const at of el.attributes) {
                if (/^on/i.test(at.name)) out.push(`${el.tagName} ${at.name}`);
                if (/^\\s*javascript:/i.test(at.value)) out.push(`${el.tagName} ${at.name}=js`);
            }
        }
        // render.py puts no document text into attributes (Streamlit's own widgets may, as
        // aria-labels set through the DOM, which is not markup)
        for (const el of document.querySelectorAll('.cv-root *')) {
            for (const at of el.attributes) {
                if (at.value.includes('__pwned')) out.push(`${el.tagName} ${at.name} has text`);
            }
        }
        for (const el of document.querySelectorAll('script')) {
            if (el.textContent.includes('__pwned')) out.push('script with payload');
        }
        for (const el of document.querySelectorAll('style')) {
            if (el.textContent.includes('*{display:none}')) out.push('style with payload');
        }
        for (const el of document.querySelectorAll('iframe, object, embed')) {
            out.push('frame ' + el.tagName + ' ' + (el.getAttribute('src') || ''));
        }
        for (const el of document.querySelectorAll('img')) {
            if (el.getAttribute('src') === 'x') out.push('img from the text');
        }
        for (const el of document.querySelectorAll('b')) {
            if (el.textContent.includes('hover me')) out.push('b from the text');
        }
        return out;
    }""")
    assert found == []




def assert_cells_are_the_source(page, a: str, b: str) -> None:
    for side, text in (("a", a), ("b", b)):
        got = cell_texts(page, side)
        assert got, f"no {side} cells"
        for s, e, content in got:
            assert content == text[s:e], (side, s, e)


def hover_and_click_everything(page) -> int:
    """Hover every highlight, then click one element of every fourth difference (one per
    payload: its substitution; alternating sides) and of the last, each waited for until the
    page confirms it, so the detail panel shows each payload too. (Clicking the others as well
    added 40 selections that only the view draws, 10 s of the test command, and nothing the
    hovering and these clicks do not already put on screen.)"""
    hl = page.locator(".cv-root [data-hunk]")
    n = hl.count()
    for i in range(n):
        # the real pointer over each one (what a person's mouse sends), aimed at where the
        # element is once scrolled into view: ``hover()``'s wait for a still element is a
        # round trip of its own, 0.1 s for each of a hundred highlights
        x, y = page.evaluate("""(i) => {
            const e = document.querySelectorAll('.cv-root [data-hunk]')[i];
            e.scrollIntoView({block: 'nearest'});
            const r = e.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2];
        }""", i)
        page.mouse.move(x, y)
    ids = sorted({int(x) for x in hl.evaluate_all("els => els.map(e => e.dataset.hunk)")})
    picked = ids[::4] + ([ids[-1]] if (len(ids) - 1) % 4 else [])
    for k, hid in enumerate(picked):
        side = "ab"[k % 2]
        el = page.locator(f'.cv-root .cv-cell[data-side="{side}"] [data-hunk="{hid}"]')
        if el.count() == 0:
            el = page.locator(f'.cv-root [data-hunk="{hid}"]')
        el.first.click()
        page.wait_for_function(
            f"() => document.querySelector('.cv-counter')?.dataset.hunk === '{hid}'")
        wait_idle(page)
    return n


def x_positions(page, selector: str, word: str) -> list[float] | None:
    """Screen x of each character of ``word`` where it first occurs in a text node inside the
    elements matching ``selector`` (increasing when it reads left to right)."""
    return page.evaluate("""([selector, word]) => {
        for (const root of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                const i = n.data.indexOf(word);
                if (i < 0) continue;
                const xs = [];
                for (let k = 0; k < word.length; k++) {
                    const r = document.createRange();
                    r.setStart(n, i + k);
                    r.setEnd(n, i + k + 1);
                    xs.push(r.getBoundingClientRect().x);
                }
                return xs;
            }
        }
        return null;
    }""", [selector, word])


# --- tests --------------------------------------------------------------------------------------


def test_markup_in_uploaded_files_is_shown_literally_and_runs_nothing(page, app_url, shot):
    a, b = hostile_pair()
    dialogs = watch(page)
    open_app(page, app_url)
    upload(page, 0, NAME_A, a.encode("utf-8"))
    page.wait_for_function(
        "(n) => document.querySelector('.cv-title .cv-sub b')?.textContent === n", arg=NAME_A)
    wait_idle(page)
    upload(page, 1, NAME_B, b.encode("utf-8"))
    wait_view_of(page, NAME_B)
    assert_nothing_ran(page, dialogs)

    # the payloads are differences of every kind, and equal text too
    kinds = page.evaluate("""() => [...new Set([...document.querySelectorAll(
        '.cv-root [data-kind]')].map(e => e.dataset.kind))].sort()""")
    assert kinds == ["inserted", "missing", "substituted"]
    # every payload is inside differences on both sides, literally: twice a side (a
    # substitution, and a deletion or an insertion); punctuation at a payload's edge may be a
    # difference of its own, so the highlighted pieces are read joined, in document order
    # (spaces between two pieces are not highlighted: compared without spaces)
    marked = page.evaluate("""() => Object.fromEntries(['a', 'b'].map(side => [side,
        [...document.querySelectorAll(`.cv-root .cv-cell[data-side="${side}"] .cv-h`)]
        .map(e => e.textContent.replace(/\\s+/g, '')).join('')]))""")
    for p in PAYLOADS:
        bare = "".join(p.split())
        assert marked["a"].count(bare) >= 2 and marked["b"].count(bare) >= 2, p
    equal_text = page.evaluate("""() => [...document.querySelectorAll('.cv-root .cv-cell')]
        .map(c => [...c.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join(''))
        .join('\\n')""")
    for p in PAYLOADS:
        assert p in equal_text  # outside any difference, literally
    assert_cells_are_the_source(page, a, b)
    # the file names too: shown as text in the header, the view and the sidebar
    header = page.locator(".cv-title .cv-sub").inner_text()
    assert NAME_A in header and NAME_B in header
    assert NAME_A in page.locator(".cv-root .cv-head").inner_text()
    shot(page, "hostile-upload")

    touched = hover_and_click_everything(page)
    assert touched >= 3 * len(PAYLOADS)
    assert_nothing_ran(page, dialogs)
    # the detail panel of the last one shows its texts literally as well
    detail = page.locator(".cv-textblock").all_inner_texts()
    assert any("window.__pwned=1" in t for t in detail), detail
    # nothing was hidden by the </style><style>*{display:none} payload
    assert page.locator(".cv-root .cv-view").is_visible()
    assert_cells_are_the_source(page, a, b)
    assert_nothing_ran(page, dialogs)
    shot(page, "hostile-clicked")


def test_markup_in_pasted_text_runs_nothing(page, app_url):
    a, b = hostile_pair()
    dialogs = watch(page)
    open_app(page, app_url)
    page.get_by_text("Paste text instead").click()
    page.get_by_label("Original text").fill(a)
    page.get_by_label("Corrupted text").fill(b)
    page.get_by_role("button", name="Compare pasted text").click()
    wait_view_of(page, "pasted corrupted")
    assert_cells_are_the_source(page, a, b)
    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_function("() => document.querySelector('.cv-counter')?.dataset.hunk === '1'")
    wait_idle(page)
    for el in page.locator(".cv-root .cv-h").all()[:12]:
        el.hover()
    assert_nothing_ran(page, dialogs)


INVISIBLES = {
    "\u202e": "RLO",
    "\u200b": "ZWSP",
    "\ue000": "U+E000",
    "\u2066": "LRI",
    "\ufeff": "BOM",
}


def invisible_pair() -> tuple[str, str]:
    a = ("Equal text holds a bidi override abc\u202edef right here, then after stays in order.\n"
         "A zero\u200bwidth space and a private \ue000 letter sit in equal text.\n"
         "Isolate \u2066opened and a word\ufeffjoiner stay equal.\n"
         "This line changes: plain old words at the end.\n"
         "Another line loses a word here.\n")
    b = ("Equal text holds a bidi override abc\u202edef right here, then after stays in order.\n"
         "A zero\u200bwidth space and a private \ue000 letter sit in equal text.\n"
         "Isolate \u2066opened and a word\ufeffjoiner stay equal.\n"
         "This line changes: evil\u202eyxz tail\u200b\ue001 words at the end.\n"
         "Another line loses a here. Then \u202eXYZ inserted\u200b too.\n")
    return a, b


def test_invisible_and_reordering_characters_are_visible_and_contained(page, app_url, shot):
    a, b = invisible_pair()
    dialogs = watch(page)
    open_pair(page, app_url, "invisible-a.txt", a.encode("utf-8"),
              "invisible-b.txt", b.encode("utf-8"))
    assert_cells_are_the_source(page, a, b)

    markers = page.evaluate("""() => [...document.querySelectorAll('.cv-root .cv-cc')].map(e => {
        const r = e.getBoundingClientRect();
        return {label: e.dataset.cc, text: e.textContent, width: r.width, height: r.height,
                side: e.closest('.cv-cell').dataset.side, inHunk: !!e.closest('[data-hunk]'),
                bidi: getComputedStyle(e).unicodeBidi,
                shown: getComputedStyle(e, '::before').content};
    })""")
    by_label = {}
    for m in markers:
        by_label.setdefault(m["label"], []).append(m)
    for ch, label in INVISIBLES.items():
        assert label in by_label, (label, sorted(by_label))
        for m in by_label[label]:
            assert m["text"] == ch  # the character itself stays in the text
            # and a label is drawn for it (CSS generated content, so it takes room)
            assert m["width"] > 3 and m["shown"] not in ("none", "normal", '""')
            assert m["bidi"] == "isolate"
    # inside differences as well as in equal text
    assert any(m["inHunk"] for m in by_label["RLO"]) and any(
        not m["inHunk"] for m in by_label["RLO"])
    assert any(m["inHunk"] for m in by_label["ZWSP"])
    assert "U+E001" in by_label and by_label["U+E001"][0]["inHunk"]
    assert split_clusters(page) == []

    # the override does not reorder what follows it: "right here, then after" reads left to
    # right, in equal text and after the override inside a difference
    for side, word in (("a", "def right here"), ("b", "def right here"), ("b", " tail"),
                       ("b", "words at the end"), ("b", " inserted")):
        xs = x_positions(page, f'.cv-root .cv-cell[data-side="{side}"]', word)
        assert xs is not None, (side, word)
        assert xs == sorted(xs), (side, word, xs)
    # the override is contained in its own marker: the characters it governs read right to
    # left only inside that isolate ("def" follows the marker and is not reversed either)
    assert_nothing_ran(page, dialogs)
    page.locator(".cv-root .cv-view").scroll_into_view_if_needed()
    shot(page, "hostile-invisible")


def test_hostile_text_in_other_encodings(page, app_url):
    """The same payloads through the BOM/UTF-16 decoding paths (one pair after the other in one
    page: each side replaces its side), clicked once each side."""
    a, b = hostile_pair()
    dialogs = watch(page)
    open_app(page, app_url)
    for encoding in ("utf-16", "utf-8-sig"):
        upload(page, 0, f"a-{encoding}.txt", a.encode(encoding))
        page.wait_for_function(
            "(n) => document.querySelector('.cv-title .cv-sub b')?.textContent === n",
            arg=f"a-{encoding}.txt")
        wait_idle(page)
        upload(page, 1, f"b-{encoding}.txt", b.encode(encoding))
        wait_view_of(page, f"b-{encoding}.txt")
        assert_cells_are_the_source(page, a, b)
        for side in "ab":
            el = page.locator(f'.cv-root .cv-cell[data-side="{side}"] .cv-h').nth(3)
            hid = el.get_attribute("data-hunk")
            el.click()
            page.wait_for_function(
                f"() => document.querySelector('.cv-counter')?.dataset.hunk === '{hid}'")
            wait_idle(page)
        assert_nothing_ran(page, dialogs)


def test_an_override_in_the_selected_difference_stays_contained(page, app_url):
    a, b = invisible_pair()
    open_pair(page, app_url, "invisible-a.txt", a.encode("utf-8"),
              "invisible-b.txt", b.encode("utf-8"))
    # the first difference: "plain old" -> "evil<RLO>yxz tail<ZWSP><U+E001>"
    assert page.locator(".cv-counter").get_attribute("data-hunk") == "0"
    xs = x_positions(page, ".cv-sel-line", "tail")
    assert xs is not None and xs == sorted(xs), xs
    xs = x_positions(page, ".cv-textblock", "tail")
    assert xs is not None and xs == sorted(xs), xs


def split_clusters(page) -> list:
    """Highlights whose start or end falls inside a grapheme cluster of their cell's text."""
    return page.evaluate("""() => {
        const seg = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
        const bad = [];
        for (const cell of document.querySelectorAll('.cv-root .cv-cell')) {
            const text = cell.textContent;
            const cuts = new Set([text.length]);
            for (const s of seg.segment(text)) cuts.add(s.index);
            for (const el of cell.querySelectorAll('.cv-h')) {
                const r = document.createRange();
                r.setStart(cell, 0);
                r.setEndBefore(el);
                const start = r.toString().length;
                const end = start + el.textContent.length;
                if (!cuts.has(start) || !cuts.has(end)) bad.push([el.dataset.hunk, el.textContent]);
            }
        }
        return bad;
    }""")


def test_rtl_text_combining_marks_emoji_and_old_line_ends(page, app_url, shot):
    a = ("Family 👨‍👩‍👧 here and cafe\u0301 ok. مرحبا بالعالم اليوم. שלום עולם.\r"
         "Second line\rThird line é 👍🏽 done.\r\nFourth line stays.\n"
         "مرحبا يا صديقي، كيف حالك اليوم؟\n")
    b = ("Family 👨‍👩‍👦 here and cafe\u0300 ok. مرحبا بالعالم غدا. שלום עולם.\r"
         "Second line changed\rThird line é 👍🏿 done.\r\nFourth line stays.\n"
         "مرحبا يا صديقي، كيف حالك غدا؟\n")
    dialogs = watch(page)
    open_pair(page, app_url, "rtl-a.txt", a.encode("utf-8"), "rtl-b.txt", b.encode("utf-16"))
    assert_cells_are_the_source(page, a, b)
    # old Mac (CR) line ends are line breaks: one row per line
    assert page.locator(".cv-root .cv-row").count() >= 5
    texts = page.evaluate("""() => [...document.querySelectorAll('.cv-root .cv-h')]
        .map(e => e.textContent)""")
    # whole clusters are highlighted: the family, the accented word, the skin tone
    assert "👨‍👩‍👦" in texts and "👨‍👩‍👧" in texts
    assert any(t.startswith("caf") for t in texts)
    assert split_clusters(page) == []
    # the detail panel's character comparison keeps clusters whole too: the selected family
    # emoji is one changed character, not an equal "man ZWJ woman ZWJ" and a changed child
    assert page.locator(".cv-counter").get_attribute("data-hunk") == "0"
    page.locator(".cv-cd").wait_for()
    assert page.locator(".cv-cd del").all_text_contents() == ["👨‍👩‍👧"]
    assert page.locator(".cv-cd ins").all_text_contents() == ["👨‍👩‍👦"]
    assert page.locator('.cv-cd .cv-cc[data-cc="ZWJ"]').count() == 0
    # the Arabic line reads right to left in its cell, the Latin ones left to right
    dirs = page.evaluate("""() => [...document.querySelectorAll(
        '.cv-root .cv-cell[data-side="a"]')].map(c => getComputedStyle(c).direction)""")
    assert dirs[0] == "ltr" and dirs[-1] == "rtl", dirs
    assert_nothing_ran(page, dialogs)
    page.locator(".cv-root .cv-view").scroll_into_view_if_needed()
    shot(page, "hostile-rtl")
