"""The installable package: pyproject's metadata and console script, every package and data
file shipped, the example and the page found in an installed layout, and (with
``VIEWER_TEST_INSTALL=1``) a real ``pip install`` into a throwaway virtual environment running
the console script."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
EXAMPLE_NAMES = ["000_a77c86db7b5a1f59.txt", "001_39dbf1e82cca5920.txt"]


def test_project_metadata_and_console_script():
    project = PYPROJECT["project"]
    assert project["name"] == "corruption-viewer" and project["version"]
    target = project["scripts"]["corruption-viewer"]
    module, function = target.split(":")
    from viewer.cli import main

    assert getattr(importlib.import_module(module), function) is main


def test_dependencies_have_one_home_requirements_txt():
    project = PYPROJECT["project"]
    assert "dependencies" not in project and "dependencies" in project["dynamic"]
    assert SETUPTOOLS["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    names = [line.split(">")[0].split("[")[0].strip() for line in
             (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert "tqdm" in names and "streamlit" in names


def test_every_package_is_listed():
    """A new subpackage (``viewer/x/__init__.py``) left out of the list would be missing from
    the wheel: the checkout works, the installed package fails to import."""
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "viewer").rglob(
        "__init__.py") if "__pycache__" not in p.parts}
    listed = set(SETUPTOOLS["packages"])
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"


def test_seeds_and_page_are_mapped_into_the_package():
    mapped = SETUPTOOLS["package-dir"]
    data = SETUPTOOLS["package-data"]
    seeds = ROOT / mapped["viewer.seeds"]
    assert all((seeds / name).is_file() for name in EXAMPLE_NAMES)
    page = ROOT / mapped["viewer.page"]
    assert (page / "app.py").is_file() and "app.py" in data["viewer.page"]
    assert ".streamlit/config.toml" in data["viewer.page"]
    assert (page / ".streamlit" / "config.toml").is_file()
    assert "component/*" in data["viewer"] and (ROOT / "viewer" / "component").is_dir()


def _installed_layout(site: Path) -> None:
    """What the wheel holds, as pyproject maps it: viewer/, viewer/seeds/, viewer/page/."""
    shutil.copytree(ROOT / "viewer", site / "viewer",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "seeds", site / "viewer" / "seeds")
    (site / "viewer" / "page" / ".streamlit").mkdir(parents=True)
    shutil.copy(ROOT / "app.py", site / "viewer" / "page" / "app.py")
    shutil.copy(ROOT / ".streamlit" / "config.toml",
                site / "viewer" / "page" / ".streamlit" / "config.toml")


def test_example_and_page_found_through_importlib_resources_when_installed(tmp_path):
    site = tmp_path / "site"
    _installed_layout(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(site))
    probe = ("from viewer.example import APP, APP_CONFIG, EXAMPLE_ORIGINAL, EXAMPLE_CORRUPTED\n"
             "for p in (EXAMPLE_ORIGINAL, EXAMPLE_CORRUPTED, APP, APP_CONFIG): print(p)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.splitlines() == [str(site / "viewer" / "seeds" / EXAMPLE_NAMES[0]),
                                str(site / "viewer" / "seeds" / EXAMPLE_NAMES[1]),
                                str(site / "viewer" / "page" / "app.py"),
                                str(site / "viewer" / "page" / ".streamlit" / "config.toml")]
    report = subprocess.run([sys.executable, "-m", "viewer", "align"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120, check=True).stdout
    assert "differences: 82 — 20 missing, 56 substituted, 6 inserted" in report


def test_the_checkout_finds_its_own_seeds_and_page():
    from viewer.example import APP, EXAMPLE_ORIGINAL

    assert ROOT / "seeds" / EXAMPLE_NAMES[0] == EXAMPLE_ORIGINAL and APP == ROOT / "app.py"


@pytest.mark.skipif(os.environ.get("VIEWER_TEST_INSTALL") != "1",
                    reason="a real pip install takes 20-40 s: set VIEWER_TEST_INSTALL=1")
def test_pip_install_into_a_fresh_venv_runs_the_console_script(tmp_path):
    """``pip install .`` for real: a venv sharing this interpreter's packages, no dependency
    downloads (pip fetches setuptools for the isolated build from its index). Too slow for the
    default run; the tests above check the pieces it relies on."""
    source = tmp_path / "src"
    for name in ("viewer", "seeds", ".streamlit"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("app.py", "pyproject.toml", "requirements.txt", "README.md"):
        shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=300)
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                              "--no-deps", str(source)], capture_output=True, text=True,
                             timeout=600)
    if install.returncode and "setuptools" in install.stderr and "find" in install.stderr:
        pytest.skip("pip could not fetch setuptools for the build (no package index)")
    assert install.returncode == 0, install.stderr
    script = venv / "bin" / "corruption-viewer"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = {"cwd": elsewhere, "capture_output": True, "text": True, "timeout": 300,
           "env": {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}}
    version = subprocess.run([str(script), "--version"], **run)
    assert version.stdout == f"corruption-viewer {PYPROJECT['project']['version']}\n"
    report = subprocess.run([str(script), "align"], **run)
    assert report.returncode == 0, report.stderr
    assert "differences: 82 — 20 missing, 56 substituted, 6 inserted" in report.stdout
    assert "site-packages/viewer/seeds/" in report.stdout
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "from viewer.cli import app_command; print(app_command([])[4])"],
                           **run)
    page = Path(where.stdout.strip())
    assert page.is_file() and page.parts[-3:] == ("viewer", "page", "app.py")
    assert "site-packages" in page.parts
