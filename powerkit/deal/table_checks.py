"""Cross-row checks of single tables that the analyses would otherwise refuse later.

Each function takes a typed table (as :mod:`powerkit.deal.schemas` builds it, index = data row
from 0) and returns problems as ``(row, column, value, expected)`` with spreadsheet rows.
"""
from __future__ import annotations

import math

import pandas as pd

__all__ = ["zero_weight_problems", "package_count_problems", "package_count_message",
           "split_halves", "MAX_HALF"]

#: partial packages of one half-deal the package search (powerkit.coalitions.search) may list:
#: it finds each party's median package utility by selecting among pairs of half-sums
MAX_HALF = 2 ** 23


def split_halves(sizes) -> tuple[int, int, int]:
    """The split point of the issues (a prefix and the rest) with the most even package
    counts, and the two counts.

    >>> split_halves([8, 8, 8, 8])
    (2, 64, 64)
    """
    sizes = [int(x) for x in sizes]
    best = (0, 1, math.prod(sizes))
    for k in range(len(sizes) + 1):
        a, b = math.prod(sizes[:k]), math.prod(sizes[k:])
        if max(a, b) < max(best[1:]):
            best = (k, a, b)
    return best


def package_count_message(sizes) -> str | None:
    """Why a deal with these option counts per issue is beyond the package analyses, or None.

    >>> package_count_message([8] * 12) is None
    True
    >>> package_count_message([8] * 24)[:40]
    'the issues table gives 4.7e+21 packages '
    """
    sizes = [int(x) for x in sizes]
    if max(split_halves(sizes)[1:]) <= MAX_HALF:
        return None
    return (f"the issues table gives {math.prod(sizes):.2g} packages (one option per issue), "
            f"more than the package analyses can search (about {float(MAX_HALF) ** 2:.1g}): "
            "merge options or split the deal into separately negotiated parts")


def package_count_problems(issues: pd.DataFrame) -> list[tuple]:
    """One problem when the issues give more packages than the analyses can search."""
    rows = issues.dropna(subset=["issue", "option"])
    if rows.empty:
        return []
    sizes = rows.groupby("issue", sort=False)["option"].nunique().tolist()
    msg = package_count_message(sizes)
    return [] if msg is None else [(2, "option", f"{math.prod(sizes):.2g} packages",
                                    "at most about 7e13 packages: " + msg.split(": ", 1)[1])]


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
