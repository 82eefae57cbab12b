"""The value-creation walkthrough under given assumptions: one result, :class:`ValueAnalysis`.

:func:`what_if` is the callback of the walkthrough's widgets and what its notebook and report
section read: the options, the frontier, the fair points, the proposal's evaluation, the
trades, the offers history and (with ``n_draws > 0``) the Monte Carlo robustness and the
recommended packages.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..deal.money import admissible_options
from ..errors import NoAgreement, finite_pair
from .evaluation import PackageEvaluation, evaluation_of
from .fair import (
    FairPoint,
    checked_alpha,
    default_alpha,
    kalai_smorodinsky_package,
    nash_package,
    utilitarian_package,
)
from .frontier import grid_step, merge_frontier, pareto_frontier
from .offers import concessions_of, latest_package
from .robustness import MonteCarloResult, monte_carlo_of, p_beats_batna, p_beats_of
from .trades import logrolls_of, priorities_of
from .utilities import n_packages, option_space, options_from_deal, packages_frame, packages_sample

__all__ = ["ValueAnalysis", "what_if", "recommended_packages"]


@dataclass(frozen=True)
class ValueAnalysis:
    """Everything the value-creation walkthrough shows for one set of assumptions.

    Attributes
    ----------
    options : DataFrame
        The long options table (:func:`powerkit.value.options_from_deal`).
    frontier : DataFrame
        The exact Pareto frontier (:func:`powerkit.value.pareto_frontier`).
    fair : DataFrame
        The fair packages found, one row per rule (empty when the ZOPA is empty).
    nash, kalai, utilitarian : FairPoint or None
        The fair packages (None when the ZOPA is empty).
    evaluation : PackageEvaluation or None
        The package on the table and what is better for both (None without a proposal).
    priorities, logrolls : DataFrame
        :func:`powerkit.value.issue_priorities` and :func:`powerkit.value.logrolling`.
    disagreement : (float, float)
        Both BATNAs in utility units.
    alpha, alpha_source : float, str
        Our bargaining weight and where it came from.
    us_label, them_label, us_party, them_party : str
        The two parties' names and ids.
    n_packages, n_zopa_frontier : int
        How many packages there are; how many efficient ones beat both BATNAs.
    offers : DataFrame
        The offers history with each offer's utilities and concessions
        (:func:`powerkit.value.concessions_from_offers`); empty when the deal has no offers.
    package_sample : DataFrame or None
        The packages with both utilities, all of them when there are at most ``sample_size``,
        else a seeded sample (:func:`powerkit.value.sample_packages`): the cloud drawn behind
        the frontier.
    monte_carlo : MonteCarloResult or None
        The frontier band and P(beats their BATNA) when their weights are uncertain (None when
        :func:`what_if` ran with ``n_draws=0``).
    recommended : DataFrame
        :func:`recommended_packages` (with ``p_beats_their_batna`` when ``monte_carlo`` is set).
    excluded_options : DataFrame
        Money options outside the zone of the reservation prices (``issue, option, amount,
        why``): the fair points, the proposal's improvements and the recommendations never use
        them (:func:`powerkit.deal.money.admissible_options`).
    """

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
    offers: pd.DataFrame = field(default_factory=pd.DataFrame)
    package_sample: pd.DataFrame | None = None
    monte_carlo: MonteCarloResult | None = None
    recommended: pd.DataFrame = field(default_factory=pd.DataFrame)
    excluded_options: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def inputs(self) -> pd.DataFrame:
        """The options table the analysis started from."""
        return self.options

    @property
    def weights(self) -> dict:
        """The assumptions: α, its source and the disagreement point."""
        return {"alpha": self.alpha, "alpha_source": self.alpha_source,
                "disagreement": self.disagreement}

    @property
    def issues(self) -> list:
        """The issues, in table order."""
        return list(pd.unique(self.options["issue"]))

    @property
    def improvements(self) -> pd.DataFrame:
        """The efficient packages better for both than the one on the table (empty without a
        proposal): ``evaluation.improvements``."""
        if self.evaluation is not None:
            return self.evaluation.improvements
        return pd.DataFrame(columns=[*self.issues, "us", "them", "d_us", "d_them"])


def _label(deal, party) -> str:
    try:
        name = deal.parties.loc[party, "name"]
        return str(name) if isinstance(name, str) and name else str(party)
    except (KeyError, AttributeError):
        return str(party)


def what_if(deal, weights=None, batna=(0.0, 0.0), proposed=None, alpha=None, us=None,
            them=None, *, n_draws: int = 0, weight_spread=0.25, rating_spread=0.0,
            seed: int | None = 0, sample_size: int = 3000) -> ValueAnalysis:
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
        Our bargaining weight; default :func:`powerkit.value.default_alpha`.
    us, them : str, optional
        The two parties (default ``deal.us`` and ``deal.counterpart``).
    n_draws : int
        Monte Carlo draws for the frontier band and P(beats their BATNA)
        (:func:`powerkit.value.monte_carlo`); 0 (default): no Monte Carlo.
    weight_spread, rating_spread : float or mapping issue -> float
        Uncertainty about their weights and ratings (relative half-widths) for the Monte Carlo.
    seed : int or None
        Seed of the Monte Carlo and of the package sample.
    sample_size : int
        At most this many packages in ``package_sample``.

    Returns
    -------
    ValueAnalysis

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> a = what_if(load_itex_cypress(), batna=(0.3, 0.3), alpha=0.5)
    >>> a.n_packages, a.nash is not None, a.monte_carlo is None
    (180, True, True)
    >>> b = what_if(load_itex_cypress(), batna=(0.3, 0.3), alpha=0.5, n_draws=50)
    >>> "p_beats_their_batna" in b.recommended.columns
    True
    """
    us = deal.us if us is None else us
    them = deal.counterpart if them is None else them
    options = options_from_deal(deal, us, them, weights=weights)
    d = finite_pair(batna, "batna", "what_if")
    if alpha is None:
        a, source = default_alpha(deal, us, them)
    else:
        a, source = checked_alpha(alpha, "what_if"), "given"
    # the options table is parsed once, and every step below reads the parsed arrays
    # (the same numbers as the public functions named in the comments, which parse it again)
    space = option_space(options, "what_if")
    frontier = packages_frame(space, merge_frontier(  # pareto_frontier(options)
        list(space.us), list(space.them), grid_step(space.us), grid_step(space.them))[2])
    # recommendations stay within the zone of the reservation prices: money options beyond a
    # seller's floor or a buyer's ceiling are never recommended (powerkit.deal.money)
    inside, excluded = admissible_options(deal, options)
    # an issue with no option in the zone: no package can be agreed, nothing is recommended
    complete = set(inside["issue"]) == set(options["issue"])
    allowed = (frontier if not len(excluded) else
               pareto_frontier(inside.reset_index(drop=True)) if complete else frontier.iloc[0:0])
    pts = {"nash": None, "kalai": None, "utilitarian": None}
    for name, fn in (("nash", lambda: nash_package(inside, d, a, frontier=allowed)),
                     ("kalai", lambda: kalai_smorodinsky_package(inside, d, frontier=allowed)),
                     ("utilitarian", lambda: utilitarian_package(inside, d, frontier=allowed))):
        if not complete:
            break
        try:
            pts[name] = fn()
        except NoAgreement:
            pts[name] = None
    issues = list(space.issues)
    fair = pd.DataFrame([p.as_row() for p in pts.values() if p is not None],
                        columns=["rule", *issues, "us", "them"])
    offers = (concessions_of(deal.offers, space, us, them, frontier)  # concessions_from_offers
              if deal.has("offers") else pd.DataFrame(columns=["round", "party", *issues, "us", "them"]))
    if proposed is None and (us, them) == (deal.us, deal.counterpart) and deal.has("offers"):
        proposed = latest_package(offers, issues)
    ev = (evaluation_of(space, proposed, d, allowed if complete else frontier)  # evaluate_package
          if proposed else None)
    if ev is not None and not complete:  # no improvement can be agreed either
        ev = replace(ev, improvements=ev.improvements.iloc[0:0])
    zopa = frontier[(frontier["us"] > d[0]) & (frontier["them"] > d[1])]
    mc = (monte_carlo_of(options, space, frontier, n_draws=n_draws,  # monte_carlo(options, …)
                         weight_spread=weight_spread, rating_spread=rating_spread,
                         batna_them=d[1], seed=seed)
          if n_draws else None)
    priorities = priorities_of(space)  # issue_priorities(options)
    result = ValueAnalysis(options=options, frontier=frontier, fair=fair, nash=pts["nash"],
                           kalai=pts["kalai"], utilitarian=pts["utilitarian"], evaluation=ev,
                           priorities=priorities, logrolls=logrolls_of(priorities),
                           disagreement=d, alpha=a, alpha_source=source,
                           us_label=_label(deal, us), them_label=_label(deal, them),
                           us_party=us, them_party=them,
                           n_packages=n_packages(space), n_zopa_frontier=len(zopa),
                           offers=offers, monte_carlo=mc,
                           package_sample=packages_sample(space, sample_size, seed),
                           excluded_options=excluded)
    return replace(result, recommended=_recommended(result, mc, space))


