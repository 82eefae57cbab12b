"""A deal's history: dated versions, and the headlines' trends across them.

Versions come from either

* dated snapshots inside the deal folder, ``history/<YYYY-MM-DD>/`` holding the same tables
  (a snapshot without ``deal.yaml`` takes the deal's own, with ``as_of`` set to the folder's
  date), plus the deal folder itself as the latest version; or
* a git repository whose top folder is the deal folder: its commits are the versions (each
  commit's ``deal.yaml`` gives its date). A deal folder that merely lies inside a larger
  repository (the sample deals in this project's) has no git history of its own.

Every snapshot is validated; the problems of all snapshots are reported at once, each naming
the snapshot's folder.
"""
from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ..deal import Deal, load_deal
from ..errors import DealError, PowerkitError, Problem

__all__ = ["Version", "load_history", "trends", "HISTORY_DIR", "fingerprint", "adopt",
           "preload", "preloaded_deal"]

HISTORY_DIR = "history"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Version:
    """One version: its date (the deal's ``as_of``), where it came from and the deal."""

    as_of: date
    source: str
    deal: Deal


def _snapshot(folder: Path, main_yaml: Path, day: date) -> Deal:
    if (folder / "deal.yaml").exists():
        return load_deal(folder)
    with tempfile.TemporaryDirectory(prefix="powerkit-snapshot-") as tmp:
        t = Path(tmp) / folder.name
        shutil.copytree(folder, t)
        shutil.copy(main_yaml, t / "deal.yaml")
        d = load_deal(t)
    return dataclasses.replace(d, meta=dataclasses.replace(d.meta, as_of=day),
                               source=str(folder))


def _from_folders(path: Path, current: Deal | None) -> list[Version]:
    out, problems = [], []
    for sub in sorted((path / HISTORY_DIR).iterdir()):
        if not sub.is_dir():
            continue
        if not _DATE.match(sub.name):
            problems.append(Problem(f"{HISTORY_DIR}/{sub.name}", None, None, sub.name,
                                    "a snapshot folder named by its date, YYYY-MM-DD"))
            continue
        try:
            day = date.fromisoformat(sub.name)
        except ValueError:
            problems.append(Problem(f"{HISTORY_DIR}/{sub.name}", None, None, sub.name,
                                    "a date that exists (YYYY-MM-DD)"))
            continue
        if current is not None and day >= current.meta.as_of:
            problems.append(Problem(f"{HISTORY_DIR}/{sub.name}", None, None, sub.name,
                                    "a date before the deal's as_of "
                                    f"({current.meta.as_of.isoformat()}): the deal folder itself "
                                    "is the latest version"))
            continue
        try:
            d = _snapshot(sub, path / "deal.yaml", day)
        except DealError as exc:
            problems += [dataclasses.replace(p, file=f"{HISTORY_DIR}/{sub.name}/{p.file}")
                         for p in exc.problems]
            continue
        out.append(Version(d.meta.as_of, f"{HISTORY_DIR}/{sub.name}", d))
    if problems:
        raise DealError(problems, str(path))
    if current is not None:
        out.append(Version(current.meta.as_of, "current", current))
    return out


def _git(path: Path, *args) -> str:
    return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True,
                          check=True).stdout


def _from_git(path: Path) -> list[Version]:
    try:
        top = Path(_git(path, "rev-parse", "--show-toplevel").strip())
        if top.resolve() != path.resolve():
            return []
        commits = _git(path, "log", "--format=%H", "--", ".").split()
    except (OSError, subprocess.CalledProcessError):
        return []
    rel = path.resolve().relative_to(top.resolve())
    out, problems = [], []
    for c in reversed(commits):
        with tempfile.TemporaryDirectory(prefix="powerkit-commit-") as tmp:
            t = Path(tmp) / path.name
            t.mkdir()
            names = _git(path, "ls-tree", "--name-only", c, f"{rel.as_posix()}/").split()
            for n in names:
                blob = subprocess.run(["git", "-C", str(top), "show", f"{c}:{n}"],
                                      capture_output=True, check=True).stdout
                (t / Path(n).name).write_bytes(blob)
            try:
                d = load_deal(t)
            except DealError as exc:
                problems += [dataclasses.replace(p, file=f"commit {c[:8]}: {p.file}")
                             for p in exc.problems]
                continue
        out.append(Version(d.meta.as_of, f"commit {c[:8]}", dataclasses.replace(
            d, source=f"{path}@{c[:8]}")))
    if problems:
        raise DealError(problems, str(path))
    return out


def fingerprint(path) -> str | None:
    """SHA-256 of the deal at ``path``: a workbook's bytes, or every file under a deal folder
    (relative names and contents, sorted by name; a ``.git`` folder is left out). ``None`` when
    ``path`` is neither a file nor a folder. Two calls give the same value exactly when no file
    of the deal was added, removed, renamed or changed in between."""
    import hashlib

    path = Path(path)
    h = hashlib.sha256()
    if path.is_file():
        h.update(path.read_bytes())
    elif path.is_dir():
        for f in sorted(p for p in path.rglob("*") if ".git" not in p.relative_to(path).parts):
            if f.is_file():
                h.update(f.relative_to(path).as_posix().encode() + b"\0")
                h.update(f.read_bytes())
                h.update(b"\0")
    else:
        return None
    return h.hexdigest()


# the report's deal, read and validated by its spare kernel for the notebook (kernels.check_deal)
_PRELOADED: dict[str, tuple[str, Deal, list | None]] = {}


