"""The one timer of the benchmarks: median wall-clock time of repeated calls, measured in this run."""
from __future__ import annotations

import statistics
import time


def median_time(fn, repeats: int, *, warmup: bool = False, setup=None,
                clock=time.perf_counter) -> tuple[float, object]:
    """Median seconds of ``repeats`` calls of ``fn`` and the last call's result.

    ``warmup`` makes one untimed call first (caches, lazy imports); ``setup`` runs untimed before
    each timed call; ``clock`` is the time source (``time.process_time`` for CPU time).
    """
    if warmup:
        fn()
    times, out = [], None
    for _ in range(repeats):
        if setup is not None:
            setup()
        t = clock()
        out = fn()
        times.append(clock() - t)
    return statistics.median(times), out
