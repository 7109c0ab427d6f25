"""The plan's name and period read from the document (issue 13): the cover's title paragraph
(with its period on the next line), else 编制《…》, else the .docx title property; a draft
status is no part of the name; without any, no name (the import then names the plan after its file, with a finding).  A re-import of the
same plan under another file name becoming version 2 is tested through the web import
(tests/web/test_web_import_preview.py)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fixture_builders import plan_outline, write_plan_docx
from hypothesis import given
from hypothesis import strategies as st

from ecociv.ingest.api import load_plan
from ecociv.ingest.metadata import plan_title

TITLE = "青岚县生态文明建设规划（2021—2030年）"


def _cover_docx(path: Path, cover: list[str], core_title: str | None = None) -> Path:
    """A plan whose cover lines come before the outline's body (its own title heading removed)."""
    outline = [item for item in plan_outline() if item[:3] != ("heading", 1, TITLE)]
    write_plan_docx(path, [*(("paragraph", line) for line in cover), *outline])
    if core_title is not None:
        document = docx.Document(str(path))
        document.core_properties.title = core_title
        document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("cover", "core_title", "name", "period"),
    [
        (
            ["青岚县生态文明建设规划", "（2021—2030年）", "青岚县人民政府"],
            None,
            TITLE,
            (2021, 2030),
        ),
        (
            ["青岚县生态文明建设规划", "2021-2030年", "（征求意见稿）"],
            None,
            "青岚县生态文明建设规划（2021—2030年）",
            (2021, 2030),
        ),
        (["青岚县生态文明建设规划（2021—2030年）（送审稿）"], None, TITLE, (2021, 2030)),
        (
            ["目  录", "第一章 规划总则"],
            "青岚县生态文明建设规划（2021—2030年）",
            TITLE,
            (2021, 2030),
        ),
        (["目  录"], "Word Document", None, (2021, 2030)),
    ],
)
def test_the_name_and_period_come_from_the_document(
    tmp_path: Path, cover, core_title, name, period
) -> None:
    plan = load_plan(_cover_docx(tmp_path / "随便起的文件名.docx", cover, core_title))
    assert plan.metadata.name == name
    assert (plan.metadata.period_start, plan.metadata.period_end) == period


@pytest.mark.parametrize(
    "line",
    [
        "第三章 总体规划",
        "一、空间规划",
        "本规划是指导全县生态文明建设的纲领性规划",
        "依据《某某规划》",
    ],
)
def test_headings_and_sentences_are_not_titles(line: str) -> None:
    assert plan_title([line], None, None) is None


@given(
    region=st.sampled_from(["青岚县", "宁波市江北区", "某某自治州某某县"]),
    topic=st.sampled_from(["生态文明建设", "生态文明建设示范区", "“两山”实践创新基地建设"]),
    start=st.integers(min_value=2000, max_value=2040),
    length=st.integers(min_value=4, max_value=15),
    draft=st.sampled_from(["", "（征求意见稿）", "（送审稿）", "(报批稿)"]),
    split=st.booleans(),
)
def test_title_variations(region, topic, start, length, draft, split) -> None:
    period = f"（{start}—{start + length}年）"
    lines = (
        [f"{region}{topic}规划", period + draft]
        if split
        else [f"{region}{topic}规划{period}{draft}"]
    )
    assert plan_title([*lines, "某某人民政府"], None, None) == f"{region}{topic}规划{period}"
