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
    "party_utilities",
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
        s = pd.Series(list(weights.values()),
                      index=pd.Index(list(weights.keys()), tupleize_cols=False))
    elif isinstance(weights, str | bytes) or not hasattr(weights, "__len__"):
        raise _bad("weights", func, "a mapping or Series player → non-negative weight "
                   "(or a sequence of weights)", weights)
    else:
        s = pd.Series(list(weights))
    if len(s) == 0:
        raise _bad("weights", func, "a non-empty mapping player → weight", weights)
    if s.index.has_duplicates:
        dup = list(dict.fromkeys(s.index[s.index.duplicated()]))[:5]
        raise InvalidGameError(f"The 'weights' parameter of {func} must name each player once. "
                               f"Got duplicate players {dup} instead.")
    raw = s.to_numpy()
    if raw.dtype.kind not in "iuf":  # object/bool/str: check one by one for a precise message
        for player, v in s.items():
            if isinstance(v, bool | np.bool_) or not isinstance(v, Real | np.number):
                raise InvalidGameError(f"The 'weights' parameter of {func} must hold numbers. "
                                       f"Got {v!r} for player {player!r} instead.")
    vals = raw.astype(float)
    bad = ~np.isfinite(vals) | (vals < 0)
    if integer:
        bad_int = ~bad & (vals != np.floor(vals))
    if bad.any():
        k = int(np.argmax(bad))
        raise InvalidGameError(f"The 'weights' parameter of {func} must hold finite "
                               f"non-negative numbers. Got {raw[k]!r} for player "
                               f"{s.index[k]!r} instead.")
    if integer and bad_int.any():
        k = int(np.argmax(bad_int))
        raise InvalidGameError(
            f"The 'weights' parameter of {func} must hold integers for the exact method. "
            f"Got {raw[k]!r} for player {s.index[k]!r} instead; rescale the weights to "
            f"integers or use method='monte_carlo'.")
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


# ---------------------------------------------------------------------------------------------
# the deal's voting game
# ---------------------------------------------------------------------------------------------
@dataclass
class VotingGame:
    """The deciding body of a deal: who votes with what weight, and the quota to win.

    ``rule`` says where it came from (see :func:`voting_game`); ``weights`` holds only the
    players with a positive weight (stakeholder id → weight).
    """

    weights: pd.Series
    quota: float
    rule: str
    description: str

    @property
    def total(self) -> float:
        return float(self.weights.sum())

    def support(self, supporters) -> float:
        """Total weight of the given supporters."""
        return float(self.weights.reindex(list(supporters)).fillna(0).sum())

    def wins(self, supporters) -> bool:
        return self.support(supporters) >= self.quota - 1e-9


def voting_game(deal, weights=None, quota=None) -> VotingGame:
    """The weighted voting game of a deal, with what-if overrides.

    Rules, in order (docs/methods/coalitions.md §3):

    1. stakeholders with a ``vote_weight`` > 0 vote with that weight; the quota is
       ``deal.meta.quota``, or a simple majority ⌊W/2⌋ + 1 when the deal gives none;
    2. otherwise, when some stakeholders have ``sign_off``, every sign-off holder must agree
       (weight 1 each, quota = their number: unanimity of the approvers);
    3. otherwise, the counterpart's people decide by simple majority, one person one vote.

    Parameters
    ----------
    deal : powerkit.Deal
    weights : mapping, optional
        Stakeholder → vote weight, replacing the deal's for those named (what-if).
    quota : number, optional
        Replaces the quota.

    Returns
    -------
    VotingGame

    Raises
    ------
    InvalidGameError
        When an override names an unknown stakeholder or makes the game invalid.
    """
    func = "voting_game"
    st = deal.stakeholders
    vw = pd.to_numeric(st["vote_weight"], errors="coerce").fillna(0.0) if "vote_weight" in st \
        else pd.Series(0.0, index=st.index)
    if weights is not None or (vw > 0).any():
        rule = "votes"
        w = vw.copy()
        if weights is not None:
            wo = _as_weights(weights, func)
            unknown = [k for k in wo.index if k not in w.index]
            if unknown:
                raise _bad("weights", func, "keyed by stakeholder ids of the deal", unknown)
            w.loc[wo.index] = wo.to_numpy()
        q = deal.meta.quota if quota is None else quota
        if q is None:
            q = math.floor(w.sum() / 2) + 1
            desc = (f"weighted vote, simple majority: {q:g} of {w.sum():g} votes (the deal sets "
                    f"no quota)")
            rule = "votes, simple majority"
        else:
            desc = f"weighted vote: {float(q):g} of {w.sum():g} votes needed"
    elif st["sign_off"].astype(bool).any():
        rule = "sign-off"
        w = st["sign_off"].astype(bool).astype(float)
        q = w.sum() if quota is None else quota
        desc = f"every sign-off holder must agree ({int(w.sum())} approver(s))"
    else:
        rule = "majority of the counterpart"
        w = (st["party"] == deal.counterpart).astype(float)
        if w.sum() == 0:
            w = pd.Series(1.0, index=st.index)
        q = math.floor(w.sum() / 2) + 1 if quota is None else quota
        desc = f"simple majority of the counterpart's {int(w.sum())} people, one person one vote"
    w = w[w > 0].astype(float)
    w.index.name = "stakeholder"
    w.name = "weight"
    if len(w) == 0:
        raise InvalidGameError(f"{func}: no stakeholder has a positive vote weight.")
    q = _as_quota(q, float(w.sum()), func)
    return VotingGame(weights=w, quota=q, rule=rule, description=desc)


def _trust(st: pd.DataFrame) -> pd.Series:
    cols = [c for c in ("trust_competence", "trust_benevolence", "trust_reliability") if c in st]
    if not cols:
        return pd.Series(0.5, index=st.index, name="trust")
    t = st[cols].apply(pd.to_numeric, errors="coerce").mean(axis=1, skipna=True)
    return t.fillna(0.5).clip(0, 1).rename("trust")


