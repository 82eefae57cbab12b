"""Formal vs informal power: who is listened to, who brokers, where opinion is heading.

Direction convention (docs/deal-format.md): a tie ``source → target`` means **source listens to
target**; influence flows *target → source*. Every graph built here keeps that direction, so an
edge ``u → v`` in a *listening graph* means "u listens to v", and

* in-degree, PageRank and eigenvector centrality of ``v`` measure how much ``v`` is listened to;
* ``W[i, j]`` of the influence matrix is the weight ``i`` gives to ``j``'s opinion (row ``i`` =
  whom ``i`` listens to), the DeGroot / Friedkin–Johnsen convention.

Modules, by method: :mod:`~powerkit.influence.matrices` (the influence matrix W and the shared
argument checks), :mod:`~powerkit.influence.graphs` (formal, informal and flow graphs),
:mod:`~powerkit.influence.centrality` (centralities, formal power, formal vs informal),
:mod:`~powerkit.influence.brokerage` (Gould–Fernandez roles),
:mod:`~powerkit.influence.dynamics` (DeGroot, Friedkin–Johnsen, who decides),
:mod:`~powerkit.influence.engagement` (the CELF engagement plan),
:mod:`~powerkit.influence.gaps` (relationships to build), :mod:`~powerkit.influence.mincut`
(minimum-cut factions), :mod:`~powerkit.influence.systemic` (inputs for a power profile) and
:mod:`~powerkit.influence.view` (walkthrough 2 in one call: ``what_if``) and
:mod:`~powerkit.influence.fast` (the same measures at company scale, from sparse matrices and
igraph). The formulas and their
references are in docs/methods/influence.md.
"""
from __future__ import annotations

from ..errors import NoConsensusError, NotStochasticError
from .brokerage import ROLES, brokerage_roles, role_of
from .centrality import (
    EXACT_BETWEENNESS_MAX,
    MEASURES,
    centrality_table,
    formal_scores,
    formal_vs_informal,
    measures,
    path_measures,
    structural_holes,
)
from .dynamics import (
    OpinionForecast,
    decision_weights,
    degroot_weights,
    friedkin_johnsen,
    opinion_forecast,
    who_decides,
)
from .engagement import EngagementPlan, engagement_candidates, engagement_plan, plan_engagement
from .fast import BACKENDS, FAST_MIN_PEOPLE, listening_matrix
from .gaps import relationship_gaps
from .graphs import flow_graph, formal_graph, informal_graph
from .matrices import TIE_KINDS, SparseWeights, influence_matrix, kind_options
from .mincut import faction_summary, faction_table, factions, split_factions
from .systemic import systemic_inputs
from .view import InfluenceView, what_if

__all__ = [
    "NotStochasticError",
    "NoConsensusError",
    "TIE_KINDS",
    "influence_matrix",
    "friedkin_johnsen",
    "OpinionForecast",
    "degroot_weights",
    "MEASURES",
    "EXACT_BETWEENNESS_MAX",
    "formal_graph",
    "informal_graph",
    "flow_graph",
    "centrality_table",
    "path_measures",
    "structural_holes",
    "ROLES",
    "brokerage_roles",
    "role_of",
    "measures",
    "formal_scores",
    "decision_weights",
    "opinion_forecast",
    "who_decides",
    "formal_vs_informal",
    "EngagementPlan",
    "plan_engagement",
    "engagement_candidates",
    "engagement_plan",
    "relationship_gaps",
    "split_factions",
    "faction_table",
    "factions",
    "faction_summary",
    "kind_options",
    "SparseWeights",
    "BACKENDS",
    "FAST_MIN_PEOPLE",
    "listening_matrix",
    "InfluenceView",
    "what_if",
    "systemic_inputs",
]
