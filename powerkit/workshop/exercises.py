"""Workshop mode: exercises on published cases, answers revealed by a toggle, and the dashboards.

Three exercises, each on a real, published data set in ``data/reference`` (see its README):

* **Krackhardt's managers** (1987) — *find the real advisers*: who do the 21 managers of a
  high-tech firm actually go to for advice, and is it the CEO? (:func:`advisers`)
* **The Medici** (Padgett & Ansell 1993) — *power from position*: which Florentine family sat
  between the others in the marriage network, and was it the richest? (:func:`position_power`)
* **Itex vs Cypress** (Kersten & Noronha 1999) — *find the efficient packages*: of the 180
  ways to settle price, delivery, payment and returns, which ones can nobody improve for one
  side without hurting the other? (:func:`efficient_packages`)

Every answer is computed here from the reference data, never typed in. ``check_*`` functions
grade a trainee's guess against the computed answer, ``*_answer`` functions return what the
reveal shows (text, a table, a figure), and ``build_*_exercise`` builders wire a guess widget
to a :func:`reveal` toggle. The toggle renders the answer only when it is pressed, so the
dashboard shows nothing of it beforehand.

The dashboards: :func:`voila_command` is the command ``make workshop`` runs — Voila serving the
walkthroughs and this workshop on 127.0.0.1, code hidden, widgets live, each notebook executed
ahead of the visitor in a pre-heated kernel, with a page template that loads nothing from the
internet (:data:`VOILA_TEMPLATE`). ``python -m powerkit.workshop --help`` lists the options.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .paths import notebooks_dir, reference_dir

__all__ = [
    "REFERENCE_DIR", "load_cases",
    "advisers", "check_adviser", "adviser_answer",
    "position_power", "check_broker", "position_figure", "position_answer",
    "efficient_packages", "check_package", "check_frontier_count", "packages_answer",
    "display_blocks", "reveal",
    "build_adviser_exercise", "build_position_exercise", "build_packages_exercise",
    "VOILA_TEMPLATE", "VOILA_TEMPLATE_NAME", "voila_template_root", "voila_command", "main",
]

REFERENCE_DIR = reference_dir()
NOTEBOOKS_DIR = notebooks_dir()


def _bad(param: str, func: str, must: str, got) -> ValueError:
    return ValueError(f"The '{param}' parameter of {func} must be {must}. Got {got!r} instead.")


def _ref_dir(reference_dir) -> Path:
    return REFERENCE_DIR if reference_dir in (None, "") else Path(reference_dir)


def load_cases(reference_dir=None) -> dict:
    """The three reference cases of the workshop, as deals.

    Parameters
    ----------
    reference_dir : str or Path, optional
        Folder holding the reference CSVs (default ``data/reference`` of the project).

    Returns
    -------
    dict
        ``krackhardt`` and ``florentine`` (:func:`powerkit.deal.reference.load_reference`),
        ``itex_cypress`` (:func:`powerkit.deal.reference.load_itex_cypress`).

    Raises
    ------
    FileNotFoundError
        When a reference CSV is missing.

    Examples
    --------
    >>> cases = load_cases()
    >>> sorted(cases), len(cases["krackhardt"].stakeholders), len(cases["florentine"].stakeholders)
    (['florentine', 'itex_cypress', 'krackhardt'], 21, 15)
    """
    from .deal.reference import load_itex_cypress, load_reference

    ref = _ref_dir(reference_dir)
    itex = ref / "itex_cypress_scoring.csv"
    if not itex.exists():
        raise FileNotFoundError(f"load_cases needs {itex}; see data/reference/README.md")
    return {"krackhardt": load_reference("krackhardt", path=ref),
            "florentine": load_reference("florentine", path=ref),
            "itex_cypress": load_itex_cypress(itex)}


def _name(table: pd.DataFrame, key) -> str:
    return str(table.at[key, "name"]) if key in table.index else str(key)


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
    ValueError
        When the deal has no advice ties.

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
    from .influence import formal_scores, measures

    if not deal.has("ties") or not (deal.ties["kind"] == "advice").any():
        raise _bad("deal", "advisers", "a deal with ties of kind 'advice'",
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


def check_adviser(table: pd.DataFrame, guess=None) -> dict:
    """Grade a guess of the most sought-after adviser against :func:`advisers`.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`advisers` output.
    guess : str or None
        A stakeholder id (None: no guess yet).

    Returns
    -------
    dict
        ``answer`` (the id(s) with the highest advice in-degree), ``answer_in_degree``,
        ``formal_top`` (formal rank 1, e.g. the CEO) with its ``formal_top_in_degree`` and
        ``formal_top_rank``, the ``guess`` with its in-degree and rank, ``correct`` and a
        markdown ``message`` (names escaped).

    Raises
    ------
    ValueError
        When the guess is not an id of the table.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> r = check_adviser(advisers(load_reference("krackhardt")), "7")
    >>> r["answer"], r["correct"], r["guess_in_degree"], r["formal_top"]
    (['2'], False, 13, '7')
    """
    from .text import esc

    if guess is not None:
        guess = str(guess)
        if guess not in table.index:
            raise _bad("guess", "check_adviser", "None or a stakeholder id of the table", guess)
    deg = table["advice_in_degree"]
    top = deg.max()
    answer = [str(i) for i in table.index[deg == top]]
    formal_top = str(table["formal_rank"].idxmin())
    others = len(table) - 1
    r = {"answer": answer, "answer_in_degree": int(top), "formal_top": formal_top,
         "formal_top_in_degree": int(deg[formal_top]),
         "formal_top_rank": int(table.at[formal_top, "advice_rank"]),
         "guess": guess, "guess_in_degree": None if guess is None else int(deg[guess]),
         "guess_rank": None if guess is None else int(table.at[guess, "advice_rank"]),
         "correct": None if guess is None else guess in answer}
    names = " and ".join(f"**{esc(_name(table, a))}**" for a in answer)
    msg = [f"{names} {'is' if len(answer) == 1 else 'are'} the most sought-after adviser: "
           f"{r['answer_in_degree']} of the {others} other managers go to them for advice."]
    if formal_top not in answer:
        msg.append(f"The top of the org chart, {esc(_name(table, formal_top))}, is asked by "
                   f"{r['formal_top_in_degree']} (advice rank {r['formal_top_rank']} of "
                   f"{len(table)}).")
    if guess is None:
        msg.append("*Pick your guess above to compare.*")
    elif r["correct"]:
        msg.append(f"Your guess, {esc(_name(table, guess))}, is right.")
    else:
        msg.append(f"Your guess, {esc(_name(table, guess))}, is asked by "
                   f"{r['guess_in_degree']} (rank {r['guess_rank']}).")
    r["message"] = " ".join(msg)
    return r


def adviser_answer(deal, guess=None, table=None, top: int = 6) -> list:
    """What the reveal of exercise 1 shows: the verdict, the top advisers, the two networks.

    Parameters
    ----------
    deal : powerkit.Deal
        The Krackhardt deal (or any deal with advice ties and an org chart).
    guess : str or None
        The trainee's guess (a stakeholder id).
    table : pandas.DataFrame, optional
        :func:`advisers` output (computed when omitted).
    top : int
        Rows of the table shown.

    Returns
    -------
    list
        Blocks for :func:`reveal`: markdown strings, a DataFrame, a ``go.Figure``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> blocks = adviser_answer(load_reference("krackhardt"), "7")
    >>> [type(b).__name__ for b in blocks]
    ['str', 'DataFrame', 'Figure', 'str']
    """
    from .influence import formal_graph, informal_graph
    from .plots import network_figure

    t = advisers(deal) if table is None else table
    r = check_adviser(t, guess)
    shown = t.head(top)[["name", "title", "formal_rank", "advice_in_degree", "advice_share",
                         "advice_rank"]].round({"advice_share": 2, "formal_rank": 1})
    highlight = list(r["answer"]) + [r["formal_top"]] + ([r["guess"]] if r["guess"] else [])
    fig = network_figure(formal_graph(deal), informal_graph(deal, "advice"),
                         size=t["advice_in_degree"], highlight=highlight,
                         title="The org chart (left) and the advice network (right); "
                               "size = colleagues who ask them")
    lesson = ("**What it teaches — formal vs informal power.** The chart says who may decide; "
              "the advice network says whose view the decision will carry. A proposal courted "
              "only at the top of the chart misses the people everyone else checks with. "
              "Outlined nodes: the most sought adviser, the top of the chart and your guess.")
    return [r["message"], shown, fig, lesson]


# ------------------------------------------------------------------------------------------------
# Exercise 2: the Medici — power from position
# ------------------------------------------------------------------------------------------------
def _priorates(reference_dir, families) -> pd.Series:
    f = _ref_dir(reference_dir) / "florentine_families_attributes.csv"
    if not f.exists():
        return pd.Series(np.nan, index=families, dtype=float)
    att = pd.read_csv(f).set_index("family")["priorates"].astype(float)
    return att.where(att >= 0).reindex(families)


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
    from .influence import measures

    if not deal.has("ties") or len(deal.ties) == 0:
        raise _bad("deal", "position_power", "a deal with ties", getattr(deal, "id", deal))
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
    t["priorates"] = pd.array(_priorates(reference_dir, t.index).to_numpy(), dtype="Int64")
    t = t[["name", "betweenness", "betweenness_rank", "marriages", "wealth", "wealth_rank",
           "priorates"]]
    t = t.sort_values(["betweenness", "wealth"], ascending=False, kind="stable")
    t.attrs["inputs"] = {"ties": sorted(deal.ties["kind"].unique().tolist()),
                         "wealth": "budget_authority (1427, thousands of lira)",
                         "source": str(deal.source)}
    return t


def check_broker(table: pd.DataFrame, guess=None) -> dict:
    """Grade a guess of the family in the strongest position against :func:`position_power`.

    Returns
    -------
    dict
        ``answer`` (highest betweenness), its ``betweenness``, the ``runner_up`` and its value,
        ``ratio`` (answer ÷ runner-up), ``richest`` with ``richest_wealth`` and
        ``answer_wealth``, ``guess``, ``guess_betweenness``, ``guess_rank``, ``correct`` and a
        markdown ``message``.

    Raises
    ------
    ValueError
        When the guess is not a family of the table.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> r = check_broker(position_power(load_reference("florentine")), "Strozzi")
    >>> r["answer"], r["richest"], r["correct"]
    ('Medici', 'Strozzi', False)
    """
    from .text import esc

    if guess is not None:
        guess = str(guess)
        if guess not in table.index:
            raise _bad("guess", "check_broker", "None or a family of the table", guess)
    b = table["betweenness"].sort_values(ascending=False, kind="stable")
    answer, runner = str(b.index[0]), str(b.index[1])
    richest = str(table["wealth"].idxmax())
    r = {"answer": answer, "betweenness": float(b.iloc[0]), "runner_up": runner,
         "runner_up_betweenness": float(b.iloc[1]),
         "ratio": float(b.iloc[0] / b.iloc[1]) if b.iloc[1] > 0 else None,
         "richest": richest, "richest_wealth": float(table.at[richest, "wealth"]),
         "answer_wealth": float(table.at[answer, "wealth"]),
         "guess": guess,
         "guess_betweenness": None if guess is None else float(table.at[guess, "betweenness"]),
         "guess_rank": None if guess is None else int(table.at[guess, "betweenness_rank"]),
         "correct": None if guess is None else guess == answer}
    msg = [f"**{esc(_name(table, answer))}** sit on {r['betweenness']:.0%} of the shortest "
           f"marriage paths between two other families (betweenness {r['betweenness']:.3f})"
           + (f", {r['ratio']:.1f} times the next, {esc(_name(table, runner))} "
              f"({r['runner_up_betweenness']:.3f})." if r["ratio"] else ".")]
    if richest != answer:
        msg.append(f"They were not the richest: {esc(_name(table, richest))} had "
                   f"{r['richest_wealth']:,.0f} thousand lira in 1427, "
                   f"{esc(_name(table, answer))} {r['answer_wealth']:,.0f}.")
    if guess is None:
        msg.append("*Pick your guess above to compare.*")
    elif r["correct"]:
        msg.append(f"Your guess, {esc(_name(table, guess))}, is right.")
    else:
        msg.append(f"Your guess, {esc(_name(table, guess))}: betweenness "
                   f"{r['guess_betweenness']:.3f} (rank {r['guess_rank']}).")
    r["message"] = " ".join(msg)
    return r


def position_figure(table: pd.DataFrame, highlight=()):
    """Wealth (across) against betweenness (up), one labelled dot per family.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`position_power` output.
    highlight : iterable
        Families drawn in red (e.g. the answer and the guess).

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> fig = position_figure(position_power(load_reference("florentine")))
    >>> fig.layout.xaxis.title.text
    'net wealth in 1427 (thousands of lira)'
    """
    import plotly.graph_objects as go

    from .plots.common import THEM_COLOUR, US_COLOUR, base_layout, esc, label_places

    hl = {str(h) for h in highlight}
    colour = [THEM_COLOUR if str(i) in hl else US_COLOUR for i in table.index]
    names = [esc(n) for n in table["name"]]
    hover = [f"{n}<br>betweenness {b:.3f} (rank {br})<br>wealth {w:,.0f}<br>marriages {m}"
             for n, b, br, w, m in zip(names, table["betweenness"], table["betweenness_rank"],
                                       table["wealth"], table["marriages"], strict=True)]
    # names where they fit without overlapping, the best-placed families first; axis units per
    # letter: x spans ~160 thousand lira over ~700 px, names at 12 px are ~6.5 px a letter
    place = label_places(table["wealth"], table["betweenness"], table["betweenness"],
                         [1.5 * len(n) for n in table["name"]], height=0.03)
    fig = go.Figure(go.Scatter(
        x=table["wealth"], y=table["betweenness"], mode="markers+text",
        text=[n if p else "" for n, p in zip(names, place, strict=True)],
        textposition=[p or "top center" for p in place], cliponaxis=False,
        hovertext=hover, hoverinfo="text", showlegend=False,
        marker=dict(size=8 + 4 * table["marriages"].to_numpy(), color=colour, opacity=0.8,
                    line=dict(color="white", width=1))))
    return base_layout(fig, "Power from position: brokerage vs wealth (size = marriages)",
                       x="net wealth in 1427 (thousands of lira)",
                       y="betweenness (share of shortest paths through the family)")


def position_answer(deal, guess=None, table=None, top: int = 6, reference_dir=None) -> list:
    """What the reveal of exercise 2 shows: the verdict, the table, wealth vs position.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> [type(b).__name__ for b in position_answer(load_reference("florentine"), "Medici")]
    ['str', 'DataFrame', 'Figure', 'str']
    """
    t = position_power(deal, reference_dir) if table is None else table
    r = check_broker(t, guess)
    shown = t.head(top).round({"betweenness": 3})
    if (shown["name"] == shown.index.astype(str)).all():
        shown = shown.drop(columns="name")
    fig = position_figure(t, highlight=[r["answer"]] + ([r["guess"]] if r["guess"] else []))
    lesson = ("**What it teaches — systemic power.** The Medici married into families that were "
              "not connected to each other, so every alliance went through them. Position in "
              "the network, not wealth or office, let them broker — and, as Padgett and Ansell "
              "show, keep their options open. In a deal, the broker between two camps is the "
              "person to map first.")
    return [r["message"], shown, fig, lesson]


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
    from .value import what_if

    return what_if(deal, batna=(0.0, 0.0), proposed=dict(package) if package else {},
                   alpha=0.5)


def _full_package(analysis, package) -> dict | None:
    if not package:
        return None
    issues = list(pd.unique(analysis.options["issue"]))
    pk = {i: package.get(i) for i in issues}
    return pk if all(v not in (None, "") for v in pk.values()) else None


def check_package(analysis, package=None) -> dict:
    """Grade a trainee's package: is it efficient, and what is better for both?

    Parameters
    ----------
    analysis : powerkit.value.ValueAnalysis
        :func:`efficient_packages` output.
    package : mapping issue -> option, or None
        None (or a package with a blank issue) means "no package yet".

    Returns
    -------
    dict
        ``package``, ``us`` and ``them`` (each side's utility, 0–1), ``efficient``,
        ``n_better`` (efficient packages at least as good for both and better for one),
        ``best`` (the one with the largest joint gain, as {issue: option}), ``joint_gain`` and
        a markdown ``message``. Utilities are those of :func:`powerkit.value.evaluate_package`.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> a = efficient_packages(load_itex_cypress())
    >>> issues = list(pd.unique(a.options["issue"]))
    >>> r = check_package(a, a.frontier.iloc[0][issues].to_dict())  # a frontier package
    >>> r["efficient"], r["n_better"]
    (True, 0)
    """
    from .text import esc
    from .value import evaluate_package

    us_l, them_l = analysis.us_label, analysis.them_label
    pk = _full_package(analysis, package)
    if pk is None:
        return {"package": None, "us": None, "them": None, "efficient": None, "n_better": None,
                "best": None, "joint_gain": None,
                "message": "*Choose an option on every issue above to test your package.*"}
    ev = evaluate_package(analysis.options, pk, frontier=analysis.frontier)
    issues = list(pk)
    best = None if ev.improvements.empty else {i: ev.improvements.iloc[0][i] for i in issues}
    r = {"package": {k: str(v) for k, v in pk.items()}, "us": ev.us, "them": ev.them,
         "efficient": not ev.dominated, "n_better": int(len(ev.improvements)),
         "best": None if best is None else {k: str(v) for k, v in best.items()},
         "joint_gain": ev.joint_gain}
    head = (f"Your package is worth {ev.us:.2f} to {esc(us_l)} and {ev.them:.2f} to "
            f"{esc(them_l)} (1 = each side's best).")
    if r["efficient"]:
        r["message"] = head + " It is **efficient**: no package is better for one side " \
                              "without being worse for the other."
    else:
        alt = ", ".join(f"{esc(k)} {esc(v)}" for k, v in r["best"].items())
        r["message"] = (head + f" It is **not efficient**: {r['n_better']} efficient "
                        f"package{'s are' if r['n_better'] != 1 else ' is'} at least as good "
                        f"for both. The best of them ({alt}) adds {ev.joint_gain:.2f} in total.")
    return r


def check_frontier_count(analysis, guess=None) -> dict:
    """Grade a guess of how many packages are efficient.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> r = check_frontier_count(efficient_packages(load_itex_cypress()), 40)
    >>> r["n_efficient"], r["n_packages"], r["off_by"]
    (18, 180, 22)
    """
    n_eff, n = len(analysis.frontier), int(analysis.n_packages)
    r = {"n_efficient": n_eff, "n_packages": n, "share": n_eff / n if n else None,
         "guess": None if guess is None else int(guess),
         "off_by": None if guess is None else int(guess) - n_eff}
    msg = (f"**{n_eff} of the {n} packages are efficient** ({r['share']:.0%}); every other "
           f"package can be improved for one side at no cost to the other.")
    if guess is not None:
        msg += f" Your guess: {int(guess)}."
    r["message"] = msg
    return r


def packages_answer(deal, package=None, count_guess=None, analysis=None) -> list:
    """What the reveal of exercise 3 shows: both verdicts, the frontier, the utility space.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> [type(b).__name__ for b in packages_answer(load_itex_cypress(), count_guess=40)]
    ['str', 'str', 'DataFrame', 'Figure', 'str']
    """
    from .plots import utility_space_figure

    base = efficient_packages(deal) if analysis is None else analysis
    pk = _full_package(base, package)
    shown = efficient_packages(deal, pk) if pk else base
    count = check_frontier_count(base, count_guess)
    pkg = check_package(base, pk)
    frontier = base.frontier.round({"us": 3, "them": 3}).rename(
        columns={"us": f"{base.us_label} (0–1)", "them": f"{base.them_label} (0–1)"})
    fig = utility_space_figure(shown)
    lesson = ("**What it teaches — value creation.** Most ways to settle leave something on the "
              "table for both sides. The efficient packages trade what matters less to one side "
              "for what matters more to the other; a side that proposes one of them gains "
              "without asking the other to lose — the steadier kind of power.")
    return [count["message"], pkg["message"], frontier, fig, lesson]


# ------------------------------------------------------------------------------------------------
# Showing answers: blocks, the reveal toggle, the exercise builders
# ------------------------------------------------------------------------------------------------
def display_blocks(blocks) -> None:
    """Display answer blocks: markdown strings, DataFrames (cells escaped), plotly figures."""
    from IPython.display import display

    from .widgets import to_outputs

    for output in to_outputs(blocks):
        display(output["data"], raw=True)


def reveal(render, description: str = "Show the answer", value: bool = False):
    """A toggle button that shows (and hides) an answer rendered only when pressed.

    Parameters
    ----------
    render : callable
        Called with no argument when the toggle is pressed; returns the blocks to show
        (markdown strings, DataFrames, plotly figures: :func:`powerkit.widgets.to_outputs`).
    description : str
        The button's label while the answer is hidden.
    value : bool
        Start with the answer shown (facilitator's copy).

    Returns
    -------
    ipywidgets.VBox
        With attributes ``toggle`` (ToggleButton), ``output`` (Output, its ``outputs`` set
        directly rather than captured, so that Voila and papermill never stall on it: see
        :func:`powerkit.widgets.to_outputs`), ``refresh()`` (render again if shown) and
        ``shown`` (the blocks last rendered, ``None`` while hidden).

    Examples
    --------
    >>> box = reveal(lambda: ["**42**"])
    >>> box.shown is None, box.output.outputs
    (True, ())
    >>> box.toggle.value = True
    >>> box.shown, box.toggle.description, len(box.output.outputs)
    (['**42**'], 'Hide the answer', 1)
    """
    import ipywidgets as w

    from .widgets import to_outputs

    toggle = w.ToggleButton(value=False, description=description, icon="eye",
                            button_style="info", layout=w.Layout(width="220px"))
    out = w.Output()
    box = w.VBox([toggle, out])
    box.shown = None

    def refresh(change=None):
        if not toggle.value:
            box.shown = None
            toggle.description = description
            out.outputs = ()
            return
        toggle.description = "Hide the answer"
        box.shown = list(render())
        out.outputs = to_outputs(box.shown)

    toggle.observe(refresh, names="value")
    box.toggle, box.output, box.refresh = toggle, out, refresh
    toggle.value = bool(value)
    return box


NO_GUESS = "— your guess —"


def _dropdown(options, description):
    import ipywidgets as w

    return w.Dropdown(options=[(NO_GUESS, ""), *options], value="",
                      description=description, style={"description_width": "initial"},
                      layout=w.Layout(width="420px"))


def _wire(box, controls: dict, reveal_box):
    for c in controls.values():
        c.observe(lambda change: reveal_box.refresh(), names="value")
    box.controls, box.toggle, box.output = controls, reveal_box.toggle, reveal_box.output
    box.reveal = reveal_box
    return box


def build_adviser_exercise(deal, table=None, show: bool = False):
    """Exercise 1 as widgets: pick the manager you think is most sought for advice, then reveal.

    The reveal calls :func:`adviser_answer` with the current guess.

    Returns
    -------
    ipywidgets.VBox
        With ``controls`` (``{"guess": Dropdown}``), ``toggle``, ``output`` and ``reveal``.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> box = build_adviser_exercise(load_reference("krackhardt"))
    >>> box.controls["guess"].value = "7"
    >>> box.toggle.value = True
    >>> box.reveal.shown[0].startswith("**Manager 2 (VP)**")
    True
    """
    import ipywidgets as w

    t = advisers(deal) if table is None else table
    order = sorted(t.index, key=lambda i: (len(str(i)), str(i)))
    guess = _dropdown([(str(t.at[i, "name"]), str(i)) for i in order],
                      "Most sought for advice:")
    rv = reveal(lambda: adviser_answer(deal, guess.value or None, t), value=show)
    return _wire(w.VBox([guess, rv]), {"guess": guess}, rv)


def build_position_exercise(deal, table=None, show: bool = False, reference_dir=None):
    """Exercise 2 as widgets: pick the family in the strongest position, then reveal.

    The reveal calls :func:`position_answer` with the current guess.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> box = build_position_exercise(load_reference("florentine"), show=True)
    >>> box.reveal.shown[0].startswith("**Medici**")
    True
    """
    import ipywidgets as w

    t = position_power(deal, reference_dir) if table is None else table
    guess = _dropdown([(str(t.at[i, "name"]), str(i)) for i in sorted(t.index)],
                      "Strongest position:")
    rv = reveal(lambda: position_answer(deal, guess.value or None, t), value=show)
    return _wire(w.VBox([guess, rv]), {"guess": guess}, rv)


def build_packages_exercise(deal, analysis=None, show: bool = False):
    """Exercise 3 as widgets: guess how many packages are efficient, build one, then reveal.

    One dropdown per issue and a slider for the count; the reveal calls
    :func:`packages_answer` with the current values.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> box = build_packages_exercise(load_itex_cypress())
    >>> sorted(box.controls)
    ['Delivery', 'Payment', 'Price', 'Returns', 'count']
    """
    import ipywidgets as w

    a = efficient_packages(deal) if analysis is None else analysis
    ctl: dict = {}
    for issue, opts in a.options.groupby("issue", sort=False)["option"]:
        ctl[str(issue)] = _dropdown([(str(o), o) for o in opts], f"{issue}:")
    ctl["count"] = w.IntSlider(value=a.n_packages // 2, min=0, max=a.n_packages,
                               description="How many are efficient?", continuous_update=False,
                               style={"description_width": "initial"},
                               layout=w.Layout(width="520px"))
    issues = [k for k in ctl if k != "count"]
    rv = reveal(lambda: packages_answer(deal, {i: ctl[i].value or None for i in issues},
                                        ctl["count"].value, a), value=show)
    box = w.VBox([ctl["count"], w.HTML("<b>Your package:</b>"),
                  w.HBox([ctl[i] for i in issues[:2]]), w.HBox([ctl[i] for i in issues[2:]]), rv])
    for i in issues:
        ctl[i].layout.width = "300px"
    return _wire(box, ctl, rv)


# ------------------------------------------------------------------------------------------------
# The dashboards (Voila)
# ------------------------------------------------------------------------------------------------
VOILA_TEMPLATE_NAME = "powerkit_workshop"

#: Files of the Voila page template: Voila's ``lab`` template without its two font stylesheets
#: from a CDN (the icons are bundled with Voila anyway) and without Mermaid's CDN loader, and a
#: tree/error page without the CDN font link. Nothing is fetched from outside 127.0.0.1.
VOILA_TEMPLATE = {
    "conf.json": json.dumps({"base_template": "lab"}),
    "index.html.j2": """\
{#- powerkit workshop: Voila's lab template with nothing loaded from a CDN -#}
{%- extends 'lab/index.html.j2' -%}
{% import "spinner.macro.html.j2" as spinner %}
{%- block notebook_css -%}
  {% if frontend == "voila" %}
    {{ resources.include_js("static/voila-style.js") }}
  {% endif %}
  {{ spinner.css() }}
  <style>
    .jp-mod-noOutputs.jp-mod-noInput { display: none; }
    body { background: var(--jp-layout-color1); }
    #rendered_cells { padding-left: calc(calc(100% - 1200px) * 0.5);
                      padding-right: calc(calc(100% - 1200px - 20px) * 0.5); }
    #rendered_cells > div { background: var(--jp-layout-color0); padding: 3ex 6ex 6ex 6ex; }
  </style>
  {{ super.super() }}
{%- endblock notebook_css -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
""",
    "page.html": """\
<!DOCTYPE HTML>
<html>
  <head>
    <meta charset="utf-8">
    <title>{% block title %}powerkit workshop{% endblock %}</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    {% block stylesheets %}
    {% if include_css %}
      {{ include_css("static/index.css") }}
      {{ include_css("static/theme-light.css") }}
    {% endif %}
    {% endblock %}
    {% block meta %}{% endblock %}
  </head>
  <body data-base-url="{{ base_url }}voila/" data-voila="voila">
    <div>
      {% block body %}{% endblock %}
    </div>
    {% block scripts %}{% endblock %}
  </body>
</html>
""",
}


def voila_template_root(base=None) -> Path:
    """Write :data:`VOILA_TEMPLATE` under ``<root>/voila/templates/`` and return ``<root>``.

    The root goes on ``JUPYTER_PATH`` so Voila finds the template by name. The default root is
    a folder of the system's temporary directory named after the template's content hash, so
    it is written once and reused.

    Examples
    --------
    >>> root = voila_template_root()
    >>> (root / "voila" / "templates" / VOILA_TEMPLATE_NAME / "conf.json").exists()
    True
    """
    import tempfile

    digest = hashlib.sha256(json.dumps(VOILA_TEMPLATE, sort_keys=True).encode()).hexdigest()[:12]
    root = Path(base) if base is not None else Path(tempfile.gettempdir()) / f"powerkit-voila-{digest}"
    folder = root / "voila" / "templates" / VOILA_TEMPLATE_NAME
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in VOILA_TEMPLATE.items():
        f = folder / name
        if not f.exists() or f.read_text(encoding="utf-8") != text:
            tmp = f.with_suffix(f.suffix + f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(f)
    return root


#: Notebooks served but not listed or pre-heated: the client report is not a dashboard.
HIDDEN_NOTEBOOKS = ("report.ipynb",)
#: What the dashboards' file list leaves out (jupyter_server's defaults, checkpoints, executed
#: copies, and :data:`HIDDEN_NOTEBOOKS`).
HIDDEN_GLOBS = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", ".ipynb_checkpoints",
                "*-out.ipynb", *HIDDEN_NOTEBOOKS)


def voila_command(target=None, port: int = 8866, preheat: bool = True, pool_size: int = 1,
                  template_root=None) -> tuple[list, dict]:
    """The Voila command line and environment that serve the workshop dashboards.

    Parameters
    ----------
    target : str or Path, optional
        A notebooks folder (tree mode: trainees pick a walkthrough) or one notebook; default
        the project's ``notebooks/``.
    port : int
        Port on 127.0.0.1.
    preheat : bool
        Execute every notebook ahead of the visitor in a pool of kernels (``--preheat_kernel``;
        a fresh kernel is pre-executed after each visit), so pages open at once. (A notebook
        whose widgets capture output while it is executed can stall, pre-heated or not: see
        :func:`powerkit.widgets.to_outputs`.)
    pool_size : int
        Pre-executed kernels kept ready per notebook.
    template_root : Path, optional
        Where the page template is (default :func:`voila_template_root`).

    Returns
    -------
    (list of str, dict)
        The argv (the ``voila`` next to this Python) and the environment: ``JUPYTER_PATH``
        with the template, ``PATH`` starting with this Python's ``bin`` folder so the
        ``python3`` kernel runs in the same environment.

    Raises
    ------
    ValueError
        When ``port`` or ``pool_size`` is out of range, or the target does not exist.

    Examples
    --------
    >>> argv, env = voila_command(port=8866)
    >>> argv[2:6]
    ['--no-browser', '--port=8866', '--Voila.ip=127.0.0.1', '--template=powerkit_workshop']
    """
    if not (isinstance(port, int) and 0 < port < 65536):
        raise _bad("port", "voila_command", "an int in 1..65535", port)
    if not (isinstance(pool_size, int) and pool_size >= 1):
        raise _bad("pool_size", "voila_command", "an int ≥ 1", pool_size)
    target = Path(NOTEBOOKS_DIR if target is None else target).resolve()
    if not target.exists():
        raise _bad("target", "voila_command", "an existing notebooks folder or notebook",
                   str(target))
    root = voila_template_root() if template_root is None else Path(template_root)
    bindir = Path(sys.executable).parent
    voila = bindir / "voila"
    argv = [str(voila) if voila.exists() else "voila", str(target), "--no-browser",
            f"--port={port}", "--Voila.ip=127.0.0.1", f"--template={VOILA_TEMPLATE_NAME}",
            "--strip_sources=True", "--show_tracebacks=False"]
    argv += [f"--ContentsManager.hide_globs={g}" for g in HIDDEN_GLOBS]
    if preheat:
        argv += ["--preheat_kernel=True", f"--pool_size={pool_size}"]
        argv += [f"--VoilaKernelManager.preheat_denylist={n}" for n in HIDDEN_NOTEBOOKS]
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join([str(root)] + ([env["JUPYTER_PATH"]]
                                                          if env.get("JUPYTER_PATH") else []))
    env["PATH"] = os.pathsep.join([str(bindir), env.get("PATH", "")])
    # the report's renderer embeds plotly.js and a MathJax <script> from a CDN in every figure;
    # dashboards use plotly's own mime type (drawn by Voila's plotly extension, offline)
    env.pop("PLOTLY_RENDERER", None)
    return argv, env


def main(argv=None) -> int:
    """``python -m powerkit.workshop``: serve the workshop dashboards (replaces this process)."""
    import argparse

    p = argparse.ArgumentParser(
        prog="python -m powerkit.workshop",
        description="Serve the walkthroughs and the workshop exercises as Voila dashboards on "
                    "127.0.0.1 (code hidden, widgets live).")
    p.add_argument("target", nargs="?", default=None,
                   help="notebooks folder (default: the project's notebooks/) or one notebook")
    p.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    p.add_argument("--pool-size", type=int, default=1,
                   help="pre-executed kernels kept ready per notebook (default 1; raise it for "
                        "a large room)")
    p.add_argument("--no-preheat", action="store_true",
                   help="execute each notebook when it is opened instead of ahead of time")
    p.add_argument("--print", action="store_true", dest="print_only",
                   help="print the command and exit")
    a = p.parse_args(argv)
    cmd, env = voila_command(a.target, port=a.port, preheat=not a.no_preheat,
                             pool_size=a.pool_size)
    if a.print_only:
        print(f"JUPYTER_PATH={env['JUPYTER_PATH']} " + " ".join(cmd))
        return 0
    print(f"Workshop dashboards: http://127.0.0.1:{a.port}/  (Ctrl-C to stop)", flush=True)
    os.execvpe(cmd[0], cmd, env)
    return 0  # pragma: no cover - exec does not return


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
