"""The balance of power: each party scored on the three sources, and the balance between us and
the counterpart with its drivers and its sensitivity.

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

__all__ = ["PowerProfile", "power_profile", "tornado", "provenance_table"]

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..bargaining import Split, expected_split, time_pressure
from ..deal import number
from ..deal.money import walk_aways
from ..errors import InputError, PowerkitError, bad_argument
from .events import apply_events
from .ledger import ledger_from_utilities, offer_utilities, reciprocity
from .sources import INPUTS, MEASURED_FOR_US_ONLY, SOURCES, resolve_weights
from .stakeholders import Network, stakeholder_power


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
    stakeholders : DataFrame
        :func:`powerkit.power.stakeholder_power` of the deal at ``at``.
    split : powerkit.bargaining.Split or None
        The expected split of the ZOPA (None when the deal has no seller/buyer prices).
    ledger : DataFrame or None
        :func:`powerkit.power.concession_ledger` up to ``at`` (None without offers).
    time_pressure : DataFrame or None
        :func:`powerkit.bargaining.time_pressure` of every party at ``at`` (events applied).
    names : dict
        Party id → display name (the parties' ``name``).
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
    split: Split | None = field(repr=False, default=None)
    ledger: pd.DataFrame | None = field(repr=False, default=None)
    time_pressure: pd.DataFrame | None = field(repr=False, default=None)
    names: dict = field(repr=False, default_factory=dict)

    @property
    def us_name(self) -> str:
        """Our display name (the party id when the deal gives none)."""
        return str(self.names.get(self.us, self.us))

    @property
    def counterpart_name(self) -> str:
        """The counterpart's display name."""
        return str(self.names.get(self.counterpart, self.counterpart))

    @property
    def contributions(self) -> pd.Series:
        """Each input's contribution to the balance, indexed by input."""
        return self.drivers.set_index("input")["contribution"]

    @property
    def by_source(self) -> pd.Series:
        """Each source's share of the balance (they sum to ``balance``)."""
        return pd.Series(_by_source(self))

    def label(self, threshold: float = 0.05) -> str:
        """"more" (balance ≥ threshold), "less" (≤ −threshold) or "balanced"."""
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
    powerkit.errors.InputError
        (a ValueError) Bad weights or override values.

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
    tp = time_pressure(d, at=at)
    rate = tp["rate"].to_dict()
    rate_src = tp["rate_source"].to_dict()
    net = Network(d.ties, d.stakeholders.index)
    people = stakeholder_power(d, weights=weights, stakeholder_weights=stakeholder_weights,
                               network=net)
    say = people["say"].to_numpy(dtype=float)
    party_of = people["party"].to_numpy(dtype=object)
    prow = {p: {c: number(v) if c not in ("role", "name", "side") else v
                for c, v in r.items()} for p, r in parties.to_dict("index").items()}

    # offers → reciprocity and commitment (us and counterpart only)
    ledger, recip, commit = None, None, {}
    if d.has("offers") and d.has("issues"):
        try:
            ou = offer_utilities(d, at=at)
            ledger = ledger_from_utilities(ou, us, them)
            recip = reciprocity(ledger, us, them)
            for p, other in ((us, them), (them, us)):
                theirs = ou[ou["party"] == other]
                if len(theirs):
                    commit[p] = float(theirs[f"u_{p}"].iloc[-1])
        except (KeyError, ValueError):
            ledger, recip, commit = None, None, {}

    walks = walk_aways(d)  # one reading for the split and the widths below
    try:
        split = expected_split(d, at=at, pressure=tp, walks=walks)
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

    effective = walks.set_index("party")["walk_away"]  # us and the counterpart

    def width(a, b):
        ra, rb = prow[a].get("role"), prow[b].get("role")
        if {ra, rb} != {"seller", "buyer"}:
            return None
        seller, buyer = (a, b) if ra == "seller" else (b, a)
        lo, hi = prow[seller].get("reservation_price"), prow[buyer].get("reservation_price")
        if {a, b} == {us, them} and seller in effective.index and buyer in effective.index:
            lo, hi = number(effective[seller]), number(effective[buyer])  # the zone's walk-aways
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
            for c in MEASURED_FOR_US_ONLY:
                vals = people[c].to_numpy(dtype=float)
                v = wmean(vals, them_people)
                k = int((them_people & ~np.isnan(vals)).sum())
                add(p, c, 0.5 if v is None else v,
                    f"mean over {k} of {them}'s people" if v is not None else "no ratings",
                    v is None)
        else:
            for c in MEASURED_FOR_US_ONLY:
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
                    raise InputError(f"The 'systemic_inputs' parameter of power_profile must "
                                     f"hold values in [0, 1]. Got {v!r} for ({p!r}, {c!r}).")
            add(p, c, 0.5 if v is None else _clip01(v), raw, v is None,
                baseline=raw.startswith("neutral baseline"))

    pos = {(r["party"], r["input"]): k for k, r in enumerate(rows)}
    for (p, name), v in (inputs or {}).items():
        p = {"us": us, "them": them}.get(p, p)
        if name not in INPUTS:
            raise bad_argument("inputs", "power_profile", f"name inputs among {sorted(INPUTS)}",
                               name)
        if (p, name) not in pos:
            raise bad_argument("inputs", "power_profile",
                               f"name parties among {list(parties.index)}", p)
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
    return PowerProfile(us, them, at, t, scores, drv, balance, w, people, split, ledger, tp,
                        {p: parties.at[p, "name"] for p in parties.index})


def _systemic_table(systemic_inputs):
    if systemic_inputs is None:
        return None
    if isinstance(systemic_inputs, pd.DataFrame):
        t = systemic_inputs
    elif isinstance(systemic_inputs, Mapping):
        t = pd.DataFrame.from_dict(dict(systemic_inputs), orient="index")
    else:
        raise InputError("The 'systemic_inputs' parameter of power_profile must be a DataFrame "
                         "indexed by party or a mapping party → {input: value}. Got "
                         f"{type(systemic_inputs).__name__} instead.")
    bad = set(t.columns) - {"access", "coalition_strength", "external"}
    if bad:
        raise bad_argument("systemic_inputs", "power_profile",
                           "have columns among ['access', 'coalition_strength', 'external']",
                           sorted(bad))
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
        raise bad_argument("spread", "tornado", "in [0, 1]", spread)
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
