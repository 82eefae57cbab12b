"""Evidence against hypotheses: the deal's evidence rows as weights of evidence (bits), the
items' diagnosticity, and the single items whose removal would flip a conclusion (Heuer 1999,
ch. 8: the analysis of competing hypotheses).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..errors import InputError, bad_argument
from .bayes import EPS, RATING_LR, HypothesisLayout, check_unit, rating_lrs, to_posterior

__all__ = ["evidence_weights", "ratings_map", "str_ids", "object_series", "diagnosticity",
           "sensitivity"]


def ratings_map(ratings, caller: str) -> dict:
    """``{(evidence, hypothesis): rating}`` from a nested ``{evidence: {hypothesis: rating}}`` or
    a flat ``{(evidence, hypothesis): rating}`` mapping, ratings checked against
    :data:`~powerkit.constraints.bayes.RATING_LR`; ``caller`` names the public function in the
    error message.

    >>> ratings_map({"e1": {"h1": "CC"}}, "f")
    {('e1', 'h1'): 'CC'}
    """
    out = {}
    if not ratings:
        return out
    if not isinstance(ratings, Mapping):
        raise bad_argument("ratings", caller, "a mapping {evidence: {hypothesis: rating}}",
                           ratings)
    for k, v in ratings.items():
        if isinstance(v, Mapping):
            for h, r in v.items():
                out[(str(k), str(h))] = r
        elif isinstance(k, tuple) and len(k) == 2:
            out[(str(k[0]), str(k[1]))] = v
        else:
            raise bad_argument("ratings", caller, "a mapping {evidence: {hypothesis: rating}}",
                               ratings)
    bad = {k: r for k, r in out.items() if r not in RATING_LR}
    if bad:
        raise bad_argument("ratings", caller, f"use the ratings {', '.join(RATING_LR)}", bad)
    return out


def str_ids(values) -> np.ndarray:
    """Ids as a numpy object array of str (fast to iterate, unlike Arrow-backed strings).

    >>> str_ids(pd.Series([1, "b"])).tolist()
    ['1', 'b']
    """
    arr = np.asarray(values.to_numpy(dtype=object) if hasattr(values, "to_numpy") else values,
                     dtype=object)
    return np.array([x if isinstance(x, str) else str(x) for x in arr], dtype=object)


def object_series(arr) -> pd.Series:
    """An object-dtype Series (the loader's dtype for text; avoids string inference).

    >>> object_series(["a", None]).dtype
    dtype('O')
    """
    return pd.Series(np.asarray(arr, dtype=object), dtype=object)


def evidence_weights(deal, *, off: Iterable[str] = (), ratings=None, credibility=None,
                     rating_lr=None) -> pd.DataFrame:
    """The deal's evidence rows with their likelihood ratio, credibility and weight (bits).

    Each row of ``evidence`` rates one hypothesis. Its weight of evidence, in bits, is
    ``w = c · log2 LR``, where

    * a rating row has ``LR = RATING_LR[rating]`` (against a neutral item);
    * a probability row of an independent hypothesis has ``LR = p_if_true / p_if_false``;
    * a probability row of a grouped hypothesis has ``LR = p_if_true / p̄``, with ``p̄`` the mean
      ``p_if_false`` of the item's probability rows in that group: the likelihood under the
      group's members the item does not rate (which get ``w = 0``).

    Probabilities are kept away from 0 by :data:`EPS` (Cromwell's rule).

    Parameters
    ----------
    deal : Deal
        A validated deal with ``hypotheses`` and ``evidence`` tables.
    off : iterable of str
        Evidence ids switched off (rows kept, ``active`` False, weight 0).
    ratings : mapping or None
        Rating overrides ``{evidence: {hypothesis: rating}}``; a rating replaces a probability pair.
    credibility : mapping or None
        Credibility overrides in [0, 1], keyed by evidence id or by source (id wins).
    rating_lr : mapping or None
        Overrides of :data:`RATING_LR`.

    Returns
    -------
    DataFrame
        One row per (evidence, hypothesis): description, source, rating, p_if_true, p_if_false,
        credibility, likelihood_ratio, weight_bits, active.
    """
    caller = "evidence_weights"
    lrmap = rating_lrs(rating_lr, caller)
    hyp = deal.table("hypotheses", analysis="the hidden-constraints analysis")
    cols = ["evidence", "hypothesis", "description", "date", "source", "credibility", "rating",
            "p_if_true", "p_if_false"]
    src = deal.evidence if deal.has("evidence") else pd.DataFrame(columns=cols)
    n = len(src)
    e_id = str_ids(src["evidence"])
    h_id = str_ids(src["hypothesis"])
    rating = src["rating"].to_numpy(dtype=object, copy=True)
    rating[pd.isna(rating)] = None
    pt = pd.to_numeric(src["p_if_true"], errors="coerce").to_numpy(dtype=float, copy=True)
    pf = pd.to_numeric(src["p_if_false"], errors="coerce").to_numpy(dtype=float, copy=True)
    cred = pd.to_numeric(src["credibility"], errors="coerce").to_numpy(dtype=float, copy=True)
    cred = np.where(np.isnan(cred), 1.0, cred)
    source = src["source"].to_numpy(dtype=object)
    desc = src["description"].to_numpy(dtype=object)
    dates = src["date"].to_numpy()
    off = {str(x) for x in (off or ())}
    known_e = set(e_id)
    unknown_off = off - known_e
    if unknown_off:
        raise InputError(f"The 'off' parameter of {caller} must list evidence ids of the deal "
                         f"({', '.join(dict.fromkeys(e_id))}). "
                         f"Got {sorted(unknown_off)!r} instead.")
    rmap = ratings_map(ratings, caller)
    if rmap:
        row_of = {k: i for i, k in enumerate(zip(e_id, h_id, strict=True))}
        extra = []
        for e, h in rmap:
            if (e, h) in row_of:
                continue
            if e not in known_e or h not in set(hyp.index):
                raise bad_argument("ratings", caller, "name evidence ids and hypothesis ids of "
                                   "the deal", (e, h))
            extra.append((e, h, int(np.flatnonzero(e_id == e)[0])))
        if extra:  # a rating for a cell the file leaves blank: copy the item's first row
            take = np.array([i for _, _, i in extra])
            e_id = np.concatenate([e_id, np.array([e for e, _, _ in extra], dtype=object)])
            h_id = np.concatenate([h_id, np.array([h for _, h, _ in extra], dtype=object)])
            rating, pt, pf = (np.concatenate([a, a[take]]) for a in (rating, pt, pf))
            cred, source, desc, dates = (np.concatenate([a, a[take]])
                                         for a in (cred, source, desc, dates))
            n = len(e_id)
            row_of = {k: i for i, k in enumerate(zip(e_id, h_id, strict=True))}
        for k, r in rmap.items():
            i = row_of[k]
            rating[i], pt[i], pf[i] = r, np.nan, np.nan
    if credibility:
        if not isinstance(credibility, Mapping):
            raise bad_argument("credibility", caller, "a mapping from evidence ids or sources "
                               "to weights in [0, 1]", credibility)
        try:
            vals = np.array([float(v) for v in credibility.values()])
        except (TypeError, ValueError):
            vals = np.array([np.nan])
        check_unit(vals, "credibility", caller, "weights in [0, 1]")
        cred = np.array([float(credibility[e]) if e in credibility else
                         float(credibility[s]) if (s is not None and s in credibility) else c
                         for e, s, c in zip(e_id, source, cred, strict=True)])
    active = np.array([e not in off for e in e_id], dtype=bool)
    hpos = {x: i for i, x in enumerate(str_ids(hyp.index))}
    hgroup = hyp["group"].to_numpy(dtype=object, copy=True)
    hgroup[pd.isna(hgroup)] = None
    group = hgroup[np.array([hpos[h] for h in h_id], dtype=int)] if n else np.array([], dtype=object)
    grouped = ~pd.isna(group).astype(bool) if n else np.zeros(0, dtype=bool)
    is_rating = ~pd.isna(rating).astype(bool) if n else np.zeros(0, dtype=bool)
    lpt = np.log2(np.maximum(np.nan_to_num(pt, nan=1.0), EPS))
    pf_clip = np.maximum(np.nan_to_num(pf, nan=1.0), EPS)
    # baseline of grouped probability rows: mean p_if_false over the item's rows in the group
    ref = np.ones(n)
    mask = grouped & ~is_rating
    if mask.any():
        acc: dict = {}
        for i in np.flatnonzero(mask):
            k = (e_id[i], group[i])
            s_, c_ = acc.get(k, (0.0, 0))
            acc[k] = (s_ + pf_clip[i], c_ + 1)
        for i in np.flatnonzero(mask):
            s_, c_ = acc[(e_id[i], group[i])]
            ref[i] = s_ / c_
    rating_bits = np.log2(np.array([lrmap.get(r, 1.0) if r is not None else 1.0
                                    for r in rating], dtype=float))
    log_lr = np.where(is_rating, rating_bits,
                      np.where(grouped, lpt - np.log2(ref), lpt - np.log2(pf_clip)))
    ob = object_series
    return pd.DataFrame({
        "evidence": ob(e_id), "hypothesis": ob(h_id), "description": ob(desc), "date": dates,
        "source": ob(source), "credibility": cred, "rating": ob(rating), "p_if_true": pt,
        "p_if_false": pf, "group": ob(group), "active": active,
        "likelihood_ratio": np.exp2(log_lr),
        "weight_bits": np.where(active, cred * log_lr, 0.0),
    }, columns=["evidence", "hypothesis", "description", "date", "source", "credibility",
                "rating", "p_if_true", "p_if_false", "group", "active", "likelihood_ratio",
                "weight_bits"])


def diagnosticity(W: np.ndarray, lay: HypothesisLayout, items) -> pd.DataFrame:
    """How far each evidence item discriminates, in bits: the spread (max − min) of its weights
    within each mutually exclusive group, ``|w|`` for an independent hypothesis; the largest of
    these, and the variable (``"group <g>"`` or a hypothesis id) it is reached on.

    Parameters
    ----------
    W : ndarray
        Weights of evidence in bits, items × hypotheses (columns in ``lay.hyps`` order).
    lay : HypothesisLayout
    items : list
        The evidence ids of W's rows.

    Returns
    -------
    DataFrame
        Indexed by evidence: diagnosticity_bits, most_on.

    Examples
    --------
    >>> lay = HypothesisLayout(["a", "b", "c"], {"g": np.array([0, 1])}, np.array([2]))
    >>> diagnosticity(np.array([[2.0, 2.0, 0.0], [1.0, -1.0, 0.5]]), lay, ["e1", "e2"]).to_dict("list")
    {'diagnosticity_bits': [0.0, 2.0], 'most_on': ['c', 'group g']}
    """
    parts, names = [], []
    if lay.independent.size:
        parts.append(np.abs(W[:, lay.independent]))
        names += [lay.hyps[i] for i in lay.independent]
    for g, idx in lay.groups.items():
        parts.append(np.ptp(W[:, idx], axis=1, keepdims=True) if len(items) else np.zeros((0, 1)))
        names.append(f"group {g}")
    D = np.hstack(parts) if parts else np.zeros((len(items), 0))
    return pd.DataFrame({
        "diagnosticity_bits": D.max(axis=1) if D.size else np.zeros(len(items)),
        "most_on": [names[j] for j in D.argmax(axis=1)] if D.size else [None] * len(items),
    }, index=pd.Index(items, name="evidence"))


def sensitivity(W, base, post, lay, items, desc_of, threshold) -> pd.DataFrame:
    """The single evidence items whose removal flips a conclusion: an independent hypothesis
    crossing ``threshold``, or another member leading its group.

    Parameters
    ----------
    W : ndarray
        Weights of evidence in bits, items × hypotheses.
    base : ndarray
        The prior's scores (:func:`~powerkit.constraints.bayes.base_score`).
    post : ndarray
        The posteriors with every item.
    lay : HypothesisLayout
    items : list
        Evidence ids of W's rows; ``desc_of`` maps them to their descriptions.
    threshold : float

    Returns
    -------
    DataFrame
        evidence, description, on, conclusion_now, posterior_now, conclusion_without,
        posterior_without.
    """
    cols = ["evidence", "description", "on", "conclusion_now", "posterior_now",
            "conclusion_without", "posterior_without"]
    if not len(items):
        return pd.DataFrame(columns=cols)
    S_minus = (base + W.sum(axis=0))[None, :] - W       # scores with item e removed, per row
    P_minus = to_posterior(S_minus, lay)
    rows = []
    for j in lay.independent:
        now = post[j] >= threshold
        wo = P_minus[:, j] >= threshold
        for e in np.flatnonzero((wo != now) & (W[:, j] != 0)):
            rows.append((items[e], lay.hyps[j], "likely" if now else "unlikely", post[j],
                         "likely" if wo[e] else "unlikely", P_minus[e, j]))
    for g, idx in lay.groups.items():
        top_now = idx[np.argmax(post[idx])]
        top_wo = idx[np.argmax(P_minus[:, idx], axis=1)]
        for e in np.flatnonzero(top_wo != top_now):
            rows.append((items[e], f"group {g}", f"{lay.hyps[top_now]} leads", post[top_now],
                         f"{lay.hyps[top_wo[e]]} leads", P_minus[e, top_wo[e]]))
    out = pd.DataFrame([(r[0], desc_of[r[0]]) + r[1:] for r in rows],
                       columns=cols)
    return out


