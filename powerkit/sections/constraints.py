"""The report's "likely hidden constraints" section, and the sentences walkthrough 3 shows
between its tables (the analysis is :mod:`powerkit.constraints`).

Every number comes from a :class:`~powerkit.constraints.ConstraintAnalysis` or a
:class:`~powerkit.constraints.PowerShift`; names from the deal file reach Markdown only through
:func:`powerkit.text.esc`.
"""
from __future__ import annotations

from .. import constraints as pc
from ..errors import PowerkitError
from ..plots.constraints import ach_figure, posterior_figure, question_figure
from ..text import md
from . import Section

__all__ = ["section", "TEACHING", "deal_note", "rests_on_note", "next_question_note",
           "power_note"]

TEACHING = (
    "People carry constraints they cannot or will not talk about: money that is tighter than "
    "it looks, a decision they will be judged on, a date they must meet, a promise already "
    "made to someone else. These constraints drive behaviour more than the positions on the "
    "table. We write each suspicion down as a hypothesis with a prior, rate what we have seen "
    "against it, and let Bayes' rule weigh the lot. Two disciplines from the analysis of "
    "competing hypotheses matter most: look for evidence that *discriminates* (an observation "
    "that fits every hypothesis tells us nothing), and know which single observations the "
    "conclusion rests on. The cheapest way to learn more is usually a well-chosen question: "
    "we rank the question bank by how much each answer is expected to reduce our uncertainty.")


def section(deal, result=None, **params) -> Section:
    """The report's "likely hidden constraints" section: the constraints, the evidence they
    rest on, and what to ask next.

    Parameters
    ----------
    deal : Deal
    **params
        Passed to :func:`powerkit.constraints.analyse` (off, ratings, credibility, answers,
        threshold).

    Returns
    -------
    Section
        ``missing`` is set when the deal has no hypotheses table.
    """
    title = "Likely hidden constraints"
    sec = Section(key="constraints", title=title)
    if not deal.has("hypotheses"):
        sec.missing = "No hypotheses table in this deal: hidden constraints left out."
        return sec

    a = result if result is not None else pc.analyse(deal, **params)
    h = a.hypotheses
    best = a.leading()
    next_q = a.next_question()
    headline = {
        "n_hypotheses": int(len(h)),
        "n_evidence": int(len(a.contributions)),
        "likely": [str(x) for x in a.likely().index],
        "top_hypothesis": str(best.name),
        "top_kind": str(best["kind"]),
        "top_holder": str(best["holder"]),
        "top_holder_name": pc.holder_name(deal, best["holder"]),
        "top_posterior": round(float(best["posterior"]), 3),
        "fragile_items": a.fragile_items(),
        "next_question": None if next_q is None else str(next_q["question"]),
        "next_question_text": None if next_q is None else str(next_q["text"]),
        "next_question_gain_bits": None if next_q is None
        else round(float(next_q["expected_gain_bits"]), 3),
        "entropy_bits": round(a.entropy_bits, 3),
        "threshold": float(a.params["threshold"]),
    }
    sec.headline = headline
    label = pc.CATALOGUE[headline["top_kind"]].label.lower()
    s = (f"The most probable hidden constraint is {label} for "
         f"{md(headline['top_holder_name'])} ({headline['top_posterior']:.0%}); "
         f"{len(headline['likely'])} of {headline['n_hypotheses']} hypotheses reach "
         f"{headline['threshold']:.0%} or more.")
    if headline["next_question"] is not None:
        s += (f" The next best question — “{md(headline['next_question_text'])}” "
              f"({md(headline['next_question'])}) — is expected to gain "
              f"{headline['next_question_gain_bits']:.2f} bits.")
    sec.summary = s
    table = h[["holder", "kind", "statement", "prior", "posterior", "conclusion"]].copy()
    table[["prior", "posterior"]] = table[["prior", "posterior"]].round(2)
    sec.add(TEACHING, table.sort_values("posterior", ascending=False),
            posterior_figure(a),
            "**How to read it:** grey bars are what we believed before the evidence, coloured "
            "bars what we believe now. Hypotheses in one group compete (their bars sum to "
            "100 %); the others are each weighed against their own negation.",
            ach_figure(a),
            "**The evidence matrix.** Each cell is the weight of an observation for a "
            "hypothesis in bits (green: it fits, red: it contradicts; one bit doubles or "
            "halves the odds). The bottom strip is each item's diagnosticity: items that fit "
            "every hypothesis equally have none, however convincing they feel.")
    if len(a.sensitivity):
        fr = a.sensitivity.copy()
        fr[["posterior_now", "posterior_without"]] = fr[["posterior_now",
                                                         "posterior_without"]].round(2)
        sec.add("**What the view rests on.** Removing any one of these items would change a "
                "conclusion: check them before acting on it.", fr)
    else:
        sec.add("**What the view rests on.** No single evidence item flips a conclusion when "
                "removed: the view is carried by several observations together.")
    if len(a.questions):
        top = a.questions.head(5)[["rank", "question", "text", "expected_gain_bits",
                                   "p_yes", "largest_swing"]].copy()
        top[["expected_gain_bits", "p_yes", "largest_swing"]] = top[
            ["expected_gain_bits", "p_yes", "largest_swing"]].round(3)
        sec.add("**What to ask next.** Questions ranked by the uncertainty their answer is "
                "expected to remove (bits); the swing is how far one hypothesis moves between "
                "a yes and a no.", top, question_figure(a))
    plan = pc.constraint_plan(a, deal)
    if len(plan):
        plan = plan.round(2)
        # shown as one short block per constraint (three long text columns shrink to a few
        # words a line on paper); exported as the table it is
        plan.attrs["cards"] = ("constraint", ["approach", "levers", "watch_for", "power"])
        sec.add("**What follows for our approach.** For each likely constraint: the approach "
                "it calls for, the levers that answer it, and the signals that would confirm "
                "it.", plan)
    try:
        shift = pc.power_shift(deal, a)
    except (PowerkitError, ValueError, KeyError):  # the power picture is optional here
        shift = None
    if shift is not None and len(shift.table):
        headline["balance_before"] = round(shift.balance_before, 3)
        headline["balance_after"] = round(shift.balance_after, 3)
        sec.add(f"**What follows for power.** Each hypothesis changes its holder's positional "
                f"inputs in proportion to its probability (a counterpart under budget "
                f"pressure or a hard deadline has less positional power than it shows; one "
                f"already committed to a competitor has more). Taken together they move the "
                f"power balance from {headline['balance_before']:+.3f} to "
                f"{headline['balance_after']:+.3f} (positive: in our favour).",
                shift.table.round(3))
    return sec


