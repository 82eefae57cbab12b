"""Formal vs informal power: who is listened to, who brokers, where opinion is heading.

Direction convention (docs/deal-format.md): a tie ``source → target`` means **source listens to
target**; influence flows *target → source*. Every graph built here keeps that direction, so an
edge ``u → v`` in a *listening graph* means "u listens to v", and

* in-degree, PageRank and eigenvector centrality of ``v`` measure how much ``v`` is listened to;
* ``W[i, j]`` of the influence matrix is the weight ``i`` gives to ``j``'s opinion (row ``i`` =
  whom ``i`` listens to), the DeGroot / Friedkin–Johnsen convention.

The formulas and their references are in docs/methods/influence.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .deal.reference import load_reference  # noqa: F401  (doctests, walkthrough 2)
from .errors import PowerkitError

__all__ = [
    "NotStochasticError",
    "NoConsensusError",
    "influence_matrix",
    "friedkin_johnsen",
    "OpinionForecast",
    "degroot_weights",
    "MEASURES",
    "formal_graph",
    "informal_graph",
    "flow_graph",
    "centrality_table",
    "path_measures",
    "structural_holes",
    "measures",
    "formal_scores",
    "decision_weights",
    "opinion_forecast",
    "who_decides",
    "formal_vs_informal",
    "EngagementPlan",
    "plan_engagement",
    "engagement_candidates",
    "engagement_plan",
    "relationship_gaps",
    "split_factions",
    "faction_table",
    "factions",
    "kind_options",
    "InfluenceView",
    "what_if",
    "report_section",
    "systemic_inputs",
]


class NotStochasticError(PowerkitError, ValueError):
    """A matrix that must be row-stochastic (non-negative, rows summing to 1) is not."""


class NoConsensusError(PowerkitError, ValueError):
    """A DeGroot process does not converge to a single consensus."""


# -- argument checks -----------------------------------------------------------------------------
def _as_matrix(W, name: str, func: str) -> tuple[np.ndarray, pd.Index]:
    """A square float matrix and its labels (a DataFrame's index, else 0..n-1)."""
    if isinstance(W, pd.DataFrame):
        if not W.index.equals(W.columns):
            raise ValueError(f"The '{name}' parameter of {func} must be a square DataFrame whose "
                             f"index equals its columns. Got index {list(W.index)[:5]}… and "
                             f"columns {list(W.columns)[:5]}… instead.")
        labels = W.index
        M = W.to_numpy(dtype=float)
    else:
        M = np.asarray(W, dtype=float)
        labels = pd.RangeIndex(M.shape[0]) if M.ndim == 2 else pd.RangeIndex(0)
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise ValueError(f"The '{name}' parameter of {func} must be a non-empty square matrix. "
                         f"Got shape {M.shape} instead.")
    if not np.all(np.isfinite(M)):
        raise ValueError(f"The '{name}' parameter of {func} must contain finite numbers only. "
                         f"Got NaN or infinite entries instead.")
    return M, labels


def _check_stochastic(M: np.ndarray, labels, name: str, func: str, tol: float = 1e-9) -> None:
    if (M < -tol).any():
        i, j = np.argwhere(M < -tol)[0]
        raise NotStochasticError(
            f"The '{name}' parameter of {func} must be row-stochastic (non-negative entries, "
            f"every row summing to 1). Got {M[i, j]:g} at row {labels[i]!r}, column "
            f"{labels[j]!r} instead.")
    sums = M.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
    if bad.size:
        i = bad[0]
        raise NotStochasticError(
            f"The '{name}' parameter of {func} must be row-stochastic (non-negative entries, "
            f"every row summing to 1). Got row {labels[i]!r} summing to {sums[i]:.6g} instead "
            f"({bad.size} row{'s' if bad.size != 1 else ''} affected); divide each row by its sum.")


def _as_vector(x, labels: pd.Index, name: str, func: str, lo=None, hi=None) -> np.ndarray:
    n = len(labels)
    if isinstance(x, dict):
        x = pd.Series(x)
    if isinstance(x, pd.Series) and not isinstance(labels, pd.RangeIndex):
        missing = [k for k in labels if k not in x.index]
        if missing:
            raise ValueError(f"The '{name}' parameter of {func} must have a value for every "
                             f"row of W. Got none for {missing[:5]} instead.")
        v = x.reindex(labels).to_numpy(dtype=float)
    elif np.ndim(x) == 0:
        v = np.full(n, float(x))
    else:
        v = np.asarray(x, dtype=float).ravel()
    if v.shape != (n,):
        raise ValueError(f"The '{name}' parameter of {func} must have one value per row of W "
                         f"({n}). Got {v.shape[0]} values instead.")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"The '{name}' parameter of {func} must contain finite numbers only. "
                         f"Got NaN or infinite values instead.")
    if (lo is not None and (v < lo - 1e-12).any()) or (hi is not None and (v > hi + 1e-12).any()):
        bad = v[(v < (lo if lo is not None else -np.inf) - 1e-12)
                | (v > (hi if hi is not None else np.inf) + 1e-12)][0]
        raise ValueError(f"The '{name}' parameter of {func} must lie in [{lo:g}, {hi:g}]. "
                         f"Got {bad:g} instead.")
    return v


# -- the influence matrix of a deal --------------------------------------------------------------
TIE_KINDS = ("advice", "trust", "friendship", "influence")


def _kinds(kinds, func: str) -> tuple[str, ...]:
    if kinds is None:
        return TIE_KINDS
    if isinstance(kinds, str):
        kinds = (kinds,)
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in TIE_KINDS]
    if bad or not kinds:
        raise ValueError(f"The 'kinds' parameter of {func} must be None, one of "
                         f"{', '.join(TIE_KINDS)} or a list of them. Got {kinds!r} instead.")
    return kinds


def _tie_table(deal, kinds, weight, func: str) -> pd.DataFrame:
    """Ties of the chosen kinds as (source, target, w), summed over kinds; empty if none."""
    kinds = _kinds(kinds, func)
    if not deal.has("ties"):
        return pd.DataFrame({"source": [], "target": [], "w": []})
    t = deal.ties[deal.ties["kind"].isin(kinds)]
    if weight is None:
        w = pd.Series(1.0, index=t.index)
    elif weight in t.columns:
        w = pd.to_numeric(t[weight], errors="coerce").fillna(1.0)
    else:
        raise ValueError(f"The 'weight' parameter of {func} must be None or a column of the ties "
                         f"table ({', '.join(map(str, deal.ties.columns))}). Got {weight!r} "
                         f"instead.")
    out = pd.DataFrame({"source": t["source"].astype(str), "target": t["target"].astype(str),
                        "w": w.astype(float)})
    out = out[out["source"] != out["target"]]
    return out.groupby(["source", "target"], as_index=False, sort=False)["w"].sum()


def influence_matrix(deal, kinds=None, weight="weight") -> pd.DataFrame:
    """Row-stochastic influence matrix W of a deal: row ``i`` = whom ``i`` listens to.

    Built from the ties (``source`` listens to ``target``, so ``W[source, target] > 0``) and each
    stakeholder's susceptibility λᵢ (openness to others' influence):

    * ``W[i, i] = 1 − λᵢ`` and ``W[i, j] = λᵢ · a_ij / Σ_k a_ik`` for the people ``j`` that
      ``i`` listens to (``a_ij`` = summed tie weight over the chosen kinds);
    * when ``susceptibility`` is blank it defaults *from the ties*: a person counts their own
      opinion as one more voice of average weight, ``λᵢ = dᵢ / (dᵢ + 1)`` with ``dᵢ`` the number
      of people ``i`` listens to (DeGroot with self-loops, as in Jackson 2008, §8.3);
    * people who listen to no one (isolated rows) put weight 1 on themselves.

    With ``W[i, i] = 1 − λᵢ``, the Friedkin–Johnsen default ``Λ = I − diag(W)`` recovers λ.

    Parameters
    ----------
    deal : powerkit.Deal
        A validated deal. Without a ``ties`` table every row is isolated (W = I).
    kinds : str, list of str or None, default None
        Tie kinds to use (``advice``, ``trust``, ``friendship``, ``influence``); None = all.
    weight : str or None, default "weight"
        Column of ``ties`` holding the tie strength; None counts every tie as 1. Ties of
        several kinds between the same two people add up.

    Returns
    -------
    pandas.DataFrame
        Square, index = columns = stakeholder ids (in the order of ``deal.stakeholders``),
        non-negative, every row summing to 1.

    Raises
    ------
    ValueError
        If ``kinds`` or ``weight`` is not valid.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> W = influence_matrix(load_reference("krackhardt"), kinds="advice")
    >>> W.shape, bool((W.sum(axis=1).round(12) == 1).all())
    ((21, 21), True)

    References
    ----------
    DeGroot, M. H. (1974). Reaching a consensus. *JASA* 69(345), 118–121.
    Friedkin, N. E. & Johnsen, E. C. (1999). Social influence networks and opinion change.
    *Advances in Group Processes* 16, 1–29.
    """
    func = "influence_matrix"
    ids = pd.Index(deal.stakeholders.index.astype(str), name="stakeholder")
    n = len(ids)
    pos = {k: i for i, k in enumerate(ids)}
    A = np.zeros((n, n))
    ties = _tie_table(deal, kinds, weight, func)
    if len(ties):
        r = ties["source"].map(pos).to_numpy()
        c = ties["target"].map(pos).to_numpy()
        np.add.at(A, (r, c), ties["w"].to_numpy())
    row = A.sum(axis=1)
    deg = (A > 0).sum(axis=1)
    sus = deal.stakeholders["susceptibility"] if "susceptibility" in deal.stakeholders else None
    lam = deg / (deg + 1.0)
    if sus is not None:
        given = pd.to_numeric(sus, errors="coerce").to_numpy(dtype=float)
        lam = np.where(np.isfinite(given), given, lam)
    lam = np.where(row > 0, lam, 0.0)
    A *= (lam / np.where(row > 0, row, 1.0))[:, None]
    A[np.arange(n), np.arange(n)] += 1.0 - lam
    W = A
    return pd.DataFrame(W, index=ids, columns=pd.Index(ids, name=None))


