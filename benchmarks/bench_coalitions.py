"""Benchmark of powerkit.coalitions against the PyPI package ``powerindex`` (issue 7).

Same games, one run, medians of repeats (time.perf_counter):

* EU-27 Council under the Treaty of Nice (27 members, weights 29×4, 27×2, 14, 13, 12×5, 10×3,
  7×5, 4×5, 3; qualified majority 255 of 345): Shapley–Shubik and Banzhaf, powerkit
  ``power_indices`` vs powerindex ``calc_banzhaf`` + ``calc_shapley_shubik``;
* a 100-player game (seeded weights 1–10, simple majority): both indices, where the peer still
  finishes (its Shapley–Shubik divides by float(n!), which overflows beyond n = 170);
* a 200-player game (seeded weights 1–10, simple majority): Banzhaf against the peer; our exact
  Shapley–Shubik alone (the peer raises OverflowError).

Each comparison reports the speed ratio (peer time / ours; target ≥ 10×) and the largest
absolute difference between the two results (target < 1e-12).
"""
from __future__ import annotations

import time

import numpy as np
from timing import median_time

from powerkit.coalitions import power_indices, swing_counts

NICE = {"DE": 29, "FR": 29, "UK": 29, "IT": 29, "ES": 27, "PL": 27, "RO": 14, "NL": 13,
        "EL": 12, "CZ": 12, "BE": 12, "HU": 12, "PT": 12, "SE": 10, "BG": 10, "AT": 10,
        "SK": 7, "DK": 7, "FI": 7, "IE": 7, "LT": 7, "LV": 4, "SI": 4, "EE": 4, "CY": 4,
        "LU": 4, "MT": 3}
NICE_QUOTA = 255


def _median_s(fn, repeats: int) -> float:
    return median_time(fn, repeats, warmup=True)[0]


def _random_game(n: int, seed: int) -> tuple[dict, int]:
    rng = np.random.default_rng(seed)
    w = {f"v{i}": int(x) for i, x in enumerate(rng.integers(1, 11, n))}
    return w, sum(w.values()) // 2 + 1


def _peer_both(powerindex, w: dict, q: int):
    g = powerindex.Game(q, list(w.values()))
    g.calc_banzhaf()
    g.calc_shapley_shubik()
    return np.array(g.shapley_shubik), np.array(g.banzhaf)


def _peer_banzhaf(powerindex, w: dict, q: int):
    g = powerindex.Game(q, list(w.values()))
    g.calc_banzhaf()
    return np.array(g.banzhaf)


def _ours_banzhaf(w: dict, q: int):
    s = swing_counts(w, q)
    total = sum(s)
    return np.array([x / total for x in s])


def _both_rows(powerindex, label: str, w: dict, q: int, rep_ours: int, rep_peer: int):
    t_ours = _median_s(lambda: power_indices(w, q), rep_ours)
    t_peer = _median_s(lambda: _peer_both(powerindex, w, q), rep_peer)
    ours = power_indices(w, q)
    ss_p, bz_p = _peer_both(powerindex, w, q)
    diff = max(np.abs(ours["shapley_shubik"].to_numpy(float) - ss_p).max(),
               np.abs(ours["banzhaf"].to_numpy(float) - bz_p).max())
    ratio = t_peer / t_ours
    return [
        {"name": f"coalitions: {label} Shapley–Shubik + Banzhaf, powerkit", "value": t_ours * 1e3,
         "unit": "ms", "target": "report", "ok": True},
        {"name": f"coalitions: {label} speed-up vs powerindex (peer {t_peer * 1e3:.1f} ms)",
         "value": ratio, "unit": "×", "target": "≥ 10×", "ok": ratio >= 10},
        {"name": f"coalitions: {label} max |powerkit − powerindex|", "value": float(diff),
         "unit": "abs", "target": "< 1e-12", "ok": diff < 1e-12},
    ]


def run() -> list[dict]:
    import powerindex

    rows = _both_rows(powerindex, "EU-27 Nice [255; 27 members]", NICE, NICE_QUOTA,
                      rep_ours=30, rep_peer=10)
    w100, q100 = _random_game(100, seed=100)
    rows += _both_rows(powerindex, "100 players", w100, q100, rep_ours=7, rep_peer=1)

    w200, q200 = _random_game(200, seed=200)
    t_ours = _median_s(lambda: _ours_banzhaf(w200, q200), 15)
    t_peer = _median_s(lambda: _peer_banzhaf(powerindex, w200, q200), 7)
    diff = float(np.abs(_ours_banzhaf(w200, q200) - _peer_banzhaf(powerindex, w200, q200)).max())
    ratio = t_peer / t_ours
    rows += [
        {"name": f"coalitions: 200 players Banzhaf speed-up vs powerindex (ours "
                 f"{t_ours * 1e3:.1f} ms, peer {t_peer * 1e3:.1f} ms)", "value": ratio,
         "unit": "×", "target": "≥ 10×", "ok": ratio >= 10},
        {"name": "coalitions: 200 players Banzhaf max |powerkit − powerindex|", "value": diff,
         "unit": "abs", "target": "< 1e-12", "ok": diff < 1e-12},
    ]
    t_ss = _median_s(lambda: power_indices(w200, q200), 3)
    exact = power_indices(w200, q200, exact=True)
    err = abs(float(sum(exact["shapley_shubik"]) - 1))
    try:
        _peer_both(powerindex, w200, q200)
        peer_note = "peer finished"
    except OverflowError:
        peer_note = "peer: OverflowError (float(200!))"
    rows += [
        {"name": f"coalitions: 200 players exact Shapley–Shubik + Banzhaf, powerkit ({peer_note})",
         "value": t_ss * 1e3, "unit": "ms", "target": "report", "ok": True},
        {"name": "coalitions: 200 players |Σ Shapley–Shubik − 1| (exact rationals)",
         "value": err, "unit": "abs", "target": "= 0", "ok": err == 0},
    ]
    return rows


if __name__ == "__main__":
    t0 = time.perf_counter()
    for row in run():
        print(f"{row['name']:<100} {row['value']:12.4g} {row['unit']:<5} {row['target']:<9} "
              f"{'ok' if row['ok'] else 'MISSED'}")
    print(f"# {time.perf_counter() - t0:.1f} s")
