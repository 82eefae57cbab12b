"""Figures of the hidden-constraints walkthrough: the ACH heat map with diagnosticity, posterior
bars against the prior, and the question ranking with the spread of possible outcomes."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..text import label as lbl
from .common import THEM_COLOUR, THIRD_COLOUR, US_COLOUR, base_layout

__all__ = ["ach_figure", "posterior_figure", "question_figure"]

# red (contradicts) … white (neutral) … green (fits)
_DIVERGING = [[0.0, "#c0392b"], [0.5, "#f7f7f7"], [1.0, "#27ae60"]]


def ach_figure(analysis, *, title: str = "Evidence against hypotheses (ACH matrix)") -> go.Figure:
    """Heat map of weights of evidence (bits): hypotheses × evidence items, with each item's
    diagnosticity as a bar strip underneath.

    Parameters
    ----------
    analysis : powerkit.constraints.ConstraintAnalysis
    title : str

    Returns
    -------
    go.Figure
        Trace 0 the heat map (z in bits, text the rating as entered), trace 1 the
        diagnosticity bars (bits).
    """
    W = analysis.contributions
    ach = analysis.ach
    items = [lbl(e) for e in W.index]
    hyps = [lbl(h) for h in W.columns]
    z = W.to_numpy().T if W.size else np.zeros((len(hyps), 0))
    lim = float(np.abs(z).max()) if z.size else 1.0
    lim = lim if lim > 0 else 1.0
    text = [[lbl(ach.loc[e, h]) for e in W.index] for h in W.columns]
    desc = analysis.diagnosticity["description"].reindex(W.index)
    hover = [[f"{lbl(h)} · {lbl(e)}: {lbl(desc.loc[e])}<br>rating {lbl(ach.loc[e, h]) or '—'}"
              f"<br>weight %{{z:.2f}} bits" for e in W.index] for h in W.columns]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.78, 0.22],
                        vertical_spacing=0.06)
    fig.add_trace(go.Heatmap(z=z, x=items, y=hyps, text=text, texttemplate="%{text}",
                             customdata=hover, hovertemplate="%{customdata}<extra></extra>",
                             colorscale=_DIVERGING, zmin=-lim, zmax=lim, zmid=0,
                             colorbar=dict(title="bits", len=0.75, y=0.62),
                             name="weight of evidence"), row=1, col=1)
    d = analysis.diagnosticity["diagnosticity_bits"].reindex(W.index).to_numpy()
    active = analysis.diagnosticity["active"].reindex(W.index).to_numpy()
    fig.add_trace(go.Bar(x=items, y=d, name="diagnosticity",
                         marker_color=[US_COLOUR if a else THIRD_COLOUR for a in active],
                         hovertemplate="%{x}: %{y:.2f} bits<extra>diagnosticity</extra>"),
                  row=2, col=1)
    base_layout(fig, title, height=max(380, 120 + 45 * len(hyps) + 120))
    fig.update_yaxes(title_text="hypothesis", row=1, col=1, autorange="reversed")
    fig.update_yaxes(title_text="diagnosticity (bits)", row=2, col=1)
    fig.update_xaxes(title_text="evidence item", row=2, col=1)
    fig.update_layout(showlegend=False)
    return fig


def posterior_figure(analysis, *, title: str = "Hidden constraints: prior and posterior") -> go.Figure:
    """Horizontal bars of each hypothesis' posterior with its prior for comparison, and the
    likelihood threshold as a dashed line.

    Parameters
    ----------
    analysis : powerkit.constraints.ConstraintAnalysis
    title : str

    Returns
    -------
    go.Figure
        Trace 0 the priors, trace 1 the posteriors (probability, 0–1).
    """
    h = analysis.hypotheses.iloc[::-1]
    labels = [f"{lbl(i)} · {lbl(r['kind']).replace('_', ' ')} ({lbl(r['holder'])})"
              + (f" [{lbl(r['group'])}]" if isinstance(r["group"], str) else "")
              for i, r in h.iterrows()]
    stmt = [lbl(s) for s in h["statement"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=labels, x=h["prior"], orientation="h", name="prior",
                         marker_color="#bdc3c7", customdata=stmt,
                         hovertemplate="%{customdata}<br>prior %{x:.0%}<extra></extra>"))
    fig.add_trace(go.Bar(y=labels, x=h["posterior"], orientation="h", name="posterior",
                         marker_color=[THEM_COLOUR if lk else US_COLOUR for lk in h["likely"]],
                         customdata=stmt,
                         hovertemplate="%{customdata}<br>posterior %{x:.0%}<extra></extra>"))
    thr = analysis.params.get("threshold", 0.5)
    fig.add_vline(x=thr, line_dash="dash", line_color="#555")
    base_layout(fig, title, x="probability", y="hypothesis",
                height=max(300, 110 + 48 * len(h)))
    fig.update_layout(barmode="group", xaxis_range=[0, 1], xaxis_tickformat=".0%",
                      legend=dict(orientation="h", y=-0.2))
    return fig


def question_figure(analysis, *, top: int = 10,
                   title: str = "Next best question: expected gain and possible outcomes") -> go.Figure:
    """Question ranking: expected information gain (bits, left) and, for the hypothesis each
    question moves most (:meth:`~powerkit.constraints.ConstraintAnalysis.largest_swings`), its
    posterior now, after a "yes" and after a "no" (right).

    Parameters
    ----------
    analysis : powerkit.constraints.ConstraintAnalysis
    top : int
        How many questions of the ranking to show.
    title : str

    Returns
    -------
    go.Figure
        Trace 0 the gains; traces 1–3 the spread (line), "if yes" and "if no" markers; trace 4
        the posterior now.
    """
    q = analysis.questions.head(top).iloc[::-1]
    swing = analysis.largest_swings()
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.45, 0.55],
                        horizontal_spacing=0.04)
    labels = [f"{lbl(r['question'])}: {lbl(str(r['text'])[:48])}" for _, r in q.iterrows()]
    fig.add_trace(go.Bar(y=labels, x=q["expected_gain_bits"], orientation="h",
                         marker_color=US_COLOUR, name="expected gain",
                         hovertemplate="%{x:.3f} bits<extra>expected gain</extra>"), row=1, col=1)
    xs, ys, yes, no, now, names = [], [], [], [], [], []
    for lab, (_, r) in zip(labels, q.iterrows(), strict=True):
        if r["question"] not in swing.index:
            yes.append(None), no.append(None), now.append(None), names.append("")
            continue
        row = swing.loc[r["question"]]
        xs += [row["if_no"], row["if_yes"], None]
        ys += [lab, lab, None]
        yes.append(row["if_yes"])
        no.append(row["if_no"])
        now.append(row["now"])
        names.append(lbl(row["hypothesis"]))
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#999", width=6),
                             showlegend=False, hoverinfo="skip"), row=1, col=2)
    fig.add_trace(go.Scatter(x=yes, y=labels, mode="markers", name="if yes",
                             marker=dict(color="#27ae60", size=11, symbol="triangle-right"),
                             customdata=names,
                             hovertemplate="%{customdata} if yes: %{x:.0%}<extra></extra>"),
                  row=1, col=2)
    fig.add_trace(go.Scatter(x=no, y=labels, mode="markers", name="if no",
                             marker=dict(color="#c0392b", size=11, symbol="triangle-left"),
                             customdata=names,
                             hovertemplate="%{customdata} if no: %{x:.0%}<extra></extra>"),
                  row=1, col=2)
    fig.add_trace(go.Scatter(x=now, y=labels, mode="markers", name="now",
                             marker=dict(color="#333", size=9, symbol="line-ns-open",
                                         line=dict(width=3)),
                             customdata=names,
                             hovertemplate="%{customdata} now: %{x:.0%}<extra></extra>"),
                  row=1, col=2)
    base_layout(fig, title, height=max(320, 110 + 44 * len(q)))
    fig.update_xaxes(title_text="expected information gain (bits)", row=1, col=1)
    fig.update_xaxes(title_text="posterior of the hypothesis it moves most", range=[0, 1],
                     tickformat=".0%", row=1, col=2)
    fig.update_layout(legend=dict(orientation="h", y=-0.25))
    return fig
