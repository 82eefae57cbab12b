"""Hidden constraints and motivations: competing hypotheses weighed by evidence, and the next
best question to ask.

People carry constraints they cannot or will not discuss (budget pressure, political exposure,
career risk, a deadline they keep quiet about, a promise already made to a competitor). This
module turns the deal's ``hypotheses``, ``evidence`` and ``questions`` tables into

* posteriors: Bayes' rule with evidence items treated as conditionally independent given the
  hypothesis (naive Bayes), in log space so hundreds of items stay exact;
* an ACH matrix (Heuer 1999, ch. 8) of weights of evidence in bits, with each item's
  diagnosticity and the single items whose removal would flip a conclusion;
* a ranking of the question bank by expected information gain (bits), with what each answer
  would do to the posteriors, and :func:`answer_question` to record an answer;
* the implications of the likely constraints for the power picture, as adjustments to the
  named positional inputs of :mod:`powerkit.power` (``time``, ``resources``, ``batna``) that
  :func:`powerkit.power.power_profile` accepts as ``inputs=``, plus the levers.

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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import PowerkitError

__all__ = [
    "CATALOGUE", "ConstraintKind", "RATING_LR", "RATING_MEANING", "POSITIONAL_INPUTS", "EPS",
    "catalogue", "rating_table",
    "posterior", "posterior_independent", "information_gain", "question_gains",
    "entropy_bits",
    "ConstraintAnalysis", "analyse", "what_if", "evidence_weights", "answer_question",
    "power_adjustments", "power_deltas", "PowerShift", "power_shift", "approach",
    "report_section",
]

# --------------------------------------------------------------------------------------------
# Catalogue of constraint kinds
# --------------------------------------------------------------------------------------------

#: The positional inputs of :mod:`powerkit.power` that a hidden constraint changes, all on the
#: power module's 0..1 scale where higher means more power for the party that holds them.
POSITIONAL_INPUTS = {
    "batna": "strength of the holder's best alternative (power.INPUTS['batna'])",
    "resources": "resources the holder can actually commit (power.INPUTS['resources'])",
    "time": "patience, the inverse of time pressure (power.INPUTS['time']): a hard deadline "
            "lowers it",
}


@dataclass(frozen=True)
class ConstraintKind:
    """One kind of hidden constraint: what it is, how it shows, what answers it.

    ``power_effects`` maps a positional input of :data:`POSITIONAL_INPUTS` to the change of the
    holder's value (power module scale 0..1, higher = more power) if the constraint holds;
    ``approach`` is the adjustment of our approach.
    """

    kind: str
    label: str
    what: str
    signals: tuple[str, ...]
    levers: tuple[str, ...]
    power_effects: Mapping[str, float]
    power_note: str
    approach: str


CATALOGUE: dict[str, ConstraintKind] = {k.kind: k for k in (
    ConstraintKind(
        "budget_pressure", "Budget pressure",
        "The money they can spend is tighter than their posture suggests: a frozen budget, a "
        "savings target, a ceiling set above their head.",
        ("keeps returning to payment terms or phasing", "concedes on scope but not on price",
         "mentions finance, the fiscal year or a freeze", "wants to sign after the next budget cycle"),
        ("phased payment or instalments", "a pilot or a smaller first scope",
         "move cost to another budget line (operating vs capital)",
         "a total-cost case they can take to finance"),
        {"resources": -0.2},
        "They can commit less than they show: their resources count for less.",
        "Stop pushing on price; shape the deal so it fits the budget they really have."),
    ConstraintKind(
        "political_exposure", "Political exposure",
        "The decision is visible and they will be judged on it; a choice that can be attacked "
        "internally is costly to them.",
        ("insists on a formal process or tender that is not required",
         "asks for well-known references", "worries how it looks to the board or works council",
         "draws more people into the decision than it needs"),
        ("give them a defensible story: references, benchmarks, an independent review",
         "share the credit publicly", "reduce visible risk: guarantees, exit clauses",
         "let them announce the result"),
        {},
        "Their positional power is unchanged; what changes is what they need to be able to say.",
        "Make the choice easy to defend; never corner them in front of their own people."),
    ConstraintKind(
        "personal_relationship", "Personal relationship",
        "A loyalty to a person (the incumbent, a colleague, a friend at a competitor) shapes "
        "their view beyond the merits of the offer.",
        ("names one person often", "the incumbent hears things early",
         "objections echo a competitor's arguments", "avoids meetings without a certain person"),
        ("do not attack the relationship", "involve the person or work through them",
         "build your own relationship through someone they trust",
         "make a change feel like no betrayal (a role for the incumbent, a transition)"),
        {"batna": 0.1},
        "The alternative the relationship stands for is worth more to them than it looks.",
        "Work with the relationship, not against it; map it in the influence network."),
    ConstraintKind(
        "career_risk", "Career risk",
        "Their job, promotion or reputation hangs on the outcome; they fear blame if it goes "
        "wrong, or need a visible success.",
        ("asks in detail about failures and who is liable", "wants guarantees and escape clauses",
         "new in the role or under review", "asks for things that protect them personally"),
        ("lower their personal risk: pilot, guarantees, success criteria they control",
         "make them the visible owner of a success", "share the decision with their sponsors"),
        {"batna": -0.1},
        "No agreement costs them personally: walking away is worth less to them than it looks.",
        "Sell safety before upside; give them a decision they can own."),
    ConstraintKind(
        "hard_deadline", "Hard deadline",
        "They must have an agreement by a date they may not reveal: a go-live, a regulation, "
        "the end of the fiscal year, an expiring contract.",
        ("asks about lead times and start dates", "sudden speed after slow phases",
         "the incumbent's contract is about to expire", "mentions an audit, launch or regulation date"),
        ("time key proposals before the deadline bites", "offer speed as value: fast start, "
         "interim solution", "make meeting their date easy rather than exploiting it openly"),
        {"time": -0.3},
        "Someone who cannot wait has less leverage than someone who can.",
        "Use the timing quietly; help them meet the date and trade speed for value."),
    ConstraintKind(
        "limited_authority", "Limited authority",
        "The person facing us cannot decide alone: a mandate limit, a committee, a boss or "
        "procurement rules bind them.",
        ("'I need to check with ...'", "agreements are reopened later",
         "defers on numbers above a threshold", "cannot commit to dates"),
        ("find out who really decides and what they need",
         "equip your counterpart to sell the deal internally (a one-page case)",
         "structure offers inside their mandate", "ask to meet the decider"),
        {},
        "Positional power unchanged (a tied hand can even make their limits credible); the "
        "systemic picture changes: the real decider sits elsewhere.",
        "Engage the real decision-maker; help your counterpart carry the case."),
    ConstraintKind(
        "competing_priority", "Competing priority",
        "Other projects compete for their attention, budget or people; our deal is not first on "
        "their list.",
        ("slow replies and moved meetings", "delegates to juniors",
         "talks about a reorganisation or another large project", "no date for the next step"),
        ("tie our deal to their top priority", "reduce their effort: we do the work, turnkey",
         "a small first commitment", "push after the other priority has peaked"),
        {"time": 0.1, "resources": -0.1},
        "They can wait (less time pressure) but have less to commit (fewer resources).",
        "Lower the effort it costs them and connect to what they care about now."),
    ConstraintKind(
        "prior_commitment", "Prior commitment to a competitor",
        "They lean towards, or have promised, another party already; our offer may only be a "
        "benchmark.",
        ("the specification matches a competitor's product", "questions are only about price",
         "little interest in our ideas", "the competitor is seen with the decider"),
        ("check that the decision is still open before investing more",
         "reframe the criteria towards our strengths", "find the people not committed (e.g. users)",
         "offer a low-risk comparison: a side-by-side pilot"),
        {"batna": 0.2},
        "Their alternative is stronger than it looks: our position is weaker than we think.",
        "Test whether the deal is open; win the criteria and the uncommitted people first."),
)}


def catalogue() -> pd.DataFrame:
    """The catalogue of constraint kinds as a table (one row per kind).

    Returns
    -------
    DataFrame
        Indexed by ``kind`` with columns label, what, signals, levers, power_effects, approach.

    Examples
    --------
    >>> cat = catalogue()
    >>> len(cat), cat.loc["hard_deadline", "power_effects"]
    (8, 'time -0.30')
    """
    rows = []
    for k in CATALOGUE.values():
        eff = ", ".join(f"{i} {d:+.2f}" for i, d in k.power_effects.items()) or "none"
        rows.append({"kind": k.kind, "label": k.label, "what": k.what,
                     "signals": "; ".join(k.signals), "levers": "; ".join(k.levers),
                     "power_effects": eff, "power_note": k.power_note, "approach": k.approach})
    return pd.DataFrame(rows).set_index("kind")


# --------------------------------------------------------------------------------------------
# ACH ratings → likelihood ratios
# --------------------------------------------------------------------------------------------

#: Likelihood ratio of each ACH rating against a neutral item (weights of evidence +2, +1, 0,
#: −2, −4 bits). Inconsistency weighs twice consistency and II twice I, after Heuer (1999,
#: ch. 8) and the PARC ACH scoring (Heuer & Pherson); see docs/methods/constraints.md.
RATING_LR = {"CC": 4.0, "C": 2.0, "N": 1.0, "I": 0.25, "II": 0.0625}
RATING_MEANING = {"CC": "very consistent", "C": "consistent", "N": "neutral",
                  "I": "inconsistent", "II": "very inconsistent"}

#: Cromwell's rule for probabilities read from a deal: no observation is treated as impossible.
EPS = 1e-6


def rating_table(rating_lr: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The ACH rating scale with its likelihood ratios and weights of evidence (bits).

    Examples
    --------
    >>> rating_table()["bits"].tolist()
    [2.0, 1.0, 0.0, -2.0, -4.0]
    """
    lr = _rating_lr(rating_lr, "rating_table")
    return pd.DataFrame({"meaning": RATING_MEANING, "likelihood_ratio": lr,
                         "bits": {k: float(np.log2(v)) for k, v in lr.items()}}).rename_axis("rating")


