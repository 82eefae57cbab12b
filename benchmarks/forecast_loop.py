"""The peer of powerkit.forecast.bdm: the same BDM rules written as a straightforward Python loop
over actor pairs (and, for the win probabilities, over voters), the way replications of Bueno de
Mesquita's model are usually written (e.g. D. Masad's GroupDecisionModel.py).

Used by ``benchmarks/bench_forecast.py`` (time ratio) and ``tests/test_forecast_dynamic.py``
(same results on random tables). Plain floats and the ``math`` module only; no numpy. The rules
are those listed in ``powerkit.forecast.bdm.NOTES`` (the constants below are repeated, not
imported, so the loop stays an independent reading of them).
"""
from __future__ import annotations

EPS = 1e-9
TIE_TOL = 1e-12
KINDS = ("conflict", "compromise", "capitulation")


def weighted_median(x, w):
    """The lowest position at which the cumulative weight (positions ascending) reaches half."""
    total_by_pos = {}
    for xi, wi in zip(x, w, strict=True):
        total_by_pos[xi] = total_by_pos.get(xi, 0.0) + wi
    pos = sorted(total_by_pos)
    total = 0.0
    for p in pos:
        total += total_by_pos[p]
    cum = 0.0
    for p in pos:
        cum += total_by_pos[p]
        if cum >= total / 2.0 - TIE_TOL * total:
            return p
    return pos[-1]


def win_probability(i, j, x, w):
    """P_ij = Σ_k max(0, v_k) / Σ_k |v_k|, v_k = w_k (|x_k − x_j| − |x_k − x_i|)."""
    top = 0.0
    bottom = 0.0
    for k in range(len(x)):
        v = w[k] * (abs(x[k] - x[j]) - abs(x[k] - x[i]))
        top += max(v, 0.0)
        bottom += abs(v)
    return top / bottom if bottom > 0 else 0.0


def utilities(d, r, dmu_challenger, q, t):
    """(U_s, U_f, status-quo term) for distance d, risk r, the challenger's distance to μ."""
    us = 2.0 - 4.0 * (0.5 - 0.5 * d) ** r
    uf = 2.0 - 4.0 * (0.5 + 0.5 * d) ** r
    ub = 2.0 - 4.0 * (0.5 - 0.25 * (dmu_challenger + d)) ** r
    uw = 2.0 - 4.0 * (0.5 + 0.25 * (dmu_challenger + d)) ** r
    usq = 2.0 - 4.0 * 0.5 ** r
    return us, uf, q * usq + (1.0 - q) * (t * ub + (1.0 - t) * uw)


def expected(i, j, x, s, p_ij, r_seen, span, mu, q, t):
    """E(challenger i against j) as judged with risk exponent r_seen: resistance s_j."""
    d = abs(x[i] - x[j]) / span
    us, uf, sq = utilities(d, r_seen, abs(x[i] - mu) / span, q, t)
    return s[j] * (p_ij * us + (1.0 - p_ij) * uf) + (1.0 - s[j]) * us - sq


def risk_exponents(x, w, s, span, mu, q, t):
    n = len(x)
    exposure = [0.0] * n
    for i in range(n):
        for j in range(n):
            if i != j:
                # E_j(U_ji) with r = 1, added to i's exposure
                exposure[i] += expected(j, i, x, s, win_probability(j, i, x, w), 1.0, span, mu,
                                        q, t)
    hi, lo = max(exposure), min(exposure)
    if hi - lo <= EPS * max(1.0, abs(hi), abs(lo)):
        return [1.0] * n
    out = []
    for e in exposure:
        big_r = (2.0 * e - hi - lo) / (hi - lo)
        out.append((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0))
    return out


def one_round(x, c, s, span, q=1.0, t=1.0):
    """New positions, risk exponents and accepted offers (i, j, kind, new position)."""
    n = len(x)
    if span <= 0 or n < 2:           # nothing to contest: one quiet round
        return list(x), [1.0] * n, []
    w = [c[k] * s[k] for k in range(n)]
    mu = weighted_median(x, w)
    r = risk_exponents(x, w, s, span, mu, q, t)
    new = list(x)
    accepted = []
    for i in range(n):
        cands = []  # (proposer, kind, move) of every offer i receives
        for j in range(n):
            gap = x[j] - x[i]
            if i == j or abs(gap) <= EPS * span:
                continue
            a = expected(i, j, x, s, win_probability(i, j, x, w), r[i], span, mu, q, t)
            b = expected(j, i, x, s, win_probability(j, i, x, w), r[i], span, mu, q, t)
            if b > a + EPS and a > EPS:
                cands.append((j, 0, gap))
            elif b > EPS and a < -EPS and b > -a + EPS:
                cands.append((j, 1, gap * (-a / b)))
            elif b > EPS and a < -EPS and -a > b + EPS:
                cands.append((j, 2, gap))
        if not cands:
            continue
        # the least move; ties within EPS of the range go to the first proposer
        least = min(abs(m) for _, _, m in cands)
        j, kind, move = next(cd for cd in cands if abs(cd[2]) <= least + EPS * span)
        new[i] = x[i] + move
        accepted.append((i, j, kind, new[i]))
    return new, r, accepted


def bdm_loop(actors_by_issue, rounds=10, q=1.0, t=1.0):
    """Run the loop on {issue: (x, c, s)}; returns {issue: (states, risks, accepted)}."""
    out = {}
    for issue, (x, c, s) in actors_by_issue.items():
        x, c, s = [float(v) for v in x], [float(v) for v in c], [float(v) for v in s]
        span = max(x) - min(x)
        states, risks, acc_all = [list(x)], [], []
        for _ in range(rounds):
            new, r, acc = one_round(states[-1], c, s, span, q, t)
            risks.append(r)
            acc_all.append(acc)
            states.append(new)
            if not acc:
                break
        out[issue] = (states, risks, acc_all)
    return out
