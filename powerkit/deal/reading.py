"""File-level checks of a deal's tables, before any cell is read.

What a consultant's files really contain: links that lead nowhere, pipes, semicolon-separated
"CSV" from a German or French Excel, trailing empty rows and columns, a header typed twice, text
cells that say ``NA``, and workbooks whose formulas were never calculated. Each function returns
problems as ``(row, column, value, expected)`` tuples (row as a spreadsheet shows it, or None);
the caller (:mod:`powerkit.deal.schemas`) adds the file and sheet.
"""
from __future__ import annotations

import errno
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pandas as pd

__all__ = ["read_regular", "visible", "cell_hint", "delimiter_problem", "header_table", "uncalculated_formulas"]

Found = tuple  # (row, column, value, expected)


def read_regular(path: Path) -> tuple[bytes | None, str | None]:
    """The bytes of ``path`` when it is a regular, readable file, else ``(None, why)``.

    Only regular files are opened: a pipe or device would block or never end, a link in a circle
    or to nothing would otherwise be taken for a missing table.
    """
    try:
        st = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, (f"a file, not a link that points to itself or in a circle ('{path.name}'): "
                          "replace the link by the file")
        if path.is_symlink():
            return None, (f"a file, not a link to a missing file ('{path.name}' → "
                          f"'{_link_target(path)}'): replace the link by the file")
        return None, f"a readable file ('{path.name}': {exc.strerror or exc})"
    if stat.S_ISDIR(st.st_mode):
        return None, f"a file, not a folder ('{path.name}')"
    if not stat.S_ISREG(st.st_mode):
        return None, (f"a regular file ('{path.name}' is a pipe, socket or device): "
                      "save the table as a file")
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return None, f"a readable file ('{path.name}': {exc.strerror or exc})"


def _link_target(path: Path) -> str:
    try:
        return str(path.readlink())
    except OSError:
        return "?"


def delimiter_problem(text: str) -> Found | None:
    """A CSV whose header is separated by ';' or tabs rather than commas (a regional Excel)."""
    header = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    for sep, name in ((";", "';'"), ("\t", "tabs")):
        if header.count(sep) > header.count(","):
            return (1, None, None,
                    f"comma-separated cells: this file uses {name} — save it as "
                    "'CSV UTF-8 (comma delimited)', or replace the separators by commas "
                    "(and decimal commas by points)")
    return None


def _letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def header_table(grid: pd.DataFrame) -> tuple[pd.DataFrame | None, list[Found]]:
    """Turn a grid of strings (header in its first row, blanks as '') into a table.

    Trailing empty rows and columns (Excel's ``,,,,`` rows and unnamed columns) are dropped; a
    column whose header is blank but which holds values, and a header given twice, are problems.
    Row numbers stay true: only trailing rows are dropped.
    """
    problems: list[Found] = []
    grid = grid.fillna("").astype(str)
    if len(grid) == 0:
        return None, [(None, None, None, "a header row with the column names")]
    header = [h.strip() for h in grid.iloc[0]]
    body = grid.iloc[1:]
    keep = []
    for j, h in enumerate(header):
        used = bool((body.iloc[:, j].str.strip() != "").any()) if len(body) else False
        if h == "":
            if used:
                problems.append((1, _letter(j), None,
                                 f"a column name above the values of column {_letter(j)} "
                                 "(or delete that column)"))
            continue
        keep.append(j)
    seen: dict[str, int] = {}
    for j in keep:
        h = header[j]
        if h in seen:
            problems.append((1, h, None,
                             f"each column once ('{h}' appears twice, in columns "
                             f"{_letter(seen[h])} and {_letter(j)}: delete or rename one)"))
        else:
            seen[h] = j
    if problems:
        return None, problems
    df = body.iloc[:, keep]
    df.columns = [header[j] for j in keep]
    blank = (df.apply(lambda s: s.str.strip()) == "").all(axis=1).to_numpy()
    last = len(df)
    while last and blank[last - 1]:
        last -= 1
    return df.iloc[:last].reset_index(drop=True), []


