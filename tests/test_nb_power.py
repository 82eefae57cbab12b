"""papermill runs of notebooks/01_reading_power_dynamics.ipynb on every sample deal and with
overridden parameters (weights, our party, the date).

Expected values are derived independently of powerkit from the deal's CSV files read with
pandas and the documented rules (docs/methods/power.md): the ZOPA from the reservation prices,
each side's rate = discount_rate + 1/months-to-deadline, the BRW weight, and Rubinstein's split
with δ = exp(−rΔ) for a tiny Δ (the BRW limit); plus invariants (contributions add up to the
balance, the timeline starts at the profile's balance and marks every event).
"""
from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml
from conftest import DEALS, SAMPLE_DEALS

from powerkit.bargaining import rubinstein_split

NB = "01_reading_power_dynamics.ipynb"
DAYS_PER_MONTH = 365.25 / 12


def _csv(path, at=None, us=None):
    """Parties, as-of date and us/counterpart straight from the deal files."""
    meta = yaml.safe_load((path / "deal.yaml").read_text(encoding="utf-8"))
    parties = pd.read_csv(path / "parties.csv").set_index("party")
    parties["deadline"] = pd.to_datetime(parties["deadline"])
    clock = pd.Timestamp(at or meta["as_of"])
    ev_path = path / "events.csv"
    if ev_path.exists():  # apply events dated up to the clock, in order
        ev = pd.read_csv(ev_path, parse_dates=["date"]).sort_values("date", kind="stable")
        for e in ev[ev["date"] <= clock].itertuples():
            if e.target in parties.index:
                v = pd.Timestamp(e.value) if e.field == "deadline" else float(e.value)
                parties.loc[e.target, e.field] = v
    return meta, parties, clock


def _rate(row, clock):
    r = 0.0 if pd.isna(row["discount_rate"]) else float(row["discount_rate"])
    if not pd.isna(row["deadline"]):
        months = (row["deadline"] - clock).days / DAYS_PER_MONTH
        r += 1.0 / max(months, 0.25)
    elif pd.isna(row["discount_rate"]):
        r = 1.0 / 24
    return r


def _check_invariants(rec):
    drivers = pd.DataFrame(**{k: rec["drivers"][k] for k in ("columns", "data")})
    assert drivers["contribution"].sum() == pytest.approx(rec["balance"], abs=1e-9)
    assert sum(rec["by_source"].values()) == pytest.approx(rec["balance"], abs=1e-9)
    sc = pd.DataFrame(**{k: rec["scores"][k] for k in ("columns", "data", "index")})
    assert sc.loc[rec["us"], "overall"] - sc.loc[rec["counterpart"], "overall"] == pytest.approx(
        rec["balance"], abs=1e-6)
    assert rec["report_headline"]["balance"] == round(rec["balance"], 3)
    b = rec["balance"]
    if b >= 0.05:
        assert "more power: use it indirectly" in rec["posture"]
    elif b <= -0.05:
        assert "less power: create value and build relationships" in rec["posture"]
    else:
        assert "balanced: shift power through value creation" in rec["posture"]


def _check_split(rec, path, at=None):
    meta, parties, clock = _csv(path, at)
    us, them = rec["us"], rec["counterpart"]
    r_us, r_them = _rate(parties.loc[us], clock), _rate(parties.loc[them], clock)
    w_us = r_them / (r_us + r_them)  # BRW weight, by the documented rule
    # independent: Rubinstein's split with δ = exp(−rΔ), Δ → 0 (BRW 1986 limit)
    dt = 1e-6
    x = rubinstein_split(math.exp(-r_us * dt), math.exp(-r_them * dt))[0]
    assert x == pytest.approx(w_us, abs=1e-5)
    split = rec["split"]
    assert split["weight_us"] == pytest.approx(w_us, abs=1e-9)
    roles = parties["role"]
    seller = us if roles[us] == "seller" else them
    buyer = them if seller == us else us
    # effective walk-aways (docs/methods/power.md): the reservation price moved one for one by
    # the change of the side's BATNA value since the deal file, and the counterpart's bounded
    # by a rival in our role
    entered = pd.read_csv(path / "parties.csv").set_index("party")
    lo = parties.at[seller, "reservation_price"] + (
        parties.at[seller, "batna_value"] - entered.at[seller, "batna_value"])
    hi = parties.at[buyer, "reservation_price"] - (
        parties.at[buyer, "batna_value"] - entered.at[buyer, "batna_value"])
    for r in parties.index[(parties["side"] == "rival") & (parties["role"] == roles[us])]:
        price = parties.at[r, "reservation_price"]
        if them == buyer:
            hi = min(hi, price)
        else:
            lo = max(lo, price)
    assert (split["zopa_low"], split["zopa_high"]) == (lo, hi)
    w_seller = w_us if seller == us else 1 - w_us
    assert split["price"] == pytest.approx(lo + w_seller * (hi - lo))
    assert rec["report_headline"]["predicted_price"] == round(split["price"], 0)


@pytest.mark.slow
@pytest.mark.parametrize("path", SAMPLE_DEALS, ids=[p.name for p in SAMPLE_DEALS])
def test_notebook_on_sample_deal(run_notebook, path):
    rec = run_notebook(NB, deal_path=str(path))
    meta = yaml.safe_load((path / "deal.yaml").read_text(encoding="utf-8"))
    assert rec["us"] == meta["us"] and rec["at"] == str(meta["as_of"])
    _check_invariants(rec)
    _check_split(rec, path)
    # the timeline starts at the profile and passes through every event date on or after as_of
    tl = pd.DataFrame(**{k: rec["timeline"][k] for k in ("columns", "data")})
    tl["date"] = pd.to_datetime(tl["date"])
    assert tl["balance"].iloc[0] == pytest.approx(rec["balance"])
    ev = pd.read_csv(path / "events.csv", parse_dates=["date"])
    assert set(ev.loc[ev["date"] >= pd.Timestamp(meta["as_of"]), "date"]) <= set(tl["date"])
    assert rec["n_events"] == len(ev)


@pytest.mark.slow
def test_notebook_with_overrides(run_notebook):
    # the council's view, on 15 December 2026, with only systemic power counting
    path = DEALS / "harbour-council"
    rec = run_notebook(NB, deal_path=str(path), us="council", at="2026-12-15",
                       weights={"positional": 0, "psychological": 0, "systemic": 1}, spread=0.1)
    assert (rec["us"], rec["counterpart"], rec["at"]) == ("council", "tidewater", "2026-12-15")
    _check_invariants(rec)
    assert rec["by_source"]["positional"] == 0 and rec["by_source"]["psychological"] == 0
    assert rec["weights"]["systemic"] == 1.0
    # the event of 2026-11-20 moved the council's deadline to 2027-02-15: 62 days away
    tp = pd.DataFrame(**{k: rec["time_pressure"][k] for k in ("columns", "data", "index")})
    assert tp.loc["council", "rate"] == pytest.approx(DAYS_PER_MONTH / 62)
    _check_split(rec, path, at="2026-12-15")
