"""Client reports: deal file → papermill run of ``notebooks/report.ipynb`` → offline HTML.

The report notebook is thin: it loads the deal, asks :func:`build_sections` for every walkthrough's
:class:`~powerkit.sections.Section`, and shows them. This module also runs it: papermill executes the
notebook (figures as HTML with plotly.js inlined once, so charts render offline), nbconvert
turns it into HTML with code hidden and ``interactive`` cells removed, and the result is written
atomically (temp file + rename: a failed run leaves no partial report). Many deals run in parallel
processes; one failing deal does not stop the others.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EnvironmentProblem, PowerkitError, os_problem
from .kernels import execute
from .nbtools import RECORD_MIME, read_records, readable_table
from .paths import atomic_write, notebooks_dir
from .text import esc, md

if TYPE_CHECKING:  # the command that runs a report never imports pandas (run_report)
    import pandas as pd

    from .deal import Deal
    from .sections import Section

__all__ = ["load", "worker_start", "headlines", "opening", "body", "paper_for", "PAPERS", "show_title", "show_summary", "show_appendix",
           "record_headlines", "run_report", "run_reports", "ReportResult", "NOTEBOOK",
           "read_scenarios", "anonymise_with_scenarios", "show_scenarios"]

NOTEBOOK = notebooks_dir() / "report.ipynb"
TEMPLATES = Path(__file__).resolve().parent / "templates"  # powerkit_offline: no CDN fetches

def load(deal_path: str | Path) -> Deal:
    """The report's deal: :func:`powerkit.load_deal` of ``deal_path`` — or, in a spare kernel
    that read and validated it for :func:`run_report` (:func:`powerkit.kernels.check_deal`),
    that same deal, if no file of it has changed since
    (:func:`powerkit.versions.history.fingerprint`)."""
    from .deal import load_deal
    from .versions.history import preloaded_deal

    got = preloaded_deal(deal_path)
    return load_deal(deal_path) if got is None else got


def show_title(deal: Deal) -> None:
    """The title page: deal title, decision, date, who it was prepared for."""
    from IPython.display import HTML, display

    m = deal.meta
    prepared = f"<p class='pk-for'>Prepared for {esc(m.prepared_for)}</p>" if m.prepared_for else ""
    display(HTML(
        "<div class='pk-title' style='border-bottom:3px solid #1f77b4;padding:1em 0 .6em;"
        "margin-bottom:1em'>"
        f"<h1 style='margin:0'>{esc(m.title)}</h1>"
        f"<p style='font-size:1.15em;margin:.3em 0'>Decision: {esc(m.decision)}</p>"
        f"{prepared}<p style='color:#555'>Power analysis as of {m.as_of:%d %B %Y} · "
        f"{esc(deal.parties.loc[m.us, 'name'])} and {esc(deal.parties.loc[m.counterpart, 'name'])}"
        f" · powerkit</p></div>"))


def show_summary(sections: list[Section]) -> None:
    """Executive summary: one templated paragraph per section, every number from powerkit."""
    from IPython.display import Markdown, display

    lines = ["## Executive summary", ""]
    for s in body(sections):
        if s.missing:
            lines.append(f"- **{md(s.title)}** — {md(s.missing)}")
        elif s.summary:
            lines.append(f"- **{md(s.title)}** — {s.summary}")
    display(Markdown("\n".join(lines)))


def assumptions_table(deal: Deal) -> pd.DataFrame:
    """Every party input used, for the appendix: one row per input, one column per party (by
    name), values as read from the deal file (money with thousands separators, dates ISO)."""
    import pandas as pd

    p = deal.parties.drop(columns=["name"])

    def fmt(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        if isinstance(v, pd.Timestamp):
            return f"{v:%Y-%m-%d}"
        if isinstance(v, float):
            return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}"
        return str(v)

    table = p.T.map(fmt)
    table.columns = [deal.parties.loc[c, "name"] for c in table.columns]
    money = {"reservation_price", "batna_value"}
    table.index = [str(i).replace("_", " ").replace("batna", "BATNA")
                   + (f" ({deal.meta.currency})" if i in money else "") for i in table.index]
    return table.rename_axis("input").reset_index()


def show_appendix(deal: Deal, sections: list[Section]) -> None:
    """Appendix: the inputs used, the methods of the sections shown, and their sources."""
    from IPython.display import HTML, Markdown, display

    from .sections.references import methods_table, references_used

    shown = [s.key for s in sections if not s.missing]
    titles = {s.key: s.title for s in sections}
    display(Markdown("## Appendix: assumptions and methods\n\n### Inputs\n\nEvery input of the "
                     "parties table used by the analysis (stakeholder inputs and the weights of "
                     "the power balance are in the tables above)."))
    display(HTML(assumptions_table(deal).to_html(index=False, escape=True)))
    methods = methods_table(shown)
    methods["section"] = methods["section"].map(titles)
    display(Markdown("### Methods\n\nWhat each section computes and where the method comes "
                     "from; every formula is written out, with its tests, in powerkit's "
                     "`docs/methods.md`."))
    display(HTML(readable_table(methods).to_html(index=False, escape=True)))
    display(Markdown("### References\n\n" + "\n".join(f"* {esc(r)}"
                                                       for r in references_used(shown))))


def headlines(sections: list[Section]) -> dict:
    """Each section's headline by key (the brief's ``plan`` and ``roles`` at the top)."""
    head = {}
    for s in sections:
        if s.missing:
            head[s.key] = {"missing": s.missing}
        elif s.headline_at_top:
            head.update(s.headline)
        else:
            head[s.key] = s.headline
    return head


def record_headlines(sections: list[Section], scenarios: Section | None = None) -> dict:
    """Record each section's headline (read back into the JSON written beside the report) and,
    when the report compares scenarios, their rows (the JSON's ``scenarios`` list)."""
    from .nbtools import record

    head = headlines(sections)
    record("headline", head)
    if scenarios is not None:
        record("scenarios", scenarios.headline["rows"])
    return head


# -- scenarios ------------------------------------------------------------------------------
def read_scenarios(deal: Deal, path: str | Path = "", what_if: dict | None = None) -> list:
    """:func:`powerkit.scenarios.read_scenarios`: the deal's scenarios table, ``--scenario``
    and ``--param`` together, checked against ``deal``."""
    from .scenarios import read_scenarios

    return read_scenarios(deal, path, what_if)


def anonymise_with_scenarios(deal: Deal, scenarios: list) -> tuple[Deal, list]:
    """:func:`powerkit.anonymise` of ``deal``, and ``scenarios`` with the stakeholder ids of
    their ``stance`` settings and the people's names in their descriptions replaced the same
    way (ids by position: anonymising keeps the order of the stakeholders)."""
    from .deal.anonymise import anonymise
    from .scenarios import Scenario, parse_setting

    anon = anonymise(deal)
    ids = dict(zip(deal.stakeholders.index, anon.stakeholders.index, strict=True))
    names = sorted(zip(deal.stakeholders["name"].astype(str), anon.stakeholders["name"],
                       strict=True), key=lambda p: -len(p[0]))
    out = []
    for sc in scenarios:
        settings = dict(sc.settings)
        if "stance" in settings:
            got, _ = parse_setting("stance", settings["stance"])
            settings["stance"] = {ids.get(k, k): v for k, v in got.items()}
        desc = sc.description
        for old, new in names:
            desc = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, desc)
        out.append(Scenario(sc.name, desc, settings))
    return anon, out


