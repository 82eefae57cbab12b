"""Widgets of walkthrough 1 (reading power dynamics): our BATNA, their deadline, the weights,
the date on the events timeline.

The callback is :func:`powerkit.power.what_if`; the builder only wires controls to it and
redraws the profile, the ZOPA, the drivers and the posture in ``Output`` widgets. Results are
kept per setting of the controls (:class:`~powerkit.widgets.Memo`); a served dashboard computes
the positions the sliders reach next ahead of time (:func:`~powerkit.widgets.ahead`).
"""
from __future__ import annotations

import ipywidgets as w
import numpy as np
import pandas as pd

from .. import bargaining as bg
from .. import power as pw
from ..deal import number
from ..text import esc
from . import (
    BUSY_CSS,
    FigureView,
    Memo,
    ahead,
    refresher,
    row,
    shorten,
    slider_layout,
    to_outputs,
    view_of,
    wire,
)

__all__ = ["build_power_widgets"]


def _money_range(deal) -> tuple[float, float, float]:
    p = deal.parties
    vals = [number(p.at[deal.us, c]) for c in ("batna_value", "reservation_price")]
    top = max([v for v in vals if v is not None] + [1.0])
    hi = float(2 * top)
    step = float(10 ** np.floor(np.log10(hi / 200))) if hi > 0 else 1.0
    return 0.0, hi, step


def _at_options(deal) -> list[tuple[str, pd.Timestamp]]:
    start = pd.Timestamp(deal.meta.as_of)
    opts = [(f"{start:%Y-%m-%d} (as of)", start)]
    if deal.has("events"):
        ev = deal.events[deal.events["date"] >= start].sort_values("date", kind="stable")
        for d, g in ev.groupby("date", sort=True):
            text = "; ".join(str(x) for x in g["description"])
            opts.append((f"{d:%Y-%m-%d}: {shorten(text, 70)}", pd.Timestamp(d)))
    return opts


