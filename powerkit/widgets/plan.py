"""Widgets of the game plan (notebook 00): pick the target package and the contact budget; the
concession ladder, the engagement sequence and the brief update live.

The callback is :func:`powerkit.plan.game_plan` (with the chosen target and budget) followed by
:func:`powerkit.sections.brief.brief_from_plan`; the builder only wires the controls to them.
"""
from __future__ import annotations

import ipywidgets as w

from ..deal.money import admissible_options
from ..errors import PowerkitError
from ..plan import game_plan
from ..sections.brief import brief_from_plan
from ..text import esc
from ..value import options_from_deal
from . import BUSY_CSS, busy, done, show_in, slider_layout, view_of, wire
from .uncertainty import level_controls, ranges_view

__all__ = ["build_plan_widgets", "plan_view"]


def plan_view(deal, budget: int = 3, target_package: dict | None = None,
              level: float = 0.9, uncertain: bool = True, cache=None):
    """The plan and its brief for one setting of the controls: ``(GamePlan, Section)``; the
    ranges at ``level`` (none when ``uncertain`` is off: every range collapses)."""
    u = ranges_view(deal, level, uncertain, cache=cache)
    plan = game_plan(deal, budget=budget, target_package=target_package,
                     results={"uncertainty": u})
    return plan, brief_from_plan(deal, plan)


def build_plan_widgets(deal, budget: int = 3):
    """A contact-budget slider, one drop-down per issue (the target package, options within
    both sides' reservation prices only), the interval level and the uncertainty switch; every
    change rebuilds the plan and shows the brief.

    Returns
    -------
    ipywidgets.VBox
        With ``controls``, ``refresh()``, ``last`` (the latest ``(GamePlan, Section)``) and
        ``figures`` (empty: the brief is tables and text).

    Examples
    --------
    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> box = build_plan_widgets(load_deal(sample_deal("small-renewal")))
    >>> box.controls["budget"].value = 1
    >>> box.last[0].inputs["budget"]
    1
    """
    style = {"description_width": "initial"}
    ctl: dict = {"budget": w.IntSlider(value=budget, min=0, max=8, step=1,
                                       description="people to approach (contact budget)",
                                       continuous_update=False, style=style,
                                       layout=slider_layout(
                                           "people to approach (contact budget)")),
                 **level_controls()}
    cache: dict = {}
    base, _ = plan_view(deal, budget, cache=cache)
    if deal.has("issues") and base.target_package:
        inside, _ = admissible_options(deal, options_from_deal(deal))
        for issue, chosen in base.target_package.items():
            opts = list(dict.fromkeys(inside.loc[inside["issue"] == issue, "option"]))
            ctl[("target", issue)] = w.Dropdown(options=opts, value=chosen,
                                                description=f"aim for — {issue}",
                                                style=style, layout=w.Layout(
                                                    width="auto", min_width="460px"))
    out = w.Output()
    note = w.HTML()
    views = view_of(note, out)
    box = w.VBox([w.HTML(BUSY_CSS), *ctl.values(), note, out])

    def refresh(_change=None):
        busy(*views)
        try:
            return draw()
        finally:
            done(*views)

    def draw():
        target = {k[1]: c.value for k, c in ctl.items() if isinstance(k, tuple)} or None
        try:
            box.last = plan_view(deal, ctl["budget"].value, target, ctl["level"].value,
                                 ctl["uncertain"].value, cache)
        except PowerkitError as exc:
            note.value = f"<b>Not possible:</b> {esc(str(exc)[:300])}"
            return box.last
        note.value = ""
        show_in(out, *box.last[1].blocks)
        return box.last

    wire(box, ctl, refresh)
    refresh()
    return box
