"""Scenarios (issue 14 part 4): named what-ifs applied to a deal and compared side by side; the
optional scenarios table, ``powerkit report --scenario FILE.yaml`` and ``--param SETTING=VALUE``."""
from __future__ import annotations

import csv
import json
import shutil

import pandas as pd
import pytest
from conftest import SAMPLE_DEALS
from typer.testing import CliRunner

from powerkit import load_deal
from powerkit.cli import app
from powerkit.deal.money import walk_aways
from powerkit.errors import DealError, InputError
from powerkit.scenarios import (
    BASE_CASE,
    SETTINGS,
    Scenario,
    apply_scenario,
    compare_scenarios,
    deal_scenarios,
    read_scenario_file,
)

SMALL = next(d for d in SAMPLE_DEALS if d.name == "small-renewal")
HARBOUR = next(d for d in SAMPLE_DEALS if d.name == "harbour-council")


@pytest.fixture(scope="module")
def small():
    return load_deal(SMALL)


def _csv(name: str, table: str) -> dict:
    with open(name / f"{table}.csv", encoding="utf-8") as f:
        key = "party" if table == "parties" else "stakeholder"
        return {r[key]: r for r in csv.DictReader(f)}


def test_apply_scenario_by_hand(small):
    """Values read from small-renewal's CSVs: Brisk sells (reservation 170000, BATNA 40000);
    a BATNA of 20000 lowers its effective walk-away by the same 20000 (deal.money.walk_aways:
    the reservation price as entered stays, the walk-away moves with the BATNA's value)."""
    parties, people = _csv(SMALL, "parties"), _csv(SMALL, "stakeholders")
    assert parties["brisk"]["role"] == "seller"
    rp, batna = float(parties["brisk"]["reservation_price"]), float(parties["brisk"]["batna_value"])
    sc = Scenario("worse", settings={"batna_us": "20000", "deadline_them": "2027-01-15",
                                     "reservation_them": 210000, "stance": "lc_fin=0.6"})
    d = apply_scenario(small, sc)
    assert d.parties.at["brisk", "batna_value"] == 20000
    assert d.parties.at["brisk", "reservation_price"] == rp
    assert walk_aways(d).at["seller", "walk_away"] == rp - (batna - 20000) == 150000
    assert d.parties.at["larchmont", "reservation_price"] == 210000
    assert d.parties.at["larchmont", "deadline"] == pd.Timestamp("2027-01-15")
    assert d.stakeholders.at["lc_fin", "stance"] == 0.6
    # everything else as entered, and the original untouched
    assert float(people["lc_fin"]["stance"] or 0) == small.stakeholders.at["lc_fin", "stance"]
    assert small.parties.at["brisk", "batna_value"] == batna
    assert d.parties.drop(columns=["batna_value", "reservation_price", "deadline"]).equals(
        small.parties.drop(columns=["batna_value", "reservation_price", "deadline"]))
    # a reservation price set by the scenario is the one the BATNA's change then moves
    d2 = apply_scenario(small, Scenario("x", settings={"batna_us": 0, "reservation_us": 160000}))
    assert d2.parties.at["brisk", "reservation_price"] == 160000
    assert walk_aways(d2).at["seller", "walk_away"] == 160000 - batna


@pytest.mark.parametrize("settings, named", [
    ({"batna_usd": 1}, "batna_usd"),
    ({"batna_us": "lots"}, "lots"),
    ({"stance": "nobody=0.5"}, "nobody"),
    ({"weights": "positional=-1"}, "positional"),
    ({"rival_price": 1000}, "rival"),  # small-renewal has no rival
])
def test_invalid_settings_name_setting_value_and_choices(small, settings, named):
    with pytest.raises(InputError) as exc:
        apply_scenario(small, Scenario("bad", settings=settings))
    msg = str(exc.value)
    assert named in msg and list(settings)[0] in msg and "expected" in msg
    if "batna_usd" in settings:
        assert all(k in msg for k in SETTINGS)


def test_empty_scenario_equals_the_base_case_row(small):
    df = compare_scenarios(small, [Scenario("nothing changes")])
    assert df["scenario"].tolist() == [BASE_CASE, "nothing changes"]
    base, same = df.iloc[0].drop(["scenario", "description"]), df.iloc[1].drop(
        ["scenario", "description"])
    assert base.to_dict() == same.to_dict()


def test_a_worse_batna_for_us_never_raises_our_share_or_price(small):
    values = [40000, 30000, 20000, 10000, 0]  # 40000 is the value as entered
    df = compare_scenarios(small, [Scenario(f"batna {v}", settings={"batna_us": v})
                                   for v in values])
    rows = df.iloc[1:]
    assert rows.iloc[0]["price"] == pytest.approx(df.iloc[0]["price"])
    for a, b in zip(rows.itertuples(), rows.iloc[1:].itertuples(), strict=False):
        assert b.share_us <= a.share_us + 1e-12
        assert b.price <= a.price + 1e-6  # we sell: a lower price is worse for us
        assert b.balance <= a.balance + 1e-12


