"""Each check rule on small synthetic plans written in the test, with varied numbers, units
and wording; and the cases each rule must leave alone."""

from __future__ import annotations

import pytest
from check_plans import indicator_table, plan_text, project_table, table, write

from ecociv.cli.check import check_file as check_path

IND = "表1 青岚县生态环境保护指标"


def kinds(tmp_path, *parts):
    return check_path(write(tmp_path, plan_text(*parts))).findings


def only(findings, kind):
    return [f for f in findings if f.kind == kind]


# ------------------------------------------------------------------ projects


@pytest.mark.parametrize(
    ("nature", "period", "flagged"),
    [
        ("续建", "2021-2023", True),
        ("续建", "2019-2022", False),
        ("新建", "2020-2022", True),
        ("新建", "2022-2024", False),
        ("新建（升级改造）", "2018-2022", True),
        ("续建", "待定", False),
    ],
)
def test_nature_vs_start(tmp_path, nature, period, flagged):
    found = only(
        kinds(tmp_path, project_table([["1", "甲河治理工程", "河道清淤", nature, period, "500"]])),
        "project.nature_vs_start",
    )
    assert bool(found) is flagged
    if flagged:
        assert [loc.column for loc in found[0].locations] == ["nature", "period"]


def test_end_before_start_and_outside_plan(tmp_path):
    indicators = indicator_table(IND, [["1", "森林覆盖率", "%", "约束性", "50", "55"]])
    found = kinds(
        tmp_path,
        indicators,
        project_table(
            [
                ["1", "甲工程", "清淤", "新建", "2023-2021", "100"],
                ["2", "乙工程", "绿化", "续建", "2016-2019", "100"],
                ["3", "丙工程", "绿化", "新建", "2022-2024", "100"],
            ]
        ),
    )
    assert [f.locations[0].row for f in only(found, "project.end_before_start")] == [0]
    assert [f.locations[0].row for f in only(found, "project.period_outside_plan")] == [1]


@pytest.mark.parametrize(
    ("cell", "severity"),
    [
        ("4186（34880*12%）", "note"),
        ("4300（34880*12%）", "warning"),
        ("300（1200/4）", None),
        ("250（100+150）", None),
    ],
)
def test_formula_cell(tmp_path, cell, severity):
    found = only(
        kinds(tmp_path, project_table([["1", "甲工程", "清淤", "新建", "2022-2023", cell]])),
        "project.formula_cell",
    )
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_duplicate_project_names(tmp_path):
    found = only(
        kinds(
            tmp_path,
            project_table(
                [
                    ["1", "水质自动监测站", "新建站点", "新建", "2021", "200"],
                    ["2", "水质自动 监测站", "升级", "新建", "2022-2023", "700"],
                    ["3", "其他工程", "升级", "新建", "2022-2023", "700"],
                ]
            ),
        ),
        "project.duplicate",
    )
    assert [[loc.row for loc in f.locations] for f in found] == [[0, 1]]


# ------------------------------------------------------------------ boxes


def _box(lines):
    return "\t专栏2 生态保护与修复重点工程\n\n" + "\n\n".join(lines) + "\n\n"


def test_box_projects_missing_and_category(tmp_path):
    projects = table(
        "表3 重点项目表",
        [
            ["分类", "项目类型", "项目名称", "实施年限", "投资（万元）"],
            ["生态保护与修复类", "森林保护工程", "北山森林抚育项目", "2021-2022", "100"],
            ["", "", "南山造林项目", "2021-2022", "100"],
            ["", "河流治理工程", "甲河清水绿岸工程", "2021-2022", "100"],
            ["环境改善与污染防治类", "城市绿地建设工程", "滨江公园项目", "2021-2022", "100"],
            ["", "", "中心公园项目", "2021-2022", "100"],
        ],
    )
    box = _box(
        [
            "森林保护工程：北山森林抚育项目、南山造林项目；东岭石漠化治理。",
            "城市绿地建设工程：滨江公园项目、中心公园项目、甲河清水绿岸工程。",
        ]
    )
    found = kinds(tmp_path, box, projects)
    assert [f.values["project"] for f in only(found, "project.missing_from_table")] == [
        "东岭石漠化治理"
    ]
    [differs] = only(found, "project.category_differs")
    assert differs.values["works"] == "城市绿地建设工程"
    assert differs.values["table_area"] == "环境改善与污染防治类"


