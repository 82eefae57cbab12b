"""The exceptions powerkit raises. One base class; each message says what to do."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PowerkitError", "DealError", "Problem", "MissingTableError", "NoAgreement"]


class PowerkitError(Exception):
    """Base class of every error powerkit raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem in a deal file: where it is, what was there, what was expected."""

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str

    def line(self) -> str:
        where = self.file
        is_meta = self.file == "deal.yaml" or self.file.endswith("sheet 'deal'")
        if self.row is not None:
            where += f", {'line' if self.file == 'deal.yaml' else 'row'} {self.row}"
        if self.column is not None:
            where += f", {'key' if is_meta else 'column'} '{self.column}'"
        value = "" if self.value is None else f": got {self.value!r}"
        return f"{where}{value}; expected {self.expected}"


class DealError(PowerkitError):
    """A deal file is invalid. ``problems`` lists every problem found (validation is lazy)."""

    def __init__(self, problems: list[Problem], path: str = ""):
        self.problems = list(problems)
        self.path = path
        n = len(self.problems)
        head = f"{path}: {n} problem{'s' if n != 1 else ''} in the deal file"
        super().__init__("\n".join([head] + ["  " + p.line() for p in self.problems]))


class MissingTableError(PowerkitError):
    """An analysis needs a table the deal does not have."""

    def __init__(self, table: str, analysis: str = "this analysis"):
        self.table = table
        super().__init__(
            f"{analysis} needs the '{table}' table, which this deal does not have; "
            f"add {table}.csv to the deal folder (or a '{table}' sheet to the workbook) — "
            f"see docs/deal-format.md"
        )


class NoAgreement(PowerkitError):
    """No agreement is possible: the disagreement point lies beyond what can be reached."""
