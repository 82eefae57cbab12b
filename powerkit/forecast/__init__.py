"""Forecasting a multi-party decision (walkthrough 6): where the outcome lands on each issue, how
positions move as the parties bargain, and whom to move to shift it our way.

Every model reads the positions table (one row per actor × issue: position, salience,
capability; :mod:`~powerkit.forecast.table`) and returns a frame indexed by issue with the
column ``forecast``. Modules, by method: :mod:`~powerkit.forecast.table` (the table and its
checks), :mod:`~powerkit.forecast.compromise` (weighted mean, weighted median, Condorcet
winner), :mod:`~powerkit.forecast.bdm` (Bueno de Mesquita's expected-utility model),
:mod:`~powerkit.forecast.exchange` (Stokman's exchange model), :mod:`~powerkit.forecast.network` (positions after influence through who listens to
whom), :mod:`~powerkit.forecast.compare` (every model side by side),
:mod:`~powerkit.forecast.sensitivity` (whom to move, by how much) and
:mod:`~powerkit.forecast.summary` (``forecast(deal)``, what the report and walkthrough read).
Formulas and references: docs/methods/forecast.md.
"""
from __future__ import annotations

from .bdm import BDMResult, expected_utility_model
from .compare import MODEL_COLUMNS, compare_models, our_actors, our_positions, scale_ends
from .compromise import (
    condorcet_winner,
    majority_cycle,
    pairwise_votes,
    weighted_mean,
    weighted_median,
)
from .exchange import ExchangeResult, exchange_model
from .network import issue_matrix, network_positions
from .sensitivity import sensitivity
from .summary import Forecast, forecast, levers
from .table import check_table, positions_table

__all__ = ["check_table", "positions_table", "weighted_mean", "weighted_median",
           "condorcet_winner", "pairwise_votes", "majority_cycle", "network_positions",
           "issue_matrix", "compare_models", "MODEL_COLUMNS", "our_actors", "our_positions",
           "scale_ends", "sensitivity", "Forecast", "forecast", "levers", "BDMResult",
           "expected_utility_model", "ExchangeResult", "exchange_model"]
