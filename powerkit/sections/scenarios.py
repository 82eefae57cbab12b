"""Scenarios side by side: the base case and each named what-if, in the report's words.

Every number comes from :func:`powerkit.scenarios.compare_scenarios`; prices are worded by
:func:`powerkit.text.money`; names from deal files pass through :func:`powerkit.text.esc`.
"""
from __future__ import annotations

import pandas as pd

from ..scenarios import compare_scenarios
from ..text import md, money
from . import Section

__all__ = ["section", "comparison_table", "change_sentence", "json_rows"]

FIRST_MEETINGS = 3  #: how many names of the engagement order the table shows


def _balance(x: float) -> str:
    return f"{x:+.3f}"


def _price(x, cur: str) -> str:
    return "no price within both walk-aways" if x is None or pd.isna(x) else money(x, cur)


def comparison_table(compared: pd.DataFrame, currency: str) -> pd.DataFrame:
    """One row per scenario: balance, predicted price, posture, target price, first meetings."""
    return pd.DataFrame({
        "scenario": compared["scenario"],
        "balance": [_balance(b) for b in compared["balance"]],
        "price": [_price(p, currency) for p in compared["price"]],
        "posture": compared["posture"],
        "target price": [_price(p, currency) if p is not None and not pd.isna(p)
                         else "no package" for p in compared["target_price"]],
        "first meetings": [", ".join(e[:FIRST_MEETINGS]) or "nobody" for e in
                           compared["engagement"]],
    })


def change_sentence(base: pd.Series, row: pd.Series, currency: str) -> str:
    """What changes in ``row`` against the base case, in one plain sentence after the
    scenario's name and description (Markdown, names escaped)."""
    parts = []
    db = row["balance"] - base["balance"]
    if abs(db) >= 0.005:
        parts.append(f"the balance moves from {_balance(base['balance'])} to "
                     f"{_balance(row['balance'])} ({'towards us' if db > 0 else 'towards them'})")
    b, r = _price(base["price"], currency), _price(row["price"], currency)
    if b != r:
        parts.append("no price is left between the two walk-aways"
                     if row["price"] is None or pd.isna(row["price"])
                     else f"the predicted price goes from {b} to {r}")
    if row["posture"] != base["posture"]:
        parts.append(f"the posture becomes '{md(row['posture'])}'")
    if row["target_package"] != base["target_package"]:
        parts.append("no package stays within both walk-aways" if not row["target_package"] else
                     f"the target package changes (target price "
                     f"{_price(row['target_price'], currency)})")
    if list(row["engagement"]) != list(base["engagement"]):
        first = ", ".join(md(n) for n in row["engagement"][:FIRST_MEETINGS]) or "nobody"
        gone = [md(n) for n in base["engagement"] if n not in list(row["engagement"])]
        parts.append(f"the meetings change: first {first}"
                     + (f" ({', '.join(gone)} no longer on the list)" if gone else ""))
    name = f"**{md(row['scenario'])}**" + (f" ({md(row['description'])})"
                                              if row["description"] else "")
    if not parts:
        return f"{name}: nothing the plan reads changes against the base case."
    return f"{name}: {'; '.join(parts)}."


def json_rows(compared: pd.DataFrame) -> list[dict]:
    """The comparison as plain values for the report's JSON (dates ISO, prices rounded)."""
    def plain(v):
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [plain(x) for x in v]
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat()
        if v is None or (isinstance(v, float) and pd.isna(v)):
            return None
        if hasattr(v, "item"):
            v = v.item()
        return round(v, 4) if isinstance(v, float) else v

    return [{k: plain(v) for k, v in r.items()} for r in compared.to_dict("records")]


def section(deal, scenarios, *, compared: pd.DataFrame | None = None) -> Section:
    """The scenarios section: a table (rows = the base case, then each scenario) and one
    sentence per scenario on what changes against the base case. ``compared`` is
    :func:`~powerkit.scenarios.compare_scenarios`'s frame when already computed. Headline:
    ``rows`` (:func:`json_rows`)."""
    cur = deal.meta.currency
    if compared is None:
        compared = compare_scenarios(deal, scenarios)
    sec = Section("scenarios", "Scenarios side by side")
    base = compared.iloc[0]
    sec.add("What the analysis reads if some inputs change: each scenario against the deal "
            "as entered. Balance runs from −1 (they hold the power) to +1 (we do); the price is "
            "the one expected from the split of the zone; the target price is the game plan's.")
    sec.add(comparison_table(compared, cur))
    lines = []
    for _, row in compared.iloc[1:].iterrows():
        lines.append(f"- {change_sentence(base, row, cur)}")
    sec.add("\n".join(lines))
    sec.headline = {"rows": json_rows(compared)}
    sec.summary = f"{len(compared) - 1} scenario(s) compared with the deal as entered."
    return sec
