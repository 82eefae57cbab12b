"""Figures of walkthrough 4 (value creation): utility space, issue priorities, package table."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..text import label as lbl
from .common import THEM_COLOUR, THIRD_COLOUR, US_COLOUR, base_layout

__all__ = ["utility_space_figure", "issue_priority_figure", "package_table_figure"]

_FAIR_STYLE = {"nash": ("diamond", "#2ca02c", "Nash"),
               "kalai_smorodinsky": ("square", "#9467bd", "Kalai–Smorodinsky"),
               "utilitarian": ("triangle-up", "#ff7f0e", "Largest joint value")}


def _hover(df: pd.DataFrame, issues: list) -> list[str]:
    """One hover text per package (row of ``df``): each issue's option, then both utilities.

    Built column by column (each distinct option labelled once) rather than row by row with
    ``iterrows``: the same strings, a tenth of the time for the frontier and the cloud
    (issue 18.13)."""
    parts = []
    for i in issues:
        head, seen = f"{lbl(i)}: ", {}
        parts.append([seen[v] if v in seen else seen.setdefault(v, head + lbl(v))
                      for v in df[i].tolist()])
    tail = [f"<br>us {u:.3f} · them {t:.3f}"
            for u, t in zip(df["us"].tolist(), df["them"].tolist(), strict=True)]
    return ["<br>".join(cells) + end for *cells, end in zip(*parts, tail, strict=True)]


def utility_space_figure(analysis, mc=None, offers: pd.DataFrame | None = None) -> go.Figure:
    """Packages in utility space: the cloud, the exact frontier, BATNAs and the ZOPA, the
    proposal, the fair points and (when computed) the Monte Carlo band and the offers path.

    Parameters
    ----------
    analysis : powerkit.value.ValueAnalysis
        From :func:`powerkit.value.what_if`; its ``package_sample`` is the cloud of packages.
    mc : powerkit.value.MonteCarloResult, optional
        Adds the band of their best utility (5–95 % of draws) given ours; default
        ``analysis.monte_carlo`` (no band when that is None).
    offers : DataFrame, optional
        The offers history (``analysis.offers``, :func:`powerkit.value.concessions_from_offers`
        output): the offers drawn as a path per party.

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> from powerkit.value import what_if
    >>> fig = utility_space_figure(what_if(load_itex_cypress(), batna=(0.3, 0.3), n_draws=20))
    >>> [t.name for t in fig.data][:2]
    ['all packages (180)', 'efficient frontier']
    >>> any((t.name or "").startswith("frontier if their weights vary") for t in fig.data)
    True
    """
    a = analysis
    mc = a.monte_carlo if mc is None else mc
    issues = list(pd.unique(a.options["issue"]))
    fig = go.Figure()
    cloud = a.frontier if a.package_sample is None else a.package_sample
    if a.package_sample is not None:
        label = (f"all packages ({a.n_packages})" if len(cloud) >= a.n_packages
                 else f"sample of {len(cloud)} of {a.n_packages} packages")
        fig.add_trace(go.Scatter(x=cloud["us"], y=cloud["them"], mode="markers", name=label,
                                 marker=dict(size=5, color=THIRD_COLOUR, opacity=0.35),
                                 hovertext=_hover(cloud, issues) if len(cloud) <= 1000 else None,
                                 hoverinfo="text" if len(cloud) <= 1000 else "x+y"))
    f = a.frontier.sort_values("us")
    fig.add_trace(go.Scatter(x=f["us"], y=f["them"], mode="lines+markers", name="efficient frontier",
                             line=dict(color="black", width=2), marker=dict(size=7),
                             hovertext=_hover(f, issues), hoverinfo="text"))
    if mc is not None:
        b = mc.band
        lo = next((c for c in b.columns if c.startswith("them_q") and c != "them_q50"), None)
        hi = [c for c in b.columns if c.startswith("them_q")][-1]
        if lo is not None and hi != lo:
            fig.add_trace(go.Scatter(x=b["us"], y=b[hi], mode="lines", line=dict(width=0),
                                     showlegend=False, hoverinfo="skip"))
            fig.add_trace(go.Scatter(x=b["us"], y=b[lo], mode="lines", line=dict(width=0),
                                     fill="tonexty", fillcolor="rgba(214,39,40,0.15)",
                                     name=f"frontier if their weights vary ({int(lo[-2:])}–{int(hi[-2:])} %)",
                                     hoverinfo="skip"))
    du, dt = a.disagreement
    xmax = max(1.0, float(cloud["us"].max()), float(f["us"].max())) * 1.03
    ymax = max(1.0, float(cloud["them"].max()), float(f["them"].max())) * 1.03
    fig.add_shape(type="rect", x0=du, y0=dt, x1=xmax, y1=ymax, line=dict(width=0),
                  fillcolor="rgba(44,160,44,0.07)", layer="below")
    fig.add_vline(x=du, line=dict(color=US_COLOUR, dash="dash"),
                  annotation_text=f"BATNA {lbl(a.us_label)}", annotation_position="top left")
    fig.add_hline(y=dt, line=dict(color=THEM_COLOUR, dash="dash"),
                  annotation_text=f"BATNA {lbl(a.them_label)}", annotation_position="bottom right")
    if offers is not None and len(offers):
        for party, g in offers.dropna(subset=["us", "them"]).groupby("party", sort=False):
            colour = US_COLOUR if party == a.us_party else THEM_COLOUR if party == a.them_party else None
            fig.add_trace(go.Scatter(x=g["us"], y=g["them"], mode="lines+markers+text",
                                     name=f"offers by {lbl(party)}",
                                     text=[f"r{r}" for r in g["round"]], textposition="top center",
                                     line=dict(dash="dot", color=colour), marker=dict(size=8)))
    for p in (a.nash, a.kalai, a.utilitarian):
        if p is None:
            continue
        sym, col, name = _FAIR_STYLE[p.rule]
        fig.add_trace(go.Scatter(x=[p.us], y=[p.them], mode="markers", name=name,
                                 marker=dict(symbol=sym, size=14, color=col,
                                             line=dict(color="black", width=1)),
                                 hovertext=_hover(pd.DataFrame([p.as_row()]), issues),
                                 hoverinfo="text"))
    ev = a.evaluation
    if ev is not None:
        row = pd.DataFrame([{**ev.package, "us": ev.us, "them": ev.them}])
        fig.add_trace(go.Scatter(x=[ev.us], y=[ev.them], mode="markers", name="on the table",
                                 marker=dict(symbol="star", size=16, color="#e377c2",
                                             line=dict(color="black", width=1)),
                                 hovertext=_hover(row, issues), hoverinfo="text"))
        if len(ev.improvements):
            imp = ev.improvements
            fig.add_trace(go.Scatter(x=imp["us"], y=imp["them"], mode="markers",
                                     name="better for both than the table",
                                     marker=dict(size=11, color="rgba(0,0,0,0)",
                                                 line=dict(color="#e377c2", width=2)),
                                     hovertext=_hover(imp, issues), hoverinfo="text"))
    base_layout(fig, "Packages in utility space: the frontier and the fair points",
                x=f"Utility for {lbl(a.us_label)} (0–1, share of their best package)",
                y=f"Utility for {lbl(a.them_label)} (0–1, share of their best package)",
                height=520)
    fig.update_xaxes(range=[min(0.0, du) - 0.02, xmax])
    fig.update_yaxes(range=[min(0.0, dt) - 0.02, ymax])
    return fig


def issue_priority_figure(analysis) -> go.Figure:
    """Where to trade: each side's stake in each issue (share of its total stake).

    Issues where one bar is much longer than the other are the ones to trade; issues marked
    "compatible" have an option both sides like best.

    Parameters
    ----------
    analysis : ValueAnalysis or DataFrame
        A :func:`powerkit.value.what_if` result, or :func:`powerkit.value.issue_priorities`
        output (then the sides are labelled "us" and "them").

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> from powerkit.value import what_if
    >>> fig = issue_priority_figure(what_if(load_itex_cypress()))
    >>> len(fig.data)
    2
    """
    if isinstance(analysis, pd.DataFrame):
        pr, us_l, them_l = analysis, "us", "them"
    else:
        pr, us_l, them_l = analysis.priorities, analysis.us_label, analysis.them_label
    names = [lbl(i) + (" (compatible)" if k == "compatible" else "")
             for i, k in zip(pr["issue"], pr["kind"], strict=True)]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=pr["us_share"], orientation="h", name=lbl(us_l),
                         marker_color=US_COLOUR,
                         hovertext=[f"best for {lbl(us_l)}: {lbl(b)}" for b in pr["us_best"]]))
    fig.add_trace(go.Bar(y=names, x=pr["them_share"], orientation="h", name=lbl(them_l),
                         marker_color=THEM_COLOUR,
                         hovertext=[f"best for {lbl(them_l)}: {lbl(b)}" for b in pr["them_best"]]))
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=".0%")
    return base_layout(fig, "Issue priorities: what each side has at stake",
                       x="Share of the side's total stake (%)", y="Issue",
                       height=max(300, 90 + 60 * len(pr)))


def package_table_figure(table: pd.DataFrame, title: str = "Recommended packages") -> go.Figure:
    """A table of packages (e.g. :func:`powerkit.value.recommended_packages`) as a figure.

    Examples
    --------
    >>> fig = package_table_figure(pd.DataFrame({"rule": ["nash"], "a": ["x"], "us": [0.5],
    ...                                          "them": [0.5]}))
    >>> fig.data[0].type
    'table'
    """
    cells = []
    for c in table.columns:
        col = table[c]
        if pd.api.types.is_float_dtype(col):
            cells.append([f"{v:.3f}" if pd.notna(v) else "" for v in col])
        else:
            cells.append([lbl(v) for v in col])
    fig = go.Figure(go.Table(header=dict(values=[f"<b>{lbl(c)}</b>" for c in table.columns],
                                         fill_color="#eeeeee", align="left"),
                             cells=dict(values=cells, align="left")))
    return base_layout(fig, title, height=max(220, 140 + 50 * len(table)))
