"""Who sees whom as influential: each perceiver's ranking of the people others go to (their
in-degree in the perceiver's view) against the ranking in a reference structure."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from ..errors import bad_argument
from .accuracy import describe_reference, reference_matrix
from .css import as_css

__all__ = ["perceived_in_degree", "top_of", "influential_views"]


def perceived_in_degree(table, people=None, perceivers=None, kind: str | None = None
                        ) -> pd.DataFrame:
    """How many people go to each person (in-degree), in each perceiver's view: a people ×
    perceivers frame.

    >>> t = pd.DataFrame({"perceiver": ["a", "a", "b"], "source": ["b", "c", "a"],
    ...                   "target": ["a", "a", "c"]})
    >>> perceived_in_degree(t, people=["a", "b", "c"]).values.tolist()
    [[2, 0], [0, 0], [0, 1]]
    """
    c = as_css(table, people, perceivers, kind)
    deg = c.array.sum(axis=1).T  # people × perceivers
    return pd.DataFrame(deg.astype(int), index=pd.Index(c.people, name="person"),
                        columns=list(c.perceivers))


def top_of(scores: pd.Series, top: int) -> list:
    """The ``top`` highest-scoring ids, ties broken by the order of ``scores`` (stable);
    people scoring 0 are never "top".

    >>> top_of(pd.Series({"a": 1, "b": 3, "c": 3, "d": 0}), 3)
    ['b', 'c', 'a']
    """
    s = scores[scores > 0]
    order = np.argsort(-s.to_numpy(), kind="stable")
    return [str(x) for x in s.index[order][:top]]


def influential_views(table, reference="consensus", top: int = 3, people=None,
                      perceivers=None, kind: str | None = None, threshold: float = 0.5
                      ) -> pd.DataFrame:
    """Each perceiver's view of who is influential (sought out) against the reference's.

    For perceiver k the influence of person j is j's in-degree in k's view,
    ``Σ_i R[k, i, j]`` (for advice ties: how many go to j for advice, as k sees it). It is
    compared with j's in-degree in the reference structure by Spearman's rank correlation over
    all people (ties share ranks), and the perceiver's ``top`` people with the reference's
    ``top`` people (how many in common).

    Parameters
    ----------
    table : pandas.DataFrame or CSS
        The long perceived-ties table (see :func:`~powerkit.perception.css_array`).
    reference : None, str or pandas.DataFrame
        As in :func:`~powerkit.perception.accuracy`; default the consensus structure at
        ``threshold`` (what most of the group sees).
    top : int
        How many people make "the top" (≥ 1).
    people, perceivers, kind, threshold
        As in :func:`~powerkit.perception.accuracy`.

    Returns
    -------
    pandas.DataFrame
        Indexed by perceiver: ``top`` (their top people, comma-separated, most sought first),
        ``overlap`` (how many of them are in the reference's top) and ``spearman`` (NaN when the
        perceiver's view gives everyone the same in-degree, e.g. no ties);
        ``attrs["reference_top"]`` (list), ``attrs["reference"]``.

    Examples
    --------
    Everyone goes to a in the consensus; perceiver c thinks everyone goes to b:

    >>> t = pd.DataFrame({"perceiver": list("aabbcc"), "source": list("bcbcac"),
    ...                   "target": list("aaaabb")})
    >>> v = influential_views(t, top=1)
    >>> v.attrs["reference_top"], v["top"].tolist(), v["overlap"].tolist()
    (['a'], ['a', 'a', 'b'], [1, 1, 0])
    >>> v["spearman"].round(3).tolist()
    [1.0, 1.0, -0.5]

    References
    ----------
    Krackhardt, D. (1990). Assessing the political landscape: structure, cognition, and power
    in organizations. *Administrative Science Quarterly* 35, 342–369 (perceiving who is
    central in the advice network).
    Casciaro, T. (1998). Seeing things clearly: social structure, personality, and accuracy in
    social network perception. *Social Networks* 20(4), 331–351.
    """
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise bad_argument("top", "influential_views", "an integer ≥ 1", top)
    c = as_css(table, people, perceivers, kind)
    ref = pd.Series(reference_matrix(c, reference, threshold).sum(axis=0), index=c.people)
    ref_top = top_of(ref, top)
    deg = perceived_in_degree(c)
    rows = []
    for p in c.perceivers:
        mine = deg[p]
        their_top = top_of(mine, top)
        if mine.nunique() < 2 or ref.nunique() < 2:
            rho = float("nan")
        else:
            rho = float(spearmanr(mine.to_numpy(), ref.to_numpy()).statistic)
        rows.append({"perceiver": p, "top": ", ".join(their_top),
                     "overlap": len(set(their_top) & set(ref_top)), "spearman": rho})
    out = pd.DataFrame(rows).set_index("perceiver")
    out.attrs.update(reference_top=ref_top, reference=describe_reference(reference, threshold))
    return out
