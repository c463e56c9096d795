"""Every stylesheet of the product, as module constants: the side-by-side view (page, report,
notebook), the detail panel, the page's own pieces and the standalone report.

The kinds' colours come from ``viewer.kinds`` only, as CSS custom properties
(``kinds.css_variables()``: ``--cv-<kind>``, ``--cv-<kind>-ink``, ``--cv-<kind>-bg``); rules
that exist once per kind are generated from its table, so a kind's look has one home.
"""

from __future__ import annotations

from ..kinds import KINDS, QUIET_TYPES, TYPES, css_variables


def kind_variables(selector: str) -> str:
    """The kinds' custom properties (and the neutral ones) on ``selector``: each stylesheet sets
    them on its own root, so a fragment (the report, a notebook cell) carries its colours."""
    return (f"{selector}{{{css_variables()}--cv-rule:rgba(128,128,128,.22);"
            "--cv-source:var(--cv-type-copy);"
            "--cv-muted:rgba(110,110,120,.95);--cv-ink:var(--st-text-color,#1f2328)}")


def _per_kind(template: str) -> str:
    return "".join(template.format(kind=k) for k in KINDS)


def _per_type(template: str, types=TYPES) -> str:
    return "".join(template.format(type=t) for t in types)


# Invisible and direction-changing characters: the character stays (isolated, so an override
# reaches no further than itself) and CSS draws its name.
SPECIAL_CSS = """
.cv-cc{unicode-bidi:isolate;font-size:0}
.cv-cc::before{content:attr(data-cc);font-size:10px;line-height:1;font-family:ui-monospace,
  monospace;padding:0 2px;margin:0 1px;border:1px solid currentColor;border-radius:2px;
  color:var(--cv-muted,rgba(110,110,120,.95));vertical-align:1px}
"""