def show_scenarios(deal: Deal, scenarios: list) -> Section | None:
    """Show the scenarios section (:mod:`powerkit.sections.scenarios`) when there are
    scenarios; nothing otherwise. Returns the section (``None`` without scenarios)."""
    if not scenarios:
        return None
    from .nbtools import show
    from .sections.scenarios import section

    sec = section(deal, scenarios)
    show(sec)
    return sec


def opening(sections: list[Section]) -> list[Section]:
    """The sections that open the report (the brief), shown before the executive summary."""
    return [s for s in sections if s.key == "brief"]


def body(sections: list[Section]) -> list[Section]:
    """The walkthrough sections, after the executive summary."""
    return [s for s in sections if s.key != "brief"]


# -- running --------------------------------------------------------------------------------
@dataclass
class ReportResult:
    deal: str
    ok: bool
    output: str | None = None
    error: str | None = None
    seconds: float = 0.0
    headline: dict = field(default_factory=dict)
    code: int = 0  # the exit code this result asks for: 0 ok, 2 bad input, 3 environment, 1 bug


_EXTERNAL_SCRIPT = re.compile(r"<script[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>", re.I)


_EXPORTER: list = []  # one configured exporter per process: its Jinja templates compile once


# the report template's output areas (nbconvert's lab/base.html.j2: every output is a
# ``<div class="jp-Rendered… jp-OutputArea-output …">``) and images without alternative text
_FOCUSABLE = re.compile(r'<div class="(jp-Cell-inputWrapper"|jp-Rendered\w+ (?:jp-Rendered\w+ )?'
                        r'jp-OutputArea-output\b)')
