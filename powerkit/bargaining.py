"""Positional power made quantitative: ZOPA, Rubinstein, Nash, deadlines → bargaining weights.

The pure functions take plain numbers; the ``deal``-level functions read the ``parties`` table
of a validated :class:`powerkit.Deal` (docs/deal-format.md) and return their inputs with the
result, so every number can be traced. Formulas and references: docs/methods/power.md.

Conventions
-----------
* Money is on the deal's price axis: a seller wants a high price, a buyer a low one. A party's
  walk-away price is its ``reservation_price`` (set by its BATNA); ``batna_value`` is the value
  of the alternative itself and is not a price, so it never stands in for a walk-away price.
* Time pressure is a rate per month: a party's ``discount_rate`` (pure time preference, 0 when
  blank) plus, when it has a ``deadline`` T months away, ``1 / T`` (the deadline read as an
  exponential clock whose mean is T: a party-specific rate of losing the deal). With neither, a
  default horizon is assumed, and flagged as an assumption.
* Bargaining weights follow Binmore, Rubinstein & Wolinsky (1986): with per-period discount
  factors δᵢ = exp(−rᵢΔ) the Rubinstein split tends, as Δ → 0, to the asymmetric Nash solution
  whose weight for party 1 is r₂ / (r₁ + r₂).
"""
from __future__ import annotations

__all__ = [
    "Zopa",
    "Split",
    "NashPoint",
    "zopa",
    "rubinstein_split",
    "nash_bargaining",
    "nash_bargaining_discrete",
    "discount_factor",
    "brw_weights",
    "rate_from_deadline",
    "months_between",
    "time_pressure",
    "bargaining_weight",
    "deal_zopa",
    "expected_split",
    "DEFAULT_HORIZON_MONTHS",
    "MIN_MONTHS",
    "DAYS_PER_MONTH",
]

import math
from dataclasses import dataclass, field
from numbers import Real
from typing import NamedTuple

import numpy as np
import pandas as pd

from .deal import number
from .deal.money import walk_aways
from .errors import InputError, NoAgreement, PowerkitError, bad_argument, finite_pair

DAYS_PER_MONTH = 365.25 / 12
#: A party with neither a discount rate nor a deadline is treated as if its deadline were this
#: many months away (an assumption, flagged in :func:`time_pressure`).
DEFAULT_HORIZON_MONTHS = 24.0
#: Deadlines closer than this (or already past) count as this many months: a week, roughly.
MIN_MONTHS = 0.25


# --------------------------------------------------------------------------------------------
# argument checks (powerkit.errors.bad_argument: scikit-learn wording)
# --------------------------------------------------------------------------------------------
def _real(x, name: str, caller: str, lo=None, hi=None, lo_open=False, hi_open=False) -> float:
    if isinstance(x, bool) or not isinstance(x, Real | np.floating | np.integer):
        raise bad_argument(name, caller, _range_text(lo, hi, lo_open, hi_open), x)
    v = float(x)
    if not math.isfinite(v) or (lo is not None and (v < lo or (lo_open and v == lo))) or (
            hi is not None and (v > hi or (hi_open and v == hi))):
        raise bad_argument(name, caller, _range_text(lo, hi, lo_open, hi_open), x)
    return v


def _range_text(lo, hi, lo_open, hi_open) -> str:
    if lo is None and hi is None:
        return "a finite real number"
    if hi is None:
        return f"a real number {'>' if lo_open else '>='} {lo}"
    if lo is None:
        return f"a real number {'<' if hi_open else '<='} {hi}"
    return f"a real number in {'(' if lo_open else '['}{lo}, {hi}{')' if hi_open else ']'}"


