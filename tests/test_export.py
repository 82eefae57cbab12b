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
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
    assert not [t for t in texts if t.startswith(DANGEROUS)]
    hostile_names = [n for n in deal.stakeholders["name"] if str(n).startswith(DANGEROUS)]
    assert hostile_names, "the fixture must contain formula-like names"
    assert any(t == "'" + hostile_names[0] for t in texts)  # shown, as text

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
