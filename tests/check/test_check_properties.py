"""Properties of the arithmetic and project rules over generated numbers (no file read:
the rules take a plan and prose lines built here)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ecociv.check import check_plan
from ecociv.check.view import ProseLine
from ecociv.model import Plan, PlanMetadata, PlanSource, PlanTable, ProjectRow, SourceSpan

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
