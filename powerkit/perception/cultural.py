"""Cultural consensus (Romney, Weller & Batchelder 1986): how much each perceiver *knows* of a
network that the group shares, estimated from how far the perceivers agree with each other —
no reference structure needed — and the network the competences point to (the answer key).

The model. Each possible tie i → j is a true/false question. Perceiver k knows the answer with
probability ``D_k`` (their competence) and otherwise guesses "tie" with probability g = 1/2.
Two perceivers k, l then give the same answer with probability
``m_kl = D_k D_l + (1 − D_k D_l)/2``, so the agreement corrected for guessing,
``M*_kl = 2 m_kl − 1``, has expectation ``D_k D_l``: the off-diagonal of M* is a one-factor
matrix whose loadings are the competences. They are estimated by fitting that factor to the
observed M* by least squares over the off-diagonal cells (minimum-residual factoring, by the
principal-axis iteration: put the current communalities D_k² on the diagonal, take the
first eigenvector scaled by the root of its eigenvalue, repeat). With three perceivers the fit
is exact: ``D_1 = √(M*_12 M*_13 / M*_23)`` and its permutations.

A ratio of the first to the second eigenvalue of three or more is the usual sign that one
shared "culture" (one answer key) explains the agreement (Romney, Batchelder & Weller 1987);
a lower one, that sub-groups see different networks.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, bad_argument
from .css import as_css, edges_of

__all__ = ["competence", "competence_with_bias", "answer_key", "agreement_matrix",
           "ONE_CULTURE_RATIO"]

#: eigenvalue ratio from which one shared answer key is taken to explain the agreement
ONE_CULTURE_RATIO = 3.0


def agreement_matrix(table, people=None, perceivers=None, kind: str | None = None
                     ) -> pd.DataFrame:
    """The perceiver-by-perceiver share of the n(n − 1) possible ties on which two views agree
    (tie in both, or in neither); the diagonal is 1.

    >>> t = pd.DataFrame({"perceiver": ["a", "b"], "source": ["a", "a"], "target": ["b", "c"]})
    >>> agreement_matrix(t, people=["a", "b", "c"]).round(3).values.tolist()
    [[1.0, 0.667], [0.667, 1.0]]
    """
    c = as_css(table, people, perceivers, kind)
    n = len(c.people)
    off = ~np.eye(n, dtype=bool)
    x = c.array[:, off].astype(float)          # perceivers × questions
    q = x.shape[1]
    if q == 0:
        raise InputError("a network of one person has no ties to agree on")
    same = (x @ x.T + (1 - x) @ (1 - x).T) / q
    return pd.DataFrame(same, index=pd.Index(c.perceivers, name="perceiver"),
                        columns=list(c.perceivers))


def _one_factor(m: np.ndarray, max_iter: int = 5000, tol: float = 1e-12):
    """Minimum-residual one-factor loadings of the off-diagonal of ``m`` (principal-axis
    iteration) and the eigenvalues of ``m`` with the final communalities on its diagonal."""
    a = m.copy()
    off = ~np.eye(len(a), dtype=bool)
    h = np.abs(np.where(off, a, 0)).max(axis=1)
    for _ in range(max_iter):
        np.fill_diagonal(a, h)
        w, v = np.linalg.eigh(a)
        d = v[:, -1] * np.sqrt(max(w[-1], 0.0))
        h_new = d ** 2
        if np.max(np.abs(h_new - h)) < tol:
            h = h_new
            break
        h = h_new
    np.fill_diagonal(a, h)
    w, v = np.linalg.eigh(a)
    d = v[:, -1] * np.sqrt(max(w[-1], 0.0))
    if d.sum() < 0:
        d = -d
    return d, w[::-1]


def competence(table, people=None, perceivers=None, kind: str | None = None) -> pd.DataFrame:
    """Each perceiver's cultural competence: the first-factor loading of the agreement matrix
    corrected for guessing (see the module's notes for the model).

    Parameters
    ----------
    table : pandas.DataFrame or CSS
        The long perceived-ties table (see :func:`~powerkit.perception.css_array`); at least
        three perceivers (two agreements cannot separate two competences).
    people, perceivers, kind
        As in :func:`~powerkit.perception.css_array`.

    Returns
    -------
    pandas.DataFrame
        Indexed by perceiver: ``competence`` (D, the estimated share of the questions the
        perceiver knows; can leave [0, 1] when the one-factor model fits badly) and
        ``agreement`` (mean corrected agreement M* with the others);
        ``attrs["eigenvalues"]`` (the three largest), ``attrs["ratio"]`` (first / second) and
        ``attrs["one_culture"]`` (ratio ≥ :data:`ONE_CULTURE_RATIO`).

    Examples
    --------
    Hand case: five people (20 possible ties). a reports all 20; b differs from a on 2
    (1,2), c on 4 (2,3,4,5), so b and c differ on 4 (1,3,4,5). The corrected agreements are
    M*_ab = 1 − 2·2/20 = 0.8, M*_ac = 1 − 2·4/20 = 0.6, M*_bc = 0.6, so
    D_a = √(0.8·0.6/0.6) = 0.894, D_b = 0.894, D_c = √(0.6·0.6/0.8) = 0.671:

    >>> from itertools import permutations
    >>> pairs = list(permutations("abcde", 2))
    >>> rows = [("a", s, t) for s, t in pairs]
    >>> rows += [("b", s, t) for n, (s, t) in enumerate(pairs, 1) if n not in (1, 2)]
    >>> rows += [("c", s, t) for n, (s, t) in enumerate(pairs, 1) if n not in (2, 3, 4, 5)]
    >>> t = pd.DataFrame(rows, columns=["perceiver", "source", "target"])
    >>> competence(t, people=list("abcde"))["competence"].round(3).tolist()
    [0.894, 0.894, 0.671]

    References
    ----------
    Romney, A. K., Weller, S. C. & Batchelder, W. H. (1986). Culture as consensus: a theory
    of culture and informant accuracy. *American Anthropologist* 88(2), 313–338.
    Batchelder, W. H. & Romney, A. K. (1988). Test theory without an answer key.
    *Psychometrika* 53(1), 71–92.
    Romney, A. K., Batchelder, W. H. & Weller, S. C. (1987). Recent applications of cultural
    consensus theory. *American Behavioral Scientist* 31(2), 163–177 (eigenvalue ratio).
    """
    c = as_css(table, people, perceivers, kind)
    if len(c.perceivers) < 3:
        raise InputError(f"cultural competence needs at least 3 perceivers; got "
                         f"{len(c.perceivers)}")
    ms = 2 * agreement_matrix(c).to_numpy() - 1
    d, w = _one_factor(ms)
    off = ~np.eye(len(ms), dtype=bool)
    out = pd.DataFrame({"competence": d,
                        "agreement": np.where(off, ms, 0).sum(axis=1) / (len(ms) - 1)},
                       index=pd.Index(c.perceivers, name="perceiver"))
    ratio = float(w[0] / w[1]) if len(w) > 1 and w[1] > 0 else float("inf")
    out.attrs.update(eigenvalues=[float(x) for x in w[:3]], ratio=ratio,
                     one_culture=bool(ratio >= ONE_CULTURE_RATIO))
    return out


def competence_with_bias(table, people=None, perceivers=None, kind: str | None = None,
                         max_iter: int = 500) -> pd.DataFrame:
    """Cultural competence when each perceiver has their own bias towards "tie": the General
    Condorcet Model of Batchelder & Romney (1988), estimated from the covariance of the views.

    Perceiver k knows the answer with probability ``D_k`` and otherwise says "tie" with their own
    probability ``g_k`` (in a sparse network most people guess "no tie": g well below 1/2).
    Over the questions, with ``π`` the share of true ties, ``E[X_k | Z] = D_k Z + (1 − D_k) g_k``
    and the views are independent given the truth Z, so
    ``Cov(X_k, X_l) = Cov(D_k Z, D_l Z) = D_k D_l π(1 − π)`` for k ≠ l — whatever the biases.
    The first factor of the covariance matrix (minimum residual, as in :func:`competence`) gives
    ``a_k = D_k √(π(1 − π))``; ``π`` is found by a fixed point: ``D = a/√(π(1 − π))``,
    ``g_k = (p_k − D_k π)/(1 − D_k)`` from each perceiver's share of "tie" answers ``p_k``, then
    ``π`` = the mean posterior probability of a tie given all views, until ``π`` settles.

    Parameters
    ----------
    table : pandas.DataFrame or CSS
        At least three perceivers.
    people, perceivers, kind
        As in :func:`~powerkit.perception.css_array`.
    max_iter : int
        Iterations of the fixed point for ``π``.

    Returns
    -------
    pandas.DataFrame
        Indexed by perceiver: ``competence`` (D, clipped to [0.001, 0.999]), ``bias`` (g, the
        probability of saying "tie" when not knowing) and ``says_tie`` (p);
        ``attrs["tie_share"]`` (π), ``attrs["eigenvalues"]``, ``attrs["ratio"]``.

    Examples
    --------
    Three perceivers who agree on everything know everything (D at its clip 0.999):

    >>> t = pd.DataFrame({"perceiver": list("abc"), "source": list("aaa"),
    ...                   "target": list("bbb")})
    >>> competence_with_bias(t)["competence"].round(3).tolist()
    [0.999, 0.999, 0.999]

    References
    ----------
    Batchelder, W. H. & Romney, A. K. (1988). Test theory without an answer key.
    *Psychometrika* 53(1), 71–92 (the General Condorcet Model with response bias).
    Romney, A. K., Weller, S. C. & Batchelder, W. H. (1986). Culture as consensus.
    *American Anthropologist* 88(2), 313–338.
    """
    c = as_css(table, people, perceivers, kind)
    if len(c.perceivers) < 3:
        raise InputError(f"cultural competence needs at least 3 perceivers; got "
                         f"{len(c.perceivers)}")
    off = ~np.eye(len(c.people), dtype=bool)
    x = c.array[:, off].astype(float)          # perceivers × questions
    p = x.mean(axis=1)
    dev = x - p[:, None]
    cov = dev @ dev.T / x.shape[1]
    a, w = _one_factor(cov)
    pi = float(np.clip((x.mean(axis=0) >= 0.5).mean(), 0.01, 0.99))
    for _ in range(max_iter):
        d = np.clip(a / np.sqrt(pi * (1 - pi)), 0.001, 0.999)
        g = np.clip((p - d * pi) / (1 - d), 0.001, 0.999)
        p1, p0 = d + (1 - d) * g, (1 - d) * g
        ll = x.T @ (np.log(p1) - np.log(p0)) + (1 - x).T @ (np.log(1 - p1) - np.log(1 - p0))
        post = 1 / (1 + np.exp(-(np.log(pi / (1 - pi)) + ll)))
        new = float(np.clip(post.mean(), 0.01, 0.99))
        if abs(new - pi) < 1e-10:
            pi = new
            break
        pi = new
    d = np.clip(a / np.sqrt(pi * (1 - pi)), 0.001, 0.999)
    g = np.clip((p - d * pi) / (1 - d), 0.001, 0.999)
    out = pd.DataFrame({"competence": d, "bias": g, "says_tie": p},
                       index=pd.Index(c.perceivers, name="perceiver"))
    ratio = float(w[0] / w[1]) if len(w) > 1 and w[1] > 0 else float("inf")
    out.attrs.update(tie_share=pi, eigenvalues=[float(v) for v in w[:3]], ratio=ratio,
                     one_culture=bool(ratio >= ONE_CULTURE_RATIO))
    return out


def answer_key(table, competences=None, prior: float = 0.5, people=None, perceivers=None,
               kind: str | None = None) -> pd.DataFrame:
    """The network the competences point to: each possible tie with the posterior probability
    that it is "true" under the consensus model, the ties of probability ≥ 1/2 kept.

    A perceiver of competence D says "tie" with probability (1 + D)/2 when it is true and
    (1 − D)/2 when it is not, so each report multiplies the odds by (1 + D)/(1 − D) and each
    non-report by its inverse (Batchelder & Romney 1988); competences are clipped to
    [0.001, 0.999] (a perceiver at or below 0 carries no weight).

    Parameters
    ----------
    table : pandas.DataFrame or CSS
    competences : pandas.Series or DataFrame, optional
        By perceiver; default :func:`competence`.
    prior : float
        Prior probability of a tie, in (0, 1).
    people, perceivers, kind
        As in :func:`~powerkit.perception.css_array`.

    Returns
    -------
    pandas.DataFrame
        ``source, target, probability``.

    Examples
    --------
    Two competent perceivers report a → b, a weak one does not:

    >>> t = pd.DataFrame({"perceiver": ["a", "b"], "source": ["a", "a"], "target": ["b", "b"]})
    >>> d = pd.Series({"a": 0.8, "b": 0.8, "c": 0.2})
    >>> answer_key(t, d, people=["a", "b", "c"], perceivers=["a", "b", "c"]).round(3
    ...     ).values.tolist()
    [['a', 'b', 0.982]]

    References
    ----------
    Batchelder, W. H. & Romney, A. K. (1988). Test theory without an answer key.
    *Psychometrika* 53(1), 71–92.
    """
    if isinstance(prior, bool) or not isinstance(prior, int | float) or not 0 < prior < 1:
        raise bad_argument("prior", "answer_key", "a number in (0, 1)", prior)
    c = as_css(table, people, perceivers, kind)
    if competences is None:
        competences = competence(c)
    if isinstance(competences, pd.DataFrame):
        competences = competences["competence"]
    competences = pd.Series(competences)
    competences.index = competences.index.astype(str)
    missing = [p for p in c.perceivers if p not in competences.index]
    if missing:
        raise InputError("no competence for the perceiver(s) " + ", ".join(missing))
    d = np.clip(competences.reindex(c.perceivers).to_numpy(dtype=float), 0.001, 0.999)
    weight = np.log((1 + d) / (1 - d))
    logit = np.log(prior / (1 - prior)) + np.tensordot(weight, 2 * c.array.astype(float) - 1,
                                                        axes=1)
    p = 1 / (1 + np.exp(-logit))
    keep = p >= 0.5
    np.fill_diagonal(keep, False)
    return edges_of(keep, c.people, probability=p)
