"""Walkthrough 2's part of the client report (formal vs informal power: who really decides, whom
to engage in which order), and the sentences the walkthrough notebook shows between its tables.

Every number comes from :func:`powerkit.influence.what_if`; names from the deal reach Markdown
only through :func:`powerkit.text.esc`.
"""
from __future__ import annotations

from ..influence import InfluenceView, what_if
from ..plots.influence import forecast_path_figure, rank_scatter_figure
from ..text import md
from . import Section

__all__ = ["TEACHING", "section", "deal_line", "sought_after_note", "who_decides_note",
           "factions_note"]


TEACHING = """\
**Formal vs informal power.** The org chart says who *may* decide; the network of advice and
trust says who is *listened to*. They often disagree: a vendor can court the person with the
title and the budget for months while the decision is really shaped by someone the decision
makers go to for advice. Here each person's formal power (sign-off, votes, budget, people in
their reporting line) is set against their informal power in the network, and the
Friedkin–Johnsen model of social influence traces how much of the decision's final stance goes
back to each person's own view — through the people who listen to them."""


def section(deal, kind="all", measure="pagerank", threshold=0.25, budget=3, effect=0.5,
            group="department", result=None, **_) -> Section:
    """Walkthrough 2's part of the client report: who really decides, and whom to engage in
    which order.

    Parameters are those of :func:`powerkit.influence.what_if`. Without a ``ties`` table the
    section is returned with ``missing`` set (never raises for that).

    Returns
    -------
    powerkit.sections.Section
        ``key="influence"``; ``headline`` with ``who_really_decides`` (name),
        ``who_really_decides_share``, ``formal_decider``, ``hidden_influencers``,
        ``engage_order`` (names, in order), ``forecast_decision`` (no engagement),
        ``forecast_after_plan``, ``forecast_at_once``, ``build_relationship_with``,
        ``top_broker`` and more.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> s = section(load_reference("krackhardt"), kind="advice")
    >>> s.headline["formal_decider"], s.missing is None
    ('Manager 7 (CEO)', True)
    """
    title = "Formal vs informal power: who really decides"
    if not deal.has("ties"):
        return Section(key="influence", title=title,
                       missing="No ties table in this deal: the informal influence analysis "
                               "(who really decides, whom to engage first) is left out.")
    v = result if result is not None else what_if(
        deal, kind=kind, measure=measure, threshold=threshold, budget=budget, effect=effect,
        group=group)  # ``result``: the same analysis, already computed for the whole report
    h = dict(v.headline)
    h["build_relationship_with"] = v.build_relationship_with
    share = h["who_really_decides_share"]
    formal_say = h["who_really_decides_formal_weight"] > 0
    order = h["engage_order"]
    summary = (f"{md(h['who_really_decides'])} carries {100 * share:.0f}% of the forecast "
               f"decision{'' if formal_say else ' without any formal say'}; "
               + (f"engage in this order: {', '.join(md(n) for n in order)}, which moves the "
                  f"forecast decision from {h['forecast_decision']:+.2f} to "
                  f"{h['forecast_after_plan']:+.2f}."
                  if order else "no contact moves the forecast decision."))
    who = v.who.head(8)[["name", "title", "formal_weight", "real_weight", "stance", "forecast",
                         "evidence"]].copy()
    who[["formal_weight", "real_weight"]] = (who[["formal_weight", "real_weight"]] * 100).round(1)
    who[["stance", "forecast"]] = who[["stance", "forecast"]].round(2)
    who = who.rename(columns={"formal_weight": "formal say (%)",
                              "real_weight": "share of the decision (%)",
                              "forecast": "forecast stance"})
    flagged = v.flagged[["name", "title", "flag", "evidence"]]
    steps = v.plan.steps[["step", "name", "stance_before", "stance_after", "forecast",
                          "forecast_at_once"]].round(3)
    steps = steps.rename(columns={"stance_before": "their stance when approached",
                                  "stance_after": "after the conversation",
                                  "forecast": "forecast decision after this step",
                                  "forecast_at_once": "same people at once"})
    blocks = [
        TEACHING,
        f"**The decision:** {md(deal.meta.decision)}. Who formally decides: by "
        f"{md(h['decision_basis'].replace('_', ' '))}. The tie kinds used: "
        f"{md(kind)}.",
        "### Who really decides",
        "Share of the decision = how much of the forecast decision traces back to each "
        "person's own view (Friedkin–Johnsen total influence, weighted by formal say). "
        "Someone with no formal say but a large share decides through those who listen to them.",
        who,
        rank_scatter_figure(v.table),
        "Above the diagonal: more informal than formal power; flagged people are labelled.",
    ]
    if len(flagged):
        blocks.append(flagged)
    blocks += [
        "### Engage in this order",
        f"Greedy plan (lazy evaluation, CELF) for {v.budget} contacts"
        + ("" if len(v.plan.steps) >= v.budget else
           f" ({len(v.plan.steps)} shown: no further contact raises the forecast decision — "
           "the others cannot be reached or already hold their view)")
        + f": each contact closes "
        f"{100 * effect:.0f}% of the gap to full support (scaled by how well our offer fits "
        f"the problems they recognise), and the person then holds that view. A later contact "
        f"starts from the stance the earlier ones have already produced: that is the momentum "
        f"of one-to-one engagement, compared with approaching the same people at once.",
        steps,
        forecast_path_figure(v.plan),
    ]
    if len(v.gaps):
        g = v.gaps[["name", "party", "forecast_gain", "access"]].round(3)
        blocks += ["### Relationships to build",
                   "If this person started listening to us (one relationship as strong as "
                   "their average tie), the forecast decision would rise by `forecast_gain`, "
                   "and `access` of it would trace back to our voice.", g]
    return Section(key="influence", title=title, blocks=blocks, headline=h, summary=summary)


