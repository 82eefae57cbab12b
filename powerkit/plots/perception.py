"""Figures of walkthrough 2's "Who sees the network right" (perceived networks): one
perceiver's view cell by cell against a reference structure, and every perceiver's accuracy
and competence."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..text import label as lbl
from .common import THIRD_COLOUR, US_COLOUR, base_layout

__all__ = ["perceived_network_figure", "perception_accuracy_figure", "OUTCOME_COLOURS"]

#: colour of each outcome of a perceived tie against the reference
OUTCOME_COLOURS = {"hit": "#27ae60", "miss": "#e67e22", "false alarm": "#c0392b"}


def perceived_network_figure(comparison: pd.DataFrame, names=None, title: str | None = None
                             ) -> go.Figure:
    """A perceiver's view against the reference as a who-goes-to-whom matrix.

    Rows are the people who go to someone (source), columns the people they go to (target).
    Each square is a tie: green a **hit** (in the view and the reference), red a **false
    alarm** (in the view only), orange a **miss** (in the reference only); empty cells are
    correct rejections.

    Parameters
    ----------
    comparison : pandas.DataFrame
        :func:`powerkit.perception.slice_against`'s frame (``source, target, outcome``;
        ``attrs`` ``perceiver`` and ``reference`` make the title).
    names : mapping or pandas.Series, optional
        Display name by id (default the ids).
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> cmp = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"],
    ...                     "outcome": ["hit", "miss"]})
    >>> [t.name for t in perceived_network_figure(cmp).data]
    ['hit (1)', 'miss (1)', 'false alarm (0)']
    """
    names = {} if names is None else dict(pd.Series(names).astype(str))
    people = list(dict.fromkeys(list(comparison["source"]) + list(comparison["target"])))
    text = {p: lbl(names.get(p, p)) for p in people}
    fig = go.Figure()
    counts = comparison["outcome"].value_counts()
    for outcome, colour in OUTCOME_COLOURS.items():
        part = comparison[comparison["outcome"] == outcome]
        n = int(counts.get(outcome, 0))
        name = f"{outcome} ({n})"
        fig.add_trace(go.Scatter(
            x=[text[t] for t in part["target"]], y=[text[s] for s in part["source"]],
            mode="markers", name=name,
            marker=dict(symbol="square", size=11, color=colour),
            hovertext=[f"{text[s]} → {text[t]}: {outcome}"
                       for s, t in zip(part["source"], part["target"], strict=True)],
            hoverinfo="text"))
    order = [text[p] for p in people]
    fig.update_xaxes(categoryorder="array", categoryarray=order, tickangle=-45,
                     showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], showgrid=True,
                     gridcolor="#eeeeee")
    who = comparison.attrs.get("perceiver")
    ref = comparison.attrs.get("reference", "the reference")
    if title is None:
        title = (f"{lbl(names.get(who, who))}'s view against the {lbl(ref)}" if who is not None
                 else f"View against the {lbl(ref)}")
    base_layout(fig, title, x="goes to (target)", y="who goes (source)",
                height=max(450, 22 * len(people) + 160))
    fig.update_layout(legend=dict(orientation="h", y=1.01, x=0, yanchor="bottom"),
                      margin=dict(t=90))
    return fig


def perception_accuracy_figure(table: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Every perceiver's accuracy (bars) and cultural competence (diamonds), best first.

    Parameters
    ----------
    table : pandas.DataFrame
        :attr:`powerkit.perception.Perception.accuracy`: indexed by perceiver, with ``name``,
        ``accuracy`` and (optional) ``competence``; ``attrs["reference"]`` for the title.
    title : str, optional

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["A", "B"], "accuracy": [0.5, 0.2],
    ...                   "competence": [0.7, 0.6]}, index=["a", "b"])
    >>> [tr.name for tr in perception_accuracy_figure(t).data]
    ['accuracy (phi)', 'competence']
    """
    t = table.sort_values("accuracy", ascending=True, kind="stable")
    names = t["name"] if "name" in t.columns else pd.Series(t.index, index=t.index)
    y = [lbl(n) for n in names.astype(str)]
    fig = go.Figure(go.Bar(x=t["accuracy"], y=y, orientation="h", name="accuracy (phi)",
                           marker_color=US_COLOUR,
                           hovertemplate="%{y}: accuracy %{x:.2f}<extra></extra>"))
    if "competence" in t.columns:
        fig.add_trace(go.Scatter(x=t["competence"], y=y, mode="markers", name="competence",
                                 marker=dict(symbol="diamond", size=10, color=THIRD_COLOUR),
                                 hovertemplate="%{y}: competence %{x:.2f}<extra></extra>"))
    ref = t.attrs.get("reference", table.attrs.get("reference", "the reference"))
    base_layout(fig, title or f"Who sees the network right: accuracy against the {lbl(ref)}",
                x="accuracy (phi: 1 = the reference, 0 = chance) · competence",
                height=max(400, 22 * len(t) + 140))
    fig.update_layout(legend=dict(orientation="h", y=1.01, x=0, yanchor="bottom"),
                      margin=dict(t=90))
    return fig
