"""Perspective: the deal read from another party's side."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..errors import bad_argument
from .sources import MEASURED_FOR_US_ONLY

__all__ = ["as_party"]


def as_party(deal, party: str, counterpart: str | None = None):
    """The deal seen from another party: ``party`` becomes "us".

    The counterpart becomes ``counterpart`` or, by default, the old "us" when ``party`` was
    the counterpart, else the old counterpart. The trust and frame-fit columns record trust in
    the deal's original "us", so from any other perspective they are blanked (and the inputs
    they feed are flagged as assumed).

    Raises
    ------
    ValueError
        When ``party`` or ``counterpart`` is not in the parties table, or they are equal.
    """
    if not party or party == deal.us and counterpart in (None, deal.counterpart):
        return deal
    ids = list(deal.parties.index)
    if party not in ids:
        raise bad_argument("party", "as_party", f"one of {ids}", party)
    if counterpart is None:
        counterpart = deal.us if party == deal.counterpart else deal.counterpart
    if counterpart not in ids or counterpart == party:
        raise bad_argument("counterpart", "as_party", f"one of {ids} other than {party!r}",
                           counterpart)
    people = deal.stakeholders
    if party != deal.us:
        people = people.copy()
        people[list(MEASURED_FOR_US_ONLY)] = np.nan
    meta = replace(deal.meta, us=party, counterpart=counterpart)
    return deal.replace(meta=meta, stakeholders=people)
