"""Big deals (issue 18, item 8): ``powerkit tables`` on 6 issues × 8 options (262,144 packages)
and 12 × 8 (6.9·10¹⁰ packages) against ``powerkit report`` on a sample deal, as whole commands
measured in this run, with the peak resident memory of each command's process tree (polled from
/proc every 50 ms, children and grandchildren included). Also the analysis alone,
``powerkit.coalitions.acceptable_packages`` on 12 × 8, in this process.

Targets: tables on 12 × 8 at most 1.5 × the sample report's wall time; every command's process
tree under 1 GB. Environment: ``BENCH_PACKAGES_REPEATS`` (default 1 run per command).
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

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "data" / "deals" / "northwind-vendor"


def _row(name, value, unit, target, ok):
    return {"name": name, "value": value, "unit": unit, "target": target, "ok": bool(ok)}


def tree_rss(root: int) -> int:
    """Resident bytes of process ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read()
            with open(f"/proc/{d}/statm") as f:
                rss[int(d)] = int(f.read().split()[1]) * page
        except OSError:
            continue
        children.setdefault(int(st[st.rindex(")") + 2:].split()[1]), []).append(int(d))
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def command(args: list[str]) -> tuple[float, int, int]:
    """(seconds, peak tree RSS bytes, return code) of one ``powerkit`` command."""
    t0 = time.perf_counter()
    p = subprocess.Popen([str(BIN / "powerkit"), *args], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, cwd=ROOT)
    peak = 0
    while p.poll() is None:
        peak = max(peak, tree_rss(p.pid))
        time.sleep(0.05)
    return time.perf_counter() - t0, peak, p.returncode


def run() -> list[dict]:
    from powerkit import coalitions
    from powerkit.deal.synthetic import make_deal, write_deal

    repeats = int(os.environ.get("BENCH_PACKAGES_REPEATS", "1"))
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        runs = {"report sample deal (northwind-vendor)": ["report", str(SAMPLE)],
                "tables sample deal (northwind-vendor)": ["tables", str(SAMPLE)]}
        for i, o in ((6, 8), (12, 8)):
            folder = write_deal(make_deal(60, seed=0, issues=i, options=o), tmp / f"d{i}x{o}")
            runs[f"tables {i} issues x {o} options ({o ** i:,} packages)"] = ["tables", str(folder)]
        secs = {}
        for name, args in runs.items():
            got = [command([*args, "--out", str(tmp / "out")]) for _ in range(repeats)]
            s = statistics.median(g[0] for g in got)
            peak = max(g[1] for g in got)
            ok = all(g[2] == 0 for g in got)
            secs[name] = s if ok else float("nan")
            rows.append(_row(f"powerkit {name}: wall time" + ("" if ok else " — FAILED"), s, "s",
                             "informational", ok))
            rows.append(_row(f"powerkit {name}: peak RSS of the process tree", peak / 1e9, "GB",
                             "< 1 GB", ok and peak < 1e9))
        ref = secs["report sample deal (northwind-vendor)"]
        for name, s in secs.items():
            if name.startswith("tables ") and "issues" in name:
                r = s / ref
                rows.append(_row(f"{name} / report sample deal", r, "ratio", "≤ 1.5",
                                 r <= 1.5))
        deal = make_deal(60, seed=0, issues=12, options=8)
        sec, pk = median_time(lambda: coalitions.acceptable_packages(deal), 3)
        rows.append(_row("acceptable_packages, 12 x 8 (in process, median of 3)", sec, "s",
                         "informational", len(pk) > 0))
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{r['name']}: {r['value']:.3g} {r['unit']} (target {r['target']}) "
              f"{'ok' if r['ok'] else 'NOT MET'}")
