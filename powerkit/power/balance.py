"""The three sources of power — positional, psychological, systemic — scored with provenance.

Every score here is a weighted mean of inputs on a 0..1 scale, and every function returns the
inputs, the weights and each input's contribution with the score (METHOD.md §1–5; formulas and
references in docs/methods/power.md). The balance between us and the counterpart is

    balance = Σ_sources W_s · Σ_inputs w_i · (x_i(us) − x_i(them))      ∈ [−1, 1]

with the input weights ``w_i`` normalised within each source and the source weights ``W_s``
normalised over the three sources; the sum is exact, so the contributions are the drivers.

Inputs the deal does not give (a blank cell, no offers, no ties) are set to a neutral 0.5 and
flagged ``assumed`` in the provenance; the tornado lets them move over their whole range.
"""
from __future__ import annotations

__all__ = [
    "SOURCES",
    "INPUTS",
    "DEFAULT_WEIGHTS",
    "STAKEHOLDER_WEIGHTS",
    "TRUST_BUILDERS",
    "PowerProfile",
    "WhatIf",
    "resolve_weights",
    "issue_utilities",
    "offer_utilities",
    "concession_ledger",
    "reciprocity",
    "stakeholder_power",
    "key_stakeholders",
    "stakeholder_provenance",
    "power_profile",
    "tornado",
    "apply_events",
    "balance_timeline",
    "what_if",
    "posture",
    "trust_profile",
    "as_party",
    "provenance_table",
    "report_section",
]

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import replace as _replace

import numpy as np
import pandas as pd

from . import bargaining as bg
from .deal import number
from .errors import PowerkitError
from .sections import Section
from .text import esc

SOURCES = ("positional", "psychological", "systemic")

#: input → (source, what it measures, how it is read from the deal)
INPUTS: dict[str, tuple[str, str, str]] = {
    "batna": ("positional", "strength of the best alternative",
              "B / (B + W): batna_value over batna_value plus the ZOPA width"),
    "alternatives": ("positional", "number of credible alternatives", "n / (n + 1)"),
    "resources": ("positional", "financial and organisational resources", "parties.resources"),
    "time": ("positional", "time pressure (patience)",
             "BRW weight against the other side: r_other / (r_self + r_other)"),
    "legal_position": ("positional", "legal or contractual position", "parties.legal_position"),
    "status": ("positional", "market status, reputation", "parties.status"),
    "trust_competence": ("psychological", "the other side's trust in our competence",
                         "say-weighted mean over the other side's people"),
    "trust_benevolence": ("psychological", "the other side's trust in our benevolence",
                          "say-weighted mean over the other side's people"),
    "trust_reliability": ("psychological", "the other side's trust in our reliability",
                          "say-weighted mean over the other side's people"),
    "frame_fit": ("psychological", "how far their recognised problems map to our offer",
                  "say-weighted mean over the other side's people"),
    "reciprocity": ("psychological", "reciprocity owed to us from the offers history",
                    "0.5 + 0.5 · (conceded_self − conceded_other) / (conceded_self + conceded_other)"),
    "commitment": ("psychological", "what the other side has committed to in its offers",
                   "own utility of the other side's latest offer (0..1)"),
    "access": ("systemic", "access to the other side's decision-makers and allies",
               "say-weighted share of the other side's people reached: 1 direct tie, 0.5 via one"),
    "coalition_strength": ("systemic", "strength of allies outside the deal",
                           "parties.coalition_strength"),
    "external": ("systemic", "how far the wider system favours the party", "parties.external"),
}

#: Default weights: inputs within their source, then the three sources (METHOD.md §1: positional
#: power is real but less decisive than people assume; systemic power often outweighs the rest).
DEFAULT_WEIGHTS: dict[str, float] = {
    "batna": 0.30, "alternatives": 0.15, "resources": 0.15, "time": 0.20,
    "legal_position": 0.10, "status": 0.10,
    "trust_competence": 0.15, "trust_benevolence": 0.15, "trust_reliability": 0.15,
    "frame_fit": 0.25, "reciprocity": 0.15, "commitment": 0.15,
    "access": 0.40, "coalition_strength": 0.35, "external": 0.25,
    "positional": 0.25, "psychological": 0.35, "systemic": 0.40,
}

#: Weights of the per-stakeholder profile (positional and systemic inputs that exist per person;
#: the psychological ones reuse the party weights of the trust dimensions and frame fit).
STAKEHOLDER_WEIGHTS: dict[str, float] = {
    "sign_off": 0.40, "budget": 0.30, "votes": 0.30, "listened_to": 0.60, "access_to": 0.40,
}

TRUST_BUILDERS = {
    "track_record": ("a track record", "show references, results from comparable clients, a pilot "
                     "they can check"),
    "feeling_understood": ("feeling understood", "listen first; summarise their concerns back in "
                           "their words before proposing"),
    "constraint_awareness": ("seeing that we grasp their constraints", "name their budget, "
                             "timing and political constraints and shape the offer around them"),
}

_PARTY_COLUMNS = {"resources", "legal_position", "status", "external", "coalition_strength"}
_MEASURED_FOR_US_ONLY = ("trust_competence", "trust_benevolence", "trust_reliability",
                         "frame_fit")


# ------------------------------------------------------------------------------------------
# weights
# ------------------------------------------------------------------------------------------
def resolve_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """The default weights updated by ``weights``, normalised within each group.

    Input weights are normalised to sum to 1 within their source; the three source weights to
    sum to 1 over the sources; stakeholder weights within their groups (sign_off/budget/votes
    and listened_to/access_to).

    Parameters
    ----------
    weights : mapping, optional
        Any of the keys of :data:`DEFAULT_WEIGHTS` or :data:`STAKEHOLDER_WEIGHTS`; values ≥ 0.

    Returns
    -------
    dict
        Every key, normalised.

    Raises
    ------
    ValueError
        An unknown key, a negative or non-finite weight, or a group whose weights are all 0.

    Examples
    --------
    >>> w = resolve_weights({"positional": 1, "psychological": 1, "systemic": 2})
    >>> w["systemic"], w["batna"]
    (0.5, 0.3)
    """
    raw = {**DEFAULT_WEIGHTS, **STAKEHOLDER_WEIGHTS}
    for k, v in (weights or {}).items():
        if k not in raw:
            raise ValueError(f"The 'weights' parameter of power_profile must have keys among "
                             f"{sorted(raw)}. Got {k!r} instead.")
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating) \
                or not math.isfinite(float(v)) or v < 0:
            raise ValueError(f"The 'weights' parameter of power_profile must map {k!r} to a "
                             f"finite number >= 0. Got {v!r} instead.")
        raw[k] = float(v)
    groups = [list(SOURCES)] + [[i for i, (s, _, _) in INPUTS.items() if s == src]
                                for src in SOURCES]
    groups += [["sign_off", "budget", "votes"], ["listened_to", "access_to"]]
    out = {}
    for g in groups:
        tot = sum(raw[k] for k in g)
        if tot <= 0:
            raise ValueError(f"The 'weights' parameter of power_profile must leave a positive "
                             f"weight in the group {g}. Got all zeros instead.")
        out.update({k: raw[k] / tot for k in g})
    return out


