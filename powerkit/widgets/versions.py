"""Widget of a deal over time: choose two versions and see what changed between them and what
moved the balance and the price (:func:`powerkit.sections.trends.changes_section`)."""
from __future__ import annotations

import ipywidgets as w

from ..sections.trends import changes_section
from ..versions import diff as version_diff
from . import Memo, show_in, wire

__all__ = ["build_version_widgets", "compare_versions", "ahead_pairs"]


def compare_versions(versions, older: int, newer: int, names: dict | None = None, diff=None):
    """The changes section between ``versions[older]`` and ``versions[newer]`` (indices into
    :func:`powerkit.versions.load_history`'s list), cached per pair by the widget; ``diff``:
    their :func:`powerkit.versions.diff` if already computed."""
    return changes_section(versions[older].deal, versions[newer].deal, names, diff=diff)


def ahead_pairs(n: int, shown: tuple | None = None) -> list[tuple[int, int]]:
    """The (older, newer) pairs of ``n`` versions worth computing ahead: every pair of an
    earlier and a later version, the latest comparisons first ("since the last version"),
    without ``shown``.

    >>> ahead_pairs(3)
    [(1, 2), (0, 2), (0, 1)]
    """
    pairs = sorted(((i, j) for i in range(n) for j in range(i + 1, n)),
                   key=lambda p: (-p[1], -p[0]))
    return [p for p in pairs if p != shown]


def build_version_widgets(versions, names: dict | None = None):
    """Two dropdowns of version dates (from, to; default the first and the latest) drawing the
    input changes, the headlines before and after, and the Shapley parts.

    ``box.diff_of((older, newer))`` is a pair's :class:`~powerkit.versions.DealDiff`, from
    the widget's results (``box.memo``), so a notebook reads the first-to-latest comparison the
    widget drew instead of computing it again (walkthrough 7: 3.4 s on the sample deal). Each pair's
    comparison is 2^k re-analyses of the deal for k groups of changes (3–4 s on the sample
    deal), so in a served dashboard (:meth:`powerkit.widgets.Memo.warm`) the other pairs of
    later-than versions are computed ahead in the background, the latest first: a trainee's
    choice is then a look-up.

    Examples
    --------
    >>> from powerkit.paths import sample_deal
    >>> from powerkit.versions import load_history
    >>> versions = load_history(sample_deal("northwind-vendor"))[:2]  # its first two snapshots
    >>> box = build_version_widgets(versions)
    >>> box.controls["older"].value = box.controls["newer"].value  # the same version twice
    >>> box.last.headline["changes"]
    0
    >>> hits = box.memo.hits
    >>> box.diff_of((1, 1)).unchanged, box.diff_of((0, 1)).changes.empty, box.memo.hits - hits
    (True, False, 2)
    >>> ahead_pairs(4, shown=(0, 3))  # what a served dashboard computes ahead, in order
    [(2, 3), (1, 3), (1, 2), (0, 2), (0, 1)]
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
    box.memo = Memo()

    def compare(key):
        d = version_diff(versions[key[0]].deal, versions[key[1]].deal)
        return d, compare_versions(versions, *key, names=names, diff=d)

    def refresh(_change=None):
        key = (ctl["older"].value, ctl["newer"].value)
        sec = box.last = box.memo.get(key, compare)[1]
        box.figures = tuple(b for b in sec.blocks if hasattr(b, "to_plotly_json"))
        show_in(out, f"### {sec.title}", *sec.blocks)

    box.diff_of = lambda key: box.memo.get(tuple(key), compare)[0]
    wire(box, ctl, refresh)
    refresh()
    box.memo.warm(ahead_pairs(len(versions), shown=(0, len(versions) - 1)), compare)
    return box
