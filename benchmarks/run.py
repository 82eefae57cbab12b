"""Run every benchmarks/bench_*.py and print its rows: name, value, unit, target, ok.

Each bench module has ``run() -> list[dict]`` with keys name, value, unit, target, ok. Timings are
medians of repeats measured in this one run, reported as ratios against a floor or a peer where
the target is a ratio. Usage: ``python benchmarks/run.py [substring ...]`` (filters by file name).
"""
from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the benches share benchmarks/timing.py


def main(argv: list[str]) -> int:
    files = sorted(HERE.glob("bench_*.py"))
    if argv:
        files = [f for f in files if any(a in f.name for a in argv)]
    rows, failed = [], []
    for f in files:
        t0 = time.perf_counter()
        spec = importlib.util.spec_from_file_location(f.stem, f)
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
            got = mod.run()
        except Exception:  # noqa: BLE001 - a broken bench is reported, the others still run
            failed.append(f.name)
            traceback.print_exc()
            continue
        for r in got:
            rows.append((f.stem.removeprefix("bench_"), r))
        print(f"# {f.name}: {len(got)} rows in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    w = max((len(r["name"]) for _, r in rows), default=10)
    print(f"{'area':<12} {'benchmark':<{w}} {'value':>12} {'unit':<10} {'target':<22} ok")
    for area, r in rows:
        v = r["value"]
        vs = f"{v:.4g}" if isinstance(v, float) else str(v)
        print(f"{area:<12} {r['name']:<{w}} {vs:>12} {r['unit']:<10} {r['target']:<22} "
              f"{'yes' if r['ok'] else 'NO'}")
    missed = [r["name"] for _, r in rows if not r["ok"]]
    print(f"\n{len(rows)} benchmarks, {len(rows) - len(missed)} on target"
          + (f"; missed: {', '.join(missed)}" if missed else "")
          + (f"; broken: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
