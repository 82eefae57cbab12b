"""Report section of walkthrough 4 (value creation): recommended packages, value left on the table.

:func:`section` is what the report shows; :func:`frontier_note`, :func:`proposal_note` and
:func:`offers_note` are the sentences the walkthrough notebook shows under its tables. Every
number comes from :func:`powerkit.value.what_if`; names from the deal pass through
:func:`powerkit.text.esc`.
"""
from __future__ import annotations

from .. import plots, value
from ..text import md
from . import Section

__all__ = ["section", "frontier_note", "proposal_note", "offers_note"]

TITLE = "Value creation: packages, the frontier and value left on the table"


def frontier_note(analysis: value.ValueAnalysis) -> str:
    """How many packages there are, how many are efficient and beat both BATNAs, and α.

    >>> from powerkit.deal.reference import load_itex_cypress
    >>> frontier_note(value.what_if(load_itex_cypress(), batna=(0.3, 0.3), alpha=0.5))[:60]
    '180 possible packages; **18 are efficient**, 14 of them beat'
    """
    a = analysis
    return (f"{a.n_packages} possible packages; **{len(a.frontier)} are efficient**, "
            f"{a.n_zopa_frontier} of them beat both BATNAs. "
            f"Bargaining weight α = {a.alpha:.2f} ({md(a.alpha_source)}).")


def proposal_note(analysis: value.ValueAnalysis) -> str:
    """The package on the table: its utilities, whether it is dominated, the value it leaves.

    >>> from powerkit.deal.reference import load_itex_cypress
    >>> proposal_note(value.what_if(load_itex_cypress(), proposed={}))
    '*No package on the table: set `proposed` or add an offers table.*'
    """
    ev = analysis.evaluation
    if ev is None:
        return "*No package on the table: set `proposed` or add an offers table.*"
    return (f"Package on the table: us **{ev.us:.2f}**, them **{ev.them:.2f}** — "
            + ("**dominated**: " if ev.dominated else "efficient: ")
            + f"we could gain up to {ev.gap_us:.2f} with them no worse off, they up to "
            f"{ev.gap_them:.2f} with us no worse off; the largest joint gain is "
            f"{ev.joint_gain:.2f}.")


def offers_note(analysis: value.ValueAnalysis) -> str:
    """A note when there is no concession history to show (else the empty string).

    >>> from powerkit.deal.reference import load_itex_cypress
    >>> offers_note(value.what_if(load_itex_cypress()))
    '*No offers table in this deal: no concession history.*'
    """
    if len(analysis.offers):
        return ""
    return "*No offers table in this deal: no concession history.*"


