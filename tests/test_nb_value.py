"""Walkthrough 4 (notebooks/04_planning_value_creation.ipynb) run with papermill.

Each run's records are checked against values derived here independently: every package
enumerated from the deal's issues table (numpy brute force, weakly dominated removed), the
fair points by their definitions over all packages, the latest offer read from offers.csv.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import REFERENCE, SAMPLE_DEALS, committed_deal

import powerkit

pytestmark = pytest.mark.slow

NB = "04_planning_value_creation.ipynb"


def enumerate_packages(issues: pd.DataFrame, us: str, them: str) -> pd.DataFrame:
    """Every package with both utilities, straight from the long issues table (GENIUS model)."""
    names = list(pd.unique(issues["issue"]))
    per, util = [], {}
    for side, party in (("us", us), ("them", them)):
        g = issues[issues["party"] == party]
        w = g.groupby("issue", sort=False)["weight"].first()
        w = w / w.sum()
        mx = g.groupby("issue")["rating"].max()
        util[side] = {(r.issue, r.option): w[r.issue] * r.rating / mx[r.issue] if mx[r.issue] else 0.0
                      for r in g.itertuples()}
    for i in names:
        per.append(list(pd.unique(issues.loc[issues["issue"] == i, "option"])))
    rows = []
    for combo in itertools.product(*per):
        rows.append({**dict(zip(names, combo, strict=True)),
                     "us": sum(util["us"].get((i, o), 0.0) for i, o in zip(names, combo, strict=True)),
                     "them": sum(util["them"].get((i, o), 0.0) for i, o in zip(names, combo, strict=True))})
    return pd.DataFrame(rows)


def frontier_points(allp: pd.DataFrame, tol: float = 1e-12) -> np.ndarray:
    u, t = allp["us"].to_numpy(), allp["them"].to_numpy()
    keep = [k for k in range(len(u))
            if not ((u >= u[k] - tol) & (t >= t[k] - tol) & ((u > u[k] + tol) | (t > t[k] + tol))).any()]
    pts = np.unique(np.round(np.c_[u[keep], t[keep]], 9), axis=0)
    return pts[np.argsort(-pts[:, 0])]


def in_zone(path, allp):
    """The packages whose money option lies between the seller's floor and the buyer's
    ceiling, read from the CSVs (labels like 'EUR 1.15m'; a rival in our role bounds the
    counterpart's walk-away): the only ones the analysis may recommend."""
    import re

    import yaml

    parties = pd.read_csv(path / "parties.csv").set_index("party")
    meta = yaml.safe_load((path / "deal.yaml").read_text(encoding="utf-8"))
    us, them = meta["us"], meta["counterpart"]
    seller, buyer = (us, them) if parties.at[us, "role"] == "seller" else (them, us)
    lo, hi = parties.at[seller, "reservation_price"], parties.at[buyer, "reservation_price"]
    for r in parties.index[(parties["side"] == "rival") & (parties["role"] == parties.at[us, "role"])]:
        if them == buyer:
            hi = min(hi, parties.at[r, "reservation_price"])
        else:
            lo = max(lo, parties.at[r, "reservation_price"])

    def amount(label):
        m = re.fullmatch(r"EUR (\d+(?:\.\d+)?)([km])", str(label))
        return None if m is None else float(m[1]) * {"k": 1e3, "m": 1e6}[m[2]]

    keep = pd.Series(True, index=allp.index)
    for col in allp.columns.drop(["us", "them"]):
        a = allp[col].map(amount)
        if a.notna().all():
            keep &= (a >= lo) & (a <= hi)
    return allp[keep]


def check(records, allp, d, alpha, allowed=None):
    pts = frontier_points(allp)
    assert records["packages"] == len(allp)
    np.testing.assert_allclose(np.c_[records["frontier_us"], records["frontier_them"]], pts, atol=1e-9)
    allowed = allp if allowed is None else allowed
    z = allowed[(allowed["us"] > d[0]) & (allowed["them"] > d[1])]
    if len(z) == 0:
        assert records["nash"] is None and records["kalai"] is None
        return
    a = records["alpha"] if alpha is None else alpha
    best = ((z["us"] - d[0]) ** a * (z["them"] - d[1]) ** (1 - a)).max()
    nu, nt = records["nash"]
    assert (nu - d[0]) ** a * (nt - d[1]) ** (1 - a) == pytest.approx(best, rel=1e-9)
    assert sum(records["utilitarian"]) == pytest.approx((z["us"] + z["them"]).max(), rel=1e-12)
    assert len(records["p_beats_batna"]) == len(pts)
    assert all(0 <= p <= 1 for p in records["p_beats_batna"])


def check_proposal(records, allp, proposal, allowed=None):
    assert records["proposal"] == proposal
    row = allp.loc[(allp[list(proposal)] == pd.Series(proposal)).all(axis=1)].iloc[0]
    allowed = allp if allowed is None else allowed  # improvements only within the zone
    u, t = allowed["us"].to_numpy(), allowed["them"].to_numpy()
    tol = 1e-12
    dominated = bool(((u >= row["us"] - tol) & (t >= row["them"] - tol)
                      & ((u > row["us"] + tol) | (t > row["them"] + tol))).any())
    assert records["proposal_dominated"] == dominated
    # value left on the table for us: best U among packages at least as good for them
    gap_us = u[t >= row["them"] - tol].max() - row["us"]
    gap_them = t[u >= row["us"] - tol].max() - row["them"]
    assert records["left_on_table"][0] == pytest.approx(gap_us, abs=1e-9)
    assert records["left_on_table"][1] == pytest.approx(gap_them, abs=1e-9)


@pytest.mark.parametrize("path", SAMPLE_DEALS, ids=lambda p: p.name)
def test_notebook_on_sample_deals(run_notebook, path):
    # the notebook's own deal with its committed 1,000 draws: that run is also the notebook as
    # committed, which nbval would otherwise run a second time (tests/conftest.py)
    draws = {} if path == committed_deal(NB) else {"n_draws": 200}
    records = run_notebook(NB, deal_path=str(path), batna_us=0.3, batna_them=0.3, **draws)
    deal = powerkit.load_deal(path)
    assert records["deal_id"] == deal.id
    allp = enumerate_packages(pd.read_csv(path / "issues.csv"), deal.us, deal.counterpart)
    allowed = in_zone(path, allp)
    check(records, allp, (0.3, 0.3), None, allowed)
    if (path / "offers.csv").exists():
        of = pd.read_csv(path / "offers.csv")
        last = of[of["round"] == of["round"].max()]
        proposal = dict(zip(last["issue"], last["option"], strict=True))
        check_proposal(records, allp, proposal, allowed)


def test_notebook_on_itex_cypress_reference(run_notebook):
    proposal = {"Price": "$3.98", "Delivery": "30 days", "Payment": "Upon delivery",
                "Returns": "Full price"}
    records = run_notebook(NB, reference="itex-cypress", proposed=proposal, alpha=0.5,
                           batna_us=0.2, batna_them=0.25, n_draws=200)
    raw = pd.read_csv(REFERENCE / "itex_cypress_scoring.csv")
    issues = pd.concat([raw.assign(party=p, rating=raw[f"{p}_evaluation"],
                                   weight=raw[f"{p}_issue_weight"])[["issue", "option", "party", "rating", "weight"]]
                        for p in ("itex", "cypress")])
    allp = enumerate_packages(issues, "itex", "cypress")
    assert records["deal_id"] == "itex-cypress" and records["packages"] == 180
    check(records, allp, (0.2, 0.25), 0.5)
    check_proposal(records, allp, proposal)


def test_notebook_with_empty_zopa(run_notebook):
    path = next(p for p in SAMPLE_DEALS if p.name == "small-renewal")
    records = run_notebook(NB, deal_path=str(path), batna_us=0.99, batna_them=0.99, n_draws=50)
    deal = powerkit.load_deal(path)
    allp = enumerate_packages(pd.read_csv(path / "issues.csv"), deal.us, deal.counterpart)
    check(records, allp, (0.99, 0.99), None)
    assert records["nash"] is None
