"""Monte Carlo through the whole analysis: :func:`simulate`, :func:`intervals`,
:func:`probability` and :func:`what_would_flip` (docs/methods/uncertainty.md §2–3)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import bad_argument
from ..value import monte_carlo
from .model import EXTRAS, DealModel, posture_of
from .ranges import PARTY_RATINGS, PEOPLE_RATINGS, draw, input_ranges

__all__ = ["simulate", "intervals", "probability", "Flip", "what_would_flip",
           "THEIR_WEIGHT_SPREAD", "THEIR_RATING_SPREAD"]

#: Relative half-widths of their issue weights and ratings in the Nash package's draws
#: (:func:`powerkit.value.monte_carlo`), multiplied by ``spread``.
THEIR_WEIGHT_SPREAD = 0.25
THEIR_RATING_SPREAD = 0.1
_CHUNK_CELLS = 4_000_000  # draws × inputs per chunk (bounds the memory of a simulation)


def _evaluate(model: DealModel, X: np.ndarray, their=None, nash: bool = True,
              aggregated: bool = False) -> dict:
    out = {"balance": model.balance(X, aggregated)}
    out["predicted_price"], out["share_us"] = model.price(X)
    out["posture"] = posture_of(out["balance"])
    if model.has_nash:
        if model.enumerated and nash:
            out["nash_package"] = model.nash(X, their)
        else:
            out["nash_package"] = np.full(len(X), model.point_nash, dtype=object)
    if model.has_decisions:
        R, D = model.decisions(X, aggregated)
        out["forecast_decision"] = D
        for j, k in enumerate(model.shown):
            out[f"decision_share:{model.ids[k]}"] = R[:, j]
    if model.has_hyp:
        post = model.posteriors(X)
        for h, x in enumerate(model.hyp_ids):
            out[f"posterior:{x}"] = post[:, h]
    return out


def _their_draws(model: DealModel, n: int, spread: float, seed) -> list | None:
    if not model.has_nash or not model.enumerated or spread == 0:
        return None
    mc = monte_carlo(model.options, n_draws=n, weight_spread=min(THEIR_WEIGHT_SPREAD * spread,
                                                                 0.99),
                     rating_spread=min(THEIR_RATING_SPREAD * spread, 0.99), seed=seed, grid=2)
    return list(mc.draws)


def simulate(deal, n: int = 2000, seed: int = 0, spread: float = 1.0,
             spreads: Mapping | None = None, *, people: int | None = None,
             aggregate: bool = True, extras=EXTRAS, model: DealModel | None = None
             ) -> pd.DataFrame:
    """Draw the deal's inputs from their ranges and compute the headline quantities, vectorised.

    Parameters
    ----------
    deal : powerkit.Deal
    n : int ≥ 1, default 2000
        Number of draws.
    seed : int, default 0
        Same seed, same frame.
    spread : float ≥ 0, default 1.0
        Scales every range (:func:`powerkit.uncertainty.input_ranges`); 0 gives every draw
        equal to the point analysis.
    spreads : mapping, optional
        Per column, table or kind overrides of the default spreads (see ``input_ranges``).
    people : int, optional
        Decision-share columns for at most this many people (the largest point shares);
        default everyone up to :data:`powerkit.uncertainty.model.EXACT_MAX` people, else 25.
    aggregate : bool, default True
        Above ``EXACT_MAX`` people, draw the sums over the people (the say-weighted trust and
        frame-fit means of the balance, the first-order decision shares and forecast decision)
        from normals with their exact means and covariances instead of drawing every person,
        people with a large term still drawn one by one (docs/methods/uncertainty.md §2.1;
        :mod:`powerkit.uncertainty.aggregate`). ``False`` draws every person. Changes nothing
        up to ``EXACT_MAX`` people.
    extras : iterable of str, default all of :data:`~powerkit.uncertainty.model.EXTRAS`
        The quantities simulated beside the balance, posture, price and share (always):
        ``"nash_package"``, ``"decisions"`` (forecast decision and decision shares),
        ``"posteriors"``. ``extras=()`` gives the headline ranges at a fraction of the cost
        (their setup is skipped too): what the report's trend over earlier versions needs.
    model : DealModel, optional
        One already built for these ranges, ``people``, ``aggregate`` and ``extras``
        (``DealModel(deal, input_ranges(deal, spread, spreads), people, aggregate, extras)``), reused
        instead of built again (:func:`powerkit.uncertainty.uncertainty` shares one model
        between the draws, the Sobol indices and the flip search).

    Returns
    -------
    DataFrame
        One row per draw: ``balance``, ``predicted_price``, ``share_us`` (NaN without a zone),
        ``posture`` (the first rule of :func:`powerkit.power.posture`), ``nash_package`` (the
        :func:`powerkit.uncertainty.package_id` of the Nash package; None without agreement)
        when the deal has issues, ``forecast_decision`` (the Friedkin–Johnsen forecast
        decision), ``decision_share:<stakeholder>`` per person and ``posterior:<hypothesis>``
        per hypothesis. ``attrs["point"]`` holds the point value of every column,
        ``attrs["settings"]`` the settings (with ``aggregation`` when the people's sums were
        drawn as normals: how many inputs were aggregated, how many drawn per person, and the
        largest Berry–Esseen bound of the balance's and of the decision shares' sums).

    Notes
    -----
    Vectorised over the draws: the balance, the price, the posteriors and the Nash package
    (every package enumerated, up to :data:`~powerkit.uncertainty.model.NASH_MAX`; above, the
    Nash package stays at its point value) are numpy expressions of the draws; the decision
    shares are batched exact solves up to ``EXACT_MAX`` people and a first-order expansion in
    the susceptibilities above (with ``aggregate``: its sums over the people drawn as normals). Their issue weights and ratings are drawn by
    :func:`powerkit.value.monte_carlo` (relative spreads :data:`THEIR_WEIGHT_SPREAD`,
    :data:`THEIR_RATING_SPREAD` times ``spread``). Not drawn: time pressure (discount rates,
    deadlines), counts of alternatives, ties, offers, ratings of evidence (ACH scale),
    credibilities, input weights within a source.

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> sim = simulate(make_deal(10, seed=2), n=200, seed=1)
    >>> len(sim), sim.equals(simulate(make_deal(10, seed=2), n=200, seed=1))
    (200, True)

    References
    ----------
    Saltelli, A., Ratto, M., Andres, T., et al. (2008). *Global Sensitivity Analysis: The
    Primer*. Wiley, ch. 1.
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise bad_argument("n", "simulate", "an int >= 1", n)
    if model is None:
        model = DealModel(deal, input_ranges(deal, spread, spreads), people=people,
                          aggregate=aggregate, extras=extras)
    params = model.params  # the people's inputs last when aggregated
    agg = model.aggregated
    sub = params.iloc[model.layout].reset_index(drop=True) if agg else params
    ss_inputs, ss_theirs = np.random.SeedSequence(seed).spawn(2)
    rng = np.random.default_rng(ss_inputs)
    their = _their_draws(model, int(n), float(spread),
                         int(ss_theirs.generate_state(1)[0]))
    x0 = params["value"].to_numpy(dtype=float)[None, :]
    point = {k: (v[0] if len(v) else None) for k, v in _evaluate(model, x0).items()}
    step = max(1, _CHUNK_CELLS // max(1, len(sub) + (model.n_latent if agg else 0)))
    parts = []
    for s in range(0, int(n), step):
        m = min(int(n), s + step) - s
        X = draw(sub, rng, m)
        if agg:
            X = np.concatenate([X, rng.standard_normal((m, model.n_latent))], axis=1)
        th = None if their is None else [t[:, s:s + m] for t in their]
        parts.append(pd.DataFrame(_evaluate(model, X, th, aggregated=agg)))
    sim = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    sim.attrs["point"] = {k: (float(v) if isinstance(v, np.floating | float) else v)
                          for k, v in point.items()}
    sim.attrs["settings"] = {"n": int(n), "seed": seed, "spread": float(spread),
                             "spreads": dict(spreads or {}), "inputs": int(len(params)),
                             "drawn": int((params["dist"] != "fixed").sum()),
                             "decision_shares": None if not model.has_decisions else
                             "exact" if model.exact else
                             "first-order, aggregated" if agg else "first-order",
                             "extras": list(model.extras)}
    if agg:
        sim.attrs["settings"]["aggregation"] = dict(model.aggregation)
    return sim


def intervals(sim: pd.DataFrame, level: float = 0.9) -> pd.DataFrame:
    """Equal-tailed intervals of every numeric quantity of a :func:`simulate` frame.

    ``low``/``high`` are the ``(1 − level)/2`` and ``(1 + level)/2`` quantiles of the draws
    (NaN draws, e.g. no zone, left out). The interval always contains the point estimate
    (``sim.attrs["point"]``, else the median): when the point lies outside the quantiles the
    interval is **widened** to include it, and ``widened`` says so. At ``spread=0`` every
    interval collapses to the point.

    Returns
    -------
    DataFrame indexed by quantity
        ``low, point, high, widened, p_nan`` (share of draws without a value).

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> iv = intervals(simulate(make_deal(10, seed=2), n=200))
    >>> bool(((iv["low"] <= iv["point"]) & (iv["point"] <= iv["high"])).all())
    True
    """
    if not (isinstance(level, float | int) and 0 < level < 1):
        raise bad_argument("level", "intervals", "a number strictly between 0 and 1", level)
    point = sim.attrs.get("point", {})
    # the numeric columns read once, as one array: ``sim[c]`` per column deep-copies the
    # frame's attrs (the point values: one per decision share) every time
    cols = [c for c, t in sim.dtypes.items() if pd.api.types.is_numeric_dtype(t)]
    plain = pd.DataFrame(sim, copy=False)
    plain.attrs = {}
    V = plain[cols].to_numpy(dtype=float) if cols else np.empty((len(sim), 0))
    fin = np.isfinite(V)
    q = ((1 - level) / 2, (1 + level) / 2)
    LH = np.full((2, len(cols)), np.nan)
    whole = fin.all(axis=0)
    if whole.any() and len(V):
        LH[:, whole] = np.quantile(V[:, whole], q, axis=0)
    rows = {}
    for a, c in enumerate(cols):
        ok = V[:, a] if whole[a] else V[fin[:, a], a]
        pt = point.get(c)
        pt = float(np.median(ok)) if pt is None and ok.size else pt
        pt = np.nan if pt is None else float(pt)
        if not whole[a] and ok.size:
            LH[:, a] = np.quantile(ok, q)
        lo, hi = (LH[0, a], LH[1, a]) if ok.size else (np.nan, np.nan)
        widened = bool(np.isfinite(pt) and (pt < lo or pt > hi))
        if np.isfinite(pt):
            lo, hi = min(lo, pt), max(hi, pt)
        rows[c] = {"low": lo, "point": pt, "high": hi, "widened": widened,
                   "p_nan": float(1 - ok.size / max(1, len(V)))}
    out = pd.DataFrame.from_dict(rows, orient="index",
                                 columns=["low", "point", "high", "widened", "p_nan"])
    out.index.name = "quantity"
    return out


def probability(sim: pd.DataFrame, column: str, value=None) -> float:
    """The share of draws in which ``column`` equals ``value`` (or satisfies it, when ``value``
    is a function of the column's values). Default ``value``: the point estimate, so that
    ``probability(sim, "posture")`` is the probability that the posture holds and
    ``probability(sim, "nash_package")`` that the Nash package stays the same.

    Examples
    --------
    >>> sim = pd.DataFrame({"posture": ["a", "a", "b", "a"]})
    >>> sim.attrs["point"] = {"posture": "a"}
    >>> probability(sim, "posture"), probability(sim, "posture", "b")
    (0.75, 0.25)
    """
    if column not in sim.columns:
        raise bad_argument("column", "probability", f"a column of the simulation "
                           f"({', '.join(map(str, sim.columns[:8]))}, …)", column)
    if value is None:
        value = sim.attrs.get("point", {}).get(column)
    col = sim[column]
    hit = value(col) if isinstance(value, Callable) else (col == value)
    return float(np.mean(np.asarray(hit, dtype=bool)))


@dataclass
class Flip:
    """The smallest change of one input that changes the posture or the recommended package.

    ``input`` (``table:row:column``), ``value`` (as entered), ``change`` (new − value),
    ``new_value``, ``relative`` (|change| over the input's half-range: 1 = the edge of its
    stated range), ``before`` and ``after`` (the posture or package), ``table`` (every input
    that can flip it, smallest relative change first). ``input`` is None when no single input
    can flip it within its domain.
    """

    quantity: str
    input: str | None
    value: float | None
    change: float | None
    new_value: float | None
    relative: float | None
    before: object
    after: object
    table: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)


