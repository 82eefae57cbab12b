"""powerkit: read and use power in a negotiation.

Flow: deal file → validated :class:`Deal` → pure analysis → tables/figures → notebook/report.
"""
from .deal import Deal, DealMeta, load_deal
from .deal.anonymise import anonymise
from .errors import DealError, MissingTableError, NoAgreement, PowerkitError, Problem

__version__ = "0.1.0"

__all__ = ["anonymise", "Deal", "DealMeta", "load_deal", "DealError", "MissingTableError", "NoAgreement",
           "PowerkitError", "Problem", "__version__"]
