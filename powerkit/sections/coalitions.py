"""Walkthrough 5 in the client report: votes, coalitions and the power map, in words.

:func:`section` builds the report's section from one :func:`powerkit.coalitions.what_if`
result; the table helpers (:func:`power_table`, :func:`coalitions_table`, …) are the
walkthrough's views of that result, people shown by name.
"""
from __future__ import annotations

import pandas as pd

from ..coalitions import CoalitionWhatIf, what_if
from ..plots.coalitions import (
    coalition_path_figure,
    power_interest_figure,
    salience_figure,
    voting_power_figure,
)
from ..text import md
from . import Section

__all__ = ["section", "joined_names", "power_table", "coalitions_table", "blocking_table",
           "plan_table", "comparison_table", "power_map_table", "packages_note",
           "packages_table"]

SEQUENTIAL = "sequential (one by one, momentum)"
COLLECTIVE = "collective (together, one round)"


def joined_names(result: CoalitionWhatIf, frame: pd.DataFrame, columns) -> pd.DataFrame:
    """A copy of ``frame`` whose ``columns`` (tuples of stakeholder ids) read as names,
    comma-separated (text for a table cell: tables escape it when rendered).

    >>> r = CoalitionWhatIf.__new__(CoalitionWhatIf)
    >>> r.names = {"a": "Ann", "b": "Ben"}
    >>> joined_names(r, pd.DataFrame({"members": [("a", "b")]}), ["members"]).iloc[0, 0]
    'Ann, Ben'
    """
    return frame.assign(**{c: [", ".join(result.named(t)) for t in frame[c]] for c in columns})


def _md_list(names: list[str]) -> str:
    names = [md(n) for n in names]
    if not names:
        return "nobody"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def power_table(result: CoalitionWhatIf, digits: int = 4) -> pd.DataFrame:
    """Every voter by name: weight and vote share beside Shapley–Shubik and Banzhaf power,
    dummy and veto flags (:func:`powerkit.coalitions.voting_power_table`)."""
    p = result.power
    return p.assign(name=result.named(p.index))[
        ["name", "weight", "weight_share", "shapley_shubik", "banzhaf", "banzhaf_absolute",
         "swings", "power_vs_weight", "dummy", "veto"]].round(digits)


def coalitions_table(result: CoalitionWhatIf, top: int = 15) -> pd.DataFrame:
    """The minimal winning coalitions closest to reach (fewest members still to win first),
    members by name."""
    mwc = joined_names(result, result.coalitions, ["members", "to_win"])
    return mwc.sort_values(["missing", "size"]).head(top)


def blocking_table(result: CoalitionWhatIf, top: int = 10) -> pd.DataFrame:
    """The first minimal blocking coalitions, members by name."""
    return joined_names(result, result.blocking, ["members"]).head(top)


def plan_table(result: CoalitionWhatIf, digits: int = 3) -> pd.DataFrame:
    """The sequential plan step by step, with who each ally also brings along (by name)."""
    steps = result.plan.steps
    steps = steps.assign(also_won=[", ".join(result.named(t)) for t in steps["induced"]])
    return steps[["step", "name", "party", "stance_before", "effort", "vote_weight", "also_won",
                  "support_after", "winning_after", "cumulative_effort"]].round(digits)


def comparison_table(result: CoalitionWhatIf, digits: int = 3) -> pd.DataFrame:
    """Sequential vs collective engagement vs the direct optimum, who engaged by name."""
    return joined_names(result, result.plan.comparison, ["who"]).round(digits)


def power_map_table(result: CoalitionWhatIf, digits: int = 2) -> pd.DataFrame:
    """The power map: power and its sources, interest, salience attributes, quadrant, type."""
    return result.power_map[["name", "party", "power", "voting", "formal", "informal",
                             "interest", "legitimacy", "urgency", "quadrant", "salience",
                             "salience_engagement"]].round(digits)


def packages_note(result: CoalitionWhatIf) -> str:
    """One Markdown line on the packages: how many pass and the reservation utilities (or that
    the deal rates no issues)."""
    if result.packages is None:
        return "*No issues table in this deal: no package analysis.*"
    res = result.packages.attrs["reservation"]
    about = "" if result.packages.attrs.get("n_passing_rule", "counted") == "counted" else "About "
    return (f"{about}{result.packages_passing:,} of {result.packages_total:,} packages can pass. "
            f"Reservation utilities: " + ", ".join(f"{md(p)} {v:.2f}" for p, v in res.items()))


def packages_table(result: CoalitionWhatIf, top: int = 10) -> pd.DataFrame | None:
    """The best passing packages (None when the deal rates no issues)."""
    if result.passing is None:
        return None
    return result.passing.drop(columns=["passes", "rank"]).head(top)


