"""Tests of powerkit.constraints: Bayes with competing hypotheses, ACH, information gain.

Where each expected number comes from is said next to it: a published case (Gigerenzer &
Hoffrage 1995; Cover & Thomas 2006), a hand derivation written in the comment, or an independent
method (brute-force Bayes over the answers, the textbook entropy formula written out here).
The fixture deal tests/fixtures/constraints/basic is small enough to compute by hand:

    hb (independent, prior 1/2): e7 p 0.8/0.2 (LR 4), credibility 0.5      → LR_eff 2
    hd (independent, prior 0.6): e1 CC (×4), e2 C (×2), e3 I (×1/4)        → LR 2
    group "why": gp prior 0.6, gc prior 0.4; e4 gp CC (×4), e5 gc CC (×4), e6 gp C (×2)
"""
from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import powerkit
from powerkit import constraints as C
from powerkit.plots.constraints import ach_figure, posterior_figure, question_figure
from powerkit.sections.constraints import section as report_section

BASIC = Path(__file__).parent / "fixtures" / "constraints" / "basic"
DEALS = Path(__file__).resolve().parents[1] / "data" / "deals"
PROPS = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def h2(p: float) -> float:
    """Binary entropy in bits, written out (Shannon 1948), independent of the module."""
    return 0.0 if p in (0.0, 1.0) else -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


def H(ps) -> float:
    return -sum(p * math.log2(p) for p in ps if p > 0)


@pytest.fixture(scope="module")
def basic():
    return powerkit.load_deal(BASIC)


@pytest.fixture(scope="module")
def basic_analysis(basic):
    return C.analyse(basic)


# ---------------------------------------------------------------------------------------------
# posterior (mutually exclusive, exhaustive)
# ---------------------------------------------------------------------------------------------

def test_posterior_mammography_published():
    # Gigerenzer & Hoffrage (1995), Psychological Review 102(4): base rate 1 %, P(+|cancer)
    # 80 %, P(+|no cancer) 9.6 % → "7.8 %". By hand: 0.008 / (0.008 + 0.09504) = 0.0776397.
    prior = pd.Series({"cancer": 0.01, "healthy": 0.99})
    lik = pd.DataFrame({"cancer": [0.8], "healthy": [0.096]})
    post = C.posterior(prior, lik)
    assert post["cancer"] == pytest.approx(0.008 / (0.008 + 0.096 * 0.99), rel=1e-12)
    assert round(post["cancer"], 3) == 0.078
    assert post.sum() == pytest.approx(1.0)


def test_posterior_three_hypotheses_by_hand():
    # joint: a 0.5·0.8·0.5 = 0.2, b 0.3·0.4·0.5 = 0.06, c 0.2·0.1·0.9 = 0.018; sum 0.278
    # → a 200/278 = 100/139, b 60/278 = 30/139, c 18/278 = 9/139
    prior = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
    lik = pd.DataFrame({"a": [0.8, 0.5], "b": [0.4, 0.5], "c": [0.1, 0.9]}, index=["e1", "e2"])
    post = C.posterior(prior, lik)
    assert post.to_dict() == pytest.approx({"a": 100 / 139, "b": 30 / 139, "c": 9 / 139},
                                           rel=1e-12)
    assert list(post.index) == ["a", "b", "c"]


def test_posterior_column_order_and_zeros():
    # columns in another order are matched by label; P(e|c) = 0 rules c out exactly;
    # a zero prior stays zero. By hand: a 0.5·0.5 = 0.25, b 0.5·1 = 0.5 → 1/3, 2/3.
    prior = pd.Series({"a": 0.5, "b": 0.5, "c": 0.0})
    lik = pd.DataFrame({"c": [0.9], "b": [1.0], "a": [0.5]})
    post = C.posterior(prior, lik)
    assert post["c"] == 0.0
    assert post[["a", "b"]].tolist() == pytest.approx([1 / 3, 2 / 3])


def test_posterior_many_items_stays_exact_in_log_space():
    # 500 items each with likelihood 0.01 vs 0.02: the product underflows in linear space
    # (0.01**500 = 1e-1000) but the ratio is 2**-500; posterior of a = 1 / (1 + 2**500).
    prior = pd.Series({"a": 0.5, "b": 0.5})
    lik = pd.DataFrame({"a": [0.01] * 500, "b": [0.02] * 500})
    post = C.posterior(prior, lik)
    assert post["b"] == pytest.approx(1.0)
    assert post["a"] == pytest.approx(2.0 ** -500, rel=1e-9)


@pytest.mark.parametrize("prior, lik, words", [
    (pd.Series({"a": 0.5, "b": 0.6}), pd.DataFrame({"a": [0.5], "b": [0.5]}), "sum to 1"),
    (pd.Series({"a": 1.5, "b": -0.5}), pd.DataFrame({"a": [0.5], "b": [0.5]}), "in [0, 1]"),
    (pd.Series({"a": 0.5, "b": 0.5}), pd.DataFrame({"a": [1.2], "b": [0.5]}), "'likelihood'"),
    (pd.Series({"a": 0.5, "b": 0.5}), pd.DataFrame({"a": [0.5], "x": [0.5]}), "one column per"),
    (pd.Series({"a": 0.5, "b": 0.5}), pd.DataFrame({"a": [0.0], "b": [0.0]}), "impossible"),
    ([0.5, 0.5], pd.DataFrame({"a": [0.5], "b": [0.5]}), "pandas Series"),
])
def test_posterior_bad_arguments(prior, lik, words):
    with pytest.raises(ValueError, match="parameter of posterior must") as exc:
        C.posterior(prior, lik)
    assert words in str(exc.value)


