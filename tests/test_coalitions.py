"""Tests of powerkit.coalitions: published voting games, brute force, Monte Carlo, deal level.

Where every expected number comes from is said next to it: a published source, a hand
derivation in the comment, or an independent method (brute-force enumeration written here,
the PyPI package ``powerindex`` as a peer, powerkit.value's independent utility code).
"""
from __future__ import annotations

import itertools
import json
import math
import warnings
from datetime import date
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_DEALS
from hypothesis import given, settings
from hypothesis import strategies as st

import powerkit as pk
from powerkit import coalitions as pc
from powerkit.coalitions import (
    InvalidGameError,
    cheapest_winning_set,
    count_minimal_winning_coalitions,
    dummy_players,
    is_blocking,
    is_winning,
    minimal_blocking_coalitions,
    minimal_winning_coalitions,
    pivot,
    pivotal_players,
    power_indices,
    swing_counts,
    veto_players,
)
from powerkit.sections.coalitions import section as coalitions_section

PERMANENT = ["CN", "FR", "RU", "UK", "US"]
UNSC = {**{p: 7 for p in PERMANENT}, **{f"E{i}": 1 for i in range(10)}}   # [39; 7×5, 1×10]
EEC = {"FR": 4, "DE": 4, "IT": 4, "BE": 2, "NL": 2, "LU": 1}                 # [12; …], 1958
NASSAU_1958 = {"H1": 9, "H2": 9, "NH": 7, "OB": 3, "LB": 1, "GC": 1}          # [16; …]


# --------------------------------------------------------------------------------------------
# independent brute force (enumerates all coalitions; used only on small games)
# --------------------------------------------------------------------------------------------
def brute(w: list[int], q: int):
    n = len(w)
    swings = [0] * n
    ss = [Fraction(0)] * n
    for mask in range(1 << n):
        t = sum(w[i] for i in range(n) if mask >> i & 1)
        s = bin(mask).count("1")
        for i in range(n):
            if not mask >> i & 1 and q - w[i] <= t < q:
                swings[i] += 1
                ss[i] += Fraction(math.factorial(s) * math.factorial(n - 1 - s), math.factorial(n))
    return swings, ss


def brute_mwc(w: dict, q: float) -> set:
    players = list(w)
    out = set()
    for r in range(1, len(players) + 1):
        for c in itertools.combinations(players, r):
            t = sum(w[p] for p in c)
            if t >= q and all(t - w[p] < q for p in c):
                out.add(frozenset(c))
    return out


