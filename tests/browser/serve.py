"""A Streamlit server and Debian's Chromium, started the same way for the browser tests
(``conftest.py``) and the browser benchmark (``benchmarks/browser_speed.py``).

Never ``playwright install``: the browser is the system's ``chromium``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# a cold start on a busy 2-core machine (imports, first script run) takes a few seconds; this is
# a wait for the server, not a claim about its speed
SERVER_START_TIMEOUT = 120.0


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright):
    """Debian's Chromium, headless, through Playwright."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: Path = ROOT / "app.py", data_dir: Path | None = None,
                     env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run script`` on a free local port; yields its URL once it answers. The page
    keeps pairs in ``data_dir`` (``VIEWER_DATA_DIR``; None: a temporary folder of this server's
    own, removed with it); ``env``: more environment variables."""
    port = _free_port()
    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="viewer-")))
        yield stack.enter_context(_server(script, port, dict(
            os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
            VIEWER_DATA_DIR=str(data_dir), **(env or {}))))


@contextlib.contextmanager
def _server(script: Path, port: int, env: dict[str, str]) -> Iterator[str]:
    # the server's log goes to a file: a pipe nobody reads would stall a long session's server
    # once its buffer filled
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script),
             "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(url, proc, log)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_healthy(url: str, proc: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            log.seek(0)
            out = log.read().decode(errors="replace")
            raise RuntimeError(f"streamlit did not start:\n{out[-3000:]}")
        time.sleep(0.3)