# The side-by-side view and its legend. Marks (strike-through, underline, gap hatching) take a
# kind's colour; the substitution's outline takes its ink (the colour is too light for a line).
VIEW_CSS = kind_variables(".cv-view,.cv-legend-wrap") + """
.cv-view{color:var(--cv-ink);font-size:15px;line-height:1.65;
  font-family:var(--st-font,"Source Sans Pro",system-ui,sans-serif);
  border:1px solid var(--cv-rule);border-radius:.5rem;overflow:hidden;
  background:var(--st-background-color,#fff)}
.cv-head,.cv-row{display:grid;grid-template-columns:3.3rem minmax(0,1fr) minmax(0,1fr)}
.cv-head{font-size:.8rem;font-weight:600;letter-spacing:.02em;color:var(--cv-muted);
  background:var(--st-secondary-background-color,#f4f5f7);border-bottom:1px solid var(--cv-rule)}
.cv-head>div{padding:.3rem .75rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.cv-head>div+div+div{border-left:1px solid var(--cv-rule)}
.cv-rows{max-height:var(--cv-height,62vh);overflow-y:auto;overscroll-behavior:contain}
.cv-row{border-top:1px solid var(--cv-rule)}
.cv-rows>.cv-row:first-child,.cv-rows>.cv-fold:first-child>.cv-fold-rows>.cv-row:first-child{
  border-top:0}
.cv-row::before{content:attr(data-line);color:var(--cv-muted);font-size:.72rem;
  text-align:right;padding:.45rem .5rem 0 0;font-variant-numeric:tabular-nums;user-select:none}
.cv-cell{padding:.3rem .75rem .35rem;white-space:pre-wrap;overflow-wrap:anywhere;
  word-break:normal;tab-size:4;min-width:0}
.cv-cell[data-side="b"]{border-left:1px solid var(--cv-rule)}
.cv-gaprow{background:repeating-linear-gradient(135deg,transparent 0 6px,
  rgba(128,128,128,.10) 6px 12px)}
.cv-gaprow::after{content:attr(data-note);display:block;font-size:.75rem;font-style:italic;
  color:var(--cv-muted)}
.cv-h{border-radius:3px;padding:0 1px;cursor:pointer;
  -webkit-box-decoration-break:clone;box-decoration-break:clone}
""" + _per_kind('.cv-h[data-kind="{kind}"]{{background:var(--cv-{kind}-bg)}}\n') + """
.cv-h[data-kind="missing"]{text-decoration:line-through;
  text-decoration-color:var(--cv-missing);text-decoration-thickness:2px}
.cv-h[data-kind="inserted"]{text-decoration:underline;
  text-decoration-color:var(--cv-inserted);text-decoration-thickness:2px;
  text-underline-offset:3px}
.cv-h[data-kind="substituted"]{outline:1.5px dotted var(--cv-substituted-ink);outline-offset:-1px}
.cv-h .cv-ch{background:var(--cv-substituted-bg);border-radius:2px;
  box-shadow:inset 0 -2px 0 var(--cv-substituted-ink)}
.cv-source{outline:2px dotted var(--cv-source);outline-offset:1px;border-radius:2px;
  background:rgba(0,158,115,.10)}
""" + _per_type('.cv-h[data-type="{type}"]{{background-image:linear-gradient('
                'rgba(255,255,255,.55),rgba(255,255,255,.55));outline-width:1px;'
                'outline-color:var(--cv-muted);'
                'text-decoration-thickness:1px}}\n', sorted(QUIET_TYPES)) + """
.cv-gap,.cv-pt{cursor:pointer;border-radius:2px}
.cv-gap{background:repeating-linear-gradient(135deg,var(--cv-gap-c) 0 2px,transparent 2px 5px);
  box-shadow:inset 0 -2px 0 var(--cv-gap-c)}
.cv-pt{display:inline-block;width:.7em;height:1.05em;vertical-align:-.15em;margin:0 1px;
  border-left:2px solid var(--cv-gap-c);
  background:repeating-linear-gradient(135deg,var(--cv-gap-c) 0 2px,transparent 2px 5px)}
""" + _per_kind('.cv-gap[data-kind="{kind}"],.cv-pt[data-kind="{kind}"]'
                '{{--cv-gap-c:var(--cv-{kind})}}\n') + """
.cv-view [data-hunk]:hover:not([aria-current]),.cv-view .cv-hover:not([aria-current]){
  outline:2px dashed var(--cv-ink);outline-offset:1px}
.cv-view [aria-current="true"]{outline:2.5px solid var(--cv-ink);outline-offset:1px;
  box-shadow:0 0 0 5px rgba(240,228,66,.55)}
""" + _per_kind('.cv-dim-{kind} [data-kind="{kind}"]{{opacity:.38}}\n') + _per_type(
    '.cv-dimt-{type} [data-type="{type}"]{{opacity:.38}}\n') + SPECIAL_CSS + """
.cv-more{padding:.35rem .75rem;font-size:.8rem;color:var(--cv-muted);text-align:center;
  background:var(--st-secondary-background-color,#f4f5f7);cursor:pointer;
  border-top:1px solid var(--cv-rule)}
.cv-more::before{content:attr(data-note)}
.cv-more:hover{text-decoration:underline}
.cv-empty-doc{padding:1rem;color:var(--cv-muted)}
.cv-fold-line{display:none}
.cv-fold-line>summary{padding:.3rem .75rem .3rem 3.3rem;font-size:.8rem;color:var(--cv-muted);
  background:var(--st-secondary-background-color,#f4f5f7);cursor:pointer;list-style:none;
  border-top:1px solid var(--cv-rule);user-select:none}
.cv-fold-line>summary::-webkit-details-marker{display:none}
.cv-fold-line>summary:hover{text-decoration:underline}
.cv-rows>.cv-fold:first-child>.cv-fold-line>summary{border-top:0}
.cv-legend,.cv-legend-wrap{display:flex;flex-wrap:wrap;gap:.05rem .9rem;align-items:center;
  font-size:.78rem;line-height:1.45;color:var(--cv-ink)}
.cv-legend-wrap>.cv-legend{display:contents}
.cv-legend-wrap .cv-note{order:1}
.cv-legend .cv-key{display:inline-flex;align-items:center;gap:.35rem}
.cv-legend .cv-h,.cv-legend .cv-pt,.cv-legend .cv-gap{cursor:default}
.cv-legend .cv-note{color:var(--cv-muted)}
.cv-window-note{font-size:.85rem;color:var(--cv-muted);margin:.3rem 0}
"""

