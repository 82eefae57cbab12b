"""Where to trade: each side's stake in each issue, and logrolling pairs of issues.

(docs/methods/value.md §5.)
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .utilities import OptionSpace, option_space

__all__ = ["issue_priorities", "logrolling"]


def issue_priorities(options: pd.DataFrame) -> pd.DataFrame:
    """What each side has at stake on each issue, and whether the sides agree on it.

    ``us_stake`` / ``them_stake``: the spread of the side's contributions over the options
    (``max − min``), i.e. the utility the side wins or loses on this issue; ``us_share`` /
    ``them_share``: the stake as a share of the side's total stake; ``shared_best``: some option
    is best for both sides (a *compatible* issue: agree on it at once); ``kind``:
    ``compatible``, or ``trade`` (the sides want different options).

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["x", "y"] * 2,
    ...                   "us": [0.6, 0.0, 0.4, 0.0], "them": [0.0, 0.3, 0.7, 0.0]})
    >>> issue_priorities(o)[["issue", "us_stake", "them_stake", "kind"]]
      issue  us_stake  them_stake        kind
    0     a       0.6         0.3       trade
    1     b       0.4         0.7  compatible
    """
    return priorities_of(option_space(options, "issue_priorities"))


def priorities_of(space: OptionSpace) -> pd.DataFrame:
    """:func:`issue_priorities` of a parsed options table."""
    rows = []
    for i, issue in enumerate(space.issues):
        u, t = space.us[i], space.them[i]
        shared = bool(np.any((u == u.max()) & (t == t.max())))
        rows.append({"issue": issue, "us_stake": float(u.max() - u.min()),
                     "them_stake": float(t.max() - t.min()), "shared_best": shared,
                     "us_best": space.options[i][int(np.argmax(u))],
                     "them_best": space.options[i][int(np.argmax(t))]})
    df = pd.DataFrame(rows)
    for side in ("us", "them"):
        tot = df[f"{side}_stake"].sum()
        df[f"{side}_share"] = df[f"{side}_stake"] / tot if tot > 0 else 0.0
    df["kind"] = np.where(df["shared_best"], "compatible", "trade")
    return df[["issue", "us_stake", "them_stake", "us_share", "them_share", "us_best",
               "them_best", "shared_best", "kind"]]


def logrolling(options: pd.DataFrame) -> pd.DataFrame:
    """Pairs of issues to trade: we get our way on one, they get theirs on the other.

    With stakes ``a`` (ours) and ``b`` (theirs) per issue (see :func:`issue_priorities`), a
    trade "we take ground on i, they take ground on j" can leave *both* sides better off exactly
    when the issues' relative priorities differ: ``ratio = (a_i / b_i) / (a_j / b_j) > 1``
    (we care relatively more about i, they about j). Measured from the mirror position (they
    hold i, we hold j), we take a share ``we_take`` of i's range and give a share ``we_give`` of
    j's range; the balanced trade, which gives both sides the same gain, has one share equal
    to 1, the other ``(a_i + b_i)/(a_j + b_j)`` or its inverse, and gains each side

        gain_each = (a_i·b_j − a_j·b_i) / max(a_i + b_i, a_j + b_j) > 0.

    Only ``trade`` issues are paired (``compatible`` ones need no trade).

    Returns
    -------
    DataFrame
        Columns ``we_get, they_get, ratio, we_take, we_give, gain_each``, largest gain first
        (empty when the sides' relative priorities never differ).

    Examples
    --------
    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["x", "y"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> lr = logrolling(o)
    >>> lr[["we_get", "they_get"]].values.tolist(), round(float(lr["gain_each"].iloc[0]), 4)
    ([['a', 'b']], 0.4545)

    References
    ----------
    Froman, L. A. & Cohen, M. D. (1970). Compromise and logroll: comparing the efficiency of
    two bargaining processes. *Behavioral Science* 15(2), 180–183.
    Raiffa, H. (1982). *The Art and Science of Negotiation*. Harvard University Press (ch. 11,
    trading on differences in priorities).
    """
    return logrolls_of(issue_priorities(options))


def logrolls_of(pr: pd.DataFrame) -> pd.DataFrame:
    """:func:`logrolling` from the :func:`issue_priorities` table ``pr``."""
    tr = pr[(pr["kind"] == "trade") & ((pr["us_stake"] > 0) | (pr["them_stake"] > 0))]
    rows = []
    for _, i in tr.iterrows():
        for _, j in tr.iterrows():
            if i["issue"] == j["issue"]:
                continue
            ai, bi, aj, bj = i["us_stake"], i["them_stake"], j["us_stake"], j["them_stake"]
            cross = ai * bj - aj * bi
            if cross <= 1e-12 * max(ai + bi, aj + bj) ** 2:
                continue
            si, sj = ai + bi, aj + bj
            take, give = (1.0, si / sj) if si <= sj else (sj / si, 1.0)
            den = aj * bi
            rows.append({"we_get": i["issue"], "they_get": j["issue"],
                         "ratio": (ai * bj) / den if den > 0 else math.inf,
                         "we_take": take, "we_give": give, "gain_each": cross / max(si, sj)})
    cols = ["we_get", "they_get", "ratio", "we_take", "we_give", "gain_each"]
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values("gain_each", ascending=False, kind="stable").reset_index(drop=True)
