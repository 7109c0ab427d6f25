"""Properties of the arithmetic and project rules over generated numbers (no file read:
the rules take a plan and prose lines built here)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ecociv.check import check_plan
from ecociv.check.view import ProseLine
from ecociv.model import (
    Cell,
    Column,
    IndicatorRow,
    Plan,
    PlanMetadata,
    PlanSource,
    PlanTable,
    ProjectRow,
    SourceSpan,
)

EMPTY = Plan(source=PlanSource(path="plan.txt", format="tika"))


def _kinds(text: str, plan: Plan = EMPTY) -> list[str]:
    line = ProseLine(text, SourceSpan(file="plan.txt", line_start=7, line_end=7))
    return [f.kind for f in check_plan(plan, [line])]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 30), each=st.integers(1, 90000), delta=st.integers(-5000, 5000))
def test_product_flags_exactly_the_wrong_totals(n, each, delta):
    total = n * each + delta
    if total <= 0:
        return
    text = f"拟建{n}套设施，每套处理能力{each}m3/h，总处理能力{total}m3/h。"
    assert ("arithmetic.product" in _kinds(text)) is (delta != 0)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 60), years=st.integers(2, 10), delta=st.integers(-20, 20))
def test_per_year_flags_exactly_the_wrong_totals(n, years, delta):
    stated = n * years + delta
    if stated <= 0:
        return
    text = f"每年建成{n}个示范村，{years}年建成{stated}个示范村。"
    assert ("arithmetic.per_year" in _kinds(text)) is (delta != 0)


@settings(max_examples=60, deadline=None)
@given(total=st.integers(1, 60), data=st.data())
def test_share_rounded_to_the_digits_written_is_right(total, data):
    count = data.draw(st.integers(0, total))
    exact = (Decimal(count) / Decimal(total) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    wrong = exact + Decimal(data.draw(st.sampled_from(["0.2", "-0.2", "1.5", "-3"])))
    right_text = f"规划确定的{total}项指标，其中完成的指标{count}项、占{exact}%。"
    wrong_text = f"规划确定的{total}项指标，其中完成的指标{count}项、占{wrong}%。"
    assert "arithmetic.share" not in _kinds(right_text)
    if wrong >= 0:
        assert "arithmetic.share" in _kinds(wrong_text)


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(2000, 2040),
    offset=st.integers(-5, 5),
    nature=st.sampled_from(["新建", "续建"]),
)
def test_nature_against_the_plans_first_year(first, offset, nature):
    start = first + offset
    row = ProjectRow(name="甲河治理工程", nature=nature, period_start=start, period_end=start + 2)
    plan = Plan(
        source=PlanSource(path="plan.txt", format="tika"),
        metadata=PlanMetadata(period_start=first, period_end=first + 4),
        tables=[PlanTable(index=0, kind="project", caption="表3 重点项目", rows=[row])],
    )
    flagged = "project.nature_vs_start" in _kinds("", plan)
    assert flagged is (
        (nature == "续建" and start >= first) or (nature == "新建" and start < first)
    )


_TOKENS = st.sampled_from(
    [
        "≥",
        "≤",
        "90",
        "85.66",
        "0",
        "2025年",
        "约",
        "左右",
        "%",
        "分",
        "µg/m3",
        "万吨",
        "亿元",
        "持续提高",
        "完成上级下达任务",
        "①",
        "②",
        "-",
        "【16.5】",
        "较2020年下降16%",
        "市≥95 县≥85",
        "，",
        "；",
        "以上",
    ]
)
_CELL = st.lists(_TOKENS, min_size=0, max_size=5).map("".join)
_NAMES = st.sampled_from(
    ["森林覆盖率", "PM2.5浓度下降幅度", "细颗粒物年均浓度", "公众满意度", "政府绿色采购比例"]
)


def _cell(text: str, key: str) -> Cell:
    from ecociv.expr import parse, parse_value, to_json

    read = parse_value if key == "baseline" else parse
    return Cell(
        text=text,
        where=SourceSpan(file="plan.txt", line_start=20, line_end=20),
        expr=to_json(read(text).expr) if text else None,
    )


@settings(max_examples=80, deadline=None)
@given(
    rows=st.lists(
        st.tuples(_NAMES, st.sampled_from(["%", "μg/m3", "分", "", "万元"]), _CELL, _CELL, _CELL),
        min_size=1,
        max_size=4,
    ),
    prose=st.lists(st.lists(_TOKENS | _NAMES, max_size=8).map("".join), max_size=3),
)
def test_rules_never_fail_on_odd_cells_and_text(rows, prose):
    columns = [
        Column(index=0, key="name", role="name", header="指标名称"),
        Column(index=1, key="unit", role="unit", header="单位"),
        Column(index=2, key="standard", role="standard", header="指标值"),
        Column(index=3, key="baseline", role="baseline", header="现状值", year=2020),
        Column(index=4, key="target_2025", role="target", header="2025年目标值", year=2025),
    ]
    tables = [
        PlanTable(
            index=i,
            kind="indicator",
            caption=f"表{i + 1} 指标",
            columns=columns,
            rows=[
                IndicatorRow(
                    name=name,
                    unit=unit or None,
                    attribute="约束性",
                    cells={
                        "standard": _cell(std, "standard"),
                        "baseline": _cell(base, "baseline"),
                        "target_2025": _cell(target, "target_2025"),
                    },
                )
                for name, unit, std, base, target in rows
            ],
        )
        for i in range(2)
    ]
    plan = Plan(
        source=PlanSource(path="plan.txt", format="tika"),
        metadata=PlanMetadata(period_start=2021, period_end=2025),
        tables=tables,
    )
    lines = [
        ProseLine(text, SourceSpan(file="plan.txt", line_start=n, line_end=n))
        for n, text in enumerate(prose, 1)
    ]
    for item in check_plan(plan, lines):
        assert item.message_zh and item.message_en and item.locations
