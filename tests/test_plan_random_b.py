"""Property test of the game plan's invariants on random deals (half b of 200: seeds range(1, 200, 2)).

Each deal comes from ``powerkit.deal.synthetic.make_deal(..., roles=True)``: a rival, a money
issue whose options reach outside the zone of the reservation prices, and a decision rule drawn
from sign_off, quota and quota_and_sign_off. See tests/plan_properties.py.
"""
from __future__ import annotations

import pytest
from plan_properties import check_random_deal


@pytest.mark.parametrize("seed", range(1, 200, 2))
def test_invariants_hold_on_a_random_deal(seed):
    check_random_deal(seed)
