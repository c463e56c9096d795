// The side-by-side view as a Streamlit components-v2 component (mounted in the page, no iframe,
// no shadow root), with its own Previous / Next buttons and counter: moving through the
// differences happens here, at once, and Python is told afterwards.
//
// data (from Python): {html, rev, selected, ack, total, ids, sources, reveal, nonce, focus,
//                      complete}
//   html      the rows, already escaped by viewer/render/, set as innerHTML of .cv-root; null
//             when this component already holds the rows named `rev` (not sent again)
//   rev       names the rows (the window of rows and what is drawn in them)
//   selected  hunk id of the selection (the component marks its elements aria-current="true")
//   ack       the seq of the last `select` Python has applied: a selection made here with a
//             larger seq is newer than `selected` and is kept
//   total     how many differences there are; ids: the ids the filters show (sorted), or null
//             when every difference is shown
//   reveal    true: also scroll the page so the view shows the selection (list/chart/URL picks)
//   nonce     changes when Python wants the selection revealed again
//   focus     null, or {source, nonce}: show place `source` of the selected copy's sources
//             (its elements carry data-source-of=<selected> data-source=<source>) instead
//   sources   [[start, end], ...]: where the selected copy's text occurs in the original
//   complete  false while the page shows the view alone (see `ready`)
// triggers (to Python), each a one-rerun event:
//   select  {id, seq}     a selection made here: Next/Previous, a key, a click on a token
//   more    {dir, nonce}  the "earlier rows" / "later rows" bar of a window was clicked
//   lost    {rev, nonce}  this component lost the rows `rev` (it was mounted anew): send them
//   ready   {nonce}       the rows are painted and `complete` was false: draw the rest of the
//                         page (the session's first run draws the view alone)
//
// Streamlit calls this function again (same parentElement) whenever data changes, without
// calling the returned cleanup in between, so listeners are bound once per root element.

// Event numbers increase within a page (and across its reloads: they start from the clock), so
// Python can tell a newer selection from one it has already applied.
let lastSeq = 0;
function nextSeq() {
  lastSeq = Math.max(lastSeq + 1, Date.now() * 1000);
  return lastSeq;
}

const NEXT_KEYS = new Set(["j", "n", "ArrowRight"]);
const PREV_KEYS = new Set(["k", "p", "ArrowLeft"]);
// A selection Python has not acknowledged after this long is sent again (a rerun request can be
// dropped when the page is busy); Python applies each seq once, so a repeat is harmless.
const RESEND_MS = 1500;

function hunkOf(target, root) {
  const el = target && target.closest ? target.closest("[data-hunk]") : null;
  return el && root.contains(el) ? el : null;
}

function markAll(root, id, cls, on) {
  if (id === null || id === undefined) return;
  root.querySelectorAll(`[data-hunk="${Number(id)}"]`).forEach((el) => {
    el.classList.toggle(cls, on);
  });
}

function setCurrent(root, id) {
  root.querySelectorAll('[aria-current="true"]').forEach((el) => el.removeAttribute("aria-current"));
  if (id === null || id === undefined) return;
  root.querySelectorAll(`[data-hunk="${Number(id)}"]`).forEach((el) => {
    el.setAttribute("aria-current", "true");
  });
}

function reveal(root, page, focus) {
  const el =
    (focus &&
      root.querySelector(`[data-source-of][data-source="${Number(focus.source)}"]`)) ||
    root.querySelector('[aria-current="true"]');
  const scroller = root.querySelector(".cv-rows");
  if (!el || !scroller) return;
  const box = scroller.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  const margin = 24;
  if (r.top < box.top + margin || r.bottom > box.bottom - margin) {
    // only the rows scroll; the page stays where the reader is
    scroller.scrollTop += r.top - box.top - Math.max(margin, scroller.clientHeight / 3);
  }
  if (page) {
    const r2 = el.getBoundingClientRect();
    if (r2.top < 80 || r2.bottom > window.innerHeight - 40) {
      el.scrollIntoView({ block: "center", behavior: "auto" });
    }
  }
}

// --- the shown differences: `ids` (sorted) or, when null, 0 .. total-1 -------------------------

