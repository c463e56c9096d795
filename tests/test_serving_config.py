"""Serving: the page binds to this machine only unless told otherwise."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from viewer.cli import app_command

ROOT = Path(__file__).resolve().parent.parent


def test_the_config_binds_to_localhost_and_the_app_command_passes_it():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "localhost"
    cmd = app_command(["--server.address", "0.0.0.0"])
    # the project's setting, and a caller's own later on the line (Streamlit: the last wins)
    assert cmd.index("--server.address=localhost") < cmd.index("0.0.0.0")


def test_the_server_listens_on_loopback_only(tmp_path):
    psutil = pytest.importorskip("psutil")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "viewer", "app", "--server.port", str(port)],
                            cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120

        def listening():
            found = []
            for p in [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(True)]:
                with contextlib.suppress(psutil.Error):
                    found += [c.laddr.ip for c in p.net_connections("tcp")
                              if c.status == psutil.CONN_LISTEN and c.laddr.port == port]
            return found

        while not (addresses := listening()):
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        assert set(addresses) <= {"127.0.0.1", "::1"}, addresses
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
