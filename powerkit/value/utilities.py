"""Packages and their utilities: the options table, scoring, counting and sampling packages.

A **package** picks one option on every issue; each side scores it with the additive model of
Inspire and GENIUS, ``U = Σᵢ wᵢ · ratingᵢ(option) / maxₒ ratingᵢ(o)`` with ``Σᵢ wᵢ = 1``
(docs/methods/value.md §1).

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
columns are required. Issues and options keep the order of the table.

*packages*: one row per package, one column per issue holding the chosen option, then ``us``
and ``them`` (each side's utility).

:func:`option_space` parses the options table once (:class:`OptionSpace`);
:func:`package_choice` and :func:`packages_frame` translate between packages by name and
option positions. The other submodules of :mod:`powerkit.value` build on these three.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import bad_argument, finite_pair

__all__ = ["OptionSpace", "option_space", "score_options", "options_from_deal", "packages_frame",
           "package_choice", "package_utilities", "count_packages", "sample_packages"]


@dataclass(frozen=True)
class OptionSpace:
    """A parsed options table (see :func:`option_space`): issues in table order, the option
    names of each issue, and each side's contributions as one float array per issue."""

    issues: tuple
    options: tuple          # tuple of tuples of option names, per issue
    us: tuple               # tuple of float arrays, per issue
    them: tuple

    @property
    def sizes(self) -> tuple[int, ...]:
        """The number of options of each issue."""
        return tuple(len(o) for o in self.options)


def option_space(options, func: str) -> OptionSpace:
    """Check an options table (columns ``issue, option, us, them``) and parse it once.

    ``func`` names the calling method in the error message. Raises
    :class:`~powerkit.errors.InputError` (a ``ValueError``) when a column is missing, the table
    is empty, a name is blank, an (issue, option) repeats, a utility is not finite or an issue
    is called ``us`` or ``them``.

    >>> o = pd.DataFrame({"issue": ["a", "a", "b"], "option": ["x", "y", "z"],
    ...                   "us": [1.0, 0.0, 0.5], "them": [0.0, 1.0, 0.5]})
    >>> sp = option_space(o, "f")
    >>> sp.issues, sp.options, sp.sizes
    (('a', 'b'), (('x', 'y'), ('z',)), (2, 1))
    """
    if not isinstance(options, pd.DataFrame):
        raise bad_argument("options", func, "a DataFrame with columns issue, option, us, them "
                           "(see score_options)", type(options).__name__)
    missing = [c for c in ("issue", "option", "us", "them") if c not in options.columns]
    if missing:
        raise bad_argument("options", func, "a DataFrame with columns issue, option, us, them "
                           f"(missing {', '.join(missing)})", list(options.columns))
    if len(options) == 0:
        raise bad_argument("options", func, "a non-empty table of options", "an empty table")
    df = options[["issue", "option", "us", "them"]]
    if df[["issue", "option"]].isna().any().any():
        raise bad_argument("options", func, "a table without blank issue or option names", "a blank name")
    dup = df.duplicated(["issue", "option"])
    if dup.any():
        r = df[dup].iloc[0]
        raise bad_argument("options", func, "a table with one row per (issue, option)",
                           f"{r['issue']!r}/{r['option']!r} twice")
    vals = df[["us", "them"]].to_numpy(dtype=float)
    if not np.isfinite(vals).all():
        raise bad_argument("options", func, "a table with finite us and them utilities", "NaN or inf")
    issues = tuple(pd.unique(df["issue"]))
    for reserved in ("us", "them"):
        if reserved in issues:
            raise bad_argument("options", func, "a table without an issue named 'us' or 'them' "
                               "(those are the utility columns of a package)", reserved)
    codes = pd.Categorical(df["issue"], categories=list(issues)).codes
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(issues) + 1))
    names = df["option"].to_numpy(dtype=object)[order]
    v = vals[order]
    parts = [slice(bounds[k], bounds[k + 1]) for k in range(len(issues))]
    return OptionSpace(issues, tuple(tuple(names[p]) for p in parts),
                       tuple(v[p, 0].copy() for p in parts), tuple(v[p, 1].copy() for p in parts))


