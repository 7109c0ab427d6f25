"""Request and response models of ``/api/v1`` (they make its OpenAPI document)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecociv.model import Verdict

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
        (401, "not signed in, or an invalid token / 未登录或令牌无效"),
        (403, "forbidden for this user or region / 无权操作"),
        (404, "not found / 未找到"),
        (409, "duplicate year or a newer version exists / 数据冲突"),
        (422, "invalid input / 数据无效"),
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
    changed_by: str | None
    changed_at: str | None
    replaced_by: str | None
    replaced_at: str | None


class ObservationIn(BaseModel):
    """A value to store: a number (``value``) or the text as written (``text``, e.g. "≥90",
    "暂无数据"), read by ``ecociv.expr``.  ``expected_version`` is the version you read; leave
    it out to enter a new year."""

    model_config = ConfigDict(extra="forbid")

    value: float | None = Field(default=None, allow_inf_nan=False, ge=-1e12, le=1e12)
    text: str | None = Field(default=None, max_length=2000)
    unit: str | None = Field(default=None, max_length=64)
    source: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)
    expected_version: int | None = Field(default=None, ge=1, le=2**31 - 1)

    @model_validator(mode="after")
    def one_of_value_or_text(self) -> ObservationIn:
        if self.value is None and not (self.text or "").strip():
            raise ValueError("give value or text / 请填写数值或文字")
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

    text: str = Field(min_length=1, max_length=2000, pattern=r"\S")
    expected_version: int | None = Field(default=None, ge=1, le=2**31 - 1)
