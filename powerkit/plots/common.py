"""Shared figure style: template, colours, escaping of names from deal files."""
from __future__ import annotations

import html

import plotly.graph_objects as go

__all__ = ["TEMPLATE", "US_COLOUR", "THEM_COLOUR", "THIRD_COLOUR", "STANCE_SCALE", "safe",
           "base_layout"]

TEMPLATE = "plotly_white"
US_COLOUR = "#1f77b4"
THEM_COLOUR = "#d62728"
THIRD_COLOUR = "#7f7f7f"
# stance −1 (opposed, red) … 0 (neutral, grey) … +1 (supports, green)
STANCE_SCALE = [[0.0, "#c0392b"], [0.5, "#bdc3c7"], [1.0, "#27ae60"]]


def safe(text: object) -> str:
    """Escape a name from a deal file for use in a plotly label (plotly renders some HTML)."""
    return html.escape("" if text is None else str(text), quote=True)


def base_layout(fig: go.Figure, title: str, x: str | None = None, y: str | None = None,
                height: int = 450) -> go.Figure:
    """Apply the house style: template, title, axis titles (with units), autosized width."""
    fig.update_layout(template=TEMPLATE, title=title, height=height, autosize=True,
                      margin=dict(l=60, r=30, t=60, b=50))
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    return fig
