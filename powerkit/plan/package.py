"""The package to aim for, where to open, where to stop, and the concessions in between.

Built on walkthrough 4 (package utilities, exact frontier, asymmetric Nash package) and the
reservation prices of the parties table, so that no price the plan recommends lies outside the
zone of possible agreement:

* **zone** — the prices both sides can accept: from the seller's reservation price (lowest
  acceptable) to the buyer's (highest acceptable); one bound when only one is known.
* **admissible options** — the options of the money issue whose amount lies in the zone (an
  option above the buyer's ceiling or below the seller's floor is never recommended).
* **target package** — walkthrough 4's asymmetric Nash package (Nash 1950; Kalai 1977: weights
  from bargaining power, ``alpha``), which it computes among packages of admissible options.
* **opening package** — the admissible package best for us that still gives them more than their
  disagreement utility (ambitious, credible: Raiffa 1982, ch. 4 on opening offers).
* **walk-away price** — our reservation price.
* **concession ladder** — from opening to target one issue at a time: we give first where giving
  costs us least per unit of their gain (the trade ratios of walkthrough 4, Froman & Cohen 1970's
  logrolling) and ask in return for the issue where their move gains us most per unit of their
  loss.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..deal.money import Zone, admissible_options, money_issues, zone
from ..errors import bad_argument

__all__ = ["Zone", "zone", "PackagePlan", "package_plan", "package_price"]


def package_price(package: dict, amounts: dict[str, pd.Series]) -> float | None:
    """The money a package moves: the sum of its money options' amounts (``None`` without a money
    issue)."""
    if not amounts:
        return None
    return float(sum(amounts[i][package[i]] for i in amounts if i in package))


@dataclass
class PackagePlan:
    """What to aim for and where to stop. Prices are in the deal's currency (``None`` where the
    deal has no money issue or the bound is unknown). ``ladder`` has one row per step from the
    opening to the target: ``give_issue, give_option, ask_issue, ask_option, package, price,
    us, them`` (utilities 0..1 after the step). ``excluded_options`` lists the money options
    outside the zone (never recommended); ``offers_outside`` the deal's own offers whose price
    lies outside it; ``inputs`` the numbers the plan was built from."""

    zone: Zone
    money_issue: str | None
    target: dict
    target_price: float | None
    target_utilities: tuple[float, float]
    opening: dict
    opening_price: float | None
    opening_utilities: tuple[float, float]
    walk_away_price: float | None
    ladder: pd.DataFrame
    excluded_options: pd.DataFrame
    offers_outside: pd.DataFrame
    alpha: float
    disagreement: tuple[float, float]
    inputs: dict = field(default_factory=dict)

    @property
    def has_package(self) -> bool:
        return bool(self.target)


def _utilities(options: pd.DataFrame) -> dict:
    """(issue, option) → (our utility, theirs)."""
    return {(r.issue, r.option): (float(r.us), float(r.them)) for r in options.itertuples()}


def _total(package: dict, util: dict) -> tuple[float, float]:
    u = [util[(i, o)] for i, o in package.items()]
    return float(sum(a for a, _ in u)), float(sum(b for _, b in u))


def _ladder(opening: dict, target: dict, util: dict, amounts: dict) -> pd.DataFrame:
    """Steps from ``opening`` to ``target``: gives (issues where the move costs us) ordered by
    cost to us per unit of their gain, each paired with an ask — first the moves that gain us
    (best gain to us per unit of their loss), then agreement on the issues the package keeps at
    the opening, most valuable to us relative to them first (the trade ratios of walkthrough 4);
    a give left over asks for the commitment to close."""
    gives, asks = [], []
    for issue in opening:
        if opening[issue] == target[issue]:
            continue
        a0, b0 = util[(issue, opening[issue])]
        a1, b1 = util[(issue, target[issue])]
        du, dt = a1 - a0, b1 - b0
        if du < 0:
            gives.append((-du / max(dt, 1e-12), issue, du, dt))
        else:
            asks.append((du / max(-dt, 1e-12), issue, du, dt))
    gives.sort(key=lambda g: (g[0], g[1]))
    asks.sort(key=lambda a: (-a[0], a[1]))

    def stake(issue, side):
        vals = [v[side] for (i, _), v in util.items() if i == issue]
        return max(vals) - min(vals)

    holds = sorted((i for i in opening if opening[i] == target[i] and stake(i, 0) > 0),
                   key=lambda i: (-stake(i, 0) / max(stake(i, 1), 1e-12), i))
    rows, pkg = [], dict(opening)
    for k, (_, issue, du, dt) in enumerate(gives):
        pkg[issue] = target[issue]
        ask_issue = ask_option = None
        kind = "close"
        if k < len(asks):
            ask_issue, kind = asks[k][1], "move"
            ask_option = target[ask_issue]
            pkg[ask_issue] = target[ask_issue]
        elif k - len(asks) < len(holds):
            ask_issue, kind = holds[k - len(asks)], "hold"
            ask_option = target[ask_issue]
        u, t = _total(pkg, util)
        rows.append({"step": k + 1, "give_issue": issue, "give_option": target[issue],
                     "cost_to_us": round(-du, 4), "gain_to_them": round(dt, 4),
                     "ask_issue": ask_issue, "ask_option": ask_option, "ask_kind": kind,
                     "package": dict(pkg), "price": package_price(pkg, amounts),
                     "us": round(u, 4), "them": round(t, 4)})
    for issue, *_ in [(a[1],) for a in asks[len(gives):]]:  # asks no give pays for
        pkg[issue] = target[issue]
        u, t = _total(pkg, util)
        rows.append({"step": len(rows) + 1, "give_issue": None, "give_option": None,
                     "cost_to_us": 0.0, "gain_to_them": 0.0, "ask_issue": issue,
                     "ask_option": target[issue], "ask_kind": "move", "package": dict(pkg),
                     "price": package_price(pkg, amounts), "us": round(u, 4), "them": round(t, 4)})
    cols = ["step", "give_issue", "give_option", "cost_to_us", "gain_to_them", "ask_issue",
            "ask_option", "ask_kind", "package", "price", "us", "them"]
    return pd.DataFrame(rows, columns=cols)


def _checked_target(package: dict, restricted: pd.DataFrame, issues: list) -> dict:
    allowed = restricted.groupby("issue")["option"].apply(list).to_dict()
    if not isinstance(package, dict) or set(package) != set(issues) or any(
            package[i] not in allowed.get(i, []) for i in issues):
        raise bad_argument("target_package", "package_plan", "an option of every issue ("
                           + "; ".join(f"{i}: {', '.join(map(str, allowed.get(i, [])))}"
                                       for i in issues)
                           + "), money options within the zone", package)
    return {i: package[i] for i in issues}


def package_plan(deal, value_analysis, target_package: dict | None = None) -> PackagePlan:
    """Target, opening, walk-away and concession ladder from walkthrough 4's analysis
    (``powerkit.value.what_if(deal)``) restricted to the zone of possible agreement.
    ``target_package`` (issue → option) replaces the computed target; it must name an option of
    every issue, and its money options must lie in the zone."""
    from ..value import pareto_frontier  # analysis layer, imported when a plan is built

    z = zone(deal)
    amounts = money_issues(deal.issues, deal.meta.currency)
    money = next(iter(amounts), None)
    options = value_analysis.options
    d = tuple(float(x) for x in value_analysis.disagreement)
    alpha = float(value_analysis.nash.weights["alpha"]) if value_analysis.nash is not None \
        else 0.5
    restricted, excluded = admissible_options(deal, options)
    admissible = (restricted.groupby("issue")["option"].nunique().reindex(
        options["issue"].unique()).fillna(0) > 0).all()
    util = _utilities(options)
    empty = pd.DataFrame(columns=["step", "give_issue", "give_option", "cost_to_us",
                                  "gain_to_them", "ask_issue", "ask_option", "ask_kind",
                                  "package", "price", "us", "them"])
    target, opening = {}, {}
    if admissible and z.exists:
        front = pareto_frontier(restricted.reset_index(drop=True))
        issues = list(dict.fromkeys(options["issue"]))
        if target_package is not None:
            target = _checked_target(target_package, restricted, issues)
        elif value_analysis.nash is not None:  # walkthrough 4's Nash package, in the zone
            target = {k: value_analysis.nash.package[k] for k in issues}
        credible = front[front["them"] > d[1]]
        if target and len(credible):
            j = credible["us"].to_numpy().argmax()
            opening = {k: credible.iloc[j][k] for k in issues}
        elif target:
            opening = dict(target)
    ladder = _ladder(opening, target, util, amounts) if target else empty
    offers_outside = pd.DataFrame(columns=["round", "party", "option", "amount"])
    if money is not None and deal.has("offers"):
        o = deal.offers[deal.offers["issue"] == money]
        rows = [{"round": int(r.round), "party": r.party, "option": r.option,
                 "amount": float(amounts[money][r.option])}
                for r in o.itertuples() if r.option in amounts[money].index
                and not z.contains(float(amounts[money][r.option]))]
        offers_outside = pd.DataFrame(rows, columns=offers_outside.columns)
    return PackagePlan(
        zone=z, money_issue=money, target=target,
        target_price=package_price(target, amounts) if target else None,
        target_utilities=_total(target, util) if target else (math.nan, math.nan),
        opening=opening, opening_price=package_price(opening, amounts) if opening else None,
        opening_utilities=_total(opening, util) if opening else (math.nan, math.nan),
        walk_away_price=z.our_walk_away(), ladder=ladder,
        excluded_options=excluded,
        offers_outside=offers_outside, alpha=alpha, disagreement=d,
        inputs={"zone_low": z.low, "zone_high": z.high, "alpha": alpha, "disagreement": d,
                "money_issue": money})
