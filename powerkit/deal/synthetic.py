"""Synthetic deals: valid :class:`~powerkit.deal.Deal` objects of any size, for benchmarks and tests.

:func:`make_deal` builds a whole deal in memory — three parties, an organisation chart, an informal
network with a heavy-tailed degree distribution, stances, trust, vote weights, issues, hypotheses,
evidence, questions, events and an offers history — deterministic for a seed and fast (well under
a second for 2,000 people). :func:`write_deal` writes any Deal back to a CSV folder plus
``deal.yaml`` (the inverse of :func:`powerkit.load_deal`), e.g. to produce big deal files.

The network model
-----------------
Ties of each kind are drawn as in the Chung–Lu model: every person has an "attractiveness" (how
much others listen to them) drawn from a Pareto law, P(w > x) = x^-1.5, so the in-degrees follow a
power law with exponent about 2.5 as observed in many social and organisational networks
(Barabási & Albert 1999), and an "activity" (how many people they listen to) drawn from a
log-normal law. A tie's source is drawn with probability proportional to activity, its target with
probability proportional to attractiveness; 60% of ties stay inside the source's department
(homophily). The attractiveness of a person is shared by the four tie kinds up to a log-normal
factor, and is independent of rank in the organisation chart, so "hidden influencers" (listened to
by many, low in the hierarchy) occur as in real organisations. Duplicate (source, target, kind)
rows and self-ties are dropped and redrawn, so the deal has exactly ``n_ties`` ties.

References
----------
F. Chung and L. Lu (2002), "Connected components in random graphs with given expected degree
sequences", *Annals of Combinatorics* 6(2):125–145.
A.-L. Barabási and R. Albert (1999), "Emergence of scaling in random networks", *Science*
286(5439):509–512.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .meta import default_rule
from .model import TABLES, Deal, DealMeta
from .schemas import (
    ACH_RATINGS,
    CONSTRAINT_KINDS,
    INDEX,
    SPEC,
    TIE_KINDS,
    TRUST_BASES,
)

__all__ = ["make_deal", "write_deal"]

_FIRST = ("Ada", "Ben", "Carla", "Dev", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas",
          "Kira", "Lars", "Mona", "Nils", "Olga", "Paul", "Rosa", "Sami", "Tara", "Ugo",
          "Vera", "Wim", "Xenia", "Yusuf", "Zoe")
_LAST = ("Adler", "Berg", "Costa", "Dahl", "Eriksen", "Falk", "Graf", "Horn", "Ivanova", "Jansen",
         "Klein", "Lund", "Moreau", "Nagy", "Olsen", "Petit", "Quist", "Rossi", "Smit", "Torres",
         "Urban", "Vogel", "Weiss", "Young", "Zeller")
_TITLES = ("Chief Executive", "Director", "Head of Unit", "Manager", "Specialist")
_KIND_SHARE = dict(zip(TIE_KINDS, (0.35, 0.25, 0.2, 0.2), strict=True))  # advice, trust, ...
_AS_OF = date(2026, 11, 1)


def _check_int(name: str, value, lo: int, fn: str = "make_deal") -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < lo:
        raise ValueError(f"The '{name}' parameter of {fn} must be an int >= {lo}. "
                         f"Got {value!r} instead.")
    return int(value)


def _typed(table: str, data: dict) -> pd.DataFrame:
    """A DataFrame with the columns, order, dtypes and index that :func:`load_deal` produces."""
    spec = SPEC[table]
    n = len(next(iter(data.values())))
    df = pd.DataFrame({c.name: data.get(c.name, [c.default] * n) for c in spec},
                      index=pd.RangeIndex(n))
    for c in spec:
        if c.kind in ("number", "integer"):
            df[c.name] = pd.to_numeric(df[c.name], errors="coerce").astype(float)
        elif c.kind == "date":
            df[c.name] = pd.to_datetime(df[c.name], errors="coerce")
        elif c.kind == "bool":
            df[c.name] = df[c.name].astype(bool)
        else:
            df[c.name] = df[c.name].astype(object).where(df[c.name].notna(), None)
    if table in INDEX:
        df = df.set_index(INDEX[table], drop=True)
    return df


def _ts(days: int) -> pd.Timestamp:
    return pd.Timestamp(_AS_OF) + pd.Timedelta(days=int(days))


def _r2(x) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float), 2)


def _org(rng: np.random.Generator, party: np.ndarray, prefix: dict) -> tuple:
    """reports_to (as positions), depth and department for each person, party by party.

    Within a party, the k-th member reports to an earlier member near position (k-1)//5, so the
    chart is a tree (bosses come first: no cycles) with spans of about five.
    """
    n = len(party)
    boss = np.full(n, -1, dtype=np.int64)
    depth = np.zeros(n, dtype=np.int64)
    dept = np.empty(n, dtype=object)
    jitter = rng.integers(-1, 2, size=n)
    for p in np.unique(party):
        members = np.flatnonzero(party == p)
        for k, i in enumerate(members):
            if k == 0:
                dept[i] = f"{prefix[p]} management"
                continue
            b = members[min(max((k - 1) // 5 + jitter[i], 0), k - 1)]
            boss[i] = b
            depth[i] = depth[b] + 1
            dept[i] = f"{prefix[p]} unit {k}" if depth[i] == 1 else dept[b]
    return boss, depth, dept


def _ties(rng: np.random.Generator, n: int, n_ties: int, dept_code: np.ndarray) -> tuple:
    """Sources, targets, kinds (codes) and weights of exactly ``n_ties`` distinct ties."""
    base = np.minimum(rng.pareto(1.5, size=n) + 1.0, np.sqrt(n) * 4.0)
    activity = rng.lognormal(0.0, 0.6, size=n)
    order = np.argsort(dept_code, kind="stable")  # people sorted by department
    dsorted = dept_code[order]
    starts = np.searchsorted(dsorted, dept_code, side="left")
    ends = np.searchsorted(dsorted, dept_code, side="right")
    kinds = list(_KIND_SHARE)
    quota = np.floor(np.array(list(_KIND_SHARE.values())) * n_ties).astype(np.int64)
    quota[0] += n_ties - quota.sum()
    out_s, out_t, out_k = [], [], []
    for k, need in enumerate(quota):
        attract = base * rng.lognormal(0.0, 0.5, size=n)
        cum_all = np.cumsum(attract)
        cum_dept = np.concatenate([[0.0], np.cumsum(attract[order])])
        p_src = activity / activity.sum()
        keys = np.empty(0, dtype=np.int64)
        rounds = 0
        while len(keys) < need:
            m = int((need - len(keys)) * 1.3) + 8
            if rounds < 6:
                s = rng.choice(n, size=m, p=p_src)
                within = rng.random(m) < 0.6
                u = rng.random(m)
                t = np.searchsorted(cum_all, u * cum_all[-1], side="right")
                lo, hi = cum_dept[starts[s]], cum_dept[ends[s]]
                pos = np.searchsorted(cum_dept, lo + u * (hi - lo), side="right") - 1
                pos = np.clip(pos, starts[s], ends[s] - 1)
                t = np.where(within, order[pos], t)
            else:  # dense small graphs: finish with uniform draws
                s = rng.integers(0, n, size=m)
                t = rng.integers(0, n, size=m)
            t = np.minimum(t, n - 1)
            new = s.astype(np.int64) * n + t
            new = new[s != t]
            allk = np.concatenate([keys, new])
            _, first = np.unique(allk, return_index=True)
            keys = allk[np.sort(first)]
            rounds += 1
        keys = keys[:need]
        out_s.append(keys // n)
        out_t.append(keys % n)
        out_k.append(np.full(need, k))
    src, tgt, kind = (np.concatenate(a) for a in (out_s, out_t, out_k))
    weight = rng.integers(1, 4, size=len(src)).astype(float)
    return src, tgt, np.array(kinds, dtype=object)[kind], weight


def make_deal(n_stakeholders: int = 2000, n_ties: int | None = None, seed: int = 0,
              issues: int = 4, options: int = 5, roles: bool = False) -> Deal:
    """Build a valid synthetic deal in memory.

    Parties ``us`` (seller, about 5% of the people), ``them`` (buyer, about 85%) and ``rival`` (a
    competing seller). Each party has an organisation chart (a tree, spans of about five); the
    counterpart's top people form a voting committee (``vote_weight`` 1–6, ``quota`` a simple
    majority of their votes) and its chief executive holds sign-off. Ties of the four kinds follow
    the heavy-tailed model of the module docstring. Issues are rated by ``us`` and ``them`` with
    random ratings and weights; there is a group of three mutually exclusive hypotheses plus three
    independent ones, with evidence (ACH ratings and likelihood pairs), questions, four events and
    four rounds of offers.

    Parameters
    ----------
    n_stakeholders : int, default 2000
        Number of people (at least 5).
    n_ties : int or None, default None
        Number of ties over all four kinds; default about 10 per person,
        ``min(10 * n, 2 * n * (n - 1))``. At most ``2 * n * (n - 1)`` (half of all possible ties).
    seed : int, default 0
        Seed of the random generator; the same seed gives the same deal.
    issues : int, default 4
        Number of issues (at least 1).
    options : int, default 5
        Options per issue (at least 2).
    roles : bool, default False
        The game plan's features (drawn from a second random stream, so the rest of the deal is
        the same as without them): the competing seller gets side ``rival`` (else ``third``);
        issue 1 becomes ``price``, a money issue whose options are amounts (``EUR 950k``…)
        spread from 80% of the seller's floor to 120% of the buyer's ceiling, so some lie
        outside the zone; ``decision_rule`` is drawn from sign_off, quota and
        quota_and_sign_off.

    Returns
    -------
    Deal
        Tables with the columns, dtypes and indexes :func:`powerkit.load_deal` produces.

    Raises
    ------
    ValueError
        When a parameter is out of range.

    Examples
    --------
    >>> from powerkit.deal.synthetic import make_deal
    >>> deal = make_deal(50, seed=1)
    >>> len(deal.stakeholders), len(deal.ties), deal.meta.us
    (50, 500, 'us')
    >>> make_deal(50, seed=1).equals(deal)
    True

    References
    ----------
    F. Chung and L. Lu (2002), "Connected components in random graphs with given expected degree
    sequences", *Annals of Combinatorics* 6(2):125–145.
    """
    n = _check_int("n_stakeholders", n_stakeholders, 5)
    seed = _check_int("seed", seed, 0)
    n_issues = _check_int("issues", issues, 1)
    n_options = _check_int("options", options, 2)
    max_ties = 2 * n * (n - 1)
    if n_ties is None:
        n_ties = min(10 * n, max_ties)
    elif (isinstance(n_ties, bool) or not isinstance(n_ties, int | np.integer)
          or not 0 <= n_ties <= max_ties):
        raise ValueError(f"The 'n_ties' parameter of make_deal must be an int from 0 to "
                         f"2 * n * (n - 1) = {max_ties} or None. Got {n_ties!r} instead.")
    n_ties = int(n_ties)
    rng = np.random.default_rng(seed)

    # -- parties ---------------------------------------------------------------------------
    seller_res = float(np.round(rng.uniform(800_000, 1_000_000), -3))
    buyer_res = float(np.round(seller_res * rng.uniform(1.1, 1.5), -3))
    parties = _typed("parties", {
        "party": ["us", "them", "rival"],
        "name": ["Synthetic Vendor", "Synthetic Customer", "Synthetic Rival"],
        "side": ["us", "counterpart", "third"],
        "role": ["seller", "buyer", "seller"],
        "reservation_price": [seller_res, buyer_res, float(np.round(seller_res * 0.9, -3))],
        "batna_value": [float(np.round(seller_res * 0.3, -3)), float(np.round(buyer_res * 0.15, -3)),
                        float(np.round(seller_res * 0.25, -3))],
        "alternatives": [2, 2, 3],
        "deadline": [_ts(rng.integers(90, 240)), _ts(rng.integers(60, 180)), _ts(60)],
        "discount_rate": [0.02, None, 0.03],
        **{c: list(_r2(rng.uniform(0.2, 0.9, 3))) for c in
           ("resources", "legal_position", "status", "external", "coalition_strength")},
    })

    # -- stakeholders ----------------------------------------------------------------------
    n_us = max(1, round(0.05 * n))
    n_rival = max(1, round(0.10 * n))
    n_them = n - n_us - n_rival
    party = np.array(["us"] * n_us + ["them"] * n_them + ["rival"] * n_rival, dtype=object)
    boss, depth, dept = _org(rng, party, {"us": "Vendor", "them": "Customer", "rival": "Rival"})
    width = len(str(n - 1))
    ids = np.array([f"p{i:0{width}d}" for i in range(n)], dtype=object)
    first = rng.integers(0, len(_FIRST), n)
    last = rng.integers(0, len(_LAST), n)
    names = [f"{_FIRST[a]} {_LAST[b]}" for a, b in zip(first, last, strict=True)]
    titles = [_TITLES[min(d, len(_TITLES) - 1)] for d in depth]
    is_them = party == "them"
    top_them = np.flatnonzero(is_them & (depth <= 1))[:9]
    sign_off = np.zeros(n, dtype=bool)
    sign_off[top_them[0]] = True
    budget = np.zeros(n)
    budget[top_them] = np.round(rng.uniform(50_000, 500_000, len(top_them)), -3)
    budget[top_them[0]] = buyer_res
    votes = np.zeros(n)
    votes[top_them] = rng.integers(1, 7, len(top_them))
    quota = int(votes.sum()) // 2 + 1
    stance = rng.uniform(-1, 1, n)
    stance[party == "us"] = rng.uniform(0.8, 1.0, (party == "us").sum())
    stance[party == "rival"] = rng.uniform(-1.0, -0.6, (party == "rival").sum())
    stakeholders = _typed("stakeholders", {
        "stakeholder": ids,
        "name": names,
        "party": party,
        "title": titles,
        "department": dept,
        "reports_to": [ids[b] if b >= 0 else None for b in boss],
        "sign_off": sign_off,
        "budget_authority": budget,
        "stance": _r2(stance),
        "interest": _r2(rng.uniform(0, 1, n)),
        "legitimacy": _r2(rng.uniform(0.3, 1, n)),
        "urgency": _r2(rng.uniform(0, 1, n)),
        "vote_weight": votes,
        "trust_competence": _r2(rng.uniform(0.2, 1, n)),
        "trust_benevolence": _r2(rng.uniform(0.1, 1, n)),
        "trust_reliability": _r2(rng.uniform(0.2, 1, n)),
        "trust_basis": np.array(TRUST_BASES, dtype=object)[rng.integers(0, 3, n)],
        "frame_fit": _r2(rng.uniform(0, 1, n)),
        "susceptibility": _r2(rng.uniform(0.1, 0.9, n)),
    })

    # -- ties ------------------------------------------------------------------------------
    _, dept_code = np.unique(dept.astype(str), return_inverse=True)
    src, tgt, kind, weight = _ties(rng, n, n_ties, dept_code)
    ties = _typed("ties", {"source": ids[src], "target": ids[tgt], "kind": kind,
                           "weight": weight})

    # -- issues ----------------------------------------------------------------------------
    issue_names = [f"issue {i + 1}" for i in range(n_issues)]
    option_names = [f"option {j + 1}" for j in range(n_options)]
    rows: dict[str, list] = {"issue": [], "option": [], "party": [], "rating": [], "weight": []}
    ratings: dict[tuple, np.ndarray] = {}
    for p in ("us", "them"):
        w = rng.integers(1, 11, n_issues)
        for i, iss in enumerate(issue_names):
            r = rng.integers(0, 101, n_options)
            r[rng.integers(0, n_options)] = 100  # the best option of each issue rates 100
            ratings[p, iss] = r
            for j, opt in enumerate(option_names):
                for col, v in zip(rows, (iss, opt, p, float(r[j]), float(w[i])), strict=True):
                    rows[col].append(v)
    issues_df = _typed("issues", rows)

    # -- hypotheses, evidence, questions ---------------------------------------------------
    holders = [ids[top_them[0]], "them", ids[top_them[min(1, len(top_them) - 1)]]]
    cut = np.sort(rng.choice(np.arange(10, 91, 5), 2, replace=False))
    group_priors = [cut[0] / 100, (cut[1] - cut[0]) / 100, (100 - cut[1]) / 100]
    kinds = rng.permutation(np.array(CONSTRAINT_KINDS, dtype=object))
    hyp_ids = [f"h{i + 1}" for i in range(6)]
    hypotheses = _typed("hypotheses", {
        "hypothesis": hyp_ids,
        "holder": [holders[0]] * 3 + holders,
        "kind": list(kinds[:6]),
        "statement": [f"synthetic hypothesis {i + 1} ({k.replace('_', ' ')})"
                      for i, k in enumerate(kinds[:6])],
        "prior": group_priors + list(_r2(rng.uniform(0.2, 0.7, 3))),
        "group": ["g1"] * 3 + [None] * 3,
    })
    ev: dict[str, list] = {c.name: [] for c in SPEC["evidence"]}

    def add_ev(eid, h, d, cred, rating=None, pt=None, pf=None):
        vals = dict(evidence=eid, hypothesis=h, description=f"observation {eid}", date=_ts(-d),
                    source="synthetic source", credibility=cred, rating=rating,
                    p_if_true=pt, p_if_false=pf)
        for c in ev:
            ev[c].append(vals[c])

    for e in range(8):
        eid, d = f"e{e + 1}", int(rng.integers(1, 90))
        cred = float(_r2(rng.uniform(0.4, 1.0)))
        if e < 5:
            for h in hyp_ids[:3]:
                add_ev(eid, h, d, cred, rating=str(rng.choice(ACH_RATINGS)))
        else:
            pt, pf = _r2(rng.uniform(0.05, 0.95, 2))
            add_ev(eid, hyp_ids[e - 2], d, cred, pt=float(pt), pf=float(pf))
    evidence = _typed("evidence", ev)
    qs: dict[str, list] = {c.name: [] for c in SPEC["questions"]}
    for q in range(6):
        qid = f"q{q + 1}"
        if q < 3:
            p_true = _r2(rng.uniform(0.05, 0.95, 3))
            for g, h in enumerate(hyp_ids[:3]):  # P(yes | not h): prior-weighted over the others
                others = [o for o in range(3) if o != g]
                pf = sum(group_priors[o] * p_true[o] for o in others) / sum(
                    group_priors[o] for o in others)
                for c, v in zip(qs, (qid, f"synthetic question {qid}?", h, float(p_true[g]),
                                     round(float(pf), 3)), strict=True):
                    qs[c].append(v)
        else:
            pt, pf = _r2(rng.uniform(0.05, 0.95, 2))
            for c, v in zip(qs, (qid, f"synthetic question {qid}?", hyp_ids[q], float(pt),
                                 float(pf)), strict=True):
                qs[c].append(v)
    questions = _typed("questions", qs)

    rule = "quota"
    if roles:
        extra = np.random.default_rng([seed, 13])
        parties.loc["rival", "side"] = "rival"
        amounts = np.round(np.linspace(0.8 * seller_res, 1.2 * buyer_res, n_options), -3)
        labels = {o: f"EUR {a / 1000:g}k" for o, a in zip(option_names, amounts, strict=True)}
        price_rows = issues_df["issue"] == issue_names[0]
        issues_df.loc[price_rows, "option"] = issues_df.loc[price_rows, "option"].map(labels)
        issues_df.loc[price_rows, "issue"] = "price"
        # a seller likes a higher price, a buyer a lower one (ratings 0..100 along the amounts)
        rank = np.linspace(0, 100, n_options)
        for p, up in (("us", True), ("them", False)):
            rows_p = price_rows & (issues_df["party"] == p)
            issues_df.loc[rows_p, "rating"] = rank if up else rank[::-1]
            ratings[p, "price"] = (rank if up else rank[::-1]).astype(int)
        option_names_1 = [labels[o] for o in option_names]
        issue_names = ["price"] + issue_names[1:]
        rule = str(extra.choice(["sign_off", "quota", "quota_and_sign_off"]))
        if rule == "sign_off":
            quota = None
    else:
        option_names_1 = option_names

    # -- events and offers -----------------------------------------------------------------
    them_deadline = parties.loc["them", "deadline"]
    events = _typed("events", {
        "date": [_ts(14), _ts(30), _ts(45), _ts(60)],
        "target": ["them", "us", "rival", ids[top_them[-1]]],
        "field": ["deadline", "alternatives", "reservation_price", "budget_authority"],
        "value": [(them_deadline - pd.Timedelta(days=30)).strftime("%Y-%m-%d"), "1",
                  str(int(np.round(seller_res * 0.8, -3))), str(int(buyer_res))],
        "description": ["their deadline moves in by a month", "one of our alternatives falls through",
                        "the rival cuts its price", "a reorganisation moves the budget"],
    })
    off: dict[str, list] = {c.name: [] for c in SPEC["offers"]}
    for rnd in range(1, 5):
        p = "us" if rnd % 2 else "them"
        for iss in issue_names:
            rank = np.argsort(-ratings[p, iss], kind="stable")
            names_i = option_names_1 if iss == "price" else option_names
            opt = names_i[rank[min((rnd - 1) // 2, n_options - 1)]]
            note = f"round {rnd} offer" if iss == issue_names[0] else None
            for c, v in zip(off, (rnd, _ts(-7 * (5 - rnd)), p, iss, opt, note), strict=True):
                off[c].append(v)
    offers = _typed("offers", off)

    meta = DealMeta(id=f"synthetic-{n}-{seed}", title=f"Synthetic deal ({n} people, seed {seed})",
                    decision="award the synthetic contract", us="us", counterpart="them",
                    as_of=_AS_OF, currency="EUR", prepared_for="", quota=quota,
                    decision_rule=rule)
    return Deal(meta=meta, parties=parties, stakeholders=stakeholders, ties=ties,
                issues=issues_df, hypotheses=hypotheses, evidence=evidence, questions=questions,
                events=events, offers=offers, source=f"powerkit.deal.synthetic.make_deal(seed={seed})")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, pd.Timestamp):
        return "" if pd.isna(v) else v.strftime("%Y-%m-%d")
    if isinstance(v, float | np.floating):
        if np.isnan(v):
            return ""
        return str(int(v)) if float(v).is_integer() and abs(v) < 2**53 else repr(float(v))
    if isinstance(v, int | np.integer):
        return str(int(v))
    if v is pd.NaT:
        return ""
    return str(v)


def write_deal(deal: Deal, folder: str | Path) -> Path:
    """Write a Deal as a CSV folder plus ``deal.yaml``, the inverse of :func:`powerkit.load_deal`.

    One CSV per table present (UTF-8, header row, every column of docs/deal-format.md in order,
    minimal quoting); absent tables are not written. Numbers are written exactly (shortest
    round-trip form), dates as ``YYYY-MM-DD``, booleans as ``true``/``false``, blanks empty.

    Parameters
    ----------
    deal : Deal
        The deal to write.
    folder : str or Path
        The deal folder; created if needed. Existing table files in it are overwritten and
        table files of tables the deal lacks are removed, so the folder holds exactly this deal.

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    ValueError
        When ``deal`` is not a :class:`~powerkit.deal.Deal`.

    Examples
    --------
    >>> import tempfile, powerkit
    >>> from powerkit.deal.synthetic import make_deal, write_deal
    >>> deal = make_deal(20, seed=3)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     back = powerkit.load_deal(write_deal(deal, tmp))
    >>> back.equals(deal)
    True
    """
    if not isinstance(deal, Deal):
        raise ValueError(f"The 'deal' parameter of write_deal must be a powerkit.Deal. "
                         f"Got {type(deal).__name__} instead.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    m = deal.meta
    meta = {"id": m.id, "title": m.title, "decision": m.decision, "us": m.us,
            "counterpart": m.counterpart, "currency": m.currency,
            "as_of": m.as_of.isoformat()}
    if m.prepared_for:
        meta["prepared_for"] = m.prepared_for
    if m.quota is not None:
        meta["quota"] = int(m.quota)
    if m.decision_rule != default_rule(m.quota, deal.stakeholders):
        meta["decision_rule"] = m.decision_rule
    if m.spreads:
        meta["spreads"] = dict(m.spreads)
    (folder / "deal.yaml").write_text(
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10**6), encoding="utf-8")
    for table in TABLES:
        df = getattr(deal, table)
        path = folder / f"{table}.csv"
        if df is None:
            path.unlink(missing_ok=True)
            continue
        if table in INDEX:
            df = df.reset_index()
        if "trust_reliability_rated" in df.columns:  # the rating as entered, not the value
            df = df.assign(trust_reliability=df["trust_reliability_rated"])  # derived at load
        cols = [c.name for c in SPEC[table]]
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            w.writerow(cols)
            w.writerows([_cell(v) for v in row]
                        for row in df[cols].itertuples(index=False, name=None))
    return folder
