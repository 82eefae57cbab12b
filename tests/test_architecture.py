"""The layers of docs/architecture.md hold: import-linter's contract passes (and fails on a
deliberately wrong import), no import circle, no private name imported across modules, no module
over 800 lines, every module in a layer, notebooks record in one hidden cell."""
from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import networkx as nx
import pytest
from conftest import NOTEBOOKS, ROOT

PKG = ROOT / "powerkit"
LINT = Path(sys.executable).parent / "lint-imports"
MAX_LINES = 800


def _modules() -> dict[str, Path]:
    """Every module of powerkit by dotted name (packages as their __init__)."""
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        if "_shipped" in p.parts:
            continue
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _lint(cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


def test_layers_contract_is_kept():
    r = _lint(ROOT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "1 kept, 0 broken" in r.stdout


def test_layers_contract_fails_on_a_wrong_import(tmp_path):
    """The same contract on a copy of the package in which the deal layer imports a plot inside a
    function (the hidden kind of import the redesign removed) must break."""
    shutil.copytree(PKG, tmp_path / "powerkit",
                    ignore=shutil.ignore_patterns("__pycache__", "_shipped"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "powerkit" / "deal" / "model.py"
    model.write_text(model.read_text() + "\n\ndef _draw():\n"
                     "    from ..plots.common import base_layout\n    return base_layout\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    r = _lint(tmp_path, env)
    assert r.returncode != 0
    assert "powerkit.deal.model -> powerkit.plots.common" in r.stdout, r.stdout[-2000:]


def test_every_module_is_in_a_layer():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = cfg["contracts"]
    named = {part.strip().strip("()") for layer in contract["layers"]
             for part in layer.replace("|", ":").split(":")}
    top = {m.split(".")[1] for m in _modules() if m.count(".") >= 1}
    assert top - {"__main__"} <= named, f"modules outside every layer: {sorted(top - named)}"


def test_no_import_circle():
    """No circle among powerkit's modules, counting imports inside functions too (grimp, the
    graph behind import-linter). A package's ``__init__`` re-exporting its own submodules is not a
    circle of the design and is left out."""
    import grimp

    graph = grimp.build_graph("powerkit")
    g = nx.DiGraph()
    for m in graph.modules:
        for dep in graph.find_modules_directly_imported_by(m):
            if dep.startswith(m + "."):  # a package importing its own submodule
                continue
            g.add_edge(m, dep)
    circles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    assert not circles, f"import circles: {circles}"


def _private_imports(path: Path, module: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pkg = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    bad, aliases = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = pkg.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("powerkit"):
                continue
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    bad.append(f"{module}:{node.lineno} imports {base}.{a.name}")
                else:
                    aliases[a.asname or a.name] = f"{base}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("powerkit"):
                    aliases[a.asname or a.name.split(".")[0]] = a.name
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__") and isinstance(node.value, ast.Name)
                and node.value.id in aliases):
            bad.append(f"{module}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    return bad


def test_no_private_name_crosses_modules():
    bad = [b for m, p in _modules().items() for b in _private_imports(p, m)]
    assert not bad, "\n".join(bad)


def test_private_name_check_catches_both_forms(tmp_path):
    p = tmp_path / "x.py"
    p.write_text("from .bargaining import _num\nfrom powerkit import influence as inf\n"
                 "inf._CACHE.clear()\n")
    assert len(_private_imports(p, "powerkit.x")) == 2


@pytest.mark.parametrize("module", sorted(_modules()))
def test_no_module_over_800_lines(module):
    n = sum(1 for _ in _modules()[module].open(encoding="utf-8"))
    assert n <= MAX_LINES, f"{module}: {n} lines (split it by method family)"


WALKTHROUGHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + [NOTEBOOKS / "workshop.ipynb"]


@pytest.mark.parametrize("path", WALKTHROUGHS, ids=lambda p: p.stem)
def test_notebook_records_in_one_hidden_cell(path):
    """What the tests read is recorded in one last code cell tagged ``record``, hidden in
    JupyterLab; no other cell calls ``record``."""
    cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    recording = [i for i, c in enumerate(cells) if "record(" in "".join(c["source"])]
    assert recording == [len(cells) - 1], f"record() in code cells {recording} of {len(cells)}"
    last = cells[-1]["metadata"]
    assert "record" in last.get("tags", [])
    assert last.get("jupyter", {}).get("source_hidden") is True


def test_every_plot_function_is_named_figure():
    """One naming rule for figures: every public function of a powerkit.plots module (the
    shared style helpers of plots.common aside) is ``*_figure``."""
    import importlib
    import inspect

    bad = []
    for p in sorted((PKG / "plots").glob("*.py")):
        if p.stem in ("__init__", "common"):
            continue
        mod = importlib.import_module(f"powerkit.plots.{p.stem}")
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if inspect.isfunction(obj) and not name.endswith("_figure"):
                bad.append(f"powerkit.plots.{p.stem}.{name}")
    assert not bad, bad
