"""Build Krackhardt's cognitive social structures (CSS) as reference files and as a deal.

Two steps, both reproducible:

1. ``--from-json KRACKAD.json KRACKFR.json`` (optional; the upstream files are not shipped):
   convert V. Batagelj's MWnets copies of the UCINET files ``krackad``/``krackfr``
   (repository bavla/ibm3m, ``data/KRACKAD.json`` and ``data/KRACKFR.json``) into
   ``krackhardt_css_advice.csv`` and ``krackhardt_css_friendship.csv`` (long: perceiver,
   source, target; one row per reported tie), applying the documented correction of
   cssTools::highTechManagers: in manager 17's own friendship slice, row 17 (almost all ones)
   is replaced by column 17.
2. Always: write the deal folder ``krackhardt-css/`` (deal.yaml, parties.csv,
   stakeholders.csv with the org chart, ties.csv = the intersection locally aggregated
   structure of advice and of friendship, perceived_ties.csv = both CSS).

Run from anywhere: ``python data/reference/make_krackhardt_css.py``. It needs only pandas and
numpy; it does not import powerkit, so that the tests can check the deal against an
independent computation. See data/reference/README.md for provenance and checks.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
N = 21
KINDS = ("advice", "friendship")
#: the documented correction (cssTools 1.0, man/highTechManagers.Rd): friendship slice of
#: perceiver 17, row 17 := column 17 of the same slice
CORRECTED = ("friendship", 17)


def css_from_json(path: Path) -> np.ndarray:
    """The 21 x 21 x 21 array R[perceiver, source, target] of an MWnets CSS file.

    Each link of the file names three nodes by their position in ``ways`` (advice, friend,
    report); checked against the published self-reports: ``report`` is the perceiver,
    ``advice`` the sender (who goes for advice) and ``friend`` the receiver.
    """
    d = json.loads(Path(path).read_text(encoding="utf-8"))
    r = np.zeros((N, N, N), dtype=int)
    for link in d["links"]:
        if link.get("w", 1) != 1:
            raise ValueError(f"{path}: a link of weight {link['w']}; expected 0/1 data")
        r[link["report"] - 1, link["advice"] - 1, link["friend"] - 1] = 1
    return r


def correct(r: np.ndarray, kind: str) -> np.ndarray:
    """Apply the cssTools correction to the friendship CSS (a copy; advice is unchanged)."""
    r = r.copy()
    if kind == CORRECTED[0]:
        m = CORRECTED[1] - 1
        r[m, m, :] = r[m, :, m]
    return r


def write_css(r: np.ndarray, out: Path) -> None:
    m, i, j = np.nonzero(r)
    keep = i != j
    pd.DataFrame({"perceiver": m[keep] + 1, "source": i[keep] + 1, "target": j[keep] + 1}
                 ).to_csv(out, index=False)


def read_css(path: Path) -> np.ndarray:
    t = pd.read_csv(path)
    r = np.zeros((N, N, N), dtype=int)
    r[t["perceiver"] - 1, t["source"] - 1, t["target"] - 1] = 1
    return r


def las_intersection(r: np.ndarray) -> np.ndarray:
    """Krackhardt's (1987) intersection LAS: i -> j when both i and j report it."""
    a = np.zeros((N, N), dtype=int)
    for i in range(N):
        for j in range(N):
            if i != j:
                a[i, j] = r[i, i, j] * r[j, i, j]
    return a


def write_deal(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    att = pd.read_csv(HERE / "krackhardt_attributes.csv")
    boss = pd.read_csv(HERE / "krackhardt_reports_to_edges.csv").set_index("ego")["alter"]
    level = {1: "CEO", 2: "vice-president", 3: "manager"}
    (folder / "deal.yaml").write_text(
        "id: krackhardt-css\n"
        "title: \"Krackhardt's high-tech managers: how each of the 21 sees the network (1987)\"\n"
        "decision: \"a company-wide decision the CEO signs off\"\n"
        "us: us\ncounterpart: company\ncurrency: USD\nas_of: 1987-01-01\n"
        "prepared_for: \"walkthrough 2 reference case (built by "
        "data/reference/make_krackhardt_css.py)\"\n", encoding="utf-8")
    pd.DataFrame({"party": ["us", "company"], "name": ["Our team", "The company"],
                  "side": ["us", "counterpart"]}).to_csv(folder / "parties.csv", index=False)
    pd.DataFrame({
        "stakeholder": att["id"],
        "name": [f"Manager {i}" + (" (CEO)" if lv == 1 else " (VP)" if lv == 2 else "")
                 for i, lv in zip(att["id"], att["level"], strict=True)],
        "party": "company",
        "title": att["level"].map(level),
        "department": att["department"],
        "reports_to": [boss.get(i, "") for i in att["id"]],
        "sign_off": (att["level"] == 1).map({True: "true", False: "false"}),
        "stance": 0,
    }).to_csv(folder / "stakeholders.csv", index=False)
    ties, perceived = [], []
    for kind in KINDS:
        r = read_css(HERE / f"krackhardt_css_{kind}.csv")
        s, t = np.nonzero(las_intersection(r))
        ties.append(pd.DataFrame({"source": s + 1, "target": t + 1, "kind": kind, "weight": 1}))
        m, i, j = np.nonzero(r)
        perceived.append(pd.DataFrame({"perceiver": m + 1, "source": i + 1, "target": j + 1,
                                       "kind": kind}))
    pd.concat(ties).to_csv(folder / "ties.csv", index=False)
    pd.concat(perceived).to_csv(folder / "perceived_ties.csv", index=False)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--from-json", nargs=2, metavar=("KRACKAD_JSON", "KRACKFR_JSON"),
                   help="rebuild the two CSS CSVs from the MWnets files first")
    a = p.parse_args(argv)
    if a.from_json:
        for kind, path in zip(KINDS, a.from_json, strict=True):
            write_css(correct(css_from_json(Path(path)), kind),
                      HERE / f"krackhardt_css_{kind}.csv")
    write_deal(HERE / "krackhardt-css")


if __name__ == "__main__":
    main()
