"""Value creation: multi-issue packages, the exact Pareto frontier, fair points, value left.

The method (METHOD.md §4–5) asks both the stronger and the weaker side to *create* value rather
than extract concessions. In a multi-issue deal that has a precise meaning: a **package** picks
one option on every issue; each side scores it with the additive model of Inspire and GENIUS,

    U = Σᵢ wᵢ · ratingᵢ(option) / maxₒ ratingᵢ(o),        Σᵢ wᵢ = 1,

and the packages nobody can improve for one side without hurting the other form the **Pareto
frontier**. This module computes that frontier exactly (without enumerating the packages), the
fair points on it (asymmetric Nash, Kalai–Smorodinsky, utilitarian), how much value a proposal
leaves on the table, which issues to trade (logrolling), how robust the frontier is when the
other side's weights are uncertain (seeded Monte Carlo), and what each side gave up in the offers
history.

Data shapes
-----------
*ratings* (input of :func:`score_options`): a DataFrame with columns ``issue, option, us, them``
— each side's raw rating of the option, any non-negative scale (normalised per issue by its
maximum). *weights*: a mapping ``issue -> (us_weight, them_weight)`` or a DataFrame with
columns ``issue, us, them`` (or indexed by issue with columns ``us, them``); each side's
weights are normalised to sum 1.

*options* (the "long table", output of :func:`score_options` and :func:`options_from_deal`,
input of everything else): one row per (issue, option) with columns ``issue, option, us, them``
— each side's additive contribution ``wᵢ · ratingᵢ(option) / maxₒ ratingᵢ(o)`` — followed by
the provenance columns ``us_rating, them_rating, us_weight, them_weight``. Only the first four
columns are required by the functions below. Issues and options keep the order of the table.

*packages* (output of :func:`pareto_frontier` and friends): one row per package, one column
per issue holding the chosen option, then ``us`` and ``them`` (each side's utility).

See docs/methods/value.md for every formula, the frontier algorithm and its references.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .deal.reference import load_itex_cypress  # noqa: F401  (doctests)
from .errors import NoAgreement

__all__ = [
    "score_options", "options_from_deal", "pareto_frontier",
    "package_utilities", "sample_packages", "count_packages",
    "nash_package", "kalai_smorodinsky_package", "utilitarian_package", "fair_packages",
    "FairPoint", "zopa_packages", "evaluate_package", "PackageEvaluation", "issue_priorities",
    "logrolling", "monte_carlo", "MonteCarloResult", "concessions_from_offers", "concessions",
    "latest_offer", "default_alpha", "what_if", "ValueAnalysis", "recommended_packages",
    "report_section",
]


_GRID_BITS = 30  # final utilities are compared on a grid of 2**-30 of the largest achievable total
_MC_ENUMERATE = 200_000  # monte_carlo enumerates the packages up to this many, else merges


# --------------------------------------------------------------------------------------------
# argument checks
# --------------------------------------------------------------------------------------------
def _bad(param: str, func: str, must: str, got) -> ValueError:
    g = repr(got)
    if len(g) > 120:
        g = g[:117] + "..."
    return ValueError(f"The '{param}' parameter of {func} must be {must}. Got {g} instead.")


def _pair(value, param: str, func: str) -> tuple[float, float]:
    try:
        a, b = value
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        raise _bad(param, func, "a pair of finite numbers (us, them)", value) from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise _bad(param, func, "a pair of finite numbers (us, them)", value)
    return a, b


def _alpha(alpha, func: str) -> float:
    try:
        a = float(alpha)
    except (TypeError, ValueError):
        raise _bad("alpha", func, "a number in [0, 1]", alpha) from None
    if not 0.0 <= a <= 1.0:
        raise _bad("alpha", func, "a number in [0, 1]", alpha)
    return a


@dataclass(frozen=True)
class _Space:
    """A parsed options table: issues in order, their options, each side's contributions."""

    issues: tuple
    options: tuple          # tuple of tuples of option names, per issue
    us: tuple               # tuple of float arrays, per issue
    them: tuple

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(o) for o in self.options)


def _space(options, func: str) -> _Space:
    if not isinstance(options, pd.DataFrame):
        raise _bad("options", func, "a DataFrame with columns issue, option, us, them "
                   "(see score_options)", type(options).__name__)
    missing = [c for c in ("issue", "option", "us", "them") if c not in options.columns]
    if missing:
        raise _bad("options", func, "a DataFrame with columns issue, option, us, them "
                   f"(missing {', '.join(missing)})", list(options.columns))
    if len(options) == 0:
        raise _bad("options", func, "a non-empty table of options", "an empty table")
    df = options[["issue", "option", "us", "them"]]
    if df[["issue", "option"]].isna().any().any():
        raise _bad("options", func, "a table without blank issue or option names", "a blank name")
    dup = df.duplicated(["issue", "option"])
    if dup.any():
        r = df[dup].iloc[0]
        raise _bad("options", func, "a table with one row per (issue, option)",
                   f"{r['issue']!r}/{r['option']!r} twice")
    vals = df[["us", "them"]].to_numpy(dtype=float)
    if not np.isfinite(vals).all():
        raise _bad("options", func, "a table with finite us and them utilities", "NaN or inf")
    issues = tuple(pd.unique(df["issue"]))
    for reserved in ("us", "them"):
        if reserved in issues:
            raise _bad("options", func, "a table without an issue named 'us' or 'them' "
                       "(those are the utility columns of a package)", reserved)
    codes = pd.Categorical(df["issue"], categories=list(issues)).codes
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(issues) + 1))
    names = df["option"].to_numpy(dtype=object)[order]
    v = vals[order]
    parts = [slice(bounds[k], bounds[k + 1]) for k in range(len(issues))]
    return _Space(issues, tuple(tuple(names[p]) for p in parts),
                  tuple(v[p, 0].copy() for p in parts), tuple(v[p, 1].copy() for p in parts))


# --------------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------------
def _weights_table(weights, issues, func: str) -> pd.DataFrame:
    must = "a mapping issue -> (us_weight, them_weight) or a DataFrame with columns issue, us, them"
    if isinstance(weights, pd.DataFrame):
        w = weights.set_index("issue") if "issue" in weights.columns else weights
        if not {"us", "them"} <= set(w.columns):
            raise _bad("weights", func, must, list(weights.columns))
        rows = {k: (w.loc[k, "us"], w.loc[k, "them"]) for k in w.index}
    elif isinstance(weights, Mapping):
        rows = {}
        for k, v in weights.items():
            try:
                a, b = v
            except (TypeError, ValueError):
                raise _bad("weights", func, must, {k: v}) from None
            rows[k] = (a, b)
    else:
        raise _bad("weights", func, must, type(weights).__name__)
    extra = [k for k in rows if k not in set(issues)]
    lacking = [k for k in issues if k not in rows]
    if lacking or extra:
        raise _bad("weights", func, "given for exactly the issues of the ratings "
                   f"({', '.join(map(str, issues))})",
                   {"missing": lacking, "unknown": extra})
    out = pd.DataFrame([rows[k] for k in issues], index=pd.Index(issues, name="issue"),
                       columns=["us", "them"])
    try:
        out = out.astype(float)
    except (TypeError, ValueError):
        raise _bad("weights", func, "made of numbers", rows) from None
    if not np.isfinite(out.to_numpy()).all() or (out.to_numpy() < 0).any():
        raise _bad("weights", func, "made of finite numbers ≥ 0", rows)
    for side in ("us", "them"):
        if out[side].sum() <= 0:
            raise _bad("weights", func, f"positive for at least one issue on side {side!r}", rows)
    return out / out.sum()


