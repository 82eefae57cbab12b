"""Walkthrough 2 in one call: :func:`what_if` runs the whole influence analysis for one setting
of the controls and returns one :class:`InfluenceView`, which the notebook, the widgets and the
report section all read.

Pure: no cache of its own. A caller that calls it again and again for the same deal (the widget)
passes its own ``cache`` mapping, so moving the threshold, the measure or the budget only
recomputes what depends on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .centrality import formal_vs_informal, measures
from .dynamics import auto_influence_matrix, opinion_forecast, who_decides
from .engagement import EngagementPlan, engagement_plan
from .gaps import relationship_gaps
from .matrices import TIE_KINDS
from .mincut import factions

__all__ = ["InfluenceView", "what_if"]


@dataclass
class InfluenceView:
    """Everything walkthrough 2 shows for one choice of tie kind, measure, threshold, budget.

    ``measures`` (centralities and brokerage roles, :func:`~powerkit.influence.measures`),
    ``table`` (formal vs informal with flags, :func:`~powerkit.influence.formal_vs_informal`),
    ``who`` (:func:`~powerkit.influence.who_decides`), ``plan``
    (:class:`~powerkit.influence.EngagementPlan`), ``headline`` (plain values) and the
    parameters used. Computed on first use: ``gaps``
    (:func:`~powerkit.influence.relationship_gaps`) and ``factions``
    (:func:`~powerkit.influence.factions`). Read from them: ``kinds`` (the tie kinds as the
    analysis functions take them), ``flagged``, ``formal_decider_in_degree``,
    ``top_betweenness_id``, ``top_betweenness`` and ``build_relationship_with``.
    """

    kind: str
    measure: str
    threshold: float
    budget: int
    measures: pd.DataFrame
    table: pd.DataFrame
    who: pd.DataFrame
    plan: EngagementPlan
    headline: dict
    _gaps: object = field(repr=False, default=None)
    _factions: object = field(repr=False, default=None)

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """:func:`~powerkit.influence.relationship_gaps` (computed on first use)."""
        return self._gaps()

    @cached_property
    def factions(self) -> pd.DataFrame:
        """:func:`~powerkit.influence.factions` for the same tie kinds (computed on first use)."""
        return self._factions()

    @property
    def kinds(self) -> str | None:
        """The tie kinds as :func:`~powerkit.influence.informal_graph` takes them (None = all)."""
        return None if self.kind == "all" else self.kind

    @property
    def flagged(self) -> pd.DataFrame:
        """The rows of ``table`` with a flag (hidden influencer or formal-only)."""
        return self.table[self.table["flag"] != ""]

    @property
    def formal_decider_in_degree(self) -> int:
        """How many people listen to the person with the largest formal say."""
        return int(self.measures.loc[self.headline["formal_decider_id"], "in_degree"])

    @property
    def top_betweenness_id(self) -> str:
        """The person on the largest share of shortest listening chains."""
        return str(self.measures["betweenness"].idxmax())

    @property
    def top_betweenness(self) -> float:
        """Their (normalised) betweenness."""
        return float(self.measures.loc[self.top_betweenness_id, "betweenness"])

    @property
    def build_relationship_with(self) -> str | None:
        """The name of the person whose new relationship with us would help most (None: nobody
        left to approach)."""
        return str(self.gaps["name"].iloc[0]) if len(self.gaps) else None


def _memo(cache, key, deal, compute):
    """``compute()``, kept in ``cache`` (when given) under ``key`` for this very deal."""
    if cache is None:
        return compute()
    hit = cache.get(key)
    if hit is not None and hit[0] is deal:
        return hit[1]
    value = compute()
    cache[key] = (deal, value)
    return value


def what_if(deal, kind="all", measure="pagerank", threshold=0.25, budget=3, effect=0.5,
            group="department", weight="weight", betweenness_k="auto", seed=0, *,
            cache=None) -> InfluenceView:
    """The widget callback of walkthrough 2: the whole influence analysis for one setting.

    Parameters
    ----------
    deal : powerkit.Deal
    kind : str, default "all"
        ``"all"`` or one tie kind (see :func:`~powerkit.influence.kind_options`).
    measure : str, default "pagerank"
        Informal measure for the formal-vs-informal comparison
        (:data:`~powerkit.influence.MEASURES`).
    threshold : float in (0, 1), default 0.25
        Size of the top band for the flags.
    budget : int ≥ 0, default 3
        Contacts in the engagement plan.
    effect : float in (0, 1], default 0.5
        Share of the gap to full support one contact closes (times ``frame_fit``).
    group : str or None, default "department"
        Group attribute for brokerage roles.
    cache : mutable mapping or None, default None
        Where the caller keeps intermediate results between calls for the same deal (measures,
        W, the forecast and the decision analysis per tie kind; plans per budget and effect).
        The widget of walkthrough 2 owns one (``powerkit.widgets.influence``); None computes
        everything.

    Returns
    -------
    InfluenceView

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> v = what_if(load_reference("krackhardt"), kind="advice", measure="in_degree")
    >>> v.headline["most_sought_after"], v.headline["formal_decider"]
    ('Manager 2 (VP)', 'Manager 7 (CEO)')
    """
    if kind not in ("all", *TIE_KINDS):
        raise bad_argument("kind", "what_if", f"'all' or one of {', '.join(TIE_KINDS)}", kind)
    if not (isinstance(budget, int | np.integer) and budget >= 0):
        raise bad_argument("budget", "what_if", "an int ≥ 0", budget)
    kinds = None if kind == "all" else kind
    key = (kind, weight, group, betweenness_k, seed)
    grp = group if (group is not None and group in deal.stakeholders.columns
                    and deal.stakeholders[group].notna().any()) else None
    m = _memo(cache, ("m", *key), deal,
              lambda: measures(deal, kinds, weight, grp, betweenness_k, seed))
    W = _memo(cache, ("W", *key), deal, lambda: auto_influence_matrix(deal, kinds, weight))
    fc = _memo(cache, ("f", *key), deal, lambda: opinion_forecast(deal, kinds, weight, W=W))
    who = _memo(cache, ("w", *key), deal, lambda: who_decides(deal, kinds, weight, forecast=fc))
    if measure == "decision_influence":
        m = m.assign(decision_influence=who["real_weight"].reindex(m.index))
    table = formal_vs_informal(deal, kinds, measure, threshold, weight, measures_table=m,
                               decision_share=who)
    plan = _memo(cache, ("p", *key, int(budget), float(effect)), deal,
                 lambda: engagement_plan(deal, int(budget), kinds, weight, effect=effect, W=W))
    return InfluenceView(
        kind=kind, measure=measure, threshold=float(threshold), budget=int(budget), measures=m,
        table=table, who=who, plan=plan, headline=_headline(m, table, who, plan),
        _gaps=lambda: _memo(cache, ("g", *key), deal,
                            lambda: relationship_gaps(deal, kinds, weight, forecast=fc)),
        _factions=lambda: _memo(cache, ("x", *key), deal,
                                lambda: factions(deal, kinds, weight=weight)))


def _headline(m, table, who, plan) -> dict:
    top = who.iloc[0]
    formal_top = who.sort_values("formal_weight", ascending=False, kind="stable").iloc[0]
    sought = m.sort_values("in_degree", ascending=False, kind="stable")
    h = {
        "decision_basis": who.attrs["basis"],
        "who_really_decides": str(top["name"]),
        "who_really_decides_id": str(who.index[0]),
        "who_really_decides_share": round(float(top["real_weight"]), 3),
        "who_really_decides_formal_weight": round(float(top["formal_weight"]), 3),
        "formal_decider": str(formal_top["name"]),
        "formal_decider_id": str(formal_top.name),
        "most_sought_after": str(sought["name"].iloc[0]),
        "most_sought_after_id": str(sought.index[0]),
        "most_sought_after_in_degree": int(sought["in_degree"].iloc[0]),
        "hidden_influencers": [str(x) for x in table.loc[table["flag"] == "hidden influencer",
                                                         "name"]],
        "formal_only": [str(x) for x in table.loc[table["flag"] == "formal-only", "name"]],
        "decision_now": round(float(who.attrs["current_decision"]), 3),
        "forecast_decision": round(float(plan.baseline), 3),
        "engage_order": [str(x) for x in plan.steps["name"]],
        "engage_order_ids": [str(x) for x in plan.steps["stakeholder"]],
        "forecast_after_plan": round(plan.final, 3),
        "forecast_at_once": round(plan.final_at_once, 3),
    }
    if "brokerage_total" in m and m["brokerage_total"].max() > 0:
        b = m.sort_values("brokerage_total", ascending=False, kind="stable")
        h["top_broker"] = str(b["name"].iloc[0])
        h["top_broker_brokerage"] = int(b["brokerage_total"].iloc[0])
    else:
        h["top_broker"] = None
        h["top_broker_brokerage"] = 0
    return h
