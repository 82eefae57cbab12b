"""Tests of powerkit.perception (cognitive social structures). Every expected number says where
it comes from: a hand derivation in the comments, an independent computation written here with
plain numpy loops, or a published network (Krackhardt 1987, as in Wasserman & Faust 1994)."""
from __future__ import annotations

import importlib.util
import itertools

import numpy as np
import pandas as pd
import pytest
from conftest import REFERENCE
from hypothesis import given, settings
from hypothesis import strategies as st

from powerkit import load_deal
from powerkit import perception as per
from powerkit.errors import InputError, MissingTableError

# -- a 4-person case by hand ----------------------------------------------------------------------
# Each of a, b, c, d says who goes to whom (source -> target):
#   a: a->b, b->c, c->a, d->a        b: a->b, b->c, d->a
#   c: a->b, c->a, c->d              d: a->b, d->a, d->c
VIEWS = {"a": ["ab", "bc", "ca", "da"], "b": ["ab", "bc", "da"],
         "c": ["ab", "ca", "cd"], "d": ["ab", "da", "dc"]}
PEOPLE = ["a", "b", "c", "d"]


def _table(views):
    return pd.DataFrame([(p, t[0], t[1]) for p, ties in views.items() for t in ties],
                        columns=["perceiver", "source", "target"])


def _ties(df):
    return {s + t for s, t in zip(df["source"], df["target"], strict=True)}


def test_las_by_hand():
    t = _table(VIEWS)
    # row (the source's own report): a says a->b; b says b->c; c says c->a, c->d; d says d->a, d->c
    assert _ties(per.locally_aggregated(t, PEOPLE, rule="row")) == {"ab", "bc", "ca", "cd", "da",
                                                                    "dc"}
    # column (the target's report): a->b by b; c->a and d->a by a; b->c, c->d, d->c not reported
    # by c, d, c
    assert _ties(per.locally_aggregated(t, PEOPLE, rule="column")) == {"ab", "ca", "da"}
    # intersection = row and column; union = row or column
    assert _ties(per.locally_aggregated(t, PEOPLE)) == {"ab", "ca", "da"}
    assert _ties(per.locally_aggregated(t, PEOPLE, rule="union")) == {"ab", "bc", "ca", "cd",
                                                                      "da", "dc"}


def test_cas_by_hand():
    t = _table(VIEWS)
    # reports out of 4: a->b 4 (1.0), d->a 3 (.75), b->c 2 (.5), c->a 2 (.5), c->d 1, d->c 1
    cas = per.consensus(t, 0.5, PEOPLE)
    assert _ties(cas) == {"ab", "bc", "ca", "da"}
    assert dict(zip(cas["source"] + cas["target"], cas["share"], strict=True)) == {
        "ab": 1.0, "bc": 0.5, "ca": 0.5, "da": 0.75}
    assert _ties(per.consensus(t, 1.0, PEOPLE)) == {"ab"}
    assert _ties(per.consensus(t, 0.75, PEOPLE)) == {"ab", "da"}
    assert _ties(per.consensus(t, 0.25, PEOPLE)) == {"ab", "bc", "ca", "cd", "da", "dc"}


def test_the_issue_chain_holds_only_the_other_way_round():
    # Issue 17 writes "intersection ⊆ consensus-at-1.0 ⊆ … ⊆ union". In the hand case the
    # intersection LAS {ab, ca, da} is NOT inside the consensus at 1.0 {ab}: a tie both of its
    # people report need not be reported by everyone. What holds (and is tested as a property
    # below): consensus(1.0) ⊆ intersection ⊆ row, column ⊆ union ⊆ consensus(1/K).
    t = _table(VIEWS)
    inter = _ties(per.locally_aggregated(t, PEOPLE))
    cas1 = _ties(per.consensus(t, 1.0, PEOPLE))
    assert not inter <= cas1
    assert cas1 <= inter