_RULE_NAMES = {"nash": "Nash (weighted by power)", "kalai_smorodinsky": "Kalai–Smorodinsky",
               "utilitarian": "Largest joint value", "proposal": "On the table now",
               "improvement": "Better for both than the proposal"}


def recommended_packages(analysis: ValueAnalysis, mc: MonteCarloResult | None = None) -> pd.DataFrame:
    """The table of recommended packages: fair points, the proposal and its best improvement.

    The best improvement is the package better for both with the largest smaller gain
    ``min(d_us, d_them)``. With ``mc`` (a :func:`powerkit.value.monte_carlo` result on
    ``analysis.options``), the column ``p_beats_their_batna`` gives each package's chance of
    beating their BATNA on the same draws (:func:`powerkit.value.p_beats_batna`).

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> a = what_if(load_itex_cypress(), batna=(0.3, 0.3), alpha=0.5)
    >>> recommended_packages(a)["rule"].tolist()
    ['Nash (weighted by power)', 'Kalai–Smorodinsky', 'Largest joint value']
    """
    return _recommended(analysis, mc, None)


def _recommended(analysis: ValueAnalysis, mc, space) -> pd.DataFrame:
    """:func:`recommended_packages`; ``space``: ``analysis.options`` parsed (None: parse it)."""
    issues = analysis.issues
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
        df["p_beats_their_batna"] = (p_beats_batna(mc, analysis.options, df[issues]) if space is None
                                     else p_beats_of(mc, space, df[issues]))
    df["rule"] = df["rule"].map(lambda r: _RULE_NAMES.get(r, r))
    return df
