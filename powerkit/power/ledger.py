"""Offers and concessions: the utility of every offer to each side (Inspire/GENIUS additive
model), who conceded how much in its own ratings, and the reciprocity balance that follows
(Raiffa's negotiation dance; Cialdini on reciprocity). docs/methods/power.md §offers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["issue_utilities", "offer_utilities", "concession_ledger", "ledger_from_utilities",
           "reciprocity"]


def issue_utilities(issues: pd.DataFrame) -> pd.DataFrame:
    """Each party's additive utility contribution of every option (Inspire/GENIUS model).

    ``u = w_i / Σ_j w_j · rating_i(option) / max_o rating_i(o)``, weights normalised per party,
    ratings per issue by their maximum (an issue rated 0 everywhere contributes 0).

    Parameters
    ----------
    issues : DataFrame
        The deal's ``issues`` table (issue, option, party, rating, weight).

    Returns
    -------
    DataFrame
        Columns ``party, issue, option, utility``.

    Examples
    --------
    >>> t = pd.DataFrame({"issue": ["p", "p", "q", "q"], "option": ["a", "b", "x", "y"],
    ...                   "party": "us", "rating": [0, 10, 5, 20], "weight": [3, 3, 1, 1]})
    >>> issue_utilities(t)["utility"].tolist()   # 3/4·(0, 1); 1/4·(0.25, 1)
    [0.0, 0.75, 0.0625, 0.25]

    References
    ----------
    Kersten, G. E., & Noronha, S. J. (1999). WWW-based negotiation support: design,
    implementation, and use. *Decision Support Systems* 25(2), 135–154.
    """
    party = issues["party"].to_numpy(dtype=object)
    issue = issues["issue"].to_numpy(dtype=object)
    rating = issues["rating"].to_numpy(dtype=float)
    weight = issues["weight"].to_numpy(dtype=float)
    iw: dict = {}
    mx: dict = {}
    for p, i, r, w in zip(party, issue, rating, weight, strict=True):
        iw.setdefault((p, i), w)
        mx[(p, i)] = max(mx.get((p, i), 0.0), r)
    tot: dict = {}
    for (p, _), w in iw.items():
        tot[p] = tot.get(p, 0.0) + w
    util = [(iw[(p, i)] / tot[p] if tot[p] > 0 else 0.0)
            * (r / mx[(p, i)] if mx[(p, i)] > 0 else 0.0)
            for p, i, r in zip(party, issue, rating, strict=True)]
    return pd.DataFrame({"party": party, "issue": issue,
                         "option": issues["option"].to_numpy(dtype=object), "utility": util})


def offer_utilities(deal, at=None) -> pd.DataFrame:
    """Every offer in the history, valued by each side in its own ratings.

    One row per (round, offering party), with ``u_<party>`` for us and the counterpart: the
    utility of the offer as a package (sum over issues of the option's contribution, see
    :func:`issue_utilities`). An issue an offer leaves out keeps the option the same party
    offered last; an issue never offered counts 0 (flagged in ``incomplete``).

    Parameters
    ----------
    deal : powerkit.Deal
        Needs ``offers`` and ``issues``.
    at : date, optional
        Only offers dated on or before ``at`` (undated offers always count).

    Returns
    -------
    DataFrame
        ``round, date, party, u_<us>, u_<counterpart>, incomplete`` sorted by round.
    """
    offers = deal.table("offers", "the concession ledger")
    issues = deal.table("issues", "the concession ledger")
    if at is not None:
        offers = offers[offers["date"].isna() | (offers["date"] <= pd.Timestamp(at))]
    us, them = deal.us, deal.counterpart
    util = issue_utilities(issues)
    all_issues = set(issues["issue"])
    key = {p: {} for p in (us, them)}
    for p, i, o, u in zip(util["party"], util["issue"], util["option"], util["utility"],
                          strict=True):
        if p in key:
            key[p][(i, o)] = u
    o = offers.sort_values("round", kind="stable")
    rows = []
    last: dict[str, dict] = {}
    cur = None
    for rnd, date_, party, iss, opt in zip(o["round"], o["date"], o["party"], o["issue"],
                                           o["option"], strict=True):
        if cur is None or (rnd, party) != (cur["round"], cur["party"]):
            cur = {"round": rnd, "party": party, "date": date_,
                   "chosen": dict(last.get(party, {}))}
            rows.append(cur)
        cur["chosen"][iss] = opt
        last[party] = cur["chosen"]
        if pd.notna(date_) and (pd.isna(cur["date"]) or date_ < cur["date"]):
            cur["date"] = date_
    out = []
    for r in rows:
        ch = r["chosen"]
        row = {"round": int(r["round"]), "date": r["date"], "party": r["party"]}
        for p in (us, them):
            row[f"u_{p}"] = float(sum(key[p].get((i, ch[i]), 0.0) for i in ch))
        row["incomplete"] = bool(all_issues - set(ch))
        out.append(row)
    cols = ["round", "date", "party", f"u_{us}", f"u_{them}", "incomplete"]
    return pd.DataFrame(out, columns=cols)


def concession_ledger(deal, at=None) -> pd.DataFrame:
    """Who conceded how much, offer by offer, each measured in the conceding side's own ratings.

    For each offer after a party's first: ``concession = u_self(previous own offer) −
    u_self(this offer)`` (positive: it gave ground, in its own utility) and ``gain_to_other =
    u_other(this offer) − u_other(previous own offer)`` (what that was worth to the other side).
    The opening offer of each party has no concession (NaN).

    Returns
    -------
    DataFrame
        ``round, date, party, own_utility, other_utility, concession, gain_to_other,
        cumulative_concession``.
    """
    return ledger_from_utilities(offer_utilities(deal, at=at), deal.us, deal.counterpart)


def ledger_from_utilities(ou: pd.DataFrame, us: str, them: str) -> pd.DataFrame:
    """The concession ledger of :func:`concession_ledger` from a table of
    :func:`offer_utilities` already computed (the profile reuses it for commitment).

    Parameters
    ----------
    ou : DataFrame
        From :func:`offer_utilities`: ``round, date, party, u_<us>, u_<them>``.
    us, them : str
        Party ids; offers of other parties are left out.
    """
    party = ou["party"].to_numpy(dtype=object)
    u = {p: ou[f"u_{p}"].to_numpy(dtype=float) for p in (us, them)}
    n = len(ou)
    own = np.where(party == us, u[us], u[them])
    oth = np.where(party == us, u[them], u[us])
    conc = np.full(n, np.nan)
    gain = np.full(n, np.nan)
    cum = np.zeros(n)
    for p in (us, them):
        ix = np.flatnonzero(party == p)
        if len(ix) > 1:
            conc[ix[1:]] = own[ix[:-1]] - own[ix[1:]]
            gain[ix[1:]] = oth[ix[1:]] - oth[ix[:-1]]
        cum[ix] = np.nan_to_num(conc[ix]).cumsum()
    keep = (party == us) | (party == them)
    return pd.DataFrame({"round": ou["round"].to_numpy(), "date": ou["date"].to_numpy(),
                         "party": party, "own_utility": own, "other_utility": oth,
                         "concession": conc, "gain_to_other": gain,
                         "cumulative_concession": cum})[keep].reset_index(drop=True)


def reciprocity(ledger: pd.DataFrame, us: str, them: str) -> dict:
    """Totals of the ledger and the reciprocity balance.

    ``balance_us = 0.5 + 0.5 · (c_us − c_them) / (c_us + c_them)`` with ``c`` the sum of
    positive concessions (a retreat is not a negative concession): above 0.5 we have given more
    ground and reciprocity is owed to us (Cialdini 2001); 0.5 when nobody has conceded.

    Examples
    --------
    >>> led = pd.DataFrame({"party": ["a", "b", "a"], "concession": [float("nan"), 0.1, 0.3]})
    >>> reciprocity(led, "a", "b")["balance_us"]
    0.75
    """
    party = ledger["party"].to_numpy(dtype=object)
    conc = np.clip(np.nan_to_num(ledger["concession"].to_numpy(dtype=float)), 0, None)
    c = {p: float(conc[party == p].sum()) for p in (us, them)}
    tot = c[us] + c[them]
    bal = 0.5 if tot <= 0 else 0.5 + 0.5 * (c[us] - c[them]) / tot
    return {"conceded_us": c[us], "conceded_them": c[them], "balance_us": bal}
