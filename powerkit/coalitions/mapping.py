"""Power mapping: Mendelow's power–interest grid and Mitchell, Agle & Wood's salience types.

* :func:`mendelow_quadrant`, :data:`MENDELOW_ENGAGEMENT`;
* :func:`salience_type`, :data:`SALIENCE_TYPES`;
* :func:`power_map` — every stakeholder of a deal on both, power being the largest of voting,
  formal and informal (network) power.

Formulas and references: docs/methods/coalitions.md §5.
"""
from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .games import VotingGame, voting_game
from .indices import power_indices
from .path import total_influence

__all__ = ["MENDELOW_ENGAGEMENT", "RIVAL_ENGAGEMENT", "SALIENCE_TYPES", "mendelow_quadrant", "salience_type",
           "power_map"]


MENDELOW_ENGAGEMENT = {
    "manage closely": "key player: involve them in shaping the proposal, meet early and often",
    "keep satisfied": "can stop us but cares little: meet their concerns, brief them before "
                      "decisions, do not overload them",
    "keep informed": "cares a lot but cannot decide: keep them up to date — they are potential "
                     "allies (or vocal critics) and can reach the powerful",
    "monitor": "watch for changes in their power or interest; minimal effort",
}

#: what the map says of a rival's people, whatever their quadrant: they compete with us
RIVAL_ENGAGEMENT = ("a rival: competes with us for the counterpart — counter their offer "
                    "(see the game plan), do not court")

# type: (class, attributes, engagement) — Mitchell, Agle & Wood (1997)
SALIENCE_TYPES = {
    "definitive": ("definitive", "power + legitimacy + urgency",
                   "immediate priority: engage now, at the top of the list"),
    "dominant": ("expectant", "power + legitimacy",
                 "formal, regular engagement: their expectations matter and they can act"),
    "dangerous": ("expectant", "power + urgency",
                  "watch closely: power and urgency without legitimacy can turn coercive; "
                  "address the urgency through legitimate channels"),
    "dependent": ("expectant", "legitimacy + urgency",
                  "advocacy: they depend on others' power — a powerful ally can adopt their "
                  "claim (or an opponent can)"),
    "dormant": ("latent", "power",
                "keep in view: power they do not use now; little needed until they gain "
                "urgency"),
    "discretionary": ("latent", "legitimacy",
                      "goodwill: a legitimate claim without pressure; courtesy and information"),
    "demanding": ("latent", "urgency",
                  "acknowledge, do not over-invest: urgency without power or legitimacy"),
    "non-stakeholder": ("none", "none", "no engagement needed for this decision"),
}


def mendelow_quadrant(power, interest, power_threshold: float = 0.5,
                      interest_threshold: float = 0.5) -> str:
    """Mendelow's power–interest quadrant: manage closely / keep satisfied / keep informed /
    monitor. High means ≥ the threshold (both on 0..1).

    Examples
    --------
    >>> mendelow_quadrant(0.8, 0.2), mendelow_quadrant(0.2, 0.9)
    ('keep satisfied', 'keep informed')
    """
    hp, hi = power >= power_threshold, interest >= interest_threshold
    if hp and hi:
        return "manage closely"
    if hp:
        return "keep satisfied"
    if hi:
        return "keep informed"
    return "monitor"


def salience_type(power: bool, legitimacy: bool, urgency: bool) -> str:
    """Mitchell, Agle & Wood's stakeholder type from which of the three attributes are present.

    Examples
    --------
    >>> salience_type(True, True, True), salience_type(True, False, True)
    ('definitive', 'dangerous')
    """
    key = (bool(power), bool(legitimacy), bool(urgency))
    return {(True, True, True): "definitive", (True, True, False): "dominant",
            (True, False, True): "dangerous", (False, True, True): "dependent",
            (True, False, False): "dormant", (False, True, False): "discretionary",
            (False, False, True): "demanding", (False, False, False): "non-stakeholder"}[key]


def _scaled(s: pd.Series) -> pd.Series:
    s = s.astype(float).fillna(0.0)
    m = float(s.max()) if len(s) else 0.0
    return s / m if m > 0 else s * 0.0


