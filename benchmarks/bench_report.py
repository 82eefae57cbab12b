"""Report time for a sample deal ÷ papermill time of a one-cell notebook (the floor).

Measured here, in this run, in two ways:

* in this process (medians of 5): ``papermill.execute_notebook`` of a one-cell notebook against
  ``run_report`` — same kernel, same papermill, cold kernels for both. The ratio says how much
  powerkit's imports, analysis and HTML conversion add to papermill's fixed cost. Also shown:
  the report when a spare kernel (powerkit.kernels) was started and is warm, as a persistent
  process that keeps one ready would see it.
* as commands (medians of 3, fresh processes): ``papermill floor.ipynb out.ipynb`` against
  ``powerkit report <deal>`` — what a consultant waits for at the shell, Python start-up and
  every import included.

Also: a batch of 8 deals on all cores versus one at a time (speed-up). See docs/performance.md.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import median_time

from powerkit import kernels
from powerkit.kernels import execute, write_notebook
from powerkit.report import run_report, run_reports

ROOT = Path(__file__).resolve().parents[1]
DEAL = ROOT / "data" / "deals" / "northwind-vendor"
REPEATS = 5


def _floor_notebook(tmp: Path) -> Path:
    return write_notebook(tmp / "floor.ipynb", "1 + 1", parameters='deal_path = ""')


def _median(fn, n=REPEATS) -> float:
    return median_time(fn, n)[0]


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        floor_nb = _floor_notebook(tmp)
        floor = _median(lambda: execute(floor_nb, tmp / "floor-out.ipynb",
                                        parameters={"deal_path": str(DEAL)}, cwd=tmp))
        def one():
            r = run_report(DEAL, tmp / "rep")
            assert r.ok, r.error
        report = _median(one)

        def warm():
            kernels.prestart()
            kernels.wait_ready()
            t0 = time.perf_counter()
            one()
            return time.perf_counter() - t0
        warm_report = statistics.median(warm() for _ in range(REPEATS))
        bindir = Path(sys.executable).parent
        cli_floor = _median(lambda: subprocess.run(
            [str(bindir / "papermill"), "-k", "python3", "--no-progress-bar", str(floor_nb),
             str(tmp / "cli-floor-out.ipynb"), "-p", "deal_path", str(DEAL)],
            check=True, capture_output=True), n=3)
        cli_report = _median(lambda: subprocess.run(
            [str(bindir / "powerkit"), "report", str(DEAL), "--out", str(tmp / "cli")],
            check=True, capture_output=True), n=3)
        deals = [DEAL] * 8
        t0 = time.perf_counter()
        run_reports(deals, tmp / "serial", jobs=1)
        serial = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_reports(deals, tmp / "parallel")  # the default: one worker more than cores
        parallel = time.perf_counter() - t0
    ratio = report / floor
    speedup = serial / parallel
    cli_ratio = cli_report / cli_floor
    return [
        {"name": "papermill floor (1-cell notebook)", "value": floor, "unit": "s",
         "target": "reference", "ok": True},
        {"name": "report northwind-vendor", "value": report, "unit": "s", "target": "reference",
         "ok": True},
        {"name": "report / floor", "value": ratio, "unit": "ratio", "target": "<= 1.5", "ok": ratio <= 1.5},
        {"name": "report, spare kernel warm", "value": warm_report, "unit": "s",
         "target": "reference", "ok": True},
        {"name": "report (spare kernel warm) / floor", "value": warm_report / floor, "unit": "ratio",
         "target": "reference", "ok": True},
        {"name": "command: papermill 1-cell notebook", "value": cli_floor, "unit": "s",
         "target": "reference", "ok": True},
        {"name": "command: powerkit report northwind-vendor", "value": cli_report, "unit": "s",
         "target": "reference", "ok": True},
        {"name": "command: powerkit report / papermill", "value": cli_ratio, "unit": "ratio",
         "target": "<= 1.5", "ok": cli_ratio <= 1.5},
        {"name": f"batch of 8: serial / parallel ({os.cpu_count()} cores, "
                 f"{min(8, (os.cpu_count() or 1) + 1)} workers)", "value": speedup,
         "unit": "ratio", "target": ">= 1.7", "ok": speedup >= 1.7},
    ]
