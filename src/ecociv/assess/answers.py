"""Stated verdict answers (是/否, √/×, 已完成/未完成 …), read from ``data/verdict_answers.yaml``.

A plan's 是否达标 or 完成情况 cell answers a question in a small vocabulary.  The vocabulary
is data; this module only loads it and reads a cell: a whole-cell answer, or an answer
followed by a punctuation mark and an explanation (``否，差2.1个百分点``).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

from ecociv.model import VerdictStatus

_TAIL = re.compile(r"[，,。；;：:（(\s]")


@cache
def answers() -> dict[str, VerdictStatus]:
    """Answer word → the status it states."""
    text = resources.files("ecociv.assess").joinpath("data/verdict_answers.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    table = {word: VerdictStatus.MET for word in raw["met"]}
    table.update({word: VerdictStatus.NOT_MET for word in raw["not_met"]})
    return table


def answer_status(text: str) -> VerdictStatus | None:
    """The status a verdict cell states in answer words, or None when it is not one."""
    cell = text.strip()
    status = answers().get(cell)
    if status is not None:
        return status
    head = _TAIL.split(cell, maxsplit=1)[0]
    return answers().get(head) if head != cell else None
