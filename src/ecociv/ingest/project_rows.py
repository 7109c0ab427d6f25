"""Rows of a key-project table (重点项目): categories, period, investment, units, total.

* Category columns (类别 / 分类, 项目类型) are merged down the table.  Some rows carry one
  cell more than the header — a finer sub-category that only part of the table uses; it is
  read as one more category level, placed after the header's category columns, and the
  remaining cells line up with the header from there.  A new value at one level clears the
  finer levels below it.
* A row that is one cell across the table (一、生态保护类) is a category above the category
  columns, for the rows below it.
* A header row reprinted inside the table (a page break) is left out (``header_repeat``).
* A row whose first cell is 合计 / 总计 states the table's total; the computed sum of the
  rows is set beside it and a difference is reported.
"""

from __future__ import annotations

import re

from ecociv.ingest.document import DocCell, DocTable
from ecociv.ingest.findings import Findings
from ecociv.ingest.header_rows import header_keys, report_header_repeat, row_key
from ecociv.ingest.indicator_rows import group_text, is_spanning_row
from ecociv.ingest.project_values import (
    header_money_unit,
    parse_investment,
    parse_period,
    split_lead_and_implementing,
    split_units,
    year_of,
)
from ecociv.model import Cell, Column, ProjectRow

_TOTAL = re.compile(r"^(?:合计|总计|共计|总投资合计)$")
_SUBTOTAL = re.compile(r"^小计$")
_GROUP_ROLES = ("category", "subcategory")