# --------------------------------------------------------------------------------------------
# the sentences walkthrough 3 shows between its tables (Markdown, names escaped)
# --------------------------------------------------------------------------------------------

def deal_note(deal, analysis) -> str:
    """The walkthrough's opening line: the deal, its decision, and how much there is to weigh.

    >>> import powerkit
    >>> from powerkit.paths import sample_deal
    >>> deal = powerkit.load_deal(sample_deal("small-renewal"))
    >>> deal_note(deal, pc.analyse(deal)).startswith("**")
    True
    """
    return (f"**{md(deal.meta.title)}** — decision: {md(deal.meta.decision)}. "
            f"{len(analysis.hypotheses)} hypotheses, {len(analysis.contributions)} evidence "
            f"items, {len(analysis.questions)} questions in the bank.")


def rests_on_note(analysis) -> str:
    """The line above the table of single items that flip a conclusion (or that there are none)."""
    if len(analysis.sensitivity):
        return ("**What the view rests on** — removing any one of these items would flip a "
                "conclusion:")
    return ("**No single item flips a conclusion**: every conclusion rests on several "
            "observations.")


def next_question_note(analysis) -> str:
    """The line above the outcomes of the next best question (or that there is no question)."""
    q = analysis.next_question()
    if q is None:
        return "No questions in this deal."
    return f"**If we ask {md(q['question'])} next** — what each answer would do:"


def power_note(shift) -> str:
    """The power balance before and after the hidden constraints (a
    :class:`~powerkit.constraints.PowerShift`)."""
    return (f"Power balance **{shift.balance_before:+.3f}** before and "
            f"**{shift.balance_after:+.3f}** after taking the hidden constraints into account.")