def test_box_of_tasks_is_not_a_project_list(tmp_path):
    projects = project_table([["1", "甲河治理工程", "清淤", "新建", "2022", "100"]])
    box = _box(["重点任务：开展公共机构油烟整治、餐饮业油烟治理、创建示范道路。"])
    assert only(kinds(tmp_path, box, projects), "project.missing_from_table") == []


# ------------------------------------------------------------------ arithmetic


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("拟建6套设施，每套处理能力约30000m3/h，总设计处理风量约150000 m3/h。", True),
        ("拟建5套设施，每套处理能力约30000m3/h，总设计处理风量约150000 m3/h。", False),
        ("新建4座泵站，每座规模2000吨/日，合计规模9000吨/日。", True),
        ("新建4座泵站，每座规模2000吨/日，合计规模8000吨/日。", False),
        ("拟建3台风机，每台约35套收集设施。", False),
    ],
)
def test_product(tmp_path, text, flagged):
    found = only(
        kinds(tmp_path, project_table([["1", "甲工程", text, "新建", "2022", "100"]])),
        "arithmetic.product",
    )
    assert bool(found) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("每年重点培育10 个左右先行村，5 年建成40 个左右精品村。", True),
        ("每年培育8个示范村，5年建成40个示范村。", False),
        ("每年创建20个左右示范村，5年创成105个示范村。", False),
        ("每年新增3处公园，4年新增20处公园。", True),
        ("每年完成生态清淤5万方。", False),
    ],
)
def test_per_year(tmp_path, text, flagged):
    assert bool(only(kinds(tmp_path, text), "arithmetic.per_year")) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("新建31个监测站，其中市控断面共11个，区控断面共20个。", False),
        ("新建30个监测站，其中市控断面共11个，区控断面共20个。", True),
        ("管道总长度784米，其中埋地管道610米，架空管道174米。", False),
        ("管道总长度700米，其中埋地管道610米，架空管道174米。", True),
        ("新建31个监测站，其中市控断面共11个。", False),
    ],
)
def test_parts_sum(tmp_path, text, flagged):
    assert bool(only(kinds(tmp_path, text), "arithmetic.parts_sum")) is flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("规划确定的9项主要指标，其中完成的指标6项、占66.7%，未完成的指标3项、占33.3%。", False),
        ("规划确定的9项主要指标，其中完成的指标6项、占60%。", True),
        ("共12项任务，其中完成5项、占41.7%。", False),
    ],
)
def test_share(tmp_path, text, flagged):
    assert bool(only(kinds(tmp_path, text), "arithmetic.share")) is flagged


# ------------------------------------------------------------------ units


@pytest.mark.parametrize(
    ("name", "unit", "target", "kind"),
    [
        ("PM2.5浓度下降幅度", "%", "29µg/m3", "unit.level_for_rate"),
        ("细颗粒物浓度下降比例", "%", "25微克/立方米", "unit.level_for_rate"),
        ("细颗粒物年均浓度", "μg/m3", "30mg/L", "unit.cell_vs_row"),
        ("细颗粒物年均浓度", "μg/m3", "30ug/m3", None),
        ("森林覆盖率", "%", "55%", None),
        ("公众对生态环境的满意度", "%", "85.66分", "unit.score_as_percent"),
        ("公众对生态环境的满意度", "分", "85.66分", None),
    ],
)
def test_cell_units(tmp_path, name, unit, target, kind):
    found = kinds(tmp_path, indicator_table(IND, [["1", name, unit, "约束性", "30", target]]))
    units = [f.kind for f in found if f.kind.startswith("unit.")]
    assert units == ([kind] if kind else [])
    if kind:
        assert found[0].locations[0].column == "target_2025" or any(
            loc.column == "target_2025" for f in found for loc in f.locations
        )


# ------------------------------------------------------------------ targets