def effort_to_win(stance, trust, target: float = 0.6):
    """Effort to bring someone to the target stance: distance to travel × (2 − trust).

    ``effort = max(0, target − stance) · (2 − trust)``: the stance gap on the −1..1 scale, up to
    doubled when they do not trust us at all (trust 0) and taken at face value when they trust
    us fully (trust 1). Relative units: compare efforts, do not read them as hours.

    Parameters
    ----------
    stance : float or array-like
        Current stance(s), −1..1.
    trust : float or array-like
        Trust in us, 0..1 (mean of competence, benevolence, reliability).
    target : float, default 0.6
        Stance we aim for when we win someone over.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> float(effort_to_win(-0.4, 0.5))
    1.5
    """
    s = np.asarray(stance, dtype=float)
    t = np.clip(np.asarray(trust, dtype=float), 0, 1)
    out = np.maximum(0.0, target - s) * (2.0 - t)
    return float(out) if out.ndim == 0 else out


def cheapest_winning_set(weights, quota, costs, supporters=()) -> tuple[list, float]:
    """The set of players to add to the supporters that wins at the least total cost (exact).

    A 0/1 min-cost covering knapsack solved by dynamic programming over the missing weight
    (``best[r]`` = least cost to add at least r votes), O(n · quota) for integer weights.
    It ignores the influence network: the benchmark for :func:`coalition_plan`.

    Parameters
    ----------
    weights, quota
        The game (integer weights).
    costs : mapping
        Player → cost ≥ 0 of winning them over (players without a cost are never bought).
    supporters : iterable
        Players already on side.

    Returns
    -------
    (list, float)
        The players to win over (heaviest first) and their total cost; ``([], 0.0)`` when the
        supporters already win.

    Raises
    ------
    InvalidGameError
        When even every player with a cost cannot reach the quota.

    Examples
    --------
    >>> cheapest_winning_set({"A": 3, "B": 2, "C": 2, "D": 1}, 5, {"A": 5, "B": 1, "C": 1, "D": 1})
    (['B', 'C', 'D'], 3.0)
    """
    func = "cheapest_winning_set"
    w = _as_weights(weights, func, integer=True)
    q = _as_quota(quota, float(w.sum()), func)
    have = set(supporters)
    need = math.ceil(q - 1e-9 - float(w[[p for p in w.index if p in have]].sum()))
    if need <= 0:
        return [], 0.0
    items = [(p, int(w[p]), float(costs[p])) for p in w.index
             if p not in have and p in costs and w[p] > 0]
    INF = math.inf
    best = np.full(need + 1, INF)
    best[0] = 0.0
    take = np.zeros((len(items), need + 1), dtype=bool)
    for k, (_, wk, ck) in enumerate(items):
        r = np.arange(need + 1)
        src = np.maximum(r - wk, 0)
        cand = best[src] + ck
        better = cand < best - 1e-12
        # iterate from the top so each item is used once: src indices come from the old best
        take[k] = better
        best = np.where(better, cand, best)
    if not math.isfinite(best[need]):
        raise InvalidGameError(f"{func}: the players that can be won over hold too few votes "
                               f"to reach the quota {q:g}.")
    chosen, r = [], need
    for k in range(len(items) - 1, -1, -1):
        if r > 0 and take[k, r]:
            chosen.append(items[k][0])
            r = max(r - items[k][1], 0)
    chosen.sort(key=lambda p: (-w[p], str(p)))
    return chosen, float(best[need])


# ---------------------------------------------------------------------------------------------
# coalition building
# ---------------------------------------------------------------------------------------------
@dataclass
class CoalitionPlan:
    """Who to win over, in which order, to carry the decision at the least effort.

    ``steps`` is the sequential plan (one engagement per row, efforts taken *after* the earlier
    allies' influence has moved people: momentum); ``collective`` the plan when the group is
    engaged at once (efforts from today's stances, one round); ``comparison`` sets them side by
    side with the exact no-network optimum. ``inputs`` holds per stakeholder what made the plan
    (stance, trust, weight, effort today, supporter today) and ``weights`` the parameters.
    """

    steps: pd.DataFrame
    collective: pd.DataFrame
    comparison: pd.DataFrame
    inputs: pd.DataFrame
    weights: dict
    game: VotingGame
    coalition: list = field(default_factory=list)
    influence: pd.DataFrame | None = None

    @property
    def contributions(self) -> pd.DataFrame:
        """Effort of each engaged stakeholder in the sequential plan."""
        return self.steps.set_index("stakeholder")[["effort"]]

    @property
    def winning_now(self) -> bool:
        return bool(self.inputs["supporter"].pipe(
            lambda s: self.game.wins(s[s].index)))


def _total_influence(deal, x0: pd.Series, kinds=None) -> tuple[pd.DataFrame | None, str]:
    """V of Friedkin–Johnsen (share of j's anchor in i's final stance), or None without ties."""
    if not deal.has("ties"):
        return None, "no ties table: nobody's move spills over to others"
    from .influence import friedkin_johnsen, influence_matrix

    try:
        W = influence_matrix(deal, kinds=kinds)
        fj = friedkin_johnsen(W, x0.reindex(W.index))
        return fj.total_influence, "Friedkin–Johnsen total influence of the ties"
    except ValueError as exc:  # e.g. a closed group that is fully susceptible: no unique limit
        return None, f"influence model not usable ({exc}); nobody's move spills over"


