"""Opinion dynamics on the influence network: DeGroot consensus weights, the Friedkin–Johnsen
forecast of every stance, and who really decides (formal decision rights carried through the
people who listen to each other). Formulas and references: docs/methods/influence.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ..errors import InputError, NoConsensusError
from .matrices import (
    SparseWeights,
    as_matrix,
    as_vector,
    as_weights,
    check_stochastic,
    influence_matrix,
    sparse_system,
)

__all__ = ["DENSE_MAX", "OpinionForecast", "friedkin_johnsen", "check_converges",
           "sparse_solve", "block_bicgstab", "auto_influence_matrix",
           "degroot_weights", "decision_weights", "opinion_forecast", "who_decides"]

DENSE_MAX = 1500  # dense LU up to this many people, sparse iterative solves above
SOLVE_BLOCK = 64  # right-hand sides solved together by block_bicgstab


def block_bicgstab(M, B, rtol=1e-12, maxiter=None):
    """BiCGSTAB on every column of ``B`` at once (van der Vorst 1992): the same recurrences as
    :func:`scipy.sparse.linalg.bicgstab`, with one set of scalars per column, so each iteration
    is two sparse × dense-block products instead of 2·k sparse × vector ones. The shadow
    residual is a fixed pseudo-random block (seed 0; the unit right-hand sides of V's columns
    break BiCGSTAB down when it starts from r̂ = r₀). A column stops when its residual is
    below ``rtol``·‖b‖. Returns ``(X, converged)``, ``converged`` a boolean per column.

    References: van der Vorst, H. A. (1992). Bi-CGSTAB: a fast and smoothly converging variant
    of Bi-CG for the solution of nonsymmetric linear systems. *SIAM J. Sci. Stat. Comput.*
    13(2), 631–644.
    """
    B = np.asarray(B, dtype=float)
    n, k = B.shape
    maxiter = 20 * n if maxiter is None else maxiter
    dot = lambda a, b: np.einsum("ij,ij->j", a, b)  # noqa: E731 - column-wise dot products
    X = np.zeros((n, k))
    bb = dot(B, B)
    converged = bb == 0
    act = np.flatnonzero(~converged)                 # columns still iterating
    R = B[:, act].copy()
    Xa = np.zeros_like(R)                            # their iterates
    Rh = np.random.default_rng(0).standard_normal((n, len(act)))
    rho, alpha, omega = (np.ones(len(act)) for _ in range(3))
    V = np.zeros_like(R)
    P = np.zeros_like(R)
    tol2 = rtol * rtol * bb[act]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(maxiter):
            if not len(act):
                break
            rho_new = dot(Rh, R)
            beta = (rho_new / rho) * (alpha / omega)
            P -= omega * V                           # p = r + β (p − ω v)
            P *= beta
            P += R
            V = M @ P
            alpha = rho_new / dot(Rh, V)
            R -= alpha * V                           # s = r − α v (kept in R)
            T = M @ R
            tt = dot(T, T)
            omega = np.where(tt > 0, dot(T, R) / np.where(tt > 0, tt, 1.0), 0.0)
            bad = ~(np.isfinite(alpha) & np.isfinite(omega) & np.isfinite(beta))  # breakdown
            if bad.any():
                alpha = np.where(bad, 0.0, alpha)
                omega = np.where(bad, 0.0, omega)
            Xa += alpha * P                          # x += α p + ω s
            Xa += omega * R
            R -= omega * T                           # r = s − ω t
            rho = rho_new
            good = ~bad & (dot(R, R) <= tol2)
            done = good | bad | (omega == 0)         # ω = 0 unconverged: stalled
            if done.any():
                X[:, act[done & ~bad]] = Xa[:, done & ~bad]
                converged[act[good]] = True
                keep = ~done                         # the rest are left to the fallback
                act, R, Rh, P, V, Xa = (act[keep], R[:, keep], Rh[:, keep], P[:, keep],
                                        V[:, keep], Xa[:, keep])
                rho, alpha, omega, tol2 = rho[keep], alpha[keep], omega[keep], tol2[keep]
    if len(act):
        X[:, act] = Xa
    return X, converged


def sparse_solve(A, AT, rhs, trans=False, rtol=1e-12):
    """Solve A x = rhs (or Aᵀ x = rhs) for a sparse A: all columns of ``rhs`` together by
    :func:`block_bicgstab` (BiCGSTAB was the fastest measured on I − ΛW,
    docs/methods/influence.md "Company scale"), then, for any column it did not bring below
    ``rtol``, scipy's BiCGSTAB, GMRES if that stalls and a direct sparse LU as the last resort.
    ``AT`` is Aᵀ in CSR."""
    import scipy.sparse.linalg as sla

    M = AT if trans else A
    R = np.asarray(rhs, dtype=float)
    n = M.shape[0]
    cols = R.reshape(n, -1)
    out = np.empty_like(cols)
    ok = np.zeros(cols.shape[1], dtype=bool)
    for start in range(0, cols.shape[1], SOLVE_BLOCK):  # memory ≈ 8 · n · SOLVE_BLOCK floats
        sl = slice(start, start + SOLVE_BLOCK)
        out[:, sl], ok[sl] = block_bicgstab(M, cols[:, sl], rtol=rtol, maxiter=min(20 * n, 1000))
    for k in np.flatnonzero(~ok):
        b = cols[:, k]
        x, info = sla.bicgstab(M, b, rtol=rtol, atol=0.0, maxiter=20 * n)
        if info != 0:  # stagnated near the tolerance: GMRES from where it stopped
            x, info = sla.gmres(M, b, x0=x if np.all(np.isfinite(x)) else None, rtol=rtol,
                                atol=0.0, restart=80, maxiter=2000)
        if info != 0:  # pragma: no cover - direct fallback
            x = sla.spsolve(M.tocsc(), b)
        out[:, k] = x
    return out.reshape(R.shape)


@dataclass
class OpinionForecast:
    """Where opinions end up under Friedkin–Johnsen: x* = (I − ΛW)⁻¹ (I − Λ) x₀.

    ``final`` is the forecast; ``inputs`` (initial opinions and susceptibilities) and
    ``weights`` (W) are what made it; ``total_influence`` is V = (I − ΛW)⁻¹(I − Λ), so
    ``final = V @ initial`` and ``contributions[i, j] = V[i, j]·x₀[j]`` is the part of i's final
    opinion that comes from j's initial one. ``social_power[j]`` is the mean of column j of V
    (Friedkin's "social power": j's average share in everyone's final opinion).
    ``np.asarray(forecast)`` gives the final opinions. ``system`` is A = I − ΛW and
    :meth:`solve` solves A x = b (or Aᵀ x = b) with one factorisation kept for the forecast.
    """

    final: pd.Series
    initial: pd.Series
    susceptibility: pd.Series
    weights: pd.DataFrame
    system: np.ndarray = field(repr=False, default=None)
    _lu: object = field(repr=False, default=None)

    def solve(self, rhs, trans=False):
        """Solve A x = rhs (or Aᵀ x = rhs): dense LU up to DENSE_MAX people (dense systems),
        else sparse iterative solves (:func:`sparse_solve`)."""
        import scipy.sparse as sp

        n = self.system.shape[0]
        if sp.issparse(self.system) or n > DENSE_MAX:
            if self._lu is None:
                A = sp.csr_matrix(self.system)
                self._lu = (A, A.T.tocsr())
            return sparse_solve(self._lu[0], self._lu[1], rhs, trans)
        from scipy.linalg import lu_factor, lu_solve

        if self._lu is None:
            self._lu = lu_factor(self.system, check_finite=False)
        return lu_solve(self._lu, rhs, trans=1 if trans else 0, check_finite=False)

    @property
    def is_sparse(self) -> bool:
        """Whether W and A are kept sparse (large deals): then :attr:`total_influence` (n × n)
        should be avoided in favour of :meth:`influence_rows`, :meth:`influence_columns` and
        :meth:`influence_on_others`."""
        import scipy.sparse as sp

        return sp.issparse(self.system)

    def influence_rows(self, people) -> pd.DataFrame:
        """Rows of V = (I − ΛW)⁻¹(I − Λ) for the given people (labels): row i says how much of
        i's final opinion comes from each person's initial one. One transposed solve per row;
        memory ∝ rows × n.

        >>> fc = friedkin_johnsen([[0.5, 0.5], [0.0, 1.0]], [0.0, 1.0])
        >>> fc.influence_rows([0]).round(6).values.tolist()
        [[0.666667, 0.333333]]
        """
        idx = self.final.index
        pos = idx.get_indexer(list(people))
        if (pos < 0).any():
            raise InputError(f"influence_rows: unknown people "
                             f"{[p for p, q in zip(people, pos, strict=True) if q < 0][:5]}.")
        E = np.zeros((len(idx), len(pos)))
        E[pos, np.arange(len(pos))] = 1.0
        lam = self.susceptibility.to_numpy()
        rows = self.solve(E, trans=True).T * (1.0 - lam)[None, :]
        return pd.DataFrame(rows, index=idx[pos], columns=idx)

    def influence_columns(self, people) -> pd.DataFrame:
        """Columns of V for the given people (labels): column j says how much of everyone's
        final opinion comes from j's initial one. One solve per column; memory ∝ n × columns.

        >>> fc = friedkin_johnsen([[0.5, 0.5], [0.0, 1.0]], [0.0, 1.0])
        >>> fc.influence_columns([1]).round(6).values.ravel().tolist()
        [0.333333, 1.0]
        """
        idx = self.final.index
        pos = idx.get_indexer(list(people))
        if (pos < 0).any():
            raise InputError(f"influence_columns: unknown people "
                             f"{[p for p, q in zip(people, pos, strict=True) if q < 0][:5]}.")
        E = np.zeros((len(idx), len(pos)))
        lam = self.susceptibility.to_numpy()
        E[pos, np.arange(len(pos))] = 1.0 - lam[pos]
        return pd.DataFrame(self.solve(E), index=idx, columns=idx[pos])

    def influence_on_others(self, block: int = 256) -> pd.Series:
        """Σ_{i ≠ j} V[i, j] per person j: how much of the others' final opinions traces back to
        j's initial one (the column sums of V without its diagonal).

        The column sums are one transposed solve, ``1ᵀV = (A⁻ᵀ1)ᵀ(I − Λ)``. The diagonal
        ``V[j, j] = (1 − λⱼ)(A⁻¹)ⱼⱼ`` is read from the dense LU for small deals; for sparse
        ones it comes from solves in blocks of ``block`` unit vectors, keeping only the
        diagonal entry of each (time ∝ n solves, memory ∝ n × block, never n × n).

        >>> fc = friedkin_johnsen([[0.5, 0.5], [0.0, 1.0]], [0.0, 1.0])
        >>> fc.influence_on_others().round(6).tolist()  # 0 moves no one; 1 makes 1/3 of 0's
        [0.0, 0.333333]
        """
        idx = self.final.index
        n = len(idx)
        lam = self.susceptibility.to_numpy()
        colsum = self.solve(np.ones(n), trans=True) * (1.0 - lam)
        diag = np.empty(n)
        for start in range(0, n, block):
            js = np.arange(start, min(n, start + block))
            E = np.zeros((n, len(js)))
            E[js, np.arange(len(js))] = 1.0
            diag[js] = self.solve(E)[js, np.arange(len(js))]
        return pd.Series(colsum - diag * (1.0 - lam), index=idx, name="influence_on_others")

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.final.to_numpy(), dtype=dtype)

    @property
    def inputs(self) -> pd.DataFrame:
        return pd.DataFrame({"initial": self.initial, "susceptibility": self.susceptibility})

    @cached_property
    def total_influence(self) -> pd.DataFrame:
        lam = self.susceptibility.to_numpy()
        V = self.solve(np.diag(1.0 - lam))
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
    W : array-like, pandas.DataFrame, SparseWeights or scipy sparse matrix, shape (n, n)
        Row-stochastic influence matrix (row i = whom i listens to), e.g. from
        :func:`influence_matrix`. A sparse W keeps the whole model sparse (memory ∝ ties):
        the system I − ΛW is solved iteratively, never inverted.
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
    import scipy.sparse as sp

    func = "friedkin_johnsen"
    M, labels = as_weights(W, "W", func)
    check_stochastic(M, labels, "W", func)
    x = as_vector(x0, labels, "x0", func)
    diag = M.diagonal() if sp.issparse(M) else np.diag(M)
    if susceptibility is None:
        lam = np.clip(1.0 - diag, 0.0, 1.0)
    else:
        lam = as_vector(susceptibility, labels, "susceptibility", func, lo=0.0, hi=1.0)
    check_converges(M, lam, labels, func)
    idx = labels if isinstance(W, pd.DataFrame | SparseWeights) else pd.RangeIndex(len(x))
    if sp.issparse(M):
        A = sparse_system(M, lam)
        weights = SparseWeights(M, idx)
    else:
        A = np.eye(len(x)) - lam[:, None] * M
        weights = pd.DataFrame(M, index=idx, columns=idx)
    out = OpinionForecast(final=None,
                           initial=pd.Series(x, index=idx, name="initial"),
                           susceptibility=pd.Series(lam, index=idx, name="susceptibility"),
                           weights=weights, system=A)
    out.final = pd.Series(out.solve((1.0 - lam) * x), index=idx, name="final")
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


def check_converges(M, lam, labels, func):
    """Raise :class:`~powerkit.errors.NoConsensusError` when some closed group of the listening
    graph of M is fully susceptible (λ = 1): Friedkin–Johnsen then has no unique limit."""
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
    M, labels = as_matrix(T, "T", func)
    check_stochastic(M, labels, "T", func)
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




def decision_weights(deal) -> pd.Series:
    """Who formally decides, as weights d summing to 1 (the "formal decision").

    In order of precedence: ``vote_weight`` (a voting body), else equal weights on the
    ``sign_off`` holders, else ``budget_authority``, else equal weights on the counterpart's
    people, else everyone. ``d.attrs["basis"]`` names the rule used.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
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
    raise InputError("decision_weights needs at least one stakeholder")  # pragma: no cover


def opinion_forecast(deal, kinds=None, weight="weight", *, W=None) -> OpinionForecast:
    """Friedkin–Johnsen forecast of each stakeholder's stance on our proposal.

    W from :func:`~powerkit.influence.influence_matrix` (or the ``W`` given, e.g. one already
    computed for the same deal and kinds), x₀ = ``stance`` (blank = 0), Λ = I − diag(W).

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> fc = opinion_forecast(load_reference("krackhardt"))
    >>> float(fc.final.abs().max())  # all stances unknown (0): nothing moves
    0.0
    """
    W = auto_influence_matrix(deal, kinds, weight) if W is None else W
    x0 = pd.to_numeric(deal.stakeholders["stance"], errors="coerce").fillna(0.0)
    x0.index = W.index
    return friedkin_johnsen(W, x0)


def auto_influence_matrix(deal, kinds=None, weight="weight"):
    """:func:`influence_matrix`, sparse (:class:`SparseWeights`) above :data:`DENSE_MAX`
    people, the dense DataFrame otherwise.

    >>> from powerkit.deal.reference import load_reference
    >>> type(auto_influence_matrix(load_reference("krackhardt"))).__name__
    'DataFrame'
    """
    return influence_matrix(deal, kinds, weight, sparse=len(deal.stakeholders) > DENSE_MAX)


def _decision_influence(fc: OpinionForecast, d: pd.Series) -> pd.Series:
    """r_j = Σ_i d_i V[i, j]: share of the decision that traces back to j's own view."""
    lam = fc.susceptibility.to_numpy()
    g = fc.solve(d.reindex(fc.final.index).to_numpy(), trans=True)
    return pd.Series(g * (1.0 - lam), index=fc.final.index, name="decision_influence")


def who_decides(deal, kinds=None, weight="weight", *, W=None, forecast=None) -> pd.DataFrame:
    """Who really decides: formal decision rights combined with informal influence.

    The formal decision is ``D = Σ_i d_i x_i`` over the people who formally decide
    (:func:`decision_weights`). Under Friedkin–Johnsen, ``x* = V x₀``, so the forecast decision
    is ``D* = Σ_j r_j x₀_j`` with ``r_j = Σ_i d_i V[i, j]``: ``r_j`` is the share of the decision
    that traces back to ``j``'s own view (Σ r = 1). Someone with ``d = 0`` but a large ``r`` decides
    through the people who listen to them. ``W`` or ``forecast`` (:func:`opinion_forecast` of
    the same deal and kinds), when given, are used instead of being computed again.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``real_weight`` (descending): ``name``, ``party``, ``title``,
        ``formal_weight`` (d), ``real_weight`` (r), ``real_rank``, ``stance``, ``forecast``,
        ``via`` (the decision-makers through whom the influence runs, with shares) and
        ``evidence`` (a sentence).

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> w = who_decides(load_reference("krackhardt"), kinds="advice")
    >>> round(float(w["real_weight"].sum()), 9)
    1.0
    """
    fc = opinion_forecast(deal, kinds, weight, W=W) if forecast is None else forecast
    d = decision_weights(deal)
    r = _decision_influence(fc, d)
    st = deal.stakeholders
    ids = fc.final.index
    lam = fc.susceptibility.to_numpy()
    deciders = d[d > 0].sort_values(ascending=False).index[:8]
    # rows of V = (I − ΛW)⁻¹(I − Λ) for the deciders only: solve Aᵀ y = e_i
    E = np.zeros((len(ids), len(deciders)))
    E[[ids.get_loc(i) for i in deciders], np.arange(len(deciders))] = 1.0
    Vrows = fc.solve(E, trans=True).T * (1.0 - lam)[None, :]
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