# --------------------------------------------------------------------------------------------
# ZOPA
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Zopa:
    """The zone of possible agreement on the price axis.

    ``width = buyer_reservation − seller_reservation``; ``exists`` is ``width >= 0``. When there
    is no ZOPA, ``low``/``high`` are ``None`` and ``gap = −width`` is how far apart the two
    walk-away prices are.
    """

    seller_reservation: float
    buyer_reservation: float
    seller: str | None = None
    buyer: str | None = None

    @property
    def width(self) -> float:
        return self.buyer_reservation - self.seller_reservation

    @property
    def exists(self) -> bool:
        return self.width >= 0

    @property
    def low(self) -> float | None:
        return self.seller_reservation if self.exists else None

    @property
    def high(self) -> float | None:
        return self.buyer_reservation if self.exists else None

    @property
    def gap(self) -> float:
        return max(0.0, -self.width)

    def describe(self, currency: str = "") -> str:
        cur = f"{currency} " if currency else ""
        if self.exists:
            return (f"ZOPA from {cur}{self.seller_reservation:,.0f} (seller's lowest) to "
                    f"{cur}{self.buyer_reservation:,.0f} (buyer's highest): width "
                    f"{cur}{self.width:,.0f}")
        return (f"no ZOPA: the buyer's highest acceptable price ({cur}"
                f"{self.buyer_reservation:,.0f}) is below the seller's lowest ({cur}"
                f"{self.seller_reservation:,.0f}) by {cur}{self.gap:,.0f}")


def zopa(seller_reservation: float, buyer_reservation: float, seller: str | None = None,
         buyer: str | None = None) -> Zopa:
    """The zone of possible agreement between a seller's lowest and a buyer's highest price.

    Parameters
    ----------
    seller_reservation : float
        The lowest price the seller accepts (its walk-away price, set by its BATNA).
    buyer_reservation : float
        The highest price the buyer accepts.
    seller, buyer : str, optional
        Party ids, carried along for labels.

    Returns
    -------
    Zopa
        ``exists`` is False when the buyer's highest price is below the seller's lowest ("no
        ZOPA"); ``width`` is then negative and ``gap`` says by how much they miss.

    Raises
    ------
    powerkit.errors.InputError
        (a ValueError) When a price is not a finite number.

    Examples
    --------
    >>> z = zopa(800, 1000)
    >>> z.exists, z.width, z.low, z.high
    (True, 200.0, 800.0, 1000.0)
    >>> z = zopa(1000, 900)
    >>> z.exists, z.gap, z.low
    (False, 100.0, None)

    References
    ----------
    Raiffa, H. (1982). *The Art and Science of Negotiation*. Harvard University Press, ch. 4.
    """
    s = _real(seller_reservation, "seller_reservation", "zopa")
    b = _real(buyer_reservation, "buyer_reservation", "zopa")
    return Zopa(s, b, seller, buyer)


# --------------------------------------------------------------------------------------------
# Rubinstein, Nash, BRW
# --------------------------------------------------------------------------------------------
def rubinstein_split(delta_1: float, delta_2: float, pie: float = 1.0) -> tuple[float, float]:
    """The subgame-perfect split of Rubinstein's alternating-offers game, player 1 proposing.

    Player 1 receives ``pie · (1 − δ₂) / (1 − δ₁δ₂)`` and player 2 the rest (Rubinstein 1982,
    Theorem; the short proof is Shaked & Sutton 1984).

    Parameters
    ----------
    delta_1, delta_2 : float
        Per-round discount factors in [0, 1] (1 = infinitely patient). They may not both be 1:
        with no cost of delay every split is an equilibrium and there is no unique prediction.
    pie : float, default 1.0
        The size of what is divided (≥ 0), e.g. the width of the ZOPA.

    Returns
    -------
    (first_share, second_share) : tuple of float
        Shares of the first proposer and of the responder; they sum to ``pie``.

    Raises
    ------
    ValueError
        A factor outside [0, 1], both factors equal to 1, or a negative pie.

    Examples
    --------
    >>> [round(x, 4) for x in rubinstein_split(0.9, 0.9)]   # 1/(1+δ) and δ/(1+δ)
    [0.5263, 0.4737]
    >>> rubinstein_split(0.5, 0.0)          # a responder with no patience accepts anything
    (1.0, 0.0)
    >>> [round(x, 6) for x in rubinstein_split(0.0, 0.8, pie=100)]  # impatient proposer: 1 − δ₂
    [20.0, 80.0]

    References
    ----------
    Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. *Econometrica* 50(1),
    97–109.
    Shaked, A., & Sutton, J. (1984). Involuntary unemployment as a perfect equilibrium in a
    bargaining model. *Econometrica* 52(6), 1351–1364.
    """
    d1 = _real(delta_1, "delta_1", "rubinstein_split", 0.0, 1.0)
    d2 = _real(delta_2, "delta_2", "rubinstein_split", 0.0, 1.0)
    p = _real(pie, "pie", "rubinstein_split", 0.0)
    if d1 == 1.0 and d2 == 1.0:
        raise InputError(
            "The 'delta_1' and 'delta_2' parameters of rubinstein_split cannot both be 1: with "
            "no cost of delay every split is a subgame-perfect equilibrium (no unique "
            "prediction). Give at least one factor below 1. Got (1.0, 1.0) instead.")
    first = p * (1.0 - d2) / (1.0 - d1 * d2)
    return first, p - first


