"""Figures of the ranges (issue 14): the balance and the price with their intervals."""
from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..text import money
from .common import US_COLOUR, base_layout

__all__ = ["ranges_figure"]


def ranges_figure(u, currency: str = "EUR", title: str | None = None) -> go.Figure:
    """The balance (−1..+1) and the predicted price, each as its point value with a whisker
    from the low to the high end of its interval.

    Parameters
    ----------
    u : powerkit.uncertainty.Uncertainty
    currency : str
        The deal's currency (price axis and hover text).

    Returns
    -------
    go.Figure
        One trace per quantity that has a value.

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> from powerkit.uncertainty import uncertainty
    >>> fig = ranges_figure(uncertainty(make_deal(10, seed=1), n=100, sobol_n=None, flip=False))
    >>> [t.name for t in fig.data]
    ['balance', 'predicted price']
    """
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.2)
    for col, (q, label, fmt, unit) in enumerate(
            (("balance", "balance", lambda v: f"{v:+.2f}", "balance (−1 them … +1 us)"),
             ("predicted_price", "predicted price", lambda v: money(v, currency),
              f"predicted price ({currency})")), start=1):
        r = u.range_of(q)
        if r is None:
            continue
        point = float(u.ranges.at[q, "point"])
        fig.add_trace(go.Scatter(
            x=[point], y=[label], mode="markers", name=label, marker=dict(size=12, color=US_COLOUR),
            error_x=dict(type="data", symmetric=False, array=[r[1] - point],
                         arrayminus=[point - r[0]], thickness=2, width=10),
            hovertemplate=(f"{label}: {fmt(point)}<br>{u.level:.0%} range {fmt(r[0])} to "
                           f"{fmt(r[1])}<extra></extra>")), row=1, col=col)
        fig.update_xaxes(title_text=unit, row=1, col=col)
    base_layout(fig, title or f"Balance and price with their {u.level:.0%} ranges", height=320)
    fig.update_layout(showlegend=False, margin=dict(l=30, r=30, t=60, b=80))
    fig.update_yaxes(showticklabels=False)  # each panel's x title names its quantity
    return fig
