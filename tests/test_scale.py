"""Company-scale networks (issue 17.3) and people-scaling (issue 18.9): the fast backend gives
networkx's values, the sparse Friedkin–Johnsen gives the dense one's, and the influence analysis
of a 3,000-person deal builds no n × n dense array.

Every expected value comes from an independent method: networkx itself (the reference
implementation), a dense linear solve, a brute-force triple loop, or a stated sampling bound.
"""
from __future__ import annotations

import importlib
import itertools
import math
import tracemalloc
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from powerkit import influence as inf
from powerkit.deal import load_deal
from powerkit.deal.reference import load_reference
from powerkit.deal.synthetic import make_deal
from powerkit.influence import fast
from powerkit.influence.brokerage import brokerage_roles

ROOT = Path(__file__).resolve().parents[1]
DEALS = [ROOT / "data" / "deals" / d for d in ("harbour-council", "northwind-vendor",
                                                 "small-renewal")]


def _num(df):
    return df.select_dtypes("number")


def _same(a: pd.DataFrame, b: pd.DataFrame, atol=1e-10):
    a, b = _num(a), _num(b.reindex(index=a.index))
    assert list(a.columns) == list(b.columns)
    assert (a.isna() == b.isna()).all().all()
    np.testing.assert_allclose(a.to_numpy(dtype=float), b.to_numpy(dtype=float), atol=atol,
                               rtol=0, equal_nan=True)


def _matrix(G, nodes, weight="weight"):
    idx = {v: i for i, v in enumerate(nodes)}
    r, c, w = [], [], []
    for u, v, d in G.edges(data=True):
        if u != v:
            r.append(idx[u])
            c.append(idx[v])
            w.append(float(d.get(weight, 1.0)))
    return sp.csr_matrix((w, (r, c)), shape=(len(nodes), len(nodes)))


# -- backend equality on the reference cases --------------------------------------------------
@pytest.mark.parametrize("kinds", [None, "advice", "friendship"])
def test_krackhardt_measures_fast_equal_networkx(kinds):
    deal = load_reference("krackhardt")
    _same(inf.measures(deal, kinds, backend="networkx"), inf.measures(deal, kinds, backend="fast"))


@pytest.mark.parametrize("path", DEALS, ids=[p.name for p in DEALS])
def test_sample_deals_fast_equal_networkx(path):
    deal = load_deal(path)
    if not deal.has("ties"):
        pytest.fail(f"{path.name} has no ties")  # all three sample deals have ties
    _same(inf.measures(deal, backend="networkx"), inf.measures(deal, backend="fast"))
    a = inf.factions(deal, backend="networkx")
    b = inf.factions(deal, backend="fast")
    assert a.equals(b) and a.attrs["cut_value"] == pytest.approx(b.attrs["cut_value"], abs=1e-9)


def test_karate_club_centralities_and_cut():
    # Zachary's karate club as a directed graph with both directions (weights: 1 per tie).
    G = nx.karate_club_graph().to_directed()
    nodes = list(G)
    A = _matrix(G, nodes, weight=None)
    _same(inf.centrality_table(G, weight=None), fast.fast_centrality_table(A, nodes, weighted=False))
    # Zachary's split from the minimum cut between 0 (Mr. Hi) and 33 (the officer): networkx's
    # faction_table is the reference; both extreme minimum cuts must agree member by member.
    ref = inf.faction_table(nx.karate_club_graph(), 0, 33, weight=None)
    small, large, value = fast.mincut_sides(A, 0, 33)
    assert value == ref.attrs["cut_value"] == 10.0  # Zachary's cut of 10 ties (weight=None)
    assert [("a" if s else "b") for s in small] == ref["side"].tolist()
    assert (large & ~small).tolist() == ref["uncertain"].tolist()


def test_without_igraph_the_fast_path_falls_back_with_the_same_values(monkeypatch):
    # the compiled library is optional (pyproject extra "scale"): without it the fast path
    # uses scipy's batched Brandes and networkx's Edmonds–Karp, with no error
    monkeypatch.setattr(fast, "has_igraph", lambda: False)
    deal = load_reference("krackhardt")
    _same(inf.measures(deal, "advice", backend="networkx"),
          inf.measures(deal, "advice", backend="fast"))
    assert inf.factions(deal, "advice", backend="networkx").equals(
        inf.factions(deal, "advice", backend="fast"))


