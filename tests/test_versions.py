"""powerkit.versions: input changes between two versions and the exact Shapley attribution of
the change in the balance and the predicted price (issue 15, item 1).

Expected values come from (a) hand-derived games, (b) the permutation definition of the Shapley
value computed by brute force over all orderings (an independent method), and (c) the
efficiency property: on random pairs of synthetic deals the parts add up to the total change
of the headline recomputed directly on the two versions.
"""
from __future__ import annotations

import dataclasses
import itertools
import random

import numpy as np
import pytest
from typer.testing import CliRunner

import powerkit.cli.diff  # noqa: F401 - registers the command
from powerkit.cli import app
from powerkit.deal import load_deal
from powerkit.deal.synthetic import make_deal
from powerkit.paths import sample_deal
from powerkit.power import power_profile
from powerkit.versions import apply_changes, diff, input_changes, shapley


def _permutation_shapley(n, v):
    """Shapley by its definition: the mean marginal contribution over all n! orderings."""
    phi = np.zeros(n)
    orders = list(itertools.permutations(range(n)))
    for order in orders:
        have: list[int] = []
        for i in order:
            before = v(tuple(sorted(have)))
            have.append(i)
            phi[i] += v(tuple(sorted(have))) - before
    return phi / len(orders)


def test_shapley_glove_game_by_hand():
    # Glove game: player 0 holds a left glove, 1 and 2 right gloves; a pair is worth 1.
    # By hand: orders where 0 is pivotal: 0 comes after at least one right glove = 4 of 6
    # orders → φ0 = 4/6 = 2/3; φ1 = φ2 = (1 − 2/3)/2 = 1/6.
    v = lambda S: float(0 in S and (1 in S or 2 in S))  # noqa: E731
    got = shapley(3, v).ravel()
    assert got == pytest.approx([2 / 3, 1 / 6, 1 / 6], abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_shapley_equals_permutation_definition(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 5)
    table = {S: rng.uniform(-1, 1) for k in range(n + 1)
             for S in itertools.combinations(range(n), k)}
    table[()] = 0.3
    got = shapley(n, lambda S: table[S]).ravel()
    assert got == pytest.approx(_permutation_shapley(n, lambda S: table[S]), abs=1e-12)
    assert got.sum() == pytest.approx(table[tuple(range(n))] - table[()], abs=1e-12)


def test_shapley_refuses_too_many_players():
    with pytest.raises(Exception, match="0 to 12"):
        shapley(13, lambda S: 0.0)


@pytest.mark.parametrize("name", ["northwind-vendor", "small-renewal", "harbour-council"])
def test_diff_of_a_deal_with_itself_is_empty(name):
    d = load_deal(sample_deal(name))
    r = diff(d, d)
    assert r.unchanged and r.attribution.empty and not r.headlines["changed"].any()
    assert r.totals["balance"] == 0


def test_one_stance_change_reports_exactly_that_cell():
    d = load_deal(sample_deal("northwind-vendor"))
    st = d.stakeholders.copy()
    who = st.index[st["party"] == d.counterpart][0]
    st.loc[who, "stance"] = -st.loc[who, "stance"] if st.loc[who, "stance"] else 0.5
    new = dataclasses.replace(d, stakeholders=st)
    ch = input_changes(d, new)
    assert [(c.table, c.key, c.column) for c in ch] == [("stakeholders", (who,), "stance")]
    r = diff(d, new)
    assert len(r.attribution) == 1
    # one player: its part is the whole change (efficiency with n = 1)
    assert r.attribution["balance"].iloc[0] == pytest.approx(r.totals["balance"], abs=1e-12)


def _perturb(deal, rng):
    """A later version: a few random cells changed, a tie removed, a deal.yaml date moved."""
    st = deal.stakeholders.copy()
    for who in rng.sample(list(st.index), 3):
        st.loc[who, "stance"] = round(rng.uniform(-1, 1), 2)
    pt = deal.parties.copy()
    p = rng.choice(list(pt.index))
    pt.loc[p, "resources"] = round(rng.uniform(0, 1), 2)
    ties = deal.ties.drop(index=rng.choice(list(deal.ties.index))).reset_index(drop=True)
    meta = dataclasses.replace(deal.meta, as_of=deal.meta.as_of.replace(day=min(28, deal.meta.as_of.day + rng.randint(1, 9))))
    return dataclasses.replace(deal, stakeholders=st, parties=pt, ties=ties, meta=meta)


@pytest.mark.parametrize("seed", range(3))
def test_attribution_adds_up_on_random_synthetic_pairs(seed):
    rng = random.Random(seed)
    old = make_deal(40, seed=seed, roles=True)
    new = _perturb(old, rng)
    assert apply_changes(old, new, input_changes(old, new)).equals(new)
    assert apply_changes(old, new, []).equals(old)
    r = diff(old, new)
    p_old, p_new = power_profile(old), power_profile(new)  # the totals, recomputed directly
    assert r.totals["balance"] == pytest.approx(p_new.balance - p_old.balance, abs=1e-12)
    assert abs(r.attribution["balance"].sum() - r.totals["balance"]) < 1e-9
    if r.totals["predicted_price"] is not None:
        assert abs(r.attribution["predicted_price"].sum() - r.totals["predicted_price"]) < 1e-9 * max(1, abs(p_new.split.price))
    assert not r.notes


def test_null_player_gets_zero():
    # A question's wording is read by no headline of walkthrough 1: its Shapley part must be 0.
    d = load_deal(sample_deal("northwind-vendor"))
    q = d.questions.copy()
    q.loc[0, "text"] = "reworded question"
    st = d.stakeholders.copy()
    who = st.index[st["party"] == d.counterpart][0]
    st.loc[who, "stance"] = 0.8
    new = dataclasses.replace(d, questions=q, stakeholders=st)
    r = diff(d, new).attribution.set_index("player")
    q_part = [p for p in r.index if p.startswith("questions")]
    assert q_part and r.loc[q_part[0], "balance"] == 0


def test_diff_command_tables_and_json(tmp_path):
    path = sample_deal("small-renewal")
    res = CliRunner().invoke(app, ["diff", str(path), str(path)])
    assert res.exit_code == 0 and "no change" in res.output
    res = CliRunner().invoke(app, ["diff", str(path), str(path), "--json"])
    assert res.exit_code == 0
    import json
    assert json.loads(res.output)["changes"] == []


def test_diff_command_bad_version(tmp_path):
    res = CliRunner().invoke(app, ["diff", str(tmp_path / "nope"), str(sample_deal("small-renewal"))])
    assert res.exit_code == 2 and "Traceback" not in res.output


@pytest.mark.parametrize("served", [False, True])
def test_version_widget_computes_later_pairs_ahead_only_when_served(monkeypatch, served):
    """Walkthrough 7's dropdowns: each pair of versions costs 2^k re-analyses, so a served
    dashboard (WARM_ENV=1) computes the other earlier-later pairs in the background, the latest
    first, and a trainee's choice is then a look-up; elsewhere (papermill, nbval) nothing runs
    behind the notebook's back. The comparison itself is replaced by a recording stand-in: the
    numbers are tested above and in tests/test_nb_versions.py; this checks the wiring."""
    from datetime import date
    from types import SimpleNamespace

    import powerkit.widgets as pw
    import powerkit.widgets.versions as wv

    calls, threads = [], []
    monkeypatch.setattr(wv, "version_diff", lambda old, new: calls.append((old, new)) or
                        SimpleNamespace(pair=(old, new)))
    monkeypatch.setattr(wv, "compare_versions", lambda v, o, n, names=None, diff=None:
                        SimpleNamespace(title=f"{o}-{n}", blocks=[], diff=diff))
    warm = pw.Memo.warm
    monkeypatch.setattr(pw.Memo, "warm", lambda self, *a, **k: threads.append(
        warm(self, *a, start_delay=0.0, **k)) or threads[-1])
    if served:
        monkeypatch.setenv(pw.WARM_ENV, "1")
    else:
        monkeypatch.delenv(pw.WARM_ENV, raising=False)
    versions = [SimpleNamespace(as_of=date(2026, i + 1, 1), deal=i, source=f"v{i}")
                for i in range(3)]
    box = wv.build_version_widgets(versions)
    assert calls[0] == (0, 2)  # the default: first to latest, drawn at once
    if not served:
        assert threads == [None] and calls == [(0, 2)]  # no warm-up thread at all
        return
    threads[0].join(30)  # a bound against a hang, not a timing
    assert not threads[0].is_alive()
    assert calls == [(0, 2), (1, 2), (0, 1)]  # ahead: since the last version first
    hits = box.memo.hits
    box.controls["older"].value = 1
    assert box.memo.hits == hits + 1 and box.last.title == "1-2"
    assert box.diff_of((1, 2)).pair == (1, 2) and len(calls) == 3  # nothing computed again