class ProjectTableRows:
    """The project rows of one table, its stated and computed totals, and diagnostics."""

    def __init__(self, table: DocTable, header_rows: int, columns: list[Column], index: int):
        self.columns = columns
        self.by_role = {c.role: c for c in reversed(columns)}
        self.index = index
        self.group_columns = [c for c in columns if c.role in _GROUP_ROLES]
        self.levels: list[str | None] = []
        self.spanning: str | None = None
        self.rows: list[ProjectRow] = []
        self.findings = Findings(index)
        self.stated_total: float | None = None
        self.header_keys = header_keys(table, header_rows)
        for r, row in enumerate(table.rows[header_rows:], start=header_rows):
            self._add(r, row)
        figures = [row.investment_wan_yuan for row in self.rows]
        known = [f for f in figures if f is not None]
        self.computed_total = round(sum(known), 2) if known else None
        self._check_total(table)

    # ------------------------------------------------------------------ rows

    def _add(self, r: int, row: list[DocCell]) -> None:
        texts = [cell.text.strip() for cell in row]
        filled = [t for t in texts if t]
        if not filled:
            return
        if row_key(row) in self.header_keys:
            report_header_repeat(self.findings, r, row)
            return
        if _TOTAL.match(filled[0]) or _SUBTOTAL.match(filled[0]):
            self._total_row(r, row, filled[0])
            return
        if is_spanning_row(row, len(self.columns)):
            self.spanning = group_text(filled[0])
            self.levels = []
            self.findings.add(
                "category_row",
                "info",
                "整行合并的单元格作为类别读入后续各行",
                "a row-wide merged cell is read as the category of the rows below",
                row=r,
                where=row[0].where,
                text=filled[0],
            )
            return
        mapped, extra = self._map(r, row)
        path = self._category_path(mapped, extra)
        self.rows.append(self._project(r, mapped, path))

    def _map(self, r: int, row: list[DocCell]) -> tuple[dict[str, Cell], list[Cell]]:
        """Cells by column key, and the extra sub-category cells of a longer row."""
        cells = [Cell(text=c.text, where=c.where) for c in row]
        surplus = len(cells) - len(self.columns)
        extra: list[Cell] = []
        if surplus > 0 and self.group_columns:
            after = max(c.index for c in self.group_columns) + 1
            extra = cells[after : after + surplus]
            cells = cells[:after] + cells[after + surplus :]
        elif surplus != 0:
            self.findings.add(
                "row_length",
                "warning",
                f"该行有 {len(row)} 个单元格，表头有 {len(self.columns)} 列，按从左到右对应",
                f"the row has {len(row)} cells and the header {len(self.columns)} columns; "
                "matched left to right",
                row=r,
                where=row[0].where,
            )
        mapped = {}
        for c, cell in enumerate(cells):
            key = self.columns[c].key if c < len(self.columns) else f"extra_{c}"
            mapped[key] = cell
        for n, cell in enumerate(extra, start=1):
            mapped[f"subcategory_extra_{n}"] = cell
        return mapped, extra

    def _category_path(self, mapped: dict[str, Cell], extra: list[Cell]) -> list[str]:
        values = [
            group_text(mapped[c.key].text) if c.key in mapped else "" for c in self.group_columns
        ]
        values += [group_text(cell.text) for cell in extra]
        while len(self.levels) < len(values):
            self.levels.append(None)
        for i, value in enumerate(values):
            if value and self.levels[i] != value:
                self.levels[i] = value
                self.levels[i + 1 :] = [None] * (len(self.levels) - i - 1)
        above = [self.spanning] if self.spanning else []
        return above + [level for level in self.levels[: len(values)] if level]

    def _text(self, mapped: dict[str, Cell], role: str) -> str:
        column = self.by_role.get(role)
        cell = mapped.get(column.key) if column else None
        return cell.text.strip() if cell else ""

    def _project(self, r: int, mapped: dict[str, Cell], path: list[str]) -> ProjectRow:
        project = ProjectRow(
            seq=self._text(mapped, "seq") or None,
            category=path[0] if path else None,
            subcategory=path[1] if len(path) > 1 else None,
            category_path=path,
            name=group_text(self._text(mapped, "name")),
            content=self._text(mapped, "content") or None,
            nature=self._text(mapped, "nature") or None,
            cells=mapped,
        )
        self._read_period(r, project, mapped)
        self._read_investment(r, project, mapped)
        self._read_units(project, mapped)
        return project

    def _read_period(self, r: int, project: ProjectRow, mapped: dict[str, Cell]) -> None:
        if "period" in self.by_role:
            project.period_text = self._text(mapped, "period") or None
            project.period_start, project.period_end = parse_period(project.period_text or "")
        else:
            project.period_start = year_of(self._text(mapped, "period_start"))
            project.period_end = year_of(self._text(mapped, "period_end"))
        start, end = project.period_start, project.period_end
        if start is not None and end is not None and end < start:
            column = self.by_role.get("period") or self.by_role.get("period_end")
            cell = mapped.get(column.key) if column else None
            self.findings.add(
                "period_reversed",
                "warning",
                f"实施年限的结束年 {end} 早于开始年 {start}，按原文保留，请核对",
                f"the period ends ({end}) before it starts ({start}); kept as written, check it",
                row=r,
                where=cell.where if cell else None,
                column=column.key if column else None,
                text=project.period_text,
            )

    def _read_investment(self, r: int, project: ProjectRow, mapped: dict[str, Cell]) -> None:
        column = self.by_role.get("investment")
        if column is None or column.key not in mapped:
            return
        text = mapped[column.key].text.strip()
        project.investment_text = text or None
        investment = parse_investment(text, header_money_unit(column.header))
        project.investment_wan_yuan = investment.wan_yuan
        project.investment_note = investment.note
        if not investment.understood:
            self.findings.add(
                "investment_unread",
                "warning",
                "投资额无法读成数字，按原文保留",
                "the investment cannot be read as a number; kept as written",
                row=r,
                where=mapped[column.key].where,
                column=column.key,
                text=text,
            )

    def _read_units(self, project: ProjectRow, mapped: dict[str, Cell]) -> None:
        lead_column = self.by_role.get("lead_units")
        if lead_column is not None:
            units = split_units(self._text(mapped, "lead_units"))
            if re.search(r"[（(][^）)]*实施", lead_column.header):
                for unit in units:
                    lead, implementing = split_lead_and_implementing(unit)
                    project.lead_units.append(lead)
                    project.implementing_units.extend(implementing)
            else:
                project.lead_units = units
        if "implementing_units" in self.by_role:
            project.implementing_units.extend(split_units(self._text(mapped, "implementing_units")))

    # ----------------------------------------------------------------- totals

    def _total_row(self, r: int, row: list[DocCell], label: str) -> None:
        investment_column = self.by_role.get("investment")
        unit = header_money_unit(investment_column.header) if investment_column else "万元"
        figures = [parse_investment(c.text, unit) for c in row[1:] if c.text.strip()]
        known = [f.wan_yuan for f in figures if f.wan_yuan is not None]
        value = known[-1] if known else None
        if _TOTAL.match(label):
            self.stated_total = value
        self.findings.add(
            "total_row" if _TOTAL.match(label) else "subtotal_row",
            "info",
            f"{label}行：{value} 万元",
            f"{label} row: {value} (10k yuan)",
            row=r,
            where=row[0].where,
            text=" | ".join(c.text for c in row),
        )

    def _check_total(self, table: DocTable) -> None:
        stated, computed = self.stated_total, self.computed_total
        if stated is None or computed is None or abs(stated - computed) < 0.005:
            return
        self.findings.add(
            "total_mismatch",
            "warning",
            f"表中合计 {stated} 万元与各项之和 {computed} 万元不一致",
            f"the stated total {stated} differs from the sum of the rows {computed} (10k yuan)",
            row=None,
            where=table.where,
        )