def test_synthetic_deal_above_the_auto_switch():
    deal = make_deal(1100, seed=4)  # auto picks "fast" here; k = 256 sampled sources
    _same(inf.measures(deal, backend="networkx"), inf.measures(deal))


# -- random graphs ---------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(n=st.integers(3, 14), p=st.floats(0.05, 0.6), seed=st.integers(0, 10_000),
       groups=st.integers(1, 4))
def test_random_graphs_fast_equal_networkx(n, p, seed, groups):
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.integers(1, 4))
    nodes = list(G)
    A = _matrix(G, nodes)
    _same(inf.centrality_table(G), fast.fast_centrality_table(A, nodes))
    for engine in ("igraph", "scipy"):
        _same(inf.path_measures(G), fast.path_measures_sparse(A, nodes, engine=engine))
    grp = {v: int(rng.integers(groups)) for v in nodes}
    ref = brokerage_roles(G, grp)
    got = fast.brokerage_sparse(A, [grp[v] for v in nodes])
    assert (ref.to_numpy() == got.to_numpy()).all()


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 9), p=st.floats(0.1, 0.8), seed=st.integers(0, 10_000))
def test_brokerage_against_brute_force(n, p, seed):
    # independent count: every ordered triple of distinct nodes a → b → c with no a → c
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    g = {v: v % 3 for v in G}
    expect = np.zeros((n, 5), dtype=int)
    col = {(True, True, True): 0, (False, False, True): 1, (False, True, False): 2,
           (True, False, False): 3, (False, False, False): 4}
    for a, b, c in itertools.permutations(G.nodes, 3):
        if G.has_edge(a, b) and G.has_edge(b, c) and not G.has_edge(a, c):
            expect[b, col[(g[a] == g[b], g[b] == g[c], g[a] == g[c])]] += 1
    got = fast.brokerage_sparse(_matrix(G, list(G)), [g[v] for v in G])
    assert (got.iloc[:, :5].to_numpy() == expect).all()


@settings(max_examples=25, deadline=None)
@given(n=st.integers(4, 12), p=st.floats(0.15, 0.7), seed=st.integers(0, 10_000))
def test_random_mincut_sides_equal_networkx(n, p, seed):
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(n, p, seed=seed)
    for u, v in G.edges:
        G[u][v]["weight"] = float(rng.integers(1, 5))
    ref = inf.faction_table(G, 0, n - 1)
    A = _matrix(G.to_directed(), list(G))
    small, large, value = fast.mincut_sides(A, 0, n - 1)
    assert value == pytest.approx(ref.attrs["cut_value"], abs=1e-9)
    assert [("a" if s else "b") for s in small] == ref["side"].tolist()
    assert (large & ~small).tolist() == ref["uncertain"].tolist()


def test_sampled_betweenness_is_networkx_sample_and_within_its_error():
    G = nx.gnp_random_graph(300, 0.02, seed=7, directed=True)
    nodes = list(G)
    A = _matrix(G, nodes)
    k = 100
    got = fast.path_measures_sparse(A, nodes, k=k, seed=3)["betweenness"].to_numpy()
    # 1. the same estimate as networkx's (same k sources from random.Random(seed))
    ref = nx.betweenness_centrality(G, k=k, seed=3)
    np.testing.assert_allclose(got, [ref[v] for v in nodes], atol=1e-12, rtol=0)
    # 2. the stated sampling error: each source's share δ_s(v)/(n − 2) lies in [0, 1], so by
    # Hoeffding's inequality (valid for sampling without replacement) every node's estimate is
    # within ε = sqrt(ln(2n/δ) / (2k)) of the exact value with probability ≥ 1 − δ (union
    # bound over the n nodes); δ = 0.001 → ε ≈ 0.25 at k = 100, n = 300.
    exact = nx.betweenness_centrality(G)
    eps = math.sqrt(math.log(2 * len(nodes) / 0.001) / (2 * k))
    assert np.max(np.abs(got - np.array([exact[v] for v in nodes]))) <= eps


