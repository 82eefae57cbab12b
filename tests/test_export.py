"""Excel/CSV exports of result tables: formula-leading text is neutralised (OWASP CSV injection)."""
from __future__ import annotations

import csv

import openpyxl
import pandas as pd
from conftest import ROOT
from typer.testing import CliRunner

import powerkit as pk
from powerkit.cli import app
from powerkit.export import neutralise, neutralise_frame

HOSTILE = ROOT / "tests" / "fixtures" / "deals" / "hostile-names"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def test_neutralise_rules():
    # OWASP: cells starting with = + - @ tab CR are prefixed with an apostrophe; others untouched
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+cmd|' /C calc'!A0") == "'+cmd|' /C calc'!A0"
    assert neutralise("@SUM(1+1)") == "'@SUM(1+1)"
    assert neutralise("a=b") == "a=b" and neutralise(3) == 3 and neutralise(None) is None
    df = neutralise_frame(pd.DataFrame({"=x": ["=y", "z"], "n": [-1.0, 2.0]}, index=["@i", "j"]))
    assert list(df.columns) == ["'=x", "n"] and list(df.index) == ["'@i", "j"]
    assert df["'=x"].tolist() == ["'=y", "z"] and df["n"].tolist() == [-1.0, 2.0]


def test_hostile_deal_exports_are_inert(tmp_path):
    deal = pk.load_deal(HOSTILE)
    r = CliRunner().invoke(app, ["tables", str(HOSTILE), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(tmp_path / "hostile-names-tables.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
    risky = [c for c in cells if c.value.startswith(DANGEROUS)]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)  # text, never evaluated
    assert not [c.value for c in cells if c.value.startswith("'")]  # no visible apostrophe
    hostile_names = [n for n in deal.stakeholders["name"] if str(n).startswith(DANGEROUS)]
    assert hostile_names, "the fixture must contain formula-like names"
    assert any(c.value == hostile_names[0] for c in cells)  # shown as the exact text

    r = CliRunner().invoke(app, ["tables", str(HOSTILE), "--out", str(tmp_path), "--csv"])
    assert r.exit_code == 0
    files = sorted((tmp_path / "hostile-names-tables").glob("*.csv"))
    assert files
    for f in files:
        with open(f, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                assert not [c for c in row if c.startswith(DANGEROUS) and not _number(c)], (f, row)


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


WEIRD = ["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(1)", "\t=1", "\r=1", "'quoted", "plain",
         "Ada\x00Berg", "bell\x07=x", "=\x1bEsc", "tab\tnew\nline", "Head of IT\\OT", "=", "-"]


def test_xlsx_keeps_exact_text_and_replaces_illegal_characters(tmp_path, monkeypatch):
    """Formula-looking text reads back exactly, as quote-prefixed text; characters an xlsx cannot
    hold (NUL, other C0 controls but tab/LF/CR) become U+FFFD instead of failing the export."""
    from powerkit import export

    df = pd.DataFrame({"text": WEIRD, "n": [-1.5] * len(WEIRD)}, index=WEIRD)
    df.columns = ["=col\x00", "n"]
    monkeypatch.setattr(export, "result_tables", lambda deal: {"t-1": df})
    path = export.write_tables(pk.load_deal(HOSTILE), tmp_path)
    ws = openpyxl.load_workbook(path)["t-1"]
    rows = list(ws.iter_rows(values_only=True))
    # XML reads a bare CR as LF (end-of-line normalisation): the one change besides U+FFFD
    expected = [export.xlsx_text(w).replace("\r", "\n") for w in WEIRD]
    assert "Ada\ufffdBerg" in expected and "bell\ufffd=x" in expected
    assert rows[0][1] == "=col\ufffd" and rows[0][2] == "n"
    assert [r[0] for r in rows[1:]] == expected  # the index
    assert [r[1] for r in rows[1:]] == expected
    assert [r[2] for r in rows[1:]] == [-1.5] * len(WEIRD)  # numbers stay numbers
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f"
            if isinstance(c.value, str):
                assert c.quotePrefix == c.value.startswith((*DANGEROUS, "\n")), c.value  # "\n": a CR read back
                assert c.data_type == "s"


def test_nul_in_a_name_exports(tmp_path):
    deal = pk.load_deal(HOSTILE)
    s = deal.stakeholders.copy()
    s.iloc[0, s.columns.get_loc("name")] = "=Ada\x00Berg"
    from powerkit.export import write_tables

    path = write_tables(deal.replace(stakeholders=s), tmp_path)
    texts = {c.value for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row}
    assert "=Ada\ufffdBerg" in texts
    folder = write_tables(deal.replace(stakeholders=s), tmp_path, "csv")  # CSV keeps the NUL, neutralised
    assert any("'=Ada\x00Berg" in f.read_text(encoding="utf-8") for f in folder.glob("*.csv"))
