"""Dashboards render hostile names inert: every HTML widget of every walkthrough, built on the
hostile-names deal, shows `<script>` / `<img onerror>` / `<a href>` only as escaped text (HTML widgets
through `esc`, Markdown outputs through `md`, plotly labels through `label`)."""
from __future__ import annotations

import json

import ipywidgets as w
import pytest
from conftest import ROOT

import powerkit as pk
from powerkit.text import esc, label, md
from powerkit.widgets.coalitions import build_coalitions_widgets
from powerkit.widgets.constraints import build_constraints_widgets
from powerkit.widgets.influence import build_influence_widgets
from powerkit.widgets.plan import build_plan_widgets
from powerkit.widgets.power import build_power_widgets
from powerkit.widgets.value import build_value_widgets

HOSTILE = ROOT / "tests" / "fixtures" / "deals" / "hostile-names"
RAW = ("<script", "<img src=x", "<a href")  # escaped, they read &lt;script &lt;img: inert text


def html_payloads(widget) -> list[str]:
    """Every string a browser would parse as HTML: HTML widget values, Output html/markdown
    data, and the text of plotly figures drawn in Outputs."""
    import plotly.graph_objects as go

    found = []
    if isinstance(widget, go.FigureWidget):  # figures updated in place (powerkit.widgets.FigureView)
        found.append(json.dumps(json.loads(widget.to_json())))
    if isinstance(widget, w.HTML | w.HTMLMath):
        found.append(widget.value)
    if isinstance(widget, w.Output):
        for o in widget.outputs:
            data = o.get("data", {})
            found += [data.get("text/html", ""), data.get("text/markdown", "")]
            # plotly renders a subset of HTML in labels: names there must be escaped too
            found.append(json.dumps(data.get("application/vnd.plotly.v1+json", {})))
    for child in getattr(widget, "children", ()) or ():
        found += html_payloads(child)
    return found


@pytest.mark.parametrize("build", [build_power_widgets, build_influence_widgets,
                                   build_constraints_widgets, build_value_widgets,
                                   build_coalitions_widgets, build_plan_widgets],
                         ids=lambda f: f.__name__)
def test_widgets_escape_hostile_names(build):
    deal = pk.load_deal(HOSTILE)
    box = build(deal)
    payloads = html_payloads(box)
    assert payloads, "the dashboard shows some HTML"
    for payload in payloads:
        for raw in RAW:
            assert raw not in payload, f"unescaped {raw!r} in {payload[:200]!r}"
    # the hostile names are there, as escaped text (a test that would pass on an empty
    # dashboard proves nothing): escaped for HTML (esc), Markdown (md) or a plotly label (label,
    # quotes as written; inside the figure's JSON)
    text = " ".join(payloads)
    names = list(deal.stakeholders["name"]) + list(deal.parties["name"])
    shown = [n for n in names if any(f(n) != n and f(n) in text for f in (
        esc, md, label, lambda x: json.dumps(label(x))[1:-1]))]
    assert shown, "no hostile name is shown (escaped) on this dashboard"


# Controls moved the way a trainee moves them — off the step grid, away and back — on the sample
# deal (the expected values come from the analysis function called directly, not from the widget)

def test_deadline_slider_moved_off_its_grid_draws_the_what_if():
    """Walkthrough 1's deadline slider starts at the deal's own months to the deadline (not a
    multiple of its 0.25 step); one step from there, as a client rounds it (10 decimals), used
    to raise in what_if (months × 30.44 days gave a date with nanoseconds, which the deal's
    datetime64[us] column refuses) and the chart stayed as it was. The what-if is drawn with
    the deadline the slider shows (to the second)."""
    from powerkit.paths import sample_deal

    deal = pk.load_deal(sample_deal("northwind-vendor"))
    box = build_power_widgets(deal)
    sl = box.controls["their_deadline"]
    assert abs(sl.value / sl.step - round(sl.value / sl.step)) > 1e-9, "starts off the grid"
    sl.value = round(sl.value + sl.step, 10)
    r = box.last
    row = r.changes[r.changes["field"] == "deadline"]
    assert len(row) == 1
    at = box.controls["at"].value
    # a month is 365.25/12 days (powerkit.bargaining.DAYS_PER_MONTH's definition): the date
    # drawn is the slider's months after the clock date, to the second
    days = (row["after"].iloc[0] - at).total_seconds() / 86400
    assert abs(days - sl.value * 365.25 / 12) < 1 / 86400


def test_a_position_seen_again_shows_what_the_analysis_returns():
    """Away and back: the kept result for a position is the analysis's own for it (compared
    with a fresh call of powerkit.power.what_if, the callback's function)."""
    from powerkit import power as pw
    from powerkit.paths import sample_deal

    deal = pk.load_deal(sample_deal("northwind-vendor"))
    box = build_power_widgets(deal)
    sl = box.controls["systemic"]
    start = sl.value
    sl.value = round(start + sl.step, 10)
    sl.value = start
    wts = {k: box.controls[k].value for k in (*pw.SOURCES, *pw.INPUTS)}
    fresh = pw.what_if(deal, at=box.controls["at"].value, weights=wts)
    assert box.last.profile.balance == fresh.profile.balance
    assert box.last.profile.drivers.equals(fresh.profile.drivers)


def test_start_up_warm_up_waits_for_the_page_and_a_move_supersedes_it():
    """The dashboard's first warm-up (its start) waits before taking a core; a visitor's move
    (the second warm call) ends that wait and supersedes it: the start-up keys are not
    computed, the move's keys are (logic of Memo.warm, no timing asserted)."""
    from powerkit.widgets import Memo

    m = Memo()
    computed = []
    first = m.warm(["start"], computed.append, enabled=True, start_delay=600)
    second = m.warm(["moved"], computed.append, enabled=True)
    first.join(timeout=60)
    second.join(timeout=60)
    assert not first.is_alive() and not second.is_alive()
    assert computed == ["moved"]
