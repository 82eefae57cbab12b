"""Benchmarks of powerkit.influence (walkthrough 2).

- Synthetic organisation of 2,000 people (``powerkit.deal.synthetic.make_deal(2000)``, ~20,000 ties):
  the whole widget analysis (:func:`powerkit.influence.what_if`) cold, and each kind of widget
  callback afterwards (threshold, measure, budget, tie kind) — target < 1 s per callback.
- 5,000 people / 50,000 ties: exact betweenness (powerkit's batched Brandes,
  :func:`powerkit.influence.path_measures`) against networkx's sampled betweenness
  (``k=`` sources, ``seed=0``): time ratio, and the ranking error of the sample (Spearman rank
  correlation with the exact values, overlap of the top 50).
- Engagement plan: exact marginal-gain evaluations of CELF vs plain greedy on the 2,000-person
  deal, and how far greedy is from the brute-force optimum on small random groups.

Timings are medians of repeats (time.perf_counter).
"""
from __future__ import annotations

import itertools

import numpy as np
from timing import median_time

from powerkit import influence as inf
from powerkit.deal.synthetic import make_deal
from powerkit.widgets.influence import CallbackCache

K_SAMPLE = 128


def _time(fn, repeats=3, setup=None):
    return median_time(fn, repeats, setup=setup)


def _row(name, value, unit, target, ok):
    return {"name": name, "value": float(value), "unit": unit, "target": target, "ok": bool(ok)}


def _callbacks(rows):
    deal = make_deal(2000)
    inf.what_if(make_deal(50))  # imports and first-call costs out of the way
    cache = CallbackCache()  # the widget's own cache, as build_influence_widgets keeps it
    cold, _ = _time(lambda: inf.what_if(deal, cache=cache), setup=cache.clear)
    rows.append(_row("what_if cold, 2,000 people (all kinds)", cold, "s", "< 1 s", cold < 1.0))
    inf.what_if(deal, cache=cache)
    for label, kw in (("threshold", dict(threshold=0.35)), ("measure", dict(measure="closeness")),
                      ("budget", dict(budget=6))):
        t, _ = _time(lambda kw=kw: inf.what_if(deal, cache=cache, **kw))
        rows.append(_row(f"widget callback: {label}, 2,000 people", t, "s", "< 1 s", t < 1.0))

    def kind_change():
        cache.clear()
        inf.what_if(deal, cache=cache)

    t, _ = _time(lambda: inf.what_if(deal, kind="advice", cache=cache), setup=kind_change)
    rows.append(_row("widget callback: tie kind (first visit), 2,000 people", t, "s", "< 1 s",
                     t < 1.0))
    # CELF vs plain greedy
    t_celf, celf = _time(lambda: inf.engagement_plan(deal, k=5), repeats=1)
    t_gr, greedy = _time(lambda: inf.engagement_plan(deal, k=5, method="greedy"), repeats=1)
    rows.append(_row("engagement plan k=5, 2,000 people: CELF time", t_celf, "s", "< 1 s",
                     t_celf < 1.0))
    rows.append(_row("engagement plan: plain greedy / CELF evaluations",
                     greedy.evaluations / max(celf.evaluations, 1), "x",
                     "> 10x fewer with CELF, same plan",
                     greedy.order == celf.order and greedy.evaluations > 10 * celf.evaluations))
    rows.append(_row("engagement plan: plain greedy / CELF time", t_gr / t_celf, "x",
                     "> 1 (informational)", t_gr > t_celf))


