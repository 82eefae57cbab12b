"""Perceived networks (Krackhardt's cognitive social structures): each person's view of who
goes to whom, aggregated into one network (locally aggregated and consensus structures), and
who sees it right — accuracy against a reference, cultural competence from agreement alone, and
who sees whom as influential. docs/methods/perception.md has the formulas and choices.

Every function takes the long ``perceived_ties`` table (perceiver, source, target[, kind]) and
optionally the list of people, and returns DataFrames; :func:`perception` summarises a deal.
"""
from __future__ import annotations

from .accuracy import (
    OUTCOMES,
    REFERENCES,
    accuracy,
    describe_reference,
    phi,
    reference_matrix,
    slice_against,
)
from .css import (
    CSS,
    RULES,
    as_css,
    consensus,
    consensus_share,
    css_array,
    edges_of,
    las_matrix,
    locally_aggregated,
)
from .cultural import (
    ONE_CULTURE_RATIO,
    agreement_matrix,
    answer_key,
    competence,
    competence_with_bias,
)
from .summary import Perception, has_perceptions, perceived_kinds, perception
from .views import influential_views, perceived_in_degree, top_of

__all__ = ["CSS", "RULES", "REFERENCES", "OUTCOMES", "ONE_CULTURE_RATIO", "css_array", "as_css",
           "las_matrix",
           "edges_of", "locally_aggregated", "consensus", "consensus_share", "reference_matrix",
           "describe_reference", "phi", "accuracy", "slice_against", "agreement_matrix",
           "competence", "competence_with_bias", "answer_key", "perceived_in_degree", "top_of", "influential_views",
           "Perception", "perception", "has_perceptions", "perceived_kinds"]
