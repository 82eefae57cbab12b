"""The portfolio's analyses (see the package docstring and docs/methods/portfolio.md)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..deal import Deal, load_deal
from ..errors import DealError, InputError, Problem

__all__ = ["Portfolio", "load_portfolio", "relationship_capital", "reliability_ledger",
           "reputation", "thin_network", "relationship_gaps", "summary", "HALF_LIFE_DAYS"]

#: a tie seen in a deal this many days before the latest deal counts half (recency decay)
HALF_LIFE_DAYS = 365.0


@dataclass
class Portfolio:
    """The deals of a portfolio, oldest first, and who we are (the party id shared by all)."""

    deals: list[Deal]
    us: str
    source: str = ""

    @property
    def as_of(self):
        return max(d.meta.as_of for d in self.deals)

    def people(self) -> pd.DataFrame:
        """Everyone across the deals (latest deal's row wins): name, party, title, deals."""
        rows: dict = {}
        count: dict = {}
        for d in self.deals:
            for sid, r in d.stakeholders.iterrows():
                rows[sid] = {"name": r["name"], "party": r["party"], "title": r["title"]}
                count[sid] = count.get(sid, 0) + 1
        out = pd.DataFrame.from_dict(rows, orient="index")
        out["deals"] = pd.Series(count)
        return out.rename_axis("stakeholder")

    def organisations(self, rivals: bool = True) -> pd.Series:
        """Party id → name across the deals (ours excluded; rivals too with ``rivals=False``:
        a party that is a rival in its latest deal)."""
        names: dict = {}
        side: dict = {}
        for d in self.deals:
            names.update(d.parties["name"].to_dict())
            side.update(d.parties["side"].to_dict())
        names.pop(self.us, None)
        if not rivals:
            names = {p: n for p, n in names.items() if side.get(p) != "rival"}
        return pd.Series(names, name="name", dtype=object).rename_axis("party")


def _deal_paths(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if (p.is_dir() and (p / "deal.yaml").exists())
                  or (p.is_file() and p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")))


def load_portfolio(folder) -> Portfolio:
    """Every deal in ``folder`` (deal folders and .xlsx workbooks), validated together.

    Raises
    ------
    DealError
        Every problem at once: each deal's own problems (file names prefixed by the deal's
        folder), a person or party id that has different names in two deals (naming both
        files), deals that disagree on who we are, a folder without deals.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: expected a folder of deals (deal folders or .xlsx workbooks)")
    paths = _deal_paths(folder)
    problems: list[Problem] = []
    deals: list[tuple[Path, Deal]] = []
    for p in paths:
        try:
            deals.append((p, load_deal(p)))
        except DealError as exc:
            problems += [Problem(f"{p.name}/{q.file}", q.row, q.column, q.value, q.expected)
                         for q in exc.problems]
    if not paths:
        problems.append(Problem(folder.name, None, None, None,
                                "a folder holding deal folders (with deal.yaml) or .xlsx workbooks"))
    seen: dict[tuple[str, str], tuple[str, str, int]] = {}
    for p, d in deals:
        for table, col in (("stakeholders", "name"), ("parties", "name")):
            df = getattr(d, table)
            for row, (key, name) in enumerate(df[col].items(), start=2):
                k = (table, key)
                if k in seen and seen[k][1] != name:
                    other, other_name, other_row = seen[k]
                    problems.append(Problem(
                        f"{p.name}/{table}.csv", row, col, name,
                        f"the name '{other_name}' that id '{key}' has in {other}/{table}.csv "
                        f"row {other_row} (the same id must be the same "
                        f"{'person' if table == 'stakeholders' else 'party'} in every deal)"))
                seen.setdefault(k, (p.name, name, row))
    us = {d.us for _, d in deals}
    if len(us) > 1:
        problems.append(Problem(folder.name, None, "us", ", ".join(sorted(us)),
                                "the same 'us' party id in every deal's deal.yaml"))
    if problems:
        raise DealError(problems, str(folder))
    ordered = sorted((d for _, d in deals), key=lambda d: (d.meta.as_of, d.id))
    return Portfolio(ordered, next(iter(us)), str(folder))


def _decay(days: float, half_life: float) -> float:
    return 0.5 ** (max(days, 0.0) / half_life)


def _our_ties(pf: Portfolio, half_life: float) -> pd.DataFrame:
    """Every tie between one of our people and someone else's, across deals, with its recency
    weight: columns deal, ours, theirs, party, kind, weight, age_days, recency, strength."""
    rows = []
    latest = pf.as_of
    for d in pf.deals:
        if not d.has("ties"):
            continue
        party = d.stakeholders["party"]
        age = (latest - d.meta.as_of).days
        rec = _decay(age, half_life)
        for s, t, k, w in zip(d.ties["source"], d.ties["target"], d.ties["kind"],
                              d.ties["weight"], strict=True):
            ps, pt = party.get(s), party.get(t)
            if (ps == pf.us) == (pt == pf.us):
                continue
            ours, theirs, org = (s, t, pt) if ps == pf.us else (t, s, ps)
            rows.append({"deal": d.id, "ours": ours, "theirs": theirs, "party": org, "kind": k,
                         "weight": float(w), "age_days": age, "recency": rec,
                         "strength": float(w) * rec})
    return pd.DataFrame(rows, columns=["deal", "ours", "theirs", "party", "kind", "weight",
                                       "age_days", "recency", "strength"])


def relationship_capital(pf: Portfolio, half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    """Per organisation: our relationship capital across the portfolio.

    ``capital = Σ weight · 0.5^(age / half_life)`` over every tie (either direction, any kind)
    between one of our people and one of theirs, in every deal, ``age`` being days from that
    deal's ``as_of`` to the latest deal's (Granovetter 1973 on tie strength; the recency decay
    of Burt 2000, "Decay functions", *Social Networks* 22). Also: ``people_reached`` (their
    people with a tie to us), ``our_contacts`` (our people with a tie to them), ``deals``.

    Examples
    --------
    >>> from powerkit.paths import portfolios_dir
    >>> pf = load_portfolio(portfolios_dir() / "northwind")
    >>> cap = relationship_capital(pf)
    >>> bool(cap.loc["brightwater", "capital"] > 0)
    True
    """
    ties = _our_ties(pf, half_life_days)
    orgs = pf.organisations()
    deals = {p: sum(1 for d in pf.deals if p in d.parties.index) for p in orgs.index}
    g = ties.groupby("party")
    out = pd.DataFrame({"name": orgs,
                        "capital": g["strength"].sum().reindex(orgs.index).fillna(0.0),
                        "ties": g.size().reindex(orgs.index).fillna(0).astype(int),
                        "people_reached": g["theirs"].nunique().reindex(orgs.index).fillna(0)
                        .astype(int),
                        "our_contacts": g["ours"].nunique().reindex(orgs.index).fillna(0)
                        .astype(int),
                        "deals": pd.Series(deals)})
    out.attrs["half_life_days"] = half_life_days
    return out.sort_values("capital", ascending=False, kind="stable")


def reliability_ledger(pf: Portfolio) -> pd.DataFrame:
    """Every promise of every deal: deal, commitment, by, to, by_party, to_party, promise,
    date, due, status."""
    rows = []
    for d in pf.deals:
        if not d.has("commitments"):
            continue
        party = {**d.stakeholders["party"].to_dict(), **{p: p for p in d.parties.index}}
        for r in d.commitments.itertuples(index=False):
            rows.append({"deal": d.id, "commitment": r.commitment, "by": r.by, "to": r.to,
                         "by_party": party.get(r.by), "to_party": party.get(r.to),
                         "promise": r.promise, "date": r.date, "due": r.due,
                         "status": r.status})
    return pd.DataFrame(rows, columns=["deal", "commitment", "by", "by_party", "to", "to_party",
                                       "promise", "date", "due", "status"])


def _beta(kept: int, partly: int, broken: int) -> float:
    """Posterior mean of keeping a promise, uniform prior (Jøsang & Ismail 2002)."""
    return (1.0 + kept + 0.5 * partly) / (2.0 + kept + partly + broken)


def reputation(pf: Portfolio) -> pd.DataFrame:
    """Per organisation: our record with them and theirs with us.

    ``our_reliability`` and ``their_reliability`` are the beta reputation (Jøsang & Ismail
    2002) of the closed promises — ``(1 + kept + partly/2) / (2 + kept + partly + broken)``,
    0.5 with no record — and the counts behind each.
    """
    led = reliability_ledger(pf)
    orgs = pf.organisations()
    rows = []
    for org, name in orgs.items():
        row = {"party": org, "name": name}
        for who, mask in (("our", (led["by_party"] == pf.us) & (led["to_party"] == org)),
                          ("their", (led["by_party"] == org) & (led["to_party"] == pf.us))):
            st = led.loc[mask, "status"].value_counts()
            k, h, b, o = (int(st.get(s, 0)) for s in ("kept", "partly", "broken", "open"))
            row.update({f"{who}_kept": k, f"{who}_partly": h, f"{who}_broken": b,
                        f"{who}_open": o, f"{who}_reliability": _beta(k, h, b)})
        rows.append(row)
    return pd.DataFrame(rows).set_index("party")


def _deciders(d: Deal, org: str) -> list:
    st = d.stakeholders[d.stakeholders["party"] == org]
    dec = st.index[st["sign_off"].astype(bool) | (st["vote_weight"].fillna(0) > 0)]
    if len(dec):
        return list(dec)
    top = st["budget_authority"].fillna(0)
    return list(top.index[top == top.max()]) if len(top) and top.max() > 0 else []


def thin_network(pf: Portfolio, half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    """Organisations whose deciders (sign-off, votes, else the largest budget; in the latest
    deal where the organisation appears) we reach through at most one person of ours.

    Columns: name, deciders (names), reached (deciders with a tie to us), through (our people
    tied to a decider), thin (True when through ≤ 1).
    """
    ties = _our_ties(pf, half_life_days)
    people = pf.people()
    rows = []
    for org, name in pf.organisations(rivals=False).items():
        latest = [d for d in pf.deals if org in d.parties.index][-1]
        dec = _deciders(latest, org)
        if not dec:
            continue
        t = ties[ties["theirs"].isin(dec)]
        through = sorted(set(t["ours"]))
        rows.append({"party": org, "name": name,
                     "deciders": ", ".join(people.loc[dec, "name"]),
                     "reached": int(t["theirs"].nunique()), "through": len(through),
                     "through_names": ", ".join(people.loc[through, "name"]) or "nobody",
                     "thin": len(through) <= 1})
    cols = ["party", "name", "deciders", "reached", "through", "through_names", "thin"]
    return pd.DataFrame(rows, columns=cols).set_index("party")


def relationship_gaps(pf: Portfolio, top: int = 10,
                      half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    """The people worth a relationship beyond one deal, ranked.

    For every person outside our party and the rivals': ``authority`` = 0.5·sign_off + 0.5·(budget / the
    largest budget of their organisation) + 0.5·(votes > 0), capped at 1 (their formal say in the
    latest deal they appear in), ``deals`` (how many deals they appear in), ``our_strength``
    (Σ of our ties to them, recency-weighted); ``priority = authority · deals / (1 +
    our_strength)`` — formal say that recurs across deals and that our network does not yet
    reach. ``through``: the colleague of theirs we know best who is tied to them (an
    introduction), else nobody.
    """
    ties = _our_ties(pf, half_life_days)
    strength = ties.groupby("theirs")["strength"].sum()
    people = pf.people()
    courted = set(pf.organisations(rivals=False).index)
    rows = []
    for sid, r in people.iterrows():
        if r["party"] not in courted:  # not ours, not a rival's
            continue
        latest = [d for d in pf.deals if sid in d.stakeholders.index][-1]
        st = latest.stakeholders
        org = st[st["party"] == r["party"]]
        budget_max = org["budget_authority"].fillna(0).max()
        me = st.loc[sid]
        auth = min(1.0, 0.5 * bool(me["sign_off"])
                   + (0.5 * float(me["budget_authority"] or 0) / budget_max if budget_max > 0 else 0)
                   + (0.5 if (me["vote_weight"] or 0) > 0 and not math.isnan(me["vote_weight"]) else 0))
        ours = float(strength.get(sid, 0.0))
        via = None
        if latest.has("ties"):
            lt = latest.ties
            colleagues = set(lt.loc[lt["target"] == sid, "source"]) | set(
                lt.loc[lt["source"] == sid, "target"])
            known = [(strength.get(c, 0.0), c) for c in colleagues
                     if c in org.index and strength.get(c, 0.0) > 0]
            if known:
                via = max(known)[1]
        rows.append({"stakeholder": sid, "name": r["name"], "party": r["party"],
                     "authority": auth, "deals": int(r["deals"]), "our_strength": ours,
                     "priority": auth * r["deals"] / (1.0 + ours),
                     "through": None if via is None else people.at[via, "name"]})
    out = pd.DataFrame(rows, columns=["stakeholder", "name", "party", "authority", "deals",
                                      "our_strength", "priority", "through"])
    out = out[out["authority"] > 0].sort_values(["priority", "name"], ascending=[False, True],
                                                kind="stable")
    return out.head(top).set_index("stakeholder")


def summary(pf: Portfolio) -> dict:
    """The portfolio's headline numbers as plain values (for the JSON and the report)."""
    cap = relationship_capital(pf)
    rep = reputation(pf)
    thin = thin_network(pf)
    gaps = relationship_gaps(pf)
    return {"deals": [d.id for d in pf.deals], "as_of": pf.as_of.isoformat(),
            "capital": {k: round(float(v), 4) for k, v in cap["capital"].items()},
            "our_reliability": {k: round(float(v), 4) for k, v in rep["our_reliability"].items()},
            "their_reliability": {k: round(float(v), 4)
                                  for k, v in rep["their_reliability"].items()},
            "thin": [str(k) for k in thin.index[thin["thin"]]],
            "gaps": [str(n) for n in gaps["name"]]}
