"""The three exercises' answers, computed from the reference cases by powerkit's analysis.

* :func:`advisers` — Krackhardt's managers: who is asked for advice, beside the org chart
  (:func:`powerkit.influence.measures`, :func:`powerkit.influence.formal_scores`);
* :func:`position_power` — the Medici: betweenness in the marriage network beside wealth and
  office (:func:`powerkit.influence.measures`);
* :func:`efficient_packages` — Itex vs Cypress: the packages nobody can improve for one side
  without hurting the other (:func:`powerkit.value.what_if`).

Tables and result objects only: the grading is :mod:`powerkit.workshop.checks`, what a reveal
shows :mod:`powerkit.workshop.answers`.
"""
from __future__ import annotations

import pandas as pd

from ..errors import bad_argument
from .cases import priorates

__all__ = ["advisers", "position_power", "efficient_packages", "full_package"]


# ------------------------------------------------------------------------------------------------
# Exercise 1: Krackhardt's managers — find the real advisers
# ------------------------------------------------------------------------------------------------
def advisers(deal) -> pd.DataFrame:
    """Who the managers really go to for advice, beside who the org chart puts on top.

    ``advice_in_degree`` counts the colleagues who name the person when asked "to whom do you
    go for advice?" (advice ties ``source → target``: the source asks the target);
    ``advice_share`` = in-degree ÷ (n − 1); ``advice_rank`` ranks it (1 = most sought, ties share
    the best rank). ``formal_rank`` is :func:`powerkit.influence.formal_scores`' rank (sign-off,
    budget and the reporting line below each person). PageRank and betweenness of the advice
    network are shown for comparison (:func:`powerkit.influence.measures`).

    Parameters
    ----------
    deal : powerkit.Deal
        A deal with ties of kind ``advice`` (e.g. ``load_reference("krackhardt")``).

    Returns
    -------
    pandas.DataFrame
        Index = stakeholder id, sorted by ``advice_in_degree`` (descending, then formal rank);
        columns ``name, title, formal_rank, advice_in_degree, advice_share, advice_rank,
        pagerank, betweenness``. ``attrs["inputs"]`` names what was counted.

    Raises
    ------
    powerkit.errors.InputError
        (a ValueError) When the deal has no advice ties.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> t = advisers(load_reference("krackhardt"))
    >>> t.index[0], int(t.iloc[0]["advice_in_degree"]), int(t.loc["7", "advice_rank"])
    ('2', 18, 4)

    References
    ----------
    Krackhardt, D. (1987). Cognitive social structures. *Social Networks* 9, 109–134.
    Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, ch. 5 (degree prestige).
    Cambridge University Press.
    """
    from ..influence import formal_scores, measures

    if not deal.has("ties") or not (deal.ties["kind"] == "advice").any():
        raise bad_argument("deal", "advisers", "a deal with ties of kind 'advice'",
                           getattr(deal, "id", deal))
    m = measures(deal, kinds="advice", group=None)
    f = formal_scores(deal)
    n = len(m)
    t = pd.DataFrame({
        "name": m["name"].astype(str),
        "title": m["title"],
        "formal_rank": f["formal_rank"].reindex(m.index),
        "advice_in_degree": m["in_degree"].astype(int),
        "advice_share": m["in_degree"] / max(n - 1, 1),
        "advice_rank": m["in_degree"].rank(ascending=False, method="min").astype(int),
        "pagerank": m["pagerank"],
        "betweenness": m["betweenness"],
    }, index=m.index)
    t = t.sort_values(["advice_in_degree", "formal_rank"], ascending=[False, True], kind="stable")
    t.attrs["inputs"] = {"ties": "advice", "measure": "in-degree (colleagues who ask them)",
                         "people": n, "source": str(deal.source)}
    return t


