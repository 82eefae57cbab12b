"""powerkit.portfolio: relationships, reliability and gaps across deals (issue 15, item 3).

Hand cases are tiny deal folders written by the test; every expected number is derived in the
comments (recency decay 0.5^(age/365), beta reputation (1 + k + h/2)/(2 + k + h + b)).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from powerkit.errors import DealError
from powerkit.paths import portfolios_dir
from powerkit.portfolio import (
    load_portfolio,
    relationship_capital,
    relationship_gaps,
    reputation,
    summary,
    thin_network,
)

PARTIES = ("party,name,side,role\nwe,We Ltd,us,seller\nco,Client Co,counterpart,buyer\n"
           "riv,Rival Inc,rival,seller\n")
PEOPLE = ("stakeholder,name,party,title,sign_off,budget_authority,vote_weight\n"
          "w1,Wendy One,we,Partner,false,0,\nw2,Will Two,we,Manager,false,0,\n"
          "c1,Cara Boss,co,CEO,true,100,\nc2,Carl Buyer,co,Buyer,false,50,\n"
          "c3,Cleo Staff,co,Analyst,false,0,\nr1,Rex Rival,riv,Rep,false,0,\n")


def _deal(root: Path, name: str, as_of: str, ties: str, commitments: str = "",
          people: str = PEOPLE) -> Path:
    d = root / name
    d.mkdir(parents=True)
    (d / "deal.yaml").write_text(f"id: {name}\ntitle: T\ndecision: D\nus: we\n"
                                 f"counterpart: co\nas_of: {as_of}\n", encoding="utf-8")
    (d / "parties.csv").write_text(PARTIES, encoding="utf-8")
    (d / "stakeholders.csv").write_text(people, encoding="utf-8")
    (d / "ties.csv").write_text("source,target,kind,weight\n" + ties, encoding="utf-8")
    if commitments:
        (d / "commitments.csv").write_text(
            "commitment,by,to,promise,date,due,status\n" + commitments, encoding="utf-8")
    return d


def _two_deals(tmp_path):
    root = tmp_path / "pf"
    _deal(root, "old", "2025-11-01", "c1,w1,advice,1\n",
          "a,w1,c1,x,2025-10-01,,kept\nb,we,co,x,2025-10-01,,broken\n"
          "c,c1,we,x,2025-10-01,,kept\n")
    _deal(root, "new", "2026-11-01", "c2,w1,advice,0.5\nc1,c2,advice,1\nc3,c2,advice,1\n",
          "d,w2,c2,x,2026-10-01,,kept\ne,w1,co,x,2026-10-01,,partly\nf,co,we,x,2026-10-01,,open\n")
    return root


def test_capital_by_hand(tmp_path):
    pf = load_portfolio(_two_deals(tmp_path))
    cap = relationship_capital(pf)
    # old: c1→w1 weight 1, 365 days before the latest deal → 1·0.5; new: c2→w1 0.5 → 0.5
    assert cap.loc["co", "capital"] == pytest.approx(0.5 + 0.5)
    assert cap.loc["co", "people_reached"] == 2 and cap.loc["co", "our_contacts"] == 1
    assert cap.loc["riv", "capital"] == 0


def test_reputation_by_hand(tmp_path):
    rep = reputation(load_portfolio(_two_deals(tmp_path)))
    # ours to Client Co: kept a, d; partly e; broken b → (1 + 2 + 0.5)/(2 + 4) = 3.5/6
    assert rep.loc["co", "our_reliability"] == pytest.approx(3.5 / 6)
    # theirs to us: kept c; open f is no evidence → (1 + 1)/(2 + 1) = 2/3
    assert rep.loc["co", "their_reliability"] == pytest.approx(2 / 3)
    assert rep.loc["co", "their_open"] == 1


def test_thin_network_and_gaps(tmp_path):
    pf = load_portfolio(_two_deals(tmp_path))
    thin = thin_network(pf)
    # Client Co's decider (sign-off) is Cara Boss; only Wendy One is tied to her (old deal)
    assert thin.loc["co", "thin"] and thin.loc["co", "through"] == 1
    assert "riv" not in thin.index  # rivals are not courted
    gaps = relationship_gaps(pf)
    assert "r1" not in gaps.index
    # authority: Cara 0.5 (sign-off) + 0.5·100/100 = 1; Carl 0.5·50/100 = 0.25; Cleo 0
    # strength: Cara 0.5 (decayed), Carl 0.5 → priority Cara 1·2/1.5, Carl 0.25·2/1.5
    assert list(gaps.index) == ["c1", "c2"]
    assert gaps.loc["c1", "priority"] == pytest.approx(2 / 1.5)


def test_id_with_two_names_names_both_files(tmp_path):
    root = _two_deals(tmp_path)
    st = (root / "new" / "stakeholders.csv").read_text(encoding="utf-8")
    (root / "new" / "stakeholders.csv").write_text(st.replace("Carl Buyer", "Karl Buyer"),
                                                    encoding="utf-8")
    with pytest.raises(DealError) as exc:
        load_portfolio(root)
    text = str(exc.value)
    assert "new/stakeholders.csv" in text and "old/stakeholders.csv" in text
    assert "Karl Buyer" in text and "Carl Buyer" in text


def test_broken_deal_and_other_us_reported_together(tmp_path):
    root = _two_deals(tmp_path)
    (root / "old" / "ties.csv").write_text("source,target,kind,weight\nc1,nobody,advice,1\n",
                                           encoding="utf-8")
    third = _deal(root, "third", "2026-12-01", "")  # a valid deal seen from the client's side
    (third / "deal.yaml").write_text((third / "deal.yaml").read_text(encoding="utf-8")
                                     .replace("us: we\ncounterpart: co", "us: co\ncounterpart: we"),
                                     encoding="utf-8")
    (third / "parties.csv").write_text(PARTIES.replace("we,We Ltd,us,seller", "we,We Ltd,counterpart,seller")
                                       .replace("co,Client Co,counterpart,buyer", "co,Client Co,us,buyer"),
                                       encoding="utf-8")
    with pytest.raises(DealError) as exc:
        load_portfolio(root)
    text = str(exc.value)
    assert "old/ties.csv" in text and "nobody" in text
    assert "the same 'us' party id" in text and "co, we" in text


def test_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DealError, match="deal folders"):
        load_portfolio(tmp_path / "empty")


def test_sample_portfolio_tells_one_story():
    pf = load_portfolio(portfolios_dir() / "northwind")
    assert [d.id for d in pf.deals] == ["brightwater-pilot", "northwind-vendor"]
    s = summary(pf)
    # the pilot's people are the main deal's people (same ids, same names: validated above)
    pilot, main = pf.deals
    shared = set(pilot.stakeholders.index) & set(main.stakeholders.index)
    assert {"bw_ops_mgr", "bw_coo", "bw_it_head"} <= shared
    assert s["capital"]["brightwater"] > 0 and "apex" not in s["thin"]
