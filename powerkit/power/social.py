"""Social proof and trust plans: per person on the other side, the reference to bring (and
through whom), and one action that builds their weakest dimension of trust in us.

Social proof (Cialdini 2001, ch. 4): people follow what others like them do, most of all
others they know and trust. The ``references`` table records which of our clients, projects or
peers each person knows, trusts or follows; a reference counts

    score = strength × relation weight,   weights: trusts 1, follows 0.7, knows 0.4

(trust outweighs following outweighs acquaintance — the order of Cialdini's similarity and
liking findings; the numbers are a stated default, not an estimate). The best reference is the
highest score; it is brought ``via`` the person recorded (someone who can vouch for it), else
by us.

Trust plan (Mayer, Davis & Schoorman 1995; Lewicki & Bunker 1996): the three dimensions of
:func:`~powerkit.power.trust.trust_profile` (reliability already updated by the commitments
record, :mod:`powerkit.deal.derived`), the weakest one, and one action for it:

* competence — bring the best reference (social proof), else what builds trust for them;
* benevolence — give first where it costs us least per unit of their gain: the option of an
  issue whose move from our best option costs us the least utility per unit of utility it gives
  them (walkthrough 4's additive utilities, :func:`~powerkit.power.ledger.issue_utilities`);
* reliability — deliver the earliest open promise we made them, else make a small dated
  promise and keep it.
"""
from __future__ import annotations

import pandas as pd

from .ledger import issue_utilities
from .trust import trust_profile

__all__ = ["RELATION_WEIGHTS", "social_proof", "goodwill_move", "trust_plan"]

RELATION_WEIGHTS = {"trusts": 1.0, "follows": 0.7, "knows": 0.4}


def social_proof(deal) -> pd.DataFrame:
    """Per person with references: the best reference, its relation and score, and who brings it.

    Returns
    -------
    DataFrame indexed by stakeholder: ``name``, ``reference``, ``relation``, ``score``, ``via``
    (stakeholder id or None), ``via_name`` ("us" when we bring it ourselves), ``others`` (how
    many other references they have). Empty without a ``references`` table.

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> import dataclasses
    >>> d = make_deal(8, seed=1)
    >>> who = d.stakeholders.index[d.stakeholders["party"] != d.us][0]
    >>> refs = pd.DataFrame({"stakeholder": [who, who], "reference": ["Acme", "Bolt"],
    ...                      "relation": ["knows", "trusts"], "via": [None, None],
    ...                      "strength": [1.0, 0.5]})
    >>> sp = social_proof(dataclasses.replace(d, references=refs))
    >>> sp.loc[who, "reference"], float(sp.loc[who, "score"])   # 0.5·1 beats 1·0.4
    ('Bolt', 0.5)
    """
    cols = ["name", "reference", "relation", "score", "via", "via_name", "others"]
    if not deal.has("references"):
        return pd.DataFrame(columns=cols).rename_axis("stakeholder")
    rf = deal.references.copy()
    rf["score"] = rf["strength"].fillna(1.0) * rf["relation"].map(RELATION_WEIGHTS)
    rf = rf.sort_values(["stakeholder", "score"], ascending=[True, False], kind="stable")
    names = deal.stakeholders["name"]
    rows = []
    for who, g in rf.groupby("stakeholder", sort=False):
        best = g.iloc[0]
        via = best["via"] if isinstance(best["via"], str) else None
        rows.append({"stakeholder": who, "name": names.get(who, who),
                     "reference": best["reference"], "relation": best["relation"],
                     "score": float(best["score"]), "via": via,
                     "via_name": "us" if via is None else names.get(via, via),
                     "others": len(g) - 1})
    return pd.DataFrame(rows, columns=["stakeholder", *cols]).set_index("stakeholder")


def goodwill_move(deal, prefer: tuple | None = None) -> dict | None:
    """The give that costs us least per unit of the counterpart's gain: for each issue, moving
    from our best option to another option; ``None`` without issues rated by both sides.

    Returns ``{"issue", "option", "cost_us", "gain_them"}`` (utilities 0..1 of the additive
    model) for the smallest ``cost_us / gain_them`` with ``gain_them > 0``. ``prefer`` (issue,
    option) — the game plan's first give — is taken instead when it gains them something, so
    the trust plan and the concession ladder name the same move.
    """
    if not deal.has("issues"):
        return None
    u = issue_utilities(deal.issues)
    us, them = deal.us, deal.counterpart
    mine = u[u["party"] == us].set_index(["issue", "option"])["utility"]
    theirs = u[u["party"] == them].set_index(["issue", "option"])["utility"]
    if mine.empty or theirs.empty:
        return None
    if prefer is not None and tuple(prefer) in mine.index and tuple(prefer) in theirs.index:
        issue, option = prefer
        g = mine.xs(issue, level="issue", drop_level=False)
        top = g.idxmax()
        gain = float(theirs[tuple(prefer)] - theirs.get(top, 0.0))
        if gain > 1e-12:
            return {"issue": issue, "option": option, "cost_us": float(g[top] - mine[tuple(prefer)]),
                    "gain_them": gain}
    best = None
    for issue, g in mine.groupby(level="issue", sort=False):
        top = g.idxmax()
        for key, v in g.items():
            if key == top or key not in theirs.index or top not in theirs.index:
                continue
            cost, gain = float(g[top] - v), float(theirs[key] - theirs[top])
            if gain <= 1e-12:
                continue
            ratio = cost / gain
            if best is None or ratio < best[0] - 1e-12:
                best = (ratio, {"issue": issue, "option": key[1], "cost_us": cost,
                                "gain_them": gain})
    return None if best is None else best[1]


