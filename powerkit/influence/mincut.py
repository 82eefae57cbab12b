"""Factions: how a group splits between two leaders (Zachary's minimum cut), with the members
that different minimum cuts place on different sides (Picard–Queyranne). Formulas and
references: docs/methods/influence.md.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from .dynamics import who_decides
from .fast import listening_matrix, mincut_sides, resolve_backend
from .graphs import informal_graph

__all__ = ["split_factions", "faction_table", "factions", "faction_summary",
           "sparse_faction_table"]


def _flow_residual(G, a, b, weight):
    import networkx as nx
    from networkx.algorithms.flow import edmonds_karp

    H = nx.DiGraph()
    H.add_nodes_from(G)
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        w = 1.0 if weight is None else float(data.get(weight, 1.0))
        for x, y in ((u, v), (v, u)):
            if H.has_edge(x, y):
                H[x][y]["capacity"] += w
            else:
                H.add_edge(x, y, capacity=w)
    R = edmonds_karp(H, a, b, capacity="capacity")
    return R


def _check_leaders(G, a, b, func):
    if a not in G or b not in G or a == b:
        raise InputError(f"The 'a' and 'b' parameters of {func} must be two different nodes of "
                         f"G. Got {a!r} and {b!r} instead.")


def split_factions(G, a, b, weight="weight") -> dict:
    """How a group splits between two leaders: Zachary's minimum-cut method.

    Ties are read as undirected; edge weights (summed over both directions) are the
    capacities. The maximum flow from ``a`` to ``b`` saturates a minimum cut; members on
    ``a``'s side of it (those still reachable from ``a`` in the residual network — the
    smallest minimum-cut side) go with ``a``, all others with ``b``.

    Parameters
    ----------
    G : networkx.Graph or DiGraph
    a, b : nodes
        The two leaders.
    weight : str or None, default "weight"
        Edge attribute used as capacity (None: 1 per edge; missing: 1).

    Returns
    -------
    dict
        node → ``a`` or ``b``.

    Raises
    ------
    ValueError
        If ``a`` or ``b`` is not in G, or they are the same node.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.karate_club_graph()
    >>> side = split_factions(G, 0, 33)
    >>> [v for v in G if (side[v] == 0) != (G.nodes[v]["club"] == "Mr. Hi")]
    [8]

    References
    ----------
    Zachary, W. W. (1977). An information flow model for conflict and fission in small
    groups. *Journal of Anthropological Research* 33(4), 452–473.
    Ford, L. R. & Fulkerson, D. R. (1956). Maximal flow through a network. *Canadian Journal
    of Mathematics* 8, 399–404.
    """
    _check_leaders(G, a, b, "split_factions")
    t = faction_table(G, a, b, weight)
    return {v: (a if t.loc[v, "side"] == "a" else b) for v in G}


def faction_table(G, a, b, weight="weight") -> pd.DataFrame:
    """Each member's side, and whether several minimum cuts disagree about them.

    All minimum cuts lie between the smallest ``a``-side (nodes reachable from ``a`` in the
    residual network) and the largest ``a``-side (nodes that cannot reach ``b`` in it)
    (Picard & Queyranne 1980). Members between the two are **uncertain**: some minimum cut
    puts them with ``a``, another with ``b``. Members with no path to either leader are
    uncertain too.

    Returns
    -------
    pandas.DataFrame
        Index = nodes; ``side`` (``"a"``/``"b"``, by the smallest a-side), ``uncertain`` (bool),
        ``cut_value`` (in ``attrs``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "x", {"weight": 1}), ("x", "b", {"weight": 1})])
    >>> faction_table(G, "a", "b")["uncertain"].to_dict()  # cut a–x or x–b: x could go either way
    {'a': False, 'x': True, 'b': False}

    References
    ----------
    Picard, J.-C. & Queyranne, M. (1980). On the structure of all minimum cuts in a network
    and applications. *Mathematical Programming Study* 13, 8–16.
    """
    import networkx as nx

    _check_leaders(G, a, b, "faction_table")
    R = _flow_residual(G, a, b, weight)
    eps = 1e-9
    res = nx.DiGraph()
    res.add_nodes_from(R)
    res.add_edges_from((u, v) for u, v, data in R.edges(data=True)
                       if data["capacity"] - data["flow"] > eps)
    smallest = nx.descendants(res, a) | {a}
    reach_b = nx.ancestors(res, b) | {b}
    largest = set(R) - reach_b
    out = pd.DataFrame({"side": ["a" if v in smallest else "b" for v in G],
                        "uncertain": [(v in largest) and (v not in smallest) for v in G]},
                       index=list(G))
    out.attrs["cut_value"] = float(R.graph["flow_value"])
    return out


def factions(deal, kinds=None, a=None, b=None, weight="weight", backend="auto") -> pd.DataFrame:
    """How the people of a deal split between two leaders (:func:`faction_table` on the
    informal network read as undirected, tie weights as capacities).

    Default leaders: the person carrying the largest share of the decision
    (:func:`who_decides`) among those leaning our way (stance ≥ 0) and among those leaning
    against (stance < 0); when nobody leans against, the two largest shares.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``stance``, ``side`` (the leader's name), ``uncertain``; ``attrs`` has
        ``a``, ``b`` (leader ids) and ``cut_value``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> f = factions(load_reference("krackhardt"), kinds="advice")
    >>> sorted(f["side"].unique()) == sorted({f.attrs["a_name"], f.attrs["b_name"]})
    True
    """
    import networkx as nx

    who = who_decides(deal, kinds, weight)
    if a is None or b is None:
        pro = who[who["stance"] >= 0]
        con = who[who["stance"] < 0]
        if len(pro) and len(con):
            a, b = pro.index[0], con.index[0]
        else:
            a, b = who.index[0], who.index[1]
    if resolve_backend(backend, len(deal.stakeholders), "factions") == "fast":
        t = sparse_faction_table(deal, kinds, weight, a, b)
    else:
        G = nx.Graph(informal_graph(deal, kinds, weight).to_undirected(reciprocal=False))
        t = faction_table(G, a, b, weight="weight")
    names = deal.stakeholders["name"].astype(str)
    names.index = names.index.astype(str)
    out = pd.DataFrame({"name": names.reindex(t.index),
                        "stance": who["stance"].reindex(t.index),
                        "side": np.where(t["side"] == "a", names[a], names[b]),
                        "uncertain": t["uncertain"]}, index=t.index)
    out.attrs.update(a=a, b=b, a_name=names[a], b_name=names[b],
                     cut_value=t.attrs["cut_value"])
    return out




def sparse_faction_table(deal, kinds, weight, a, b) -> pd.DataFrame:
    """:func:`faction_table` of the deal's informal network read as undirected (networkx's
    ``to_undirected`` capacities), from sparse matrices and
    :func:`powerkit.influence.fast.mincut_sides`.

    >>> import networkx as nx
    >>> from powerkit.deal.reference import load_reference
    >>> deal = load_reference("krackhardt")
    >>> G = nx.Graph(informal_graph(deal, "advice").to_undirected(reciprocal=False))
    >>> sparse_faction_table(deal, "advice", "weight", "7", "2").equals(faction_table(G, "7", "2"))
    True
    """
    import scipy.sparse as sp

    A, ids = listening_matrix(deal, kinds, weight)
    _check_leaders(set(ids), a, b, "factions")
    # networkx's to_undirected: for a reciprocated pair the later node's tie overwrites
    U = sp.triu(A.T, k=1).tocsr()  # (i, j), i < j: the tie j → i (j later)
    L = sp.triu(A, k=1).tocsr()    # (i, j), i < j: the tie i → j
    has_later = U.copy()
    has_later.data[:] = 1.0
    keep_early = L - L.multiply(has_later)
    upper = (U + keep_early).tocsr()
    C = (upper + upper.T).tocsr()
    ia, ib = ids.get_loc(a), ids.get_loc(b)
    smallest, largest, value = mincut_sides(C, ia, ib)
    out = pd.DataFrame({"side": np.where(smallest, "a", "b"),
                        "uncertain": largest & ~smallest}, index=list(ids))
    out.attrs["cut_value"] = value
    return out


def faction_summary(split: pd.DataFrame) -> pd.DataFrame:
    """Per side of a :func:`factions` split: ``members`` (count), ``uncertain`` (how many some
    minimum cut would put on the other side) and ``mean_stance``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> s = faction_summary(factions(load_reference("krackhardt"), kinds="advice"))
    >>> int(s["members"].sum())
    21
    """
    return split.groupby("side").agg(members=("name", "count"), uncertain=("uncertain", "sum"),
                                     mean_stance=("stance", "mean"))
