"""Value left on the table: is a proposed package efficient, and what is better for both?

(docs/methods/value.md §4.)
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import bad_argument, finite_pair
from .frontier import given_frontier
from .utilities import OptionSpace, option_space, package_choice

__all__ = ["PackageEvaluation", "evaluate_package"]


@dataclass(frozen=True)
class PackageEvaluation:
    """How good a proposed package is, and what could be better for both.

    ``gap_us``: how much more we could get while they keep at least their utility
    (``max{U_f : T_f ≥ T_p} − U_p`` over the frontier); ``gap_them`` the same for them;
    ``joint_gain``: the largest ``ΔU + ΔT`` among the improvement packages.
    ``improvements``: the efficient packages at least as good for both (with gains
    ``d_us, d_them``), sorted by joint gain.
    """

    package: dict
    us: float
    them: float
    dominated: bool
    in_zopa: bool
    gap_us: float
    gap_them: float
    joint_gain: float
    improvements: pd.DataFrame
    disagreement: tuple

    @property
    def inputs(self) -> dict:
        return {"package": self.package, "disagreement": self.disagreement}


def evaluate_package(options: pd.DataFrame, package, disagreement=(0.0, 0.0),
                     frontier=None) -> PackageEvaluation:
    """Is a proposed package efficient, and how much value does it leave on the table?

    Parameters
    ----------
    options : DataFrame
    package : mapping issue -> option
    disagreement : (float, float)
        Each side's BATNA in utility units (for ``in_zopa``).
    frontier : DataFrame, optional

    Returns
    -------
    PackageEvaluation

    Examples
    --------
    Each side takes the other's priority: both lose against the logroll.

    >>> o = pd.DataFrame({"issue": ["a", "a", "b", "b"], "option": ["mine", "yours"] * 2,
    ...                   "us": [0.7, 0.0, 0.3, 0.0], "them": [0.0, 0.2, 0.0, 0.8]})
    >>> e = evaluate_package(o, {"a": "yours", "b": "mine"})
    >>> e.dominated, round(e.us, 2), round(e.them, 2), round(e.gap_us, 2), round(e.joint_gain, 2)
    (True, 0.3, 0.2, 0.4, 1.0)
    """
    func = "evaluate_package"
    space = option_space(options, func)
    d = finite_pair(disagreement, "disagreement", func)
    f = given_frontier(options, frontier, func)
    return evaluation_of(space, package, d, f, func)


def package_point(space: OptionSpace, package, func: str) -> tuple[dict, float, float]:
    """One package (mapping issue -> option) of a parsed options table: the package with its
    option names as stored, each side's utility (summed in issue order, as
    :func:`~powerkit.value.utilities.packages_frame` sums)."""
    if isinstance(package, Mapping) and all(i in package for i in space.issues):
        # package_choice without its one-row DataFrame (the same positions and errors)
        choice = []
        for i, issue in enumerate(space.issues):
            try:
                choice.append(space.options[i].index(package[issue]))
            except ValueError:
                raise bad_argument("package", func, f"an option of {issue!r}: "
                                   f"{', '.join(map(str, space.options[i]))}",
                                   package[issue]) from None
    else:
        choice = package_choice(space, package, func)[0]
    up = tp = 0.0
    for i in range(len(space.issues)):
        up = up + space.us[i][choice[i]]
        tp = tp + space.them[i][choice[i]]
    return ({issue: space.options[i][choice[i]] for i, issue in enumerate(space.issues)},
            float(up), float(tp))


def dominated_by(fu: np.ndarray, ft: np.ndarray, up: float, tp: float) -> bool:
    """Whether a frontier point (``fu``, ``ft``) beats (``up``, ``tp``) within
    :func:`evaluate_package`'s tolerance (its ``dominated``)."""
    scale = max(1.0, float(np.abs(fu).max()), float(np.abs(ft).max()))
    tol = 1e-9 * scale
    ge = (fu >= up - tol) & (ft >= tp - tol)
    return bool((ge & ((fu > up + tol) | (ft > tp + tol))).any())


def evaluation_of(space: OptionSpace, package, d: tuple, f: pd.DataFrame,
                  func: str = "evaluate_package") -> PackageEvaluation:
    """:func:`evaluate_package` of a parsed options table, a checked disagreement point ``d``
    and its frontier ``f`` (what :func:`powerkit.value.what_if` calls)."""
    pkg, up, tp = package_point(space, package, func)
    fu, ft = f["us"].to_numpy(), f["them"].to_numpy()
    scale = max(1.0, float(np.abs(fu).max()), float(np.abs(ft).max()))
    tol = 1e-9 * scale
    ge = (fu >= up - tol) & (ft >= tp - tol)
    better = ge & ((fu > up + tol) | (ft > tp + tol))
    imp = f[ge].copy()
    imp["d_us"] = imp["us"] - up
    imp["d_them"] = imp["them"] - tp
    imp = imp[better[ge]].assign(_j=lambda x: x["d_us"] + x["d_them"])
    imp = imp.sort_values("_j", ascending=False, kind="stable").drop(columns="_j")
    gap_us = float(fu[ft >= tp - tol].max() - up) if (ft >= tp - tol).any() else 0.0
    gap_them = float(ft[fu >= up - tol].max() - tp) if (fu >= up - tol).any() else 0.0
    joint = float((imp["d_us"] + imp["d_them"]).max()) if len(imp) else 0.0
    return PackageEvaluation(package=pkg, us=up, them=tp,
                             dominated=bool(better.any()), in_zopa=bool(up > d[0] and tp > d[1]),
                             gap_us=max(gap_us, 0.0), gap_them=max(gap_them, 0.0),
                             joint_gain=joint, improvements=imp.reset_index(drop=True),
                             disagreement=d)
