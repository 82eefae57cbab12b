"""Bueno de Mesquita's expected-utility model ("BDM"), as specified by Scholz, Calbert & Smith.

One issue at a time, round by round: every actor estimates its chance of winning a contest with
every other (the weighted pairwise votes of the whole group), its expected utility of challenging
each of them and each one's expected utility of challenging it, with a risk exponent that
measures how exposed its position is; from those it receives offers (conflict, compromise,
capitulation), accepts the one that moves it least, and all actors move together. The forecast
after each round is the weighted median of the positions. The arrays are actors × actors per
issue (the votes of all actors on each pair summed in closed form from prefix sums over the
sorted positions), so a round costs a few numpy passes instead of a Python loop over pairs and
voters; ``benchmarks/forecast_loop.py`` is that loop, kept as the peer that the tests and the
benchmark compare against.

Every choice the specification leaves open is listed in :data:`NOTES` (returned with each
result) and in docs/methods/forecast.md, section "Bueno de Mesquita's expected-utility model".
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .compromise import TIE_TOL
from .table import check_table, issues_of

__all__ = ["BDMResult", "expected_utility_model", "issue_round", "risk_exponents",
           "win_probabilities", "challenge_utilities", "NOTES", "OFFER_KINDS", "EPS"]

#: two expected utilities closer than this count as equal (no offer is made on a tie); also the
#: tolerance of "a position returns to an earlier state" (relative to the issue's range)
EPS = 1e-9
#: offer kinds, in the codes of :attr:`BDMResult.moves` ``kind``
OFFER_KINDS = ("conflict", "compromise", "capitulation")

#: the choices this implementation makes where Scholz, Calbert & Smith (2011) leave room
NOTES = (
    "Utilities (Scholz et al. §3): U_s = 2 − 4(½ − ½d)^r, U_f = 2 − 4(½ + ½d)^r, "
    "U_b = 2 − 4(½ − ¼(|x_i − μ|/Δ + d))^r, U_w = 2 − 4(½ + ¼(|x_i − μ|/Δ + d))^r, "
    "U_sq = 2 − 4·½^r, with d = |x_i − x_j|/Δ and Δ the range of the issue's starting positions "
    "(fixed over the rounds; positions never leave it).",
    "Votes (§4): v_k(i:j) = c_k s_k (|x_k − x_j| − |x_k − x_i|), i.e. linear utility differences "
    "(no risk exponent; the factor 2/Δ cancels). P_ij = Σ_k max(0, v_k) / Σ_k |v_k| over all "
    "actors k, so P_ij + P_ji = 1; P_ij = 0 when nobody's vote separates i and j.",
    "Expected utility of i challenging j (§2): E_i(U_ij) = s_j[P_ij U_s + (1 − P_ij) U_f] + "
    "(1 − s_j) U_s − Q U_sq − (1 − Q)[T U_b + (1 − T) U_w], with Q = T = 1 by default (the status "
    "quo persists if nobody challenges), so μ only matters when Q < 1; μ is the round's forecast.",
    "Risk (§5): with every r = 1, actor i's exposure S_i = Σ_{j≠i} E_j(U_ji) (what all others "
    "expect from challenging i); R_i = (2S_i − S_max − S_min)/(S_max − S_min) and "
    "r_i = (1 − R_i/3)/(1 + R_i/3) ∈ [0.5, 2]: the most exposed actor gets 0.5, the safest 2. "
    "All r = 1 when every S_i is equal. Recomputed every round from that round's positions.",
    "Perception (§6): actor i judges both sides of a pair with its own risk exponent r_i: its "
    "own E_i(U_ij) and its estimate of j's E_i(U_ji) (same utilities, resistance s_i, P_ji).",
    "Offers to i from j (x_j ≠ x_i), a = E_i(U_ij), b = E_i(U_ji): conflict when b > a > 0 (i "
    "expects to lose a fight j wants: i moves to x_j); compromise when b > 0 > a and b > |a| (i "
    "moves the fraction |a|/b of the way to x_j); capitulation when b > 0 > a and |a| > b (i moves "
    "to x_j). Differences smaller than EPS = 1e-9 count as ties and make no offer.",
    "Acceptance: each actor takes the offer that moves it least (BDM 1994; Scholz et al. §6); "
    "ties go to the first proposer in table order. Scholz et al.'s own program reportedly ranks "
    "conflict before compromise before capitulation instead; we follow the text.",
    "All actors move at once at the end of a round (offers are computed on the round's starting "
    "positions); a round without any offer leaves the issue where it is (converged).",
    "Forecast per round: the weighted median of the positions (weights c·s), the winner of the "
    "weighted pairwise votes above (it minimises Σ c_k s_k |x_k − y|); the weighted mean is "
    "reported alongside.",
    "Oscillation: an issue is flagged when its positions return to an earlier state that is "
    "not the previous one (a cycle of length ≥ 2), or its forecast alternates (f_t = f_{t−2} ≠ "
    "f_{t−1}) or turns back at least twice; the rounds are reported as computed, never smoothed.",
    "rules='program' instead follows Scholz et al.'s program as transcribed by J. Velev "
    "(jmckib/bdm-scholz-expected-utility-model @55f63e9f, reported to reproduce their 10 "
    "published rounds): votes with each voter's risk exponent, P divided by the sum of |votes| "
    "over all voters and all ordered pairs, conflict before compromise before capitulation, "
    "compromises ranked by (|E_i|x_i + |E_j|x_j)/(|E_i| + |E_j|). Velev's capitulation test "
    "(b < |b|, never true) is read as |a| > b; on the emission example it changes nothing.",
    "Capabilities enter only through the vote weights c·s, so scaling every capability on an "
    "issue leaves the model unchanged; salience also acts as the probability of resisting.",
)


@dataclass
class BDMResult:
    """What :func:`expected_utility_model` returns.

    Attributes
    ----------
    forecast : pandas.DataFrame
        Indexed by issue: ``forecast`` (weighted median after the last round), ``mean`` (weighted
        mean after the last round), ``start`` (weighted median before round 1), ``rounds`` (rounds
        run), ``converged`` (the last round moved nobody) and ``oscillating``.
    rounds : pandas.DataFrame
        Long: ``round`` (0 = the starting positions), ``actor``, ``issue``, ``position``.
    risk : pandas.DataFrame
        ``actor``, ``issue``, ``round`` (1, 2, …), ``risk`` (the exponent r in [0.5, 2] used in
        that round).
    moves : pandas.DataFrame
        The accepted offers: ``round``, ``issue``, ``actor`` (who moves), ``proposer``, ``kind``
        (conflict / compromise / capitulation), ``before``, ``after``.
    path : pandas.DataFrame
        ``issue``, ``round`` (0, 1, …), ``forecast`` (weighted median), ``mean``.
    oscillating : pandas.Series
        Bool, indexed by issue.
    notes : tuple of str
        The modelling choices (:data:`NOTES`).
    """

    forecast: pd.DataFrame
    rounds: pd.DataFrame
    risk: pd.DataFrame
    moves: pd.DataFrame
    path: pd.DataFrame
    oscillating: pd.Series
    notes: tuple = field(default=NOTES)


def _median(x: np.ndarray, w: np.ndarray) -> float:
    """Weighted median with the rule of :func:`~powerkit.forecast.compromise.weighted_median`."""
    pos, inv = np.unique(x, return_inverse=True)
    wp = np.bincount(inv, weights=w, minlength=len(pos))
    total = float(wp.sum())
    cum = np.cumsum(wp)
    return float(pos[int(np.argmax(cum >= total / 2.0 - TIE_TOL * total))])


def _win_probabilities(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """P[i, j]: chance that i beats j, Σ_k max(0, v_k) / Σ_k |v_k|, in closed form per pair.

    For the lower position lo and the higher hi of a pair (gap g, midpoint m), a voter at or
    below lo gives g to lo, one strictly between lo and m gives 2(m − x_k), one at m nothing,
    and symmetrically above: so both sums are prefix sums of w and w·x over the sorted
    positions, O(n² log n) instead of n³ terms (same numbers as the voter-by-voter sum up to
    rounding; benchmarks/forecast_loop.py sums voter by voter)."""
    n = len(x)
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cw = np.concatenate(([0.0], np.cumsum(ws)))
    cx = np.concatenate(([0.0], np.cumsum(ws * xs)))
    lo = np.minimum(x[:, None], x[None, :])
    hi = np.maximum(x[:, None], x[None, :])
    g = hi - lo
    mid = (lo + hi) / 2.0
    a_lo = np.searchsorted(xs, lo, side="right")      # voters ≤ lo: [0, a_lo)
    b_mid = np.searchsorted(xs, mid, side="left")     # voters < m: [0, b_mid)
    c_mid = np.searchsorted(xs, mid, side="right")    # voters ≤ m
    d_hi = np.searchsorted(xs, hi, side="left")       # voters < hi
    total = cw[-1]
    for_lo = g * cw[a_lo] + 2.0 * (mid * (cw[b_mid] - cw[a_lo]) - (cx[b_mid] - cx[a_lo]))
    for_hi = g * (total - cw[d_hi]) + 2.0 * ((cx[d_hi] - cx[c_mid]) - mid * (cw[d_hi]
                                                                             - cw[c_mid]))
    for_lo = np.maximum(for_lo, 0.0)
    for_hi = np.maximum(for_hi, 0.0)
    bottom = for_lo + for_hi
    i_lower = x[:, None] < x[None, :]                  # i holds the lower position of (i, j)
    top = np.where(i_lower, for_lo, for_hi)
    out = np.zeros((n, n))
    np.divide(top, bottom, out=out, where=(bottom > 0) & (g > 0))
    return out


def _program_probabilities(x: np.ndarray, w: np.ndarray, r: np.ndarray, span: float
                           ) -> np.ndarray:
    """P[i, j] as in Scholz et al.'s program (``rules="program"``): voter k's vote uses its own
    risk exponent, v_k = w_k((|x_k − x_j|/Δ)^r_k − (|x_k − x_i|/Δ)^r_k), and the denominator is
    the sum of |v| over every voter and every ordered pair of actors (one number per round)."""
    n = len(x)
    dr = (np.abs(x[:, None] - x[None, :]) / span) ** r[:, None]   # dr[k, a]
    top = np.zeros((n, n))
    total = 0.0
    for k in range(n):
        v = w[k] * (dr[k][None, :] - dr[k][:, None])
        top += np.maximum(v, 0.0)
        total += float(np.abs(v).sum())
    return top / total if total > 0 else np.zeros((n, n))


def _utilities(d: np.ndarray, r: np.ndarray, dmu: np.ndarray):
    """U_s, U_f, U_b, U_w (n × n, perceiver on rows) and U_sq (n) for risk exponents r."""
    rr = r[:, None]
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** rr
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** rr
    ub = 2.0 - 4.0 * (0.5 - 0.25 * (dmu + d)) ** rr
    uw = 2.0 - 4.0 * (0.5 + 0.25 * (dmu + d)) ** rr
    usq = 2.0 - 4.0 * 0.5 ** r
    return us, uf, ub, uw, usq


def _expected(x, s, P, r, span, mu, q, t):
    """E[i, j] = E_i(U_ij) and F[i, j] = E_i(U_ji), both judged with r_i (perceiver i)."""
    d = np.abs(x[:, None] - x[None, :]) / span
    dmu_i = np.abs(x - mu) / span
    us, uf, ub, uw, usq = _utilities(d, r, dmu_i[:, None])
    # status quo of i challenging j: i's own distance to μ; of j challenging i (as i sees it):
    # j's distance to μ, with i's risk exponent
    ub_j = 2.0 - 4.0 * (0.5 - 0.25 * (dmu_i[None, :] + d)) ** r[:, None]
    uw_j = 2.0 - 4.0 * (0.5 + 0.25 * (dmu_i[None, :] + d)) ** r[:, None]
    sq_i = q * usq[:, None] + (1.0 - q) * (t * ub + (1.0 - t) * uw)
    sq_j = q * usq[:, None] + (1.0 - q) * (t * ub_j + (1.0 - t) * uw_j)
    sj = s[None, :]
    si = s[:, None]
    E = sj * (P * us + (1.0 - P) * uf) + (1.0 - sj) * us - sq_i
    F = si * (P.T * us + (1.0 - P.T) * uf) + (1.0 - si) * us - sq_j
    return E, F


def win_probabilities(x, capability, salience) -> np.ndarray:
    """P[i, j], the probability that actor i beats actor j on one issue (Scholz et al. §4).

    P_ij = Σ_k max(0, v_k) / Σ_k |v_k| with v_k = c_k s_k (|x_k − x_j| − |x_k − x_i|): the
    capability × salience weighted votes of every actor k for i against j. P_ij + P_ji = 1
    unless nobody's vote separates them (then both are 0).

    Examples
    --------
    A (c = 2, s = 1) at 1 against B (c = 1, s = 0.2) at 0, with C (c = 1, s = 1) at 0.4: A's
    vote 2·1 for A, B's 0.2·1 and C's 1·0.2 for B, so P_AB = 2/2.4.

    >>> win_probabilities([1.0, 0.0, 0.4], [2, 1, 1], [1.0, 0.2, 1.0]).round(4).tolist()
    [[0.0, 0.8333, 0.625], [0.1667, 0.0, 0.0625], [0.375, 0.9375, 0.0]]
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(capability, dtype=float) * np.asarray(salience, dtype=float)
    return _win_probabilities(x, w)


