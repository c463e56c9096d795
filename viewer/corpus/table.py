"""The corpus page's table: which pairs of a corpus summary it lists and in what order, the
frame it shows, the pair above or below an open one, and the example corpus. Pure pandas and
numpy over ``viewer.corpus``'s summary frame (one row per pair); no Streamlit. pandas is
imported where it is used: the page imports this module before its first paint, which shows no
table (``tests/test_page_imports.py``).

"""

from __future__ import annotations

import io
import random
import re
import zipfile
from typing import TYPE_CHECKING

import numpy as np

from ..example import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL
from ..page_data import TableColumn

if TYPE_CHECKING:
    import pandas as pd

SHOW_ALL, SHOW_ALIGNED, SHOW_ERRORS = "All", "Aligned", "Errors"
SHOW_CHOICES = (SHOW_ALL, SHOW_ALIGNED, SHOW_ERRORS)
# The table lists at most this many rows (a dataframe is sent whole on every rerun); 20,000
# rows of a dozen short cells, chosen by hand.
TABLE_ROWS = 20_000
# "Sort by" choices: the summary column each one sorts on
SORTS = {
    "Corruption rate": "corruption_rate",
    "Differences": "hunks_total",
    "Missing": "hunks_missing",
    "Substituted": "hunks_substituted",
    "Inserted": "hunks_inserted",
    "Original tokens": "tokens_original",
    "Corrupted tokens": "tokens_corrupted",
    "Id": "id",
    "Corpus order": "pair",
}
# The table's columns: its own name -> the summary column it shows
_TABLE_COLUMNS = {"id": "id", "rate": "corruption_rate", "hunks": "hunks_total",
                  "missing": "hunks_missing", "substituted": "hunks_substituted",
                  "inserted": "hunks_inserted", "tokens_a": "tokens_original",
                  "tokens_b": "tokens_corrupted"}


def filter_pairs(frame, search: str, show: str, rate: tuple[int, int], sort: str,
                 descending: bool):
    """The rows of the corpus summary the table shows, in its order. ``rate`` in percent:
    ``lo <= rate < hi`` like a histogram bar (``hi`` of 100 includes 100 %, equal ends mean
    exactly that rate); pairs that could not be aligned have no rate and only pass the full
    range. Ties (and pairs without a value, last) keep corpus order."""
    failed = frame["error"].notna().to_numpy()
    keep = np.ones(len(frame), dtype=bool)
    if show == SHOW_ALIGNED:
        keep &= ~failed
    elif show == SHOW_ERRORS:
        keep &= failed
    lo, hi = sorted(rate)
    if (lo, hi) != (0, 100):
        r = frame["corruption_rate"].to_numpy(dtype=float, na_value=np.nan)
        lo_share, hi_share = lo / 100, hi / 100
        if lo == hi:
            keep &= np.isclose(r, lo_share)
        else:
            keep &= (r >= lo_share - 1e-12) & ((r < hi_share - 1e-12) | (hi == 100) & (r <= 1))
    needle = search.strip().casefold()
    if needle:
        text = (frame["id"].fillna("").str.casefold() + "\n"
                + frame["error"].fillna("").str.casefold())
        keep &= text.str.contains(needle, regex=False).to_numpy(dtype=bool)
    column = SORTS.get(sort, "pair")
    return frame[keep].sort_values([column, "pair"], ascending=[not descending, True],
                                   na_position="last", kind="stable", key=_sort_key)


def _sort_key(values):
    """Ids in their natural order: numbers (line and row numbers) as numbers, names without
    regard to case."""
    if values.name != "id":
        return values
    import pandas as pd

    numbers = pd.to_numeric(values, errors="coerce")
    return numbers if numbers.notna().sum() == values.notna().sum() else values.str.casefold()


def example_corpus(n: int = 20) -> bytes:
    """A small corpus built in memory from the example pair, as a zip of original/NAME and
    corrupted/NAME: the example pair itself; a passage only re-tokenized (no corruption);
    passages of the example's original with seeded corruption of growing strength (words
    removed, words swapped for words from elsewhere in the article, words inserted, debris
    appended to every third one); and one original without its corrupted version (a bad pair,
    shown as a row with its error)."""
    a_text, b_text = (path.read_text(encoding="utf-8")
                      for path in (EXAMPLE_ORIGINAL, EXAMPLE_CORRUPTED))
    paragraphs = [line for line in a_text.splitlines() if line.strip()]
    words = a_text.split()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        def put(k: int, original: str, corrupted: str | None) -> None:
            archive.writestr(f"original/sample-{k:02d}.txt", original)
            if corrupted is not None:
                archive.writestr(f"corrupted/sample-{k:02d}.txt", corrupted)

        put(1, a_text, b_text)
        passage = "\n".join(paragraphs[:3])
        put(2, passage, re.sub(r"\s*([,.;:!?’”“—])\s*", r" \1 ", passage).replace("’", "'"))
        for k in range(3, n):
            rng = random.Random(k)
            start = rng.randrange(len(paragraphs))
            passage = [paragraphs[(start + i) % len(paragraphs)]
                       for i in range(rng.randint(2, 6))]
            rate = 0.02 + 0.3 * (k - 3) / max(n - 4, 1)
            out = []
            for para in passage:
                tokens, kept, i = para.split(" "), [], 0
                while i < len(tokens):
                    roll = rng.random()
                    if roll < rate / 3:  # missing: a few words gone
                        i += rng.randint(1, 3)
                        continue
                    if roll < 2 * rate / 3:  # substituted: words from elsewhere in the article
                        j = rng.randrange(len(words) - 3)
                        kept.extend(words[j : j + rng.randint(1, 3)])
                        i += rng.randint(1, 2)
                        continue
                    if roll < rate:  # inserted
                        j = rng.randrange(len(words) - 5)
                        kept.extend(words[j : j + rng.randint(2, 5)])
                    kept.append(tokens[i])
                    i += 1
                out.append(" ".join(kept))
            corrupted = "\n".join(out)
            if k % 3 == 0:
                corrupted += "   " + " ".join(rng.sample(words, 3))
            put(k, "\n".join(passage), corrupted)
        put(n, paragraphs[-1], None)
    return buf.getvalue()


