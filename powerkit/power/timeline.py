"""Power over time: the balance recomputed at the clock date, at each event and month by month."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..bargaining import DAYS_PER_MONTH
from .balance import power_profile

__all__ = ["balance_timeline"]


def balance_timeline(deal, dates=None, step_months: float | None = 1.0, **kwargs) -> pd.DataFrame:
    """The balance recomputed over time: at ``as_of``, at each event and (by default) monthly.

    Parameters
    ----------
    deal : powerkit.Deal
    dates : list of dates, optional
        Where to evaluate; default ``as_of``, every event date and a monthly grid up to the
        later of the last event and the earlier of the two parties' deadlines.
    step_months : float or None
        Spacing of the monthly grid (None: only ``as_of`` and event dates).
    **kwargs
        Passed to :func:`power_profile` (weights, systemic_inputs, ...).

    Returns
    -------
    DataFrame
        ``date, balance, positional, psychological, systemic, weight_us, price, event``
        (``event``: descriptions of the events of that date, joined by "; ").
    """
    start = pd.Timestamp(deal.meta.as_of)
    ev = deal.events if deal.has("events") else None
    if dates is None:
        pts = {start}
        if ev is not None:
            pts |= set(ev["date"][ev["date"] >= start])
        if step_months:
            dl = deal.parties.loc[[deal.us, deal.counterpart], "deadline"].dropna()
            end = max([start] + ([dl.min()] if len(dl) else []) + list(pts))
            k = 1
            while (t := start + pd.Timedelta(days=round(k * step_months * DAYS_PER_MONTH))) <= end:
                pts.add(t)
                k += 1
        dates = sorted(pts)
    rows = []
    for t in dates:
        t = pd.Timestamp(t)
        pr = power_profile(deal, at=t, **kwargs)
        bs = pr.by_source
        desc = ""
        if ev is not None:
            desc = "; ".join(str(x) for x in ev.loc[ev["date"] == t, "description"])
        rows.append({"date": t, "balance": pr.balance, "positional": bs["positional"],
                     "psychological": bs["psychological"], "systemic": bs["systemic"],
                     "weight_us": pr.split.weight_us if pr.split else np.nan,
                     "price": pr.split.price if pr.split else np.nan, "event": desc})
    return pd.DataFrame(rows)
