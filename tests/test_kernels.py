"""Spare kernels (powerkit.kernels): used when they match, fresh every time, never different from
a cold kernel in what a notebook can observe, replaced by a cold kernel when the environment
changed, and never left running.

The reference for "what a kernel looks like" is a cold kernel started by jupyter_client itself in
the same test (an independent method), not values written down from powerkit's output.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import nbformat
import pytest
from conftest import THREAD_VARS

from powerkit import kernels
from powerkit.kernels import execute, write_notebook

pytestmark = pytest.mark.skipif(not kernels.spares_enabled(), reason="spare kernels are POSIX-only")
#: the tests that start warm and cold kernels, 3–16 s each: not in ``make test-quick``
starts_kernels = pytest.mark.slow

PROBE = r"""
import json, os, sys
_widgets_warm = "jsonschema" in sys.modules  # before plotly.io below imports it
import powerkit.influence as _inf, powerkit.nbtools as _nbt
import plotly.io as _pio
print(json.dumps({
    "warm": was_warm,  # measured in the first cell, before this one imported anything
    # the widget stack's imports (powerkit.warmup.warm_widgets): a factory's, never a report spare's
    "widgets_warm": _widgets_warm,
    # chosen by plotly when plotly.io's renderers are first imported, from the process they
    # are imported in: "browser" outside a kernel, so a warm-up must not import them
    "plotly_renderer": _pio.renderers.default,
    # objects the garbage collector never walks again (a warm process's gc.freeze)
    "gc_frozen": __import__("gc").get_freeze_count(),
    "cwd": os.getcwd(),
    "path0": sys.path[0],
    "argv0": os.path.basename(sys.argv[0]),
    "parent": os.environ.get("JPY_PARENT_PID"),
    "mark": os.environ.get("POWERKIT_TEST_MARK"),
    "mpl": os.environ.get("MPLBACKEND"),
    "plotlyjs_sent": _nbt._PLOTLYJS_SENT["done"],
    "blas_env": {k: os.environ.get(k) for k in
                 ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")},
    "blas_threads": sorted({i["num_threads"] for i in
                            __import__("threadpoolctl").threadpool_info()
                            if i["user_api"] == "blas"}),
    "user_names": sorted(k for k in globals() if not k.startswith("_")
                         and k not in ("In", "Out", "get_ipython", "exit", "quit", "open",
                                       "json", "os", "sys")),
}))
"""


def _probe(tmp_path, name="probe"):
    """Run the probe in a kernel via powerkit's papermill runner; the probe's JSON."""
    src, out = tmp_path / f"{name}.ipynb", tmp_path / f"{name}-out.ipynb"
    write_notebook(src, "was_warm = 'pandas' in __import__('sys').modules", PROBE)
    execute(src, out, cwd=tmp_path)
    done = nbformat.read(str(out), as_version=4)
    text = "".join(o.get("text", "") for o in done.cells[1].outputs if o.output_type == "stream")
    return json.loads(text)


@pytest.fixture(autouse=True)
def _no_leftover_spares(monkeypatch):
    """No spare left from another test, and no kernel factory (tests/conftest.py starts one
    per test process) unless the test starts its own: kernels here are cold unless asked."""
    kernels.discard_spares()
    monkeypatch.setattr(kernels, "_FACTORIES", [])
    yield
    kernels.discard_spares()
    kernels.stop_factory()


@starts_kernels
def test_cold_kernel_without_a_spare(tmp_path):
    got = _probe(tmp_path)
    assert got["warm"] is False  # nothing imported pandas: a cold kernel


@starts_kernels
def test_spare_is_used_and_looks_like_a_cold_kernel(tmp_path):
    cold = _probe(tmp_path, "cold")
    assert kernels.prestart() == 1
    warm = _probe(tmp_path, "warm")
    assert warm["warm"] is True  # the spare's imports are there ...
    assert not kernels._SPARES  # ... and it was used, once
    for key in ("cwd", "path0", "argv0", "parent", "mpl", "user_names", "plotly_renderer"):
        assert warm[key] == cold[key], key
    assert not warm["widgets_warm"]  # a report draws no widget: its spare stays lean
    assert warm["gc_frozen"] > 0 and cold["gc_frozen"] == 0  # kernels._start_warm
    assert warm["parent"] == str(os.getpid())  # the kernel polls this process, as cold ones do
    assert warm["cwd"] == str(tmp_path)
    # the warm-up's analysis left nothing behind
    assert warm["plotlyjs_sent"] is False
    assert warm["user_names"] == ["was_warm"]


@starts_kernels
def test_kernels_run_one_blas_thread_unless_the_user_chose(tmp_path, monkeypatch):
    """Spare and cold kernels alike get one BLAS thread when the user set no thread variable
    (powerkit.threads), and the user's own choice when they did: OMP_NUM_THREADS=2 reaches the
    kernel unchanged, no other variable is added, and OpenBLAS (which reads OMP_NUM_THREADS)
    runs 2 threads. Reference: threadpoolctl's reading of the loaded BLAS libraries inside the
    kernel, not powerkit's own variables."""
    for k in THREAD_VARS:
        monkeypatch.delenv(k, raising=False)
    one = {k: "1" for k in THREAD_VARS}
    cold = _probe(tmp_path, "cold")
    kernels.prestart()
    warm = _probe(tmp_path, "warm")
    assert warm["warm"] is True and cold["warm"] is False
    for got in (cold, warm):
        assert got["blas_env"] == one and got["blas_threads"] == [1]
    assert "OPENBLAS_NUM_THREADS" not in os.environ  # this process's environment is unchanged
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    kernels.prestart()
    chosen = _probe(tmp_path, "chosen")
    assert chosen["warm"] is True  # the spare started with the user's variable: it serves
    assert chosen["blas_env"] == {"OPENBLAS_NUM_THREADS": None, "MKL_NUM_THREADS": None,
                                  "OMP_NUM_THREADS": "2"}
    assert chosen["blas_threads"] == [2]


@starts_kernels
def test_each_spare_serves_one_kernel(tmp_path):
    kernels.prestart()
    _probe(tmp_path, "first")
    second = _probe(tmp_path, "second")
    assert second["warm"] is False  # no spare left: a cold kernel, never a reused one


@starts_kernels
def test_changed_environment_gets_a_cold_kernel(tmp_path, monkeypatch):
    kernels.prestart()
    monkeypatch.setenv("POWERKIT_TEST_MARK", "set after the spare started")
    got = _probe(tmp_path)
    assert got["mark"] == "set after the spare started"
    assert got["warm"] is False  # the spare replaced itself by a cold ipykernel_launcher


def test_unused_spare_stops_at_once_when_discarded():
    import time

    kernels.prestart()
    proc = kernels._SPARES[0].proc
    t0 = time.perf_counter()
    kernels.discard_spares()  # while it is still importing: no waiting for its warm-up
    assert proc.poll() is not None and not kernels._SPARES
    assert time.perf_counter() - t0 < 1.0, "discarding waited for the spare's warm-up"


@starts_kernels
def test_a_spare_exits_by_itself_when_its_owner_goes_away():
    kernels.prestart()
    spare = kernels._SPARES.pop()
    spare.proc.stdin.close()  # what the owner's death does to the pipe
    assert spare.proc.wait(timeout=60) == 0
    spare.proc.stdout.close()


def test_a_spare_belongs_to_the_process_that_started_it():
    kernels.prestart()
    spare = kernels._SPARES[0]
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"]
    assert spare.matches(cmd)
    spare.owner = -1  # as seen from a forked child
    assert not spare.matches(cmd)
    assert not spare.matches([sys.executable, "-m", "other_kernel", "-f", "x.json"])
    spare.owner = os.getpid()


def test_disabled_by_environment(monkeypatch):
    monkeypatch.setenv("POWERKIT_SPARE_KERNELS", "0")
    assert kernels.prestart() == 0 and not kernels._SPARES


#: what Voila 0.5 sets for the kernel of a page rendered on a visit (voila/handler.py)
_VOILA_PAGE = {"A": "1", "SCRIPT_NAME": "/voila/render/x.ipynb", "QUERY_STRING": "",
               "PATH_INFO": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8866",
               "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_SOFTWARE": "voila/0.5.8",
               "VOILA_KERNEL_ID": "k"}


@pytest.mark.parametrize("order, start, now, expected", [
    # unchanged environment: served, the imports' additions kept
    ({"A": "1"}, {"A": "1"}, {"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"},
     {"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"}),
    # the requester's imports set the same variable: served
    ({"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"}, {"A": "1"}, {"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"},
     {"A": "1", "SPARK_LOCAL_IP": "127.0.0.1"}),
    # per-kernel variables never matter and are passed through
    ({"A": "1", "JPY_PARENT_PID": "9"}, {"A": "1"}, {"A": "1"}, {"A": "1", "JPY_PARENT_PID": "9"}),
    # nor do the request variables Voila gives the kernel of a page it renders on a visit
    # (voila/handler.py; before they were ignored here, every such kernel was a cold one)
    (_VOILA_PAGE, {"A": "1"}, {"A": "1"}, _VOILA_PAGE),
    # a variable added, changed or removed since the spare started: not served
    ({"A": "1", "PLOTLY_RENDERER": "png"}, {"A": "1"}, {"A": "1"}, None),
    ({"A": "2"}, {"A": "1"}, {"A": "1"}, None),
    ({}, {"A": "1"}, {"A": "1"}, None),
])
def test_kernel_environment_rule(order, start, now, expected):
    assert kernels._kernel_env(order, start, now) == expected


@starts_kernels
def test_a_report_is_the_same_from_a_spare_a_factory_and_a_cold_kernel(tmp_path, reports):
    """The same deal gives the same headline numbers whichever kernel ran it: a cold kernel
    launched by jupyter_client (no spare, no factory), a spare that read the deal itself (as
    `powerkit report` runs one deal), and a kernel forked by the factory (the session's batch, tests/
    conftest.py ``reports``: run_reports starts a factory before its workers fork; a spare
    inherited from the forking process would serve only the process that started it,
    test_a_spare_belongs_to_the_process_that_started_it)."""
    from powerkit.report import run_report

    batch, results = reports
    assert results["northwind-vendor"].ok, results["northwind-vendor"].error
    deal = os.path.join(os.path.dirname(__file__), "..", "data", "deals", "northwind-vendor")
    cold = run_report(deal, tmp_path / "cold")
    assert cold.ok, cold.error
    kernels.prestart(deal_follows=True)  # as `powerkit report`: the spare reads the deal
    warm = run_report(deal, tmp_path / "warm")
    assert not kernels._SPARES  # the spare ran this report
    assert warm.ok, warm.error
    got = {k: json.loads((tmp_path / k / "northwind-vendor.json").read_text())
           for k in ("cold", "warm")}
    assert got["warm"] == got["cold"]
    assert json.loads((batch / "northwind-vendor.json").read_text()) == got["cold"]


DIRTY = r"""
import os, sys
import powerkit.nbtools as _nbt
_nbt._PLOTLYJS_SENT["done"] = True      # module state ...
os.environ["POWERKIT_TEST_MARK"] = "x"  # ... the environment ...
left_behind = 1                          # ... and a global, changed by one notebook
print(os.getpid())
"""


def _pid_of(tmp_path, name):
    src, out = tmp_path / f"{name}.ipynb", tmp_path / f"{name}-out.ipynb"
    write_notebook(src, DIRTY)
    execute(src, out, cwd=tmp_path)
    done = nbformat.read(str(out), as_version=4)
    return int("".join(o.get("text", "") for o in done.cells[0].outputs
                       if o.output_type == "stream"))


@starts_kernels
def test_factory_kernels_look_like_cold_kernels_and_share_nothing(tmp_path):
    """A kernel forked by the factory is warm, looks like a cold kernel in every way a notebook
    can observe, and starts from the factory's state, not from what an earlier kernel of the
    same factory did (module state, environment, globals); every kernel is a new process."""
    cold = _probe(tmp_path, "cold")
    assert kernels.start_factory()
    first = _pid_of(tmp_path, "dirty")
    warm = _probe(tmp_path, "warm")
    assert warm["warm"] is True and warm["widgets_warm"] is True
    assert cold["widgets_warm"] is False
    # the warm-up's objects are frozen (kernels._start_warm); a cold kernel freezes nothing
    assert warm["gc_frozen"] > 0 and cold["gc_frozen"] == 0
    for key in ("cwd", "path0", "argv0", "parent", "mpl", "user_names", "blas_env",
                "plotly_renderer"):
        assert warm[key] == cold[key], key
    assert warm["parent"] == str(os.getpid())  # JPY_PARENT_PID: the process that asked
    assert warm["plotlyjs_sent"] is False and warm["mark"] is None
    assert warm["user_names"] == ["was_warm"]
    second = _pid_of(tmp_path, "dirty-again")
    assert len({first, second, os.getpid()}) == 3
    for pid in (first, second):  # shut down by papermill, reaped by the factory
        assert _gone(pid, 10)


def _probe_in_a_fork(tmp_path, queue):  # a report batch's worker, forked after notebook runs
    queue.put(_probe(tmp_path, "in-a-fork")["warm"])


@starts_kernels
def test_a_process_forked_after_notebook_runs_gets_its_kernel_from_the_factory(tmp_path):
    """A report batch's workers are forked from a process that has run notebooks (the test
    suite's workers, or a consultant's own notebook calling run_reports twice): a kernel asked
    for in such a fork must still come from the factory. It once hung for ever: the fork was
    waited for in the parent's event loop's default executor, whose thread fork does not copy."""
    import multiprocessing

    assert kernels.start_factory()
    assert _probe(tmp_path, "parent")["warm"] is True  # this process's loop has run a launch
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_probe_in_a_fork, args=(tmp_path, queue))
    child.start()
    child.join(timeout=120)
    if child.is_alive():
        child.kill()
        pytest.fail("the forked process's notebook run hung waiting for its kernel")
    assert child.exitcode == 0 and queue.get(timeout=5) is True


