r"""The report's invariants: the checks that make it one answer instead of five.

:func:`violations` reads a deal's sections and game plan and lists every broken invariant, one
sentence each (an empty list: consistent). The test suite runs it on every sample deal and on
hundreds of random deals (``powerkit.deal.synthetic.make_deal(..., roles=True)``); each check
also has a deliberately broken input that it must catch.

Invariants
----------
1. ``zone`` — no recommended price (the plan's target, opening and every ladder step, the value
   section's recommended packages, the coalition section's best package) lies outside the zone of
   the reservation prices.
2. ``order`` — the brief's engagement order is the plan's, and the JSON's.
3. ``roles`` — nobody of our party or of a rival party is among the people to meet, to win or
   flagged (hidden influencer, formal-only).
4. ``decides`` — nobody is both "formal-only" and "who really decides".
5. ``count`` — a sentence announcing *k* meetings, contacts or steps is followed by a table of *k*
   rows.
6. ``compare`` — no comparison sentence whose two printed sides are equal ("0.50 < 0.50").
7. ``empty`` — no empty table (an empty result is said in a sentence).
8. ``money`` — every price in the brief is printed as its section prints it (one formatter).
9. ``column`` — a text that promises a column (*the column* \*name\*) is followed by a table
   that has it.
10. ``ranges`` — the price range and walkthrough 1's predicted price the brief quotes are the
    ones the power section prints and the JSON carries (``power.price_interval``,
    ``power.predicted_price``), formatted by the one money formatter.
11. ``trust`` — what the brief says to bring each person it plans to meet contains the action
    the power section's trust plan gives for that person (one trust plan, not two).
12. ``forecast`` — the forecast section's own invariants
    (:func:`powerkit.sections.forecast.forecast_violations`: every model's forecast within the
    positions taken, our position the positions table's, the headline the models'), and the
    brief's "where the decision will land" quotes the section's numbers.
"""
from __future__ import annotations

import re

import pandas as pd

from ..text import money

__all__ = ["violations", "analysis_violations", "text_blocks", "CHECKS"]

CHECKS = ("zone", "order", "roles", "decides", "count", "compare", "empty", "money", "column",
          "ranges", "trust", "forecast")

_NUM = r"[-+−]?\d[\d,]*(?:\.\d+)?%?"
_CMP = re.compile(rf"({_NUM})\s*(<=|>=|<|>|≤|≥)\s*({_NUM})(?![\d.])")
_COUNT = re.compile(r"\((\d+) (?:meetings?|contacts?|steps?)\)")
_COLUMN = re.compile(r"[Tt]he column \*([^*]+)\*")


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def text_blocks(sections) -> list[tuple[str, str]]:
    """(section key, text) for every text a reader sees: summaries and markdown blocks, with
    Markdown's backslash escapes (``powerkit.text.md``) undone — the text as it reads."""
    out = []
    for s in sections:
        if s.summary:
            out.append((s.key, _ESCAPED.sub(r"\1", s.summary)))
        out.extend((s.key, _ESCAPED.sub(r"\1", b)) for b in s.blocks if isinstance(b, str))
    return out


def _side(deal) -> pd.Series:
    return deal.stakeholders["party"].map(deal.parties["side"])


def _names_of(deal, sides) -> set:
    st = deal.stakeholders
    return set(st.loc[_side(deal).isin(sides), "name"].astype(str))


