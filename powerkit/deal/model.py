"""The deal: one validated data model that every analysis reads.

A deal is a folder of CSVs plus ``deal.yaml``, or one ``.xlsx`` workbook with the same sheets
(docs/deal-format.md). :func:`powerkit.deal.load_deal` reads and validates it once; analysis code then trusts
its input.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from ..errors import InputError, MissingTableError

__all__ = ["Deal", "DealMeta", "TABLES", "number", "python_strings"]


def python_strings() -> None:
    """Store pandas' strings as Python objects (``mode.string_storage = "python"``) unless the
    user chose a storage.

    pandas 3 infers its ``str`` dtype for every column or Series of text, stored in pyarrow
    when pyarrow is installed ("auto"). powerkit does not need pyarrow, but the bench extra
    brings it (negmas), so the same deal ran on two different string implementations depending
    on the install. Its tables are small (tens to thousands of rows) and its analyses do many
    small string operations (ids compared, looked up, mapped): each one through pyarrow costs
    more than in Python. Measured on the sample deal's report work (2-core machine, 4 runs
    each, docs/performance.md, session 9): reading and validating the deal and its two history
    snapshots 1.20 → 1.05 s, the report's analyses and figures (``build_sections``) 3.39 →
    2.99 s. Values, missing
    values and dtypes (``str``) are the same either way; only the storage differs. Called when
    the deal model is imported; an explicit choice (``pd.set_option("mode.string_storage",
    "pyarrow")`` before importing powerkit) is kept."""
    if pd.get_option("mode.string_storage") == "auto":
        pd.set_option("mode.string_storage", "python")


python_strings()

TABLES = ("parties", "stakeholders", "ties", "issues", "hypotheses", "evidence", "questions",
          "events", "offers", "scenarios", "positions", "perceived_ties",
          "commitments", "references")


@dataclass(frozen=True)
class DealMeta:
    """The contents of ``deal.yaml``."""

    id: str
    title: str
    decision: str
    us: str
    counterpart: str
    as_of: date
    currency: str = "EUR"
    prepared_for: str = ""
    quota: int | None = None
    decision_rule: str = "quota"  # sign_off | quota | quota_and_sign_off (deal.meta.default_rule)
    #: ranges of the inputs for the uncertainty analysis: (name, spread) pairs, a name being a
    #: column, a table or a kind (rating, stance, money, probability, weight)
    spreads: tuple = ()


@dataclass(frozen=True, eq=False)
class Deal:
    """A validated deal. Tables are DataFrames with the columns of docs/deal-format.md
    (every optional column present, blanks as NaN/None); an absent table is ``None``.

    Index conventions: ``parties`` is indexed by ``party``, ``stakeholders`` by ``stakeholder``,
    ``hypotheses`` by ``hypothesis``; the other tables keep a RangeIndex.
    """

    meta: DealMeta
    parties: pd.DataFrame
    stakeholders: pd.DataFrame
    ties: pd.DataFrame | None = None
    issues: pd.DataFrame | None = None
    hypotheses: pd.DataFrame | None = None
    evidence: pd.DataFrame | None = None
    questions: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    offers: pd.DataFrame | None = None
    scenarios: pd.DataFrame | None = None  # named what-ifs (powerkit.scenarios)
    positions: pd.DataFrame | None = None  # actors' positions on decision issues (forecast)
    perceived_ties: pd.DataFrame | None = None  # each person's view of the network (perception)
    commitments: pd.DataFrame | None = None  # promises and whether they were kept (reliability)
    references: pd.DataFrame | None = None  # whom each person knows among our references
    source: str = field(default="", compare=False)
    #: the parties table as the deal file gives it, kept by what-ifs and dated events that
    #: replace ``parties`` (walk-away prices move with the change of an alternative's value)
    entered_parties: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    @property
    def parties_as_entered(self) -> pd.DataFrame:
        """The parties table as entered (before events and what-ifs)."""
        return self.parties if self.entered_parties is None else self.entered_parties

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def us(self) -> str:
        return self.meta.us

    @property
    def counterpart(self) -> str:
        return self.meta.counterpart

    def has(self, table: str) -> bool:
        """True when the deal has a non-empty ``table``."""
        df = getattr(self, table)
        return df is not None and len(df) > 0

    def table(self, table: str, analysis: str = "this analysis") -> pd.DataFrame:
        """The table, or a :class:`MissingTableError` naming it and the analysis that needs it."""
        if table not in TABLES:
            raise InputError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
        if not self.has(table):
            raise MissingTableError(table, analysis)
        return getattr(self, table)

    def equals(self, other: Deal) -> bool:
        """True when both deals have the same meta and equal tables (DataFrame.equals); an
        empty table equals an absent one (:meth:`has`: a workbook has a sheet for every table)."""
        if self.meta != other.meta:
            return False
        for t in TABLES:
            a, b = getattr(self, t), getattr(other, t)
            if self.has(t) != other.has(t) or (self.has(t) and not a.equals(b)):
                return False
        return True

    def replace(self, **changes) -> Deal:
        """A copy with some tables (or ``meta``) replaced; used by what-if analyses. Replacing
        ``parties`` keeps the table as entered (:attr:`parties_as_entered`)."""
        if "parties" in changes and "entered_parties" not in changes:
            changes["entered_parties"] = self.parties_as_entered
        return replace(self, **changes)


def number(value) -> float | None:
    """A deal cell as a finite float, or ``None`` for a blank, text or a non-finite value.

    >>> number("1.5"), number(None), number(float("nan")), number("n/a")
    (1.5, None, None, None)
    """
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None
