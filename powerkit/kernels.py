"""Pre-started ("spare") kernels: a report's kernel imports the analysis stack while the command
that asked for it is still starting up.

Every report runs in a fresh IPython kernel, and a fresh kernel pays Python's start, ipykernel's
imports and then pandas, plotly, networkx, scipy and powerkit (≈ 1.1 s on the 2-core reference
machine) before its first cell can do any work. ``powerkit report`` therefore starts a *spare*
kernel process first thing — a Python process that imports that stack and warms plotly's
lazily imported validators, then waits on its stdin — and only then imports papermill and
nbconvert and validates the deal. When papermill asks for a kernel, :class:`SpareProvisioner`
hands it the spare instead of launching a cold one: the spare reads the launch command, working
folder and environment papermill would have used and becomes an ordinary ipykernel, started as
``ipykernel_launcher`` would start it. The spare is a real child process, started in its own
session like jupyter_client's own kernels, so interrupting, killing and waiting work unchanged.

``powerkit report`` with one deal has its spare read and validate the deal (:func:`check_deal`:
a child the spare forks as soon as pandas is imported reads it while the spare goes on warming
up, and says the verdict — the deal's problems, word for word, or its id), so the command itself
never imports pandas, and the kernel keeps the deal for the notebook, which gets it back only
while its files are unchanged (:mod:`powerkit.versions.history`'s fingerprint). Without a spare
to ask, the command reads the deal itself and the notebook reads it again.

This is the "pre-warmed kernel" technique of Enterprise Gateway's kernel pools
(jupyter-server/enterprise_gateway#374) without a server: one spare per pending report, each used
once (a kernel never serves two reports, so no state can leak from one deal to the next).

A spare is used only for the standard ``-m ipykernel_launcher`` command of the same Python
executable; another kernel, Windows or ``POWERKIT_SPARE_KERNELS=0`` launch a normal kernel. If
the kernel's environment differs from the spare's own (apart from the variables jupyter_client
sets per kernel, ``JPY_*`` and ``PYDEVD_*``) — say ``PLOTLY_RENDERER`` was set for one run after
the spare started — what it imported might depend on it, so the spare replaces itself
(``exec``) with a cold ``ipykernel_launcher``: behaviour never depends on a spare.
A spare belongs to the process that started it (forked batch workers never share one), and exits
by itself when that process goes away (its stdin closes).
"""
from __future__ import annotations

import atexit
import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from .spare_deal import read_deal
from .threads import one_thread_env
from .warmup import warm_up, warm_widgets

__all__ = ["prestart", "FactoryProvisioner", "FACTORY_PROVISIONER", "start_factory", "stop_factory", "factory_running", "check_deal", "read_deal", "wait_ready", "spares_enabled", "SpareKernelManager", "SpareProvisioner", "discard_spares",
           "execute", "write_notebook"]

# variables set per kernel launch — read by the notebook at run time, never at import; the rest
# of the environment must match: jupyter_client's JPY_*/PYDEVD_*, Voila's VOILA_*, and the
# request's CGI variables (RFC 3875 names) Voila gives the kernel of a page it renders on a
# visit (voila/handler.py, ``request_info``; while they counted, every such kernel was cold)
_PER_KERNEL_PREFIXES = ("JPY_", "PYDEVD_", "VOILA_")
_PER_KERNEL_NAMES = frozenset({"SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_SOFTWARE",
                               "SERVER_PROTOCOL", "SERVER_PORT", "SERVER_NAME"})


def _per_kernel(name: str) -> bool:
    """``name`` is a variable set per kernel launch (above): a kernel may differ in it."""
    return name.startswith(_PER_KERNEL_PREFIXES) or name in _PER_KERNEL_NAMES

#: the name under which :class:`FactoryProvisioner` is registered (entry point group
#: ``jupyter_client.kernel_provisioners``, pyproject.toml)
FACTORY_PROVISIONER = "powerkit-factory"


