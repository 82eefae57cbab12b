"""Hidden constraints and motivations: competing hypotheses weighed by evidence, and the next
best question to ask.

People carry constraints they cannot or will not discuss (budget pressure, political exposure,
career risk, a deadline they keep quiet about, a promise already made to a competitor). This
package turns the deal's ``hypotheses``, ``evidence`` and ``questions`` tables into

* posteriors (:mod:`.bayes`): Bayes' rule with evidence items treated as conditionally
  independent given the hypothesis (naive Bayes), in log space so hundreds of items stay exact;
* an ACH matrix (Heuer 1999, ch. 8) of weights of evidence in bits (:mod:`.evidence`), with each
  item's diagnosticity and the single items whose removal would flip a conclusion;
* a ranking of the question bank by expected information gain (bits), with what each answer
  would do to the posteriors, and :func:`answer_question` to record an answer (:mod:`.questions`);
* the implications of the likely constraints (:mod:`.plan`) for the power picture, as
  adjustments to the named positional inputs of :mod:`powerkit.power` (``time``, ``resources``,
  ``batna``) that :func:`powerkit.power.power_profile` accepts as ``inputs=``, plus the levers
  and the approach, from the catalogue of constraint kinds (:mod:`.kinds`).

:func:`what_if` (:mod:`.analysis`), the walkthrough's callback, returns one
:class:`ConstraintAnalysis`, which the notebook, the widgets and the report section read.

Two kinds of hypotheses live side by side (docs/deal-format.md, column ``group``):

* **mutually exclusive groups** — hypotheses sharing a ``group`` are exclusive and exhaustive:
  their posteriors sum to 1 and an evidence item moves them against each other;
* **independent hypotheses** — a blank ``group``: each hypothesis H is weighed against not-H in
  odds form, ``posterior odds = prior odds × Π LR_i ** c_i``.

Credibility ``c`` in [0, 1] weights an item's likelihood ratio as ``LR ** c`` (its weight of
evidence, in bits, is multiplied by ``c``): ``c = 1`` is the full evidence, ``c = 0`` makes the
item neutral. See docs/methods/constraints.md for every formula and its reference.
"""
from __future__ import annotations

from .analysis import ConstraintAnalysis, analyse, what_if
from .bayes import (
    EPS,
    RATING_LR,
    RATING_MEANING,
    entropy_bits,
    posterior,
    posterior_independent,
    rating_table,
)
from .evidence import evidence_weights
from .kinds import CATALOGUE, POSITIONAL_INPUTS, ConstraintKind, catalogue
from .plan import (
    PowerShift,
    approach,
    constraint_plan,
    holder_name,
    power_adjustments,
    power_deltas,
    power_shift,
)
from .questions import answer_question, information_gain, question_gains

__all__ = [
    "CATALOGUE", "ConstraintKind", "RATING_LR", "RATING_MEANING", "POSITIONAL_INPUTS", "EPS",
    "catalogue", "rating_table",
    "posterior", "posterior_independent", "information_gain", "question_gains",
    "entropy_bits",
    "ConstraintAnalysis", "analyse", "what_if", "evidence_weights", "answer_question",
    "power_adjustments", "power_deltas", "PowerShift", "power_shift", "approach",
    "constraint_plan", "holder_name",
]
