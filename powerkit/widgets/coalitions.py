"""Widgets of walkthrough 5 (multi-party power): quota, vote weights and who is on side.

The callback is :func:`powerkit.coalitions.what_if`; the builder only wires the controls to it
and redraws the figures (:mod:`powerkit.plots.coalitions`, from the what-if result) and the
plan table in ``Output`` widgets.
"""
from __future__ import annotations

import ipywidgets as w

from .. import coalitions as pc
from ..plots.coalitions import (
    coalition_explorer_figure,
    coalition_path_figure,
    voting_power_figure,
)
from ..text import esc
from . import (
    BUSY_CSS,
    FigureView,
    Memo,
    ahead,
    refresher,
    slider_layout,
    to_outputs,
    view_of,
    wire,
)

__all__ = ["build_coalitions_widgets"]


def build_coalitions_widgets(deal, threshold: float = 0.25, target: float = 0.6):
    """Controls for the quota, each voter's weight and who is already on side.

    Every change calls :func:`powerkit.coalitions.what_if` and redraws voting power vs weight,
    the coalition path and the coalition explorer, plus the plan table.

    Parameters
    ----------
    deal : powerkit.Deal
    threshold, target : float
        Stance rule and target of :func:`powerkit.coalitions.coalition_plan`.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict of widgets), ``refresh()``, ``last`` (the latest
        :class:`powerkit.coalitions.CoalitionWhatIf`) and ``figures`` (what is drawn).

    Examples
    --------
    The callback, called the way the controls call it (a what-if quota on a toy deal is in
    tests/test_coalitions.py):

    >>> callable(pc.what_if)
    True
    """
    base = pc.what_if(deal, threshold=threshold, target=target, packages=False)
    game = base.game
    st = deal.stakeholders
    style = {"description_width": "initial"}
    ctl: dict = {}
    ctl["quota"] = w.IntSlider(value=int(round(game.quota)), min=1, max=int(game.total) * 2,
                               step=1, description="votes needed (quota)",
                               continuous_update=False, style=style,
                               layout=slider_layout("votes needed (quota)"))
    voters = list(game.weights.index)
    weight_boxes = []
    for p in voters:
        ctl[("weight", p)] = w.BoundedIntText(value=int(round(game.weights[p])), min=0,
                                              max=10_000, description=esc(st.loc[p, "name"]),
                                              style=style, layout=w.Layout(width="260px"))
        weight_boxes.append(ctl[("weight", p)])
    options = [(f"{st.loc[p, 'name']} ({st.loc[p, 'party']})", p) for p in st.index]
    on_side = base.supporters
    ctl["supporters"] = w.SelectMultiple(options=options, value=tuple(on_side), rows=8,
                                         description="on side today", style=style,
                                         layout=w.Layout(width="420px"))
    status = w.HTML()
    power, path, table_out, explorer = FigureView(), FigureView(), w.Output(), FigureView()
    views = view_of(status, power.view, path.view, table_out, explorer.view)
    box = w.VBox([w.HTML(BUSY_CSS + "<b>Decision rule and who is on side</b> (the quota may exceed the "
                         "votes while you edit weights: it is checked on each change)"),
                  ctl["quota"], w.HTML("<b>Vote weights</b>"),
                  w.GridBox(weight_boxes, layout=w.Layout(
                      grid_template_columns="repeat(3, 270px)")),
                  ctl["supporters"], status, power.view, path.view, table_out, explorer.view])

    shown = Memo()

    def key_of(quota=None):
        return (ctl["quota"].value if quota is None else quota,
                tuple((p, ctl[("weight", p)].value) for p in voters),
                tuple(ctl["supporters"].value))

    def view(key):
        quota, weights, supporters = key
        res = pc.what_if(deal, quota=quota, weights=dict(weights), supporters=list(supporters),
                         threshold=threshold, target=target, packages=False)
        seq = res.plan.comparison.iloc[0]
        text = (f"{esc(res.game.description)} · on side today: "
                f"{res.support_now:g} votes · "
                f"{len(res.coalitions)} minimal winning coalitions · sequential plan: "
                f"{int(seq['engaged'])} people, effort {seq['total_effort']:.2f}")
        table = res.plan.comparison.drop(columns="who").round(3)
        return (res, text, voting_power_figure(res), coalition_path_figure(res),
                coalition_explorer_figure(res), table, to_outputs([table]))

    def draw(change=None):
        res, text, power_fig, path_fig, explorer_fig, table, outs = shown.get(key_of(), view)
        box.last = res
        status.value = text
        power.update(power_fig)
        path.update(path_fig)
        explorer.update(explorer_fig)
        box.figures = (power.figure, path.figure, table, explorer.figure)
        table_out.outputs = outs
        # ahead of the next move: the quotas the slider reaches next
        shown.warm(ahead({"quota": ctl["quota"]}, change, lambda _k, q: key_of(q)), view)
        return res

    refresh = refresher(views, draw, status)
    wire(box, ctl, refresh)
    box.last = base
    refresh()
    return box
