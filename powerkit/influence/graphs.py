"""The graphs of a deal: the org chart (formal), the listening network (informal) and the flow
of advice and influence (its reverse).

An edge ``u → v`` of a listening graph means "u listens to v", so in-degree, PageRank and
eigenvector centrality of ``v`` measure how much ``v`` is listened to.
"""
from __future__ import annotations

from .matrices import tie_table

__all__ = ["formal_graph", "informal_graph", "flow_graph"]


_NODE_COLS = ("name", "party", "title", "department", "sign_off", "budget_authority", "stance",
              "vote_weight")


def _add_people(G, deal):
    st = deal.stakeholders
    cols = [c for c in _NODE_COLS if c in st.columns]
    recs = st[cols].to_dict("records")
    G.add_nodes_from(zip(st.index.astype(str), recs, strict=True))
    return G


def formal_graph(deal):
    """The org chart as a directed graph: ``subordinate → boss`` ("listens to", as ties).

    Parameters
    ----------
    deal : powerkit.Deal

    Returns
    -------
    networkx.DiGraph
        Every stakeholder is a node (with name, party, title, department, sign_off,
        budget_authority, stance, vote_weight); an edge ``u → v`` means ``u`` reports to ``v``
        (edge attribute ``kind="reports_to"``).

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> G = formal_graph(load_reference("krackhardt"))
    >>> G.number_of_edges(), G.out_degree("7")
    (20, 0)
    """
    import networkx as nx

    G = _add_people(nx.DiGraph(), deal)
    boss = deal.stakeholders["reports_to"]
    for sid, b in boss.items():
        if isinstance(b, str) and b:
            G.add_edge(str(sid), b, kind="reports_to", weight=1.0)
    return G


def informal_graph(deal, kinds=None, weight="weight"):
    """The informal (listening) network: ``source → target`` = source listens to target.

    Parameters
    ----------
    deal : powerkit.Deal
    kinds : str, list of str or None, default None
        Tie kinds to keep; None = all kinds.
    weight : str or None, default "weight"
        Column of ``ties`` with the tie strength (None: 1 per tie). Ties of several kinds
        between the same pair add up into one edge attribute ``weight``.

    Returns
    -------
    networkx.DiGraph
        Every stakeholder is a node, even without ties.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> G = informal_graph(load_reference("krackhardt"), kinds="advice")
    >>> G.number_of_nodes(), G.number_of_edges()
    (21, 190)
    """
    import networkx as nx

    G = _add_people(nx.DiGraph(), deal)
    t = tie_table(deal, kinds, weight, "informal_graph")
    G.add_weighted_edges_from(t[["source", "target", "w"]].itertuples(index=False, name=None))
    return G


def flow_graph(deal, kinds=None, weight="weight"):
    """The informal network read as *flow* of advice/influence: ``target → source``.

    The reverse of :func:`informal_graph`; used for brokerage roles (Gould & Fernandez read
    ``a → b`` as "a passes something to b").

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> flow_graph(load_reference("krackhardt"), "advice").has_edge("2", "1")  # 1 asks 2
    True
    """
    return informal_graph(deal, kinds, weight).reverse(copy=True)
