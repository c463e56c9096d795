"""The page's small HTML pieces (title, document lines, counter, selection line, the detail
panel's position line, notes): pure functions returning strings, every text escaped, so
``app.py`` only places them. Classes are styled by ``css.PAGE_CSS``."""

from __future__ import annotations

from pathlib import Path

from ..align import INSERTED, MISSING, Alignment, Hunk
from ..kinds import KIND_TABLE, TYPE_TABLE
from ..loading import Document
from .detail import render_text_block
from .escape import escape_text
from .text import shorten

# The selection line quotes each side up to this many characters (it is one line of the page).
SELECTION_QUOTE = 70
# Texts longer than this are cut in the detail panel (the view shows them whole): about a
# screenful in the panel's half of the page; chosen by hand.
DETAIL_CHARS = 4_000


def title(subtitle: str) -> str:
    """The page title with a subtitle (``subtitle`` is HTML made by ``bold``/``escape_text``)."""
    return ('<div class="cv-title"><h1>Corruption viewer</h1>'
            f'<span class="cv-sub">{subtitle}</span></div>')


def bold(text: object) -> str:
    """A name or number in a title or note: escaped, in bold."""
    return f"<b>{escape_text(text)}</b>"


def note(body: str) -> str:
    """A muted line of the page (``body`` is HTML made by ``bold``/``escape_text``)."""
    return f'<div class="cv-note">{body}</div>'


def doc_line(name: str, *facts: str) -> str:
    """A document's (or corpus's) name in bold and its facts after it, under its upload."""
    rest = "".join(f" · {escape_text(f)}" for f in facts)
    return f'<div class="cv-doc">{bold(name)}{rest}</div>'


def document_line(doc: Document) -> str:
    """A document's name, encoding and sizes, under its upload."""
    return doc_line(doc.name, doc.encoding, f"{doc.size:,} bytes", f"{len(doc.text):,} characters")


def badge(kind: str) -> str:
    return f'<span class="cv-badge {kind}">{KIND_TABLE[kind].label}</span>'


def selection_line(al: Alignment, selected: int, line: int) -> str:
    """One line under the buttons: what the selected difference is, in a few words."""
    h = al.hunks[selected]
    # <bdi> and the labelled, isolated controls keep an override inside its own quotation
    a_txt, b_txt = (f"<bdi>{escape_text(shorten(t, SELECTION_QUOTE))}</bdi>"
                    for t in al.hunk_texts(h))
    if h.kind == MISSING:
        what = f"<q>{a_txt}</q> is missing"
    elif h.kind == INSERTED:
        what = f"<q>{b_txt}</q> was inserted"
    else:
        what = f"<q>{a_txt}</q> → <q>{b_txt}</q>"
    return f'<div class="cv-sel-line">{badge(h.kind)}line {line:,} · {what}</div>'


def position_line(al: Alignment, selected: int, a_paragraph: int, a_line: int,
                  b_line: int) -> str:
    """The detail panel's first line: kind, number, and where the difference is on each side."""
    h = al.hunks[selected]
    where = h.ta[0] / max(len(al.a), 1)
    return (f'<div class="cv-pos">{badge(h.kind)}#{selected + 1:,} · original: paragraph '
            f"{a_paragraph:,}, line {a_line:,}, characters {h.a[0]:,}–{h.a[1]:,} "
            f"({where:.0%} into the text) · corrupted: line {b_line:,}, characters "
            f"{h.b[0]:,}–{h.b[1]:,}</div>")


def type_line(hunk_type: str) -> str:
    """The detail panel's line saying what kind of corruption the difference is."""
    t = TYPE_TABLE[hunk_type]
    return f'<div class="cv-type" data-type="{t.name}"><b>{t.label}</b> · {t.legend}</div>'


def move_line(pv) -> str:
    """What the detail panel says of a moved text (``pv``: its ``HunkProvenance``): where its
    other half is, and how alike the two are."""
    if pv.moved_to is not None:
        what = f"Moved: this text reappears as difference #{pv.moved_to + 1:,}"
    else:
        what = f"Moved: this text was taken from difference #{pv.moved_from + 1:,}"
    alike = f" ({pv.similarity:.0%} alike)" if pv.similarity is not None else ""
    return note(f"{what}{alike}.")


def text_excerpt(text: str, limit: int = DETAIL_CHARS) -> tuple[str, str | None]:
    """A text of the detail panel as a block, cut after ``limit`` characters, and the note
    that says so (None when it is whole)."""
    if len(text) <= limit:
        return render_text_block(text), None
    return (render_text_block(text[:limit] + "…"),
            f"{len(text):,} characters; the first {limit:,} are shown.")


def text_boxes(al: Alignment, h: Hunk) -> tuple[list[tuple[str, str]], str | None]:
    """The detail panel's text boxes, ``(label, text)``: both sides of a substitution, side by
    side; else the one side with text, and what to say of the other (``absent_side``)."""
    a_text, b_text = al.hunk_texts(h)
    if a_text and b_text:
        return [("Original", a_text), ("Corrupted", b_text)], None
    return [("Original" if a_text else "Corrupted", a_text or b_text)], absent_side(h)


