"""powerkit ingest (issue 17.2): interaction logs → ties, with counts known by construction.

Where each expected number comes from:
- the synthetic logs are generated here from a list of messages and meetings; the expected counts
  per directed pair are counted from that list by plain Python loops (an independent method:
  no SQL, no unnesting), after the filters applied by hand (mass mails, service accounts,
  outside addresses);
- the decay case is derived by hand in the comments (2^(−t/h));
- the pseudonyms are recomputed with HMAC written out from its definition (RFC 2104:
  H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m))) on hashlib.sha256, not with the hmac module.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from powerkit.cli import app
from powerkit.deal import load_deal
from powerkit.errors import InputError
from powerkit.ingest import LogError, ingest_log, pseudonym, read_key

KEY = b"test-key-0123456789abcdef"
OTHER_KEY = b"another-key-0123456789abcdef"
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
SERVICE = ("noreply", "no-reply", "room-", "calendar", "mailer-daemon")


def _hmac_by_definition(key: bytes, msg: bytes) -> str:
    """HMAC-SHA256 from RFC 2104's formula (block size 64 bytes)."""
    k = key.ljust(64, b"\0") if len(key) <= 64 else hashlib.sha256(key).digest().ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in k) + msg).digest()
    return hashlib.sha256(bytes(b ^ 0x5C for b in k) + inner).hexdigest()


