"""The region export format (导出文件格式) as pydantic models, checked before anything is written.

:func:`parse_export` turns the dict read from an export (JSON or .xlsx) into checked tables
or raises one :class:`~ecociv.store.errors.ValidationError` that names the table, the row
(1-based) and the field.  Checked are: the format name and version; every row's fields and
their types (no missing, no unknown fields; ``year: "x"`` is refused); region codes (the same
rule as :func:`ecociv.store.services.regions.check_code`: no ``/``, quotes, spaces, CR/LF or
empty codes); duplicate keys; and that every row points at a row of the file it belongs to
(a plan's region, a version's plan, a target's indicator …) inside the exported subtree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
)
from pydantic import ValidationError as PydanticError

from ecociv.check.findings import CheckReport
from ecociv.store.errors import ValidationError
from ecociv.store.models import REGION_LEVELS
from ecociv.store.services.plan_review import FINDING_ID
from ecociv.store.services.regions import REGION_CODE_RULE, is_valid_code
from ecociv.store.services.value_check import FIRST_YEAR, TARGET_YEAR_MAX

EXPORT_FORMAT = "ecociv-region-export"
EXPORT_FORMAT_VERSION = 3
"""2 added each plan version's ``column_map`` and ``findings`` and the ``accepted_findings``
table; 3 added each value's ``confirmation`` (the reason an outlier was kept).  Files of
versions 1 and 2 still import, with none of them (:data:`ROW_MODELS_BY_VERSION`)."""
YEAR_MIN, YEAR_MAX = FIRST_YEAR, TARGET_YEAR_MAX
"""Years a plan or a target may name, as for entry (a plan's horizon reaches past today);
observed values are further held to 1949–this year by the entry rules (``value_check``)."""
NAME_MAX = 300
INDICATOR_CODE_PATTERN = r"^[A-Za-z0-9_.\-]+$"
"""Indicator codes are ASCII (``nat2021.living.urban_sewage_treatment``, ``plan.1a2b3c4d5e``):
they go into URLs, as in the API's paths."""
TEXT_MAX = 1_000_000


def _code(value: str) -> str:
    if not is_valid_code(value):
        raise ValueError(f"invalid region code {value!r}: {REGION_CODE_RULE}")
    return value


def _time(value: str) -> str:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO 8601 time: {value!r}") from None
    if parsed.tzinfo is None:
        raise ValueError(f"the time {value!r} has no time zone")
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("the text holds a NUL character (U+0000)")
    return value


def _check_report(value: dict[str, Any]) -> dict[str, Any]:
    """The stored findings are an ``ecociv check --json`` report (``docs/check-json.md``);
    checked strictly against its model, kept exactly as written."""
    CheckReport.model_validate(value, strict=True)
    return value


def _finding_id(value: str) -> str:
    if not FINDING_ID.fullmatch(value):
        raise ValueError(f"not a finding id <kind>:<12 hex digits>: {value[:100]!r}")
    return value


Code = Annotated[StrictStr, AfterValidator(_code)]
Text = Annotated[StrictStr, Field(max_length=TEXT_MAX), AfterValidator(_no_nul)]
Name = Annotated[StrictStr, Field(min_length=1, max_length=NAME_MAX), AfterValidator(_no_nul)]
IndicatorCode = Annotated[StrictStr, Field(max_length=100, pattern=INDICATOR_CODE_PATTERN)]
Who = Annotated[StrictStr, Field(max_length=100), AfterValidator(_no_nul)] | None
Time = Annotated[StrictStr, AfterValidator(_time)]
Year = Annotated[StrictInt, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Version = Annotated[StrictInt, Field(ge=1)]
Number = Annotated[StrictFloat, Field(allow_inf_nan=False)] | StrictInt
Json = dict[str, Any]
Findings = Annotated[Json, AfterValidator(_check_report)]
FindingId = Annotated[StrictStr, Field(max_length=100), AfterValidator(_finding_id)]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RegionRow(Row):
    code: Code
    name: Annotated[StrictStr, Field(min_length=1, max_length=100), AfterValidator(_no_nul)]
    level: Literal[REGION_LEVELS]  # type: ignore[valid-type]
    parent_code: Code | None
    terrain: StrictStr | None
    admin_class: StrictStr | None
    city_size: StrictStr | None
    coastal: StrictBool | None


class PlanRow(Row):
    region: Code
    name: Name
    period_start: Year | None
    period_end: Year | None
    base_year: Year | None
    current_version: Version
    created_at: Time


class ColumnMapData(Row):
    """A user's column roles as the web import saves them: ``{"tables": [...]}`` (the
    shape of ``ecociv ingest --columns``, ``ecociv.ingest.column_map``)."""

    tables: list[dict[str, Any]]


class VersionRowV1(Row):
    region: Code
    plan: Name
    version: Version
    source_json: Json
    source_sha256: Annotated[StrictStr, Field(max_length=64)] | None
    diff: Json | None
    imported_by: Who
    imported_at: Time


class VersionRow(VersionRowV1):
    column_map: ColumnMapData | None
    findings: Findings | None


class AcceptedFindingRow(Row):
    region: Code
    plan: Name
    finding_id: FindingId
    accepted_by: Who
    accepted_at: Time


class IndicatorRow(Row):
    region: Code
    plan: Name
    version: Version
    position: Annotated[StrictInt, Field(ge=0)]
    code: IndicatorCode
    parent_code: IndicatorCode | None
    seq: Text | None
    domain: Text | None
    task: Text | None
    name: Text
    unit: Text | None
    attribute: Text | None
    applicable: StrictBool
    baseline_year: Year | None
    baseline_text: Text | None
    standard_code: IndicatorCode | None
    match_confidence: Number | None
    cells: Json


class TargetRow(Row):
    region: Code
    plan: Name
    version: Version
    indicator: IndicatorCode
    year: Year
    text: Annotated[Text, Field(min_length=1)]
    target_version: Version
    updated_by: Who
    updated_at: Time


class TargetHistoryRow(Row):
    region: Code
    plan: Name
    version: Version
    indicator: IndicatorCode
    year: Year
    target_version: Version
    text: Text
    changed_by: Who
    changed_at: Time


class ProjectRow(Row):
    region: Code
    plan: Name
    version: Version
    position: Annotated[StrictInt, Field(ge=0)]
    seq: Text | None
    category: Text | None
    subcategory: Text | None
    name: Text
    content: Text | None
    nature: Text | None
    period_text: Text | None
    period_start: Year | None
    period_end: Year | None
    investment_wan_yuan: Number | None
    investment_text: Text | None
    investment_note: Text | None
    lead_units: list[Text]
    implementing_units: list[Text]


class ObservationRowV2(Row):
    region: Code
    indicator_code: IndicatorCode
    year: Year
    value: Number | None
    text: Text | None
    unit: Annotated[StrictStr, Field(max_length=64), AfterValidator(_no_nul)] | None
    source: Text | None
    note: Text | None
    version: Version
    updated_by: Who
    updated_at: Time


class ObservationHistoryRowV2(Row):
    region: Code
    indicator_code: IndicatorCode
    year: Year
    version: Version
    value: Number | None
    text: Text | None
    unit: Annotated[StrictStr, Field(max_length=64), AfterValidator(_no_nul)] | None
    source: Text | None
    note: Text | None
    changed_by: Who
    changed_at: Time
    replaced_by: Who
    replaced_at: Time


class ObservationRow(ObservationRowV2):
    confirmation: Text | None


class ObservationHistoryRow(ObservationHistoryRowV2):
    confirmation: Text | None


ROW_MODELS: dict[str, type[Row]] = {
    "ancestors": RegionRow,
    "regions": RegionRow,
    "plans": PlanRow,
    "plan_versions": VersionRow,
    "plan_indicators": IndicatorRow,
    "targets": TargetRow,
    "target_history": TargetHistoryRow,
    "projects": ProjectRow,
    "accepted_findings": AcceptedFindingRow,
    "observations": ObservationRow,
    "observation_history": ObservationHistoryRow,
}
"""Each table of the export and the model of its rows (the order is the export's)."""

_BEFORE_V3: dict[type[Row], type[Row]] = {
    ObservationRow: ObservationRowV2,
    ObservationHistoryRow: ObservationHistoryRowV2,
}
ROW_MODELS_BY_VERSION: dict[int, dict[str, type[Row]]] = {
    1: {
        name: VersionRowV1 if model is VersionRow else _BEFORE_V3.get(model, model)
        for name, model in ROW_MODELS.items()
        if name != "accepted_findings"
    },
    2: {name: _BEFORE_V3.get(model, model) for name, model in ROW_MODELS.items()},
    EXPORT_FORMAT_VERSION: ROW_MODELS,
}
"""The row models of each format version this code reads."""

UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "ancestors": ("code",),
    "regions": ("code",),
    "plans": ("region", "name"),
    "plan_versions": ("region", "plan", "version"),
    "plan_indicators": ("region", "plan", "version", "code"),
    "targets": ("region", "plan", "version", "indicator", "year"),
    "target_history": ("region", "plan", "version", "indicator", "year", "target_version"),
    "accepted_findings": ("region", "plan", "finding_id"),
    "observations": ("region", "indicator_code", "year"),
}
"""The natural key of each table: two rows with the same key are a malformed file."""

PARENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "plan_versions": ("plans", ("region", "plan")),
    "plan_indicators": ("plan_versions", ("region", "plan", "version")),
    "projects": ("plan_versions", ("region", "plan", "version")),
    "targets": ("plan_indicators", ("region", "plan", "version", "indicator")),
    "target_history": ("targets", ("region", "plan", "version", "indicator", "year")),
    "accepted_findings": ("plans", ("region", "plan")),
}
"""Which table each row must point into, and by which fields (in the parent's key order)."""

