"""Trust: per person on the other side, the three dimensions of trust in us and what builds it."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .events import apply_events
from .sources import TRUST_BUILDERS

__all__ = ["trust_profile"]


def trust_profile(deal, at=None) -> pd.DataFrame:
    """Per stakeholder outside our party: the three dimensions of trust in us and what builds it.

    Trust rests on competence, benevolence and reliability (Mayer, Davis & Schoorman 1995:
    ability, benevolence, integrity); different people need different grounds. ``trust`` is
    the mean of the rated dimensions; ``weakest`` names the lowest; ``builds_trust`` and
    ``next_step`` come from the person's ``trust_basis``.

    Returns
    -------
    DataFrame indexed by stakeholder, sorted by trust, lowest first.
    """
    d = apply_events(deal, at) if at is not None else deal
    s = d.stakeholders
    s = s[s["party"] != d.us]
    dims = ["trust_competence", "trust_benevolence", "trust_reliability"]
    t = pd.DataFrame({"name": s["name"], "party": s["party"]})
    for c in dims:
        t[c.replace("trust_", "")] = pd.to_numeric(s[c], errors="coerce")
    short = [c.replace("trust_", "") for c in dims]
    t["trust"] = t[short].mean(axis=1)
    vals = t[short].to_numpy(dtype=float)
    rated = ~np.isnan(vals).all(axis=1)
    low = np.argmin(np.where(np.isnan(vals), np.inf, vals), axis=1)
    t["weakest"] = [short[k] if ok else None for k, ok in zip(low, rated, strict=True)]
    basis = s["trust_basis"]
    t["trust_basis"] = basis
    t["builds_trust"] = basis.map(lambda b: TRUST_BUILDERS.get(b, ("", ""))[0] or "not recorded")
    t["next_step"] = basis.map(lambda b: TRUST_BUILDERS.get(b, ("", "ask what would build "
                                                                "trust for them"))[1])
    return t.sort_values("trust", kind="stable", na_position="last")
