"""Every write leaves an audit entry with who, what, and the record before and after."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.store.models import AuditEntry
from ecociv.store.services import audit, indicators, observations, plans, regions, users


def test_every_write_is_audited(tree: Session) -> None:
    start = tree.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    regions.update_region(tree, ADMIN, "990101", name="西溪新区")
    users.create_user(
        tree, ADMIN, name="west", password="west-password", role="editor", region_code="990101"
    )
    users.create_token(tree, ADMIN, user_name="west", token_name="t")
    users.revoke_token(tree, ADMIN, user_name="west", token_name="t")
    users.set_password(tree, ADMIN, "west", "another-password")
    version = plans.import_plan(tree, "west", make_plan(), region_code="990101")
    pm25 = version.indicators[0]
    target = indicators.set_target(tree, "west", pm25.id, year=2030, text="≤25")
    indicators.set_target(
        tree, "west", pm25.id, year=2030, text="≤24", expected_version=target.version
    )
    key = {"region_code": "990101", "indicator_code": pm25.code, "year": 2021}
    observations.save_observation(tree, "west", value=30.0, **key)
    observations.save_observation(tree, "west", value=29.0, expected_version=1, **key)
    observations.delete_observation(tree, "west", expected_version=2, **key)
    tree.commit()

    entries = [e for e in reversed(audit.list_entries(tree)) if e.id > start]
    assert [(e.action, e.entity) for e in entries] == [
        ("update", "region"),
        ("create", "user"),
        ("create", "api_token"),
        ("revoke", "api_token"),
        ("set_password", "user"),
        ("import", "plan"),
        ("create", "target"),
        ("update", "target"),
        ("create", "observation"),
        ("update", "observation"),
        ("delete", "observation"),
    ]
    region_update = entries[0]
    assert (region_update.before["name"], region_update.after["name"]) == ("西溪区", "西溪新区")
    assert entries[1].actor == ADMIN and "password_hash" not in entries[1].after
    update = entries[9]
    assert (update.before["value"], update.after["value"], update.actor) == (30.0, 29.0, "west")
    assert entries[10].before["value"] == 29.0 and entries[10].after is None
    assert entries[7].before["text"] == "≤25" and entries[7].after["text"] == "≤24"
    assert [e.entity_key for e in audit.list_entries(tree, entity="observation")] == [
        f"990101/{pm25.code}/2021"
    ] * 3


def test_a_failed_write_leaves_no_audit_entry(tree: Session) -> None:
    before = len(audit.list_entries(tree, limit=1000))
    try:
        regions.create_region(tree, ADMIN, code="9901", name="重复", level="city", parent_code="99")
    except Exception:
        tree.rollback()
    assert len(audit.list_entries(tree, limit=1000)) == before
