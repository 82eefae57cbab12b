"""pandas' string storage in powerkit's processes (``powerkit.deal.model.python_strings``).

pyarrow is installed only with the bench extra; powerkit sets pandas' ``mode.string_storage``
to "python" when the user left it at "auto", so the same code runs on the same string
implementation in every install (and faster on small tables: docs/performance.md, session 9).
The claim that only the storage changes is checked independently: the whole report's headlines
(every number a reader sees in the brief and the sections, the ranges included) computed with
strings stored in pyarrow, by the user's explicit choice, equal those computed with the default
(pyarrow is in the ``test`` extra for this comparison).
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

_RUN = r"""
import json, sys
import pandas as pd
if sys.argv[1] != "default":
    pd.set_option("mode.string_storage", sys.argv[1])
from powerkit.deal import load_deal
from powerkit.paths import sample_deal
out = {"storage": pd.get_option("mode.string_storage"),
       "array": type(pd.Series(["a"]).array).__name__}
if len(sys.argv) > 2:
    from powerkit.report import headlines
    from powerkit.sections import build_sections
    out["headlines"] = headlines(build_sections(load_deal(sample_deal(sys.argv[2]))))
print(json.dumps(out, default=str, sort_keys=True))
"""


def _run(*args):
    r = subprocess.run([sys.executable, "-c", _RUN, *args], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)


def test_powerkit_stores_strings_in_python_unless_the_user_chose():
    got = _run("default")
    assert got["storage"] == "python" and got["array"] == "StringArray"
    kept = _run("python")
    assert kept["storage"] == "python"


@pytest.mark.slow  # two whole reports in subprocesses (12 s)
def test_an_explicit_pyarrow_storage_is_kept_and_gives_the_same_report_numbers():
    arrow = _run("pyarrow", "northwind-vendor")
    assert arrow["storage"] == "pyarrow" and arrow["array"].startswith("ArrowStringArray")
    python = _run("default", "northwind-vendor")
    assert python["storage"] == "python"
    assert python["headlines"] == arrow["headlines"]
