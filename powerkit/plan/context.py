"""Timing, roles, rivals and risks of the game plan.

* **timing** — the dated events of the deal file that move power against us (our alternative
  falls through, a rival becomes cheaper, their alternatives improve) and the deadlines of both
  sides: close before the first of them (METHOD.md §2, situational shifts).
* **roles** — our team (never a target, shown as "our reach") and the rivals (parties with side
  ``rival``: they compete with us for the counterpart's agreement; never advised as allies).
* **rivals** — per rival, a counter-strategy row: what they offer, where they are weaker than us
  (the positional inputs of the parties table where ours is higher), who backs them (the
  counterpart's people who listen to the rival's people, else the most opposed).
* **risks** — conclusions of walkthrough 3 that rest on a single piece of evidence (removing it
  flips the conclusion) and the question that settles each, with whom to ask.
"""
from __future__ import annotations

from datetime import date

import pandas as pd

from ..deal import number

__all__ = ["against_us", "timing", "roles", "rival_strategies", "risks", "who_can_answer",
           "POSITIONAL_INPUTS"]

#: the parties-table inputs compared between a rival and us (0..1, higher is stronger)
POSITIONAL_INPUTS = ("resources", "legal_position", "status", "external", "coalition_strength")


def against_us(deal, event) -> bool:
    """True when a dated event moves power against us: our BATNA or alternatives fall; the
    counterpart's rise; a rival's reservation price moves in the counterpart's favour (a rival
    seller's floor falls, a rival buyer's ceiling rises)."""
    p = deal.parties
    if event.target not in p.index:
        return False
    old = number(p.at[event.target, event.field]) if event.field in p.columns else None
    new = number(event.value)
    if old is None or new is None or event.field not in ("batna_value", "alternatives",
                                                         "reservation_price"):
        return False
    side = p.at[event.target, "side"]
    if event.target == deal.us and event.field in ("batna_value", "alternatives"):
        return new < old
    if event.target == deal.counterpart and event.field in ("batna_value", "alternatives"):
        return new > old
    if side == "rival" and event.field == "reservation_price":
        role = p.at[event.target, "role"] if "role" in p else "other"
        return new < old if role == "seller" else new > old if role == "buyer" else False
    return False


def timing(deal) -> tuple[date | None, pd.DataFrame]:
    """The date to close by and why: the first future event against us, else the earlier of the
    two deadlines (``None`` when neither exists). Returns ``(close_by, table)`` with one row per dated item considered
    (``date, what, against_us``)."""
    rows = []
    as_of = pd.Timestamp(deal.meta.as_of)
    if deal.has("events"):
        for e in deal.events.itertuples():
            if pd.Timestamp(e.date) > as_of:
                rows.append({"date": pd.Timestamp(e.date).date(), "what": str(e.description),
                             "against_us": against_us(deal, e)})
    for party, who in ((deal.us, "our"), (deal.counterpart, "their")):
        dl = deal.parties.at[party, "deadline"] if "deadline" in deal.parties else None
        if dl is not None and not pd.isna(dl) and pd.Timestamp(dl) > as_of:
            rows.append({"date": pd.Timestamp(dl).date(), "what": f"{who} deadline",
                         "against_us": who == "our"})
    table = pd.DataFrame(rows, columns=["date", "what", "against_us"]).sort_values(
        "date", kind="stable").reset_index(drop=True)
    first = table[table["against_us"]]
    deadlines = table[table["what"].isin(["our deadline", "their deadline"])]
    close_by = (first["date"].iloc[0] if len(first) else
                deadlines["date"].iloc[0] if len(deadlines) else None)
    return close_by, table


def roles(deal) -> dict:
    """``{"our_team": [names], "rivals": [party names]}``."""
    side = deal.stakeholders["party"].map(deal.parties["side"])
    ours = deal.stakeholders.loc[side == "us", "name"].astype(str).tolist()
    rivals = deal.parties.loc[deal.parties["side"] == "rival", "name"].astype(str).tolist()
    return {"our_team": ours, "rivals": rivals}


