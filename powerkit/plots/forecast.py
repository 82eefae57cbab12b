"""Figures of walkthrough 6 (forecasting a multi-party decision): where each issue lands under
each model against the actors' positions and ours, the BDM rounds, the exchanges, and whom to
move to shift a forecast.

Each function takes the frames of :mod:`powerkit.forecast` (the positions table, the
``compare_models`` frame, a ``BDMResult``, the exchanges, the sensitivity frame) and returns a
``go.Figure``; none computes a forecast. Actor ids become names through ``names`` (id → name);
every text from the deal file (names, issues, the scale ends) goes through
:func:`powerkit.text.label`.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..text import label as lbl
from .common import THEM_COLOUR, THIRD_COLOUR, US_COLOUR, base_layout

__all__ = ["MODEL_LABELS", "forecast_overview_figure", "issue_forecast_figure",
           "bdm_rounds_figure", "bdm_paths_figure", "exchanges_figure", "sensitivity_figure"]

#: the models of ``compare_models`` in the order they are drawn, with the names a reader sees
MODEL_LABELS = {"mean": "compromise (weighted mean)", "median": "weighted median",
                "condorcet": "Condorcet winner", "bdm": "expected utility (BDM)",
                "exchange": "after exchanges (Stokman)",
                "network_mean": "after influence (network)"}
_MODEL_STYLE = {"mean": ("#2ca02c", "diamond", "solid"), "median": ("#ff7f0e", "square", "dash"),
                "condorcet": ("#9467bd", "triangle-up", "dot"),
                "bdm": ("#d62728", "x", "dashdot"), "exchange": ("#8c564b", "cross", "longdash"),
                "network_mean": ("#17becf", "circle-open", "longdashdot")}
_OURS = "our position"


def _name(names, actor) -> str:
    return lbl(names.get(actor, actor) if names else actor)


def _num(v) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _fmt(v: float) -> str:
    """A position as a reader reads it: up to three significant decimals, no trailing zeros."""
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:,.0f}"


def _models(compare: pd.DataFrame) -> list[str]:
    return [m for m in MODEL_LABELS if m in compare.columns]


def _scale_end(compare, issue, col) -> str | None:
    if col not in compare.columns:
        return None
    v = compare.at[issue, col]
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def _ends_annotations(fig, low: str | None, high: str | None, axis: str = "x") -> None:
    """Name the scale's ends under the axis ends (``axis='x'``) or beside them (``'y'``)."""
    for text, end in ((low, 0), (high, 1)):
        if not text:
            continue
        if axis == "x":
            fig.add_annotation(xref="paper", yref="paper", x=end, y=0, yshift=-38,
                               xanchor="left" if end == 0 else "right", yanchor="top",
                               showarrow=False, font=dict(size=11, color="#555"),
                               text=("← " + lbl(text)) if end == 0 else (lbl(text) + " →"))
        else:
            fig.add_annotation(xref="paper", yref="paper", x=0, y=end, xshift=-8,
                               xanchor="right", yanchor="bottom" if end == 0 else "top",
                               showarrow=False, font=dict(size=11, color="#555"),
                               text=("↓ " if end == 0 else "↑ ") + lbl(text))


