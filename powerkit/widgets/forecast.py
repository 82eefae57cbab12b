"""Widgets of walkthrough 6 (forecasting a multi-party decision): an issue chooser, a model
chooser and a round slider for Bueno de Mesquita's model.

The callback is :func:`forecast_view`, a plain function of one :func:`powerkit.forecast.forecast`
result and the controls' values (tests call it without a browser); the sensitivity of another
model is computed by :func:`powerkit.forecast.sensitivity` once per model and kept in the
widget's own cache.
"""
from __future__ import annotations

import ipywidgets as w

from ..errors import PowerkitError
from ..plots.forecast import (
    MODEL_LABELS,
    bdm_rounds_figure,
    issue_forecast_figure,
    sensitivity_figure,
)
from ..sections.forecast import actor_names, our_actors, scale_ends
from ..text import esc
from . import show_in, wire

__all__ = ["build_forecast_widgets", "forecast_view", "forecast_controls"]


def _fmt(v) -> str:
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:,.0f}"


def forecast_controls(result) -> dict:
    """The three controls for a forecast result: ``issue``, ``model`` (the models of its compare
    frame, by the names a reader sees) and ``round`` (0 … the last BDM round)."""
    style = {"description_width": "initial"}
    issues = [str(i) for i in result.compare.index]
    models = [(MODEL_LABELS[m], m) for m in MODEL_LABELS if m in result.compare.columns]
    last = int(result.bdm.rounds["round"].max())
    return {"issue": w.Dropdown(options=issues, value=issues[0], description="issue",
                                style=style, layout=w.Layout(width="420px")),
            "model": w.Dropdown(options=models, value="mean", description="model",
                                style=style, layout=w.Layout(width="420px")),
            "round": w.IntSlider(value=last, min=0, max=last, step=1,
                                 description="BDM round", continuous_update=False, style=style,
                                 layout=w.Layout(width="420px"))}


def forecast_view(result, issue: str, model: str = "mean", round_: int | None = None,
                  names: dict | None = None, us: set | None = None,
                  cache: dict | None = None) -> dict:
    """What the walkthrough shows for one setting of the controls.

    Parameters
    ----------
    result : powerkit.forecast.Forecast
    issue : str
    model : str
        A column of ``result.compare`` (``mean``, ``median``, ``bdm``, …).
    round_ : int, optional
        The BDM round to show (default: the last).
    names, us
        Actor id → name; our actor ids.
    cache : dict, optional
        Sensitivity frames by model (the widget keeps it).

    Returns
    -------
    dict
        ``text`` (HTML: the chosen model's forecast against ours), ``forecast`` (float),
        ``ours`` (float or None), ``positions`` (figure), ``rounds`` (figure of the chosen
        round), ``sensitivity`` (figure, or None when the model has no sensitivity),
        ``sensitivity_note``.

    Examples
    --------
    A what-if is in tests/test_nb_forecast.py (the callbacks on harbour-council).

    >>> callable(forecast_view)
    True
    """
    from ..forecast.sensitivity import sensitivity

    cache = {} if cache is None else cache
    cmp_ = result.compare
    v = float(cmp_.at[issue, model])
    ours = cmp_.at[issue, "ours"] if "ours" in cmp_.columns else None
    ours = None if ours is None or ours != ours else float(ours)
    rounds = result.bdm.rounds
    last = int(rounds["round"].max())
    k = last if round_ is None else max(0, min(int(round_), last))
    label = MODEL_LABELS.get(model, model)
    text = f"<b>{esc(issue)}</b> — {esc(label)}: " + (
        "no position wins every pairwise vote" if v != v else _fmt(v))
    if ours is not None:
        text += f"; our position {_fmt(ours)}"
        if v == v:
            text += f" (gap {v - ours:+.3g})"
    sens, note = cache.get(model), ""
    if sens is None:
        if model == "mean":
            sens = result.sensitivity
        elif model == "median" and getattr(result, "sensitivity_median", None) is not None:
            sens = result.sensitivity_median
        else:
            try:
                sens = sensitivity(result.table, model=model, ours=cmp_["ours"])
            except PowerkitError:
                sens = None
        cache[model] = sens
    if sens is None:
        note = (f"Whom to move is computed for the compromise model and the weighted median; "
                f"{label} is shown without it.")
    lo, hi = scale_ends(cmp_, issue)
    return {"text": text, "forecast": v, "ours": ours,
            "positions": issue_forecast_figure(result.table, cmp_, issue, names=names, us=us),
            "rounds": bdm_rounds_figure(rounds[rounds["round"] == k], issue, names=names, us=us,
                                        forecasts=_path(result.bdm, issue), scale=(lo, hi)),
            "round": k,
            "sensitivity": None if sens is None else sensitivity_figure(sens, issue, names=names,
                                                                        us=us),
            "sensitivity_note": note}


def _path(bdm, issue):
    p = bdm.path[bdm.path["issue"] == issue] if hasattr(bdm, "path") else None
    return None if p is None or p.empty else p.set_index("round")["forecast"]


def build_forecast_widgets(deal, result=None):
    """An issue chooser, a model chooser and the BDM round slider, redrawing the issue's
    positions and forecasts, the positions after the chosen round and whom to move.

    Parameters
    ----------
    deal : powerkit.Deal
        A deal with a ``positions`` table.
    result : powerkit.forecast.Forecast, optional
        Computed with :func:`powerkit.forecast.forecast` when not given.

    Returns
    -------
    ipywidgets.VBox
        With ``controls``, ``refresh()``, ``last`` (the latest :func:`forecast_view` dict),
        ``figures`` (what is drawn) and ``cache`` (sensitivity frames by model).

    Examples
    --------
    >>> callable(build_forecast_widgets)
    True
    """
    from ..forecast.summary import forecast

    fc = result if result is not None else forecast(deal)
    names, us = actor_names(deal), our_actors(deal)
    ctl = forecast_controls(fc)
    status = w.HTML()
    pos_out, rounds_out, sens_out = w.Output(), w.Output(), w.Output()
    box = w.VBox([w.HTML("<b>Choose an issue and a model; move the slider through the rounds "
                         "of the expected-utility model</b>"),
                  ctl["issue"], ctl["model"], status, pos_out, ctl["round"], rounds_out,
                  sens_out])
    box.cache = {}

    def refresh(*_):
        view = forecast_view(fc, ctl["issue"].value, ctl["model"].value, ctl["round"].value,
                             names=names, us=us, cache=box.cache)
        box.last = view
        status.value = view["text"]
        box.figures = tuple(f for f in (view["positions"], view["rounds"], view["sensitivity"])
                            if f is not None)
        show_in(pos_out, view["positions"])
        show_in(rounds_out, view["rounds"])
        show_in(sens_out, view["sensitivity"] if view["sensitivity"] is not None
                else view["sensitivity_note"])
        return view

    wire(box, ctl, refresh)
    refresh()
    return box