def rival_strategies(deal, currency_fmt) -> pd.DataFrame:
    """One counter-strategy row per rival party (``currency_fmt``: how money reads)."""
    p = deal.parties
    st = deal.stakeholders
    rows = []
    for rid in p.index[p["side"] == "rival"]:
        offer = None
        if deal.has("offers"):
            o = deal.offers[deal.offers["party"] == rid]
            if len(o):
                last = o[o["round"] == o["round"].max()]
                offer = "; ".join(f"{r.issue}: {r.option}" for r in last.itertuples())
        rp = number(p.at[rid, "reservation_price"])
        if offer is None and rp is not None:
            role = p.at[rid, "role"] if "role" in p else "other"
            offer = (f"can go as low as {currency_fmt(rp)}" if role == "seller" else
                     f"can go as high as {currency_fmt(rp)}" if role == "buyer" else
                     f"walk-away {currency_fmt(rp)}")
        weaker = [c.replace("_", " ") for c in POSITIONAL_INPUTS if c in p
                  and number(p.at[deal.us, c]) is not None and number(p.at[rid, c]) is not None
                  and number(p.at[deal.us, c]) > number(p.at[rid, c])]
        theirs = st.index[st["party"] == rid]
        cp = st.index[st["party"] == deal.counterpart]
        backers = []
        if deal.has("ties") and len(theirs):
            t = deal.ties
            backers = list(dict.fromkeys(t.loc[t["source"].isin(cp) & t["target"].isin(theirs),
                                               "source"]))
        if not backers and len(cp):
            backers = list(st.loc[cp, "stance"].sort_values(kind="stable").index[:2])
        rows.append({"rival": p.at[rid, "name"], "what_they_offer": offer or "not known",
                     "where_they_are_weaker": ", ".join(weaker) or "no input where we lead",
                     "who_backs_them": ", ".join(st.loc[backers, "name"].astype(str)) or "nobody known",
                     "counter": ("lead with " + weaker[0] if weaker else
                                 "compete on the value of the package, not on price")
                                + (f"; win over {st.at[backers[0], 'name']}" if backers else "")})
    return pd.DataFrame(rows, columns=["rival", "what_they_offer", "where_they_are_weaker",
                                       "who_backs_them", "counter"])


def who_can_answer(deal, hypothesis: str) -> str | None:
    """The person to ask about a hypothesis: its holder when that is a person we may talk to,
    else the best-trusted person of the holder's party (mean of the three trust ratings)."""
    holder = deal.hypotheses.at[hypothesis, "holder"]
    st = deal.stakeholders
    side = st["party"].map(deal.parties["side"])
    ok = ~side.isin(["us", "rival"])
    if holder in st.index and ok[holder]:
        return holder
    party = holder if holder in deal.parties.index else (
        st.at[holder, "party"] if holder in st.index else None)
    cand = st.index[(st["party"] == party) & ok]
    if not len(cand):
        return None
    trust = st.loc[cand, ["trust_competence", "trust_benevolence", "trust_reliability"]].mean(
        axis=1).fillna(0)
    return trust.sort_values(ascending=False, kind="stable").index[0]


def risks(deal, analysis) -> pd.DataFrame:
    """Conclusions resting on one piece of evidence (walkthrough 3's sensitivity: removing the
    item flips the conclusion) and the question that settles each (largest expected information
    gain among the questions about that hypothesis), with whom to ask."""
    sens = analysis.sensitivity
    q = analysis.questions
    rows = []
    for r in sens.itertuples():
        hyps = [h.strip() for h in str(r.on).replace("group ", "").split(",")]
        if r.on.startswith("group "):
            grp = r.on[len("group "):]
            hyps = list(deal.hypotheses.index[deal.hypotheses["group"] == grp])
        settle = None
        if len(q):
            about = q[q["hypotheses"].astype(str).apply(
                lambda s, hs=hyps: any(h in [x.strip() for x in s.split(",")] for h in hs))]
            if len(about):
                settle = about.sort_values("expected_gain_bits", ascending=False).iloc[0]
        target = hyps[0] if hyps and hyps[0] in deal.hypotheses.index else None
        ask = who_can_answer(deal, target) if target is not None else None
        rows.append({"conclusion": f"{r.on}: {r.conclusion_now}", "rests_on": r.evidence,
                     "evidence": r.description,
                     "without_it": r.conclusion_without,
                     "settle_with": None if settle is None else settle["question"],
                     "question": None if settle is None else settle["text"],
                     "ask": None if ask is None else deal.stakeholders.at[ask, "name"]})
    return pd.DataFrame(rows, columns=["conclusion", "rests_on", "evidence", "without_it",
                                       "settle_with", "question", "ask"])
