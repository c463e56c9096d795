"""`python -m viewer align`: the JSON contract, the readable report, and every bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.cli import EXAMPLE_CORRUPTED, EXAMPLE_ORIGINAL, main

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, env=None):
    """The command line in a real process (exit status, stdout, stderr)."""
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.run([sys.executable, "-m", "viewer", *args], capture_output=True,
                          text=True, cwd=ROOT, env=full_env, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def example_json():
    code, out, err = run_cli("align", str(EXAMPLE_ORIGINAL), str(EXAMPLE_CORRUPTED), "--json")
    assert code == 0, err
    return json.loads(out)


def test_json_contract(example_json):
    doc = example_json
    assert set(doc) == {"original", "corrupted", "stats", "hunks"}
    for side, path in (("original", EXAMPLE_ORIGINAL), ("corrupted", EXAMPLE_CORRUPTED)):
        assert set(doc[side]) == {"path", "encoding", "chars", "tokens"}
        assert doc[side]["path"] == str(path)
        assert doc[side]["encoding"] == "utf-8"
        assert doc[side]["chars"] == len(path.read_text(encoding="utf-8"))
    a = EXAMPLE_ORIGINAL.read_text(encoding="utf-8")
    b = EXAMPLE_CORRUPTED.read_text(encoding="utf-8")
    last_a = last_b = 0
    for k, h in enumerate(doc["hunks"]):
        assert h["id"] == k
        assert h["kind"] in ("missing", "substituted", "inserted")
        (a0, a1), (b0, b1) = h["a"], h["b"]
        assert a[a0:a1] == h["a_text"] and b[b0:b1] == h["b_text"]
        assert a0 >= last_a and b0 >= last_b  # document order
        last_a, last_b = a1, b1
        if h["kind"] == "missing":
            assert b0 == b1 and a0 < a1
        elif h["kind"] == "inserted":
            assert a0 == a1 and b0 < b1
        else:
            assert a0 < a1 and b0 < b1
    stats = doc["stats"]
    assert stats["hunks_total"] == len(doc["hunks"])
    assert stats["tokens"] == {"original": doc["original"]["tokens"],
                               "corrupted": doc["corrupted"]["tokens"]}
    assert 0 < stats["corruption_rate"] < 0.5


def test_json_marks_the_placeholder(example_json):
    b = EXAMPLE_CORRUPTED.read_text(encoding="utf-8")
    (h,) = [h for h in example_json["hunks"] if h["a_text"] == "Russian-Turkish"]
    g0, g1 = h["gap"]
    assert not b[g0:g1].strip() and g1 - g0 >= 3
    assert h["b"] == [g0, g0]


def test_default_is_the_example_pair_with_a_readable_report(capsys):
    assert main(["align"]) == 0
    out = capsys.readouterr().out
    assert "000_a77c86db7b5a1f59.txt" in out and "001_39dbf1e82cca5920.txt" in out
    assert "substituted" in out and "\x1b[" not in out  # no colour when not a terminal
    assert "“against” → “the Turks”" in out


def test_colour_on_request(capsys):
    assert main(["align", "--color", "always"]) == 0
    assert "\x1b[" in capsys.readouterr().out


def test_report_escapes_terminal_control_characters(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("hello world\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("hello \x1b[31mred\n", encoding="utf-8")
    assert main(["align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    out = capsys.readouterr().out
    assert "\x1b[31m" not in out and "\\u001b" in out


def test_identical_files_say_no_differences(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("same text\n", encoding="utf-8")
    assert main(["align", str(tmp_path / "a.txt"), str(tmp_path / "a.txt")]) == 0
    assert "no differences" in capsys.readouterr().out


def test_encodings_reported(tmp_path):
    (tmp_path / "a.txt").write_bytes("naïve “café”\r\n".encode("cp1252"))
    (tmp_path / "b.txt").write_bytes("\ufeffnaïve \"café\"\n".encode("utf-16-le"))
    code, out, err = run_cli("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["original"]["encoding"] == "cp1252"
    assert doc["corrupted"]["encoding"].startswith("utf-16")
    assert doc["hunks"] == []


BAD = {
    "missing": None,
    "empty": b"",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "nul": b"text\x00with\x00nul\x00bytes\x00\x01\x02\x03" * 10,
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_exits_2_with_one_error_line(tmp_path, kind):
    good = tmp_path / "good.txt"
    good.write_text("fine text\n", encoding="utf-8")
    bad = tmp_path / f"{kind}.txt"
    if BAD[kind] is not None:
        bad.write_bytes(BAD[kind])
    for args in ((str(bad), str(good)), (str(good), str(bad))):
        code, out, err = run_cli("align", *args, "--json")
        assert code == 2
        assert out == ""
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert "Traceback" not in err


def test_directory_and_oversize(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("fine text " * 100, encoding="utf-8")
    code, _, err = run_cli("align", str(tmp_path), str(good))
    assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1
    code, _, err = run_cli("align", str(good), str(good), "--max-bytes", "100")
    assert code == 2 and "limit" in err and len(err.strip().splitlines()) == 1
    code, _, err = run_cli("align", str(good), str(good), env={"VIEWER_MAX_BYTES": "100"})
    assert code == 2 and "limit" in err


@pytest.mark.parametrize("args", [(), ("align", "only-one.txt"), ("align", "--bogus"),
                                  ("frobnicate",)])
def test_usage_errors_are_one_line(args):
    code, out, err = run_cli(*args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err


@pytest.mark.parametrize(
    ("a_bytes", "b_bytes", "kinds"),
    [
        # UTF-32 with BOM against Latin-1: same text, no differences
        ("café au lait\n".encode("utf-32"), "café au lait\n".encode("latin-1"), []),
        # UTF-16 BE with BOM against UTF-8 with BOM, one word changed
        ("\ufeffone two three".encode("utf-16-be"), "\ufeffone too three".encode("utf-8"),
         ["substituted"]),
        # mixed line ends against LF
        (b"line one\r\nline two\rline three\n", b"line one\nline two\nline four\n",
         ["substituted"]),
        # whitespace only on both sides
        (b"  \n\t ", b"\n\n", []),
    ],
)
def test_inputs_that_must_work(tmp_path, a_bytes, b_bytes, kinds):
    (tmp_path / "a.txt").write_bytes(a_bytes)
    (tmp_path / "b.txt").write_bytes(b_bytes)
    code, out, err = run_cli("align", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--json")
    assert code == 0, err
    assert [h["kind"] for h in json.loads(out)["hunks"]] == kinds


def test_huge_line_huge_token_and_unrelated_files(tmp_path):
    line = " ".join(f"word{i}" for i in range(120_000))  # ~1 MB, no line break
    (tmp_path / "line_a.txt").write_text(line, encoding="utf-8")
    (tmp_path / "line_b.txt").write_text(line.replace("word500 ", "changed "), encoding="utf-8")
    code, out, err = run_cli("align", str(tmp_path / "line_a.txt"), str(tmp_path / "line_b.txt"),
                             "--json")
    assert code == 0, err
    assert [(h["a_text"], h["b_text"]) for h in json.loads(out)["hunks"]] == [
        ("word500", "changed")]
    token = "x" * 200_000
    (tmp_path / "tok_a.txt").write_text(f"before {token} after", encoding="utf-8")
    (tmp_path / "tok_b.txt").write_text(f"before {token}y after", encoding="utf-8")
    code, out, err = run_cli("align", str(tmp_path / "tok_a.txt"), str(tmp_path / "tok_b.txt"),
                             "--json")
    assert code == 0, err
    assert [h["kind"] for h in json.loads(out)["hunks"]] == ["substituted"]
    import random

    rng = random.Random(5)
    for name, letters in (("u_a.txt", "abcdefghijklm"), ("u_b.txt", "nopqrstuvwxyz")):
        words = ("".join(rng.choices(letters, k=6)) for _ in range(80_000))
        (tmp_path / name).write_text(" ".join(words), encoding="utf-8")
    code, out, err = run_cli("align", str(tmp_path / "u_a.txt"), str(tmp_path / "u_b.txt"))
    assert code == 0, err
    assert "differences: 1 — 0 missing, 1 substituted, 0 inserted" in out


# --- --version, unknown arguments, the app subcommand ----------------------------------------


def _pyproject_version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"]


def test_version_is_the_pyproject_version():
    code, out, err = run_cli("--version")
    assert code == 0 and out == f"python -m viewer {_pyproject_version()}\n", err


def test_version_outside_a_checkout_comes_from_the_package_metadata(tmp_path, monkeypatch):
    from importlib import metadata

    from viewer import cli

    monkeypatch.setattr(metadata, "version",
                        lambda name: "9.8.7" if name == "corruption-viewer" else "?")
    assert cli.package_version(tmp_path / "pyproject.toml") == "9.8.7"
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "something-else"\nversion = "1.0"\n', encoding="utf-8")
    assert cli.package_version(other) == "9.8.7"

    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert cli.package_version(tmp_path / "none.toml") == "unknown"


@pytest.mark.parametrize("args", [("align", "--jsn"), ("corpus", "x.jsonl", "--out", "o.csv",
                                                       "--bogus")])
def test_unknown_arguments_are_one_error_line(args, capsys):
    assert main(list(args)) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unrecognized arguments: ") and len(err.splitlines()) == 1


def test_app_runs_streamlit_on_the_page_with_the_project_settings(monkeypatch):
    from viewer import cli

    seen = []
    monkeypatch.setattr(cli.subprocess, "call", lambda cmd: seen.append(cmd) or 3)
    assert main(["app", "--server.port", "8999", "--server.enableXsrfProtection=true"]) == 3
    (cmd,) = seen
    assert cmd[:5] == [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
    # .streamlit/config.toml as flags (so they hold from any folder), the caller's last
    assert "--server.maxUploadSize=64" in cmd and "--client.showErrorDetails=none" in cmd
    assert "--browser.gatherUsageStats=false" in cmd
    assert cmd[-3:] == ["--server.port", "8999", "--server.enableXsrfProtection=true"]


def test_app_serves_the_page_from_any_folder(tmp_path):
    """A real server started by ``python -m viewer app`` in another folder answers."""
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "viewer", "app", "--server.port", str(port),
         "--server.address", "127.0.0.1"],
        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120  # a safety bound, not a timing assertion
        body = None
        while body is None:
            assert proc.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server never answered"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=5) as response:
                    body = response.read()
            except OSError:
                time.sleep(0.2)
        assert body == b"ok"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


# --- the Python API -------------------------------------------------------------------------


def test_python_api_on_the_example_pair():
    from viewer import align, load

    al = align(load(EXAMPLE_ORIGINAL), load(EXAMPLE_CORRUPTED))
    assert len(al.hunks) == 82
    assert [h.kind for h in al.hunks].count("substituted") == 56
    # str and Document mix; bytes are decoded like an upload
    text = EXAMPLE_CORRUPTED.read_text(encoding="utf-8")
    assert len(align(load(EXAMPLE_ORIGINAL.read_bytes()), text).hunks) == 82


def test_load_takes_paths_bytes_and_text():
    from viewer import InputError, load

    doc = load(EXAMPLE_ORIGINAL)
    assert doc.encoding == "utf-8" and doc.text == EXAMPLE_ORIGINAL.read_text(encoding="utf-8")
    assert load("caf\u00e9".encode("cp1252"), "x.txt").text == "café"
    # a str is the text itself, never a file name
    assert load(str(EXAMPLE_ORIGINAL)).text == str(EXAMPLE_ORIGINAL)
    assert load(doc) is doc
    with pytest.raises(InputError, match="empty"):
        load(b"")
    with pytest.raises(TypeError):
        load(42)


def test_align_options_and_wrong_types():
    from viewer import align

    assert [h.kind for h in align("Hello World", "hello world").hunks] == ["substituted"] * 2
    assert align("Hello World", "hello world", ignore_case=True).hunks == ()
    assert len(align("it’s", "it's", strict_typography=True).hunks) == 1
    with pytest.raises(TypeError, match="corrupted"):
        align("text", b"bytes")


def test_viewer_align_is_the_function_and_the_module_stays_importable():
    import importlib

    import viewer
    import viewer.align

    assert callable(viewer.align) and viewer.align.__module__ == "viewer"
    module = importlib.import_module("viewer.align")
    assert module is sys.modules["viewer.align"] and hasattr(module, "Alignment")
