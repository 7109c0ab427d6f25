"""Core value types shared by every part of ecociv.

These are the interfaces between the stages of the data flow (see ``docs/architecture.md``):

* ingest produces a :class:`Plan` (its JSON form is public: ``docs/plan-json.md``);
* assess produces :class:`Verdict` values;
* monitor produces :class:`Observation` values;
* store, web and report read all three.

They are plain pydantic models: validated when built, serialisable to JSON, no I/O inside.
Fields may be added (the JSON schema version then moves on a minor step); fields are never
renamed or removed without a major step.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PLAN_SCHEMA_VERSION = "1.2"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- locations


class SourceSpan(_Model):
    """Where a thing came from in its source document.

    Text inputs fill the 1-based ``line_start``/``line_end``; .docx inputs the 0-based
    ``paragraph`` or table ``row``/``col`` indices; .xlsx inputs ``sheet`` and ``cell_ref``
    (e.g. ``"B7"``).
    """

    file: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    sheet: str | None = None
    cell_ref: str | None = None


Severity = Literal["info", "warning", "error"]


class Diagnostic(_Model):
    """Something a reader or parser could not fully understand, with where and why."""

    code: str
    severity: Severity = "warning"
    message_zh: str
    message_en: str
    where: SourceSpan | None = None
    table: int | None = None
    row: int | None = None
    column: str | None = None
    text: str | None = None


# --------------------------------------------------------------------------- plans

TableKind = Literal["indicator", "review", "project", "box", "other"]


class Column(_Model):
    """A column of a classified table: its header text and the role read from it.

    ``key`` is unique within the table and is the key of :attr:`IndicatorRow.cells`
    (e.g. ``"baseline"``, ``"target_2025"``, ``"standard_national"``, ``"verdict_national"``).
    ``role`` is the generic role (``"target"``, ``"standard"``, ``"verdict"`` …); ``year``
    is set for baselines and targets; ``compares`` lists, for a verdict column, the keys of
    the columns it judges (value first, requirement second).  ``confidence`` (0–1) says how
    sure the role is and ``basis`` why: ``header``, ``group``, ``year``, ``content``,
    ``header+content``, ``content_over_header``, ``mapping`` or ``none``.
    """

    index: int
    key: str
    role: str
    header: str
    year: int | None = None
    scope: str | None = None
    compares: list[str] = Field(default_factory=list)
    confidence: float | None = None
    basis: str | None = None


class Cell(_Model):
    """One cell of a classified table: the raw text (never altered) and where it came from.

    ``expr`` holds the parsed expression (``ecociv.expr``) as JSON when the cell was parsed.
    """

    text: str
    where: SourceSpan | None = None
    expr: dict[str, Any] | None = None


class IndicatorRow(_Model):
    """A row of an indicator or review table (and, recursively, its sub-items).

    ``marker`` is a national-only / provincial-only mark (``*``, ``**``); ``scope_names``
    holds the names of an indicator whose cell gives one name per standard
    (``{"national": …, "provincial": …}``).
    """

    seq: str | None = None
    domain: str | None = None
    task: str | None = None
    name: str
    unit: str | None = None
    attribute: str | None = None
    marker: str | None = None
    scope_names: dict[str, str] = Field(default_factory=dict)
    region_class: str | None = None
    applicable: bool = True
    cells: dict[str, Cell] = Field(default_factory=dict)
    subitems: list[IndicatorRow] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class ProjectRow(_Model):
    """A row of a key-project table (重点项目).

    ``category_path`` lists every filled-down grouping level of the row, outermost first
    (分类, 项目类型, and a finer sub-category where only some rows carry one);
    ``category``/``subcategory`` are its first two levels.
    """

    seq: str | None = None
    category: str | None = None
    subcategory: str | None = None
    category_path: list[str] = Field(default_factory=list)
    name: str
    content: str | None = None
    nature: str | None = None
    period_text: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    investment_wan_yuan: float | None = None
    investment_text: str | None = None
    investment_note: str | None = None
    lead_units: list[str] = Field(default_factory=list)
    implementing_units: list[str] = Field(default_factory=list)
    cells: dict[str, Cell] = Field(default_factory=dict)


class PlanTable(_Model):
    """A table of the plan, classified by meaning."""

    index: int
    kind: TableKind
    caption: str | None = None
    where: SourceSpan | None = None
    columns: list[Column] = Field(default_factory=list)
    rows: list[IndicatorRow | ProjectRow | list[Cell]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    stated_total_wan_yuan: float | None = None
    computed_total_wan_yuan: float | None = None
    text: str | None = None


class PlanMetadata(_Model):
    region: str | None = None
    name: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    base_year: int | None = None
    target_years: list[int] = Field(default_factory=list)
    cited_standards: list[str] = Field(default_factory=list)


class PlanSource(_Model):
    path: str
    format: Literal["docx", "tika", "xlsx"]
    encoding: str | None = None
    sha256: str | None = None
    size_bytes: int | None = None


class Plan(_Model):
    """A plan document, structured: metadata, classified tables, and every diagnostic."""

    schema_version: str = PLAN_SCHEMA_VERSION
    source: PlanSource
    metadata: PlanMetadata = Field(default_factory=PlanMetadata)
    tables: list[PlanTable] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)


# --------------------------------------------------------------------------- verdicts


class VerdictStatus(StrEnum):
    """The six states of a judgment (``docs/verdicts.md``)."""

    MET = "met"
    NOT_MET = "not_met"
    NO_DATA = "no_data"
    NOT_APPLICABLE = "not_applicable"
    IN_PROGRESS = "in_progress"
    NEEDS_REVIEW = "needs_review"

    @property
    def zh(self) -> str:
        return _STATUS_ZH[self]

    @property
    def en(self) -> str:
        """The state in English words (``needs review``), for reasons read by people."""
        return self.value.replace("_", " ")


_STATUS_ZH = {
    VerdictStatus.MET: "达标",
    VerdictStatus.NOT_MET: "未达标",
    VerdictStatus.NO_DATA: "无数据",
    VerdictStatus.NOT_APPLICABLE: "不适用",
    VerdictStatus.IN_PROGRESS: "推进中",
    VerdictStatus.NEEDS_REVIEW: "需人工判定",
}


class Verdict(_Model):
    """A judgment with its reasons; never a bare boolean.

    ``margin`` is value − threshold in the indicator's unit, signed so that positive is good;
    ``clause`` is the canonical text of the part of the requirement that decided;
    ``missing`` names the inputs a ``needs_review`` verdict lacks.
    """

    status: VerdictStatus
    reason_zh: str
    reason_en: str
    margin: float | None = None
    unit: str | None = None
    clause: str | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)
    items: list[Verdict] = Field(default_factory=list)


# --------------------------------------------------------------------------- observations


class Observation(_Model):
    """A value of an indicator for a region and a year, with its provenance."""

    indicator_code: str
    region_code: str
    year: int
    value: float | None = None
    text: str | None = None
    unit: str | None = None
    source: str | None = None
    method: str | None = None
    note: str | None = None
