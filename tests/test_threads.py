"""One BLAS thread in powerkit's processes (powerkit.threads): the command-line entry point
sets it for itself and everything it starts, already-loaded BLAS libraries included, and a
user's own thread variable always stands. Checked in fresh interpreters against threadpoolctl's
reading of the loaded libraries (an independent method), never against powerkit's variables
alone. The kernels' side is tests/test_kernels.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import THREAD_VARS

REPORT = ("import json, os, threadpoolctl; print(json.dumps({'env': {k: os.environ.get(k) for k "
          f"in {THREAD_VARS!r}}}, 'threads': sorted({{i['num_threads'] for i in "
          "threadpoolctl.threadpool_info() if i['user_api'] == 'blas'})}))")


def _run(code: str, **env) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**base, **env}, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_the_entry_point_limits_blas_already_loaded_and_its_children():
    # numpy (and its OpenBLAS) is loaded before main() runs, as importing powerkit.cli loads it
    code = ("import numpy, subprocess, sys\nfrom powerkit import cli\n"
            f"cli.app = lambda: (exec({REPORT!r}, {{}}), subprocess.run([sys.executable, '-c', "
            f"{'import numpy; ' + REPORT!r}], check=True))\ncli.main()")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={k: v for k, v in os.environ.items() if k not in THREAD_VARS})
    own, child = (json.loads(line) for line in p.stdout.strip().splitlines()[-2:])
    one = dict.fromkeys(THREAD_VARS, "1")
    assert own == {"env": one, "threads": [1]}
    assert child == {"env": one, "threads": [1]}


def test_a_users_thread_variable_stands():
    code = ("from powerkit.threads import use_one_blas_thread\nuse_one_blas_thread()\n"
            "import numpy\n" + REPORT)
    got = _run(code, OMP_NUM_THREADS="2")
    assert got == {"env": {"OPENBLAS_NUM_THREADS": None, "MKL_NUM_THREADS": None,
                           "OMP_NUM_THREADS": "2"}, "threads": [2]}


def test_without_the_entry_point_nothing_changes():
    """Importing powerkit (a consultant's own notebook) leaves the environment and BLAS alone:
    the machine's default is one thread per core, here more than one on a multi-core machine.
    numpy is imported explicitly: `import powerkit` itself loads no numpy (it is lazy, see
    tests/test_cli_start.py), and threadpoolctl only sees BLAS libraries that are loaded."""
    got = _run("import powerkit, powerkit.threads\nfrom powerkit import Deal\nimport numpy\n"
               + REPORT)
    assert got["env"] == dict.fromkeys(THREAD_VARS)
    assert got["threads"] == [os.cpu_count() or 1]