def _greedy(names, x0, trust, wts, supporters0, V, quota, threshold, target, momentum,
            candidates):
    """Greedy least effort per vote gained; returns steps and the final supporter set."""
    pos = {p: i for i, p in enumerate(names)}
    n = len(names)
    anchor_shift = np.zeros(n)          # Σ_a V[:, a] (target − x0[a]) over allies a
    allies: list = []
    stance = x0.copy()
    sup = set(supporters0)
    for p in supporters0:               # declared supporters below target hold the target
        if x0[pos[p]] < target:
            allies.append(p)
    def _apply(ally_list):
        shift = np.zeros(n)
        for a in ally_list:
            j = pos[a]
            d = target - x0[j]
            if V is not None and d != 0:
                shift += V[:, j] * d
        return shift
    anchor_shift = _apply(allies)
    stance = np.clip(x0 + anchor_shift, -1, 1)
    for a in allies:
        stance[pos[a]] = max(target, x0[pos[a]])
    sup |= {names[i] for i in range(n) if stance[i] > threshold}
    support = sum(wts.get(p, 0.0) for p in sup)
    rows = []
    step = 0
    while support < quota - 1e-9:
        best = None
        for p in candidates:
            if p in sup:
                continue
            j = pos[p]
            base = stance[j] if momentum else x0[j]
            e = float(effort_to_win(base, trust[j], target))
            # what happens if p is won over
            shift = anchor_shift.copy()
            if V is not None and target - x0[j] != 0:
                shift += V[:, j] * (target - x0[j])
            st2 = np.clip(x0 + shift, -1, 1)
            for a in allies + [p]:
                st2[pos[a]] = max(target, x0[pos[a]])
            new = {names[i] for i in range(n) if st2[i] > threshold} | sup | {p}
            gained = sum(wts.get(k, 0.0) for k in new - sup)
            gain = min(gained, quota - support)
            if gain <= 0:
                continue
            key = (e / gain, -gain, str(p))
            if best is None or key < best[0]:
                best = (key, p, e, base, new, shift, st2)
        if best is None:
            break
        _, p, e, base, new, shift, st2 = best
        step += 1
        induced = sorted(new - sup - {p}, key=str)
        allies.append(p)
        anchor_shift, stance = shift, st2
        sup = new
        support = sum(wts.get(k, 0.0) for k in sup)
        rows.append({"step": step, "stakeholder": p, "stance_before": round(float(base), 4),
                     "effort": e, "vote_weight": wts.get(p, 0.0),
                     "induced": tuple(induced), "support_after": support,
                     "winning_after": support >= quota - 1e-9})
    steps = pd.DataFrame(rows, columns=["step", "stakeholder", "stance_before", "effort",
                                        "vote_weight", "induced", "support_after",
                                        "winning_after"])
    steps["cumulative_effort"] = steps["effort"].cumsum()
    return steps, sup, stance


def coalition_plan(deal, threshold: float = 0.25, target: float = 0.6, weights=None, quota=None,
                   supporters=None, use_influence: bool = True, kinds=None) -> CoalitionPlan:
    """The order in which to win people over to reach a winning coalition at the least effort.

    Model (docs/methods/coalitions.md §4):

    * supporters today: stance > ``threshold`` (or exactly the ``supporters`` given: anyone
      left out is then taken at a stance of at most ``threshold``);
    * winning someone over moves their stance to ``target`` at the cost
      :func:`effort_to_win` (stance gap × (2 − trust));
    * the influence network carries the move: with V the Friedkin–Johnsen total influence
      (``powerkit.influence``), an ally j moved by Δⱼ = target − x₀ⱼ shifts everyone's stance by
      V[:, j]·Δⱼ; anyone pushed above the threshold joins without a meeting of their own;
    * **sequential** engagement picks, one at a time, the person with the least effort per vote
      gained (votes capped at what is still missing), each effort measured *after* the earlier
      allies' influence (momentum); **collective** engagement picks the group by the same rule
      but with today's stances (everyone in one room, no momentum, one round: shared
      ownership); the **direct optimum** is the exact least-effort winning set when nobody
      influences anybody (:func:`cheapest_winning_set`), the benchmark for both.

    Parameters
    ----------
    deal : powerkit.Deal
    threshold : float, default 0.25
        Stance above which someone counts as a supporter (−1..1 scale).
    target : float, default 0.6
        Stance someone holds once won over; must exceed ``threshold``.
    weights, quota
        What-if overrides of the voting game (:func:`voting_game`).
    supporters : list of stakeholder ids, optional
        Who is already on side (replaces the stance rule); those below the target are taken
        to hold the target (and pull the people who listen to them).
    use_influence : bool, default True
        Use the ties (False: nobody's move spills over).
    kinds : str or list, optional
        Tie kinds for :func:`powerkit.influence.influence_matrix`.

    Returns
    -------
    CoalitionPlan

    Raises
    ------
    ValueError
        Invalid threshold/target, or unknown supporters.

    References
    ----------
    Friedkin, N. E. & Johnsen, E. C. (1999). Social influence networks and opinion change.
    *Advances in Group Processes* 16, 1–29.
    Sebenius, J. K. (1996). Sequencing to build coalitions: with whom should I talk first? In
    Zeckhauser, Keeney & Sebenius (eds), *Wise Choices*, 324–348. Harvard Business School Press.
    """
    func = "coalition_plan"
    for name, v in (("threshold", threshold), ("target", target)):
        if isinstance(v, bool) or not isinstance(v, Real) or not -1 <= v <= 1:
            raise _bad(name, func, "a number in [-1, 1]", v)
    if target <= threshold:
        raise _bad("target", func, f"above the threshold {threshold}", target)
    game = voting_game(deal, weights=weights, quota=quota)
    st = deal.stakeholders
    names = list(st.index)
    x0s = pd.to_numeric(st["stance"], errors="coerce").fillna(0.0).clip(-1, 1)
    trust = _trust(st)
    if supporters is None:
        sup0 = [p for p in names if x0s[p] > threshold]
    else:
        sup0 = list(dict.fromkeys(supporters))
        unknown = [p for p in sup0 if p not in st.index]
        if unknown:
            raise _bad("supporters", func, "stakeholder ids of the deal", unknown)
    V, vsrc = (None, "influence switched off")
    if use_influence:
        V, vsrc = _total_influence(deal, x0s, kinds)
    Vm = None if V is None else V.reindex(index=names, columns=names).fillna(0).to_numpy()
    x0 = x0s.to_numpy(dtype=float)
    if supporters is not None:
        # the list replaces the stance rule: someone left out counts as not (yet) on side
        declared = np.array([p in set(sup0) for p in names])
        x0 = np.where(declared, x0, np.minimum(x0, threshold))
    tr = trust.reindex(names).to_numpy(dtype=float)
    wts = game.weights.to_dict()
    us_party = deal.us
    candidates = [p for p in names if st.loc[p, "party"] != us_party]
    seq, sup_seq, _ = _greedy(names, x0, tr, wts, sup0, Vm, game.quota, threshold, target,
                              True, candidates)
    col, sup_col, _ = _greedy(names, x0, tr, wts, sup0, Vm, game.quota, threshold, target,
                              False, candidates)
    for df in (seq, col):
        df.insert(2, "name", [st.loc[p, "name"] for p in df["stakeholder"]])
        df.insert(3, "party", [st.loc[p, "party"] for p in df["stakeholder"]])
    effort0 = pd.Series(effort_to_win(x0, tr, target), index=names)
    sup_set = set(sup0)
    try:
        cost = {p: float(effort0[p]) for p in candidates}
        direct, direct_cost = cheapest_winning_set(game.weights.round().astype(int),
                                                   game.quota, cost,
                                                   [p for p in sup0 if p in game.weights.index])
        direct_ok = True
    except InvalidGameError:
        direct, direct_cost, direct_ok = [], math.nan, False
    support_now = game.support(sup_set)
    comp = pd.DataFrame([
        {"approach": "sequential (one by one, momentum)", "engaged": len(seq),
         "total_effort": float(seq["effort"].sum()), "rounds": len(seq),
         "support": game.support(sup_seq), "winning": game.wins(sup_seq),
         "who": tuple(seq["stakeholder"])},
        {"approach": "collective (together, one round)", "engaged": len(col),
         "total_effort": float(col["effort"].sum()), "rounds": 1 if len(col) else 0,
         "support": game.support(sup_col), "winning": game.wins(sup_col),
         "who": tuple(col["stakeholder"])},
        {"approach": "direct optimum (no network)", "engaged": len(direct),
         "total_effort": direct_cost, "rounds": len(direct),
         "support": game.support(sup_set | set(direct)) if direct_ok else support_now,
         "winning": direct_ok, "who": tuple(direct)},
    ]).set_index("approach")
    inputs = pd.DataFrame({"name": st["name"], "party": st["party"], "stance": x0s,
                           "trust": trust, "vote_weight": game.weights.reindex(names).fillna(0),
                           "effort_today": effort0, "supporter": [p in sup_set for p in names],
                           "candidate": [p in candidates for p in names]})
    params = {"threshold": threshold, "target": target, "quota": game.quota, "rule": game.rule,
              "influence": vsrc, "effort": "max(0, target − stance) × (2 − trust)"}
    coalition = sorted(p for p in sup_seq if p in game.weights.index)
    return CoalitionPlan(steps=seq, collective=col, comparison=comp, inputs=inputs,
                         weights=params, game=game, coalition=coalition, influence=V)


