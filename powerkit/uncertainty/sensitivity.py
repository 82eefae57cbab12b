"""Global sensitivity of the balance and the predicted price: Sobol first-order and total
indices computed with SALib (docs/methods/uncertainty.md §4)."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .model import DealModel
from .ranges import PEOPLE_RATINGS, from_unit, input_ranges

__all__ = ["sensitivity", "sobol_indices"]


def _group(row) -> str:
    """The group of an input: each party input and source weight alone; the counterpart's
    people's ratings of one column together (one factor per column)."""
    if row["table"] == "stakeholders" and row["column"] in PEOPLE_RATINGS:
        return f"stakeholders:*:{row['column']}"
    return row["name"]


def sobol_indices(names, groups, func, n: int, seed: int = 0,
                  quantities=("y",)) -> pd.DataFrame:
    """Sobol indices of ``func`` (unit cube → one array per quantity) with SALib.

    ``names``: one per column of the unit cube; ``groups``: the factor of each column (SALib
    ``groups``: columns of a group move together in the Saltelli design). ``func(U)`` gets the
    ``(N·(G + 2), len(names))`` sample and returns a dict quantity → values. Quantities with
    NaN values get NaN indices.
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": len(names), "names": list(names),
               "bounds": [[0.0, 1.0]] * len(names), "groups": list(groups)}
    U = sobol_sample.sample(problem, int(n), calc_second_order=False, seed=seed)
    Y = func(U)
    factors = list(dict.fromkeys(groups))
    rows = []
    for q in quantities:
        y = np.asarray(Y[q], dtype=float)
        if not np.isfinite(y).all() or np.ptp(y) == 0:
            res = {k: np.full(len(factors), np.nan if not np.isfinite(y).all() else 0.0)
                   for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        for f, s1, c1, st, ct in zip(factors, res["S1"], res["S1_conf"], res["ST"],
                                     res["ST_conf"], strict=True):
            rows.append({"quantity": q, "input": f, "S1": float(s1), "S1_conf": float(c1),
                         "ST": float(st), "ST_conf": float(ct)})
    return pd.DataFrame(rows, columns=["quantity", "input", "S1", "S1_conf", "ST", "ST_conf"])


def sensitivity(deal, n: int = 1024, seed: int = 0, spread: float = 1.0,
                spreads: Mapping | None = None, *, model: DealModel | None = None
                ) -> pd.DataFrame:
    """Sobol first-order (S1) and total (ST) indices of ``balance`` and ``predicted_price``.

    The factors are the uncertain inputs of the balance and the price
    (:func:`powerkit.uncertainty.input_ranges`): us and the counterpart's party ratings, the
    reservation prices and BATNA values, the counterpart's people's trust and frame-fit ratings
    (one factor per column: every person's rating of that column moves together in the
    design) and the three source weights. SALib draws the Saltelli/Sobol' design on the unit
    cube (``SALib.sample.sobol.sample``, ``n·(k + 2)`` points for k factors), each column is
    read through its input's inverse CDF (:func:`powerkit.uncertainty.from_unit`; the source
    weights as the independent Gammas of their Dirichlet, normalised), the vectorised model is
    evaluated once on all points, and ``SALib.analyze.sobol.analyze`` gives the indices with
    bootstrap 95 % confidence half-widths (Jansen 1999 / Saltelli et al. 2010 estimators).

    Parameters
    ----------
    deal : powerkit.Deal
    n : int
        Base sample size (a power of 2 for the Sobol' sequence).
    seed : int
    spread, spreads
        The ranges (see :func:`powerkit.uncertainty.input_ranges`).

    Returns
    -------
    DataFrame
        ``quantity, input, S1, S1_conf, ST, ST_conf``, sorted by quantity then ST. The
        price's indices are NaN when some design points leave no zone of agreement.

    References
    ----------
    Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical models and
    their Monte Carlo estimates. *Mathematics and Computers in Simulation* 55, 271–280.
    Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., & Tarantola, S. (2010).
    Variance based sensitivity analysis of model output. *Computer Physics Communications*
    181(2), 259–270.
    Jansen, M. J. W. (1999). Analysis of variance designs for model output. *Computer Physics
    Communications* 117, 35–43.
    Herman, J., & Usher, W. (2017). SALib: An open-source Python library for sensitivity
    analysis. *Journal of Open Source Software* 2(9), 97.
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
        raise bad_argument("n", "sensitivity", "an int >= 2 (a power of 2)", n)
    if model is None:  # ``model``: one built by the caller for these ranges (people=0)
        model = DealModel(deal, input_ranges(deal, spread, spreads), people=0)
    params = model.params
    used = params[(params["dist"] != "fixed")
                  & (params["table"].isin(["parties", "weights"])
                     | ((params["table"] == "stakeholders")
                        & params["column"].isin(PEOPLE_RATINGS)))]
    if not len(used):
        return pd.DataFrame(columns=["quantity", "input", "S1", "S1_conf", "ST", "ST_conf"])
    cols = used.index.to_numpy()
    groups = [_group(r) for _, r in used.iterrows()]

    sub = params.loc[cols].reset_index(drop=True)
    x0 = params["value"].to_numpy(dtype=float)

    def func(Us):
        X = np.broadcast_to(x0, (len(Us), len(x0))).copy()
        X[:, cols] = from_unit(sub, Us)
        return {"balance": model.balance(X), "predicted_price": model.price(X)[0]}

    out = sobol_indices(used["name"].tolist(), groups, func, n, seed,
                        quantities=("balance", "predicted_price"))
    out["_q"] = out["quantity"].map({"balance": 0, "predicted_price": 1})
    out = out.sort_values(["_q", "ST"], ascending=[True, False], kind="stable")
    return out.drop(columns="_q").reset_index(drop=True)
