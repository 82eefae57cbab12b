"""Input changes between two versions of a deal, and a deal with some of them applied.

A change is one of: a row added, a row removed, a cell changed (table, key of the row, column),
or a ``deal.yaml`` value changed (table ``deal``). Rows are matched by the table's key columns
(``schemas.KEYS``: ``parties`` by party, ``ties`` by source + target + kind, …); ``events``, which
has no key, by its whole row. :func:`apply_changes` rebuilds a deal from the old version with any
subset of the changes applied — the players of the Shapley attribution
(:mod:`powerkit.versions.attribution`).
"""
from __future__ import annotations

import dataclasses
import math
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from ..deal import TABLES, Deal
from ..deal.derived import RATED, apply_commitments
from ..deal.schemas import INDEX, KEYS, SPEC

__all__ = ["Change", "input_changes", "apply_changes", "changes_frame"]

META_FIELDS = ("title", "decision", "us", "counterpart", "as_of", "currency", "prepared_for",
               "quota", "decision_rule", "spreads")


@dataclass(frozen=True)
class Change:
    """One input change. ``kind`` is ``added``, ``removed`` or ``changed``; ``key`` is the
    row's key as a tuple (``()`` for deal.yaml); ``column`` is ``None`` for a whole row."""

    table: str
    key: tuple
    kind: str
    column: str | None = None
    old: object = None
    new: object = None

    @property
    def label(self) -> str:
        """A short human label: ``stakeholders[cfo].stance``, ``ties[a/b/advice] added``."""
        return self.named({})

    def named(self, names: dict) -> str:
        """:attr:`label` with the key's ids read through ``names`` (id → name a reader sees)."""
        key = "/".join(str(names.get(k, _plain(k))) if isinstance(k, str) else _plain(k)
                       for k in self.key)
        where = f"{self.table}[{key}]" if self.key else self.table
        if self.kind == "changed":
            return f"{where}.{self.column}"
        return f"{where} {self.kind}"


def _plain(v) -> str:
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT


def _same(a, b) -> bool:
    if _blank(a) and _blank(b):
        return True
    if _blank(a) or _blank(b):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def _rows(deal: Deal, table: str) -> dict[tuple, dict]:
    """Rows of ``table`` by key, each a dict of every column (the index as a column)."""
    df = getattr(deal, table)
    if df is None or len(df) == 0:
        return {}
    if table in INDEX:
        df = df.reset_index()
    if RATED in df.columns:  # compare the rating as entered, not the value derived from it
        df = df.assign(trust_reliability=df[RATED])
    cols = [c.name for c in SPEC[table]]
    recs = df[cols].to_dict("records")
    key_cols = KEYS.get(table)
    out: dict[tuple, dict] = {}
    seen: Counter = Counter()
    for r in recs:
        if key_cols:
            k = tuple(r[c] for c in key_cols)
        else:  # events: the whole row, numbered when repeated
            base = tuple(_plain(r[c]) for c in cols)
            seen[base] += 1
            k = base + ((seen[base],) if seen[base] > 1 else ())
        out[k] = r
    return out


def input_changes(old: Deal, new: Deal) -> list[Change]:
    """Every input change from ``old`` to ``new``, in table order then row order.

    Examples
    --------
    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> d = load_deal(sample_deal("small-renewal"))
    >>> input_changes(d, d)
    []
    """
    out: list[Change] = []
    for f in META_FIELDS:
        a, b = getattr(old.meta, f), getattr(new.meta, f)
        if not _same(a, b):
            out.append(Change("deal", (), "changed", f, a, b))
    for table in TABLES:
        ro, rn = _rows(old, table), _rows(new, table)
        key_cols = KEYS.get(table) or []
        for k, r in ro.items():
            if k not in rn:
                out.append(Change(table, k, "removed", None, r, None))
                continue
            for c, v in r.items():
                if c in key_cols:
                    continue
                w = rn[k][c]
                if not _same(v, w):
                    out.append(Change(table, k, "changed", c, v, w))
        for k, r in rn.items():
            if k not in ro:
                out.append(Change(table, k, "added", None, None, r))
    return out


