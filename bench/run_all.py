"""Run every benchmark in this folder, one after the other (``make bench``).

Each ``bench_*.py`` is a standalone script that measures its target and a baseline in the
same run and prints the ratio.  Pass ``--quick`` for small sizes; other arguments are passed
through to every script.  Benchmarks are never part of the test suite.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *argv])
        print(f"=== {script.name}: exit {code}, {time.perf_counter() - started:.1f} s ===")
        failures += code != 0
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
