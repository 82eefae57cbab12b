"""Coalition building: the order in which to win people over to carry the decision.

* :func:`effort_to_win` — stance gap × (2 − trust);
* :func:`cheapest_winning_set` — the exact least-effort winning set when nobody influences
  anybody (a min-cost covering knapsack);
* :func:`total_influence` — the Friedkin–Johnsen total influence of a deal's ties, or None;
* :class:`CoalitionPlan`, :func:`coalition_plan` — sequential (momentum) vs collective
  engagement, against the direct optimum.

Formulas and references: docs/methods/coalitions.md §4.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Real

import numpy as np
import pandas as pd

from ..errors import InvalidGameError, bad_argument
from ..influence import friedkin_johnsen, influence_matrix
from .games import VotingGame, as_quota, as_weights, voting_game

__all__ = ["effort_to_win", "cheapest_winning_set", "total_influence", "CoalitionPlan",
           "coalition_plan"]


def _trust(st: pd.DataFrame) -> pd.Series:
    """Trust in us, 0..1: the mean of the three trust columns given (0.5 when none)."""
    cols = [c for c in ("trust_competence", "trust_benevolence", "trust_reliability") if c in st]
    if not cols:
        return pd.Series(0.5, index=st.index, name="trust")
    t = st[cols].apply(pd.to_numeric, errors="coerce").mean(axis=1, skipna=True)
    return t.fillna(0.5).clip(0, 1).rename("trust")


def effort_to_win(stance, trust, target: float = 0.6):
    """Effort to bring someone to the target stance: distance to travel × (2 − trust).

    ``effort = max(0, target − stance) · (2 − trust)``: the stance gap on the −1..1 scale, up to
    doubled when they do not trust us at all (trust 0) and taken at face value when they trust
    us fully (trust 1). Relative units: compare efforts, do not read them as hours.

    Parameters
    ----------
    stance : float or array-like
        Current stance(s), −1..1.
    trust : float or array-like
        Trust in us, 0..1 (mean of competence, benevolence, reliability).
    target : float, default 0.6
        Stance we aim for when we win someone over.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> float(effort_to_win(-0.4, 0.5))
    1.5
    """
    s = np.asarray(stance, dtype=float)
    t = np.clip(np.asarray(trust, dtype=float), 0, 1)
    out = np.maximum(0.0, target - s) * (2.0 - t)
    return float(out) if out.ndim == 0 else out


def cheapest_winning_set(weights, quota, costs, supporters=()) -> tuple[list, float]:
    """The set of players to add to the supporters that wins at the least total cost (exact).

    A 0/1 min-cost covering knapsack solved by dynamic programming over the missing weight
    (``best[r]`` = least cost to add at least r votes), O(n · quota) for integer weights.
    It ignores the influence network: the benchmark for :func:`coalition_plan`.

    Parameters
    ----------
    weights, quota
        The game (integer weights).
    costs : mapping
        Player → cost ≥ 0 of winning them over (players without a cost are never bought).
    supporters : iterable
        Players already on side.

    Returns
    -------
    (list, float)
        The players to win over (heaviest first) and their total cost; ``([], 0.0)`` when the
        supporters already win.

    Raises
    ------
    InvalidGameError
        When even every player with a cost cannot reach the quota.

    Examples
    --------
    >>> cheapest_winning_set({"A": 3, "B": 2, "C": 2, "D": 1}, 5, {"A": 5, "B": 1, "C": 1, "D": 1})
    (['B', 'C', 'D'], 3.0)
    """
    func = "cheapest_winning_set"
    w = as_weights(weights, func, integer=True)
    q = as_quota(quota, float(w.sum()), func)
    have = set(supporters)
    need = math.ceil(q - 1e-9 - float(w[[p for p in w.index if p in have]].sum()))
    if need <= 0:
        return [], 0.0
    items = [(p, int(w[p]), float(costs[p])) for p in w.index
             if p not in have and p in costs and w[p] > 0]
    INF = math.inf
    best = np.full(need + 1, INF)
    best[0] = 0.0
    take = np.zeros((len(items), need + 1), dtype=bool)
    for k, (_, wk, ck) in enumerate(items):
        r = np.arange(need + 1)
        src = np.maximum(r - wk, 0)
        cand = best[src] + ck
        better = cand < best - 1e-12
        # iterate from the top so each item is used once: src indices come from the old best
        take[k] = better
        best = np.where(better, cand, best)
    if not math.isfinite(best[need]):
        raise InvalidGameError(f"{func}: the players that can be won over hold too few votes "
                               f"to reach the quota {q:g}.")
    chosen, r = [], need
    for k in range(len(items) - 1, -1, -1):
        if r > 0 and take[k, r]:
            chosen.append(items[k][0])
            r = max(r - items[k][1], 0)
    chosen.sort(key=lambda p: (-w[p], str(p)))
    return chosen, float(best[need])


# ---------------------------------------------------------------------------------------------
# coalition building
# ---------------------------------------------------------------------------------------------
@dataclass
class CoalitionPlan:
    """Who to win over, in which order, to carry the decision at the least effort.

    ``steps`` is the sequential plan (one engagement per row, efforts taken *after* the earlier
    allies' influence has moved people: momentum); ``collective`` the plan when the group is
    engaged at once (efforts from today's stances, one round); ``comparison`` sets them side by
    side with the exact no-network optimum. ``inputs`` holds per stakeholder what made the plan
    (stance, trust, weight, effort today, supporter today) and ``weights`` the parameters.
    """

    steps: pd.DataFrame
    collective: pd.DataFrame
    comparison: pd.DataFrame
    inputs: pd.DataFrame
    weights: dict
    game: VotingGame
    coalition: list = field(default_factory=list)
    influence: pd.DataFrame | None = None

    @property
    def contributions(self) -> pd.DataFrame:
        """Effort of each engaged stakeholder in the sequential plan."""
        return self.steps.set_index("stakeholder")[["effort"]]

    @property
    def supporters(self) -> list:
        """Stakeholder ids on side today (the plan's starting point)."""
        return list(self.inputs.index[self.inputs["supporter"]])

    @property
    def support_now(self) -> float:
        """Votes the supporters hold today."""
        return self.game.votes_of(self.supporters)

    @property
    def winning_now(self) -> bool:
        """Whether today's supporters already reach the quota."""
        return self.game.wins(self.supporters)


def total_influence(deal, x0: pd.Series, kinds=None) -> tuple[pd.DataFrame | None, str]:
    """The Friedkin–Johnsen total influence V of a deal's ties, and where it came from.

    ``V[i, j]`` is the share of j's anchor (initial stance ``x0``) in i's final stance
    (:func:`powerkit.influence.friedkin_johnsen`, ties weighted by
    :func:`powerkit.influence.influence_matrix` with ``kinds``). Returns ``(V, source)``;
    ``V`` is None when the deal has no ties or the model has no unique limit, and ``source``
    says why in a few words.
    """
    if not deal.has("ties"):
        return None, "no ties table: nobody's move spills over to others"
    try:
        W = influence_matrix(deal, kinds=kinds)
        fj = friedkin_johnsen(W, x0.reindex(W.index))
        return fj.total_influence, "Friedkin–Johnsen total influence of the ties"
    except ValueError as exc:  # e.g. a closed group that is fully susceptible: no unique limit
        return None, f"influence model not usable ({exc}); nobody's move spills over"


def _greedy(names, x0, trust, wts, supporters0, V, quota, threshold, target, momentum,
            candidates):
    """Greedy least effort per vote gained; returns steps and the final supporter set."""
    pos = {p: i for i, p in enumerate(names)}
    n = len(names)
    anchor_shift = np.zeros(n)          # Σ_a V[:, a] (target − x0[a]) over allies a
    allies: list = []
    stance = x0.copy()
    sup = set(supporters0)
    for p in supporters0:               # declared supporters below target hold the target
        if x0[pos[p]] < target:
            allies.append(p)
    def _apply(ally_list):
        shift = np.zeros(n)
        for a in ally_list:
            j = pos[a]
            d = target - x0[j]
            if V is not None and d != 0:
                shift += V[:, j] * d
        return shift
    anchor_shift = _apply(allies)
    stance = np.clip(x0 + anchor_shift, -1, 1)
    for a in allies:
        stance[pos[a]] = max(target, x0[pos[a]])
    sup |= {names[i] for i in range(n) if stance[i] > threshold}
    support = sum(wts.get(p, 0.0) for p in sup)
    rows = []
    step = 0
    while support < quota - 1e-9:
        best = None
        for p in candidates:
            if p in sup:
                continue
            j = pos[p]
            base = stance[j] if momentum else x0[j]
            e = float(effort_to_win(base, trust[j], target))
            # what happens if p is won over
            shift = anchor_shift.copy()
            if V is not None and target - x0[j] != 0:
                shift += V[:, j] * (target - x0[j])
            st2 = np.clip(x0 + shift, -1, 1)
            for a in allies + [p]:
                st2[pos[a]] = max(target, x0[pos[a]])
            new = {names[i] for i in range(n) if st2[i] > threshold} | sup | {p}
            gained = sum(wts.get(k, 0.0) for k in new - sup)
            gain = min(gained, quota - support)
            if gain <= 0:
                continue
            key = (e / gain, -gain, str(p))
            if best is None or key < best[0]:
                best = (key, p, e, base, new, shift, st2)
        if best is None:
            break
        _, p, e, base, new, shift, st2 = best
        step += 1
        induced = sorted(new - sup - {p}, key=str)
        allies.append(p)
        anchor_shift, stance = shift, st2
        sup = new
        support = sum(wts.get(k, 0.0) for k in sup)
        rows.append({"step": step, "stakeholder": p, "stance_before": round(float(base), 4),
                     "effort": e, "vote_weight": wts.get(p, 0.0),
                     "induced": tuple(induced), "support_after": support,
                     "winning_after": support >= quota - 1e-9})
    steps = pd.DataFrame(rows, columns=["step", "stakeholder", "stance_before", "effort",
                                        "vote_weight", "induced", "support_after",
                                        "winning_after"])
    steps["cumulative_effort"] = steps["effort"].cumsum()
    return steps, sup, stance


def coalition_plan(deal, threshold: float = 0.25, target: float = 0.6, weights=None, quota=None,
                   supporters=None, use_influence: bool = True, kinds=None) -> CoalitionPlan:
    """The order in which to win people over to reach a winning coalition at the least effort.

    Model (docs/methods/coalitions.md §4):

    * supporters today: stance > ``threshold`` (or exactly the ``supporters`` given: anyone
      left out is then taken at a stance of at most ``threshold``);
    * winning someone over moves their stance to ``target`` at the cost
      :func:`effort_to_win` (stance gap × (2 − trust));
    * the influence network carries the move: with V the Friedkin–Johnsen total influence
      (``powerkit.influence``), an ally j moved by Δⱼ = target − x₀ⱼ shifts everyone's stance by
      V[:, j]·Δⱼ; anyone pushed above the threshold joins without a meeting of their own;
    * **sequential** engagement picks, one at a time, the person with the least effort per vote
      gained (votes capped at what is still missing), each effort measured *after* the earlier
      allies' influence (momentum); **collective** engagement picks the group by the same rule
      but with today's stances (everyone in one room, no momentum, one round: shared
      ownership); the **direct optimum** is the exact least-effort winning set when nobody
      influences anybody (:func:`cheapest_winning_set`), the benchmark for both.

    Parameters
    ----------
    deal : powerkit.Deal
    threshold : float, default 0.25
        Stance above which someone counts as a supporter (−1..1 scale).
    target : float, default 0.6
        Stance someone holds once won over; must exceed ``threshold``.
    weights, quota
        What-if overrides of the voting game (:func:`voting_game`).
    supporters : list of stakeholder ids, optional
        Who is already on side (replaces the stance rule); those below the target are taken
        to hold the target (and pull the people who listen to them).
    use_influence : bool, default True
        Use the ties (False: nobody's move spills over).
    kinds : str or list, optional
        Tie kinds for :func:`powerkit.influence.influence_matrix`.

    Returns
    -------
    CoalitionPlan

    Raises
    ------
    powerkit.errors.InputError
        Invalid threshold/target, or unknown supporters (a ``ValueError``).
    powerkit.errors.InvalidGameError
        When the what-if ``weights`` or ``quota`` make the voting game invalid.

    References
    ----------
    Friedkin, N. E. & Johnsen, E. C. (1999). Social influence networks and opinion change.
    *Advances in Group Processes* 16, 1–29.
    Sebenius, J. K. (1996). Sequencing to build coalitions: with whom should I talk first? In
    Zeckhauser, Keeney & Sebenius (eds), *Wise Choices*, 324–348. Harvard Business School Press.
    """
    func = "coalition_plan"
    for name, v in (("threshold", threshold), ("target", target)):
        if isinstance(v, bool) or not isinstance(v, Real) or not -1 <= v <= 1:
            raise bad_argument(name, func, "a number in [-1, 1]", v)
    if target <= threshold:
        raise bad_argument("target", func, f"above the threshold {threshold}", target)
    game = voting_game(deal, weights=weights, quota=quota)
    st = deal.stakeholders
    names = list(st.index)
    x0s = pd.to_numeric(st["stance"], errors="coerce").fillna(0.0).clip(-1, 1)
    trust = _trust(st)
    if supporters is None:
        sup0 = [p for p in names if x0s[p] > threshold]
    else:
        sup0 = list(dict.fromkeys(supporters))
        unknown = [p for p in sup0 if p not in st.index]
        if unknown:
            raise bad_argument("supporters", func, "stakeholder ids of the deal", unknown)
    V, vsrc = (None, "influence switched off")
    if use_influence:
        V, vsrc = total_influence(deal, x0s, kinds)
    Vm = None if V is None else V.reindex(index=names, columns=names).fillna(0).to_numpy()
    x0 = x0s.to_numpy(dtype=float)
    if supporters is not None:
        # the list replaces the stance rule: someone left out counts as not (yet) on side
        declared = np.array([p in set(sup0) for p in names])
        x0 = np.where(declared, x0, np.minimum(x0, threshold))
    tr = trust.reindex(names).to_numpy(dtype=float)
    wts = game.weights.to_dict()
    side = st["party"].map(deal.parties["side"])
    # never a target: our own people and rivals (they compete with us for the counterpart)
    candidates = [p for p in names if st.loc[p, "party"] != deal.us
                  and side.get(p) not in ("us", "rival")]
    seq, sup_seq, _ = _greedy(names, x0, tr, wts, sup0, Vm, game.quota, threshold, target,
                              True, candidates)
    col, sup_col, _ = _greedy(names, x0, tr, wts, sup0, Vm, game.quota, threshold, target,
                              False, candidates)
    if game.vetoes:  # a compound game: show the votes people hold, not the veto encoding
        big = (game.quota - game.votes_needed) / len(game.vetoes)
        for df in (seq, col):
            df["vote_weight"] = [game.shown_votes.get(p, 0.0) for p in df["stakeholder"]]
            df["support_after"] = [v - (v // big) * big for v in df["support_after"]]
    for df in (seq, col):
        df.insert(2, "name", [st.loc[p, "name"] for p in df["stakeholder"]])
        df.insert(3, "party", [st.loc[p, "party"] for p in df["stakeholder"]])
    effort0 = pd.Series(effort_to_win(x0, tr, target), index=names)
    sup_set = set(sup0)
    try:
        cost = {p: float(effort0[p]) for p in candidates}
        direct, direct_cost = cheapest_winning_set(game.weights.round().astype(int),
                                                   game.quota, cost,
                                                   [p for p in sup0 if p in game.weights.index])
        direct_ok = True
    except InvalidGameError:
        direct, direct_cost, direct_ok = [], math.nan, False
    support_now = game.votes_of(sup_set)
    comp = pd.DataFrame([
        {"approach": "sequential (one by one, momentum)", "engaged": len(seq),
         "total_effort": float(seq["effort"].sum()), "rounds": len(seq),
         "support": game.votes_of(sup_seq), "winning": game.wins(sup_seq),
         "who": tuple(seq["stakeholder"])},
        {"approach": "collective (together, one round)", "engaged": len(col),
         "total_effort": float(col["effort"].sum()), "rounds": 1 if len(col) else 0,
         "support": game.votes_of(sup_col), "winning": game.wins(sup_col),
         "who": tuple(col["stakeholder"])},
        {"approach": "direct optimum (no network)", "engaged": len(direct),
         "total_effort": direct_cost, "rounds": len(direct),
         "support": game.votes_of(sup_set | set(direct)) if direct_ok else support_now,
         "winning": direct_ok, "who": tuple(direct)},
    ]).set_index("approach")
    inputs = pd.DataFrame({"name": st["name"], "party": st["party"], "stance": x0s,
                           "trust": trust, "vote_weight": game.shown_votes.reindex(names).fillna(0),
                           "effort_today": effort0, "supporter": [p in sup_set for p in names],
                           "candidate": [p in candidates for p in names]})
    params = {"threshold": threshold, "target": target, "quota": game.quota, "rule": game.rule,
              "influence": vsrc, "effort": "max(0, target − stance) × (2 − trust)"}
    coalition = sorted(p for p in sup_seq if p in game.weights.index)
    return CoalitionPlan(steps=seq, collective=col, comparison=comp, inputs=inputs,
                         weights=params, game=game, coalition=coalition, influence=V)