# ------------------------------------------------------------------------------------------
# issues and offers
# ------------------------------------------------------------------------------------------
def issue_utilities(issues: pd.DataFrame) -> pd.DataFrame:
    """Each party's additive utility contribution of every option (Inspire/GENIUS model).

    ``u = w_i / Σ_j w_j · rating_i(option) / max_o rating_i(o)``, weights normalised per party,
    ratings per issue by their maximum (an issue rated 0 everywhere contributes 0).

    Parameters
    ----------
    issues : DataFrame
        The deal's ``issues`` table (issue, option, party, rating, weight).

    Returns
    -------
    DataFrame
        Columns ``party, issue, option, utility``.

    Examples
    --------
    >>> t = pd.DataFrame({"issue": ["p", "p", "q", "q"], "option": ["a", "b", "x", "y"],
    ...                   "party": "us", "rating": [0, 10, 5, 20], "weight": [3, 3, 1, 1]})
    >>> issue_utilities(t)["utility"].tolist()   # 3/4·(0, 1); 1/4·(0.25, 1)
    [0.0, 0.75, 0.0625, 0.25]

    References
    ----------
    Kersten, G. E., & Noronha, S. J. (1999). WWW-based negotiation support: design,
    implementation, and use. *Decision Support Systems* 25(2), 135–154.
    """
    party = issues["party"].to_numpy(dtype=object)
    issue = issues["issue"].to_numpy(dtype=object)
    rating = issues["rating"].to_numpy(dtype=float)
    weight = issues["weight"].to_numpy(dtype=float)
    iw: dict = {}
    mx: dict = {}
    for p, i, r, w in zip(party, issue, rating, weight, strict=True):
        iw.setdefault((p, i), w)
        mx[(p, i)] = max(mx.get((p, i), 0.0), r)
    tot: dict = {}
    for (p, _), w in iw.items():
        tot[p] = tot.get(p, 0.0) + w
    util = [(iw[(p, i)] / tot[p] if tot[p] > 0 else 0.0)
            * (r / mx[(p, i)] if mx[(p, i)] > 0 else 0.0)
            for p, i, r in zip(party, issue, rating, strict=True)]
    return pd.DataFrame({"party": party, "issue": issue,
                         "option": issues["option"].to_numpy(dtype=object), "utility": util})


def offer_utilities(deal, at=None) -> pd.DataFrame:
    """Every offer in the history, valued by each side in its own ratings.

    One row per (round, offering party), with ``u_<party>`` for us and the counterpart: the
    utility of the offer as a package (sum over issues of the option's contribution, see
    :func:`issue_utilities`). An issue an offer leaves out keeps the option the same party
    offered last; an issue never offered counts 0 (flagged in ``incomplete``).

    Parameters
    ----------
    deal : powerkit.Deal
        Needs ``offers`` and ``issues``.
    at : date, optional
        Only offers dated on or before ``at`` (undated offers always count).

    Returns
    -------
    DataFrame
        ``round, date, party, u_<us>, u_<counterpart>, incomplete`` sorted by round.
    """
    offers = deal.table("offers", "the concession ledger")
    issues = deal.table("issues", "the concession ledger")
    if at is not None:
        offers = offers[offers["date"].isna() | (offers["date"] <= pd.Timestamp(at))]
    us, them = deal.us, deal.counterpart
    util = issue_utilities(issues)
    all_issues = set(issues["issue"])
    key = {p: {} for p in (us, them)}
    for p, i, o, u in zip(util["party"], util["issue"], util["option"], util["utility"],
                          strict=True):
        if p in key:
            key[p][(i, o)] = u
    o = offers.sort_values("round", kind="stable")
    rows = []
    last: dict[str, dict] = {}
    cur = None
    for rnd, date_, party, iss, opt in zip(o["round"], o["date"], o["party"], o["issue"],
                                           o["option"], strict=True):
        if cur is None or (rnd, party) != (cur["round"], cur["party"]):
            cur = {"round": rnd, "party": party, "date": date_,
                   "chosen": dict(last.get(party, {}))}
            rows.append(cur)
        cur["chosen"][iss] = opt
        last[party] = cur["chosen"]
        if pd.notna(date_) and (pd.isna(cur["date"]) or date_ < cur["date"]):
            cur["date"] = date_
    out = []
    for r in rows:
        ch = r["chosen"]
        row = {"round": int(r["round"]), "date": r["date"], "party": r["party"]}
        for p in (us, them):
            row[f"u_{p}"] = float(sum(key[p].get((i, ch[i]), 0.0) for i in ch))
        row["incomplete"] = bool(all_issues - set(ch))
        out.append(row)
    cols = ["round", "date", "party", f"u_{us}", f"u_{them}", "incomplete"]
    return pd.DataFrame(out, columns=cols)


def concession_ledger(deal, at=None) -> pd.DataFrame:
    """Who conceded how much, offer by offer, each measured in the conceding side's own ratings.

    For each offer after a party's first: ``concession = u_self(previous own offer) −
    u_self(this offer)`` (positive: it gave ground, in its own utility) and ``gain_to_other =
    u_other(this offer) − u_other(previous own offer)`` (what that was worth to the other side).
    The opening offer of each party has no concession (NaN).

    Returns
    -------
    DataFrame
        ``round, date, party, own_utility, other_utility, concession, gain_to_other,
        cumulative_concession``.
    """
    return _ledger(offer_utilities(deal, at=at), deal.us, deal.counterpart)


def _ledger(ou: pd.DataFrame, us: str, them: str) -> pd.DataFrame:
    party = ou["party"].to_numpy(dtype=object)
    u = {p: ou[f"u_{p}"].to_numpy(dtype=float) for p in (us, them)}
    n = len(ou)
    own = np.where(party == us, u[us], u[them])
    oth = np.where(party == us, u[them], u[us])
    conc = np.full(n, np.nan)
    gain = np.full(n, np.nan)
    cum = np.zeros(n)
    for p in (us, them):
        ix = np.flatnonzero(party == p)
        if len(ix) > 1:
            conc[ix[1:]] = own[ix[:-1]] - own[ix[1:]]
            gain[ix[1:]] = oth[ix[1:]] - oth[ix[:-1]]
        cum[ix] = np.nan_to_num(conc[ix]).cumsum()
    keep = (party == us) | (party == them)
    return pd.DataFrame({"round": ou["round"].to_numpy(), "date": ou["date"].to_numpy(),
                         "party": party, "own_utility": own, "other_utility": oth,
                         "concession": conc, "gain_to_other": gain,
                         "cumulative_concession": cum})[keep].reset_index(drop=True)


