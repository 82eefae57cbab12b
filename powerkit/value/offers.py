"""Concessions in the offers history, each in the conceding side's own utility.

(docs/methods/value.md §7.)
"""
from __future__ import annotations

import math

import pandas as pd

from ..errors import bad_argument
from .evaluation import dominated_by, package_point
from .frontier import given_frontier
from .utilities import OptionSpace, option_space, options_from_deal

__all__ = ["concessions_from_offers", "concessions", "latest_offer", "latest_package"]


def concessions_from_offers(offers: pd.DataFrame, options: pd.DataFrame, us: str,
                            them: str, frontier=None) -> pd.DataFrame:
    """Each offer's utility for both sides and each side's concessions, round by round.

    An offer lists one row per issue (``round, party, issue, option``); issues an offer leaves
    out keep the option of the same party's previous offer (blank if there is none, and the
    utilities are then NaN). For consecutive offers of the same party, ``concession`` is the
    utility it gave up in its own terms and ``gift`` what the other side gained by the move;
    ``efficiency = gift / concession`` (how much the other side gained per unit given up — the
    currency of the reciprocity ledger).

    Parameters
    ----------
    offers : DataFrame
        Columns ``round, party, issue, option`` (the deal's ``offers`` table).
    options : DataFrame
        The long table for ``us`` and ``them``.
    us, them : str
        The two parties (offers by other parties are ignored).
    frontier : DataFrame, optional
        A precomputed :func:`powerkit.value.pareto_frontier` of ``options``.

    Returns
    -------
    DataFrame
        ``round, party, <issues…>, us, them, own, other, concession, gift, efficiency,
        dominated``, in round order.

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["x", "y"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> offers = pd.DataFrame({"round": [1, 1, 2, 2], "party": ["A"] * 4,
    ...                        "issue": ["a", "b", "a", "b"], "option": ["x", "x", "x", "y"]})
    >>> c = concessions_from_offers(offers, o, "A", "B")
    >>> c[["own", "concession", "gift"]].round(2).values.tolist()
    [[1.0, nan, nan], [0.7, 0.3, 0.8]]
    """
    func = "concessions_from_offers"
    space = option_space(options, func)
    return concessions_of(offers, space, us, them,
                          lambda: given_frontier(options, frontier, func), func)


def concessions_of(offers, space: OptionSpace, us: str, them: str, frontier,
                   func: str = "concessions_from_offers") -> pd.DataFrame:
    """:func:`concessions_from_offers` of a parsed options table; ``frontier``: the frontier
    table, or a function returning it (called only when an offer is found)."""
    if not isinstance(offers, pd.DataFrame) or not {"round", "party", "issue", "option"} <= set(offers.columns):
        raise bad_argument("offers", func, "a DataFrame with columns round, party, issue, option",
                           type(offers).__name__)
    of = offers[offers["party"].isin([us, them])]
    cols = ["round", "party", *space.issues, "us", "them", "own", "other", "concession", "gift",
            "efficiency", "dominated"]
    if len(of) == 0:
        return pd.DataFrame(columns=cols)
    frontier = frontier() if callable(frontier) else frontier
    fu, ft = frontier["us"].to_numpy(), frontier["them"].to_numpy()
    last: dict = {}
    prev_u: dict = {}
    rows = []
    for (rnd, party), g in of.groupby(["round", "party"], sort=True):
        pkg = dict(last.get(party, {}))
        pkg.update({r.issue: r.option for r in g.itertuples(index=False) if r.issue in space.issues})
        last[party] = pkg
        rnd = int(rnd) if float(rnd).is_integer() else rnd
        row = {"round": rnd, "party": party, **{i: pkg.get(i) for i in space.issues}}
        if all(i in pkg for i in space.issues):
            # evaluate_package's us, them and dominated, without its table of improvements
            _, u, t = package_point(space, pkg, "evaluate_package")
            dom = dominated_by(fu, ft, u, t)
        else:
            u = t = math.nan
            dom = None
        own, other = (u, t) if party == us else (t, u)
        row.update({"us": u, "them": t, "own": own, "other": other, "dominated": dom})
        if party in prev_u:
            p_own, p_other = prev_u[party]
            row["concession"] = p_own - own
            row["gift"] = other - p_other
            row["efficiency"] = (row["gift"] / row["concession"]) if row["concession"] > 0 else math.nan
        else:
            row.update({"concession": math.nan, "gift": math.nan, "efficiency": math.nan})
        prev_u[party] = (own, other)
        rows.append(row)
    return pd.DataFrame(rows, columns=cols).reset_index(drop=True)


def concessions(deal, us: str | None = None, them: str | None = None) -> pd.DataFrame:
    """:func:`concessions_from_offers` on a deal's ``offers`` and ``issues`` tables.

    Raises
    ------
    MissingTableError
        When the deal has no ``offers`` or no ``issues`` table.
    """
    offers = deal.table("offers", analysis="concession planning")
    us = deal.us if us is None else us
    them = deal.counterpart if them is None else them
    return concessions_from_offers(offers, options_from_deal(deal, us, them), us, them)


def latest_offer(deal, options: pd.DataFrame | None = None) -> dict | None:
    """The package on the table: the most recent complete offer in the deal's offers history.

    The last round's last offer, with issues it leaves out carried over from the same party's
    previous offers; ``None`` when the deal has no offers or no complete package.
    """
    if not deal.has("offers") or not deal.has("issues"):
        return None
    opts = options_from_deal(deal) if options is None else options
    return latest_package(concessions_from_offers(deal.offers, opts, deal.us, deal.counterpart),
                          list(pd.unique(opts["issue"])))


def latest_package(history: pd.DataFrame, issues) -> dict | None:
    """The last complete package of an offers history (:func:`concessions_from_offers`), or
    ``None`` when no offer names an option for every one of ``issues``.

    >>> h = pd.DataFrame({"round": [1, 2], "a": ["x", "y"], "b": ["z", None]})
    >>> latest_package(h, ["a", "b"])
    {'a': 'x', 'b': 'z'}
    """
    c = history.dropna(subset=list(issues))
    if len(c) == 0:
        return None
    row = c.iloc[-1]
    return {i: row[i] for i in issues}
