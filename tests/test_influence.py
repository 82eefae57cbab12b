"""Tests of powerkit.influence. Every expected number says where it comes from."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from powerkit import influence as inf
from powerkit.influence import (
    NoConsensusError,
    NotStochasticError,
    degroot_weights,
    friedkin_johnsen,
    influence_matrix,
    load_reference,
)


# -- DeGroot -------------------------------------------------------------------------------------
def test_degroot_jackson_example():
    # Jackson (2008), Social and Economic Networks, ch. 8 (and his Coursera lecture 6.5, "the
    # limit … converges to 3/11, 4/11, 4/11"): T = [[1/3,1/3,1/3],[1/2,1/2,0],[0,1/4,3/4]].
    T = [[1 / 3, 1 / 3, 1 / 3], [1 / 2, 1 / 2, 0], [0, 1 / 4, 3 / 4]]
    s = degroot_weights(T)
    np.testing.assert_allclose(s.to_numpy(), [3 / 11, 4 / 11, 4 / 11], atol=1e-12)


def test_degroot_equal_weights_reciprocal_is_degree_share():
    # Jackson (2008) §8.3 / Coursera 6.6: with mutual ties, equal weight on each neighbour and a
    # self-loop counted as a neighbour, s_i = d_i / Σ d (d_i counts the self-loop).
    # Path 0-1-2 with self-loops: degrees (2, 3, 2) → s = (2/7, 3/7, 2/7).
    T = [[1 / 2, 1 / 2, 0], [1 / 3, 1 / 3, 1 / 3], [0, 1 / 2, 1 / 2]]
    np.testing.assert_allclose(degroot_weights(T).to_numpy(), [2 / 7, 3 / 7, 2 / 7], atol=1e-12)


def test_degroot_errors():
    with pytest.raises(NotStochasticError, match="row-stochastic"):
        degroot_weights([[0.5, 0.4], [0.5, 0.5]])
    with pytest.raises(NotStochasticError, match="row-stochastic"):
        degroot_weights([[1.5, -0.5], [0.5, 0.5]])
    # two people who only listen to themselves: two closed groups, no consensus
    with pytest.raises(NoConsensusError, match="2 closed groups"):
        degroot_weights(np.eye(2))
    # two people who only listen to each other: periodic (period 2), opinions swap forever
    with pytest.raises(NoConsensusError, match="periodic"):
        degroot_weights([[0, 1], [1, 0]])


def test_degroot_matches_power_iteration():
    # independent method: rows of T^t converge to s (Jackson 2008, Thm 8.2)
    rng = np.random.default_rng(1)
    A = rng.random((6, 6)) * (rng.random((6, 6)) < 0.6) + np.eye(6) * 0.1
    T = A / A.sum(axis=1, keepdims=True)
    limit = np.linalg.matrix_power(T, 500)[0]
    np.testing.assert_allclose(degroot_weights(T).to_numpy(), limit, atol=1e-10)


# -- Friedkin–Johnsen ----------------------------------------------------------------------------
def test_fj_published_four_person_group():
    # Friedkin & Johnsen (1999) four-person group, reproduced in Parsegov, Proskurnikov, Tempo &
    # Friedkin (2017, IEEE TAC 62(5)) and Proskurnikov & Tempo's tutorial (Part II, 2018):
    # W below, Λ = I − diag(W), x(0) = (25, 25, 75, 85) → x* ≈ (60, 60, 75, 75).
    W = [[0.220, 0.120, 0.360, 0.300], [0.147, 0.215, 0.344, 0.294],
         [0, 0, 1, 0], [0.090, 0.178, 0.446, 0.286]]
    fj = friedkin_johnsen(W, [25, 25, 75, 85])
    np.testing.assert_allclose(fj.final.to_numpy(), [60, 60, 75, 75], atol=0.05)
    # the total influence matrix V is row-stochastic (Friedkin & Johnsen 1999)
    np.testing.assert_allclose(fj.total_influence.sum(axis=1), 1.0, atol=1e-12)


def test_fj_two_person_by_hand():
    # Hand derivation: W = [[1-a, a], [b, 1-b]], Λ = diag(a, b) (the default I − diag W).
    # x1 = a(1-a)x1 + a·a·x2 + (1-a)y1 ... solved: with a = 0.5, b = 0.2, y = (0, 1):
    #   x1 = 0.5(0.5x1 + 0.5x2),            → 0.75x1 = 0.25x2 → x2 = 3x1
    #   x2 = 0.2(0.2x1 + 0.8x2) + 0.8,      → 0.84x2 = 0.04x1 + 0.8
    #   → 2.52x1 = 0.04x1 + 0.8 → x1 = 0.8/2.48 = 10/31, x2 = 30/31.
    fj = friedkin_johnsen([[0.5, 0.5], [0.2, 0.8]], [0.0, 1.0])
    np.testing.assert_allclose(fj.final.to_numpy(), [10 / 31, 30 / 31], atol=1e-12)
    np.testing.assert_allclose(fj.susceptibility.to_numpy(), [0.5, 0.2])


def test_fj_matches_iteration_and_degroot_limit():
    # independent method: iterate x(t+1) = ΛWx(t) + (I−Λ)x0 to convergence
    rng = np.random.default_rng(7)
    A = rng.random((7, 7)) * (rng.random((7, 7)) < 0.5) + np.diag(rng.random(7))
    W = A / A.sum(axis=1, keepdims=True)
    x0 = rng.uniform(-1, 1, 7)
    lam = rng.uniform(0.2, 0.9, 7)
    x = x0.copy()
    for _ in range(2000):
        x = lam * (W @ x) + (1 - lam) * x0
    fj = friedkin_johnsen(W, x0, susceptibility=lam)
    np.testing.assert_allclose(fj.final.to_numpy(), x, atol=1e-10)
    # contributions add up to the final opinions
    np.testing.assert_allclose(fj.contributions.sum(axis=1).to_numpy(), x, atol=1e-10)


def test_fj_errors():
    with pytest.raises(NotStochasticError):
        friedkin_johnsen([[0.5, 0.6], [0, 1]], [0, 1])
    with pytest.raises(ValueError, match="one value per row"):
        friedkin_johnsen(np.eye(2), [0, 1, 2])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        friedkin_johnsen(np.eye(2), [0, 1], susceptibility=[0.5, 1.5])
    # fully susceptible pair listening only to each other: no unique limit
    with pytest.raises(NoConsensusError, match="fully susceptible"):
        friedkin_johnsen([[0, 1], [1, 0]], [0, 1])


# -- influence matrix of a deal ------------------------------------------------------------------
def test_influence_matrix_krackhardt():
    deal = load_reference("krackhardt")
    W = influence_matrix(deal, kinds="advice")
    assert list(W.index) == [str(i) for i in range(1, 22)]
    np.testing.assert_allclose(W.sum(axis=1), 1.0)
    assert (W.to_numpy() >= 0).all()
    # manager 2's advice ties, read independently from the reference CSV
    adv = pd.read_csv(inf._reference_dir() / "krackhardt_advice_edges.csv")
    outs = adv[adv.ego == 2].alter.astype(str).tolist()
    d = len(outs)
    # default self-weight rule: one more voice → W[i,i] = 1/(d+1), each listened-to 1/(d+1)
    assert W.loc["2", "2"] == pytest.approx(1 / (d + 1))
    for j in outs:
        assert W.loc["2", j] == pytest.approx(1 / (d + 1))
    # Friedkin–Johnsen default Λ = I − diag(W) recovers λ = d/(d+1)
    fj = friedkin_johnsen(W, np.zeros(21))
    assert fj.susceptibility["2"] == pytest.approx(d / (d + 1))


def test_influence_matrix_isolated_and_susceptibility():
    deal = load_reference("krackhardt")
    st = deal.stakeholders.copy()
    st.loc["1", "susceptibility"] = 0.3
    ties = deal.ties[deal.ties.source != "5"]  # 5 now listens to no one
    d2 = deal.replace(stakeholders=st, ties=ties)
    W = influence_matrix(d2, kinds=["advice"])
    assert W.loc["5", "5"] == 1.0 and W.loc["5"].sum() == 1.0
    assert W.loc["1", "1"] == pytest.approx(0.7)
    assert W.loc["1"].drop("1").sum() == pytest.approx(0.3)
    with pytest.raises(ValueError, match="'kinds' parameter"):
        influence_matrix(deal, kinds="gossip")
    # no ties table: identity
    W0 = influence_matrix(deal.replace(ties=None))
    np.testing.assert_allclose(W0.to_numpy(), np.eye(21))
