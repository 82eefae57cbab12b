"""Tests of powerkit.forecast: the positions table, the compromise model, the weighted median, the
Condorcet winner, the network positions, the comparison frame, the sensitivities and forecast().

Where each expected number comes from is said next to it: a hand derivation in the comment, the
published EU car-emissions table (Bueno de Mesquita 1994, p. 78, as reproduced by Scholz,
Calbert & Smith 2011; data/reference/README.md), or an independent method written here (a
brute-force vote count, a finite difference). The expected-utility and exchange models have
their own tests (their author's files); here they appear only through compare_models and the
properties every model shares (range, scaling, permutation).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import powerkit as pk
from powerkit.deal.forecast_reference import EU_EMISSIONS_ISSUE, load_eu_emissions
from powerkit.errors import InputError, MissingTableError, NoConsensusError
from powerkit.forecast import (
    check_table,
    compare_models,
    condorcet_winner,
    forecast,
    issue_matrix,
    levers,
    majority_cycle,
    network_positions,
    our_positions,
    pairwise_votes,
    positions_table,
    sensitivity,
    weighted_mean,
    weighted_median,
)
from powerkit.paths import reference_dir, sample_deal

FAST = settings(max_examples=60, deadline=None)
SLOW = settings(max_examples=25, deadline=None)  # runs the expected-utility and exchange models


def table(rows, issue="x"):
    """A long table from (actor, position, salience, capability) tuples on one issue."""
    return pd.DataFrame([{"actor": a, "issue": issue, "position": x, "salience": s,
                          "capability": c} for a, x, s, c in rows])


@pytest.fixture(scope="module")
def harbour():
    return pk.load_deal(sample_deal("harbour-council"))


# --------------------------------------------------------------------------------------------
# the published EU car-emissions example
# --------------------------------------------------------------------------------------------
# Bueno de Mesquita (1994, p. 78) / Scholz, Calbert & Smith (2011), Table 1 (c, x, s/100):
#   Netherlands 0.08 4 .8 → w = c·s = .064    Belgium 0.08 7 .4 → .032   Luxembourg .03 4 .2 → .006
#   Germany     0.16 4 .8 → .128              France  0.16 10 .6 → .096  Italy .16 10 .6 → .096
#   UK          0.16 10 .9 → .144             Ireland 0.05 7 .1 → .005   Denmark .05 4 1 → .05
#   Greece      0.08 7 .7 → .056
# weight at 4: .064+.006+.128+.05 = .248; at 7: .032+.005+.056 = .093; at 10: .096+.096+.144 = .336
# total W = .677.
EU_W = {4.0: 0.248, 7.0: 0.093, 10.0: 0.336}


def test_eu_table_is_the_published_one():
    # the CSV as printed in the paper (salience 0–100), read cell by cell from the paper's
    # table (data/reference/README.md: Netherlands 4/80 and Belgium 7/40, not swapped)
    raw = pd.read_csv(reference_dir() / "eu_car_emissions.csv").set_index("actor")
    assert list(raw.index) == ["Netherlands", "Belgium", "Luxembourg", "Germany", "France",
                               "Italy", "UK", "Ireland", "Denmark", "Greece"]
    assert raw.loc["Netherlands"].tolist() == [0.08, 4, 80]
    assert raw.loc["Belgium"].tolist() == [0.08, 7, 40]
    assert raw.loc["UK"].tolist() == [0.16, 10, 90]
    assert raw.loc["Denmark"].tolist() == [0.05, 4, 100]
    t = load_eu_emissions()
    assert (t["issue"] == EU_EMISSIONS_ISSUE).all()
    assert t["salience"].tolist() == [0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7]


def test_eu_mean_median_condorcet_by_hand():
    t = load_eu_emissions()
    # mean = (4·.248 + 7·.093 + 10·.336) / .677 = (.992 + .651 + 3.36) / .677 = 5.003 / .677
    #      = 7.389955686...
    m = weighted_mean(t).loc[EU_EMISSIONS_ISSUE]
    assert m["forecast"] == pytest.approx(5.003 / 0.677, abs=1e-12)
    assert m["forecast"] == pytest.approx(7.389955686, abs=1e-9)
    assert m["weight_total"] == pytest.approx(0.677, abs=1e-12)
    # median: half of .677 is .3385; cumulated .248 (at 4) < .3385 ≤ .341 (at 7) → 7
    med = weighted_median(t).loc[EU_EMISSIONS_ISSUE]
    assert med["forecast"] == 7.0
    assert med["weight_below"] == pytest.approx(0.248, abs=1e-12)
    # Condorcet: 7 vs 4 — for 7: the 7s and the 10s (.093 + .336 = .429) > for 4: .248;
    # 7 vs 10 — for 7: the 4s and the 7s (.248 + .093 = .341) > for 10: .336 → 7 beats both.
    # (4 vs 10: the 7s are equidistant and abstain; .248 for 4 < .336 for 10.)
    V = pairwise_votes(t["position"], t["capability"] * t["salience"])
    assert V.loc[7.0, 4.0] == pytest.approx(0.429)
    assert V.loc[4.0, 7.0] == pytest.approx(0.248)
    assert V.loc[7.0, 10.0] == pytest.approx(0.341)
    assert V.loc[10.0, 7.0] == pytest.approx(0.336)
    assert V.loc[4.0, 10.0] == pytest.approx(0.248)
    assert V.loc[10.0, 4.0] == pytest.approx(0.336)
    c = condorcet_winner(t).loc[EU_EMISSIONS_ISSUE]
    assert c["forecast"] == 7.0
    # Belgium (.032), Ireland (.005) and Greece (.056) hold 7; the heaviest is Greece
    assert c["winner"] == "Greece"
    assert c["holders"] == ("Belgium", "Greece", "Ireland")
    assert c["cycle"] is None


def test_eu_sensitivity_by_hand():
    t = load_eu_emissions()
    s = sensitivity(t, "mean", ours=4.0).set_index("actor")
    # ∂F/∂x_UK = w_UK / W = .144 / .677; ∂F/∂s_UK = c(x − F)/W = .16·(10 − 7.38996)/.677
    F = 5.003 / 0.677
    assert s.loc["UK", "d_position"] == pytest.approx(0.144 / 0.677)
    assert s.loc["UK", "d_salience"] == pytest.approx(0.16 * (10 - F) / 0.677)
    # to shift F one unit towards 4 the UK must move W/w = .677/.144 = 4.7014 down
    assert s.loc["UK", "direction"] == -1.0
    assert s.loc["UK", "to_shift_one"] == pytest.approx(0.677 / 0.144)
    assert s.loc["UK", "new_position"] == pytest.approx(10 - 0.677 / 0.144)
    # median towards 4: France (w .096) moving from 10 to 6 makes the weight at ≤ 6
    # .248 + .096 = .344 ≥ .3385, so the median drops 7 → 6: France must move exactly 4.
    # Belgium at 7 moving down: the weight below 7 is at most .248 + .032 = .28 < .3385, so
    # the median never leaves 7 → inf. The UK at 10 moving down: the median 7 → 6 needs ≥ .3385
    # at or below 6: .248 + .144 = .392 with the UK at 6 → 4 units too.
    sm = sensitivity(t, "median", ours=4.0).set_index("actor")
    assert sm.loc["France", "to_shift_one"] == pytest.approx(4.0, abs=1e-6)
    assert sm.loc["UK", "to_shift_one"] == pytest.approx(4.0, abs=1e-6)
    assert math.isinf(sm.loc["Belgium", "to_shift_one"])
    assert math.isnan(sm.loc["Belgium", "new_position"])
    # Germany at 4 is below the median and stays below it for small moves: ∂F/∂x = 0
    assert sm.loc["Germany", "d_position"] == 0.0


# --------------------------------------------------------------------------------------------
# each formula by hand on small cases
# --------------------------------------------------------------------------------------------
def test_weighted_mean_by_hand():
    # w = c·s: a 2·.5 = 1 at 0, b 1·1 = 1 at 3, c 4·.5 = 2 at 9
    # F = (0 + 3 + 18) / 4 = 5.25
    t = table([("a", 0, 0.5, 2), ("b", 3, 1.0, 1), ("c", 9, 0.5, 4)])
    r = weighted_mean(t).loc["x"]
    assert r["forecast"] == pytest.approx(5.25)
    assert r["weight_total"] == pytest.approx(4.0)
    # an actor with salience 0 has no pull: F = (0 + 3) / 2 = 1.5
    t2 = table([("a", 0, 0.5, 2), ("b", 3, 1.0, 1), ("c", 9, 0.0, 4)])
    assert weighted_mean(t2).loc["x", "forecast"] == pytest.approx(1.5)


def test_weighted_mean_two_issues_keep_their_order():
    t = pd.concat([table([("a", 0, 1, 1), ("b", 10, 1, 1)], issue="z"),
                   table([("a", 2, 1, 1), ("b", 4, 1, 3)], issue="b")])
    r = weighted_mean(t)
    assert list(r.index) == ["z", "b"]  # as first seen, not sorted
    # z: (0 + 10)/2 = 5; b: (2 + 12)/4 = 3.5
    assert r["forecast"].tolist() == pytest.approx([5.0, 3.5])


def test_weighted_median_by_hand():
    # weights 1 at 0, 1 at 4, 3 at 10: half of 5 = 2.5; cumulated 1, 2, 5 → 10
    assert weighted_median(table([("a", 0, 1, 1), ("b", 4, 1, 1), ("c", 10, 1, 3)])
                           ).loc["x", "forecast"] == 10.0
    # 2 at 0, 1 at 4, 1 at 10: half of 4 = 2; cumulated 2 at 0 reaches it → 0 (the lower median
    # of an exact split)
    assert weighted_median(table([("a", 0, 1, 2), ("b", 4, 1, 1), ("c", 10, 1, 1)])
                           ).loc["x", "forecast"] == 0.0
    # two actors on one position pool their weights: .5+.5 at 6, 1.5 at 1, .4 at 9:
    # total 2.9, half 1.45; cumulated 1.5 at 1 → 1
    t = table([("a", 6, 0.5, 1), ("b", 6, 1, 0.5), ("c", 1, 1, 1.5), ("d", 9, 1, 0.4)])
    assert weighted_median(t).loc["x", "forecast"] == 1.0
    # exact split decided with fractions that do not add exactly in floats: .1 + .2 vs .3
    # (.1 + .2 = .30000000000000004 in floats); half of .6 is .3, reached at the first position
    t = table([("a", 0, 0.1, 1), ("b", 1, 0.2, 1), ("c", 2, 0.3, 1)])
    assert weighted_median(t).loc["x", "forecast"] == 1.0


def test_condorcet_by_hand_and_ties_of_distance():
    # 2 at 0, 1 at 5, 2 at 10: 5 vs 0 → for 5: 1 + 2 (10 is closer to 5) = 3 > 2; 5 vs 10 → 3 > 2
    r = condorcet_winner(table([("a", 0, 1, 2), ("b", 5, 1, 1), ("c", 10, 1, 2)])).loc["x"]
    assert (r["forecast"], r["winner"], r["cycle"]) == (5.0, "b", None)
    # ties: a 3 at 0, b 1 at 5, c 2 at 10.
    #   0 vs 5: for 0 a (3); for 5 b and c (1 + 2 = 3) → a tie of weight, nobody wins it;
    #   0 vs 10: b is as far from 0 as from 10 and abstains → a (3) beats c (2): 0 beats 10;
    #   5 vs 10: a and b (4) vs c (2): 5 beats 10.
    # No position beats both others → no Condorcet winner (NaN), no cycle; unbeaten: 0 and 5.
    r = condorcet_winner(table([("a", 0, 1, 3), ("b", 5, 1, 1), ("c", 10, 1, 2)])).loc["x"]
    assert math.isnan(r["forecast"]) and r["winner"] is None and r["cycle"] is None
    assert r["weak"] == (0.0, 5.0)
    V = pairwise_votes([0, 5, 10], [3, 1, 2])
    assert V.loc[0.0, 10.0] == 3.0 and V.loc[10.0, 0.0] == 2.0  # b abstains
    assert V.loc[0.0, 5.0] == 3.0 and V.loc[5.0, 0.0] == 3.0


def test_condorcet_single_position_wins():
    r = condorcet_winner(table([("a", 2, 1, 1), ("b", 2, 0.5, 1)])).loc["x"]
    assert r["forecast"] == 2.0 and r["winner"] == "a" and r["holders"] == ("a", "b")


def test_majority_cycle_condorcet_paradox():
    # three voters: A>B>C, B>C>A, C>A>B. A vs B: voters 1, 3 → 2:1; B vs C: 1, 2 → 2:1;
    # C vs A: 2, 3 → 2:1 — the cycle A → B → C → A
    V = pd.DataFrame([[0, 2, 1], [1, 0, 2], [2, 1, 0]], index=list("ABC"), columns=list("ABC"))
    cyc = majority_cycle(V)
    assert cyc is not None and len(cyc) == 3
    i = cyc.index("A")
    assert cyc[i:] + cyc[:i] == ("A", "B", "C")
    # with A beating both others there is none
    V2 = pd.DataFrame([[0, 2, 2], [1, 0, 2], [1, 1, 0]], index=list("ABC"), columns=list("ABC"))
    assert majority_cycle(V2) is None


def brute_votes(x, w):
    """Independent count: for each pair of positions, loop over the actors."""
    cand = sorted(set(x))
    out = {}
    for a in cand:
        for b in cand:
            out[a, b] = sum(wi for xi, wi in zip(x, w, strict=True)
                            if abs(xi - a) < abs(xi - b))
    return cand, out


@FAST
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(1, 5)), min_size=1, max_size=7))
def test_condorcet_against_brute_force(rows):
    # integer positions and weights: distances compare exactly, so the loop is an oracle
    x = [float(p) for p, _ in rows]
    w = [float(v) for _, v in rows]
    t = table([(f"a{i}", xi, 1.0, wi) for i, (xi, wi) in enumerate(zip(x, w, strict=True))])
    cand, votes = brute_votes(x, w)
    winners = [a for a in cand if all(votes[a, b] > votes[b, a] for b in cand if b != a)]
    r = condorcet_winner(t).loc["x"]
    if winners:
        assert r["forecast"] == winners[0]
    else:
        assert math.isnan(r["forecast"])
    # on a line with distance preferences the strict majority has no cycle (Black 1948):
    # a beats b (a < b) iff the weight left of their midpoint exceeds the weight right of it
    assert r["cycle"] is None
    # the weighted median is never beaten (Black's median voter theorem)
    med = weighted_median(t).loc["x", "forecast"]
    assert all(votes[b, med] <= votes[med, b] for b in cand)


# --------------------------------------------------------------------------------------------
# the positions table: from a deal, and its errors
# --------------------------------------------------------------------------------------------
def test_positions_table_resolves_capability(harbour):
    t = positions_table(harbour)
    cap = t.drop_duplicates("actor").set_index("actor")["capability"]
    # data/deals/harbour-council/positions.csv: tidewater 4 (a number), hc_labour
    # 'voting_power' → stakeholders.vote_weight 6, hc_heritage → 1, un_secretary 3
    assert cap["tidewater"] == 4.0
    assert cap["hc_labour"] == 6.0
    assert cap["hc_heritage"] == 1.0
    assert cap["un_secretary"] == 3.0
    # a blank capability counts 1
    pos = harbour.positions.copy()
    pos.loc[pos["actor"] == "pa_director", "capability"] = None
    t2 = positions_table(harbour.replace(positions=pos))
    assert (t2.loc[t2["actor"] == "pa_director", "capability"] == 1.0).all()


def test_positions_table_missing(harbour):
    with pytest.raises(MissingTableError, match="'positions' table"):
        positions_table(harbour.replace(positions=None))


GOOD = table([("a", 0, 1.0, 1), ("b", 10, 0.5, 2)])


@pytest.mark.parametrize("bad, match", [
    (GOOD.iloc[0:0], "the positions table is empty"),
    (GOOD.assign(capability=[1, -2]), r"row 1, column 'capability': got -2; expected a number ≥ 0"),
    (GOOD.assign(salience=[1.0, 1.5]), r"row 1, column 'salience': got 1.5; expected a number in"),
    (GOOD.assign(salience=[-0.1, 1.0]), r"row 0, column 'salience': got -0.1"),
    (GOOD.assign(position=[np.nan, 1.0]), r"row 0, column 'position': got nan; expected a finite"),
    (GOOD.assign(position=[0.0, np.inf]), r"row 1, column 'position': got inf"),
    (GOOD.assign(capability=["x", 1]), r"row 0, column 'capability': got 'x'; expected a finite"),
    (GOOD.assign(actor=["a", None]), r"row 1, column 'actor': got nan; expected a non-blank"),
    (GOOD.assign(actor=["a", "a"]), r"row 1, column 'actor': got 'a'; expected one row per actor"),
    (GOOD.drop(columns="salience"), r"no column 'salience'"),
    (GOOD.assign(salience=[0.0, 0.0]), r"issue 'x': every actor's capability × salience is 0"),
    ("not a frame", "must be a pandas DataFrame"),
])
def test_table_errors_name_row_column_value(bad, match):
    with pytest.raises(InputError, match=match):
        check_table(bad)
    if isinstance(bad, pd.DataFrame) and len(bad):
        with pytest.raises(InputError, match="weighted_mean"):  # each model names itself
            weighted_mean(bad)


def test_row_named_by_index_label():
    bad = GOOD.assign(salience=[1.0, 2.0])
    bad.index = ["first", "second"]
    with pytest.raises(InputError, match="row 'second', column 'salience': got 2.0"):
        weighted_median(bad)


# --------------------------------------------------------------------------------------------
# network positions (Friedkin–Johnsen through powerkit.influence)
# --------------------------------------------------------------------------------------------
def small_network(harbour, ties):
    t = table([("hc_labour", 0, 1, 1), ("hc_civic", 10, 1, 1), ("hc_green", 4, 1, 1),
               ("tidewater", 5, 1, 1)])
    return harbour.replace(ties=pd.DataFrame(ties, columns=["source", "target", "kind",
                                                            "weight"])), t


def test_network_positions_by_hand(harbour):
    # hc_labour (susceptibility 0.30 in the deal) listens to hc_civic; nobody else listens.
    # W row of hc_labour: self 1 − .3 = .7, hc_civic .3; λ = 1 − W_ii = .3.
    # FJ: x = λ(W x) + (1 − λ)x₀ → x = .3(.7x + .3·10) + .7·0 → x = .21x + .9 → x = .9/.79
    deal, t = small_network(harbour, [("hc_labour", "hc_civic", "advice", 1.0)])
    out = network_positions(deal, t).set_index("actor")
    assert out.loc["hc_labour", "position"] == pytest.approx(0.9 / 0.79)
    assert out.loc["hc_labour", "moved"] == pytest.approx(0.9 / 0.79)
    assert out.loc["hc_labour", "initial"] == 0.0
    # hc_civic and hc_green listen to no one: they stay; tidewater is a party: it stays
    assert out.loc[["hc_civic", "hc_green", "tidewater"], "moved"].tolist() == [0, 0, 0]
    assert out.attrs["ties"] is True


def test_network_weight_to_people_without_a_view_returns(harbour):
    # hc_labour listens to hc_civic (1) and tw_ceo (1), who holds no position on the issue:
    # W row: self .7, hc_civic .15, tw_ceo .15 → on the issue: self .85, hc_civic .15, λ' = .15
    # x = .15(.85x + .15·10) → x = .1275x + .225 → x = .225/.8725
    deal, t = small_network(harbour, [("hc_labour", "hc_civic", "advice", 1.0),
                                      ("hc_labour", "tw_ceo", "advice", 1.0)])
    out = network_positions(deal, t).set_index("actor")
    assert out.loc["hc_labour", "position"] == pytest.approx(0.225 / 0.8725)
    W = pd.DataFrame([[0.7, 0.15, 0.15], [0, 1, 0], [0, 0, 1]], index=list("abc"),
                     columns=list("abc"))
    assert np.allclose(issue_matrix(W, ["a", "b"]).to_numpy(), [[0.85, 0.15], [0.0, 1.0]])


def test_network_no_ties_nobody_moves(harbour):
    deal, t = small_network(harbour, [])
    out = network_positions(deal.replace(ties=None), t)
    assert (out["moved"] == 0).all() and out.attrs["ties"] is False


def test_network_fully_susceptible_pair_raises(harbour):
    # two people who listen only to each other with susceptibility 1: no unique limit
    st_ = harbour.stakeholders.copy()
    st_.loc[["hc_labour", "hc_civic"], "susceptibility"] = 1.0
    deal = harbour.replace(stakeholders=st_, ties=pd.DataFrame(
        [("hc_labour", "hc_civic", "advice", 1.0), ("hc_civic", "hc_labour", "advice", 1.0)],
        columns=["source", "target", "kind", "weight"]))
    t = table([("hc_labour", 0, 1, 1), ("hc_civic", 10, 1, 1)])
    with pytest.raises(NoConsensusError, match="fully susceptible"):
        network_positions(deal, t)


def test_network_positions_sample_deal_stays_in_range(harbour):
    out = network_positions(harbour)
    for _, g in out.groupby("issue"):
        assert g["position"].between(g["initial"].min() - 1e-9, g["initial"].max() + 1e-9).all()
    assert (out.loc[out["actor"] == "tidewater", "moved"] == 0).all()


# --------------------------------------------------------------------------------------------
# sensitivity, levers, compare_models, forecast
# --------------------------------------------------------------------------------------------
def test_sensitivity_mean_by_hand():
    # weights 1 at 0 and 3 at 10: F = 30/4 = 7.5; ∂F/∂x_a = 1/4, ∂F/∂x_b = 3/4;
    # ∂F/∂s_a = c_a(x_a − F)/W = 1·(0 − 7.5)/4 = −1.875; ∂F/∂s_b = 3·(10 − 7.5)/4 = 1.875;
    # to shift F by one: W/w = 4 and 4/3
    s = sensitivity(table([("a", 0, 1, 1), ("b", 10, 1, 3)]))
    assert s["d_position"].tolist() == pytest.approx([0.25, 0.75])
    assert s["d_salience"].tolist() == pytest.approx([-1.875, 1.875])
    assert s["to_shift_one"].tolist() == pytest.approx([4.0, 4 / 3])
    # ours unknown → towards the high end
    assert (s["direction"] == 1.0).all()
    # weight 0 → inf, and no new position
    s0 = sensitivity(table([("a", 0, 1, 1), ("b", 10, 0, 3)]))
    assert math.isinf(s0["to_shift_one"].iloc[1]) and math.isnan(s0["new_position"].iloc[1])


def test_sensitivity_rejects_unknown_model():
    with pytest.raises(InputError, match="'model' parameter of sensitivity"):
        sensitivity(GOOD, "bdm")


def test_levers_by_hand():
    # us 1 at 0, b 1 at 6, c 2 at 10: F = 26/4 = 6.5. If b took our 0: F moves 1·6/4 = 1.5;
    # if c did: 2·10/4 = 5 → c, 5/10 = .5 of the range
    t = table([("us", 0, 1, 1), ("b", 6, 1, 1), ("c", 10, 1, 2)])
    r = levers(t, pd.Series({"x": 0.0}), exclude={"us"}).loc["x"]
    assert r["actor"] == "c"
    assert r["shift_if_ours"] == pytest.approx(5.0)
    assert r["share_of_range"] == pytest.approx(0.5)
    assert r["to_shift_one"] == pytest.approx(2.0)  # W/w_c = 4/2


def test_our_position_and_compare(harbour):
    t = positions_table(harbour)
    ours = our_positions(t, harbour)
    # positions.csv: tidewater (us) holds 40, 30, 300, 50, 40 on the five issues
    assert ours.tolist() == [40.0, 30.0, 300.0, 50.0, 40.0]
    c = compare_models(t, harbour)
    assert list(c.index) == list(dict.fromkeys(t["issue"]))
    for col in ("mean", "median", "condorcet", "bdm", "exchange", "network_mean", "low",
                "high", "ours", "scale_low", "scale_high"):
        assert col in c.columns
    # the concession fee: positions 39..43; scale ends as written in positions.csv
    fee = c.loc["concession fee (EUR m)"]
    assert (fee["low"], fee["high"]) == (39.0, 43.0)
    assert fee["scale_low"] == "EUR 34m: our opening bid"
    assert fee["mean"] == pytest.approx(weighted_mean(t).loc["concession fee (EUR m)",
                                                              "forecast"])
    # without a deal: no ours, no network column
    c0 = compare_models(load_eu_emissions())
    assert "network_mean" not in c0 and c0["ours"].isna().all()


def test_forecast_on_the_sample_deal(harbour):
    f = forecast(harbour)
    assert f.issues == list(dict.fromkeys(f.table["issue"]))
    assert f.network is not None
    assert len(f.sensitivity) == len(f.table) == len(f.sensitivity_median)
    # the levers never name our own side and always help
    assert not f.levers["actor"].isin(["tidewater", "tw_ceo", "tw_bid_dir", "tw_pa",
                                       "tw_fin"]).any()
    assert (f.levers["shift_if_ours"] > 0).all()
    assert f.best_lever is not None and f.best_lever.name in f.issues
    assert f.levers["share_of_range"].is_monotonic_decreasing


# --------------------------------------------------------------------------------------------
# properties every model shares
# --------------------------------------------------------------------------------------------
@st.composite
def tables(draw, max_actors=5, max_issues=2, grid=False):
    n = draw(st.integers(1, max_actors))
    k = draw(st.integers(1, max_issues))
    pos = st.integers(0, 10).map(float) if grid else st.floats(-50, 50, allow_nan=False)
    rows = []
    for j in range(k):
        for i in range(n):
            rows.append({"actor": f"a{i}", "issue": f"i{j}", "position": draw(pos),
                         "salience": draw(st.floats(0.05, 1.0)),
                         "capability": draw(st.floats(0.01, 10.0))})
    return pd.DataFrame(rows)


MINE = {"mean": weighted_mean, "median": weighted_median, "condorcet": condorcet_winner}


@SLOW
@given(tables(grid=True))
def test_every_forecast_lies_within_the_positions(t):
    c = compare_models(t, rounds=3)
    for col in ("mean", "median", "condorcet", "bdm", "exchange"):
        v = c[col].dropna()
        assert (v >= c.loc[v.index, "low"] - 1e-9).all(), col
        assert (v <= c.loc[v.index, "high"] + 1e-9).all(), col


@FAST
@given(tables(), st.floats(0.01, 1000.0))
def test_scaling_capabilities_changes_nothing(t, k):
    scaled = t.assign(capability=t["capability"] * k)
    for name, f in MINE.items():
        a, b = f(t)["forecast"], f(scaled)["forecast"]
        assert np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True), name


@FAST
@given(tables(grid=True), st.randoms(use_true_random=False))
def test_permuting_rows_changes_nothing(t, rnd):
    order = list(range(len(t)))
    rnd.shuffle(order)
    shuffled = t.iloc[order]
    for name, f in MINE.items():
        a = f(t)["forecast"]
        b = f(shuffled)["forecast"].reindex(a.index)
        assert np.allclose(a, b, equal_nan=True), name
    assert condorcet_winner(t)["winner"].tolist() == \
        condorcet_winner(shuffled)["winner"].reindex(condorcet_winner(t).index).tolist()
    s1 = sensitivity(t).set_index(["actor", "issue"]).sort_index()
    s2 = sensitivity(shuffled).set_index(["actor", "issue"]).sort_index()
    assert np.allclose(s1["d_position"], s2["d_position"])


@FAST
@given(tables(max_issues=1), st.data())
def test_mean_sensitivity_equals_a_finite_difference(t, data):
    i = data.draw(st.integers(0, len(t) - 1))
    s = sensitivity(t)
    h = 1e-4
    up, dn = t.copy(), t.copy()
    up.loc[i, "position"] += h
    dn.loc[i, "position"] -= h
    fd = (weighted_mean(up)["forecast"].iloc[0] - weighted_mean(dn)["forecast"].iloc[0]) / (2 * h)
    assert s.loc[i, "d_position"] == pytest.approx(fd, rel=1e-5, abs=1e-8)
    sal = t.loc[i, "salience"]
    hs = min(1e-5, sal / 2, (1 - sal) / 2) if 0 < sal < 1 else 0.0
    if hs >= 1e-8:  # a central difference inside 0..1
        up, dn = t.copy(), t.copy()
        up.loc[i, "salience"] += hs
        dn.loc[i, "salience"] -= hs
        fd = (weighted_mean(up)["forecast"].iloc[0]
              - weighted_mean(dn)["forecast"].iloc[0]) / (2 * hs)
        assert s.loc[i, "d_salience"] == pytest.approx(fd, rel=1e-4, abs=1e-6)
    elif sal > 0:  # at (or a rounding step below) the top of the scale: a backward difference
        hb = min(1e-6, sal / 2)  # (the central step would be below the forecast's rounding)
        dn = t.copy()
        dn.loc[i, "salience"] -= hb
        fd = (weighted_mean(t)["forecast"].iloc[0] - weighted_mean(dn)["forecast"].iloc[0]) / hb
        assert s.loc[i, "d_salience"] == pytest.approx(fd, rel=1e-3, abs=1e-5)
    # moving the actor by to_shift_one in the direction shifts the mean by exactly one unit
    r = s.loc[i]
    if math.isfinite(r["to_shift_one"]):
        moved = t.copy()
        moved.loc[i, "position"] = r["new_position"]
        F1 = weighted_mean(moved)["forecast"].iloc[0]
        assert (F1 - r["forecast"]) * r["direction"] == pytest.approx(1.0, rel=1e-6)


@FAST
@given(tables(max_actors=4, max_issues=1, grid=True), st.data())
def test_median_shift_is_the_smallest_move(t, data):
    # independent check of the bisection: step along a fine grid of moves
    i = data.draw(st.integers(0, len(t) - 1))
    s = sensitivity(t, "median")
    d = s.loc[i, "to_shift_one"]
    F0 = weighted_median(t)["forecast"].iloc[0]

    def shift(m):
        y = t.copy()
        y.loc[i, "position"] += m
        return weighted_median(y)["forecast"].iloc[0] - F0

    if math.isinf(d):
        assert shift(1e4) < 1.0
    else:
        assert shift(d + 1e-6) >= 1.0 - 1e-9
        assert shift(max(d - 1e-3, 0.0)) < 1.0


@SLOW
@given(tables(max_actors=4, grid=True), st.floats(0.01, 1000.0), st.randoms(use_true_random=False))
def test_every_model_ignores_capability_scale_and_row_order(t, k, rnd):
    # the same two properties for the expected-utility and exchange models, through
    # compare_models (every model column at once)
    base = compare_models(t, rounds=3)
    scaled = compare_models(t.assign(capability=t["capability"] * k), rounds=3)
    order = list(range(len(t)))
    rnd.shuffle(order)
    shuffled = compare_models(t.iloc[order], rounds=3).reindex(base.index)
    for col in ("mean", "median", "condorcet", "bdm", "exchange"):
        assert np.allclose(base[col], scaled[col], rtol=1e-7, atol=1e-7, equal_nan=True), col
        assert np.allclose(base[col], shuffled[col], rtol=1e-7, atol=1e-7, equal_nan=True), col