# --------------------------------------------------------------------------------------------
# published games
# --------------------------------------------------------------------------------------------
class TestPublishedGames:
    def test_un_security_council_shapley_shubik(self):
        # Since 1965: 15 members, 9 votes incl. all 5 permanent = [39; 7×5, 1×10].
        # A non-permanent member is pivotal only as the 9th voter after the 5 permanent and 3
        # of the 9 other non-permanent: C(9,3)·8!·6!/15! = 4/2145 ≈ 0.001865; a permanent
        # member gets (1 − 10·4/2145)/5 = 421/2145 ≈ 0.1963 (method of Shapley & Shubik 1954;
        # the 4/2145 figure is the one usually quoted, e.g. gonitsora.com "Veto starting to
        # sound really good").
        t = power_indices(UNSC, 39, exact=True)
        assert t.loc["US", "shapley_shubik"] == Fraction(421, 2145)
        assert t.loc["E3", "shapley_shubik"] == Fraction(4, 2145)
        f = power_indices(UNSC, 39)
        assert f.loc["FR", "shapley_shubik"] == pytest.approx(0.1963, abs=5e-5)
        assert f.loc["E0", "shapley_shubik"] == pytest.approx(0.001865, abs=5e-7)

    def test_un_security_council_banzhaf(self):
        # Hand count of swings. Permanent member: the other 4 permanent plus ≥ 4 of the 10
        # non-permanent: Σ_{k=4..10} C(10,k) = 1024 − (1+10+45+120) = 848. Non-permanent: all
        # 5 permanent plus exactly 3 of the other 9: C(9,3) = 84. Total 5·848 + 10·84 = 5080.
        t = power_indices(UNSC, 39, exact=True)
        assert int(t.loc["CN", "swings"]) == 848 and int(t.loc["E9", "swings"]) == 84
        assert t.loc["CN", "banzhaf"] == Fraction(848, 5080)
        assert t.loc["E9", "banzhaf"] == Fraction(84, 5080)
        assert t.loc["CN", "banzhaf_absolute"] == Fraction(848, 2 ** 14)

    def test_security_council_1954(self):
        # The council Shapley & Shubik (1954) analysed: 11 members, 7 votes incl. all 5
        # permanent = [27; 5×5, 1×6]. Non-permanent pivotal as 7th voter after the 5 permanent
        # and 1 of 5 others: C(5,1)·6!·4!/11! = 1/462; the paper's "98.7 per cent" of power for
        # the five permanent members together is 1 − 6/462 = 380/385.
        w = {**{p: 5 for p in PERMANENT}, **{f"E{i}": 1 for i in range(6)}}
        t = power_indices(w, 27, exact=True)
        assert t.loc["E0", "shapley_shubik"] == Fraction(1, 462)
        assert sum(t.loc[PERMANENT, "shapley_shubik"]) == Fraction(380, 385)
        assert float(sum(t.loc[PERMANENT, "shapley_shubik"])) == pytest.approx(0.987, abs=5e-4)

    def test_eec_1958_luxembourg_has_no_power(self):
        # Treaty of Rome, Council of Ministers 1958–72 (see Games 9(2):29, 2018, "Luxembourg in
        # the early days of the EEC: null player or not?"): [12; 4,4,4,2,2,1].
        # Hand count of swings (coalitions S of the others with 12 − w ≤ w(S) ≤ 11):
        #  • a 4-vote member, others {4,4,2,2,1}, w(S) ∈ [8,11]: with both 4s, any subset of
        #    {2,2,1} of weight ≤ 3 → {}, {1}, {2a}, {2b}, {2a,1}, {2b,1} = 6; with one 4 (2
        #    ways), {2,2} or {2,2,1} → 4; without a 4 the most is 5 → 0. Total 10.
        #  • a 2-vote member, others {4,4,4,2,1}, w(S) ∈ [10,11]: a pair of 4s + the 2 (3
        #    pairs) with or without the 1 → 6.
        #  • Luxembourg, w(S) = 11: every other weight is even → 0 (a dummy).
        # Normalised Banzhaf: 10/42 = 5/21, 6/42 = 1/7, 0.
        # Shapley–Shubik by hand (Σ over those coalitions of s!(5−s)!/6!): 4-vote member:
        # sizes 2,3,4 occur 1,5,4 times → (2!3! + 5·3!2! + 4·4!1!)/720 = 168/720 = 7/30;
        # 2-vote member: sizes 3 and 4, 3 times each → (3·12 + 3·24)/720 = 3/20.
        t = power_indices(EEC, 12, exact=True)
        assert t["swings"].tolist() == [10, 10, 10, 6, 6, 0]
        assert t.loc["FR", "banzhaf"] == Fraction(5, 21)
        assert t.loc["BE", "banzhaf"] == Fraction(1, 7)
        assert t.loc["FR", "shapley_shubik"] == Fraction(7, 30)
        assert t.loc["NL", "shapley_shubik"] == Fraction(3, 20)
        assert t.loc["LU", "shapley_shubik"] == 0 and t.loc["LU", "banzhaf"] == 0
        assert dummy_players(EEC, 12) == ["LU"]

    def test_textbook_nassau_county_1958(self):
        # Nassau County Board of Supervisors 1958, [16; 9,9,7,3,1,1] (Banzhaf 1965; Malkevitch,
        # AMS Feature Column "Voting games II"; COMAP, For All Practical Purposes ch. 11):
        # Oyster Bay (3), Long Beach (1) and Glen Cove (1) are dummies; any two of the three
        # large members win, so each holds 1/3 of the power by either index.
        # (Straffin 1993 could not be consulted here: this textbook case stands in for it.)
        t = power_indices(NASSAU_1958, 16, exact=True)
        assert dummy_players(NASSAU_1958, 16) == ["OB", "LB", "GC"]
        for p in ("H1", "H2", "NH"):
            assert t.loc[p, "shapley_shubik"] == Fraction(1, 3)
            assert t.loc[p, "banzhaf"] == Fraction(1, 3)

    @pytest.mark.parametrize("w,q,expected", [
        # Stach (2011), Encyclopedia of Power, as printed in the R CoopGame docs:
        # [50; 10,10,20,30] → 1/12, 1/12, 1/4, 7/12.
        ([10, 10, 20, 30], 50, [Fraction(1, 12), Fraction(1, 12), Fraction(1, 4),
                                Fraction(7, 12)]),
        # Wikipedia "Shapley–Shubik power index" example: [4; 3,2,1,1] → 1/2, 1/6, 1/6, 1/6.
        ([3, 2, 1, 1], 4, [Fraction(1, 2)] + [Fraction(1, 6)] * 3),
    ])
    def test_published_shapley_shubik(self, w, q, expected):
        assert power_indices(w, q, exact=True)["shapley_shubik"].tolist() == expected

    @pytest.mark.parametrize("w,q,expected", [
        # R CoopGame docs, nonNormalizedBanzhafIndex (Chakravarty, Mitra & Sarkar 2015):
        ([8, 6, 4, 2], 12, [0.625, 0.375, 0.375, 0.125]),
        ([50, 49, 1], 51, [0.75, 0.25, 0.25]),
        ([50, 30, 20], 67, [0.75, 0.25, 0.25]),
    ])
    def test_published_absolute_banzhaf(self, w, q, expected):
        assert power_indices(w, q)["banzhaf_absolute"].tolist() == pytest.approx(expected)


