"""Manual inputs for verdicts that need review (需人工判定): the target handed down from above
(上级下达目标) and a reasoned manual judgement (人工判定), per region, indicator and year.

Both are written by whoever may edit the region's data (an approver too: judging is their
call), carry their source or reason (required), keep a version against lost updates, and are
audited.  :mod:`ecociv.store.services.assessment` feeds them to the verdict with their source
shown (``docs/verdicts.md``).
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ecociv.expr import parse
from ecociv.expr.ast import Text
from ecociv.store.errors import Conflict, Forbidden, ValidationError
from ecociv.store.models import Region, utcnow
from ecociv.store.services import audit
from ecociv.store.services.access import can_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.regions import get_region
from ecociv.store.tables.cycle import MANUAL_STATUSES, ManualJudgement, Quota

STATUS_ZH = {
    "met": "达标",
    "not_met": "未达标",
    "not_applicable": "不适用",
    "in_progress": "推进中",
}
TEXT_MAX = 2000
Row = TypeVar("Row", Quota, ManualJudgement)


def require_judge(actor: Actor, region: Region) -> None:
    """Data editors of the region, its approvers and admins may enter manual inputs."""
    if isinstance(actor, str) or can_edit(actor, region):
        return
    if actor.active and actor.role == "approver" and actor.region is not None:
        if region.path.startswith(actor.region.path):
            return
    raise Forbidden(
        f"用户 {actor.name}（{actor.role}）无权为 {region.name}（{region.code}）录入人工判定或上级下达目标",
        f"user {actor.name} ({actor.role}) may not enter manual judgements or quotas for "
        f"{region.name} ({region.code})",
        where=region.code,
    )


def set_quota(
    session: Session,
    actor: Actor,
    *,
    region_code: str,
    indicator_code: str,
    year: int,
    text: str,
    source: str,
    expected_version: int | None = None,
) -> Quota:
    """Enter or change the quota; *text* is a requirement (``≤30``, ``下降10%``) that must
    parse, *source* the document that hands it down (文号)."""
    region = get_region(session, region_code)
    require_judge(actor, region)
    where = f"{region_code}/{indicator_code}/{year}"
    text, source = (
        _required(text, "上级下达目标", "the quota", where),
        _required(source, "下达文件（来源）", "the source document", where),
    )
    parsed = parse(text)
    if isinstance(parsed.expr, Text):
        raise ValidationError(
            f"无法识别上级下达目标“{text}”；请写成如 ≤30、≥90、下降10% 的形式",
            f"the quota “{text}” cannot be read; write it like ≤30, ≥90 or 下降10%",
            where=where,
        )
    row = _find(session, Quota, region, indicator_code, year)
    return _write(
        session,
        actor,
        Quota,
        row,
        region,
        indicator_code,
        year,
        expected_version,
        where,
        {"text": text, "source": source},
        "quota",
    )


def set_judgement(
    session: Session,
    actor: Actor,
    *,
    region_code: str,
    indicator_code: str,
    year: int,
    status: str,
    reason: str,
    expected_version: int | None = None,
) -> ManualJudgement:
    """Enter or change a manual judgement: one of :data:`MANUAL_STATUSES` and its reason."""
    region = get_region(session, region_code)
    require_judge(actor, region)
    where = f"{region_code}/{indicator_code}/{year}"
    if status not in MANUAL_STATUSES:
        raise ValidationError(
            f"判定结果须为：{'、'.join(STATUS_ZH.values())}",
            f"the judgement must be one of {', '.join(MANUAL_STATUSES)}",
            where=where,
        )
    reason = _required(reason, "判定理由", "the reason", where)
    row = _find(session, ManualJudgement, region, indicator_code, year)
    return _write(
        session,
        actor,
        ManualJudgement,
        row,
        region,
        indicator_code,
        year,
        expected_version,
        where,
        {"status": status, "reason": reason},
        "manual_judgement",
    )


def quotas_for(session: Session, region: Region, codes: list[str]) -> dict[tuple[str, int], Quota]:
    rows = session.scalars(
        select(Quota).where(Quota.region_id == region.id, Quota.indicator_code.in_(codes))
    )
    return {(row.indicator_code, row.year): row for row in rows}


def judgements_for(
    session: Session, region: Region, codes: list[str]
) -> dict[tuple[str, int], ManualJudgement]:
    rows = session.scalars(
        select(ManualJudgement).where(
            ManualJudgement.region_id == region.id, ManualJudgement.indicator_code.in_(codes)
        )
    )
    return {(row.indicator_code, row.year): row for row in rows}


def _required(value: str, zh: str, en: str, where: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"请填写{zh}", f"{en} is required", where=where)
    if len(value) > TEXT_MAX:
        raise ValidationError(
            f"{zh}不能超过 {TEXT_MAX} 个字符",
            f"{en} may have at most {TEXT_MAX} characters",
            where=where,
        )
    return value


def _find(
    session: Session, model: type[Row], region: Region, indicator_code: str, year: int
) -> Row | None:
    return session.scalar(
        select(model).where(
            model.region_id == region.id,
            model.indicator_code == indicator_code,
            model.year == year,
        )
    )


def _write(
    session: Session,
    actor: Actor,
    model: type[Row],
    row: Row | None,
    region: Region,
    indicator_code: str,
    year: int,
    expected_version: int | None,
    where: str,
    fields: dict[str, str],
    entity: str,
) -> Row:
    if row is not None and row.version != expected_version:
        raise Conflict(
            f"{where} 已被 {row.updated_by or '他人'} 修改（现为第 {row.version} 版）；请刷新后再改",
            f"{where} was changed by {row.updated_by or 'someone else'} (now version "
            f"{row.version}); reload and edit the latest",
            where=where,
            current=audit.snapshot(row),
        )
    if row is None and expected_version is not None:
        raise Conflict(f"{where} 已被他人删除，请刷新", f"{where} was deleted; reload", where=where)
    before = audit.snapshot(row) if row is not None else None
    if row is None:
        row = model(region=region, indicator_code=indicator_code, year=year)
        session.add(row)
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_by = audit.actor_name(actor)
    row.updated_at = utcnow()
    try:
        with session.begin_nested():
            session.flush()
    except StaleDataError:
        raise Conflict(
            f"{where} 在您保存的同时已被他人修改，请刷新后重试",
            f"{where} was changed by someone else while you saved; reload and try again",
            where=where,
        ) from None
    audit.record(
        session,
        actor,
        "create" if before is None else "update",
        entity,
        where,
        before=before,
        after=audit.snapshot(row),
    )
    return row
