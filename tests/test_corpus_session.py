"""What the corpus page's events mean (viewer.corpus.session), over a plain dict as the session
state: which corpus is shown and read with what, which pair is open, the table's filter."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from viewer import session
from viewer.corpus import session as corpus
from viewer.loading import InputError, load_text


def summary(ids=("a", "b", "c", "d"), errors=(None, None, "empty", None)) -> pd.DataFrame:
    return pd.DataFrame({"pair": range(len(ids)), "id": list(ids), "error": list(errors)})


# the options of a fresh page, as ``settings`` gives them
DEFAULT_OPTIONS = (("ignore_case", False), ("ignore_punctuation", False),
                   ("strict_typography", False), ("fold_historical", False))


def started(**extra) -> dict:
    state: dict = {"ignore_case": False, "strict_typography": False, "selected": 3}
    corpus.init(state)
    state.update(extra)
    return state


class Summaries:
    """A stand-in for the cached summary: records what it was asked; a ``bad`` file cannot be
    read with the default column names."""

    def __init__(self, bad=()):
        self.calls, self.bad = [], set(bad)

    def __call__(self, key, data):
        self.calls.append(key)
        if key[1] in self.bad and key[2][0] == "original":
            raise InputError(f"{key[1]} cannot be read.")
        return summary()


def test_settings_fall_back_to_the_default_column_names():
    state = started(corpus_col_original=" clean ", corpus_col_id="  ", ignore_case=1)
    assert corpus.settings(state) == (("clean", "corrupted", None),
                                      (("ignore_case", True), *DEFAULT_OPTIONS[1:]))


def test_a_staged_corpus_is_summarised_once_and_shown():
    state = started(corpus_open=2, corpus_picked=2, corpus_error="old")
    state["corpus_upload"] = SimpleNamespace(name="c.zip", getvalue=lambda: b"zip bytes")
    corpus.take_upload(state)
    data, name, digest = state["corpus_pending"]
    assert (data, name, len(digest)) == (b"zip bytes", "c.zip", 32)
    assert state["corpus_open"] is None and state["corpus_error"] is None
    summarise = Summaries()
    run = corpus.refresh(state, summarise)
    assert run is state["corpus"] and run.name == "c.zip" and run.data == b"zip bytes"
    assert run.key == (digest, "c.zip", ("original", "corrupted", None), DEFAULT_OPTIONS)
    assert state["corpus_pending"] is None and state["corpus_picked"] is None
    corpus.refresh(state, summarise)
    assert len(summarise.calls) == 1  # nothing changed: nothing read again


def test_new_options_read_the_shown_corpus_again():
    state = started()
    corpus.stage(state, b"x", "c.zip")
    summarise = Summaries()
    corpus.refresh(state, summarise)
    state["ignore_case"] = True
    run = corpus.refresh(state, summarise)
    assert len(summarise.calls) == 2 and dict(run.options)["ignore_case"] is True


def test_a_failing_upload_stays_pending_is_not_tried_twice_and_keeps_the_corpus():
    state = started()
    corpus.stage(state, b"x", "good.zip")
    summarise = Summaries(bad={"bad.csv"})
    shown = corpus.refresh(state, summarise)
    corpus.stage(state, b"y", "bad.csv")
    assert corpus.refresh(state, summarise) is shown
    assert state["corpus_error"] == "bad.csv cannot be read. Still showing good.zip."
    assert state["corpus_pending"][1] == "bad.csv"
    corpus.refresh(state, summarise)
    assert len(summarise.calls) == 2  # the failing combination is not tried again
    state["corpus_col_original"] = "text"  # naming the columns may mend it
    run = corpus.refresh(state, summarise)
    assert run.name == "bad.csv" and run.columns[0] == "text"
    assert state["corpus_pending"] is None and state["corpus_error"] is None


def test_bad_column_names_are_an_error_not_a_crash():
    state = started(corpus_col_original="same", corpus_col_corrupted="same")
    corpus.stage(state, b"x", "c.jsonl")
    summarise = Summaries()
    assert corpus.refresh(state, summarise) is None
    assert state["corpus_error"] and not summarise.calls


def shown_corpus(**extra) -> dict:
    state = started()
    corpus.stage(state, b"x", "c.zip")
    corpus.refresh(state, Summaries())
    state.update(extra)
    return state


def documents(run, pair):
    if pair == 2:
        raise InputError("the corrupted side is missing")
    return load_text(f"original {pair}", "a"), load_text(f"corrupted {pair}", "b")


def test_opening_a_pair():
    state = shown_corpus(diff_table={"selection": {}})
    corpus.open_pair(state, 1, documents)
    assert state["corpus_open"] == 1 and state["corpus_picked"] == 1
    assert state["corpus_pair"].b.text == "corrupted 1" and corpus.showing_pair(state)
    assert state["selected"] == 0 and "diff_table" not in state
    corpus.open_pair(state, None, documents)
    assert state["corpus_open"] == 1
    corpus.open_pair(state, 2, documents)  # a bad pair: the pair shown stays, and why
    assert state["corpus_open"] == 1 and state["corpus_picked"] == 2
    assert state["corpus_error"] == "Pair c cannot be opened: the corrupted side is missing"
    corpus.back(state)
    assert not corpus.showing_pair(state) and state["corpus_error"] is None


def test_clicks_and_steps_open_pairs():
    state = shown_corpus(_corpus_order=np.array([3, 2, 1, 0]))
    state["corpus_table"] = {"selection": {"rows": [2], "cells": []}}
    corpus.open_clicked(state, documents)
    assert state["corpus_open"] == 1
    corpus.open_neighbour(state, -1, documents)  # above pair 1 is pair 2: cannot be aligned
    assert state["corpus_open"] == 3
    corpus.open_neighbour(state, -1, documents)  # the top: stays
    assert state["corpus_open"] == 3


def test_the_example_corpus_is_staged():
    state = started()
    corpus.stage_example(state)
    data, name, _ = state["corpus_pending"]
    assert name == "example-corpus.zip" and data[:2] == b"PK"


@pytest.mark.parametrize(("selection", "opened", "picked"), [
    ({"rows": [], "cells": [[2, "id"]]}, 0, 2),  # a cell of the third row: pair 0
    ({"rows": [0], "cells": []}, 3, 2),          # a row's box
    ({"rows": [7], "cells": []}, None, 2),       # no such row
    ({"rows": [], "cells": []}, None, None),     # the selected row clicked off
])
def test_a_click_on_the_table(selection, opened, picked):
    state = started(_corpus_order=np.array([3, 1, 0]), corpus_picked=2)
    state["corpus_table"] = {"selection": selection}
    assert corpus.table_clicked(state) == opened
    assert state["corpus_picked"] == picked


def test_pairs_above_and_below_pass_over_errors():
    state = shown_corpus(_corpus_order=np.array([3, 2, 1, 0]), corpus_open=3)
    assert corpus.step_target(state, -1) is None
    assert corpus.step_target(state, 1) == 1  # pair 2 has an error
    state["corpus_open"] = 0
    assert corpus.step_target(state, 1) is None and corpus.step_target(state, -1) == 1
    assert corpus.table_place(state) == (4, 4)
    state["corpus_open"] = 9
    assert corpus.table_place(state) is None and corpus.step_target(state, 1) is None


def test_the_table_lists_the_first_rows_and_keeps_their_pairs(monkeypatch):
    monkeypatch.setattr(corpus, "TABLE_ROWS", 2)
    state = started()
    listed = corpus.listed(state, summary().iloc[[3, 1, 0]])
    assert listed["id"].tolist() == ["d", "b"]
    assert state["_corpus_order"].tolist() == [3, 1]


def test_shown_pairs_read_the_filter_widgets():
    state = started(corpus_search="B", corpus_sort="Id", corpus_desc=False)
    frame = summary().assign(corruption_rate=[0.1, 0.2, None, 0.4])
    assert corpus.shown_pairs(state, frame)["id"].tolist() == ["b"]
    state.update(corpus_search="", corpus_show="Errors")
    assert corpus.shown_pairs(state, frame)["id"].tolist() == ["c"]


def test_the_row_of_the_pair_last_picked():
    state = started(_corpus_order=np.array([3, 1, 0]), corpus_picked=1)
    assert corpus.picked_rows(state) == [1]
    state["corpus_picked"] = 2
    assert corpus.picked_rows(state) == []


def test_a_histogram_bar_sets_the_rate_range_and_a_double_click_lets_go():
    state = started(corpus_show="Errors")
    state[corpus.hist_key(state)] = {"selection": {"rate": [{"start": 0.3, "end": 0.32}]}}
    corpus.rate_picked(state)
    assert state["corpus_rate"] == (30, 32) and state["corpus_show"] == "All"
    state[corpus.hist_key(state)] = {"selection": {"rate": []}}
    corpus.rate_picked(state)
    assert state["corpus_rate"] == (0, 100)


def test_resetting_the_filters_lets_go_of_the_bar():
    state = started(corpus_search="x", corpus_rate=[10, 20])
    assert not corpus.filters_at_default(state)
    key = corpus.hist_key(state)
    corpus.reset_filters(state)
    assert corpus.filters_at_default(state) and corpus.hist_key(state) != key
    state["corpus_rate"] = [0, 100]  # a slider hands back a list
    assert corpus.filters_at_default(state)


def test_pair_id_names_pairs_by_the_table_id():
    run = corpus.CorpusRun(b"", "c", "d", ("original", "corrupted", None), DEFAULT_OPTIONS,
                           summary())
    assert [corpus.pair_id(run, k) for k in (0, 3, 4)] == ["a", "d", "5"]


def test_the_corpus_keys_do_not_touch_the_pair_keys():
    state: dict = {}
    session.init(state, lambda: "the pair", None)
    corpus.init(state)
    assert state["pair"] == "the pair" and state["corpus"] is None


# --- links to an uploaded corpus (viewer.store) -------------------------------------------------


def test_an_uploaded_corpus_is_kept_and_its_link_reopens_it_with_the_open_pair(tmp_path):
    from viewer.store import Store

    store = Store(tmp_path, 10**6)
    state = started(_store=store, mode="Corpus")
    state["corpus_upload"] = SimpleNamespace(name="c.jsonl", getvalue=lambda: b"corpus bytes")
    corpus.take_upload(state)
    corpus.refresh(state, Summaries())
    documents = lambda run, k: (load_text(f"a{k}"), load_text(f"b{k}"))  # noqa: E731
    corpus.open_pair(state, 1, documents)
    params: dict = {"diff": "3"}
    corpus.link_corpus(params, state)
    assert params == {"diff": "3", "corpus": state["corpus_kept"][0], "open": "2"}

    # a new session on that address: Corpus mode, the corpus read, then its pair 2 opened
    again: dict = {"ignore_case": False, "strict_typography": False, "_store": store}
    corpus.open_link(again, params["corpus"], params["open"])
    again["selected"] = 2  # session.init's reading of ?diff=3
    assert again["mode"] == "Corpus" and again["corpus_pending"][:2] == (b"corpus bytes",
                                                                         "c.jsonl")
    assert not corpus.open_wanted(again, documents)  # not read yet
    corpus.refresh(again, Summaries())
    assert corpus.open_wanted(again, documents)
    assert again["corpus_open"] == 1 and again["corpus_pair"].a.text == "a1"
    assert again["selected"] == 2  # the link's difference, not the first
    assert not corpus.open_wanted(again, documents)  # once


def test_an_unknown_corpus_id_is_said(tmp_path):
    from viewer.store import Store

    state: dict = {"_store": Store(tmp_path, 10**6)}
    corpus.open_link(state, "f" * 32, "1")
    assert state["mode"] == "Corpus" and state["corpus_pending"] is None
    assert state["corpus_error"].startswith(f"No corpus with the id {'f' * 32} is stored")


def test_the_example_corpus_and_pair_mode_have_no_corpus_link():
    state = started(mode="Corpus")
    corpus.stage_example(state)
    corpus.refresh(state, Summaries())
    params = {"corpus": "old", "open": "1"}
    corpus.link_corpus(params, state)
    assert params == {}


def test_without_a_store_an_upload_has_no_link():
    state = started(mode="Corpus")
    state["corpus_upload"] = SimpleNamespace(name="c.zip", getvalue=lambda: b"zip")
    corpus.take_upload(state)
    corpus.refresh(state, Summaries())
    params: dict = {}
    corpus.link_corpus(params, state)
    assert params == {} and state["corpus_kept"] is None
