"""Walkthrough 1, reading power dynamics: the three sources of power — positional,
psychological, systemic — scored with provenance, the balance between us and the counterpart,
how it shifts over time, and the posture that follows (formulas: docs/methods/power.md).

Submodules, by the method's vocabulary:

* :mod:`~powerkit.power.sources` — the inputs, what each measures, the default weights;
* :mod:`~powerkit.power.ledger` — offers valued by each side, the concession ledger, reciprocity;
* :mod:`~powerkit.power.stakeholders` — each person's formal and informal power, the deal at a
  glance;
* :mod:`~powerkit.power.balance` — the profile, the balance and its drivers, the tornado;
* :mod:`~powerkit.power.events`, :mod:`~powerkit.power.timeline` — the deal at a date, the
  balance over time;
* :mod:`~powerkit.power.posture` — the rule table of recommendations;
* :mod:`~powerkit.power.trust` — the trust profile;
* :mod:`~powerkit.power.what_if` — the widgets' callback and its one result type;
* :mod:`~powerkit.power.perspective` — the deal seen from another party.

Analysis only: frames and dataclasses in and out. The figures are in :mod:`powerkit.plots.power`,
the report's words in :mod:`powerkit.sections.power`, the controls in
:mod:`powerkit.widgets.power`.
"""
from __future__ import annotations

from .balance import PowerProfile, power_profile, provenance_table, tornado
from .events import apply_events, cast_value
from .ledger import (
                     concession_ledger,
                     issue_utilities,
                     ledger_from_utilities,
                     offer_utilities,
                     reciprocity,
)
from .perspective import as_party
from .posture import posture
from .sources import (
                     DEFAULT_WEIGHTS,
                     INPUTS,
                     MEASURED_FOR_US_ONLY,
                     SOURCES,
                     STAKEHOLDER_WEIGHTS,
                     TRUST_BUILDERS,
                     resolve_weights,
)
from .stakeholders import (
                     Glance,
                     Network,
                     at_a_glance,
                     formal_authority,
                     key_stakeholders,
                     stakeholder_power,
                     stakeholder_provenance,
)
from .timeline import balance_timeline
from .trust import trust_profile
from .what_if import WhatIf, what_if

__all__ = [
    "SOURCES",
    "INPUTS",
    "DEFAULT_WEIGHTS",
    "STAKEHOLDER_WEIGHTS",
    "TRUST_BUILDERS",
    "MEASURED_FOR_US_ONLY",
    "PowerProfile",
    "WhatIf",
    "Glance",
    "Network",
    "resolve_weights",
    "issue_utilities",
    "offer_utilities",
    "concession_ledger",
    "ledger_from_utilities",
    "reciprocity",
    "stakeholder_power",
    "key_stakeholders",
    "stakeholder_provenance",
    "formal_authority",
    "at_a_glance",
    "power_profile",
    "tornado",
    "cast_value",
    "apply_events",
    "balance_timeline",
    "what_if",
    "posture",
    "trust_profile",
    "as_party",
    "provenance_table",
]