def spares_enabled() -> bool:
    """Spare kernels are used on POSIX unless ``POWERKIT_SPARE_KERNELS=0``."""
    return os.name == "posix" and os.environ.get("POWERKIT_SPARE_KERNELS", "1") != "0"


def _warm_process(entry: str, *args: str) -> subprocess.Popen:
    """Start this interpreter on ``powerkit.kernels.<entry>(env, *args)`` — a spare (``_serve``)
    or a kernel factory (``_factory``) — in its own session, talking over stdin/stdout. ``env``
    is its environment recorded before anything is imported (importing powerkit's dependencies
    sets a few variables; see :func:`_kernel_env`): ``os.environ``, not the C-level environment
    (GNU readline exports LINES/COLUMNS there), as jupyter_client passes it to the kernels it
    launches, with one BLAS thread as :func:`execute` gives a kernel (:mod:`powerkit.threads`).
    The working folder is not on its ``sys.path`` (``python -c`` puts it first): a cold kernel
    does not import from it either (``ipykernel_launcher`` takes it off while it loads), so a
    ``pandas.py`` or an old ``powerkit/`` where the command runs cannot shadow the real ones."""
    main = (f"import os, sys\nif sys.path[:1] == ['']: del sys.path[0]\n"
            f"env = dict(os.environ); from powerkit.kernels import {entry}; "
            f"sys.exit({entry}(env, *sys.argv[1:]))")
    return subprocess.Popen([sys.executable, "-c", main, *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            env={**os.environ, **one_thread_env()},
                            start_new_session=True, close_fds=True)


def _is_ipykernel(cmd: list[str], executable: str) -> bool:
    """``cmd`` launches ipykernel with ``executable`` — what a spare or a factory can serve."""
    return (len(cmd) >= 3 and cmd[1:3] == ["-m", "ipykernel_launcher"]
            and os.path.abspath(cmd[0]) == os.path.abspath(executable))


class _Spare:
    def __init__(self, deal_follows: bool = False):
        self.owner = os.getpid()
        self.executable = sys.executable
        self.proc = _warm_process("_serve", *(["deal-follows"] if deal_follows else []))
        self.ready = False
        self.verdict: dict | None = None  # its answer to check_deal
        self._buf = b""

    def _read(self, done, timeout: float) -> bool:
        """Read the spare's lines (``ready``, ``verdict …``, in either order) until ``done()``;
        False at the timeout or when the spare's output ends first."""
        import select
        import time

        end = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while not done():
            if b"\n" not in self._buf:
                left = end - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    return False
                chunk = os.read(fd, 65536)
                if not chunk:
                    return False
                self._buf += chunk
                continue
            line, self._buf = self._buf.split(b"\n", 1)
            if line == b"ready":
                self.ready = True
            elif line.startswith(b"verdict "):
                self.verdict = json.loads(line[len(b"verdict "):])
        return True

    def wait_ready(self, timeout: float) -> bool:
        """Block until the spare has imported and warmed up (it writes one line), or timeout."""
        return self._read(lambda: self.ready, timeout)

    def matches(self, cmd: list[str]) -> bool:
        return (self.owner == os.getpid() and self.proc.poll() is None
                and _is_ipykernel(cmd, self.executable))

    def discard(self):
        if self.owner != os.getpid():
            return
        # an unused spare holds nothing worth a clean exit (and may still be warming up): stop
        # it now rather than make the command that started it wait for its warm-up to end
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: itself and its group
        except OSError:
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


_SPARES: list[_Spare] = []


def prestart(n: int = 1, deal_follows: bool = False) -> int:
    """Make sure ``n`` spare kernels are starting or ready for this process; returns how many.

    Cheap to call (a spare is a process that imports in the background); does nothing where
    spares are disabled. ``deal_follows``: the spare will be asked to read the report's deal
    (:func:`check_deal`, as :func:`powerkit.report.run_report` does), so the warm-up need not
    validate the sample deal to warm the validation library up: reading that deal does.
    """
    if not spares_enabled():
        return 0
    _SPARES[:] = [s for s in _SPARES if s.owner == os.getpid() and s.proc.poll() is None]
    while len(_SPARES) < n:
        _SPARES.append(_Spare(deal_follows))
    return len(_SPARES)


def check_deal(path: str | Path, scenarios: str | Path = "", what_if: dict | None = None,
               timeout: float = 900, meanwhile=None) -> dict | None:
    """Have this process's spare kernel read the report's deal (:func:`read_deal`) and keep it
    for the notebook, so that this process never imports pandas nor reads the deal (1.1 s of
    CPU on the sample deal, of which 0.65 s were imports the kernel makes anyway).

    Returns the spare's verdict — ``{"ok": True, "id", "title", "currency", "read_by"}`` (the
    pid of the process that read it) or ``{"ok":
    False, "message", "code"}``, the message and exit code exactly as :func:`read_deal`'s
    error in this process would give them — or None when there is no spare to ask, or it could
    not answer (an unexpected error, its output ended, ``timeout`` seconds passed): the caller
    then reads the deal itself. A spare started for a report (``prestart(deal_follows=True)``)
    reads the deal in a child forked as soon as it has imported pandas, while it goes on
    warming up. ``meanwhile()``, if given, is called while the spare works (not when there is
    no spare to ask).
    """
    spare = next((s for s in _SPARES if s.owner == os.getpid() and s.proc.poll() is None), None)
    if spare is None or spare.verdict is not None:
        return None
    try:
        request = json.dumps({"path": str(Path(path).resolve()), "scenarios": str(scenarios or ""),
                              "what_if": dict(what_if or {})})
        spare.proc.stdin.write(f"check {request}\n".encode())
        spare.proc.stdin.flush()
    except (OSError, TypeError, ValueError):  # (a what-if value JSON cannot carry)
        return None
    if meanwhile is not None:
        meanwhile()
    if not spare._read(lambda: spare.verdict is not None, timeout):
        return None
    return spare.verdict if spare.verdict.get("ok") is not None else None


def wait_ready(timeout: float = 60) -> bool:
    """Wait until every spare of this process is warm (benchmarks and tests; reports never wait:
    papermill's request simply queues until the spare is ready)."""
    return all(s.wait_ready(timeout) for s in _SPARES if s.owner == os.getpid())


def _take(cmd: list[str]) -> _Spare | None:
    for i, s in enumerate(_SPARES):
        if s.matches(cmd):
            return _SPARES.pop(i)
    return None


@atexit.register
def discard_spares() -> None:
    """Stop every spare this process started and did not use."""
    while _SPARES:
        _SPARES.pop().discard()


class SpareProvisioner(LocalProvisioner):
    """:class:`~jupyter_client.provisioning.LocalProvisioner` that adopts a matching spare kernel
    process (see the module docstring) and launches normally otherwise."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        env = dict(kwargs.get("env") or os.environ)
        spare = _take(cmd) if spares_enabled() else None
        factory = None if spare is not None or not spares_enabled() else _factory_for(cmd)
        if spare is None and factory is None:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client.launcher sets it on POSIX
        order = {"argv": cmd[3:], "cwd": cwd, "env": env}
        if factory is not None:  # off the event loop: the first request waits for the warm-up
            pid = await _off_the_loop(factory.fork, order)
            if pid is None:
                return await super().launch_kernel(cmd, **kwargs)
            self.process = _Forked(pid)
        else:
            try:
                spare.proc.stdin.write((json.dumps(order) + "\n").encode())
                spare.proc.stdin.close()
            except OSError:  # the spare died: launch normally
                spare.proc.kill()
                return await super().launch_kernel(cmd, **kwargs)
            self.process = spare.proc
        # a spare was started in a session of its own, a forked kernel called setsid: either
        # leads its own process group
        self.pid = self.pgid = self.process.pid
        self.cwd = cwd
        return self.connection_info


async def _off_the_loop(func, *args):
    """``await func(*args)`` run in a new thread of its own. Not ``asyncio.to_thread``: the
    loop's default executor is shared with later forks (jupyter_core reuses a thread's event
    loop, and a report batch's workers are forked from a process that ran notebooks), and in a
    forked child that executor believes its threads — which fork did not copy — are idle, so
    work given to it never runs (a batch hung for ever; tests/test_kernels.py)."""
    import asyncio
    import threading

    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def settle(outcome, error):
        if not done.done():
            done.set_exception(error) if error is not None else done.set_result(outcome)

    def work():
        try:
            outcome, error = func(*args), None
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
            outcome, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, outcome, error)
        except RuntimeError:  # the loop has closed: nobody awaits it any more
            pass

    threading.Thread(target=work, name="powerkit-factory-fork", daemon=True).start()
    return await done


class FactoryProvisioner(SpareProvisioner):
    """The provisioner of a long-running server that starts many kernels — the workshop's Voila
    (``powerkit workshop``; :func:`powerkit.workshop.serve.voila_command` names it with
    ``JUPYTER_DEFAULT_PROVISIONER_NAME``): the server's first kernel starts the server's kernel
    factory (:func:`start_factory`) and every kernel is forked from it, with one BLAS thread
    (:mod:`powerkit.threads`) as every process powerkit starts. Launches normally where spares
    are disabled, fork is unavailable, or the factory cannot serve the request."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        start_factory()
        env = dict(kwargs.get("env") or os.environ)
        kwargs["env"] = {**env, **one_thread_env(env)}
        return await super().launch_kernel(cmd, **kwargs)


class SpareKernelManager(AsyncKernelManager):
    """Kernel manager whose kernels come from :func:`prestart`'s spares when one matches."""

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = SpareProvisioner(kernel_id=self.kernel_id,
                                                kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)


# -- the spare process (its warm-up: powerkit.warmup) ---------------------------------------------
def _kernel_env(order_env: dict, start_env: dict, now_env: dict) -> dict | None:
    """The environment the kernel gets, or None if this spare cannot serve it.

    ``start_env`` is the spare's environment before its imports, ``now_env`` after them (some
    libraries set variables when imported: pandera sets ``SPARK_LOCAL_IP``). The spare serves a
    request whose every variable (apart from those set per kernel launch, :func:`_per_kernel`)
    has the value the spare
    started with or the value its imports set; the kernel then gets the requested environment
    plus what its imports added, as a cold kernel importing the same modules would have.
    """
    keys = {k for k in (*order_env, *start_env, *now_env) if not _per_kernel(k)}
    if any(order_env.get(k) not in (start_env.get(k), now_env.get(k)) for k in keys):
        return None
    added = {k: v for k, v in now_env.items() if k not in start_env and k not in order_env}
    return {**order_env, **added}


def _start_warm(deal_follows: bool = False, widgets: bool = False) -> None:
    """The first steps of a spare and of a factory: the kernel's own settings, the warm-up, then
    the warm-up's objects moved out of the garbage collector's sight (``gc.freeze``).

    Why freeze: the warm-up leaves ≈ 310,000 objects the collector tracks (modules, functions,
    plotly's validators, jsonschema's grammars), and each full collection in the kernel walked
    them all — walkthrough 4 run after the warm-up: 0.19–0.22 s of its 0.93–0.99 s of CPU in the
    collector, against 0.02 s of 0.61–0.76 s frozen (docs/performance.md, session 11). These
    objects live as long as the process anyway; garbage the warm-up made is collected first.
    Python's documentation of ``gc.freeze`` recommends it before a ``fork`` without ``exec``
    (what the factory does): a child's collections then do not write to the parent's pages."""
    import gc

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # as jupyter_client sets it
    try:
        warm_up(deal_follows)
        if widgets:  # a factory serving notebooks and dashboards
            warm_widgets()
    except Exception:  # noqa: BLE001 - warming is an optimisation; the kernel imports what it needs
        pass
    gc.collect()
    gc.freeze()


def _serve(start_env: dict, mode: str = "") -> int:
    from .spare_deal import EarlyCheck, say_verdict, verdict

    early = EarlyCheck()
    if mode == "deal-follows":
        try:
            early.start()
        except Exception:  # noqa: BLE001 - an optimisation: the main loop answers
            pass
    _start_warm(deal_follows=mode == "deal-follows")
    early.finish()
    os.write(1, b"ready\n")
    line = early.pending if early.pending is not None else sys.stdin.readline()
    if line.startswith("check "):  # the report's deal, asked for once the spare was warm
        from powerkit.versions.history import adopt

        say_verdict(verdict(line, adopt))
        line = sys.stdin.readline()
    if not line.strip():
        return 0  # never used: the process that started us is done
    _become_kernel(json.loads(line), start_env)
    return 0


def _become_kernel(order: dict, start_env: dict, parent: int | None = None) -> None:
    """Turn this process (a spare, or a child forked by a kernel factory) into the ipykernel
    ``order`` asks for (launch arguments, working folder, environment), as
    ``ipykernel_launcher`` would start it. ``parent``: the process whose end ends the kernel
    (ipykernel's parent poller), default ``JPY_PARENT_PID`` (the process that asked for it)."""
    os.dup2(2, 1)  # kernel output outside cells goes where a normal kernel's would: stderr
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.chdir(order["cwd"])
    env = _kernel_env(order["env"], start_env, dict(os.environ))
    if env is None:
        # the environment changed since this spare started (a variable set for this run): what
        # was imported might depend on it, so start a cold kernel in this process instead
        os.execve(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *order["argv"]],
                  order["env"])
    os.environ.clear()
    os.environ.update(env)
    import ipykernel_launcher  # only its path: sys.argv[0] as in a kernel it launched

    sys.argv = [ipykernel_launcher.__file__, *order["argv"]]
    if parent is None and os.environ.get("JPY_PARENT_PID"):
        parent = int(os.environ["JPY_PARENT_PID"])
    if parent:  # ipykernel reads JPY_PARENT_PID when imported, i.e. before now
        sys.argv.append(f"--IPKernelApp.parent_handle={parent}")
    from ipykernel import kernelapp  # (no '' on sys.path here either: _warm_process)

    kernelapp.launch_new_instance()


