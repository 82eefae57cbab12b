"""The dashboards in a real browser: Voila serving the walkthroughs and the workshop on 127.0.0.1
(the command ``make workshop`` runs, :func:`powerkit.workshop.voila_command`), driven by
Playwright with Debian's chromium.

* a walkthrough's slider, moved with the keyboard, redraws its figure;
* the workshop's answer toggle reveals the computed answer and its chart (on the session's
  Voila over notebooks/, tests/conftest.py ``dashboards``);
* the list of dashboards shows the walkthroughs and the workshop, not the client report
  (tests/test_voila_console.py, in the visit that checks its console);
* no page ever asks for anything outside 127.0.0.1 (nor shows code).
"""
from __future__ import annotations

import json

import pytest
from conftest import NOTEBOOKS, PAGE_MS, open_local, voila

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A walkthrough with a slider redrawing a plotly figure (walkthrough 1: our BATNA redraws the
# three-source profile and the ZOPA).
WALKTHROUGHS = ("01_reading_power_dynamics.ipynb",)
SLIDER = ".widget-slider .noUi-handle"


# geometry (path d attributes), text and the data of every plotly chart drawn by a widget
_FIGURES_JS = """els => JSON.stringify(els.map(e => [
    Array.from(e.querySelectorAll('.main-svg path')).map(p => p.getAttribute('d')),
    Array.from(e.querySelectorAll('.main-svg text')).map(t => t.textContent),
    (e.data || []).map(t => [t.x, t.y, t.base])]))"""
_WIDGET_FIGURES = ".pk-view .js-plotly-plot, .widget-output .js-plotly-plot"


def _figures(page) -> list:
    return json.loads(page.eval_on_selector_all(_WIDGET_FIGURES, _FIGURES_JS))


@pytest.mark.parametrize("name", WALKTHROUGHS)
def test_walkthrough_slider_redraws_the_figure(browser, tmp_path, name):
    if not (NOTEBOOKS / name).exists():
        pytest.skip(f"{name} is not there yet")
    with voila(NOTEBOOKS / name, tmp_path) as (base, log):
        page, outside = open_local(browser, base)
        page.wait_for_selector(SLIDER, timeout=PAGE_MS)
        page.wait_for_selector(_WIDGET_FIGURES + " .main-svg", timeout=PAGE_MS)
        assert page.locator(".jp-InputArea-editor").count() == 0  # code hidden
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.first.inner_text()
        page.wait_for_timeout(500)  # let the first draw settle, then check it is stable
        before = _figures(page)
        assert before and before == _figures(page)
        readout = page.locator(".widget-slider .widget-readout").first
        value_before = readout.inner_text()

        page.locator(SLIDER).first.focus()
        for _ in range(5):
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(100)
        page.wait_for_function(
            f"b => JSON.stringify(Array.from(document.querySelectorAll('{_WIDGET_FIGURES}'))"
            f".length) && ({_FIGURES_JS})(Array.from(document.querySelectorAll("
            f"'{_WIDGET_FIGURES}'))) !== b", arg=json.dumps(before), timeout=30_000)
        after = _figures(page)
        assert readout.inner_text() != value_before  # the slider did move
        # the chart itself changed: its data and its drawn geometry, not only an id
        assert any(a[2] != b[2] for a, b in zip(after, before, strict=False))
        assert any(a[0] != b[0] for a, b in zip(after, before, strict=False))
        assert outside == [], outside
        page.close()


def test_workshop_answer_toggle(browser, dashboards):
    """(The list of dashboards — walkthroughs and the workshop, not the client report — is
    checked in the same visit as its console: tests/test_voila_console.py.)"""
    # the workshop: nothing of the answer until the toggle is pressed
    page, outside = open_local(browser, dashboards, "voila/render/workshop.ipynb")
    toggle = page.locator(".widget-toggle-button").first
    toggle.wait_for(timeout=PAGE_MS)
    assert page.locator(".jp-InputArea-editor").count() == 0  # code hidden
    assert page.locator("text=most sought-after adviser").count() == 0
    assert page.locator(_WIDGET_FIGURES).count() == 0
    page.locator(".widget-dropdown select").first.select_option(label="Manager 7 (CEO)")
    toggle.click()
    answer = page.locator(".widget-output").first
    answer.locator("text=most sought-after adviser").wait_for(timeout=30_000)
    text = answer.inner_text()
    assert "Manager 2 (VP)" in text and "Your guess, Manager 7 (CEO)" in text
    answer.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    toggle.click()  # hides it again
    page.wait_for_function(
        "() => !document.querySelector('.widget-output .js-plotly-plot')", timeout=30_000)
    assert outside == [], outside
    page.close()
