"""The page keeps the reader's place and offers a folded view (AppTest): options, presets and
Swap leave the selection on the same text; "Changed paragraphs only" is there and the view's
rows come with their folds."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.test_app import _param, start, step, upload, view_data
from viewer.render.css import FOLD_TOGGLE_KEY


class Selected(HTMLParser):
    """The text of the selected difference's elements (``data-hunk`` = ``hunk``; the view
    component marks them ``aria-current`` in the browser) in each side's cells."""

    def __init__(self, markup: str, hunk: int | None):
        self.hunk = None if hunk is None else str(hunk)
        super().__init__(convert_charrefs=True)
        self.text = {"a": "", "b": ""}
        self._stack: list[tuple[str | None, bool]] = []  # (side, inside the selection)
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        side, current = self._stack[-1] if self._stack else (None, False)
        mine = self.hunk is not None and attrs.get("data-hunk") == self.hunk
        self._stack.append((attrs.get("data-side", side), current or mine))

    def handle_endtag(self, tag):
        self._stack.pop()

    def handle_data(self, data):
        if self._stack and self._stack[-1][1] and self._stack[-1][0]:
            self.text[self._stack[-1][0]] += data


def selected_text(at, side: str) -> str:
    """The text of the selected difference on one side of the view, as drawn."""
    data = view_data(at)
    return Selected(data["html"], data["selected"]).text[side]


def test_ticking_ignore_case_keeps_the_selected_words():
    at = start()
    upload(at, 0, "a.txt", b"The cat sat on the mat")
    upload(at, 1, "b.txt", b"the cat sit on the mat")
    step(at, 1)
    assert at.session_state.selected == 1 and selected_text(at, "a") == "sat"
    at.checkbox(key="ignore_case").check().run()
    assert not at.exception
    # the case-only difference is gone: the same words are now difference 1
    assert at.session_state.selected == 0 and selected_text(at, "a") == "sat"
    assert selected_text(at, "b") == "sit" and _param(at, "diff") == "1"


def test_strict_typography_and_a_preset_keep_the_example_on_the_same_words():
    at = start(diff="31")
    assert selected_text(at, "a") == "American-led"
    at.checkbox(key="strict_typography").check().run()
    # two quote differences come before it now
    assert at.session_state.selected == 32 and selected_text(at, "a") == "American-led"
    at.button_group(key="preset").set_value("ASR").run()
    assert selected_text(at, "a") == "American-led"


def test_swap_keeps_the_selection_on_the_same_words_on_the_other_side():
    at = start(diff="2")
    assert (selected_text(at, "a"), selected_text(at, "b")) == ("United States", "Islamic State")
    at.button(key="swap").click().run()
    assert (selected_text(at, "a"), selected_text(at, "b")) == ("Islamic State", "United States")


def test_the_view_comes_with_folds_and_a_toggle_to_close_them():
    at = start()
    assert at.toggle(key=FOLD_TOGGLE_KEY).label == "Changed paragraphs only"
    assert at.toggle(key=FOLD_TOGGLE_KEY).value is False
    # every row of the example holds a difference: nothing to fold
    assert 'class="cv-fold"' not in view_data(at)["html"]
    lines = [f"Paragraph {i} says nothing new." for i in range(1, 9)]
    upload(at, 0, "a.txt", "\n".join(lines).encode())
    upload(at, 1, "b.txt", "\n".join(lines).replace("Paragraph 5 says", "Paragraph 5 said")
           .encode())
    html = view_data(at)["html"]
    assert html.count('class="cv-fold"') == 2 and "⋯ 4 unchanged rows · lines 1–4" in html
    at.toggle(key=FOLD_TOGGLE_KEY).set_value(True).run()
    assert not at.exception and view_data(at)["html"] == html  # the browser folds, not a rerun