def section(deal, threshold: float = 0.25, target: float = 0.6, quota=None, weights=None,
            supporters=None, power_threshold: float = 0.5, interest_threshold: float = 0.5,
            top_packages: int = 5, result=None) -> Section:
    """The multi-party power section of the client report.

    Voting power against vote weight, the coalition to build and its order (sequential vs
    collective), the power–interest map with salience types, and — when the deal rates issues —
    the packages a winning coalition can accept.

    Parameters
    ----------
    deal : powerkit.Deal
    threshold, target, quota, weights, supporters
        See :func:`powerkit.coalitions.coalition_plan`.
    power_threshold, interest_threshold : float
        See :func:`powerkit.coalitions.power_map`.
    top_packages : int, default 5
        Packages listed.

    Returns
    -------
    powerkit.sections.Section
        key ``"coalitions"``; ``headline`` with plain values (see docs/methods/coalitions.md).
    """
    title = "Multi-party power: votes, coalitions and the power map"
    sec = Section(key="coalitions", title=title)
    if not deal.has("stakeholders"):
        sec.missing = "No stakeholders table in this deal: multi-party power left out."
        return sec
    wi = result if result is not None else what_if(
        deal, quota=quota, weights=weights, supporters=supporters, threshold=threshold,
        target=target, power_threshold=power_threshold, interest_threshold=interest_threshold)
    game, power, plan, pmap = wi.game, wi.power, wi.plan, wi.power_map
    names = wi.names
    top = wi.top_power
    seq = plan.comparison.loc[SEQUENTIAL]
    col = plan.comparison.loc[COLLECTIVE]
    hl = {
        "rule": game.rule,
        "quota": float(game.votes_needed),
        "total_votes": float(game.total),
        "voters": int(len(game.weights)),
        "top_power": wi.named([top])[0],
        "top_power_shapley_shubik": round(float(power.loc[top, "shapley_shubik"]), 4),
        "top_power_weight_share": round(float(power.loc[top, "weight_share"]), 4),
        "largest_gap": wi.named([wi.largest_gap])[0],
        "largest_gap_value": round(wi.largest_gap_value, 4),
        "dummies": wi.named(wi.dummies),
        "veto_players": wi.named(wi.veto),
        "minimal_winning_coalitions": int(len(wi.coalitions)),
        "support_now": float(wi.support_now),
        "winning_now": bool(wi.winning_now),
        "plan_order": wi.named(plan.steps["stakeholder"]),
        "plan_effort_sequential": round(float(seq["total_effort"]), 3),
        "plan_effort_collective": round(float(col["total_effort"]), 3),
        "plan_rounds_sequential": int(seq["rounds"]),
        "plan_winning": bool(seq["winning"]),
        "coalition": wi.named(plan.coalition),
        "manage_closely": pmap.attrs["quadrant_counts"]["manage closely"],
        "definitive": pmap.attrs["salience_counts"]["definitive"],
    }
    intro = (
        "### Who really holds the votes\n"
        "Votes are the surface of power in a deciding body; what counts is how often a member's "
        "vote turns a losing side into a winning one. The **Shapley–Shubik index** is the share "
        "of all voting orders in which a member casts that decisive vote; the **Banzhaf index** "
        "counts the coalitions in which their defection would sink the decision. A member whose "
        "vote is never decisive (a *dummy*) has no voting power however many votes they hold; "
        "a member without whom no coalition wins holds a *veto*.\n\n"
        f"Decision rule: {md(game.description)}.")
    sec.add(intro)
    show = power[["weight", "weight_share", "shapley_shubik", "banzhaf", "power_vs_weight",
                  "dummy", "veto"]].copy()
    show.insert(0, "name", wi.named(show.index))
    for c in ("weight_share", "shapley_shubik", "banzhaf", "power_vs_weight"):
        show[c] = show[c].astype(float).round(3)
    sec.add(voting_power_figure(power, names=names), show.reset_index(drop=True))
    notes = []
    if wi.dummies:
        notes.append(f"{_md_list(hl['dummies'])} hold votes but are never decisive: "
                     "winning them over adds no power to a coalition (their goodwill may "
                     "still matter through influence).")
    if wi.veto:
        notes.append(f"{_md_list(hl['veto_players'])} can block any decision alone: no "
                     "coalition wins without them.")
    notes.append(f"There are {len(wi.coalitions)} minimal winning coalitions: groups that win "
                 "and lose if any member leaves.")
    sec.add(" ".join(notes))
    build = ["### The coalition to build",
             "From the people who support us today we add, one at a time, the person who brings "
             "the most missing votes per unit of effort (effort grows with the distance to "
             "travel and shrinks with their trust in us). Each ally pulls the people who "
             "listen to them, so later conversations start from warmer stances — the momentum "
             "of **sequential** engagement. **Collective** engagement brings the group "
             "together at once: one round, shared ownership of the decision, but everyone "
             "starts from today's stance."]
    if wi.winning_now:
        build.append(f"Today's supporters already hold {wi.support_now:g} of the "
                     f"{game.votes_needed:g} votes needed: the task is to keep them on side.")
    elif len(plan.steps):
        build.append(f"Today's supporters hold {wi.support_now:g} of the {game.votes_needed:g} votes "
                     f"needed. Win over, in this order: {_md_list(hl['plan_order'])}.")
    sec.add("\n\n".join(build))
    if len(plan.steps):
        steps = plan.steps[["step", "name", "party", "stance_before", "effort", "vote_weight",
                            "support_after", "winning_after"]].copy()
        steps["also_won_through_influence"] = [", ".join(wi.named(t))
                                               for t in plan.steps["induced"]]
        steps["effort"] = steps["effort"].round(3)
        sec.add(steps, coalition_path_figure(plan, names=names))
    comp = plan.comparison.drop(columns="who").copy()
    comp["total_effort"] = comp["total_effort"].astype(float).round(3)
    sec.add(comp.reset_index())
    sec.add("### Power map\n"
            "Mendelow's grid places everyone by power (the largest of voting power, formal "
            "authority and informal influence in the network, each scaled 0–1) and interest: "
            "*manage closely* the powerful and interested, *keep satisfied* the powerful but "
            "indifferent, *keep informed* the interested without power, *monitor* the rest. "
            "Mitchell, Agle & Wood add legitimacy and urgency: a stakeholder with all three "
            "attributes is *definitive* and comes first.")
    sec.add(power_interest_figure(pmap), salience_figure(pmap))
    pm = pmap[["name", "party", "power", "interest", "quadrant", "salience",
               "mendelow_engagement"]].copy()
    pm[["power", "interest"]] = pm[["power", "interest"]].round(2)
    sec.add(pm.reset_index(drop=True))
    if wi.packages is not None:
        pk, passing = wi.packages, wi.passing
        hl["packages_passing"] = wi.packages_passing
        hl["packages_total"] = int(wi.packages_total)
        sec.add("### Competing interests\n"
                "A package (one option per issue) is acceptable to a party when it gives them "
                "at least their reservation utility (by default their median package: no worse "
                "than a typical outcome). It can pass when we accept it and the parties that "
                "accept it hold enough votes. Among those, the best packages meet the most "
                "parties' interests, with the widest margin for the least satisfied.")
        if pk.attrs.get("n_passing_rule", "counted") != "counted":
            lo, hi = pk.attrs["n_passing_interval"]
            sec.add(f"This deal has {hl['packages_total']:,} packages, too many to list: the "
                    f"best {len(passing)} passing packages below are found exactly without "
                    f"listing the others, and about {hl['packages_passing']:,} can pass "
                    f"({md(pk.attrs['n_passing_rule'])}: {lo:,}–{hi:,}).")
        hl["best_package"] = wi.best_package
        if wi.best_package is not None:
            hl["best_package_breadth"] = int(passing.iloc[0]["breadth"])
            cols = pk.attrs["issues"] + [c for c in pk.columns if c.startswith("U(")] + \
                ["breadth", "votes_for", "min_surplus"]
            tbl = passing[cols].head(top_packages).copy()
            num = tbl.select_dtypes("number").columns
            tbl[num] = tbl[num].round(3)
            sec.add(tbl.reset_index(drop=True))
        else:
            sec.add("No package is acceptable to a winning coalition at these reservation "
                    "levels: widen the options or lower a reservation.")
    sec.headline = hl
    if wi.winning_now:
        tail = (f"today's supporters already hold {hl['support_now']:g} of the "
                f"{hl['quota']:g} votes needed.")
    elif hl["plan_order"]:
        tail = (f"today's supporters hold {hl['support_now']:g} of the {hl['quota']:g} votes "
                f"needed; win over {_md_list(hl['plan_order'])} in that order (effort "
                f"{hl['plan_effort_sequential']:.2f} one by one vs "
                f"{hl['plan_effort_collective']:.2f} together).")
    else:
        tail = (f"today's supporters hold {hl['support_now']:g} of the {hl['quota']:g} votes "
                "needed and no plan reaches the quota.")
    sec.summary = (f"{md(hl['top_power'])} holds the most voting power "
                   f"({hl['top_power_shapley_shubik']:.0%} Shapley–Shubik for "
                   f"{hl['top_power_weight_share']:.0%} of the votes); {tail}")
    return sec
