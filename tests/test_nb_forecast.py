"""Walkthrough 6 (notebooks/06_forecasting_decisions.ipynb), its report section, figures and
widgets.

The notebook runs under papermill on every sample deal; its recorded forecasts are checked
against the models recomputed here from the deal's CSV files read with pandas (capabilities
resolved from stakeholders.csv's vote weights, the weighted mean and median by their
definitions, the Condorcet winner by a brute-force loop over every pair of positions), never
through powerkit. A deal without a positions table runs and says so in one line. The report
shows "Where the decision will land" for harbour-council and leaves it out in one line for
northwind-vendor; the section's invariants (forecasts within the range of positions, our position
the table's) hold and catch broken inputs; hostile text in issues and scale ends stays inert.
"""
from __future__ import annotations

import json
import math
import shutil
from html.parser import HTMLParser

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import DEALS, ROOT, SAMPLE_DEALS

import powerkit as pk
from powerkit.sections import forecast as views

NB = "06_forecasting_decisions.ipynb"
HARBOUR = DEALS / "harbour-council"
NORTHWIND = DEALS / "northwind-vendor"
HOSTILE = ROOT / "tests" / "fixtures" / "deals" / "hostile-names"


# -- the models recomputed from the CSV files, independently of powerkit ---------------------
def _table_from_csv(path) -> pd.DataFrame:
    """positions.csv with capability as a number: 'voting_power' → stakeholders.csv's
    vote_weight, blank → 1 (docs/deal-format.md), and the weight c·s."""
    pos = pd.read_csv(path / "positions.csv")
    votes = pd.read_csv(path / "stakeholders.csv").set_index("stakeholder")["vote_weight"]

    def cap(actor, c):
        if pd.isna(c):
            return 1.0
        if str(c).strip() == "voting_power":
            return float(votes[actor])
        return float(c)

    pos["cap"] = [cap(a, c) for a, c in zip(pos["actor"], pos["capability"], strict=True)]
    pos["w"] = pos["cap"] * pos["salience"]
    return pos


def _mean(g):
    return float((g["w"] * g["position"]).sum() / g["w"].sum())


def _median(g):
    """Positions ascending; the first whose cumulative weight reaches half of the total."""
    g = g.sort_values("position")
    half, cum = g["w"].sum() / 2, 0.0
    for x, w in zip(g["position"], g["w"], strict=True):
        cum += w
        if cum >= half - 1e-12 * g["w"].sum():
            return float(x)
    raise AssertionError("unreachable")


def _condorcet(g):
    """Brute force: a candidate (an actor's position) wins when, against every other
    position, the actors strictly closer to it outweigh those strictly closer to the other."""
    cands = sorted(set(g["position"]))
    for a in cands:
        beats_all = True
        for b in cands:
            if a == b:
                continue
            for_a = sum(w for x, w in zip(g["position"], g["w"], strict=True)
                        if abs(x - a) < abs(x - b))
            for_b = sum(w for x, w in zip(g["position"], g["w"], strict=True)
                        if abs(x - b) < abs(x - a))
            if not for_a > for_b:
                beats_all = False
                break
        if beats_all:
            return float(a)
    return math.nan


def _num(v):
    return math.nan if v is None or v == "nan" else float(v)