# ---------------------------------------------------------------------------------------------
# independent hypotheses, credibility
# ---------------------------------------------------------------------------------------------

def test_independent_odds_form_by_hand():
    # prior 0.2 (odds 1/4), LRs 3 and 2 → odds 6/4 = 1.5 → 0.6; h2 untouched (NaN = no bearing)
    prior = pd.Series({"h1": 0.2, "h2": 0.7})
    lr = pd.DataFrame({"h1": [3.0, 2.0], "h2": [np.nan, np.nan]}, index=["e1", "e2"])
    post = C.posterior_independent(prior, lr)
    assert post["h1"] == pytest.approx(0.6)
    assert post["h2"] == pytest.approx(0.7)


def test_independent_matches_two_hypothesis_posterior():
    # Independent method: H vs not-H as a two-hypothesis exclusive set via posterior().
    prior = pd.Series({"h": 0.01})
    lr = pd.DataFrame({"h": [0.8 / 0.096]})
    two = C.posterior(pd.Series({"h": 0.01, "not": 0.99}),
                      pd.DataFrame({"h": [0.8], "not": [0.096]}))
    assert C.posterior_independent(prior, lr)["h"] == pytest.approx(two["h"], rel=1e-12)


def test_credibility_weighting_lr_power():
    # LR_eff = LR ** c: LR 4 with c = 0.5 → 2 → posterior 2/3 from 1/2; c = 0 → prior
    prior = pd.Series({"h": 0.5})
    lr = pd.DataFrame({"h": [4.0]}, index=["e"])
    assert C.posterior_independent(prior, lr, pd.Series({"e": 0.5}))["h"] == pytest.approx(2 / 3)
    assert C.posterior_independent(prior, lr, pd.Series({"e": 0.0}))["h"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="'credibility'"):
        C.posterior_independent(prior, lr, pd.Series({"e": 1.5}))
    with pytest.raises(ValueError, match="positive"):
        C.posterior_independent(prior, pd.DataFrame({"h": [0.0]}))


@PROPS
@given(prior=st.floats(0.01, 0.99),
       lrs=st.lists(st.floats(0.01, 100.0), min_size=1, max_size=8))
def test_property_credibility_zero_is_neutral(prior, lrs):
    p = pd.Series({"h": prior})
    lr = pd.DataFrame({"h": lrs})
    post = C.posterior_independent(p, lr, pd.Series(0.0, index=lr.index))
    assert post["h"] == pytest.approx(prior, rel=1e-12)


def test_credibility_zero_is_neutral_on_a_deal():
    deal = powerkit.load_deal(DEALS / "northwind-vendor") if (DEALS / "northwind-vendor").exists() \
        else powerkit.load_deal(BASIC)
    ids = deal.evidence["evidence"].unique()
    a = C.analyse(deal, credibility={e: 0.0 for e in ids})
    np.testing.assert_allclose(a.hypotheses["posterior"], a.hypotheses["prior"], atol=1e-12)
    assert (a.contributions.to_numpy() == 0).all()


# ---------------------------------------------------------------------------------------------
# information gain
# ---------------------------------------------------------------------------------------------

def test_information_gain_twenty_questions():
    # 4 equally likely hypotheses: a question splitting 2/2 gains H(1/2) = 1 bit; one singling
    # out one hypothesis gains h(1/4) = 1/4·2 + 3/4·log2(4/3) = 0.811278 bits (hand).
    prior = pd.Series(0.25, index=list("abcd"))
    assert C.information_gain(prior, pd.Series({"a": 1, "b": 1, "c": 0, "d": 0})) == 1.0
    assert C.information_gain(prior, pd.Series({"a": 1, "b": 0, "c": 0, "d": 0})) == \
        pytest.approx(0.25 * 2 + 0.75 * math.log2(4 / 3), rel=1e-12)


def test_information_gain_binary_symmetric_channel():
    # Cover & Thomas (2006), Elements of Information Theory, §7.1.4: the binary symmetric
    # channel with crossover p has capacity 1 − H(p), reached with a uniform input. A question
    # answered "yes" with 0.9 under a and 0.1 under b is that channel: 1 − h(0.1) = 0.531004.
    prior = pd.Series({"a": 0.5, "b": 0.5})
    ig = C.information_gain(prior, pd.Series({"a": 0.9, "b": 0.1}))
    assert ig == pytest.approx(1 - h2(0.1), rel=1e-12)
    assert round(ig, 6) == 0.531004


def brute_force_gain(prior: pd.Series, p_yes: pd.Series) -> float:
    """H(prior) − Σ_answers P(answer) H(posterior | answer), each posterior by Bayes' rule."""
    out = H(prior)
    for lik in (p_yes, 1 - p_yes):
        p_a = float((prior * lik).sum())
        if p_a > 0:
            out -= p_a * H(C.posterior(prior, lik.to_frame().T))
    return out


