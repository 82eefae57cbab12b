"""Spare kernels (powerkit.kernels): used when they match, fresh every time, never different from
a cold kernel in what a notebook can observe, replaced by a cold kernel when the environment
changed, and never left running.

The reference for "what a kernel looks like" is a cold kernel started by jupyter_client itself in
the same test (an independent method), not values written down from powerkit's output.
"""
from __future__ import annotations

import json
import os
import sys

import nbformat
import pytest

from powerkit import kernels
from powerkit.kernels import execute, write_notebook

pytestmark = pytest.mark.skipif(not kernels.spares_enabled(), reason="spare kernels are POSIX-only")

PROBE = r"""
import json, os, sys
import powerkit.influence as _inf, powerkit.nbtools as _nbt
print(json.dumps({
    "warm": was_warm,  # measured in the first cell, before this one imported anything
    "cwd": os.getcwd(),
    "path0": sys.path[0],
    "argv0": os.path.basename(sys.argv[0]),
    "parent": os.environ.get("JPY_PARENT_PID"),
    "mark": os.environ.get("POWERKIT_TEST_MARK"),
    "mpl": os.environ.get("MPLBACKEND"),
    "plotlyjs_sent": _nbt._PLOTLYJS_SENT["done"],
    "user_names": sorted(k for k in globals() if not k.startswith("_")
                         and k not in ("In", "Out", "get_ipython", "exit", "quit", "open",
                                       "json", "os", "sys")),
}))
"""


def _probe(tmp_path, name="probe"):
    """Run the probe in a kernel via powerkit's papermill runner; the probe's JSON."""
    src, out = tmp_path / f"{name}.ipynb", tmp_path / f"{name}-out.ipynb"
    write_notebook(src, "was_warm = 'pandas' in __import__('sys').modules", PROBE)
    execute(src, out, cwd=tmp_path)
    done = nbformat.read(str(out), as_version=4)
    text = "".join(o.get("text", "") for o in done.cells[1].outputs if o.output_type == "stream")
    return json.loads(text)


@pytest.fixture(autouse=True)
def _no_leftover_spares():
    kernels.discard_spares()
    yield
    kernels.discard_spares()


def test_cold_kernel_without_a_spare(tmp_path):
    got = _probe(tmp_path)
    assert got["warm"] is False  # nothing imported pandas: a cold kernel


def test_spare_is_used_and_looks_like_a_cold_kernel(tmp_path):
    cold = _probe(tmp_path, "cold")
    assert kernels.prestart() == 1
    warm = _probe(tmp_path, "warm")
    assert warm["warm"] is True  # the spare's imports are there ...
    assert not kernels._SPARES  # ... and it was used, once
    for key in ("cwd", "path0", "argv0", "parent", "mpl", "user_names"):
        assert warm[key] == cold[key], key
    assert warm["parent"] == str(os.getpid())  # the kernel polls this process, as cold ones do
    assert warm["cwd"] == str(tmp_path)
    # the warm-up's analysis left nothing behind
    assert warm["plotlyjs_sent"] is False
    assert warm["user_names"] == ["was_warm"]


def test_each_spare_serves_one_kernel(tmp_path):
    kernels.prestart()
    _probe(tmp_path, "first")
    second = _probe(tmp_path, "second")
    assert second["warm"] is False  # no spare left: a cold kernel, never a reused one


def test_changed_environment_gets_a_cold_kernel(tmp_path, monkeypatch):
    kernels.prestart()
    monkeypatch.setenv("POWERKIT_TEST_MARK", "set after the spare started")
    got = _probe(tmp_path)
    assert got["mark"] == "set after the spare started"
    assert got["warm"] is False  # the spare replaced itself by a cold ipykernel_launcher


def test_unused_spare_stops_at_once_when_discarded():
    import time

    kernels.prestart()
    proc = kernels._SPARES[0].proc
    t0 = time.perf_counter()
    kernels.discard_spares()  # while it is still importing: no waiting for its warm-up
    assert proc.poll() is not None and not kernels._SPARES
    assert time.perf_counter() - t0 < 1.0, "discarding waited for the spare's warm-up"


def test_a_spare_exits_by_itself_when_its_owner_goes_away():
    kernels.prestart()
    spare = kernels._SPARES.pop()
    spare.proc.stdin.close()  # what the owner's death does to the pipe
    assert spare.proc.wait(timeout=60) == 0
    spare.proc.stdout.close()


