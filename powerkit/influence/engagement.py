"""Whom to approach, in which order: greedy opinion maximisation on the Friedkin–Johnsen model
with committed contacts, evaluated lazily (CELF). Formulas and references:
docs/methods/influence.md.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError, bad_argument
from . import dynamics
from .dynamics import check_converges, decision_weights
from .matrices import SparseWeights, as_vector, as_weights, check_stochastic

__all__ = ["EngagementPlan", "plan_engagement", "engagement_candidates", "engagement_plan"]


class _System:
    """The Friedkin–Johnsen system A_S z = b_S with the engaged set S held fixed.

    A = I − ΛW; an engaged person j gets the row e_j and b_j = y_j (committed at y_j, λ_j = 0).
    Dense LU up to :data:`powerkit.influence.dynamics.DENSE_MAX` people, else sparse GMRES.
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
        return dynamics.sparse_solve(self.A, self.AT, rhs, trans, rtol=1e-11)

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
    model's inputs (x₀, λ, d) and W. From :func:`engagement_plan`, ``steps`` and ``stances``
    also have each person's ``name``.
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
    Mw, labels = as_weights(W, "W", func)
    check_stochastic(Mw, labels, "W", func)
    x = as_vector(x0, labels, "x0", func)
    dv = as_vector(d, labels, "d", func, lo=0.0, hi=np.inf)
    if dv.sum() <= 0:
        raise InputError(f"The 'd' parameter of {func} must have a positive sum. Got all zeros "
                         f"instead.")
    dv = dv / dv.sum()
    lam = (np.clip(1.0 - (Mw.diagonal() if sp.issparse(Mw) else np.diag(Mw)), 0.0, 1.0)
           if susceptibility is None else
           as_vector(susceptibility, labels, "susceptibility", func, lo=0.0, hi=1.0))
    if not (isinstance(k, int | np.integer) and k >= 0):
        raise bad_argument("k", func, "an int ≥ 0", k)
    eff = as_vector(effect, labels, "effect", func, lo=0.0, hi=1.0)
    if (eff <= 0).any():
        raise InputError(f"The 'effect' parameter of {func} must lie in (0, 1]. Got "
                         f"{eff[eff <= 0][0]:g} instead.")
    if method not in ("celf", "greedy"):
        raise bad_argument("method", func, "'celf' or 'greedy'", method)
    check_converges(Mw, lam, labels, func)
    n = len(x)
    pos = {lab: i for i, lab in enumerate(labels)}
    if candidates is None:
        cand = list(range(n))
    else:
        bad = [c for c in candidates if c not in pos]
        if bad:
            raise InputError(f"The 'candidates' parameter of {func} must list labels of W. "
                             f"Got unknown {bad[:5]} instead.")
        cand = sorted({pos[c] for c in candidates})
    if sp.issparse(Mw):
        M = (sp.diags(lam) @ Mw).tocsr()
    else:
        M = lam[:, None] * Mw
        if n > dynamics.DENSE_MAX:
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
    idx = labels if isinstance(W, pd.DataFrame | SparseWeights) else pd.RangeIndex(n)
    stances = pd.DataFrame({"stance": x, "before": z0, "after": s.z}, index=idx)
    return EngagementPlan(stances=stances, steps=steps, baseline=baseline, evaluations=evals,
                          method=method,
                          inputs=pd.DataFrame({"stance": x, "susceptibility": lam,
                                               "decision_weight": dv, "effect": eff},
                                              index=idx),
                          weights=(SparseWeights(Mw, idx) if sp.issparse(Mw) else
                                   pd.DataFrame(Mw, index=idx, columns=idx)),
                          effect=eff, target=float(target))


def _competitors(deal) -> set:
    """Rival parties (side ``rival``), and third parties with the same role as us (e.g. a second
    seller not marked as a rival): not engagement targets."""
    p = deal.parties
    rivals = set(p.index[p["side"] == "rival"].astype(str))
    if "role" not in p.columns or deal.us not in p.index:
        return rivals
    role = p.loc[deal.us, "role"]
    if role not in ("seller", "buyer"):
        return rivals
    return rivals | set(p.index[(p["side"] == "third") & (p["role"] == role)].astype(str))


def engagement_candidates(deal) -> list:
    """Stakeholders we could approach: everyone except our own people and competitors."""
    st = deal.stakeholders
    skip = set(deal.parties.index[deal.parties["side"] == "us"].astype(str)) | _competitors(deal)
    return [str(i) for i, p in zip(st.index, st["party"].astype(str), strict=True)
            if p not in skip]


def engagement_plan(deal, k=3, kinds=None, weight="weight", effect=0.5, target=1.0,
                    receptiveness="frame_fit", method="celf", repeat=False, *,
                    W=None) -> EngagementPlan:
    """The engagement plan of a deal: :func:`plan_engagement` on its ties, stances and the
    formal decision (:func:`decision_weights`), approaching anyone but our own people and
    competitors (third parties with our role). ``steps`` gets a ``name`` column.

    A contact with person j closes ``effect × receptiveness_j`` of the gap to ``target``;
    receptiveness is the stakeholder column named by ``receptiveness`` (default ``frame_fit``:
    how far the problems they recognise map to what we offer; blank = 1), or 1 for everyone
    when None. ``repeat`` (default False): a budget of k contacts is k different people; with
    True the plan may return to someone already approached. ``W``: the influence matrix of the
    same deal and kinds when already computed. ``stances`` gets a ``name`` column.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> plan = engagement_plan(load_reference("krackhardt"), k=2, kinds="advice")
    >>> plan.order[0]  # the CEO decides alone: win the CEO first
    '7'
    """
    W = dynamics.auto_influence_matrix(deal, kinds, weight) if W is None else W
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
    plan.stances.insert(0, "name", names.reindex(plan.stances.index))
    return plan