def reciprocity(ledger: pd.DataFrame, us: str, them: str) -> dict:
    """Totals of the ledger and the reciprocity balance.

    ``balance_us = 0.5 + 0.5 · (c_us − c_them) / (c_us + c_them)`` with ``c`` the sum of
    positive concessions (a retreat is not a negative concession): above 0.5 we have given more
    ground and reciprocity is owed to us (Cialdini 2001); 0.5 when nobody has conceded.

    Examples
    --------
    >>> led = pd.DataFrame({"party": ["a", "b", "a"], "concession": [float("nan"), 0.1, 0.3]})
    >>> reciprocity(led, "a", "b")["balance_us"]
    0.75
    """
    party = ledger["party"].to_numpy(dtype=object)
    conc = np.clip(np.nan_to_num(ledger["concession"].to_numpy(dtype=float)), 0, None)
    c = {p: float(conc[party == p].sum()) for p in (us, them)}
    tot = c[us] + c[them]
    bal = 0.5 if tot <= 0 else 0.5 + 0.5 * (c[us] - c[them]) / tot
    return {"conceded_us": c[us], "conceded_them": c[them], "balance_us": bal}


# ------------------------------------------------------------------------------------------
# stakeholders and the network
# ------------------------------------------------------------------------------------------
class _Net:
    """The ties as integer arrays over the stakeholder index, both directions (for reach)."""

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
                      stakeholders: pd.DataFrame | None = None, _net: _Net | None = None
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
    e.g. the informal-influence scores of powerkit.influence, when given).

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
    net = _net if _net is not None else _Net(deal.ties, idx)
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
                           for c in _MEASURED_FOR_US_ONLY])
    psy[ours] = np.nan
    pw = np.array([w[c] for c in _MEASURED_FOR_US_ONLY])
    mask = ~np.isnan(psy)
    denom = (mask * pw).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        psychological = np.where(denom > 0, np.nansum(psy * pw, axis=1) / denom, np.nan)
    say = 1 + 2 * sign + bshare + vshare + np.nan_to_num(listened)
    if stakeholder_weights is not None:
        sw = pd.to_numeric(pd.Series(stakeholder_weights), errors="coerce").reindex(idx)
        if (sw < 0).any():
            raise ValueError("The 'stakeholder_weights' parameter of power_profile must be >= 0. "
                             f"Got {sw[sw < 0].to_dict()!r} instead.")
        say = np.where(sw.isna(), say, sw.to_numpy(dtype=float))
    cols = {"name": s["name"].to_numpy(dtype=object), "party": party, "sign_off": sign,
            "budget_share": bshare, "vote_share": vshare, "listened_to": listened,
            "access_to": access}
    cols.update({c: psy[:, k] for k, c in enumerate(_MEASURED_FOR_US_ONLY)})
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
        raise ValueError(f"The 'stakeholder' parameter of stakeholder_provenance must be a "
                         f"stakeholder id of the deal. Got {stakeholder!r} instead.")
    w = resolve_weights(weights)
    r = stakeholder_power(deal, weights=weights, **kwargs).loc[stakeholder]
    psy = [c for c in _MEASURED_FOR_US_ONLY if not pd.isna(r[c])]
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
# the profile
# ------------------------------------------------------------------------------------------
@dataclass
class PowerProfile:
    """The three-source profile of each party and the balance between us and the counterpart.

    Attributes
    ----------
    inputs : DataFrame
        Provenance, one row per (party, input): ``party, source, input, raw, value, assumed,
        weight`` (within source), ``source_weight``, ``contribution`` (to the party's overall
        score) and ``how`` (how the value is read from the deal).
    scores : DataFrame
        Indexed by party: ``positional, psychological, systemic, overall``.
    drivers : DataFrame
        One row per input: ``source, input, us, them, difference, weight`` (W_s·w_i) and
        ``contribution`` (weight × difference), sorted by |contribution|. They sum to
        ``balance``.
    balance : float
        ``overall(us) − overall(counterpart)`` in [−1, 1].
    weights : dict
        The normalised weights used.
    """

    us: str
    counterpart: str
    at: pd.Timestamp
    inputs: pd.DataFrame
    scores: pd.DataFrame
    drivers: pd.DataFrame
    balance: float
    weights: dict
    stakeholders: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    split: bg.Split | None = field(repr=False, default=None)
    ledger: pd.DataFrame | None = field(repr=False, default=None)

    @property
    def contributions(self) -> pd.Series:
        return self.drivers.set_index("input")["contribution"]

    @property
    def by_source(self) -> pd.Series:
        """Each source's share of the balance (they sum to ``balance``)."""
        return pd.Series(_by_source(self))

    def label(self, threshold: float = 0.05) -> str:
        if self.balance >= threshold:
            return "more"
        if self.balance <= -threshold:
            return "less"
        return "balanced"


def _by_source(profile: PowerProfile) -> dict:
    out = dict.fromkeys(SOURCES, 0.0)
    for src, c in zip(profile.drivers["source"], profile.drivers["contribution"], strict=True):
        out[src] += float(c)
    return out


def _clip01(x):
    return None if x is None else float(min(1.0, max(0.0, x)))


