"""Rows of an indicator or review table: fill-down, sub-items, qualifiers, flags.

* Group cells (领域, 任务) are merged down the table; an empty group cell takes the value
  above it.  A group cell that repeats the current group (a page break re-printed it) stays
  in the same group, with an ``info`` diagnostic.  Group text broken over lines — even one
  character a line (``生\\n态\\n制\\n度``) — is one value.
* Sub-items come from the name cell (:mod:`ecociv.ingest.subitems`); every other cell is
  shared out among them or, when it cannot be, kept whole with a diagnostic.
* Rows written under an indicator with an empty 序号 are its sub-items (``subitem_row``),
  when the table numbers its indicators (its first indicator has a 序号); a cell they leave
  empty (a cell merged down over them) is the parent's, shared by all.
  A row with neither 序号 nor name continues the indicator above (an indicator written over
  several rows): its cells are added to that indicator's cells, line by line.
* A header row repeated inside the table (reprinted after a page break) is left out
  (``header_repeat``).  A row with fewer cells than the header is lined up by content
  (:mod:`ecociv.ingest.row_align`), never shifted; both are reported (``row_length``).
* A row is *not applicable* when all its baseline and target cells say so (``-``, ``/``, ``—``).
* A value that ends in a digit which the table's notes use as a footnote mark (``8.481``
  with ``注：1该指标为2018年数据``), or that starts with a stray digit (``2 298.95``), is
  flagged and kept verbatim, never read as a different number.
"""

from __future__ import annotations

import re

from ecociv.ingest.document import DocCell, DocTable
from ecociv.ingest.findings import Findings
from ecociv.ingest.header_rows import header_keys, report_header_repeat, row_key
from ecociv.ingest.row_align import cells_by_column, looks_like_unit
from ecociv.ingest.subitems import Piece, analyse_name, join_lines, split_for_items
from ecociv.model import Cell, Column, Diagnostic, IndicatorRow

NOT_APPLICABLE_MARKS = frozenset({"-", "--", "—", "——", "/", "／", "－", "―", "-- --", "\\"})
_VALUE_ROLES = ("baseline", "target", "value")
_SHARED_ROLES = ("unit", "standard", "baseline", "target", "value", "verdict", "note", "other")
_NOTE_FOOTNOTE = re.compile(r"(?:^|[：:\s])(\d)(?=[\u4e00-\u9fff])")
_MANY_DECIMALS = re.compile(r"^\d+\.\d{3,}$")
_LEADING_DIGIT = re.compile(r"^(\d)\s+(\d[\d.]*)$")
_MARKER_LEGEND = re.compile(r"(\*{1,2})[^*]{0,12}?(国家|省)")
_LONE_NUMBER = re.compile(r"^[\d.．、]+$")
_UNIT_IN_NAME = re.compile(r"[（(]([^（()）]{1,6})[）)]$")


def marker_scopes(notes: list[str]) -> dict[str, str]:
    """What ``*`` and ``**`` mean, from the table's legend (标*的为国家…，标**的为省级…).

    Without a legend, ``*`` marks a national-only and ``**`` a provincial-only indicator.
    """
    scopes = {"*": "national", "**": "provincial"}
    for note in notes:
        for match in _MARKER_LEGEND.finditer(note):
            scopes[match.group(1)] = "national" if match.group(2) == "国家" else "provincial"
    return scopes


def footnote_digits(notes: list[str]) -> dict[str, str]:
    """Footnote marks that the notes under a table define (``1该指标为…`` → ``{"1": note}``)."""
    marks: dict[str, str] = {}
    for note in notes:
        for match in _NOTE_FOOTNOTE.finditer(note):
            marks.setdefault(match.group(1), note)
    return marks


def group_text(text: str) -> str:
    """One value from a group cell written over several lines."""
    return "".join(line.strip() for line in text.split("\n"))


