"""People: each stakeholder's formal and informal power, our standing with them, who matters
most on the other side, and the formal authority of the deal-at-a-glance overview.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .sources import MEASURED_FOR_US_ONLY, resolve_weights

__all__ = ["Network", "stakeholder_power", "key_stakeholders", "stakeholder_provenance",
           "formal_authority", "Glance", "at_a_glance"]


class Network:
    """The ties as integer arrays over the stakeholder index, both directions (for reach).

    ``in_strength``: weighted in-degree of each person (how much others listen to them,
    direction "source listens to target"); :meth:`reach` gives who a group reaches. ``empty``
    when the deal has no ties.
    """

    def __init__(self, ties: pd.DataFrame | None, index: pd.Index):
        self.index = index
        self.n = len(index)
        self.empty = ties is None or len(ties) == 0
        if self.empty:
            return
        src = index.get_indexer(ties["source"])
        tgt = index.get_indexer(ties["target"])
        ok = (src >= 0) & (tgt >= 0)
        src, tgt = src[ok], tgt[ok]
        w = pd.to_numeric(ties["weight"], errors="coerce").to_numpy(dtype=float)[ok] \
            if "weight" in ties.columns else np.ones(ok.sum())
        # influence flows target → source: how much others listen to each person
        self.in_strength = np.bincount(tgt, weights=np.nan_to_num(w, nan=1.0),
                                       minlength=self.n)
        self.a = np.r_[src, tgt]
        self.b = np.r_[tgt, src]

    def reach(self, from_mask: np.ndarray) -> np.ndarray:
        """1 for people tied directly to anyone in ``from_mask``, 0.5 via one intermediary."""
        n1 = np.zeros(self.n, bool)
        n1[self.b[from_mask[self.a]]] = True
        n1 &= ~from_mask
        n2 = np.zeros(self.n, bool)
        n2[self.b[n1[self.a]]] = True
        n2 &= ~(from_mask | n1)
        return np.where(n1, 1.0, np.where(n2, 0.5, 0.0))


def stakeholder_power(deal, weights: Mapping[str, float] | None = None,
                      stakeholder_weights: pd.Series | None = None,
                      stakeholders: pd.DataFrame | None = None, network: Network | None = None
                      ) -> pd.DataFrame:
    """Per stakeholder: their own formal and informal power, and our psychological standing.

    * positional (formal): ``sign_off`` (0/1), budget share (budget / largest budget), vote
      share (votes / total votes), weighted by ``sign_off``/``budget``/``votes``;
    * systemic (informal): ``listened_to`` (weighted in-degree over the ties, direction
      "source listens to target", divided by the largest) and ``access_to`` (our access to
      them: 1 direct tie with one of us, 0.5 via one intermediary, 0 otherwise);
    * psychological (ours with them): trust in our competence, benevolence, reliability and
      frame fit, with the party-level weights of those inputs.

    ``say`` is the weight a person carries when the party-level inputs average over people:
    ``1 + 2·sign_off + budget share + vote share + listened_to`` (or ``stakeholder_weights``,
    e.g. the informal-influence scores of powerkit.influence, when given). ``network``: the
    deal's ties as a :class:`Network`, when the caller has built it already.

    Returns
    -------
    DataFrame indexed by stakeholder
        ``name, party, sign_off, budget_share, vote_share, listened_to, access_to,
        trust_competence, trust_benevolence, trust_reliability, frame_fit, positional,
        psychological, systemic, say``; psychological is NaN for our own people and for
        people without ratings; listened_to and access_to are NaN without ties.
    """
    w = resolve_weights(weights)
    s = deal.stakeholders if stakeholders is None else stakeholders
    idx = s.index
    net = network if network is not None else Network(deal.ties, idx)
    party = s["party"].to_numpy(dtype=object)
    ours = party == deal.us
    budget = np.clip(np.nan_to_num(pd.to_numeric(s["budget_authority"], errors="coerce")
                                   .to_numpy(dtype=float)), 0, None)
    votes = np.clip(np.nan_to_num(pd.to_numeric(s["vote_weight"], errors="coerce")
                                  .to_numpy(dtype=float)), 0, None)
    sign = s["sign_off"].fillna(False).to_numpy(dtype=float)
    bshare = budget / budget.max() if budget.max() > 0 else np.zeros(len(idx))
    vshare = votes / votes.sum() if votes.sum() > 0 else np.zeros(len(idx))
    if net.empty:
        listened = np.full(len(idx), np.nan)
        access = np.full(len(idx), np.nan)
    else:
        top = net.in_strength.max()
        listened = net.in_strength / top if top > 0 else np.zeros(len(idx))
        access = net.reach(ours)
    psy = np.column_stack([pd.to_numeric(s[c], errors="coerce").to_numpy(dtype=float)
                           for c in MEASURED_FOR_US_ONLY])
    psy[ours] = np.nan
    pw = np.array([w[c] for c in MEASURED_FOR_US_ONLY])
    mask = ~np.isnan(psy)
    denom = (mask * pw).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        psychological = np.where(denom > 0, np.nansum(psy * pw, axis=1) / denom, np.nan)
    say = 1 + 2 * sign + bshare + vshare + np.nan_to_num(listened)
    if stakeholder_weights is not None:
        sw = pd.to_numeric(pd.Series(stakeholder_weights), errors="coerce").reindex(idx)
        if (sw < 0).any():
            raise bad_argument("stakeholder_weights", "power_profile", ">= 0",
                               sw[sw < 0].to_dict())
        say = np.where(sw.isna(), say, sw.to_numpy(dtype=float))
    cols = {"name": s["name"].to_numpy(dtype=object), "party": party, "sign_off": sign,
            "budget_share": bshare, "vote_share": vshare, "listened_to": listened,
            "access_to": access}
    cols.update({c: psy[:, k] for k, c in enumerate(MEASURED_FOR_US_ONLY)})
    cols.update({
        "positional": w["sign_off"] * sign + w["budget"] * bshare + w["votes"] * vshare,
        "psychological": psychological,
        "systemic": w["listened_to"] * np.nan_to_num(listened)
        + w["access_to"] * np.nan_to_num(access),
        "say": say})
    return pd.DataFrame(cols, index=idx)


def key_stakeholders(deal, n: int = 10, **kwargs) -> pd.DataFrame:
    """The ``n`` people outside our party with the most formal plus informal power.

    Ranks by ``positional + systemic`` of :func:`stakeholder_power`; ties keep file order.
    """
    t = stakeholder_power(deal, **kwargs)
    t = t[t["party"] != deal.us]
    order = (t["positional"] + t["systemic"]).sort_values(ascending=False, kind="stable")
    return t.loc[order.index[:n]]


def stakeholder_provenance(deal, stakeholder: str, weights: Mapping[str, float] | None = None,
                           **kwargs) -> pd.DataFrame:
    """Where one person's three scores come from: input, value, weight, contribution.

    Parameters
    ----------
    deal : powerkit.Deal
    stakeholder : str
        A stakeholder id.
    weights : mapping, optional
        Weight overrides (:func:`resolve_weights`).
    **kwargs
        Passed to :func:`stakeholder_power`.

    Returns
    -------
    DataFrame
        ``source, input, value, weight, contribution``; within each source the contributions add
        up to the person's score (psychological: over the rated inputs, weights renormalised).

    Raises
    ------
    ValueError
        An unknown stakeholder.
    """
    if stakeholder not in deal.stakeholders.index:
        raise bad_argument("stakeholder", "stakeholder_provenance",
                           "a stakeholder id of the deal", stakeholder)
    w = resolve_weights(weights)
    r = stakeholder_power(deal, weights=weights, **kwargs).loc[stakeholder]
    psy = [c for c in MEASURED_FOR_US_ONLY if not pd.isna(r[c])]
    psy_tot = sum(w[c] for c in psy)
    rows = [("positional", "sign_off", r["sign_off"], w["sign_off"]),
            ("positional", "budget_share", r["budget_share"], w["budget"]),
            ("positional", "vote_share", r["vote_share"], w["votes"]),
            ("systemic", "listened_to", r["listened_to"], w["listened_to"]),
            ("systemic", "access_to", r["access_to"], w["access_to"])]
    rows += [("psychological", c, r[c], w[c] / psy_tot) for c in psy]
    t = pd.DataFrame(rows, columns=["source", "input", "value", "weight"])
    t["value"] = t["value"].astype(float)
    t["contribution"] = t["value"].fillna(0.0) * t["weight"]
    return t


# ------------------------------------------------------------------------------------------
# the deal at a glance
# ------------------------------------------------------------------------------------------
def formal_authority(deal) -> pd.Series:
    """Formal authority on the decision, 0..1 per stakeholder.

    ``0.5·sign_off + 0.5·budget_authority / max(budget_authority)`` — sign-off and budget are the
    two formal levers DESIGN.md names; each counts half. Zero budget everywhere → sign-off only.

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> a = formal_authority(make_deal(12))
    >>> bool(a.between(0, 1).all()), a.name
    (True, 'formal_authority')
    """
    s = deal.stakeholders
    budget = s["budget_authority"].fillna(0.0)
    top = budget.max()
    share = budget / top if top > 0 else budget * 0.0
    return (0.5 * s["sign_off"].astype(float) + 0.5 * share).rename("formal_authority")


@dataclass
class Glance:
    """Who is at the table and where they stand on our proposal (:func:`at_a_glance`).

    Attributes
    ----------
    parties, stakeholders : int
        How many of each the deal has.
    supporters, opponents : int
        People whose stance is above ``support`` / below ``−support``.
    sign_off : list of str
        Names of the people with formal sign-off, in file order.
    people : DataFrame indexed by stakeholder
        ``name, party, title, stance, formal_authority, sign_off, interest`` (party ids).
    support : float
        The stance threshold used.
    """

    parties: int
    stakeholders: int
    supporters: int
    opponents: int
    sign_off: list
    people: pd.DataFrame
    support: float = 0.2


def at_a_glance(deal, support: float = 0.2) -> Glance:
    """The deal at a glance: counts of parties and people, supporters and opponents of our
    proposal (stance beyond ±``support``), who signs off, and each person's formal authority
    (:func:`formal_authority`).

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> g = at_a_glance(make_deal(12))
    >>> g.stakeholders, g.supporters + g.opponents <= g.stakeholders
    (12, True)
    """
    s = deal.stakeholders
    people = pd.DataFrame({
        "name": s["name"], "party": s["party"], "title": s["title"], "stance": s["stance"],
        "formal_authority": formal_authority(deal), "sign_off": s["sign_off"],
        "interest": s["interest"]}, index=s.index)
    return Glance(parties=int(len(deal.parties)), stakeholders=int(len(s)),
                  supporters=int((s["stance"] > support).sum()),
                  opponents=int((s["stance"] < -support).sum()),
                  sign_off=[str(n) for n in s.loc[s["sign_off"], "name"]], people=people,
                  support=support)