def build_power_widgets(deal, weights=None, systemic_inputs=None, top: int = 8):
    """Sliders for our BATNA, their deadline and every weight; a selector for the date.

    Every change calls :func:`powerkit.power.what_if` with the current values and redraws the
    three-source profile, the ZOPA with the predicted price, the top drivers and the posture.
    Moving the date applies the deal's events up to it and resets the BATNA and deadline
    sliders to the values of that date.

    Parameters
    ----------
    deal : Deal
    weights : mapping, optional
        Starting weights (defaults :data:`powerkit.power.DEFAULT_WEIGHTS`).
    systemic_inputs : DataFrame or mapping, optional
        Passed to :func:`powerkit.power.power_profile`.
    top : int
        Drivers shown.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (dict of widgets: ``at``, ``our_batna``,
        ``their_deadline``, one weight slider per key of
        :data:`powerkit.power.DEFAULT_WEIGHTS`), ``refresh()``, ``last`` (the
        latest :class:`powerkit.power.WhatIf`, the callback's one result type) and ``figures`` (profile figure, ZOPA figure or
        None, drivers table, posture table).

    Examples
    --------
    The callback, called the way the controls call it:

    >>> from powerkit.power import what_if
    >>> from powerkit.deal.synthetic import make_deal
    >>> r = what_if(make_deal(30), weights={"systemic": 0}, their_deadline=2.0)
    >>> float(r.profile.by_source["systemic"]), list(r.changes["field"])
    (0.0, ['deadline'])
    """
    w0 = {**pw.DEFAULT_WEIGHTS, **(weights or {})}
    style = {"description_width": "initial"}
    ctl: dict = {}
    lo, hi, step = _money_range(deal)
    ctl["at"] = w.Dropdown(options=_at_options(deal), description="date (events up to it)",
                           style=style, layout=w.Layout(width="740px"))
    desc = f"our BATNA value ({esc(deal.meta.currency)})"
    ctl["our_batna"] = w.FloatSlider(min=lo, max=hi, step=step, description=desc,
                                     continuous_update=False, style=style,
                                     layout=slider_layout(desc), readout_format=",.0f")
    desc = "their deadline (months from the date)"
    ctl["their_deadline"] = w.FloatSlider(min=0.25, max=24, step=0.25, description=desc,
                                          continuous_update=False, style=style,
                                          layout=slider_layout(desc))
    for k in pw.SOURCES:
        ctl[k] = w.FloatSlider(value=w0[k], min=0, max=1, step=0.05,
                               description=f"weight: {k}", continuous_update=False,
                               style=style, layout=slider_layout(f"weight: {k}"))
    inputs_box = []
    for src in pw.SOURCES:
        sl = []
        for name, (s, what, _) in pw.INPUTS.items():
            if s != src:
                continue
            ctl[name] = w.FloatSlider(value=w0[name], min=0, max=1, step=0.05,
                                      description=name.replace("_", " "),
                                      continuous_update=False, style=style,
                                      layout=slider_layout(name),
                                      tooltip=what)
            sl.append(ctl[name])
        inputs_box.append(w.VBox(sl))
    acc = w.Accordion(children=inputs_box, titles=tuple(f"input weights: {s}"
                                                        for s in pw.SOURCES))
    acc.selected_index = None
    prof, zopa, table_out = FigureView(), FigureView(), w.Output()
    status = w.HTML()
    views = view_of(status, prof.view, zopa.view, table_out)
    box = w.VBox([w.HTML(BUSY_CSS), ctl["at"], row(ctl["our_batna"], ctl["their_deadline"]),
                  row(*(ctl[k] for k in pw.SOURCES)), acc, status, prof.view, zopa.view,
                  table_out])
    touched: set = set()
    state = {"resetting": False}

    def reset_to_date():
        """Put the BATNA and deadline sliders at the deal's values on the chosen date."""
        at = ctl["at"].value
        d = pw.apply_events(deal, at)
        b = number(d.parties.at[d.us, "batna_value"])
        dl = d.parties.at[d.counterpart, "deadline"]
        state["resetting"] = True
        try:
            ctl["our_batna"].value = 0.0 if b is None else min(max(b, lo), hi)
            m = bg.months_between(at, dl) if not pd.isna(dl) else 12.0
            ctl["their_deadline"].value = float(min(max(m, 0.25), 24))
        finally:
            state["resetting"] = False
        touched.clear()

    results = Memo()
    weight_keys = (*pw.SOURCES, *pw.INPUTS)

    def key_of(**moved):
        """The what-if's arguments for the controls as they are (``moved``: one changed)."""
        val = {k: ctl[k].value for k in ("at", "our_batna", "their_deadline", *weight_keys)}
        val.update(moved)
        return (val["at"], tuple(val[k] for k in weight_keys),
                val["our_batna"] if "our_batna" in touched or "our_batna" in moved else None,
                val["their_deadline"] if "their_deadline" in touched or "their_deadline" in moved
                else None)

    def compute(key):
        at, wts, batna, months = key
        # a date, not months: what_if's own clock + months gives nanoseconds a datetime64[us]
        # column refuses (pandas 3); the same date to the second
        dl = None if months is None else (pd.Timestamp(at) + pd.Timedelta(
            days=float(months) * bg.DAYS_PER_MONTH)).floor("s")
        r = pw.what_if(deal, at=at, weights=dict(zip(weight_keys, wts, strict=True)),
                       batna=batna, their_deadline=dl, systemic_inputs=systemic_inputs)
        return r, _tables(r, top)

    def refresh(change=None):
        if state["resetting"]:
            return None
        return _refresh(change)

    def draw(change):
        from .. import plots
        owner = getattr(change, "owner", None) if change is not None else None
        if owner is ctl["at"]:
            reset_to_date()
        elif owner is ctl["our_batna"]:
            touched.add("our_batna")
        elif owner is ctl["their_deadline"]:
            touched.add("their_deadline")
        r, (drivers, posture, tables) = results.get(key_of(), compute)
        box.last = r
        p = r.profile
        us_name, them_name = p.us_name, p.counterpart_name
        msg = f"Balance <b>{p.balance:+.3f}</b> (−1 they hold all … +1 we hold all)"
        if r.split is not None:
            msg += f"; our bargaining weight {r.split.weight_us:.2f}"
            msg += (f"; predicted price {esc(deal.meta.currency)} {r.split.price:,.0f}"
                    if r.split.price is not None else "; <b>no ZOPA</b>")
        status.value = msg
        # the figures are built once, then updated in place in the browser (FigureView)
        if prof.figure is None:
            prof.update(plots.power_profile_figure(p, us_name=us_name, them_name=them_name))
        else:
            prof.edit(lambda f: plots.update_power_profile_figure(f, p))
        if r.split is None:
            zopa.update(None)
        elif zopa.figure is None:
            zopa.update(plots.zopa_figure(r.split, us_name=us_name, them_name=them_name,
                                          currency=deal.meta.currency))
        else:
            zopa.edit(lambda f: plots.update_zopa_figure(f, r.split))
        box.figures = (prof.figure, zopa.figure, drivers, posture)
        table_out.outputs = tables
        # ahead of the next move: the positions the sliders reach next (at the start: the
        # money, deadline and source-weight sliders)
        sliders = {k: c for k, c in ctl.items() if isinstance(c, w.FloatSlider)}
        if owner is None:
            sliders = {k: sliders[k] for k in ("our_batna", "their_deadline", *pw.SOURCES)}
        results.warm(ahead(sliders, change, lambda k, v: key_of(**{k: v})), compute)
        return r

    _refresh = refresher(views, draw, status)
    wire(box, ctl, refresh)
    reset_to_date()
    refresh()
    return box


def _tables(r, top: int):
    """The drivers and posture tables of a what-if and their outputs (shown whole)."""
    from IPython.display import HTML

    drivers = r.profile.drivers.head(top)[["source", "input", "us", "them", "contribution"]].round(3)
    posture = r.posture[["recommendation", "reason", "numbers"]]
    with pd.option_context("display.max_colwidth", None):  # the advice is shown whole
        outs = to_outputs([HTML(drivers.to_html(index=False)), HTML(posture.to_html(index=False))])
    return drivers, posture, outs