def test_accuracy_by_hand():
    t = _table(VIEWS)
    acc = per.accuracy(t, people=PEOPLE)   # against the intersection {ab, ca, da}: 3 of 12 cells
    # a: ab, ca, da hits; bc a false alarm; no miss; 12 - 4 = 8 correct rejections
    # phi = (3·8 − 1·0) / √((3+1)(0+8)(3+0)(1+8)) = 24 / √864 = 0.81650
    assert acc.loc["a", ["hits", "false_alarms", "misses", "correct_rejections"]].tolist() == [
        3, 1, 0, 8]
    assert acc.loc["a", "accuracy"] == pytest.approx(24 / np.sqrt(864))
    # b: ab, da hits; bc false alarm; ca missed; 8 correct rejections
    # phi = (2·8 − 1·1) / √(3·9·3·9) = 15/27
    assert acc.loc["b", ["hits", "false_alarms", "misses", "correct_rejections"]].tolist() == [
        2, 1, 1, 8]
    assert acc.loc["b", "accuracy"] == pytest.approx(15 / 27)
    assert acc.loc["b", "hit_rate"] == pytest.approx(2 / 3)
    assert acc.loc["b", "false_alarm_rate"] == pytest.approx(1 / 9)


def test_views_by_hand():
    t = _table(VIEWS)
    v = per.influential_views(t, top=1, people=PEOPLE)
    # consensus(0.5) {ab, bc, ca, da}: in-degree a 2, b 1, c 1, d 0 -> top a
    assert v.attrs["reference_top"] == ["a"]
    # a's view: in-degree a 2 (c, d), b 1, c 1, d 0 = the consensus ranking -> rho 1
    assert v.loc["a", "spearman"] == pytest.approx(1.0)
    # c's view {ab, ca, cd}: a 1, b 1, c 0, d 1; ranks (3, 3, 1, 3) vs consensus (4, 2.5, 2.5, 1)
    x, y = pd.Series([1, 1, 0, 1]).rank(), pd.Series([2, 1, 1, 0]).rank()
    assert v.loc["c", "spearman"] == pytest.approx(np.corrcoef(x, y)[0, 1])
    # c's top 1: a, b and d tie at 1; the first in the order of people wins
    assert v.loc["c", "top"] == "a"


# -- properties -------------------------------------------------------------------------------------
@st.composite
def css_tables(draw, min_n=2, max_n=6):
    n = draw(st.integers(min_n, max_n))
    people = [f"p{i}" for i in range(n)]
    cells = [(k, i, j) for k in range(n) for i in range(n) for j in range(n) if i != j]
    on = draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells)))
    rows = [(people[k], people[i], people[j]) for (k, i, j), b in zip(cells, on, strict=True)
            if b]
    return pd.DataFrame(rows, columns=["perceiver", "source", "target"]), people


@settings(max_examples=60, deadline=None)
@given(css_tables(), st.floats(0.05, 1.0), st.floats(0.05, 1.0))
def test_structures_are_nested(case, t1, t2):
    t, people = case
    kw = dict(people=people, perceivers=people)
    inter = _ties(per.locally_aggregated(t, rule="intersection", **kw))
    row = _ties(per.locally_aggregated(t, rule="row", **kw))
    col = _ties(per.locally_aggregated(t, rule="column", **kw))
    union = _ties(per.locally_aggregated(t, rule="union", **kw))
    lo, hi = sorted((t1, t2))
    cas_lo = _ties(per.consensus(t, lo, **kw))
    cas_hi = _ties(per.consensus(t, hi, **kw))
    cas_all = _ties(per.consensus(t, 1.0, **kw))
    cas_any = _ties(per.consensus(t, 1 / len(people), **kw))
    assert cas_hi <= cas_lo                       # a higher threshold keeps fewer ties
    assert cas_all <= inter <= row <= union       # everyone ⊆ both ⊆ the source ⊆ either
    assert inter <= col <= union
    assert union <= cas_any                       # either of the two is one of the K
    assert row == _ties(per.consensus(t, 1e-9, **kw)) & row


