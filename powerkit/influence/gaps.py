"""Long-term relationship gaps: which new relationship from us would most raise our access to
the decision, or the forecast decision itself (a rank-one update of the Friedkin–Johnsen
system). Formulas and references: docs/methods/influence.md.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .dynamics import decision_weights, opinion_forecast
from .engagement import engagement_candidates
from .matrices import tie_table

__all__ = ["relationship_gaps"]


def relationship_gaps(deal, kinds=None, weight="weight", top=5, target=1.0,
                      screen=200, *, W=None, forecast=None) -> pd.DataFrame:
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
    W, forecast : optional
        The influence matrix or the :func:`~powerkit.influence.opinion_forecast` of the same
        deal and kinds, when already computed.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``forecast_gain``: ``stakeholder``, ``name``, ``party``, ``forecast_gain``,
        ``access`` (share of the decision our new voice would carry), ``new_forecast``.
        Candidates: everyone outside our party and competitors who does not already listen
        to one of our people.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> gaps = relationship_gaps(load_reference("krackhardt"), kinds="advice", top=1)
    >>> gaps["stakeholder"].tolist()  # the CEO decides: a relationship with the CEO first
    ['7']
    """
    # The virtual node "us" (index n) has the row e_n and b_n = target, and nobody listens to
    # it yet, so the (n+1)-system decouples: z = (z*, target), g = (g*, 0), A⁻¹e_j = (c*, 0).
    fc = opinion_forecast(deal, kinds, weight, W=W) if forecast is None else forecast
    W = fc.weights
    ids = list(W.index)
    n = len(ids)
    pos = {s: i for i, s in enumerate(ids)}
    st = deal.stakeholders
    x0 = fc.initial.to_numpy()
    d = decision_weights(deal).to_numpy()
    lam = fc.susceptibility.to_numpy()
    A = fc.system
    sparse = fc.is_sparse
    b = (1.0 - lam) * x0
    z = np.append(fc.final.to_numpy(), target)
    g = np.append(fc.solve(d, trans=True), 0.0)
    base = float(d @ z[:n])
    ours = {str(i) for i, p in zip(st.index, st["party"].astype(str), strict=True)
            if p == str(deal.us)}
    ties = tie_table(deal, kinds, weight, "relationship_gaps")
    listens_to_us = set(ties.loc[ties["target"].isin(ours), "source"])
    cand = [s for s in engagement_candidates(deal) if s not in listens_to_us]
    if len(cand) > screen:
        cand = sorted(cand, key=lambda s: -g[pos[s]])[:screen]
    sus = pd.to_numeric(st["susceptibility"], errors="coerce").to_numpy(dtype=float)
    # each candidate's own ties, by position (one DataFrame per person would cost O(people))
    by_source = ties.groupby("source", sort=False).indices
    tie_target = ties["target"].to_numpy()
    tie_w = ties["w"].to_numpy(dtype=float)
    js = [pos[c] for c in cand]
    E = np.zeros((n, len(js)))
    E[js, np.arange(len(js))] = 1.0
    C = fc.solve(E) if js else E  # columns c = A⁻¹ e_j (the us-entry is 0)
    name = st["name"].astype(str).to_numpy()
    party = st["party"].astype(str).to_numpy()
    rows = []
    for col, (s, j) in enumerate(zip(cand, js, strict=True)):
        mine = by_source.get(s)
        a = np.zeros(n + 1)
        if mine is not None and len(mine):
            np.add.at(a, [pos[t] for t in tie_target[mine]], tie_w[mine])
            w_new = float(pd.Series(tie_w[mine]).mean())
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
        r[:n] -= A.getrow(j).toarray().ravel() if sparse else A[j]
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
