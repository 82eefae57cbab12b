"""Who sees the network right: each perceiver's view scored against a reference structure
(hits, false alarms, misses, correct rejections and one accuracy score, the phi coefficient —
Gower & Legendre's S14 with its sign)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, bad_argument
from .css import CSS, RULES, as_css, consensus_share, las_matrix

__all__ = ["REFERENCES", "reference_matrix", "describe_reference", "phi", "accuracy",
           "slice_against", "OUTCOMES"]

#: the reference structures a view can be scored against, by name (or pass an edge list)
REFERENCES = (*RULES, "consensus")
#: how each cell of a perceiver's view compares with the reference
OUTCOMES = ("hit", "miss", "false alarm", "correct rejection")


def reference_matrix(c: CSS, reference=None, threshold: float = 0.5) -> np.ndarray:
    """The 0/1 adjacency matrix (rows and columns: ``c.people``) of a reference structure.

    ``reference`` is None (the intersection LAS), a rule of
    :func:`~powerkit.perception.locally_aggregated`, ``"consensus"`` (the CAS at
    ``threshold``), or a DataFrame of ties with columns ``source, target`` (e.g. a deal's
    ``ties`` of one kind: an observed network).

    >>> t = pd.DataFrame({"perceiver": ["a", "b"], "source": ["a", "a"], "target": ["b", "b"]})
    >>> from powerkit.perception import css_array
    >>> reference_matrix(css_array(t), "consensus", 1.0).tolist()
    [[0, 1], [0, 0]]
    """
    if reference is None:
        reference = "intersection"
    if isinstance(reference, pd.DataFrame):
        if not {"source", "target"} <= set(reference.columns):
            raise InputError("a reference network needs the columns source and target")
        pos = {p: i for i, p in enumerate(c.people)}
        s, t = reference["source"].astype(str), reference["target"].astype(str)
        strangers = sorted((set(s) | set(t)) - set(pos))
        if strangers:
            raise InputError("the reference network names people who are not in the list of "
                             "people: " + ", ".join(strangers[:10]))
        a = np.zeros((len(c.people),) * 2, dtype=np.int8)
        a[s.map(pos).to_numpy(dtype=int), t.map(pos).to_numpy(dtype=int)] = 1
        np.fill_diagonal(a, 0)
        return a
    if reference == "consensus":
        if isinstance(threshold, bool) or not isinstance(threshold, int | float) \
                or not 0 < threshold <= 1:
            raise bad_argument("threshold", "accuracy", "a number in (0, 1]", threshold)
        a = (consensus_share(c) >= threshold - 1e-12).astype(np.int8)
        np.fill_diagonal(a, 0)
        return a
    if reference in RULES:
        return las_matrix(c, reference)
    raise bad_argument("reference", "accuracy", f"None, one of {', '.join(REFERENCES)} or a "
                       "DataFrame of ties (source, target)", reference)


def describe_reference(reference=None, threshold: float = 0.5) -> str:
    """Words for a reference structure (for tables and titles).

    >>> describe_reference(), describe_reference("consensus", 0.5)
    ('intersection LAS', 'consensus (≥ 50% of perceivers)')
    """
    if reference is None:
        reference = "intersection"
    if isinstance(reference, pd.DataFrame):
        return "the given network"
    if reference == "consensus":
        return f"consensus (≥ {threshold:.0%} of perceivers)"
    return f"{reference} LAS"


def phi(hits, false_alarms, misses, correct_rejections):
    """The phi coefficient of a 2 × 2 table of a view against a reference:
    ``(a·d − b·c) / √((a+b)(c+d)(a+c)(b+d))`` with a = hits, b = false alarms, c = misses,
    d = correct rejections (arrays or numbers).

    It is the Pearson correlation of the two 0/1 vectors and, up to its sign, Gower &
    Legendre's S14 = √((a/(a+b) − c/(c+d)) (a/(a+c) − b/(b+d))), the score attributed to
    Krackhardt (1990) by cssTools' ``sliceQuality``. 1: the view is the reference; 0: no
    better than chance; below 0: worse than chance. When a margin is 0 (the view or the
    reference has no tie, or every tie) the correlation is undefined: the score is then 1 if
    the view equals the reference (b = c = 0) and 0 otherwise.

    >>> float(phi(10, 0, 0, 90)), float(phi(0, 0, 10, 90)), round(float(phi(8, 2, 2, 88)), 4)
    (1.0, 0.0, 0.7778)
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (hits, false_alarms, misses,
                                                       correct_rejections))
    den = np.sqrt((a + b) * (c + d) * (a + c) * (b + d))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(den > 0, (a * d - b * c) / np.where(den > 0, den, 1.0),
                     np.where((b == 0) & (c == 0), 1.0, 0.0))
    return r


