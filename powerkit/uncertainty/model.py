"""The headline quantities of a deal as vectorised functions of its uncertain inputs
(docs/methods/uncertainty.md §2).

:class:`DealModel` reads the point analyses once (power profile, walk-aways, influence matrix,
evidence weights, options) and then evaluates a whole matrix of draws of the inputs of
:func:`powerkit.uncertainty.input_ranges` with numpy:

* **balance** — ``Σ_s W_s Σ_i w_i (x_i(us) − x_i(them))``; the party ratings enter directly,
  the trust and frame-fit inputs as say-weighted means of the counterpart's people's ratings
  (the say is fixed), the BATNA input as ``B / (B + W)`` of the drawn BATNA value and ZOPA
  width; alternatives, time, reciprocity, commitment and access stay at their point values.
* **price** — ``seller walk-away + w_seller · (buyer walk-away − seller walk-away)``: walk-aways
  are the drawn reservation prices moved by the dated change of the BATNA value (a fact, held
  fixed) and bounded for the counterpart by the rivals' prices (a standing bid is a fact; a
  rival's reservation price is drawn); the BRW weights (time pressure) are not drawn.
* **decision shares** — Friedkin–Johnsen ``r = (1 − λ) ⊙ A⁻ᵀ d`` with
  ``A = I − diag(λ(1 − λ)) − diag(λ²) P`` (ties fixed, susceptibility λ drawn): exact batched
  solves up to :data:`EXACT_MAX` people, above it the first-order expansion around the point
  λ (``r ≈ r₀ + J (λ − λ₀)``, J from sparse solves), documented as an approximation.
  With ``aggregate=True`` (what :func:`powerkit.uncertainty.simulate` uses) and more than
  :data:`EXACT_MAX` people, the sums over the people (``J Δλ``, ``r₀ · x₀``, the say-weighted
  trust and frame-fit means) are drawn as normals with their exact mean and covariance, every
  person whose term is large drawn one by one (:mod:`powerkit.uncertainty.aggregate`).
* **posteriors** — the log2-odds scores of powerkit.constraints with drawn priors and
  likelihoods.
* **Nash package** — the asymmetric Nash product over every package (enumerated) within the
  drawn zone, their utilities drawn by :func:`powerkit.value.monte_carlo`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..constraints import EPS, evidence_weights
from ..constraints.bayes import hypothesis_layout, to_posterior
from ..deal.money import money_issues, rival_price, walk_aways
from ..influence import decision_weights, influence_matrix
from ..power import INPUTS, SOURCES, apply_events, power_profile
from ..value import default_alpha, options_from_deal
from ..value.utilities import option_space
from .aggregate import Forms, split_forms
from .ranges import PEOPLE_RATINGS, moments

__all__ = ["EXACT_MAX", "EXTRAS", "NASH_MAX", "POSTURES", "DealModel", "IminusT", "package_id", "posture_of"]

#: Up to this many people the decision shares are solved exactly for every draw.
EXACT_MAX = 300
#: Up to this many packages the Nash package is recomputed for every draw.
NASH_MAX = 200_000
#: The quantities a :class:`DealModel` can add to the balance, posture, price and share (which
#: it always has); ``extras=()`` leaves them out (and their setup: a cheaper model).
EXTRAS = ("nash_package", "decisions", "posteriors")
#: The first rule of :func:`powerkit.power.posture`, by the balance (thresholds ±0.05).
POSTURES = ("more power: use it indirectly", "balanced: shift power through value creation",
            "less power: create value and build relationships")


def posture_of(balance, strong: float = 0.05) -> np.ndarray:
    """The first posture rule for each balance (:func:`powerkit.power.posture`'s order).

    >>> posture_of(np.array([0.1, 0.0, -0.05])).tolist()[2]
    'less power: create value and build relationships'
    """
    b = np.asarray(balance, dtype=float)
    return np.where(b >= strong, POSTURES[0], np.where(b <= -strong, POSTURES[2], POSTURES[1]))


def package_id(package: dict | None) -> str | None:
    """A package as one string, ``"issue: option; issue: option"`` in issue order (None: none).

    >>> package_id({"price": "EUR 1m", "term": "3 years"})
    'price: EUR 1m; term: 3 years'
    """
    if package is None:
        return None
    return "; ".join(f"{k}: {v}" for k, v in package.items())


class IminusT:
    """Solves ``(I − T) x = b`` and ``(I − T)ᵀ x = b`` for a sparse ``T = diag(λ) W`` (W the
    row-stochastic influence matrix, so ``‖T‖∞ = q ≤ max λ``): Friedkin–Johnsen's
    ``A = I − ΛW`` of a large deal.

    When ``q < 1`` the fixed-point iteration ``x ← b + T x`` (``Tᵀ`` for the transpose)
    converges geometrically (Neumann series); it stops when the bound of the error,
    ``‖r‖ / (1 − q)`` with the residual ``r = b − (I − T) x`` (∞-norm; 1-norm for the
    transpose), is below ``1e-13 ‖x‖``, so the result agrees with a direct solve to about
    13 digits. After :attr:`MAX_ITER` steps, or when ``q ≥ 1``, one sparse LU
    (``scipy.sparse.linalg.splu``) solves it instead. On a random deal the iteration is far
    cheaper than the LU (whose fill-in is large).

    >>> import scipy.sparse as sp
    >>> s = IminusT(sp.csr_matrix(np.array([[0.0, 0.5], [0.25, 0.25]])))
    >>> np.round(s.solve(np.array([1.0, 1.0])), 12).tolist()
    [2.0, 2.0]
    """

    MAX_ITER = 400

    def __init__(self, T):
        self.T, self.Tt = T.tocsr(), T.T.tocsr()
        self.q = float(abs(self.T).sum(axis=1).max()) if T.shape[0] else 0.0
        self._lu = None

    def solve(self, b: np.ndarray, trans: bool = False) -> np.ndarray:
        b = np.asarray(b, dtype=float)
        if self.q < 1:
            T, order = (self.Tt, 1) if trans else (self.T, np.inf)
            x = b.copy()
            for _ in range(self.MAX_ITER):
                x_new = b + T @ x
                r = np.linalg.norm(x_new - x, ord=order, axis=0)
                x = x_new
                if np.all(r <= 1e-13 * (1 - self.q) * np.linalg.norm(x, ord=order, axis=0)):
                    return x
        if self._lu is None:
            import scipy.sparse as sp
            import scipy.sparse.linalg as sla

            self._lu = sla.splu((sp.identity(self.T.shape[0]) - self.T).tocsc())
        return self._lu.solve(b, trans="T" if trans else "N")


class DealModel:
    """The vectorised headline quantities of one deal (see the module docstring).

    Parameters
    ----------
    deal : powerkit.Deal
    params : DataFrame
        :func:`powerkit.uncertainty.input_ranges` of the deal.
    people : int, optional
        Decision-share columns for at most this many people (largest point share first);
        default everyone up to :data:`EXACT_MAX` people, else 25.
    aggregate : bool, default False
        Above :data:`EXACT_MAX` people: draw the people's inputs through their sums
        (docs/methods/uncertainty.md §2.1). The model then reorders the inputs —
        ``model.params`` lists the people's inputs last — and ``balance`` and ``decisions``
        also accept the *aggregated layout* (``aggregated=True``): one column per row of
        ``model.params.iloc[model.layout]`` (the first ``model.n_direct`` inputs, then the
        heavy people's inputs ``model.heavy``), then ``model.n_latent`` standard normals
        (``price``, ``posteriors`` and ``nash`` read only the direct inputs). The full
        layout (one column per row of ``model.params``) works as without aggregation.
        At or below :data:`EXACT_MAX` people ``aggregate`` changes nothing.
    """

    def __init__(self, deal, params: pd.DataFrame, people: int | None = None,
                 aggregate: bool = False, extras=EXTRAS):
        extras = tuple(extras)
        bad = [e for e in extras if e not in EXTRAS]
        if bad:
            from ..errors import bad_argument

            raise bad_argument("extras", "DealModel", f"some of {', '.join(EXTRAS)}", bad[0])
        self.extras = extras
        self.aggregated = bool(aggregate) and len(deal.stakeholders) > EXACT_MAX
        if self.aggregated:  # the people's inputs last: the direct ones keep their positions
            per = (params["table"] == "stakeholders") & params["column"].isin(
                (*PEOPLE_RATINGS, "stance", "susceptibility"))
            params = pd.concat([params[~per], params[per]], ignore_index=True)
            self.n_direct = int((~per).sum())
        self.deal, self.params = deal, params
        self.col = {n: k for k, n in enumerate(params["name"])}
        self.x0 = params["value"].to_numpy(dtype=float)
        d = apply_events(deal)
        self.profile = power_profile(deal)
        self._balance_setup(d)
        self._price_setup(d)
        if "decisions" in extras:
            self._influence_setup(people)
        else:
            self.exact, self.shown = len(deal.stakeholders) <= EXACT_MAX, np.zeros(0, int)
        self.has_decisions = "decisions" in extras
        self._posterior_setup()
        if "nash_package" in extras:
            self._nash_setup()
        else:
            self.has_nash = False
        self.aggregated = self.aggregated and not self.exact
        if self.aggregated:
            self._aggregate_setup()

    def _c(self, table, row, column):
        return self.col.get(f"{table}:{row}:{column}")

    # -- balance ---------------------------------------------------------------------------
    def _balance_setup(self, d):
        prof = self.profile
        inp = prof.inputs
        names = list(INPUTS)
        us, them = prof.us, prof.counterpart
        xs = {p: inp[inp["party"] == p].set_index("input") for p in (us, them)}
        self.xu0 = xs[us]["value"].reindex(names).to_numpy(dtype=float)
        self.xt0 = xs[them]["value"].reindex(names).to_numpy(dtype=float)
        w = prof.weights
        self.w_in = np.array([w[i] for i in names])
        onehot = np.zeros((len(names), 3))
        onehot[np.arange(len(names)), [SOURCES.index(INPUTS[i][0]) for i in names]] = 1.0
        self.onehot = onehot * self.w_in[:, None]
        self.w_src0 = np.array([w[s] for s in SOURCES])
        self.w_src_cols = [self._c("weights", s, "source_weights") for s in SOURCES]
        self.rating_cols = []  # (side 0 us / 1 them, input position, param column)
        for side, p in enumerate((us, them)):
            for i, name in enumerate(names):
                k = self._c("parties", p, name)
                if k is not None and not xs[p].at[name, "assumed"]:
                    self.rating_cols.append((side, i, k))
        # trust and frame fit of us: say-weighted means over the counterpart's rated people
        say = prof.stakeholders["say"]
        say_of = {str(pid): float(v) for pid, v in say.items()}
        self.trust = []
        for c in PEOPLE_RATINGS:
            ks = [(k, say_of[pid]) for pid in say_of
                  if (k := self.col.get(f"stakeholders:{pid}:{c}")) is not None]
            if ks and not xs[us].at[c, "assumed"]:
                idx = np.array([k for k, _ in ks])
                sw = np.array([s for _, s in ks])
                self.trust.append((names.index(c), idx, sw / sw.sum()))
        # the BATNA input: B / (B + W), W = the zone's width between the effective walk-aways
        # (powerkit.deal.money.walk_aways, as power_profile reads it)
        p = d.parties
        roles = {q: p.at[q, "role"] if "role" in p else None for q in (us, them)}
        self.batna = []
        if set(roles.values()) == {"seller", "buyer"}:
            seller = us if roles[us] == "seller" else them
            buyer = them if seller == us else us
            ks, kb = self._c("parties", seller, "reservation_price"), \
                self._c("parties", buyer, "reservation_price")
            for side, q in enumerate((us, them)):
                kq = self._c("parties", q, "batna_value")
                if kq is not None and ks is not None and kb is not None \
                        and not xs[q].at["batna", "assumed"]:
                    self.batna.append((side, names.index("batna"), kq, ks, kb))

    def trust_means(self, X: np.ndarray) -> np.ndarray:
        """The say-weighted means of the counterpart's people's ratings that the balance reads,
        one column per entry of ``self.trust`` (X in the full layout)."""
        out = np.empty((len(X), len(self.trust)))
        for t, (_, idx, sw) in enumerate(self.trust):
            out[:, t] = X[:, idx] @ sw
        return out

    def balance(self, X: np.ndarray, aggregated: bool = False,
                trust: np.ndarray | None = None) -> np.ndarray:
        """The power balance per draw (``aggregated``: X in the aggregated layout).

        ``trust``: the say-weighted means of :meth:`trust_means` given (rows × entries of
        ``self.trust``); X is then read only at the direct inputs, one column at a time
        (``X[:, k]``), so any object with that indexing and ``len`` works — the flip search
        passes rows that each change one input without storing every input per row."""
        n = len(X)
        XU = np.broadcast_to(self.xu0, (n, len(self.xu0))).copy()
        XT = np.broadcast_to(self.xt0, (n, len(self.xt0))).copy()
        for side, i, k in self.rating_cols:
            (XU if side == 0 else XT)[:, i] = X[:, k]
        if trust is not None:
            for t, (i, _, _) in enumerate(self.trust):
                XU[:, i] = trust[:, t]
        elif aggregated:
            for t, (i, pos, sw, f) in enumerate(self.agg_trust):
                XU[:, i] = X[:, pos] @ sw + f.mean[0] + X[:, self.z_trust + t] * f.factor[0, 0]
        else:
            for i, idx, sw in self.trust:
                XU[:, i] = X[:, idx] @ sw
        if self.batna and self.has_price:  # W: the zone between the effective walk-aways
            s_wa, b_wa = self.walk_aways(X)
        for side, i, kq, ks, kb in self.batna:
            B = np.maximum(X[:, kq], 0.0)
            W = (b_wa - s_wa) if self.has_price else X[:, kb] - X[:, ks]
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.where(W <= 0, 1.0, B / np.where(W <= 0, 1.0, B + W))
            (XU if side == 0 else XT)[:, i] = v
        Ws = np.broadcast_to(self.w_src0, (n, 3)).copy()
        for j, k in enumerate(self.w_src_cols):
            if k is not None:
                Ws[:, j] = X[:, k]
        return (((XU - XT) @ self.onehot) * Ws).sum(axis=1)

    # -- price -----------------------------------------------------------------------------
    def _price_setup(self, d):
        self.has_price = False
        split = self.profile.split
        w = walk_aways(d)
        if split is None or not len(w):
            return
        self.has_price = True
        self.w_us = float(split.weight_us)
        base = d.parties_as_entered
        self.sides = {}
        for role, sign in (("seller", 1.0), ("buyer", -1.0)):
            party = w.at[role, "party"]
            rp = w.at[role, "reservation_price"]
            b0 = pd.to_numeric(base.at[party, "batna_value"], errors="coerce") \
                if "batna_value" in base else np.nan
            b1 = pd.to_numeric(d.parties.at[party, "batna_value"], errors="coerce") \
                if "batna_value" in d.parties else np.nan
            shift = sign * (b1 - b0) if np.isfinite(b0) and np.isfinite(b1) else 0.0
            self.sides[role] = (party, float(rp), self._c("parties", party, "reservation_price"),
                                float(shift))
        self.us_seller = self.sides["seller"][0] == d.us
        them_role = "buyer" if self.us_seller else "seller"
        self.them_role = them_role
        self.rivals = []  # (fixed price or nan, param column or None)
        p = d.parties
        our_role = "seller" if self.us_seller else "buyer"
        amounts = (money_issues(d.issues, d.meta.currency) if d.has("offers")
                   and d.has("issues") and (p["side"] == "rival").any() else None)
        for r in p.index:
            if p.at[r, "side"] != "rival" or ("role" in p and p.at[r, "role"]
                                               not in (our_role, "other")):
                continue
            q = p.copy()
            q.loc[r, "reservation_price"] = np.nan
            bid = rival_price(d, r, q, amounts)
            if bid is not None:
                self.rivals.append((float(bid), None))
            else:
                k = self._c("parties", r, "reservation_price")
                v = rival_price(d, r, p, amounts)
                if v is not None:
                    self.rivals.append((float(v), k))

    def walk_aways(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(seller's, buyer's) effective walk-away per draw."""
        out = {}
        for role, (_, rp, k, shift) in self.sides.items():
            out[role] = (X[:, k] if k is not None else np.full(len(X), rp)) + shift
        for price, k in self.rivals:
            v = X[:, k] if k is not None else np.full(len(X), price)
            cur = out[self.them_role]
            out[self.them_role] = np.minimum(cur, v) if self.them_role == "buyer" \
                else np.maximum(cur, v)
        return out["seller"], out["buyer"]

    def price(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(predicted price, our share of the zone) per draw; NaN where there is no zone."""
        if not self.has_price:
            nan = np.full(len(X), np.nan)
            return nan, nan.copy()
        s, b = self.walk_aways(X)
        width = b - s
        w_seller = self.w_us if self.us_seller else 1 - self.w_us
        price = np.where(width >= 0, s + w_seller * np.maximum(width, 0.0), np.nan)
        share = np.where(width > 0, self.w_us, np.where(width == 0, 0.5, np.nan))
        return price, share

    # -- who decides -----------------------------------------------------------------------
    def _influence_setup(self, people):
        n = len(self.deal.stakeholders)
        self.exact = n <= EXACT_MAX
        # sparse (CSR, memory ∝ ties) above EXACT_MAX: no n × n array for a large deal
        W = influence_matrix(self.deal, sparse=not self.exact)
        ids = [str(i) for i in W.index]
        M = W.matrix if not self.exact else W.to_numpy()
        lam0 = np.clip(1.0 - M.diagonal(), 0.0, 1.0)
        P = None  # large deals: sparse (_linear_setup)
        if self.exact:
            off = M - np.diag(np.diag(M))
            with np.errstate(invalid="ignore", divide="ignore"):
                P = np.where(lam0[:, None] > 0, off / np.where(lam0 > 0, lam0, 1.0)[:, None],
                             0.0)
        self.ids, self.lam0, self.P = ids, lam0, P
        self.dvec = decision_weights(self.deal).to_numpy(dtype=float)
        lam_cols = [(j, self._c("stakeholders", i, "susceptibility")) for j, i in enumerate(ids)]
        self.lam_cols = [(j, k) for j, k in lam_cols
                         if k is not None and abs(self.x0[k] - lam0[j]) < 1e-12]
        self.stance_cols = [(j, self._c("stakeholders", i, "stance")) for j, i in enumerate(ids)]
        st = pd.to_numeric(self.deal.stakeholders["stance"], errors="coerce").fillna(0.0)
        self.stance0 = st.to_numpy(dtype=float)
        if self.exact:
            A0 = np.eye(n) - lam0[:, None] * M
            self.r0 = (1.0 - lam0) * np.linalg.solve(A0.T, self.dvec)
            self._A0inv = None  # built on first use (decisions)
        else:
            self._linear_setup(M)
        k = people if people is not None else (n if self.exact else 25)
        order = np.argsort(-self.r0, kind="stable")
        self.shown = np.sort(order[:max(0, int(k))])

    def _linear_setup(self, M):
        import scipy.sparse as sp

        lam = self.lam0
        Msp = sp.csr_matrix(M)
        off = (Msp - sp.diags(Msp.diagonal())).tocsr()
        off.eliminate_zeros()
        P = (sp.diags(np.where(lam > 0, 1.0 / np.where(lam > 0, lam, 1.0), 0.0)) @ off).tocsr()
        lu = IminusT((sp.diags(lam) @ Msp).tocsr())
        g = lu.solve(self.dvec, trans=True)
        self.r0 = (1.0 - lam) * g
        self._g, self._lu, self._Psp = g, lu, P

    def _jacobian_rows(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """∂r[rows]/∂λ[cols] at the point λ (first-order expansion, large deals)."""
        import scipy.sparse as sp

        lam, g, n = self.lam0, self._g, len(self.lam0)
        E = np.zeros((n, len(rows)))
        E[rows, np.arange(len(rows))] = 1.0
        Y = self._lu.solve(E)                          # A⁻¹ E: columns of A⁻¹ = rows of A⁻ᵀ
        Ut = sp.diags(1 - 2 * lam) + 2 * sp.diags(lam) @ self._Psp   # Uᵀ
        Mx = (Ut @ Y).T                                 # rows of A⁻ᵀ U
        J = (1 - lam[rows])[:, None] * Mx[:, cols] * g[cols][None, :]
        for a, j in enumerate(rows):
            hit = np.flatnonzero(cols == j)
            J[a, hit] -= g[j]
        return J

    def _first_order(self) -> np.ndarray:
        """J (shown people × drawn susceptibilities) and Jᵀx̄₀ of the forecast decision, once;
        returns the people (positions) whose susceptibility is drawn."""
        cols = np.array([j for j, _ in self.lam_cols], dtype=int)
        if not hasattr(self, "_J"):
            import scipy.sparse as sp

            self._J = self._jacobian_rows(self.shown, cols)
            c = (1 - self.lam0) * self.stance0
            v = self._lu.solve(c)
            U = sp.diags(1 - 2 * self.lam0) + 2 * self._Psp.T @ sp.diags(self.lam0)
            jt = -self._g * self.stance0 + self._g * (U.T @ v)
            self._jtx = jt[cols]
        return cols

    def decisions(self, X: np.ndarray, aggregated: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(decision shares of the people shown, forecast decision) per draw (``aggregated``:
        X in the aggregated layout, first-order shares with the sums over the light people
        drawn as one multivariate normal)."""
        n = len(X)
        if aggregated:
            Z = X[:, self.z_dec:self.z_dec + self.dec.mean.size] @ self.dec.factor.T
            Y = (X[:, self.dec_pos] - self.dec_offset) @ self.dec_C.T + Z + self.dec.mean
            return self.r0[self.shown][None, :] + Y[:, :-1], Y[:, -1]
        lam = np.broadcast_to(self.lam0, (n, len(self.lam0))).copy()
        for j, k in self.lam_cols:
            lam[:, j] = X[:, k]
        x0 = np.broadcast_to(self.stance0, lam.shape).copy()
        for j, k in self.stance_cols:
            if k is not None:
                x0[:, j] = X[:, k]
        if not self.exact:
            cols = self._first_order()
            dl = lam[:, cols] - self.lam0[cols]
            R = self.r0[self.shown][None, :] + dl @ self._J.T
            D = x0 @ self.r0 + dl @ self._jtx
            return R, D
        R = self.exact_shares(lam)
        return R[:, self.shown], (R * x0).sum(axis=1)

    #: stop the preconditioned iteration of :meth:`exact_shares` at this relative step
    EXACT_TOL = 1e-13
    EXACT_ITER = 60

    def exact_shares(self, lam: np.ndarray) -> np.ndarray:
        """Friedkin–Johnsen decision shares ``r = (1 − λ) ⊙ A⁻ᵀ d`` for every row of ``lam``
        (draws × people; small deals).

        ``A(λ) = I − diag(λ(1 − λ)) − diag(λ²) P`` changes with every draw. Instead of one
        dense LU per draw (n³ each), the row vectors ``g = A⁻ᵀ d`` (``g A = dᵀ``) of all draws
        are found together by the iteration preconditioned with the point system
        ``A₀ = A(λ₀)``: ``g ← g + (dᵀ − g A) A₀⁻¹``, which converges at the rate of the spectral
        radius of ``I − A A₀⁻¹`` (small: the draws move λ a little). It stops when every
        draw's step is below :data:`EXACT_TOL` of its ``‖g‖∞``; a draw still moving after
        :data:`EXACT_ITER` steps is solved directly. Each step is one sparse product with P
        and one dense product with ``A₀⁻¹`` for the whole batch (Saad 2003, §4.1 and ch. 9:
        preconditioned Richardson iteration).
        """
        import scipy.sparse as sp

        nn = len(self.lam0)
        if self._A0inv is None:
            lam0 = self.lam0
            A0 = np.eye(nn) - np.diag(lam0 * (1 - lam0)) - (lam0 * lam0)[:, None] * self.P
            self._A0inv = np.linalg.inv(A0)
            self._Pcsr = sp.csr_matrix(self.P)
        Ainv, Pt = self._A0inv, self._Pcsr.T.tocsr()
        d = self.dvec
        a, c = lam * (1 - lam), lam * lam

        G = np.broadcast_to(d @ Ainv, lam.shape).copy()
        todo = np.arange(len(lam))
        for _ in range(self.EXACT_ITER):
            if not todo.size:
                break
            Gt = G[todo]  # the residual dᵀ − g A(λ) of each draw still moving, then the step
            step = (d - (Gt - Gt * a[todo] - (Pt @ (Gt * c[todo]).T).T)) @ Ainv
            G[todo] = Gt + step
            small = np.abs(step).max(axis=1) <= self.EXACT_TOL * np.abs(G[todo]).max(axis=1)
            todo = todo[~small]
        for b in todo:  # not converged: a direct solve
            A = np.eye(nn) - np.diag(a[b]) - c[b][:, None] * self.P
            G[b] = np.linalg.solve(A.T, d)
        return (1 - lam) * G

    # -- aggregation (large deals) ---------------------------------------------------------
    def _aggregate_setup(self):
        """Split every sum over the people into heavy inputs (drawn) and a normal for the light
        rest (:func:`powerkit.uncertainty.aggregate.split_forms`); set the aggregated layout."""
        mean, var, abs3 = moments(self.params)
        m = self.n_direct
        heavy: list[int] = []

        def place(ks) -> np.ndarray:  # param rows drawn per person → their aggregated columns
            heavy.extend(int(k) for k in ks)
            return np.arange(m + len(heavy) - len(ks), m + len(heavy), dtype=int)

        self.agg_trust = []
        for i, idx, sw in self.trust:
            f = split_forms(sw[None, :], mean[idx], var[idx], abs3[idx])
            self.agg_trust.append((i, place(idx[f.heavy]), sw[f.heavy], f))
        f = None  # decision shares and forecast decision (when wanted)
        if self.has_decisions:
            # decision shares and forecast decision: [J; Jᵀx̄₀] Δλ + [0; r₀] x₀ (first order)
            jl = self._first_order()
            kl = np.array([k for _, k in self.lam_cols], dtype=int)
            st = [(j, k) for j, k in self.stance_cols if k is not None]
            js = np.array([j for j, _ in st], dtype=int)
            ks = np.array([k for _, k in st], dtype=int)
            k_sh, L = len(self.shown), kl.size
            C = np.zeros((k_sh + 1, L + ks.size))
            C[:k_sh, :L], C[k_sh, :L], C[k_sh, L:] = self._J, self._jtx, self.r0[js]
            rows = np.r_[kl, ks]
            offset = np.r_[self.lam0[jl], np.zeros(ks.size)]
            f = split_forms(C, mean[rows] - offset, var[rows], abs3[rows])
            # the people without a stance
            const = self.r0 @ self.stance0 - self.r0[js] @ self.stance0[js]
            f.mean[-1] += const
            self.dec: Forms = f
            self.dec_pos, self.dec_offset = place(rows[f.heavy]), offset[f.heavy]
            self.dec_C = C[:, f.heavy]
        self.heavy = np.array(heavy, dtype=int)
        self.z_trust = m + len(heavy)
        self.z_dec = self.z_trust + len(self.agg_trust)
        self.n_latent = len(self.agg_trust) + (f.mean.size if f is not None else 0)
        self.layout = np.r_[np.arange(m), self.heavy].astype(int)
        tf = [t[3] for t in self.agg_trust]
        self.aggregation = {
            "aggregated_inputs": int(sum(t.light for t in tf)
                                     + (f.light if f is not None else 0)),
            "per_person_inputs": int(len(heavy)),
            "berry_esseen_balance": float(max((t.bound.max() for t in tf), default=0.0)),
            "wasserstein_sd_balance": float(max((t.wasserstein.max() for t in tf),
                                                default=0.0)),
            "berry_esseen_decisions": (float(f.bound.max(initial=0.0))
                                       if f is not None else 0.0),
            "wasserstein_sd_decisions": (float(f.wasserstein.max(initial=0.0))
                                         if f is not None else 0.0)}

    # -- posteriors ------------------------------------------------------------------------
    def _posterior_setup(self):
        self.has_hyp = self.deal.has("hypotheses") and "posteriors" in self.extras
        if not self.has_hyp:
            return
        hyp = self.deal.hypotheses
        self.lay = hypothesis_layout(hyp)
        H = len(self.lay.hyps)
        self.hyp_ids = self.lay.hyps
        self.prior0 = hyp["prior"].to_numpy(dtype=float)
        self.prior_cols = [(h, self._c("hypotheses", x, "prior")) for h, x in
                           enumerate(self.hyp_ids)]
        self.grouped = np.zeros(H, dtype=bool)
        for idx in self.lay.groups.values():
            self.grouped[idx] = True
        ev = evidence_weights(self.deal) if self.deal.has("evidence") else None
        self.fixed_bits = np.zeros(H)
        self.prob = None
        if ev is None or not len(ev):
            return
        hpos = {x: i for i, x in enumerate(self.hyp_ids)}
        hcol = np.array([hpos[str(x)] for x in ev["hypothesis"]], dtype=int)
        is_rating = ev["rating"].notna().to_numpy()
        prob = np.flatnonzero(~is_rating)
        np.add.at(self.fixed_bits, hcol[is_rating], ev["weight_bits"].to_numpy()[is_rating])
        if not prob.size:
            return
        evid = ev["evidence"].astype(str).to_numpy()
        group = ev["group"].to_numpy(dtype=object)
        pt = np.nan_to_num(ev["p_if_true"].to_numpy(dtype=float), nan=1.0)[prob]
        pf = np.nan_to_num(ev["p_if_false"].to_numpy(dtype=float), nan=1.0)[prob]
        gr = np.array([g is not None and not pd.isna(g) for g in group])[prob]
        key = [(evid[i], group[i]) for i in prob]
        avg = np.zeros((prob.size, prob.size))
        for a in range(prob.size):
            if gr[a]:
                same = [b for b in range(prob.size) if gr[b] and key[b] == key[a]]
                avg[a, same] = 1.0 / len(same)
            else:
                avg[a, a] = 1.0
        H1 = np.zeros((prob.size, H))
        H1[np.arange(prob.size), hcol[prob]] = 1.0
        scale = (ev["credibility"].to_numpy(dtype=float) * ev["active"].to_numpy())[prob]
        rows = list(ev.index[prob]) if len(ev) == len(self.deal.evidence) else []
        e_ids = self.deal.evidence
        pt_cols, pf_cols = [], []
        for a, i in enumerate(rows):
            r = e_ids.iloc[i]
            tag = f"{r['evidence']}|{r['hypothesis']}|{i}"
            pt_cols.append((a, self._c("evidence", tag, "p_if_true")))
            pf_cols.append((a, self._c("evidence", tag, "p_if_false")))
        self.prob = (pt, pf, avg, H1, scale, pt_cols, pf_cols)

    def posteriors(self, X: np.ndarray) -> np.ndarray:
        n = len(X)
        pri = np.broadcast_to(self.prior0, (n, len(self.prior0))).copy()
        for h, k in self.prior_cols:
            if k is not None:
                pri[:, h] = X[:, k]
        with np.errstate(divide="ignore"):
            S = np.where(self.grouped, np.log2(pri), np.log2(pri) - np.log2(1 - pri))
        S = S + self.fixed_bits
        if self.prob is not None:
            pt, pf, avg, H1, scale, pt_cols, pf_cols = self.prob
            PT = np.broadcast_to(pt, (n, pt.size)).copy()
            PF = np.broadcast_to(pf, (n, pf.size)).copy()
            for a, k in pt_cols:
                if k is not None:
                    PT[:, a] = X[:, k]
            for a, k in pf_cols:
                if k is not None:
                    PF[:, a] = X[:, k]
            ref = np.maximum(PF, EPS) @ avg.T
            bits = scale * (np.log2(np.maximum(PT, EPS)) - np.log2(ref))
            S = S + bits @ H1
        return to_posterior(S, self.lay)

    # -- the Nash package ------------------------------------------------------------------
    def _nash_setup(self):
        deal = self.deal
        self.has_nash = deal.has("issues")
        if not self.has_nash:
            return
        self.options = options_from_deal(deal)
        space = option_space(self.options, "simulate")
        self.space = space
        sizes = space.sizes
        total = int(np.prod(sizes, dtype=object))
        self.alpha = default_alpha(deal)[0]
        self.enumerated = total <= NASH_MAX
        self.point_nash = None
        if not self.enumerated:  # too many packages to enumerate per draw: the point value
            from ..value import what_if

            nash = what_if(deal, sample_size=1).nash
            self.point_nash = package_id(None if nash is None else nash.package)
            return
        choice = np.stack(np.unravel_index(np.arange(total), sizes), axis=1)
        U = sum(space.us[i][choice[:, i]] for i in range(len(sizes)))
        order = np.argsort(-U, kind="stable")
        self.choice, self.U = choice[order], U[order]
        amounts = money_issues(deal.issues, deal.meta.currency)
        self.money = [(i, np.array([amounts[iss].get(o, np.nan) for o in space.options[i]]))
                      for i, iss in enumerate(space.issues) if iss in amounts]

    def nash(self, X: np.ndarray, their=None) -> np.ndarray:
        """The Nash package's id per draw (``their``: their contributions per issue, options ×
        draws, e.g. :func:`powerkit.value.monte_carlo`'s ``draws``; None: the point values)."""
        n = len(X)
        space = self.space
        if self.has_price:
            lo, hi = self.walk_aways(X)
        else:
            lo, hi = np.full(n, -np.inf), np.full(n, np.inf)
        lo, hi = np.nan_to_num(lo, nan=-np.inf), np.nan_to_num(hi, nan=np.inf)
        if their is None:
            their = [np.broadcast_to(t[:, None], (len(t), n)) for t in space.them]
        total = len(self.U)
        out = np.empty(n, dtype=object)
        step = max(1, 4_000_000 // max(total, 1))
        a = self.alpha
        with np.errstate(divide="ignore", invalid="ignore"):
            lu = np.log(self.U)
            for s in range(0, n, step):
                sl = slice(s, min(n, s + step))
                T = sum(their[i][self.choice[:, i], sl] for i in range(len(space.sizes)))
                ok = (self.U[:, None] > 0) & (T > 0)
                for i, amt in self.money:
                    good = (amt[:, None] >= lo[None, sl] - 1e-6) & (amt[:, None] <= hi[None, sl]
                                                                     + 1e-6)
                    ok &= good[self.choice[:, i], :]
                score = np.where(ok, a * lu[:, None] + (1 - a) * np.log(np.where(ok, T, 1.0)),
                                 -np.inf)
                best = np.argmax(score, axis=0)
                none = ~ok.any(axis=0)
                uniq, inv = np.unique(best, return_inverse=True)
                ids = np.array([self._id(b) for b in uniq], dtype=object)
                out[sl] = np.where(none, None, ids[inv])
        return out

    def _id(self, k: int) -> str:
        sp_ = self.space
        return package_id({iss: sp_.options[i][self.choice[k, i]]
                           for i, iss in enumerate(sp_.issues)})
