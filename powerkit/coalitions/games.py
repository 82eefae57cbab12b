"""Weighted voting games ``[quota; w₁, …, wₙ]``: the game's checks, winning and blocking
coalitions, pivots, veto players, and the voting game of a deal.

* :func:`as_weights`, :func:`as_quota`, :func:`is_integral`, :func:`integer_game` — the
  validated game every function of :mod:`powerkit.coalitions` starts from;
* :func:`is_winning`, :func:`is_blocking`, :func:`minimal_winning_coalitions`,
  :func:`count_minimal_winning_coalitions`, :func:`minimal_blocking_coalitions`,
  :func:`pivotal_players`, :func:`pivot`, :func:`veto_players`;
* :class:`VotingGame`, :func:`voting_game` — the deciding body of a deal.

Formulas and references: docs/methods/coalitions.md §1–§3.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd

from ..errors import InvalidGameError, bad_argument

__all__ = [
    "as_weights",
    "as_quota",
    "is_integral",
    "integer_game",
    "is_winning",
    "is_blocking",
    "minimal_winning_coalitions",
    "minimal_blocking_coalitions",
    "count_minimal_winning_coalitions",
    "pivotal_players",
    "pivot",
    "veto_players",
    "VotingGame",
    "voting_game",
]


# ---------------------------------------------------------------------------------------------
# the game's checks
# ---------------------------------------------------------------------------------------------
def as_weights(weights, func: str, integer: bool | None = None) -> pd.Series:
    """Weights as a float Series indexed by player (validated: unique, finite, non-negative).

    ``weights`` is a mapping, a Series or a sequence (players 0..n−1); ``func`` names the
    calling function in the error message; ``integer=True`` also requires whole numbers (the
    exact counting methods). Raises :class:`~powerkit.errors.InvalidGameError`.

    >>> as_weights({"A": 2, "B": 1}, "f").tolist()
    [2.0, 1.0]
    """
    if isinstance(weights, pd.Series):
        s = weights.copy()
    elif isinstance(weights, dict):
        s = pd.Series(list(weights.values()),
                      index=pd.Index(list(weights.keys()), tupleize_cols=False))
    elif isinstance(weights, str | bytes) or not hasattr(weights, "__len__"):
        raise bad_argument("weights", func, "a mapping or Series player → non-negative weight "
                           "(or a sequence of weights)", weights, error=InvalidGameError)
    else:
        s = pd.Series(list(weights))
    if len(s) == 0:
        raise bad_argument("weights", func, "a non-empty mapping player → weight", weights,
                           error=InvalidGameError)
    if s.index.has_duplicates:
        dup = list(dict.fromkeys(s.index[s.index.duplicated()]))[:5]
        raise InvalidGameError(f"The 'weights' parameter of {func} must name each player once. "
                               f"Got duplicate players {dup} instead.")
    raw = s.to_numpy()
    if raw.dtype.kind not in "iuf":  # object/bool/str: check one by one for a precise message
        for player, v in s.items():
            if isinstance(v, bool | np.bool_) or not isinstance(v, Real | np.number):
                raise InvalidGameError(f"The 'weights' parameter of {func} must hold numbers. "
                                       f"Got {v!r} for player {player!r} instead.")
    vals = raw.astype(float)
    bad = ~np.isfinite(vals) | (vals < 0)
    if integer:
        bad_int = ~bad & (vals != np.floor(vals))
    if bad.any():
        k = int(np.argmax(bad))
        raise InvalidGameError(f"The 'weights' parameter of {func} must hold finite "
                               f"non-negative numbers. Got {raw[k]!r} for player "
                               f"{s.index[k]!r} instead.")
    if integer and bad_int.any():
        k = int(np.argmax(bad_int))
        raise InvalidGameError(
            f"The 'weights' parameter of {func} must hold integers for the exact method. "
            f"Got {raw[k]!r} for player {s.index[k]!r} instead; rescale the weights to "
            f"integers or use method='monte_carlo'.")
    out = pd.Series(vals, index=s.index, dtype=float, name="weight")
    if out.index.name is None:
        out.index.name = "player"
    return out


def as_quota(quota, total: float, func: str) -> float:
    """The quota as a float in (0, total]: the empty coalition loses, the grand coalition wins.

    ``func`` names the calling function in the error message
    (:class:`~powerkit.errors.InvalidGameError`).

    >>> as_quota(3, 5.0, "f")
    3.0
    """
    if isinstance(quota, bool | np.bool_) or not isinstance(quota, Real | np.number):
        raise bad_argument("quota", func, f"a number in (0, {total:g}] (the total weight)",
                           quota, error=InvalidGameError)
    q = float(quota)
    if not math.isfinite(q) or q <= 0 or q > total:
        raise bad_argument("quota", func, f"a number in (0, {total:g}] (0 < quota ≤ total "
                           f"weight, so the empty coalition loses and the grand coalition wins)",
                           quota, error=InvalidGameError)
    return q


def is_integral(w: pd.Series) -> bool:
    """True when every weight is a whole number (the exact methods apply).

    >>> is_integral(pd.Series([2.0, 1.0])), is_integral(pd.Series([1.5]))
    (True, False)
    """
    return bool(np.all(w.to_numpy() == np.floor(w.to_numpy())))


def integer_game(w: pd.Series, q: float) -> tuple[list[int], int]:
    """Integer weights and quota, divided by their common divisor (same winning coalitions).

    >>> integer_game(pd.Series([4.0, 2.0, 2.0]), 5.0)
    ([2, 1, 1], 3)
    """
    wi = [int(x) for x in w.to_numpy()]
    qi = math.ceil(q - 1e-12) if abs(q - round(q)) < 1e-12 else math.ceil(q)
    g = math.gcd(*wi) if any(wi) else 1
    if g > 1:
        wi = [x // g for x in wi]
        qi = -(-qi // g)  # winning iff Σw ≥ q ⇔ Σw/g ≥ ceil(q/g)
    return wi, qi


# ---------------------------------------------------------------------------------------------
# coalitions
# ---------------------------------------------------------------------------------------------
def _members(coalition, w: pd.Series, func: str) -> list:
    members = list(coalition)
    unknown = [m for m in members if m not in w.index]
    if unknown:
        raise bad_argument("coalition", func, f"players of the game ({list(w.index)[:6]}…)",
                           unknown, error=InvalidGameError)
    return list(dict.fromkeys(members))


def is_winning(weights, quota, coalition) -> bool:
    """True when the coalition's total weight reaches the quota.

    Examples
    --------
    >>> is_winning({"A": 3, "B": 2, "C": 1}, 4, ["A", "C"])
    True
    """
    func = "is_winning"
    w = as_weights(weights, func)
    q = as_quota(quota, float(w.sum()), func)
    return bool(w[_members(coalition, w, func)].sum() >= q - 1e-9)


def is_blocking(weights, quota, coalition) -> bool:
    """True when the coalition can stop any decision: the others together cannot reach the quota.

    Examples
    --------
    EEC 1958 [12; 4,4,4,2,2,1]: France and Belgium (6 of 17) block, since 11 < 12.

    >>> is_blocking({"FR": 4, "DE": 4, "IT": 4, "BE": 2, "NL": 2, "LU": 1}, 12, ["FR", "BE"])
    True
    """
    func = "is_blocking"
    w = as_weights(weights, func)
    q = as_quota(quota, float(w.sum()), func)
    return bool(w.sum() - w[_members(coalition, w, func)].sum() < q - 1e-9)


def _mwc_search(w: pd.Series, q: float, limit: int):
    """Depth-first search in decreasing weight: each coalition that first reaches q is minimal.

    Sorted by decreasing weight, the last member added is a lightest one; a coalition that
    reaches q only with its last member loses when any member (weight ≥ the last) leaves.
    """
    order = w[w > 0].sort_values(ascending=False, kind="stable")
    names = list(order.index)
    vals = order.to_numpy(dtype=float)
    suffix = np.concatenate([np.cumsum(vals[::-1])[::-1], [0.0]])
    found: list[tuple] = []
    truncated = False
    stack = [(0, 0.0, ())]
    tol = 1e-9
    while stack:
        start, total, chosen = stack.pop()
        # push in reverse so that heavier players are explored first
        nxt = []
        for j in range(start, len(vals)):
            if total + suffix[j] < q - tol:
                break  # even all the remaining players cannot reach the quota
            t = total + vals[j]
            if t >= q - tol:
                found.append(chosen + (j,))
                if len(found) >= limit:
                    truncated = True
                    break
            else:
                nxt.append((j + 1, t, chosen + (j,)))
        if truncated:
            break
        stack.extend(reversed(nxt))
    return [tuple(names[i] for i in c) for c in found], truncated


def minimal_winning_coalitions(weights, quota, limit: int = 10_000) -> pd.DataFrame:
    """Every minimal winning coalition: it wins, and loses if any one member leaves.

    Found by a depth-first search in decreasing weight with pruning (a branch stops when even
    all remaining players cannot reach the quota), so only minimal winning coalitions are
    visited. Their number can grow exponentially: the search stops at ``limit``, warns, and
    records the exact total (counted by dynamic programming) in ``.attrs["total"]``.

    Parameters
    ----------
    weights, quota
        The game (non-negative weights, 0 < quota ≤ total).
    limit : int, default 10000
        Most coalitions to list.

    Returns
    -------
    pandas.DataFrame
        One row per coalition: ``members`` (tuple, heaviest first), ``size``, ``weight``,
        ``surplus`` (weight − quota); sorted by size, then weight. ``.attrs``: ``quota``,
        ``truncated``, ``total``.

    Raises
    ------
    InvalidGameError
        Invalid weights, quota or limit.

    Examples
    --------
    >>> mwc = minimal_winning_coalitions({"FR": 4, "DE": 4, "IT": 4, "BE": 2, "NL": 2, "LU": 1}, 12)
    >>> len(mwc), mwc["members"].iloc[0]
    (4, ('FR', 'DE', 'IT'))

    References
    ----------
    Riker, W. H. (1962). *The Theory of Political Coalitions*. Yale University Press.
    """
    func = "minimal_winning_coalitions"
    if isinstance(limit, bool) or not isinstance(limit, Integral) or limit < 1:
        raise bad_argument("limit", func, "a positive integer", limit,
                           error=InvalidGameError)
    w = as_weights(weights, func)
    q = as_quota(quota, float(w.sum()), func)
    found, truncated = _mwc_search(w, q, int(limit))
    total = len(found)
    if truncated:
        total = (count_minimal_winning_coalitions(w, q) if is_integral(w) else None)
        warnings.warn(f"{func}: listed the first {limit} of {total or 'more'} minimal winning "
                      f"coalitions; raise 'limit' to see more.", stacklevel=2)
    return _coalition_frame(found, w, q, truncated, total)


def _coalition_frame(found, w, q, truncated, total) -> pd.DataFrame:
    df = pd.DataFrame({"members": pd.Series(found, dtype=object),
                       "size": [len(c) for c in found],
                       "weight": [float(w[list(c)].sum()) for c in found]})
    df["surplus"] = df["weight"] - q
    df = df.sort_values(["size", "weight"], kind="stable").reset_index(drop=True)
    df.attrs.update(quota=q, truncated=truncated, total=total)
    return df


def count_minimal_winning_coalitions(weights, quota) -> int:
    """Exact number of minimal winning coalitions (integer weights), by dynamic programming.

    Sort players by decreasing weight; a minimal winning coalition whose lightest member (last in
    that order) is j is j plus a set of earlier players with weight in [q − wⱼ, q − 1]. One pass
    over the players keeps the counts of subsets of the earlier players by weight.

    Examples
    --------
    >>> count_minimal_winning_coalitions({"FR": 4, "DE": 4, "IT": 4, "BE": 2, "NL": 2, "LU": 1}, 12)
    4
    """
    func = "count_minimal_winning_coalitions"
    w = as_weights(weights, func, integer=True)
    q = as_quota(quota, float(w.sum()), func)
    wi, qi = integer_game(w, q)
    vals = sorted((x for x in wi if x > 0), reverse=True)
    c = np.zeros(qi, dtype=object)
    c[0] = 1
    total = 0
    for x in vals:
        total += int(c[max(0, qi - x):qi].sum())
        if x < qi:
            c[x:] = c[x:] + c[:qi - x]
    return total


def minimal_blocking_coalitions(weights, quota, limit: int = 10_000) -> pd.DataFrame:
    """Minimal blocking coalitions: together they stop any decision; none of them is superfluous.

    A coalition B blocks when the others cannot reach the quota, w(B) > W − q; with integer
    weights these are the minimal winning coalitions of the dual game with quota W − q + 1.

    Examples
    --------
    UN Security Council: every permanent member alone blocks (the veto).

    >>> w = {**{p: 7 for p in ["CN", "FR", "RU", "UK", "US"]}, **{f"E{i}": 1 for i in range(10)}}
    >>> b = minimal_blocking_coalitions(w, 39)
    >>> b["members"].head(5).tolist()
    [('CN',), ('FR',), ('RU',), ('UK',), ('US',)]
    """
    func = "minimal_blocking_coalitions"
    w = as_weights(weights, func)
    q = as_quota(quota, float(w.sum()), func)
    W = float(w.sum())
    if is_integral(w):
        qd = W - math.ceil(q - 1e-9) + 1
    else:
        qd = W - q + 1e-6
    if isinstance(limit, bool) or not isinstance(limit, Integral) or limit < 1:
        raise bad_argument("limit", func, "a positive integer", limit,
                           error=InvalidGameError)
    found, truncated = _mwc_search(w, qd, int(limit))
    if truncated:
        warnings.warn(f"{func}: listed the first {limit} minimal blocking coalitions; raise "
                      f"'limit' to see more.", stacklevel=2)
    df = _coalition_frame(found, w, qd, truncated, None if truncated else len(found))
    df = df.drop(columns="surplus")
    df["margin"] = df["weight"] - (W - q)  # weight above what the others can spare
    df.attrs["quota"] = q
    return df


def pivotal_players(weights, quota, coalition) -> list:
    """Members of a winning coalition whose departure would make it lose (critical members).

    Returns an empty list when the coalition loses.

    Examples
    --------
    >>> pivotal_players({"A": 3, "B": 2, "C": 1, "D": 1}, 4, ["A", "B", "C"])
    ['A']
    """
    func = "pivotal_players"
    w = as_weights(weights, func)
    q = as_quota(quota, float(w.sum()), func)
    mem = _members(coalition, w, func)
    t = float(w[mem].sum())
    if t < q - 1e-9:
        return []
    return [m for m in mem if t - w[m] < q - 1e-9]


def pivot(weights, quota, order) -> object:
    """The pivotal player of a voting order: whose vote first brings the total to the quota.

    Shapley–Shubik's index of a player is the share of all n! orders in which they are pivot.

    Examples
    --------
    >>> pivot({"A": 3, "B": 2, "C": 1, "D": 1}, 4, ["C", "B", "A", "D"])
    'A'
    """
    func = "pivot"
    w = as_weights(weights, func)
    q = as_quota(quota, float(w.sum()), func)
    mem = _members(order, w, func)
    if len(mem) != len(w):
        raise bad_argument("order", func, "an ordering of all the players", order,
                           error=InvalidGameError)
    t = 0.0
    for m in mem:
        t += w[m]
        if t >= q - 1e-9:
            return m
    raise AssertionError("unreachable: quota ≤ total weight")  # pragma: no cover


def veto_players(weights, quota) -> list:
    """Players in every winning coalition: without them the others cannot reach the quota.

    Examples
    --------
    >>> veto_players({"A": 3, "B": 2, "C": 1, "D": 1}, 5)
    ['A']
    """
    func = "veto_players"
    w = as_weights(weights, func)
    q = as_quota(quota, float(w.sum()), func)
    return [p for p, x in w.items() if w.sum() - x < q - 1e-9]


# ---------------------------------------------------------------------------------------------
# the deal's voting game
# ---------------------------------------------------------------------------------------------
@dataclass
class VotingGame:
    """The deciding body of a deal: who votes with what weight, and the quota to win.

    ``rule`` says where it came from (see :func:`voting_game`); ``weights`` holds only the
    players with a positive weight (stakeholder id → weight). Under the compound rule
    ``quota_and_sign_off`` (a quota of votes *and* every sign-off holder) the game is still a
    weighted game: each sign-off holder's weight is raised by M = total votes + 1 and the quota
    by M × (number of sign-off holders), so a coalition wins exactly when it holds the quota of
    votes and every sign-off holder (Taylor & Zwicker 1999, weighted representation of a
    compound game); ``votes`` keeps the votes people hold and ``vetoes`` the sign-off holders.
    """

    weights: pd.Series
    quota: float
    rule: str
    description: str
    votes: pd.Series | None = None  # the votes people hold, when ``weights`` also encode vetoes
    vetoes: tuple = ()  # players every winning coalition must contain (sign-off holders)
    vote_quota: float | None = None  # the votes needed, when ``quota`` also encodes vetoes

    @property
    def votes_needed(self) -> float:
        """The quota of votes as a reader counts them."""
        return self.quota if self.vote_quota is None else self.vote_quota

    @property
    def total(self) -> float:
        """Total votes (the votes people hold, not the veto-encoding weights)."""
        return float((self.weights if self.votes is None else self.votes).sum())

    @property
    def shown_votes(self) -> pd.Series:
        """Each player's votes as a reader counts them (0 for a sign-off holder without votes)."""
        return self.weights if self.votes is None else self.votes.reindex(self.weights.index)

    def support(self, supporters) -> float:
        """Total weight of the given supporters."""
        return float(self.weights.reindex(list(supporters)).fillna(0).sum())

    def votes_of(self, supporters) -> float:
        """Votes the given supporters hold, as a reader counts them."""
        return float(self.shown_votes.reindex(list(supporters)).fillna(0).sum())

    def wins(self, supporters) -> bool:
        return self.support(supporters) >= self.quota - 1e-9


