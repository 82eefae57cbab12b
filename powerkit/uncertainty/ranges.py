"""The ranges of a deal's numeric inputs: one row per uncertain input, its distribution, and
seeded draws from it (docs/methods/uncertainty.md §1).

Default spreads by input kind (each multiplied by the global ``spread``):

============  =====================================  ===========================================
kind          inputs                                 distribution
============  =====================================  ===========================================
rating        parties: resources, legal_position,    uniform on value ± 0.1, clipped to [0, 1]
              status, coalition_strength, external
              (us and the counterpart); the
              counterpart's people: trust_*,
              frame_fit
stance        stakeholders.stance                    uniform on value ± 0.2, clipped to [−1, 1]
money         parties: reservation_price (us, the    uniform on value · (1 ± 0.05)
              counterpart, rivals), batna_value
probability   hypotheses.prior, evidence.p_if_true   Beta(κ·p, κ·(1 − p)), κ = 20 (mean p);
              / p_if_false, stakeholders.            the priors of a group of mutually exclusive
              susceptibility                         hypotheses: Dirichlet(κ·p) (Beta marginals)
weight        the three source weights               Dirichlet(κ_w·W), κ_w = 50
============  =====================================  ===========================================

With ``spread = s`` the half-widths are multiplied by ``s`` and the concentrations divided by
``s²`` (so every standard deviation scales about linearly with ``s``); ``s = 0`` fixes every
input at its value. A probability of exactly 0 or 1 stays fixed (a Beta cannot leave it).
Blank cells are not drawn: the analysis assumes them (neutral 0.5) and says so.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..deal import number
from ..errors import bad_argument
from ..power import SOURCES, apply_events, resolve_weights

__all__ = ["DEFAULT_SPREADS", "PARTY_RATINGS", "PEOPLE_RATINGS", "input_ranges", "draw",
           "from_unit", "moments"]

#: kind → default half-width (uniform kinds; money: relative) or concentration (Beta/Dirichlet)
DEFAULT_SPREADS: dict[str, float] = {"rating": 0.1, "stance": 0.2, "money": 0.05,
                                     "probability": 20.0, "weight": 50.0}
PARTY_RATINGS = ("resources", "legal_position", "status", "coalition_strength", "external")
PEOPLE_RATINGS = ("trust_competence", "trust_benevolence", "trust_reliability", "frame_fit")
_CLIP = {"rating": (0.0, 1.0), "stance": (-1.0, 1.0)}
_COLUMNS = ["name", "table", "row", "column", "kind", "dist", "value", "low", "high", "a", "b",
            "group"]


def _setting(spreads: Mapping, column: str, table: str, kind: str) -> float:
    for key in (column, table, kind):
        if key in spreads:
            v = spreads[key]
            if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating) \
                    or not np.isfinite(v) or v < 0:
                raise bad_argument("spreads", "input_ranges", "map names to numbers >= 0", v)
            return float(v)
    return DEFAULT_SPREADS[kind]


def _rivals(d) -> list:
    p = d.parties
    us_role = str(p.at[d.us, "role"]) if "role" in p else "other"
    return [r for r in p.index if p.at[r, "side"] == "rival"
            and ("role" not in p or p.at[r, "role"] in (us_role, "other"))]


def input_ranges(deal, spread: float = 1.0, spreads: Mapping | None = None) -> pd.DataFrame:
    """The uncertain inputs of a deal with their distributions.

    Parameters
    ----------
    deal : powerkit.Deal
    spread : float ≥ 0, default 1.0
        Multiplies every half-width and divides every concentration by ``spread²``; 0 fixes
        every input at its value.
    spreads : mapping, optional
        Overrides of :data:`DEFAULT_SPREADS` by column (``"trust_competence"``,
        ``"reservation_price"``, ``"prior"``, ``"susceptibility"``, ``"source_weights"``, …), by
        table (``"parties"``, ``"stakeholders"``, ``"hypotheses"``, ``"evidence"``,
        ``"weights"``) or by kind (``"rating"``, ``"stance"``, ``"money"``, ``"probability"``,
        ``"weight"``), in that order of precedence. For uniform kinds the number is the
        half-width (money: relative, 0.05 = ±5 %); for probabilities and weights the
        concentration κ of the Beta/Dirichlet.

    Returns
    -------
    DataFrame
        One row per uncertain input: ``name`` (``table:row:column``), ``table, row, column,
        kind, dist`` (``uniform``, ``beta``, ``dirichlet`` or ``fixed``), ``value`` (the entered
        value, what the point analysis reads), ``low, high`` (the uniform's ends before
        clipping), ``a, b`` (Beta parameters; Dirichlet: ``a`` is the Gamma shape) and
        ``group`` (the Dirichlet group).

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> r = input_ranges(make_deal(10, seed=1))
    >>> sorted(r["kind"].unique())
    ['money', 'probability', 'rating', 'stance', 'weight']
    >>> bool((input_ranges(make_deal(10, seed=1), spread=0)["dist"] == "fixed").all())
    True
    """
    s = number(spread)
    if s is None or s < 0 or isinstance(spread, bool):
        raise bad_argument("spread", "input_ranges", "a number >= 0", spread)
    spreads = dict(spreads or {})
    d = apply_events(deal)
    us, them = d.us, d.counterpart
    rows = []

    def add(table, row, column, kind, value):
        h = _setting(spreads, column, table, kind)
        low = high = value
        a = b = np.nan
        group = None
        if kind in ("rating", "stance"):
            dist = "uniform" if s * h > 0 else "fixed"
            low, high = value - s * h, value + s * h
        elif kind == "money":
            dist = "uniform" if s * h > 0 and value != 0 else "fixed"
            low, high = value - s * h * abs(value), value + s * h * abs(value)
        else:
            k = h / s ** 2 if s > 0 else np.inf
            dist = "beta" if 0 < value < 1 and np.isfinite(k) and k > 0 else "fixed"
            a, b = k * value, k * (1 - value)
        if dist == "fixed":
            low = high = value
        rows.append({"name": f"{table}:{row}:{column}", "table": table, "row": row,
                     "column": column, "kind": kind, "dist": dist, "value": float(value),
                     "low": float(low), "high": float(high), "a": a, "b": b, "group": group})

    p = d.parties
    for party in (us, them):
        for c in PARTY_RATINGS:
            v = number(p.at[party, c]) if c in p else None
            if v is not None:
                add("parties", party, c, "rating", min(1.0, max(0.0, v)))
    for party in (us, them, *_rivals(d)):
        for c in ("reservation_price", "batna_value"):
            if party not in (us, them) and c == "batna_value":
                continue
            v = number(p.at[party, c]) if c in p else None
            if v is not None:
                add("parties", party, c, "money", v)
    st = d.stakeholders
    them_people = st.index[st["party"].astype(str) == str(them)]
    for c in PEOPLE_RATINGS:
        vals = pd.to_numeric(st.loc[them_people, c], errors="coerce")
        for pid, v in vals.dropna().items():
            add("stakeholders", str(pid), c, "rating", float(v))
    raw = deal.stakeholders
    for pid, v in pd.to_numeric(raw["stance"], errors="coerce").dropna().items():
        add("stakeholders", str(pid), "stance", "stance", float(v))
    if "susceptibility" in raw:
        listens = set()
        if deal.has("ties"):
            t = deal.ties
            listens = set(t.loc[t["source"].astype(str) != t["target"].astype(str),
                                "source"].astype(str))
        for pid, v in pd.to_numeric(raw["susceptibility"], errors="coerce").dropna().items():
            if str(pid) in listens:
                add("stakeholders", str(pid), "susceptibility", "probability", float(v))
    if deal.has("hypotheses"):
        hyp = deal.hypotheses
        for hid, v in pd.to_numeric(hyp["prior"], errors="coerce").items():
            n0 = len(rows)
            add("hypotheses", str(hid), "prior", "probability", float(v))
            g = hyp.at[hid, "group"]
            if pd.notna(g) and rows[n0]["dist"] == "beta":
                rows[n0].update(dist="dirichlet", group=f"hypotheses:{g}", b=np.nan)
        if deal.has("evidence"):
            ev = deal.evidence
            for i, r in enumerate(ev.itertuples(index=False)):
                if isinstance(r.rating, str) and r.rating:
                    continue
                for c in ("p_if_true", "p_if_false"):
                    v = number(getattr(r, c))
                    if v is not None:
                        add("evidence", f"{r.evidence}|{r.hypothesis}|{i}", c, "probability", v)
    w = resolve_weights()
    for src in SOURCES:
        n0 = len(rows)
        add("weights", src, "source_weights", "weight", w[src])
        if rows[n0]["dist"] == "beta":
            rows[n0].update(dist="dirichlet", group="weights", b=np.nan)
    # a group with a fixed member or a single drawn member is not a Dirichlet: fix it whole
    out = pd.DataFrame(rows, columns=_COLUMNS)
    for g, idx in out[out["dist"] == "dirichlet"].groupby("group").groups.items():
        members = out.index[out["group"] == g]
        if len(idx) < 2 or len(idx) != len(members):
            out.loc[members, ["dist", "group"]] = ["fixed", None]
    return out


def _groups(params: pd.DataFrame) -> list[np.ndarray]:
    g = params["group"].to_numpy(dtype=object)
    return [np.flatnonzero(g == k) for k in dict.fromkeys(x for x in g if x is not None)]


def draw(params: pd.DataFrame, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` draws of every input of :func:`input_ranges`, shape ``(n, len(params))``.

    Uniform inputs are drawn then clipped (ratings to [0, 1], stances to [−1, 1]); Beta inputs
    with ``rng.beta``; a Dirichlet group as independent Gammas of shape ``a`` normalised to the
    group's total value. Fixed inputs keep their value.
    """
    v = params["value"].to_numpy(dtype=float)
    X = np.broadcast_to(v, (n, len(v))).copy()
    dist = params["dist"].to_numpy(dtype=object)
    u = np.flatnonzero(dist == "uniform")
    if u.size:
        lo, hi = params["low"].to_numpy()[u], params["high"].to_numpy()[u]
        X[:, u] = lo + (hi - lo) * rng.random((n, u.size))
    b = np.flatnonzero(dist == "beta")
    if b.size:
        X[:, b] = rng.beta(params["a"].to_numpy()[b], params["b"].to_numpy()[b], (n, b.size))
    for idx in _groups(params):
        gm = rng.gamma(params["a"].to_numpy()[idx], 1.0, (n, idx.size))
        X[:, idx] = gm / gm.sum(axis=1, keepdims=True) * v[idx].sum()
    return _clip(params, X)