def power_profile(deal, at=None, weights: Mapping[str, float] | None = None,
                  systemic_inputs=None, stakeholder_weights: pd.Series | None = None,
                  inputs: Mapping | None = None, events: bool = True) -> PowerProfile:
    """Score every party on the three sources of power and the balance us vs counterpart.

    Parameters
    ----------
    deal : powerkit.Deal
        Needs ``parties`` and ``stakeholders``; uses ``ties``, ``offers``/``issues`` and
        ``events`` when present (otherwise the inputs they feed are assumed neutral).
    at : date, optional
        Read the deal at this date: events dated on or before it are applied and deadlines
        are counted from it. Default: the deal's ``as_of``.
    weights : mapping, optional
        Overrides of :data:`DEFAULT_WEIGHTS` (input and source weights), see
        :func:`resolve_weights`.
    systemic_inputs : DataFrame or mapping, optional
        Computed systemic inputs that replace the hand-entered ones, e.g. from
        powerkit.influence or powerkit.coalitions: a DataFrame indexed by party (or a mapping
        party → {input: value}) with any of ``access``, ``coalition_strength``, ``external``
        in [0, 1]. Their provenance reads ``systemic_inputs``.
    stakeholder_weights : Series, optional
        Weight ("say") of each stakeholder when averaging over people (default: formal
        authority plus how much others listen to them; see :func:`stakeholder_power`).
    inputs : mapping, optional
        Direct overrides of scored values, ``{(party, input): value}`` (what-if, tornado).
    events : bool, default True
        Apply the deal's events dated on or before ``at``.

    Returns
    -------
    PowerProfile

    Raises
    ------
    ValueError
        Bad weights or override values.

    References
    ----------
    French, J. R. P., & Raven, B. (1959). The bases of social power. In D. Cartwright (Ed.),
    *Studies in Social Power*, 150–167. University of Michigan.
    Emerson, R. M. (1962). Power-dependence relations. *American Sociological Review* 27(1),
    31–41.
    Mayer, R. C., Davis, J. H., & Schoorman, F. D. (1995). An integrative model of
    organizational trust. *Academy of Management Review* 20(3), 709–734.
    """
    at = pd.Timestamp(deal.meta.as_of if at is None else at)
    d = apply_events(deal, at) if events else deal
    w = resolve_weights(weights)
    parties = d.parties
    us, them = d.us, d.counterpart
    if us not in parties.index or them not in parties.index:
        raise PowerkitError(f"the deal's us ({us!r}) and counterpart ({them!r}) must both be in "
                            "the parties table")
    tp = bg.time_pressure(d, at=at)
    rate = tp["rate"].to_dict()
    rate_src = tp["rate_source"].to_dict()
    net = _Net(d.ties, d.stakeholders.index)
    people = stakeholder_power(d, weights=weights, stakeholder_weights=stakeholder_weights,
                               _net=net)
    say = people["say"].to_numpy(dtype=float)
    party_of = people["party"].to_numpy(dtype=object)
    prow = {p: {c: number(v) if c not in ("role", "name", "side") else v
                for c, v in r.items()} for p, r in parties.to_dict("index").items()}

    # offers → reciprocity and commitment (us and counterpart only)
    ledger, recip, commit = None, None, {}
    if d.has("offers") and d.has("issues"):
        try:
            ou = offer_utilities(d, at=at)
            ledger = _ledger(ou, us, them)
            recip = reciprocity(ledger, us, them)
            for p, other in ((us, them), (them, us)):
                theirs = ou[ou["party"] == other]
                if len(theirs):
                    commit[p] = float(theirs[f"u_{p}"].iloc[-1])
        except (KeyError, ValueError):
            ledger, recip, commit = None, None, {}

    try:
        split = bg.expected_split(d, at=at, _tp=tp)
    except PowerkitError:
        split = None

    rows = []

    def add(party, name, value, raw, assumed=False, baseline=False):
        rows.append({"party": party, "source": INPUTS[name][0], "input": name, "raw": raw,
                     "value": value, "assumed": assumed, "baseline": baseline,
                     "how": INPUTS[name][2]})

    def wmean(values: np.ndarray, mask: np.ndarray):
        m = mask & ~np.isnan(values)
        tot = say[m].sum()
        return None if not m.any() or tot <= 0 else float((values[m] * say[m]).sum() / tot)

    def width(a, b):
        ra, rb = prow[a].get("role"), prow[b].get("role")
        if {ra, rb} != {"seller", "buyer"}:
            return None
        seller, buyer = (a, b) if ra == "seller" else (b, a)
        lo, hi = prow[seller].get("reservation_price"), prow[buyer].get("reservation_price")
        return None if lo is None or hi is None else hi - lo

    override_sys = _systemic_table(systemic_inputs)
    them_people = party_of == them
    for p in parties.index:
        pr = prow[p]
        other = them if p != them else us
        # positional ----------------------------------------------------------------
        B, W = pr.get("batna_value"), width(p, other)
        if B is not None and W is not None:
            B = max(B, 0.0)
            v = 1.0 if W <= 0 else B / (B + W)
            add(p, "batna", v, f"BATNA {B:,.0f}; ZOPA width {W:,.0f}")
        else:
            add(p, "batna", 0.5, "batna_value or ZOPA missing", True)
        n = pr.get("alternatives")
        if n is not None:
            add(p, "alternatives", n / (n + 1), f"{n:g} alternatives")
        else:
            add(p, "alternatives", 0.5, "blank", True)
        r_p, r_o = rate[p], rate[other]
        add(p, "time", 0.5 if r_p + r_o == 0 else r_o / (r_p + r_o),
            f"rate {r_p:.3f}/month ({rate_src[p]}) vs {r_o:.3f} ({other})",
            rate_src[p] == "assumed")
        for c in ("resources", "legal_position", "status"):
            v = pr.get(c)
            add(p, c, 0.5 if v is None else _clip01(v), "blank" if v is None else f"{v:g}",
                v is None)
        # psychological ------------------------------------------------------------
        if p == us:
            for c in _MEASURED_FOR_US_ONLY:
                vals = people[c].to_numpy(dtype=float)
                v = wmean(vals, them_people)
                k = int((them_people & ~np.isnan(vals)).sum())
                add(p, c, 0.5 if v is None else v,
                    f"mean over {k} of {them}'s people" if v is not None else "no ratings",
                    v is None)
        else:
            for c in _MEASURED_FOR_US_ONLY:
                add(p, c, 0.5, "neutral baseline (the deal records trust in us only)",
                    baseline=True)
        if recip is not None and p in (us, them):
            bal = recip["balance_us"] if p == us else 1 - recip["balance_us"]
            add(p, "reciprocity", bal, f"conceded: us {recip['conceded_us']:.3f}, them "
                                       f"{recip['conceded_them']:.3f}")
        else:
            add(p, "reciprocity", 0.5, "no offers history", True)
        if p in commit:
            add(p, "commitment", _clip01(commit[p]),
                f"our utility of {other}'s latest offer" if p == us else
                "their utility of our latest offer")
        else:
            add(p, "commitment", 0.5, "no offers from the other side", True)
        # systemic -------------------------------------------------------------------
        sys_vals = {}
        if p == them:
            sys_vals["access"] = (0.5, "neutral baseline (the deal maps our reach into their "
                                       "organisation)")
        elif not net.empty and them_people.any():
            acc = net.reach(party_of == p)
            sys_vals["access"] = (wmean(acc, them_people),
                                  f"{int((acc[them_people] == 1).sum())} direct, "
                                  f"{int((acc[them_people] == 0.5).sum())} via one, of "
                                  f"{int(them_people.sum())} people")
        else:
            sys_vals["access"] = (None, "no ties")
        for c in ("coalition_strength", "external"):
            v = pr.get(c)
            sys_vals[c] = (v, "blank" if v is None else f"{v:g}")
        for c in ("access", "coalition_strength", "external"):
            v, raw = sys_vals[c]
            if override_sys is not None and p in override_sys.index and c in override_sys \
                    and not pd.isna(override_sys.at[p, c]):
                v, raw = float(override_sys.at[p, c]), "systemic_inputs"
                if not 0 <= v <= 1:
                    raise ValueError(f"The 'systemic_inputs' parameter of power_profile must "
                                     f"hold values in [0, 1]. Got {v!r} for ({p!r}, {c!r}).")
            add(p, c, 0.5 if v is None else _clip01(v), raw, v is None,
                baseline=raw.startswith("neutral baseline"))

    pos = {(r["party"], r["input"]): k for k, r in enumerate(rows)}
    for (p, name), v in (inputs or {}).items():
        p = {"us": us, "them": them}.get(p, p)
        if name not in INPUTS:
            raise ValueError(f"The 'inputs' parameter of power_profile must name inputs among "
                             f"{sorted(INPUTS)}. Got {name!r} instead.")
        if (p, name) not in pos:
            raise ValueError(f"The 'inputs' parameter of power_profile must name parties among "
                             f"{list(parties.index)}. Got {p!r} instead.")
        rows[pos[(p, name)]].update(value=float(v), raw="override", assumed=False,
                                    baseline=False)
    score = {p: dict.fromkeys(SOURCES, 0.0) for p in parties.index}
    for r in rows:
        r["weight"] = w[r["input"]]
        r["source_weight"] = w[r["source"]]
        r["contribution"] = r["value"] * r["weight"] * r["source_weight"]
        score[r["party"]][r["source"]] += r["value"] * r["weight"]
    t = pd.DataFrame(rows, columns=["party", "source", "input", "raw", "value", "assumed",
                                    "baseline", "weight", "source_weight", "contribution",
                                    "how"])
    scores = pd.DataFrame.from_dict(score, orient="index").reindex(parties.index)
    scores["overall"] = sum(scores[s_] * w[s_] for s_ in SOURCES)
    scores.index.name = "party"

    names = list(INPUTS)
    ua = [rows[pos[(us, i)]] for i in names]
    ta = [rows[pos[(them, i)]] for i in names]
    uv = np.array([r["value"] for r in ua])
    tv = np.array([r["value"] for r in ta])
    wt = np.array([w[i] * w[INPUTS[i][0]] for i in names])
    drv = pd.DataFrame({"source": [INPUTS[i][0] for i in names], "input": names, "us": uv,
                        "them": tv, "difference": uv - tv, "weight": wt,
                        "contribution": wt * (uv - tv),
                        "assumed": [a["assumed"] or b["assumed"] for a, b in zip(ua, ta,
                                                                                 strict=True)]})
    order = np.argsort(-np.abs(drv["contribution"].to_numpy()), kind="stable")
    drv = drv.iloc[order].reset_index(drop=True)
    balance = float(drv["contribution"].sum())
    return PowerProfile(us, them, at, t, scores, drv, balance, w, people, split, ledger)