def _gone(pid: int, within: float) -> bool:
    import time

    t = time.monotonic() + within
    while time.monotonic() < t:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[-1].split()[0] == "Z":  # a zombie has ended
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


@starts_kernels
def test_factory_with_a_changed_environment_gives_a_cold_kernel(tmp_path, monkeypatch):
    kernels.start_factory()
    monkeypatch.setenv("POWERKIT_TEST_MARK", "set after the factory started")
    got = _probe(tmp_path)
    assert got["mark"] == "set after the factory started"
    assert got["warm"] is False  # the forked child replaced itself by a cold ipykernel_launcher


@starts_kernels
def test_the_factory_and_its_kernels_end_with_the_process_that_started_it(tmp_path):
    """SIGKILL the process that started a factory while one of its kernels is running a cell:
    the factory (its input closed) stops the kernel and exits; nothing is left running."""
    import time

    pidfile = tmp_path / "kernel.pid"
    src = write_notebook(tmp_path / "sleep.ipynb",
                         f"import os, time\nopen({str(pidfile)!r}, 'w').write(str(os.getpid()))\n"
                         "time.sleep(600)")
    owner = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom powerkit import kernels\nkernels.start_factory()\n"
         "print(kernels._FACTORIES[0].proc.pid, flush=True)\n"
         f"kernels.execute({str(src)!r}, {str(tmp_path / 'out.ipynb')!r}, cwd={str(tmp_path)!r})"],
        stdout=subprocess.PIPE, text=True)
    factory = int(owner.stdout.readline())
    t = time.monotonic() + 120
    while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < t:
        time.sleep(0.1)
    kernel = int(pidfile.read_text())
    owner.send_signal(signal.SIGKILL)
    owner.wait()
    assert _gone(kernel, 10) and _gone(factory, 10)