# ---------------------------------------------------------------------------------------------
# power mapping
# ---------------------------------------------------------------------------------------------
MENDELOW_ENGAGEMENT = {
    "manage closely": "key player: involve them in shaping the proposal, meet early and often",
    "keep satisfied": "can stop us but cares little: meet their concerns, brief them before "
                      "decisions, do not overload them",
    "keep informed": "cares a lot but cannot decide: keep them up to date — they are potential "
                     "allies (or vocal critics) and can reach the powerful",
    "monitor": "watch for changes in their power or interest; minimal effort",
}

# type: (class, attributes, engagement) — Mitchell, Agle & Wood (1997)
SALIENCE_TYPES = {
    "definitive": ("definitive", "power + legitimacy + urgency",
                   "immediate priority: engage now, at the top of the list"),
    "dominant": ("expectant", "power + legitimacy",
                 "formal, regular engagement: their expectations matter and they can act"),
    "dangerous": ("expectant", "power + urgency",
                  "watch closely: power and urgency without legitimacy can turn coercive; "
                  "address the urgency through legitimate channels"),
    "dependent": ("expectant", "legitimacy + urgency",
                  "advocacy: they depend on others' power — a powerful ally can adopt their "
                  "claim (or an opponent can)"),
    "dormant": ("latent", "power",
                "keep in view: power they do not use now; little needed until they gain "
                "urgency"),
    "discretionary": ("latent", "legitimacy",
                      "goodwill: a legitimate claim without pressure; courtesy and information"),
    "demanding": ("latent", "urgency",
                  "acknowledge, do not over-invest: urgency without power or legitimacy"),
    "non-stakeholder": ("none", "none", "no engagement needed for this decision"),
}


def mendelow_quadrant(power, interest, power_threshold: float = 0.5,
                      interest_threshold: float = 0.5) -> str:
    """Mendelow's power–interest quadrant: manage closely / keep satisfied / keep informed /
    monitor. High means ≥ the threshold (both on 0..1).

    Examples
    --------
    >>> mendelow_quadrant(0.8, 0.2), mendelow_quadrant(0.2, 0.9)
    ('keep satisfied', 'keep informed')
    """
    hp, hi = power >= power_threshold, interest >= interest_threshold
    if hp and hi:
        return "manage closely"
    if hp:
        return "keep satisfied"
    if hi:
        return "keep informed"
    return "monitor"


def salience_type(power: bool, legitimacy: bool, urgency: bool) -> str:
    """Mitchell, Agle & Wood's stakeholder type from which of the three attributes are present.

    Examples
    --------
    >>> salience_type(True, True, True), salience_type(True, False, True)
    ('definitive', 'dangerous')
    """
    key = (bool(power), bool(legitimacy), bool(urgency))
    return {(True, True, True): "definitive", (True, True, False): "dominant",
            (True, False, True): "dangerous", (False, True, True): "dependent",
            (True, False, False): "dormant", (False, True, False): "discretionary",
            (False, False, True): "demanding", (False, False, False): "non-stakeholder"}[key]


def _scaled(s: pd.Series) -> pd.Series:
    s = s.astype(float).fillna(0.0)
    m = float(s.max()) if len(s) else 0.0
    return s / m if m > 0 else s * 0.0


