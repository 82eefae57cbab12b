"""Tests of powerkit.bargaining against published formulas, hand derivations and independent
methods (finite-horizon backward induction, numerical optimisation, brute force)."""
from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar

from powerkit import NoAgreement
from powerkit.bargaining import (
    bargaining_weight,
    brw_weights,
    deal_zopa,
    discount_factor,
    expected_split,
    nash_bargaining,
    nash_bargaining_discrete,
    rate_from_deadline,
    rubinstein_split,
    time_pressure,
    zopa,
)
from powerkit.deal import Deal, DealMeta
from powerkit.errors import PowerkitError

FAST = settings(max_examples=60, deadline=None)
unit_open = st.floats(0.0, 0.999, allow_nan=False)


def finite_horizon_first_share(d1: float, d2: float, rounds: int) -> float:
    """Independent method: backward induction in Ståhl's (1972) finite alternating-offers game.

    The proposer of the last round takes everything; in round t the responder j is offered
    exactly what waiting is worth to it, δ_j times its share as proposer in round t+1, so the
    proposer's share is v_t = 1 − δ_j · v_{t+1}. Player 1 proposes in odd rounds.
    """
    v = 1.0
    for t in range(rounds - 1, 0, -1):  # t = rounds-1 … 1
        responder_delta = d2 if t % 2 == 1 else d1
        v = 1.0 - responder_delta * v
    return v


# ------------------------------------------------------------------------------ Rubinstein
class TestRubinstein:
    def test_published_formula(self):
        # Rubinstein (1982): x* = (1 − δ2)/(1 − δ1 δ2). δ1 = 0.9, δ2 = 0.8 → 0.2/0.28 = 5/7.
        first, second = rubinstein_split(0.9, 0.8)
        assert first == pytest.approx(5 / 7, abs=1e-12)
        assert second == pytest.approx(2 / 7, abs=1e-12)

    def test_symmetric_first_mover_advantage(self):
        # equal factors δ: first share (1−δ)/(1−δ²) = 1/(1+δ) by hand; δ = 0.5 → 2/3
        assert rubinstein_split(0.5, 0.5)[0] == pytest.approx(2 / 3, abs=1e-12)

    def test_pie_scales(self):
        # homogeneity: shares of a pie of 300 are 300 × (5/7, 2/7) (hand)
        first, second = rubinstein_split(0.9, 0.8, pie=300)
        assert first == pytest.approx(300 * 5 / 7) and second == pytest.approx(300 * 2 / 7)

    def test_factor_zero_responder(self):
        # δ2 = 0: the responder values the future at nothing and accepts any offer (hand)
        assert rubinstein_split(0.7, 0.0) == pytest.approx((1.0, 0.0))

    def test_factor_zero_proposer(self):
        # δ1 = 0: x* = 1 − δ2 (formula with δ1 δ2 = 0); δ2 = 0.6 → (0.4, 0.6)
        assert rubinstein_split(0.0, 0.6) == pytest.approx((0.4, 0.6))

    def test_both_zero(self):
        # ultimatum game: the proposer takes everything
        assert rubinstein_split(0.0, 0.0) == pytest.approx((1.0, 0.0))

    def test_one_infinitely_patient(self):
        # δ1 = 1, δ2 < 1: (1 − δ2)/(1 − δ2) = 1 — the patient proposer takes the pie
        assert rubinstein_split(1.0, 0.5) == pytest.approx((1.0, 0.0))

    def test_both_one_rejected(self):
        with pytest.raises(ValueError, match="cannot both be 1"):
            rubinstein_split(1.0, 1.0)

    @pytest.mark.parametrize("bad", [-0.1, 1.01, float("nan"), float("inf"), "0.5", None, True])
    def test_bad_factor(self, bad):
        with pytest.raises(ValueError, match="The 'delta_1' parameter of rubinstein_split"):
            rubinstein_split(bad, 0.5)

    def test_negative_pie(self):
        with pytest.raises(ValueError, match="'pie' parameter"):
            rubinstein_split(0.5, 0.5, pie=-1)

    @pytest.mark.parametrize("d1,d2", [(0.9, 0.8), (0.5, 0.95), (0.99, 0.9), (0.3, 0.0)])
    def test_matches_finite_horizon_limit(self, d1, d2):
        # independent method: Ståhl's T-round game converges to Rubinstein's split as T → ∞
        assert finite_horizon_first_share(d1, d2, 2001) == pytest.approx(
            rubinstein_split(d1, d2)[0], abs=1e-9)

    @FAST
    @given(unit_open, unit_open, st.floats(0, 1e6))
    def test_properties(self, d1, d2, pie):
        first, second = rubinstein_split(d1, d2, pie)
        assert first + second == pytest.approx(pie, abs=1e-9 * max(1, pie))
        assert -1e-9 <= first <= pie * (1 + 1e-12) + 1e-9
        # the proposer always gets at least 1 − δ2 of the pie (it could offer δ2 · 1 at most)
        assert first >= (1 - d2) * pie - 1e-9 * max(1, pie)

    @FAST
    @given(unit_open, unit_open, unit_open)
    def test_more_patience_more_share(self, d1, d1b, d2):
        # comparative statics from the formula: ∂x*/∂δ1 = δ2(1−δ2)/(1−δ1δ2)² ≥ 0
        lo, hi = sorted((d1, d1b))
        assert rubinstein_split(hi, d2)[0] >= rubinstein_split(lo, d2)[0] - 1e-12


