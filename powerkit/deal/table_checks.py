"""Cross-row checks of single tables that the analyses would otherwise refuse later.

Each function takes a typed table (as :mod:`powerkit.deal.schemas` builds it, index = data row
from 0) and returns problems as ``(row, column, value, expected)`` with spreadsheet rows.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["zero_weight_problems"]


def zero_weight_problems(issues: pd.DataFrame) -> list[tuple]:
    """A party whose issue weights are all 0: its utility (weights normalised to sum 1) is
    undefined, and every package analysis would refuse it."""
    out = []
    rows = issues.dropna(subset=["party"])
    for party, g in rows.groupby("party", sort=False):
        w = g["weight"]
        if w.notna().all() and len(w) and float(w.sum()) == 0:
            out.append((int(g.index[0]) + 2, "weight", "0",
                        f"a weight above 0 on at least one issue for party '{party}' (all its "
                        "weights are 0, so its ratings count for nothing: give the issues it "
                        "cares about a weight)"))
    return out