# -- Friedkin–Johnsen ----------------------------------------------------------------------------
@dataclass
class OpinionForecast:
    """Where opinions end up under Friedkin–Johnsen: x* = (I − ΛW)⁻¹ (I − Λ) x₀.

    ``final`` is the forecast; ``inputs`` (initial opinions and susceptibilities) and
    ``weights`` (W) are what made it; ``total_influence`` is V = (I − ΛW)⁻¹(I − Λ), so
    ``final = V @ initial`` and ``contributions[i, j] = V[i, j]·x₀[j]`` is the part of i's final
    opinion that comes from j's initial one. ``social_power[j]`` is the mean of column j of V
    (Friedkin's "social power": j's average share in everyone's final opinion).
    ``np.asarray(forecast)`` gives the final opinions.
    """

    final: pd.Series
    initial: pd.Series
    susceptibility: pd.Series
    weights: pd.DataFrame
    _A: np.ndarray = field(repr=False, default=None)
    _lu: object = field(repr=False, default=None)

    def _solve(self, rhs, trans=False):
        """Solve A x = rhs (or Aᵀ x = rhs): dense LU up to DENSE_MAX people, else GMRES."""
        n = self._A.shape[0]
        if n > DENSE_MAX:
            import scipy.sparse as sp
            import scipy.sparse.linalg as sla

            if self._lu is None:
                A = sp.csr_matrix(self._A)
                self._lu = (A, A.T.tocsr())
            A = self._lu[1] if trans else self._lu[0]
            R = np.asarray(rhs, dtype=float)
            cols = R.reshape(n, -1)
            out = np.empty_like(cols)
            for k in range(cols.shape[1]):
                x, info = sla.gmres(A, cols[:, k], rtol=1e-12, atol=0.0, restart=80,
                                    maxiter=2000)
                if info != 0:  # pragma: no cover - direct fallback
                    x = sla.spsolve(A.tocsc(), cols[:, k])
                out[:, k] = x
            return out.reshape(R.shape)
        from scipy.linalg import lu_factor, lu_solve

        if self._lu is None:
            self._lu = lu_factor(self._A, check_finite=False)
        return lu_solve(self._lu, rhs, trans=1 if trans else 0, check_finite=False)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.final.to_numpy(), dtype=dtype)

    @property
    def inputs(self) -> pd.DataFrame:
        return pd.DataFrame({"initial": self.initial, "susceptibility": self.susceptibility})

    @cached_property
    def total_influence(self) -> pd.DataFrame:
        lam = self.susceptibility.to_numpy()
        V = self._solve(np.diag(1.0 - lam))
        return pd.DataFrame(V, index=self.final.index, columns=self.final.index)

    @property
    def contributions(self) -> pd.DataFrame:
        return self.total_influence * self.initial.to_numpy()[None, :]

    @property
    def social_power(self) -> pd.Series:
        return self.total_influence.mean(axis=0).rename("social_power")

    def table(self) -> pd.DataFrame:
        """initial, susceptibility, final and shift per person."""
        return pd.DataFrame({"initial": self.initial, "susceptibility": self.susceptibility,
                             "final": self.final, "shift": self.final - self.initial})


def friedkin_johnsen(W, x0, susceptibility=None) -> OpinionForecast:
    """Final opinions of the Friedkin–Johnsen model, x* = (I − ΛW)⁻¹ (I − Λ) x₀.

    Each person repeatedly takes ``x(t+1) = Λ W x(t) + (I − Λ) x₀``: a share λᵢ of their opinion
    follows the people they listen to, the rest stays anchored to their initial opinion. The
    process converges to x* whenever I − ΛW is invertible with spectral radius of ΛW below 1
    (every closed group of people has someone with λ < 1).

    Parameters
    ----------
    W : array-like or pandas.DataFrame, shape (n, n)
        Row-stochastic influence matrix (row i = whom i listens to), e.g. from
        :func:`influence_matrix`.
    x0 : array-like, dict or pandas.Series, length n
        Initial opinions (stances −1..1, or any scale).
    susceptibility : None, float or array-like, default None
        λᵢ in [0, 1], the diagonal of Λ. None uses ``Λ = I − diag(W)`` as in Friedkin & Johnsen
        (1999): the weight people put on others is their susceptibility.

    Returns
    -------
    OpinionForecast
        ``.final`` (Series x*), ``.inputs``, ``.weights``, ``.total_influence`` (V),
        ``.contributions``, ``.social_power``.

    Raises
    ------
    NotStochasticError
        If W is not row-stochastic.
    NoConsensusError
        If the process has no unique limit (some closed group is fully susceptible, λ = 1).
    ValueError
        If the shapes do not match or susceptibility lies outside [0, 1].

    Examples
    --------
    Two people: the first gives half its weight to the second, who keeps its own view;
    x₀ = (0, 1), λ = (0.5, 0). By hand, x₁ = 0.5·(0.5x₁ + 0.5·1) + 0.5·0, so x₁ = 1/3.

    >>> fj = friedkin_johnsen([[0.5, 0.5], [0.0, 1.0]], [0.0, 1.0])
    >>> fj.final.round(6).tolist()
    [0.333333, 1.0]

    References
    ----------
    Friedkin, N. E. & Johnsen, E. C. (1999). Social influence networks and opinion change.
    *Advances in Group Processes* 16, 1–29.
    Friedkin, N. E. & Johnsen, E. C. (2011). *Social Influence Network Theory*. Cambridge UP.
    """
    func = "friedkin_johnsen"
    M, labels = _as_matrix(W, "W", func)
    _check_stochastic(M, labels, "W", func)
    x = _as_vector(x0, labels, "x0", func)
    if susceptibility is None:
        lam = np.clip(1.0 - np.diag(M), 0.0, 1.0)
    else:
        lam = _as_vector(susceptibility, labels, "susceptibility", func, lo=0.0, hi=1.0)
    A = np.eye(len(x)) - lam[:, None] * M
    _check_fj_converges(M, lam, labels, func)
    idx = labels if isinstance(W, pd.DataFrame) else pd.RangeIndex(len(x))
    out = OpinionForecast(final=None,
                           initial=pd.Series(x, index=idx, name="initial"),
                           susceptibility=pd.Series(lam, index=idx, name="susceptibility"),
                           weights=pd.DataFrame(M, index=idx, columns=idx), _A=A)
    out.final = pd.Series(out._solve((1.0 - lam) * x), index=idx, name="final")
    return out


