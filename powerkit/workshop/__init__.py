"""Workshop mode: exercises on published cases, answers revealed by a toggle, and the dashboards.

Three exercises, each on a real, published data set in ``data/reference`` (see its README):

* **Krackhardt's managers** (1987) — *find the real advisers*: who do the 21 managers of a
  high-tech firm actually go to for advice, and is it the CEO? (:func:`advisers`)
* **The Medici** (Padgett & Ansell 1993) — *power from position*: which Florentine family sat
  between the others in the marriage network, and was it the richest? (:func:`position_power`)
* **Itex vs Cypress** (Kersten & Noronha 1999) — *find the efficient packages*: of the 180
  ways to settle price, delivery, payment and returns, which ones can nobody improve for one
  side without hurting the other? (:func:`efficient_packages`)

One module per role:

==========================================  ====================================================
:mod:`~powerkit.workshop.cases`             the reference cases as deals (:func:`load_cases`)
:mod:`~powerkit.workshop.exercises`         each answer, computed by powerkit's analysis from
                                            the data, never typed in
:mod:`~powerkit.workshop.checks`            ``check_*``: grade a trainee's guess against it
:mod:`~powerkit.workshop.answers`           ``*_answer``: what a reveal shows (verdict, table,
                                            figure from :mod:`powerkit.plots.workshop`, lesson)
:mod:`~powerkit.workshop.widgets`           ``build_*_exercise``: a guess control wired to a
                                            :func:`reveal` toggle that renders the answer only
                                            when pressed
:mod:`~powerkit.workshop.chooser`           the deal chooser every walkthrough dashboard shows
                                            (:func:`chosen_deal`): the deals folder, an upload
:mod:`~powerkit.workshop.voila_page`        the dashboards' page template (HTML, no CDN)
:mod:`~powerkit.workshop.serve`             the Voila command ``powerkit workshop`` runs
==========================================  ====================================================

``make workshop`` runs ``powerkit workshop --port 8866``: Voila serving the walkthroughs and this
workshop on 127.0.0.1, code hidden, widgets live, each notebook executed ahead of the visitor in
a pre-heated kernel. ``powerkit workshop --help`` lists the options.
"""
from __future__ import annotations

from .answers import LESSONS, adviser_answer, packages_answer, position_answer
from .cases import case_dir, load_cases, priorates
from .checks import check_adviser, check_broker, check_frontier_count, check_package
from .chooser import build_chooser, chosen_deal, deal_choices
from .exercises import advisers, efficient_packages, full_package, position_power
from .serve import (
    HIDDEN_GLOBS,
    HIDDEN_NOTEBOOKS,
    notebook_title,
    notebook_titles,
    plotly_widget_bundle,
    serve,
    voila_command,
    voila_template_root,
)
from .voila_page import VOILA_TEMPLATE, VOILA_TEMPLATE_NAME
from .widgets import (
    NO_GUESS,
    build_adviser_exercise,
    build_packages_exercise,
    build_position_exercise,
    display_blocks,
    reveal,
)

__all__ = [
    "load_cases", "case_dir", "priorates",
    "advisers", "check_adviser", "adviser_answer",
    "position_power", "check_broker", "position_answer",
    "efficient_packages", "full_package", "check_package", "check_frontier_count",
    "packages_answer", "LESSONS",
    "display_blocks", "reveal", "NO_GUESS",
    "build_adviser_exercise", "build_position_exercise", "build_packages_exercise",
    "VOILA_TEMPLATE", "VOILA_TEMPLATE_NAME", "HIDDEN_NOTEBOOKS", "HIDDEN_GLOBS",
    "voila_template_root", "plotly_widget_bundle", "voila_command", "serve", "notebook_title",
    "notebook_titles",
    "chosen_deal", "build_chooser", "deal_choices",
]
