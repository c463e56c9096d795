"""Interrupted corpus runs: SIGKILL and SIGTERM mid-run leave no worker processes and a
checkpoint; ``--resume`` finishes the run, and its output equals an uninterrupted run's (each
pair once). A checkpoint is never resumed against another input or other options."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.test_corpus import _wait_for
from viewer.cli import main

ROOT = Path(__file__).resolve().parent.parent
needs_posix = pytest.mark.skipif(os.name != "posix", reason="signals and process groups")
WAIT = 120  # generous: a loaded 2-core machine; nothing here asserts a duration
# Pairs in the interrupted corpus: 16 batches of 64 (viewer.corpus.run.BATCH_PAIRS). A row is
# about 2.4 KB, so the first batch checkpointed passes the 64 KB the tests wait for, and the
# kill lands while most batches are still to come (a run takes over a second even when fast).
PAIRS = 1000


def corpus(path: Path, n: int) -> None:
    """``n`` pairs whose rows differ (the corruption depends on the pair)."""
    words = "the quick brown fox jumps over the lazy dog near the river bank".split()
    with open(path, "w", encoding="utf-8") as file:
        for k in range(n):
            original = " ".join(words[(k + i) % len(words)] for i in range(60))
            corrupted = original.replace("fox", "f0x", 1 + k % 3).replace("lazy", "", k % 2)
            if k % 97 == 5:
                file.write("{not json\n")  # an error row among them
                continue
            file.write(json.dumps({"id": f"p{k}", "original": original,
                                   "corrupted": corrupted}) + "\n")


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "viewer", "corpus", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def children(pid: int) -> list[int]:
    """The process's descendants (psutil when installed, else /proc)."""
    try:
        import psutil

        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        found, frontier = [], [pid]
        while frontier:
            parent = frontier.pop()
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        stat = Path(f"/proc/{entry}/stat").read_text()
                    except OSError:
                        continue
                    if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(int(entry))
                        frontier.append(int(entry))
        return found


def alive(pid: int) -> bool:
    """Running (a zombie that nobody reaped yet has exited: it is not running)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return status not in ("Z", "X")


def assert_all_exit(pids: list[int]) -> None:
    deadline = time.monotonic() + 30  # "within seconds": a parent poll is every 0.5 s
    while any(alive(p) for p in pids):
        assert time.monotonic() < deadline, f"workers still running: {pids}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A corpus that takes the run a second or more, and the uninterrupted run's outputs."""
    folder = tmp_path_factory.mktemp("resume")
    source = folder / "pairs.jsonl"
    corpus(source, PAIRS)
    reference = {}
    for ext in (".csv", ".jsonl"):
        out = folder / f"reference{ext}"
        assert main(["corpus", str(source), "--out", str(out), "--workers", "2"]) == 0
        reference[ext] = out.read_bytes()
    return source, reference


def interrupt_mid_run(source: Path, out: Path, how: int, extra=()) -> subprocess.Popen:
    rows = out.parent / f".{out.name}.checkpoint" / "rows.jsonl"
    proc = start([str(source), "--out", str(out), "--workers", "2", *extra])
    try:
        _wait_for(lambda: rows.exists() and rows.stat().st_size > 64 * 1024,
                  "checkpointed rows", proc, WAIT)
        workers = children(proc.pid)
        assert workers, "the run has worker processes"
        os.kill(proc.pid, how)  # the parent alone, as `kill` or the OOM killer does
        proc.wait(timeout=WAIT)
        assert_all_exit(workers)
        return proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if how == signal.SIGKILL:
            proc.stderr.close()


@needs_posix
@pytest.mark.parametrize("ext", [".csv", ".jsonl"])
def test_sigkill_leaves_no_workers_and_resume_equals_an_uninterrupted_run(big, tmp_path, ext):
    source, reference = big
    out = tmp_path / f"rows{ext}"
    interrupt_mid_run(source, out, signal.SIGKILL)
    assert not out.exists()
    checkpoint = tmp_path / f".{out.name}.checkpoint"
    done = (checkpoint / "rows.jsonl").read_bytes().count(b"\n")
    assert 0 < done < PAIRS
    assert main(["corpus", str(source), "--out", str(out), "--workers", "2", "--resume"]) == 0
    assert out.read_bytes() == reference[ext]  # same rows, same order, each pair once
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # checkpoint removed


@needs_posix
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_stop_the_workers_and_say_how_to_resume(big, tmp_path, how):
    source, reference = big
    out = tmp_path / "rows.csv"
    proc = interrupt_mid_run(source, out, how)
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.returncode == 128 + how
    assert err.strip().splitlines()[-1].startswith("error: interrupted")
    assert "--resume" in err
    assert not out.exists()
    assert main(["corpus", str(source), "--out", str(out), "--resume"]) == 0
    assert out.read_bytes() == reference[".csv"]


