"""The project library's charts: planned against completed investment, and the timeline."""

from __future__ import annotations

from datetime import date

from ecociv.web.work_charts import completion_chart, timeline_chart


def test_completion_bars_pair_planned_and_completed() -> None:
    option = completion_chart(
        [
            {"key": "水环境", "planned_wan_yuan": 3000.0, "completed_wan_yuan": 1000.456},
            {"key": "大气", "planned_wan_yuan": 1200.0, "completed_wan_yuan": 0.0},
        ],
        "万元",
    )
    assert option["yAxis"]["data"] == ["大气", "水环境"]
    assert [s["data"] for s in option["series"]] == [[1200.0, 3000.0], [0.0, 1000.46]]


def test_timeline_spans_whole_years_and_places_milestones() -> None:
    rows = [
        {
            "name": "河道整治",
            "period_start": 2024,
            "period_end": 2026,
            "milestones": [
                {"name": "开工", "planned": date(2024, 3, 1), "actual": date(2024, 3, 20)},
                {"name": "完工", "planned": date(2026, 6, 30), "actual": None},
            ],
        },
        {"name": "未排期项目", "period_start": None, "period_end": None, "milestones": []},
        {"name": "单年项目", "period_start": 2025, "period_end": None, "milestones": []},
    ]
    option = timeline_chart(rows)
    assert option["yAxis"]["data"] == ["单年项目", "未排期项目", "河道整治"]
    periods = [s for s in option["series"] if s["type"] == "line"]
    assert [s["data"] for s in periods] == [
        [["2024-01-01", "河道整治"], ["2026-12-31", "河道整治"]],
        [["2025-01-01", "单年项目"], ["2025-12-31", "单年项目"]],
    ]
    planned, reached = (s["data"] for s in option["series"] if s["type"] == "scatter")
    assert planned == [["2024-03-01", "河道整治", "开工"], ["2026-06-30", "河道整治", "完工"]]
    assert reached == [["2024-03-20", "河道整治", "开工"]]
