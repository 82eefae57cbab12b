"""Widget builders: ipywidgets wired to powerkit functions (one submodule per walkthrough).

Each builder returns the widget box and keeps the callback a plain powerkit function, so tests
call the callback without a browser.
"""
from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict

__all__ = ["to_outputs", "show_in", "wire", "FigureView", "shorten", "slider_layout", "row",
           "busy", "done", "view_of", "BUSY_CSS", "Memo", "refresher", "WARM_ENV",
           "slider_positions", "moved", "ahead", "AHEAD", "PLOTLY_WIDGET_ENV", "plotly_widget_esm"]

#: how far ahead the dashboards compute: (steps of every slider at the start, steps on in the
#: direction a slider was moved)
AHEAD = (2, 3)

#: Set to "1" in the environment of a served dashboard (:func:`powerkit.workshop.voila_command`):
#: the widgets then compute, in a background thread, the results the controls can reach next
#: (:meth:`Memo.warm`). Off elsewhere (papermill, nbval, tests): nothing runs behind their back.
WARM_ENV = "POWERKIT_WIDGETS_WARM"
#: Set by :func:`powerkit.workshop.voila_command` in a served dashboard's environment: where
#: Voila serves plotly's figure-widget bundle, relative to the page's ``<base_url>voila/``
#: (``templates/<template>/static/plotly-widget-<version>.js``). A figure widget then loads the
#: bundle from that one URL (:func:`plotly_widget_esm`) instead of carrying it.
PLOTLY_WIDGET_ENV = "POWERKIT_PLOTLY_WIDGET"
#: seconds the start-up warm-up of a dashboard waits for the page (see :meth:`Memo.warm`)
WARM_START_DELAY_S = 6.0


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
        if isinstance(block, FigureView):
            block = block.figure
        if block is None:
            continue
        if isinstance(block, go.Figure):
            data = {"application/vnd.plotly.v1+json": json.loads(block.to_json()),
                    "text/plain": f"<Figure: {block.layout.title.text or 'chart'}>"}
        elif isinstance(block, pd.DataFrame):
            shown = _blank_missing(block)
            with pd.option_context("display.max_colwidth", None):  # never cut a cell short
                data = {"text/html": shown.to_html(escape=True, na_rep=""),
                        "text/plain": shown.to_string()}
        elif hasattr(block, "_repr_html_") and not isinstance(block, str) and not hasattr(
                block, "_view_name"):
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


def _blank_missing(df):
    """``df`` with missing values of nullable columns (``Int64``, ``boolean``, ``string``: shown
    as ``<NA>`` by pandas, where ``na_rep`` does not reach) as empty cells."""
    import pandas as pd

    nullable = [c for c in df.columns if isinstance(df[c].dtype, pd.api.extensions.ExtensionDtype)
                and df[c].isna().any()]
    if not nullable:
        return df
    out = df.copy()
    for c in nullable:
        out[c] = out[c].astype(object).where(out[c].notna(), "")
    return out


def shorten(text, width: int = 60) -> str:
    """``text`` cut to at most ``width`` characters at a word boundary, ending with "…" when
    cut (whitespace runs become one space).

    Examples
    --------
    >>> shorten("Stahl asked twice for a lower list price before seeing any demo", 30)
    'Stahl asked twice for a lower…'
    >>> shorten("short", 30), shorten("abcdefghij", 5)
    ('short', 'abcd…')
    """
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    at_boundary = text[width - 1] == " "
    head = cut if at_boundary or " " not in cut else cut.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:·-–—") + "…"


# Voila's widget font is 13 px: about 7 px a character on average; 8 keeps a margin for capitals
_PX_PER_CHAR, _TRACK_PX, _READOUT_PX = 8, 210, 80


def slider_layout(description: str, track: int = _TRACK_PX, min_width: int = 320):
    """A slider ``Layout`` wide enough for its description (shown whole, at its natural width
    with ``style={"description_width": "initial"}``), a track of at least ``track`` px and the
    readout.

    Examples
    --------
    >>> slider_layout("their deadline (months from the date)").width  # 8·37 + 210 + 80
    '586px'
    """
    import ipywidgets as w

    px = max(min_width, _PX_PER_CHAR * len(str(description)) + track + _READOUT_PX)
    return w.Layout(width=f"{px}px", min_width=f"{px}px")


def row(*children):
    """An ``HBox`` that wraps its children onto the next line instead of squeezing them (a
    squeezed slider keeps its label and loses its track)."""
    import ipywidgets as w

    return w.HBox(list(children), layout=w.Layout(flex_flow="row wrap"))


