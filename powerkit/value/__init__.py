"""Value creation: multi-issue packages, the exact Pareto frontier, fair points, value left.

The method (METHOD.md §4–5) asks both the stronger and the weaker side to *create* value rather
than extract concessions. In a multi-issue deal that has a precise meaning: a **package** picks
one option on every issue; each side scores it with the additive model of Inspire and GENIUS,

    U = Σᵢ wᵢ · ratingᵢ(option) / maxₒ ratingᵢ(o),        Σᵢ wᵢ = 1,

and the packages nobody can improve for one side without hurting the other form the **Pareto
frontier**. This package computes, one submodule per method family:

* :mod:`~powerkit.value.utilities` — scoring options (:func:`score_options`,
  :func:`options_from_deal`), package utilities, counting and sampling packages;
* :mod:`~powerkit.value.frontier` — the exact frontier without enumerating the packages
  (:func:`pareto_frontier`);
* :mod:`~powerkit.value.fair` — the fair points on it (asymmetric Nash, Kalai–Smorodinsky,
  utilitarian) inside the ZOPA, and our bargaining weight (:func:`default_alpha`);
* :mod:`~powerkit.value.evaluation` — how much value a proposal leaves on the table;
* :mod:`~powerkit.value.trades` — which issues to trade (priorities, logrolling);
* :mod:`~powerkit.value.robustness` — how robust the frontier is when the other side's weights
  are uncertain (seeded Monte Carlo);
* :mod:`~powerkit.value.offers` — what each side gave up in the offers history;
* :mod:`~powerkit.value.analysis` — :func:`what_if`, the whole walkthrough under given
  assumptions as one :class:`ValueAnalysis`.

The data shapes (ratings, weights, the long options table, packages) are described in
:mod:`powerkit.value.utilities`; every formula, the frontier algorithm and its references in
docs/methods/value.md.
"""
from __future__ import annotations

from .analysis import ValueAnalysis, recommended_packages, what_if
from .evaluation import PackageEvaluation, evaluate_package
from .fair import (
    FairPoint,
    default_alpha,
    fair_packages,
    kalai_smorodinsky_package,
    nash_package,
    utilitarian_package,
    zopa_packages,
)
from .frontier import pareto_frontier
from .offers import concessions, concessions_from_offers, latest_offer
from .robustness import MonteCarloResult, monte_carlo, p_beats_batna
from .trades import issue_priorities, logrolling
from .utilities import (
    count_packages,
    options_from_deal,
    package_utilities,
    sample_packages,
    score_options,
)

__all__ = [
    "score_options", "options_from_deal", "pareto_frontier",
    "package_utilities", "sample_packages", "count_packages",
    "nash_package", "kalai_smorodinsky_package", "utilitarian_package", "fair_packages",
    "FairPoint", "zopa_packages", "evaluate_package", "PackageEvaluation", "issue_priorities",
    "logrolling", "monte_carlo", "MonteCarloResult", "p_beats_batna", "concessions_from_offers",
    "concessions", "latest_offer", "default_alpha", "what_if", "ValueAnalysis",
    "recommended_packages",
]
