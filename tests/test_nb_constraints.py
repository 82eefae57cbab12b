"""papermill runs of notebooks/03_spotting_hidden_constraints.ipynb on every sample deal, on the
hand-computable fixture deal, and with evidence overrides.

Expected values are re-derived independently of the notebook's analysis path: from the raw CSV
files (read with pandas, not the loader) through the public pure functions ``posterior``,
``posterior_independent`` and ``information_gain``, or by hand for the fixture (see
tests/test_constraints.py for the derivations).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE_DEALS

from powerkit import constraints as C

NB = "03_spotting_hidden_constraints.ipynb"
FIXTURE = Path(__file__).parent / "fixtures" / "constraints" / "basic"
pytestmark = pytest.mark.slow


def expected_from_csv(folder: Path) -> tuple[pd.Series, pd.Series]:
    """Posteriors and question gains recomputed from the raw CSVs.

    Groups go through ``posterior`` with likelihoods LR**c per member (an unrated member gets the
    neutral 1, a probability row p_if_true vs the mean p_if_false); independent hypotheses go
    through ``posterior_independent``. Question gains are sums of ``information_gain`` over the
    variables (groups, lone hypotheses) each question touches.
    """
    hyp = pd.read_csv(folder / "hypotheses.csv", dtype={"group": str}).set_index("hypothesis")
    ev = pd.read_csv(folder / "evidence.csv")
    ev["credibility"] = ev["credibility"].fillna(1.0)
    post = {}
    for _g, members in hyp.groupby("group"):
        rows = []
        for _e, items in ev[ev["hypothesis"].isin(members.index)].groupby("evidence", sort=False):
            is_p = items["rating"].isna()
            ref = items.loc[is_p, "p_if_false"].mean() if is_p.any() else 1.0
            lik = {h: 1.0 for h in members.index}
            for _, r in items.iterrows():
                lr = C.RATING_LR[r["rating"]] if isinstance(r["rating"], str) \
                    else max(r["p_if_true"], C.EPS) / max(ref, C.EPS)
                lik[r["hypothesis"]] = lr ** r["credibility"]
            top = max(lik.values())
            rows.append({h: v / top for h, v in lik.items()})  # only ratios matter
        prior = members["prior"]
        p = C.posterior(prior, pd.DataFrame(rows, columns=prior.index)) if rows else prior
        post.update(p.to_dict())
    lone = hyp[hyp["group"].isna()]
    for h, r in lone.iterrows():
        items = ev[ev["hypothesis"] == h]
        lr = [C.RATING_LR[x["rating"]] if isinstance(x["rating"], str)
              else max(x["p_if_true"], C.EPS) / max(x["p_if_false"], C.EPS)
              for _, x in items.iterrows()]
        p = C.posterior_independent(pd.Series({h: r["prior"]}), pd.DataFrame({h: lr}, dtype=float),
                                    pd.Series(items["credibility"].to_numpy(float)))
        post[h] = float(p[h])
    post = pd.Series(post)
    gains = {}
    qs = pd.read_csv(folder / "questions.csv")
    for q, rows in qs.groupby("question", sort=False):
        total = 0.0
        for _g, members in hyp.groupby("group"):
            sub = rows[rows["hypothesis"].isin(members.index)]
            if len(sub):
                fill = sub["p_yes_if_false"].mean()
                p_yes = pd.Series(fill, index=members.index)
                p_yes[sub["hypothesis"]] = sub["p_yes_if_true"].to_numpy()
                total += C.information_gain(post[members.index] / post[members.index].sum(), p_yes)
        for _, r in rows[rows["hypothesis"].isin(lone.index)].iterrows():
            pi = post[r["hypothesis"]]
            total += C.information_gain(pd.Series({"H": pi, "not": 1 - pi}),
                                        pd.Series({"H": r["p_yes_if_true"],
                                                   "not": r["p_yes_if_false"]}))
        gains[q] = total
    return post, pd.Series(gains)


def check_invariants(rec: dict):
    post = pd.Series(rec["posteriors"])
    assert ((post >= 0) & (post <= 1)).all()
    groups = pd.Series(rec["groups"], dtype=object)
    for _g, members in groups.groupby(groups):
        assert post[members.index].sum() == pytest.approx(1.0, abs=1e-9)
    gains = pd.Series(rec["question_gains"])
    assert (gains >= 0).all()
    ranked = gains[rec["question_ranking"]].to_numpy()
    assert (np.diff(ranked) <= 1e-12).all()  # ranked from the best question down
    for o in rec["top_question_outcomes"]:  # Bayes is a martingale: E[posterior] = now
        assert o["p_yes"] * o["if_yes"] + (1 - o["p_yes"]) * o["if_no"] == pytest.approx(o["now"])


@pytest.mark.parametrize("deal", SAMPLE_DEALS, ids=[p.name for p in SAMPLE_DEALS])
def test_notebook_on_sample_deals(run_notebook, deal):
    rec = run_notebook(NB, deal_path=str(deal))
    check_invariants(rec)
    post, gains = expected_from_csv(deal)
    got = pd.Series(rec["posteriors"])
    pd.testing.assert_series_equal(got[post.index], post, check_names=False, atol=1e-9)
    pd.testing.assert_series_equal(pd.Series(rec["question_gains"])[gains.index], gains,
                                   check_names=False, atol=1e-9)
    assert rec["n_active_evidence"] == pd.read_csv(deal / "evidence.csv")["evidence"].nunique()
    assert isinstance(rec["balance_before"], float) and isinstance(rec["balance_after"], float)


def test_notebook_on_fixture_with_overrides(run_notebook):
    # by hand (tests/test_constraints.py): e1 off → hd odds 1.5 × 2 × 1/4; e3 rated II instead
    # of I → × 1/4 more: 0.1875 → 3/19; the 'email' source (e7) at full credibility → LR 4, and
    # q1 answered yes (× 9) → hb odds 36 → 36/37; group untouched (0.75/0.25).
    rec = run_notebook(NB, deal_path=str(FIXTURE), evidence_off=["e1"],
                       ratings={"e3": {"hd": "II"}}, answers={"q1": "yes"},
                       credibility={"email": 1.0})
    check_invariants(rec)
    post = rec["posteriors"]
    assert post["hd"] == pytest.approx(3 / 19)
    assert post["hb"] == pytest.approx(36 / 37)
    assert post["gp"] == pytest.approx(0.75) and post["gc"] == pytest.approx(0.25)
    assert rec["likely"] == ["hb", "gp"]
    assert rec["n_active_evidence"] == 7  # 7 items + the answer, one switched off
    # the fragile item of the group is still e4 (gp 1.2 vs gc 1.6 without it)
    assert "e4" in rec["fragile_items"]


@pytest.mark.skipif(not any(p.name == "northwind-vendor" for p in SAMPLE_DEALS),
                    reason="sample deal not present")
def test_notebook_evidence_override_flips_and_answer_matches_prediction(run_notebook):
    import powerkit

    deal = next(p for p in SAMPLE_DEALS if p.name == "northwind-vendor")
    d = powerkit.load_deal(deal)
    base = C.analyse(d)
    flips = base.sensitivity
    if not len(flips):
        pytest.skip("no single evidence item flips a conclusion in this version of the deal")
    grp = flips[flips["on"].str.startswith("group ")]
    flip = (grp if len(grp) else flips).iloc[0]
    on_group = flip["on"].startswith("group ")
    members = base.hypotheses.index[base.hypotheses["group"] == flip["on"][len("group "):]] \
        if on_group else pd.Index([flip["on"]])
    # the best question that leaves those hypotheses alone, and its predicted "no" posteriors
    pre = C.analyse(d, off=[flip["evidence"]])
    touching = set(pre.outcomes.loc[pre.outcomes["hypothesis"].isin(members), "question"])
    q = next((x for x in pre.questions["question"] if x not in touching), None)
    predicted = pre.outcomes[pre.outcomes["question"] == q].set_index("hypothesis")["if_no"]
    rec = run_notebook(NB, deal_path=str(deal), evidence_off=[flip["evidence"]],
                       answers={} if q is None else {q: "no"})
    check_invariants(rec)
    post = pd.Series(rec["posteriors"])
    # switching off the item the conclusion rests on flips it, as the single-item sensitivity
    # (scores minus that item's weights) predicted
    if on_group:
        assert f"{post[members].idxmax()} leads" == flip["conclusion_without"]
        assert post[members].max() == pytest.approx(flip["posterior_without"])
    else:
        h = members[0]
        assert ("likely" if post[h] >= 0.5 else "unlikely") == flip["conclusion_without"]
        assert post[h] == pytest.approx(flip["posterior_without"])
    # the answer lands exactly on the "if no" posteriors the question ranking predicted
    for h, v in predicted.items():
        assert post[h] == pytest.approx(v, rel=1e-6)
    assert rec["n_active_evidence"] == pre.diagnosticity["active"].sum() + (q is not None)
