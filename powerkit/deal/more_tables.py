"""Deal tables added after the first format: ``positions`` (walkthrough 6, forecasting a
multi-party decision), ``perceived_ties`` (walkthrough 2, cognitive social structures),
``commitments`` (the reliability ledger: what each side promised, kept or broken) and
``references`` (social proof: which of our clients, projects or peers each person knows).

Their columns follow the same :class:`~powerkit.deal.schemas.Col` specification as every table
(``schemas.SPEC`` merges :func:`specs`); :func:`reference_problems` adds their cross-table
rules to step 3 of validation. docs/deal-format.md documents them.
"""
from __future__ import annotations

import math

import pandas as pd

__all__ = ["specs", "KEYS", "CAPABILITY_FROM_VOTES", "COMMITMENT_STATUS", "REFERENCE_RELATIONS",
           "reference_problems"]

COMMITMENT_STATUS = ("open", "kept", "partly", "broken")
REFERENCE_RELATIONS = ("knows", "trusts", "follows")

#: the word a ``positions.capability`` cell may hold instead of a number: the actor's voting
#: power from walkthrough 5 (their vote weight in the deciding body)
CAPABILITY_FROM_VOTES = "voting_power"


def specs(col, tie_kinds) -> dict[str, list]:
    """The column specifications, built with the schemas module's ``Col`` factory (kept there
    so that one factory makes every column)."""
    return {
        "positions": [
            col("actor", "id", True, "who takes the position: a party or a stakeholder id"),
            col("issue", "text", True, "the decision issue (one numeric scale per issue)"),
            col("position", "number", True, "the actor's preferred outcome on the issue's scale"),
            col("salience", "number", True, "how much the issue matters to the actor 0..1",
                lo=0.0, hi=1.0),
            col("capability", "text", help="the actor's weight in the decision: a number ≥ 0, or "
                f"'{CAPABILITY_FROM_VOTES}' for their vote weight in the deciding body "
                "(stakeholders.vote_weight); blank: 1"),
            col("scale_low", "text", help="what the low end of the issue's scale means (one "
                "text per issue)"),
            col("scale_high", "text", help="what the high end of the issue's scale means (one "
                "text per issue)"),
        ],
        "perceived_ties": [
            col("perceiver", "id", True, "whose view of the network this row is (a stakeholder id)"),
            col("source", "id", True, "who listens, as the perceiver sees it (a stakeholder id)"),
            col("target", "id", True, "who is listened to, as the perceiver sees it (a stakeholder id)"),
            col("kind", "choice", True, "kind of tie", choices=tie_kinds),
        ],
        "commitments": [
            col("commitment", "id", True, "short id"),
            col("by", "id", True, "who promised (a party or stakeholder id)"),
            col("to", "id", True, "to whom (a party or stakeholder id)"),
            col("promise", "text", True, "what was promised"),
            col("date", "date", True, "when it was promised"),
            col("due", "date", help="when it was due"),
            col("status", "choice", True, "open, kept, partly or broken",
                choices=COMMITMENT_STATUS),
        ],
        "references": [
            col("stakeholder", "id", True, "the person (a stakeholder id)"),
            col("reference", "text", True, "one of our clients, projects or peers"),
            col("relation", "choice", True, "knows, trusts or follows", choices=REFERENCE_RELATIONS),
            col("via", "id", help="who can bring the reference to them (a stakeholder id; blank: "
                "we can cite it ourselves)"),
            col("strength", "number", help="how much the reference counts for them 0..1",
                lo=0.0, hi=1.0, default=1.0),
        ],
    }


KEYS = {"positions": ["actor", "issue"],
        "perceived_ties": ["perceiver", "source", "target", "kind"],
        "commitments": ["commitment"], "references": ["stakeholder", "reference"]}


def _number(s) -> float | None:
    try:
        x = float(str(s).strip().replace("_", ""))
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def reference_problems(t: dict[str, pd.DataFrame], parties: set | None, people: set | None):
    """Cross-table problems of the new tables as (table, row, column, value, expected) tuples."""
    out = []
    pos = t.get("positions")
    if pos is not None:
        both = None if parties is None or people is None else parties | people
        st = t.get("stakeholders")
        votes = ({} if st is None else
                 {s: v for s, v in zip(st["stakeholder"], st["vote_weight"], strict=True)})
        for i, r in enumerate(pos.itertuples(index=False)):
            row = i + 2
            if both is not None and r.actor is not None and r.actor not in both:
                out.append(("positions", row, "actor", r.actor,
                            "a party or stakeholder id (add them or fix the id)"))
            c = r.capability
            if c is None:
                continue
            if str(c).strip() == CAPABILITY_FROM_VOTES:
                v = votes.get(r.actor)
                if v is None or (isinstance(v, float) and math.isnan(v)):
                    out.append(("positions", row, "capability", c,
                                f"a number ≥ 0 ('{CAPABILITY_FROM_VOTES}' needs a stakeholder "
                                "with a vote_weight)"))
                continue
            x = _number(c)
            if x is None or x < 0:
                out.append(("positions", row, "capability", c,
                            f"a number ≥ 0 or '{CAPABILITY_FROM_VOTES}'"))
        for col in ("scale_low", "scale_high"):
            for issue, g in pos.groupby("issue", sort=False, dropna=True):
                texts = g[col].dropna().unique()
                if len(texts) > 1:
                    out.append(("positions", int(g.index[0]) + 2, col, issue,
                                f"one {col} per issue ('{issue}' has several: "
                                + ", ".join(map(str, texts)) + ")"))
    pt = t.get("perceived_ties")
    if pt is not None:
        out += _unknown("perceived_ties", pt, ("perceiver", "source", "target"), people,
                        "a stakeholder id from stakeholders (add the person or fix the id)")
        for i, (s, g) in enumerate(zip(pt["source"], pt["target"], strict=True)):
            if s is not None and s == g:
                out.append(("perceived_ties", i + 2, "target", g,
                            "a different person than the source (no self-ties)"))
    both = None if parties is None or people is None else parties | people
    cm = t.get("commitments")
    if cm is not None:
        out += _unknown("commitments", cm, ("by", "to"), both,
                        "a party or stakeholder id (add them or fix the id)")
        for i, (d, due) in enumerate(zip(cm["date"], cm["due"], strict=True)):
            if pd.notna(d) and pd.notna(due) and due < d:
                out.append(("commitments", i + 2, "due", due.date().isoformat(),
                            f"a date on or after the promise ({d.date().isoformat()})"))
    rf = t.get("references")
    if rf is not None:
        out += _unknown("references", rf, ("stakeholder", "via"), people,
                        "a stakeholder id from stakeholders (add the person or fix the id)")
    return out


def _unknown(table: str, df: pd.DataFrame, cols, allowed: set | None, expected: str) -> list:
    """Problems for ids in ``cols`` that are not in ``allowed`` (None: not checked — the table
    that defines them is missing, which is one problem already)."""
    if allowed is None:
        return []
    return [(table, i + 2, col, v, expected) for col in cols
            for i, v in enumerate(df[col]) if v is not None and v not in allowed]
