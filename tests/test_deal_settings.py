"""deal.yaml's analysis settings: decision_rule (default and validation) and spreads (the input
ranges of the uncertainty analysis), each problem on one line."""
from __future__ import annotations

import shutil

import pytest
from conftest import DEALS

import powerkit as pk


@pytest.fixture()
def folder(tmp_path):
    shutil.copytree(DEALS / "small-renewal", tmp_path / "d")
    return tmp_path / "d"


def _with(folder, text):
    y = folder / "deal.yaml"
    y.write_text(y.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_spreads_are_read(folder):
    _with(folder, "spreads: {stance: 0.3, money: 0.1, parties: 0.05}\n")
    assert pk.load_deal(folder).meta.spreads == (("stance", 0.3), ("money", 0.1),
                                                 ("parties", 0.05))


def test_bad_spreads_every_problem_on_one_line(folder):
    _with(folder, "spreads: {stance: 0.3, colour: 2, rating: -1, money: yes}\n")
    with pytest.raises(pk.DealError) as err:
        pk.load_deal(folder)
    lines = str(err.value).splitlines()[1:]
    assert lines == [
        "  deal.yaml, key 'spreads.colour'; expected a numeric column, a table or one of money, "
        "probability, rating, stance, weight",
        "  deal.yaml, key 'spreads.rating': got -1; expected a number >= 0",
        "  deal.yaml, key 'spreads.money': got True; expected a number >= 0",
    ]


def test_decision_rule_default_and_refusals(folder):
    # small-renewal: nobody holds votes, no quota → sign_off, as before the rule existed
    assert pk.load_deal(folder).meta.decision_rule == "sign_off"
    _with(folder, "decision_rule: quota\n")
    with pytest.raises(pk.DealError, match="a quota in deal.yaml"):
        pk.load_deal(folder)


def test_decision_rule_must_be_known(folder):
    _with(folder, "decision_rule: unanimity\n")
    with pytest.raises(pk.DealError, match="one of sign_off, quota, quota_and_sign_off"):
        pk.load_deal(folder)


def test_spreads_reach_the_ranges(folder):
    """A wider money spread in deal.yaml widens the price's range (same seed, same draws of the
    other inputs' uniforms)."""
    from powerkit.uncertainty import uncertainty

    base = uncertainty(pk.load_deal(folder), n=400, sobol_n=None, flip=False)
    _with(folder, "spreads: {money: 0.2}\n")
    wide = uncertainty(pk.load_deal(folder), n=400, sobol_n=None, flip=False)
    (lo0, hi0), (lo1, hi1) = base.range_of("predicted_price"), wide.range_of("predicted_price")
    assert hi1 - lo1 > hi0 - lo0
    assert wide.settings["spreads"] == {"money": 0.2}