@pytest.mark.parametrize(
    ("name", "baseline", "target", "flagged"),
    [
        ("公众对生态环境的满意度", "85.66", "≥80", True),
        ("公众对生态环境的满意度", "78", "≥80", False),
        ("细颗粒物年均浓度", "30", "≤33", True),
        ("细颗粒物年均浓度", "35", "≤33", False),
        ("单位GDP建设用地下降率", "8.48", "≥4.5", False),
    ],
)
def test_weaker_than_baseline(tmp_path, name, baseline, target, flagged):
    found = only(
        kinds(tmp_path, indicator_table(IND, [["1", name, "%", "约束性", baseline, target]])),
        "target.weaker_than_baseline",
    )
    assert bool(found) is flagged


def test_weaker_than_standard(tmp_path):
    rows = [
        ["序号", "指标名称", "单位", "指标值", "指标属性", "现状值（2020年）", "2025年目标值"],
        ["1", "城镇污水处理率", "%", "≥95", "约束性", "90", "93"],
        ["2", "森林覆盖率", "%", "≥18", "参考性", "20", "17"],
        ["3", "农膜回收利用率", "%", "≥80", "参考性", "85", "90"],
    ]
    found = only(
        kinds(tmp_path, table("表1 国家生态文明建设示范区指标", rows)),
        "target.weaker_than_standard",
    )
    assert [(f.locations[0].row, f.severity) for f in found] == [(0, "error"), (1, "warning")]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("到2023年，各项指标均达到示范区考核要求。", True),
        ("到2025年，各项指标均达到示范区考核要求。", False),
        ("到2035年，各项指标均达到示范区考核要求。", False),
        ("到2023年，完成示范区指标体系建设。", False),
        ("到2023年完成河道整治，到2025年各项指标均达到考核要求。", False),
    ],
)
def test_prose_target_year(tmp_path, text, flagged):
    found = only(
        kinds(
            tmp_path, text, indicator_table(IND, [["1", "森林覆盖率", "%", "约束性", "50", "55"]])
        ),
        "target.prose_year",
    )
    assert bool(found) is flagged


# ------------------------------------------------------------------ same quantity, prose


def test_same_quantity_two_tables(tmp_path):
    first = indicator_table(
        "表1 国家指标",
        [
            ["1", "城镇新建绿色建筑比例", "%", "参考性", "86.5", "90"],
            ["2", "碳排放强度", "吨/万元", "约束性", "-", "-"],
        ],
    )
    second = indicator_table(
        "表2 省级指标",
        [
            ["1", "城镇新建绿色建筑比例", "%", "约束性", "100", "90"],
            ["2", "碳排放强度", "万吨/万元", "约束性", "-", "-"],
        ],
    )
    found = kinds(tmp_path, first, "正文。", second)
    assert [f.values["values"] for f in only(found, "same_quantity.value")] == [["86.5", "100"]]
    assert [f.values["units"] for f in only(found, "same_quantity.unit")] == [
        ["吨/万元", "万吨/万元"]
    ]
    assert [f.values["attributes"] for f in only(found, "same_quantity.attribute")] == [
        ["参考性", "约束性"]
    ]


@pytest.mark.parametrize(
    ("values", "cause"),
    [
        (("90.16", "90.4"), "leap year"),
        (("89.89", "90.14"), "leap year"),
        (("45.2", "45.21"), "rounded"),
        (("80", "85"), None),
    ],
)
def test_same_quantity_causes(tmp_path, values, cause):
    review = [
        ["指标名称", "2015年", "2020年", "2020年目标值", "完成情况"],
        ["空气质量优良天数比例（%）", "80", values[0], "85", "完成"],
    ]
    first = table("专栏1 “十三五”指标执行情况", review)
    second = indicator_table(
        "表2 本期指标", [["1", "环境空气质量优良率", "%", "约束性", values[1], "92"]]
    )
    [item] = only(kinds(tmp_path, first, "正文。", second), "same_quantity.value")
    assert (cause in (item.cause_en or "")) if cause else item.cause_en is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("到2025年，政府绿色采购比例达到97%。", ("prose.value", "97%")),
        ("到2025年，政府绿色采购比例达到99%。", None),
        ("2020年，政府绿色采购比例为92%。", ("prose.value", "92%")),
        ("2020年，政府绿色采购比例为90.6%。", ("prose.value", "90.6%")),
        ("2020年，政府绿色采购比例为90.2%。", None),
        ("2020年，政府绿色采购比例约为92%。", None),
        ("2020年，政府绿色采购比例约为96%。", ("prose.value", "96%")),
        ("政府绿色采购比例现为90%，目前未达到要求。", None),
        ("较2015年，政府绿色采购比例提高了30%。", None),
        ("到2025年，澄湖区政府绿色采购比例达到95%。", None),
        ("2020年，全省政府绿色采购比例为95%。", None),
        ("2020年，我县政府绿色采购比例为95%。", ("prose.value", "95%")),
        ("2020年，县级政府绿色采购比例为95%。", ("prose.value", "95%")),
        ("2020年，重点政府绿色采购比例为95%。", None),
        ("2020年，全市政府绿色采购比例为95%。", None),
        ("到2025年，全县政府绿色采购比例达到95%。", ("prose.value", "95%")),
        ("到2025年，青岚县政府绿色采购比例达到95%。", ("prose.value", "95%")),
    ],
)
def test_prose_values(tmp_path, sentence, expected):
    found = kinds(
        tmp_path,
        sentence,
        indicator_table(IND, [["1", "政府绿色采购比例", "%", "约束性", "90", "99"]]),
    )
    prose = [(f.kind, f.values["text"]) for f in found if f.kind == "prose.value"]
    assert prose == ([expected] if expected else [])


