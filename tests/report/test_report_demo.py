"""Every report kind built for the demo sample (青岚市 and its districts): the Word tables
equal the assessment rows, the workbook keeps numbers as numbers with a frozen header."""

from __future__ import annotations

import pytest
from expected import (
    completion_rows,
    docx_tables,
    docx_text,
    plan_target_rows,
    standard_rows,
    text,
)

from ecociv.demo.sample import CITY_CODE, DISTRICT_CODES, GEP_YEAR
from ecociv.report.api import make_report
from ecociv.report.registry import registry
from ecociv.store.services import gep_accounts
from ecociv.store.services.assessment import assess_plan

SLOW_DISTRICT = DISTRICT_CODES[2]  # 松岭区


def _make(session, plan_id, tmp_path, kind, fmt="docx", region=SLOW_DISTRICT, year=2024, **kw):
    out = tmp_path / f"{kind}-{region}-{year}.{fmt}"
    report = make_report(
        session, kind, plan_id=plan_id, region_code=region, year=year, fmt=fmt, out=out, **kw
    )
    return report, out


@pytest.mark.parametrize("region", [CITY_CODE, *DISTRICT_CODES])
@pytest.mark.parametrize("year", [2022, 2024])
def test_annual_tables_equal_the_assessment(demo_store, demo_session, tmp_path, region, year):
    _, plan_id, _ = demo_store
    _, out = _make(demo_session, plan_id, tmp_path, "annual", region=region, year=year)
    rows = assess_plan(demo_session, plan_id, region_code=region, as_of=year).indicators
    tables = docx_tables(out)
    stored_gep = gep_accounts.report_data(demo_session, region, year) is not None
    assert stored_gep == (year == GEP_YEAR)  # the demo's accounts: every region, 2024
    assert len(tables) == 6 + stored_gep
    summary, plan_targets, standard = tables[0], tables[1], tables[2]
    assert plan_targets[0][:3] == ["序号", "指标名称", "单位"]
    assert plan_targets[1:] == plan_target_rows(rows)
    assert [[r[1], r[4], r[5], r[6]] for r in standard[1:]] == standard_rows(rows)
    assert summary[-1][:2] == ["合计", str(len(rows))]


def test_slow_district_2024_literal_rows(demo_store, demo_session, tmp_path):
    """松岭区 2024, read off the sample by hand: the air, PM2.5 and 暂无数据 rows.  The
    baseline is the district's own 2020 value (81.8 in qinglan_values.csv), not the city's."""
    _, plan_id, _ = demo_store
    _, out = _make(demo_session, plan_id, tmp_path, "annual")
    tables = docx_tables(out)
    assert tables[0][-1] == ["合计", "26", "10", "15", "1", "0"]
    assert tables[0][1] == ["生态制度", "4", "3", "1", "0", "0"]
    plan_targets = {row[1]: row for row in tables[1][1:]}
    assert plan_targets["环境空气质量优良天数比例"][3:9] == [
        "81.8", "2025", "≥90", "77", "未达标", "-13",
    ]  # fmt: skip
    assert plan_targets["细颗粒物（PM2.5）年均浓度"][5:9] == ["≤28", "39", "未达标", "-11"]
    assert plan_targets["公众对生态文明建设的参与度"][6:8] == ["暂无数据", "无数据"]
    assert plan_targets["生态环境信息公开率"][6:9] == ["100", "达标", "0"]
    body = docx_text(out)
    assert "松岭区2024年度评估报告" in body
    assert "细颗粒物（PM2.5）年均浓度：2024年为39微克/立方米" in body  # 存在问题, pre-filled