class FigureView:
    """A plotly figure shown in a dashboard and updated **in place**.

    With ``anywidget`` installed (plotly's ``FigureWidget`` needs it) the figure is a
    ``go.FigureWidget``: :meth:`update` patches its traces and layout in one
    ``batch_update`` (the browser applies one ``Plotly.update``, the chart is not rebuilt).
    Without it, the figure is drawn in an ``Output`` widget (``show_in``). ``view`` is the
    widget to put in a box; ``figure`` the figure shown now (what tests read: its ``data`` and
    ``layout`` are the current ones).

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> v = FigureView(go.Figure(go.Bar(x=[1, 2], y=[3, 4])))
    >>> v.update(go.Figure(go.Bar(x=[1, 2], y=[5, 6], name="new")))
    >>> list(v.figure.data[0].y), v.figure.data[0].name
    ([5, 6], 'new')
    >>> v.update(None); v.figure is None
    True
    """

    def __init__(self, fig=None):
        import ipywidgets as w

        self.view = w.Box(layout=w.Layout(width="100%"))
        self.figure = None
        self._widget = None
        self.update(fig)

    def update(self, fig) -> None:
        """Show ``fig`` (a ``go.Figure``; ``None`` hides the chart)."""
        if fig is None:
            self.view.children, self.figure, self._widget = (), None, None
            return
        fw = self._widget
        if fw is None:
            fw = _figure_widget(fig)
            if fw is None:  # no anywidget: an Output with the figure's JSON
                import ipywidgets as w

                out = self.view.children[0] if self.view.children and isinstance(
                    self.view.children[0], w.Output) else w.Output()
                show_in(out, fig)
                self.view.children, self.figure = (out,), fig
                return
            self._widget = fw
            self.view.children, self.figure = (fw,), fw
            return
        _patch(fw, fig)

    def edit(self, change) -> None:
        """Apply ``change(figure)`` (an in-place edit, e.g.
        :func:`powerkit.plots.update_power_profile_figure`) to the figure shown, as one batch."""
        if self._widget is not None:
            with self._widget.batch_update():
                change(self._widget)
        elif self.figure is not None:
            change(self.figure)
            show_in(self.view.children[0], self.figure)

    def __repr__(self) -> str:
        return f"FigureView({'empty' if self.figure is None else type(self.figure).__name__})"


def plotly_widget_esm(path: str) -> str:
    """The front-end module (anywidget ``_esm``) of a figure widget whose plotly bundle Voila
    serves at ``path`` (relative to the page's ``<base_url>voila/``, :data:`PLOTLY_WIDGET_ENV`).

    Why: plotly's ``FigureWidget`` ships its 5 MB bundle as every widget's ``_esm`` text, and
    anywidget imports each copy from a new ``blob:`` URL — the browser evaluates the bundle
    once per figure (1.0–1.3 s each on the 2-core test machine, one after another: 1.3, 2.2,
    3.4, 4.6 s for four figures), while anywidget gives a widget's front end a fixed 2 s to
    start ("[anywidget] Failed to initialize model"; the figure then never updates). Imported
    from one URL, the module is evaluated once per page (the browser's module map; four
    figures ready at 1.3 s) and the dashboards' page starts that import as it loads
    (:data:`powerkit.workshop.voila_page.VOILA_TEMPLATE`). The widget is plotly's own
    (``export default``), so it behaves exactly as the inline one.

    Examples
    --------
    >>> esm = plotly_widget_esm("templates/t/static/plotly-widget-6.0.0.js")
    >>> "import(" in esm and '"templates/t/static/plotly-widget-6.0.0.js"' in esm, len(esm) < 600
    (True, True)
    """
    return ("const at = new URL(document.body.dataset.baseUrl || \"/voila/\", location.href);\n"
            f"const url = new URL({json.dumps(str(path))}, at).href;\n"
            "export default async () => {\n"
            "  const mod = await import(url);\n"
            "  return typeof mod.default === \"function\" ? mod.default() : mod.default;\n"
            "};\n")


_SERVED_CLASSES: dict = {}


def _figure_widget(fig):
    try:
        import anywidget  # noqa: F401 - plotly's FigureWidget needs it
    except ImportError:
        return None
    import plotly.graph_objects as go

    served = os.environ.get(PLOTLY_WIDGET_ENV)
    if not served:
        return go.FigureWidget(fig)
    cls = _SERVED_CLASSES.get(served)
    if cls is None:  # one class per bundle path: anywidget reads ``_esm`` from the class
        cls = _SERVED_CLASSES[served] = type("FigureWidget", (go.FigureWidget,), {
            "_esm": plotly_widget_esm(served), "__module__": __name__})
    return cls(fig)


