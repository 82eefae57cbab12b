"""Anonymising never raises and names nobody, whatever text names, titles and free text hold.

Property tests (hypothesis) on a small synthetic deal whose names, titles and free-text cells are
replaced by arbitrary Unicode text — backslashes, ``$``, ``\\g<0>``, regex metacharacters, NUL
(the loader accepts it in a CSV cell) — and free text that quotes the names."""
from __future__ import annotations

import re

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import powerkit as pk
from powerkit.deal.anonymise import _TEXT
from powerkit.deal.synthetic import make_deal

DEAL = make_deal(8, seed=3)
SPECIAL = ["\\", "$", "\\g<0>", "\\1", "\\O", "(", "[", "*", "?", "|", "^", ".", "\x00", "é", "Σ", "'"]
# the loader strips cells and reads a blank as missing: names are stripped and non-empty
cell = st.one_of(st.text(), st.lists(st.sampled_from(SPECIAL) | st.text(max_size=3), max_size=5).map("".join))
name = cell.map(str.strip).filter(bool)
optional = cell.map(lambda s: s.strip() or None)


def _occurs(needle: str, text: str) -> bool:
    """``needle`` in ``text`` not glued to a word character at an edge that is one."""
    word = lambda c: bool(re.match(r"\w", c))  # noqa: E731
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        ok_head = not word(needle[0]) or start == 0 or not word(text[start - 1])
        ok_tail = not word(needle[-1]) or end == len(text) or not word(text[end])
        if ok_head and ok_tail:
            return True
        start = text.find(needle, start + 1)
    return False


def _hostile_deal(data):
    n = len(DEAL.stakeholders)
    names = data.draw(st.lists(name, min_size=n, max_size=n), label="names")
    titles = data.draw(st.lists(optional, min_size=n, max_size=n), label="titles")
    s = DEAL.stakeholders.copy()
    s["name"], s["title"] = names, titles
    quoted = st.lists(st.sampled_from(names) | optional.map(lambda t: t or ""), max_size=4).map(" ".join)
    changes = {"stakeholders": s}
    for table, cols in _TEXT.items():
        df = getattr(DEAL, table).copy()
        for c in cols:
            df[c] = data.draw(st.lists(quoted, min_size=len(df), max_size=len(df)), label=f"{table}.{c}")
        changes[table] = df
    return DEAL.replace(**changes)


def _texts(deal):
    yield from deal.stakeholders["name"]
    yield from deal.stakeholders["title"]
    for table, cols in _TEXT.items():
        for c in cols:
            yield from getattr(deal, table)[c]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_anonymise_never_raises_and_names_nobody(data):
    deal = _hostile_deal(data)
    anon = pk.anonymise(deal)
    ids = [f"P{i:02d}" for i in range(1, len(deal.stakeholders) + 1)]
    assert list(anon.stakeholders.index) == ids
    pieces = set(deal.stakeholders["name"])
    for n in deal.stakeholders["name"]:
        parts = n.split()
        pieces |= {p for p in (parts[0], parts[-1]) if len(p) > 2} if len(parts) > 1 else set()
    # a name that is itself one of the new ids ("P03") cannot be told from the id
    pieces = {p for p in pieces if not any(_occurs(p, i) for i in ids)}
    texts = [t for t in _texts(anon) if isinstance(t, str)]
    leaks = [(p, t) for p in pieces for t in texts if _occurs(p, t)]
    assert not leaks
    # structure: ids mapped consistently, numbers and non-text columns unchanged
    old = dict(zip(deal.stakeholders.index, ids, strict=True))
    assert anon.stakeholders["reports_to"].tolist() == deal.stakeholders["reports_to"].map(
        lambda v: old.get(v, v)).tolist()
    assert anon.ties["source"].tolist() == deal.ties["source"].map(old).tolist()
    assert anon.ties["target"].tolist() == deal.ties["target"].map(old).tolist()
    num = deal.stakeholders.select_dtypes("number").columns
    pd.testing.assert_frame_equal(anon.stakeholders[num].reset_index(drop=True),
                                  deal.stakeholders[num].reset_index(drop=True))
    for table, cols in _TEXT.items():
        before, after = getattr(deal, table), getattr(anon, table)
        keep = [c for c in before.columns if c not in cols and c not in ("holder", "target")]
        pd.testing.assert_frame_equal(after[keep], before[keep])
        assert len(after) == len(before)
    pd.testing.assert_frame_equal(anon.parties, deal.parties)


def test_backslash_in_title_and_names_with_metacharacters():
    s = DEAL.stakeholders.copy()
    s["title"] = ["Head of IT\\OT Infrastructure", "Boss $1", "\\g<0>", None, "Stakeholder",
                  "Assistant to Ada (CFO) Berg", "Head of IT\\OT Infrastructure", "Director"]
    s["name"] = ["Ada (CFO) Berg", "Ben+ Costa", "Dev $", "Stakeholder", "Elena.*", "Farid",
                 "Greta\\O", "Hugo"]
    q = DEAL.questions.copy()
    q["text"] = "Will Ada (CFO) Berg, Ben+ Costa, Dev $, Elena.* and Greta\\O agree with Berg's plan?"
    anon = pk.anonymise(DEAL.replace(stakeholders=s, questions=q))
    assert anon.stakeholders["name"].tolist() == [
        "Head of IT\\OT Infrastructure 1", "Boss $1", "\\g<0>", "P04", "P05",
        "Assistant to P01", "Head of IT\\OT Infrastructure 2", "Director"]
    assert anon.stakeholders["title"].iloc[5] == "Assistant to P01"
    assert anon.questions["text"].iloc[0] == (
        "Will Head of IT\\OT Infrastructure 1, Boss $1, \\g<0>, P05 and Head of IT\\OT Infrastructure 2"
        " agree with Head of IT\\OT Infrastructure 1's plan?")
