"""Checks of deal.yaml's analysis settings: the decision rule's default and the input ranges.

Split from :mod:`powerkit.deal.schemas` (which reads and validates the tables) so that each
stays short; :func:`powerkit.deal.load_deal` applies both.
"""
from __future__ import annotations

import math

import pandas as pd

__all__ = ["SPREAD_KINDS", "default_rule", "checked_spreads"]

#: the kinds of input a spread may name (powerkit.uncertainty's defaults by kind)
SPREAD_KINDS = frozenset({"rating", "stance", "money", "probability", "weight"})


def default_rule(quota, stakeholders: pd.DataFrame | None) -> str:
    """The decision rule of a deal.yaml without ``decision_rule``: ``quota`` when a quota is
    set or anyone holds votes (a simple majority when no quota is set), else ``sign_off``."""
    votes = (stakeholders is not None and "vote_weight" in stakeholders
             and (pd.to_numeric(stakeholders["vote_weight"], errors="coerce").fillna(0) > 0).any())
    return "quota" if quota is not None or votes else "sign_off"


def checked_spreads(spreads, problem, spec) -> tuple[tuple, bool]:
    """deal.yaml's ``spreads`` as ``((name, spread), ...)`` and whether it is valid; each
    problem is reported through ``problem(file, row, column, value, expected)``. A name is a
    numeric column of a table, a table, or a kind of :data:`SPREAD_KINDS`; a spread is a
    number ≥ 0 (a half-width for ratings, stances and money — relative for money — or a
    concentration for probabilities and weights, see powerkit.uncertainty)."""
    if spreads in (None, {}):
        return (), True
    if not isinstance(spreads, dict):
        problem("deal", None, "spreads", spreads, "a mapping such as {stance: 0.3, money: 0.1}")
        return (), False
    names = set(SPREAD_KINDS) | set(spec) | {c.name for cols in spec.values() for c in cols
                                             if c.kind in ("number", "integer")}
    ok = True
    for k, v in spreads.items():
        if str(k) not in names:
            problem("deal", None, f"spreads.{k}", None, "a numeric column, a table or one of "
                    + ", ".join(sorted(SPREAD_KINDS)))
            ok = False
        elif isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) \
                or v < 0:
            problem("deal", None, f"spreads.{k}", v, "a number >= 0")
            ok = False
    return (tuple((str(k), float(v)) for k, v in spreads.items()) if ok else ()), ok
