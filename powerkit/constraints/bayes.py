"""Bayes' rule for hidden constraints: the ACH rating scale as likelihood ratios, posteriors of
mutually exclusive hypotheses (in log space) and of independent ones (in odds form), entropy.

A deal's hypotheses, some in mutually exclusive groups and some independent, are scored together
in bits (:class:`HypothesisLayout`, :func:`base_score`, :func:`to_posterior`). The argument
checks shared by the package's pure functions (:func:`as_series`,
:func:`check_unit`, :func:`prior_series`, :func:`rating_lrs`) live here too.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError, bad_argument

__all__ = [
    "RATING_LR", "RATING_MEANING", "EPS", "rating_table", "rating_lrs",
    "posterior", "posterior_independent", "entropy_bits", "binary_entropy", "sigmoid2",
    "as_series", "check_unit", "prior_series",
    "HypothesisLayout", "hypothesis_layout", "base_score", "to_posterior",
]

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
    lr = rating_lrs(rating_lr, "rating_table")
    return pd.DataFrame({"meaning": RATING_MEANING, "likelihood_ratio": lr,
                         "bits": {k: float(np.log2(v)) for k, v in lr.items()}}).rename_axis("rating")


def rating_lrs(rating_lr, caller: str) -> dict:
    """:data:`RATING_LR` with the overrides ``rating_lr`` (ratings → positive numbers) applied;
    ``caller`` names the public function in the error message.

    >>> rating_lrs({"C": 3}, "f")["C"]
    3.0
    """
    lr = dict(RATING_LR)
    if rating_lr is not None:
        if not isinstance(rating_lr, Mapping) or not set(rating_lr) <= set(RATING_LR):
            raise bad_argument("rating_lr", caller, f"a mapping from the ratings "
                               f"{', '.join(RATING_LR)} to positive numbers", rating_lr)
        for k, v in rating_lr.items():
            if not (isinstance(v, int | float) and np.isfinite(v) and v > 0):
                raise InputError(f"The 'rating_lr' parameter of {caller} must map each rating "
                                 f"to a positive number. Got {k!r}: {v!r} instead.")
            lr[k] = float(v)
    return lr


# --------------------------------------------------------------------------------------------
# argument checks shared by the package's pure functions
# --------------------------------------------------------------------------------------------

def as_series(x, name: str, caller: str) -> pd.Series:
    """``x`` (a Series or a mapping indexed by hypothesis) as a non-empty float Series with unique
    labels, or an :class:`~powerkit.errors.InputError` naming parameter ``name`` of ``caller``.

    >>> as_series({"a": 1}, "prior", "f").tolist()
    [1.0]
    """
    if isinstance(x, pd.Series):
        s = x
    elif isinstance(x, Mapping):
        s = pd.Series(dict(x), dtype=float)
    else:
        raise InputError(f"The {name!r} parameter of {caller} must be a pandas Series indexed "
                         f"by hypothesis. Got {type(x).__name__} instead.")
    try:
        s = s.astype(float)
    except (TypeError, ValueError):
        raise bad_argument(name, caller, "hold numbers", s.tolist()) from None
    if len(s) == 0 or not s.index.is_unique:
        raise bad_argument(name, caller, "a non-empty Series with unique hypothesis labels",
                           list(s.index))
    return s


def check_unit(a: np.ndarray, name: str, caller: str, what: str = "probabilities in [0, 1]"):
    """Raise :class:`~powerkit.errors.InputError` if ``a`` holds values outside [0, 1] (or NaN).

    >>> check_unit(np.array([0.0, 1.0]), "p", "f") is None
    True
    """
    bad = ~((a >= 0) & (a <= 1))
    if bad.any():
        raise bad_argument(name, caller, f"hold {what}", a[bad][:5].tolist())


def prior_series(prior, caller: str) -> pd.Series:
    """The prior of mutually exclusive, exhaustive hypotheses: probabilities summing to 1.

    >>> prior_series({"a": 0.25, "b": 0.75}, "f").tolist()
    [0.25, 0.75]
    """
    p = as_series(prior, "prior", caller)
    check_unit(p.to_numpy(), "prior", caller)
    if abs(p.sum() - 1.0) > 1e-6:
        raise InputError(f"The 'prior' parameter of {caller} must sum to 1 (the hypotheses are "
                         f"mutually exclusive and exhaustive). Got a sum of {p.sum():.6g} instead.")
    return p


# --------------------------------------------------------------------------------------------
# Bayes in log space and in odds form
# --------------------------------------------------------------------------------------------

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
    InputError
        (a ValueError) Probabilities outside [0, 1], priors not summing to 1, columns that are
        not the hypotheses of ``prior``, or evidence impossible under every hypothesis with a
        prior > 0.

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
    p = prior_series(prior, caller)
    if isinstance(likelihood, pd.Series):
        likelihood = likelihood.to_frame().T
    if not isinstance(likelihood, pd.DataFrame):
        raise InputError(f"The 'likelihood' parameter of {caller} must be a DataFrame with one "
                         f"row per evidence item and one column per hypothesis. "
                         f"Got {type(likelihood).__name__} instead.")
    cols = set(likelihood.columns)
    if cols != set(p.index):
        raise InputError(f"The 'likelihood' parameter of {caller} must have one column per "
                         f"hypothesis of the prior ({', '.join(map(str, p.index))}). "
                         f"Got columns {list(likelihood.columns)!r} instead.")
    lik = likelihood[list(p.index)].to_numpy(dtype=float)
    check_unit(lik.ravel(), "likelihood", caller)
    with np.errstate(divide="ignore"):
        score = np.log(p.to_numpy()) + np.log(lik).sum(axis=0)
    if not np.isfinite(score).any():
        raise InputError(f"The 'likelihood' parameter of {caller} must leave at least one "
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
    p = as_series(prior, "prior", caller)
    check_unit(p.to_numpy(), "prior", caller)
    if not isinstance(likelihood_ratio, pd.DataFrame) or not set(likelihood_ratio.columns) <= set(p.index):
        raise bad_argument("likelihood_ratio", caller, "a DataFrame whose columns are hypotheses "
                           "of the prior", likelihood_ratio)
    lr = likelihood_ratio.reindex(columns=p.index).to_numpy(dtype=float)
    finite = lr[~np.isnan(lr)]
    if (finite <= 0).any() or not np.isfinite(finite).all():
        raise bad_argument("likelihood_ratio", caller, "hold positive, finite ratios (NaN for "
                           "no bearing)", finite[(finite <= 0) | ~np.isfinite(finite)][:5].tolist())
    c = np.ones(len(likelihood_ratio))
    if credibility is not None:
        cs = as_series(credibility, "credibility", caller).reindex(likelihood_ratio.index)
        c = cs.to_numpy()
        if np.isnan(c).any():
            raise InputError(f"The 'credibility' parameter of {caller} must give a weight for "
                             f"every evidence item ({list(likelihood_ratio.index)!r}). "
                             f"Got {dict(credibility)!r} instead.")
        check_unit(c, "credibility", caller, "weights in [0, 1]")
    w = np.nan_to_num(np.log2(lr), nan=0.0) * c[:, None]
    with np.errstate(divide="ignore"):
        x = np.log2(p.to_numpy()) - np.log2(1 - p.to_numpy()) + w.sum(axis=0)
    return pd.Series(sigmoid2(x), index=p.index, name="posterior")


def sigmoid2(x):
    """The base-2 logistic ``1 / (1 + 2**-x)``: log2 odds → probability, elementwise.

    >>> float(sigmoid2(2.0))
    0.8
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp2(-x))


