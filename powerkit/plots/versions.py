"""Figures of a deal over time: the headlines' trends across versions and what moved them."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from ..text import label as lbl
from ..text import money
from .common import THEM_COLOUR, US_COLOUR, base_layout

__all__ = ["balance_trend_figure", "price_trend_figure", "stance_trend_figure",
           "posterior_trend_figure", "attribution_figure"]


def _events(fig: go.Figure, events: pd.DataFrame | None, start, end) -> None:
    """Dated events inside the plotted span as dotted vertical lines with their description
    in the hover."""
    if events is None or events.empty:
        return
    for r in events.itertuples():
        if pd.isna(r.date) or not (start <= r.date <= end):
            continue
        fig.add_vline(x=r.date, line_dash="dot", line_color="#999")
        fig.add_trace(go.Scatter(x=[r.date], y=[None], mode="markers", showlegend=False,
                                 hovertext=lbl(r.description), hoverinfo="text"))


def _band(fig, x, lo, hi, colour, name):
    if lo.isna().all():
        return
    fig.add_trace(go.Scatter(x=list(x) + list(x[::-1]), y=list(hi) + list(lo[::-1]),
                             fill="toself", fillcolor=colour, opacity=0.18, line_width=0,
                             hoverinfo="skip", name=name))


def balance_trend_figure(trend: pd.DataFrame, events: pd.DataFrame | None = None) -> go.Figure:
    """The balance of power per version with its 90% range, and the support for our proposal
    (the forecast decision), dated; events in the span as dotted lines."""
    x = trend["as_of"]
    fig = go.Figure()
    _band(fig, x, trend["balance_low"], trend["balance_high"], US_COLOUR, "balance: 90% range")
    fig.add_trace(go.Scatter(x=x, y=trend["balance"], mode="lines+markers", name="balance",
                             line_color=US_COLOUR,
                             hovertemplate="%{x|%Y-%m-%d}: balance %{y:+.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=trend["support"], mode="lines+markers", line_dash="dash",
                             name="support for our proposal", line_color="#27ae60",
                             hovertemplate="%{x|%Y-%m-%d}: support %{y:+.3f}<extra></extra>"))
    fig.add_hline(y=0, line_color="#bbb")
    _events(fig, events, x.min(), x.max())
    return base_layout(fig, "Balance of power and support over the versions", "version date",
                       "balance (−1 them … +1 us) · support (−1 against … +1 for)")


def price_trend_figure(trend: pd.DataFrame, currency: str = "EUR") -> go.Figure:
    """The predicted price per version with its 90% range (empty note without a zone)."""
    x = trend["as_of"]
    fig = go.Figure()
    _band(fig, x, trend["price_low"], trend["price_high"], THEM_COLOUR, "price: 90% range")
    fig.add_trace(go.Scatter(
        x=x, y=trend["predicted_price"], mode="lines+markers", name="predicted price",
        line_color=THEM_COLOUR, text=[money(v, currency) for v in trend["predicted_price"]],
        hovertemplate="%{x|%Y-%m-%d}: %{text}<extra></extra>"))
    return base_layout(fig, "Predicted price over the versions", "version date",
                       f"price ({currency})")


def stance_trend_figure(trend: pd.DataFrame, names: dict | None = None) -> go.Figure:
    """Stances of the people who really decide most (latest version), per version; ``names``
    maps the ``stance:<id>`` columns' ids to the names a reader sees."""
    fig = go.Figure()
    names = names or {}
    for col in [c for c in trend.columns if c.startswith("stance:")]:
        who = lbl(names.get(col.split(":", 1)[1], col.split(":", 1)[1]))
        fig.add_trace(go.Scatter(x=trend["as_of"], y=trend[col], mode="lines+markers",
                                 name=who, hovertemplate="%{x|%Y-%m-%d}: %{y:+.2f}<extra>"
                                 + who + "</extra>"))
    fig.add_hline(y=0, line_color="#bbb")
    fig.update_yaxes(range=[-1.05, 1.05])
    return base_layout(fig, "Stances of the people who really decide", "version date",
                       "stance on our proposal (−1 opposed … +1 supports)")


def posterior_trend_figure(trend: pd.DataFrame, labels: dict | None = None) -> go.Figure:
    """Posterior probability of each hidden-constraint hypothesis per version."""
    fig = go.Figure()
    labels = labels or {}
    for col in [c for c in trend.columns if c.startswith("posterior:")]:
        h = col.split(":", 1)[1]
        name = lbl(labels.get(h, h))
        fig.add_trace(go.Scatter(x=trend["as_of"], y=trend[col], mode="lines+markers",
                                 name=name, hovertemplate="%{x|%Y-%m-%d}: %{y:.0%}<extra>"
                                 + name + "</extra>"))
    fig.update_yaxes(range=[0, 1], tickformat=".0%")
    return base_layout(fig, "Hidden constraints: how likely each is, over the versions",
                       "version date", "posterior probability")


def attribution_figure(attribution: pd.DataFrame, total: float, what: str = "balance",
                       currency: str | None = None) -> go.Figure:
    """Waterfall: each input change's Shapley part of the change in ``what``, adding up to the
    total."""
    vals = [0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)
            for v in attribution[what]]
    fmt = (lambda v: money(v, currency)) if currency else (lambda v: f"{v:+.4f}")
    fig = go.Figure(go.Waterfall(
        orientation="h", y=[lbl(p) for p in attribution["player"]] + ["total"],
        x=vals + [total], measure=["relative"] * len(vals) + ["total"],
        text=[fmt(v) for v in vals + [total]], textposition="outside"))
    fig.update_yaxes(autorange="reversed")
    unit = f"change of the predicted price ({currency})" if currency else \
        "change of the balance (−1 them … +1 us)"
    return base_layout(fig, f"What moved the {what.replace('_', ' ')}", unit, "input change",
                       height=max(300, 60 + 32 * (len(vals) + 1)))
