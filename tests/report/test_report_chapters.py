"""An optional chapter from another area (ecociv.report.chapters): placed before the editable
sections of the kinds it names, its facts and table in the Word file through a template
written with it, its data part of the data revision, and a clash of names refused."""

from __future__ import annotations

import pytest
from docx import Document
from sqlalchemy import func, select

from ecociv.errors import ConfigError
from ecociv.report import chapters as optional
from ecociv.report.api import make_report
from ecociv.report.build import check_registry
from ecociv.report.chapters import Chapter, ChapterScope
from ecociv.report.registry import Column, TableSpec, kind_spec, registry
from ecociv.report.template_writer import write_template
from ecociv.store.models import Observation, Region


def _read(session, scope: ChapterScope) -> dict[str, int]:
    region = session.scalar(select(Region).where(Region.code == scope.region_code))
    count = session.scalar(
        select(func.count()).where(
            Observation.region_id == region.id, Observation.year <= scope.year
        )
    )
    return {"values": count, "year": scope.year}


EXTRA = Chapter(
    key="entered_values",
    zh="数据填报情况",
    en="Values entered",
    kinds=("annual", "environment-status"),
    read=_read,
    facts=lambda data, lang: [f"截至{data['year']}年共填报数据{data['values']}条。"],
    table=TableSpec(
        "entered_values",
        "数据填报情况",
        "Values entered",
        (Column("item", "项目", "Item", 100), Column("count", "条数", "Count", 56, number=True)),
    ),
    rows=lambda data, lang: [{"item": "已填报数据", "count": data["values"]}],
)


@pytest.fixture()
def with_chapter(monkeypatch):
    monkeypatch.setattr(optional, "chapters", lambda: (EXTRA,))
    registry.cache_clear()
    yield
    monkeypatch.undo()
    registry.cache_clear()


def test_the_chapter_goes_before_the_editable_sections(with_chapter):
    check_registry(registry())
    annual = [s.zh for s in kind_spec("annual").sections]
    assert annual[annual.index("形势分析") - 1] == "数据填报情况"
    status = [s.zh for s in kind_spec("environment-status").sections]
    assert status[:2] == ["目标任务完成情况", "数据填报情况"]  # before 工作成效, an editable text
    assert "数据填报情况" not in [s.zh for s in kind_spec("completion").sections]


def test_the_chapter_is_in_the_report(with_chapter, demo_store, demo_session, tmp_path):
    _, plan_id, _ = demo_store
    template = tmp_path / "annual.docx"
    write_template(kind_spec("annual"), "zh", template)
    out = tmp_path / "report.docx"
    report = make_report(demo_session, "annual", plan_id=plan_id, region_code=None, year=2024,
                         fmt="docx", out=out, template=template)  # fmt: skip
    count = _read(demo_session, ChapterScope(plan_id, report.region_code, 2024))["values"]
    document = Document(str(out))
    texts = [p.text for p in document.paragraphs]
    heading = texts.index("七、数据填报情况")
    assert texts[heading + 1] == f"截至2024年共填报数据{count}条。"
    assert texts.index("八、形势分析") > heading
    table = document.tables[-1]
    assert [c.text for c in table.rows[1].cells] == ["已填报数据", str(count)]


def test_the_revision_covers_the_chapter(
    with_chapter, demo_store, demo_session, tmp_path, monkeypatch
):
    _, plan_id, _ = demo_store
    first = make_report(demo_session, "annual", plan_id=plan_id, region_code=None, year=2024,
                        fmt="xlsx", out=tmp_path / "a.xlsx")  # fmt: skip
    changed = Chapter(**{**EXTRA.__dict__, "read": lambda s, scope: {"values": -1, "year": 0}})
    monkeypatch.setattr(optional, "chapters", lambda: (changed,))
    registry.cache_clear()
    second = make_report(demo_session, "annual", plan_id=plan_id, region_code=None, year=2024,
                         fmt="xlsx", out=tmp_path / "b.xlsx")  # fmt: skip
    assert second.data_revision != first.data_revision


def test_a_chapter_named_like_a_table_is_refused(monkeypatch):
    clash = Chapter(**{**EXTRA.__dict__, "key": "gaps"})
    monkeypatch.setattr(optional, "chapters", lambda: (clash,))
    registry.cache_clear()
    try:
        with pytest.raises(ConfigError) as caught:
            registry()
        assert "gaps" in caught.value.zh
    finally:
        monkeypatch.undo()
        registry.cache_clear()
