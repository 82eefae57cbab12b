"""Shared fixtures: paths to sample deals and reference data, a papermill notebook runner whose
runs are shared by every test (and every pytest-xdist worker) asking for the same run, and the
deselection of nbval's second run of a notebook that a papermill test already runs as committed."""
from __future__ import annotations

import ast
import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pytest

from powerkit.threads import one_thread_env

# the suite runs as powerkit's own processes do (powerkit.threads): one BLAS thread, set here
# before pytest-xdist starts its workers so that they, their kernels and Voila inherit it (two
# spinning BLAS threads per process on a 2-core machine only burn CPU)
os.environ.update(one_thread_env())

ROOT = Path(__file__).resolve().parents[1]
#: the thread variables of OpenBLAS, MKL and OpenMP (their documentation), written out here
#: rather than taken from powerkit.threads so that the tests check powerkit's list too
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")
DEALS = ROOT / "data" / "deals"
REFERENCE = ROOT / "data" / "reference"
NOTEBOOKS = ROOT / "notebooks"
SAMPLE_DEALS = sorted(p for p in DEALS.iterdir() if (p / "deal.yaml").exists()) if DEALS.exists() else []


def execute_notebook(name: str, out_dir: Path, **parameters) -> dict:
    """Run ``notebooks/<name>`` with papermill (kernel python3, cwd notebooks/) and return the
    values it ``record``ed (powerkit.nbtools.read_records)."""
    from powerkit.kernels import execute
    from powerkit.nbtools import read_records

    out = out_dir / f"{Path(name).stem}-out.ipynb"
    execute(NOTEBOOKS / name, out, parameters=parameters, cwd=NOTEBOOKS, execution_timeout=300)
    return read_records(out)


# -- one run per notebook and parameters, shared ------------------------------------------------
@cache
def notebook_defaults(name: str) -> dict:
    """The committed values of the notebook's ``parameters`` cell (papermill's own reading)."""
    import papermill as pm

    return {k: ast.literal_eval(v["default"])
            for k, v in pm.inspect_notebook(str(NOTEBOOKS / name)).items()}


def committed_deal(name: str) -> Path:
    """The deal folder a notebook reads as committed (its default ``deal_path``)."""
    return (NOTEBOOKS / notebook_defaults(name)["deal_path"]).resolve()


def _same_value(key: str, given, default) -> bool:
    if key.endswith("_path") and isinstance(given, str) and isinstance(default, str):
        # a path parameter is read relative to notebooks/ (the kernel's working folder)
        return (NOTEBOOKS / given).resolve() == (NOTEBOOKS / default).resolve()
    return type(given) is type(default) and given == default


def canonical_parameters(name: str, parameters: dict) -> dict:
    """``parameters`` without the ones that equal the committed defaults: a run whose parameters
    are all defaults injects nothing, i.e. it *is* the notebook as committed (what nbval runs)."""
    defaults = notebook_defaults(name)
    return {k: v for k, v in parameters.items()
            if not (k in defaults and _same_value(k, v, defaults[k]))}


