"""Uncertainty about the other side: a seeded Monte Carlo of the frontier and of P(beats BATNA).

(docs/methods/value.md §6.)
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .frontier import grid_step, merge_frontier, pareto_frontier
from .utilities import OptionSpace, option_space, package_choice, package_utilities

__all__ = ["MonteCarloResult", "monte_carlo", "p_beats_batna"]


@dataclass(frozen=True)
class MonteCarloResult:
    """Monte Carlo frontier band and the chance that packages beat their BATNA.

    ``band``: for a grid of our utility ``us``, quantiles of the best utility they can get
    while we get at least ``us`` (columns ``us``, ``them_q05``, ``them_q50``, ``them_q95`` for
    the default quantiles, plus ``them_nominal``). ``packages``: the packages evaluated (default
    the nominal frontier) with ``p_beats_batna`` = share of draws in which their utility exceeds
    ``batna_them`` and ``them_mean``. ``weights``: the settings (spreads, seed, draws).
    ``inputs``: their nominal weights and the ranges drawn. ``draws``: their contributions in
    every draw, one array (options of the issue × draws) per issue in table order, so that
    :func:`p_beats_batna` evaluates more packages on the very same draws.
    """

    band: pd.DataFrame
    packages: pd.DataFrame
    weights: dict
    inputs: pd.DataFrame
    draws: tuple = ()


def _spread(value, issues, func, param):
    if isinstance(value, Mapping):
        out = np.zeros(len(issues))
        for k, v in value.items():
            if k not in issues:
                raise bad_argument(param, func, "a number in [0, 1) or a mapping issue -> number; unknown issue", k)
            out[issues.index(k)] = float(v)
    else:
        try:
            out = np.full(len(issues), float(value))
        except (TypeError, ValueError):
            raise bad_argument(param, func, "a number in [0, 1) or a mapping issue -> number", value) from None
    if not (np.isfinite(out).all() and (out >= 0).all() and (out < 1).all()):
        raise bad_argument(param, func, "a number in [0, 1) (relative half-width of the range)", value)
    return out


def _their_model(options: pd.DataFrame, space: OptionSpace):
    """Their raw ratings and weights per issue (from the provenance columns if present)."""
    if {"them_rating", "them_weight"} <= set(options.columns):
        r, w = [], []
        for issue in space.issues:
            g = options[options["issue"] == issue]
            r.append(g["them_rating"].to_numpy(dtype=float))
            w.append(float(g["them_weight"].iloc[0]))
        return r, np.array(w)
    w = np.array([max(float(t.max()), 0.0) for t in space.them])
    return [np.clip(t, 0, None) for t in space.them], w


def monte_carlo(options: pd.DataFrame, n_draws: int = 1000, weight_spread=0.25,
                rating_spread=0.0, batna_them: float = 0.0, packages=None, seed: int | None = 0,
                quantiles=(0.05, 0.5, 0.95), grid: int = 101,
                enumerate_limit: int = 200_000) -> MonteCarloResult:
    """Frontier band and P(beats their BATNA) when their ratings and weights are uncertain.

    Each draw multiplies their issue weight by an independent uniform factor in
    ``[1 − s_w, 1 + s_w]`` (then renormalises the weights to their nominal total), and each of
    their ratings by a factor in ``[1 − s_r, 1 + s_r]`` (then renormalises by the issue's
    maximum), and recomputes their contributions. Our utilities are known. For every draw the
    exact frontier is computed (by enumeration up to ``enumerate_limit`` packages, else by
    :func:`pareto_frontier`'s merge) and read as ``f(u) = max{T : U ≥ u}`` on a grid of ``u``.

    Parameters
    ----------
    options : DataFrame
        The long table; their raw ratings and weights come from the provenance columns
        ``them_rating, them_weight`` (else the contributions are taken as ratings).
    n_draws : int ≥ 1
    weight_spread, rating_spread : float in [0, 1) or mapping issue -> float
        Relative half-widths of the ranges of their weights and ratings.
    batna_them : float
        Their BATNA in utility units.
    packages : DataFrame or list of mappings, optional
        Packages to evaluate; default the nominal frontier.
    seed : int or None
        Seed of ``numpy.random.default_rng``: the same seed gives the same result.
    quantiles : sequence of floats in [0, 1]
    grid : int ≥ 2
        Number of points of the ``us`` grid.
    enumerate_limit : int
        Up to this many packages, each draw's frontier is read off all packages at once
        (vectorised over draws); above it, merged issue by issue for each draw. Both give the
        same band.

    Returns
    -------
    MonteCarloResult

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> from powerkit.value import options_from_deal
    >>> o = options_from_deal(load_itex_cypress())
    >>> mc = monte_carlo(o, n_draws=200, batna_them=0.5, seed=1)
    >>> bool((mc.band["them_q05"] <= mc.band["them_q95"]).all())
    True
    >>> bool(mc.packages["p_beats_batna"].between(0, 1).all())
    True
    """
    return monte_carlo_of(options, option_space(options, "monte_carlo"), None, n_draws,
                          weight_spread, rating_spread, batna_them, packages, seed, quantiles,
                          grid, enumerate_limit)


def monte_carlo_of(options: pd.DataFrame, space: OptionSpace, nominal, n_draws: int = 1000,
                   weight_spread=0.25, rating_spread=0.0, batna_them: float = 0.0,
                   packages=None, seed: int | None = 0, quantiles=(0.05, 0.5, 0.95),
                   grid: int = 101, enumerate_limit: int = 200_000) -> MonteCarloResult:
    """:func:`monte_carlo` with ``options`` parsed (``space``) and its frontier ``nominal``
    (None: computed here) — what :func:`powerkit.value.what_if` calls."""
    func = "monte_carlo"
    if not isinstance(n_draws, int | np.integer) or n_draws < 1:
        raise bad_argument("n_draws", func, "an integer ≥ 1", n_draws)
    if not isinstance(grid, int | np.integer) or grid < 2:
        raise bad_argument("grid", func, "an integer ≥ 2", grid)
    q = np.asarray(quantiles, dtype=float)
    if q.ndim != 1 or not ((q >= 0) & (q <= 1)).all():
        raise bad_argument("quantiles", func, "a sequence of numbers in [0, 1]", quantiles)
    try:
        bt = float(batna_them)
    except (TypeError, ValueError):
        raise bad_argument("batna_them", func, "a number (utility units)", batna_them) from None
    issues = list(space.issues)
    sw = _spread(weight_spread, issues, func, "weight_spread")
    sr = _spread(rating_spread, issues, func, "rating_spread")
    rng = np.random.default_rng(seed)
    ratings, w0 = _their_model(options, space)
    n = len(issues)
    wd = w0[None, :] * rng.uniform(1 - sw, 1 + sw, size=(n_draws, n))
    tot = wd.sum(axis=1, keepdims=True)
    wd = np.where(tot > 0, wd / np.where(tot > 0, tot, 1.0) * w0.sum(), 0.0)
    C = []  # per issue: (m_i, D) their contributions
    for i in range(n):
        r = ratings[i][:, None] * rng.uniform(1 - sr[i], 1 + sr[i], size=(len(ratings[i]), n_draws))
        mx = r.max(axis=0, keepdims=True)
        C.append(np.where(mx > 0, r / np.where(mx > 0, mx, 1.0), 0.0) * wd[:, i][None, :])

    nominal = pareto_frontier(options) if nominal is None else nominal
    u_hi = float(nominal["us"].max())
    u_lo = min(0.0, float(sum(a.min() for a in space.us)))
    ugrid = np.linspace(u_lo, u_hi, grid)
    fvals = np.empty((grid, n_draws))
    sizes = space.sizes
    total = int(np.prod(sizes, dtype=object))
    if total <= enumerate_limit:
        choice = np.stack(np.unravel_index(np.arange(total), sizes), axis=1)
        U = sum(space.us[i][choice[:, i]] for i in range(n))
        order = np.argsort(-U, kind="stable")
        Us = U[order]
        ch = choice[order]
        cnt = np.searchsorted(-Us, -ugrid, side="right")  # packages with U ≥ u
        step = max(1, 4_000_000 // max(total, 1))
        for s in range(0, n_draws, step):
            sl = slice(s, min(n_draws, s + step))
            T = sum(C[i][ch[:, i], sl] for i in range(n))
            cm = np.maximum.accumulate(T, axis=0)
            fvals[:, sl] = cm[np.maximum(cnt - 1, 0), :]
    else:
        step_u = grid_step(space.us)
        for dd in range(n_draws):
            Td = [np.ascontiguousarray(c[:, dd]) for c in C]
            _, _, chf = merge_frontier(list(space.us), Td, step_u, grid_step(Td))
            fu = sum(space.us[i][chf[:, i]] for i in range(n))
            ft = sum(C[i][chf[:, i], dd] for i in range(n))
            o = np.argsort(-fu, kind="stable")
            fu, ft = fu[o], np.maximum.accumulate(ft[o])
            cnt = np.searchsorted(-fu, -ugrid, side="right")
            fvals[:, dd] = ft[np.maximum(cnt - 1, 0)]
    band = pd.DataFrame({"us": ugrid})
    for qq, col in zip(q, np.quantile(fvals, q, axis=1), strict=True):
        band[f"them_q{round(qq * 100):02d}"] = col
    nu, nt = nominal["us"].to_numpy(), nominal["them"].to_numpy()
    o = np.argsort(-nu, kind="stable")
    cnt = np.searchsorted(-nu[o], -ugrid, side="right")
    band["them_nominal"] = np.maximum.accumulate(nt[o])[np.maximum(cnt - 1, 0)]

    pk = nominal if packages is None else package_utilities(options, packages)
    pch = package_choice(space, pk, func)
    Tk = sum(C[i][pch[:, i], :] for i in range(n))
    pk = pk.reset_index(drop=True).copy()
    pk["p_beats_batna"] = (Tk > bt).mean(axis=1)
    pk["them_mean"] = Tk.mean(axis=1)
    settings = {"n_draws": int(n_draws), "seed": seed, "weight_spread": dict(zip(issues, sw.tolist(), strict=True)),
                "rating_spread": dict(zip(issues, sr.tolist(), strict=True)), "batna_them": bt}
    inputs = pd.DataFrame({"issue": issues, "them_weight": w0,
                           "weight_low": w0 * (1 - sw), "weight_high": w0 * (1 + sw),
                           "rating_spread": sr})
    return MonteCarloResult(band=band, packages=pk, weights=settings, inputs=inputs,
                            draws=tuple(C))


def p_beats_batna(mc: MonteCarloResult, options: pd.DataFrame, packages) -> np.ndarray:
    """The share of ``mc``'s draws in which each package is worth more to them than their BATNA.

    The same numbers as ``monte_carlo(options, ..., packages=packages)`` with ``mc``'s settings
    and seed (the draws do not depend on the packages), without drawing again.

    Parameters
    ----------
    mc : MonteCarloResult
        From :func:`monte_carlo` on ``options``.
    options : DataFrame
        The long table ``mc`` was drawn for.
    packages : mapping, list of mappings or DataFrame
        ``{issue: option}`` per package, or a DataFrame with a column per issue.

    Returns
    -------
    ndarray
        One probability per package.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> from powerkit.value import options_from_deal
    >>> o = options_from_deal(load_itex_cypress())
    >>> mc = monte_carlo(o, n_draws=50, batna_them=0.4, seed=2)
    >>> pk = mc.packages.drop(columns=["us", "them", "p_beats_batna", "them_mean"]).head(3)
    >>> bool((p_beats_batna(mc, o, pk) == mc.packages["p_beats_batna"].head(3)).all())
    True
    """
    return p_beats_of(mc, option_space(options, "p_beats_batna"), packages)


def p_beats_of(mc: MonteCarloResult, space: OptionSpace, packages) -> np.ndarray:
    """:func:`p_beats_batna` of a parsed options table."""
    func = "p_beats_batna"
    if not isinstance(mc, MonteCarloResult) or len(mc.draws) != len(space.issues):
        raise bad_argument("mc", func, "the monte_carlo result of these options", type(mc).__name__)
    pch = package_choice(space, packages, func)
    tk = sum(mc.draws[i][pch[:, i], :] for i in range(len(space.issues)))
    return (tk > mc.weights["batna_them"]).mean(axis=1)
