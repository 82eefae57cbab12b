"""One what-if of walkthrough 5: voting power, coalitions, the plan, the power map and the
packages for one setting of quota, weights and supporters, as one result
(:class:`CoalitionWhatIf`) that the notebook, the widgets and the report section all read.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import pandas as pd

from .games import VotingGame, minimal_blocking_coalitions, minimal_winning_coalitions
from .indices import voting_power_table
from .mapping import power_map
from .packages import acceptable_packages, best_package
from .path import CoalitionPlan, coalition_plan

__all__ = ["CoalitionWhatIf", "what_if"]


@dataclass
class CoalitionWhatIf:
    """Everything walkthrough 5 shows for one setting of quota, weights and supporters.

    Attributes
    ----------
    game : VotingGame
        The voting game (after the what-if overrides).
    power : pandas.DataFrame
        :func:`~powerkit.coalitions.voting_power_table` of the game (largest power first).
    coalitions : pandas.DataFrame
        :func:`~powerkit.coalitions.minimal_winning_coalitions`, plus ``on_side`` (members
        supporting us today), ``to_win`` (the others, a tuple) and ``missing`` (their number).
    blocking : pandas.DataFrame
        :func:`~powerkit.coalitions.minimal_blocking_coalitions` of the game.
    plan : CoalitionPlan
        :func:`~powerkit.coalitions.coalition_plan` for these settings.
    power_map : pandas.DataFrame
        :func:`~powerkit.coalitions.power_map` with the voting game above.
    names : dict
        Stakeholder id → name, for display.
    supporters : list
        Stakeholder ids on side today (the plan's starting point).
    support_now : float
        Votes the supporters hold today; ``winning_now`` whether they reach the quota.
    top_power : object
        The voter with the largest Shapley–Shubik index.
    largest_gap : object
        The voter whose power differs most from their vote share; ``largest_gap_value`` is
        that difference (Shapley–Shubik − vote share).
    dummies, veto : list
        Voters never decisive; voters without whom no coalition wins (in ``power``'s order).
    packages : pandas.DataFrame or None
        :func:`~powerkit.coalitions.acceptable_packages` (None when the deal rates no issues,
        or packages were not asked for); ``passing`` its rows that pass and ``best_package``
        the first of them, issue → option (None when none passes).
    """

    game: VotingGame
    power: pd.DataFrame
    coalitions: pd.DataFrame
    plan: CoalitionPlan
    names: dict
    blocking: pd.DataFrame
    power_map: pd.DataFrame
    supporters: list
    support_now: float
    winning_now: bool
    top_power: object
    largest_gap: object
    largest_gap_value: float
    dummies: list = field(default_factory=list)
    veto: list = field(default_factory=list)
    packages: pd.DataFrame | None = None
    passing: pd.DataFrame | None = None
    best_package: dict | None = None

    def named(self, ids) -> list[str]:
        """The names of stakeholder ids (an unknown id stays as it is).

        >>> r = CoalitionWhatIf.__new__(CoalitionWhatIf)
        >>> r.names = {"a": "Ann"}
        >>> r.named(["a", "zz"])
        ['Ann', 'zz']
        """
        return [str(self.names.get(i, i)) for i in ids]

    @property
    def packages_passing(self) -> int | None:
        """How many packages pass (None without a package analysis): counted, or estimated on
        deals too big to enumerate (``packages.attrs["n_passing_rule"]`` says which)."""
        if self.passing is None:
            return None
        return int(self.packages.attrs.get("n_passing", len(self.passing)))

    @property
    def packages_total(self) -> int | None:
        """How many packages the deal has (None without a package analysis)."""
        if self.packages is None:
            return None
        return int(self.packages.attrs.get("n_packages", len(self.packages)))


def _mark_coalitions(mwc: pd.DataFrame, supporters: set) -> pd.DataFrame:
    mwc = mwc.copy()
    mwc["on_side"] = [sum(1 for m in c if m in supporters) for c in mwc["members"]]
    mwc["to_win"] = [tuple(m for m in c if m not in supporters) for c in mwc["members"]]
    mwc["missing"] = mwc["size"] - mwc["on_side"]
    return mwc


def what_if(deal, quota=None, weights=None, supporters=None, threshold: float = 0.25,
            target: float = 0.6, limit: int = 2000, power_threshold: float = 0.5,
            interest_threshold: float = 0.5, reservation=None,
            packages: bool = True) -> CoalitionWhatIf:
    """Voting power, coalitions, the coalition plan, the power map and the acceptable packages
    for one what-if setting.

    The callback of :func:`powerkit.widgets.coalitions.build_coalitions_widgets`, the
    walkthrough's one call and the report section's source.

    Parameters
    ----------
    deal : powerkit.Deal
    quota : number, optional
        Votes needed (default: the deal's).
    weights : mapping, optional
        Stakeholder → vote weight overrides.
    supporters : list, optional
        Who is already on side (default: stance > threshold).
    threshold, target : float
        See :func:`~powerkit.coalitions.coalition_plan`.
    limit : int, default 2000
        Most minimal winning (and blocking) coalitions to list.
    power_threshold, interest_threshold : float, default 0.5
        See :func:`~powerkit.coalitions.power_map`.
    reservation : mapping, optional
        Party → reservation utility (see :func:`~powerkit.coalitions.acceptable_packages`).
    packages : bool, default True
        Rank the packages when the deal rates issues (the widgets skip them).

    Returns
    -------
    CoalitionWhatIf

    Raises
    ------
    powerkit.errors.InvalidGameError
        The overrides make the voting game invalid (e.g. a quota above the total weight).
    """
    plan = coalition_plan(deal, threshold=threshold, target=target, weights=weights,
                          quota=quota, supporters=supporters)
    game = plan.game
    power = voting_power_table(game.weights, game.quota)
    if game.votes is not None:  # a compound game: shares of the votes people hold
        power["weight"] = game.shown_votes
        power["weight_share"] = power["weight"] / game.total
        power["power_vs_weight"] = power["shapley_shubik"].astype(float) - power["weight_share"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mwc = minimal_winning_coalitions(game.weights, game.quota, limit=limit)
        blocking = minimal_blocking_coalitions(game.weights, game.quota, limit=limit)
    sup_ids = plan.supporters
    gap = power["power_vs_weight"].astype(float)
    gap_id = gap.abs().idxmax()
    pmap = power_map(deal, power_threshold=power_threshold,
                     interest_threshold=interest_threshold, game=game,
                     pivotal=[p for p in plan.steps["stakeholder"] if p in game.weights.index],
                     influence=plan.influence)
    pk = passing = best = None
    if packages and deal.has("issues"):
        pk = acceptable_packages(deal, reservation=reservation, weights=weights, quota=quota)
        passing = pk[pk["passes"]]
        best = best_package(pk)
    return CoalitionWhatIf(
        game=game, power=power, coalitions=_mark_coalitions(mwc, set(sup_ids)), plan=plan,
        names=deal.stakeholders["name"].to_dict(), blocking=blocking, power_map=pmap,
        supporters=sup_ids, support_now=plan.support_now, winning_now=plan.winning_now,
        top_power=power.index[0], largest_gap=gap_id, largest_gap_value=float(gap[gap_id]),
        dummies=list(power.index[power["dummy"]]), veto=list(power.index[power["veto"]]),
        packages=pk, passing=passing, best_package=best)
