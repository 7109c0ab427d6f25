"""Request and response models of ``/api/v1`` (they make its OpenAPI document)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from ecociv.model import Verdict
from ecociv.web.api_types import (
    FILLED_PATTERN,
    filled_text,
    is_filled,
    number,
    safe_text,
    whole_number,
)

CODE_PATTERN = r"^[A-Za-z0-9_.\-]+$"
"""Region and indicator codes are ASCII (``330106``, ``air.pm25_annual_mean``, ``plan.1a2b``)."""


class ErrorOut(BaseModel):
    """Every error: the message in Chinese and English, where it happened, and details."""

    detail: str
    detail_en: str | None = None
    where: str | None = None
    problems: list[Any] | None = None
    current: dict[str, Any] | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (400, "请求无法处理 / the request cannot be processed"),
        (401, "未登录或令牌无效 / not signed in, or an invalid token"),
        (403, "无权操作，或缺少 CSRF 令牌 / forbidden for this user or region, or no CSRF token"),
        (404, "未找到 / not found"),
        (409, "同一年份已有数据或已有更新的版本 / duplicate year or a newer version exists"),
        (413, "请求体过大 / the request body is too large"),
        (422, "数据无效（problems 列出每一处）/ invalid input (problems lists each one)"),
    )
}


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class RegionOut(_Out):
    code: str
    name: str
    level: str
    parent_code: str | None
    terrain: str | None
    admin_class: str | None
    city_size: str | None
    coastal: bool | None


class PlanOut(_Out):
    id: int
    name: str
    region_code: str
    region_name: str
    period_start: int | None
    period_end: int | None
    base_year: int | None
    current_version: int


class TargetOut(_Out):
    year: int
    text: str
    version: int


class IndicatorOut(_Out):
    code: str
    seq: str | None
    domain: str | None
    task: str | None
    name: str
    unit: str | None
    attribute: str | None
    applicable: bool
    baseline_year: int | None
    baseline_text: str | None
    standard_code: str | None
    targets: list[TargetOut]


class ProjectOut(_Out):
    seq: str | None
    category: str | None
    subcategory: str | None
    name: str
    content: str | None
    nature: str | None
    period_text: str | None
    period_start: int | None
    period_end: int | None
    investment_wan_yuan: float | None
    investment_text: str | None
    lead_units: list[str]
    implementing_units: list[str]


class InvestmentGroupOut(_Out):
    key: str
    total_wan_yuan: float
    projects: int
    unpriced: int


class ObservationOut(_Out):
    region_code: str
    indicator_code: str
    year: int
    value: float | None
    text: str | None
    unit: str | None
    source: str | None
    note: str | None
    confirmation: str | None
    version: int
    updated_by: str | None
    updated_at: str | None


class HistoryOut(_Out):
    year: int
    version: int
    value: float | None
    text: str | None
    unit: str | None
    source: str | None
    note: str | None
    confirmation: str | None
    changed_by: str | None
    changed_at: str | None
    replaced_by: str | None
    replaced_at: str | None


Version = whole_number(1, 2**31 - 1)
Value = number(-1e12, 1e12)
LongText = safe_text(2000)
Unit = safe_text(64)
Source = safe_text(200)
TargetText = filled_text(2000)


class ObservationIn(BaseModel):
    """A value to store: a number (``value``) or the text as written (``text``, e.g. "≥90",
    "暂无数据"), read by ``ecociv.expr``.  ``expected_version`` is the version you read; leave
    it out to enter a new year."""

    model_config = ConfigDict(
        extra="forbid",
        # The rule "a value or a text" in the document too, so no request it allows is refused.
        json_schema_extra={
            "anyOf": [
                {"required": ["value"], "properties": {"value": {"type": "number"}}},
                {
                    "required": ["text"],
                    "properties": {"text": {"type": "string", "pattern": FILLED_PATTERN}},
                },
            ]
        },
    )

    value: Value | None = None
    text: LongText | None = None
    unit: Unit | None = None
    source: Source | None = None
    note: LongText | None = None
    confirmation: LongText | None = None
    """Why a value the outlier rule flags is right (required for such a value)."""
    expected_version: Version | None = None

    @model_validator(mode="after")
    def one_of_value_or_text(self) -> ObservationIn:
        if self.value is None and not is_filled(self.text):
            raise ValueError("请填写数值或文字 / give a value or a text")
        return self


class ProjectionOut(_Out):
    status: str
    category: str
    reason_zh: str
    reason_en: str
    method: str
    target_year: int
    target_value: float
    anticipated_value: float | None
    progress_made: float | None
    anticipated_progress: float | None


class TargetValueOut(_Out):
    """A target as written and, when it is a plain number or a one-sided bound, its number."""

    year: int
    text: str
    value: float | None


class IndicatorVerdictOut(_Out):
    code: str
    seq: str | None
    name: str
    domain: str | None
    unit: str | None
    baseline_year: int | None
    baseline_value: float | None
    targets: list[TargetValueOut]
    year: int | None
    latest: dict[str, Any] | None
    target_year: int | None
    target_text: str | None
    target_value: float | None
    standard_threshold: float | None
    better: str | None
    verdict: Verdict
    standard_verdict: Verdict | None
    projection: ProjectionOut | None


class DomainCountsOut(_Out):
    domain: str
    counts: dict[str, int]
    total: int


class VerdictsOut(_Out):
    """The dashboard's data without its charts (``/plans/{id}.json`` has them too)."""

    plan_id: int
    region_code: str
    version: int
    as_of: int | None
    totals: dict[str, int]
    counts_by_domain: list[DomainCountsOut]
    indicators: list[IndicatorVerdictOut]


class TargetIn(BaseModel):
    """A target as the plan writes it (``≥90``, ``完成上级下达任务``); ``expected_version`` is
    the version you read, left out for a year that has no target yet."""

    model_config = ConfigDict(extra="forbid")

    text: TargetText
    expected_version: Version | None = None
