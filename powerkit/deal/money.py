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
from dataclasses import dataclass

import pandas as pd

from .model import number

__all__ = ["parse_amount", "money_issues", "amount_problems", "SYMBOLS", "Zone", "zone",
           "admissible_options", "walk_aways", "rival_price"]

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


@dataclass(frozen=True)
class Zone:
    """The zone of possible agreement on price: ``low`` (seller's floor) to ``high`` (buyer's
    ceiling); either may be ``None`` (unknown). ``exists`` is False when the floor lies above the
    ceiling. ``seller`` / ``buyer`` are party ids (``None`` when the roles are not given)."""

    low: float | None
    high: float | None
    seller: str | None
    buyer: str | None
    us_is_seller: bool | None

    @property
    def exists(self) -> bool:
        return self.low is None or self.high is None or self.low <= self.high

    def contains(self, amount: float | None, tol: float = 1e-6) -> bool:
        """True when ``amount`` lies in the zone (an unknown amount: True)."""
        if amount is None or (isinstance(amount, float) and math.isnan(amount)):
            return True
        if self.low is not None and amount < self.low - tol:
            return False
        return not (self.high is not None and amount > self.high + tol)

    def our_walk_away(self) -> float | None:
        if self.us_is_seller is None:
            return None
        return self.low if self.us_is_seller else self.high


def _cell(parties: pd.DataFrame, party: str, col: str = "reservation_price") -> float | None:
    """A party's number in ``col`` (None when blank, text or missing): :func:`~.model.number`."""
    if col not in parties or party not in parties.index:
        return None
    return number(parties.at[party, col])


def _seller_is_us(deal, p: pd.DataFrame) -> bool | None:
    us, them = deal.us, deal.counterpart
    role_us = str(p.at[us, "role"]) if "role" in p else "other"
    role_them = str(p.at[them, "role"]) if "role" in p else "other"
    if role_us == "seller" or role_them == "buyer":
        return True
    if role_us == "buyer" or role_them == "seller":
        return False
    rp_us, rp_them = _cell(p, us), _cell(p, them)
    if rp_us is not None and rp_them is not None:
        return rp_us <= rp_them
    return None


def rival_price(deal, party: str, parties: pd.DataFrame | None = None,
                amounts: dict | None = None) -> float | None:
    """A rival's price for the counterpart: its latest standing bid on the money issue (the
    offers table; the sum of its money options when there are several), else its reservation
    price (what it can go to). ``amounts``: the deal's :func:`money_issues`, when the caller
    has them already (one reading for every rival)."""
    p = deal.parties if parties is None else parties
    if deal.has("offers") and deal.has("issues"):
        if amounts is None:
            amounts = money_issues(deal.issues, deal.meta.currency)
        o = deal.offers[(deal.offers["party"] == party) & deal.offers["issue"].isin(amounts)]
        if len(o):
            last = o[o["round"] == o["round"].max()]
            vals = [amounts[r.issue].get(r.option) for r in last.itertuples()]
            if vals and all(v is not None for v in vals):
                return float(sum(vals))
    return _cell(p, party)