# The detail panel: character-level differences, where a swapped text occurs, the texts.
DETAIL_CSS = kind_variables(".cv-cd,.cv-src,.cv-src-note,.cv-textblock") + """
.cv-cd{font-size:.95rem;line-height:1.7;display:grid;grid-template-columns:auto minmax(0,1fr);
  gap:.15rem .8rem}
.cv-cd .cv-cd-label{font-size:.75rem;text-transform:uppercase;letter-spacing:.05em;
  color:var(--cv-muted);padding-top:.2rem}
.cv-cd .cv-cd-text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-monospace,
  SFMono-Regular,Menlo,monospace;font-size:.88rem;background:rgba(128,128,128,.08);
  border-radius:4px;padding:.1rem .4rem}
.cv-cd del{background:var(--cv-missing-bg);text-decoration:line-through;
  text-decoration-color:var(--cv-missing);text-decoration-thickness:2px}
.cv-cd ins{background:var(--cv-inserted-bg);text-decoration:underline;
  text-decoration-color:var(--cv-inserted);text-decoration-thickness:2px}
.cv-cd .cv-cd-none{color:var(--cv-muted);font-style:italic;font-family:inherit}
.cv-src{font-size:.9rem;line-height:1.55;margin:0;padding:.2rem 0;white-space:pre-wrap;
  overflow-wrap:anywhere}
.cv-src .cv-src-line{display:inline-block;min-width:4.2rem;color:var(--cv-muted);
  font-size:.78rem;font-variant-numeric:tabular-nums}
.cv-src mark{background:rgba(0,158,115,.14);outline:2px dotted var(--cv-source);
  border-radius:2px;padding:0 1px;color:inherit}
.cv-src-note{font-size:.85rem;color:var(--cv-muted)}
.cv-textblock{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:isolate;
  font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.88rem;line-height:1.55;
  background:rgba(128,128,128,.08);border-radius:6px;padding:.6rem .8rem;margin:0 0 .6rem}
""" + SPECIAL_CSS

# The "changed paragraphs only" toggle of the page (its widget key): while it is on, each run of
# unchanged rows (``render_rows(folds=True)``) shows as its one line, its rows hidden until that
# line is opened; the browser does it alone (CSS over the toggle's checkbox and the fold's
# ``<details>``), with no rerun and no new HTML.
FOLD_TOGGLE_KEY = "changed_only"
_FOLDING = f"body:has(.st-key-{FOLD_TOGGLE_KEY} input:checked)"
FOLD_CSS = f"""
{_FOLDING} .cv-fold-line{{display:block}}
{_FOLDING} .cv-fold-line:not([open])+.cv-fold-rows{{display:none}}
{_FOLDING} .cv-fold-line[open]+.cv-fold-rows>.cv-row:first-child{{
  border-top:1px solid var(--cv-rule)}}
"""

# Room above the view (a 1280x800 window shows the view's first rows without scrolling: the
# title goes up under Streamlit's header, made see-through and click-through but for its
# buttons), and metrics, buttons and filters that wrap rather than cut their words in a narrow
# window (down to 800 px with the sidebar open). Streamlit's own elements are reached by their
# test ids and ``.st-key-<key>`` classes.
COMPACT_CSS = """
[data-testid="stHeader"]{background:transparent}
[data-testid="stHeader"],[data-testid="stHeader"] *{pointer-events:none}
[data-testid="stHeader"] :is(button,a,[role="button"]),
[data-testid="stHeader"] :is(button,a,[role="button"]) *{pointer-events:auto}
.block-container{padding-top:1.25rem;padding-bottom:3rem}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"]{gap:.4rem}
.st-key-metrics{gap:.2rem 1.4rem}
.st-key-metrics>div{flex:1 1 auto}
[data-testid="stMetric"] [data-testid="stMetricLabel"] p{font-size:.8rem;white-space:nowrap}
[data-testid="stMetricValue"]{font-size:1.35rem;line-height:1.25}
[data-testid="stMetricValue"]>div{overflow:visible}
[data-testid="stHorizontalBlock"]:has(.st-key-prev){flex-wrap:wrap;row-gap:.4rem}
[data-testid="stColumn"]:has(.st-key-prev),[data-testid="stColumn"]:has(.st-key-next),
[data-testid="stColumn"]:has(.cv-counter){flex:0 0 auto;width:auto;min-width:max-content}
[data-testid="stColumn"]:has(.st-key-kinds){flex:1 1 16rem;min-width:16rem}
.st-key-prev button,.st-key-next button{padding:0 1rem;min-height:2.15rem}
.st-key-kinds button,.st-key-types button{min-height:1.8rem;padding-top:0;padding-bottom:0}
"""

