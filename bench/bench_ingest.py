"""Ingest speed: time per document and per MB, against a baseline measured in the same run.

    python bench/bench_ingest.py [--quick] [--runs N]

Inputs: the three seed plans (Tika text, read from ``../shared/seeds``; skipped with a
message when absent), each also written back as a .docx, and a large generated plan (2,000 indicator rows and 1,000 projects,
``--quick``: 200 and 100) written as .docx, as its Tika text twin and as .xlsx.

For each input it prints the median of N runs of

* ``read``: the format's reader (``read_docx`` / ``read_tika`` / ``read_xlsx``) → Document;
* ``plan``: ``ecociv.ingest.api.load_plan`` → Plan (read + classify), when available;
* ``base``: the baseline — python-docx ``Document(path)`` for .docx (loading the package
  and parsing its XML, no table walking), ``Path.read_text()`` for text, and
  ``openpyxl.load_workbook(path)`` for .xlsx;

and the ratios read/base and plan/base.  The three are run in turn within each round, so
that load from other processes on a shared machine slows them alike.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "ingest"))

from fixture_builders import (  # noqa: E402
    large_outline,
    plan_text_twin,
    write_document_docx,
    write_plan_docx,
    write_plan_xlsx,
)

from ecociv.ingest.docx import read_docx  # noqa: E402
from ecociv.ingest.tika import read_tika  # noqa: E402
from ecociv.ingest.xlsx import read_xlsx  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = ("000_7d170a64cf55d9be.txt", "002_643721506f9da807.txt", "003_502349e95fdb087f.txt")


def _load_plan() -> Callable[[Path], object] | None:
    try:
        from ecociv.ingest.api import load_plan
    except ImportError as exc:
        print(f"(ecociv.ingest.api.load_plan not available: {exc}; the plan column is empty)")
        return None
    return load_plan


def interleaved_medians(funcs: list[Callable[[], object]], runs: int) -> list[float]:
    """Median seconds of each of *funcs*, run in turn (so a busy machine slows all alike)."""
    times: list[list[float]] = [[] for _ in funcs]
    for _ in range(runs):
        for func, bucket in zip(funcs, times, strict=True):
            gc.collect()
            started = time.perf_counter()
            func()
            bucket.append(time.perf_counter() - started)
    return [statistics.median(bucket) for bucket in times]


BASELINES: dict[str, Callable[[Path], object]] = {
    "docx": lambda path: docx.Document(str(path)),
    "text": lambda path: path.read_text(encoding="utf-8"),
    "xlsx": lambda path: openpyxl.load_workbook(str(path)),
}
READERS: dict[str, Callable[[Path], object]] = {
    "docx": read_docx,
    "text": read_tika,
    "xlsx": read_xlsx,
}


def inputs(workdir: Path, quick: bool) -> list[tuple[str, str, Path]]:
    """(label, kind, path) for every input; the large plan is generated into *workdir*."""
    found: list[tuple[str, str, Path]] = []
    if SEEDS.is_dir():
        for name in SEED_FILES:
            found.append((f"seed {name[:3]}", "text", SEEDS / name))
            as_docx = write_document_docx(read_tika(SEEDS / name), workdir / f"{name[:3]}.docx")
            found.append((f"seed {name[:3]} as .docx", "docx", as_docx))
    else:
        print(f"(seed plans not found at {SEEDS}; measuring the generated plan only)")
    n_indicators, n_projects = (200, 100) if quick else (2000, 1000)
    label = f"large {n_indicators}+{n_projects}"
    outline = large_outline(n_indicators, n_projects)
    started = time.perf_counter()
    docx_path = write_plan_docx(workdir / "large.docx", outline)
    text_path = workdir / "large.txt"
    text_path.write_text(plan_text_twin(outline), encoding="utf-8")
    xlsx_path = write_plan_xlsx(workdir / "large.xlsx", outline)
    print(f"(generated the large plan in {time.perf_counter() - started:.1f} s)")
    found += [
        (f"{label} .docx", "docx", docx_path),
        (f"{label} text", "text", text_path),
        (f"{label} .xlsx", "xlsx", xlsx_path),
    ]
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small generated plan, 3 runs")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (median)")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    load_plan = _load_plan()
    header = (
        f"{'input':<24}{'MB':>7}{'base s':>9}{'read s':>9}{'read s/MB':>11}"
        f"{'read/base':>11}{'plan s':>9}{'plan s/MB':>11}{'plan/base':>11}"
    )
    with tempfile.TemporaryDirectory(prefix="ecociv-bench-ingest-") as tmp:
        items = inputs(Path(tmp), args.quick)
        print(f"median of {runs} runs each\n{header}\n{'-' * len(header)}")
        for label, kind, path in items:
            megabytes = path.stat().st_size / 1e6
            funcs = [
                lambda p=path, k=kind: BASELINES[k](p),
                lambda p=path, k=kind: READERS[k](p),
            ]
            if load_plan is not None:
                funcs.append(lambda p=path: load_plan(p))
            base, read, *plan = interleaved_medians(funcs, runs)
            line = (
                f"{label:<24}{megabytes:>7.2f}{base:>9.3f}{read:>9.3f}{read / megabytes:>11.3f}"
                f"{read / base:>11.1f}"
            )
            if plan:
                line += f"{plan[0]:>9.3f}{plan[0] / megabytes:>11.3f}{plan[0] / base:>11.1f}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