_IMG_NO_ALT = re.compile(r"<img\b(?![^>]*\balt=)")
NO_ALT = "No description has been provided for this image"  # nbconvert's own wording


def _exporter():
    """The HTML exporter for reports (built once per process; compiling the lab templates and
    importing nbconvert's filters is 0.3 s of the first conversion).

    nbconvert's ``HTMLExporter`` re-parses the whole page with BeautifulSoup after rendering it,
    to give images without alternative text a placeholder and input and output areas
    ``tabindex="0"`` (keyboard focus). On a report — 5 MB, most of it plotly.js — that pass costs ≈ 0.3 s of CPU
    (parsing, compiling its CSS selectors, serialising again) for two attribute edits. The
    subclass renders the template exactly as ``HTMLExporter`` does and makes the same two edits
    on the template's own markup instead; tests/test_report_html.py checks the result against
    ``HTMLExporter``'s, element by element (docs/performance.md, "Report against the fair
    floor").
    """
    if not _EXPORTER:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
        from nbconvert.preprocessors import TagRemovePreprocessor
        from traitlets.config import Config

        class ReportExporter(HTMLExporter):
            def from_notebook_node(self, nb, resources=None, **kw):
                # HTMLExporter.from_notebook_node (nbconvert 7) up to its BeautifulSoup pass
                langinfo = nb.metadata.get("language_info", {})
                lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
                self.register_filter("highlight_code", self.filters.get(
                    "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
                resources = self._init_resources(resources)
                self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources))
                html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
                html = _FOCUSABLE.sub(r'<div tabindex="0" class="\1', html)
                return _IMG_NO_ALT.sub(f'<img alt="{NO_ALT}"', html), resources

        c = Config()
        c.TagRemovePreprocessor.remove_cell_tags = ("interactive", "notebook-only", "parameters",
                                                    "injected-parameters", "record")
        c.TagRemovePreprocessor.enabled = True
        c.HTMLExporter.exclude_input = True
        c.HTMLExporter.exclude_input_prompt = True
        c.HTMLExporter.exclude_output_prompt = True
        exporter = ReportExporter(config=c, template_name="powerkit_offline",
                                  extra_template_basedirs=[str(TEMPLATES)])
        exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
        _EXPORTER.append(exporter)
    return _EXPORTER[0]


