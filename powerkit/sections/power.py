"""Report section of walkthrough 1 (reading power dynamics): the balance and its drivers, the
ZOPA with the predicted price, and the posture, in words; plus the small display helpers the
walkthrough notebook calls (so its cells hold no logic).

Every number shown comes from :mod:`powerkit.power` and :mod:`powerkit.bargaining`; this module
only chooses, rounds, words and escapes.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from ..errors import PowerkitError
from ..plots.power import negotiation_dance_figure, power_profile_figure, zopa_figure
from ..power import PowerProfile, posture, power_profile, stakeholder_provenance
from ..text import md, money
from . import Section

__all__ = ["section", "Note", "reading_note", "time_pressure_table", "zopa_view",
           "ledger_view", "dance_view", "key_person", "trust_blocks"]

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

_LABEL = {"more": "we hold more power", "less": "they hold more power",
          "balanced": "power is roughly balanced"}


def section(deal, weights: Mapping[str, float] | None = None, systemic_inputs=None,
            top: int = 5, uncertainty=None, give: tuple | None = None, trust=None,
            **kwargs) -> Section:
    """The report's "power balance" section: profile, top drivers, predicted split, posture.

    Parameters are those of :func:`powerkit.power.power_profile` (``weights``,
    ``systemic_inputs``, ``at``, ...); ``top`` drivers are listed; ``give`` (issue, option) is
    the goodwill move of the trust plan (the report passes the game plan's first give). Never
    raises for a deal that loads: a part that cannot be computed is left out with a note.
    """
    sec = Section("power", "Power balance")
    try:
        prof = power_profile(deal, weights=weights, systemic_inputs=systemic_inputs, **kwargs)
    except (PowerkitError, ValueError, KeyError) as exc:
        sec.missing = f"The power balance could not be computed: {exc}"
        return sec
    us_name, them_name = prof.us_name, prof.counterpart_name
    drv = prof.drivers.head(top)
    bs = prof.by_source
    post = posture(prof)
    head = {
        "balance": round(prof.balance, 3),
        "balance_label": _LABEL[prof.label()],
        "positional": round(float(bs["positional"]), 3),
        "psychological": round(float(bs["psychological"]), 3),
        "systemic": round(float(bs["systemic"]), 3),
        "top_drivers": [str(x) for x in drv["input"]],
        "top_driver_contributions": [round(float(x), 4) for x in drv["contribution"]],
        "us": us_name, "counterpart": them_name,
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
               f"the largest driver is {md(head['top_drivers'][0].replace('_', ' '))} "
               f"({side}).")
    if split is not None and split.price is not None:
        summary += (f" Given both sides' walk-away prices and time pressure, the expected price "
                    f"is {money(split.price, deal.meta.currency)} "
                    f"({head['share_us']:.0%} of the ZOPA to us).")
    elif split is not None:
        summary += " There is no ZOPA: no price works for both sides."
    if uncertainty is not None:
        head.update(uncertainty_headline(uncertainty))
        summary += " " + ranges_sentence(uncertainty, deal.meta.currency)
    sec.headline, sec.summary = head, summary
    table = drv[["source", "input", "us", "them", "weight", "contribution"]].copy()
    table["input"] = table["input"].str.replace("_", " ")
    table = table.rename(columns={"us": us_name, "them": them_name}).round(3)
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
                        currency=deal.meta.currency),
            "**Where each side walks away, and why.** A side's walk-away is its reservation "
            "price, moved one for one when the value of its best alternative changes, and for "
            "the other side bounded by what a rival offers it.",
            walk_away_table(prof, deal))
    if len(post):
        sec.add("**Posture.** What follows from the balance and its sources; each line gives the "
                "reason and the numbers behind it.",
                post[["recommendation", "reason", "numbers"]])
    sec.add(*trust_blocks(deal, head, give, trust))
    if uncertainty is not None:
        sec.add(*uncertainty_blocks(uncertainty, deal.meta.currency, names=prof.names))
    return sec


TRUST_ROWS = 8  #: people of the trust plan shown in the report (lowest trust first)


def trust_blocks(deal, head: dict, give: tuple | None = None, trust=None) -> list:
    """The trust plan (lowest trust first) and, with a ``references`` table, the social proof
    to bring; adds ``trust_plan`` (name, weakest, action) to ``head``."""
    from ..power.social import social_proof, trust_plan

    # the game plan's own trust plan when the report has one: one plan, computed once
    tp = trust if trust is not None else trust_plan(deal, give=give)
    rated = tp[tp["weakest"].notna()].head(TRUST_ROWS)
    head["trust_plan"] = [{"name": str(r.name), "weakest": r.weakest, "action": r.action}
                          for r in rated.itertuples()]
    if rated.empty:
        return []
    table = rated[["name", "competence", "benevolence", "reliability", "weakest",
                   "action"]].round(2)
    if deal.has("commitments"):
        table.insert(4, "reliability as rated", rated["reliability_rated"].round(2))
    blocks = ["**Trust plan.** Trust rests on competence, benevolence and reliability; each "
              "person needs the weakest one built first. Reliability is updated by our record "
              "of promises kept and broken (the commitments table) where there is one. "
              f"The {len(table)} people below trust us least (of {len(tp)} rated).", table]
    sp = social_proof(deal)
    if len(sp):
        blocks += ["**Social proof.** For each person, the reference among our clients, "
                   "projects and peers that counts most with them (trusted over followed over "
                   "known, times its strength), and who can bring it.",
                   sp[["name", "reference", "relation", "score", "via_name"]]
                   .rename(columns={"via_name": "brought by"}).round(2)]
    return blocks


def walk_away_table(profile: PowerProfile, deal) -> pd.DataFrame:
    """Each side's effective walk-away price and where it comes from (money as a reader says
    it)."""
    from ..deal.money import walk_aways

    d = deal.replace(parties=profile_parties(profile, deal))
    w = walk_aways(d)
    return pd.DataFrame({"side": [profile.names.get(p, p) for p in w["party"]],
                         "role": list(w.index),
                         "walk-away": [money(v, deal.meta.currency) for v in w["walk_away"]],
                         "reservation price as entered": [
                             money(v, deal.meta.currency) for v in w["reservation_price"]],
                         "why": list(w["source"])})


def profile_parties(profile: PowerProfile, deal) -> pd.DataFrame:
    """The parties table the profile read (after the events up to its date)."""
    from ..power import apply_events

    return apply_events(deal, profile.at).parties


def uncertainty_headline(u) -> dict:
    """The JSON keys of the ranges: ``balance_interval``, ``price_interval`` (``[low, high]``
    or None), ``posture_probability``, ``interval_level``."""
    def pair(q, nd):
        r = u.range_of(q)
        return None if r is None else [round(r[0], nd), round(r[1], nd)]

    return {"balance_interval": pair("balance", 3), "price_interval": pair("predicted_price", 0),
            "posture_probability": round(u.posture_probability, 3),
            "interval_level": u.level}


def ranges_sentence(u, currency: str) -> str:
    """One plain sentence with the ranges of the balance and the price."""
    b = u.range_of("balance")
    parts = []
    if b is not None:
        parts.append(f"the balance lies between {b[0]:+.2f} and {b[1]:+.2f}")
    pr = u.range_of("predicted_price")
    if pr is not None:
        lo, hi = money(pr[0], currency), money(pr[1], currency)
        parts.append(f"the price between {lo} and {hi}" if lo != hi else f"the price at {lo}")
    if not parts:
        return ""
    return (f"With the inputs' uncertainty, {' and '.join(parts)} in {u.level:.0%} of the "
            f"cases; the posture holds in {u.posture_probability:.0%}.")


def uncertainty_blocks(u, currency: str, names: Mapping | None = None) -> list:
    """The section's "How sure is this?" part: ranges, what would flip the posture, and the
    inputs that drive the balance and the price (Sobol indices)."""
    from ..plots.uncertainty import ranges_figure

    blocks = ["**How sure is this?** Every input carries a range (ratings ±0.1, stances ±0.2, "
              "money ±5%, probabilities and source weights around their values); the analysis "
              f"is run on {u.settings.get('n', len(u.sim)):,} draws of the inputs. "
              + ranges_sentence(u, currency), ranges_figure(u, currency)]
    f = u.flip
    if f is not None and f.input is not None:
        table, row, col = f.input.split(":")
        who = md((names or {}).get(row, row))
        blocks.append(f"**What would flip the posture:** {col.replace('_', ' ')} of {who} from "
                      f"{f.value:.2f} to {f.new_value:.2f} turns *{f.before}* into "
                      f"*{f.after}* — the smallest single change that does.")
    if len(u.sobol):
        top = (u.sobol.sort_values("ST", ascending=False).groupby("quantity").head(5)
               .assign(input=lambda t: t["input"].str.replace(":", " · ").str.replace("_", " ")))
        blocks += ["**What drives the numbers.** Sobol indices: the share of the variance of "
                   "the balance and of the price due to each input alone (first order) and "
                   "with its interactions (total); the five largest of each.",
                   top[["quantity", "input", "S1", "ST"]].round(3)]
    return blocks


# ------------------------------------------------------------------------------------------
# the walkthrough notebook's display helpers
# ------------------------------------------------------------------------------------------
class Note(str):
    """A Markdown string that a notebook displays as Markdown (``_repr_markdown_``); still a
    ``str``, so it is also a Section block."""

    def _repr_markdown_(self) -> str:
        return str(self)


def reading_note(deal, profile: PowerProfile) -> Note:
    """Whose side the walkthrough reads the deal from, and as of when (names escaped)."""
    return Note(f"**{md(deal.meta.title)}** — {md(deal.meta.decision)}  \n"
                f"Read from the side of **{md(profile.us_name)}** against "
                f"**{md(profile.counterpart_name)}**, as of {profile.at:%d %B %Y}.")


def time_pressure_table(profile: PowerProfile) -> pd.DataFrame:
    """Our and the counterpart's rows of the profile's time-pressure table, rounded to show."""
    return profile.time_pressure.loc[[profile.us, profile.counterpart]].round(
        {"months_to_deadline": 1, "discount_rate": 3, "deadline_rate": 3, "rate": 3,
         "delta_month": 3})


def zopa_view(profile: PowerProfile, currency: str = "") -> go.Figure | Note:
    """The ZOPA figure of the profile's split, or a note saying why there is none."""
    if profile.split is None:
        return Note("*The ZOPA needs a seller and a buyer (`role`) with reservation prices: "
                    "not available in this deal.*")
    return zopa_figure(profile.split, us_name=profile.us_name,
                       them_name=profile.counterpart_name, currency=currency)


def ledger_view(profile: PowerProfile) -> pd.DataFrame | Note:
    """The profile's concession ledger rounded to show, or a note when there are no offers."""
    if profile.ledger is None:
        return Note("*No offers history in this deal.*")
    return profile.ledger.round({"own_utility": 3, "other_utility": 3, "concession": 3,
                                 "gain_to_other": 3, "cumulative_concession": 3})


def dance_view(profile: PowerProfile) -> go.Figure | None:
    """The negotiation dance of the profile's ledger (None without offers)."""
    if profile.ledger is None:
        return None
    return negotiation_dance_figure(profile.ledger, profile.us, profile.counterpart,
                                    profile.us_name, profile.counterpart_name)


def key_person(deal, key: pd.DataFrame) -> tuple[Note, pd.DataFrame | None]:
    """The name of the first person of :func:`powerkit.power.key_stakeholders` and where their
    scores come from (:func:`powerkit.power.stakeholder_provenance`, rounded), or a note when
    nobody is on the other side."""
    if not len(key):
        return Note("*Nobody on the other side.*"), None
    return (Note(f"**{md(key['name'].iloc[0])}**"),
            stakeholder_provenance(deal, key.index[0]).round(3))
