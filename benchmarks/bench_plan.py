"""What the game plan (issue 13) adds to a report, measured in this run.

The report computes the walkthroughs' analyses once (``powerkit.sections.shared_analyses``) and
the brief's plan reads them, so the plan's own cost is what the brief adds on top: the package
plan (the zone, the restricted frontier, the ladder), the engagement sequence, timing, risks and
the brief's tables. Measured per sample deal as the median of 5 runs of
``powerkit.sections.brief.section(deal, result=shared)`` against the median of 3 in-process
``run_report`` runs of the same deal (cold kernel, papermill + nbconvert, as ``bench_report``).
Target: ≤ 10% of the report's time. Also shown: the plan without shared analyses (each analysis
run again), what a caller pays who asks for a plan alone.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from timing import median_time

import powerkit as pk
from powerkit.plan import game_plan
from powerkit.report import run_report
from powerkit.sections import brief, shared_analyses

ROOT = Path(__file__).resolve().parents[1]
DEALS = [ROOT / "data" / "deals" / n for n in ("northwind-vendor", "harbour-council",
                                               "small-renewal")]


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as t:
        for path in DEALS:
            deal = pk.load_deal(path)
            shared = shared_analyses(deal)
            plan_s, _ = median_time(lambda d=deal, s=shared: brief.section(d, result=s), 5,
                                    warmup=True)
            alone, _ = median_time(lambda d=deal: game_plan(d), 3, warmup=True)

            def one(p=path):
                r = run_report(p, Path(t) / "rep")
                assert r.ok, r.error
            report, _ = median_time(one, 3, warmup=True)
            share = plan_s / report
            rows += [
                {"name": f"plan share of report ({path.name})", "value": share, "unit": "ratio",
                 "target": "<= 0.10", "ok": share <= 0.10},
                {"name": f"plan in report, s ({path.name})", "value": plan_s, "unit": "s",
                 "target": f"report {report:.2f} s", "ok": True},
                {"name": f"plan alone, s ({path.name})", "value": alone, "unit": "s",
                 "target": "info", "ok": True},
            ]
    return rows