def _write_generic(path: Path, items) -> None:
    """items: (sender, [recipients], time, kind)."""
    lines = ["sender,recipients,timestamp,kind"]
    for s, rs, t, k in items:
        lines.append(f"{s},{';'.join(rs)},{t.isoformat()},{k}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _expected_counts(items, *, max_recipients=20, domain="acme.com"):
    """Messages and meetings per directed pair (a listens to b), counted by loops."""
    def ok(x):
        return x.endswith("@" + domain) and not any(p in x for p in SERVICE)

    msgs, meets = Counter(), Counter()
    for s, rs, _, k in items:
        rs = list(dict.fromkeys(rs))
        if len(rs) > max_recipients:
            continue  # mass mail / large meeting
        if k == "message":
            for r in rs:
                if r != s and ok(s) and ok(r):
                    msgs[(s, r)] += 1
        else:
            people = list(dict.fromkeys([s] + rs))
            for a in people:
                for b in people:
                    if a != b and ok(a) and ok(b):
                        meets[(a, b)] += 1
    return msgs, meets


def _synthetic(seed=1, n_people=12, n_items=400):
    rng = random.Random(seed)
    people = [f"person{i}@acme.com" for i in range(n_people)]
    extra = ["noreply@acme.com", "room-3b@acme.com", "eve@other.org"]
    items = []
    for j in range(n_items):
        s = rng.choice(people + extra[:1])
        k = "meeting" if rng.random() < 0.2 else "message"
        rs = rng.sample(people + extra, rng.randint(1, 4))
        items.append((s, rs, T0 + timedelta(hours=j), k))
    # mass mails: 25 recipients (> 20), must vanish
    for j in range(5):
        items.append((people[0], people[1:] + [f"x{i}@acme.com" for i in range(14)],
                      T0 + timedelta(hours=j, minutes=30), "message"))
    return items


def test_counts_equal_loops_without_decay(tmp_path):
    items = _synthetic()
    log = tmp_path / "log.csv"
    _write_generic(log, items)
    r = ingest_log(log, half_life=None, reciprocity=0.0, domains=("acme.com",))
    msgs, meets = _expected_counts(items)
    got = {(a, b): (m, g) for a, b, m, g in
           r.detail[["source", "target", "messages", "meetings"]].itertuples(index=False)}
    want = {p: (msgs[p], meets[p]) for p in set(msgs) | set(meets)}
    assert got == want
    # without decay and reciprocity the weight is messages + meetings (β = 1)
    assert (r.ties["weight"] == r.detail["messages"] + r.detail["meetings"]).all()
    assert r.summary["mass_mails_dropped"] == 5
    everyone = set(r.people["stakeholder"])
    assert "noreply@acme.com" not in everyone and "room-3b@acme.com" not in everyone
    assert "eve@other.org" not in everyone
    assert set(r.ties["kind"]) == {"influence"}


def test_weights_with_reciprocity_and_meeting_weight(tmp_path):
    items = _synthetic(seed=7)
    log = tmp_path / "log.csv"
    _write_generic(log, items)
    beta, rho = 2.0, 0.5
    r = ingest_log(log, half_life=None, reciprocity=rho, meeting_weight=beta,
                   domains=("acme.com",), min_count=3)
    msgs, meets = _expected_counts(items)
    inten = {p: msgs[p] + beta * meets[p] for p in set(msgs) | set(meets)}
    want = {}
    for (a, b), i in inten.items():
        if msgs[(a, b)] + meets[(a, b)] < 3:
            continue
        back = inten.get((b, a), 0.0)
        rec = min(i, back) / max(i, back)
        want[(a, b)] = i * (1 + rho * rec)
    got = dict(zip(zip(r.ties["source"], r.ties["target"], strict=True), r.ties["weight"], strict=True))
    assert got.keys() == want.keys()
    for p, w in want.items():
        assert got[p] == pytest.approx(w, rel=1e-12)


def test_decay_by_hand(tmp_path):
    # a → b: messages at the as-of time and 10 days earlier; b → a: one message 20 days earlier.
    # Half-life h = 10 days: m_ab = 2^0 + 2^-1 = 1.5; m_ba = 2^-2 = 0.25.
    # Reciprocity r = 0.25 / 1.5 = 1/6 on both; with ρ = 1: w_ab = 1.5 · 7/6 = 1.75,
    # w_ba = 0.25 · 7/6 = 0.291666…
    t = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)
    items = [("a@acme.com", ["b@acme.com"], t, "message"),
             ("a@acme.com", ["b@acme.com"], t - timedelta(days=10), "message"),
             ("b@acme.com", ["a@acme.com"], t - timedelta(days=20), "message")]
    log = tmp_path / "log.csv"
    _write_generic(log, items)
    r = ingest_log(log, half_life=10)
    d = r.detail.set_index(["source", "target"])
    assert d.loc[("a@acme.com", "b@acme.com"), "messages_decayed"] == pytest.approx(1.5)
    assert d.loc[("b@acme.com", "a@acme.com"), "messages_decayed"] == pytest.approx(0.25)
    assert d.loc[("a@acme.com", "b@acme.com"), "reciprocity"] == pytest.approx(1 / 6)
    assert d.loc[("a@acme.com", "b@acme.com"), "weight"] == pytest.approx(1.75)
    assert d.loc[("b@acme.com", "a@acme.com"), "weight"] == pytest.approx(0.25 * 7 / 6)
    # --as-of: the end of 2024-07-10 UTC is 10.5 days after t: every weight halves once more
    # and 2^(-0.5/10) on top; the message after the as-of date is dropped
    r2 = ingest_log(log, half_life=10, as_of="2024-07-10")
    f = 2 ** (-(10.5 - 1e-6 / 86400) / 10)  # end of day = 23:59:59.999999: 10.5 d − 1 µs
    d2 = r2.detail.set_index(["source", "target"])
    assert d2.loc[("a@acme.com", "b@acme.com"), "messages_decayed"] == pytest.approx(1.5 * f)
    r3 = ingest_log(log, half_life=10, as_of="2024-06-25")  # the message of 06-30 is dropped
    assert r3.detail[["source", "target", "messages"]].values.tolist() == [
        ["a@acme.com", "b@acme.com", 1.0], ["b@acme.com", "a@acme.com", 1.0]]


def test_meeting_ties_every_pair_both_ways(tmp_path):
    t = T0
    log = tmp_path / "log.csv"
    _write_generic(log, [("a@acme.com", ["b@acme.com", "c@acme.com"], t, "meeting")])
    r = ingest_log(log, half_life=None, reciprocity=0)
    pairs = set(zip(r.ties["source"], r.ties["target"], strict=True))
    people = ["a@acme.com", "b@acme.com", "c@acme.com"]
    assert pairs == {(x, y) for x in people for y in people if x != y}
    assert (r.detail["meetings"] == 1).all() and (r.detail["messages"] == 0).all()


