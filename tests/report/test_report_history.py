"""Kept versions (ecociv.report.history) on both databases: the file and the row, who and
when, the data revision, the texts carried to the next version, regions outside the plan
refused, and no indicator, target or value changed by generating."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select
from test_report_store import ACTOR, _plan

from ecociv.report import history
from ecociv.store.errors import ValidationError
from ecociv.store.models import AuditEntry, Observation, PlanIndicator, Target
from ecociv.store.services import observations, plans, regions


def _data(session) -> list[tuple]:
    return [
        tuple(row)
        for table in (Observation, Target, PlanIndicator)
        for row in session.execute(select(table.__table__)).all()
    ]


@pytest.fixture()
def plan_id(session) -> int:
    regions.create_region(session, ACTOR, code="990199", name="测试区", level="county")
    version = plans.import_plan(session, ACTOR, _plan(), region_code="990199")
    for indicator, text in zip(version.indicators, ("31.5", "96", "全面实施"), strict=True):
        observations.save_observation(
            session, ACTOR, region_code="990199", indicator_code=indicator.code, year=2023,
            text=text,
        )  # fmt: skip
    session.flush()
    return version.plan_id


def test_generate_keeps_file_row_and_audit_and_changes_no_data(session, plan_id, tmp_path):
    before = _data(session)
    request = history.Request(kind="completion", year=2023, fmt="docx")
    row = history.generate(session, ACTOR, tmp_path, plan_id, request)
    session.flush()
    assert _data(session) == before
    path = history.report_file(tmp_path, row)
    assert path.parent == tmp_path / "reports" / str(plan_id)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row.file_sha256
    assert row.size_bytes == path.stat().st_size
    assert (row.created_by, row.region.code, row.title) == (
        ACTOR,
        "990199",
        "测试区2023年指标完成情况表",
    )
    assert row.data_revision == history.preview(session, plan_id, request).data_revision
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "report")).one()
    assert entry.action == "generate" and entry.after["data_revision"] == row.data_revision
    assert [r.id for r in history.list_reports(session, plan_id, "990199")] == [row.id]


def test_texts_are_carried_and_a_new_value_changes_the_revision(session, plan_id, tmp_path):
    first = history.generate(
        session, ACTOR, tmp_path, plan_id,
        history.Request(kind="annual", year=2023, fmt="xlsx",
                        texts={"problems": "污水处理厂提标改造滞后。"}),
    )  # fmt: skip
    indicator = plans.get_version(session, plan_id).indicators[0]
    observations.save_observation(
        session, ACTOR, region_code="990199", indicator_code=indicator.code, year=2023,
        text="29", expected_version=1,
    )  # fmt: skip
    second = history.generate(
        session, ACTOR, tmp_path, plan_id, history.Request(kind="annual", year=2023, fmt="xlsx")
    )
    assert second.narratives["problems"]["text"] == "污水处理厂提标改造滞后。"
    assert second.data_revision != first.data_revision
    assert [r.id for r in history.list_reports(session, plan_id)] == [second.id, first.id]


def test_a_region_outside_the_plan_and_an_unknown_section_are_refused(session, plan_id, tmp_path):
    regions.create_region(session, ACTOR, code="990299", name="外区", level="county")
    with pytest.raises(ValidationError) as outside:
        history.generate(
            session, ACTOR, tmp_path, plan_id,
            history.Request(kind="annual", year=2023, region_code="990299"),
        )  # fmt: skip
    assert "外区" in outside.value.zh and outside.value.where == "990299"
    with pytest.raises(ValidationError) as unknown:
        history.preview(
            session, plan_id, history.Request(kind="completion", year=2023, texts={"problems": "x"})
        )
    assert unknown.value.where == "narratives.problems"
    assert not history.list_reports(session, plan_id)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    text=st.lists(
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
            min_size=1, max_size=40,
        ).filter(str.strip),
        min_size=1, max_size=4,
    )
)  # fmt: skip
def test_any_edited_text_is_kept_and_printed(session, plan_id, tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("kept")
    joined = "\n".join(text)
    row = history.generate(
        session, ACTOR, folder, plan_id,
        history.Request(kind="annual", year=2023, fmt="xlsx", texts={"situation": joined}),
    )  # fmt: skip
    assert row.narratives["situation"]["text"] == joined
    cover = load_workbook(history.report_file(folder, row))["报告"]
    printed = [c.value for c in cover["A"] if c.value is not None]
    start = printed.index("七、形势分析") + 1
    assert printed[start : start + len(text)] == [line.strip() for line in text]
