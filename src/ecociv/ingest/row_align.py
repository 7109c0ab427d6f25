"""Line up a row that has fewer cells than the header, by what its cells say.

A Tika text export prints a cell merged across columns once, so the row comes out short and
nothing says which cell was the wide one.  Matching the cells left to right would shift
every cell after the merge into the wrong column (a target read as a unit, 约束性 read as a
baseline).  Instead each cell is placed where its content fits the column's role
(:func:`fit`): a 序号 holds a number, 单位 a unit, 指标属性 约束性/预期性, a value column a
figure or requirement, a verdict column an answer.  Of the ways to let cells cover more than
one column, the best fitting is taken; on a tie, the wide cell is the rightmost.  The wide
cell's text goes to the first column it covers; the others get an empty cell, as a real
merge in .docx gives them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import pairwise

from ecociv.ingest.column_content import is_answer, is_value
from ecociv.ingest.document import DocCell
from ecociv.ingest.findings import Findings
from ecociv.model import Cell, Column

_SEQ = re.compile(r"^\d{1,3}(?:[.．]\d{1,2})?$|^[（(]?[一二三四五六七八九十]+[)）、]?$")
_ATTRIBUTE = re.compile(r"^(?:约束性|预期性|参考性|引导性|约束|预期|参考)指?标?$")
_UNIT = re.compile(
    r"^(?:%|％|‰|[万亿]?元.*|[万千]?[吨个项处座家条套台辆]|天|年|次|小时|公里|千米|米|平方[米公]"
    r"|平方公里|公顷|亩|㎡|㎞|m²|km²|km2|m2|mg/.*|μg/.*|ug/.*|µg/.*|m3|m³|分|级|类|人|户|[-—/]+|无量纲|—)"
)


def looks_like_unit(text: str) -> bool:
    """A short text that reads as a unit (%, 万元, μg/m3, 平方米/人 …)."""
    return len(text) <= 10 and _UNIT.match(text) is not None


def fit(text: str, role: str) -> float:
    """How well *text* fits a column of *role* (higher is better; an empty cell fits all)."""
    cell = text.strip()
    if not cell:
        return 0.0
    if role == "seq":
        return 2.0 if _SEQ.match(cell) else -2.0
    if role == "attribute":
        return 3.0 if _ATTRIBUTE.match(cell) else -2.0
    if role == "unit":
        return 1.5 if looks_like_unit(cell) else -1.5
    if role == "verdict":
        return 2.0 if is_answer(cell) else -1.0
    if role in ("baseline", "target", "value", "standard"):
        if _ATTRIBUTE.match(cell):
            return -3.0
        if is_answer(cell):
            return -2.0
        return 1.0 if is_value(cell) else 0.0
    if role == "name":
        if _SEQ.match(cell) or _ATTRIBUTE.match(cell):
            return -2.0
        return 1.0 if re.search(r"[\u4e00-\u9fff]{2}", cell) else -0.5
    return 0.0


def align(texts: Sequence[str], columns: Sequence[Column]) -> list[int]:
    """For each column, the index of the row cell that covers it (``len(texts) < len(columns)``)."""
    roles = tuple(c.role for c in columns)
    cells = tuple(texts)
    n, m = len(cells), len(roles)

    @cache
    def best(i: int, j: int) -> tuple[float, tuple[int, ...]] | None:
        if i == n:
            return (0.0, ()) if j == m else None
        found: tuple[float, tuple[int, ...]] | None = None
        for end in range(j + 1, m - (n - i - 1) + 1):
            rest = best(i + 1, end)
            if rest is None:
                continue
            covered = roles[j:end]
            score = fit(cells[i], covered[0]) + rest[0]
            score -= 0.5 * sum(1 for a, b in pairwise(covered) if a != b)
            if found is None or score > found[0]:
                found = (score, (end - j, *rest[1]))
        return found

    result = best(0, 0)
    widths = result[1] if result is not None else (1,) * (n - 1) + (m - n + 1,)
    return [cell for cell, width in enumerate(widths) for _ in range(width)]


def cells_by_column(
    row: list[DocCell], columns: Sequence[Column], findings: Findings, r: int
) -> dict[str, Cell]:
    """The row's cells by column key: a short row lined up by content, extra cells kept as
    ``extra_<n>``; both reported as ``row_length``."""
    width = len(columns)
    if len(row) < width:
        owners = align([cell.text for cell in row], columns)
        placed = [
            (column, row[owner] if n == 0 or owners[n - 1] != owner else None)
            for n, (column, owner) in enumerate(zip(columns, owners, strict=True))
        ]
        wide = [c.header.replace("\n", "") for c, cell in placed if cell is None]
        findings.add(
            "row_length",
            "warning",
            f"该行有 {len(row)} 个单元格，表头有 {width} 列；按内容对齐，"
            f"合并单元格覆盖的列：{'、'.join(wide)}",
            f"the row has {len(row)} cells and the header {width} columns; lined up by "
            f"content, columns covered by a merged cell: {', '.join(wide)}",
            row=r,
            where=row[0].where,
        )
        return {
            column.key: Cell(text=cell.text if cell else "", where=(cell or row[owner]).where)
            for (column, cell), owner in zip(placed, owners, strict=True)
        }
    if len(row) > width:
        findings.add(
            "row_length",
            "warning",
            f"该行有 {len(row)} 个单元格，表头有 {width} 列；多出的单元格另存为 extra_…",
            f"the row has {len(row)} cells and the header {width} columns; the extra cells "
            "are kept as extra_…",
            row=r,
            where=row[0].where,
        )
    cells: dict[str, Cell] = {}
    for c, doc_cell in enumerate(row):
        key = columns[c].key if c < width else f"extra_{c}"
        cells[key] = Cell(text=doc_cell.text, where=doc_cell.where)
    return cells