def changes_frame(changes: list[Change]) -> pd.DataFrame:
    """The changes as a table: table, key, column, change, old, new, label."""
    return pd.DataFrame(
        [{"table": c.table, "key": "/".join(map(_plain, c.key)), "column": c.column,
          "change": c.kind, "old": None if c.kind != "changed" else c.old,
          "new": None if c.kind != "changed" else c.new, "label": c.label} for c in changes],
        columns=["table", "key", "column", "change", "old", "new", "label"])


def _memo_rows(deal: Deal, table: str, memo: dict | None) -> dict[tuple, dict]:
    """``_rows(deal, table)``, kept in ``memo`` (keyed by the deal's identity) when given: the
    rows are only read, never changed, by :func:`_table`."""
    if memo is None:
        return _rows(deal, table)
    key = (id(deal), table)
    if key not in memo:
        memo[key] = (deal, _rows(deal, table))  # the deal kept: its id cannot be reused
    return memo[key][1]


def _table(old: Deal, new: Deal, table: str, changes: list[Change], memo: dict | None = None):
    ro = _memo_rows(old, table, memo)
    rows = dict(ro)
    for c in changes:
        if c.kind == "removed":
            rows.pop(c.key, None)
        elif c.kind == "added":
            rows[c.key] = dict(c.new)
        elif c.key in rows:
            rows[c.key] = {**rows[c.key], c.column: c.new}
    like = getattr(old, table) if getattr(old, table) is not None else getattr(new, table)
    if like is not None and RATED in like.columns:
        like = like.drop(columns=RATED)
    if not rows:
        other = getattr(new, table) if getattr(old, table) is not None else getattr(old, table)
        return None if like is None or other is None else like.iloc[0:0]
    # row order: the new version's order for rows it has, then the rest in the old order
    rn = list(_memo_rows(new, table, memo))
    pos = {k: i for i, k in enumerate(rn)}
    po = {k: i for i, k in enumerate(ro)}
    order = sorted(rows, key=lambda k: (0, pos[k], 0) if k in pos else (1, po.get(k, 0), 0))
    cols = [c.name for c in SPEC[table]]
    df = pd.DataFrame([rows[k] for k in order], columns=cols)
    if like is not None:
        ref = like.reset_index() if table in INDEX else like
        for c in cols:
            if c in ref.columns and df[c].dtype != ref[c].dtype:
                try:
                    df[c] = df[c].astype(ref[c].dtype)
                except (TypeError, ValueError):
                    pass
    if table in INDEX:
        df = df.set_index(INDEX[table], drop=True)
    return df


def apply_changes(old: Deal, new: Deal, changes: list[Change], memo: dict | None = None) -> Deal:
    """``old`` with ``changes`` (a subset of ``input_changes(old, new)``) applied.

    Rows keep the new version's order where they exist there, so applying every change gives a
    deal equal to ``new`` (:meth:`Deal.equals`) and applying none gives ``old``'s content.
    ``memo``: a dict shared by calls on the same two versions (the 2ⁿ subsets of a Shapley
    attribution), so that each version's rows are read out of its tables once.
    """
    meta = old.meta
    meta_changes = {c.column: c.new for c in changes if c.table == "deal"}
    if meta_changes:
        meta = dataclasses.replace(meta, **meta_changes)
    by_table: dict[str, list[Change]] = {}
    for c in changes:
        if c.table != "deal":
            by_table.setdefault(c.table, []).append(c)
    tables = {t: _table(old, new, t, cs, memo) for t, cs in by_table.items()}
    # inputs derived at load time (derived.apply_commitments) are derived again
    return apply_commitments(dataclasses.replace(old, meta=meta, entered_parties=None, **tables))
