"""Figure of the report's overview: the stakeholders by stance and formal authority."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..text import label as lbl
from .common import STANCE_SCALE, base_layout, label_places

__all__ = ["stance_authority_figure"]


def stance_authority_figure(people: pd.DataFrame, party_names: dict | None = None) -> go.Figure:
    """Scatter: stance on our proposal (x) against formal authority (y), one marker a person.

    Names are written where they fit without overlapping (:func:`label_places`: the people with
    the most formal authority, then the strongest views weighted by interest, first); every name
    is in the hover and in the stakeholder table.

    Parameters
    ----------
    people : DataFrame indexed by stakeholder
        ``name, party, stance, formal_authority, interest``, e.g.
        :attr:`powerkit.power.Glance.people` (:func:`powerkit.power.at_a_glance`).
    party_names : dict, optional
        Party id → display name (default: the ids). Escaped here.
    """
    names_of = party_names or {}
    auth = people["formal_authority"]
    interest = people["interest"].fillna(0.5)
    priority = 2 * auth + people["stance"].abs() * interest
    # axis units per character: x spans 2.4 over ~480 px, names at 12 px are ~6.5 px a letter
    place = dict(zip(people.index,
                     label_places(people["stance"], auth, priority,
                                  [0.033 * len(str(n)) for n in people["name"]], height=0.07),
                     strict=True))
    fig = go.Figure()
    for party, g in people.groupby("party", sort=False):
        pname = names_of.get(party, party)
        names = [lbl(n) for n in g["name"]]
        fig.add_trace(go.Scatter(
            x=g["stance"], y=auth[g.index], mode="markers+text", name=lbl(pname),
            text=[n if place[i] else "" for n, i in zip(names, g.index, strict=True)],
            customdata=names, textposition=[place[i] or "top center" for i in g.index],
            cliponaxis=False,
            marker=dict(size=10 + 20 * interest[g.index], color=g["stance"], cmin=-1, cmax=1,
                        colorscale=STANCE_SCALE, line=dict(width=1, color="#333")),
            hovertemplate="%{customdata}<br>stance %{x:.2f}<br>formal authority %{y:.2f}"
                          "<extra>" + lbl(pname) + "</extra>"))
    fig.add_vline(x=0, line_dash="dot", line_color="#999")
    base_layout(fig, "Stakeholders by stance and formal authority (marker size = interest)",
                "stance on our proposal (−1 opposed … +1 supports)",
                "formal authority (0..1: sign-off and budget)")
    fig.update_xaxes(range=[-1.2, 1.2])
    fig.update_yaxes(range=[-0.1, 1.15])
    return fig