def test_a_late_reply_is_not_taken_for_the_next_request_and_its_kernel_is_killed():
    """The factory's protocol (``kernels._Factory.fork``): a request that timed out (its caller
    started a cold kernel instead) is answered late; the next request must not take that reply
    for its own, and the kernel it names — forked for nobody — is killed. A fake factory on two
    pipes answers the first request only after its caller gave up."""
    import threading
    from types import SimpleNamespace

    from powerkit.kernels import _Factory

    orphan = subprocess.Popen(["sleep", "60"], start_new_session=True)  # the late kernel
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    factory = _Factory.__new__(_Factory)
    factory.lock = threading.Lock()
    factory.proc = SimpleNamespace(stdin=os.fdopen(req_w, "wb", buffering=0),
                                   stdout=os.fdopen(rep_r, "rb", buffering=0), pid=-1)
    requests = os.fdopen(req_r, "rb")
    try:
        assert factory.fork({"argv": [], "cwd": "/", "env": {}}, timeout=0.2) is None
        first = json.loads(requests.readline())

        def answer():
            second = json.loads(requests.readline())
            os.write(rep_w, f"{first['ticket']} {orphan.pid}\n{second['ticket']} 4242\n".encode())

        thread = threading.Thread(target=answer)
        thread.start()
        assert factory.fork({"argv": [], "cwd": "/", "env": {}}, timeout=10) == 4242
        thread.join()
        assert orphan.wait(timeout=10) == -signal.SIGKILL
    finally:
        orphan.kill()
        for stream in (requests, factory.proc.stdin, factory.proc.stdout):
            stream.close()
        os.close(rep_w)


