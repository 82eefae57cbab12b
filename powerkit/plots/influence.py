"""Figures of walkthrough 2 (formal vs informal influence): org chart beside the informal
network, formal vs informal rank, forecast before/after engagement, brokerage table."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..influence import ROLES
from ..text import label as lbl
from .common import STANCE_SCALE, THEM_COLOUR, THIRD_COLOUR, US_COLOUR, base_layout

__all__ = ["network_figure", "rank_scatter_figure", "forecast_path_figure",
           "forecast_shift_figure", "brokerage_figure"]

_FLAG_COLOUR = {"hidden influencer": "#e67e22", "formal-only": "#8e44ad", "": THIRD_COLOUR}
MAX_NETWORK_NODES = 400


def _org_chart_layout(G) -> dict:
    """Positions for an org chart: bosses above their people, teams side by side.

    ``G`` is a formal graph (edge ``subordinate → boss``, :func:`powerkit.influence.formal_graph`).
    People with neither boss nor subordinates sit on a bottom row ("outside the hierarchy").

    Examples
    --------
    >>> import networkx as nx
    >>> pos = _org_chart_layout(nx.DiGraph([("a", "boss"), ("b", "boss")]))
    >>> pos["boss"][1] > pos["a"][1], pos["a"][1] == pos["b"][1]
    (True, True)
    """
    kids: dict = {v: sorted(G.predecessors(v), key=str) for v in G}
    roots = sorted((v for v in G if G.out_degree(v) == 0 and kids[v]), key=str)
    loose = sorted((v for v in G if G.out_degree(v) == 0 and not kids[v]), key=str)
    pos: dict = {}
    x = [0.0]

    def place(v, depth):
        if not kids[v]:
            pos[v] = (x[0], -depth)
            x[0] += 1.0
            return pos[v][0]
        xs = [place(c, depth + 1) for c in kids[v]]
        pos[v] = (float(np.mean(xs)), -depth)
        return pos[v][0]

    depth_max = 0
    for r in roots:
        place(r, 0)
        x[0] += 0.5
    if pos:
        depth_max = -min(p[1] for p in pos.values())
    for i, v in enumerate(loose):
        pos[v] = (float(i), -(depth_max + 1.5))
    return pos


def _edge_xy(G, pos, nodes):
    xs, ys = [], []
    for u, v in G.edges():
        if u in nodes and v in nodes:
            xs += [pos[u][0], pos[v][0], None]
            ys += [pos[u][1], pos[v][1], None]
    return xs, ys


def network_figure(formal, informal, size=None, stance=None, names=None, title=None,
                   seed: int = 0, highlight=()) -> go.Figure:
    """The org chart (left) beside the informal network (right), same people in both.

    Node size is informal influence (``size``), colour the stance on our proposal (red −1 …
    green +1); formal reporting lines are solid grey, informal ties dotted blue (a tie runs
    from the listener to the person listened to; hover a node for its numbers).

    Parameters
    ----------
    formal, informal : networkx.DiGraph
        :func:`powerkit.influence.formal_graph` and :func:`~powerkit.influence.informal_graph`.
    size : mapping or pandas.Series, optional
        Node → informal influence (e.g. PageRank); default in-degree of ``informal``.
    stance : mapping or Series, optional
        Node → stance (−1..1); default the ``stance`` node attribute.
    names : mapping, optional
        Node → display name; default the ``name`` node attribute.
    highlight : iterable
        Nodes to outline in black (e.g. the flagged people).
    seed : int
        Seed of the spring layout of the informal network.

    Returns
    -------
    go.Figure
        With more than 400 people only the 400 largest by ``size`` are drawn.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.influence import formal_graph, informal_graph
    >>> deal = load_reference("krackhardt")
    >>> fig = network_figure(formal_graph(deal), informal_graph(deal, "advice"))
    >>> len(fig.data)
    4
    """
    import networkx as nx
    from plotly.subplots import make_subplots

    nodes = list(informal)
    size = (pd.Series(dict(informal.in_degree()), dtype=float) if size is None
            else pd.Series(size, dtype=float)).reindex(nodes).fillna(0.0)
    if len(nodes) > MAX_NETWORK_NODES:
        nodes = size.sort_values(ascending=False).index[:MAX_NETWORK_NODES].tolist()
        size = size.reindex(nodes)
    keep = set(nodes)
    stance = (pd.Series({v: informal.nodes[v].get("stance", 0.0) for v in nodes}, dtype=float)
              if stance is None else pd.Series(stance, dtype=float).reindex(nodes)).fillna(0.0)
    names = ({v: informal.nodes[v].get("name", v) for v in nodes} if names is None
             else dict(names))
    smax = float(size.max()) if len(size) and size.max() > 0 else 1.0
    px = (10 + 30 * size / smax).to_numpy()
    hl = set(highlight)
    line_w = [3 if v in hl else 0.5 for v in nodes]
    labels = [lbl(names.get(v, v)) for v in nodes]
    hover = [f"{lab}<br>influence {s:.3g}<br>stance {x:+.2f}"
             for lab, s, x in zip(labels, size, stance, strict=True)]
    pos_f = _org_chart_layout(formal.subgraph(nodes))
    und = nx.Graph(informal.subgraph(nodes))
    pos_i = nx.spring_layout(und, seed=seed, weight=None) if len(und) else {}
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.04,
                        subplot_titles=("Formal: the org chart", "Informal: who listens to whom"))
    ex, ey = _edge_xy(formal, pos_f, keep)
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", name="reports to (formal)",
                             line=dict(color="#7f7f7f", width=1.5), hoverinfo="skip"), 1, 1)
    ix, iy = _edge_xy(informal, pos_i, keep)
    fig.add_trace(go.Scatter(x=ix, y=iy, mode="lines", name="listens to (informal tie)",
                             line=dict(color=US_COLOUR, width=0.8, dash="dot"),
                             opacity=0.6, hoverinfo="skip"), 1, 2)
    show_text = len(nodes) <= 40
    for col, pos in ((1, pos_f), (2, pos_i)):
        fig.add_trace(go.Scatter(
            x=[pos[v][0] for v in nodes], y=[pos[v][1] for v in nodes],
            mode="markers+text" if show_text else "markers",
            text=labels if show_text else None, textposition="bottom center",
            textfont=dict(size=9), hovertext=hover, hoverinfo="text", showlegend=False,
            marker=dict(size=px, color=stance.to_numpy(), colorscale=STANCE_SCALE, cmin=-1,
                        cmax=1, line=dict(color="black", width=line_w),
                        colorbar=dict(title="stance", x=1.02) if col == 2 else None,
                        showscale=col == 2)), 1, col)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(legend=dict(orientation="h", y=-0.05))
    return base_layout(fig, title or "Formal vs informal structure (size = informal influence, "
                                      "colour = stance)", height=560)


def rank_scatter_figure(table: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Formal vs informal percentile, one dot per person; flagged people labelled.

    Above the diagonal: more informal than formal power (hidden influencers top left);
    below: formal power the network does not back (formal-only bottom right).

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`powerkit.influence.formal_vs_informal` output.

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.influence import formal_vs_informal
    >>> t = formal_vs_informal(load_reference("krackhardt"), "advice", "in_degree")
    >>> fig = rank_scatter_figure(t)
    >>> fig.layout.xaxis.title.text
    'formal power (percentile, 0 = lowest, 1 = highest)'
    """
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="formal = informal",
                             line=dict(color="#bbbbbb", dash="dash"), hoverinfo="skip"))
    for flag, grp in table.groupby("flag", sort=True):
        label = flag or "not flagged"
        fig.add_trace(go.Scatter(
            x=grp["formal_pct"], y=grp["informal_pct"], name=label,
            mode="markers+text" if flag else "markers",
            text=[lbl(n) for n in grp["name"]] if flag else None, textposition="top center",
            hovertext=[f"{lbl(n)}<br>formal rank {fr:g}, informal rank {ir:g}"
                       for n, fr, ir in zip(grp["name"], grp["formal_rank"],
                                            grp["informal_rank"], strict=True)],
            hoverinfo="text", marker=dict(size=11 if flag else 8,
                                          color=_FLAG_COLOUR.get(flag, THIRD_COLOUR))))
    m = table.attrs.get("measure", "informal measure")
    fig.update_xaxes(range=[-0.05, 1.05])
    fig.update_yaxes(range=[-0.05, 1.1])
    return base_layout(fig, title or f"Formal vs informal power (informal = {m})",
                       x="formal power (percentile, 0 = lowest, 1 = highest)",
                       y=f"informal power: {m} (percentile)")


