"""Figures of the workshop's three exercises (:mod:`powerkit.workshop`): the exercise's table or
result in, ``go.Figure`` out."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..text import label as lbl
from .common import THEM_COLOUR, US_COLOUR, base_layout, label_places
from .influence import network_figure
from .value import utility_space_figure

__all__ = ["advice_network_figure", "position_figure", "efficient_packages_figure"]


def advice_network_figure(formal, informal, table: pd.DataFrame, highlight=()) -> go.Figure:
    """Exercise 1: the org chart beside the advice network, node size = colleagues who ask them.

    Parameters
    ----------
    formal, informal : networkx.DiGraph
        :func:`powerkit.influence.formal_graph` and ``informal_graph(deal, "advice")``.
    table : pandas.DataFrame
        :func:`powerkit.workshop.advisers` output (its ``advice_in_degree`` sizes the nodes).
    highlight : iterable
        Ids outlined (the most sought adviser, the top of the chart, the guess).

    Returns
    -------
    plotly.graph_objects.Figure
        :func:`powerkit.plots.network_figure`'s two panels.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.influence import formal_graph, informal_graph
    >>> from powerkit.workshop import advisers
    >>> deal = load_reference("krackhardt")
    >>> fig = advice_network_figure(formal_graph(deal), informal_graph(deal, "advice"),
    ...                             advisers(deal), highlight=["2", "7"])
    >>> fig.layout.title.text.startswith("The org chart (left) and the advice network")
    True
    """
    return network_figure(formal, informal, size=table["advice_in_degree"], highlight=highlight,
                          title="The org chart (left) and the advice network (right); "
                                "size = colleagues who ask them")


def position_figure(table: pd.DataFrame, highlight=()) -> go.Figure:
    """Exercise 2: wealth (across) against betweenness (up), one labelled dot per family.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`powerkit.workshop.position_power` output.
    highlight : iterable
        Families drawn in red (e.g. the answer and the guess).

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.workshop import position_power
    >>> fig = position_figure(position_power(load_reference("florentine")))
    >>> fig.layout.xaxis.title.text
    'net wealth in 1427 (thousands of lira)'
    """
    hl = {str(h) for h in highlight}
    colour = [THEM_COLOUR if str(i) in hl else US_COLOUR for i in table.index]
    names = [lbl(n) for n in table["name"]]
    hover = [f"{n}<br>betweenness {b:.3f} (rank {br})<br>wealth {w:,.0f}<br>marriages {m}"
             for n, b, br, w, m in zip(names, table["betweenness"], table["betweenness_rank"],
                                       table["wealth"], table["marriages"], strict=True)]
    # names where they fit without overlapping, the best-placed families first; axis units per
    # letter: x spans ~160 thousand lira over ~700 px, names at 12 px are ~6.5 px a letter
    place = label_places(table["wealth"], table["betweenness"], table["betweenness"],
                         [1.5 * len(n) for n in table["name"]], height=0.03)
    fig = go.Figure(go.Scatter(
        x=table["wealth"], y=table["betweenness"], mode="markers+text",
        text=[n if p else "" for n, p in zip(names, place, strict=True)],
        textposition=[p or "top center" for p in place], cliponaxis=False,
        hovertext=hover, hoverinfo="text", showlegend=False,
        marker=dict(size=8 + 4 * table["marriages"].to_numpy(), color=colour, opacity=0.8,
                    line=dict(color="white", width=1))))
    return base_layout(fig, "Power from position: brokerage vs wealth (size = marriages)",
                       x="net wealth in 1427 (thousands of lira)",
                       y="betweenness (share of shortest paths through the family)")


def efficient_packages_figure(analysis) -> go.Figure:
    """Exercise 3: the packages in utility space with the efficient frontier (and the trainee's
    package, when ``analysis`` was computed with one).

    Parameters
    ----------
    analysis : powerkit.value.ValueAnalysis
        :func:`powerkit.workshop.efficient_packages` output.

    Returns
    -------
    plotly.graph_objects.Figure
        :func:`powerkit.plots.utility_space_figure` of ``analysis``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> from powerkit.workshop import efficient_packages
    >>> isinstance(efficient_packages_figure(efficient_packages(load_itex_cypress())), go.Figure)
    True
    """
    return utility_space_figure(analysis)