def _closed_classes(M: np.ndarray) -> list[list[int]]:
    """Closed communicating classes of the listening graph of M (i → j when M[i, j] > 0)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    S = csr_matrix(M > 0)
    ncomp, lab = connected_components(S, directed=True, connection="strong")
    r, c = S.nonzero()
    leaving = np.zeros(ncomp, dtype=bool)
    leaving[lab[r][lab[r] != lab[c]]] = True
    return [np.flatnonzero(lab == k).tolist() for k in np.flatnonzero(~leaving)]


def _check_fj_converges(M, lam, labels, func):
    for cls in _closed_classes(M):
        if np.all(lam[cls] >= 1.0 - 1e-12):
            who = ", ".join(repr(labels[i]) for i in cls[:5])
            raise NoConsensusError(
                f"{func}: the group {{{who}{', …' if len(cls) > 5 else ''}}} listens only to "
                f"itself and every member is fully susceptible (λ = 1), so the process has no "
                f"unique limit. Give someone in it a susceptibility below 1 (a self-weight in W).")


# -- DeGroot -------------------------------------------------------------------------------------
def degroot_weights(T) -> pd.Series:
    """Each member's weight in the DeGroot consensus: the left unit eigenvector s = sT.

    Under DeGroot updating ``x(t+1) = T x(t)`` with a row-stochastic T, opinions converge to a
    consensus ``s · x(0)`` for every start iff T has exactly one closed communicating class and
    that class is aperiodic (Golub & Jackson 2010; Jackson 2008, Thm 8.2). Members outside the
    closed class get weight 0.

    Parameters
    ----------
    T : array-like or pandas.DataFrame, shape (n, n)
        Row-stochastic listening matrix (row i = whom i listens to).

    Returns
    -------
    pandas.Series
        s, non-negative, summing to 1, indexed like T (0..n-1 for arrays).

    Raises
    ------
    NotStochasticError
        If T is not row-stochastic.
    NoConsensusError
        If there are several closed groups (no single consensus) or the closed group is
        periodic (opinions oscillate).

    Examples
    --------
    Jackson (2008), *Social and Economic Networks*, ch. 8 example: s = (3/11, 4/11, 4/11).

    >>> s = degroot_weights([[1/3, 1/3, 1/3], [1/2, 1/2, 0], [0, 1/4, 3/4]])
    >>> (s * 11).round(6).tolist()
    [3.0, 4.0, 4.0]

    References
    ----------
    DeGroot, M. H. (1974). Reaching a consensus. *JASA* 69(345), 118–121.
    Jackson, M. O. (2008). *Social and Economic Networks*, ch. 8. Princeton UP.
    Golub, B. & Jackson, M. O. (2010). Naïve learning in social networks and the wisdom of
    crowds. *AEJ: Microeconomics* 2(1), 112–149.
    """
    import networkx as nx

    func = "degroot_weights"
    M, labels = _as_matrix(T, "T", func)
    _check_stochastic(M, labels, "T", func)
    closed = _closed_classes(M)
    if len(closed) != 1:
        groups = "; ".join("{" + ", ".join(repr(labels[i]) for i in c[:4])
                           + (", …" if len(c) > 4 else "") + "}" for c in closed[:4])
        raise NoConsensusError(
            f"{func}: the listening network has {len(closed)} closed groups ({groups}) that "
            f"listen to no one outside themselves, so there is no single consensus. Connect "
            f"them (someone in each must listen to someone in another).")
    cls = closed[0]
    sub = M[np.ix_(cls, cls)]
    if len(cls) > 1 and not nx.is_aperiodic(nx.from_numpy_array(sub > 0,
                                                                create_using=nx.DiGraph)):
        raise NoConsensusError(
            f"{func}: the closed group {{{', '.join(repr(labels[i]) for i in cls[:5])}}} is "
            f"periodic, so opinions oscillate and never converge. A positive self-weight for "
            f"anyone in it makes it aperiodic.")
    # solve s (I − T_C) = 0 with Σ s = 1 on the closed class (least squares, exact)
    k = len(cls)
    A = np.vstack([(np.eye(k) - sub).T, np.ones((1, k))])
    b = np.zeros(k + 1)
    b[-1] = 1.0
    sc, *_ = np.linalg.lstsq(A, b, rcond=None)
    s = np.zeros(M.shape[0])
    s[cls] = np.clip(sc, 0.0, None)
    s /= s.sum()
    return pd.Series(s, index=labels if isinstance(T, pd.DataFrame) else pd.RangeIndex(len(s)),
                     name="degroot_weight")


# -- graphs of a deal ----------------------------------------------------------------------------
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
    >>> G = informal_graph(load_reference("krackhardt"), kinds="advice")
    >>> G.number_of_nodes(), G.number_of_edges()
    (21, 190)
    """
    import networkx as nx

    G = _add_people(nx.DiGraph(), deal)
    t = _tie_table(deal, kinds, weight, "informal_graph")
    G.add_weighted_edges_from(t[["source", "target", "w"]].itertuples(index=False, name=None))
    return G


# -- measures ------------------------------------------------------------------------------------
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

    import scipy.sparse as sp

    nodes = list(G)
    n = len(nodes)
    if k is not None and k >= n:
        k = None
    idx = {v: i for i, v in enumerate(nodes)}
    rows = [idx[u] for u, v in G.edges() if u != v]
    cols = [idx[v] for u, v in G.edges() if u != v]
    A = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    A.data[:] = 1.0
    AT = A.T.tocsr()
    sources = (list(range(n)) if k is None else
               [idx[v] for v in random.Random(seed).sample(nodes, k)])
    bc = np.zeros(n)
    cnt = np.zeros(n)
    tot = np.zeros(n)
    for start in range(0, len(sources), batch):
        src = np.asarray(sources[start:start + batch])
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
    if n > 2:
        if k is None:
            bc /= (n - 1) * (n - 2)
        else:
            is_src = np.zeros(n, dtype=bool)
            is_src[sources] = True
            bc = np.where(is_src, bc / ((k - 1) * (n - 2)) if k > 1 else np.nan,
                          bc / (k * (n - 2)))
    else:
        bc[:] = 0.0
    m = len(sources)
    is_src = np.zeros(n, dtype=bool)
    is_src[sources] = True
    others = m - is_src  # sampled sources other than the node itself
    with np.errstate(divide="ignore", invalid="ignore"):
        clo = np.where((cnt > 0) & (tot > 0), (cnt / tot) * (cnt / np.maximum(others, 1)), 0.0)
    if k is None and n > 1:
        clo = np.where(tot > 0, (cnt / np.where(tot > 0, tot, 1)) * (cnt / (n - 1)), 0.0)
    return pd.DataFrame({"betweenness": bc, "closeness": clo}, index=pd.Index(nodes))


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
    import scipy.sparse as sp

    nodes = list(G)
    n = len(nodes)
    idx = {v: i for i, v in enumerate(nodes)}
    r, c, w = [], [], []
    for u, v, data in G.edges(data=True):
        if u != v:
            r.append(idx[u])
            c.append(idx[v])
            w.append(1.0 if weight is None else float(data.get(weight, 1.0)))
    A = sp.csr_matrix((w, (r, c)), shape=(n, n))
    Mw = (A + A.T).tocsr()
    Mw.eliminate_zeros()
    rowsum = np.asarray(Mw.sum(axis=1)).ravel()
    rowmax = Mw.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        P = sp.diags(np.where(rowsum > 0, 1.0 / rowsum, 0.0)) @ Mw
        Q = sp.diags(np.where(rowmax > 0, 1.0 / rowmax, 0.0)) @ Mw
    P = P.tocsr()
    N = (Mw > 0).astype(float)
    direct_indirect = (P + P @ P).multiply(N)
    constraint = np.asarray(direct_indirect.multiply(direct_indirect).sum(axis=1)).ravel()
    redundancy = (P @ Q.T).multiply(N)
    eff = np.asarray(N.sum(axis=1)).ravel() - np.asarray(redundancy.sum(axis=1)).ravel()
    iso = rowsum == 0
    constraint[iso] = np.nan
    eff[iso] = np.nan
    return pd.DataFrame({"constraint": constraint, "effective_size": eff}, index=pd.Index(nodes))


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
        raise ValueError(f"The 'betweenness_k' parameter of centrality_table must be None, "
                         f"'auto' or a positive int. Got {betweenness_k!r} instead.")
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
        raise ValueError(f"The 'group' parameter must be None or a column of stakeholders "
                         f"(e.g. department, party, title). Got {group!r} instead.")
    g = st[group].astype(object)
    return {str(k): (None if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v))
            for k, v in g.items()}


def flow_graph(deal, kinds=None, weight="weight"):
    """The informal network read as *flow* of advice/influence: ``target → source``.

    The reverse of :func:`informal_graph`; used for brokerage roles (Gould & Fernandez read
    ``a → b`` as "a passes something to b").

    Examples
    --------
    >>> flow_graph(load_reference("krackhardt"), "advice").has_edge("2", "1")  # 1 asks 2
    True
    """
    return informal_graph(deal, kinds, weight).reverse(copy=True)


