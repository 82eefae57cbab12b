"""powerkit: read and use power in a negotiation.

Flow: deal file → validated :class:`Deal` → pure analysis → tables/figures → notebook/report.

The deal names below are imported on first use (PEP 562 module ``__getattr__``): ``import
powerkit`` alone does not load pandas, so the ``powerkit`` command can start a report's kernel
before it pays for the analysis stack (docs/performance.md).
"""
from .errors import DealError, MissingTableError, NoAgreement, PowerkitError, Problem

__version__ = "0.1.0"

__all__ = ["anonymise", "Deal", "DealMeta", "load_deal", "DealError", "MissingTableError", "NoAgreement",
           "PowerkitError", "Problem", "__version__"]

_LAZY = {"Deal": "powerkit.deal", "DealMeta": "powerkit.deal", "load_deal": "powerkit.deal",
         "anonymise": "powerkit.deal.anonymise"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'powerkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
