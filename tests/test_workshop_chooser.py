"""The deal chooser of the workshop dashboards (:mod:`powerkit.workshop.chooser`, issue 18 item 11).

Without a browser: what a query string may choose (only the deals folder's entries and
``upload:<32 hex>`` tokens — a property over arbitrary text), how an upload is kept (private
folder and file, names reduced) and validated (the lines of ``powerkit validate``, escaped, never
a traceback), ``chosen_deal`` unchanged outside Voila, ``--deals`` reaching Voila's environment.

In Chromium (Playwright, Debian's chromium) on walkthrough 1 served with pre-heated kernels:
the dropdown re-runs the dashboard on another deal, a bad workbook's upload shows its problems
in the page and stays, a good one re-runs the dashboard on the uploaded deal (its title shown).
"""
from __future__ import annotations

import html
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import openpyxl
import pytest
import yaml
from conftest import NOTEBOOKS, voila
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerkit import workshop
from powerkit.deal.workbook import folder_to_workbook
from powerkit.paths import sample_deal
from powerkit.workshop import chooser
from powerkit.workshop.chooser import (
    DEALS_ENV,
    UPLOADS_ENV,
    build_chooser,
    chosen_deal,
    deal_choices,
    deal_problems,
    parse_choice,
    resolve_choice,
    save_upload,
    uploads_folder,
)

WALKTHROUGHS = sorted(p.name for p in NOTEBOOKS.glob("0*.ipynb"))
UPLOADED_TITLE = "Zephyr Uplift: upload test <b>deal</b>"  # markup must show as text


def _title(folder: Path) -> str:
    """A sample deal's title, read from its deal.yaml (not through powerkit)."""
    return yaml.safe_load((folder / "deal.yaml").read_text(encoding="utf-8"))["title"]


@pytest.fixture
def deals(tmp_path) -> Path:
    """A deals folder: one deal folder, one workbook, and entries that are not deals."""
    d = tmp_path / "deals"
    d.mkdir()
    shutil.copytree(sample_deal("small-renewal"), d / "small-renewal")
    folder_to_workbook(sample_deal("harbour-council"), d / "Harbour vote.xlsx")
    (d / "notes").mkdir()  # a folder without deal.yaml
    (d / "~$Harbour vote.xlsx").write_bytes(b"lock")  # Excel's lock file
    (d / ".hidden.xlsx").write_bytes(b"x")
    (d / "stakeholders.csv").write_text("a,b\n")
    return d


@pytest.fixture
def uploads(tmp_path) -> Path:
    u = tmp_path / "uploads"
    u.mkdir(mode=0o700)
    return u


def _workbook(tmp_path, name: str, title: str | None = None, party: str | None = None) -> Path:
    """The small-renewal sample deal as a workbook, its title or first stakeholder's party
    changed (sheet 'deal' row 3 holds the title; sheet 'stakeholders' column C the party)."""
    path = tmp_path / name
    folder_to_workbook(sample_deal("small-renewal"), path)
    wb = openpyxl.load_workbook(path)
    assert wb["deal"]["A3"].value == "title" and wb["stakeholders"]["C1"].value == "party"
    if title is not None:
        wb["deal"]["B3"] = title
    if party is not None:
        wb["stakeholders"]["C2"] = party
    wb.save(path)
    return path


# ---------------------------------------------------------------- what an address may choose

def test_choices_are_deal_folders_and_workbooks_only(deals):
    assert list(deal_choices(deals)) == ["Harbour vote.xlsx", "small-renewal"]
    assert deal_choices(deals / "missing") == {}


def test_a_named_deal_resolves_to_its_entry(deals, uploads):
    choices = deal_choices(deals)
    assert resolve_choice("small-renewal", choices, uploads) == (deals / "small-renewal", None)
    assert resolve_choice("Harbour vote.xlsx", choices, uploads) == (
        deals / "Harbour vote.xlsx", None)


@pytest.mark.parametrize("choice", [
    "../deals/small-renewal", "small-renewal/", "/etc/passwd", "notes", "stakeholders.csv",
    "~$Harbour vote.xlsx", ".hidden.xlsx", "SMALL-RENEWAL", "small-renewal\x00",
    "upload:", "upload:" + "a" * 31, "upload:" + "A" * 32, "upload:" + "a" * 33,
    "upload:../" + "a" * 29, "upload:" + "a" * 32])  # the last: a well-formed unknown token