def test_pseudonyms_keyed_and_stable(tmp_path):
    items = _synthetic(seed=3, n_items=100)
    log = tmp_path / "log.csv"
    _write_generic(log, items)
    a = ingest_log(log, key=KEY, domains=("acme.com",))
    b = ingest_log(log, key=KEY, domains=("acme.com",))
    c = ingest_log(log, key=OTHER_KEY, domains=("acme.com",))
    assert a.ties.equals(b.ties) and a.mapping == b.mapping
    assert set(a.mapping) == set(c.mapping)
    assert all(a.mapping[x] != c.mapping[x] for x in a.mapping)
    for address, p in a.mapping.items():
        assert p == "p-" + _hmac_by_definition(KEY, address.encode())[:12]
    assert pseudonym("  Person1@ACME.com ", KEY) == pseudonym("person1@acme.com", KEY)
    plain = ingest_log(log, domains=("acme.com",))
    back = {v: k for k, v in a.mapping.items()}
    assert sorted(zip(a.ties["source"].map(back), a.ties["target"].map(back), strict=True)) == sorted(
        zip(plain.ties["source"], plain.ties["target"], strict=True))


def test_read_key(tmp_path):
    f = tmp_path / "key.txt"
    f.write_bytes(KEY + b"\n")
    assert read_key(f, environ={}) == KEY
    assert read_key(environ={"POWERKIT_PSEUDONYM_KEY": KEY.decode()}) == KEY
    with pytest.raises(InputError, match="no pseudonymisation key"):
        read_key(environ={})
    with pytest.raises(InputError, match="at least 16"):
        read_key(environ={"POWERKIT_PSEUDONYM_KEY": "short"})


def _all_output_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_cli_writes_valid_deal_without_addresses(tmp_path):
    items = _synthetic(seed=5, n_items=200)
    log = tmp_path / "log.csv"
    _write_generic(log, items)
    (tmp_path / "key").write_bytes(KEY)
    out, mapping = tmp_path / "deal", tmp_path / "private" / "map.csv"
    r = CliRunner().invoke(app, ["ingest", str(log), "--out", str(out), "--domain", "acme.com",
                                 "--key-file", str(tmp_path / "key"), "--mapping", str(mapping),
                                 "--party", "acme", "--half-life", "30"])
    assert r.exit_code == 0, r.output
    deal = load_deal(out)  # passes powerkit validate
    assert len(deal.stakeholders) > 0 and deal.has("ties")
    blob = _all_output_bytes(out).lower()
    addresses = {x for s, rs, _, _ in items for x in [s, *rs]}
    for a in addresses:
        assert a.encode() not in blob, a
        assert a.split("@")[0].encode() not in blob, a  # local parts (person3, noreply, eve...)
    assert KEY not in _all_output_bytes(out)
    m = pd.read_csv(mapping)
    assert set(m["pseudonym"]) == set(pd.read_csv(out / "stakeholders.csv")["stakeholder"])
    assert oct(mapping.stat().st_mode & 0o777) == "0o600"
    summary = json.loads((out / "ingest" / "summary.json").read_text())
    assert summary["pseudonymised"] is True and summary["half_life_days"] == 30


def test_cli_refusals(tmp_path):
    log = tmp_path / "log.csv"
    _write_generic(log, _synthetic(n_items=20))
    run = lambda *a, env=None: CliRunner().invoke(app, ["ingest", str(log), *a], env=env)  # noqa: E731
    r = run("--out", str(tmp_path / "d1"), env={"POWERKIT_PSEUDONYM_KEY": ""})
    assert r.exit_code == 2 and "no pseudonymisation key" in r.output
    r = run("--out", str(tmp_path / "d2"), "--mapping", str(tmp_path / "d2" / "map.csv"),
            env={"POWERKIT_PSEUDONYM_KEY": KEY.decode()})
    assert r.exit_code == 2 and "inside the output folder" in r.output
    assert not (tmp_path / "d2" / "map.csv").exists()
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    r = run("--out", str(tmp_path / "full"), "--keep-addresses")
    assert r.exit_code == 2 and "not an empty folder" in r.output
    r = run("--out", str(tmp_path / "d3"), "--keep-addresses", "--format", "csv")
    assert r.exit_code == 2 and "expected one of generic" in r.output
    r = run("--out", str(tmp_path / "d4"), "--keep-addresses", "--as-of", "1 March")
    assert r.exit_code == 2 and "--as-of" in r.output
    assert "Traceback" not in r.output