prob_vectors = st.lists(st.floats(0.01, 1.0), min_size=2, max_size=6).map(
    lambda xs: pd.Series(np.array(xs) / sum(xs), index=[f"h{i}" for i in range(len(xs))]))


@PROPS
@given(data=st.data())
def test_property_information_gain_matches_brute_force_and_is_non_negative(data):
    prior = data.draw(prob_vectors)
    p = data.draw(st.lists(st.floats(0.0, 1.0), min_size=len(prior), max_size=len(prior)))
    p_yes = pd.Series(p, index=prior.index)
    ig = C.information_gain(prior, p_yes)
    assert ig >= 0.0
    assert ig <= 1.0 + 1e-12  # a yes/no answer carries at most one bit
    assert ig == pytest.approx(brute_force_gain(prior, p_yes), abs=1e-9)


@PROPS
@given(prior=prob_vectors, p=st.floats(0.0, 1.0))
def test_property_information_gain_zero_when_answer_uninformative(prior, p):
    assert C.information_gain(prior, pd.Series(p, index=prior.index)) == 0.0


def test_question_gains_matches_information_gain():
    prior = pd.Series({"a": 0.5, "b": 0.3, "c": 0.2})
    P = pd.DataFrame([[0.9, 0.2, 0.1], [0.5, 0.5, 0.5], [0.0, 1.0, 1.0]],
                     index=["q1", "q2", "q3"], columns=["a", "b", "c"])
    g = C.question_gains(prior, P)
    for q in P.index:
        assert g[q] == pytest.approx(C.information_gain(prior, P.loc[q]), abs=1e-15)
    # q3 separates a from {b, c} exactly: gain = H(0.5, 0.5) = 1 bit; q2 is a coin: 0
    assert g["q3"] == pytest.approx(1.0)
    assert g["q2"] == 0.0
    assert list(g.index)[0] == "q3"


def test_information_gain_bad_arguments():
    prior = pd.Series({"a": 0.5, "b": 0.5})
    with pytest.raises(ValueError, match="'p_yes' parameter of information_gain"):
        C.information_gain(prior, pd.Series({"a": 0.5}))
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        C.information_gain(prior, pd.Series({"a": 1.5, "b": 0.5}))


# ---------------------------------------------------------------------------------------------
# property tests on posteriors
# ---------------------------------------------------------------------------------------------

@st.composite
def exclusive_case(draw):
    prior = draw(prob_vectors)
    n_e = draw(st.integers(1, 12))
    lik = pd.DataFrame(
        np.array(draw(st.lists(st.floats(0.001, 1.0), min_size=n_e * len(prior),
                               max_size=n_e * len(prior)))).reshape(n_e, len(prior)),
        columns=prior.index, index=[f"e{i}" for i in range(n_e)])
    return prior, lik


@PROPS
@given(case=exclusive_case(), c=st.floats(0.001, 1.0))
def test_property_lr_one_evidence_changes_nothing(case, c):
    prior, lik = case
    neutral = pd.DataFrame([[c] * len(prior)], columns=prior.index, index=["flat"])
    pd.testing.assert_series_equal(C.posterior(prior, pd.concat([lik, neutral])),
                                   C.posterior(prior, lik), rtol=1e-9, atol=1e-12)


@PROPS
@given(case=exclusive_case(), seed=st.integers(0, 2**31 - 1))
def test_property_order_of_evidence_does_not_matter(case, seed):
    prior, lik = case
    shuffled = lik.sample(frac=1.0, random_state=seed)
    pd.testing.assert_series_equal(C.posterior(prior, shuffled), C.posterior(prior, lik),
                                   rtol=1e-9, atol=1e-12)


@PROPS
@given(case=exclusive_case())
def test_property_posteriors_are_probabilities_summing_to_one(case):
    prior, lik = case
    post = C.posterior(prior, lik)
    assert ((post >= 0) & (post <= 1)).all()
    assert post.sum() == pytest.approx(1.0, abs=1e-12)


@PROPS
@given(prior=st.floats(0.0, 1.0), lrs=st.lists(st.floats(1e-3, 1e3), max_size=10))
def test_property_independent_posteriors_within_unit_interval(prior, lrs):
    p = pd.Series({"h": prior})
    post = C.posterior_independent(p, pd.DataFrame({"h": lrs}, dtype=float))
    assert 0.0 <= post["h"] <= 1.0


# ---------------------------------------------------------------------------------------------
# the deal: ratings, probability rows, groups, credibility (fixture computed by hand)
# ---------------------------------------------------------------------------------------------

def test_rating_table_is_the_documented_scale():
    # docs/methods/constraints.md: CC +2, C +1, N 0, I −2, II −4 bits
    t = C.rating_table()
    assert list(t.index) == ["CC", "C", "N", "I", "II"]
    assert t["likelihood_ratio"].tolist() == [4.0, 2.0, 1.0, 0.25, 0.0625]
    assert t["bits"].is_monotonic_decreasing


def test_fixture_posteriors_by_hand(basic_analysis):
    post = basic_analysis.hypotheses["posterior"]
    # hb: prior odds 1, LR (0.8/0.2) ** 0.5 = 2 → 2/3
    assert post["hb"] == pytest.approx(2 / 3)
    # hd: prior odds 0.6/0.4 = 1.5, × 4 × 2 × 1/4 = 3 → 3/4
    assert post["hd"] == pytest.approx(0.75)
    # group: gp 0.6 · 4 · 2 = 4.8, gc 0.4 · 4 = 1.6 → 0.75, 0.25
    assert post["gp"] == pytest.approx(0.75)
    assert post["gc"] == pytest.approx(0.25)
    conc = basic_analysis.hypotheses["conclusion"]
    assert conc["gp"] == "leading in its group" and conc["hd"] == "likely"


