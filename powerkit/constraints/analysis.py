"""The hidden-constraints analysis of a deal: its hypotheses weighed against its evidence
(:func:`analyse`), and :func:`what_if`, the walkthrough's callback, both returning one
:class:`ConstraintAnalysis`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import bad_argument
from .bayes import base_score, binary_entropy, entropy_bits, hypothesis_layout, to_posterior
from .evidence import diagnosticity, evidence_weights, sensitivity, str_ids
from .questions import answer_question, question_ranking

__all__ = ["ConstraintAnalysis", "analyse", "what_if"]


@dataclass
class ConstraintAnalysis:
    """Everything the hidden-constraints walkthrough shows, with its provenance.

    Attributes
    ----------
    hypotheses : DataFrame
        Per hypothesis: holder, party, kind, statement, group, prior, posterior, change,
        evidence_bits (Σ weights), n_evidence, likely, conclusion.
    inputs : DataFrame
        The evidence rows used (see :func:`~powerkit.constraints.evidence.evidence_weights`).
    weights : Series
        Credibility of each evidence item (its weight in the posterior).
    contributions : DataFrame
        Weight of evidence in bits, evidence items × hypotheses (0 where not rated / off).
    ach : DataFrame
        The ACH matrix as entered: ratings or ``p=a/b``, evidence × hypotheses.
    diagnosticity : DataFrame
        Per evidence item: description, source, credibility, active, diagnosticity_bits and the
        variable it discriminates most (most_on), see
        :func:`~powerkit.constraints.evidence.diagnosticity`.
    sensitivity : DataFrame
        The single evidence items whose removal flips a conclusion
        (:func:`~powerkit.constraints.evidence.sensitivity`).
    questions : DataFrame
        Question ranking by expected information gain (bits), best first
        (:func:`~powerkit.constraints.questions.question_ranking`).
    outcomes : DataFrame
        For each question and hypothesis it moves: posterior now, if yes, if no, P(yes).
    entropy_bits : float
        Current uncertainty over all hypotheses (sum over groups and independent hypotheses).
    params : dict
        The overrides used (off, ratings, credibility, answers, threshold).

    Its methods read these frames for the notebook, the figures and the report section:
    :meth:`likely`, :meth:`leading`, :meth:`fragile_items`, :meth:`next_question`,
    :meth:`next_outcomes`, :meth:`largest_swings`, and the properties :attr:`posterior` and
    :attr:`n_active`.
    """

    hypotheses: pd.DataFrame
    inputs: pd.DataFrame
    weights: pd.Series
    contributions: pd.DataFrame
    ach: pd.DataFrame
    diagnosticity: pd.DataFrame
    sensitivity: pd.DataFrame
    questions: pd.DataFrame
    outcomes: pd.DataFrame
    entropy_bits: float
    params: dict = field(default_factory=dict)

    @property
    def posterior(self) -> pd.Series:
        """P(H | evidence) per hypothesis."""
        return self.hypotheses["posterior"]

    def likely(self) -> pd.DataFrame:
        """Hypotheses at or above the threshold, most probable first."""
        h = self.hypotheses
        return h[h["likely"]].sort_values("posterior", ascending=False)

    def leading(self) -> pd.Series:
        """The most probable hypothesis (its row of :attr:`hypotheses`, named by its id)."""
        return self.hypotheses.sort_values("posterior", ascending=False).iloc[0]

    def fragile_items(self) -> list[str]:
        """Ids of the evidence items whose removal alone flips a conclusion, sorted."""
        return sorted(set(map(str, self.sensitivity["evidence"])))

    def next_question(self) -> pd.Series | None:
        """The next best question (its row of :attr:`questions`), None without a question bank."""
        return self.questions.iloc[0] if len(self.questions) else None

    def next_outcomes(self) -> pd.DataFrame:
        """What each answer to :meth:`next_question` would do: its rows of :attr:`outcomes`
        (none without a question bank)."""
        q = self.next_question()
        if q is None:
            return self.outcomes.iloc[:0]
        return self.outcomes[self.outcomes["question"] == q["question"]]

    def largest_swings(self) -> pd.DataFrame:
        """For each question, the hypothesis it moves most (largest ``|if_yes − if_no|``, the
        first one on a tie) with its outcomes: question, hypothesis, p_yes, now, if_yes, if_no;
        indexed by question, in ranking order (questions that move nothing left out)."""
        o = self.outcomes
        if not len(o):
            return o.set_index("question")
        pick = (o["if_yes"] - o["if_no"]).abs().groupby(o["question"], sort=False).idxmax()
        order = [q for q in self.questions["question"] if q in pick.index]
        return o.loc[pick[order].to_numpy()].set_index("question")

    @property
    def n_active(self) -> int:
        """How many evidence items are switched on."""
        return int(self.diagnosticity["active"].sum())


def analyse(deal, *, off: Iterable[str] = (), ratings=None, credibility=None, answers=None,
            rating_lr=None, threshold: float = 0.5) -> ConstraintAnalysis:
    """Weigh the deal's hypotheses against its evidence and rank its questions.

    Parameters
    ----------
    deal : Deal
        A validated deal with a ``hypotheses`` table (``evidence`` and ``questions`` optional).
    off, ratings, credibility, rating_lr
        Evidence overrides, see :func:`evidence_weights`.
    answers : mapping or None
        ``{question id: "yes" | "no"}`` answers already obtained (see :func:`answer_question`).
    threshold : float
        Posterior at or above which a hypothesis counts as a likely constraint (default 0.5).

    Returns
    -------
    ConstraintAnalysis

    Raises
    ------
    MissingTableError
        When the deal has no ``hypotheses`` table.
    """
    caller = "analyse"
    if not (isinstance(threshold, int | float) and 0 < threshold < 1):
        raise bad_argument("threshold", caller, "a number strictly between 0 and 1", threshold)
    for q, a in (answers or {}).items():
        deal = answer_question(deal, q, a)
    hyp = deal.table("hypotheses", analysis="the hidden-constraints analysis")
    lay = hypothesis_layout(hyp)
    H = len(lay.hyps)
    ev = evidence_weights(deal, off=off, ratings=ratings, credibility=credibility,
                          rating_lr=rating_lr)
    e_arr = ev["evidence"].to_numpy(dtype=object)
    items = list(dict.fromkeys(e_arr))
    col = pd.Index(lay.hyps, dtype=object)
    hpos = {x: i for i, x in enumerate(lay.hyps)}
    epos = {x: i for i, x in enumerate(items)}
    W = np.zeros((len(items), H))
    if len(ev):
        r = np.array([epos[x] for x in e_arr], dtype=int)
        c = np.array([hpos[x] for x in ev["hypothesis"].to_numpy(dtype=object)], dtype=int)
        np.add.at(W, (r, c), ev["weight_bits"].to_numpy(dtype=float))
    prior = hyp["prior"].to_numpy(dtype=float)
    base = base_score(prior, lay)
    total = W.sum(axis=0)
    S = base + total
    post = to_posterior(S, lay)

    h = hyp[["holder", "kind", "statement", "group", "prior"]].copy()
    h.index = col
    h.index.name = "hypothesis"
    party_of = {**{s_: p_ for s_, p_ in zip(str_ids(deal.stakeholders.index),
                                             deal.stakeholders["party"].to_numpy(dtype=object),
                                             strict=True)},
                **{p_: p_ for p_ in str_ids(deal.parties.index)}}
    h.insert(1, "party", np.array([party_of.get(str(x)) for x in h["holder"].to_numpy(dtype=object)],
                                  dtype=object))
    h["posterior"] = post
    h["change"] = post - prior
    h["evidence_bits"] = total
    h["n_evidence"] = (W != 0).sum(axis=0)
    h["likely"] = post >= threshold
    top = np.zeros(H, dtype=bool)
    for idx in lay.groups.values():
        top[idx[np.argmax(post[idx])]] = True
    h["conclusion"] = [
        ("leading in its group" if top[i] else "trailing in its group") if pd.notna(g)
        else ("likely" if post[i] >= threshold else "unlikely")
        for i, g in enumerate(h["group"])]
    contributions = pd.DataFrame(W, index=pd.Index(items, name="evidence"), columns=col)

    first = np.full(len(items), -1)
    if len(ev):
        first[r[::-1]] = np.arange(len(ev))[::-1]  # first row of each item
    desc_arr = ev["description"].to_numpy(dtype=object)[first] if len(ev) else np.array([])
    src_arr = ev["source"].to_numpy(dtype=object)[first] if len(ev) else np.array([])
    cred_sum = np.bincount(r, weights=ev["credibility"].to_numpy(float), minlength=len(items)) \
        if len(ev) else np.zeros(0)
    cred_n = np.bincount(r, minlength=len(items)) if len(ev) else np.ones(0)
    weights = pd.Series(cred_sum / np.maximum(cred_n, 1), index=pd.Index(items, name="evidence"),
                        name="credibility")
    desc_of = dict(zip(items, desc_arr, strict=True))

    cells = np.full((len(items), H), "", dtype=object)
    if len(ev):
        cells[r, c] = [rt if rt is not None else f"p={a:g}/{b:g}" for rt, a, b in
                       zip(ev["rating"], ev["p_if_true"], ev["p_if_false"], strict=True)]
    ach = pd.DataFrame(cells, index=contributions.index, columns=col, dtype=object)

    off_set = {str(x) for x in (off or ())}
    d = diagnosticity(W, lay, items)
    diag = pd.DataFrame({
        "description": desc_arr,
        "source": src_arr,
        "credibility": weights.to_numpy(),
        "active": np.array([x not in off_set for x in items], dtype=bool),
        "diagnosticity_bits": d["diagnosticity_bits"].to_numpy(),
        "most_on": list(d["most_on"]),
    }, index=pd.Index(items, name="evidence"))

    flips = sensitivity(W, base, post, lay, items, desc_of, threshold)
    questions, outcomes = question_ranking(deal, post, lay)
    ent = float(binary_entropy(post[lay.independent]).sum()) + sum(
        entropy_bits(post[idx]) for idx in lay.groups.values())
    params = {"off": sorted({str(x) for x in (off or ())}), "ratings": ratings or {},
              "credibility": dict(credibility or {}), "answers": dict(answers or {}),
              "threshold": threshold}
    return ConstraintAnalysis(h, ev, weights, contributions, ach, diag, flips, questions,
                              outcomes, ent, params)


def what_if(deal, *, off: Iterable[str] = (), ratings=None, credibility=None, answers=None,
            rating_lr=None, threshold: float = 0.5) -> ConstraintAnalysis:
    """The walkthrough's callback: the analysis with evidence switched off, ratings changed,
    credibilities overridden and questions answered. Same parameters as :func:`analyse`.

    Returns
    -------
    ConstraintAnalysis
        The one result the notebook, :mod:`powerkit.widgets.constraints`,
        :mod:`powerkit.plots.constraints` and :mod:`powerkit.sections.constraints` read.

    Examples
    --------
    >>> from powerkit import load_deal
    >>> from powerkit.paths import sample_deal
    >>> a = what_if(load_deal(sample_deal("small-renewal")), threshold=0.9)
    >>> a.params["threshold"], bool(a.hypotheses["likely"].eq(a.posterior >= 0.9).all())
    (0.9, True)
    """
    return analyse(deal, off=off, ratings=ratings, credibility=credibility, answers=answers,
                   rating_lr=rating_lr, threshold=threshold)
