"""The fixed, seeded fuzz corpus: 300 hostile inputs, each in a limited child process.

Seed 11, cases 0–299 (``python tests/fuzz/run.py --seed 11 --cases 300`` runs the same set
outside pytest, and ``--cases 5000`` many more).  Every case must end ``ok`` or ``refused``
— exit 0, or exit 2 with one ``ecociv: …`` line — within 60 s and 3 GiB of address space:
no traceback, no hang, no crash.
"""

from __future__ import annotations

from collections import Counter

import pytest
from bounded import FAILURES, Limits
from run import run_corpus

SEED = 11
CASES = 300


@pytest.mark.slow
def test_the_seeded_corpus_ends_cleanly_every_time(tmp_path):
    results = run_corpus(SEED, CASES, tmp_path, Limits(seconds=60, memory_mb=3072))
    verdicts = Counter(outcome.verdict for _, outcome in results)
    failures = [
        f"{case.name}: {outcome.verdict}: {outcome.stderr.strip()[-400:]}"
        for case, outcome in results
        if outcome.verdict in FAILURES
    ]
    assert not failures, "\n".join(failures)
    assert sum(verdicts.values()) == CASES
    # the corpus is hostile: most inputs are refused, but healthy-enough ones are read
    assert verdicts["refused"] > CASES // 4 and verdicts["ok"] > CASES // 10, verdicts
