"""The deal at a glance: parties, people, and where each stands on our proposal."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .deal import Deal
from .plots.common import STANCE_SCALE, base_layout, label_places
from .sections import Section
from .text import esc

__all__ = ["parties_table", "stakeholders_table", "formal_authority", "stance_authority_figure",
           "report_section"]


def parties_table(deal: Deal) -> pd.DataFrame:
    """Parties with their side and positional inputs, money in the deal's currency."""
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


def formal_authority(deal: Deal) -> pd.Series:
    """Formal authority on the decision, 0..1 per stakeholder.

    ``0.5·sign_off + 0.5·budget_authority / max(budget_authority)`` — sign-off and budget are the
    two formal levers DESIGN.md names; each counts half. Zero budget everywhere → sign-off only.
    """
    s = deal.stakeholders
    budget = s["budget_authority"].fillna(0.0)
    top = budget.max()
    share = budget / top if top > 0 else budget * 0.0
    return (0.5 * s["sign_off"].astype(float) + 0.5 * share).rename("formal_authority")


def stakeholders_table(deal: Deal) -> pd.DataFrame:
    """One row per stakeholder: party, title, stance, formal authority, interest."""
    s = deal.stakeholders
    names = deal.parties["name"]
    t = pd.DataFrame({
        "name": s["name"], "party": s["party"].map(names), "title": s["title"],
        "stance": s["stance"], "formal authority": formal_authority(deal).round(2),
        "sign-off": np.where(s["sign_off"], "yes", ""), "interest": s["interest"],
    })
    return t.sort_values(["party", "formal authority"], ascending=[True, False])


def stance_authority_figure(deal: Deal) -> go.Figure:
    """Scatter: stance on our proposal (x) against formal authority (y), one marker a person.

    Names are written where they fit without overlapping (:func:`label_places`: the people with
    the most formal authority, then the strongest views weighted by interest, first); every name
    is in the hover and in the stakeholder table.
    """
    s = deal.stakeholders
    auth = formal_authority(deal)
    interest = s["interest"].fillna(0.5)
    priority = 2 * auth + s["stance"].abs() * interest
    # axis units per character: x spans 2.4 over ~480 px, names at 12 px are ~6.5 px a letter
    place = dict(zip(s.index, label_places(s["stance"], auth, priority,
                                           [0.033 * len(str(n)) for n in s["name"]], height=0.07),
                     strict=True))
    fig = go.Figure()
    for party, g in s.groupby("party", sort=False):
        pname = deal.parties.loc[party, "name"]
        names = [esc(n) for n in g["name"]]
        fig.add_trace(go.Scatter(
            x=g["stance"], y=auth[g.index], mode="markers+text", name=esc(pname),
            text=[n if place[i] else "" for n, i in zip(names, g.index, strict=True)],
            customdata=names, textposition=[place[i] or "top center" for i in g.index],
            cliponaxis=False,
            marker=dict(size=10 + 20 * interest[g.index], color=g["stance"], cmin=-1, cmax=1,
                        colorscale=STANCE_SCALE, line=dict(width=1, color="#333")),
            hovertemplate="%{customdata}<br>stance %{x:.2f}<br>formal authority %{y:.2f}"
                          "<extra>" + esc(pname) + "</extra>"))
    fig.add_vline(x=0, line_dash="dot", line_color="#999")
    base_layout(fig, "Stakeholders by stance and formal authority (marker size = interest)",
                "stance on our proposal (−1 opposed … +1 supports)",
                "formal authority (0..1: sign-off and budget)")
    fig.update_xaxes(range=[-1.2, 1.2])
    fig.update_yaxes(range=[-0.1, 1.15])
    return fig


def report_section(deal: Deal) -> Section:
    """The opening section of the report: who is at the table and where they stand."""
    s = deal.stakeholders
    support = int((s["stance"] > 0.2).sum())
    oppose = int((s["stance"] < -0.2).sum())
    signers = [str(n) for n in s.loc[s["sign_off"], "name"]]
    head = {"parties": int(len(deal.parties)), "stakeholders": int(len(s)),
            "supporters": support, "opponents": oppose, "sign_off": signers}
    summary = (f"{len(s)} people across {len(deal.parties)} parties; {support} support our "
               f"proposal and {oppose} oppose it. Formal sign-off: "
               f"{esc(', '.join(signers)) or 'nobody recorded'}.")
    sec = Section("overview", "The deal at a glance", headline=head, summary=summary)
    sec.add(
        f"**Decision:** {esc(deal.meta.decision)}  \n**As of:** {deal.meta.as_of:%d %B %Y} · "
        f"**Currency:** {esc(deal.meta.currency)}",
        parties_table(deal),
        stance_authority_figure(deal),
        "How to read it: the further right, the more a person supports us; the higher, the more "
        "formal authority they hold. People top-left hold the title and are against us; the "
        "walkthrough on informal influence asks whether they really decide. Names that would "
        "overlap are left off the chart; everyone is in the table below.",
        stakeholders_table(deal),
    )
    return sec