def accuracy(table, reference=None, people=None, perceivers=None, kind: str | None = None,
             threshold: float = 0.5) -> pd.DataFrame:
    """Each perceiver's view scored against a reference structure.

    Every ordered pair of different people (n(n − 1) cells, the perceiver's own ties
    included) is a *hit* (tie in the view and in the reference), *false alarm* (in the view
    only), *miss* (in the reference only) or *correct rejection* (in neither). The accuracy
    score is the phi coefficient of that 2 × 2 table (:func:`phi`): chance-corrected, so a
    perceiver who reports nothing, or every tie, scores 0 however sparse the network — the
    share of cells right would give a perceiver who reports nothing 1 − density (0.69 for
    Krackhardt's advice LAS) — and up to its sign the S14 of Gower & Legendre (1986) that
    cssTools attributes to Krackhardt (1990).

    Parameters
    ----------
    table : pandas.DataFrame or CSS
        The long perceived-ties table (see :func:`~powerkit.perception.css_array`).
    reference : None, str or pandas.DataFrame
        The structure to score against: None = the intersection LAS (Krackhardt 1990's
        "actual" network); ``"union"``, ``"row"``, ``"column"``; ``"consensus"`` (the CAS at
        ``threshold``); or a tie list ``source, target`` (an observed network).
    people, perceivers, kind
        As in :func:`~powerkit.perception.css_array`.
    threshold : float
        For ``reference="consensus"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by perceiver: ``hits, false_alarms, misses, correct_rejections, reported``
        (ties in the view), ``hit_rate`` (hits / reference ties), ``false_alarm_rate``
        (false alarms / reference non-ties) and ``accuracy`` (phi); ``attrs["reference"]``
        says which reference.

    Examples
    --------
    The reference (intersection LAS) is a → b; c reports it and nothing else, b reports a
    wrong tie as well:

    >>> t = pd.DataFrame({"perceiver": ["a", "b", "b", "c"], "source": ["a", "a", "c", "a"],
    ...                   "target": ["b", "b", "a", "b"]})
    >>> acc = accuracy(t, people=["a", "b", "c"])
    >>> acc[["hits", "false_alarms", "misses"]].values.tolist(), acc["accuracy"].round(3).tolist()
    ([[1, 0, 0], [1, 1, 0], [1, 0, 0]], [1.0, 0.632, 1.0])

    References
    ----------
    Krackhardt, D. (1990). Assessing the political landscape: structure, cognition, and power
    in organizations. *Administrative Science Quarterly* 35, 342–369.
    Gower, J. C. & Legendre, P. (1986). Metric and Euclidean properties of dissimilarity
    coefficients. *Journal of Classification* 3, 5–48 (S14).
    Yenigün, D., Ertan, G. & Siciliano, M. (2017). Omission and commission errors in network
    cognition and network estimation using ROC curve. *Social Networks* 50, 26–34 (cssTools).
    """
    c = as_css(table, people, perceivers, kind)
    ref = reference_matrix(c, reference, threshold).astype(bool)
    off = ~np.eye(len(c.people), dtype=bool)
    r = c.array.astype(bool)
    a = (r & ref & off).sum(axis=(1, 2))
    b = (r & ~ref & off).sum(axis=(1, 2))
    cm = (~r & ref & off).sum(axis=(1, 2))
    d = (~r & ~ref & off).sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame({
            "hits": a, "false_alarms": b, "misses": cm, "correct_rejections": d,
            "reported": a + b,
            "hit_rate": np.where(a + cm > 0, a / np.maximum(a + cm, 1), np.nan),
            "false_alarm_rate": np.where(b + d > 0, b / np.maximum(b + d, 1), np.nan),
            "accuracy": phi(a, b, cm, d),
        }, index=pd.Index(c.perceivers, name="perceiver"))
    out.attrs["reference"] = describe_reference(reference, threshold)
    return out


def slice_against(table, perceiver, reference=None, people=None, perceivers=None,
                  kind: str | None = None, threshold: float = 0.5) -> pd.DataFrame:
    """One perceiver's view cell by cell against a reference: every ordered pair of different
    people with ``perceived`` (0/1), ``reference`` (0/1) and ``outcome`` (one of
    :data:`OUTCOMES`). What the perceived-network figure draws.

    >>> t = pd.DataFrame({"perceiver": ["a", "b"], "source": ["a", "b"], "target": ["b", "a"]})
    >>> slice_against(t, "b", reference="union")[["source", "target", "outcome"]].values.tolist()
    [['a', 'b', 'miss'], ['b', 'a', 'hit']]
    """
    c = as_css(table, people, perceivers, kind)
    if str(perceiver) not in c.perceivers:
        raise bad_argument("perceiver", "slice_against", "one of the perceivers ("
                           + ", ".join(c.perceivers[:20]) + ")", perceiver)
    k = c.perceivers.index(str(perceiver))
    ref = reference_matrix(c, reference, threshold)
    n = len(c.people)
    s, t = np.nonzero(~np.eye(n, dtype=bool))
    seen, truth = c.array[k][s, t].astype(int), ref[s, t].astype(int)
    outcome = np.select([(seen == 1) & (truth == 1), (seen == 0) & (truth == 1),
                         (seen == 1) & (truth == 0)], list(OUTCOMES[:3]), OUTCOMES[3])
    people_ = np.asarray(c.people, dtype=object)
    out = pd.DataFrame({"source": people_[s], "target": people_[t], "perceived": seen,
                        "reference": truth, "outcome": outcome})
    out.attrs.update(perceiver=str(perceiver),
                     reference=describe_reference(reference, threshold))
    return out
