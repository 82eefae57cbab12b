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
from ..text import esc
from . import Section

__all__ = ["section", "Note", "reading_note", "time_pressure_table", "zopa_view",
           "ledger_view", "dance_view", "key_person"]

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
            top: int = 5, **kwargs) -> Section:
    """The report's "power balance" section: profile, top drivers, predicted split, posture.

    Parameters are those of :func:`powerkit.power.power_profile` (``weights``,
    ``systemic_inputs``, ``at``, ...); ``top`` drivers are listed. Never raises for a deal that
    loads: a part that cannot be computed is left out with a note.
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
                        currency=deal.meta.currency))
    if len(post):
        sec.add("**Posture.** What follows from the balance and its sources; each line gives the "
                "reason and the numbers behind it.",
                post[["recommendation", "reason", "numbers"]])
    return sec


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
    return Note(f"**{esc(deal.meta.title)}** — {esc(deal.meta.decision)}  \n"
                f"Read from the side of **{esc(profile.us_name)}** against "
                f"**{esc(profile.counterpart_name)}**, as of {profile.at:%d %B %Y}.")


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
    return (Note(f"**{esc(key['name'].iloc[0])}**"),
            stakeholder_provenance(deal, key.index[0]).round(3))
