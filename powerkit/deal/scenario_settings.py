"""The what-if settings a scenario may change, and the optional ``scenarios`` table.

One parser for every place a setting comes from: a row of ``scenarios.csv`` (text), a
``--scenario`` YAML file (YAML values) and ``powerkit report --param KEY=VALUE`` (text). The
analysis that applies them is :mod:`powerkit.scenarios`; the format is docs/deal-format.md
("Scenarios"). Deal layer: it knows ids and types, never an analysis.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date

import pandas as pd

__all__ = ["SETTINGS", "WEIGHT_KEYS", "BASE_CASE", "parse_setting", "rivals_of",
           "table_problems", "table_scenarios"]

#: setting → (kind, what it changes). Kinds: money, date, rival, weights, stance.
SETTINGS: dict[str, tuple[str, str]] = {
    "batna_us": ("money", "our BATNA value (money); our reservation price moves by the same "
                          "amount, as in walkthrough 1's what-if"),
    "batna_them": ("money", "the counterpart's BATNA value (money); its reservation price moves "
                            "by the same amount"),
    "reservation_us": ("money", "our reservation price (money)"),
    "reservation_them": ("money", "the counterpart's reservation price (money)"),
    "rival_price": ("rival", "a rival's reservation price (money): PARTY=AMOUNT, or the amount "
                             "alone when the deal has one rival"),
    "deadline_us": ("date", "our deadline, YYYY-MM-DD"),
    "deadline_them": ("date", "the counterpart's deadline, YYYY-MM-DD"),
    "weights": ("weights", "source weights of the power balance, e.g. positional=0.6; "
                           "psychological=0.2; systemic=0.2 (normalised; not deal data)"),
    "stance": ("stance", "a person's new stance, STAKEHOLDER=VALUE from -1 to 1 (several: "
                         "separate with ';')"),
}
WEIGHT_KEYS = ("positional", "psychological", "systemic")
BASE_CASE = "as entered"  #: the name of the base case in every comparison
_EXPECTED = {
    "money": "a number (an amount in the deal's currency, no thousands separators)",
    "date": "a date as YYYY-MM-DD",
    "weights": "WEIGHT=NUMBER pairs separated by ';' with weights among "
               + ", ".join(WEIGHT_KEYS) + " (numbers >= 0, not all 0)",
    "stance": "STAKEHOLDER=NUMBER pairs separated by ';' (a stakeholder id, a stance from -1 to 1)",
    "rival": "an amount, or PARTY=AMOUNT naming a party with side 'rival'",
}


def _number(v) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        f = float(v)
    else:
        try:
            f = float(str(v).strip().replace("_", ""))
        except ValueError:
            return None
    return f if math.isfinite(f) else None


def _pairs(v) -> list[tuple[str, object]] | None:
    """``{k: v}`` or text ``k=v; k2=v2`` (also ``k: v``, ``,`` between pairs, braces) → pairs."""
    if isinstance(v, Mapping):
        return [(str(k).strip(), x) for k, x in v.items()]
    if not isinstance(v, str):
        return None
    text = v.strip().strip("{}").strip()
    out = []
    for item in re.split(r"[;,]", text):
        item = item.strip()
        if not item:
            continue
        m = re.match(r"^([^=:\s]+)\s*[=:]\s*(.*)$", item)
        if not m:
            return None
        out.append((m.group(1), m.group(2).strip()))
    return out or None


def rivals_of(parties: pd.DataFrame | None) -> list | None:
    """Ids of the parties with side ``rival`` (from a typed parties table, indexed or not)."""
    if parties is None:
        return None
    ids = parties["party"] if "party" in parties.columns else pd.Series(parties.index,
                                                                        index=parties.index)
    return [p for p, s in zip(ids, parties["side"], strict=True) if s == "rival"]


def parse_setting(name: str, value, *, people=None, rivals=None) -> tuple[object, str | None]:
    """Parse one setting's value. Returns ``(value, None)``, or ``(None, expected)`` with the
    wording of a valid value. ``people`` (stakeholder ids) and ``rivals`` (rival party ids) are
    checked when given; ``None`` skips the check (a value read before its deal).

    Values: money → float; date → Timestamp; weights and stance → dict; rival → ``{party:
    amount}`` (party ``None`` when the amount came alone and ``rivals`` is unknown).

    >>> parse_setting("batna_us", "400000"), parse_setting("stance", "hc_green=0.5")
    ((400000.0, None), ({'hc_green': 0.5}, None))
    >>> parse_setting("deadline_them", "15 Jan")[1]
    'a date as YYYY-MM-DD'
    """
    if name not in SETTINGS:
        return None, "a setting among " + ", ".join(SETTINGS)
    kind = SETTINGS[name][0]
    bad = (None, _EXPECTED[kind])
    if kind == "money":
        x = _number(value)
        return (x, None) if x is not None else bad
    if kind == "date":
        if isinstance(value, date):
            return pd.Timestamp(value), None
        s = str(value).strip()
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", s):
            return bad
        try:
            return pd.Timestamp(s), None
        except ValueError:
            return bad
    if kind == "rival":
        x = _number(value)
        if x is not None:
            if rivals is None:
                return {None: x}, None
            if len(rivals) == 1:
                return {rivals[0]: x}, None
            return None, ("PARTY=AMOUNT naming one of the rivals " + ", ".join(rivals) if rivals
                          else "a deal with a party of side 'rival' (this deal has none)")
        pairs = _pairs(value)
        out = {}
        for k, v in pairs or []:
            x = _number(v)
            if x is None or (rivals is not None and k not in rivals):
                break
            out[k] = x
        else:
            if pairs:
                return out, None
        if rivals is not None:
            return None, ("an amount, or PARTY=AMOUNT naming a rival: " + ", ".join(rivals)
                          if rivals else "a deal with a party of side 'rival' (this deal has none)")
        return bad
    pairs = _pairs(value)
    if not pairs:
        return bad
    out = {}
    for k, v in pairs:
        x = _number(v)
        if kind == "weights":
            if k not in WEIGHT_KEYS or x is None or x < 0:
                return bad
        elif people is not None and k not in people:
            return None, f"{_EXPECTED['stance']}; '{k}' is not a stakeholder id of the deal"
        elif x is None or not -1 <= x <= 1:
            return bad
        out[k] = x
    if kind == "weights" and len(out) == len(WEIGHT_KEYS) and not any(out.values()):
        return bad
    return out, None


def _scalar(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


def table_problems(t: dict) -> list[tuple]:
    """Problems of the typed ``scenarios`` table in ``t`` (the typed tables of a deal being
    read): ``(row, column, value, expected)`` each. A setting not among :data:`SETTINGS` is
    reported by the column check (a choice); here: values that do not parse for their setting
    (stakeholder and rival ids checked against the deal), a setting given twice in one scenario,
    and the reserved name of the base case."""
    sc = t.get("scenarios")
    if sc is None:
        return []
    st, pt = t.get("stakeholders"), t.get("parties")
    people = None if st is None else set(st["stakeholder"].dropna())
    rivals = rivals_of(pt)
    out, seen = [], {}
    for i, r in enumerate(sc.itertuples(index=False)):
        row = i + 2
        if r.scenario is not None and str(r.scenario).strip().lower() == BASE_CASE:
            out.append((row, "scenario", r.scenario,
                        f"a name other than '{BASE_CASE}' (the base case every scenario is "
                        "compared with)"))
        exact = (r.scenario, r.setting, r.value)
        if r.setting not in SETTINGS or _scalar(r.value) is None or exact in seen:
            continue  # unknown setting, blank value, a repeated row: reported by other checks
        seen[exact] = row
        v, why = parse_setting(r.setting, str(r.value), people=people, rivals=rivals)
        if why is not None:
            out.append((row, "value", r.value, f"for setting '{r.setting}': {why}"))
            continue
        keys = [None] if not isinstance(v, dict) else list(v)
        for k in keys:
            first = seen.setdefault((r.scenario, r.setting, k), row)
            if first != row:
                what = r.setting if k is None else f"{r.setting} of {k}"
                out.append((row, "setting", r.setting,
                            f"one value of {what} per scenario ('{r.scenario}' sets it on row "
                            f"{first} already)"))
    return out


def table_scenarios(sc: pd.DataFrame | None) -> list[tuple[str, str, dict]]:
    """The validated ``scenarios`` table as ``(name, description, settings)`` in the order of
    first appearance; settings as written (text), several rows of a mapping setting merged into
    one ``k=v; k2=v2`` text; descriptions of a scenario's rows joined."""
    if sc is None or not len(sc):
        return []
    out: dict[str, tuple[list, dict]] = {}
    for r in sc.itertuples(index=False):
        desc, settings = out.setdefault(str(r.scenario), ([], {}))
        d = _scalar(r.description)
        if d is not None and str(d).strip() and str(d).strip() not in desc:
            desc.append(str(d).strip())
        v = str(r.value).strip()
        if r.setting in settings and SETTINGS[r.setting][0] in ("stance", "weights", "rival"):
            settings[r.setting] = f"{settings[r.setting]}; {v}"
        else:
            settings[r.setting] = v
    return [(name, " ".join(desc), settings) for name, (desc, settings) in out.items()]