def uncalculated_formulas(path: Path) -> dict[str, tuple[str, str, int]]:
    """Sheets of an .xlsx holding formulas without a saved result, read from the file's XML.

    Returns ``{sheet: (first cell such as 'I3', its formula, number of such cells)}``. Such a
    workbook was written by a program, not saved by Excel: its formula cells would read as blank.
    """
    out: dict[str, tuple[str, str, int]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
            ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
            wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            target = {r.get("Id"): r.get("Target") for r in rels}
            for sh in wb.iter(f"{ns_main}sheet"):
                t = target.get(sh.get(f"{ns_rel}id"))
                if not t:
                    continue
                member = t.lstrip("/") if t.startswith("/") else str(PurePosixPath("xl") / t)
                first, n = None, 0
                with z.open(member) as fh:
                    for _, el in ElementTree.iterparse(fh):
                        if el.tag != f"{ns_main}c":
                            continue
                        f, v = el.find(f"{ns_main}f"), el.find(f"{ns_main}v")
                        if f is not None and (v is None or not (v.text or "")):
                            n += 1
                            if first is None:
                                first = (el.get("r") or "?", "=" + (f.text or ""))
                        el.clear()
                if n:
                    out[sh.get("name")] = (first[0], first[1], n)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return out  # not an ordinary workbook: pandas says why
    return out


def formula_problem(cell: str, formula: str, n: int, grid: pd.DataFrame | None) -> Found:
    """The problem line of a sheet whose formulas have no saved result (see
    :func:`uncalculated_formulas`): the first such cell, named by its column's header."""
    letters = "".join(ch for ch in cell if ch.isalpha())
    row = int("".join(ch for ch in cell if ch.isdigit()) or 0) or None
    j = 0
    for ch in letters:
        j = j * 26 + ord(ch.upper()) - 64
    column = letters
    if grid is not None and 0 < j <= grid.shape[1] and len(grid):
        column = str(grid.iloc[0, j - 1]).strip() or letters
    more = f" ({n} formula cells on this sheet)" if n > 1 else ""
    return (row, column, formula,
            f"a value, not a formula without a saved result{more}: this workbook was written by a "
            "program and never calculated — open it in Excel and save it, or paste the values")


def sheet_meta(d: pd.DataFrame) -> tuple[dict | None, list[Found]]:
    """deal.yaml's keys from the workbook's sheet ``deal`` (columns key, value); a key given in
    two rows is a problem (the last would win silently)."""
    if not {"key", "value"} <= set(d.columns):
        return None, [(1, None, list(d.columns), "the columns key, value")]
    meta: dict = {}
    rows: dict = {}
    found: list[Found] = []
    for i, (k, v) in enumerate(zip(d["key"], d["value"], strict=True)):
        k = str(k).strip()
        if k in meta:
            found.append((i + 2, k, None, f"'{k}' once (it is also on row {rows[k]}; only one "
                                          "can count: delete one of them)"))
        elif k:
            meta[k], rows[k] = (v.strip() or None), i + 2
    return meta, found


_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def visible(s: str) -> str:
    """``s`` without invisible format characters (zero-width spaces, direction marks, soft
    hyphens), which a pasted id often carries."""
    return _INVISIBLE.sub("", s)


def cell_hint(kind: str, s: str) -> str:
    """What is wrong with a refused cell, when it is a common slip: an invisible character in it
    or a decimal comma. Appended to the expected form; '' otherwise."""
    s = s.strip()
    if (m := _INVISIBLE.search(s)) is not None:
        return (f" — it holds an invisible character (U+{ord(m.group()):04X}, e.g. pasted from "
                "Word or a web page): retype it")
    if kind in ("number", "integer") and re.fullmatch(r"[-+]?\d+,\d+", s):
        return f" — write {s.replace(',', '.')} (a decimal point, not a comma)"
    return ""