# --------------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------------
def _weights_table(weights, issues, func: str) -> pd.DataFrame:
    must = "a mapping issue -> (us_weight, them_weight) or a DataFrame with columns issue, us, them"
    if isinstance(weights, pd.DataFrame):
        w = weights.set_index("issue") if "issue" in weights.columns else weights
        if not {"us", "them"} <= set(w.columns):
            raise bad_argument("weights", func, must, list(weights.columns))
        rows = {k: (w.loc[k, "us"], w.loc[k, "them"]) for k in w.index}
    elif isinstance(weights, Mapping):
        rows = {}
        for k, v in weights.items():
            try:
                a, b = v
            except (TypeError, ValueError):
                raise bad_argument("weights", func, must, {k: v}) from None
            rows[k] = (a, b)
    else:
        raise bad_argument("weights", func, must, type(weights).__name__)
    extra = [k for k in rows if k not in set(issues)]
    lacking = [k for k in issues if k not in rows]
    if lacking or extra:
        raise bad_argument("weights", func, "given for exactly the issues of the ratings "
                           f"({', '.join(map(str, issues))})",
                           {"missing": lacking, "unknown": extra})
    out = pd.DataFrame([rows[k] for k in issues], index=pd.Index(issues, name="issue"),
                       columns=["us", "them"])
    try:
        out = out.astype(float)
    except (TypeError, ValueError):
        raise bad_argument("weights", func, "made of numbers", rows) from None
    if not np.isfinite(out.to_numpy()).all() or (out.to_numpy() < 0).any():
        raise bad_argument("weights", func, "made of finite numbers ≥ 0", rows)
    for side in ("us", "them"):
        if out[side].sum() <= 0:
            raise bad_argument("weights", func, f"positive for at least one issue on side {side!r}", rows)
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
        raise bad_argument("ratings", func, must, type(ratings).__name__)
    if not {"issue", "option", "us", "them"} <= set(ratings.columns):
        raise bad_argument("ratings", func, must, list(ratings.columns))
    if len(ratings) == 0:
        raise bad_argument("ratings", func, "a non-empty table", "an empty table")
    r = ratings[["issue", "option", "us", "them"]].reset_index(drop=True)
    if r[["issue", "option"]].isna().any().any():
        raise bad_argument("ratings", func, "a table without blank issue or option names", "a blank name")
    dup = r.duplicated(["issue", "option"])
    if dup.any():
        row = r[dup].iloc[0]
        raise bad_argument("ratings", func, "a table with one row per (issue, option)",
                           f"{row['issue']!r}/{row['option']!r} twice")
    try:
        vals = r[["us", "them"]].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise bad_argument("ratings", func, "a table of numeric ratings", r[["us", "them"]].dtypes.to_dict()) from None
    if not np.isfinite(vals).all() or (vals < 0).any():
        raise bad_argument("ratings", func, "a table of finite ratings ≥ 0", "a negative, NaN or inf rating")
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
    >>> from powerkit.deal.reference import load_itex_cypress
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
            raise bad_argument(name, func, f"a party that rates the issues ({', '.join(map(str, parties))})", p)
    if us == them:
        raise bad_argument("them", func, "a party other than 'us'", them)
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
                raise bad_argument("weights", func, f"keyed by issues of the deal ({', '.join(map(str, issues))})", i)
            w[i] = finite_pair(v, "weights", func)
    return score_options(ratings, w)


def packages_frame(space: OptionSpace, choice: np.ndarray) -> pd.DataFrame:
    """Packages given by option positions as the packages table.

    ``choice[k, i]`` is the position (in table order) of the option of issue ``i`` in package
    ``k``; returns a column per issue (the option names), then ``us`` and ``them``.

    >>> o = pd.DataFrame({"issue": ["a", "a"], "option": ["x", "y"], "us": [1.0, 0.0],
    ...                   "them": [0.0, 1.0]})
    >>> packages_frame(option_space(o, "f"), np.array([[1]]))
       a   us  them
    0  y  0.0   1.0
    """
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


def count_packages(options: pd.DataFrame) -> int:
    """The number of packages: the product of the option counts.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> count_packages(options_from_deal(load_itex_cypress()))
    180
    """
    return n_packages(option_space(options, "count_packages"))


def n_packages(space: OptionSpace) -> int:
    """:func:`count_packages` of a parsed options table."""
    return int(np.prod([len(o) for o in space.options], dtype=object))


def package_choice(space: OptionSpace, packages, func: str) -> np.ndarray:
    """Packages by option name (a mapping issue -> option, a list of them, a Series or a
    DataFrame with a column per issue) as option positions, the inverse of
    :func:`packages_frame`; ``func`` names the caller in the error message.

    >>> o = pd.DataFrame({"issue": ["a", "a"], "option": ["x", "y"], "us": [1.0, 0.0],
    ...                   "them": [0.0, 1.0]})
    >>> package_choice(option_space(o, "f"), {"a": "y"}, "f").tolist()
    [[1]]
    """
    if isinstance(packages, Mapping):
        packages = pd.DataFrame([dict(packages)])
    elif isinstance(packages, pd.Series):
        packages = packages.to_frame().T
    elif isinstance(packages, list):
        packages = pd.DataFrame([dict(p) for p in packages])
    if not isinstance(packages, pd.DataFrame):
        raise bad_argument("package", func, "a mapping issue -> option or a DataFrame with a column per issue",
                           type(packages).__name__)
    lacking = [i for i in space.issues if i not in packages.columns]
    if lacking:
        raise bad_argument("package", func, f"an option for every issue ({', '.join(map(str, space.issues))})",
                           {"missing": lacking})
    choice = np.empty((len(packages), len(space.issues)), dtype=np.int64)
    for i, issue in enumerate(space.issues):
        pos = {o: k for k, o in enumerate(space.options[i])}
        for r, opt in enumerate(packages[issue]):
            if opt not in pos:
                raise bad_argument("package", func, f"an option of {issue!r}: "
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
    space = option_space(options, "package_utilities")
    return packages_frame(space, package_choice(space, packages, "package_utilities"))


def sample_packages(options: pd.DataFrame, n: int = 4000, seed: int | None = 0) -> pd.DataFrame:
    """All packages when there are at most ``n``, else ``n`` drawn uniformly (seeded).

    Used to draw the cloud of packages behind the frontier.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> len(sample_packages(options_from_deal(load_itex_cypress())))
    180
    """
    return packages_sample(option_space(options, "sample_packages"), n, seed)


def packages_sample(space: OptionSpace, n: int = 4000, seed: int | None = 0) -> pd.DataFrame:
    """:func:`sample_packages` of a parsed options table."""
    sizes = np.array(space.sizes)
    total = int(np.prod(sizes, dtype=object))
    if total <= n:
        choice = np.stack(np.unravel_index(np.arange(total), sizes), axis=1).astype(np.int64)
    else:
        rng = np.random.default_rng(seed)
        choice = np.stack([rng.integers(0, m, size=n) for m in sizes], axis=1)
    return packages_frame(space, choice)
