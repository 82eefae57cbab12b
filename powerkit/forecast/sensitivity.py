"""Whom to move, by how much: the sensitivity of a forecast to each actor's position and salience,
and how far an actor's position must move to shift the forecast by one unit towards our side.

Exact, in closed form, for the compromise model (the weighted mean); by finite differences and
a bisection on a monotone step function for the weighted median. docs/methods/forecast.md §7.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .compromise import TIE_TOL
from .table import check_table

__all__ = ["MODELS", "sensitivity", "median_of", "STEP"]

#: the models :func:`sensitivity` handles
MODELS = ("mean", "median")
#: relative step of the finite differences (× the issue's span of positions; salience: absolute)
STEP = 1e-6


def median_of(x: np.ndarray, w: np.ndarray) -> float:
    """The weighted median of positions x with weights w (lower median on an exact split), as
    :func:`~powerkit.forecast.compromise.weighted_median` computes it.

    >>> median_of(np.array([0.0, 4.0, 10.0]), np.array([1.0, 1.0, 3.0]))
    10.0
    """
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cum = np.cumsum(ws)
    total = cum[-1]
    k = int(np.argmax(cum >= total / 2.0 - TIE_TOL * total))
    return float(xs[k])


def _direction(ours, issue, forecast) -> float:
    """+1 when our position lies above the forecast (or is unknown), −1 below, 0 at it."""
    if ours is None:
        return 1.0
    o = ours.get(issue) if isinstance(ours, (dict, pd.Series)) else ours
    if o is None or (isinstance(o, float) and math.isnan(o)):
        return 1.0
    gap = float(o) - forecast
    return 0.0 if abs(gap) <= TIE_TOL * max(1.0, abs(forecast)) else math.copysign(1.0, gap)


def _median_shift(x, w, i, direction, span) -> float:
    """Smallest |Δ| such that moving actor i by direction·Δ shifts the weighted median by at least
    one unit in that direction (inf when no move can): the median is a non-decreasing step
    function of xᵢ, so bisection on Δ finds the step."""
    f0 = median_of(x, w)

    def shifted(d):
        y = x.copy()
        y[i] += direction * d
        return direction * (median_of(y, w) - f0) >= 1.0 - 1e-9

    hi = 1e6 * (span + 1.0)
    if not shifted(hi):
        return math.inf
    lo = 0.0
    while hi - lo > 1e-10 * (span + 1.0):
        mid = 0.5 * (lo + hi)
        if shifted(mid):
            hi = mid
        else:
            lo = mid
    return hi


def sensitivity(table, model: str = "mean", ours=None) -> pd.DataFrame:
    """How the forecast of each issue responds to each actor's position and salience.

    For the compromise model F = Σ wⱼxⱼ / W with wⱼ = cⱼsⱼ and W = Σ wⱼ, exactly:

    * ``d_position`` = ∂F/∂xᵢ = wᵢ / W (the share of the actor's weight: moving the actor one
      unit moves the forecast wᵢ/W units the same way);
    * ``d_salience`` = ∂F/∂sᵢ = cᵢ(xᵢ − F) / W;
    * ``to_shift_one`` = W / wᵢ: how far the actor's position must move (towards our side) to
      shift the forecast one unit towards our side; inf when wᵢ = 0.

    For the weighted median the derivatives are central finite differences (step
    :data:`STEP` × the issue's span of positions; salience one-sided at 0 and 1): the median is a
    step function, so ``d_position`` is 1 for an actor holding the median alone (moving it
    between its neighbours moves the median with it), 0 for the others, and ½ at a kink (an actor
    at the median whose move one way changes it and the other way does not), and ``to_shift_one`` is found by bisection (the
    median never moves against a voter's move).

    Parameters
    ----------
    table : pandas.DataFrame
        The positions table.
    model : {"mean", "median"}
    ours : float, dict or pandas.Series, optional
        Our position (per issue for a dict or Series); it sets "towards our side". None or NaN
        means towards the high end of the scale; ``direction`` says which was used.

    Returns
    -------
    pandas.DataFrame
        One row per actor × issue (the table's order): ``actor, issue, position, forecast,
        d_position, d_salience, direction`` (+1 up, −1 down, 0 when the forecast already sits at
        our position: then the shift asked for is upwards), ``to_shift_one`` and
        ``new_position`` (where the actor would have to stand; NaN when no position will do).

    Raises
    ------
    InputError
        If ``model`` is not one of :data:`MODELS`.

    Examples
    --------
    Weights 1 (at 0) and 3 (at 10): F = 7.5; moving the first actor one unit moves F by 1/4,
    so it must move 4 units to shift F by one.

    >>> t = pd.DataFrame({"actor": ["a", "b"], "issue": "x", "position": [0.0, 10.0],
    ...                   "salience": 1.0, "capability": [1.0, 3.0]})
    >>> s = sensitivity(t)
    >>> s[["d_position", "d_salience", "to_shift_one"]].round(4).to_numpy().tolist()
    [[0.25, -1.875, 4.0], [0.75, 1.875, 1.3333]]

    References
    ----------
    Thomson, R., Stokman, F. N., Achen, C. H. & König, T. (eds.) (2006). *The European Union
    Decides*. Cambridge University Press.
    """
    if model not in MODELS:
        raise bad_argument("model", "sensitivity", f"one of {', '.join(MODELS)}", model)
    t = check_table(table, "sensitivity")
    out = []
    for issue, g in t.groupby("issue", sort=False):
        x = g["position"].to_numpy(dtype=float)
        c = g["capability"].to_numpy(dtype=float)
        s = g["salience"].to_numpy(dtype=float)
        w = c * s
        W = float(w.sum())
        span = float(x.max() - x.min())
        if model == "mean":
            F = float(np.dot(w, x) / W)
            direction = _direction(ours, issue, F)
            dx = w / W
            ds = c * (x - F) / W
            move = np.divide(W, w, out=np.full(len(w), math.inf), where=w > 0)
        else:
            F = median_of(x, w)
            direction = _direction(ours, issue, F)
            h = STEP * max(span, 1.0)
            dx, ds, move = np.zeros(len(x)), np.zeros(len(x)), np.zeros(len(x))
            for i in range(len(x)):
                up, dn = x.copy(), x.copy()
                up[i] += h
                dn[i] -= h
                dx[i] = (median_of(up, w) - median_of(dn, w)) / (2 * h)
                lo_s, hi_s = max(s[i] - STEP, 0.0), min(s[i] + STEP, 1.0)
                sa, sb = s.copy(), s.copy()
                sa[i], sb[i] = lo_s, hi_s
                ds[i] = (median_of(x, c * sb) - median_of(x, c * sa)) / (hi_s - lo_s)
                move[i] = _median_shift(x, w, i, direction or 1.0, span)
        step = direction or 1.0
        out.append(pd.DataFrame({
            "actor": g["actor"].to_numpy(), "issue": issue, "position": x, "forecast": F,
            "d_position": dx, "d_salience": ds, "direction": direction,
            "to_shift_one": move,
            "new_position": np.where(np.isfinite(move), x + step * np.where(
                np.isfinite(move), move, 0.0), np.nan)}, index=g.index))
    return pd.concat(out).sort_index().reset_index(drop=True)