# ------------------------------------------------------------------------------- other formats


def test_message_trace_counts_each_message_recipient_once(tmp_path):
    # message m1: a → b, c, seen as RECEIVE on two servers and DELIVER per mailbox, plus a SEND
    # (to the internet) and a FAIL that must not count; m2: b → a delivered twice (duplicate
    # line); m3: a mass mail of 21 recipients split over two DELIVER events.
    rows = ["Timestamp,EventId,Source,MessageId,Sender,Recipients,MessageSubject"]
    t = "2024-05-02T10:00:00Z"
    rows += [f"{t},RECEIVE,SMTP,<m1@acme.com>,a@acme.com,b@acme.com;c@acme.com,hello",
             f"{t},RECEIVE,STOREDRIVER,<m1@acme.com>,a@acme.com,b@acme.com;c@acme.com,hello",
             f"{t},DELIVER,STOREDRIVER,<m1@acme.com>,a@acme.com,b@acme.com,hello",
             f"{t},DELIVER,STOREDRIVER,<m1@acme.com>,a@acme.com,c@acme.com,hello",
             f"{t},SEND,SMTP,<m1@acme.com>,a@acme.com,z@other.org,hello",
             f"{t},FAIL,SMTP,<m1@acme.com>,a@acme.com,d@acme.com,hello",
             "2024-05-03T10:00:00Z,DELIVER,STOREDRIVER,<m2@acme.com>,b@acme.com,a@acme.com,re",
             "2024-05-03T10:00:00Z,DELIVER,STOREDRIVER,<m2@acme.com>,b@acme.com,a@acme.com,re"]
    many = [f"u{i}@acme.com" for i in range(21)]
    rows += [f"{t},DELIVER,STOREDRIVER,<m3@acme.com>,a@acme.com,{';'.join(many[:11])},news",
             f"{t},DELIVER,STOREDRIVER,<m3@acme.com>,a@acme.com,{';'.join(many[11:])},news"]
    log = tmp_path / "trace.csv"
    log.write_text("\n".join(rows) + "\n")
    r = ingest_log(log, "message-trace", half_life=None, reciprocity=0)
    got = sorted(r.detail[["source", "target", "messages"]].values.tolist())
    assert got == [["a@acme.com", "b@acme.com", 1.0], ["a@acme.com", "c@acme.com", 1.0],
                   ["b@acme.com", "a@acme.com", 1.0]]
    assert r.summary["mass_mails_dropped"] == 1


def test_viva_p2p(tmp_path):
    # Primary invests time in Secondary → Primary listens to Secondary. Two weeks for P1 → P2:
    # 3 + 2 e-mails, 1 + 0 meetings; P2 → P1: 1 e-mail; P3 → P1 zero of both (no tie).
    log = tmp_path / "p2p.csv"
    log.write_text(
        "PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,Email_count,"
        "Meeting_count,PrimaryCollaborator_Organization\n"
        "P1,P2,4/28/2024,3,1,Sales\nP1,P2,5/5/2024,2,0,Sales\nP2,P1,5/5/2024,1,0,IT\n"
        "P3,P1,2024-05-05,0,0,IT\n")
    r = ingest_log(log, "viva-p2p", half_life=None, reciprocity=0)
    got = sorted(r.detail[["source", "target", "messages", "meetings"]].values.tolist())
    assert got == [["P1", "P2", 5.0, 1.0], ["P2", "P1", 1.0, 0.0]]
    assert r.summary["as_of"].startswith("2024-05-05")


