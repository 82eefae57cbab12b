"""Interaction logs → one relation of directed pair events, in DuckDB.

Each reader checks its input (one line per problem, naming file, row, column, value and fix),
then creates the temporary DuckDB table ``pairs(a, b, ts, k, v)``: one row per directed
interaction ``a → b`` (``a`` listens to ``b``, docs/methods/ingest.md §2), its time ``ts`` (UTC),
its kind ``k`` (``message`` or ``meeting``) and its amount ``v`` (1 for one message or meeting; a
Viva metric value). Mass mails are dropped here (they are a property of a message, not of a pair);
the account filters, the decay and the weights are applied to the aggregated pairs
(:mod:`powerkit.ingest.network`). The raw log never leaves DuckDB.

Formats (sources in docs/methods/ingest.md §1): ``generic`` (``sender,recipients,timestamp[,kind]``),
``message-trace`` (Exchange message tracking log reshaped to one CSV row per event),
``viva-p2p`` (Viva Insights person-to-person query export), ``slack`` (a Slack workspace export
folder).
"""
from __future__ import annotations

import csv
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

__all__ = ["FORMATS", "LogError", "LogStats", "connect", "load_pairs", "EMAIL_METRICS",
           "MEETING_METRICS"]

FORMATS = ("generic", "message-trace", "viva-p2p", "slack")

#: Viva Insights metric columns read as e-mail / meeting amounts, first present wins (the names
#: vary by query and locale: docs/methods/ingest.md §1.3); ``--email-column`` overrides.
EMAIL_METRICS = ("Email_count", "Emails_sent", "Emails", "Email_hours")
MEETING_METRICS = ("Meeting_count", "Meetings", "Meeting_hours")

_ISO = "an ISO 8601 time such as 2024-03-01T09:30:00 (UTC) or 2024-03-01T09:30:00+01:00"
_MAX_LINES = 20  # problems listed per log (the count of the rest is given)


class LogError(InputError):
    """A log cannot be read: ``problems`` holds one line per problem (file, row, column, value,
    fix); ``str()`` is those lines."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class LogStats:
    """What a reader saw: rows read, items (messages, meetings, Viva rows) kept, dropped as mass
    mails, and the latest time in the log."""

    rows: int = 0
    items: int = 0
    mass_dropped: int = 0
    latest: object = None
    notes: list[str] = field(default_factory=list)


def connect():
    """A fresh in-memory DuckDB connection in UTC (DuckDB is imported here: it is optional).

    >>> connect().execute("SELECT current_setting('TimeZone')").fetchone()[0]
    'UTC'
    """
    try:
        import duckdb
    except ImportError:
        raise InputError("powerkit ingest reads logs with DuckDB, which is not installed: "
                         "pip install 'powerkit[ingest]'") from None
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    con.execute("SET enable_progress_bar=false")
    return con


def _q(text: str) -> str:
    """A SQL string literal."""
    return "'" + str(text).replace("'", "''") + "'"


def _regular_file(path: Path, what: str = "log") -> list[str]:
    """Problems that stop a file being read at all (only regular, non-empty files are opened:
    a FIFO would block, a device never ends)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return [f"{path}: no such file; expected the {what} file"]
    except OSError as exc:
        return [f"{path}: cannot be read ({exc.strerror}); expected a readable {what} file"]
    if stat.S_ISDIR(st.st_mode):
        return [f"{path}: is a folder; expected a CSV {what} file (a Slack export folder needs "
                "--format slack)"]
    if not stat.S_ISREG(st.st_mode):
        return [f"{path}: is not a regular file (a pipe, socket or device); expected a CSV "
                f"{what} file: copy the data into a file first"]
    if st.st_size == 0:
        return [f"{path}: is empty; expected a header row and at least one data row"]
    if not os.access(path, os.R_OK):
        return [f"{path}: cannot be read (permission denied)"]
    return []