def measures(deal, kinds=None, weight="weight", group="department", betweenness_k="auto",
             seed=0) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        Index = stakeholder ids; ``name``, ``party``, ``title``, the columns of
        :func:`centrality_table` and, with a group, the five brokerage roles (on the flow graph:
        advice and influence flow from the listened-to to the listener) and
        ``brokerage_total``.

    Examples
    --------
    >>> m = measures(load_reference("krackhardt"), kinds="advice")
    >>> m["in_degree"].idxmax()  # the most sought-after adviser
    '2'
    """
    from .brokerage import ROLES, brokerage_roles

    G = informal_graph(deal, kinds, weight)
    st = deal.stakeholders
    out = pd.DataFrame({"name": st["name"], "party": st["party"], "title": st["title"]})
    out.index = pd.Index(st.index.astype(str), name="stakeholder")
    out = out.join(centrality_table(G, weight=weight, betweenness_k=betweenness_k, seed=seed))
    g = _groups(deal, group)
    if g is not None:
        br = brokerage_roles(G.reverse(copy=False), g)
        out = out.join(br[list(ROLES)]).join(br["total"].rename("brokerage_total"))
    out.attrs["kinds"] = list(_kinds(kinds, "measures"))
    out.attrs["group"] = group
    return out


# -- formal power --------------------------------------------------------------------------------
def formal_scores(deal) -> pd.DataFrame:
    """Formal power per stakeholder, with the parts that make it.

    ``formal_score = sign_off + vote_share + budget_share + span_share`` where ``sign_off`` is
    1 for formal approval authority, ``vote_share`` = votes / all votes, ``budget_share`` =
    budget authority / all budget authority, ``span_share`` = people in the reporting line
    below them (direct or not) / (n − 1). ``formal_rank`` is 1 for the highest score (ties
    share the average rank); ``formal_pct`` = (n − rank) / (n − 1) in [0, 1].

    Examples
    --------
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


def decision_weights(deal) -> pd.Series:
    """Who formally decides, as weights d summing to 1 (the "formal decision").

    In order of precedence: ``vote_weight`` (a voting body), else equal weights on the
    ``sign_off`` holders, else ``budget_authority``, else equal weights on the counterpart's
    people, else everyone. ``d.attrs["basis"]`` names the rule used.

    Examples
    --------
    >>> d = decision_weights(load_reference("krackhardt"))
    >>> d[d > 0].to_dict(), d.attrs["basis"]
    ({'7': 1.0}, 'sign_off')
    """
    st = deal.stakeholders
    ids = pd.Index(st.index.astype(str), name="stakeholder")
    votes = pd.to_numeric(st["vote_weight"], errors="coerce").fillna(0.0).to_numpy()
    so = st["sign_off"].fillna(False).astype(bool).to_numpy().astype(float)
    budget = pd.to_numeric(st["budget_authority"], errors="coerce").fillna(0.0).to_numpy()
    cp = (st["party"].astype(str) == str(deal.counterpart)).to_numpy().astype(float)
    for basis, v in (("vote_weight", votes), ("sign_off", so), ("budget_authority", budget),
                     ("counterpart", cp), ("everyone", np.ones(len(ids)))):
        if v.sum() > 0:
            d = pd.Series(v / v.sum(), index=ids, name="decision_weight")
            d.attrs["basis"] = basis
            return d
    raise ValueError("decision_weights needs at least one stakeholder")  # pragma: no cover


# -- the opinion forecast of a deal --------------------------------------------------------------
def opinion_forecast(deal, kinds=None, weight="weight", _W=None) -> OpinionForecast:
    """Friedkin–Johnsen forecast of each stakeholder's stance on our proposal.

    W from :func:`influence_matrix`, x₀ = ``stance`` (blank = 0), Λ = I − diag(W).

    Examples
    --------
    >>> fc = opinion_forecast(load_reference("krackhardt"))
    >>> float(fc.final.abs().max())  # all stances unknown (0): nothing moves
    0.0
    """
    W = influence_matrix(deal, kinds, weight) if _W is None else _W
    x0 = pd.to_numeric(deal.stakeholders["stance"], errors="coerce").fillna(0.0)
    x0.index = W.index
    return friedkin_johnsen(W, x0)


def _decision_influence(fc: OpinionForecast, d: pd.Series) -> pd.Series:
    """r_j = Σ_i d_i V[i, j]: share of the decision that traces back to j's own view."""
    lam = fc.susceptibility.to_numpy()
    g = fc._solve(d.reindex(fc.final.index).to_numpy(), trans=True)
    return pd.Series(g * (1.0 - lam), index=fc.final.index, name="decision_influence")


def who_decides(deal, kinds=None, weight="weight", _W=None, _fc=None) -> pd.DataFrame:
    """Who really decides: formal decision rights combined with informal influence.

    The formal decision is ``D = Σ_i d_i x_i`` over the people who formally decide
    (:func:`decision_weights`). Under Friedkin–Johnsen, ``x* = V x₀``, so the forecast decision
    is ``D* = Σ_j r_j x₀_j`` with ``r_j = Σ_i d_i V[i, j]``: ``r_j`` is the share of the decision
    that traces back to ``j``'s own view (Σ r = 1). Someone with ``d = 0`` but a large ``r`` decides
    through the people who listen to them.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``real_weight`` (descending): ``name``, ``party``, ``title``,
        ``formal_weight`` (d), ``real_weight`` (r), ``real_rank``, ``stance``, ``forecast``,
        ``via`` (the decision-makers through whom the influence runs, with shares) and
        ``evidence`` (a sentence).

    Examples
    --------
    >>> w = who_decides(load_reference("krackhardt"), kinds="advice")
    >>> round(float(w["real_weight"].sum()), 9)
    1.0
    """
    fc = opinion_forecast(deal, kinds, weight, _W=_W) if _fc is None else _fc
    d = decision_weights(deal)
    r = _decision_influence(fc, d)
    st = deal.stakeholders
    ids = fc.final.index
    lam = fc.susceptibility.to_numpy()
    deciders = d[d > 0].sort_values(ascending=False).index[:8]
    # rows of V = (I − ΛW)⁻¹(I − Λ) for the deciders only: solve Aᵀ y = e_i
    E = np.zeros((len(ids), len(deciders)))
    E[[ids.get_loc(i) for i in deciders], np.arange(len(deciders))] = 1.0
    Vrows = fc._solve(E, trans=True).T * (1.0 - lam)[None, :]
    share = Vrows * d[deciders].to_numpy()[:, None]  # decider × person
    names = st["name"].astype(str)
    names.index = ids
    dnames = names[deciders].tolist()
    via = []
    for jj in range(len(ids)):
        col = share[:, jj]
        order = np.argsort(-col, kind="stable")[:3]
        via.append("; ".join(
            f"{'own say' if deciders[i] == ids[jj] else dnames[i]} ({100 * col[i]:.0f}%)"
            for i in order if col[i] > 0.005))
    out = pd.DataFrame({
        "name": names, "party": st["party"].to_numpy(), "title": st["title"].to_numpy(),
        "formal_weight": d.to_numpy(), "real_weight": r.to_numpy(),
        "stance": fc.initial.to_numpy(), "forecast": fc.final.to_numpy(), "via": via,
    }, index=ids)
    out["real_rank"] = out["real_weight"].rank(ascending=False, method="min").astype(int)
    out["evidence"] = [
        (f"carries {100 * rw:.0f}% of the forecast decision"
         + (f" (formal weight {100 * fw:.0f}%)" if fw > 0 else " with no formal say")
         + (f", through {v}" if v else ""))
        for rw, fw, v in zip(out["real_weight"], out["formal_weight"], out["via"], strict=True)]
    out = out.sort_values(["real_weight", "formal_weight"], ascending=False, kind="stable")
    out.attrs["basis"] = d.attrs["basis"]
    out.attrs["forecast_decision"] = float(d.to_numpy() @ fc.final.to_numpy())
    out.attrs["current_decision"] = float(d.to_numpy() @ fc.initial.to_numpy())
    return out