# --------------------------------------------------------------------------------------------
# brute force, large games, Monte Carlo
# --------------------------------------------------------------------------------------------
@st.composite
def small_games(draw):
    n = draw(st.integers(1, 8))
    w = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
    if sum(w) == 0:
        w[0] = 1
    q = draw(st.integers(1, sum(w)))
    return w, q


@settings(max_examples=80, deadline=None)
@given(small_games())
def test_exact_equals_brute_force(game):
    w, q = game
    swings, ss = brute(w, q)
    t = power_indices(w, q, exact=True)
    assert t["swings"].tolist() == swings
    assert t["shapley_shubik"].tolist() == ss
    assert sum(t["shapley_shubik"]) == 1
    assert swing_counts(w, q).tolist() == swings
    total = sum(swings)
    assert t["banzhaf"].tolist() == [Fraction(s, total) for s in swings]


@settings(max_examples=60, deadline=None)
@given(small_games())
def test_minimal_winning_coalitions_equal_brute_force(game):
    w, q = game
    wd = {f"p{i}": x for i, x in enumerate(w)}
    got = {frozenset(c) for c in minimal_winning_coalitions(wd, q)["members"]}
    expected = brute_mwc(wd, q)
    assert got == expected
    assert count_minimal_winning_coalitions(wd, q) == len(expected)
    # minimal blocking coalitions = minimal winning of the dual game [W − q + 1]
    blocking = {frozenset(c) for c in minimal_blocking_coalitions(wd, q)["members"]}
    assert blocking == brute_mwc(wd, sum(w) - q + 1)
    for c in blocking:
        assert is_blocking(wd, q, c)


def test_large_game_exact_against_independent_dp():
    # 90 players: counts exceed 2^63, so the prime/CRT layers are used. Independent check: a
    # plain Python-int DP of the *other* players' coalitions by (size, weight) for a few
    # players, written here without generating-function division.
    rng = np.random.default_rng(5)
    w = rng.integers(0, 5, 90).tolist()
    q = int(sum(w) * 0.6)
    t = power_indices(w, q, exact=True)
    assert t["swings"].dtype == object and max(t["swings"]) > 2 ** 63
    assert swing_counts(w, q).tolist() == t["swings"].tolist()   # 1-D path, same CRT
    n = len(w)
    for i in (0, 17, 63):
        others = [x for j, x in enumerate(w) if j != i]
        C = [[0] * q for _ in range(n)]
        C[0][0] = 1
        for x in others:
            for s in range(n - 1, 0, -1):
                row, prev = C[s], C[s - 1]
                for k in range(q - 1, x - 1, -1):
                    row[k] += prev[k - x]
        lo = max(0, q - w[i])
        assert t["swings"].iloc[i] == sum(sum(C[s][lo:q]) for s in range(n))
        ss = sum(Fraction(math.factorial(s) * math.factorial(n - 1 - s), math.factorial(n))
                 * sum(C[s][lo:q]) for s in range(n))
        assert t["shapley_shubik"].iloc[i] == ss


def test_200_players_exact_sums_and_monte_carlo_and_peer():
    powerindex = pytest.importorskip("powerindex")
    rng = np.random.default_rng(11)
    w = {f"v{i}": int(x) for i, x in enumerate(rng.integers(1, 11, 200))}
    q = sum(w.values()) // 2 + 1
    t = power_indices(w, q, exact=True)
    assert sum(t["shapley_shubik"]) == 1 and sum(t["banzhaf"]) == 1
    # peer: powerindex's Banzhaf (its Shapley–Shubik overflows float(200!))
    g = powerindex.Game(q, list(w.values()))
    g.calc_banzhaf()
    assert np.abs(np.array(g.banzhaf) - t["banzhaf"].astype(float).to_numpy()).max() < 1e-12
    # Monte Carlo (seeded): the exact values lie inside the 99.9 % intervals of (almost) all
    mc = power_indices(w, q, method="monte_carlo", n_samples=20_000, seed=3, confidence=0.999)
    ex_ss = t["shapley_shubik"].astype(float)
    inside = (mc["shapley_shubik_low"] <= ex_ss) & (ex_ss <= mc["shapley_shubik_high"])
    assert inside.mean() >= 0.99
    ex_ab = t["banzhaf_absolute"].astype(float)
    inside = (mc["banzhaf_absolute_low"] <= ex_ab) & (ex_ab <= mc["banzhaf_absolute_high"])
    assert inside.mean() >= 0.99