def voting_game(deal, weights=None, quota=None) -> VotingGame:
    """The weighted voting game of a deal, with what-if overrides.

    Rules, in order (docs/methods/coalitions.md §3):

    1. stakeholders with a ``vote_weight`` > 0 vote with that weight; the quota is
       ``deal.meta.quota``, or a simple majority ⌊W/2⌋ + 1 when the deal gives none;
       with ``decision_rule: quota_and_sign_off`` every sign-off holder must agree as well
       (a veto player of the compound game, see :class:`VotingGame`);
    2. otherwise, when some stakeholders have ``sign_off``, every sign-off holder must agree
       (weight 1 each, quota = their number: unanimity of the approvers);
    3. otherwise, the counterpart's people decide by simple majority, one person one vote.

    Parameters
    ----------
    deal : powerkit.Deal
    weights : mapping, optional
        Stakeholder → vote weight, replacing the deal's for those named (what-if).
    quota : number, optional
        Replaces the quota.

    Returns
    -------
    VotingGame

    Raises
    ------
    InvalidGameError
        When an override names an unknown stakeholder or makes the game invalid.
    """
    func = "voting_game"
    st = deal.stakeholders
    vw = pd.to_numeric(st["vote_weight"], errors="coerce").fillna(0.0) if "vote_weight" in st \
        else pd.Series(0.0, index=st.index)
    explicit_sign_off = (deal.meta.decision_rule == "sign_off"
                         and st["sign_off"].fillna(False).astype(bool).any())
    if weights is None and explicit_sign_off:  # deal.yaml says sign-off decides, votes or not
        vw = vw * 0
    if weights is not None or (vw > 0).any():
        rule = "votes"
        w = vw.copy()
        if weights is not None:
            wo = as_weights(weights, func)
            unknown = [k for k in wo.index if k not in w.index]
            if unknown:
                raise bad_argument("weights", func, "keyed by stakeholder ids of the deal",
                                   unknown, error=InvalidGameError)
            w.loc[wo.index] = wo.to_numpy()
        q = deal.meta.quota if quota is None else quota
        if q is None:
            q = math.floor(w.sum() / 2) + 1
            desc = (f"weighted vote, simple majority: {q:g} of {w.sum():g} votes (the deal sets "
                    f"no quota)")
            rule = "votes, simple majority"
        else:
            desc = f"weighted vote: {float(q):g} of {w.sum():g} votes needed"
    elif st["sign_off"].astype(bool).any():
        rule = "sign-off"
        w = st["sign_off"].astype(bool).astype(float)
        q = w.sum() if quota is None else quota
        desc = f"every sign-off holder must agree ({int(w.sum())} approver(s))"
    else:
        rule = "majority of the counterpart"
        w = (st["party"] == deal.counterpart).astype(float)
        if w.sum() == 0:
            w = pd.Series(1.0, index=st.index)
        q = math.floor(w.sum() / 2) + 1 if quota is None else quota
        desc = f"simple majority of the counterpart's {int(w.sum())} people, one person one vote"
    votes = vetoes = vote_quota = None
    if deal.meta.decision_rule == "quota_and_sign_off" and rule.startswith("votes"):
        so = st.index[st["sign_off"].fillna(False).astype(bool)]
        if len(so):
            votes = w.copy()
            big = float(votes.sum()) + 1.0
            w = votes.copy()
            w.loc[so] = w.loc[so] + big
            vote_quota = float(q)
            q = float(q) + big * len(so)
            vetoes = tuple(so)
            rule = "votes and sign-off"
            desc += (f", and every sign-off holder must agree ({len(so)}: "
                     f"{', '.join(map(str, st.loc[so, 'name']))})")
    w = w[w > 0].astype(float)
    w.index.name = "stakeholder"
    w.name = "weight"
    if len(w) == 0:
        raise InvalidGameError(f"{func}: no stakeholder has a positive vote weight.")
    q = as_quota(q, float(w.sum()), func)
    if votes is not None:
        votes = votes.reindex(w.index).fillna(0.0)
        votes.name = "votes"
    return VotingGame(weights=w, quota=q, rule=rule, description=desc, votes=votes,
                      vetoes=vetoes or (), vote_quota=vote_quota)


