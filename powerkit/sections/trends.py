"""A deal over time in the client report: how the headlines moved across the deal's dated
versions (:func:`section`), and what changed since an earlier version (:func:`changes_section`).

Numbers come from :mod:`powerkit.versions` (``trends``, ``diff``); prices are worded by
:func:`powerkit.text.money`; names and free text from deal files pass through
:func:`powerkit.text.md` (Markdown) and tables escape on rendering.
"""
from __future__ import annotations

import pandas as pd

from ..plots.versions import (
    attribution_figure,
    balance_trend_figure,
    posterior_trend_figure,
    price_trend_figure,
    stance_trend_figure,
)
from ..text import md, money
from ..versions import diff as version_diff
from ..versions import load_history, trends
from . import Section

__all__ = ["section", "changes_section", "since_section", "trend_table", "as_shown",
           "NO_HISTORY"]

NO_HISTORY = ("This deal has no earlier versions: keep dated snapshots in a history/ folder "
              "of the deal (history/YYYY-MM-DD/ with the same tables) or make the deal folder "
              "a git repository — see docs/deal-format.md.")


def _rng(lo, hi, fmt) -> str:
    return "" if pd.isna(lo) or pd.isna(hi) else f"{fmt(lo)} to {fmt(hi)}"


def as_shown(deal, versions):
    """The versions as the report shows ``deal``: when ``deal`` is anonymised (its people are not
    the latest version's), every version is anonymised the same way (people → role labels and
    neutral ids, by the order of their stakeholders table)."""
    from ..deal.anonymise import anonymise
    from ..versions import Version

    if deal.stakeholders.index.equals(versions[-1].deal.stakeholders.index):
        return versions
    return [Version(v.as_of, v.source, anonymise(v.deal)) for v in versions]


def trend_table(trend: pd.DataFrame, currency: str) -> pd.DataFrame:
    """One row per version: date, balance and its 90% range, predicted price and its range,
    support for our proposal."""
    b = lambda v: f"{v:+.3f}"  # noqa: E731
    m = lambda v: money(v, currency)  # noqa: E731
    return pd.DataFrame({
        "version": [d.date().isoformat() for d in trend["as_of"]],
        "balance": [b(v) for v in trend["balance"]],
        "balance 90% range": [_rng(lo, hi, b) for lo, hi in
                              zip(trend["balance_low"], trend["balance_high"], strict=True)],
        "predicted price": [m(None if pd.isna(v) else v) for v in trend["predicted_price"]],
        "price 90% range": [_rng(lo, hi, m) for lo, hi in
                            zip(trend["price_low"], trend["price_high"], strict=True)],
        "support": [("" if pd.isna(v) else b(v)) for v in trend["support"]],
    })


def section(deal, versions=None, names: dict | None = None, ranges: bool = True,
            uncertainty=None) -> Section:
    """"How the deal has moved": the headlines of every dated version of ``deal``.

    ``versions`` (:func:`powerkit.versions.load_history`) default to the history of the deal's
    folder; ``names`` maps stakeholder ids to the names the reader sees (default: the deal's
    names — an anonymised report passes its role labels); ``uncertainty``: the report's ranges
    of ``deal`` (the latest version), reused — so the last point's range is the power section's."""
    sec = Section("trends", "How the deal has moved")
    if versions is None:
        from pathlib import Path  # a deal built in memory (synthetic, a what-if) has no history

        versions = load_history(deal.source) if deal.source and Path(deal.source).exists() \
            else []
    if len(versions) < 2:
        sec.missing = NO_HISTORY
        return sec
    versions = as_shown(deal, versions)
    cur = deal.meta.currency
    names = dict(deal.stakeholders["name"]) if names is None else names
    trend, events = trends(versions, ranges=ranges,
                           current=uncertainty if versions[-1].source == "current" else None)
    first, last = trend.iloc[0], trend.iloc[-1]
    d = last["balance"] - first["balance"]
    sec.add(f"{len(trend)} versions from {first['as_of'].date().isoformat()} to "
            f"{last['as_of'].date().isoformat()}. The balance of power moved from "
            f"{first['balance']:+.3f} to {last['balance']:+.3f} "
            f"({'towards us' if d > 0 else 'towards them' if d < 0 else 'unchanged'}); the "
            f"predicted price from {money(None if pd.isna(first['predicted_price']) else first['predicted_price'], cur)} "
            f"to {money(None if pd.isna(last['predicted_price']) else last['predicted_price'], cur)}.")
    sec.add(trend_table(trend, cur), balance_trend_figure(trend, events))
    if trend["predicted_price"].notna().any():
        sec.add(price_trend_figure(trend, cur))
    if any(c.startswith("stance:") for c in trend.columns):
        sec.add(stance_trend_figure(trend, names))
    if any(c.startswith("posterior:") for c in trend.columns):
        labels = (dict(deal.hypotheses["statement"]) if deal.has("hypotheses") else {})
        sec.add(posterior_trend_figure(trend, labels))
    sec.headline = {
        "versions": [t.date().isoformat() for t in trend["as_of"]],
        "balance": [round(float(v), 6) for v in trend["balance"]],
        "predicted_price": [None if pd.isna(v) else round(float(v), 2)
                            for v in trend["predicted_price"]],
        "support": [None if pd.isna(v) else round(float(v), 6) for v in trend["support"]],
    }
    sec.summary = (f"Over {len(trend)} versions the balance moved "
                   f"{'towards us' if d > 0 else 'towards them' if d < 0 else 'nowhere'} "
                   f"({first['balance']:+.3f} → {last['balance']:+.3f}).")
    return sec


