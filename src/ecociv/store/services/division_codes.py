"""A region's GB/T 2260 division code as the store accepts it: well formed for the region's
level (:func:`ecociv.geo.divisions.check_division_code`) and held by no other region."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.errors import InputError
from ecociv.geo.divisions import check_division_code
from ecociv.store.errors import Conflict, ValidationError
from ecociv.store.models import Region


def checked_division_code(
    session: Session, division_code: str | None, level: str, region_id: int | None = None
) -> str | None:
    """*division_code* stripped (None for blank), or the error saying why it cannot be kept."""
    if division_code is None or not division_code.strip():
        return None
    division_code = division_code.strip()
    try:
        check_division_code(division_code, level)
    except InputError as error:
        raise ValidationError(error.zh, error.en, where=error.where) from None
    query = select(Region.code).where(Region.division_code == division_code)
    if region_id is not None:
        query = query.where(Region.id != region_id)
    taken = session.scalar(query)
    if taken is not None:
        raise Conflict(
            f"行政区划代码 {division_code} 已属于行政区 {taken}",
            f"division code {division_code} already belongs to region {taken}",
            where="division_code",
        )
    return division_code
