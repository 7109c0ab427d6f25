"""The data of an indicator page (shared by the HTML page, its JSON twin and the API)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ecociv.store.models import PlanIndicator
from ecociv.store.services import assessment, indicators, observations, plans, regions
from ecociv.web.dashboard_data import indicator_row
from ecociv.web.present import history_dict, observation_dict, plan_dict, region_dict


def indicator_dict(indicator: PlanIndicator) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "seq": indicator.seq,
        "domain": indicator.domain,
        "task": indicator.task,
        "name": indicator.name,
        "unit": indicator.unit,
        "attribute": indicator.attribute,
        "applicable": indicator.applicable,
        "baseline_year": indicator.baseline_year,
        "baseline_text": indicator.baseline_text,
        "standard_code": indicator.standard_code,
        "targets": [
            {
                "year": t.year,
                "text": t.text,
                "version": t.version,
                "updated_by": t.updated_by,
                "updated_at": t.updated_at.isoformat() if t.updated_at else None,
            }
            for t in indicator.targets
        ],
    }


def indicator_detail(
    db: Session,
    plan_id: int,
    code: str,
    region_code: str | None,
    lang: str = "zh",
    as_of: int | None = None,
) -> dict[str, Any]:
    """The indicator, its values and history for the region, and its row of the dashboard
    (verdict, standard verdict, projection, chart) as of *as_of* (the latest year by default);
    the baseline is the region's own (a district's, not its city's)."""
    plan = plans.get_plan(db, plan_id)
    region = regions.get_region(db, region_code) if region_code else plan.region
    indicator = indicators.find_indicator(db, plan_id, code)
    values = observations.list_observations(db, region.code, indicator_codes=[code])
    judged = assessment.assess_plan_indicator(
        db, plan_id, code, region_code=region.code, as_of=as_of
    )
    row = indicator_row(judged, lang) if judged is not None else None
    years = [v.year for v in values]
    target_history = [
        {
            "year": target.year,
            "version": old.version,
            "text": old.text,
            "changed_by": old.changed_by,
            "changed_at": old.changed_at.isoformat() if old.changed_at else None,
        }
        for target in indicator.targets
        for old in indicators.target_history(db, target.id)
    ]
    return {
        "plan": plan_dict(plan),
        "region": region_dict(region),
        "indicator": indicator_dict(indicator),
        "values": [observation_dict(v) for v in values],
        "history": [
            history_dict(h) for h in observations.observation_history(db, region.code, code)
        ],
        "verdict": row["verdict"] if row else None,
        "standard_verdict": row["standard_verdict"] if row else None,
        "projection": row["projection"] if row else None,
        "chart_kind": row["chart_kind"] if row else None,
        "chart": row["chart"] if row else None,
        "timeline": row["timeline"] if row else None,
        "next_year": max(years) + 1 if years else plan.base_year,
        "as_of": as_of,
        "years": sorted(set(years), reverse=True),
        "baseline_text": row["baseline_text"] if row else indicator.baseline_text,
        "target_history": target_history,
    }
