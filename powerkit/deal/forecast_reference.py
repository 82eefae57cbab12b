"""Published reference cases of walkthrough 6 (forecasting a multi-party decision) as positions
tables: one row per actor × issue with ``actor, issue, position, salience (0..1), capability,
scale_low, scale_high`` — the shape :func:`powerkit.forecast.check_table` accepts.

The CSVs and their provenance are in ``data/reference`` (:func:`powerkit.paths.reference_dir`,
README section "EU car emissions").
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..paths import reference_dir

__all__ = ["EU_EMISSIONS_ISSUE", "load_eu_emissions"]

#: the one issue of the EU car-emissions example (Bueno de Mesquita 1994, p. 78)
EU_EMISSIONS_ISSUE = "emission standards: year of introduction"


def load_eu_emissions(path=None) -> pd.DataFrame:
    """The EU car-emissions example of Bueno de Mesquita (1994), as replicated by Scholz,
    Calbert & Smith (2011): ten member states on one issue, the date by which emission
    standards for medium-sized cars apply.

    Capability and position as printed; salience as printed (0–100) divided by 100.
    The scale's ends: a smaller position is an earlier date (4 is the earliest date held,
    10 the latest).

    Parameters
    ----------
    path : str or Path, optional
        The CSV (``actor, capability, position, salience``); default
        ``data/reference/eu_car_emissions.csv``.

    Returns
    -------
    pandas.DataFrame
        10 rows: ``actor, issue, position, salience, capability, scale_low, scale_high``.

    Raises
    ------
    InputError
        If the file lacks one of the four columns.

    Examples
    --------
    >>> t = load_eu_emissions()
    >>> len(t), float(t["salience"].max()), round(float(t["capability"].sum()), 2)
    (10, 1.0, 1.01)
    >>> t.set_index("actor").loc["UK", ["position", "salience", "capability"]].tolist()
    [10.0, 0.9, 0.16]

    References
    ----------
    Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
    B. Bueno de Mesquita & F. N. Stokman (eds.), *European Community Decision Making*, 71–104.
    Yale University Press.
    Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno de Mesquita's group
    decision model. *Journal of Theoretical Politics* 23(4), 510–531.
    """
    p = Path(path) if path is not None else reference_dir() / "eu_car_emissions.csv"
    raw = pd.read_csv(p)
    need = ["actor", "capability", "position", "salience"]
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise InputError(f"load_eu_emissions: {p} has no column {', '.join(map(repr, missing))}; "
                         f"expected the columns {', '.join(need)}.")
    return pd.DataFrame({
        "actor": raw["actor"].astype(str),
        "issue": EU_EMISSIONS_ISSUE,
        "position": raw["position"].astype(float),
        "salience": raw["salience"].astype(float) / 100.0,
        "capability": raw["capability"].astype(float),
        "scale_low": "earlier introduction",
        "scale_high": "later introduction",
    })