#: Formerly the number of people (most say first) the flip search scanned in a larger deal; the
#: search is now linear in the inputs and scans everyone (kept for callers that read it).
MAX_FLIP_PEOPLE = 60
#: memory of one block of the flip search's grid
FLIP_BLOCK_BYTES = 64e6
_BISECT = 40  # bisection steps between the last grid point that keeps the answer and the next


class _OneChange:
    """Rows equal to ``x0`` except in one input each (row r: input ``cols[r]`` takes ``vals[r]``;
    ``cols[r] = -1``: no change), read a whole column at a time (``X[:, k]``), which is all
    :meth:`DealModel.balance` (with its trust means given), :meth:`DealModel.walk_aways` and
    :meth:`DealModel.nash` read. A row costs O(1) memory instead of one number per input."""

    def __init__(self, x0: np.ndarray, cols, vals):
        self.x0 = x0
        self.cols = np.asarray(cols, dtype=int)
        self.vals = np.asarray(vals, dtype=float)

    def __len__(self) -> int:
        return len(self.vals)

    def __getitem__(self, key):
        rows, k = key
        if not (isinstance(rows, slice) and rows == slice(None)) or np.ndim(k) != 0:
            raise TypeError("_OneChange is read one whole column at a time: X[:, k]")
        out = np.full(len(self.vals), self.x0[k])
        hit = self.cols == k
        out[hit] = self.vals[hit]
        return out


