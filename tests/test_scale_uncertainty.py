"""People scaling (issue 18.9, part B): the uncertainty analysis's linear and grouped paths
give the numbers of the dense formulations they replaced.

Where the expected values come from (each an independent computation in this file):

* the flip search: :func:`_reference_flip` is ``what_would_flip`` as it was before the
  scaling work (commit 48f9791^, ``powerkit/uncertainty/simulate.py``), copied here: it builds
  the **dense** grid ``inputs × steps`` rows × all inputs and evaluates the balance on full
  rows (every person's rating read from the row, the say-weighted means recomputed), bisecting
  one input at a time. The code under test moves each column's mean instead (one shift per
  column, ``δ_j = Δ / w_j`` per person);
* the sparse influence setup (above ``EXACT_MAX`` people): λ₀ = 1 − diag(W) and the decision
  shares r₀ = (1 − λ₀) ⊙ A₀⁻ᵀ d with A₀ = I − diag(λ₀) W, solved with ``numpy.linalg.solve``
  on the dense W of ``influence_matrix`` (Friedkin & Johnsen 2011, docs/methods/uncertainty.md);
* the exact decision shares of many draws (preconditioned iteration): one dense
  ``numpy.linalg.solve`` per draw of W(λ) = diag(1 − λ) + diag(λ) P, P the off-diagonal of the
  point W over λ₀ (the susceptibility changes the weight on oneself only);
* the Saltelli design: ``SALib.sample.sobol.sample`` itself (same seed);
* the Sobol indices with one factor per column of people's ratings: SALib's sample and
  analysis on the per-person layout (one unit-cube column per person input, ``groups=`` one
  group per column of ratings) evaluated on full rows — the formulation before the change.
  With one drawn person per column both designs are the same points, so the indices agree to
  rounding; with many people per column they are two Monte-Carlo estimates of the same indices
  and agree within SALib's bootstrap confidence;
* ``extras=()``: the same draws through the full model (balance, price and posture unchanged).
* the game plan alone: the game plan given the full walkthrough analyses
  (``influence.what_if``, ``coalitions.what_if``), as the report computes it.

No timings here (docs/performance.md and benchmarks/bench_scale.py); the memory test bounds
the traced peak of ``uncertainty`` on a 3,000-person deal below one dense n × n float64 array.
"""
from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from powerkit.deal import load_deal
from powerkit.deal.synthetic import make_deal
from powerkit.influence import decision_weights, influence_matrix
from powerkit.uncertainty import input_ranges, uncertainty, what_would_flip
from powerkit.uncertainty.model import EXACT_MAX, DealModel, posture_of
from powerkit.uncertainty.ranges import PARTY_RATINGS, PEOPLE_RATINGS, from_unit
from powerkit.uncertainty.sensitivity import saltelli_sample, sobol_indices
from powerkit.uncertainty.simulate import simulate

ROOT = Path(__file__).resolve().parents[1]
NORTHWIND = ROOT / "data" / "deals" / "northwind-vendor"
SENS = sys.modules["powerkit.uncertainty.sensitivity"]  # the module (shadowed by the function)


