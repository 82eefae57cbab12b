"""Exact Shapley attribution of a change in a headline to the input changes that made it.

With players N (the input changes, or groups of them) and the value v(S) of a headline on the
old deal with the changes in S applied, the Shapley value of player i is

    φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))

(Shapley 1953). The parts add up to the total, Σ φ_i = v(N) − v(∅) (efficiency); a change
that does not move the headline in any combination gets 0 (null player); two changes that act
only together share their joint effect equally (symmetry). It needs v on all 2ⁿ subsets, so it
is exact up to n = 12 (4,096 evaluations; Štrumbelj & Kononenko 2014 on why sampling is the
alternative beyond); more changes are grouped (by table) before attribution.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..errors import bad_argument

__all__ = ["shapley", "MAX_EXACT"]

#: the largest number of players attributed exactly (2ⁿ evaluations of the headline)
MAX_EXACT = 12


def shapley(n: int, value: Callable[[tuple[int, ...]], np.ndarray]) -> np.ndarray:
    """Exact Shapley values of ``n`` players for a vector-valued game.

    Parameters
    ----------
    n : int
        Number of players, 0 ≤ n ≤ :data:`MAX_EXACT`.
    value : callable
        ``value(S)`` for a sorted tuple of player indices: a float or an array of floats
        (several headlines attributed at once).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, k)``: the Shapley value of each player for each of the k values.

    Examples
    --------
    Two players who only create value together share it equally; a third adds 1 alone:

    >>> v = lambda S: float((0 in S and 1 in S) * 2 + (2 in S))
    >>> shapley(3, v).ravel().tolist()
    [1.0, 1.0, 1.0]
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_EXACT:
        raise bad_argument("n", "shapley", f"a whole number from 0 to {MAX_EXACT}", n)
    vals = [np.atleast_1d(np.asarray(value(tuple(i for i in range(n) if m >> i & 1)),
                                     dtype=float)) for m in range(1 << n)]
    v = np.vstack(vals)  # (2ⁿ, k), row m = v(players in bitmask m)
    out = np.zeros((n, v.shape[1]))
    fact = [math.factorial(k) for k in range(n + 1)]
    size = np.array([bin(m).count("1") for m in range(1 << n)])
    for i in range(n):
        bit = 1 << i
        without = np.array([m for m in range(1 << n) if not m & bit], dtype=int)
        w = np.array([fact[s] * fact[n - s - 1] / fact[n] for s in size[without]])
        out[i] = w @ (v[without | bit] - v[without])
    return out
