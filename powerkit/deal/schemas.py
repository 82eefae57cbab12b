"""Reading and validating deal files: one pass, every problem reported at once.

The column specification below is the single source of truth for the deal format: the loader,
the pandera schemas, the Excel template and docs/deal-format.md all follow it. Validation runs in
three steps, each collecting :class:`~powerkit.errors.Problem` lines instead of stopping:

1. read: files present, UTF-8, parseable CSV/XLSX/YAML, known and required columns;
2. cells: each value parsed to its type (numbers, dates, booleans), then checked by a pandera
   schema (ranges, allowed values, required cells) with ``lazy=True``;
3. references: ids unique, every id used is defined, no ``reports_to`` cycles, group priors sum
   to 1, and the other cross-table rules of docs/deal-format.md.

Only when no problem was found is a :class:`~powerkit.deal.Deal` returned.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..errors import DealError, Problem
from . import more_tables, reading
from .meta import checked_spreads, default_rule
from .model import TABLES, Deal, DealMeta
from .scenario_settings import SETTINGS, table_problems
from .table_checks import package_count_problems, zero_weight_problems
from .yaml_checks import read_meta

__all__ = ["Col", "SPEC", "META_KEYS", "read_and_validate", "CONSTRAINT_KINDS", "ACH_RATINGS",
           "SIDES", "DECISION_RULES", "default_rule"]

CONSTRAINT_KINDS = ("budget_pressure", "political_exposure", "personal_relationship",
                    "career_risk", "hard_deadline", "limited_authority", "competing_priority",
                    "prior_commitment")
ACH_RATINGS = ("CC", "C", "N", "I", "II")
TIE_KINDS = ("advice", "trust", "friendship", "influence")
TRUST_BASES = ("track_record", "feeling_understood", "constraint_awareness")


@dataclass(frozen=True)
class Col:
    """One column of a deal table.

    ``kind`` is one of id, text, number, integer, bool, date, choice. ``lo``/``hi`` bound numbers
    (inclusive; ``lo_open`` makes the lower bound strict). ``default`` fills blank optional cells.
    """

    name: str
    kind: str
    required: bool = False
    help: str = ""
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    choices: tuple = ()
    default: object = None

    def expected(self) -> str:
        """The human wording of what a valid cell looks like."""
        if self.kind == "number" or self.kind == "integer":
            what = "a whole number" if self.kind == "integer" else "a number"
            if self.lo is not None and self.hi is not None:
                return f"{what} from {_fmt(self.lo)} to {_fmt(self.hi)}"
            if self.lo is not None:
                return f"{what} {'>' if self.lo_open else '≥'} {_fmt(self.lo)}"
            return what
        if self.kind == "date":
            return "a date as YYYY-MM-DD"
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "id":
            return "an id (letters, digits, '-', '_', '.')"
        return "text"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _c(name, kind, required=False, help="", **kw) -> Col:
    return Col(name, kind, required, help, **kw)


U = dict(lo=0.0, hi=1.0)  # a 0..1 rating
SIDES = ("us", "counterpart", "rival", "third")
DECISION_RULES = ("sign_off", "quota", "quota_and_sign_off")

SPEC: dict[str, list[Col]] = {
    "parties": [
        _c("party", "id", True, "short id used by the other tables"),
        _c("name", "text", True, "display name"),
        _c("side", "choice", True, "us, counterpart, rival (competes with us for the counterpart's "
           "agreement) or third (advisers, regulators, others)", choices=SIDES),
        _c("role", "choice", help="seller, buyer or other (direction of the price axis)",
           choices=("seller", "buyer", "other"), default="other"),
        _c("reservation_price", "number", help="walk-away price: seller's lowest, buyer's highest acceptable (money)"),
        _c("batna_value", "number", help="value of the best alternative to agreement (money)"),
        _c("alternatives", "integer", help="number of credible alternatives", lo=0),
        _c("deadline", "date", help="date by which this party needs an agreement"),
        _c("discount_rate", "number", help="impatience per month (blank: derived from deadline)", lo=0),
        _c("resources", "number", help="resources rating 0..1", **U),
        _c("legal_position", "number", help="legal/contractual position 0..1", **U),
        _c("status", "number", help="market status, reputation 0..1", **U),
        _c("external", "number", help="how far the wider system favours this party 0..1", **U),
        _c("coalition_strength", "number", help="strength of outside allies 0..1", **U),
    ],
    "stakeholders": [
        _c("stakeholder", "id", True, "short id used by the other tables"),
        _c("name", "text", True, "display name"),
        _c("party", "id", True, "party this person belongs to (a party id)"),
        _c("title", "text", help="job title or role"),
        _c("department", "text", help="group used for brokerage roles"),
        _c("reports_to", "id", help="formal boss (a stakeholder id)"),
        _c("sign_off", "bool", help="formal approval authority on this decision (true/false)", default=False),
        _c("budget_authority", "number", help="budget controlled for this decision (money)", lo=0, default=0.0),
        _c("stance", "number", help="stance on our proposal: -1 opposed, 0 neutral, 1 supports", lo=-1, hi=1, default=0.0),
        _c("interest", "number", help="how much the outcome matters to them 0..1", **U),
        _c("legitimacy", "number", help="legitimacy of their claim 0..1", **U),
        _c("urgency", "number", help="urgency of their claim 0..1", **U),
        _c("vote_weight", "integer", help="votes held in the deciding body", lo=0),
        _c("trust_competence", "number", help="their trust in our competence 0..1", **U),
        _c("trust_benevolence", "number", help="their trust in our benevolence 0..1", **U),
        _c("trust_reliability", "number", help="their trust in our reliability 0..1", **U),
        _c("trust_basis", "choice", help="what builds their trust", choices=TRUST_BASES),
        _c("frame_fit", "number", help="how far their recognised problems map to our offer 0..1", **U),
        _c("susceptibility", "number", help="openness to others' influence 0..1", **U),
    ],
    "ties": [
        _c("source", "id", True, "who listens (a stakeholder id)"),
        _c("target", "id", True, "who is listened to (a stakeholder id)"),
        _c("kind", "choice", True, "kind of tie", choices=TIE_KINDS),
        _c("weight", "number", help="strength of the tie (> 0)", lo=0, lo_open=True, default=1.0),
    ],
    "issues": [
        _c("issue", "text", True, "issue name"),
        _c("option", "text", True, "option of the issue"),
        _c("party", "id", True, "whose rating (a party id)"),
        _c("rating", "number", True, "how much the party likes this option (≥ 0)", lo=0),
        _c("weight", "number", True, "the party's weight of the issue (≥ 0)", lo=0),
        _c("amount", "number", help="money amount of the option in the deal's currency (a money "
           "issue; blank: read from labels such as 'EUR 1.15m')"),
    ],
    "hypotheses": [
        _c("hypothesis", "id", True, "short id"),
        _c("holder", "id", True, "whose constraint (party or stakeholder id)"),
        _c("kind", "choice", True, "kind of constraint", choices=CONSTRAINT_KINDS),
        _c("statement", "text", True, "the hypothesis in words"),
        _c("prior", "number", True, "probability before the evidence 0..1", **U),
        _c("group", "text", help="mutually exclusive group (blank: independent)"),
    ],
    "evidence": [
        _c("evidence", "id", True, "short id, repeated on one row per hypothesis"),
        _c("hypothesis", "id", True, "the hypothesis this row rates"),
        _c("description", "text", True, "what was observed"),
        _c("date", "date", help="when"),
        _c("source", "text", help="who or where it came from"),
        _c("credibility", "number", help="weight of the source 0..1", default=1.0, **U),
        _c("rating", "choice", help="ACH rating CC, C, N, I, II", choices=ACH_RATINGS),
        _c("p_if_true", "number", help="P(observation | hypothesis)", **U),
        _c("p_if_false", "number", help="P(observation | not hypothesis)", **U),
    ],
    "questions": [
        _c("question", "id", True, "short id"),
        _c("text", "text", True, "the question to ask"),
        _c("hypothesis", "id", True, "the hypothesis this row concerns"),
        _c("p_yes_if_true", "number", True, "P(yes | hypothesis)", **U),
        _c("p_yes_if_false", "number", True, "P(yes | not hypothesis)", **U),
    ],
    "events": [
        _c("date", "date", True, "when the change takes effect"),
        _c("target", "id", True, "whose value changes (party or stakeholder id)"),
        _c("field", "text", True, "which column of parties or stakeholders changes"),
        _c("value", "text", True, "the new value"),
        _c("description", "text", True, "what happens"),
    ],
    "offers": [
        _c("round", "integer", True, "negotiation round (≥ 1)", lo=1),
        _c("date", "date", help="when"),
        _c("party", "id", True, "who made the offer (a party id)"),
        _c("issue", "text", True, "issue of the issues table"),
        _c("option", "text", True, "option offered"),
        _c("note", "text", help="free text"),
    ],
    "scenarios": [
        _c("scenario", "text", True, "name of a what-if; rows with the same name build one scenario"),
        _c("setting", "choice", True, "what it changes (docs/deal-format.md)", choices=tuple(SETTINGS)),
        _c("value", "text", True, "the new value, in the form its setting takes"),
        _c("description", "text", help="the scenario in words (its rows' descriptions are joined)"),
    ],
}

REQUIRED_TABLES = ("parties", "stakeholders")
KEYS = {"parties": ["party"], "stakeholders": ["stakeholder"], "hypotheses": ["hypothesis"],
        "ties": ["source", "target", "kind"], "issues": ["issue", "option", "party"],
        "evidence": ["evidence", "hypothesis"], "questions": ["question", "hypothesis"],
        "offers": ["round", "party", "issue"], "scenarios": ["scenario", "setting", "value"],
        **more_tables.KEYS}
SPEC.update(more_tables.specs(_c, TIE_KINDS))
INDEX = {"parties": "party", "stakeholders": "stakeholder", "hypotheses": "hypothesis"}

META_KEYS = {  # key: (required, help)
    "id": (True, "slug [a-z0-9][a-z0-9_-]*; the report is reports/<id>.html"),
    "title": (True, "shown on the report's title page"),
    "decision": (True, "the decision being made"),
    "us": (True, "which party is us (a party id)"),
    "counterpart": (False, "the main other side (default: first party with side counterpart)"),
    "currency": (False, "ISO 4217 code of every money column (default EUR)"),
    "as_of": (True, "date of the analysis, YYYY-MM-DD"),
    "prepared_for": (False, "shown on the title page"),
    "quota": (False, "votes needed to carry the decision (integer ≥ 1)"),
    "spreads": (False, "ranges of the inputs: a mapping of a column, table or kind (rating, "
                       "stance, money, probability, weight) to a half-width (ratings, stances; "
                       "money: relative) or a concentration (probabilities, weights)"),
    "decision_rule": (False, "sign_off, quota or quota_and_sign_off (default: quota when a quota is "
                             "set or anyone holds votes, else sign_off)"),
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ID = re.compile(r"^[^\s,;]+$")
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f", ""}


class _Reader:
    """Collects raw string tables from a folder or a workbook, plus read problems."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []
        self.raw: dict[str, pd.DataFrame] = {}
        self.meta: dict | None = None
        self.is_xlsx = path.suffix.lower() in (".xlsx", ".xlsm")

    def where(self, table: str) -> str:
        if self.is_xlsx:
            return f"{self.path.name}, sheet '{table}'"
        return "deal.yaml" if table == "deal" else f"{table}.csv"

    def problem(self, table, row, column, value, expected):
        self.problems.append(Problem(self.where(table), row, column, value, expected))

    # -- folder ---------------------------------------------------------------------------
    def read_folder(self):
        yml = self.path / "deal.yaml"
        data, why = (None, None) if not (yml.exists() or yml.is_symlink()) else reading.read_regular(yml)
        if why is not None:
            self.problem("deal", None, None, None, why)
        elif data is None:
            self.problem("deal", None, None, None,
                         "a deal.yaml file in the deal folder (see docs/deal-format.md)")
        else:
            text = self._decode(data, "deal")
            if text is not None:
                self.meta, found = read_meta(text)
                for p in found:
                    self.problem("deal", *p)
        known = set(TABLES)
        for f in sorted(self.path.iterdir()):
            if f.suffix.lower() == ".csv" and f.stem not in known:
                self.problems.append(Problem(f.name, None, None, None,
                                             f"a table name: one of {', '.join(TABLES)} "
                                             "(rename or remove the file)"))
        for table in TABLES:
            f = self.path / f"{table}.csv"
            if not (f.exists() or f.is_symlink()):
                continue
            data, why = reading.read_regular(f)
            if why is not None:
                self.problem(table, None, None, None, why)
                continue
            text = self._decode(data, table)
            if text is None:
                continue
            if not text.strip():
                self.problem(table, None, None, None, "a header row with the column names")
                continue
            if (found := reading.delimiter_problem(text)) is not None:
                self.problem(table, *found)
                continue
            try:
                df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, header=None,
                                 skipinitialspace=False, skip_blank_lines=True)
            except pd.errors.ParserError as exc:
                m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
                if m:
                    self.problem(table, int(m.group(2)), None, None,
                                 f"as many comma-separated fields as the header ({m.group(1)}), "
                                 f"found {m.group(3)}: quote cells that contain commas")
                else:
                    self.problem(table, None, None, None, f"valid CSV ({str(exc).strip()})")
                continue
            self._table(table, df)

    def _table(self, table: str, grid: pd.DataFrame) -> pd.DataFrame | None:
        df, found = reading.header_table(grid)
        for p in found:
            self.problem(table, *p)
        if df is not None and table in TABLES:
            self.raw[table] = df
        return df

    def _decode(self, data: bytes, table: str) -> str | None:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            row = data[: exc.start].count(b"\n") + 1
            self.problem(table, row, None, f"byte 0x{data[exc.start]:02x}",
                         "UTF-8 text: save the file as 'CSV UTF-8' (Excel) or re-encode it to UTF-8")
            return None

    # -- workbook -------------------------------------------------------------------------
    def read_workbook(self):
        try:
            sheets = pd.read_excel(self.path, sheet_name=None, dtype=str, header=None,
                                   keep_default_na=False, na_values=[], engine="openpyxl")
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a user problem
            self.problems.append(Problem(self.path.name, None, None, None,
                                         f"an .xlsx workbook that opens in Excel ({type(exc).__name__}: {exc})"))
            return
        for name, (cell, formula, n) in reading.uncalculated_formulas(self.path).items():
            self.problem(name, *reading.formula_problem(cell, formula, n, sheets.get(name)))
        if "deal" not in sheets:
            self.problem("deal", None, None, None, "a sheet 'deal' with columns key, value")
        elif (d := self._table("deal", sheets["deal"])) is not None:
            self.meta, found = reading.sheet_meta(d)
            for p in found:
                self.problem("deal", *p)
        known = set(TABLES) | {"deal", "about"}
        for name, df in sheets.items():
            if name not in known:
                self.problems.append(Problem(f"{self.path.name}, sheet '{name}'", None, None, None,
                                             f"a table name: one of {', '.join(TABLES)} "
                                             "(rename or remove the sheet)"))
            elif name in TABLES:
                self._table(name, df)


