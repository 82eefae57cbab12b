"""Positions after influence: before the vote, the stakeholders who hold a position on an issue
listen to each other (walkthrough 2's influence matrix) and move by Friedkin–Johnsen; parties,
and people who listen to no one who holds a view, keep theirs. docs/methods/forecast.md §5.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..influence import SparseWeights, friedkin_johnsen, influence_matrix
from .table import check_table, positions_table

__all__ = ["issue_matrix", "network_positions"]


def issue_matrix(W: pd.DataFrame, holders) -> pd.DataFrame:
    """The influence matrix among the people who hold a position on one issue.

    Row i keeps the weights i gives to the other holders; the weight i gave to people without
    a position on the issue returns to i (they cannot pull i anywhere on it), so each row still
    sums to 1 and i's susceptibility on the issue is λᵢ × the share of i's listening that goes
    to holders.

    Parameters
    ----------
    W : pandas.DataFrame or SparseWeights
        Row-stochastic influence matrix (:func:`powerkit.influence.influence_matrix`; sparse
        for a large deal: only the holders' rows and columns are read).
    holders : list of str
        The stakeholders with a position on the issue (ids of W).

    Returns
    -------
    pandas.DataFrame
        Square, on ``holders``, rows summing to 1.

    Examples
    --------
    a listens to b (0.3) and c (0.2); c holds no position, so its 0.2 returns to a:

    >>> W = pd.DataFrame([[0.5, 0.3, 0.2], [0, 1, 0], [0, 0, 1]], index=list("abc"),
    ...                  columns=list("abc"))
    >>> issue_matrix(W, ["a", "b"]).to_numpy().tolist()
    [[0.7, 0.3], [0.0, 1.0]]
    """
    if isinstance(W, SparseWeights):  # a large deal: only the holders' rows and columns
        pos = W.index.get_indexer(pd.Index(holders))
        S = W.matrix[pos][:, pos].toarray()
    else:
        S = W.loc[holders, holders].to_numpy(dtype=float).copy()
    S[np.diag_indices_from(S)] += 1.0 - S.sum(axis=1)
    return pd.DataFrame(S, index=pd.Index(holders), columns=pd.Index(holders))


def network_positions(deal, table=None, kinds=None, weight="weight") -> pd.DataFrame:
    """The positions table after opinion dynamics among the stakeholders, issue by issue.

    On each issue, the stakeholders who hold a position there move by Friedkin–Johnsen on the
    deal's influence matrix restricted to them (:func:`issue_matrix`):
    x* = (I − ΛW)⁻¹(I − Λ)x₀ with x₀ their positions and Λ = I − diag(W), as walkthrough 2's
    :func:`powerkit.influence.opinion_forecast` does for stances. Actors that are parties (not
    stakeholders) keep their positions. Every new position is a weighted average of the
    holders' initial positions, so it stays within their range.

    Parameters
    ----------
    deal : powerkit.Deal
    table : pandas.DataFrame, optional
        A positions table; default :func:`~powerkit.forecast.table.positions_table` of the deal.
    kinds, weight
        Which ties to use and how strong they are (as :func:`powerkit.influence.influence_matrix`).

    Returns
    -------
    pandas.DataFrame
        The positions table with ``position`` replaced, plus ``initial`` (the position before
        influence) and ``moved`` (new − initial). ``attrs["ties"]`` says whether the deal has
        ties of those kinds (without them nobody moves).

    Raises
    ------
    MissingTableError
        If ``table`` is None and the deal has no ``positions`` table.
    NoConsensusError
        If a group of holders listens only to itself and is fully susceptible.

    Examples
    --------
    Krackhardt's managers 1 and 2 on one issue; 1 asks 2 for advice, 2 asks no one of them.

    >>> from powerkit.deal.reference import load_reference
    >>> d = load_reference("krackhardt")
    >>> t = pd.DataFrame({"actor": ["1", "2"], "issue": "x", "position": [0.0, 10.0],
    ...                   "salience": 1.0, "capability": 1.0})
    >>> out = network_positions(d, t, kinds="advice")
    >>> bool(out["position"].iloc[0] > 0), float(out["moved"].iloc[1])
    (True, 0.0)

    References
    ----------
    Friedkin, N. E. & Johnsen, E. C. (1999). Social influence networks and opinion change.
    *Advances in Group Processes* 16, 1–29.
    """
    t = positions_table(deal) if table is None else check_table(table, "network_positions")
    # sparse (memory ∝ ties): only the holders' part is read, never all people × all people
    W = influence_matrix(deal, kinds, weight, sparse=True)
    people = set(W.index)
    new = t["position"].to_numpy(dtype=float).copy()
    for _, rows in t.groupby("issue", sort=False).groups.items():
        rows = [r for r in rows if t.at[r, "actor"] in people]
        if len(rows) < 2:
            continue
        holders = [t.at[r, "actor"] for r in rows]
        fj = friedkin_johnsen(issue_matrix(W, holders), t.loc[rows, "position"].to_numpy())
        new[rows] = fj.final.to_numpy()
    out = t.assign(initial=t["position"], position=new)
    out["moved"] = out["position"] - out["initial"]
    M = W.matrix
    out.attrs["ties"] = bool(deal.has("ties") and (M - sp.identity(M.shape[0])).count_nonzero())
    return out