# -- the flip search ------------------------------------------------------------------------
def _reference_flip(model: DealModel, steps: int = 201, reach: float = 0.5) -> pd.DataFrame:
    """what_would_flip's table as computed before the scaling work (dense grid, full rows)."""
    params = model.params
    cols = set(PARTY_RATINGS) | set(PEOPLE_RATINGS) | {"reservation_price", "batna_value"}
    scan = params[params["table"].isin(["parties", "stakeholders"])
                  & params["column"].isin(cols)]
    x0 = params["value"].to_numpy(dtype=float)

    def answer(X):
        return posture_of(model.balance(X))

    before = answer(x0[None, :])[0]
    idx = scan.index.to_numpy()
    v = x0[idx]
    money = (scan["kind"] == "money").to_numpy()
    lo = np.where(money, v - reach * np.abs(v), 0.0)
    hi = np.where(money, v + reach * np.abs(v), 1.0)
    grid = np.linspace(0, 1, int(steps))
    cand = lo[:, None] + (hi - lo)[:, None] * grid[None, :]
    k, m = cand.shape
    X = np.broadcast_to(x0, (k * m, len(x0))).copy()
    X[np.arange(k * m), np.repeat(idx, m)] = cand.ravel()
    flips = (answer(X) != before).reshape(k, m)
    rows = []
    for a in range(k):
        best = None
        for side in (+1, -1):
            order = np.flatnonzero(cand[a] > v[a]) if side > 0 else \
                np.flatnonzero(cand[a] < v[a])[::-1]
            hit = order[flips[a, order]] if order.size else order
            if not hit.size:
                continue
            j = hit[0]
            pos = np.flatnonzero(order == j)[0]
            good = v[a] if pos == 0 else cand[a, order[pos - 1]]
            bad = cand[a, j]
            for _ in range(40):
                mid = (good + bad) / 2
                Xm = x0.copy()
                Xm[idx[a]] = mid
                if answer(Xm[None, :])[0] != before:
                    bad = mid
                else:
                    good = mid
            if best is None or abs(bad - v[a]) < abs(best - v[a]):
                best = bad
        if best is not None:
            Xb = x0.copy()
            Xb[idx[a]] = best
            rows.append({"input": scan["name"].iloc[a], "new_value": best,
                         "after": answer(Xb[None, :])[0], "range": hi[a] - lo[a]})
    return pd.DataFrame(rows).set_index("input")


@pytest.mark.parametrize("which", ["northwind", "synthetic-60"])
def test_flip_search_equals_the_dense_reference(which):
    deal = load_deal(NORTHWIND) if which == "northwind" else make_deal(60, seed=4)
    model = DealModel(deal, input_ranges(deal, 1.0), people=0)
    want = _reference_flip(model)
    got = what_would_flip(deal, "posture", model=model).table.set_index("input")
    assert len(want) > 0
    assert sorted(got.index) == sorted(want.index)
    got = got.loc[want.index]
    # the bisections end within 2⁻⁴⁰ of a grid step (reference) and 2⁻⁶⁰ of the column's
    # largest shift (people): agreement far below a grid step (range / 200)
    assert np.all(np.abs(got["new_value"] - want["new_value"]) <= 1e-9 * want["range"])
    assert (got["after"] == want["after"]).all()
    people = [i for i in want.index if i.split(":")[2] in PEOPLE_RATINGS]
    assert people  # the people's linear path is exercised