def test_fixture_group_matches_pure_posterior(basic):
    # Independent method: the group as an exclusive set through posterior(), with the
    # documented rating table as likelihoods (unrated member = N = 1).
    lik = pd.DataFrame({"gp": [4.0, 1.0, 2.0], "gc": [1.0, 4.0, 1.0]}) / 4.0
    pure = C.posterior(pd.Series({"gp": 0.6, "gc": 0.4}), lik)
    deal_post = C.analyse(basic).hypotheses["posterior"]
    assert deal_post[["gp", "gc"]].tolist() == pytest.approx(pure[["gp", "gc"]].tolist())


def test_weights_of_evidence_in_bits(basic_analysis):
    W = basic_analysis.contributions
    # e1 CC → +2 bits; e3 I → −2 bits; e7 0.5 · log2(4) = 1 bit; unrated cells 0
    assert W.loc["e1", "hd"] == pytest.approx(2.0)
    assert W.loc["e3", "hd"] == pytest.approx(-2.0)
    assert W.loc["e7", "hb"] == pytest.approx(1.0)
    assert W.loc["e7", "hd"] == 0.0
    assert basic_analysis.weights["e7"] == 0.5


def test_diagnosticity_by_hand(basic_analysis):
    d = basic_analysis.diagnosticity["diagnosticity_bits"]
    # independent: |w|; group: spread max − min of the item's weights over the group's members
    # (e4: gp 2, gc 0 → 2; e6: gp 1, gc 0 → 1)
    assert d.to_dict() == pytest.approx({"e1": 2, "e2": 1, "e3": 2, "e4": 2, "e5": 2,
                                         "e6": 1, "e7": 1})
    assert basic_analysis.diagnosticity.loc["e4", "most_on"] == "group why"


def test_item_consistent_with_every_hypothesis_has_no_diagnosticity(basic):
    # Heuer (1999, ch. 8): evidence consistent with all hypotheses has no diagnostic value.
    ev = basic.evidence
    extra = pd.DataFrame([{**ev.iloc[0].to_dict(), "evidence": "e8", "hypothesis": h,
                           "rating": "C"} for h in ("gp", "gc")])
    deal = basic.replace(evidence=pd.concat([ev, extra], ignore_index=True))
    a = C.analyse(deal)
    assert a.diagnosticity.loc["e8", "diagnosticity_bits"] == 0.0
    assert a.hypotheses["posterior"]["gp"] == pytest.approx(0.75)


def test_sensitivity_finds_the_items_a_conclusion_rests_on(basic_analysis):
    s = basic_analysis.sensitivity.set_index("evidence")
    # hd without e1: odds 1.5 × 2 × 1/4 = 0.75 → 3/7 < 0.5 (flips); without e2: 1.5 × 1 → 0.6;
    # without e3: 1.5 × 8 → 12/13 (no flip). Group without e4: gp 1.2 vs gc 1.6 → gc leads
    # with 4/7; without e6: 2.4 vs 1.6 → gp still leads; without e5: 4.8 vs 0.4 → gp leads.
    assert set(s.index) == {"e1", "e4"}
    assert s.loc["e1", "posterior_without"] == pytest.approx(3 / 7)
    assert s.loc["e1", "conclusion_without"] == "unlikely"
    assert s.loc["e4", "conclusion_without"] == "gc leads"
    assert s.loc["e4", "posterior_without"] == pytest.approx(4 / 7)


def test_group_probability_row_uses_p_if_false_for_unrated_members(basic):
    # one item rating only gp with p 0.8/0.2: gc gets the 0.2 (the "otherwise" probability);
    # by hand: gp 0.6 · 0.8 = 0.48, gc 0.4 · 0.2 = 0.08 → gp = 0.48 / 0.56 = 6/7
    ev = pd.DataFrame([{**basic.evidence.iloc[0].to_dict(), "evidence": "x", "hypothesis": "gp",
                        "rating": None, "p_if_true": 0.8, "p_if_false": 0.2,
                        "credibility": 1.0}])
    a = C.analyse(basic.replace(evidence=ev))
    assert a.hypotheses.loc["gp", "posterior"] == pytest.approx(6 / 7)
    assert a.hypotheses.loc["hd", "posterior"] == pytest.approx(0.6)  # untouched prior