# -- the kernel factory: one warm process, a fresh kernel forked from it per notebook run ---------
class _Factory:
    """A process that imports and warms the stack once (:func:`powerkit.warmup.warm_up`) and then forks one
    fresh kernel per request (:func:`start_factory`). Usable by the process that started it and
    by processes forked from it afterwards (a report batch's workers): requests and replies
    travel over two pipes, one request at a time (a lock shared across the fork)."""

    def __init__(self, widgets: bool = True):
        import multiprocessing

        self.owner = os.getpid()
        self.executable = sys.executable
        self.lock = multiprocessing.get_context("fork").Lock()
        self.proc = _warm_process("_factory", *(["widgets"] if widgets else []))

    def alive(self) -> bool:
        if self.owner == os.getpid():
            return self.proc.poll() is None
        try:  # a forked user of it: not our child, poll() cannot wait for it
            os.kill(self.proc.pid, 0)
        except OSError:
            return False
        return True

    def matches(self, cmd: list[str]) -> bool:
        return self.alive() and _is_ipykernel(cmd, self.executable)

    def fork(self, order: dict, timeout: float = 120) -> int | None:
        """The pid of a new kernel forked for ``order``, or None (the factory cannot fork
        here, has gone, or did not answer within ``timeout`` seconds).

        Each request carries a ticket that its reply repeats: a reply to a request that timed
        out (its caller started a cold kernel instead) is not taken for the next one's, and
        the kernel it names — forked for nobody — is killed."""
        import select
        import time
        import uuid

        ticket = uuid.uuid4().hex
        line = (json.dumps({**order, "ticket": ticket}) + "\n").encode()
        deadline = time.monotonic() + timeout
        with self.lock:
            try:
                os.write(self.proc.stdin.fileno(), line)
            except OSError:
                return None
            out = self.proc.stdout.fileno()
            while True:
                reply = b""
                while not reply.endswith(b"\n"):  # unbuffered: the pipe is shared across forks
                    if not select.select([out], [], [], max(0.0, deadline - time.monotonic()))[0]:
                        return None
                    byte = os.read(out, 1)
                    if not byte:
                        return None
                    reply += byte
                got, _, pid = reply.decode("ascii", "replace").strip().partition(" ")
                if got == ticket:
                    break
                _kill_group(pid)  # a late reply: its kernel was forked for nobody
        return int(pid) if pid.isdigit() and int(pid) > 0 else None

    def discard(self, at_once: bool = False):
        if self.owner != os.getpid():
            return
        if at_once:  # an interrupted batch: its kernels follow (ipykernel's parent poller)
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()  # end of its input: it stops the kernels it forked and exits
            except OSError:
                pass
        try:
            self.proc.wait(timeout=2)  # it reads its input between warm-up and requests
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def _kill_group(pid: str) -> None:
    """SIGKILL the process group of ``pid`` (a forked kernel leads its own), if it is one."""
    if pid.isdigit() and int(pid) > 0:
        try:
            os.killpg(int(pid), signal.SIGKILL)
        except OSError:
            pass


