"""Fair packages on the frontier: asymmetric Nash, Kalai–Smorodinsky, utilitarian, the ZOPA.

Each rule picks one efficient package inside the ZOPA (better than its BATNA for each side) and
returns it as a :class:`FairPoint` with the candidate table and the rule's parameters
(docs/methods/value.md §3). :func:`default_alpha` reads our bargaining weight from
:mod:`powerkit.bargaining` (walkthrough 1).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..bargaining import bargaining_weight
from ..errors import NoAgreement, bad_argument, finite_pair
from .frontier import given_frontier

__all__ = ["checked_alpha", "FairPoint", "zopa_packages", "nash_package",
           "kalai_smorodinsky_package", "utilitarian_package", "fair_packages", "default_alpha"]


def checked_alpha(alpha, func: str) -> float:
    """A bargaining weight α as a float in [0, 1], or the argument error naming ``func``.

    >>> checked_alpha("0.25", "f")
    0.25
    """
    try:
        a = float(alpha)
    except (TypeError, ValueError):
        raise bad_argument("alpha", func, "a number in [0, 1]", alpha) from None
    if not 0.0 <= a <= 1.0:
        raise bad_argument("alpha", func, "a number in [0, 1]", alpha)
    return a


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
        """``rule``, the option of each issue, ``us`` and ``them`` as one table row."""
        return {"rule": self.rule, **self.package, "us": self.us, "them": self.them}


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
    d = finite_pair(disagreement, "disagreement", "zopa_packages")
    f = given_frontier(options, frontier, "zopa_packages")
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
    d = finite_pair(disagreement, "disagreement", func)
    f = given_frontier(options, frontier, func)
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
    a = checked_alpha(alpha, func)
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
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> from powerkit.value import options_from_deal
    >>> fair_packages(options_from_deal(load_itex_cypress()))["rule"].tolist()
    ['nash', 'kalai_smorodinsky', 'utilitarian']
    """
    f = given_frontier(options, frontier, "fair_packages")
    try:
        pts = [nash_package(options, disagreement, alpha, frontier=f),
               kalai_smorodinsky_package(options, disagreement, frontier=f),
               utilitarian_package(options, disagreement, frontier=f)]
    except NoAgreement:
        return pd.DataFrame(columns=["rule", *_issues_of(f), "us", "them"])
    return pd.DataFrame([p.as_row() for p in pts])


def default_alpha(deal, us: str | None = None, them: str | None = None) -> tuple[float, str]:
    """Our bargaining weight α and where it came from.

    ``powerkit.bargaining.bargaining_weight(deal)`` (walkthrough 1) when that module is
    available and gives a number in [0, 1]; otherwise 0.5 (the symmetric Nash solution).

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> a, source = default_alpha(load_itex_cypress())
    >>> 0 <= a <= 1
    True
    """
    try:
        w = bargaining_weight(deal, party=us, against=them)
    except Exception:  # noqa: BLE001 - missing data: fall back to symmetry
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
