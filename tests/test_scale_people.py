"""People scaling (issue 18.9, part A): the coalition plan, the power map and the block
Friedkin–Johnsen solves read V by rows and columns (sparse, never n × n) and give the numbers
of the dense reference.

Where the expected values come from:

* the coalition plan: :func:`_reference_greedy` is the plan's greedy search as it was before
  the change (commit 139f096, ``powerkit/coalitions/path.py``), copied here verbatim: it scores
  every candidate with the **full dense** V = ``friedkin_johnsen(...).total_influence`` of a
  dense W (numpy LU of the n × n system) and rebuilds every set in Python. It is an
  independent method: the code under test uses voters' rows of V from transposed solves and
  one column per chosen person, on a sparse W when the deal is above ``DENSE_MAX``;
* informal power and ``influence_on_others``: Σ_{i≠j} V[i, j] from the dense V (column sums
  minus the diagonal), the definition in docs/methods/coalitions.md §5;
* the block solver: ``numpy.linalg.solve`` on the dense matrix.

No timings here (benchmarks/bench_scale.py measures them); the memory test bounds the traced
peak of the coalition analysis of a 3,000-person deal well below one dense n × n array.
"""
from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from powerkit import coalitions
from powerkit import influence as inf
from powerkit.coalitions.path import coalition_plan, effort_to_win
from powerkit.deal import load_deal
from powerkit.deal.synthetic import make_deal
from powerkit.influence import dynamics

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "data" / "deals" / d for d in ("harbour-council", "northwind-vendor",
                                                   "small-renewal")]


def _reference_greedy(names, x0, trust, wts, supporters0, V, quota, threshold, target,
                      momentum, candidates):
    """The greedy plan of commit 139f096 (dense V, Python sets), verbatim but for names."""
    pos = {p: i for i, p in enumerate(names)}
    n = len(names)
    allies: list = []
    stance = x0.copy()
    sup = set(supporters0)
    for p in supporters0:
        if x0[pos[p]] < target:
            allies.append(p)

    def _apply(ally_list):
        shift = np.zeros(n)
        for a in ally_list:
            j = pos[a]
            d = target - x0[j]
            if V is not None and d != 0:
                shift += V[:, j] * d
        return shift
    anchor_shift = _apply(allies)
    stance = np.clip(x0 + anchor_shift, -1, 1)
    for a in allies:
        stance[pos[a]] = max(target, x0[pos[a]])
    sup |= {names[i] for i in range(n) if stance[i] > threshold}
    support = sum(wts.get(p, 0.0) for p in sup)
    rows = []
    while support < quota - 1e-9:
        best = None
        for p in candidates:
            if p in sup:
                continue
            j = pos[p]
            base = stance[j] if momentum else x0[j]
            e = float(effort_to_win(base, trust[j], target))
            shift = anchor_shift.copy()
            if V is not None and target - x0[j] != 0:
                shift += V[:, j] * (target - x0[j])
            st2 = np.clip(x0 + shift, -1, 1)
            for a in allies + [p]:
                st2[pos[a]] = max(target, x0[pos[a]])
            new = {names[i] for i in range(n) if st2[i] > threshold} | sup | {p}
            gained = sum(wts.get(k, 0.0) for k in new - sup)
            gain = min(gained, quota - support)
            if gain <= 0:
                continue
            key = (e / gain, -gain, str(p))
            if best is None or key < best[0]:
                best = (key, p, e, base, new, shift, st2)
        if best is None:
            break
        _, p, e, base, new, shift, st2 = best
        induced = sorted(new - sup - {p}, key=str)
        allies.append(p)
        anchor_shift, stance = shift, st2
        sup = new
        support = sum(wts.get(k, 0.0) for k in sup)
        rows.append((p, e, tuple(induced), support))
    return rows, sup


def _dense_V(deal, x0):
    W = inf.influence_matrix(deal, sparse=False)  # dense W, dense LU, full n × n inverse
    return inf.friedkin_johnsen(W, x0.reindex(W.index)).total_influence