def test_monte_carlo_non_integer_weights_security_council():
    # Halving every weight and the quota keeps the game: [19.5; 3.5×5, 0.5×10]. Non-integer
    # weights go to Monte Carlo under method="auto"; the published exact values (421/2145,
    # 4/2145; swings 848/2^14, 84/2^14) must lie within the 99.9 % intervals.
    w = {k: v / 2 for k, v in UNSC.items()}
    mc = power_indices(w, 19.5, n_samples=40_000, seed=1, confidence=0.999)
    assert mc.attrs["method"] == "monte_carlo"
    for p, ss, ab in (("US", 421 / 2145, 848 / 2 ** 14), ("E2", 4 / 2145, 84 / 2 ** 14)):
        assert mc.loc[p, "shapley_shubik_low"] <= ss <= mc.loc[p, "shapley_shubik_high"]
        assert mc.loc[p, "banzhaf_absolute_low"] <= ab <= mc.loc[p, "banzhaf_absolute_high"]
    again = power_indices(w, 19.5, n_samples=40_000, seed=1, confidence=0.999)
    pd.testing.assert_frame_equal(mc, again)  # seeded → reproducible


def test_gcd_reduction_and_fractional_quota():
    # Same game: [12; 4,4,4,2,2,1] ×10 with quota 115 (≥ 115 ⇔ ≥ 12 in units of 10 since
    # all totals are multiples of 10 — 115 rounds up to 120).
    a = power_indices({k: 10 * v for k, v in EEC.items()}, 115, exact=True)
    b = power_indices(EEC, 12, exact=True)
    assert a["shapley_shubik"].tolist() == b["shapley_shubik"].tolist()
    assert power_indices(EEC, 11.5, exact=True)["swings"].tolist() == b["swings"].tolist()


class TestInvalidGames:
    @pytest.mark.parametrize("quota", [0, -1, 18, float("nan"), "12", True])
    def test_bad_quota(self, quota):
        with pytest.raises(InvalidGameError, match="The 'quota' parameter of power_indices"):
            power_indices(EEC, quota)

    def test_negative_weight(self):
        with pytest.raises(InvalidGameError, match="non-negative"):
            power_indices({"a": 3, "b": -1}, 2)

    def test_duplicate_players(self):
        with pytest.raises(InvalidGameError, match="duplicate players"):
            power_indices(pd.Series([1, 2, 3], index=["a", "b", "a"]), 3)

    def test_non_numeric_and_empty(self):
        with pytest.raises(InvalidGameError, match="must hold numbers"):
            power_indices({"a": "3"}, 1)
        with pytest.raises(InvalidGameError, match="non-empty"):
            power_indices({}, 1)

    def test_non_integer_exact(self):
        with pytest.raises(InvalidGameError, match="integers for the exact method"):
            power_indices({"a": 1.5, "b": 1}, 2, method="exact")

    def test_is_a_value_error(self):
        with pytest.raises(ValueError):
            power_indices(EEC, 100)

    def test_bad_method(self):
        with pytest.raises(InvalidGameError, match="'method'"):
            power_indices(EEC, 12, method="enumerate")


