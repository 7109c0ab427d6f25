"""Run the hostile-input corpus: ``python tests/fuzz/run.py --cases 1000 [--seed 11]``.

Every case runs ``ecociv ingest`` or ``ecociv monitor validate`` in a child process with a
time and a memory limit (:mod:`bounded`) and must end ``ok`` or ``refused`` (exit 0, or exit
2 with one ``ecociv: …`` line).  Prints the counts by verdict, the slowest and the largest
runs, and every failure with the command that reproduces it; exits 1 when any case failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path[:0] = [
    str(Path(__file__).resolve().parent),
    str(Path(__file__).resolve().parents[1] / "ingest"),
]

from bounded import FAILURES, WALL_FACTOR, ForkServer, Limits, Outcome  # noqa: E402
from corpus import Case, generate  # noqa: E402


def run_corpus(
    seed: int, count: int, workdir: Path, limits: Limits, *, start: int = 0, echo=None
) -> list[tuple[Case, Outcome]]:
    """Generate and run *count* cases; returns each case with its outcome."""
    results = []
    with ForkServer(limits, env={"ECOCIV_LANG": "en"}) as server:
        for case in generate(seed, count, workdir, start=start):
            outcome = server.run(*case.args)
            results.append((case, outcome))
            if echo and outcome.verdict in FAILURES:
                echo(f"FAIL {outcome.verdict}: {case.name}: {outcome.stderr.strip()[-600:]}")
            elif echo and len(results) % 50 == 0:
                echo(f"{len(results)} cases done")
            case.path.unlink()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--start", type=int, default=0, help="first case number (to rerun one)")
    parser.add_argument("--seconds", type=float, default=Limits.seconds)
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb)
    parser.add_argument("--keep", type=Path, help="keep the failing inputs in this folder")
    options = parser.parse_args()
    limits = Limits(options.seconds, options.memory_mb)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="ecociv-fuzz-") as tmp:
        results = run_corpus(
            options.seed,
            options.cases,
            Path(tmp),
            limits,
            start=options.start,
            echo=lambda line: print(line, flush=True),
        )
    verdicts = Counter(outcome.verdict for _, outcome in results)
    slowest = max(results, key=lambda r: r[1].seconds)
    largest = max(results, key=lambda r: r[1].peak_rss_mb)
    print(
        f"{len(results)} cases (seed {options.seed}) in {time.monotonic() - began:.0f} s; "
        f"limits {limits.seconds:g} s CPU ({limits.seconds * WALL_FACTOR:g} s wall), "
        f"{limits.memory_mb} MiB address space"
    )
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    print(f"slowest: {slowest[1].seconds:.1f} s ({slowest[0].name})")
    print(f"largest: {largest[1].peak_rss_mb:.0f} MiB peak RSS ({largest[0].name})")
    failed = sum(verdicts[f] for f in FAILURES)
    if failed:
        print(f"{failed} FAILED; rerun one with --start N --cases 1")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
