"""Store records → the plain JSON-ready dicts pages and the API return (no queries here)."""

from __future__ import annotations

from typing import Any

from ecociv.store.models import Observation, ObservationHistory, Plan, Project, Region, User


def region_dict(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent_code": region.parent.code if region.parent is not None else None,
        "terrain": region.terrain,
        "admin_class": region.admin_class,
        "city_size": region.city_size,
        "coastal": region.coastal,
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "name": plan.name,
        "region_code": plan.region.code,
        "region_name": plan.region.name,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "base_year": plan.base_year,
        "current_version": plan.current_version,
    }


def observation_dict(obs: Observation) -> dict[str, Any]:
    return {
        "region_code": obs.region.code,
        "indicator_code": obs.indicator_code,
        "year": obs.year,
        "value": obs.value,
        "text": obs.text,
        "unit": obs.unit,
        "source": obs.source,
        "note": obs.note,
        "confirmation": obs.confirmation,
        "version": obs.version,
        "updated_by": obs.updated_by,
        "updated_at": obs.updated_at.isoformat() if obs.updated_at else None,
    }


def history_dict(entry: ObservationHistory) -> dict[str, Any]:
    return {
        "year": entry.year,
        "version": entry.version,
        "value": entry.value,
        "text": entry.text,
        "unit": entry.unit,
        "source": entry.source,
        "note": entry.note,
        "confirmation": entry.confirmation,
        "changed_by": entry.changed_by,
        "changed_at": entry.changed_at.isoformat() if entry.changed_at else None,
        "replaced_by": entry.replaced_by,
        "replaced_at": entry.replaced_at.isoformat() if entry.replaced_at else None,
    }


def user_dict(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "role": user.role,
        "region_code": user.region.code if user.region is not None else None,
        "region_name": user.region.name if user.region is not None else None,
    }


def project_dict(project: Project) -> dict[str, Any]:
    return {
        "seq": project.seq,
        "category": project.category,
        "subcategory": project.subcategory,
        "name": project.name,
        "content": project.content,
        "nature": project.nature,
        "period_text": project.period_text,
        "period_start": project.period_start,
        "period_end": project.period_end,
        "investment_wan_yuan": project.investment_wan_yuan,
        "investment_text": project.investment_text,
        "lead_units": list(project.lead_units or []),
        "implementing_units": list(project.implementing_units or []),
    }
