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


@pytest.mark.parametrize("folder", SAMPLE_DEALS + [GOOD, ROOT / "tests/fixtures/deals/hostile-names"],
                         ids=lambda p: p.name)
def test_every_column_has_the_type_its_kind_documents(folder):
    """docs/deal-format.md's kinds, column by column, on every table of every good deal: numbers
    (and whole numbers) float64 with NaN for a blank, dates datetime64 with NaT, booleans bool,
    ids, text and choices Python str objects with None for a blank (never a pandas string
    array, never NaN) — the contract the analyses read, whatever pandas' string storage."""
    deal = pk.load_deal(folder)
    for table, spec in SPEC.items():
        df = getattr(deal, table)
        if df is None:
            continue
        names = [c.name for c in spec]
        given = [df.index.name, *df.columns] if df.index.name else list(df.columns)
        assert given[:len(names)] == names, table  # then columns derived on load, if any
        for c in spec:
            where = f"{folder.name}: {table}.{c.name}"
            if c.name == df.index.name:  # the table's key: ids, all given
                assert all(type(v) is str for v in df.index), where
                continue
            col = df[c.name]
            if c.kind in ("number", "integer"):
                assert col.dtype == "float64", where
                if c.kind == "integer":
                    assert all(v.is_integer() for v in col.dropna()), where
            elif c.kind == "date":
                assert pd.api.types.is_datetime64_dtype(col.dtype), where
            elif c.kind == "bool":
                assert col.dtype == bool, where
            else:
                assert col.dtype == object, where
                assert all(v is None or type(v) is str for v in col), where
                if c.default is not None:
                    assert None not in set(col), where


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


# -- issue 18: nothing is changed silently on the way in ---------------------------------------
def _copy_good(tmp_path):
    import shutil

    return shutil.copytree(GOOD, tmp_path / "deal")


def test_yaml_text_keys_stay_as_written(tmp_path):
    """YAML 1.1 would read `title: Yes` as True and `prepared_for: 1.10` as 1.1."""
    d = _copy_good(tmp_path)
    text = (d / "deal.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Minimal valid deal", "title: Yes").replace(
        "decision: renew the support contract", "decision: off")
    (d / "deal.yaml").write_text(text + "prepared_for: 1.10\n", encoding="utf-8")
    meta = pk.load_deal(d).meta
    assert (meta.title, meta.decision, meta.prepared_for) == ("Yes", "off", "1.10")
    assert meta.as_of.isoformat() == "2026-11-01"  # dates are still dates


def test_yaml_repeated_key_in_a_nested_mapping_is_reported():
    from powerkit.deal.yaml_checks import load_meta, read_meta

    doc, repeated = load_meta("id: x\nspreads:\n  stance: 0.1\n  stance: 0.2\n")
    assert repeated == [(4, "stance", 3)]
    meta, found = read_meta("- a\n- b\n")
    assert meta is None and found[0][3].startswith("'key: value' lines")


def test_trailing_empty_rows_and_columns_are_trimmed(tmp_path):
    d = _copy_good(tmp_path)
    for f in d.glob("*.csv"):
        lines = [ln + ",," for ln in f.read_text(encoding="utf-8").splitlines()]
        lines += ["," * lines[0].count(",")] * 4
        f.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert pk.load_deal(d).equals(pk.load_deal(GOOD))


def test_a_pipe_as_a_table_is_refused_without_reading_it(tmp_path):
    import os

    d = _copy_good(tmp_path)
    (d / "ties.csv").unlink()
    os.mkfifo(d / "ties.csv")  # opening it for reading would block for ever
    with pytest.raises(pk.DealError) as err:
        pk.load_deal(d)
    assert [p.line() for p in err.value.problems] == [
        "ties.csv; expected a regular file ('ties.csv' is a pipe, socket or device): "
        "save the table as a file"]


def test_xlsx_keeps_na_text_and_blank_cells_stay_blank(tmp_path):
    """`NA`, `N/A`, `null` are text in a workbook as in a CSV; empty cells are still blank."""
    path = folder_to_workbook(GOOD, tmp_path / "deal.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["stakeholders"]
    head = [c.value for c in ws[1]]
    ws.cell(row=2, column=head.index("title") + 1).value = "N/A"
    ws.cell(row=3, column=head.index("department") + 1).value = "null"
    wb.save(path)
    st = pk.load_deal(path).stakeholders
    assert st.loc["a1", "title"] == "N/A" and st.loc["b1", "department"] == "null"
    assert st["vote_weight"].isna().all()


def test_xlsx_formula_check_ignores_calculated_formulas(tmp_path):
    """A formula with a saved result (as Excel writes it) is fine; only uncalculated ones count."""
    import zipfile

    from powerkit.deal.reading import uncalculated_formulas

    path = folder_to_workbook(GOOD, tmp_path / "deal.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["stakeholders"]["I3"] = "=0.5*2"
    wb.save(path)
    assert uncalculated_formulas(path) == {"stakeholders": ("I3", "=0.5*2", 1)}
    fixed = tmp_path / "saved.xlsx"  # what Excel does on save: a <v> beside the <f>
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(fixed, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if b"<f>0.5*2</f>" in data:
                data = data.replace(b"<f>0.5*2</f><v /></c>", b"<f>0.5*2</f><v>1</v></c>")
                assert b"<v>1</v>" in data
            dst.writestr(item, data)
    assert uncalculated_formulas(fixed) == {}
    assert pk.load_deal(fixed).stakeholders.loc["b1", "stance"] == 1.0