def is_spanning_row(row: list[DocCell], width: int) -> bool:
    """One filled cell across the row: a short text row, a .docx horizontal merge, or a
    title in the first cell of a row of three or more whose other cells are empty (a merge
    the export lost); a lone 序号 number is not one."""
    filled = [c for c in row if c.text.strip() and not c.is_merge_continuation]
    if len(filled) != 1:
        return False
    rest = [c for c in row if c is not filled[0]]
    if len(row) < width or (bool(rest) and all(c.is_merge_continuation for c in rest)):
        return True
    first = filled[0] is row[0] and len(row) >= 3
    return first and not _LONE_NUMBER.match(filled[0].text.strip())


def is_not_applicable(text: str) -> bool:
    return text.strip() in NOT_APPLICABLE_MARKS


def build_indicator_rows(
    table: DocTable,
    header_rows: int,
    columns: list[Column],
    table_index: int,
) -> tuple[list[IndicatorRow], list[Diagnostic]]:
    """Assemble the indicator rows of *table* below its *header_rows*."""
    builder = _Builder(table, columns, table_index)
    builder.header_rows = header_keys(table, header_rows)
    for r, row in enumerate(table.rows[header_rows:], start=header_rows):
        builder.add(r, row)
    return builder.rows, builder.findings.items


