"""Loading deals: folder and workbook give equal Deals; sample deals and reference data load;
the template is a documented, loadable workbook; a Deal keeps the documented shapes."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from conftest import ROOT, SAMPLE_DEALS
from typer.testing import CliRunner

import powerkit as pk
from powerkit.cli import app
from powerkit.deal.schemas import SPEC
from powerkit.deal.workbook import folder_to_workbook, write_template

GOOD = ROOT / "tests" / "fixtures" / "good_minimal"


@pytest.mark.parametrize("folder", SAMPLE_DEALS + [GOOD, ROOT / "tests/fixtures/deals/hostile-names"],
                         ids=lambda p: p.name)
def test_folder_and_workbook_give_equal_deals(folder, tmp_path):
    a = pk.load_deal(folder)
    b = pk.load_deal(folder_to_workbook(folder, tmp_path / "deal.xlsx"))
    assert a.equals(b)


def test_sample_deals_are_rich_enough():
    assert {p.name for p in SAMPLE_DEALS} >= {"northwind-vendor", "harbour-council", "small-renewal"}
    for folder in SAMPLE_DEALS:
        d = pk.load_deal(folder)
        for t in ("ties", "issues", "hypotheses", "evidence", "questions", "events", "offers"):
            assert d.has(t), f"{folder.name} lacks {t}"
        n = len(d.stakeholders)
        assert (5 <= n <= 6) if folder.name == "small-renewal" else (15 <= n <= 30)
    council = pk.load_deal(ROOT / "data/deals/harbour-council")
    assert council.meta.quota is not None and council.stakeholders["vote_weight"].sum() >= council.meta.quota


def test_deal_shapes_follow_the_format():
    d = pk.load_deal(GOOD)
    assert d.parties.index.name == "party" and d.stakeholders.index.name == "stakeholder"
    assert list(d.stakeholders.columns) == [c.name for c in SPEC["stakeholders"][1:]]
    assert d.stakeholders.loc["b1", "sign_off"] is True or d.stakeholders.loc["b1", "sign_off"] == True  # noqa: E712
    assert d.stakeholders.loc["a1", "budget_authority"] == 0.0  # blank -> documented default
    assert pd.isna(d.parties.loc["acme", "discount_rate"])  # blank optional -> NaN
    assert d.parties.loc["buyco", "deadline"] == pd.Timestamp("2027-01-15")
    assert d.counterpart == "buyco"  # default: first party with side counterpart
    with pytest.raises(pk.MissingTableError, match="needs the 'ties' table"):
        d.replace(ties=None).table("ties", analysis="the influence map")


def test_template_is_documented_and_round_trips(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["about", "deal"]
    ws = wb["stakeholders"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.name for c in SPEC["stakeholders"]]
    assert all(c.comment is not None and c.comment.text for c in ws[1])
    # the blank template is not a valid deal: it says what to fill in, in one go
    with pytest.raises(pk.DealError) as exc:
        pk.load_deal(path)
    text = str(exc.value)
    assert "key 'id'; expected a value for 'id'" in text
    assert "at least one row in parties" in text and "at least one row in stakeholders" in text


def test_template_command(tmp_path):
    r = CliRunner().invoke(app, ["template", str(tmp_path / "blank.xlsx")])
    assert r.exit_code == 0 and (tmp_path / "blank.xlsx").exists()
    r = CliRunner().invoke(app, ["template", str(tmp_path / "x.xlsx"), "--from", str(GOOD)])
    assert r.exit_code == 0
    assert pk.load_deal(tmp_path / "x.xlsx").equals(pk.load_deal(GOOD))
    r = CliRunner().invoke(app, ["template", str(tmp_path / "x.csv")])
    assert r.exit_code == 2 and ".xlsx" in r.output


def test_formula_text_stays_inert_in_the_workbook(tmp_path):
    """=HYPERLINK(...) in a name is stored as a string cell, never as a formula."""
    hostile = ROOT / "tests/fixtures/deals/hostile-names"
    path = folder_to_workbook(hostile, tmp_path / "h.xlsx")
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    formulas = [c for c in cells if c.data_type == "f"]
    assert formulas == []
    assert any(c.value.startswith("=HYPERLINK") for c in cells)


def test_validate_ok_line():
    r = CliRunner().invoke(app, ["validate", str(GOOD)])
    assert r.exit_code == 0
    assert r.output.startswith("ok: good-minimal — 2 parties, 4 stakeholders")


def test_unknown_path_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(app, ["validate", str(tmp_path / "nope")])
    assert r.exit_code == 2 and "expected an existing deal folder or .xlsx workbook" in r.output