def nash_bargaining(a: float, b: float, c: float, disagreement, alpha: float = 0.5
                    ) -> tuple[float, float]:
    """The (asymmetric) Nash bargaining solution on the linear frontier ``a·u1 + b·u2 = c``.

    Maximises ``(u1 − d1)^α · (u2 − d2)^(1−α)`` over the feasible set
    ``{u : a·u1 + b·u2 ≤ c, u ≥ d}``. With the surplus ``s = c − a·d1 − b·d2`` the maximiser is
    ``u1 = d1 + α·s/a``, ``u2 = d2 + (1 − α)·s/b`` (Lagrange conditions of the log-objective).
    ``alpha = 0.5`` is Nash's (1950) symmetric solution: split the difference.

    Parameters
    ----------
    a, b : float
        Positive coefficients of the frontier (how many units of ``c`` one unit of utility
        costs each party).
    c : float
        Right-hand side of the frontier.
    disagreement : pair of float
        ``(d1, d2)``: what each party gets without agreement (its BATNA).
    alpha : float in [0, 1], default 0.5
        Player 1's bargaining weight (player 2 has ``1 − alpha``).

    Returns
    -------
    (u1, u2) : tuple of float
        The agreement. When the disagreement point lies exactly on the frontier the only
        individually rational point is the disagreement point itself, which is returned.

    Raises
    ------
    powerkit.NoAgreement
        When the disagreement point lies beyond the frontier (``a·d1 + b·d2 > c``): no feasible
        agreement is better for both than walking away.
    ValueError
        Non-positive ``a`` or ``b``, ``alpha`` outside [0, 1], non-finite numbers.

    Examples
    --------
    >>> nash_bargaining(1, 1, 10, (0, 0))                 # split the difference
    (5.0, 5.0)
    >>> nash_bargaining(1, 1, 10, (2, 4), alpha=0.75)     # surplus 4: 3 to player 1, 1 to player 2
    (5.0, 5.0)
    >>> nash_bargaining(1, 1, 10, (6, 6))
    Traceback (most recent call last):
    ...
    powerkit.errors.NoAgreement: no agreement: the disagreement point (6.0, 6.0) lies beyond the frontier 1.0·u1 + 1.0·u2 = 10.0 (a·d1 + b·d2 = 12.0 > c)

    References
    ----------
    Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2), 155–162.
    Kalai, E. (1977). Nonsymmetric Nash solutions and replications of 2-person bargaining.
    *International Journal of Game Theory* 6(3), 129–133.
    """
    caller = "nash_bargaining"
    a = _real(a, "a", caller, 0.0, lo_open=True)
    b = _real(b, "b", caller, 0.0, lo_open=True)
    c = _real(c, "c", caller)
    al = _real(alpha, "alpha", caller, 0.0, 1.0)
    d1, d2 = finite_pair(disagreement, "disagreement", caller, names="(d1, d2)")
    s = c - a * d1 - b * d2
    tol = 1e-12 * max(1.0, abs(c), abs(a * d1), abs(b * d2))
    if s < -tol:
        raise NoAgreement(
            f"no agreement: the disagreement point ({d1}, {d2}) lies beyond the frontier "
            f"{a}·u1 + {b}·u2 = {c} (a·d1 + b·d2 = {a * d1 + b * d2} > c)")
    s = max(s, 0.0)
    return d1 + al * s / a, d2 + (1.0 - al) * s / b


class NashPoint(NamedTuple):
    """The outcome chosen by :func:`nash_bargaining_discrete`."""

    index: int
    u1: float
    u2: float
    product: float


