"""Walkthrough 2's network measures at company scale (20,000 people, 200,000 ties).

networkx stays the reference implementation (:func:`~powerkit.influence.centrality_table` with
``backend="networkx"``). This module computes the same measures on one sparse adjacency matrix
built straight from the ties table, without a networkx graph:

* degree, strength, PageRank (networkx's own power iteration, on our matrix), eigenvector
  (networkx's own ARPACK call), Burt's constraint and effective size — scipy.sparse;
* betweenness and closeness — igraph's Brandes breadth-first searches from the same sampled
  sources as networkx (``sources=``), else the batched scipy Brandes of
  :func:`~powerkit.influence.path_measures`;
* Gould–Fernandez brokerage — counted per broker from group tallies, minus the enumerated
  closed and reciprocal two-paths (numpy), not by walking every two-path in Python;
* the minimum cut of the factions — igraph's push–relabel maximum flow, with the two extreme
  minimum cuts read off the residual network (scipy.sparse.csgraph).

The compiled libraries (PyPI ``igraph``; the ``scale`` extra) are imported lazily; without them
every measure falls back to the scipy/networkx code with the same values. The measured timings
that chose each backend are in docs/methods/influence.md ("Company scale").
"""
from __future__ import annotations

import importlib.util
import random

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .brokerage import ROLES
from .matrices import tie_table

__all__ = ["BACKENDS", "FAST_MIN_PEOPLE", "has_igraph", "resolve_backend", "listening_matrix",
           "pagerank_scores", "eigenvector_scores", "path_measures_sparse",
           "brokerage_sparse", "fast_centrality_table", "mincut_sides", "scale_paths",
           "path_measures_matrix", "structural_holes_matrix"]

#: ``backend`` values of :func:`~powerkit.influence.measures` and friends.
BACKENDS = ("auto", "networkx", "fast")
#: ``backend="auto"`` uses networkx (the reference) below this many people, the fast path above.
FAST_MIN_PEOPLE = 1000


def has_igraph() -> bool:
    """Whether the compiled graph library igraph can be imported (``pip install powerkit[scale]``).

    >>> isinstance(has_igraph(), bool)
    True
    """
    return importlib.util.find_spec("igraph") is not None


def resolve_backend(backend, n: int, func: str) -> str:
    """``"networkx"`` or ``"fast"`` for ``backend`` (``"auto"``: fast from
    :data:`FAST_MIN_PEOPLE` people on).

    >>> resolve_backend("auto", 21, "measures"), resolve_backend("auto", 20000, "measures")
    ('networkx', 'fast')
    """
    if backend not in BACKENDS:
        raise bad_argument("backend", func, "'auto', 'networkx' or 'fast'", backend)
    if backend == "auto":
        return "fast" if n >= FAST_MIN_PEOPLE else "networkx"
    return backend


def listening_matrix(deal, kinds=None, weight="weight"):
    """The listening graph of a deal as a sparse matrix: ``A[i, j]`` = summed weight of the ties
    ``i → j`` (i listens to j) of the chosen kinds; rows and columns in the order of
    ``deal.stakeholders``. No self-ties (the ties table drops them).

    Returns
    -------
    (scipy.sparse.csr_matrix, pandas.Index)

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> A, ids = listening_matrix(load_reference("krackhardt"), "advice")
    >>> A.shape, A.nnz
    ((21, 21), 190)
    """
    import scipy.sparse as sp

    ids = pd.Index(deal.stakeholders.index.astype(str), name="stakeholder")
    t = tie_table(deal, kinds, weight, "listening_matrix")
    n = len(ids)
    r = ids.get_indexer(t["source"])
    c = ids.get_indexer(t["target"])
    ok = (r >= 0) & (c >= 0)
    A = sp.csr_matrix((t["w"].to_numpy(dtype=float)[ok], (r[ok], c[ok])), shape=(n, n))
    A.sum_duplicates()
    return A, ids


def pagerank_scores(A, alpha=0.85, tol=1.0e-6, max_iter=100) -> np.ndarray:
    """PageRank of the listening graph ``A`` (weighted): networkx's ``pagerank`` algorithm (power
    iteration, dangling people spread uniformly, stop when the L1 change < n·tol), on our
    matrix instead of a copy built from a networkx graph — the same iterates.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> pagerank_scores(sp.csr_matrix([[0, 1.0], [1.0, 0]])).tolist()
    [0.5, 0.5]

    References
    ----------
    Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual web search engine.
    *Computer Networks* 30, 107–117.
    """
    import networkx as nx
    import scipy.sparse as sp

    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    S = np.asarray(A.sum(axis=1)).ravel()
    S[S != 0] = 1.0 / S[S != 0]
    Q = sp.diags(S) @ A
    Q = sp.csr_array(Q)
    x = np.repeat(1.0 / n, n)
    p = np.repeat(1.0 / n, n)
    dangling = np.where(S == 0)[0]
    for _ in range(max_iter):
        xlast = x
        x = alpha * (x @ Q + sum(x[dangling]) * p) + (1 - alpha) * p
        if np.absolute(x - xlast).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


