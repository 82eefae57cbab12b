"""File-level checks of a deal's tables, before any cell is read.

What a consultant's files really contain: links that lead nowhere, pipes, semicolon-separated
"CSV" from a German or French Excel, trailing empty rows and columns, a header typed twice, text
cells that say ``NA``, and workbooks whose formulas were never calculated. Each function returns
problems as ``(row, column, value, expected)`` tuples (row as a spreadsheet shows it, or None);
the caller (:mod:`powerkit.deal.schemas`) adds the file and sheet.
"""
from __future__ import annotations

import errno
import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from ..errors import DealError, PathProblem, Problem, os_problem

__all__ = ["read_regular", "input_problem", "workbook_problem", "deal_path_problem",
           "check_deal_path", "XLSX_MAX_INFLATED", "XLSX_MAX_RATIO", "XLSX_RATIO_FROM",
           "XLSX_MAX_MEMBERS", "visible", "cell_hint", "delimiter_problem", "header_table", "typed_column",
           "uncalculated_formulas"]

Found = tuple  # (row, column, value, expected)


# what an .xlsx may unpack to (openpyxl reads its XML from a zip: a small file can inflate to
# gigabytes and keep the reader busy for minutes). Python's zipfile never yields more than a
# member's declared size (it stops there and checks the CRC), so the declared sizes are a bound.
XLSX_MAX_INFLATED = 200 * 2**20  # bytes unpacked, all members together
XLSX_MAX_RATIO = 100  # unpacked / packed, for a member that unpacks to more than ...
XLSX_RATIO_FROM = 10 * 2**20  # ... 10 MB (ordinary sheet XML packs 5-20 times)
XLSX_MAX_MEMBERS = 10_000


