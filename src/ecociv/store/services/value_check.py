"""Validation of an entered value: unit, plausible range, year, and the text read by
:func:`ecociv.expr.parse_value` — each finding says where and what to do.

Errors block the save; warnings (a value far from last year's, a share outside 0–100) are
shown to the editor and do not block.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.expr.vocab import vocabulary
from ecociv.store.errors import ValidationError
from ecociv.store.models import (
    Observation,
    Plan,
    PlanIndicator,
    PlanVersion,
    Region,
    StandardIndicator,
)
from ecociv.store.services.text_values import TextReading, canonical_unit, read_text

FIRST_YEAR = 1949
TARGET_YEAR_MAX = 2100
"""The last year a plan's target may name (plans reach decades ahead, not centuries)."""
SIGNED_UNITS = frozenset({"%", "‰"})
"""Rates and shares may be negative (a growth rate); an amount in any other known unit
(µg/m³, 天, km², 万元 …) cannot."""
DAYS_IN_YEAR_MAX = 366
UNIT_MAX = 64
SHARE_UNIT = "%"
UNREAD_KIND = "Text"
"""The kind :func:`~.text_values.read_text` gives a text the value language cannot read."""
JUMP_FACTOR = 10.0
"""A value more than ten times (or under a tenth of) the previous year's is flagged."""


@dataclass
class Finding:
    field: str
    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "zh": self.zh, "en": self.en}


@dataclass
class ValueCheck:
    """The outcome of checking one value: what would be stored, and what was found."""

    value: float | None
    text: str | None
    unit: str | None
    indicator_name: str | None = None
    expected_unit: str | None = None
    reading: dict[str, Any] | None = None
    problems: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_problems(self, where: str) -> None:
        if self.problems:
            raise ValidationError(
                "；".join(p.zh for p in self.problems),
                "; ".join(p.en for p in self.problems),
                where=where,
                problems=[p.as_dict() for p in self.problems],
            )


@dataclass(frozen=True)
class IndicatorDefinition:
    name: str
    unit: str | None


def check_value(
    session: Session,
    region: Region,
    indicator_code: str,
    year: int,
    *,
    value: float | None,
    text: str | None,
    unit: str | None,
) -> ValueCheck:
    definition = indicator_definition(session, region, indicator_code)
    text = text.strip() if text and text.strip() else None
    check = ValueCheck(
        value=value,
        text=text,
        unit=canonical_unit(unit) if unit else None,
        indicator_name=definition.name if definition else None,
        expected_unit=canonical_unit(definition.unit) if definition and definition.unit else None,
    )
    if definition is None:
        check.problems.append(
            Finding(
                "indicator_code",
                f"指标 {indicator_code} 不属于 {region.name} 或其上级的任何规划，也不在标准中",
                f"indicator {indicator_code} is in no plan of {region.name} or above, nor in a standard",
            )
        )
    _check_year(check, year)
    if text is not None and "\x00" in text + (unit or ""):
        check.problems.append(
            Finding(
                "text",
                "文字或单位含有 NUL 字符（U+0000），请删除该字符",
                "the text or unit holds a NUL character (U+0000); remove it",
            )
        )
    elif text is not None:
        _apply_reading(check, read_text(text))
        _check_free_text(check)
    if value is None and text is None:
        check.problems.append(Finding("value", "请填写数值或文字说明", "enter a number or a text"))
    _check_unit(check)
    if check.value is not None:
        _check_range(check)
        _check_jump(session, check, region, indicator_code, year)
    return check


def indicator_definition(session: Session, region: Region, code: str) -> IndicatorDefinition | None:
    """The indicator as the current version of a plan of the region (or a region above) names
    it; else as a standard does."""
    codes = [c for c in region.path.strip("/").split("/") if c]
    row = session.execute(
        select(PlanIndicator.name, PlanIndicator.unit)
        .join(PlanVersion, PlanIndicator.plan_version_id == PlanVersion.id)
        .join(
            Plan, (Plan.id == PlanVersion.plan_id) & (Plan.current_version == PlanVersion.version)
        )
        .join(Region, Region.id == Plan.region_id)
        .where(PlanIndicator.code == code, Region.code.in_(codes))
        .order_by(Region.path.desc())
        .limit(1)
    ).first()
    if row is None:
        row = session.execute(
            select(StandardIndicator.name, StandardIndicator.unit)
            .where(StandardIndicator.code == code)
            .order_by(StandardIndicator.id.desc())
            .limit(1)
        ).first()
    return IndicatorDefinition(name=row[0], unit=row[1]) if row else None


def last_observed_year() -> int:
    """The last year a value may be entered for: the current year (UTC)."""
    return datetime.now(UTC).year


