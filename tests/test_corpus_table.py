"""The corpus page's table (viewer/corpus/table.py): filter, sort, the shown frame, the pair
above or below, and the example corpus, on small literal summaries."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd

from viewer.corpus.table import (
    SHOW_ALIGNED,
    SHOW_ALL,
    SHOW_ERRORS,
    example_corpus,
    filter_pairs,
    neighbour_pair,
    table_frame,
)


def summary() -> pd.DataFrame:
    """Five pairs: rates 0.3, 0.0, None (an error), 0.1, 1.0."""
    return pd.DataFrame({
        "pair": [0, 1, 2, 3, 4],
        "id": ["b10", "a2", "bad", "B1", "c"],
        "corruption_rate": [0.3, 0.0, None, 0.1, 1.0],
        "hunks_total": [3, 0, None, 1, 9],
        "hunks_missing": [1, 0, None, 0, 3],
        "hunks_substituted": [1, 0, None, 1, 3],
        "hunks_inserted": [1, 0, None, 0, 3],
        "tokens_original": [10, 10, None, 10, 10],
        "tokens_corrupted": [10, 10, None, 10, 10],
        "encoding_original": ["utf-8", "utf-8", None, "latin-1", "utf-8"],
        "encoding_corrupted": ["utf-8", "utf-8", None, "utf-8", "utf-8"],
        "error": [None, None, "binary file", None, None],
    })


def ids(frame) -> list[str]:
    return frame["id"].tolist()


def test_show_and_rate_filters():
    f = summary()
    assert ids(filter_pairs(f, "", SHOW_ALL, (0, 100), "Corpus order", False)) == [
        "b10", "a2", "bad", "B1", "c"]
    assert ids(filter_pairs(f, "", SHOW_ERRORS, (0, 100), "Corpus order", False)) == ["bad"]
    assert "bad" not in ids(filter_pairs(f, "", SHOW_ALIGNED, (0, 100), "Corpus order", False))
    # lo <= rate < hi, like a histogram bar; errors have no rate
    assert ids(filter_pairs(f, "", SHOW_ALL, (10, 30), "Corpus order", False)) == ["B1"]
    assert ids(filter_pairs(f, "", SHOW_ALL, (0, 0), "Corpus order", False)) == ["a2"]
    assert ids(filter_pairs(f, "", SHOW_ALL, (90, 100), "Corpus order", False)) == ["c"]


def test_search_looks_in_ids_and_errors_ignoring_case():
    f = summary()
    assert ids(filter_pairs(f, " B", SHOW_ALL, (0, 100), "Corpus order", False)) == [
        "b10", "bad", "B1"]
    assert ids(filter_pairs(f, "BINARY", SHOW_ALL, (0, 100), "Corpus order", False)) == ["bad"]


def test_sort_by_rate_keeps_pairs_without_one_last_and_ties_in_corpus_order():
    f = summary()
    assert ids(filter_pairs(f, "", SHOW_ALL, (0, 100), "Corruption rate", True)) == [
        "c", "b10", "B1", "a2", "bad"]
    assert ids(filter_pairs(f, "", SHOW_ALL, (0, 100), "Corruption rate", False)) == [
        "a2", "B1", "b10", "c", "bad"]


def test_ids_sort_naturally():
    f = summary()
    assert ids(filter_pairs(f, "", SHOW_ALL, (0, 100), "Id", False)) == [
        "a2", "B1", "b10", "bad", "c"]  # names without regard to case
    numbers = f.assign(id=["10", "2", "3", "1", "20"])
    assert ids(filter_pairs(numbers, "", SHOW_ALL, (0, 100), "Id", False)) == [
        "1", "2", "3", "10", "20"]  # numbers as numbers


def test_table_frame():
    table = table_frame(filter_pairs(summary(), "", SHOW_ALL, (0, 100), "Corpus order", False))
    assert table["n"].tolist() == [1, 2, 3, 4, 5]
    assert table["encoding"].tolist() == ["utf-8", "utf-8", "", "latin-1 / utf-8", "utf-8"]
    assert table["error"].tolist() == ["", "", "binary file", "", ""]


def test_neighbour_pair_passes_over_errors():
    order = np.array([4, 2, 0, 3])  # the table's order of pair numbers
    aligned = np.array([True, True, False, True, True])  # pair 2 could not be aligned
    assert neighbour_pair(order, aligned, 4, +1) == 0  # over pair 2
    assert neighbour_pair(order, aligned, 0, -1) == 4
    assert neighbour_pair(order, aligned, 3, +1) is None
    assert neighbour_pair(order, aligned, 4, -1) is None
    assert neighbour_pair(order, aligned, 1, +1) is None  # not in the table


def test_example_corpus():
    with zipfile.ZipFile(io.BytesIO(example_corpus(6))) as z:
        names = sorted(z.namelist())
        assert names[:2] == ["corrupted/sample-01.txt", "corrupted/sample-02.txt"]
        assert len([n for n in names if n.startswith("original/")]) == 6
        # the last original has no corrupted version (a bad pair)
        assert "corrupted/sample-06.txt" not in names
        assert z.read("original/sample-01.txt").decode().startswith(
            z.read("original/sample-02.txt").decode()[:40])
    assert example_corpus(6) == example_corpus(6)  # seeded: the same every time


def test_corpus_metrics_and_columns():
    from viewer.corpus.table import corpus_metrics, table_columns

    frame = pd.DataFrame({"corruption_rate": [0.1, 0.3, None], "error": [None, None, "empty"],
                          "hunks_total": [2, 5, 0]})
    assert [(label, value) for label, value, _ in corpus_metrics(frame)] == [
        ("Pairs", "3"), ("Aligned", "2"), ("With errors", "1"), ("Mean rate", "20.0%"),
        ("Median rate", "20.0%"), ("Differences", "7")]
    nothing = frame.assign(corruption_rate=[None] * 3, error=["x"] * 3)
    assert [value for _, value, _ in corpus_metrics(nothing)][3:5] == ["–", "–"]
    assert list(table_columns(True)) == ["n", "id", "error", "encoding"]
    assert list(table_columns(False))[:3] == ["n", "id", "rate"]
    assert table_columns(True)["error"].width == 580


def test_small_corpora_are_summarised_in_the_page_process_large_ones_by_the_pool():
    from viewer.corpus.table import POOL_MIN_BYTES, page_workers

    assert page_workers(POOL_MIN_BYTES - 1) == 1
    assert page_workers(POOL_MIN_BYTES) is None  # every core


def test_the_page_summarises_an_uploaded_corpus_and_opens_its_pairs():
    import json

    from viewer.corpus.table import pair_documents, summarize_for_page

    data = "".join(json.dumps({"id": i, "src": "the cat sat", "dst": f"the cat sat {i}"}) + "\n"
                   for i in range(3)).encode()
    frame = summarize_for_page(data, "c.jsonl", ("src", "dst", "id"),
                               (("ignore_case", False), ("strict_typography", False)))
    assert list(frame["id"]) == ["0", "1", "2"] and list(frame["hunks_inserted"]) == [1, 1, 1]
    a, b = pair_documents(data, "c.jsonl", 2, ("src", "dst", "id"))
    assert (a.text, b.text) == ("the cat sat", "the cat sat 2")