def warm_exporter() -> None:
    """Convert a one-cell notebook once, so that the report's own conversion finds templates
    compiled and filters imported. Called while the report's kernel is still starting."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("*warm-up*")]
    out = nbformat.v4.new_code_cell("")
    out.outputs = [nbformat.v4.new_output("display_data", {"text/html": "<b>x</b>",
                                                           "text/markdown": "x"})]
    nb.cells.append(out)
    _exporter().from_notebook_node(nb, resources={"metadata": {"name": "warm-up"}})


def _prepare() -> None:
    """papermill imported and the exporter warm (:func:`warm_exporter`), once per process: done
    while the report's spare kernel reads the deal and finishes warming up."""
    import papermill  # noqa: F401

    if not _EXPORTER:
        warm_exporter()


def to_html(executed_nb, title: str) -> str:
    """Executed notebook → standalone HTML: code hidden, ``interactive`` cells removed."""
    exporter = _exporter()
    for cell in executed_nb.cells:  # recorded values are for tests and JSON, not for readers
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if RECORD_MIME not in o.get("data", {})]
    executed_nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(executed_nb, resources={"metadata": {"name": title}})
    # safety net: no <script src="http..."> may survive (plotly's notebook renderer, if a
    # notebook ever displays a figure through it, adds a MathJax CDN tag to every figure):
    # the report must not touch the network when opened.
    return _EXTERNAL_SCRIPT.sub("", body)


def chromium() -> str:
    """Path of the Chromium used for PDF export (``BROWSER_PATH`` or Debian's ``chromium``)."""
    import shutil

    exe = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which(
        "chromium-browser") or shutil.which("google-chrome")
    if not exe:
        raise EnvironmentProblem("chromium", "PDF export needs Chromium, which is not installed",
                                 "install it (Debian: apt-get install chromium) or set "
                                 "BROWSER_PATH; HTML reports need nothing")
    return exe


PAPERS = ("a4", "letter")


def paper_for(currency: str) -> str:
    """Letter for deals in US dollars, A4 for every other currency."""
    return "letter" if currency == "USD" else "a4"


def html_to_pdf(html: Path, pdf: Path, timeout: float = 180, paper: str = "a4") -> Path:
    """Print an HTML report to PDF with headless Chromium (charts drawn first) on ``paper``
    (``a4`` or ``letter``, set by a CSS ``@page`` rule), atomically."""
    import subprocess

    if paper not in PAPERS:
        raise PowerkitError(f"The 'paper' option must be one of {', '.join(PAPERS)}. "
                            f"Got {paper!r} instead.")
    exe = chromium()
    text = html.read_text(encoding="utf-8")
    size = "<style>@page { size: " + ("A4" if paper == "a4" else "letter") + "; }</style>"
    html.write_text(text.replace("</head>", size + "</head>", 1), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        tmp_pdf = Path(profile) / "out.pdf"
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}/data",
               "--window-size=720,1400", "--virtual-time-budget=15000",
               "--run-all-compositor-stages-before-draw", "--no-pdf-header-footer",
               f"--print-to-pdf={tmp_pdf}", html.resolve().as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or not tmp_pdf.exists() or tmp_pdf.stat().st_size == 0:
            raise PowerkitError(f"Chromium could not print {html.name} to PDF "
                                f"(exit {proc.returncode}): {proc.stderr.strip()[-300:]}")
        _write_out(pdf, tmp_pdf.read_bytes())
    return pdf


FORMATS = ("html", "pdf")