def test_anything_else_is_refused_with_one_line(deals, uploads, choice):
    path, problem = resolve_choice(choice, deal_choices(deals), uploads)
    assert path is None
    assert problem.count("\n") == 0 and repr(choice) in problem


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_property_a_choice_reaches_only_offered_deals_or_uploads(deals, uploads, text):
    """Any text in the address: either refused, or one of the folder's entries, or a workbook
    inside the uploads folder."""
    choices = deal_choices(deals)
    for choice in (text, "upload:" + text):
        path, problem = resolve_choice(choice, choices, uploads)
        if path is None:
            assert problem
            continue
        assert path in choices.values() or uploads in path.parents


def test_parse_choice_reads_the_query_string():
    assert parse_choice("deal=small-renewal") == "small-renewal"
    assert parse_choice("x=1&deal=Harbour+vote.xlsx") == "Harbour vote.xlsx"
    assert parse_choice("deal=a&deal=b") == "b"  # the last one, as the reload sets it
    assert parse_choice("deal=") is None and parse_choice("other=1") is None


# ---------------------------------------------------------------- chosen_deal in and out of Voila

def test_chosen_deal_is_the_parameter_outside_voila(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "deal=small-renewal")  # not Voila: ignored
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append(a))
    assert chosen_deal("../data/deals/northwind-vendor") == "../data/deals/northwind-vendor"
    assert shown == []


def _under_voila(monkeypatch, deals, uploads, query):
    monkeypatch.setenv("VOILA_PREHEAT", "False")  # a Voila kernel that was not pre-heated
    monkeypatch.setenv("QUERY_STRING", query)
    monkeypatch.setenv(DEALS_ENV, str(deals))
    monkeypatch.setenv(UPLOADS_ENV, str(uploads))
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.extend(a))
    return shown


def test_chosen_deal_under_voila_follows_the_address(monkeypatch, deals, uploads):
    shown = _under_voila(monkeypatch, deals, uploads, "deal=small-renewal")
    own = str(sample_deal("northwind-vendor"))
    assert chosen_deal(own) == deals / "small-renewal"
    (box,) = shown
    assert box.dropdown.value == "small-renewal"
    assert box.dropdown.options[0] == ("northwind-vendor (this walkthrough’s deal)", "")
    assert "Showing <b>Brisk Facility Services: cleaning contract renewal with Larchmont " \
           "Clinic</b>" in box.status.value  # the title in data/deals/small-renewal/deal.yaml

    shown.clear()
    monkeypatch.setenv("QUERY_STRING", "")
    assert chosen_deal(own) == own  # no choice: the walkthrough's deal, chooser shown
    assert shown[0].dropdown.value == "" and shown[0].status.value == ""


def test_chosen_deal_refuses_an_invalid_deal_and_shows_why(monkeypatch, deals, uploads):
    bad = deals / "bad"
    shutil.copytree(sample_deal("small-renewal"), bad)
    yaml_text = (bad / "deal.yaml").read_text(encoding="utf-8")
    (bad / "deal.yaml").write_text(yaml_text.replace("us: brisk", "us: nobody"),
                                   encoding="utf-8")
    shown = _under_voila(monkeypatch, deals, uploads, "deal=bad")
    own = str(sample_deal("northwind-vendor"))
    assert chosen_deal(own) == own
    lines = re.findall(r'<div class="pk-problem"[^>]*>(.*?)</div>', shown[0].status.value)
    # small-renewal's parties.csv has brisk and larchmont
    assert [html.unescape(x) for x in lines] == [
        "deal.yaml, key 'us': got 'nobody'; expected a party id from parties: brisk, larchmont"]
    assert "Traceback" not in shown[0].status.value


# ---------------------------------------------------------------- uploads

