"""Coalition building: the order in which to win people over to carry the decision.

* :func:`effort_to_win` — stance gap × (2 − trust);
* :func:`cheapest_winning_set` — the exact least-effort winning set when nobody influences
  anybody (a min-cost covering knapsack);
* :func:`total_influence` — the Friedkin–Johnsen model of a deal's ties (its total influence
  read by rows or columns), or None;
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
from ..influence import OpinionForecast, friedkin_johnsen
from ..influence.dynamics import auto_influence_matrix
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
    ``influence`` is the Friedkin–Johnsen model the plan used (an
    :class:`~powerkit.influence.OpinionForecast`; None when no influence was used): read V
    from it by rows or columns, not as the n × n matrix, on a large deal.
    """

    steps: pd.DataFrame
    collective: pd.DataFrame
    comparison: pd.DataFrame
    inputs: pd.DataFrame
    weights: dict
    game: VotingGame
    coalition: list = field(default_factory=list)
    influence: OpinionForecast | None = None

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


def total_influence(deal, x0: pd.Series, kinds=None) -> tuple[OpinionForecast | None, str]:
    """The Friedkin–Johnsen model of a deal's ties, and where it came from.

    Returns ``(forecast, source)``: ``forecast`` is the
    :class:`~powerkit.influence.OpinionForecast` of the initial stances ``x0`` (ties weighted by
    :func:`powerkit.influence.influence_matrix` with ``kinds``; sparse above
    :data:`powerkit.influence.dynamics.DENSE_MAX` people), whose total influence V[i, j] — the
    share of j's anchor in i's final stance — is read a few rows or columns at a time
    (:meth:`~powerkit.influence.OpinionForecast.influence_rows`,
    :meth:`~powerkit.influence.OpinionForecast.influence_columns`,
    :meth:`~powerkit.influence.OpinionForecast.influence_on_others`), never as the n × n
    matrix. ``forecast`` is None when the deal has no ties or the model has no unique limit,
    and ``source`` says why in a few words.
    """
    if not deal.has("ties"):
        return None, "no ties table: nobody's move spills over to others"
    try:
        W = auto_influence_matrix(deal, kinds)
        fj = friedkin_johnsen(W, x0.reindex(W.index))
        return fj, "Friedkin–Johnsen total influence of the ties"
    except ValueError as exc:  # e.g. a closed group that is fully susceptible: no unique limit
        return None, f"influence model not usable ({exc}); nobody's move spills over"


class _Spill:
    """The columns of V = (I − ΛW)⁻¹(I − Λ) the plan needs, laid out on ``names``.

    The greedy choice reads, for every candidate j, only the shift of the **voters'** stances
    (votes are what it counts) — the voters' rows of V, one transposed solve per voter — and,
    once someone is chosen, their whole column (one solve) to move everyone. Memory
    ∝ (voters + chosen) × n, never n × n. ``fc`` None: nobody's move spills over.
    """

    def __init__(self, fc: OpinionForecast | None, names, voters):
        self.n = len(names)
        self.voters = np.asarray(voters, dtype=int)          # positions in names
        self.fc = fc
        self._cols: dict[int, np.ndarray] = {}
        self.rows = np.zeros((len(self.voters), self.n))     # V[voters, :] on names
        if fc is not None:
            idx = fc.final.index
            self._at = idx.get_indexer(list(names))          # names → forecast positions
            have = self._at[self.voters] >= 0
            if have.any():
                R = fc.influence_rows(idx[self._at[self.voters[have]]]).to_numpy()
                ok = self._at >= 0
                self.rows[np.flatnonzero(have)[:, None], np.flatnonzero(ok)[None, :]] = \
                    R[:, self._at[ok]]

    def times(self, y: np.ndarray) -> np.ndarray:
        """V @ y on names (one solve: V y = A⁻¹(I − Λ)y); zeros without a model."""
        out = np.zeros(self.n)
        if self.fc is None or not np.any(y):
            return out
        ok = self._at >= 0
        yy = np.zeros(len(self.fc.final.index))
        yy[self._at[ok]] = y[ok]
        lam = self.fc.susceptibility.to_numpy()
        out[ok] = np.asarray(self.fc.solve((1.0 - lam) * yy))[self._at[ok]]
        return out

    def column(self, j: int) -> np.ndarray | None:
        """V[:, j] on names (None without a model, or when j is not in it)."""
        if self.fc is None or self._at[j] < 0:
            return None
        if j not in self._cols:
            c = self.fc.influence_columns([self.fc.final.index[self._at[j]]]).to_numpy()[:, 0]
            col = np.zeros(self.n)
            ok = self._at >= 0
            col[ok] = c[self._at[ok]]
            self._cols[j] = col
        return self._cols[j]