def run_report(deal_path: str | Path, out_dir: str | Path = "reports", *,
               notebook: str | Path = NOTEBOOK, params: dict | None = None,
               fmt: str = "html", anonymise: bool = False,
               paper: str | None = None) -> ReportResult:
    """Validate one deal, run the report notebook on it and write ``out_dir/<id>.<fmt>``.

    A JSON of the headline results (``<id>.json``) is written beside it. ``anonymise`` replaces
    people by role labels everywhere (:func:`powerkit.anonymise`); ``params`` go to papermill;
    ``paper`` (PDF only): ``a4`` or ``letter`` (default: letter for USD deals, A4 otherwise).
    Never raises for a bad deal or a failing notebook: the result says what went wrong (and
    its ``code``: 2 a bad deal file, 3 a full disk or an ``out_dir`` it may not write, 1 a bug)
    and no report file is written (every file is written to a temp name and renamed when
    complete).
    """
    from . import kernels

    t0 = time.perf_counter()
    deal_path = Path(deal_path).resolve()
    name = deal_path.name
    try:
        if fmt not in FORMATS:
            raise PowerkitError(f"The 'format' option must be one of {', '.join(FORMATS)}. "
                                f"Got {fmt!r} instead.")
        # first, before papermill loads: a bad deal file, snapshot or scenario is refused. The
        # spare kernel reads it when this process has one (kernels.check_deal: no pandas here)
        # and keeps it for the notebook; else it is read here (and again by the notebook)
        scenarios, what_if = (params or {}).get("scenarios") or "", (params or {}).get("what_if")
        verdict = kernels.check_deal(deal_path, scenarios, what_if, meanwhile=_prepare)
        if verdict is None:
            from .spare_deal import facts

            verdict = facts(kernels.read_deal(deal_path, scenarios, what_if)[0])
        if not verdict["ok"]:
            return ReportResult(name, False, None, verdict["message"],
                                time.perf_counter() - t0, code=verdict["code"])
        name = verdict["id"]
        _prepare()  # (done already while the spare kernel read the deal)
        with tempfile.TemporaryDirectory() as tmp:
            # the executed notebook stays in memory: no 5 MB file written, read back, validated
            nb = execute(notebook, None,
                         parameters={**(params or {}), "deal_path": str(deal_path),
                                     **({"anonymise": True} if anonymise else {})},
                         cwd=Path(notebook).parent,
                         request_save_on_cell_execute=False,
                         # every output is in once the last cell is idle; a graceful exit of a
                         # kernel holding pandas/plotly/scipy takes 0.5 s of module teardown, a
                         # kill 0.01 s
                         shutdown_kernel="immediate")
            records = read_records(nb)
            head = records.get("headline", {})
            html = to_html(nb, name)
            out = Path(out_dir) / f"{name}.{fmt}"
            if fmt == "pdf":
                tmp_html = Path(tmp) / f"{name}.html"
                tmp_html.write_text(html, encoding="utf-8")
                html_to_pdf(tmp_html, out, paper=paper or paper_for(verdict["currency"]))
            else:
                _write_out(out, html)
        try:
            _write_out(out.with_suffix(".json"),
                       json.dumps({"deal": name, "title": verdict["title"],
                                   "anonymised": anonymise, "headline": head,
                                   **({"scenarios": records["scenarios"]}
                                      if "scenarios" in records else {}),
                                   **({"changes": records["changes"]}
                                      if records.get("changes") else {})},
                                  indent=2, default=str))
        except PowerkitError:
            out.unlink(missing_ok=True)  # the report and its JSON, both or neither
            raise
        return ReportResult(name, True, str(out), None, time.perf_counter() - t0, head)
    except PowerkitError as exc:
        err, code = str(exc), exc.exit_code
    except Exception as exc:  # noqa: BLE001 - reported per deal, never a traceback
        from papermill.exceptions import PapermillExecutionError

        code = 1
        if isinstance(exc, OSError) and (problem := os_problem(
                exc, exc.filename or tempfile.gettempdir())).exit_code == 3:
            err, code = str(problem), 3  # e.g. the temporary folder's disk is full
        elif isinstance(exc, PapermillExecutionError):
            err = (f"the report notebook failed in cell {exc.exec_count}: {exc.ename}: "
                   f"{exc.evalue}")
        else:
            err = (f"internal error ({type(exc).__name__}: {exc}); please report it to "
                   f"powerkit's maintainers")
    return ReportResult(name, False, None, err, time.perf_counter() - t0, code=code)


