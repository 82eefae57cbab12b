"""The report's opening section, the deal at a glance: who is at the table and where they stand.

The numbers come from :func:`powerkit.power.at_a_glance` (counts, formal authority); this module
formats the parties and people tables and words the summary.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..plots.overview import stance_authority_figure
from ..power import Glance, at_a_glance
from ..text import md
from . import Section

__all__ = ["section", "parties_table", "stakeholders_table"]


def parties_table(deal) -> pd.DataFrame:
    """Parties with their side and positional inputs, money in the deal's currency (formatted
    to show)."""
    p = deal.parties
    cols = ["name", "side", "role", "reservation_price", "batna_value", "alternatives", "deadline"]
    t = p[cols].copy()
    t["deadline"] = t["deadline"].dt.strftime("%Y-%m-%d").fillna("")
    for c in ("reservation_price", "batna_value"):
        t[c] = t[c].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}")
    t["alternatives"] = t["alternatives"].map(lambda v: "" if pd.isna(v) else f"{v:.0f}")
    cur = deal.meta.currency
    return t.rename(columns={"reservation_price": f"reservation price ({cur})",
                             "batna_value": f"BATNA value ({cur})"})


def stakeholders_table(deal, glance: Glance | None = None) -> pd.DataFrame:
    """One row per stakeholder: party (by name), title, stance, formal authority, interest."""
    people = (glance or at_a_glance(deal)).people
    t = pd.DataFrame({
        "name": people["name"], "party": people["party"].map(deal.parties["name"]),
        "title": people["title"], "stance": people["stance"],
        "formal authority": people["formal_authority"].round(2),
        "sign-off": np.where(people["sign_off"], "yes", ""), "interest": people["interest"],
    })
    return t.sort_values(["party", "formal authority"], ascending=[True, False])


def section(deal) -> Section:
    """The opening section of the report: who is at the table and where they stand."""
    g = at_a_glance(deal)
    head = {"parties": g.parties, "stakeholders": g.stakeholders,
            "supporters": g.supporters, "opponents": g.opponents, "sign_off": g.sign_off}
    summary = (f"{g.stakeholders} people across {g.parties} parties; {g.supporters} support our "
               f"proposal and {g.opponents} oppose it. Formal sign-off: "
               f"{md(', '.join(g.sign_off)) or 'nobody recorded'}.")
    sec = Section("overview", "The deal at a glance", headline=head, summary=summary)
    sec.add(
        f"**Decision:** {md(deal.meta.decision)}  \n**As of:** {deal.meta.as_of:%d %B %Y} · "
        f"**Currency:** {md(deal.meta.currency)}",
        parties_table(deal),
        stance_authority_figure(g.people, deal.parties["name"].to_dict()),
        "How to read it: the further right, the more a person supports us; the higher, the more "
        "formal authority they hold. People top-left hold the title and are against us; the "
        "walkthrough on informal influence asks whether they really decide. Names that would "
        "overlap are left off the chart; everyone is in the table below.",
        stakeholders_table(deal, g),
    )
    return sec