def _systemic_table(systemic_inputs):
    if systemic_inputs is None:
        return None
    if isinstance(systemic_inputs, pd.DataFrame):
        t = systemic_inputs
    elif isinstance(systemic_inputs, Mapping):
        t = pd.DataFrame.from_dict(dict(systemic_inputs), orient="index")
    else:
        raise ValueError("The 'systemic_inputs' parameter of power_profile must be a DataFrame "
                         "indexed by party or a mapping party → {input: value}. Got "
                         f"{type(systemic_inputs).__name__} instead.")
    bad = set(t.columns) - {"access", "coalition_strength", "external"}
    if bad:
        raise ValueError("The 'systemic_inputs' parameter of power_profile must have columns "
                         "among ['access', 'coalition_strength', 'external']. Got "
                         f"{sorted(bad)} instead.")
    return t


# ------------------------------------------------------------------------------------------
# sensitivity
# ------------------------------------------------------------------------------------------
def tornado(profile: PowerProfile, spread: float = 0.2) -> pd.DataFrame:
    """How much each input moves the balance over its plausible range.

    Each input of each side (us, counterpart) moves over ``[value − spread, value + spread]``
    clipped to [0, 1]; an *assumed* input (the deal does not give it) over all of [0, 1];
    a neutral *baseline* (an input the deal measures for us only) stays fixed. The balance is
    linear in every input (coefficient ``±W_s·w_i``), so the ends are exact.

    Returns
    -------
    DataFrame
        ``input, party, source, value, low, high, balance_low, balance_high, swing`` sorted by
        swing, largest first.
    """
    if not 0 <= spread <= 1:
        raise ValueError(f"The 'spread' parameter of tornado must be in [0, 1]. Got {spread!r} "
                         "instead.")
    t = profile.inputs
    t = t[t["party"].isin([profile.us, profile.counterpart]) & ~t["baseline"]].copy()
    coef = t["weight"] * t["source_weight"] * np.where(t["party"] == profile.us, 1.0, -1.0)
    lo = np.where(t["assumed"], 0.0, (t["value"] - spread).clip(lower=0.0))
    hi = np.where(t["assumed"], 1.0, (t["value"] + spread).clip(upper=1.0))
    out = pd.DataFrame({
        "input": t["input"], "party": t["party"], "source": t["source"], "value": t["value"],
        "low": lo, "high": hi,
        "balance_low": profile.balance + coef * (lo - t["value"]),
        "balance_high": profile.balance + coef * (hi - t["value"]),
    })
    out["swing"] = (out["balance_high"] - out["balance_low"]).abs()
    return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------------------
# situational shifts
# ------------------------------------------------------------------------------------------
def _coerce(value, column: pd.Series):
    if value is None or (isinstance(value, float) and math.isnan(value)) or (
            isinstance(value, str) and value.strip() == ""):
        return np.nan
    if pd.api.types.is_datetime64_any_dtype(column):
        return pd.Timestamp(value)
    if pd.api.types.is_bool_dtype(column):
        return str(value).strip().lower() in ("true", "1", "yes", "y")
    if pd.api.types.is_numeric_dtype(column):
        return float(value)
    return value