def _open_promises(deal):
    """who → the sentence of the earliest open promise we made them (or their party), for
    everyone at once: the open promises by us sorted once by due date then date, the first per
    addressee kept (a stable sort, so each person's first is the one a per-person sort gives).
    Returns a function of a stakeholder id: the sentence or None."""
    if not deal.has("commitments"):
        return lambda who: None
    cm = deal.commitments
    st = deal.stakeholders
    ours = {deal.us} | set(st.index[st["party"] == deal.us])
    mine = cm[cm["by"].isin(ours) & (cm["status"] == "open")]
    mine = mine.sort_values(["due", "date"], na_position="last", kind="stable")
    first = {}
    for k, (to, promise, due) in enumerate(zip(mine["to"], mine["promise"], mine["due"],
                                               strict=True)):
        if to not in first:
            when = "" if pd.isna(due) else f" by {due.date().isoformat()}"
            first[to] = (k, f"deliver what we promised: {promise}{when}")
    party = st["party"]

    def promise_to(who):
        hits = [h for h in (first.get(who), first.get(party.get(who))) if h is not None]
        return min(hits)[1] if hits else None
    return promise_to


def trust_plan(deal, give: tuple | None = None) -> pd.DataFrame:
    """Per person of the counterpart and of third parties (not ours, not a rival's):
    competence, benevolence, reliability (updated by the record), the weakest, and one action
    for it (module docstring). Sorted by trust, lowest
    first (people with no rating last).

    Returns
    -------
    DataFrame indexed by stakeholder: ``name``, ``party``, ``competence``, ``benevolence``,
    ``reliability``, ``reliability_rated``, ``weakest``, ``action``, ``because``.
    """
    tp = trust_profile(deal)
    side = tp["party"].map(deal.parties["side"])
    tp = tp[~side.isin(["us", "rival"])]  # trust is built with the other side and third parties
    sp = social_proof(deal)
    give = goodwill_move(deal, prefer=give)
    rated = deal.stakeholders.get("trust_reliability_rated", deal.stakeholders["trust_reliability"])
    promise_to = _open_promises(deal)
    proof = sp.to_dict("index")
    rows = []
    for who, r in zip(tp.index, tp.to_dict("records"), strict=True):  # one row per person
        weakest = r["weakest"]
        if weakest is None:
            action, because = ("ask what would build trust for them", "no dimension of trust "
                               "is rated for this person")
        elif weakest == "competence":
            if who in proof:
                s = proof[who]
                verb = {"trusts": "trust", "follows": "follow", "knows": "know"}[s["relation"]]
                action = (f"bring the reference {s['reference']} (they {verb} it)"
                          + ("" if s["via"] is None else f" through {s['via_name']}"))
                because = "competence is their weakest dimension; social proof from a reference they value"
            else:
                action, because = r["next_step"], "competence is their weakest dimension"
        elif weakest == "benevolence":
            if give is not None and r["party"] == deal.counterpart:
                action = (f"give first on {give['issue']}: offer {give['option']} "
                          f"(costs us {give['cost_us']:.2f}, worth {give['gain_them']:.2f} to them "
                          "in utility)")
                because = "benevolence is their weakest dimension; the cheapest give per unit of their gain"
            else:
                action, because = r["next_step"], "benevolence is their weakest dimension"
        else:
            promise = promise_to(who)
            action = promise or ("make a small, dated promise and keep it (e.g. a written "
                                 "answer to their open question within a week)")
            because = ("reliability is their weakest dimension"
                       + (" and we owe them a promise" if promise else ""))
        rows.append({"stakeholder": who, "name": r["name"], "party": r["party"],
                     "competence": r["competence"], "benevolence": r["benevolence"],
                     "reliability": r["reliability"],
                     "reliability_rated": float(rated.get(who, float("nan"))),
                     "weakest": weakest, "action": action, "because": because})
    return pd.DataFrame(rows).set_index("stakeholder") if rows else pd.DataFrame(
        columns=["name", "party", "competence", "benevolence", "reliability",
                 "reliability_rated", "weakest", "action", "because"]).rename_axis("stakeholder")
