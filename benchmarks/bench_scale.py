"""Company scale (issue 17.3) and people-scaling of the whole report (issue 18.9).

1. Walkthrough 2's measures on a synthetic organisation of 20,000 people / ~200,000 ties
   (``make_deal(20000, n_ties=200000, seed=1)``): each measure by networkx (the reference) and
   by powerkit's fast backend (:mod:`powerkit.influence.fast`), time ratio and the largest
   difference of values. networkx's sampled betweenness costs time ∝ the number of sampled
   sources, so it is timed with k = 32 sources (values compared with the fast backend's on the
   same 32) and its time for the k = 256 the walkthrough uses is that × 8 (stated as
   extrapolated); the fast backend is timed at k = 256 itself.
2. ``powerkit tables`` and ``powerkit report`` as whole commands on synthetic deals of 200, 2,000
   and 10,000 people (~10 ties each, written with ``write_deal``): wall time, the ratio
   time(2,000) / time(200) (target ≤ 3) and the peak resident memory of the whole process tree
   (target < 2 GB at 10,000 people). Peak memory is measured by polling ``/proc`` every 50 ms
   and summing the RSS of the command and every descendant (the report's kernels are
   grandchildren, which ``getrusage(RUSAGE_CHILDREN)`` would only see as a per-process maximum
   after they are reaped). A command that fails or runs past its time limit is reported as
   missing its target, with its last error line.

``BENCH_SCALE_PEOPLE`` (default ``200,2000,10000``) chooses the deal sizes and
``BENCH_SCALE_LIMIT`` (default 900 s) the time limit of one command: ``make bench`` stays bounded
even while a step is still quadratic. ``BENCH_SCALE_PARTS`` (default ``centralities,commands``)
runs only the parts named, e.g. ``commands`` for the people-scaling rows alone. See
docs/performance.md ("People scaling").
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _row(name, value, unit, target, ok):
    return {"name": name, "value": float(value), "unit": unit, "target": target, "ok": bool(ok)}


def _t(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


# -- 1. centralities on 20,000 / 200,000 --------------------------------------------------------
def _centralities(rows, n=20_000, m=200_000):
    import networkx as nx

    from powerkit import influence as inf
    from powerkit.deal.synthetic import make_deal
    from powerkit.influence import fast

    deal = make_deal(n, n_ties=m, seed=1)
    t_g, G = _t(lambda: inf.informal_graph(deal))
    t_a, (A, ids) = _t(lambda: fast.listening_matrix(deal))
    nodes = list(ids)
    rows.append(_row(f"graph build {n:,}/{m:,}: networkx graph / sparse matrix", t_g / t_a, "x",
                     "informational", True))
    # PageRank
    t_nx, pr = _t(lambda: nx.pagerank(G, weight="weight"))
    t_f, pf = _t(lambda: fast.pagerank_scores(A))
    diff = float(np.max(np.abs(np.array([pr[v] for v in nodes]) - pf)))
    rows.append(_row("PageRank 20k: networkx / fast time", t_nx / t_f, "x", "≥ 10x, same values",
                     t_nx / t_f >= 10 and diff < 1e-12))
    rows.append(_row("PageRank 20k: largest difference", diff, "", "< 1e-12", diff < 1e-12))
    # betweenness (sampled)
    k_small = 32
    t_nx, bn = _t(lambda: nx.betweenness_centrality(G, k=k_small, seed=0))
    pm = fast.path_measures_sparse(A, nodes, k=k_small, seed=0)
    diff = float(np.max(np.abs(np.array([bn[v] for v in nodes]) - pm["betweenness"].to_numpy())))
    t_f, _ = _t(lambda: fast.path_measures_sparse(A, nodes, k=256, seed=0))
    t_nx256 = t_nx * 256 / k_small
    rows.append(_row("betweenness+closeness 20k, k=256: fast (igraph) time", t_f, "s",
                     "informational", True))
    rows.append(_row("betweenness 20k, k=256: networkx (extrapolated from k=32) / fast time",
                     t_nx256 / t_f, "x", "≥ 10x", t_nx256 / t_f >= 10))
    rows.append(_row("betweenness 20k, same 32 sources: largest difference from networkx", diff,
                     "", "< 1e-12", diff < 1e-12))
    # brokerage
    groups = deal.stakeholders["department"].astype(str)
    groups.index = groups.index.astype(str)
    F = G.reverse(copy=False)
    t_nx, br = _t(lambda: inf.brokerage_roles(F, groups.to_dict()))
    t_f, bf = _t(lambda: fast.brokerage_sparse(A.T, groups.reindex(nodes).factorize()[0]))
    same = bool((br.to_numpy() == bf.to_numpy()).all())
    rows.append(_row("brokerage roles 20k: networkx-graph loop / fast time", t_nx / t_f, "x",
                     "≥ 10x, identical counts", t_nx / t_f >= 10 and same))
    # the whole measures table and the factions
    t_nxm, mn = _t(lambda: inf.measures(deal, backend="networkx", betweenness_k=32))
    t_fm, mf = _t(lambda: inf.measures(deal, backend="fast", betweenness_k=32))
    num = mn.select_dtypes("number").columns
    d = (mn[num] - mf[num]).abs().max().max()
    rows.append(_row("measures() 20k (k=32): networkx backend / fast backend time", t_nxm / t_fm,
                     "x", "≥ 10x, same values", t_nxm / t_fm >= 10 and d < 1e-9))
    t_f, _ = _t(lambda: inf.measures(deal, backend="fast"))
    rows.append(_row("measures() 20k, walkthrough default (k=256): fast backend time", t_f, "s",
                     "< 60 s", t_f < 60))
    who = inf.who_decides(deal)  # the leaders, as factions() picks them (shared by both)
    a, b = who.index[0], who.index[1]
    U = nx.Graph(G.to_undirected(reciprocal=False))
    t_nx, fa = _t(lambda: inf.faction_table(U, a, b))
    t_f, fb = _t(lambda: inf.mincut.sparse_faction_table(deal, None, "weight", a, b))
    same = fa["side"].tolist() == fb["side"].tolist() and \
        fa["uncertain"].tolist() == fb["uncertain"].tolist()
    rows.append(_row("factions (min cut) 20k: networkx / fast time", t_nx / t_f, "x",
                     "≥ 10x, same sides", t_nx / t_f >= 10 and same))
    # Friedkin–Johnsen / who decides on the sparse W (a dense W would be 20k² floats = 3.2 GB)
    t_w, W = _t(lambda: inf.influence_matrix(deal, sparse=True))
    t_f, who = _t(lambda: inf.who_decides(deal, W=W))
    rows.append(_row("who_decides 20k (sparse W, BiCGSTAB): time", t_w + t_f, "s", "< 30 s",
                     t_w + t_f < 30))
    rows.append(_row("who_decides 20k: decision shares sum to 1 (error)",
                     abs(float(who["real_weight"].sum()) - 1.0), "", "< 1e-9",
                     abs(float(who["real_weight"].sum()) - 1.0) < 1e-9))


# -- 2. whole commands --------------------------------------------------------------------------
def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                st = f.read()
            with open(f"/proc/{d}/statm") as f:
                rss[int(d)] = int(f.read().split()[1]) * page
        except OSError:
            continue
        ppid = int(st[st.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(d))
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def run_tree(cmd, limit):
    """(seconds, peak tree RSS bytes, return code, last stderr line) of one command."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        peak = 0
        while p.poll() is None:
            peak = max(peak, _tree_rss(p.pid))
            if time.perf_counter() - t0 > limit:
                subprocess.run(["pkill", "-KILL", "-P", str(p.pid)], check=False)
                p.kill()
                p.wait()
                return time.perf_counter() - t0, peak, "timeout", f"killed after {limit:.0f} s"
            time.sleep(0.05)
        secs = time.perf_counter() - t0
        err.seek(0)
        lines = [x for x in err.read().decode(errors="replace").splitlines() if x.strip()]
    return secs, peak, p.returncode, (lines[-1][:160] if lines else "")


