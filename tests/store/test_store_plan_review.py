"""A plan version keeps the user's column mapping and the check findings of its upload; a
reviewer's "accept as is" is stored per plan, audited, authorised like other plan edits, and
hides the finding on the next version while its id stays the same."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.store.errors import Forbidden, NotFound, ValidationError
from ecociv.store.models import AuditEntry
from ecociv.store.services import plan_review, plans, users

WEAK = "target.weaker_than_baseline:9e88e8962b26"
PROSE = "prose.value:2db3d21d8f74"
MAPPING = {"tables": [{"table": 0, "columns": {"3": "baseline", "4": "target"}}]}


def _findings(*ids: str) -> dict:
    return {
        "schema_version": "1.0",
        "findings": [{"id": i, "kind": i.split(":")[0], "severity": "warning"} for i in ids],
        "accepted": [],
        "counts": {"error": 0, "warning": len(ids), "note": 0},
    }


def _import(session: Session, *ids: str, column_map: dict | None = None) -> int:
    version = plans.import_plan(
        session,
        ADMIN,
        make_plan(),
        region_code="990101",
        column_map=column_map,
        findings=_findings(*ids),
    )
    session.commit()
    return version.plan_id


def test_the_mapping_of_the_current_version_is_the_one_reused(tree: Session) -> None:
    name = plans.plan_name_of(make_plan())
    assert plan_review.stored_column_map(tree, "990101", name) is None
    _import(tree, column_map=MAPPING)
    assert plan_review.stored_column_map(tree, "990101", name) == MAPPING
    _import(tree)  # a later version imported without corrections
    assert plan_review.stored_column_map(tree, "990101", name) is None
    assert plan_review.stored_column_map(tree, "990102", name) is None  # another region


def test_an_accepted_finding_is_hidden_on_the_next_version_and_audited(tree: Session) -> None:
    plan_id = _import(tree, WEAK, PROSE)
    before = plan_review.current_findings(tree, plan_id)
    assert (before["version"], before["checked"]) == (1, True)
    assert [f["id"] for f in before["shown"]] == [WEAK, PROSE] and before["accepted"] == []

    plan_review.accept_finding(tree, ADMIN, plan_id, WEAK)
    plan_review.accept_finding(tree, ADMIN, plan_id, WEAK)  # twice is once
    tree.commit()
    assert plan_review.accepted_ids(tree, plan_id) == [WEAK]
    [entry] = tree.scalars(select(AuditEntry).where(AuditEntry.action == "accept")).all()
    assert (entry.actor, entry.entity) == (ADMIN, "finding")
    assert entry.entity_key.endswith(f"/{WEAK}") and entry.after["plan_id"] == plan_id

    changed = "target.weaker_than_baseline:0123456789ab"  # the values changed: a new id
    _import(tree, WEAK, PROSE, changed)
    after = plan_review.current_findings(tree, plan_id)
    assert after["version"] == 2
    assert [f["id"] for f in after["shown"]] == [PROSE, changed]
    assert [f["id"] for f in after["accepted"]] == [WEAK]


@pytest.mark.parametrize(
    ("finding", "error"),
    [
        ("target.weaker_than_baseline:ffffffffffff", NotFound),  # not a finding of this plan
        ("target.weaker_than_baseline", ValidationError),
        ("<script>:9e88e8962b26", ValidationError),
    ],
)
def test_only_a_finding_of_the_current_version_can_be_accepted(
    tree: Session, finding: str, error: type[Exception]
) -> None:
    plan_id = _import(tree, WEAK)
    with pytest.raises(error):
        plan_review.accept_finding(tree, ADMIN, plan_id, finding)
    assert plan_review.accepted_ids(tree, plan_id) == []


def test_accepting_is_a_plan_edit_of_the_plans_region(tree: Session) -> None:
    plan_id = _import(tree, WEAK)
    other = users.create_user(
        tree,
        ADMIN,
        name="east",
        password="a-long-password-1",
        role="editor",
        region_code="990102",
    )
    viewer = users.create_user(
        tree, ADMIN, name="look", password="a-long-password-2", role="viewer"
    )
    for actor in (other, viewer):
        with pytest.raises(Forbidden):
            plan_review.accept_finding(tree, actor, plan_id, WEAK)
    own = users.create_user(
        tree,
        ADMIN,
        name="west",
        password="a-long-password-3",
        role="editor",
        region_code="990101",
    )
    plan_review.accept_finding(tree, own, plan_id, WEAK)
    assert plan_review.accepted_ids(tree, plan_id) == [WEAK]


def test_a_version_imported_before_the_checks_says_so(tree: Session) -> None:
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    tree.commit()
    found = plan_review.current_findings(tree, version.plan_id)
    assert (found["checked"], found["shown"], found["accepted"]) == (False, [], [])
