"""Benchmark of walkthrough 1 (powerkit.power): the widget callback on the sample deal and on a
synthetic deal of 2,000 stakeholders (issue 3 targets: < 50 ms and < 1 s).

The widgets call one function, :func:`powerkit.power.what_if`, with what the controls hold:
* ``batna``: the BATNA slider moved (our BATNA value changed);
* ``deadline``: their-deadline slider moved (months from the clock date);
* ``weights``: a weight slider moved;
* ``date``: the event-date selector moved to the last event (events applied up to it).
A further row times the whole refresh a slider triggers (what_if plus the plotly figures and
tables the widget redraws; drawing into the notebook itself is left out: no kernel here).
Each row is the median of REPEATS wall-clock runs (time.perf_counter) after a warm-up; the
target column also gives the ratio value/target and the median CPU time of the process
(time.process_time), which a busy machine inflates less than wall-clock time. A floor row per deal (copying the deal's
tables, which every callback must do) shows how much of the time is the analysis itself.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from timing import median_time

import powerkit
from powerkit import power as pw

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "deals" / "northwind-vendor"
REPEATS = 9


def _median_ms(fn, repeats: int = REPEATS, clock=time.perf_counter) -> float:
    return median_time(fn, repeats, warmup=True, clock=clock)[0] * 1e3


def _callbacks(deal) -> dict:
    b = float(deal.parties.at[deal.us, "batna_value"])
    last = deal.events["date"].max() if deal.has("events") else None
    return {
        "batna": lambda: pw.what_if(deal, batna=0.8 * b),
        "deadline": lambda: pw.what_if(deal, their_deadline=2.0),
        "weights": lambda: pw.what_if(deal, weights={"systemic": 0.2, "batna": 0.5}),
        "date": lambda: pw.what_if(deal, at=last),
    }


def _rows(label: str, deal, target_ms: float) -> list[dict]:
    rows = []
    floor = _median_ms(lambda: deal.replace(parties=deal.parties.copy(),
                                            stakeholders=deal.stakeholders.copy()))
    for name, fn in _callbacks(deal).items():
        v = _median_ms(fn)
        cpu = _median_ms(fn, clock=time.process_time)
        rows.append({"name": f"what_if[{name}] {label}", "value": v, "unit": "ms",
                     "target": f"< {target_ms:g} ms (x{v / target_ms:.2f}; cpu {cpu:.0f} ms; "
                               f"{v / floor:.0f}x floor)",
                     "ok": v < target_ms, "ratio_to_target": v / target_ms, "cpu_ms": cpu})
    # the whole refresh a slider triggers: what_if plus the figures and tables it redraws
    from powerkit.widgets.power import build_power_widgets

    box = build_power_widgets(deal)
    sl = box.controls["systemic"]
    vals = iter(np.tile([0.3, 0.5], REPEATS + 1))
    v = _median_ms(lambda: setattr(sl, "value", float(next(vals))))
    rows.append({"name": f"widget refresh (what_if + figures) {label}", "value": v,
                 "unit": "ms", "target": f"< {target_ms:g} ms (x{v / target_ms:.2f})",
                 "ok": v < target_ms, "ratio_to_target": v / target_ms})
    rows.append({"name": f"floor (copy tables) {label}", "value": floor, "unit": "ms",
                 "target": "reference", "ok": True})
    return rows


def run() -> list[dict]:
    rows = _rows(f"{SAMPLE.name} ({len(powerkit.load_deal(SAMPLE).stakeholders)} people)",
                 powerkit.load_deal(SAMPLE), 50.0)
    try:
        from powerkit.deal.synthetic import make_deal
    except ImportError:
        rows.append({"name": "what_if synthetic 2000 people", "value": float("nan"),
                     "unit": "ms", "target": "< 1000 ms (powerkit.synthetic absent)",
                     "ok": False})
        return rows
    big = make_deal(2000)
    rows += _rows(f"synthetic ({len(big.stakeholders)} people, {len(big.ties)} ties)", big,
                  1000.0)
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{r['name']:<60} {r['value']:>9.1f} {r['unit']:<3} {r['target']}")
