"""Request and response models of the report endpoints of ``/api/v1`` (``docs/reports.md``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from ecociv.report.history import MAX_TEXT
from ecociv.report.registry import registry
from ecociv.standards import catalog
from ecociv.store.services.standards import DEFAULT_MATCH_VERSION
from ecociv.store.services.value_check import FIRST_YEAR, TARGET_YEAR_MAX
from ecociv.web.api_models import CODE_PATTERN
from ecociv.web.api_types import safe_text


def _known_kind(kind: str) -> str:
    if kind not in registry().kinds:
        raise PydanticCustomError(
            "unknown_report_kind",
            "报告类型 {kind} 不存在 / unknown report kind {kind}",
            {"kind": kind[:50]},
        )
    return kind


ReportKind = Annotated[
    str,
    Field(max_length=32, json_schema_extra={"enum": list(registry().kinds)}),
    AfterValidator(_known_kind),
]
"""A kind of ``report/data/kinds.yaml``, listed in the document as they are in the registry."""


def _known_standard(version: str) -> str:
    if version not in catalog.versions():
        raise PydanticCustomError(
            "unknown_standard",
            "标准版本 {version} 不存在 / unknown standard version {version}",
            {"version": version[:50]},
        )
    return version


StandardVersion = Annotated[
    str,
    Field(max_length=32, json_schema_extra={"enum": list(catalog.versions())}),
    AfterValidator(_known_standard),
]
NarrativeText = safe_text(MAX_TEXT)
NarrativeKey = Annotated[str, Field(max_length=32)]
"""Checked against the kind's editable sections by the service (422 naming the key)."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="ignore")


class NarrativeKindOut(_Out):
    key: str
    title_zh: str
    title_en: str


class ReportKindOut(_Out):
    key: str
    title_zh: str
    title_en: str
    sections_zh: list[str]
    sections_en: list[str]
    narratives: list[NarrativeKindOut]
    """The editable sections (形势分析, 存在问题 …) a request may send texts for."""
    formats: list[str]


class ReportIn(BaseModel):
    """A report to generate and keep: the kind and year, the region (the plan's own by
    default), the format, the language, the standard, and edited texts of its editable
    sections (the others keep the newest stored version's text, else the pre-filled one)."""

    model_config = ConfigDict(extra="forbid")

    kind: ReportKind
    year: Annotated[int, Field(ge=FIRST_YEAR, le=TARGET_YEAR_MAX)]
    region: Annotated[str, Field(max_length=32, pattern=CODE_PATTERN)] | None = None
    format: Literal["docx", "xlsx", "pdf"] = "docx"
    lang: Literal["zh", "en"] = "zh"
    standard: StandardVersion = DEFAULT_MATCH_VERSION
    narratives: dict[NarrativeKey, NarrativeText] = Field(default_factory=dict, max_length=20)  # type: ignore[valid-type]


class NarrativeOut(_Out):
    title: str
    text: str


class ReportLinksOut(_Out):
    self: str
    download: str
    page: str


class ReportOut(_Out):
    id: int
    plan_id: int
    region_code: str
    region_name: str
    kind: str
    title: str
    year: int
    format: str
    lang: str
    standard: str
    plan_version: int
    data_revision: str
    template_name: str | None
    size_bytes: int
    sha256: str
    created_by: str | None
    created_at: str
    narratives: dict[str, NarrativeOut]
    links: ReportLinksOut


def report_dict(row: Any) -> dict[str, Any]:
    """A stored report (``GeneratedReport``) as the API and the report page show it."""
    region = row.region
    return {
        "id": row.id,
        "plan_id": row.plan_id,
        "region_code": region.code,
        "region_name": region.name,
        "kind": row.kind,
        "title": row.title,
        "year": row.year,
        "format": row.fmt,
        "lang": row.lang,
        "standard": row.standard,
        "plan_version": row.plan_version,
        "data_revision": row.data_revision,
        "template_name": row.template_name,
        "size_bytes": row.size_bytes,
        "sha256": row.file_sha256,
        "created_by": row.created_by,
        "created_at": row.created_at.isoformat(),
        "narratives": row.narratives,
        "links": {
            "self": f"/api/v1/reports/{row.id}",
            "download": f"/api/v1/reports/{row.id}/file",
            "page": f"/plans/{row.plan_id}/reports?region={region.code}",
        },
    }