@settings(max_examples=60, deadline=None)
@given(css_tables(min_n=3))
def test_exact_reporter_is_perfect_and_silent_reporter_has_no_hit(case):
    t, people = case
    # a reference network: the first view; a perceiver reporting exactly it is perfect
    first = t[t["perceiver"] == people[0]][["source", "target"]]
    acc = per.accuracy(t, reference=first, people=people, perceivers=people)
    a = acc.loc[people[0]]
    assert (a["hits"], a["false_alarms"], a["misses"]) == (len(first), 0, 0)
    assert a["accuracy"] == 1.0
    # a perceiver who reports nothing: no hit, no false alarm, every reference tie missed
    silent = t[t["perceiver"] != people[1]]
    acc = per.accuracy(silent, reference=first, people=people, perceivers=people)
    s = acc.loc[people[1]]
    assert (s["hits"], s["false_alarms"], s["misses"]) == (0, 0, len(first))
    assert s["accuracy"] == (1.0 if len(first) == 0 else 0.0)


@settings(max_examples=40, deadline=None)
@given(css_tables(min_n=3))
def test_unanimous_views_are_every_structure_and_perfectly_seen(case):
    t, people = case
    g = t[t["perceiver"] == people[0]][["source", "target"]]
    same = pd.concat([g.assign(perceiver=p) for p in people])[["perceiver", "source", "target"]]
    truth = _ties(g)
    for rule in per.RULES:
        assert _ties(per.locally_aggregated(same, people, rule=rule, perceivers=people)) == truth
    assert _ties(per.consensus(same, 1.0, people, perceivers=people)) == truth
    assert (per.accuracy(same, people=people, perceivers=people)["accuracy"] == 1.0).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_phi_is_the_correlation_and_s14_up_to_sign(a, b, c, d):
    # independent: Pearson correlation of the two 0/1 vectors the 2x2 table stands for
    x = np.array([1] * a + [1] * b + [0] * c + [0] * d)
    y = np.array([1] * a + [0] * b + [1] * c + [0] * d)
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    got = float(per.phi(a, b, c, d))
    if margins == 0:
        assert got == (1.0 if b == c == 0 else 0.0)
        return
    assert got == pytest.approx(np.corrcoef(x, y)[0, 1])
    # cssTools' S14 (R/s14.R): sqrt((A/(A+C) − B/(B+D)) (A/(A+B) − C/(C+D))) with A = correct
    # rejections, B = misses, C = false alarms, D = hits
    s14 = np.sqrt((d / (d + b) - c / (c + a)) * (d / (d + c) - b / (b + a)))
    assert abs(got) == pytest.approx(s14)


# -- cultural consensus -----------------------------------------------------------------------------
def test_competence_three_perceivers_closed_form():
    # 5 people, 20 possible ties. a reports all 20; b omits ties 1-2; c omits ties 2-5.
    # Differences: a-b 2, a-c 4, b-c 4 (ties 1, 3, 4, 5). Corrected agreement M* = 1 − 2·diff/20:
    # M*_ab = 0.8, M*_ac = 0.6, M*_bc = 0.6. One factor, three perceivers: exact fit
    # D_a = √(M*_ab M*_ac / M*_bc) = √0.8, D_b = √(M*_ab M*_bc / M*_ac) = √0.8,
    # D_c = √(M*_ac M*_bc / M*_ab) = √0.45.
    people = list("abcde")
    pairs = list(itertools.permutations(people, 2))
    rows = [("a", s, t) for s, t in pairs]
    rows += [("b", s, t) for n, (s, t) in enumerate(pairs, 1) if n not in (1, 2)]
    rows += [("c", s, t) for n, (s, t) in enumerate(pairs, 1) if n not in (2, 3, 4, 5)]
    t = pd.DataFrame(rows, columns=["perceiver", "source", "target"])
    comp = per.competence(t, people=people)
    np.testing.assert_allclose(comp["competence"], [np.sqrt(0.8), np.sqrt(0.8), np.sqrt(0.45)],
                               atol=1e-8)
    m = per.agreement_matrix(t, people=people)
    assert m.loc["a", "b"] == pytest.approx(0.9) and m.loc["b", "c"] == pytest.approx(0.8)


