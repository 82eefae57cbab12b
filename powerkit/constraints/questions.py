"""The next best question: expected information gain (bits) of yes/no questions, the ranking of a
deal's question bank with what each answer would do to the posteriors, and recording an answer
as evidence.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, bad_argument
from .bayes import HypothesisLayout, as_series, binary_entropy, check_unit, prior_series
from .evidence import object_series, str_ids

__all__ = ["information_gain", "question_gains", "gain_matrix", "question_ranking",
           "answer_question"]


def information_gain(prior, p_yes) -> float:
    """Expected reduction in the Shannon entropy (bits) of mutually exclusive hypotheses from
    asking a yes/no question.

    ``IG = H(prior) − Σ_a P(a) H(prior | a) = h(Σ_H π_H p_H) − Σ_H π_H h(p_H)``, the mutual
    information between the hypothesis and the answer (``h`` the binary entropy). It is never
    negative, and zero when ``p_yes`` is the same under every hypothesis.

    Parameters
    ----------
    prior : Series
        Current P(H), indexed by hypothesis, summing to 1.
    p_yes : Series
        P(answer "yes" | H) for every hypothesis of ``prior``, in [0, 1].

    Returns
    -------
    float
        Expected information gain in bits (≥ 0; at most log2 of 2 = 1 bit for a yes/no question).

    Examples
    --------
    A question that splits four equally likely hypotheses in halves gains one bit; one that
    singles out one of them gains h(1/4) ≈ 0.811 bits.

    >>> prior = pd.Series(0.25, index=["a", "b", "c", "d"])
    >>> information_gain(prior, pd.Series({"a": 1, "b": 1, "c": 0, "d": 0}))
    1.0
    >>> round(information_gain(prior, pd.Series({"a": 1, "b": 0, "c": 0, "d": 0})), 4)
    0.8113

    References
    ----------
    Shannon, C. E. (1948). A mathematical theory of communication. Bell System Technical
    Journal 27, 379–423. Lindley, D. V. (1956). On a measure of the information provided by an
    experiment. Annals of Mathematical Statistics 27(4), 986–1005.
    """
    caller = "information_gain"
    p = prior_series(prior, caller)
    q = as_series(p_yes, "p_yes", caller)
    if set(q.index) != set(p.index):
        raise bad_argument("p_yes", caller, f"give P(yes | H) for every hypothesis of the prior "
                           f"({', '.join(map(str, p.index))})", list(q.index))
    q = q.reindex(p.index).to_numpy()
    check_unit(q, "p_yes", caller)
    return float(gain_matrix(p.to_numpy(), q[None, :])[0])


def gain_matrix(pi: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Expected information gain (bits) of each row of ``P`` (questions × hypotheses, holding
    P(yes | H)) under the distribution ``pi``; 0 for a question whose P(yes | H) is the same
    under every hypothesis.

    >>> gain_matrix(np.array([0.5, 0.5]), np.array([[1.0, 0.0], [0.3, 0.3]])).tolist()
    [1.0, 0.0]
    """
    gain = binary_entropy(P @ pi) - binary_entropy(P) @ pi
    gain = np.where(np.ptp(P, axis=1) == 0, 0.0, gain)
    return np.maximum(gain, 0.0)


def question_gains(prior, p_yes) -> pd.Series:
    """Expected information gain (bits) of many yes/no questions at once (vectorised).

    Parameters
    ----------
    prior : Series
        Current P(H) of mutually exclusive, exhaustive hypotheses.
    p_yes : DataFrame
        One row per question, one column per hypothesis: P(yes | H).

    Returns
    -------
    Series
        Gain of each question in bits, sorted from the best question down.

    Examples
    --------
    >>> prior = pd.Series(0.25, index=list("abcd"))
    >>> P = pd.DataFrame([[1, 1, 0, 0], [1, 0, 0, 0], [.5, .5, .5, .5]],
    ...                  index=["half", "one", "coin"], columns=list("abcd"))
    >>> question_gains(prior, P).round(4).to_dict()
    {'half': 1.0, 'one': 0.8113, 'coin': 0.0}
    """
    caller = "question_gains"
    p = prior_series(prior, caller)
    if not isinstance(p_yes, pd.DataFrame) or set(p_yes.columns) != set(p.index):
        raise bad_argument("p_yes", caller, "a DataFrame with one column per hypothesis of the "
                           "prior", p_yes)
    P = p_yes[list(p.index)].to_numpy(dtype=float)
    check_unit(P.ravel(), "p_yes", caller)
    g = pd.Series(gain_matrix(p.to_numpy(), P), index=p_yes.index, name="expected_gain_bits")
    return g.sort_values(ascending=False, kind="stable")


