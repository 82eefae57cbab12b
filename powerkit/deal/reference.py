"""Published reference data sets as :class:`~powerkit.deal.Deal` objects, analysed like any deal.

Krackhardt's high-tech managers and Padgett's Florentine families (networks, walkthrough 2 and
the workshop) and the Itex–Cypress negotiation (issues and ratings, walkthrough 4). The CSVs and
their provenance are in ``data/reference`` (:func:`powerkit.paths.reference_dir`).
"""
from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd

from ..errors import bad_argument
from ..paths import reference_dir
from . import load_deal
from .model import Deal, DealMeta
from .schemas import empty_table

__all__ = ["REFERENCES", "load_reference", "load_itex_cypress", "load_case"]


# -- published networks -----------------------------------------------------------------------------
REFERENCES = ("krackhardt", "florentine")


def load_reference(name: str, path=None):
    """A published network loaded as a :class:`~powerkit.Deal`, to analyse like any deal.

    * ``"krackhardt"`` — Krackhardt's (1987) 21 high-tech managers: ties of kind ``advice``
      (190) and ``friendship`` (102) from ``data/reference/krackhardt_*.csv`` (``ego → alter`` is
      our "source listens to target"); ``reports_to`` from the organisation chart; ``department``
      (``0`` = the CEO) and ``title`` = level (``CEO``, ``vice-president``, ``manager``) as group
      attributes. The CEO (id ``7``) has ``sign_off``: formal authority on a company decision.
      Stances are unknown (0).
    * ``"florentine"`` — Padgett's Florentine families: the 15 families of
      ``networkx.florentine_families_graph()`` (Pucci, an isolate, is not in it); each marriage
      tie becomes two ties of kind ``trust`` (an alliance is mutual); ``budget_authority`` =
      wealth in 1427 (thousands of lira) and ``title`` = seats in the priorates, from
      ``data/reference/florentine_families_attributes.csv``. No org chart, no sign-off.

    Parameters
    ----------
    name : {"krackhardt", "florentine"}
        The reference case.
    path : str or Path, optional
        Folder holding the reference CSVs; default ``data/reference`` of the project.

    Returns
    -------
    powerkit.Deal
        Validated by :func:`powerkit.load_deal` (the tables are written to a temporary folder
        in the deal format and read back).

    Raises
    ------
    ValueError
        If ``name`` is not a reference case.
    FileNotFoundError
        If the reference CSVs are missing.

    Examples
    --------
    >>> deal = load_reference("krackhardt")
    >>> len(deal.stakeholders), deal.ties["kind"].value_counts().to_dict()
    (21, {'advice': 190, 'friendship': 102})

    References
    ----------
    Krackhardt, D. (1987). Cognitive social structures. *Social Networks* 9, 109–134.
    Padgett, J. F. & Ansell, C. K. (1993). Robust action and the rise of the Medici,
    1400–1434. *American Journal of Sociology* 98(6), 1259–1319.
    """
    if name not in REFERENCES:
        raise bad_argument("name", "load_reference", f"one of {', '.join(REFERENCES)}", name)
    ref = Path(path) if path is not None else reference_dir()
    if name == "krackhardt":
        files = {k: ref / f"krackhardt_{k}.csv"
                 for k in ("attributes", "advice_edges", "friendship_edges", "reports_to_edges")}
    else:
        files = {"attributes": ref / "florentine_families_attributes.csv"}
    for f in files.values():
        if not f.exists():
            raise FileNotFoundError(f"load_reference({name!r}) needs {f}; copy the reference "
                                    f"data sets into {ref} (see data/reference/README.md)")
    tables, meta = (_krackhardt(files) if name == "krackhardt" else _florentine(files))
    with tempfile.TemporaryDirectory(prefix=f"powerkit-{name}-") as tmp:
        folder = Path(tmp)
        (folder / "deal.yaml").write_text(
            "".join(f"{k}: {v!r}\n" if isinstance(v, str) else f"{k}: {v}\n"
                    for k, v in meta.items()), encoding="utf-8")
        for table, df in tables.items():
            df.to_csv(folder / f"{table}.csv", index=False)
        deal = load_deal(folder)
    return deal.replace(source=f"reference:{name}")


def _krackhardt(files):
    att = pd.read_csv(files["attributes"])
    boss = pd.read_csv(files["reports_to_edges"]).set_index("ego")["alter"]
    level = {1: "CEO", 2: "vice-president", 3: "manager"}
    st = pd.DataFrame({
        "stakeholder": att["id"].astype(str),
        "name": [f"Manager {i}" + (" (CEO)" if lv == 1 else " (VP)" if lv == 2 else "")
                 for i, lv in zip(att["id"], att["level"], strict=True)],
        "party": "company",
        "title": att["level"].map(level),
        "department": att["department"].astype(str),
        "reports_to": [str(boss[i]) if i in boss.index else "" for i in att["id"]],
        "sign_off": att["level"] == 1,
        "stance": 0.0,
    })
    ties = []
    for kind in ("advice", "friendship"):
        e = pd.read_csv(files[f"{kind}_edges"])
        ties.append(pd.DataFrame({"source": e["ego"].astype(str), "target": e["alter"].astype(str),
                                  "kind": kind, "weight": 1.0}))
    parties = pd.DataFrame({"party": ["us", "company"], "name": ["Our team", "The company"],
                            "side": ["us", "counterpart"]})
    meta = {"id": "krackhardt", "title": "Krackhardt's high-tech managers (1987)",
            "decision": "a company-wide decision the CEO signs off", "us": "us",
            "counterpart": "company", "as_of": "1987-01-01", "currency": "USD"}
    return {"parties": parties, "stakeholders": st, "ties": pd.concat(ties)}, meta


