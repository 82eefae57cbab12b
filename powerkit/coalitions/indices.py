"""Voting power indices of a weighted voting game: Shapley–Shubik and Banzhaf (Penrose).

* :func:`power_indices` — exact by dynamic programming over weight sums (generating functions,
  evaluated modulo 2⁶⁴ and 40-bit primes and rebuilt by the Chinese remainder theorem), never
  by enumerating coalitions; a seeded Monte Carlo estimate with confidence intervals for
  non-integer weights or games too large for the exact method;
* :func:`swing_counts` — Banzhaf's raw counts; :func:`dummy_players` — players with none;
* :func:`voting_power_table` — vote weight beside voting power.

Formulas and references: docs/methods/coalitions.md §1–§2.
"""
from __future__ import annotations

import math
from fractions import Fraction
from numbers import Integral, Real

import numpy as np
import pandas as pd

from ..errors import InvalidGameError, bad_argument
from .games import as_quota, as_weights, integer_game, is_integral

__all__ = ["power_indices", "swing_counts", "voting_power_table", "dummy_players"]


# ---------------------------------------------------------------------------------------------
# exact counting: generating functions evaluated in modular arithmetic, rebuilt by CRT
# ---------------------------------------------------------------------------------------------
_PRIME_BITS = 40          # residues < 2^40: sums of up to 2^23 of them fit in uint64
_REDUCE_EVERY = 20        # a step at most doubles the entries: 2^(40+20) < 2^64, reduce then
_MAX_CELLS = 60_000_000   # (n + 1) × quota cells of the size-by-weight table, per modulus


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    small = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)
    for p in small:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for a in small:  # deterministic for n < 3.3·10²⁴ (Sorenson & Webster 2015)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _primes(k: int) -> tuple[int, ...]:
    """The k largest primes below 2^40 (a few per hundred players: recomputed, no cache)."""
    out, c = [], (1 << _PRIME_BITS) - 1
    while len(out) < k:
        if _is_prime(c):
            out.append(c)
        c -= 2
    return tuple(out)


