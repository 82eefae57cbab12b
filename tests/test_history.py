"""powerkit.versions.history and the report's trend/changes sections (issue 15, items 1–2).

Expected values: the snapshot dates are the folder names written by the test; each version's
balance is recomputed with walkthrough 1's ``power_profile`` on the snapshot loaded on its own
(a folder built by the test with deal.yaml's as_of set by hand), independently of the history
loader; the Shapley parts add up to the total change recomputed from the two versions.
"""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml

from powerkit.deal import load_deal
from powerkit.errors import DealError
from powerkit.paths import sample_deal
from powerkit.power import power_profile
from powerkit.sections.trends import NO_HISTORY, changes_section, section
from powerkit.versions import load_history, trends

NW = sample_deal("northwind-vendor")


def _alone(snapshot: Path, tmp: Path, day: str) -> Path:
    """The snapshot as a deal folder of its own: tables + deal.yaml with as_of = its date."""
    out = tmp / f"alone-{day}"
    shutil.copytree(snapshot, out)
    meta = yaml.safe_load((NW / "deal.yaml").read_text(encoding="utf-8"))
    meta["as_of"] = date.fromisoformat(day)
    (out / "deal.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    return out


def test_sample_history_versions_and_balances(tmp_path):
    versions = load_history(NW)
    days = sorted(p.name for p in (NW / "history").iterdir() if p.is_dir())
    assert [v.as_of.isoformat() for v in versions] == days + ["2026-11-01"]
    trend, events = trends(versions, ranges=False)
    for day, b in zip(days, trend["balance"], strict=False):
        alone = load_deal(_alone(NW / "history" / day, tmp_path, day))
        assert b == pytest.approx(power_profile(alone).balance, abs=1e-12)
    assert trend["balance"].iloc[-1] == pytest.approx(power_profile(load_deal(NW)).balance,
                                                      abs=1e-12)
    # the story of the sample: the balance moves towards us over the six weeks
    assert trend["balance"].is_monotonic_increasing
    assert list(events["date"]) == sorted(events["date"])


def test_a_trend_with_ranges_reads_each_versions_own_balance_and_price(tmp_path):
    """With ranges the trend takes each version's balance and price from the profile its range
    model computed (no second power_profile); they must still be that version's own: recomputed
    here from the snapshot loaded alone, and from the deal itself for the last row (with the
    report's uncertainty handed in as ``current``, as the report does)."""
    import math

    from powerkit.uncertainty import uncertainty

    versions = load_history(NW)
    days = sorted(p.name for p in (NW / "history").iterdir() if p.is_dir())
    deal = versions[-1].deal
    trend, _ = trends(versions, ranges=True, current=uncertainty(deal))
    alone = [load_deal(_alone(NW / "history" / d, tmp_path, d)) for d in days] + [load_deal(NW)]
    assert len(trend) == len(alone) == 3
    for (_, row), d in zip(trend.iterrows(), alone, strict=True):
        p = power_profile(d)
        assert row["balance"] == pytest.approx(p.balance, abs=1e-12)
        price = p.split.price if p.split is not None else math.nan
        assert row["predicted_price"] == pytest.approx(price, abs=1e-6, nan_ok=True)
    assert trend["balance"].nunique() == 3  # three different versions, not one profile reused


def test_trend_ranges_contain_the_point():
    trend, _ = trends(load_history(NW))
    assert ((trend["balance_low"] <= trend["balance"] + 1e-12)
            & (trend["balance"] <= trend["balance_high"] + 1e-12)).all()


def test_deal_without_history_has_one_version_and_the_section_says_so():
    d = load_deal(sample_deal("small-renewal"))
    assert [v.source for v in load_history(sample_deal("small-renewal"))] == ["current"]
    sec = section(d)
    assert sec.missing == NO_HISTORY and not sec.blocks


def test_section_headline_ends_at_the_report_deal():
    d = load_deal(NW)
    sec = section(d, ranges=False)
    assert sec.headline["balance"][-1] == pytest.approx(power_profile(d).balance, abs=1e-6)
    assert sec.headline["versions"][-1] == d.meta.as_of.isoformat()


def test_changes_section_parts_add_up_and_use_names():
    versions = load_history(NW)
    old, new = versions[1].deal, versions[2].deal
    sec = changes_section(old, new)
    total = power_profile(new).balance - power_profile(old).balance
    assert sec.headline["balance_change"] == pytest.approx(total, abs=1e-6)
    table = sec.tables()[0]
    # people appear by name, not by id
    assert not table["input"].str.contains(r"\bbw_cfo\b").any()
    assert table["input"].str.contains("Rafael Duarte").any()


def _copy_deal(tmp_path, name="deal") -> Path:
    out = tmp_path / name
    shutil.copytree(NW, out, ignore=shutil.ignore_patterns("history"))
    return out


def test_broken_snapshot_reports_every_problem_with_its_folder(tmp_path):
    d = _copy_deal(tmp_path)
    for day in ("2026-09-01", "2026-09-15"):
        s = d / "history" / day
        shutil.copytree(NW / "history" / "2026-09-20", s)
        st = (s / "stakeholders.csv").read_text(encoding="utf-8")
        (s / "stakeholders.csv").write_text(st.replace(",-0.2,", ",minus,", 1), encoding="utf-8")
    (d / "history" / "September").mkdir()
    with pytest.raises(DealError) as exc:
        load_history(d)
    text = str(exc.value)
    assert "history/2026-09-01/stakeholders.csv" in text
    assert "history/2026-09-15/stakeholders.csv" in text
    assert "history/September" in text and "YYYY-MM-DD" in text


def test_impossible_snapshot_date(tmp_path):
    d = _copy_deal(tmp_path)
    shutil.copytree(NW / "history" / "2026-09-20", d / "history" / "2026-02-30")
    with pytest.raises(DealError, match="a date that exists"):
        load_history(d)


def _git(path, *args):
    subprocess.run(["git", "-C", str(path), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                        "PATH": "/usr/bin:/bin", "HOME": str(path)})


def _set_stance(d: Path, who: str, value: str) -> None:
    import pandas as pd

    st = pd.read_csv(d / "stakeholders.csv", dtype=str, keep_default_na=False)
    st.loc[st["stakeholder"] == who, "stance"] = value
    st.to_csv(d / "stakeholders.csv", index=False)


def test_git_repository_commits_are_versions(tmp_path):
    d = _copy_deal(tmp_path)
    _git(d, "init", "-q")
    _git(d, "add", ".")
    _git(d, "commit", "-qm", "first")
    y = (d / "deal.yaml").read_text(encoding="utf-8").replace("as_of: 2026-11-01", "as_of: 2026-11-08")
    (d / "deal.yaml").write_text(y, encoding="utf-8")
    _set_stance(d, "bw_cfo", "0.4")
    _git(d, "commit", "-qam", "second")
    versions = load_history(d)
    assert [v.as_of for v in versions] == [date(2026, 11, 1), date(2026, 11, 8)]
    assert all(v.source.startswith("commit ") for v in versions)
    assert versions[0].deal.stakeholders.loc["bw_cfo", "stance"] == -0.1  # as first committed
    assert versions[1].deal.stakeholders.loc["bw_cfo", "stance"] == 0.4


def test_a_deal_inside_a_larger_repository_has_no_git_history():
    # the sample deals live in this project's repository: its commits are not their versions
    assert [v.source for v in load_history(sample_deal("harbour-council"))] == ["current"]


def test_a_snapshot_not_before_the_deal(tmp_path):
    d = _copy_deal(tmp_path)
    shutil.copytree(NW / "history" / "2026-09-20", d / "history" / "2026-11-01")
    with pytest.raises(DealError, match="a date before the deal's as_of"):
        load_history(d)


def test_two_commits_with_the_same_date(tmp_path):
    d = _copy_deal(tmp_path)
    _git(d, "init", "-q")
    _git(d, "add", ".")
    _git(d, "commit", "-qm", "first")
    _set_stance(d, "bw_cfo", "-0.15")
    _git(d, "commit", "-qam", "second, same as_of")
    with pytest.raises(DealError, match="one version per date"):
        load_history(d)


def test_validate_and_report_refuse_a_broken_snapshot(tmp_path):
    from typer.testing import CliRunner

    from powerkit.cli import app
    from powerkit.report import run_report

    d = tmp_path / "deal"
    shutil.copytree(NW, d)
    _set_stance(d / "history" / "2026-09-20", "bw_cfo", "minus")
    res = CliRunner().invoke(app, ["validate", str(d)])
    assert res.exit_code == 2
    assert ("history/2026-09-20/stakeholders.csv, row 8, column 'stance': got 'minus'; "
            "expected a number from -1 to 1") in res.output
    r = run_report(d, tmp_path / "out")
    assert not r.ok and r.code == 2 and "history/2026-09-20/stakeholders.csv" in r.error
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_last_trend_range_is_the_power_sections():
    """The report's trend ends at the deal itself: its 90% range of the balance and the price
    is the one the power section prints (the same Uncertainty, reused)."""
    from powerkit.sections import build_sections

    secs = {s.key: s for s in build_sections(load_deal(NW), order=("trends", "power"))}
    table = secs["trends"].tables()[0]
    lo, hi = secs["power"].headline["balance_interval"]
    assert table["balance 90% range"].iloc[-1] == f"{lo:+.3f} to {hi:+.3f}"


# -- preloading (a spare kernel loads the report's deal while the command starts; issue 18) ---
def _stance_in_file(folder: Path, sid: str) -> float:
    """A stakeholder's stance read straight from the CSV (the independent reference)."""
    import pandas as pd

    st = pd.read_csv(folder / "stakeholders.csv")
    return float(st.set_index(st.columns[0]).loc[sid, "stance"])


def test_preloaded_history_is_handed_out_while_the_files_are_unchanged(tmp_path):
    from powerkit.versions import history

    deal = tmp_path / "nw"
    shutil.copytree(NW, deal)
    try:
        history.preload(deal)
        first = load_history(deal)
        assert [v.deal for v in first] == [v.deal for v in load_history(deal)]  # same objects
        assert history.preloaded_deal(deal) is first[-1].deal
        # the loaders' own result for the same files: same dates and stances
        fresh = load_history(deal, current=load_deal(deal))
        assert [v.as_of for v in first] == [v.as_of for v in fresh]
        for a, b in zip(first, fresh, strict=True):
            assert a.deal.stakeholders["stance"].equals(b.deal.stakeholders["stance"])
        # one byte of the current version changes: nothing preloaded is used any more
        text = (deal / "stakeholders.csv").read_text(encoding="utf-8")
        sid = text.splitlines()[1].split(",")[0]
        old = _stance_in_file(deal, sid)
        new = 0.5 if old != 0.5 else -0.5
        lines = text.splitlines()
        head = lines[0].split(",")
        row = lines[1].split(",")
        row[head.index("stance")] = str(new)
        lines[1] = ",".join(row)
        (deal / "stakeholders.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert _stance_in_file(deal, sid) == new
        assert history.preloaded_deal(deal) is None
        again = load_history(deal)
        assert again[-1].deal is not first[-1].deal
        assert again[-1].deal.stakeholders.loc[sid, "stance"] == new
    finally:
        history._PRELOADED.clear()


def test_fingerprint_follows_every_file_but_not_git(tmp_path):
    from powerkit.versions.history import fingerprint

    deal = tmp_path / "nw"
    shutil.copytree(NW, deal)
    fp = fingerprint(deal)
    assert fp == fingerprint(deal)
    (deal / ".git").mkdir()
    (deal / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert fingerprint(deal) == fp  # git's own files are not the deal's
    (deal / "history" / "2026-09-20" / "notes.txt").write_text("x")
    assert fingerprint(deal) != fp  # a file added to a snapshot
    assert fingerprint(tmp_path / "missing") is None


def test_history_given_the_current_deal_equals_loading_it(tmp_path):
    a = load_history(NW)
    b = load_history(NW, current=load_deal(NW))
    assert [(v.as_of, v.source) for v in a] == [(v.as_of, v.source) for v in b]
    assert a[-1].deal.stakeholders.equals(b[-1].deal.stakeholders)


def test_earlier_versions_ranges_are_the_full_analysis_ranges():
    """Earlier versions get the cheap ranges (``extras=()``: no Nash package, decision shares or
    posteriors); the balance and price ranges must be the ones the full uncertainty analysis of
    that version gives (reference: ``uncertainty(version)`` with every extra, run here)."""
    from powerkit.uncertainty import uncertainty

    versions = load_history(NW)
    assert len(versions) >= 2
    t, _ = trends(versions)
    for i, v in enumerate(versions[:-1]):
        u = uncertainty(v.deal, sobol_n=None, flip=False)
        for key, col in (("balance", "balance"), ("predicted_price", "price")):
            lo, hi = u.range_of(key)
            assert t[f"{col}_low"].iloc[i] == pytest.approx(lo, abs=1e-12)
            assert t[f"{col}_high"].iloc[i] == pytest.approx(hi, abs=1e-12)