def apply_events(deal, at=None):
    """The deal as it stands at ``at``: every event dated on or before it applied, in order.

    An event sets ``field`` of party or stakeholder ``target`` to ``value`` (cast to the
    column's type). Applying an event twice changes nothing, so events already folded into the
    tables are harmless.

    Returns
    -------
    powerkit.Deal
        A copy; the original is untouched. Without events, the deal itself.
    """
    if not deal.has("events"):
        return deal
    at = pd.Timestamp(deal.meta.as_of if at is None else at)
    ev = deal.events
    ev = ev[ev["date"] <= at].sort_values("date", kind="stable")
    if not len(ev):
        return deal
    parties, people = deal.parties.copy(), deal.stakeholders.copy()
    for _, e in ev.iterrows():
        tgt, fld = e["target"], e["field"]
        df = parties if tgt in parties.index else people
        if tgt not in df.index or fld not in df.columns:
            raise PowerkitError(f"event of {e['date']:%Y-%m-%d} sets {fld!r} of {tgt!r}, which "
                                "the deal does not have")
        df.loc[tgt, fld] = _coerce(e["value"], df[fld])
    return deal.replace(parties=parties, stakeholders=people)


def balance_timeline(deal, dates=None, step_months: float | None = 1.0, **kwargs) -> pd.DataFrame:
    """The balance recomputed over time: at ``as_of``, at each event and (by default) monthly.

    Parameters
    ----------
    deal : powerkit.Deal
    dates : list of dates, optional
        Where to evaluate; default ``as_of``, every event date and a monthly grid up to the
        later of the last event and the earlier of the two parties' deadlines.
    step_months : float or None
        Spacing of the monthly grid (None: only ``as_of`` and event dates).
    **kwargs
        Passed to :func:`power_profile` (weights, systemic_inputs, ...).

    Returns
    -------
    DataFrame
        ``date, balance, positional, psychological, systemic, weight_us, price, event``
        (``event``: descriptions of the events of that date, joined by "; ").
    """
    start = pd.Timestamp(deal.meta.as_of)
    ev = deal.events if deal.has("events") else None
    if dates is None:
        pts = {start}
        if ev is not None:
            pts |= set(ev["date"][ev["date"] >= start])
        if step_months:
            dl = deal.parties.loc[[deal.us, deal.counterpart], "deadline"].dropna()
            end = max([start] + ([dl.min()] if len(dl) else []) + list(pts))
            k = 1
            while (t := start + pd.Timedelta(days=round(k * step_months * bg.DAYS_PER_MONTH))) <= end:
                pts.add(t)
                k += 1
        dates = sorted(pts)
    rows = []
    for t in dates:
        t = pd.Timestamp(t)
        pr = power_profile(deal, at=t, **kwargs)
        bs = pr.by_source
        desc = ""
        if ev is not None:
            desc = "; ".join(str(x) for x in ev.loc[ev["date"] == t, "description"])
        rows.append({"date": t, "balance": pr.balance, "positional": bs["positional"],
                     "psychological": bs["psychological"], "systemic": bs["systemic"],
                     "weight_us": pr.split.weight_us if pr.split else np.nan,
                     "price": pr.split.price if pr.split else np.nan, "event": desc})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------
# what-if (the widget callback)
# ------------------------------------------------------------------------------------------
@dataclass
class WhatIf:
    """Result of :func:`what_if`: the modified deal, its profile, split and posture."""

    deal: object
    profile: PowerProfile
    split: bg.Split | None
    posture: pd.DataFrame
    changes: pd.DataFrame

    def headline(self) -> dict:
        return {"balance": round(self.profile.balance, 4),
                "weight_us": None if self.split is None else round(self.split.weight_us, 4),
                "price": None if self.split is None or self.split.price is None
                else round(self.split.price, 2)}


def what_if(deal, batna: float | None = None, their_deadline=None, our_deadline=None,
            weights: Mapping[str, float] | None = None, at=None,
            overrides: Mapping | None = None, **kwargs) -> WhatIf:
    """Recompute the power picture with some inputs changed (the widgets call this).

    Parameters
    ----------
    deal : powerkit.Deal
    batna : float, optional
        Our BATNA value (money). Our reservation price moves by the same amount, keeping the
        gap between them (what the alternative is worth sets where we walk away).
    their_deadline, our_deadline : date or float, optional
        A date, or months after the clock date ``at``.
    weights : mapping, optional
        Weight overrides (:func:`resolve_weights`).
    at : date, optional
        The clock date; events up to it are applied first (default ``as_of``).
    overrides : mapping, optional
        Any other change, ``{(party_or_stakeholder, column): value}``.
    **kwargs
        Passed to :func:`power_profile` (``systemic_inputs``, ``stakeholder_weights``).

    Returns
    -------
    WhatIf
        ``changes`` lists every change made (target, field, before, after).
    """
    clock = pd.Timestamp(deal.meta.as_of if at is None else at)
    d = apply_events(deal, clock)
    parties, people = d.parties.copy(), d.stakeholders.copy()
    changes = []

    def setv(df, tgt, col, v):
        before = df.at[tgt, col]
        df.loc[tgt, col] = v
        changes.append({"target": tgt, "field": col, "before": before, "after": v})

    def deadline(v):
        if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool):
            return clock + pd.Timedelta(days=float(v) * bg.DAYS_PER_MONTH)
        return pd.Timestamp(v)

    if batna is not None:
        b = float(batna)
        old = number(parties.at[d.us, "batna_value"])
        rp = number(parties.at[d.us, "reservation_price"])
        setv(parties, d.us, "batna_value", b)
        if rp is not None and old is not None:
            role = parties.at[d.us, "role"]
            shift = (b - old) if role == "seller" else -(b - old)
            setv(parties, d.us, "reservation_price", rp + shift)
    if their_deadline is not None:
        setv(parties, d.counterpart, "deadline", deadline(their_deadline))
    if our_deadline is not None:
        setv(parties, d.us, "deadline", deadline(our_deadline))
    for (tgt, col), v in (overrides or {}).items():
        df = parties if tgt in parties.index else people
        if tgt not in df.index or col not in df.columns:
            raise ValueError(f"The 'overrides' parameter of what_if must name a party or "
                             f"stakeholder and one of its columns. Got ({tgt!r}, {col!r}) "
                             "instead.")
        setv(df, tgt, col, _coerce(v, df[col]) if isinstance(v, str) else v)
    d2 = d.replace(parties=parties, stakeholders=people)
    prof = power_profile(d2, at=clock, weights=weights, events=False, **kwargs)
    return WhatIf(d2, prof, prof.split, posture(prof), pd.DataFrame(
        changes, columns=["target", "field", "before", "after"]))