def _rating_lr(rating_lr, caller):
    lr = dict(RATING_LR)
    if rating_lr is not None:
        if not isinstance(rating_lr, Mapping) or not set(rating_lr) <= set(RATING_LR):
            raise ValueError(f"The 'rating_lr' parameter of {caller} must be a mapping from the "
                             f"ratings {', '.join(RATING_LR)} to positive numbers. "
                             f"Got {rating_lr!r} instead.")
        for k, v in rating_lr.items():
            if not (isinstance(v, int | float) and np.isfinite(v) and v > 0):
                raise ValueError(f"The 'rating_lr' parameter of {caller} must map each rating "
                                 f"to a positive number. Got {k!r}: {v!r} instead.")
            lr[k] = float(v)
    return lr


# --------------------------------------------------------------------------------------------
# Pure functions: Bayes in log space, entropy, information gain
# --------------------------------------------------------------------------------------------

def _as_series(x, name, caller):
    if isinstance(x, pd.Series):
        s = x
    elif isinstance(x, Mapping):
        s = pd.Series(dict(x), dtype=float)
    else:
        raise ValueError(f"The {name!r} parameter of {caller} must be a pandas Series indexed "
                         f"by hypothesis. Got {type(x).__name__} instead.")
    try:
        s = s.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"The {name!r} parameter of {caller} must hold numbers. "
                         f"Got {s.tolist()!r} instead.") from None
    if len(s) == 0 or not s.index.is_unique:
        raise ValueError(f"The {name!r} parameter of {caller} must be a non-empty Series with "
                         f"unique hypothesis labels. Got {list(s.index)!r} instead.")
    return s


def _check_unit(a: np.ndarray, name, caller, what="probabilities in [0, 1]"):
    bad = ~((a >= 0) & (a <= 1))
    if bad.any():
        raise ValueError(f"The {name!r} parameter of {caller} must hold {what}. "
                         f"Got {a[bad][:5].tolist()!r} instead.")


def _prior(prior, caller) -> pd.Series:
    p = _as_series(prior, "prior", caller)
    _check_unit(p.to_numpy(), "prior", caller)
    if abs(p.sum() - 1.0) > 1e-6:
        raise ValueError(f"The 'prior' parameter of {caller} must sum to 1 (the hypotheses are "
                         f"mutually exclusive and exhaustive). Got a sum of {p.sum():.6g} instead.")
    return p


def posterior(prior, likelihood) -> pd.Series:
    """Posterior of mutually exclusive, exhaustive hypotheses after conditionally independent
    evidence (Bayes' rule, in log space).

    Parameters
    ----------
    prior : Series
        P(H) indexed by hypothesis; values in [0, 1] summing to 1.
    likelihood : DataFrame
        One row per evidence item, one column per hypothesis (the labels of ``prior``), holding
        P(e | H) in [0, 1]. Rows are treated as conditionally independent given the hypothesis.

    Returns
    -------
    Series
        P(H | all evidence), indexed like ``prior``, named ``"posterior"``; sums to 1.

    Raises
    ------
    ValueError
        Probabilities outside [0, 1], priors not summing to 1, columns that are not the
        hypotheses of ``prior``, or evidence impossible under every hypothesis with a prior > 0.

    Examples
    --------
    Gigerenzer & Hoffrage's (1995) mammography problem: base rate 1 %, a positive test with
    probability 80 % with cancer and 9.6 % without; the posterior is 7.8 %.

    >>> prior = pd.Series({"cancer": 0.01, "healthy": 0.99})
    >>> lik = pd.DataFrame({"cancer": [0.8], "healthy": [0.096]}, index=["positive"])
    >>> round(float(posterior(prior, lik)["cancer"]), 4)
    0.0776

    References
    ----------
    Bayes, T. (1763). An essay towards solving a problem in the doctrine of chances.
    Philosophical Transactions of the Royal Society 53, 370–418.
    Gigerenzer, G. & Hoffrage, U. (1995). How to improve Bayesian reasoning without instruction:
    frequency formats. Psychological Review 102(4), 684–704.
    """
    caller = "posterior"
    p = _prior(prior, caller)
    if isinstance(likelihood, pd.Series):
        likelihood = likelihood.to_frame().T
    if not isinstance(likelihood, pd.DataFrame):
        raise ValueError(f"The 'likelihood' parameter of {caller} must be a DataFrame with one "
                         f"row per evidence item and one column per hypothesis. "
                         f"Got {type(likelihood).__name__} instead.")
    cols = set(likelihood.columns)
    if cols != set(p.index):
        raise ValueError(f"The 'likelihood' parameter of {caller} must have one column per "
                         f"hypothesis of the prior ({', '.join(map(str, p.index))}). "
                         f"Got columns {list(likelihood.columns)!r} instead.")
    lik = likelihood[list(p.index)].to_numpy(dtype=float)
    _check_unit(lik.ravel(), "likelihood", caller)
    with np.errstate(divide="ignore"):
        score = np.log(p.to_numpy()) + np.log(lik).sum(axis=0)
    if not np.isfinite(score).any():
        raise ValueError(f"The 'likelihood' parameter of {caller} must leave at least one "
                         f"hypothesis with a prior > 0 possible. Got evidence that is impossible "
                         f"(P(e | H) = 0) under every such hypothesis instead.")
    w = np.exp(score - score[np.isfinite(score)].max())
    return pd.Series(w / w.sum(), index=p.index, name="posterior")


