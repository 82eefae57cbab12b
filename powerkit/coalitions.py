"""Multi-party power: voting power, winning coalitions, coalition building, power mapping.

Who really holds power in a deciding body is rarely proportional to the votes they hold. This
module measures it and turns it into a plan:

* :func:`power_indices` — Shapley–Shubik and Banzhaf (Penrose) indices of a weighted voting game
  ``[quota; w₁, …, wₙ]``, exact by dynamic programming over weight sums (generating functions),
  never by enumerating coalitions; a seeded Monte Carlo estimate with confidence intervals for
  non-integer weights or games too large for the exact method;
* :func:`minimal_winning_coalitions`, :func:`minimal_blocking_coalitions`,
  :func:`pivotal_players`, :func:`pivot`, :func:`dummy_players`, :func:`veto_players`;
* :func:`coalition_plan` — from the current supporters, the order in which to win people over to
  reach a winning coalition at the least effort, using the influence network (an ally's move
  shifts the people who listen to them), sequential vs collective engagement;
* :func:`power_map` — Mendelow's power–interest grid and Mitchell, Agle & Wood's salience types;
* :func:`acceptable_packages` — packages of issue options acceptable to a winning coalition;
* :func:`report_section` — the section of the client report.

Every formula, with its reference and the test that checks it, is in docs/methods/coalitions.md.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from numbers import Integral, Real

import numpy as np
import pandas as pd

from .errors import PowerkitError

__all__ = [
    "InvalidGameError",
    "power_indices",
    "swing_counts",
    "voting_power_table",
    "is_winning",
    "is_blocking",
    "minimal_winning_coalitions",
    "minimal_blocking_coalitions",
    "count_minimal_winning_coalitions",
    "pivotal_players",
    "pivot",
    "dummy_players",
    "veto_players",
    "VotingGame",
    "voting_game",
    "effort_to_win",
    "cheapest_winning_set",
    "CoalitionPlan",
    "coalition_plan",
    "MENDELOW_ENGAGEMENT",
    "SALIENCE_TYPES",
    "mendelow_quadrant",
    "salience_type",
    "power_map",
    "package_utilities",
    "acceptable_packages",
    "CoalitionWhatIf",
    "what_if",
    "report_section",
]


class InvalidGameError(PowerkitError, ValueError):
    """The weights or quota do not describe a valid weighted voting game."""


# ---------------------------------------------------------------------------------------------
# argument checks
# ---------------------------------------------------------------------------------------------
def _bad(param: str, func: str, must: str, got) -> InvalidGameError:
    return InvalidGameError(f"The '{param}' parameter of {func} must be {must}. Got {got!r} instead.")


def _as_weights(weights, func: str, integer: bool | None = None) -> pd.Series:
    """Weights as a float Series indexed by player (validated: unique, finite, non-negative)."""
    if isinstance(weights, pd.Series):
        s = weights.copy()
    elif isinstance(weights, dict):
        s = pd.Series(weights, dtype=object)
    elif isinstance(weights, str | bytes) or not hasattr(weights, "__len__"):
        raise _bad("weights", func, "a mapping or Series player → non-negative weight "
                   "(or a sequence of weights)", weights)
    else:
        s = pd.Series(list(weights), dtype=object)
    if len(s) == 0:
        raise _bad("weights", func, "a non-empty mapping player → weight", weights)
    if s.index.has_duplicates:
        dup = list(dict.fromkeys(s.index[s.index.duplicated()]))[:5]
        raise InvalidGameError(f"The 'weights' parameter of {func} must name each player once. "
                               f"Got duplicate players {dup} instead.")
    vals = []
    for player, v in s.items():
        if isinstance(v, bool | np.bool_) or not isinstance(v, Real | np.number):
            raise InvalidGameError(f"The 'weights' parameter of {func} must hold numbers. "
                                   f"Got {v!r} for player {player!r} instead.")
        fv = float(v)
        if not math.isfinite(fv) or fv < 0:
            raise InvalidGameError(f"The 'weights' parameter of {func} must hold finite "
                                   f"non-negative numbers. Got {v!r} for player {player!r} "
                                   f"instead.")
        if integer and fv != int(fv):
            raise InvalidGameError(
                f"The 'weights' parameter of {func} must hold integers for the exact method. "
                f"Got {v!r} for player {player!r} instead; rescale the weights to integers or "
                f"use method='monte_carlo'.")
        vals.append(fv)
    out = pd.Series(vals, index=s.index, dtype=float, name="weight")
    if out.index.name is None:
        out.index.name = "player"
    return out


def _as_quota(quota, total: float, func: str) -> float:
    if isinstance(quota, bool | np.bool_) or not isinstance(quota, Real | np.number):
        raise _bad("quota", func, f"a number in (0, {total:g}] (the total weight)", quota)
    q = float(quota)
    if not math.isfinite(q) or q <= 0 or q > total:
        raise _bad("quota", func, f"a number in (0, {total:g}] (0 < quota ≤ total weight, so "
                   f"the empty coalition loses and the grand coalition wins)", quota)
    return q


def _is_integral(w: pd.Series) -> bool:
    return bool(np.all(w.to_numpy() == np.floor(w.to_numpy())))


def _int_game(w: pd.Series, q: float) -> tuple[list[int], int]:
    """Integer weights and quota, divided by their common divisor (same winning coalitions)."""
    wi = [int(x) for x in w.to_numpy()]
    qi = math.ceil(q - 1e-12) if abs(q - round(q)) < 1e-12 else math.ceil(q)
    g = math.gcd(*wi) if any(wi) else 1
    if g > 1:
        wi = [x // g for x in wi]
        qi = -(-qi // g)  # winning iff Σw ≥ q ⇔ Σw/g ≥ ceil(q/g)
    return wi, qi


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


@cache
def _primes(k: int) -> tuple[int, ...]:
    """The k largest primes below 2^40."""
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
        if m > 1:
            a[1:] += pv[:, None, None]
        d = a - b  # layer 0 wraps mod 2^64; prime layers stay in [0, 2p)
        d = np.where(valid[None], d, np.uint64(0))
        even = (j % 2 == 0)[None, None, :]
        pos = np.where(even, d, np.uint64(0)).sum(axis=2, dtype=np.uint64)
        neg = np.where(even, np.uint64(0), d).sum(axis=2, dtype=np.uint64)
        res = np.empty_like(pos)
        res[0] = pos[0] - neg[0]
        if m > 1:
            p2 = pv[:, None]
            res[1:] = (pos[1:] % p2 + p2 - neg[1:] % p2) % p2
        vals = _crt(res, mods) if m > 1 else res[0].astype(object)
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
    counts, _ = _window_counts(w, q_eff, classes, sizes)
    return counts


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
    w = _as_weights(weights, func, integer=True)
    q = _as_quota(quota, float(w.sum()), func)
    wi, qi = _int_game(w, q)
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
        raise _bad("method", func, "one of 'auto', 'exact', 'monte_carlo'", method)
    w = _as_weights(weights, func, integer=(method == "exact"))
    q = _as_quota(quota, float(w.sum()), func)
    if method == "auto":
        method = "exact"
        if not _is_integral(w):
            method = "monte_carlo"
        else:
            wi, qi = _int_game(w, q)
            if (len(wi) + 1) * min(qi, sum(wi) - qi + 1) > _MAX_CELLS:
                method = "monte_carlo"
    if method == "monte_carlo":
        if exact:
            raise _bad("exact", func, "False with the Monte Carlo method (an estimate is not "
                       "exact)", exact)
        return _power_indices_mc(w, q, n_samples, seed, confidence)
    wi, qi = _int_game(w, q)
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
        raise _bad("n_samples", func, "an integer ≥ 100", n_samples)
    if not isinstance(confidence, Real) or not 0 < confidence < 1:
        raise _bad("confidence", func, "a number in (0, 1)", confidence)
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


# ---------------------------------------------------------------------------------------------
# coalitions
# ---------------------------------------------------------------------------------------------
def _members(coalition, w: pd.Series, func: str) -> list:
    members = list(coalition)
    unknown = [m for m in members if m not in w.index]
    if unknown:
        raise _bad("coalition", func, f"players of the game ({list(w.index)[:6]}…)", unknown)
    return list(dict.fromkeys(members))


def is_winning(weights, quota, coalition) -> bool:
    """True when the coalition's total weight reaches the quota.

    Examples
    --------
    >>> is_winning({"A": 3, "B": 2, "C": 1}, 4, ["A", "C"])
    True
    """
    func = "is_winning"
    w = _as_weights(weights, func)
    q = _as_quota(quota, float(w.sum()), func)
    return bool(w[_members(coalition, w, func)].sum() >= q - 1e-9)


def is_blocking(weights, quota, coalition) -> bool:
    """True when the coalition can stop any decision: the others together cannot reach the quota.

    Examples
    --------
    EEC 1958 [12; 4,4,4,2,2,1]: France and Belgium (6 of 17) block, since 11 < 12.

    >>> is_blocking({"FR": 4, "DE": 4, "IT": 4, "BE": 2, "NL": 2, "LU": 1}, 12, ["FR", "BE"])
    True
    """
    func = "is_blocking"
    w = _as_weights(weights, func)
    q = _as_quota(quota, float(w.sum()), func)
    return bool(w.sum() - w[_members(coalition, w, func)].sum() < q - 1e-9)


def _mwc_search(w: pd.Series, q: float, limit: int):
    """Depth-first search in decreasing weight: each coalition that first reaches q is minimal.

    Sorted by decreasing weight, the last member added is a lightest one; a coalition that
    reaches q only with its last member loses when any member (weight ≥ the last) leaves.
    """
    order = w[w > 0].sort_values(ascending=False, kind="stable")
    names = list(order.index)
    vals = order.to_numpy(dtype=float)
    suffix = np.concatenate([np.cumsum(vals[::-1])[::-1], [0.0]])
    found: list[tuple] = []
    truncated = False
    stack = [(0, 0.0, ())]
    tol = 1e-9
    while stack:
        start, total, chosen = stack.pop()
        # push in reverse so that heavier players are explored first
        nxt = []
        for j in range(start, len(vals)):
            if total + suffix[j] < q - tol:
                break  # even all the remaining players cannot reach the quota
            t = total + vals[j]
            if t >= q - tol:
                found.append(chosen + (j,))
                if len(found) >= limit:
                    truncated = True
                    break
            else:
                nxt.append((j + 1, t, chosen + (j,)))
        if truncated:
            break
        stack.extend(reversed(nxt))
    return [tuple(names[i] for i in c) for c in found], truncated


def minimal_winning_coalitions(weights, quota, limit: int = 10_000) -> pd.DataFrame:
    """Every minimal winning coalition: it wins, and loses if any one member leaves.

    Found by a depth-first search in decreasing weight with pruning (a branch stops when even
    all remaining players cannot reach the quota), so only minimal winning coalitions are
    visited. Their number can grow exponentially: the search stops at ``limit``, warns, and
    records the exact total (counted by dynamic programming) in ``.attrs["total"]``.

    Parameters
    ----------
    weights, quota
        The game (non-negative weights, 0 < quota ≤ total).
    limit : int, default 10000
        Most coalitions to list.

    Returns
    -------
    pandas.DataFrame
        One row per coalition: ``members`` (tuple, heaviest first), ``size``, ``weight``,
        ``surplus`` (weight − quota); sorted by size, then weight. ``.attrs``: ``quota``,
        ``truncated``, ``total``.

    Raises
    ------
    InvalidGameError
        Invalid weights, quota or limit.

    Examples
    --------
    >>> mwc = minimal_winning_coalitions({"FR": 4, "DE": 4, "IT": 4, "BE": 2, "NL": 2, "LU": 1}, 12)
    >>> len(mwc), mwc["members"].iloc[0]
    (4, ('FR', 'DE', 'IT'))

    References
    ----------
    Riker, W. H. (1962). *The Theory of Political Coalitions*. Yale University Press.
    """
    func = "minimal_winning_coalitions"
    if isinstance(limit, bool) or not isinstance(limit, Integral) or limit < 1:
        raise _bad("limit", func, "a positive integer", limit)
    w = _as_weights(weights, func)
    q = _as_quota(quota, float(w.sum()), func)
    found, truncated = _mwc_search(w, q, int(limit))
    total = len(found)
    if truncated:
        total = (count_minimal_winning_coalitions(w, q) if _is_integral(w) else None)
        warnings.warn(f"{func}: listed the first {limit} of {total or 'more'} minimal winning "
                      f"coalitions; raise 'limit' to see more.", stacklevel=2)
    return _coalition_frame(found, w, q, truncated, total)


def _coalition_frame(found, w, q, truncated, total) -> pd.DataFrame:
    df = pd.DataFrame({"members": pd.Series(found, dtype=object),
                       "size": [len(c) for c in found],
                       "weight": [float(w[list(c)].sum()) for c in found]})
    df["surplus"] = df["weight"] - q
    df = df.sort_values(["size", "weight"], kind="stable").reset_index(drop=True)
    df.attrs.update(quota=q, truncated=truncated, total=total)
    return df


def count_minimal_winning_coalitions(weights, quota) -> int:
    """Exact number of minimal winning coalitions (integer weights), by dynamic programming.

    Sort players by decreasing weight; a minimal winning coalition whose lightest member (last in
    that order) is j is j plus a set of earlier players with weight in [q − wⱼ, q − 1]. One pass
    over the players keeps the counts of subsets of the earlier players by weight.

    Examples
    --------
    >>> count_minimal_winning_coalitions({"FR": 4, "DE": 4, "IT": 4, "BE": 2, "NL": 2, "LU": 1}, 12)
    4
    """
    func = "count_minimal_winning_coalitions"
    w = _as_weights(weights, func, integer=True)
    q = _as_quota(quota, float(w.sum()), func)
    wi, qi = _int_game(w, q)
    vals = sorted((x for x in wi if x > 0), reverse=True)
    c = np.zeros(qi, dtype=object)
    c[0] = 1
    total = 0
    for x in vals:
        total += int(c[max(0, qi - x):qi].sum())
        if x < qi:
            c[x:] = c[x:] + c[:qi - x]
    return total


def minimal_blocking_coalitions(weights, quota, limit: int = 10_000) -> pd.DataFrame:
    """Minimal blocking coalitions: together they stop any decision; none of them is superfluous.

    A coalition B blocks when the others cannot reach the quota, w(B) > W − q; with integer
    weights these are the minimal winning coalitions of the dual game with quota W − q + 1.

    Examples
    --------
    UN Security Council: every permanent member alone blocks (the veto).

    >>> w = {**{p: 7 for p in ["CN", "FR", "RU", "UK", "US"]}, **{f"E{i}": 1 for i in range(10)}}
    >>> b = minimal_blocking_coalitions(w, 39)
    >>> b["members"].head(5).tolist()
    [('CN',), ('FR',), ('RU',), ('UK',), ('US',)]
    """
    func = "minimal_blocking_coalitions"
    w = _as_weights(weights, func)
    q = _as_quota(quota, float(w.sum()), func)
    W = float(w.sum())
    if _is_integral(w):
        qd = W - math.ceil(q - 1e-9) + 1
    else:
        qd = W - q + 1e-6
    if isinstance(limit, bool) or not isinstance(limit, Integral) or limit < 1:
        raise _bad("limit", func, "a positive integer", limit)
    found, truncated = _mwc_search(w, qd, int(limit))
    if truncated:
        warnings.warn(f"{func}: listed the first {limit} minimal blocking coalitions; raise "
                      f"'limit' to see more.", stacklevel=2)
    df = _coalition_frame(found, w, qd, truncated, None if truncated else len(found))
    df = df.drop(columns="surplus")
    df["margin"] = df["weight"] - (W - q)  # weight above what the others can spare
    df.attrs["quota"] = q
    return df


def pivotal_players(weights, quota, coalition) -> list:
    """Members of a winning coalition whose departure would make it lose (critical members).

    Returns an empty list when the coalition loses.

    Examples
    --------
    >>> pivotal_players({"A": 3, "B": 2, "C": 1, "D": 1}, 4, ["A", "B", "C"])
    ['A']
    """
    func = "pivotal_players"
    w = _as_weights(weights, func)
    q = _as_quota(quota, float(w.sum()), func)
    mem = _members(coalition, w, func)
    t = float(w[mem].sum())
    if t < q - 1e-9:
        return []
    return [m for m in mem if t - w[m] < q - 1e-9]


def pivot(weights, quota, order) -> object:
    """The pivotal player of a voting order: whose vote first brings the total to the quota.

    Shapley–Shubik's index of a player is the share of all n! orders in which they are pivot.

    Examples
    --------
    >>> pivot({"A": 3, "B": 2, "C": 1, "D": 1}, 4, ["C", "B", "A", "D"])
    'A'
    """
    func = "pivot"
    w = _as_weights(weights, func)
    q = _as_quota(quota, float(w.sum()), func)
    mem = _members(order, w, func)
    if len(mem) != len(w):
        raise _bad("order", func, "an ordering of all the players", order)
    t = 0.0
    for m in mem:
        t += w[m]
        if t >= q - 1e-9:
            return m
    raise AssertionError("unreachable: quota ≤ total weight")  # pragma: no cover


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


def veto_players(weights, quota) -> list:
    """Players in every winning coalition: without them the others cannot reach the quota.

    Examples
    --------
    >>> veto_players({"A": 3, "B": 2, "C": 1, "D": 1}, 5)
    ['A']
    """
    func = "veto_players"
    w = _as_weights(weights, func)
    q = _as_quota(quota, float(w.sum()), func)
    return [p for p, x in w.items() if w.sum() - x < q - 1e-9]