def challenge_utilities(x, capability, salience, risk, span=None, mu=None, q=1.0, t=1.0):
    """E[i, j] = E_i(U_ij), i's expected utility of challenging j, and F[i, j] = E_i(U_ji),
    i's estimate of j's expected utility of challenging i, both judged with i's risk exponent.

    Parameters
    ----------
    x, capability, salience, risk : array-like
        One value per actor (``risk`` the exponents r).
    span, mu, q, t
        As in :func:`risk_exponents`.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)

    Examples
    --------
    With every r = 1 and Q = 1, E_i(U_ij) = 2d_ij(1 − 2 s_j P_ji) (tests/test_forecast_dynamic.py):
    A against B above, d = 1: 2(1 − 2·0.2·(1/6)) = 1.8667.

    >>> E, F = challenge_utilities([1.0, 0.0, 0.4], [2, 1, 1], [1.0, 0.2, 1.0], [1, 1, 1])
    >>> round(float(E[0, 1]), 4), round(float(F[1, 0]), 4)
    (1.8667, 1.8667)
    """
    x = np.asarray(x, dtype=float)
    s = np.asarray(salience, dtype=float)
    w = np.asarray(capability, dtype=float) * s
    span = float(x.max() - x.min()) if span is None else float(span)
    mu = _median(x, w) if mu is None else float(mu)
    return _expected(x, s, _win_probabilities(x, w), np.asarray(risk, dtype=float),
                     span if span > 0 else 1.0, mu, q, t)