def posterior_independent(prior, likelihood_ratio, credibility=None) -> pd.Series:
    """Posterior of independent hypotheses (each H against not-H) in odds form.

    ``posterior odds = prior odds × Π_i LR_i ** c_i``, with ``LR_i = P(e_i | H) / P(e_i | not H)``.

    Parameters
    ----------
    prior : Series
        P(H) of each hypothesis, in [0, 1] (need not sum to 1).
    likelihood_ratio : DataFrame
        One row per evidence item, one column per hypothesis: LR > 0, or NaN where the item does
        not bear on the hypothesis (neutral).
    credibility : Series or None
        Weight c in [0, 1] of each evidence item (indexed like the rows); None means 1.

    Returns
    -------
    Series
        P(H | evidence) per hypothesis, named ``"posterior"``.

    Examples
    --------
    >>> prior = pd.Series({"h": 0.5})
    >>> lr = pd.DataFrame({"h": [4.0]}, index=["e1"])
    >>> float(posterior_independent(prior, lr)["h"])
    0.8
    >>> float(posterior_independent(prior, lr, pd.Series({"e1": 0.5}))["h"])  # 4 ** 0.5 = 2
    0.6666666666666666
    """
    caller = "posterior_independent"
    p = _as_series(prior, "prior", caller)
    _check_unit(p.to_numpy(), "prior", caller)
    if not isinstance(likelihood_ratio, pd.DataFrame) or not set(likelihood_ratio.columns) <= set(p.index):
        raise ValueError(f"The 'likelihood_ratio' parameter of {caller} must be a DataFrame whose "
                         f"columns are hypotheses of the prior. Got {likelihood_ratio!r} instead.")
    lr = likelihood_ratio.reindex(columns=p.index).to_numpy(dtype=float)
    finite = lr[~np.isnan(lr)]
    if (finite <= 0).any() or not np.isfinite(finite).all():
        raise ValueError(f"The 'likelihood_ratio' parameter of {caller} must hold positive, "
                         f"finite ratios (NaN for no bearing). Got {finite[(finite <= 0) | ~np.isfinite(finite)][:5].tolist()!r} instead.")
    c = np.ones(len(likelihood_ratio))
    if credibility is not None:
        cs = _as_series(credibility, "credibility", caller).reindex(likelihood_ratio.index)
        c = cs.to_numpy()
        if np.isnan(c).any():
            raise ValueError(f"The 'credibility' parameter of {caller} must give a weight for "
                             f"every evidence item ({list(likelihood_ratio.index)!r}). "
                             f"Got {credibility.to_dict()!r} instead.")
        _check_unit(c, "credibility", caller, "weights in [0, 1]")
    w = np.nan_to_num(np.log2(lr), nan=0.0) * c[:, None]
    with np.errstate(divide="ignore"):
        x = np.log2(p.to_numpy()) - np.log2(1 - p.to_numpy()) + w.sum(axis=0)
    return pd.Series(_sigmoid2(x), index=p.index, name="posterior")


def _sigmoid2(x):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp2(-x))


