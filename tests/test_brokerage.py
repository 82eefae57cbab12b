"""Gould–Fernandez brokerage roles: hand-counted graphs and an independent brute force."""
from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powerkit.influence.brokerage import ROLES, brokerage_roles, role_of


def brute_force(G, g):
    """Independent count: every ordered triple (a, b, c) of distinct nodes, classified by a
    lookup on the three equalities (not by powerkit's role_of)."""
    table = {  # (g(a)==g(b), g(b)==g(c), g(a)==g(c)) -> role (Gould & Fernandez 1989, Table 1)
        (True, True, True): "coordinator",
        (False, False, True): "itinerant",
        (False, True, False): "gatekeeper",
        (True, False, False): "representative",
        (False, False, False): "liaison",
    }
    out = {v: dict.fromkeys(ROLES, 0) for v in G}
    for a, b, c in itertools.permutations(G.nodes, 3):
        if G.has_edge(a, b) and G.has_edge(b, c) and not G.has_edge(a, c):
            out[b][table[(g[a] == g[b], g[b] == g[c], g[a] == g[c])]] += 1
    return out


def test_hand_counted_four_nodes():
    # The 4-node example of sna/cograph's docs: A→B, A→C, B→C, B→D, C→D, D→A; groups 1,1,2,2.
    # Counted by hand (each open two-path a→b→c with no a→c):
    #   A: D→A→B (2,1,1) gatekeeper; D→A→C (2,1,2) itinerant
    #   B: A→B→C closed by A→C; A→B→D (1,1,2) representative
    #   C: A→C→D (1,2,2) gatekeeper; B→C→D closed by B→D
    #   D: B→D→A (1,2,1) itinerant; C→D→A (2,2,1) representative
    G = nx.DiGraph([("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D"), ("D", "A")])
    r = brokerage_roles(G, {"A": 1, "B": 1, "C": 2, "D": 2})
    assert r.loc["A"].to_dict() == dict(coordinator=0, itinerant=1, gatekeeper=1,
                                        representative=0, liaison=0, total=2)
    assert r.loc["B"].to_dict() == dict(coordinator=0, itinerant=0, gatekeeper=0,
                                        representative=1, liaison=0, total=1)
    assert r.loc["C"].to_dict() == dict(coordinator=0, itinerant=0, gatekeeper=1,
                                        representative=0, liaison=0, total=1)
    assert r.loc["D"].to_dict() == dict(coordinator=0, itinerant=1, gatekeeper=0,
                                        representative=1, liaison=0, total=2)


def test_hand_counted_coordinator_liaison_and_closure():
    # p→q→r inside group P: q coordinates; a(A)→b(B)→c(C): b is a liaison.
    G = nx.DiGraph([("p", "q"), ("q", "r"), ("a", "b"), ("b", "c")])
    grp = {"p": "P", "q": "P", "r": "P", "a": "A", "b": "B", "c": "C"}
    r = brokerage_roles(G, grp)
    assert r.loc["q", "coordinator"] == 1 and r.loc["q", "total"] == 1
    assert r.loc["b", "liaison"] == 1 and r.loc["b", "total"] == 1
    assert r["total"].sum() == 2
    # the reverse tie r→p does not close the path (only a→c does)
    G.add_edge("r", "p")
    assert brokerage_roles(G, grp).loc["q", "coordinator"] == 1
    # a direct p→r tie closes it: q is no longer needed (Gould & Fernandez 1989; sna)
    G.add_edge("p", "r")
    assert brokerage_roles(G, grp).loc["q", "coordinator"] == 0


def test_undirected_counts_both_directions_and_node_attribute():
    # path x - y - z, undirected: y brokers x→y→z and z→y→x
    G = nx.Graph([("x", "y"), ("y", "z")])
    nx.set_node_attributes(G, {"x": "L", "y": "M", "z": "R"}, "dept")
    r = brokerage_roles(G, "dept")
    assert r.loc["y", "liaison"] == 2 and r["total"].sum() == 2


def test_role_of_table():
    assert role_of(1, 1, 1) == "coordinator"
    assert role_of(1, 2, 1) == "itinerant"
    assert role_of(1, 2, 2) == "gatekeeper"
    assert role_of(1, 1, 2) == "representative"
    assert role_of(1, 2, 3) == "liaison"


def test_bad_group():
    with pytest.raises(TypeError, match="'group' parameter"):
        brokerage_roles(nx.DiGraph([(1, 2)]), 3)


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 9), st.floats(0.1, 0.7), st.integers(1, 4), st.integers(0, 10_000))
def test_matches_brute_force(n, p, k, seed):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    import random

    rnd = random.Random(seed)
    g = {v: rnd.randrange(k) for v in G}
    r = brokerage_roles(G, g)
    bf = brute_force(G, g)
    for v in G:
        assert {k2: int(r.loc[v, k2]) for k2 in ROLES} == bf[v]


def test_krackhardt_totals_equal_open_two_paths():
    # independent identity: Σ roles over all brokers = number of open two-paths, counted from
    # the adjacency matrix: Σ_{a≠c} (A²)_{ac}·(1 − A_ac)
    import numpy as np

    from powerkit.deal.reference import load_reference

    deal = load_reference("krackhardt")
    adv = deal.ties[deal.ties.kind == "advice"]
    G = nx.DiGraph(list(zip(adv.target, adv.source, strict=True)))  # flow: advice goes alter→ego
    G.add_nodes_from(deal.stakeholders.index)
    A = nx.to_numpy_array(G, nodelist=list(G))
    A2 = A @ A
    np.fill_diagonal(A2, 0)
    expected = int((A2 * (1 - A)).sum())
    r = brokerage_roles(G, deal.stakeholders["department"].to_dict())
    assert r["total"].sum() == expected
