"""One BLAS thread for powerkit's own processes.

numpy and scipy ship OpenBLAS (conda's numpy may use MKL), which starts one worker thread per
core and keeps them spinning for a while after every matrix product. powerkit's products are
small — a deal's parties, issues, a few thousand draws — and a second thread never finishes one
sooner; it only burns the other core. Measured on the 2-core reference machine
(docs/performance.md, "One BLAS thread"): the report's analyses take the same wall time and
less CPU with one thread, ``powerkit report`` less CPU of the process tree, and a 2,000-person
report less wall time too.

So the processes powerkit starts — ``powerkit`` commands, the report's kernels (spare and cold),
Voila and its kernels — run with one BLAS/OpenMP thread, unless the user has set the thread
variable themselves (then their choice stands). A library import never changes the environment: this is
called by the command-line entry point and by :mod:`powerkit.kernels` for the kernels it
starts.
"""
from __future__ import annotations

import os

__all__ = ["BLAS_THREAD_VARS", "one_thread_env", "use_one_blas_thread"]

# read by OpenBLAS, MKL and OpenMP runtimes when they are loaded
BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


def one_thread_env(environ=None) -> dict[str, str]:
    """The thread variables a powerkit process should add to ``environ`` (default
    ``os.environ``): each of :data:`BLAS_THREAD_VARS` as ``"1"`` — or nothing when the user has
    set any of them (OpenBLAS also reads ``OMP_NUM_THREADS``: a user's choice of one of them is
    their choice for all).

    >>> one_thread_env({})
    {'OPENBLAS_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1', 'OMP_NUM_THREADS': '1'}
    >>> one_thread_env({"OMP_NUM_THREADS": "4"})
    {}
    """
    environ = os.environ if environ is None else environ
    if any(k in environ for k in BLAS_THREAD_VARS):
        return {}
    return dict.fromkeys(BLAS_THREAD_VARS, "1")


def use_one_blas_thread() -> None:
    """Give this process's environment :func:`one_thread_env` (so every process it starts
    inherits it) and limit the BLAS libraries this process has already loaded to one thread
    (``threadpoolctl``), unless the user set a thread variable: then nothing is changed here."""
    add = one_thread_env()
    if not add:  # the user chose a thread count: theirs stands
        return
    os.environ.update(add)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency; without it only children get one
        return
    threadpool_limits(limits=1, user_api="blas")