def _patch(fw, fig) -> None:
    """Make the ``FigureWidget`` ``fw`` show ``fig``: same traces patched in one batch (one
    message, one ``Plotly.update`` in the browser); traces added or removed when the count
    or a trace type changed."""
    new = list(fig.data)
    keep = 0
    while keep < min(len(fw.data), len(new)) and fw.data[keep].type == new[keep].type:
        keep += 1
    if keep < len(fw.data):
        fw.data = fw.data[:keep]
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)  # the same plotly template on every update: not sent again
    with fw.batch_update():
        for old, tr in zip(fw.data, new[:keep], strict=True):
            d = tr.to_plotly_json()
            d.pop("uid", None)
            old.update(d, overwrite=True)
        gone = {k: None for k in fw.layout.to_plotly_json() if k not in layout
                and k != "template"}
        fw.layout.update({**gone, **layout}, overwrite=True)
    if keep < len(new):
        fw.add_traces(new[keep:])


class Memo:
    """The results of a pure function of a dashboard's control values, kept per key.

    A move of a control looks its key up first: a position seen before (or computed ahead by
    :meth:`warm`) costs a dictionary look-up instead of the analysis, and the result is the
    very object the analysis returned for that key, so what is shown is what the analysis
    functions return. At most ``max_entries`` are kept, the least recently used dropped
    first; one ``Memo`` per widget, owned by it. Thread-safe (the warm-up thread and the
    callbacks share it).

    Examples
    --------
    >>> m, calls = Memo(max_entries=2), []
    >>> def f(k):
    ...     calls.append(k)
    ...     return k * 10
    >>> m.get(1, f), m.get(1, f), m.get(2, f), m.get(3, f), 1 in m, calls
    (10, 10, 20, 30, False, [1, 2, 3])
    >>> m.hits, m.misses
    (1, 3)
    """

    def __init__(self, max_entries: int = 256):
        self.max_entries = max_entries
        self.hits = self.misses = 0
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0
        self._idle = threading.Event()
        self._idle.set()
        self._pending: dict = {}  # key → Event: being computed by the warm-up thread
        self._moved = threading.Event()  # set by the second warm(): a visitor moved a control

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def _store(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def get(self, key, compute):
        """The result for ``key``: kept, or ``compute(key)`` (then kept); a key the warm-up
        thread is computing is waited for, not computed twice."""
        with self._lock:
            pending = self._pending.get(key)
        if pending is not None:
            pending.wait()
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            self.misses += 1
        self._idle.clear()  # a callback computes: the warm-up waits (one core each)
        try:
            value = compute(key)
        finally:
            self._idle.set()
        self._store(key, value)
        return value

    def warm(self, keys, compute, enabled: bool | None = None, start_delay: float | None = None):
        """Compute ``compute(key)`` for each of ``keys`` not kept yet, in a daemon thread, in
        order; a later call supersedes it (the thread stops before its next key), and it waits
        while a callback computes. Only when ``enabled`` (default: the environment variable
        :data:`WARM_ENV` is "1"). A key that fails is skipped (the callback reports it when
        the control gets there). The first call (the dashboard's start) waits ``start_delay``
        seconds (default :data:`WARM_START_DELAY_S`) or until a later call, so that the page's
        widgets start in the browser before the kernel takes a core (anywidget gives a figure
        2 s to start; on 2 busy cores a warm-up at once could take them). Returns the thread,
        or None.

        >>> m = Memo()
        >>> t = m.warm([1, 2], lambda k: k + 1, enabled=True, start_delay=0); t.join()
        >>> sorted(m._data.items())
        [(1, 2), (2, 3)]
        """
        if enabled is None:
            enabled = os.environ.get(WARM_ENV) == "1"
        if not enabled:
            return None
        with self._lock:
            self._generation += 1
            gen = self._generation
        if gen > 1:
            self._moved.set()
        delay = (WARM_START_DELAY_S if start_delay is None else start_delay) if gen == 1 else 0.0
        keys = list(keys)

        def run():
            if delay > 0:
                self._moved.wait(delay)  # a visitor's move ends the wait (and supersedes this)
            for key in keys:
                self._idle.wait()
                if self._generation != gen:
                    return
                with self._lock:
                    if key in self._data or key in self._pending:
                        continue
                    self._pending[key] = ev = threading.Event()
                try:
                    self._store(key, compute(key))
                except Exception:  # noqa: BLE001 - shown by the callback if ever reached
                    pass
                finally:
                    with self._lock:
                        del self._pending[key]
                    ev.set()

        t = threading.Thread(target=run, name="powerkit-widgets-warm", daemon=True)
        t.start()
        return t


def slider_positions(slider, value=None, reach: int = 2, direction: int = 0) -> list:
    """The values a slider reaches from ``value`` (default its own) in up to ``reach`` steps,
    within its bounds, in the order :meth:`Memo.warm` computes them: either way, nearest first
    (``direction`` 0), or — after a move up (1) or down (-1) — ``reach`` steps on in that
    direction, then one step back.

    >>> import ipywidgets as w
    >>> slider_positions(w.IntSlider(value=1, min=0, max=8), reach=2)
    [2, 0, 3]
    >>> slider_positions(w.FloatSlider(value=0.5, min=0, max=1, step=0.05), reach=1)
    [0.55, 0.45]
    >>> slider_positions(w.IntSlider(value=5, min=0, max=8), reach=3, direction=-1)
    [4, 3, 2, 6]
    """
    v = slider.value if value is None else value
    if direction:
        d = 1 if direction > 0 else -1
        ks = [d * k for k in range(1, reach + 1)] + [-d]
    else:
        ks = [sign * k for k in range(1, reach + 1) for sign in (1, -1)]
    out = []
    for k in ks:
        x = v + k * slider.step
        x = round(x, 10) if isinstance(x, float) else x
        if slider.min <= x <= slider.max:
            out.append(x)
    return out


def moved(change) -> tuple:
    """``(control, direction)`` of a control's change (direction 1 up, -1 down, 0 otherwise or
    for a change that is not a number's); ``(None, 0)`` for no change (the first draw)."""
    if change is None:
        return None, 0
    owner = change.get("owner") if isinstance(change, dict) else getattr(change, "owner", None)
    try:
        d = (change["new"] > change["old"]) - (change["new"] < change["old"])
    except (TypeError, KeyError):
        d = 0
    return owner, d


def ahead(sliders: dict, change, key_of) -> list:
    """The keys to compute ahead (:meth:`Memo.warm`) after ``change``: at the start (no change)
    every slider of ``sliders`` (name → slider) ``AHEAD[0]`` steps either way, the nearest
    positions of all sliders first; after a move of one of them, ``AHEAD[1]`` steps on in the
    direction it moved and one back (:func:`slider_positions`). ``key_of(name, value)`` is the
    key with that slider at ``value`` and every other control as it is.

    >>> import ipywidgets as w
    >>> s = {"a": w.IntSlider(value=1, min=0, max=9), "b": w.IntSlider(value=5, min=0, max=9)}
    >>> ahead(s, None, lambda n, v: (n, v))[:4]
    [('a', 2), ('b', 6), ('a', 0), ('b', 4)]
    >>> ahead(s, {"owner": s["b"], "old": 4, "new": 5}, lambda n, v: (n, v))
    [('b', 6), ('b', 7), ('b', 8), ('b', 4)]
    """
    from itertools import zip_longest

    owner, d = moved(change)
    if owner is None:
        lists = [[(n, x) for x in slider_positions(sl, reach=AHEAD[0])]
                 for n, sl in sliders.items()]
        pairs = [p for group in zip_longest(*lists) for p in group if p is not None]
    else:
        name = next((n for n, sl in sliders.items() if sl is owner), None)
        if name is None:
            return []
        pairs = [(name, x) for x in slider_positions(owner, reach=AHEAD[1], direction=d)]
    return [key_of(n, x) for n, x in pairs]


def refresher(views, draw, status=None, errors=(ValueError,), prefix: str = ""):
    """The refresh callback of every dashboard: dim ``views`` (:func:`busy`), call
    ``draw(change)``, undo the dimming; an error of ``errors`` (bad input for the analysis)
    becomes one red line in ``status`` (an ``HTML`` widget; ``prefix`` before it) instead of a
    traceback. Returns what ``draw`` returns (None after an error).

    >>> import ipywidgets as w
    >>> status = w.HTML()
    >>> def draw(change):
    ...     raise ValueError("quota above the votes")
    >>> refresher((status,), draw, status)() is None, "quota above" in status.value
    (True, True)
    """
    from ..text import esc

    def refresh(change=None):
        busy(*views)
        try:
            return draw(change)
        except errors as exc:
            if status is None:
                raise
            status.value = f"<span style='color:#c0392b'>{prefix}{esc(str(exc)[:300])}</span>"
            return None
        finally:
            done(*views)

    return refresh


def busy(*views) -> None:
    """Dim ``views`` while a callback computes (class ``pk-busy``, styled by :data:`BUSY_CSS`):
    the message leaves the kernel before the computation starts, so the page answers a move
    at once; :func:`done` undoes it when the result is drawn."""
    for v in views:
        v.add_class("pk-busy")


def done(*views) -> None:
    """Undo :func:`busy`."""
    for v in views:
        v.remove_class("pk-busy")


def view_of(*widgets):
    """Mark widgets as a dashboard's result area (class ``pk-view``: what :func:`busy` dims
    and what the latency benchmark watches); returns them as a tuple."""
    for x in widgets:
        x.add_class("pk-view")
    return widgets


# an HTML widget with this style goes in every dashboard box (ipywidgets HTML keeps <style>)
BUSY_CSS = "<style>.pk-busy{opacity:.55}</style>"