# ------------------------------------------------------------------------------------------
# posture
# ------------------------------------------------------------------------------------------
def posture(profile: PowerProfile, strong: float = 0.05, very: float = 0.15,
            low_trust: float = 0.5, low_fit: float = 0.5, low_access: float = 0.5
            ) -> pd.DataFrame:
    """The posture that follows from the balance and its sources, as a transparent rule table.

    Each row is a rule that fired: the recommendation (METHOD.md §3–5), the reason, and the
    numbers that triggered it. Thresholds are parameters so a consultant can see and change them.

    Returns
    -------
    DataFrame
        ``rule, recommendation, reason, numbers, method`` in order of priority.
    """
    b = profile.balance
    bs = _by_source(profile)
    inp = profile.inputs
    mine = inp[inp["party"] == profile.us]
    val = dict(zip(mine["input"], mine["value"], strict=True))
    assumed = dict(zip(mine["input"], mine["assumed"], strict=True))
    split = profile.split
    rules = []

    def rule(name, rec, reason, numbers, method):
        rules.append({"rule": name, "recommendation": rec, "reason": reason,
                      "numbers": numbers, "method": method})

    bal = f"balance {b:+.2f}"
    if b >= strong:
        rule("more power: use it indirectly",
             "Show strength through actions, insight and capability, never through threats; "
             "let the strength set the context quietly.",
             f"the balance favours us (≥ {strong:+.2f})", bal, "§4 power without intimidation")
        rule("more power: create value from strength",
             "Use the advantage to build a package that works for both sides rather than to "
             "extract concessions: people who feel exploited do the minimum and leave.",
             f"the balance favours us (≥ {strong:+.2f})", bal, "§4 win-win from strength")
    if b >= very:
        rule("much more power: strategic restraint",
             "Do not press the advantage to its limit; protect core interests, be direct about "
             "advantages without arrogance.",
             f"the balance strongly favours us (≥ {very:+.2f})", bal,
             "§4 strategic restraint; §5 more power")
    if b <= -strong:
        rule("less power: create value and build relationships",
             "Do not demand concessions you cannot justify; show benefits beyond the "
             "transaction and invest in the relationship.",
             f"the balance favours them (≤ {-strong:+.2f})", bal, "§5 less power")
    if b <= -very:
        rule("much less power: name the imbalance",
             "Acknowledge the imbalance openly and move the conversation to mutual benefit.",
             f"the balance strongly favours them (≤ {-very:+.2f})", bal, "§5 less power")
    if -strong < b < strong:
        rule("balanced: shift power through value creation",
             "Neither side can impose: compete on the value you contribute, which is the most "
             "stable kind of power.",
             f"the balance is within ±{strong:.2f}", bal, "§5 shifting power through value creation")
    if bs["positional"] > 0.02 and bs["psychological"] < -0.02:
        rule("positional edge, psychological deficit",
             "Our edge is positional: use it quietly and spend the effort on trust and framing, "
             "where we are behind.",
             "positional sources favour us while psychological ones favour them",
             f"positional {bs['positional']:+.3f}, psychological {bs['psychological']:+.3f}",
             "§1, §3")
    if bs["systemic"] < -0.02:
        rule("systemic deficit: build access",
             "The system around the deal favours them: map who really decides and build access "
             "to them and their advisers before pressing on terms.",
             "systemic sources favour them",
             f"systemic {bs['systemic']:+.3f}, access {val['access']:.2f}", "§2, §6")
    trust = {k: val[k] for k in ("trust_competence", "trust_benevolence", "trust_reliability")}
    mean_trust = sum(trust.values()) / 3
    if not all(assumed[k] for k in trust) and mean_trust < low_trust:
        weakest = min(trust, key=trust.get).replace("trust_", "")
        rule("low trust: build it where it is weakest",
             f"Trust in us is below {low_trust:.2f}; work first on {weakest}, using what builds "
             "trust for each person (see the trust profile).",
             f"mean trust {mean_trust:.2f} < {low_trust:.2f}",
             ", ".join(f"{k.replace('trust_', '')} {v:.2f}" for k, v in trust.items()), "§3")
    fit = val["frame_fit"]
    if not assumed["frame_fit"] and fit < low_fit:
        rule("weak frame fit: reframe",
             "Connect the proposal to problems they already recognise, so it reads as the "
             "obvious answer rather than a pitch.",
             f"frame fit {fit:.2f} < {low_fit:.2f}", f"frame fit {fit:.2f}", "§3 frame control")
    acc = val["access"]
    if not assumed["access"] and acc < low_access:
        rule("little access to decision-makers",
             "Too few of the people who matter on their side can be reached directly: build "
             "those relationships (the influence walkthrough ranks whom to approach).",
             f"access {acc:.2f} < {low_access:.2f}", f"access {acc:.2f}", "§2, §7")
    if split is not None:
        w = split.weight_us
        if w >= 0.55:
            rule("time is on our side",
                 "Their time pressure is higher: avoid rushing and do not reveal urgency, but "
                 "do not exploit their deadline openly.",
                 "our BRW weight ≥ 0.55", f"weight {w:.2f}", "§2 situational shifts")
        elif w <= 0.45:
            rule("time works against us",
                 "Our time pressure is higher: create options that ease our deadline and keep it "
                 "out of the conversation.",
                 "our BRW weight ≤ 0.45", f"weight {w:.2f}", "§2 situational shifts")
        if not split.zopa.exists:
            rule("no ZOPA",
                 "No price works for both sides: improve the alternatives or enlarge what is on "
                 "the table (other issues, value creation) before talking price.",
                 "the buyer's highest price is below the seller's lowest",
                 f"gap {split.zopa.gap:,.0f}", "§5 value creation")
    rec = val["reciprocity"]
    if not assumed["reciprocity"]:
        if rec < 0.4:
            rule("reciprocate",
                 "They have given more ground than we have: a genuine concession now invites "
                 "reciprocity and builds goodwill.",
                 "reciprocity balance < 0.40", f"reciprocity {rec:.2f}", "§3 reciprocity")
        elif rec > 0.6:
            rule("ask for reciprocity",
                 "We have given more ground: name it and ask for a matching move before "
                 "conceding again.",
                 "reciprocity balance > 0.60", f"reciprocity {rec:.2f}", "§3 reciprocity")
    return pd.DataFrame(rules, columns=["rule", "recommendation", "reason", "numbers", "method"])


# ------------------------------------------------------------------------------------------
# trust profile
# ------------------------------------------------------------------------------------------
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


# ------------------------------------------------------------------------------------------
# perspective and display
# ------------------------------------------------------------------------------------------
def as_party(deal, party: str, counterpart: str | None = None):
    """The deal seen from another party: ``party`` becomes "us".

    The counterpart becomes ``counterpart`` or, by default, the old "us" when ``party`` was
    the counterpart, else the old counterpart. The trust and frame-fit columns record trust in
    the deal's original "us", so from any other perspective they are blanked (and the inputs
    they feed are flagged as assumed).

    Raises
    ------
    ValueError
        When ``party`` or ``counterpart`` is not in the parties table, or they are equal.
    """
    if not party or party == deal.us and counterpart in (None, deal.counterpart):
        return deal
    ids = list(deal.parties.index)
    if party not in ids:
        raise ValueError(f"The 'party' parameter of as_party must be one of {ids}. Got "
                         f"{party!r} instead.")
    if counterpart is None:
        counterpart = deal.us if party == deal.counterpart else deal.counterpart
    if counterpart not in ids or counterpart == party:
        raise ValueError(f"The 'counterpart' parameter of as_party must be one of {ids} other "
                         f"than {party!r}. Got {counterpart!r} instead.")
    people = deal.stakeholders
    if party != deal.us:
        people = people.copy()
        people[list(_MEASURED_FOR_US_ONLY)] = np.nan
    meta = _replace(deal.meta, us=party, counterpart=counterpart)
    return deal.replace(meta=meta, stakeholders=people)


