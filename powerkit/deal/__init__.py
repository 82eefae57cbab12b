"""The deal layer: one validated data model that every analysis reads.

A deal is a folder of CSVs plus ``deal.yaml``, or one ``.xlsx`` workbook with the same sheets
(docs/deal-format.md). :func:`load_deal` reads and validates it once; analysis code then trusts
its input. Modules: :mod:`.model` (the ``Deal`` dataclass), :mod:`.schemas` (the format and its
validation), :mod:`.workbook` (the Excel template), :mod:`.reference` (published data sets as
deals), :mod:`.synthetic` (random valid deals of any size), :mod:`.anonymise` (people → role
labels). Imports only the base layer (``powerkit.errors``, ``powerkit.text``, ``powerkit.paths``).
"""
from __future__ import annotations

from pathlib import Path

from .model import TABLES, Deal, DealMeta, number

__all__ = ["Deal", "DealMeta", "load_deal", "TABLES", "number"]


def load_deal(path: str | Path) -> Deal:
    """Read and validate a deal folder or ``.xlsx`` workbook.

    Raises :class:`powerkit.DealError` listing every problem (file, row, column, value, fix).
    Inputs derived from other tables are applied once here (:mod:`.derived`: trust in our
    reliability updated by the commitments record).
    """
    from .derived import apply_commitments
    from .reading import check_deal_path
    from .schemas import read_and_validate  # pandera: imported when a deal is first read

    check_deal_path(Path(path))  # a pipe, a device or a zip bomb is never opened
    return apply_commitments(read_and_validate(Path(path)))
