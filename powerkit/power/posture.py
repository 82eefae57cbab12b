"""Posture: what follows from the balance and its sources, as a transparent table of rules, each
with its reason and the numbers that fired it (METHOD.md §3–5)."""
from __future__ import annotations

import pandas as pd

from .balance import PowerProfile

__all__ = ["posture", "compared"]


def compared(name: str, value: float, op: str, threshold: float) -> str:
    """A comparison as text, with as many decimals as it takes for the two sides to read
    differently (never "0.50 < 0.50"; at most 6).

    >>> compared("frame fit", 0.4987, "<", 0.5), compared("access", 0.31, "<", 0.5)
    ('frame fit 0.499 < 0.500', 'access 0.31 < 0.50')
    """
    for d in range(2, 7):
        a, b = f"{value:.{d}f}", f"{threshold:.{d}f}"
        if a != b:
            return f"{name} {a} {op} {b}"
    return f"{name} {value:.6g} {op} {threshold:.6g}"


def posture(profile: PowerProfile, strong: float = 0.05, very: float = 0.15,
            low_trust: float = 0.5, low_fit: float = 0.5, low_access: float = 0.5
            ) -> pd.DataFrame:
    """The posture that follows from the balance and its sources, as a transparent rule table.

    Each row is a rule that fired: the recommendation (METHOD.md §3–5), the reason, and the
    numbers that triggered it. Thresholds are parameters so a consultant can see and change them.

    Returns
    -------
    DataFrame
        ``rule, recommendation, reason, numbers, method`` in order of priority.
    """
    b = profile.balance
    bs = profile.by_source
    inp = profile.inputs
    mine = inp[inp["party"] == profile.us]
    val = dict(zip(mine["input"], mine["value"], strict=True))
    assumed = dict(zip(mine["input"], mine["assumed"], strict=True))
    split = profile.split
    rules = []

    def rule(name, rec, reason, numbers, method):
        rules.append({"rule": name, "recommendation": rec, "reason": reason,
                      "numbers": numbers, "method": method})

    bal = f"balance {b:+.2f}"
    if b >= strong:
        rule("more power: use it indirectly",
             "Show strength through actions, insight and capability, never through threats; "
             "let the strength set the context quietly.",
             f"the balance favours us (≥ {strong:+.2f})", bal, "§4 power without intimidation")
        rule("more power: create value from strength",
             "Use the advantage to build a package that works for both sides rather than to "
             "extract concessions: people who feel exploited do the minimum and leave.",
             f"the balance favours us (≥ {strong:+.2f})", bal, "§4 win-win from strength")
    if b >= very:
        rule("much more power: strategic restraint",
             "Do not press the advantage to its limit; protect core interests, be direct about "
             "advantages without arrogance.",
             f"the balance strongly favours us (≥ {very:+.2f})", bal,
             "§4 strategic restraint; §5 more power")
    if b <= -strong:
        rule("less power: create value and build relationships",
             "Do not demand concessions you cannot justify; show benefits beyond the "
             "transaction and invest in the relationship.",
             f"the balance favours them (≤ {-strong:+.2f})", bal, "§5 less power")
    if b <= -very:
        rule("much less power: name the imbalance",
             "Acknowledge the imbalance openly and move the conversation to mutual benefit.",
             f"the balance strongly favours them (≤ {-very:+.2f})", bal, "§5 less power")
    if -strong < b < strong:
        rule("balanced: shift power through value creation",
             "Neither side can impose: compete on the value you contribute, which is the most "
             "stable kind of power.",
             f"the balance is within ±{strong:.2f}", bal, "§5 shifting power through value creation")
    if bs["positional"] > 0.02 and bs["psychological"] < -0.02:
        rule("positional edge, psychological deficit",
             "Our edge is positional: use it quietly and spend the effort on trust and framing, "
             "where we are behind.",
             "positional sources favour us while psychological ones favour them",
             f"positional {bs['positional']:+.3f}, psychological {bs['psychological']:+.3f}",
             "§1, §3")
    if bs["systemic"] < -0.02:
        rule("systemic deficit: build access",
             "The system around the deal favours them: map who really decides and build access "
             "to them and their advisers before pressing on terms.",
             "systemic sources favour them",
             f"systemic {bs['systemic']:+.3f}, access {val['access']:.2f}", "§2, §6")
    trust = {k: val[k] for k in ("trust_competence", "trust_benevolence", "trust_reliability")}
    mean_trust = sum(trust.values()) / 3
    if not all(assumed[k] for k in trust) and mean_trust < low_trust:
        weakest = min(trust, key=trust.get).replace("trust_", "")
        rule("low trust: build it where it is weakest",
             f"Trust in us is below {low_trust:.2f}; work first on {weakest}, using what builds "
             "trust for each person (see the trust profile).",
             compared("mean trust", mean_trust, "<", low_trust),
             ", ".join(f"{k.replace('trust_', '')} {v:.2f}" for k, v in trust.items()), "§3")
    fit = val["frame_fit"]
    if not assumed["frame_fit"] and fit < low_fit:
        rule("weak frame fit: reframe",
             "Connect the proposal to problems they already recognise, so it reads as the "
             "obvious answer rather than a pitch.",
             compared("frame fit", fit, "<", low_fit), f"frame fit {fit:.2f}", "§3 frame control")
    acc = val["access"]
    if not assumed["access"] and acc < low_access:
        rule("little access to decision-makers",
             "Too few of the people who matter on their side can be reached directly: build "
             "those relationships (the influence walkthrough ranks whom to approach).",
             compared("access", acc, "<", low_access), f"access {acc:.2f}", "§2, §7")
    if split is not None:
        w = split.weight_us
        if w >= 0.55:
            rule("time is on our side",
                 "Their time pressure is higher: avoid rushing and do not reveal urgency, but "
                 "do not exploit their deadline openly.",
                 "our BRW weight ≥ 0.55", f"weight {w:.2f}", "§2 situational shifts")
        elif w <= 0.45:
            rule("time works against us",
                 "Our time pressure is higher: create options that ease our deadline and keep it "
                 "out of the conversation.",
                 "our BRW weight ≤ 0.45", f"weight {w:.2f}", "§2 situational shifts")
        if not split.zopa.exists:
            rule("no ZOPA",
                 "No price works for both sides: improve the alternatives or enlarge what is on "
                 "the table (other issues, value creation) before talking price.",
                 "the buyer's highest price is below the seller's lowest",
                 f"gap {split.zopa.gap:,.0f}", "§5 value creation")
    rec = val["reciprocity"]
    if not assumed["reciprocity"]:
        if rec < 0.4:
            rule("reciprocate",
                 "They have given more ground than we have: a genuine concession now invites "
                 "reciprocity and builds goodwill.",
                 "reciprocity balance < 0.40", f"reciprocity {rec:.2f}", "§3 reciprocity")
        elif rec > 0.6:
            rule("ask for reciprocity",
                 "We have given more ground: name it and ask for a matching move before "
                 "conceding again.",
                 "reciprocity balance > 0.60", f"reciprocity {rec:.2f}", "§3 reciprocity")
    return pd.DataFrame(rules, columns=["rule", "recommendation", "reason", "numbers", "method"])