def _check_plan_equals_reference(deal):
    plan = coalition_plan(deal)
    ins = plan.inputs
    names = list(ins.index)
    x0 = ins["stance"].to_numpy(dtype=float)
    V = _dense_V(deal, ins["stance"]).reindex(index=names, columns=names).fillna(0).to_numpy()
    wts = plan.game.weights.to_dict()
    cands = list(ins.index[ins["candidate"]])
    sup0 = list(ins.index[ins["supporter"]])
    for momentum, got in ((True, plan.steps), (False, plan.collective)):
        rows, _ = _reference_greedy(names, x0, ins["trust"].to_numpy(dtype=float), wts, sup0, V,
                                    plan.game.quota, 0.25, 0.6, momentum, cands)
        assert got["stakeholder"].tolist() == [r[0] for r in rows]
        np.testing.assert_allclose(got["effort"].to_numpy(dtype=float),
                                   [r[1] for r in rows], atol=1e-9, rtol=0)
        assert [tuple(i) for i in got["induced"]] == [r[2] for r in rows]
        if not plan.game.vetoes:  # (a compound game shows the votes, not the encoding)
            np.testing.assert_allclose(got["support_after"].to_numpy(dtype=float),
                                       [r[3] for r in rows], atol=1e-9, rtol=0)
    return plan, V


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_plan_equals_dense_reference_on_the_samples(path):
    _check_plan_equals_reference(load_deal(path))


@pytest.mark.parametrize("n, seed, roles", [(60, 1, False), (200, 5, True), (300, 0, False)])
def test_plan_and_map_sparse_equal_dense_reference(monkeypatch, n, seed, roles):
    deal = make_deal(n, seed=seed, roles=roles)
    # force the sparse path (W a SparseWeights, BiCGSTAB solves) at this small size
    monkeypatch.setattr(dynamics, "DENSE_MAX", 10)
    plan, V = _check_plan_equals_reference(deal)
    assert plan.influence is not None and plan.influence.is_sparse
    assert len(plan.steps) > 0  # the plan did something to compare
    # informal power: Σ_{i≠j} V[i, j] from the dense V, scaled by its maximum (§5)
    names = list(plan.inputs.index)
    others = pd.Series(V.sum(axis=0) - np.diag(V), index=names)
    pm = coalitions.power_map(deal, include_us=True)
    np.testing.assert_allclose(pm["informal"].reindex(names).to_numpy(),
                               (others / others.max()).to_numpy(), atol=1e-9, rtol=0)
    np.testing.assert_allclose(plan.influence.influence_on_others().reindex(names).to_numpy(),
                               others.to_numpy(), atol=1e-9, rtol=0)


def test_what_if_map_reuses_the_plan_model_with_the_same_numbers(monkeypatch):
    deal = make_deal(200, seed=3)
    monkeypatch.setattr(dynamics, "DENSE_MAX", 10)
    r = coalitions.what_if(deal, packages=False)
    alone = coalitions.power_map(deal, game=r.game,
                                 pivotal=[p for p in r.plan.steps["stakeholder"]
                                          if p in r.game.weights.index])
    pd.testing.assert_frame_equal(r.power_map, alone, atol=1e-12, rtol=0)


@pytest.mark.parametrize("seed", range(6))
def test_block_bicgstab_equals_dense_solve(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 80))
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.2)
    np.fill_diagonal(A, 0)
    A += np.diag(rng.uniform(0.05, 1.0, n))
    W = A / A.sum(axis=1, keepdims=True)
    lam = 1 - np.diag(W)
    M = np.eye(n) - lam[:, None] * W
    B = np.hstack([np.eye(n)[:, : min(n, 20)], rng.standard_normal((n, 3)), np.zeros((n, 1))])
    expect = np.linalg.solve(M, B)  # independent: LAPACK's dense solve
    Ms = sp.csr_matrix(M)
    X = dynamics.sparse_solve(Ms, Ms.T.tocsr(), B)
    np.testing.assert_allclose(X, expect, atol=1e-9, rtol=0)
    XT = dynamics.sparse_solve(Ms, Ms.T.tocsr(), B, trans=True)
    np.testing.assert_allclose(XT, np.linalg.solve(M.T, B), atol=1e-9, rtol=0)


def test_coalition_analysis_of_3000_people_builds_no_dense_square():
    n = 3000
    deal = make_deal(n, seed=0)
    voters = int((deal.stakeholders["vote_weight"] > 0).sum())
    coalitions.what_if(make_deal(60))  # imports and first-call caches outside the measurement
    tracemalloc.start()
    try:
        r = coalitions.what_if(deal)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(r.power_map) > 0 and len(r.plan.steps) > 0
    # One dense n × n float array alone is 8·n² = 72 MB. The plan keeps the voters' rows of V
    # and one column per step, the solver blocks of SOLVE_BLOCK right-hand sides (8 arrays of
    # n × 64 floats), the map's diagonal blocks of 256 unit vectors, plus O(n + ties) tables:
    # bound = 8 · n · (voters + 64 · 8 + 256 · 2) + 8 · 64 · (n + ties) ≈ 50 MB < 72 MB.
    bound = 8 * n * (voters + 64 * 8 + 256 * 2) + 8 * 64 * (n + len(deal.ties))
    assert bound < 0.75 * 8 * n * n
    assert peak < bound, f"peak {peak / 1e6:.1f} MB ≥ bound {bound / 1e6:.1f} MB"


