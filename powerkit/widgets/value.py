"""Widgets of walkthrough 4 (value creation): issue weights, BATNAs, α and the proposal.

The callback is :func:`powerkit.value.what_if` (with its Monte Carlo for the band); the builder
only wires sliders to it and redraws the figures in ``Output`` widgets.
"""
from __future__ import annotations

import ipywidgets as w
import pandas as pd

from .. import plots
from .. import value as pv
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

__all__ = ["build_value_widgets"]

_NONE = "(no proposal)"


def build_value_widgets(deal, batna=(0.0, 0.0), proposed=None, alpha=None,
                        weight_spread: float = 0.25, n_draws: int = 300, seed: int = 0):
    """Sliders for each side's issue weights, both BATNAs and α, dropdowns for the proposal.

    Every change calls :func:`powerkit.value.what_if` with the current values and redraws the
    utility-space figure (with the Monte Carlo band), the recommended packages and the issue
    priorities.

    Parameters
    ----------
    deal : Deal
        A deal with an ``issues`` table.
    batna : (float, float)
        Starting BATNAs in utility units.
    proposed : mapping, optional
        Starting proposal (default: the latest complete offer, if any).
    alpha : float, optional
        Starting α (default :func:`powerkit.value.default_alpha`).
    weight_spread : float
        Uncertainty about their weights for the band and P(beats their BATNA).
    n_draws, seed : int
        Monte Carlo draws (kept small for a live widget) and seed.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict of the widgets by name), ``refresh()`` (redraw now),
        ``last`` (the latest :class:`powerkit.value.ValueAnalysis`) and ``figures`` (the latest
        utility-space figure, recommended-packages table and priority figure).

    Examples
    --------
    The callback, called the way the sliders call it:

    >>> from powerkit.deal.reference import load_itex_cypress
    >>> a = pv.what_if(load_itex_cypress(), weights={"Price": (30, 50)}, batna=(0.2, 0.2),
    ...                proposed={}, alpha=0.5, n_draws=30)
    >>> a.n_packages, a.evaluation is None
    (180, True)
    """
    options = pv.options_from_deal(deal)
    issues = list(pd.unique(options["issue"]))
    wts = options.groupby("issue", sort=False)[["us_weight", "them_weight"]].first()
    a0, _ = pv.default_alpha(deal) if alpha is None else (float(alpha), "given")
    if proposed is None:
        proposed = pv.latest_offer(deal, options) or {}
    style = {"description_width": "initial"}
    ctl: dict = {}
    rows = []
    for i in issues:
        su = w.FloatSlider(value=round(float(wts.loc[i, "us_weight"]) * 100, 1), min=0, max=100,
                           step=1, description=f"{esc(i)} (us)", continuous_update=False,
                           style=style, layout=slider_layout(f"{i} (them)"))
        st = w.FloatSlider(value=round(float(wts.loc[i, "them_weight"]) * 100, 1), min=0, max=100,
                           step=1, description=f"{esc(i)} (them)", continuous_update=False,
                           style=style, layout=slider_layout(f"{i} (them)"))
        opts = [_NONE, *options.loc[options["issue"] == i, "option"].tolist()]
        dd = w.Dropdown(options=opts, value=proposed.get(i, _NONE) if proposed.get(i) in opts else _NONE,
                        description=f"{esc(i)}: proposal", style=style,
                        layout=w.Layout(width="auto", min_width="320px"))
        ctl[("us", i)], ctl[("them", i)], ctl[("proposal", i)] = su, st, dd
        rows.append(row(su, st, dd))
    ctl["batna_us"] = w.FloatSlider(value=float(batna[0]), min=0, max=1, step=0.01,
                                    description="our BATNA (utility)", continuous_update=False,
                                    style=style, layout=slider_layout("our bargaining weight α"))
    ctl["batna_them"] = w.FloatSlider(value=float(batna[1]), min=0, max=1, step=0.01,
                                      description="their BATNA (utility)", continuous_update=False,
                                      style=style, layout=slider_layout("our bargaining weight α"))
    ctl["alpha"] = w.FloatSlider(value=round(a0, 2), min=0, max=1, step=0.01,
                                 description="our bargaining weight α", continuous_update=False,
                                 style=style, layout=slider_layout("our bargaining weight α"))
    space, table_out, prio = FigureView(), w.Output(), FigureView()
    status = w.HTML()
    views = view_of(status, space.view, table_out, prio.view)
    box = w.VBox([w.HTML(BUSY_CSS + "<b>Issue weights (0–100, normalised per side) and the "
                         "proposal on the table</b>"), *rows,
                  row(ctl["batna_us"], ctl["batna_them"], ctl["alpha"]), status,
                  space.view, table_out, prio.view])

    shown = Memo()

    def key_of(**moved):
        """(weights, BATNAs, proposal, α) for the controls as they are (``moved``: by name)."""
        val = {k: moved.get(repr(k), c.value) for k, c in ctl.items()}
        weights = tuple((i, (val[("us", i)], val[("them", i)])) for i in issues)
        pkg = tuple((i, val[("proposal", i)]) for i in issues)
        pkg = None if any(v == _NONE for _, v in pkg) else pkg
        return weights, (val["batna_us"], val["batna_them"]), pkg, val["alpha"]

    def view(key):
        weights, batnas, pkg, alpha_ = key
        a = pv.what_if(deal, weights=dict(weights), batna=batnas, proposed=dict(pkg or ()),
                       alpha=alpha_, n_draws=n_draws, weight_spread=weight_spread, seed=seed)
        if a.nash is None:
            text = ("<span style='color:#c0392b'>No package beats both BATNAs: the ZOPA "
                    "is empty.</span>")
        else:
            text = (f"{a.n_zopa_frontier} efficient packages beat both BATNAs; Nash "
                    f"package: us {a.nash.us:.2f}, them {a.nash.them:.2f}.")
        rec = a.recommended.round(3)
        return (a, text, plots.utility_space_figure(a), plots.issue_priority_figure(a), rec,
                to_outputs([rec]))

    def draw(change=None):
        a, text, space_fig, prio_fig, rec, outs = shown.get(key_of(), view)
        box.last = a
        status.value = text
        # the figures are patched in place in the browser (FigureView), the table replaced
        space.update(space_fig)
        prio.update(prio_fig)
        box.figures = (space.figure, rec, prio.figure)
        table_out.outputs = outs
        # ahead of the next move: the positions the sliders reach next (at the start: every
        # slider, the nearest positions first)
        sliders = {repr(k): c for k, c in ctl.items() if isinstance(c, w.FloatSlider)}
        shown.warm(ahead(sliders, change, lambda k, x: key_of(**{k: x})), view)
        return a

    refresh = refresher(views, draw, status)
    wire(box, ctl, refresh)
    refresh()
    return box