def test_competence_minimises_the_off_diagonal_residuals_on_krackhardt():
    # independent method: least squares of Σ_{k≠l} (M*_kl − D_k D_l)² with scipy's optimiser,
    # M* computed here with numpy loops from the raw 21 x 21 x 21 array
    from scipy.optimize import least_squares

    r = _css("advice")
    x = np.array([[r[k, i, j] for i in range(21) for j in range(21) if i != j]
                  for k in range(21)], dtype=float)
    ms = np.array([[2 * np.mean(x[k] == x[m]) - 1 for m in range(21)] for k in range(21)])
    iu = [(k, m) for k in range(21) for m in range(21) if k != m]
    fit = least_squares(lambda d: [ms[k, m] - d[k] * d[m] for k, m in iu], np.full(21, 0.5))
    comp = per.competence(_long("advice"), people=[str(i) for i in range(1, 22)])
    np.testing.assert_allclose(comp["competence"].to_numpy(), np.abs(fit.x), atol=1e-5)


def test_competence_with_bias_recovers_a_simulated_truth():
    # Independent check: views drawn from the General Condorcet Model with known competences D
    # (0.3 .. 0.9) and biases g (0.05 .. 0.3, most people guess "no tie"), 41 people (1,640
    # possible ties, 20% of them true), 15 perceivers. The estimate must find D, g and the share
    # of true ties within sampling error; the 1986 estimator (g = 1/2) cannot (it is off by up to
    # ~0.5 here, the reason competence_with_bias exists).
    rng = np.random.default_rng(7)
    n, k = 41, 15
    people = [f"p{i}" for i in range(n)]
    cells = [(i, j) for i in range(n) for j in range(n) if i != j]
    truth = rng.random(len(cells)) < 0.2
    d, g = np.linspace(0.3, 0.9, k), np.linspace(0.05, 0.3, k)
    rows = []
    for m in range(k):
        know, guess = rng.random(len(cells)) < d[m], rng.random(len(cells)) < g[m]
        said = np.where(know, truth, guess)
        rows += [(people[m], people[i], people[j]) for (i, j), v in zip(cells, said, strict=True)
                 if v]
    t = pd.DataFrame(rows, columns=["perceiver", "source", "target"])
    est = per.competence_with_bias(t, people=people)
    assert np.max(np.abs(est["competence"].to_numpy() - d)) < 0.06
    assert np.max(np.abs(est["bias"].to_numpy() - g)) < 0.1
    assert est.attrs["tie_share"] == pytest.approx(truth.mean(), abs=0.02)
    old = per.competence(t, people=people)
    assert np.max(np.abs(old["competence"].to_numpy() - d)) > 0.3


def test_answer_key_follows_the_competent():
    # 3 perceivers of competence .9, .9, .1 (weights log((1+D)/(1−D)) = log 19, log 19, log(11/9)):
    # a tie reported only by the weak one has log-odds −2 log 19 + log(11/9) < 0 → absent; a tie
    # reported by the two strong ones has 2 log 19 − log(11/9) → p = 1/(1 + 11/(9·361))
    t = pd.DataFrame({"perceiver": ["a", "b", "c"], "source": ["a", "a", "b"],
                      "target": ["b", "b", "c"]})
    key = per.answer_key(t, pd.Series({"a": 0.9, "b": 0.9, "c": 0.1}), people=list("abc"))
    assert _ties(key) == {"ab"}
    assert key["probability"].iloc[0] == pytest.approx(1 / (1 + 11 / (9 * 361)))


# -- Krackhardt's 21 managers -----------------------------------------------------------------------
def _long(kind):
    return pd.read_csv(REFERENCE / f"krackhardt_css_{kind}.csv", dtype=str)


def _css(kind):
    t = pd.read_csv(REFERENCE / f"krackhardt_css_{kind}.csv")
    r = np.zeros((21, 21, 21), dtype=int)
    for k, i, j in zip(t["perceiver"], t["source"], t["target"], strict=True):
        r[k - 1, i - 1, j - 1] = 1
    return r


