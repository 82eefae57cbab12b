"""The three sources of power and their inputs: what each input measures, how it is read from
the deal, and the default weights (METHOD.md §1–5; docs/methods/power.md).

Every score of :mod:`powerkit.power` is a weighted mean of inputs on a 0..1 scale; the weights
below are the defaults, and :func:`resolve_weights` normalises any overrides within their group.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..errors import InputError, bad_argument

__all__ = ["SOURCES", "INPUTS", "DEFAULT_WEIGHTS", "STAKEHOLDER_WEIGHTS", "TRUST_BUILDERS",
           "MEASURED_FOR_US_ONLY", "resolve_weights"]

SOURCES = ("positional", "psychological", "systemic")

#: input → (source, what it measures, how it is read from the deal)
INPUTS: dict[str, tuple[str, str, str]] = {
    "batna": ("positional", "strength of the best alternative",
              "B / (B + W): batna_value over batna_value plus the ZOPA width"),
    "alternatives": ("positional", "number of credible alternatives", "n / (n + 1)"),
    "resources": ("positional", "financial and organisational resources", "parties.resources"),
    "time": ("positional", "time pressure (patience)",
             "BRW weight against the other side: r_other / (r_self + r_other)"),
    "legal_position": ("positional", "legal or contractual position", "parties.legal_position"),
    "status": ("positional", "market status, reputation", "parties.status"),
    "trust_competence": ("psychological", "the other side's trust in our competence",
                         "say-weighted mean over the other side's people"),
    "trust_benevolence": ("psychological", "the other side's trust in our benevolence",
                          "say-weighted mean over the other side's people"),
    "trust_reliability": ("psychological", "the other side's trust in our reliability",
                          "say-weighted mean over the other side's people"),
    "frame_fit": ("psychological", "how far their recognised problems map to our offer",
                  "say-weighted mean over the other side's people"),
    "reciprocity": ("psychological", "reciprocity owed to us from the offers history",
                    "0.5 + 0.5 · (conceded_self − conceded_other) / (conceded_self + conceded_other)"),
    "commitment": ("psychological", "what the other side has committed to in its offers",
                   "own utility of the other side's latest offer (0..1)"),
    "access": ("systemic", "access to the other side's decision-makers and allies",
               "say-weighted share of the other side's people reached: 1 direct tie, 0.5 via one"),
    "coalition_strength": ("systemic", "strength of allies outside the deal",
                           "parties.coalition_strength"),
    "external": ("systemic", "how far the wider system favours the party", "parties.external"),
}

#: Default weights: inputs within their source, then the three sources (METHOD.md §1: positional
#: power is real but less decisive than people assume; systemic power often outweighs the rest).
DEFAULT_WEIGHTS: dict[str, float] = {
    "batna": 0.30, "alternatives": 0.15, "resources": 0.15, "time": 0.20,
    "legal_position": 0.10, "status": 0.10,
    "trust_competence": 0.15, "trust_benevolence": 0.15, "trust_reliability": 0.15,
    "frame_fit": 0.25, "reciprocity": 0.15, "commitment": 0.15,
    "access": 0.40, "coalition_strength": 0.35, "external": 0.25,
    "positional": 0.25, "psychological": 0.35, "systemic": 0.40,
}

#: Weights of the per-stakeholder profile (positional and systemic inputs that exist per person;
#: the psychological ones reuse the party weights of the trust dimensions and frame fit).
STAKEHOLDER_WEIGHTS: dict[str, float] = {
    "sign_off": 0.40, "budget": 0.30, "votes": 0.30, "listened_to": 0.60, "access_to": 0.40,
}

#: trust_basis → (what builds trust for that person, the next step that does it)
TRUST_BUILDERS = {
    "track_record": ("a track record", "show references, results from comparable clients, a pilot "
                     "they can check"),
    "feeling_understood": ("feeling understood", "listen first; summarise their concerns back in "
                           "their words before proposing"),
    "constraint_awareness": ("seeing that we grasp their constraints", "name their budget, "
                             "timing and political constraints and shape the offer around them"),
}

#: The stakeholder columns that record the other side's trust in (and frame fit with) the deal's
#: "us" only: measured for us, a neutral baseline for the counterpart.
MEASURED_FOR_US_ONLY = ("trust_competence", "trust_benevolence", "trust_reliability",
                        "frame_fit")


def resolve_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """The default weights updated by ``weights``, normalised within each group.

    Input weights are normalised to sum to 1 within their source; the three source weights to
    sum to 1 over the sources; stakeholder weights within their groups (sign_off/budget/votes
    and listened_to/access_to).

    Parameters
    ----------
    weights : mapping, optional
        Any of the keys of :data:`DEFAULT_WEIGHTS` or :data:`STAKEHOLDER_WEIGHTS`; values ≥ 0.

    Returns
    -------
    dict
        Every key, normalised.

    Raises
    ------
    powerkit.errors.InputError
        (a ValueError) An unknown key, a negative or non-finite weight, or a group whose
        weights are all 0.

    Examples
    --------
    >>> w = resolve_weights({"positional": 1, "psychological": 1, "systemic": 2})
    >>> w["systemic"], w["batna"]
    (0.5, 0.3)
    """
    raw = {**DEFAULT_WEIGHTS, **STAKEHOLDER_WEIGHTS}
    for k, v in (weights or {}).items():
        if k not in raw:
            raise bad_argument("weights", "power_profile", f"have keys among {sorted(raw)}", k)
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating) \
                or not math.isfinite(float(v)) or v < 0:
            raise bad_argument("weights", "power_profile",
                               f"map {k!r} to a finite number >= 0", v)
        raw[k] = float(v)
    groups = [list(SOURCES)] + [[i for i, (s, _, _) in INPUTS.items() if s == src]
                                for src in SOURCES]
    groups += [["sign_off", "budget", "votes"], ["listened_to", "access_to"]]
    out = {}
    for g in groups:
        tot = sum(raw[k] for k in g)
        if tot <= 0:
            raise InputError(f"The 'weights' parameter of power_profile must leave a positive "
                             f"weight in the group {g}. Got all zeros instead.")
        out.update({k: raw[k] / tot for k in g})
    return out
