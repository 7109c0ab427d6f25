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
    assert names == ["实测值", "基准值", "目标值", "预计值"]
    observed = option["series"][0]
    assert observed["data"] == [["2021", 31.0], ["2023", None], ["2024", 29.0]]
    assert observed["markLine"]["data"] == [{"yAxis": 35.0}]
    assert option["series"][3]["lineStyle"]["type"] == "dashed"


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
