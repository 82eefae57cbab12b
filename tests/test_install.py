"""powerkit installs anywhere: the wheel, installed into a fresh venv outside the checkout, finds
its sample deals and report notebook and writes a report from another folder."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

SKIP = shutil.ignore_patterns(".venv", ".git", "build", "dist", "reports", "test-artifacts",
                              "*.egg-info", "__pycache__", ".ipynb_checkpoints", ".ruff_cache")


def test_wheel_installs_outside_the_checkout_and_reports(tmp_path):
    src = tmp_path / "src"  # what a wheel is built from: the package, its data and notebooks
    for name in ("powerkit", "data", "notebooks"):
        shutil.copytree(ROOT / name, src / name, ignore=SKIP)
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", str(src), "-w", str(tmp_path / "dist")],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("powerkit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "powerkit/_shipped/notebooks/report.ipynb" in names
    assert "powerkit/_shipped/data/deals/northwind-vendor/deal.yaml" in names
    assert "powerkit/_shipped/data/reference/krackhardt_advice_edges.csv" in names
    # the workshop's Voila finds the kernel factory through this entry point (voila_command)
    (points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(points).decode()
    assert "[jupyter_client.kernel_provisioners]" in text
    assert "powerkit-factory = powerkit.kernels:FactoryProvisioner" in text

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    # the venv's own environment, with bytecode written (PYTHONDONTWRITEBYTECODE dropped): with
    # pip's --no-compile below, the first process in the venv compiles what it imports, once,
    # instead of pip compiling every installed module (≈ 12,000 files with plotly, pandas and
    # scipy: ≈ 40 s of CPU) or every process compiling its imports again
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")}
    # dependencies from the registry (pip's cache after `make install`), powerkit from the wheel
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-compile", str(wheel)],
                   check=True, capture_output=True, timeout=900, env=env)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import powerkit.paths as p; print(p.shipped())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip().startswith(str(venv)), where.stdout

    r = subprocess.run([str(venv / "bin" / "powerkit"), "report", "northwind-vendor",
                        "--out", "out"], cwd=elsewhere, env=env, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    head = json.loads((elsewhere / "out" / "northwind-vendor.json").read_text())
    assert head["deal"] == "northwind-vendor"
    assert (elsewhere / "out" / "northwind-vendor.html").stat().st_size > 1_000_000