def test_upload_is_kept_privately_under_a_random_token(uploads):
    token, path, problem = save_upload(b"PK\x03\x04", "../../Our <deal> v2.xlsx", uploads)
    assert problem is None and re.fullmatch(r"[0-9a-f]{32}", token)
    assert path == uploads / token / "Our _deal_ v2.xlsx"  # no path, no markup in the name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert resolve_choice("upload:" + token, {}, uploads) == (path, None)
    assert save_upload(b"x", "a.xlsx", uploads)[0] != token  # a new token each time


def test_upload_refuses_other_files_and_big_ones(uploads, monkeypatch):
    assert save_upload(b"a,b", "deal.csv", uploads)[2].startswith(
        "deal.csv: expected an Excel workbook (.xlsx)")
    monkeypatch.setattr(chooser, "MAX_UPLOAD_BYTES", 1024)
    # 3 MiB of zeros: 3.0 MB reported, the limit 1024 bytes = 0 whole MB
    assert save_upload(bytes(3 * 2**20), "big.xlsx", uploads)[2] == (
        "big.xlsx: 3.0 MB is more than a deal workbook needs (at most 0 MB); remove pictures "
        "and unused sheets")
    assert list(uploads.iterdir()) == []


def test_uploads_folder_must_be_private(tmp_path, monkeypatch):
    open_folder = tmp_path / "open"
    open_folder.mkdir()
    open_folder.chmod(0o755)
    monkeypatch.setenv(UPLOADS_ENV, str(open_folder))
    with pytest.raises(Exception, match="is not private to this user"):
        uploads_folder()
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    monkeypatch.setenv(UPLOADS_ENV, str(link))
    with pytest.raises(Exception, match="is not a folder"):
        uploads_folder()
    monkeypatch.setenv(UPLOADS_ENV, str(tmp_path / "new"))
    assert stat.S_IMODE(uploads_folder().stat().st_mode) == 0o700


