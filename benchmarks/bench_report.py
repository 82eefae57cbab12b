"""Report time for a sample deal ÷ papermill time of a one-cell notebook (the floor).

Both are measured here, in this run, as medians of 5, with the same kernel and renderer. The
floor is what any papermill report must pay (kernel start, one cell, shutdown); the ratio says
how much powerkit's analysis and HTML conversion add on top. Also: a batch of 8 deals on all
cores versus one at a time (speed-up).
"""
from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from powerkit.nbtools import execute
from powerkit.report import run_report, run_reports

ROOT = Path(__file__).resolve().parents[1]
DEAL = ROOT / "data" / "deals" / "northwind-vendor"
REPEATS = 5


def _floor_notebook(tmp: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    p = nbformat.v4.new_code_cell('deal_path = ""')
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell("1 + 1")]
    path = tmp / "floor.ipynb"
    nbformat.write(nb, str(path))
    return path


def _median(fn, n=REPEATS) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


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
        deals = [DEAL] * 8
        t0 = time.perf_counter()
        run_reports(deals, tmp / "serial", jobs=1)
        serial = time.perf_counter() - t0
        t0 = time.perf_counter()
        run_reports(deals, tmp / "parallel", jobs=os.cpu_count())
        parallel = time.perf_counter() - t0
    ratio = report / floor
    speedup = serial / parallel
    return [
        {"name": "papermill floor (1-cell notebook)", "value": floor, "unit": "s",
         "target": "reference", "ok": True},
        {"name": "report northwind-vendor", "value": report, "unit": "s", "target": "reference",
         "ok": True},
        {"name": "report / floor", "value": ratio, "unit": "ratio", "target": "<= 1.5", "ok": ratio <= 1.5},
        {"name": f"batch of 8: serial / parallel ({os.cpu_count()} cores)", "value": speedup,
         "unit": "ratio", "target": ">= 1.7", "ok": speedup >= 1.7},
    ]
