"""Validation of an entered value: unit, plausible range, year, and the text read by
:func:`ecociv.expr.parse_value` — each finding says where and what to do, once, in the
editor's words (no internal kind or file names).

Problems block the save.  An outlier against the indicator's own history
(:mod:`ecociv.assess.outliers`) blocks it until the editor confirms it with a reason.  Warnings
(a share outside 0–100, a text kept as written) are shown and do not block.  A value in a unit
that converts to the indicator's (``亿元`` → ``万元``, ``units.yaml``) is converted; any other
unit is refused, naming the indicator's unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.assess.outliers import Outlier, find_outlier, outlier_rule
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
from ecociv.store.services.text_values import (
    UNREAD_KIND,
    TextReading,
    canonical_unit,
    read_text,
    split_number_and_unit,
)

FIRST_YEAR = 1949
TARGET_YEAR_MAX = 2100
"""The last year a plan's target may name (plans reach decades ahead, not centuries)."""
SIGNED_UNITS = frozenset({"%", "‰"})
"""Rates and shares may be negative (a growth rate); an amount in any other known unit
(µg/m³, 天, km², 万元 …) cannot."""
DAYS_IN_YEAR_MAX = 366
UNIT_MAX = 64
SHARE_UNIT = "%"
CONFIRMATION_MAX = 2000


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
    outlier: Finding | None = None
    """Set when the value breaks the outlier rule: saving it needs a confirmation reason."""

    @property
    def ok(self) -> bool:
        """Nothing blocks the save (an outlier still needs a confirmation)."""
        return not self.problems

    def require_confirmation(self, confirmation: str | None, where: str) -> str | None:
        """The reason to store with the value: required for an outlier, dropped otherwise."""
        reason = confirmation.strip() if confirmation and confirmation.strip() else None
        if self.outlier is None:
            return None
        if reason is None:
            raise ValidationError(
                f"{self.outlier.zh}；如数值属实，请填写确认理由后再保存",
                f"{self.outlier.en}; if the value is right, give a reason to confirm it",
                where=where,
                problems=[{"field": "confirmation", "zh": self.outlier.zh, "en": self.outlier.en}],
            )
        if len(reason) > CONFIRMATION_MAX:
            raise ValidationError(
                f"确认理由过长（超过 {CONFIRMATION_MAX} 个字符）",
                f"the confirmation reason is longer than {CONFIRMATION_MAX} characters",
                where=where,
            )
        return reason

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
    pending: dict[int, float] | None = None,
) -> ValueCheck:
    """Check one value; *pending* holds values of other years about to be saved with it (a
    bulk upload), which count as the indicator's history in place of the stored ones."""
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
    if value is None and text is None:
        check.problems.append(Finding("value", "请填写数值或文字说明", "enter a number or a text"))
    _check_unit(check)
    if check.value is not None:
        _check_range(check)
    if check.ok and check.value is not None:
        _check_outlier(session, check, region, indicator_code, year, pending or {})
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
    if reading.kind == UNREAD_KIND and check.expected_unit is not None:
        split = split_number_and_unit(reading.text)
        if split is not None:  # 26 mg/m3: a number and a word the value language does not know
            reading.number, reading.unit = split
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
        if reading.kind == UNREAD_KIND:
            _unread_text(check)
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


def _unread_text(check: ValueCheck) -> None:
    """A text the value language does not understand at all (``abc``) is no value for an
    indicator measured in a unit: it blocks the save (docs/platform.md, entry with immediate
    feedback).  Indicators without a unit (milestones) keep any text as written."""
    if check.expected_unit is None:
        check.warnings.append(
            Finding(
                "text",
                f"“{check.text}”不是数值，将按原文保存",
                f"“{check.text}” is not a number; it is kept as written",
            )
        )
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
    """Convert a unit the units table converts to the indicator's (``亿元`` → ``万元``, exactly);
    refuse any other unit, naming the one expected."""
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
    if check.expected_unit is None or check.unit == check.expected_unit:
        return
    known = vocabulary().units.get(check.unit)
    if known is not None and known.canonical == check.expected_unit:
        if check.value is not None:
            converted = float(Decimal(repr(check.value)) * known.factor)
            check.warnings.append(
                Finding(
                    "unit",
                    f"已将 {check.value:g} {check.unit} 换算为 {converted:g} {check.expected_unit}",
                    f"converted {check.value:g} {check.unit} to {converted:g} {check.expected_unit}",
                )
            )
            check.value = converted
        check.unit = check.expected_unit
        return
    check.problems.append(
        Finding(
            "unit",
            f"单位“{check.unit}”不能换算为本指标的单位 {check.expected_unit}；"
            f"请填写以 {check.expected_unit} 计的数值",
            f"the unit “{check.unit}” does not convert to this indicator's unit "
            f"{check.expected_unit}; enter the value in {check.expected_unit}",
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


def _check_outlier(
    session: Session,
    check: ValueCheck,
    region: Region,
    code: str,
    year: int,
    pending: dict[int, float],
) -> None:
    """Compare the value with the indicator's earlier values in the region, stored or
    *pending* (:func:`ecociv.assess.outliers.find_outlier`, rule and thresholds in
    ``assess/data/outliers.yaml``)."""
    value = check.value
    assert value is not None
    first = year - outlier_rule().history_years
    stored = session.execute(
        select(Observation.year, Observation.value).where(
            Observation.region_id == region.id,
            Observation.indicator_code == code,
            Observation.year < year,
            Observation.year >= first,
            Observation.value.is_not(None),
        )
    ).all()
    history = {y: v for y, v in stored if v is not None}
    history.update({y: v for y, v in pending.items() if first <= y < year})
    found = find_outlier(value, sorted(history.items()))
    if found is not None:
        check.outlier = _outlier_finding(value, found)


def _outlier_finding(value: float, found: Outlier) -> Finding:
    rule = outlier_rule()
    if found.rule == "previous_year":
        return Finding(
            "value",
            f"{value:g} 是 {found.reference_year} 年数值 {found.reference:g} 的 {found.measure:.2g} 倍"
            f"（超出 {1 / rule.previous_year_ratio:g}—{rule.previous_year_ratio:g} 倍），"
            "请核对数值、单位和小数点",
            f"{value:g} is {found.measure:.2g} times the {found.reference_year} value "
            f"{found.reference:g} (outside {1 / rule.previous_year_ratio:g}–"
            f"{rule.previous_year_ratio:g} times); check the number, unit and decimal point",
        )
    return Finding(
        "value",
        f"{value:g} 明显偏离本指标近年的数值（中位数 {found.reference:g}，"
        f"稳健 z 值 {found.measure:.2g}，阈值 {rule.modified_z_threshold:g}），请核对",
        f"{value:g} lies far from this indicator's recent values (median {found.reference:g}, "
        f"modified z-score {found.measure:.2g}, threshold {rule.modified_z_threshold:g}); check it",
    )