def _commands(rows):
    from powerkit.deal.synthetic import make_deal, write_deal

    sizes = [int(x) for x in os.environ.get("BENCH_SCALE_PEOPLE", "200,2000,10000").split(",")]
    limit = float(os.environ.get("BENCH_SCALE_LIMIT", "900"))
    times: dict[tuple[str, int], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in sizes:
            folder = write_deal(make_deal(n, seed=0), tmp / f"people-{n}")
            for cmd in ("tables", "report"):
                secs, peak, rc, last = run_tree(
                    [str(BIN / "powerkit"), cmd, str(folder), "--out", str(tmp / f"out-{n}")],
                    limit)
                ok = rc == 0
                times[(cmd, n)] = secs if ok else float("nan")
                note = "" if ok else f" — FAILED ({rc}): {last}"
                rows.append(_row(f"powerkit {cmd}, {n:,} people: wall time{note}", secs, "s",
                                 "informational", ok))
                target_mem = n < 10_000 or peak < 2e9
                rows.append(_row(f"powerkit {cmd}, {n:,} people: peak RSS of the process tree",
                                 peak / 1e9, "GB", "< 2 GB at 10,000 people",
                                 ok and target_mem))
        for cmd in ("tables", "report"):
            if (cmd, 200) in times and (cmd, 2000) in times:
                r = times[(cmd, 2000)] / times[(cmd, 200)]
                rows.append(_row(f"powerkit {cmd}: time(2,000 people) / time(200)", r, "x",
                                 "≤ 3", bool(r <= 3)))


def run() -> list[dict]:
    random.seed(0)
    rows: list[dict] = []
    parts = os.environ.get("BENCH_SCALE_PARTS", "centralities,commands").split(",")
    if "centralities" in parts:
        _centralities(rows)
    if "commands" in parts:
        _commands(rows)
    return rows


if __name__ == "__main__":
    for r in run():
        print(f"{'ok ' if r['ok'] else 'NO '} {r['name']}: {r['value']:.4g} {r['unit']} "
              f"(target {r['target']})", flush=True)