# ------------------------------------------------------------------------------ BRW
class TestBRW:
    def test_weights_by_hand(self):
        # r1 = 0.1, r2 = 0.3 → w1 = 0.3/0.4 = 0.75
        assert brw_weights(0.1, 0.3) == pytest.approx((0.75, 0.25))

    def test_limit_of_rubinstein(self):
        # Binmore, Rubinstein & Wolinsky (1986): with δi = exp(−ri Δ), x*(Δ) → r2/(r1+r2) as Δ → 0
        r1, r2 = 0.1, 0.3
        prev = None
        for dt in (1.0, 0.1, 0.01, 0.001, 1e-5):
            x = rubinstein_split(discount_factor(r1, dt), discount_factor(r2, dt))[0]
            err = abs(x - 0.75)
            if prev is not None:
                assert err < prev  # approaches the limit monotonically here
            prev = err
        assert prev < 1e-5

    def test_first_mover_advantage_vanishes(self):
        # same limit whoever proposes: swapping roles gives 1 − x for the other player
        dt = 1e-6
        x1 = rubinstein_split(discount_factor(0.2, dt), discount_factor(0.2, dt))[0]
        assert x1 == pytest.approx(0.5, abs=1e-6)

    def test_zero_rate(self):
        # a party that does not discount at all gets everything in the limit (hand: 0.2/0.2)
        assert brw_weights(0.0, 0.2) == (1.0, 0.0)

    def test_both_zero_rejected(self):
        with pytest.raises(ValueError, match="cannot both be 0"):
            brw_weights(0.0, 0.0)

    def test_discount_factor(self):
        # exp(−0.5 · 2) = e^−1
        assert discount_factor(0.5, 2.0) == pytest.approx(math.exp(-1))
        with pytest.raises(ValueError, match="'rate' parameter of discount_factor"):
            discount_factor(-0.1)

    def test_rate_from_deadline(self):
        # documented mapping r = 1/T per month; floor at 0.25 months (→ 4 per month)
        assert rate_from_deadline(2.0) == pytest.approx(0.5)
        assert rate_from_deadline(0.0) == pytest.approx(4.0)
        assert rate_from_deadline(-3.0) == pytest.approx(4.0)


# ------------------------------------------------------------------------------ Nash
def numeric_nash(a, b, c, d, alpha):
    """Independent method: maximise the log Nash product along the frontier numerically."""
    d1, d2 = d
    lo, hi = d1, (c - b * d2) / a  # u1 range with u2 ≥ d2

    def neg(u1):
        u2 = (c - a * u1) / b
        g1, g2 = u1 - d1, u2 - d2
        if g1 <= 0 or g2 <= 0:
            return 1e300
        return -(alpha * math.log(g1) + (1 - alpha) * math.log(g2))

    r = minimize_scalar(neg, bounds=(lo, hi), method="bounded",
                        options={"xatol": 1e-12 * max(1.0, abs(hi - lo))})
    return r.x, (c - a * r.x) / b


