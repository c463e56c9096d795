"""The work per pair: a ``PairInput`` in, one flat row (``COLUMNS``) out, built from
``viewer.align.align``, ``viewer.stats.summary`` and ``viewer.stats.density_bins``; and the
corpus-wide density the page charts. ``summarize_pair`` is a pure top-level function
(picklable: process pools and Dask ship it by reference)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from ..align import INSERTED, KINDS, MISSING, SUBSTITUTED, align
from ..loading import Document, InputError, decode_bytes, max_bytes
from ..measures import TOP, ConfusionCounts, confusions
from ..stats import density_bins, summary, type_summary
from .schema import COLUMNS, DENSITY_BINS, DENSITY_COLUMNS, PairInput, PairOptions


def summarize_pair(pair: PairInput, options: PairOptions = PairOptions()) -> dict:
    """One row (``COLUMNS``) for one pair; never raises for a bad pair, it fills ``error``."""
    row = dict.fromkeys(COLUMNS)
    row["pair"], row["id"] = pair.pair, printable_utf8(pair.id)
    if pair.error:
        row["error"] = printable_utf8(pair.error)
        return row
    limit = max_bytes() if options.max_bytes is None else options.max_bytes
    docs, errors = [], []
    for side, value, name in (("original", pair.original, pair.original_name),
                              ("corrupted", pair.corrupted, pair.corrupted_name)):
        try:
            doc = side_document(value, name, pair.encoding, limit)
        except InputError as err:
            errors.append(str(err))
            continue
        docs.append(doc)
        row[f"encoding_{side}"] = doc.encoding
        row[f"chars_{side}"] = len(doc.text)
    if errors:
        row["error"] = printable_utf8(" ".join(errors))
        return row
    try:
        al = align(docs[0].text, docs[1].text, ignore_case=options.ignore_case,
                   strict_typography=options.strict_typography, time_budget=options.time_budget,
                   ignore_punctuation=options.ignore_punctuation,
                   fold_historical=options.fold_historical)
        s = summary(al)
        typed = type_summary(al)
        density = density_vector(al)
        if options.confusions:
            row["confusions"] = json.dumps(confusions(al, top=None), ensure_ascii=False,
                                           separators=(",", ":"))
    except Exception as err:  # a bug on one odd pair must not stop a million-pair run
        row["error"] = f"could not align {pair.id}: {type(err).__name__}: {err}"
        return row
    by_kind = s["tokens_by_kind"]
    row.update({
        "tokens_original": s["tokens"]["original"],
        "tokens_corrupted": s["tokens"]["corrupted"],
        "matched_tokens": s["matched_tokens"],
        "corruption_rate": s["corruption_rate"],
        "hunks_total": s["hunks_total"],
        **{f"hunks_{kind}": s["hunks"][kind] for kind in KINDS},
        "tokens_missing": by_kind["original"][MISSING],
        "tokens_substituted_original": by_kind["original"][SUBSTITUTED],
        "tokens_substituted_corrupted": by_kind["corrupted"][SUBSTITUTED],
        "tokens_inserted": by_kind["corrupted"][INSERTED],
        "bounded_regions": s["bounded_regions"],
        "wer": typed["wer"], "cer": typed["cer"],
        **{f"type_{t}": n for t, n in typed["hunks_by_type"].items()},
        "copy_share": typed["copy_share"], "move_share": typed["move_share"],
    })
    row.update(density)
    return row


def summarize_batch(pairs: list[PairInput], options: PairOptions = PairOptions()) -> list[dict]:
    """``summarize_pair`` over a batch: the unit of work sent to a worker process."""
    return [summarize_pair(p, options) for p in pairs]


def printable_utf8(text: str) -> str:
    """Ids and messages can carry lone surrogates (undecodable file names, a "\\ud800" JSON
    escape) that no UTF-8 output accepts: those become backslash escapes."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def density_vector(al, bins: int = DENSITY_BINS) -> dict:
    """Share of corrupted original tokens by kind in ``bins`` stretches of the original
    (``density_<kind>_<bin>``), binned as the page's chart bins them (``stats.density_bins``):
    inserted text weighs at the spot where it belongs, so a share can exceed 1. A bin holding
    no token (fewer tokens than bins) is None."""
    if not len(al.a):
        return dict.fromkeys(DENSITY_COLUMNS)
    edges, per_bin = density_bins(al, "original", bins)
    widths = edges[1:] - edges[:-1]
    return {f"density_{kind}_{i:02d}": (round(float(per_bin[kind][i] / widths[i]), 4)
                                        if widths[i] else None)
            for kind in KINDS for i in range(bins)}


def corpus_confusions(cells: Iterable, top: int | None = TOP) -> dict:
    """The confusion table of a corpus: the sum of its rows' ``confusions`` (JSON text; a pair
    with an error, or summarised without ``confusions``, has none and adds nothing), most
    frequent first (``top=None``: every entry)."""
    counts = ConfusionCounts()
    add_confusions(counts, cells)
    return counts.table(top)


def add_confusions(counts: ConfusionCounts, cells: Iterable) -> None:
    """Add rows' ``confusions`` cells (JSON text, or None) to running ``counts``."""
    for cell in cells:
        if isinstance(cell, str):
            counts.add(json.loads(cell))


def density_summary(frame):
    """Aggregate density along the relative position in the original, by kind: the mean over
    pairs of each pair's density (a short document weighs as much as a long one). Tidy columns
    ``bin``, ``start``, ``end`` (0..1), ``kind``, ``share``, ``pairs`` (how many pairs have
    tokens in that bin), the shape of ``viewer.stats.density_frame``."""
    import pandas as pd

    records = []
    for kind in KINDS:
        for i in range(DENSITY_BINS):
            column = frame[f"density_{kind}_{i:02d}"] if len(frame) else pd.Series(dtype=float)
            records.append({"bin": i, "start": i / DENSITY_BINS, "end": (i + 1) / DENSITY_BINS,
                            "kind": kind, "share": float(column.mean()) if column.notna().any()
                            else 0.0, "pairs": int(column.notna().sum())})
    return pd.DataFrame.from_records(records)


def side_document(value: bytes | str | None, name: str, encoding: str, limit: int) -> Document:
    """A side through the loading rules; a text cell is checked as its UTF-8 bytes would be."""
    if value is None:
        raise InputError(f"{name} is missing.")
    if isinstance(value, bytes):
        return decode_bytes(value, name, limit=limit)
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate: a "\ud800" escape, or invalid UTF-8
        raise InputError(f"{name} is not valid text ({err.reason} at character {err.start}).") \
            from err
    return replace(decode_bytes(data, name, limit=limit), encoding=encoding)
