"""Nothing heavy before the first paint: the session's first run (the title and the view,
``viewer.session.first_paint_bare``) imports neither pandas nor altair (nor pyarrow, which pandas
brings); they load with the charts, list and tables of the run after it. Each check runs in a
fresh interpreter, so what another test imported does not count."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "altair", "pyarrow", "dask")


def _modules_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter in the project's folder; it leaves what it found in
    a dict ``out``, printed here with the heavy modules it imported."""
    script = (f"import json, sys\nout = {{}}\n{code}\n"
              f"out['heavy'] = [m for m in {HEAVY!r} if m in sys.modules]\n"
              "print(json.dumps(out))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_page_imports_nothing_heavy():
    # a top-level ``import pandas`` in app.py or any module it imports fails this
    assert _modules_after("import app")["heavy"] == []


def test_the_first_run_draws_the_view_without_pandas_or_altair():
    out = _modules_after(
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=600)\n"
        "assert 'pandas' not in sys.modules  # the test's own tools bring none\n"
        "at.run()\n"
        "out['exception'] = [str(e.value) for e in at.exception]\n"
        "out['view'] = [el.component_name for el in at.get('bidi_component')]\n"
        "out['charts'] = len(at.get('vega_lite_chart'))\n"
        f"out['heavy_first'] = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "at.run()  # the rest of the page: the charts need altair and pandas\n"
        "out['charts_after'] = len(at.get('vega_lite_chart'))\n")
    assert out["exception"] == []
    assert out["view"] == ["corruption_viewer"] and out["charts"] == 0
    assert out["heavy_first"] == []
    # the check can see them: the second run, with charts, imported them
    assert out["charts_after"] >= 1 and {"pandas", "altair"} <= set(out["heavy"])


def test_the_core_never_imports_streamlit():
    # app.py is the page; every module of ``viewer`` runs without Streamlit (the command line,
    # the Python API, a corpus worker): an ``import streamlit`` in any of them fails this
    out = _modules_after(
        "import importlib, pkgutil, viewer\n"
        "names = [m.name for m in pkgutil.walk_packages(viewer.__path__, 'viewer.')\n"
        "         if m.name != 'viewer.__main__']\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "out['modules'] = len(names)\n"
        "out['streamlit'] = 'streamlit' in sys.modules\n")
    assert out["modules"] >= 30 and out["streamlit"] is False