def power_map(deal, power_threshold: float = 0.5, interest_threshold: float = 0.5,
              attribute_threshold: float = 0.5, include_us: bool = False,
              game: VotingGame | None = None, pivotal=(), influence=None) -> pd.DataFrame:
    """Every stakeholder on Mendelow's grid and in Mitchell, Agle & Wood's salience types.

    Power (0..1) is the largest of three sources, each scaled by its maximum in the deal
    (docs/methods/coalitions.md §5):

    * ``voting``: Shapley–Shubik index in the deal's voting game (:func:`voting_game`);
    * ``formal``: 1 for a sign-off holder, else budget authority / the largest budget;
    * ``informal``: influence on others in the Friedkin–Johnsen model, Σ_{i≠j} V[i, j] (the
      shares of j's stance in everyone else's final stance), when the deal has ties.

    Interest is the ``interest`` column (blank: |stance|, a strong view signals interest).
    An attribute (power, legitimacy, urgency) is *present* when ≥ ``attribute_threshold``;
    blank legitimacy or urgency count as absent.

    Parameters
    ----------
    deal : powerkit.Deal
    power_threshold, interest_threshold : float, default 0.5
        Where "high" starts on Mendelow's grid.
    attribute_threshold : float, default 0.5
        Where a salience attribute counts as present.
    include_us : bool, default False
        Map our own people too.
    game : VotingGame, optional
        The voting game (default :func:`voting_game`).
    pivotal : iterable of stakeholder ids, optional
        Voters whose votes complete the coalition plan's winning coalition: pivotal in the
        coalition we are building, so their power is at least ``power_threshold`` (the map
        never says "keep informed" of a vote the plan needs; column ``closes_vote``).
    influence : powerkit.influence.OpinionForecast, optional
        The Friedkin–Johnsen model of the deal's ties with the default kinds (e.g. a coalition
        plan's ``influence``), used instead of being computed again; informal power depends
        only on its weights and susceptibilities.

    Returns
    -------
    pandas.DataFrame
        Indexed by stakeholder: name, party, stance, power, voting, formal, informal,
        interest, interest_source, legitimacy, urgency, quadrant, mendelow_engagement,
        salience (type), salience_class, attributes (count), salience_engagement; sorted by
        power, then interest. ``.attrs``: the thresholds, ``game`` (its description),
        ``quadrant_counts`` (quadrant → people mapped) and ``salience_counts`` (type →
        people mapped).

    References
    ----------
    Mendelow, A. L. (1981). Environmental scanning — the impact of the stakeholder concept.
    *Proceedings of the 2nd International Conference on Information Systems (ICIS)*, 407–418.
    Mitchell, R. K., Agle, B. R. & Wood, D. J. (1997). Toward a theory of stakeholder
    identification and salience: defining the principle of who and what really counts.
    *Academy of Management Review* 22(4), 853–886.
    """
    func = "power_map"
    for name, v in (("power_threshold", power_threshold),
                    ("interest_threshold", interest_threshold),
                    ("attribute_threshold", attribute_threshold)):
        if isinstance(v, bool) or not isinstance(v, Real) or not 0 <= v <= 1:
            raise bad_argument(name, func, "a number in [0, 1]", v)
    st = deal.stakeholders
    game = voting_game(deal) if game is None else game
    ss = power_indices(game.weights, game.quota)["shapley_shubik"].astype(float)
    voting = _scaled(ss.reindex(st.index).fillna(0.0))
    budget = pd.to_numeric(st["budget_authority"], errors="coerce").fillna(0.0)
    formal = pd.concat([st["sign_off"].astype(bool).astype(float), _scaled(budget)],
                       axis=1).max(axis=1)
    x0 = pd.to_numeric(st["stance"], errors="coerce").fillna(0.0)
    informal = pd.Series(0.0, index=st.index)
    if deal.has("ties"):
        fc = influence if influence is not None else total_influence(deal, x0)[0]
        if fc is not None:  # Σ_{i≠j} V[i, j] without the n × n V: one's own anchor does not count
            informal = _scaled(fc.influence_on_others().reindex(st.index).fillna(0.0))
    power = pd.concat([voting, formal, informal], axis=1).max(axis=1)
    closes = st.index.isin(list(pivotal))
    power = power.where(~closes, power.clip(lower=power_threshold))
    interest_raw = pd.to_numeric(st["interest"], errors="coerce")
    interest = interest_raw.fillna(x0.abs()).clip(0, 1)
    legit = pd.to_numeric(st["legitimacy"], errors="coerce")
    urg = pd.to_numeric(st["urgency"], errors="coerce")
    out = pd.DataFrame({"name": st["name"], "party": st["party"], "stance": x0,
                        "power": power, "voting": voting, "formal": formal,
                        "informal": informal, "interest": interest,
                        "interest_source": np.where(interest_raw.isna(), "|stance|",
                                                    "interest"),
                        "legitimacy": legit, "urgency": urg, "closes_vote": closes})
    out["quadrant"] = [mendelow_quadrant(p, i, power_threshold, interest_threshold)
                       for p, i in zip(out["power"], out["interest"], strict=True)]
    out["mendelow_engagement"] = out["quadrant"].map(MENDELOW_ENGAGEMENT)
    rival = st["party"].map(deal.parties["side"]).eq("rival")
    out.loc[rival, "mendelow_engagement"] = RIVAL_ENGAGEMENT  # never advised as an ally
    has_p = out["power"] >= attribute_threshold
    has_l = legit.fillna(0.0) >= attribute_threshold
    has_u = urg.fillna(0.0) >= attribute_threshold
    out["salience"] = [salience_type(a, b, c) for a, b, c in zip(has_p, has_l, has_u,
                                                                  strict=True)]
    out["salience_class"] = out["salience"].map(lambda t: SALIENCE_TYPES[t][0])
    out["attributes"] = has_p.astype(int) + has_l.astype(int) + has_u.astype(int)
    out["salience_engagement"] = out["salience"].map(lambda t: SALIENCE_TYPES[t][2])
    if not include_us:
        out = out[out["party"] != deal.us]
    out.index.name = "stakeholder"
    out.attrs.update(power_threshold=power_threshold, interest_threshold=interest_threshold,
                     attribute_threshold=attribute_threshold, game=game.description,
                     quadrant_counts={q: int((out["quadrant"] == q).sum())
                                      for q in MENDELOW_ENGAGEMENT},
                     salience_counts={t: int((out["salience"] == t).sum())
                                      for t in SALIENCE_TYPES})
    return out.sort_values(["power", "interest"], ascending=False, kind="stable")