function lowerBound(ids, x) {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function shownCount(state) {
  return state.ids ? state.ids.length : state.total;
}

// The shown difference `dir` (+1/-1) away from `from` (same rule as viewer/navigation.step: from
// no selection, the first or the last); null past either end.
function stepTarget(state, from, dir) {
  const n = shownCount(state);
  if (!n) return null;
  const at = (k) => (state.ids ? state.ids[k] : k);
  if (from === null || from === undefined) return at(dir > 0 ? 0 : n - 1);
  if (!state.ids) {
    const t = from + dir;
    return t >= 0 && t < n ? t : null;
  }
  const k = dir > 0 ? lowerBound(state.ids, from + 1) : lowerBound(state.ids, from) - 1;
  return k >= 0 && k < n ? state.ids[k] : null;
}

// 1-based place of `id` among the shown differences, 0 when it is not shown.
function position(state, id) {
  if (id === null || id === undefined) return 0;
  if (!state.ids) return id >= 0 && id < state.total ? id + 1 : 0;
  const k = lowerBound(state.ids, id);
  return k < state.ids.length && state.ids[k] === id ? k + 1 : 0;
}

const fmt = (x) => Number(x).toLocaleString("en-US");

// "Difference k of n" (and "#id of all N" when a filter hides some); numbers only, no document
// text. data-k / data-n / data-hunk carry the numbers for tests and scripts.
function showCounter(state) {
  const c = state.counter;
  const n = shownCount(state);
  const sel = state.selected;
  const k = position(state, sel);
  c.dataset.k = String(k);
  c.dataset.n = String(n);
  c.dataset.hunk = sel === null || sel === undefined ? "" : String(sel);
  c.textContent = "";
  if (!state.total) {
    c.textContent = "No differences";
  } else {
    const b = (x) => {
      const el = document.createElement("b");
      el.textContent = x;
      return el;
    };
    c.append("Difference ", b(k ? fmt(k) : "–"), " of ", b(fmt(n)));
    if (n !== state.total && sel !== null && sel !== undefined) {
      const of = document.createElement("span");
      of.className = "cv-of";
      of.textContent = `#${fmt(sel + 1)} of all ${fmt(state.total)}`;
      c.append(of);
    }
  }
  state.prev.disabled = stepTarget(state, sel, -1) === null;
  state.next.disabled = stepTarget(state, sel, 1) === null;
}

// --- moving the selection ----------------------------------------------------------------------

function sendSelection(state) {
  clearTimeout(state.resend);
  state.send("select", { id: state.selected, seq: state.sent });
  state.resend = setTimeout(() => {
    if (state.sent > state.ack && state.root.isConnected) sendSelection(state);
  }, RESEND_MS);
}

// A selection made here: outlined and counted at once, then sent to Python (for the detail
// panel, the charts, the list and the URL). Targets outside the drawn rows are outlined when
// Python sends their rows.
function choose(state, id) {
  state.selected = id;
  setCurrent(state.root, id);
  if (state.sourcesKey) {
    markSources(state.root, id, []);
    state.sourcesKey = null;
  }
  showCounter(state);
  state.sent = nextSeq();
  sendSelection(state);
}

function move(state, dir) {
  const target = stepTarget(state, state.selected, dir);
  if (target === null) return;
  choose(state, target);
  reveal(state.root, false);
}

function bind(state) {
  const root = state.root;
  root.addEventListener("click", (e) => {
    const more = e.target.closest ? e.target.closest(".cv-more") : null;
    if (more && root.contains(more)) {
      state.send("more", { dir: Number(more.dataset.dir), nonce: nextSeq() });
      return;
    }
    const el = hunkOf(e.target, root);
    if (!el) return;
    // a drag that selected text to copy is not a click on a difference
    const sel = window.getSelection ? String(window.getSelection()) : "";
    if (sel && sel.length > 0) return;
    choose(state, Number(el.dataset.hunk));
  });
  root.addEventListener("mouseover", (e) => {
    const el = hunkOf(e.target, root);
    const id = el ? Number(el.dataset.hunk) : null;
    if (id === state.hover) return;
    markAll(root, state.hover, "cv-hover", false);
    state.hover = id;
    markAll(root, id, "cv-hover", true);
  });
  root.addEventListener("mouseleave", () => {
    markAll(root, state.hover, "cv-hover", false);
    state.hover = null;
  });
  state.prev.addEventListener("click", () => move(state, -1));
  state.next.addEventListener("click", () => move(state, 1));
}

function editable(el) {
  if (!el || !el.closest) return false;
  return !!el.closest(
    'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="grid"], ' +
      '[role="textbox"], [role="slider"], [role="listbox"], [role="combobox"]'
  );
}

function bindKeys() {
  if (window.__cvKeysBound) return;
  window.__cvKeysBound = true;
  document.addEventListener("keydown", (e) => {
    const state = window.__cvActive;
    if (!state || !state.root || !state.root.isConnected) return;
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (editable(e.target) || editable(document.activeElement)) return;
    let dir = 0;
    if (NEXT_KEYS.has(e.key)) dir = 1;
    else if (PREV_KEYS.has(e.key)) dir = -1;
    if (!dir) return;
    e.preventDefault();
    move(state, dir);
  });
}

// --- the selected copy's sources in the original ------------------------------------------------

// Outline the places `spans` ([start, end) character offsets into the original) in the drawn
// rows, as viewer/render/rows.source_tag draws them (data-source-of, data-source), replacing
// those of the previous selection. The text of each cell is its slice of the original exactly
// (gap markers are empty), so offsets are counted over the cells' text nodes.
function markSources(root, id, spans) {
  root.querySelectorAll(".cv-source").forEach((el) => {
    const parent = el.parentNode;
    while (el.firstChild) parent.insertBefore(el.firstChild, el);
    parent.removeChild(el);
    parent.normalize();
  });
  if (!spans || !spans.length) return;
  root.querySelectorAll('.cv-cell[data-side="a"]').forEach((cell) => {
    const [c0, c1] = cell.dataset.span.split("-").map(Number);
    const here = spans.map((sp, k) => [sp[0], sp[1], k]).filter(([s, e]) => s < c1 && e > c0);
    if (!here.length) return;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
    let pos = c0;
    for (const node of nodes) {
      const n0 = pos;
      const n1 = pos + node.data.length;
      pos = n1;
      // the pieces of this text node inside a source, an overlap clipped off the later one
      // (as viewer/render/rows._marked does); wrapped last first so offsets stay valid
      const cuts = [];
      let from = n0;
      for (const [s0, e0, k] of [...here].sort((x, y) => x[0] - y[0] || x[1] - y[1])) {
        const s = Math.max(s0, from);
        const e = Math.min(e0, n1);
        if (s < e) {
          cuts.push([s, e, k]);
          from = e;
        }
      }
      for (const [s, e, k] of cuts.reverse()) {
        const range = document.createRange();
        range.setStart(node, s - n0);
        range.setEnd(node, e - n0);
        const mark = document.createElement("span");
        mark.className = "cv-source";
        mark.dataset.sourceOf = String(id);
        mark.dataset.source = String(k);
        range.surroundContents(mark);
      }
    }
  });
}

// --- the rows ----------------------------------------------------------------------------------

// Put new rows in, keeping the selection (or, in the same window, the scroll position) where the
// reader sees it: a window moved ahead of the selection must not jump under the reader's eyes.
function replaceRows(state, html) {
  const root = state.root;
  const oldRows = root.querySelector(".cv-rows");
  const oldView = root.querySelector(".cv-view");
  const top = oldRows ? oldRows.scrollTop : 0;
  const sameWindow = oldView && html.indexOf(`data-start="${oldView.dataset.start}"`) >= 0;
  const anchor = oldRows ? oldRows.querySelector('[aria-current="true"]') : null;
  const anchorId = anchor ? anchor.dataset.hunk : null;
  const anchorAt = anchor
    ? anchor.getBoundingClientRect().top - oldRows.getBoundingClientRect().top
    : null;
  root.innerHTML = html; // escaped by viewer/render/
  state.hover = null;
  const rows = root.querySelector(".cv-rows");
  if (!rows) return;
  const again = anchorId !== null ? rows.querySelector(`[data-hunk="${anchorId}"]`) : null;
  if (again) {
    rows.scrollTop += again.getBoundingClientRect().top - rows.getBoundingClientRect().top - anchorAt;
  } else if (sameWindow) {
    rows.scrollTop = top;
  }
}

function askForRows(state, rev) {
  if (state.lostTimer) return;
  state.send("lost", { rev, nonce: nextSeq() });
  state.lostTimer = setTimeout(() => {
    state.lostTimer = null;
    if (state.rev !== state.wantedRev && state.root.isConnected) askForRows(state, state.wantedRev);
  }, RESEND_MS);
}

// Once the view is painted (after the next frame), ask for the rest of the page; again after a
// while if it has not come (a rerun request can be dropped when the page is busy).
function askForTheRest(state) {
  if (state.readyTimer) return;
  requestAnimationFrame(() =>
    setTimeout(() => {
      state.send("ready", { nonce: nextSeq() });
      state.readyTimer = setTimeout(() => {
        state.readyTimer = null;
        if (!state.complete && state.root.isConnected) askForTheRest(state);
      }, RESEND_MS);
    }, 0)
  );
  state.readyTimer = true;
}

const cache = (window.__cvRows = window.__cvRows || { rev: null, html: null });

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".cv-root");
  if (!root) return;
  // One state for the page's one view, kept across mounts: Streamlit may mount the view anew
  // (a whole-page rerun that adds elements around it), and a selection made here that Python
  // has not applied yet must survive that (and be sent again from the new root)
  const state =
    window.__cvState ||
    (window.__cvState = {
      rev: null, selected: null, nonce: null, hover: null, sent: 0, ack: 0, total: 0,
      ids: null, resend: null,
    });
  if (state.root !== root) {
    state.root = root;
    state.rev = null; // the new root has no rows yet
    state.sourcesKey = null;
    state.hover = null;
  }
  state.send = setTriggerValue;
  state.counter = parentElement.querySelector(".cv-counter");
  state.prev = parentElement.querySelector('.cv-nav [data-step="-1"]');
  state.next = parentElement.querySelector('.cv-nav [data-step="1"]');
  if (!root.__cvBound) {
    bind(state);
    root.__cvBound = true;
  }
  window.__cvActive = state;
  bindKeys();

  const d = data || {};
  state.total = Number(d.total) || 0;
  state.ids = Array.isArray(d.ids) ? d.ids : null;
  state.ack = Math.max(state.ack, Number(d.ack) || 0);

  let changed = false;
  const rev = d.rev === undefined ? null : d.rev;
  state.wantedRev = rev;
  if (typeof d.html === "string") {
    cache.rev = rev;
    cache.html = d.html;
  }
  if (rev !== state.rev) {
    if (cache.rev === rev && typeof cache.html === "string") {
      replaceRows(state, cache.html);
      state.rev = rev;
      changed = true;
    } else {
      // mounted anew, or a run's rows never arrived (a newer run began first): ask for them,
      // again after a while if they do not come
      askForRows(state, rev);
    }
  }

  const before = state.selected;
  if (state.sent <= state.ack) {
    // Python has every selection made here: its selection is the newest
    state.selected = d.selected === undefined ? null : d.selected;
  } // else: a selection made here is newer than this rerun's; keep it
  setCurrent(root, state.selected);
  showCounter(state);
  // the sources Python sent belong to its selection: shown while that is the one shown
  const sources = state.selected === d.selected && Array.isArray(d.sources) ? d.sources : [];
  const sourcesKey = `${state.rev}|${state.selected}|${JSON.stringify(sources)}`;
  if (sourcesKey !== state.sourcesKey) {
    state.sourcesKey = sourcesKey;
    try {
      markSources(root, state.selected, sources);
    } catch (err) {
      // outlines are an aid: a failure leaves the view and navigation working
      console.warn("corruption viewer: sources not outlined", err);
    }
  }
  state.complete = d.complete !== false;
  if (!state.complete) askForTheRest(state);
  const again = state.nonce !== null && d.nonce !== state.nonce;
  if (changed || state.selected !== before || d.nonce !== state.nonce) {
    // the first render only scrolls the rows; later list/chart picks may scroll the page
    state.nonce = d.nonce;
    const focus = d.focus && d.focus.nonce === d.nonce ? d.focus : null;
    // after layout, so positions are measured on the new rows
    requestAnimationFrame(() => reveal(root, !!d.reveal && again, focus));
  }
}
