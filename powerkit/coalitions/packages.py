"""Competing interests: each party's utility for every package, and the packages a winning
coalition can accept.

* :func:`party_utilities` — the additive model of every party over every package;
* :func:`acceptable_packages` — packages we accept and whose accepting parties hold the quota,
  ranked by breadth, then the least-satisfied party's margin;
* :func:`best_package` — the first passing package, one option per issue.

Formulas and references: docs/methods/coalitions.md §6.
"""
from __future__ import annotations

import math
from numbers import Real

import numpy as np
import pandas as pd

from ..deal import number
from ..deal.money import money_issues, walk_aways
from ..errors import InputError, bad_argument
from .games import voting_game
from .search import (
    SAMPLE_SIZE,
    Rules,
    estimate_share,
    median_utility,
    package_space,
    packages_problem,
    top_packages,
)

__all__ = ["party_utilities", "acceptable_packages", "best_package"]


def party_utilities(issues: pd.DataFrame, max_packages: int = 200_000) -> pd.DataFrame:
    """Every package (one option per issue) with each party's utility.

    ``U_p = Σᵢ w̃_pi · rating_p(i, option) / maxₒ rating_p(i, o)``, with each party's issue
    weights normalised to sum 1 (the Inspire/GENIUS additive model, as in
    :mod:`powerkit.value` and docs/deal-format.md). An issue a party does not rate counts 0.

    Parameters
    ----------
    issues : pandas.DataFrame
        The deal's long ``issues`` table: issue, option, party, rating, weight.
    max_packages : int, default 200000
        Refuse to enumerate more packages than this.

    Returns
    -------
    pandas.DataFrame
        One column per issue (the option chosen), then one column ``U(<party>)`` per party.

    Raises
    ------
    powerkit.errors.InputError
        More packages than ``max_packages`` (a ``ValueError``).

    Examples
    --------
    >>> t = pd.DataFrame({"issue": ["fee"] * 4, "option": ["low", "high"] * 2,
    ...                   "party": ["a", "a", "b", "b"], "rating": [1, 0, 0, 2], "weight": 1})
    >>> party_utilities(t)[["fee", "U(a)", "U(b)"]].values.tolist()
    [['low', 1.0, 0.0], ['high', 0.0, 1.0]]
    """
    func = "party_utilities"
    t = issues
    issue_names = list(pd.unique(t["issue"]))
    options = {i: list(pd.unique(t.loc[t["issue"] == i, "option"])) for i in issue_names}
    count = math.prod(len(v) for v in options.values())
    if count > max_packages:
        raise InputError(f"The 'issues' table of {func} gives {count:,} packages, more than "
                         f"max_packages={max_packages:,}: too many to list one by one. "
                         f"acceptable_packages finds the best of them without listing them.")
    grids = np.meshgrid(*[np.arange(len(options[i])) for i in issue_names], indexing="ij")
    idx = [g.ravel() for g in grids]
    out = pd.DataFrame({i: np.array(options[i], dtype=object)[k]
                        for i, k in zip(issue_names, idx, strict=True)})
    for party in pd.unique(t["party"]):
        g = t[t["party"] == party]
        wts = g.groupby("issue", sort=False)["weight"].first().astype(float)
        wts = wts / wts.sum() if wts.sum() > 0 else wts * 0
        u = np.zeros(count)
        for i, k in zip(issue_names, idx, strict=True):
            if i not in wts.index:
                continue
            r = g[g["issue"] == i].set_index("option")["rating"].astype(float)
            r = r.reindex(options[i]).fillna(0.0).to_numpy()
            mx = r.max()
            if mx > 0:
                u += wts[i] * (r / mx)[k]
        out[f"U({party})"] = u
    return out