def _first_flips(cand, v, flips, side):
    """Per input (row of ``cand``, ascending): the first grid point beyond ``v`` in direction
    ``side`` whose answer differs (``hit``), and the point before it (``good``: the previous
    grid point, or ``v`` itself when none lies between)."""
    k, m = cand.shape
    beyond = cand > v[:, None] if side > 0 else cand < v[:, None]
    hit = beyond & flips
    found = hit.any(axis=1)
    if side > 0:
        j = np.argmax(hit, axis=1)
        prev = np.clip(j - 1, 0, m - 1)
        has_prev = (j > 0) & beyond[np.arange(k), prev]
    else:
        j = m - 1 - np.argmax(hit[:, ::-1], axis=1)
        prev = np.clip(j + 1, 0, m - 1)
        has_prev = (j < m - 1) & beyond[np.arange(k), prev]
    rows = np.arange(k)
    good = np.where(has_prev, cand[rows, prev], v)
    return found, good, cand[rows, j]


def what_would_flip(deal, quantity: str = "posture", *, spreads: Mapping | None = None,
                    steps: int = 201, reach: float = 0.5, model: DealModel | None = None
                    ) -> Flip:
    """The smallest change of one input that changes the posture or the Nash package.

    Scans every input of the parties and stakeholders tables the balance uses (us and the
    counterpart's ratings, the counterpart's people's trust and frame fit, reservation prices
    and BATNA values) over its domain — ratings over [0, 1], money over ``value·(1 ± reach)``
    — on a grid of ``steps`` values, then bisects between the last grid point that keeps the
    answer and the first that changes it. The change is measured relative to the input's
    stated range (:func:`input_ranges` with ``spreads``): a relative change of 1 moves it to
    the edge of its range.

    The cost is linear in the inputs (docs/performance.md, "People scaling"): every grid row
    changes one input, and the model reads such a row column by column without storing every
    input per row (the party and money inputs: ``inputs × steps`` rows, evaluated in blocks of
    at most :data:`FLIP_BLOCK_BYTES`, the bisection vectorised over the inputs). A person's
    rating enters the balance only through the say-weighted mean of its column
    (``m = Σ_j w_j x_j``, the balance linear in m), so moving person j's rating by δ moves m by
    ``w_j δ``: the shift of each column's mean that flips the posture is found once (grid and
    bisection on the mean, as for an input), and each person's flip is that shift over their
    weight, ``δ_j = Δ / w_j`` when it stays within [0, 1] — O(1) per person, everyone scanned.

    Parameters
    ----------
    deal : powerkit.Deal
    quantity : "posture" or "package"
    spreads : mapping, optional
        The ranges the changes are measured against (see :func:`input_ranges`).
    steps : int
        Grid points per input.
    reach : float
        How far money is scanned, relative to its value.

    Returns
    -------
    Flip
    """
    if quantity not in ("posture", "package"):
        raise bad_argument("quantity", "what_would_flip", "'posture' or 'package'", quantity)
    if model is None:  # ``model``: one built by the caller for the ranges at spread 1, people=0
        # the flip reads the balance or the Nash package only: no decision shares, posteriors
        model = DealModel(deal, input_ranges(deal, 1.0, spreads), people=0,
                          extras=("nash_package",) if quantity == "package" else ())
    params = model.params
    if quantity == "package" and not (model.has_nash and model.enumerated):
        raise bad_argument("quantity", "what_would_flip",
                           "'posture' (the deal has no enumerable packages)", quantity)
    cols = set(PARTY_RATINGS) | set(PEOPLE_RATINGS) | {"reservation_price", "batna_value"}
    scan = params[params["table"].isin(["parties", "stakeholders"])
                  & params["column"].isin(cols)]
    x0 = params["value"].to_numpy(dtype=float)
    T0 = model.trust_means(x0[None, :])[0]

    def answer(X, trust=None):
        if quantity == "package":
            return np.asarray(model.nash(X))
        tr = np.broadcast_to(T0, (len(X), len(T0))) if trust is None else trust
        return posture_of(model.balance(X, trust=tr))

    before = answer(x0[None, :])[0]
    if not len(scan):
        return Flip(quantity, None, None, None, None, None, before, before)
    idx = scan.index.to_numpy()
    v = x0[idx]
    half = ((params["high"] - params["low"]).to_numpy()[idx]) / 2
    half = np.where(half > 0, half, np.where(scan["kind"] == "money", 0.05 * np.abs(v), 0.1))
    money = (scan["kind"] == "money").to_numpy()
    lo = np.where(money, v - reach * np.abs(v), 0.0)
    hi = np.where(money, v + reach * np.abs(v), 1.0)
    grid = np.linspace(0, 1, int(steps))
    person = ((scan["table"] == "stakeholders") & scan["column"].isin(PEOPLE_RATINGS)).to_numpy()
    best = np.full(len(scan), np.nan)   # the flipping value per scanned input (NaN: none)
    after = np.full(len(scan), None, dtype=object)

    # the party and money inputs: grid and bisection, every row one changed input
    direct = np.flatnonzero(~person)
    if direct.size:
        cand = lo[direct, None] + (hi - lo)[direct, None] * grid[None, :]
        k, m = cand.shape
        per = max(1, int(FLIP_BLOCK_BYTES // (8 * 16 * m)))  # inputs per block
        ans = np.concatenate([
            answer(_OneChange(x0, np.repeat(idx[direct[a0:a0 + per]], m),
                              cand[a0:a0 + per].ravel()))
            for a0 in range(0, k, per)]).reshape(k, m)
        flips = ans != before
        vd = v[direct]
        sides = [_first_flips(cand, vd, flips, side) for side in (+1, -1)]
        f = [np.flatnonzero(found) for found, _, _ in sides]
        at = np.concatenate([direct[fs] for fs in f])
        good = np.concatenate([g[fs] for (_, g, _), fs in zip(sides, f, strict=True)])
        bad = np.concatenate([b[fs] for (_, _, b), fs in zip(sides, f, strict=True)])
        for _ in range(_BISECT):
            mid = (good + bad) / 2
            hit = answer(_OneChange(x0, idx[at], mid)) != before
            bad, good = np.where(hit, mid, bad), np.where(hit, good, mid)
        for q in range(len(at)):  # up first, then down: the nearer wins, up on a tie
            a = at[q]
            if np.isnan(best[a]) or abs(bad[q] - v[a]) < abs(best[a] - v[a]):
                best[a] = bad[q]
        got = np.flatnonzero(~np.isnan(best))
        if got.size:
            after[got] = answer(_OneChange(x0, idx[got], best[got]))

    # the people's ratings (posture only: the package does not read them): through the means
    if quantity == "posture" and person.any():
        _people_flips(model, scan, person, x0, T0, v, lo, hi, grid, before, answer, best,
                      after)

    got = np.flatnonzero(~np.isnan(best))
    table = pd.DataFrame({"input": scan["name"].to_numpy()[got], "value": v[got],
                          "change": best[got] - v[got], "new_value": best[got],
                          "relative": np.abs(best[got] - v[got]) / half[got],
                          "after": after[got]},
                         columns=["input", "value", "change", "new_value", "relative", "after"])
    table = table.sort_values("relative", kind="stable").reset_index(drop=True)
    if not len(table):
        return Flip(quantity, None, None, None, None, None, before, before, table)
    t = table.iloc[0]
    return Flip(quantity, t["input"], float(t["value"]), float(t["change"]),
                float(t["new_value"]), float(t["relative"]), before, t["after"], table)


def _people_flips(model, scan, person, x0, T0, v, lo, hi, grid, before, answer, best, after):
    """Fill ``best``/``after`` for the people's ratings (see :func:`what_would_flip`): per
    column of ratings and direction, the smallest shift of its say-weighted mean that flips
    the posture (grid over the shifts the people can cause, then bisection, all columns and
    directions in one evaluation per step), then each person's flipping value
    ``x_j + Δ / w_j`` when it lies within [lo_j, hi_j]."""
    pos = {int(k): (t, w) for t, (_, ix, sw) in enumerate(model.trust)
           for k, w in zip(ix, sw, strict=True)}
    at = np.flatnonzero(person)
    k_of = scan.index.to_numpy()[at]
    info = np.array([pos.get(int(k), (-1, 0.0)) for k in k_of], dtype=float).reshape(-1, 2)
    tcol, w = info[:, 0].astype(int), info[:, 1]

    def h(ts, shifts):  # the answer with mean ts[r] moved by shifts[r]
        tr = np.broadcast_to(T0, (len(shifts), len(T0))).copy()
        tr[np.arange(len(shifts)), ts] += shifts
        return answer(_OneChange(x0, np.full(len(shifts), -1), np.zeros(len(shifts))), tr)

    pairs = []  # (column entry, direction, the largest shift anyone in it can cause)
    for t in range(len(model.trust)):
        mine = (tcol == t) & (w > 0)
        for side in (+1, -1):
            if mine.any():
                a = at[mine]
                room = (hi[a] - v[a]) if side > 0 else (v[a] - lo[a])
                top = float((w[mine] * room).max())
                if top > 0:
                    pairs.append((t, side, top))
    if not pairs:
        return
    ts = np.array([p[0] for p in pairs])
    span = np.array([p[1] * p[2] for p in pairs])
    m = len(grid) - 1
    flips = (h(np.repeat(ts, m), (span[:, None] * grid[None, 1:]).ravel())
             != before).reshape(len(pairs), m)
    ok = flips.any(axis=1)
    j = np.argmax(flips, axis=1)
    good = np.where(j > 0, span * grid[np.maximum(j, 1)], 0.0)
    bad = span * grid[j + 1]
    for _ in range(60):
        mid = (good + bad) / 2
        hit = h(ts, mid) != before
        bad, good = np.where(hit, mid, bad), np.where(hit, good, mid)
    flipped = h(ts, bad)
    # the answer is monotone in the mean (the balance is linear in it, the posture a threshold
    # of the balance): everyone who can shift the mean by ``bad`` flips it
    for q in np.flatnonzero(ok):
        t, side, _ = pairs[q]
        mine = (tcol == t) & (w > 0)
        a = at[mine]
        new = v[a] + bad[q] / w[mine]
        fits = (new >= lo[a] - 1e-12) & (new <= hi[a] + 1e-12)
        new = np.clip(new, lo[a], hi[a])
        cur = best[a]
        take = fits & (np.isnan(cur) | (np.abs(new - v[a]) < np.abs(cur - v[a])))
        best[a[take]] = new[take]
        after[a[take]] = flipped[q]
