"""The data of the import review, without a server: a column mapping built one role change
at a time, and the hiding of accepted findings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ecociv.store.services.plan_reading import without_accepted
from ecociv.web.import_review import ROLE_CHOICES, with_role

changes = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 8), st.sampled_from(ROLE_CHOICES)), max_size=30
)


@given(changes)
def test_the_last_choice_per_column_wins_and_tables_stay_sorted(steps) -> None:
    column_map = None
    for table, column, role in steps:
        column_map = with_role(column_map, table, column, role)
    expected: dict[int, dict[str, str]] = {}
    for table, column, role in steps:
        expected.setdefault(table, {})[str(column)] = role
    tables = (column_map or {"tables": []})["tables"]
    assert [t["table"] for t in tables] == sorted(expected)
    assert {t["table"]: t["columns"] for t in tables} == expected


def test_a_role_change_leaves_the_map_it_started_from_alone() -> None:
    first = with_role(None, 0, 3, "baseline")
    second = with_role(first, 0, 4, "target")
    assert first == {"tables": [{"table": 0, "columns": {"3": "baseline"}}]}
    assert second == {"tables": [{"table": 0, "columns": {"3": "baseline", "4": "target"}}]}


@given(st.lists(st.sampled_from(["error", "warning", "note"]), max_size=12), st.data())
def test_accepted_findings_are_hidden_and_the_counts_follow(severities, data) -> None:
    findings = [
        {"id": f"unit.cell_vs_row:{n:012x}", "severity": s} for n, s in enumerate(severities)
    ]
    review = {"findings": findings, "accepted": [], "counts": {"error": 0, "warning": 0, "note": 0}}
    accepted = data.draw(st.lists(st.sampled_from([f["id"] for f in findings] or ["x"])))
    shown = without_accepted(review, accepted)
    assert [f["id"] for f in shown["findings"]] == [
        f["id"] for f in findings if f["id"] not in accepted
    ]
    assert shown["accepted"] == sorted(set(accepted))
    for severity, count in shown["counts"].items():
        assert count == sum(1 for f in shown["findings"] if f["severity"] == severity)
