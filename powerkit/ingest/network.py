"""Directed pair events → weighted ``ties`` and ``stakeholders``; pseudonyms; the deal folder.

The aggregation runs in DuckDB over the ``pairs`` table a reader made
(:func:`powerkit.ingest.readers.load_pairs`); only the aggregated ties come out into pandas.
Formulas and every modelling choice: docs/methods/ingest.md.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from ..errors import InputError, bad_argument
from ..paths import atomic_write
from .readers import FORMATS, connect, load_pairs

__all__ = ["SERVICE_PATTERNS", "KEY_ENV", "IngestResult", "ingest_log", "pseudonym",
           "read_key", "write_deal", "DETAIL_COLUMNS", "check_mapping_path", "write_mapping"]

#: Address fragments of service, room and robot accounts (case-insensitive substrings of the
#: address); extend with ``service_patterns=`` / ``--service-pattern``.
SERVICE_PATTERNS = ("noreply", "no-reply", "no_reply", "donotreply", "do-not-reply",
                    "mailer-daemon", "postmaster", "room-", "room.", "calendar", "notification",
                    "bounce", "helpdesk@", "alerts@")

#: The environment variable holding the pseudonymisation key when no key file is given.
KEY_ENV = "POWERKIT_PSEUDONYM_KEY"

#: Columns of :attr:`IngestResult.detail`, one row per tie.
DETAIL_COLUMNS = ("source", "target", "messages", "meetings", "messages_decayed",
                  "meetings_decayed", "reciprocity", "weight")

_MIN_KEY = 16


@dataclass
class IngestResult:
    """A log as a network: ``ties`` (source, target, kind, weight; source listens to target),
    ``people`` (stakeholder, name: every person in a tie), ``detail`` (the counts behind each
    weight, :data:`DETAIL_COLUMNS`), ``mapping`` (address → pseudonym, ``None`` when the
    addresses are kept) and ``summary`` (parameters and counts, no address)."""

    ties: pd.DataFrame
    people: pd.DataFrame
    detail: pd.DataFrame
    mapping: dict[str, str] | None
    summary: dict = field(default_factory=dict)


def pseudonym(address: str, key: bytes) -> str:
    """The pseudonym of an address: ``p-`` and the first 12 hex digits of HMAC-SHA256(key,
    address) (RFC 2104); the address is trimmed and lower-cased first.

    >>> pseudonym("Ana@Example.org", b"0123456789abcdef")
    'p-76f87255c463'
    >>> pseudonym("ana@example.org", b"0123456789abcdef") == pseudonym(" ANA@example.org", b"0123456789abcdef")
    True
    """
    norm = address.strip().lower().encode("utf-8")
    return "p-" + hmac.new(key, norm, hashlib.sha256).hexdigest()[:12]


def read_key(key_file: str | Path | None = None, environ=None) -> bytes:
    """The pseudonymisation key: the bytes of ``key_file`` (a trailing newline dropped), else the
    environment variable ``POWERKIT_PSEUDONYM_KEY``; at least 16 bytes. The key is never written
    anywhere by powerkit.

    >>> read_key(environ={"POWERKIT_PSEUDONYM_KEY": "a-long-enough-secret"})
    b'a-long-enough-secret'
    """
    environ = os.environ if environ is None else environ
    if key_file is not None:
        p = Path(key_file)
        if not p.is_file():
            raise InputError(f"--key-file {p}: not a readable file; expected a file holding the "
                             "secret key (e.g. python -c \"import secrets; "
                             "print(secrets.token_hex(32))\" > key.txt)")
        key = p.read_bytes().rstrip(b"\r\n")
        where = f"--key-file {p}"
    elif environ.get(KEY_ENV):
        key = environ[KEY_ENV].encode("utf-8")
        where = KEY_ENV
    else:
        raise InputError(f"no pseudonymisation key: give --key-file FILE or set {KEY_ENV} (keep "
                         "the same key to get the same pseudonyms), or --keep-addresses to write "
                         "the addresses themselves")
    if len(key) < _MIN_KEY:
        raise InputError(f"{where}: the key has {len(key)} bytes; expected at least {_MIN_KEY} "
                         "(e.g. python -c \"import secrets; print(secrets.token_hex(32))\")")
    return key


def _as_of(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, 23, 59, 59, 999999,
                        tzinfo=UTC)
    try:
        d = date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"--as-of: got {value!r}; expected a date YYYY-MM-DD") from None
    return _as_of(d)


def _pattern_sql(patterns) -> str:
    """One case-insensitive regular expression matching any of the literal fragments."""
    return "|".join(re.escape(p.lower()) for p in patterns if p)


def ingest_log(path, fmt: str = "generic", *, kind: str = "influence",
               half_life: float | None = 90.0, as_of=None, max_recipients: int = 20,
               service_patterns=SERVICE_PATTERNS, domains=(), min_count: float = 1,
               meeting_weight: float = 1.0, reciprocity: float = 1.0, key: bytes | None = None,
               time_format: str | None = None, email_column: str | None = None,
               meeting_column: str | None = None,
               slack_channel_posts: bool = False) -> IngestResult:
    """An interaction log as ``ties``: who listens to whom, how strongly.

    A message from A to B, a reply of A to B's thread, time A invests in B (Viva) makes the tie
    A → B (A listens to B: A seeks B out — the convention of ``ties``); a meeting ties every
    pair of its participants both ways. Per directed pair, with ``t`` the age in days of an
    interaction at the ``as_of`` time and ``h`` the half-life::

        m = Σ_messages 2^(−t/h),   g = Σ_meetings 2^(−t/h),   i = m + β·g
        r = min(i_AB, i_BA) / max(i_AB, i_BA)        (reciprocity, 0..1)
        weight = i · (1 + ρ·r)

    with β = ``meeting_weight`` and ρ = ``reciprocity``. Kept: pairs with at least ``min_count``
    interactions (undecayed) after the filters — mass mails (more than ``max_recipients``
    recipients), service accounts (``service_patterns``), addresses outside ``domains``, self
    ties, interactions after ``as_of``.

    Parameters
    ----------
    path : str or Path
        The log (a CSV file; a folder for ``slack``).
    fmt : {'generic', 'message-trace', 'viva-p2p', 'slack'}
    kind : {'influence', 'advice'}
        The ``kind`` written on every tie.
    half_life : float or None
        Days after which an interaction counts half; ``None``: no decay.
    as_of : date, str or None
        The reference time of the decay (end of that day, UTC); later interactions are dropped.
        Default: the latest time in the log.
    key : bytes or None
        HMAC key: people become pseudonyms (:func:`pseudonym`); ``None`` keeps the addresses.

    Returns
    -------
    IngestResult

    References
    ----------
    Krackhardt, D. (1987). Cognitive social structures. *Social Networks* 9, 109–134 (the
    "ego goes to alter" direction). Granovetter, M. (1973). The strength of weak ties. *AJS* 78,
    1360–1380 (frequency and reciprocity as tie strength). Kossinets, G., Watts, D. J. (2006).
    Empirical analysis of an evolving social network. *Science* 311, 88–90 (e-mail ties,
    decayed). Krawczyk, H., Bellare, M., Canetti, R. (1997). HMAC. RFC 2104.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = p.write_text("sender,recipients,timestamp\\n"
    ...                  "a@x.org,b@x.org,2024-01-01\\nb@x.org,a@x.org,2024-01-02\\n"
    ...                  "a@x.org,b@x.org,2024-01-02\\n")
    >>> r = ingest_log(p, half_life=None)  # a→b: 2 messages, b→a: 1; r = 1/2 for both
    >>> r.ties[["source", "target", "weight"]].values.tolist()
    [['a@x.org', 'b@x.org', 3.0], ['b@x.org', 'a@x.org', 1.5]]
    """
    func = "ingest_log"
    if fmt not in FORMATS:
        raise InputError(f"--format: got {fmt!r}; expected one of {', '.join(FORMATS)}")
    if kind not in ("influence", "advice"):
        raise bad_argument("kind", func, "'influence' or 'advice'", kind)
    if half_life is not None and not (float(half_life) > 0):
        raise bad_argument("half_life", func, "a number of days > 0, or None (no decay)",
                           half_life)
    if not (isinstance(max_recipients, int) and max_recipients >= 1):
        raise bad_argument("max_recipients", func, "an integer ≥ 1", max_recipients)
    for name, v in (("min_count", min_count), ("meeting_weight", meeting_weight),
                    ("reciprocity", reciprocity)):
        if not (float(v) >= 0):
            raise bad_argument(name, func, "a number ≥ 0", v)
    domains = tuple(d.strip().lower().lstrip("@") for d in domains if d and d.strip())
    if domains and fmt == "viva-p2p":
        raise InputError("--domain: a viva-p2p export names people by PersonId, not by address; "
                         "filter the organisation in the Viva query instead")
    cut = _as_of(as_of)
    con = connect()
    stats = load_pairs(con, path, fmt, max_recipients=max_recipients, as_of=cut,
                       time_format=time_format, email_column=email_column,
                       meeting_column=meeting_column, slack_channel_posts=slack_channel_posts)
    if stats.latest is None:
        raise InputError(f"{path}: no interaction in the log (only a header?); expected at "
                         "least one message or meeting")
    ref = cut or stats.latest
    if ref.tzinfo is None:
        ref = ref.replace(tzinfo=UTC)
    decay = ("1.0" if half_life is None else
             f"pow(0.5, (epoch(TIMESTAMPTZ '{ref.isoformat()}') - epoch(ts)) / 86400.0 / "
             f"{float(half_life)!r})")
    con.execute(f"""CREATE TEMP TABLE agg AS SELECT a, b,
            sum(v) FILTER (WHERE k = 'message') AS n_msg, sum(v) FILTER (WHERE k = 'meeting') AS n_meet,
            sum(v * {decay}) FILTER (WHERE k = 'message') AS w_msg,
            sum(v * {decay}) FILTER (WHERE k = 'meeting') AS w_meet
        FROM pairs WHERE a <> b AND a IS NOT NULL AND b IS NOT NULL GROUP BY a, b""")
    # people and the account filters, decided once per distinct address
    svc = _pattern_sql(service_patterns)
    dom = " OR ".join(f"split_part(x, '@', 2) = '{d}' OR ends_with(split_part(x, '@', 2), "
                      f"'.{d}')" for d in (dd.replace("'", "''") for dd in domains)) or "TRUE"
    con.execute(f"""CREATE TEMP TABLE people AS SELECT x,
            {f"regexp_matches(x, '{svc}')" if svc else 'FALSE'} AS service,
            NOT ({dom}) AS outside
        FROM (SELECT a AS x FROM agg UNION SELECT b FROM agg)""")
    dropped = dict(zip(("service", "outside"), con.execute(
        "SELECT count(*) FILTER (WHERE service), count(*) FILTER (WHERE outside AND NOT service) "
        "FROM people").fetchone(), strict=True))
    beta, rho = float(meeting_weight), float(reciprocity)
    con.execute(f"""CREATE TEMP TABLE kept AS
        WITH ok AS (SELECT x FROM people WHERE NOT service AND NOT outside),
        f AS (SELECT a, b, coalesce(n_msg, 0) AS n_msg, coalesce(n_meet, 0) AS n_meet,
                     coalesce(w_msg, 0) AS w_msg, coalesce(w_meet, 0) AS w_meet,
                     coalesce(w_msg, 0) + {beta!r} * coalesce(w_meet, 0) AS i
              FROM agg WHERE a IN (SELECT x FROM ok) AND b IN (SELECT x FROM ok)),
        r AS (SELECT f.*, coalesce(g.i, 0) AS back FROM f LEFT JOIN f AS g
              ON g.a = f.b AND g.b = f.a),
        rr AS (SELECT *, CASE WHEN greatest(i, back) > 0 THEN least(i, back) / greatest(i, back)
                         ELSE 0 END AS rec FROM r)
        SELECT a, b, n_msg, n_meet, w_msg, w_meet, rec, i * (1 + {rho!r} * rec) AS weight
        FROM rr WHERE n_msg + n_meet >= {float(min_count)!r} AND i > 0""")
    people = [x for (x,) in con.execute(
        "SELECT a FROM kept UNION SELECT b FROM kept ORDER BY 1").fetchall()]
    mapping = None
    if key is not None:
        mapping = {a: pseudonym(a, key) for a in people}
        if len(set(mapping.values())) < len(mapping):  # 48 bits: ~2e-7 for 10,000 people
            raise InputError("two addresses got the same pseudonym (a 1-in-millions chance): "
                             "choose another key")
        ids = pd.DataFrame({"x": list(mapping), "id": list(mapping.values())})
    else:
        ids = pd.DataFrame({"x": people, "id": people})
    con.register("ids", ids)
    detail = con.execute("""SELECT sa.id AS source, sb.id AS target, n_msg AS messages,
            n_meet AS meetings, w_msg AS messages_decayed, w_meet AS meetings_decayed,
            rec AS reciprocity, weight
        FROM kept JOIN ids sa ON sa.x = kept.a JOIN ids sb ON sb.x = kept.b
        ORDER BY source, target""").df()
    con.close()
    people_frame = pd.DataFrame({"stakeholder": sorted(ids["id"])})
    people_frame["name"] = people_frame["stakeholder"]
    ties = detail[["source", "target"]].assign(kind=kind, weight=detail["weight"])
    summary = {
        "format": fmt, "log": Path(path).name, "rows": int(stats.rows),
        "items_kept": int(stats.items), "mass_mails_dropped": int(stats.mass_dropped),
        "service_accounts_dropped": int(dropped["service"]),
        "outside_addresses_dropped": int(dropped["outside"]),
        "people": len(people), "ties": len(ties), "kind": kind,
        "as_of": ref.isoformat(), "half_life_days": half_life, "max_recipients": max_recipients,
        "min_count": min_count, "meeting_weight": beta, "reciprocity": rho,
        "domains": list(domains),  # (the service patterns are not written: they may name people)
        "service_patterns": len(tuple(service_patterns)),
        "pseudonymised": key is not None, "notes": stats.notes,
    }
    return IngestResult(ties=ties, people=people_frame, detail=detail, mapping=mapping,
                        summary=summary)


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")


def write_deal(result: IngestResult, out_dir, *, party: str = "client",
               party_name: str | None = None, deal_id: str | None = None,
               mapping_path=None) -> list[Path]:
    """Write ``result`` as a new deal folder that ``powerkit validate`` accepts: ``deal.yaml``,
    ``parties.csv`` (``party`` as the counterpart and an ``us`` placeholder to fill in),
    ``stakeholders.csv``, ``ties.csv``, and ``ingest/ties_detail.csv`` + ``ingest/summary.json``
    (the counts behind each weight; not deal tables). The address → pseudonym mapping goes to
    ``mapping_path`` only, which must lie outside ``out_dir``. Returns the files written.
    """
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"--out {out}: exists and is not an empty folder; expected a new folder "
                         "for the deal")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", party) or party == "us":
        raise InputError(f"--party: got {party!r}; expected an id such as 'client' "
                         "([a-z0-9][a-z0-9_-]*, not 'us')")
    check_mapping_path(result, mapping_path, out)
    slug = deal_id or re.sub(r"[^a-z0-9_-]+", "-", out.name.lower()).strip("-_") or "network"
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", slug):
        slug = "network"
    s = result.summary
    title = f"Informal network from a {s['format']} log"
    meta = (f"id: {slug}\ntitle: {json.dumps(title)}\n"
            f"decision: \"(fill in the decision being made)\"\nus: us\ncounterpart: {party}\n"
            f"as_of: {s['as_of'][:10]}\n")
    parties = pd.DataFrame({"party": ["us", party],
                            "name": ["us (fill in)", party_name or party],
                            "side": ["us", "counterpart"]})
    people = result.people.assign(party=party)
    detail = result.detail[list(DETAIL_COLUMNS)]
    files = {out / "deal.yaml": meta, out / "parties.csv": _csv(parties),
             out / "stakeholders.csv": _csv(people), out / "ties.csv": _csv(result.ties),
             out / "ingest" / "ties_detail.csv": _csv(detail),
             out / "ingest" / "summary.json": json.dumps(s, indent=2, default=str) + "\n"}
    for p, text in files.items():
        atomic_write(p, text)
    written = list(files)
    if mapping_path is not None:
        written.append(write_mapping(result, mapping_path))
    return written


def check_mapping_path(result: IngestResult, mapping_path, out_dir) -> None:
    """Refuse a mapping file inside the deal folder ``out_dir`` (or a mapping without
    pseudonyms); ``None`` is always fine."""
    if mapping_path is None:
        return
    if Path(mapping_path).resolve().is_relative_to(Path(out_dir).resolve()):
        raise InputError(f"--mapping {mapping_path}: inside the output folder; expected a path "
                         "outside it (the mapping re-identifies people: keep it apart)")
    if result.mapping is None:
        raise InputError("--mapping: there is no mapping when the addresses are kept")


def write_mapping(result: IngestResult, mapping_path) -> Path:
    """Write the address → pseudonym table (CSV ``address,pseudonym``, mode 600)."""
    m = Path(mapping_path)
    frame = pd.DataFrame(sorted(result.mapping.items()), columns=["address", "pseudonym"])
    atomic_write(m, _csv(frame))
    os.chmod(m, 0o600)
    return m
