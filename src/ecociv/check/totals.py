"""Stated totals and counts against what the tables hold: a project table's 合计 row, and
"共N项指标" (with "其中约束性M项") in the text just above an indicator table."""

from __future__ import annotations

import re

from ecociv.check.data import vocab
from ecociv.check.findings import Finding
from ecociv.check.kinds import finding
from ecociv.check.view import CheckInput, prose_location, table_location
from ecociv.model import IndicatorRow, PlanTable

_COUNT = re.compile(r"(?:共|共计|合计|包括)?\s*(\d+)\s*项(?:主要|考核|规划|建设)?指标")
_ATTRIBUTE = re.compile(
    r"(?:(约束性|参考性|预期性)(?:指标)?\s*(\d+)\s*项|(\d+)\s*项\s*(?:为)?(约束性|参考性|预期性)(?:指标)?)"
)
NEAR_LINES = 20


def _wan(amount: float) -> str:
    """An amount of 万元 as a person writes it: thousands separated, at most two decimals."""
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def investment_total(data: CheckInput) -> list[Finding]:
    tolerance = vocab()["money"]["total_tolerance_wan_yuan"]
    found = []
    for table in data.plan.tables:
        stated, computed = table.stated_total_wan_yuan, table.computed_total_wan_yuan
        if (
            table.kind != "project"
            or stated is None
            or computed is None
            or abs(stated - computed) <= tolerance
        ):
            continue
        found.append(
            finding(
                "total.investment",
                [table_location(table)],
                {"stated": stated, "computed": round(computed, 2)},
                zh=f"{table.caption}合计 {_wan(stated)} 万元，各项目之和为 {_wan(computed)} 万元",
                en=(
                    f"{table.caption}: the total row says {_wan(stated)} 万元, "
                    f"the projects add up to {_wan(computed)} 万元"
                ),
                fix_zh="核对合计行与各项目投资",
                fix_en="check the total row and the projects' investments",
            )
        )
    return found


def _counts(table: PlanTable) -> tuple[set[int], dict[str, int]]:
    rows = [r for r in table.rows if isinstance(r, IndicatorRow)]
    leaves = sum(len(r.subitems) or 1 for r in rows)
    attributes: dict[str, int] = {}
    for row in rows:
        if row.attribute:
            attributes[row.attribute] = attributes.get(row.attribute, 0) + 1
    return {len(rows), leaves}, attributes


def _first_line(table: PlanTable) -> int:
    return table.where.line_start or 0 if table.where is not None else 0


def indicator_counts(data: CheckInput) -> list[Finding]:
    tables = [
        t for t in data.plan.tables if t.kind in ("indicator", "review") and t.where is not None
    ]
    found = []
    for line in data.prose:
        start = line.where.line_start
        if start is None:
            continue
        table = next((t for t in tables if 0 < _first_line(t) - start <= NEAR_LINES), None)
        if table is None:
            continue
        totals, attributes = _counts(table)
        for match in _COUNT.finditer(line.text):
            stated = int(match.group(1))
            if stated not in totals:
                found.append(
                    finding(
                        "count.indicators",
                        [prose_location(line, match.group(0)), table_location(table)],
                        {"stated": stated, "table": sorted(totals)},
                        zh=f"正文称 {stated} 项指标，{table.caption}列有 {min(totals)} 项",
                        en=f"the text says {stated} indicators; {table.caption} lists {min(totals)}",
                        fix_zh="核对正文所述指标数",
                        fix_en="check the count in the text",
                    )
                )
        for match in _ATTRIBUTE.finditer(line.text):
            word = match.group(1) or match.group(4)
            stated = int(match.group(2) or match.group(3))
            if attributes and attributes.get(word, 0) != stated:
                found.append(
                    finding(
                        "count.indicators",
                        [prose_location(line, match.group(0)), table_location(table)],
                        {"attribute": word, "stated": stated, "table": attributes.get(word, 0)},
                        zh=f"正文称{word}指标 {stated} 项，{table.caption}中为 {attributes.get(word, 0)} 项",
                        en=f"the text says {stated} {word} indicators; {table.caption} has {attributes.get(word, 0)}",
                        fix_zh="核对正文所述指标数或表中的指标属性",
                        fix_en="check the count in the text or the attributes in the table",
                    )
                )
    return found


RULES = (investment_total, indicator_counts)
