"""Where a decision lands without bargaining dynamics: the compromise model (the weighted mean),
the weighted median and the Condorcet winner, issue by issue.

Each function takes a positions table (:func:`~powerkit.forecast.table.check_table`'s shape)
and returns a frame indexed by issue (in the order the issues first appear) with the float
column ``forecast``. Formulas, tie rules and references: docs/methods/forecast.md §2–§4.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .table import check_table, weights

__all__ = ["weighted_mean", "weighted_median", "condorcet_winner", "pairwise_votes",
           "majority_cycle", "TIE_TOL"]

#: relative tolerance below which two weights or two distances count as equal (so rounding of
#: floats never decides a median, a vote or a tie of distance)
TIE_TOL = 1e-12


def _groups(table: pd.DataFrame):
    """(issue, positions, weights, actors) per issue, in the order the issues first appear."""
    w = weights(table).to_numpy()
    x = table["position"].to_numpy()
    a = table["actor"].to_numpy()
    codes, uniques = pd.factorize(table["issue"], sort=False)
    for k, issue in enumerate(uniques):
        m = codes == k
        yield issue, x[m], w[m], a[m]


def _frame(rows: dict, columns: list[str]) -> pd.DataFrame:
    """One row per issue (the dict's order), values kept as given (tuples stay tuples)."""
    out = pd.DataFrame({c: pd.Series([r[i] for r in rows.values()], dtype=object)
                        for i, c in enumerate(columns)})
    out.index = pd.Index(list(rows), name="issue")
    for c in columns:
        if c in ("forecast",) or c.startswith("weight"):
            out[c] = out[c].astype(float)
    return out


def weighted_mean(table) -> pd.DataFrame:
    """The compromise model: Σᵢ cᵢsᵢxᵢ / Σᵢ cᵢsᵢ on each issue.

    Each actor pulls the outcome towards its position with the weight of its capability times
    its salience. It is the position that minimises the weighted sum of squared distances, a
    computationally simple variant of the Nash bargaining solution, and forecasts EU legislative
    outcomes better than the procedural models (Thomson et al. 2006; Leinaweaver & Thomson 2014).

    Parameters
    ----------
    table : pandas.DataFrame
        The positions table (checked with :func:`~powerkit.forecast.table.check_table`).

    Returns
    -------
    pandas.DataFrame
        Indexed by issue: ``forecast`` and ``weight_total`` (Σ cᵢsᵢ).

    Examples
    --------
    Two actors: a (c = 1, s = 1) at 0 and b (c = 2, s = 0.5) at 10: weights 1 and 1, so the
    compromise is (1·0 + 1·10) / 2 = 5.

    >>> t = pd.DataFrame({"actor": ["a", "b"], "issue": "x", "position": [0, 10],
    ...                   "salience": [1.0, 0.5], "capability": [1, 2]})
    >>> weighted_mean(t).to_dict("index")
    {'x': {'forecast': 5.0, 'weight_total': 2.0}}

    References
    ----------
    Thomson, R., Stokman, F. N., Achen, C. H. & König, T. (eds.) (2006). *The European Union
    Decides*. Cambridge University Press (Achen's chapters on bargaining models and their
    evaluation).
    Leinaweaver, J. & Thomson, R. (2014). Testing models of legislative decision-making with
    measurement error: the robust predictive power of bargaining models over procedural models.
    *European Union Politics* 15(1), 43–58.
    """
    t = check_table(table, "weighted_mean")
    rows = {}
    for issue, x, w, _ in _groups(t):
        total = float(w.sum())
        rows[issue] = (float(np.dot(w, x) / total), total)
    return _frame(rows, ["forecast", "weight_total"])


def weighted_median(table) -> pd.DataFrame:
    """The weighted median: the position at which the cumulative cᵢsᵢ weight, positions sorted
    ascending, first reaches half of the issue's total weight.

    With distance-based (single-peaked) preferences no position beats it in a weighted vote
    (Black 1948). When the weight splits exactly in half this is the lower of the two medians;
    "reaches" allows a relative slack of :data:`TIE_TOL` so float rounding never decides.

    Parameters
    ----------
    table : pandas.DataFrame
        The positions table.

    Returns
    -------
    pandas.DataFrame
        Indexed by issue: ``forecast``, ``weight_total`` and ``weight_below`` (the weight of
        the positions strictly below the median).

    Examples
    --------
    Weights 1 at 0, 1 at 4 and 3 at 10: half of 5 is 2.5; cumulated 1, 2, 5, so the median
    is 10.

    >>> t = pd.DataFrame({"actor": ["a", "b", "c"], "issue": "x", "position": [0, 4, 10],
    ...                   "salience": [1.0, 1.0, 1.0], "capability": [1, 1, 3]})
    >>> float(weighted_median(t).loc["x", "forecast"])
    10.0

    References
    ----------
    Black, D. (1948). On the rationale of group decision-making. *Journal of Political
    Economy* 56(1), 23–34.
    """
    t = check_table(table, "weighted_median")
    rows = {}
    for issue, x, w, _ in _groups(t):
        pos, inv = np.unique(x, return_inverse=True)
        wp = np.bincount(inv, weights=w, minlength=len(pos))
        total = float(wp.sum())
        cum = np.cumsum(wp)
        k = int(np.argmax(cum >= total / 2.0 - TIE_TOL * total))
        rows[issue] = (float(pos[k]), total, float(cum[k] - wp[k]))
    return _frame(rows, ["forecast", "weight_total", "weight_below"])


def pairwise_votes(positions, weights_, candidates=None) -> pd.DataFrame:
    """Weighted votes between every pair of candidate positions.

    ``V[a, b]`` is the weight of the actors strictly closer to candidate a than to candidate b
    (each actor votes for the closer one; an actor as far from both abstains — two distances
    within :data:`TIE_TOL` × the largest |position| count as equal).

    Parameters
    ----------
    positions, weights_ : array-like, length n
        The actors' positions and weights (cᵢsᵢ).
    candidates : array-like, optional
        The positions to vote on; default the distinct positions of the actors, ascending.

    Returns
    -------
    pandas.DataFrame
        Square, indexed and labelled by the candidates.

    Examples
    --------
    Weights 2 at 0, 1 at 5, 2 at 10: between 0 and 10 the actor at 5 abstains.

    >>> pairwise_votes([0, 5, 10], [2, 1, 2]).to_numpy().tolist()
    [[0.0, 2.0, 2.0], [3.0, 0.0, 3.0], [2.0, 2.0, 0.0]]
    """
    x = np.asarray(positions, dtype=float)
    w = np.asarray(weights_, dtype=float)
    cand = np.unique(x) if candidates is None else np.asarray(candidates, dtype=float)
    d = np.abs(x[:, None] - cand[None, :])  # (n, k): distance of actor i to candidate a
    tol = TIE_TOL * max(1.0, float(np.max(np.abs(np.concatenate([x, cand])))))
    closer = d[:, :, None] < d[:, None, :] - tol  # (n, k, k): i strictly prefers a to b
    V = np.einsum("i,iab->ab", w, closer)
    return pd.DataFrame(V, index=pd.Index(cand, name="for"), columns=pd.Index(cand, name="against"))


def majority_cycle(votes) -> tuple | None:
    """A majority cycle in a matrix of pairwise votes: labels each beating the next (more votes
    for than against) and the last beating the first; None when the strict majority relation
    has no cycle.

    Parameters
    ----------
    votes : pandas.DataFrame
        Square; ``votes.loc[a, b]`` = the weight voting for a against b
        (:func:`pairwise_votes`).

    Examples
    --------
    Condorcet's paradox: three voters ranking A > B > C, B > C > A and C > A > B.

    >>> V = pd.DataFrame([[0, 2, 1], [1, 0, 2], [2, 1, 0]], index=list("ABC"),
    ...                  columns=list("ABC"))
    >>> majority_cycle(V)
    ('A', 'B', 'C')
    """
    import networkx as nx

    V = votes.to_numpy(dtype=float)
    tol = TIE_TOL * max(1.0, float(np.abs(V).max()))
    beats = V > V.T + tol
    np.fill_diagonal(beats, False)
    G = nx.DiGraph()
    G.add_nodes_from(range(len(V)))
    G.add_edges_from(zip(*np.nonzero(beats), strict=True))
    try:
        edges = nx.find_cycle(G)
    except nx.NetworkXNoCycle:
        return None
    labels = list(votes.index)
    return tuple(labels[u] for u, _ in edges)


def condorcet_winner(table) -> pd.DataFrame:
    """The Condorcet winner among the actors' positions: the position that beats every other
    position in a pairwise vote weighted by cᵢsᵢ (each actor votes for the closer position).

    An actor as far from both positions abstains. "Beats" is strict: more weight for than
    against (beyond :data:`TIE_TOL` × the issue's total weight). When no position beats all
    others the forecast is NaN and ``cycle`` holds a majority cycle if there is one (there is
    none when preferences are distances on one line, Black 1948; then only exact ties of weight
    prevent a winner and ``weak`` lists the positions that no other position beats).

    Parameters
    ----------
    table : pandas.DataFrame
        The positions table.

    Returns
    -------
    pandas.DataFrame
        Indexed by issue: ``forecast`` (the winning position, NaN when none), ``winner`` (the
        heaviest actor holding it, ties by name; None when none), ``holders`` (every actor
        holding it, sorted), ``cycle`` (None, or a tuple of positions each beating the next
        and the last beating the first) and ``weak`` (tuple of the unbeaten positions).

    Examples
    --------
    Weights 2 at 0, 1 at 5, 2 at 10: 5 beats 0 by 3 to 2 and 10 by 3 to 2.

    >>> t = pd.DataFrame({"actor": ["a", "b", "c"], "issue": "x", "position": [0, 5, 10],
    ...                   "salience": 1.0, "capability": [2, 1, 2]})
    >>> r = condorcet_winner(t).loc["x"]
    >>> float(r.forecast), r.winner, r.cycle
    (5.0, 'b', None)

    References
    ----------
    Condorcet, marquis de (1785). *Essai sur l'application de l'analyse à la probabilité des
    décisions rendues à la pluralité des voix*. Paris: Imprimerie royale.
    Black, D. (1948). On the rationale of group decision-making. *Journal of Political
    Economy* 56(1), 23–34.
    """
    t = check_table(table, "condorcet_winner")
    rows = {}
    for issue, x, w, a in _groups(t):
        V = pairwise_votes(x, w).to_numpy()
        cand = np.unique(x)
        tol = TIE_TOL * float(w.sum())
        beats = V > V.T + tol
        np.fill_diagonal(beats, False)
        k = len(cand)
        wins = beats.sum(axis=1)
        unbeaten = ~beats.any(axis=0)
        weak = tuple(float(c) for c in cand[unbeaten])
        win = np.flatnonzero(wins == k - 1)
        if len(win):
            c = cand[win[0]]
            at = np.abs(x - c) <= TIE_TOL * max(1.0, abs(float(c)))
            holders = sorted(map(str, a[at]))
            order = sorted(zip(-w[at], map(str, a[at]), strict=True))
            rows[issue] = (float(c), order[0][1], tuple(holders), None, weak)
        else:
            cyc = majority_cycle(pd.DataFrame(V, index=[float(c) for c in cand]))
            rows[issue] = (float("nan"), None, (), cyc, weak)
    return _frame(rows, ["forecast", "winner", "holders", "cycle", "weak"])