def test_score_in_percent_column(tmp_path):
    text = "全县公众满意度得分从2016年的76.66分提升到2020年的85.66分。"
    found = kinds(
        tmp_path,
        text,
        indicator_table(IND, [["1", "公众对生态环境的满意度", "%", "参考性", "85.66", "≥86"]]),
    )
    [item] = only(found, "unit.score_as_percent")
    assert item.values["value"] == "85.66"


# ------------------------------------------------------------------ totals


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("本规划共2项指标，其中约束性1项。", False),
        ("本规划共3项指标，其中约束性1项。", True),
        ("本规划共2项指标，其中约束性指标2项。", True),
        ("指标体系包括1项约束性指标、1项参考性指标。", False),
        ("指标体系包括2项约束性指标。", True),
    ],
)
def test_indicator_count(tmp_path, text, flagged):
    rows = [
        ["1", "森林覆盖率", "%", "约束性", "50", "55"],
        ["2", "农膜回收利用率", "%", "参考性", "85", "90"],
    ]
    found = only(kinds(tmp_path, text, indicator_table(IND, rows)), "count.indicators")
    assert bool(found) is flagged


# ------------------------------------------------------------------ lists of areas


def _domains(*names):
    rows = [["领域", "序号", "指标名称", "单位", "现状值（2020年）", "2025年目标值"]]
    rows += [[name, str(i), f"指标{i}", "%", "50", "55"] for i, name in enumerate(names, 1)]
    return table(IND, rows)


@pytest.mark.parametrize(
    ("sentence", "values"),
    [
        ("指标体系包括生态制度、生态安全、生态经济三大体系共3项指标。", None),
        ("指标体系包括生态制度、生态安全和生态经济三大体系。", None),
        ("指标体系包括生态制度、生态安全与生态经济四大体系。", {"stated": 4}),
        (
            "指标体系包括生态制度、生态安全、生态文化三大体系。",
            {"not_in_table": ["生态文化"], "not_in_text": ["生态经济"]},
        ),
        ("指标体系包括生态制度体系、生态安全体系、生态经济体系等三大领域。", None),
    ],
)
def test_category_list(tmp_path, sentence, values):
    found = only(
        kinds(tmp_path, sentence, _domains("生态制度", "生态安全", "生态经济")),
        "prose.category_list",
    )
    if values is None:
        assert found == []
    else:
        [item] = found
        assert {k: item.values[k] for k in values} == values


# ------------------------------------------------------------------ units that convert


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [("2020年，固体废物产生量为12000吨。", False), ("2020年，固体废物产生量为1.3万吨。", True)],
)
def test_prose_figures_convert_to_the_rows_unit(tmp_path, sentence, flagged):
    rows = [["1", "固体废物产生量", "万吨", "预期性", "1.2", "1.1"]]
    found = only(kinds(tmp_path, sentence, indicator_table(IND, rows)), "prose.value")
    assert bool(found) is flagged


