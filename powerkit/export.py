"""Export a deal's result tables to Excel or CSV, safe to open in a spreadsheet.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab/CR before
one) as a formula — "CSV injection" (OWASP). A hostile name such as ``=HYPERLINK(...)`` in a deal
file would then act when the client opens the export. Every text cell that starts with one of
those characters is written with a leading apostrophe, which spreadsheets show as plain text;
numbers stay numbers.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .deal import Deal
from .paths import atomic_write

__all__ = ["neutralise", "neutralise_frame", "result_tables", "write_tables"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make one cell inert for spreadsheets.

    >>> neutralise('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise("-0.5"), neutralise(-0.5), neutralise("Sofia")
    ("'-0.5", -0.5, 'Sofia')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells, index and column names are all :func:`neutralise`d."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise)
    out.index = out.index.map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def result_tables(deal: Deal) -> dict[str, pd.DataFrame]:
    """Every table of every report section, keyed ``<section>-<n>`` (n from 1)."""
    from .sections import build_sections

    tables = {}
    for s in build_sections(deal):
        for n, df in enumerate(s.tables(), start=1):
            tables[f"{s.key}-{n}"] = df
    return tables


def write_tables(deal: Deal, out: str | Path, fmt: str = "xlsx") -> Path:
    """Write the result tables to ``out/<id>-tables.xlsx`` (one sheet a table) or to CSVs in
    ``out/<id>-tables/``. Cells are neutralised; files are complete or absent."""

    out = Path(out)
    tables = {k: neutralise_frame(v) for k, v in result_tables(deal).items()}
    if fmt == "csv":
        folder = out / f"{deal.id}-tables"
        folder.mkdir(parents=True, exist_ok=True)
        for key, df in tables.items():
            atomic_write(folder / f"{key}.csv", df.to_csv())
        return folder
    if fmt != "xlsx":
        raise ValueError(f"The 'fmt' parameter of write_tables must be 'xlsx' or 'csv'. Got {fmt!r} instead.")
    import io

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for key, df in tables.items():
            sheet = re.sub(r"[\[\]:*?/\\]", "_", key)[:31]
            df.to_excel(xw, sheet_name=sheet)
    path = out / f"{deal.id}-tables.xlsx"
    atomic_write(path, buf.getvalue())
    return path
