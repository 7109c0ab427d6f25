"""The demo plan (our own synthetic 青岚市 plan) has no finding; each error written into it
is found, and only that one."""

from __future__ import annotations

from importlib import resources

import pytest

from ecociv.cli.check import check_file

DEMO = resources.files("ecociv.demo").joinpath("data/qinglan_plan.txt").read_text("utf-8")


def _check(tmp_path, text):
    path = tmp_path / "plan.txt"
    path.write_text(text, "utf-8")
    return check_file(path).findings


def test_the_demo_plan_has_no_finding(tmp_path):
    assert _check(tmp_path, DEMO) == []


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("优良天数比例达到90%以上", "优良天数比例达到91%以上", "prose.value"),
        ("细颗粒物年均浓度控制在28微克", "细颗粒物年均浓度控制在26微克", "prose.value"),
        ("共6个领域26项指标", "共6个领域24项指标", "count.indicators"),
        ("\t续建\n\t2020-2024", "\t续建\n\t2021-2024", "project.nature_vs_start"),
        ("\t续建\n\t2020-2024", "\t新建\n\t2020-2024", "project.nature_vs_start"),
        ("\t新建\n\t2023-2025\n\t3200", "\t新建\n\t2025-2023\n\t3200", "project.end_before_start"),
        ("\t146600\n", "\t146000\n", "total.investment"),
        (
            "\t新建\n\t2023-2025\n\t3200",
            "\t新建\n\t2031-2033\n\t3200",
            "project.period_outside_plan",
        ),
        ("\t新建\n\t2023-2025\n\t3200", "\t新建\n\t2026-2028\n\t3200", None),
        (
            "整治河道长度42公里",
            "新建4座泵站，每座规模2000吨/日，合计规模9000吨/日",
            "arithmetic.product",
        ),
        ("每年开展年度评估", "每年开展年度评估2次，5年开展12次", "arithmetic.per_year"),
    ],
)
def test_each_error_written_in_is_found(tmp_path, old, new, kind):
    assert DEMO.count(old) == 1
    found = _check(tmp_path, DEMO.replace(old, new))
    assert [f.kind for f in found] == ([kind] if kind else [])
