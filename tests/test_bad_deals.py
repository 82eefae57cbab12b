"""The bad-deal corpus: every malformed input gives exactly the hand-written problem lines
(tests/fixtures/bad_deals/*/expected.txt, see make_corpus.py), exit code 2, no traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from powerkit.cli import app

CORPUS = Path(__file__).parent / "fixtures" / "bad_deals"
sys.path.insert(0, str(CORPUS))
from make_corpus import target  # noqa: E402

CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir() and (p / "expected.txt").exists())


def test_corpus_is_large_enough():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_reports_every_problem(case):
    result = CliRunner().invoke(app, ["validate", str(target(case))])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [ln.strip() for ln in result.output.splitlines()]
    expected = case.joinpath("expected.txt").read_text(encoding="utf-8").splitlines()
    n = len(expected)
    assert lines[0].endswith(f"{n} problem{'s' if n != 1 else ''} in the deal file"), lines[0]
    assert lines[1:] == expected


def test_yaml_tags_are_never_evaluated(tmp_path):
    """deal.yaml with a python/object tag is refused, and the command in it never runs."""
    flag = Path("/tmp/powerkit-hacked")
    flag.unlink(missing_ok=True)
    CliRunner().invoke(app, ["validate", str(CORPUS / "03-yaml-python-tag-not-evaluated")])
    assert not flag.exists()


def test_real_process_exit_code_and_no_traceback():
    """The installed console script, as a consultant runs it."""
    exe = Path(sys.executable).parent / "powerkit"
    proc = subprocess.run([str(exe), "validate", str(CORPUS / "14-stance-out-of-range")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "row 3, column 'stance': got '1.7'" in proc.stderr
