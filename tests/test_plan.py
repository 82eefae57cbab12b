"""The game plan (powerkit.plan) and the report's invariants (powerkit.sections.consistency).

Expected values are derived by hand in the comments (the tiny deal below), read from the deal
files with the csv module, or computed by an independent method (enumerating every order).
Each invariant is shown to catch a deliberately broken input.
"""
from __future__ import annotations

import csv
import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEALS, SAMPLE_DEALS

import powerkit as pk
from powerkit import coalitions, value
from powerkit.deal.money import money_issues, parse_amount, zone
from powerkit.errors import InputError
from powerkit.plan import engagement_sequence, game_plan
from powerkit.plan.package import package_plan
from powerkit.report import headlines
from powerkit.sections import Section, build_sections, shared_analyses
from powerkit.sections.brief import METHOD_WORDS, brief_from_plan
from powerkit.sections.consistency import analysis_violations, text_blocks, violations
from powerkit.text import money


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# -- a tiny deal, every number by hand -------------------------------------------------------
TINY = {
    "deal.yaml": "id: tiny\ntitle: Tiny\ndecision: buy\nus: s\ncounterpart: b\n"
                 "as_of: 2026-11-01\ncurrency: EUR\n",
    "parties.csv": "party,name,side,role,reservation_price\n"
                   "s,Seller,us,seller,100000\nb,Buyer,counterpart,buyer,120000\n"
                   "r,Rival,rival,seller,130000\n",
    "stakeholders.csv": "stakeholder,name,party,sign_off,stance\n"
                        "s1,Sam,s,false,1\nb1,Bea,b,true,0.1\nr1,Rex,r,false,-1\n",
    # weights: us price 50 term 30 support 20; them price 50 term 10 support 40
    "issues.csv": "issue,option,party,rating,weight\n"
                  "price,EUR 100k,s,0,50\nprice,EUR 110k,s,50,50\nprice,EUR 120k,s,100,50\n"
                  "price,EUR 130k,s,100,50\n"
                  "price,EUR 100k,b,100,50\nprice,EUR 110k,b,50,50\nprice,EUR 120k,b,0,50\n"
                  "price,EUR 130k,b,0,50\n"
                  "term,1 year,s,0,30\nterm,3 years,s,100,30\nterm,1 year,b,100,10\n"
                  "term,3 years,b,0,10\n"
                  "support,basic,s,100,20\nsupport,premium,s,0,20\nsupport,basic,b,0,40\n"
                  "support,premium,b,100,40\n",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    for name, text in TINY.items():
        (folder / name).write_text(text, encoding="utf-8")
    return pk.load_deal(folder)


def test_tiny_package_plan_by_hand(tiny):
    """Utilities (weights normalised, ratings / 100): us — price 100k 0, 110k .25, 120k .5;
    term 1y 0, 3y .3; support basic .2, premium 0. Them — price 100k .5, 110k .25, 120k 0;
    term 1y .1, 3y 0; support basic 0, premium .4. EUR 130k lies above the buyer's ceiling
    (120k): excluded. Among the 12 other packages, u·t (α = 0.5, disagreement 0) is largest at
    (110k, 3 years, premium): .55 × .65 = .3575 (next: (120k, 3y, premium) .8 × .4 = .32).
    Opening: the most for us with t > 0 is (120k, 3y, premium), u .8 ((120k, 3y, basic) gives
    them 0). Ladder: one step, give price 120k → 110k (costs us .25, worth .25 to them); no move
    gains us, so ask them to agree to an issue the package keeps at the opening, the most
    valuable to us relative to them: term (our stake .3 vs their .1) before support (.2 vs .4)."""
    va = value.what_if(tiny, alpha=0.5)
    pp = package_plan(tiny, va)
    assert pp.zone.low == 100000 and pp.zone.high == 120000 and pp.zone.us_is_seller
    assert pp.target == {"price": "EUR 110k", "term": "3 years", "support": "premium"}
    assert pp.target_price == 110000 and pp.target_utilities == pytest.approx((0.55, 0.65))
    assert pp.opening == {"price": "EUR 120k", "term": "3 years", "support": "premium"}
    assert pp.opening_price == 120000 and pp.walk_away_price == 100000
    assert pp.excluded_options[["option", "why"]].values.tolist() == [
        ["EUR 130k", "above the buyer's ceiling"]]
    lad = pp.ladder
    assert len(lad) == 1 and lad.at[0, "give_issue"] == "price"
    assert lad.at[0, "give_option"] == "EUR 110k"
    assert (lad.at[0, "ask_issue"], lad.at[0, "ask_option"], lad.at[0, "ask_kind"]) == (
        "term", "3 years", "hold")
    assert lad.at[0, "cost_to_us"] == pytest.approx(0.25)
    assert lad.at[0, "gain_to_them"] == pytest.approx(0.25)


def test_tiny_chosen_target_and_bad_target(tiny):
    va = value.what_if(tiny, alpha=0.5)
    pp = package_plan(tiny, va, {"price": "EUR 100k", "term": "1 year", "support": "basic"})
    assert pp.target_price == 100000
    # opening (120k, 3y, premium) → target (100k, 1y, basic): gives price (−.5 us / +.5 them:
    # ratio 1) and term (−.3 / +.1: ratio 3); ask support (+.2 us / −.4 them). Cheapest give
    # first (price), paired with the ask; then term.
    assert pp.ladder["give_issue"].tolist() == ["price", "term"]
    assert pp.ladder["ask_issue"].tolist()[0] == "support"
    assert pp.ladder["ask_kind"].tolist() == ["move", "close"]  # nothing left at the opening
    with pytest.raises(InputError, match="target_package"):
        package_plan(tiny, va, {"price": "EUR 130k", "term": "1 year", "support": "basic"})


def test_tiny_plan_never_courts_our_team_or_the_rival(tiny):
    plan = game_plan(tiny)
    assert set(plan.steps["who"]) <= {"b1"}
    assert plan.roles == {"our_team": ["Sam"], "rivals": ["Rival"]}
    # the rival asks more than the buyer's ceiling: no alternative for the buyer, the zone stays
    assert plan.rivals.at[0, "what_they_offer"] == "can go as low as EUR 130k"
    assert (plan.package.zone.low, plan.package.zone.high) == (100000, 120000)


def test_money_labels_and_zone_read_from_the_files():
    """The zone from the parties CSV: the seller's reservation price, raised to the best rival
    buyer's price; the buyer's, lowered to the cheapest rival seller's (at the as-of date no
    BATNA has changed yet)."""
    for path in SAMPLE_DEALS:
        deal = pk.load_deal(path)
        rows = {r["party"]: r for r in _csv(path / "parties.csv")}
        us, them = deal.us, deal.counterpart
        z = zone(deal)
        seller = us if rows[us]["role"] == "seller" else them
        buyer = them if seller == us else us
        floor = float(rows[seller]["reservation_price"])
        ceiling = float(rows[buyer]["reservation_price"])
        for r in rows.values():
            if r["side"] == "rival" and r["role"] == rows[us]["role"]:
                if seller == them:
                    floor = max(floor, float(r["reservation_price"]))
                else:
                    ceiling = min(ceiling, float(r["reservation_price"]))
        assert (z.low, z.high) == (floor, ceiling)
        for amounts in money_issues(deal.issues, "EUR").values():
            for label, a in amounts.items():
                assert parse_amount(label)[0] == a and label.startswith("EUR ")


def test_label_in_another_currency_is_a_problem(tmp_path):
    for name, text in TINY.items():
        (tmp_path / name).write_text(text.replace("EUR 130k", "USD 130k"), encoding="utf-8")
    with pytest.raises(pk.DealError) as err:
        pk.load_deal(tmp_path)
    assert "an amount in the deal's currency EUR" in str(err.value)


def test_engagement_order_by_hand():
    """Movers first (in the influence plan's order), then votes, then sign-offs, then the
    question's addressee; a person in several lists is met once with every purpose; our own
    person (``o``) is dropped even when a model lists them."""
    st = pd.DataFrame({"name": ["A", "B", "C", "D", "E", "O"],
                       "party": ["t", "t", "t", "t", "t", "u"],
                       "trust_basis": ["track_record"] * 6},
                      index=pd.Index(list("abcdeo"), name="stakeholder"))
    parties = pd.DataFrame({"name": ["Them", "Us"], "side": ["counterpart", "us"]},
                           index=pd.Index(["t", "u"], name="party"))

    class D:
        stakeholders, meta = st, type("M", (), {"as_of": pd.Timestamp("2026-11-01").date()})
    D.parties = parties
    seq, notes = engagement_sequence(
        D, influence_steps=pd.DataFrame({"stakeholder": ["o", "a", "b"]}),
        vote_steps=pd.DataFrame({"stakeholder": ["c", "b"]}), sign_off=["d"],
        question={"question": "q1", "text": "Why?", "who": "e"}, close_by=None)
    assert seq["who"].tolist() == ["a", "b", "c", "d", "e"]
    assert seq.loc[seq["who"] == "b", "purpose"].item() == "move opinion, win a vote"
    assert notes[0].startswith("B closes the vote, A moves opinion: meet A first")  # b: last vote


def test_compound_rule_makes_stahl_a_veto_player_by_enumeration():
    """northwind-vendor: committee votes (Stahl 3, Duarte 2, Hale 2, Brandt 1, Dubois 1; quota
    5) and Stahl's signature. By hand: Stahl is pivotal when the players before him hold ≥ 2
    votes — never first; second with probability 1/2 (after Duarte or Hale); always third to
    fifth: SS = 1/5 · 1/2 + 3/5 = 0.7. The rest by enumerating all 120 orders."""
    deal = pk.load_deal(DEALS / "northwind-vendor")
    g = coalitions.voting_game(deal)
    assert g.rule == "votes and sign-off" and g.vetoes == ("bw_purch_dir",)
    assert g.votes_needed == 5 and g.total == 9
    ss = coalitions.power_indices(g.weights, g.quota)["shapley_shubik"].astype(float)
    votes = g.shown_votes.to_dict()
    piv = dict.fromkeys(votes, 0)
    orders = list(itertools.permutations(votes))
    for order in orders:
        have = 0.0
        for i, p in enumerate(order):
            have += votes[p]
            if have >= 5 and "bw_purch_dir" in order[:i + 1]:
                piv[p] += 1
                break
    assert ss["bw_purch_dir"] == pytest.approx(0.7)
    assert ss.to_dict() == pytest.approx({p: k / 120 for p, k in piv.items()})


# -- the invariants on the sample deals and their stories ------------------------------------
@pytest.fixture(scope="module")
def samples():
    out = {}
    for path in SAMPLE_DEALS:
        deal = pk.load_deal(path)
        secs = build_sections(deal)
        out[path.name] = (deal, secs, game_plan(deal, results=shared_analyses(deal)),
                          json.loads(json.dumps(headlines(secs), default=str)))
    return out


@pytest.mark.parametrize("name", [p.name for p in SAMPLE_DEALS])
def test_every_invariant_holds_on_the_sample_deals(samples, name):
    deal, secs, plan, head = samples[name]
    assert violations(deal, secs, plan, head) == []
    assert analysis_violations(deal, shared_analyses(deal), plan) == []


@pytest.mark.parametrize("name", [p.name for p in SAMPLE_DEALS])
def test_the_brief_is_the_report_plan_in_plain_words(samples, name):
    deal, secs, plan, head = samples[name]
    brief = secs[0]
    assert brief.key == "brief" and head["plan"]["steps"] == plan.headline()["steps"]
    text = " ".join(t for _, t in text_blocks([brief]))
    named = [w for w in METHOD_WORDS if re.search(rf"\b{w}", text, re.I)]
    assert not named, f"method names in the brief: {named}"
    # every price in the brief equals its section's: the target is the value section's Nash
    # package, priced by the one formatter
    assert head["plan"]["target_package"] == head["value"]["nash_package"]
    assert money(head["plan"]["target_price"], deal.meta.currency) in text


def test_northwind_story(samples):
    """docs/sample-deals.md, northwind-vendor: Brandt is the hidden influencer and who really
    decides, Stahl the formal-only holder who must still sign; the competitor is a rival; the
    plan meets Brandt first and Stahl last; the price stays in EUR 950k–1.3m."""
    _, _, plan, h = samples["northwind-vendor"]
    assert "Sofia Brandt" in h["influence"]["hidden_influencers"]
    assert h["influence"]["who_really_decides"] == "Sofia Brandt"
    assert "Gregor Stahl" in h["influence"]["formal_only"]
    assert h["coalitions"]["veto_players"] == ["Gregor Stahl"]
    assert h["roles"]["rivals"] == ["Apex Software"]
    steps = [s["who"] for s in h["plan"]["steps"]]
    assert steps[0] == "Sofia Brandt" and steps[-1] == "Gregor Stahl"
    assert 950000 <= h["plan"]["walk_away_price"] <= h["plan"]["target_price"] <= 1300000
    assert h["constraints"]["top_hypothesis"] == "h_apex_promise"
    assert h["plan"]["close_by"] == "2026-12-01"  # our alternative falls through then


def test_harbour_story(samples):
    """docs/sample-deals.md, harbour-council: the Heritage councillor is a dummy; today's
    supporters hold 12 votes and the cheapest way to 18 runs through the Greens and the
    Independents; Meridian is the rival; the fee stays in EUR 35m–42m."""
    _, _, _, h = samples["harbour-council"]
    assert h["coalitions"]["dummies"] == ["Edith Pryce"]
    assert h["coalitions"]["support_now"] == 12
    assert h["coalitions"]["plan_order"] == ["Tobias Brenner", "Karel Novak"]
    assert h["roles"]["rivals"] == ["Meridian Port Holdings"]
    assert 35e6 <= h["plan"]["target_price"] <= h["plan"]["walk_away_price"] == 42e6


def test_small_renewal_story(samples):
    """docs/sample-deals.md, small-renewal: ZOPA EUR 170k–205k, so EUR 210k is never
    recommended; Ada Novak is the hidden influencer; one contact (Tom Reyes) decides."""
    deal, secs, plan, h = samples["small-renewal"]
    assert h["plan"]["target_price"] <= 205000 and h["plan"]["opening_price"] <= 205000
    assert plan.package.excluded_options["option"].tolist() == ["EUR 210k"]
    assert h["influence"]["hidden_influencers"] == ["Ada Novak"]
    assert [s["who"] for s in h["plan"]["steps"]] == ["Tom Reyes"]
    assert h["influence"]["formal_only"] == []  # Reyes really decides: not formal-only


# -- each invariant catches a broken input ----------------------------------------------------
@pytest.fixture()
def small(samples):
    deal, secs, plan, head = samples["small-renewal"]
    import copy

    return deal, copy.deepcopy(secs), copy.deepcopy(plan), copy.deepcopy(head)


def _kinds(bad):
    return {b.split(":")[0] for b in bad}


def test_zone_invariant_catches_a_price_outside(small):
    deal, secs, plan, head = small
    plan.package.target_price = 210000.0
    assert "zone" in _kinds(violations(deal, secs, plan, head))


def test_order_invariant_catches_a_reordered_brief(small):
    deal, secs, plan, head = small
    extra = plan.steps.iloc[[0]].assign(who="lc_dir", name="Helena Fox", order=2)
    plan.steps = pd.concat([plan.steps, extra], ignore_index=True)
    assert "order" in _kinds(violations(deal, secs, plan, head))


def test_roles_invariant_catches_our_own_person(small):
    deal, secs, plan, head = small
    plan.steps = plan.steps.assign(who="br_ops")
    assert "roles" in _kinds(violations(deal, secs, plan, head))
    inf = next(s for s in secs if s.key == "influence")
    inf.headline["hidden_influencers"] = ["Noor Aziz"]
    assert any("influence lists" in b for b in violations(deal, secs, None, head))


def test_decides_invariant_catches_a_formal_only_decider(small):
    deal, secs, _, head = small
    inf = next(s for s in secs if s.key == "influence")
    inf.headline["formal_only"] = [inf.headline["who_really_decides"]]
    assert "decides" in _kinds(violations(deal, secs, None, head))


def test_count_compare_empty_and_money_invariants_catch_broken_text(small):
    deal, _, plan, head = small
    broken = Section("x", "X")
    broken.blocks = ["Plan (3 meetings).", pd.DataFrame({"a": [1]}),
                     "frame fit 0.50 < 0.50", pd.DataFrame({"b": []}),
                     "The column *p beats their BATNA* is the chance …", pd.DataFrame({"us": [1]})]
    kinds = _kinds(violations(deal, [broken], None, None))
    assert {"count", "compare", "empty", "column"} <= kinds
    brief = brief_from_plan(deal, plan)
    brief.blocks = [b for b in brief.blocks if not isinstance(b, str)]
    brief.summary = ""
    assert "money" in _kinds(violations(deal, [brief], plan, None))


def test_ranges_invariant_catches_a_brief_quoting_another_range(samples):
    import copy

    deal, secs, plan, head = samples["northwind-vendor"]
    secs = copy.deepcopy(secs)
    assert violations(deal, secs, plan, head) == []
    brief = secs[0]
    brief.blocks = [b.replace("puts the price between", "puts the price between EUR 1m and")
                    if isinstance(b, str) else b for b in brief.blocks]
    assert "ranges" in _kinds(violations(deal, secs, plan, head))


def test_ranges_invariant_catches_another_predicted_price(samples):
    import copy

    deal, secs, plan, head = samples["harbour-council"]  # the brief explains 40m vs 40.8m
    secs = copy.deepcopy(secs)
    brief = secs[0]
    assert any("for price alone" in b for b in brief.blocks if isinstance(b, str))
    brief.blocks = [b.replace("walkthrough 1 predicts EUR", "walkthrough 1 predicts USD")
                    if isinstance(b, str) else b for b in brief.blocks]
    assert any("another" not in v and v.startswith("ranges: the brief quotes")
               for v in violations(deal, secs, plan, head))


def test_analysis_invariants_catch_broken_results(samples):
    deal = samples["northwind-vendor"][0]
    shared = shared_analyses(deal)
    shared["influence"].table.loc["nw_md", "flag"] = "formal-only"
    top = shared["influence"].who.index[0]
    shared["influence"].table.loc[top, "flag"] = "formal-only"
    kinds = _kinds(analysis_violations(deal, shared))
    assert {"roles", "decides"} <= kinds


def test_a_section_never_shows_an_empty_table():
    s = Section("x", "X").add(pd.DataFrame({"a": []}), pd.DataFrame({"a": []}).pipe(
        lambda d: d.attrs.update(empty="Nobody.") or d))
    assert s.blocks == ["*Nothing to show here for this deal.*", "Nobody."]
