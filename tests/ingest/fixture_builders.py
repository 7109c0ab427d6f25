"""Synthetic plan fixtures: one fictional plan written as .docx, as .xlsx and as Tika text.

The plan belongs to 青岚县, a county that does not exist; every name and number here was
made up for the tests.  The same table layout (:class:`TableSpec`) drives the three writers,
so a reader of each format must arrive at the same structure:

* ``write_plan_docx`` — python-docx, with real merges (``w:gridSpan``, ``w:vMerge``), a
  two-row header, cells of several paragraphs and line breaks, ①② sub-items;
* ``plan_text_twin`` — what Apache Tika prints for that .docx (a cell is a line starting with
  TAB, a horizontally merged cell is one cell, a vertically covered cell is an empty cell,
  a blank line ends a row);
* ``write_plan_xlsx`` — openpyxl, the tables on two sheets with merged ranges and numbers
  stored as numbers.

``write_large_docx`` builds a big plan of the same shape for the ingest benchmark;
``write_document_docx`` writes any Document (e.g. a seed read from its text export) back as
a .docx; ``without_locations`` strips source locations so plans read from different formats
can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import openpyxl
from docx.oxml import parse_xml

from ecociv.ingest.document import Document

REGION = "青岚县"
PLAN_TITLE = "青岚县生态文明建设规划（2021—2030年）"
INDICATOR_CAPTION = "表1 青岚县生态文明建设指标体系"
INDICATOR_NOTE = "注：带“*”的指标为本县自设指标。"
PROJECT_CAPTION = "表2 青岚县生态文明建设重点工程项目"

INDICATOR_HEADER = ["领域", "任务", "序号", "指标名称", "单位", "指标属性", "现状值\n（2020年）"]
TARGET_GROUP = "目标值"
TARGET_YEARS = ["2025年", "2030年"]

# (domain, task, [(seq, name, unit, attribute, baseline, target 2025, target 2030)])
INDICATOR_GROUPS: list[tuple[str, str, list[tuple[str, ...]]]] = [
    (
        "生态制度",
        "（一）目标责任体系与制度建设",
        [
            ("1", "生态文明建设规划", "-", "约束性", "制定实施", "制定实施", "制定实施"),
            ("2", "生态环境信息公开率", "%", "约束性", "100", "100", "100"),
        ],
    ),
    (
        "生态安全",
        "（二）生态环境质量改善",
        [
            (
                "3",
                "环境空气质量\n①优良天数比例\n②细颗粒物（PM2.5）浓度",
                "%\nμg/m3",
                "约束性",
                "①86.3\n②31",
                "①≥90\n②≤28",
                "①≥92\n②≤25",
            ),
            ("4", "地表水达到或好于Ⅲ类水体比例", "%", "约束性", "80", "≥85", "≥90"),
        ],
    ),
    (
        "生态安全",
        "（三）生态系统保护",
        [("5", "森林覆盖率", "%", "参考性", "41.2", "≥42", "≥43")],
    ),
    (
        "生态经济",
        "（四）资源节约与利用",
        [
            (
                "6",
                "单位地区生产总值能耗",
                "吨标准煤/万元",
                "约束性",
                "0.42",
                "完成上级下达任务",
                "完成上级下达任务",
            ),
            ("7", "单位地区生产总值用水量*", "立方米/万元", "参考性", "38.5", "≤35", "≤32"),
        ],
    ),
]

PROJECT_HEADER = [
    "类别",
    "序号",
    "项目名称",
    "建设内容",
    "建设性质",
    "建设期限",
    "总投资（万元）",
    "牵头单位",
]
# (category, [(seq, name, content, nature, period, investment, lead units)])
PROJECT_GROUPS: list[tuple[str, list[tuple[str, ...]]]] = [
    (
        "生态环境质量改善",
        [
            (
                "1",
                "青岚河流域水环境综合治理工程",
                "河道清淤12公里；\n新建生态护岸8公里",
                "新建",
                "2021-2025",
                "12000",
                "县水利局、各乡镇（街道、园区）",
            ),
            (
                "2",
                "城区雨污分流改造工程",
                "改造雨污分流管网35公里",
                "续建",
                "2021-2023",
                "8600",
                "县住建局",
            ),
        ],
    ),
    (
        "生态系统保护",
        [
            (
                "3",
                "云岭废弃矿山生态修复工程",
                "修复废弃矿山12处",
                "新建",
                "2022-2026",
                "4500",
                "县自然资源局",
            ),
            (
                "4",
                "生物多样性本底调查",
                "开展全县生物多样性本底调查",
                "新建",
                "2023",
                "/",
                "县生态环境分局",
            ),
        ],
    ),
    (
        "生态经济",
        [
            (
                "5",
                "工业园区循环化改造",
                "建设园区固废资源化中心",
                "新建",
                "2022-2024",
                "6300.5",
                "县经信局",
            )
        ],
    ),
]
PROJECT_TOTAL = "31400.5"


# --------------------------------------------------------------------------- layout


@dataclass
class SpecCell:
    """A cell as Word stores it: its text, its width in grid columns, its vertical merge."""

    text: str
    span: int = 1
    vmerge: str | None = None  # "restart" | "continue" | None


@dataclass
class TableSpec:
    caption: str
    rows: list[list[SpecCell]]
    notes: list[str] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return sum(cell.span for cell in self.rows[0])


def _merged_down(values: list[str]) -> list[SpecCell]:
    """One column of group cells: the first of each run of equal values restarts a merge."""
    cells: list[SpecCell] = []
    for i, value in enumerate(values):
        run_continues = i > 0 and values[i - 1] == value
        run_has_more = i + 1 < len(values) and values[i + 1] == value
        if run_continues:
            cells.append(SpecCell("", vmerge="continue"))
        else:
            cells.append(SpecCell(value, vmerge="restart" if run_has_more else None))
    return cells


def indicator_table(groups: list[tuple[str, str, list[tuple[str, ...]]]]) -> TableSpec:
    """The indicator table: a two-row header, domain and task cells merged down."""
    header_top = [SpecCell(text, vmerge="restart") for text in INDICATOR_HEADER]
    header_top.append(SpecCell(TARGET_GROUP, span=len(TARGET_YEARS)))
    header_bottom = [SpecCell("", vmerge="continue") for _ in INDICATOR_HEADER]
    header_bottom += [SpecCell(year) for year in TARGET_YEARS]
    flat = [(domain, task, row) for domain, task, rows in groups for row in rows]
    domains = _merged_down([domain for domain, _, _ in flat])
    tasks = _merged_down([f"{domain}|{task}" for domain, task, _ in flat])
    for cell in tasks:
        cell.text = cell.text.split("|", 1)[-1]
    body = [
        [domain, task, *(SpecCell(value) for value in row)]
        for domain, task, (_, _, row) in zip(domains, tasks, flat, strict=True)
    ]
    return TableSpec(INDICATOR_CAPTION, [header_top, header_bottom, *body], [INDICATOR_NOTE])


def project_table(groups: list[tuple[str, list[tuple[str, ...]]]], total: str) -> TableSpec:
    """The key-project table: category merged down, a 合计 row merged across."""
    flat = [(category, row) for category, rows in groups for row in rows]
    categories = _merged_down([category for category, _ in flat])
    body = [
        [category, *(SpecCell(value) for value in row)]
        for category, (_, row) in zip(categories, flat, strict=True)
    ]
    total_row = [SpecCell("合计", span=len(PROJECT_HEADER) - 2), SpecCell(total), SpecCell("")]
    return TableSpec(PROJECT_CAPTION, [[SpecCell(h) for h in PROJECT_HEADER], *body, total_row])


# The document, in order: ("heading", level, text) | ("paragraph", text) | ("table", TableSpec)
def plan_outline(
    indicators: TableSpec | None = None, projects: TableSpec | None = None
) -> list[tuple]:
    return [
        ("heading", 1, PLAN_TITLE),
        ("heading", 1, "第一章 总则"),
        ("paragraph", f"本规划范围为{REGION}全域，规划基准年为2020年，规划期限为2021—2030年。"),
        ("heading", 2, "第一节 建设指标"),
        ("paragraph", "围绕生态制度、生态安全和生态经济三个领域，设置建设指标7项。"),
        ("table", indicators or indicator_table(INDICATOR_GROUPS)),
        ("heading", 1, "第二章 重点工程"),
        ("table", projects or project_table(PROJECT_GROUPS, PROJECT_TOTAL)),
        ("paragraph", "各牵头单位按年度报送项目进展。"),
    ]


# --------------------------------------------------------------------------- .docx


def write_plan_docx(path: Path, outline: list[tuple] | None = None) -> Path:
    """Write the plan (or *outline*) as a .docx with real Word merges; returns *path*."""
    document = docx.Document()
    for item in outline or plan_outline():
        if item[0] == "heading":
            document.add_heading(item[2], level=item[1])
        elif item[0] == "paragraph":
            document.add_paragraph(item[1])
        else:
            _add_docx_table(document, item[1])
    document.save(str(path))
    return path


def _add_docx_table(document: docx.document.Document, spec: TableSpec) -> None:
    document.add_paragraph(spec.caption)
    table = document.add_table(rows=len(spec.rows), cols=spec.n_cols)
    table.style = "Table Grid"
    # Cell objects taken once, before any merge (table.cell(r, c) rescans the whole table).
    grid = [row.cells for row in table.rows]
    merges: list[tuple[int, int, int, int]] = []
    vertical_open: dict[int, int] = {}
    for r, row in enumerate(spec.rows):
        c = 0
        for cell in row:
            if cell.vmerge != "continue":
                _write_cell(grid[r][c], cell.text)
                if cell.span > 1:
                    merges.append((r, c, r, c + cell.span - 1))
            if cell.vmerge == "restart":
                vertical_open[c] = r
            elif cell.vmerge == "continue" and (r + 1 == len(spec.rows) or _ends_run(spec, r, c)):
                merges.append((vertical_open.pop(c), c, r, c + cell.span - 1))
            c += cell.span
    for top, left, bottom, right in merges:
        grid[top][left].merge(grid[bottom][right])
    for note in spec.notes:
        document.add_paragraph(note)


def _ends_run(spec: TableSpec, r: int, c: int) -> bool:
    """True when the cell at grid column *c* of row *r + 1* does not continue the merge."""
    col = 0
    for cell in spec.rows[r + 1]:
        if col == c:
            return cell.vmerge != "continue"
        col += cell.span
    return True


def _write_cell(cell, text: str) -> None:
    """Sub-item lines (①②…) become paragraphs; other line breaks become ``w:br``."""
    lines = text.split("\n")
    if any(line[:1] in "①②③④⑤" for line in lines[1:]):
        cell.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    else:
        cell.paragraphs[0].add_run("").text = text  # python-docx turns "\n" into <w:br/>


# --------------------------------------------------------------------------- Tika text


def plan_text_twin(outline: list[tuple] | None = None) -> str:
    """The plan as Apache Tika prints the .docx that ``write_plan_docx`` writes."""
    lines: list[str] = []
    for item in outline or plan_outline():
        if item[0] == "heading":
            lines.append(item[2])
        elif item[0] == "paragraph":
            lines.append(item[1])
        else:
            lines.extend(_tika_table(item[1]))
    return "\n".join(lines) + "\n"


def _tika_table(spec: TableSpec) -> list[str]:
    lines = [spec.caption]
    for row in spec.rows:
        for cell in row:
            first, *rest = cell.text.split("\n")
            lines.append(f"\t{first}")
            lines.extend(rest)
        lines.append("")
    lines.append("")
    lines.extend(spec.notes)
    return lines


# --------------------------------------------------------------------------- .xlsx


def write_plan_xlsx(path: Path, outline: list[tuple] | None = None) -> Path:
    """Write the plan's tables as an .xlsx, one sheet per table; returns *path*.

    The plan's title is the workbook's title property.  On each sheet row 1 holds the caption,
    then the table with its merges, then the notes.  Cells that
    read as numbers are stored as numbers, so the reader's number rendering is exercised.
    """
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    titles = [item[2] for item in outline or plan_outline() if item[:2] == ("heading", 1)]
    workbook.properties.title = titles[0] if titles else None  # the document's title property
    tables = [item[1] for item in outline or plan_outline() if item[0] == "table"]
    for number, spec in enumerate(tables, start=1):
        sheet = workbook.create_sheet(f"表{number}")
        sheet.cell(row=1, column=1, value=spec.caption)
        _write_xlsx_grid(sheet, spec, first_row=2)
        for k, note in enumerate(spec.notes):
            sheet.cell(row=2 + len(spec.rows) + k, column=1, value=note)
    workbook.save(str(path))
    return path


def _write_xlsx_grid(sheet, spec: TableSpec, first_row: int) -> None:
    vertical_open: dict[int, int] = {}
    for r, row in enumerate(spec.rows):
        c = 0
        for cell in row:
            excel_row, excel_col = first_row + r, 1 + c
            if cell.vmerge != "continue":
                sheet.cell(row=excel_row, column=excel_col, value=_as_number(cell.text))
                if cell.span > 1:
                    sheet.merge_cells(
                        start_row=excel_row,
                        start_column=excel_col,
                        end_row=excel_row,
                        end_column=excel_col + cell.span - 1,
                    )
            if cell.vmerge == "restart":
                vertical_open[c] = excel_row
            elif cell.vmerge == "continue" and (r + 1 == len(spec.rows) or _ends_run(spec, r, c)):
                sheet.merge_cells(
                    start_row=vertical_open.pop(c),
                    start_column=excel_col,
                    end_row=excel_row,
                    end_column=excel_col + cell.span - 1,
                )
            c += cell.span


def _as_number(text: str) -> str | int | float:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


# --------------------------------------------------------------------------- large plan


def large_outline(n_indicators: int, n_projects: int, group_size: int = 25) -> list[tuple]:
    """A big plan of the same shape: *n_indicators* rows and *n_projects* projects.

    Groups are kept to *group_size* rows because python-docx merges recursively.
    """
    indicator_groups = []
    for start in range(0, n_indicators, group_size):
        rows = []
        for seq in range(start + 1, min(start + group_size, n_indicators) + 1):
            name = f"第{seq}项指标\n①分项甲\n②分项乙" if seq % 10 == 0 else f"第{seq}项监测指标"
            rows.append((str(seq), name, "%", "约束性", f"{seq % 97}.5", f"≥{seq % 90}", "100"))
        group = start // group_size
        indicator_groups.append((f"领域{group // 4 + 1}", f"（{group + 1}）任务{group + 1}", rows))
    project_groups = []
    for start in range(0, n_projects, group_size):
        rows = [
            (
                str(seq),
                f"第{seq}号生态工程",
                f"建设内容{seq}；\n配套设施{seq}",
                "新建" if seq % 2 else "续建",
                "2021-2025",
                str(100 + seq),
                "县生态环境分局、各乡镇（街道）",
            )
            for seq in range(start + 1, min(start + group_size, n_projects) + 1)
        ]
        project_groups.append((f"类别{start // group_size + 1}", rows))
    total = str(sum(100 + seq for seq in range(1, n_projects + 1)))
    return plan_outline(indicator_table(indicator_groups), project_table(project_groups, total))


def write_large_docx(path: Path, n_indicators: int = 2000, n_projects: int = 1000) -> Path:
    return write_plan_docx(path, large_outline(n_indicators, n_projects))


# --------------------------------------------------------------------------- any Document

_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def write_document_docx(document: Document, path: Path) -> Path:
    """Write a Document as a .docx: headings with heading styles, cells as paragraphs.

    A row shorter than the table (a Tika row whose merged cell is one cell) ends with
    ``w:gridAfter``, since which of its cells was merged across is no longer known.
    """
    out = docx.Document()
    for block in document.blocks:
        if block.kind == "heading":
            out.add_heading(block.text, level=min(block.level or 1, 9))
        elif block.kind == "paragraph":
            out.add_paragraph(block.text)
        elif block.table is not None:
            _add_document_table(out, block.table)
    out.save(str(path))
    return path


def _add_document_table(out: docx.document.Document, table) -> None:
    if table.caption:
        out.add_paragraph(table.caption)
    written = out.add_table(rows=table.n_rows, cols=table.n_cols)
    for row, source in zip(written.rows, table.rows, strict=True):
        cells = row.cells
        for cell, value in zip(cells, source, strict=False):
            first, *rest = value.text.split("\n")
            cell.paragraphs[0].add_run(first)
            for line in rest:
                cell.add_paragraph(line)
        missing = table.n_cols - len(source)
        if missing:
            tr = row._tr
            for tc in tr.tc_lst[len(source) :]:
                tr.remove(tc)
            tr.get_or_add_trPr().append(parse_xml(f'<w:gridAfter {_W_NS} w:val="{missing}"/>'))
    for note in table.notes:
        out.add_paragraph(note)


_LOCATION_KEYS = {"where", "source"}


def without_locations(value: Any) -> Any:
    """A dumped plan (or part of one) without source locations, for comparing formats."""
    if isinstance(value, dict):
        return {k: without_locations(v) for k, v in value.items() if k not in _LOCATION_KEYS}
    if isinstance(value, list):
        return [without_locations(v) for v in value]
    return value
