"""Widgets of walkthrough 3 (hidden constraints): switch evidence items on and off, change a
rating or a source's credibility, answer a question, and watch the posteriors move.

The callback is :func:`powerkit.constraints.what_if`; the builder only keeps the overrides in a
dict (``box.state``), calls it on every change and redraws the figures in ``Output`` widgets.
"""
from __future__ import annotations

import ipywidgets as w
import numpy as np

from .. import constraints as pc
from ..plots.constraints import posterior_figure, question_figure
from ..text import esc
from . import (
    AHEAD,
    BUSY_CSS,
    FigureView,
    Memo,
    moved,
    refresher,
    row,
    shorten,
    slider_layout,
    slider_positions,
    to_outputs,
    view_of,
)

__all__ = ["build_constraints_widgets"]

_KEEP = "(as in the file)"
_NOT_ASKED = "not asked"


def build_constraints_widgets(deal, off=(), ratings=None, credibility=None, answers=None,
                              threshold: float = 0.5):
    """Controls for the evidence and the question bank, wired to
    :func:`powerkit.constraints.what_if`.

    * **switch off** — a multi-select of evidence items to leave out;
    * **rating** — pick an evidence × hypothesis cell and give it an ACH rating (CC … II);
    * **credibility** — pick an evidence item and set its credibility (0 makes it neutral);
    * **answer** — pick a question and record "yes" or "no".

    Parameters
    ----------
    deal : Deal
        A deal with a ``hypotheses`` table.
    off, ratings, credibility, answers, threshold
        Starting overrides, as for :func:`powerkit.constraints.what_if`.

    Returns
    -------
    ipywidgets.VBox
        With attributes ``controls`` (the widgets by name), ``state`` (the current overrides:
        off, ratings keyed by (evidence, hypothesis), credibility, answers), ``refresh()``, ``last`` (the latest
        :class:`~powerkit.constraints.ConstraintAnalysis`) and ``figures`` (the latest posterior
        chart, question chart and "rests on" table).

    Examples
    --------
    The callback, called the way the controls call it:

    >>> import powerkit
    >>> from pathlib import Path
    >>> root = Path(powerkit.__file__).resolve().parents[1]
    >>> deal = powerkit.load_deal(root / "tests/fixtures/constraints/basic")
    >>> a = pc.what_if(deal, off=["e1"], answers={"q1": "yes"})
    >>> round(float(a.posterior["hd"]), 4), round(float(a.posterior["hb"]), 4)
    (0.4286, 0.9474)
    """
    deal.table("hypotheses", analysis="the hidden-constraints widgets")  # or MissingTableError
    ev = deal.evidence if deal.has("evidence") else None
    style = {"description_width": "initial"}
    lay = w.Layout(width="360px")
    state = {"off": [str(x) for x in off], "ratings": _flat(ratings),
             "credibility": dict(credibility or {}), "answers": dict(answers or {})}
    ctl: dict = {}

    items = [] if ev is None else list(dict.fromkeys(str(e) for e in ev["evidence"]))
    first_desc = {} if ev is None else {str(e): str(d) for e, d in
                                        zip(ev["evidence"][::-1], ev["description"][::-1],
                                            strict=True)}
    item_opts = [(f"{e} · {shorten(first_desc[e], 60)}", e) for e in items]
    ctl["off"] = w.SelectMultiple(options=item_opts, value=tuple(state["off"]), rows=6,
                                  description="switch off", style=style,
                                  layout=w.Layout(width="560px"))
    cells = [] if ev is None else [(str(e), str(h)) for e, h in
                                   zip(ev["evidence"], ev["hypothesis"], strict=True)]
    cell_opts = [(f"{e} → {h}", (e, h)) for e, h in cells]
    in_file = {} if ev is None else {(str(e), str(h)): str(r) for e, h, r in zip(
        ev["evidence"], ev["hypothesis"], ev["rating"], strict=True)}
    ctl["cell"] = w.Dropdown(options=cell_opts, value=cell_opts[0][1] if cell_opts else None,
                             description="evidence → hypothesis", style=style, layout=lay)
    ctl["rating"] = w.Dropdown(options=_rating_options(in_file.get(ctl["cell"].value)),
                               value=_KEEP, description="rating", style=style,
                               layout=w.Layout(width="auto", min_width="260px"))
    ctl["item"] = w.Dropdown(options=item_opts, value=items[0] if items else None,
                             description="credibility of", style=style, layout=lay)
    ctl["credibility"] = w.FloatSlider(value=1.0, min=0.0, max=1.0, step=0.05,
                                       description="credibility", continuous_update=False,
                                       style=style, layout=slider_layout("credibility"))
    qids = [] if not deal.has("questions") else list(dict.fromkeys(
        str(q) for q in deal.questions["question"]))
    qtext = {} if not deal.has("questions") else {str(q): str(t) for q, t in zip(
        deal.questions["question"][::-1], deal.questions["text"][::-1], strict=True)}
    ctl["question"] = w.Dropdown(options=[(f"{q} · {shorten(qtext[q], 70)}", q) for q in qids],
                                 value=qids[0] if qids else None, description="question",
                                 style=style, layout=w.Layout(width="560px"))
    ctl["answer"] = w.ToggleButtons(options=[_NOT_ASKED, "yes", "no"], value=_NOT_ASKED,
                                    description="answer", style=style)
    ctl["reset"] = w.Button(description="reset all", icon="undo")
    status = w.HTML()
    post, quest, rest_out = FigureView(), FigureView(), w.Output()
    views = view_of(status, post.view, quest.view, rest_out)
    box = w.VBox([
        w.HTML(BUSY_CSS + "<b>Evidence</b>: leave items out, change a rating or a source's "
               "credibility"),
        ctl["off"], row(ctl["cell"], ctl["rating"]),
        row(ctl["item"], ctl["credibility"]),
        w.HTML("<b>Questions</b>: record an answer and see the posteriors move"),
        ctl["question"], ctl["answer"], ctl["reset"], status, post.view, quest.view, rest_out])
    note = {"text": ""}
    syncing = {"on": False}

    def sync_controls():
        """Show the stored override of the selected cell, item and question."""
        syncing["on"] = True
        try:
            if ctl["cell"].value is not None:
                opts = _rating_options(in_file.get(ctl["cell"].value))
                if tuple(ctl["rating"].options) != opts:
                    ctl["rating"].options = opts
                ctl["rating"].value = state["ratings"].get(ctl["cell"].value, _KEEP)
            if ctl["item"].value is not None:
                ctl["credibility"].value = _credibility_of(ev, ctl["item"].value,
                                                           state["credibility"])
            if ctl["question"].value is not None:
                ctl["answer"].value = state["answers"].get(ctl["question"].value, _NOT_ASKED)
        finally:
            syncing["on"] = False

    shown = Memo()

    def key_of(st):
        """The overrides as a key: (off, ratings, credibility, answers), each sorted."""
        return (tuple(st["off"]), tuple(sorted(st["ratings"].items())),
                tuple(sorted(st["credibility"].items())), tuple(sorted(st["answers"].items())))

    def view(key):
        """The analysis for the overrides ``key``, its status line, figures and table."""
        from IPython.display import HTML

        off, ratings, cred, answers = key
        ratings_now: dict = {}
        for (e, h), r in ratings:
            ratings_now.setdefault(e, {})[h] = r
        a = pc.what_if(deal, off=list(off), ratings=ratings_now, credibility=dict(cred),
                       answers=dict(answers), threshold=threshold)
        likely = a.likely()
        top_q = a.next_question()
        text = (f"{len(likely)} of {len(a.hypotheses)} hypotheses at or above {threshold:.0%}; "
                f"uncertainty left {a.entropy_bits:.2f} bits"
                + ("" if top_q is None else
                   f"; next best question: <b>{esc(top_q['question'])}</b> "
                   f"({top_q['expected_gain_bits']:.2f} bits)"))
        rests = a.sensitivity.round(3)
        outs = to_outputs([HTML("<b>The view rests on</b> (removing one of these flips a "
                                "conclusion):" + (rests.to_html(index=False) if len(rests)
                                                  else " none."))])
        return (a, text, posterior_figure(a), question_figure(a) if len(a.questions) else None,
                rests, outs)

    def warm_ahead(what: str | None, direction: int = 0):
        """Keys one move away: the credibility slider's next positions (either way at the
        start; on in the direction it moved after a move), and the other ratings of the chosen
        cell."""
        keys = []
        item, cell = ctl["item"].value, ctl["cell"].value
        if item is not None and what in (None, "credibility"):
            for x in slider_positions(ctl["credibility"], reach=AHEAD[1 if direction else 0],
                                      direction=direction):
                keys.append(key_of({**state, "credibility": {**state["credibility"],
                                                             item: float(x)}}))
        if cell is not None and what in (None, "rating"):
            was = in_file.get(cell)
            for _, r in ctl["rating"].options:
                rt = {k: v for k, v in state["ratings"].items() if k != cell}
                if r not in (_KEEP, was):
                    rt[cell] = r
                keys.append(key_of({**state, "ratings": rt}))
        shown.warm(keys, view)

    def draw(what=None):
        a, text, post_fig, quest_fig, rests, outs = shown.get(key_of(state), view)
        box.last = a
        status.value = note["text"] + text
        post.update(post_fig)
        quest.update(quest_fig)
        box.figures = (post.figure, quest.figure, rests)
        rest_out.outputs = outs
        what, direction = what if isinstance(what, tuple) else (what, 0)
        warm_ahead(what if isinstance(what, str) else None, direction)
        return a

    refresh = refresher(views, draw, status)

    def on_off(change):
        state["off"] = list(change["new"])
        refresh()

    def on_rating(change):
        if syncing["on"] or ctl["cell"].value is None:
            return
        cell = ctl["cell"].value
        was = in_file.get(cell)
        if change["new"] == _KEEP:
            state["ratings"].pop(cell, None)
            note["text"] = f"{esc(cell[0])} → {esc(cell[1])}: back to the file's rating {esc(was)}. "
        elif change["new"] == was:
            state["ratings"].pop(cell, None)
            note["text"] = (f"{esc(cell[0])} → {esc(cell[1])} is already rated {esc(was)} in "
                            "the file: the posteriors do not change. ")
        else:
            state["ratings"][cell] = change["new"]
            note["text"] = (f"{esc(cell[0])} → {esc(cell[1])}: rated {esc(change['new'])} "
                            f"instead of {esc(was)}. ")
        refresh("rating")
        note["text"] = ""

    def on_credibility(change):
        if syncing["on"] or ctl["item"].value is None:
            return
        state["credibility"][ctl["item"].value] = float(change["new"])
        refresh(("credibility", moved(change)[1]))

    def on_answer(change):
        if syncing["on"] or ctl["question"].value is None:
            return
        if change["new"] == _NOT_ASKED:
            state["answers"].pop(ctl["question"].value, None)
        else:
            state["answers"][ctl["question"].value] = change["new"]
        refresh()

    def on_reset(_):
        state.update(off=[], ratings={}, credibility={}, answers={})
        syncing["on"] = True
        ctl["off"].value = ()
        syncing["on"] = False
        sync_controls()
        refresh()

    ctl["off"].observe(on_off, names="value")
    ctl["rating"].observe(on_rating, names="value")
    ctl["credibility"].observe(on_credibility, names="value")
    ctl["answer"].observe(on_answer, names="value")
    for name in ("cell", "item", "question"):
        ctl[name].observe(lambda _c: sync_controls(), names="value")
    ctl["reset"].on_click(on_reset)
    box.controls = ctl
    box.state = state
    box.refresh = refresh
    box.last = None
    box.figures = ()
    sync_controls()
    refresh()
    return box


def _rating_options(file_rating) -> list:
    """The rating choices: the file's own rating named on the first one (the current rating is
    always visible), then every ACH rating."""
    keep = _KEEP if file_rating is None else f"{_KEEP[:-1]}: {file_rating})"
    return ((keep, _KEEP), *((r, r) for r in pc.RATING_LR))


def _flat(ratings) -> dict:
    """{(e, h): rating} from {e: {h: rating}} (the value the cell dropdown uses)."""
    out = {}
    for e, v in (ratings or {}).items():
        for h, r in v.items():
            out[(str(e), str(h))] = r
    return out


def _credibility_of(ev, item: str, overrides: dict) -> float:
    if item in overrides:
        return float(overrides[item])
    rows = ev[ev["evidence"].astype(str) == item]
    src = rows["source"].iloc[0]
    if src is not None and src in overrides:
        return float(overrides[src])
    c = rows["credibility"].to_numpy(dtype=float)
    return float(np.nanmean(c)) if len(c) and not np.isnan(c).all() else 1.0
