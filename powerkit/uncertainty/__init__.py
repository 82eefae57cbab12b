"""Uncertainty through the analysis: ranges of the inputs, a vectorised Monte Carlo of the
headline quantities, intervals, what would flip the posture or the package, and global
sensitivity (Sobol indices, SALib). Formulas and references: docs/methods/uncertainty.md.

Default ranges by input kind (each scaled by ``spread``; override with ``spreads``):

* ratings 0..1 (party ratings, the counterpart's people's trust and frame fit): uniform on
  value ± 0.1, clipped to [0, 1];
* stances: uniform on value ± 0.2, clipped to [−1, 1];
* money (reservation prices, BATNA values): uniform on value · (1 ± 5 %);
* probabilities (priors, ``p_if_true``/``p_if_false``, susceptibility): Beta with mean the
  value and concentration κ = 20 (a group's priors: Dirichlet, κ = 20);
* the three source weights: Dirichlet around their values, concentration κ_w = 50.

``spread = s`` multiplies the half-widths by s and divides the concentrations by s²; s = 0
fixes every input (every draw equals the point analysis).

Above ``EXACT_MAX`` (300) people, :func:`simulate` draws the sums over the people (trust and
frame-fit means, first-order decision shares) as normals with their exact mean and covariance
(:mod:`powerkit.uncertainty.aggregate`; error bounds in ``attrs["settings"]["aggregation"]``);
``aggregate=False`` draws every person.

Public API: :func:`input_ranges`, :func:`simulate`, :func:`intervals`, :func:`probability`,
:func:`what_would_flip` (:class:`Flip`), :func:`sensitivity`, :class:`DealModel`,
:func:`package_id`; :func:`uncertainty` (:class:`Uncertainty`) summarises one deal for the
report, the brief and the widgets.

References
----------
Saltelli, A., Ratto, M., Andres, T., Campolongo, F., Cariboni, J., Gatelli, D., Saisana, M.,
& Tarantola, S. (2008). *Global Sensitivity Analysis: The Primer*. Wiley.
Herman, J., & Usher, W. (2017). SALib: An open-source Python library for sensitivity
analysis. *Journal of Open Source Software* 2(9), 97.
"""
from .model import EXACT_MAX, NASH_MAX, POSTURES, DealModel, package_id, posture_of
from .ranges import DEFAULT_SPREADS, draw, from_unit, input_ranges
from .sensitivity import sensitivity
from .simulate import Flip, intervals, probability, simulate, what_would_flip
from .summary import DEFAULT_DRAWS, DEFAULT_SOBOL_N, Uncertainty, uncertainty

__all__ = ["DEFAULT_DRAWS", "DEFAULT_SOBOL_N", "Uncertainty", "uncertainty", "DEFAULT_SPREADS", "EXACT_MAX", "NASH_MAX", "POSTURES", "DealModel", "Flip",
           "draw", "from_unit", "input_ranges", "intervals", "package_id", "posture_of",
           "probability", "sensitivity", "simulate", "what_would_flip"]
