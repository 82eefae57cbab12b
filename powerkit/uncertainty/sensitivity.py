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


def saltelli_sample(groups, n: int, seed: int = 0) -> np.ndarray:
    """The Saltelli design of ``SALib.sample.sobol.sample`` (first order, scrambled Sobol'
    base sequence), built with numpy instead of SALib's per-cell Python loop:
    ``(n·(G + 2), D)`` points of the unit cube, for each base point the rows A, A_B^(1..G)
    (A with the columns of group g taken from B), B; ``groups`` names the group of each of
    the D columns (G distinct names, in order of first appearance). Equal to SALib's sample
    for the same seed (tests/test_scale_uncertainty.py)."""
    from scipy.stats import qmc

    groups = list(groups)
    D = len(groups)
    names = list(dict.fromkeys(groups))
    base = qmc.Sobol(d=2 * D, scramble=True, seed=seed).random(int(n))
    A, B = base[:, :D], base[:, D:]
    member = np.array([[g == k for g in groups] for k in names], dtype=bool)  # G × D
    out = np.empty((len(base), len(names) + 2, D))
    out[:, 0] = A
    out[:, 1:-1] = np.where(member[None, :, :], B[:, None, :], A[:, None, :])
    out[:, -1] = B
    return out.reshape(-1, D)


def sobol_indices(names, groups, func, n: int, seed: int = 0,
                  quantities=("y",)) -> pd.DataFrame:
    """Sobol indices of ``func`` (unit cube → one array per quantity) with SALib.

    ``names``: one per column of the unit cube; ``groups``: the factor of each column (SALib
    ``groups``: columns of a group move together in the Saltelli design). ``func(U)`` gets the
    ``(N·(G + 2), len(names))`` sample (:func:`saltelli_sample`, SALib's design) and returns a
    dict quantity → values; ``SALib.analyze.sobol.analyze`` gives the indices. Quantities with
    NaN values get NaN indices.
    """
    from SALib.analyze import sobol as sobol_analyze

    problem = {"num_vars": len(names), "names": list(names),
               "bounds": [[0.0, 1.0]] * len(names), "groups": list(groups)}
    U = saltelli_sample(groups, int(n), seed=seed)
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


class _Columns:
    """Rows equal to ``x0`` except in the columns given whole (``cols``: input → values), read
    one column at a time (``X[:, k]``) as :meth:`DealModel.balance` (trust means given) and
    :meth:`DealModel.price` read them: no row stores every input of a large deal."""

    def __init__(self, x0: np.ndarray, n: int, cols: dict):
        self.x0, self.n, self.cols = x0, n, cols

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, key):
        rows, k = key
        if not (isinstance(rows, slice) and rows == slice(None)) or np.ndim(k) != 0:
            raise TypeError("_Columns is read one whole column at a time: X[:, k]")
        k = int(k)
        return self.cols[k] if k in self.cols else np.full(self.n, self.x0[k])


#: draws of a column's say-weighted mean behind its quantile function (Sobol factor)
MEAN_DRAWS = 1 << 13


