"""The brief: the game plan a consultant takes into the room, in plain language.

It opens the client report. Every number comes from :func:`powerkit.plan.game_plan` and every
price is worded by :func:`powerkit.text.money`, the same as in the sections that follow. No method
names here: they belong to the sections and the appendix.
"""
from __future__ import annotations

import pandas as pd

from ..plan import GamePlan, game_plan
from ..text import md, money
from . import Section

__all__ = ["section", "brief_from_plan", "ladder_table", "steps_table", "package_table",
           "package_flip_note",
           "METHOD_WORDS"]

#: words that name a method and do not belong in the brief (tested)
METHOD_WORDS = ("bits", "Friedkin", "Shapley", "Banzhaf", "Nash", "Kalai", "Rubinstein",
                "PageRank", "CELF", "posterior", "Bayes", "ACH", "Pareto", "utility")


def _date(d) -> str:
    return "" if d is None or pd.isna(d) else f"{d:%d %b %Y}"


def package_table(plan: GamePlan) -> pd.DataFrame:
    """The target package beside the opening: one row per issue."""
    pk = plan.package
    return pd.DataFrame({"issue": list(pk.target), "open with": [pk.opening.get(i, "")
                                                                 for i in pk.target],
                         "aim for": list(pk.target.values())})


def ladder_table(plan: GamePlan) -> pd.DataFrame:
    """The concession ladder as a reader sees it: what we give, what we ask, the price after."""
    lad = plan.package.ladder
    cur = plan.currency
    return pd.DataFrame({
        "step": lad["step"],
        "we give": [f"{i}: {o}" if isinstance(i, str) else "nothing"
                    for i, o in zip(lad["give_issue"], lad["give_option"], strict=True)],
        "we ask in return": [
            (f"{i}: {o}" if k == "move" else f"their agreement to {i}: {o}")
            if isinstance(i, str) else "their commitment to close on this basis"
            for i, o, k in zip(lad["ask_issue"], lad["ask_option"], lad["ask_kind"],
                               strict=True)],
        "price after the step": [money(p, cur) if p is not None and not pd.isna(p) else ""
                                 for p in lad["price"]],
    })


def steps_table(plan: GamePlan) -> pd.DataFrame:
    """Whom to meet, in order."""
    s = plan.steps
    return pd.DataFrame({"order": s["order"], "meet": s["name"], "of": s["party"],
                         "to": s["purpose"], "ask for": s["ask"], "bring": s["give"],
                         "by": [_date(d) for d in s["when"]]})


def brief_from_plan(deal, plan: GamePlan) -> Section:
    """The brief's section for a plan already built (the game-plan notebook rebuilds it live)."""
    cur = plan.currency
    pk = plan.package
    head = {"plan": plan.headline(), "roles": plan.roles}
    sec = Section("brief", "Game plan", headline=head)
    sec.headline_at_top = True
    lines = []
    if pk is not None and pk.target:
        if pk.target_price is not None:
            beyond = "below" if pk.zone.us_is_seller else "above"
            lines.append(f"**The price.** Aim for **{money(pk.target_price, cur)}**, open at "
                         f"**{money(pk.opening_price, cur)}** and walk away {beyond} "
                         f"**{money(pk.walk_away_price, cur)}**." + _range_note(plan))
        sec.add(*lines, package_table(plan))
        if len(pk.ladder):
            sec.add("**Concessions, in this order.** Each step gives where it costs us least "
                    "for what it is worth to them, and asks for something in return.",
                    ladder_table(plan))
        else:
            sec.add("**Concessions.** The opening already is the target package: there is "
                    "nothing to concede.")
        if len(pk.excluded_options):
            ex = pk.excluded_options
            sec.add("**Never offered:** " + "; ".join(
                f"{md(r.option)} ({r.why})" for r in ex.itertuples())
                + " — outside what both sides can accept.")
        if len(pk.offers_outside):
            sec.add("**Offers on the table outside the zone:** " + "; ".join(
                f"round {r.round}, {md(deal.parties.at[r.party, 'name'])}: {md(r.option)}"
                for r in pk.offers_outside.itertuples())
                + " — these cannot be agreed as they stand.")
    elif pk is not None:
        sec.add("**The package.** No package lies within both sides' reservation prices: "
                "there is no zone of agreement on the figures in the deal file.")
    else:
        sec.add("**The package.** The deal file has no issues table: the plan gives no package.")
    n = len(plan.steps)
    if n:
        sec.add(f"**Whom to meet, in this order** ({n} meeting{'s' if n != 1 else ''}).",
                steps_table(plan))
    else:
        sec.add("**Whom to meet.** Nobody outside our team and the rivals is recorded as "
                "deciding or influencing the decision.")
    if plan.explanations:
        sec.add("**Where the analyses pull apart.**\n\n" + "\n".join(
            f"- {md(x)}" for x in plan.explanations))
    if plan.close_by is not None:
        sec.add(f"**Timing.** Close before **{_date(plan.close_by)}**: "
                f"{md(plan.close_reason)}.")
    sec.add(f"**Posture.** {md(plan.posture.capitalize())} — {md(plan.posture_reason)}.")
    if len(plan.risks):
        sec.add("**Risks: conclusions that rest on one observation, and the question that "
                "settles each.**\n\n" + "\n".join(
                    f"- {md(r.conclusion)} — rests on {md(r.rests_on)} ({md(r.evidence)})"
                    + (f"; ask {md(r.ask)}: \u201c{md(r.question)}\u201d"
                       if isinstance(r.question, str) and isinstance(r.ask, str) else "")
                    for r in plan.risks.itertuples()))
    if len(plan.rivals):
        sec.add("**Rivals.**", plan.rivals.rename(columns=lambda c: c.replace("_", " ")))
    if plan.roles["our_team"]:
        sec.add("**Our reach:** " + md(", ".join(plan.roles["our_team"]))
                + " (our team: never a target of the plan).")
    first = plan.steps["name"].iloc[0] if n else None
    sec.summary = (
        (f"Aim for {money(pk.target_price, cur)} (walk away "
         f"{'below' if pk.zone.us_is_seller else 'above'} {money(pk.walk_away_price, cur)}); "
         if pk is not None and pk.target_price is not None else "")
        + (f"meet {md(first)} first" if first else "no one to meet")
        + (f", close before {_date(plan.close_by)}" if plan.close_by is not None else "") + ".")
    return sec


