"""Tests of powerkit.synthetic: determinism, sizes, referential integrity, dtypes, round trip.

No expected number here comes from the generator's own output: sizes are the parameters passed
in, integrity rules are those of docs/deal-format.md, and the dtypes/indexes are compared with
what the independent loader (powerkit.load_deal) produces from a sample deal on disk.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import powerkit
from powerkit.deal import TABLES
from powerkit.deal.synthetic import make_deal, write_deal

ROOT = Path(__file__).resolve().parents[1]
DEALS = ROOT / "data" / "deals"


@pytest.fixture(scope="module")
def deal():
    return make_deal(300, seed=7)


def test_same_seed_same_deal_other_seed_other_deal():
    a, b, c = make_deal(120, seed=3), make_deal(120, seed=3), make_deal(120, seed=4)
    assert a.equals(b)
    assert not a.equals(c)
    assert not a.ties.equals(c.ties)


@pytest.mark.parametrize("n, n_ties", [(5, None), (40, None), (300, None), (300, 1234),
                                       (60, 0)])
def test_sizes(n, n_ties):
    d = make_deal(n, n_ties=n_ties, seed=1, issues=3, options=4)
    expected_ties = min(10 * n, 2 * n * (n - 1)) if n_ties is None else n_ties
    assert len(d.stakeholders) == n
    assert len(d.ties) == expected_ties
    # two rating parties (us, them) x 3 issues x 4 options
    assert len(d.issues) == 2 * 3 * 4
    assert d.issues.groupby(["issue", "party"]).size().eq(4).all()
    assert list(d.parties["side"]) == ["us", "counterpart", "third"]
    if expected_ties >= 100:  # every kind of tie present
        assert set(d.ties["kind"]) == {"advice", "trust", "friendship", "influence"}


def test_default_is_ten_ties_per_person():
    d = make_deal(2000, seed=0)
    assert len(d.stakeholders) == 2000 and len(d.ties) == 20_000


def test_referential_integrity(deal):
    people = set(deal.stakeholders.index)
    assert deal.stakeholders.index.is_unique
    assert set(deal.ties["source"]) <= people and set(deal.ties["target"]) <= people
    assert (deal.ties["source"] != deal.ties["target"]).all()
    assert not deal.ties.duplicated(["source", "target", "kind"]).any()
    assert (deal.ties["weight"] > 0).all()
    assert set(deal.stakeholders["party"]) <= set(deal.parties.index)
    # reports_to: every boss exists and the chart has no cycle
    bosses = deal.stakeholders["reports_to"].dropna()
    assert set(bosses) <= people
    chart = nx.DiGraph(list(zip(bosses.index, bosses, strict=True)))
    assert nx.is_directed_acyclic_graph(chart)
    assert deal.stakeholders["stance"].between(-1, 1).all()
    for col in ("interest", "legitimacy", "urgency", "trust_competence", "trust_benevolence",
                "trust_reliability", "frame_fit", "susceptibility"):
        assert deal.stakeholders[col].between(0, 1).all(), col
    votes = deal.stakeholders["vote_weight"]
    assert (votes >= 0).all() and (votes == votes.round()).all()
    assert 1 <= deal.meta.quota <= votes.sum()
    assert deal.stakeholders["sign_off"].sum() >= 1


def test_hypotheses_evidence_questions_events_offers(deal):
    hy = deal.hypotheses
    groups = hy.dropna(subset=["group"]).groupby("group")["prior"].sum()
    assert len(groups) >= 1 and np.allclose(groups, 1.0)
    assert (hy["group"].isna()).sum() >= 1  # some independent hypotheses too
    assert set(hy["holder"]) <= set(deal.stakeholders.index) | set(deal.parties.index)
    ev = deal.evidence
    assert set(ev["hypothesis"]) <= set(hy.index)
    has_rating = ev["rating"].notna()
    has_p = ev["p_if_true"].notna() & ev["p_if_false"].notna()
    assert (has_rating ^ has_p).all() and has_rating.any() and has_p.any()
    assert set(deal.questions["hypothesis"]) <= set(hy.index)
    for col in ("p_yes_if_true", "p_yes_if_false"):
        assert deal.questions[col].between(0, 1).all()
    assert set(deal.events["target"]) <= set(deal.stakeholders.index) | set(deal.parties.index)
    # each offer covers every issue with an option of that issue; parties alternate
    of = deal.offers
    n_issues = deal.issues["issue"].nunique()
    assert of.groupby(["round", "party"]).size().eq(n_issues).all()
    valid = set(zip(deal.issues["issue"], deal.issues["option"], strict=True))
    assert set(zip(of["issue"], of["option"], strict=True)) <= valid
    by_round = of.groupby("round")["party"].first()
    assert (by_round.values[1:] != by_round.values[:-1]).all()


def test_dtypes_and_indexes_match_the_loader(deal):
    ref = powerkit.load_deal(DEALS / "small-renewal")
    for t in TABLES:
        a, b = getattr(deal, t), getattr(ref, t)
        if a is None and b is None:  # an optional table neither has (scenarios)
            continue
        assert list(a.columns) == list(b.columns), t
        assert dict(a.dtypes) == dict(b.dtypes), t
        assert a.index.name == b.index.name and a.index.dtype == b.index.dtype, t
        assert type(a.index) is type(b.index), t


def test_heavy_tailed_in_degree():
    # With 2,000 people and 7,000 advice ties the mean in-degree is 3.5. Under a uniform
    # (Erdős–Rényi) model in-degrees are ~Poisson(3.5): P(X >= 25) < 1e-12, so over 2,000
    # people a maximum of 25 or more would practically never happen; a power-law model with
    # exponent ~2.5 gives hubs far above that.
    d = make_deal(2000, seed=0)
    advice = d.ties[d.ties["kind"] == "advice"]
    indeg = advice["target"].value_counts()
    assert len(advice) == 7000
    assert indeg.max() >= 25
    assert indeg.median() <= 3.5  # most people are sought out rarely


def test_round_trip_write_then_load(tmp_path, deal):
    back = powerkit.load_deal(write_deal(deal, tmp_path / "d"))
    assert back.equals(deal)
    assert back.meta == deal.meta


@pytest.mark.parametrize("path", [DEALS / "northwind-vendor", DEALS / "harbour-council",
                                  DEALS / "small-renewal",
                                  ROOT / "tests" / "fixtures" / "deals" / "hostile-names"],
                         ids=lambda p: p.name)
def test_write_deal_is_the_inverse_of_load_deal(tmp_path, path):
    original = powerkit.load_deal(path)
    back = powerkit.load_deal(write_deal(original, tmp_path / "copy"))
    assert back.equals(original)


def test_write_deal_removes_tables_the_deal_lacks(tmp_path):
    d = make_deal(10, seed=0)
    write_deal(d, tmp_path)
    write_deal(d.replace(offers=None), tmp_path)
    assert not (tmp_path / "offers.csv").exists()
    assert powerkit.load_deal(tmp_path).offers is None


@settings(max_examples=15, deadline=None)
@given(n=st.integers(5, 60), seed=st.integers(0, 2**31), issues=st.integers(1, 4),
       options=st.integers(2, 5), density=st.floats(0.0, 1.0))
def test_any_synthetic_deal_passes_the_validator(tmp_path_factory, n, seed, issues, options,
                                                 density):
    n_ties = int(density * 2 * n * (n - 1))
    d = make_deal(n, n_ties=n_ties, seed=seed, issues=issues, options=options)
    assert len(d.ties) == n_ties
    back = powerkit.load_deal(write_deal(d, tmp_path_factory.mktemp("deal")))
    assert back.equals(d)


@pytest.mark.parametrize("kwargs, name", [
    ({"n_stakeholders": 4}, "n_stakeholders"), ({"n_stakeholders": 10.0}, "n_stakeholders"),
    ({"n_ties": -1}, "n_ties"), ({"n_stakeholders": 5, "n_ties": 41}, "n_ties"),
    ({"seed": -1}, "seed"), ({"issues": 0}, "issues"), ({"options": 1}, "options"),
])
def test_bad_parameters(kwargs, name):
    with pytest.raises(ValueError, match=f"The '{name}' parameter of make_deal"):
        make_deal(**kwargs)


def test_write_deal_rejects_non_deal(tmp_path):
    with pytest.raises(ValueError, match="The 'deal' parameter of write_deal"):
        write_deal(pd.DataFrame(), tmp_path)
