"""Helpers for notebooks: record results for tests and batch runs, show a Section.

``record(key, value)`` displays a small JSON output that tests (and ``powerkit report``) read back
from the executed notebook with :func:`read_records`. Values must be JSON-serialisable.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .text import md

if TYPE_CHECKING:  # pandas is imported where it is used: reading records needs none of it
    import pandas as pd

__all__ = ["record", "read_records", "show", "figure_html", "readable_table", "RECORD_MIME"]

RECORD_MIME = "application/vnd.powerkit.record+json"


def _plain(value):
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return json.loads(value.to_json(orient="split", date_format="iso"))
    if isinstance(value, pd.Series):
        return json.loads(value.to_json(date_format="iso"))
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return value.item()
    return value


def record(key: str, value) -> None:
    """Record a result in the notebook's output (invisible in HTML reports)."""
    from IPython.display import display

    display({RECORD_MIME: {"key": key, "value": _plain(value)}}, raw=True)


def read_records(notebook: str | Path | dict) -> dict:
    """Every ``record``ed value of an executed notebook, by key (later records win)."""
    import nbformat

    nb = notebook if isinstance(notebook, dict) else nbformat.read(str(notebook), as_version=4)
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if RECORD_MIME in data:
                rec = data[RECORD_MIME]
                if isinstance(rec, str):
                    rec = json.loads(rec)
                out[rec["key"]] = rec["value"]
    return out


_PLOTLYJS_SENT = {"done": False}


def figure_html(fig) -> str:
    """A figure as a self-contained HTML fragment for a static report.

    plotly.js is inlined with the first figure of the kernel session only (the later ones use
    ``window.Plotly``), no MathJax and no CDN: the report opens offline. This is ~80× faster
    than going through plotly's ``notebook`` renderer (14 figures: 0.017 s against 1.36 s,
    measured on the northwind-vendor report), which also validates every figure again and adds
    a MathJax ``<script>`` from a CDN to each one.
    """
    first = not _PLOTLYJS_SENT["done"]
    _PLOTLYJS_SENT["done"] = True
    return fig.to_html(full_html=False, include_plotlyjs=first, include_mathjax=False,
                       validate=False, default_width="100%",
                       config={"displaylogo": False, "responsive": True})


def readable_table(df: pd.DataFrame) -> pd.DataFrame:
    """A table as readers see it: labels with spaces (``expected_gain_bits`` → ``expected gain
    bits``, so a printed page can wrap them between words) and a meaningful index as ordinary
    first column(s) under one header row; a plain 0..n-1 index, or an index of ids when a
    ``name`` column says who each row is, is dropped. Data untouched.

    >>> import pandas as pd
    >>> ids = pd.Index(["h1"], name="hypothesis")
    >>> list(readable_table(pd.DataFrame({"p_yes": [0.5]}, index=ids)).columns)
    ['hypothesis', 'p yes']
    >>> people = pd.Index(["bw_ceo"], name="stakeholder")
    >>> list(readable_table(pd.DataFrame({"name": ["Eleanor Marsh"]}, index=people)).columns)
    ['name']
    """
    import pandas as pd

    def label(c):
        return c.replace("_", " ") if isinstance(c, str) else c

    # a plain 0..n-1 index, or ids beside a name column (people, parties): readers need names
    plain = (isinstance(df.index, pd.RangeIndex) and df.index.name is None) or "name" in df.columns
    out = df.reset_index(drop=plain, names=[
        "" if n is None else n for n in df.index.names] if not plain else None)
    return out.rename(columns=label)


def _cards(df: pd.DataFrame) -> str:
    """A table of long texts as one block per row: its ``attrs["cards"] = (title column,
    [field columns])`` says which column heads each block and which follow, every value escaped
    for Markdown (:func:`powerkit.text.md`).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"who": ["<b>A</b>"], "plan": ["ask"], "risk_note": ["low"]})
    >>> t.attrs["cards"] = ("who", ["plan", "risk_note"])
    >>> _cards(t).splitlines()
    ['**&lt;b&gt;A&lt;\\\\/b&gt;**  ', '*Plan:* ask  ', '*Risk note:* low']
    """
    title, fields = df.attrs["cards"]
    return "\n\n".join(
        f"**{md(r[title])}**  \n" + "  \n".join(
            f"*{md(f.replace('_', ' ').capitalize())}:* {md(r[f])}" for f in fields)
        for _, r in df.iterrows())


def show(section) -> None:
    """Display a :class:`powerkit.sections.Section` for a report: title, summary, blocks in order
    (figures as offline HTML, :func:`figure_html`)."""
    import pandas as pd
    import plotly.graph_objects as go
    from IPython.display import HTML, Markdown, display

    display(Markdown(f"## {md(section.title)}"))
    if section.missing:
        display(Markdown(f"*{md(section.missing)}*"))
        return
    if section.summary:
        display(Markdown(section.summary))
    for block in section.blocks:
        if isinstance(block, go.Figure):
            display(HTML(figure_html(block)))
        elif isinstance(block, pd.DataFrame) and block.attrs.get("cards"):
            display(Markdown(_cards(block)))
        elif isinstance(block, pd.DataFrame):  # cell text escaped; a plain 0..n-1 index hidden
            display(HTML(readable_table(block).to_html(escape=True, na_rep="", index=False)))
        else:
            display(Markdown(str(block)))