def changes_section(old, new, names: dict | None = None, diff=None) -> Section:
    """"What changed since <old's date>": every input change, the headlines before and after,
    and the change in the balance and the price attributed to the input changes (Shapley).
    ``diff``: :func:`powerkit.versions.diff` of ``old`` and ``new`` when the caller has it
    already (the Shapley parts cost 2^k re-analyses of the deal for k changes)."""
    d = version_diff(old, new) if diff is None else diff
    when = old.meta.as_of.isoformat()
    sec = Section("changes", f"What changed since {when}")
    cur = new.meta.currency
    if d.unchanged:
        sec.add(f"Nothing in the deal file changed since the version of {when}.")
        sec.headline = {"since": when, "changes": 0}
        return sec
    tb, tp = d.totals["balance"], d.totals["predicted_price"]
    sec.add(f"{len(d.changes)} input change{'s' if len(d.changes) != 1 else ''} since the "
            f"version of {when}. The balance moved by {tb:+.4f}"
            + ("" if tp is None else f" and the predicted price by {money(tp, cur)}")
            + ". The parts below add up to these totals: each is the change's Shapley share "
              "(its average effect over every order in which the changes could have come).")
    names = dict(new.stakeholders["name"]) if names is None else names
    ch = d.changes.assign(input=[c.named(names) for c in d.items],
                          old=d.changes["old"].map(_cell), new=d.changes["new"].map(_cell))
    sec.add(ch[["input", "change", "old", "new"]])
    hl = d.headlines.assign(old=d.headlines["old"].map(_cell), new=d.headlines["new"].map(_cell),
                            changed=d.headlines["changed"].map({True: "yes", False: ""}))
    sec.add(hl)
    parts = d.attribution
    if d.grouping == "change":
        parts = parts.assign(player=[c.named(names) for c in d.items])
    sec.add(attribution_figure(parts, tb, "balance"))
    if tp is not None:
        sec.add(attribution_figure(parts, tp, "predicted_price", cur))
    for n in d.notes:
        sec.add(f"*Note: {md(n)}*")
    sec.headline = {"since": when, "changes": len(d.changes), "balance_change": round(tb, 6),
                    "price_change": None if tp is None else round(tp, 2),
                    "grouping": d.grouping}
    return sec


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, dict):
        return ", ".join(f"{k}: {w}" for k, w in v.items())
    if isinstance(v, list):
        return " → ".join(map(str, v))
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def since_section(deal, since) -> Section | None:
    """"What changed since <date>" between an earlier version and ``deal``; ``None`` when
    ``since`` is empty. ``since`` is a deal folder or workbook, or the date (YYYY-MM-DD) of one of
    the deal's own versions (:func:`powerkit.versions.load_history`). An anonymised ``deal`` gets
    both versions anonymised alike (:func:`as_shown`), so no name of the deal files is shown."""
    if not since:
        return None
    import re
    from pathlib import Path

    from ..deal import load_deal
    from ..errors import InputError
    from ..versions import Version

    current = load_deal(deal.source) if deal.source and Path(deal.source).exists() else deal
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(since)) and not Path(since).exists():
        found = [v for v in (load_history(deal.source) if deal.source and Path(deal.source).exists() else [])
                 if v.as_of.isoformat() == str(since)]
        if not found:
            raise InputError(f"--since {since}: no version of the deal is dated {since}; "
                             "give a date of its history/ folder or a deal folder")
        old = found[0].deal
    else:
        old = load_deal(since)
    versions = as_shown(deal, [Version(old.meta.as_of, str(since), old),
                               Version(current.meta.as_of, "current", current)])
    return changes_section(versions[0].deal, versions[1].deal,
                           names=dict(deal.stakeholders["name"]))
