"""Anonymise a deal for sharing outside the client team: people become role labels.

Every stakeholder's name becomes a role label built from their title ("Operations manager",
numbered when two share a title) and their id becomes ``P01``, ``P02`` …, consistently in every
table, so text, tables and charts of a report agree. Free-text columns have each person's full
name, first name and last name replaced by the label too. Party names are kept: the client
knows who the parties are; it is the people who need protecting.

Rules that hold for any text, whatever characters names and titles contain (backslashes, ``$``,
``\\g<0>``, regex metacharacters, NUL…):

- names are matched literally, as whole words (:func:`_name_pattern`), and replaced in one pass
  by a function, so a label is never read as a regex replacement template;
- a title that names someone ("Assistant to Ada Berg") has the name replaced by that person's
  new id ("Assistant to P03"), in the ``title`` column and in the label built from it; a label
  that would still contain a name (a title such as "Ada" when someone is called "Ada 1") or that
  is a new id becomes the person's own new id;
- free text is scrubbed until no name is left (a replacement can complete a name with the text
  around it); text that still contains a name after a few passes is withheld as a whole
  (``[withheld: names]``, or an empty text if a name occurs in that marker).
"""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from .model import Deal

__all__ = ["anonymise", "role_labels"]

_TEXT = {"hypotheses": ["statement"], "evidence": ["description", "source"],
         "questions": ["text"], "events": ["description", "value"], "offers": ["note"]}
WITHHELD = "[withheld: names]"
_PASSES = 5


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


def _name_pattern(names) -> re.Pattern | None:
    """One regex matching any of ``names`` as a whole word, taken literally, longest first.

    An edge of a name that is a word character must not touch another word character (``Ada`` is
    not found in ``Adam``); an edge that is not (``=X(1)``, ``O'Reyes.``) needs no boundary.
    Regex metacharacters in names are literal. ``None`` when there is no (non-empty) name.

    >>> p = _name_pattern(["Ada", "a.b$", "\\\\g<0>"])
    >>> [m.group() for m in p.finditer("Adam, Ada; a.b$x ya.b$ \\\\g<0>")]
    ['Ada', 'a.b$', '\\\\g<0>']
    """
    alts = []
    for n in sorted({str(n) for n in names if str(n)}, key=lambda n: (-len(n), n)):
        head = r"(?<!\w)" if re.match(r"\w", n[0]) else ""
        tail = r"(?!\w)" if re.match(r"\w", n[-1]) else ""
        alts.append(f"{head}{re.escape(n)}{tail}")
    return re.compile("|".join(alts)) if alts else None


def _pieces(st: pd.DataFrame) -> list[tuple[str, object]]:
    """(text, stakeholder id): full names first, then first and last names longer than 2."""
    out = [(str(name).strip(), sid) for sid, name in st["name"].items()]
    for sid, name in st["name"].items():  # single first and last names ("Stahl's")
        parts = str(name).split()
        for part in (parts[0], parts[-1]) if len(parts) > 1 else ():
            if len(part) > 2:
                out.append((part, sid))
    return [(p, sid) for p, sid in out if p]


def anonymise(deal: Deal) -> Deal:
    """A copy of ``deal`` with people replaced by role labels and neutral ids."""
    st = deal.stakeholders
    new_id = {old: f"P{i:02d}" for i, old in enumerate(st.index, start=1)}
    owner: dict[str, object] = {}
    for piece, sid in _pieces(st):
        owner.setdefault(piece, sid)  # a full name wins over someone else's first name
    pattern = _name_pattern(owner)

    def sub(text: str, to: dict) -> str:
        return pattern.sub(lambda m: to[owner[m.group()]], text) if pattern else text

    titles = st["title"].map(lambda t: sub(t, new_id) if isinstance(t, str) else t)
    labels = role_labels(pd.DataFrame({"title": titles}, index=st.index))
    if pattern:
        taken = set(new_id.values())
        labels = pd.Series([new_id[sid] if pattern.search(lab) or lab in taken else lab
                            for sid, lab in labels.items()], index=labels.index, name="name")

    def scrub(text):
        if not isinstance(text, str) or pattern is None:
            return text
        for _ in range(_PASSES):
            if not pattern.search(text):
                return text
            text = sub(text, labels)
        if pattern.search(text):  # withheld as a whole ("" if a name is in the marker itself)
            return "" if pattern.search(WITHHELD) else WITHHELD
        return text

    ids = lambda v: new_id.get(v, v) if isinstance(v, str) else v  # noqa: E731
    s2 = st.copy()
    s2["name"] = labels
    s2["title"] = titles.map(scrub)
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