# The page's own pieces (title, counter, selection line, badges, notes); the detail panel's
# rules come with them, so the page sends its stylesheet once.
PAGE_CSS = kind_variables(":root") + COMPACT_CSS + FOLD_CSS + """
.cv-title{display:flex;align-items:baseline;gap:.2rem .9rem;flex-wrap:wrap;margin:0}
.cv-title h1{font-size:1.45rem;font-weight:700;margin:0;padding:0}
.cv-title .cv-sub{color:var(--cv-muted);font-size:.92rem}
.cv-title .cv-sub b{color:var(--cv-ink);font-weight:600}
.cv-counter{font-size:1rem;line-height:2.4rem;white-space:nowrap}
.cv-counter .cv-of{color:var(--cv-muted);font-size:.85rem;margin-left:.35rem}
.cv-sel-line{font-size:.9rem;line-height:1.5;color:var(--cv-muted);overflow:hidden;
  text-overflow:ellipsis;white-space:nowrap}
.cv-sel-line q{color:var(--cv-ink);quotes:"“" "”"}
.cv-badge{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.78rem;
  font-weight:600;color:#fff;line-height:1.45rem;margin-right:.4rem;vertical-align:1px}
""" + _per_kind(".cv-badge.{kind}{{background:var(--cv-{kind}-ink)}}\n") + """
.cv-doc{font-size:.8rem;color:var(--cv-muted);margin:-.4rem 0 .6rem;overflow-wrap:anywhere}
.cv-doc b{color:var(--cv-ink);font-weight:600}
.cv-pos{font-size:.88rem;color:var(--cv-muted);margin:.1rem 0 .4rem}
.cv-type{font-size:.9rem;margin:0 0 .5rem}
.cv-type b{font-weight:600}
.cv-note{font-size:.85rem;color:var(--cv-muted);margin:.15rem 0 .35rem}
.cv-note b{color:var(--cv-ink);font-weight:600}
.cv-empty{border:1px dashed rgba(120,120,130,.45);border-radius:.6rem;padding:1.1rem 1.3rem;
  margin:.6rem 0 1rem;line-height:1.55}
.cv-empty h3{font-size:1.05rem;margin:0 0 .45rem;padding:0}
.cv-empty ul{margin:.2rem 0 .2rem 1.1rem;padding:0}
.cv-empty code{font-size:.85em}
""" + DETAIL_CSS

# The standalone report: a plain page around the view (no Streamlit theme variables there).
REPORT_CSS = """
body{margin:0;padding:1.5rem 2rem 3rem;font-family:system-ui,"Segoe UI",Roboto,sans-serif;
  color:#1f2328;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}
.cv-meta{color:#59636e;font-size:.9rem;margin-bottom:.8rem}
.cv-stats{display:flex;flex-wrap:wrap;gap:.5rem 1.6rem;margin:.6rem 0 1rem;font-size:.9rem}
.cv-stats b{font-size:1.15rem;display:block}
.cv-view .cv-rows{max-height:none;overflow:visible}
.cv-view [id]:target{outline:3px solid #1f2328;outline-offset:2px}
.cv-view .cv-source{outline:none;background:none}
.cv-view .cv-source:target{outline:2px dotted var(--cv-source);background:rgba(0,158,115,.10)}
.cv-legend{margin:.4rem 0 .8rem}
table.cv-list{border-collapse:collapse;width:100%;font-size:.85rem;margin-top:.6rem}
table.cv-list th,table.cv-list td{border-top:1px solid #d0d7de;padding:.25rem .5rem;
  text-align:left;vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere}
table.cv-list td.n{white-space:nowrap;font-variant-numeric:tabular-nums}
h2{font-size:1.1rem;margin:1.6rem 0 .4rem}
"""