@pytest.mark.parametrize(
    ("second", "kinds_found"), [("15000", []), ("16000", ["same_quantity.value"])]
)
def test_convertible_units_are_the_same_quantity(tmp_path, second, kinds_found):
    first = indicator_table("表1 国家指标", [["1", "绿色贷款余额", "亿元", "参考性", "1.5", "2"]])
    other = indicator_table(
        "表2 省级指标", [["1", "绿色贷款余额", "万元", "参考性", second, "20000"]]
    )
    found = kinds(tmp_path, first, "正文。", other)
    assert [f.kind for f in found if f.kind.startswith("same_quantity")] == kinds_found


@pytest.mark.parametrize(
    ("note", "severity"),
    [
        ("注：2020年优良天数比例受疫情影响明显高于正常年份，“十三五”平均值为84%。", "note"),
        ("注：目标值为预计数。", "warning"),
    ],
)
def test_a_table_note_can_explain_a_weaker_target(tmp_path, note, severity):
    rows = [["1", "空气质量优良天数比例", "%", "约束性", "90.4", "≥88"]]
    [item] = only(
        kinds(tmp_path, indicator_table(IND, rows) + note + "\n"), "target.weaker_than_baseline"
    )
    assert item.severity == severity


@pytest.mark.parametrize(
    ("captions", "compared"),
    [
        (("表3 柯桥区生态环境保护指标", "表4 上虞区生态环境保护指标"), False),
        (("表3 柯桥区生态环境保护指标", "表4 柯桥区“十四五”目标"), True),
        (("表1 国家生态文明建设示范区指标体系", "表二 浙江省生态文明建设示范区建设指标体系"), True),
    ],
)
def test_tables_of_different_places_are_not_the_same_quantity(tmp_path, captions, compared):
    first = indicator_table(captions[0], [["1", "森林覆盖率", "%", "约束性", "50", "55"]])
    second = indicator_table(captions[1], [["1", "森林覆盖率", "%", "约束性", "60", "62"]])
    found = only(kinds(tmp_path, first, "正文。", second), "same_quantity.value")
    assert bool(found) is compared


@pytest.mark.parametrize(
    ("first", "compared"), [("约90", False), ("90左右", False), ("约80", True)]
)
def test_an_approximate_value_agrees_within_its_tolerance(tmp_path, first, compared):
    one = indicator_table("表1 国家指标", [["1", "森林覆盖率", "%", "约束性", first, "93"]])
    two = indicator_table("表2 省级指标", [["1", "森林覆盖率", "%", "约束性", "91", "93"]])
    assert bool(only(kinds(tmp_path, one, "正文。", two), "same_quantity.value")) is compared


@pytest.mark.parametrize(
    ("names", "compared"),
    [
        (("生活垃圾分类覆盖率（城市）", "生活垃圾分类覆盖率（农村）"), False),
        (("细颗粒物（PM2.5）年平均浓度", "细颗粒物年均浓度"), True),
        (("生态环境状况指数（EI）", "*生态环境状况指数"), True),
    ],
)
def test_bracket_qualifiers_that_are_not_units_make_another_quantity(tmp_path, names, compared):
    one = indicator_table("表1 国家指标", [["1", names[0], "%", "约束性", "30", "28"]])
    two = indicator_table("表2 省级指标", [["1", names[1], "%", "约束性", "35", "28"]])
    assert bool(only(kinds(tmp_path, one, "正文。", two), "same_quantity.value")) is compared


@pytest.mark.parametrize(
    ("row", "sentence", "flagged"),
    [
        ("污水处理率", "到2025年，农村生活污水处理率达到80%。", False),
        ("城镇污水处理率", "到2025年，农村生活污水处理率达到80%。", False),
        ("城镇污水处理率", "到2025年，城镇污水处理率达到95%。", True),
        ("细颗粒物（PM2.5）年平均浓度", "到2025年，细颗粒物浓度降至30μg/m³。", True),
    ],
)
def test_a_narrower_quantity_in_the_text_is_not_the_rows(tmp_path, row, sentence, flagged):
    unit = "μg/m3" if "浓度" in row else "%"
    found = kinds(
        tmp_path,
        sentence,
        indicator_table(IND, [["1", row, unit, "约束性", "35", "97" if unit == "%" else "28"]]),
    )
    assert bool(only(found, "prose.value")) is flagged