def _outputs_text(nb_path) -> str:
    nb = nbformat.read(nb_path, as_version=4)
    return "\n".join(str(o.get("data", {}).get("text/markdown", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


@pytest.mark.slow
@pytest.mark.parametrize("path", SAMPLE_DEALS, ids=[p.name for p in SAMPLE_DEALS])
def test_notebook_on_sample_deal(run_notebook, tmp_path, path):
    rec = run_notebook(NB, deal_path=str(path))
    assert rec["deal_id"] == path.name
    if not (path / "positions.csv").exists():
        assert rec["has_positions"] is False and rec["issues"] == []
        text = _outputs_text(tmp_path / "06_forecasting_decisions-out.ipynb")
        line = [t for t in text.splitlines() if "No positions table" in t]
        assert len(line) == 1 and "docs/deal-format.md" in line[0]
        return
    t = _table_from_csv(path)
    issues = list(dict.fromkeys(t["issue"]))
    assert rec["has_positions"] is True and rec["issues"] == issues
    us = pk.load_deal(path).us
    for issue, g in t.groupby("issue", sort=False):
        assert rec["forecast_mean"][issue] == pytest.approx(_mean(g), rel=1e-12)
        assert rec["forecast_median"][issue] == pytest.approx(_median(g))
        cw = _condorcet(g)
        got = _num(rec["condorcet"][issue])
        assert (math.isnan(got) and math.isnan(cw)) or got == pytest.approx(cw), issue
        lo, hi = g["position"].min(), g["position"].max()
        assert (rec["low"][issue], rec["high"][issue]) == (lo, hi)
        mine = g[g["actor"] == us]["position"]
        if len(mine):
            assert rec["ours"][issue] == float(mine.iloc[0])
        # every model lands within the positions taken
        for key in ("forecast_mean", "forecast_median", "condorcet", "forecast_bdm",
                    "forecast_exchange"):
            v = _num(rec[key][issue])
            assert math.isnan(v) or lo - 1e-9 <= v <= hi + 1e-9, (key, issue, v)
        # whom to move (compromise model): W / wᵢ, how far actor i moves the forecast one unit
        for a, w in zip(g["actor"], g["w"], strict=True):
            expected = g["w"].sum() / w if w > 0 else math.inf
            assert rec["to_shift_one"][f"{a}|{issue}"] == pytest.approx(expected)
    if path.name == "harbour-council":
        # by hand, concession fee (EUR m): weights c·s = tidewater 4·1 = 4, Labour 6·0.6 = 3.6,
        # Civic 6·0.8 = 4.8, Greens 4·0.4 = 1.6, Liberal 4·0.7 = 2.8, Regional 2·0.5 = 1,
        # Fishermen 2·0.4 = 0.8, Independents 2·0.5 = 1, Heritage 1·0.4 = 0.4, union 3·0.08 =
        # 0.24, estuary 1.5·0.08 = 0.12, port 3·0.8 = 2.4: W = 22.76; Σ w·x = 160 + 147.6 + 206.4
        # + 64 + 109.2 + 40 + 33.6 + 40 + 16.4 + 9.6 + 4.8 + 100.8 = 932.4 → 932.4/22.76.
        assert rec["forecast_mean"]["concession fee (EUR m)"] == pytest.approx(932.4 / 22.76)
        # concession term (years): W = 2.84 + 3 + 3.6 + 3.2 + 2.4 + 0.8 + 1.2 + 1 + 0.5 + 0.75
        # + 0.495 + 1.8 = 21.585; Σ w·x = 85.2 + 75 + 72 + 64 + 72 + 24 + 24 + 25 + 12.5 + 22.5
        # + 9.9 + 45 = 531.1; the farthest issue from our 30 years (shown closely).
        assert rec["forecast_mean"]["concession term (years)"] == pytest.approx(531.1 / 21.585)
        assert rec["shown_issue"] == "concession term (years)"
        # sorted term positions 20 (Civic 3.6, Greens 3.2, Fishermen 1.2, estuary 0.495 = 8.495)
        # then 25 (Labour 3, Independents 1, Heritage 0.5, port 1.8 → 14.795 ≥ 21.585/2): 25
        assert rec["forecast_median"]["concession term (years)"] == 25.0


@pytest.mark.slow
def test_notebook_what_if_issue_parameter(run_notebook):
    """The ``issue`` parameter chooses the issue looked at closely."""
    rec = run_notebook(NB, deal_path=str(HARBOUR), issue="local jobs guarantee (jobs)", rounds=3)
    assert rec["shown_issue"] == "local jobs guarantee (jobs)"
    assert rec["bdm_rounds"] == 3


# -- the section, its invariants and the widgets, without a notebook -------------------------
@pytest.fixture(scope="module")
def harbour():
    from powerkit.forecast import forecast

    deal = pk.load_deal(HARBOUR)
    fc = forecast(deal)
    return deal, fc, views.section(deal, result=fc)


def test_section_tells_the_harbour_story(harbour):
    deal, fc, sec = harbour
    assert sec.missing is None and sec.title == "Where the decision will land"
    hl = sec.headline
    t = _table_from_csv(HARBOUR)
    ours = t[t["actor"] == "tidewater"].set_index("issue")["position"]
    assert hl["ours"] == {k: float(v) for k, v in ours.items()}
    for issue, g in t.groupby("issue", sort=False):
        assert hl["forecast_mean"][issue] == pytest.approx(_mean(g), abs=1e-4)
    # the issue farthest from us as a share of the range: term |24.605 − 30| / (30 − 20) = 0.54
    # (fee 0.97/4 = 0.24, jobs 85/300 = 0.28, environment 19.5/100 = 0.19, equity 5.6/21 =
    # 0.27, from the means above)
    assert hl["key_issue"] == "concession term (years)"
    assert hl["key_gap"] == pytest.approx(531.1 / 21.585 - 30, abs=1e-4)
    # on the term the cheapest lever not on our side is the largest weight: Civic 6·0.6 = 3.6
    # (W / w = 21.585 / 3.6 = 5.996 up the scale, from 20 towards our 30)
    assert hl["lever"] == "Beatrice Lowe"
    assert hl["lever_move"] == pytest.approx(21.585 / 3.6, abs=1e-3)
    assert views.forecast_violations(deal, sec, fc) == []
    text = " ".join([sec.summary] + [b for b in sec.blocks if isinstance(b, str)])
    assert "Beatrice Lowe" in text and "concession term" in text
    assert sum(isinstance(b, go.Figure) for b in sec.blocks) >= 5


def test_invariants_catch_broken_inputs(harbour):
    """Each invariant has an input it must catch: our position changed in the headline, a
    model's forecast pushed outside the positions taken, a headline forecast that is not the
    models'."""
    import copy

    deal, fc, sec = harbour
    bad = copy.deepcopy(sec)
    bad.headline["ours"]["concession fee (EUR m)"] = 41.0
    assert any(v.startswith("ours:") for v in views.forecast_violations(deal, bad, fc))
    wrong = copy.copy(fc)
    wrong.compare = fc.compare.copy()
    wrong.compare.loc["concession fee (EUR m)", "bdm"] = 50.0  # positions run 39–43
    out = views.forecast_violations(deal, sec, wrong)
    assert any(v.startswith("range:") for v in out) and any(v.startswith("headline:")
                                                            for v in out)
    # a deal with a positions table whose section is left out
    empty = views.Section("forecast", views.TITLE, missing="left out")
    assert views.forecast_violations(deal, empty, fc)


def test_section_left_out_in_one_line_without_positions():
    deal = pk.load_deal(NORTHWIND)
    sec = views.section(deal)
    assert sec.missing == views.MISSING and "\n" not in sec.missing and not sec.blocks
    assert "docs/deal-format.md" in sec.missing
    assert views.forecast_violations(deal, sec) == []


def test_exchange_effects_read_the_shifts(harbour):
    """Whether an exchange shifts an outcome towards us is the sign of the shift times the
    sign of (ours − compromise), per issue, read here from the frames themselves."""
    deal, fc, _ = harbour
    eff = views.exchange_effects(fc.exchange.exchanges, fc.compare)
    for r in eff.itertuples():
        for issue, shift in ((r.issue_i, r.shift_i), (r.issue_j, r.shift_j)):
            side = fc.compare.at[issue, "ours"] - fc.compare.at[issue, "mean"]
            if side * shift > 0:
                assert issue in r.towards_us
            elif side * shift < 0:
                assert issue in r.away_from_us
        assert r.our_way == bool(r.towards_us)


def test_widgets_callbacks(harbour):
    """Issue, model and round controls, called as the browser calls them: round 0 shows the
    positions of positions.csv; the median's sensitivity replaces the mean's; a model without
    a sensitivity says so."""
    from powerkit.widgets.forecast import build_forecast_widgets

    deal, fc, _ = harbour
    box = build_forecast_widgets(deal, fc)
    issue = "council equity share (%)"
    box.controls["issue"].value = issue
    box.controls["round"].value = 0
    fig = box.last["rounds"]
    assert [f.name for f in fig.frames] == ["0"]
    t = _table_from_csv(HARBOUR)
    g = t[t["issue"] == issue]
    assert sorted(fig.data[0].x) == sorted(g["position"].astype(float))
    box.controls["model"].value = "median"
    assert box.last["forecast"] == _median(g)
    assert box.last["sensitivity"] is not None and box.cache["median"] is fc.sensitivity_median
    box.controls["model"].value = "bdm"
    assert box.last["sensitivity"] is None and "compromise model" in box.last["sensitivity_note"]
    assert "51" in box.last["text"] or "gap" in box.last["text"]


def test_figures_label_scale_ends_and_units(harbour):
    """The issue's name (with its unit) titles the axis; the scale's ends from positions.csv
    name the axis ends."""
    from powerkit import plots

    deal, fc, _ = harbour
    issue = "concession term (years)"
    fig = plots.issue_forecast_figure(fc.table, fc.compare, issue)
    assert fig.layout.xaxis.title.text == issue
    notes = [a.text for a in fig.layout.annotations]
    assert "← 20 years" in notes and "30 years →" in notes
    over = plots.forecast_overview_figure(fc.compare)
    assert any("EUR 34m: our opening bid" in a.text for a in over.layout.annotations)
    paths = plots.bdm_paths_figure(fc.bdm, issue)
    assert paths.layout.yaxis.title.text == issue


# -- the report --------------------------------------------------------------------------------
@pytest.mark.slow
def test_report_shows_the_section_or_one_line(reports):
    """powerkit report on harbour-council shows the section (heading, the forecast figures and
    the headline in the JSON); on northwind-vendor one line says it is left out and why. (The
    reports: the session's one batch of every sample deal, tests/conftest.py.)"""
    out, batch = reports
    results = {k: batch[k] for k in (HARBOUR.name, NORTHWIND.name)}
    assert all(r.ok for r in results.values()), {k: r.error for k, r in results.items()}
    html = (out / "harbour-council.html").read_text(encoding="utf-8")
    assert "Where the decision will land" in html and "concession term (years)" in html
    head = json.loads((out / "harbour-council.json").read_text())["headline"]["forecast"]
    assert head["key_issue"] == "concession term (years)" and head["issues"] == 5
    html = (out / "northwind-vendor.html").read_text(encoding="utf-8")
    assert "Where the decision will land" in html and "No positions table in this deal" in html
    assert html.count("No positions table in this deal") == 2  # summary line and section line
    head = json.loads((out / "northwind-vendor.json").read_text())["headline"]["forecast"]
    assert head == {"missing": views.MISSING}


# -- hostile text --------------------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


HOSTILE_ISSUE = "[fee](javascript:alert(1)) <script>alert(1)</script> (EUR)"
HOSTILE_LOW = '<img src=x onerror=alert(2)> "low" & co'
HOSTILE_HIGH = "<https://evil.example> $\\alert{5}$"


@pytest.fixture
def hostile_deal(tmp_path):
    """hostile-names plus a positions table whose issue and scale ends are hostile (the actors
    are the fixture's hostile names)."""
    deal_dir = tmp_path / "hostile"
    shutil.copytree(HOSTILE, deal_dir)
    rows = [("brisk", 10, 1.0, "2"), ("lc_fac", 30, 0.8, "3"), ("lc_fin", 20, 0.5, "1")]
    pd.DataFrame({"actor": [r[0] for r in rows], "issue": HOSTILE_ISSUE,
                  "position": [r[1] for r in rows], "salience": [r[2] for r in rows],
                  "capability": [r[3] for r in rows], "scale_low": [HOSTILE_LOW, None, None],
                  "scale_high": [HOSTILE_HIGH, None, None]}).to_csv(deal_dir / "positions.csv",
                                                                     index=False)
    return pk.load_deal(deal_dir)


def test_hostile_issue_names_and_scale_ends_stay_inert(hostile_deal):
    """Every Markdown block renders without a link, image or script, every plotly string
    carries no tag but plotly's own, and the texts read as written."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    deal = hostile_deal
    sec = views.section(deal)
    assert sec.missing is None
    active = {"a", "img", "script", "style", "iframe", "svg", "math", "link"}
    for text in [sec.summary] + [b for b in sec.blocks if isinstance(b, str)]:
        for tag, attrs in _Tags(markdown2html_mistune(text)).tags:
            if tag == "a" and attrs.get("class") == "anchor-link" and \
                    attrs.get("href", "").startswith("#"):
                continue  # the heading's own permalink (nbconvert's), not deal text
            assert tag not in active, (tag, text[:200])
            assert not [a for a in attrs if a in ("href", "src") or a.startswith("on")]
    strings = []

    def walk(v):
        if isinstance(v, str):
            strings.append(v)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    figs = [b for b in sec.blocks if isinstance(b, go.Figure)]
    assert figs
    for f in figs:
        walk(json.loads(f.to_json()))
    allowed = {"br", "b", "i", "sup", "sub", "extra", "em", "span"}
    for s in strings:
        assert {t for t, _ in _Tags(s).tags} <= allowed, s[:200]
    blob = " ".join(strings)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in blob  # the issue, as written
    assert '"low" &amp; co' in blob  # quotes as written, & escaped once
    for t in sec.tables():  # table cells are escaped when rendered (to_html(escape=True))
        assert "<script>" not in t.to_html(escape=True)


def test_hostile_text_in_the_widgets_stays_inert(hostile_deal):
    """The widget's HTML, Output data and figures (as a browser gets them) carry the hostile
    issue, scale ends and names escaped, never raw, for every model of the chooser."""
    import ipywidgets as w

    from powerkit.text import label
    from powerkit.widgets.forecast import build_forecast_widgets

    def payloads(widget):
        found = []
        if isinstance(widget, w.HTML):
            found.append(widget.value)
        if isinstance(widget, w.Output):
            for o in widget.outputs:
                data = o.get("data", {})
                found += [data.get("text/html", ""), data.get("text/markdown", ""),
                          json.dumps(data.get("application/vnd.plotly.v1+json", {}))]
        for child in getattr(widget, "children", ()) or ():
            found += payloads(child)
        return found

    box = build_forecast_widgets(hostile_deal)
    for model in [v for _, v in box.controls["model"].options]:
        box.controls["model"].value = model
        text = " ".join(payloads(box))
        for raw in ("<script", "<img src=x", "<https://evil"):
            assert raw not in text, (model, raw)
        assert json.dumps(label(HOSTILE_ISSUE))[1:-1] in text  # shown, escaped
    assert json.dumps(label(hostile_deal.stakeholders.at["lc_fac", "name"]))[1:-1] in text
