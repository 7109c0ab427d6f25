"""What each report table must show, written from the assessment rows independently of the
report package (its own number formatting and labels)."""

from __future__ import annotations

from ecociv.store.services.assessment import IndicatorAssessment

VERDICT_ZH = {
    "met": "达标",
    "not_met": "未达标",
    "no_data": "无数据",
    "not_applicable": "不适用",
    "in_progress": "推进中",
    "needs_review": "需人工判定",
}
DONE_ZH = {**VERDICT_ZH, "met": "完成", "not_met": "未完成"}


def text(value) -> str:
    """Word's text of a cell value: numbers to 4 decimals without trailing zeros, none as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return format(round(value, 4) + 0.0, "f").rstrip("0").rstrip(".")
    return str(value)


def current(row: IndicatorAssessment):
    if row.year is None:
        return None
    observed = row.observed[row.year]
    return observed["value"] if observed["value"] is not None else observed["text"]


def baseline(row: IndicatorAssessment):
    return row.baseline_value if row.baseline_value is not None else row.baseline_text


def plan_target_rows(rows: list[IndicatorAssessment]) -> list[list[str]]:
    return [
        [
            text(r.seq),
            r.name,
            text(r.unit),
            text(baseline(r)),
            text(r.target_year),
            text(r.targets.get(r.target_year)),
            text(current(r)),
            VERDICT_ZH[r.verdict.status.value],
            text(r.verdict.margin),
            r.verdict.reason_zh,
        ]
        for r in rows
    ]


def completion_rows(rows: list[IndicatorAssessment]) -> list[list[str]]:
    return [
        [
            text(r.seq),
            r.name,
            text(r.unit),
            text(baseline(r)),
            text(r.targets.get(r.target_year)),
            text(current(r)),
            DONE_ZH[r.verdict.status.value],
        ]
        for r in rows
    ]


def standard_rows(rows: list[IndicatorAssessment]) -> list[list[str]]:
    """(name, value, verdict, margin) of the rows linked to the standard."""
    return [
        [
            r.name,
            text(current(r)),
            VERDICT_ZH[r.standard_verdict.status.value] if r.standard_verdict else "—",
            text(r.standard_verdict.margin) if r.standard_verdict else "—",
        ]
        for r in rows
        if r.standard_code is not None and r.standard_code == r.code
    ]


def docx_tables(path) -> list[list[list[str]]]:
    """Every table of a .docx as rows of cell texts (header row included)."""
    from docx import Document

    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def docx_text(path) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(str(path)).paragraphs)