def walk_aways(deal, parties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each side's effective walk-away price: the better, for that side, of its reservation
    price and its best alternative.

    * A reservation price as entered is the walk-away on the deal's ``as_of`` date and already
      reflects that side's alternatives then. When ``parties`` (the table after dated events,
      :func:`powerkit.power.apply_events`) changes a side's ``batna_value``, its walk-away moves
      one for one with the change: a seller whose alternative loses 230k of value accepts 230k
      less; a buyer whose alternative gains value pays that much less.
    * A rival (a party with side ``rival`` in our role) gives the counterpart an alternative at
      the rival's price (:func:`rival_price`): a buyer's ceiling is at most the cheapest rival
      seller's price, a seller's floor at least the highest rival buyer's price. A rival price
      worse for the counterpart than its own walk-away changes nothing.

    With no BATNA change and no rival this is the reservation prices as entered. Returns one
    row per side (index ``seller``, ``buyer``): ``party``, ``walk_away``, ``reservation_price``,
    ``source``.

    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> w = walk_aways(load_deal(sample_deal("small-renewal")))
    >>> w["walk_away"].tolist(), w["source"].tolist()
    ([170000.0, 205000.0], ['reservation price', 'reservation price'])
    """
    base = deal.parties_as_entered
    p = deal.parties if parties is None else parties
    seller_is_us = _seller_is_us(deal, p)
    if seller_is_us is None:
        return pd.DataFrame(columns=["party", "walk_away", "reservation_price", "source"])
    seller, buyer = ((deal.us, deal.counterpart) if seller_is_us
                     else (deal.counterpart, deal.us))
    rows = {}
    for role, party, sign in (("seller", seller, 1.0), ("buyer", buyer, -1.0)):
        rp = _cell(p, party)
        wa, src = rp, "reservation price"
        b0, b1 = _cell(base, party, "batna_value"), _cell(p, party, "batna_value")
        if wa is not None and b0 is not None and b1 is not None and b1 != b0:
            wa = wa + sign * (b1 - b0)
            src = f"reservation price moved by the change in BATNA ({b1 - b0:+,.0f})"
        rows[role] = {"party": party, "walk_away": wa, "reservation_price": rp, "source": src}
    them_role = "buyer" if seller_is_us else "seller"
    our_role = "seller" if seller_is_us else "buyer"
    rivals = [r for r in p.index if p.at[r, "side"] == "rival"
              and ("role" not in p or p.at[r, "role"] in (our_role, "other"))]
    amounts = (money_issues(deal.issues, deal.meta.currency)
               if rivals and deal.has("offers") and deal.has("issues") else None)
    for r in rivals:
        price = rival_price(deal, r, p, amounts)
        cur = rows[them_role]["walk_away"]
        if price is None or cur is None:
            continue
        better = price < cur if them_role == "buyer" else price > cur
        if better:
            name = p.at[r, "name"] if "name" in p else r
            rows[them_role].update(walk_away=price, source=f"the price of {name} (a rival)")
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "role"
    return out


def zone(deal, parties: pd.DataFrame | None = None) -> Zone:
    """The zone of possible agreement between us and the counterpart: from the seller's
    effective walk-away (lowest acceptable price) to the buyer's (highest), see
    :func:`walk_aways`; roles from ``role`` (seller/buyer; without roles the lower reservation
    price is read as the seller's floor).

    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> z = zone(load_deal(sample_deal("small-renewal")))
    >>> z.low, z.high, z.us_is_seller
    (170000.0, 205000.0, True)
    """
    w = walk_aways(deal, parties)
    if not len(w):
        return Zone(None, None, None, None, None)
    seller, buyer = w.at["seller", "party"], w.at["buyer", "party"]
    def num(v):
        return None if v is None or v != v else float(v)

    return Zone(low=num(w.at["seller", "walk_away"]), high=num(w.at["buyer", "walk_away"]),
                seller=seller, buyer=buyer, us_is_seller=seller == deal.us)


def admissible_options(deal, options: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The options (rows ``issue, option, …``) whose money amount lies in the zone of
    :func:`zone`, and the excluded ones (``issue, option, amount, why``). Options of issues that
    are not money always stay."""
    z = zone(deal)
    amounts = money_issues(deal.issues, deal.meta.currency)
    keep = pd.Series(True, index=options.index)
    excluded = []
    for issue, amt in amounts.items():
        for opt, a in amt.items():
            if not z.contains(a):
                keep &= ~((options["issue"] == issue) & (options["option"] == opt))
                why = ("below the seller's floor" if z.low is not None and a < z.low
                       else "above the buyer's ceiling")
                excluded.append({"issue": issue, "option": opt, "amount": a, "why": why})
    return options[keep], pd.DataFrame(excluded, columns=["issue", "option", "amount", "why"])