def power_map(deal, power_threshold: float = 0.5, interest_threshold: float = 0.5,
              attribute_threshold: float = 0.5, include_us: bool = False,
              game: VotingGame | None = None) -> pd.DataFrame:
    """Every stakeholder on Mendelow's grid and in Mitchell, Agle & Wood's salience types.

    Power (0..1) is the largest of three sources, each scaled by its maximum in the deal
    (docs/methods/coalitions.md §5):

    * ``voting``: Shapley–Shubik index in the deal's voting game (:func:`voting_game`);
    * ``formal``: 1 for a sign-off holder, else budget authority / the largest budget;
    * ``informal``: influence on others in the Friedkin–Johnsen model, Σ_{i≠j} V[i, j] (the
      shares of j's stance in everyone else's final stance), when the deal has ties.

    Interest is the ``interest`` column (blank: |stance|, a strong view signals interest).
    An attribute (power, legitimacy, urgency) is *present* when ≥ ``attribute_threshold``;
    blank legitimacy or urgency count as absent.

    Parameters
    ----------
    deal : powerkit.Deal
    power_threshold, interest_threshold : float, default 0.5
        Where "high" starts on Mendelow's grid.
    attribute_threshold : float, default 0.5
        Where a salience attribute counts as present.
    include_us : bool, default False
        Map our own people too.
    game : VotingGame, optional
        The voting game (default :func:`voting_game`).

    Returns
    -------
    pandas.DataFrame
        Indexed by stakeholder: name, party, stance, power, voting, formal, informal,
        interest, interest_source, legitimacy, urgency, quadrant, mendelow_engagement,
        salience (type), salience_class, attributes (count), salience_engagement.

    References
    ----------
    Mendelow, A. L. (1981). Environmental scanning — the impact of the stakeholder concept.
    *Proceedings of the 2nd International Conference on Information Systems (ICIS)*, 407–418.
    Mitchell, R. K., Agle, B. R. & Wood, D. J. (1997). Toward a theory of stakeholder
    identification and salience: defining the principle of who and what really counts.
    *Academy of Management Review* 22(4), 853–886.
    """
    func = "power_map"
    for name, v in (("power_threshold", power_threshold),
                    ("interest_threshold", interest_threshold),
                    ("attribute_threshold", attribute_threshold)):
        if isinstance(v, bool) or not isinstance(v, Real) or not 0 <= v <= 1:
            raise _bad(name, func, "a number in [0, 1]", v)
    st = deal.stakeholders
    game = voting_game(deal) if game is None else game
    ss = power_indices(game.weights, game.quota)["shapley_shubik"].astype(float)
    voting = _scaled(ss.reindex(st.index).fillna(0.0))
    budget = pd.to_numeric(st["budget_authority"], errors="coerce").fillna(0.0)
    formal = pd.concat([st["sign_off"].astype(bool).astype(float), _scaled(budget)],
                       axis=1).max(axis=1)
    x0 = pd.to_numeric(st["stance"], errors="coerce").fillna(0.0)
    informal = pd.Series(0.0, index=st.index)
    if deal.has("ties"):
        V, _ = _total_influence(deal, x0)
        if V is not None:
            Vm = V.to_numpy(copy=True)
            np.fill_diagonal(Vm, 0.0)  # influence on *others*: one's own anchor does not count
            informal = _scaled(pd.Series(Vm.sum(axis=0), index=V.index).reindex(st.index)
                               .fillna(0.0))
    power = pd.concat([voting, formal, informal], axis=1).max(axis=1)
    interest_raw = pd.to_numeric(st["interest"], errors="coerce")
    interest = interest_raw.fillna(x0.abs()).clip(0, 1)
    legit = pd.to_numeric(st["legitimacy"], errors="coerce")
    urg = pd.to_numeric(st["urgency"], errors="coerce")
    out = pd.DataFrame({"name": st["name"], "party": st["party"], "stance": x0,
                        "power": power, "voting": voting, "formal": formal,
                        "informal": informal, "interest": interest,
                        "interest_source": np.where(interest_raw.isna(), "|stance|",
                                                    "interest"),
                        "legitimacy": legit, "urgency": urg})
    out["quadrant"] = [mendelow_quadrant(p, i, power_threshold, interest_threshold)
                       for p, i in zip(out["power"], out["interest"], strict=True)]
    out["mendelow_engagement"] = out["quadrant"].map(MENDELOW_ENGAGEMENT)
    has_p = out["power"] >= attribute_threshold
    has_l = legit.fillna(0.0) >= attribute_threshold
    has_u = urg.fillna(0.0) >= attribute_threshold
    out["salience"] = [salience_type(a, b, c) for a, b, c in zip(has_p, has_l, has_u,
                                                                  strict=True)]
    out["salience_class"] = out["salience"].map(lambda t: SALIENCE_TYPES[t][0])
    out["attributes"] = has_p.astype(int) + has_l.astype(int) + has_u.astype(int)
    out["salience_engagement"] = out["salience"].map(lambda t: SALIENCE_TYPES[t][2])
    if not include_us:
        out = out[out["party"] != deal.us]
    out.index.name = "stakeholder"
    out.attrs.update(power_threshold=power_threshold, interest_threshold=interest_threshold,
                     attribute_threshold=attribute_threshold, game=game.description)
    return out.sort_values(["power", "interest"], ascending=False, kind="stable")


