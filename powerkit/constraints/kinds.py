"""The catalogue of hidden-constraint kinds: what each kind is, the signals that give it away,
the levers that answer it, and how it changes the holder's positional inputs of
:mod:`powerkit.power` (``time``, ``resources``, ``batna``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

__all__ = ["POSITIONAL_INPUTS", "ConstraintKind", "CATALOGUE", "catalogue"]

#: The positional inputs of :mod:`powerkit.power` that a hidden constraint changes, all on the
#: power module's 0..1 scale where higher means more power for the party that holds them.
POSITIONAL_INPUTS = {
    "batna": "strength of the holder's best alternative (power.INPUTS['batna'])",
    "resources": "resources the holder can actually commit (power.INPUTS['resources'])",
    "time": "patience, the inverse of time pressure (power.INPUTS['time']): a hard deadline "
            "lowers it",
}


@dataclass(frozen=True)
class ConstraintKind:
    """One kind of hidden constraint: what it is, how it shows, what answers it.

    ``power_effects`` maps a positional input of :data:`POSITIONAL_INPUTS` to the change of the
    holder's value (power module scale 0..1, higher = more power) if the constraint holds;
    ``approach`` is the adjustment of our approach.
    """

    kind: str
    label: str
    what: str
    signals: tuple[str, ...]
    levers: tuple[str, ...]
    power_effects: Mapping[str, float]
    power_note: str
    approach: str


CATALOGUE: dict[str, ConstraintKind] = {k.kind: k for k in (
    ConstraintKind(
        "budget_pressure", "Budget pressure",
        "The money they can spend is tighter than their posture suggests: a frozen budget, a "
        "savings target, a ceiling set above their head.",
        ("keeps returning to payment terms or phasing", "concedes on scope but not on price",
         "mentions finance, the fiscal year or a freeze", "wants to sign after the next budget cycle"),
        ("phased payment or instalments", "a pilot or a smaller first scope",
         "move cost to another budget line (operating vs capital)",
         "a total-cost case they can take to finance"),
        {"resources": -0.2},
        "They can commit less than they show: their resources count for less.",
        "Stop pushing on price; shape the deal so it fits the budget they really have."),
    ConstraintKind(
        "political_exposure", "Political exposure",
        "The decision is visible and they will be judged on it; a choice that can be attacked "
        "internally is costly to them.",
        ("insists on a formal process or tender that is not required",
         "asks for well-known references", "worries how it looks to the board or works council",
         "draws more people into the decision than it needs"),
        ("give them a defensible story: references, benchmarks, an independent review",
         "share the credit publicly", "reduce visible risk: guarantees, exit clauses",
         "let them announce the result"),
        {},
        "Their positional power is unchanged; what changes is what they need to be able to say.",
        "Make the choice easy to defend; never corner them in front of their own people."),
    ConstraintKind(
        "personal_relationship", "Personal relationship",
        "A loyalty to a person (the incumbent, a colleague, a friend at a competitor) shapes "
        "their view beyond the merits of the offer.",
        ("names one person often", "the incumbent hears things early",
         "objections echo a competitor's arguments", "avoids meetings without a certain person"),
        ("do not attack the relationship", "involve the person or work through them",
         "build your own relationship through someone they trust",
         "make a change feel like no betrayal (a role for the incumbent, a transition)"),
        {"batna": 0.1},
        "The alternative the relationship stands for is worth more to them than it looks.",
        "Work with the relationship, not against it; map it in the influence network."),
    ConstraintKind(
        "career_risk", "Career risk",
        "Their job, promotion or reputation hangs on the outcome; they fear blame if it goes "
        "wrong, or need a visible success.",
        ("asks in detail about failures and who is liable", "wants guarantees and escape clauses",
         "new in the role or under review", "asks for things that protect them personally"),
        ("lower their personal risk: pilot, guarantees, success criteria they control",
         "make them the visible owner of a success", "share the decision with their sponsors"),
        {"batna": -0.1},
        "No agreement costs them personally: walking away is worth less to them than it looks.",
        "Sell safety before upside; give them a decision they can own."),
    ConstraintKind(
        "hard_deadline", "Hard deadline",
        "They must have an agreement by a date they may not reveal: a go-live, a regulation, "
        "the end of the fiscal year, an expiring contract.",
        ("asks about lead times and start dates", "sudden speed after slow phases",
         "the incumbent's contract is about to expire", "mentions an audit, launch or regulation date"),
        ("time key proposals before the deadline bites", "offer speed as value: fast start, "
         "interim solution", "make meeting their date easy rather than exploiting it openly"),
        {"time": -0.3},
        "Someone who cannot wait has less leverage than someone who can.",
        "Use the timing quietly; help them meet the date and trade speed for value."),
    ConstraintKind(
        "limited_authority", "Limited authority",
        "The person facing us cannot decide alone: a mandate limit, a committee, a boss or "
        "procurement rules bind them.",
        ("'I need to check with ...'", "agreements are reopened later",
         "defers on numbers above a threshold", "cannot commit to dates"),
        ("find out who really decides and what they need",
         "equip your counterpart to sell the deal internally (a one-page case)",
         "structure offers inside their mandate", "ask to meet the decider"),
        {},
        "Positional power unchanged (a tied hand can even make their limits credible); the "
        "systemic picture changes: the real decider sits elsewhere.",
        "Engage the real decision-maker; help your counterpart carry the case."),
    ConstraintKind(
        "competing_priority", "Competing priority",
        "Other projects compete for their attention, budget or people; our deal is not first on "
        "their list.",
        ("slow replies and moved meetings", "delegates to juniors",
         "talks about a reorganisation or another large project", "no date for the next step"),
        ("tie our deal to their top priority", "reduce their effort: we do the work, turnkey",
         "a small first commitment", "push after the other priority has peaked"),
        {"time": 0.1, "resources": -0.1},
        "They can wait (less time pressure) but have less to commit (fewer resources).",
        "Lower the effort it costs them and connect to what they care about now."),
    ConstraintKind(
        "prior_commitment", "Prior commitment to a competitor",
        "They lean towards, or have promised, another party already; our offer may only be a "
        "benchmark.",
        ("the specification matches a competitor's product", "questions are only about price",
         "little interest in our ideas", "the competitor is seen with the decider"),
        ("check that the decision is still open before investing more",
         "reframe the criteria towards our strengths", "find the people not committed (e.g. users)",
         "offer a low-risk comparison: a side-by-side pilot"),
        {"batna": 0.2},
        "Their alternative is stronger than it looks: our position is weaker than we think.",
        "Test whether the deal is open; win the criteria and the uncommitted people first."),
)}


def catalogue() -> pd.DataFrame:
    """The catalogue of constraint kinds as a table (one row per kind).

    Returns
    -------
    DataFrame
        Indexed by ``kind`` with columns label, what, signals, levers, power_effects, approach.

    Examples
    --------
    >>> cat = catalogue()
    >>> len(cat), cat.loc["hard_deadline", "power_effects"]
    (8, 'time -0.30')
    """
    rows = []
    for k in CATALOGUE.values():
        eff = ", ".join(f"{i} {d:+.2f}" for i, d in k.power_effects.items()) or "none"
        rows.append({"kind": k.kind, "label": k.label, "what": k.what,
                     "signals": "; ".join(k.signals), "levers": "; ".join(k.levers),
                     "power_effects": eff, "power_note": k.power_note, "approach": k.approach})
    return pd.DataFrame(rows).set_index("kind")
