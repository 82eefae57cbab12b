"""How ``powerkit report`` starts (docs/performance.md, "Report against the fair floor"):
``import powerkit`` loads no analysis stack, so the command starts a single report's spare kernel
before anything heavy; which command lines are "a single report" is decided before typer parses
them, and must agree with typer's own parse."""
from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.main import get_command

from powerkit.cli import _one_report, app


def test_import_powerkit_loads_no_analysis_stack_and_its_names_still_work():
    code = ("import sys, powerkit\n"
            "heavy = sorted(m for m in ('pandas', 'numpy', 'pandera', 'plotly') if m in sys.modules)\n"
            "print(heavy)\n"
            "from powerkit import Deal, DealMeta, anonymise, load_deal\n"
            "print(load_deal.__module__, anonymise.__module__, Deal.__name__, DealMeta.__name__)\n"
            "print(all(n in dir(powerkit) for n in powerkit.__all__), 'pandas' in sys.modules)\n"
            "try:\n    powerkit.no_such_name\nexcept AttributeError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["[]", "powerkit.deal powerkit.deal.anonymise Deal DealMeta",
                   "True True", "module 'powerkit' has no attribute 'no_such_name'"]


def _typer_deals(args: list[str]) -> int:
    """How many deals typer itself parses from ``powerkit report ARGS`` (the reference)."""
    group = get_command(app)
    ctx = group.make_context("powerkit", ["report", *args], resilient_parsing=True)
    cmd = group.get_command(ctx, "report")
    sub = cmd.make_context("report", list(args), parent=ctx, resilient_parsing=True)
    return len(sub.params["deals"] or [])


OPTIONS = st.sampled_from([
    ["--out", "reports"], ["--out=reports"], ["--format", "pdf"], ["--paper", "a4"],
    ["--anonymise"], ["--param", "batna_us=1"], ["--param=deadline_them=2027-01-15"],
    ["--scenario", "s.yaml"], ["--since", "2026-01-01"], ["--jobs", "3"], ["-j", "2"], ["-j2"],
])
DEALS = st.lists(st.sampled_from(["northwind-vendor", "a/b.xlsx", "data/deals/x", "report"]),
                 max_size=3)


@settings(max_examples=150, deadline=None)
@given(deals=DEALS, options=st.lists(OPTIONS, max_size=4), cut=st.integers(0, 8),
       dashdash=st.booleans())
def test_one_report_agrees_with_typers_parse(deals, options, cut, dashdash):
    args = [a for o in options for a in o]
    cut = min(cut, len(args))
    while 0 < cut < len(args) and args[cut - 1] in ("--out", "--format", "--paper", "--param",
                                                    "--scenario", "--since", "--jobs", "-j"):
        cut += 1  # never split an option from its value
    args = args[:cut] + deals + args[cut:]
    if dashdash:
        args = [a for o in options for a in o] + ["--", *deals, "-odd-name"]
    assert _one_report(["report", *args]) == (_typer_deals(args) == 1), args


def test_one_report_is_false_for_other_commands_and_help():
    assert not _one_report(["validate", "northwind-vendor"])
    assert not _one_report(["report", "northwind-vendor", "--help"])
    assert not _one_report([])
    assert _one_report(["report", "northwind-vendor"])


def test_a_single_report_command_never_imports_pandas(tmp_path):
    """``powerkit report DEAL`` leaves reading the deal to its spare kernel
    (powerkit.kernels.check_deal): the command itself never imports pandas nor pandera — the
    0.65 s of imports the kernel makes anyway (docs/performance.md) — nor pyarrow, which
    papermill imports for hdfs:// paths where it is installed (it is here: the test extra),
    0.22 s (powerkit.cli._skip_hdfs_handler). Checked on a good deal (the report is written)
    and on a bad one (refused with its problem lines, exit 2)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    wrapper = ("import sys\nimport powerkit.cli as c\nexit_now = c._exit_now\n"
               "def end(code):\n"
               "    heavy = sorted(m for m in ('pandas', 'pandera', 'pyarrow') if m in sys.modules)\n"
               "    print('heavy:', heavy, file=sys.stderr, flush=True)\n"
               "    exit_now(code)\n"
               "c._exit_now = end\nsys.argv[0] = 'powerkit'\nc.main()\n")
    for deal, code in ((root / "data" / "deals" / "small-renewal", 0),
                       (root / "tests" / "fixtures" / "bad_deals" / "14-stance-out-of-range", 2)):
        proc = subprocess.run([sys.executable, "-c", wrapper, "report", str(deal), "--out",
                               str(tmp_path)], capture_output=True, text=True, timeout=600,
                              env={**os.environ, "COLUMNS": "250"})  # (the table unwrapped)
        assert proc.returncode == code, proc.stdout + proc.stderr
        assert "heavy: []" in proc.stderr, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small-renewal.html",
                                                          "small-renewal.json"]
    assert "row 3, column 'stance'" in proc.stdout
