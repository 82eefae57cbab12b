"""Widgets of walkthrough 2 (formal vs informal influence): tie kind, measure, threshold and
engagement budget.

The callback is :func:`powerkit.influence.what_if`, called with the widget's own
:class:`CallbackCache`, so moving the threshold, the measure or the budget only recomputes what
depends on it. The builder only wires the controls to it and redraws the figures and tables in
``Output`` widgets.
"""
from __future__ import annotations

import ipywidgets as w

from .. import influence as inf
from ..plots.influence import forecast_path_figure, rank_scatter_figure
from ..text import esc
from . import (
    BUSY_CSS,
    FigureView,
    Memo,
    ahead,
    refresher,
    row,
    slider_layout,
    to_outputs,
    view_of,
    wire,
)

__all__ = ["CallbackCache", "build_influence_widgets"]


class CallbackCache(dict):
    """The intermediate results a widget keeps between calls of
    :func:`powerkit.influence.what_if` (its ``cache=``): at most ``max_entries``, the oldest
    dropped first. One per widget, owned by it: no cache outlives the widget.

    Examples
    --------
    >>> c = CallbackCache(max_entries=2)
    >>> c["a"], c["b"], c["c"] = 1, 2, 3
    >>> list(c)
    ['b', 'c']
    """

    def __init__(self, max_entries: int = 16):
        super().__init__()
        self.max_entries = max_entries

    def __setitem__(self, key, value):
        if key not in self and len(self) >= self.max_entries:
            del self[next(iter(self))]
        super().__setitem__(key, value)


def build_influence_widgets(deal, kind: str = "all", measure: str = "pagerank",
                            threshold: float = 0.25, budget: int = 3, effect: float = 0.5,
                            group: str | None = "department"):
    """Dropdowns for tie kind and measure, sliders for the flag threshold and the budget.

    Every change calls :func:`powerkit.influence.what_if` (with the widget's
    :class:`CallbackCache`) and redraws the formal-vs-informal scatter, the flagged people, the
    engagement plan and its forecast path.

    Parameters
    ----------
    deal : Deal
        A deal with a ``ties`` table (or a reference case from
        :func:`powerkit.deal.reference.load_reference`).
    kind, measure, threshold, budget, effect, group
        Starting values (see :func:`powerkit.influence.what_if`).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict of the widgets by name), ``refresh()`` (redraw now),
        ``last`` (the latest :class:`powerkit.influence.InfluenceView`), ``figures`` and
        ``cache`` (its :class:`CallbackCache`).

    Examples
    --------
    The callback, called the way the controls call it:

    >>> from powerkit.deal.reference import load_reference
    >>> v = inf.what_if(load_reference("krackhardt"), kind="advice", measure="in_degree",
    ...                 threshold=0.25, budget=2, cache=CallbackCache())
    >>> v.headline["most_sought_after_id"]
    '2'
    """
    style = {"description_width": "initial"}
    lay = w.Layout(width="300px")
    kinds = inf.kind_options(deal)
    ctl = {
        "kind": w.Dropdown(options=kinds, value=kind if kind in kinds else "all",
                           description="tie kind", style=style, layout=lay),
        "measure": w.Dropdown(options=list(inf.MEASURES), value=measure,
                              description="informal measure", style=style, layout=lay),
        "threshold": w.FloatSlider(value=threshold, min=0.05, max=0.5, step=0.05,
                                   description="top band for flags", continuous_update=False,
                                   readout_format=".0%", style=style,
                                   layout=slider_layout("engagement budget (contacts)")),
        "budget": w.IntSlider(value=budget, min=0, max=10, step=1,
                              description="engagement budget (contacts)",
                              continuous_update=False, style=style,
                              layout=slider_layout("engagement budget (contacts)")),
    }
    status = w.HTML()
    scatter, flags_out, plan_out, path = FigureView(), w.Output(), w.Output(), FigureView()
    views = view_of(status, scatter.view, flags_out, plan_out, path.view)
    box = w.VBox([w.HTML(BUSY_CSS), row(ctl["kind"], ctl["measure"]),
                  row(ctl["threshold"], ctl["budget"]), status,
                  scatter.view, flags_out, plan_out, path.view])
    cache, warm_cache = CallbackCache(), CallbackCache()  # the warm-up thread has its own
    shown = Memo()
    names = ("kind", "measure", "threshold", "budget")

    def view(key, memo=cache):
        """The what-if for (kind, measure, threshold, budget), its sentence, figures and
        tables' outputs."""
        v = inf.what_if(deal, **dict(zip(names, key, strict=True)), effect=effect, group=group,
                        cache=memo)
        h = v.headline
        text = (f"Who really decides: <b>{esc(h['who_really_decides'])}</b> "
                f"({100 * h['who_really_decides_share']:.0f}% of the forecast decision); "
                f"forecast {h['forecast_decision']:+.2f} → "
                f"{h['forecast_after_plan']:+.2f} after {v.budget} contacts.")
        return (v, text, rank_scatter_figure(v.table), forecast_path_figure(v.plan),
                to_outputs([v.flagged[["name", "flag", "evidence"]]]),
                to_outputs([v.plan.steps[["step", "name", "stance_before", "stance_after",
                                          "forecast", "forecast_at_once"]].round(3)]))

    def draw(change=None):
        key = tuple(ctl[k].value for k in names)
        v, text, scatter_fig, path_fig, flags, plan = shown.get(key, view)
        box.last = v
        status.value = text
        scatter.update(scatter_fig)
        path.update(path_fig)
        box.figures = (scatter.figure, path.figure)
        flags_out.outputs, plan_out.outputs = flags, plan
        # ahead of the next move: the positions the sliders reach next
        at = dict(zip(names, key, strict=True))
        shown.warm(ahead({k: ctl[k] for k in ("threshold", "budget")}, change,
                         lambda k, x: tuple({**at, k: x}[n] for n in names)),
                   lambda k: view(k, warm_cache))
        return v

    refresh = refresher(views, draw, status)
    wire(box, ctl, refresh)
    box.cache = cache
    refresh()
    return box
