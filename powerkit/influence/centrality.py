"""Who is listened to: centralities of the listening graph (degree, PageRank, eigenvector,
betweenness and closeness by batched Brandes, Burt's structural holes, Gould–Fernandez brokerage
roles), formal power from the org chart and decision rights, and the two set side by side with
flags (hidden influencers, formal-only). Formulas and references: docs/methods/influence.md.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, bad_argument
from .brokerage import ROLES, brokerage_roles
from .dynamics import who_decides
from .fast import (
    brokerage_sparse,
    fast_centrality_table,
    listening_matrix,
    path_measures_matrix,
    resolve_backend,
    structural_holes_matrix,
)
from .graphs import formal_graph, informal_graph
from .matrices import tie_kinds

__all__ = ["MEASURES", "EXACT_BETWEENNESS_MAX", "path_measures", "structural_holes",
           "centrality_table", "measures", "formal_scores", "formal_vs_informal"]


MEASURES = ("in_degree", "in_strength", "pagerank", "eigenvector", "betweenness", "closeness",
            "decision_influence")
EXACT_BETWEENNESS_MAX = 1000


def path_measures(G, k=None, seed=None, batch=256) -> pd.DataFrame:
    """Betweenness and closeness of a directed graph, computed for many sources at once.

    Brandes' (2001) algorithm in its algebraic form (breadth-first search and dependency
    accumulation as sparse-matrix × dense-matrix products over a block of sources; Kepner &
    Gilbert 2011, ch. 6). Unweighted shortest paths. Gives exactly networkx's
    ``betweenness_centrality(G, k, normalized=True, seed=seed)`` — the same sample of sources
    when ``k`` is given — and ``closeness_centrality(G)`` (Wasserman–Faust, incoming
    distances) when ``k`` is None; with ``k`` the closeness is estimated from the sampled
    sources.

    Parameters
    ----------
    G : networkx.DiGraph
    k : int or None
        Number of sampled sources (None = all: exact).
    seed : int or None
        Seed of the sample (``random.Random(seed).sample(list(G), k)``, as networkx).
    batch : int
        Sources per block (memory ≈ 5 · n · batch floats).

    Returns
    -------
    pandas.DataFrame
        Index = nodes; ``betweenness`` (normalised), ``closeness``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([(0, 1), (1, 2), (2, 3)])
    >>> path_measures(G)["betweenness"].round(4).tolist()  # 1 and 2 are on 2 of 6 pairs' paths
    [0.0, 0.3333, 0.3333, 0.0]

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. *J. Math. Sociology*
    25(2), 163–177. Kepner, J. & Gilbert, J. (eds.) (2011). *Graph Algorithms in the Language
    of Linear Algebra*. SIAM. Brandes, U. & Pich, C. (2007). Centrality estimation in large
    networks. *Int. J. Bifurcation and Chaos* 17(7), 2303–2318.
    """
    import random

    nodes = list(G)
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    A = _adjacency(G, nodes, None)
    pos = {v: i for i, v in enumerate(nodes)}
    sources = None if k is None else [pos[v] for v in random.Random(seed).sample(nodes, k)]
    return path_measures_matrix(A, nodes, sources, batch)


def _adjacency(G, nodes, weight):
    """Sparse adjacency of G over ``nodes`` without self-loops (weights, or 1 per edge)."""
    import scipy.sparse as sp

    idx = {v: i for i, v in enumerate(nodes)}
    r, c, w = [], [], []
    for u, v, data in G.edges(data=True):
        if u != v:
            r.append(idx[u])
            c.append(idx[v])
            w.append(1.0 if weight is None else float(data.get(weight, 1.0)))
    n = len(nodes)
    return sp.csr_matrix((np.asarray(w, dtype=float), (r, c)), shape=(n, n))


def structural_holes(G, weight="weight") -> pd.DataFrame:
    """Burt's constraint and effective size of every node, from one sparse adjacency matrix.

    With mutual weights ``m_ij = a_ij + a_ji`` (ties in both directions), ``p_ij = m_ij /
    Σ_k m_ik`` and ``q_ij = m_ij / max_k m_ik``:

    * constraint ``c_i = Σ_{j ∈ N(i)} (p_ij + Σ_q p_iq p_qj)²``;
    * effective size ``e_i = Σ_{j ∈ N(i)} (1 − Σ_q p_iq q_jq)``.

    The same formulas (and NaN for isolated nodes) as ``networkx.constraint`` and
    ``networkx.effective_size``, computed in a few sparse products.

    Examples
    --------
    >>> import networkx as nx
    >>> structural_holes(nx.DiGraph([("a", "c"), ("b", "c")])).loc["c"].round(3).tolist()
    [0.5, 2.0]

    References
    ----------
    Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*, pp. 51–55.
    Harvard University Press.
    """
    nodes = list(G)
    return structural_holes_matrix(_adjacency(G, nodes, weight), nodes)


def centrality_table(G, weight="weight", betweenness_k=None, seed=0) -> pd.DataFrame:
    """Per-node measures of a listening graph (edge ``u → v``: u listens to v).

    Columns: ``in_degree`` (how many listen to the node), ``out_degree`` (how many it listens
    to), ``in_strength`` (summed weight of those ties), ``pagerank`` (weighted, α = 0.85),
    ``eigenvector`` (weighted, in-edges; NaN when the graph is not strongly connected enough
    for it to exist), ``betweenness`` (normalised, directed, unweighted: share of shortest
    listening chains through the node), ``closeness`` (Wasserman–Faust, incoming distances =
    how fast the node's view reaches the others), ``constraint`` and ``effective_size`` (Burt,
    1992; ties in both directions, weighted).

    Parameters
    ----------
    G : networkx.DiGraph
    weight : str or None, default "weight"
        Edge attribute with tie strength (used by strength, PageRank, eigenvector, Burt).
    betweenness_k : int, "auto" or None, default None
        None: exact betweenness and closeness. An int k: both estimated from k sampled sources
        (the sample networkx's ``k=`` draws with ``seed``). "auto": exact up to 1,000 nodes,
        else k = 256. Computed by :func:`path_measures`.
    seed : int, default 0
        Seed of the sampling.

    Returns
    -------
    pandas.DataFrame
        Index = nodes. ``df.attrs["betweenness_k"]`` records the sample size used (None = exact).

    Examples
    --------
    >>> import networkx as nx
    >>> t = centrality_table(nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d")]))
    >>> t.loc["c", ["in_degree", "out_degree"]].tolist()
    [2.0, 1.0]

    References
    ----------
    Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
    *Social Networks* 1, 215–239. Brandes, U. (2001). A faster algorithm for betweenness
    centrality. *J. Math. Sociology* 25(2), 163–177. Burt, R. S. (1992). *Structural Holes*.
    Harvard UP. Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual web
    search engine. *Computer Networks* 30, 107–117.
    """
    import networkx as nx

    n = G.number_of_nodes()
    if betweenness_k == "auto":
        betweenness_k = None if n <= EXACT_BETWEENNESS_MAX else 256
    if betweenness_k is not None and not (isinstance(betweenness_k, int) and betweenness_k > 0):
        raise bad_argument("betweenness_k", "centrality_table", "None, 'auto' or a positive int",
                           betweenness_k)
    if betweenness_k is not None and betweenness_k >= n:
        betweenness_k = None
    nodes = list(G)
    df = pd.DataFrame(index=pd.Index(nodes, name="stakeholder"))
    df["in_degree"] = pd.Series(dict(G.in_degree()), dtype=float)
    df["out_degree"] = pd.Series(dict(G.out_degree()), dtype=float)
    df["in_strength"] = pd.Series(dict(G.in_degree(weight=weight)), dtype=float)
    if n == 0:
        return df
    df["pagerank"] = pd.Series(nx.pagerank(G, weight=weight))
    try:
        ev = nx.eigenvector_centrality_numpy(G, weight=weight)
        df["eigenvector"] = pd.Series(ev).abs()
    except Exception:  # noqa: BLE001 - undefined on many directed graphs: report NaN
        df["eigenvector"] = np.nan
    pm = path_measures(G, k=betweenness_k, seed=seed)
    df["betweenness"] = pm["betweenness"]
    df["closeness"] = pm["closeness"]
    burt = structural_holes(G, weight=weight)
    df["constraint"] = burt["constraint"]
    df["effective_size"] = burt["effective_size"]
    df.attrs["betweenness_k"] = betweenness_k
    return df


def _groups(deal, group):
    st = deal.stakeholders
    if group is None:
        return None
    if group not in st.columns:
        raise InputError(f"The 'group' parameter must be None or a column of stakeholders "
                         f"(e.g. department, party, title). Got {group!r} instead.")
    g = st[group].astype(object)
    return {str(k): (None if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v))
            for k, v in g.items()}


def measures(deal, kinds=None, weight="weight", group="department", betweenness_k="auto",
             seed=0, backend="auto") -> pd.DataFrame:
    """Every network measure per stakeholder: centralities, Burt, brokerage roles.

    Parameters
    ----------
    deal : powerkit.Deal
    kinds : str, list or None, default None
        Tie kinds (None = all).
    weight : str or None, default "weight"
    group : str or None, default "department"
        Stakeholder column used as the group for Gould–Fernandez roles (None: no roles). Blank
        groups form one group.
    betweenness_k, seed
        See :func:`centrality_table`.
    backend : {"auto", "networkx", "fast"}, default "auto"
        ``"networkx"``: the reference (a networkx graph, :func:`centrality_table`,
        :func:`brokerage_roles`); ``"fast"``: the same values from one sparse matrix
        (:mod:`powerkit.influence.fast`: scipy, and igraph for betweenness and closeness when
        installed); ``"auto"``: fast from :data:`~powerkit.influence.fast.FAST_MIN_PEOPLE`
        people on.

    Returns
    -------
    pandas.DataFrame
        Index = stakeholder ids; ``name``, ``party``, ``title``, the columns of
        :func:`centrality_table` and, with a group, the five brokerage roles (on the flow graph:
        advice and influence flow from the listened-to to the listener) and
        ``brokerage_total``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> m = measures(load_reference("krackhardt"), kinds="advice")
    >>> m["in_degree"].idxmax()  # the most sought-after adviser
    '2'
    """
    st = deal.stakeholders
    out = pd.DataFrame({"name": st["name"], "party": st["party"], "title": st["title"]})
    out.index = pd.Index(st.index.astype(str), name="stakeholder")
    g = _groups(deal, group)
    if resolve_backend(backend, len(st), "measures") == "fast":
        A, ids = listening_matrix(deal, kinds, weight)
        n = len(ids)
        k = betweenness_k
        if k == "auto":
            k = None if n <= EXACT_BETWEENNESS_MAX else 256
        if k is not None and not (isinstance(k, int) and k > 0):
            raise bad_argument("betweenness_k", "measures", "None, 'auto' or a positive int", k)
        ct = fast_centrality_table(A, ids, betweenness_k=None if k is not None and k >= n else k,
                                   seed=seed)
        ct.index.name = "stakeholder"
        out = out.join(ct)
        if g is not None:
            codes = pd.Series([g[i] for i in ids], dtype=object).fillna("\x00none")
            br = brokerage_sparse(A.T, pd.factorize(codes)[0])
            br.index = ids
            out = out.join(br[list(ROLES)]).join(br["total"].rename("brokerage_total"))
        out.attrs["betweenness_k"] = ct.attrs["betweenness_k"]
    else:
        G = informal_graph(deal, kinds, weight)
        out = out.join(centrality_table(G, weight=weight, betweenness_k=betweenness_k,
                                        seed=seed))
        if g is not None:
            br = brokerage_roles(G.reverse(copy=False), g)
            out = out.join(br[list(ROLES)]).join(br["total"].rename("brokerage_total"))
    out.attrs["kinds"] = list(tie_kinds(kinds, "measures"))
    out.attrs["group"] = group
    return out


def formal_scores(deal) -> pd.DataFrame:
    """Formal power per stakeholder, with the parts that make it.

    ``formal_score = sign_off + vote_share + budget_share + span_share`` where ``sign_off`` is
    1 for formal approval authority, ``vote_share`` = votes / all votes, ``budget_share`` =
    budget authority / all budget authority, ``span_share`` = people in the reporting line
    below them (direct or not) / (n − 1). ``formal_rank`` is 1 for the highest score (ties
    share the average rank); ``formal_pct`` = (n − rank) / (n − 1) in [0, 1].

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> f = formal_scores(load_reference("krackhardt"))
    >>> f.loc["7", ["sign_off", "span_share", "formal_score"]].tolist()
    [1.0, 1.0, 2.0]
    """
    import networkx as nx

    st = deal.stakeholders
    ids = pd.Index(st.index.astype(str), name="stakeholder")
    n = len(ids)
    F = formal_graph(deal)
    span = pd.Series({v: len(nx.ancestors(F, v)) for v in F}, dtype=float).reindex(ids)
    level = pd.Series({v: len(nx.descendants(F, v)) for v in F}, dtype=float).reindex(ids)
    so = st["sign_off"].fillna(False).astype(bool).to_numpy().astype(float)
    votes = pd.to_numeric(st["vote_weight"], errors="coerce").fillna(0.0).to_numpy()
    budget = pd.to_numeric(st["budget_authority"], errors="coerce").fillna(0.0).to_numpy()
    df = pd.DataFrame({
        "sign_off": so,
        "vote_share": votes / votes.sum() if votes.sum() > 0 else 0.0,
        "budget_share": budget / budget.sum() if budget.sum() > 0 else 0.0,
        "span_share": span.to_numpy() / max(n - 1, 1),
    }, index=ids)
    df["formal_score"] = df[["sign_off", "vote_share", "budget_share", "span_share"]].sum(axis=1)
    df["subordinates"] = span.to_numpy()
    df["levels_above"] = level.to_numpy()
    df["formal_rank"] = df["formal_score"].rank(ascending=False, method="average")
    df["formal_pct"] = (n - df["formal_rank"]) / max(n - 1, 1)
    return df


def formal_vs_informal(deal, kinds=None, measure="pagerank", threshold=0.25, weight="weight",
                       betweenness_k="auto", seed=0, *, measures_table=None,
                       decision_share=None) -> pd.DataFrame:
    """Formal rank vs informal rank per person, with flags and the evidence for each flag.

    Roles: our own people are never flagged (a flag of theirs reads ``our reach``), nor are a
    rival's. With ``decision_share`` (:func:`who_decides`), a person who carries at least their
    formal share of the forecast decision — or the largest share, who really decides — is not
    formal-only: the network backs their authority.

    * **hidden influencer**: in the informal top band (informal percentile ≥ 1 − ``threshold``)
      but not in the formal top band;
    * **formal-only**: in the formal top band but not in the informal top band.

    Percentiles are ``(n − rank) / (n − 1)`` with average ranks for ties.

    Parameters
    ----------
    deal : powerkit.Deal
    kinds : str, list or None
        Tie kinds (None = all).
    measure : str, default "pagerank"
        One of ``in_degree``, ``in_strength``, ``pagerank``, ``eigenvector``, ``betweenness``,
        ``closeness``, ``decision_influence`` (share of the forecast decision, see
        :func:`who_decides`).
    threshold : float in (0, 1), default 0.25
        Size of the "top" band.
    measures_table : pandas.DataFrame, optional
        :func:`measures` of the same deal and kinds, when already computed (with a
        ``decision_influence`` column if ``measure`` is that).
    decision_share : pandas.DataFrame, optional
        :func:`who_decides` of the same deal (columns ``real_weight``, ``formal_weight``).

    Returns
    -------
    pandas.DataFrame
        ``name``, ``title``, ``formal_score``, ``formal_rank``, ``formal_pct``, ``informal``
        (the measure), ``informal_rank``, ``informal_pct``, ``gap`` (informal − formal
        percentile), ``flag`` (``hidden influencer`` / ``formal-only`` / ``our reach`` / ""),
        ``evidence``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> t = formal_vs_informal(load_reference("krackhardt"), kinds="advice", measure="in_degree")
    >>> t.loc["7", "flag"] == "hidden influencer"
    False
    """
    if measure not in MEASURES:
        raise bad_argument("measure", "formal_vs_informal", f"one of {', '.join(MEASURES)}",
                           measure)
    if not (isinstance(threshold, int | float) and 0 < threshold < 1):
        raise bad_argument("threshold", "formal_vs_informal", "a number in (0, 1)", threshold)
    m = measures_table if measures_table is not None else measures(
        deal, kinds, weight, group=None, betweenness_k=betweenness_k, seed=seed)
    f = formal_scores(deal)
    n = len(f)
    if measure == "decision_influence" and "decision_influence" not in m:
        wd = who_decides(deal, kinds, weight)
        informal = wd["real_weight"].reindex(f.index)
    else:
        informal = m[measure].reindex(f.index).fillna(0.0)
    # roles: flags compare the people we may court with each other; our own team and rivals
    # are ranked apart (a reference case of one organisation: everyone is compared)
    side = deal.stakeholders["party"].map(deal.parties["side"]).reindex(f.index)
    elig = ~side.isin(["us", "rival"])
    if elig.sum() < 2:
        elig = pd.Series(True, index=f.index)
    ne = int(elig.sum())
    fr = f["formal_score"].where(elig).rank(ascending=False, method="average")
    ir = informal.where(elig).rank(ascending=False, method="average")
    out = pd.DataFrame({"name": m["name"].reindex(f.index), "title": m["title"].reindex(f.index),
                        "formal_score": f["formal_score"], "formal_rank": fr,
                        "formal_pct": (ne - fr) / max(ne - 1, 1), "informal": informal,
                        "informal_rank": ir, "informal_pct": (ne - ir) / max(ne - 1, 1)})
    out["gap"] = out["informal_pct"] - out["formal_pct"]
    top = 1.0 - threshold
    in_top_i = out["informal_pct"] >= top - 1e-12
    in_top_f = out["formal_pct"] >= top - 1e-12
    hidden = in_top_i & ~in_top_f
    formal_only = in_top_f & ~in_top_i
    if decision_share is not None:  # carries at least their formal share of the decision:
        ds = decision_share.reindex(f.index)  # the network backs them, not formal-only
        fw = ds["formal_weight"].fillna(0)
        formal_only &= ~((fw > 0) & (ds["real_weight"].fillna(0) >= fw - 1e-12))
        formal_only &= ds["real_weight"].fillna(0) < ds["real_weight"].max() - 1e-12
    flag = np.where(hidden, "hidden influencer", np.where(formal_only, "formal-only", ""))
    top_ours = (side == "us") & (informal.rank(ascending=False, method="average")
                                 <= max(1, round(threshold * n)))
    flag = np.where(side == "us", np.where(top_ours, "our reach", ""), flag)
    out["flag"] = np.where(side == "rival", "", flag)
    indeg = m["in_degree"].reindex(f.index).fillna(0).to_numpy()
    ev = []
    for who_side, fr_, ir_, val, so, sub, vs, bs, dg in zip(
            side, out["formal_rank"], out["informal_rank"], out["informal"], f["sign_off"],
            f["subordinates"], f["vote_share"], f["budget_share"], indeg, strict=True):
        if who_side in ("us", "rival") and ne < n:
            ev.append(f"{'our team' if who_side == 'us' else 'a rival'}: {measure} {val:.3g}; "
                      f"listened to by {dg:.0f} of {n - 1}")
            continue
        parts = ["sign-off" if so else "no sign-off", f"{sub:.0f} in their reporting line"]
        if vs > 0:
            parts.append(f"{100 * vs:.0f}% of votes")
        if bs > 0:
            parts.append(f"{100 * bs:.0f}% of budget")
        ev.append(f"informal rank {ir_:g} of {ne} by {measure} ({val:.3g}); listened to by "
                  f"{dg:.0f} of {n - 1}; formal rank {fr_:g} of {ne} ({', '.join(parts)})")
    out["evidence"] = ev
    out.attrs.update(measure=measure, threshold=threshold,
                     kinds=list(tie_kinds(kinds, "formal_vs_informal")))
    return out
