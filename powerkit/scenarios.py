"""Scenarios: named what-ifs applied to a deal and compared side by side (analysis, pure).

A :class:`Scenario` changes some of the documented what-if settings (:data:`SETTINGS`: the BATNAs
and reservation prices of both sides, a rival's reservation price, the deadlines, the source
weights of the power balance, a person's stance). :func:`apply_scenario` returns the deal with
the changes made; :func:`compare_scenarios` runs walkthrough 1's what-if and the game plan on
the base case and on each scenario: one row each. Scenarios come from the deal's ``scenarios``
table (:func:`deal_scenarios`), a YAML file (:func:`read_scenario_file`) or ``powerkit report
--param`` (:func:`what_if_scenario`). No HTML, no figures: the words are in
:mod:`powerkit.sections.scenarios`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .deal.scenario_settings import BASE_CASE, SETTINGS, WEIGHT_KEYS, parse_setting, rivals_of
from .deal.scenario_settings import table_scenarios as _table_scenarios
from .errors import DealError, InputError, Problem

__all__ = ["read_scenarios", "Scenario", "SETTINGS", "WEIGHT_KEYS", "BASE_CASE", "WHAT_IF", "apply_scenario",
           "compare_scenarios", "deal_scenarios", "read_scenario_file", "what_if_scenario",
           "check_scenarios", "COMPARISON_COLUMNS"]

WHAT_IF = "what if"  #: the name of the scenario ``powerkit report --param`` builds
COMPARISON_COLUMNS = ["scenario", "description", "settings", "balance", "weight_us", "price",
                      "share_us", "posture", "target_price", "target_package", "engagement"]


@dataclass
class Scenario:
    """A named what-if: ``settings`` maps setting names of :data:`SETTINGS` to values (as
    written — text, numbers, dates, mappings — or already parsed)."""

    name: str
    description: str = ""
    settings: dict = field(default_factory=dict)

    @property
    def weights(self) -> dict | None:
        """The source weights this scenario sets (not deal data: the analyses take them as an
        argument), or ``None``."""
        if "weights" not in self.settings:
            return None
        v, why = parse_setting("weights", self.settings["weights"])
        if why is not None:
            raise _invalid(self, "weights", self.settings["weights"], why)
        return v


def _invalid(sc: Scenario, name, value, why) -> InputError:
    return InputError(f"Scenario {sc.name!r}: the setting {name!r} got {value!r}; expected {why}"
                      + ("" if name in SETTINGS else " (" + ", ".join(SETTINGS) + ")"))


def _parsed(deal, sc: Scenario) -> dict:
    people, rivals = set(deal.stakeholders.index), rivals_of(deal.parties)
    out = {}
    for k, v in sc.settings.items():
        got, why = parse_setting(k, v, people=people, rivals=rivals)
        if why is not None:
            raise _invalid(sc, k, v, why)
        out[k] = got
    return out


def apply_scenario(deal, scenario: Scenario):
    """The deal with ``scenario``'s changes made (a copy; the source weights stay in the
    scenario, see :attr:`Scenario.weights`).

    ``batna_us`` / ``batna_them`` change that side's BATNA value; its effective walk-away then
    moves by the same amount (:func:`powerkit.deal.money.walk_aways`: what the alternative is
    worth sets where a side walks away); a reservation price the scenario sets is the one the
    BATNA change then moves. Events dated on or before the deal's ``as_of``
    that would set a changed field again are dropped; later events stay (the timeline).

    Raises
    ------
    powerkit.errors.InputError
        A setting not in :data:`SETTINGS`, or a value that does not parse for its setting
        (naming the setting, the value and the valid choices).
    """
    s = _parsed(deal, scenario)
    if not s:
        return deal
    parties, people = deal.parties.copy(), deal.stakeholders.copy()
    changed: set = set()

    def setv(df, tgt, col, v):
        df.loc[tgt, col] = v
        changed.add((tgt, col))

    for side, party in (("us", deal.us), ("them", deal.counterpart)):
        b = s.get(f"batna_{side}")
        if b is not None:  # the walk-away follows the BATNA's value (deal.money.walk_aways)
            setv(parties, party, "batna_value", b)
        if f"reservation_{side}" in s:
            setv(parties, party, "reservation_price", s[f"reservation_{side}"])
        if f"deadline_{side}" in s:
            setv(parties, party, "deadline", s[f"deadline_{side}"])
    for party, amount in s.get("rival_price", {}).items():
        setv(parties, party, "reservation_price", amount)
    for who, stance in s.get("stance", {}).items():
        setv(people, who, "stance", stance)
    changes = {"parties": parties, "stakeholders": people}
    if deal.has("events") and changed:
        ev = deal.events
        hit = [(t, f) in changed for t, f in zip(ev["target"], ev["field"], strict=True)]
        drop = (ev["date"] <= pd.Timestamp(deal.meta.as_of)).to_numpy() & np.array(hit, bool)
        changes["events"] = ev[~drop].reset_index(drop=True)
    return deal.replace(**changes)


def _base_results(deal) -> dict:
    """The analyses no setting changes: the constraints, and influence (unless a stance moves)."""
    from . import constraints, influence

    return {"constraints": constraints.analyse(deal) if deal.has("hypotheses") else None,
            "influence": influence.what_if(deal) if deal.has("ties") else None}


def _row(deal, sc: Scenario, results: dict) -> dict:
    from . import plan, power

    d = apply_scenario(deal, sc)
    weights = sc.weights
    w = power.what_if(d, weights=weights)
    keep = {k: v for k, v in results.items() if k == "constraints"
            or (k == "influence" and "stance" not in sc.settings)}
    gp = plan.game_plan(d, results=results if not sc.settings else keep)
    sp = w.split
    return {"scenario": sc.name, "description": sc.description,
            "settings": dict(sc.settings), "balance": float(w.profile.balance),
            "weight_us": None if sp is None else float(sp.weight_us),
            "price": None if sp is None or sp.price is None else float(sp.price),
            "share_us": None if sp is None or sp.share_us is None else float(sp.share_us),
            "posture": str(w.posture.iloc[0]["rule"]),
            "target_price": None if gp.package is None else gp.package.target_price,
            "target_package": gp.target_package,
            "engagement": [str(n) for n in gp.steps["name"]]}


def compare_scenarios(deal, scenarios, *, results: dict | None = None) -> pd.DataFrame:
    """The base case (``"as entered"``) and each scenario side by side.

    Parameters
    ----------
    deal : powerkit.Deal
    scenarios : list of Scenario
    results : dict, optional
        The base case's analyses (:func:`powerkit.sections.shared_analyses`), reused for its
        game plan; a scenario's game plan reuses the ones its settings cannot change
        (constraints; influence unless it sets a stance). Default: computed here.

    Returns
    -------
    DataFrame
        One row per scenario, the base case first; :data:`COMPARISON_COLUMNS`: balance (−1..+1,
        ours minus theirs), ``weight_us`` and ``share_us`` (our bargaining weight, our share of
        the zone), ``price`` (walkthrough 1's predicted price), ``posture`` (the first rule),
        the game plan's ``target_price`` and ``target_package`` (issue → option) and
        ``engagement`` (names in meeting order). ``settings`` as given.
    """
    names = [sc.name for sc in scenarios]
    dup = {n for n in names if names.count(n) > 1 or n.strip().lower() == BASE_CASE}
    if dup:
        raise InputError(f"The 'scenarios' of compare_scenarios must have distinct names other "
                         f"than {BASE_CASE!r}. Got {sorted(dup)} instead.")
    base = results if results is not None else _base_results(deal)
    rows = [_row(deal, sc, base) for sc in [Scenario(BASE_CASE), *scenarios]]
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def deal_scenarios(deal) -> list[Scenario]:
    """The scenarios of the deal's ``scenarios`` table (none without it)."""
    return [Scenario(n, d, s) for n, d, s in _table_scenarios(deal.scenarios)]


def what_if_scenario(settings: dict) -> list[Scenario]:
    """``powerkit report --param`` what-if settings as one scenario named ``"what if"`` (an
    empty list without settings)."""
    return [Scenario(WHAT_IF, "set on the command line", dict(settings))] if settings else []


def check_scenarios(deal, scenarios, where: str) -> list[Problem]:
    """Every problem of ``scenarios`` against ``deal`` (``None``: the checks that need no deal),
    one :class:`~powerkit.errors.Problem` each (``where`` names the file; row = the scenario's
    position, from 1)."""
    people = None if deal is None else set(deal.stakeholders.index)
    rivals = None if deal is None else rivals_of(deal.parties)
    out, seen = [], set()
    for i, sc in enumerate(scenarios, start=1):
        if sc.name.strip().lower() == BASE_CASE or sc.name in seen:
            out.append(Problem(where, i, "name", sc.name, f"a name other than '{BASE_CASE}' "
                               "(the base case) and the other scenarios'"))
        seen.add(sc.name)
        for k, v in sc.settings.items():
            _, why = parse_setting(k, v, people=people, rivals=rivals)
            if why is not None:
                out.append(Problem(where, i, k, v,
                                   why if k not in SETTINGS else f"for setting '{k}': {why}"))
    return out


def read_scenario_file(path, deal=None) -> list[Scenario]:
    """Read a YAML file of scenarios — a list of ``{name, description, settings: {...}}`` —
    with ``yaml.safe_load`` and check it (against ``deal`` when given).

    Raises
    ------
    powerkit.errors.DealError
        Every problem, one line each (file, scenario number as the row, key, value, fix).
    """
    import yaml

    path = Path(path)
    name = path.name
    if not path.is_file():
        raise DealError([Problem(str(path), None, None, None, "an existing YAML file of "
                                 "scenarios")], str(path))
    try:
        from .deal.yaml_checks import load_meta  # dates that do not exist stay text

        data, _ = load_meta(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DealError([Problem(name, None, None, None, f"valid UTF-8 YAML ({exc})")],
                        str(path)) from None
    shape = "a list of scenarios, each {name, description, settings: {SETTING: VALUE}}"
    if not isinstance(data, list) or not data:
        raise DealError([Problem(name, None, None, None, shape)], str(path))
    out, problems = [], []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(name, i, None, item, shape))
            continue
        for k in item:
            if k not in ("name", "description", "settings"):
                problems.append(Problem(name, i, str(k), None,
                                        "only the keys name, description, settings"))
        nm, settings = item.get("name"), item.get("settings")
        if nm is None or not str(nm).strip():
            problems.append(Problem(name, i, "name", None, "a name for the scenario"))
        if not isinstance(settings, dict) or not settings:
            problems.append(Problem(name, i, "settings", settings,
                                    "a mapping of settings among " + ", ".join(SETTINGS)))
            settings = {}
        out.append(Scenario(str(nm or ""), str(item.get("description") or ""),
                            {str(k): v for k, v in settings.items()}))
    problems += [p for p in check_scenarios(deal, out, name) if p.column != "name"
                 or p.value]  # a blank name is reported above
    if problems:
        raise DealError(problems, str(path))
    return out


def read_scenarios(deal, path: str | Path = "", what_if: dict | None = None) -> list:
    """Every scenario the report compares: the deal's ``scenarios`` table, then the YAML file
    ``path`` (``powerkit report --scenario``), then ``what_if`` settings as one scenario named
    "what if" (``--param``). Checked against ``deal``: :class:`~powerkit.errors.DealError`
    lists every problem."""
    out = deal_scenarios(deal)
    if path:
        out += read_scenario_file(path, deal)
    extra = what_if_scenario(dict(what_if or {}))
    problems = [Problem(q.file, None, q.column, q.value, q.expected)
                for q in check_scenarios(deal, extra, "--param")]
    names = [sc.name for sc in out + extra]
    problems += [Problem(str(path) or "scenarios", None, "name", n, "a name no other scenario "
                         "has (the deal's scenarios table, --scenario and --param together)")
                 for n in sorted({n for n in names if names.count(n) > 1})]
    if problems:
        raise DealError(problems, str(path) or "--param")
    return out + extra
