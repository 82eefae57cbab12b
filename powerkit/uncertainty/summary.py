"""One result for the deliverables: the ranges of the headline numbers, how likely the posture
and the recommended package are to hold, what would flip the posture, and which inputs drive the
balance and the price (Sobol indices). The report's sections, the brief and the walkthroughs'
widgets all read this one :class:`Uncertainty`."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import bad_argument
from .model import EXTRAS, DealModel
from .ranges import input_ranges
from .sensitivity import sensitivity
from .simulate import Flip, intervals, probability, simulate, what_would_flip

__all__ = ["Uncertainty", "uncertainty", "DEFAULT_DRAWS", "DEFAULT_SOBOL_N"]

DEFAULT_DRAWS = 2000
DEFAULT_SOBOL_N = 128  # Sobol base sample: n·(k + 2) model runs, vectorised


@dataclass
class Uncertainty:
    """``sim`` (one row per draw), ``ranges`` (:func:`intervals` at ``level``: low, point, high
    per quantity), ``posture_probability`` (share of draws whose posture is the point's),
    ``package_probability`` (share whose Nash package is the point's; None without issues),
    ``flip`` (the smallest single change that flips the posture), ``sobol`` (S1/ST of balance
    and price; empty when not computed), the settings that made them and ``profile``, the
    point's power profile (:func:`powerkit.power.power_profile` of the deal, as walkthrough 1
    computes it: a trend reads its balance and price from it instead of computing it again)."""

    sim: pd.DataFrame
    ranges: pd.DataFrame
    level: float
    posture_probability: float
    package_probability: float | None
    flip: Flip | None
    sobol: pd.DataFrame = field(default_factory=pd.DataFrame)
    settings: dict = field(default_factory=dict)
    profile: object = None  # the point's PowerProfile (power_profile(deal)), None if not kept

    def range_of(self, quantity: str) -> tuple[float, float] | None:
        """``(low, high)`` of a quantity, or None when it was not simulated or has no value."""
        if quantity not in self.ranges.index:
            return None
        lo, hi = self.ranges.at[quantity, "low"], self.ranges.at[quantity, "high"]
        return None if pd.isna(lo) or pd.isna(hi) else (float(lo), float(hi))

    def at_level(self, level: float) -> Uncertainty:
        """The same draws summarised at another interval level."""
        return Uncertainty(self.sim, intervals(self.sim, level), level,
                           self.posture_probability, self.package_probability, self.flip,
                           self.sobol, {**self.settings, "level": level}, self.profile)


def uncertainty(deal, n: int = DEFAULT_DRAWS, seed: int = 0, level: float = 0.9,
                spread: float = 1.0, *, sobol_n: int | None = DEFAULT_SOBOL_N,
                flip: bool = True, extras=EXTRAS) -> Uncertainty:
    """Simulate ``deal`` (:func:`simulate`) and summarise it for a reader.

    The ranges are the defaults by kind, overridden by deal.yaml's ``spreads`` (a column, table
    or kind → spread). ``spread=0`` switches uncertainty off: every range collapses to the point value and the
    probabilities are 1. ``sobol_n=None`` skips the Sobol indices, ``flip=False`` the search for
    the smallest change that flips the posture, ``extras=()`` the Nash package, the decision
    shares and the posteriors (:func:`simulate`): ``uncertainty(deal, sobol_n=None,
    flip=False, extras=())`` gives the ranges of the balance and the price (and the posture's
    probability) for a fraction of the full cost — what a trend over earlier versions needs.

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> u = uncertainty(make_deal(10, seed=1), n=200, sobol_n=None, flip=False)
    >>> lo, hi = u.range_of("balance")
    >>> bool(lo <= u.ranges.at["balance", "point"] <= hi)
    True
    """
    if not (isinstance(level, float | int) and 0 < level < 1):
        raise bad_argument("level", "uncertainty", "a number strictly between 0 and 1", level)
    spreads = dict(getattr(deal.meta, "spreads", ()) or ())  # deal.yaml's ranges, if any
    # one model of the ranges serves the draws, the Sobol indices and the flip search (the
    # flip measures changes against the ranges at spread 1: its own model at another spread)
    model = DealModel(deal, input_ranges(deal, spread, spreads), aggregate=True, extras=extras)
    sim = simulate(deal, n=n, seed=seed, spread=spread, spreads=spreads, model=model)
    pkg = (probability(sim, "nash_package") if "nash_package" in sim
           and sim.attrs["point"].get("nash_package") is not None else None)
    shared = model if spread == 1.0 else (
        DealModel(deal, input_ranges(deal, 1.0, spreads), people=0, extras=()) if flip else None)
    sob = (sensitivity(deal, n=sobol_n, seed=seed, spread=spread, spreads=spreads,
                       model=model) if sobol_n and spread > 0 else pd.DataFrame())
    return Uncertainty(sim=sim, ranges=intervals(sim, level), level=float(level),
                       posture_probability=probability(sim, "posture"),
                       package_probability=pkg,
                       flip=what_would_flip(deal, "posture", spreads=spreads, model=shared)
                       if flip else None,
                       sobol=sob, profile=model.profile,
                       settings={"n": n, "seed": seed, "level": level, "spread": spread,
                                 "sobol_n": sobol_n, "spreads": spreads,
                                 "extras": list(model.extras)})
