"""An interrupted batch (issue 18, item 10): the workers of `powerkit report` die with the
command when it is killed, and Ctrl-C ends it with exit 130 and one line, no traceback."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import SAMPLE_DEALS

pytestmark = pytest.mark.slow
POWERKIT = Path(sys.executable).parent / "powerkit"


def _start(tmp_path) -> subprocess.Popen:
    deals = [str(d) for d in SAMPLE_DEALS] * 2  # enough work to be interrupted mid-batch
    return subprocess.Popen([str(POWERKIT), "report", *deals, "--jobs", "2", "--out",
                             str(tmp_path / "out")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _workers(proc, n=2, timeout=60.0) -> list:
    """The batch's worker processes, once at least ``n`` are running."""
    me = psutil.Process(proc.pid)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        kids = [k for k in me.children() if "ipykernel" not in " ".join(k.cmdline())]
        if len(kids) >= n:
            return kids
        time.sleep(0.2)
    raise AssertionError("the batch's workers did not start")


def _gone(procs, timeout=20.0) -> list:
    """The processes still alive after ``timeout`` seconds."""
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def test_workers_die_when_the_command_is_killed(tmp_path):
    proc = _start(tmp_path)
    _workers(proc)
    time.sleep(1.0)  # let them start a report each
    # every descendant: the workers, the kernel factory and the kernels it forked
    everyone = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert _gone(everyone) == [], "processes outlived the killed command"


def test_ctrl_c_exits_130_with_one_line(tmp_path):
    proc = _start(tmp_path)
    workers = _workers(proc)
    time.sleep(1.0)
    everyone = psutil.Process(proc.pid).children(recursive=True)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends: the whole foreground group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Traceback" not in out
    # one line from powerkit; the report kernels, left by their workers, may each say that they
    # shut down (ipykernel's parent poller) — their own exit, not an error
    lines = [ln for ln in err.splitlines() if ln.strip()]
    ours = [ln for ln in lines if not ln.startswith("[IPKernelApp]")]
    assert ours == [
        "interrupted: reports written so far are complete, the others were not written"]
    assert all("Parent appears to have exited" in ln for ln in lines if ln not in ours)
    assert _gone(workers) == []
    assert _gone(everyone) == []  # the kernel factory and its kernels too
    assert not [p for p in (tmp_path / "out").glob("*") if p.name.startswith(".")], \
        "a temporary file was left behind"