def acceptable_packages(deal, reservation=None, weights=None, quota=None,
                        max_packages: int = 200_000, top: int = 20, seed: int = 0,
                        sample_size: int = SAMPLE_SIZE) -> pd.DataFrame:
    """Packages acceptable to a winning coalition, ranked by how many interests they meet.

    A party *accepts* a package when its utility (:func:`party_utilities`) is at least its
    reservation utility. The deal stores BATNAs in money, not utility, so by default each
    party's reservation is its **median package utility** — half of all packages are better for
    it, the neutral "no worse than a typical outcome" line; override it per party with
    ``reservation`` (a utility 0..1, e.g. a BATNA you have scored). A package **passes** when we
    accept it and the accepting parties' votes (sum of their stakeholders' weights in the
    voting game) reach the quota. A party never accepts a package whose price (the amounts of
    the money issues, ``powerkit.deal.money``) lies beyond its reservation price (for us and
    the counterpart: the effective walk-away, :func:`powerkit.deal.money.walk_aways`). Competitors
    (rivals, and third parties in our own role) are shown but not asked to accept. Ranking (METHOD.md §6, "meet every stakeholder's core interests rather
    than optimising for one"): passing first, then the number of parties that accept
    (breadth), then the smallest surplus over reservation among them, then our utility, then
    issue order (options in table order).

    Up to ``max_packages`` packages, every package is listed. Above it (a 12-issue deal of 8
    options has 6.9·10¹⁰) only the ``top`` best passing packages are returned, found without
    enumerating (:mod:`powerkit.coalitions.search`, docs/methods/coalitions.md §6b): the
    reservation medians and the ``top`` packages are **exact** (the same as full enumeration
    would give); the number of passing packages is exact when fewer than ``top`` pass, else
    **estimated** from a seeded uniform sample of 200,000 packages, with a 95% interval in
    ``.attrs``.

    Parameters
    ----------
    deal : powerkit.Deal
    reservation : mapping, optional
        Party → reservation utility (0..1) replacing the median default.
    weights, quota
        What-if overrides of the voting game.
    max_packages : int, default 200000
        Enumerate every package up to this many; search above it.
    top : int, default 20
        Passing packages returned when searching.
    seed : int, default 0
        Seed of the sample that estimates the number of passing packages (search only).
    sample_size : int, default 200000
        Packages drawn for that estimate (all of them are counted when there are fewer).

    Returns
    -------
    pandas.DataFrame
        The packages (all of them, or the ``top`` passing ones when searching) with
        ``U(<party>)`` columns, ``accepted_by`` (tuple), ``breadth``, ``votes_for``,
        ``passes``, ``min_surplus``, ``rank`` (1 = best; passing packages only, else NaN).
        ``.attrs``: ``reservation``, ``party_votes``, ``quota``, ``competitors``,
        ``n_passing``, ``reservation_rule``, ``issues`` (the issue columns, in the deal's
        order), ``n_packages`` (all packages, exact), ``enumerated`` (bool), ``n_passing_rule``
        ("counted" or how it was estimated) and ``n_passing_interval`` (95% interval; equal
        ends when counted).

    Raises
    ------
    MissingTableError
        When the deal has no issues table.
    InputError
        When the deal has more packages than the search can take
        (:func:`powerkit.coalitions.search.packages_problem`).

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> d = make_deal(30, issues=12, options=8)
    >>> pk = acceptable_packages(d, top=3)
    >>> pk.attrs["n_packages"], len(pk), pk.attrs["enumerated"]
    (68719476736, 3, False)
    """
    func = "acceptable_packages"
    issues = deal.table("issues", analysis="competing interests")
    space = package_space(issues)
    enumerate_all = space.count <= max_packages
    if not enumerate_all:
        problem = packages_problem(space.sizes)
        if problem is not None:
            raise InputError(f"The 'issues' table cannot be analysed: {problem}.")
    pk = party_utilities(issues, max_packages=max_packages) if enumerate_all else None
    parties = list(pd.unique(issues["party"]))
    issue_names = list(pd.unique(issues["issue"]))
    game = voting_game(deal, weights=weights, quota=quota)
    st = deal.stakeholders
    votes = game.shown_votes.groupby(st["party"].reindex(game.weights.index)).sum()
    party_votes = {p: float(votes.get(p, 0.0)) for p in parties}
    pt = deal.parties
    our_role = pt.loc[deal.us, "role"] if deal.us in pt.index else None
    competitors = [p for p in parties if p != deal.us and p in pt.index
                   and (pt.loc[p, "side"] == "rival"
                        or (pt.loc[p, "side"] == "third" and our_role in ("buyer", "seller")
                            and pt.loc[p, "role"] == our_role))]
    if enumerate_all:
        res = {p: float(pk[f"U({p})"].median()) for p in parties}
    else:
        res = {p: median_utility(space.contrib[p]) for p in parties}
    if reservation is not None:
        for p, v in dict(reservation).items():
            if p not in res:
                raise bad_argument("reservation", func, f"keyed by parties that rate the "
                                   f"issues ({', '.join(map(str, parties))})", p)
            if isinstance(v, bool) or not isinstance(v, Real) or not 0 <= v <= 1:
                raise bad_argument("reservation", func, "utilities in [0, 1]", {p: v})
            res[p] = float(v)
    judges = [p for p in parties if p not in competitors]
    # money: no party accepts a price beyond its reservation price (a seller's floor, a buyer's
    # ceiling), whatever the rest of the package gives it
    amounts = money_issues(issues, deal.meta.currency)
    floor, ceiling = {}, {}
    if amounts:
        effective = walk_aways(deal).set_index("party")["walk_away"]  # us and the counterpart
        for p in judges:
            rp = (float(effective[p]) if p in effective.index else
                  number(pt.at[p, "reservation_price"]) if p in pt.index else None)
            role = pt.at[p, "role"] if p in pt.index and "role" in pt else None
            if rp is not None and role == "seller":
                floor[p] = rp
            elif rp is not None and role == "buyer":
                ceiling[p] = rp
    must = ([deal.us] if deal.us in judges else []) + [
        st.at[v, "party"] for v in game.vetoes if st.at[v, "party"] in judges]
    info = {"n_packages": space.count, "enumerated": enumerate_all}
    if not enumerate_all:
        rules = Rules(
            judges=tuple(judges), res=res, floor=floor, ceiling=ceiling,
            price=tuple(np.array([float(amounts[i].get(o, np.nan)) for o in opts])
                        if i in amounts else np.zeros(len(opts))
                        for i, opts in zip(space.issues, space.options, strict=True)),
            price_order=tuple(space.issues.index(i) for i in amounts),
            votes={p: party_votes[p] for p in judges}, needed=float(game.votes_needed),
            must=tuple(dict.fromkeys(must)), us=deal.us if deal.us in parties else None)
        choice, facts = top_packages(space, rules, top=top, seed=seed,
                                      sample_size=sample_size)
        pk = space.frame(choice)
    price = (sum(pk[i].map(a).astype(float) for i, a in amounts.items()) if amounts else None)
    acc = pd.DataFrame({p: pk[f"U({p})"] >= res[p] - 1e-12 for p in judges})
    for p in judges:
        if p in floor:
            acc[p] &= price >= floor[p] - 1e-6
        elif p in ceiling:
            acc[p] &= price <= ceiling[p] + 1e-6
    pk["accepted_by"] = [tuple(p for p in judges if row[p]) for row in acc.to_dict("records")]
    pk["breadth"] = acc.sum(axis=1)
    pk["votes_for"] = acc.mul(pd.Series(party_votes).reindex(judges)).sum(axis=1)
    us_ok = acc[deal.us] if deal.us in acc else True
    pk["passes"] = (pk["votes_for"] >= game.votes_needed - 1e-9) & us_ok
    for v in game.vetoes:  # the compound rule: every sign-off holder's party must accept too
        vp = st.at[v, "party"]
        if vp in acc:
            pk["passes"] &= acc[vp]
    surplus = pd.DataFrame({p: pk[f"U({p})"] - res[p] for p in judges})
    pk["min_surplus"] = surplus.where(acc).min(axis=1)
    us_u = pk[f"U({deal.us})"] if f"U({deal.us})" in pk else pd.Series(0.0, index=pk.index)
    order = pd.DataFrame({"p": pk["passes"], "b": pk["breadth"], "m": pk["min_surplus"],
                          "u": us_u}).sort_values(["p", "b", "m", "u"],
                                                  ascending=False, kind="stable")
    pk = pk.loc[order.index].reset_index(drop=True)
    npass = int(pk["passes"].sum())
    if enumerate_all:
        info.update(n_passing_rule="counted", n_passing_interval=(npass, npass))
    else:
        pk = pk[pk["passes"]].head(top).reset_index(drop=True)
        if facts["all"]:
            npass = facts["sample"][0]
            info.update(n_passing_rule="counted", n_passing_interval=(npass, npass))
        elif facts["complete"]:
            info.update(n_passing_rule="counted", n_passing_interval=(npass, npass))
        else:
            hits, draws = facts["sample"]
            share, lo, hi = estimate_share(hits, draws)
            npass = round(share * space.count)
            info.update(n_passing_rule=f"estimated from {draws:,} packages drawn uniformly "
                        f"(seed {seed}), 95% interval",
                        n_passing_interval=(math.floor(lo * space.count),
                                            math.ceil(hi * space.count)))
    pk["rank"] = pd.Series(np.arange(1, len(pk) + 1), dtype=float).where(pk["passes"])
    pk.attrs.update(reservation=res, party_votes=party_votes, quota=game.votes_needed,
                    competitors=competitors, n_passing=npass, issues=issue_names,
                    reservation_rule="median package utility" if reservation is None
                    else "given (others: median package utility)", **info)
    return pk


def best_package(packages: pd.DataFrame) -> dict | None:
    """The best package that passes, one option per issue (issue → option), or None.

    Parameters
    ----------
    packages : pandas.DataFrame
        :func:`acceptable_packages` output (ranked, best first; ``.attrs["issues"]``).

    Returns
    -------
    dict or None
        Issue → option of the first passing package; None when no package passes.

    Examples
    --------
    >>> t = pd.DataFrame({"fee": ["low", "high"], "passes": [False, True]})
    >>> t.attrs["issues"] = ["fee"]
    >>> best_package(t)
    {'fee': 'high'}
    """
    passing = packages[packages["passes"]]
    if passing.empty:
        return None
    best = passing.iloc[0]
    return {str(i): str(best[i]) for i in packages.attrs["issues"]}
