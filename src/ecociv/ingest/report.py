"""The human summary of an ingested plan (``ecociv ingest --report``), Chinese or English.

:func:`summarize` computes the figures (tables found, rows, counts per kind, applicable
indicators, sub-items, value cells parsed and left as ``Text``, project totals); :func:`render_report` prints them and every
diagnostic with its location using rich.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table

from ecociv.model import Diagnostic, IndicatorRow, Plan, ProjectRow, SourceSpan

_KIND_LABEL = {
    "indicator": ("指标表", "indicator table"),
    "review": ("完成情况表", "review table"),
    "project": ("项目表", "project table"),
    "box": ("专栏", "box"),
    "other": ("其他表", "other table"),
}
_TEXT = {
    "title": ("导入报告", "Ingest report"),
    "file": ("文件", "file"),
    "tables": ("表格", "tables"),
    "index": ("序", "#"),
    "kind": ("类型", "kind"),
    "caption": ("标题", "caption"),
    "rows": ("行数", "rows"),
    "detail": ("要点", "details"),
    "diagnostics": ("诊断信息", "diagnostics"),
    "none": ("无", "none"),
    "where": ("位置", "where"),
    "severity": ("级别", "severity"),
    "message": ("说明", "message"),
    "metadata": ("规划信息", "plan metadata"),
    "columns": ("列的作用", "column roles"),
    "table": ("表", "table"),
    "key": ("列", "column"),
    "header": ("表头", "header"),
    "role": ("作用", "role"),
    "confidence": ("把握", "confidence"),
    "basis": ("依据", "why"),
}
#: Why a column has its role (``Column.basis``), as the report says it.
BASIS_TEXT = {
    "header": ("表头与词表相符", "the header matches the vocabulary"),
    "group": ("由上层分组表头得出", "from the group header above it"),
    "year": ("由年份与规划基准年的先后得出", "from its year against the plan's base year"),
    "header+content": ("表头与单元格内容一致", "the header and the cells agree"),
    "content": ("表头未说明，由单元格内容判定", "the header names no role; read from the cells"),
    "content_over_header": ("单元格内容与表头不符，按内容判定", "the cells overrule the header"),
    "mapping": ("由映射文件指定", "set by the mapping file"),
    "none": ("无法判定", "not recognised"),
}


def summarize(plan: Plan) -> dict[str, Any]:
    """Figures of the plan that the report shows (also handy in tests and scripts)."""
    tables = []
    for table in plan.tables:
        entry: dict[str, Any] = {
            "index": table.index,
            "kind": table.kind,
            "caption": table.caption,
            "rows": len(table.rows),
            "columns": [
                (c.key, c.header, c.role, c.confidence, c.basis)
                for c in table.columns
                if c.confidence is not None
            ],
        }
        indicators = [r for r in table.rows if isinstance(r, IndicatorRow)]
        if indicators:
            entry["applicable"] = sum(r.applicable for r in indicators)
            entry["attributes"] = dict(Counter(r.attribute for r in indicators if r.attribute))
            entry["with_subitems"] = sum(1 for r in indicators if r.subitems)
            entry["leaf_measures"] = sum(len(r.subitems) or 1 for r in indicators)
            entry["domains"] = len({r.domain for r in indicators if r.domain})
            exprs = [e for r in indicators for e in _exprs(r)]
            entry["parsed_cells"] = len(exprs)
            entry["text_cells"] = sum(e["type"] == "Text" for e in exprs)
        projects = [r for r in table.rows if isinstance(r, ProjectRow)]
        if projects:
            entry["with_investment"] = sum(r.investment_wan_yuan is not None for r in projects)
            entry["computed_total_wan_yuan"] = table.computed_total_wan_yuan
            entry["stated_total_wan_yuan"] = table.stated_total_wan_yuan
        tables.append(entry)
    return {
        "file": plan.source.path,
        "tables": tables,
        "kinds": dict(Counter(t.kind for t in plan.tables)),
        "diagnostics": dict(Counter(d.severity for d in plan.diagnostics)),
    }


def _exprs(row: IndicatorRow) -> list[dict[str, Any]]:
    """The parsed expressions of *row*'s cells and of its sub-items' cells."""
    found = [cell.expr for cell in row.cells.values() if cell.expr is not None]
    return found + [e for item in row.subitems for e in _exprs(item)]


def location(diagnostic: Diagnostic, lang: str = "zh") -> str:
    """Where a diagnostic points: line span (text) or paragraph/cell (docx/xlsx), table, row."""
    zh = lang == "zh"
    parts = []
    if diagnostic.table is not None:
        parts.append(f"表{diagnostic.table}" if zh else f"table {diagnostic.table}")
    if diagnostic.row is not None:
        parts.append(f"第{diagnostic.row}行" if zh else f"row {diagnostic.row}")
    if diagnostic.column:
        parts.append(f"列 {diagnostic.column}" if zh else f"column {diagnostic.column}")
    span = _span(diagnostic.where, zh)
    if span:
        parts.append(span)
    return "，".join(parts) if zh else ", ".join(parts)


def _span(where: SourceSpan | None, zh: bool) -> str:
    if where is None:
        return ""
    if where.line_start is not None:
        end = f"-{where.line_end}" if where.line_end not in (None, where.line_start) else ""
        return f"源文件第{where.line_start}{end}行" if zh else f"line {where.line_start}{end}"
    if where.sheet is not None:
        return f"{where.sheet}!{where.cell_ref or ''}"
    if where.paragraph is not None:
        return f"第{where.paragraph}段" if zh else f"paragraph {where.paragraph}"
    if where.row is not None and where.col is not None:
        return (
            f"文档表格{where.table}（第{where.row}行第{where.col}列，从0起）"
            if zh
            else f"document table {where.table} (row {where.row}, col {where.col}, from 0)"
        )
    return ""


def render_report(plan: Plan, lang: str = "zh", console: Console | None = None) -> None:
    """Print the report of *plan* (Chinese unless ``lang == "en"``)."""
    console = console or Console()
    i = 0 if lang == "zh" else 1
    text = {key: pair[i] for key, pair in _TEXT.items()}
    summary = summarize(plan)
    console.print(f"[bold]{text['title']}[/bold]  {text['file']}: {plan.source.path}")
    meta = plan.metadata
    console.print(
        f"{text['metadata']}: {meta.region or '—'} | {meta.name or '—'} | "
        f"{meta.period_start or '?'}–{meta.period_end or '?'} | "
        f"base {meta.base_year or '?'} | targets {meta.target_years}"
    )
    kinds = ", ".join(f"{_KIND_LABEL[k][i]} {n}" for k, n in summary["kinds"].items())
    console.print(f"{text['tables']}: {len(plan.tables)} ({kinds})")
    grid = Table(show_lines=False)
    for key in ("index", "kind", "caption", "rows", "detail"):
        grid.add_column(text[key])
    for entry in summary["tables"]:
        grid.add_row(
            str(entry["index"]),
            _KIND_LABEL[entry["kind"]][i],
            entry["caption"] or "",
            str(entry["rows"]),
            _detail(entry, lang),
        )
    console.print(grid)
    _render_columns(summary["tables"], lang, text, console)
    _render_diagnostics(plan.diagnostics, lang, text, console)


def _render_columns(
    tables: list[dict[str, Any]], lang: str, text: dict[str, str], console: Console
) -> None:
    """Each classified column: its role, how sure, and why (``Column.confidence``/``basis``)."""
    rows = [(t["index"], *column) for t in tables for column in t["columns"]]
    if not rows:
        return
    i = 0 if lang == "zh" else 1
    grid = Table(title=text["columns"], show_lines=False)
    for key in ("table", "key", "header", "role", "confidence", "basis"):
        grid.add_column(text[key])
    for index, key, header, role, confidence, basis in rows:
        why = BASIS_TEXT.get(basis or "none", BASIS_TEXT["none"])[i]
        grid.add_row(str(index), key, header.replace("\n", " "), role, f"{confidence:.2f}", why)
    console.print(grid)


def _detail(entry: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    if "applicable" in entry:
        attributes = " ".join(f"{k}{v}" for k, v in entry["attributes"].items())
        read = f"{entry['parsed_cells'] - entry['text_cells']}/{entry['parsed_cells']}"
        parts = (
            [
                f"适用{entry['applicable']}",
                f"领域{entry['domains']}",
                f"含分项{entry['with_subitems']}",
                f"末级{entry['leaf_measures']}",
                attributes,
                f"值单元格读出{read}",
            ]
            if zh
            else [
                f"applicable {entry['applicable']}",
                f"domains {entry['domains']}",
                f"with sub-items {entry['with_subitems']}",
                f"leaf measures {entry['leaf_measures']}",
                attributes,
                f"value cells read {read}",
            ]
        )
        return ("，" if zh else ", ").join(part for part in parts if part)
    if "with_investment" in entry:
        stated = entry["stated_total_wan_yuan"]
        return (
            f"有投资额{entry['with_investment']}，合计{entry['computed_total_wan_yuan']}万元"
            + (f"（表中合计{stated}）" if stated is not None else "")
            if zh
            else f"with investment {entry['with_investment']}, "
            f"sum {entry['computed_total_wan_yuan']} (10k yuan)"
            + (f" (stated {stated})" if stated is not None else "")
        )
    return ""


def _render_diagnostics(
    diagnostics: list[Diagnostic], lang: str, text: dict[str, str], console: Console
) -> None:
    console.print(f"[bold]{text['diagnostics']}[/bold]: {len(diagnostics) or text['none']}")
    if not diagnostics:
        return
    grid = Table(show_lines=False)
    for key in ("severity", "where", "message"):
        grid.add_column(text[key])
    for diagnostic in diagnostics:
        message = diagnostic.message_zh if lang == "zh" else diagnostic.message_en
        if diagnostic.text:
            message += "「" + diagnostic.text[:40].replace("\n", " ⏎ ") + "」"
        grid.add_row(diagnostic.severity, location(diagnostic, lang), message)
    console.print(grid)
