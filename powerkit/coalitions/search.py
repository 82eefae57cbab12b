"""Competing interests on deals too big to enumerate (docs/methods/coalitions.md §6b).

A deal with 12 issues of 8 options has 8¹² ≈ 6.9·10¹⁰ packages: no table of them fits in
memory. :func:`powerkit.coalitions.acceptable_packages` then works without enumerating, with
the pieces of this module:

* :func:`package_space` — each party's additive contribution of every option (the model of
  :func:`~powerkit.coalitions.party_utilities`), one array per issue;
* :func:`kth_smallest_sum` and :func:`median_utility` — a party's median package utility (the
  default reservation), **exact**, by selection in the sum of two half-deals (meet in the
  middle: two sorted lists of partial sums of a few hundred thousand entries each);
* :func:`top_packages` — the best passing packages in the ranking of
  :func:`~powerkit.coalitions.acceptable_packages`, **exact**: for each set of parties that
  can pass a package, a lower bound ``L`` on the N-th best margin comes from packages in hand
  (a seeded sample, the issue-by-issue best packages for weighted sums of the parties'
  utilities, and a local search from the best of them); a search issue by issue then keeps
  only partial packages whose best completion can still reach ``L`` for every party (a bound
  never below the truth, so no package of the top N is lost);
* :func:`estimate_share` — how many packages pass: counted exactly when the search met every
  passing package, else **estimated** from a seeded uniform sample of packages, with its 95%
  Wilson interval (the estimate and its interval are stated in the output).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..deal.table_checks import MAX_HALF, package_count_message, split_halves
from ..errors import InputError

__all__ = ["PackageSpace", "package_space", "kth_smallest_sum", "median_utility",
           "top_packages", "passing_sets", "estimate_share", "packages_problem", "Rules",
           "MAX_HALF", "MAX_STATES", "SAMPLE_SIZE"]

# MAX_HALF: partial packages of one half-deal in the median's selection (deal.table_checks)
MAX_STATES = 2_000_000    # partial packages the bounded search may hold at once
SAMPLE_SIZE = 200_000     # packages drawn to estimate how many pass
_BAND = 2_000_000         # pairs enumerated at the end of the selection
_WINDOW = 2_000_000       # packages re-added in issue order around a median
_TOL = 1e-9               # slack of the search's bounds (sums added in another order)


@dataclass(frozen=True)
class PackageSpace:
    """Issues (deal order), their options (table order) and, per party, the utility each option
    adds: ``contrib[party][i][o] = w̃_pi · rating_p(i, o) / maxₒ rating_p(i, o)`` (0 where the
    party does not rate the issue). A package's utility is the sum over issues, added in issue
    order, which is exactly how :func:`~powerkit.coalitions.party_utilities` adds it."""

    issues: tuple
    options: tuple
    contrib: dict

    @property
    def sizes(self) -> tuple[int, ...]:
        """Options per issue."""
        return tuple(len(o) for o in self.options)

    @property
    def count(self) -> int:
        """The number of packages (exact, any size)."""
        return math.prod(self.sizes)

    def utilities(self, choice: np.ndarray) -> dict:
        """Each party's utility of the packages ``choice`` (rows: packages, columns: option
        positions per issue), summed in issue order."""
        out = {}
        for p, cs in self.contrib.items():
            u = np.zeros(len(choice))
            for i, c in enumerate(cs):
                u += c[choice[:, i]]
            out[p] = u
        return out

    def frame(self, choice: np.ndarray) -> pd.DataFrame:
        """The packages ``choice`` as :func:`~powerkit.coalitions.party_utilities` rows."""
        df = pd.DataFrame({iss: np.asarray(opts, dtype=object)[choice[:, i]]
                           for i, (iss, opts) in enumerate(zip(self.issues, self.options,
                                                               strict=True))})
        for p, u in self.utilities(choice).items():
            df[f"U({p})"] = u
        return df


def package_space(issues: pd.DataFrame) -> PackageSpace:
    """Parse a deal's long ``issues`` table into a :class:`PackageSpace`.

    Examples
    --------
    >>> t = pd.DataFrame({"issue": ["fee"] * 4, "option": ["low", "high"] * 2,
    ...                   "party": ["a", "a", "b", "b"], "rating": [1, 0, 0, 2], "weight": 1})
    >>> s = package_space(t)
    >>> s.sizes, [c.tolist() for c in s.contrib["b"]]
    ((2,), [[0.0, 1.0]])
    """
    t = issues
    names = list(pd.unique(t["issue"]))
    options = {i: list(pd.unique(t.loc[t["issue"] == i, "option"])) for i in names}
    contrib = {}
    for party in pd.unique(t["party"]):
        g = t[t["party"] == party]
        wts = g.groupby("issue", sort=False)["weight"].first().astype(float)
        wts = wts / wts.sum() if wts.sum() > 0 else wts * 0
        cs = []
        for i in names:
            c = np.zeros(len(options[i]))
            if i in wts.index:
                r = g[g["issue"] == i].set_index("option")["rating"].astype(float)
                r = r.reindex(options[i]).fillna(0.0).to_numpy()
                mx = r.max()
                if mx > 0:
                    c = wts[i] * (r / mx)
            cs.append(c)
        contrib[party] = cs
    return PackageSpace(tuple(names), tuple(tuple(options[i]) for i in names), contrib)


def packages_problem(sizes) -> str | None:
    """Why a deal with these option counts per issue is beyond the package analyses (the
    reservation median's half-deals would exceed :data:`MAX_HALF` partial packages), or None:
    the deal layer's check, which ``powerkit validate`` runs too.

    >>> packages_problem([8] * 12) is None
    True
    """
    return package_count_message(sizes)


_halves = split_halves


def _unravel(index: np.ndarray, shape) -> tuple:
    """Option positions of the packages numbered ``index`` of a (possibly empty) set of issues."""
    return tuple(np.unravel_index(index, shape)) if len(shape) else ()


def _sums(arrays) -> np.ndarray:
    s = np.zeros(1)
    for c in arrays:
        s = (s[:, None] + np.asarray(c, dtype=float)[None, :]).ravel()
    return s


def kth_smallest_sum(x, y, k: int, seed: int = 0) -> float:
    """The k-th smallest (1-based) of the ``len(x)·len(y)`` sums ``x_i + y_j``, without forming
    them all.

    Selection in X + Y: the distinct values of each list, sorted, with their multiplicities;
    the pairs below a value are counted row by row (binary search), and a band of pairs known to
    hold the k-th sum is narrowed around pivots drawn from it (seeded) until at most two million
    distinct pairs remain, which are enumerated. Cost: O((|x| + |y|) log) per round, a few
    rounds. Pairs are compared on their rounded sums ``x_i + y_j``, so the answer is the k-th
    of the sums as floating point computes them.

    Examples
    --------
    >>> kth_smallest_sum([0, 10], [1, 2, 3], 4)
    11.0
    >>> kth_smallest_sum([0, 0, 1], [0, 1], 3)
    1.0

    References
    ----------
    Frederickson, G. N. & Johnson, D. B. (1982). The complexity of selection and ranking in X + Y
    and matrices with sorted columns. *J. Computer and System Sciences* 24(2), 197–208.
    """
    x, wx = np.unique(np.asarray(x, dtype=float), return_counts=True)
    y, wy = np.unique(np.asarray(y, dtype=float), return_counts=True)
    n = int(wx.sum()) * int(wy.sum())
    if not 1 <= k <= n:
        raise InputError(f"kth_smallest_sum: k must lie in 1..{n}, got {k}")
    cy = np.concatenate([[0], np.cumsum(wy)])     # pairs of row i with j < J: wx_i · cy[J]
    lo = np.zeros(len(x), dtype=np.int64)        # pairs j < lo[i] lie below the band
    hi = np.full(len(x), len(y), dtype=np.int64)   # pairs j ≥ hi[i] lie above it
    below = 0
    rng = np.random.default_rng(seed)

    def weight(a, b):
        return int((wx * (cy[b] - cy[a])).sum())

    while True:
        width = hi - lo
        band = int(width.sum())
        if band <= _BAND:
            rows = np.repeat(np.arange(len(x)), width)
            cols = lo[rows] + (np.arange(band) - (np.cumsum(width) - width)[rows])
            sums = x[rows] + y[cols]
            o = np.argsort(sums, kind="stable")
            cum = np.cumsum(wx[rows[o]] * wy[cols[o]])
            return float(sums[o][np.searchsorted(cum, k - below)])
        m = int(min(40001, max(101, band // 4)))
        pos = rng.integers(0, band, size=m)
        ends = np.cumsum(width)
        r = np.searchsorted(ends, pos, side="right")
        c = lo[r] + pos - (ends[r] - width[r])
        smp = x[r] + y[c]
        o = np.argsort(smp, kind="stable")
        smp = smp[o]
        w = (wx[r] * wy[c])[o].astype(float)
        cdf = np.cumsum(w) / w.sum()
        q = (k - below) / weight(lo, hi)
        t = int(np.searchsorted(cdf, q))
        marg = int(3 * math.sqrt(m))
        a, b = smp[max(0, t - marg)], smp[min(m - 1, t + marg)]
        mid_lo = np.clip(_cut(x, y, a, True), lo, hi)    # x_i + y_j < a
        mid_hi = np.clip(_cut(x, y, b, False), lo, hi)   # x_i + y_j ≤ b
        n_low, n_mid = weight(lo, mid_lo), weight(mid_lo, mid_hi)
        if k - below <= n_low:
            hi = mid_lo
        elif k - below <= n_low + n_mid:
            if (mid_lo == lo).all() and (mid_hi == hi).all():  # every pair lies in [a, b]
                piv = smp[min(m - 1, t)]
                p_lo = np.clip(_cut(x, y, piv, True), lo, hi)
                p_hi = np.clip(_cut(x, y, piv, False), lo, hi)
                c_lo, c_eq = weight(lo, p_lo), weight(p_lo, p_hi)
                if k - below <= c_lo:
                    hi = p_lo
                elif k - below <= c_lo + c_eq:
                    return float(piv)
                else:
                    below += c_lo + c_eq
                    lo = p_hi
                continue
            below += n_low
            lo, hi = mid_lo, mid_hi
        else:
            below += n_low + n_mid
            lo = mid_hi


def _cut(x: np.ndarray, y: np.ndarray, v: float, strict: bool) -> np.ndarray:
    """Per ``x_i`` (sorted), how many ``y_j`` (sorted) give ``x_i + y_j < v`` (``strict``) or
    ``≤ v``, judged on the rounded sums themselves: a binary search on ``v − x_i``, whose own
    rounding is then corrected one unit in the last place at a time (float addition is
    monotone)."""
    side = "left" if strict else "right"
    t = v - x
    j = np.searchsorted(y, t[::-1], side=side)[::-1].copy()   # ascending queries: faster
    last = len(y) - 1
    rows = np.arange(len(x))
    for _ in range(200):
        xr, jr = x[rows], j[rows]
        s_below = xr + y[np.clip(jr - 1, 0, last)]
        s_at = xr + y[np.clip(jr, 0, last)]
        down = (jr > 0) & (~(s_below < v) if strict else ~(s_below <= v))
        up = (jr <= last) & ((s_at < v) if strict else (s_at <= v))
        move = down | up
        if not move.any():
            break
        rows, down = rows[move], down[move]
        t[rows] = np.where(down, np.nextafter(t[rows], -np.inf), np.nextafter(t[rows], np.inf))
        j[rows] = np.searchsorted(y, t[rows], side=side)
    return j


def median_utility(contrib, seed: int = 0) -> float:
    """The median utility of a party over all packages, exactly as ``pandas.Series.median`` of
    every package's utility gives it (the mean of the two middle values when the count is
    even; each utility added issue by issue in issue order).

    ``contrib``: the party's contribution of each option, one array per issue. The issues are
    split into two halves with package counts as even as possible; each half's partial sums
    are listed (at most :data:`MAX_HALF` each), the middle packages are selected by
    :func:`kth_smallest_sum` and the packages within 1e-9 of them added again in issue order.

    Examples
    --------
    >>> median_utility([np.array([0.0, 0.5]), np.array([0.0, 0.25, 0.5])])
    0.5
    """
    contrib = [np.asarray(c, dtype=float) for c in contrib]
    sizes = [len(c) for c in contrib]
    problem = packages_problem(sizes)
    if problem is not None:
        raise InputError(f"The {problem}.")
    s, _, _ = _halves(sizes)
    x, y = _sums(contrib[:s]), _sums(contrib[s:])
    n = math.prod(sizes)

    xs, ys = np.sort(x), np.sort(y)
    ox, oy = np.argsort(x, kind="stable"), np.argsort(y, kind="stable")

    def values(k):
        # the k-th sum of the halves, then every pair within 1e-9 of it added again in issue
        # order (rounding differs by ~1e-16 per issue), so near-ties order as enumeration
        # would; returns the k-th and, when it lies in that window too, the (k+1)-th
        v = kth_smallest_sum(x, y, k, seed)
        lo = np.searchsorted(ys, (v - 1e-9) - xs, side="left")
        hi = np.searchsorted(ys, (v + 1e-9) - xs, side="right")
        width = hi - lo
        if width.sum() > _WINDOW:  # over 2M packages within 1e-9: v (off by ≤ 1e-15)
            return [v]
        rows = np.repeat(np.arange(len(xs)), width)
        cols = lo[rows] + (np.arange(width.sum()) - (np.cumsum(width) - width)[rows])
        pos = _unravel(ox[rows], sizes[:s]) + _unravel(oy[cols], sizes[s:])
        u = np.zeros(len(rows))
        for c, o in zip(contrib, pos, strict=True):
            u = u + c[o]
        u.sort()
        r = k - int(lo.sum()) - 1
        return [float(w) for w in u[r:r + 2]]

    if n % 2:
        return float(values(n // 2 + 1)[0])
    mid = values(n // 2)
    if len(mid) < 2:
        mid = [mid[0], values(n // 2 + 1)[0]]
    return float(np.mean(mid))


def estimate_share(hits: int, n: int, z: float = 1.959964) -> tuple[float, float, float]:
    """A share estimated from ``hits`` of ``n`` uniform draws and its Wilson score interval
    (95% by default): ``(share, low, high)``.

    >>> [round(v, 4) for v in estimate_share(50, 100)]
    [0.5, 0.4038, 0.5962]

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *J. American Statistical Association* 22(158), 209–212.
    """
    p = hits / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return p, max(0.0, c - h), min(1.0, c + h)


# --------------------------------------------------------------------------------------------
# the bounded search
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rules:
    """What acceptance and passing mean (built by acceptable_packages from the deal)."""

    judges: tuple             # parties asked to accept
    res: dict                 # party -> reservation utility
    price: tuple              # per issue: amount of each option (zeros: not money)
    price_order: tuple        # money issues (positions), in the order the price is added
    floor: dict               # judge -> lowest price it accepts (sellers)
    ceiling: dict             # judge -> highest price it accepts (buyers)
    votes: dict               # judge -> votes
    needed: float
    must: tuple               # judges that must accept (us, the sign-off holders' parties)
    us: object                # whose utility breaks ties (None: no tie-break)


def _price(rules: Rules, choice: np.ndarray) -> np.ndarray | None:
    if not rules.price_order:
        return None
    out = 0
    for i in rules.price_order:
        out = out + rules.price[i][choice[:, i]]
    return out


def _accepts(rules: Rules, U: dict, price, p) -> np.ndarray:
    ok = U[p] >= rules.res[p] - 1e-12
    if price is not None and p in rules.floor:
        ok &= price >= rules.floor[p] - 1e-6
    if price is not None and p in rules.ceiling:
        ok &= price <= rules.ceiling[p] + 1e-6
    return ok


def passing_sets(rules: Rules) -> list[tuple]:
    """Every set of judges whose acceptance passes a package, largest first."""
    J = list(rules.judges)
    out = []
    for mask in range(1, 1 << len(J)):
        A = tuple(J[i] for i in range(len(J)) if mask >> i & 1)
        if not set(rules.must) <= set(A):
            continue
        if sum(rules.votes[p] for p in A) >= rules.needed - 1e-9:
            out.append(A)
    return sorted(out, key=lambda A: -len(A))


def _margin(rules: Rules, U: dict, price, A) -> np.ndarray:
    """min over A of U_p − r_p where every party of A accepts, else −inf."""
    ok = np.ones(len(next(iter(U.values()))), dtype=bool)
    m = np.full(len(ok), np.inf)
    for p in A:
        ok &= _accepts(rules, U, price, p)
        m = np.minimum(m, U[p] - rules.res[p])
    return np.where(ok, m, -np.inf)


def _distinct(space: PackageSpace, choice: np.ndarray) -> np.ndarray:
    """The distinct rows of ``choice``, in issue order (lexicographic option positions)."""
    if len(choice) < 2:
        return choice
    stride = np.cumprod((list(space.sizes[1:]) + [1])[::-1])[::-1].astype(np.int64)
    _, first = np.unique(choice @ stride, return_index=True)
    return choice[first]


def _order_top(space: PackageSpace, rules: Rules, choice: np.ndarray, A, top: int) -> np.ndarray:
    """The ``top`` packages of ``choice`` accepted by all of A, by margin over A, then our
    utility, then option positions (issue order)."""
    if not len(choice):
        return choice
    U = space.utilities(choice)
    keep = np.isfinite(_margin(rules, U, _price(rules, choice), A))
    choice = _distinct(space, choice[keep])
    U = space.utilities(choice)
    m = _margin(rules, U, _price(rules, choice), A)
    u = U[rules.us] if rules.us in U else np.zeros(len(m))
    keys = [choice[:, i] for i in range(choice.shape[1] - 1, -1, -1)] + [-u, -m]
    return choice[np.lexsort(keys)][:top]


def _local_search(space, rules, start: np.ndarray, A, steps: int = 60) -> np.ndarray:
    """Best-neighbour climbing on (margin over A, our utility): one issue changes per step.
    Returns the local optima and all their neighbours (near the top: they set the bound)."""
    iss = np.concatenate([np.full(m, i) for i, m in enumerate(space.sizes)])
    opt = np.concatenate([np.arange(m) for m in space.sizes])
    out = []
    for x in start:
        x = x.copy()
        for _ in range(steps):
            nb = np.repeat(x[None, :], len(iss), axis=0)
            nb[np.arange(len(iss)), iss] = opt
            U = space.utilities(nb)
            m = _margin(rules, U, _price(rules, nb), A)
            u = U[rules.us] if rules.us in U else np.zeros(len(m))
            best = np.lexsort((-u, -m))[0]
            here = np.flatnonzero((nb == x).all(axis=1))[0]
            if (m[best], u[best]) > (m[here], u[here]):
                x = nb[best].copy()
            else:
                out.append(nb)
                break
        else:
            out.append(nb)
    return np.concatenate(out) if out else np.empty((0, len(space.sizes)), dtype=np.int64)


def _weighted_best(space: PackageSpace, A) -> np.ndarray:
    """For weights λ on a grid of the simplex over A, the package maximising Σ λ_p U_p —
    issue by issue, exactly (the objective is a sum over issues)."""
    k = len(A)
    steps = 10 if k <= 3 else 4
    grid = [c for c in np.ndindex(*([steps + 1] * k)) if sum(c) == steps]
    out = []
    for c in grid:
        lam = np.array(c, dtype=float) / steps
        out.append([int(np.argmax(sum(lam[j] * space.contrib[p][i] for j, p in enumerate(A))))
                    for i in range(len(space.sizes))])
    return np.array(out, dtype=np.int64)


def _bounded(space: PackageSpace, rules: Rules, A, bound: float) -> np.ndarray:
    """Every package (option positions) whose margin over A can reach ``bound``: issue by issue,
    a partial package is dropped when, even with every later issue at its best for that party,
    some party of A would stay below r_p + bound, or the price could no longer enter the
    window of A's reservation prices."""
    n = len(space.sizes)
    C = [np.stack([space.contrib[p][i] for p in A], axis=1) for i in range(n)]  # (m_i, k)
    order = sorted(range(n), key=lambda i: -float(np.ptp(C[i], axis=0).max()))
    thr = np.array([rules.res[p] + bound for p in A]) - _TOL
    best = np.array([C[i].max(axis=0) for i in order])
    rest = np.vstack([np.cumsum(best[::-1], axis=0)[::-1], np.zeros((1, len(A)))])
    money = bool(rules.price_order) and any(p in rules.floor or p in rules.ceiling for p in A)
    if money:
        pr = [np.nan_to_num(rules.price[i], nan=np.inf) for i in order]
        pmin = np.concatenate([np.cumsum([a.min() for a in pr][::-1])[::-1], [0.0]])
        pmax = np.concatenate([np.cumsum([a.max() for a in pr][::-1])[::-1], [0.0]])
        lo = max([rules.floor[p] for p in A if p in rules.floor], default=-np.inf) - 1e-6
        hi = min([rules.ceiling[p] for p in A if p in rules.ceiling], default=np.inf) + 1e-6
        slack = 1e-9 * max(1.0, abs(lo) if np.isfinite(lo) else 1.0,
                           abs(hi) if np.isfinite(hi) else 1.0)
    part = np.zeros((1, len(A)))
    pp = np.zeros(1)
    parents, picks = [], []
    for t, i in enumerate(order):
        m = len(C[i])
        if not len(part):
            return np.empty((0, n), dtype=np.int64)
        keep_idx, keep_part, keep_pp = [], [], []
        chunk = max(1, 4_000_000 // m)
        for s in range(0, len(part), chunk):
            cp = (part[s:s + chunk, None, :] + C[i][None, :, :]).reshape(-1, len(A))
            ok = (cp + rest[t + 1] >= thr).all(axis=1)
            if money:
                cpp = (pp[s:s + chunk, None] + pr[t][None, :]).ravel()
                ok &= (cpp + pmin[t + 1] <= hi + slack) & (cpp + pmax[t + 1] >= lo - slack)
                keep_pp.append(cpp[ok])
            idx = np.flatnonzero(ok)
            keep_idx.append(idx + s * m)
            keep_part.append(cp[ok])
        idx = np.concatenate(keep_idx)
        if len(idx) > MAX_STATES:
            raise InputError(
                f"The 'issues' table gives {space.count:,} packages and too many of them tie "
                f"for the best (over {MAX_STATES:,} partial packages after {t + 1} issues): "
                "merge options that parties rate the same, or set reservation utilities.")
        part = np.concatenate(keep_part)
        pp = np.concatenate(keep_pp) if money else np.zeros(len(part))
        parents.append(idx // m)
        picks.append(idx % m)
    choice = np.empty((len(part), n), dtype=np.int64)
    ix = np.arange(len(part))
    for t in range(n - 1, -1, -1):
        choice[:, order[t]] = picks[t][ix]
        ix = parents[t][ix]
    return choice


def top_packages(space: PackageSpace, rules: Rules, top: int = 20, seed: int = 0,
                 sample_size: int = SAMPLE_SIZE) -> tuple[np.ndarray, dict]:
    """The packages that may be among the ``top`` best passing ones, and facts about the search.

    For each set A of judges that passes a package (largest first), the ``top`` packages
    accepted by every party of A, by margin over A (``min_{p∈A} U_p − r_p``), then our utility,
    then issue order, are found exactly (see the module docstring). Any package of the overall
    ``top`` whose acceptors are exactly A is among them: every package ahead of it in A's list
    is ahead of it overall (same acceptors and a better key, or more acceptors). Sets smaller
    than the breadth of ``top`` packages already found are skipped. Returns the union of the
    lists (option positions) and ``{"complete": bool, "sample": (hits, draws), "all": bool}``:
    ``complete`` when every passing package was met (the union then holds them all); the
    sample is ``sample_size`` packages drawn uniformly with replacement (seeded), or every
    package (``all``) when there are at most ``sample_size``.
    """
    n = len(space.sizes)
    rng = np.random.default_rng(seed)
    every = space.count <= sample_size
    if every:
        sample = np.stack(np.unravel_index(np.arange(space.count), space.sizes), axis=1)
    else:
        sample = np.stack([rng.integers(0, m, size=sample_size) for m in space.sizes], axis=1)
    draws = len(sample)
    Us = space.utilities(sample)
    ps = _price(rules, sample)
    acc = {p: _accepts(rules, Us, ps, p) for p in rules.judges}
    votes = sum(np.where(acc[p], rules.votes[p], 0.0) for p in rules.judges) \
        if rules.judges else np.zeros(draws)
    passes = votes >= rules.needed - 1e-9
    for p in rules.must:
        passes &= acc[p]
    found = [np.empty((0, n), dtype=np.int64)]
    complete = True
    breadth_done: list[int] = []
    for A in passing_sets(rules):
        if sum(b > len(A) for b in breadth_done) >= top:
            complete = False
            break
        pool = np.concatenate([sample, _weighted_best(space, A)])
        ranked = _order_top(space, rules, pool, A, max(top, 10))
        if len(ranked):
            pool = np.concatenate([pool, _local_search(space, rules, ranked[:10], A)])
        ranked = _order_top(space, rules, pool, A, top)
        if len(ranked) >= top:
            U = space.utilities(ranked[-1:])
            bound = float(_margin(rules, U, _price(rules, ranked[-1:]), A)[0])
        else:
            bound = -1e-12
        cand = _order_top(space, rules, _bounded(space, rules, A, bound), A, top)
        if len(cand) >= top or bound > -1e-12:
            complete = False
        found.append(cand)
        breadth_done.extend(_breadth(space, rules, cand))
    return _distinct(space, np.concatenate(found)), {
        "complete": complete, "sample": (int(passes.sum()), int(draws)), "all": every}


def _breadth(space, rules, choice) -> list[int]:
    if not len(choice):
        return []
    U = space.utilities(choice)
    pr = _price(rules, choice)
    return [int(b) for b in sum(_accepts(rules, U, pr, p).astype(int) for p in rules.judges)]
