"""Big deals (issue 18, item 8): competing interests without enumerating the packages.

Where each expected value comes from:

* the search (``acceptable_packages`` above ``max_packages``) is checked against **brute
  force**: the same function enumerating every package (``max_packages`` large) on deals of at
  most 46,656 packages — the best packages, their utilities, breadth, votes, margins, ranks,
  the reservation medians and the number passing must be identical;
* the X + Y selection and the median against sorting every sum (numpy, written here);
* the estimate of the number passing against the enumerated count (its 95% interval must
  cover it in at least 16 of 20 seeded samples; P(fewer | 95% coverage) ≈ 1.6%);
* on 12 issues × 8 options (6.9·10¹⁰ packages), where nothing can enumerate: the recommended
  package's utilities against a sum written here from the CSV files; its reservation medians
  against a pair count written here (half of the packages on each side); and its optimality
  against the two-party Pareto frontier of :mod:`powerkit.value` (a different exact method:
  with two judges and no money issue, the package maximising the smaller surplus lies on it).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from powerkit import coalitions as pc
from powerkit.cli import app
from powerkit.coalitions import search
from powerkit.deal.synthetic import make_deal, write_deal
from powerkit.errors import InputError

COLS = ["breadth", "votes_for", "passes", "min_surplus", "rank"]


def _three_parties(deal):
    """The synthetic deal with the third party (side 'third', made a regulator with no role: a
    judge with no votes) rating the issues too, in the reverse order of the counterpart."""
    iss = deal.issues
    parties = deal.parties.copy()
    parties.loc["rival", ["side", "role"]] = ["third", None]
    th = iss[iss["party"] == deal.counterpart].copy()
    th["party"] = "rival"
    th["rating"] = th.groupby("issue")["rating"].transform(lambda r: r.to_numpy()[::-1])
    return deal.replace(issues=pd.concat([iss, th], ignore_index=True), parties=parties)


def _zone(deal):
    """The synthetic money deal with a zone of agreement: seller's floor EUR 900k, buyer's
    ceiling EUR 1.3m, the rival's price EUR 1.25m (the buyer's effective walk-away)."""
    p = deal.parties.copy()
    p.loc[["us", "them", "rival"], "reservation_price"] = [900_000, 1_300_000, 1_250_000]
    return deal.replace(parties=p)


CASES = [  # (issues, options, seed, roles, reservation, three parties)
    (4, 5, 0, False, None, False),
    (5, 6, 1, False, None, False),
    (6, 6, 2, False, None, False),
    (5, 6, 3, False, None, True),
    (6, 6, 4, False, None, True),
    (5, 6, 5, True, {"us": 0.3, "them": 0.3}, False),   # money: price within both walk-aways
    (6, 6, 6, True, {"us": 0.4, "them": 0.2}, True),
    (4, 5, 7, True, None, False),
    (4, 5, 8, False, {"us": 0.99, "them": 0.99}, False),  # nothing passes
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "{}x{}-s{}-roles{}-res{}-3p{}".format(*c))
def test_search_finds_what_enumeration_finds(case):
    n_issues, n_options, seed, roles, reservation, three = case
    deal = make_deal(30, seed=seed, issues=n_issues, options=n_options, roles=roles)
    if roles:
        deal = _zone(deal)
    if three:
        deal = _three_parties(deal)
    full = pc.acceptable_packages(deal, reservation=reservation)          # every package
    top = 12
    found = pc.acceptable_packages(deal, reservation=reservation, max_packages=0, top=top)
    assert full.attrs["enumerated"] and not found.attrs["enumerated"]
    want = full[full["passes"]].head(top).reset_index(drop=True)
    cols = full.attrs["issues"] + [c for c in full.columns if c.startswith("U(")] + COLS
    assert len(found) == len(want)
    if len(want):
        pd.testing.assert_frame_equal(found[cols], want[cols], check_dtype=False)
        assert found["accepted_by"].tolist() == want["accepted_by"].tolist()
        assert pc.best_package(found) == pc.best_package(full)
    assert found.attrs["reservation"] == full.attrs["reservation"]   # medians, to the bit
    assert found.attrs["n_passing"] == full.attrs["n_passing"]       # all drawn: counted
    assert found.attrs["n_packages"] == len(full)
    if three:
        assert "rival" in full.attrs["party_votes"] and not full.attrs["competitors"]


def test_three_party_case_ranks_breadth_first():
    # the case above must exercise breadth: some passing packages are accepted by all three
    # parties and some by two, and the three-party ones come first
    deal = _three_parties(make_deal(30, seed=3, issues=5, options=6))
    full = pc.acceptable_packages(deal)
    b = full.loc[full["passes"], "breadth"]
    assert {2, 3} <= set(b) and b.is_monotonic_decreasing


def test_money_case_excludes_prices_outside_the_zone():
    # the floor (900k) and the ceiling (1.25m) cut the six prices 769k … 1,642k to two
    deal = _zone(make_deal(30, seed=5, issues=5, options=6, roles=True))
    found = pc.acceptable_packages(deal, reservation={"us": 0.3, "them": 0.3}, max_packages=0)
    from powerkit.deal.money import money_issues, walk_aways
    amounts = money_issues(deal.issues, deal.meta.currency)
    wa = walk_aways(deal).set_index("party")["walk_away"]
    price = found["price"].map(amounts["price"]).astype(float)
    roles = deal.parties["role"]
    lo = float(wa[roles[roles == "seller"].index[0]])
    hi = float(wa[roles[roles == "buyer"].index[0]])
    assert (lo, hi) == (900_000, 1_250_000)
    assert len(found) and price.between(lo - 1e-6, hi + 1e-6).all()
    assert set(price) == {943_000, 1_118_000}


def test_estimated_count_interval_covers_the_enumerated_count():
    deal = make_deal(30, seed=1, issues=5, options=6)                     # 7,776 packages
    truth = pc.acceptable_packages(deal).attrs["n_passing"]
    covered = 0
    for seed in range(20):
        est = pc.acceptable_packages(deal, max_packages=0, top=3, seed=seed, sample_size=500)
        assert est.attrs["n_passing_rule"].startswith("estimated from 500 packages")
        lo, hi = est.attrs["n_passing_interval"]
        assert lo <= est.attrs["n_passing"] <= hi
        covered += lo <= truth <= hi
    assert covered >= 16


def test_count_is_exact_when_the_search_meets_every_passing_package():
    # a reservation so high that fewer than `top` packages pass: the search meets all of them
    deal = make_deal(30, seed=0, issues=5, options=6)
    res = {"us": 0.9, "them": 0.9}
    full = pc.acceptable_packages(deal, reservation=res)
    assert 0 < full.attrs["n_passing"] < 20
    found = pc.acceptable_packages(deal, reservation=res, max_packages=0, sample_size=100)
    assert found.attrs["n_passing_rule"] == "counted"
    assert found.attrs["n_passing"] == full.attrs["n_passing"] == len(found)


# --------------------------------------------------------------------------------------------
# selection in X + Y and the median
# --------------------------------------------------------------------------------------------
floats = st.lists(st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.3, 1 / 3, 0.5, 0.7, 1.0])
                  | st.floats(0, 1, allow_nan=False), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(x=floats, y=floats, frac=st.floats(0, 1))
def test_kth_smallest_sum_equals_sorting_every_sum(x, y, frac, monkeypatch_band):
    sums = np.sort((np.array(x)[:, None] + np.array(y)[None, :]).ravel())
    k = 1 + int(frac * (len(sums) - 1))
    assert search.kth_smallest_sum(x, y, k) == sums[k - 1]


@pytest.fixture(scope="module")
def monkeypatch_band():
    # a band of 30 pairs forces the narrowing rounds on these small lists
    old = search._BAND
    search._BAND = 30
    yield
    search._BAND = old


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 5), min_size=1, max_size=6), seed=st.integers(0, 10 ** 6))
def test_median_utility_equals_pandas_median_of_every_package(sizes, seed, monkeypatch_band):
    rng = np.random.default_rng(seed)
    contrib = [np.round(rng.random(m) * 0.3, rng.integers(1, 4)) for m in sizes]
    every = np.zeros(1)
    for c in contrib:                                   # issue order, as enumeration adds
        every = (every[:, None] + c[None, :]).ravel()
    assert search.median_utility(contrib) == float(pd.Series(every).median())


def test_too_many_packages_is_refused_naming_the_issues_table():
    deal = make_deal(30, issues=24, options=8)
    assert search.packages_problem([8] * 24) is not None
    with pytest.raises(InputError, match="'issues' table.*merge options"):
        pc.acceptable_packages(deal)


# --------------------------------------------------------------------------------------------
# 12 issues × 8 options, end to end
# --------------------------------------------------------------------------------------------
def _independent_utilities(folder: Path, package: dict) -> dict:
    """U_p = Σ_i w_pi/Σw_p · rating_p(i, option)/max_o rating_p(i, o), from the CSV file."""
    t = pd.read_csv(folder / "issues.csv")
    out = {}
    for party, g in t.groupby("party"):
        w = g.groupby("issue")["weight"].first()
        u = 0.0
        for issue, opt in package.items():
            r = g[g["issue"] == issue].set_index("option")["rating"]
            u += w[issue] / w.sum() * r[opt] / r.max()
        out[party] = u
    return out


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    root = tmp_path_factory.mktemp("big")
    deal = make_deal(30, seed=0, issues=12, options=8)
    folder = write_deal(deal, root / "twelve-by-eight")
    # the commands in process (typer's CliRunner): these tests are about what the commands do
    # with a big deal, not about the console script (tests/test_exit_codes.py runs that)
    runs = {cmd: CliRunner().invoke(app, [cmd, str(folder)]
                                    + ([] if cmd == "validate" else ["--out", str(root / cmd)]))
            for cmd in ("validate", "tables", "report")}
    return deal, folder, root, runs


def test_twelve_by_eight_validates_exports_and_reports(big):
    deal, folder, root, runs = big
    assert math.prod(deal.issues.groupby("issue")["option"].nunique()) == 8 ** 12
    for cmd, r in runs.items():
        assert r.exit_code == 0, (cmd, r.output[-2000:], r.exception)
    assert runs["validate"].output.startswith("ok:")
    assert list((root / "tables").glob("*.xlsx"))
    assert list((root / "report").glob("*.html"))


def test_twelve_by_eight_recommendation_is_exact(big):
    deal, folder, root, runs = big
    head = json.loads(next((root / "report").glob("*.json")).read_text())["headline"]
    best = head["coalitions"]["best_package"]
    assert best is not None and len(best) == 12
    pk = pc.acceptable_packages(deal)
    assert pc.best_package(pk) == best
    # its utilities, summed here from the CSV file
    mine = _independent_utilities(folder, best)
    for p in ("us", "them"):
        assert pk.loc[0, f"U({p})"] == pytest.approx(mine[p], abs=1e-12)
    # the medians: half of the 8^12 packages on each side, counted here by pairing the sums
    # of the first six issues with those of the last six
    space = search.package_space(deal.issues)
    n = space.count
    for p, r in pk.attrs["reservation"].items():
        c = space.contrib[p]
        x, y = np.zeros(1), np.zeros(1)
        for a in c[:6]:
            x = (x[:, None] + a[None, :]).ravel()
        for a in c[6:]:
            y = (y[:, None] + a[None, :]).ravel()
        y.sort()
        at_most = int(np.searchsorted(y, r + 1e-12 - x, side="right").sum())
        below = int(np.searchsorted(y, r - 1e-12 - x, side="left").sum())
        assert below <= n // 2 <= at_most
    # optimal: with two judges (us, them) and no money issue, the best package maximises
    # min(U_us − r_us, U_them − r_them) and then U_us, so it lies on the Pareto frontier of the
    # value module (an exact merge, written independently of the search)
    from powerkit.value import options_from_deal, pareto_frontier
    assert sorted(pk.attrs["party_votes"]) == ["them", "us"] and not pk.attrs["competitors"]
    front = pareto_frontier(options_from_deal(deal))
    r_us, r_them = pk.attrs["reservation"]["us"], pk.attrs["reservation"]["them"]
    ok = front[(front["us"] >= r_us - 1e-12) & (front["them"] >= r_them - 1e-12)]
    margin = np.minimum(ok["us"] - r_us, ok["them"] - r_them)
    top = ok.loc[margin == margin.max()]
    assert pk.loc[0, "min_surplus"] == pytest.approx(margin.max(), abs=1e-9)
    assert pk.loc[0, "U(us)"] == pytest.approx(top["us"].max(), abs=1e-9)
    # the headline states the deal's package count and an estimate inside its interval
    assert pk.attrs["n_packages"] == 8 ** 12
    lo, hi = pk.attrs["n_passing_interval"]
    assert lo <= head["coalitions"]["packages_passing"] <= hi
    assert head["value"]["packages"] == 8 ** 12
    # the value section's Nash package: its utilities summed from the CSV file give the largest
    # Nash product U^α·T^(1−α) (BATNAs 0, no money issue) of all efficient packages — the
    # frontier, an exact merge checked against brute force in tests/test_value.py
    from powerkit import value
    nash = head["value"]["nash_package"]
    u = _independent_utilities(folder, nash)
    alpha = value.what_if(deal).alpha
    def product(a, b):
        return a ** alpha * b ** (1 - alpha)
    best_product = max(product(a, b) for a, b in zip(front["us"], front["them"], strict=True))
    assert product(u["us"], u["them"]) == pytest.approx(best_product, abs=1e-12)


def test_validate_refuses_what_the_package_search_would(tmp_path):
    """24 issues × 8 options (8²⁴ ≈ 4.7e21 packages): the half-deals of the median selection
    would hold 8¹² ≈ 6.9e10 > 2²³ partial packages each — validate says so, one line."""
    from powerkit.deal import load_deal
    from powerkit.errors import DealError

    folder = write_deal(make_deal(10, seed=1, issues=24, options=8), tmp_path / "big")
    with pytest.raises(DealError) as exc:
        load_deal(folder)
    lines = str(exc.value).splitlines()
    assert lines[1:] == ["  issues.csv, row 2, column 'option': got '4.7e+21 packages'; expected "
                         "at most about 7e13 packages: merge options or split the deal into "
                         "separately negotiated parts"]
