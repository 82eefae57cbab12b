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

from .errors import PowerkitError

__all__ = [
    "NotStochasticError",
    "NoConsensusError",
    "influence_matrix",
    "friedkin_johnsen",
    "OpinionForecast",
    "degroot_weights",
    "load_reference",
    "REFERENCES",
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
    >>> from powerkit.influence import load_reference
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
    W = np.zeros((n, n))
    nz = row > 0
    W[nz] = A[nz] / row[nz, None] * lam[nz, None]
    W[np.arange(n), np.arange(n)] += 1.0 - lam
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

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.final.to_numpy(), dtype=dtype)

    @property
    def inputs(self) -> pd.DataFrame:
        return pd.DataFrame({"initial": self.initial, "susceptibility": self.susceptibility})

    @cached_property
    def total_influence(self) -> pd.DataFrame:
        lam = self.susceptibility.to_numpy()
        V = np.linalg.solve(self._A, np.diag(1.0 - lam))
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
    final = np.linalg.solve(A, (1.0 - lam) * x)
    idx = labels if isinstance(W, pd.DataFrame) else pd.RangeIndex(len(x))
    return OpinionForecast(final=pd.Series(final, index=idx, name="final"),
                           initial=pd.Series(x, index=idx, name="initial"),
                           susceptibility=pd.Series(lam, index=idx, name="susceptibility"),
                           weights=pd.DataFrame(M, index=idx, columns=idx), _A=A)


def _closed_classes(M: np.ndarray) -> list[list[int]]:
    """Closed communicating classes of the listening graph of M (i → j when M[i, j] > 0)."""
    import networkx as nx
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = M.shape[0]
    S = csr_matrix(M > 0)
    ncomp, lab = connected_components(S, directed=True, connection="strong")
    C = nx.DiGraph()
    C.add_nodes_from(range(ncomp))
    r, c = S.nonzero()
    for a, b in set(zip(lab[r].tolist(), lab[c].tolist(), strict=True)):
        if a != b:
            C.add_edge(a, b)
    closed = [k for k in C if C.out_degree(k) == 0]
    return [np.flatnonzero(lab == k).tolist() for k in closed] if n else []


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


# -- reference cases -----------------------------------------------------------------------------
REFERENCES = ("krackhardt", "florentine")


def _reference_dir():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "data" / "reference"


def load_reference(name: str, path=None):
    """A published network loaded as a :class:`~powerkit.Deal`, to analyse like any deal.

    * ``"krackhardt"`` — Krackhardt's (1987) 21 high-tech managers: ties of kind ``advice``
      (190) and ``friendship`` (102) from ``data/reference/krackhardt_*.csv`` (``ego → alter`` is
      our "source listens to target"); ``reports_to`` from the organisation chart; ``department``
      (``0`` = the CEO) and ``title`` = level (``CEO``, ``vice-president``, ``manager``) as group
      attributes. The CEO (id ``7``) has ``sign_off``: formal authority on a company decision.
      Stances are unknown (0).
    * ``"florentine"`` — Padgett's Florentine families: the 15 families of
      ``networkx.florentine_families_graph()`` (Pucci, an isolate, is not in it); each marriage
      tie becomes two ties of kind ``trust`` (an alliance is mutual); ``budget_authority`` =
      wealth in 1427 (thousands of lira) and ``title`` = seats in the priorates, from
      ``data/reference/florentine_families_attributes.csv``. No org chart, no sign-off.

    Parameters
    ----------
    name : {"krackhardt", "florentine"}
        The reference case.
    path : str or Path, optional
        Folder holding the reference CSVs; default ``data/reference`` of the project.

    Returns
    -------
    powerkit.Deal
        Validated by :func:`powerkit.load_deal` (the tables are written to a temporary folder
        in the deal format and read back).

    Raises
    ------
    ValueError
        If ``name`` is not a reference case.
    FileNotFoundError
        If the reference CSVs are missing.

    Examples
    --------
    >>> deal = load_reference("krackhardt")
    >>> len(deal.stakeholders), deal.ties["kind"].value_counts().to_dict()
    (21, {'advice': 190, 'friendship': 102})

    References
    ----------
    Krackhardt, D. (1987). Cognitive social structures. *Social Networks* 9, 109–134.
    Padgett, J. F. & Ansell, C. K. (1993). Robust action and the rise of the Medici,
    1400–1434. *American Journal of Sociology* 98(6), 1259–1319.
    """
    import tempfile
    from pathlib import Path

    from .deal import load_deal

    if name not in REFERENCES:
        raise ValueError(f"The 'name' parameter of load_reference must be one of "
                         f"{', '.join(REFERENCES)}. Got {name!r} instead.")
    ref = Path(path) if path is not None else _reference_dir()
    if name == "krackhardt":
        files = {k: ref / f"krackhardt_{k}.csv"
                 for k in ("attributes", "advice_edges", "friendship_edges", "reports_to_edges")}
    else:
        files = {"attributes": ref / "florentine_families_attributes.csv"}
    for f in files.values():
        if not f.exists():
            raise FileNotFoundError(f"load_reference({name!r}) needs {f}; copy the reference "
                                    f"data sets into {ref} (see data/reference/README.md)")
    tables, meta = (_krackhardt(files) if name == "krackhardt" else _florentine(files))
    with tempfile.TemporaryDirectory(prefix=f"powerkit-{name}-") as tmp:
        folder = Path(tmp)
        (folder / "deal.yaml").write_text(
            "".join(f"{k}: {v!r}\n" if isinstance(v, str) else f"{k}: {v}\n"
                    for k, v in meta.items()), encoding="utf-8")
        for table, df in tables.items():
            df.to_csv(folder / f"{table}.csv", index=False)
        deal = load_deal(folder)
    return deal.replace(source=f"reference:{name}")


