"""The influence matrix of a deal, and the argument checks the influence methods share.

Direction convention (docs/deal-format.md): a tie ``source → target`` means **source listens to
target**; influence flows *target → source*. ``W[i, j]`` of the influence matrix is the weight
``i`` gives to ``j``'s opinion (row ``i`` = whom ``i`` listens to), the DeGroot /
Friedkin–Johnsen convention. The formulas and their references are in docs/methods/influence.md.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..deal.schemas import TIE_KINDS
from ..errors import InputError, NotStochasticError, bad_argument

__all__ = ["TIE_KINDS", "SparseWeights", "as_matrix", "as_weights", "check_stochastic",
           "as_vector", "tie_kinds", "tie_table", "influence_matrix", "kind_options",
           "sparse_system"]


class SparseWeights:
    """A square sparse matrix with labels: the influence matrix of a large deal.

    ``matrix`` is a ``scipy.sparse.csr_matrix``; row and column ``i`` belong to ``index[i]``.
    It has what the influence methods read from a DataFrame W (``index``, ``shape``,
    ``len``) and :meth:`to_frame` for a dense copy (n × n: small deals only).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> W = SparseWeights(sp.identity(2, format="csr"), ["a", "b"])
    >>> len(W), W.shape, W.to_frame().loc["a", "a"]
    (2, (2, 2), np.float64(1.0))
    """

    def __init__(self, matrix, index):
        import scipy.sparse as sp

        self.matrix = sp.csr_matrix(matrix, dtype=float)
        self.index = pd.Index(index)
        if self.matrix.shape != (len(self.index), len(self.index)):
            raise InputError(f"SparseWeights: the matrix is {self.matrix.shape} but there are "
                             f"{len(self.index)} labels.")

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def __repr__(self) -> str:
        return f"SparseWeights({len(self)} × {len(self)}, {self.matrix.nnz} nonzero)"

    def to_frame(self) -> pd.DataFrame:
        """The dense DataFrame (index = columns = labels)."""
        return pd.DataFrame(self.matrix.toarray(), index=self.index,
                            columns=pd.Index(self.index, name=None))


def as_weights(W, name: str, func: str):
    """Like :func:`as_matrix`, but a :class:`SparseWeights` or a scipy sparse matrix stays
    sparse (returns ``(csr_matrix, labels)``); anything else gives the dense array.

    >>> import scipy.sparse as sp
    >>> M, labels = as_weights(sp.identity(3), "W", "f")
    >>> sp.issparse(M), list(labels)
    (True, [0, 1, 2])
    """
    import scipy.sparse as sp

    if isinstance(W, SparseWeights):
        M, labels = W.matrix, W.index
    elif sp.issparse(W):
        M = sp.csr_matrix(W, dtype=float)
        labels = pd.RangeIndex(M.shape[0])
    else:
        return as_matrix(W, name, func)
    if M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise InputError(f"The '{name}' parameter of {func} must be a non-empty square matrix. "
                         f"Got shape {M.shape} instead.")
    if not np.all(np.isfinite(M.data)):
        raise InputError(f"The '{name}' parameter of {func} must contain finite numbers only. "
                         f"Got NaN or infinite entries instead.")
    return M, labels


def sparse_system(M, lam):
    """A = I − ΛM as a sparse CSR matrix (M sparse or dense)."""
    import scipy.sparse as sp

    n = M.shape[0]
    return (sp.identity(n, format="csr") - sp.diags(lam) @ sp.csr_matrix(M)).tocsr()


def as_matrix(W, name: str, func: str) -> tuple[np.ndarray, pd.Index]:
    """A square float matrix and its labels (a DataFrame's index, else 0..n-1).

    ``name`` and ``func`` name the argument and the function in the error message.

    >>> as_matrix([[1, 0], [0, 1]], "W", "f")[0].shape
    (2, 2)
    """
    if isinstance(W, pd.DataFrame):
        if not W.index.equals(W.columns):
            raise InputError(f"The '{name}' parameter of {func} must be a square DataFrame whose "
                             f"index equals its columns. Got index {list(W.index)[:5]}… and "
                             f"columns {list(W.columns)[:5]}… instead.")
        labels = W.index
        M = W.to_numpy(dtype=float)
    else:
        M = np.asarray(W, dtype=float)
        labels = pd.RangeIndex(M.shape[0]) if M.ndim == 2 else pd.RangeIndex(0)
    if M.ndim != 2 or M.shape[0] != M.shape[1] or M.shape[0] == 0:
        raise InputError(f"The '{name}' parameter of {func} must be a non-empty square matrix. "
                         f"Got shape {M.shape} instead.")
    if not np.all(np.isfinite(M)):
        raise InputError(f"The '{name}' parameter of {func} must contain finite numbers only. "
                         f"Got NaN or infinite entries instead.")
    return M, labels


def check_stochastic(M, labels, name: str, func: str, tol: float = 1e-9) -> None:
    """Raise :class:`~powerkit.errors.NotStochasticError` unless M (dense or sparse) is
    row-stochastic (non-negative entries, every row summing to 1)."""
    import scipy.sparse as sp

    if sp.issparse(M):
        C = M.tocoo()
        neg = np.flatnonzero(C.data < -tol)
        if neg.size:
            i, j = C.row[neg[0]], C.col[neg[0]]
            raise NotStochasticError(
                f"The '{name}' parameter of {func} must be row-stochastic (non-negative "
                f"entries, every row summing to 1). Got {C.data[neg[0]]:g} at row "
                f"{labels[i]!r}, column {labels[j]!r} instead.")
        sums = np.asarray(M.sum(axis=1)).ravel()
    elif (M < -tol).any():
        i, j = np.argwhere(M < -tol)[0]
        raise NotStochasticError(
            f"The '{name}' parameter of {func} must be row-stochastic (non-negative entries, "
            f"every row summing to 1). Got {M[i, j]:g} at row {labels[i]!r}, column "
            f"{labels[j]!r} instead.")
    else:
        sums = M.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
    if bad.size:
        i = bad[0]
        raise NotStochasticError(
            f"The '{name}' parameter of {func} must be row-stochastic (non-negative entries, "
            f"every row summing to 1). Got row {labels[i]!r} summing to {sums[i]:.6g} instead "
            f"({bad.size} row{'s' if bad.size != 1 else ''} affected); divide each row by its sum.")


def as_vector(x, labels: pd.Index, name: str, func: str, lo=None, hi=None) -> np.ndarray:
    """One finite value per label (a scalar, an array, a dict or a Series indexed by the
    labels), optionally within [lo, hi]."""
    n = len(labels)
    if isinstance(x, dict):
        x = pd.Series(x)
    if isinstance(x, pd.Series) and not isinstance(labels, pd.RangeIndex):
        missing = [k for k in labels if k not in x.index]
        if missing:
            raise InputError(f"The '{name}' parameter of {func} must have a value for every "
                             f"row of W. Got none for {missing[:5]} instead.")
        v = x.reindex(labels).to_numpy(dtype=float)
    elif np.ndim(x) == 0:
        v = np.full(n, float(x))
    else:
        v = np.asarray(x, dtype=float).ravel()
    if v.shape != (n,):
        raise InputError(f"The '{name}' parameter of {func} must have one value per row of W "
                         f"({n}). Got {v.shape[0]} values instead.")
    if not np.all(np.isfinite(v)):
        raise InputError(f"The '{name}' parameter of {func} must contain finite numbers only. "
                         f"Got NaN or infinite values instead.")
    if (lo is not None and (v < lo - 1e-12).any()) or (hi is not None and (v > hi + 1e-12).any()):
        bad = v[(v < (lo if lo is not None else -np.inf) - 1e-12)
                | (v > (hi if hi is not None else np.inf) + 1e-12)][0]
        raise InputError(f"The '{name}' parameter of {func} must lie in [{lo:g}, {hi:g}]. "
                         f"Got {bad:g} instead.")
    return v


def tie_kinds(kinds, func: str) -> tuple[str, ...]:
    """The tie kinds to use: None = all of :data:`TIE_KINDS`, else one kind or a list of them.

    >>> tie_kinds("advice", "f")
    ('advice',)
    """
    if kinds is None:
        return TIE_KINDS
    if isinstance(kinds, str):
        kinds = (kinds,)
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in TIE_KINDS]
    if bad or not kinds:
        raise bad_argument("kinds", func, f"None, one of {', '.join(TIE_KINDS)} or a list of them",
                           kinds)
    return kinds


def tie_table(deal, kinds, weight, func: str) -> pd.DataFrame:
    """Ties of the chosen kinds as (source, target, w), summed over kinds; empty if none."""
    kinds = tie_kinds(kinds, func)
    if not deal.has("ties"):
        return pd.DataFrame({"source": [], "target": [], "w": []})
    t = deal.ties[deal.ties["kind"].isin(kinds)]
    if weight is None:
        w = pd.Series(1.0, index=t.index)
    elif weight in t.columns:
        w = pd.to_numeric(t[weight], errors="coerce").fillna(1.0)
    else:
        raise InputError(f"The 'weight' parameter of {func} must be None or a column of the ties "
                         f"table ({', '.join(map(str, deal.ties.columns))}). Got {weight!r} "
                         f"instead.")
    out = pd.DataFrame({"source": t["source"].astype(str), "target": t["target"].astype(str),
                        "w": w.astype(float)})
    out = out[out["source"] != out["target"]]
    return out.groupby(["source", "target"], as_index=False, sort=False)["w"].sum()


def influence_matrix(deal, kinds=None, weight="weight", *, sparse: bool = False):
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
    sparse : bool, default False
        Return a :class:`SparseWeights` (scipy CSR, memory ∝ ties) instead of the dense
        n × n DataFrame — the form the influence methods use above
        :data:`~powerkit.influence.dynamics.DENSE_MAX` people.

    Returns
    -------
    pandas.DataFrame or SparseWeights
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
    import scipy.sparse as sp

    func = "influence_matrix"
    ids = pd.Index(deal.stakeholders.index.astype(str), name="stakeholder")
    n = len(ids)
    ties = tie_table(deal, kinds, weight, func)
    r = ids.get_indexer(ties["source"])
    c = ids.get_indexer(ties["target"])
    ok = (r >= 0) & (c >= 0)
    A = sp.csr_matrix((ties["w"].to_numpy(dtype=float)[ok], (r[ok], c[ok])), shape=(n, n))
    A.sum_duplicates()
    row = np.asarray(A.sum(axis=1)).ravel()
    deg = np.diff((A > 0).tocsr().indptr)
    sus = deal.stakeholders["susceptibility"] if "susceptibility" in deal.stakeholders else None
    lam = deg / (deg + 1.0)
    if sus is not None:
        given = pd.to_numeric(sus, errors="coerce").to_numpy(dtype=float)
        lam = np.where(np.isfinite(given), given, lam)
    lam = np.where(row > 0, lam, 0.0)
    W = (sp.diags(lam / np.where(row > 0, row, 1.0)) @ A + sp.diags(1.0 - lam)).tocsr()
    W.eliminate_zeros()
    if sparse:
        return SparseWeights(W, ids)
    return pd.DataFrame(W.toarray(), index=ids, columns=pd.Index(ids, name=None))


def kind_options(deal) -> list:
    """Choices for a tie-kind selector: ``"all"`` plus the kinds present in the deal."""
    present = [] if not deal.has("ties") else [k for k in TIE_KINDS
                                                 if (deal.ties["kind"] == k).any()]
    return ["all", *present]