def eigenvector_scores(A) -> np.ndarray:
    """Eigenvector centrality (in-ties, weighted): networkx's ``eigenvector_centrality_numpy``
    (ARPACK on Aᵀ, largest real part, unit norm) on our matrix; all NaN when the graph is not
    strongly connected (networkx refuses such graphs: the vector is not unique).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> eigenvector_scores(sp.csr_matrix([[0, 1.0, 0], [0, 0, 1.0], [1.0, 0, 0]])).round(6).tolist()
    [0.57735, 0.57735, 0.57735]
    """
    import scipy.sparse as sp
    import scipy.sparse.linalg as sla
    from scipy.sparse.csgraph import connected_components

    n = A.shape[0]
    if n == 0:
        return np.zeros(0)
    ncomp, _ = connected_components(A, directed=True, connection="strong")
    if ncomp != 1:
        return np.full(n, np.nan)
    try:  # networkx's call; where it fails (e.g. fewer than 3 people) networkx has no value
        _, vec = sla.eigs(sp.csr_array(A).T, k=1, which="LR", maxiter=n * 50, tol=0)
    except Exception:  # noqa: BLE001 - as centrality_table: report NaN
        return np.full(n, np.nan)
    largest = vec.flatten().real
    return np.abs(largest / (np.sign(largest.sum()) * np.linalg.norm(largest)))


def _sample(nodes, k, seed):
    """networkx's sample of sources: ``random.Random(seed).sample(list(G), k)``."""
    return random.Random(seed).sample(list(nodes), k)


def path_measures_sparse(A, nodes, k=None, seed=None, engine="auto", batch=64) -> pd.DataFrame:
    """Betweenness and closeness of the listening graph ``A`` (unweighted, directed), as
    :func:`~powerkit.influence.path_measures` (networkx's values; with ``k``, the same
    sample of sources as networkx's ``betweenness_centrality(k=, seed=)``).

    ``engine``: ``"igraph"`` (its Brandes searches from the sampled sources, and its
    breadth-first distances for closeness), ``"scipy"`` (the batched algebraic Brandes) or
    ``"auto"`` (igraph when installed).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> A = sp.csr_matrix(([1.0, 1.0, 1.0], ([0, 1, 2], [1, 2, 3])), shape=(4, 4))
    >>> path_measures_sparse(A, list("abcd"))["betweenness"].round(4).tolist()
    [0.0, 0.3333, 0.3333, 0.0]
    """
    n = A.shape[0]
    nodes = list(nodes)
    if k is not None and k >= n:
        k = None
    if engine not in ("auto", "igraph", "scipy"):
        raise bad_argument("engine", "path_measures_sparse", "'auto', 'igraph' or 'scipy'", engine)
    if engine == "auto":
        engine = "igraph" if has_igraph() else "scipy"
    pos = {v: i for i, v in enumerate(nodes)}
    sources = None if k is None else [pos[v] for v in _sample(nodes, k, seed)]
    if engine == "scipy":
        return path_measures_matrix(A, nodes, sources)
    import igraph as ig

    B = A.tocoo()
    keep = B.row != B.col
    g = ig.Graph(n=n, edges=np.column_stack([B.row[keep], B.col[keep]]).tolist(), directed=True)
    src = list(range(n)) if sources is None else sources
    raw = np.asarray(g.betweenness(directed=True, sources=None if sources is None else src),
                     dtype=float)
    from scipy.sparse.csgraph import shortest_path

    cnt = np.zeros(n)
    tot = np.zeros(n)
    U = A.tocsr().astype(float)
    for start in range(0, len(src), batch):  # breadth-first distances from the sources (C code)
        D = shortest_path(U, directed=True, unweighted=True, indices=src[start:start + batch])
        reached = np.isfinite(D) & (D > 0)
        cnt += reached.sum(axis=0)
        tot += np.where(reached, D, 0.0).sum(axis=0)
    return scale_paths(raw, cnt, tot, n, sources, nodes)


