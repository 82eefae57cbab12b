"""Situational shifts: the deal as it stands on a date, its dated events applied in order."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import PowerkitError

__all__ = ["cast_value", "apply_events"]


def cast_value(value, column: pd.Series):
    """``value`` (often text from events.csv or a widget) cast to the type of ``column``: a date,
    a bool, a float; blank → NaN; otherwise as given.

    >>> cast_value("0.6", pd.Series([0.3])), cast_value("", pd.Series([0.3]))
    (0.6, nan)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or (
            isinstance(value, str) and value.strip() == ""):
        return np.nan
    if pd.api.types.is_datetime64_any_dtype(column):
        return pd.Timestamp(value)
    if pd.api.types.is_bool_dtype(column):
        return str(value).strip().lower() in ("true", "1", "yes", "y")
    if pd.api.types.is_numeric_dtype(column):
        return float(value)
    return value


def apply_events(deal, at=None):
    """The deal as it stands at ``at``: every event dated on or before it applied, in order.

    An event sets ``field`` of party or stakeholder ``target`` to ``value`` (cast to the
    column's type). Applying an event twice changes nothing, so events already folded into the
    tables are harmless.

    Returns
    -------
    powerkit.Deal
        A copy; the original is untouched. Without events, the deal itself.
    """
    if not deal.has("events"):
        return deal
    at = pd.Timestamp(deal.meta.as_of if at is None else at)
    ev = deal.events
    ev = ev[ev["date"] <= at].sort_values("date", kind="stable")
    if not len(ev):
        return deal
    parties, people = deal.parties.copy(), deal.stakeholders.copy()
    for _, e in ev.iterrows():
        tgt, fld = e["target"], e["field"]
        df = parties if tgt in parties.index else people
        if tgt not in df.index or fld not in df.columns:
            raise PowerkitError(f"event of {e['date']:%Y-%m-%d} sets {fld!r} of {tgt!r}, which "
                                "the deal does not have")
        df.loc[tgt, fld] = cast_value(e["value"], df[fld])
    return deal.replace(parties=parties, stakeholders=people)