def test_a_checkpoint_is_not_resumed_with_other_options_nor_ignored(tmp_path, capsys):
    source = tmp_path / "pairs.jsonl"
    corpus(source, 10)
    out = tmp_path / "rows.csv"
    checkpoint = tmp_path / ".rows.csv.checkpoint"
    # a checkpoint as a killed run leaves it: run, then make it look unfinished
    assert main(["corpus", str(source), "--out", str(out), "--workers", "1"]) == 0
    reference = out.read_bytes()
    out.unlink()
    from viewer.corpus import Columns, CorpusLimits, PairOptions
    from viewer.corpus.outputs import Checkpoint, run_fingerprint

    fingerprint = run_fingerprint(str(source), engine="local", columns=Columns(),
                                  options=PairOptions(), limits=CorpusLimits())
    Checkpoint(str(out), fingerprint, resume=False, overwrite=False).close()
    capsys.readouterr()
    assert main(["corpus", str(source), "--out", str(out)]) == 2
    assert "give --resume" in capsys.readouterr().err
    assert main(["corpus", str(source), "--out", str(out), "--resume", "--ignore-case"]) == 2
    assert "other options" in capsys.readouterr().err
    os.utime(source, ns=(1, 1))  # the input changed since
    assert main(["corpus", str(source), "--out", str(out), "--resume"]) == 2
    assert "another input" in capsys.readouterr().err
    assert checkpoint.is_dir() and not out.exists()  # nothing was lost by the refusals
    assert main(["corpus", str(source), "--out", str(out), "--overwrite"]) == 0
    assert out.read_bytes() == reference and not checkpoint.exists()


def test_resume_without_a_checkpoint_is_a_plain_run(tmp_path):
    source = tmp_path / "pairs.jsonl"
    corpus(source, 5)
    out = tmp_path / "rows.jsonl"
    assert main(["corpus", str(source), "--out", str(out), "--resume", "--workers", "1"]) == 0
    assert [json.loads(line)["pair"] for line in out.open()] == list(range(5))


def test_a_torn_last_checkpoint_line_is_dropped_and_redone(tmp_path):
    source = tmp_path / "pairs.jsonl"
    corpus(source, 8)
    out = tmp_path / "rows.jsonl"
    assert main(["corpus", str(source), "--out", str(out), "--workers", "1"]) == 0
    reference = out.read_bytes()
    lines = reference.splitlines(keepends=True)
    out.unlink()
    from viewer.corpus import Columns, CorpusLimits, PairOptions
    from viewer.corpus.outputs import Checkpoint, run_fingerprint

    fingerprint = run_fingerprint(str(source), engine="local", columns=Columns(),
                                  options=PairOptions(), limits=CorpusLimits())
    Checkpoint(str(out), fingerprint, resume=False, overwrite=False).close()
    # three whole rows and half of the fourth, as a kill in mid-write leaves them
    (tmp_path / ".rows.jsonl.checkpoint" / "rows.jsonl").write_bytes(
        b"".join(lines[:3]) + lines[3][:40])
    assert main(["corpus", str(source), "--out", str(out), "--resume", "--workers", "1"]) == 0
    assert out.read_bytes() == reference


@needs_posix
def test_dask_sigkill_then_resume_holds_each_pair_once(big, tmp_path):
    pytest.importorskip("distributed")
    source, reference = big
    out = tmp_path / "out"
    checkpoint = tmp_path / ".out.checkpoint"
    args = [str(source), "--out", str(out), "--engine", "dask", "--workers", "1"]
    proc = start(args)
    try:
        _wait_for(lambda: checkpoint.is_dir() and any(checkpoint.glob("part.*.parquet")),
                  "a partition in the checkpoint", proc, WAIT)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the client and its local cluster
        proc.wait(timeout=WAIT)
        proc.stderr.close()
    assert not out.exists()
    parts_before = len(list(checkpoint.glob("part.*.parquet")))
    assert main(["corpus", *args, "--resume"]) == 0
    frame = pd.read_parquet(out)
    expected = pd.read_json(io.BytesIO(reference[".jsonl"]), lines=True)
    assert frame["pair"].tolist() == list(range(PAIRS)) and parts_before >= 1
    assert frame["id"].tolist() == expected["id"].astype(str).tolist()
    assert frame["hunks_total"].fillna(-1).tolist() == expected["hunks_total"].fillna(-1).tolist()
    assert frame["error"].notna().tolist() == expected["error"].notna().tolist()
    assert not checkpoint.exists()


@needs_posix
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_the_pool_waits_for_a_safe_point(how):
    """Ctrl-C or SIGTERM while the pool runs is held until the loop looks (never raised inside
    the executor's own code, where it could leave a lock taken and the run hanging), then goes
    once to the handler it would have met; one still held when the pool is done is not lost
    (it came with the last rows); the handlers are as before afterwards."""
    from viewer.corpus.run import _signals_deferred

    seen = []

    def raising(signum, frame):
        seen.append(signum)
        raise KeyboardInterrupt

    before = signal.signal(how, raising)
    try:
        with pytest.raises(KeyboardInterrupt), _signals_deferred() as interrupted:
            interrupted()  # nothing held: nothing happens
            os.kill(os.getpid(), how)
            time.sleep(0.05)  # (a handler runs at the next bytecode: here it only records)
            assert seen == []
            interrupted()
        assert seen == [how]
        assert signal.getsignal(how) is raising
        # held when the block ends: raised then, to the handler restored
        with pytest.raises(KeyboardInterrupt), _signals_deferred():
            os.kill(os.getpid(), how)
            time.sleep(0.05)
        assert seen == [how, how]
        # a handler that only records is called once for one signal, however often one looks
        signal.signal(how, lambda signum, frame: seen.append(signum))
        with _signals_deferred() as interrupted:
            os.kill(os.getpid(), how)
            time.sleep(0.05)
            for _ in range(3):
                interrupted()
        assert seen == [how, how, how]
    finally:
        signal.signal(how, before)