# -- sparse vs dense Friedkin–Johnsen ---------------------------------------------------------
@pytest.mark.parametrize("kinds", [None, "advice"])
def test_sparse_fj_equals_dense_krackhardt(kinds):
    deal = load_reference("krackhardt")
    deal = deal.replace(stakeholders=deal.stakeholders.assign(
        stance=np.linspace(-1, 1, len(deal.stakeholders))))
    Wd = inf.influence_matrix(deal, kinds)
    Ws = inf.influence_matrix(deal, kinds, sparse=True)
    np.testing.assert_array_equal(Ws.to_frame().to_numpy(), Wd.to_numpy())
    fd = inf.opinion_forecast(deal, kinds, W=Wd)
    fs = inf.opinion_forecast(deal, kinds, W=Ws)
    assert fs.is_sparse and not fd.is_sparse
    np.testing.assert_allclose(fs.final, fd.final, atol=1e-10)
    V = fd.total_influence.to_numpy()  # dense inverse: the reference
    np.testing.assert_allclose(fs.influence_on_others(), V.sum(axis=0) - np.diag(V), atol=1e-10)
    np.testing.assert_allclose(fs.influence_rows(["7", "2"]).to_numpy(), V[[6, 1]], atol=1e-10)
    np.testing.assert_allclose(fs.influence_columns(["2"]).to_numpy()[:, 0], V[:, 1], atol=1e-10)
    wd = inf.who_decides(deal, kinds, W=Wd)
    ws = inf.who_decides(deal, kinds, W=Ws)
    np.testing.assert_allclose(ws["real_weight"].reindex(wd.index), wd["real_weight"],
                               atol=1e-10)
    assert inf.engagement_plan(deal, 3, kinds, W=Ws).order == \
        inf.engagement_plan(deal, 3, kinds, W=Wd).order
    gd = inf.relationship_gaps(deal, kinds, W=Wd)
    gs = inf.relationship_gaps(deal, kinds, W=Ws)
    assert gd["stakeholder"].tolist() == gs["stakeholder"].tolist()
    np.testing.assert_allclose(gs["forecast_gain"], gd["forecast_gain"], atol=1e-10)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 25), seed=st.integers(0, 10_000))
def test_sparse_fj_equals_dense_solve(n, seed):
    rng = np.random.default_rng(seed)
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.3)
    np.fill_diagonal(A, 0)
    A += np.diag(rng.uniform(0.05, 1.0, n))  # everyone keeps some weight on themselves: λ < 1
    W = A / A.sum(axis=1, keepdims=True)
    x0 = rng.uniform(-1, 1, n)
    lam = 1 - np.diag(W)
    # independent: x* = (I − ΛW)⁻¹ (I − Λ) x₀ by numpy's dense solve
    expect = np.linalg.solve(np.eye(n) - lam[:, None] * W, (1 - lam) * x0)
    fs = inf.friedkin_johnsen(sp.csr_matrix(W), x0)
    np.testing.assert_allclose(fs.final.to_numpy(), expect, atol=1e-9)


# -- no n × n dense array in the analysis path ------------------------------------------------
def test_influence_analysis_of_3000_people_builds_no_dense_square():
    n = 3000
    deal = make_deal(n, seed=0)
    m = len(deal.ties)
    inf.what_if(make_deal(60))  # imports and first-call caches outside the measurement
    importlib.import_module("igraph")  # (the fast path's library; its import is not the analysis)
    tracemalloc.start()
    try:
        view = inf.what_if(deal)
        assert len(view.gaps) and len(view.factions) == n  # both computed on first use
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # One dense n × n float array alone is 8·n² = 72 MB. The sparse path holds O(n + m)
    # arrays and blocks of at most 256 columns (betweenness sources, screened relationship
    # gaps): bound = 8 bytes × 64 × (n + m) + 8 × n × 256 × 4 ≈ 41 MB < 72 MB.
    bound = 8 * 64 * (n + m) + 8 * n * 256 * 4
    assert bound < 8 * n * n
    assert peak < bound, f"peak {peak / 1e6:.1f} MB ≥ bound {bound / 1e6:.1f} MB"