def _edges(name):
    e = pd.read_csv(REFERENCE / name)
    return {(str(a), str(b)) for a, b in zip(e["ego"], e["alter"], strict=True)}


def _pairs(df):
    return set(zip(df["source"], df["target"], strict=True))


PEOPLE21 = [str(i) for i in range(1, 22)]


def test_krackhardt_self_reports_are_the_published_advice_network():
    # The published advice network (Krackhardt 1987; Wasserman & Faust 1994: 190 arcs, our
    # data/reference/krackhardt_advice_edges.csv) is each manager's report of his own ties:
    # the row-dominated LAS of the CSS, arc for arc.
    row = per.locally_aggregated(_long("advice"), PEOPLE21, rule="row")
    assert _pairs(row) == _edges("krackhardt_advice_edges.csv")
    assert len(row) == 190


def test_krackhardt_friendship_self_reports_differ_only_by_the_correction():
    # The published friendship network (102 arcs) is the row LAS of the *uncorrected* CSS: with
    # cssTools' correction manager 17's self-report shrinks from 18 friends to the 5 people
    # who, in his own view, name him (column 17 of his slice): 13 arcs 17 -> x go.
    row = _pairs(per.locally_aggregated(_long("friendship"), PEOPLE21, rule="row"))
    published = _edges("krackhardt_friendship_edges.csv")
    assert row <= published
    gone = published - row
    assert {s for s, _ in gone} == {"17"} and len(gone) == 13 and len(published) == 102
    r = _css("friendship")
    assert r[16, 16, :].tolist() == r[16, :, 16].tolist()   # row 17 = column 17 in slice 17


@pytest.mark.parametrize("kind", ["advice", "friendship"])
def test_krackhardt_structures_match_numpy_loops(kind):
    r = _css(kind)
    n = 21
    inter = {(str(i + 1), str(j + 1)) for i in range(n) for j in range(n)
             if i != j and r[i, i, j] and r[j, i, j]}
    union = {(str(i + 1), str(j + 1)) for i in range(n) for j in range(n)
             if i != j and (r[i, i, j] or r[j, i, j])}
    cas = {(str(i + 1), str(j + 1)) for i in range(n) for j in range(n)
           if i != j and r[:, i, j].sum() / n >= 0.5}
    t = _long(kind)
    assert _pairs(per.locally_aggregated(t, PEOPLE21)) == inter
    assert _pairs(per.locally_aggregated(t, PEOPLE21, rule="union")) == union
    assert _pairs(per.consensus(t, 0.5, PEOPLE21)) == cas
    # accuracy of every perceiver against the intersection, counted cell by cell
    acc = per.accuracy(t, people=PEOPLE21)
    for k in range(n):
        cells = [(r[k, i, j], (str(i + 1), str(j + 1)) in inter)
                 for i in range(n) for j in range(n) if i != j]
        hits = sum(1 for s, g in cells if s and g)
        fa = sum(1 for s, g in cells if s and not g)
        miss = sum(1 for s, g in cells if not s and g)
        row = acc.loc[str(k + 1)]
        assert (row["hits"], row["false_alarms"], row["misses"]) == (hits, fa, miss)
        x = np.array([s for s, _ in cells], dtype=float)
        y = np.array([g for _, g in cells], dtype=float)
        assert row["accuracy"] == pytest.approx(np.corrcoef(x, y)[0, 1])


def test_krackhardt_css_deal_is_built_from_the_files():
    deal = load_deal(REFERENCE / "krackhardt-css")
    assert len(deal.stakeholders) == 21
    assert len(deal.perceived_ties) == len(_long("advice")) + len(_long("friendship"))
    for kind in ("advice", "friendship"):
        ties = deal.ties[deal.ties["kind"] == kind]
        assert _pairs(ties) == _pairs(per.locally_aggregated(_long(kind), PEOPLE21))
    # reports_to is the org chart of data/reference
    boss = {(str(a), str(b)) for a, b in _edges("krackhardt_reports_to_edges.csv")}
    st = deal.stakeholders
    got = {(str(s), str(b)) for s, b in zip(st.index, st["reports_to"], strict=True)
           if isinstance(b, str) and b}
    assert got == boss


