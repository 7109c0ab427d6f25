"""Regions (行政区) as a tree: 省 → 市 → 县/区 → 乡镇/街道, with the attributes standards use.

Standards differentiate by terrain (山区/丘陵/平原), by administrative class (市/县), by city
size and by whether the region is coastal; those attributes live on the region.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecociv.store.errors import Conflict, NotFound, ValidationError
from ecociv.store.models import (
    ADMIN_CLASSES,
    CITY_SIZES,
    REGION_LEVELS,
    TERRAIN_SHORT_FORMS,
    TERRAINS,
    Region,
)
from ecociv.store.services import audit
from ecociv.store.services.access import require_admin, require_edit
from ecociv.store.services.audit import Actor
from ecociv.store.services.division_codes import checked_division_code

REGION_CODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")
"""A region code: GB/T 2260 codes are six digits; test and local codes may add letters,
``.``, ``_`` and ``-`` (the code becomes part of the region's path, of URLs and file names)."""
REGION_CODE_RULE = "1–32 letters, digits, '.', '_' or '-', starting with a letter or digit"
LEVEL_ZH = {"province": "省", "city": "市", "county": "县/区", "town": "乡镇/街道"}
NAME_MAX = 100
EDITABLE_FIELDS = ("name", "terrain", "admin_class", "city_size", "coastal")


def get_region(session: Session, code: str) -> Region:
    region = session.scalar(select(Region).where(Region.code == code))
    if region is None:
        raise NotFound(f"行政区 {code} 不存在", f"region {code} does not exist", where=code)
    return region


def list_regions(session: Session) -> list[Region]:
    """All regions, parents before children (ordered by materialised path)."""
    return list(session.scalars(select(Region).order_by(Region.path)))


def subtree(session: Session, code: str) -> list[Region]:
    """The region and every region below it, parents first."""
    root = get_region(session, code)
    query = select(Region).where(Region.path.startswith(root.path, autoescape=True))
    return list(session.scalars(query.order_by(Region.path)))


def children(session: Session, code: str) -> list[Region]:
    root = get_region(session, code)
    return list(
        session.scalars(select(Region).where(Region.parent_id == root.id).order_by(Region.code))
    )


def ancestors(session: Session, region: Region) -> list[Region]:
    """The regions above *region*, top first."""
    codes = [code for code in region.path.strip("/").split("/")[:-1] if code]
    if not codes:
        return []
    found = {r.code: r for r in session.scalars(select(Region).where(Region.code.in_(codes)))}
    return [found[code] for code in codes]


def create_region(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    level: str,
    parent_code: str | None = None,
    terrain: str | None = None,
    admin_class: str | None = None,
    city_size: str | None = None,
    coastal: bool | None = None,
    division_code: str | None = None,
) -> Region:
    """Add a region under *parent_code* (admins; editors inside their own subtree), with its
    GB/T 2260 *division_code* when given."""
    code, name = code.strip(), name.strip()
    _check_code(code)
    _check_name(name)
    terrain = TERRAIN_SHORT_FORMS.get(terrain, terrain) if terrain else None
    _check_attributes(level=level, terrain=terrain, admin_class=admin_class, city_size=city_size)
    parent = get_region(session, parent_code) if parent_code else None
    if parent is None:
        require_admin(actor)
    else:
        require_edit(actor, parent)
        if REGION_LEVELS.index(level) <= REGION_LEVELS.index(parent.level):
            raise ValidationError(
                f"{LEVEL_ZH[level]}级行政区不能位于{LEVEL_ZH[parent.level]}级的 {parent.code} 之下",
                f"a {level} cannot sit under the {parent.level} {parent.code}",
                where=code,
            )
    if session.scalar(select(Region.id).where(Region.code == code)) is not None:
        raise Conflict(
            f"行政区代码 {code} 已存在", f"region code {code} already exists", where=code
        )
    region = Region(
        code=code,
        name=name,
        level=level,
        parent=parent,
        path=f"{parent.path if parent else '/'}{code}/",
        terrain=terrain,
        admin_class=admin_class,
        city_size=city_size,
        coastal=coastal,
        division_code=checked_division_code(session, division_code, level),
    )
    session.add(region)
    session.flush()
    audit.record(session, actor, "create", "region", code, after=audit.snapshot(region))
    return region


def update_region(session: Session, actor: Actor, code: str, **changes: Any) -> Region:
    """Change a region's name or attributes (not its code or place in the tree)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            f"不能修改行政区的字段：{', '.join(sorted(unknown))}",
            f"these region fields cannot be changed: {', '.join(sorted(unknown))}",
            where=code,
        )
    region = get_region(session, code)
    require_edit(actor, region)
    if changes.get("terrain"):
        changes["terrain"] = TERRAIN_SHORT_FORMS.get(changes["terrain"], changes["terrain"])
    _check_attributes(
        level=region.level,
        terrain=changes.get("terrain", region.terrain),
        admin_class=changes.get("admin_class", region.admin_class),
        city_size=changes.get("city_size", region.city_size),
    )
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        _check_name(changes["name"])
    before = audit.snapshot(region)
    for field, value in changes.items():
        setattr(region, field, value)
    session.flush()
    audit.record(
        session, actor, "update", "region", code, before=before, after=audit.snapshot(region)
    )
    return region


def is_valid_code(code: str) -> bool:
    """True for a code that fits :data:`REGION_CODE_PATTERN` (it goes into paths, URLs and
    file names, so no ``/``, quotes, spaces or line breaks)."""
    return REGION_CODE_PATTERN.fullmatch(code) is not None


def _check_code(code: str) -> None:
    if not is_valid_code(code):
        raise ValidationError(
            f"行政区代码 {code!r} 无效：应为 1—32 个字母、数字、“.”“_”“-”，以字母或数字开头（如行政区划代码 330106）",
            f"invalid region code {code!r}: {REGION_CODE_RULE} (e.g. 330106)",
            where="code",
        )


def _check_name(name: str) -> None:
    if not name or len(name) > NAME_MAX:
        raise ValidationError(
            f"行政区名称不能为空且不超过 {NAME_MAX} 个字符",
            f"a region name must be 1–{NAME_MAX} characters",
        )


def _check_attributes(
    *, level: str, terrain: str | None, admin_class: str | None, city_size: str | None
) -> None:
    problems: list[tuple[str, str, tuple[str, ...]]] = []
    if level not in REGION_LEVELS:
        problems.append(("level", level, REGION_LEVELS))
    if terrain is not None and terrain not in TERRAINS:
        problems.append(("terrain", terrain, TERRAINS))
    if admin_class is not None and admin_class not in ADMIN_CLASSES:
        problems.append(("admin_class", admin_class, ADMIN_CLASSES))
    if city_size is not None and city_size not in CITY_SIZES:
        problems.append(("city_size", city_size, CITY_SIZES))
    if problems:
        text = "; ".join(
            f"{field}={value!r}（可选：{'/'.join(allowed)}）" for field, value, allowed in problems
        )
        raise ValidationError(
            f"行政区属性无效：{text}",
            f"invalid region attributes: {text.replace('可选：', 'allowed: ')}",
            problems=[field for field, _, _ in problems],
        )