def _shared_dir(tmp_path_factory, what: str) -> Path:
    """A folder shared by the xdist workers of this session (their base temps' parent)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    d = base / what
    d.mkdir(parents=True, exist_ok=True)
    return d


@contextmanager
def _locked(path: Path):
    """An exclusive lock (flock) on ``path``: one worker runs, the others wait and reuse."""
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def notebook_runs(tmp_path_factory) -> Path:
    return _shared_dir(tmp_path_factory, "notebook-runs")


def shared_notebook_run(runs: Path, name: str, **parameters) -> Path:
    """The executed notebook for ``name`` and ``parameters``, run once per session.

    Tests only read executed notebooks, so two tests asking for the same run (e.g. walkthrough
    2 on a sample deal, for its influence and for its perception checks) share one papermill
    run. A failing run is not kept: every test asking for it runs it and sees the error."""
    from powerkit.kernels import execute

    params = canonical_parameters(name, parameters)
    digest = hashlib.sha1(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    key = f"{Path(name).stem}-{digest[:16]}"
    out = runs / f"{key}.ipynb"
    assert params or out == _as_committed_run(runs, name)
    with _locked(runs / f"{key}.lock"):
        if not out.exists():
            tmp = runs / f"{key}.running.ipynb"
            # as run_report runs notebooks: one write of the executed notebook instead of one
            # after every cell (papermill's default, quadratic in the figures' outputs), and
            # the finished kernel killed (its graceful exit is 0.5 s of module teardown)
            execute(NOTEBOOKS / name, tmp, parameters=params, cwd=NOTEBOOKS,
                    execution_timeout=300, request_save_on_cell_execute=False,
                    shutdown_kernel="immediate")
            os.replace(tmp, out)
    return out


@pytest.fixture(scope="session", autouse=True)
def kernel_factory():
    """Every notebook this test process runs gets its kernel from one kernel factory
    (powerkit.kernels.start_factory, as a report batch does): a fresh fork of a process that
    imported the stack once. tests/test_kernels.py checks such a kernel against a cold one and
    turns the factory off where a test needs a cold kernel or a spare."""
    from powerkit import kernels

    kernels.start_factory()
    yield
    kernels.stop_factory()


@pytest.fixture(scope="session")
def reports(tmp_path_factory):
    """One parallel batch, ``run_reports(every sample deal + hostile-names, jobs=2)``, run once
    per session and shared by the xdist workers: ``(out folder, {deal id: ReportResult})``.
    Tests read the files; a test that changes one works on its own copy."""
    import pickle

    from powerkit.report import run_reports

    root = _shared_dir(tmp_path_factory, "sample-reports")
    out, done = root / "out", root / "results.pickle"
    with _locked(root / "lock"):
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            hostile = ROOT / "tests" / "fixtures" / "deals" / "hostile-names"
            results = run_reports(SAMPLE_DEALS + [hostile], out, jobs=2)
            done.write_bytes(pickle.dumps({r.deal: r for r in results}))
    return out, pickle.loads(done.read_bytes())


@pytest.fixture
def run_notebook(tmp_path, notebook_runs):
    """``run_notebook(name, **parameters)`` -> the recorded values; the executed notebook is
    also at ``tmp_path/<stem>-out.ipynb``."""
    from powerkit.nbtools import read_records

    def _run(name: str, **parameters) -> dict:
        src = shared_notebook_run(notebook_runs, name, **parameters)
        out = tmp_path / f"{Path(name).stem}-out.ipynb"
        try:
            os.link(src, out)  # (10 MB with the figures; tests only read it)
        except OSError:
            shutil.copyfile(src, out)
        return read_records(out)
    return _run


# Notebooks that a papermill test runs with every parameter at its committed default (the
# default deal is one of the sample deals; run_notebook then injects nothing): nbval's run of
# the same notebook (--nbval-lax: every cell runs without an error) would execute exactly the
# same thing a second time, so it is deselected when that test is collected in the session.
# The papermill run checks the same (papermill fails on any cell's error, cell timeout 300 s)
# and more (the recorded values).
RUN_AS_COMMITTED_BY = {
    "00_game_plan.ipynb": "tests/test_nb_plan.py::test_game_plan_notebook[northwind-vendor]",
    "01_reading_power_dynamics.ipynb":
        "tests/test_nb_power.py::test_notebook_on_sample_deal[northwind-vendor]",
    "02_mapping_informal_influence.ipynb":
        "tests/test_nb_influence.py::test_notebook_on_sample_deal[northwind-vendor]",
    "03_spotting_hidden_constraints.ipynb":
        "tests/test_nb_constraints.py::test_notebook_on_sample_deals[northwind-vendor]",
    "04_planning_value_creation.ipynb":
        "tests/test_nb_value.py::test_notebook_on_sample_deals[northwind-vendor]",
    "05_multi_party_coalitions.ipynb":
        "tests/test_nb_coalitions.py::test_notebook_on_sample_deal[harbour-council]",
    "06_forecasting_decisions.ipynb":
        "tests/test_nb_forecast.py::test_notebook_on_sample_deal[harbour-council]",
    "07_tracking.ipynb": "tests/test_nb_versions.py::test_notebook_on_sample_deal[northwind-vendor]",
    "workshop.ipynb": "tests/test_workshop.py::test_workshop_notebook_answers",
}


def _as_committed_run(runs: Path, name: str) -> Path:
    digest = hashlib.sha1(json.dumps({}, sort_keys=True).encode()).hexdigest()
    return runs / f"{Path(name).stem}-{digest[:16]}.ipynb"


@pytest.hookimpl(trylast=True)  # after -k/-m have deselected theirs
def pytest_collection_modifyitems(config, items):
    ids = {item.nodeid for item in items}
    twice, keep = [], []
    for item in items:
        path = Path(str(item.fspath))
        covering = RUN_AS_COMMITTED_BY.get(path.name) if path.suffix == ".ipynb" else None
        if covering and path.parent == NOTEBOOKS and covering in ids:
            twice.append(item)
        else:
            keep.append(item)
    if twice:
        config.hook.pytest_deselected(items=twice)
        items[:] = keep
        # for the check at the end of the session (in the xdist controller, which collects
        # nothing itself: the workers write it to the folder they share)
        runs = _shared_dir(config._tmp_path_factory, "notebook-runs")
        (runs / "left-to-papermill.json").write_text(
            json.dumps(sorted({Path(str(i.fspath)).name for i in twice})))


def pytest_sessionfinish(session, exitstatus):
    """Each notebook left to a papermill test must really have been run as committed (no
    parameter injected) in this session; if a test's parameters changed, say so and fail."""
    if os.environ.get("PYTEST_XDIST_WORKER") or session.shouldfail or session.testsfailed:
        return
    runs = _shared_dir(session.config._tmp_path_factory, "notebook-runs")
    left = runs / "left-to-papermill.json"
    names = json.loads(left.read_text()) if left.exists() else []
    missing = [n for n in names if not _as_committed_run(runs, n).exists()]
    if missing:
        session.config.get_terminal_writer().line(
            f"tests/conftest.py: nbval's run of {', '.join(missing)} was deselected, but no "
            "papermill test ran it as committed: fix RUN_AS_COMMITTED_BY", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def chromium_path() -> str | None:
    """Debian's chromium (CI installs it); None only where it is truly absent."""
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven by Playwright (PyPI), using the system's chromium binary."""
    exe = chromium_path()
    if exe is None:
        pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def open_offline(browser, url: str, wait_selector: str | None = None, timeout: float = 30_000):
    """Open ``url`` in a fresh page; return (page, outside_requests, dialogs).

    ``outside_requests`` lists every request that would leave the machine (anything but file:,
    data:, blob:, about:); ``dialogs`` lists every alert/confirm a script tried to open.
    """
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    outside, dialogs = [], []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("file:", "data:", "blob:", "about:")) else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    if wait_selector:
        page.wait_for_selector(wait_selector, timeout=timeout)
    return page, outside, dialogs


