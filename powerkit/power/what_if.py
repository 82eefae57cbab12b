"""What if: the power picture recomputed with some inputs changed (the widgets' callback)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..bargaining import DAYS_PER_MONTH, Split
from ..errors import bad_argument
from .balance import PowerProfile, power_profile
from .events import apply_events, cast_value
from .posture import posture

__all__ = ["WhatIf", "what_if"]


@dataclass
class WhatIf:
    """The one result of :func:`what_if`, read by the walkthrough, its widgets and the benchmark.

    Attributes
    ----------
    deal : powerkit.Deal
        The deal with the events up to the clock date applied and the changes made.
    profile : PowerProfile
        Its power profile at the clock date.
    split : powerkit.bargaining.Split or None
        ``profile.split``: the expected split of the ZOPA (None without seller/buyer prices).
    posture : DataFrame
        :func:`powerkit.power.posture` of the profile.
    changes : DataFrame
        ``target, field, before, after``: every change made.
    """

    deal: object
    profile: PowerProfile
    split: Split | None
    posture: pd.DataFrame
    changes: pd.DataFrame

    def headline(self) -> dict:
        """Balance, our bargaining weight and the predicted price, rounded for display."""
        return {"balance": round(self.profile.balance, 4),
                "weight_us": None if self.split is None else round(self.split.weight_us, 4),
                "price": None if self.split is None or self.split.price is None
                else round(self.split.price, 2)}


def what_if(deal, batna: float | None = None, their_deadline=None, our_deadline=None,
            weights: Mapping[str, float] | None = None, at=None,
            overrides: Mapping | None = None, **kwargs) -> WhatIf:
    """Recompute the power picture with some inputs changed (the widgets call this).

    Parameters
    ----------
    deal : powerkit.Deal
    batna : float, optional
        Our BATNA value (money). Our reservation price moves by the same amount, keeping the
        gap between them (what the alternative is worth sets where we walk away).
    their_deadline, our_deadline : date or float, optional
        A date, or months after the clock date ``at``.
    weights : mapping, optional
        Weight overrides (:func:`resolve_weights`).
    at : date, optional
        The clock date; events up to it are applied first (default ``as_of``).
    overrides : mapping, optional
        Any other change, ``{(party_or_stakeholder, column): value}``.
    **kwargs
        Passed to :func:`power_profile` (``systemic_inputs``, ``stakeholder_weights``).

    Returns
    -------
    WhatIf
        ``changes`` lists every change made (target, field, before, after).
    """
    clock = pd.Timestamp(deal.meta.as_of if at is None else at)
    d = apply_events(deal, clock)
    parties, people = d.parties.copy(), d.stakeholders.copy()
    changes = []

    def setv(df, tgt, col, v):
        before = df.at[tgt, col]
        df.loc[tgt, col] = v
        changes.append({"target": tgt, "field": col, "before": before, "after": v})

    def deadline(v):
        if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool):
            # to the second, as the widgets pass dates (a deal's dates are datetime64[us])
            return (clock + pd.Timedelta(days=float(v) * DAYS_PER_MONTH)).floor("s")
        return pd.Timestamp(v)

    if batna is not None:
        # the walk-away price moves with the BATNA's value (powerkit.deal.money.walk_aways)
        setv(parties, d.us, "batna_value", float(batna))
    if their_deadline is not None:
        setv(parties, d.counterpart, "deadline", deadline(their_deadline))
    if our_deadline is not None:
        setv(parties, d.us, "deadline", deadline(our_deadline))
    for (tgt, col), v in (overrides or {}).items():
        df = parties if tgt in parties.index else people
        if tgt not in df.index or col not in df.columns:
            raise bad_argument("overrides", "what_if",
                               "name a party or stakeholder and one of its columns", (tgt, col))
        setv(df, tgt, col, cast_value(v, df[col]) if isinstance(v, str) else v)
    d2 = d.replace(parties=parties, stakeholders=people)
    prof = power_profile(d2, at=clock, weights=weights, events=False, **kwargs)
    return WhatIf(d2, prof, prof.split, posture(prof), pd.DataFrame(
        changes, columns=["target", "field", "before", "after"]))