_FACTORIES: list[_Factory] = []


def start_factory(widgets: bool = True) -> bool:
    """Start this process's kernel factory (once): every later notebook run of this process —
    and of processes it forks afterwards — gets a kernel forked from one process that imported
    and warmed the stack once, instead of a cold kernel that imports it again (the CPU saved per kernel is
    measured in docs/performance.md, "Kernel factory"). Each
    kernel is a fresh fork of the warmed process: nothing one notebook does reaches the next.
    A spare (:func:`prestart`) is still used first when there is one. False where spares are
    disabled (Windows, ``POWERKIT_SPARE_KERNELS=0``) or fork is unavailable. ``widgets``: the
    factory also imports the walkthroughs' widget stack (:func:`powerkit.warmup.warm_widgets`; a report batch,
    whose kernels draw no widget, passes False)."""
    if not spares_enabled() or not hasattr(os, "fork"):
        return False
    if not factory_running():
        _FACTORIES[:] = [_Factory(widgets)]
    return True


def factory_running() -> bool:
    """True when this process started a kernel factory that is still running."""
    return any(f.owner == os.getpid() and f.alive() for f in _FACTORIES)


def stop_factory(at_once: bool = False) -> None:
    """Stop the kernel factory this process started, and the kernels of it still running:
    once every process that shares it has let go of it (its input closes), or ``at_once``
    (an interrupted batch whose workers still hold it)."""
    while _FACTORIES:
        _FACTORIES.pop().discard(at_once)


