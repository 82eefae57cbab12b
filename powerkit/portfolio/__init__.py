"""Long-term power across deals: a portfolio of deals with the same organisations and people.

A consultancy works many deals with the same organisations; what outlasts one deal is the
relationships, the record of promises kept and the understanding of the system (METHOD.md §7).
:func:`load_portfolio` reads a folder of deals (ids of people and parties stable across deals,
checked), and the functions below read what the deals say together:

* :func:`relationship_capital` — per organisation, our ties to its people across deals, by
  strength and recency;
* :func:`reliability_ledger` and :func:`reputation` — every promise recorded in the deals'
  ``commitments`` tables, our reliability with each organisation and theirs with us;
* :func:`thin_network` — organisations whose deciders we reach through one person of ours or
  none;
* :func:`relationship_gaps` — the people worth a relationship beyond a single deal, ranked.

Method: docs/methods/portfolio.md.
"""
from __future__ import annotations

from .capital import (
    Portfolio,
    load_portfolio,
    relationship_capital,
    relationship_gaps,
    reliability_ledger,
    reputation,
    summary,
    thin_network,
)

__all__ = ["Portfolio", "load_portfolio", "relationship_capital", "reliability_ledger",
           "reputation", "thin_network", "relationship_gaps", "summary"]
