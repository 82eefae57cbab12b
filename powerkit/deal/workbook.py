"""The Excel side of the deal format: a documented blank template, and CSV folder → workbook.

Cells are always written as text or numbers, never as formulas: a value that starts with ``=``,
``+``, ``-`` or ``@`` is stored as a plain string (``data_type = "s"``), so a hostile name such as
``=HYPERLINK(...)`` stays inert in Excel and reads back unchanged.
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import yaml
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from ..errors import DealError, Problem
from ..paths import atomic_write
from .model import TABLES
from .reading import read_regular
from .schemas import META_KEYS, SPEC
from .yaml_checks import load_meta

__all__ = ["write_template", "folder_to_workbook"]

_HEAD = Font(bold=True)
_REQ = PatternFill("solid", fgColor="FDE9D9")

ABOUT = [
    "powerkit deal workbook",
    "",
    "Fill in the 'deal' sheet (key/value) and one sheet per table. 'parties' and 'stakeholders' are",
    "required; every other sheet is optional (an analysis that needs a missing one says so).",
    "Header cells in orange are required columns. Hover a header cell for what the column means.",
    "Ratings marked 0..1 are relative judgements (0 = none, 1 = the most you have seen).",
    "Tie direction: source -> target means 'source listens to target' (influence flows target -> source).",
    "Dates as YYYY-MM-DD. Money in the deal's currency.",
    "Check the workbook with:  powerkit validate THIS_FILE.xlsx",
    "Full reference: docs/deal-format.md",
]


def _put(ws, row: int, col: int, value) -> None:
    cell = ws.cell(row=row, column=col)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula


def _book(meta: dict | None, tables: dict[str, pd.DataFrame]) -> Workbook:
    wb = Workbook()
    about = wb.active
    about.title = "about"
    for i, line in enumerate(ABOUT, start=1):
        _put(about, i, 1, line)
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 110

    ws = wb.create_sheet("deal")
    for j, h in enumerate(("key", "value", "meaning"), start=1):
        _put(ws, 1, j, h)
        ws.cell(row=1, column=j).font = _HEAD
    for i, (key, (req, help_)) in enumerate(META_KEYS.items(), start=2):
        _put(ws, i, 1, key)
        if req:
            ws.cell(row=i, column=1).fill = _REQ
        v = (meta or {}).get(key)
        _put(ws, i, 2, None if v is None else str(v))
        _put(ws, i, 3, ("required: " if req else "optional: ") + help_)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 80

    for table in TABLES:
        ws = wb.create_sheet(table)
        cols = SPEC[table]
        for j, c in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=j, value=c.name)
            cell.font = _HEAD
            if c.required:
                cell.fill = _REQ
            cell.comment = Comment(f"{'Required' if c.required else 'Optional'}. {c.help}. "
                                   f"Expected: {c.expected()}.", "powerkit")
            ws.column_dimensions[cell.column_letter].width = max(12, len(c.name) + 2)
        df = tables.get(table)
        if df is None:
            continue
        for i, row in enumerate(df.itertuples(index=False), start=2):
            rec = dict(zip(df.columns, row, strict=True))
            for j, c in enumerate(cols, start=1):
                v = rec.get(c.name)
                _put(ws, i, j, None if v is None or v == "" else str(v))
        ws.freeze_panes = "A2"
    return wb


def _save(book: Workbook, out: Path) -> Path:
    """Save whole or not at all (:func:`powerkit.paths.atomic_write`): a full disk leaves no
    half-written workbook."""
    buf = io.BytesIO()
    book.save(buf)
    atomic_write(out, buf.getvalue())
    return out


def write_template(out: str | Path) -> Path:
    """Write a blank, documented deal workbook to ``out`` (``.xlsx``).

    Raises ``OSError`` when ``out`` cannot be written (nothing is left behind).

    >>> import tempfile, pathlib, openpyxl
    >>> p = write_template(pathlib.Path(tempfile.mkdtemp()) / "deal.xlsx")
    >>> openpyxl.load_workbook(p).sheetnames[:3]
    ['about', 'deal', 'parties']
    """
    return _save(_book(None, {}), Path(out))


def folder_to_workbook(folder: str | Path, out: str | Path) -> Path:
    """Copy a deal folder (deal.yaml + CSVs) into one workbook with the same content.

    The folder need not be a valid deal (the workbook is where it gets fixed), but its files
    must be readable: only regular files are opened, and a file that is not (a pipe, a
    device, a folder, a link to nothing), not UTF-8, or not CSV/YAML raises
    :class:`powerkit.errors.DealError` listing each.
    """
    folder, out = Path(folder), Path(out)
    problems, texts = [], {}
    for name in ["deal.yaml"] + [f"{t}.csv" for t in TABLES]:
        f = folder / name
        if name != "deal.yaml" and not (f.exists() or f.is_symlink()):
            continue
        data, why = read_regular(f)
        if why is None:
            try:
                texts[name] = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                why = (f"UTF-8 text (byte 0x{data[exc.start]:02x}): save the file as 'CSV "
                       "UTF-8' (Excel) or re-encode it to UTF-8")
        if why is not None:
            problems.append(Problem(name, None, None, None, why))
    meta = None
    if "deal.yaml" in texts:
        try:
            meta, _ = load_meta(texts.pop("deal.yaml"))
        except yaml.YAMLError as exc:
            problems.append(Problem("deal.yaml", None, None, None, f"valid YAML ({exc})"))
    tables = {}
    for name, text in texts.items():
        try:
            tables[name[:-4]] = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            problems.append(Problem(name, None, None, None, f"valid CSV ({str(exc).strip()})"))
    if problems:
        raise DealError(problems, str(folder))
    return _save(_book(meta if isinstance(meta, dict) else None, tables), out)