def _short(v, n=60):
    s = str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


# -- step 2: cells --------------------------------------------------------------------------
def _parse_cell(col: Col, s: str):
    """Parse one raw cell. Returns (value, ok). Blank → (None, True)."""
    s = s.strip()
    if s == "":
        return None, True
    if col.kind in ("number", "integer"):
        try:
            x = float(s.replace("_", ""))
        except ValueError:
            return None, False
        if not math.isfinite(x):
            return None, False
        if col.kind == "integer":
            if not x.is_integer():
                return None, False
            return int(x), True
        return x, True
    if col.kind == "bool":
        low = s.lower()
        if low in _TRUE:
            return True, True
        if low in _FALSE:
            return False, True
        return None, False
    if col.kind == "date":
        if not re.match(r"^\d{4}-\d{2}-\d{2}([ T]00:00:00)?$", s):
            return None, False
        try:
            return pd.Timestamp(s[:10]), True
        except ValueError:
            return None, False
    if col.kind == "id":
        return (s, True) if _ID.match(s) and s == reading.visible(s) else (reading.visible(s), False)
    return s, True  # text, choice (checked by pandera)


def _pandera_schema(table: str) -> pa.DataFrameSchema:
    cols = {}
    for c in SPEC[table]:
        checks = []
        if c.kind in ("number", "integer"):
            if c.lo is not None and c.hi is not None:
                checks.append(pa.Check.in_range(c.lo, c.hi))
            elif c.lo is not None:
                checks.append(pa.Check.gt(c.lo) if c.lo_open else pa.Check.ge(c.lo))
        elif c.kind == "choice":
            checks.append(pa.Check.isin(list(c.choices)))
        if not checks and not c.required:
            continue  # a nullable column without checks: nothing for pandera to find (its
            # presence is given: _cells builds every column of the spec)
        cols[c.name] = pa.Column(checks=checks, nullable=not c.required, required=True,
                                 coerce=False)
    return pa.DataFrameSchema(cols, strict=False, name=table)


