"""The exercises as widgets: a guess control per exercise and a :func:`reveal` toggle that
renders the answer (:mod:`powerkit.workshop.answers`) only when it is pressed, so the dashboard
shows nothing of it beforehand. Every control re-renders an open answer."""
from __future__ import annotations

from ..widgets import to_outputs, wire
from .answers import adviser_answer, packages_answer, position_answer
from .exercises import advisers, efficient_packages, position_power

__all__ = ["display_blocks", "reveal", "NO_GUESS", "build_adviser_exercise",
           "build_position_exercise", "build_packages_exercise"]


def display_blocks(blocks) -> None:
    """Display answer blocks: markdown strings, DataFrames (cells escaped), plotly figures."""
    from IPython.display import display

    for output in to_outputs(blocks):
        display(output["data"], raw=True)


def reveal(render, description: str = "Show the answer", value: bool = False):
    """A toggle button that shows (and hides) an answer rendered only when pressed.

    Parameters
    ----------
    render : callable
        Called with no argument when the toggle is pressed; returns the blocks to show
        (markdown strings, DataFrames, plotly figures: :func:`powerkit.widgets.to_outputs`).
    description : str
        The button's label while the answer is hidden.
    value : bool
        Start with the answer shown (facilitator's copy).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``toggle`` (ToggleButton), ``output`` (Output, its ``outputs`` set
        directly rather than captured, so that Voila and papermill never stall on it: see
        :func:`powerkit.widgets.to_outputs`), ``refresh()`` (render again if shown) and
        ``shown`` (the blocks last rendered, ``None`` while hidden).

    Examples
    --------
    >>> box = reveal(lambda: ["**42**"])
    >>> box.shown is None, box.output.outputs
    (True, ())
    >>> box.toggle.value = True
    >>> box.shown, box.toggle.description, len(box.output.outputs)
    (['**42**'], 'Hide the answer', 1)
    """
    import ipywidgets as w

    toggle = w.ToggleButton(value=False, description=description, icon="eye",
                            button_style="info", layout=w.Layout(width="220px"))
    out = w.Output()
    box = w.VBox([toggle, out])
    box.shown = None

    def refresh(change=None):
        if not toggle.value:
            box.shown = None
            toggle.description = description
            out.outputs = ()
            return
        toggle.description = "Hide the answer"
        box.shown = list(render())
        out.outputs = to_outputs(box.shown)

    toggle.observe(refresh, names="value")
    box.toggle, box.output, box.refresh = toggle, out, refresh
    toggle.value = bool(value)
    return box


NO_GUESS = "— your guess —"


def _dropdown(options, description):
    import ipywidgets as w

    return w.Dropdown(options=[(NO_GUESS, ""), *options], value="",
                      description=description, style={"description_width": "initial"},
                      layout=w.Layout(width="420px"))


def _wire(box, controls: dict, reveal_box):
    wire(box, controls, lambda change=None: reveal_box.refresh())
    box.toggle, box.output, box.reveal = reveal_box.toggle, reveal_box.output, reveal_box
    return box


def build_adviser_exercise(deal, table=None, show: bool = False):
    """Exercise 1 as widgets: pick the manager you think is most sought for advice, then reveal.

    The reveal calls :func:`adviser_answer` with the current guess.

    Returns
    -------
    ipywidgets.VBox
        With ``controls`` (``{"guess": Dropdown}``), ``toggle``, ``output`` and ``reveal``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> box = build_adviser_exercise(load_reference("krackhardt"))
    >>> box.controls["guess"].value = "7"
    >>> box.toggle.value = True
    >>> box.reveal.shown[0].startswith("**Manager 2 (VP)**")
    True
    """
    import ipywidgets as w

    t = advisers(deal) if table is None else table
    order = sorted(t.index, key=lambda i: (len(str(i)), str(i)))
    guess = _dropdown([(str(t.at[i, "name"]), str(i)) for i in order],
                      "Most sought for advice:")
    rv = reveal(lambda: adviser_answer(deal, guess.value or None, t), value=show)
    return _wire(w.VBox([guess, rv]), {"guess": guess}, rv)


def build_position_exercise(deal, table=None, show: bool = False, reference_dir=None):
    """Exercise 2 as widgets: pick the family in the strongest position, then reveal.

    The reveal calls :func:`position_answer` with the current guess.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> box = build_position_exercise(load_reference("florentine"), show=True)
    >>> box.reveal.shown[0].startswith("**Medici**")
    True
    """
    import ipywidgets as w

    t = position_power(deal, reference_dir) if table is None else table
    guess = _dropdown([(str(t.at[i, "name"]), str(i)) for i in sorted(t.index)],
                      "Strongest position:")
    rv = reveal(lambda: position_answer(deal, guess.value or None, t), value=show)
    return _wire(w.VBox([guess, rv]), {"guess": guess}, rv)


def build_packages_exercise(deal, analysis=None, show: bool = False):
    """Exercise 3 as widgets: guess how many packages are efficient, build one, then reveal.

    One dropdown per issue and a slider for the count; the reveal calls
    :func:`packages_answer` with the current values.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> box = build_packages_exercise(load_itex_cypress())
    >>> sorted(box.controls)
    ['Delivery', 'Payment', 'Price', 'Returns', 'count']
    """
    import ipywidgets as w

    a = efficient_packages(deal) if analysis is None else analysis
    ctl: dict = {}
    for issue, opts in a.options.groupby("issue", sort=False)["option"]:
        ctl[str(issue)] = _dropdown([(str(o), o) for o in opts], f"{issue}:")
    ctl["count"] = w.IntSlider(value=a.n_packages // 2, min=0, max=a.n_packages,
                               description="How many are efficient?", continuous_update=False,
                               style={"description_width": "initial"},
                               layout=w.Layout(width="520px"))
    issues = [k for k in ctl if k != "count"]
    rv = reveal(lambda: packages_answer(deal, {i: ctl[i].value or None for i in issues},
                                        ctl["count"].value, a), value=show)
    box = w.VBox([ctl["count"], w.HTML("<b>Your package:</b>"),
                  w.HBox([ctl[i] for i in issues[:2]]), w.HBox([ctl[i] for i in issues[2:]]), rv])
    for i in issues:
        ctl[i].layout.width = "300px"
    return _wire(box, ctl, rv)
