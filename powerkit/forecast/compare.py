"""Every model's forecast side by side, issue by issue, against our position and the range of
positions. docs/methods/forecast.md §6.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .bdm import expected_utility_model
from .compromise import condorcet_winner, weighted_mean, weighted_median
from .exchange import exchange_model
from .network import network_positions
from .table import check_table, issues_of

__all__ = ["MODEL_COLUMNS", "our_actors", "our_positions", "scale_ends", "compare_models"]

#: the model columns of :func:`compare_models`, in the order they are shown
MODEL_COLUMNS = ("mean", "median", "condorcet", "bdm", "exchange", "network_mean")


def our_actors(deal) -> set[str]:
    """The actor ids on our side: our party and its stakeholders.

    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> sorted(our_actors(load_deal(sample_deal("harbour-council"))))[:2]
    ['tidewater', 'tw_bid_dir']
    """
    st = deal.stakeholders
    ours = {str(s) for s, p in zip(st.index, st["party"], strict=True) if str(p) == str(deal.us)}
    return ours | {str(deal.us)}


def our_positions(table, deal) -> pd.Series:
    """Our position on each issue: the row of our party when it has one, else the mean of our
    stakeholders' positions weighted by capability × salience (a plain mean when those weights
    are all 0); NaN on issues where nobody of ours holds a position.

    Examples
    --------
    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> from powerkit.forecast.table import positions_table
    >>> d = load_deal(sample_deal("harbour-council"))
    >>> float(our_positions(positions_table(d), d).iloc[0])
    40.0
    """
    t = check_table(table, "our_positions")
    mine = our_actors(deal)
    out = {}
    for issue in issues_of(t):
        g = t[(t["issue"] == issue) & t["actor"].isin(mine)]
        party = g[g["actor"] == str(deal.us)]
        if len(party):
            out[issue] = float(party["position"].iloc[0])
        elif len(g):
            w = (g["capability"] * g["salience"]).to_numpy()
            x = g["position"].to_numpy()
            out[issue] = float(np.dot(w, x) / w.sum()) if w.sum() > 0 else float(x.mean())
        else:
            out[issue] = float("nan")
    return pd.Series(out, name="ours", dtype=float).rename_axis("issue")


def scale_ends(table) -> pd.DataFrame:
    """``scale_low`` and ``scale_high`` per issue: the first non-blank text of each (the deal's
    validation allows one per issue), None when blank.

    >>> t = pd.DataFrame({"actor": ["a", "b"], "issue": "x", "position": [0, 1],
    ...                   "salience": 1.0, "capability": 1.0, "scale_low": [None, "none"]})
    >>> scale_ends(t).loc["x"].tolist()
    ['none', None]
    """
    t = check_table(table, "scale_ends")
    rows = {}
    for issue in issues_of(t):
        g = t[t["issue"] == issue]
        rows[issue] = [next((v for v in g[c] if isinstance(v, str)), None)
                       for c in ("scale_low", "scale_high")]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["scale_low", "scale_high"],
                                 dtype=object)
    return out.rename_axis("issue")


def compare_models(table, deal=None, rounds: int = 10, bdm=None, exchange=None,
                   network=None) -> pd.DataFrame:
    """Each model's forecast per issue, with the range of positions and our position.

    Parameters
    ----------
    table : pandas.DataFrame
        The positions table.
    deal : powerkit.Deal, optional
        Gives our position (``ours``: see :func:`our_positions`) and, when it has ties, the
        column ``network_mean`` (the compromise after influence, :func:`network_positions`).
    rounds : int, default 10
        Rounds of the expected-utility model.
    bdm, exchange : optional
        Results of :func:`~powerkit.forecast.bdm.expected_utility_model` and
        :func:`~powerkit.forecast.exchange.exchange_model` already computed on this table
        (:func:`~powerkit.forecast.summary.forecast` passes them so nothing runs twice).
    network : pandas.DataFrame, optional
        :func:`network_positions` already computed for the deal (e.g. with chosen tie kinds).

    Returns
    -------
    pandas.DataFrame
        Indexed by issue: ``mean`` (compromise model), ``median`` (weighted median),
        ``condorcet`` (NaN when there is no Condorcet winner), ``bdm`` (expected-utility model
        after ``rounds`` rounds), ``exchange`` (compromise after Stokman's exchanges),
        ``network_mean`` (only with a deal that has ties), ``low`` and ``high`` (range of the
        positions), ``ours`` (NaN without a deal), ``scale_low`` and ``scale_high``.

    Examples
    --------
    >>> from powerkit.deal.forecast_reference import load_eu_emissions
    >>> c = compare_models(load_eu_emissions())
    >>> c[["mean", "median", "condorcet", "low", "high"]].round(3).iloc[0].tolist()
    [7.39, 7.0, 7.0, 4.0, 10.0]
    """
    t = check_table(table, "compare_models")
    idx = issues_of(t)
    bdm = expected_utility_model(t, rounds=rounds) if bdm is None else bdm
    exchange = exchange_model(t) if exchange is None else exchange
    out = pd.DataFrame(index=idx)
    out["mean"] = weighted_mean(t)["forecast"]
    out["median"] = weighted_median(t)["forecast"]
    out["condorcet"] = condorcet_winner(t)["forecast"]
    out["bdm"] = bdm.forecast["forecast"].reindex(idx).astype(float)
    out["exchange"] = exchange.forecast["forecast"].reindex(idx).astype(float)
    if network is not None or (deal is not None and deal.has("ties")):
        moved = network_positions(deal, t) if network is None else network
        if moved.attrs.get("ties", True):
            out["network_mean"] = weighted_mean(moved)["forecast"]
    g = t.groupby("issue", sort=False)["position"]
    out["low"] = g.min()
    out["high"] = g.max()
    out["ours"] = (our_positions(t, deal).reindex(idx) if deal is not None
                   else pd.Series(np.nan, index=idx))
    ends = scale_ends(t)
    out["scale_low"] = ends["scale_low"]
    out["scale_high"] = ends["scale_high"]
    return out