def _check_year(check: ValueCheck, year: int) -> None:
    this_year = last_observed_year()
    if not FIRST_YEAR <= year <= this_year:
        check.problems.append(
            Finding(
                "year",
                f"年份 {year} 不合理：应在 {FIRST_YEAR}—{this_year} 之间（只能录入已发生年份的数据）",
                f"year {year} is implausible: use {FIRST_YEAR}–{this_year} (only years that have happened)",
            )
        )


def _apply_reading(check: ValueCheck, reading: TextReading) -> None:
    check.reading = reading.as_dict()
    for message in reading.diagnostics:
        check.warnings.append(Finding("text", message[0], message[1]))
    if reading.says_missing and check.value is not None:
        check.problems.append(
            Finding(
                "text",
                f"文字“{reading.text}”表示没有数值，却同时填写了数值 {check.value:g}；请只保留一项",
                f"the text “{reading.text}” says there is no value, yet {check.value:g} was entered; keep one",
            )
        )
    if reading.number is None:
        return
    if check.value is None:
        check.value = reading.number
    elif not math.isclose(check.value, reading.number, rel_tol=1e-9, abs_tol=1e-12):
        check.problems.append(
            Finding(
                "text",
                f"数值 {check.value:g} 与文字中的 {reading.number:g} 不一致",
                f"the value {check.value:g} disagrees with {reading.number:g} in the text",
            )
        )
    if reading.unit and check.unit is None:
        check.unit = canonical_unit(reading.unit)


def _check_free_text(check: ValueCheck) -> None:
    """A text the value language does not understand at all (``abc``) is no value for an
    indicator measured in a unit: it blocks the save (docs/platform.md, entry with immediate
    feedback).  Indicators without a unit (milestones) keep any text as written."""
    if check.reading is None or check.reading["kind"] != UNREAD_KIND or check.expected_unit is None:
        return
    check.problems.append(
        Finding(
            "text",
            f"“{check.text}”不是数值：本指标以 {check.expected_unit} 计，请填写数值，"
            "或“暂无数据”“未统计”“/”等说明",
            f"“{check.text}” is not a value: this indicator is measured in {check.expected_unit}; "
            "enter a number, or a note such as 暂无数据, 未统计 or /",
        )
    )


def _check_unit(check: ValueCheck) -> None:
    if check.unit is not None and len(check.unit) > UNIT_MAX:
        check.problems.append(
            Finding(
                "unit",
                f"单位过长（超过 {UNIT_MAX} 个字符）",
                f"the unit is longer than {UNIT_MAX} characters",
            )
        )
        return
    if check.unit is None:
        check.unit = check.expected_unit
        return
    if check.expected_unit is not None and check.unit != check.expected_unit:
        check.problems.append(
            Finding(
                "unit",
                f"单位 {check.unit} 与指标单位 {check.expected_unit} 不符，请换算后录入",
                f"the unit {check.unit} differs from the indicator's unit {check.expected_unit}; convert first",
            )
        )


def _check_range(check: ValueCheck) -> None:
    value = check.value
    assert value is not None
    if not math.isfinite(value):
        check.problems.append(
            Finding("value", "数值必须是有限的数", "the value must be a finite number")
        )
        return
    if value < 0 and check.unit in vocabulary().canonical_units and check.unit not in SIGNED_UNITS:
        check.problems.append(
            Finding(
                "value",
                f"以 {check.unit} 计的数值不能为负（{value:g}）",
                f"a value in {check.unit} cannot be negative ({value:g})",
            )
        )
    if check.unit == "天" and value > DAYS_IN_YEAR_MAX:
        check.problems.append(
            Finding(
                "value",
                f"一年最多 {DAYS_IN_YEAR_MAX} 天（填写的是 {value:g}）",
                f"a year has at most {DAYS_IN_YEAR_MAX} days (got {value:g})",
            )
        )
    if check.unit == SHARE_UNIT and not 0 <= value <= 100:
        check.warnings.append(
            Finding(
                "value",
                f"百分比 {value:g}% 超出 0—100，请确认（增长率可以超出）",
                f"the percentage {value:g}% is outside 0–100; please confirm (growth rates may be)",
            )
        )


def _check_jump(session: Session, check: ValueCheck, region: Region, code: str, year: int) -> None:
    previous = session.scalar(
        select(Observation.value)
        .where(
            Observation.region_id == region.id,
            Observation.indicator_code == code,
            Observation.year < year,
            Observation.value.is_not(None),
        )
        .order_by(Observation.year.desc())
        .limit(1)
    )
    value = check.value
    if previous is None or value is None or previous == 0 or value == 0:
        return
    ratio = abs(value / previous)
    if ratio > JUMP_FACTOR or ratio < 1 / JUMP_FACTOR:
        check.warnings.append(
            Finding(
                "value",
                f"与上一年的 {previous:g} 相差超过 {JUMP_FACTOR:g} 倍，请核对数值和单位",
                f"more than {JUMP_FACTOR:g}× away from the previous year's {previous:g}; check value and unit",
            )
        )