def _clip(params, X):
    kind = params["kind"].to_numpy(dtype=object)
    for k, (lo, hi) in _CLIP.items():
        c = np.flatnonzero(kind == k)
        if c.size:
            X[:, c] = np.clip(X[:, c], lo, hi)
    return X


def from_unit(params: pd.DataFrame, U: np.ndarray) -> np.ndarray:
    """Inputs from points of the unit cube (one column per input): the inverse CDF of each
    input's distribution (uniform; Beta; a Dirichlet group's Gammas, normalised). Used to read
    SALib's Saltelli/Sobol samples on [0, 1]^k as draws."""
    from scipy import stats

    U = np.asarray(U, dtype=float)
    v = params["value"].to_numpy(dtype=float)
    X = np.broadcast_to(v, U.shape).copy()
    dist = params["dist"].to_numpy(dtype=object)
    u = np.flatnonzero(dist == "uniform")
    lo, hi = params["low"].to_numpy(), params["high"].to_numpy()
    X[:, u] = lo[u] + (hi[u] - lo[u]) * U[:, u]
    b = np.flatnonzero(dist == "beta")
    if b.size:
        X[:, b] = stats.beta.ppf(U[:, b], params["a"].to_numpy()[b], params["b"].to_numpy()[b])
    for idx in _groups(params):
        gm = stats.gamma.ppf(np.clip(U[:, idx], 1e-12, 1 - 1e-12), params["a"].to_numpy()[idx])
        X[:, idx] = gm / gm.sum(axis=1, keepdims=True) * v[idx].sum()
    return _clip(params, X)