# ---------------------------------------------------------------------------------------------
# competing interests
# ---------------------------------------------------------------------------------------------
def party_utilities(issues: pd.DataFrame, max_packages: int = 200_000) -> pd.DataFrame:
    """Every package (one option per issue) with each party's utility.

    ``U_p = Σᵢ w̃_pi · rating_p(i, option) / maxₒ rating_p(i, o)``, with each party's issue
    weights normalised to sum 1 (the Inspire/GENIUS additive model, as in
    :mod:`powerkit.value` and docs/deal-format.md). An issue a party does not rate counts 0.

    Parameters
    ----------
    issues : pandas.DataFrame
        The deal's long ``issues`` table: issue, option, party, rating, weight.
    max_packages : int, default 200000
        Refuse to enumerate more packages than this.

    Returns
    -------
    pandas.DataFrame
        One column per issue (the option chosen), then one column ``U(<party>)`` per party.

    Raises
    ------
    ValueError
        More packages than ``max_packages``.

    Examples
    --------
    >>> t = pd.DataFrame({"issue": ["fee"] * 4, "option": ["low", "high"] * 2,
    ...                   "party": ["a", "a", "b", "b"], "rating": [1, 0, 0, 2], "weight": 1})
    >>> party_utilities(t)[["fee", "U(a)", "U(b)"]].values.tolist()
    [['low', 1.0, 0.0], ['high', 0.0, 1.0]]
    """
    func = "party_utilities"
    t = issues
    issue_names = list(pd.unique(t["issue"]))
    options = {i: list(pd.unique(t.loc[t["issue"] == i, "option"])) for i in issue_names}
    count = math.prod(len(v) for v in options.values())
    if count > max_packages:
        raise ValueError(f"The 'issues' table of {func} gives {count:,} packages, more than "
                         f"max_packages={max_packages:,}. Merge or drop options (or raise "
                         f"max_packages).")
    grids = np.meshgrid(*[np.arange(len(options[i])) for i in issue_names], indexing="ij")
    idx = [g.ravel() for g in grids]
    out = pd.DataFrame({i: np.array(options[i], dtype=object)[k]
                        for i, k in zip(issue_names, idx, strict=True)})
    for party in pd.unique(t["party"]):
        g = t[t["party"] == party]
        wts = g.groupby("issue", sort=False)["weight"].first().astype(float)
        wts = wts / wts.sum() if wts.sum() > 0 else wts * 0
        u = np.zeros(count)
        for i, k in zip(issue_names, idx, strict=True):
            if i not in wts.index:
                continue
            r = g[g["issue"] == i].set_index("option")["rating"].astype(float)
            r = r.reindex(options[i]).fillna(0.0).to_numpy()
            mx = r.max()
            if mx > 0:
                u += wts[i] * (r / mx)[k]
        out[f"U({party})"] = u
    return out


def acceptable_packages(deal, reservation=None, weights=None, quota=None,
                        max_packages: int = 200_000) -> pd.DataFrame:
    """Packages acceptable to a winning coalition, ranked by how many interests they meet.

    A party *accepts* a package when its utility (:func:`party_utilities`) is at least its
    reservation utility. The deal stores BATNAs in money, not utility, so by default each
    party's reservation is its **median package utility** — half of all packages are better for
    it, the neutral "no worse than a typical outcome" line; override it per party with
    ``reservation`` (a utility 0..1, e.g. a BATNA you have scored). A package **passes** when we
    accept it and the accepting parties' votes (sum of their stakeholders' weights in the
    voting game) reach the quota. Competitors (third parties in our own role) are shown but not
    asked to accept. Ranking (METHOD.md §6, "meet every stakeholder's core interests rather
    than optimising for one"): passing first, then the number of parties that accept
    (breadth), then the smallest surplus over reservation among them, then our utility.

    Parameters
    ----------
    deal : powerkit.Deal
    reservation : mapping, optional
        Party → reservation utility (0..1) replacing the median default.
    weights, quota
        What-if overrides of the voting game.
    max_packages : int
        See :func:`party_utilities`.

    Returns
    -------
    pandas.DataFrame
        The packages with ``U(<party>)`` columns, ``accepted_by`` (tuple), ``breadth``,
        ``votes_for``, ``passes``, ``min_surplus``, ``rank`` (1 = best; passing packages
        only, else NaN). ``.attrs``: ``reservation``, ``party_votes``, ``quota``,
        ``competitors``.

    Raises
    ------
    MissingTableError
        When the deal has no issues table.
    """
    func = "acceptable_packages"
    issues = deal.table("issues", analysis="competing interests")
    pk = party_utilities(issues, max_packages=max_packages)
    parties = list(pd.unique(issues["party"]))
    game = voting_game(deal, weights=weights, quota=quota)
    st = deal.stakeholders
    votes = game.weights.groupby(st["party"].reindex(game.weights.index)).sum()
    party_votes = {p: float(votes.get(p, 0.0)) for p in parties}
    pt = deal.parties
    our_role = pt.loc[deal.us, "role"] if deal.us in pt.index else None
    competitors = [p for p in parties if p != deal.us and p in pt.index
                   and pt.loc[p, "side"] == "third" and our_role in ("buyer", "seller")
                   and pt.loc[p, "role"] == our_role]
    res = {p: float(pk[f"U({p})"].median()) for p in parties}
    if reservation is not None:
        for p, v in dict(reservation).items():
            if p not in res:
                raise _bad("reservation", func, f"keyed by parties that rate the issues "
                           f"({', '.join(map(str, parties))})", p)
            if isinstance(v, bool) or not isinstance(v, Real) or not 0 <= v <= 1:
                raise _bad("reservation", func, "utilities in [0, 1]", {p: v})
            res[p] = float(v)
    judges = [p for p in parties if p not in competitors]
    acc = pd.DataFrame({p: pk[f"U({p})"] >= res[p] - 1e-12 for p in judges})
    pk["accepted_by"] = [tuple(p for p in judges if row[p]) for row in acc.to_dict("records")]
    pk["breadth"] = acc.sum(axis=1)
    pk["votes_for"] = acc.mul(pd.Series(party_votes).reindex(judges)).sum(axis=1)
    us_ok = acc[deal.us] if deal.us in acc else True
    pk["passes"] = (pk["votes_for"] >= game.quota - 1e-9) & us_ok
    surplus = pd.DataFrame({p: pk[f"U({p})"] - res[p] for p in judges})
    pk["min_surplus"] = surplus.where(acc).min(axis=1)
    us_u = pk[f"U({deal.us})"] if f"U({deal.us})" in pk else pd.Series(0.0, index=pk.index)
    order = pd.DataFrame({"p": pk["passes"], "b": pk["breadth"], "m": pk["min_surplus"],
                          "u": us_u}).sort_values(["p", "b", "m", "u"],
                                                  ascending=False, kind="stable")
    pk = pk.loc[order.index].reset_index(drop=True)
    npass = int(pk["passes"].sum())
    pk["rank"] = pd.Series(np.arange(1, len(pk) + 1), dtype=float).where(pk["passes"])
    pk.attrs.update(reservation=res, party_votes=party_votes, quota=game.quota,
                    competitors=competitors, n_passing=npass,
                    reservation_rule="median package utility" if reservation is None
                    else "given (others: median package utility)")
    return pk