def _open_regular(path: Path):
    """``(binary file, None)`` for a regular file powerkit may read, else ``(None, (kind,
    detail))``; kind is ``loop``, ``broken``, ``missing``, ``folder``, ``special``, ``denied`` or
    ``other``. Links are followed; the file is opened without blocking (a pipe with no writer
    would block ``open``) and checked on the open descriptor, so nothing is read from a pipe or
    device."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, ("loop", "")
        if exc.errno == errno.ENOENT:
            return None, ("broken", _link_target(path)) if path.is_symlink() else ("missing", "")
        if exc.errno == errno.EISDIR:
            return None, ("folder", "")
        if exc.errno in (errno.ENXIO, errno.ENODEV, errno.EOPNOTSUPP):  # a socket, a device
            return None, ("special", "")
        if exc.errno in (errno.EACCES, errno.EPERM):
            return None, ("denied", "")
        return None, ("other", exc.strerror or str(exc))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        return None, ("folder", "") if stat.S_ISDIR(mode) else ("special", "")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb"), None


def _expected(kind: str, detail: str, name: str, thing: str) -> str:
    """A read failure of :func:`_open_regular` as the 'expected ...' of a problem line."""
    return {
        "loop": f"a file, not a link that points to itself or in a circle ('{name}'): replace the "
                "link by the file",
        "broken": f"a file, not a link to a missing file ('{name}' → '{detail}'): replace the "
                  "link by the file",
        "missing": f"an existing file ('{name}')",
        "folder": f"a file, not a folder ('{name}'): replace the folder by the file",
        "special": f"a regular file ('{name}' is a pipe, socket or device): save "
                   + (f"the {thing}" if thing else "it") + " as a file",
        "denied": f"a file powerkit may read ('{name}': permission denied): give yourself read "
                  "permission (chmod u+r), or copy the file into a folder of your own",
    }.get(kind, f"a readable file ('{name}': {detail})")


def read_regular(path: Path, thing: str | None = None) -> tuple[bytes | None, str | None]:
    """The bytes of ``path`` when it is a regular, readable file, else ``(None, why)``.

    Only regular files are opened: a pipe or device would block or never end, a link in a circle
    or to nothing would otherwise be taken for a missing table. ``thing`` names the file in the
    fix (default: ``table`` for a .csv).
    """
    thing = thing or ("table" if path.suffix.lower() == ".csv" else "")
    fh, bad = _open_regular(path)
    if fh is None:
        return None, _expected(*bad, path.name, thing)
    try:
        with fh:
            return fh.read(), None
    except OSError as exc:
        return None, _expected("denied" if exc.errno in (errno.EACCES, errno.EPERM) else "other",
                               exc.strerror or str(exc), path.name, thing)


def input_problem(path: str | Path, *, folder: bool = False, option: str = ""
                  ) -> PathProblem | None:
    """Why a path given on the command line cannot be read (one line: the path and the fix),
    or None when it is a regular file powerkit may read (``folder=True``: a folder it may
    list). Nothing is read: a pipe, socket or device (``/dev/zero``) is refused by its kind.

    >>> input_problem("/dev/zero").what
    'is not a regular file (a pipe, socket or device)'
    >>> input_problem("/", folder=True) is None
    True
    """
    path = Path(path)
    with_opt = f" to {option}" if option else ""
    if folder:
        try:
            st = path.stat()
        except OSError as exc:
            return os_problem(exc, path, writing=False, option=option)
        if not stat.S_ISDIR(st.st_mode):
            return PathProblem(path, "is not a folder", f"give a folder{with_opt}")
        try:
            with os.scandir(path) as it:
                next(it, None)
        except OSError as exc:
            return os_problem(exc, path, writing=False, option=option)
        return None
    fh, bad = _open_regular(path)
    if fh is not None:
        fh.close()
        return None
    kind, detail = bad
    what, fix = {
        "loop": ("is a link that points to itself or in a circle", "replace the link by the file"),
        "broken": (f"is a link to a missing file ('{detail}')", "replace the link by the file"),
        "missing": ("does not exist", f"check the path{with_opt}"),
        "folder": ("is a folder, not a file", f"give the file itself{with_opt}"),
        "special": ("is not a regular file (a pipe, socket or device)",
                    f"save it as a file and give that file{with_opt}"),
        "denied": ("cannot be read (permission denied)", "give yourself read permission (chmod "
                   "u+r), or copy it into a folder of your own and give that copy"),
    }.get(kind, (f"cannot be read ({detail})", f"check the path{with_opt}"))
    return PathProblem(path, what, fix)


def workbook_problem(fh, name: str) -> str | None:
    """Why an .xlsx (an open binary file) may not be given to openpyxl, as the 'expected ...'
    of a problem line, or None: more than :data:`XLSX_MAX_INFLATED` bytes unpacked, more than
    :data:`XLSX_MAX_MEMBERS` parts, or a part over :data:`XLSX_RATIO_FROM` bytes that unpacks to
    more than :data:`XLSX_MAX_RATIO` times its packed size (a zip bomb, such as a sheet holding
    a huge XML comment). Only the zip's directory is read. Not a zip at all: None (pandas then
    says why it is no workbook).
    """
    try:
        infos = zipfile.ZipFile(fh).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    fix = ("this is not an ordinary Excel file: open it in Excel, remove what is not deal data "
           "and save it, or start again from powerkit template")
    if len(infos) > XLSX_MAX_MEMBERS:
        return (f"a workbook of at most {XLSX_MAX_MEMBERS:,} parts ('{name}' has "
                f"{len(infos):,}): {fix}")
    total = sum(i.file_size for i in infos)
    if total > XLSX_MAX_INFLATED:
        return (f"a workbook that unpacks to at most {XLSX_MAX_INFLATED // 2**20} MB ('{name}' "
                f"unpacks to {total / 2**20:,.0f} MB): {fix}")
    for i in infos:
        if i.file_size > XLSX_RATIO_FROM and i.file_size > XLSX_MAX_RATIO * max(i.compress_size, 1):
            return (f"a workbook whose parts unpack to at most {XLSX_MAX_RATIO} times their "
                    f"packed size ('{name}': {i.filename} unpacks to "
                    f"{i.file_size / 2**20:,.0f} MB, more than {XLSX_MAX_RATIO} times its packed "
                    f"size): {fix}")
    return None


def deal_path_problem(path: str | Path) -> Problem | None:
    """The problem of a deal argument that cannot even be opened, or None. A folder must be
    listable; a workbook (``.xlsx``/``.xlsm``) a regular file powerkit may read, within the
    bounds of :func:`workbook_problem`. Nothing else is judged here (a missing path, a file of
    another kind: :func:`powerkit.deal.load_deal` says so).

    >>> deal_path_problem("/dev/null.xlsx") is None  # does not exist: load_deal says so
    True
    """
    path = Path(path)
    name = path.name or str(path)
    if path.is_dir():
        problem = input_problem(path, folder=True)
        if problem is None:
            return None
        return Problem(name, None, None, None, f"a deal folder powerkit may read ('{name}' "
                                               f"{problem.what}): {problem.fix}")
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not (path.exists() or path.is_symlink()):
        return None
    fh, bad = _open_regular(path)
    if fh is None:
        return Problem(name, None, None, None, _expected(*bad, name, "workbook"))
    with fh:
        why = workbook_problem(fh, name)
    return None if why is None else Problem(name, None, None, None, why)


def check_deal_path(path: str | Path) -> None:
    """Raise :class:`DealError` when :func:`deal_path_problem` finds one (before any reader
    opens the deal: openpyxl would block on a pipe and inflate a zip bomb)."""
    if (problem := deal_path_problem(path)) is not None:
        raise DealError([problem], str(path))


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
    cells = grid.to_numpy(dtype=object)
    header = [h.strip() for h in cells[0]]
    body = grid.iloc[1:]
    # one pass over the cells in Python (the per-column ``str.strip`` of pandas was 40 % of
    # reading a small deal: docs/performance.md, session 10)
    blank = np.array([[not v.strip() for v in row] for row in cells[1:]],
                     dtype=bool).reshape(len(cells) - 1, len(header))
    keep = []
    for j, h in enumerate(header):
        used = not blank[:, j].all()
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
    blank = blank[:, keep].all(axis=1)
    last = len(df)
    while last and blank[last - 1]:
        last -= 1
    return df.iloc[:last].reset_index(drop=True), []


def typed_column(kind: str, vals: list) -> pd.Series:
    """One column of parsed cells (``schemas._parse_cell``; a blank is None) as a deal table
    stores a column of that ``kind``: numbers as float (blank NaN), dates as datetime64 (blank
    NaT), booleans as bool, ids, text and choices as Python objects (blank None). Built column
    by column before the table: setting each column of a built table again was a quarter of
    reading a small deal (docs/performance.md, session 10)."""
    if kind in ("number", "integer"):
        return pd.Series([np.nan if v is None else v for v in vals], dtype=float)
    if kind == "date":
        return pd.to_datetime(pd.Series(vals, dtype=object), errors="coerce")
    if kind == "bool":
        return pd.Series([bool(v) for v in vals], dtype=bool)
    return pd.Series([None if v is None or v != v else v for v in vals], dtype=object)


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
