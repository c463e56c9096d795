// The side-by-side view as a Streamlit components-v2 component (mounted in the page, no iframe,
// no shadow root).
//
// data (from Python): {html, selected, reveal, nonce, focus}
//   html      the rows, already escaped by viewer/render/; set as innerHTML of .cv-root
//   selected  hunk id of the selection (its elements carry aria-current="true" in html)
//   reveal    true: also scroll the page so the view shows the selection (list/chart/URL picks)
//   nonce     changes when Python wants the selection revealed again
//   focus     null, or {source, nonce}: show place `source` of the selected copy's sources
//             (its elements carry data-source-of=<selected> data-source=<source>) instead
// triggers (to Python), each a one-rerun event:
//   select  {id, nonce}   a highlighted token or gap marker was clicked
//   nav     {step, nonce} keyboard: j / n / ArrowRight = +1, k / p / ArrowLeft = -1, when the
//                         target is outside the window (inside it, a key sends `select`)
//   more    {dir, nonce}  the "earlier rows" / "later rows" bar of a window was clicked
//
// Streamlit calls this function again (same parentElement) whenever data changes, without
// calling the returned cleanup in between, so listeners are bound once per root element.

// Event ids increase within a page, so Python can drop an event it has already applied (a rerun
// that was interrupted by the next event runs the callbacks again).
let seq = 0;
function nonce() {
  seq = (seq + 1) % 1000;
  return Date.now() * 1000 + seq;
}

const NEXT_KEYS = new Set(["j", "n", "ArrowRight"]);
const PREV_KEYS = new Set(["k", "p", "ArrowLeft"]);

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

// The difference `step` (+1/-1) away from `from` among the kinds shown, when the window of rows
// holds both: every difference between two drawn ones is drawn too (rows are contiguous and
// differences are in document order). null when Python has to decide (window edge, no
// selection drawn).
function neighbour(root, from, step) {
  const view = root.querySelector(".cv-view");
  if (!view || from === null || from === undefined) return null;
  const hidden = new Set(
    [...view.classList].filter((c) => c.startsWith("cv-dim-")).map((c) => c.slice(7))
  );
  const hiddenTypes = new Set(
    [...view.classList].filter((c) => c.startsWith("cv-dimt-")).map((c) => c.slice(8))
  );
  let here = false;
  let best = null;
  view.querySelectorAll("[data-hunk]").forEach((el) => {
    const id = Number(el.dataset.hunk);
    if (id === from) here = true;
    if (hidden.has(el.dataset.kind) || hiddenTypes.has(el.dataset.type)) return;
    if (step > 0 && id > from && (best === null || id < best)) best = id;
    if (step < 0 && id < from && (best === null || id > best)) best = id;
  });
  return here ? best : null;
}

function editable(el) {
  if (!el || !el.closest) return false;
  return !!el.closest(
    'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="grid"], ' +
      '[role="textbox"], [role="slider"], [role="listbox"], [role="combobox"]'
  );
}

// A selection made here (a click, a key) is shown at once and sent to Python; until a rerun
// shows it back, later reruns that started before it (showing an older selection) do not undo it.
const PENDING_MS = 5000;

function choose(state, id) {
  setCurrent(state.root, id);
  state.selected = id;
  state.pending.push(id);
  state.pendingAt = Date.now();
  state.send("select", { id, nonce: nonce() });
}

function bind(root, state) {
  root.addEventListener("click", (e) => {
    const more = e.target.closest ? e.target.closest(".cv-more") : null;
    if (more && root.contains(more)) {
      state.send("more", { dir: Number(more.dataset.dir), nonce: nonce() });
      return;
    }
    const el = hunkOf(e.target, root);
    if (!el) return;
    // a drag that selected text to copy is not a click on a difference
    const sel = window.getSelection ? String(window.getSelection()) : "";
    if (sel && sel.length > 0) return;
    choose(state, Number(el.dataset.hunk)); // at once; Python's rerun confirms it
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
}

function bindKeys() {
  if (window.__cvKeysBound) return;
  window.__cvKeysBound = true;
  document.addEventListener("keydown", (e) => {
    const state = window.__cvActive;
    if (!state || !state.root || !state.root.isConnected) return;
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (editable(e.target) || editable(document.activeElement)) return;
    let step = 0;
    if (NEXT_KEYS.has(e.key)) step = 1;
    else if (PREV_KEYS.has(e.key)) step = -1;
    if (!step) return;
    e.preventDefault();
    // Within the window the component picks the target itself and sends it as a selection: a
    // burst of keys faster than Streamlit reruns is merged into one rerun (the last trigger
    // wins), and an absolute target survives that where "+1" would be lost.
    const target = neighbour(state.root, state.selected, step);
    if (target !== null) {
      choose(state, target);
      reveal(state.root, false);
      return;
    }
    state.send("nav", { step, nonce: nonce() });
  });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const root = parentElement.querySelector(".cv-root");
  if (!root) return;
  const state =
    root.__cv ||
    (root.__cv = { html: null, selected: null, nonce: null, hover: null, pending: [] });
  state.root = root;
  state.send = setTriggerValue;
  if (!state.bound) {
    bind(root, state);
    state.bound = true;
  }
  window.__cvActive = state;
  bindKeys();

  const d = data || {};
  const html = typeof d.html === "string" ? d.html : "";
  const changed = html !== state.html;
  if (changed) {
    const old = root.querySelector(".cv-rows");
    const oldView = root.querySelector(".cv-view");
    const top = old ? old.scrollTop : 0;
    const sameWindow =
      oldView && html.indexOf(`data-start="${oldView.dataset.start}"`) >= 0;
    root.innerHTML = html; // escaped by viewer/render/
    state.html = html;
    const rows = root.querySelector(".cv-rows");
    if (rows && sameWindow) rows.scrollTop = top;
    state.hover = null;
  }
  let selected = d.selected === undefined ? null : d.selected;
  const shown = state.pending.lastIndexOf(selected);
  if (shown >= 0) state.pending.splice(0, shown + 1);
  if (state.pending.length && Date.now() - state.pendingAt < PENDING_MS) {
    // this rerun began before the latest choice made here: keep showing that choice
    selected = state.pending[state.pending.length - 1];
    setCurrent(root, selected);
  } else {
    state.pending.length = 0;
  }
  if (changed || selected !== state.selected || d.nonce !== state.nonce) {
    // the first render only scrolls the rows; later list/chart picks may scroll the page
    const again = state.nonce !== null && d.nonce !== state.nonce;
    state.selected = selected;
    state.nonce = d.nonce;
    // after layout, so positions are measured on the new rows
    const focus = d.focus && d.focus.nonce === d.nonce ? d.focus : null;
    requestAnimationFrame(() => reveal(root, !!d.reveal && again, focus));
  }
}
