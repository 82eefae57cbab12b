"""papermill runs of notebooks/07_tracking.ipynb on every sample deal.

The recorded versions are checked against the history folders on disk (read with pathlib, not
through powerkit), the trend's balances against walkthrough 1's ``power_profile`` of the first
and the current version, and the Shapley parts against the recorded total (efficiency).
"""
from __future__ import annotations

import pytest
from conftest import SAMPLE_DEALS, committed_deal

from powerkit.deal import load_deal
from powerkit.power import power_profile

NB = "07_tracking.ipynb"


@pytest.mark.slow
@pytest.mark.parametrize("path", SAMPLE_DEALS, ids=[p.name for p in SAMPLE_DEALS])
def test_notebook_on_sample_deal(run_notebook, path):
    # the notebook's own deal with its committed ranges=True: that run is also the notebook as
    # committed, which nbval would otherwise run a second time (tests/conftest.py)
    ranges = {} if path == committed_deal(NB) else {"ranges": False}
    rec = run_notebook(NB, deal_path=str(path), **ranges)
    assert rec["deal_id"] == path.name
    snapshots = sorted(p.name for p in (path / "history").iterdir()) if (path / "history").is_dir() else []
    current = load_deal(path)
    assert rec["versions"] == snapshots + [current.meta.as_of.isoformat()]
    if not snapshots:
        assert rec["trend"] == {} and rec["changes"] == 0
        return
    assert rec["trend"]["balance"][-1] == pytest.approx(power_profile(current).balance, abs=1e-6)
    assert sum(rec["attribution_balance"]) == pytest.approx(rec["total_balance"], abs=1e-9)
    # the widget's first-to-latest comparison and the trend agree on how far the balance moved
    assert rec["total_balance"] == pytest.approx(
        rec["trend"]["balance"][-1] - rec["trend"]["balance"][0], abs=1.01e-6)  # 6 decimals each
    assert rec["changes"] > 0