class TestNash:
    def test_split_the_difference(self):
        # Nash (1950) symmetric solution on u1 + u2 = 10 from (2, 4): surplus 4 → (4, 6)
        assert nash_bargaining(1, 1, 10, (2, 4)) == pytest.approx((4.0, 6.0))

    def test_asymmetric_by_hand(self):
        # Kalai (1977) asymmetric form: a(u1−d1) = α s, b(u2−d2) = (1−α) s.
        # a=2, b=1, c=20, d=(1, 2): s = 20 − 2 − 2 = 16; α = 0.25 → u1 = 1 + 4/2 = 3, u2 = 2 + 12 = 14
        assert nash_bargaining(2, 1, 20, (1, 2), alpha=0.25) == pytest.approx((3.0, 14.0))

    @pytest.mark.parametrize("a,b,c,d,alpha", [
        (1, 1, 1, (0, 0), 0.5), (2, 3, 12, (1, 1), 0.3), (0.5, 4, 7, (-2, 0.5), 0.8),
        (1, 1, 100, (40, 10), 0.6)])
    def test_against_numerical_maximum(self, a, b, c, d, alpha):
        u = nash_bargaining(a, b, c, d, alpha)
        assert u == pytest.approx(numeric_nash(a, b, c, d, alpha), abs=1e-6)

    def test_infeasible_disagreement_raises(self):
        # a·d1 + b·d2 = 12 > c = 10: the disagreement point is beyond the frontier
        with pytest.raises(NoAgreement, match="beyond the frontier"):
            nash_bargaining(1, 1, 10, (6, 6))

    def test_disagreement_on_frontier(self):
        # the only individually rational point is d itself
        assert nash_bargaining(1, 1, 10, (3, 7)) == pytest.approx((3.0, 7.0))

    def test_corner_weights(self):
        # α = 1: player 1 takes the whole surplus; α = 0: player 2 does (hand)
        assert nash_bargaining(1, 1, 10, (0, 0), alpha=1.0) == pytest.approx((10.0, 0.0))
        assert nash_bargaining(1, 1, 10, (0, 0), alpha=0.0) == pytest.approx((0.0, 10.0))

    @pytest.mark.parametrize("kw,msg", [
        ({"a": 0}, "'a' parameter of nash_bargaining"),
        ({"b": -1}, "'b' parameter of nash_bargaining"),
        ({"alpha": 1.5}, "'alpha' parameter of nash_bargaining"),
        ({"disagreement": (1,)}, "'disagreement' parameter of nash_bargaining"),
        ({"disagreement": "ab"}, "'disagreement' parameter of nash_bargaining"),
    ])
    def test_bad_arguments(self, kw, msg):
        args = {"a": 1, "b": 1, "c": 10, "disagreement": (0, 0), "alpha": 0.5} | kw
        with pytest.raises(ValueError, match=msg):
            nash_bargaining(**args)

    @FAST
    @given(st.floats(0.1, 10), st.floats(0.1, 10), st.floats(-50, 50), st.floats(-50, 50),
           st.floats(0, 100), st.floats(0, 1))
    def test_properties(self, a, b, d1, d2, s, alpha):
        # on the frontier, individually rational, and the surplus shared α : 1−α (Kalai 1977)
        c = a * d1 + b * d2 + s
        u1, u2 = nash_bargaining(a, b, c, (d1, d2), alpha)
        assert a * u1 + b * u2 == pytest.approx(c, abs=1e-7 * max(1, abs(c)))
        assert u1 >= d1 - 1e-9 and u2 >= d2 - 1e-9
        assert a * (u1 - d1) == pytest.approx(alpha * s, abs=1e-7 * max(1, s))

    @FAST
    @given(st.floats(0.1, 10), st.floats(-20, 20), st.floats(-20, 20), st.floats(0.01, 50))
    def test_beyond_frontier_never_returns(self, a, d1, d2, excess):
        c = a * d1 + d2 - excess
        with pytest.raises(NoAgreement):
            nash_bargaining(a, 1.0, c, (d1, d2))


