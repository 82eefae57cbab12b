"""Sums of many independent inputs drawn as one normal (large deals; docs/methods/uncertainty.md
§2.1).

Above :data:`powerkit.uncertainty.EXACT_MAX` people, several headline quantities depend on the
people's inputs only through fixed linear forms ``Y_f = Σ_j c_fj X_j`` of independent inputs
``X_j``: the trust and frame-fit inputs of the balance (say-weighted means of the counterpart's
people's ratings) and the first-order decision shares and forecast decision (``J Δλ`` and
``r₀ · x₀``). Instead of drawing every ``X_j``, :func:`split_forms` splits the inputs into

* **heavy** ones — an input whose term carries more than :data:`HEAVY_SHARE` of the variance
  of some form (e.g. a shown person's own susceptibility in their decision share, or a person
  with a large say) — which are still drawn one by one, and
* the **light** rest, whose contribution to all forms is drawn jointly from the normal with
  the exact mean ``Σ c_fj μ_j`` and covariance ``Σ_j c_fj c_gj σ_j²`` (``μ_j, σ_j²`` of the
  clipped uniform or Beta: :func:`powerkit.uncertainty.ranges.moments`).

The light sum matches the per-person draws exactly in mean and covariance; its distribution
is normal only approximately (Lyapunov's central limit theorem). Berry–Esseen for independent,
not identically distributed summands bounds the error of each form's distribution function:

``sup_x |P(Y_f ≤ x) − Φ((x − μ_f)/σ_f)| ≤ C₀ Σ_j |c_fj|³ ρ_j / σ_f³``,  ``C₀ = 0.5600``

(Shevtsova 2010), ``ρ_j = E|X_j − μ_j|³`` and ``σ_f²`` the light part's variance. Adding
the heavy terms (drawn exactly, independent of the light ones) cannot increase that distance
(``P(H + L ≤ x) = E F_L(x − H)``), so the bound holds for the whole form. When the heavy terms
carry nearly all of a form's variance (a shown person's decision share is mostly their own
susceptibility) the light part is a few small terms and this bound is uninformative (up to 1)
although the light part hardly matters; for that case the Wasserstein distance says more:
``W₁(light, its normal) ≤ Σ_j |c_fj|³ ρ_j / σ_f²`` (Goldstein 2010, constant 1) and ``≤ 2 σ_f``,
and again adding independent heavy terms cannot increase it; :func:`split_forms` divides it by
the form's total standard deviation (heavy terms included). Both bounds per form are returned;
:func:`powerkit.uncertainty.simulate` records the largest of each in
``attrs["settings"]["aggregation"]``.

References
----------
Shevtsova, I. G. (2010). An improvement of convergence rate estimates in the Lyapunov theorem.
*Doklady Mathematics* 82(3), 862–864.
Goldstein, L. (2010). Bounds on the constant in the mean central limit theorem. *The Annals of
Probability* 38(4), 1672–1689.
Feller, W. (1971). *An Introduction to Probability Theory and Its Applications*, vol. II,
2nd ed. Wiley, §XVI.5 (Berry–Esseen for non-identically distributed summands).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BERRY_ESSEEN_C", "HEAVY_SHARE", "Forms", "split_forms", "normal_factor"]

#: The Berry–Esseen constant for independent, non-identically distributed summands
#: (Shevtsova 2010).
BERRY_ESSEEN_C = 0.5600
#: An input whose term carries more than this share of a form's variance is drawn per person
#: (so each aggregated term carries at most 1 %: for terms of similar shape the Berry–Esseen
#: bound of the light part is then at most about ``C₀ · max ρ_j/σ_j³ · 0.1``).
HEAVY_SHARE = 1e-2


@dataclass
class Forms:
    """Linear forms ``Y = C X`` split into heavy inputs (drawn) and the light rest (normal).

    ``heavy``: positions (into the form's inputs) drawn one by one; ``mean`` (forms) and
    ``cov`` (forms × forms): the light part's exact mean and covariance; ``factor``: a matrix
    ``F`` with ``F Fᵀ = cov`` (``light = mean + z Fᵀ`` for standard normal ``z``);
    ``bound``: the Berry–Esseen bound of each form's light part (sup-distance of distribution
    functions; 0 when it has no variance); ``wasserstein``: the bound of the W₁ distance of each
    form (light part against its normal) over the form's total standard deviation; ``light``:
    how many inputs were aggregated.
    """

    heavy: np.ndarray
    mean: np.ndarray
    cov: np.ndarray
    factor: np.ndarray
    bound: np.ndarray
    wasserstein: np.ndarray
    light: int


def normal_factor(cov: np.ndarray) -> np.ndarray:
    """A square root ``F`` of a symmetric positive semi-definite ``cov`` (``F Fᵀ = cov``) from
    its eigendecomposition; rounding-negative eigenvalues count as 0, so a singular (even zero)
    covariance is fine.

    >>> normal_factor(np.zeros((2, 2))).tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    """
    if not cov.size:
        return np.zeros_like(cov)
    w, V = np.linalg.eigh((cov + cov.T) / 2)
    return V * np.sqrt(np.clip(w, 0.0, None))[None, :]


def split_forms(C: np.ndarray, mean: np.ndarray, var: np.ndarray, abs3: np.ndarray,
                share: float = HEAVY_SHARE) -> Forms:
    """Split the inputs of ``Y = C X`` (``C``: forms × inputs; independent inputs with the given
    mean, variance and third absolute central moment, e.g. from
    :func:`powerkit.uncertainty.ranges.moments`) into heavy inputs and the light rest.

    Examples
    --------
    >>> C = np.array([[1.0, 0.001, 0.001, 0.001]])
    >>> f = split_forms(C, np.zeros(4), np.ones(4), np.ones(4))
    >>> f.heavy.tolist(), f.light, round(float(f.cov[0, 0]), 6)
    ([0], 3, 3e-06)
    >>> bool(f.wasserstein[0] < 0.01)       # the light part: 0.17 % of the standard deviation
    True
    """
    C = np.atleast_2d(np.asarray(C, dtype=float))
    contrib = C ** 2 * var[None, :]
    total = contrib.sum(axis=1)
    heavy = np.flatnonzero((contrib > share * total[:, None]).any(axis=0))
    light = np.setdiff1d(np.arange(C.shape[1]), heavy)
    CL = C[:, light]
    m = CL @ mean[light]
    cov = (CL * var[light][None, :]) @ CL.T
    sd3 = np.clip(np.diag(cov), 0.0, None) ** 1.5
    lyap = np.abs(CL) ** 3 @ abs3[light]
    var_l = np.clip(np.diag(cov), 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = np.where(sd3 > 0, np.minimum(1.0, BERRY_ESSEEN_C * lyap / sd3), 0.0)
        w1 = np.minimum(np.where(var_l > 0, lyap / var_l, 0.0), 2 * np.sqrt(var_l))
        w1 = np.where(total > 0, w1 / np.sqrt(total), 0.0)
    return Forms(heavy, m, cov, normal_factor(cov), bound, w1, int(light.size))
