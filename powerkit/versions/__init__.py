"""A deal over time: what changed between two versions and what it did to the headlines.

* :mod:`~powerkit.versions.changes` — input changes (rows added/removed, cells changed, deal.yaml
  values) and a deal with any subset of them applied;
* :mod:`~powerkit.versions.attribution` — exact Shapley attribution;
* :mod:`~powerkit.versions.diff` — :func:`diff`: changes, every headline before and after, and
  the change in the balance and the predicted price attributed to the input changes.

Method: docs/methods/versions.md.
"""
from __future__ import annotations

from .attribution import MAX_EXACT, shapley
from .changes import Change, apply_changes, changes_frame, input_changes
from .diff import ATTRIBUTED, DealDiff, balance_and_price, diff, headlines
from .history import HISTORY_DIR, Version, load_history, trends

__all__ = ["ATTRIBUTED", "Change", "DealDiff", "HISTORY_DIR", "MAX_EXACT", "Version",
           "apply_changes", "balance_and_price", "changes_frame", "load_history", "trends",
           "diff", "headlines", "input_changes", "shapley"]