def binary_entropy(p):
    """Binary entropy ``h(p)`` in bits, elementwise (0 log 0 = 0).

    >>> float(binary_entropy(0.5))
    1.0
    """
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


# --------------------------------------------------------------------------------------------
# A deal's hypotheses scored together: groups (softmax) and independent ones (logistic)
# --------------------------------------------------------------------------------------------

@dataclass
class HypothesisLayout:
    """Which hypotheses (by column position) form each mutually exclusive group and which stand
    alone; built by :func:`hypothesis_layout`."""

    hyps: list
    groups: dict  # group name -> np.ndarray of column positions
    independent: np.ndarray


def hypothesis_layout(hyp: pd.DataFrame) -> HypothesisLayout:
    """The layout of a deal's ``hypotheses`` table (its ``group`` column; blank = independent).

    >>> hypothesis_layout(pd.DataFrame({"group": ["g", None, "g"]}, index=["a", "b", "c"])).groups
    {'g': array([0, 2])}
    """
    hyps = list(hyp.index.astype(str))
    grp = hyp["group"].to_numpy()
    groups: dict = {}
    for i, g in enumerate(grp):
        if pd.notna(g):
            groups.setdefault(g, []).append(i)
    ind = np.array([i for i, g in enumerate(grp) if pd.isna(g)], dtype=int)
    return HypothesisLayout(hyps, {g: np.array(v) for g, v in groups.items()}, ind)


def base_score(prior: np.ndarray, lay: HypothesisLayout) -> np.ndarray:
    """Log2 score of the prior: logit for independent hypotheses, log for grouped ones."""
    s = np.empty_like(prior, dtype=float)
    with np.errstate(divide="ignore"):
        s[lay.independent] = np.log2(prior[lay.independent]) - np.log2(1 - prior[lay.independent])
        for idx in lay.groups.values():
            s[idx] = np.log2(prior[idx])
    return s


def to_posterior(S: np.ndarray, lay: HypothesisLayout) -> np.ndarray:
    """Scores (…, H) in bits → posteriors: logistic for independent, softmax within groups."""
    out = np.empty_like(S, dtype=float)
    if lay.independent.size:
        out[..., lay.independent] = sigmoid2(S[..., lay.independent])
    with np.errstate(invalid="ignore", over="ignore"):
        for idx in lay.groups.values():
            sub = S[..., idx]
            e = np.exp2(sub - sub.max(axis=-1, keepdims=True))
            out[..., idx] = e / e.sum(axis=-1, keepdims=True)
    return out