atexit.register(stop_factory)


def _factory_for(cmd: list[str]) -> _Factory | None:
    return next((f for f in _FACTORIES if f.matches(cmd)), None)


class _Forked:
    """What jupyter_client's provisioner needs of a kernel process (``poll``, ``wait``,
    ``send_signal``, ``kill``, ``terminate``) for a kernel forked by the factory: not this
    process's child, so it is watched through a Linux pidfd (signal 0 elsewhere). Its exit
    status is not ours to read: a finished kernel reports 0."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None
        try:
            self._fd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._fd = None

    def _ended(self, timeout: float | None) -> bool:
        import select
        import time

        if self._fd is not None:
            return bool(select.select([self._fd], [], [], timeout)[0])
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def _done(self) -> int:
        self.returncode = 0
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        return 0

    def poll(self):
        if self.returncode is None and self._ended(0):
            self._done()
        return self.returncode

    def wait(self, timeout: float | None = None):
        if self.returncode is None:
            if not self._ended(timeout):
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            self._done()
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _factory(start_env: dict, mode: str = "") -> int:
    """The factory process: warm up, then fork a kernel for each request line on stdin (the
    request's ticket and the kernel's pid on stdout; pid 0 when it cannot fork safely), reap
    the kernels that end, and at the end of its input stop the kernels still running and exit."""
    import select
    import threading

    _start_warm(widgets=mode == "widgets")
    forkable = threading.active_count() == 1  # fork copies one thread: a second would be lost
    children: set[int] = set()
    buf = b""
    while True:
        ready = select.select([0], [], [], 0.5)[0]
        for pid in list(children):  # reap ended kernels (their CPU counts in our children's)
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    children.discard(pid)
            except ChildProcessError:
                children.discard(pid)
        if not ready:
            continue
        data = os.read(0, 65536)
        if not data:
            break  # the process that started us (and every fork of it) is done
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            pid = 0
            order = json.loads(line)
            if forkable:
                pid = os.fork()
                if pid == 0:  # the kernel
                    try:
                        os.setsid()  # its own process group, as jupyter_client starts kernels
                        _become_kernel(order, start_env, parent=os.getppid())
                    finally:
                        os._exit(0)
                children.add(pid)
            os.write(1, f"{order.get('ticket', '')} {pid}\n".encode())
    for pid in children:  # kernels left running: they belonged to the process that is gone
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    for pid in children:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
    return 0


# -- running notebooks -----------------------------------------------------------------------
def write_notebook(path: str | Path, *sources: str, parameters: str | None = None) -> Path:
    """Write a python3 notebook of code cells (``parameters``: source of a first cell tagged
    ``parameters``, as papermill expects) — for benchmarks and tests that need a tiny notebook."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cells = [nbformat.v4.new_code_cell(src) for src in sources]
    if parameters is not None:
        p = nbformat.v4.new_code_cell(parameters)
        p.metadata["tags"] = ["parameters"]
        cells.insert(0, p)
    nb.cells = cells
    nbformat.write(nb, str(path))
    return Path(path)