def nash_bargaining_discrete(points, disagreement, alpha: float = 0.5) -> NashPoint:
    """The (asymmetric) Nash solution over a finite set of feasible outcomes.

    Among the outcomes that leave both parties at least at their disagreement payoffs, returns
    the one maximising ``(u1 − d1)^α · (u2 − d2)^(1−α)`` (with ``0^0 = 1``, so ``alpha = 1``
    ignores player 2's gain). Ties (within 1e-12, relative) go to the outcome with the larger
    ``u1 + u2``, then to the lowest index, so the answer is reproducible.

    Parameters
    ----------
    points : array-like of shape (n, 2) or DataFrame with two columns
        Utility pairs ``(u1, u2)`` of the feasible outcomes (e.g. packages of issue options).
    disagreement : pair of float
        ``(d1, d2)``.
    alpha : float in [0, 1], default 0.5
        Player 1's bargaining weight; :func:`bargaining_weight` gives ours for a deal.

    Returns
    -------
    NashPoint
        ``(index, u1, u2, product)``: ``index`` is the position in ``points`` (row number, not
        label, for a DataFrame).

    Raises
    ------
    powerkit.NoAgreement
        When no outcome is at least as good as disagreement for both parties.
    ValueError
        Empty or malformed ``points``, non-finite values, ``alpha`` outside [0, 1].

    Examples
    --------
    >>> nash_bargaining_discrete([(1, 9), (5, 5), (8, 1)], (0, 0))[:3]
    (1, 5.0, 5.0)
    >>> nash_bargaining_discrete([(1, 9), (5, 5), (8, 1)], (0, 0), alpha=0.9).index
    2

    References
    ----------
    Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2), 155–162.
    """
    caller = "nash_bargaining_discrete"
    al = _real(alpha, "alpha", caller, 0.0, 1.0)
    d1, d2 = finite_pair(disagreement, "disagreement", caller, names="(d1, d2)")
    try:
        P = np.asarray(points.to_numpy() if hasattr(points, "to_numpy") else points, dtype=float)
    except (TypeError, ValueError):
        raise bad_argument("points", caller, "an array of shape (n, 2) of finite numbers",
                           points) from None
    if P.ndim != 2 or P.shape[1] != 2 or P.shape[0] == 0 or not np.isfinite(P).all():
        raise bad_argument("points", caller, "a non-empty array of shape (n, 2) of finite numbers",
                           f"array of shape {P.shape}")
    g1, g2 = P[:, 0] - d1, P[:, 1] - d2
    ok = (g1 >= 0) & (g2 >= 0)
    if not ok.any():
        raise NoAgreement(f"no agreement: none of the {len(P)} outcomes is at least as good as "
                          f"the disagreement point ({d1}, {d2}) for both parties")
    with np.errstate(divide="ignore", invalid="ignore"):
        prod = np.where(ok, np.power(np.where(ok, g1, 0.0), al)
                        * np.power(np.where(ok, g2, 0.0), 1.0 - al), -np.inf)
    best = prod.max()
    tie = np.flatnonzero(prod >= best - 1e-12 * max(1.0, abs(best)))
    tot = P[tie, 0] + P[tie, 1]
    i = int(tie[np.flatnonzero(tot >= tot.max() - 1e-12 * max(1.0, abs(tot.max())))[0]])
    return NashPoint(i, float(P[i, 0]), float(P[i, 1]), float(prod[i]))


def discount_factor(rate: float, delta_t: float = 1.0) -> float:
    """Per-period discount factor ``δ = exp(−r·Δ)`` for a rate ``r`` per month and a period of
    ``Δ`` months.

    Examples
    --------
    >>> round(discount_factor(0.1, 1.0), 6)
    0.904837
    >>> discount_factor(0.0)
    1.0

    References
    ----------
    Binmore, K., Rubinstein, A., & Wolinsky, A. (1986). The Nash bargaining solution in
    economic modelling. *RAND Journal of Economics* 17(2), 176–188.
    """
    r = _real(rate, "rate", "discount_factor", 0.0)
    dt = _real(delta_t, "delta_t", "discount_factor", 0.0)
    return math.exp(-r * dt)