def _reference_open_promise(deal, who):
    """The per-person lookup of commit 139f096 (powerkit/power/social.py), verbatim."""
    if not deal.has("commitments"):
        return None
    cm = deal.commitments
    st = deal.stakeholders
    ours = {deal.us} | set(st.index[st["party"] == deal.us])
    mine = cm[cm["by"].isin(ours) & (cm["status"] == "open")
              & ((cm["to"] == who) | (cm["to"] == st.at[who, "party"]))]
    if mine.empty:
        return None
    r = mine.sort_values(["due", "date"], na_position="last", kind="stable").iloc[0]
    when = "" if pd.isna(r["due"]) else f" by {r['due'].date().isoformat()}"
    return f"deliver what we promised: {r['promise']}{when}"


def test_trust_plan_promises_equal_the_per_person_lookup():
    import dataclasses

    from powerkit.power.social import _open_promises, trust_plan

    deal = load_deal(SAMPLES[1])  # northwind-vendor: one open promise to the whole party
    st = deal.stakeholders
    us = st.index[st["party"] == deal.us][0]
    them = list(st.index[st["party"] == deal.counterpart])
    cm = deal.commitments
    day = pd.Timestamp("2026-11-01")
    extra = pd.DataFrame({  # person- and party-level promises, equal and missing due dates
        "commitment": [f"x{k}" for k in range(6)],
        "by": [us, deal.us, us, us, us, them[0]],
        "to": [them[0], them[0], deal.counterpart, them[1], them[1], deal.us],
        "promise": [f"promise {k}" for k in range(6)],
        "date": [day, day - pd.Timedelta(days=3), day, day, day, day],
        "due": [day + pd.Timedelta(days=2), day + pd.Timedelta(days=2), day + pd.Timedelta(days=9),
                pd.NaT, day + pd.Timedelta(days=20), day],
        "status": ["open", "open", "open", "open", "kept", "open"]})
    extra = extra.astype({c: cm[c].dtype for c in extra.columns if c in cm.columns})
    deal = dataclasses.replace(deal, commitments=pd.concat([cm, extra], ignore_index=True))
    promise_to = _open_promises(deal)
    for who in st.index:
        assert promise_to(who) == _reference_open_promise(deal, who), who
    tp = trust_plan(deal)
    assert len(tp) > 0


def test_power_constraints_value_of_3000_people_build_no_dense_square():
    from powerkit import constraints, power, value
    from powerkit.power.social import trust_plan

    n = 3000
    deal = make_deal(n, seed=0)
    small = make_deal(60)
    runs = {"power_profile": power.power_profile, "trust_plan": trust_plan,
            "constraints": constraints.analyse,
            "value": lambda d: value.what_if(d, n_draws=1000, seed=0)}
    for run in runs.values():
        run(small)  # imports and first-call caches outside the measurement
    # One dense n × n float array is 72 MB. These analyses hold per-person columns
    # (O(n + ties) tables: 8 bytes × 64 × (n + ties) ≈ 17 MB) and the value analysis its draws
    # × packages (1,000 × 5⁴ = 625 packages, four float arrays: 20 MB), not a function of n.
    bound = 8 * 64 * (n + len(deal.ties)) + 8 * 1000 * 625 * 4
    assert bound < 8 * n * n
    tracemalloc.start()
    try:
        for name, run in runs.items():
            tracemalloc.reset_peak()
            run(deal)
            peak = tracemalloc.get_traced_memory()[1]
            assert peak < bound, f"{name}: peak {peak / 1e6:.1f} MB ≥ {bound / 1e6:.1f} MB"
    finally:
        tracemalloc.stop()


def test_scatter_labels_only_the_first_points_by_priority():
    """A 10,000-point scatter labels at most MAX_LABELS points, those of highest priority
    (points far apart on a line: every tried point fits, so exactly the top ones are labelled)."""
    from powerkit.plots.common import MAX_LABELS, label_places

    n = MAX_LABELS + 50
    x = [10.0 * i for i in range(n)]
    prio = list(range(n))  # the last MAX_LABELS points have the highest priority
    got = label_places(x, [0.0] * n, prio, [1.0] * n, 0.1)
    assert [p is not None for p in got] == [False] * 50 + [True] * MAX_LABELS