def test_overrides_off_rating_credibility(basic):
    # e1 off: hd odds 1.5 × 2 × 1/4 = 0.75 → 3/7
    assert C.analyse(basic, off=["e1"]).hypotheses.loc["hd", "posterior"] == pytest.approx(3 / 7)
    # e3 rated II instead of I: 1.5 × 4 × 2 / 16 = 0.75 → 3/7
    a = C.analyse(basic, ratings={"e3": {"hd": "II"}})
    assert a.hypotheses.loc["hd", "posterior"] == pytest.approx(3 / 7)
    # a rating replaces a probability pair: e7 rated N → hb stays at its prior
    a = C.analyse(basic, ratings={"e7": {"hb": "N"}})
    assert a.hypotheses.loc["hb", "posterior"] == pytest.approx(0.5)
    # credibility by source: 'website' (e2) to 0 → 1.5 × 4 × 1/4 → 0.6; by id wins over source
    a = C.analyse(basic, credibility={"website": 0.0, "e7": 1.0})
    assert a.hypotheses.loc["hd", "posterior"] == pytest.approx(0.6)
    assert a.hypotheses.loc["hb", "posterior"] == pytest.approx(0.8)  # full LR 4 → 4/5
    # a rating for a blank cell: e2 rated II for gc → gc × 1/16: gp 4.8, gc 0.1 → 48/49
    a = C.analyse(basic, ratings={"e2": {"gc": "II"}})
    assert a.hypotheses.loc["gp", "posterior"] == pytest.approx(4.8 / 4.9)


@pytest.mark.parametrize("kw, words", [
    (dict(off=["nope"]), "'off' parameter"),
    (dict(ratings={"e1": {"hd": "VC"}}), "'ratings' parameter"),
    (dict(ratings={"e1": {"hx": "C"}}), "'ratings' parameter"),
    (dict(credibility={"e1": 2.0}), "'credibility' parameter"),
    (dict(threshold=1.0), "'threshold' parameter"),
    (dict(rating_lr={"C": -1}), "'rating_lr' parameter"),
])
def test_analyse_bad_overrides(basic, kw, words):
    with pytest.raises(ValueError, match=words):
        C.analyse(basic, **kw)


def test_no_evidence_no_questions_keeps_priors(basic):
    a = C.analyse(basic.replace(evidence=None, questions=None))
    assert a.hypotheses["posterior"].tolist() == pytest.approx(basic.hypotheses["prior"].tolist())
    assert len(a.questions) == 0 and len(a.sensitivity) == 0


def test_missing_hypotheses_table(basic):
    with pytest.raises(powerkit.MissingTableError, match="hypotheses"):
        C.analyse(basic.replace(hypotheses=None))


