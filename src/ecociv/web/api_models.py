"""Request and response models of ``/api/v1`` (they make its OpenAPI document)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

CODE_PATTERN = r"^[A-Za-z0-9_.\-]+$"
"""Region and indicator codes are ASCII (``330106``, ``air.pm25_annual_mean``, ``plan.1a2b``)."""


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


JSONDict = dict[str, Any]