def provenance_table(profile: PowerProfile, names: Mapping[str, str] | None = None
                     ) -> pd.DataFrame:
    """The provenance of us and the counterpart side by side, one row per input.

    Columns: source, input, for each side its value and how it was read (``raw``), the weight
    (W_s·w_i) and the contribution to the balance; a ``*`` marks assumed or baseline values.
    """
    names = dict(names or {})
    t = profile.inputs
    out = []
    for side in (profile.us, profile.counterpart):
        g = t[t["party"] == side].set_index("input")
        mark = np.where(g["assumed"] | g["baseline"], "*", "")
        out.append(pd.DataFrame({
            f"{names.get(side, side)}": [f"{v:.2f}{m}" for v, m in zip(g["value"], mark,
                                                                     strict=True)],
            f"{names.get(side, side)}: from": g["raw"]}, index=g.index))
    drv = profile.drivers.set_index("input")
    head = pd.DataFrame({"source": [INPUTS[i][0] for i in INPUTS]}, index=list(INPUTS))
    res = pd.concat([head, *out], axis=1)
    res["weight"] = drv["weight"].reindex(res.index).round(3)
    res["contribution"] = drv["contribution"].reindex(res.index).round(4)
    res.index.name = "input"
    return res.reset_index()


# ------------------------------------------------------------------------------------------
# report
# ------------------------------------------------------------------------------------------
_TEACH = (
    "Power in a negotiation comes from three places. **Positional** power is what you hold: a "
    "good alternative, resources, time to wait, a legal or market position. It is real, but it "
    "decides less than people expect and works best quietly, as the backdrop. "
    "**Psychological** power is how well you read and move the other side: whether they trust "
    "your competence, goodwill and reliability, whether your proposal answers problems they "
    "already see, and what they owe you or have committed to. **Systemic** power is your place "
    "in the system around the deal: access to the people who really decide, allies, and how "
    "the wider market favours you. The balance below sets each source against the other side's "
    "and shows which inputs drive it."
)


def report_section(deal, weights: Mapping[str, float] | None = None, systemic_inputs=None,
                   top: int = 5, **kwargs) -> Section:
    """The report's "power balance" section: profile, top drivers, predicted split, posture.

    Never raises for a deal that loads: a part that cannot be computed is left out with a note.
    """
    from .plots.power import power_profile_figure, zopa_figure

    sec = Section("power", "Power balance")
    try:
        prof = power_profile(deal, weights=weights, systemic_inputs=systemic_inputs, **kwargs)
    except (PowerkitError, ValueError, KeyError) as exc:
        sec.missing = f"The power balance could not be computed: {exc}"
        return sec
    us_name = deal.parties.at[deal.us, "name"]
    them_name = deal.parties.at[deal.counterpart, "name"]
    drv = prof.drivers.head(top)
    label = {"more": "we hold more power", "less": "they hold more power",
             "balanced": "power is roughly balanced"}[prof.label()]
    bs = prof.by_source
    post = posture(prof)
    head = {
        "balance": round(prof.balance, 3),
        "balance_label": label,
        "positional": round(float(bs["positional"]), 3),
        "psychological": round(float(bs["psychological"]), 3),
        "systemic": round(float(bs["systemic"]), 3),
        "top_drivers": [str(x) for x in drv["input"]],
        "top_driver_contributions": [round(float(x), 4) for x in drv["contribution"]],
        "us": str(us_name), "counterpart": str(them_name),
        "posture": str(post["rule"].iloc[0]) if len(post) else "",
    }
    split = prof.split
    if split is not None:
        head.update({"zopa_exists": bool(split.zopa.exists),
                     "zopa_width": round(float(split.zopa.width), 0),
                     "weight_us": round(split.weight_us, 3),
                     "predicted_price": None if split.price is None else round(split.price, 0),
                     "share_us": None if split.share_us is None else round(split.share_us, 3)})
    side = "in our favour" if head["top_driver_contributions"][0] >= 0 else "in theirs"
    bal = f"{head['balance']:+.2f}" if round(head["balance"], 2) != 0 else "0.00"
    summary = (f"Balance {bal} on a scale of −1 to +1: {head['balance_label']}; "
               f"the largest driver is {esc(head['top_drivers'][0].replace('_', ' '))} "
               f"({side}).")
    if split is not None and split.price is not None:
        summary += (f" Given both sides' walk-away prices and time pressure, the expected price "
                    f"is {esc(deal.meta.currency)} {head['predicted_price']:,.0f} "
                    f"({head['share_us']:.0%} of the ZOPA to us).")
    elif split is not None:
        summary += " There is no ZOPA: no price works for both sides."
    sec.headline, sec.summary = head, summary
    table = drv[["source", "input", "us", "them", "weight", "contribution"]].copy()
    table["input"] = table["input"].str.replace("_", " ")
    table = table.rename(columns={"us": str(us_name), "them": str(them_name)}).round(3)
    sec.add(_TEACH, power_profile_figure(prof, us_name=us_name, them_name=them_name),
            "How to read it: each pair of bars compares the two sides on one source of power "
            "(0 = none, 1 = the most the inputs allow); the last pair is the weighted overall "
            "score. The table lists the inputs that move the balance most: contribution = "
            "weight × (our value − theirs), and the contributions add up to the balance.",
            table)
    if split is not None:
        sec.add(
            "**Alternatives and time pressure.** Each side's walk-away price is set by its "
            "best alternative; between them lies the zone of possible agreement (ZOPA). Who "
            "gets more of it depends on who can wait: the side under more time pressure "
            "concedes more. The predicted price below shares the ZOPA by the two sides' "
            "patience (Rubinstein's bargaining model in the limit of quick offers).",
            zopa_figure(split, us_name=us_name, them_name=them_name,
                        currency=deal.meta.currency))
    if len(post):
        sec.add("**Posture.** What follows from the balance and its sources; each line gives the "
                "reason and the numbers behind it.",
                post[["recommendation", "reason", "numbers"]])
    return sec
