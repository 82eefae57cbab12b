"""Walkthrough 2's section "Who sees the network right": papermill runs on Krackhardt's
cognitive social structures (data/reference/krackhardt-css) and on the sample deals (which have
no perceived ties: the section is one line).

Expected values are computed here with numpy loops on the raw perceived-ties file, independently
of powerkit.perception."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import REFERENCE, SAMPLE_DEALS

NB = "02_mapping_informal_influence.ipynb"


def _css(folder, kind):
    t = pd.read_csv(folder / "perceived_ties.csv")
    t = t[t["kind"] == kind]
    people = [str(p) for p in pd.read_csv(folder / "stakeholders.csv")["stakeholder"]]
    pos = {p: i for i, p in enumerate(people)}
    n = len(people)
    r = np.zeros((n, n, n), dtype=int)
    for k, i, j in zip(t["perceiver"].astype(str), t["source"].astype(str),
                       t["target"].astype(str), strict=True):
        r[pos[k], pos[i], pos[j]] = 1
    return r, people


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["advice", "friendship"])
def test_notebook_on_krackhardt_css(run_notebook, kind):
    folder = REFERENCE / "krackhardt-css"
    rec = run_notebook(NB, deal_path=str(folder), perceived_kind=kind)
    r, people = _css(folder, kind)
    n = len(people)
    off = [(i, j) for i in range(n) for j in range(n) if i != j]
    inter = np.zeros((n, n), dtype=int)
    union = np.zeros((n, n), dtype=int)
    for i, j in off:
        inter[i, j] = r[i, i, j] * r[j, i, j]
        union[i, j] = max(r[i, i, j], r[j, i, j])
    share = r.sum(axis=0) / n
    cas = np.array([[1 if i != j and share[i, j] >= 0.5 else 0 for j in range(n)]
                    for i in range(n)])
    h = rec["perception"]
    assert h["kind"] == kind and h["n_perceivers"] == 21
    assert h["las_intersection_ties"] == inter.sum()
    assert h["las_union_ties"] == union.sum()
    assert h["consensus_ties"] == cas.sum()
    # accuracy: Pearson correlation of each view with the intersection over the 420 cells
    y = np.array([inter[i, j] for i, j in off], dtype=float)
    phi = {people[k]: np.corrcoef(np.array([r[k, i, j] for i, j in off], dtype=float), y)[0, 1]
           for k in range(n)}
    best = max(phi, key=phi.get)
    assert h["most_accurate_id"] == best
    assert h["most_accurate_score"] == pytest.approx(phi[best])
    assert h["mean_accuracy"] == pytest.approx(np.mean(list(phi.values())))
    acc = pd.DataFrame(**{k: rec["perception_accuracy"][k] for k in ("data", "columns")},
                       index=[str(i) for i in rec["perception_accuracy"]["index"]])
    for k in range(n):
        hits = sum(1 for i, j in off if r[k, i, j] and inter[i, j])
        fa = sum(1 for i, j in off if r[k, i, j] and not inter[i, j])
        assert (acc.loc[people[k], "hits"], acc.loc[people[k], "false_alarms"]) == (hits, fa)
    # consensus top 3 advisers: most in-ties in the consensus structure (first in order on ties)
    indeg = cas.sum(axis=0)
    order = sorted(range(n), key=lambda j: (-indeg[j], j))
    assert h["consensus_top"] == [people[j] for j in order[:3] if indeg[j] > 0]


@pytest.mark.slow
@pytest.mark.parametrize("deal", SAMPLE_DEALS, ids=lambda p: p.name)
def test_notebook_on_sample_deals(run_notebook, deal):
    # the sample deals have no perceived ties (the section is one line); should one gain them,
    # the section must run on it and count its perceivers
    rec = run_notebook(NB, deal_path=str(deal))
    assert rec["n_people"] == len(pd.read_csv(deal / "stakeholders.csv"))
    f = deal / "perceived_ties.csv"
    advice = (pd.read_csv(f, dtype=str).query("kind == 'advice'") if f.exists()
              else pd.DataFrame(columns=["perceiver"]))
    if advice.empty:
        assert rec["perception"] is None and rec["perception_accuracy"] is None
    else:
        assert rec["perception"]["n_perceivers"] == advice["perceiver"].nunique()
