"""Tests of powerkit.value: scoring, the exact frontier, fair points, evaluation, Monte Carlo.

Where the expected numbers come from:
- brute force: every package enumerated with itertools.product, weakly dominated packages
  removed by pairwise comparison (an independent O(n²) method, written here);
- hand derivations written in the comments (Itex–Cypress from the shipped GENIUS ratings);
- definitions: Nash/Kalai–Smorodinsky/utilitarian argmax computed here over all packages.
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from conftest import REFERENCE, SAMPLE_DEALS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import powerkit
from powerkit import value as pv
from powerkit.deal.reference import load_itex_cypress
from powerkit.errors import MissingTableError, NoAgreement
from powerkit.sections.value import offers_note, proposal_note
from powerkit.sections.value import section as value_section


# ------------------------------------------------------------------------------------------
# independent brute force
# ------------------------------------------------------------------------------------------
def long_table(us, them, issues=None):
    """us/them: list (per issue) of lists (per option) of utilities."""
    rows = []
    for i, (u, t) in enumerate(zip(us, them, strict=True)):
        name = issues[i] if issues else f"i{i}"
        for j, (a, b) in enumerate(zip(u, t, strict=True)):
            rows.append({"issue": name, "option": f"o{j}", "us": a, "them": b})
    return pd.DataFrame(rows)


def brute_force(us, them, exact=None):
    """All packages in lexicographic order; weakly dominated removed; first of duplicates kept.

    ``exact`` (optional): the same utilities as Fractions, used for the comparisons.
    Returns a list of (option-index tuple, U, T).
    """
    src_u, src_t = (us, them) if exact is None else exact
    pk = []
    for combo in itertools.product(*[range(len(u)) for u in us]):
        U = sum(src_u[i][j] for i, j in enumerate(combo))
        T = sum(src_t[i][j] for i, j in enumerate(combo))
        pk.append((combo, U, T))
    keep, seen = [], set()
    for c, U, T in pk:
        dominated = any((U2 >= U and T2 >= T) and (U2 > U or T2 > T) for _, U2, T2 in pk)
        if not dominated and (U, T) not in seen:
            seen.add((U, T))
            keep.append((c, U, T))
    return keep


def frontier_triples(options, frontier):
    issues = list(pd.unique(options["issue"]))
    pos = {i: {o: k for k, o in enumerate(options.loc[options["issue"] == i, "option"])}
           for i in issues}
    return sorted((tuple(pos[i][r[i]] for i in issues), r["us"], r["them"])
                  for _, r in frontier.iterrows())


# ------------------------------------------------------------------------------------------
# the frontier equals brute force (property tests)
# ------------------------------------------------------------------------------------------
small_int_problem = st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.integers(-2, 4), min_size=1, max_size=4), min_size=n, max_size=n),
    st.lists(st.integers(1, 4), min_size=n, max_size=n)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_int_problem, st.randoms(use_true_random=False))
def test_frontier_equals_brute_force_with_ties(problem, rnd):
    # integer utilities (exact in floating point) from a tiny range: many ties and duplicates
    us, _ = problem
    them = [[rnd.randint(-2, 4) for _ in u] for u in us]
    options = long_table(us, them)
    got = frontier_triples(options, pv.pareto_frontier(options))
    want = sorted(brute_force(us, them))
    # same points AND the same package for each point (the lexicographically first)
    assert got == want


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=4),
             min_size=n, max_size=n),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=n, max_size=n))))
def test_frontier_equals_exact_rational_brute_force(problem):
    # ratings and weights through score_options (floats), brute force in exact fractions
    ratings, weights = problem
    if sum(w[0] for w in weights) == 0 or sum(w[1] for w in weights) == 0:
        return
    rows = [{"issue": f"i{i}", "option": f"o{j}", "us": a, "them": b}
            for i, opts in enumerate(ratings) for j, (a, b) in enumerate(opts)]
    options = pv.score_options(pd.DataFrame(rows), {f"i{i}": w for i, w in enumerate(weights)})
    exact = []
    for side in (0, 1):
        W = sum(w[side] for w in weights)
        per = []
        for i, opts in enumerate(ratings):
            mx = max(o[side] for o in opts)
            per.append([Fraction(weights[i][side], W) * Fraction(o[side], mx) if mx else Fraction(0)
                        for o in opts])
        exact.append(per)
    want = brute_force(exact[0], exact[1], exact=exact)
    got = pv.pareto_frontier(options)
    want_pts = sorted((float(U), float(T)) for _, U, T in want)
    got_pts = sorted(zip(got["us"], got["them"], strict=True))
    assert len(got_pts) == len(want_pts)
    np.testing.assert_allclose(np.array(got_pts), np.array(want_pts), atol=1e-12)
    # every returned composition really has the utilities reported
    back = pv.package_utilities(options, got.drop(columns=["us", "them"]))
    np.testing.assert_allclose(back[["us", "them"]].to_numpy(), got[["us", "them"]].to_numpy())


def test_frontier_on_random_floats_matches_brute_force():
    # 5 issues x 4 options of random floats (no ties): 1024 packages by brute force
    rng = np.random.default_rng(3)
    us = rng.random((5, 4)).round(6).tolist()
    them = rng.random((5, 4)).round(6).tolist()
    options = long_table(us, them)
    got = frontier_triples(options, pv.pareto_frontier(options))
    want = sorted(brute_force(us, them))
    assert [c for c, _, _ in got] == [c for c, _, _ in want]
    np.testing.assert_allclose([(u, t) for _, u, t in got], [(u, t) for _, u, t in want])


# ------------------------------------------------------------------------------------------
# hand-checked small cases
# ------------------------------------------------------------------------------------------
def test_logroll_frontier_by_hand():
    # issue a worth 0.7 to us / 0.2 to them, b worth 0.3 to us / 0.8 to them, fully opposed.
    # Packages: (mine,mine)=(1.0,0.0), (mine,yours)=(0.7,0.8), (yours,mine)=(0.3,0.2),
    # (yours,yours)=(0.0,1.0). (yours,mine) is dominated by (mine,yours): 0.7>0.3, 0.8>0.2.
    o = long_table([[0.7, 0.0], [0.3, 0.0]], [[0.0, 0.2], [0.0, 0.8]], issues=["a", "b"])
    f = pv.pareto_frontier(o)
    assert f[["a", "b"]].values.tolist() == [["o0", "o0"], ["o0", "o1"], ["o1", "o1"]]
    np.testing.assert_allclose(f[["us", "them"]].to_numpy(), [[1.0, 0.0], [0.7, 0.8], [0.0, 1.0]])
    e = pv.evaluate_package(o, {"a": "o1", "b": "o0"})
    # (0.3, 0.2) proposal: best for us while they keep ≥ 0.2 is 0.7 → gap 0.4; best for them
    # while we keep ≥ 0.3 is 0.8 → gap 0.6; joint gain of (0.7,0.8): 0.4 + 0.6 = 1.0
    assert e.dominated and not e.improvements.empty
    assert e.gap_us == pytest.approx(0.4) and e.gap_them == pytest.approx(0.6)
    assert e.joint_gain == pytest.approx(1.0)
    assert e.improvements[["a", "b"]].values.tolist() == [["o0", "o1"]]
    e2 = pv.evaluate_package(o, {"a": "o0", "b": "o1"})
    assert not e2.dominated and e2.gap_us == 0 and e2.gap_them == 0 and e2.improvements.empty


def test_weak_dominance_and_duplicates():
    # issue x: o0=(1,1), o1=(1,0) weakly dominated (equal for us, worse for them), o2=(1,1)
    # exact duplicate of o0 → one package remains: o0 (the first).
    o = long_table([[1, 1, 1]], [[1, 0, 1]], issues=["x"])
    f = pv.pareto_frontier(o)
    assert f["x"].tolist() == ["o0"] and f[["us", "them"]].values.tolist() == [[1, 1]]
    # two issues whose options all have the same pair of utilities: 4 packages, 1 point, first kept
    o = long_table([[1, 1], [2, 2]], [[3, 3], [0, 0]])
    f = pv.pareto_frontier(o)
    assert f[["i0", "i1"]].values.tolist() == [["o0", "o0"]]
    assert f[["us", "them"]].values.tolist() == [[3, 3]]


def test_float_ties_whatever_the_order_of_addition():
    # issue 1: o0 = (us .1, them .3), o1 = (.4, 0); issue 2: o0 = (.7, 0), o1 = (.4, .3).
    # Packages: (o0,o0) = (.1+.7, .3) = (.8, .3) but 0.1 + 0.7 = 0.7999999999999999 in floats;
    # (o1,o1) = (.4+.4, .3) = (.8, .3) exactly; (o0,o1) = (.5, .6); (o1,o0) = (1.1, 0).
    # By hand the frontier is (1.1, 0), (.8, .3) [a tie: keep the first, (o0,o0)], (.5, .6).
    assert 0.1 + 0.7 != 0.4 + 0.4
    o = long_table([[0.1, 0.4], [0.7, 0.4]], [[0.3, 0.0], [0.0, 0.3]])
    f = pv.pareto_frontier(o)
    assert f[["i0", "i1"]].values.tolist() == [["o1", "o0"], ["o0", "o0"], ["o0", "o1"]]
    np.testing.assert_allclose(f[["us", "them"]].to_numpy(), [[1.1, 0], [0.8, 0.3], [0.5, 0.6]])


def test_score_options_by_hand():
    # price: us rates 10, 5 (max 10) with weight 3/(3+1) = 0.75 → 0.75, 0.375;
    #        them rates 0, 8 (max 8) with weight 1/(1+1) = 0.5 → 0, 0.5
    # days:  us 1, 4 (max 4), weight 0.25 → 0.0625, 0.25; them 3, 3, weight 0.5 → 0.5, 0.5
    r = pd.DataFrame({"issue": ["price", "price", "days", "days"], "option": ["hi", "lo", "30", "60"],
                      "us": [10, 5, 1, 4], "them": [0, 8, 3, 3]})
    s = pv.score_options(r, {"price": (3, 1), "days": (1, 1)})
    np.testing.assert_allclose(s["us"], [0.75, 0.375, 0.0625, 0.25])
    np.testing.assert_allclose(s["them"], [0.0, 0.5, 0.5, 0.5])
    assert list(s.columns[:4]) == ["issue", "option", "us", "them"]
    np.testing.assert_allclose(s["us_weight"], [0.75, 0.75, 0.25, 0.25])
    # the same weights as a DataFrame
    wdf = pd.DataFrame({"issue": ["price", "days"], "us": [3, 1], "them": [1, 1]})
    pd.testing.assert_frame_equal(pv.score_options(r, wdf), s)
    # an issue rated 0 everywhere by a side contributes 0 to it
    r0 = r.assign(them=[0, 0, 3, 3])
    assert pv.score_options(r0, {"price": (1, 1), "days": (1, 1)})["them"].tolist()[:2] == [0, 0]


@pytest.mark.parametrize("ratings, weights, match", [
    (pd.DataFrame({"issue": ["a"], "option": ["x"], "us": [1]}), {"a": (1, 1)}, "'ratings' parameter"),
    (pd.DataFrame({"issue": ["a"], "option": ["x"], "us": [-1], "them": [1]}), {"a": (1, 1)}, "≥ 0"),
    (pd.DataFrame({"issue": ["a", "a"], "option": ["x", "x"], "us": [1, 2], "them": [1, 1]}),
     {"a": (1, 1)}, "one row per"),
    (pd.DataFrame({"issue": ["a"], "option": ["x"], "us": [1], "them": [1]}), {"b": (1, 1)},
     "'weights' parameter"),
    (pd.DataFrame({"issue": ["a"], "option": ["x"], "us": [1], "them": [1]}), {"a": (0, 1)},
     "positive for at least one issue"),
    (pd.DataFrame({"issue": ["a"], "option": ["x"], "us": [1], "them": [1]}), [1, 2], "mapping"),
])
def test_score_options_rejects_bad_input(ratings, weights, match):
    with pytest.raises(ValueError, match=match):
        pv.score_options(ratings, weights)


def test_functions_reject_bad_input():
    o = long_table([[1, 0]], [[0, 1]])
    with pytest.raises(ValueError, match="The 'options' parameter of pareto_frontier"):
        pv.pareto_frontier(o.drop(columns="them"))
    with pytest.raises(ValueError, match="The 'alpha' parameter of nash_package"):
        pv.nash_package(o, alpha=1.5)
    with pytest.raises(ValueError, match="The 'disagreement' parameter"):
        pv.nash_package(o, disagreement=(0,))
    with pytest.raises(ValueError, match="an option of 'i0'"):
        pv.evaluate_package(o, {"i0": "nope"})
    with pytest.raises(ValueError, match="an option for every issue"):
        pv.evaluate_package(o, {})
    with pytest.raises(ValueError, match="issue named 'us'"):
        pv.pareto_frontier(o.assign(issue="us"))
    with pytest.raises(ValueError, match="'n_draws' parameter of monte_carlo"):
        pv.monte_carlo(o, n_draws=0)
    with pytest.raises(NoAgreement):
        pv.nash_package(o, disagreement=(0.5, 0.5))
    assert pv.fair_packages(o, disagreement=(0.5, 0.5)).empty


# ------------------------------------------------------------------------------------------
# fair points against their definitions, over all packages
# ------------------------------------------------------------------------------------------
def all_packages(options):
    issues = list(pd.unique(options["issue"]))
    per = [options[options["issue"] == i] for i in issues]
    rows = []
    for combo in itertools.product(*[range(len(g)) for g in per]):
        rows.append({**{i: per[k]["option"].iloc[j] for k, (i, j) in enumerate(zip(issues, combo, strict=True))},
                     "us": sum(per[k]["us"].iloc[j] for k, j in enumerate(combo)),
                     "them": sum(per[k]["them"].iloc[j] for k, j in enumerate(combo))})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def itex():
    return pv.options_from_deal(load_itex_cypress())


@pytest.mark.parametrize("d, alpha", [((0.0, 0.0), 0.5), ((0.3, 0.4), 0.5), ((0.2, 0.2), 0.8),
                                      ((0.5, 0.1), 0.3)])
def test_fair_points_match_definitions_over_all_packages(itex, d, alpha):
    allp = all_packages(itex)
    z = allp[(allp["us"] > d[0]) & (allp["them"] > d[1])]
    # Nash: argmax (U-d)^a (T-d)^(1-a) over every package in the ZOPA
    nash = (z["us"] - d[0]) ** alpha * (z["them"] - d[1]) ** (1 - alpha)
    p = pv.nash_package(itex, d, alpha)
    assert (p.us - d[0]) ** alpha * (p.them - d[1]) ** (1 - alpha) == pytest.approx(nash.max(), rel=1e-12)
    # Kalai–Smorodinsky: max of min normalised gains, ideal = best in the ZOPA for each side
    iu, it = z["us"].max(), z["them"].max()
    ks = np.minimum((z["us"] - d[0]) / (iu - d[0]), (z["them"] - d[1]) / (it - d[1]))
    k = pv.kalai_smorodinsky_package(itex, d)
    assert min((k.us - d[0]) / (iu - d[0]), (k.them - d[1]) / (it - d[1])) == pytest.approx(ks.max())
    assert k.weights["ideal"] == pytest.approx((iu, it))
    # utilitarian: max U + T
    assert pv.utilitarian_package(itex, d).us + pv.utilitarian_package(itex, d).them == \
        pytest.approx((z["us"] + z["them"]).max())


def test_nash_alpha_moves_the_split(itex):
    # a larger bargaining weight can only move the Nash package toward us (monotonicity of the
    # asymmetric Nash solution in alpha, Kalai 1977)
    us_vals = [pv.nash_package(itex, alpha=a).us for a in (0.1, 0.3, 0.5, 0.7, 0.9)]
    assert us_vals == sorted(us_vals)


# ------------------------------------------------------------------------------------------
# Itex–Cypress from the shipped ratings
# ------------------------------------------------------------------------------------------
def test_itex_cypress_reference_file_is_the_shipped_one():
    raw = pd.read_csv(REFERENCE / "itex_cypress_scoring.csv")
    assert len(raw) == 15 and raw.groupby("issue", sort=False).size().tolist() == [5, 4, 3, 3]
    # GENIUS weights sum to 1 for each side (to the last digits of the file)
    assert raw.groupby("issue")["itex_issue_weight"].first().sum() == pytest.approx(1, abs=1e-12)
    assert raw.groupby("issue")["cypress_issue_weight"].first().sum() == pytest.approx(1, abs=1e-12)


def test_itex_cypress_utilities_by_hand(itex):
    # U = Σ w_i · eval_i(option) / max_o eval_i(o), weights from the file (each side sums to 1).
    # Itex weights: price .28812635027374, delivery .1915290482981283, payment
    # .24212575877553694, returns .2782188426525948. Cypress: .4700166576535899,
    # .1220816713696379, .17727008190772825, .2306315890690439.
    pk = pd.DataFrame([
        # A: Itex's best on every issue ($4.37 30/30, 45 days 20/20, 30 days after 25/25,
        #    5% spoilage 30/30) → U_itex = 1.
        #    Cypress: $4.37 1/40·.47001666 = .01175042; 45 days 10/25·.12208167 = .04883267;
        #    30 days after 6/15·.17727008 = .07090803; 5% 7/20·.23063159 = .08072106
        #    → .21221217392645157
        {"Price": "$4.37", "Delivery": "45 days", "Payment": "30 days after delivery",
         "Returns": "5% spoilage allowed"},
        # B: Cypress's best ($3.47 40/40, 20 days 25/25, upon delivery 15/15, full price 20/20)
        #    → U_cypress = 1. Itex: 1/30·.28812635 = .00960421; 5/20·.19152905 = .04788226;
        #    10/25·.24212576 = .09685030; 1/30·.27821884 = .00927396 → .16361073868229135
        {"Price": "$3.47", "Delivery": "20 days", "Payment": "Upon delivery",
         "Returns": "Full price"},
        # C: $3.98, 30 days, 30 days after delivery, 5% spoilage.
        #    Itex: 10/30·.28812635 = .09604212; 10/20·.19152905 = .09576452; 25/25 → .24212576;
        #    30/30 → .27821884 → .71215124233510922
        #    Cypress: 25/40·.47001666 = .29376041; 19/25·.12208167 = .09278207;
        #    6/15·.17727008 = .07090803; 7/20·.23063159 = .08072106 → .53817157021167516
        {"Price": "$3.98", "Delivery": "30 days", "Payment": "30 days after delivery",
         "Returns": "5% spoilage allowed"},
    ])
    got = pv.package_utilities(itex, pk)
    np.testing.assert_allclose(got["us"], [1.0, 0.16361073868229135, 0.71215124233510922], rtol=1e-12)
    np.testing.assert_allclose(got["them"], [0.21221217392645157, 1.0, 0.53817157021167516], rtol=1e-12)
    # A and B are the two ends of the frontier (each side's ideal package, unique maximiser)
    f = pv.pareto_frontier(itex)
    assert f.iloc[0][["Price", "Delivery", "Payment", "Returns"]].tolist() == list(pk.iloc[0])
    assert f.iloc[-1][["Price", "Delivery", "Payment", "Returns"]].tolist() == list(pk.iloc[1])


def test_itex_cypress_frontier_equals_brute_force_over_180_packages(itex):
    allp = all_packages(itex)
    assert len(allp) == 180 == pv.count_packages(itex)
    u, t = allp["us"].to_numpy(), allp["them"].to_numpy()
    undominated = [k for k in range(len(allp))
                   if not (((u >= u[k]) & (t >= t[k]) & ((u > u[k]) | (t > t[k]))).any())]
    want = allp.iloc[undominated].sort_values("us", ascending=False).reset_index(drop=True)
    got = pv.pareto_frontier(itex)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)


def test_itex_as_us_or_cypress_as_us_mirror(itex):
    cy = pv.options_from_deal(load_itex_cypress(us="cypress"))
    f1, f2 = pv.pareto_frontier(itex), pv.pareto_frontier(cy)
    np.testing.assert_allclose(np.sort(f1["us"]), np.sort(f2["them"]))


# ------------------------------------------------------------------------------------------
# trading, uncertainty, concessions
# ------------------------------------------------------------------------------------------
def test_logrolling_and_priorities_by_hand():
    # a: us stake .7, them .2 ; b: us .3, them .8 ; c: both best on o0 (compatible)
    o = long_table([[0.7, 0.0], [0.3, 0.0], [0.1, 0.0]], [[0.0, 0.2], [0.0, 0.8], [0.1, 0.0]],
                   issues=["a", "b", "c"])
    pr = pv.issue_priorities(o)
    assert pr["kind"].tolist() == ["trade", "trade", "compatible"]
    # shares: us .7/1.1, .3/1.1, .1/1.1 ; them .2/1.1, .8/1.1, .1/1.1
    np.testing.assert_allclose(pr["us_share"], [0.7 / 1.1, 0.3 / 1.1, 0.1 / 1.1])
    lr = pv.logrolling(o)
    # only (a, b) has ratio > 1: (.7/.2)/(.3/.8) = 3.5/0.375 = 28/3. Balanced trade from the
    # mirror position: a_i+b_i = .9 ≤ a_j+b_j = 1.1 → we take all of a (1), give .9/1.1 of b;
    # gain each = (.7·.8 − .3·.2)/1.1 = .5/1.1 = .4545…; check: us .7 − (.9/1.1)·.3 = .4545,
    # them (.9/1.1)·.8 − .2 = .4545.
    assert lr[["we_get", "they_get"]].values.tolist() == [["a", "b"]]
    assert lr["ratio"].iloc[0] == pytest.approx(28 / 3)
    assert lr["we_take"].iloc[0] == pytest.approx(1.0)
    assert lr["we_give"].iloc[0] == pytest.approx(0.9 / 1.1)
    assert lr["gain_each"].iloc[0] == pytest.approx(0.5 / 1.1)
    assert 0.7 * 1 - 0.3 * (0.9 / 1.1) == pytest.approx(0.5 / 1.1)
    assert 0.8 * (0.9 / 1.1) - 0.2 * 1 == pytest.approx(0.5 / 1.1)


def test_logrolling_on_itex_cypress(itex):
    # stakes (max − min contribution) by hand from the file (decimal arithmetic), Itex / Cypress:
    # Price .28812635027374·29/30 = .278522138598 / .4700166576535899·39/40 = .458266241212
    # Delivery .1915290482981283·19/20 = .181952595883 / .1220816713696379·24/25 = .117198404515
    # Itex ratios a/b: Price .6078, Delivery 1.5525 → Itex should take Delivery, give Price;
    # gain each = (.181952595883·.458266241212 − .278522138598·.117198404515)
    #             / max(.299151000398, .736788379810)
    #           = (.083382732194 − .032642350266) / .736788379810 = .068866968208
    lr = pv.logrolling(itex)
    row = lr[(lr["we_get"] == "Delivery") & (lr["they_get"] == "Price")]
    assert len(row) == 1
    assert row["gain_each"].iloc[0] == pytest.approx(0.068866968208, abs=1e-11)
    assert not ((lr["we_get"] == "Price") & (lr["they_get"] == "Delivery")).any()


def test_monte_carlo_reproducible_and_consistent(itex):
    a = pv.monte_carlo(itex, n_draws=300, weight_spread=0.3, rating_spread=0.2, batna_them=0.5, seed=7)
    b = pv.monte_carlo(itex, n_draws=300, weight_spread=0.3, rating_spread=0.2, batna_them=0.5, seed=7)
    c = pv.monte_carlo(itex, n_draws=300, weight_spread=0.3, rating_spread=0.2, batna_them=0.5, seed=8)
    pd.testing.assert_frame_equal(a.band, b.band)
    pd.testing.assert_frame_equal(a.packages, b.packages)
    assert not a.band.equals(c.band)
    assert (a.band["them_q05"] <= a.band["them_q50"] + 1e-12).all()
    assert (a.band["them_q50"] <= a.band["them_q95"] + 1e-12).all()
    assert a.packages["p_beats_batna"].between(0, 1).all()


def test_monte_carlo_without_spread_is_the_nominal_frontier(itex):
    # with no uncertainty every draw is the nominal problem: the band collapses onto
    # f(u) = max{T : U ≥ u} over ALL 180 packages (brute force), and P(beats) is 0 or 1.
    mc = pv.monte_carlo(itex, n_draws=20, weight_spread=0.0, rating_spread=0.0, batna_them=0.5)
    allp = all_packages(itex)
    f = [allp.loc[allp["us"] >= u - 1e-12, "them"].max() for u in mc.band["us"]]
    for col in ("them_q05", "them_q50", "them_q95", "them_nominal"):
        np.testing.assert_allclose(mc.band[col], f, atol=1e-12)
    np.testing.assert_array_equal(mc.packages["p_beats_batna"], (mc.packages["them"] > 0.5).astype(float))


def test_monte_carlo_merge_path_equals_enumeration_path(itex):
    a = pv.monte_carlo(itex, n_draws=40, weight_spread=0.4, rating_spread=0.3, seed=3)
    b = pv.monte_carlo(itex, n_draws=40, weight_spread=0.4, rating_spread=0.3, seed=3,
                       enumerate_limit=0)
    pd.testing.assert_frame_equal(a.band, b.band, check_exact=False, atol=1e-12)


def test_monte_carlo_hand_case():
    # one issue, two options; their ratings 1 and 0, weight 1 (only issue) → every draw gives
    # them 1 for o0 and 0 for o1 whatever the spreads; P(beats 0.5) = 1 and 0.
    o = long_table([[0.0, 1.0]], [[1.0, 0.0]])
    mc = pv.monte_carlo(o, n_draws=50, weight_spread=0.5, rating_spread=0.5, batna_them=0.5,
                        packages=[{"i0": "o0"}, {"i0": "o1"}])
    assert mc.packages["p_beats_batna"].tolist() == [1.0, 0.0]


def test_concessions_by_hand():
    o = long_table([[0.7, 0.0], [0.3, 0.0]], [[0.0, 0.2], [0.0, 0.8]], issues=["a", "b"])
    offers = pd.DataFrame({"round": [1, 1, 2, 2, 3], "party": ["A", "A", "B", "B", "A"],
                           "issue": ["a", "b", "a", "b", "b"],
                           "option": ["o0", "o0", "o1", "o1", "o1"]})
    c = pv.concessions_from_offers(offers, o, "A", "B")
    # round 1 A: (1.0, 0.0); round 2 B: (0.0, 1.0); round 3 A keeps a=o0 from round 1 and moves
    # b to o1: (0.7, 0.8) → A concedes 1.0 - 0.7 = 0.3 of its own, B gains 0.8 - 0.0 = 0.8,
    # efficiency 0.8 / 0.3
    assert c["round"].tolist() == [1, 2, 3]
    assert c.loc[2, ["a", "b"]].tolist() == ["o0", "o1"]
    assert c.loc[2, "concession"] == pytest.approx(0.3)
    assert c.loc[2, "gift"] == pytest.approx(0.8)
    assert c.loc[2, "efficiency"] == pytest.approx(0.8 / 0.3)
    assert c.loc[1, "own"] == pytest.approx(1.0) and c.loc[1, "other"] == pytest.approx(0.0)


# ------------------------------------------------------------------------------------------
# deal level: any two parties, missing tables, what-if, report, widgets
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", SAMPLE_DEALS, ids=lambda p: p.name)
def test_sample_deals_frontier_equals_brute_force(path):
    deal = powerkit.load_deal(path)
    if not deal.has("issues"):
        pytest.skip("no issues table")
    options = pv.options_from_deal(deal)
    allp = all_packages(options)
    u, t = allp["us"].to_numpy(), allp["them"].to_numpy()
    tol = 1e-12
    und = [k for k in range(len(allp))
           if not (((u >= u[k] - tol) & (t >= t[k] - tol) & ((u > u[k] + tol) | (t > t[k] + tol))).any())]
    pts = allp.iloc[und][["us", "them"]].round(10).drop_duplicates()
    f = pv.pareto_frontier(options)
    assert len(f) == len(pts)
    np.testing.assert_allclose(np.sort(f["us"]), np.sort(pts["us"]), atol=1e-9)


def test_options_from_deal_any_two_parties():
    deal = powerkit.load_deal(next(p for p in SAMPLE_DEALS if p.name == "harbour-council"))
    o = pv.options_from_deal(deal, us="meridian", them="union")
    raw = deal.issues
    # meridian's fee ratings 100, 80, 55, 10 (max 100) with weight 30 / (30+15+20+10+25) = .3
    fee = o[o["issue"] == "concession fee"]
    w = 30 / raw[raw["party"] == "meridian"].groupby("issue")["weight"].first().sum()
    np.testing.assert_allclose(fee["us"], np.array([100, 80, 55, 10]) / 100 * w)
    with pytest.raises(ValueError, match="a party that rates the issues"):
        pv.options_from_deal(deal, us="portauth")


def test_issue_rated_by_one_party_counts_zero_for_the_other():
    deal = load_itex_cypress()
    iss = deal.issues[~((deal.issues["party"] == "cypress") & (deal.issues["issue"] == "Returns"))]
    o = pv.options_from_deal(deal.replace(issues=iss))
    assert (o.loc[o["issue"] == "Returns", "them"] == 0).all()
    # Cypress's remaining weights renormalise to 1
    assert o.groupby("issue", sort=False)["them_weight"].first().sum() == pytest.approx(1.0)


def test_missing_issues_table():
    deal = load_itex_cypress().replace(issues=None)
    s = value_section(deal)
    assert s.missing and "issues" in s.missing and not s.blocks
    with pytest.raises(MissingTableError):
        pv.options_from_deal(deal)


def test_what_if_weights_override_and_latest_offer():
    deal = powerkit.load_deal(next(p for p in SAMPLE_DEALS if p.name == "small-renewal"))
    a = pv.what_if(deal, batna=(0.2, 0.2), alpha=0.5)
    # latest offer (offers.csv round 3 by brisk): EUR 195k, 3 years, 4 hours
    assert a.evaluation.package == {"price": "EUR 195k", "term": "3 years", "response time": "4 hours"}
    # giving them all the weight on price makes the frontier the price axis only for them
    b = pv.what_if(deal, weights={"term": (30, 0), "response time": (20, 0)}, proposed={})
    assert b.evaluation is None
    assert set(b.options.loc[b.options["issue"] != "price", "them"]) == {0.0}


def test_report_section_on_reference_case():
    s = value_section(load_itex_cypress(), batna=(0.3, 0.3), n_draws=100,
                      proposed={"Price": "$3.98", "Delivery": "30 days",
                                "Payment": "Upon delivery", "Returns": "Full price"})
    assert s.missing is None and s.key == "value"
    h = s.headline
    assert h["packages"] == 180 and h["proposal_dominated"] in (True, False)
    import json
    json.dumps(h)  # plain JSON values only
    # the summary is built from the headline values only
    assert f"{h['left_on_table_joint']:.2f}" in s.summary and str(h["frontier_packages"]) in s.summary
    assert any(isinstance(b, pd.DataFrame) and "p_beats_their_batna" in b.columns for b in s.blocks)


def test_report_section_escapes_names():
    deal = load_itex_cypress()
    parties = deal.parties.copy()
    parties.loc["itex", "name"] = "<script>alert(1)</script>"
    s = value_section(deal.replace(parties=parties), n_draws=50)
    text = " ".join(b for b in s.blocks if isinstance(b, str))
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_widgets_call_what_if():
    from powerkit.widgets.value import build_value_widgets

    deal = load_itex_cypress()
    box = build_value_widgets(deal, batna=(0.2, 0.2), n_draws=30)
    assert box.last.n_packages == 180
    ctl = box.controls
    ctl["batna_them"].value = 0.6
    assert box.last.disagreement == (0.2, 0.6)
    ctl[("them", "Price")].value = 0.0
    assert set(box.last.options.loc[box.last.options["issue"] == "Price", "them"]) == {0.0}
    for i, opt in {"Price": "$3.98", "Delivery": "30 days", "Payment": "Upon delivery",
                   "Returns": "Full price"}.items():
        ctl[("proposal", i)].value = opt
    assert box.last.evaluation is not None and box.last.evaluation.package["Price"] == "$3.98"
    fig, table, _ = box.figures
    assert "on the table" in [t.name for t in fig.data]
    assert "Nash (weighted by power)" in table["rule"].tolist()
    ctl["batna_us"].value = 1.0  # empty ZOPA: no error, no Nash point
    assert box.last.nash is None and math.isfinite(box.last.alpha)


def test_recommended_packages_on_the_monte_carlo_draws_equal_a_new_run():
    # p_beats_their_batna is read from the draws kept in the MonteCarloResult: the same numbers
    # as drawing again with the same settings and seed (the draws do not depend on the packages)
    deal = load_itex_cypress()
    proposal = {"Price": "$3.98", "Delivery": "30 days", "Payment": "Upon delivery",
                "Returns": "Full price"}
    a = pv.what_if(deal, batna=(0.2, 0.3), proposed=proposal, alpha=0.5, n_draws=120,
                   weight_spread=0.3, rating_spread=0.1, seed=4)
    mc = a.monte_carlo
    assert mc.weights["n_draws"] == 120 and mc.weights["batna_them"] == 0.3
    rec = a.recommended
    issues = list(pd.unique(a.options["issue"]))
    again = pv.monte_carlo(a.options, n_draws=120, weight_spread=0.3, rating_spread=0.1,
                           batna_them=0.3, packages=rec[issues], seed=4)
    assert rec["p_beats_their_batna"].tolist() == again.packages["p_beats_batna"].tolist()
    assert rec["rule"].tolist()[:4] == ["Nash (weighted by power)", "Kalai–Smorodinsky",
                                        "Largest joint value", "On the table now"]
    # without draws: no probability column, and no Monte Carlo at all
    b = pv.what_if(deal, batna=(0.2, 0.3), proposed=proposal, alpha=0.5)
    assert b.monte_carlo is None and "p_beats_their_batna" not in b.recommended.columns
    pd.testing.assert_frame_equal(b.recommended, rec.drop(columns="p_beats_their_batna"))
    with pytest.raises(ValueError, match="'mc'"):
        pv.p_beats_batna(b, a.options, rec[issues])


def test_what_if_carries_offers_and_package_sample():
    deal = powerkit.load_deal(next(p for p in SAMPLE_DEALS if p.name == "small-renewal"))
    a = pv.what_if(deal, batna=(0.2, 0.2), alpha=0.5)
    pd.testing.assert_frame_equal(a.offers, pv.concessions(deal))
    assert a.evaluation.package == pv.latest_offer(deal)
    assert len(a.package_sample) == a.n_packages  # few packages: all of them
    assert offers_note(a) == "" and "dominated" in proposal_note(a) or "efficient" in proposal_note(a)
    c = pv.what_if(load_itex_cypress(), proposed={}, sample_size=50, seed=1)
    assert len(c.package_sample) == 50 and len(c.offers) == 0 and len(c.improvements) == 0
    assert "No offers table" in offers_note(c) and "No package on the table" in proposal_note(c)