def _greedy(names, x0, trust, wts, supporters0, spill, quota, threshold, target, momentum,
            candidates):
    """Greedy least effort per vote gained; returns steps and the final supporter set.

    Each step scores every candidate j at once from the voters' rows of V
    (``spill.rows[:, j]``): the voters' stances if j were won over, who of them would pass the
    threshold, the votes gained. The person chosen then moves everyone by their column of V.
    """
    pos = {p: i for i, p in enumerate(names)}
    n = len(names)
    vp = spill.voters                                  # voter positions
    vw = np.array([wts.get(names[i], 0.0) for i in vp])
    allies: list = []
    for p in supporters0:               # declared supporters below target hold the target
        if x0[pos[p]] < target:
            allies.append(p)
    pull = np.zeros(n)                  # target − x0[a] for the allies a
    for a in allies:
        pull[pos[a]] = target - x0[pos[a]]
    anchor_shift = spill.times(pull)    # Σ_a V[:, a] (target − x0[a]) in one solve
    stance = np.clip(x0 + anchor_shift, -1, 1)
    for a in allies:
        stance[pos[a]] = max(target, x0[pos[a]])
    sup = set(supporters0) | {names[i] for i in np.flatnonzero(stance > threshold)}
    support = sum(wts.get(p, 0.0) for p in sup)
    cand_pos = np.array([pos[p] for p in candidates], dtype=int)
    voter_row = {int(i): r for r, i in enumerate(vp)}  # position → row of the voter block
    rows = []
    step = 0
    while support < quota - 1e-9:
        in_sup = np.array([names[i] in sup for i in range(n)]) if n else np.zeros(0, bool)
        open_c = cand_pos[~in_sup[cand_pos]] if len(cand_pos) else cand_pos
        if not len(open_c):
            break
        d = target - x0[open_c]
        # voters' stances if each open candidate were won over (voters × candidates)
        st2 = np.clip((x0[vp] + anchor_shift[vp])[:, None] + spill.rows[:, open_c] * d[None, :],
                      -1, 1)
        new_v = (st2 > threshold) & ~in_sup[vp][:, None]
        for c, j in enumerate(open_c):   # the candidate joins whatever their stance
            r = voter_row.get(int(j))
            if r is not None:
                new_v[r, c] = True
        gained = vw @ new_v if len(vp) else np.zeros(len(open_c))
        gain = np.minimum(gained, quota - support)
        base = stance[open_c] if momentum else x0[open_c]
        eff = effort_to_win(base, trust[open_c], target)
        eff = np.atleast_1d(eff)
        best = None
        for c in np.flatnonzero(gain > 0):
            p = names[open_c[c]]
            key = (float(eff[c]) / float(gain[c]), -float(gain[c]), str(p))
            if best is None or key < best[0]:
                best = (key, c)
        if best is None:
            break
        c = best[1]
        j = int(open_c[c])
        p = names[j]
        e, b0 = float(eff[c]), float(base[c])
        shift = anchor_shift.copy()
        col = spill.column(j) if target - x0[j] != 0 else None
        if col is not None:
            shift += col * (target - x0[j])
        st_all = np.clip(x0 + shift, -1, 1)
        for a in allies + [p]:
            st_all[pos[a]] = max(target, x0[pos[a]])
        new = {names[i] for i in np.flatnonzero(st_all > threshold)} | sup | {p}
        step += 1
        induced = sorted(new - sup - {p}, key=str)
        allies.append(p)
        anchor_shift, stance = shift, st_all
        sup = new
        support = sum(wts.get(k, 0.0) for k in sup)
        rows.append({"step": step, "stakeholder": p, "stance_before": round(b0, 4),
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
    fc, vsrc = (None, "influence switched off")
    if use_influence:
        fc, vsrc = total_influence(deal, x0s, kinds)
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
    where = {p: i for i, p in enumerate(names)}
    spill = _Spill(fc, names, [where[p] for p in wts if p in where])  # shared by both plans
    seq, sup_seq, _ = _greedy(names, x0, tr, wts, sup0, spill, game.quota, threshold, target,
                              True, candidates)
    col, sup_col, _ = _greedy(names, x0, tr, wts, sup0, spill, game.quota, threshold, target,
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
                         weights=params, game=game, coalition=coalition, influence=fc)


