"""What the likely hidden constraints mean for us: the changes to each party's positional inputs
of :mod:`powerkit.power` and the re-scored power balance, and the constraint plan (approach,
levers, signals to watch for) from the :data:`~powerkit.constraints.kinds.CATALOGUE`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import InputError
from .analysis import ConstraintAnalysis, analyse
from .kinds import CATALOGUE

__all__ = ["power_adjustments", "power_deltas", "PowerShift", "power_shift", "approach",
           "constraint_plan", "holder_name", "as_analysis"]


def as_analysis(x, caller: str) -> ConstraintAnalysis:
    """``x`` itself if it is a :class:`ConstraintAnalysis`, :func:`analyse` of it if it is a Deal;
    ``caller`` names the public function in the error message."""
    if isinstance(x, ConstraintAnalysis):
        return x
    if hasattr(x, "meta") and hasattr(x, "hypotheses"):
        return analyse(x)
    raise InputError(f"The 'analysis' parameter of {caller} must be a ConstraintAnalysis or a "
                     f"Deal. Got {type(x).__name__} instead.")


def power_adjustments(analysis) -> pd.DataFrame:
    """How the hypothesised constraints change each party's positional inputs.

    Each hypothesis of kind k contributes, for every input of ``CATALOGUE[k].power_effects``,
    ``expected_delta = posterior × delta_if_true``: the change in expectation of the holder's
    party's input, on the 0..1 scale of :mod:`powerkit.power` (higher = more power). A
    counterpart under budget pressure or a hard deadline has less positional power than it
    shows; one with a prior commitment to a competitor has more.

    Parameters
    ----------
    analysis : ConstraintAnalysis or Deal

    Returns
    -------
    DataFrame
        One row per (hypothesis, input): hypothesis, holder, party, kind, input,
        delta_if_true, posterior, expected_delta, likely, reason.
    """
    a = as_analysis(analysis, "power_adjustments")
    rows = []
    for hid, r in a.hypotheses.iterrows():
        k = CATALOGUE.get(r["kind"])
        if k is None:
            continue
        for inp, d in k.power_effects.items():
            rows.append({"hypothesis": hid, "holder": r["holder"], "party": r["party"],
                         "kind": r["kind"], "input": inp, "delta_if_true": d,
                         "posterior": r["posterior"], "expected_delta": r["posterior"] * d,
                         "likely": bool(r["likely"]), "reason": k.power_note})
    cols = ["hypothesis", "holder", "party", "kind", "input", "delta_if_true", "posterior",
            "expected_delta", "likely", "reason"]
    return pd.DataFrame(rows, columns=cols)


def power_deltas(analysis, *, likely_only: bool = False) -> dict:
    """Positional-input changes per party: ``{party: {input: Σ expected_delta}}``.

    Parameters
    ----------
    analysis : ConstraintAnalysis or Deal
    likely_only : bool
        Count only hypotheses at or above the analysis threshold (default: all, each weighted
        by its posterior).
    """
    adj = power_adjustments(analysis)
    if likely_only:
        adj = adj[adj["likely"]]
    out: dict = {}
    for (p, inp), s in adj.groupby(["party", "input"], sort=True)["expected_delta"]:
        out.setdefault(str(p), {})[str(inp)] = round(float(s.sum()), 6)
    return out


@dataclass
class PowerShift:
    """The power balance before and after the hidden constraints are taken into account.

    ``table`` lists each adjusted input: party, input, before, delta, after (clipped to
    [0, 1]); ``inputs`` is the ``{(party, input): after}`` mapping given to
    :func:`powerkit.power.power_profile`.
    """

    balance_before: float
    balance_after: float
    table: pd.DataFrame
    inputs: dict

    @property
    def change(self) -> float:
        return self.balance_after - self.balance_before


def power_shift(deal, analysis=None, *, likely_only: bool = False, **profile_kwargs) -> PowerShift:
    """Re-score the power profile with the hidden constraints' expected input changes.

    Reads the holder parties' current positional inputs from
    :func:`powerkit.power.power_profile`, adds :func:`power_deltas` (clipped to [0, 1]) and
    re-scores with ``inputs=`` overrides.

    Parameters
    ----------
    deal : Deal
    analysis : ConstraintAnalysis, optional
        Default: :func:`analyse` of the deal.
    likely_only : bool
        See :func:`power_deltas`.
    **profile_kwargs
        Passed to :func:`powerkit.power.power_profile` (weights, at, ...).

    Returns
    -------
    PowerShift
    """
    from .. import power

    a = analysis if analysis is not None else analyse(deal)
    before = power.power_profile(deal, **profile_kwargs)
    base = before.inputs.set_index(["party", "input"])["value"]
    rows, inputs = [], {}
    for party, d in power_deltas(a, likely_only=likely_only).items():
        for inp, delta in d.items():
            if (party, inp) not in base.index:
                continue
            v0 = float(base.loc[(party, inp)])
            v1 = min(1.0, max(0.0, v0 + delta))
            inputs[(party, inp)] = v1
            rows.append({"party": party, "input": inp, "before": v0, "delta": delta,
                         "after": v1})
    after = power.power_profile(deal, inputs=inputs, **profile_kwargs) if inputs else before
    table = pd.DataFrame(rows, columns=["party", "input", "before", "delta", "after"])
    return PowerShift(float(before.balance), float(after.balance), table, inputs)


def approach(analysis) -> pd.DataFrame:
    """For each likely constraint: its signals to watch, the levers that answer it, and the
    adjustment of our approach (from :data:`CATALOGUE`)."""
    a = as_analysis(analysis, "approach")
    rows = []
    for hid, r in a.likely().iterrows():
        k = CATALOGUE[r["kind"]]
        rows.append({"hypothesis": hid, "holder": r["holder"], "kind": k.label,
                     "posterior": r["posterior"], "approach": k.approach,
                     "levers": "; ".join(k.levers), "watch_for": "; ".join(k.signals),
                     "power": k.power_note})
    return pd.DataFrame(rows, columns=["hypothesis", "holder", "kind", "posterior", "approach",
                                       "levers", "watch_for", "power"])


def holder_name(deal, holder) -> str:
    """The name of a hypothesis' holder: a stakeholder's or a party's name, else the id itself."""
    for t in (deal.stakeholders, deal.parties):
        if holder in t.index:
            return str(t.loc[holder, "name"])
    return str(holder)


def constraint_plan(analysis, deal) -> pd.DataFrame:
    """:func:`approach` with a first column ``constraint`` naming each likely constraint for a
    reader: ``"<kind label> — <holder's name>, <posterior rounded to 2 places, as %>
    (<hypothesis id>)"``.

    Parameters
    ----------
    analysis : ConstraintAnalysis or Deal
    deal : Deal
        Where the holders' names come from.

    Returns
    -------
    DataFrame
        constraint, hypothesis, holder, kind, posterior, approach, levers, watch_for, power.
    """
    plan = approach(analysis)
    shown = plan["posterior"].round(2)
    plan.insert(0, "constraint", [f"{k} — {holder_name(deal, h)}, {p:.0%} ({i})" for k, h, p, i in
                                  zip(plan["kind"], plan["holder"], shown, plan["hypothesis"],
                                      strict=True)])
    return plan
