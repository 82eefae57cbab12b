"""Grading a trainee's guess against the computed answer: ``check_*`` → a dict of numbers and a
markdown ``message`` (names from the data escaped with :func:`powerkit.text.esc`).

The two "pick the person" exercises (the most sought adviser, the family in the strongest
position) grade the same way — the guess must be an id of the table, its score and rank are
read from the table, the verdict ends with the same sentence — through :func:`grade_pick`; the
package exercise grades a package (:func:`check_package`) and a count
(:func:`check_frontier_count`).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import bad_argument
from ..text import esc
from .exercises import full_package

__all__ = ["Pick", "grade_pick", "check_adviser", "check_broker", "check_package",
           "check_frontier_count"]

NO_GUESS_YET = "*Pick your guess above to compare.*"


def _name(table: pd.DataFrame, key) -> str:
    return str(table.at[key, "name"]) if key in table.index else str(key)


@dataclass(frozen=True)
class Pick:
    """A guess of one row of an exercise table, read against the table (:func:`grade_pick`).

    Attributes
    ----------
    guess : str or None
        The id guessed (None: no guess yet).
    score, rank
        The guess's value of the graded column and its rank (None without a guess).
    correct : bool or None
        Whether the guess is one of the answers (None without a guess).
    verdict : str
        The message's last sentence: the invitation to guess, "is right", or the guess's
        ``detail`` (escaped name first).
    """

    guess: str | None
    score: float | None
    rank: int | None
    correct: bool | None
    verdict: str


def grade_pick(table: pd.DataFrame, guess, answers, *, score: str, rank: str, func: str,
               must: str, detail) -> Pick:
    """Grade a guess of one row of ``table``: the shared logic of :func:`check_adviser` and
    :func:`check_broker`.

    Parameters
    ----------
    table : pandas.DataFrame
        The exercise's table (index = ids; a ``name`` column is used in the verdict when present).
    guess : str, int or None
        The trainee's guess (ids given as int are accepted); None: no guess yet.
    answers : collection of str
        The right ids.
    score, rank : str
        The table's columns read for the guess.
    func, must : str
        For the error message of a guess that is not an id of the table.
    detail : callable
        ``detail(score, rank) -> str``: what follows the guess's name in a wrong guess's verdict.

    Returns
    -------
    Pick

    Raises
    ------
    powerkit.errors.InputError
        (a ValueError) When the guess is not an id of the table.

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["Ann", "Bob"], "votes": [3, 1], "votes_rank": [1, 2]},
    ...                  index=["a", "b"])
    >>> grade_pick(t, "b", ["a"], score="votes", rank="votes_rank", func="f", must="an id",
    ...            detail=lambda s, r: f": {s} votes (rank {r}).").verdict
    'Your guess, Bob: 1 votes (rank 2).'
    """
    if guess is None:
        return Pick(None, None, None, None, NO_GUESS_YET)
    guess = str(guess)
    if guess not in table.index:
        raise bad_argument("guess", func, must, guess)
    value, place = table.at[guess, score], int(table.at[guess, rank])
    correct = guess in answers
    said = f"Your guess, {esc(_name(table, guess))}"
    verdict = f"{said}, is right." if correct else said + detail(value, place)
    return Pick(guess, value, place, correct, verdict)


def check_adviser(table: pd.DataFrame, guess=None) -> dict:
    """Grade a guess of the most sought-after adviser against :func:`~powerkit.workshop.advisers`.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~powerkit.workshop.advisers` output.
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
    powerkit.errors.InputError
        (a ValueError) When the guess is not an id of the table.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.workshop import advisers
    >>> r = check_adviser(advisers(load_reference("krackhardt")), "7")
    >>> r["answer"], r["correct"], r["guess_in_degree"], r["formal_top"]
    (['2'], False, 13, '7')
    """
    deg = table["advice_in_degree"]
    top = deg.max()
    answer = [str(i) for i in table.index[deg == top]]
    pick = grade_pick(table, guess, answer, score="advice_in_degree", rank="advice_rank",
                      func="check_adviser", must="None or a stakeholder id of the table",
                      detail=lambda d, rk: f", is asked by {int(d)} (rank {rk}).")
    formal_top = str(table["formal_rank"].idxmin())
    others = len(table) - 1
    r = {"answer": answer, "answer_in_degree": int(top), "formal_top": formal_top,
         "formal_top_in_degree": int(deg[formal_top]),
         "formal_top_rank": int(table.at[formal_top, "advice_rank"]),
         "guess": pick.guess, "guess_in_degree": None if pick.score is None else int(pick.score),
         "guess_rank": pick.rank, "correct": pick.correct}
    names = " and ".join(f"**{esc(_name(table, a))}**" for a in answer)
    msg = [f"{names} {'is' if len(answer) == 1 else 'are'} the most sought-after adviser: "
           f"{r['answer_in_degree']} of the {others} other managers go to them for advice."]
    if formal_top not in answer:
        msg.append(f"The top of the org chart, {esc(_name(table, formal_top))}, is asked by "
                   f"{r['formal_top_in_degree']} (advice rank {r['formal_top_rank']} of "
                   f"{len(table)}).")
    msg.append(pick.verdict)
    r["message"] = " ".join(msg)
    return r


def check_broker(table: pd.DataFrame, guess=None) -> dict:
    """Grade a guess of the family in the strongest position against
    :func:`~powerkit.workshop.position_power`.

    Returns
    -------
    dict
        ``answer`` (highest betweenness), its ``betweenness``, the ``runner_up`` and its value,
        ``ratio`` (answer ÷ runner-up), ``richest`` with ``richest_wealth`` and
        ``answer_wealth``, ``guess``, ``guess_betweenness``, ``guess_rank``, ``correct`` and a
        markdown ``message``.

    Raises
    ------
    powerkit.errors.InputError
        (a ValueError) When the guess is not a family of the table.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> from powerkit.workshop import position_power
    >>> r = check_broker(position_power(load_reference("florentine")), "Strozzi")
    >>> r["answer"], r["richest"], r["correct"]
    ('Medici', 'Strozzi', False)
    """
    b = table["betweenness"].sort_values(ascending=False, kind="stable")
    answer, runner = str(b.index[0]), str(b.index[1])
    pick = grade_pick(table, guess, [answer], score="betweenness", rank="betweenness_rank",
                      func="check_broker", must="None or a family of the table",
                      detail=lambda v, rk: f": betweenness {v:.3f} (rank {rk}).")
    richest = str(table["wealth"].idxmax())
    r = {"answer": answer, "betweenness": float(b.iloc[0]), "runner_up": runner,
         "runner_up_betweenness": float(b.iloc[1]),
         "ratio": float(b.iloc[0] / b.iloc[1]) if b.iloc[1] > 0 else None,
         "richest": richest, "richest_wealth": float(table.at[richest, "wealth"]),
         "answer_wealth": float(table.at[answer, "wealth"]),
         "guess": pick.guess,
         "guess_betweenness": None if pick.score is None else float(pick.score),
         "guess_rank": pick.rank, "correct": pick.correct}
    msg = [f"**{esc(_name(table, answer))}** sit on {r['betweenness']:.0%} of the shortest "
           f"marriage paths between two other families (betweenness {r['betweenness']:.3f})"
           + (f", {r['ratio']:.1f} times the next, {esc(_name(table, runner))} "
              f"({r['runner_up_betweenness']:.3f})." if r["ratio"] else ".")]
    if richest != answer:
        msg.append(f"They were not the richest: {esc(_name(table, richest))} had "
                   f"{r['richest_wealth']:,.0f} thousand lira in 1427, "
                   f"{esc(_name(table, answer))} {r['answer_wealth']:,.0f}.")
    msg.append(pick.verdict)
    r["message"] = " ".join(msg)
    return r


def check_package(analysis, package=None) -> dict:
    """Grade a trainee's package: is it efficient, and what is better for both?

    Parameters
    ----------
    analysis : powerkit.value.ValueAnalysis
        :func:`~powerkit.workshop.efficient_packages` output.
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
    >>> from powerkit.workshop import efficient_packages
    >>> a = efficient_packages(load_itex_cypress())
    >>> issues = list(pd.unique(a.options["issue"]))
    >>> r = check_package(a, a.frontier.iloc[0][issues].to_dict())  # a frontier package
    >>> r["efficient"], r["n_better"]
    (True, 0)
    """
    from ..value import evaluate_package

    us_l, them_l = analysis.us_label, analysis.them_label
    pk = full_package(analysis, package)
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
    >>> from powerkit.workshop import efficient_packages
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
