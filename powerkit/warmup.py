"""What a warm kernel process imports before it serves a kernel: the report's spare and the
kernel factory (:mod:`powerkit.kernels`) call :func:`warm_up`; a factory that serves
walkthrough notebooks and dashboards also :func:`warm_widgets`. Nothing of the warm-up is kept
but imported modules (and, for a spare, the report's deal): a kernel that follows starts with
the state a cold one would have, minus import time. The costs and savings are measured in
docs/performance.md."""
from __future__ import annotations

import contextlib

__all__ = ["warm_up", "warm_widgets", "unparsed_scipy_docstrings"]


def warm_up(deal_follows: bool = False) -> None:
    """Import what the report and walkthrough notebooks use — every section module, the
    uncertainty analysis with SALib and scipy.stats — warm plotly's validators on a few figures
    and, unless the spare will read the report's deal (``deal_follows``:
    :func:`powerkit.kernels.check_deal`), validate the bundled sample deal once (pandera's
    backends). The report's analysis itself is not run here: it would keep the report waiting for its spare (≈ 1.8 s) to save ≈ 0.3 s of
    first-use costs. Apart from the report's deal, nothing of the warm-up is kept: no figure
    is displayed, and the kernel that follows starts with the same state a cold one would have,
    minus import time.
    """
    import importlib

    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import plotly.graph_objects as go

    import powerkit
    from powerkit import sections
    from powerkit.plots.common import base_layout

    for name in sections.SECTION_ORDER:
        importlib.import_module(f"powerkit.sections.{name}")
    for trace in (go.Scatter(x=[0], y=[0], mode="markers+text", text=["a"]), go.Bar(x=[0], y=[0]),
                  go.Heatmap(z=[[0]]), go.Table(header={"values": ["a"]}, cells={"values": [[0]]})):
        fig = base_layout(go.Figure(trace), "warm-up", "x", "y")
        fig.update_layout(shapes=[{"type": "line", "x0": 0, "x1": 1, "y0": 0, "y1": 1}],
                          annotations=[{"text": "a", "x": 0, "y": 0}], legend={"orientation": "h"})
        fig.to_html(full_html=False, include_plotlyjs=False, validate=False)
    # the analysis stack's heavier imports (scipy.stats through SALib for the Sobol indices,
    # pandera's backends through one validation); running the whole report analysis here too
    # (≈ 1.8 s) kept the report waiting for its spare, while what it saves a report is ≈ 0.3 s
    with unparsed_scipy_docstrings():
        import SALib.analyze.sobol  # noqa: F401
        import SALib.sample.sobol  # noqa: F401

    import powerkit.uncertainty  # noqa: F401
    from powerkit.paths import sample_deal

    if deal_follows:
        return
    sample = sample_deal()
    if sample.is_dir():
        powerkit.load_deal(sample)


def warm_widgets() -> None:
    """Import the walkthroughs' widget stack: ipywidgets, anywidget, every ``powerkit.widgets``
    module and nbformat. Why nbformat: a walkthrough's first figure widget imports plotly's
    ``FigureWidget``, which imports ``plotly.io``'s renderers, nbformat and jsonschema, and
    jsonschema compiles the 39 IRI grammars of ``rfc3987_syntax`` with lark when it is
    installed — ≈ 1.9 s of CPU per kernel, paid once by the factory instead (docs/performance.md,
    session 11). Not ``FigureWidget`` itself: importing ``plotly.io._renderers`` chooses
    plotly's default renderer from the process it runs in (outside a kernel: "browser"), which a
    kernel forked from here would keep; nbformat and jsonschema depend on nothing of the kind
    (nbformat reads ``NBFORMAT_VALIDATOR`` when it validates, not when imported). The report
    uses no widget and no nbformat in its kernel, so a report's spare does not do this."""
    import importlib
    import pkgutil

    import nbformat  # noqa: F401 - jsonschema's grammars, see above

    import powerkit.widgets

    try:
        import anywidget  # noqa: F401 - the dashboard extra; plotly's FigureWidget needs it
    except ImportError:
        pass
    for mod in pkgutil.iter_modules(powerkit.widgets.__path__):
        importlib.import_module(f"powerkit.widgets.{mod.name}")


class _DocAsIs:
    """Stands in for scipy's numpydoc parser (``FunctionDoc``) in ``xp_capabilities``: keeps
    the docstring as written and drops the note appended to its Notes."""

    def __init__(self, func):
        self.doc = func.__doc__ or ""

    def __getitem__(self, section: str) -> list:
        return []

    def __str__(self) -> str:
        return "\n" + self.doc  # the decorator drops the first line (numpydoc's signature)


@contextlib.contextmanager
def unparsed_scipy_docstrings():
    """While SciPy's modules are imported, do not rewrite their docstrings.

    SciPy ≥ 1.15 decorates each array-API-aware function with ``xp_capabilities``, which parses
    the function's docstring with numpydoc at import time to append a table of supported array
    backends to its Notes: 471 functions when ``scipy.stats`` is imported, 0.2–0.4 s of the
    import's 1.0–1.4 s of CPU on the 2-core reference machine (docs/performance.md, session 9),
    paid by every report kernel. Inside this block that parser is replaced by one that keeps the
    docstring as written, so the functions are the same objects with their own docstrings minus
    that table (only ``help()`` shows the difference). Used only in powerkit's own warm kernels
    (:func:`warm_up`); if SciPy no longer has the name, nothing is changed
    (``tests/test_kernels.py`` fails then, so the saving is not lost silently)."""
    try:
        from scipy._lib import _array_api as api
    except ImportError:
        yield
        return
    parser = getattr(api, "FunctionDoc", None)
    if parser is None:
        yield
        return
    api.FunctionDoc = _DocAsIs
    try:
        yield
    finally:
        api.FunctionDoc = parser
