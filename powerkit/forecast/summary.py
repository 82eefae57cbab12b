"""Walkthrough 6 in one call: ``forecast(deal)`` returns everything the report section and the
notebook read — the positions table, every model's forecast side by side, the expected-utility
rounds, the exchanges, the positions after influence, the sensitivities and the levers (whom to
move on which issue). docs/methods/forecast.md §8.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .bdm import BDMResult, expected_utility_model
from .compare import compare_models, our_actors, our_positions
from .compromise import condorcet_winner, weighted_mean, weighted_median
from .exchange import ExchangeResult, exchange_model
from .network import network_positions
from .sensitivity import sensitivity
from .table import issues_of, positions_table

__all__ = ["Forecast", "forecast", "levers", "NOTES"]

#: the choices :func:`forecast` makes, shown with the result
NOTES = (
    "capability 'voting_power' is the actor's vote weight in the deciding body "
    "(stakeholders.vote_weight); a blank capability counts 1",
    "our position: our party's row, else our stakeholders' positions weighted by "
    "capability × salience",
    "the levers rank actors not on our side by how far the compromise (weighted mean) would "
    "move our way, as a share of the issue's range of positions, if they took our position",
    "network positions: stakeholders move by Friedkin–Johnsen on the influence matrix among "
    "those who hold a position on the issue; parties keep theirs",
)


@dataclass
class Forecast:
    """What :func:`forecast` returns; the report section and walkthrough 6 read only this.

    Attributes
    ----------
    table : pandas.DataFrame
        The positions table (capabilities resolved to numbers).
    compare : pandas.DataFrame
        :func:`~powerkit.forecast.compare.compare_models`: per issue, every model's forecast,
        ``low``/``high``, ``ours``, ``scale_low``/``scale_high``.
    mean, median, condorcet : pandas.DataFrame
        The compromise models' own frames (weights, winners, cycles).
    bdm : BDMResult
        The expected-utility model: rounds, risk exponents, moves, oscillation flags.
    exchange : ExchangeResult
        Stokman's exchanges and the positions after them.
    network : pandas.DataFrame or None
        Positions after influence (``initial``, ``position``, ``moved``); None when the deal has
        no ties.
    sensitivity : pandas.DataFrame
        Per actor × issue, for the compromise model, towards our position
        (:func:`~powerkit.forecast.sensitivity.sensitivity`).
    sensitivity_median : pandas.DataFrame
        The same for the weighted median.
    levers : pandas.DataFrame
        Per issue, the actor to move (see :func:`levers`), best first.
    ours : pandas.Series
        Our position per issue (NaN where we hold none).
    notes : tuple of str
        The choices made (:data:`NOTES`).
    """

    table: pd.DataFrame
    compare: pd.DataFrame
    mean: pd.DataFrame
    median: pd.DataFrame
    condorcet: pd.DataFrame
    bdm: BDMResult
    exchange: ExchangeResult
    network: pd.DataFrame | None
    sensitivity: pd.DataFrame
    sensitivity_median: pd.DataFrame
    levers: pd.DataFrame
    ours: pd.Series
    notes: tuple = field(default=NOTES)

    @property
    def issues(self) -> list[str]:
        """The issues, in the order of the positions table."""
        return list(self.compare.index)

    @property
    def best_lever(self) -> pd.Series | None:
        """The single move that gains us most (the first row of :attr:`levers`), or None."""
        return None if self.levers.empty else self.levers.iloc[0]


def levers(table, ours: pd.Series, exclude=()) -> pd.DataFrame:
    """Whom to move on each issue: the actor (not on our side) whose taking our position would
    move the compromise furthest our way.

    If actor i moved from xᵢ to our position o, the weighted mean F would move by
    wᵢ(o − xᵢ)/W (wᵢ = cᵢsᵢ, W = Σ w); ``shift_if_ours`` is that move counted positive towards
    o, and ``share_of_range`` divides it by the issue's range of positions (high − low), so
    issues on different scales compare. ``to_shift_one`` = W/wᵢ is how far i must move to shift
    F one unit. Issues where we hold no position, or where nobody's move helps, are left out.

    Parameters
    ----------
    table : pandas.DataFrame
        The positions table.
    ours : pandas.Series
        Our position per issue.
    exclude : iterable of str
        Actors not to list (our own side).

    Returns
    -------
    pandas.DataFrame
        Indexed by issue, sorted by ``share_of_range`` (largest first): ``actor``, ``position``,
        ``ours``, ``mean``, ``gap`` (o − F), ``d_position``, ``to_shift_one``,
        ``shift_if_ours``, ``share_of_range``.

    Examples
    --------
    Weights 1 at 0 (us), 1 at 6 and 2 at 10: F = 26/4 = 6.5. If b (at 6) took our 0, F would
    move 6/4 = 1.5 our way; c (at 10): 2·10/4 = 5 — c is the lever, 5/10 of the range.

    >>> t = pd.DataFrame({"actor": ["us", "b", "c"], "issue": "x", "position": [0.0, 6, 10],
    ...                   "salience": 1.0, "capability": [1.0, 1, 2]})
    >>> r = levers(t, pd.Series({"x": 0.0}), exclude={"us"}).loc["x"]
    >>> r.actor, float(r.shift_if_ours), float(r.share_of_range)
    ('c', 5.0, 0.5)
    """
    s = sensitivity(table, "mean", ours=ours)
    exclude = set(exclude)
    rows = []
    for issue, g in s.groupby("issue", sort=False):
        o = ours.get(issue, np.nan)
        if not np.isfinite(o):
            continue
        F = float(g["forecast"].iloc[0])
        x = g["position"].to_numpy()
        span = float(x.max() - x.min())
        toward = np.sign(o - F) if o != F else 0.0
        g = g[~g["actor"].isin(exclude)]
        if g.empty or toward == 0.0:
            continue
        shift = g["d_position"].to_numpy() * (o - g["position"].to_numpy()) * toward
        k = int(np.argmax(shift))
        if shift[k] <= 0:
            continue
        r = g.iloc[k]
        rows.append({"issue": issue, "actor": r["actor"], "position": float(r["position"]),
                     "ours": float(o), "mean": F, "gap": float(o - F),
                     "d_position": float(r["d_position"]),
                     "to_shift_one": float(r["to_shift_one"]), "shift_if_ours": float(shift[k]),
                     "share_of_range": float(shift[k] / span) if span > 0 else np.nan})
    cols = ["actor", "position", "ours", "mean", "gap", "d_position", "to_shift_one",
            "shift_if_ours", "share_of_range"]
    if not rows:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="issue"))
    out = pd.DataFrame(rows).set_index("issue")[cols]
    return out.sort_values("share_of_range", ascending=False, kind="stable")


def forecast(deal, rounds: int = 10, kinds=None) -> Forecast:
    """Walkthrough 6 on a deal: where the decision lands on each issue and how to move it.

    Parameters
    ----------
    deal : powerkit.Deal
        A deal with a ``positions`` table.
    rounds : int, default 10
        Rounds of the expected-utility model.
    kinds : str, list of str or None
        Tie kinds for the network positions (None: all).

    Returns
    -------
    Forecast

    Raises
    ------
    MissingTableError
        If the deal has no ``positions`` table.

    Examples
    --------
    >>> from powerkit.deal import load_deal
    >>> from powerkit.paths import sample_deal
    >>> f = forecast(load_deal(sample_deal("harbour-council")))
    >>> len(f.issues), f.network is not None, bool(f.compare["ours"].notna().all())
    (5, True, True)

    References
    ----------
    Thomson, R., Stokman, F. N., Achen, C. H. & König, T. (eds.) (2006). *The European Union
    Decides*. Cambridge University Press.
    """
    t = positions_table(deal)
    bdm = expected_utility_model(t, rounds=rounds)
    ex = exchange_model(t)
    net = None
    if deal.has("ties"):
        moved = network_positions(deal, t, kinds=kinds)
        net = moved if moved.attrs.get("ties") else None
    compare = compare_models(t, deal, rounds=rounds, bdm=bdm, exchange=ex, network=net)
    if net is None and "network_mean" in compare:
        compare = compare.drop(columns="network_mean")
    ours = our_positions(t, deal).reindex(issues_of(t))
    return Forecast(
        table=t, compare=compare, mean=weighted_mean(t), median=weighted_median(t),
        condorcet=condorcet_winner(t), bdm=bdm, exchange=ex, network=net,
        sensitivity=sensitivity(t, "mean", ours=ours),
        sensitivity_median=sensitivity(t, "median", ours=ours),
        levers=levers(t, ours, exclude=our_actors(deal)), ours=ours)
