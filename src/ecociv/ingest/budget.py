"""The grid positions a reader may allocate for one document (单元格预算).

A table's grid is allocated from *declared* sizes — ``w:tblGrid``, ``w:gridSpan``,
``w:gridBefore``/``w:gridAfter`` in Word, the bounding box of the cells and the merged
ranges in Excel — and a few bytes can declare billions of positions.  Every reader asks the
document's :class:`CellBudget` for a table's positions *before* allocating them; the budget
is :func:`ecociv.ingest.limits.max_cells`, the same limit that bounds the cells counted in
the file, so a document costs at most that many positions however its sizes are declared.
"""

from __future__ import annotations

from ecociv.errors import InputError


class CellBudget:
    """Grid positions left for one document; :meth:`take` refuses a table past the limit."""

    def __init__(self, limit: int, env: str, file: str) -> None:
        self.limit = limit
        self.env = env
        self.file = file
        self.used = 0

    def take(self, rows: int, cols: int, *, table_zh: str, table_en: str, declared: str) -> None:
        """Reserve *rows* × *cols* positions for the table named *table_zh*/*table_en*.

        *declared* names where the sizes come from (``w:gridSpan`` …), for the message.
        """
        wanted = rows * cols
        if self.used + wanted <= self.limit:
            self.used += wanted
            return
        raise InputError(
            f"{table_zh}声明的网格为 {rows:,} 行 × {cols:,} 列（来自 {declared}），"
            f"连同前面的表格共 {self.used + wanted:,} 个单元格位置，超过上限 {self.limit:,}；"
            f"文件可能已损坏或被恶意构造，如确为正常文件可设置环境变量 {self.env} 提高上限",
            f"{table_en} declares a grid of {rows:,} rows × {cols:,} columns (from {declared}), "
            f"{self.used + wanted:,} cell positions with the tables before it, over the limit of "
            f"{self.limit:,}; the file may be damaged or crafted; if it is genuine, raise the "
            f"limit with {self.env}",
            where=self.file,
        )