def _betweenness(rows):
    import networkx as nx
    from scipy.stats import spearmanr

    deal = make_deal(5000, n_ties=50_000, seed=1)
    G = inf.informal_graph(deal)
    t_exact, exact = _time(lambda: inf.path_measures(G)["betweenness"], repeats=1)
    t_nx, sampled = _time(lambda: nx.betweenness_centrality(G, k=K_SAMPLE, seed=0), repeats=1)
    t_pk, pk_sampled = _time(lambda: inf.path_measures(G, k=K_SAMPLE, seed=0)["betweenness"],
                             repeats=3)
    s = np.array([sampled[v] for v in exact.index])
    rho = spearmanr(exact.to_numpy(), s).statistic
    top = 50
    top_exact = set(exact.sort_values(ascending=False).index[:top])
    top_sample = set(np.asarray(exact.index)[np.argsort(-s, kind="stable")[:top]])
    overlap = len(top_exact & top_sample) / top
    same = np.allclose(pk_sampled.to_numpy(), s, atol=1e-12)
    rows += [
        _row("betweenness 5,000/50,000: exact (powerkit batched Brandes)", t_exact, "s",
             "informational", True),
        _row(f"betweenness 5,000/50,000: networkx sampled k={K_SAMPLE}", t_nx, "s",
             "informational", True),
        _row(f"betweenness: networkx sampled k={K_SAMPLE} / powerkit exact time", t_nx / t_exact,
             "x", "informational (> 1: exact is cheaper than networkx's sample)", True),
        _row("betweenness: networkx exact, extrapolated (sampled time × n/k; not run)",
             t_nx * G.number_of_nodes() / K_SAMPLE, "s", "informational", True),
        _row(f"betweenness: networkx exact / networkx sampled k={K_SAMPLE} time (n/k)",
             G.number_of_nodes() / K_SAMPLE, "x", "informational", True),
        _row(f"betweenness: powerkit sampled k={K_SAMPLE} time (same sample as networkx)", t_pk,
             "s", "identical values to networkx", same),
        _row(f"betweenness sample k={K_SAMPLE}: Spearman rank correlation with exact", rho, "",
             "> 0.8", rho > 0.8),
        _row(f"betweenness sample k={K_SAMPLE}: top-{top} overlap with exact", overlap, "share",
             "> 0.7", overlap > 0.7),
    ]


def _fj_stances(W, x0, fixed):
    """Friedkin–Johnsen equilibrium stances with the people in ``fixed`` held at their value
    (solved directly, independently of powerkit)."""
    n = len(x0)
    lam = 1 - np.diag(W)
    M = np.eye(n) - lam[:, None] * W
    b = (1 - lam) * x0
    for q, y in fixed.items():
        M[q] = 0
        M[q, q] = 1
        b[q] = y
    return np.linalg.solve(M, b)


def _greedy_vs_optimum(rows, cases=30, n=7, k=3):
    """Greedy plan's rise of the forecast as a share of the best possible rise (brute force
    over every sequence of k contacts), on random small groups."""
    ratios = []
    rng = np.random.default_rng(0)
    for _ in range(cases):
        A = rng.random((n, n)) * (rng.random((n, n)) < 0.45)
        np.fill_diagonal(A, 0)
        A += np.diag(rng.uniform(0.2, 1.0, n))
        W = A / A.sum(axis=1, keepdims=True)
        x0 = rng.uniform(-1, 1, n)
        d = rng.random(n) * (rng.random(n) < 0.5)
        d[0] += 0.5
        eff = rng.uniform(0.2, 1.0, n)
        plan = inf.plan_engagement(W, x0, d / d.sum(), k, effect=eff)
        best = plan.final
        base = plan.baseline
        # brute force: evaluate each sequence with the same model (independent solve)
        for seq in itertools.product(range(n), repeat=k):
            fixed = {}
            for j in seq:
                z = _fj_stances(W, x0, fixed)
                fixed[j] = z[j] + eff[j] * (1 - z[j])
            best = max(best, float((d / d.sum()) @ _fj_stances(W, x0, fixed)))
        ratios.append((plan.final - base) / (best - base) if best > base else 1.0)
    rows += [
        _row(f"greedy / optimum rise, {cases} random groups (n={n}, k={k}): mean",
             float(np.mean(ratios)), "share", "≥ 1 − 1/e = 0.632", min(ratios) >= 1 - 1 / np.e),
        _row(f"greedy / optimum rise: worst case of {cases}", float(np.min(ratios)), "share",
             "≥ 0.632", min(ratios) >= 1 - 1 / np.e),
        _row(f"greedy = optimum in share of {cases} cases",
             float(np.mean(np.isclose(ratios, 1.0))), "share", "informational", True),
    ]


def run() -> list[dict]:
    rows: list[dict] = []
    _callbacks(rows)
    _betweenness(rows)
    _greedy_vs_optimum(rows)
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{'ok ' if r['ok'] else 'NO '} {r['name']}: {r['value']:.4g} {r['unit']} "
              f"(target {r['target']})")
