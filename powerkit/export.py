"""Export a deal's result tables to Excel or CSV, safe to open in a spreadsheet.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab/CR before
one) as a formula — "CSV injection" (OWASP). A hostile name such as ``=HYPERLINK(...)`` in a deal
file would then act when the client opens the export. Numbers stay numbers; text is made inert:

- **xlsx**: every text cell keeps its exact text. A cell that starts with one of those characters
  is stored as a string (``data_type "s"``, never a formula) with the cell style's
  ``quotePrefix`` set — what Excel itself records when a user types ``'=1+1``: the cell shows
  ``=1+1``, with no visible apostrophe, and is never evaluated, not even after editing it.
  Characters an xlsx file cannot hold (the control characters U+0000–U+0008, U+000B, U+000C,
  U+000E–U+001F, :data:`openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE`) are each replaced by U+FFFD
  "�" (:func:`xlsx_text`), so a name with a NUL byte is exported, visibly marked, instead of
  failing the export. A carriage return is kept, but XML readers (openpyxl too) read it as LF.
- **csv** has no cell types: a text cell that starts with one of those characters gets a leading
  apostrophe (:func:`neutralise`), which spreadsheets show as plain text.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .deal import Deal
from .paths import atomic_write

__all__ = ["neutralise", "neutralise_frame", "result_tables", "write_tables", "xlsx_text", "REPLACEMENT"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"
"""What :func:`xlsx_text` puts in place of each character an xlsx cell cannot hold."""


def xlsx_text(value):
    """``value`` with every character an xlsx cell cannot hold replaced by U+FFFD; not text: as is.

    >>> xlsx_text("Ada\\x00Berg\\x1b"), xlsx_text("tab\\tand\\nnewline"), xlsx_text(2.5)
    ('Ada�Berg�', 'tab\\tand\\nnewline', 2.5)
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value) if isinstance(value, str) else value


def _xlsx_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells, index and column names are all :func:`xlsx_text`."""
    return _map_text(df, xlsx_text, keep_column_levels=True)


def _map_text(df: pd.DataFrame, fn, keep_column_levels: bool = False) -> pd.DataFrame:
    """A copy of ``df`` with ``fn`` applied to every text cell, the index and the column names
    (a MultiIndex of columns kept as it is when ``keep_column_levels``)."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(fn)
    out.index = out.index.map(fn)
    if keep_column_levels:
        out.columns = out.columns.map(fn) if out.columns.nlevels == 1 else out.columns
    else:
        out.columns = [fn(str(c)) for c in out.columns]
    return out


def _inert_cells(ws) -> None:
    """Store every formula-looking text cell of worksheet ``ws`` as quote-prefixed text."""
    for row in ws.iter_rows():
        for cell in row:
            v = cell.value
            if isinstance(v, str) and (cell.data_type == "f" or v.startswith(_FORMULA_START)):
                cell.data_type = "s"
                cell.quotePrefix = True


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
    return _map_text(df, neutralise)


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
    ``out/<id>-tables/``. Cells are made inert (see the module's docstring); files are complete
    or absent, and so is the CSV folder: its files are written into a temporary folder beside it,
    which replaces it when all are written (a full disk part-way leaves the earlier export, or
    nothing). Raises ``OSError`` (naming the file) when ``out`` cannot be written."""
    import shutil
    import tempfile

    out = Path(out)
    tables = result_tables(deal)
    if fmt == "csv":
        folder = out / f"{deal.id}-tables"
        out.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=out))
        try:
            for key, df in tables.items():
                df = neutralise_frame(df)
                atomic_write(tmp / f"{key}.csv", df.to_csv())
                # (an error names the file by its final place)
            old = None
            if folder.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=out))
                folder.rename(old / folder.name)
            tmp.rename(folder)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if exc.filename and str(exc.filename).startswith(str(tmp)):
                exc.filename = str(folder / Path(exc.filename).name)
            raise
        return folder
    if fmt != "xlsx":
        raise ValueError(f"The 'fmt' parameter of write_tables must be 'xlsx' or 'csv'. Got {fmt!r} instead.")
    import io

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        for key, df in tables.items():
            sheet = re.sub(r"[\[\]:*?/\\]", "_", key)[:31]
            _xlsx_frame(df).to_excel(xw, sheet_name=sheet)
            _inert_cells(xw.sheets[sheet])
    path = out / f"{deal.id}-tables.xlsx"
    atomic_write(path, buf.getvalue())
    return path