def execute(notebook: str | Path, output: str | Path | None, parameters: dict | None = None,
            cwd: str | Path | None = None, execution_timeout: int = 600,
            start_timeout: int = 120, env: dict | None = None, **kwargs):
    """Run a notebook with papermill in the ``python3`` kernel, robustly for parallel runs;
    returns the executed notebook, also written to ``output`` unless that is None.

    The kernel talks to papermill over IPC sockets in a private temporary folder, not over
    localhost TCP ports: with many kernels starting at once (parallel reports, ``pytest -n``),
    TCP port picking races and a client could wait forever on a port another kernel took.
    A cell running longer than ``execution_timeout`` seconds fails instead of hanging.
    ``env`` holds environment variables for the kernel only (e.g. ``PLOTLY_RENDERER``): this
    process's environment is restored afterwards, so nothing leaks into later work.
    The kernel is a pre-started spare when :func:`powerkit.kernels.prestart` made a matching
    one (same interpreter and environment), a normal cold kernel otherwise. It runs with one
    BLAS thread unless this process's environment or ``env`` sets a thread count
    (:mod:`powerkit.threads`).
    """
    import tempfile

    import papermill as pm
    from traitlets.config import Config

    env = {**one_thread_env({**os.environ, **(env or {})}), **(env or {})}
    with tempfile.TemporaryDirectory(prefix="powerkit-kernel-") as sock, _environ(env):
        config = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sock) / "k")}})
        return pm.execute_notebook(
            str(notebook), None if output is None else str(output), parameters=parameters or {}, kernel_name="python3",
            cwd=None if cwd is None else str(cwd), progress_bar=False, config=config,
            execution_timeout=execution_timeout, start_timeout=start_timeout,
            kernel_manager_class=SpareKernelManager, **kwargs)


class _environ:
    """Set environment variables for the duration of a ``with`` block, then restore them."""

    def __init__(self, values: dict):
        self.values = values

    def __enter__(self):
        import os

        self.saved = {k: os.environ.get(k) for k in self.values}
        os.environ.update({k: str(v) for k, v in self.values.items()})

    def __exit__(self, *exc):
        import os

        for k, v in self.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