# ---------------------------------------------------------------------------------------------
# what-if (widget callback) and the report section
# ---------------------------------------------------------------------------------------------
@dataclass
class CoalitionWhatIf:
    """Everything the coalition widgets show for one setting of quota, weights and supporters."""

    game: VotingGame
    power: pd.DataFrame
    coalitions: pd.DataFrame
    plan: CoalitionPlan
    names: dict

    def power_figure(self):
        from .plots.coalitions import voting_power_figure

        return voting_power_figure(self.power, names=self.names)

    def explorer_figure(self):
        from .plots.coalitions import coalition_explorer_figure

        sup = list(self.plan.inputs.index[self.plan.inputs["supporter"]])
        return coalition_explorer_figure(self.coalitions, self.game.weights, supporters=sup,
                                         names=self.names)

    def path_figure(self):
        from .plots.coalitions import coalition_path_figure

        return coalition_path_figure(self.plan, names=self.names)


def _mark_coalitions(mwc: pd.DataFrame, supporters: set) -> pd.DataFrame:
    mwc = mwc.copy()
    mwc["on_side"] = [sum(1 for m in c if m in supporters) for c in mwc["members"]]
    mwc["to_win"] = [tuple(m for m in c if m not in supporters) for c in mwc["members"]]
    mwc["missing"] = mwc["size"] - mwc["on_side"]
    return mwc


def what_if(deal, quota=None, weights=None, supporters=None, threshold: float = 0.25,
            target: float = 0.6, limit: int = 2000) -> CoalitionWhatIf:
    """Voting power, minimal winning coalitions and the coalition plan for one what-if setting.

    The callback of :func:`powerkit.widgets.coalitions.build_coalitions_widgets`.

    Parameters
    ----------
    deal : powerkit.Deal
    quota : number, optional
        Votes needed (default: the deal's).
    weights : mapping, optional
        Stakeholder → vote weight overrides.
    supporters : list, optional
        Who is already on side (default: stance > threshold).
    threshold, target : float
        See :func:`coalition_plan`.
    limit : int, default 2000
        Most minimal winning coalitions to list.

    Returns
    -------
    CoalitionWhatIf
    """
    plan = coalition_plan(deal, threshold=threshold, target=target, weights=weights,
                          quota=quota, supporters=supporters)
    game = plan.game
    power = voting_power_table(game.weights, game.quota)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mwc = minimal_winning_coalitions(game.weights, game.quota, limit=limit)
    sup = set(plan.inputs.index[plan.inputs["supporter"]])
    names = deal.stakeholders["name"].to_dict()
    return CoalitionWhatIf(game=game, power=power, coalitions=_mark_coalitions(mwc, sup),
                           plan=plan, names=names)


def _names(deal, ids) -> list[str]:
    nm = deal.stakeholders["name"]
    return [str(nm.get(i, i)) for i in ids]


