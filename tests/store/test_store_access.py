"""Users, passwords, API tokens and the authorisation helper (region subtrees)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.store.errors import AuthenticationError, Conflict, Forbidden, ValidationError
from ecociv.store.services import observations, plans, regions, users
from ecociv.store.services.access import can_edit


@pytest.fixture
def people(tree: Session) -> dict:
    made = {
        "admin": users.create_user(
            tree, ADMIN, name="root", password="admin-password", role="admin"
        ),
        "city": users.create_user(
            tree, ADMIN, name="city", password="city-password", role="editor", region_code="9901"
        ),
        "west": users.create_user(
            tree, ADMIN, name="west", password="west-password", role="editor", region_code="990101"
        ),
        "viewer": users.create_user(
            tree, ADMIN, name="look", password="viewer-password", role="viewer"
        ),
    }
    tree.commit()
    return made


def test_can_edit_follows_the_subtree(tree: Session, people: dict) -> None:
    west, east, city, province = (
        regions.get_region(tree, c) for c in ("990101", "990102", "9901", "99")
    )
    assert [u.name for u in users.list_users(tree)] == ["city", "look", "root", "west"]
    assert can_edit(people["admin"], province)
    assert (
        can_edit(people["city"], city)
        and can_edit(people["city"], west)
        and can_edit(people["city"], east)
    )
    assert not can_edit(people["city"], province)
    assert can_edit(people["west"], west) and not can_edit(people["west"], east)
    assert not can_edit(people["west"], city)
    assert not any(can_edit(people["viewer"], region) for region in (west, east, city, province))
    people["city"].active = False
    assert not can_edit(people["city"], west)


def test_a_prefix_code_is_not_a_subtree(tree: Session, people: dict) -> None:
    regions.create_region(
        tree, ADMIN, code="9901012", name="相邻区", level="county", parent_code="9901"
    )
    assert not can_edit(people["west"], regions.get_region(tree, "9901012"))


def test_services_refuse_writes_outside_the_subtree(tree: Session, people: dict) -> None:
    plans.import_plan(tree, people["west"], make_plan(), region_code="990101")
    with pytest.raises(Forbidden):
        observations.save_observation(
            tree,
            people["west"],
            region_code="990102",
            indicator_code="plan.x",
            year=2021,
            value=1.0,
        )
    with pytest.raises(Forbidden):
        observations.save_observation(
            tree,
            people["viewer"],
            region_code="990101",
            indicator_code="plan.x",
            year=2021,
            value=1.0,
        )
    with pytest.raises(Forbidden):
        users.create_user(tree, people["west"], name="x", password="long enough", role="viewer")
    with pytest.raises(Forbidden):
        regions.create_region(
            tree, people["west"], code="990103", name="北区", level="county", parent_code="9901"
        )
    regions.create_region(
        tree, people["city"], code="990103", name="北区", level="county", parent_code="9901"
    )


def test_passwords_are_argon2_and_verified(tree: Session, people: dict) -> None:
    assert people["west"].password_hash.startswith("$argon2id$")
    assert users.authenticate(tree, "west", "west-password").name == "west"
    for name, password in (("west", "wrong-password"), ("nobody", "whatever1")):
        with pytest.raises(AuthenticationError):
            users.authenticate(tree, name, password)
    people["west"].active = False
    with pytest.raises(AuthenticationError):
        users.authenticate(tree, "west", "west-password")


def test_user_validation(tree: Session, people: dict) -> None:
    with pytest.raises(ValidationError, match="region"):
        users.create_user(tree, ADMIN, name="e2", password="long enough", role="editor")
    with pytest.raises(ValidationError, match="role"):
        users.create_user(tree, ADMIN, name="e3", password="long enough", role="owner")
    with pytest.raises(ValidationError, match="at least 8"):
        users.create_user(tree, ADMIN, name="e4", password="short", role="viewer")
    with pytest.raises(Conflict):
        users.create_user(tree, ADMIN, name="west", password="long enough", role="viewer")
    with pytest.raises(ValidationError, match="user name"):
        users.create_user(tree, ADMIN, name="u" * 101, password="long enough", role="viewer")
    with pytest.raises(ValidationError, match="region name"):
        regions.create_region(
            tree, ADMIN, code="990109", name="区" * 101, level="county", parent_code="9901"
        )


def test_tokens_store_only_a_hash_and_can_be_revoked(tree: Session, people: dict) -> None:
    token, secret = users.create_token(tree, ADMIN, user_name="west", token_name="loader")
    tree.commit()
    assert secret.startswith("eco_") and secret not in (token.token_hash, token.prefix)
    assert len(token.token_hash) == 64
    assert users.verify_token(tree, secret).user.name == "west"
    with pytest.raises(AuthenticationError):
        users.verify_token(tree, secret + "x")
    users.revoke_token(tree, ADMIN, user_name="west", token_name="loader")
    with pytest.raises(AuthenticationError):
        users.verify_token(tree, secret)


def test_update_user_changes_scope_and_can_deactivate(tree: Session, people: dict) -> None:
    east = regions.get_region(tree, "990102")
    assert not can_edit(people["west"], east)
    users.update_user(tree, ADMIN, "west", region_code="990102")
    assert can_edit(people["west"], east)
    users.update_user(tree, ADMIN, "west", active=False)
    with pytest.raises(AuthenticationError):
        users.authenticate(tree, "west", "west-password")
    with pytest.raises(ValidationError, match="editor needs"):
        users.update_user(tree, ADMIN, "look", role="editor")
    with pytest.raises(Forbidden):
        users.update_user(tree, people["city"], "look", role="admin")