def section(deal, batna=(0.0, 0.0), proposed=None, alpha=None, weight_spread: float = 0.25,
            n_draws: int = 1000, seed: int = 0, result=None) -> Section:
    """The report's value-creation section: recommended packages, value left on the table.

    Parameters
    ----------
    deal : Deal
    batna : (float, float)
        Each side's BATNA in utility units.
    proposed : mapping, optional
        The package on the table (default: the latest complete offer).
    alpha : float, optional
        Our bargaining weight (default :func:`powerkit.value.default_alpha`).
    weight_spread : float
        Uncertainty about their weights for the P(beats their BATNA) column.
    n_draws, seed : int
        Monte Carlo draws and seed.

    Returns
    -------
    Section
        ``missing`` is set when the deal has no ``issues`` table or the counterpart rates none.

    Examples
    --------
    >>> from powerkit.deal.reference import load_itex_cypress
    >>> s = section(load_itex_cypress(), batna=(0.3, 0.3), n_draws=100)
    >>> s.key, s.headline["packages"], s.missing is None
    ('value', 180, True)
    """
    key = "value"
    if not deal.has("issues"):
        return Section(key, TITLE, missing="No issues table in this deal: value creation left out.")
    raters = set(deal.issues["party"])
    if deal.us not in raters or deal.counterpart not in raters:
        return Section(key, TITLE, missing="No issue ratings for both us and the counterpart in "
                       "this deal: value creation left out.")
    a = result if result is not None else value.what_if(
        deal, batna=batna, proposed=proposed, alpha=alpha, n_draws=n_draws,
        weight_spread=weight_spread, seed=seed)
    # P(beats their BATNA) only means something once their BATNA is set
    rec = a.recommended if a.disagreement[1] > 0 else value.recommended_packages(a)
    ev = a.evaluation
    h = {"packages": a.n_packages, "frontier_packages": len(a.frontier),
         "zopa_frontier_packages": a.n_zopa_frontier, "alpha": round(a.alpha, 3),
         "batna_us": round(a.disagreement[0], 3), "batna_them": round(a.disagreement[1], 3)}
    if a.nash is not None:
        h.update({"nash_us": round(a.nash.us, 3), "nash_them": round(a.nash.them, 3),
                  "nash_package": {str(k): str(v) for k, v in a.nash.package.items()}})
    if ev is not None:
        h.update({"proposal_us": round(ev.us, 3), "proposal_them": round(ev.them, 3),
                  "proposal_dominated": ev.dominated, "left_on_table_us": round(ev.gap_us, 3),
                  "left_on_table_them": round(ev.gap_them, 3),
                  "left_on_table_joint": round(ev.joint_gain, 3)})
    if len(a.logrolls):
        h.update({"trade_we_get": str(a.logrolls.iloc[0]["we_get"]),
                  "trade_they_get": str(a.logrolls.iloc[0]["they_get"])})
    batna_set = a.disagreement != (0.0, 0.0)
    parts = [f"Of {h['packages']} possible packages, {h['frontier_packages']} are efficient"
             + (f" and {h['zopa_frontier_packages']} of those beat both BATNAs." if batna_set
                else ".")]
    if ev is not None:
        if h["proposal_dominated"]:
            parts.append(f"The package on the table leaves value on the table: up to "
                         f"{h['left_on_table_joint']:.2f} of joint utility "
                         f"({h['left_on_table_us']:.2f} for us alone, "
                         f"{h['left_on_table_them']:.2f} for them alone).")
        else:
            parts.append("The package on the table is already efficient.")
    elif "nash_us" in h:
        parts.append(f"The power-weighted Nash package gives us {h['nash_us']:.2f} and them "
                     f"{h['nash_them']:.2f}.")
    summary = " ".join(parts)
    us_l, them_l = md(a.us_label), md(a.them_label)
    teach = (
        "**Win-win from strength.** A package picks one option on every issue. Each side scores "
        "it by adding up, issue by issue, how much it likes the chosen option times how much the "
        f"issue matters to it. The efficient frontier holds the packages where {us_l} cannot "
        f"gain without {them_l} losing: any package below it leaves value that both sides could "
        "share. Power decides *where* on the frontier a deal lands; value creation decides "
        "whether it lands on the frontier at all — and that is open to the weaker side too."
    )
    if not batna_set:
        teach += ("\n\n*No BATNAs in utility terms were given for this report, so every package "
                  "counts as acceptable to both sides; the walkthrough notebook lets you set them.*")
    blocks = [teach,
              plots.utility_space_figure(a),
              "**Recommended packages.** The Nash package weights the split by bargaining power "
              f"(α = {h['alpha']:.2f} for {us_l}); Kalai–Smorodinsky gives each side the same share "
              "of its best possible gain; the largest joint value maximises the pie."
              + (" The column *p beats their BATNA* is the chance the package beats their "
                 f"BATNA when their weights are uncertain (±{weight_spread:.0%})."
                 if "p_beats_their_batna" in rec.columns else ""),
              rec.round(3)]
    if len(a.excluded_options):
        blocks.append("Never recommended, outside both sides' reservation prices: " + "; ".join(
            f"{md(r.option)} ({r.why})" for r in a.excluded_options.itertuples()) + ".")
    if ev is not None and len(ev.improvements):
        blocks.append("**Value left on the table.** How much more each side could get, without "
                      "the other losing, than under the package on the table; the improvement "
                      "packages make both sides at least as well off.")
        blocks.append(ev.improvements.head(10).round(3))
    elif ev is not None:
        blocks.append("**Value left on the table.** None: no package within both sides' "
                      "reservation prices is better for both than the package on the table.")
    blocks.append(plots.issue_priority_figure(a))
    if len(a.logrolls):
        blocks.append("**Where to trade.** Concede the issues that matter more to them than to us "
                      "and ask for the ones that matter more to us: both sides end up better off "
                      "than splitting every issue down the middle.")
        blocks.append(a.logrolls.head(6).round(3))
    return Section(key, TITLE, blocks=blocks, headline=h, summary=summary)
