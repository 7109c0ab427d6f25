"""ECharts options built on the server (pure functions, literal in → literal out)."""

from __future__ import annotations

from ecociv.web.charts import bar_chart, indicator_chart


def test_indicator_chart_has_every_year_and_each_series():
    option = indicator_chart(
        title="PM2.5",
        unit="μg/m³",
        observed=[(2021, 31.0), (2023, None), (2024, 29.0)],
        baseline=(2020, 33.0),
        targets=[(2025, 28.0)],
        standard=35.0,
        projection=[(2024, 29.0), (2025, 28.4)],
    )
    assert option["xAxis"]["data"] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    names = [s["name"] for s in option["series"]]
    assert names == ["实测值", "基准值", "目标值", "预计值", "标准要求 35"]
    observed = option["series"][0]
    assert observed["data"] == [["2021", 31.0], ["2023", None], ["2024", 29.0]]
    assert option["series"][3]["lineStyle"]["type"] == "dashed"
    # The standard is a dotted series of its own (named in the legend), not a label on the data.
    standard = option["series"][4]
    assert standard["data"] == [[str(y), 35.0] for y in range(2020, 2026)]
    assert standard["lineStyle"]["type"] == "dotted" and "markLine" not in observed
    assert option["yAxis"]["nameTextStyle"] == {"align": "left"}  # the unit is not clipped


def test_a_target_in_words_gets_a_marker_at_its_year():
    option = indicator_chart(
        title="x",
        unit="吨标准煤/万元",
        observed=[(2022, 0.41), (2023, 0.40)],
        text_targets=[(2025, "完成上级下达任务")],
    )
    assert option["xAxis"]["data"] == ["2022", "2023", "2024", "2025"]
    marker = option["series"][0]["markLine"]["data"]
    assert marker == [{"xAxis": "2025", "label": {"formatter": "目标值：完成上级下达任务"}}]
    long = indicator_chart(
        title="x",
        unit=None,
        observed=[(2022, 1.0)],
        text_targets=[(2025, "完成上级下达的年度目标任务要求")],
    )
    assert (
        long["series"][0]["markLine"]["data"][0]["label"]["formatter"]
        == "目标值：完成上级下达的年度…"
    )


def test_axis_keeps_the_standard_line_in_view():
    option = indicator_chart(
        title="x", unit="%", observed=[(2023, 36.75)], targets=[(2025, 35.0)], standard=20.0
    )
    assert option["yAxis"]["min"] <= 20.0 <= option["yAxis"]["max"]
    assert option["yAxis"]["max"] >= 36.75


def test_english_labels():
    option = indicator_chart(
        title="x", unit=None, observed=[(2020, 1.0)], labels={"observed": "observed"}
    )
    assert option["series"][0]["name"] == "observed"


def test_bar_chart_lists_largest_first_from_the_top():
    option = bar_chart("", ["水", "气"], [3000.0, 1200.0], "万元")
    assert option["yAxis"]["data"] == ["气", "水"]  # ECharts draws the first category at the bottom
    assert option["series"][0]["data"] == [1200.0, 3000.0]


def _assessed(**fields):
    from ecociv.model import Verdict, VerdictStatus
    from ecociv.store.services.assessment import IndicatorAssessment

    base = {
        "indicator_id": 1,
        "code": "plan.x",
        "seq": "3",
        "name": "河长制",
        "domain": None,
        "unit": None,
        "attribute": None,
        "standard_code": None,
        "baseline_year": 2020,
        "baseline_text": "全面实施",
        "targets": {2025: "全面实施", 2030: "全面实施"},
        "observed": {},
        "year": None,
        "target_year": 2025,
        "verdict": Verdict(status=VerdictStatus.NO_DATA, reason_zh="无", reason_en="none"),
    }
    return IndicatorAssessment(**{**base, **fields})


def _entered(value=None, text=None):
    return {"value": value, "text": text, "unit": None, "version": 1}


def test_a_milestone_is_a_timeline_of_its_years():
    from ecociv.web.dashboard_data import chart_kind, indicator_row, timeline_of

    row = _assessed(observed={2022: _entered(text="全面实施")}, year=2022)
    assert chart_kind(row) == "timeline"
    assert timeline_of(row) == [
        {"year": 2020, "judged": False, "baseline": "全面实施"},
        {"year": 2022, "judged": True, "observed": "全面实施"},
        {"year": 2025, "judged": False, "target": "全面实施"},
        {"year": 2030, "judged": False, "target": "全面实施"},
    ]
    shaped = indicator_row(row)
    assert shaped["chart"] is None and shaped["timeline"] == timeline_of(row)
    assert shaped["plotted"]


def test_numbers_make_a_line_chart_and_text_with_numeric_targets_a_timeline():
    from ecociv.web.dashboard_data import chart_kind, indicator_row

    numeric = _assessed(observed={2022: _entered(value=30.0, text="30")}, year=2022)
    assert chart_kind(numeric) == "line"
    assert indicator_row(numeric)["timeline"] is None
    # nothing entered yet, but a baseline number and a numeric target to draw
    assert chart_kind(_assessed(baseline_value=33.0, target_values={2025: 28.0})) == "line"
    # only text entered against a numeric target: the texts are what there is to see
    texted = _assessed(
        target_values={2025: 28.0}, observed={2022: _entered(text="暂无数据")}, year=2022
    )
    assert chart_kind(texted) == "timeline"
    # nothing numeric at all and nothing entered: still the targets on a timeline
    assert chart_kind(_assessed()) == "timeline"
