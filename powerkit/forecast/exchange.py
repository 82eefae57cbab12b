"""Stokman's exchange model of voting positions, with the equal-gain rule of the Decide program.

Two actors who stand on opposite sides of the expected outcome on two issues can both gain by
trading: each moves its (voting) position on the issue it cares less about towards the other's
position, and in return the other moves on the issue it cares more about. The outcome of an
issue is the Nash bargaining solution of the Decide program, the capability × salience weighted
mean Σ cᵢsᵢxᵢ / Σ cᵢsᵢ, so a move of Δx by actor i shifts it by Δx·cᵢsᵢ/Σcs. An actor's
expected utility is the salience-weighted closeness of the outcomes to its own positions, so the
trade is worth sᵢ,demand·(shift on its demand issue) − sᵢ,supply·(shift on its supply issue) to
each side; the equal-gain rule sets the two shifts so both sides gain the same. The exchanges
are realised in order of gain. Candidates are actors × actors arrays per pair of issues.
Formulas, choices and the differences from Decide: docs/methods/forecast.md, section
"Stokman's exchange model".
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from .table import check_table, issues_of

__all__ = ["ExchangeResult", "exchange_model", "equal_gain", "NOTES", "GAIN_TOL"]

#: exchanges whose gain is not above this are not made (Decide's 1e-10)
GAIN_TOL = 1e-10

#: the choices this implementation makes (see docs/methods/forecast.md)
NOTES = (
    "Outcome of an issue: the Nash bargaining solution of Decide, O = Σ c s x / Σ c s (the "
    "weighted mean); an actor's gain from a shift δ of O towards its position is s·δ.",
    "Who can trade (Decide's groups): two actors on opposite sides of O on both issues (an actor "
    "exactly at O counts as 'left', x ≤ O, as in Decide); both must have a row on both issues.",
    "Who moves where (Stokman & Van Oosten's rule as coded in Decide): if s_ip/s_iq < s_jp/s_jq "
    "actor i supplies on p (moves its voting position on p towards j's position) and j supplies "
    "on q; equal salience ratios give no gain and no exchange.",
    "Equal gain: with J supplying p and I supplying q, the shifts satisfy δ_q = δ_p·(s_Ip + "
    "s_Jp)/(s_Iq + s_Jq), so both gain δ_p s_Ip − δ_q s_Iq = δ_q s_Jq − δ_p s_Jp.",
    "Size: J moves all the way to I's position on p unless I would then have to move past J's "
    "position on q, in which case I moves all the way and J less (Decide's calculate()); also no "
    "outcome may be pushed past the position of the actor demanding it (Decide's check_nbs: the "
    "shift is cut to land the outcome exactly there, and the other side cut to keep gains equal).",
    "Order: all exchanges are computed on the round's starting positions and realised in order "
    "of gain (highest first; ties in table order). Each actor trades an issue at most once per "
    "round: an exchange is skipped when either actor already traded (as supplier or demander) "
    "one of its two issues. Decide instead recomputes the remaining exchanges after each one "
    "and lets an actor supply again in the same direction; we do not (documented difference).",
    "One round (Stokman & Van Oosten 1994); the positions returned are the voting positions after "
    "it, and the forecast is the weighted mean of those.",
    "Scales: like Decide, every issue is rescaled to 0–100 before trading (a shift on one issue "
    "is traded against a shift on another, so their units must agree); Decide uses the declared "
    "scale of each issue, we use the ``scales`` given or else the range of the issue's positions. "
    "Gains are in salience × points of 0–100; moves, shifts and positions on the issue's scale.",
)


@dataclass
class ExchangeResult:
    """What :func:`exchange_model` returns.

    Attributes
    ----------
    exchanges : pandas.DataFrame
        One row per realised exchange, in the order realised: ``actor_i``, ``actor_j``,
        ``issue_i`` (the issue i moves on, its supply issue = j's demand issue), ``issue_j``,
        ``move_i``, ``move_j`` (signed changes of voting position), ``shift_i``, ``shift_j``
        (the resulting shifts of the outcomes of issue_i and issue_j), ``gain_i``, ``gain_j``
        (expected utility gains, equal; salience × points of the issues' 0–100 scales),
        ``from_i``, ``to_i``, ``from_j``, ``to_j`` (voting positions before and after).
    candidates : pandas.DataFrame
        Every exchange with a positive gain at the start of the round (same columns, plus
        ``made``), sorted by gain.
    positions : pandas.DataFrame
        The long table with ``position`` replaced by the voting positions after the exchanges
        (and ``moved``, the change).
    forecast : pandas.DataFrame
        Indexed by issue: ``forecast`` (weighted mean after the exchanges), ``before`` (before),
        ``shift``.
    notes : tuple of str
    """

    exchanges: pd.DataFrame
    candidates: pd.DataFrame
    positions: pd.DataFrame
    forecast: pd.DataFrame
    notes: tuple = field(default=NOTES)


def equal_gain(x_ip, x_jp, x_iq, x_jq, s_ip, s_jp, s_iq, s_jq, w_jp, w_iq, W_p, W_q,
               O_p=None, O_q=None):
    """The equal-gain exchange in which J supplies on p and I supplies on q.

    All arguments may be numpy arrays (broadcast together). ``w_jp`` = c_jp s_jp and ``w_iq``
    = c_iq s_iq are the suppliers' weights, ``W_p``, ``W_q`` the issues' total weights Σ c s,
    ``O_p``, ``O_q`` the current outcomes (when given, no outcome is pushed past the demanding
    actor's position).

    Returns
    -------
    (move_j, move_i, shift_p, shift_q, gain)
        Signed moves of J on p and I on q, the signed shifts of the outcomes, and the (equal)
        gain of each side.

    Examples
    --------
    Two actors, two issues (derived by hand in tests/test_forecast_dynamic.py): I at 0 on p
    (s = 0.8) and q (s = 0.2), J at 100 on both (s = 0.3 on p, 0.6 on q), every capability 1.
    J moving all the way would shift p's outcome by 100·0.3/1.1 = 27.27 and call for
    δ_q = 27.27·1.1/0.8 = 37.5, more than I's whole move can give (100·0.2/0.8 = 25): so I moves
    all the way (+100), δ_q = 25, δ_p = 25·0.8/1.1 = 18.18, J moves 18.18·1.1/0.3 = 66.67
    towards 0, and each gains 18.18·0.8 − 25·0.2 = 25·0.6 − 18.18·0.3 = 9.55.

    >>> mj, mi, dp, dq, g = equal_gain(0, 100, 0, 100, 0.8, 0.3, 0.2, 0.6, 0.3, 0.2, 1.1, 0.8)
    >>> [round(float(v), 4) for v in (mj, mi, dp, dq, g)]
    [-66.6667, 100.0, -18.1818, 25.0, 9.5455]
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return _equal_gain(x_ip, x_jp, x_iq, x_jq, s_ip, s_jp, s_iq, s_jq, w_jp, w_iq, W_p,
                           W_q, O_p, O_q)


def _equal_gain(x_ip, x_jp, x_iq, x_jq, s_ip, s_jp, s_iq, s_jq, w_jp, w_iq, W_p, W_q, O_p, O_q):
    x_ip, x_jp, x_iq, x_jq = (np.asarray(v, dtype=float) for v in (x_ip, x_jp, x_iq, x_jq))
    ratio = (np.asarray(s_ip, float) + s_jp) / (np.asarray(s_iq, float) + s_jq)  # δq / δp
    # J all the way to I's position on p; cut if I would pass J's position on q
    dp_full = np.abs(x_ip - x_jp) * w_jp / W_p
    dq_full = np.abs(x_jq - x_iq) * w_iq / W_q
    dp = np.minimum(dp_full, dq_full / ratio)
    if O_p is not None:                 # the outcome may not pass the demander's position
        dp = np.minimum(dp, np.abs(x_ip - O_p))
        dp = np.minimum(dp, np.abs(x_jq - O_q) / ratio)
    dq = dp * ratio
    move_j = np.where(w_jp > 0, dp * W_p / np.where(w_jp > 0, w_jp, 1.0), 0.0)
    move_i = np.where(w_iq > 0, dq * W_q / np.where(w_iq > 0, w_iq, 1.0), 0.0)
    sign_p = np.sign(x_ip - x_jp)           # J moves towards I on p, the outcome with it
    sign_q = np.sign(x_jq - x_iq)
    gain = dp * s_ip - dq * s_iq
    return move_j * sign_p, move_i * sign_q, dp * sign_p, dq * sign_q, gain


def _scales(scales, issues, X) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) of every issue's scale: given, or the range of its positions."""
    lo, hi = np.nanmin(X, axis=1), np.nanmax(X, axis=1)
    if scales is None:
        return lo, hi
    given = {}
    if isinstance(scales, tuple) and len(scales) == 2:
        given = {issue: scales for issue in issues}
    elif isinstance(scales, dict):
        unknown = [k for k in scales if k not in issues]
        if unknown:
            raise InputError(f"exchange_model: scales names issue {unknown[0]!r}, which the "
                             f"table does not have; expected one of {issues}.")
        given = scales
    else:
        raise InputError(f"exchange_model: scales must be None, a (low, high) pair or a dict "
                         f"issue → (low, high). Got {scales!r} instead.")
    lo, hi = lo.copy(), hi.copy()
    for k, issue in enumerate(issues):
        if issue not in given:
            continue
        try:
            a, b = (float(v) for v in given[issue])
        except (TypeError, ValueError):
            raise InputError(f"exchange_model: the scale of {issue!r} must be two numbers "
                             f"(low, high). Got {given[issue]!r} instead.") from None
        if not (np.isfinite(a) and np.isfinite(b) and b > a):
            raise InputError(f"exchange_model: the scale of {issue!r} must have low < high. "
                             f"Got {given[issue]!r} instead.")
        if lo[k] < a or hi[k] > b:
            raise InputError(f"exchange_model: issue {issue!r} has positions from {lo[k]:g} to "
                             f"{hi[k]:g}, outside its scale {a:g}–{b:g}.")
        lo[k], hi[k] = a, b
    return lo, hi


def exchange_model(table, scales=None) -> ExchangeResult:
    """Stokman's exchange model: the equal-gain exchanges of voting positions, one round.

    For every pair of issues (p, q) and every pair of actors on opposite sides of the outcome
    on both, the actor with the lower salience ratio s_p/s_q moves on p towards the other's
    position and the other moves on q, by amounts that give both the same gain in expected
    utility (:func:`equal_gain`). Exchanges are made in order of gain, each actor trading an
    issue at most once. Every choice: :data:`NOTES` and docs/methods/forecast.md.

    Parameters
    ----------
    table : pandas.DataFrame
        The positions table.
    scales : None, (low, high) or dict issue → (low, high)
        The numeric ends of the issues' scales. Like Decide, the model works on every issue
        rescaled to 0–100, so that a shift on one issue and a shift on another are comparable
        (the equal-gain rule trades one against the other); by default each issue's scale is
        the range of its positions. Gains are in salience × points of that 0–100 scale; moves,
        shifts and positions are reported on the issue's own scale.

    Returns
    -------
    ExchangeResult

    Raises
    ------
    InputError
        A malformed table (:func:`~powerkit.forecast.table.check_table`), or ``scales`` that is
        not a pair / dict of pairs with low < high containing the issue's positions.

    Examples
    --------
    The 2 × 2 case of :func:`equal_gain`: I cares about p, J about q; they trade.

    >>> t = pd.DataFrame({"actor": ["I", "J", "I", "J"], "issue": ["p", "p", "q", "q"],
    ...                   "position": [0, 100, 0, 100], "salience": [0.8, 0.3, 0.2, 0.6],
    ...                   "capability": 1.0})
    >>> res = exchange_model(t)
    >>> res.exchanges[["actor_i", "issue_i", "move_i", "actor_j", "issue_j", "move_j"]].round(2
    ...     ).values.tolist()
    [['I', 'q', 100.0, 'J', 'p', -66.67]]
    >>> res.forecast[["before", "forecast"]].round(4).values.tolist()
    [[27.2727, 9.0909], [75.0, 100.0]]

    References
    ----------
    Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions: an object-oriented
    model of policy networks. In Bueno de Mesquita & Stokman (eds.), *European Community
    Decision Making*, Yale UP, 105–127.
    Decide (the exchange model's open implementation): github.com/foarsitter/decide-exchange-model,
    decide/model/equalgain.py, base.py, calculations.py.
    """
    tab = check_table(table, "exchange_model")
    issues = list(issues_of(tab))
    actors = list(pd.unique(tab["actor"]))
    a_idx = {a: k for k, a in enumerate(actors)}
    i_idx = {s: k for k, s in enumerate(issues)}
    n, m = len(actors), len(issues)
    X = np.full((m, n), np.nan)
    S = np.full((m, n), np.nan)
    C = np.full((m, n), np.nan)
    ri = tab["issue"].map(i_idx).to_numpy()
    ra = tab["actor"].map(a_idx).to_numpy()
    X[ri, ra] = tab["position"].to_numpy()
    S[ri, ra] = tab["salience"].to_numpy()
    C[ri, ra] = tab["capability"].to_numpy()
    Wt = np.where(np.isnan(X), 0.0, C * S)
    W = Wt.sum(axis=1)
    O0 = np.nansum(Wt * np.nan_to_num(X), axis=1) / W
    lo, hi = _scales(scales, issues, X)
    unit = np.where(hi > lo, (hi - lo) / 100.0, 1.0)          # one point of the 0–100 scale
    Xn = (X - lo[:, None]) / unit[:, None]
    On = (O0 - lo) / unit
    left = Xn <= On[:, None]

    cols = ["actor_i", "actor_j", "issue_i", "issue_j", "move_i", "move_j", "shift_i",
            "shift_j", "gain_i", "gain_j", "from_i", "to_i", "from_j", "to_j"]
    parts = []
    for p in range(m):
        for q in range(p + 1, m):
            ok = ~np.isnan(X[p]) & ~np.isnan(X[q])
            opp = (ok[:, None] & ok[None, :] & (left[p][:, None] != left[p][None, :])
                   & (left[q][:, None] != left[q][None, :]))
            a, b = np.nonzero(np.triu(opp, 1))
            if len(a) == 0:
                continue
            # orientation: a supplies on p when s_ap/s_aq < s_bp/s_bq (cross-multiplied)
            a_supplies_p = S[p, a] * S[q, b] < S[p, b] * S[q, a]
            equal = S[p, a] * S[q, b] == S[p, b] * S[q, a]
            jj = np.where(a_supplies_p, a, b)         # supplies p
            ii = np.where(a_supplies_p, b, a)         # supplies q
            keep = ~equal
            jj, ii = jj[keep], ii[keep]
            if len(jj) == 0:
                continue
            mj, mi, dp, dq, g = equal_gain(Xn[p, ii], Xn[p, jj], Xn[q, ii], Xn[q, jj],
                                           S[p, ii], S[p, jj], S[q, ii], S[q, jj], Wt[p, jj],
                                           Wt[q, ii], W[p], W[q], On[p], On[q])
            mj, dp, mi, dq = mj * unit[p], dp * unit[p], mi * unit[q], dq * unit[q]
            good = g > GAIN_TOL
            if not good.any():
                continue
            ii, jj, mi, mj, dp, dq, g = ii[good], jj[good], mi[good], mj[good], dp[good], \
                dq[good], g[good]
            parts.append({
                "i": ii, "j": jj, "p_i": np.full(len(ii), q), "p_j": np.full(len(ii), p),
                "move_i": mi, "move_j": mj, "shift_i": dq, "shift_j": dp, "gain_i": g,
                "gain_j": g, "from_i": X[q, ii], "to_i": X[q, ii] + mi, "from_j": X[p, jj],
                "to_j": X[p, jj] + mj})
    if parts:
        cand = pd.DataFrame({k: np.concatenate([d[k] for d in parts]) for k in parts[0]})
        cand = cand.iloc[np.argsort(-cand["gain_i"].to_numpy(), kind="stable")]
        cand = cand.reset_index(drop=True)
    else:
        cand = pd.DataFrame(columns=["i", "j", "p_i", "p_j", "move_i", "move_j", "shift_i",
                                     "shift_j", "gain_i", "gain_j", "from_i", "to_i", "from_j",
                                     "to_j"])
    used = set()                      # (actor, issue) pairs already traded this round
    made = np.zeros(len(cand), dtype=bool)
    Y = X.copy()
    ci, cj = cand["i"].to_numpy(int), cand["j"].to_numpy(int)
    pi_, pj_ = cand["p_i"].to_numpy(int), cand["p_j"].to_numpy(int)
    to_i, to_j = cand["to_i"].to_numpy(float), cand["to_j"].to_numpy(float)
    for k, (i, j, qi, pj) in enumerate(zip(ci.tolist(), cj.tolist(), pi_.tolist(),
                                           pj_.tolist(), strict=True)):
        if (i, qi) in used or (i, pj) in used or (j, qi) in used or (j, pj) in used:
            continue
        made[k] = True
        used.update(((i, qi), (i, pj), (j, qi), (j, pj)))
        Y[qi, i] = to_i[k]
        Y[pj, j] = to_j[k]
    a_arr, i_arr = np.asarray(actors, dtype=object), np.asarray(issues, dtype=object)
    out = pd.DataFrame({"actor_i": a_arr[ci], "actor_j": a_arr[cj], "issue_i": i_arr[pi_],
                        "issue_j": i_arr[pj_]})
    for col in cols[4:]:
        out[col] = cand[col].to_numpy(dtype=float)
    out["made"] = made
    exchanges = out[out["made"]].drop(columns="made").reset_index(drop=True)
    pos = tab.copy()
    newpos = Y[ri, ra]
    pos["moved"] = newpos - pos["position"].to_numpy()
    pos["position"] = newpos
    O1 = np.nansum(Wt * np.nan_to_num(Y), axis=1) / W
    forecast = pd.DataFrame({"forecast": O1, "before": O0, "shift": O1 - O0},
                            index=pd.Index(issues, name="issue"))
    return ExchangeResult(exchanges=exchanges, candidates=out, positions=pos, forecast=forecast)
