"""Widgets of walkthrough 2's "Who sees the network right": choose a perceiver and the
reference structure (intersection or union LAS, or the consensus at a threshold) and see the
perceiver's view against it.

The callback is :func:`powerkit.perception.slice_against` plus
:func:`powerkit.perception.accuracy` for the one perceiver; the builder wires the controls to
them and redraws :func:`powerkit.plots.perception.perceived_network_figure`.
"""
from __future__ import annotations

import ipywidgets as w

from .. import perception as per
from ..plots.perception import perceived_network_figure
from ..text import esc
from . import show_in, wire

__all__ = ["REFERENCE_CHOICES", "perception_view", "build_perception_widgets"]

#: the references the rule control offers: (label, value)
REFERENCE_CHOICES = (("intersection LAS (both say so)", "intersection"),
                     ("union LAS (either says so)", "union"),
                     ("consensus (share of perceivers)", "consensus"))


def perception_view(p: per.Perception, perceiver, reference: str = "intersection",
                    threshold: float = 0.5):
    """What the widget shows for one choice: the comparison frame, the perceiver's accuracy row
    and the figure.

    Parameters
    ----------
    p : powerkit.perception.Perception
        From :func:`powerkit.perception.perception`.
    perceiver : str
        A perceiver id.
    reference : {"intersection", "union", "row", "column", "consensus"}
    threshold : float
        Consensus threshold (used with ``reference="consensus"``).

    Returns
    -------
    tuple
        ``(comparison, row, figure)``: :func:`~powerkit.perception.slice_against`'s frame, the
        perceiver's row of :func:`~powerkit.perception.accuracy` and the figure.

    Examples
    --------
    >>> from powerkit import load_deal
    >>> from powerkit.paths import reference_dir
    >>> p = per.perception(load_deal(reference_dir() / "krackhardt-css"))
    >>> cmp, row, fig = perception_view(p, "18", "union")
    >>> int(row["hits"]) == int((cmp["outcome"] == "hit").sum())
    True
    """
    cmp = per.slice_against(p.css, perceiver, reference=reference, threshold=threshold)
    acc = per.accuracy(p.css, reference=reference, threshold=threshold)
    fig = perceived_network_figure(cmp, names=p.names)
    return cmp, acc.loc[str(perceiver)], fig


def build_perception_widgets(p: per.Perception, perceiver=None, reference: str = "intersection",
                             threshold: float = 0.5):
    """A perceiver dropdown, a reference dropdown and a consensus-threshold slider, redrawing
    the perceiver's view against the reference.

    Parameters
    ----------
    p : powerkit.perception.Perception
        From :func:`powerkit.perception.perception`.
    perceiver : str, optional
        Starting perceiver (default the most accurate).
    reference : {"intersection", "union", "consensus"}
        Starting reference.
    threshold : float
        Starting consensus threshold (used when the reference is the consensus).

    Returns
    -------
    ipywidgets.VBox
        With ``controls``, ``refresh()``, ``last`` (the latest :func:`perception_view` tuple)
        and ``figures``.

    Examples
    --------
    >>> from powerkit import load_deal
    >>> from powerkit.paths import reference_dir
    >>> box = build_perception_widgets(per.perception(load_deal(reference_dir()
    ...                                                         / "krackhardt-css")))
    >>> box.controls["reference"].value = "consensus"
    >>> box.controls["threshold"].value = 1.0
    >>> box.last[0].attrs["reference"]
    'consensus (≥ 100% of perceivers)'
    """
    style = {"description_width": "initial"}
    lay = w.Layout(width="340px")
    options = [(f"{p.names.get(q, q)} ({q})", q) for q in p.perceivers]
    start = str(perceiver) if perceiver is not None else p.headline["most_accurate_id"]
    values = [v for _, v in REFERENCE_CHOICES]
    ctl = {
        "perceiver": w.Dropdown(options=options, value=start if start in p.perceivers
                                else p.perceivers[0], description="perceiver", style=style,
                                layout=lay),
        "reference": w.Dropdown(options=list(REFERENCE_CHOICES),
                                value=reference if reference in values else "intersection",
                                description="against", style=style, layout=lay),
        "threshold": w.FloatSlider(value=threshold, min=0.05, max=1.0, step=0.05,
                                   description="consensus threshold", continuous_update=False,
                                   readout_format=".0%", style=style, layout=lay),
    }
    status = w.HTML()
    fig_out = w.Output()
    box = w.VBox([w.HBox([ctl["perceiver"], ctl["reference"]]), ctl["threshold"], status,
                  fig_out])

    def refresh(*_):
        ctl["threshold"].disabled = ctl["reference"].value != "consensus"
        try:
            cmp, row, fig = perception_view(p, ctl["perceiver"].value, ctl["reference"].value,
                                            ctl["threshold"].value)
        except ValueError as exc:
            status.value = f"<span style='color:#c0392b'>{esc(exc)}</span>"
            return
        box.last = (cmp, row, fig)
        box.figures = (fig,)
        status.value = (f"<b>{esc(p.names.get(row.name, row.name))}</b>: "
                        f"{int(row['hits'])} hits, {int(row['misses'])} misses, "
                        f"{int(row['false_alarms'])} false alarms; accuracy (phi) "
                        f"{row['accuracy']:.2f} against the {esc(cmp.attrs['reference'])}.")
        show_in(fig_out, fig)

    wire(box, ctl, refresh)
    refresh()
    return box