def risk_exponents(x, capability, salience, span=None, mu=None, q=1.0, t=1.0) -> np.ndarray:
    """Each actor's risk exponent r ∈ [0.5, 2] on one issue (Scholz et al. 2011, §5).

    With every r = 1, actor i's exposure is S_i = Σ_{j≠i} E_j(U_ji), what all the others expect
    from challenging it; R_i = (2S_i − S_max − S_min)/(S_max − S_min) ∈ [−1, 1] and
    r_i = (1 − R_i/3)/(1 + R_i/3).

    Parameters
    ----------
    x, capability, salience : array-like
        One value per actor.
    span : float, optional
        The issue's range Δ (default: max(x) − min(x)).
    mu : float, optional
        The reference outcome μ (only used when q < 1; default: the weighted median).
    q, t : float
        BDM's Q and T (probabilities of the status quo persisting / improving).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    The three-actor case derived by hand in tests/test_forecast_dynamic.py: A (c = 2, s = 1) at
    1, B (c = 1, s = 0.2) at 0, C (c = 1, s = 1) at 0.4. B is the most exposed (r = 0.5), A the
    safest (r = 2).

    >>> risk_exponents([1.0, 0.0, 0.4], [2, 1, 1], [1.0, 0.2, 1.0]).round(4).tolist()
    [2.0, 0.5, 1.3289]
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(capability, dtype=float) * np.asarray(salience, dtype=float)
    s = np.asarray(salience, dtype=float)
    span = float(x.max() - x.min()) if span is None else float(span)
    if span <= 0:
        return np.ones(len(x))
    mu = _median(x, w) if mu is None else float(mu)
    return _risk(x, s, _win_probabilities(x, w), span, mu, q, t)


def _risk(x, s, P, span, mu, q, t) -> np.ndarray:
    E1, _ = _expected(x, s, P, np.ones(len(x)), span, mu, q, t)
    np.fill_diagonal(E1, 0.0)
    S = E1.sum(axis=0)                                  # S_i = Σ_j E_j(U_ji)
    lo, hi = S.min(), S.max()
    if hi - lo <= EPS * max(1.0, abs(hi), abs(lo)):
        return np.ones(len(x))
    R = (2.0 * S - hi - lo) / (hi - lo)
    return (1.0 - R / 3.0) / (1.0 + R / 3.0)


def issue_round(x, capability, salience, span, q=1.0, t=1.0, rules="text"):
    """One round of BDM on one issue: new positions, the risk exponents, the accepted offers.

    Parameters
    ----------
    x, capability, salience : array-like
        Positions at the start of the round, capabilities, saliences (one per actor).
    span : float
        The issue's range Δ (its starting positions' max − min).
    q, t : float
        BDM's Q and T.
    rules : {"text", "program"}
        The rules as written in Scholz et al.'s text, or as in their program (see
        :func:`expected_utility_model`).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, list of tuple)
        The positions after the round, the risk exponents used, and the accepted offers as
        (actor index, proposer index, kind index into :data:`OFFER_KINDS`, new position).

    Examples
    --------
    >>> new, r, acc = issue_round([1.0, 0.0, 0.4], [2, 1, 1], [1.0, 0.2, 1.0], span=1.0)
    >>> new.round(4).tolist(), [(i, j, OFFER_KINDS[k]) for i, j, k, _ in acc]
    ([1.0, 0.1873, 1.0], [(1, 0, 'compromise'), (2, 0, 'capitulation')])
    """
    x = np.asarray(x, dtype=float)
    c = np.asarray(capability, dtype=float)
    s = np.asarray(salience, dtype=float)
    n = len(x)
    if span <= 0 or n < 2:
        return x.copy(), np.ones(n), []
    w = c * s
    mu = _median(x, w)
    P = _win_probabilities(x, w)
    if rules == "program":
        ones = np.ones(n)
        r = _risk(x, s, _program_probabilities(x, w, ones, span), span, mu, q, t)
        P = _program_probabilities(x, w, r, span)
    else:
        r = _risk(x, s, P, span, mu, q, t)
    E, F = _expected(x, s, P, r, span, mu, q, t)
    gap = x[None, :] - x[:, None]                       # gap[i, j] = x_j − x_i
    differ = np.abs(gap) > EPS * span
    conflict = differ & (F > E + EPS) & (E > EPS)
    loses = differ & (F > EPS) & (E < -EPS)
    compromise = loses & (F > -E + EPS)
    capitulate = loses & (-E > F + EPS)
    frac = np.where(compromise, -E / np.where(compromise, F, 1.0), 1.0)
    move = np.where(conflict | capitulate, gap, np.where(compromise, gap * frac, np.nan))
    kind = np.where(conflict, 0, np.where(compromise, 1, np.where(capitulate, 2, -1)))
    new = x.copy()
    accepted = []
    has = ~np.isnan(move)
    size = np.where(has, np.abs(move), np.inf)
    if rules == "program":
        # conflicts first (least move), else compromises ranked by the EU-weighted position
        # (|E|·x_i + |F|·x_j)/(|E| + |F|), else capitulations (least move)
        key = (np.abs(E) * x[:, None] + np.abs(F) * x[None, :]) / (np.abs(E) + np.abs(F) + 1e-300)
        tier = np.where(conflict, 0, np.where(compromise, 1, np.where(capitulate, 2, 3)))
        first = tier.min(axis=1)
        size = np.where(tier == first[:, None], np.where(first[:, None] == 1, key, size), np.inf)
        size = np.where(has, size, np.inf)
    best = size.min(axis=1)
    for i in np.flatnonzero(np.isfinite(best)):
        # the least move; ties (within EPS of the range) go to the first proposer
        j = int(np.flatnonzero(size[i] <= best[i] + EPS * span)[0]) if rules == "text" else \
            int(np.argmin(size[i]))
        # a move ends on the proposer's position (conflict, capitulation) or between the two
        # (compromise) — exactly: x_i + (x_j − x_i) can miss x_j by an ulp, and a position an
        # ulp outside the issue's range makes a normalised distance exceed 1 (a negative
        # base under a fractional risk exponent: NaN utilities)
        lo, hi = min(x[i], x[j]), max(x[i], x[j])
        new[i] = x[j] if kind[i, j] != 1 else min(max(x[i] + move[i, j], lo), hi)
        accepted.append((int(i), j, int(kind[i, j]), float(new[i])))
    return new, r, accepted


def _oscillates(states: list[np.ndarray], path: list[float], tol: float) -> bool:
    """A return to an earlier (not the previous) state, or a forecast that alternates
    (f_t = f_{t−2} ≠ f_{t−1}) or turns back at least twice."""
    for t in range(2, len(states)):
        if np.max(np.abs(states[t] - states[t - 1])) <= tol:
            continue
        if any(np.max(np.abs(states[t] - states[u])) <= tol for u in range(t - 1)):
            return True
        if abs(path[t] - path[t - 2]) <= tol and abs(path[t] - path[t - 1]) > tol:
            return True
    steps = [b - a for a, b in zip(path[:-1], path[1:], strict=True) if abs(b - a) > tol]
    turns = sum(1 for a, b in zip(steps[:-1], steps[1:], strict=True) if (a > 0) != (b > 0))
    return turns >= 2


def expected_utility_model(table, rounds: int = 10, q: float = 1.0, t: float = 1.0,
                           rules: str = "text") -> BDMResult:
    """Bueno de Mesquita's expected-utility model, following Scholz, Calbert & Smith (2011).

    On each issue separately, for ``rounds`` rounds: win probabilities from the weighted pairwise
    votes of all actors, P_ij = Σ_k max(0, v_k) / Σ_k |v_k| with v_k = c_k s_k (|x_k − x_j| −
    |x_k − x_i|); risk exponents r_i ∈ [0.5, 2] from how much the others expect to gain by
    challenging i; expected utilities of challenging, E_i(U_ij) = s_j[P_ij U_s + (1 − P_ij) U_f]
    + (1 − s_j) U_s − Q U_sq − (1 − Q)[T U_b + (1 − T) U_w]; offers (conflict, compromise,
    capitulation); each actor accepts the offer that moves it least and all move at once. The
    forecast after each round is the weighted median. Every open choice is in :data:`NOTES`
    (also ``result.notes``) and docs/methods/forecast.md.

    Parameters
    ----------
    table : pandas.DataFrame
        The positions table (actor, issue, position, salience in [0, 1], capability ≥ 0).
    rounds : int
        Number of rounds (≥ 0); an issue whose positions stop moving stays where it is.
    q, t : float
        BDM's Q (probability the status quo persists if nobody challenges) and T (probability
        that a change without challenge is for the better), both in [0, 1]; default 1.
    rules : {"text", "program"}
        ``"text"`` (default): the formulas as Scholz et al. write them (above). ``"program"``:
        the rules of Scholz et al.'s own program as transcribed by J. Velev's replication
        (github.com/jmckib/bdm-scholz-expected-utility-model, bdm_scholz_model.py at commit
        55f63e9f), which its author reports reproduces their published rounds: each voter's vote
        uses its own risk exponent, the win probability is divided by the sum of all votes on
        all pairs, and an actor accepts a conflict before a compromise before a capitulation,
        ranking compromises by the EU-weighted position (|E_i|x_i + |E_j|x_j)/(|E_i| + |E_j|).

    Returns
    -------
    BDMResult

    Raises
    ------
    InputError
        A malformed table (see :func:`~powerkit.forecast.table.check_table`), ``rounds`` not a
        non-negative integer, ``q``/``t`` outside [0, 1], or an unknown ``rules``.

    Examples
    --------
    The three-actor case of tests/test_forecast_dynamic.py: B (c = 1, s = 0.2) at 0 accepts
    A's (c = 2, s = 1, at 1) compromise, the smaller of its two offers; C (c = 1, s = 1) at 0.4
    capitulates to A.

    >>> t = pd.DataFrame({"actor": ["A", "B", "C"], "issue": "x", "position": [1.0, 0.0, 0.4],
    ...                   "salience": [1.0, 0.2, 1.0], "capability": [2.0, 1.0, 1.0]})
    >>> res = expected_utility_model(t, rounds=1)
    >>> res.moves[["actor", "proposer", "kind"]].values.tolist()
    [['B', 'A', 'compromise'], ['C', 'A', 'capitulation']]
    >>> float(res.forecast.loc["x", "start"]), float(res.forecast.loc["x", "forecast"])
    (1.0, 1.0)

    References
    ----------
    Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's group
    decision model. *Journal of Theoretical Politics* 23(4), 510–531.
    Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In Bueno de
    Mesquita & Stokman (eds.), *European Community Decision Making*, Yale UP, 71–104.
    """
    tab = check_table(table, "expected_utility_model")
    if isinstance(rounds, bool) or not isinstance(rounds, (int, np.integer)) or rounds < 0:
        raise bad_argument("rounds", "expected_utility_model", "an integer ≥ 0", rounds)
    for name, v in (("q", q), ("t", t)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= float(v) <= 1.0:
            raise bad_argument(name, "expected_utility_model", "a number in [0, 1]", v)
    if rules not in ("text", "program"):
        raise bad_argument("rules", "expected_utility_model", "'text' or 'program'", rules)
    q, t = float(q), float(t)
    issues = issues_of(tab)
    f_rows, m_rows, osc = [], [], {}
    r_parts, risk_parts, p_parts = [], [], []    # (round, actor idx, issue idx, value) arrays
    actor_names = pd.unique(tab["actor"])
    a_code = {a: k for k, a in enumerate(actor_names)}
    for q_i, issue in enumerate(issues):
        sub = tab[tab["issue"] == issue]
        actors = sub["actor"].to_numpy()
        codes = np.array([a_code[a] for a in actors])
        x = sub["position"].to_numpy(dtype=float)
        c = sub["capability"].to_numpy(dtype=float)
        s = sub["salience"].to_numpy(dtype=float)
        w = c * s
        span = float(x.max() - x.min())
        states, path, means = [x.copy()], [_median(x, w)], [float(np.dot(w, x) / w.sum())]
        ran, converged = 0, False
        for k in range(1, rounds + 1):
            new, r, acc = issue_round(states[-1], c, s, span, q, t, rules)
            ran = k
            risk_parts.append((np.full(len(r), k), codes, np.full(len(r), q_i), r))
            for i, j, kind, after in acc:
                m_rows.append((k, issue, actors[i], actors[j], OFFER_KINDS[kind],
                               float(states[-1][i]), after))
            states.append(new)
            path.append(_median(new, w))
            means.append(float(np.dot(w, new) / w.sum()))
            if not acc:
                converged = True
                break
        tol = EPS * max(span, 1.0)
        osc[issue] = _oscillates(states, path, tol)
        for k, st in enumerate(states):
            r_parts.append((np.full(len(st), k), codes, np.full(len(st), q_i), st))
        p_parts.append((q_i, np.arange(len(path)), np.array(path), np.array(means)))
        f_rows.append((issue, path[-1], means[-1], path[0], ran, converged, osc[issue]))
    forecast = pd.DataFrame(f_rows, columns=["issue", "forecast", "mean", "start", "rounds",
                                             "converged", "oscillating"]).set_index("issue")
    names = np.asarray(actor_names, dtype=object)
    inames = np.asarray(list(issues), dtype=object)

    def long(parts, value):
        if not parts:
            return pd.DataFrame({"round": [], "actor": [], "issue": [], value: []})
        rd, ac, iq, val = (np.concatenate(z) for z in zip(*parts, strict=True))
        return pd.DataFrame({"round": rd.astype(int), "actor": names[ac.astype(int)],
                             "issue": inames[iq.astype(int)], value: val.astype(float)})

    rounds_frame = long(r_parts, "position")
    risk = long(risk_parts, "risk")[["actor", "issue", "round", "risk"]]
    path_frame = pd.DataFrame({
        "issue": np.concatenate([np.full(len(p[1]), inames[p[0]], dtype=object)
                                 for p in p_parts]),
        "round": np.concatenate([p[1] for p in p_parts]),
        "forecast": np.concatenate([p[2] for p in p_parts]),
        "mean": np.concatenate([p[3] for p in p_parts])})
    moves = pd.DataFrame(m_rows, columns=["round", "issue", "actor", "proposer", "kind",
                                          "before", "after"])
    oscillating = pd.Series(osc, name="oscillating", dtype=bool)
    oscillating.index.name = "issue"
    return BDMResult(forecast=forecast, rounds=rounds_frame, risk=risk, moves=moves,
                     path=path_frame, oscillating=oscillating)