def deal_line(deal, view: InfluenceView) -> str:
    """One Markdown line on the deal: title, people, ties, the decision, the tie kinds used.

    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.influence import what_if
    >>> deal = load_reference("krackhardt")
    >>> deal_line(deal, what_if(deal, kind="advice")).endswith("Tie kinds used: **advice**.")
    True
    """
    ties = 0 if deal.ties is None else len(deal.ties)
    return (f"**{md(deal.meta.title)}** — {len(deal.stakeholders)} people, {ties} ties; "
            f"decision: *{md(deal.meta.decision)}*. Tie kinds used: **{md(view.kind)}**.")


def sought_after_note(deal, view: InfluenceView) -> str:
    """The most sought-after person against the person with the largest formal say (Markdown).

    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.influence import what_if
    >>> deal = load_reference("krackhardt")
    >>> "**not** the same" in sought_after_note(deal, what_if(deal, kind="advice"))
    True
    """
    h = view.headline
    same = h["most_sought_after_id"] == h["formal_decider_id"]
    return (f"The most sought-after person is **{md(h['most_sought_after'])}**, listened to by "
            f"{h['most_sought_after_in_degree']} of {len(deal.stakeholders) - 1} people. "
            f"The person with the largest formal say in the decision is "
            f"**{md(h['formal_decider'])}**, listened to by {view.formal_decider_in_degree}. "
            + ("They are the same person." if same else
               "They are **not** the same person: the network does not simply follow the chart."))


def who_decides_note(view: InfluenceView) -> str:
    """Who really decides, with their share, and where the decision is heading (Markdown)."""
    h = view.headline
    return (f"**Who really decides:** {md(h['who_really_decides'])} carries "
            f"{100 * h['who_really_decides_share']:.0f}% of the forecast decision "
            f"(formal say {100 * h['who_really_decides_formal_weight']:.0f}%). The weighted stance "
            f"of the decision makers is {h['decision_now']:+.2f} today and heads to "
            f"{h['forecast_decision']:+.2f} as views settle.")


def factions_note(view: InfluenceView) -> str:
    """The two faction leaders and the value of the minimum cut between them (Markdown)."""
    split = view.factions
    return (f"Leaders: **{md(split.attrs['a_name'])}** and **{md(split.attrs['b_name'])}** "
            f"(minimum cut {split.attrs['cut_value']:g}).")
