"""Cross-check of our HJ 633-2012 IAQI against python-aqi's MEP algorithm (PyPI python-aqi).

100,000 random concentrations (fixed seed) over the ten MEP columns.  Every disagreement is
classified by the clause it breaks, by finding the smallest set of known python-aqi deviations
(MONITORING.md §5.1) that, applied to our exact algorithm, reproduces their number:

* ``T`` — theirs truncates the concentration to an integer (HJ 633-2012 formula (1) takes C_P
  as measured; CO in mg/m³ loses its decimal);
* ``H`` — theirs rounds the IAQI half to even, HJ 633-2012 §6.2 rounds up (进位取整);
* ``G`` — theirs uses EPA-style gapped segments (36–75 ↔ 51–100); HJ 633-2012 Table 1
  breakpoints are shared, formula (1) is continuous;
* ``over_800`` — theirs lacks Table 1 notes 2–3 (SO2 1 h / O3 8 h > 800) and raises;
* ``above_table`` — above the last breakpoint the standard is silent: ours 500 (our choice,
  ``beyond_table`` in the rule file), theirs raises.

When several smallest sets reproduce their number, the class lists them all (``H|G``).  The
test fails on any disagreement no class explains.  Run this file as a script to print the
summary that docs/monitoring-air.md quotes; a test keeps the two in step.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import Counter
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from ecociv.monitor.iaqi import iaqi
from ecociv.monitor.rules import load_rules

aqi_lib = pytest.importorskip("aqi")

R12 = load_rules("2012")
SEED = 20120229
N = 100_000
MEP_COLUMNS = {
    "so2_24h": "so2_24h",
    "so2_1h": "so2_1h",
    "no2_24h": "no2_24h",
    "no2_1h": "no2_1h",
    "pm10": "pm10_24h",
    "co_24h": "co_24h",
    "co_1h": "co_1h",
    "o3_1h": "o3_1h",
    "o3_8h": "o3_8h",
    "pm25": "pm25_24h",
}
DEVIATIONS = ("T", "H", "G")
DOC = Path(__file__).resolve().parents[2] / "docs" / "monitoring-air.md"


def _draws():
    rng = random.Random(SEED)
    columns = list(MEP_COLUMNS)
    for _ in range(N):
        column = rng.choice(columns)
        top = float(R12.breakpoints[MEP_COLUMNS[column]].values[-1])
        high = top * 1.1 if rng.random() < 0.02 else top
        decimals = rng.choice([0, 1, 1, 2])
        yield column, f"{rng.uniform(0, high):.{decimals}f}"


def _theirs(column: str, c: str):
    try:
        return int(aqi_lib.to_iaqi(column, c, algo=aqi_lib.ALGO_MEP)), None
    except Exception as exc:  # their failures are part of what we classify
        return None, type(exc).__name__


def _variant(key: str, c: str, deviations: frozenset[str]) -> int | None:
    """Our algorithm with some python-aqi deviations applied; None where undefined."""
    table = R12.breakpoints[key]
    levels = R12.iaqi_levels.values
    x = Decimal(c)
    if "T" in deviations:
        x = x.quantize(Decimal("1."), rounding=ROUND_DOWN)
    for i in range(len(table.values) - 1):
        lo, hi = table.values[i], table.values[i + 1]
        ilo, ihi = levels[i], levels[i + 1]
        if "G" in deviations and i > 0:
            lo, ilo = lo + 1, ilo + 1
        if lo <= x <= hi:
            if "H" in deviations:  # their Decimal order of operations, then half-even
                value = Decimal(ihi - ilo) / (hi - lo) * (x - lo) + ilo
                return int(value.quantize(Decimal("1."), rounding=ROUND_HALF_EVEN))
            return ilo + math.ceil(Fraction(ihi - ilo) * Fraction(x - lo) / Fraction(hi - lo))
    return None


def classify(column: str, c: str, ours: int | None, theirs: int | None, error: str | None):
    """The class of a disagreement, or ``"unexplained"``."""
    key = MEP_COLUMNS[column]
    top = R12.breakpoints[key].values[-1]
    if error is not None:
        above = R12.breakpoints[key].above_top
        if Decimal(c) > top and above is not None and error == "TypeError":
            return "over_800"
        if Decimal(c) > top and above is None and error == "IndexError":
            return "above_table"
        return "unexplained"
    for size in range(1, len(DEVIATIONS) + 1):
        fits = [
            "+".join(subset)
            for subset in itertools.combinations(DEVIATIONS, size)
            if _variant(key, c, frozenset(subset)) == theirs
        ]
        if fits:  # every smallest explanation, e.g. "H|G" when either alone reproduces it
            return "|".join(fits)
    return "unexplained"


def crosscheck() -> tuple[int, Counter, list]:
    agree, classes, unexplained = 0, Counter(), []
    for column, c in _draws():
        key = MEP_COLUMNS[column]
        table = R12.breakpoints[key]
        ours = iaqi(table.pollutant, table.period, c, R12)
        theirs, error = _theirs(column, c)
        if error is None and ours == theirs:
            agree += 1
            continue
        cls = classify(column, c, ours, theirs, error)
        classes[cls] += 1
        if cls == "unexplained":
            unexplained.append((column, c, ours, theirs, error))
    return agree, classes, unexplained


def summary(agree: int, classes: Counter) -> str:
    lines = [f"agreement: {agree} of {N} ({100 * agree / N:.2f} %)"]
    lines += [f"{cls}: {count}" for cls, count in sorted(classes.items())]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def result():
    return crosscheck()


@pytest.mark.slow
def test_every_disagreement_with_python_aqi_is_explained(result):
    agree, classes, unexplained = result
    assert not unexplained, unexplained[:20]
    assert agree + sum(classes.values()) == N
    explained = {"over_800", "above_table"}
    for cls in classes:
        if cls not in explained:
            for alternative in cls.split("|"):
                assert set(alternative.split("+")) <= set(DEVIATIONS), cls


@pytest.mark.slow
def test_docs_quote_the_current_crosscheck(result):
    agree, classes, _ = result
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```text\n(agreement:.*?)```", text, re.S)
    assert block, "docs/monitoring-air.md lacks the cross-check summary block"
    assert block.group(1).strip() == summary(agree, classes)


def test_known_deviations_classify_as_documented():
    """MONITORING.md §5.1 examples."""
    cases = [
        ("pm25", "36", "H|G"),  # theirs 51, HJ 52: gapped segment, or half-even of 51.25
        ("pm25", "80", "H"),  # theirs 106 = half-even of 106.25; HJ ceil 107
        ("so2_24h", "155", "G"),  # theirs 102 (101 + 49·4/324, half-even); HJ 101
        ("co_24h", "2.5", "T"),  # theirs 50, HJ 63
        ("pm25", "35.5", "T"),  # theirs 50 (35), HJ 51
        ("o3_8h", "801", "over_800"),
        ("pm25", "501", "above_table"),
    ]
    for column, c, cls in cases:
        key = MEP_COLUMNS[column]
        table = R12.breakpoints[key]
        ours = iaqi(table.pollutant, table.period, c, R12)
        theirs, error = _theirs(column, c)
        assert classify(column, c, ours, theirs, error) == cls, (column, c, theirs, error)


if __name__ == "__main__":
    a, cl, un = crosscheck()
    print(summary(a, cl))
    print(f"unexplained: {len(un)}", un[:10])
