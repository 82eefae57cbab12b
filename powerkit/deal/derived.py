"""Inputs derived from other tables when a deal is loaded: the other side's trust in our
reliability, updated by our record of commitments.

``trust_reliability`` in ``stakeholders`` is the consultant's rating (0..1) of how far a person
trusts us to keep our word. The ``commitments`` table records what we actually promised and
whether we kept it. :func:`apply_commitments` treats the rating as a prior and the record as
evidence — the beta reputation model (Jøsang & Ismail 2002): with rating r (0.5 when blank)
as a Beta(2r, 2(1 − r)) prior and, for the promises we made to the person or to their party,
k kept, h partly kept and b broken,

    reliability = (2r + k + h/2) / (2 + k + h + b)

(a promise partly kept counts half a success and half a failure; open promises are not
evidence yet). People without a closed promise keep their rating. The rating is kept beside it
in ``trust_reliability_rated`` so that the trust profile shows both, and every analysis reads
the one updated value (the balance of power, the trust plan, the game plan).

References: Jøsang, A., & Ismail, R. (2002). The beta reputation system. *Proceedings of the
15th Bled Electronic Commerce Conference*. Mayer, R. C., Davis, J. H., & Schoorman, F. D.
(1995). An integrative model of organizational trust. *Academy of Management Review* 20(3),
709–734 (integrity: keeping one's word).
"""
from __future__ import annotations

import math

import pandas as pd

from .model import Deal

__all__ = ["RATED", "PRIOR_STRENGTH", "reliability_record", "apply_commitments"]

RATED = "trust_reliability_rated"
PRIOR_STRENGTH = 2.0  #: the rating counts as this many promises observed


def _ours(deal: Deal) -> set:
    st = deal.stakeholders
    return {deal.us} | set(st.index[st["party"] == deal.us])


def reliability_record(deal: Deal) -> pd.DataFrame:
    """Per person outside our party: the rating, our record with them and the updated value.

    Columns ``rated`` (the rating as entered), ``kept``, ``partly``, ``broken``, ``open``
    (counts of our promises to them or to their party) and ``reliability`` (the beta update, see
    the module docstring; the rating when no promise is closed). Empty without commitments.

    Examples
    --------
    A person rated 0.5 to whom we kept 3 promises and broke 1: (1 + 3) / (2 + 4) = 2/3.

    >>> from powerkit.deal.synthetic import make_deal
    >>> import dataclasses, pandas as pd
    >>> d = make_deal(8, seed=1)
    >>> who = d.stakeholders.index[d.stakeholders["party"] != d.us][0]
    >>> st = d.stakeholders.copy(); st.loc[who, "trust_reliability"] = 0.5
    >>> cm = pd.DataFrame({"commitment": list("abcd"), "by": d.us, "to": who, "promise": "x",
    ...                    "date": pd.Timestamp("2026-01-01"), "due": pd.NaT,
    ...                    "status": ["kept", "kept", "kept", "broken"]})
    >>> rec = reliability_record(dataclasses.replace(d, stakeholders=st, commitments=cm))
    >>> round(float(rec.loc[who, "reliability"]), 4)
    0.6667
    """
    cols = ["rated", "kept", "partly", "broken", "open", "reliability"]
    if not deal.has("commitments"):
        return pd.DataFrame(columns=cols)
    st = deal.stakeholders
    rated = st[RATED] if RATED in st.columns else st["trust_reliability"]
    theirs = st.index[st["party"] != deal.us]
    ours = _ours(deal)
    counts = {p: dict.fromkeys(("kept", "partly", "broken", "open"), 0) for p in theirs}
    for by, to, status in zip(deal.commitments["by"], deal.commitments["to"],
                              deal.commitments["status"], strict=True):
        if by not in ours:
            continue
        people = [to] if to in counts else [p for p in theirs if st.at[p, "party"] == to]
        for p in people:
            counts[p][status] += 1
    rows = []
    for p in theirs:
        c = counts[p]
        r = rated.get(p)
        r = None if r is None or (isinstance(r, float) and math.isnan(r)) else float(r)
        closed = c["kept"] + c["partly"] + c["broken"]
        if closed:
            prior = 0.5 if r is None else r
            rel = (PRIOR_STRENGTH * prior + c["kept"] + 0.5 * c["partly"]) / (PRIOR_STRENGTH + closed)
        else:
            rel = float("nan") if r is None else r
        rows.append({"stakeholder": p, "rated": float("nan") if r is None else r, **c,
                     "reliability": rel})
    return pd.DataFrame(rows, columns=["stakeholder", *cols]).set_index("stakeholder")


def apply_commitments(deal: Deal) -> Deal:
    """``deal`` with ``trust_reliability`` updated by the commitments record and the rating
    kept in ``trust_reliability_rated`` (unchanged without commitments). Idempotent: the update
    always starts from the rating."""
    if not deal.has("commitments"):
        return deal
    rec = reliability_record(deal)
    st = deal.stakeholders.copy()
    if RATED not in st.columns:
        st[RATED] = st["trust_reliability"]
    st["trust_reliability"] = st[RATED]
    st.loc[rec.index, "trust_reliability"] = rec["reliability"].astype(float)
    return deal.replace(stakeholders=st)