def test_gap_list_and_projects(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    report, out = _make(demo_session, plan_id, tmp_path, "annual")
    tables = docx_tables(out)
    projects, gaps = tables[4], tables[5]
    rows = assess_plan(demo_session, plan_id, region_code=SLOW_DISTRICT, as_of=2024).indicators
    not_met = [r.name for r in rows if r.verdict.status.value == "not_met"]
    assert [g[1] for g in gaps[1:]] == not_met
    assert len(projects) == 1 + 10
    assert projects[1][1:5] == [
        "澄湖区工业园区挥发性有机物综合治理",
        "生态环境质量提升工程",
        "2021-2023",
        "6800",
    ]
    assert projects[1][6] == "应已完工"  # 2021-2023, judged in 2024
    assert projects[5][6] == "应在建"  # 青岚湿地保护与恢复, 2023-2026
    assert report.tables["projects"].rows[0]["investment"] == 6800


@pytest.mark.parametrize("kind", ["midterm", "final"])
def test_period_reports_add_rates_and_adjustments(demo_store, demo_session, tmp_path, kind):
    _, plan_id, _ = demo_store
    report, out = _make(demo_session, plan_id, tmp_path, kind)
    rates = {row[1]: row for row in docx_tables(out)[3][1:]}
    # 19 % in 2024 against ≥22 in 2025: 3 points in one year, (22/19 − 1) = 15.79 %
    assert rates["生态文明建设工作占党政实绩考核的比例"][6:8] == ["3", "15.79"]
    # PM2.5 39 → ≤28: −11 a year, (28/39 − 1) = −28.21 %
    assert rates["细颗粒物（PM2.5）年均浓度"][6:8] == ["-11", "-28.21"]
    assert "规划调整建议" in docx_text(out)
    assert "adjustments" in report.narratives
    title = registry().kinds[kind].zh
    assert f"松岭区2024年{title}" in docx_text(out)


def test_completion_is_the_review_layout(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    _, out = _make(demo_session, plan_id, tmp_path, "completion", region=DISTRICT_CODES[0])
    (table,) = docx_tables(out)
    assert table[0] == ["序号", "指标名称", "单位", "基期值", "目标值", "实际值", "完成情况"]
    rows = assess_plan(demo_session, plan_id, region_code=DISTRICT_CODES[0], as_of=2024)
    assert table[1:] == completion_rows(rows.indicators)


def test_self_assessment_has_every_standard_indicator(demo_store, demo_session, tmp_path):
    from ecociv.standards.catalog import get_standard

    _, plan_id, _ = demo_store
    _, out = _make(demo_session, plan_id, tmp_path, "self-assessment")
    (table,) = docx_tables(out)
    standard = list(get_standard("nat2021").walk())
    assert [row[1] for row in table[1:]] == [indicator.name for indicator in standard]
    by_name = {row[1]: row for row in table[1:]}
    # 松岭区 is a 县-level district: 城镇污水处理率 ≥85 for 县, 90.5 in 2024
    assert by_name["城镇污水处理率"][3:6] == ["≥85", "90.5", "达标"]
    assert by_name["生态文明建设工作占党政实绩考核的比例"][3:6] == ["≥20", "19", "未达标"]
    assert by_name["依法开展规划环境影响评价"][5] == "无数据"  # not in the demo plan
    assert by_name["城镇污水处理率"][7] == "示例数据（合成）"  # 佐证材料: the value's source


def test_environment_status_has_the_sections_of_000(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    report, out = _make(demo_session, plan_id, tmp_path, "environment-status")
    body = docx_text(out)
    for heading in (
        "目标任务完成情况",
        "工作成效",
        "面临的形势",
        "存在的问题和短板差距",
        "下一步目标任务和工作措施",
    ):
        assert heading in body
    assert set(report.narratives) == {"achievements", "situation", "problems", "next_steps"}


def test_english_report(demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    _, out = _make(demo_session, plan_id, tmp_path, "completion", lang="en")
    (table,) = docx_tables(out)
    assert table[0] == ["No.", "Indicator", "Unit", "Baseline", "Target", "Actual", "Completed"]
    assert {row[6] for row in table[1:]} <= {"completed", "not completed", "no data"}


def test_xlsx_numbers_are_numbers_and_the_header_is_frozen(demo_store, demo_session, tmp_path):
    from openpyxl import load_workbook

    _, plan_id, _ = demo_store
    report, out = _make(demo_session, plan_id, tmp_path, "annual", fmt="xlsx")
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["报告", "图", "指标评价结果统计", "规划指标完成情况", "对照示范区建设指标", "进展与预测", "重点项目推进情况", "差距清单", "生态产品总值核算表"]  # fmt: skip
    figures = workbook["图"]
    assert [figures.cell(row=r, column=1).value for r in range(1, figures.max_row + 1)
            if figures.cell(row=r, column=1).value] == [c.caption for c in report.charts.values()]  # fmt: skip
    assert len(figures._images) == len(report.charts) == 3
    sheet = workbook["规划指标完成情况"]
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.paperSize == 9  # A4 in SpreadsheetML
    assert [c.value for c in sheet[2]] == report.tables["plan_targets"].headers
    rows = assess_plan(demo_session, plan_id, region_code=SLOW_DISTRICT, as_of=2024).indicators
    cells = list(sheet.iter_rows(min_row=3, max_row=2 + len(rows), values_only=True))
    for row, expected in zip(cells, rows, strict=True):
        assert row[1] == expected.name
        if expected.verdict.margin is not None:
            assert isinstance(row[8], int | float)  # a number, not its text
            assert row[8] == pytest.approx(expected.verdict.margin, abs=1e-4)
        else:
            assert row[8] is None
    air = next(row for row in cells if row[1] == "环境空气质量优良天数比例")
    assert (air[6], air[8]) == (77, -13)
    projects = workbook["重点项目推进情况"]
    assert [c.value for c in projects[3]][4] == 6800


def test_same_data_same_revision_and_no_write(demo_store, demo_session, tmp_path):
    from sqlalchemy import func, select

    from ecociv.store.models import AuditEntry

    _, plan_id, _ = demo_store
    before = demo_session.scalar(select(func.count()).select_from(AuditEntry))
    first, _ = _make(demo_session, plan_id, tmp_path, "completion")
    second, _ = _make(demo_session, plan_id, tmp_path, "completion", fmt="xlsx")
    assert first.data_revision == second.data_revision
    assert first.data_revision.startswith("v1-")
    older, _ = _make(demo_session, plan_id, tmp_path, "annual", year=2023)
    assert older.data_revision != first.data_revision  # it read fewer values
    assert demo_session.scalar(select(func.count()).select_from(AuditEntry)) == before
    assert not demo_session.new and not demo_session.dirty


def test_values_of(demo_store, demo_session, tmp_path):
    """The rows' values for the xlsx are the stored numbers, not their printed text."""
    _, plan_id, _ = demo_store
    report, _ = _make(demo_session, plan_id, tmp_path, "annual", fmt="xlsx")
    rows = {row["name"]: row for row in report.tables["plan_targets"].rows}
    assert rows["单位地区生产总值能耗"]["value"] == 0.385
    assert text(rows["单位地区生产总值能耗"]["margin"]) == "-0.005"
    assert rows["河长制"]["value"] == "全面实施"


def test_self_assessment_against_the_zhejiang_standard(demo_store, demo_session, tmp_path):
    """Another standard than the one plans are linked to: rows matched by name."""
    from ecociv.standards.catalog import get_standard

    _, plan_id, _ = demo_store
    report, out = _make(demo_session, plan_id, tmp_path, "self-assessment", standard="zj2019")
    (table,) = docx_tables(out)
    assert len(table) - 1 == len(list(get_standard("zj2019").walk()))
    by_name = {row[1]: row for row in table[1:]}
    assert by_name["受污染耕地安全利用率"][3:6] == ["≥92", "87.4", "未达标"]
    assert by_name["城镇生活垃圾无害化处理率"][3:6] == ["≥96", "100", "达标"]
    assert "浙江省" in docx_text(out)
    assert report.standard == "zj2019"
