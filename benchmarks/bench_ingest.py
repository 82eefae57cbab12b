"""Benchmark of ``powerkit ingest`` (issue 17.2): a synthetic message log → ties.

- The log: ``ROWS`` rows (default 1,000,000; the issue's 5,000,000 with
  ``POWERKIT_BENCH_INGEST_ROWS=5000000`` — its pandas side alone takes minutes, too long for
  ``make bench``'s budget of about 2 minutes per area) of the generic
  format among 10,000 people (1–4 recipients, 90 % of them among 40 "team" colleagues, 10 %
  meetings, 0.1 % mass mails of 30 recipients, a no-reply sender, 1 % outside addresses), one
  year of times. Written once by DuckDB into the
  temp folder and reused (its generation is not timed).
- powerkit: :func:`powerkit.ingest.ingest_log` (DuckDB) in a child process — wall time, rows/s and
  peak resident memory of that process (``ru_maxrss``: DuckDB's memory is native, tracemalloc
  cannot see it).
- pandas: the same aggregation (``read_csv`` + ``str.split`` + ``explode`` + ``groupby``, the same
  filters, decay and weights) in another child process; the two tie tables are asserted equal
  (same pairs, weights within 1e-9 relative). Target: powerkit ≥ 5× faster.
- Pseudonyms: HMAC-SHA256 of the 10,000 distinct addresses in a Python loop against the same
  through a DuckDB Python UDF.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(os.environ.get("POWERKIT_BENCH_INGEST_ROWS", "1000000"))  # 5,000,000: docstring
PEOPLE = 10_000
HALF_LIFE = 30.0

_CHILD_POWERKIT = r"""
import json, resource, sys, time
from powerkit.ingest import ingest_log
t = time.perf_counter()
r = ingest_log(sys.argv[1], half_life=HALF_LIFE, domains=("acme.com",))
secs = time.perf_counter() - t
r.ties.to_csv(sys.argv[2], index=False, float_format="%.17g")
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": secs, "maxrss_kb": ru.ru_maxrss, "cpu": ru.ru_utime + ru.ru_stime,
                  "ties": len(r.ties), "summary": r.summary}))
"""

_CHILD_PANDAS = r"""
import json, re, resource, sys, time
import numpy as np, pandas as pd
t = time.perf_counter()
SERVICE = SERVICE_PATTERNS
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
df["ts"] = pd.to_datetime(df["timestamp"], utc=True, format="ISO8601")
df["s"] = df["sender"].str.strip().str.lower()
df["r"] = df["recipients"].str.lower().str.split(";").map(
    lambda xs: list(dict.fromkeys(x.strip() for x in xs if x.strip())))
df = df[df["r"].map(len) <= 20]
ref = df["ts"].max()
df["w"] = 0.5 ** ((ref - df["ts"]).dt.total_seconds() / 86400.0 / HALF_LIFE)
msg = df[df["kind"] == "message"].explode("r")[["s", "r", "w"]].rename(columns={"s": "a", "r": "b"})
meet = df[df["kind"] == "meeting"].copy()
meet["p"] = [list(dict.fromkeys([s] + r)) for s, r in zip(meet["s"], meet["r"])]
meet = meet[["p", "w"]].assign(a=meet["p"]).explode("a").explode("p").rename(columns={"p": "b"})
parts = []
for frame, k in ((msg, "message"), (meet[["a", "b", "w"]], "meeting")):
    parts.append(frame.groupby(["a", "b"], sort=False)["w"].agg(["size", "sum"])
                 .rename(columns={"size": "n_" + k, "sum": "w_" + k}))
agg = parts[0].join(parts[1], how="outer").fillna(0.0).reset_index()
agg = agg[agg["a"] != agg["b"]]
bad = re.compile("|".join(re.escape(p) for p in SERVICE))
people = pd.Index(pd.unique(pd.concat([agg["a"], agg["b"]])))
ok = pd.Series([x.endswith("@acme.com") and not bad.search(x) for x in people], index=people)
agg = agg[ok[agg["a"]].to_numpy() & ok[agg["b"]].to_numpy()]
agg["i"] = agg["w_message"] + 1.0 * agg["w_meeting"]
back = agg.set_index(["a", "b"])["i"]
rev = back.reindex(pd.MultiIndex.from_arrays([agg["b"], agg["a"]])).fillna(0.0).to_numpy()
i = agg["i"].to_numpy()
rec = np.where(np.maximum(i, rev) > 0, np.minimum(i, rev) / np.maximum(i, rev), 0.0)
agg["weight"] = i * (1 + 1.0 * rec)
agg = agg[(agg["n_message"] + agg["n_meeting"] >= 1) & (agg["i"] > 0)]
ties = agg.rename(columns={"a": "source", "b": "target"})[["source", "target", "weight"]]
secs = time.perf_counter() - t
ties.to_csv(sys.argv[2], index=False, float_format="%.17g")
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": secs, "maxrss_kb": ru.ru_maxrss, "cpu": ru.ru_utime + ru.ru_stime,
                  "ties": len(ties)}))
