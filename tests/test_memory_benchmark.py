"""The memory benchmark (``benchmarks/memory.py``) counts a run only when every page shows the
pair it was given: its state classifier, fed what the page script reads of a page."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from viewer.example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL
from viewer.memory import WAITING_MESSAGE
from viewer.render import page as pieces
from viewer.session import WAITING_FOR

_spec = importlib.util.spec_from_file_location(
    "memory_benchmark", Path(__file__).resolve().parent.parent / "benchmarks" / "memory.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

A, B = "original_1.txt", "corrupted_1.txt"


def read(subtitle: str | None, alerts=(), script: str = "notRunning") -> dict:
    """What ``PAGE_STATE_JS`` returns of a page: its script state, title's subtitle, alerts."""
    return {"script": script, "subtitle": subtitle, "alerts": list(alerts)}


def test_a_page_is_shown_only_when_its_title_names_both_files_it_was_given():
    assert bench.page_state(read(f"{A} against {B}"), A, B) == "shown"
    # the corrupted side's name alone (the old check) is not enough: the original must be A
    assert bench.page_state(read(f"other.txt against {B}"), A, B) != "shown"
    # a page still running is not shown, whatever its title says
    assert bench.page_state(read(f"{A} against {B}", script="running"), A, B) == "running"


def test_one_side_alone_is_a_page_waiting_for_the_other_never_shown():
    # the title of a half-given pair names the given file and the other side by its role
    waiting_b = read(f"{A} against the corrupted text", [f"⏳\n{WAITING_FOR['b']}"])
    assert bench.page_state(waiting_b, A, B) == "waiting for the corrupted text"
    waiting_a = read(f"the original text against {B}", [WAITING_FOR["a"]])
    assert bench.page_state(waiting_a, A, B) == "waiting for the original"
    assert bench.not_results(["shown", "waiting for the original"]) == [
        "page 2 waiting for the original"]


def test_the_example_left_on_the_page_is_not_a_result():
    state = bench.page_state(read(f"{EXAMPLE_ORIGINAL.name} against {EXAMPLE_CORRUPTED.name}"),
                             A, B)
    assert state == "on the example"
    assert not bench.finished(state)
    assert bench.not_results([state]) == ["page 1 on the example"]


def test_waiting_for_memory_and_refusals():
    running = read(None, [WAITING_MESSAGE], script="running")
    assert bench.page_state(running, A, B) == "waiting for memory"
    refused = bench.page_state(read(None, ["Not enough memory to align this pair."]), A, B)
    assert refused.startswith("refused: Not enough memory")
    assert bench.finished(refused) and bench.not_results([refused]) == [f"page 1 {refused}"]
    assert bench.not_results(["shown", "shown"]) == []


def test_the_subtitle_read_is_the_one_pair_title_writes():
    """The title the classifier expects is the text of the page's own title for the pair."""
    import re

    class Doc:
        def __init__(self, name):
            self.name = name

    html = pieces.pair_title(Doc(A), Doc(B))
    sub = re.search(r'<span class="cv-sub">(.*?)</span>', html).group(1)
    assert re.sub(r"<[^>]+>", "", sub) == f"{A} against {B}"