def question_ranking(deal, post: np.ndarray, lay: HypothesisLayout
                     ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rank the deal's question bank by expected information gain at the posteriors ``post``.

    A question's gain is the sum of its gains on the variables it touches: each mutually
    exclusive group (members it does not name answer "yes" with the mean ``p_yes_if_false`` of
    the members it names) and each independent hypothesis (H against not-H).

    Parameters
    ----------
    deal : Deal
        Its ``questions`` table (none: two empty frames).
    post : ndarray
        Current posteriors, in ``lay.hyps`` order.
    lay : HypothesisLayout

    Returns
    -------
    (DataFrame, DataFrame)
        The ranking (rank, question, text, expected_gain_bits, p_yes, hypotheses,
        largest_swing), best first; and the outcomes (question, hypothesis, p_yes, now, if_yes,
        if_no) of every question on every hypothesis it moves, in ranking order.
    """
    qcols = ["question", "text", "expected_gain_bits", "p_yes", "hypotheses", "largest_swing"]
    ocols = ["question", "hypothesis", "p_yes", "now", "if_yes", "if_no"]
    if not deal.has("questions"):
        return pd.DataFrame(columns=qcols), pd.DataFrame(columns=ocols)
    q = deal.questions
    q_arr = np.array([str(x) for x in q["question"]], dtype=object)
    qids = list(dict.fromkeys(q_arr))
    qpos = {x: i for i, x in enumerate(qids)}
    hpos = {x: i for i, x in enumerate(lay.hyps)}
    col = np.array(lay.hyps, dtype=object)
    Q, H = len(qids), len(lay.hyps)
    PT = np.full((Q, H), np.nan)
    PF = np.full((Q, H), np.nan)
    r = np.array([qpos[x] for x in q_arr], dtype=int)
    c = np.array([hpos[str(x)] for x in q["hypothesis"]], dtype=int)
    first = np.full(Q, -1)
    first[r[::-1]] = np.arange(len(q))[::-1]
    texts = q["text"].to_numpy(dtype=object)[first]
    PT[r, c] = q["p_yes_if_true"].to_numpy(dtype=float)
    PF[r, c] = q["p_yes_if_false"].to_numpy(dtype=float)
    gain = np.zeros(Q)
    YES = np.full((Q, H), np.nan)  # posterior if yes (only for touched hypotheses)
    NO = np.full((Q, H), np.nan)
    PY = np.full((Q, H), np.nan)
    ind = lay.independent
    if ind.size:
        pt, pf, pi = PT[:, ind], PF[:, ind], post[ind][None, :]
        touched = ~np.isnan(pt)
        pt0, pf0 = np.nan_to_num(pt), np.nan_to_num(pf)
        py = pi * pt0 + (1 - pi) * pf0
        g = binary_entropy(py) - pi * binary_entropy(pt0) - (1 - pi) * binary_entropy(pf0)
        g = np.where(touched & (pt0 != pf0), np.maximum(g, 0.0), 0.0)
        gain += g.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            YES[:, ind] = np.where(touched, np.where(py > 0, pi * pt0 / py, pi), np.nan)
            NO[:, ind] = np.where(touched, np.where(py < 1, pi * (1 - pt0) / (1 - py), pi),
                                  np.nan)
        PY[:, ind] = np.where(touched, py, np.nan)
    for idx in lay.groups.values():
        pt, pf = PT[:, idx], PF[:, idx]
        touched = ~np.isnan(pt).all(axis=1)
        if not touched.any():
            continue
        rated = ~np.isnan(pt)
        with np.errstate(invalid="ignore"):
            fill = np.where(rated, np.nan_to_num(pf), 0.0).sum(axis=1) / rated.sum(axis=1)
        P = np.where(np.isnan(pt), fill[:, None], pt)
        P = np.where(touched[:, None], P, 0.5)
        pi = post[idx]
        g = gain_matrix(pi, P)
        gain += np.where(touched, g, 0.0)
        py = P @ pi
        with np.errstate(invalid="ignore", divide="ignore"):
            yes = np.where(py[:, None] > 0, P * pi / py[:, None], pi)
            no = np.where(py[:, None] < 1, (1 - P) * pi / (1 - py[:, None]), pi)
        YES[:, idx] = np.where(touched[:, None], yes, np.nan)
        NO[:, idx] = np.where(touched[:, None], no, np.nan)
        PY[:, idx] = np.where(touched[:, None], py[:, None], np.nan)
    swing = np.abs(np.nan_to_num(YES - NO))
    touched_any = ~np.isnan(YES)
    n_t = touched_any.sum(axis=1)
    with np.errstate(invalid="ignore"):
        p_yes = np.where(n_t > 0, np.nan_to_num(PY).sum(axis=1) / np.maximum(n_t, 1), np.nan)
    ranking = pd.DataFrame({
        "question": qids,
        "text": texts,
        "expected_gain_bits": gain,
        "p_yes": p_yes,
        "hypotheses": [", ".join(col[touched_any[i]]) for i in range(Q)],
        "largest_swing": swing.max(axis=1) if H else np.zeros(Q),
    }).sort_values(["expected_gain_bits", "largest_swing"], ascending=False, kind="stable")
    ranking.insert(0, "rank", np.arange(1, Q + 1))
    ranking = ranking.reset_index(drop=True)
    qi, hi = np.nonzero(touched_any)
    outcomes = pd.DataFrame({"question": np.array(qids, dtype=object)[qi],
                             "hypothesis": col[hi], "p_yes": PY[qi, hi],
                             "now": post[hi], "if_yes": YES[qi, hi], "if_no": NO[qi, hi]})
    rank_of = np.empty(Q, dtype=int)
    rank_of[[qpos[x] for x in ranking["question"]]] = np.arange(Q)
    outcomes = outcomes.iloc[np.argsort(rank_of[qi], kind="stable")]
    return ranking, outcomes.reset_index(drop=True)


def answer_question(deal, question: str, answer) -> object:
    """Record the answer to a question of the bank as evidence; returns a new Deal.

    A "yes" becomes, for each row of the question, an evidence row with
    ``p_if_true = p_yes_if_true`` and ``p_if_false = p_yes_if_false`` (a "no" uses
    ``1 − p``), credibility 1, source ``"asked"``; an earlier answer to the same question is
    replaced. Re-running :func:`analyse` on the result gives
    exactly the ``if_yes`` / ``if_no`` posteriors the question ranking predicted.

    Parameters
    ----------
    deal : Deal
    question : str
        A question id of the deal's ``questions`` table.
    answer : "yes", "no", True or False

    Returns
    -------
    Deal
        A copy with the answer appended to ``evidence`` (evidence id ``"<question>=yes"``).

    Raises
    ------
    InputError
        (a ValueError) An unknown question id or an answer other than yes/no.
    """
    caller = "answer_question"
    q = deal.table("questions", analysis="answering a question")
    ids = list(dict.fromkeys(q["question"].astype(str)))
    if str(question) not in ids:
        raise InputError(f"The 'question' parameter of {caller} must be a question id of the "
                         f"deal ({', '.join(ids)}). Got {question!r} instead.")
    if isinstance(answer, str) and answer.strip().lower() in ("yes", "no"):
        yes = answer.strip().lower() == "yes"
    elif isinstance(answer, bool | np.bool_):
        yes = bool(answer)
    else:
        raise bad_argument("answer", caller, "'yes' or 'no' (or True / False)", answer)
    rows = q[q["question"].astype(str) == str(question)]
    word = "yes" if yes else "no"
    pt = rows["p_yes_if_true"].to_numpy(dtype=float)
    pf = rows["p_yes_if_false"].to_numpy(dtype=float)
    k = len(rows)
    new = pd.DataFrame({
        "evidence": object_series([f"{question}={word}"] * k),
        "hypothesis": object_series(str_ids(rows["hypothesis"])),
        "description": object_series([f"Answer to '{rows['text'].iloc[0]}': {word}"] * k),
        "date": pd.Series([pd.Timestamp(deal.meta.as_of)] * k, dtype="datetime64[ns]"),
        "source": object_series(["asked"] * k),
        "credibility": np.ones(k),
        "rating": object_series([None] * k),
        "p_if_true": pt if yes else 1 - pt,
        "p_if_false": pf if yes else 1 - pf,
    })
    if deal.has("evidence"):
        old = deal.evidence
        keep = ~np.isin(str_ids(old["evidence"]), [f"{question}=yes", f"{question}=no"])
        new = pd.concat([old[keep], new[old.columns]], ignore_index=True)
    return deal.replace(evidence=new)