def _slack_export(root: Path) -> None:
    root.mkdir()
    users = [{"id": "U1", "name": "ana", "profile": {"email": "ana@acme.com", "real_name": "A"}},
             {"id": "U2", "name": "bo", "profile": {"email": "bo@acme.com"}},
             {"id": "U3", "name": "cy", "profile": {"email": "cy@acme.com"}},
             {"id": "B1", "name": "bot", "is_bot": True, "profile": {}}]
    (root / "users.json").write_text(json.dumps(users))
    (root / "channels.json").write_text(json.dumps(
        [{"id": "C1", "name": "general", "members": ["U1", "U2", "U3"]}]))
    (root / "dms.json").write_text(json.dumps([{"id": "D1", "members": ["U1", "U3"]}]))
    (root / "general").mkdir()
    (root / "general" / "2024-02-01.json").write_text(json.dumps([
        {"type": "message", "user": "U1", "ts": "1706780000.000100", "text": "plan?",
         "reply_users": ["U2", "U3"], "thread_ts": "1706780000.000100"},
        {"type": "message", "user": "U2", "ts": "1706780100.000200", "text": "yes",
         "thread_ts": "1706780000.000100", "parent_user_id": "U1"},
        {"type": "message", "user": "U3", "ts": "1706780200.000300", "text": "no",
         "thread_ts": "1706780000.000100"},  # no parent_user_id: found from the parent message
        {"type": "message", "subtype": "channel_join", "user": "U3", "ts": "1706780300.0"},
        {"type": "message", "subtype": "bot_message", "bot_id": "B1", "ts": "1706780400.0"},
    ]))
    (root / "general" / "2024-02-02.json").write_text(json.dumps([
        {"type": "message", "user": "U2", "ts": "1706866400.000100", "text": "again",
         "thread_ts": "1706780000.000100", "parent_user_id": "U1"}]))
    (root / "D1").mkdir()
    (root / "D1" / "2024-02-02.json").write_text(json.dumps([
        {"type": "message", "user": "U3", "ts": "1706866500.000100", "text": "hi"},
        {"type": "message", "user": "U1", "ts": "1706866600.000100", "text": "hi back"}]))


def test_slack(tmp_path):
    # replies: U2 → U1 twice, U3 → U1 once; DM D1: U3 → U1, U1 → U3; the top-level channel post
    # of U1 counts only with channel_posts (then U1 → U2 and U1 → U3 once more each).
    root = tmp_path / "export"
    _slack_export(root)
    r = ingest_log(root, "slack", half_life=None, reciprocity=0)
    got = sorted(r.detail[["source", "target", "messages"]].values.tolist())
    assert got == [["ana@acme.com", "cy@acme.com", 1.0], ["bo@acme.com", "ana@acme.com", 2.0],
                   ["cy@acme.com", "ana@acme.com", 2.0]]
    r2 = ingest_log(root, "slack", half_life=None, reciprocity=0, slack_channel_posts=True)
    got2 = sorted(r2.detail[["source", "target", "messages"]].values.tolist())
    assert got2 == [["ana@acme.com", "bo@acme.com", 1.0], ["ana@acme.com", "cy@acme.com", 2.0],
                    ["bo@acme.com", "ana@acme.com", 2.0], ["cy@acme.com", "ana@acme.com", 2.0]]


# ------------------------------------------------------------------------------------ bad logs


def _problems(path, fmt="generic", **kw) -> list[str]:
    with pytest.raises(LogError) as exc:
        ingest_log(path, fmt, **kw)
    return exc.value.problems