def test_weights_stay_in_the_scenario(small):
    sc = Scenario("w", settings={"weights": "positional=0.6; psychological=0.2; systemic=0.2"})
    assert apply_scenario(small, sc).equals(small)  # not deal data
    assert sc.weights == {"positional": 0.6, "psychological": 0.2, "systemic": 0.2}
    df = compare_scenarios(small, [sc])
    assert df.iloc[1]["balance"] != df.iloc[0]["balance"]


def test_harbour_council_scenarios_tell_its_story():
    deal = load_deal(HARBOUR)
    scs = deal_scenarios(deal)
    assert [s.name for s in scs] == ["Meridian raises to EUR 44m", "Our alternative falls through",
                                     "Greens won over"]
    df = compare_scenarios(deal, scs).set_index("scenario")
    base = df.loc[BASE_CASE]
    # we buy: losing our alternative never lowers the price we are expected to pay
    assert df.loc["Our alternative falls through", "price"] >= base["price"]
    assert df.loc["Our alternative falls through", "balance"] < base["balance"]
    # a rival above our walk-away leaves no package within both walk-aways
    assert df.loc["Meridian raises to EUR 44m", "target_package"] == {}
    assert df.loc["Greens won over", "engagement"] != base["engagement"]


def _bad_table(tmp_path, rows: str):
    d = tmp_path / "deal"
    shutil.copytree(SMALL, d)
    (d / "scenarios.csv").write_text("scenario,setting,value,description\n" + rows,
                                     encoding="utf-8")
    return d


def test_bad_scenarios_table_every_problem(tmp_path):
    d = _bad_table(tmp_path, (
        "Cheaper cleaner,batna_them,lots,the clinic finds a cheaper cleaner\n"  # row 2
        "Cheaper cleaner,colour,red,\n"                                         # row 3
        "Board meets later,deadline_them,15 Jan 2027,\n"                        # row 4
        "Ada on side,stance,nobody=0.5,\n"                                      # row 5
        "Ada on side,stance,lc_nurse=1.5,\n"                                    # row 6
        "Rival up,rival_price,200000,\n"                                        # row 7
        "as entered,batna_us,1,\n"                                              # row 8
        "Twice,batna_us,1,\n"                                                   # row 9
        "Twice,batna_us,2,\n"                                                   # row 10
        "Twice,batna_us,2,\n"))                                                 # row 11
    with pytest.raises(DealError) as exc:
        load_deal(d)
    lines = [p.line() for p in exc.value.problems]
    money = "a number (an amount in the deal's currency, no thousands separators)"
    stance = ("STAKEHOLDER=NUMBER pairs separated by ';' (a stakeholder id, a stance from -1 "
              "to 1)")
    assert sorted(lines) == sorted([
        "scenarios.csv, row 3, column 'setting': got 'colour'; expected one of "
        + ", ".join(SETTINGS),
        f"scenarios.csv, row 2, column 'value': got 'lots'; expected for setting 'batna_them': "
        f"{money}",
        "scenarios.csv, row 4, column 'value': got '15 Jan 2027'; expected for setting "
        "'deadline_them': a date as YYYY-MM-DD",
        f"scenarios.csv, row 5, column 'value': got 'nobody=0.5'; expected for setting 'stance': "
        f"{stance}; 'nobody' is not a stakeholder id of the deal",
        f"scenarios.csv, row 6, column 'value': got 'lc_nurse=1.5'; expected for setting "
        f"'stance': {stance}",
        "scenarios.csv, row 7, column 'value': got '200000'; expected for setting 'rival_price': "
        "a deal with a party of side 'rival' (this deal has none)",
        "scenarios.csv, row 8, column 'scenario': got 'as entered'; expected a name other than "
        "'as entered' (the base case every scenario is compared with)",
        "scenarios.csv, row 10, column 'setting': got 'batna_us'; expected one value of batna_us "
        "per scenario ('Twice' sets it on row 9 already)",
        "scenarios.csv, row 11, column 'scenario+setting+value': got 'Twice/batna_us/2'; "
        "expected a unique scenario + setting + value (already used on row 10)",
    ])


def test_scenarios_table_rows_build_one_scenario(tmp_path):
    d = load_deal(_bad_table(tmp_path, (
        "Both,stance,lc_fin=0.5,Finance and nursing won over\n"
        "Both,stance,lc_nurse=0.4,\n"
        "Both,weights,positional=1,\n")))
    (sc,) = deal_scenarios(d)
    assert sc.description == "Finance and nursing won over"
    out = apply_scenario(d, sc)
    assert out.stakeholders.loc[["lc_fin", "lc_nurse"], "stance"].tolist() == [0.5, 0.4]
    assert sc.weights == {"positional": 1.0}


