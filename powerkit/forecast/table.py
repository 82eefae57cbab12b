"""The positions table ("long table") every forecasting model reads: one row per actor × issue.

Columns: ``actor`` (str), ``issue`` (str), ``position`` (float, on the issue's numeric scale),
``salience`` (float in [0, 1]), ``capability`` (float ≥ 0), and ``scale_low``/``scale_high``
(what the ends of the issue's scale mean; text or None). :func:`positions_table` builds it from a
deal's ``positions`` table; :func:`check_table` validates a table built by hand. Formulas and
choices: docs/methods/forecast.md §1.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..deal.model import number
from ..deal.more_tables import CAPABILITY_FROM_VOTES
from ..errors import InputError, MissingTableError

__all__ = ["COLUMNS", "SCALE_COLUMNS", "check_table", "positions_table", "issues_of",
           "weights", "ANALYSIS"]

#: the columns every long table has
COLUMNS = ("actor", "issue", "position", "salience", "capability")
#: optional columns naming the ends of each issue's scale
SCALE_COLUMNS = ("scale_low", "scale_high")
#: how the forecast names itself in a :class:`~powerkit.errors.MissingTableError`
ANALYSIS = "the forecast of the decision (walkthrough 6)"


def _fail(func: str, where: str, got, expected: str) -> InputError:
    if isinstance(got, np.generic):
        got = got.item()
    return InputError(f"{func}: {where}: got {got!r}; expected {expected}.")


def check_table(table, func: str = "check_table") -> pd.DataFrame:
    """A validated copy of a positions table, or an :class:`~powerkit.errors.InputError`
    naming the row, the column and the value at fault.

    Rows are named by the table's index label (a deal's table has a RangeIndex: row 0 is the
    file's line 2). The copy has exactly the columns :data:`COLUMNS` (floats for the numbers,
    text for actor and issue) and :data:`SCALE_COLUMNS` (None where blank), and a fresh
    RangeIndex.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per actor × issue with the columns :data:`COLUMNS` (the scale columns are
        optional; any other column is dropped).
    func : str
        The function named in the error messages.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        Not a DataFrame, a missing column, no rows, a blank actor or issue, a position,
        salience or capability that is not a finite number, a salience outside [0, 1], a
        negative capability, an actor listed twice on an issue, or an issue on which nobody has
        weight (every capability × salience is 0: no model can say where it lands).

    Examples
    --------
    >>> t = pd.DataFrame({"actor": ["a", "b"], "issue": "x", "position": [0, 10],
    ...                   "salience": [1.0, 0.5], "capability": [1, 2]})
    >>> check_table(t)[["actor", "position", "capability"]].to_dict("list")
    {'actor': ['a', 'b'], 'position': [0.0, 10.0], 'capability': [1.0, 2.0]}
    >>> check_table(t.assign(salience=[1.0, 1.5]))
    Traceback (most recent call last):
    ...
    powerkit.errors.InputError: check_table: row 1, column 'salience': got 1.5; expected a number in [0, 1].
    """
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"{func}: the positions table must be a pandas DataFrame with the "
                         f"columns {', '.join(COLUMNS)}. Got {type(table).__name__} instead.")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"{func}: the positions table has no column {', '.join(map(repr, missing))}"
                         f"; expected the columns {', '.join(COLUMNS)} (got "
                         f"{', '.join(map(str, table.columns)) or 'none'}).")
    if len(table) == 0:
        raise InputError(f"{func}: the positions table is empty; expected at least one row "
                         f"(actor, issue, position, salience, capability).")
    out = {}
    for col in ("actor", "issue"):
        v = table[col]
        text = v.astype(str).str.strip()
        bad = (v.isna() | (text == "")).to_numpy()
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise _fail(func, f"row {table.index[k]!r}, column '{col}'", v.iloc[k],
                        f"a non-blank {col} name")
        out[col] = v.astype(str).tolist()
    for col in ("position", "salience", "capability"):
        v = table[col]
        if v.dtype == bool:
            x = pd.Series(np.nan, index=v.index)
        else:
            x = pd.to_numeric(v, errors="coerce").astype(float)
            if v.dtype == object:
                x[v.map(lambda e: isinstance(e, bool)).to_numpy(dtype=bool)] = np.nan
        arr = x.to_numpy(dtype=float)
        bad = ~np.isfinite(arr)
        expected = "a finite number"
        if not bad.any() and col == "salience":
            bad, expected = (arr < 0.0) | (arr > 1.0), "a number in [0, 1]"
        if not bad.any() and col == "capability":
            bad, expected = arr < 0.0, "a number ≥ 0"
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise _fail(func, f"row {table.index[k]!r}, column '{col}'", v.iloc[k], expected)
        out[col] = arr
    for col in SCALE_COLUMNS:
        if col in table.columns:
            out[col] = [None if v is None or (isinstance(v, float) and math.isnan(v))
                        or not str(v).strip() else str(v) for v in table[col]]
        else:
            out[col] = [None] * len(table)
    clean = pd.DataFrame({c: out[c] for c in COLUMNS})
    for col in SCALE_COLUMNS:  # object columns: a blank stays None (not the str dtype's NaN)
        clean[col] = pd.Series(out[col], dtype=object)
    dup = clean.duplicated(["actor", "issue"], keep="first").to_numpy()
    if dup.any():
        k = int(np.flatnonzero(dup)[0])
        raise _fail(func, f"row {table.index[k]!r}, column 'actor'", clean["actor"].iloc[k],
                    f"one row per actor and issue ({clean['actor'].iloc[k]!r} already has a row "
                    f"on {clean['issue'].iloc[k]!r})")
    w = clean["capability"] * clean["salience"]
    total = w.groupby(clean["issue"], sort=False).sum()
    if (total <= 0).any():
        issue = total.index[np.flatnonzero((total <= 0).to_numpy())[0]]
        raise InputError(f"{func}: issue {issue!r}: every actor's capability × salience is 0, so "
                         f"no model can say where it lands; expected someone with a capability "
                         f"> 0 and a salience > 0 on it.")
    return clean


def issues_of(table: pd.DataFrame) -> pd.Index:
    """The issues of a (checked) table in the order they first appear.

    >>> issues_of(pd.DataFrame({"issue": ["b", "a", "b"]})).tolist()
    ['b', 'a']
    """
    return pd.Index(pd.unique(table["issue"]), name="issue")


def weights(table: pd.DataFrame) -> pd.Series:
    """Each row's weight in the compromise model, capability × salience (cᵢsᵢ).

    >>> weights(pd.DataFrame({"capability": [2.0, 1.0], "salience": [0.5, 0.25]})).tolist()
    [1.0, 0.25]
    """
    return (table["capability"] * table["salience"]).rename("weight")


def positions_table(deal) -> pd.DataFrame:
    """The deal's ``positions`` table as a long table with every capability a number.

    A ``capability`` cell holds a number ≥ 0, the word ``voting_power`` or nothing. The word
    is the actor's vote weight in the deciding body (``stakeholders.vote_weight``: the votes
    the actor casts, the "capability" of the Council studies, where it is the member state's
    QMV votes); a blank counts 1 (every actor equally capable, so only salience weighs).

    Parameters
    ----------
    deal : powerkit.Deal

    Returns
    -------
    pandas.DataFrame
        :func:`check_table`'s shape.

    Raises
    ------
    MissingTableError
        If the deal has no ``positions`` table.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> positions_table(load_reference("krackhardt"))
    Traceback (most recent call last):
    ...
    powerkit.errors.MissingTableError: the forecast of the decision (walkthrough 6) needs the 'positions' table, which this deal does not have; add positions.csv to the deal folder (or a 'positions' sheet to the workbook) — see docs/deal-format.md
    """
    if not deal.has("positions"):
        raise MissingTableError("positions", ANALYSIS)
    pos = deal.positions.copy()
    st = deal.stakeholders
    votes = pd.to_numeric(st["vote_weight"], errors="coerce")
    votes.index = st.index.astype(str)
    cap = []
    for label, actor, c in zip(pos.index, pos["actor"], pos["capability"], strict=True):
        if c is None or (isinstance(c, float) and math.isnan(c)) or not str(c).strip():
            cap.append(1.0)
        elif str(c).strip() == CAPABILITY_FROM_VOTES:
            v = votes.get(str(actor))
            if v is None or not math.isfinite(v):
                raise InputError(f"positions_table: row {label!r}, column 'capability': got "
                                 f"{c!r}; expected a number ≥ 0 ('{CAPABILITY_FROM_VOTES}' needs "
                                 f"a stakeholder with a vote_weight, and {actor!r} has none).")
            cap.append(float(v))
        else:
            x = number(str(c).strip().replace("_", ""))
            cap.append(c if x is None else x)
    pos["capability"] = cap
    return check_table(pos, "positions_table")