def test_a_spare_belongs_to_the_process_that_started_it():
    kernels.prestart()
    spare = kernels._SPARES[0]
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"]
    assert spare.matches(cmd)
    spare.owner = -1  # as seen from a forked child
    assert not spare.matches(cmd)
    assert not spare.matches([sys.executable, "-m", "other_kernel", "-f", "x.json"])
    spare.owner = os.getpid()


def test_disabled_by_environment(monkeypatch):
    monkeypatch.setenv("POWERKIT_SPARE_KERNELS", "0")
    assert kernels.prestart() == 0 and not kernels._SPARES


@pytest.mark.parametrize("order, start, now, expected", [
    # unchanged environment: served, the imports' additions kept
    ({"A": "1"}, {"A": "1"}, {"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"},
     {"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"}),
    # the requester's imports set the same variable: served
    ({"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"}, {"A": "1"}, {"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"},
     {"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"}),
    # per-kernel variables never matter and are passed through
    ({"A": "1", "JPY_PARENT_PID": "9"}, {"A": "1"}, {"A": "1"}, {"A": "1", "JPY_PARENT_PID": "9"}),
    # a variable added, changed or removed since the spare started: not served
    ({"A": "1", "PLOTLY_RENDERER": "png"}, {"A": "1"}, {"A": "1"}, None),
    ({"A": "2"}, {"A": "1"}, {"A": "1"}, None),
    ({}, {"A": "1"}, {"A": "1"}, None),
])
def test_kernel_environment_rule(order, start, now, expected):
    assert kernels._kernel_env(order, start, now) == expected


def test_report_from_a_spare_equals_a_cold_report(tmp_path, reports):
    """The same deal gives the same headline numbers whichever kernel ran it.

    The cold report is the session's batch's (tests/conftest.py ``reports``: run_reports, i.e.
    run_report with its defaults in forked batch workers). A batch worker never gets a spare:
    nothing in run_reports or run_report starts one, and a spare inherited from the forking
    process serves only the process that started it (``_Spare.matches`` checks the owner's pid;
    test_a_spare_belongs_to_the_process_that_started_it) — so each batch report ran in a cold
    kernel launched by jupyter_client."""
    from powerkit.report import run_report

    batch, results = reports
    assert results["northwind-vendor"].ok, results["northwind-vendor"].error
    deal = os.path.join(os.path.dirname(__file__), "..", "data", "deals", "northwind-vendor")
    kernels.prestart(deal_follows=True)  # as `powerkit report`: run_report hands the deal over
    warm = run_report(deal, tmp_path / "warm")
    assert not kernels._SPARES  # the spare ran this report
    assert warm.ok, warm.error
    assert json.loads((tmp_path / "warm" / "northwind-vendor.json").read_text()) == \
        json.loads((batch / "northwind-vendor.json").read_text())


def test_a_deal_handed_over_is_in_the_spare_and_a_cold_kernel_has_none(tmp_path):
    """The deal handed to the spare (kernels.hand_over) is adopted there under its path
    (powerkit.versions.history.adopt), and its temporary file is gone; a cold kernel has no
    deal adopted."""
    from powerkit.deal import load_deal
    from powerkit.versions.history import fingerprint

    deal = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "data", "deals",
                                         "small-renewal"))
    probe = ("import json\nfrom powerkit.versions import history\n"
             "got = history._PRELOADED\n"
             "print(json.dumps({k: v[1].meta.title for k, v in got.items()}))")

    def run(name):
        src, out = tmp_path / f"{name}.ipynb", tmp_path / f"{name}-out.ipynb"
        write_notebook(src, probe)
        execute(src, out, cwd=tmp_path)
        done = nbformat.read(str(out), as_version=4)
        return json.loads("".join(o.get("text", "") for o in done.cells[0].outputs
                                  if o.output_type == "stream"))

    assert run("cold") == {}
    kernels.prestart(deal_follows=True)
    d = load_deal(deal)
    assert kernels.hand_over(deal, fingerprint(deal), d)
    handed = list(kernels._SPARES[0].handed)
    assert run("warm") == {deal: d.meta.title}
    assert not kernels._SPARES
    assert not any(os.path.exists(f) for f in handed)
