"""``powerkit portfolio DIR --out OUT``: relationships, reliability and gaps across deals, as an
offline HTML report (the report's pipeline: papermill, then nbconvert with the code hidden) and
a JSON of its headline numbers."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from . import app, err, out


@app.command("portfolio")
def portfolio_command(
        folder: Annotated[Path, typer.Argument(help="a folder of deals (deal folders or .xlsx "
                                                    "workbooks) with the same 'us'")],
        out_dir: Annotated[Path, typer.Option("--out", help="folder for the report")] = Path("reports")):
    """Relationship capital, reliability both ways, thin networks and relationship gaps across
    the deals of a folder: <out>/portfolio-<folder>.html and .json."""
    import nbformat

    from ..errors import DealError, InputError, PowerkitError, os_problem
    from ..kernels import execute
    from ..nbtools import read_records
    from ..paths import atomic_write, notebooks_dir
    from ..portfolio import load_portfolio
    from ..report import to_html

    try:
        pf = load_portfolio(folder)  # every problem of every deal before any kernel starts
    except (DealError, InputError) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from None
    name = f"portfolio-{folder.resolve().name}"
    nb_path = notebooks_dir() / "portfolio.ipynb"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            done = Path(tmp) / "portfolio.ipynb"
            execute(nb_path, done, parameters={"portfolio_path": str(folder.resolve())},
                    cwd=nb_path.parent, request_save_on_cell_execute=False,
                    shutdown_kernel="immediate")
            nb = nbformat.read(str(done), as_version=4)
            head = read_records(nb).get("portfolio", {})
            html = to_html(nb, name)
        target = out_dir / f"{name}.html"
        try:
            atomic_write(target, html)
            atomic_write(target.with_suffix(".json"), json.dumps(
                {"portfolio": str(folder), "us": pf.us, "headline": head}, indent=2,
                default=str))
        except OSError as exc:
            target.unlink(missing_ok=True)  # the report and its JSON, both or neither
            raise os_problem(exc, writing=True, option="--out") from None
    except PowerkitError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(getattr(exc, "exit_code", 1)) from None
    out.print(f"wrote {target}", markup=False)
