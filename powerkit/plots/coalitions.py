"""Figures of walkthrough 5 (multi-party power): voting power vs weight, coalition explorer,
power–interest grid, salience types, coalition path.

Each function takes the analysis frame it draws (or the plan), or the whole what-if result
(:class:`powerkit.coalitions.CoalitionWhatIf`, which also brings the names), and returns a
``go.Figure``; none computes an analysis result."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..coalitions import CoalitionWhatIf
from ..text import label as lbl
from .common import (
    STANCE_SCALE,
    THEM_COLOUR,
    THIRD_COLOUR,
    US_COLOUR,
    base_layout,
    label_places,
)

__all__ = ["voting_power_figure", "coalition_explorer_figure", "power_interest_figure",
           "salience_figure", "coalition_path_figure"]

_QUADRANT_COLOUR = {"manage closely": "#c0392b", "keep satisfied": "#e67e22",
                    "keep informed": "#2980b9", "monitor": "#95a5a6"}


def _label(names, i) -> str:
    return lbl(names.get(i, i) if names else i)


def voting_power_figure(table: pd.DataFrame | CoalitionWhatIf,
                        names: dict | None = None) -> go.Figure:
    """Vote share beside Shapley–Shubik and Banzhaf power, one group of bars per voter.

    Bars that differ from the vote share show where the surface misleads: dummies (power 0)
    and members whose position makes them pivotal more often than their votes suggest.

    Parameters
    ----------
    table : pandas.DataFrame or CoalitionWhatIf
        :func:`powerkit.coalitions.voting_power_table` output, or a what-if result (its
        ``power`` table and ``names``).
    names : dict, optional
        Player id → display name.

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> from powerkit.coalitions import voting_power_table
    >>> fig = voting_power_figure(voting_power_table({"A": 4, "B": 4, "C": 1}, 5))
    >>> [t.name for t in fig.data]
    ['share of votes', 'Shapley–Shubik', 'Banzhaf (normalised)']
    """
    if isinstance(table, CoalitionWhatIf):
        table, names = table.power, table.names
    x = [_label(names, i) for i in table.index]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=table["weight_share"].astype(float), name="share of votes",
                         marker_color=THIRD_COLOUR,
                         hovertemplate="%{x}: %{y:.1%} of the votes<extra></extra>"))
    fig.add_trace(go.Bar(x=x, y=table["shapley_shubik"].astype(float), name="Shapley–Shubik",
                         marker_color=US_COLOUR,
                         hovertemplate="%{x}: decisive in %{y:.1%} of voting orders"
                                       "<extra></extra>"))
    fig.add_trace(go.Bar(x=x, y=table["banzhaf"].astype(float), name="Banzhaf (normalised)",
                         marker_color="#ff7f0e",
                         hovertemplate="%{x}: %{y:.1%} of all swings<extra></extra>"))
    fig.update_layout(barmode="group", legend=dict(orientation="h", y=1.1))
    fig.update_yaxes(tickformat=".0%")
    base_layout(fig, "Voting power vs vote weight", x="voter", y="share (votes or power, %)")
    # names slanted, with room on the right for the last one (it was cut at the plot's edge)
    fig.update_xaxes(tickangle=-30, automargin=True)
    return fig.update_layout(margin=dict(r=70))


def coalition_explorer_figure(coalitions: pd.DataFrame | CoalitionWhatIf,
                              weights: pd.Series | None = None, supporters=(),
                              names: dict | None = None, max_rows: int = 40) -> go.Figure:
    """Minimal winning coalitions as a membership grid: rows are coalitions, columns voters.

    A filled cell is a member; green when that member supports us today, grey otherwise. Rows
    are sorted by how many members are still missing, so the top rows are the coalitions
    closest to reach.

    Parameters
    ----------
    coalitions : pandas.DataFrame or CoalitionWhatIf
        :func:`powerkit.coalitions.minimal_winning_coalitions` output (``members`` column), or
        a what-if result (its ``coalitions``, the game's weights, today's ``supporters`` and
        ``names``).
    weights : pandas.Series
        Voter → weight (columns, heaviest first); required with a frame.
    supporters : iterable
        Voters on side today.
    names : dict, optional
        Voter id → display name.
    max_rows : int, default 40
        Coalitions shown.

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> from powerkit.coalitions import minimal_winning_coalitions
    >>> w = pd.Series({"A": 3, "B": 2, "C": 2})
    >>> fig = coalition_explorer_figure(minimal_winning_coalitions(w, 4), w, supporters=["A"])
    >>> fig.data[0].z.shape
    (3, 3)
    """
    if isinstance(coalitions, CoalitionWhatIf):
        r = coalitions
        coalitions, weights, supporters, names = (r.coalitions, r.game.weights, r.supporters,
                                                  r.names)
    sup = set(supporters)
    cols = list(weights.sort_values(ascending=False, kind="stable").index)
    df = coalitions.copy()
    df["_missing"] = [sum(1 for m in c if m not in sup) for c in df["members"]]
    df = df.sort_values(["_missing", "size", "weight"], kind="stable").head(max_rows)
    z = np.full((len(df), len(cols)), np.nan)
    text = [["" for _ in cols] for _ in range(len(df))]
    pos = {c: k for k, c in enumerate(cols)}
    for r, members in enumerate(df["members"]):
        for m in members:
            z[r, pos[m]] = 1.0 if m in sup else 0.5
            text[r][pos[m]] = "on side" if m in sup else "to win"
    ylab = [f"#{k + 1}: {len(c)} members, {int(miss)} to win"
            for k, (c, miss) in enumerate(zip(df["members"], df["_missing"], strict=True))]
    xlab = [f"{_label(names, c)} ({weights[c]:g})" for c in cols]
    fig = go.Figure(go.Heatmap(z=z, x=xlab, y=ylab, text=text, zmin=0, zmax=1,
                               colorscale=[[0, "#bdc3c7"], [0.5, "#bdc3c7"], [0.5001, "#27ae60"],
                                           [1, "#27ae60"]],
                               showscale=False, xgap=2, ygap=2,
                               hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    n = len(df)
    return base_layout(fig, f"Minimal winning coalitions (closest {n} first; green = on side)",
                       x="voter (votes)", y="coalition", height=max(300, 60 + 22 * n))


def power_interest_figure(pmap: pd.DataFrame | CoalitionWhatIf) -> go.Figure:
    """Mendelow's power–interest grid: each stakeholder placed by power and interest, coloured
    by stance, with the four quadrants and their engagement.

    Parameters
    ----------
    pmap : pandas.DataFrame or CoalitionWhatIf
        :func:`powerkit.coalitions.power_map` output, or a what-if result (its ``power_map``).

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> pm = pd.DataFrame({"name": ["a"], "power": [0.8], "interest": [0.9], "stance": [0.1],
    ...                    "quadrant": ["manage closely"], "salience": ["definitive"]})
    >>> power_interest_figure(pm).data[0].mode
    'markers+text'
    """
    if isinstance(pmap, CoalitionWhatIf):
        pmap = pmap.power_map
    pt = pmap.attrs.get("power_threshold", 0.5)
    it = pmap.attrs.get("interest_threshold", 0.5)
    fig = go.Figure()
    top = 1.16
    for x0, x1, y0, y1, label in ((it, 1.05, pt, top, "manage closely"),
                                  (-0.05, it, pt, top, "keep satisfied"),
                                  (it, 1.05, -0.08, pt, "keep informed"),
                                  (-0.05, it, -0.08, pt, "monitor")):
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, line_width=0,
                      fillcolor=_QUADRANT_COLOUR[label], opacity=0.08, layer="below")
        fig.add_annotation(x=(x0 + x1) / 2, y=y1 - 0.035, text=label, showarrow=False,
                           font=dict(color=_QUADRANT_COLOUR[label], size=13))
    hover = [f"{lbl(n)}<br>power {p:.2f} · interest {i:.2f}<br>stance {s:+.2f}<br>"
             f"{lbl(q)} · {lbl(sal)}"
             for n, p, i, s, q, sal in zip(pmap["name"], pmap["power"], pmap["interest"],
                                           pmap["stance"], pmap["quadrant"], pmap["salience"],
                                           strict=True)]
    # names where they fit without overlapping (most powerful, then most interested, first)
    # axis units per character: x spans 1.1 over ~520 px, names at 10 px are ~5.5 px a letter
    place = label_places(pmap["interest"], pmap["power"], pmap["power"] + pmap["interest"],
                         [0.012 * len(str(n)) for n in pmap["name"]], height=0.05)
    fig.add_trace(go.Scatter(
        x=pmap["interest"], y=pmap["power"], mode="markers+text",
        text=[lbl(n) if p else "" for n, p in zip(pmap["name"], place, strict=True)],
        textposition=[p or "top center" for p in place], cliponaxis=False,
        textfont=dict(size=10), hovertext=hover, hoverinfo="text", name="stakeholders",
        marker=dict(size=12, color=pmap["stance"], cmin=-1, cmax=1, colorscale=STANCE_SCALE,
                    line=dict(width=1, color="#333"),
                    colorbar=dict(title="stance", thickness=12))))
    fig.update_xaxes(range=[-0.05, 1.05])
    fig.update_yaxes(range=[-0.08, top], tickvals=[0, 0.25, 0.5, 0.75, 1])
    fig.update_layout(showlegend=False)
    return base_layout(fig, "Power–interest grid (Mendelow)", x="interest in the outcome (0–1)",
                       y="power (0–1: votes, authority or influence)", height=550)


def salience_figure(pmap: pd.DataFrame | CoalitionWhatIf) -> go.Figure:
    """Mitchell, Agle & Wood's salience Venn: power, legitimacy and urgency circles with each
    stakeholder written in the region of the attributes they hold.

    Parameters
    ----------
    pmap : pandas.DataFrame or CoalitionWhatIf
        :func:`powerkit.coalitions.power_map` output (``salience`` column), or a what-if
        result (its ``power_map``).

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> pm = pd.DataFrame({"name": ["a", "b"], "salience": ["definitive", "dormant"]})
    >>> len(salience_figure(pm).layout.shapes)
    3
    """
    if isinstance(pmap, CoalitionWhatIf):
        pmap = pmap.power_map
    centres = {"power": (0.0, 0.55), "legitimacy": (0.65, 0.55), "urgency": (0.325, 0.0)}
    colours = {"power": THEM_COLOUR, "legitimacy": US_COLOUR, "urgency": "#f1c40f"}
    r = 0.6
    fig = go.Figure()
    for k, (cx, cy) in centres.items():
        fig.add_shape(type="circle", x0=cx - r, x1=cx + r, y0=cy - r, y1=cy + r,
                      line=dict(color=colours[k], width=2), fillcolor=colours[k], opacity=0.12)
        lx, ly = {"power": (-0.45, 1.2), "legitimacy": (1.1, 1.2), "urgency": (0.325, -0.7)}[k]
        fig.add_annotation(x=lx, y=ly, text=f"<b>{k}</b>", showarrow=False,
                           font=dict(color=colours[k], size=14))
    region = {"dormant": (-0.3, 0.75), "discretionary": (0.95, 0.75), "demanding": (0.325, -0.35),
              "dominant": (0.325, 0.85), "dangerous": (0.0, 0.15), "dependent": (0.65, 0.15),
              "definitive": (0.325, 0.38), "non-stakeholder": (1.25, -0.55)}
    xs, ys, texts, hover = [], [], [], []
    for t, (x, y) in region.items():
        who = [lbl(n) for n in pmap.loc[pmap["salience"] == t, "name"]]
        xs.append(x)
        ys.append(y)
        shown = who[:4] + ([f"+{len(who) - 4} more"] if len(who) > 4 else [])
        texts.append(f"<b>{t}</b> ({len(who)})<br>" + "<br>".join(shown))
        hover.append(f"{t}: " + (", ".join(who) if who else "nobody"))
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="text", text=texts, hovertext=hover,
                             hoverinfo="text", textfont=dict(size=10), showlegend=False))
    fig.update_xaxes(visible=False, range=[-0.8, 1.6])
    fig.update_yaxes(visible=False, range=[-0.8, 1.4], scaleanchor="x")
    return base_layout(fig, "Stakeholder salience (Mitchell, Agle & Wood): who holds power, "
                       "legitimacy, urgency", height=560)


def coalition_path_figure(plan, names: dict | None = None) -> go.Figure:
    """The coalition path: votes on side against cumulative effort, step by step, for the
    sequential and the collective plan, with the quota to reach.

    Parameters
    ----------
    plan : powerkit.coalitions.CoalitionPlan or CoalitionWhatIf
        The plan, or a what-if result (its ``plan`` and ``names``).
    names : dict, optional
        Stakeholder id → display name.

    Returns
    -------
    go.Figure
    """
    if isinstance(plan, CoalitionWhatIf):
        plan, names = plan.plan, plan.names
    fig = go.Figure()
    start = plan.support_now
    for df, label, colour in ((plan.steps, "sequential (momentum)", US_COLOUR),
                              (plan.collective, "collective (today's stances)", "#ff7f0e")):
        x = [0.0] + list(df["cumulative_effort"]) if len(df) else [0.0]
        y = [start] + list(df["support_after"]) if len(df) else [start]
        txt = ["today"] + [_label(names, p) for p in df["stakeholder"]]
        hover = ["today's supporters"] + [
            f"{_label(names, p)}: effort {e:.2f}"
            + (f"; also brings {', '.join(_label(names, i) for i in ind)}" if ind else "")
            for p, e, ind in zip(df["stakeholder"], df["effort"], df["induced"], strict=True)]
        first = df is plan.steps  # names written once, on the sequential path
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers+text" if first else "lines+markers",
                                 name=label, text=txt if first else None,
                                 textposition="top left", hovertext=hover, hoverinfo="text",
                                 line=dict(color=colour, shape="hv",
                                           dash="solid" if first else "dot"),
                                 marker=dict(size=9)))
    fig.add_hline(y=plan.game.quota, line=dict(color=THEM_COLOUR, dash="dash"),
                  annotation_text=f"quota {plan.game.quota:g}", annotation_position="top left")
    base_layout(fig, "Coalition path: votes on side vs effort spent",
                x="cumulative effort (stance gap × (2 − trust))", y="votes on side")
    fig.update_layout(legend=dict(orientation="h", y=-0.2), margin=dict(b=90))
    return fig