def absent_side(h: Hunk) -> str:
    """What the detail panel says of the side a missing or inserted difference has no text on
    (plain words and numbers: safe as a caption)."""
    if h.kind == INSERTED:
        return "Original: nothing — this text is only in the corrupted version."
    if h.gap:
        return (f"Corrupted: nothing — a run of {h.gap[1] - h.gap[0]} spaces was left where "
                "the text was removed.")
    return "Corrupted: nothing — removed without a trace."


def pair_title(a: Document | None, b: Document | None) -> str:
    """The pair's title; a side not given yet (the other waits for it) is named by its role."""
    if a is None and b is None:
        return title("no pair open")
    return title(" against ".join(bold(d.name) if d is not None else f"the {role} text"
                                  for d, role in ((a, "original"), (b, "corrupted"))))


def corpus_title(name: str | None, pairs: int) -> str:
    """The corpus page's title: the corpus shown (None: none yet)."""
    if name is None:
        return title("Corpus mode: many pairs at once")
    return title(f"corpus {bold(name)} · {pairs:,} pairs")


def corpus_pair_title(pair_id: str, corpus: str, place: tuple[int, int] | None) -> str:
    """A pair opened from the corpus table: its id, the corpus, its row (1-based) of the
    table's rows when it is in the table."""
    row = f" · row {bold(f'{place[0]:,}')} of {place[1]:,} in the table" if place else ""
    return title(f"pair {bold(pair_id)} of {bold(corpus)}{row}")


def pair_documents_note(a: Document, b: Document) -> str:
    """Both documents' names and encodings (of a pair opened from a corpus)."""
    return note(f"Original: {bold(a.name)} · {escape_text(a.encoding)} — "
                f"corrupted: {bold(b.name)} · {escape_text(b.encoding)}")


def corpus_line(name: str, pairs: int, failed: int, size: int) -> str:
    """The corpus shown, under its upload."""
    errors = [f"{failed:,} with errors"] if failed else []
    return doc_line(name, f"{pairs:,} pairs", *errors, f"{size:,} bytes")


def pairs_shown_note(shown: int, total: int, listed: int) -> str:
    """How many of the corpus's ``total`` pairs the filter keeps (``shown``), of which the
    table lists at most ``listed``."""
    more = f" (the first {listed:,} are listed)" if shown > listed else ""
    return note(f"Showing {bold(f'{shown:,}')} of {total:,} pairs{more}. Click a row to open "
                "the pair side by side.")


# The view component (its CSS is ``css.VIEW_CSS`` and ``NAV_CSS``): the navigation bar (buttons
# named exactly Previous and Next, the counter, both kept up to date by viewer.js) and an empty
# root the script fills with the rows.
VIEW_HTML = (
    '<div class="cv-nav" role="toolbar" aria-label="Differences">'
    '<button type="button" class="cv-btn" data-step="-1" disabled '
    'title="Previous difference (k, p or ←)">Previous</button>'
    '<button type="button" class="cv-btn" data-step="1" disabled '
    'title="Next difference (j, n or →)">Next</button>'
    '<div class="cv-counter" data-k="0" data-n="0" data-hunk="" aria-live="polite"></div></div>'
    '<div class="cv-root"></div>')
# The buttons drawn like Streamlit's secondary buttons (its theme's colours where it sets them).
NAV_CSS = """
.cv-nav{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:0 0 .4rem 0}
.cv-btn{font:inherit;font-size:.95rem;min-height:2.5rem;padding:.25rem .9rem;min-width:6.5rem;
  border:1px solid rgba(49,51,63,.2);border-radius:.5rem;cursor:pointer;
  background:var(--st-background-color,#fff);color:inherit}
.cv-btn:hover:not(:disabled){border-color:var(--st-primary-color,#ff4b4b);
  color:var(--st-primary-color,#ff4b4b)}
.cv-btn:focus-visible{outline:2px solid var(--st-primary-color,#ff4b4b);outline-offset:1px}
.cv-btn:disabled{cursor:not-allowed;opacity:.45}
.cv-nav .cv-counter{margin-left:.5rem}
"""
COMPONENTS = Path(__file__).parent.parent / "component"
VIEW_JS = (COMPONENTS / "viewer.js").read_text(encoding="utf-8")
# scrolls the list of differences to its selected row (a dataframe does not)
LIST_SCROLL_JS = (COMPONENTS / "list_scroll.js").read_text(encoding="utf-8")

CORPUS_INTRO = (
    '<div class="cv-empty"><h3>Audit a whole corpus</h3>'
    "Upload a corpus in the sidebar. Every pair is aligned and summarised: a table of "
    "pairs you can filter and sort, the distribution of corruption rates, and where in "
    "the documents the corruption lies. Choose a pair to see it side by side.<ul>"
    "<li>a <b>zip</b> of <code>original/NAME</code> and <code>corrupted/NAME</code> "
    "files, or of <code>NAME.orig.txt</code> and <code>NAME.corr.txt</code>;</li>"
    "<li><b>JSONL</b>, <b>CSV</b> or <b>Parquet</b> with <code>original</code> and "
    "<code>corrupted</code> columns and an optional <code>id</code> (other names: "
    "<i>Column names</i> in the sidebar).</li></ul></div>")