_SCHEMAS: dict[str, pa.DataFrameSchema] = {}


def _cells(reader: _Reader, table: str, raw: pd.DataFrame) -> pd.DataFrame | None:
    spec = {c.name: c for c in SPEC[table]}
    cols = [str(c).strip() for c in raw.columns]
    raw = raw.copy()
    raw.columns = cols
    bad_cols = False
    for c in cols:
        if c not in spec:  # a column given twice: reading.header_table
            bad_cols = True
            reader.problem(table, 1, c, None,
                           f"only the columns {', '.join(spec)} ('{c}' is not one of them; "
                           "fix the header — see docs/deal-format.md)")
    for c in spec.values():
        if c.required and c.name not in cols:
            bad_cols = True
            reader.problem(table, 1, c.name, None, f"a '{c.name}' column ({c.help})")
    if bad_cols:
        return None
    out = {}
    n = len(raw)
    for name, c in spec.items():
        if name not in raw.columns:
            out[name] = [c.default] * n
            continue
        vals = []
        for i, s in enumerate(map(str, raw[name].tolist())):
            v, ok = _parse_cell(c, s)
            if not ok:
                reader.problem(table, i + 2, name, s.strip(), c.expected() + reading.cell_hint(c.kind, s))
            if v is None and c.default is not None:
                v = c.default
            vals.append(v)
        out[name] = vals
    df = pd.DataFrame({name: reading.typed_column(c.kind, out[name]) for name, c in spec.items()})
    df.index = pd.RangeIndex(n)
    schema = _SCHEMAS.get(table) or _SCHEMAS.setdefault(table, _pandera_schema(table))
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        for _, r in fc.iterrows():
            col, idx = r.get("column"), r.get("index")
            if col not in spec or idx is None or (isinstance(idx, float) and math.isnan(idx)):
                continue
            idx = int(idx)
            raw_val = raw[col].iloc[idx].strip() if col in raw.columns else ""
            c = spec[col]
            if "not_nullable" in str(r.get("check")):
                if raw_val != "":
                    continue  # unparseable cell, already reported
                raw_val = None
                exp = f"{c.expected()} (this column is required: fill in every row)"
            else:
                exp = c.expected()
            reader.problem(table, idx + 2, col, raw_val, exp)
    return df


