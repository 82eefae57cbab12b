"""Trust plans, social proof and the reliability record (issue 15, item 4).

Expected numbers are derived by hand in the comments (beta updates, relation weights, utility
ratios); the reciprocity test shows the ledger weighs concessions by utility, not by counting
offers; the consistency test breaks the report on purpose and expects the new invariant to
catch it.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from powerkit.deal import load_deal
from powerkit.deal.derived import RATED, apply_commitments, reliability_record
from powerkit.deal.synthetic import make_deal
from powerkit.paths import sample_deal
from powerkit.plan import game_plan
from powerkit.power import reciprocity
from powerkit.power.social import goodwill_move, social_proof, trust_plan
from powerkit.sections import build_sections
from powerkit.sections.consistency import violations

NW = sample_deal("northwind-vendor")


def _deal_with(**tables):
    d = make_deal(8, seed=3)
    return dataclasses.replace(d, **tables), d


def _commitments(rows):
    return pd.DataFrame(rows, columns=["commitment", "by", "to", "promise", "date", "due",
                                       "status"]).assign(
        date=lambda t: pd.to_datetime(t["date"]), due=lambda t: pd.to_datetime(t["due"]))


def test_reliability_record_by_hand():
    d = make_deal(8, seed=3)
    st = d.stakeholders.copy()
    them = list(st.index[st["party"] == d.counterpart][:2])
    st.loc[them[0], "trust_reliability"] = 0.8
    st.loc[them[1], "trust_reliability"] = float("nan")
    cm = _commitments([
        ["a", d.us, them[0], "x", "2026-01-01", None, "kept"],
        ["b", d.us, them[0], "x", "2026-01-01", None, "partly"],
        ["c", d.us, them[0], "x", "2026-01-01", None, "broken"],
        ["d", d.us, them[0], "x", "2026-01-01", None, "open"],
        ["e", them[0], d.us, "x", "2026-01-01", None, "broken"],  # their promise: not ours
        ["f", d.us, d.counterpart, "x", "2026-01-01", None, "kept"],  # to the whole party
    ])
    rec = reliability_record(dataclasses.replace(d, stakeholders=st, commitments=cm))
    # them[0]: prior 0.8 → Beta(1.6, 0.4); kept 2 (a, f), partly 1, broken 1:
    # (1.6 + 2 + 0.5) / (2 + 4) = 4.1 / 6
    assert rec.loc[them[0], "reliability"] == pytest.approx(4.1 / 6, abs=1e-12)
    assert (rec.loc[them[0], ["kept", "partly", "broken", "open"]].tolist() == [2, 1, 1, 1])
    # them[1]: no rating → prior 0.5 = Beta(1, 1); kept 1 (f): (1 + 1) / (2 + 1) = 2/3
    assert rec.loc[them[1], "reliability"] == pytest.approx(2 / 3, abs=1e-12)


def test_apply_commitments_is_idempotent_and_keeps_the_rating():
    d = make_deal(8, seed=3)
    who = d.stakeholders.index[d.stakeholders["party"] == d.counterpart][0]
    cm = _commitments([["a", d.us, who, "x", "2026-01-01", None, "broken"]])
    once = apply_commitments(dataclasses.replace(d, commitments=cm))
    twice = apply_commitments(once)
    assert once.stakeholders.equals(twice.stakeholders)
    r = d.stakeholders.loc[who, "trust_reliability"]
    assert once.stakeholders.loc[who, RATED] == r
    assert once.stakeholders.loc[who, "trust_reliability"] == pytest.approx(2 * r / 3)


def test_sample_deal_loads_with_its_record():
    d = load_deal(NW)
    # Sofia Brandt: rated 0.45 (stakeholders.csv); promise c01 kept, c03 (to Brightwater) open:
    # (2·0.45 + 1) / (2 + 1) = 1.9 / 3
    assert d.stakeholders.loc["bw_ops_mgr", "trust_reliability"] == pytest.approx(1.9 / 3)
    # Claire Dubois: rated 0.5, c02 partly kept: (1 + 0.5) / 3 = 0.5
    assert d.stakeholders.loc["bw_it_head", "trust_reliability"] == pytest.approx(0.5)
    # c05 is Brightwater's promise to us: it does not touch their trust in us
    assert d.stakeholders.loc["bw_purch_dir", "trust_reliability"] == 0.55


def test_social_proof_by_hand():
    d = load_deal(NW)
    sp = social_proof(d)
    # Sofia Brandt: Lakeside trusts 0.9 → 0.9; Food Tech follows 0.6 → 0.42: Lakeside, via Osei
    assert sp.loc["bw_ops_mgr", "reference"] == "Lakeside Dairy MES rollout (2025)"
    assert sp.loc["bw_ops_mgr", "score"] == pytest.approx(0.9)
    assert sp.loc["bw_ops_mgr", "via_name"] == "Daniel Osei"
    assert sp.loc["bw_ops_mgr", "others"] == 1
    # Viktor Hale: knows 0.7 → 0.28, brought by Sofia Brandt
    assert sp.loc["bw_coo", "score"] == pytest.approx(0.28)
    assert sp.loc["bw_ceo", "via_name"] == "us"


def test_goodwill_move_by_hand():
    issues = pd.DataFrame({
        "issue": ["a"] * 4 + ["b"] * 4, "option": ["a1", "a2", "a1", "a2", "b1", "b2", "b1", "b2"],
        "party": ["u", "u", "t", "t"] * 2, "rating": [10, 8, 0, 10, 10, 0, 0, 10],
        "weight": [1, 1, 1, 1, 1, 1, 1, 1], "amount": [float("nan")] * 8})
    d = make_deal(8, seed=3)
    parties = d.parties.rename(index={d.us: "u", d.counterpart: "t"})
    meta = dataclasses.replace(d.meta, us="u", counterpart="t")
    dd = dataclasses.replace(d, issues=issues, parties=parties, meta=meta)
    # utilities (weights ½ each, ratings / max): us a1 .5, a2 .4, b1 .5, b2 0; them a2 .5, b2 .5
    # give a2: costs us .1 for .5 → 0.2 per unit; give b2: .5 for .5 → 1. Best: a2.
    g = goodwill_move(dd)
    assert (g["issue"], g["option"]) == ("a", "a2")
    assert g["cost_us"] == pytest.approx(0.1) and g["gain_them"] == pytest.approx(0.5)
    assert goodwill_move(dd, prefer=("b", "b2"))["option"] == "b2"  # the plan's give wins


def test_trust_plan_courts_neither_us_nor_rivals_and_names_one_action():
    d = load_deal(NW)
    tp = trust_plan(d)
    side = tp["party"].map(d.parties["side"])
    assert not side.isin(["us", "rival"]).any() and len(tp)
    rated = tp[tp["weakest"].notna()]
    low = rated[["competence", "benevolence", "reliability"]].idxmin(axis=1)
    assert (low == rated["weakest"]).all()
    # competence weakest with a reference: the action brings it
    comp = rated[(rated["weakest"] == "competence") & rated.index.isin(social_proof(d).index)]
    for who, r in comp.iterrows():
        assert social_proof(d).loc[who, "reference"] in r["action"]


def test_reciprocity_weighs_value_not_count():
    # us: three concessions worth 0.01 each; them: one worth 0.2. Counting offers would say we
    # gave more (3 > 1); by value they gave more: 0.5 + 0.5·(0.03 − 0.2)/0.23 = 0.1304…
    led = pd.DataFrame({"party": ["us", "us", "us", "them"],
                        "concession": [0.01, 0.01, 0.01, 0.2]})
    assert reciprocity(led, "us", "them")["balance_us"] == pytest.approx(0.5 + 0.5 * (-0.17 / 0.23))


def test_brief_and_trust_plan_agree_and_the_check_catches_a_break():
    d = load_deal(NW)
    secs = build_sections(d, ranges=False)
    plan = game_plan(d)
    assert violations(d, secs, plan) == []
    brief = next(s for s in secs if s.key == "brief")
    i, steps = next((i, b) for i, b in enumerate(brief.blocks)
                    if isinstance(b, pd.DataFrame) and "bring" in b.columns)
    pw = next(s for s in secs if s.key == "power")
    trust = next(b for b in pw.blocks if isinstance(b, pd.DataFrame) and "weakest" in b.columns)
    shared = sorted(set(steps["meet"]) & set(trust["name"]))
    assert shared, "the sample's brief meets people of the trust plan"
    broken = steps.copy()
    broken.loc[broken["meet"] == shared[0], "bring"] = "a box of chocolates"
    brief.blocks[i] = broken
    assert any(v.startswith("trust:") for v in violations(d, secs, plan))