def test_a_bad_upload_shows_the_validate_lines_escaped_and_stays(tmp_path, deals, uploads):
    bad = _workbook(tmp_path, "<img src=x onerror=alert(1)>.xlsx", party="nobody")
    box = build_chooser(choices=deal_choices(deals), uploads=uploads)
    lines = box.take_upload(bad.read_bytes(), bad.name)
    # the stored name drops the markup: each run of '<', '=', '(', ')', '>' becomes '_', spaces
    # stay, '_' at either end is dropped; the first stakeholder is sheet row 2 (1: the header)
    assert lines == ["img src_x onerror_alert_1.xlsx, sheet 'stakeholders', row 2, column "
                     "'party': got 'nobody'; expected a party id from parties (add the party "
                     "to parties or fix the id)"]
    assert list(uploads.iterdir()) == []  # a refused upload is not kept
    # the same lines as `powerkit validate` on that workbook under the stored name (one line
    # each, after its head line)
    stored = tmp_path / "img src_x onerror_alert_1.xlsx"
    shutil.copy(bad, stored)
    r = subprocess.run([sys.executable, "-m", "powerkit.cli", "validate", str(stored)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert [x.strip() for x in r.stderr.strip().splitlines()[1:]] == lines
    html = box.status.value
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;.xlsx" in html
    assert box.nav.outputs == ()  # no reload


def test_a_file_that_is_not_a_workbook_is_one_clear_problem(tmp_path, uploads):
    box = build_chooser(choices={}, uploads=uploads)
    lines = box.take_upload(b"just some notes", "notes.xlsx")
    assert lines[0] == ("notes.xlsx; expected an .xlsx workbook that opens in Excel "
                        "(BadZipFile: File is not a zip file)")
    assert not any("internal error" in x or "Traceback" in x for x in lines)


def test_the_upload_widget_hands_its_file_over_and_clears(tmp_path, uploads):
    """What the browser sends (FileUpload.value: name, content, …) reaches take_upload; the
    value is cleared so the same file, fixed, can be uploaded again."""
    import datetime

    box = build_chooser(choices={}, uploads=uploads)
    box.upload.value = ({"name": "notes.xlsx", "type": "", "size": 3,
                         "content": memoryview(b"abc"),
                         "last_modified": datetime.datetime.now(datetime.UTC)},)
    assert box.upload.value == ()
    assert "notes.xlsx cannot be used" in box.status.value
    assert list(uploads.iterdir()) == []  # refused: not kept


def test_a_good_upload_reloads_the_page_on_it(tmp_path, monkeypatch, deals, uploads):
    good = _workbook(tmp_path, "zephyr.xlsx", title=UPLOADED_TITLE)
    box = build_chooser(choices=deal_choices(deals), uploads=uploads)
    assert box.take_upload(good.read_bytes(), good.name) == []
    script = box.nav.outputs[0]["data"]["application/javascript"]
    token = re.fullmatch(r'window\.location\.search = "\?deal=upload%3A([0-9a-f]{32})";',
                         script).group(1)
    shown = _under_voila(monkeypatch, deals, uploads, f"deal=upload%3A{token}")
    assert chosen_deal("x") == uploads / token / "zephyr.xlsx"
    assert shown[0].dropdown.value == "upload:" + token
    assert f"Showing <b>{UPLOADED_TITLE.replace('<b>', '&lt;b&gt;').replace('</b>', '&lt;/b&gt;')}" \
           in shown[0].status.value


def test_the_dropdown_reloads_with_the_choice(deals):
    box = build_chooser(choices=deal_choices(deals), default_label="northwind-vendor")
    box.dropdown.value = "Harbour vote.xlsx"
    assert box.nav.outputs[0]["data"]["application/javascript"] == \
        'window.location.search = "?deal=Harbour+vote.xlsx";'
    box.dropdown.value = ""
    assert box.nav.outputs[0]["data"]["application/javascript"] == \
        "window.location.href = window.location.pathname;"


def test_deal_problems_never_raises(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    deal, lines = deal_problems(folder)
    assert deal is None and lines and all("\n" not in x for x in lines)
    assert deal_problems(sample_deal("small-renewal"))[1] == []


# ---------------------------------------------------------------- --deals to Voila

def test_voila_command_passes_the_deals_and_a_private_uploads_folder(deals, tmp_path):
    argv, env = workshop.voila_command(port=8871, template_root=tmp_path, deals=deals)
    assert env[DEALS_ENV] == str(deals.resolve())
    up = Path(env[UPLOADS_ENV])
    assert stat.S_IMODE(up.stat().st_mode) == 0o700 and up.stat().st_uid == os.getuid()
    with pytest.raises(ValueError, match="'deals' parameter of voila_command"):
        workshop.voila_command(port=8871, template_root=tmp_path, deals=tmp_path / "none")


def test_cli_workshop_deals_option(deals, tmp_path):
    from typer.testing import CliRunner

    import powerkit.cli.workshop  # noqa: F401  (registers the command with --deals)
    from powerkit.cli import app

    r = CliRunner().invoke(app, ["workshop", "--deals", str(deals), "--print", "--port", "8872"])
    assert r.exit_code == 0 and f"{DEALS_ENV}={deals.resolve()}" in r.output
    r = CliRunner().invoke(app, ["workshop", "--deals", str(tmp_path / "none"), "--print"])
    assert r.exit_code == 2
    assert r.output.strip() == f"{tmp_path / 'none'}: does not exist; check the path given to --deals"


def test_every_walkthrough_calls_the_chooser_before_loading_its_deal():
    """Each walkthrough (00–07) lets the chooser replace ``deal_path`` before anything reads
    it (the line ``deal_path = chosen_deal(deal_path)``)."""
    for name in WALKTHROUGHS:
        code = [c.source for c in nbformat.read(NOTEBOOKS / name, as_version=4).cells
                if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
        text = "\n".join(code)
        call = text.find("deal_path = chosen_deal(deal_path)")
        assert call >= 0, f"{name} does not call chosen_deal"
        first_use = min(m.start() for m in re.finditer(r"deal_path\b", text))
        assert first_use == call, f"{name} reads deal_path before the chooser"


# ---------------------------------------------------------------- in Chromium

WALKTHROUGH = "01_reading_power_dynamics.ipynb"
PAGE_MS = 90_000


def _dashboard_copy(folder: Path) -> Path:
    """Walkthrough 1 in ``folder``, its deal an absolute path, with the chooser line (inserted
    here when the notebook does not have it yet)."""
    nb = nbformat.read(NOTEBOOKS / WALKTHROUGH, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = re.sub(r'deal_path: str = "[^"]*"',
                           f'deal_path: str = "{sample_deal("northwind-vendor")}"', params.source)
    if not any("chosen_deal(deal_path)" in c.source for c in nb.cells):
        load = next(c for c in nb.cells if c.cell_type == "code" and "load_deal(deal_path)"
                    in c.source)
        head, sep, tail = load.source.partition("\ndeal = ")
        load.source = (head + "\nfrom powerkit.workshop import chosen_deal\n\n"
                       "deal_path = chosen_deal(deal_path)" + sep + tail)
    folder.mkdir()
    out = folder / WALKTHROUGH
    nbformat.write(nb, out)
    return out


def _wait_title(page, title: str):
    """The dashboard itself (walkthrough 1's reading note, Markdown) shows ``title``."""
    page.locator(".jp-RenderedMarkdown", has_text=title).first.wait_for(timeout=PAGE_MS)


def _upload(page, path: Path):
    """Press the chooser's upload button and pick ``path`` in the file dialog."""
    with page.expect_file_chooser() as fc:
        page.locator(".pk-deal-chooser .widget-upload").click()
    fc.value.set_files(path)


@pytest.mark.browser
@pytest.mark.slow
def test_chooser_in_chromium_dropdown_and_uploads(browser, tmp_path, deals):
    import test_voila as tv  # its request filter: nothing may leave 127.0.0.1

    nb = _dashboard_copy(tmp_path / "notebooks")
    bad = _workbook(tmp_path, "bad deal.xlsx", party="nobody")
    good = _workbook(tmp_path, "zephyr.xlsx", title=UPLOADED_TITLE)
    uploads = tmp_path / "uploads"
    uploads.mkdir(mode=0o700)
    with voila(nb, tmp_path, preheat=True, refill=True, deals=deals, uploads=uploads) as (base, log):
        page, outside = tv.open_local(browser, base)
        chooser_box = page.locator(".pk-deal-chooser")
        chooser_box.wait_for(timeout=PAGE_MS)
        _wait_title(page, _title(sample_deal("northwind-vendor")))
        select = chooser_box.locator(".widget-dropdown select")
        # (ipywidgets shows option labels with no-break spaces)
        assert [t.replace("\xa0", " ") for t in select.locator("option").all_inner_texts()] == [
            "northwind-vendor (this walkthrough’s deal)", "Harbour vote.xlsx", "small-renewal"]

        # the dropdown: the page re-runs on the chosen deal
        select.select_option(label="small-renewal")
        page.wait_for_url(re.compile(r"\?deal=small-renewal$"), timeout=PAGE_MS)
        _wait_title(page, _title(sample_deal("small-renewal")))
        assert page.locator(".pk-deal-chooser .widget-dropdown select").input_value() == \
            "small-renewal"

        # a bad workbook: its problem in the page, one line, and the page stays
        url = page.url
        _upload(page, bad)
        problem = page.locator(".pk-deal-chooser .pk-problem")
        problem.first.wait_for(timeout=30_000)
        assert problem.all_inner_texts() == [
            "bad deal.xlsx, sheet 'stakeholders', row 2, column 'party': got 'nobody'; expected "
            "a party id from parties (add the party to parties or fix the id)"]
        assert page.url == url and "Traceback" not in page.content()

        # a good workbook: the page re-runs on the uploaded deal, its title shown as text
        _upload(page, good)
        page.wait_for_url(re.compile(r"\?deal=upload%3A[0-9a-f]{32}$"), timeout=PAGE_MS)
        _wait_title(page, UPLOADED_TITLE)
        token = page.url.rsplit("%3A", 1)[1]
        assert (uploads / token / "zephyr.xlsx").read_bytes() == good.read_bytes()
        assert page.locator(".jp-RenderedMarkdown b", has_text="deal").count() == 0  # inert
        assert outside == [], outside
        page.close()
        # each page left (the first two) had its kernel shut down by Voila's beacon, which
        # needs the _xsrf cookie the page template sets (without it: 403, kernels left running)
        text = log.read_text()
        assert "403 POST /voila/api/shutdown" not in text
        assert text.count("Kernel shutdown:") >= 2, text[-3000:]