def _header(path: Path) -> list[str]:
    """The CSV header row (UTF-8, a BOM allowed) or a :class:`LogError`."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LogError([f"{path}, row 1: the header is not UTF-8 (byte {line[exc.start]:#04x} "
                        f"at position {exc.start + 1}); expected a UTF-8 CSV: save it as "
                        "'CSV UTF-8 (comma delimited)'"]) from None
    if not text.strip():
        raise LogError([f"{path}, row 1: the header row is empty; expected column names"])
    names = next(csv.reader(io.StringIO(text)))
    if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
        raise LogError([f"{path}, row 1: columns are separated by "
                        f"{'semicolons' if ';' in names[0] else 'tabs'}; expected commas: save "
                        "it as 'CSV UTF-8 (comma delimited)'"])
    return [n.strip() for n in names]


def _columns(path: Path, names: list[str], required: tuple[str, ...],
             optional: tuple[str, ...] = ()) -> dict[str, str]:
    """Header name (as written) of each known column, matched case-insensitively; every missing
    required column and every duplicated name is one problem."""
    problems, found = [], {}
    lower = [n.lower() for n in names]
    for i, n in enumerate(lower):
        if n and lower.index(n) != i:
            problems.append(f"{path}, row 1, column '{names[i]}': the column name appears twice; "
                            "expected each column once")
    for col in required + optional:
        if col.lower() in lower:
            found[col] = names[lower.index(col.lower())]
        elif col in required:
            problems.append(f"{path}, row 1: missing column '{col}'; expected the columns "
                            f"{', '.join(required)}" + (f" (optional: {', '.join(optional)})"
                                                       if optional else "")
                            + f"; the header has {', '.join(names) or 'nothing'}")
    if problems:
        raise LogError(problems)
    return found


def _read_csv(path: Path, names: list[str]) -> str:
    """The DuckDB ``read_csv`` call for a checked header: every column as text (parsed in SQL so
    that a bad cell is reported, not guessed), malformed lines stored in ``reject_errors``."""
    cols = ", ".join(f"{_q(f'c{i}')}: 'VARCHAR'" for i in range(len(names)))
    return (f"read_csv({_q(path)}, header=true, auto_detect=false, delim=',', quote='\"', "
            f"escape='\"', columns={{{cols}}}, store_rejects=true, null_padding=false)")


def _col(names: list[str], name: str) -> str:
    """The positional SQL name (``c3``) of the header column ``name``."""
    return f"c{names.index(name)}"


def _ts_expr(col: str, time_format: str | None) -> str:
    if time_format:
        return f"try_strptime(trim({col}), {_q(time_format)})::TIMESTAMPTZ"
    return f"try_cast(trim({col}) AS TIMESTAMPTZ)"


def _rejects(con, path: Path, names: list[str]) -> list[str]:
    """Malformed lines DuckDB set aside (encoding, column counts), as problem lines."""
    try:
        rows = con.execute("SELECT line, column_name, error_type, error_message FROM "
                           "reject_errors ORDER BY line LIMIT 200").fetchall()
    except Exception as exc:  # duckdb.CatalogException: nothing was ever set aside
        if type(exc).__name__ != "CatalogException":
            raise
        return []
    out, seen = [], set()
    for line, colname, etype, msg in rows:
        if line in seen:
            continue
        seen.add(line)
        col = names[int(colname[1:])] if colname and re.fullmatch(r"c\d+", colname) else colname
        if etype == "INVALID ENCODING":
            out.append(f"{path}, row {line}, column '{col}': not UTF-8; expected a UTF-8 CSV: "
                       "save it as 'CSV UTF-8 (comma delimited)'")
        elif etype in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            found = re.search(r"Found: (\d+)", msg or "")
            out.append(f"{path}, row {line}: {found.group(1) if found else 'another number of'} "
                       f"values; expected {len(names)} (one per header column; a value holding a "
                       "comma must be in double quotes)")
        else:
            out.append(f"{path}, row {line}: {etype.lower()} ({msg}); expected a well-formed CSV "
                       "line")
    return out


def _cell_problems(con, path: Path, rel: str, checks: list[tuple[str, str, str, str]],
                   where: str = "TRUE") -> list[str]:
    """Rows where a check fails: ``checks`` = (column name, SQL cell, SQL failure test, what was
    expected). One scan counts; a second (only when something failed) finds the rows."""
    if not checks:
        return []
    counts = ", ".join(f"count(*) FILTER (WHERE {bad})" for _, _, bad, _ in checks)
    # fetchall, not fetchone: DuckDB stores the rejected lines when the result is consumed
    n_bad = con.execute(f"SELECT {counts} FROM {rel} WHERE {where}").fetchall()[0]
    if not any(n_bad):
        return []
    out = []
    for (name, cell, bad, expected), n in zip(checks, n_bad, strict=True):
        if not n:
            continue
        rows = con.execute(
            f"SELECT r, v FROM (SELECT row_number() OVER () + 1 AS r, {cell} AS v, ({where}) AS w,"
            f" ({bad}) AS bad FROM {rel}) WHERE w AND bad ORDER BY r LIMIT {_MAX_LINES}"
        ).fetchall()
        for r, v in rows:
            got = "blank" if v is None or str(v).strip() == "" else f"got {str(v)[:80]!r}"
            out.append(f"{path}, row {r}, column '{name}': {got}; expected {expected}")
        if n > len(rows):
            out.append(f"{path}: {n - len(rows)} more row(s) with the same problem in column "
                       f"'{name}'")
    return out


def _split(col: str) -> str:
    """A ';'-separated cell → a list of distinct lower-case addresses (spaces removed; it may hold
    one '' from doubled or trailing separators: :func:`_n_addresses` does not count it, the pairs
    drop it). List lambdas are avoided: they cost 4× more per row in DuckDB."""
    return f"list_distinct(string_split(lower(replace(coalesce({col}, ''), ' ', '')), ';'))"


def _n_addresses(lst: str) -> str:
    return f"(len({lst}) - list_contains({lst}, '')::INT)"


def _staged_problems(con, path: Path, names: list[str], table: str,
                     checks: list[tuple[str, str, str, str]]) -> list[str]:
    """Rows of the staged ``table`` (one scan of the file, with its ``line``) where a check
    fails: ``checks`` = (column name, SQL of the value as written, SQL failure test, what was
    expected). Lines DuckDB set aside come first; when there are some, the row numbers of the
    staged rows would be shifted, so only those are reported."""
    rejected = _rejects(con, path, names)
    if rejected:
        return rejected
    counts = ", ".join(f"count(*) FILTER (WHERE {bad})" for _, _, bad, _ in checks)
    n_bad = con.execute(f"SELECT {counts} FROM {table}").fetchall()[0]
    if not any(n_bad):
        return []
    # a problem: number the staged rows (stored in file order: DuckDB preserves insertion order)
    con.execute(f"CREATE TEMP TABLE numbered AS SELECT row_number() OVER () + 1 AS line, * "
                f"FROM {table}")
    out = []
    for (name, cell, bad, expected), n in zip(checks, n_bad, strict=True):
        if not n:
            continue
        rows = con.execute(f"SELECT line, {cell} FROM numbered WHERE {bad} ORDER BY line "
                           f"LIMIT {_MAX_LINES}").fetchall()
        for r, v in rows:
            got = "blank" if v is None or str(v).strip() == "" else f"got {str(v)[:80]!r}"
            out.append(f"{path}, row {r}, column '{name}': {got}; expected {expected}")
        if n > len(rows):
            out.append(f"{path}: {n - len(rows)} more row(s) with the same problem in column "
                       f"'{name}'")
    return out


# ------------------------------------------------------------------------------------------ CSV


def _generic(con, path: Path, *, max_recipients: int, as_of, time_format, **_) -> LogStats:
    names = _header(path)
    cols = _columns(path, names, ("sender", "recipients", "timestamp"), ("kind",))
    rel = _read_csv(path, names)
    s, r, t = (_col(names, cols[c]) for c in ("sender", "recipients", "timestamp"))
    k = _col(names, cols["kind"]) if "kind" in cols else "NULL"
    ts = _ts_expr(t, time_format)
    kind = f"coalesce(nullif(lower(trim({k})), ''), 'message')"
    # one scan of the file: parsed values, and the cell as written where it does not parse
    con.execute(f"""CREATE TEMP TABLE items AS SELECT
            lower(trim({s})) AS s, {_split(r)} AS r, {ts} AS ts, {kind} AS k,
            CASE WHEN {ts} IS NULL THEN {t} END AS t_raw,
            CASE WHEN {_n_addresses(_split(r))} = 0 THEN {r} END AS r_raw,
            CASE WHEN {kind} NOT IN ('message', 'meeting') THEN {k} END AS k_raw
        FROM {rel}""")
    problems = _staged_problems(con, path, names, "items", [
        (cols["sender"], "s", "coalesce(s, '') = ''", "the sender's address"),
        (cols["recipients"], "r_raw", f"{_n_addresses('r')} = 0",
         "one or more recipient addresses separated by ';'"),
        (cols["timestamp"], "t_raw", "ts IS NULL",
         f"{time_format!r} (--time-format)" if time_format else _ISO),
    ] + ([(cols["kind"], "k_raw", "k_raw IS NOT NULL", "message or meeting")]
         if "kind" in cols else []))
    if problems:
        raise LogError(problems)
    return _items_to_pairs(con, max_recipients=max_recipients, as_of=as_of)


def _items_to_pairs(con, *, max_recipients: int, as_of) -> LogStats:
    """``items(s, r, ts, k)`` → ``pairs``: a message gives sender → each recipient; a meeting
    gives every ordered pair of its participants (organiser and attendees)."""
    stats = LogStats()
    stats.rows, stats.latest = con.execute("SELECT count(*), max(ts) FROM items").fetchone()
    cut = _q(as_of) + "::TIMESTAMPTZ" if as_of is not None else "'infinity'::TIMESTAMPTZ"
    n, big = _n_addresses("r"), int(max_recipients)
    stats.mass_dropped, stats.items = con.execute(
        f"SELECT count(*) FILTER (WHERE {n} > {big}), count(*) FILTER (WHERE {n} <= {big}) "
        f"FROM items WHERE ts <= {cut}").fetchone()
    con.execute(f"""CREATE TEMP VIEW pairs AS
        WITH kept AS (SELECT s, r, ts, k FROM items WHERE ts <= {cut} AND {n} <= {big})
        SELECT * FROM (
            SELECT s AS a, unnest(r) AS b, ts, 'message' AS k, 1.0 AS v FROM kept
            WHERE k = 'message'
            UNION ALL
            SELECT a, unnest(p) AS b, ts, 'meeting' AS k, 1.0 AS v FROM (
                SELECT unnest(p) AS a, p, ts FROM (
                    SELECT list_distinct(list_prepend(s, r)) AS p, ts FROM kept
                    WHERE k = 'meeting'))
        ) WHERE a <> '' AND b <> ''""")
    return stats


def _message_trace(con, path: Path, *, max_recipients: int, as_of, time_format,
                   **_) -> LogStats:
    names = _header(path)
    req = ("Timestamp", "EventId", "MessageId", "Sender", "Recipients")
    cols = _columns(path, names, req)
    rel = _read_csv(path, names)
    t, e, m, s, r = (_col(names, cols[c]) for c in req)
    ts = _ts_expr(t, time_format)
    counted = f"upper(trim(coalesce({e}, ''))) IN ('DELIVER', 'RECEIVE')"
    problems = _cell_problems(con, path, rel, [
        (cols["EventId"], e, f"coalesce(trim({e}), '') = ''", "an event id (DELIVER, RECEIVE, ...)"),
        (cols["Timestamp"], t, f"{counted} AND {ts} IS NULL",
         f"{time_format!r} (--time-format)" if time_format else _ISO),
        (cols["MessageId"], m, f"{counted} AND coalesce(trim({m}), '') = ''", "the message id"),
        (cols["Sender"], s, f"{counted} AND coalesce(trim({s}), '') = ''", "the sender's address"),
        (cols["Recipients"], r, f"{counted} AND {_n_addresses(_split(r))} = 0",
         "one or more recipient addresses separated by ';'"),
    ])
    problems += _rejects(con, path, names)
    if problems:
        raise LogError(problems)
    # one item per message: the union of the recipients of its DELIVER/RECEIVE events, each
    # (message, recipient) once whatever the number of hops or events; its time the first event's
    con.execute(f"""CREATE TEMP TABLE items AS
        WITH ev AS (SELECT trim({m}) AS mid, lower(trim({s})) AS s, unnest({_split(r)}) AS b,
                           {ts} AS ts FROM {rel} WHERE {counted})
        SELECT mid, any_value(s) AS s, list(DISTINCT b) AS r, min(ts) AS ts, 'message' AS k
        FROM ev WHERE b <> '' GROUP BY mid""")
    stats = _items_to_pairs(con, max_recipients=max_recipients, as_of=as_of)
    stats.rows = con.execute(f"SELECT count(*) FROM {rel}").fetchone()[0]
    return stats


def _viva(con, path: Path, *, as_of, email_column, meeting_column, **_) -> LogStats:
    names = _header(path)
    ids = ("PrimaryCollaborator_PersonId", "SecondaryCollaborator_PersonId", "MetricDate")
    lower = {n.lower(): n for n in names}
    email = email_column or next((c for c in EMAIL_METRICS if c.lower() in lower), None)
    meeting = meeting_column or next((c for c in MEETING_METRICS if c.lower() in lower), None)
    cols = _columns(path, names, ids + tuple(c for c in (email, meeting) if c))
    rel = _read_csv(path, names)
    p, q, d = (_col(names, cols[c]) for c in ids)
    date = (f"coalesce(try_cast(trim({d}) AS DATE), try_strptime(trim({d}), '%m/%d/%Y')::DATE)"
            "::TIMESTAMPTZ")
    checks = [(cols[ids[0]], p, f"coalesce(trim({p}), '') = ''", "a person id"),
              (cols[ids[1]], q, f"coalesce(trim({q}), '') = ''", "a person id"),
              (cols["MetricDate"], d, f"{date} IS NULL", "a date such as 2024-04-28 or 4/28/2024")]
    amounts = []
    for kind, c in (("message", email), ("meeting", meeting)):
        if c:
            x = _col(names, cols[c])
            checks.append((cols[c], x, f"coalesce(try_cast(trim({x}) AS DOUBLE), -1) < 0",
                           "a number ≥ 0"))
            amounts.append((kind, f"try_cast(trim({x}) AS DOUBLE)"))
    problems = _cell_problems(con, path, rel, checks) + _rejects(con, path, names)
    if problems:
        raise LogError(problems)
    stats = LogStats()
    if not amounts:  # the sample p2p export holds tie scores only: one row = one interaction
        amounts = [("message", "1.0")]
        stats.notes.append("no e-mail or meeting metric column: each row counted as one "
                           "interaction of the period")
    else:
        stats.notes.append("amounts from " + ", ".join(
            f"{c} ({k})" for k, c in zip(("e-mail", "meeting"), (email, meeting), strict=True) if c))
    stats.rows, stats.latest = con.execute(f"SELECT count(*), max({date}) FROM {rel}").fetchone()
    cut = _q(as_of) + "::TIMESTAMPTZ" if as_of is not None else "'infinity'::TIMESTAMPTZ"
    union = " UNION ALL ".join(
        f"SELECT trim({p}) AS a, trim({q}) AS b, {date} AS ts, '{k}' AS k, {v} AS v FROM {rel}"
        for k, v in amounts)
    con.execute(f"CREATE TEMP VIEW pairs AS SELECT * FROM ({union}) WHERE v > 0 AND ts <= {cut}")
    stats.items = con.execute(f"SELECT count(*) FROM {rel} WHERE {date} <= {cut}").fetchone()[0]
    return stats


# ---------------------------------------------------------------------------------------- Slack

_SLACK_KEPT_SUBTYPES = ("thread_broadcast", "file_share", "me_message")


def _slack(con, path: Path, *, max_recipients: int, as_of, slack_channel_posts: bool,
           **_) -> LogStats:
    if not path.is_dir():
        raise LogError([f"{path}: is not a folder; expected an unzipped Slack export folder "
                        "(channel folders of day files, users.json)"])
    users = path / "users.json"
    if not users.exists() and (path / "org_users.json").exists():
        users = path / "org_users.json"
    problems = _regular_file(users, "users.json")
    days = sorted(path.glob("*/*.json"))
    if not days:
        problems.append(f"{path}: no day files (<channel>/<YYYY-MM-DD>.json); expected an "
                        "unzipped Slack export in JSON format")
    for f in days:
        problems += [p for p in _regular_file(f, "day") if "is empty" not in p]
    if problems:
        raise LogError(problems)
    ucols = "{'id': 'VARCHAR', 'is_bot': 'BOOLEAN', 'deleted': 'BOOLEAN', " \
            "'profile': 'STRUCT(email VARCHAR)'}"
    mcols = ("{'user': 'VARCHAR', 'ts': 'VARCHAR', 'thread_ts': 'VARCHAR', "
             "'parent_user_id': 'VARCHAR', 'subtype': 'VARCHAR', 'bot_id': 'VARCHAR'}")
    conv = "{'id': 'VARCHAR', 'name': 'VARCHAR', 'members': 'VARCHAR[]'}"
    try:
        con.execute(f"""CREATE TEMP TABLE users AS SELECT id,
            CASE WHEN coalesce(is_bot, false) OR id = 'USLACKBOT' THEN NULL
                 ELSE coalesce(nullif(lower(trim(profile.email)), ''), id) END AS who
            FROM read_json({_q(users)}, format='array', columns={ucols})""")
        con.execute(f"""CREATE TEMP TABLE msgs AS SELECT user AS u, ts AS ts_raw,
            try_cast(ts AS DOUBLE) AS tsn, thread_ts, parent_user_id, subtype, bot_id,
            parse_path(filename)[-2] AS folder, filename AS file
            FROM read_json({_q(str(path) + '/*/*.json')}, format='array', filename=true,
                           columns={mcols})""")
        convs = []
        for name, key in (("channels.json", "name"), ("groups.json", "name"), ("dms.json", "id"),
                          ("mpims.json", "name")):
            f = path / name
            if f.exists() and not _regular_file(f, name):
                direct = name in ("dms.json", "mpims.json")
                convs.append(f"SELECT {key} AS folder, members, {str(direct).lower()} AS direct "
                             f"FROM read_json({_q(f)}, format='array', columns={conv})")
        con.execute("CREATE TEMP TABLE convs AS " + (" UNION ALL ".join(convs) if convs else
                    "SELECT NULL::VARCHAR AS folder, NULL::VARCHAR[] AS members, "
                    "false AS direct WHERE false"))
    except Exception as exc:  # duckdb.Error: invalid JSON, wrong shape
        if type(exc).__module__.split(".")[0] != "duckdb":
            raise
        msg = str(exc).splitlines()[0]
        raise LogError([f"{path}: a JSON file of the export cannot be read ({msg}); expected "
                        "Slack's export format (arrays of objects)"]) from None
    bad = con.execute("SELECT file, ts_raw FROM msgs WHERE tsn IS NULL AND subtype IS NULL "
                      f"LIMIT {_MAX_LINES}").fetchall()
    if bad:
        raise LogError([f"{f}, column 'ts': got {t!r}; expected Slack's time stamp (seconds "
                        "since 1970, e.g. '1700000000.000100')" for f, t in bad])
    stats = LogStats()
    stats.rows, stats.latest = con.execute(
        "SELECT count(*), max(to_timestamp(tsn)) FROM msgs").fetchone()
    cut = _q(as_of) + "::TIMESTAMPTZ" if as_of is not None else "'infinity'::TIMESTAMPTZ"
    kept_sub = ", ".join(_q(s) for s in _SLACK_KEPT_SUBTYPES)
    con.execute(f"""CREATE TEMP TABLE items AS
        WITH m AS (SELECT * FROM msgs WHERE tsn IS NOT NULL AND bot_id IS NULL
                     AND (subtype IS NULL OR subtype IN ({kept_sub}))
                     AND to_timestamp(tsn) <= {cut}),
        parents AS (SELECT folder, ts_raw, u FROM m),
        replies AS (  -- a reply speaks to the author of the thread's first message
            SELECT m.u AS s, [coalesce(m.parent_user_id, p.u)] AS r, m.tsn FROM m
            LEFT JOIN parents p ON p.folder = m.folder AND p.ts_raw = m.thread_ts
            WHERE m.thread_ts IS NOT NULL AND m.thread_ts <> m.ts_raw),
        tops AS (  -- a top-level message speaks to the conversation's other members
            SELECT m.u AS s, list_filter(c.members, lambda x: x <> m.u) AS r, m.tsn FROM m
            JOIN convs c ON c.folder = m.folder
            WHERE (m.thread_ts IS NULL OR m.thread_ts = m.ts_raw)
              AND (c.direct OR {str(bool(slack_channel_posts)).lower()}))
        SELECT s, r, tsn FROM replies UNION ALL SELECT s, r, tsn FROM tops""")
    stats.mass_dropped, stats.items = con.execute(
        f"SELECT count(*) FILTER (WHERE len(r) > {int(max_recipients)}), "
        f"count(*) FILTER (WHERE len(r) <= {int(max_recipients)}) FROM items").fetchone()
    # user ids → addresses (e-mail when users.json gives one); bots and Slackbot are dropped
    con.execute(f"""CREATE TEMP VIEW pairs AS
        WITH e AS (SELECT s, unnest(r) AS b, to_timestamp(tsn) AS ts FROM items
                   WHERE len(r) <= {int(max_recipients)})
        SELECT us.who AS a, ub.who AS b, e.ts, 'message' AS k, 1.0 AS v FROM e
        JOIN users us ON us.id = e.s JOIN users ub ON ub.id = e.b
        WHERE us.who IS NOT NULL AND ub.who IS NOT NULL""")
    return stats


_READERS = {"generic": _generic, "message-trace": _message_trace, "viva-p2p": _viva,
            "slack": _slack}


def load_pairs(con, path, fmt: str, *, max_recipients: int = 20, as_of=None,
               time_format: str | None = None, email_column: str | None = None,
               meeting_column: str | None = None, slack_channel_posts: bool = False) -> LogStats:
    """Read the log at ``path`` in format ``fmt`` into the DuckDB table ``pairs(a, b, ts, k, v)``
    of connection ``con`` (see the module docstring); return what was seen.

    Raises :class:`LogError` (one line per problem) for a log that cannot be read as ``fmt``.

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = p.write_text("sender,recipients,timestamp\\na@x.org,b@x.org;c@x.org,2024-01-02\\n")
    >>> con = connect(); load_pairs(con, p, "generic").items
    1
    >>> con.execute("SELECT a, b FROM pairs ORDER BY b").fetchall()
    [('a@x.org', 'b@x.org'), ('a@x.org', 'c@x.org')]
    """
    if fmt not in _READERS:
        raise InputError(f"--format: got {fmt!r}; expected one of {', '.join(FORMATS)}")
    path = Path(path)
    if fmt != "slack":
        problems = _regular_file(path)
        if problems:
            raise LogError(problems)
    elif not path.exists():
        raise LogError([f"{path}: no such folder; expected an unzipped Slack export folder"])
    try:
        return _READERS[fmt](con, path, max_recipients=max_recipients, as_of=as_of,
                             time_format=time_format, email_column=email_column,
                             meeting_column=meeting_column,
                             slack_channel_posts=slack_channel_posts)
    except LogError:
        raise
    except Exception as exc:  # a DuckDB error the checks did not foresee: one line, no traceback
        if type(exc).__module__.split(".")[0] != "duckdb":
            raise
        first = str(exc).splitlines()[0]
        raise LogError([f"{path}: cannot be read as {fmt} ({first}); expected the format "
                        "described in docs/methods/ingest.md"]) from None
