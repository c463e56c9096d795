"""The corruption viewer: align an original text and its corrupted version token by token and
see what is missing, substituted and inserted.

The Python API is two functions::

    from pathlib import Path
    from viewer import align, load

    al = align(load(Path("original.txt")), load(Path("corrupted.txt")))
    for hunk in al.hunks:                 # the differences, in document order
        print(hunk.kind, al.hunk_texts(hunk))

``load`` reads a file (a ``pathlib.Path``), bytes or text into a ``Document`` with the loading
rules of the page and the command line (encoding detection, binary/empty/size refusals as
``InputError``); ``align`` returns the one ``Alignment`` everything else reads
(``viewer.stats.summary(al)``, ``viewer.export.to_dict(al, ...)``).
"""

from __future__ import annotations

import os

# ``viewer.align`` is both a module and, below, the function: importing the module here, first,
# keeps the package attribute the function (``import viewer.align`` later finds the module in
# ``sys.modules`` and leaves the attribute alone).
from .align import Alignment
from .align import align as _align_text
from .loading import Document, InputError, decode_bytes, load_path, load_text

__all__ = ["Alignment", "Document", "InputError", "align", "load"]


def load(source: os.PathLike | bytes | str | Document, name: str | None = None, *,
         limit: int | None = None) -> Document:
    """A ``Document`` from a file path (``pathlib.Path`` or any ``os.PathLike``: read and
    decoded), bytes (decoded, e.g. an upload) or a ``str`` (taken as the text itself, never as
    a file name: pass ``Path(name)`` for a file). ``name`` names it in messages; ``limit``: the
    most bytes accepted (default: ``VIEWER_MAX_BYTES`` or 64 MiB). Raises ``InputError`` with
    one sentence for binary, empty, undecodable, unreadable or too large input."""
    if isinstance(source, Document):
        return source
    if isinstance(source, bytes | bytearray | memoryview):
        return decode_bytes(bytes(source), name or "bytes", limit=limit)
    if isinstance(source, os.PathLike):
        return load_path(source, limit=limit)
    if isinstance(source, str):
        return load_text(source, name or "text")
    raise TypeError(f"load() takes a path, bytes or str, not {type(source).__name__}")


def align(original: str | Document, corrupted: str | Document, *, ignore_case: bool = False,
          strict_typography: bool = False, ignore_punctuation: bool = False,
          fold_historical: bool = False) -> Alignment:
    """Align an ``original`` and its ``corrupted`` version (each a ``str`` of text or a
    ``Document`` from ``load``). ``ignore_case``: case differences are not corruption;
    ``strict_typography``: curly vs straight quotes, dashes and compatibility forms count;
    ``ignore_punctuation``: differences in punctuation alone are not corruption;
    ``fold_historical``: historical typography is not corruption (OCR ground truth of old
    prints: ``ſ`` is ``s``, ligatures are their letters, MUFI private-use characters their
    standard spelling; the table is ``viewer.historical``).

    The ``Alignment`` holds both tokenized texts and ``hunks``, the differences in document
    order, each with ``kind`` (``missing``, ``substituted`` or ``inserted``), character spans
    ``a`` and ``b`` into the two texts and token spans ``ta`` and ``tb``;
    ``al.hunk_texts(hunk)`` gives the two texts of one."""
    texts = [side.text if isinstance(side, Document) else side for side in (original, corrupted)]
    for label, text in zip(("original", "corrupted"), texts, strict=True):
        if not isinstance(text, str):
            raise TypeError(f"align() takes str or Document for the {label}, "
                            f"not {type(text).__name__}")
    return _align_text(texts[0], texts[1], ignore_case=ignore_case,
                       strict_typography=strict_typography,
                       ignore_punctuation=ignore_punctuation,
                       fold_historical=fold_historical)