def forecast_path_figure(plan) -> go.Figure:
    """The forecast decision after each contact of the plan: sequential vs all at once.

    Parameters
    ----------
    plan : powerkit.influence.EngagementPlan

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.influence import engagement_plan
    >>> fig = forecast_path_figure(engagement_plan(load_reference("krackhardt"), k=2))
    >>> [t.name for t in fig.data]
    ['one after another', 'same people at once']
    """
    steps = plan.steps
    x = [0, *steps["step"].tolist()]
    names = steps["name"] if "name" in steps else steps["stakeholder"].astype(str)
    text = ["no contact", *[lbl(n) for n in names]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=[plan.baseline, *steps["forecast"].tolist()],
                             mode="lines+markers", name="one after another",
                             line=dict(color=US_COLOUR), hovertext=text,
                             hovertemplate="%{hovertext}: %{y:+.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x, y=[plan.baseline, *steps["forecast_at_once"].tolist()],
                             mode="lines+markers", name="same people at once",
                             line=dict(color=THIRD_COLOUR, dash="dash"),
                             hovertemplate="%{y:+.3f}<extra></extra>"))
    fig.update_xaxes(dtick=1)
    return base_layout(fig, "Forecast decision as the plan unfolds",
                       x="contacts made (number)",
                       y="forecast decision (weighted stance, −1..+1)")