@functools.lru_cache(maxsize=1)
def basic_deal():
    return powerkit.load_deal(BASIC)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_property_deal_evidence_order_does_not_matter(seed):
    deal = basic_deal()
    base = C.analyse(deal).hypotheses["posterior"]
    shuffled = deal.evidence.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    post = C.analyse(deal.replace(evidence=shuffled)).hypotheses["posterior"]
    pd.testing.assert_series_equal(post, base, rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------------------------------------
# questions and answers on the fixture
# ---------------------------------------------------------------------------------------------

def test_question_ranking_by_hand(basic_analysis):
    q = basic_analysis.questions.set_index("question")
    # q1 on hb (π = 2/3): P(yes) = 2/3·0.9 + 1/3·0.1 = 19/30; gain = h(19/30) − h(0.9)
    # (h(0.9) = h(0.1), so both conditional entropies are equal)
    g1 = h2(19 / 30) - (2 / 3) * h2(0.9) - (1 / 3) * h2(0.1)
    # q2 on group why (gp 0.75, gc 0.25): gp 0.8; gc unrated → p_yes_if_false 0.3
    g2 = h2(0.75 * 0.8 + 0.25 * 0.3) - 0.75 * h2(0.8) - 0.25 * h2(0.3)
    assert q.loc["q1", "expected_gain_bits"] == pytest.approx(g1, rel=1e-12)
    assert q.loc["q2", "expected_gain_bits"] == pytest.approx(g2, rel=1e-12)
    assert q.loc["q3", "expected_gain_bits"] == 0.0  # 0.5 / 0.5: the answer says nothing
    assert basic_analysis.questions["question"].tolist() == ["q1", "q2", "q3"]
    assert basic_analysis.questions["rank"].tolist() == [1, 2, 3]
    assert q.loc["q2", "p_yes"] == pytest.approx(0.675)


def test_question_outcomes_by_hand(basic_analysis):
    o = basic_analysis.outcomes.set_index(["question", "hypothesis"])
    # q1 yes: (2/3 · 0.9) / (19/30) = 18/19; no: (2/3 · 0.1) / (11/30) = 2/11
    assert o.loc[("q1", "hb"), "if_yes"] == pytest.approx(18 / 19)
    assert o.loc[("q1", "hb"), "if_no"] == pytest.approx(2 / 11)
    # q2 yes: gp 0.6 / 0.675 = 8/9; no: gp 0.15 / 0.325 = 6/13, gc 7/13
    assert o.loc[("q2", "gp"), "if_yes"] == pytest.approx(8 / 9)
    assert o.loc[("q2", "gp"), "if_no"] == pytest.approx(6 / 13)
    assert o.loc[("q2", "gc"), "if_no"] == pytest.approx(7 / 13)
    # the expected posterior equals the current one (martingale property of Bayes' rule)
    for (_q, _h), r in o.iterrows():
        assert r["p_yes"] * r["if_yes"] + (1 - r["p_yes"]) * r["if_no"] == pytest.approx(r["now"])


@pytest.mark.parametrize("question, answer, hyp, expected", [
    ("q1", "yes", "hb", 18 / 19), ("q1", "no", "hb", 2 / 11), ("q1", True, "hb", 18 / 19),
    ("q2", "yes", "gp", 8 / 9), ("q2", "no", "gc", 7 / 13), ("q3", "yes", "hd", 0.75),
])
def test_answer_question_updates_as_predicted(basic, question, answer, hyp, expected):
    updated = C.answer_question(basic, question, answer)
    assert len(updated.evidence) == len(basic.evidence) + (basic.questions["question"] == question).sum()
    post = C.analyse(updated).hypotheses.loc[hyp, "posterior"]
    assert post == pytest.approx(expected, rel=1e-9)
    # the same through what_if(answers=...)
    word = "yes" if answer in ("yes", True) else "no"
    assert C.what_if(basic, answers={question: word}).hypotheses.loc[hyp, "posterior"] == \
        pytest.approx(expected, rel=1e-9)


def test_answer_question_twice_replaces_and_errors(basic):
    d = C.answer_question(C.answer_question(basic, "q1", "yes"), "q1", "yes")
    assert (d.evidence["evidence"] == "q1=yes").sum() == 1
    with pytest.raises(ValueError, match="'question' parameter of answer_question"):
        C.answer_question(basic, "q9", "yes")
    with pytest.raises(ValueError, match="'answer' parameter of answer_question"):
        C.answer_question(basic, "q1", "maybe")


def test_answered_question_loses_its_gain(basic):
    a = C.what_if(basic, answers={"q2": "yes"})
    before = C.analyse(basic).entropy_bits
    # after a yes on q2 the group's entropy falls from H(0.75, 0.25) to H(8/9, 1/9)
    assert before - a.entropy_bits == pytest.approx(H([0.75, 0.25]) - H([8 / 9, 1 / 9]))


# ---------------------------------------------------------------------------------------------
# catalogue, implications for power
# ---------------------------------------------------------------------------------------------

def test_catalogue_covers_the_deal_format_kinds():
    from powerkit.deal.schemas import CONSTRAINT_KINDS
    cat = C.catalogue()
    assert set(cat.index) == set(CONSTRAINT_KINDS)
    for k in C.CATALOGUE.values():
        assert len(k.signals) >= 3 and len(k.levers) >= 3 and k.approach
        assert set(k.power_effects) <= set(C.POSITIONAL_INPUTS)
    # the examples: budget pressure → phased payment, pilot scope; budget pressure and
    # a hard deadline lower positional power (fewer resources, more time pressure)
    assert "phased payment" in cat.loc["budget_pressure", "levers"]
    assert "pilot" in cat.loc["budget_pressure", "levers"]
    assert C.CATALOGUE["budget_pressure"].power_effects["resources"] < 0
    assert C.CATALOGUE["hard_deadline"].power_effects["time"] < 0  # less patience


def test_power_adjustments_by_hand(basic_analysis):
    # expected delta = posterior × catalogue delta (power-module scale, higher = more power);
    # the buyer (holder of hb; party of omar and dana) collects:
    # time 0.75·(−0.3) (hd) + 0.25·(+0.1) (gc) = −0.2;
    # resources (2/3)·(−0.2) (hb) + 0.25·(−0.1) (gc) = −0.158333; batna 0.75·0.2 = 0.15 (gp)
    ov = C.power_deltas(basic_analysis)
    assert ov == {"buyer": pytest.approx({"time": -0.2, "resources": -0.2 * 2 / 3 - 0.025,
                                          "batna": 0.15}, abs=1e-6)}
    only = C.power_deltas(basic_analysis, likely_only=True)
    assert only["buyer"]["time"] == pytest.approx(-0.225)  # gc (0.25) is not likely
    adj = C.power_adjustments(basic_analysis)
    assert set(adj["party"]) == {"buyer"}
    assert adj.loc[adj["hypothesis"] == "hd", "holder"].item() == "omar"
    ap = C.approach(basic_analysis)
    assert set(ap["hypothesis"]) == {"hd", "gp", "hb"}  # the likely ones
    assert ap["posterior"].is_monotonic_decreasing


def test_catalogue_inputs_are_power_module_inputs():
    from powerkit import power
    for name in C.POSITIONAL_INPUTS:
        assert name in power.INPUTS and power.INPUTS[name][0] == "positional"


def test_power_shift_matches_linear_balance(basic, basic_analysis):
    # powerkit.power: balance = Σ_i W_src·w_i·(us_i − them_i) (its drivers sum to the
    # balance), so changing the counterpart's input i by Δ_i moves the balance by
    # −Σ W_src·w_i·Δ_i. Independent check of the re-scoring through that linear form.
    from powerkit import power
    shift = C.power_shift(basic, basic_analysis)
    prof = power.power_profile(basic)
    base = prof.inputs.set_index(["party", "input"])["value"]
    wt = prof.drivers.set_index("input")["weight"]
    t = shift.table.set_index("input")
    assert set(t.index) == {"time", "resources", "batna"}
    expected_change = 0.0
    for inp, r in t.iterrows():
        assert r["before"] == pytest.approx(base[("buyer", inp)])
        assert r["after"] == pytest.approx(min(1, max(0, r["before"] + r["delta"])))
        expected_change -= wt[inp] * (r["after"] - r["before"])
    assert shift.balance_before == pytest.approx(prof.balance)
    assert shift.change == pytest.approx(expected_change, abs=1e-9)


# ---------------------------------------------------------------------------------------------
# figures and the report section
# ---------------------------------------------------------------------------------------------

def test_figures(basic_analysis):
    a = basic_analysis
    fig = ach_figure(a)
    np.testing.assert_allclose(np.array(fig.data[0].z), a.contributions.to_numpy().T)
    assert list(fig.data[1].y) == pytest.approx(a.diagnosticity["diagnosticity_bits"].tolist())
    assert fig.layout.yaxis2.title.text == "diagnosticity (bits)"
    fig = posterior_figure(a)
    assert [t.name for t in fig.data] == ["prior", "posterior"]
    assert list(fig.data[1].x) == pytest.approx(a.hypotheses["posterior"].iloc[::-1].tolist())
    assert fig.layout.xaxis.title.text == "probability"
    fig = question_figure(a)
    assert list(fig.data[0].x) == pytest.approx(
        a.questions["expected_gain_bits"].iloc[::-1].tolist())
    assert fig.layout.xaxis.title.text == "expected information gain (bits)"


def test_names_are_escaped(basic):
    evil = "<script>alert(1)</script>"
    hyp = basic.hypotheses.copy()
    hyp.loc["gp", "statement"] = evil
    st_ = basic.stakeholders.copy()
    st_.loc["omar", "name"] = evil
    ev = basic.evidence.copy()
    ev.loc[0, "description"] = evil
    deal = basic.replace(hypotheses=hyp, stakeholders=st_, evidence=ev)
    a = C.analyse(deal, ratings={"e2": {"hd": "CC"}})  # omar's deadline leads now
    for fig in (ach_figure(a), posterior_figure(a), question_figure(a)):
        assert evil not in fig.to_json()
    sec = report_section(deal, ratings={"e2": {"hd": "CC"}, "e7": {"hb": "N"}})
    assert sec.headline["top_hypothesis"] == "hd"
    assert evil not in sec.summary and "&lt;script&gt;" in sec.summary
    for b in sec.blocks:
        if isinstance(b, str):
            assert evil not in b


def test_report_section(basic):
    sec = report_section(basic)
    h = sec.headline
    assert h["top_hypothesis"] in ("hd", "gp")  # both 0.75 by hand
    assert h["top_posterior"] == 0.75
    assert h["likely"] == ["hd", "gp", "hb"] or set(h["likely"]) == {"hd", "gp", "hb"}
    assert h["fragile_items"] == ["e1", "e4"]
    assert h["next_question"] == "q1"
    assert h["next_question_gain_bits"] == round(h2(19 / 30) - h2(0.1), 3)
    assert h["balance_after"] != h["balance_before"]
    assert str(round(h["top_posterior"] * 100)) + "%" in sec.summary
    import json
    json.dumps(h)  # plain JSON values only
    assert any(isinstance(b, pd.DataFrame) for b in sec.blocks)
    bare = report_section(basic.replace(evidence=None, questions=None))
    assert bare.missing is None and bare.headline["next_question"] is None
    assert bare.headline["top_posterior"] == 0.6 and bare.headline["fragile_items"] == []
    missing = report_section(basic.replace(hypotheses=None))
    assert missing.missing == "No hypotheses table in this deal: hidden constraints left out."
    assert missing.blocks == []


@pytest.mark.skipif(not (DEALS / "northwind-vendor").exists(), reason="sample deals not yet written")
@pytest.mark.parametrize("name", ["northwind-vendor", "harbour-council", "small-renewal"])
def test_sample_deals_invariants(name):
    deal = powerkit.load_deal(DEALS / name)
    a = C.analyse(deal)
    h = a.hypotheses
    assert ((h["posterior"] >= 0) & (h["posterior"] <= 1)).all()
    for _g, grp in h.dropna(subset=["group"]).groupby("group"):
        assert grp["posterior"].sum() == pytest.approx(1.0)
    assert (a.questions["expected_gain_bits"] >= 0).all()
    assert a.questions["expected_gain_bits"].is_monotonic_decreasing
    # every single-item flip really flips when the item is switched off
    for _, r in a.sensitivity.iterrows():
        b = C.analyse(deal, off=[r["evidence"]])
        if r["on"].startswith("group "):
            grp = h[h["group"] == r["on"][6:]]
            assert b.hypotheses.loc[grp.index, "posterior"].idxmax() != \
                h.loc[grp.index, "posterior"].idxmax()
        else:
            assert (b.hypotheses.loc[r["on"], "posterior"] >= 0.5) != \
                (h.loc[r["on"], "posterior"] >= 0.5)


# ---------------------------------------------------------------------------------------------
# what the notebook, the section and the figures read from the one result (ConstraintAnalysis)
# ---------------------------------------------------------------------------------------------

def test_result_reads_by_hand(basic, basic_analysis):
    a = basic_analysis
    # hd and gp tie at 0.75 (by hand above); hb 2/3 trails them
    assert a.leading().name in ("hd", "gp") and a.leading()["posterior"] == pytest.approx(0.75)
    assert a.fragile_items() == ["e1", "e4"]
    assert a.n_active == 7  # e1 … e7, none switched off
    assert C.analyse(basic, off=["e1", "e2"]).n_active == 5
    # q1 (hb, 0.9 vs 0.1) is the best question: P(yes) = 2/3·0.9 + 1/3·0.1 = 19/30,
    # hb → 0.6/(19/30) = 18/19 after a yes, (2/3·0.1)/(11/30) = 2/11 after a no
    assert a.next_question()["question"] == "q1"
    o = a.next_outcomes()
    assert o["hypothesis"].tolist() == ["hb"]
    assert o[["p_yes", "now", "if_yes", "if_no"]].iloc[0].tolist() == pytest.approx(
        [19 / 30, 2 / 3, 18 / 19, 2 / 11])
    # each question's most-moved hypothesis swings by the ranking's largest_swing; q3 (0.5 vs
    # 0.5 on hd) moves nothing and swings 0
    sw = a.largest_swings()
    assert list(sw.index) == [q for q in a.questions["question"] if q in sw.index]
    assert (sw["if_yes"] - sw["if_no"]).abs().tolist() == pytest.approx(
        a.questions.set_index("question").loc[sw.index, "largest_swing"].tolist())
    assert sw.loc["q1", "hypothesis"] == "hb" and sw.loc["q3", "if_yes"] == pytest.approx(0.75)
    bare = C.analyse(basic.replace(questions=None))
    assert bare.next_question() is None and len(bare.next_outcomes()) == 0
    assert len(bare.largest_swings()) == 0


def test_constraint_plan_names_the_holder(basic, basic_analysis):
    plan = C.constraint_plan(basic_analysis, basic)
    assert list(plan.columns) == ["constraint", *C.approach(basic_analysis).columns]
    row = plan.set_index("hypothesis").loc["hb"]
    # hb is held by the party 'buyer' (parties.csv: Buyer Manufacturing), posterior 2/3 → 67 %
    assert row["constraint"] == "Budget pressure — Buyer Manufacturing, 67% (hb)"
    assert plan.set_index("hypothesis").loc["hd", "constraint"] == \
        "Hard deadline — Omar Haddad, 75% (hd)"
    assert C.holder_name(basic, "nobody") == "nobody"


def test_walkthrough_sentences(basic, basic_analysis):
    from powerkit.sections import constraints as S
    assert S.rests_on_note(basic_analysis).startswith("**What the view rests on**")
    bare = C.analyse(basic.replace(evidence=None, questions=None))
    assert S.rests_on_note(bare).startswith("**No single item flips a conclusion**")
    assert S.next_question_note(bare) == "No questions in this deal."
    assert S.next_question_note(basic_analysis) == \
        "**If we ask q1 next** — what each answer would do:"
    shift = C.power_shift(basic, basic_analysis)
    assert f"**{shift.balance_before:+.3f}** before" in S.power_note(shift)
    evil = "<script>alert(1)</script>"
    q = basic.questions.copy()
    q["question"] = q["question"].replace("q1", evil)
    note = S.next_question_note(C.analyse(basic.replace(questions=q)))
    assert evil not in note and "&lt;script&gt;" in note


# ---------------------------------------------------------------------------------------------
# widgets: the builder drives what_if; values by hand as above
# ---------------------------------------------------------------------------------------------

def test_widgets_drive_what_if(basic):
    from powerkit.widgets.constraints import build_constraints_widgets
    box = build_constraints_widgets(basic)
    ctl = box.controls
    assert box.last.posterior["hd"] == pytest.approx(0.75)
    ctl["off"].value = ("e1",)                       # hd: 1.5 × 2 × 1/4 → 3/7
    assert box.last.posterior["hd"] == pytest.approx(3 / 7)
    ctl["cell"].value = ("e3", "hd")
    ctl["rating"].value = "II"                       # hd: 1.5 × 2 / 16 = 0.1875 → 3/19
    assert box.last.posterior["hd"] == pytest.approx(0.1875 / 1.1875)
    ctl["question"].value = "q1"
    ctl["answer"].value = "yes"                      # hb: 2/3 → 18/19
    assert box.last.posterior["hb"] == pytest.approx(18 / 19)
    ctl["item"].value = "e7"
    ctl["credibility"].value = 1.0                   # hb: odds 4 × 9 = 36 → 36/37
    assert box.last.posterior["hb"] == pytest.approx(36 / 37)
    assert box.state == {"off": ["e1"], "ratings": {("e3", "hd"): "II"},
                         "credibility": {"e7": 1.0}, "answers": {"q1": "yes"}}
    # the same state through the public callback gives the same posteriors
    same = C.what_if(basic, off=["e1"], ratings={"e3": {"hd": "II"}}, credibility={"e7": 1.0},
                     answers={"q1": "yes"})
    pd.testing.assert_series_equal(same.posterior, box.last.posterior)
    # selecting another cell shows its stored override; reset restores the file
    ctl["cell"].value = ("e1", "hd")
    assert ctl["rating"].value == "(as in the file)"
    ctl["cell"].value = ("e3", "hd")
    assert ctl["rating"].value == "II"
    ctl["answer"].value = "not asked"
    assert box.last.posterior["hb"] == pytest.approx(0.8)  # e7 at credibility 1 only
    ctl["reset"].click()
    assert box.state == {"off": [], "ratings": {}, "credibility": {}, "answers": {}}
    assert box.last.posterior.tolist() == pytest.approx([2 / 3, 0.75, 0.75, 0.25])
    fig = box.figures[0]
    assert list(fig.data[1].x) == pytest.approx(box.last.posterior.iloc[::-1].tolist())