"""


def _row(name, value, unit, target, ok):
    return {"name": name, "value": float(value), "unit": unit, "target": target, "ok": bool(ok)}


def make_log(rows: int = ROWS, folder: Path | None = None) -> Path:
    """The synthetic log (generated once per size by DuckDB, then reused)."""
    import duckdb

    folder = Path(folder or tempfile.gettempdir())
    path = folder / f"powerkit-bench-ingest-{rows}.csv"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    con = duckdb.connect()
    con.execute("SELECT setseed(0.17)")
    # each person writes mostly (90 %) to one of 40 colleagues (a team-like neighbourhood, so
    # ties repeat as in a real organisation), else to anyone; 1 % of addresses are outside
    other = (f"CASE WHEN random() < 0.01 THEN 'guest' || floor(random() * 500)::INT || "
             f"'@other.org' ELSE 'person' || (CASE WHEN random() < 0.9 THEN (me + {PEOPLE} + "
             f"(floor(random() * 41)::INT - 20)) % {PEOPLE} ELSE floor(random() * {PEOPLE})::INT "
             f"END) || '@acme.com' END")
    con.execute(f"""COPY (
        SELECT CASE WHEN i % 997 = 0 THEN 'noreply@acme.com' ELSE 'person' || me || '@acme.com'
               END AS sender,
               array_to_string(list_transform(
                   range(CASE WHEN i % 1000 = 1 THEN 30 ELSE 1 + floor(random() * 4)::INT END),
                   lambda x: {other}), ';') AS recipients,
               strftime(TIMESTAMP '2024-01-01' + to_seconds(floor(random() * 365 * 86400)::BIGINT),
                        '%Y-%m-%dT%H:%M:%S') AS timestamp,
               CASE WHEN random() < 0.1 THEN 'meeting' ELSE 'message' END AS kind
        FROM (SELECT i, floor(random() * {PEOPLE})::INT AS me FROM range({rows}) t(i)))
        TO '{tmp}' (HEADER, DELIMITER ',')""")
    con.close()
    tmp.replace(path)
    return path


def _child(code: str, log: Path, out: Path) -> dict:
    head = (f"HALF_LIFE = {HALF_LIFE!r}\nSERVICE_PATTERNS = {tuple(_service())!r}\n")
    res = subprocess.run([sys.executable, "-c", head + code, str(log), str(out)], capture_output=True,
                         text=True, check=False)
    if res.returncode != 0:
        raise RuntimeError(res.stderr[-2000:])
    return json.loads(res.stdout.strip().splitlines()[-1])


def _same_ties(a: Path, b: Path) -> bool:
    import numpy as np
    import pandas as pd

    x = pd.read_csv(a).sort_values(["source", "target"], ignore_index=True)
    y = pd.read_csv(b).sort_values(["source", "target"], ignore_index=True)
    return (len(x) == len(y) and (x["source"] == y["source"]).all()
            and (x["target"] == y["target"]).all()
            and bool(np.allclose(x["weight"], y["weight"], rtol=1e-9, atol=0)))


def _pseudonym_timing(rows: list) -> None:
    from timing import median_time

    from powerkit.ingest import pseudonym
    from powerkit.ingest.readers import connect

    key = b"benchmark-key-0123456789abcdef"
    addresses = [f"person{i}@acme.com" for i in range(PEOPLE)]
    t_py, mapped = median_time(lambda: {a: pseudonym(a, key) for a in addresses}, 3)
    con = connect()
    con.create_function("pseudonym_udf", lambda a: pseudonym(a, key), ["VARCHAR"], "VARCHAR")
    con.execute("CREATE TABLE addr AS SELECT unnest($1::VARCHAR[]) AS a", [addresses])
    t_udf, got = median_time(
        lambda: dict(con.execute("SELECT a, pseudonym_udf(a) FROM addr").fetchall()), 3)
    assert got == mapped
    rows.append(_row("pseudonyms of 10,000 addresses: Python loop", t_py, "s", "< 1 s", t_py < 1))
    rows.append(_row("pseudonyms of 10,000 addresses: DuckDB UDF / Python loop", t_udf / t_py,
                     "×", "report (loop chosen)", True))


def run() -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        log = make_log()
        pk = _child(_CHILD_POWERKIT, log, tmp / "powerkit.csv")
        pd_ = _child(_CHILD_PANDAS, log, tmp / "pandas.csv")
        same = _same_ties(tmp / "powerkit.csv", tmp / "pandas.csv")
    n = f"{ROWS:,} rows, {PEOPLE:,} people"
    rows.append(_row(f"ingest {n}: powerkit (DuckDB) time", pk["seconds"], "s", "report", True))
    rows.append(_row(f"ingest {n}: rows/s", ROWS / pk["seconds"], "rows/s", "report", True))
    rows.append(_row(f"ingest {n}: peak memory (child ru_maxrss)", pk["maxrss_kb"] / 1024, "MB",
                     "report", True))
    rows.append(_row(f"ingest {n}: pandas time", pd_["seconds"], "s", "report", True))
    rows.append(_row(f"ingest {n}: pandas peak memory", pd_["maxrss_kb"] / 1024, "MB", "report",
                     True))
    rows.append(_row(f"ingest {n}: CPU seconds, pandas / powerkit (whole child process)",
                     pd_["cpu"] / pk["cpu"], "×", "report", True))
    ratio = pd_["seconds"] / pk["seconds"]
    rows.append(_row(f"ingest {n}: pandas / powerkit time", ratio, "×", "≥ 5×, same ties",
                     ratio >= 5 and same))
    rows.append(_row(f"ingest {n}: same ties as pandas ({pk['ties']:,})", float(same), "bool",
                     "1", same))
    _pseudonym_timing(rows)
    return rows


def _service():
    from powerkit.ingest import SERVICE_PATTERNS

    return [p.lower() for p in SERVICE_PATTERNS]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    t0 = time.perf_counter()
    for r in run():
        print(r)
    print(f"total {time.perf_counter() - t0:.1f} s", file=sys.stderr)