class TestCoalitionHelpers:
    def test_eec_minimal_winning(self):
        # Hand: {FR,DE,IT} = 12, and two 4s + both 2s = 12 (3 ways); no coalition with LU is
        # minimal (LU is never needed). 4 in all.
        mwc = minimal_winning_coalitions(EEC, 12)
        got = {frozenset(c) for c in mwc["members"]}
        assert got == {frozenset(s) for s in (("FR", "DE", "IT"), ("FR", "DE", "BE", "NL"),
                                              ("FR", "IT", "BE", "NL"), ("DE", "IT", "BE", "NL"))}
        assert (mwc["surplus"] == 0).all()

    def test_unsc_blocking(self):
        # Blocking iff the others cannot reach 39, i.e. w(B) > 45 − 39 = 6: one permanent
        # member (the veto), or 7 of the 10 elected members: 5 + C(10,7) = 125 minimal ones.
        b = minimal_blocking_coalitions(UNSC, 39)
        assert len(b) == 5 + math.comb(10, 7)
        assert veto_players(UNSC, 39) == PERMANENT

    def test_truncation_warns_and_counts(self):
        w = {f"p{i}": 1 for i in range(12)}  # majority of 12: C(12,7) = 792 minimal
        with pytest.warns(UserWarning, match="first 10 of 792"):
            mwc = minimal_winning_coalitions(w, 7, limit=10)
        assert len(mwc) == 10 and mwc.attrs["truncated"] and mwc.attrs["total"] == 792

    def test_pivots(self):
        # [4; 3,2,1,1]: in {A,B,C} (6 votes) only A is critical (6−3 = 3 < 4, 6−2 = 4, 6−1 = 5).
        w = {"A": 3, "B": 2, "C": 1, "D": 1}
        assert pivotal_players(w, 4, ["A", "B", "C"]) == ["A"]
        assert pivotal_players(w, 4, ["B", "C"]) == []          # 3 < 4: loses
        assert pivot(w, 4, ["C", "B", "A", "D"]) == "A"          # 1, 3, 6 ≥ 4 at A
        assert is_winning(w, 4, ["B", "C", "D"]) and not is_winning(w, 4, ["C", "D"])
        with pytest.raises(InvalidGameError, match="'coalition'"):
            is_winning(w, 4, ["Z"])

    def test_cheapest_winning_set_brute_force(self):
        rng = np.random.default_rng(2)
        for _ in range(30):
            n = int(rng.integers(2, 8))
            w = {f"p{i}": int(rng.integers(1, 6)) for i in range(n)}
            q = int(rng.integers(1, sum(w.values()) + 1))
            cost = {p: float(rng.integers(1, 20)) / 4 for p in w}
            sup = [p for p in w if rng.random() < 0.2]
            best = math.inf
            for r in range(n + 1):
                for c in itertools.combinations([p for p in w if p not in sup], r):
                    if sum(w[p] for p in (*c, *sup)) >= q:
                        best = min(best, sum(cost[p] for p in c))
            got, total = cheapest_winning_set(w, q, cost, sup)
            assert total == pytest.approx(best)
            assert sum(w[p] for p in (*got, *sup)) >= q
            assert sum(cost[p] for p in got) == pytest.approx(total)


def test_effort_formula():
    # (0.6 − (−0.4)) × (2 − 0.5) = 1.5; a supporter beyond the target costs 0.
    assert pc.effort_to_win(-0.4, 0.5) == pytest.approx(1.5)
    assert pc.effort_to_win(0.9, 0.1) == 0.0


def test_mendelow_and_salience_rules():
    assert pc.mendelow_quadrant(0.5, 0.5) == "manage closely"   # thresholds are inclusive
    assert pc.mendelow_quadrant(0.49, 0.9) == "keep informed"
    assert pc.mendelow_quadrant(0.9, 0.1) == "keep satisfied"
    assert pc.mendelow_quadrant(0.1, 0.1) == "monitor"
    # Mitchell, Agle & Wood (1997), Fig. 2: the seven types plus non-stakeholder
    table = {(1, 0, 0): "dormant", (0, 1, 0): "discretionary", (0, 0, 1): "demanding",
             (1, 1, 0): "dominant", (1, 0, 1): "dangerous", (0, 1, 1): "dependent",
             (1, 1, 1): "definitive", (0, 0, 0): "non-stakeholder"}
    for key, name in table.items():
        assert pc.salience_type(*key) == name
        assert name in pc.SALIENCE_TYPES


