"""Widget builders: ipywidgets wired to powerkit functions (one submodule per walkthrough).

Each builder returns the widget box and keeps the callback a plain powerkit function, so tests
call the callback without a browser.
"""
from __future__ import annotations

import json

__all__ = ["to_outputs", "show_in", "wire"]


def to_outputs(blocks) -> tuple:
    """Blocks as notebook outputs (``display_data`` dicts) for an ``Output`` widget.

    Markdown strings become ``text/markdown``, DataFrames ``text/html`` (cells escaped),
    ``IPython.display.HTML`` its HTML, plotly figures ``application/vnd.plotly.v1+json``.
    ``None`` is skipped.

    Why not ``with out: display(...)``: capturing output makes the executing client
    (nbclient under papermill and nbval) and Voila 0.5 exchange extra messages with the kernel,
    and with ipykernel 7 a reply is sometimes lost — the run then hangs with an idle kernel
    (seen here in 4 of 8 parallel runs; jupyter/nbclient#312, nteract/papermill#723). Setting
    ``Output.outputs`` sends the outputs as widget state: no capture, no hang.

    Examples
    --------
    >>> import pandas as pd
    >>> outs = to_outputs(["**hi**", pd.DataFrame({"a": ["<b>"]}), None])
    >>> len(outs), outs[0]["data"]["text/markdown"], "&lt;b&gt;" in outs[1]["data"]["text/html"]
    (2, '**hi**', True)
    """
    import pandas as pd
    import plotly.graph_objects as go

    outs = []
    for block in blocks:
        if block is None:
            continue
        if isinstance(block, go.Figure):
            data = {"application/vnd.plotly.v1+json": json.loads(block.to_json()),
                    "text/plain": f"<Figure: {block.layout.title.text or 'chart'}>"}
        elif isinstance(block, pd.DataFrame):
            data = {"text/html": block.to_html(escape=True, na_rep=""),
                    "text/plain": block.to_string()}
        elif hasattr(block, "_repr_html_") and not isinstance(block, str):
            html = block._repr_html_()
            data = {"text/html": html, "text/plain": "HTML"}
        else:
            data = {"text/markdown": str(block), "text/plain": str(block)}
        outs.append({"output_type": "display_data", "data": data, "metadata": {}})
    return tuple(outs)


def show_in(out, *blocks) -> None:
    """Replace what an ``ipywidgets.Output`` shows with ``blocks`` (see :func:`to_outputs`)."""
    out.outputs = to_outputs(blocks)


def wire(box, controls: dict, refresh):
    """Connect every control to ``refresh`` and expose the wiring on ``box`` for tests:
    ``box.controls``, ``box.refresh``, ``box.last`` (the latest callback result) and
    ``box.figures`` (what is drawn). Returns ``box``; the caller draws once with ``refresh()``.
    """
    for c in controls.values():
        c.observe(refresh, names="value")
    box.controls = controls
    box.refresh = refresh
    box.last = None
    box.figures = ()
    return box