# -- the spare reads the report's deal (kernels.check_deal): the command never imports pandas --
ROOT = os.path.join(os.path.dirname(__file__), "..")
SMALL = os.path.realpath(os.path.join(ROOT, "data", "deals", "small-renewal"))
PROBE_ADOPTED = ("import json\nfrom powerkit.versions import history\n"
                 "print(json.dumps({k: v[1].meta.title for k, v in history._PRELOADED.items()}))")


def _adopted(tmp_path) -> dict:
    """The deals adopted in the kernel that runs the next notebook (the spare, when there is one)."""
    src, out = tmp_path / "probe.ipynb", tmp_path / "probe-out.ipynb"
    write_notebook(src, PROBE_ADOPTED)
    execute(src, out, cwd=tmp_path)
    done = nbformat.read(str(out), as_version=4)
    return json.loads("".join(o.get("text", "") for o in done.cells[0].outputs
                              if o.output_type == "stream"))


@starts_kernels
@pytest.mark.parametrize("when", ["at once", "once warm"])
def test_the_spare_reads_the_deal_and_keeps_it_for_the_notebook(tmp_path, when):
    """``check_deal`` right after the spare starts (as ``powerkit report`` asks) is answered by a
    child the spare forks once pandas is imported; asked once the spare is warm, by the spare
    itself. Either way the verdict names the deal as ``load_deal`` reads it in this process,
    the notebook's kernel has that deal adopted, and the next (cold) kernel has none."""
    from powerkit.deal import load_deal

    kernels.prestart(deal_follows=True)
    spare_pid = kernels._SPARES[0].proc.pid
    if when == "once warm":
        assert kernels.wait_ready(120)
    seen = []
    verdict = kernels.check_deal(SMALL, meanwhile=lambda: seen.append(1))
    d = load_deal(SMALL)
    assert seen == [1]
    assert {k: verdict[k] for k in ("ok", "id", "title", "currency")} == {
        "ok": True, "id": d.id, "title": d.meta.title, "currency": d.meta.currency}
    assert (verdict["read_by"] != spare_pid) == (when == "at once")
    assert _adopted(tmp_path) == {SMALL: d.meta.title}
    assert not kernels._SPARES
    assert _adopted(tmp_path) == {}  # the next kernel, a cold one, has no deal adopted


