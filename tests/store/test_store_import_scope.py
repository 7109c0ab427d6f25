"""Issue 18 #1: an import is authorised row by row as if the user had entered it.

A district editor of 990101 builds export files by hand that try to write into the sibling
district 990102 and into the city 9901, or to pass rows off as another user's; every one is
refused and leaves nothing behind; the honest file is written under the importer's name.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.store.errors import Conflict, Forbidden, ValidationError
from ecociv.store.models import AuditEntry, Observation, Plan, Region
from ecociv.store.services import exchange, observations, plans, regions, users

TOWN = "99010101"


@pytest.fixture
def editor(tree: Session):
    """The editor of 西溪区 (990101), a plan of the city with a value in 990101."""
    user = users.create_user(
        tree, ADMIN, name="west-editor", password=None, role="editor", region_code="990101"
    )
    users.create_user(tree, ADMIN, name="someone-else", password=None, role="admin")
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="9901")
    observations.save_observation(
        tree,
        ADMIN,
        region_code="990101",
        indicator_code=version.indicators[0].code,
        year=2021,
        text="31",
    )
    tree.commit()
    return user


def town_export(session: Session) -> dict[str, Any]:
    """An honest file: a new town under 990101 with a plan and one value, authored by
    ``someone-else`` according to the file."""
    regions.create_region(
        session, ADMIN, code=TOWN, name="某镇", level="town", parent_code="990101"
    )
    version = plans.import_plan(session, ADMIN, make_plan(name="某镇规划"), region_code=TOWN)
    observations.save_observation(
        session,
        "someone-else",
        region_code=TOWN,
        indicator_code=version.indicators[0].code,
        year=2022,
        text="29",
    )
    data = exchange.export_region(session, TOWN)
    session.rollback()
    return copy.deepcopy(data)


def _rows(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Region, Plan, Observation, AuditEntry)
    )


def _sibling_region(data: dict[str, Any]) -> dict[str, Any]:
    """Append the existing sibling district 990102 with a value in it."""
    sibling = {**data["tables"]["ancestors"][-1], "code": "990102", "name": "东岭区"}
    sibling["level"], sibling["parent_code"] = "county", "9901"
    data["tables"]["regions"].append(sibling)
    data["tables"]["observations"].append({**data["tables"]["observations"][0], "region": "990102"})
    return data


def _value_elsewhere(region: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        data["tables"]["observations"].append(
            {**data["tables"]["observations"][0], "region": region, "year": 2023}
        )
        return data

    return change


def _plan_in_city(data: dict[str, Any]) -> dict[str, Any]:
    tables = data["tables"]
    for name in ("plans", "plan_versions", "plan_indicators", "targets", "projects"):
        tables[name] = [{**row, "region": "9901"} for row in tables[name]]
    return data


def _root_under_sibling(data: dict[str, Any]) -> dict[str, Any]:
    tables = data["tables"]
    tables["ancestors"][-1] = {**tables["ancestors"][-1], "code": "990102", "name": "东岭区"}
    tables["regions"][0]["parent_code"] = "990102"
    return data


def _sibling_as_ancestor(data: dict[str, Any]) -> dict[str, Any]:
    ancestors = data["tables"]["ancestors"]
    ancestors.append({**ancestors[-1], "code": "990102", "parent_code": "990101", "level": "town"})
    return data


ATTACKS: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], type[Exception]]] = {
    "an existing sibling district listed among the regions": (_sibling_region, ValidationError),
    "a value in the sibling district": (_value_elsewhere("990102"), ValidationError),
    "a value in the city": (_value_elsewhere("9901"), ValidationError),
    "a value in the editor's own district, outside the file": (
        _value_elsewhere("990101"),
        ValidationError,
    ),
    "a plan of the city": (_plan_in_city, ValidationError),
    "the new town hung under the sibling district": (_root_under_sibling, Forbidden),
    "the sibling district as an extra ancestor": (_sibling_as_ancestor, ValidationError),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_crafted_export_cannot_write_outside_the_editors_scope(
    tree: Session, editor, attack: str
) -> None:
    change, refusal = ATTACKS[attack]
    data = change(town_export(tree))
    before = _rows(tree)
    with pytest.raises(refusal):
        exchange.import_region(tree, editor, data)
    tree.rollback()
    assert _rows(tree) == before


def test_an_existing_region_inside_the_file_is_a_conflict_not_a_merge(tree: Session, editor):
    data = town_export(tree)
    regions.create_region(tree, ADMIN, code=TOWN, name="某镇", level="town", parent_code="990101")
    tree.commit()
    with pytest.raises(Conflict):
        exchange.import_region(tree, editor, data)


def test_a_viewer_imports_nothing(tree: Session, editor) -> None:
    viewer = users.create_user(tree, ADMIN, name="reader", password=None, role="viewer")
    with pytest.raises(Forbidden):
        exchange.import_region(tree, viewer, town_export(tree))


def test_values_are_checked_by_the_entry_rules(tree: Session, editor) -> None:
    data = town_export(tree)
    row = data["tables"]["observations"][0]
    row["value"], row["text"] = 29.0, "abc"  # the text reads as no number: entry refuses it
    with pytest.raises(ValidationError, match=f"{TOWN}/{row['indicator_code']}/2022"):
        exchange.import_region(tree, editor, data)


def test_the_honest_file_is_written_under_the_importers_name(tree: Session, editor) -> None:
    data = town_export(tree)
    exchange.import_region(tree, editor, data, where="town.json")
    tree.commit()
    stored = observations.list_observations(tree, TOWN)
    assert [(o.updated_by, o.text) for o in stored] == [("west-editor", "29")]
    version = plans.get_version(tree, plans.find_plan(tree, TOWN, "某镇规划").id)
    assert version.imported_by == "west-editor"
    entry = tree.scalar(select(AuditEntry).where(AuditEntry.entity == "region_export"))
    assert entry.actor == "west-editor"
    assert entry.after["provenance"]["names"] == [ADMIN, "someone-else"]
    created = tree.scalars(
        select(AuditEntry.entity).where(
            AuditEntry.actor == "west-editor", AuditEntry.action == "create"
        )
    ).all()
    assert sorted(created) == ["observation", "region"]
