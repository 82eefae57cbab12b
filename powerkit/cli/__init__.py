"""The ``powerkit`` command: validate deal files, write a template, produce client reports.

Exit codes (:data:`powerkit.errors.EXIT_CODES`), the same for every command:

- 0 success;
- 2 invalid input: a deal file (every problem listed, file, row, column, value, fix), an option,
  or a path given that is not a readable regular file or folder (a folder where a file belongs,
  a pipe, a socket or a device such as ``/dev/zero``, a file without read permission, a link in
  a circle, an ``--out`` that is a file, a workbook that unpacks to more than 200 MB);
- 3 environment: the machine stopped the command (the disk is full, no permission to write in
  ``--out``, a read-only disk, a program such as Chromium missing);
- 130 interrupted (Ctrl-C);
- 1 an internal error: a bug in powerkit, the only case that asks you to report it.

Every problem is one line naming the path (or option) and the fix; a command reports all the
problems it can find before doing any work; when problems of several kinds are found at once, the
exit code is the smallest of theirs (1 before 2 before 3). A consultant never sees a traceback.
Nothing is opened unless it is a regular file (a pipe would block, a device never end) and no
command limits its time by sleeping.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup


def _special_paths(kwargs: dict, names: list[str]) -> list:
    """The path arguments of a command (in the order of ``names``) that exist but are no regular
    file or folder (a pipe, a socket, a device such as /dev/zero): reading one would block or
    never end."""
    import os
    import stat

    from ..errors import PathProblem

    found = []
    for value in (kwargs.get(n) for n in names):
        for v in value if isinstance(value, list | tuple) else [value]:
            if not isinstance(v, Path):
                continue
            try:
                mode = os.stat(v).st_mode
            except (OSError, ValueError):
                continue  # missing or unreadable: the command says so in its own words
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(PathProblem(v, "is not a regular file (a pipe, socket or device)",
                                         "save it as a file and give that file"))
    return found


class _Commands(TyperGroup):
    """Every command's errors as one line and an exit code (see the module docstring): the
    commands added in other modules (``ingest``, ``diff``, ...) get the same handling, and none
    of them is given a pipe, a socket or a device as a path argument."""

    def get_command(self, ctx, cmd_name):
        import functools

        cmd = super().get_command(ctx, cmd_name)
        if cmd is not None and cmd.callback is not None and not hasattr(cmd.callback, "checked"):
            run, names = cmd.callback, [p.name for p in cmd.params]

            @functools.wraps(run)
            def checked(*args, **kwargs):
                _stop(_special_paths(kwargs, names))
                return run(*args, **kwargs)

            checked.checked = True
            cmd.callback = checked
        return cmd

    def invoke(self, ctx):
        import errno

        from ..errors import PowerkitError, exit_code_of, os_problem

        try:
            return super().invoke(ctx)
        except PowerkitError as exc:
            if exc.exit_code == 1:
                raise  # a bug: main() says so
            err.print(str(exc), markup=False)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE or exit_code_of(exc) == 1:
                raise
            problem = os_problem(exc)
            err.print(str(problem), markup=False)
            raise typer.Exit(problem.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted", markup=False)
            raise typer.Exit(130) from None


app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  cls=_Commands, help="powerkit: read and use power in a negotiation.")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _stop(problems: list) -> None:
    """Print every problem (PowerkitErrors or lines) and end with the smallest of their exit
    codes; nothing when there is none."""
    if not problems:
        return
    from ..errors import exit_code_of

    err.print("\n".join(str(p) for p in problems), markup=False)
    raise typer.Exit(min(exit_code_of(p) if isinstance(p, BaseException) else 2
                         for p in problems))


def _load(path: Path):
    """The deal at ``path``: a path that cannot be opened (a pipe, a device, a zip bomb, a
    folder that cannot be listed) is refused before any reader touches it."""
    from ..deal import load_deal
    from ..deal.reading import check_deal_path

    check_deal_path(path)
    return load_deal(path)


def _out_problem(folder: Path, option: str = "--out"):
    """None when ``folder`` could be written into (it is not created here), else its problem."""
    from ..errors import os_problem
    from ..paths import check_output_folder

    try:
        check_output_folder(folder)
    except OSError as exc:
        return os_problem(exc, folder, writing=True, option=option)
    return None


def _write(fn, *args, option: str = "--out"):
    """``fn(*args)``, its OSError (a full disk, a read-only folder) as one line."""
    from ..errors import os_problem

    try:
        return fn(*args)
    except OSError as exc:
        raise os_problem(exc, writing=True, option=option) from None


@app.command()
def validate(path: Annotated[Path, typer.Argument(help="deal folder or .xlsx workbook")]):
    """Check a deal file (and its dated versions in history/); print 'ok' and a summary, or
    every problem (exit 2)."""
    deal = _load(path)
    if Path(path).is_dir() and (Path(path) / "history").is_dir():
        from ..versions import load_history

        versions = load_history(path)  # every snapshot's problems, each naming its folder
    else:
        versions = []
    from ..deal import TABLES

    present = [t for t in TABLES[2:] if deal.has(t)]
    out.print(f"ok: {deal.id} — {len(deal.parties)} parties, {len(deal.stakeholders)} "
              f"stakeholders; tables: {', '.join(['parties', 'stakeholders'] + present)}",
              markup=False)
    if len(versions) > 1:
        out.print(f"history: {len(versions)} versions, {versions[0].as_of.isoformat()} to "
                  f"{versions[-1].as_of.isoformat()}", markup=False)


@app.command()
def template(out_file: Annotated[Path, typer.Argument(help="where to write the .xlsx")],
             from_deal: Annotated[Path | None, typer.Option(
                 "--from", help="fill it from an existing deal folder")] = None):
    """Write a blank, documented Excel workbook to fill in (or a copy of a deal folder)."""
    from ..deal.reading import input_problem
    from ..deal.workbook import folder_to_workbook, write_template
    from ..errors import PathProblem

    problems = []
    if out_file.suffix.lower() != ".xlsx":
        problems.append(f"{out_file}: expected a file name ending in .xlsx")
    elif out_file.is_dir():
        problems.append(PathProblem(out_file, "is a folder, not a file",
                                    "give a file name ending in .xlsx"))
    if from_deal is not None:
        if (p := input_problem(from_deal, folder=True, option="--from")) is not None:
            problems.append(p)
        elif (p := input_problem(from_deal / "deal.yaml", option="--from")) is not None:
            problems.append(f"{from_deal}: expected a deal folder with deal.yaml"
                            if p.what == "does not exist" else p)
    _stop(problems)
    if from_deal is not None:
        _write(folder_to_workbook, from_deal, out_file, option="")
    else:
        _write(write_template, out_file, option="")
    out.print(f"wrote {out_file}", markup=False)


def _parse_params(pairs: list[str], notebook: Path) -> tuple[dict, list[str]]:
    """KEY=VALUE pairs → papermill parameters (YAML-typed values), checked against the notebook;
    what-if settings (:data:`powerkit.scenarios.SETTINGS`) go, as written, into the notebook's
    ``what_if`` parameter (one scenario "what if" beside the base case). Returns the parameters
    and the problem lines."""
    if not pairs:
        return {}, []  # (papermill is not even loaded: a bad deal file is refused sooner)
    import papermill as pm
    import yaml

    from ..deal.scenario_settings import SETTINGS, parse_setting

    known = pm.inspect_notebook(str(notebook))
    own = {"deal_path": "the DEAL argument", "anonymise": "--anonymise",
           "scenarios": "--scenario", "what_if": "--param SETTING=VALUE"}
    params, what_if, problems = {}, {}, []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            problems.append(f"--param {pair!r}: expected KEY=VALUE")
        elif key in SETTINGS:
            _, why = parse_setting(key, value.strip())
            if why is not None:
                problems.append(f"--param {key}: got {value.strip()!r}; expected {why}")
            else:
                what_if[key] = value.strip()
        elif key in own:
            problems.append(f"--param {key}: set by powerkit report itself (use {own[key]})")
        elif key not in known:
            problems.append(
                f"--param {key}: not a what-if setting nor a parameter of {notebook.name}; "
                "expected a what-if setting: "
                + ", ".join(f"{k} ({help_})" for k, (_, help_) in SETTINGS.items())
                + "; or a notebook parameter: "
                + ", ".join(f"{k} (set by {own[k]})" if k in own else
                            f"{k} ({v['help'] or v['inferred_type_name']})"
                            for k, v in known.items()))
        else:
            try:
                params[key] = yaml.safe_load(value)
            except (yaml.YAMLError, ValueError):  # (a date that does not exist: kept as text)
                params[key] = value
    return {**params, **({"what_if": what_if} if what_if else {})}, problems


def _scenario_file(path: Path | None) -> tuple[dict, list]:
    """``--scenario`` → the notebook's ``scenarios`` parameter (an absolute path), after the
    checks that need no deal (each deal's own are made before its report runs); and the
    problems found."""
    if path is None:
        return {}, []
    from ..deal.reading import input_problem
    from ..errors import DealError
    from ..scenarios import read_scenario_file

    if (problem := input_problem(path, option="--scenario")) is not None:
        return {}, [problem]
    try:
        read_scenario_file(path)
    except DealError as exc:
        return {}, [exc]
    return {"scenarios": str(Path(path).resolve())}, []


@app.command()
def report(deals: Annotated[list[Path], typer.Argument(
               help="deal folders or .xlsx workbooks (or the name of a bundled sample deal: "
                    "northwind-vendor, harbour-council, small-renewal)")],
           out_dir: Annotated[Path, typer.Option("--out", help="folder for the reports")] = Path("reports"),
           fmt: Annotated[str, typer.Option("--format", help="html or pdf (pdf: headless Chromium)")] = "html",
           paper: Annotated[str | None, typer.Option(
               "--paper", help="a4 or letter for PDF (default: letter for USD deals, else A4)")] = None,
           anonymise: Annotated[bool, typer.Option(
               "--anonymise", help="replace people by role labels (for sharing outside the client team)")] = False,
           param: Annotated[list[str] | None, typer.Option(
               "--param", help="KEY=VALUE passed to the report notebook, or a what-if setting "
                                "(batna_us=400000, deadline_them=2027-01-15, ...) shown beside "
                                "the base case (repeatable)")] = None,
           scenario: Annotated[Path | None, typer.Option(
               "--scenario", help="a YAML file of named scenarios (a list of {name, "
                                  "description, settings}) compared side by side")] = None,
           since: Annotated[str | None, typer.Option(
               "--since", help="an earlier version (deal folder, .xlsx, or the date YYYY-MM-DD "
                               "of one of the deal's history/ snapshots): adds 'What changed "
                               "since' after the brief")] = None,
           jobs: Annotated[int, typer.Option("--jobs", "-j", help="parallel processes (0: one more than cores)")] = 0):
    """Produce a client report for each deal (+ a JSON of headline results); a summary at the end."""
    from .. import kernels
    from ..paths import find_deal

    deals = [find_deal(d) for d in deals]
    if len(deals) == 1:  # its kernel imports the analysis stack while this process starts up
        kernels.prestart(deal_follows=True)  # (a batch: kernels forked by a factory)
    _skip_iri_grammars()
    _skip_hdfs_handler()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..report import FORMATS, NOTEBOOK, PAPERS, run_reports

    problems: list = []
    if fmt not in FORMATS:
        problems.append(f"--format: expected one of {', '.join(FORMATS)}; got {fmt!r}")
    if paper is not None and paper not in PAPERS:
        problems.append(f"--paper: expected one of {', '.join(PAPERS)}; got {paper!r}")
    params, found = _parse_params(param or [], NOTEBOOK)
    scenarios, found_too = _scenario_file(scenario)
    problems += found + found_too
    if (problem := _out_problem(out_dir)) is not None:
        problems.append(problem)
    if since:
        problems += _since_problems(since, deals)
    _stop(problems)
    params = {**params, **scenarios, **({"since": _since_param(since)} if since else {})}
    try:
        with Progress(TextColumn("reports"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("reports", total=len(deals))
            results = run_reports(deals, out_dir, jobs=jobs or None, fmt=fmt,
                                  anonymise=anonymise, paper=paper, params=params,
                                  on_done=lambda r: bar.advance(task))
    except KeyboardInterrupt:  # Ctrl-C: one line, exit 130; the workers die with us
        err.print("interrupted: reports written so far are complete, the others were not "
                  "written", markup=False)
        _exit_now(130)
    table = Table(title="powerkit report", show_lines=False)
    for col in ("deal", "status", "seconds", "output or problem"):
        table.add_column(col, overflow="fold")
    for r in results:
        table.add_row(r.deal, "ok" if r.ok else "FAILED", f"{r.seconds:.1f}",
                      r.output if r.ok else r.error)
    out.print(table)
    failed = [r for r in results if not r.ok]
    if failed:
        err.print(f"{len(failed)} of {len(results)} report(s) failed; no file was written for them.",
                  markup=False)
        raise typer.Exit(min(r.code or 1 for r in failed))


def _skip_iri_grammars() -> None:
    """Keep jsonschema from compiling the IRI grammars of ``rfc3987_syntax`` in this process.

    papermill and nbconvert read and write notebooks with nbformat, which imports jsonschema;
    jsonschema imports ``rfc3987_syntax``, when it is installed, for its ``iri`` and
    ``iri-reference`` format checkers, and that import compiles 39 lark grammars: 1.2 s of CPU on
    the 2-core reference machine, more than a third of the command's own work
    (python-jsonschema/jsonschema#1428). Nothing this command validates uses those formats:
    nbformat's notebook schemas have no ``format`` keyword and nbformat, nbconvert, nbclient and
    papermill never pass a format checker. Without the package, jsonschema just has no checker
    for the two formats (its documented behaviour when the package is missing). Done only
    before jsonschema is first imported, and only in the ``powerkit report`` process (and its
    forked batch workers); ``sys.modules[name] = None`` is Python's documented way to make an
    import fail."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def _skip_hdfs_handler() -> None:
    """Keep papermill from importing ``pyarrow.fs`` in this process.

    papermill's I/O module imports ``pyarrow.fs`` (for ``hdfs://`` paths) whenever pyarrow is
    installed — it is with ``environment.yml`` and in many data-science environments — which
    loads the Arrow libraries: 0.22 s of CPU on the 2-core reference machine, for a command
    that hands papermill notebooks in memory and writes its files itself, so never an
    ``hdfs://`` path (docs/performance.md, session 10). Without the module papermill installs
    its documented stand-in ("missing dependency: pip install papermill[hdfs]") for that scheme.
    Done only before papermill is first imported, and only in the ``powerkit report`` process
    (and its forked batch workers); pandas, where the command reads a deal itself, imports
    ``pyarrow`` but not ``pyarrow.fs``. As in :func:`_skip_iri_grammars`,
    ``sys.modules[name] = None`` makes that one import fail."""
    if "papermill" not in sys.modules:
        sys.modules.setdefault("pyarrow.fs", None)


def _since_param(since: str) -> str:
    """A path given to --since, absolute (the notebook runs in notebooks/); a date as given."""
    p = Path(since)
    return str(p.resolve()) if p.exists() else since


def _since_problems(since: str, deals: list) -> list:
    """--since checked before any kernel starts: a deal folder or workbook that validates, or a
    date that every deal's history has."""
    import re

    from ..deal import load_deal
    from ..errors import DealError, PowerkitError
    from ..versions import load_history

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", since) and not Path(since).exists():
        out = []
        for d in deals:
            try:
                days = [v.as_of.isoformat() for v in load_history(d)]
            except PowerkitError:
                continue  # the deal's own problems are reported by its report
            if since not in days:
                out.append(f"--since {since}: {d} has no version dated {since} (its versions: "
                           f"{', '.join(days)}); give a date of its history/ folder or a deal "
                           "folder")
        return out
    try:
        load_deal(since)
    except DealError as exc:
        return [f"--since: {line}" for line in str(exc).splitlines()]
    except PowerkitError as exc:
        return [f"--since: {exc}"]
    return []


@app.command()
def tables(deal_path: Annotated[Path, typer.Argument(help="deal folder or .xlsx workbook")],
           out_dir: Annotated[Path, typer.Option("--out", help="folder for the export")] = Path("reports"),
           csv: Annotated[bool, typer.Option("--csv", help="CSV files instead of one workbook")] = False):
    """Export every result table of the report to Excel (or CSV), formula-safe."""
    from ..errors import DealError
    from ..export import write_tables

    problems, deal = [], None
    try:
        deal = _load(deal_path)
    except DealError as exc:
        problems.append(exc)
    if (problem := _out_problem(out_dir)) is not None:
        problems.append(problem)
    _stop(problems)
    path = _write(write_tables, deal, out_dir, "csv" if csv else "xlsx")
    out.print(f"wrote {path}", markup=False)


def _exit_now(code) -> None:
    """End the command without Python's module teardown.

    A finished ``powerkit report`` holds pandas, plotly, nbconvert and papermill; tearing their
    modules down takes 0.4 s on the reference machine and does nothing a finished command needs
    (every file is written and renamed, every kernel shut down). Output streams and logging are
    flushed and unused spare kernels stopped first.
    """
    import logging
    import os

    if "powerkit.kernels" in sys.modules:
        sys.modules["powerkit.kernels"].discard_spares()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr, flush=True)
        code = 1
    os._exit(code)


from . import diff as _diff  # noqa: E402,F401  (registers powerkit diff)
from . import ingest as _ingest  # noqa: E402,F401  (registers powerkit ingest)
from . import portfolio as _portfolio  # noqa: E402,F401  (registers powerkit portfolio)
from . import workshop as _workshop  # noqa: E402,F401  (registers powerkit workshop)


def _one_report(args: list[str]) -> bool:
    """``args`` ask ``powerkit report`` for exactly one deal (a batch uses a kernel factory)."""
    if args[:1] != ["report"]:
        return False
    valued = {"--out", "--format", "--paper", "--param", "--scenario", "--since", "--jobs", "-j"}
    positional, rest = 0, iter(args[1:])
    for a in rest:
        if a == "--":
            positional += sum(1 for _ in rest)
        elif a in valued:
            next(rest, None)
        elif not a.startswith("-") or a == "-":
            positional += 1
        elif a in ("--help", "-h"):
            return False
    return positional == 1


def main() -> None:
    """Console entry point: run the app; turn any unexpected error into one clear line.
    The command and every process it starts use one BLAS thread (:mod:`powerkit.threads`)."""
    from ..threads import use_one_blas_thread

    use_one_blas_thread()
    if _one_report(sys.argv[1:]):  # its kernel imports the analysis stack while we start up
        from .. import kernels

        kernels.prestart(deal_follows=True)
    try:
        app()
    except SystemExit as exc:
        _exit_now(exc.code)
    except KeyboardInterrupt:  # one line and exit 130
        err.print("interrupted", markup=False)
        _exit_now(130)
    except Exception as exc:  # noqa: BLE001 - never a traceback to a consultant
        from ..errors import exit_code_of, os_problem

        code = exit_code_of(exc)
        if code == 1:
            err.print(f"powerkit: internal error ({type(exc).__name__}: {exc}); please report "
                      "it.", markup=False)
        else:
            err.print(str(os_problem(exc) if isinstance(exc, OSError) else exc), markup=False)
        _exit_now(code)


if __name__ == "__main__":
    main()
