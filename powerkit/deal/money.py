"""Money issues: which options of an issue are amounts of money, and how much.

An issue is a *money issue* when every one of its options has an amount: from the ``amount``
column of the issues table, or read from the option labels (``EUR 1.15m``, ``EUR 950k``,
``€1,150,000``, ``$1.2M``, ``40m USD``). A label is read only when it carries a currency or a
k/m/bn multiplier, so ``300 jobs`` or ``2027`` are never mistaken for money. Amounts are in the
deal's currency; a label in another currency is a problem of the deal file, not silently money.
"""
from __future__ import annotations

import math
import re

import pandas as pd

__all__ = ["parse_amount", "money_issues", "amount_problems", "SYMBOLS"]

SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}
_MULT = {"": 1.0, "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9}
_CUR = r"(?P<{}>[A-Z]{{3}}|[€$£¥])"
_LABEL = re.compile(r"^\s*(?:" + _CUR.format("pre") + r"\s*)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)"
                    r"(?P<dec>\.\d+)?\s*(?P<mult>k|m|mn|bn|b)?\s*(?:" + _CUR.format("post")
                    + r")?\s*$", re.I)


def parse_amount(label: object) -> tuple[float, str | None] | None:
    """``(amount, currency or None)`` read from an option label, or ``None`` when the label is
    not money (no currency and no k/m/bn multiplier, or not a number).

    >>> parse_amount("EUR 1.15m"), parse_amount("€950k"), parse_amount("$1,200,000")
    ((1150000.0, 'EUR'), (950000.0, 'EUR'), (1200000.0, 'USD'))
    >>> parse_amount("40m"), parse_amount("300 jobs"), parse_amount("2027")
    ((40000000.0, None), None, None)
    """
    if not isinstance(label, str):
        return None
    m = _LABEL.match(label)
    if m is None:
        return None
    cur = m["pre"] or m["post"]
    if cur is not None and not cur.isalpha():
        cur = SYMBOLS[cur]
    elif cur is not None:
        cur = cur.upper()
    mult = (m["mult"] or "").lower()
    if cur is None and not mult:
        return None
    value = float(m["num"].replace(",", "") + (m["dec"] or "")) * _MULT[mult]
    return round(value, 6), cur


def _issue_amounts(g: pd.DataFrame, currency: str) -> tuple[pd.Series | None, list]:
    """Amount per option of one issue's rows, and the problems found (row, column, value, fix)."""
    problems = []
    per_option: dict = {}
    given = g["amount"].notna() if "amount" in g else pd.Series(False, index=g.index)
    if given.any():
        for i, r in g.iterrows():
            a = r.get("amount")
            if a is None or (isinstance(a, float) and math.isnan(a)):
                problems.append((int(i) + 2, "amount", None,
                                 f"an amount for every option of money issue '{r['issue']}' "
                                 "(or none: amounts are then read from the labels)"))
                continue
            prev = per_option.setdefault(r["option"], float(a))
            if prev != float(a):
                problems.append((int(i) + 2, "amount", float(a),
                                 f"the same amount for '{r['option']}' on every row ({prev:g} "
                                 "on an earlier row)"))
        return (None if problems else pd.Series(per_option, dtype=float)), problems
    parsed = {o: parse_amount(o) for o in g["option"].dropna().unique()}
    if not parsed or any(v is None for v in parsed.values()):
        return None, []
    for o, (_, cur) in parsed.items():
        if cur is not None and cur != currency:
            i = g.index[g["option"] == o][0]
            problems.append((int(i) + 2, "option", o,
                             f"an amount in the deal's currency {currency} (or an 'amount' "
                             f"column in {currency})"))
    if problems:
        return None, problems
    return pd.Series({o: v[0] for o, v in parsed.items()}, dtype=float), []


def money_issues(issues: pd.DataFrame | None, currency: str) -> dict[str, pd.Series]:
    """Every money issue of an issues table → its options' amounts (option → amount)."""
    if issues is None or not len(issues):
        return {}
    out = {}
    for issue, g in issues.groupby("issue", sort=False):
        amounts, problems = _issue_amounts(g, currency)
        if amounts is not None and not problems:
            out[issue] = amounts
    return out


def amount_problems(issues: pd.DataFrame, currency: str) -> list[tuple]:
    """Problems of money amounts in an issues table: ``(row, column, value, expected)`` each."""
    out = []
    for _, g in issues.groupby("issue", sort=False):
        out.extend(_issue_amounts(g, currency)[1])
    return out
