"""Figures of walkthrough 1 (reading power dynamics): profile, tornado, timeline, dance, ZOPA."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..text import label as lbl
from ..text import money
from .common import THEM_COLOUR, THIRD_COLOUR, US_COLOUR, base_layout

__all__ = ["power_profile_figure", "update_power_profile_figure", "tornado_figure",
           "balance_timeline_figure", "negotiation_dance_figure", "zopa_figure",
           "update_zopa_figure"]

_SOURCES = ("positional", "psychological", "systemic")


def power_profile_figure(profile, us_name: str | None = None,
                         them_name: str | None = None) -> go.Figure:
    """Grouped bars: the three sources and the overall score, us beside the counterpart.

    Parameters
    ----------
    profile : powerkit.power.PowerProfile
    us_name, them_name : str, optional
        Display names (default: the profile's ``us_name`` and ``counterpart_name``). Escaped
        here.
    """
    us_name = getattr(profile, "us_name", None) if us_name is None else us_name
    them_name = getattr(profile, "counterpart_name", None) if them_name is None else them_name
    cats = list(_SOURCES) + ["overall"]
    fig = go.Figure()
    for party, name, colour in ((profile.us, us_name, US_COLOUR),
                                (profile.counterpart, them_name, THEM_COLOUR)):
        fig.add_trace(go.Bar(
            x=cats, y=[0.0] * len(cats), name=lbl(name or party), marker_color=colour,
            textposition="outside",
            hovertemplate="%{x}: %{y:.3f}<extra>" + lbl(name or party) + "</extra>"))
    base_layout(fig, "Three sources of power", "source of power",
                "score (0 = none … 1 = strongest)")
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1.1])
    return update_power_profile_figure(fig, profile)


def update_power_profile_figure(fig: go.Figure, profile) -> go.Figure:
    """Put a new profile's scores into a figure made by :func:`power_profile_figure`, in place
    (the widgets redraw this way: far cheaper than building the figure again)."""
    sc = profile.scores
    cats = list(_SOURCES) + ["overall"]
    for k, party in enumerate((profile.us, profile.counterpart)):
        vals = [float(sc.at[party, c]) for c in cats]
        fig.data[k].y = vals
        fig.data[k].text = [f"{v:.2f}" for v in vals]
    bal = profile.balance if round(profile.balance, 2) != 0 else 0.0  # no "-0.00"
    fig.layout.title.text = f"Three sources of power (balance {bal:+.2f})"
    return fig


def tornado_figure(tornado: pd.DataFrame, balance: float, top: int = 12,
                   names: dict | None = None) -> go.Figure:
    """Tornado: the balance at the low and high end of each input's plausible range.

    Parameters
    ----------
    tornado : DataFrame
        From :func:`powerkit.power.tornado`.
    balance : float
        The base balance (the vertical line).
    top : int
        Show the ``top`` inputs with the largest swing.
    names : dict, optional
        party id → display name for the labels.
    """
    t = tornado.head(top).iloc[::-1]
    names = names or {}
    labels = [f"{lbl(r.input.replace('_', ' '))} ({lbl(names.get(r.party, r.party))})"
              for r in t.itertuples()]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=t["balance_low"] - balance, base=balance, orientation="h",
                         name="input at the low end", marker_color="#e07b7b",
                         customdata=t[["low"]].to_numpy(),
                         hovertemplate="input = %{customdata[0]:.2f}<br>balance %{x:+.3f}"
                                       "<extra></extra>"))
    fig.add_trace(go.Bar(y=labels, x=t["balance_high"] - balance, base=balance, orientation="h",
                         name="input at the high end", marker_color="#6fa8dc",
                         customdata=t[["high"]].to_numpy(),
                         hovertemplate="input = %{customdata[0]:.2f}<br>balance %{x:+.3f}"
                                       "<extra></extra>"))
    fig.add_vline(x=balance, line_dash="dot", line_color="#333")
    base_layout(fig, "Sensitivity: how far each input moves the balance",
                "power balance (−1 they hold all … +1 we hold all)", None,
                height=max(350, 32 * len(t) + 120))
    fig.update_layout(barmode="overlay")
    return fig


def balance_timeline_figure(timeline: pd.DataFrame) -> go.Figure:
    """The balance over time, split by source, with each event marked and described.

    Parameters
    ----------
    timeline : DataFrame
        From :func:`powerkit.power.balance_timeline`.
    """
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=timeline["date"], y=timeline["balance"], mode="lines+markers",
                             name="balance", line=dict(color="#222", width=3),
                             hovertemplate="%{x|%d %b %Y}: %{y:+.3f}<extra>balance</extra>"))
    for src, dash in zip(_SOURCES, ("dash", "dot", "dashdot"), strict=True):
        fig.add_trace(go.Scatter(x=timeline["date"], y=timeline[src], mode="lines", name=src,
                                 line=dict(dash=dash, width=1.5),
                                 hovertemplate="%{x|%d %b %Y}: %{y:+.3f}<extra>" + src
                                               + "</extra>"))
    ev = timeline[timeline["event"].astype(bool)]
    if len(ev):
        fig.add_trace(go.Scatter(
            x=ev["date"], y=ev["balance"], mode="markers", name="event",
            marker=dict(symbol="diamond", size=13, color="#f39c12", line=dict(color="#333",
                                                                               width=1)),
            text=[lbl(e) for e in ev["event"]],
            hovertemplate="%{x|%d %b %Y}<br>%{text}<extra>event</extra>"))
        for x in ev["date"]:
            fig.add_vline(x=x, line_dash="dot", line_color="#f39c12", opacity=0.6)
    fig.add_hline(y=0, line_color="#999")
    base_layout(fig, "Power balance over time (events marked)", "date",
                "balance (+ favours us, − favours them)")
    return fig


def negotiation_dance_figure(ledger: pd.DataFrame, us: str, them: str,
                             us_name: str | None = None,
                             them_name: str | None = None) -> go.Figure:
    """Raiffa's negotiation dance: every offer in utility space, each side's path by round.

    x = the offer's utility to us, y = its utility to them (each in its own ratings, 0..1).

    Parameters
    ----------
    ledger : DataFrame
        From :func:`powerkit.power.concession_ledger`.
    us, them : str
        Party ids.
    """
    fig = go.Figure()
    for party, name, colour in ((us, us_name, US_COLOUR), (them, them_name, THEM_COLOUR)):
        g = ledger[ledger["party"] == party]
        if party == us:
            x, y = g["own_utility"], g["other_utility"]
        else:
            x, y = g["other_utility"], g["own_utility"]
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="lines+markers+text", name=lbl(name or party),
            text=[f"R{int(r)}" for r in g["round"]], textposition="top center",
            marker=dict(size=11, color=colour), line=dict(color=colour),
            hovertemplate="round %{text}<br>to us %{x:.2f}, to them %{y:.2f}<extra>"
                          + lbl(name or party) + "</extra>"))
    base_layout(fig, "The negotiation dance: offers by round",
                "utility of the offer to us (0..1, our ratings)",
                "utility of the offer to them (0..1, their ratings)")
    fig.update_xaxes(range=[-0.05, 1.08])
    fig.update_yaxes(range=[-0.05, 1.12])
    return fig


def zopa_figure(split, us_name: str | None = None, them_name: str | None = None,
                currency: str = "") -> go.Figure:
    """The ZOPA on the price axis with both walk-away prices and the predicted price.

    Parameters
    ----------
    split : powerkit.bargaining.Split
    us_name, them_name : str, optional
        Display names (default: the party ids). Escaped here.
    currency : str
        Unit of the price axis.
    """
    z = split.zopa
    names = {split.us: us_name or split.us, split.counterpart: them_name or split.counterpart}
    fig = go.Figure()
    fig.add_trace(go.Bar(y=["price"], x=[0.0], base=[0.0], orientation="h"))
    for who in (z.seller, z.buyer):
        role = "walk-away (seller)" if who == z.seller else "walk-away (buyer)"
        label = f"{lbl(names.get(who, who))}'s {role}"
        fig.add_trace(go.Scatter(
            x=[None], y=["price"], mode="markers", name=label,
            marker=dict(symbol="line-ns-open", size=40, line=dict(width=4),
                        color=US_COLOUR if who == split.us else THEM_COLOUR),
            hovertemplate=f"{label}: %{{x:,.0f}}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[None], y=["price"], mode="markers+text", name="predicted price",
        textposition="top center", marker=dict(symbol="diamond", size=16, color=THIRD_COLOUR),
        hovertemplate="predicted price %{x:,.0f}<extra></extra>"))
    cur = f" ({lbl(currency)})" if currency else ""
    base_layout(fig, "ZOPA and the predicted price", f"price{cur}", None, height=340)
    fig.update_xaxes(tickformat=",.0f")
    fig.update_yaxes(showticklabels=False)
    fig.update_layout(meta={"currency": currency}, margin=dict(l=30, r=30, t=60, b=110),
                      legend=dict(orientation="h", yanchor="top", y=-0.35, x=0))
    return update_zopa_figure(fig, split)


def update_zopa_figure(fig: go.Figure, split) -> go.Figure:
    """Put a new split into a figure made by :func:`zopa_figure` (same seller and buyer), in
    place."""
    z = split.zopa
    lo, hi = sorted((z.seller_reservation, z.buyer_reservation))
    bar = fig.data[0]
    bar.x, bar.base = [hi - lo], [lo]
    bar.marker.color = "#a9dfbf" if z.exists else "#f5b7b1"
    bar.name = "ZOPA" if z.exists else "gap: no ZOPA"
    bar.hovertemplate = (("ZOPA" if z.exists else "gap")
                         + " from %{base:,.0f}, %{x:,.0f} wide<extra></extra>")
    cur = (fig.layout.meta or {}).get("currency", "") if isinstance(fig.layout.meta, dict) else ""
    for trace, x in ((fig.data[1], z.seller_reservation), (fig.data[2], z.buyer_reservation)):
        trace.x = [x]
        trace.name = f"{trace.name.split(':')[0]}: {money(x, cur)}"
    price = fig.data[3]
    price.x = [split.price]
    price.text = [f"predicted {money(split.price, cur)}"] if split.price is not None else [""]
    title = ("ZOPA and the predicted price" if z.exists else
             "No ZOPA: the walk-away prices miss")
    if split.share_us is not None:
        title += f": {split.share_us:.0%} of the zone to us"
    fig.layout.title.text = title
    pad = 0.15 * max(hi - lo, abs(hi) * 0.05, 1.0)
    fig.layout.xaxis.range = [lo - pad, hi + pad]
    return fig
