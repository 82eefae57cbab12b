"""Alternatives and rivals in the price (issue 14, part 1): each side's effective walk-away is
the better of its reservation price and its best alternative (powerkit.deal.money.walk_aways),
and the predicted price (powerkit.bargaining.expected_split) follows it. Properties on random
deals, the no-alternative case against the reservation-price model by hand, and the
harbour-council story."""
from __future__ import annotations

import pytest
from conftest import DEALS
from hypothesis import given, settings
from hypothesis import strategies as st

import powerkit as pk
from powerkit import power
from powerkit.bargaining import expected_split
from powerkit.deal.money import walk_aways
from powerkit.deal.synthetic import make_deal

DEAL = make_deal(12, seed=3, roles=True)  # us seller, them buyer, a rival seller


def _price(deal, changes):
    p = deal.parties.copy()
    for (party, col), v in changes.items():
        p.loc[party, col] = v
    return expected_split(deal, parties=p).price


def _ours(deal, price):
    """Our gain from a price: higher is better for a seller, lower for a buyer."""
    return price if deal.parties.at[deal.us, "role"] == "seller" else -price


def test_no_alternatives_is_the_reservation_price_model():
    """small-renewal has no rival and no BATNA change at its as-of date: the zone is the two
    reservation prices (CSV: Brisk 170,000 seller, Larchmont 205,000 buyer) and the price is
    floor + w_seller × width."""
    deal = pk.load_deal(DEALS / "small-renewal")
    s = expected_split(deal)
    assert (s.zopa.seller_reservation, s.zopa.buyer_reservation) == (170000.0, 205000.0)
    assert s.price == pytest.approx(170000 + s.weight_us * 35000)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 600000.0), st.floats(0.0, 600000.0))
def test_a_worse_batna_for_us_never_improves_our_price(a, b):
    hi, lo = max(a, b), min(a, b)
    better = _price(DEAL, {(DEAL.us, "batna_value"): hi})
    worse = _price(DEAL, {(DEAL.us, "batna_value"): lo})
    if better is not None and worse is not None:
        assert _ours(DEAL, worse) <= _ours(DEAL, better) + 1e-6


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 2e6), st.floats(0.0, 2e6))
def test_a_better_alternative_for_them_never_improves_our_price(a, b):
    """Their BATNA value rising, or the rival (a seller, like us) asking less: both give the
    buyer a better alternative."""
    them = DEAL.counterpart
    up, down = max(a, b), min(a, b)
    p_low = _price(DEAL, {(them, "batna_value"): down})
    p_high = _price(DEAL, {(them, "batna_value"): up})
    if p_low is not None and p_high is not None:
        assert _ours(DEAL, p_high) <= _ours(DEAL, p_low) + 1e-6
    r_cheap = _price(DEAL, {("rival", "reservation_price"): down})
    r_dear = _price(DEAL, {("rival", "reservation_price"): up})
    if r_cheap is not None and r_dear is not None:
        assert _ours(DEAL, r_cheap) <= _ours(DEAL, r_dear) + 1e-6


def test_a_rival_price_outside_the_zone_changes_nothing():
    """A rival seller asking more than the buyer's ceiling is no alternative for the buyer."""
    ceiling = float(DEAL.parties.at[DEAL.counterpart, "reservation_price"])
    no_rival = DEAL.replace(parties=DEAL.parties.assign(side=DEAL.parties["side"].replace(
        "rival", "third")))
    base = expected_split(no_rival).price
    assert _price(DEAL, {("rival", "reservation_price"): ceiling + 1}) == pytest.approx(base)
    assert _price(DEAL, {("rival", "reservation_price"): ceiling - 1000}) < base


def test_harbour_price_does_not_get_better_when_alternatives_move_against_us():
    """harbour-council (we buy the concession): on 2026-12-05 our alternative (Ravensholm, BATNA
    EUR 8m → 0) falls through, on 2026-12-15 the rival Meridian raises its ceiling (EUR 40m →
    44m). The council's floor is the rival's price (40m > its own 35m); losing our BATNA raises
    our ceiling by 8m (42m → 50m); the rival's 44m then sets the council's floor. Each step
    raises the predicted price we pay, and the walk-away table says why."""
    deal = pk.load_deal(DEALS / "harbour-council")
    prices = [power.power_profile(deal, at=d).split.price
              for d in ("2026-11-01", "2026-12-04", "2026-12-05", "2026-12-15")]
    assert prices[2] >= prices[1] and prices[3] >= prices[2] and prices[3] > prices[0]
    w = walk_aways(deal)
    assert w.at["seller", "walk_away"] == 40e6 and "Meridian" in w.at["seller", "source"]
    later = power.apply_events(deal, "2026-12-15")
    w2 = walk_aways(later)
    assert w2.at["seller", "walk_away"] == 44e6
    assert w2.at["buyer", "walk_away"] == 50e6 and "BATNA" in w2.at["buyer", "source"]