def moments(params: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact mean, variance and an upper bound of the third absolute central moment
    ``E|X − μ|³`` of every input *as :func:`draw` draws it* (after clipping).

    * uniform on [l, h] clipped to [a, b] (ratings, stances): an atom ``(L − l)/w`` at a, an
      atom ``(h − H)/w`` at b and density ``1/w`` on [L, H] (``w = h − l``, L and H the ends
      clipped to [a, b]); the three moments in closed form, centred for accuracy. Clipping
      moves the mean towards the interior and shrinks the variance;
    * uniform without clipping (money): ``(l + h)/2``, ``w²/12``, ``(w/2)³/4``;
    * Beta(a, b) (and a Dirichlet member: Beta(a_i, Σa − a_i) times the group's total):
      mean, variance exact; ``E|X − μ|³ ≤ μ₄^{3/4}`` (Lyapunov's inequality) with the exact
      fourth central moment ``μ₄ = σ⁴ (3 + excess kurtosis)``;
    * fixed: the (clipped) value, 0, 0.

    Used to aggregate sums of many inputs (docs/methods/uncertainty.md §2.1).

    Examples
    --------
    >>> p = pd.DataFrame({"kind": ["rating"], "dist": ["uniform"], "value": [0.95],
    ...                   "low": [0.85], "high": [1.05], "a": [np.nan], "b": [np.nan],
    ...                   "group": [None]})
    >>> m, v, _ = moments(p)
    >>> round(float(m[0]), 6), round(float(v[0]), 6)    # E = 0.94375 < 0.95: clipped at 1
    (0.94375, 0.002461)
    """
    n = len(params)
    v = params["value"].to_numpy(dtype=float)
    kind = params["kind"].to_numpy(dtype=object)
    dist = params["dist"].to_numpy(dtype=object)
    lo_c, hi_c = np.full(n, -np.inf), np.full(n, np.inf)
    for k, (a, b) in _CLIP.items():
        lo_c[kind == k], hi_c[kind == k] = a, b
    mean, var, abs3 = np.clip(v, lo_c, hi_c), np.zeros(n), np.zeros(n)
    u = np.flatnonzero(dist == "uniform")
    if u.size:
        lo, h = params["low"].to_numpy(dtype=float)[u], params["high"].to_numpy(dtype=float)[u]
        a, b = lo_c[u], hi_c[u]
        w = h - lo
        L, H = np.clip(lo, a, b), np.clip(h, a, b)
        pa, pb = (L - lo) / w, (h - H) / w
        a0, b0 = np.where(np.isfinite(a), a, 0.0), np.where(np.isfinite(b), b, 0.0)
        m = pa * a0 + pb * b0 + (H - L) * (H + L) / (2 * w)
        da, db, dL, dH = a0 - m, b0 - m, L - m, H - m
        mean[u] = m
        var[u] = pa * da ** 2 + pb * db ** 2 + (dH ** 3 - dL ** 3) / (3 * w)
        F = np.sign(dH) * dH ** 4 / 4 - np.sign(dL) * dL ** 4 / 4
        abs3[u] = pa * np.abs(da) ** 3 + pb * np.abs(db) ** 3 + F / w
    beta = np.flatnonzero(dist == "beta")
    scale = np.ones(n)
    A, B = params["a"].to_numpy(dtype=float).copy(), params["b"].to_numpy(dtype=float).copy()
    for idx in _groups(params):
        A0 = A[idx].sum()
        B[idx] = A0 - A[idx]
        scale[idx] = v[idx].sum()
        beta = np.concatenate([beta, idx])
    if beta.size:
        a, b, s = A[beta], B[beta], scale[beta]
        t = a + b
        mean[beta] = s * a / t
        var[beta] = s ** 2 * a * b / (t ** 2 * (t + 1))
        ex = 6 * ((a - b) ** 2 * (t + 1) - a * b * (t + 2)) / (a * b * (t + 2) * (t + 3))
        abs3[beta] = (var[beta] ** 2 * (3 + ex)) ** 0.75
    return mean, var, abs3