def score_options(ratings: pd.DataFrame, weights) -> pd.DataFrame:
    """Each side's additive contribution of every option (the Inspire/GENIUS model).

    ``contribution = wᵢ · ratingᵢ(option) / maxₒ ratingᵢ(o)`` with each side's weights
    normalised to sum 1, so a package's utility ``U = Σᵢ contributionᵢ`` lies in [0, 1] and the
    package with every side's best option scores 1 for that side. An issue whose ratings are all
    0 for a side contributes 0 to that side.

    Parameters
    ----------
    ratings : DataFrame
        Columns ``issue, option, us, them``: each side's rating of the option (≥ 0, any scale).
        One row per (issue, option); issues and options keep this order.
    weights : mapping or DataFrame
        ``{issue: (us_weight, them_weight)}``, or a DataFrame with columns ``issue, us, them``
        (or indexed by issue with columns ``us, them``). Weights ≥ 0; normalised per side.

    Returns
    -------
    DataFrame
        The long table: ``issue, option, us, them`` (contributions) then the provenance
        ``us_rating, them_rating, us_weight, them_weight`` (weights normalised).

    Raises
    ------
    ValueError
        When a column is missing, a rating or weight is negative or not finite, an (issue,
        option) repeats, the weights miss or add an issue, or a side's weights are all 0.

    Examples
    --------
    >>> r = pd.DataFrame({"issue": ["price", "price", "days", "days"],
    ...                   "option": ["high", "low", "30", "60"],
    ...                   "us": [10, 5, 1, 4], "them": [0, 8, 3, 3]})
    >>> s = score_options(r, {"price": (3, 1), "days": (1, 1)})
    >>> s["us"].round(4).tolist(), s["them"].round(4).tolist()
    ([0.75, 0.375, 0.0625, 0.25], [0.0, 0.5, 0.5, 0.5])

    References
    ----------
    Kersten, G. E. & Noronha, S. J. (1999). WWW-based negotiation support: design,
    implementation, and use. *Decision Support Systems* 25(2), 135–154.
    Lin, R., Kraus, S., Baarslag, T., Tykhonov, D., Hindriks, K. & Jonker, C. M. (2014). Genius:
    an integrated environment for supporting the design of generic automated negotiators.
    *Computational Intelligence* 30(1), 48–70.
    """
    func = "score_options"
    must = "a DataFrame with columns issue, option, us, them (each side's rating, ≥ 0)"
    if not isinstance(ratings, pd.DataFrame):
        raise _bad("ratings", func, must, type(ratings).__name__)
    if not {"issue", "option", "us", "them"} <= set(ratings.columns):
        raise _bad("ratings", func, must, list(ratings.columns))
    if len(ratings) == 0:
        raise _bad("ratings", func, "a non-empty table", "an empty table")
    r = ratings[["issue", "option", "us", "them"]].reset_index(drop=True)
    if r[["issue", "option"]].isna().any().any():
        raise _bad("ratings", func, "a table without blank issue or option names", "a blank name")
    dup = r.duplicated(["issue", "option"])
    if dup.any():
        row = r[dup].iloc[0]
        raise _bad("ratings", func, "a table with one row per (issue, option)",
                   f"{row['issue']!r}/{row['option']!r} twice")
    try:
        vals = r[["us", "them"]].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise _bad("ratings", func, "a table of numeric ratings", r[["us", "them"]].dtypes.to_dict()) from None
    if not np.isfinite(vals).all() or (vals < 0).any():
        raise _bad("ratings", func, "a table of finite ratings ≥ 0", "a negative, NaN or inf rating")
    issues = list(pd.unique(r["issue"]))
    w = _weights_table(weights, issues, func)
    out = pd.DataFrame({"issue": r["issue"], "option": r["option"]})
    for k, side in enumerate(("us", "them")):
        rating = vals[:, k]
        mx = r.assign(_v=rating).groupby("issue", sort=False)["_v"].transform("max").to_numpy()
        wi = w[side].reindex(r["issue"]).to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            out[side] = np.where(mx > 0, wi * rating / np.where(mx > 0, mx, 1.0), 0.0)
    out["us_rating"] = vals[:, 0]
    out["them_rating"] = vals[:, 1]
    out["us_weight"] = w["us"].reindex(r["issue"]).to_numpy()
    out["them_weight"] = w["them"].reindex(r["issue"]).to_numpy()
    return out


def _side_ratings(issues: pd.DataFrame, party: str):
    g = issues[issues["party"] == party]
    return (g.set_index(["issue", "option"])["rating"],
            g.groupby("issue", sort=False)["weight"].first())


def options_from_deal(deal, us: str | None = None, them: str | None = None,
                      weights=None) -> pd.DataFrame:
    """The long options table of a deal for any two parties (default: us and the counterpart).

    Reads the deal's ``issues`` table (issue, option, party, rating, weight) and calls
    :func:`score_options`. An issue that only one of the two parties rates counts 0 for the
    other (weight 0).

    Parameters
    ----------
    deal : Deal
    us, them : str, optional
        Party ids; default ``deal.us`` and ``deal.counterpart``.
    weights : mapping, optional
        ``{issue: (us_weight, them_weight)}`` replacing the deal's weights (what-if analyses);
        issues left out keep the deal's weights.

    Returns
    -------
    DataFrame
        See :func:`score_options`.

    Raises
    ------
    MissingTableError
        When the deal has no ``issues`` table.
    ValueError
        When a party rates no issue, or ``us == them``.

    Examples
    --------
    >>> deal = load_itex_cypress()
    >>> options_from_deal(deal).shape
    (15, 8)
    """
    func = "options_from_deal"
    table = deal.table("issues", analysis="value creation")
    us = deal.us if us is None else us
    them = deal.counterpart if them is None else them
    parties = list(pd.unique(table["party"]))
    for name, p in (("us", us), ("them", them)):
        if p not in parties:
            raise _bad(name, func, f"a party that rates the issues ({', '.join(map(str, parties))})", p)
    if us == them:
        raise _bad("them", func, "a party other than 'us'", them)
    pairs = table[["issue", "option"]].drop_duplicates()
    r_us, w_us = _side_ratings(table, us)
    r_them, w_them = _side_ratings(table, them)
    key = pd.MultiIndex.from_frame(pairs)
    ratings = pd.DataFrame({"issue": pairs["issue"].to_numpy(), "option": pairs["option"].to_numpy(),
                            "us": r_us.reindex(key).fillna(0.0).to_numpy(),
                            "them": r_them.reindex(key).fillna(0.0).to_numpy()})
    issues = list(pd.unique(pairs["issue"]))
    w = {i: (float(w_us.get(i, 0.0)), float(w_them.get(i, 0.0))) for i in issues}
    if weights:
        for i, v in dict(weights).items():
            if i not in w:
                raise _bad("weights", func, f"keyed by issues of the deal ({', '.join(map(str, issues))})", i)
            w[i] = _pair(v, "weights", func)
    return score_options(ratings, w)


