"""Widget of a deal over time: choose two versions and see what changed between them and what
moved the balance and the price (:func:`powerkit.sections.trends.changes_section`)."""
from __future__ import annotations

import ipywidgets as w

from ..sections.trends import changes_section
from ..versions import diff as version_diff
from . import show_in, wire

__all__ = ["build_version_widgets", "compare_versions"]


def compare_versions(versions, older: int, newer: int, names: dict | None = None, diff=None):
    """The changes section between ``versions[older]`` and ``versions[newer]`` (indices into
    :func:`powerkit.versions.load_history`'s list), cached per pair by the widget; ``diff``:
    their :func:`powerkit.versions.diff` if already computed."""
    return changes_section(versions[older].deal, versions[newer].deal, names, diff=diff)


def build_version_widgets(versions, names: dict | None = None):
    """Two dropdowns of version dates (from, to; default the first and the latest) drawing the
    input changes, the headlines before and after, and the Shapley parts.

    The box keeps each pair's :class:`~powerkit.versions.DealDiff` in ``box.diffs`` (key
    ``(older, newer)``), so a notebook reads the first-to-latest comparison the widget drew
    instead of computing it again (walkthrough 7: 3.4 s on the sample deal).

    Examples
    --------
    >>> from powerkit.paths import sample_deal
    >>> from powerkit.versions import load_history
    >>> versions = load_history(sample_deal("northwind-vendor"))[:2]  # its first two snapshots
    >>> box = build_version_widgets(versions)
    >>> box.controls["older"].value = box.controls["newer"].value  # the same version twice
    >>> box.last.headline["changes"]
    0
    >>> sorted(box.diffs), box.diffs[1, 1].unchanged  # first to latest (the default), then 1-1
    ([(0, 1), (1, 1)], True)
    """
    options = [(f"{v.as_of.isoformat()} ({v.source})", i) for i, v in enumerate(versions)]
    style = {"description_width": "initial"}
    layout = w.Layout(width="420px")
    ctl = {"older": w.Dropdown(options=options, value=0, description="from version",
                               style=style, layout=layout),
           "newer": w.Dropdown(options=options, value=len(versions) - 1,
                               description="to version", style=style, layout=layout)}
    out = w.Output()
    box = w.VBox([w.HBox(list(ctl.values())), out])
    box.cache, box.diffs = {}, {}

    def refresh(_change=None):
        key = (ctl["older"].value, ctl["newer"].value)
        if key not in box.cache:
            d = box.diffs[key] = version_diff(versions[key[0]].deal, versions[key[1]].deal)
            box.cache[key] = compare_versions(versions, *key, names=names, diff=d)
        sec = box.last = box.cache[key]
        box.figures = tuple(b for b in sec.blocks if hasattr(b, "to_plotly_json"))
        show_in(out, f"### {sec.title}", *sec.blocks)

    wire(box, ctl, refresh)
    refresh()
    return box