class _Builder:
    def __init__(self, table: DocTable, columns: list[Column], table_index: int) -> None:
        self.columns = columns
        self.by_role = {c.role: c for c in reversed(columns)}
        self.footnotes = footnote_digits(table.notes)
        self.marker_scopes = marker_scopes(table.notes)
        self.groups: dict[str, str] = {}
        self.rows: list[IndicatorRow] = []
        self.findings = Findings(table_index)
        self.header_rows: set[tuple[str, ...]] = set()
        self.numbered = "seq" in self.by_role and any(
            row[self.by_role["seq"].index].text.strip()
            for row in table.rows
            if len(row) > self.by_role["seq"].index
        )

    # ------------------------------------------------------------------ rows

    def add(self, r: int, row: list[DocCell]) -> None:
        texts = [cell.text for cell in row]
        filled = [t for t in texts if t.strip()]
        if not filled:
            return
        if row_key(row) in self.header_rows:
            report_header_repeat(self.findings, r, row)
            return
        if is_spanning_row(row, len(self.columns)):
            self._group_row(r, row, filled[0])
            return
        cells = cells_by_column(row, self.columns, self.findings, r)
        self._fill_groups(r, cells)
        seq, name = self._text(cells, "seq").strip(), self._text(cells, "name").strip()
        if not self.rows and not seq:
            self.numbered = False  # the first indicator has no 序号: the table numbers none
        if self.rows and not seq and not name:
            self._continue_row(r, cells)
            return
        if self.rows and not seq and self.numbered:
            self._subitem_row(r, cells)
            return
        self.rows.append(self._indicator(r, cells))

    def _subitem_row(self, r: int, cells: dict[str, Cell]) -> None:
        """A row under an indicator with an empty 序号: one of its sub-items."""
        parent = self.rows[-1]
        name_key = self.by_role["name"].key
        for key, cell in cells.items():
            if not cell.text.strip() and key in parent.cells and key != name_key:
                cells[key] = parent.cells[key]
        parts = analyse_name(cells[name_key].text)
        unit = join_lines(self._text(cells, "unit")) or None
        parent.subitems.append(
            IndicatorRow(
                seq=f"{parent.seq}.{len(parent.subitems) + 1}" if parent.seq else None,
                domain=parent.domain,
                task=parent.task,
                name=parts.title,
                unit=unit,
                attribute=self._text(cells, "attribute").strip() or parent.attribute,
                marker=parts.marker or parent.marker,
                region_class=parts.region_class,
                applicable=self._applicable(cells),
                cells=cells,
            )
        )
        parent.unit = parent.unit or None
        self._flag_footnotes(r, cells)
        self.findings.add(
            "subitem_row",
            "info",
            f"序号为空的行读作上一指标（{parent.seq or parent.name}）的分项",
            f"a row with an empty 序号 is read as a sub-item of the indicator above "
            f"({parent.seq or parent.name})",
            row=r,
            column=name_key,
            where=cells[name_key].where,
            text=parts.title,
        )

    def _continue_row(self, r: int, cells: dict[str, Cell]) -> None:
        """A row with neither 序号 nor name: more lines of the indicator above."""
        target = self.rows[-1].subitems[-1] if self.rows[-1].subitems else self.rows[-1]
        added = [
            (key, cell)
            for key, cell in cells.items()
            if cell.text.strip() and self._role_of(key) not in ("domain", "task")
        ]
        if not added:
            return  # only a group cell: the group changed, nothing to add
        for key, cell in added:
            before = target.cells.get(key)
            if before is None or not before.text.strip():
                target.cells[key] = cell
                continue
            where = before.where
            if where is not None and cell.where is not None and cell.where.line_end is not None:
                where = where.model_copy(update={"line_end": cell.where.line_end})
            target.cells[key] = Cell(text=f"{before.text}\n{cell.text}", where=where)
        target.applicable = self._applicable(target.cells)
        self.findings.add(
            "row_continued",
            "info",
            "序号和名称为空的行读作上一指标的续行，单元格内容并入上一行",
            "a row with neither 序号 nor name continues the indicator above; its cells are "
            "added to that indicator's cells",
            row=r,
            where=next(iter(cells.values())).where,
        )

    def _role_of(self, key: str) -> str | None:
        return next((c.role for c in self.columns if c.key == key), None)

    def _group_row(self, r: int, row: list[DocCell], text: str) -> None:
        self.groups = {"domain": group_text(text)}
        self.findings.add(
            "group_row",
            "info",
            "整行合并的单元格作为分组（领域）读入后续各行",
            "a row-wide merged cell is read as the group (domain) of the rows below",
            row=r,
            where=row[0].where,
            text=text,
        )

    def _fill_groups(self, r: int, cells: dict[str, Cell]) -> None:
        for role in ("domain", "task"):
            column = self.by_role.get(role)
            if column is None or column.key not in cells:
                continue
            value = group_text(cells[column.key].text)
            if not value:
                continue
            if value == self.groups.get(role):
                self.findings.add(
                    "group_repeat",
                    "info",
                    "分组单元格重复出现（跨页重印），仍属同一分组",
                    "the group cell is repeated (reprinted after a page break); same group",
                    row=r,
                    column=column.key,
                    where=cells[column.key].where,
                    text=value,
                )
                continue
            self.groups[role] = value
            if role == "domain":
                self.groups.pop("task", None)

    # ------------------------------------------------------------- indicator

    def _text(self, cells: dict[str, Cell], role: str) -> str:
        column = self.by_role.get(role)
        cell = cells.get(column.key) if column else None
        return cell.text if cell else ""

    def _indicator(self, r: int, cells: dict[str, Cell]) -> IndicatorRow:
        parts = analyse_name(self._text(cells, "name"))
        unit = join_lines(self._text(cells, "unit")) or None
        name = parts.title
        if "unit" not in self.by_role:
            match = _UNIT_IN_NAME.search(name)
            if match and looks_like_unit(match.group(1)):
                unit, name = match.group(1), name[: match.start()].strip()
        attribute = self._text(cells, "attribute").strip() or None
        row = IndicatorRow(
            seq=self._text(cells, "seq").strip() or None,
            domain=self.groups.get("domain"),
            task=self.groups.get("task"),
            name=name,
            unit=unit,
            attribute=attribute,
            marker=parts.marker,
            scope_names={
                self.marker_scopes.get(marker, marker): scoped
                for marker, scoped in parts.names_by_marker.items()
            },
            region_class=parts.region_class,
            applicable=self._applicable(cells),
            cells=cells,
        )
        self._flag_footnotes(r, cells)
        if parts.items:
            row.subitems = self._subitems(r, row, parts.items)
            row.unit = _common_unit(row.subitems)
        return row

    def _applicable(self, cells: dict[str, Cell]) -> bool:
        value_keys = [c.key for c in self.columns if c.role in _VALUE_ROLES]
        texts = [cells[k].text for k in value_keys if k in cells]
        return not (texts and all(is_not_applicable(t) for t in texts))

    def _subitems(self, r: int, parent: IndicatorRow, items: list[Piece]) -> list[IndicatorRow]:
        count = len(items)
        shares: dict[str, list[Piece] | None] = {}
        for column in self.columns:
            if column.role not in _SHARED_ROLES or column.key not in parent.cells:
                continue
            pieces = split_for_items(parent.cells[column.key].text, count)
            if pieces is None:
                self.findings.add(
                    "subitem_unaligned",
                    "warning",
                    f"该单元格的行数与 {count} 个分项对不上，各分项保留整格原文",
                    f"the cell's lines do not line up with the {count} sub-items; "
                    "each sub-item keeps the whole cell",
                    row=r,
                    column=column.key,
                    where=parent.cells[column.key].where,
                    text=parent.cells[column.key].text,
                )
            shares[column.key] = pieces
        name_cell = parent.cells.get(self.by_role["name"].key)
        subitems = []
        for n, item in enumerate(items):
            cells: dict[str, Cell] = {}
            if name_cell is not None:
                cells[self.by_role["name"].key] = _slice(name_cell, item)
            for key, pieces in shares.items():
                source = parent.cells[key]
                cells[key] = _slice(source, pieces[n]) if pieces else source
            unit_column = self.by_role.get("unit")
            unit_text = ""
            if unit_column is not None and shares.get(unit_column.key) is not None:
                unit_text = join_lines(cells[unit_column.key].text)
            subitems.append(
                IndicatorRow(
                    seq=f"{parent.seq}.{n + 1}" if parent.seq else str(n + 1),
                    domain=parent.domain,
                    task=parent.task,
                    name=item.text,
                    unit=unit_text or None,
                    attribute=parent.attribute,
                    marker=parent.marker,
                    region_class=parent.region_class,
                    applicable=self._applicable(cells) and parent.applicable,
                    cells=cells,
                )
            )
        return subitems

    def _flag_footnotes(self, r: int, cells: dict[str, Cell]) -> None:
        for column in self.columns:
            if column.role not in _VALUE_ROLES or column.key not in cells:
                continue
            cell = cells[column.key]
            for line in cell.text.split("\n"):
                text = line.strip()
                if _MANY_DECIMALS.match(text) and text[-1] in self.footnotes:
                    self.findings.add(
                        "footnote_fused",
                        "warning",
                        f"数值 {text} 末位 {text[-1]} 可能是脚注标记（{self.footnotes[text[-1]]}），"
                        f"可能的数值为 {text[:-1]}，请人工核对",
                        f"the last digit {text[-1]} of {text} may be a footnote mark; "
                        f"the value may be {text[:-1]}; check by hand",
                        row=r,
                        column=column.key,
                        where=cell.where,
                        text=text,
                    )
                elif match := _LEADING_DIGIT.match(text):
                    self.findings.add(
                        "leading_digit",
                        "warning",
                        f"数值前的 {match.group(1)} 可能是脚注或序号，数值可能为 {match.group(2)}",
                        f"the {match.group(1)} before the value may be a footnote or item "
                        f"number; the value may be {match.group(2)}",
                        row=r,
                        column=column.key,
                        where=cell.where,
                        text=text,
                    )


def _slice(cell: Cell, piece: Piece) -> Cell:
    """The part of *cell* that belongs to one sub-item, with its own line span in text input."""
    where = cell.where
    if where is not None and where.line_start is not None:
        where = where.model_copy(
            update={
                "line_start": where.line_start + piece.first,
                "line_end": where.line_start + piece.last,
            }
        )
    return Cell(text=piece.text, where=where)


def _common_unit(subitems: list[IndicatorRow]) -> str | None:
    units = {item.unit for item in subitems}
    return units.pop() if len(units) == 1 else None
