"""What a report is built from, read from the store in one place (the only module of this
package that touches the database).  Reading never writes: a report changes no data."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.report import chapters as optional
from ecociv.report.chapters import ChapterScope
from ecociv.store.models import Observation
from ecociv.store.services import plans, projects, regions
from ecociv.store.services.assessment import PlanAssessment, assess_plan
from ecociv.store.services.standards import DEFAULT_MATCH_VERSION


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name: str
    admin_class: str | None
    terrain: str | None
    city_size: str | None
    coastal: bool | None


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    version: int
    base_year: int | None
    period_start: int | None
    period_end: int | None


@dataclass(frozen=True)
class ProjectInfo:
    seq: str | None
    name: str
    category: str | None
    period_text: str | None
    period_start: int | None
    period_end: int | None
    investment_wan_yuan: float | None
    lead_units: tuple[str, ...]


@dataclass(frozen=True)
class ReportInputs:
    region: RegionInfo
    plan: PlanInfo
    year: int
    standard: str
    assessment: PlanAssessment
    projects: tuple[ProjectInfo, ...]
    sources: dict[str, str]
    """indicator code → source and note of the judged year's value (佐证材料)."""
    data_revision: str
    chapters: dict[str, Any] = field(default_factory=dict)
    """Optional chapter key → what it read (:mod:`ecociv.report.chapters`)."""


def gather(
    session: Session,
    plan_id: int,
    *,
    region_code: str | None,
    year: int,
    standard: str = DEFAULT_MATCH_VERSION,
    kind: str | None = None,
) -> ReportInputs:
    """Everything a report of *plan_id* for the region (the plan's own by default) as of *year*
    needs: the assessment with values up to *year*, the projects, the sources of the values,
    what the optional chapters of *kind* read, and the data revision of all of it."""
    plan = plans.get_plan(session, plan_id)
    version = plans.get_version(session, plan_id)
    region = regions.get_region(session, region_code) if region_code else plan.region
    assessment = assess_plan(session, plan_id, region_code=region.code, as_of=year)
    codes = [row.code for row in assessment.indicators]
    rows = session.execute(
        select(
            Observation.indicator_code,
            Observation.year,
            Observation.source,
            Observation.note,
        ).where(Observation.region_id == region.id, Observation.indicator_code.in_(codes))
    ).all()
    judged = {row.code: row.year for row in assessment.indicators}
    sources = {
        code: "；".join(part for part in (source, note) if part)
        for code, obs_year, source, note in rows
        if judged.get(code) == obs_year and (source or note)
    }
    scope = ChapterScope(plan.id, region.code, year)
    chapter_data = {
        c.key: c.read(session, scope)
        for c in optional.chapters()
        if kind is not None and kind in c.kinds
    }
    return ReportInputs(
        region=RegionInfo(
            region.code,
            region.name,
            region.admin_class,
            region.terrain,
            region.city_size,
            region.coastal,
        ),
        plan=PlanInfo(
            plan.id, plan.name, version.version, plan.base_year, plan.period_start, plan.period_end
        ),
        year=year,
        standard=standard,
        assessment=assessment,
        projects=tuple(
            ProjectInfo(
                p.seq,
                p.name,
                p.category,
                p.period_text,
                p.period_start,
                p.period_end,
                p.investment_wan_yuan,
                tuple(p.lead_units),
            )
            for p in projects.list_projects(session, plan_id)
        ),
        sources=sources,
        data_revision=_revision(
            session, region.id, codes, version.version, version.source_sha256, year, chapter_data
        ),
        chapters=chapter_data,
    )


def _revision(
    session: Session,
    region_id: int,
    codes: list[str],
    version: int,
    plan_sha: str | None,
    year: int,
    chapter_data: dict[str, Any],
) -> str:
    """``v<plan version>-<12 hex>``: the hash of the imported plan file, of every value the
    report read (number, text, lock version) and of what its optional chapters read; the same
    data gives the same revision."""
    values = session.execute(
        select(
            Observation.indicator_code,
            Observation.year,
            Observation.value,
            Observation.text,
            Observation.version,
        )
        .where(
            Observation.region_id == region_id,
            Observation.indicator_code.in_(codes),
            Observation.year <= year,
        )
        .order_by(Observation.indicator_code, Observation.year)
    ).all()
    hashed: list[Any] = [plan_sha, [list(v) for v in values]]
    if chapter_data:  # absent, the revision of a report without chapters is unchanged
        hashed.append(chapter_data)
    digest = hashlib.sha256(
        json.dumps(hashed, ensure_ascii=False, sort_keys=True, default=str).encode()
    ).hexdigest()
    return f"v{version}-{digest[:12]}"
