"""Plan import: a plan built in the test, the re-import as version 2 with its diff, seed 003."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv import model
from ecociv.store.errors import Forbidden, ValidationError
from ecociv.store.services import indicators, plans, projects, standards, users
from ecociv.store.services.plan_content import diff_is_empty


def test_import_stores_indicators_targets_projects_and_source(tree: Session) -> None:
    project_rows = [
        model.ProjectRow(
            category="大气污染防治", name="燃煤锅炉清洁能源改造", period_start=2021, period_end=2022,
            investment_wan_yuan=1200.0, lead_units=["区生态环境分局"],
        ),
        model.ProjectRow(
            category="水环境治理", name="西溪河综合整治", period_start=2022, period_end=2025,
            investment_wan_yuan=8000.0, lead_units=["区水利局", "区住建局"],
        ),
        model.ProjectRow(category="水环境治理", name="农村生活污水提标", investment_text="待定"),
    ]  # fmt: skip
    plan = make_plan(projects=project_rows)
    version = plans.import_plan(tree, ADMIN, plan, region_code="990101")
    tree.commit()

    assert version.version == 1 and version.diff == {}
    assert version.source_json["metadata"]["name"] == plan.metadata.name
    rows = indicators.list_indicators(tree, version.plan_id)
    assert [row.name for row in rows] == [
        "细颗粒物（PM2.5）年均浓度",
        "空气质量优良天数比例",
        "林草覆盖率",
        "单位地区生产总值能耗",
    ]
    pm25 = rows[0]
    assert (pm25.baseline_year, pm25.baseline_text) == (2020, "31")
    assert [(t.year, t.text) for t in pm25.targets] == [(2025, "≤28")]
    forest = rows[2]
    assert forest.code == forest.standard_code == "nat2021.eco.forest_grass_cover"
    assert forest.match_confidence is not None and forest.match_confidence >= 0.8

    by_category = projects.investment_summary(tree, version.plan_id, "category")
    assert [(g.key, g.total_wan_yuan, g.projects, g.unpriced) for g in by_category] == [
        ("水环境治理", 8000.0, 2, 1),
        ("大气污染防治", 1200.0, 1, 0),
    ]
    by_year = {
        g.key: g.total_wan_yuan for g in projects.investment_summary(tree, version.plan_id, "year")
    }
    assert (
        by_year["2021"] == 600.0 and by_year["2022"] == 600.0 + 2000.0 and by_year["2025"] == 2000.0
    )
    by_unit = {
        g.key: g.total_wan_yuan
        for g in projects.investment_summary(tree, version.plan_id, "lead_unit")
    }
    assert by_unit["区水利局"] == by_unit["区住建局"] == 8000.0


def test_reimport_is_version_two_with_a_diff(tree: Session) -> None:
    first = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    changed = make_plan(
        indicators=[
            ("生态环境", "μg/m³", "细颗粒物（PM2.5）年均浓度", "31", "≤27"),
            ("生态空间", "%", "林草覆盖率", "61.2", "≥62"),
            ("生态经济", "吨标准煤/万元", "单位地区生产总值能耗", "0.41", "完成上级下达任务"),
            ("生态生活", "%", "城镇新建绿色建筑比例", "55", "100"),
        ]
    )
    second = plans.import_plan(tree, ADMIN, changed, region_code="990101")
    tree.commit()

    assert (first.plan_id, second.version) == (second.plan_id, 2)
    assert plans.get_plan(tree, second.plan_id).current_version == 2
    diff = second.diff
    assert [item["name"] for item in diff["indicators"]["added"]] == ["城镇新建绿色建筑比例"]
    assert [item["name"] for item in diff["indicators"]["removed"]] == ["空气质量优良天数比例"]
    [pm25] = diff["indicators"]["changed"]
    assert pm25["fields"] == {"targets": [{"2025": "≤28"}, {"2025": "≤27"}]}
    assert plans.diff_versions(tree, second.plan_id, 1, 2) == diff
    assert [v.version for v in plans.list_versions(tree, second.plan_id)] == [1, 2]
    assert plans.find_plan(tree, "990101", changed.metadata.name or "") is plans.get_plan(
        tree, second.plan_id
    )
    assert len(indicators.list_indicators(tree, second.plan_id, version=1)) == 4


def test_import_diff_previews_the_recorded_diff_without_writing(tree: Session) -> None:
    assert plans.import_diff(tree, make_plan(), region_code="990101") is None  # a new plan
    first = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    tree.commit()
    changed = make_plan(
        indicators=[
            ("生态环境", "μg/m³", "细颗粒物（PM2.5）年均浓度", "31", "≤27"),
            ("生态空间", "%", "林草覆盖率", "61.2", "≥62"),
        ],
        projects=[model.ProjectRow(category="水环境治理", name="西溪河综合整治")],
    )
    preview = plans.import_diff(tree, changed, region_code="990101")
    assert preview is not None and preview["plan_id"] == first.plan_id
    assert (preview["from_version"], preview["to_version"]) == (1, 2)
    assert not tree.new and not tree.dirty  # nothing added or changed in the session
    assert plans.get_plan(tree, first.plan_id).current_version == 1
    assert len(plans.list_versions(tree, first.plan_id)) == 1
    second = plans.import_plan(tree, ADMIN, changed, region_code="990101")
    assert {k: v for k, v in preview.items() if k != "plan_id"} == second.diff
    assert [item["name"] for item in preview["projects"]["added"]] == ["西溪河综合整治"]
    assert plans.import_diff(tree, changed, region_code="990102") is None  # other region


def test_identical_reimport_has_an_empty_diff(tree: Session) -> None:
    plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    again = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    assert again.version == 2 and diff_is_empty(again.diff)
    assert all(
        not part[kind]
        for part in (again.diff["indicators"], again.diff["projects"])
        for kind in ("added", "removed", "changed")
    )


def test_an_editor_cannot_import_into_another_district(tree: Session) -> None:
    editor = users.create_user(
        tree, ADMIN, name="east", password="correct horse", role="editor", region_code="990102"
    )
    with pytest.raises(Forbidden):
        plans.import_plan(tree, editor, make_plan(), region_code="990101")


@pytest.mark.seeds
@pytest.mark.parametrize("seed", ["000", "002", "003"])
def test_seed_plans_import_with_every_indicator_row(tree: Session, seed_path, seed: str) -> None:
    load_plan = pytest.importorskip("ecociv.ingest.api").load_plan
    plan = load_plan(seed_path(seed))
    version = plans.import_plan(tree, ADMIN, plan, region_code="9901")
    tree.commit()
    names = [
        name
        for table in plan.tables
        if table.kind in ("indicator", "review")
        for row in table.rows
        if isinstance(row, model.IndicatorRow)
        for name in _names(row)
    ]
    assert names
    stored = {row.name for row in version.indicators}
    assert set(names) <= stored  # no row lost (repeats across tables are merged by code)
    assert len(version.indicators) <= len(names)
    assert any(row.standard_code for row in version.indicators)
    assert len(version.projects) == sum(
        isinstance(row, model.ProjectRow)
        for table in plan.tables
        if table.kind == "project"
        for row in table.rows
    )
    again = plans.import_plan(tree, ADMIN, plan, region_code="9901")
    assert again.version == 2 and not again.diff["indicators"]["changed"]


def _names(row: model.IndicatorRow) -> list[str]:
    return [row.name, *(name for sub in row.subitems for name in _names(sub))]


def test_long_document_text_is_stored_whole(tree: Session) -> None:
    long_domain = "生态环境质量持续改善" * 30
    plan = make_plan(
        indicators=[(long_domain, "个/万人·年（按常住人口计）" * 5, "某指标", "1", "≥2")]
    )
    version = plans.import_plan(tree, ADMIN, plan, region_code="990101")
    tree.commit()
    [row] = indicators.list_indicators(tree, version.plan_id)
    assert row.domain == long_domain and len(row.unit or "") > 64


def test_a_plan_without_a_usable_name_is_refused(tree: Session) -> None:
    with pytest.raises(ValidationError, match="plan name"):
        plans.import_plan(tree, ADMIN, make_plan(), region_code="990101", name="规" * 301)


def test_standards_are_synced_into_the_store(tree: Session) -> None:
    stored = standards.sync_standards(tree, ADMIN)
    again = standards.sync_standards(tree, ADMIN)
    assert [s.code for s in standards.list_standards(tree)] == ["nat2019", "nat2021", "zj2019"]
    assert [len(s.indicators) for s in stored] == [len(s.indicators) for s in again] and all(stored)
    forest = next(i for i in stored[1].indicators if i.code == "nat2021.eco.forest_grass_cover")
    assert forest.unit == "%" and forest.definition["code"] == forest.code
