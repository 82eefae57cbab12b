"""The exact Pareto frontier of a multi-issue negotiation, without enumerating the packages.

The packages nobody can improve for one side without hurting the other form the **Pareto
frontier**. Package utilities are sums over issues, so the set of packages is the Minkowski sum
of the per-issue option sets and the frontier is merged issue by issue (docs/methods/value.md
§2). :func:`merge_frontier` is the merge on plain arrays (reused by the Monte Carlo of
:mod:`powerkit.value.robustness`); :func:`pareto_frontier` the table-in, table-out method.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .utilities import option_space, packages_frame

__all__ = ["GRID_BITS", "grid_step", "merge_frontier", "pareto_frontier", "given_frontier"]

GRID_BITS = 30  # final utilities are compared on a grid of 2**-30 of the largest achievable total


def grid_step(side) -> float:
    """Grid step of one side: 2**-30 of the largest achievable |utility| (a power of two).

    ``side``: the side's contributions, one array per issue. Final utilities are compared after
    rounding to this grid, so ties in the data stay ties whatever the order of addition.

    >>> grid_step([np.array([0.5, 0.25]), np.array([0.5])])
    9.313225746154785e-10
    """
    top = sum(float(np.abs(a).max()) for a in side)
    return 2.0 ** (math.ceil(math.log2(top)) - GRID_BITS) if top > 0 else 1.0


def _quantise(x: np.ndarray, step: float) -> np.ndarray:
    return np.floor(x / step + 0.5).astype(np.int64)


def _front_mask(u: np.ndarray, t: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Indices of the points not weakly dominated, one per duplicate (smallest key), by u desc."""
    order = np.lexsort((key, -t, -u))
    ts = t[order]
    keep = np.empty(len(order), dtype=bool)
    keep[0] = True
    if len(order) > 1:
        keep[1:] = ts[1:] > np.maximum.accumulate(ts)[:-1]
    return order[keep]


def merge_frontier(U: list[np.ndarray], T: list[np.ndarray], step_u: float,
                   step_t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Frontier of the Minkowski sum of per-issue option sets, issue by issue.

    Partial packages are pruned on their exact floating-point sums (float addition is
    monotone, so a partial package weakly dominated in floats stays weakly dominated, or
    equal, after any completion); the last stage compares the sums rounded to the grid.
    Returns (u, t, choice) with choice[k, i] the option index of issue i in frontier package
    k, packages sorted by u descending.
    """
    fu = np.zeros(1)
    ft = np.zeros(1)
    rank = np.zeros(1, dtype=np.int64)
    parents, choices = [], []
    n = len(U)
    for i, (u, t) in enumerate(zip(U, T, strict=True)):
        m = len(u)
        opts = _front_mask(u, t, np.arange(m))               # the issue's own frontier
        cu = (fu[:, None] + u[opts][None, :]).ravel()
        ct = (ft[:, None] + t[opts][None, :]).ravel()
        key = (rank[:, None] * m + opts[None, :]).ravel()    # lexicographic order of packages
        if i == n - 1:
            sel = _front_mask(_quantise(cu, step_u), _quantise(ct, step_t), key)
        else:
            sel = _front_mask(cu, ct, key)
        parents.append(sel // len(opts))
        choices.append(opts[sel % len(opts)])
        fu, ft = cu[sel], ct[sel]
        rank = np.empty(len(sel), dtype=np.int64)
        rank[np.argsort(key[sel], kind="stable")] = np.arange(len(sel))
    choice = np.empty((len(fu), n), dtype=np.int64)
    idx = np.arange(len(fu))
    for i in range(n - 1, -1, -1):
        choice[:, i] = choices[i][idx]
        idx = parents[i][idx]
    return fu, ft, choice


def pareto_frontier(options: pd.DataFrame) -> pd.DataFrame:
    """Every Pareto-efficient package, exactly, without enumerating the packages.

    A package is removed when another package is at least as good for both sides and better for
    one (weak dominance). Among packages with equal utilities one is kept: the first in
    lexicographic order of option positions (issues and options in table order). "Equal" means
    equal after rounding both utilities to a grid of 2⁻³⁰ (≈10⁻⁹) of the largest achievable
    utility, so that ties in the data (0.1 + 0.7 and 0.4 + 0.4) stay ties although floating-point
    sums differ in the last bits.

    Algorithm: the utilities of a package are sums over issues, so the set of packages is the
    Minkowski sum of the per-issue option sets. A package whose partial sum over the first k
    issues is weakly dominated by another partial package is itself weakly dominated (swap the
    first k choices), so the frontier is built issue by issue: combine the current frontier with
    the next issue's own frontier, sort by (us desc, them desc, lexicographic key) and keep a
    point only if its ``them`` beats the running maximum (one numpy sweep); back-pointers keep
    each package's composition. Cost: Σ_k |F_{k-1}|·m_k·log of the intermediate frontier
    sizes, not the product of the option counts (the frontier itself can still be large when
    every package trades one side against the other exactly).

    Parameters
    ----------
    options : DataFrame
        Columns ``issue, option, us, them`` (see :func:`powerkit.value.score_options`).

    Returns
    -------
    DataFrame
        One row per efficient package, sorted by ``us`` descending: a column per issue (the
        chosen option), then ``us`` and ``them``.

    Raises
    ------
    ValueError
        When ``options`` lacks a column, repeats an (issue, option), or holds NaN.

    Examples
    --------
    Two issues; "a" is worth more to us, "b" to them, so each side takes its own priority:

    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["mine", "yours"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> pareto_frontier(o)
           a      b   us  them
    0   mine   mine  1.0   0.0
    1   mine  yours  0.7   0.8
    2  yours  yours  0.0   1.0

    References
    ----------
    Kung, H. T., Luccio, F. & Preparata, F. P. (1975). On finding the maxima of a set of
    vectors. *Journal of the ACM* 22(4), 469–476.
    """
    space = option_space(options, "pareto_frontier")
    choice = merge_frontier(list(space.us), list(space.them), grid_step(space.us),
                            grid_step(space.them))[2]
    return packages_frame(space, choice)


def given_frontier(options: pd.DataFrame, frontier, func: str) -> pd.DataFrame:
    """``frontier`` when given (checked to be a table with ``us, them``), else
    :func:`pareto_frontier` of ``options``: the methods that take an optional precomputed
    frontier call this (``func`` names the caller in the error message).

    >>> o = pd.DataFrame({"issue": ["a", "a"], "option": ["x", "y"], "us": [1, 0], "them": [0, 1]})
    >>> len(given_frontier(o, None, "f"))
    2
    """
    if frontier is None:
        return pareto_frontier(options)
    if not isinstance(frontier, pd.DataFrame) or not {"us", "them"} <= set(frontier.columns):
        raise bad_argument("frontier", func, "None or the DataFrame returned by pareto_frontier",
                           type(frontier).__name__)
    return frontier
