"""Gould–Fernandez brokerage roles on a directed graph with a group attribute.

networkx has no brokerage roles; this module follows Gould & Fernandez (1989). A node ``b`` is a
broker on the two-path ``a → b → c`` (edges read as *flow*: ``a`` passes something to ``b``,
who passes it on to ``c``) when ``a ≠ c`` and there is **no** direct edge ``a → c`` — the
brokerage is only needed when ``a`` cannot reach ``c`` directly. This is the definition of the
original paper and of statnet's ``sna::brokerage()`` ("v is a broker for distinct a and b iff
a → v → b and a ↛ b"). The reverse edge ``c → a`` does not matter.

With ``g(x)`` the group of ``x``, the five roles of the two-path ``a → b → c`` are:

==================  ====================  ==========================================
role                Gould–Fernandez       groups
==================  ====================  ==========================================
coordinator         w_I                   g(a) = g(b) = g(c)
itinerant           w_O (consultant)      g(a) = g(c) ≠ g(b)
gatekeeper          b_OI                  g(a) ≠ g(b) = g(c)   (lets outside flow in)
representative      b_IO                  g(a) = g(b) ≠ g(c)   (carries own group's flow out)
liaison             b_O                   g(a), g(b), g(c) all different
==================  ====================  ==========================================

Every open two-path through ``b`` has exactly one role, so the five counts add up to the
number of open two-paths through ``b``.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["ROLES", "brokerage_roles", "role_of"]

ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


def role_of(ga, gb, gc) -> str:
    """The Gould–Fernandez role of broker ``b`` on ``a → b → c`` from the three groups.

    Examples
    --------
    >>> role_of("x", "y", "y")
    'gatekeeper'
    """
    if ga == gb:
        return "coordinator" if gb == gc else "representative"
    if gb == gc:
        return "gatekeeper"
    return "itinerant" if ga == gc else "liaison"


def brokerage_roles(G, group) -> pd.DataFrame:
    """Count the Gould–Fernandez brokerage roles of every node.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
        Edges read as flow ``u → v``. An undirected graph is read as flow both ways (each
        open path ``a – b – c`` then counts once in each direction). Self-loops are ignored.
    group : str or mapping
        Node attribute holding the group, or a mapping node → group. Nodes without a group
        form one group labelled ``None``.

    Returns
    -------
    pandas.DataFrame
        Index = nodes (in ``G``'s order); columns ``coordinator``, ``itinerant``,
        ``gatekeeper``, ``representative``, ``liaison`` (counts of open two-paths) and
        ``total``.

    Raises
    ------
    TypeError
        If ``group`` is neither a string nor a mapping.

    Examples
    --------
    ``a`` (group 1) → ``b`` (group 2) → ``c`` (group 2): ``b`` lets outside flow into its group.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> brokerage_roles(G, {"a": 1, "b": 2, "c": 2}).loc["b", "gatekeeper"]
    np.int64(1)

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal approach to
    brokerage in transaction networks. *Sociological Methodology* 19, 89–126.
    Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical Software*
    24(6) — ``brokerage()``.
    """
    if isinstance(group, str):
        g = {v: G.nodes[v].get(group) for v in G}
    elif isinstance(group, Mapping):
        g = {v: group.get(v) for v in G}
    else:
        raise TypeError(f"The 'group' parameter of brokerage_roles must be a node attribute "
                        f"name or a mapping node → group. Got {type(group).__name__} instead.")
    D = G if G.is_directed() else G.to_directed()
    succ = {v: {w for w in D.successors(v) if w != v} for v in D}
    pred = {v: {w for w in D.predecessors(v) if w != v} for v in D}
    counts = {v: dict.fromkeys(ROLES, 0) for v in D}
    for b in D:
        gb = g[b]
        cb = counts[b]
        outs = succ[b]
        for a in pred[b]:
            ga = g[a]
            sa = succ[a]
            for c in outs:
                if c == a or c in sa:
                    continue
                cb[role_of(ga, gb, g[c])] += 1
    df = pd.DataFrame.from_dict(counts, orient="index", columns=list(ROLES)).astype("int64")
    df = df.reindex(list(G.nodes))
    df["total"] = df[list(ROLES)].sum(axis=1)
    return df