def scale_paths(bc, cnt, tot, n, sources, nodes) -> pd.DataFrame:
    """networkx's normalisation of betweenness (directed, sampled or not) and Wasserman–Faust
    closeness from reach counts and distance sums (``sources``: positions, None = all).

    >>> import numpy as np
    >>> scale_paths(np.array([0.0, 2.0, 0.0]), np.array([0, 1, 2]), np.array([0, 1, 3]), 3,
    ...             None, list("abc"))["betweenness"].tolist()
    [0.0, 1.0, 0.0]
    """
    bc = bc.astype(float).copy()
    k = None if sources is None else len(sources)
    is_src = np.zeros(n, dtype=bool)
    if sources is not None:
        is_src[sources] = True
    if n > 2:
        if k is None:
            bc /= (n - 1) * (n - 2)
        else:
            bc = np.where(is_src, bc / ((k - 1) * (n - 2)) if k > 1 else np.nan,
                          bc / (k * (n - 2)))
    else:
        bc[:] = 0.0
    m = n if k is None else k
    others = m - is_src if k is not None else np.full(n, n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        clo = np.where((cnt > 0) & (tot > 0), (cnt / tot) * (cnt / np.maximum(others, 1)), 0.0)
    return pd.DataFrame({"betweenness": bc, "closeness": clo}, index=pd.Index(nodes))


def brokerage_sparse(F, codes) -> pd.DataFrame:
    """Gould–Fernandez brokerage roles on the *flow* matrix ``F`` (``F[a, b] ≠ 0``: a passes to
    b), the counts of :func:`~powerkit.influence.brokerage_roles` without walking every
    two-path.

    Every two-path a → b → c (a ∈ in(b), c ∈ out(b), self-ties ignored) is enumerated with
    numpy, in chunks of brokers of about four million two-paths; a = c and the paths closed by
    a direct tie a → c (a binary search among the sorted ties) are dropped, and the others are
    counted per broker and role (:func:`~powerkit.influence.role_of`'s table) in one
    ``bincount``. Time and memory ∝ two-paths, with no Python loop over people.

    Parameters
    ----------
    F : scipy.sparse matrix (n × n)
    codes : array of int, length n
        Group code of each node (equal codes = same group).

    Returns
    -------
    pandas.DataFrame
        Positions 0..n-1 as index; the five roles and ``total``.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> F = sp.csr_matrix(([1.0, 1.0], ([0, 1], [1, 2])), shape=(3, 3))  # a → b → c
    >>> brokerage_sparse(F, [1, 2, 2]).loc[1, "gatekeeper"]
    np.int64(1)

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation. *Sociological
    Methodology* 19, 89–126.
    """
    import scipy.sparse as sp

    F = sp.csr_matrix(F, dtype=float)
    F.setdiag(0.0)
    F.eliminate_zeros()
    F.data[:] = 1.0
    n = F.shape[0]
    g = np.asarray(codes)
    _, g = np.unique(g, return_inverse=True)
    F.sort_indices()
    Fc = F.tocsc()
    Fc.sort_indices()
    ptr, ind = F.indptr.astype(np.int64), F.indices.astype(np.int64)
    cptr, cind = Fc.indptr.astype(np.int64), Fc.indices.astype(np.int64)
    keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr)) * n + ind  # sorted a·n + c
    p_in, q_out = np.diff(cptr), np.diff(ptr)
    pairs = p_in * q_out  # two-paths a → b → c per broker b (a = c included)
    counts = np.zeros(n * 5, dtype=np.int64)
    # role code from (g(a) = g(b), g(b) = g(c), g(a) = g(c)), in ROLES order
    code = np.full(8, -1)
    code[0b111], code[0b001], code[0b010], code[0b100], code[0b000] = 0, 1, 2, 3, 4
    start, limit = 0, 4_000_000
    while start < n:  # brokers in chunks of about `limit` two-paths
        stop = start + 1
        total = int(pairs[start])
        while stop < n and total + pairs[stop] <= limit:
            total += int(pairs[stop])
            stop += 1
        bs = np.arange(start, stop)
        pb = pairs[bs]
        tot = int(pb.sum())
        start = stop
        if not tot:
            continue
        brep = np.repeat(bs, pb)
        k = np.arange(tot) - np.repeat(np.cumsum(pb) - pb, pb)
        q = q_out[brep]
        a_ = cind[cptr[brep] + k // q]
        c_ = ind[ptr[brep] + k % q]
        kc = a_ * n + c_
        pos = np.searchsorted(keys, kc)
        closed = (pos < len(keys)) & (keys[np.minimum(pos, len(keys) - 1)] == kc)
        keep = (a_ != c_) & ~closed
        ga, gb, gc = g[a_[keep]], g[brep[keep]], g[c_[keep]]
        role = code[((ga == gb) << 2) | ((gb == gc) << 1) | (ga == gc)]
        counts += np.bincount(brep[keep] * 5 + role, minlength=n * 5)
    counts = counts.reshape(n, 5)
    df = pd.DataFrame(counts, columns=list(ROLES))
    df["total"] = df[list(ROLES)].sum(axis=1)
    return df


def fast_centrality_table(A, nodes, betweenness_k=None, seed=0, weighted=True) -> pd.DataFrame:
    """:func:`~powerkit.influence.centrality_table`'s columns from the sparse listening matrix
    ``A`` (see the module docstring for which library computes what). ``weighted=False``: every
    tie counts 1 (``weight=None``).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> A = sp.csr_matrix(([1.0, 1.0, 1.0], ([0, 1, 2], [2, 2, 3])), shape=(4, 4))
    >>> fast_centrality_table(A, list("abcd")).loc["c", ["in_degree", "out_degree"]].tolist()
    [2.0, 1.0]
    """
    A = A.tocsr().astype(float)
    if not weighted:
        A = A.copy()
        A.data[:] = 1.0
    B = A.copy()
    B.data[:] = 1.0
    df = pd.DataFrame(index=pd.Index(list(nodes), name="stakeholder"))
    df["in_degree"] = np.asarray(B.sum(axis=0)).ravel()
    df["out_degree"] = np.asarray(B.sum(axis=1)).ravel()
    df["in_strength"] = np.asarray(A.sum(axis=0)).ravel()
    if A.shape[0] == 0:
        return df
    df["pagerank"] = pagerank_scores(A)
    df["eigenvector"] = eigenvector_scores(A)
    pm = path_measures_sparse(A, nodes, k=betweenness_k, seed=seed)
    df["betweenness"] = pm["betweenness"].to_numpy()
    df["closeness"] = pm["closeness"].to_numpy()
    burt = structural_holes_matrix(A, nodes)
    df["constraint"] = burt["constraint"].to_numpy()
    df["effective_size"] = burt["effective_size"].to_numpy()
    df.attrs["betweenness_k"] = betweenness_k
    return df


def mincut_sides(C, a: int, b: int, eps: float = 1e-9):
    """The two extreme minimum a–b cuts of the undirected capacity matrix ``C`` (symmetric):
    ``(smallest, largest, value)`` — boolean masks of the smallest and the largest a-side and
    the cut value, as :func:`~powerkit.influence.faction_table` reads them from networkx's
    Edmonds–Karp residual. Maximum flow by igraph (push–relabel) when installed, else scipy's
    ``maximum_flow`` (integer capacities only, so scaled) — the sides are the same for every
    maximum flow (Picard & Queyranne 1980).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> C = sp.csr_matrix(([1.0, 1.0, 1.0, 1.0], ([0, 1, 1, 2], [1, 0, 2, 1])), shape=(3, 3))
    >>> s, l, v = mincut_sides(C, 0, 2)
    >>> s.tolist(), l.tolist(), v
    ([True, False, False], [True, True, False], 1.0)
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import breadth_first_order

    C = sp.csr_matrix(C, dtype=float)
    C.setdiag(0.0)
    C.eliminate_zeros()
    n = C.shape[0]
    B = C.tocoo()
    if has_igraph():
        import igraph as ig

        g = ig.Graph(n=n, edges=np.column_stack([B.row, B.col]).tolist(), directed=True)
        fl = g.maxflow(a, b, capacity=B.data.tolist())
        flow = np.asarray(fl.flow, dtype=float)
        value = float(fl.value)
    else:  # without igraph (tests/test_scale.py switches it off)
        import networkx as nx
        from networkx.algorithms.flow import edmonds_karp

        H = nx.DiGraph()
        H.add_nodes_from(range(n))
        H.add_weighted_edges_from(zip(B.row.tolist(), B.col.tolist(), B.data.tolist(),
                                      strict=True),
                                  weight="capacity")
        R = edmonds_karp(H, a, b, capacity="capacity")
        flow = np.array([max(R[u][v]["flow"], 0.0) for u, v in zip(B.row, B.col, strict=True)])
        value = float(R.graph["flow_value"])
    Fm = sp.csr_matrix((flow, (B.row, B.col)), shape=(n, n))
    # residual u → v: capacity − flow(u → v) + flow(v → u)
    Rm = (C - Fm + Fm.T).tocsr()
    Rm.data = (Rm.data > eps).astype(float)
    Rm.eliminate_zeros()
    reach_a = np.zeros(n, dtype=bool)
    reach_a[breadth_first_order(Rm, a, directed=True, return_predecessors=False)] = True
    reach_b = np.zeros(n, dtype=bool)
    reach_b[breadth_first_order(Rm.T.tocsr(), b, directed=True,
                                return_predecessors=False)] = True
    return reach_a, ~reach_b, value


def path_measures_matrix(A, nodes, sources=None, batch=256) -> pd.DataFrame:
    """:func:`path_measures` on a sparse listening matrix ``A`` (nonzero = edge; weights and the
    diagonal ignored), from the given source positions (None: every node, exact).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> A = sp.csr_matrix(([1.0, 1.0, 1.0], ([0, 1, 2], [1, 2, 3])), shape=(4, 4))
    >>> path_measures_matrix(A, list("abcd"))["closeness"].round(4).tolist()
    [0.0, 0.3333, 0.4444, 0.5]
    """
    import scipy.sparse as sp

    nodes = list(nodes)
    n = len(nodes)
    A = sp.csr_matrix(A, dtype=float, copy=True)
    A.setdiag(0.0)
    A.eliminate_zeros()
    A.data[:] = 1.0
    AT = A.T.tocsr()
    src_all = list(range(n)) if sources is None else list(sources)
    bc = np.zeros(n)
    cnt = np.zeros(n)
    tot = np.zeros(n)
    for start in range(0, len(src_all), batch):
        src = np.asarray(src_all[start:start + batch])
        b = len(src)
        cols_b = np.arange(b)
        sigma = np.zeros((n, b))
        sigma[src, cols_b] = 1.0
        dist = np.full((n, b), -1, dtype=np.int32)
        dist[src, cols_b] = 0
        F = sigma.copy()
        level = 0
        while True:
            N = AT @ F
            new = (N > 0) & (dist < 0)
            if not new.any():
                break
            level += 1
            N = np.where(new, N, 0.0)
            dist[new] = level
            sigma += N
            F = N
        delta = np.zeros((n, b))
        safe_sigma = np.where(sigma > 0, sigma, 1.0)
        for L in range(level, 0, -1):
            T = np.where(dist == L, (1.0 + delta) / safe_sigma, 0.0)
            contrib = A @ T
            delta += np.where(dist == L - 1, sigma * contrib, 0.0)
        delta[src, cols_b] = 0.0
        bc += delta.sum(axis=1)
        reached = dist > 0
        cnt += reached.sum(axis=1)
        tot += np.where(reached, dist, 0).sum(axis=1)
    return scale_paths(bc, cnt, tot, n, sources, nodes)


def structural_holes_matrix(A, nodes) -> pd.DataFrame:
    """:func:`structural_holes` on a sparse weighted listening matrix ``A`` (diagonal ignored).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> A = sp.csr_matrix(([1.0, 1.0], ([0, 1], [2, 2])), shape=(3, 3))
    >>> structural_holes_matrix(A, list("abc")).loc["c"].round(3).tolist()
    [0.5, 2.0]
    """
    import scipy.sparse as sp

    nodes = list(nodes)
    A = sp.csr_matrix(A, dtype=float, copy=True)
    A.setdiag(0.0)
    A.eliminate_zeros()
    Mw = (A + A.T).tocsr()
    Mw.eliminate_zeros()
    rowsum = np.asarray(Mw.sum(axis=1)).ravel()
    rowmax = Mw.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        P = sp.diags(np.where(rowsum > 0, 1.0 / rowsum, 0.0)) @ Mw
        Q = sp.diags(np.where(rowmax > 0, 1.0 / rowmax, 0.0)) @ Mw
    P = P.tocsr()
    QT = Q.T.tocsr()
    N = (Mw > 0).astype(float).tocsr()
    n = N.shape[0]
    constraint = np.zeros(n)
    red = np.zeros(n)
    # in blocks of rows: P @ P and P @ Qᵀ are only needed on the pattern of N (a hub's
    # two-step products would otherwise fill a block of n × hub-degree entries)
    for s in range(0, n, 256):
        rows = slice(s, min(n, s + 256))
        Pb, Nb = P[rows], N[rows]
        di = (Pb + Pb @ P).multiply(Nb)
        constraint[rows] = np.asarray(di.multiply(di).sum(axis=1)).ravel()
        red[rows] = np.asarray((Pb @ QT).multiply(Nb).sum(axis=1)).ravel()
    eff = np.asarray(N.sum(axis=1)).ravel() - red
    iso = rowsum == 0
    constraint[iso] = np.nan
    eff[iso] = np.nan
    return pd.DataFrame({"constraint": constraint, "effective_size": eff}, index=pd.Index(nodes))
