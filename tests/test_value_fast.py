"""what_if's fast path (issue 18.13) gives exactly the results of the implementation before it.

The expected values come from an independent implementation: ``reference_what_if`` below is
the body of ``powerkit.value.what_if`` as it was before the fast path (commit 75e8519),
copied verbatim; it parses the options table again in every public function it calls
(``pareto_frontier``, ``evaluate_package``, ``concessions_from_offers``, ``monte_carlo``,
``issue_priorities``, ``logrolling``, ``count_packages``, ``sample_packages``,
``recommended_packages``), whereas ``what_if`` now parses it once and reuses the arrays. Every
field of the two results must be *equal* (exact floats, same labels and order), on the three
sample deals and on hypothesis-drawn issue weights, BATNAs and α.
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass, replace

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_DEALS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerkit import value as pv
from powerkit.deal.money import admissible_options
from powerkit.deal.reference import load_case
from powerkit.errors import NoAgreement, finite_pair
from powerkit.value import (
    ValueAnalysis,
    concessions_from_offers,
    count_packages,
    default_alpha,
    evaluate_package,
    issue_priorities,
    kalai_smorodinsky_package,
    logrolling,
    monte_carlo,
    nash_package,
    options_from_deal,
    pareto_frontier,
    recommended_packages,
    sample_packages,
    utilitarian_package,
)
from powerkit.value.analysis import _label
from powerkit.value.fair import checked_alpha
from powerkit.value.offers import latest_package


def reference_what_if(deal, weights=None, batna=(0.0, 0.0), proposed=None, alpha=None, us=None,
                      them=None, *, n_draws: int = 0, weight_spread=0.25, rating_spread=0.0,
                      seed: int | None = 0, sample_size: int = 3000) -> ValueAnalysis:
    """powerkit.value.what_if before the fast path (commit 75e8519), verbatim."""
    us = deal.us if us is None else us
    them = deal.counterpart if them is None else them
    options = options_from_deal(deal, us, them, weights=weights)
    d = finite_pair(batna, "batna", "what_if")
    if alpha is None:
        a, source = default_alpha(deal, us, them)
    else:
        a, source = checked_alpha(alpha, "what_if"), "given"
    frontier = pareto_frontier(options)
    # recommendations stay within the zone of the reservation prices: money options beyond a
    # seller's floor or a buyer's ceiling are never recommended (powerkit.deal.money)
    inside, excluded = admissible_options(deal, options)
    # an issue with no option in the zone: no package can be agreed, nothing is recommended
    complete = set(inside["issue"]) == set(options["issue"])
    allowed = (frontier if not len(excluded) else
               pareto_frontier(inside.reset_index(drop=True)) if complete else frontier.iloc[0:0])
    pts = {"nash": None, "kalai": None, "utilitarian": None}
    for name, fn in (("nash", lambda: nash_package(inside, d, a, frontier=allowed)),
                     ("kalai", lambda: kalai_smorodinsky_package(inside, d, frontier=allowed)),
                     ("utilitarian", lambda: utilitarian_package(inside, d, frontier=allowed))):
        if not complete:
            break
        try:
            pts[name] = fn()
        except NoAgreement:
            pts[name] = None
    issues = list(pd.unique(options["issue"]))
    fair = pd.DataFrame([p.as_row() for p in pts.values() if p is not None],
                        columns=["rule", *issues, "us", "them"])
    offers = (concessions_from_offers(deal.offers, options, us, them, frontier=frontier)
              if deal.has("offers") else pd.DataFrame(columns=["round", "party", *issues, "us", "them"]))
    if proposed is None and (us, them) == (deal.us, deal.counterpart) and deal.has("offers"):
        proposed = latest_package(offers, issues)
    ev = (evaluate_package(options, proposed, d, frontier=allowed if complete else frontier)
          if proposed else None)
    if ev is not None and not complete:  # no improvement can be agreed either
        ev = replace(ev, improvements=ev.improvements.iloc[0:0])
    zopa = frontier[(frontier["us"] > d[0]) & (frontier["them"] > d[1])]
    mc = (monte_carlo(options, n_draws=n_draws, weight_spread=weight_spread,
                      rating_spread=rating_spread, batna_them=d[1], seed=seed)
          if n_draws else None)
    result = ValueAnalysis(options=options, frontier=frontier, fair=fair, nash=pts["nash"],
                           kalai=pts["kalai"], utilitarian=pts["utilitarian"], evaluation=ev,
                           priorities=issue_priorities(options), logrolls=logrolling(options),
                           disagreement=d, alpha=a, alpha_source=source,
                           us_label=_label(deal, us), them_label=_label(deal, them),
                           us_party=us, them_party=them,
                           n_packages=count_packages(options), n_zopa_frontier=len(zopa),
                           offers=offers, monte_carlo=mc,
                           package_sample=sample_packages(options, sample_size, seed),
                           excluded_options=excluded)
    return replace(result, recommended=recommended_packages(result, mc))


def assert_same(a, b, path="analysis"):
    """``a`` and ``b`` equal field by field: frames and arrays exactly, floats exactly."""
    if isinstance(a, pd.DataFrame):
        assert isinstance(b, pd.DataFrame), path
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=path)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True, obj=path)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=path)
        assert a.dtype == b.dtype, path
    elif is_dataclass(a):
        assert type(a) is type(b), path
        for f in fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for k in a:
            assert_same(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, tuple | list):
        assert type(a) is type(b) and len(a) == len(b), path
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{path}[{k}]")
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b), path
    else:
        assert type(a) is type(b) and a == b, f"{path}: {a!r} != {b!r}"


DEALS = [pytest.param(p, id=p.name) for p in SAMPLE_DEALS]
CASES = {}


def deal_of(path):
    if path not in CASES:
        CASES[path] = load_case(path)
    return CASES[path]


@pytest.mark.parametrize("path", DEALS)
@pytest.mark.parametrize("kw", [dict(), dict(batna=(0.3, 0.2), alpha=0.7, n_draws=40),
                                dict(batna=(0.05, 0.6), proposed={}, n_draws=25, seed=3),
                                dict(batna=(0.9, 0.9), alpha=0.2),  # empty ZOPA
                                dict(sample_size=7, seed=5)])
def test_sample_deals_equal_to_reference(path, kw):
    deal = deal_of(path)
    assert_same(pv.what_if(deal, **kw), reference_what_if(deal, **kw))


def test_itex_cypress_equal_to_reference():
    deal = load_case("", "itex-cypress")
    kw = dict(batna=(0.3, 0.3), alpha=0.5, n_draws=30)
    assert_same(pv.what_if(deal, **kw), reference_what_if(deal, **kw))


@pytest.mark.parametrize("path", DEALS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_weights_equal_to_reference(path, data):
    deal = deal_of(path)
    issues = list(pd.unique(options_from_deal(deal)["issue"]))
    pct = st.integers(0, 100)
    weights = {i: (data.draw(pct), data.draw(pct)) for i in issues}
    if sum(u for u, _ in weights.values()) == 0 or sum(t for _, t in weights.values()) == 0:
        weights[issues[0]] = (1, 1)
    unit = st.floats(0, 1, allow_nan=False)
    kw = dict(weights=weights, batna=(data.draw(unit), data.draw(unit)), alpha=data.draw(unit),
              n_draws=data.draw(st.sampled_from([0, 20])), seed=data.draw(st.integers(0, 3)))
    assert_same(pv.what_if(deal, **kw), reference_what_if(deal, **kw))


def reference_hover(df, issues):
    """powerkit.plots.value._hover before issue 18.13 (row by row with iterrows), verbatim."""
    from powerkit.text import label as lbl
    return ["<br>".join(f"{lbl(i)}: {lbl(r[i])}" for i in issues)
            + f"<br>us {r['us']:.3f} · them {r['them']:.3f}" for _, r in df.iterrows()]


@pytest.mark.parametrize("path", DEALS)
def test_hover_texts_equal_to_reference(path):
    from powerkit.plots.value import _hover

    a = pv.what_if(deal_of(path), batna=(0.1, 0.1))
    frames = [a.frontier, a.package_sample, a.frontier.iloc[0:0], pd.DataFrame([a.nash.as_row()])]
    odd = pd.DataFrame({"x": ["<b>&", "y", "<b>&"], "us": [0.12345, 1.0, -0.5],
                        "them": [0.0, 0.9995, 2.0]})
    for df, issues in [*((f, a.issues) for f in frames), (odd, ["x"]), (odd, [])]:
        assert _hover(df, issues) == reference_hover(df, issues)