class TestNashDiscrete:
    def test_hand_case(self):
        # products with d = (0, 0), α = 0.5: √9 = 3, √25 = 5, √8 ≈ 2.83 → the middle point
        r = nash_bargaining_discrete([(1, 9), (5, 5), (8, 1)], (0, 0))
        assert (r.index, r.u1, r.u2) == (1, 5.0, 5.0)
        assert r.product == pytest.approx(5.0)

    def test_weight_moves_choice(self):
        # α = 0.9: 1^.9·9^.1 = 1.246, 5^.9·5^.1 = 5, 8^.9·1^.1 = 6.498 → index 2 (hand)
        assert nash_bargaining_discrete([(1, 9), (5, 5), (8, 1)], (0, 0), alpha=0.9).index == 2

    def test_disagreement_filters(self):
        # with d = (2, 2) point (1, 9) is not individually rational; (5,5): 3·3=9 → √9 = 3,
        # (8,1) fails u2 ≥ 2 → index 1
        assert nash_bargaining_discrete([(1, 9), (5, 5), (8, 1)], (2, 2)).index == 1

    def test_no_agreement(self):
        with pytest.raises(NoAgreement, match="none of the 2 outcomes"):
            nash_bargaining_discrete([(1, 1), (0, 3)], (2, 2))

    def test_dataframe_and_ties(self):
        # exact tie in the product (2·8 = 8·2 = 16): both have u1+u2 = 10 → lowest index wins
        df = pd.DataFrame({"us": [2.0, 8.0, 1.0], "them": [8.0, 2.0, 1.0]}, index=["x", "y", "z"])
        assert nash_bargaining_discrete(df, (0, 0)).index == 0

    def test_bad_points(self):
        with pytest.raises(ValueError, match="'points' parameter"):
            nash_bargaining_discrete([(1, 2, 3)], (0, 0))
        with pytest.raises(ValueError, match="'points' parameter"):
            nash_bargaining_discrete([], (0, 0))

    def test_dense_frontier_approaches_continuous(self):
        # points on u1 + u2 = 1, step 1e-4: the discrete choice is within a step of (α, 1−α)
        u = np.linspace(0, 1, 10001)
        r = nash_bargaining_discrete(np.column_stack([u, 1 - u]), (0, 0), alpha=0.3)
        assert r.u1 == pytest.approx(0.3, abs=1e-4)

    @FAST
    @given(st.lists(st.tuples(st.floats(-10, 10), st.floats(-10, 10)), min_size=1, max_size=25),
           st.floats(-5, 5), st.floats(-5, 5), st.floats(0, 1))
    def test_equals_brute_force(self, pts, d1, d2, alpha):
        # independent brute force: explicit loop over every outcome
        best, best_val = None, -1.0
        for i, (u1, u2) in enumerate(pts):
            if u1 >= d1 and u2 >= d2:
                val = (u1 - d1) ** alpha * (u2 - d2) ** (1 - alpha)
                if val > best_val:
                    best, best_val = i, val
        if best is None:
            with pytest.raises(NoAgreement):
                nash_bargaining_discrete(pts, (d1, d2), alpha)
            return
        r = nash_bargaining_discrete(pts, (d1, d2), alpha)
        assert r.product == pytest.approx(best_val, rel=1e-9, abs=1e-12)


# ------------------------------------------------------------------------------ ZOPA
class TestZopa:
    def test_width(self):
        z = zopa(800_000, 1_200_000)
        assert z.exists and z.width == 400_000 and (z.low, z.high) == (800_000, 1_200_000)

    def test_no_zopa_is_explicit(self):
        z = zopa(1_000, 900)
        assert not z.exists and z.gap == 100 and z.low is None and z.high is None
        assert z.describe("EUR").startswith("no ZOPA")

    def test_touching(self):
        # one price only: agreement is possible at exactly that price
        z = zopa(1000, 1000)
        assert z.exists and z.width == 0

    def test_bad(self):
        with pytest.raises(ValueError, match="'buyer_reservation' parameter of zopa"):
            zopa(1, float("nan"))


# ------------------------------------------------------------------------------ deal level
def tiny_deal(overrides: dict | None = None) -> Deal:
    """A two-party deal built by hand: we sell, they buy."""
    parties = pd.DataFrame({
        "party": ["acme", "buyco"], "name": ["Acme", "BuyCo"], "side": ["us", "counterpart"],
        "role": ["seller", "buyer"], "reservation_price": [800_000.0, 1_200_000.0],
        "batna_value": [750_000.0, 1_250_000.0], "alternatives": [2, 1],
        "deadline": [pd.NaT, pd.Timestamp("2025-03-02")], "discount_rate": [0.1, np.nan],
        "resources": [0.6, 0.8], "legal_position": [0.5, 0.5], "status": [0.5, 0.7],
        "external": [0.5, 0.5], "coalition_strength": [0.4, 0.6],
    }).set_index("party")
    for (party, col), v in (overrides or {}).items():
        parties.loc[party, col] = v
    stakeholders = pd.DataFrame({"stakeholder": ["a1", "b1"], "name": ["A", "B"],
                                 "party": ["acme", "buyco"]}).set_index("stakeholder")
    meta = DealMeta(id="tiny", title="Tiny", decision="buy", us="acme", counterpart="buyco",
                    as_of=date(2025, 1, 1))
    return Deal(meta=meta, parties=parties, stakeholders=stakeholders)