def _h2(p):
    """Binary entropy in bits, elementwise (0 log 0 = 0)."""
    p = np.clip(p, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    return np.nan_to_num(h, nan=0.0)


def entropy_bits(p) -> float:
    """Shannon entropy, in bits, of a discrete distribution (0 log 0 = 0).

    Examples
    --------
    >>> entropy_bits([0.25, 0.25, 0.25, 0.25])
    2.0
    """
    a = np.asarray(p, dtype=float)
    nz = a[a > 0]
    return float(-(nz * np.log2(nz)).sum()) + 0.0


def information_gain(prior, p_yes) -> float:
    """Expected reduction in the Shannon entropy (bits) of mutually exclusive hypotheses from
    asking a yes/no question.

    ``IG = H(prior) − Σ_a P(a) H(prior | a) = h(Σ_H π_H p_H) − Σ_H π_H h(p_H)``, the mutual
    information between the hypothesis and the answer (``h`` the binary entropy). It is never
    negative, and zero when ``p_yes`` is the same under every hypothesis.

    Parameters
    ----------
    prior : Series
        Current P(H), indexed by hypothesis, summing to 1.
    p_yes : Series
        P(answer "yes" | H) for every hypothesis of ``prior``, in [0, 1].

    Returns
    -------
    float
        Expected information gain in bits (≥ 0; at most log2 of 2 = 1 bit for a yes/no question).

    Examples
    --------
    A question that splits four equally likely hypotheses in halves gains one bit; one that
    singles out one of them gains h(1/4) ≈ 0.811 bits.

    >>> prior = pd.Series(0.25, index=["a", "b", "c", "d"])
    >>> information_gain(prior, pd.Series({"a": 1, "b": 1, "c": 0, "d": 0}))
    1.0
    >>> round(information_gain(prior, pd.Series({"a": 1, "b": 0, "c": 0, "d": 0})), 4)
    0.8113

    References
    ----------
    Shannon, C. E. (1948). A mathematical theory of communication. Bell System Technical
    Journal 27, 379–423. Lindley, D. V. (1956). On a measure of the information provided by an
    experiment. Annals of Mathematical Statistics 27(4), 986–1005.
    """
    caller = "information_gain"
    p = _prior(prior, caller)
    q = _as_series(p_yes, "p_yes", caller)
    if set(q.index) != set(p.index):
        raise ValueError(f"The 'p_yes' parameter of {caller} must give P(yes | H) for every "
                         f"hypothesis of the prior ({', '.join(map(str, p.index))}). "
                         f"Got {list(q.index)!r} instead.")
    q = q.reindex(p.index).to_numpy()
    _check_unit(q, "p_yes", caller)
    return float(_gain_matrix(p.to_numpy(), q[None, :])[0])


def _gain_matrix(pi: np.ndarray, P: np.ndarray) -> np.ndarray:
    """IG of each row of P (questions × hypotheses, P(yes | H)) under distribution pi."""
    gain = _h2(P @ pi) - _h2(P) @ pi
    gain = np.where(np.ptp(P, axis=1) == 0, 0.0, gain)
    return np.maximum(gain, 0.0)


def question_gains(prior, p_yes) -> pd.Series:
    """Expected information gain (bits) of many yes/no questions at once (vectorised).

    Parameters
    ----------
    prior : Series
        Current P(H) of mutually exclusive, exhaustive hypotheses.
    p_yes : DataFrame
        One row per question, one column per hypothesis: P(yes | H).

    Returns
    -------
    Series
        Gain of each question in bits, sorted from the best question down.

    Examples
    --------
    >>> prior = pd.Series(0.25, index=list("abcd"))
    >>> P = pd.DataFrame([[1, 1, 0, 0], [1, 0, 0, 0], [.5, .5, .5, .5]],
    ...                  index=["half", "one", "coin"], columns=list("abcd"))
    >>> question_gains(prior, P).round(4).to_dict()
    {'half': 1.0, 'one': 0.8113, 'coin': 0.0}
    """
    caller = "question_gains"
    p = _prior(prior, caller)
    if not isinstance(p_yes, pd.DataFrame) or set(p_yes.columns) != set(p.index):
        raise ValueError(f"The 'p_yes' parameter of {caller} must be a DataFrame with one column "
                         f"per hypothesis of the prior. Got {p_yes!r} instead.")
    P = p_yes[list(p.index)].to_numpy(dtype=float)
    _check_unit(P.ravel(), "p_yes", caller)
    g = pd.Series(_gain_matrix(p.to_numpy(), P), index=p_yes.index, name="expected_gain_bits")
    return g.sort_values(ascending=False, kind="stable")


# --------------------------------------------------------------------------------------------
# Deal level: compile the evidence into weights of evidence (bits)
# --------------------------------------------------------------------------------------------

def _ratings_map(ratings, caller) -> dict:
    """{(evidence, hypothesis): rating} from a nested or flat mapping."""
    out = {}
    if not ratings:
        return out
    if not isinstance(ratings, Mapping):
        raise ValueError(f"The 'ratings' parameter of {caller} must be a mapping "
                         f"{{evidence: {{hypothesis: rating}}}}. Got {ratings!r} instead.")
    for k, v in ratings.items():
        if isinstance(v, Mapping):
            for h, r in v.items():
                out[(str(k), str(h))] = r
        elif isinstance(k, tuple) and len(k) == 2:
            out[(str(k[0]), str(k[1]))] = v
        else:
            raise ValueError(f"The 'ratings' parameter of {caller} must be a mapping "
                             f"{{evidence: {{hypothesis: rating}}}}. Got {ratings!r} instead.")
    bad = {k: r for k, r in out.items() if r not in RATING_LR}
    if bad:
        raise ValueError(f"The 'ratings' parameter of {caller} must use the ratings "
                         f"{', '.join(RATING_LR)}. Got {bad!r} instead.")
    return out


def _strs(values) -> np.ndarray:
    """Ids as a numpy object array of str (fast to iterate, unlike Arrow-backed strings)."""
    arr = np.asarray(values.to_numpy(dtype=object) if hasattr(values, "to_numpy") else values,
                     dtype=object)
    return np.array([x if isinstance(x, str) else str(x) for x in arr], dtype=object)


def _objs(arr) -> pd.Series:
    """An object-dtype Series (the loader's dtype for text; avoids string inference)."""
    return pd.Series(np.asarray(arr, dtype=object), dtype=object)


def evidence_weights(deal, *, off: Iterable[str] = (), ratings=None, credibility=None,
                     rating_lr=None) -> pd.DataFrame:
    """The deal's evidence rows with their likelihood ratio, credibility and weight (bits).

    Each row of ``evidence`` rates one hypothesis. Its weight of evidence, in bits, is
    ``w = c · log2 LR``, where

    * a rating row has ``LR = RATING_LR[rating]`` (against a neutral item);
    * a probability row of an independent hypothesis has ``LR = p_if_true / p_if_false``;
    * a probability row of a grouped hypothesis has ``LR = p_if_true / p̄``, with ``p̄`` the mean
      ``p_if_false`` of the item's probability rows in that group: the likelihood under the
      group's members the item does not rate (which get ``w = 0``).

    Probabilities are kept away from 0 by :data:`EPS` (Cromwell's rule).

    Parameters
    ----------
    deal : Deal
        A validated deal with ``hypotheses`` and ``evidence`` tables.
    off : iterable of str
        Evidence ids switched off (rows kept, ``active`` False, weight 0).
    ratings : mapping or None
        Rating overrides ``{evidence: {hypothesis: rating}}``; a rating replaces a probability pair.
    credibility : mapping or None
        Credibility overrides in [0, 1], keyed by evidence id or by source (id wins).
    rating_lr : mapping or None
        Overrides of :data:`RATING_LR`.

    Returns
    -------
    DataFrame
        One row per (evidence, hypothesis): description, source, rating, p_if_true, p_if_false,
        credibility, likelihood_ratio, weight_bits, active.
    """
    caller = "evidence_weights"
    lrmap = _rating_lr(rating_lr, caller)
    hyp = deal.table("hypotheses", analysis="the hidden-constraints analysis")
    cols = ["evidence", "hypothesis", "description", "date", "source", "credibility", "rating",
            "p_if_true", "p_if_false"]
    src = deal.evidence if deal.has("evidence") else pd.DataFrame(columns=cols)
    n = len(src)
    e_id = _strs(src["evidence"])
    h_id = _strs(src["hypothesis"])
    rating = src["rating"].to_numpy(dtype=object, copy=True)
    rating[pd.isna(rating)] = None
    pt = pd.to_numeric(src["p_if_true"], errors="coerce").to_numpy(dtype=float, copy=True)
    pf = pd.to_numeric(src["p_if_false"], errors="coerce").to_numpy(dtype=float, copy=True)
    cred = pd.to_numeric(src["credibility"], errors="coerce").to_numpy(dtype=float, copy=True)
    cred = np.where(np.isnan(cred), 1.0, cred)
    source = src["source"].to_numpy(dtype=object)
    desc = src["description"].to_numpy(dtype=object)
    dates = src["date"].to_numpy()
    off = {str(x) for x in (off or ())}
    known_e = set(e_id)
    unknown_off = off - known_e
    if unknown_off:
        raise ValueError(f"The 'off' parameter of {caller} must list evidence ids of the deal "
                         f"({', '.join(dict.fromkeys(e_id))}). "
                         f"Got {sorted(unknown_off)!r} instead.")
    rmap = _ratings_map(ratings, caller)
    if rmap:
        row_of = {k: i for i, k in enumerate(zip(e_id, h_id, strict=True))}
        extra = []
        for e, h in rmap:
            if (e, h) in row_of:
                continue
            if e not in known_e or h not in set(hyp.index):
                raise ValueError(f"The 'ratings' parameter of {caller} must name evidence ids and "
                                 f"hypothesis ids of the deal. Got {(e, h)!r} instead.")
            extra.append((e, h, int(np.flatnonzero(e_id == e)[0])))
        if extra:  # a rating for a cell the file leaves blank: copy the item's first row
            take = np.array([i for _, _, i in extra])
            e_id = np.concatenate([e_id, np.array([e for e, _, _ in extra], dtype=object)])
            h_id = np.concatenate([h_id, np.array([h for _, h, _ in extra], dtype=object)])
            rating, pt, pf = (np.concatenate([a, a[take]]) for a in (rating, pt, pf))
            cred, source, desc, dates = (np.concatenate([a, a[take]])
                                         for a in (cred, source, desc, dates))
            n = len(e_id)
            row_of = {k: i for i, k in enumerate(zip(e_id, h_id, strict=True))}
        for k, r in rmap.items():
            i = row_of[k]
            rating[i], pt[i], pf[i] = r, np.nan, np.nan
    if credibility:
        if not isinstance(credibility, Mapping):
            raise ValueError(f"The 'credibility' parameter of {caller} must be a mapping from "
                             f"evidence ids or sources to weights in [0, 1]. "
                             f"Got {credibility!r} instead.")
        try:
            vals = np.array([float(v) for v in credibility.values()])
        except (TypeError, ValueError):
            vals = np.array([np.nan])
        _check_unit(vals, "credibility", caller, "weights in [0, 1]")
        cred = np.array([float(credibility[e]) if e in credibility else
                         float(credibility[s]) if (s is not None and s in credibility) else c
                         for e, s, c in zip(e_id, source, cred, strict=True)])
    active = np.array([e not in off for e in e_id], dtype=bool)
    hpos = {x: i for i, x in enumerate(_strs(hyp.index))}
    hgroup = hyp["group"].to_numpy(dtype=object, copy=True)
    hgroup[pd.isna(hgroup)] = None
    group = hgroup[np.array([hpos[h] for h in h_id], dtype=int)] if n else np.array([], dtype=object)
    grouped = ~pd.isna(group).astype(bool) if n else np.zeros(0, dtype=bool)
    is_rating = ~pd.isna(rating).astype(bool) if n else np.zeros(0, dtype=bool)
    lpt = np.log2(np.maximum(np.nan_to_num(pt, nan=1.0), EPS))
    pf_clip = np.maximum(np.nan_to_num(pf, nan=1.0), EPS)
    # baseline of grouped probability rows: mean p_if_false over the item's rows in the group
    ref = np.ones(n)
    mask = grouped & ~is_rating
    if mask.any():
        acc: dict = {}
        for i in np.flatnonzero(mask):
            k = (e_id[i], group[i])
            s_, c_ = acc.get(k, (0.0, 0))
            acc[k] = (s_ + pf_clip[i], c_ + 1)
        for i in np.flatnonzero(mask):
            s_, c_ = acc[(e_id[i], group[i])]
            ref[i] = s_ / c_
    rating_bits = np.log2(np.array([lrmap.get(r, 1.0) if r is not None else 1.0
                                    for r in rating], dtype=float))
    log_lr = np.where(is_rating, rating_bits,
                      np.where(grouped, lpt - np.log2(ref), lpt - np.log2(pf_clip)))
    ob = _objs
    return pd.DataFrame({
        "evidence": ob(e_id), "hypothesis": ob(h_id), "description": ob(desc), "date": dates,
        "source": ob(source), "credibility": cred, "rating": ob(rating), "p_if_true": pt,
        "p_if_false": pf, "group": ob(group), "active": active,
        "likelihood_ratio": np.exp2(log_lr),
        "weight_bits": np.where(active, cred * log_lr, 0.0),
    }, columns=["evidence", "hypothesis", "description", "date", "source", "credibility",
                "rating", "p_if_true", "p_if_false", "group", "active", "likelihood_ratio",
                "weight_bits"])


@dataclass
class _Layout:
    hyps: list
    groups: dict  # group name -> np.ndarray of column positions
    independent: np.ndarray


def _layout(hyp: pd.DataFrame) -> _Layout:
    hyps = list(hyp.index.astype(str))
    grp = hyp["group"].to_numpy()
    groups: dict = {}
    for i, g in enumerate(grp):
        if pd.notna(g):
            groups.setdefault(g, []).append(i)
    ind = np.array([i for i, g in enumerate(grp) if pd.isna(g)], dtype=int)
    return _Layout(hyps, {g: np.array(v) for g, v in groups.items()}, ind)


def _base_score(prior: np.ndarray, lay: _Layout) -> np.ndarray:
    """Log2 score of the prior: logit for independent hypotheses, log for grouped ones."""
    s = np.empty_like(prior, dtype=float)
    with np.errstate(divide="ignore"):
        s[lay.independent] = np.log2(prior[lay.independent]) - np.log2(1 - prior[lay.independent])
        for idx in lay.groups.values():
            s[idx] = np.log2(prior[idx])
    return s


def _to_posterior(S: np.ndarray, lay: _Layout) -> np.ndarray:
    """Scores (…, H) in bits → posteriors: logistic for independent, softmax within groups."""
    out = np.empty_like(S, dtype=float)
    if lay.independent.size:
        out[..., lay.independent] = _sigmoid2(S[..., lay.independent])
    with np.errstate(invalid="ignore", over="ignore"):
        for idx in lay.groups.values():
            sub = S[..., idx]
            e = np.exp2(sub - sub.max(axis=-1, keepdims=True))
            out[..., idx] = e / e.sum(axis=-1, keepdims=True)
    return out


@dataclass
class ConstraintAnalysis:
    """Everything the hidden-constraints walkthrough shows, with its provenance.

    Attributes
    ----------
    hypotheses : DataFrame
        Per hypothesis: holder, party, kind, statement, group, prior, posterior, change,
        evidence_bits (Σ weights), conclusion.
    inputs : DataFrame
        The evidence rows used (see :func:`evidence_weights`).
    weights : Series
        Credibility of each evidence item (its weight in the posterior).
    contributions : DataFrame
        Weight of evidence in bits, evidence items × hypotheses (0 where not rated / off).
    ach : DataFrame
        The ACH matrix as entered: ratings or ``p=a/b``, evidence × hypotheses.
    diagnosticity : DataFrame
        Per evidence item: description, diagnosticity_bits, the variable it discriminates most.
    sensitivity : DataFrame
        The single evidence items whose removal flips a conclusion.
    questions : DataFrame
        Question ranking by expected information gain (bits).
    outcomes : DataFrame
        For each question and hypothesis it moves: posterior now, if yes, if no, P(yes).
    entropy_bits : float
        Current uncertainty over all hypotheses (sum over groups and independent hypotheses).
    params : dict
        The overrides used (off, ratings, credibility, answers, threshold).
    """

    hypotheses: pd.DataFrame
    inputs: pd.DataFrame
    weights: pd.Series
    contributions: pd.DataFrame
    ach: pd.DataFrame
    diagnosticity: pd.DataFrame
    sensitivity: pd.DataFrame
    questions: pd.DataFrame
    outcomes: pd.DataFrame
    entropy_bits: float
    params: dict = field(default_factory=dict)

    @property
    def posterior(self) -> pd.Series:
        return self.hypotheses["posterior"]

    def likely(self) -> pd.DataFrame:
        """Hypotheses at or above the threshold, most probable first."""
        h = self.hypotheses
        return h[h["likely"]].sort_values("posterior", ascending=False)


def _name_of(deal, holder) -> str:
    for t in (deal.stakeholders, deal.parties):
        if holder in t.index:
            return str(t.loc[holder, "name"])
    return str(holder)


def analyse(deal, *, off: Iterable[str] = (), ratings=None, credibility=None, answers=None,
            rating_lr=None, threshold: float = 0.5) -> ConstraintAnalysis:
    """Weigh the deal's hypotheses against its evidence and rank its questions.

    Parameters
    ----------
    deal : Deal
        A validated deal with a ``hypotheses`` table (``evidence`` and ``questions`` optional).
    off, ratings, credibility, rating_lr
        Evidence overrides, see :func:`evidence_weights`.
    answers : mapping or None
        ``{question id: "yes" | "no"}`` answers already obtained (see :func:`answer_question`).
    threshold : float
        Posterior at or above which a hypothesis counts as a likely constraint (default 0.5).

    Returns
    -------
    ConstraintAnalysis

    Raises
    ------
    MissingTableError
        When the deal has no ``hypotheses`` table.
    """
    caller = "analyse"
    if not (isinstance(threshold, int | float) and 0 < threshold < 1):
        raise ValueError(f"The 'threshold' parameter of {caller} must be a number strictly "
                         f"between 0 and 1. Got {threshold!r} instead.")
    for q, a in (answers or {}).items():
        deal = answer_question(deal, q, a)
    hyp = deal.table("hypotheses", analysis="the hidden-constraints analysis")
    lay = _layout(hyp)
    H = len(lay.hyps)
    ev = evidence_weights(deal, off=off, ratings=ratings, credibility=credibility,
                          rating_lr=rating_lr)
    e_arr = ev["evidence"].to_numpy(dtype=object)
    items = list(dict.fromkeys(e_arr))
    col = pd.Index(lay.hyps, dtype=object)
    hpos = {x: i for i, x in enumerate(lay.hyps)}
    epos = {x: i for i, x in enumerate(items)}
    W = np.zeros((len(items), H))
    if len(ev):
        r = np.array([epos[x] for x in e_arr], dtype=int)
        c = np.array([hpos[x] for x in ev["hypothesis"].to_numpy(dtype=object)], dtype=int)
        np.add.at(W, (r, c), ev["weight_bits"].to_numpy(dtype=float))
    prior = hyp["prior"].to_numpy(dtype=float)
    base = _base_score(prior, lay)
    total = W.sum(axis=0)
    S = base + total
    post = _to_posterior(S, lay)

    h = hyp[["holder", "kind", "statement", "group", "prior"]].copy()
    h.index = col
    h.index.name = "hypothesis"
    party_of = {**{s_: p_ for s_, p_ in zip(_strs(deal.stakeholders.index),
                                             deal.stakeholders["party"].to_numpy(dtype=object),
                                             strict=True)},
                **{p_: p_ for p_ in _strs(deal.parties.index)}}
    h.insert(1, "party", np.array([party_of.get(str(x)) for x in h["holder"].to_numpy(dtype=object)],
                                  dtype=object))
    h["posterior"] = post
    h["change"] = post - prior
    h["evidence_bits"] = total
    h["n_evidence"] = (W != 0).sum(axis=0)
    h["likely"] = post >= threshold
    top = np.zeros(H, dtype=bool)
    for idx in lay.groups.values():
        top[idx[np.argmax(post[idx])]] = True
    h["conclusion"] = [
        ("leading in its group" if top[i] else "trailing in its group") if pd.notna(g)
        else ("likely" if post[i] >= threshold else "unlikely")
        for i, g in enumerate(h["group"])]
    contributions = pd.DataFrame(W, index=pd.Index(items, name="evidence"), columns=col)

    first = np.full(len(items), -1)
    if len(ev):
        first[r[::-1]] = np.arange(len(ev))[::-1]  # first row of each item
    desc_arr = ev["description"].to_numpy(dtype=object)[first] if len(ev) else np.array([])
    src_arr = ev["source"].to_numpy(dtype=object)[first] if len(ev) else np.array([])
    cred_sum = np.bincount(r, weights=ev["credibility"].to_numpy(float), minlength=len(items)) \
        if len(ev) else np.zeros(0)
    cred_n = np.bincount(r, minlength=len(items)) if len(ev) else np.ones(0)
    weights = pd.Series(cred_sum / np.maximum(cred_n, 1), index=pd.Index(items, name="evidence"),
                        name="credibility")
    desc_of = dict(zip(items, desc_arr, strict=True))

    cells = np.full((len(items), H), "", dtype=object)
    if len(ev):
        cells[r, c] = [rt if rt is not None else f"p={a:g}/{b:g}" for rt, a, b in
                       zip(ev["rating"], ev["p_if_true"], ev["p_if_false"], strict=True)]
    ach = pd.DataFrame(cells, index=contributions.index, columns=col, dtype=object)

    # diagnosticity: spread of weights within each group, |w| for independent hypotheses
    diag_parts, names = [], []
    if lay.independent.size:
        diag_parts.append(np.abs(W[:, lay.independent]))
        names += [lay.hyps[i] for i in lay.independent]
    for g, idx in lay.groups.items():
        diag_parts.append(np.ptp(W[:, idx], axis=1, keepdims=True) if len(items) else
                          np.zeros((0, 1)))
        names.append(f"group {g}")
    D = np.hstack(diag_parts) if diag_parts else np.zeros((len(items), 0))
    off_set = {str(x) for x in (off or ())}
    diag = pd.DataFrame({
        "description": desc_arr,
        "source": src_arr,
        "credibility": weights.to_numpy(),
        "active": np.array([x not in off_set for x in items], dtype=bool),
        "diagnosticity_bits": D.max(axis=1) if D.size else np.zeros(len(items)),
        "most_on": [names[j] for j in D.argmax(axis=1)] if D.size else [None] * len(items),
    }, index=pd.Index(items, name="evidence"))

    sensitivity = _sensitivity(W, base, post, lay, items, desc_of, threshold)
    questions, outcomes = _questions(deal, post, lay)
    ent = float(_h2(post[lay.independent]).sum()) + sum(
        entropy_bits(post[idx]) for idx in lay.groups.values())
    params = {"off": sorted({str(x) for x in (off or ())}), "ratings": ratings or {},
              "credibility": dict(credibility or {}), "answers": dict(answers or {}),
              "threshold": threshold}
    return ConstraintAnalysis(h, ev, weights, contributions, ach, diag, sensitivity, questions,
                              outcomes, ent, params)


def what_if(deal, *, off: Iterable[str] = (), ratings=None, credibility=None, answers=None,
            rating_lr=None, threshold: float = 0.5) -> ConstraintAnalysis:
    """The widget callback: the analysis with evidence switched off, ratings changed,
    credibilities overridden and questions answered. Same parameters as :func:`analyse`."""
    return analyse(deal, off=off, ratings=ratings, credibility=credibility, answers=answers,
                   rating_lr=rating_lr, threshold=threshold)


def _sensitivity(W, base, post, lay, items, desc_of, threshold) -> pd.DataFrame:
    cols = ["evidence", "description", "on", "conclusion_now", "posterior_now",
            "conclusion_without", "posterior_without"]
    if not len(items):
        return pd.DataFrame(columns=cols)
    S_minus = (base + W.sum(axis=0))[None, :] - W       # scores with item e removed, per row
    P_minus = _to_posterior(S_minus, lay)
    rows = []
    for j in lay.independent:
        now = post[j] >= threshold
        wo = P_minus[:, j] >= threshold
        for e in np.flatnonzero((wo != now) & (W[:, j] != 0)):
            rows.append((items[e], lay.hyps[j], "likely" if now else "unlikely", post[j],
                         "likely" if wo[e] else "unlikely", P_minus[e, j]))
    for g, idx in lay.groups.items():
        top_now = idx[np.argmax(post[idx])]
        top_wo = idx[np.argmax(P_minus[:, idx], axis=1)]
        for e in np.flatnonzero(top_wo != top_now):
            rows.append((items[e], f"group {g}", f"{lay.hyps[top_now]} leads", post[top_now],
                         f"{lay.hyps[top_wo[e]]} leads", P_minus[e, top_wo[e]]))
    out = pd.DataFrame([(r[0], desc_of[r[0]]) + r[1:] for r in rows],
                       columns=cols)
    return out


def _questions(deal, post, lay):
    qcols = ["question", "text", "expected_gain_bits", "p_yes", "hypotheses", "largest_swing"]
    ocols = ["question", "hypothesis", "p_yes", "now", "if_yes", "if_no"]
    if not deal.has("questions"):
        return pd.DataFrame(columns=qcols), pd.DataFrame(columns=ocols)
    q = deal.questions
    q_arr = np.array([str(x) for x in q["question"]], dtype=object)
    qids = list(dict.fromkeys(q_arr))
    qpos = {x: i for i, x in enumerate(qids)}
    hpos = {x: i for i, x in enumerate(lay.hyps)}
    col = np.array(lay.hyps, dtype=object)
    Q, H = len(qids), len(lay.hyps)
    PT = np.full((Q, H), np.nan)
    PF = np.full((Q, H), np.nan)
    r = np.array([qpos[x] for x in q_arr], dtype=int)
    c = np.array([hpos[str(x)] for x in q["hypothesis"]], dtype=int)
    first = np.full(Q, -1)
    first[r[::-1]] = np.arange(len(q))[::-1]
    texts = q["text"].to_numpy(dtype=object)[first]
    PT[r, c] = q["p_yes_if_true"].to_numpy(dtype=float)
    PF[r, c] = q["p_yes_if_false"].to_numpy(dtype=float)
    gain = np.zeros(Q)
    YES = np.full((Q, H), np.nan)  # posterior if yes (only for touched hypotheses)
    NO = np.full((Q, H), np.nan)
    PY = np.full((Q, H), np.nan)
    ind = lay.independent
    if ind.size:
        pt, pf, pi = PT[:, ind], PF[:, ind], post[ind][None, :]
        touched = ~np.isnan(pt)
        pt0, pf0 = np.nan_to_num(pt), np.nan_to_num(pf)
        py = pi * pt0 + (1 - pi) * pf0
        g = _h2(py) - pi * _h2(pt0) - (1 - pi) * _h2(pf0)
        g = np.where(touched & (pt0 != pf0), np.maximum(g, 0.0), 0.0)
        gain += g.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            YES[:, ind] = np.where(touched, np.where(py > 0, pi * pt0 / py, pi), np.nan)
            NO[:, ind] = np.where(touched, np.where(py < 1, pi * (1 - pt0) / (1 - py), pi),
                                  np.nan)
        PY[:, ind] = np.where(touched, py, np.nan)
    for idx in lay.groups.values():
        pt, pf = PT[:, idx], PF[:, idx]
        touched = ~np.isnan(pt).all(axis=1)
        if not touched.any():
            continue
        rated = ~np.isnan(pt)
        with np.errstate(invalid="ignore"):
            fill = np.where(rated, np.nan_to_num(pf), 0.0).sum(axis=1) / rated.sum(axis=1)
        P = np.where(np.isnan(pt), fill[:, None], pt)
        P = np.where(touched[:, None], P, 0.5)
        pi = post[idx]
        g = _gain_matrix(pi, P)
        gain += np.where(touched, g, 0.0)
        py = P @ pi
        with np.errstate(invalid="ignore", divide="ignore"):
            yes = np.where(py[:, None] > 0, P * pi / py[:, None], pi)
            no = np.where(py[:, None] < 1, (1 - P) * pi / (1 - py[:, None]), pi)
        YES[:, idx] = np.where(touched[:, None], yes, np.nan)
        NO[:, idx] = np.where(touched[:, None], no, np.nan)
        PY[:, idx] = np.where(touched[:, None], py[:, None], np.nan)
    swing = np.abs(np.nan_to_num(YES - NO))
    touched_any = ~np.isnan(YES)
    n_t = touched_any.sum(axis=1)
    with np.errstate(invalid="ignore"):
        p_yes = np.where(n_t > 0, np.nan_to_num(PY).sum(axis=1) / np.maximum(n_t, 1), np.nan)
    ranking = pd.DataFrame({
        "question": qids,
        "text": texts,
        "expected_gain_bits": gain,
        "p_yes": p_yes,
        "hypotheses": [", ".join(col[touched_any[i]]) for i in range(Q)],
        "largest_swing": swing.max(axis=1) if H else np.zeros(Q),
    }).sort_values(["expected_gain_bits", "largest_swing"], ascending=False, kind="stable")
    ranking.insert(0, "rank", np.arange(1, Q + 1))
    ranking = ranking.reset_index(drop=True)
    qi, hi = np.nonzero(touched_any)
    outcomes = pd.DataFrame({"question": np.array(qids, dtype=object)[qi],
                             "hypothesis": col[hi], "p_yes": PY[qi, hi],
                             "now": post[hi], "if_yes": YES[qi, hi], "if_no": NO[qi, hi]})
    rank_of = np.empty(Q, dtype=int)
    rank_of[[qpos[x] for x in ranking["question"]]] = np.arange(Q)
    outcomes = outcomes.iloc[np.argsort(rank_of[qi], kind="stable")]
    return ranking, outcomes.reset_index(drop=True)


def answer_question(deal, question: str, answer) -> object:
    """Record the answer to a question of the bank as evidence; returns a new Deal.

    A "yes" becomes, for each row of the question, an evidence row with
    ``p_if_true = p_yes_if_true`` and ``p_if_false = p_yes_if_false`` (a "no" uses
    ``1 − p``), credibility 1, source ``"asked"``; an earlier answer to the same question is
    replaced. Re-running :func:`analyse` on the result gives
    exactly the ``if_yes`` / ``if_no`` posteriors the question ranking predicted.

    Parameters
    ----------
    deal : Deal
    question : str
        A question id of the deal's ``questions`` table.
    answer : "yes", "no", True or False

    Returns
    -------
    Deal
        A copy with the answer appended to ``evidence`` (evidence id ``"<question>=yes"``).

    Raises
    ------
    ValueError
        An unknown question id or an answer other than yes/no.
    """
    caller = "answer_question"
    q = deal.table("questions", analysis="answering a question")
    ids = list(dict.fromkeys(q["question"].astype(str)))
    if str(question) not in ids:
        raise ValueError(f"The 'question' parameter of {caller} must be a question id of the "
                         f"deal ({', '.join(ids)}). Got {question!r} instead.")
    if isinstance(answer, str) and answer.strip().lower() in ("yes", "no"):
        yes = answer.strip().lower() == "yes"
    elif isinstance(answer, bool | np.bool_):
        yes = bool(answer)
    else:
        raise ValueError(f"The 'answer' parameter of {caller} must be 'yes' or 'no' (or True / "
                         f"False). Got {answer!r} instead.")
    rows = q[q["question"].astype(str) == str(question)]
    word = "yes" if yes else "no"
    pt = rows["p_yes_if_true"].to_numpy(dtype=float)
    pf = rows["p_yes_if_false"].to_numpy(dtype=float)
    k = len(rows)
    new = pd.DataFrame({
        "evidence": _objs([f"{question}={word}"] * k),
        "hypothesis": _objs(_strs(rows["hypothesis"])),
        "description": _objs([f"Answer to '{rows['text'].iloc[0]}': {word}"] * k),
        "date": pd.Series([pd.Timestamp(deal.meta.as_of)] * k, dtype="datetime64[ns]"),
        "source": _objs(["asked"] * k),
        "credibility": np.ones(k),
        "rating": _objs([None] * k),
        "p_if_true": pt if yes else 1 - pt,
        "p_if_false": pf if yes else 1 - pf,
    })
    if deal.has("evidence"):
        old = deal.evidence
        keep = ~np.isin(_strs(old["evidence"]), [f"{question}=yes", f"{question}=no"])
        new = pd.concat([old[keep], new[old.columns]], ignore_index=True)
    return deal.replace(evidence=new)


# --------------------------------------------------------------------------------------------
# Implications for the power picture
# --------------------------------------------------------------------------------------------

def _analysis(x, caller):
    if isinstance(x, ConstraintAnalysis):
        return x
    if hasattr(x, "meta") and hasattr(x, "hypotheses"):
        return analyse(x)
    raise ValueError(f"The 'analysis' parameter of {caller} must be a ConstraintAnalysis or a "
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
    a = _analysis(analysis, "power_adjustments")
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
    a = _analysis(analysis, "approach")
    rows = []
    for hid, r in a.likely().iterrows():
        k = CATALOGUE[r["kind"]]
        rows.append({"hypothesis": hid, "holder": r["holder"], "kind": k.label,
                     "posterior": r["posterior"], "approach": k.approach,
                     "levers": "; ".join(k.levers), "watch_for": "; ".join(k.signals),
                     "power": k.power_note})
    return pd.DataFrame(rows, columns=["hypothesis", "holder", "kind", "posterior", "approach",
                                       "levers", "watch_for", "power"])


# --------------------------------------------------------------------------------------------
# Report section
# --------------------------------------------------------------------------------------------

_TEACHING = (
    "People carry constraints they cannot or will not talk about: money that is tighter than "
    "it looks, a decision they will be judged on, a date they must meet, a promise already "
    "made to someone else. These constraints drive behaviour more than the positions on the "
    "table. We write each suspicion down as a hypothesis with a prior, rate what we have seen "
    "against it, and let Bayes' rule weigh the lot. Two disciplines from the analysis of "
    "competing hypotheses matter most: look for evidence that *discriminates* (an observation "
    "that fits every hypothesis tells us nothing), and know which single observations the "
    "conclusion rests on. The cheapest way to learn more is usually a well-chosen question: "
    "we rank the question bank by how much each answer is expected to reduce our uncertainty.")


def report_section(deal, **params):
    """The report's "likely hidden constraints" section: the constraints, the evidence they
    rest on, and what to ask next.

    Parameters
    ----------
    deal : Deal
    **params
        Passed to :func:`analyse` (off, ratings, credibility, answers, threshold).

    Returns
    -------
    Section
        ``missing`` is set when the deal has no hypotheses table.
    """
    from ..sections import Section
    from ..text import esc

    title = "Likely hidden constraints"
    sec = Section(key="constraints", title=title)
    if not deal.has("hypotheses"):
        sec.missing = "No hypotheses table in this deal: hidden constraints left out."
        return sec
    from ..plots.constraints import ach_heatmap, posterior_chart, question_chart

    a = analyse(deal, **params)
    h = a.hypotheses
    likely = a.likely()
    best = h.sort_values("posterior", ascending=False).iloc[0]
    next_q = a.questions.iloc[0] if len(a.questions) else None
    headline = {
        "n_hypotheses": int(len(h)),
        "n_evidence": int(len(a.contributions)),
        "likely": [str(x) for x in likely.index],
        "top_hypothesis": str(best.name),
        "top_kind": str(best["kind"]),
        "top_holder": str(best["holder"]),
        "top_holder_name": _name_of(deal, best["holder"]),
        "top_posterior": round(float(best["posterior"]), 3),
        "fragile_items": sorted(set(map(str, a.sensitivity["evidence"]))),
        "next_question": None if next_q is None else str(next_q["question"]),
        "next_question_text": None if next_q is None else str(next_q["text"]),
        "next_question_gain_bits": None if next_q is None
        else round(float(next_q["expected_gain_bits"]), 3),
        "entropy_bits": round(a.entropy_bits, 3),
        "threshold": float(a.params["threshold"]),
    }
    sec.headline = headline
    label = CATALOGUE[headline["top_kind"]].label.lower()
    s = (f"The most probable hidden constraint is {label} for "
         f"{esc(headline['top_holder_name'])} ({headline['top_posterior']:.0%}); "
         f"{len(headline['likely'])} of {headline['n_hypotheses']} hypotheses reach "
         f"{headline['threshold']:.0%} or more.")
    if headline["next_question"] is not None:
        s += (f" The next best question — “{esc(headline['next_question_text'])}” "
              f"({esc(headline['next_question'])}) — is expected to gain "
              f"{headline['next_question_gain_bits']:.2f} bits.")
    sec.summary = s
    table = h[["holder", "kind", "statement", "prior", "posterior", "conclusion"]].copy()
    table[["prior", "posterior"]] = table[["prior", "posterior"]].round(2)
    sec.add(_TEACHING, table.sort_values("posterior", ascending=False),
            posterior_chart(a),
            "**How to read it:** grey bars are what we believed before the evidence, coloured "
            "bars what we believe now. Hypotheses in one group compete (their bars sum to "
            "100 %); the others are each weighed against their own negation.",
            ach_heatmap(a),
            "**The evidence matrix.** Each cell is the weight of an observation for a "
            "hypothesis in bits (green: it fits, red: it contradicts; one bit doubles or "
            "halves the odds). The bottom strip is each item's diagnosticity: items that fit "
            "every hypothesis equally have none, however convincing they feel.")
    if len(a.sensitivity):
        fr = a.sensitivity.copy()
        fr[["posterior_now", "posterior_without"]] = fr[["posterior_now",
                                                         "posterior_without"]].round(2)
        sec.add("**What the view rests on.** Removing any one of these items would change a "
                "conclusion: check them before acting on it.", fr)
    else:
        sec.add("**What the view rests on.** No single evidence item flips a conclusion when "
                "removed: the view is carried by several observations together.")
    if len(a.questions):
        top = a.questions.head(5)[["rank", "question", "text", "expected_gain_bits",
                                   "p_yes", "largest_swing"]].copy()
        top[["expected_gain_bits", "p_yes", "largest_swing"]] = top[
            ["expected_gain_bits", "p_yes", "largest_swing"]].round(3)
        sec.add("**What to ask next.** Questions ranked by the uncertainty their answer is "
                "expected to remove (bits); the swing is how far one hypothesis moves between "
                "a yes and a no.", top, question_chart(a))
    ap = approach(a)
    if len(ap):
        plan = ap.round(2)
        plan.insert(0, "constraint", [f"{r['kind']} — {_name_of(deal, r['holder'])}, "
                                      f"{r['posterior']:.0%} "
                                      f"({r['hypothesis']})" for _, r in plan.iterrows()])
        # shown as one short block per constraint (three long text columns shrink to a few
        # words a line on paper); exported as the table it is
        plan.attrs["cards"] = ("constraint", ["approach", "levers", "watch_for", "power"])
        sec.add("**What follows for our approach.** For each likely constraint: the approach "
                "it calls for, the levers that answer it, and the signals that would confirm "
                "it.", plan)
    try:
        shift = power_shift(deal, a)
    except (PowerkitError, ValueError, KeyError):  # the power picture is optional here
        shift = None
    if shift is not None and len(shift.table):
        headline["balance_before"] = round(shift.balance_before, 3)
        headline["balance_after"] = round(shift.balance_after, 3)
        sec.add(f"**What follows for power.** Each hypothesis changes its holder's positional "
                f"inputs in proportion to its probability (a counterpart under budget "
                f"pressure or a hard deadline has less positional power than it shows; one "
                f"already committed to a competitor has more). Taken together they move the "
                f"power balance from {headline['balance_before']:+.3f} to "
                f"{headline['balance_after']:+.3f} (positive: in our favour).",
                shift.table.round(3))
    return sec

