"""One engagement sequence: whom to meet, in which order, for what, asking and giving what.

It reconciles three walkthroughs that each answer "whom first?" their own way:

* **influence** (walkthrough 2) — the contacts that raise the forecast decision most through the
  people who listen to them (Friedkin–Johnsen opinion dynamics, greedy CELF plan);
* **votes and gates** (walkthrough 5, the decision rule) — the votes that close a winning
  coalition, and every sign-off holder whose approval the rule requires;
* **questions** (walkthrough 3) — the next best question, asked of the person who can answer it
  (the holder of the hypothesis it tests, or the best-trusted contact at the holder's party).

Order: people who move others come first (their influence then works on everyone met later:
the momentum of sequential engagement, Sebenius 1996) — firm opponents among them (stance
≤ −0.5) after the movable ones — then the votes that close the coalition,
then the sign-offs (they approve what the others already support); a question is asked at the
first meeting with the person who can answer it. Our own team and rivals are never targets.
"""
from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

__all__ = ["GIVE_BY_TRUST_BASIS", "engagement_sequence", "ENGAGEMENT_COLUMNS", "FIRM_OPPONENT"]

ENGAGEMENT_COLUMNS = ["order", "who", "name", "party", "purpose", "ask", "give", "when",
                      "because"]

#: what to bring to a person, by what builds their trust (stakeholders.trust_basis; METHOD.md §3:
#: different people need different grounds for trust)
GIVE_BY_TRUST_BASIS = {
    "track_record": "a reference case from a comparable client, with numbers",
    "feeling_understood": "time to hear their concerns first, and a summary back in their words",
    "constraint_awareness": "a proposal that visibly works within their constraints",
    "shared_values": "what we will do beyond the contract for the people affected",
}
_PURPOSE_ORDER = {"move": 0, "vote": 1, "sign_off": 2, "question": 3}
#: a stance at or below this is a firm opponent: met after the movable people
FIRM_OPPONENT = -0.5


def _side_of(deal) -> pd.Series:
    return deal.stakeholders["party"].map(deal.parties["side"])


def targets(deal) -> pd.Index:
    """People the plan may court: everyone not of our party and not of a rival party."""
    side = _side_of(deal)
    return deal.stakeholders.index[~side.isin(["us", "rival"])]


def _gives(deal, who: str, first_give: str | None, trust: dict | None = None) -> str:
    basis = deal.stakeholders.at[who, "trust_basis"] if "trust_basis" in deal.stakeholders \
        else None
    parts = []
    if trust and who in trust:  # the trust plan's action for their weakest dimension
        parts.append(trust[who])
    elif isinstance(basis, str) and basis in GIVE_BY_TRUST_BASIS:
        parts.append(GIVE_BY_TRUST_BASIS[basis])
    if first_give and not (parts and all(x in parts[0] for x in first_give.split(": ", 1))):
        parts.append(first_give)  # unless the trust action already offers that same give
    return "; ".join(parts) or "a clear account of what the proposal does for them"


