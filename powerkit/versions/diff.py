"""``diff(old, new)``: what changed between two versions of a deal, what it did to every
headline, and how much of the change in the balance and the predicted price each input change
made (exact Shapley attribution, :mod:`powerkit.versions.attribution`)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import PowerkitError
from .attribution import MAX_EXACT, shapley
from .changes import Change, apply_changes, changes_frame, input_changes

__all__ = ["DealDiff", "diff", "headlines", "balance_and_price", "ATTRIBUTED"]

#: the headlines attributed to the input changes (numbers on one scale each)
ATTRIBUTED = ("balance", "predicted_price")


def balance_and_price(deal, profile=None) -> tuple[float, float]:
    """Balance and predicted price (NaN without a zone) from walkthrough 1's power profile
    (``profile``: ``power_profile(deal)`` when the caller has it already)."""
    from ..power import power_profile

    p = power_profile(deal) if profile is None else profile
    price = p.split.price if p.split is not None else None
    return float(p.balance), (math.nan if price is None else float(price))


def headlines(deal) -> dict:
    """The headlines a version is read by: balance, posture, predicted price, who really
    decides, the posteriors of the hypotheses, the engagement order and the recommended package
    (the game plan's and walkthroughs 1–3's own functions)."""
    from .. import constraints, influence
    from ..plan import game_plan

    balance, price = balance_and_price(deal)
    plan = game_plan(deal)
    out = {"balance": balance, "posture": plan.posture,
           "predicted_price": None if math.isnan(price) else price,
           "who_really_decides": None, "posteriors": {},
           "engagement_order": [str(n) for n in plan.steps["name"]] if len(plan.steps) else [],
           "recommended_package": dict(plan.target_package)}
    if deal.has("ties"):
        try:
            wd = influence.who_decides(deal)
            out["who_really_decides"] = None if wd.empty else str(wd["name"].iloc[0])
        except PowerkitError:
            pass
    if deal.has("hypotheses"):
        h = constraints.analyse(deal).hypotheses
        out["posteriors"] = {str(k): round(float(v), 6) for k, v in h["posterior"].items()}
    return out


@dataclass
class DealDiff:
    """The difference between two versions.

    ``changes``: one row per input change (table, key, column, change, old, new, label);
    ``headlines``: one row per headline (headline, old, new, changed); ``attribution``: one row
    per player (a change, or a group of changes) with its part of each attributed headline's
    change (columns ``balance``, ``predicted_price``), the parts adding up to ``totals``;
    ``grouping``: ``change`` (each change a player), ``table`` (grouped by table: more than
    :data:`MAX_EXACT` changes, or changes that cannot be applied apart), ``all`` or ``none``."""

    old_as_of: object
    new_as_of: object
    changes: pd.DataFrame
    headlines: pd.DataFrame
    attribution: pd.DataFrame
    totals: dict
    grouping: str
    notes: list = field(default_factory=list)
    items: list = field(default_factory=list)  # the Change objects, in the order of ``changes``

    @property
    def unchanged(self) -> bool:
        return self.changes.empty

    def to_json(self) -> dict:
        """Plain values for ``--json``."""
        def plain(v):
            if isinstance(v, pd.Timestamp):
                return v.date().isoformat()
            if isinstance(v, float) and math.isnan(v):
                return None
            if isinstance(v, np.generic):
                return v.item()
            if hasattr(v, "isoformat"):
                return v.isoformat()
            return v if isinstance(v, str | int | float | bool | type(None) | list | dict) else str(v)

        return {"old_as_of": plain(self.old_as_of), "new_as_of": plain(self.new_as_of),
                "changes": [{k: plain(v) for k, v in r.items()}
                            for r in self.changes.to_dict("records")],
                "headlines": [{k: plain(v) for k, v in r.items()}
                              for r in self.headlines.to_dict("records")],
                "attribution": [{k: plain(v) for k, v in r.items()}
                                for r in self.attribution.to_dict("records")],
                "totals": {k: plain(v) for k, v in self.totals.items()},
                "grouping": self.grouping, "notes": list(self.notes)}


def _groups(changes: list[Change], how: str) -> list[list[Change]]:
    if how == "change":
        return [[c] for c in changes]
    if how == "table":
        by: dict[str, list[Change]] = {}
        for c in changes:
            by.setdefault(c.table, []).append(c)
        return list(by.values())
    return [list(changes)]


def _group_label(g: list[Change], how: str) -> str:
    if how == "change":
        return g[0].label
    if how == "table":
        return f"{g[0].table} ({len(g)} change{'s' if len(g) != 1 else ''})"
    return f"all {len(g)} changes together"


def _attribute(old, new, changes, how):
    groups = _groups(changes, how)
    cache: dict[tuple, np.ndarray] = {}
    memo: dict = {}  # each version's rows, read once for all 2ⁿ subsets

    def v(S):
        if S not in cache:
            subset = [c for i in S for c in groups[i]]
            cache[S] = np.array(balance_and_price(apply_changes(old, new, subset, memo)))
        return cache[S]

    phi = shapley(len(groups), v)
    return groups, phi, v(tuple(range(len(groups)))), v(())


def diff(old, new) -> DealDiff:
    """Compare two versions of a deal.

    Parameters
    ----------
    old, new : powerkit.Deal
        Two validated versions (e.g. ``load_deal`` of two folders or workbooks).

    Returns
    -------
    DealDiff

    Examples
    --------
    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> d = load_deal(sample_deal("small-renewal"))
    >>> diff(d, d).unchanged
    True
    """
    changes = input_changes(old, new)
    h_old, h_new = headlines(old), headlines(new)
    hl = pd.DataFrame([{"headline": k, "old": h_old[k], "new": h_new[k],
                        "changed": h_old[k] != h_new[k]} for k in h_old])
    notes: list[str] = []
    total = {"balance": h_new["balance"] - h_old["balance"],
             "predicted_price": (None if h_old["predicted_price"] is None
                                 or h_new["predicted_price"] is None
                                 else h_new["predicted_price"] - h_old["predicted_price"])}
    cols = ["player", "changes", *ATTRIBUTED]
    if not changes:
        return DealDiff(old.meta.as_of, new.meta.as_of, changes_frame(changes), hl,
                        pd.DataFrame(columns=cols), total, "none", notes, changes)
    how = "change" if len(changes) <= MAX_EXACT else "table"
    if how == "table":
        notes.append(f"{len(changes)} input changes (more than {MAX_EXACT}): attributed by "
                     "table")
    result = None
    for attempt in (how, "table", "all"):
        if attempt == "table" and len({c.table for c in changes}) > MAX_EXACT:
            continue
        try:
            result = _attribute(old, new, changes, attempt)
            how = attempt
            break
        except PowerkitError as exc:
            notes.append(f"the changes cannot all be applied apart ({exc}); "
                         f"grouped {'by table' if attempt == 'change' else 'together'}")
    groups, phi, v_all, v_none = result
    rows = []
    for g, p in zip(groups, phi, strict=True):
        rows.append({"player": _group_label(g, how), "changes": len(g),
                     "balance": float(p[0]),
                     "predicted_price": None if total["predicted_price"] is None
                     or math.isnan(p[1]) else float(p[1])})
    # v(N) is the new deal's value up to row order; the attribution explains v(N) − v(∅)
    if abs(v_all[0] - h_new["balance"]) > 1e-9 or abs(v_none[0] - h_old["balance"]) > 1e-9:
        notes.append("applying every change did not rebuild the new version exactly "
                      f"(balance {v_all[0]:.12g} vs {h_new['balance']:.12g})")
    return DealDiff(old.meta.as_of, new.meta.as_of, changes_frame(changes), hl,
                    pd.DataFrame(rows, columns=cols), total, how, notes, changes)
