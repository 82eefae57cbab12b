"""The game plan's brief says where the decision will land (issue 16: the forecast feeds the
brief), with the forecast section's own numbers — checked by invariant 12 of
powerkit.sections.consistency, which must catch a brief that quotes another number."""
from __future__ import annotations

import pytest

from powerkit.deal import load_deal
from powerkit.paths import sample_deal
from powerkit.plan import game_plan
from powerkit.sections import build_sections
from powerkit.sections.consistency import violations


@pytest.mark.slow
def test_brief_quotes_the_forecast_and_the_check_catches_a_break():
    deal = load_deal(sample_deal("harbour-council"))
    secs = build_sections(deal, ranges=False)
    plan = game_plan(deal)
    brief = next(s for s in secs if s.key == "brief")
    fc = next(s for s in secs if s.key == "forecast")
    i, line = next((i, b) for i, b in enumerate(brief.blocks)
                   if isinstance(b, str) and b.startswith("**Where the decision will land.**"))
    # the key issue of the forecast section's headline is the one the brief names
    assert fc.headline["key_issue"].split(" (")[0] in line
    assert violations(deal, secs, plan) == []
    brief.blocks[i] = line.replace(" at ", " at 1", 1)
    assert any(v.startswith("forecast: the brief says") for v in violations(deal, secs, plan))


def test_no_positions_no_line():
    deal = load_deal(sample_deal("small-renewal"))
    brief = next(s for s in build_sections(deal, order=("brief",), ranges=False))
    assert not any(isinstance(b, str) and "Where the decision will land" in b for b in brief.blocks)
