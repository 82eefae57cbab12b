"""Benchmarks of powerkit.uncertainty (issue 14).

- ``simulate(n=2000)`` on northwind-vendor against the point path one draw would need
  (power_profile + expected_split + who_decides + constraints.analyse + value.what_if), timed on
  100 calls and scaled to 2,000: target >= 50x.
- 10,000 draws on a 2,000-person synthetic deal (make_deal(2000)) against 2,000 draws on the
  sample: target within 10x; the ratio and the peak memory (tracemalloc) are printed. Above
  EXACT_MAX people ``simulate`` draws the people's sums as normals (docs/methods/uncertainty.md
  §2.1); the run prints how many inputs were aggregated and the error bounds it recorded.

Timings are medians of repeats (benchmarks/timing.median_time), measured in this run.
"""
from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from timing import median_time

from powerkit import constraints, load_deal, value
from powerkit.bargaining import expected_split
from powerkit.deal.synthetic import make_deal
from powerkit.influence import who_decides
from powerkit.power import power_profile
from powerkit.uncertainty import simulate

ROOT = Path(__file__).resolve().parents[1]


def _point(deal):
    power_profile(deal)
    expected_split(deal)
    who_decides(deal)
    constraints.analyse(deal)
    value.what_if(deal)


def run() -> list[dict]:
    rows = []
    deal = load_deal(ROOT / "data" / "deals" / "northwind-vendor")
    t_sim, _ = median_time(lambda: simulate(deal, n=2000, seed=0), 3, warmup=True)
    t0 = time.perf_counter()
    for _ in range(100):
        _point(deal)
    t_loop = (time.perf_counter() - t0) / 100 * 2000
    ratio = t_loop / t_sim
    print(f"uncertainty: simulate(n=2000) on northwind-vendor {t_sim:.3f} s; the point analysis "
          f"x 2,000 (100 timed, scaled) {t_loop:.1f} s; ratio {ratio:.0f}x")
    rows.append({"name": "simulate 2000 draws vs point analysis x2000", "value": ratio,
                 "unit": "x", "target": ">= 50x", "ok": ratio >= 50})
    big = make_deal(2000)
    tracemalloc.start()
    t1 = time.perf_counter()
    sim = simulate(big, n=10_000, seed=0)
    t_big = time.perf_counter() - t1
    peak = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    t_big2, _ = median_time(lambda: simulate(big, n=10_000, seed=0), 1)
    t_big = min(t_big, t_big2)  # tracemalloc slows the traced run down
    r2 = t_big / t_sim
    agg = sim.attrs["settings"].get("aggregation", {})
    print(f"uncertainty: 10,000 draws on a 2,000-person deal {t_big:.2f} s "
          f"({sim.attrs['settings']['drawn']} uncertain inputs, "
          f"{agg.get('aggregated_inputs', 0)} of them drawn through their sums, "
          f"{agg.get('per_person_inputs', 0)} per person; Berry-Esseen bound of the balance's "
          f"sums {agg.get('berry_esseen_balance', 0):.3f}; decision shares "
          f"{sim.attrs['settings']['decision_shares']}); 2,000 draws on the sample "
          f"{t_sim:.3f} s; ratio {r2:.1f}x; peak traced memory {peak:.0f} MiB")
    rows.append({"name": "10k draws x 2000 people vs 2k draws on sample", "value": r2,
                 "unit": "x", "target": "<= 10x", "ok": r2 <= 10})
    rows.append({"name": "10k draws x 2000 people peak memory", "value": peak,
                 "unit": "MiB", "target": "reported", "ok": True})
    rows += _report_with_and_without_ranges()
    return rows


def _report_with_and_without_ranges() -> list[dict]:
    """``run_report`` of the sample deal with its ranges (the default) against the same report
    with ``ranges=False`` (the report notebook's parameter): medians of 3 cold-kernel runs."""
    import tempfile

    from powerkit.report import run_report

    deal = ROOT / "data" / "deals" / "northwind-vendor"
    with tempfile.TemporaryDirectory() as t:
        def one(**params):
            r = run_report(deal, Path(t) / "r", params=params or None)
            assert r.ok, r.error
        with_r, _ = median_time(one, 3, warmup=True)
        without, _ = median_time(lambda: one(ranges=False), 3, warmup=True)
    ratio = with_r / without
    print(f"uncertainty: report with ranges {with_r:.2f} s, without {without:.2f} s")
    return [{"name": "report with ranges / without", "value": ratio, "unit": "x",
             "target": "<= 1.3x", "ok": ratio <= 1.3}]


if __name__ == "__main__":
    for r in run():
        print(r)