def _write_out(path: Path, data: str | bytes) -> None:
    """:func:`powerkit.paths.atomic_write`, a full disk or a folder it may not write as one
    line (:func:`powerkit.errors.os_problem`)."""
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise os_problem(exc, writing=True, option="--out") from None


def _run_one(args):
    deal_path, out_dir, kwargs = args
    return run_report(deal_path, out_dir, **kwargs)


def worker_start(parent: int) -> None:
    """Start of a batch worker: it dies with the command that started it. On Linux the kernel
    sends it SIGKILL when its parent ends, however the parent ends (``prctl(PR_SET_PDEATHSIG)``;
    if the parent is already gone, it leaves at once); everywhere it ignores Ctrl-C, which the
    command itself handles. Its report kernel, in turn, exits when the worker goes
    (ipykernel's parent poller)."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the call above
            os._exit(1)


def run_reports(deal_paths, out_dir="reports", *, jobs: int | None = None, on_done=None,
                **kwargs) -> list[ReportResult]:
    """Run several reports in parallel processes (default: one more than cores).

    ``on_done(result)`` is called as each finishes (progress bars); ``kwargs`` go to
    :func:`run_report`. Results come back in the order of ``deal_paths``.
    """
    paths = [Path(p) for p in deal_paths]
    from . import kernels

    # several reports: each kernel is forked from one warm process (kernels.start_factory)
    # instead of importing the stack again (docs/performance.md, "Kernel factory"); started before the
    # workers fork so that they share it, and stopped after the batch if this call started it
    own_factory = (len(paths) > 1 and not kernels.factory_running()
                   and kernels.start_factory(widgets=False))
    try:
        results = _run_reports(paths, out_dir, jobs, on_done, kwargs)
    except BaseException:  # Ctrl-C and the like: the workers may still hold the factory
        if own_factory:
            kernels.stop_factory(at_once=True)
        raise
    if own_factory:
        kernels.stop_factory()
    return results


def _run_reports(paths, out_dir, jobs, on_done, kwargs) -> list[ReportResult]:
    # default: one worker more than cores. A report's kernel waits for part of its life (start-up
    # handshake, the parent's HTML conversion), so a third worker on 2 cores fills those gaps:
    # 8 reports, 2 cores, measured 1.73–1.80× (2 workers), 1.83–1.88× (3), 1.88–1.94× (4, at
    # twice the memory); one more than cores keeps the gain without the memory.
    jobs = max(1, min(jobs or (os.cpu_count() or 1) + 1, len(paths)))
    if jobs == 1:
        results = []
        for p in paths:
            r = run_report(p, out_dir, **kwargs)
            results.append(r)
            if on_done:
                on_done(r)
        return results
    import multiprocessing as mp
    import sys

    # On Linux the workers are forked from this process with papermill and nbconvert already
    # imported: measured on 2 cores, 8 reports, 1.82× faster than serial against 1.59× for
    # spawned workers that import the stack again (forkserver: 1.5–1.6×). The workers only
    # drive a kernel and write files; they never touch this process's threads or sockets.
    if sys.platform.startswith("linux"):
        import papermill  # noqa: F401 - imported once here, inherited by every worker

        if not _EXPORTER:
            warm_exporter()  # templates compiled once here, inherited by every worker

        ctx = mp.get_context("fork")
    else:
        ctx = mp.get_context("spawn")
    results: dict[int, ReportResult] = {}
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=worker_start,
                               initargs=(os.getpid(),))
    try:
        futs = {pool.submit(_run_one, (str(p), str(out_dir), kwargs)): i
                for i, p in enumerate(paths)}
        for fut in as_completed(futs):
            r = fut.result()
            results[futs[fut]] = r
            if on_done:
                on_done(r)
    except BaseException:  # Ctrl-C and the like: drop the queue, do not wait for the workers
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [results[i] for i in range(len(paths))]