def formal_vs_informal(deal, kinds=None, measure="pagerank", threshold=0.25, weight="weight",
                       betweenness_k="auto", seed=0, _measures=None) -> pd.DataFrame:
    """Formal rank vs informal rank per person, with flags and the evidence for each flag.

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

    Returns
    -------
    pandas.DataFrame
        ``name``, ``title``, ``formal_score``, ``formal_rank``, ``formal_pct``, ``informal``
        (the measure), ``informal_rank``, ``informal_pct``, ``gap`` (informal − formal
        percentile), ``flag`` (``hidden influencer`` / ``formal-only`` / ""), ``evidence``.

    Examples
    --------
    >>> t = formal_vs_informal(load_reference("krackhardt"), kinds="advice", measure="in_degree")
    >>> t.loc["7", "flag"] == "hidden influencer"
    False
    """
    if measure not in MEASURES:
        raise ValueError(f"The 'measure' parameter of formal_vs_informal must be one of "
                         f"{', '.join(MEASURES)}. Got {measure!r} instead.")
    if not (isinstance(threshold, int | float) and 0 < threshold < 1):
        raise ValueError(f"The 'threshold' parameter of formal_vs_informal must be a number in "
                         f"(0, 1). Got {threshold!r} instead.")
    m = _measures if _measures is not None else measures(
        deal, kinds, weight, group=None, betweenness_k=betweenness_k, seed=seed)
    f = formal_scores(deal)
    n = len(f)
    if measure == "decision_influence" and "decision_influence" not in m:
        wd = who_decides(deal, kinds, weight)
        informal = wd["real_weight"].reindex(f.index)
    else:
        informal = m[measure].reindex(f.index).fillna(0.0)
    ir = informal.rank(ascending=False, method="average")
    out = pd.DataFrame({"name": m["name"].reindex(f.index), "title": m["title"].reindex(f.index),
                        "formal_score": f["formal_score"], "formal_rank": f["formal_rank"],
                        "formal_pct": f["formal_pct"], "informal": informal,
                        "informal_rank": ir, "informal_pct": (n - ir) / max(n - 1, 1)})
    out["gap"] = out["informal_pct"] - out["formal_pct"]
    top = 1.0 - threshold
    in_top_i = out["informal_pct"] >= top - 1e-12
    in_top_f = out["formal_pct"] >= top - 1e-12
    hidden = in_top_i & ~in_top_f
    formal_only = in_top_f & ~in_top_i
    out["flag"] = np.where(hidden, "hidden influencer", np.where(formal_only, "formal-only", ""))
    indeg = m["in_degree"].reindex(f.index).fillna(0).to_numpy()
    ev = []
    for fr, ir, val, so, sub, vs, bs, dg in zip(
            out["formal_rank"], out["informal_rank"], out["informal"], f["sign_off"],
            f["subordinates"], f["vote_share"], f["budget_share"], indeg, strict=True):
        parts = ["sign-off" if so else "no sign-off", f"{sub:.0f} in their reporting line"]
        if vs > 0:
            parts.append(f"{100 * vs:.0f}% of votes")
        if bs > 0:
            parts.append(f"{100 * bs:.0f}% of budget")
        ev.append(f"informal rank {ir:g} of {n} by {measure} ({val:.3g}); listened to by "
                  f"{dg:.0f} of {n - 1}; formal rank {fr:g} of {n} ({', '.join(parts)})")
    out["evidence"] = ev
    out.attrs.update(measure=measure, threshold=threshold, kinds=list(_kinds(kinds, "x")))
    return out


# -- engagement plan (greedy influence maximisation with lazy evaluation) ------------------------
DENSE_MAX = 1500


class _System:
    """The Friedkin–Johnsen system A_S z = b_S with the engaged set S held fixed.

    A = I − ΛW; an engaged person j gets the row e_j and b_j = y_j (committed at y_j, λ_j = 0).
    Dense LU up to DENSE_MAX people, else sparse GMRES.
    """

    def __init__(self, M, b, fixed: dict[int, float]):
        import scipy.sparse as sp

        self.n = M.shape[0]
        self.sparse = sp.issparse(M)
        rows = np.fromiter(fixed.keys(), dtype=int, count=len(fixed))
        b = b.copy()
        if len(rows):
            b[rows] = np.fromiter(fixed.values(), dtype=float, count=len(fixed))
        self.b = b
        if self.sparse:
            keep = np.ones(self.n)
            keep[rows] = 0.0
            self.A = (sp.identity(self.n, format="csr") - sp.diags(keep) @ M).tocsr()
            self.AT = self.A.T.tocsr()
        else:
            from scipy.linalg import lu_factor

            A = np.eye(self.n) - M
            A[rows] = 0.0
            A[rows, rows] = 1.0
            self.lu = lu_factor(A, check_finite=False)
        self.z = self.solve(self.b)

    def solve(self, rhs, trans=False):
        if not self.sparse:
            from scipy.linalg import lu_solve

            return lu_solve(self.lu, rhs, trans=1 if trans else 0, check_finite=False)
        import scipy.sparse.linalg as sla

        A = self.AT if trans else self.A
        x, info = sla.gmres(A, rhs, rtol=1e-11, atol=0.0, restart=60, maxiter=2000)
        if info != 0:  # pragma: no cover - fall back to a direct solve
            x = sla.spsolve(A.tocsc(), rhs)
        return x

    def diag_inv(self, j):
        e = np.zeros(self.n)
        e[j] = 1.0
        return float(self.solve(e)[j])


@dataclass
class EngagementPlan:
    """The ordered engagement plan and what it does to the forecast decision.

    ``steps``: one row per contact, in order — ``stakeholder``, ``gain`` (rise of the forecast
    decision from this contact), ``stance_before`` (their forecast stance when approached),
    ``stance_after`` (where the conversation moves them), ``forecast`` (the forecast decision
    after this step, sequential), ``forecast_at_once`` (the same people approached together at
    the start). ``stances`` has each person's ``stance`` (now), ``before`` (forecast without
    engagement) and ``after`` (forecast after the plan). ``baseline`` is the forecast decision
    without engagement; ``evaluations`` counts
    exact marginal-gain evaluations (CELF saves most of them). ``inputs`` and ``weights`` are the
    model's inputs (x₀, λ, d) and W.
    """

    steps: pd.DataFrame
    baseline: float
    evaluations: int
    method: str
    inputs: pd.DataFrame
    weights: pd.DataFrame
    effect: np.ndarray
    target: float
    stances: pd.DataFrame = None

    def __repr__(self) -> str:
        return (f"EngagementPlan(order={self.order!r}, baseline={self.baseline:.3f}, "
                f"final={self.final:.3f}, evaluations={self.evaluations})")

    @property
    def order(self) -> list:
        return self.steps["stakeholder"].tolist()

    @property
    def final(self) -> float:
        return float(self.steps["forecast"].iloc[-1]) if len(self.steps) else self.baseline

    @property
    def final_at_once(self) -> float:
        return float(self.steps["forecast_at_once"].iloc[-1]) if len(self.steps) else self.baseline