def forecast_shift_figure(plan, names=None, top: int = 20) -> go.Figure:
    """Each person's forecast stance without engagement and after the plan (dumbbells).

    Parameters
    ----------
    plan : powerkit.influence.EngagementPlan
    names : mapping, optional
        Id → display name; default the ``name`` column of ``plan.stances`` (present in the
        plans of :func:`powerkit.influence.engagement_plan`), else the ids.
    top : int
        People shown: the largest decision weights, then the largest shifts.

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.influence import engagement_plan
    >>> fig = forecast_shift_figure(engagement_plan(load_reference("krackhardt"), k=2), top=5)
    >>> len(fig.data[1].y)
    5
    """
    st = plan.stances.copy()
    st["weight"] = plan.inputs["decision_weight"]
    st["shift"] = st["after"] - st["before"]
    st = st.sort_values(["weight", "shift"], ascending=False).head(top).iloc[::-1]
    if names is None and "name" in st:
        names = st["name"]
    names = dict(names if names is not None else {})
    y = [lbl(names.get(i, i)) for i in st.index]
    fig = go.Figure()
    xs, ys = [], []
    for yi, a, b in zip(y, st["before"], st["after"], strict=True):
        xs += [a, b, None]
        ys += [yi, yi, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#cccccc", width=3),
                             showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=st["before"], y=y, mode="markers", name="without engagement",
                             marker=dict(color=THEM_COLOUR, size=9),
                             hovertemplate="%{y}: %{x:+.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=st["after"], y=y, mode="markers", name="after the plan",
                             marker=dict(color="#27ae60", size=9),
                             hovertemplate="%{y}: %{x:+.2f}<extra></extra>"))
    fig.update_xaxes(range=[-1.05, 1.05])
    return base_layout(fig, "Forecast stances before and after engagement",
                       x="forecast stance on our proposal (−1 opposed … +1 supports)",
                       y=None, height=max(300, 26 * len(st) + 120))


def brokerage_figure(measures: pd.DataFrame, top: int = 12) -> go.Figure:
    """The Gould–Fernandez brokerage roles of the busiest brokers, as a table.

    Parameters
    ----------
    measures : pandas.DataFrame
        :func:`powerkit.influence.measures` output. Without a group (no role columns) the
        figure says that brokerage roles need one.
    top : int
        Rows shown (largest ``brokerage_total`` first).

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.influence import measures
    >>> fig = brokerage_figure(measures(load_reference("krackhardt"), "advice"), top=3)
    >>> len(fig.data[0].cells.values[0])
    3
    """
    if "brokerage_total" not in measures:
        fig = go.Figure()
        fig.add_annotation(text="No group attribute in this deal: brokerage roles need one "
                                "(e.g. department).", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return base_layout(fig, "Brokerage roles", height=200)
    t = measures.sort_values("brokerage_total", ascending=False).head(top)
    header = ["person", *ROLES, "total"]
    cells = [[lbl(n) for n in t["name"]], *[t[r].astype(int).tolist() for r in ROLES],
             t["brokerage_total"].astype(int).tolist()]
    fig = go.Figure(go.Table(header=dict(values=header, fill_color="#eeeeee", align="left"),
                             cells=dict(values=cells, align="left")))
    group = measures.attrs.get("group", "group")
    return base_layout(fig, f"Brokerage roles (open two-paths brokered; groups = {group})",
                       height=max(250, 28 * len(t) + 120))
