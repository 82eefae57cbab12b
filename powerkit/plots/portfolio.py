"""Figures of the portfolio: relationship capital and reputation per organisation."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..text import label as lbl
from .common import THEM_COLOUR, US_COLOUR, base_layout

__all__ = ["capital_figure", "reputation_figure"]


def capital_figure(capital: pd.DataFrame) -> go.Figure:
    """Horizontal bars: relationship capital per organisation (recency-weighted tie strength)."""
    c = capital.sort_values("capital")
    fig = go.Figure(go.Bar(
        x=c["capital"], y=[lbl(n) for n in c["name"]], orientation="h", marker_color=US_COLOUR,
        customdata=c[["people_reached", "our_contacts", "deals"]].to_numpy(),
        hovertemplate="%{y}: %{x:.2f}<br>their people reached %{customdata[0]}, our contacts "
                      "%{customdata[1]}, deals %{customdata[2]}<extra></extra>"))
    hl = capital.attrs.get("half_life_days", 365)
    return base_layout(fig, "Relationship capital by organisation",
                       f"capital (Σ tie weight × ½^(age / {hl:g} days))", "organisation",
                       height=max(300, 80 + 40 * len(c)))


def reputation_figure(reputation: pd.DataFrame) -> go.Figure:
    """Grouped bars: our reliability with each organisation and theirs with us (0..1)."""
    r = reputation
    names = [lbl(n) for n in r["name"]]
    fig = go.Figure([
        go.Bar(x=names, y=r["our_reliability"], name="our promises to them",
               marker_color=US_COLOUR, hovertemplate="%{x}: %{y:.2f}<extra>ours</extra>"),
        go.Bar(x=names, y=r["their_reliability"], name="their promises to us",
               marker_color=THEM_COLOUR, hovertemplate="%{x}: %{y:.2f}<extra>theirs</extra>")])
    fig.update_yaxes(range=[0, 1])
    return base_layout(fig, "Reliability both ways", "organisation",
                       "promises kept (beta reputation, 0..1; 0.5 = no record)")