def _md_list(names: list[str]) -> str:
    from .text import esc

    names = [esc(n) for n in names]
    if not names:
        return "nobody"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def report_section(deal, threshold: float = 0.25, target: float = 0.6, quota=None,
                   weights=None, supporters=None, power_threshold: float = 0.5,
                   interest_threshold: float = 0.5, top_packages: int = 5):
    """The multi-party power section of the client report.

    Voting power against vote weight, the coalition to build and its order (sequential vs
    collective), the power–interest map with salience types, and — when the deal rates issues —
    the packages a winning coalition can accept.

    Parameters
    ----------
    deal : powerkit.Deal
    threshold, target, quota, weights, supporters
        See :func:`coalition_plan`.
    power_threshold, interest_threshold : float
        See :func:`power_map`.
    top_packages : int, default 5
        Packages listed.

    Returns
    -------
    powerkit.sections.Section
        key ``"coalitions"``; ``headline`` with plain values (see docs/methods/coalitions.md).
    """
    from .plots.coalitions import (
        coalition_path_figure,
        power_interest_figure,
        salience_figure,
        voting_power_figure,
    )
    from .sections import Section
    from .text import esc

    title = "Multi-party power: votes, coalitions and the power map"
    sec = Section(key="coalitions", title=title)
    if not deal.has("stakeholders"):
        sec.missing = "No stakeholders table in this deal: multi-party power left out."
        return sec
    wi = what_if(deal, quota=quota, weights=weights, supporters=supporters,
                 threshold=threshold, target=target)
    game, power, plan = wi.game, wi.power, wi.plan
    names = wi.names
    nm = lambda i: str(names.get(i, i))  # noqa: E731
    top = power.index[0]
    gap = power["power_vs_weight"].astype(float)
    gap_id = gap.abs().idxmax()
    dummies = list(power.index[power["dummy"]])
    veto = list(power.index[power["veto"]])
    sup_ids = list(plan.inputs.index[plan.inputs["supporter"]])
    support_now = game.support(sup_ids)
    winning_now = game.wins(sup_ids)
    seq = plan.comparison.loc["sequential (one by one, momentum)"]
    col = plan.comparison.loc["collective (together, one round)"]
    pmap = power_map(deal, power_threshold=power_threshold,
                     interest_threshold=interest_threshold, game=game)
    hl = {
        "rule": game.rule,
        "quota": float(game.quota),
        "total_votes": float(game.total),
        "voters": int(len(game.weights)),
        "top_power": nm(top),
        "top_power_shapley_shubik": round(float(power.loc[top, "shapley_shubik"]), 4),
        "top_power_weight_share": round(float(power.loc[top, "weight_share"]), 4),
        "largest_gap": nm(gap_id),
        "largest_gap_value": round(float(gap[gap_id]), 4),
        "dummies": [nm(i) for i in dummies],
        "veto_players": [nm(i) for i in veto],
        "minimal_winning_coalitions": int(len(wi.coalitions)),
        "support_now": float(support_now),
        "winning_now": bool(winning_now),
        "plan_order": [nm(i) for i in plan.steps["stakeholder"]],
        "plan_effort_sequential": round(float(seq["total_effort"]), 3),
        "plan_effort_collective": round(float(col["total_effort"]), 3),
        "plan_rounds_sequential": int(seq["rounds"]),
        "plan_winning": bool(seq["winning"]),
        "coalition": [nm(i) for i in plan.coalition],
        "manage_closely": int((pmap["quadrant"] == "manage closely").sum()),
        "definitive": int((pmap["salience"] == "definitive").sum()),
    }
    intro = (
        "### Who really holds the votes\n"
        "Votes are the surface of power in a deciding body; what counts is how often a member's "
        "vote turns a losing side into a winning one. The **Shapley–Shubik index** is the share "
        "of all voting orders in which a member casts that decisive vote; the **Banzhaf index** "
        "counts the coalitions in which their defection would sink the decision. A member whose "
        "vote is never decisive (a *dummy*) has no voting power however many votes they hold; "
        "a member without whom no coalition wins holds a *veto*.\n\n"
        f"Decision rule: {esc(game.description)}.")
    sec.add(intro)
    show = power[["weight", "weight_share", "shapley_shubik", "banzhaf", "power_vs_weight",
                  "dummy", "veto"]].copy()
    show.insert(0, "name", [nm(i) for i in show.index])
    for c in ("weight_share", "shapley_shubik", "banzhaf", "power_vs_weight"):
        show[c] = show[c].astype(float).round(3)
    sec.add(voting_power_figure(power, names=names), show.reset_index(drop=True))
    notes = []
    if dummies:
        notes.append(f"{_md_list([nm(i) for i in dummies])} hold votes but are never decisive: "
                     "winning them over adds no power to a coalition (their goodwill may "
                     "still matter through influence).")
    if veto:
        notes.append(f"{_md_list([nm(i) for i in veto])} can block any decision alone: no "
                     "coalition wins without them.")
    notes.append(f"There are {len(wi.coalitions)} minimal winning coalitions: groups that win "
                 "and lose if any member leaves.")
    sec.add(" ".join(notes))
    build = ["### The coalition to build",
             "From the people who support us today we add, one at a time, the person who brings "
             "the most missing votes per unit of effort (effort grows with the distance to "
             "travel and shrinks with their trust in us). Each ally pulls the people who "
             "listen to them, so later conversations start from warmer stances — the momentum "
             "of **sequential** engagement. **Collective** engagement brings the group "
             "together at once: one round, shared ownership of the decision, but everyone "
             "starts from today's stance."]
    if winning_now:
        build.append(f"Today's supporters already hold {support_now:g} of the {game.quota:g} "
                     "votes needed: the task is to keep them on side.")
    elif len(plan.steps):
        build.append(f"Today's supporters hold {support_now:g} of the {game.quota:g} votes "
                     f"needed. Win over, in this order: "
                     f"{_md_list([nm(i) for i in plan.steps['stakeholder']])}.")
    sec.add("\n\n".join(build))
    if len(plan.steps):
        steps = plan.steps[["step", "name", "party", "stance_before", "effort", "vote_weight",
                            "support_after", "winning_after"]].copy()
        steps["also_won_through_influence"] = [", ".join(nm(i) for i in t)
                                               for t in plan.steps["induced"]]
        steps["effort"] = steps["effort"].round(3)
        sec.add(steps, coalition_path_figure(plan, names=names))
    comp = plan.comparison.drop(columns="who").copy()
    comp["total_effort"] = comp["total_effort"].astype(float).round(3)
    sec.add(comp.reset_index())
    sec.add("### Power map\n"
            "Mendelow's grid places everyone by power (the largest of voting power, formal "
            "authority and informal influence in the network, each scaled 0–1) and interest: "
            "*manage closely* the powerful and interested, *keep satisfied* the powerful but "
            "indifferent, *keep informed* the interested without power, *monitor* the rest. "
            "Mitchell, Agle & Wood add legitimacy and urgency: a stakeholder with all three "
            "attributes is *definitive* and comes first.")
    sec.add(power_interest_figure(pmap), salience_figure(pmap))
    pm = pmap[["name", "party", "power", "interest", "quadrant", "salience",
               "mendelow_engagement"]].copy()
    pm[["power", "interest"]] = pm[["power", "interest"]].round(2)
    sec.add(pm.reset_index(drop=True))
    if deal.has("issues"):
        pk = acceptable_packages(deal, weights=weights, quota=quota)
        passing = pk[pk["passes"]]
        hl["packages_passing"] = int(len(passing))
        hl["packages_total"] = int(len(pk))
        sec.add("### Competing interests\n"
                "A package (one option per issue) is acceptable to a party when it gives them "
                "at least their reservation utility (by default their median package: no worse "
                "than a typical outcome). It can pass when we accept it and the parties that "
                "accept it hold enough votes. Among those, the best packages meet the most "
                "parties' interests, with the widest margin for the least satisfied.")
        if len(passing):
            best = passing.iloc[0]
            issues = list(pd.unique(deal.issues["issue"]))
            hl["best_package"] = {str(i): str(best[i]) for i in issues}
            hl["best_package_breadth"] = int(best["breadth"])
            cols = issues + [c for c in pk.columns if c.startswith("U(")] + \
                ["breadth", "votes_for", "min_surplus"]
            tbl = passing[cols].head(top_packages).copy()
            num = tbl.select_dtypes("number").columns
            tbl[num] = tbl[num].round(3)
            sec.add(tbl.reset_index(drop=True))
        else:
            hl["best_package"] = None
            sec.add("No package is acceptable to a winning coalition at these reservation "
                    "levels: widen the options or lower a reservation.")
    sec.headline = hl
    if winning_now:
        tail = f"today's supporters already hold {hl['support_now']:g} of the {hl['quota']:g} votes needed."
    elif hl["plan_order"]:
        tail = (f"today's supporters hold {hl['support_now']:g} of the {hl['quota']:g} votes "
                f"needed; win over {_md_list(hl['plan_order'])} in that order (effort "
                f"{hl['plan_effort_sequential']:.2f} one by one vs "
                f"{hl['plan_effort_collective']:.2f} together).")
    else:
        tail = (f"today's supporters hold {hl['support_now']:g} of the {hl['quota']:g} votes "
                "needed and no plan reaches the quota.")
    sec.summary = (f"{esc(hl['top_power'])} holds the most voting power "
                   f"({hl['top_power_shapley_shubik']:.0%} Shapley–Shubik for "
                   f"{hl['top_power_weight_share']:.0%} of the votes); {tail}")
    return sec
