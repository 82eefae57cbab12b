"""The workshop's reference cases, read from the published data sets in ``data/reference``.

Where the files are is :func:`powerkit.paths.reference_dir`'s business (the checkout's folder or
the copy an installed powerkit ships); a ``reference_dir`` argument points elsewhere.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import reference_dir as default_reference_dir

__all__ = ["case_dir", "load_cases", "priorates"]


def case_dir(reference_dir=None) -> Path:
    """The folder of the reference CSVs: ``reference_dir``, or powerkit's own when it is None or "".

    >>> case_dir() == default_reference_dir(), case_dir("elsewhere").name
    (True, 'elsewhere')
    """
    return default_reference_dir() if reference_dir in (None, "") else Path(reference_dir)


def load_cases(reference_dir=None) -> dict:
    """The three reference cases of the workshop, as deals.

    Parameters
    ----------
    reference_dir : str or Path, optional
        Folder holding the reference CSVs (default :func:`powerkit.paths.reference_dir`).

    Returns
    -------
    dict
        ``krackhardt`` and ``florentine`` (:func:`powerkit.deal.reference.load_reference`),
        ``itex_cypress`` (:func:`powerkit.deal.reference.load_itex_cypress`).

    Raises
    ------
    FileNotFoundError
        When a reference CSV is missing.

    Examples
    --------
    >>> cases = load_cases()
    >>> sorted(cases), len(cases["krackhardt"].stakeholders), len(cases["florentine"].stakeholders)
    (['florentine', 'itex_cypress', 'krackhardt'], 21, 15)
    """
    from ..deal.reference import load_itex_cypress, load_reference

    ref = case_dir(reference_dir)
    itex = ref / "itex_cypress_scoring.csv"
    if not itex.exists():
        raise FileNotFoundError(f"load_cases needs {itex}; see data/reference/README.md")
    return {"krackhardt": load_reference("krackhardt", path=ref),
            "florentine": load_reference("florentine", path=ref),
            "itex_cypress": load_itex_cypress(itex)}


def priorates(families, reference_dir=None) -> pd.Series:
    """Seats each Florentine family held on the city council, 1282–1344 (Padgett & Ansell 1993).

    Parameters
    ----------
    families : iterable of str
        The families wanted (the index of the result).
    reference_dir : str or Path, optional
        Where ``florentine_families_attributes.csv`` is (see :func:`case_dir`).

    Returns
    -------
    pandas.Series
        Float, index = ``families``; NaN where unknown (negative in the CSV), for a family not in
        the CSV, and for every family when the CSV is missing.

    Examples
    --------
    >>> priorates(["Medici", "Strozzi", "Nobody"]).tolist()
    [53.0, 74.0, nan]
    """
    f = case_dir(reference_dir) / "florentine_families_attributes.csv"
    if not f.exists():
        return pd.Series(np.nan, index=list(families), dtype=float)
    att = pd.read_csv(f).set_index("family")["priorates"].astype(float)
    return att.where(att >= 0).reindex(list(families))