def _mean_quantiles(params: pd.DataFrame, forms: list, seed: int) -> list:
    """The quantile function (of u ∈ (0, 1)) of each say-weighted mean ``Σ_j w_j x_j`` of a
    column of people's ratings (``forms``: (param rows, weights) per column; independent
    inputs as :func:`powerkit.uncertainty.draw` draws them). One drawn person: exact
    (``c + w_j F_j⁻¹(u)``). Otherwise the quantiles of :data:`MEAN_DRAWS` draws of the mean,
    interpolated (every column's people drawn together); a column of more than
    :data:`EXACT_MAX` people draws its light people's part as the normal with its exact mean
    and variance, its heavy people one by one
    (:func:`powerkit.uncertainty.aggregate.split_forms`)."""
    from .aggregate import split_forms
    from .model import EXACT_MAX
    from .ranges import draw, moments

    out: list = [None] * len(forms)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 18, 9]))
    p = (np.arange(MEAN_DRAWS) + 0.5) / MEAN_DRAWS

    def interp(m):
        m = np.sort(m)
        return lambda u: np.interp(u, p, m)

    small = []
    for g, (idx, sw) in enumerate(forms):
        sub = params.iloc[idx].reset_index(drop=True)
        drawn = np.flatnonzero(sub["dist"].to_numpy() != "fixed")
        v = sub["value"].to_numpy(dtype=float)
        if drawn.size <= 1:
            j = int(drawn[0]) if drawn.size else None
            const = float(v @ sw) - (v[j] * sw[j] if j is not None else 0.0)
            one = sub.iloc[[j]].reset_index(drop=True) if j is not None else None
            out[g] = (lambda u, c=const: np.full(len(u), c)) if j is None else (
                lambda u, c=const, w=sw[j], one=one: c + w * from_unit(
                    one, np.asarray(u, dtype=float)[:, None])[:, 0])
        elif len(idx) <= EXACT_MAX:
            small.append(g)
        else:
            mean, var, abs3 = moments(sub)
            f = split_forms(sw[None, :], mean, var, abs3)
            m = (draw(sub.iloc[f.heavy].reset_index(drop=True), rng, MEAN_DRAWS) @ sw[f.heavy]
                 + f.mean[0] + rng.standard_normal(MEAN_DRAWS) * f.factor[0, 0])
            out[g] = interp(m)
    if small:
        rows = np.concatenate([forms[g][0] for g in small])
        X = draw(params.iloc[rows].reset_index(drop=True), rng, MEAN_DRAWS)
        at = 0
        for g in small:
            idx, sw = forms[g]
            out[g] = interp(X[:, at:at + len(idx)] @ sw)
            at += len(idx)
    return out


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
        model = DealModel(deal, input_ranges(deal, spread, spreads), people=0,
                          extras=())  # the indices read the balance and the price only
    params = model.params
    direct = params[(params["dist"] != "fixed") & params["table"].isin(["parties", "weights"])]
    people = params[(params["dist"] != "fixed") & (params["table"] == "stakeholders")
                    & params["column"].isin(PEOPLE_RATINGS)]
    if not len(direct) and not len(people):
        return pd.DataFrame(columns=["quantity", "input", "S1", "S1_conf", "ST", "ST_conf"])
    # the factors in the order of the inputs: each direct input, and one per column of
    # people's ratings (its say-weighted mean, the only way those ratings enter the balance)
    both = pd.concat([direct, people]).sort_index()
    per = (both["table"] == "stakeholders") & both["column"].isin(PEOPLE_RATINGS)
    first = dict.fromkeys(np.where(per, "stakeholders:*:" + both["column"].astype(str),
                                   both["name"].astype(str)).tolist())
    factors = list(first)
    trust_of = {c: t for t, c in enumerate(_trust_columns(model))}
    sub = params.loc[direct.index].reset_index(drop=True)
    dpos = [factors.index(n) for n in direct["name"]]
    x0 = params["value"].to_numpy(dtype=float)
    T0 = model.trust_means(x0[None, :])[0]
    # factor position → (trust entry, quantile function of the column's mean)
    cols = [(factors.index(f"stakeholders:*:{c}"), t) for c, t in trust_of.items()
            if f"stakeholders:*:{c}" in first]
    qs = _mean_quantiles(params, [model.trust[t][1:] for _, t in cols], seed)
    gq = {f: (t, q) for (f, t), q in zip(cols, qs, strict=True)}

    def func(Us):
        Xd = from_unit(sub, Us[:, dpos]) if len(dpos) else np.empty((len(Us), 0))
        X = _Columns(x0, len(Us), {int(k): Xd[:, a] for a, k in enumerate(direct.index)})
        trust = np.broadcast_to(T0, (len(Us), len(T0))).copy()
        for f, (t, q) in gq.items():
            trust[:, t] = q(Us[:, f])
        return {"balance": model.balance(X, trust=trust), "predicted_price": model.price(X)[0]}

    out = sobol_indices(factors, factors, func, n, seed,
                        quantities=("balance", "predicted_price"))
    out["_q"] = out["quantity"].map({"balance": 0, "predicted_price": 1})
    out = out.sort_values(["_q", "ST"], ascending=[True, False], kind="stable")
    return out.drop(columns="_q").reset_index(drop=True)


def _trust_columns(model) -> list[str]:
    """The column of people's ratings behind each entry of ``model.trust``."""
    from ..power import INPUTS

    names = list(INPUTS)
    return [names[i] for i, _, _ in model.trust]
