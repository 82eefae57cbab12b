"""What each exercise's reveal shows: the verdict (:mod:`powerkit.workshop.checks`), the table,
the figure (:mod:`powerkit.plots.workshop`) and the lesson, as blocks for
:func:`powerkit.workshop.reveal` (markdown strings, DataFrames, plotly figures)."""
from __future__ import annotations

from .checks import check_adviser, check_broker, check_frontier_count, check_package
from .exercises import advisers, efficient_packages, full_package, position_power

__all__ = ["adviser_answer", "position_answer", "packages_answer", "LESSONS"]

#: The closing paragraph of each reveal: what the exercise teaches.
LESSONS = {
    "advisers": (
        "**What it teaches — formal vs informal power.** The chart says who may decide; the "
        "advice network says whose view the decision will carry. A proposal courted only at the "
        "top of the chart misses the people everyone else checks with. Outlined nodes: the most "
        "sought adviser, the top of the chart and your guess."),
    "position": (
        "**What it teaches — systemic power.** The Medici married into families that were not "
        "connected to each other, so every alliance went through them. Position in the "
        "network, not wealth or office, let them broker — and, as Padgett and Ansell show, keep "
        "their options open. In a deal, the broker between two camps is the person to map "
        "first."),
    "packages": (
        "**What it teaches — value creation.** Most ways to settle leave something on the table "
        "for both sides. The efficient packages trade what matters less to one side for what "
        "matters more to the other; a side that proposes one of them gains without asking the "
        "other to lose — the steadier kind of power."),
}


def adviser_answer(deal, guess=None, table=None, top: int = 6) -> list:
    """What the reveal of exercise 1 shows: the verdict, the top advisers, the two networks.

    Parameters
    ----------
    deal : powerkit.Deal
        The Krackhardt deal (or any deal with advice ties and an org chart).
    guess : str or None
        The trainee's guess (a stakeholder id).
    table : pandas.DataFrame, optional
        :func:`~powerkit.workshop.advisers` output (computed when omitted).
    top : int
        Rows of the table shown.

    Returns
    -------
    list
        Blocks for :func:`~powerkit.workshop.reveal`: markdown strings, a DataFrame, a
        ``go.Figure``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> blocks = adviser_answer(load_reference("krackhardt"), "7")
    >>> [type(b).__name__ for b in blocks]
    ['str', 'DataFrame', 'Figure', 'str']
    """
    from ..influence import formal_graph, informal_graph
    from ..plots import advice_network_figure

    t = advisers(deal) if table is None else table
    r = check_adviser(t, guess)
    shown = t.head(top)[["name", "title", "formal_rank", "advice_in_degree", "advice_share",
                         "advice_rank"]].round({"advice_share": 2, "formal_rank": 1})
    highlight = list(r["answer"]) + [r["formal_top"]] + ([r["guess"]] if r["guess"] else [])
    fig = advice_network_figure(formal_graph(deal), informal_graph(deal, "advice"), t,
                                highlight=highlight)
    return [r["message"], shown, fig, LESSONS["advisers"]]


def position_answer(deal, guess=None, table=None, top: int = 6, reference_dir=None) -> list:
    """What the reveal of exercise 2 shows: the verdict, the table, wealth vs position.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> [type(b).__name__ for b in position_answer(load_reference("florentine"), "Medici")]
    ['str', 'DataFrame', 'Figure', 'str']
    """
    from ..plots import position_figure

    t = position_power(deal, reference_dir) if table is None else table
    r = check_broker(t, guess)
    shown = t.head(top).round({"betweenness": 3})
    if (shown["name"] == shown.index.astype(str)).all():
        shown = shown.drop(columns="name")
    fig = position_figure(t, highlight=[r["answer"]] + ([r["guess"]] if r["guess"] else []))
    return [r["message"], shown, fig, LESSONS["position"]]


def packages_answer(deal, package=None, count_guess=None, analysis=None) -> list:
    """What the reveal of exercise 3 shows: both verdicts, the frontier, the utility space.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> [type(b).__name__ for b in packages_answer(load_itex_cypress(), count_guess=40)]
    ['str', 'str', 'DataFrame', 'Figure', 'str']
    """
    from ..plots import efficient_packages_figure

    base = efficient_packages(deal) if analysis is None else analysis
    pk = full_package(base, package)
    shown = efficient_packages(deal, pk) if pk else base
    count = check_frontier_count(base, count_guess)
    pkg = check_package(base, pk)
    frontier = base.frontier.round({"us": 3, "them": 3}).rename(
        columns={"us": f"{base.us_label} (0–1)", "them": f"{base.them_label} (0–1)"})
    return [count["message"], pkg["message"], frontier, efficient_packages_figure(shown),
            LESSONS["packages"]]
