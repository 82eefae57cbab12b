"""``powerkit ingest --merge``: add a log's ties and people to an existing deal folder."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import DealError, InputError
from ..paths import atomic_write
from .network import DETAIL_COLUMNS, IngestResult, check_mapping_path, write_mapping

__all__ = ["merge_into_deal"]


def _read(path: Path) -> pd.DataFrame:
    """A deal CSV as written (every cell text, blanks kept blank)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _csv(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")


def merge_into_deal(result: IngestResult, deal_dir, *, party: str,
                    mapping_path=None) -> list[Path]:
    """Merge ``result`` into the deal folder ``deal_dir``: people not yet in ``stakeholders``
    are added to ``party`` (an existing party), every tie of ``result`` replaces the deal's tie
    with the same (source, target, kind) and the deal's other ties are kept as written; the
    counts go to ``ingest/`` as for a new deal. People are matched by stakeholder id exactly: use
    the same key as the run that wrote the deal (or ``--keep-addresses`` both times). The deal is
    validated after the merge; if it no longer validates, the files are restored and the problems
    raised. Returns the files written.

    >>> import pathlib, tempfile
    >>> from powerkit.ingest import ingest_log, write_deal
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.csv").write_text("sender,recipients,timestamp\\na@x.org,b@x.org,2024-01-01\\n")
    >>> _ = (d / "b.csv").write_text("sender,recipients,timestamp\\nb@x.org,c@x.org,2024-01-02\\n")
    >>> _ = write_deal(ingest_log(d / "a.csv"), d / "deal", party="acme")
    >>> _ = merge_into_deal(ingest_log(d / "b.csv"), d / "deal", party="acme")
    >>> pd.read_csv(d / "deal" / "ties.csv")[["source", "target"]].values.tolist()
    [['a@x.org', 'b@x.org'], ['b@x.org', 'c@x.org']]
    """
    from ..deal import load_deal

    deal_dir = Path(deal_dir)
    if not (deal_dir / "deal.yaml").is_file():
        raise InputError(f"--merge: {deal_dir} is not a deal folder (no deal.yaml); expected an "
                         "existing deal folder (a workbook: export it to a folder first)")
    try:
        load_deal(deal_dir)
    except DealError as exc:
        raise InputError(f"--merge: the deal to merge into is not valid:\n{exc}") from None
    parties = _read(deal_dir / "parties.csv")
    if party not in set(parties["party"]):
        raise InputError(f"--party: got {party!r}, which is not a party of "
                         f"{deal_dir / 'parties.csv'}; expected one of "
                         f"{', '.join(parties['party'])}")
    check_mapping_path(result, mapping_path, deal_dir)
    paths = {t: deal_dir / f"{t}.csv" for t in ("stakeholders", "ties")}
    before = {p: (p.read_bytes() if p.exists() else None) for p in paths.values()}
    people = _read(paths["stakeholders"])
    new = result.people[~result.people["stakeholder"].isin(people["stakeholder"])]
    people = pd.concat([people, new.assign(party=party).astype(str)], ignore_index=True)
    people = people.fillna("")
    if paths["ties"].exists():
        ties = _read(paths["ties"])
    else:
        ties = pd.DataFrame(columns=["source", "target", "kind", "weight"])
    if "weight" not in ties.columns:
        ties["weight"] = ""
    fresh = set(zip(result.ties["source"], result.ties["target"], result.ties["kind"],
                    strict=True))
    stay = [(s, t, k) not in fresh for s, t, k in zip(ties["source"], ties["target"],
                                                     ties["kind"], strict=True)]
    added = result.ties.assign(weight=result.ties["weight"].map(lambda w: f"{w:.10g}"))
    ties = pd.concat([ties[stay], added], ignore_index=True).fillna("")
    atomic_write(paths["stakeholders"], _csv(people))
    atomic_write(paths["ties"], _csv(ties))
    try:
        load_deal(deal_dir)
    except DealError as exc:
        for p, data in before.items():
            if data is None:
                p.unlink(missing_ok=True)
            else:
                atomic_write(p, data)
        raise InputError(f"--merge: the merged deal would not be valid (nothing was changed):"
                         f"\n{exc}") from None
    extra = {deal_dir / "ingest" / "ties_detail.csv":
             result.detail[list(DETAIL_COLUMNS)].to_csv(index=False, lineterminator="\n",
                                                        float_format="%.10g"),
             deal_dir / "ingest" / "summary.json":
             json.dumps(result.summary, indent=2, default=str) + "\n"}
    for p, text in extra.items():
        atomic_write(p, text)
    written = list(paths.values()) + list(extra)
    if mapping_path is not None:
        written.append(write_mapping(result, mapping_path))
    return written