def test_scenario_yaml_good_and_bad(tmp_path, small):
    good = tmp_path / "good.yaml"
    good.write_text("- name: Clinic finds a cheaper cleaner\n"
                    "  description: their alternative improves\n"
                    "  settings:\n    batna_them: 40000\n    deadline_them: 2027-01-15\n"
                    "- name: Workshop weights\n"
                    "  settings:\n    weights: {positional: 0.6, psychological: 0.2, "
                    "systemic: 0.2}\n    stance: {lc_fin: 0.6}\n", encoding="utf-8")
    scs = read_scenario_file(good, small)
    assert [s.name for s in scs] == ["Clinic finds a cheaper cleaner", "Workshop weights"]
    d = apply_scenario(small, scs[0])
    assert d.parties.at["larchmont", "deadline"] == pd.Timestamp("2027-01-15")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: x\n  settings:\n    batna_us: lots\n    colour: red\n"
                   "- name: as entered\n  settings:\n    stance: {nobody: 0.5}\n"
                   "- just text\n", encoding="utf-8")
    with pytest.raises(DealError) as exc:
        read_scenario_file(bad, small)
    lines = [p.line() for p in exc.value.problems]
    assert lines == [
        "bad.yaml, row 3: got 'just text'; expected a list of scenarios, each {name, "
        "description, settings: {SETTING: VALUE}}",
        "bad.yaml, row 1, column 'batna_us': got 'lots'; expected for setting 'batna_us': a "
        "number (an amount in the deal's currency, no thousands separators)",
        "bad.yaml, row 1, column 'colour': got 'red'; expected a setting among "
        + ", ".join(SETTINGS),
        "bad.yaml, row 2, column 'name': got 'as entered'; expected a name other than "
        "'as entered' (the base case) and the other scenarios'",
        "bad.yaml, row 2, column 'stance': got {'nobody': 0.5}; expected for setting 'stance': "
        "STAKEHOLDER=NUMBER pairs separated by ';' (a stakeholder id, a stance from -1 to 1); "
        "'nobody' is not a stakeholder id of the deal",
    ]


def test_cli_param_unknown_key_is_refused_with_the_valid_list(tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["report", str(SMALL), "--out", str(out),
                                 "--param", "batna_usd=400000"])
    assert r.exit_code == 2
    for k in [*SETTINGS, "deal_path", "anonymise", "scenarios", "what_if"]:
        assert k in r.output
    assert not out.exists()
    r = CliRunner().invoke(app, ["report", str(SMALL), "--out", str(out),
                                 "--param", "deadline_them=15 Jan"])
    assert r.exit_code == 2 and "a date as YYYY-MM-DD" in r.output and not out.exists()


def test_cli_scenario_file_bad_is_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- name: x\n  settings:\n    colour: red\n", encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["report", str(SMALL), "--out", str(out), "--scenario", str(bad)])
    assert r.exit_code == 2 and "colour" in r.output and "batna_us" in r.output
    assert not out.exists()
    bad.write_text("- name: x\n  settings:\n    stance: {nobody: 0.5}\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["report", str(SMALL), "--out", str(out), "--scenario", str(bad)])
    assert r.exit_code == 2 and "'nobody'" in r.output and "stakeholder" in r.output
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.slow
def test_cli_param_and_scenario_file_reach_the_report(tmp_path):
    good = tmp_path / "s.yaml"
    good.write_text("- name: Clinic finds a cheaper cleaner\n  settings:\n"
                    "    batna_them: 40000\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["report", str(SMALL), "--out", str(tmp_path), "--scenario",
                                 str(good), "--param", "batna_us=20000",
                                 "--param", "deadline_them=2026-12-10"])
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "small-renewal.json").read_text())
    assert {"deal", "title", "anonymised", "headline"} <= set(data)
    rows = data["scenarios"]
    assert [x["scenario"] for x in rows] == [BASE_CASE, "Clinic finds a cheaper cleaner",
                                              "what if"]
    assert rows[2]["settings"] == {"batna_us": "20000", "deadline_them": "2026-12-10"}
    direct = compare_scenarios(load_deal(SMALL), [Scenario("w", settings={
        "batna_us": 20000, "deadline_them": "2026-12-10"})])
    assert rows[2]["price"] == pytest.approx(direct.iloc[1]["price"], abs=1e-3)
    assert rows[0]["price"] == pytest.approx(direct.iloc[0]["price"], abs=1e-3)
    html = (tmp_path / "small-renewal.html").read_text(encoding="utf-8")
    assert "Scenarios side by side" in html


@pytest.mark.slow
def test_report_without_scenarios_shows_none(reports):
    # the report as `powerkit report` writes it without --scenario/--param: the session's batch
    # of the sample deals (tests/conftest.py); the command itself ran in the test above
    out, results = reports
    assert results["small-renewal"].ok, results["small-renewal"].error
    assert "scenarios" not in json.loads((out / "small-renewal.json").read_text())
    assert "Scenarios side by side" not in (out / "small-renewal.html").read_text(
        encoding="utf-8")
