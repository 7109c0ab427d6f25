"""Yearly observations (年度监测/统计值): enter, update and delete with validation, full
history and no lost update.

* An observation is keyed by (region, indicator code, year): entering a year that already has
  a value is a :class:`Conflict` (duplicate year), not an overwrite.
* An update names the ``expected_version`` it was made from; if someone saved in between, the
  update is refused with a :class:`Conflict` carrying the stored record.  The database enforces
  the same through the ``version`` column (SQLAlchemy ``version_id_col``), so two concurrent
  transactions cannot both win either.
* Before every update or deletion the previous state is copied to ``observation_history``.
* A value whose report of the reporting cycle is submitted or approved is locked
  (:mod:`ecociv.cycle.locks`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ecociv.cycle.locks import require_writable
from ecociv.store.errors import Conflict, NotFound
from ecociv.store.models import Observation, ObservationHistory, Region, utcnow
from ecociv.store.services import audit
from ecociv.store.services.access import require_entry
from ecociv.store.services.audit import Actor
from ecociv.store.services.regions import get_region
from ecociv.store.services.value_check import Finding, ValueCheck, check_value

VALUE_FIELDS = ("value", "text", "unit", "source", "note", "confirmation")


def check_observation(
    session: Session,
    *,
    region_code: str,
    indicator_code: str,
    year: int,
    value: float | None = None,
    text: str | None = None,
    unit: str | None = None,
    expected_version: int | None = None,
    pending: dict[int, float] | None = None,
) -> ValueCheck:
    """Validate without writing (the entry form's immediate feedback): problems, warnings,
    the number read from the text and the canonical unit — and, before the editor presses
    save, that the year already has a value (or that the one being edited changed).
    *pending*: values of other years uploaded with this one (see :func:`check_value`)."""
    region = get_region(session, region_code)
    check = check_value(
        session, region, indicator_code, year, value=value, text=text, unit=unit, pending=pending
    )
    existing = _find(session, region, indicator_code, year)
    if existing is not None and existing.version != expected_version:
        stored = existing.text if existing.text is not None else f"{existing.value:g}"
        if expected_version is None:
            check.problems.append(
                Finding(
                    "year",
                    f"{year} 年已有数据（{stored}，第 {existing.version} 版）；"
                    "如需修改，请点该年份一行的“修改”",
                    f"{year} already has a value ({stored}, version {existing.version}); "
                    "to change it, press “Edit” on its row",
                )
            )
        else:
            check.problems.append(
                Finding(
                    "year",
                    f"{year} 年的数据已被 {existing.updated_by or '他人'} 改为 {stored}"
                    f"（第 {existing.version} 版）；请刷新页面后再修改",
                    f"{year} was changed by {existing.updated_by or 'someone else'} to {stored} "
                    f"(version {existing.version}); reload the page before editing",
                )
            )
    elif existing is None and expected_version is not None:
        check.problems.append(
            Finding(
                "year",
                f"{year} 年的数据已被删除；请刷新页面后重新录入",
                f"the value of {year} was deleted; reload the page and enter it again",
            )
        )
    return check


def save_observation(
    session: Session,
    actor: Actor,
    *,
    region_code: str,
    indicator_code: str,
    year: int,
    value: float | None = None,
    text: str | None = None,
    unit: str | None = None,
    source: str | None = None,
    note: str | None = None,
    confirmation: str | None = None,
    expected_version: int | None = None,
    outlier_needs_reason: bool = True,
) -> Observation:
    """Enter a new value (``expected_version=None``) or update the one read at that version.

    A value the outlier rule flags needs *confirmation* (the editor's reason), stored with it
    and in the audit log; without one it is refused — unless *outlier_needs_reason* is false
    (a value moved from another store with its record, where it was already accepted)."""
    region = get_region(session, region_code)
    require_entry(actor, region)
    require_writable(session, actor, region, indicator_code, year)
    where = f"{region_code}/{indicator_code}/{year}"
    check = check_value(session, region, indicator_code, year, value=value, text=text, unit=unit)
    check.raise_problems(where)
    fields = {
        "value": check.value,
        "text": check.text,
        "unit": check.unit,
        "source": source,
        "note": note,
        "confirmation": (
            check.require_confirmation(confirmation, where)
            if outlier_needs_reason
            else (confirmation or None)
        ),
    }
    existing = _find(session, region, indicator_code, year)
    if existing is None:
        if expected_version is not None:
            raise Conflict(
                f"{_place(region, year)[0]}的数据已被他人删除，请刷新后重新录入",
                f"the value of {_place(region, year)[1]} was deleted by someone else; reload and enter it again",
                where=where,
            )
        return _insert(session, actor, region, indicator_code, year, fields, where)
    if expected_version is None:
        raise Conflict(
            f"{_place(region, year)[0]}已有数据（第 {existing.version} 版），同一年份不能重复录入；"
            "如需修改，请点该年份一行的“修改”",
            f"{_place(region, year)[1]} already has a value (version {existing.version}); "
            "press “Edit” on its row instead of entering the year again",
            where=where,
            current=audit.snapshot(existing),
        )
    _check_version(existing, expected_version, where)
    before = audit.snapshot(existing)
    session.add(_history_of(existing, audit.actor_name(actor)))
    for name, new in fields.items():
        setattr(existing, name, new)
    existing.updated_by = audit.actor_name(actor)
    existing.updated_at = utcnow()
    _flush_guarded(session, existing, where)
    audit.record(
        session,
        actor,
        "update",
        "observation",
        where,
        before=before,
        after=audit.snapshot(existing),
    )
    return existing


def delete_observation(
    session: Session,
    actor: Actor,
    *,
    region_code: str,
    indicator_code: str,
    year: int,
    expected_version: int,
) -> None:
    """Remove a value; its last state is kept in the history like any change."""
    region = get_region(session, region_code)
    require_entry(actor, region)
    require_writable(session, actor, region, indicator_code, year)
    where = f"{region_code}/{indicator_code}/{year}"
    existing = _find(session, region, indicator_code, year)
    if existing is None:
        raise NotFound(f"{where} 没有数据", f"{where} has no value", where=where)
    _check_version(existing, expected_version, where)
    before = audit.snapshot(existing)
    session.add(_history_of(existing, audit.actor_name(actor)))
    session.delete(existing)
    _flush_guarded(session, existing, where)
    audit.record(session, actor, "delete", "observation", where, before=before)


def get_observation(
    session: Session, region_code: str, indicator_code: str, year: int
) -> Observation:
    found = _find(session, get_region(session, region_code), indicator_code, year)
    if found is None:
        where = f"{region_code}/{indicator_code}/{year}"
        raise NotFound(f"{where} 没有数据", f"{where} has no value", where=where)
    return found


def list_observations(
    session: Session,
    region_code: str,
    *,
    indicator_codes: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> list[Observation]:
    """A region's values, ordered by indicator code and year."""
    region = get_region(session, region_code)
    query = select(Observation).where(Observation.region_id == region.id)
    if indicator_codes is not None:
        query = query.where(Observation.indicator_code.in_(list(indicator_codes)))
    if years is not None:
        query = query.where(Observation.year.in_(list(years)))
    return list(session.scalars(query.order_by(Observation.indicator_code, Observation.year)))


def observation_history(
    session: Session, region_code: str, indicator_code: str, year: int | None = None
) -> list[ObservationHistory]:
    """Every previous state of the indicator's values in the region (oldest first)."""
    region = get_region(session, region_code)
    query = select(ObservationHistory).where(
        ObservationHistory.region_id == region.id,
        ObservationHistory.indicator_code == indicator_code,
    )
    if year is not None:
        query = query.where(ObservationHistory.year == year)
    return list(session.scalars(query.order_by(ObservationHistory.year, ObservationHistory.id)))


def _place(region: Region, year: int) -> tuple[str, str]:
    """Where a value belongs, as a person says it (甲区 2021 年); ``where`` keeps the codes."""
    return f"{region.name} {year} 年", f"{region.name} {year}"


def _find(session: Session, region: Region, indicator_code: str, year: int) -> Observation | None:
    return session.scalar(
        select(Observation).where(
            Observation.region_id == region.id,
            Observation.indicator_code == indicator_code,
            Observation.year == year,
        )
    )


def _insert(
    session: Session,
    actor: Actor,
    region: Region,
    indicator_code: str,
    year: int,
    fields: dict,
    where: str,
) -> Observation:
    observation = Observation(
        region=region,
        indicator_code=indicator_code,
        year=year,
        updated_by=audit.actor_name(actor),
        **fields,
    )
    try:
        with session.begin_nested():
            session.add(observation)
            session.flush()
    except IntegrityError:
        raise Conflict(
            f"{_place(region, year)[0]}刚刚已被他人录入，请刷新后查看",
            f"{_place(region, year)[1]} was just entered by someone else; reload to see it",
            where=where,
        ) from None
    audit.record(session, actor, "create", "observation", where, after=audit.snapshot(observation))
    return observation


def _check_version(existing: Observation, expected_version: int, where: str) -> None:
    if existing.version != expected_version:
        raise Conflict(
            f"{_place(existing.region, existing.year)[0]}的数据已被 {existing.updated_by or '他人'} 修改（现为第 {existing.version} 版，您编辑的是第 "
            f"{expected_version} 版）；请刷新后在最新值基础上修改",
            f"{_place(existing.region, existing.year)[1]} was changed by {existing.updated_by or 'someone else'} (now version {existing.version}, "
            f"you edited version {expected_version}); reload and edit the latest value",
            where=where,
            current=audit.snapshot(existing),
        )


def _flush_guarded(session: Session, observation: Observation, where: str) -> None:
    # The place is named before the flush: after a failed flush the session refuses to load
    # the region it would name.
    place_zh, place_en = _place(observation.region, observation.year)
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            f"{place_zh}的数据在您保存的同时已被他人修改，请刷新后重试",
            f"{place_en} was changed by someone else while you saved; reload and try again",
            where=where,
        ) from None


def _history_of(observation: Observation, replaced_by: str) -> ObservationHistory:
    return ObservationHistory(
        observation_id=observation.id,
        region_id=observation.region_id,
        indicator_code=observation.indicator_code,
        year=observation.year,
        version=observation.version,
        changed_by=observation.updated_by,
        changed_at=observation.updated_at,
        replaced_by=replaced_by,
        replaced_at=utcnow(),
        **{name: getattr(observation, name) for name in VALUE_FIELDS},
    )
