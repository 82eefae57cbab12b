"""Walkthrough 6 in the client report: where the decision will land on each issue, how the
positions move as the parties bargain, and whom to move to shift it our way.

:func:`section` builds the report's section from one :func:`powerkit.forecast.forecast` result
(the notebook reads the same object); the helpers (:func:`actor_names`, :func:`our_actors`,
:func:`forecast_table`, :func:`exchanges_table`, :func:`levers_table`, :func:`key_issue`) are
the walkthrough's views of it, actors by name. :func:`forecast_violations` lists the section's
invariants that fail (each model's forecast lies within the positions taken; our position is the
positions table's; the headline is the table's).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..forecast.compare import our_actors
from ..plots.forecast import (
    MODEL_LABELS,
    bdm_paths_figure,
    exchanges_figure,
    forecast_overview_figure,
    issue_forecast_figure,
    sensitivity_figure,
)
from ..text import md
from . import Section

__all__ = ["brief_line", "section", "TITLE", "MISSING", "SHORT", "NOTE", "actor_names", "our_actors",
           "forecast_table", "exchanges_table", "exchange_effects", "levers_table", "key_issue",
           "scale_ends", "forecast_violations"]
# our_actors: powerkit.forecast.compare.our_actors, re-exported for the notebook and widgets

TITLE = "Where the decision will land"
#: the forecast table's model headers (short, so the table fits a printed page)
SHORT = {"mean": "compromise", "median": "median", "condorcet": "Condorcet", "bdm": "BDM",
         "exchange": "exchange", "network_mean": "network"}
#: what the forecast table's headers mean
NOTE = ("*ours*: our position; *low*, *high*: the lowest and highest positions taken; "
        "*compromise*: the capability × salience weighted mean; *median*: the weighted median; "
        "*Condorcet*: the position that beats every other in pairwise votes (blank: none); "
        "*BDM*: Bueno de Mesquita's expected-utility model after its last round; *exchange*: "
        "the compromise after Stokman's exchanges; *network*: the compromise after influence "
        "through who listens to whom; *gap*: compromise − ours.")
#: the one line a report (and walkthrough 6) shows for a deal without a positions table
MISSING = ("No positions table in this deal: the forecast of the decision is left out (add "
           "positions.csv, one row per actor and issue, as docs/deal-format.md describes).")

TEACHING = (
    "A decision taken by many hands lands somewhere between the positions on the table, pulled "
    "towards the actors who can weigh in and care most. Each actor's position is the outcome "
    "they advocate on the issue's scale, weighted by their **capability** (votes in the "
    "council, or what an outside party can bring to bear) times their **salience** (how much "
    "the issue matters to them). The **compromise model** — the weighted mean of the positions "
    "— forecast the outcomes of EU legislation better than procedural models (Thomson et al. "
    "2006); the **weighted median** is where a majority cannot be beaten; a **Condorcet "
    "winner**, when one exists, is the position that wins every pairwise vote. **Bueno de "
    "Mesquita's expected-utility model** lets the actors challenge each other round by round, "
    "and **Stokman's exchange model** lets two actors trade: each gives way on the issue they "
    "care less about. Where the models agree, the forecast is robust; where they pull apart, "
    "the bargaining itself will decide.")


def actor_names(deal) -> dict:
    """Actor id → display name: parties and stakeholders by their ``name`` (ids not in the deal
    stay as they are).

    >>> from powerkit.deal.synthetic import make_deal
    >>> names = actor_names(make_deal(6, seed=1))
    >>> names["us"] == make_deal(6, seed=1).parties.at["us", "name"]
    True
    """
    out = {str(k): str(v) for k, v in deal.stakeholders["name"].items()}
    out.update({str(k): str(v) for k, v in deal.parties["name"].items()})
    return out


def scale_ends(compare: pd.DataFrame, issue) -> tuple:
    """(scale_low, scale_high) of an issue, None where the deal names no end."""
    out = []
    for col in ("scale_low", "scale_high"):
        v = compare.at[issue, col] if col in compare.columns else None
        out.append(None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
    return tuple(out)


def forecast_table(compare: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """One row per issue: our position, the lowest and highest positions taken, each model's
    forecast (short headers, :data:`SHORT`; :data:`NOTE` reads them) and the ``gap`` between
    the compromise and our position (the scale's ends are in the figures: the table fits a
    printed page).

    >>> c = pd.DataFrame({"mean": [5.0], "low": [0.0], "high": [10.0], "ours": [2.0]},
    ...                  index=pd.Index(["x"], name="issue"))
    >>> t = forecast_table(c)
    >>> list(t.columns)
    ['issue', 'ours', 'low', 'high', 'compromise', 'gap']
    >>> [str(v) for v in t.iloc[0]]
    ['x', '2.0', '0.0', '10.0', '5.0', '3.0']
    """
    models = [m for m in MODEL_LABELS if m in compare.columns]
    t = pd.DataFrame({"issue": compare.index.astype(str)})
    for col in ("ours", "low", "high"):
        t[col] = pd.to_numeric(compare[col], errors="coerce").to_numpy()
    for m in models:
        t[SHORT[m]] = pd.to_numeric(compare[m], errors="coerce").to_numpy()
    if "mean" in compare.columns:
        t["gap"] = t[SHORT["mean"]] - t["ours"]
    num = t.columns[1:]
    t[num] = t[num].astype(float).round(digits)
    t.attrs["note"] = NOTE
    return t


def key_issue(compare: pd.DataFrame, model: str = "mean"):
    """The issue whose forecast (``model``) lies farthest from our position, measured as a
    share of the range of positions taken on it; None when we take no position.

    >>> c = pd.DataFrame({"mean": [5.0, 1.5], "low": [0.0, 0.0], "high": [10.0, 2.0],
    ...                   "ours": [0.0, 0.0]}, index=["a", "b"])
    >>> key_issue(c)
    'b'
    """
    ours = pd.to_numeric(compare["ours"], errors="coerce")
    span = (compare["high"] - compare["low"]).astype(float).where(lambda s: s > 0, 1.0)
    gap = ((compare[model].astype(float) - ours).abs() / span).dropna()
    return None if gap.empty else gap.idxmax()


def levers_table(sens: pd.DataFrame, issue, names: dict, top: int = 5,
                 digits: int = 3) -> pd.DataFrame:
    """For one issue, the actors whose position needs the smallest move to shift the forecast
    by one unit towards ours, by name; the move is signed (+ up the scale, − down: the
    sensitivity frame's ``to_shift_one`` × ``direction``), with where they stand and where they
    would have to stand (``from``, ``to``) when the frame gives ``new_position``."""
    s = sens[sens["issue"] == issue]
    s = s[np.isfinite(s["to_shift_one"].astype(float))]
    s = s.assign(size=s["to_shift_one"].astype(float).abs()).sort_values("size", kind="stable")
    sign = (s["direction"].astype(float).replace(0.0, 1.0) if "direction" in s.columns
            else pd.Series(1.0, index=s.index))
    t = pd.DataFrame({"actor": [names.get(a, a) for a in s["actor"]],
                      "move their position by": (s["to_shift_one"].astype(float) * sign)
                      .round(digits),
                      "forecast per unit of their position": s["d_position"].astype(float)
                      .round(digits),
                      "forecast per unit of their salience": s["d_salience"].astype(float)
                      .round(digits)})
    if "new_position" in s.columns:
        t.insert(2, "from", s["position"].astype(float).round(digits).to_numpy())
        t.insert(3, "to", s["new_position"].astype(float).round(digits).to_numpy())
    t.attrs["empty"] = "*Nobody's position can shift this forecast our way.*"
    return t.head(top).reset_index(drop=True)


def exchange_effects(exchanges: pd.DataFrame, compare: pd.DataFrame) -> pd.DataFrame:
    """The exchanges with what each does to us: ``towards_us`` and ``away_from_us`` (the issues
    whose outcome it shifts towards or away from our position, as seen from the compromise
    forecast before any exchange) and ``our_way`` (it shifts at least one outcome towards us).
    An issue where we hold no position, or where the forecast sits at ours, counts in neither.

    >>> e = pd.DataFrame({"issue_i": ["x"], "issue_j": ["y"], "shift_i": [1.0],
    ...                   "shift_j": [1.0]})
    >>> c = pd.DataFrame({"mean": [5.0, 5.0], "ours": [8.0, 2.0]}, index=["x", "y"])
    >>> r = exchange_effects(e, c).iloc[0]
    >>> r.towards_us, r.away_from_us, bool(r.our_way)
    (('x',), ('y',), True)
    """
    ours = pd.to_numeric(compare["ours"], errors="coerce")
    side = np.sign(ours - compare["mean"].astype(float)).fillna(0.0)
    toward, away = [], []
    for r in exchanges.itertuples(index=False):
        t, a = [], []
        for issue, shift in ((r.issue_i, getattr(r, "shift_i", np.nan)),
                             (r.issue_j, getattr(r, "shift_j", np.nan))):
            d = float(side.get(issue, 0.0)) * float(shift)
            if d > 0:
                t.append(str(issue))
            elif d < 0:
                a.append(str(issue))
        toward.append(tuple(t))
        away.append(tuple(a))
    return exchanges.assign(towards_us=toward, away_from_us=away,
                            our_way=[bool(t) for t in toward])


def exchanges_table(exchanges: pd.DataFrame, names: dict, top: int = 8,
                    digits: int = 3) -> pd.DataFrame:
    """The exchanges of Stokman's model, actors by name: who moves on which issue, by how much,
    the expected gain of each side, and (when the frame has them, :func:`exchange_effects`)
    which outcomes move towards or away from us."""
    e = exchanges.head(top)
    t = pd.DataFrame({
        "actor": [names.get(a, a) for a in e["actor_i"]],
        "moves on": e["issue_i"].astype(str).to_numpy(),
        "by": e["move_i"].astype(float).round(digits).to_numpy(),
        "in return": [names.get(a, a) for a in e["actor_j"]],
        "who moves on": e["issue_j"].astype(str).to_numpy(),
        "by (in return)": e["move_j"].astype(float).round(digits).to_numpy(),
        "gain of the first": e["gain_i"].astype(float).round(digits).to_numpy(),
        "gain of the second": e["gain_j"].astype(float).round(digits).to_numpy()})
    if "towards_us" in e.columns:
        t["outcomes moved towards us"] = [", ".join(v) for v in e["towards_us"]]
        t["away from us"] = [", ".join(v) for v in e["away_from_us"]]
    t.attrs["empty"] = ("*No exchange pays both sides: every pair of actors cares about the "
                        "issues in the same proportions, or already agrees.*")
    return t


def _num(v):
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _fmt(v) -> str:
    return "none" if v is None else (f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1000
                                     else f"{v:,.0f}")


def section(deal, result=None) -> Section:
    """The report's "Where the decision will land" section.

    Parameters
    ----------
    deal : powerkit.Deal
    result : powerkit.forecast.Forecast, optional
        A :func:`powerkit.forecast.forecast` result (computed here when not given).

    Returns
    -------
    Section
        key ``"forecast"``; ``missing`` set (one line, :data:`MISSING`) when the deal has no
        ``positions`` table. ``headline``: ``issues``, ``actors``, ``ours`` (issue → our
        position), ``forecast_mean``, ``forecast_median``, ``forecast_bdm`` (issue →
        forecast), ``key_issue`` and its ``key_gap`` (compromise forecast − our position),
        ``bdm_oscillating`` (issues), ``exchanges`` (how many) and ``exchanges_our_way`` (how many
        shift an outcome towards us), ``lever`` and ``lever_move``
        (who, not on our side, moves the key issue's forecast one unit our way for the smallest
        move, and that move), ``best_lever`` (by name), ``best_lever_issue``,
        ``best_lever_shift`` and ``best_lever_share`` (``Forecast.best_lever``: the actor whose
        taking our position would move a compromise forecast furthest our way).
    """
    sec = Section(key="forecast", title=TITLE)
    if not deal.has("positions"):
        sec.missing = MISSING
        return sec
    from ..forecast.summary import forecast

    fc = result if result is not None else forecast(deal)
    cmp_, table = fc.compare, fc.table
    names, us = actor_names(deal), our_actors(deal)
    ours = {str(i): _num(v) for i, v in cmp_["ours"].items()}
    key = key_issue(cmp_)
    hl = {
        "issues": int(len(cmp_)),
        "actors": int(table["actor"].nunique()),
        "ours": ours,
        "forecast_mean": {str(i): round(float(v), 4) for i, v in cmp_["mean"].items()},
        "forecast_median": {str(i): round(float(v), 4) for i, v in cmp_["median"].items()},
        "forecast_bdm": ({str(i): round(float(v), 4) for i, v in cmp_["bdm"].items()}
                         if "bdm" in cmp_.columns else {}),
        "key_issue": None if key is None else str(key),
        "key_gap": None if key is None else round(float(cmp_.at[key, "mean"])
                                                  - float(cmp_.at[key, "ours"]), 4),
        "bdm_oscillating": [str(i) for i, v in fc.bdm.oscillating.items() if bool(v)],
        "exchanges": int(len(fc.exchange.exchanges)),
        "lever": None, "lever_move": None,
        "best_lever": None, "best_lever_issue": None, "best_lever_shift": None,
        "best_lever_share": None,
    }
    best = fc.best_lever
    if best is not None:
        hl.update(best_lever=names.get(str(best["actor"]), str(best["actor"])),
                  best_lever_issue=str(best.name),
                  best_lever_shift=round(float(best["shift_if_ours"]), 4),
                  best_lever_share=round(float(best["share_of_range"]), 4))
    sec.add("### What the models say\n" + TEACHING)
    sec.add(forecast_overview_figure(cmp_), forecast_table(cmp_), NOTE)
    near = [i for i in cmp_.index if ours.get(str(i)) is not None
            and abs(float(cmp_.at[i, "mean"]) - ours[str(i)])
            <= 0.1 * max(float(cmp_.at[i, "high"] - cmp_.at[i, "low"]), 1e-12)]
    if near:
        sec.add("The compromise forecast lies close to our position (within a tenth of the "
                "range of positions taken) on " + ", ".join(md(i) for i in near)
                + f" — {len(near)} of {len(cmp_)} issues; the table gives every gap.")
    elif any(v is not None for v in ours.values()):
        sec.add("On every issue the compromise forecast lies more than a tenth of the range of "
                "positions taken away from our position; the table gives every gap.")
    else:
        sec.add("We take no position in the positions table (no row for our party or our "
                "people): the forecasts are shown without ours.")
    if hl["bdm_oscillating"]:
        sec.add("The expected-utility model does not settle on "
                + ", ".join(md(i) for i in hl["bdm_oscillating"])
                + ": the positions cycle from round to round (a known behaviour of the model), "
                "so its forecast there is the last round's, not a resting point.")
    if key is not None:
        lo, hi = scale_ends(cmp_, key)
        m, o = float(cmp_.at[key, "mean"]), float(cmp_.at[key, "ours"])
        sec.add(f"### The issue where we stand farthest from the forecast: {md(key)}\n"
                f"The compromise model puts {md(key)} at {_fmt(m)}, against our {_fmt(o)}"
                + (f" (the scale runs from {md(lo)} to {md(hi)})" if lo and hi else "") + ".")
        sec.add(issue_forecast_figure(table, cmp_, key, names=names, us=us))
        others = fc.sensitivity[~fc.sensitivity["actor"].astype(str).isin(us)]
        lev = levers_table(others, key, names)
        if len(lev):
            hl["lever"] = str(lev.at[0, "actor"])
            hl["lever_move"] = float(lev.at[0, "move their position by"])
            sec.add(f"**Whom to move.** To shift the forecast on {md(key)} by one unit our way, "
                    f"the smallest move is {md(hl['lever'])}'s: {_fmt(abs(hl['lever_move']))} "
                    f"{'up' if hl['lever_move'] > 0 else 'down'} the scale (the compromise "
                    "model; each actor pulls with capability × salience).")
        sec.add(sensitivity_figure(others, key, names=names, us=us), lev)
        sec.add(bdm_paths_figure(fc.bdm, key, names=names, us=us, scale=(lo, hi)))
    if best is not None:
        sec.add(f"**The single move that gains us most.** If {md(hl['best_lever'])} took our "
                f"position on {md(hl['best_lever_issue'])}, the compromise forecast would move "
                f"{_fmt(hl['best_lever_shift'])} our way ({hl['best_lever_share']:.0%} of the "
                "range of positions on that issue) — the largest such move on any issue.")
    sec.add("### Trades that move the outcome\n"
            "In Stokman's exchange model two actors who weigh two issues differently each give "
            "way on the issue they care less about, and both gain in expected utility.")
    effects = exchange_effects(fc.exchange.exchanges, cmp_)
    hl["exchanges_our_way"] = int(effects["our_way"].sum())
    ex = exchanges_table(effects, names)
    if len(ex):
        sec.add(f"{len(effects)} exchange{'s' if len(effects) != 1 else ''} pay both sides; "
                f"{hl['exchanges_our_way']} of them shift at least one outcome towards our "
                "position (in green).")
        sec.add(exchanges_figure(effects, names=names))
    sec.add(ex)
    sec.headline = hl
    if key is not None:
        tail = (f" the widest gap is on {md(key)} ({_fmt(float(cmp_.at[key, 'mean']))} against "
                f"our {_fmt(float(cmp_.at[key, 'ours']))})"
                + (f", and {md(hl['lever'])} is the cheapest to move there" if hl["lever"]
                   else "") + ".")
    else:
        tail = " we take no position on these issues."
    sec.summary = (f"The compromise model forecasts {len(cmp_)} issue"
                   f"{'s' if len(cmp_) != 1 else ''} from {hl['actors']} actors' positions;"
                   + tail)
    return sec


def forecast_violations(deal, sec: Section, result=None, tol: float = 1e-9) -> list[str]:
    """The section's invariants that fail, one sentence each (empty: consistent).

    1. ``range`` — every model's forecast of an issue lies within the lowest and highest
       position taken on it (each model is a weighted average, a median or one of the actors'
       positions; BDM and the exchange model move positions only between existing ones);
    2. ``ours`` — our position in the headline is the positions table's row of our party, or,
       without one, lies among our people's positions (their weighted mean);
    3. ``headline`` — the headline's forecasts are the compare frame's.

    Parameters
    ----------
    deal : powerkit.Deal
    sec : Section
        :func:`section`'s output for ``deal``.
    result : powerkit.forecast.Forecast, optional
        The result the section was built from (computed when not given).
    """
    if sec.missing:
        return [] if not deal.has("positions") else ["missing: the deal has a positions table "
                                                     "but the section is left out"]
    from ..forecast.summary import forecast

    fc = result if result is not None else forecast(deal)
    bad = []
    raw = deal.positions
    span = raw.groupby("issue", sort=False)["position"].agg(["min", "max"]).astype(float)
    models = [m for m in MODEL_LABELS if m in fc.compare.columns]
    for issue, row in fc.compare.iterrows():
        lo, hi = span.loc[issue, "min"], span.loc[issue, "max"]
        eps = tol * max(1.0, abs(lo), abs(hi))
        for m in models:
            v = _num(row[m])
            if v is not None and not lo - eps <= v <= hi + eps:
                bad.append(f"range: {MODEL_LABELS[m]} forecasts {v} on {issue!r}, outside the "
                           f"positions taken ({lo}–{hi})")
    mine = raw[raw["actor"].astype(str).isin(our_actors(deal))]
    for issue, got in sec.headline.get("ours", {}).items():
        g = mine[mine["issue"] == issue]
        party = g[g["actor"].astype(str) == str(deal.us)]["position"].astype(float)
        rows = g["position"].astype(float)
        if got is None:
            if len(rows):
                bad.append(f"ours: the section shows no position of ours on {issue!r}, the "
                           f"table has {rows.tolist()}")
            continue
        eps = tol * max(1.0, abs(got))
        if len(party) and abs(got - float(party.iloc[0])) > eps:
            bad.append(f"ours: the section shows {got} as our position on {issue!r}, our "
                       f"party's row says {float(party.iloc[0])}")
        elif not len(party) and not (len(rows) and rows.min() - eps <= got <= rows.max() + eps):
            bad.append(f"ours: the section shows {got} as our position on {issue!r}, our "
                       f"people's rows say {rows.tolist() or 'none'}")
    for key, col in (("forecast_mean", "mean"), ("forecast_median", "median"),
                     ("forecast_bdm", "bdm")):
        for issue, v in sec.headline.get(key, {}).items():
            if abs(v - float(fc.compare.at[issue, col])) > 1e-3 * max(1.0, abs(v)):
                bad.append(f"headline: {key} on {issue!r} is {v}, the models say "
                           f"{float(fc.compare.at[issue, col])}")
    return bad


def brief_line(deal, fc) -> str | None:
    """The brief's sentence on where the decision will land (the same numbers as this section:
    the issue farthest from our position and the single move that gains us most), or None
    without positions or without a position of ours."""
    if fc is None:
        return None
    cmp_ = fc.compare
    key = key_issue(cmp_)
    if key is None:
        return None
    names = actor_names(deal)
    m, o = float(cmp_.at[key, "mean"]), float(cmp_.at[key, "ours"])
    out = (f"**Where the decision will land.** The compromise model puts {md(key)} at "
           f"{_fmt(m)}, against our {_fmt(o)} — the issue where we stand farthest from the "
           "forecast.")
    best = fc.best_lever
    if best is not None:
        who = names.get(str(best["actor"]), str(best["actor"]))
        out += (f" The single move that gains us most: if {md(who)} took our position on "
                f"{md(str(best.name))}, the forecast would move "
                f"{_fmt(round(float(best['shift_if_ours']), 4))} our way.")
    return out