def brw_weights(rate_1: float, rate_2: float) -> tuple[float, float]:
    """Bargaining weights from time preference: ``w₁ = r₂ / (r₁ + r₂)``, ``w₂ = r₁ / (r₁ + r₂)``.

    The limit of the Rubinstein split with ``δᵢ = exp(−rᵢΔ)`` as the time between offers
    ``Δ → 0`` (Binmore, Rubinstein & Wolinsky 1986): the more patient party (smaller rate) gets
    the larger weight, and who proposes first stops mattering.

    Parameters
    ----------
    rate_1, rate_2 : float
        Rates of impatience (≥ 0, per month); at least one must be positive.

    Returns
    -------
    (w1, w2) : tuple of float
        Weights in [0, 1] summing to 1; use ``w1`` as ``alpha`` in :func:`nash_bargaining`.

    Raises
    ------
    ValueError
        A negative or non-finite rate, or both rates 0 (two infinitely patient parties: no
        prediction).

    Examples
    --------
    >>> [round(w, 6) for w in brw_weights(0.1, 0.3)]
    [0.75, 0.25]
    >>> brw_weights(0.0, 0.2)
    (1.0, 0.0)

    References
    ----------
    Binmore, K., Rubinstein, A., & Wolinsky, A. (1986). The Nash bargaining solution in
    economic modelling. *RAND Journal of Economics* 17(2), 176–188.
    """
    r1 = _real(rate_1, "rate_1", "brw_weights", 0.0)
    r2 = _real(rate_2, "rate_2", "brw_weights", 0.0)
    if r1 + r2 == 0:
        raise InputError("The 'rate_1' and 'rate_2' parameters of brw_weights cannot both be 0: "
                         "two infinitely patient parties have no determinate split. Got (0.0, "
                         "0.0) instead.")
    return r2 / (r1 + r2), r1 / (r1 + r2)


def rate_from_deadline(months: float, min_months: float = MIN_MONTHS) -> float:
    """Rate of impatience (per month) of a party whose deadline is ``months`` away: ``1 / T``.

    The mapping treats the deadline as an exponential clock with mean ``T`` months: the value of
    agreeing later decays at rate ``1/T`` (a party with a deadline in 2 months discounts a
    month's delay by ``exp(−1/2) ≈ 0.61``; one with 12 months by ``exp(−1/12) ≈ 0.92``). Closer
    (or past) deadlines count as ``min_months``. A modelling choice, not a theorem: see
    docs/methods/power.md.

    Examples
    --------
    >>> rate_from_deadline(4)
    0.25
    >>> rate_from_deadline(-1)   # already past: as urgent as a week away
    4.0
    """
    m = _real(months, "months", "rate_from_deadline")
    lo = _real(min_months, "min_months", "rate_from_deadline", 0.0, lo_open=True)
    return 1.0 / max(m, lo)


def months_between(start, end) -> float:
    """Months (of 365.25/12 days) from ``start`` to ``end``; negative when ``end`` is earlier.

    >>> months_between("2025-01-01", "2025-07-02")   # 182 days
    5.979466119096509
    """
    return (pd.Timestamp(end) - pd.Timestamp(start)).days / DAYS_PER_MONTH