BAD_CASES = ["14-stance-out-of-range", "03-yaml-python-tag-not-evaluated"]


@pytest.mark.parametrize("case, what_if", [(c, None) for c in BAD_CASES]
                         + [("small-renewal", {"batna_us": "lots"})])
def test_the_spare_tells_a_bad_deal_exactly_as_this_process_would(case, what_if):
    """The spare's verdict on a bad deal (or a bad ``--param`` what-if) carries the message and
    exit code that :func:`read_deal` raises in this process (the reference: the same function,
    run here); and the spare, refused, is discarded by the command as before."""
    from powerkit.errors import PowerkitError

    path = SMALL if case == "small-renewal" else os.path.join(
        ROOT, "tests", "fixtures", "bad_deals", case)
    with pytest.raises(PowerkitError) as here:
        kernels.read_deal(path, "", what_if)
    kernels.prestart(deal_follows=True)
    verdict = kernels.check_deal(path, "", what_if)
    kernels.discard_spares()
    assert verdict == {"ok": False, "message": str(here.value), "code": here.value.exit_code}
    assert verdict["code"] == 2


def test_an_unexpected_error_in_the_spare_leaves_the_deal_to_the_command(monkeypatch):
    """A bug while the spare reads the deal is no verdict: ``check_deal`` gives None and
    ``run_report`` reads the deal itself (and so says "internal error" as it always did)."""
    def broken(*a):
        raise RuntimeError("bug")

    from powerkit import spare_deal

    monkeypatch.setattr(spare_deal, "read_deal", broken)
    line = "check " + json.dumps({"path": SMALL, "scenarios": "", "what_if": {}})
    assert spare_deal.verdict(line, lambda *a: None) == {"ok": None}