# -- Voila ---------------------------------------------------------------------------------------
VOILA_STARTUP_S = 60  # a server that is not listening by then has failed
PAGE_MS = 90_000  # page + pre-executed notebook on a busy 2-core CI machine


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def voila(target, tmp_path, preheat=True, refill=False, **kw):
    """Voila on a free port of 127.0.0.1 as ``make workshop`` starts it (``kw``: more arguments
    of ``voila_command``, e.g. ``deals=``, ``uploads=``); always terminated. With ``preheat``
    and not ``refill``, the kernel pool is not refilled while the test runs (one visitor)."""
    import signal
    import socket
    import subprocess
    import time

    from powerkit import workshop

    port = _free_port()
    argv, env = workshop.voila_command(target, port=port, preheat=preheat, **kw)
    if preheat and not refill:  # one visitor here: do not refill the pool while the test runs
        argv.append("--VoilaKernelManager.fill_delay=600")
    log = tmp_path / f"voila-{port}.log"
    with open(log, "w") as out:
        # own process group: Voila and the kernels it starts are ended together
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + VOILA_STARTUP_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"voila exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"voila not listening after {VOILA_STARTUP_S} s:\n"
                                f"{log.read_text()[-3000:]}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", log
    finally:
        proc.terminate()  # Voila shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def open_local(browser, base: str, path: str = "", before=None):
    """A fresh page on ``base + path``; returns (page, outside) where ``outside`` lists every
    request (and web socket) aimed anywhere but ``base``, file:, data:, blob: or about: —
    such requests are recorded and aborted, so nothing leaves the machine either way.
    ``before(page)``, if given, is called before the page is opened (console listeners)."""
    import re

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    local = (base, base.replace("http://", "ws://"), "file:", "data:", "blob:", "about:")
    outside: list = []

    def route(r):
        if r.request.url.startswith(local):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    # only requests aimed elsewhere come to ``route``: Playwright matches a regular expression
    # in its driver (setNetworkInterceptionPatterns), so the page's own requests (dozens of
    # JavaScript modules) do not each wait for a round trip to this Python process
    page.route(re.compile("^(?!" + "|".join(re.escape(u) for u in local) + ")"), route)
    page.on("websocket", lambda ws: None if ws.url.startswith(local) else outside.append(ws.url))
    if before is not None:
        before(page)
    page.goto(f"{base}/{path}", timeout=PAGE_MS)
    return page, outside


@pytest.fixture(scope="session")
def dashboards(browser, tmp_path_factory):
    """One Voila serving the notebooks folder (tree mode, each page executed on visit, no
    pre-heated kernels), shared by the browser tests of this worker (``--dist loadfile`` puts
    each test file on one worker): the list page and each dashboard are fresh pages (and each
    dashboard a fresh kernel) on it. Its list page is opened once first, so that the server's
    templates are compiled before any test's page is timed by ``PAGE_MS``."""
    with voila(NOTEBOOKS, tmp_path_factory.mktemp("voila"), preheat=False) as (base, log):
        page, _ = open_local(browser, base, "")
        page.close()
        yield base