def _range_note(plan: GamePlan) -> str:
    """How sure the price and the package are, from the plan's ranges (empty without)."""
    u = plan.uncertainty
    if u is None:
        return ""
    out = ""
    r = u.range_of("predicted_price")
    if r is not None:
        lo, hi = money(r[0], plan.currency), money(r[1], plan.currency)
        out += (f" The balance of power puts the price between {lo} and {hi} in "
                f"{u.level:.0%} of the cases" if lo != hi else
                f" The balance of power puts the price at {lo}")
        out += "."
    p = plan.target_package_probability
    if p is not None:
        out += f" The target stays the fairest package in {p:.0%} of them."
    return out


def section(deal, budget: int = 3, result=None, plan: GamePlan | None = None) -> Section:
    """The brief of ``deal``: the game plan in plain language. ``result``: the analyses the
    report already computed (:func:`powerkit.sections.shared_analyses`), reused by the plan;
    ``plan``: the plan itself when the caller already has it."""
    sec = brief_from_plan(deal, plan if plan is not None else
                          game_plan(deal, budget=budget, results=result))
    from .forecast import brief_line  # where the decision will land (walkthrough 6)

    line = brief_line(deal, (result or {}).get("forecast"))
    if line:
        sec.add(line)
    return sec


def package_flip_note(deal) -> str:
    """What would change the target package: the smallest change of one input that makes
    another package the fairest (:func:`powerkit.uncertainty.what_would_flip`), in words."""
    from ..errors import InputError
    from ..uncertainty import what_would_flip

    try:
        f = what_would_flip(deal, "package")
    except InputError:
        return "*The deal has no packages to compare: nothing to flip.*"
    if f.input is None:
        return ("**What would change the target package:** no single input within its range "
                "makes another package the fairest.")
    _, row, col = f.input.split(":")
    who = deal.parties["name"].get(row, deal.stakeholders["name"].get(row, row)) \
        if row in deal.parties.index or row in deal.stakeholders.index else row
    name = f"{col.replace('_', ' ')} of {md(who)}"
    fmt = ((lambda v: money(v, deal.meta.currency)) if col in ("reservation_price", "batna_value")
           else (lambda v: f"{v:.2f}"))
    a, b = fmt(f.value), fmt(f.new_value)
    change = (f"any {'rise' if f.new_value > f.value else 'fall'} of the {name} from {a}"
              if a == b else f"the {name} from {a} to {b}")
    return (f"**What would change the target package:** {change} — the smallest single change "
            "that makes another package the fairest.")
