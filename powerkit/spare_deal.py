"""The report's deal in its spare kernel (:mod:`powerkit.kernels`): read and validated there, its
verdict told to the command, the deal kept for the notebook.

``powerkit report`` with one deal asks its spare kernel to read the deal
(:func:`powerkit.kernels.check_deal`); the spare answers with :func:`verdict` — in a child it
forks as soon as pandas is imported (:class:`EarlyCheck`), or itself once warm — so the command
never imports pandas. Without a spare to ask, the command reads the deal with :func:`read_deal`
itself; :func:`facts` is what the command needs of a deal either way.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

__all__ = ["read_deal", "facts", "verdict", "say_verdict", "EarlyCheck"]


def read_deal(path: str | Path, scenarios: str | Path = "", what_if: dict | None = None):
    """What a report reads before its notebook runs, each problem told up front: the deal at
    ``path`` (a pipe, a device or a zip bomb is never opened), its history snapshots, and its
    scenarios with ``scenarios`` (``--scenario``) and ``what_if`` (``--param``) checked against
    it. Returns ``(deal, versions, fingerprint)``; the fingerprint of the deal's files is None
    when a file changed while they were read (nothing read can then be handed on). Raises
    :class:`~powerkit.errors.PowerkitError` (a :class:`~powerkit.errors.DealError` lists every
    problem)."""
    from .deal import load_deal
    from .deal.reading import check_deal_path
    from .scenarios import read_scenarios
    from .versions.history import fingerprint, load_history

    path = Path(path).resolve()
    check_deal_path(path)
    fp = fingerprint(path)  # the files as read: a spare kernel's copy is keyed by it
    deal = load_deal(path)
    versions = None
    if path.is_dir() and (path / "history").is_dir():
        versions = load_history(path, current=deal)  # a broken snapshot, told up front
    read_scenarios(deal, scenarios or "", what_if)
    return deal, versions, fp if fp is not None and fingerprint(path) == fp else None


def facts(deal) -> dict:
    """What the report command needs of a deal it has not loaded: its id (file names), title
    (the JSON) and currency (the PDF's paper size) — the fields of an ``ok`` verdict."""
    return {"ok": True, "id": deal.id, "title": deal.meta.title, "currency": deal.meta.currency}


def verdict(line: str, keep) -> dict:
    """In the spare: answer a ``check`` request (:func:`powerkit.kernels.check_deal`) — read the
    deal, give it to ``keep(path, fingerprint, deal, versions)`` when no file changed while it
    was read. A problem of the user's input (:class:`~powerkit.errors.PowerkitError`) is the
    verdict, word for word, with its exit code; any other error is no verdict (``ok`` None)."""
    from .errors import PowerkitError

    request = json.loads(line[len("check "):])
    try:
        deal, versions, fp = read_deal(request["path"], request["scenarios"], request["what_if"])
    except PowerkitError as exc:
        return {"ok": False, "message": str(exc), "code": exc.exit_code}
    except Exception:  # noqa: BLE001 - not the user's input: the command reads it and says so
        return {"ok": None}
    if fp is not None:
        keep(request["path"], fp, deal, versions)
    return {**facts(deal), "read_by": os.getpid()}  # (the spare, or the child it forked: tests)


def say_verdict(answer: dict) -> None:
    """Write ``verdict <json>`` on stdout, the spare's line to the command (the whole line)."""
    data = f"verdict {json.dumps(answer, default=str)}\n".encode()
    while data:  # one writer at a time (the parent waits for the child before it says ready)
        data = data[os.write(1, data):]


class EarlyCheck:
    """In a spare started for a report: once pandas and the deal model are imported, a ``check``
    request already waiting on stdin is answered by a forked child — the deal read while the
    spare goes on importing plotly, SciPy and the sections. The child says the verdict, then
    sends what it read, pickled, through a pipe; the spare adopts it before it says ``ready``
    (nothing is written to disk, so a spare stopped at any point leaves nothing behind). Any
    other line read is kept for the main loop. Where forking is unsafe (a second thread) or no
    request is waiting yet, nothing happens here: the main loop answers the request itself."""

    def __init__(self):
        self.pid = 0
        self.pipe = -1
        self.pending: str | None = None

    def start(self) -> None:
        import select
        import threading

        import powerkit.deal.schemas  # noqa: F401 - pandas, pandera and the deal model
        import powerkit.scenarios  # noqa: F401
        import powerkit.versions.history  # noqa: F401

        if threading.active_count() != 1 or not select.select([sys.stdin], [], [], 0)[0]:
            return
        line = sys.stdin.readline()
        if not line.startswith("check "):
            self.pending = line
            return
        r, w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: read the deal, say the verdict, send the deal
            said = False
            try:
                os.close(r)
                got = []
                say_verdict(verdict(line, lambda *a: got.append(a)))
                said = True
                if got:
                    import pickle

                    data = pickle.dumps(got[0], protocol=pickle.HIGHEST_PROTOCOL)
                    while data:
                        data = data[os.write(w, data):]
            finally:
                os._exit(0 if said else 1)
        os.close(w)
        self.pipe = r

    def finish(self) -> None:
        """Adopt what the child read (if it read a deal whose files did not change). A child
        that ended without saying its verdict (killed, say, for memory) is no verdict: the
        spare says so (``ok`` None), and the command reads the deal itself instead of waiting."""
        if not self.pid:
            return
        import pickle

        chunks = []
        while chunk := os.read(self.pipe, 1 << 20):
            chunks.append(chunk)
        os.close(self.pipe)
        if os.waitpid(self.pid, 0)[1] != 0:
            say_verdict({"ok": None})
        try:
            if chunks:
                from powerkit.versions.history import adopt

                adopt(*pickle.loads(b"".join(chunks)))
        except Exception:  # noqa: BLE001 - an optimisation: the notebook loads the deal itself
            pass