# --------------------------------------------------------------------------------------------
# deal level (a toy deal built by hand)
# --------------------------------------------------------------------------------------------
def toy_deal(ties=True, issues=False, quota=5):
    parties = pd.DataFrame({"party": ["us", "them"], "name": ["Us", "Them"],
                            "side": ["us", "counterpart"], "role": ["seller", "buyer"]}
                           ).set_index("party")
    ids = ["u1", "a", "b", "c", "d"]
    stake = pd.DataFrame({
        "stakeholder": ids, "name": ["Uma", "Ann", "Ben", "Cat", "Dan"],
        "party": ["us", "them", "them", "them", "them"],
        "sign_off": [False, False, True, False, False],
        "budget_authority": [0.0, 0.0, 0.0, 0.0, 100.0],
        "stance": [1.0, 0.5, 0.0, -0.2, 0.0],
        "interest": [0.9, 0.6, 0.8, np.nan, 0.3],
        "legitimacy": [0.8, 0.9, 0.9, 0.2, np.nan],
        "urgency": [0.8, 0.2, 0.7, 0.9, np.nan],
        "vote_weight": [0.0, 2.0, 2.0, 1.0, 0.0],
        "trust_competence": [1.0, 0.5, 1.0, 0.5, 0.5],
        "trust_benevolence": [1.0, 0.5, 1.0, 0.5, 0.5],
        "trust_reliability": [1.0, 0.5, 1.0, 0.5, 0.5],
        "susceptibility": [np.nan, np.nan, np.nan, 0.5, np.nan],
    }).set_index("stakeholder")
    tie = pd.DataFrame({"source": ["c"], "target": ["b"], "kind": ["advice"], "weight": [1.0]})
    iss = None
    if issues:
        iss = pd.DataFrame({"issue": ["fee"] * 4 + ["term"] * 4,
                            "option": ["low", "high"] * 4,
                            "party": ["us", "us", "them", "them"] * 2,
                            "rating": [0, 10, 10, 0, 5, 5, 0, 10],
                            "weight": [3, 3, 1, 1, 1, 1, 1, 1]})
    meta = pk.DealMeta(id="toy", title="Toy", decision="award", us="us", counterpart="them",
                       as_of=date(2026, 1, 1), quota=quota)
    return pk.Deal(meta=meta, parties=parties, stakeholders=stake,
                   ties=tie if ties else None, issues=iss)


class TestCoalitionPlan:
    def test_without_network(self):
        # Today: Ann (0.5 > 0.25) holds 2 of the 5 needed; Ben (2) and Cat (1) are both needed.
        # Efforts from today's stances (target 0.6): Ben 0.6·(2−1) = 0.6, Cat 0.8·(2−0.5) = 1.2.
        plan = pc.coalition_plan(toy_deal(ties=False))
        assert plan.steps["stakeholder"].tolist() == ["b", "c"]
        assert plan.steps["effort"].tolist() == pytest.approx([0.6, 1.2])
        assert plan.comparison.loc["direct optimum (no network)", "total_effort"] == \
            pytest.approx(1.8)
        assert plan.coalition == ["a", "b", "c"] and plan.comparison["winning"].all()

    def test_momentum_through_the_network(self):
        # Cat listens to Ben (λ_c = 0.5, W[c,c] = W[c,b] = 0.5; Ben listens to no one, λ_b = 0).
        # Friedkin–Johnsen: x_c = 0.5·(0.5 x_c + 0.5 x_b) + 0.5·x0_c ⇒ x_c = (x_b + 2 x0_c)/3,
        # so V[c,b] = 1/3. Winning Ben over (Δ = 0.6) moves Cat by 0.2: −0.2 → 0.0, and her
        # effort falls to 0.6·1.5 = 0.9. Sequential total 0.6 + 0.9 = 1.5; collective (today's
        # stances) 0.6 + 1.2 = 1.8.
        plan = pc.coalition_plan(toy_deal())
        assert plan.steps["stakeholder"].tolist() == ["b", "c"]
        assert plan.steps["stance_before"].tolist() == pytest.approx([0.0, 0.0])
        assert plan.steps["effort"].tolist() == pytest.approx([0.6, 0.9])
        cmp = plan.comparison["total_effort"]
        assert cmp["sequential (one by one, momentum)"] == pytest.approx(1.5)
        assert cmp["collective (together, one round)"] == pytest.approx(1.8)
        assert plan.comparison.loc["collective (together, one round)", "rounds"] == 1

    def test_induced_supporter(self):
        # With Cat at 0.1 today, Ben's move lifts her to 0.1 + 0.2 = 0.3 > 0.25: she joins
        # without a meeting of her own, and one engagement wins (2 + 2 + 1 = 5).
        d = toy_deal()
        d = d.replace(stakeholders=d.stakeholders.assign(stance=[1.0, 0.5, 0.0, 0.1, 0.0]))
        plan = pc.coalition_plan(d)
        assert plan.steps["stakeholder"].tolist() == ["b"]
        assert plan.steps["induced"].iloc[0] == ("c",)
        assert plan.steps["support_after"].iloc[0] == 5

    def test_supporters_override_and_errors(self):
        plan = pc.coalition_plan(toy_deal(), supporters=["b", "c"])
        assert plan.steps["stakeholder"].tolist() == ["a"]      # 3 on side; Ann adds the 2
        with pytest.raises(ValueError, match="'supporters'"):
            pc.coalition_plan(toy_deal(), supporters=["zz"])
        with pytest.raises(ValueError, match="'target'"):
            pc.coalition_plan(toy_deal(), threshold=0.5, target=0.4)


