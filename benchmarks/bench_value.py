"""Benchmarks of powerkit.value: the exact frontier against negmas, at 12 issues, Monte Carlo.

- 8 issues x 5 options (390,625 packages), one random additive problem: negmas'
  ``preferences.ops.pareto_frontier`` on two ``LinearAdditiveUtilityFunction``s (it enumerates
  every outcome) against :func:`powerkit.value.pareto_frontier`; the same frontier points are
  checked and the speed ratio printed (target ≥ 100x).
- 12 issues x 5 options (2.4·10⁸ packages): exact frontier < 2 s.
- Monte Carlo band and P(beats their BATNA) with 1,000 draws on the sample deal < 1 s.

Timings are medians of repeats (time.perf_counter); negmas runs once (it takes seconds).
"""
from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from timing import median_time

from powerkit import load_deal
from powerkit import value as pv

ROOT = Path(__file__).resolve().parents[1]


def _median(fn, repeats=5):
    return median_time(fn, repeats)


def random_problem(n_issues: int, n_options: int, seed: int = 0):
    """Random GENIUS-style ratings and weights for both sides: (ratings, weights) tables."""
    rng = np.random.default_rng(seed)
    ratings = pd.DataFrame({
        "issue": np.repeat([f"i{k}" for k in range(n_issues)], n_options),
        "option": [f"o{j}" for j in range(n_options)] * n_issues,
        "us": rng.random(n_issues * n_options), "them": rng.random(n_issues * n_options)})
    weights = {f"i{k}": tuple(rng.random(2)) for k in range(n_issues)}
    return ratings, weights


def negmas_frontier(options: pd.DataFrame):
    """negmas on the same additive problem: values = contribution / weight per side."""
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import pareto_frontier

    issues_order = list(pd.unique(options["issue"]))
    issues = [make_issue(options.loc[options["issue"] == i, "option"].tolist(), i)
              for i in issues_order]
    ufuns = []
    for side in ("us", "them"):
        w = options.groupby("issue", sort=False)[f"{side}_weight"].first()
        values = {i: {r.option: (getattr(r, side) / w[i] if w[i] > 0 else 0.0)
                      for r in options[options["issue"] == i].itertuples()} for i in issues_order}
        ufuns.append(LinearAdditiveUtilityFunction(values, weights=w.to_dict(), issues=issues))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        points, _ = pareto_frontier(ufuns, issues=issues)
    return np.array(sorted(points))


def run() -> list[dict]:
    rows = []
    # -- against negmas, 8 x 5 -------------------------------------------------------------
    options = pv.score_options(*random_problem(8, 5, seed=1))
    t0 = time.perf_counter()
    theirs = negmas_frontier(options)
    t_negmas = time.perf_counter() - t0
    t_ours, ours_df = _median(lambda: pv.pareto_frontier(options), repeats=7)
    ours = np.array(sorted(zip(ours_df["us"], ours_df["them"], strict=True)))
    same = ours.shape == theirs.shape and bool(np.allclose(ours, theirs, atol=1e-9))
    print(f"value: negmas 8x5 frontier {len(theirs)} points in {t_negmas:.3f} s; powerkit "
          f"{len(ours)} points in {t_ours * 1e3:.2f} ms; same points: {same}; "
          f"ratio {t_negmas / t_ours:.0f}x")
    rows.append({"name": "frontier 8x5 same points as negmas", "value": float(len(ours)),
                 "unit": "points", "target": f"= negmas ({len(theirs)})", "ok": same})
    rows.append({"name": "frontier 8x5 speed vs negmas", "value": t_negmas / t_ours,
                 "unit": "x", "target": ">= 100x", "ok": t_negmas / t_ours >= 100})
    # -- 12 x 5 exact ----------------------------------------------------------------------
    big = pv.score_options(*random_problem(12, 5, seed=2))
    t_big, f_big = _median(lambda: pv.pareto_frontier(big), repeats=5)
    print(f"value: 12x5 ({5 ** 12:.2e} packages) exact frontier of {len(f_big)} packages in "
          f"{t_big * 1e3:.1f} ms")
    rows.append({"name": "frontier 12x5 (2.4e8 packages)", "value": t_big, "unit": "s",
                 "target": "< 2 s", "ok": t_big < 2.0})
    # -- Monte Carlo, 1,000 draws on the sample deal ---------------------------------------
    deal = load_deal(ROOT / "data" / "deals" / "northwind-vendor")
    opts = pv.options_from_deal(deal)
    t_mc, mc = _median(lambda: pv.monte_carlo(opts, n_draws=1000, weight_spread=0.25,
                                              rating_spread=0.1, batna_them=0.3, seed=0), repeats=5)
    print(f"value: Monte Carlo 1,000 draws on northwind-vendor ({pv.count_packages(opts)} "
          f"packages): {t_mc * 1e3:.1f} ms")
    rows.append({"name": "Monte Carlo 1000 draws (sample deal)", "value": t_mc, "unit": "s",
                 "target": "< 1 s", "ok": t_mc < 1.0})
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
