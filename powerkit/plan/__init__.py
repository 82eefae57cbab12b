"""The game plan: one answer a consultant takes into the room (analysis layer, pure).

:func:`game_plan` runs the walkthroughs' analyses once and reconciles them into one
:class:`GamePlan`: the package (target, opening, walk-away, concession ladder — within every
reservation price), one engagement sequence (influence, votes and sign-offs, the next best
question), timing, posture with its reason, risks, our team and the rivals. Where the models pull
apart the plan says which it follows and why (``explanations``). Modules: :mod:`.package`,
:mod:`.engagement`, :mod:`.context`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..errors import MissingTableError, bad_argument
from ..power.social import trust_plan
from ..text import money
from .context import risks, rival_strategies, roles, timing, who_can_answer
from .engagement import ENGAGEMENT_COLUMNS, engagement_sequence, targets
from .package import PackagePlan, Zone, package_plan, package_price, zone

__all__ = ["GamePlan", "game_plan", "PackagePlan", "Zone", "zone", "package_plan",
           "package_price", "engagement_sequence", "targets", "timing", "roles",
           "rival_strategies", "risks", "who_can_answer", "required_sign_offs"]


@dataclass
class GamePlan:
    """The plan. ``steps`` (one row per person, :data:`~.engagement.ENGAGEMENT_COLUMNS`),
    ``package`` (:class:`~.package.PackagePlan` or ``None`` without an issues table),
    ``close_by`` and ``timing`` (the dated items considered), ``posture`` and
    ``posture_reason``, ``predicted_price`` (walkthrough 1's split of the zone, for the
    explanation), ``risks``, ``roles``, ``rivals`` (counter-strategies), ``explanations`` (one
    sentence per disagreement between the models), ``inputs`` (budget, rule, sources)."""

    deal_id: str
    currency: str
    steps: pd.DataFrame
    package: PackagePlan | None
    close_by: date | None
    close_reason: str | None
    timing: pd.DataFrame
    posture: str
    posture_reason: str
    predicted_price: float | None
    risks: pd.DataFrame
    roles: dict
    rivals: pd.DataFrame
    explanations: list[str] = field(default_factory=list)
    question: dict | None = None
    inputs: dict = field(default_factory=dict)
    uncertainty: object = None  # powerkit.uncertainty.Uncertainty, when the caller has one
    #: the trust plan (powerkit.power.social.trust_plan) whose actions the steps bring
    trust: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ladder_table(self) -> pd.DataFrame:
        """The concession ladder without the package column (empty without a package)."""
        if self.package is None:
            return pd.DataFrame(columns=["step", "give_issue", "give_option", "ask_issue",
                                         "ask_option", "price", "us", "them"])
        return self.package.ladder.drop(columns=["package"])

    @property
    def zone_bounds(self) -> list | None:
        """``[low, high]`` of the zone of possible agreement on price (None without issues)."""
        return None if self.package is None else [self.package.zone.low, self.package.zone.high]

    @property
    def target_package_probability(self) -> float | None:
        """Share of the simulated draws whose fairest package is the target (None without
        ranges, or when the target was chosen by hand)."""
        u = self.uncertainty
        if u is None or u.package_probability is None or self.inputs.get("target_chosen"):
            return None
        return round(float(u.package_probability), 3)

    @property
    def target_package(self) -> dict:
        return {} if self.package is None else dict(self.package.target)

    def headline(self) -> dict:
        """The plan as plain values for the report's JSON (prices in the deal's currency,
        ``None`` where the deal has no money issue)."""
        pk = self.package
        return {
            "steps": [{"who": r.name, "party": r.party, "purpose": r.purpose, "ask": r.ask,
                       "give": r.give, "when": None if r.when is None else r.when.isoformat()}
                      for r in self.steps.itertuples()],
            "target_package": self.target_package,
            "target_price": None if pk is None else pk.target_price,
            "opening_price": None if pk is None else pk.opening_price,
            "walk_away_price": None if pk is None else pk.walk_away_price,
            "close_by": None if self.close_by is None else self.close_by.isoformat(),
            "posture": self.posture,
            "target_package_probability": self.target_package_probability,
            "risks": [f"{r.conclusion} (rests on {r.rests_on})" for r in self.risks.itertuples()],
        }


def _price_note(deal, pk: PackagePlan, va, predicted: float) -> str | None:
    """One sentence when the target's price and walkthrough 1's predicted price read
    differently: whether the target is the admissible option nearest the prediction, and if not,
    which issues the fairest split trades price against (those where the target gives the
    counterpart its preferred option)."""
    cur = deal.meta.currency
    t, p = money(pk.target_price, cur), money(predicted, cur)
    if t == p or pk.money_issue is None:
        return None
    from ..deal.money import money_issues

    amounts = [a for a in money_issues(deal.issues, cur)[pk.money_issue]
               if pk.zone.contains(a)]
    nearest = min(amounts, key=lambda a: (abs(a - predicted), a))
    if abs(nearest - pk.target_price) < 1e-6:
        return (f"The target package prices at {t}; walkthrough 1 predicts {p} for price alone: "
                f"{t} is the option nearest that prediction.")
    opts = va.options
    theirs = [i for i, o in pk.target.items() if i != pk.money_issue
              and o == opts[opts["issue"] == i].sort_values("them", kind="stable")
              .iloc[-1]["option"]]
    side = "above" if pk.target_price > predicted else "below"
    return (f"The target package prices at {t}, {side} walkthrough 1's {p} for price alone "
            f"(nearest option {money(nearest, cur)}): the fairest split of every issue together "
            + (f"pays for what they get on {', '.join(theirs)}." if theirs and side == "above"
               else "sets the price there in return for the other issues."))


def required_sign_offs(deal) -> list:
    """Stakeholders whose sign-off the decision rule requires (rules ``sign_off`` and
    ``quota_and_sign_off``): the counterpart side's sign-off holders we may talk to."""
    if deal.meta.decision_rule == "quota":
        return []
    ok = set(targets(deal))
    st = deal.stakeholders
    return [s for s in st.index[st["sign_off"].fillna(False).astype(bool)] if s in ok]


