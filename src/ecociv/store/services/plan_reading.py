"""Reading a plan upload for import: the plan with the user's column mapping (or the one
stored with the plan's current version, on a re-import) and the findings of ``ecociv check``
without those the plan's reviewers accepted (issues 9 and 16).

One path for the web import preview and ``ecociv plan import``: a mapping is data in the form
of an ``ecociv ingest --columns`` file (``{"tables": [...]}``, ``ecociv.ingest.column_map``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ecociv import model
from ecociv.store.services import plan_review, plans


def read_upload_plan(
    path: Path, column_map: dict[str, Any] | None
) -> tuple[model.Plan, dict[str, Any]]:
    """The plan read from *path* with *column_map*, and its check report (every finding) as
    JSON data (``docs/check-json.md``)."""
    from ecociv.check import prose_lines, report
    from ecociv.ingest.api import plan_from_document, read_document
    from ecociv.ingest.column_map import column_map_from_data

    mapping = None
    if column_map and column_map.get("tables"):
        mapping = column_map_from_data(column_map, f"{path.name} 列映射 / column mapping")
    document = read_document(path)
    plan = plan_from_document(document, column_map=mapping)
    if plan.metadata.name is None:
        plan.diagnostics.append(name_from_file(path))
    checked = json.loads(report(plan, prose_lines(document)).model_dump_json())
    return plan, _named(checked, path.name)


def name_from_file(path: Path) -> model.Diagnostic:
    """The finding of a document that states no plan name (``ecociv.ingest.metadata``): the
    plan will be named after its file, and a different file name on the next import would make
    a second plan instead of a new version."""
    return model.Diagnostic(
        code="plan_name_from_file",
        severity="warning",
        message_zh=f"文件中没有找到规划名称（封面标题、“编制《…规划》”或文档属性标题），将以文件名“{path.stem}”"
        "作为规划名称；请在导入时填写正式名称，以免再次导入时成为另一个规划",
        message_en="the document states no plan name (cover title, 编制《…规划》 or title property); "
        f"the file name “{path.stem}” will name the plan: give the official name when "
        "importing, or the next import may become a second plan",
        text=path.stem,
    )


@dataclass(frozen=True)
class ImportReading:
    """An upload read for import."""

    plan: model.Plan
    findings: dict[str, Any]
    """The check report with every finding (what a confirmed version stores)."""
    shown: dict[str, Any]
    """The same without the findings the plan's reviewers accepted (what a preview shows)."""
    column_map: dict[str, Any] | None
    reused: bool
    """Whether *column_map* is the one stored with the plan's current version."""


def read_for_import(
    session: Session, path: Path, region_code: str, name: str | None, column_map: dict | None
) -> ImportReading:
    """The upload read with *column_map*, or, when none is given, with the mapping stored
    with the region's plan of the same name (a re-import), and its check findings."""
    plan, review = read_upload_plan(path, column_map)
    stored = plans.find_plan(session, region_code, plans.plan_name_of(plan, name))
    if stored is None:
        return ImportReading(plan, review, review, column_map, reused=False)
    reused = False
    if column_map is None:
        column_map = plan_review.stored_column_map(session, region_code, stored.name)
        if column_map is not None:
            plan, review = read_upload_plan(path, column_map)
            reused = True
    shown = without_accepted(review, plan_review.accepted_ids(session, stored.id))
    return ImportReading(plan, review, shown, column_map, reused)


def _named(review: dict[str, Any], name: str) -> dict[str, Any]:
    """The report with the upload's file name where the check wrote its path on the server
    (the upload folder is nobody's business; the ids do not depend on it)."""
    for finding in review["findings"]:
        for location in finding["locations"]:
            location["file"] = name
    return {**review, "source": name}


def without_accepted(review: dict[str, Any], accepted: list[str]) -> dict[str, Any]:
    """The check report with the findings accepted as is left out (listed under
    ``accepted``) and the counts of those shown."""
    hidden = set(accepted)
    shown = [f for f in review["findings"] if f["id"] not in hidden]
    counts = {s: sum(1 for f in shown if f["severity"] == s) for s in review["counts"]}
    return {**review, "findings": shown, "accepted": sorted(hidden), "counts": counts}
