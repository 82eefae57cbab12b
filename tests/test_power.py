"""Tests of powerkit.power (and its report section, powerkit.sections.power) on a hand-built deal whose every number is derived by hand in the
comments, on the Itex–Cypress reference ratings, and on invariants (hypothesis)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import powerkit
from powerkit import power as pw
from powerkit.deal import Deal, DealMeta
from powerkit.deal.money import walk_aways
from powerkit.sections import Section
from powerkit.sections.power import section as power_section

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "data" / "deals").iterdir() if (p / "deal.yaml").exists())
FAST = settings(max_examples=30, deadline=None)

# Only one source and one input of it carry weight: the balance is then that input's
# difference (hand: W_s = 1, w_i = 1).
ONLY = {"positional": 1, "psychological": 0, "systemic": 0}


def hand_deal(events=True, offers=True, ties=True) -> Deal:
    """Acme (us, seller) and BuyCo (counterpart, buyer).

    Hand derivations used below:
    * ZOPA 100..160, W = 60; BATNA strength B/(B+W): us 30/90 = 1/3, them 20/80 = 1/4.
    * alternatives n/(n+1): us 1/2, them 3/4.
    * rates: us 0.1, them 0.3 (discount_rate, no deadlines) → time (BRW) us 0.3/0.4 = 0.75.
    * ties (source listens to target): b2→b1 (2), b3→b1 (1), a1→b2 (1).
      in-strength b1 = 3, b2 = 1 → listened_to b1 = 1, b2 = 1/3, a1 = b3 = 0.
      our reach: b2 direct (1), b1 via b2 (0.5), b3 three steps (0).
    * say = 1 + 2·sign_off + budget share + vote share + listened_to:
      b1 = 1 + 2 + 1 + 0 + 1 = 5, b2 = 1 + 1/3 = 4/3, b3 = 1.
    * trust_competence (us) = (5·0.8 + 4/3·0.4)/(5 + 4/3) = 4.5333/6.3333 = 0.715789…
      (b3 has no ratings and is left out).
    * access (us) = (5·0.5 + 4/3·1 + 1·0)/(5 + 4/3 + 1) = 3.8333/7.3333 = 0.522727…
    * issues: Acme price (hi 10, lo 0; w 3), term (long 5, short 10; w 1) → weights 3/4, 1/4;
      BuyCo price (hi 0, lo 10; w 1), term (long 10, short 0; w 1) → 1/2, 1/2.
      offers: R1 Acme (hi, short): u_A = 1, u_B = 0; R2 BuyCo (lo, long): u_A = 0.125, u_B = 1;
      R3 Acme (hi, long): u_A = 0.875, u_B = 0.5; R4 BuyCo (hi; term carried: long):
      u_A = 0.875, u_B = 0.5.
      concessions: Acme 1 − 0.875 = 0.125; BuyCo 1 − 0.5 = 0.5;
      reciprocity (us) = 0.5 + 0.5·(0.125 − 0.5)/0.625 = 0.2.
      commitment: us = u_A(R4) = 0.875, them = u_B(R3) = 0.5.
    """
    parties = pd.DataFrame({
        "party": ["acme", "buyco"], "name": ["Acme", "BuyCo"], "side": ["us", "counterpart"],
        "role": ["seller", "buyer"], "reservation_price": [100.0, 160.0],
        "batna_value": [30.0, 20.0], "alternatives": [1.0, 3.0],
        "deadline": pd.to_datetime([pd.NaT, pd.NaT]), "discount_rate": [0.1, 0.3],
        "resources": [0.8, 0.4], "legal_position": [0.6, 0.5], "status": [0.4, 0.6],
        "external": [0.7, 0.3], "coalition_strength": [0.2, 0.6],
    }).set_index("party")
    people = pd.DataFrame({
        "stakeholder": ["a1", "b1", "b2", "b3"], "name": ["Ann", "Bo", "Bea", "Ben"],
        "party": ["acme", "buyco", "buyco", "buyco"], "title": None, "department": None,
        "reports_to": None, "sign_off": [False, True, False, False],
        "budget_authority": [0.0, 100.0, 0.0, 0.0], "stance": 0.0, "interest": np.nan,
        "legitimacy": np.nan, "urgency": np.nan, "vote_weight": np.nan,
        "trust_competence": [0.9, 0.8, 0.4, np.nan], "trust_benevolence": [0.9, 0.6, 0.4, np.nan],
        "trust_reliability": [0.9, 0.7, 0.4, np.nan], "frame_fit": [0.9, 0.5, 0.9, np.nan],
        "trust_basis": ["track_record", "track_record", "feeling_understood", None],
        "susceptibility": np.nan,
    }).set_index("stakeholder")
    t = pd.DataFrame({"source": ["b2", "b3", "a1"], "target": ["b1", "b1", "b2"],
                      "kind": ["advice", "advice", "trust"], "weight": [2.0, 1.0, 1.0]})
    issues = pd.DataFrame({
        "issue": ["price"] * 4 + ["term"] * 4,
        "option": ["hi", "lo", "hi", "lo", "long", "short", "long", "short"],
        "party": ["acme", "acme", "buyco", "buyco"] * 2,
        "rating": [10, 0, 0, 10, 5, 10, 10, 0], "weight": [3, 3, 1, 1, 1, 1, 1, 1]})
    off = pd.DataFrame({
        "round": [1, 1, 2, 2, 3, 3, 4],
        "date": pd.to_datetime(["2024-11-01"] * 2 + ["2024-11-15"] * 2 + ["2024-12-01"] * 2
                               + ["2024-12-15"]),
        "party": ["acme", "acme", "buyco", "buyco", "acme", "acme", "buyco"],
        "issue": ["price", "term", "price", "term", "price", "term", "price"],
        "option": ["hi", "short", "lo", "long", "hi", "long", "hi"], "note": None})
    ev = pd.DataFrame({
        "date": pd.to_datetime(["2025-02-01", "2025-03-01"]), "target": ["acme", "buyco"],
        "field": ["alternatives", "discount_rate"], "value": ["0", "0.6"],
        "description": ["our alternative falls through", "their board loses patience"]})
    meta = DealMeta(id="hand", title="Hand", decision="buy", us="acme", counterpart="buyco",
                    as_of=date(2025, 1, 1), currency="EUR")
    return Deal(meta=meta, parties=parties, stakeholders=people, ties=t if ties else None,
                issues=issues, offers=off if offers else None, events=ev if events else None)


def value(prof, party, name):
    i = prof.inputs
    return float(i.loc[(i["party"] == party) & (i["input"] == name), "value"].iloc[0])


# ---------------------------------------------------------------------------------- weights
class TestWeights:
    def test_normalised(self):
        w = pw.resolve_weights({"positional": 2, "psychological": 1, "systemic": 1})
        assert w["positional"] == pytest.approx(0.5)
        pos = [k for k, (s, _, _) in pw.INPUTS.items() if s == "positional"]
        assert sum(w[k] for k in pos) == pytest.approx(1.0)

    @pytest.mark.parametrize("bad,msg", [({"nope": 1}, "keys among"), ({"batna": -1}, ">= 0"),
                                         ({"batna": float("nan")}, ">= 0"),
                                         (ONLY | {"positional": 0}, "positive weight")])
    def test_errors(self, bad, msg):
        with pytest.raises(ValueError, match=msg):
            pw.resolve_weights(bad)


# ---------------------------------------------------------------------------------- offers
class TestOffers:
    def test_issue_utilities_by_hand(self):
        u = pw.issue_utilities(hand_deal().issues)
        got = dict(zip(zip(u["party"], u["issue"], u["option"], strict=True), u["utility"],
                       strict=True))
        assert got[("acme", "price", "hi")] == pytest.approx(0.75)
        assert got[("acme", "term", "long")] == pytest.approx(0.125)
        assert got[("buyco", "term", "long")] == pytest.approx(0.5)

    def test_itex_cypress_reference(self):
        # the published GENIUS profiles: U = Σ w_i · eval_i / max eval_i (data/reference README)
        ref = pd.read_csv(ROOT / "data" / "reference" / "itex_cypress_scoring.csv")
        long = pd.concat([
            pd.DataFrame({"issue": ref["issue"], "option": ref["option"], "party": side,
                          "rating": ref[f"{side}_evaluation"], "weight": ref[f"{side}_issue_weight"]})
            for side in ("itex", "cypress")])
        u = pw.issue_utilities(long)
        pkg = {"Price": "$4.12", "Delivery": "30 days", "Payment": "Upon delivery",
               "Returns": "5% spoilage allowed"}
        for side in ("itex", "cypress"):
            expected = 0.0
            for issue, option in pkg.items():  # independent: straight from the file
                rows = ref[ref["issue"] == issue]
                ev = rows.loc[rows["option"] == option, f"{side}_evaluation"].iloc[0]
                expected += rows[f"{side}_issue_weight"].iloc[0] * ev / rows[
                    f"{side}_evaluation"].max()
            got = u[(u["party"] == side) & u.apply(lambda r: pkg.get(r["issue"]) == r["option"],
                                                   axis=1)]["utility"].sum()
            # the file's weights already sum to 1 per side, so normalising changes nothing
            assert got == pytest.approx(expected, abs=1e-12)

    def test_offer_utilities_and_carry_forward(self):
        ou = pw.offer_utilities(hand_deal())
        assert ou["u_acme"].tolist() == pytest.approx([1.0, 0.125, 0.875, 0.875])
        assert ou["u_buyco"].tolist() == pytest.approx([0.0, 1.0, 0.5, 0.5])
        assert not ou["incomplete"].any()

    def test_ledger_by_hand(self):
        led = pw.concession_ledger(hand_deal())
        a = led[led["party"] == "acme"]
        b = led[led["party"] == "buyco"]
        assert np.isnan(a["concession"].iloc[0]) and a["concession"].iloc[1] == pytest.approx(0.125)
        assert a["gain_to_other"].iloc[1] == pytest.approx(0.5)
        assert b["concession"].iloc[1] == pytest.approx(0.5)
        assert b["gain_to_other"].iloc[1] == pytest.approx(0.75)
        r = pw.reciprocity(led, "acme", "buyco")
        assert r["balance_us"] == pytest.approx(0.2)

    def test_ledger_at_date(self):
        # on 2024-12-01 BuyCo has made one offer only: no concession yet
        led = pw.concession_ledger(hand_deal(), at="2024-12-01")
        assert led["round"].tolist() == [1, 2, 3]
        assert pw.reciprocity(led, "acme", "buyco")["balance_us"] == pytest.approx(1.0)

    def test_missing_tables(self):
        with pytest.raises(powerkit.MissingTableError, match="offers"):
            pw.offer_utilities(hand_deal(offers=False))


# ---------------------------------------------------------------------------------- people
class TestStakeholders:
    def test_by_hand(self):
        t = pw.stakeholder_power(hand_deal())
        assert t["listened_to"].to_dict() == pytest.approx({"a1": 0, "b1": 1, "b2": 1 / 3,
                                                             "b3": 0})
        assert t.loc[["b1", "b2", "b3"], "access_to"].tolist() == [0.5, 1.0, 0.0]
        assert t["say"].loc[["b1", "b2", "b3"]].tolist() == pytest.approx([5, 4 / 3, 1])
        # our own people carry no "trust in us"
        assert np.isnan(t.at["a1", "trust_competence"])
        # b1 positional: 0.4·1 + 0.3·1 + 0.3·0 = 0.7
        assert t.at["b1", "positional"] == pytest.approx(0.7)

    def test_custom_say(self):
        # all say on b2: trust_competence (us) = b2's 0.4
        prof = pw.power_profile(hand_deal(), stakeholder_weights=pd.Series(
            {"b1": 0.0, "b2": 1.0, "b3": 0.0}))
        assert value(prof, "acme", "trust_competence") == pytest.approx(0.4)

    def test_key_stakeholders(self):
        k = pw.key_stakeholders(hand_deal(), n=2)
        assert list(k.index) == ["b1", "b2"]  # 0.7 + 0.6·1 + 0.4·0.5 = 1.5; 0 + 0.2 + 0.4 = 0.6


# ---------------------------------------------------------------------------------- profile
class TestProfile:
    def test_inputs_by_hand(self):
        prof = pw.power_profile(hand_deal(events=False))
        expected = {("acme", "batna"): 1 / 3, ("buyco", "batna"): 1 / 4,
                    ("acme", "alternatives"): 0.5, ("buyco", "alternatives"): 0.75,
                    ("acme", "time"): 0.75, ("buyco", "time"): 0.25,
                    ("acme", "trust_competence"): 4.533333333 / 6.333333333,
                    ("acme", "access"): 3.833333333 / 7.333333333,
                    ("acme", "reciprocity"): 0.2, ("buyco", "reciprocity"): 0.8,
                    ("acme", "commitment"): 0.875, ("buyco", "commitment"): 0.5,
                    ("acme", "coalition_strength"): 0.2, ("buyco", "external"): 0.3}
        for (p, name), v in expected.items():
            assert value(prof, p, name) == pytest.approx(v, abs=1e-9), (p, name)
        # trust and access are measured for us only: neutral baseline for them
        assert value(prof, "buyco", "trust_competence") == 0.5
        assert prof.inputs.query("party == 'buyco' and input == 'access'")["baseline"].all()

    def test_one_input_balance(self):
        # only BATNA counts: balance = 1/3 − 1/4 = 1/12
        w = ONLY | {k: 0 for k, (s, _, _) in pw.INPUTS.items() if s == "positional"} | {"batna": 1}
        prof = pw.power_profile(hand_deal(events=False), weights=w)
        assert prof.balance == pytest.approx(1 / 12)
        # only reciprocity: 0.2 − 0.8 = −0.6
        w = {"positional": 0, "psychological": 1, "systemic": 0} | {
            k: 0 for k, (s, _, _) in pw.INPUTS.items() if s == "psychological"} | {"reciprocity": 1}
        assert pw.power_profile(hand_deal(events=False), weights=w).balance == pytest.approx(-0.6)

    def test_balance_decomposes(self):
        prof = pw.power_profile(hand_deal())
        sc = prof.scores
        assert prof.balance == pytest.approx(sc.at["acme", "overall"] - sc.at["buyco", "overall"])
        assert prof.drivers["contribution"].sum() == pytest.approx(prof.balance)
        assert prof.by_source.sum() == pytest.approx(prof.balance)
        # contributions of a party add up to its overall score
        own = prof.inputs[prof.inputs["party"] == "acme"]["contribution"].sum()
        assert own == pytest.approx(sc.at["acme", "overall"])

    def test_blank_inputs_are_assumed(self):
        d = hand_deal(events=False, offers=False, ties=False)
        prof = pw.power_profile(d)
        i = prof.inputs.set_index(["party", "input"])
        for name in ("reciprocity", "commitment", "access"):
            assert i.at[("acme", name), "assumed"] and i.at[("acme", name), "value"] == 0.5

    def test_systemic_inputs_override(self):
        sysin = pd.DataFrame({"access": [0.9], "coalition_strength": [0.8]}, index=["acme"])
        prof = pw.power_profile(hand_deal(), systemic_inputs=sysin)
        assert value(prof, "acme", "access") == 0.9
        assert value(prof, "acme", "coalition_strength") == 0.8
        row = prof.inputs.query("party == 'acme' and input == 'access'").iloc[0]
        assert row["raw"] == "systemic_inputs"
        prof2 = pw.power_profile(hand_deal(), systemic_inputs={"buyco": {"external": 0.0}})
        assert value(prof2, "buyco", "external") == 0.0
        with pytest.raises(ValueError, match="in \\[0, 1\\]"):
            pw.power_profile(hand_deal(), systemic_inputs={"acme": {"access": 2.0}})
        with pytest.raises(ValueError, match="columns among"):
            pw.power_profile(hand_deal(), systemic_inputs={"acme": {"trust": 0.2}})

    @FAST
    @given(st.dictionaries(st.sampled_from(list(pw.INPUTS)), st.floats(0, 1), max_size=6),
           st.dictionaries(st.sampled_from(list(pw.INPUTS)), st.floats(0, 1), max_size=6))
    def test_balance_bounded_and_monotone(self, ours, theirs):
        d = hand_deal(events=False)
        over = {("us", k): v for k, v in ours.items()} | {("them", k): v for k, v in theirs.items()}
        prof = pw.power_profile(d, inputs=over)
        assert -1 - 1e-12 <= prof.balance <= 1 + 1e-12
        # raising any one of our inputs never lowers the balance
        for k in list(ours)[:2]:
            up = pw.power_profile(d, inputs=over | {("us", k): min(1.0, ours[k] + 0.1)})
            assert up.balance >= prof.balance - 1e-12


# ---------------------------------------------------------------------------------- tornado
class TestTornado:
    def test_ends_match_recomputation(self):
        d = hand_deal(events=False)
        prof = pw.power_profile(d)
        tor = pw.tornado(prof, spread=0.2)
        # independent check: recompute the whole profile with the input moved to each end
        for r in tor.head(6).itertuples():
            who = "us" if r.party == "acme" else "them"
            lo = pw.power_profile(d, inputs={(who, r.input): r.low}).balance
            hi = pw.power_profile(d, inputs={(who, r.input): r.high}).balance
            assert (r.balance_low, r.balance_high) == pytest.approx((lo, hi), abs=1e-12)
        assert tor["swing"].is_monotonic_decreasing
        # baselines (measured for us only) do not move
        assert not ((tor["party"] == "buyco") & (tor["input"] == "trust_competence")).any()

    def test_assumed_inputs_span_the_range(self):
        prof = pw.power_profile(hand_deal(events=False, offers=False))
        tor = pw.tornado(prof)
        r = tor[(tor["party"] == "acme") & (tor["input"] == "reciprocity")].iloc[0]
        assert (r["low"], r["high"]) == (0.0, 1.0)

    def test_bad_spread(self):
        with pytest.raises(ValueError, match="'spread' parameter of tornado"):
            pw.tornado(pw.power_profile(hand_deal()), spread=2)


# ---------------------------------------------------------------------------------- time
class TestEvents:
    def test_apply_events(self):
        d = hand_deal()
        d1 = pw.apply_events(d, "2025-02-01")
        assert d1.parties.at["acme", "alternatives"] == 0
        assert d1.parties.at["buyco", "discount_rate"] == 0.3  # not yet (1 March)
        d2 = pw.apply_events(d, "2025-03-01")
        assert d2.parties.at["buyco", "discount_rate"] == 0.6
        assert d.parties.at["acme", "alternatives"] == 1  # original untouched
        # idempotent: applying again changes nothing
        assert pw.apply_events(d2, "2025-03-01").parties.equals(d2.parties)

    def test_shift_by_hand(self):
        d = hand_deal()
        before = pw.power_profile(d, at="2025-01-31")
        after = pw.power_profile(d, at="2025-03-01")
        # alternatives 1 → 0: n/(n+1) from 1/2 to 0; their rate 0.3 → 0.6: time 0.6/0.7
        assert value(before, "acme", "alternatives") == 0.5
        assert value(after, "acme", "alternatives") == 0.0
        assert value(after, "acme", "time") == pytest.approx(0.6 / 0.7)

    def test_timeline(self):
        d = hand_deal()
        tl = pw.balance_timeline(d, step_months=None)
        assert list(tl["date"]) == [pd.Timestamp(x) for x in ("2025-01-01", "2025-02-01",
                                                              "2025-03-01")]
        assert tl["event"].iloc[1] == "our alternative falls through"
        # each point is the profile at that date
        assert tl["balance"].iloc[2] == pytest.approx(pw.power_profile(d, at="2025-03-01").balance)
        assert tl[["positional", "psychological", "systemic"]].sum(axis=1).tolist() \
            == pytest.approx(tl["balance"].tolist())

    def test_monthly_grid(self):
        tl = pw.balance_timeline(hand_deal(), step_months=1.0)
        assert len(tl) >= 3 and tl["date"].is_monotonic_increasing


# ---------------------------------------------------------------------------------- what-if
class TestWhatIf:
    def test_batna_moves_reservation(self):
        r = pw.what_if(hand_deal(events=False), batna=50.0)
        # seller: the walk-away moves with the BATNA: 100 + (50 − 30) = 120 (the reservation
        # price as entered stays; deal.money.walk_aways); W = 40 → 50/90
        assert r.deal.parties.at["acme", "reservation_price"] == 100
        w = walk_aways(r.deal).set_index("party")
        assert w.at["acme", "walk_away"] == 120
        assert value(r.profile, "acme", "batna") == pytest.approx(50 / 90)
        assert set(r.changes["field"]) == {"batna_value"}

    def test_deadline_in_months(self):
        r = pw.what_if(hand_deal(events=False), their_deadline=2.0)
        # 2 months after 2025-01-01 = 60.875 days; their rate 0.3 + 1/2 = 0.8 → time 0.8/0.9
        assert value(r.profile, "acme", "time") == pytest.approx(0.8 / 0.9, abs=1e-3)

    def test_equals_manual_change(self):
        d = hand_deal(events=False)
        r = pw.what_if(d, overrides={("b2", "trust_competence"): 0.9}, weights={"systemic": 0})
        people = d.stakeholders.copy()
        people.loc["b2", "trust_competence"] = 0.9
        manual = pw.power_profile(d.replace(stakeholders=people), weights={"systemic": 0})
        assert r.profile.balance == pytest.approx(manual.balance)

    def test_bad_override(self):
        with pytest.raises(ValueError, match="'overrides' parameter of what_if"):
            pw.what_if(hand_deal(), overrides={("zz", "stance"): 1})


# ---------------------------------------------------------------------------------- posture
class TestPosture:
    def _prof(self, us, them):
        names = list(pw.INPUTS)
        over = {("us", k): us for k in names} | {("them", k): them for k in names}
        return pw.power_profile(hand_deal(events=False), inputs=over)

    def test_more_power(self):
        # every input 0.8 vs 0.2: balance = 0.6 (weights sum to 1) → use it indirectly, restraint
        prof = self._prof(0.8, 0.2)
        assert prof.balance == pytest.approx(0.6)
        p = pw.posture(prof)
        assert {"more power: use it indirectly", "much more power: strategic restraint"} <= set(
            p["rule"])
        assert (p["numbers"] == "balance +0.60").any()

    def test_less_power(self):
        p = pw.posture(self._prof(0.2, 0.8))
        assert {"less power: create value and build relationships",
                "much less power: name the imbalance"} <= set(p["rule"])
        # trust 0.2 < 0.5 and frame fit 0.2 < 0.5 fire with their numbers
        assert "low trust: build it where it is weakest" in set(p["rule"])
        assert (p["numbers"] == "frame fit 0.20").any()

    def test_balanced(self):
        p = pw.posture(self._prof(0.5, 0.5))
        assert p["rule"].iloc[0] == "balanced: shift power through value creation"

    def test_no_zopa_and_time(self):
        d = hand_deal(events=False)
        parties = d.parties.copy()
        parties.loc["buyco", "reservation_price"] = 90.0
        p = pw.posture(pw.power_profile(d.replace(parties=parties)))
        assert (p["rule"] == "no ZOPA").any() and (p["numbers"] == "gap 10").any()
        # BRW weight 0.75 ≥ 0.55
        assert (p["rule"] == "time is on our side").any()
        # reciprocity 0.2 < 0.4: they gave more
        assert (p["rule"] == "reciprocate").any()


# ---------------------------------------------------------------------------------- trust
def test_trust_profile():
    t = pw.trust_profile(hand_deal())
    assert list(t.index) == ["b2", "b1", "b3"]  # mean trust 0.4, 0.7, none
    assert t.at["b1", "weakest"] == "benevolence"
    assert t.at["b2", "builds_trust"] == "feeling understood"
    assert t.at["b3", "builds_trust"] == "not recorded"
    assert "a1" not in t.index


# ---------------------------------------------------------------------------------- report
class TestReport:
    def test_hand_deal(self):
        sec = power_section(hand_deal())
        assert isinstance(sec, Section) and sec.missing is None and sec.key == "power"
        h = sec.headline
        prof = pw.power_profile(hand_deal())
        assert h["balance"] == round(prof.balance, 3)
        assert h["top_drivers"][0] == prof.drivers["input"].iloc[0]
        # split: w_us = 0.75, price = 100 + 0.75·60 = 145
        assert h["predicted_price"] == 145 and h["share_us"] == 0.75
        assert f"Balance {h['balance']:+.2f}" in sec.summary and "145" in sec.summary
        side = "in our favour" if h["top_driver_contributions"][0] >= 0 else "in theirs"
        assert side in sec.summary
        import json
        json.dumps(h)  # plain JSON values only

    def test_no_roles_still_renders(self):
        d = hand_deal()
        parties = d.parties.copy()
        parties["role"] = "other"
        sec = power_section(d.replace(parties=parties))
        assert sec.missing is None and "predicted_price" not in sec.headline

    @pytest.mark.parametrize("path", SAMPLES + [ROOT / "tests" / "fixtures" / "deals"
                                                / "hostile-names"], ids=lambda p: p.name)
    def test_sample_deals(self, path):
        if not (path / "deal.yaml").exists():
            pytest.skip("fixture absent")
        d = powerkit.load_deal(path)
        sec = power_section(d)
        assert sec.missing is None
        for b in sec.blocks:
            if isinstance(b, str):
                assert "<script" not in b.lower()
        fig = sec.blocks[1]
        assert "<script" not in fig.to_json().lower()


# ---------------------------------------------------------------------------------- perspective
class TestPerspective:
    def test_as_party(self):
        d = pw.as_party(hand_deal(), "buyco")
        assert (d.us, d.counterpart) == ("buyco", "acme")
        # trust recorded "in acme": blanked from BuyCo's side, so its trust inputs are assumed
        prof = pw.power_profile(d)
        assert prof.inputs.query("party == 'buyco' and input == 'trust_competence'")[
            "assumed"].all()
        # positional inputs keep their meaning: BuyCo's BATNA 1/4 vs Acme's 1/3
        assert value(prof, "buyco", "batna") == pytest.approx(0.25)
        assert pw.as_party(hand_deal(), "") is not None
        with pytest.raises(ValueError, match="'party' parameter of as_party"):
            pw.as_party(hand_deal(), "nobody")

    def test_provenance_table(self):
        prof = pw.power_profile(hand_deal(events=False))
        t = pw.provenance_table(prof, {"acme": "Acme", "buyco": "BuyCo"})
        assert len(t) == len(pw.INPUTS)
        row = t.set_index("input").loc["batna"]
        assert row["Acme"] == "0.33" and row["BuyCo"] == "0.25"
        assert t.set_index("input").loc["trust_competence", "BuyCo"].endswith("*")
        assert t["contribution"].sum() == pytest.approx(prof.balance, abs=1e-3)


# ---------------------------------------------------------------------------------- widgets
class TestWidgets:
    """The builder wires its controls to power.what_if: moving a control must give what
    calling what_if directly with the same values gives."""

    def test_controls_drive_what_if(self):
        from powerkit.widgets.power import build_power_widgets

        d = hand_deal()
        box = build_power_widgets(d)
        c = box.controls
        assert box.last.profile.balance == pytest.approx(pw.power_profile(d).balance)
        c["our_batna"].value = 50.0
        assert box.last.profile.balance == pytest.approx(
            pw.what_if(d, batna=50.0).profile.balance)
        c["systemic"].value = 0.0
        direct = pw.what_if(d, batna=50.0, weights={"systemic": 0.0})
        assert box.last.profile.balance == pytest.approx(direct.profile.balance)
        assert len(box.figures) == 4

    def test_date_resets_sliders(self):
        from powerkit.widgets.power import build_power_widgets

        d = hand_deal()
        box = build_power_widgets(d)
        c = box.controls
        c["our_batna"].value = 10.0
        c["at"].value = pd.Timestamp("2025-03-01")
        # the BATNA slider returns to the deal's value on that date; the profile is the
        # deal's profile at that date (events applied)
        assert c["our_batna"].value == 30.0
        assert box.last.profile.balance == pytest.approx(
            pw.power_profile(d, at="2025-03-01").balance)


def test_stakeholder_provenance():
    # b1 (hand, see hand_deal): positional 0.4·1 + 0.3·1 + 0.3·0 = 0.7; systemic 0.6·1 + 0.4·0.5
    # = 0.8; psychological (0.15·0.8 + 0.15·0.6 + 0.15·0.7 + 0.25·0.5)/0.7 = 0.44/0.7
    t = pw.stakeholder_provenance(hand_deal(), "b1")
    by = t.groupby("source")["contribution"].sum()
    assert by["positional"] == pytest.approx(0.7)
    assert by["systemic"] == pytest.approx(0.8)
    assert by["psychological"] == pytest.approx(0.44 / 0.7)
    row = pw.stakeholder_power(hand_deal()).loc["b1"]
    assert by.to_dict() == pytest.approx(row[["positional", "systemic", "psychological"]]
                                         .astype(float).to_dict())
    with pytest.raises(ValueError, match="'stakeholder' parameter"):
        pw.stakeholder_provenance(hand_deal(), "zz")


# ---------------------------------------------------------------------------------- overview
def test_formal_authority_and_glance_by_hand():
    # b1: sign-off and the largest budget → 0.5·1 + 0.5·100/100 = 1; everyone else 0
    d = hand_deal()
    assert pw.formal_authority(d).to_dict() == {"a1": 0.0, "b1": 1.0, "b2": 0.0, "b3": 0.0}
    g = pw.at_a_glance(d)
    assert (g.parties, g.stakeholders, g.supporters, g.opponents, g.sign_off) == (
        2, 4, 0, 0, ["Bo"])
    people = d.stakeholders.copy()
    people["stance"] = [0.5, 0.2, -0.3, -0.2]  # only > 0.2 supports, only < −0.2 opposes
    g = pw.at_a_glance(d.replace(stakeholders=people))
    assert (g.supporters, g.opponents) == (1, 1)
    assert g.people.loc["b1", "formal_authority"] == 1.0


def test_overview_section_by_hand():
    from powerkit.sections.overview import section

    sec = section(hand_deal())
    assert sec.key == "overview" and sec.headline == {
        "parties": 2, "stakeholders": 4, "supporters": 0, "opponents": 0, "sign_off": ["Bo"]}
    assert sec.summary.startswith("4 people across 2 parties")


# ---------------------------------------------------------------------------------- notebook helpers
def test_notebook_helpers_read_the_profile():
    from powerkit.sections import power as ps

    prof = pw.power_profile(hand_deal())
    assert (prof.us_name, prof.counterpart_name) == ("Acme", "BuyCo")
    assert "Read from the side of **Acme** against **BuyCo**" in ps.reading_note(hand_deal(), prof)
    t = ps.time_pressure_table(prof)
    assert list(t.index) == ["acme", "buyco"] and t["rate"].tolist() == [0.1, 0.3]
    assert ps.zopa_view(prof).layout.title.text.startswith("ZOPA and the predicted price")
    assert ps.ledger_view(prof)["concession"].iloc[2] == 0.125
    name, provenance = ps.key_person(hand_deal(), pw.key_stakeholders(hand_deal()))
    assert name == "**Bo**" and provenance["contribution"].notna().all()
    # without roles, offers or people on the other side: notes (Markdown strings), no errors
    d = hand_deal(offers=False)
    parties = d.parties.copy()
    parties["role"] = "other"
    bare = pw.power_profile(d.replace(parties=parties))
    assert isinstance(ps.zopa_view(bare), ps.Note) and isinstance(ps.ledger_view(bare), ps.Note)
    assert ps.dance_view(bare) is None
    assert ps.key_person(d, pw.key_stakeholders(d).iloc[:0])[1] is None
    assert ps.Note("**x**")._repr_markdown_() == "**x**"


def test_what_if_deadline_in_fractional_months_lands_on_a_second():
    """A deadline given in months off the slider's grid (1.2345678 months) is a date: the clock
    date plus months × 365.25/12 days (the month length of docs/methods/power.md), to within a
    second — pandas 3 keeps the deal's dates as datetime64[us], which refuses nanoseconds."""
    from powerkit.paths import sample_deal
    from powerkit.power import what_if

    deal = powerkit.load_deal(sample_deal("northwind-vendor"))
    months = 1.2345678
    r = what_if(deal, their_deadline=months)
    got = pd.Timestamp(r.deal.parties.at[r.deal.counterpart, "deadline"])
    expected = pd.Timestamp(deal.meta.as_of) + pd.Timedelta(days=months * 365.25 / 12)
    assert abs((got - expected).total_seconds()) < 1.0
