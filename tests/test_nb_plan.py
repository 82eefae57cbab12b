"""Walkthrough 0 (notebooks/00_game_plan.ipynb) under papermill on every sample deal, and its
widgets: the recorded plan checked against the deal files read with the csv module, and the
controls changing the plan."""
from __future__ import annotations

import csv

import pytest
from conftest import SAMPLE_DEALS, committed_deal

import powerkit as pk
from powerkit.widgets.plan import build_plan_widgets

pytestmark = pytest.mark.slow
NB = "00_game_plan.ipynb"


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("path", SAMPLE_DEALS, ids=[p.name for p in SAMPLE_DEALS])
def test_game_plan_notebook(run_notebook, path):
    # the notebook's own deal with its committed budget (3): that run is also the notebook as
    # committed, which nbval would otherwise run a second time (tests/conftest.py)
    budget = {} if path == committed_deal(NB) else {"budget": 2}
    rec = run_notebook(NB, deal_path=str(path), **budget)
    parties = {r["party"]: r for r in _rows(path / "parties.csv")}
    people = _rows(path / "stakeholders.csv")
    side = {r["name"]: parties[r["party"]]["side"] for r in people}
    assert rec["deal_id"] == path.name
    assert rec["n_steps"] == len(rec["plan"]["steps"]) >= 1
    assert all(side[s["who"]] not in ("us", "rival") for s in rec["plan"]["steps"])
    assert sorted(rec["roles"]["our_team"]) == sorted(n for n, s in side.items() if s == "us")
    assert rec["roles"]["rivals"] == [p["name"] for p in parties.values() if p["side"] == "rival"]
    low, high = rec["zone"]
    # the zone from the CSV: seller's floor .. buyer's ceiling, the counterpart's bounded by a
    # rival in our role (a rival seller caps the buyer's ceiling, a rival buyer raises the floor)
    us = next(p for p in parties.values() if p["side"] == "us")
    them = next(p for p in parties.values() if p["side"] == "counterpart")
    seller, buyer = (us, them) if us["role"] == "seller" else (them, us)
    floor, ceiling = float(seller["reservation_price"]), float(buyer["reservation_price"])
    for r in parties.values():
        if r["side"] == "rival" and r["role"] == us["role"]:
            if seller is them:
                floor = max(floor, float(r["reservation_price"]))
            else:
                ceiling = min(ceiling, float(r["reservation_price"]))
    assert [low, high] == [floor, ceiling]
    for key in ("target_price", "opening_price", "walk_away_price"):
        assert low <= rec["plan"][key] <= high


def test_widgets_change_the_plan():
    deal = pk.load_deal(SAMPLE_DEALS[0].parent / "northwind-vendor")
    box = build_plan_widgets(deal)
    first = box.last[0]
    price = box.controls[("target", "price")]
    assert "EUR 1.35m" not in price.options  # above Brightwater's EUR 1.3m ceiling
    price.value = "EUR 1.25m"
    assert box.last[0].package.target_price == 1250000 != first.package.target_price
    box.controls["budget"].value = 1
    assert box.last[0].inputs["budget"] == 1
    assert [s for s in box.last[0].steps["purpose"] if "move opinion" in s] == ["move opinion"]