def adopt(path, fp: str, current: Deal, versions: list | None = None) -> None:
    """Remember ``current`` (and ``versions``, its :func:`load_history`) as the deal at ``path``
    whose files had :func:`fingerprint` ``fp`` when they were read: :func:`preloaded_deal` and
    :func:`load_history` hand them out in this process for as long as the files keep that
    fingerprint. The report's spare kernel reads and validates the deal and its history before
    anything else (:func:`powerkit.kernels.check_deal`) and adopts them, so that the notebook
    does not read and validate the same files a second time."""
    _PRELOADED.clear()
    _PRELOADED[str(Path(path).resolve())] = (fp, current, versions)


def preload(path) -> None:
    """Load and validate the deal at ``path`` and its history (a history from git is left to
    :func:`load_history`: it depends on the repository, not only on the files) and
    :func:`adopt` them."""
    path = Path(path).resolve()
    fp = fingerprint(path)
    if fp is None:
        return
    current = load_deal(path)
    versions = None
    if not (path.is_dir() and (path / ".git").exists()):
        versions = load_history(path, current=current)
    if fingerprint(path) == fp:  # nothing changed while it was read
        adopt(path, fp, current, versions)


def _preloaded(path) -> tuple[Deal, list | None] | None:
    got = _PRELOADED.get(str(Path(path).resolve()))
    if got is None or fingerprint(path) != got[0]:
        return None
    return got[1], got[2]


def preloaded_deal(path) -> Deal | None:
    """The deal adopted for ``path`` (:func:`adopt`), if no file of it changed since; else
    ``None``."""
    got = _preloaded(path)
    return None if got is None else got[0]


def load_history(path, current: Deal | None = None) -> list[Version]:
    """The dated versions of the deal at ``path``, oldest first (see the module docstring).

    A deal with neither snapshots nor a git history has one version: itself. Two versions with
    the same date are an error naming both. ``current``: the deal at ``path`` when the caller
    has already loaded it (it is not read again). A deal and versions adopted (:func:`adopt`)
    in this process from the same, unchanged files are handed out again.
    """
    path = Path(path)
    got = _preloaded(path) if _PRELOADED else None
    if got is not None and got[1] is not None:
        return list(got[1])
    if current is None:
        current = got[0] if got is not None else load_deal(path)
    if path.is_dir() and (path / HISTORY_DIR).is_dir():
        versions = _from_folders(path, current)
    else:
        versions = _from_git(path) if path.is_dir() else []
        if not versions:
            versions = [Version(current.meta.as_of, "current", current)]
    versions.sort(key=lambda v: v.as_of)
    seen: dict = {}
    problems = []
    for v in versions:
        if v.as_of in seen:
            problems.append(Problem(v.source, None, "as_of", v.as_of.isoformat(),
                                    f"one version per date ({seen[v.as_of]} has the same date)"))
        seen[v.as_of] = v.source
    if problems:
        raise DealError(problems, str(path))
    return versions


def trends(versions: list[Version], people: int = 5, ranges: bool = True,
           current=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The headlines of every version, and the events dated in the history's span.

    Returns
    -------
    (DataFrame, DataFrame)
        ``trend``: one row per version (``as_of``, ``source``, ``balance``, ``predicted_price``,
        ``balance_low``/``balance_high`` and ``price_low``/``price_high`` (the 90% ranges of
        :func:`powerkit.uncertainty.uncertainty`, NaN with ``ranges=False``), ``support`` — the
        forecast decision Σ r_j · stance_j of walkthrough 2's
        :func:`~powerkit.influence.who_decides`, −1 against … 1 for us — then ``stance:<stakeholder id>``
        for the ``people`` who really decide most in the latest version (ids, so that a reader's
        names — or an anonymised report's role labels — are put on by the caller) and
        ``posterior:<hypothesis>`` for every hypothesis); ``events``: date, target,
        description of the latest version's events, for the time axis.
    """
    from .. import constraints, influence
    from ..uncertainty import uncertainty
    from .diff import balance_and_price

    latest = versions[-1].deal
    key = []
    latest_wd = None  # who_decides(latest): the key people and the last row's support
    try:
        latest_wd = influence.who_decides(latest)
        key = list(latest_wd.index[:people])
    except PowerkitError:  # a version without a decision body has no key people
        key = []
    rows = []
    for v in versions:
        d = v.deal
        nan2 = (float("nan"), float("nan"))
        u = None
        if ranges:
            u = current if current is not None and v is versions[-1] else \
                uncertainty(d, sobol_n=None, flip=False, extras=())
        # the ranges' model profiled this version already (power_profile(d), the same call)
        balance, price = balance_and_price(d, u.profile if u is not None else None)
        row = {"as_of": pd.Timestamp(v.as_of), "source": v.source, "balance": balance,
               "predicted_price": price, "support": float("nan")}
        row["balance_low"], row["balance_high"] = (u.range_of("balance") or nan2) if u else nan2
        row["price_low"], row["price_high"] = (u.range_of("predicted_price") or nan2) if u else nan2
        try:
            wd = latest_wd if d is latest and latest_wd is not None else influence.who_decides(d)
            row["support"] = float((wd["real_weight"] * wd["stance"]).sum())
        except PowerkitError:
            pass
        st = d.stakeholders
        for k in key:
            row[f"stance:{k}"] = float(st.loc[k, "stance"]) if k in st.index else float("nan")
        if d.has("hypotheses"):
            post = constraints.analyse(d).hypotheses["posterior"]
            for h, p in post.items():
                row[f"posterior:{h}"] = float(p)
        rows.append(row)
    ev = latest.events
    events = (pd.DataFrame(columns=["date", "target", "description"]) if ev is None else
              ev[["date", "target", "description"]].sort_values("date").reset_index(drop=True))
    return pd.DataFrame(rows), events
