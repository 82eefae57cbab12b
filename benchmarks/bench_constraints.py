"""Benchmark of powerkit.constraints: posterior + question ranking at 50 hypotheses × 500
evidence items × 100 questions (issue 5 target: median < 50 ms).

Rows:
* the pure functions (``posterior`` on a 500 × 50 likelihood matrix + ``question_gains`` on
  100 × 50 answer probabilities), against a floor: one numpy matrix product of the same size;
* the whole deal-level analysis (``analyse``: weights of evidence, posteriors, diagnosticity,
  single-item sensitivity, question ranking and outcomes) on a synthetic deal of that size,
  with 10 exclusive groups of 3 and 20 independent hypotheses;
* the widget callback (``what_if`` with an item switched off, a rating changed and a question
  answered) on the same synthetic deal.
"""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from timing import median_time

from powerkit import constraints as C
from powerkit.deal import Deal, DealMeta

N_HYP, N_EV, N_Q = 50, 500, 100
REPEATS = 15


def _median_ms(fn, repeats=REPEATS) -> float:
    return median_time(fn, repeats, warmup=True)[0] * 1e3


def synthetic_deal(n_hyp=N_HYP, n_ev=N_EV, n_q=N_Q, seed=0) -> Deal:
    """A valid in-memory deal with the benchmark's numbers of hypotheses, evidence, questions."""
    rng = np.random.default_rng(seed)
    parties = pd.DataFrame({"name": ["Us", "Them"], "side": ["us", "counterpart"]},
                           index=pd.Index(["us", "them"], name="party"))
    stakeholders = pd.DataFrame({"name": ["A", "B"], "party": ["them", "them"]},
                                index=pd.Index(["a", "b"], name="stakeholder"))
    kinds = list(C.CATALOGUE)
    n_grouped = 30 if n_hyp >= 50 else (n_hyp // 3) * 3 // 2
    groups = [f"g{i // 3}" if i < n_grouped else None for i in range(n_hyp)]
    prior = rng.uniform(0.1, 0.9, n_hyp)
    for g in set(x for x in groups if x):
        idx = [i for i, x in enumerate(groups) if x == g]
        prior[idx] = rng.dirichlet(np.ones(len(idx)))
    hids = [f"h{i:02d}" for i in range(n_hyp)]
    hyp = pd.DataFrame({"holder": rng.choice(["them", "a", "b"], n_hyp),
                        "kind": rng.choice(kinds, n_hyp), "statement": "s",
                        "prior": prior, "group": groups},
                       index=pd.Index(hids, name="hypothesis"))
    rows = []
    ratings = list(C.RATING_LR)
    for e in range(n_ev):
        for h in rng.choice(hids, rng.integers(1, 6), replace=False):
            use_rating = rng.random() < 0.6
            rows.append({"evidence": f"e{e:03d}", "hypothesis": h, "description": f"item {e}",
                         "date": pd.NaT, "source": f"src{e % 7}",
                         "credibility": float(rng.uniform(0.3, 1.0)),
                         "rating": rng.choice(ratings) if use_rating else None,
                         "p_if_true": np.nan if use_rating else float(rng.uniform(0.05, 0.95)),
                         "p_if_false": np.nan if use_rating else float(rng.uniform(0.05, 0.95))})
    ev = pd.DataFrame(rows)
    qrows = []
    for q in range(n_q):
        for h in rng.choice(hids, rng.integers(1, 4), replace=False):
            qrows.append({"question": f"q{q:03d}", "text": f"question {q}", "hypothesis": h,
                          "p_yes_if_true": float(rng.uniform(0, 1)),
                          "p_yes_if_false": float(rng.uniform(0, 1))})
    meta = DealMeta(id="synthetic", title="synthetic", decision="d", us="us", counterpart="them",
                    as_of=date(2026, 1, 1))
    return Deal(meta=meta, parties=parties, stakeholders=stakeholders, hypotheses=hyp,
                evidence=ev, questions=pd.DataFrame(qrows))


def run() -> list[dict]:
    rng = np.random.default_rng(1)
    hyps = [f"h{i}" for i in range(N_HYP)]
    prior = pd.Series(rng.dirichlet(np.ones(N_HYP)), index=hyps)
    lik = pd.DataFrame(rng.uniform(0.01, 1, (N_EV, N_HYP)), columns=hyps)
    p_yes = pd.DataFrame(rng.uniform(0, 1, (N_Q, N_HYP)), columns=hyps)

    def pure():
        post = C.posterior(prior, lik)
        return C.question_gains(post, p_yes)

    L, P = lik.to_numpy(), p_yes.to_numpy()
    pi = prior.to_numpy()

    def floor():
        return np.log(L).sum(axis=0), P @ pi

    deal = synthetic_deal()
    first_q = deal.questions["question"].iloc[0]
    first_row = deal.evidence.iloc[1]

    t_pure = _median_ms(pure)
    t_floor = _median_ms(floor)
    t_deal = _median_ms(lambda: C.analyse(deal), repeats=7)
    t_cb = _median_ms(lambda: C.what_if(
        deal, off=["e000"], ratings={first_row["evidence"]: {first_row["hypothesis"]: "II"}},
        answers={first_q: "yes"}), repeats=7)
    size = f"{N_HYP} hyp × {N_EV} evidence × {N_Q} questions"
    return [
        {"name": f"constraints: posterior + question ranking (pure, {size})", "value": t_pure,
         "unit": "ms", "target": "< 50 ms", "ok": t_pure < 50},
        {"name": "constraints: pure / numpy floor (same-size log-sum + matvec)",
         "value": t_pure / t_floor, "unit": "ratio", "target": "report", "ok": True},
        {"name": f"constraints: analyse(deal) full analysis ({size})", "value": t_deal,
         "unit": "ms", "target": "< 50 ms", "ok": t_deal < 50},
        {"name": "constraints: what_if widget callback (same deal)", "value": t_cb,
         "unit": "ms", "target": "< 50 ms", "ok": t_cb < 50},
    ]


if __name__ == "__main__":
    for row in run():
        print(f"{row['name']:<80} {row['value']:10.2f} {row['unit']:<6} {row['target']:<10} "
              f"{'ok' if row['ok'] else 'MISSED'}")
