"""``powerkit portfolio``: the offline HTML report and its JSON on the sample portfolio, and
bad folders refused before any kernel starts (issue 15, item 3).

The relationship capital in the JSON is recomputed here from the CSV files with pandas alone:
ties between Northwind's and Brightwater's people in both deals, each weighted by
0.5^(age / 365) with age the days between the deal's as_of and the latest deal's.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

import powerkit.cli.portfolio  # noqa: F401 - registers the command
from powerkit.cli import app
from powerkit.paths import portfolios_dir

PF = portfolios_dir() / "northwind"


def _capital_from_csv() -> float:
    deals = [p for p in sorted(PF.iterdir()) if (p / "deal.yaml").exists()]
    as_of = {p: yaml.safe_load((p / "deal.yaml").read_text(encoding="utf-8"))["as_of"]
             for p in deals}
    latest = max(as_of.values())
    total = 0.0
    for p in deals:
        st = pd.read_csv(p / "stakeholders.csv").set_index("stakeholder")["party"]
        ties = pd.read_csv(p / "ties.csv")
        age = (latest - as_of[p]).days
        for s, t, w in zip(ties["source"], ties["target"], ties["weight"], strict=True):
            if {st[s], st[t]} == {"northwind", "brightwater"}:
                total += w * 0.5 ** (age / 365)
    return total


@pytest.mark.slow
def test_portfolio_report_on_the_sample(tmp_path):
    res = CliRunner().invoke(app, ["portfolio", str(PF), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "portfolio-northwind.html").read_text(encoding="utf-8")
    data = json.loads((tmp_path / "portfolio-northwind.json").read_text(encoding="utf-8"))
    head = data["headline"]
    assert head["deals"] == ["brightwater-pilot", "northwind-vendor"]
    assert head["capital"]["brightwater"] == pytest.approx(_capital_from_csv(), abs=1e-4)
    for title in ("Relationship capital", "Reliability both ways", "Where our network is thin",
                  "Relationships to build beyond this deal"):
        assert title in html
    assert "Viktor Hale" in html  # people by name
    assert "<script src=\"http" not in html  # offline


def test_bad_portfolio_is_refused_with_every_problem(tmp_path):
    bad = tmp_path / "pf"
    bad.mkdir()
    d = bad / "one"
    d.mkdir()
    (d / "deal.yaml").write_text("id: one\ntitle: T\ndecision: D\nus: we\nas_of: 2026-13-01\n",
                                 encoding="utf-8")
    res = CliRunner().invoke(app, ["portfolio", str(bad), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "one/" in res.output
    assert not (tmp_path / "out").exists()


def test_not_a_folder(tmp_path):
    res = CliRunner().invoke(app, ["portfolio", str(tmp_path / "missing")])
    assert res.exit_code == 2 and "expected a folder of deals" in res.output
