"""A deal over time (issue 15): ``diff`` of two 2,000-person versions and ``portfolio`` of 50
deals, each printed with its ratio to one report's time, measured in this run.

- diff: ``powerkit.versions.diff`` between a synthetic 2,000-person deal
  (``make_deal(2000, roles=True)``) and a later version of it (30 stances, two parties' inputs,
  20 ties removed, ``as_of`` a week later): input changes, headlines of both versions, exact
  Shapley attribution (players grouped by table beyond 12 changes). Median of 3.
- portfolio: ``load_portfolio`` + every analysis of ``powerkit.portfolio`` on 50 deal folders of
  200 people each (the same people, versions a week apart), written once (not timed). Median of 3.
- the report: ``run_report`` on the sample deal (cold kernel, papermill + nbconvert), median of 3.
The issue sets no target for these ratios: they are information.
"""
from __future__ import annotations

import dataclasses
import tempfile
from datetime import timedelta
from pathlib import Path

import numpy as np
from timing import median_time

from powerkit.deal.synthetic import make_deal, write_deal
from powerkit.paths import sample_deal
from powerkit.portfolio import load_portfolio, summary
from powerkit.report import run_report
from powerkit.versions import diff


def _later(deal, rng, days=7, people=30, ties=20):
    st = deal.stakeholders.copy()
    who = rng.choice(st.index.to_numpy(), size=people, replace=False)
    st.loc[who, "stance"] = np.round(rng.uniform(-1, 1, size=people), 2)
    pt = deal.parties.copy()
    for p in pt.index[:2]:
        pt.loc[p, "resources"] = round(float(rng.uniform(0, 1)), 2)
    t = deal.ties.drop(index=rng.choice(deal.ties.index.to_numpy(), size=ties, replace=False))
    meta = dataclasses.replace(deal.meta, as_of=deal.meta.as_of + timedelta(days=days))
    return dataclasses.replace(deal, stakeholders=st, parties=pt,
                               ties=t.reset_index(drop=True), meta=meta)


def run() -> list[dict]:
    rng = np.random.default_rng(0)
    old = make_deal(2000, seed=1, roles=True)
    new = _later(old, rng)
    d_s, d = median_time(lambda: diff(old, new), 3)
    with tempfile.TemporaryDirectory() as t:
        root = Path(t) / "pf"
        base = make_deal(200, seed=2, roles=True)
        v = base
        for i in range(50):
            write_deal(dataclasses.replace(v, meta=dataclasses.replace(v.meta, id=f"deal-{i:02d}")),
                       root / f"deal-{i:02d}")
            v = _later(v, rng, people=5, ties=3)
        p_s, _ = median_time(lambda: summary(load_portfolio(root)), 3)

        def one():
            r = run_report(sample_deal(), Path(t) / "rep")
            assert r.ok, r.error
        r_s, _ = median_time(one, 3, warmup=True)
    return [
        {"name": f"diff 2,000 people ({len(d.changes)} changes, by {d.grouping}), s",
         "value": d_s, "unit": "s", "target": "info", "ok": True},
        {"name": "diff / one report", "value": d_s / r_s, "unit": "ratio", "target": "info",
         "ok": True},
        {"name": "portfolio of 50 deals (200 people each), s", "value": p_s, "unit": "s",
         "target": "info", "ok": True},
        {"name": "portfolio / one report", "value": p_s / r_s, "unit": "ratio", "target": "info",
         "ok": True},
        {"name": "one report (northwind-vendor), s", "value": r_s, "unit": "s", "target": "info",
         "ok": True},
    ]