def test_bad_logs(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("sender,recipient,timestamp\na@x.org,b@x.org,2024-01-01\n")
    [line] = _problems(p)
    assert "row 1: missing column 'recipients'" in line and "the header has sender, recipient" \
        in line
    p.write_text("sender,recipients,timestamp\na@x.org,b@x.org,2024-01-01\n"
                 "a@x.org,b@x.org,yesterday\n,b@x.org,2024-01-02\na@x.org,;,2024-01-02\n")
    lines = _problems(p)
    assert f"{p}, row 3, column 'timestamp': got 'yesterday'; expected an ISO 8601" in lines[2]
    assert f"{p}, row 4, column 'sender': blank; expected the sender's address" == lines[0]
    assert f"{p}, row 5, column 'recipients': got ';'; expected one or more" in lines[1]
    p.write_bytes(b"sender,recipients,timestamp\na@x.org,b@x.org,2024-01-01\n"
                  b"a@x.org,b\xe9@x.org,2024-01-01\na@x.org,2024-01-01\n")
    lines = _problems(p)
    assert lines == [f"{p}, row 3, column 'recipients': not UTF-8; expected a UTF-8 CSV: save it "
                     "as 'CSV UTF-8 (comma delimited)'",
                     f"{p}, row 4: 2 values; expected 3 (one per header column; a value holding "
                     "a comma must be in double quotes)"]
    p.write_bytes(b"sender;recipients;timestamp\n")
    assert "separated by semicolons" in _problems(p)[0]
    p.write_bytes(b"")
    assert _problems(p) == [f"{p}: is empty; expected a header row and at least one data row"]
    assert "is a folder" in _problems(tmp_path)[0]
    assert "no such file" in _problems(tmp_path / "missing.csv")[0]
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in _problems(fifo)[0]  # refused without opening (no hang)
    p.write_text("sender,recipients,timestamp\n")
    with pytest.raises(InputError, match="no interaction in the log"):
        ingest_log(p)
    p.write_text("sender,recipients,timestamp,kind\na@x.org,b@x.org,2024-01-01,call\n")
    assert "column 'kind': got 'call'; expected message or meeting" in _problems(p)[0]
    p.write_text("Timestamp,EventId,MessageId,Sender\n2024-01-01,DELIVER,<m>,a@x.org\n")
    assert "missing column 'Recipients'" in _problems(p, "message-trace")[0]
    p.write_text("PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,"
                 "Email_count\nP1,P2,2024-13-45,x\n")
    lines = _problems(p, "viva-p2p")
    assert "row 2, column 'MetricDate': got '2024-13-45'" in lines[0]
    assert "row 2, column 'Email_count': got 'x'; expected a number ≥ 0" in lines[1]
    assert "not a folder" in _problems(p, "slack")[0]
    (tmp_path / "sl").mkdir()
    assert any("users.json: no such file" in x for x in _problems(tmp_path / "sl", "slack"))


def test_bad_row_found_far_down(tmp_path):
    # 300,000 rows (DuckDB scans them in parallel chunks); rows 123,457 and 299,999 (header = row
    # 1) hold a bad time: the row numbers are the file's
    p = tmp_path / "big.csv"
    lines = ["sender,recipients,timestamp"] + [
        f"a{i % 50}@x.org,b{i % 70}@x.org,2024-01-01T00:00:00" for i in range(300_000)]
    lines[123_456] = "a@x.org,b@x.org,2024-02-30"
    lines[299_998] = "a@x.org,b@x.org,"
    p.write_text("\n".join(lines) + "\n")
    assert _problems(p) == [
        f"{p}, row 123457, column 'timestamp': got '2024-02-30'; expected an ISO 8601 time such "
        "as 2024-03-01T09:30:00 (UTC) or 2024-03-01T09:30:00+01:00",
        f"{p}, row 299999, column 'timestamp': blank; expected an ISO 8601 time such as "
        "2024-03-01T09:30:00 (UTC) or 2024-03-01T09:30:00+01:00"]


def test_cli_bad_log_exit_2(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("sender,recipients,timestamp\na@x.org,b@x.org,soon\na@x.org,b@x.org,later\n")
    r = CliRunner().invoke(app, ["ingest", str(p), "--out", str(tmp_path / "d"),
                                 "--keep-addresses"])
    assert r.exit_code == 2
    assert r.output.strip().splitlines() == [
        f"{p}, row 2, column 'timestamp': got 'soon'; expected an ISO 8601 time such as "
        "2024-03-01T09:30:00 (UTC) or 2024-03-01T09:30:00+01:00",
        f"{p}, row 3, column 'timestamp': got 'later'; expected an ISO 8601 time such as "
        "2024-03-01T09:30:00 (UTC) or 2024-03-01T09:30:00+01:00"]
    assert not (tmp_path / "d").exists()


# ------------------------------------------------------------------------------ property test

address = st.sampled_from([f"p{i}@acme.com" for i in range(6)] + ["noreply@acme.com",
                                                                   "x@other.org"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(address, st.lists(address, min_size=1, max_size=5),
                          st.integers(0, 1000), st.sampled_from(["message", "meeting"])),
                min_size=1, max_size=40))
def test_property_counts_equal_loops(tmp_path, raw):
    items = [(s, rs, T0 + timedelta(hours=h), k) for s, rs, h, k in raw]
    log = tmp_path / "prop.csv"
    _write_generic(log, items)
    msgs, meets = _expected_counts(items, max_recipients=3)
    want = {p: (msgs[p], meets[p]) for p in set(msgs) | set(meets)}
    if not want:
        return
    r = ingest_log(log, half_life=None, max_recipients=3, domains=("acme.com",))
    got = {(a, b): (m, g) for a, b, m, g in
           r.detail[["source", "target", "messages", "meetings"]].itertuples(index=False)}
    assert got == want


def test_merge_into_existing_deal(tmp_path):
    # deal from log 1: a → b twice, b → a once; log 2: a → b once (replaces that tie), b → c once
    # (a new tie and a new person). Weights without decay, ρ = 0: counts.
    t = T0
    log1, log2 = tmp_path / "one.csv", tmp_path / "two.csv"
    _write_generic(log1, [("a@acme.com", ["b@acme.com"], t, "message")] * 2
                   + [("b@acme.com", ["a@acme.com"], t, "message")])
    _write_generic(log2, [("a@acme.com", ["b@acme.com"], t, "message"),
                          ("b@acme.com", ["c@acme.com"], t, "message")])
    out = tmp_path / "deal"
    args = ["--out", str(out), "--keep-addresses", "--half-life", "0", "--reciprocity", "0",
            "--party", "acme"]
    assert CliRunner().invoke(app, ["ingest", str(log1), *args]).exit_code == 0
    r = CliRunner().invoke(app, ["ingest", str(log2), *args, "--merge"])
    assert r.exit_code == 0, r.output
    ties = pd.read_csv(out / "ties.csv").sort_values(["source", "target"])
    assert ties[["source", "target", "weight"]].values.tolist() == [
        ["a@acme.com", "b@acme.com", 1.0], ["b@acme.com", "a@acme.com", 1.0],
        ["b@acme.com", "c@acme.com", 1.0]]
    assert sorted(pd.read_csv(out / "stakeholders.csv")["stakeholder"]) == [
        "a@acme.com", "b@acme.com", "c@acme.com"]
    load_deal(out)
    r = CliRunner().invoke(app, ["ingest", str(log2), *args[:-1], "other", "--merge"])
    assert r.exit_code == 2 and "not a party of" in r.output
    r = CliRunner().invoke(app, ["ingest", str(log2), "--out", str(tmp_path / "none"),
                                 "--keep-addresses", "--merge"])
    assert r.exit_code == 2 and "is not a deal folder" in r.output


def test_without_duckdb(tmp_path, monkeypatch):
    import sys

    log = tmp_path / "log.csv"
    _write_generic(log, [("a@acme.com", ["b@acme.com"], T0, "message")])
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now raises ImportError
    with pytest.raises(InputError, match=r"pip install 'powerkit\[ingest\]'"):
        ingest_log(log)


def test_excel_style_csv(tmp_path):
    # Excel's "CSV UTF-8": a BOM, CRLF line ends, quoted cells; addresses typed with capitals,
    # spaces around ';' and a trailing ';' are the same people
    log = tmp_path / "excel.csv"
    log.write_bytes(b"\xef\xbb\xbfsender,recipients,timestamp\r\n"
                    b"Ana@Acme.com , bo@acme.com ; CY@acme.com;,2024-01-02T10:00:00Z\r\n"
                    b'"bo@acme.com","ana@acme.com",2024-01-03\r\n')
    r = ingest_log(log, half_life=None, reciprocity=0)
    assert sorted(r.detail[["source", "target", "messages"]].values.tolist()) == [
        ["ana@acme.com", "bo@acme.com", 1.0], ["ana@acme.com", "cy@acme.com", 1.0],
        ["bo@acme.com", "ana@acme.com", 1.0]]
