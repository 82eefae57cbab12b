"""Benchmarks of powerkit.forecast (walkthrough 6).

- A synthetic positions table of 100 actors × 20 issues (seed 0: positions whole numbers 0–100,
  so ties occur as in real tables; salience and capability uniform in [0.1, 1]): the time of
  every model on it — weighted mean, weighted median, Condorcet winner, Bueno de Mesquita's
  expected-utility model (10 rounds, both rule sets) and Stokman's exchange model — printed as
  informational rows.
- BDM against the straightforward per-pair Python loop of the same rules
  (``benchmarks/forecast_loop.py``), target ≥ 20× faster. The loop needs about 20 s an issue
  here, so both are timed on the same first 2 issues of the table (100 actors, 10 rounds each;
  the issues are independent, so the ratio is that of the whole table), and their positions,
  risk exponents and accepted offers are asserted equal (to 1e-9) in the same run.

Timings are medians of repeats (time.perf_counter), measured in this run.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from forecast_loop import bdm_loop
from timing import median_time

from powerkit.forecast.bdm import OFFER_KINDS, expected_utility_model
from powerkit.forecast.compromise import condorcet_winner, weighted_mean, weighted_median
from powerkit.forecast.exchange import exchange_model

N_ACTORS, N_ISSUES, ROUNDS, LOOP_ISSUES = 100, 20, 10, 2


def _row(name, value, unit, target, ok):
    return {"name": name, "value": float(value), "unit": unit, "target": target, "ok": bool(ok)}


def synthetic_table(n=N_ACTORS, m=N_ISSUES, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "actor": np.tile([f"actor {i}" for i in range(n)], m),
        "issue": np.repeat([f"issue {k}" for k in range(m)], n),
        "position": rng.integers(0, 101, n * m).astype(float),
        "salience": rng.uniform(0.1, 1.0, n * m),
        "capability": rng.uniform(0.1, 1.0, n * m)})


def _same(res, loop, table) -> bool:
    """The model's rounds, risk exponents and accepted offers equal the loop's."""
    for issue, (states, risks, accepted) in loop.items():
        actors = table.loc[table["issue"] == issue, "actor"].tolist()
        pos = res.rounds[res.rounds["issue"] == issue].pivot(
            index="round", columns="actor", values="position")[actors].to_numpy()
        rk = res.risk[res.risk["issue"] == issue].pivot(
            index="round", columns="actor", values="risk")[actors].to_numpy()
        if pos.shape != (len(states), len(actors)) or not np.allclose(pos, states, atol=1e-9):
            return False
        if not np.allclose(rk, risks, atol=1e-9):
            return False
        mv = res.moves[res.moves["issue"] == issue]
        got = [(r.round, actors.index(r.actor), actors.index(r.proposer), r.kind)
               for r in mv.itertuples()]
        want = [(k + 1, i, j, OFFER_KINDS[kind]) for k, acc in enumerate(accepted)
                for i, j, kind, _ in acc]
        if got != want:
            return False
    return True


def run() -> list[dict]:
    table = synthetic_table()
    size = f"{N_ACTORS} actors × {N_ISSUES} issues"
    rows = []
    models = [("weighted mean", lambda: weighted_mean(table), 5),
              ("weighted median", lambda: weighted_median(table), 5),
              ("Condorcet winner", lambda: condorcet_winner(table), 3),
              (f"BDM, {ROUNDS} rounds (text rules)",
               lambda: expected_utility_model(table, rounds=ROUNDS), 3),
              (f"BDM, {ROUNDS} rounds (program rules)",
               lambda: expected_utility_model(table, rounds=ROUNDS, rules="program"), 3),
              ("exchange model (one round)", lambda: exchange_model(table), 3)]
    total = 0.0
    for name, fn, reps in models:
        t, _ = median_time(fn, reps, warmup=True)
        total += t
        rows.append(_row(f"{name}, {size}", t, "s", "informational", True))
    rows.append(_row(f"all models, {size}", total, "s", "informational", True))

    sub = table[table["issue"].isin([f"issue {k}" for k in range(LOOP_ISSUES)])]
    t_vec, res = median_time(lambda: expected_utility_model(sub, rounds=ROUNDS), 3)
    groups = {i: (g["position"].tolist(), g["capability"].tolist(), g["salience"].tolist())
              for i, g in sub.groupby("issue", sort=False)}
    t_loop, loop = median_time(lambda: bdm_loop(groups, ROUNDS), 1)
    same = _same(res, loop, sub)
    ratio = t_loop / t_vec
    label = f"BDM {ROUNDS} rounds, {N_ACTORS} actors × {LOOP_ISSUES} issues"
    rows += [
        _row(f"{label}: vectorised", t_vec, "s", "informational", True),
        _row(f"{label}: per-pair loop (benchmarks/forecast_loop.py)", t_loop, "s",
             "informational", True),
        _row(f"{label}: loop / vectorised time (same results: {same})", ratio, "x",
             "≥ 20x, same results", ratio >= 20 and same),
    ]
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{r['name']:<80} {r['value']:>10.4g} {r['unit']:<3} {r['target']:<22} "
              f"{'yes' if r['ok'] else 'NO'}")
