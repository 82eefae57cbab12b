"""The sections layer: what each walkthrough contributes to the client report, in words.

One module per walkthrough (``powerkit.sections.power``, ``.influence``, ``.constraints``,
``.value``, ``.coalitions``, plus ``.overview`` and ``.brief``, the game plan that opens the report), each exposing ``section(deal, **params) ->
Section``: the report's prose, tables and figures, built from analysis results (it calls the
analysis and the plots layers; it never computes a number itself). :func:`build_sections` runs
them in report order. ``headline`` feeds the executive summary and the JSON written beside the
report. Every number in ``headline`` comes from analysis, never typed by hand.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import pandas as pd

from ..errors import MissingTableError, PowerkitError

__all__ = ["Section", "SECTION_ORDER", "build_sections", "names_not_ids"]

# walkthrough sections, in report order; each module exposes section(deal) -> Section
SECTION_ORDER = ("brief", "overview", "trends", "power", "influence", "constraints", "value",
                 "coalitions", "forecast")


@dataclass
class Section:
    """Title, teaching text and results of one walkthrough, ready to display.

    ``blocks`` is an ordered list of markdown strings, DataFrames (shown as tables) and plotly
    figures. ``headline`` maps short keys to plain values (numbers, names, short strings) and
    ``summary`` is one or two templated sentences built from those values.
    ``missing`` is set (and blocks left empty) when the deal lacks a table the section needs.
    ``headline_at_top``: the section's headline keys go to the top of the report's JSON instead
    of under the section's key (the brief's ``plan`` and ``roles``).
    """

    key: str
    title: str
    blocks: list = field(default_factory=list)
    headline: dict = field(default_factory=dict)
    summary: str = ""
    missing: str | None = None
    headline_at_top: bool = False  # the brief: its headline keys (plan, roles) sit at the top

    def add(self, *blocks) -> Section:
        """Append blocks; an empty table becomes the sentence in its ``attrs["empty"]`` (a
        reader never sees a table of headers without rows)."""
        for b in blocks:
            if isinstance(b, pd.DataFrame) and len(b) == 0:
                b = b.attrs.get("empty") or "*Nothing to show here for this deal.*"
            self.blocks.append(b)
        return self

    def tables(self) -> list[pd.DataFrame]:
        return [b for b in self.blocks if isinstance(b, pd.DataFrame)]


def shared_analyses(deal, ranges: bool = True) -> dict:
    """The analyses several parts of the report read, computed once with the report's settings:
    ``influence``, ``coalitions``, ``constraints``, ``value`` (each ``None`` when the deal lacks
    its table) and ``uncertainty`` (the ranges: :func:`powerkit.uncertainty.uncertainty`). The brief's game plan and the walkthrough sections all read these same results,
    so a number the brief quotes is the number its section shows."""
    from .. import coalitions, constraints, influence, uncertainty, value

    runs = {"influence": lambda: influence.what_if(deal) if deal.has("ties") else None,
            "coalitions": lambda: coalitions.what_if(deal),
            "constraints": lambda: constraints.analyse(deal) if deal.has("hypotheses") else None,
            "value": lambda: value.what_if(deal, n_draws=1000, seed=0)
            if deal.has("issues") else None,
            "uncertainty": lambda: uncertainty.uncertainty(deal) if ranges else None,
            "forecast": lambda: _forecast(deal)}
    out = {}
    for key, run in runs.items():
        try:
            out[key] = run()
        except MissingTableError:
            out[key] = None
        except PowerkitError:  # ranges need roles and walk-aways: without them, no ranges
            if key != "uncertainty":
                raise
            out[key] = None
    return out


def _forecast(deal):
    """Walkthrough 6's forecast when the deal has positions (read by the brief and its
    section), else None."""
    if not deal.has("positions"):
        return None
    from ..forecast import forecast

    return forecast(deal)


def build_sections(deal, order=SECTION_ORDER, ranges: bool = True) -> list[Section]:
    """Every walkthrough's section for ``deal``, in report order, people and parties by name.

    The analyses are run once (:func:`shared_analyses`) and handed to every section that reads
    them; ``ranges=False`` leaves the uncertainty out (point values only). A section whose deal table is missing comes back with ``missing`` set (shown as a
    one-line note).
    """
    shared = shared_analyses(deal, ranges=ranges)
    plan = None
    if "brief" in order:  # one game plan for the brief and the power section's trust plan
        from ..plan import game_plan

        plan = game_plan(deal, results=shared)
    out = []
    for name in order:
        mod = importlib.import_module(f"powerkit.sections.{name}")
        kw = ({"result": shared, "plan": plan} if name == "brief" else
              {"uncertainty": shared.get("uncertainty"), "give": first_give(plan),
               "trust": None if plan is None else plan.trust}
              if name == "power" else
              {"ranges": ranges, "uncertainty": shared.get("uncertainty")} if name == "trends" else
              {"result": shared[name]} if shared.get(name) is not None else {})
        try:
            out.append(names_not_ids(deal, mod.section(deal, **kw)))
        except MissingTableError as exc:
            out.append(Section(name, name.title(), missing=str(exc).split(";")[0] + "."))
    return out


def first_give(plan) -> tuple | None:
    """The first give of the game plan's concession ladder as (issue, option), or None: the
    trust plan's goodwill move is the plan's, so the report gives one answer."""
    if plan is None or plan.package is None or plan.package.ladder.empty:
        return None
    r = plan.package.ladder.iloc[0]
    return None if r["give_issue"] is None or pd.isna(r["give_issue"]) else (r["give_issue"],
                                                                          r["give_option"])


def names_not_ids(deal, sec: Section) -> Section:
    """Readers see people and parties by name: a ``party`` column of party ids, or a ``holder``
    column of stakeholder or party ids, becomes their names, and a ``U(<party id>)`` header
    ``U(<name>)``. The walkthroughs' own tables keep the ids."""
    parties = deal.parties["name"]
    everyone = pd.concat([deal.stakeholders["name"], parties])
    for i, b in enumerate(sec.blocks):
        if not isinstance(b, pd.DataFrame):
            continue
        b = b.rename(columns={f"U({p})": f"U({n})" for p, n in parties.items()})
        for col, names in (("party", parties), ("holder", everyone)):
            if col in b.columns and b[col].isin(names.index).all():
                b = b.assign(**{col: b[col].map(names)})
        sec.blocks[i] = b
    return sec