# -- step 3: references ---------------------------------------------------------------------
def _refs(reader: _Reader, t: dict[str, pd.DataFrame], meta: dict | None):
    P = reader.problem

    def dupes(table):
        df = t.get(table)
        if df is None:
            return
        key = KEYS[table]
        seen: dict = {}
        for i, row in enumerate(df[key].itertuples(index=False)):
            if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in row):
                continue
            k = tuple(row)
            if k in seen:
                P(table, i + 2, key[0] if len(key) == 1 else "+".join(key),
                  k[0] if len(k) == 1 else "/".join(map(str, k)),
                  f"a unique {' + '.join(key)} (already used on row {seen[k]})")
            else:
                seen[k] = i + 2

    for table in KEYS:
        dupes(table)

    def ids(table, col):  # None when the table is missing or empty: its references are
        df = t.get(table)  # not checked, so one missing table gives one problem, not dozens
        return None if df is None or len(df) == 0 else {v for v in df[col] if v is not None}

    parties = ids("parties", "party")
    people = ids("stakeholders", "stakeholder")
    hyps = ids("hypotheses", "hypothesis")

    def must_be_in(table, col, allowed, what, fix):
        df = t.get(table)
        if df is None or allowed is None:
            return
        for i, v in enumerate(df[col]):
            if v is not None and v not in allowed:
                P(table, i + 2, col, v, f"{what} ({fix})")

    must_be_in("stakeholders", "party", parties, "a party id from parties",
               "add the party to parties or fix the id")
    must_be_in("stakeholders", "reports_to", people, "a stakeholder id from stakeholders",
               "or blank for the top of the hierarchy")
    for col in ("source", "target"):
        must_be_in("ties", col, people, "a stakeholder id from stakeholders",
                   "add the person or fix the id")
    must_be_in("issues", "party", parties, "a party id from parties", "fix the id")
    both = None if parties is None or people is None else parties | people
    must_be_in("hypotheses", "holder", both, "a party or stakeholder id", "fix the id")
    must_be_in("evidence", "hypothesis", hyps, "a hypothesis id from hypotheses", "fix the id")
    must_be_in("questions", "hypothesis", hyps, "a hypothesis id from hypotheses", "fix the id")
    must_be_in("events", "target", both, "a party or stakeholder id", "fix the id")
    must_be_in("offers", "party", parties, "a party id from parties", "fix the id")

    st = t.get("stakeholders")
    if st is not None:  # reports_to cycles
        boss = {s: b for s, b in zip(st["stakeholder"], st["reports_to"], strict=True)
                if s is not None and b is not None}
        row_of = {s: i + 2 for i, s in enumerate(st["stakeholder"])}
        reported: set = set()
        for start in boss:
            path, node = [], start
            while node in boss and node not in path:
                path.append(node)
                node = boss[node]
            if node in path:
                cycle = path[path.index(node):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    first = min(cycle, key=lambda s: row_of.get(s, 0))
                    P("stakeholders", row_of.get(first), "reports_to", boss[first],
                      "a hierarchy without cycles: " + " → ".join(cycle + [cycle[0]])
                      + " (one of them must report to someone outside the loop, or to no one)")
    ties = t.get("ties")
    if ties is not None:
        for i, (s, g) in enumerate(zip(ties["source"], ties["target"], strict=True)):
            if s is not None and s == g:
                P("ties", i + 2, "target", g, "a different person than the source (no self-ties)")

    pt = t.get("parties")
    if pt is not None:
        us_rows = [p for p, s in zip(pt["party"], pt["side"], strict=True) if s == "us"]
        if len(us_rows) != 1 and len(pt):
            P("parties", None, "side", ", ".join(map(str, us_rows)) or None,
              "exactly one party with side 'us'")

    iss = t.get("issues")
    if iss is not None and len(iss):
        for (issue, party), g in iss.groupby(["issue", "party"], sort=False, dropna=True):
            w = g["weight"].dropna().unique()
            if len(w) > 1:
                P("issues", int(g.index[0]) + 2, "weight", ", ".join(_fmt(x) for x in w),
                  f"one weight per issue and party ('{issue}' by '{party}' has several)")
        opts = iss.groupby("issue", sort=False)["option"].apply(lambda s: set(s.dropna()))
        for (issue, party), g in iss.groupby(["issue", "party"], sort=False, dropna=True):
            missing = opts[issue] - set(g["option"].dropna())
            if missing:
                P("issues", int(g.index[0]) + 2, "option", issue,
                  f"a rating by '{party}' for every option of '{issue}' "
                  f"(missing: {', '.join(sorted(missing))})")
        for p in zero_weight_problems(iss) + package_count_problems(iss):
            P("issues", *p)
        from .money import amount_problems

        for row, col, value, expected in amount_problems(iss, (meta or {}).get("currency") or "EUR"):
            P("issues", row, col, value, expected)
    hy = t.get("hypotheses")
    if hy is not None:
        for grp, g in hy.groupby("group", sort=False, dropna=True):
            if len(g) < 2:
                P("hypotheses", int(g.index[0]) + 2, "group", grp,
                  "at least two hypotheses per group (a group lists mutually exclusive "
                  "alternatives; leave blank for an independent hypothesis)")
            s = g["prior"].sum()
            if g["prior"].notna().all() and abs(s - 1) > 1e-6:
                P("hypotheses", int(g.index[0]) + 2, "prior", round(float(s), 6),
                  f"priors of group '{grp}' that sum to 1 (mutually exclusive and exhaustive)")
    ev = t.get("evidence")
    if ev is not None:
        for i, r in enumerate(ev.itertuples(index=False)):
            has_r = r.rating is not None
            np_ = int(not pd.isna(r.p_if_true)) + int(not pd.isna(r.p_if_false))
            if np_ == 1:
                P("evidence", i + 2, "p_if_false" if pd.isna(r.p_if_false) else "p_if_true",
                  None, "both p_if_true and p_if_false, or neither")
            elif not has_r and np_ == 0:
                P("evidence", i + 2, "rating", None,
                  "an ACH rating (CC, C, N, I, II) or both p_if_true and p_if_false")
            elif has_r and np_ == 2:
                P("evidence", i + 2, "rating", r.rating,
                  "either an ACH rating or p_if_true/p_if_false, not both")
    q = t.get("questions")
    if q is not None:
        for qid, g in q.groupby("question", sort=False, dropna=True):
            if g["text"].nunique() > 1:
                P("questions", int(g.index[1]) + 2, "text", _short(g["text"].iloc[1]),
                  f"the same text on every row of question '{qid}'")
    ev_t = t.get("events")
    if ev_t is not None:
        pcols = {c.name: c for c in SPEC["parties"]}
        scols = {c.name: c for c in SPEC["stakeholders"]}
        for i, r in enumerate(ev_t.itertuples(index=False)):
            if r.target is None or r.field is None:
                continue
            cols = (pcols if r.target in (parties or ()) else
                    scols if r.target in (people or ()) else None)
            if cols is None:
                continue
            kind = "parties" if cols is pcols else "stakeholders"
            if r.field not in cols or r.field in ("party", "stakeholder", "name", "side"):
                P("events", i + 2, "field", r.field,
                  f"a changeable column of {kind}: "
                  + ", ".join(c for c in cols if c not in ("party", "stakeholder", "name", "side")))
                continue
            c = cols[r.field]
            v, ok = _parse_cell(c, "" if r.value is None else str(r.value))
            if not ok or (c.kind in ("number", "integer") and v is not None and
                          ((c.lo is not None and (v < c.lo or (c.lo_open and v == c.lo)))
                           or (c.hi is not None and v > c.hi))) or (
                    c.kind == "choice" and v not in c.choices):
                P("events", i + 2, "value", r.value, f"for field '{r.field}': {c.expected()}")
    of = t.get("offers")
    if of is not None and iss is not None:
        valid = set(zip(iss["issue"], iss["option"], strict=True))
        issues_known = set(iss["issue"])
        for i, r in enumerate(of.itertuples(index=False)):
            if r.issue not in issues_known:
                P("offers", i + 2, "issue", r.issue,
                  f"an issue of the issues table: {', '.join(sorted(map(str, issues_known)))}")
            elif (r.issue, r.option) not in valid:
                P("offers", i + 2, "option", r.option, f"an option of '{r.issue}' in the issues table")
    elif of is not None and len(of):
        P("offers", None, None, None, "an issues table defining the issues and options offered")
    for row, col, value, expected in table_problems(t):
        P("scenarios", row, col, value, expected)
    for problem in more_tables.reference_problems(t, parties, people):
        P(*problem)

    if st is not None and meta is not None and meta.get("quota") is not None:
        if st["vote_weight"].isna().all():
            P("stakeholders", 1, "vote_weight", None,
              "vote weights for the deciding body (deal.yaml sets a quota)")
        else:
            total = st["vote_weight"].fillna(0).sum()
            q_ = meta.get("quota")
            if isinstance(q_, int | float) and q_ > total:
                P("deal", None, "quota", q_, f"at most the total of vote_weight ({_fmt(total)})")


def _meta(reader: _Reader, t: dict) -> DealMeta | None:
    m = reader.meta
    if m is None:
        return None
    P = reader.problem
    for k in m:
        if k not in META_KEYS:
            P("deal", None, str(k), None, f"only the keys {', '.join(META_KEYS)}")
    for k, (req, help_) in META_KEYS.items():
        if req and (m.get(k) is None or str(m.get(k)).strip() == ""):
            P("deal", None, k, None, f"a value for '{k}': {help_}")
    ok = True
    did = str(m.get("id") or "")
    if did and not _SLUG.match(did):
        P("deal", None, "id", did, META_KEYS["id"][1])
        ok = False
    as_of = m.get("as_of")
    if isinstance(as_of, date):
        as_of_d = as_of if not hasattr(as_of, "date") else as_of.date()
    else:
        v, good = _parse_cell(Col("as_of", "date"), "" if as_of is None else str(as_of))
        as_of_d = v.date() if (good and v is not None) else None
        if as_of is not None and not good:
            P("deal", None, "as_of", as_of, "a date as YYYY-MM-DD")
            ok = False
    parties = t.get("parties")
    pid = set() if parties is None else set(parties["party"].dropna())
    us = m.get("us")
    if us is not None and parties is not None and len(parties) and str(us) not in pid:
        P("deal", None, "us", us, f"a party id from parties: {', '.join(sorted(pid))}")
        ok = False
    elif us is not None and parties is not None and len(parties):
        side = parties.loc[parties["party"] == str(us), "side"].iloc[0]
        if side != "us":
            P("parties", int(parties.index[parties["party"] == str(us)][0]) + 2, "side", side,
              f"'us' for the party named as us in deal.yaml ('{us}')")
    cp = m.get("counterpart")
    if cp is None and parties is not None and len(parties):
        cands = parties.loc[parties["side"] == "counterpart", "party"].tolist()
        cp = cands[0] if cands else None
        if cp is None:
            P("parties", None, "side", None,
              "at least one party with side 'counterpart' (or set counterpart in deal.yaml)")
            ok = False
    elif cp is not None and parties is not None and str(cp) not in pid:
        P("deal", None, "counterpart", cp, f"a party id from parties: {', '.join(sorted(pid))}")
        ok = False
    quota = m.get("quota")
    if quota is not None:
        v, good = _parse_cell(Col("quota", "integer"), str(quota))
        if not good or v is None or v < 1:
            P("deal", None, "quota", quota, "a whole number ≥ 1 (votes needed)")
            ok = False
        else:
            m["quota"] = quota = v
    rule = m.get("decision_rule")
    if rule is None:  # as before the rule existed: votes count when anyone holds votes
        rule = default_rule(quota, t.get("stakeholders"))
    elif str(rule) not in DECISION_RULES:
        P("deal", None, "decision_rule", rule, "one of " + ", ".join(DECISION_RULES))
        ok = False
    elif str(rule) != "sign_off" and quota is None:
        P("deal", None, "decision_rule", rule, "a quota in deal.yaml (the votes needed) for a "
          "rule that counts votes, or decision_rule: sign_off")
        ok = False
    rule = str(rule)
    spreads, good = checked_spreads(m.get("spreads"), P, SPEC)
    ok = ok and good
    cur = str(m.get("currency") or "EUR")
    if not re.match(r"^[A-Z]{3}$", cur):
        P("deal", None, "currency", cur, "a three-letter ISO 4217 code such as EUR, USD, GBP")
        ok = False
    if not ok or any(m.get(k) is None for k, (r, _) in META_KEYS.items() if r):
        return None
    return DealMeta(id=did, title=str(m["title"]), decision=str(m["decision"]), us=str(us),
                    counterpart=str(cp), as_of=as_of_d, currency=cur,
                    prepared_for=str(m.get("prepared_for") or ""),
                    quota=quota, decision_rule=rule,
                    spreads=spreads)


def read_and_validate(path: Path) -> Deal:
    """Read a deal folder or workbook, validate it, and return the :class:`Deal`.

    Raises
    ------
    DealError
        Listing every problem, one line each: file (and sheet), row, column, value, fix.
    """
    path = Path(path)
    reader = _Reader(path)
    if not path.exists():
        raise DealError([Problem(str(path), None, None, None,
                                 "an existing deal folder or .xlsx workbook")], str(path))
    if path.is_dir():
        reader.read_folder()
    elif reader.is_xlsx:
        reader.read_workbook()
    else:
        raise DealError([Problem(path.name, None, None, None,
                                 "a deal folder (deal.yaml + CSVs) or an .xlsx workbook")], str(path))
    for table in REQUIRED_TABLES:
        if table not in reader.raw and not any(p.file == reader.where(table) for p in reader.problems):
            reader.problem(table, None, None, None,
                           f"a {table} table (it is required; see docs/deal-format.md)")
    typed: dict[str, pd.DataFrame] = {}
    for table, raw in reader.raw.items():
        df = _cells(reader, table, raw)
        if df is not None:
            typed[table] = df
    for table in REQUIRED_TABLES:
        if table in typed and len(typed[table]) == 0:
            reader.problem(table, 2, None, None, f"at least one row in {table} (the table is empty)")
    meta_in = dict(reader.meta) if reader.meta is not None else None
    _refs(reader, typed, meta_in)
    meta = _meta(reader, typed)
    if reader.problems or meta is None:
        problems = reader.problems or [Problem("deal.yaml", None, None, None, "a valid deal.yaml")]
        raise DealError(problems, str(path))
    tables = {}
    for table in TABLES:
        df = typed.get(table)
        if df is None:
            tables[table] = None
            continue
        if table in INDEX:
            df = df.set_index(INDEX[table], drop=True)
        tables[table] = df
    return Deal(meta=meta, source=str(path), **tables)


def empty_table(table: str) -> pd.DataFrame:
    """A typed, empty table with every column of ``table`` (used by builders of Deals)."""
    dtypes = {"number": float, "integer": float, "bool": bool, "date": "datetime64[ns]"}
    df = pd.DataFrame({c.name: pd.Series(dtype=dtypes.get(c.kind, object)) for c in SPEC[table]})
    return df.set_index(INDEX[table]) if table in INDEX else df

