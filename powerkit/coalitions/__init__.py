"""Multi-party power: voting power, winning coalitions, coalition building, power mapping.

Who really holds power in a deciding body is rarely proportional to the votes they hold. This
package measures it and turns it into a plan, one module per family of methods:

* :mod:`~powerkit.coalitions.indices` — :func:`power_indices` (Shapley–Shubik and Banzhaf,
  exact by generating functions or Monte Carlo), :func:`swing_counts`, :func:`dummy_players`,
  :func:`voting_power_table`;
* :mod:`~powerkit.coalitions.games` — the weighted voting game: :func:`is_winning`,
  :func:`is_blocking`, :func:`minimal_winning_coalitions`,
  :func:`count_minimal_winning_coalitions`, :func:`minimal_blocking_coalitions`,
  :func:`pivotal_players`, :func:`pivot`, :func:`veto_players`, and a deal's
  :func:`voting_game`;
* :mod:`~powerkit.coalitions.path` — :func:`coalition_plan`: from the current supporters, the
  order in which to win people over at the least effort, using the influence network
  (sequential vs collective engagement, against :func:`cheapest_winning_set`);
* :mod:`~powerkit.coalitions.mapping` — :func:`power_map`: Mendelow's power–interest grid and
  Mitchell, Agle & Wood's salience types;
* :mod:`~powerkit.coalitions.packages` — :func:`party_utilities`,
  :func:`acceptable_packages`: packages of issue options acceptable to a winning coalition;
* :mod:`~powerkit.coalitions.what_if` — :func:`what_if`, one :class:`CoalitionWhatIf` that the
  walkthrough, its widgets and its report section (:mod:`powerkit.sections.coalitions`) read.

Every formula, with its reference and the test that checks it, is in docs/methods/coalitions.md.
"""
from ..errors import InvalidGameError
from .games import (
    VotingGame,
    count_minimal_winning_coalitions,
    is_blocking,
    is_winning,
    minimal_blocking_coalitions,
    minimal_winning_coalitions,
    pivot,
    pivotal_players,
    veto_players,
    voting_game,
)
from .indices import dummy_players, power_indices, swing_counts, voting_power_table
from .mapping import (
    MENDELOW_ENGAGEMENT,
    SALIENCE_TYPES,
    mendelow_quadrant,
    power_map,
    salience_type,
)
from .packages import acceptable_packages, best_package, party_utilities
from .path import CoalitionPlan, cheapest_winning_set, coalition_plan, effort_to_win
from .what_if import CoalitionWhatIf, what_if

__all__ = [
    "InvalidGameError",
    "power_indices",
    "swing_counts",
    "voting_power_table",
    "is_winning",
    "is_blocking",
    "minimal_winning_coalitions",
    "minimal_blocking_coalitions",
    "count_minimal_winning_coalitions",
    "pivotal_players",
    "pivot",
    "dummy_players",
    "veto_players",
    "VotingGame",
    "voting_game",
    "effort_to_win",
    "cheapest_winning_set",
    "CoalitionPlan",
    "coalition_plan",
    "MENDELOW_ENGAGEMENT",
    "SALIENCE_TYPES",
    "mendelow_quadrant",
    "salience_type",
    "power_map",
    "party_utilities",
    "acceptable_packages",
    "best_package",
    "CoalitionWhatIf",
    "what_if",
]