def engagement_sequence(deal, *, influence_steps: pd.DataFrame | None,
                        vote_steps: pd.DataFrame | None, sign_off: list,
                        question: dict | None, close_by: date | None,
                        first_give: str | None = None, budget: int | None = None,
                        trust: dict | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The merged sequence and the sentences explaining where the models disagree.

    Parameters
    ----------
    influence_steps : DataFrame or None
        Walkthrough 2's plan steps (``stakeholder``, ``gain``), in its order.
    vote_steps : DataFrame or None
        Walkthrough 5's coalition plan steps (``stakeholder``), in its order.
    sign_off : list
        Stakeholder ids whose sign-off the decision rule requires.
    question : dict or None
        ``{"question", "text", "who"}``: the next best question and whom to ask.
    close_by : date or None
        Meetings are spread evenly between the deal's ``as_of`` date and this date.
    first_give : str or None
        What we give first (the first rung of the concession ladder), offered to the first
        person who votes or signs.
    budget : int or None
        At most this many people from the influence plan (the contact budget).
    trust : dict or None
        Stakeholder id → the trust plan's action (:func:`powerkit.power.social.trust_plan`),
        brought to that person instead of the generic give of their trust basis.

    Returns
    -------
    (DataFrame, list of str)
        One row per person (columns :data:`ENGAGEMENT_COLUMNS`) and the explanations.
    """
    allowed = set(targets(deal))
    names = deal.stakeholders["name"].astype(str)
    party_name = deal.stakeholders["party"].map(deal.parties["name"]).astype(str)
    purposes: dict[str, list[str]] = {}

    def add(who, purpose):
        if who in allowed and purpose not in purposes.setdefault(who, []):
            purposes[who].append(purpose)

    movers = [] if influence_steps is None else list(influence_steps["stakeholder"])
    if budget is not None:
        movers = movers[:budget]
    voters = [] if vote_steps is None else list(vote_steps["stakeholder"])
    for w in movers:
        add(w, "move")
    for w in voters:
        add(w, "vote")
    for w in sign_off:
        add(w, "sign_off")
    if question is not None and question.get("who") in allowed:
        add(question["who"], "question")
    purposes = {w: p for w, p in purposes.items() if p}

    stance = deal.stakeholders["stance"] if "stance" in deal.stakeholders else None
    # a firm opponent (stance at or below FIRM_OPPONENT) is met after the other people who
    # move opinion: the conversation then starts from a coalition in the making (momentum)
    firm = {w for w in purposes if "move" in purposes[w] and stance is not None
            and stance.get(w, 0) is not None and stance.get(w, 0) <= FIRM_OPPONENT}

    def key(w):
        p = purposes[w]
        first = min(_PURPOSE_ORDER[x] for x in p)
        within = (movers.index(w) if w in movers else voters.index(w) if w in voters
                  else sign_off.index(w) if w in sign_off else 0)
        return (first, w in firm, within)

    order = sorted(purposes, key=key)
    start = deal.meta.as_of
    n = len(order)
    rows = []
    gave = False
    for k, w in enumerate(order, start=1):
        p = purposes[w]
        asks, because = [], []
        if "move" in p:
            asks.append("their support, passed on to those who listen to them")
            because.append("moves the forecast decision through the people who listen to them")
        if "vote" in p:
            asks.append("their vote")
            because.append("their vote closes a winning coalition")
        if "sign_off" in p:
            asks.append("sign-off on the target package")
            because.append("the decision needs their sign-off")
        if "question" in p:
            asks.append(f"an answer to: \u201c{question['text']}\u201d")
            because.append("they can answer the question that tells us most")
        give = _gives(deal, w, None if gave or not ({"vote", "sign_off"} & set(p))
                      else first_give, trust)
        gave = gave or ({"vote", "sign_off"} & set(p)) != set()
        when = None
        if close_by is not None and close_by > start:
            when = start + timedelta(days=round(k * (close_by - start).days / (n + 1)))
        rows.append({"order": k, "who": w, "name": names[w], "party": party_name[w],
                     "purpose": ", ".join(_label(x) for x in p), "ask": "; ".join(asks),
                     "give": give, "when": when, "because": "; ".join(because)})
    seq = pd.DataFrame(rows, columns=ENGAGEMENT_COLUMNS)
    notes = _explain(names, movers, voters, sign_off, order)
    moved = [w for w in movers if w in firm and w in order]
    if moved and movers and movers[0] in firm:
        notes.append(f"{', '.join(names[w] for w in moved)} move{'s' if len(moved) == 1 else ''}"
                     " the forecast most but "
                     + ("is" if len(moved) == 1 else "are") + " firmly opposed (stance "
                     + ", ".join(f"{stance[w]:+.2f}" for w in moved) + "): met after the people "
                     "who can be won first, so the conversation starts from support already "
                     "gathered.")
    return seq, notes


def _label(purpose: str) -> str:
    return {"move": "move opinion", "vote": "win a vote", "sign_off": "win sign-off",
            "question": "test a hypothesis"}[purpose]


def _explain(names, movers, voters, sign_off, order) -> list[str]:
    """One sentence per disagreement between the models, saying which order the plan follows."""
    notes = []
    pos = {w: i for i, w in enumerate(order)}
    m = min((w for w in movers if w in pos), key=pos.get, default=None)  # first met
    v = next((w for w in reversed(voters) if w in pos), None)  # the vote that closes it
    if m is not None and v is not None and m != v and pos[m] < pos[v]:
        notes.append(f"{names[v]} closes the vote, {names[m]} moves opinion: meet "
                     f"{names[m]} first, then {names[v]} (people met later are already "
                     "influenced by those met first).")
    late = [w for w in sign_off if w in pos and (m is not None or v is not None)
            and w not in movers and w not in voters]
    if late:
        notes.append(f"{', '.join(names[w] for w in late)} must sign off but neither moves "
                     "others nor closes the vote: met last, to approve what the others support.")
    return notes