@pytest.mark.parametrize("child", ["answers", "dies"])
def test_a_child_that_dies_before_its_verdict_is_no_verdict(child):
    """The spare's early check (spare_deal.EarlyCheck) in a process of its own, with a check
    request on stdin: a child that answers says one verdict; a child killed before it answers
    (SIGKILL, as the kernel's OOM killer would) makes the spare say ``ok`` None, so the command
    reads the deal itself instead of waiting for a verdict that never comes."""
    request = "check " + json.dumps({"path": SMALL, "scenarios": "", "what_if": {}})
    code = ("import os, sys\n"
            "from powerkit import spare_deal\n"
            + ("spare_deal.verdict = lambda line, keep: os.kill(os.getpid(), 9)\n"
               if child == "dies" else "")
            + "e = spare_deal.EarlyCheck()\ne.start()\ne.finish()\n"
            "from powerkit.versions import history\n"
            "print('adopted', sorted(history._PRELOADED), flush=True)\n")
    out = subprocess.run([sys.executable, "-c", code], input=request + "\n",
                         capture_output=True, text=True, timeout=120, check=True).stdout
    verdicts = [json.loads(x[len("verdict "):]) for x in out.splitlines()
                if x.startswith("verdict ")]
    if child == "dies":
        assert verdicts == [{"ok": None}] and "adopted []" in out
    else:
        assert [v["ok"] for v in verdicts] == [True] and f"adopted {[SMALL]!r}" in out


_SCIPY_DOCS = r"""
import json, sys
from scipy._lib import _array_api as api
import powerkit.warmup as w
parser, calls = api.FunctionDoc, []
def counting(f):
    calls.append(f.__name__)
    return parser(f)
api.FunctionDoc = counting
if sys.argv[1] == "unparsed":
    with w.unparsed_scipy_docstrings():
        import scipy.stats
else:
    import scipy.stats
print(json.dumps({"parsed": len(calls), "restored": api.FunctionDoc is counting,
                  "doc": scipy.stats.ttest_ind.__doc__, "z95": float(scipy.stats.norm.ppf(0.95))}))
"""


def test_warm_kernels_import_scipy_stats_without_parsing_its_docstrings():
    """The spare's SciPy import skips ``xp_capabilities``' numpydoc parse (docs/performance.md,
    session 9): no docstring is parsed inside the block, the parser is put back after it, the
    functions keep their own docstrings without the appended backend table, and numbers are
    SciPy's (z of the 95th percentile, 1.6448536… from any normal table). If SciPy renames the
    parser, the block changes nothing and this test fails on ``parsed``."""
    def run(mode):
        out = subprocess.run([sys.executable, "-c", _SCIPY_DOCS, mode], capture_output=True,
                             text=True, check=True, timeout=120)
        return json.loads(out.stdout)

    plain, unparsed = run("plain"), run("unparsed")
    assert plain["parsed"] > 100 and unparsed["parsed"] == 0
    assert unparsed["restored"]
    assert "Array API Standard Support" in plain["doc"]
    assert "Array API Standard Support" not in unparsed["doc"]
    first = unparsed["doc"].strip().splitlines()[0]
    assert first == plain["doc"].strip().splitlines()[0] and first.startswith("Calculate the T-test")
    assert round(unparsed["z95"], 9) == round(plain["z95"], 9) == 1.644853627


@starts_kernels
def test_a_module_where_the_command_runs_does_not_shadow_the_kernels_imports(tmp_path,
                                                                             monkeypatch):
    """A spare started from a folder holding ``plotly.py`` imports the real plotly, as a cold
    kernel does (ipykernel_launcher takes the working folder off ``sys.path`` while it loads);
    before the fix the spare's ``python -c`` put that folder first, its warm-up imported the
    impostor and the report's kernel kept it (checked to fail without the fix)."""
    here = tmp_path / "where-the-command-runs"
    here.mkdir()
    (here / "plotly.py").write_text("IMPOSTOR = True\n", encoding="utf-8")
    (tmp_path / "nb").mkdir()
    src = write_notebook(tmp_path / "nb" / "p.ipynb", "import plotly\nprint(plotly.__file__)",
                         parameters="x = 1")
    monkeypatch.chdir(here)
    files = []
    for spare in (False, True):
        if spare:
            assert kernels.prestart() == 1
        done = execute(src, None, cwd=tmp_path / "nb")
        files.append("".join(o.get("text", "") for o in done.cells[1].outputs).strip())
        assert not spare or not kernels._SPARES  # the spare served it
    cold, warm = files
    assert warm == cold and not warm.startswith(str(here)), files
