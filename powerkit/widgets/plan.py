"""Widgets of the game plan (notebook 00): pick the target package and the contact budget; the
concession ladder, the engagement sequence and the brief update live.

The callback is :func:`powerkit.plan.game_plan` (with the chosen target and budget) followed by
:func:`powerkit.sections.brief.brief_from_plan`; the builder only wires the controls to them.
What does not depend on the controls is computed once per widget and passed to ``game_plan``
as its ``results`` (the value, coalition and constraint analyses, and the influence analysis at
the default budget — with the defaults ``game_plan`` uses, as the report shares them); a plan is kept per budget and target
(:class:`~powerkit.widgets.Memo`), and the interval level and the uncertainty switch only change
the plan's ranges (``GamePlan.uncertainty``, which ``game_plan`` stores and does not use).
"""
from __future__ import annotations

import dataclasses

import ipywidgets as w

from ..deal.money import admissible_options
from ..errors import PowerkitError
from ..plan import game_plan
from ..sections.brief import brief_from_plan
from ..value import options_from_deal
from . import BUSY_CSS, Memo, ahead, refresher, slider_layout, to_outputs, view_of, wire
from .uncertainty import level_controls, ranges_view

__all__ = ["build_plan_widgets", "plan_view", "shared_results"]


def shared_results(deal) -> dict:
    """The analyses :func:`powerkit.plan.game_plan` reads whatever the budget and target
    (value, coalitions, constraints; influence at budget 3, the only budget it reuses it for),
    with their default settings, computed once for its ``results`` (as the report shares
    them)."""
    from .. import coalitions, constraints, influence, value
    from ..errors import MissingTableError

    def run(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MissingTableError:
            return None

    return {"value": run(value.what_if, deal) if deal.has("issues") else None,
            "coalitions": run(coalitions.what_if, deal, packages=False),
            "constraints": run(constraints.analyse, deal) if deal.has("hypotheses") else None,
            "influence": influence.what_if(deal, budget=3) if deal.has("ties") else None}


def plan_view(deal, budget: int = 3, target_package: dict | None = None,
              level: float = 0.9, uncertain: bool = True, cache=None, plans=None,
              shared=None):
    """The plan and its brief for one setting of the controls: ``(GamePlan, Section)``; the
    ranges at ``level`` (none when ``uncertain`` is off: every range collapses).

    ``cache`` keeps the simulations per switch (:func:`ranges_view`), ``plans`` (a
    :class:`~powerkit.widgets.Memo`) the plans per budget and target, ``shared`` the
    analyses of :func:`shared_results`."""
    u = ranges_view(deal, level, uncertain, cache=cache)
    key = (budget, None if target_package is None else tuple(target_package.items()))
    plan = (plans or Memo()).get(key, lambda k: _plan_of(deal, k, shared))
    plan = dataclasses.replace(plan, uncertainty=u)
    return plan, brief_from_plan(deal, plan)


def _plan_of(deal, key, shared):
    budget, target = key
    return game_plan(deal, budget=budget, target_package=None if target is None else dict(target),
                     results=shared)


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
    plans, views_memo, shared = Memo(), Memo(), shared_results(deal)
    base, _ = plan_view(deal, budget, cache=cache, plans=plans, shared=shared)
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

    def target():
        return tuple((k[1], c.value) for k, c in ctl.items() if isinstance(k, tuple)) or None

    def view(key):
        """(plan, brief, the brief's outputs) for (budget, target, level, uncertain)."""
        b, t, level, uncertain = key
        plan, sec = plan_view(deal, b, None if t is None else dict(t), level, uncertain, cache,
                              plans, shared)
        return plan, sec, to_outputs(sec.blocks)

    def draw(_change=None):
        key = (ctl["budget"].value, target(), ctl["level"].value, ctl["uncertain"].value)
        plan, sec, outs = views_memo.get(key, view)
        box.last = (plan, sec)
        note.value = ""
        out.outputs = outs
        # ahead of the next move: the plans of the budgets the slider reaches next
        plans.warm(ahead({"budget": ctl["budget"]}, _change, lambda _n, b: (b, key[1])),
                   lambda k: _plan_of(deal, k, shared))
        return box.last

    refresh = refresher(views, draw, note, errors=(PowerkitError,),
                        prefix="<b>Not possible:</b> ")
    wire(box, ctl, refresh)
    refresh()
    return box