# --------------------------------------------------------------------------------------------
# deal level
# --------------------------------------------------------------------------------------------
def time_pressure(deal, at=None, default_months: float = DEFAULT_HORIZON_MONTHS,
                  min_months: float = MIN_MONTHS, parties: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """Each party's rate of impatience, with where it came from.

    Parameters
    ----------
    deal : powerkit.Deal
    at : date, optional
        The date the clock is read (default: the deal's ``as_of``). Deadlines come closer as
        ``at`` moves on.
    default_months : float
        Horizon assumed for a party with neither ``discount_rate`` nor ``deadline``.
    min_months : float
        Floor on months to a deadline.
    parties : DataFrame, optional
        A modified parties table (what-if); default ``deal.parties``.

    Returns
    -------
    DataFrame indexed by party
        ``deadline``, ``months_to_deadline``, ``discount_rate`` (as given), ``deadline_rate``
        (1/T), ``rate`` (their sum, per month), ``rate_source`` (``discount_rate``,
        ``deadline``, ``discount_rate + deadline`` or ``assumed``) and ``delta_month``
        (= exp(−rate), the discount factor over one month).
    """
    at = pd.Timestamp(deal.meta.as_of if at is None else at)
    p = deal.parties if parties is None else parties
    rows = []
    cols = [c for c in ("deadline", "discount_rate") if c in p.columns]
    for party, r in zip(p.index, p[cols].to_dict("records"), strict=True):
        dl = r.get("deadline")
        dl = pd.Timestamp(dl) if dl is not None and not pd.isna(dl) else pd.NaT
        months = months_between(at, dl) if not pd.isna(dl) else np.nan
        given = number(r.get("discount_rate"))
        parts, src = [], []
        if given is not None:
            parts.append(given)
            src.append("discount_rate")
        if not pd.isna(dl):
            parts.append(rate_from_deadline(months, min_months))
            src.append("deadline")
        if not parts:
            parts, src = [1.0 / default_months], ["assumed"]
        rate = float(sum(parts))
        rows.append({"party": party, "deadline": dl, "months_to_deadline": months,
                     "discount_rate": given if given is not None else np.nan,
                     "deadline_rate": parts[-1] if src[-1] == "deadline" else np.nan,
                     "rate": rate, "rate_source": " + ".join(src),
                     "delta_month": math.exp(-rate)})
    return pd.DataFrame(rows).set_index("party")


def bargaining_weight(deal, at=None, party: str | None = None, against: str | None = None,
                      **kwargs) -> float:
    """Our bargaining weight α in [0, 1] against the counterpart, from time pressure (BRW).

    ``α = r_them / (r_us + r_them)`` with the rates of :func:`time_pressure`; 0.5 when both
    rates are 0. This is the default ``alpha`` of the Nash solutions in value creation.

    Parameters
    ----------
    deal : powerkit.Deal
    at : date, optional
        Read deadlines at this date (default ``as_of``).
    party, against : str, optional
        Default: the deal's ``us`` and ``counterpart``.
    **kwargs
        Passed to :func:`time_pressure` (``default_months``, ``min_months``).

    Returns
    -------
    float
    """
    tp = time_pressure(deal, at=at, **kwargs)
    a = party or deal.us
    b = against or deal.counterpart
    r1, r2 = float(tp.at[a, "rate"]), float(tp.at[b, "rate"])
    if r1 + r2 == 0:
        return 0.5
    return brw_weights(r1, r2)[0]


def _roles(deal) -> tuple[str, str]:
    """(seller, buyer) among us and the counterpart, from the ``role`` column."""
    p = deal.parties
    us, them = deal.us, deal.counterpart
    role = {k: (str(p.at[k, "role"]) if "role" in p.columns and isinstance(p.at[k, "role"], str)
                else "other") for k in (us, them)}
    if role[us] == "seller" or role[them] == "buyer":
        return us, them
    if role[us] == "buyer" or role[them] == "seller":
        return them, us
    raise PowerkitError(
        "the ZOPA needs a price axis: set 'role' to seller/buyer for us "
        f"({us!r}) or the counterpart ({them!r}) in the parties table")


def deal_zopa(deal, parties: pd.DataFrame | None = None,
              walks: pd.DataFrame | None = None) -> Zopa:
    """The ZOPA between us and the counterpart from each side's effective walk-away price
    (:func:`powerkit.deal.money.walk_aways`: the reservation price, moved by a change in the
    side's BATNA value, and the counterpart's best rival price; the seller/buyer come from
    ``role``).

    Raises
    ------
    powerkit.PowerkitError
        When neither side has a ``role`` of seller/buyer, or a walk-away price is missing.

    ``walks``: :func:`~powerkit.deal.money.walk_aways` of the deal (after ``parties``) when the
    caller has them already.
    """
    d = deal if parties is None else deal.replace(parties=parties)
    seller, buyer = _roles(d)
    w = walk_aways(d) if walks is None else walks
    s, b = w.at["seller", "walk_away"], w.at["buyer", "walk_away"]
    missing = [k for k, v in ((seller, s), (buyer, b)) if v is None or v != v]
    if missing:
        raise PowerkitError(
            "the ZOPA needs a walk-away price for each side: fill 'reservation_price' for "
            f"{', '.join(map(repr, missing))} in the parties table")
    return Zopa(float(s), float(b), seller, buyer)


@dataclass
class Split:
    """The expected split of the ZOPA between us and the counterpart.

    ``inputs`` is the provenance table (one row per input: party, input, value, source).
    When there is no ZOPA the prices and shares are ``None`` and ``note`` says why.
    """

    zopa: Zopa
    weight_us: float
    weight_them: float
    price: float | None
    share_us: float | None
    share_them: float | None
    surplus_us: float | None
    surplus_them: float | None
    inputs: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    note: str = ""
    us: str = ""
    counterpart: str = ""

    def to_dict(self) -> dict:
        return {"zopa_exists": self.zopa.exists, "zopa_low": self.zopa.low,
                "zopa_high": self.zopa.high, "zopa_width": self.zopa.width,
                "weight_us": self.weight_us, "price": self.price, "share_us": self.share_us,
                "surplus_us": self.surplus_us, "surplus_them": self.surplus_them}


def expected_split(deal, at=None, parties: pd.DataFrame | None = None,
                   pressure: pd.DataFrame | None = None, walks: pd.DataFrame | None = None,
                   **kwargs) -> Split:
    """Expected split of the surplus between us and the counterpart, given BATNAs and time.

    The disagreement point is each side's effective walk-away price
    (:func:`powerkit.deal.money.walk_aways`: its reservation price, moved one for one by a
    change in its BATNA value, and for the counterpart the best price a rival offers it); the
    surplus is the ZOPA width; it is shared by the asymmetric Nash solution with the BRW weights of
    :func:`bargaining_weight`, which is the limit of Rubinstein's game as offers come quickly:
    the seller gets ``w_seller · width`` above its walk-away price, so the predicted price is
    ``seller_reservation + w_seller · width``.

    Parameters
    ----------
    deal : powerkit.Deal
    at : date, optional
        Read deadlines at this date (default ``as_of``).
    parties : DataFrame, optional
        A modified parties table (what-if); default ``deal.parties``.
    pressure : DataFrame, optional
        :func:`time_pressure` of the deal at ``at`` when the caller has it already (the power
        profile does); default: computed here.
    walks : DataFrame, optional
        :func:`~powerkit.deal.money.walk_aways` of the deal (after ``parties``) when the caller
        has them already (the power profile does); default: computed here.
    **kwargs
        Passed to :func:`time_pressure`.

    Returns
    -------
    Split
        With ``share_us`` the fraction of the ZOPA we get (None when there is no ZOPA).

    Raises
    ------
    powerkit.PowerkitError
        When the ZOPA cannot be formed (no roles or no walk-away prices).
    """
    d = deal if parties is None else deal.replace(parties=parties)
    walks = walk_aways(d) if walks is None else walks
    z = deal_zopa(d, walks=walks)
    tp = time_pressure(d, at=at, **kwargs) if pressure is None else pressure
    us, them = d.us, d.counterpart
    r_us, r_them = float(tp.at[us, "rate"]), float(tp.at[them, "rate"])
    w_us = 0.5 if r_us + r_them == 0 else brw_weights(r_us, r_them)[0]
    rows = []
    wa_table = walks.set_index("party")
    for party in (us, them):
        wa, src = wa_table.at[party, "walk_away"], wa_table.at[party, "source"]
        rows += [
            {"party": party, "input": "walk-away price", "value": wa, "source": src},
            {"party": party, "input": "rate (per month)", "value": float(tp.at[party, "rate"]),
             "source": tp.at[party, "rate_source"]},
            {"party": party, "input": "bargaining weight",
             "value": w_us if party == us else 1 - w_us, "source": "BRW: r_other/(r_us+r_them)"},
        ]
    inputs = pd.DataFrame(rows)
    if not z.exists:
        return Split(z, w_us, 1 - w_us, None, None, None, None, None, inputs,
                     note=z.describe(d.meta.currency), us=us, counterpart=them)
    w_seller = w_us if z.seller == us else 1 - w_us
    u_seller, u_buyer = nash_bargaining(1.0, 1.0, z.width, (0.0, 0.0), alpha=w_seller)
    price = z.seller_reservation + u_seller
    sur_us = u_seller if z.seller == us else u_buyer
    sur_them = z.width - sur_us
    share_us = w_us if z.width > 0 else 0.5
    return Split(z, w_us, 1 - w_us, price, share_us, 1 - share_us, sur_us, sur_them, inputs,
                 note=z.describe(d.meta.currency), us=us, counterpart=them)
