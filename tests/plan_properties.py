"""The consistency check of one random deal, shared by the two halves of the property test
(tests/test_plan_random_*.py, split so that both pytest-xdist workers share the 200 deals)."""
from __future__ import annotations

from powerkit.deal.synthetic import make_deal
from powerkit.plan import game_plan
from powerkit.report import headlines
from powerkit.sections import brief, shared_analyses
from powerkit.sections.consistency import analysis_violations, violations


def check_random_deal(seed: int) -> None:
    """A small random deal with rivals, a money issue reaching outside the zone and a random
    decision rule (``make_deal(..., roles=True)``); every invariant holds."""
    deal = make_deal(8 + seed % 5, seed=seed, roles=True, issues=2 + seed % 2, options=3)
    shared = shared_analyses(deal)
    plan = game_plan(deal, results=shared)
    secs = [brief.brief_from_plan(deal, plan)]
    bad = violations(deal, secs, plan, headlines(secs)) + analysis_violations(deal, shared, plan)
    assert not bad, (seed, bad)
    # and the brief states the plan's order: the meetings table is the plan's, row by row
    assert len(plan.steps) == len(set(plan.steps["who"]))
