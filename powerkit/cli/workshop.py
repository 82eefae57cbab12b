"""``powerkit workshop``: the walkthroughs and the workshop exercises as Voila dashboards on
127.0.0.1 (:mod:`powerkit.workshop.serve`), each with a deal chooser over ``--deals``
(:mod:`powerkit.workshop.chooser`). Facilitator's guide: docs/workshop.md."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated

import typer

from . import app, err


@app.command("workshop")
def workshop_command(
        target: Annotated[Path | None, typer.Argument(
            help="notebooks folder (default: the project's notebooks/) or one notebook")] = None,
        port: Annotated[int, typer.Option("--port", help="port on 127.0.0.1")] = 8866,
        deals: Annotated[Path | None, typer.Option(
            "--deals", help="folder of deals (deal folders and .xlsx workbooks) the dashboards' "
                            "deal chooser offers (default: the sample deals)")] = None,
        pool_size: Annotated[int, typer.Option(
            "--pool-size", help="pre-executed kernels kept ready per notebook (raise it for a "
                                "large room)")] = 1,
        no_preheat: Annotated[bool, typer.Option(
            "--no-preheat", help="execute each notebook when it is opened instead of ahead of "
                                 "time")] = False,
        print_only: Annotated[bool, typer.Option(
            "--print", help="print the command and exit")] = False):
    """Serve the walkthroughs and the workshop exercises as Voila dashboards on 127.0.0.1 (code hidden, widgets live, a deal chooser on every walkthrough)."""
    from ..deal.reading import input_problem
    from ..errors import EnvironmentProblem, InputError, exit_code_of
    from ..workshop import serve

    problems = []
    if not print_only and importlib.util.find_spec("voila") is None:
        problems.append(EnvironmentProblem(
            "voila", "not installed (powerkit workshop serves the dashboards with Voila)",
            "run `make workshop` (it installs it) or `pip install 'powerkit[dashboards]'`"))
    if target is not None and (target.exists() or target.is_symlink()):
        problems += [p for p in [input_problem(target, folder=target.is_dir())] if p is not None]
    if deals is not None:
        p = input_problem(deals, folder=True, option="--deals")
        problems += [p] if p is not None else []
    if problems:  # every path problem, one line each; the smallest exit code (2 or 3)
        err.print("\n".join(str(p) for p in problems), markup=False)
        raise typer.Exit(min(exit_code_of(p) for p in problems))
    try:
        code = serve(target, port=port, preheat=not no_preheat, pool_size=pool_size,
                     print_only=print_only, deals=deals)
    except InputError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(2) from None
    raise typer.Exit(code)