def forecast_overview_figure(compare: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Every issue on one chart: the span of the actors' positions, each model's forecast and
    our position, each issue drawn on its own scale from its lowest position (0) to its highest
    (1); beside the row, the lowest and highest positions and the scale's ends they point to.

    Parameters
    ----------
    compare : pandas.DataFrame
        :func:`powerkit.forecast.compare_models` output: indexed by issue, a column per model,
        ``low``, ``high``, ``ours`` and (optional) ``scale_low``/``scale_high``.

    Returns
    -------
    go.Figure
        One trace for the spans, one per model, one for our position; the hover gives each
        value on the issue's own scale.

    Examples
    --------
    >>> c = pd.DataFrame({"mean": [5.0], "median": [10.0], "low": [0.0], "high": [10.0],
    ...                   "ours": [0.0], "scale_low": ["none"], "scale_high": ["all"]},
    ...                  index=pd.Index(["x"], name="issue"))
    >>> fig = forecast_overview_figure(c)
    >>> [t.name for t in fig.data], fig.data[1].x.tolist()
    (['range of positions', 'compromise (weighted mean)', 'weighted median', 'our position'], [0.5])
    """
    issues = list(compare.index)
    y = [lbl(i) for i in issues]
    low = compare["low"].astype(float).to_numpy()
    high = compare["high"].astype(float).to_numpy()
    span = np.where(high > low, high - low, 1.0)

    def share(col):
        v = pd.to_numeric(compare[col], errors="coerce").to_numpy(dtype=float)
        return (v - low) / span, v

    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[v for i in range(len(issues)) for v in (0.0, 1.0, None)],
        y=[v for i in range(len(issues)) for v in (y[i], y[i], None)],
        mode="lines", line=dict(color="#d0d0d0", width=10), name="range of positions",
        hoverinfo="skip"))
    for m in _models(compare):
        s, v = share(m)
        colour, symbol, _ = _MODEL_STYLE[m]
        fig.add_trace(go.Scatter(
            x=s, y=y, mode="markers", name=MODEL_LABELS[m],
            marker=dict(color=colour, symbol=symbol, size=12, line=dict(width=1, color="white")),
            customdata=[_fmt(x) if math.isfinite(x) else "none" for x in v],
            hovertemplate="%{y}: " + MODEL_LABELS[m] + " %{customdata}<extra></extra>"))
    if "ours" in compare.columns and compare["ours"].notna().any():
        s, v = share("ours")
        fig.add_trace(go.Scatter(
            x=s, y=y, mode="markers", name=_OURS,
            marker=dict(color=US_COLOUR, symbol="star", size=16, line=dict(width=1, color="white")),
            customdata=[_fmt(x) if math.isfinite(x) else "none" for x in v],
            hovertemplate="%{y}: our position %{customdata}<extra></extra>"))
    for i, issue in enumerate(issues):
        for col, x, anchor in (("scale_low", -0.02, "right"), ("scale_high", 1.02, "left")):
            end = _scale_end(compare, issue, col)
            num = _fmt(low[i] if col == "scale_low" else high[i])
            if col == "scale_low":
                text = f"towards {lbl(end)} ← {num}" if end else num
            else:
                text = f"{num} → towards {lbl(end)}" if end else num
            fig.add_annotation(x=x, y=y[i], xanchor=anchor, showarrow=False, text=text,
                               font=dict(size=10, color="#555"))
    base_layout(fig, title or "Where each issue lands, model by model",
                x="position on the issue's scale (0 = lowest position taken, 1 = highest)",
                height=max(260, 90 * len(issues) + 140))
    fig.update_xaxes(range=[-0.75, 1.75], tickvals=[0, 0.5, 1], zeroline=False)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_layout(legend=dict(orientation="h", y=-0.25), margin=dict(b=120))
    return fig


def issue_forecast_figure(table: pd.DataFrame, compare: pd.DataFrame, issue: str,
                          names: dict | None = None, us: set | None = None) -> go.Figure:
    """One issue on its own scale: each actor's position (marker size: capability × salience),
    each model's forecast as a vertical line and our position, the scale's ends named under the
    axis.

    Parameters
    ----------
    table : pandas.DataFrame
        The positions table (``powerkit.forecast.positions_table``).
    compare : pandas.DataFrame
        ``compare_models`` output (the forecasts, ``ours``, the scale ends).
    issue : str
        The issue to draw (a row of ``compare``).
    names : dict, optional
        Actor id → display name.
    us : set, optional
        The actor ids of our side (drawn in our colour).

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"actor": ["a", "b"], "issue": "x", "position": [0.0, 10.0],
    ...                   "salience": [1.0, 0.5], "capability": [1.0, 2.0]})
    >>> c = pd.DataFrame({"mean": [5.0], "low": [0.0], "high": [10.0], "ours": [0.0]},
    ...                  index=pd.Index(["x"], name="issue"))
    >>> fig = issue_forecast_figure(t, c, "x", names={"a": "Ann"}, us={"a"})
    >>> [t.name for t in fig.data]
    ['positions', 'compromise (weighted mean)', 'our position']
    """
    rows = table[table["issue"] == issue].sort_values("position", kind="stable")
    if rows.empty:
        raise KeyError(f"issue_forecast_figure: no positions on the issue {issue!r}")
    us = set(us or ())
    w = (rows["capability"] * rows["salience"]).astype(float).to_numpy()
    wmax = float(w.max()) if len(w) and w.max() > 0 else 1.0
    y = [_name(names, a) for a in rows["actor"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=rows["position"].astype(float), y=y, mode="markers", name="positions",
        marker=dict(size=8 + 22 * np.sqrt(w / wmax),
                    color=[US_COLOUR if a in us else THIRD_COLOUR for a in rows["actor"]],
                    line=dict(width=1, color="white")),
        customdata=np.column_stack([rows["salience"].astype(float),
                                    rows["capability"].astype(float)]),
        hovertemplate="%{y}: %{x}<br>salience %{customdata[0]:.2f}, capability "
                      "%{customdata[1]:.3g}<extra></extra>"))
    lo, hi = float(rows["position"].min()), float(rows["position"].max())
    pad = 0.06 * (hi - lo) if hi > lo else 1.0
    for m in _models(compare):
        v = _num(compare.at[issue, m])
        if v is None:
            continue
        colour, _, dash = _MODEL_STYLE[m]
        fig.add_trace(go.Scatter(
            x=[v, v], y=[y[0], y[-1]], mode="lines", name=MODEL_LABELS[m],
            line=dict(color=colour, dash=dash, width=2),
            hovertemplate=f"{MODEL_LABELS[m]}: {_fmt(v)}<extra></extra>"))
    ours = _num(compare.at[issue, "ours"]) if "ours" in compare.columns else None
    if ours is not None:
        fig.add_trace(go.Scatter(
            x=[ours, ours], y=[y[0], y[-1]], mode="lines", name=_OURS,
            line=dict(color=US_COLOUR, width=4), opacity=0.5,
            hovertemplate=f"our position: {_fmt(ours)}<extra></extra>"))
    base_layout(fig, f"{lbl(issue)}: positions and forecasts", x=lbl(issue), y="actor",
                height=max(320, 26 * len(rows) + 190))
    fig.update_xaxes(range=[lo - pad, hi + pad])
    fig.update_yaxes(automargin=True, categoryorder="array", categoryarray=y)
    fig.update_layout(legend=dict(orientation="h", y=-0.3), margin=dict(b=130))
    _ends_annotations(fig, _scale_end(compare, issue, "scale_low"),
                      _scale_end(compare, issue, "scale_high"))
    return fig


def _rounds_of(bdm, issue) -> pd.DataFrame:
    r = bdm.rounds if hasattr(bdm, "rounds") else bdm
    r = r[r["issue"] == issue]
    if r.empty:
        raise KeyError(f"no BDM rounds on the issue {issue!r}")
    return r


def bdm_rounds_figure(bdm, issue: str, names: dict | None = None, us: set | None = None,
                      forecasts: pd.Series | None = None, scale: tuple = (None, None)) -> go.Figure:
    """Bueno de Mesquita's model round by round on one issue, as an animation with a slider:
    each frame shows every actor's position after that round.

    Parameters
    ----------
    bdm : powerkit.forecast.BDMResult or pandas.DataFrame
        The result (its ``rounds``: round, actor, issue, position) or that long frame.
    issue : str
    names : dict, optional
        Actor id → name.
    us : set, optional
        Our actor ids (our colour).
    forecasts : pandas.Series, optional
        The forecast after each round (indexed by round), drawn as a vertical line; default:
        the result's ``path`` (the weighted median after each round) when it has one.
    scale : (str, str), optional
        The names of the scale's low and high ends.

    Returns
    -------
    go.Figure
        One frame per round (named by the round), a slider and a play button.

    Examples
    --------
    >>> r = pd.DataFrame({"round": [0, 0, 1, 1], "actor": ["a", "b", "a", "b"], "issue": "x",
    ...                   "position": [0.0, 10.0, 4.0, 10.0]})
    >>> fig = bdm_rounds_figure(r, "x")
    >>> [f.name for f in fig.frames], fig.frames[1].data[0].x.tolist()
    (['0', '1'], [4.0, 10.0])
    """
    r = _rounds_of(bdm, issue)
    if forecasts is None and hasattr(bdm, "path"):
        p = bdm.path[bdm.path["issue"] == issue]
        forecasts = p.set_index("round")["forecast"] if len(p) else None
    us = set(us or ())
    actors = list(pd.unique(r["actor"]))
    y = [_name(names, a) for a in actors]
    colours = [US_COLOUR if a in us else THIRD_COLOUR for a in actors]
    lo, hi = float(r["position"].min()), float(r["position"].max())
    pad = 0.06 * (hi - lo) if hi > lo else 1.0
    rounds = sorted(pd.unique(r["round"]))

    def traces(k):
        at = r[r["round"] == k].set_index("actor")["position"].reindex(actors).astype(float)
        out = [go.Scatter(x=at.to_numpy(), y=y, mode="markers", name="positions",
                          marker=dict(size=14, color=colours, line=dict(width=1, color="white")),
                          hovertemplate="%{y}: %{x}<extra>round " + str(k) + "</extra>")]
        if forecasts is not None and k in forecasts.index:
            v = float(forecasts.loc[k])
            out.append(go.Scatter(x=[v, v], y=[y[0], y[-1]], mode="lines", name="forecast",
                                  line=dict(color=_MODEL_STYLE["bdm"][0], dash="dashdot"),
                                  hovertemplate=f"forecast: {_fmt(v)}<extra></extra>"))
        return out

    fig = go.Figure(data=traces(rounds[0]),
                    frames=[go.Frame(data=traces(k), name=str(k)) for k in rounds])
    steps = [dict(method="animate", label=str(k),
                  args=[[str(k)], dict(mode="immediate", frame=dict(duration=400, redraw=True),
                                       transition=dict(duration=200))]) for k in rounds]
    fig.update_layout(
        sliders=[dict(active=0, steps=steps, currentvalue=dict(prefix="round "), y=-0.12,
                      len=0.85, x=0.15)],
        updatemenus=[dict(type="buttons", showactive=False, x=0.0, y=-0.12, xanchor="left",
                          yanchor="top", buttons=[dict(label="▶", method="animate", args=[
                              None, dict(frame=dict(duration=500, redraw=True),
                                         fromcurrent=True)])])])
    base_layout(fig, f"{lbl(issue)}: positions round by round (expected-utility model)",
                x=lbl(issue), y="actor", height=max(360, 26 * len(actors) + 230))
    fig.update_xaxes(range=[lo - pad, hi + pad])
    fig.update_yaxes(automargin=True, categoryorder="array", categoryarray=y)
    fig.update_layout(margin=dict(b=150), showlegend=False)
    _ends_annotations(fig, *scale)
    return fig


def bdm_paths_figure(bdm, issue: str, names: dict | None = None, us: set | None = None,
                     forecast: float | None = None, scale: tuple = (None, None)) -> go.Figure:
    """The same rounds as lines (for paper): each actor's position against the round, the
    final forecast as a horizontal line.

    Parameters
    ----------
    bdm, issue, names, us, scale
        As :func:`bdm_rounds_figure`.
    forecast : float, optional
        The model's final forecast on the issue (default: the result's ``forecast``).

    Returns
    -------
    go.Figure
        One line per actor (ours in our colour), plus the forecast.

    Examples
    --------
    >>> r = pd.DataFrame({"round": [0, 0, 1, 1], "actor": ["a", "b", "a", "b"], "issue": "x",
    ...                   "position": [0.0, 10.0, 4.0, 10.0]})
    >>> [t.name for t in bdm_paths_figure(r, "x", names={"a": "Ann"}, forecast=6.0).data]
    ['Ann', 'b', 'forecast']
    """
    r = _rounds_of(bdm, issue)
    if forecast is None and hasattr(bdm, "forecast") and issue in bdm.forecast.index:
        forecast = _num(bdm.forecast.at[issue, "forecast"])
    us = set(us or ())
    fig = go.Figure()
    for a, g in r.groupby("actor", sort=False):
        g = g.sort_values("round")
        fig.add_trace(go.Scatter(
            x=g["round"], y=g["position"].astype(float), mode="lines+markers", name=_name(names, a),
            line=dict(color=US_COLOUR if a in us else None, width=4 if a in us else 1.5),
            hovertemplate=_name(names, a) + ", round %{x}: %{y}<extra></extra>"))
    if forecast is not None and math.isfinite(forecast):
        fig.add_trace(go.Scatter(
            x=[r["round"].min(), r["round"].max()], y=[forecast, forecast], mode="lines",
            name="forecast", line=dict(color=_MODEL_STYLE["bdm"][0], dash="dashdot", width=3),
            hovertemplate=f"forecast: {_fmt(forecast)}<extra></extra>"))
    base_layout(fig, f"{lbl(issue)}: how positions move (expected-utility model)",
                x="round of challenges and offers", y=lbl(issue), height=440)
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(automargin=True)
    fig.update_layout(margin=dict(l=140))
    _ends_annotations(fig, *scale, axis="y")
    return fig


def exchanges_figure(exchanges: pd.DataFrame, names: dict | None = None, top: int = 12,
                     title: str | None = None) -> go.Figure:
    """The exchanges of Stokman's model: per exchange (who moves on which issue, by how much),
    the expected gain; an exchange that shifts an outcome our way (column ``our_way``, when the
    frame has it) is drawn in green. Equal gains (the equal-gain rule) make one bar per
    exchange, unequal ones two.

    Parameters
    ----------
    exchanges : pandas.DataFrame
        ``ExchangeResult.exchanges``: actor_i, actor_j, issue_i (the issue i moves on), issue_j,
        move_i, move_j, gain_i, gain_j; optional ``our_way`` (bool).
    names : dict, optional
        Actor id → name.
    top : int
        Exchanges drawn (the first ``top`` rows, in the frame's order).

    Returns
    -------
    go.Figure
        One bar trace (equal gains) or two (the gains of the two sides), one row per exchange.

    Examples
    --------
    >>> e = pd.DataFrame({"actor_i": ["a"], "actor_j": ["b"], "issue_i": ["x"],
    ...                   "issue_j": ["y"], "move_i": [2.0], "move_j": [-1.0],
    ...                   "gain_i": [0.3], "gain_j": [0.3]})
    >>> fig = exchanges_figure(e, names={"a": "Ann"})
    >>> list(fig.data[0].y), len(fig.data)
    (['Ann: x +2<br>b: y −1'], 1)
    """
    e = exchanges.head(top)
    rows = [f"{_name(names, r.actor_i)}: {lbl(r.issue_i)} {_signed(r.move_i)}<br>"
            f"{_name(names, r.actor_j)}: {lbl(r.issue_j)} {_signed(r.move_j)}"
            for r in e.itertuples(index=False)]
    ours = (e["our_way"].astype(bool).to_numpy() if "our_way" in e.columns
            else np.zeros(len(e), dtype=bool))
    gi, gj = e["gain_i"].astype(float).to_numpy(), e["gain_j"].astype(float).to_numpy()
    equal = bool(np.allclose(gi, gj, rtol=1e-9, atol=1e-12))
    colour = ["#2ca02c" if o else THIRD_COLOUR for o in ours]
    fig = go.Figure()
    if equal:
        fig.add_trace(go.Bar(y=rows, x=gi, orientation="h", name="gain of each side",
                             marker_color=colour,
                             hovertemplate="%{y}<br>each side gains %{x:.3g}<extra></extra>"))
    else:
        for col, who, base in (("gain_i", "first actor's gain", US_COLOUR),
                               ("gain_j", "second actor's gain", THEM_COLOUR)):
            fig.add_trace(go.Bar(
                y=rows, x=e[col].astype(float), orientation="h", name=who,
                marker=dict(color=base, line=dict(width=[3 if o else 0 for o in ours],
                                                  color="#2ca02c")),
                hovertemplate="%{y}<br>" + who + ": %{x:.3g}<extra></extra>"))
    base_layout(fig, title or "Exchanges between actors and what each side gains",
                x="expected gain in utility (the exchange model's units)", y=None,
                height=max(300, 46 * len(e) + 160))
    fig.update_layout(barmode="group", legend=dict(orientation="h", y=-0.2),
                      showlegend=not equal)
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont=dict(size=11))
    if ours.any():
        fig.add_annotation(xref="paper", yref="paper", x=1, y=1.02, showarrow=False,
                           xanchor="right", yanchor="bottom", font=dict(size=11, color="#2ca02c"),
                           text=("green: shifts an outcome our way" if equal else
                                 "green outline: shifts an outcome our way"))
    return fig


def _signed(v) -> str:
    v = float(v)
    return ("+" if v > 0 else "−" if v < 0 else "") + _fmt(abs(v))


def sensitivity_figure(sens: pd.DataFrame, issue: str, names: dict | None = None,
                       us: set | None = None, top: int = 15) -> go.Figure:
    """Whom to move, by how much: for one issue, how far each actor's position must move to
    shift the forecast by one unit towards our position (shortest bar first); actors who
    cannot shift it are listed under the chart.

    Parameters
    ----------
    sens : pandas.DataFrame
        :func:`powerkit.forecast.sensitivity` output (actor, issue, d_position, d_salience,
        to_shift_one ≥ 0 and, optional, direction: +1 up the scale, −1 down).
    issue : str
    names, us
        As :func:`issue_forecast_figure`.
    top : int
        Actors drawn.

    Returns
    -------
    go.Figure

    Examples
    --------
    >>> s = pd.DataFrame({"actor": ["a", "b"], "issue": "x", "d_position": [0.5, 0.0],
    ...                   "d_salience": [1.0, 0.0], "to_shift_one": [2.0, float("inf")]})
    >>> fig = sensitivity_figure(s, "x", names={"a": "Ann"})
    >>> list(fig.data[0].y), fig.data[0].x.tolist()
    (['Ann'], [2.0])
    """
    s = sens[sens["issue"] == issue].copy()
    sign = s["direction"].astype(float).replace(0.0, 1.0) if "direction" in s.columns else 1.0
    s["signed"] = s["to_shift_one"].astype(float) * sign
    move = s["to_shift_one"].astype(float)
    finite = s[np.isfinite(move.to_numpy())].assign(size=lambda d: d["to_shift_one"].abs())
    finite = finite.sort_values("size", kind="stable").head(top)
    stuck = s[~np.isfinite(move.to_numpy())]
    y = [_name(names, a) for a in finite["actor"]]
    us = set(us or ())
    fig = go.Figure(go.Bar(
        y=y, x=finite["size"].astype(float), orientation="h", name="move needed",
        marker_color=[US_COLOUR if a in us else THIRD_COLOUR for a in finite["actor"]],
        customdata=np.column_stack([finite["signed"].astype(float),
                                    finite["d_position"].astype(float),
                                    finite["d_salience"].astype(float)]) if len(finite) else None,
        hovertemplate="%{y}: move %{customdata[0]:+.3g} on the scale<br>forecast moves "
                      "%{customdata[1]:.3g} per unit of their position, %{customdata[2]:.3g} "
                      "per unit of salience<extra></extra>"))
    base_layout(fig, f"{lbl(issue)}: whom to move to shift the forecast one unit our way",
                x=f"how far their position must move ({lbl(issue)})", y=None,
                height=max(280, 30 * len(finite) + 170))
    fig.update_yaxes(autorange="reversed", automargin=True)
    if len(stuck):
        who = ", ".join(_name(names, a) for a in stuck["actor"][:8])
        more = f" and {len(stuck) - 8} more" if len(stuck) > 8 else ""
        fig.add_annotation(xref="paper", yref="paper", x=0, y=-0.18, xanchor="left",
                           yanchor="top", showarrow=False, font=dict(size=11, color="#555"),
                           text=f"cannot shift it our way: {who}{more}")
        fig.update_layout(margin=dict(b=110))
    return fig
