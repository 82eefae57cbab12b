"""Widgets of the ranges (walkthrough 1 and the game plan): the interval level and a switch
that turns uncertainty off; the whiskers and the sentence update.

The callback is :func:`powerkit.uncertainty.uncertainty` (draws cached per setting of the switch
in the widget's own cache; a new level only re-reads the same draws).
"""
from __future__ import annotations

import ipywidgets as w

from ..plots.uncertainty import ranges_figure
from ..sections.power import ranges_sentence
from ..uncertainty import uncertainty
from . import BUSY_CSS, FigureView, Memo, refresher, slider_layout, to_outputs, view_of, wire

__all__ = ["build_ranges_widgets", "ranges_view", "level_controls"]


def level_controls() -> dict:
    """The two controls: ``level`` (interval level) and ``uncertain`` (on/off)."""
    style = {"description_width": "initial"}
    return {"level": w.FloatSlider(value=0.9, min=0.5, max=0.99, step=0.01,
                                   description="interval level", readout_format=".0%",
                                   continuous_update=False, style=style,
                                   layout=slider_layout("interval level")),
            "uncertain": w.Checkbox(value=True, description="inputs carry their ranges",
                                    style=style, indent=False)}


def ranges_view(deal, level: float = 0.9, uncertain: bool = True, n: int = 2000, cache=None):
    """The :class:`~powerkit.uncertainty.Uncertainty` for one setting of the controls
    (``cache``: a dict the caller keeps, keyed by the switch)."""
    cache = {} if cache is None else cache
    key = bool(uncertain)
    if key not in cache:
        cache[key] = uncertainty(deal, n=n, spread=1.0 if uncertain else 0.0, sobol_n=None,
                                 flip=False)
    return cache[key].at_level(level)


def build_ranges_widgets(deal, n: int = 2000):
    """Interval level and the uncertainty switch, drawing the balance and the price with their
    ranges.

    Examples
    --------
    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> box = build_ranges_widgets(load_deal(sample_deal("small-renewal")), n=200)
    >>> box.controls["uncertain"].value = False
    >>> lo, hi = box.last.range_of("balance"); lo == hi
    True
    """
    ctl = level_controls()
    out, fig = w.Output(), FigureView()
    views = view_of(out, fig.view)
    box = w.VBox([w.HTML(BUSY_CSS), *ctl.values(), out, fig.view])
    box.cache = {}
    shown = Memo()

    def view(key):
        u = ranges_view(deal, key[0], key[1], n, box.cache)
        return (u, ranges_figure(u, deal.meta.currency),
                to_outputs([ranges_sentence(u, deal.meta.currency)]))

    def draw(_change=None):
        box.last, figure, outs = shown.get((ctl["level"].value, ctl["uncertain"].value), view)
        fig.update(figure)
        box.figures = (fig.figure,)
        out.outputs = outs
        return box.last

    refresh = refresher(views, draw)
    wire(box, ctl, refresh)
    refresh()
    return box
