// Scrolls the list of differences (a Streamlit dataframe: a canvas grid that never scrolls to
// its selected row by itself) so the selected row is in sight.
//
// data (from Python): {table, row, rows, row_px, key}
//   table   the CSS selector of the dataframe's element (its key's class)
//   row     the selected row's position in the list (0-based), or null
//   rows    how many rows the list has
//   row_px  the height of a row (the dataframe's, as Streamlit draws it)
//   key     changes when the list shows other rows (a filter, a new pair): its scroll restarts
//
// Only a change of the selected row (or of the rows) scrolls: a reader scrolling the list by
// hand is not pulled back on a rerun that changed nothing in it. The list moves as little as it
// can (the row just comes into sight, with a row of context), so stepping with Next moves it a
// row at a time and a row picked in it does not make it jump.

// how long to wait for the grid to be drawn with its rows: its element may arrive after this
// component's (seconds after, on a busy server), and a new table is measured a frame or two
// after it is mounted
const WAIT_MS = 30000;

function scroller(selector) {
  return document.querySelector(`${selector} [data-testid="stDataFrame"] .dvn-scroller`);
}

function bring(el, row, rows, rowPx) {
  // the header is as high as what is left of the scroll height once the rows are counted
  const header = Math.max(0, el.scrollHeight - rows * rowPx);
  const top = row * rowPx;
  const seen = el.clientHeight - header; // the rows' part of the grid
  if (top - rowPx < el.scrollTop) {
    el.scrollTop = Math.max(0, top - rowPx);
  } else if (top + 2 * rowPx > el.scrollTop + seen) {
    el.scrollTop = top + 2 * rowPx - seen;
  }
}

// what each instance last scrolled to (its parentElement may be a shadow root: no dataset)
const done = new WeakMap();

export default function (component) {
  const { data, parentElement } = component;
  const d = data || {};
  const want = `${d.key}|${d.row}`;
  if (done.get(parentElement) === want) return;
  // (a selection that left the list is remembered too: coming back to the same row scrolls)
  done.set(parentElement, want);
  if (d.row === null || d.row === undefined) return;
  const until = performance.now() + WAIT_MS;
  const attempt = () => {
    if (done.get(parentElement) !== want) return; // a newer selection took over
    const el = scroller(d.table);
    // drawn: its scroll height holds every row (the grid measures a new table a frame late)
    if (el && el.scrollHeight >= d.rows * d.row_px) {
      bring(el, d.row, d.rows, d.row_px);
    } else if (performance.now() < until) {
      requestAnimationFrame(attempt);
    }
  };
  attempt();
}