def _analyse(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except MissingTableError:
        return None


def game_plan(deal, budget: int = 3, target_package: dict | None = None, *,
              results: dict | None = None) -> GamePlan:
    """Build the game plan of ``deal``.

    Parameters
    ----------
    deal : powerkit.Deal
    budget : int, default 3
        Contact budget: at most this many people from walkthrough 2's influence plan.
    target_package : dict, optional
        Issue → option to aim for instead of the computed target (the ladder and prices follow);
        it must be an admissible package (every money option within the zone).
    results : dict, optional
        Analyses already computed with default settings (keys ``influence``, ``coalitions``,
        ``constraints``, ``value``), reused instead of run again (the report computes them once
        for all its sections). The influence result is reused only for ``budget`` 3, its
        default.

    Examples
    --------
    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> plan = game_plan(load_deal(sample_deal("small-renewal")))
    >>> plan.package.zone.contains(plan.package.target_price)
    True
    """
    from .. import coalitions, constraints, influence, power, value

    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        raise bad_argument("budget", "game_plan", "a whole number ≥ 0", budget)
    cur = deal.meta.currency
    pw = power.what_if(deal)
    first = pw.posture.iloc[0]
    predicted = getattr(pw.split, "price", None) if pw.split is not None else None
    got = results or {}
    va = got["value"] if "value" in got else (
        _analyse(value.what_if, deal) if deal.has("issues") else None)
    pk = package_plan(deal, va, target_package) if va is not None else None
    # only the two plans' steps are read: without the shared results, the plans alone (the
    # same calls and defaults as influence.what_if and coalitions.what_if make, without their
    # centrality measures, voting power, coalition lists and power map)
    iv = got["influence"].plan if got.get("influence") is not None and budget == 3 else (
        influence.engagement_plan(deal, max(budget, 1)) if deal.has("ties") else None)
    cw = got["coalitions"].plan if got.get("coalitions") is not None else (
        None if "coalitions" in got else _analyse(coalitions.coalition_plan, deal))
    ca = got["constraints"] if "constraints" in got else (
        _analyse(constraints.analyse, deal) if deal.has("hypotheses") else None)
    question = None
    if ca is not None and len(ca.questions):
        q = ca.questions.iloc[0]
        hyp = [h.strip() for h in str(q["hypotheses"]).split(",")][0]
        question = {"question": q["question"], "text": q["text"],
                    "who": who_can_answer(deal, hyp) if hyp in deal.hypotheses.index else None}
    close_by, when = timing(deal)
    reason = None
    if close_by is not None:
        hit = when[when["date"] == close_by]
        reason = hit["what"].iloc[0] if len(hit) else None
    first_give, give = None, None
    if pk is not None and len(pk.ladder) and pk.ladder["give_issue"].notna().any():
        g = pk.ladder.dropna(subset=["give_issue"]).iloc[0]
        first_give = f"{g['give_issue']}: {g['give_option']}"
        give = (g["give_issue"], g["give_option"])
    tp = trust_plan(deal, give=give)
    trust = {w: a for w, a, k in zip(tp.index, tp["action"], tp["weakest"], strict=True)
             if k is not None}
    steps, notes = engagement_sequence(
        deal, influence_steps=iv.steps if budget > 0 and iv is not None else None,
        vote_steps=None if cw is None else cw.steps, sign_off=required_sign_offs(deal),
        question=question, close_by=close_by, first_give=first_give, budget=budget,
        trust=trust)
    if pk is not None and pk.target_price is not None and predicted is not None:
        note = _price_note(deal, pk, va, predicted)
        if note:
            notes.append(note)
    rk = risks(deal, ca) if ca is not None else pd.DataFrame(
        columns=["conclusion", "rests_on", "evidence", "without_it", "settle_with", "question",
                 "ask"])
    return GamePlan(
        deal_id=deal.meta.id, currency=cur, steps=steps, package=pk, close_by=close_by,
        close_reason=reason, timing=when, posture=str(first["rule"]),
        posture_reason=str(first["reason"]), predicted_price=predicted, risks=rk,
        roles=roles(deal), rivals=rival_strategies(deal, lambda a: money(a, cur)),
        explanations=notes, question=question,
        inputs={"budget": budget, "decision_rule": deal.meta.decision_rule,
                "engagement_columns": ENGAGEMENT_COLUMNS,
                "target_chosen": target_package is not None},
        uncertainty=got.get("uncertainty"), trust=tp)