def _krackhardt(files):
    att = pd.read_csv(files["attributes"])
    boss = pd.read_csv(files["reports_to_edges"]).set_index("ego")["alter"]
    level = {1: "CEO", 2: "vice-president", 3: "manager"}
    st = pd.DataFrame({
        "stakeholder": att["id"].astype(str),
        "name": [f"Manager {i}" + (" (CEO)" if lv == 1 else " (VP)" if lv == 2 else "")
                 for i, lv in zip(att["id"], att["level"], strict=True)],
        "party": "company",
        "title": att["level"].map(level),
        "department": att["department"].astype(str),
        "reports_to": [str(boss[i]) if i in boss.index else "" for i in att["id"]],
        "sign_off": att["level"] == 1,
        "stance": 0.0,
    })
    ties = []
    for kind in ("advice", "friendship"):
        e = pd.read_csv(files[f"{kind}_edges"])
        ties.append(pd.DataFrame({"source": e["ego"].astype(str), "target": e["alter"].astype(str),
                                  "kind": kind, "weight": 1.0}))
    parties = pd.DataFrame({"party": ["us", "company"], "name": ["Our team", "The company"],
                            "side": ["us", "counterpart"]})
    meta = {"id": "krackhardt", "title": "Krackhardt's high-tech managers (1987)",
            "decision": "a company-wide decision the CEO signs off", "us": "us",
            "counterpart": "company", "as_of": "1987-01-01", "currency": "USD"}
    return {"parties": parties, "stakeholders": st, "ties": pd.concat(ties)}, meta


def _florentine(files):
    import networkx as nx

    G = nx.florentine_families_graph()
    att = pd.read_csv(files["attributes"]).set_index("family")
    fams = sorted(G.nodes)
    pri = att.loc[fams, "priorates"]
    st = pd.DataFrame({
        "stakeholder": fams,
        "name": fams,
        "party": "florence",
        "title": [f"priorates: {p}" if p >= 0 else "priorates: unknown" for p in pri],
        "budget_authority": att.loc[fams, "wealth_1427_thousand_lira"].astype(float).to_numpy(),
        "stance": 0.0,
    })
    src, dst = [], []
    for u, v in sorted(G.edges):
        src += [u, v]
        dst += [v, u]
    ties = pd.DataFrame({"source": src, "target": dst, "kind": "trust", "weight": 1.0})
    parties = pd.DataFrame({"party": ["us", "florence"], "name": ["Our team", "Florentine elite"],
                            "side": ["us", "counterpart"]})
    meta = {"id": "florentine", "title": "Padgett's Florentine families (1400–1434)",
            "decision": "who leads Florence", "us": "us", "counterpart": "florence",
            "as_of": "1434-01-01", "currency": "EUR"}
    return {"parties": parties, "stakeholders": st, "ties": ties}, meta