def test_voting_game_rules():
    d = toy_deal()
    g = pc.voting_game(d)
    assert g.rule == "votes" and g.quota == 5 and g.weights.to_dict() == {"a": 2, "b": 2, "c": 1}
    assert pc.voting_game(d, quota=None).quota == 5
    # without a quota: simple majority ⌊5/2⌋ + 1 = 3
    d2 = d.replace(meta=pk.DealMeta(**{**d.meta.__dict__, "quota": None}))
    assert pc.voting_game(d2).quota == 3
    # without votes: sign-off holders must all agree (Ben)
    d3 = d.replace(stakeholders=d.stakeholders.assign(vote_weight=np.nan))
    g3 = pc.voting_game(d3)
    assert g3.rule == "sign-off" and g3.weights.to_dict() == {"b": 1.0} and g3.quota == 1
    with pytest.raises(InvalidGameError):
        pc.voting_game(d, quota=99)


def test_power_map_toy():
    m = pc.power_map(toy_deal())
    assert "u1" not in m.index                       # our own people are not mapped
    # Ben: sign-off → formal 1 → power 1; interest 0.8 → manage closely; legitimacy 0.9,
    # urgency 0.7 → definitive.
    assert m.loc["b", "power"] == 1 and m.loc["b", "quadrant"] == "manage closely"
    assert m.loc["b", "salience"] == "definitive"
    # Dan: the only budget (100) → formal 1; interest 0.3 → keep satisfied; no legitimacy or
    # urgency given (blank = absent) → dormant.
    assert m.loc["d", "quadrant"] == "keep satisfied" and m.loc["d", "salience"] == "dormant"
    # Cat: interest blank → |stance| = 0.2 (flagged); urgency 0.9 only among the attributes
    assert m.loc["c", "interest"] == pytest.approx(0.2)
    assert m.loc["c", "interest_source"] == "|stance|"
    # Cat is listened to by nobody: no informal power; votes [5; 2,2,1] need all three
    # (unanimity) → every voter has SS 1/3, scaled to 1.
    assert m.loc["c", "informal"] == 0 and m.loc["c", "voting"] == pytest.approx(1.0)


def test_acceptable_packages_toy():
    # us: fee weight 3/4 (low 0, high 1), term 1/4 (5, 5 → 1 either way);
    # them: fee 1/2 (low 1, high 0), term 1/2 (low 0, high 1).
    # Packages (fee, term): U_us = 0.75·[fee=high] + 0.25; U_them = 0.5·[fee=low] + 0.5·[term=high]
    #   (low, low)  0.25, 0.5   (low, high) 0.25, 1.0   (high, low) 1.0, 0.0   (high, high) 1.0, 0.5
    # Reservations: we give us 0.2 and them 0.5: packages accepted by both: (low, low),
    # (low, high), (high, high). "them" holds all 5 votes (quota 5) → those pass.
    # Rank by breadth (2 each), then min surplus: (low,high) min(0.05, 0.5) = 0.05,
    # (low,low) min(0.05, 0) = 0, (high,high) min(0.8, 0) = 0 → tie broken by our utility.
    pkgs = pc.acceptable_packages(toy_deal(issues=True), reservation={"us": 0.2, "them": 0.5})
    top = pkgs[pkgs["passes"]]
    assert [tuple(r) for r in top[["fee", "term"]].to_numpy()] == \
        [("low", "high"), ("high", "high"), ("low", "low")]
    assert top["U(them)"].tolist() == pytest.approx([1.0, 0.5, 0.5])
    assert pkgs.attrs["party_votes"] == {"us": 0.0, "them": 5.0}
    assert pkgs["rank"].tolist()[:3] == [1.0, 2.0, 3.0] and pkgs["rank"].isna().sum() == 1
    assert pc.best_package(pkgs) == {"fee": "low", "term": "high"}
    with pytest.raises(ValueError, match="'reservation'"):
        pc.acceptable_packages(toy_deal(issues=True), reservation={"nobody": 0.5})


def test_party_utilities_agree_with_value_module():
    # Independent implementation: powerkit.value.score_options/package_utilities (two sides).
    value = pytest.importorskip("powerkit.value")
    deal = pk.load_deal([p for p in SAMPLE_DEALS if p.name == "northwind-vendor"][0])
    mine = pc.party_utilities(deal.issues)
    issues = list(pd.unique(deal.issues["issue"]))
    theirs = value.package_utilities(value.options_from_deal(deal), mine[issues].head(50))
    assert mine[f"U({deal.us})"].head(50).to_numpy() == pytest.approx(theirs["us"].to_numpy())
    assert mine[f"U({deal.counterpart})"].head(50).to_numpy() == \
        pytest.approx(theirs["them"].to_numpy())


