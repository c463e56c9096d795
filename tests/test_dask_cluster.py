"""A real Dask cluster: ``dask scheduler`` and two ``dask worker`` processes (on 127.0.0.1,
random ports, no dashboard), a corpus run through ``--scheduler``, one worker killed mid-run:
every row exactly once. Workers run in another folder than the client and the rows are gathered
to the client; inputs can be fsspec URLs. Slow-machine proof: generous timeouts, no timing
assertions."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from viewer import corpus  # noqa: E402
from viewer.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WAIT = 120
pytestmark = pytest.mark.skipif(os.name != "posix", reason="process groups and signals")


def write_corpus(path: Path, n: int) -> None:
    words = ("a corpus of old newspapers was scanned and read by a machine that made "
             "mistakes in every other line of the page").split()
    with open(path, "w", encoding="utf-8") as file:
        for k in range(n):
            original = " ".join(words[(k * 7 + i) % len(words)] for i in range(150))
            corrupted = original.replace("machine", "rnachine", 1 + k % 4)
            file.write(json.dumps({"id": f"doc{k}", "original": original,
                                   "corrupted": corrupted}) + "\n")


def _until(condition, what: str, procs=()) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        for proc in procs:
            if proc.poll() is not None:
                pytest.fail(f"{what}: a process ended early ({proc.args[:4]})")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {WAIT} s")
        time.sleep(0.1)


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two workers (no nanny: a killed worker stays dead)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    elsewhere = tmp_path / "workers"  # the workers' folder is not the client's
    elsewhere.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    procs: list[subprocess.Popen] = []

    def spawn(name: str, *args: str) -> subprocess.Popen:
        log = open(logs / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen([sys.executable, "-m", "dask", *args], cwd=elsewhere, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        procs.append(proc)
        return proc

    info = tmp_path / "scheduler.json"
    try:
        spawn("scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--scheduler-file", str(info))
        _until(lambda: info.exists() and "address" in info.read_text(errors="replace"),
               "scheduler address", procs)
        address = json.loads(info.read_text())["address"]
        workers = [spawn(f"worker{i}", "worker", address, "--host", "127.0.0.1", "--nthreads",
                         "1", "--no-nanny", "--no-dashboard", "--death-timeout", "60")
                   for i in range(2)]
        with distributed.Client(address, timeout="60s") as client:
            _until(lambda: len(client.scheduler_info()["workers"]) == 2, "two workers", procs)
        yield address, workers
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=WAIT)


def test_a_worker_killed_mid_run_every_row_exactly_once(cluster, tmp_path):
    address, workers = cluster
    source = tmp_path / "pairs.jsonl"
    n = 1600  # 8 partitions of 200 pairs: the kill comes long before the last
    write_corpus(source, n)
    out = tmp_path / "out"
    checkpoint = tmp_path / ".out.checkpoint"
    run = subprocess.Popen([sys.executable, "-m", "viewer", "corpus", str(source), "--out",
                            str(out), "--engine", "dask", "--scheduler", address],
                           cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True, start_new_session=True)
    try:
        # the first partition came back: the run is under way on both workers
        _until(lambda: checkpoint.is_dir() and any(checkpoint.glob("part.*.parquet")),
               "a first partition", [run])
        written = len(list(checkpoint.glob("part.*.parquet")))
        os.kill(workers[0].pid, signal.SIGKILL)
        _, err = run.communicate(timeout=WAIT * 2)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode == 0, err
    assert written < 8  # 2 workers: 8 partitions, and the kill came before the last
    frame = pd.read_parquet(out)
    assert frame["pair"].tolist() == list(range(n))  # every pair, once, in order
    assert frame["id"].tolist() == [f"doc{k}" for k in range(n)]
    assert frame["error"].isna().all()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_file_url_input_on_the_cluster(cluster, tmp_path):
    address, _ = cluster
    source = tmp_path / "pairs.jsonl"
    write_corpus(source, 40)
    out = tmp_path / "out"
    assert main(["corpus", source.as_uri(), "--out", str(out), "--engine", "dask",
                 "--scheduler", address]) == 0
    assert pd.read_parquet(out)["pair"].tolist() == list(range(40))


def test_memory_url_inputs_match_local_paths(tmp_path):
    """fsspec URLs as inputs (``memory://`` lives in this process, so the cluster is
    threads here)."""
    import fsspec
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = tmp_path / "pairs.jsonl"
    write_corpus(source, 30)
    fs = fsspec.filesystem("memory")
    fs.pipe("/corpus/pairs.jsonl", source.read_bytes())
    records = [json.loads(line) for line in source.read_text().splitlines()]
    buf = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(records), buf)
    fs.pipe("/corpus/pairs.parquet", buf.getvalue().to_pybytes())
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=":0") as client:
        local = corpus.run_dask(str(source), str(tmp_path / "local"), client=client)
        for name in ("pairs.jsonl", "pairs.parquet"):
            out = tmp_path / name.replace(".", "_")
            stats = corpus.run_dask(f"memory://corpus/{name}", str(out), client=client)
            assert stats.pairs == local.pairs == 30
            assert pd.read_parquet(out).equals(pd.read_parquet(tmp_path / "local"))
