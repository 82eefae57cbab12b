"""A report section: what one walkthrough contributes to the client report.

Each analysis module exposes ``report_section(deal, **params) -> Section``. The report notebook
shows sections in order; ``headline`` feeds the executive summary and the JSON written beside
the report. Every number in ``headline`` comes from powerkit, never typed by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Section"]


@dataclass
class Section:
    """Title, teaching text and results of one walkthrough, ready to display.

    ``blocks`` is an ordered list of markdown strings, DataFrames (shown as tables) and plotly
    figures. ``headline`` maps short keys to plain values (numbers, names, short strings) and
    ``summary`` is one or two templated sentences built from those values.
    ``missing`` is set (and blocks left empty) when the deal lacks a table the section needs.
    """

    key: str
    title: str
    blocks: list = field(default_factory=list)
    headline: dict = field(default_factory=dict)
    summary: str = ""
    missing: str | None = None

    def add(self, *blocks) -> Section:
        self.blocks.extend(blocks)
        return self

    def tables(self) -> list[pd.DataFrame]:
        return [b for b in self.blocks if isinstance(b, pd.DataFrame)]
