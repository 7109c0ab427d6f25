"""Targets: worse than the baseline in the indicator's direction, short of the standard the
plan claims to meet, a target year outside the plan period, and a target year in the text
that no indicator table has.

The direction of an indicator (higher or lower is better) is ``ecociv.assess.direction``'s
knowledge (``assess/data/direction.yaml``); rows whose direction is unknown are not judged.
"""

from __future__ import annotations

import re

from ecociv.assess.direction import infer_direction
from ecociv.check.data import vocab
from ecociv.check.findings import Finding
from ecociv.check.kinds import finding
from ecociv.check.period import plan_period
from ecociv.check.text import fold, strip_brackets
from ecociv.check.view import (
    CheckInput,
    Quantity,
    RowRef,
    expr_of,
    indicator_rows,
    prose_location,
    quantity,
    table_location,
)

_BY_YEAR = re.compile(
    r"到\s*(20\d\d)\s*年(?:(?!到\s*20\d\d)[^。；])*?指标(?!体系)(?:(?!到\s*20\d\d)[^。；])*?(?:达到|达标|完成)"
)


def _worse(better: str | None, target: Quantity, reference: Quantity) -> bool:
    return target.value < reference.value if better == "higher" else target.value > reference.value


def _note_cause(ref: RowRef) -> tuple[str, str] | None:
    """A table note that explains an unusual baseline of this row (a period mean, an
    exceptional year), if there is one."""
    core = strip_brackets(fold(ref.row.name))
    for note in ref.table.notes:
        folded = fold(note)
        if any(w in folded for w in vocab()["targets"]["unusual_base_words"]) and (
            core in folded or core[-6:] in folded
        ):
            return (
                f"表注说明基准年数值偏离常年：{note.strip()}",
                f"a table note says the base-year value is unusual: {note.strip()}",
            )
    return None


def weaker_than_baseline(data: CheckInput) -> list[Finding]:
    found = []
    for ref in indicator_rows(data.plan):
        direction = infer_direction(ref.row.name)
        if not direction.known or "baseline" not in ref.row.cells:
            continue
        if any(word in ref.row.name for word in vocab()["rates"]["change_words"]):
            continue
        base = quantity(expr_of(ref.row.cells["baseline"]))
        if base is None or base.op is not None:
            continue
        for column in ref.columns("target"):
            target = quantity(expr_of(ref.row.cells[column.key]))
            if target is None or (target.unit and base.unit and target.unit != base.unit):
                continue
            if not _worse(direction.better, target, base):
                continue
            cause = _note_cause(ref)
            found.append(
                finding(
                    "target.weaker_than_baseline",
                    [ref.location(column.key), ref.location("baseline")],
                    {
                        "name": ref.row.name,
                        "baseline": str(base.value),
                        "target": ref.row.cells[column.key].text,
                        "better": direction.better,
                    },
                    severity="note" if cause else None,
                    cause=cause,
                    zh=(
                        f"“{ref.row.name}”{'越高越好' if direction.better == 'higher' else '越低越好'}，"
                        f"{column.year or ''}年目标 {ref.row.cells[column.key].text} 劣于基准值 {base.value}"
                    ),
                    en=(
                        f"“{ref.row.name}” is {'higher' if direction.better == 'higher' else 'lower'}-is-better, "
                        f"but the {column.year or ''} target {ref.row.cells[column.key].text} is worse than the baseline {base.value}"
                    ),
                    fix_zh="目标至少保持基准水平，或在表注中说明理由",
                    fix_en="set the target at least at the baseline, or give the reason in a table note",
                )
            )
    return found


def weaker_than_standard(data: CheckInput) -> list[Finding]:
    found = []
    for ref in indicator_rows(data.plan):
        direction = infer_direction(ref.row.name)
        if not direction.known:
            continue
        for std_col in ref.columns("standard"):
            standard = quantity(expr_of(ref.row.cells[std_col.key]))
            if standard is None or standard.op not in (">=", "<=", ">", "<", None):
                continue
            for column in ref.columns("target"):
                target = quantity(expr_of(ref.row.cells[column.key]))
                if target is None or (
                    target.unit and standard.unit and target.unit != standard.unit
                ):
                    continue
                if not _worse(direction.better, target, standard):
                    continue
                binding = (
                    ref.row.attribute or (ref.parent.attribute if ref.parent else None) or ""
                ) == "约束性"
                found.append(
                    finding(
                        "target.weaker_than_standard",
                        [ref.location(column.key), ref.location(std_col.key)],
                        {
                            "name": ref.row.name,
                            "standard": ref.row.cells[std_col.key].text,
                            "target": ref.row.cells[column.key].text,
                        },
                        severity="error" if binding else "warning",
                        zh=f"“{ref.row.name}”{column.year or ''}年目标 {ref.row.cells[column.key].text} 达不到标准要求 {ref.row.cells[std_col.key].text}",
                        en=(
                            f"the {column.year or ''} target of “{ref.row.name}”, {ref.row.cells[column.key].text}, "
                            f"does not meet the standard {ref.row.cells[std_col.key].text}"
                        ),
                        fix_zh="把目标提高到标准要求，或说明不对标的理由",
                        fix_en="raise the target to the standard, or say why the plan does not meet it",
                    )
                )
    return found


def target_years(data: CheckInput) -> list[Finding]:
    """Target columns outside the plan period; 到YYYY年…指标…达到 in the text for a year no
    indicator table has."""
    period = plan_period(data)
    found = []
    years: set[int] = set()
    for table in data.plan.tables:
        if table.kind != "indicator":
            continue
        for column in table.columns:
            if column.role != "target" or column.year is None:
                continue
            years.add(column.year)
            if period is not None and not period[0] <= column.year <= period[1]:
                found.append(
                    finding(
                        "target.year_outside_period",
                        [table_location(table, column.header)],
                        {"year": column.year, "plan": list(period)},
                        zh=f"{table.caption}的目标年份 {column.year} 不在规划期 {period[0]}–{period[1]} 内",
                        en=f"{table.caption}: target year {column.year} is outside the plan period {period[0]}–{period[1]}",
                        fix_zh="核对目标年份或规划期限",
                        fix_en="check the target year or the plan period",
                    )
                )
    if not years:
        return found
    for line in data.prose:
        for match in _BY_YEAR.finditer(line.text):
            year = int(match.group(1))
            if year in years or (period is not None and not period[0] <= year <= period[1]):
                continue
            found.append(
                finding(
                    "target.prose_year",
                    [prose_location(line, match.group(0))],
                    {"year": year, "table_years": sorted(years)},
                    zh=f"正文要求到 {year} 年指标达到要求，但指标表的目标年份是 {'、'.join(map(str, sorted(years)))}",
                    en=f"the text sets {year} for the indicators, but the indicator tables' target years are {', '.join(map(str, sorted(years)))}",
                    fix_zh=f"在指标表中增加 {year} 年目标列，或统一正文与表格的目标年份",
                    fix_en=f"add a {year} target column to the indicator tables, or align the text with the tables",
                )
            )
    return found


RULES = (weaker_than_baseline, weaker_than_standard, target_years)