# --------------------------------------------------------------------------------------------
# the exact Pareto frontier
# --------------------------------------------------------------------------------------------
def _resolution(side) -> float:
    """Grid step of one side: 2**-30 of the largest achievable |utility| (a power of two)."""
    top = sum(float(np.abs(a).max()) for a in side)
    return 2.0 ** (math.ceil(math.log2(top)) - _GRID_BITS) if top > 0 else 1.0


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


def _merge(U: list[np.ndarray], T: list[np.ndarray], step_u: float,
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


def _packages_frame(space: _Space, choice: np.ndarray) -> pd.DataFrame:
    cols = {}
    us = np.zeros(len(choice))
    them = np.zeros(len(choice))
    for i, issue in enumerate(space.issues):
        names = np.asarray(space.options[i], dtype=object)
        cols[issue] = names[choice[:, i]]
        us = us + space.us[i][choice[:, i]]
        them = them + space.them[i][choice[:, i]]
    df = pd.DataFrame(cols)
    df["us"] = us
    df["them"] = them
    return df


def _frontier_choice(space: _Space) -> np.ndarray:
    return _merge(list(space.us), list(space.them), _resolution(space.us),
                  _resolution(space.them))[2]


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
        Columns ``issue, option, us, them`` (see :func:`score_options`).

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
    space = _space(options, "pareto_frontier")
    return _packages_frame(space, _frontier_choice(space))


def count_packages(options: pd.DataFrame) -> int:
    """The number of packages: the product of the option counts.

    Examples
    --------
    >>> count_packages(options_from_deal(load_itex_cypress()))
    180
    """
    return int(np.prod([len(o) for o in _space(options, "count_packages").options], dtype=object))


def _package_choice(space: _Space, packages, func: str) -> np.ndarray:
    if isinstance(packages, Mapping):
        packages = pd.DataFrame([dict(packages)])
    elif isinstance(packages, pd.Series):
        packages = packages.to_frame().T
    elif isinstance(packages, list):
        packages = pd.DataFrame([dict(p) for p in packages])
    if not isinstance(packages, pd.DataFrame):
        raise _bad("package", func, "a mapping issue -> option or a DataFrame with a column per issue",
                   type(packages).__name__)
    lacking = [i for i in space.issues if i not in packages.columns]
    if lacking:
        raise _bad("package", func, f"an option for every issue ({', '.join(map(str, space.issues))})",
                   {"missing": lacking})
    choice = np.empty((len(packages), len(space.issues)), dtype=np.int64)
    for i, issue in enumerate(space.issues):
        pos = {o: k for k, o in enumerate(space.options[i])}
        for r, opt in enumerate(packages[issue]):
            if opt not in pos:
                raise _bad("package", func, f"an option of {issue!r}: "
                           f"{', '.join(map(str, space.options[i]))}", opt)
            choice[r, i] = pos[opt]
    return choice


def package_utilities(options: pd.DataFrame, packages) -> pd.DataFrame:
    """Each side's utility of given packages.

    Parameters
    ----------
    options : DataFrame
        The long table (see :func:`score_options`).
    packages : mapping, list of mappings or DataFrame
        ``{issue: option}`` per package, or a DataFrame with a column per issue.

    Returns
    -------
    DataFrame
        A column per issue, then ``us`` and ``them``.

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["x", "y"] * 2,
    ...                   "us": [0.5, 0.0, 0.5, 0.1], "them": [0.0, 0.4, 0.2, 0.6]})
    >>> package_utilities(o, {"a": "x", "b": "y"})
       a  b   us  them
    0  x  y  0.6   0.6
    """
    space = _space(options, "package_utilities")
    return _packages_frame(space, _package_choice(space, packages, "package_utilities"))


def sample_packages(options: pd.DataFrame, n: int = 4000, seed: int | None = 0) -> pd.DataFrame:
    """All packages when there are at most ``n``, else ``n`` drawn uniformly (seeded).

    Used to draw the cloud of packages behind the frontier.

    Examples
    --------
    >>> len(sample_packages(options_from_deal(load_itex_cypress())))
    180
    """
    space = _space(options, "sample_packages")
    sizes = np.array(space.sizes)
    total = int(np.prod(sizes, dtype=object))
    if total <= n:
        choice = np.stack(np.unravel_index(np.arange(total), sizes), axis=1).astype(np.int64)
    else:
        rng = np.random.default_rng(seed)
        choice = np.stack([rng.integers(0, m, size=n) for m in sizes], axis=1)
    return _packages_frame(space, choice)


# --------------------------------------------------------------------------------------------
# fair points
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FairPoint:
    """A package chosen by a bargaining rule, with what made it.

    ``inputs`` is the candidate table (the efficient packages inside the ZOPA) with the rule's
    objective in column ``score``; ``weights`` holds the rule's parameters (alpha, the
    disagreement point, the ideal point for Kalai–Smorodinsky).
    """

    rule: str
    package: dict
    us: float
    them: float
    disagreement: tuple
    inputs: pd.DataFrame
    weights: dict = field(default_factory=dict)

    def as_row(self) -> dict:
        return {"rule": self.rule, **self.package, "us": self.us, "them": self.them}


def _frontier_of(options, frontier, func):
    if frontier is None:
        return pareto_frontier(options)
    if not isinstance(frontier, pd.DataFrame) or not {"us", "them"} <= set(frontier.columns):
        raise _bad("frontier", func, "None or the DataFrame returned by pareto_frontier",
                   type(frontier).__name__)
    return frontier


def zopa_packages(options: pd.DataFrame, disagreement=(0.0, 0.0), frontier=None) -> pd.DataFrame:
    """The efficient packages inside the ZOPA: better than its BATNA for each side.

    Parameters
    ----------
    options : DataFrame
    disagreement : (float, float)
        Each side's BATNA (or reservation value) in utility units, 0–1 like the package
        utilities. A package is in the ZOPA when ``us > d_us`` and ``them > d_them``.
    frontier : DataFrame, optional
        A precomputed :func:`pareto_frontier` of ``options``.

    Returns
    -------
    DataFrame
        The rows of the frontier inside the ZOPA (may be empty).

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["mine", "yours"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> zopa_packages(o, (0.5, 0.5))
          a      b   us  them
    1  mine  yours  0.7   0.8
    """
    d = _pair(disagreement, "disagreement", "zopa_packages")
    f = _frontier_of(options, frontier, "zopa_packages")
    return f[(f["us"] > d[0]) & (f["them"] > d[1])]


def _issues_of(frontier: pd.DataFrame) -> list:
    return [c for c in frontier.columns if c not in ("us", "them", "score")]


def _pick(rule, cand, score, tie, d, weights):
    best = np.flatnonzero(score == score.max())
    if len(best) > 1 and tie is not None:
        best = best[tie[best] == tie[best].max()]
    k = int(best[0])
    row = cand.iloc[k]
    table = cand.assign(score=score)
    return FairPoint(rule=rule, package={i: row[i] for i in _issues_of(cand)},
                     us=float(row["us"]), them=float(row["them"]), disagreement=d,
                     inputs=table, weights=weights)


def _zopa_or_raise(options, disagreement, frontier, func):
    d = _pair(disagreement, "disagreement", func)
    f = _frontier_of(options, frontier, func)
    cand = f[(f["us"] > d[0]) & (f["them"] > d[1])].reset_index(drop=True)
    if len(cand) == 0:
        raise NoAgreement(f"No package gives both sides more than their BATNA {d}: the ZOPA is "
                          "empty. Lower a BATNA, or create value by adding an issue.")
    return d, cand


def nash_package(options: pd.DataFrame, disagreement=(0.0, 0.0), alpha: float = 0.5,
                 frontier=None) -> FairPoint:
    """The asymmetric Nash bargaining package.

    Maximises ``(U − d_us)^α · (T − d_them)^(1−α)`` over the packages inside the ZOPA; α is
    our bargaining weight (0.5: the symmetric Nash solution). The maximum of the product is
    always on the frontier, so only efficient packages are searched. Ties: the package with
    the larger ``us`` (first in frontier order).

    Parameters
    ----------
    options : DataFrame
        The long table (see :func:`score_options`).
    disagreement : (float, float)
        Each side's BATNA in utility units.
    alpha : float in [0, 1]
        Our bargaining weight, e.g. :func:`default_alpha` (walkthrough 1).
    frontier : DataFrame, optional
        A precomputed frontier.

    Returns
    -------
    FairPoint
        ``inputs`` has the log-objective ``α·ln(U−d) + (1−α)·ln(T−d)`` as ``score``.

    Raises
    ------
    NoAgreement
        When no package is better than the BATNA for both sides.
    ValueError
        On invalid ``alpha`` or ``disagreement``.

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["mine", "yours"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> p = nash_package(o)
    >>> p.package, round(p.us, 2), round(p.them, 2)
    ({'a': 'mine', 'b': 'yours'}, 0.7, 0.8)

    References
    ----------
    Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2), 155–162.
    Kalai, E. (1977). Nonsymmetric Nash solutions and replications of 2-person bargaining.
    *International Journal of Game Theory* 6(3), 129–133.
    """
    func = "nash_package"
    a = _alpha(alpha, func)
    d, cand = _zopa_or_raise(options, disagreement, frontier, func)
    score = a * np.log(cand["us"].to_numpy() - d[0]) + (1 - a) * np.log(cand["them"].to_numpy() - d[1])
    return _pick("nash", cand, score, None, d, {"alpha": a, "1-alpha": 1 - a, "disagreement": d})


def kalai_smorodinsky_package(options: pd.DataFrame, disagreement=(0.0, 0.0),
                              frontier=None) -> FairPoint:
    """The Kalai–Smorodinsky package: equal shares of each side's ideal gain.

    Ideal point ``I`` = each side's best utility among the packages inside the ZOPA. On a finite
    set of packages the point on the line from ``d`` to ``I`` may not exist, so the discrete
    rule maximises ``min((U − d_us)/(I_us − d_us), (T − d_them)/(I_them − d_them))``; ties go to
    the larger sum of the two ratios, then to the larger ``us``.

    Returns
    -------
    FairPoint
        ``weights`` holds the ideal point; ``inputs`` the ratio ``score``.

    Raises
    ------
    NoAgreement
        When the ZOPA is empty.

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["mine", "yours"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> kalai_smorodinsky_package(o).package
    {'a': 'mine', 'b': 'yours'}

    References
    ----------
    Kalai, E. & Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem.
    *Econometrica* 43(3), 513–518.
    """
    d, cand = _zopa_or_raise(options, disagreement, frontier, "kalai_smorodinsky_package")
    u = cand["us"].to_numpy() - d[0]
    t = cand["them"].to_numpy() - d[1]
    ideal = (float(cand["us"].max()), float(cand["them"].max()))
    ru, rt = u / u.max(), t / t.max()
    return _pick("kalai_smorodinsky", cand, np.minimum(ru, rt), ru + rt, d,
                 {"ideal": ideal, "disagreement": d})


def utilitarian_package(options: pd.DataFrame, disagreement=(0.0, 0.0),
                        frontier=None) -> FairPoint:
    """The utilitarian package: the largest joint utility ``U + T`` inside the ZOPA.

    Ties go to the larger smaller gain ``min(U − d_us, T − d_them)``, then to the larger ``us``.

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["mine", "yours"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> round(utilitarian_package(o).us + utilitarian_package(o).them, 2)
    1.5

    References
    ----------
    Harsanyi, J. C. (1955). Cardinal welfare, individualistic ethics, and interpersonal
    comparisons of utility. *Journal of Political Economy* 63(4), 309–321.
    """
    d, cand = _zopa_or_raise(options, disagreement, frontier, "utilitarian_package")
    u = cand["us"].to_numpy()
    t = cand["them"].to_numpy()
    return _pick("utilitarian", cand, u + t, np.minimum(u - d[0], t - d[1]), d,
                 {"us": 1.0, "them": 1.0, "disagreement": d})


def fair_packages(options: pd.DataFrame, disagreement=(0.0, 0.0), alpha: float = 0.5,
                  frontier=None) -> pd.DataFrame:
    """The Nash, Kalai–Smorodinsky and utilitarian packages side by side (empty if no ZOPA).

    Examples
    --------
    >>> fair_packages(options_from_deal(load_itex_cypress()))["rule"].tolist()
    ['nash', 'kalai_smorodinsky', 'utilitarian']
    """
    f = _frontier_of(options, frontier, "fair_packages")
    try:
        pts = [nash_package(options, disagreement, alpha, frontier=f),
               kalai_smorodinsky_package(options, disagreement, frontier=f),
               utilitarian_package(options, disagreement, frontier=f)]
    except NoAgreement:
        return pd.DataFrame(columns=["rule", *_issues_of(f), "us", "them"])
    return pd.DataFrame([p.as_row() for p in pts])


# --------------------------------------------------------------------------------------------
# evaluating a proposal
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PackageEvaluation:
    """How good a proposed package is, and what could be better for both.

    ``gap_us``: how much more we could get while they keep at least their utility
    (``max{U_f : T_f ≥ T_p} − U_p`` over the frontier); ``gap_them`` the same for them;
    ``joint_gain``: the largest ``ΔU + ΔT`` among the improvement packages.
    ``improvements``: the efficient packages at least as good for both (with gains
    ``d_us, d_them``), sorted by joint gain.
    """

    package: dict
    us: float
    them: float
    dominated: bool
    in_zopa: bool
    gap_us: float
    gap_them: float
    joint_gain: float
    improvements: pd.DataFrame
    disagreement: tuple

    @property
    def inputs(self) -> dict:
        return {"package": self.package, "disagreement": self.disagreement}


def evaluate_package(options: pd.DataFrame, package, disagreement=(0.0, 0.0),
                     frontier=None) -> PackageEvaluation:
    """Is a proposed package efficient, and how much value does it leave on the table?

    Parameters
    ----------
    options : DataFrame
    package : mapping issue -> option
    disagreement : (float, float)
        Each side's BATNA in utility units (for ``in_zopa``).
    frontier : DataFrame, optional

    Returns
    -------
    PackageEvaluation

    Examples
    --------
    Each side takes the other's priority: both lose against the logroll.

    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["mine", "yours"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> e = evaluate_package(o, {"a": "yours", "b": "mine"})
    >>> e.dominated, round(e.us, 2), round(e.them, 2), round(e.gap_us, 2), round(e.joint_gain, 2)
    (True, 0.3, 0.2, 0.4, 1.0)
    """
    func = "evaluate_package"
    space = _space(options, func)
    d = _pair(disagreement, "disagreement", func)
    f = _frontier_of(options, frontier, func)
    p = _packages_frame(space, _package_choice(space, package, func)).iloc[0]
    up, tp = float(p["us"]), float(p["them"])
    fu, ft = f["us"].to_numpy(), f["them"].to_numpy()
    scale = max(1.0, float(np.abs(fu).max()), float(np.abs(ft).max()))
    tol = 1e-9 * scale
    ge = (fu >= up - tol) & (ft >= tp - tol)
    better = ge & ((fu > up + tol) | (ft > tp + tol))
    imp = f[ge].copy()
    imp["d_us"] = imp["us"] - up
    imp["d_them"] = imp["them"] - tp
    imp = imp[better[ge]].assign(_j=lambda x: x["d_us"] + x["d_them"])
    imp = imp.sort_values("_j", ascending=False, kind="stable").drop(columns="_j")
    gap_us = float(fu[ft >= tp - tol].max() - up) if (ft >= tp - tol).any() else 0.0
    gap_them = float(ft[fu >= up - tol].max() - tp) if (fu >= up - tol).any() else 0.0
    joint = float((imp["d_us"] + imp["d_them"]).max()) if len(imp) else 0.0
    return PackageEvaluation(package={i: p[i] for i in space.issues}, us=up, them=tp,
                             dominated=bool(better.any()), in_zopa=bool(up > d[0] and tp > d[1]),
                             gap_us=max(gap_us, 0.0), gap_them=max(gap_them, 0.0),
                             joint_gain=joint, improvements=imp.reset_index(drop=True),
                             disagreement=d)


# --------------------------------------------------------------------------------------------
# where to trade
# --------------------------------------------------------------------------------------------
def issue_priorities(options: pd.DataFrame) -> pd.DataFrame:
    """What each side has at stake on each issue, and whether the sides agree on it.

    ``us_stake`` / ``them_stake``: the spread of the side's contributions over the options
    (``max − min``), i.e. the utility the side wins or loses on this issue; ``us_share`` /
    ``them_share``: the stake as a share of the side's total stake; ``shared_best``: some option
    is best for both sides (a *compatible* issue: agree on it at once); ``kind``:
    ``compatible``, or ``trade`` (the sides want different options).

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["x", "y"] * 2,
    ...                   "us": [0.6, 0.0, 0.4, 0.0], "them": [0.0, 0.3, 0.7, 0.0]})
    >>> issue_priorities(o)[["issue", "us_stake", "them_stake", "kind"]]
      issue  us_stake  them_stake        kind
    0     a       0.6         0.3       trade
    1     b       0.4         0.7  compatible
    """
    space = _space(options, "issue_priorities")
    rows = []
    for i, issue in enumerate(space.issues):
        u, t = space.us[i], space.them[i]
        shared = bool(np.any((u == u.max()) & (t == t.max())))
        rows.append({"issue": issue, "us_stake": float(u.max() - u.min()),
                     "them_stake": float(t.max() - t.min()), "shared_best": shared,
                     "us_best": space.options[i][int(np.argmax(u))],
                     "them_best": space.options[i][int(np.argmax(t))]})
    df = pd.DataFrame(rows)
    for side in ("us", "them"):
        tot = df[f"{side}_stake"].sum()
        df[f"{side}_share"] = df[f"{side}_stake"] / tot if tot > 0 else 0.0
    df["kind"] = np.where(df["shared_best"], "compatible", "trade")
    return df[["issue", "us_stake", "them_stake", "us_share", "them_share", "us_best",
               "them_best", "shared_best", "kind"]]


def logrolling(options: pd.DataFrame) -> pd.DataFrame:
    """Pairs of issues to trade: we get our way on one, they get theirs on the other.

    With stakes ``a`` (ours) and ``b`` (theirs) per issue (see :func:`issue_priorities`), a
    trade "we take ground on i, they take ground on j" can leave *both* sides better off exactly
    when the issues' relative priorities differ: ``ratio = (a_i / b_i) / (a_j / b_j) > 1``
    (we care relatively more about i, they about j). Measured from the mirror position (they
    hold i, we hold j), we take a share ``we_take`` of i's range and give a share ``we_give`` of
    j's range; the balanced trade, which gives both sides the same gain, has one share equal
    to 1, the other ``(a_i + b_i)/(a_j + b_j)`` or its inverse, and gains each side

        gain_each = (a_i·b_j − a_j·b_i) / max(a_i + b_i, a_j + b_j) > 0.

    Only ``trade`` issues are paired (``compatible`` ones need no trade).

    Returns
    -------
    DataFrame
        Columns ``we_get, they_get, ratio, we_take, we_give, gain_each``, largest gain first
        (empty when the sides' relative priorities never differ).

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["x", "y"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> lr = logrolling(o)
    >>> lr[["we_get", "they_get"]].values.tolist(), round(float(lr["gain_each"].iloc[0]), 4)
    ([['a', 'b']], 0.4545)

    References
    ----------
    Froman, L. A. & Cohen, M. D. (1970). Compromise and logroll: comparing the efficiency of
    two bargaining processes. *Behavioral Science* 15(2), 180–183.
    Raiffa, H. (1982). *The Art and Science of Negotiation*. Harvard University Press (ch. 11,
    trading on differences in priorities).
    """
    pr = issue_priorities(options)
    tr = pr[(pr["kind"] == "trade") & ((pr["us_stake"] > 0) | (pr["them_stake"] > 0))]
    rows = []
    for _, i in tr.iterrows():
        for _, j in tr.iterrows():
            if i["issue"] == j["issue"]:
                continue
            ai, bi, aj, bj = i["us_stake"], i["them_stake"], j["us_stake"], j["them_stake"]
            cross = ai * bj - aj * bi
            if cross <= 1e-12 * max(ai + bi, aj + bj) ** 2:
                continue
            si, sj = ai + bi, aj + bj
            take, give = (1.0, si / sj) if si <= sj else (sj / si, 1.0)
            den = aj * bi
            rows.append({"we_get": i["issue"], "they_get": j["issue"],
                         "ratio": (ai * bj) / den if den > 0 else math.inf,
                         "we_take": take, "we_give": give, "gain_each": cross / max(si, sj)})
    cols = ["we_get", "they_get", "ratio", "we_take", "we_give", "gain_each"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values("gain_each", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# uncertainty about the other side
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MonteCarloResult:
    """Monte Carlo frontier band and the chance that packages beat their BATNA.

    ``band``: for a grid of our utility ``us``, quantiles of the best utility they can get
    while we get at least ``us`` (columns ``us``, ``them_q05``, ``them_q50``, ``them_q95`` for
    the default quantiles, plus ``them_nominal``). ``packages``: the packages evaluated (default
    the nominal frontier) with ``p_beats_batna`` = share of draws in which their utility exceeds
    ``batna_them`` and ``them_mean``. ``weights``: the settings (spreads, seed, draws).
    """

    band: pd.DataFrame
    packages: pd.DataFrame
    weights: dict
    inputs: pd.DataFrame


def _spread(value, issues, func, param):
    if isinstance(value, Mapping):
        out = np.zeros(len(issues))
        for k, v in value.items():
            if k not in issues:
                raise _bad(param, func, "a number in [0, 1) or a mapping issue -> number; unknown issue", k)
            out[issues.index(k)] = float(v)
    else:
        try:
            out = np.full(len(issues), float(value))
        except (TypeError, ValueError):
            raise _bad(param, func, "a number in [0, 1) or a mapping issue -> number", value) from None
    if not (np.isfinite(out).all() and (out >= 0).all() and (out < 1).all()):
        raise _bad(param, func, "a number in [0, 1) (relative half-width of the range)", value)
    return out


def _their_model(options: pd.DataFrame, space: _Space):
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
                quantiles=(0.05, 0.5, 0.95), grid: int = 101) -> MonteCarloResult:
    """Frontier band and P(beats their BATNA) when their ratings and weights are uncertain.

    Each draw multiplies their issue weight by an independent uniform factor in
    ``[1 − s_w, 1 + s_w]`` (then renormalises the weights to their nominal total), and each of
    their ratings by a factor in ``[1 − s_r, 1 + s_r]`` (then renormalises by the issue's
    maximum), and recomputes their contributions. Our utilities are known. For every draw the
    exact frontier is computed (by enumeration up to 200,000 packages, else by
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

    Returns
    -------
    MonteCarloResult

    Examples
    --------
    >>> o = options_from_deal(load_itex_cypress())
    >>> mc = monte_carlo(o, n_draws=200, batna_them=0.5, seed=1)
    >>> bool((mc.band["them_q05"] <= mc.band["them_q95"]).all())
    True
    >>> bool(mc.packages["p_beats_batna"].between(0, 1).all())
    True
    """
    func = "monte_carlo"
    space = _space(options, func)
    if not isinstance(n_draws, int | np.integer) or n_draws < 1:
        raise _bad("n_draws", func, "an integer ≥ 1", n_draws)
    if not isinstance(grid, int | np.integer) or grid < 2:
        raise _bad("grid", func, "an integer ≥ 2", grid)
    q = np.asarray(quantiles, dtype=float)
    if q.ndim != 1 or not ((q >= 0) & (q <= 1)).all():
        raise _bad("quantiles", func, "a sequence of numbers in [0, 1]", quantiles)
    try:
        bt = float(batna_them)
    except (TypeError, ValueError):
        raise _bad("batna_them", func, "a number (utility units)", batna_them) from None
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

    nominal = pareto_frontier(options)
    u_hi = float(nominal["us"].max())
    u_lo = min(0.0, float(sum(a.min() for a in space.us)))
    ugrid = np.linspace(u_lo, u_hi, grid)
    fvals = np.empty((grid, n_draws))
    sizes = space.sizes
    total = int(np.prod(sizes, dtype=object))
    if total <= _MC_ENUMERATE:
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
        step_u = _resolution(space.us)
        for dd in range(n_draws):
            Td = [np.ascontiguousarray(c[:, dd]) for c in C]
            _, _, chf = _merge(list(space.us), Td, step_u, _resolution(Td))
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
    pch = _package_choice(space, pk, func)
    Tk = sum(C[i][pch[:, i], :] for i in range(n))
    pk = pk.reset_index(drop=True).copy()
    pk["p_beats_batna"] = (Tk > bt).mean(axis=1)
    pk["them_mean"] = Tk.mean(axis=1)
    settings = {"n_draws": int(n_draws), "seed": seed, "weight_spread": dict(zip(issues, sw.tolist(), strict=True)),
                "rating_spread": dict(zip(issues, sr.tolist(), strict=True)), "batna_them": bt}
    inputs = pd.DataFrame({"issue": issues, "them_weight": w0,
                           "weight_low": w0 * (1 - sw), "weight_high": w0 * (1 + sw),
                           "rating_spread": sr})
    return MonteCarloResult(band=band, packages=pk, weights=settings, inputs=inputs)


# --------------------------------------------------------------------------------------------
# concessions in the offers history
# --------------------------------------------------------------------------------------------
def concessions_from_offers(offers: pd.DataFrame, options: pd.DataFrame, us: str,
                            them: str) -> pd.DataFrame:
    """Each offer's utility for both sides and each side's concessions, round by round.

    An offer lists one row per issue (``round, party, issue, option``); issues an offer leaves
    out keep the option of the same party's previous offer (blank if there is none, and the
    utilities are then NaN). For consecutive offers of the same party, ``concession`` is the
    utility it gave up in its own terms and ``gift`` what the other side gained by the move;
    ``efficiency = gift / concession`` (how much the other side gained per unit given up — the
    currency of the reciprocity ledger).

    Parameters
    ----------
    offers : DataFrame
        Columns ``round, party, issue, option`` (the deal's ``offers`` table).
    options : DataFrame
        The long table for ``us`` and ``them``.
    us, them : str
        The two parties (offers by other parties are ignored).

    Returns
    -------
    DataFrame
        ``round, party, <issues…>, us, them, own, other, concession, gift, efficiency,
        dominated``, in round order.

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["x", "y"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> offers = pd.DataFrame({"round": [1, 1, 2, 2], "party": ["A"] * 4,
    ...                        "issue": ["a", "b", "a", "b"], "option": ["x", "x", "x", "y"]})
    >>> c = concessions_from_offers(offers, o, "A", "B")
    >>> c[["own", "concession", "gift"]].round(2).values.tolist()
    [[1.0, nan, nan], [0.7, 0.3, 0.8]]
    """
    func = "concessions_from_offers"
    space = _space(options, func)
    if not isinstance(offers, pd.DataFrame) or not {"round", "party", "issue", "option"} <= set(offers.columns):
        raise _bad("offers", func, "a DataFrame with columns round, party, issue, option",
                   type(offers).__name__)
    of = offers[offers["party"].isin([us, them])]
    cols = ["round", "party", *space.issues, "us", "them", "own", "other", "concession", "gift",
            "efficiency", "dominated"]
    if len(of) == 0:
        return pd.DataFrame(columns=cols)
    frontier = pareto_frontier(options)
    last: dict = {}
    prev_u: dict = {}
    rows = []
    for (rnd, party), g in of.groupby(["round", "party"], sort=True):
        pkg = dict(last.get(party, {}))
        pkg.update({r.issue: r.option for r in g.itertuples(index=False) if r.issue in space.issues})
        last[party] = pkg
        rnd = int(rnd) if float(rnd).is_integer() else rnd
        row = {"round": rnd, "party": party, **{i: pkg.get(i) for i in space.issues}}
        if all(i in pkg for i in space.issues):
            ev = evaluate_package(options, pkg, frontier=frontier)
            u, t, dom = ev.us, ev.them, ev.dominated
        else:
            u = t = math.nan
            dom = None
        own, other = (u, t) if party == us else (t, u)
        row.update({"us": u, "them": t, "own": own, "other": other, "dominated": dom})
        if party in prev_u:
            p_own, p_other = prev_u[party]
            row["concession"] = p_own - own
            row["gift"] = other - p_other
            row["efficiency"] = (row["gift"] / row["concession"]) if row["concession"] > 0 else math.nan
        else:
            row.update({"concession": math.nan, "gift": math.nan, "efficiency": math.nan})
        prev_u[party] = (own, other)
        rows.append(row)
    return pd.DataFrame(rows, columns=cols).reset_index(drop=True)


def concessions(deal, us: str | None = None, them: str | None = None) -> pd.DataFrame:
    """:func:`concessions_from_offers` on a deal's ``offers`` and ``issues`` tables.

    Raises
    ------
    MissingTableError
        When the deal has no ``offers`` or no ``issues`` table.
    """
    offers = deal.table("offers", analysis="concession planning")
    us = deal.us if us is None else us
    them = deal.counterpart if them is None else them
    return concessions_from_offers(offers, options_from_deal(deal, us, them), us, them)


def latest_offer(deal, options: pd.DataFrame | None = None) -> dict | None:
    """The package on the table: the most recent complete offer in the deal's offers history.

    The last round's last offer, with issues it leaves out carried over from the same party's
    previous offers; ``None`` when the deal has no offers or no complete package.
    """
    if not deal.has("offers") or not deal.has("issues"):
        return None
    opts = options_from_deal(deal) if options is None else options
    c = concessions_from_offers(deal.offers, opts, deal.us, deal.counterpart)
    issues = [i for i in pd.unique(opts["issue"])]
    c = c.dropna(subset=issues)
    if len(c) == 0:
        return None
    row = c.iloc[-1]
    return {i: row[i] for i in issues}


# --------------------------------------------------------------------------------------------
# deal-level analysis, widgets, report
# --------------------------------------------------------------------------------------------
def default_alpha(deal, us: str | None = None, them: str | None = None) -> tuple[float, str]:
    """Our bargaining weight α and where it came from.

    ``powerkit.bargaining.bargaining_weight(deal)`` (walkthrough 1) when that module is
    available and gives a number in [0, 1]; otherwise 0.5 (the symmetric Nash solution).

    Examples
    --------
    >>> a, source = default_alpha(load_itex_cypress())
    >>> 0 <= a <= 1
    True
    """
    try:
        from . import bargaining  # noqa: PLC0415
        w = bargaining.bargaining_weight(deal, party=us, against=them)
    except Exception:  # noqa: BLE001 - missing module or data: fall back to symmetry
        return 0.5, "symmetric (no bargaining weight available)"
    for attr in ("alpha", "weight", "us", "value"):
        if not isinstance(w, int | float | np.floating) and hasattr(w, attr):
            w = getattr(w, attr)
            break
    try:
        a = float(w)
    except (TypeError, ValueError):
        return 0.5, "symmetric (no bargaining weight available)"
    if not (0.0 <= a <= 1.0):
        return 0.5, "symmetric (bargaining weight out of range)"
    return a, "bargaining weight (walkthrough 1)"


@dataclass(frozen=True)
class ValueAnalysis:
    """Everything the value-creation walkthrough shows for one set of assumptions."""

    options: pd.DataFrame
    frontier: pd.DataFrame
    fair: pd.DataFrame
    nash: FairPoint | None
    kalai: FairPoint | None
    utilitarian: FairPoint | None
    evaluation: PackageEvaluation | None
    priorities: pd.DataFrame
    logrolls: pd.DataFrame
    disagreement: tuple
    alpha: float
    alpha_source: str
    us_label: str
    them_label: str
    us_party: str
    them_party: str
    n_packages: int
    n_zopa_frontier: int

    @property
    def inputs(self) -> pd.DataFrame:
        return self.options

    @property
    def weights(self) -> dict:
        return {"alpha": self.alpha, "alpha_source": self.alpha_source,
                "disagreement": self.disagreement}


def _label(deal, party) -> str:
    try:
        name = deal.parties.loc[party, "name"]
        return str(name) if isinstance(name, str) and name else str(party)
    except (KeyError, AttributeError):
        return str(party)


def what_if(deal, weights=None, batna=(0.0, 0.0), proposed=None, alpha=None, us=None,
            them=None) -> ValueAnalysis:
    """The value-creation analysis of a deal under given assumptions (the widgets' callback).

    Parameters
    ----------
    deal : Deal
    weights : mapping issue -> (us_weight, them_weight), optional
        Replaces the deal's issue weights (normalised per side).
    batna : (float, float)
        Each side's BATNA in utility units (0–1): the disagreement point.
    proposed : mapping issue -> option, optional
        The package on the table; default the latest complete offer of the deal (if any).
        An empty mapping means "no proposal".
    alpha : float, optional
        Our bargaining weight; default :func:`default_alpha`.
    us, them : str, optional
        The two parties (default ``deal.us`` and ``deal.counterpart``).

    Returns
    -------
    ValueAnalysis

    Examples
    --------
    >>> a = what_if(load_itex_cypress(), batna=(0.3, 0.3), alpha=0.5)
    >>> a.n_packages, a.nash is not None
    (180, True)
    """
    us = deal.us if us is None else us
    them = deal.counterpart if them is None else them
    options = options_from_deal(deal, us, them, weights=weights)
    d = _pair(batna, "batna", "what_if")
    if alpha is None:
        a, source = default_alpha(deal, us, them)
    else:
        a, source = _alpha(alpha, "what_if"), "given"
    frontier = pareto_frontier(options)
    pts = {}
    for name, fn in (("nash", lambda: nash_package(options, d, a, frontier=frontier)),
                     ("kalai", lambda: kalai_smorodinsky_package(options, d, frontier=frontier)),
                     ("utilitarian", lambda: utilitarian_package(options, d, frontier=frontier))):
        try:
            pts[name] = fn()
        except NoAgreement:
            pts[name] = None
    fair = pd.DataFrame([p.as_row() for p in pts.values() if p is not None],
                        columns=["rule", *pd.unique(options["issue"]), "us", "them"])
    if proposed is None:
        proposed = latest_offer(deal, options) if (us, them) == (deal.us, deal.counterpart) else None
    ev = evaluate_package(options, proposed, d, frontier=frontier) if proposed else None
    zopa = frontier[(frontier["us"] > d[0]) & (frontier["them"] > d[1])]
    return ValueAnalysis(options=options, frontier=frontier, fair=fair, nash=pts["nash"],
                         kalai=pts["kalai"], utilitarian=pts["utilitarian"], evaluation=ev,
                         priorities=issue_priorities(options), logrolls=logrolling(options),
                         disagreement=d, alpha=a, alpha_source=source,
                         us_label=_label(deal, us), them_label=_label(deal, them),
                         us_party=us, them_party=them,
                         n_packages=count_packages(options), n_zopa_frontier=len(zopa))


_RULE_NAMES = {"nash": "Nash (weighted by power)", "kalai_smorodinsky": "Kalai–Smorodinsky",
               "utilitarian": "Largest joint value", "proposal": "On the table now",
               "improvement": "Better for both than the proposal"}


def recommended_packages(analysis: ValueAnalysis, mc: MonteCarloResult | None = None) -> pd.DataFrame:
    """The table of recommended packages: fair points, the proposal and its best improvement."""
    issues = list(pd.unique(analysis.options["issue"]))
    rows = [dict(p.as_row()) for p in (analysis.nash, analysis.kalai, analysis.utilitarian)
            if p is not None]
    ev = analysis.evaluation
    if ev is not None:
        rows.append({"rule": "proposal", **ev.package, "us": ev.us, "them": ev.them})
        if len(ev.improvements):
            imp = ev.improvements
            k = int(np.argmax(np.minimum(imp["d_us"].to_numpy(), imp["d_them"].to_numpy())))
            r = imp.iloc[k]
            rows.append({"rule": "improvement", **{i: r[i] for i in issues},
                         "us": float(r["us"]), "them": float(r["them"])})
    df = pd.DataFrame(rows, columns=["rule", *issues, "us", "them"])
    if mc is not None and len(df):
        p = monte_carlo(analysis.options, n_draws=mc.weights["n_draws"],
                        weight_spread=mc.weights["weight_spread"],
                        rating_spread=mc.weights["rating_spread"],
                        batna_them=mc.weights["batna_them"], packages=df[issues],
                        seed=mc.weights["seed"])
        df["p_beats_their_batna"] = p.packages["p_beats_batna"].to_numpy()
    df["rule"] = df["rule"].map(lambda r: _RULE_NAMES.get(r, r))
    return df



def report_section(deal, batna=(0.0, 0.0), proposed=None, alpha=None, weight_spread: float = 0.25,
                   n_draws: int = 1000, seed: int = 0):
    """The report's value-creation section: recommended packages, value left on the table.

    Parameters
    ----------
    deal : Deal
    batna : (float, float)
        Each side's BATNA in utility units.
    proposed : mapping, optional
        The package on the table (default: the latest complete offer).
    alpha : float, optional
        Our bargaining weight (default :func:`default_alpha`).
    weight_spread : float
        Uncertainty about their weights for the P(beats their BATNA) column.
    n_draws, seed : int
        Monte Carlo draws and seed.

    Returns
    -------
    Section
        ``missing`` is set when the deal has no ``issues`` table or the counterpart rates none.

    Examples
    --------
    >>> s = report_section(load_itex_cypress(), batna=(0.3, 0.3), n_draws=100)
    >>> s.key, s.headline["packages"], s.missing is None
    ('value', 180, True)
    """
    from . import plots
    from .sections import Section
    from .text import esc

    title = "Value creation: packages, the frontier and value left on the table"
    key = "value"
    if not deal.has("issues"):
        return Section(key, title, missing="No issues table in this deal: value creation left out.")
    raters = set(deal.issues["party"])
    if deal.us not in raters or deal.counterpart not in raters:
        return Section(key, title, missing="No issue ratings for both us and the counterpart in "
                       "this deal: value creation left out.")
    a = what_if(deal, batna=batna, proposed=proposed, alpha=alpha)
    mc = monte_carlo(a.options, n_draws=n_draws, weight_spread=weight_spread,
                     batna_them=a.disagreement[1], seed=seed)
    rec = recommended_packages(a, mc if a.disagreement[1] > 0 else None)
    ev = a.evaluation
    h = {"packages": a.n_packages, "frontier_packages": len(a.frontier),
         "zopa_frontier_packages": a.n_zopa_frontier, "alpha": round(a.alpha, 3),
         "batna_us": round(a.disagreement[0], 3), "batna_them": round(a.disagreement[1], 3)}
    if a.nash is not None:
        h.update({"nash_us": round(a.nash.us, 3), "nash_them": round(a.nash.them, 3)})
    if ev is not None:
        h.update({"proposal_us": round(ev.us, 3), "proposal_them": round(ev.them, 3),
                  "proposal_dominated": ev.dominated, "left_on_table_us": round(ev.gap_us, 3),
                  "left_on_table_them": round(ev.gap_them, 3),
                  "left_on_table_joint": round(ev.joint_gain, 3)})
    if len(a.logrolls):
        h.update({"trade_we_get": str(a.logrolls.iloc[0]["we_get"]),
                  "trade_they_get": str(a.logrolls.iloc[0]["they_get"])})
    batna_set = a.disagreement != (0.0, 0.0)
    parts = [f"Of {h['packages']} possible packages, {h['frontier_packages']} are efficient"
             + (f" and {h['zopa_frontier_packages']} of those beat both BATNAs." if batna_set
                else ".")]
    if ev is not None:
        if h["proposal_dominated"]:
            parts.append(f"The package on the table leaves value on the table: up to "
                         f"{h['left_on_table_joint']:.2f} of joint utility "
                         f"({h['left_on_table_us']:.2f} for us alone, "
                         f"{h['left_on_table_them']:.2f} for them alone).")
        else:
            parts.append("The package on the table is already efficient.")
    elif "nash_us" in h:
        parts.append(f"The power-weighted Nash package gives us {h['nash_us']:.2f} and them "
                     f"{h['nash_them']:.2f}.")
    summary = " ".join(parts)
    us_l, them_l = esc(a.us_label), esc(a.them_label)
    teach = (
        "**Win-win from strength.** A package picks one option on every issue. Each side scores "
        "it by adding up, issue by issue, how much it likes the chosen option times how much the "
        f"issue matters to it. The efficient frontier holds the packages where {us_l} cannot "
        f"gain without {them_l} losing: any package below it leaves value that both sides could "
        "share. Power decides *where* on the frontier a deal lands; value creation decides "
        "whether it lands on the frontier at all — and that is open to the weaker side too."
    )
    if not batna_set:
        teach += ("\n\n*No BATNAs in utility terms were given for this report, so every package "
                  "counts as acceptable to both sides; the walkthrough notebook lets you set them.*")
    blocks = [teach,
              plots.utility_space_figure(a, mc=mc),
              "**Recommended packages.** The Nash package weights the split by bargaining power "
              f"(α = {h['alpha']:.2f} for {us_l}); Kalai–Smorodinsky gives each side the same share "
              "of its best possible gain; the largest joint value maximises the pie. The last "
              "column is the chance the package beats their BATNA when their weights are "
              f"uncertain (±{weight_spread:.0%}).",
              rec.round(3)]
    if ev is not None:
        blocks.append("**Value left on the table.** How much more each side could get, without "
                      "the other losing, than under the package on the table; the improvement "
                      "packages make both sides at least as well off.")
        blocks.append(ev.improvements.head(10).round(3))
    blocks.append(plots.issue_priority_figure(a))
    if len(a.logrolls):
        blocks.append("**Where to trade.** Concede the issues that matter more to them than to us "
                      "and ask for the ones that matter more to us: both sides end up better off "
                      "than splitting every issue down the middle.")
        blocks.append(a.logrolls.head(6).round(3))
    return Section(key, title, blocks=blocks, headline=h, summary=summary)
