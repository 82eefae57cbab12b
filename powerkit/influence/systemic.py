"""The influence network's contribution to a power profile: each party's access to the
decision (walkthrough 1 reads it as a systemic input)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .dynamics import who_decides

__all__ = ["systemic_inputs"]


def systemic_inputs(deal, kinds=None, weight="weight") -> pd.DataFrame:
    """Computed systemic inputs for :func:`powerkit.power.power_profile` (``systemic_inputs=``).

    ``access`` of a party = the share of the forecast decision that traces back to the views
    of that party's people (Σ of their ``real_weight`` in :func:`who_decides`, in [0, 1]): how
    far the party's voice reaches the people who decide, directly or through those they listen
    to. The counterpart (whose decision it is) gets no row.

    Returns
    -------
    pandas.DataFrame
        Indexed by party, column ``access``; ``attrs["provenance"]`` says how it was computed.

    Examples
    --------
    >>> from powerkit.deal.reference import load_reference
    >>> si = systemic_inputs(load_reference("krackhardt"))
    >>> float(si.loc["us", "access"])  # our team has no people in the network yet
    0.0
    """
    who = who_decides(deal, kinds, weight)
    share = who.groupby("party")["real_weight"].sum()
    parties = [p for p in deal.parties.index.astype(str) if p != str(deal.counterpart)]
    out = pd.DataFrame({"access": [float(np.clip(share.get(p, 0.0), 0.0, 1.0))
                                   for p in parties]},
                       index=pd.Index(parties, name="party"))
    out.attrs["provenance"] = ("powerkit.influence.systemic_inputs: share of the "
                               "Friedkin–Johnsen forecast decision tracing back to the party's "
                               f"people (ties: {'all' if kinds is None else kinds})")
    return out