class TestDealLevel:
    def test_time_pressure_sources(self):
        tp = time_pressure(tiny_deal())
        assert tp.at["acme", "rate_source"] == "discount_rate" and tp.at["acme", "rate"] == 0.1
        # 2025-01-01 → 2025-03-02 is 60 days = 60/30.4375 months → rate = 30.4375/60
        assert tp.at["buyco", "rate_source"] == "deadline"
        assert tp.at["buyco", "rate"] == pytest.approx(30.4375 / 60)

    def test_assumed_rate(self):
        d = tiny_deal({("acme", "discount_rate"): np.nan})
        tp = time_pressure(d)
        assert tp.at["acme", "rate_source"] == "assumed" and tp.at["acme", "rate"] == 1 / 24

    def test_weight_and_split(self):
        # w_us = r_them/(r_us + r_them) with r_us = 0.1, r_them = 30.4375/60 (hand)
        r_them = 30.4375 / 60
        w = r_them / (0.1 + r_them)
        assert bargaining_weight(tiny_deal()) == pytest.approx(w)
        s = expected_split(tiny_deal())
        # we sell: price = 800k + w · 400k
        assert s.price == pytest.approx(800_000 + w * 400_000)
        assert s.surplus_us == pytest.approx(w * 400_000)
        assert s.share_us == pytest.approx(w)
        assert set(s.inputs["input"]) >= {"walk-away price", "rate (per month)"}

    def test_deadline_approaching_raises_their_pressure(self):
        # one month later their deadline is nearer → their rate up → our weight up
        assert bargaining_weight(tiny_deal(), at="2025-02-01") > bargaining_weight(tiny_deal())

    def test_no_zopa_split(self):
        d = tiny_deal({("buyco", "reservation_price"): 700_000.0})
        s = expected_split(d)
        assert not s.zopa.exists and s.price is None and s.share_us is None
        assert "no ZOPA" in s.note

    def test_missing_reservation_price(self):
        # batna_value is the alternative's value, not a price: it never stands in
        d = tiny_deal({("acme", "reservation_price"): np.nan})
        with pytest.raises(PowerkitError, match="fill 'reservation_price' for 'acme'"):
            deal_zopa(d)

    def test_rates_add(self):
        # discount_rate 0.1 plus a deadline 60 days away: 0.1 + 30.4375/60 (documented rule)
        d = tiny_deal({("acme", "deadline"): pd.Timestamp("2025-03-02")})
        tp = time_pressure(d)
        assert tp.at["acme", "rate_source"] == "discount_rate + deadline"
        assert tp.at["acme", "rate"] == pytest.approx(0.1 + 30.4375 / 60)
        # equal rates → equal weights
        d = tiny_deal({("acme", "discount_rate"): np.nan,
                       ("acme", "deadline"): pd.Timestamp("2025-03-02")})
        assert bargaining_weight(d) == pytest.approx(0.5)

    def test_no_roles(self):
        d = tiny_deal({("acme", "role"): "other", ("buyco", "role"): "other"})
        with pytest.raises(PowerkitError, match="set 'role'"):
            deal_zopa(d)


def test_argument_errors_use_the_one_check():
    # powerkit.errors.bad_argument / finite_pair: InputError (a ValueError), the same wording
    from powerkit.errors import InputError

    with pytest.raises(InputError) as e:
        nash_bargaining(1, 1, 10, (1,))
    assert str(e.value) == ("The 'disagreement' parameter of nash_bargaining must be a pair of "
                            "finite numbers (d1, d2). Got (1,) instead.")
    with pytest.raises(InputError) as e:
        rubinstein_split(1.5, 0.5)
    assert str(e.value) == ("The 'delta_1' parameter of rubinstein_split must be a real number "
                            "in [0.0, 1.0]. Got 1.5 instead.")
    with pytest.raises(InputError, match="cannot both be 0"):
        brw_weights(0, 0)
