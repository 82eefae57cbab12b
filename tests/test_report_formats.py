"""Report options: PDF through headless Chromium (pages, charts not blank), anonymised reports
(no person's name anywhere), --param checked against the notebook, screenshots as artifacts."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DEALS, ROOT, SAMPLE_DEALS, chromium_path
from PIL import Image
from typer.testing import CliRunner

from powerkit.cli import app
from powerkit.deal import load_deal
from powerkit.report import html_to_pdf, paper_for, run_report

ARTIFACTS = ROOT / "test-artifacts"
pytestmark = pytest.mark.slow


def coloured_fraction(png: Path) -> float:
    """Share of pixels that are clearly coloured (chart marks), not white/grey/black text."""
    a = np.asarray(Image.open(png).convert("RGB")).astype(int)
    spread = a.max(axis=2) - a.min(axis=2)  # grey (incl. black text, white page) has spread ~0
    return float((spread > 60).mean())


@pytest.mark.browser
@pytest.mark.parametrize("deal", SAMPLE_DEALS, ids=[d.name for d in SAMPLE_DEALS])
def test_pdf_report_has_pages_with_charts(tmp_path, deal, reports):
    """The PDF of each sample deal's report, printed by html_to_pdf — what run_report(fmt="pdf")
    does after the notebook — from the session's HTML report of that deal (tests/conftest.py:
    the same notebook run and HTML; run_report's own PDF path, its default paper and the out
    folder it leaves, are checked end to end on hostile-names and small-renewal below)."""
    if chromium_path() is None or shutil.which("pdftoppm") is None:
        pytest.skip("chromium and poppler-utils are needed (.ci/run installs both)")
    out, results = reports
    assert results[deal.name].ok, results[deal.name].error
    html = tmp_path / f"{deal.name}.html"
    shutil.copyfile(out / html.name, html)  # html_to_pdf adds the @page rule to its input
    pdf = html_to_pdf(html, tmp_path / f"{deal.name}.pdf",
                      paper=paper_for(load_deal(deal).meta.currency))
    assert pdf.read_bytes()[:5] == b"%PDF-"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    # at least: title + summary, overview, and one page per walkthrough section with a chart
    assert len(pages) >= 3
    with_charts = [p for p in pages if coloured_fraction(p) > 0.01]
    assert len(with_charts) >= 2, [round(coloured_fraction(p), 4) for p in pages]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Executive summary" in text and "The deal at a glance" in text
    # the report opens with the game plan, before the executive summary
    assert text.index("Game plan") < text.index("Executive summary")
    # paper: A4 for deals not in USD (every sample deal is in EUR), 595 x 842 pt
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    assert size.endswith("(A4)"), size
    # a paragraph introducing a table stays on the table's page (pdftotext ends pages with \f)
    intros = ("What follows for", "What to ask next", "Where to trade", "Value left on the table",
              "Recommended packages")
    stranded = [page.strip().splitlines()[-2:] for page in text.split("\f") if page.strip()
                and any(i in " ".join(page.strip().splitlines()[-2:]) for i in intros)]
    assert stranded == []
    ARTIFACTS.mkdir(exist_ok=True)  # first pages, for a person to look at
    for p in pages[:3]:
        shutil.copy(p, ARTIFACTS / f"{deal.name}-pdf-{p.name}")


def test_anonymised_report_names_nobody(tmp_path):
    deal = DEALS / "northwind-vendor"
    r = run_report(deal, tmp_path, anonymise=True)
    assert r.ok, r.error
    html = Path(r.output).read_text(encoding="utf-8")
    # drop the embedded plotly.js library (it has place names like "Marshall Islands"); the
    # figures' own data and every table and text stay in
    html = re.sub(r"<script[^>]*>(?:(?!</script>).){200000,}?</script>", "", html, flags=re.S)
    assert "Plotly.newPlot" in html
    people = pd.read_csv(deal / "stakeholders.csv")
    # party names are kept by design (the client knows the firms): "Keller & Roth Consulting"
    firms = " ".join(pd.read_csv(deal / "parties.csv")["name"])
    for name in people["name"]:
        for part in [name] + name.split():
            if len(part) > 2 and part not in firms:
                assert not re.search(rf"\b{re.escape(part)}\b", html), \
                    f"{part!r} of {name!r} is still in the report"
    assert "Operations Manager" in html  # role labels instead
    head = json.loads((tmp_path / "northwind-vendor.json").read_text())
    assert head["anonymised"] is True
    assert not any(n in json.dumps(head) for n in people["name"])


def test_bad_param_and_format_are_refused_with_the_fix(tmp_path):
    r = CliRunner().invoke(app, ["report", str(DEALS / "small-renewal"), "--param", "colour=red",
                                 "--out", str(tmp_path)])
    assert r.exit_code == 2 and "nor a parameter of report.ipynb" in r.output
    assert "deal_path" in r.output  # the valid ones are listed
    r = CliRunner().invoke(app, ["report", str(DEALS / "small-renewal"), "--format", "docx",
                                 "--out", str(tmp_path)])
    assert r.exit_code == 2 and "html, pdf" in r.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.browser
def test_pdf_shows_hostile_names_as_text(tmp_path):
    if chromium_path() is None or shutil.which("pdfinfo") is None:
        pytest.skip("chromium and poppler-utils are needed (.ci/run installs both)")
    r = run_report(ROOT / "tests" / "fixtures" / "deals" / "hostile-names", tmp_path, fmt="pdf")
    assert r.ok, r.error
    # run_report's PDF path: the PDF and its JSON, no HTML left beside them
    assert Path(r.output).read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile-names.json",
                                                          "hostile-names.pdf"]
    text = subprocess.run(["pdftotext", r.output, "-"], capture_output=True, text=True).stdout
    assert "<script>alert(1)</script>" in text  # printed as text, so it was never markup
    assert '=HYPERLINK("http://evil.example","click")' in text
    # the default paper: A4 for a deal in EUR (595 x 842 pt)
    info = subprocess.run(["pdfinfo", r.output], capture_output=True, text=True).stdout
    assert next(ln for ln in info.splitlines() if ln.startswith("Page size")).endswith("(A4)")


@pytest.mark.browser
def test_pdf_paper_letter_on_request(tmp_path):
    if chromium_path() is None or shutil.which("pdfinfo") is None:
        pytest.skip("chromium and poppler-utils are needed (.ci/run installs both)")
    deal = [d for d in SAMPLE_DEALS if d.name == "small-renewal"][0]
    r = run_report(deal, tmp_path, fmt="pdf", paper="letter")
    assert r.ok, r.error
    info = subprocess.run(["pdfinfo", r.output], capture_output=True, text=True).stdout
    assert "612 x 792" in info  # US letter, 8.5 x 11 in
