"""The portfolio report's sections: relationships, reliability and gaps across deals, in words.

Numbers come from :mod:`powerkit.portfolio`; names and texts from the deal files pass through
:func:`powerkit.text.md` in Markdown, and tables escape on rendering.
"""
from __future__ import annotations

import pandas as pd

from ..plots.portfolio import capital_figure, reputation_figure
from ..portfolio import (
    relationship_capital,
    relationship_gaps,
    reputation,
    summary,
    thin_network,
)
from ..text import md
from . import Section

__all__ = ["sections"]


def sections(pf) -> list[Section]:
    """The portfolio report: overview, relationship capital, reliability, thin networks, gaps."""
    head = summary(pf)
    first, last = pf.deals[0].meta.as_of, pf.deals[-1].meta.as_of
    ov = Section("portfolio", "The portfolio")
    ov.headline = head
    ov.summary = (f"{len(pf.deals)} deals from {first.isoformat()} to {last.isoformat()}, seen "
                  f"from {md(pf.deals[-1].parties.loc[pf.us, 'name'])}.")
    ov.add(pd.DataFrame({"deal": [d.id for d in pf.deals],
                         "title": [d.meta.title for d in pf.deals],
                         "as of": [d.meta.as_of.isoformat() for d in pf.deals],
                         "people": [len(d.stakeholders) for d in pf.deals]}))

    cap = relationship_capital(pf)
    rc = Section("capital", "Relationship capital")
    rc.add("Our ties to each organisation's people across every deal, each weighted by its "
           "strength and halved for every year since the deal it was seen in.",
           capital_figure(cap),
           cap.rename(columns={"people_reached": "their people reached",
                               "our_contacts": "our contacts"}).round(2))

    rep = reputation(pf)
    rl = Section("reliability", "Reliability both ways")
    rl.add("Every promise recorded in the deals' commitments: ours to them and theirs to us. "
           "Reliability is the share of promises kept, with a prior of one kept and one broken "
           "(0.5 without a record); open promises are not counted yet.",
           reputation_figure(rep), rep.round(2))

    thin = thin_network(pf)
    tn = Section("thin", "Where our network is thin")
    thin_names = list(thin.loc[thin["thin"], "name"]) if len(thin) else []
    tn.add(("Organisations whose deciders we reach through one person of ours or nobody: "
            + ", ".join(md(n) for n in thin_names) + ".") if thin_names else
           "No organisation's deciders hang on a single person of ours.",
           thin.rename(columns={"through_names": "our people tied to a decider"}))

    gaps = relationship_gaps(pf)
    gp = Section("gaps", "Relationships to build beyond this deal")
    gp.add("The people whose formal say recurs across deals and whom our network reaches least, "
           "first; an introduction through the colleague of theirs we know best.",
           gaps.round(2))
    return [ov, rc, rl, tn, gp]