def test_what_if_callback_and_widget():
    d = toy_deal()
    r = pc.what_if(d, quota=4)
    # [4; 2,2,1]: minimal winning {a,b}, {a,c}? 2+1 = 3 < 4 no → only {a,b} and... {b,c}? no.
    # Hand: {a,b} (4) is the only minimal winning coalition besides none; {a,b,c} is not
    # minimal. Swings: c is never decisive → a dummy.
    assert r.game.quota == 4 and len(r.coalitions) == 1
    assert r.power.loc["c", "dummy"] and not r.power.loc["a", "dummy"]
    assert r.plan.steps["stakeholder"].tolist() == ["b"]
    # the values the section reports, by hand: on side today Uma (ours, no vote) and Ann
    # (0.5 > 0.25) with 2 of the 4 votes; without Ann or Ben the others hold 3 < 4 (veto);
    # vote shares 0.4, 0.4, 0.2 against Shapley–Shubik 1/2, 1/2, 0: Cat's gap −0.2 is largest.
    assert r.supporters == ["u1", "a"] and r.support_now == 2 and not r.winning_now
    assert r.dummies == ["c"] and r.veto == ["a", "b"] and r.top_power == "a"
    assert r.largest_gap == "c" and r.largest_gap_value == pytest.approx(-0.2)
    assert r.named(["a", "zz"]) == ["Ann", "zz"]
    assert r.packages is None and r.packages_passing is None     # the toy rates no issues
    assert r.power_map.attrs["quadrant_counts"]["manage closely"] == \
        int((r.power_map["quadrant"] == "manage closely").sum())
    # figures read the result as they read its frames
    from powerkit import plots

    assert plots.coalition_explorer_figure(r).to_json() == plots.coalition_explorer_figure(
        r.coalitions, r.game.weights, supporters=r.supporters, names=r.names).to_json()
    assert plots.coalition_path_figure(r).to_json() == \
        plots.coalition_path_figure(r.plan, names=r.names).to_json()
    from powerkit.sections import coalitions as views

    assert views.coalitions_table(r)["members"].tolist() == ["Ann, Ben"]
    assert views.packages_table(r) is None and "No issues table" in views.packages_note(r)
    from powerkit.widgets.coalitions import build_coalitions_widgets

    box = build_coalitions_widgets(d)
    box.controls["quota"].value = 3
    assert box.last.game.quota == 3
    box.controls[("weight", "c")].value = 3
    assert box.last.game.weights["c"] == 3
    box.controls["supporters"].value = ("a", "b")
    assert box.last.plan.steps.empty           # 4 votes on side ≥ 3
    box.controls["quota"].value = 50           # invalid: shown, not raised
    assert box.last.game.quota == 3


@pytest.mark.parametrize("path", SAMPLE_DEALS, ids=[p.name for p in SAMPLE_DEALS])
def test_report_section_on_sample_deals(path):
    deal = pk.load_deal(path)
    sec = coalitions_section(deal)
    assert sec.key == "coalitions" and sec.missing is None
    json.dumps(sec.headline)                      # plain JSON values only
    game = pc.voting_game(deal)
    # independent check of the headline against the pure functions
    assert sec.headline["quota"] == game.votes_needed  # votes (a compound game also encodes vetoes in game.quota)
    dummies = dummy_players(game.weights.round().astype(int), game.quota)
    assert sec.headline["dummies"] == [deal.stakeholders.loc[i, "name"] for i in
                                       pc.voting_power_table(game.weights, game.quota).index
                                       if i in dummies]
    assert sec.headline["plan_winning"] or not sec.headline["plan_order"]
    assert sec.headline["top_power"] in sec.summary


def test_report_section_without_issues():
    sec = coalitions_section(toy_deal(issues=False))
    assert "packages_passing" not in sec.headline and sec.missing is None


def test_harbour_council_heritage_is_a_dummy():
    # harbour-council: [18; 6,6,4,4,2,2,2,1]. The 1-vote Heritage councillor would need the
    # others to sum to exactly 17, but all their weights are even (hand) → dummy.
    path = [p for p in SAMPLE_DEALS if p.name == "harbour-council"]
    if not path:
        pytest.skip("harbour-council sample deal not present")
    deal = pk.load_deal(path[0])
    g = pc.voting_game(deal)
    assert sorted(g.weights.tolist()) == [1, 2, 2, 2, 4, 4, 6, 6] and g.quota == 18
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert dummy_players(g.weights.astype(int), 18) == ["hc_heritage"]