# -- the influence setup and the exact decision shares ---------------------------------------
def test_sparse_influence_setup_equals_the_dense_solve():
    deal = make_deal(EXACT_MAX + 40, seed=2)
    model = DealModel(deal, input_ranges(deal, 1.0), people=0, extras=("decisions",))
    assert not model.exact and model.P is None  # the sparse path
    W = influence_matrix(deal).to_numpy(dtype=float)
    lam0 = np.clip(1.0 - np.diag(W), 0.0, 1.0)
    d = decision_weights(deal).to_numpy(dtype=float)
    r0 = (1 - lam0) * np.linalg.solve((np.eye(len(W)) - lam0[:, None] * W).T, d)
    np.testing.assert_allclose(model.lam0, lam0, atol=1e-14)
    np.testing.assert_allclose(model.r0, r0, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("which", ["northwind", "synthetic-80"])
def test_exact_shares_equal_one_dense_solve_per_draw(which):
    deal = load_deal(NORTHWIND) if which == "northwind" else make_deal(80, seed=5)
    model = DealModel(deal, input_ranges(deal, 1.0), people=0, extras=("decisions",))
    assert model.exact
    W0 = influence_matrix(deal).to_numpy(dtype=float)
    lam0 = np.clip(1.0 - np.diag(W0), 0.0, 1.0)
    off = W0 - np.diag(np.diag(W0))
    P = np.where(lam0[:, None] > 0, off / np.where(lam0 > 0, lam0, 1.0)[:, None], 0.0)
    d = decision_weights(deal).to_numpy(dtype=float)
    rng = np.random.default_rng(7)
    lam = np.clip(lam0[None, :] + rng.uniform(-0.15, 0.15, (12, len(lam0))), 0.0, 0.98)
    lam[:, lam0 == 0] = 0.0
    want = []
    for row in lam:
        Wk = np.diag(1 - row) + row[:, None] * P
        A = np.eye(len(row)) - row[:, None] * Wk
        want.append((1 - row) * np.linalg.solve(A.T, d))
    np.testing.assert_allclose(model.exact_shares(lam), np.array(want), rtol=1e-9, atol=1e-12)


# -- the Sobol indices ------------------------------------------------------------------------
def test_numpy_saltelli_design_equals_salib():
    from SALib.sample import sobol as salib_sobol

    groups = ["a", "b", "b", "c", "a", "d", "d", "d"]
    names = [f"x{i}" for i in range(len(groups))]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names),
               "groups": groups}
    want = salib_sobol.sample(problem, 64, calc_second_order=False, seed=3)
    np.testing.assert_array_equal(saltelli_sample(groups, 64, seed=3), want)


def _reference_sobol(model: DealModel, n: int, seed: int) -> pd.DataFrame:
    """The Sobol indices on the per-person layout: one unit-cube column per drawn input, the
    people's ratings grouped by column (SALib ``groups``), each row a full input vector."""
    params = model.params
    per = (params["table"] == "stakeholders") & params["column"].isin(PEOPLE_RATINGS)
    drawn = params[(params["dist"] != "fixed")
                   & (params["table"].isin(["parties", "weights"]) | per)]
    groups = np.where(per[drawn.index], "stakeholders:*:" + drawn["column"].astype(str),
                      drawn["name"].astype(str)).tolist()
    x0 = params["value"].to_numpy(dtype=float)

    def func(U):
        X = np.broadcast_to(x0, (len(U), len(x0))).copy()
        X[:, drawn.index.to_numpy()] = from_unit(drawn.reset_index(drop=True), U)
        return {"balance": model.balance(X), "predicted_price": model.price(X)[0]}

    return sobol_indices(drawn["name"].tolist(), groups, func, n, seed,
                         quantities=("balance", "predicted_price"))


def _one_person_per_column(deal) -> pd.DataFrame:
    params = input_ranges(deal, 1.0).copy()
    for c in PEOPLE_RATINGS:
        rows = params.index[(params["table"] == "stakeholders") & (params["column"] == c)
                            & (params["dist"] != "fixed")]
        rest = rows[1:]
        params.loc[rest, "dist"] = "fixed"
        params.loc[rest, "low"] = params.loc[rest, "value"]
        params.loc[rest, "high"] = params.loc[rest, "value"]
    return params


def test_sobol_grouped_indices_equal_salib_with_one_person_per_column():
    deal = load_deal(NORTHWIND)
    model = DealModel(deal, _one_person_per_column(deal), people=0)
    got = SENS.sensitivity(deal, n=256, seed=1, model=model).set_index(["quantity", "input"])
    want = _reference_sobol(model, 256, 1).set_index(["quantity", "input"])
    assert sorted(got.index) == sorted(want.index)
    assert any("*" in i for _, i in want.index)
    got = got.loc[want.index]
    for c in ("S1", "S1_conf", "ST", "ST_conf"):
        np.testing.assert_allclose(got[c], want[c], atol=1e-9, err_msg=c)


