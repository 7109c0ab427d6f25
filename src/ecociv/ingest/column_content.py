"""What a column's cells say, whatever its header says.

A column whose cells are mostly answers (是/否, √/×, 已完成/未完成, 达标/未达标, 基本完成:
``ecociv.assess.answers``) states verdicts — under a header that names values (现状值, a
cell of which may well read 达标), only when nearly all of them answer; a column whose cells are mostly values (figures,
grades, requirements such as ``≥90`` or ``持续提高``, 暂无数据) holds values, even when its
header says 完成情况.  Not-applicable marks (``-``, ``/``) and empty cells count for neither.
A cell with sub-item lines (``①是\\n②否``) is an answer when each of its lines is one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ecociv.assess.answers import answer_status

_NOT_APPLICABLE = frozenset({"-", "--", "—", "——", "/", "／", "－", "―", "\\", "×/", "无"})
_ITEM_MARK = re.compile(r"^\s*(?:[①-⑳]|\d{1,2}[、.．)）]|\d{1,2}\s)\s*")
_VALUE = re.compile(
    r"^(?:[≥≤<>＞＜=≧≦]|不低于|不高于|不超过|不少于|大于|小于|达到|控制在|约)?\s*[-+]?\d"
    r"|^(?:[ⅠⅡⅢⅣⅤⅥI-V]{1,4}类?|劣[ⅤV]类?)$"
    r"|暂无|无数据|未统计|未开展|待测算|待定|持续|稳定|逐步|不降低|不下降|上升|下降|提高|改善"
    r"|下达|考核|建立|编制|开展|实施|创建|完成上级|100%|\d+(?:\.\d+)?\s*%"
)
VERDICT_SHARE = 0.6
OVERRULE_SHARE = 0.8
VALUE_SHARE = 0.6


@dataclass(frozen=True)
class ContentEvidence:
    """How many of a column's cells (not-applicable marks left out) answer, and how many are values."""

    cells: int
    answers: int
    values: int

    @property
    def states_verdicts(self) -> bool:
        """Mostly answers: at least two (or the only cell), at least 60 % of the cells."""
        enough = self.answers >= 2 or (self.cells == 1 and self.answers == 1)
        return enough and self.answers >= VERDICT_SHARE * self.cells

    @property
    def overrules_a_value_header(self) -> bool:
        """Answers enough to overrule a header that names values: three or more, 80 %."""
        return self.answers >= 3 and self.answers >= OVERRULE_SHARE * self.cells

    @property
    def holds_values(self) -> bool:
        """Mostly values, and at most one answer in five cells."""
        return (
            self.cells > 0
            and self.values >= VALUE_SHARE * self.cells
            and self.answers <= 0.2 * self.cells
        )


def is_answer(text: str) -> bool:
    """A stated verdict in answer words; each sub-item line of the cell is one."""
    lines = [_ITEM_MARK.sub("", line).strip() for line in text.split("\n") if line.strip()]
    return bool(lines) and all(answer_status(line) is not None for line in lines)


def is_value(text: str) -> bool:
    """A figure, grade, requirement or no-data word (first sub-item line decides)."""
    lines = [_ITEM_MARK.sub("", line).strip() for line in text.split("\n") if line.strip()]
    return bool(lines) and _VALUE.search(lines[0]) is not None


def column_evidence(texts: Sequence[str]) -> ContentEvidence:
    """Count the answers and values among *texts*, the cells of one column below its header."""
    cells = answers = values = 0
    for text in texts:
        cell = text.strip()
        if not cell or cell in _NOT_APPLICABLE:
            continue
        cells += 1
        if is_answer(cell):
            answers += 1
        elif is_value(cell):
            values += 1
    return ContentEvidence(cells, answers, values)