# ------------------------------------------------------------------------------------------------
# Exercise 2: the Medici — power from position
# ------------------------------------------------------------------------------------------------
def position_power(deal, reference_dir=None) -> pd.DataFrame:
    """Position in the network against wealth and office, family by family.

    ``betweenness`` is the share of shortest paths between two other families that run through
    the family (Freeman 1979; normalised by (n − 1)(n − 2) over ordered pairs — on the
    mutual marriage ties this equals the undirected, normalised value networkx reports);
    ``marriages`` counts its marriage ties; ``wealth`` is its net wealth in 1427 (thousands of
    lira, the deal's ``budget_authority``); ``priorates`` its seats on the city council
    1282–1344 (<NA> where unknown). Ranks: 1 = highest (ties share the best rank).

    Parameters
    ----------
    deal : powerkit.Deal
        ``load_reference("florentine")`` (or any deal whose ties are mutual alliances).
    reference_dir : str or Path, optional
        Where ``florentine_families_attributes.csv`` is (for ``priorates``).

    Returns
    -------
    pandas.DataFrame
        Index = family, sorted by betweenness (descending); columns ``name, betweenness,
        betweenness_rank, marriages, wealth, wealth_rank, priorates``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> t = position_power(load_reference("florentine"))
    >>> t.index[0], round(float(t.iloc[0]["betweenness"]), 4), t["wealth"].idxmax()
    ('Medici', 0.522, 'Strozzi')

    References
    ----------
    Padgett, J. F. & Ansell, C. K. (1993). Robust action and the rise of the Medici,
    1400–1434. *American Journal of Sociology* 98(6), 1259–1319.
    Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
    *Social Networks* 1, 215–239.
    """
    from ..influence import measures

    if not deal.has("ties") or len(deal.ties) == 0:
        raise bad_argument("deal", "position_power", "a deal with ties", getattr(deal, "id", deal))
    m = measures(deal, group=None)
    st = deal.stakeholders
    wealth = pd.to_numeric(st["budget_authority"], errors="coerce")
    wealth.index = wealth.index.astype(str)
    t = pd.DataFrame({
        "name": m["name"].astype(str),
        "betweenness": m["betweenness"],
        "marriages": m["in_degree"].astype(int),
        "wealth": wealth.reindex(m.index),
    }, index=m.index)
    t["betweenness_rank"] = t["betweenness"].rank(ascending=False, method="min").astype(int)
    t["wealth_rank"] = t["wealth"].rank(ascending=False, method="min").astype("Int64")
    t["priorates"] = pd.array(priorates(t.index, reference_dir).to_numpy(), dtype="Int64")
    t = t[["name", "betweenness", "betweenness_rank", "marriages", "wealth", "wealth_rank",
           "priorates"]]
    t = t.sort_values(["betweenness", "wealth"], ascending=False, kind="stable")
    t.attrs["inputs"] = {"ties": sorted(deal.ties["kind"].unique().tolist()),
                         "wealth": "budget_authority (1427, thousands of lira)",
                         "source": str(deal.source)}
    return t


# ------------------------------------------------------------------------------------------------
# Exercise 3: Itex vs Cypress — find the efficient packages
# ------------------------------------------------------------------------------------------------
def efficient_packages(deal, package=None):
    """The value analysis of a multi-issue deal, with an optional package to test.

    A thin call of :func:`powerkit.value.what_if` with both BATNAs at 0 and equal bargaining
    weights (α = ½): the frontier (``.frontier``) is exact and does not depend on them.

    Parameters
    ----------
    deal : powerkit.Deal
        ``load_itex_cypress()`` or any deal with an issues table.
    package : mapping issue -> option, optional
        The trainee's package; drawn as the proposal with the packages better for both.

    Returns
    -------
    powerkit.value.ValueAnalysis

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> a = efficient_packages(load_itex_cypress())
    >>> a.n_packages, len(a.frontier)
    (180, 18)
    """
    from ..value import what_if

    return what_if(deal, batna=(0.0, 0.0), proposed=dict(package) if package else {},
                   alpha=0.5)


def full_package(analysis, package) -> dict | None:
    """A package with an option on every issue of ``analysis``, in the issues' order, or None.

    Parameters
    ----------
    analysis : powerkit.value.ValueAnalysis
        :func:`efficient_packages` output (its ``options`` name the issues).
    package : mapping issue -> option, or None
        A trainee's package, as the controls give it ("" or None: no option chosen yet).

    Returns
    -------
    dict or None
        ``{issue: option}`` for every issue; None when ``package`` is empty or leaves an issue
        blank.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> a = efficient_packages(load_itex_cypress())
    >>> first = a.frontier.iloc[0]
    >>> list(full_package(a, {i: first[i] for i in ("Returns", "Payment", "Delivery", "Price")}))
    ['Price', 'Delivery', 'Payment', 'Returns']
    >>> full_package(a, {"Price": first["Price"]}) is None
    True
    """
    if not package:
        return None
    issues = list(pd.unique(analysis.options["issue"]))
    pk = {i: package.get(i) for i in issues}
    return pk if all(v not in (None, "") for v in pk.values()) else None
