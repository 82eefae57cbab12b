"""Cognitive social structures (Krackhardt 1987): every perceiver's view of the whole network,
and the two ways of aggregating the views into one network — locally aggregated structures
(LAS, from the reports of the two people a tie joins) and the consensus structure (CAS, from
the share of all perceivers who report it).

A CSS is held as a long table ``perceiver, source, target[, kind]`` (one row per tie a
perceiver reports: in the perceiver's view *source* listens to / goes to *target*, the
direction of ``ties``). :func:`css_array` turns it into the 0/1 array
``R[perceiver, source, target]`` that the other functions of :mod:`powerkit.perception` use.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError, bad_argument

__all__ = ["CSS", "css_array", "as_css", "las_matrix", "edges_of", "locally_aggregated", "consensus", "consensus_share",
           "RULES"]

#: the locally aggregated structures of Krackhardt (1987): who of the two people a tie
#: joins must report it
RULES = ("intersection", "union", "row", "column")
_COLUMNS = ("perceiver", "source", "target")


@dataclass(frozen=True)
class CSS:
    """A cognitive social structure as an array.

    Attributes
    ----------
    array : numpy.ndarray
        ``R[k, i, j]`` = 1 when perceiver ``perceivers[k]`` reports that ``people[i]`` listens
        to / goes to ``people[j]``; shape (perceivers, people, people); the diagonal is 0.
    people : list of str
        The people of the network (rows and columns).
    perceivers : list of str
        Whose views the array holds (a subset of ``people``, in the order of ``people``).
    kind : str or None
        The tie kind read from the table (None if the table has no ``kind`` column).
    """

    array: np.ndarray
    people: list
    perceivers: list
    kind: str | None

    @property
    def slots(self) -> np.ndarray:
        """Index in ``people`` of each perceiver."""
        pos = {p: i for i, p in enumerate(self.people)}
        return np.array([pos[p] for p in self.perceivers], dtype=int)


def css_array(table, people=None, perceivers=None, kind: str | None = None) -> CSS:
    """The 0/1 array ``R[perceiver, source, target]`` of a long perceived-ties table.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``perceiver, source, target`` and optionally ``kind`` (a deal's
        ``perceived_ties``). Ids are compared as text. Rows with ``source == target`` are
        dropped (no self-ties).
    people : sequence of str, optional
        The people of the network, in the order rows and columns should have; default every id
        of the table in order of first appearance (perceivers first). Needed when someone has
        no tie in anyone's view.
    perceivers : sequence of str, optional
        Whose views count; default everyone who appears as a perceiver in the table. Name a
        perceiver who reported no tie at all here: the long table cannot tell them from
        someone who was not asked.
    kind : str, optional
        Keep the rows of this tie kind. Required when the table holds several kinds.

    Returns
    -------
    CSS

    Raises
    ------
    InputError
        A missing column, several kinds and no ``kind``, an unknown ``kind``, an id that is not
        among ``people``, or a perceiver who is not among ``people``.

    Examples
    --------
    >>> t = pd.DataFrame({"perceiver": ["a", "a", "b"], "source": ["a", "b", "a"],
    ...                   "target": ["b", "a", "b"]})
    >>> c = css_array(t)
    >>> c.people, c.perceivers, c.array[0].tolist()
    (['a', 'b'], ['a', 'b'], [[0, 1], [1, 0]])
    """
    if not isinstance(table, pd.DataFrame):
        raise bad_argument("table", "css_array", "a DataFrame with columns perceiver, source, "
                           "target", type(table).__name__)
    missing = [c for c in _COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"the perceived-ties table lacks the column(s) {', '.join(missing)}; "
                         "expected perceiver, source, target (and kind)")
    t = table
    if "kind" in t.columns:
        kinds = [k for k in pd.unique(t["kind"].dropna())]
        if kind is None:
            if len(kinds) > 1:
                raise InputError("the perceived-ties table holds several tie kinds ("
                                 + ", ".join(map(str, kinds)) + "); choose one with kind=")
            kind = kinds[0] if kinds else None
        elif kind not in kinds:
            raise bad_argument("kind", "css_array", "a tie kind of the table ("
                               + (", ".join(map(str, kinds)) or "it has none") + ")", kind)
        t = t[t["kind"] == kind]
    elif kind is not None:
        raise bad_argument("kind", "css_array", "None (the table has no kind column)", kind)
    t = pd.DataFrame({c: t[c].astype(str) for c in _COLUMNS})
    if people is None:
        people = list(pd.unique(pd.concat([t["perceiver"], t["source"], t["target"]])))
    people = [str(p) for p in people]
    if len(set(people)) != len(people):
        raise bad_argument("people", "css_array", "a list without repeated ids", people)
    known = set(people)
    strangers = sorted(set(t.to_numpy().ravel()) - known)
    if strangers:
        raise InputError("the perceived-ties table names people who are not in the list of "
                         "people: " + ", ".join(strangers[:10])
                         + (" …" if len(strangers) > 10 else ""))
    if perceivers is None:
        asked = set(t["perceiver"])
        perceivers = [p for p in people if p in asked]
    else:
        perceivers = [str(p) for p in perceivers]
        bad = [p for p in perceivers if p not in known]
        if bad or len(set(perceivers)) != len(perceivers):
            raise bad_argument("perceivers", "css_array", "distinct ids from the list of people",
                               bad or perceivers)
        perceivers = [p for p in people if p in set(perceivers)]
        extra = sorted(set(t["perceiver"]) - set(perceivers))
        if extra:
            t = t[t["perceiver"].isin(perceivers)]
    pos = {p: i for i, p in enumerate(people)}
    kpos = {p: i for i, p in enumerate(perceivers)}
    r = np.zeros((len(perceivers), len(people), len(people)), dtype=np.int8)
    if len(t):
        r[t["perceiver"].map(kpos).to_numpy(dtype=int), t["source"].map(pos).to_numpy(dtype=int),
          t["target"].map(pos).to_numpy(dtype=int)] = 1
    idx = np.arange(len(people))
    r[:, idx, idx] = 0
    return CSS(array=r, people=people, perceivers=perceivers, kind=kind)


def edges_of(adjacency: np.ndarray, people, **columns) -> pd.DataFrame:
    """A 0/1 (or boolean) adjacency matrix as an edge list ``source, target`` (row → column),
    in the order of ``people``; extra keyword arrays of the same shape become columns.

    >>> edges_of(np.array([[0, 1], [0, 0]]), ["a", "b"])
      source target
    0      a      b
    """
    s, t = np.nonzero(np.asarray(adjacency))
    people = np.asarray([str(p) for p in people], dtype=object)
    out = pd.DataFrame({"source": people[s], "target": people[t]})
    for name, values in columns.items():
        out[name] = np.asarray(values)[s, t]
    return out


def as_css(table, people=None, perceivers=None, kind: str | None = None) -> CSS:
    """``table`` itself if it is already a :class:`CSS`, else :func:`css_array` of it (what
    every function of :mod:`powerkit.perception` does first).

    >>> c = css_array(pd.DataFrame({"perceiver": ["a"], "source": ["a"], "target": ["b"]}))
    >>> as_css(c) is c
    True
    """
    return table if isinstance(table, CSS) else css_array(table, people, perceivers, kind)


def las_matrix(c: CSS, rule: str = "intersection") -> np.ndarray:
    """The 0/1 adjacency matrix of a locally aggregated structure (see
    :func:`locally_aggregated`)."""
    if rule not in RULES:
        raise bad_argument("rule", "locally_aggregated", f"one of {', '.join(RULES)}", rule)
    n = len(c.people)
    # own[i, i, j]: person i's report of the tie i -> j (row); own[j, i, j]: j's (column)
    row = np.zeros((n, n), dtype=np.int8)
    col = np.zeros((n, n), dtype=np.int8)
    asked = np.zeros(n, dtype=bool)
    for k, i in enumerate(c.slots):
        asked[i] = True
        row[i, :] = c.array[k, i, :]
        col[:, i] = c.array[k, :, i]
    ri = np.broadcast_to(asked[:, None], (n, n))   # the source was asked
    cj = np.broadcast_to(asked[None, :], (n, n))   # the target was asked
    if rule == "row":
        a = row.astype(bool)
    elif rule == "column":
        a = col.astype(bool)
    elif rule == "union":
        a = row.astype(bool) | col.astype(bool)
    else:
        # every asked one of the two must report it; no tie when neither was asked
        a = (ri | cj) & (~ri | row.astype(bool)) & (~cj | col.astype(bool))
    a = a.astype(np.int8)
    np.fill_diagonal(a, 0)
    return a


def locally_aggregated(table, people=None, rule: str = "intersection", perceivers=None,
                       kind: str | None = None) -> pd.DataFrame:
    """Krackhardt's locally aggregated structure (LAS): one network from the reports of the
    two people each tie joins.

    With ``R[k, i, j]`` = perceiver ``k`` reports ``i → j``:

    * ``"intersection"``: ``L[i, j] = R[i, i, j] · R[j, i, j]`` — both the source and the
      target say so (Krackhardt's preferred "actual" network);
    * ``"union"``: ``L[i, j] = max(R[i, i, j], R[j, i, j])`` — either says so;
    * ``"row"`` (row-dominated): ``L[i, j] = R[i, i, j]`` — the source's own report, the
      usual self-report network;
    * ``"column"`` (column-dominated): ``L[i, j] = R[j, i, j]`` — the target's report.

    Someone who is not a perceiver (not asked) cannot report: their report is skipped, and a
    tie between two people neither of whom was asked does not exist.

    Parameters
    ----------
    table : pandas.DataFrame or CSS
        The long perceived-ties table (see :func:`css_array`) or an array from it.
    people, perceivers, kind
        As in :func:`css_array`.
    rule : {"intersection", "union", "row", "column"}

    Returns
    -------
    pandas.DataFrame
        The ties ``source, target`` (source listens to target), in the order of ``people``;
        ``attrs["rule"]`` and ``attrs["people"]``.

    Examples
    --------
    a says a → b and b → a; b says only a → b. The tie b → a is reported by its target a
    but not by its source b:

    >>> t = pd.DataFrame({"perceiver": ["a", "a", "b"], "source": ["a", "b", "a"],
    ...                   "target": ["b", "a", "b"]})
    >>> locally_aggregated(t).values.tolist()
    [['a', 'b']]
    >>> locally_aggregated(t, rule="union").values.tolist()
    [['a', 'b'], ['b', 'a']]
    >>> locally_aggregated(t, rule="row").values.tolist()
    [['a', 'b']]
    >>> locally_aggregated(t, rule="column").values.tolist()
    [['a', 'b'], ['b', 'a']]

    References
    ----------
    Krackhardt, D. (1987). Cognitive social structures. *Social Networks* 9, 109–134
    (locally aggregated structures: row-dominated, column-dominated, intersection, union).
    """
    c = as_css(table, people, perceivers, kind)
    out = edges_of(las_matrix(c, rule), c.people)
    out.attrs.update(rule=rule, people=list(c.people))
    return out


def consensus_share(table, people=None, perceivers=None, kind: str | None = None) -> np.ndarray:
    """The share of perceivers who report each tie: ``S[i, j] = Σ_k R[k, i, j] / K``.

    >>> t = pd.DataFrame({"perceiver": ["a", "b"], "source": ["a", "a"], "target": ["b", "b"]})
    >>> consensus_share(t).tolist()
    [[0.0, 1.0], [0.0, 0.0]]
    """
    c = as_css(table, people, perceivers, kind)
    if not c.perceivers:
        raise InputError("no perceivers: the consensus of nobody's view is undefined")
    return c.array.sum(axis=0) / len(c.perceivers)


def consensus(table, threshold: float = 0.5, people=None, perceivers=None,
              kind: str | None = None) -> pd.DataFrame:
    """Krackhardt's consensus structure (CAS): a tie exists when at least ``threshold`` of the
    perceivers report it, ``C[i, j] = 1`` iff ``Σ_k R[k, i, j] / K ≥ threshold``.

    Parameters
    ----------
    table : pandas.DataFrame or CSS
        The long perceived-ties table (see :func:`css_array`).
    threshold : float
        In (0, 1]. 0.5: half of the perceivers or more (Krackhardt used "more than half";
        with an odd number of perceivers the two agree). 1.0: every perceiver.
    people, perceivers, kind
        As in :func:`css_array`.

    Returns
    -------
    pandas.DataFrame
        ``source, target, share`` (share of perceivers reporting the tie);
        ``attrs["threshold"]`` and ``attrs["people"]``.

    Examples
    --------
    Three perceivers; a → b is seen by all three, b → c by two, c → a by one:

    >>> t = pd.DataFrame({"perceiver": list("abcabc"),
    ...                   "source": list("aaabbc"), "target": list("bbbcca")})
    >>> consensus(t).round(3).values.tolist()
    [['a', 'b', 1.0], ['b', 'c', 0.667]]
    >>> len(consensus(t, threshold=1.0)), len(consensus(t, threshold=0.3))
    (1, 3)

    References
    ----------
    Krackhardt, D. (1987). Cognitive social structures. *Social Networks* 9, 109–134.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) \
            or not 0 < threshold <= 1:
        raise bad_argument("threshold", "consensus", "a number in (0, 1]", threshold)
    c = as_css(table, people, perceivers, kind)
    share = consensus_share(c)
    # a share is k/K: compare with a tolerance so that threshold 2/3 keeps 2 of 3
    keep = share >= threshold - 1e-12
    np.fill_diagonal(keep, False)
    out = edges_of(keep, c.people, share=share)
    out.attrs.update(threshold=float(threshold), people=list(c.people))
    return out