def test_make_script_reproduces_the_deal(tmp_path):
    spec = importlib.util.spec_from_file_location("make_css", REFERENCE / "make_krackhardt_css.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.write_deal(tmp_path / "deal")
    for f in (REFERENCE / "krackhardt-css").iterdir():
        assert (tmp_path / "deal" / f.name).read_bytes() == f.read_bytes(), f.name


def test_perception_summary_on_krackhardt():
    p = per.perception(load_deal(REFERENCE / "krackhardt-css"), kind="advice")
    r = _css("advice")
    # densities over 21·20 = 420 cells, counted with the loops above: 129 and 276 ties
    assert p.structures.loc["intersection", "ties"] == 129
    assert p.structures.loc["union", "ties"] == 276
    assert p.structures.loc["row", "ties"] == 190
    # consensus top 3 advisers: in-degree in the consensus counted with numpy
    cas = (r.sum(axis=0) / 21 >= 0.5).astype(int)
    np.fill_diagonal(cas, 0)
    indeg = cas.sum(axis=0)
    top = [str(i + 1) for i in np.argsort(-indeg, kind="stable")[:3]]
    assert p.headline["consensus_top"] == top
    assert p.accuracy.index[0] == p.headline["most_accurate_id"]


# -- errors ----------------------------------------------------------------------------------------
def test_clear_errors():
    t = _table(VIEWS)
    with pytest.raises(InputError, match="several tie kinds"):
        per.css_array(pd.concat([t.assign(kind="advice"), t.assign(kind="trust")]))
    with pytest.raises(InputError, match="not in the list of people"):
        per.locally_aggregated(t, people=["a", "b"])
    with pytest.raises(InputError, match="lacks the column"):
        per.consensus(t.drop(columns="target"))
    with pytest.raises(InputError, match="threshold"):
        per.consensus(t, threshold=0)
    with pytest.raises(InputError, match="rule"):
        per.locally_aggregated(t, rule="mean")
    with pytest.raises(InputError, match="at least 3 perceivers"):
        per.competence(t[t["perceiver"].isin(["a", "b"])])
    with pytest.raises(InputError, match="perceiver"):
        per.slice_against(t, "z")
    from powerkit.deal.reference import load_reference

    with pytest.raises(MissingTableError, match="perceived_ties"):
        per.perception(load_reference("krackhardt"))


# -- hostile names in figures and the widget ---------------------------------------------------------
def test_hostile_names_stay_inert():
    from powerkit.plots.perception import perceived_network_figure, perception_accuracy_figure
    from powerkit.widgets.perception import build_perception_widgets

    p = per.perception(load_deal(REFERENCE / "krackhardt-css"), kind="advice")
    evil = '<img src=x onerror=alert(1)> & "Boss"'
    p.names = p.names.copy()
    p.names[:] = [f"{evil} {i}" for i in p.names.index]
    p.accuracy = p.accuracy.assign(name=p.names.reindex(p.accuracy.index).to_numpy())
    fig = perceived_network_figure(per.slice_against(p.css, "18"), names=p.names)
    labels = [str(v) for tr in fig.data for v in list(tr.x) + list(tr.y) + list(tr.hovertext)]
    labels.append(fig.layout.title.text)
    assert labels and all("<img" not in s for s in labels)
    assert any("&lt;img src=x onerror=alert(1)&gt; &amp; \"Boss\"" in s for s in labels)
    bars = perception_accuracy_figure(p.accuracy)
    assert all("<img" not in str(y) for tr in bars.data for y in tr.y)
    box = build_perception_widgets(p, perceiver="18")
    assert "<img" not in box.children[2].value and "&lt;img" in box.children[2].value
