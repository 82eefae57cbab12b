"""Every exception powerkit raises, and the one argument-check helper (base layer: imports nothing
of powerkit). One base class; each message says what to do."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PowerkitError", "DealError", "Problem", "MissingTableError", "NoAgreement", "InputError",
           "InvalidGameError", "NotStochasticError", "NoConsensusError", "bad_argument",
           "finite_pair"]


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


class InputError(PowerkitError, ValueError):
    """An argument of a powerkit function is out of its documented range or of the wrong kind.

    Also a ``ValueError``, so callers that catch the built-in keep working."""


class InvalidGameError(InputError):
    """The weights or quota do not describe a valid weighted voting game."""


class NotStochasticError(InputError):
    """A matrix that must be row-stochastic (rows summing to 1) is not."""


class NoConsensusError(InputError):
    """An opinion-dynamics process does not converge to a consensus."""


def bad_argument(param: str, func: str, must: str, got, error: type[InputError] = InputError
                 ) -> InputError:
    """The one argument-check message of powerkit (scikit-learn's wording): which parameter of
    which function, what it must be, what it got (shortened past 120 characters).

    >>> str(bad_argument("alpha", "nash", "in [0, 1]", 2))
    "The 'alpha' parameter of nash must be in [0, 1]. Got 2 instead."
    """
    g = repr(got)
    if len(g) > 120:
        g = g[:117] + "..."
    return error(f"The '{param}' parameter of {func} must be {must}. Got {g} instead.")


def finite_pair(value, param: str, func: str, names: str = "(us, them)") -> tuple[float, float]:
    """Two finite numbers, or :func:`bad_argument`'s error.

    >>> finite_pair([1, "2.5"], "d", "f")
    (1.0, 2.5)
    """
    import math

    try:
        a, b = value
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        raise bad_argument(param, func, f"a pair of finite numbers {names}", value) from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise bad_argument(param, func, f"a pair of finite numbers {names}", value)
    return a, b
