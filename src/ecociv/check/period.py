"""The years a plan covers, as the rules judge them: the period of its metadata, widened to
the far years (远期, 远景, 展望) its text names, so that a 2030 or 2035 horizon is inside."""

from __future__ import annotations

import re

from ecociv.check.data import vocab
from ecociv.check.view import CheckInput

_YEAR = re.compile(r"(20\d\d)\s*年")


def plan_period(data: CheckInput) -> tuple[int, int] | None:
    """(first, last) year, or None when the plan does not say its period."""
    meta = data.plan.metadata
    if meta.period_start is None or meta.period_end is None:
        return None
    far = vocab()["targets"]["far_words"]
    named = [
        int(year)
        for line in data.prose
        if any(word in line.text for word in far)
        for year in _YEAR.findall(line.text)
    ]
    return meta.period_start, max([meta.period_end, *named])
