"""Request and response models of ``/api/v1/projects/{id}/evaluations`` (绩效评价)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ecociv.web.api_types import number, safe_text
from ecociv.web.api_work_models import Day, Name, Text, Version, Year

Points = number(0, 100)
Comment = safe_text(2000)
IndicatorCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class IndicatorScoreIn(BaseModel):
    """One indicator's score (0 to its points), or ``null`` for 不适用 with a comment why."""

    model_config = ConfigDict(extra="forbid")

    score: Points | None
    comment: Comment = ""


class EvaluationIn(BaseModel):
    """The evaluator, the day, every indicator of the set keyed by its code, and an overall
    comment."""

    model_config = ConfigDict(extra="forbid")

    evaluator: Name
    evaluated_on: Day
    scores: dict[IndicatorCode, IndicatorScoreIn] = Field(
        max_length=200, json_schema_extra={"additionalProperties": False}
    )
    comment: Text = ""


class EvaluationCreateIn(EvaluationIn):
    """A new evaluation of *year* (one per project and year)."""

    year: Year


class EvaluationUpdateIn(EvaluationIn):
    """The year's evaluation again, from the version read."""

    expected_version: Version


class EvaluationOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    year: int
    indicator_set_version: str
    evaluator: str
    evaluated_on: str
    scores: dict[str, dict[str, object]]
    total: float
    grade: str
    grade_label: str
    comment: str | None
    version: int
    updated_by: str | None
