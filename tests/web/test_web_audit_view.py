"""The audit log readable (issue 13): Beijing time, actions and objects by name in the user's
language, field-level before/after, no ``\\u`` escapes; every action the services record has a
label in both catalogs."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DISTRICT_A
from ecociv import workflow
from ecociv.web.audit_view import beijing_time, field_changes, readable
from ecociv.web.i18n import load_catalogs

SERVICES = Path(__file__).resolve().parents[2] / "src" / "ecociv"


def recorded_names() -> tuple[set[str], set[str]]:
    """Every literal action and entity passed to ``audit.record`` anywhere in the package."""
    actions: set[str] = set()
    entities: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
                and len(node.args) >= 4
            ):
                continue
            for target, argument in ((actions, node.args[2]), (entities, node.args[3])):
                target.update(
                    n.value
                    for n in ast.walk(argument)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                )
    return actions, entities


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_recorded_action_and_object_has_a_label(lang: str) -> None:
    catalog = load_catalogs()[lang]
    actions, entities = recorded_names()
    # A workflow step is recorded under its name (ecociv.workflow): every shipped one needs one.
    actions |= {
        move.name
        for name in workflow.names()
        for move in workflow.load(name).definition.transitions
    }
    assert actions >= {"create", "update", "delete", "import"}
    assert sorted(a for a in actions if f"audit_action.{a}" not in catalog) == []
    assert sorted(e for e in entities if f"audit_entity.{e}" not in catalog) == []


def test_beijing_time() -> None:
    assert beijing_time(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == "2027-01-01 00:30:00"
    assert beijing_time(datetime(2026, 6, 1, 0, 0)) == "2026-06-01 08:00:00"  # naive = UTC
    assert beijing_time(None) == ""


PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=20)


@given(PRINTABLE, PRINTABLE)
def test_a_change_shows_both_sides_as_written(old: str, new: str) -> None:
    changes = field_changes({"source": old, "id": 1}, {"source": new, "id": 1}, lambda key: key)
    if old == new:
        assert changes == []
    else:
        assert changes == [{"field": "source", "label": "source", "before": old, "after": new}]
    assert "\\u" not in readable({"名称": new}) or "\\u" in new  # JSON keeps the characters


def test_the_page_reads_as_a_log(client_as, seeded) -> None:
    editor, token = client_as("editor_a")
    code = seeded["codes"][0]
    saved = editor.put(
        f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2022",
        json={"value": 29.5, "source": "区监测站年报", "expected_version": 1},
        headers={"X-CSRF-Token": token},
    )
    assert saved.status_code == 200, saved.text
    admin, _ = client_as("admin")
    page = admin.get("/audit?actor=editor_a&lang=zh").text
    assert "\\u" not in page
    row = re.search(r'<tr class="audit-entry">(.*?)</table></td></tr>', page, re.S)
    assert row, page
    entry = row.group(1)
    assert "修改" in entry and "年度数据" in entry
    assert '<td class="audit-key">甲区 / 细颗粒物（PM2.5）年均浓度 / 2022</td>' in entry
    assert re.search(
        r'data-field="source"><td>数据来源</td><td class="muted">—</td><td>区监测站年报', entry
    )
    assert re.search(r'data-field="value"><td>数值</td><td class="muted">30</td><td>29.5', entry)
    stamp = admin.get("/audit.json?actor=editor_a").json()["entries"][0]
    utc = datetime.fromisoformat(stamp["at"])
    assert stamp["at_local"] == beijing_time(utc) and stamp["at_local"][:16] in entry
    english = admin.get("/audit?actor=editor_a&lang=en").text
    assert '<td class="audit-action">changed</td><td>yearly value</td>' in english


def test_times_in_a_record_are_beijing_time_and_bookkeeping_is_left_out() -> None:
    changes = field_changes(
        None,
        {"scope": "account", "until": "2026-12-02T07:00:00+00:00", "updated_at": "2026-12-02"},
        lambda key: key,
    )
    assert [(c["field"], c["before"], c["after"]) for c in changes] == [
        ("scope", "—", "account"),
        ("until", "—", "2026-12-02 15:00:00"),
    ]
