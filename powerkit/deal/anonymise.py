"""Anonymise a deal for sharing outside the client team: people become role labels.

Every stakeholder's name becomes a role label built from their title ("Operations manager",
numbered when two share a title) and their id becomes ``P01``, ``P02`` …, consistently in every
table, so text, tables and charts of a report agree. Free-text columns (titles aside) have each
person's full name, first name and last name replaced by the label too. Party names are kept: the client
knows who the parties are; it is the people who need protecting.
"""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from .model import Deal

__all__ = ["anonymise", "role_labels"]

_TEXT = {"hypotheses": ["statement"], "evidence": ["description", "source"],
         "questions": ["text"], "events": ["description", "value"], "offers": ["note"]}


def role_labels(stakeholders: pd.DataFrame) -> pd.Series:
    """Role label per stakeholder id: the title, numbered where several people share it.

    >>> s = pd.DataFrame({"title": ["Engineer", "Engineer", None]}, index=["a", "b", "c"])
    >>> role_labels(s).tolist()
    ['Engineer 1', 'Engineer 2', 'Stakeholder']
    """
    titles = stakeholders["title"].fillna("Stakeholder").astype(str).str.strip()
    titles = titles.where(titles != "", "Stakeholder")
    counts = Counter(titles)
    seen: Counter = Counter()
    labels = []
    for t in titles:
        if counts[t] > 1:
            seen[t] += 1
            labels.append(f"{t} {seen[t]}")
        else:
            labels.append(t)
    return pd.Series(labels, index=stakeholders.index, name="name")


def anonymise(deal: Deal) -> Deal:
    """A copy of ``deal`` with people replaced by role labels and neutral ids."""
    st = deal.stakeholders
    labels = role_labels(st)
    new_id = {old: f"P{i:02d}" for i, old in enumerate(st.index, start=1)}
    swaps = []  # (pattern, label): full names first, then first names
    for sid, name in st["name"].items():
        name = str(name)
        swaps.append((name, labels[sid]))
    for sid, name in st["name"].items():  # then single first and last names ("Stahl's")
        parts = str(name).split()
        for part in {parts[0], parts[-1]} if len(parts) > 1 else set():
            if len(part) > 2:
                swaps.append((part, labels[sid]))

    def scrub(text):
        if not isinstance(text, str):
            return text
        for pat, lab in swaps:
            text = re.sub(rf"(?<!\w){re.escape(pat)}(?!\w)", lab, text)
        return text

    ids = lambda v: new_id.get(v, v) if isinstance(v, str) else v  # noqa: E731
    s2 = st.copy()
    s2["name"] = labels
    s2["reports_to"] = s2["reports_to"].map(ids)
    s2.index = s2.index.map(ids)
    s2.index.name = st.index.name
    changes: dict = {"stakeholders": s2}
    if deal.ties is not None:
        t = deal.ties.copy()
        t["source"], t["target"] = t["source"].map(ids), t["target"].map(ids)
        changes["ties"] = t
    if deal.hypotheses is not None:
        h = deal.hypotheses.copy()
        h["holder"] = h["holder"].map(ids)
        changes["hypotheses"] = h
    if deal.events is not None:
        e = deal.events.copy()
        e["target"] = e["target"].map(ids)
        changes["events"] = e
    for table, cols in _TEXT.items():
        df = changes.get(table, getattr(deal, table))
        if df is None:
            continue
        df = df.copy()
        for c in cols:
            df[c] = df[c].map(scrub)
        changes[table] = df
    return deal.replace(**changes)