def _moduli(max_bits: int) -> tuple[int, ...]:
    """Moduli whose product exceeds 2^max_bits: 2^64 (free uint64 wrap-around) then primes."""
    k = max(0, -(-(max_bits - 63) // (_PRIME_BITS - 1)))
    return (0,) + _primes(k)  # 0 stands for 2^64


def _crt(res: np.ndarray, mods: tuple[int, ...]) -> np.ndarray:
    """Rebuild exact non-negative integers from residues ``res[m, ...]`` (Garner's algorithm)."""
    x = res[0].astype(object)
    M = 1 << 64
    for i, p in enumerate(mods[1:], start=1):
        inv = pow(M % p, -1, p)
        r = res[i].astype(object)
        t = ((r - x % p) * inv) % p
        x = x + M * t
        M *= p
    return x


def _size_weight_table(w: list[int], q: int, mods: tuple[int, ...]) -> np.ndarray:
    """C[m, s, k] = number of coalitions of size s and weight k < q, modulo mods[m].

    The generating function Π (1 + y·x^wᵢ) truncated at x^q, built one player at a time
    (``C[s, k] += C[s−1, k−w]``) in uint64: layer 0 wraps modulo 2^64, the others are reduced
    modulo 40-bit primes every 20 steps (a step at most doubles an entry, so nothing overflows).
    """
    n, m = len(w), len(mods)
    C = np.zeros((m, n + 1, q), dtype=np.uint64)
    C[:, 0, 0] = 1
    pv = np.array(mods[1:], dtype=np.uint64)[:, None, None]
    top = 0
    for wi in w:
        if wi >= q:
            continue  # such a player only adds coalitions of weight ≥ q: outside the table
        top += 1
        C[:, 1:top + 1, wi:] += C[:, :top, :q - wi]
        if m > 1 and top % _REDUCE_EVERY == 0:
            C[1:, :top + 1] %= pv
    if m > 1:
        C[1:] %= pv
    return C


def _window_counts(w: list[int], q: int, classes: list[int], sizes: bool) -> tuple[dict, tuple]:
    """For each weight class w, T[s] = # coalitions S of the *other* players with |S| = s and
    q − w ≤ w(S) ≤ q − 1 (player decisive), exact Python ints. ``sizes=False`` sums over s.

    With CUM[s, k] = Σ_{k'≤k} C[s, k'] of all n players, removing one player of weight w
    (deconvolution of the factor 1 + y·xʷ) gives the window count
        T[s] = Σ_j (−1)^j (CUM[s−j, q−1−jw] − CUM[s−j, q−1−(j+1)w]),
    an alternating sum of O(min(n, q/w)) table look-ups per size (docs/methods/coalitions.md).
    """
    n = len(w)
    mods = _moduli(n + 1)
    m = len(mods)
    pv = np.array(mods[1:], dtype=np.uint64)
    if sizes:
        C = _size_weight_table(w, q, mods)
    else:
        C = _size_weight_table_1d(w, q, mods)
    CUM = np.cumsum(C, axis=2, dtype=np.uint64)
    if m > 1:
        CUM[1:] %= pv[:, None, None]
    nsz = C.shape[1]
    out = {}
    for wc in classes:
        rows = n if sizes else 1
        if wc == 0:
            out[wc] = [0] * rows
            continue
        J = (q - 1) // wc + 1
        if sizes:
            J = min(n, J)  # j ≤ s ≤ n − 1
        j = np.arange(J)
        hi = q - 1 - j * wc
        lo = hi - wc
        if sizes:
            s = np.arange(n)[:, None]
            S = s - j[None, :]
        else:
            S = np.zeros((1, J), dtype=np.int64)
        valid = (S >= 0) & (S < nsz) & (hi[None, :] >= 0)
        Sc = np.where(valid, S, 0)
        hic = np.where(hi >= 0, hi, 0)[None, :]
        loc = np.where(lo >= 0, lo, 0)[None, :]
        a = CUM[:, Sc, np.broadcast_to(hic, Sc.shape)]
        b = CUM[:, Sc, np.broadcast_to(loc, Sc.shape)]
        b = np.where((lo >= 0)[None, None, :], b, np.uint64(0))
        vals = _signed_window_sum(a, b, valid, j, pv, mods)
        out[wc] = [int(v) for v in vals]
    return out, mods


def _size_weight_table_1d(w: list[int], q: int, mods: tuple[int, ...]) -> np.ndarray:
    """C[m, 0, k] = number of coalitions of weight k < q (all sizes), modulo mods[m]."""
    m = len(mods)
    C = np.zeros((m, 1, q), dtype=np.uint64)
    C[:, 0, 0] = 1
    pv = np.array(mods[1:], dtype=np.uint64)[:, None]
    step = 0
    for wi in w:
        if wi >= q:
            continue
        step += 1
        C[:, 0, wi:] += C[:, 0, :q - wi]
        if m > 1 and step % _REDUCE_EVERY == 0:
            C[1:, 0] %= pv
    if m > 1:
        C[1:, 0] %= pv
    return C


def _exact_counts(w: list[int], q: int, sizes: bool):
    """Window counts per weight class, using the smaller of the game and its dual.

    A player of weight w is decisive for S ⊆ others with q − w ≤ w(S) ≤ q − 1 iff the
    complement S' = others ∖ S has (W − q + 1) − w ≤ w(S') ≤ (W − q + 1) − 1 and
    |S'| = n − 1 − |S|: the same count with quota q* = W − q + 1 and sizes mirrored. Both indices
    are symmetric under s ↔ n − 1 − s, so the table is built for min(q, q*) only.
    """
    W = sum(w)
    q_eff = min(q, W - q + 1)
    n = len(w)
    cells = (n + 1 if sizes else 1) * q_eff
    if cells > _MAX_CELLS:
        raise InvalidGameError(
            f"power_indices: the exact method needs a table of {cells:,} cells for this game "
            f"({n} players, effective quota {q_eff}); that is more than {_MAX_CELLS:,}. "
            f"Use method='monte_carlo' (or smaller integer weights).")
    classes = sorted(set(w))
    if not sizes:
        return _window_counts_1d(w, q_eff, classes)
    counts, _ = _window_counts(w, q_eff, classes, sizes)
    return counts


def _signed_window_sum(a, b, valid, j, pv, mods):
    """Σ_j (−1)^j (a − b) over the last axis, exactly: layer 0 of ``a``/``b`` holds counts
    mod 2⁶⁴, the other layers counts mod the primes ``pv``; the residues are combined by the
    Chinese remainder theorem (:func:`_crt`). ``a`` is changed in place."""
    m = len(mods)
    if m > 1:
        a[1:] += pv[:, None, None]  # prime layers stay in [0, 2p) after the subtraction
    d = np.where(valid[None], a - b, np.uint64(0))  # layer 0 wraps mod 2^64
    even = (j % 2 == 0)[None, None, :]
    pos = np.where(even, d, np.uint64(0)).sum(axis=2, dtype=np.uint64)
    neg = np.where(even, np.uint64(0), d).sum(axis=2, dtype=np.uint64)
    res = np.empty_like(pos)
    res[0] = pos[0] - neg[0]
    if m > 1:
        p2 = pv[:, None]
        res[1:] = (pos[1:] % p2 + p2 - neg[1:] % p2) % p2
    return _crt(res, mods) if m > 1 else res[0].astype(object)


def _window_counts_1d(w: list[int], q: int, classes: list[int]) -> dict:
    """Swings per weight class (all sizes at once): the 1-D case of :func:`_window_counts`,
    vectorised over the classes, T(w) = Σ_j (−1)^j (CUM[q−1−jw] − CUM[q−1−(j+1)w])."""
    n = len(w)
    mods = _moduli(n + 1)
    m = len(mods)
    pv = np.array(mods[1:], dtype=np.uint64)
    CUM = np.cumsum(_size_weight_table_1d(w, q, mods)[:, 0, :], axis=1, dtype=np.uint64)
    if m > 1:
        CUM[1:] %= pv[:, None]
    wc = np.array([c for c in classes if c > 0], dtype=np.int64)
    out = {0: [0]} if 0 in classes else {}
    if len(wc) == 0:
        return out
    J = (q - 1) // int(wc.min()) + 1
    j = np.arange(J)
    hi = q - 1 - j[None, :] * wc[:, None]            # (classes, J)
    lo = hi - wc[:, None]
    valid = hi >= 0
    a = CUM[:, np.where(valid, hi, 0)]                # (m, classes, J)
    b = np.where((lo >= 0)[None], CUM[:, np.where(lo >= 0, lo, 0)], np.uint64(0))
    vals = _signed_window_sum(a, b, valid, j, pv, mods)
    out.update({int(c): [int(v)] for c, v in zip(wc, vals, strict=True)})
    return out


def swing_counts(weights, quota) -> pd.Series:
    """Exact number of swings of each player (Banzhaf's raw count), by generating functions.

    A swing of player i is a coalition S of the *other* players that loses without i and wins
    with i: ``quota − wᵢ ≤ w(S) < quota``. Counted with one O(n·quota) pass over weight sums
    (no enumeration), exactly for any number of players.

    Parameters
    ----------
    weights : mapping, Series or sequence
        Player → non-negative integer weight.
    quota : number
        A coalition wins when its total weight is at least ``quota`` (0 < quota ≤ total).

    Returns
    -------
    pandas.Series
        Swings per player (Python ints when they exceed int64), indexed like ``weights``.

    Raises
    ------
    InvalidGameError
        Invalid weights or quota.

    Examples
    --------
    EEC Council of Ministers, 1958: [12; 4, 4, 4, 2, 2, 1] — Luxembourg never swings.

    >>> swing_counts({"FR": 4, "DE": 4, "IT": 4, "BE": 2, "NL": 2, "LU": 1}, 12).tolist()
    [10, 10, 10, 6, 6, 0]

    References
    ----------
    Banzhaf, J. F. (1965). Weighted voting doesn't work: a mathematical analysis.
    *Rutgers Law Review* 19(2), 317–343.
    """
    func = "swing_counts"
    w = as_weights(weights, func, integer=True)
    q = as_quota(quota, float(w.sum()), func)
    wi, qi = integer_game(w, q)
    counts = _exact_counts(wi, qi, sizes=False)
    sw = [counts[x][0] for x in wi]
    return _int_series(sw, w.index, "swings")


def _int_series(values: list[int], index, name: str) -> pd.Series:
    big = any(v >= 2 ** 63 for v in values)
    return pd.Series(values, index=index, name=name, dtype=object if big else np.int64)

def power_indices(weights, quota, *, exact: bool = False, method: str = "auto",
                  n_samples: int = 20_000, seed=None, confidence: float = 0.95) -> pd.DataFrame:
    """Shapley–Shubik and Banzhaf power of each player of a weighted voting game.

    A coalition wins when its total weight reaches the quota. The Shapley–Shubik index of i is
    the share of the n! voting orders in which i's vote turns a losing coalition into a winning
    one; the Banzhaf (Penrose) measure is the share of the 2ⁿ⁻¹ coalitions of the others for
    which i's vote is decisive (a *swing*); normalised, the Banzhaf index divides i's swings by
    everyone's. Exact method: generating functions over weight sums (and sizes, for
    Shapley–Shubik), evaluated modulo 2⁶⁴ and 40-bit primes and rebuilt by the Chinese remainder
    theorem — exact for any number of players, never enumerating coalitions
    (docs/methods/coalitions.md).

    Parameters
    ----------
    weights : mapping, Series or sequence
        Player → non-negative weight (a sequence names players 0..n−1). Players must be unique.
    quota : number
        Votes needed to win, 0 < quota ≤ total weight.
    exact : bool, default False
        Return exact :class:`fractions.Fraction` values (object columns) instead of floats.
        The floats are the exact rationals correctly rounded.
    method : {"auto", "exact", "monte_carlo"}, default "auto"
        "auto" uses the exact method for integer weights when the counting table fits
        (≤ 6·10⁷ cells), Monte Carlo otherwise.
    n_samples : int, default 20000
        Monte Carlo samples (random orders for Shapley–Shubik, random coalitions for Banzhaf).
    seed : None, int or numpy Generator
        Seed of the Monte Carlo estimate (reproducible when given).
    confidence : float, default 0.95
        Level of the Monte Carlo (Wilson) confidence intervals.

    Returns
    -------
    pandas.DataFrame
        Indexed by player: ``shapley_shubik``, ``banzhaf`` (normalised, sums to 1),
        ``banzhaf_absolute`` (Penrose: swings / 2ⁿ⁻¹) and ``swings``. Monte Carlo adds
        ``*_low``/``*_high`` interval columns for ``shapley_shubik`` and ``banzhaf_absolute``
        (its ``swings`` is an estimate). ``.attrs`` holds the inputs: ``weights``, ``quota``,
        ``method`` (and ``n_samples``, ``confidence``).

    Raises
    ------
    InvalidGameError
        Duplicate players, negative or non-numeric weights, quota ≤ 0 or above the total,
        non-integer weights with ``method="exact"``, or a game too large for the exact table.

    Examples
    --------
    UN Security Council since 1965, [39; 7×5, 1×10] (permanent members hold a veto):

    >>> w = {**{p: 7 for p in ["CN", "FR", "RU", "UK", "US"]}, **{f"E{i}": 1 for i in range(10)}}
    >>> t = power_indices(w, 39, exact=True)
    >>> t.loc["US", "shapley_shubik"], t.loc["E0", "shapley_shubik"]
    (Fraction(421, 2145), Fraction(4, 2145))
    >>> int(t.loc["US", "swings"]), int(t.loc["E0", "swings"])
    (848, 84)

    References
    ----------
    Shapley, L. S. & Shubik, M. (1954). A method for evaluating the distribution of power in a
    committee system. *American Political Science Review* 48(3), 787–792.
    Banzhaf, J. F. (1965). Weighted voting doesn't work. *Rutgers Law Review* 19, 317–343.
    Penrose, L. S. (1946). The elementary statistics of majority voting. *JRSS* 109(1), 53–57.
    Brams, S. J. & Affuso, P. J. (1976). Power and size: a new paradox. *Theory and Decision*
    7, 29–56 (generating functions).
    """
    func = "power_indices"
    if method not in ("auto", "exact", "monte_carlo"):
        raise bad_argument("method", func, "one of 'auto', 'exact', 'monte_carlo'", method,
                           error=InvalidGameError)
    w = as_weights(weights, func, integer=(method == "exact"))
    q = as_quota(quota, float(w.sum()), func)
    if method == "auto":
        method = "exact"
        if not is_integral(w):
            method = "monte_carlo"
        else:
            wi, qi = integer_game(w, q)
            if (len(wi) + 1) * min(qi, sum(wi) - qi + 1) > _MAX_CELLS:
                method = "monte_carlo"
    if method == "monte_carlo":
        if exact:
            raise bad_argument("exact", func, "False with the Monte Carlo method (an estimate "
                               "is not exact)", exact, error=InvalidGameError)
        return _power_indices_mc(w, q, n_samples, seed, confidence)
    wi, qi = integer_game(w, q)
    n = len(wi)
    counts = _exact_counts(wi, qi, sizes=True)
    fact = [math.factorial(k) for k in range(n + 1)]
    coef = [fact[s] * fact[n - 1 - s] for s in range(n)]
    ss_num = {c: sum(t * f for t, f in zip(T, coef, strict=True)) for c, T in counts.items()}
    sw_cls = {c: sum(T) for c, T in counts.items()}
    swings = [sw_cls[x] for x in wi]
    total_sw = sum(swings)
    denom_ss, denom_bz = fact[n], 1 << (n - 1)
    if exact:
        ss = [Fraction(ss_num[x], denom_ss) for x in wi]
        bz = [Fraction(s, total_sw) for s in swings]
        ab = [Fraction(s, denom_bz) for s in swings]
        dtype = object
    else:
        ss = [ss_num[x] / denom_ss for x in wi]
        bz = [s / total_sw for s in swings]
        ab = [s / denom_bz for s in swings]
        dtype = float
    out = pd.DataFrame({"shapley_shubik": pd.Series(ss, index=w.index, dtype=dtype),
                        "banzhaf": pd.Series(bz, index=w.index, dtype=dtype),
                        "banzhaf_absolute": pd.Series(ab, index=w.index, dtype=dtype),
                        "swings": _int_series(swings, w.index, "swings")})
    out.index.name = w.index.name
    out.attrs.update(weights=w.to_dict(), quota=q, method="exact")
    return out


def _wilson(k: np.ndarray, n: int, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _power_indices_mc(w: pd.Series, q: float, n_samples, seed, confidence) -> pd.DataFrame:
    func = "power_indices"
    if isinstance(n_samples, bool) or not isinstance(n_samples, Integral) or n_samples < 100:
        raise bad_argument("n_samples", func, "an integer ≥ 100", n_samples,
                           error=InvalidGameError)
    if not isinstance(confidence, Real) or not 0 < confidence < 1:
        raise bad_argument("confidence", func, "a number in (0, 1)", confidence,
                           error=InvalidGameError)
    rng = np.random.default_rng(seed)
    x = w.to_numpy(dtype=float)
    n = len(x)
    eps = 1e-9 * max(1.0, q)  # tolerance for sums of non-integer weights
    piv = np.zeros(n, dtype=np.int64)
    sw = np.zeros(n, dtype=np.int64)
    chunk = max(1, min(n_samples, 2_000_000 // max(n, 1)))
    done = 0
    while done < n_samples:
        b = min(chunk, n_samples - done)
        perm = np.argsort(rng.random((b, n)), axis=1)
        cw = np.cumsum(x[perm], axis=1)
        pos = np.argmax(cw >= q - eps, axis=1)
        piv += np.bincount(perm[np.arange(b), pos], minlength=n)
        inside = rng.random((b, n)) < 0.5
        t = inside.astype(float) @ x
        others = t[:, None] - inside * x[None, :]
        sw += ((others < q - eps) & (others + x[None, :] >= q - eps)).sum(axis=0)
        done += b
    ss = piv / n_samples
    ab = sw / n_samples
    ss_lo, ss_hi = _wilson(piv, n_samples, confidence)
    ab_lo, ab_hi = _wilson(sw, n_samples, confidence)
    bz = ab / ab.sum() if ab.sum() > 0 else np.full(n, np.nan)
    out = pd.DataFrame({"shapley_shubik": ss, "banzhaf": bz, "banzhaf_absolute": ab,
                        "swings": ab * 2.0 ** (n - 1),
                        "shapley_shubik_low": ss_lo, "shapley_shubik_high": ss_hi,
                        "banzhaf_absolute_low": ab_lo, "banzhaf_absolute_high": ab_hi},
                       index=w.index)
    out.attrs.update(weights=w.to_dict(), quota=q, method="monte_carlo", n_samples=n_samples,
                     confidence=confidence)
    return out


def voting_power_table(weights, quota, **kwargs) -> pd.DataFrame:
    """Vote weight beside voting power: where they differ is where the surface misleads.

    Parameters
    ----------
    weights, quota
        The game, as in :func:`power_indices`.
    **kwargs
        Passed to :func:`power_indices` (``method``, ``seed``, …).

    Returns
    -------
    pandas.DataFrame
        ``weight``, ``weight_share`` (weight / total), the columns of :func:`power_indices`,
        ``power_vs_weight`` (Shapley–Shubik minus weight share), ``dummy`` and ``veto`` flags;
        sorted by Shapley–Shubik, largest first.

    Examples
    --------
    >>> t = voting_power_table({"A": 50, "B": 49, "C": 1}, 51)
    >>> t["shapley_shubik"].round(4).tolist(), t["dummy"].tolist()
    ([0.6667, 0.1667, 0.1667], [False, False, False])
    """
    pi = power_indices(weights, quota, **kwargs)
    w = pd.Series(pi.attrs["weights"], dtype=float)
    w.index = pi.index
    out = pd.DataFrame({"weight": w, "weight_share": w / w.sum()}).join(pi)
    out["power_vs_weight"] = out["shapley_shubik"].astype(float) - out["weight_share"]
    q = pi.attrs["quota"]
    out["dummy"] = out["swings"].astype(float) == 0
    out["veto"] = (w.sum() - w) < q - 1e-9
    out.attrs.update(pi.attrs)
    return out.sort_values("shapley_shubik", ascending=False, kind="stable")

def dummy_players(weights, quota) -> list:
    """Players who are never decisive (zero swings, zero power) however many votes they hold.

    Examples
    --------
    Nassau County Board of Supervisors, 1958, [16; 9, 9, 7, 3, 1, 1]:

    >>> dummy_players({"H1": 9, "H2": 9, "NH": 7, "OB": 3, "LB": 1, "GC": 1}, 16)
    ['OB', 'LB', 'GC']
    """
    sw = swing_counts(weights, quota)
    return [p for p, s in sw.items() if s == 0]


