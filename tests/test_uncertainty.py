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


# -- large deals: the people's sums drawn as normals (docs/methods/uncertainty.md §2.1) ----------

def _agree(a, b, n):
    """Mean and sd of two independent samples of n draws agree within 4 standard errors.

    The aggregated draws have exactly the per-person draws' mean and variance (the normal
    takes the exact moments of the clipped uniforms and Betas), so any difference is Monte
    Carlo noise: SE(mean difference) = sqrt(s_a² + s_b²)/sqrt(n); SE(sd difference) =
    sqrt(Var(s_a) + Var(s_b)) with Var(s) ≈ s²(κ − 1)/(4n) (κ the kurtosis, from the sample).
    4 SE rather than 3 because each test compares up to 27 quantities (two-sided false alarm
    rate 6e-5 per comparison, < 0.4 % per test); the seeds are fixed, so the test is
    deterministic."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    se_m = np.sqrt((a.var() + b.var()) / n)
    kurt = [max(1.0, ((x - x.mean()) ** 4).mean() / x.var() ** 2) if x.var() > 0 else 1.0
            for x in (a, b)]
    se_s = np.sqrt(sum(x.var() * (k - 1) / (4 * n) for x, k in zip((a, b), kurt,
                                                                    strict=True)))
    dm, ds = abs(a.mean() - b.mean()), abs(a.std() - b.std())
    assert dm <= 4 * se_m + 1e-15, (dm, se_m)
    assert ds <= 4 * se_s + 1e-15, (ds, se_s)
    return dm / se_m if se_m else 0.0, ds / se_s if se_s else 0.0


@pytest.fixture(scope="module")
def deal400():
    return make_deal(400)


@pytest.fixture(scope="module")
def sims400(deal400):
    n = 4000
    return (simulate(deal400, n=n, seed=11), simulate(deal400, n=n, seed=12, aggregate=False),
            n)


def test_aggregated_balance_agrees_with_per_person_draws(sims400):
    agg, per, n = sims400
    assert agg.attrs["settings"]["decision_shares"] == "first-order, aggregated"
    assert per.attrs["settings"]["decision_shares"] == "first-order"
    a = agg.attrs["settings"]["aggregation"]
    assert a["aggregated_inputs"] > 1000 and a["berry_esseen_balance"] < 0.1
    _agree(agg["balance"], per["balance"], n)
    assert agg.attrs["point"]["balance"] == pytest.approx(per.attrs["point"]["balance"],
                                                          abs=1e-12)


def test_aggregated_balance_with_common_draws(deal400):
    """Sharper: the same draws of every other input, the people's trust and frame-fit ratings
    per person (full layout) or as their sums' normals (aggregated layout). The difference
    per draw comes from the people's sums only and has mean 0 exactly: within 3 standard
    errors of its own sd over 4,000 draws; the sds agree within 3 % (the per-person sums carry
    a small share of the balance's variance, so both sds are nearly the same number)."""
    params = input_ranges(deal400)
    model = DealModel(deal400, params, aggregate=True)
    X = draw(model.params, np.random.default_rng(21), 4000)
    Z = np.random.default_rng(22).standard_normal((len(X), model.n_latent))
    per = model.balance(X)
    agg = model.balance(np.concatenate([X[:, model.layout], Z], axis=1), aggregated=True)
    d = per - agg
    assert abs(d.mean()) <= 3 * d.std() / np.sqrt(len(d))
    assert agg.std() == pytest.approx(per.std(), rel=0.03)


def test_aggregated_decision_shares_agree_with_the_per_person_first_order(sims400):
    agg, per, n = sims400
    cols = [c for c in per.columns if c.startswith("decision_share:")] + ["forecast_decision"]
    assert set(cols) <= set(agg.columns) and len(cols) == 26
    for c in cols:
        _agree(agg[c], per[c], n)
        assert agg.attrs["point"][c] == pytest.approx(per.attrs["point"][c], abs=1e-12)


def test_aggregated_moments_are_exact(deal400):
    """The normal of each aggregated sum has the per-person sum's exact mean and variance
    (``ranges.moments``): checked on every clipped uniform (ratings near 0/1, stances near ±1)
    and 40 Betas against 50,000 direct draws of the same inputs (|z| of the means < 4.5 over
    ~300 inputs; variances within 3 %, about 5 standard errors; E|X − μ|³ exact for uniforms,
    an upper bound for Betas)."""
    from powerkit.uncertainty.ranges import moments

    params = input_ranges(deal400)
    clipped = (params["dist"] == "uniform") & (
        ((params["kind"] == "rating") & ((params["low"] < 0) | (params["high"] > 1)))
        | ((params["kind"] == "stance") & ((params["low"] < -1) | (params["high"] > 1))))
    sub = pd.concat([params[clipped], params[params["dist"] == "beta"].head(40)],
                    ignore_index=True)
    assert clipped.sum() > 50
    m, v, a3 = moments(sub)
    X = draw(sub, np.random.default_rng(5), 50_000)
    sd = np.sqrt(v)
    z = np.abs(X.mean(axis=0) - m) / (sd / np.sqrt(len(X)))
    assert z.max() < 4.5
    assert np.allclose(X.var(axis=0), v, rtol=0.03)
    a3_mc = (np.abs(X - X.mean(axis=0)) ** 3).mean(axis=0)
    assert np.all(a3 >= 0.95 * a3_mc)


def test_aggregated_large_deal_spread_zero_and_seed(deal400):
    z = simulate(deal400, n=3, spread=0)
    pt = z.attrs["point"]
    for c in z.columns:
        if pd.api.types.is_numeric_dtype(z[c]):
            assert np.allclose(z[c], pt[c], atol=1e-12, equal_nan=True), c
        else:
            assert (z[c] == pt[c]).all(), c
    a = simulate(deal400, n=50, seed=2)
    pd.testing.assert_frame_equal(a, simulate(deal400, n=50, seed=2))
    iv = intervals(a)
    assert ((iv["low"] <= iv["point"]) & (iv["point"] <= iv["high"])).all()


def test_flip_search_scans_the_people_with_most_say_in_a_large_deal():
    """Issue 18.9: the flip search was inputs × steps × inputs in memory (110 GiB at 2,000
    people). Beyond MAX_FLIP_PEOPLE it scans the people with the most say, and its grid is
    evaluated in blocks: a 300-person deal stays far below a dense inputs² grid (≈ 7 GB here)."""
    import tracemalloc

    from powerkit.deal.synthetic import make_deal
    from powerkit.power import stakeholder_power
    from powerkit.uncertainty.simulate import FLIP_BLOCK_BYTES, MAX_FLIP_PEOPLE, what_would_flip

    deal = make_deal(300, seed=4, roles=True)
    tracemalloc.start()
    try:
        flip = what_would_flip(deal, steps=41)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * FLIP_BLOCK_BYTES
    if flip.input is not None and flip.input.startswith("stakeholders:"):
        who = flip.input.split(":")[1]
        say = stakeholder_power(deal)["say"]
        assert who in say.sort_values(ascending=False, kind="stable").index[:MAX_FLIP_PEOPLE]
