"""Committed notebooks: stripped of outputs, parameterisable, thin (no def/class), python3 kernel."""
from __future__ import annotations

import json
import re

import pytest
from conftest import NOTEBOOKS

NBS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_there_are_notebooks():
    assert any(p.name == "report.ipynb" for p in NBS)


@pytest.mark.parametrize("path", NBS, ids=[p.name for p in NBS])
def test_notebook_is_committed_clean(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), \
        "strip outputs before committing (nbstripout)"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    first_code = code[0]
    assert "parameters" in first_code.get("metadata", {}).get("tags", []), \
        "the first code cell must be tagged 'parameters'"
    for c in code:
        src = "".join(c["source"])
        assert not re.search(r"^\s*(def|class)\s", src, re.M), f"logic belongs in powerkit: {src[:80]}"
