"""Shared fixtures: paths to sample deals and reference data, a papermill notebook runner."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEALS = ROOT / "data" / "deals"
REFERENCE = ROOT / "data" / "reference"
NOTEBOOKS = ROOT / "notebooks"
SAMPLE_DEALS = sorted(p for p in DEALS.iterdir() if (p / "deal.yaml").exists()) if DEALS.exists() else []


def execute_notebook(name: str, out_dir: Path, **parameters) -> dict:
    """Run ``notebooks/<name>`` with papermill (kernel python3, cwd notebooks/) and return the
    values it ``record``ed (powerkit.nbtools.read_records)."""
    import papermill as pm

    from powerkit.nbtools import read_records

    out = out_dir / f"{Path(name).stem}-out.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / name), str(out), parameters=parameters,
                        kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False)
    return read_records(out)


@pytest.fixture
def run_notebook(tmp_path):
    def _run(name: str, **parameters) -> dict:
        return execute_notebook(name, tmp_path, **parameters)
    return _run