REGION_TABLES = ("plans", "observations", "observation_history")


class ExportHead(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    format: Literal["ecociv-region-export"]
    format_version: StrictInt
    region: Code
    tables: dict[str, list[dict[str, Any]]]


def parse_export(data: Any, *, where: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The export's tables as checked rows (plain dicts), or one :class:`ValidationError`."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValidationError(
            f"这不是 ecociv 行政区导出文件（缺少 format: {EXPORT_FORMAT}）",
            f"this is not an ecociv region export (format: {EXPORT_FORMAT} is missing)",
            where=where,
        )
    version = data.get("format_version")
    if type(version) is not int or version not in ROW_MODELS_BY_VERSION:
        readable = ", ".join(map(str, ROW_MODELS_BY_VERSION))
        raise ValidationError(
            f"导出文件格式版本 {version!r} 不受支持（支持 {readable}）",
            f"export format version {version!r} is not supported ({readable} are)",
            where=where,
        )
    models = ROW_MODELS_BY_VERSION[version]
    head = _validated(ExportHead, data, "export", 0, where)
    unknown = sorted(set(head.tables) - set(models))
    if unknown:
        raise ValidationError(
            f"导出文件含有未知的表：{', '.join(unknown)}",
            f"the export holds unknown tables: {', '.join(unknown)}",
            where=where,
        )
    tables = {
        name: [
            _validated(model, row, name, number, where).model_dump()
            for number, row in enumerate(head.tables.get(name, []), start=1)
        ]
        for name, model in models.items()
    }
    _upgrade(tables)
    _check_unique(tables, where)
    _check_tree(tables, head.region, where)
    _check_references(tables, where)
    return tables


def _upgrade(tables: dict[str, list[dict[str, Any]]]) -> None:
    """An older file's checked tables in the current shape: the fields and tables it predates
    are empty (a version-1 file has no column map, no findings, nothing accepted)."""
    for name, model in ROW_MODELS.items():
        rows = tables.setdefault(name, [])
        for row in rows:
            for field in model.model_fields.keys() - row.keys():
                row[field] = None


def _validated(model: type[BaseModel], row: Any, table: str, number: int, where: str | None) -> Any:
    try:
        return model.model_validate(row)
    except PydanticError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "-"
        place = f"{table} 第 {number} 行" if number else table
        place_en = f"table {table} row {number}" if number else table
        raise ValidationError(
            f"导出文件 {place} 字段 {field} 无效（{first['msg']}）",
            f"{place_en} field {field} is invalid ({first['msg']})",
            where=_where(where, table, number, field),
            problems=[
                {
                    "table": table,
                    "row": number,
                    "field": ".".join(map(str, e["loc"])),
                    "msg": e["msg"],
                }
                for e in exc.errors()
            ],
        ) from None


def _check_unique(tables: dict[str, list[dict[str, Any]]], where: str | None) -> None:
    region_codes: dict[str, int] = {}
    for table in ("ancestors", "regions"):
        for number, row in enumerate(tables[table], start=1):
            if row["code"] in region_codes:
                _refuse_duplicate(table, number, f"code={row['code']}", where)
            region_codes[row["code"]] = number
    for table, fields in UNIQUE_KEYS.items():
        if table in ("ancestors", "regions"):
            continue
        seen: set[tuple[Any, ...]] = set()
        for number, row in enumerate(tables[table], start=1):
            key = tuple(row[field] for field in fields)
            if key in seen:
                shown = ", ".join(f"{f}={v}" for f, v in zip(fields, key, strict=True))
                _refuse_duplicate(table, number, shown, where)
            seen.add(key)


def _refuse_duplicate(table: str, number: int, key: str, where: str | None) -> None:
    raise ValidationError(
        f"导出文件 {table} 第 {number} 行与前面的行重复（{key}）",
        f"table {table} row {number} repeats an earlier row ({key})",
        where=_where(where, table, number, None),
    )


def _check_tree(tables: dict[str, list[dict[str, Any]]], root: str, where: str | None) -> None:
    """Ancestors form one chain from the top down to the root's parent; every other region of
    ``regions`` hangs below the root (so nothing outside the exported subtree is named)."""
    parent: str | None = None
    for number, row in enumerate(tables["ancestors"], start=1):
        if row["parent_code"] != parent:
            _refuse_tree("ancestors", number, row, where)
        parent = row["code"]
    regions = tables["regions"]
    if not regions or regions[0]["code"] != root or regions[0]["parent_code"] != parent:
        raise ValidationError(
            f"导出文件 regions 表的第一行应为导出的行政区 {root}，其上级为 ancestors 表的最后一行",
            f"the first row of table regions must be the exported region {root}, "
            "under the last row of table ancestors",
            where=_where(where, "regions", 1, "code"),
        )
    inside = {root}
    for number, row in enumerate(regions[1:], start=2):
        if row["parent_code"] not in inside:
            _refuse_tree("regions", number, row, where)
        inside.add(row["code"])
    for table in REGION_TABLES:
        for number, row in enumerate(tables[table], start=1):
            if row["region"] not in inside:
                raise ValidationError(
                    f"导出文件 {table} 第 {number} 行的行政区 {row['region']} 不在导出的 {root} 及其下级中",
                    f"table {table} row {number} names region {row['region']}, "
                    f"which is not {root} or below it in the export",
                    where=_where(where, table, number, "region"),
                )


def _refuse_tree(table: str, number: int, row: dict[str, Any], where: str | None) -> None:
    raise ValidationError(
        f"导出文件 {table} 第 {number} 行：行政区 {row['code']} 的上级 {row['parent_code']} 不在它之前的行中",
        f"table {table} row {number}: the parent {row['parent_code']} of region {row['code']} "
        "is not in an earlier row",
        where=_where(where, table, number, "parent_code"),
    )


def _check_references(tables: dict[str, list[dict[str, Any]]], where: str | None) -> None:
    for table, (parent, fields) in PARENTS.items():
        parent_fields = UNIQUE_KEYS[parent]
        keys = {tuple(row[f] for f in parent_fields) for row in tables[parent]}
        for number, row in enumerate(tables[table], start=1):
            key = tuple(row[f] for f in fields)
            if key not in keys:
                shown = ", ".join(f"{f}={v}" for f, v in zip(fields, key, strict=True))
                raise ValidationError(
                    f"导出文件 {table} 第 {number} 行指向 {parent} 表中不存在的行（{shown}）",
                    f"table {table} row {number} points at no row of table {parent} ({shown})",
                    where=_where(where, table, number, None),
                )
    versions = {(r["region"], r["plan"], r["version"]) for r in tables["plan_versions"]}
    for number, row in enumerate(tables["plans"], start=1):
        if (row["region"], row["name"], row["current_version"]) not in versions:
            raise ValidationError(
                f"导出文件 plans 第 {number} 行的当前版本 {row['current_version']} 不在 plan_versions 表中",
                f"table plans row {number}: the current version {row['current_version']} "
                "is not in table plan_versions",
                where=_where(where, "plans", number, "current_version"),
            )


def _where(where: str | None, table: str, number: int, field: str | None) -> str:
    place = f"{table}:{number}" if number else table
    if field:
        place = f"{place}:{field}"
    return f"{where}:{place}" if where else place