def plan_engagement(W, x0, d, k, susceptibility=None, *, effect=0.5, target=1.0,
                    candidates=None, method="celf", repeat=True) -> EngagementPlan:
    """Whom to approach, in what order, to raise the forecast decision most (k contacts).

    Model (Friedkin–Johnsen with committed contacts). The forecast decision is ``F = d · x*``.
    Approaching person j when their forecast stance is ``z_j`` moves them to
    ``y_j = z_j + effect · (target − z_j)`` and they commit to it (λ_j = 0, x₀_j = y_j): they
    keep that view and keep influencing those who listen to them. Contacts happen one after
    another; each starts from the stance the person has reached given the earlier contacts
    (momentum). With ``repeat`` a person may be approached again (each contact closes the same
    share of the remaining gap). With ``effect = 1`` and no repeats this is the "campaign"
    problem of Gionis, Terzi & Tsaparas (2013), whose objective is monotone and submodular.

    The marginal gain of j in state S is ``effect·(target − z_j)·g_j / c_jj`` with
    ``g = A_S⁻ᵀ d`` and ``c_jj = (A_S⁻¹)_jj ≥ 1`` (a rank-one update of the system), so
    ``effect·(target − z_j)·g_j`` is an upper bound needing no extra solve. Gains never grow
    as S grows (both factors shrink: z rises, hitting probabilities fall), so lazy evaluation
    (CELF, Leskovec et al. 2007; Minoux 1978) starting from those bounds returns exactly the
    plain greedy plan with far fewer exact evaluations.

    Parameters
    ----------
    W : array-like or pandas.DataFrame, shape (n, n)
        Row-stochastic influence matrix.
    x0 : array-like or Series
        Current stances.
    d : array-like or Series
        Non-negative decision weights (who formally decides), summing to 1.
    k : int ≥ 0
        Budget of contacts.
    susceptibility : None or array-like
        λ; None = I − diag(W).
    effect : float in (0, 1] or array-like of them, default 0.5
        Share of the distance to ``target`` one contact closes (one value, or one per person:
        how receptive each is).
    target : float, default 1.0
        The stance we argue for (1 = full support).
    candidates : list or None
        Who may be approached (labels of W); None = everyone.
    method : {"celf", "greedy"}
        Lazy (CELF) or plain greedy; both give the same plan.
    repeat : bool, default True
        Whether the same person may be approached more than once.

    Returns
    -------
    EngagementPlan

    Raises
    ------
    ValueError
        For invalid arguments.

    Examples
    --------
    A chain 0 ← 1 ← 2 (0 decides and listens to 1, who listens to 2), all neutral:

    >>> W = [[0.5, 0.5, 0], [0, 0.5, 0.5], [0, 0, 1]]
    >>> plan = plan_engagement(W, [0, 0, 0], [1, 0, 0], k=1, effect=1.0, repeat=False)
    >>> plan.order, round(plan.final, 6)
    ([0], 1.0)

    References
    ----------
    Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J. & Glance, N. (2007).
    Cost-effective outbreak detection in networks. *KDD '07*, 420–429.
    Gionis, A., Terzi, E. & Tsaparas, P. (2013). Opinion maximization in social networks.
    *SIAM SDM 2013*, 387–395.
    Kempe, D., Kleinberg, J. & Tardos, É. (2003). Maximizing the spread of influence through
    a social network. *KDD '03*, 137–146.
    """
    import heapq

    import scipy.sparse as sp

    func = "plan_engagement"
    Mw, labels = _as_matrix(W, "W", func)
    _check_stochastic(Mw, labels, "W", func)
    x = _as_vector(x0, labels, "x0", func)
    dv = _as_vector(d, labels, "d", func, lo=0.0, hi=np.inf)
    if dv.sum() <= 0:
        raise ValueError(f"The 'd' parameter of {func} must have a positive sum. Got all zeros "
                         f"instead.")
    dv = dv / dv.sum()
    lam = (np.clip(1.0 - np.diag(Mw), 0.0, 1.0) if susceptibility is None else
           _as_vector(susceptibility, labels, "susceptibility", func, lo=0.0, hi=1.0))
    if not (isinstance(k, int | np.integer) and k >= 0):
        raise ValueError(f"The 'k' parameter of {func} must be an int ≥ 0. Got {k!r} instead.")
    eff = _as_vector(effect, labels, "effect", func, lo=0.0, hi=1.0)
    if (eff <= 0).any():
        raise ValueError(f"The 'effect' parameter of {func} must lie in (0, 1]. Got "
                         f"{eff[eff <= 0][0]:g} instead.")
    if method not in ("celf", "greedy"):
        raise ValueError(f"The 'method' parameter of {func} must be 'celf' or 'greedy'. "
                         f"Got {method!r} instead.")
    _check_fj_converges(Mw, lam, labels, func)
    n = len(x)
    pos = {lab: i for i, lab in enumerate(labels)}
    if candidates is None:
        cand = list(range(n))
    else:
        bad = [c for c in candidates if c not in pos]
        if bad:
            raise ValueError(f"The 'candidates' parameter of {func} must list labels of W. "
                             f"Got unknown {bad[:5]} instead.")
        cand = sorted({pos[c] for c in candidates})
    M = lam[:, None] * Mw
    if n > DENSE_MAX:
        M = sp.csr_matrix(M)
    b = (1.0 - lam) * x

    def state(fixed):
        s = _System(M, b, fixed)
        s.g = s.solve(dv, trans=True)
        return s

    def exact(s, j):
        return eff[j] * (target - s.z[j]) * s.g[j] / s.diag_inv(j)

    fixed: dict[int, float] = {}
    s = state(fixed)
    baseline = float(dv @ s.z)
    z0 = s.z.copy()
    evals = 0
    chosen, rows = [], []
    tol = 1e-12
    if method == "celf":
        heap = [(-(eff[j] * max(target - s.z[j], 0.0) * max(s.g[j], 0.0)), j, -1) for j in cand]
        heapq.heapify(heap)
    remaining = list(cand)
    for step in range(k if repeat else min(k, len(cand))):
        best, best_gain = None, -np.inf
        if method == "greedy":
            for j in remaining:
                gj = exact(s, j)
                evals += 1
                if gj > best_gain + 1e-15:
                    best, best_gain = j, gj
        else:
            while heap:
                neg, j, stamp = heapq.heappop(heap)
                if stamp == step:
                    best, best_gain = j, -neg
                    break
                gj = exact(s, j)
                evals += 1
                heapq.heappush(heap, (-gj, j, step))
        if best is None or best_gain <= tol:
            break
        before = float(s.z[best])
        y = before + eff[best] * (target - before)
        fixed[best] = y
        chosen.append(best)
        if not repeat and method == "greedy":
            remaining.remove(best)
        elif repeat and method == "celf":
            # its old gain bounds the next contact's gain (gains never grow)
            heapq.heappush(heap, (-best_gain, best, -1))
        s = state(fixed)
        times = pd.Series(chosen).value_counts()
        once = _System(M, b, {j: z0[j] + (1 - (1 - eff[j]) ** m) * (target - z0[j])
                              for j, m in times.items()})
        rows.append({"step": step + 1, "stakeholder": labels[best], "gain": best_gain,
                     "stance_before": before, "stance_after": y, "forecast": float(dv @ s.z),
                     "forecast_at_once": float(dv @ once.z)})
    steps = pd.DataFrame(rows, columns=["step", "stakeholder", "gain", "stance_before",
                                        "stance_after", "forecast", "forecast_at_once"])
    idx = labels if isinstance(W, pd.DataFrame) else pd.RangeIndex(n)
    stances = pd.DataFrame({"stance": x, "before": z0, "after": s.z}, index=idx)
    return EngagementPlan(stances=stances, steps=steps, baseline=baseline, evaluations=evals, method=method,
                          inputs=pd.DataFrame({"stance": x, "susceptibility": lam,
                                               "decision_weight": dv, "effect": eff},
                                              index=idx),
                          weights=pd.DataFrame(Mw, index=idx, columns=idx),
                          effect=eff, target=float(target))


def _competitors(deal) -> set:
    """Third parties with the same role as us (e.g. a rival seller): not engagement targets."""
    p = deal.parties
    if "role" not in p.columns or deal.us not in p.index:
        return set()
    role = p.loc[deal.us, "role"]
    if role not in ("seller", "buyer"):
        return set()
    return set(p.index[(p["side"] == "third") & (p["role"] == role)].astype(str))


def engagement_candidates(deal) -> list:
    """Stakeholders we could approach: everyone except our own people and competitors."""
    st = deal.stakeholders
    skip = {str(deal.us)} | _competitors(deal)
    return [str(i) for i, p in zip(st.index, st["party"].astype(str), strict=True)
            if p not in skip]


def engagement_plan(deal, k=3, kinds=None, weight="weight", effect=0.5, target=1.0,
                    receptiveness="frame_fit", method="celf", repeat=False,
                    _W=None) -> EngagementPlan:
    """The engagement plan of a deal: :func:`plan_engagement` on its ties, stances and the
    formal decision (:func:`decision_weights`), approaching anyone but our own people and
    competitors (third parties with our role). ``steps`` gets a ``name`` column.

    A contact with person j closes ``effect × receptiveness_j`` of the gap to ``target``;
    receptiveness is the stakeholder column named by ``receptiveness`` (default ``frame_fit``:
    how far the problems they recognise map to what we offer; blank = 1), or 1 for everyone
    when None. ``repeat`` (default False): a budget of k contacts is k different people; with
    True the plan may return to someone already approached.

    Examples
    --------
    >>> plan = engagement_plan(load_reference("krackhardt"), k=2, kinds="advice")
    >>> plan.order[0]  # the CEO decides alone: win the CEO first
    '7'
    """
    W = influence_matrix(deal, kinds, weight) if _W is None else _W
    x0 = pd.to_numeric(deal.stakeholders["stance"], errors="coerce").fillna(0.0)
    x0.index = W.index
    d = decision_weights(deal)
    eff = np.full(len(W), float(effect))
    if receptiveness is not None:
        rec = pd.to_numeric(deal.stakeholders[receptiveness], errors="coerce").fillna(1.0)
        eff = np.clip(eff * rec.to_numpy(dtype=float), 1e-6, 1.0)
    plan = plan_engagement(W, x0, d, int(k), effect=eff, target=target,
                           candidates=engagement_candidates(deal), method=method, repeat=repeat)
    names = deal.stakeholders["name"].astype(str)
    names.index = W.index
    plan.steps.insert(2, "name", plan.steps["stakeholder"].map(names))
    return plan


