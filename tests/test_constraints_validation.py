"""Bad hidden-constraint input fails at load, one line per problem (docs/deal-format.md).

Each deal folder under tests/fixtures/constraints/ is a copy of ``basic`` with the changes
listed in CASES. The expected lines are written by hand from the documented line format
(``file, row R, column 'C': got 'V'; expected ...``, errors.Problem.line), the column ranges of
docs/deal-format.md (probabilities, priors and credibility 0..1 → "a number from 0 to 1"; the
ACH scale CC / C / N / I / II) and the referential rule that evidence and questions name a
hypothesis of the hypotheses table. Rows count the header as row 1.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import powerkit
from powerkit import constraints as C

FIX = Path(__file__).parent / "fixtures" / "constraints"
UNIT = "expected a number from 0 to 1"
SCALE = "expected one of CC, C, N, I, II"
HYP = "expected a hypothesis id from hypotheses (fix the id)"

CASES = {
    # e7 (row 8) p_if_true 1.4; q2 (row 3) p_yes_if_false -0.1
    "bad_probability": [
        f"evidence.csv, row 8, column 'p_if_true': got '1.4'; {UNIT}",
        f"questions.csv, row 3, column 'p_yes_if_false': got '-0.1'; {UNIT}",
    ],
    # e2 (row 3) rated 'VC'; e5 (row 6) rated 'NA' (Heuer's "not applicable" is not a rating:
    # leave the cell out instead)
    "bad_rating": [
        f"evidence.csv, row 3, column 'rating': got 'VC'; {SCALE}",
        f"evidence.csv, row 6, column 'rating': got 'NA'; {SCALE}",
    ],
    # e3 (row 4) rates 'hx'; q3 (row 4) concerns 'hz': neither is in hypotheses.csv
    "unknown_hypothesis": [
        f"evidence.csv, row 4, column 'hypothesis': got 'hx'; {HYP}",
        f"questions.csv, row 4, column 'hypothesis': got 'hz'; {HYP}",
    ],
    # hb (row 2) prior 1.2; e1 (row 2) credibility 1.5
    "bad_prior": [
        f"hypotheses.csv, row 2, column 'prior': got '1.2'; {UNIT}",
        f"evidence.csv, row 2, column 'credibility': got '1.5'; {UNIT}",
    ],
    # all kinds at once: every problem reported, each on its own line (lazy validation)
    "several_problems": [
        f"hypotheses.csv, row 3, column 'prior': got '-0.6'; {UNIT}",
        f"evidence.csv, row 3, column 'rating': got '++'; {SCALE}",
        f"evidence.csv, row 8, column 'p_if_false': got '2'; {UNIT}",
        f"evidence.csv, row 5, column 'hypothesis': got 'gx'; {HYP}",
    ],
}


def test_basic_fixture_is_valid():
    deal = powerkit.load_deal(FIX / "basic")
    assert list(deal.hypotheses.index) == ["hb", "hd", "gp", "gc"]
    assert set(deal.evidence["rating"].dropna()) <= set(C.RATING_LR)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_fails_at_load_one_line_per_problem(case):
    with pytest.raises(powerkit.DealError) as exc:
        powerkit.load_deal(FIX / case)
    expected = CASES[case]
    lines = [p.line() for p in exc.value.problems]
    assert sorted(lines) == sorted(expected)
    msg = str(exc.value).splitlines()
    n = len(expected)
    assert msg[0].endswith(f"{n} problem{'s' if n != 1 else ''} in the deal file")
    assert sorted(m.strip() for m in msg[1:]) == sorted(expected)


@pytest.mark.parametrize("case", ["bad_rating", "several_problems"])
def test_cli_validate_exits_2_without_traceback(case):
    from powerkit.cli import app
    result = CliRunner().invoke(app, ["validate", str(FIX / case)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    out = [ln.strip() for ln in result.output.splitlines()]
    for line in CASES[case]:
        assert line in out