def violations(deal, sections, plan=None, headline: dict | None = None) -> list[str]:
    """Every broken invariant of a report, one sentence each (see the module docstring)."""
    bad = []
    by_key = {s.key: s for s in sections}
    # 1. zone
    if plan is not None and plan.package is not None and plan.package.target:
        pk = plan.package
        z = pk.zone
        for what, price in (("target", pk.target_price), ("opening", pk.opening_price)):
            if not z.contains(price):
                bad.append(f"zone: the {what} price {price} lies outside {z.low}–{z.high}")
        for r in pk.ladder.itertuples():
            if not z.contains(r.price):
                bad.append(f"zone: ladder step {r.step} at {r.price} lies outside "
                           f"{z.low}–{z.high}")
        amounts = _amounts(deal)
        for key, path in (("value", ("nash_package",)), ("coalitions", ("best_package",))):
            sec = by_key.get(key)
            pkg = None if sec is None or sec.missing else sec.headline.get(path[0])
            if isinstance(pkg, dict) and amounts:
                price = sum(amounts[i][pkg[i]] for i in amounts if pkg.get(i) in amounts[i])
                if not z.contains(price):
                    bad.append(f"zone: the {key} section recommends {price}, outside "
                               f"{z.low}–{z.high}")
    # 2. order
    if plan is not None:
        names = list(plan.steps["name"])
        brief = by_key.get("brief")
        if brief is not None:
            shown = [t for t in brief.tables() if "meet" in t.columns]
            if names and (not shown or list(shown[0]["meet"]) != names):
                bad.append("order: the brief's table of meetings is not the plan's order")
        if headline is not None and "plan" in headline:
            if [s["who"] for s in headline["plan"]["steps"]] != names:
                bad.append("order: the JSON's plan steps are not the plan's order")
    # 3. roles (by id where the plan has ids; by name elsewhere, leaving out a name that
    # someone we may court shares)
    ours_or_rival = _names_of(deal, ["us", "rival"]) - _names_of(deal, ["counterpart", "third"])
    side = _side(deal)
    if plan is not None:
        hit = [w for w in plan.steps["who"] if side.get(w) in ("us", "rival")]
        if hit:
            bad.append(f"roles: the plan courts our own or a rival's people: {sorted(hit)}")
    inf = by_key.get("influence")
    if inf is not None and not inf.missing:
        h = inf.headline
        for key in ("hidden_influencers", "formal_only", "engage_order"):
            hit = set(h.get(key) or []) & ours_or_rival
            if hit:
                bad.append(f"roles: influence lists our own or a rival's people as {key}: "
                           f"{sorted(hit)}")
        # 4. decides
        if h.get("who_really_decides") in set(h.get("formal_only") or []):
            bad.append(f"decides: {h['who_really_decides']} is both formal-only and who really "
                       "decides")
    coa = by_key.get("coalitions")
    if coa is not None and not coa.missing:
        for key in ("plan_order", "coalition"):
            hit = set(coa.headline.get(key) or []) & ours_or_rival
            if hit:
                bad.append(f"roles: the coalition section courts {sorted(hit)} ({key})")
    # 5.–7. text and tables
    for s in sections:
        blocks = s.blocks
        for i, b in enumerate(blocks):
            if isinstance(b, str):
                m = _COUNT.search(b)
                nxt = next((x for x in blocks[i + 1:] if isinstance(x, pd.DataFrame)), None)
                if m and nxt is not None and len(nxt) != int(m.group(1)):
                    bad.append(f"count: {s.key} announces {m.group(1)} and shows {len(nxt)} rows")
                for col in _COLUMN.findall(b):
                    have = set() if nxt is None else {str(c).replace("_", " ") for c in nxt.columns}
                    if col.replace("_", " ") not in have:
                        bad.append(f"column: {s.key} promises the column '{col}', which the "
                                   "table after it does not have")
            elif isinstance(b, pd.DataFrame) and len(b) == 0:
                bad.append(f"empty: {s.key} shows an empty table "
                           f"({', '.join(map(str, b.columns[:4]))})")
    for key, text in text_blocks(sections):
        for m in _CMP.finditer(text):
            if m.group(1).lstrip("+") == m.group(3).lstrip("+"):
                bad.append(f"compare: {key} says '{m.group(0)}'")
    # 8. money
    if plan is not None and plan.package is not None and plan.package.target_price is not None:
        brief = by_key.get("brief")
        said = money(plan.package.target_price, deal.meta.currency)
        if brief is not None and not any(said in t for k, t in text_blocks([brief])):
            bad.append(f"money: the brief does not print the target price as {said}")
    # 10. ranges: the price range the brief quotes is the power section's
    pw, brief = by_key.get("power"), by_key.get("brief")
    rng = None if pw is None or pw.missing else pw.headline.get("price_interval")
    if rng and brief is not None:
        lo, hi = (money(v, deal.meta.currency) for v in rng)
        quoted = [t for _, t in text_blocks([brief]) if "puts the price" in t]
        if quoted and not all(f"between {lo} and {hi}" in t or (lo == hi and lo in t)
                              for t in quoted):
            bad.append(f"ranges: the brief's price range is not the power section's ({lo}–{hi})")
        power_text = " ".join(t for _, t in text_blocks([pw]))
        if lo != hi and f"between {lo} and {hi}" not in power_text:
            bad.append(f"ranges: the power section does not print its price range as {lo}–{hi}")
    # 10b. the predicted price the brief quotes (walkthrough 1's) is the power section's
    price = None if pw is None or pw.missing else pw.headline.get("predicted_price")
    if price is not None and brief is not None:
        said = money(price, deal.meta.currency)
        brief_text = " ".join(t for _, t in text_blocks([brief]))
        for m in re.finditer(r"walkthrough 1(?:'s)? (?:predicts )?(\S+ \S+?) for price alone",
                             brief_text):
            if m.group(1) != said:
                bad.append(f"ranges: the brief quotes walkthrough 1's price as {m.group(1)}, "
                           f"the power section as {said}")
        if said not in " ".join(t for _, t in text_blocks([pw])):
            bad.append(f"ranges: the power section does not print its predicted price {said}")
    # 11. trust: the brief brings each person the trust plan's action for them
    steps = next((b for b in (brief.blocks if brief is not None else [])
                  if isinstance(b, pd.DataFrame) and {"meet", "bring"} <= set(b.columns)), None)
    trust = next((b for b in (pw.blocks if pw is not None and not pw.missing else [])
                  if isinstance(b, pd.DataFrame) and {"weakest", "action"} <= set(b.columns)),
                 None)
    if steps is not None and trust is not None:
        action = dict(zip(trust["name"], trust["action"], strict=True))
        for who, bring in zip(steps["meet"], steps["bring"], strict=True):
            if who in action and action[who] not in str(bring):
                bad.append(f"trust: the brief brings {who} '{bring}', the trust plan says "
                           f"'{action[who]}'")
    # 12. forecast
    fc = by_key.get("forecast")
    if fc is not None:
        from .forecast import forecast_violations

        bad += [f"forecast: {v}" for v in forecast_violations(deal, fc)]
        # the brief's "where the decision will land" quotes the forecast section's numbers
        said = " ".join(t for _, t in text_blocks([brief])) if brief is not None else ""
        shown = " ".join(t for _, t in text_blocks([fc]))
        for m in re.finditer(r"The compromise model puts (.+?) at (\S+), against our ([^\s—.]+)",
                             said):
            if m.group(0) not in shown:
                bad.append(f"forecast: the brief says '{m.group(0)}', which the forecast "
                           "section does not")
    return bad