# -- long-term relationship gaps -----------------------------------------------------------------
def relationship_gaps(deal, kinds=None, weight="weight", top=5, target=1.0,
                      screen=200, _W=None, _fc=None) -> pd.DataFrame:
    """Which new relationship from us would most raise our access or the forecast decision.

    Our team is one extra voice ``us`` holding the stance ``target`` and listening to no one.
    A new relationship with person j means j starts listening to us with the weight of j's
    average existing tie (1 if none); j's row of W is rebuilt by the rule of
    :func:`influence_matrix` (their susceptibility stays as given, or becomes
    (dⱼ + 1)/(dⱼ + 2) by the default rule). The effect on the Friedkin–Johnsen forecast is a
    rank-one update: with ``r`` the change of row j of A = I − ΛW, Δb the change of its
    right-hand side, ``c = A⁻¹e_j`` and ``g = A⁻ᵀd``,

    ``ΔD = g_j (Δb − r·z) / (1 + r·c)``, and our **access** (share of the decision that traces
    back to our voice) becomes ``g_j λ'_j W'_{j,us} / (1 + r·c)``.

    Parameters
    ----------
    deal : powerkit.Deal
    kinds, weight
        As in :func:`influence_matrix`.
    top : int, default 5
        Rows returned.
    target : float, default 1.0
        Our stance.
    screen : int, default 200
        With more candidates than this, only the ``screen`` with the largest ``g_j`` (the weight
        of j's final view in the decision) are evaluated exactly.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``forecast_gain``: ``stakeholder``, ``name``, ``party``, ``forecast_gain``,
        ``access`` (share of the decision our new voice would carry), ``new_forecast``.
        Candidates: everyone outside our party and competitors who does not already listen
        to one of our people.

    Examples
    --------
    >>> gaps = relationship_gaps(load_reference("krackhardt"), kinds="advice", top=1)
    >>> gaps["stakeholder"].tolist()  # the CEO decides: a relationship with the CEO first
    ['7']
    """
    # The virtual node "us" (index n) has the row e_n and b_n = target, and nobody listens to
    # it yet, so the (n+1)-system decouples: z = (z*, target), g = (g*, 0), A⁻¹e_j = (c*, 0).
    fc = opinion_forecast(deal, kinds, weight, _W=_W) if _fc is None else _fc
    W = fc.weights
    ids = list(W.index)
    n = len(ids)
    pos = {s: i for i, s in enumerate(ids)}
    st = deal.stakeholders
    x0 = fc.initial.to_numpy()
    d = decision_weights(deal).to_numpy()
    lam = fc.susceptibility.to_numpy()
    A = fc._A
    b = (1.0 - lam) * x0
    z = np.append(fc.final.to_numpy(), target)
    g = np.append(fc._solve(d, trans=True), 0.0)
    base = float(d @ z[:n])
    ours = {str(i) for i, p in zip(st.index, st["party"].astype(str), strict=True)
            if p == str(deal.us)}
    ties = _tie_table(deal, kinds, weight, "relationship_gaps")
    listens_to_us = set(ties.loc[ties["target"].isin(ours), "source"])
    cand = [s for s in engagement_candidates(deal) if s not in listens_to_us]
    if len(cand) > screen:
        cand = sorted(cand, key=lambda s: -g[pos[s]])[:screen]
    sus = pd.to_numeric(st["susceptibility"], errors="coerce").to_numpy(dtype=float)
    by_source = {src: grp for src, grp in ties.groupby("source", sort=False)}
    js = [pos[c] for c in cand]
    E = np.zeros((n, len(js)))
    E[js, np.arange(len(js))] = 1.0
    C = fc._solve(E) if js else E  # columns c = A⁻¹ e_j (the us-entry is 0)
    name = st["name"].astype(str).to_numpy()
    party = st["party"].astype(str).to_numpy()
    rows = []
    for col, (s, j) in enumerate(zip(cand, js, strict=True)):
        mine = by_source.get(s)
        a = np.zeros(n + 1)
        if mine is not None and len(mine):
            np.add.at(a, [pos[t] for t in mine["target"]], mine["w"].to_numpy())
            w_new = float(mine["w"].mean())
        else:
            w_new = 1.0
        a[n] += w_new
        deg = int((a > 0).sum())
        lam_new = sus[j] if np.isfinite(sus[j]) else deg / (deg + 1.0)
        Wrow = lam_new * a / a.sum()
        Wrow[j] += 1.0 - lam_new
        new_row = -lam_new * Wrow
        new_row[j] += 1.0
        r = new_row
        r[:n] -= A[j]
        db = (1.0 - lam_new) * x0[j] - b[j]
        denom = 1.0 + r[:n] @ C[:, col]
        gain = g[j] * (db - r @ z) / denom
        access = g[j] * lam_new * Wrow[n] / denom
        rows.append({"stakeholder": s, "name": name[j], "party": party[j],
                     "forecast_gain": gain, "access": access, "new_forecast": base + gain})
    out = pd.DataFrame(rows, columns=["stakeholder", "name", "party", "forecast_gain", "access",
                                      "new_forecast"])
    out = out.sort_values(["forecast_gain", "access"], ascending=False, kind="stable")
    out.attrs["baseline"] = base
    return out.head(top).reset_index(drop=True)


