"""powerkit.uncertainty: the point analysis at spread 0, the vectorised model against the point
analysis on perturbed deals, seeds, intervals, coverage, Sobol indices with a known answer, and
what would flip the posture."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from powerkit import constraints, value
from powerkit.bargaining import expected_split
from powerkit.deal import load_deal
from powerkit.deal.synthetic import make_deal
from powerkit.influence import who_decides
from powerkit.paths import sample_deal
from powerkit.power import posture, power_profile
from powerkit.uncertainty import (
    DealModel,
    draw,
    input_ranges,
    intervals,
    package_id,
    probability,
    sensitivity,
    simulate,
    what_would_flip,
)
from powerkit.uncertainty.sensitivity import sobol_indices

SAMPLES = ["northwind-vendor", "small-renewal", "harbour-council"]


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request):
    return load_deal(sample_deal(request.param))


def test_spread_zero_is_the_point_analysis(sample):
    sim = simulate(sample, n=4, spread=0)
    prof = power_profile(sample)
    split = expected_split(sample)
    wd = who_decides(sample)
    ca = constraints.analyse(sample)
    nash = value.what_if(sample).nash
    assert np.allclose(sim["balance"], prof.balance, rtol=0, atol=1e-12)
    assert np.allclose(sim["predicted_price"], split.price, rtol=1e-12)
    assert np.allclose(sim["share_us"], split.share_us, rtol=1e-12)
    assert (sim["posture"] == posture(prof).iloc[0]["rule"]).all()
    shares = sim[[f"decision_share:{i}" for i in wd.index]].to_numpy()
    assert np.allclose(shares, wd["real_weight"].to_numpy()[None, :], atol=1e-10)
    assert np.allclose(sim["forecast_decision"], wd.attrs["forecast_decision"], atol=1e-10)
    post = sim[[f"posterior:{h}" for h in ca.posterior.index]].to_numpy()
    assert np.allclose(post, ca.posterior.to_numpy()[None, :], atol=1e-12)
    assert (sim["nash_package"] == package_id(nash.package)).all()
    iv = intervals(sim)
    assert np.allclose(iv["low"], iv["point"], equal_nan=True)
    assert np.allclose(iv["high"], iv["point"], equal_nan=True)
    assert probability(sim, "posture") == 1.0 and probability(sim, "nash_package") == 1.0


def test_same_seed_same_frame_and_intervals_contain_the_point(sample):
    a = simulate(sample, n=300, seed=3)
    b = simulate(sample, n=300, seed=3)
    c = simulate(sample, n=300, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a["balance"].equals(c["balance"])
    iv = intervals(a, level=0.9)
    assert ((iv["low"] <= iv["point"]) & (iv["point"] <= iv["high"])).all()
    assert (iv.loc["balance", "high"] > iv.loc["balance", "low"])
    narrow = intervals(a, level=0.5)
    assert (narrow["high"] - narrow["low"] <= iv["high"] - iv["low"] + 1e-12).all()
    assert 0 <= probability(a, "posture") <= 1


def _apply(deal, params, x):
    """The deal with one draw of its inputs entered (the analysis on the drawn inputs)."""
    tabs = {"parties": deal.parties.copy(), "stakeholders": deal.stakeholders.copy(),
            "hypotheses": deal.hypotheses.copy(), "evidence": deal.evidence.copy()}
    weights = {}
    for (_, r), v in zip(params.iterrows(), x, strict=True):
        if r["table"] == "weights":
            weights[r["row"]] = float(v)
        elif r["table"] == "evidence":
            tabs["evidence"].iloc[int(r["row"].split("|")[-1]),
                                  tabs["evidence"].columns.get_loc(r["column"])] = v
        else:
            t = tabs[r["table"]]
            row = r["row"] if r["row"] in t.index else type(t.index[0])(r["row"])
            t.loc[row, r["column"]] = v
    return dataclasses.replace(deal, entered_parties=None, **tabs), weights


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_vectorised_model_is_the_analysis_on_the_drawn_inputs(seed):
    deal = make_deal(12, seed=seed)
    params = input_ranges(deal)
    model = DealModel(deal, params)
    X = draw(params, np.random.default_rng(seed), 3)
    for x in X:
        d2, w = _apply(deal, params, x)
        one = x[None, :]
        assert model.balance(one)[0] == pytest.approx(power_profile(d2, weights=w).balance,
                                                      abs=1e-12)
        split = expected_split(d2)
        price, share = model.price(one)
        if split.price is None:
            assert np.isnan(price[0])
        else:
            assert price[0] == pytest.approx(split.price, rel=1e-12)
        post = constraints.analyse(d2).posterior
        assert np.allclose(model.posteriors(one)[0], post.to_numpy(), atol=1e-12)
        wd = who_decides(d2)
        R, D = model.decisions(one)
        got = pd.Series(R[0], index=[model.ids[k] for k in model.shown])
        assert np.allclose(got.reindex(wd.index), wd["real_weight"], atol=1e-10)
        assert D[0] == pytest.approx(wd.attrs["forecast_decision"], abs=1e-10)


def test_coverage_of_the_90_percent_interval():
    """400 synthetic cases: 20 small deals (make_deal(10, seed=k)) × 20 true input sets each.

    For each deal the 90 % interval of the balance and of the predicted price comes from
    ``simulate`` around the entered values (n = 1,000 draws); the true inputs are drawn from
    the stated distributions around the same entered values (an independent generator) and
    the true value is the analysis on them (the vectorised model, shown equal to the point
    analysis on drawn inputs above). The interval is the right one when 85–95 % of the true
    values fall inside it (binomial sd of the share at 90 % over 400 cases: 1.5 points). This
    checks that the ranges are propagated as stated, not that the stated ranges are right
    about the world. Vectorised per deal (one simulation, 20 true cases at once) to stay fast.
    """
    hits = {"balance": [], "predicted_price": []}
    for k in range(20):
        deal = make_deal(10, seed=100 + k)
        sim = simulate(deal, n=1000, seed=k)
        iv = intervals(sim, 0.9)
        params = input_ranges(deal)
        model = DealModel(deal, params)
        X = draw(params, np.random.default_rng(10_000 + k), 20)
        truth = {"balance": model.balance(X), "predicted_price": model.price(X)[0]}
        for q, t in truth.items():
            lo, hi = iv.loc[q, "low"], iv.loc[q, "high"]
            hits[q].extend(((t >= lo) & (t <= hi))[np.isfinite(t)].tolist())
    for q, h in hits.items():
        assert len(h) >= 300, q
        assert 0.85 <= np.mean(h) <= 0.95, (q, np.mean(h))


def test_sobol_indices_of_a_linear_model_are_the_variance_shares():
    """y = Σ c_i x_i with independent x_i ~ U(0, 1): Var = Σ c_i²/12, so S1_i = ST_i =
    c_i² / Σ c_j² (Saltelli et al. 2008, §1.2.5)."""
    c = np.array([3.0, 2.0, 1.0, 0.5])
    res = sobol_indices([f"x{i}" for i in range(4)], [f"x{i}" for i in range(4)],
                        lambda U: {"y": U @ c}, 2048, seed=1)
    want = c ** 2 / (c ** 2).sum()
    assert np.all(np.abs(res["S1"] - want) <= np.maximum(2 * res["S1_conf"], 0.02))
    assert np.all(np.abs(res["ST"] - want) <= np.maximum(2 * res["ST_conf"], 0.02))


def test_sobol_indices_of_the_balance_to_its_ratings():
    """With only the party ratings uncertain (±0.1, none clipped) the balance is linear in
    them, coefficient ±W_s·w_i, so S1 of each is its coefficient squared over the sum."""
    deal = load_deal(sample_deal("small-renewal"))
    spreads = {"money": 0, "weight": 0, "stakeholders": 0}
    params = input_ranges(deal, spreads=spreads)
    drawn = params[params["dist"] == "uniform"]
    assert ((drawn["low"] >= 0) & (drawn["high"] <= 1)).all()
    drv = power_profile(deal).drivers.set_index("input")["weight"]
    coef = np.array([drv[r["column"]] for _, r in drawn.iterrows()])
    want = pd.Series(coef ** 2 / (coef ** 2).sum(), index=drawn["name"].to_numpy())
    s = sensitivity(deal, n=2048, spreads=spreads)
    s = s[s["quantity"] == "balance"].set_index("input")
    got = s.loc[want.index]
    assert np.all(np.abs(got["S1"] - want) <= np.maximum(2 * got["S1_conf"], 0.02))
    assert np.all(np.abs(got["ST"] - want) <= np.maximum(2 * got["ST_conf"], 0.02))


def test_what_would_flip_the_posture_by_hand():
    """small-renewal: balance +0.088 ("more power"); a party rating x with coefficient
    ±W_s·w_i flips the posture when the balance crosses +0.05, at a change of
    (0.05 − balance)/coefficient; the smallest such change relative to the ±0.1 range wins
    unless a (nonlinear) money input or a person's rating flips it with a smaller one."""
    deal = load_deal(sample_deal("small-renewal"))
    prof = power_profile(deal)
    flip = what_would_flip(deal, "posture")
    assert flip.before == posture(prof).iloc[0]["rule"]
    assert flip.after != flip.before and flip.input is not None
    params = input_ranges(deal)
    drv = prof.drivers.set_index("input")["weight"]
    expected = {}
    for _, r in params[(params["table"] == "parties") & (params["kind"] == "rating")].iterrows():
        sign = 1.0 if r["row"] == deal.us else -1.0
        ch = (0.05 - prof.balance) / (sign * drv[r["column"]])
        if 0 <= r["value"] + ch <= 1:
            expected[r["name"]] = ch
    best = min(expected, key=lambda k: abs(expected[k]))
    assert flip.relative <= abs(expected[best]) / 0.1 + 1e-6
    if flip.input in expected:
        assert flip.change == pytest.approx(expected[flip.input], abs=1e-8)
    # the new value really flips the point analysis
    row = params.set_index("name").loc[flip.input]
    d2, _ = _apply(deal, params.loc[params["name"] == flip.input],
                   np.array([flip.new_value]))
    assert posture(power_profile(d2)).iloc[0]["rule"] == flip.after
    assert row["value"] == pytest.approx(flip.value)


def test_what_would_flip_the_package_moves_money():
    deal = load_deal(sample_deal("northwind-vendor"))
    flip = what_would_flip(deal, "package")
    assert flip.before == package_id(value.what_if(deal).nash.package)
    assert flip.input is not None and flip.after != flip.before
    assert flip.input.endswith(("reservation_price", "batna_value"))