def test_sobol_grouped_indices_agree_with_the_per_person_design():
    """Many people per column (northwind's 13 counterpart people, only their ratings and the
    source weights uncertain): the column's mean through its quantile function
    (``MEAN_DRAWS`` draws) against SALib on the per-person columns — two estimates of the same
    indices, within twice SALib's confidence half-width (at least 0.02)."""
    deal = load_deal(NORTHWIND)
    params = input_ranges(deal, 1.0, {"parties": 0, "money": 0})
    model = DealModel(deal, params, people=0)
    got = SENS.sensitivity(deal, n=1024, seed=2, model=model)
    got = got[got["quantity"] == "balance"].set_index("input")
    want = _reference_sobol(model, 1024, 2)
    want = want[want["quantity"] == "balance"].set_index("input")
    assert sorted(got.index) == sorted(want.index)
    got = got.loc[want.index]
    assert (want.loc[[i for i in want.index if "*" in i], "ST"] > 0.02).any()
    for c in ("S1", "ST"):
        tol = np.maximum(2 * np.hypot(got[f"{c}_conf"], want[f"{c}_conf"]), 0.02)
        assert np.all(np.abs(got[c] - want[c]) <= tol), (c, got[c] - want[c])


# -- extras ------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["northwind", "synthetic-400"])
def test_extras_off_keeps_the_headline_draws(which):
    """Up to EXACT_MAX people the draws are the same numbers (the inputs are drawn first, in
    the same layout); above it the aggregated layout draws fewer people one by one without the
    decision shares (a different sample of the same distribution): the means agree within
    4 standard errors of their difference."""
    big = which != "northwind"
    deal = make_deal(400, seed=6) if big else load_deal(NORTHWIND)
    n = 2000 if big else 300
    full = simulate(deal, n=n, seed=3)
    lean = simulate(deal, n=n, seed=3, extras=())
    assert not any(c.startswith(("decision_share", "posterior", "forecast", "nash"))
                   for c in lean.columns)
    assert any(c.startswith("decision_share") for c in full.columns)
    for c in ("balance", "predicted_price", "share_us", "posture"):
        if not big:
            pd.testing.assert_series_equal(lean[c], full[c], check_exact=False, rtol=1e-12)
        elif c != "posture" and full[c].notna().all():
            se = np.hypot(full[c].std(), lean[c].std()) / np.sqrt(n)
            assert abs(full[c].mean() - lean[c].mean()) <= 4 * se + 1e-12, c
    with pytest.raises(ValueError, match="extras"):
        DealModel(deal, input_ranges(deal), extras=("nash",))


# -- memory -------------------------------------------------------------------------------------
def test_uncertainty_of_3000_people_stays_below_one_dense_matrix():
    deal = make_deal(3000, n_ties=30_000, seed=0)
    tracemalloc.start()
    try:
        u = uncertainty(deal, n=500, sobol_n=64)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert u.flip is not None and len(u.sobol)
    assert peak < 3000 * 3000 * 8, f"{peak / 2**20:.0f} MB traced"


# -- the game plan reads only the two plans ------------------------------------------------------
@pytest.mark.parametrize("name", ["harbour-council", "northwind-vendor", "small-renewal"])
def test_game_plan_alone_equals_the_plan_from_the_full_analyses(name):
    """game_plan without shared results computes only the influence and coalition plans; the
    reference passes the full walkthrough analyses (influence.what_if, coalitions.what_if),
    as the report does."""
    from powerkit import coalitions, influence
    from powerkit.errors import MissingTableError
    from powerkit.plan import game_plan

    deal = load_deal(ROOT / "data" / "deals" / name)
    try:
        cw = coalitions.what_if(deal, packages=False)
    except MissingTableError:
        cw = None
    full = {"coalitions": cw,
            "influence": influence.what_if(deal) if deal.has("ties") else None}
    want = game_plan(deal, results=full)
    got = game_plan(deal)
    pd.testing.assert_frame_equal(got.steps, want.steps)
    assert got.explanations == want.explanations