# -- factions ------------------------------------------------------------------------------------
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
        raise ValueError(f"The 'a' and 'b' parameters of {func} must be two different nodes of "
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


# -- one call for the widgets and the report -----------------------------------------------------
_CACHE: dict = {}
_CACHE_MAX = 16


def _cached(key, deal, compute):
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is deal:
        return hit[1]
    value = compute()
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (deal, value)
    return value


def kind_options(deal) -> list:
    """Choices for a tie-kind selector: ``"all"`` plus the kinds present in the deal."""
    present = [] if not deal.has("ties") else [k for k in TIE_KINDS
                                                 if (deal.ties["kind"] == k).any()]
    return ["all", *present]


@dataclass
class InfluenceView:
    """Everything walkthrough 2 shows for one choice of tie kind, measure, threshold, budget.

    ``measures`` (centralities and brokerage roles), ``table`` (formal vs informal with flags),
    ``who`` (:func:`who_decides`), ``plan`` (:class:`EngagementPlan`), ``gaps``
    (:func:`relationship_gaps`), ``headline`` (plain values) and the parameters used.
    """

    kind: str
    measure: str
    threshold: float
    budget: int
    measures: pd.DataFrame
    table: pd.DataFrame
    who: pd.DataFrame
    plan: EngagementPlan
    headline: dict
    _gaps: object = field(repr=False, default=None)

    @cached_property
    def gaps(self) -> pd.DataFrame:
        """:func:`relationship_gaps` (computed on first use)."""
        return self._gaps()

    @property
    def flagged(self) -> pd.DataFrame:
        return self.table[self.table["flag"] != ""]


def what_if(deal, kind="all", measure="pagerank", threshold=0.25, budget=3, effect=0.5,
            group="department", weight="weight", betweenness_k="auto", seed=0) -> InfluenceView:
    """The widget callback of walkthrough 2: the whole influence analysis for one setting.

    Measures and the decision analysis are cached per deal and tie kind, so moving the
    threshold, the measure or the budget only recomputes what depends on it.

    Parameters
    ----------
    deal : powerkit.Deal
    kind : str, default "all"
        ``"all"`` or one tie kind (see :func:`kind_options`).
    measure : str, default "pagerank"
        Informal measure for the formal-vs-informal comparison (:data:`MEASURES`).
    threshold : float in (0, 1), default 0.25
        Size of the top band for the flags.
    budget : int ≥ 0, default 3
        Contacts in the engagement plan.
    effect : float in (0, 1], default 0.5
        Share of the gap to full support one contact closes (times ``frame_fit``).
    group : str or None, default "department"
        Group attribute for brokerage roles.

    Returns
    -------
    InfluenceView

    Examples
    --------
    >>> v = what_if(load_reference("krackhardt"), kind="advice", measure="in_degree")
    >>> v.headline["most_sought_after"], v.headline["formal_decider"]
    ('Manager 2 (VP)', 'Manager 7 (CEO)')
    """
    if kind not in ("all", *TIE_KINDS):
        raise ValueError(f"The 'kind' parameter of what_if must be 'all' or one of "
                         f"{', '.join(TIE_KINDS)}. Got {kind!r} instead.")
    if not (isinstance(budget, int | np.integer) and budget >= 0):
        raise ValueError(f"The 'budget' parameter of what_if must be an int ≥ 0. Got "
                         f"{budget!r} instead.")
    kinds = None if kind == "all" else kind
    key = (id(deal), kind, weight, group, betweenness_k, seed)
    grp = group if (group is not None and group in deal.stakeholders.columns
                    and deal.stakeholders[group].notna().any()) else None
    m = _cached(("m", *key), deal, lambda: measures(deal, kinds, weight, grp, betweenness_k,
                                                     seed))
    W = _cached(("W", *key), deal, lambda: influence_matrix(deal, kinds, weight))
    fc = _cached(("f", *key), deal, lambda: opinion_forecast(deal, kinds, weight, _W=W))
    who = _cached(("w", *key), deal, lambda: who_decides(deal, kinds, weight, _fc=fc))
    if measure == "decision_influence":
        m = m.assign(decision_influence=who["real_weight"].reindex(m.index))
    table = formal_vs_informal(deal, kinds, measure, threshold, weight, _measures=m)
    plan = _cached(("p", *key, int(budget), float(effect)), deal,
                   lambda: engagement_plan(deal, int(budget), kinds, weight, effect=effect,
                                           _W=W))
    headline = _headline(deal, m, table, who, plan)
    return InfluenceView(kind=kind, measure=measure, threshold=float(threshold),
                         budget=int(budget), measures=m, table=table, who=who, plan=plan,
                         headline=headline,
                         _gaps=lambda: _cached(("g", *key), deal, lambda: relationship_gaps(
                             deal, kinds, weight, _fc=fc)))


def _headline(deal, m, table, who, plan) -> dict:
    top = who.iloc[0]
    formal_top = who.sort_values("formal_weight", ascending=False, kind="stable").iloc[0]
    sought = m.sort_values("in_degree", ascending=False, kind="stable")
    h = {
        "decision_basis": who.attrs["basis"],
        "who_really_decides": str(top["name"]),
        "who_really_decides_id": str(who.index[0]),
        "who_really_decides_share": round(float(top["real_weight"]), 3),
        "who_really_decides_formal_weight": round(float(top["formal_weight"]), 3),
        "formal_decider": str(formal_top["name"]),
        "formal_decider_id": str(formal_top.name),
        "most_sought_after": str(sought["name"].iloc[0]),
        "most_sought_after_id": str(sought.index[0]),
        "most_sought_after_in_degree": int(sought["in_degree"].iloc[0]),
        "hidden_influencers": [str(x) for x in table.loc[table["flag"] == "hidden influencer",
                                                         "name"]],
        "formal_only": [str(x) for x in table.loc[table["flag"] == "formal-only", "name"]],
        "decision_now": round(float(who.attrs["current_decision"]), 3),
        "forecast_decision": round(float(plan.baseline), 3),
        "engage_order": [str(x) for x in plan.steps["name"]],
        "engage_order_ids": [str(x) for x in plan.steps["stakeholder"]],
        "forecast_after_plan": round(plan.final, 3),
        "forecast_at_once": round(plan.final_at_once, 3),
    }
    if "brokerage_total" in m and m["brokerage_total"].max() > 0:
        b = m.sort_values("brokerage_total", ascending=False, kind="stable")
        h["top_broker"] = str(b["name"].iloc[0])
        h["top_broker_brokerage"] = int(b["brokerage_total"].iloc[0])
    else:
        h["top_broker"] = None
        h["top_broker_brokerage"] = 0
    return h


TEACHING = """\
**Formal vs informal power.** The org chart says who *may* decide; the network of advice and
trust says who is *listened to*. They often disagree: a vendor can court the person with the
title and the budget for months while the decision is really shaped by someone the decision
makers go to for advice. Here each person's formal power (sign-off, votes, budget, people in
their reporting line) is set against their informal power in the network, and the
Friedkin–Johnsen model of social influence traces how much of the decision's final stance goes
back to each person's own view — through the people who listen to them."""


def report_section(deal, kind="all", measure="pagerank", threshold=0.25, budget=3, effect=0.5,
                   group="department", **_):
    """Walkthrough 2's part of the client report: who really decides, and whom to engage in
    which order.

    Parameters are those of :func:`what_if`. Without a ``ties`` table the section is returned
    with ``missing`` set (never raises for that).

    Returns
    -------
    powerkit.sections.Section
        ``key="influence"``; ``headline`` with ``who_really_decides`` (name),
        ``who_really_decides_share``, ``formal_decider``, ``hidden_influencers``,
        ``engage_order`` (names, in order), ``forecast_decision`` (no engagement),
        ``forecast_after_plan``, ``forecast_at_once``, ``build_relationship_with``,
        ``top_broker`` and more.

    Examples
    --------
    >>> s = report_section(load_reference("krackhardt"), kind="advice")
    >>> s.headline["formal_decider"], s.missing is None
    ('Manager 7 (CEO)', True)
    """
    from . import plots
    from .sections import Section
    from .text import esc

    title = "Formal vs informal power: who really decides"
    if not deal.has("ties"):
        return Section(key="influence", title=title,
                       missing="No ties table in this deal: the informal influence analysis "
                               "(who really decides, whom to engage first) is left out.")
    v = what_if(deal, kind=kind, measure=measure, threshold=threshold, budget=budget,
                effect=effect, group=group)
    h = dict(v.headline)
    h["build_relationship_with"] = (str(v.gaps["name"].iloc[0]) if len(v.gaps) else None)
    share = h["who_really_decides_share"]
    formal_say = h["who_really_decides_formal_weight"] > 0
    order = h["engage_order"]
    summary = (f"{esc(h['who_really_decides'])} carries {100 * share:.0f}% of the forecast "
               f"decision{'' if formal_say else ' without any formal say'}; "
               + (f"engage in this order: {', '.join(esc(n) for n in order)}, which moves the "
                  f"forecast decision from {h['forecast_decision']:+.2f} to "
                  f"{h['forecast_after_plan']:+.2f}."
                  if order else "no contact moves the forecast decision."))
    names = deal.stakeholders["name"].astype(str)
    names.index = names.index.astype(str)
    who = v.who.head(8)[["name", "title", "formal_weight", "real_weight", "stance", "forecast",
                         "evidence"]].copy()
    who[["formal_weight", "real_weight"]] = (who[["formal_weight", "real_weight"]] * 100).round(1)
    who[["stance", "forecast"]] = who[["stance", "forecast"]].round(2)
    who = who.rename(columns={"formal_weight": "formal say (%)",
                              "real_weight": "share of the decision (%)",
                              "forecast": "forecast stance"})
    flagged = v.flagged[["name", "title", "flag", "evidence"]]
    steps = v.plan.steps[["step", "name", "stance_before", "stance_after", "forecast",
                          "forecast_at_once"]].round(3)
    steps = steps.rename(columns={"stance_before": "their stance when approached",
                                  "stance_after": "after the conversation",
                                  "forecast": "forecast decision after this step",
                                  "forecast_at_once": "same people at once"})
    blocks = [
        TEACHING,
        f"**The decision:** {esc(deal.meta.decision)}. Who formally decides: by "
        f"{esc(h['decision_basis'].replace('_', ' '))}. The tie kinds used: "
        f"{esc(kind)}.",
        "### Who really decides",
        "Share of the decision = how much of the forecast decision traces back to each "
        "person's own view (Friedkin–Johnsen total influence, weighted by formal say). "
        "Someone with no formal say but a large share decides through those who listen to them.",
        who,
        plots.rank_scatter_figure(v.table),
        "Above the diagonal: more informal than formal power; flagged people are labelled.",
    ]
    if len(flagged):
        blocks.append(flagged)
    blocks += [
        "### Engage in this order",
        f"Greedy plan (lazy evaluation, CELF) for {v.budget} contacts: each contact closes "
        f"{100 * effect:.0f}% of the gap to full support (scaled by how well our offer fits "
        f"the problems they recognise), and the person then holds that view. A later contact "
        f"starts from the stance the earlier ones have already produced: that is the momentum "
        f"of one-to-one engagement, compared with approaching the same people at once.",
        steps,
        plots.forecast_path_figure(v.plan),
    ]
    if len(v.gaps):
        g = v.gaps[["name", "party", "forecast_gain", "access"]].round(3)
        blocks += ["### Relationships to build",
                   "If this person started listening to us (one relationship as strong as "
                   "their average tie), the forecast decision would rise by `forecast_gain`, "
                   "and `access` of it would trace back to our voice.", g]
    return Section(key="influence", title=title, blocks=blocks, headline=h, summary=summary)


def factions(deal, kinds=None, a=None, b=None, weight="weight") -> pd.DataFrame:
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


def systemic_inputs(deal, kinds=None, weight="weight") -> pd.DataFrame:
    """Computed systemic inputs for :func:`powerkit.power.power_profile` (``systemic_inputs=``).

    ``access`` of a party = the share of the forecast decision that traces back to the views
    of that party's people (Σ of their ``real_weight`` in :func:`who_decides`, in [0, 1]): how
    far the party's voice reaches the people who decide, directly or through those they listen
    to. The counterpart (whose decision it is) gets no row.

    Returns
    -------
    pandas.DataFrame
        Indexed by party, column ``access``; ``attrs["provenance"]`` says how it was computed.

    Examples
    --------
    >>> si = systemic_inputs(load_reference("krackhardt"))
    >>> float(si.loc["us", "access"])  # our team has no people in the network yet
    0.0
    """
    who = who_decides(deal, kinds, weight)
    share = who.groupby("party")["real_weight"].sum()
    parties = [p for p in deal.parties.index.astype(str) if p != str(deal.counterpart)]
    out = pd.DataFrame({"access": [float(np.clip(share.get(p, 0.0), 0.0, 1.0))
                                   for p in parties]},
                       index=pd.Index(parties, name="party"))
    out.attrs["provenance"] = ("powerkit.influence.systemic_inputs: share of the "
                               "Friedkin–Johnsen forecast decision tracing back to the party's "
                               f"people (ties: {'all' if kinds is None else kinds})")
    return out