def table_frame(shown: pd.DataFrame) -> pd.DataFrame:
    """The rows ``filter_pairs`` kept, as the table shows them: ``n`` (1-based place in the
    corpus), the counts, one ``encoding`` (both sides' when they differ) and ``error`` ("" for
    an aligned pair)."""
    import pandas as pd

    enc_a = shown["encoding_original"].fillna("")
    enc_b = shown["encoding_corrupted"].fillna("")
    encoding = enc_a.where(enc_a == enc_b, (enc_a + " / " + enc_b).str.strip(" /"))
    return pd.DataFrame({"n": shown["pair"].to_numpy(dtype=np.int64) + 1,
                         **{new: shown[old].reset_index(drop=True)
                            for new, old in _TABLE_COLUMNS.items()},
                         "encoding": encoding.reset_index(drop=True),
                         "error": shown["error"].fillna("").reset_index(drop=True)})


def neighbour_pair(order: np.ndarray, aligned: np.ndarray, current: int,
                   direction: int) -> int | None:
    """The pair above (-1) or below (+1) ``current`` in the table's ``order`` (pair numbers),
    passing over pairs that could not be aligned (``aligned``: by pair number); None at either
    end, or when ``current`` is not in the table."""
    where = np.flatnonzero(order == current)
    if not len(where):
        return None
    k = int(where[0]) + direction
    while 0 <= k < len(order):
        if aligned[order[k]]:
            return int(order[k])
        k += direction
    return None


def corpus_metrics(frame: pd.DataFrame) -> list[tuple[str, str, str | None]]:
    """The row of metrics over the corpus page: ``(label, value, help)``."""
    rates = frame["corruption_rate"].dropna()
    failed = int(frame["error"].notna().sum())
    return [
        ("Pairs", f"{len(frame):,}", None),
        ("Aligned", f"{len(frame) - failed:,}", None),
        ("With errors", f"{failed:,}", "Pairs that could not be aligned (binary, empty, "
         "undecodable, a missing partner…): filter the table to Errors to see why."),
        ("Mean rate", f"{rates.mean():.1%}" if len(rates) else "–",
         "Corruption rate (unmatched tokens, both sides counted, per token), mean over the "
         "aligned pairs."),
        ("Median rate", f"{rates.median():.1%}" if len(rates) else "–",
         "Corruption rate, median over the aligned pairs."),
        ("Differences", f"{int(frame['hunks_total'].sum()):,}", None),
    ]


def table_columns(only_errors: bool) -> dict[str, TableColumn]:
    """How the table shows ``table_frame``'s columns, in order: errors first (and wide) when
    only pairs with errors are listed."""
    columns = {
        "n": TableColumn("number", "#", 44, "%d", "Position in the corpus"),
        "id": TableColumn("text", "Id", 150),
        "rate": TableColumn("share", "Corruption rate", 128, "percent"),
        "missing": TableColumn("number", "Missing", 70, "%d"),
        "substituted": TableColumn("number", "Substituted", 92, "%d"),
        "inserted": TableColumn("number", "Inserted", 70, "%d"),
        "hunks": TableColumn("number", "Total", 58, "%d", "Differences of every kind"),
        "tokens_a": TableColumn("number", "Tokens", 68, "localized", "Tokens of the original"),
        "tokens_b": TableColumn("number", "Corr. tokens", 92, "localized",
                                "Tokens of the corrupted version"),
        "encoding": TableColumn("text", "Encoding", 84),
        "error": TableColumn("text", "Error", 580 if only_errors else "large"),
    }
    if only_errors:
        return {name: columns[name] for name in ("n", "id", "error", "encoding")}
    return columns


# A corpus file smaller than this is summarised in the page's own process: starting worker
# processes (forkserver: each imports app.py again) costs more than it saves on a few pairs. The
# pool is 1.69x faster on 2,000 example-sized pairs, 30 MB (benchmarks/RESULTS.md, "Corpora");
# 4 MiB, about 270 such pairs and under a second in one process, is set by hand below that.
POOL_MIN_BYTES = 4 * 1024 * 1024


def summarize_for_page(data: bytes, name: str, columns: tuple, options: tuple, progress=None):
    """The summary frame of a corpus uploaded to the page (``columns``: the three column names,
    ``options``: ``(name, value)`` of ``PairOptions``' fields, both plain tuples for the page's
    cache), with each pair's confusions for the page's summed table."""
    from . import Columns, PairOptions, summarize_corpus

    options = PairOptions(**dict(options), confusions=True)
    return summarize_corpus(data, name, columns=Columns(*columns), options=options,
                            workers=page_workers(len(data)), progress=progress)


def pair_documents(data: bytes, name: str, pair: int, columns: tuple):
    """The two documents of pair ``pair`` of a corpus uploaded to the page."""
    from . import Columns, load_pair

    return load_pair(data, name, pair, columns=Columns(*columns))


def page_workers(n_bytes: int) -> int | None:
    """Worker processes for a corpus of ``n_bytes`` summarised for the page: one (this
    process) under ``POOL_MIN_BYTES``, else every core (None)."""
    return 1 if n_bytes < POOL_MIN_BYTES else None