def _florentine(files):

    G = nx.florentine_families_graph()
    att = pd.read_csv(files["attributes"]).set_index("family")
    fams = sorted(G.nodes)
    pri = att.loc[fams, "priorates"]
    st = pd.DataFrame({
        "stakeholder": fams,
        "name": fams,
        "party": "florence",
        "title": [f"priorates: {p}" if p >= 0 else "priorates: unknown" for p in pri],
        "budget_authority": att.loc[fams, "wealth_1427_thousand_lira"].astype(float).to_numpy(),
        "stance": 0.0,
    })
    src, dst = [], []
    for u, v in sorted(G.edges):
        src += [u, v]
        dst += [v, u]
    ties = pd.DataFrame({"source": src, "target": dst, "kind": "trust", "weight": 1.0})
    parties = pd.DataFrame({"party": ["us", "florence"], "name": ["Our team", "Florentine elite"],
                            "side": ["us", "counterpart"]})
    meta = {"id": "florentine", "title": "Padgett's Florentine families (1400–1434)",
            "decision": "who leads Florence", "us": "us", "counterpart": "florence",
            "as_of": "1434-01-01", "currency": "EUR"}
    return {"parties": parties, "stakeholders": st, "ties": ties}, meta


def load_itex_cypress(path: str | Path | None = None, us: str = "itex"):
    """The Itex–Cypress reference case (Inspire; GENIUS profiles) as a :class:`~powerkit.Deal`.

    Reads ``data/reference/itex_cypress_scoring.csv`` (columns ``issue, option,
    itex_evaluation, cypress_evaluation, itex_issue_weight, cypress_issue_weight``) into a deal
    with two parties, ``itex`` (the seller) and ``cypress`` (the buyer), no stakeholders, and an
    ``issues`` table in the deal format. Four issues, 5·4·3·3 = 180 packages.

    Parameters
    ----------
    path : path, optional
        The CSV; default the copy shipped in ``data/reference``.
    us : {"itex", "cypress"}
        Which side is "us".

    Returns
    -------
    Deal

    Examples
    --------
    >>> d = load_itex_cypress()
    >>> d.us, d.counterpart, len(d.issues)
    ('itex', 'cypress', 30)

    References
    ----------
    Kersten, G. E. & Noronha, S. J. (1999). WWW-based negotiation support: design,
    implementation, and use. *Decision Support Systems* 25(2), 135–154. Ratings: ANAC 2010 /
    GENIUS profiles ``ItexvsCypress_Itex.xml`` and ``ItexvsCypress_Cypress.xml``.
    """
    if us not in ("itex", "cypress"):
        raise bad_argument("us", "load_itex_cypress", "'itex' or 'cypress'", us)
    them = "cypress" if us == "itex" else "itex"
    src = Path(path) if path is not None else reference_dir() / "itex_cypress_scoring.csv"
    raw = pd.read_csv(src)
    rows = []
    for p in ("itex", "cypress"):
        for rec in raw.itertuples(index=False):
            rows.append({"issue": rec.issue, "option": rec.option, "party": p,
                         "rating": float(getattr(rec, f"{p}_evaluation")),
                         "weight": float(getattr(rec, f"{p}_issue_weight"))})
    issues = pd.DataFrame(rows)
    parties = empty_table("parties")
    for p, name, role in (("itex", "Itex Manufacturing", "seller"),
                          ("cypress", "Cypress Cycles", "buyer")):
        parties.loc[p, ["name", "side", "role"]] = [name, "us" if p == us else "counterpart", role]
    meta = DealMeta(id="itex-cypress", title="Itex vs Cypress (Inspire reference case)",
                    decision="agree price, delivery, payment and returns for bicycle parts",
                    us=us, counterpart=them, as_of=date(1999, 1, 1), currency="USD")
    return Deal(meta=meta, parties=parties, stakeholders=empty_table("stakeholders"),
                issues=issues, source=str(src))


def load_case(deal_path, reference: str = "") -> Deal:
    """The deal a walkthrough works on: the published reference case named by ``reference``
    (``krackhardt``, ``florentine`` or ``itex-cypress``), else the deal file at ``deal_path``.

    >>> load_case("", "itex-cypress").meta.id, load_case("", "krackhardt").meta.id
    ('itex-cypress', 'krackhardt')
    """
    if reference in ("", None):
        return load_deal(deal_path)
    if reference == "itex-cypress":
        return load_itex_cypress()
    if reference in REFERENCES:
        return load_reference(reference)
    raise bad_argument("reference", "load_case",
                       f"empty or one of {', '.join((*REFERENCES, 'itex-cypress'))}", reference)