def _amounts(deal) -> dict:
    from ..deal.money import money_issues

    return money_issues(deal.issues, deal.meta.currency)


def analysis_violations(deal, shared: dict, plan=None) -> list[str]:
    """The role invariants checked on the analysis results themselves, by stakeholder id (no
    figures, no prose: fast enough for hundreds of random deals): nobody of our party or a
    rival is flagged, planned for engagement or in the coalition plan; nobody is both
    formal-only and who really decides; the plan's prices lie in the zone; every voter the
    coalition plan needs is to be managed closely on the power map."""
    bad = []
    side = _side(deal)
    iv = shared.get("influence")
    if iv is not None:
        flagged = iv.table.index[iv.table["flag"].isin(["hidden influencer", "formal-only"])]
        hit = [w for w in flagged if side.get(w) in ("us", "rival")]
        if hit:
            bad.append(f"roles: influence flags our own or a rival's people: {hit}")
        hit = [w for w in iv.plan.steps["stakeholder"] if side.get(w) in ("us", "rival")]
        if hit:
            bad.append(f"roles: the influence plan courts {hit}")
        top = iv.who.index[0]
        if iv.table.loc[top, "flag"] == "formal-only":
            bad.append(f"decides: {top} is both formal-only and who really decides")
    cw = shared.get("coalitions")
    if cw is not None:
        steps = list(cw.plan.steps["stakeholder"])
        hit = [w for w in steps if side.get(w) in ("us", "rival")]
        if hit:
            bad.append(f"roles: the coalition plan courts {hit}")
        pm = cw.power_map
        quiet = [w for w in steps if w in pm.index
                 and pm.at[w, "quadrant"] not in ("manage closely", "keep satisfied")]
        if quiet:
            bad.append(f"power map: the coalition plan needs {quiet}, whom the map does not "
                       "manage closely")
    if plan is not None and plan.package is not None and plan.package.target:
        z = plan.package.zone
        prices = [plan.package.target_price, plan.package.opening_price,
                  *plan.package.ladder["price"]]
        out = [x for x in prices if not z.contains(x)]
        if out:
            bad.append(f"zone: plan prices {out} outside {z.low}–{z.high}")
        if z.us_is_seller is not None and plan.package.walk_away_price is not None:
            w, t = plan.package.walk_away_price, plan.package.target_price
            if t is not None and ((z.us_is_seller and t < w - 1e-6)
                                  or (not z.us_is_seller and t > w + 1e-6)):
                bad.append(f"zone: the target {t} is worse for us than our walk-away {w}")
    return bad
