"""Shared figure style: template, colours, label placement. Names from deal files go through
:func:`powerkit.text.label` (imported in each module as ``lbl``) before a plotly label, hover
text or title: plotly renders some HTML. ``esc`` stays re-exported for old callers."""
from __future__ import annotations

import plotly.graph_objects as go

from ..text import esc

__all__ = ["TEMPLATE", "US_COLOUR", "THEM_COLOUR", "THIRD_COLOUR", "STANCE_SCALE", "esc",
           "base_layout", "label_places", "LABEL_PLACES"]

TEMPLATE = "plotly_white"
US_COLOUR = "#1f77b4"
THEM_COLOUR = "#d62728"
THIRD_COLOUR = "#7f7f7f"
# stance −1 (opposed, red) … 0 (neutral, grey) … +1 (supports, green)
STANCE_SCALE = [[0.0, "#c0392b"], [0.5, "#bdc3c7"], [1.0, "#27ae60"]]


def base_layout(fig: go.Figure, title: str, x: str | None = None, y: str | None = None,
                height: int = 450) -> go.Figure:
    """Apply the house style: template, title, axis titles (with units), autosized width."""
    _set_template(fig)
    fig.update_layout(title=title, height=height, autosize=True,
                      margin=dict(l=60, r=30, t=60, b=50))
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    return fig


def _set_template(fig: go.Figure) -> None:
    """``fig.layout.template = TEMPLATE`` without validating the registered template again.

    Setting a template by name deep-copies plotly's registered ``Template`` object, rebuilding
    and re-validating every one of its trace defaults: 11 of the 21 ms that styling one figure
    took (2-core reference machine; a report has ≈ 20 figures). plotly itself assigns its
    default template this way, with the layout's validation off ("Assume default template is
    already validated", ``BaseFigure._initialize_layout_template``); the figure's JSON is the
    same (keys of the template in the registered object's order instead of the validator's).
    Falls back to the validated assignment if plotly's internals ever change.
    """
    import plotly.io as pio

    try:
        layout, validate = fig._layout_obj, fig._validate
    except AttributeError:  # pragma: no cover - another plotly
        fig.update_layout(template=TEMPLATE)
        return
    layout._validate = False
    try:
        layout.template = pio.templates[TEMPLATE]
    finally:
        layout._validate = validate


LABEL_PLACES = ("top center", "bottom center", "middle right", "middle left")


def _label_box(x, y, place, width, height):
    """The (x-centre, y-centre) of a label box placed at ``place`` around a point."""
    dx = {"middle right": 0.5 * width + 0.02 * width, "middle left": -0.5 * width - 0.02 * width}
    dy = {"top center": 0.75 * height, "bottom center": -0.75 * height}
    return x + dx.get(place, 0.0), y + dy.get(place, 0.0)


#: at most this many points of one scatter get a text label (the first by priority); beyond it a
#: chart is read through its hover, and placing labels costs time ∝ labels²
MAX_LABELS = 200


def label_places(x, y, priority, widths, height: float,
                 places: tuple = LABEL_PLACES, max_labels: int = MAX_LABELS) -> list[str | None]:
    """Where each point of a scatter gets its text label, or None, so that no labels overlap.

    A label is a ``widths[i]`` × ``height`` box (axis units) placed at the first of ``places``
    (plotly ``textposition`` values) where it overlaps no label already placed; points are taken
    by decreasing ``priority`` (ties: input order). plotly places text without collision
    avoidance, so a crowded row of people becomes unreadable ink; a point left without a label
    keeps its marker and its name in the hover. Only the first ``max_labels`` points by priority
    are tried (the rest keep their hover).

    >>> label_places([0, 0.1], [0, 0], [1, 2], [0.3, 0.3], 0.1)
    ['bottom center', 'top center']
    >>> label_places([0, 0.1, 0.05], [0, 0, 0], [1, 2, 3], [0.3, 0.3, 0.3], 0.1, places=("top center",))
    [None, None, 'top center']
    """
    pts = list(zip(x, y, priority, widths, strict=True))
    order = sorted(range(len(pts)), key=lambda i: -pts[i][2])[:max_labels]
    boxes: list[tuple] = []  # (cx, cy, w)
    out: list[str | None] = [None] * len(pts)
    for i in order:
        xi, yi, _, wi = pts[i]
        for place in places:
            cx, cy = _label_box(xi, yi, place, wi, height)
            if all(abs(cx - bx) >= (wi + bw) / 2 or abs(cy - by) >= height for bx, by, bw in boxes):
                boxes.append((cx, cy, wi))
                out[i] = place
                break
    return out
