"""The figures: what each one shows (from the assessment and the projects), the same bytes
for the same data, a fixed size, a CJK font, in the Word file under its caption, and left out
when there is nothing to draw."""

from __future__ import annotations

import math
import struct
from io import BytesIO

import pytest
from docx import Document
from test_report_history import plan_id  # noqa: F401  (the small plan on both databases)

from ecociv.model import VerdictStatus
from ecociv.report import charts
from ecociv.report.api import make_report
from ecociv.report.build import build_report
from ecociv.report.chart_data import OFF_TRACK
from ecociv.report.gather import gather
from ecociv.report.registry import registry
from ecociv.report.rows import outlook_key


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


@pytest.fixture()
def demo_report(demo_store, demo_session):
    _, demo_plan, _ = demo_store
    inputs = gather(demo_session, demo_plan, region_code=None, year=2024, kind="annual")
    return inputs, build_report("annual", inputs)


def test_verdict_bars_are_the_counts_by_domain(demo_report):
    inputs, report = demo_report
    bars = report.charts["verdicts"].bars
    assert bars is not None
    counts = inputs.assessment.counts_by_domain
    assert list(bars.categories) == list(counts)
    by_role = {stack.role: stack.values for stack in bars.stacks}
    for index, domain in enumerate(bars.categories):
        assert by_role["met"][index] == counts[domain].get("met", 0)
        assert by_role["not_met"][index] == counts[domain].get("not_met", 0)
        assert sum(values[index] for values in by_role.values()) == sum(counts[domain].values())
    assert bars.axis == "指标数（项）"


def test_investment_bars_add_up_to_the_projects(demo_report):
    inputs, report = demo_report
    bars = report.charts["investment"].bars
    assert bars is not None
    total = sum(p.investment_wan_yuan or 0 for p in inputs.projects)
    assert sum(sum(s.values) for s in bars.stacks) == pytest.approx(total)
    assert bars.axis == "总投资（万元）"


def test_trend_panels_put_the_indicators_not_met_first(demo_report):
    inputs, report = demo_report
    panels = report.charts["trends"].trends
    assert len(panels) == registry().chart_style["trend_panels"]
    drawn = {p.title for p in panels}
    rows = [
        r
        for r in inputs.assessment.indicators
        if any(o["value"] is not None for o in r.observed.values())
    ]
    not_met = [r for r in rows if r.verdict.status is VerdictStatus.NOT_MET]
    expected = (not_met + [r for r in rows if r not in not_met and outlook_key(r) in OFF_TRACK]
                + [r for r in rows if r not in not_met and outlook_key(r) not in OFF_TRACK])  # fmt: skip
    titles = [f"{r.seq}　{r.name}" if r.seq else r.name for r in expected[: len(panels)]]
    assert [p.title for p in panels] == titles and drawn
    first = next(r for r in expected if f"{r.seq}　{r.name}" == panels[0].title)
    assert panels[0].unit == first.unit
    assert dict(panels[0].observed) == {
        y: o["value"] for y, o in first.observed.items() if o["value"] is not None
    }
    assert panels[0].threshold == first.standard_threshold


def test_same_data_same_png_of_a_fixed_size(demo_report):
    _, report = demo_report
    style = registry().chart_style
    for chart in report.charts.values():
        png = charts.chart_png(chart)
        assert png == charts.chart_png(chart)
        width, _ = _png_size(png)
        exact = style["width_mm"] / 25.4 * style["dpi"]  # 885.8 px: matplotlib truncates
        assert width in (math.floor(exact), math.ceil(exact))


def test_a_cjk_font_of_the_list_is_used():
    found = charts.chart_font()
    if found is None:
        pytest.skip("no CJK font installed (Debian fonts-noto-cjk or fonts-wqy-zenhei)")
    assert found in registry().chart_style["fonts"]


def test_figures_are_in_the_word_file_under_their_captions(demo_store, demo_session, tmp_path):
    _, demo_plan, _ = demo_store
    out = tmp_path / "annual.docx"
    report = make_report(demo_session, "annual", plan_id=demo_plan, region_code=None, year=2024,
                         fmt="docx", out=out)  # fmt: skip
    document = Document(str(out))
    assert len(document.inline_shapes) == 3
    captions = [p.text for p in document.paragraphs if p.text.startswith("图")]
    assert captions == [c.caption for c in report.charts.values()]
    assert captions[0] == "图1  指标评价结果（按领域）（2024年）"
    pictures = [
        part.blob for part in document.part.package.parts if part.content_type == "image/png"
    ]
    assert sorted(pictures) == sorted(charts.chart_png(c) for c in report.charts.values())


def test_no_projects_no_investment_figure(session, plan_id, tmp_path):  # noqa: F811
    out = tmp_path / "annual.docx"
    report = make_report(session, "annual", plan_id=plan_id, region_code=None, year=2023,
                         fmt="docx", out=out)  # fmt: skip
    assert set(report.charts) == {"verdicts", "trends"}
    document = Document(BytesIO(out.read_bytes()))
    assert len(document.inline_shapes) == 2
    assert [p.text for p in document.paragraphs if p.text.startswith("图")] == [
        "图1  指标评价结果（按领域）（2023年）", "图2  重点指标变化趋势（2023年）"
    ]  # fmt: skip


def test_figures_drawn_in_parallel_threads_are_the_same(demo_report):
    """The web draws reports in worker threads: matplotlib's global settings must not leak
    from one figure into another."""
    from concurrent.futures import ThreadPoolExecutor

    _, report = demo_report
    figures = list(report.charts.values()) * 2
    alone = [charts.chart_png(chart) for chart in figures]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(charts.chart_png, figures))
    assert together == alone
